"""pipeline/collect/polite.py: per-host spacing on a fake clock; Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from pipeline.collect.polite import HostClock, host_of, retry_after_seconds


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_the_delay_runs_from_the_end_of_the_previous_answer_per_host() -> None:
    time = FakeTime()
    clock = HostClock(2.0, clock=time, sleep=time.sleep)
    assert clock.wait("a.example") == 0.0  # first request: no wait
    clock.done("a.example")
    time.now += 0.5  # reading and judging the answer took 0.5 s
    assert clock.wait("b.example") == 0.0  # another host is not held up
    clock.wait("a.example")
    assert time.slept == [1.5]


def test_crawl_delay_lengthens_but_never_shortens_the_gap() -> None:
    time = FakeTime()
    clock = HostClock(2.0, clock=time, sleep=time.sleep)
    clock.set_gap("slow.example", 5.0)
    clock.set_gap("keen.example", 0.1)
    for host in ("slow.example", "keen.example"):
        clock.done(host)
        clock.wait(host)
    assert time.slept == [5.0, 2.0]


def test_a_pause_holds_the_host_for_at_least_that_long() -> None:
    time = FakeTime()
    clock = HostClock(1.0, clock=time, sleep=time.sleep)
    clock.done("a.example")
    clock.pause("a.example", 30.0)
    clock.wait("a.example")
    assert time.slept == [30.0]


def test_host_of_keeps_the_port() -> None:
    assert host_of("http://127.0.0.1:8080/x") == "127.0.0.1:8080"
    assert host_of("https://WWW.Example.org/x") == "www.example.org"


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2025, 2, 3, 9, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Mon, 03 Feb 2025 09:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Mon, 03 Feb 2025 08:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("") is None
    assert retry_after_seconds("later, please") is None
    assert retry_after_seconds("²") is None  # a digit to str.isdigit, not to HTTP


@given(st.text())
def test_retry_after_never_raises_on_arbitrary_text(text: str) -> None:
    value = retry_after_seconds(text)
    assert value is None or value >= 0
