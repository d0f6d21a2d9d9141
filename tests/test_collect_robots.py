"""pipeline/collect/robots.py: rules per origin (Protego), RFC 9309 on failures,
Crawl-delay."""

from __future__ import annotations

import pytest

from pipeline.collect.polite import HostClock
from pipeline.collect.robots import RobotsPolicy, robots_url
from pipeline.errors import (
    ConnectionFailedError,
    HttpStatusError,
    RateLimitedError,
    RobotsDisallowedError,
    RobotsUnavailableError,
)

AGENT = "chc/0.1.0 (Complaint Handling Code self-assessment collector)"


class Loader:
    """Serves robots.txt texts (or errors) by URL and counts the loads."""

    def __init__(self, answers: dict[str, str | Exception]) -> None:
        self.answers = answers
        self.loaded: list[str] = []

    def __call__(self, url: str) -> str:
        self.loaded.append(url)
        answer = self.answers[url]
        if isinstance(answer, Exception):
            raise answer
        return answer


class Gaps(HostClock):
    def __init__(self) -> None:
        super().__init__(1.0)
        self.gaps: dict[str, float] = {}

    def set_gap(self, host: str, seconds: float) -> None:
        self.gaps[host] = seconds


def policy(answers: dict[str, str | Exception], clock: HostClock | None = None) -> RobotsPolicy:
    return RobotsPolicy(Loader(answers), AGENT, clock or HostClock(1.0), max_wait=60.0)


def test_robots_url_is_at_the_origin() -> None:
    assert robots_url("https://x.example:8443/a/b?c=d") == "https://x.example:8443/robots.txt"


def test_rules_for_chc_and_for_everyone() -> None:
    rules = "User-agent: *\nDisallow: /private/\n\nUser-agent: chc\nDisallow: /no-chc/\n"
    robots = policy({"https://x.example/robots.txt": rules})
    robots.check("https://x.example/private/form.pdf")  # the chc group replaces the * group
    with pytest.raises(RobotsDisallowedError, match=r"robots\.txt does not allow chc"):
        robots.check("https://x.example/no-chc/form.pdf")


def test_each_origin_is_loaded_once() -> None:
    loader = Loader({"https://x.example/robots.txt": "User-agent: *\nDisallow: /p/\n"})
    robots = RobotsPolicy(loader, AGENT, HostClock(1.0), max_wait=60.0)
    for path in ("/a", "/b", "/c"):
        robots.check(f"https://x.example{path}")
    with pytest.raises(RobotsDisallowedError):
        robots.check("https://x.example/p/1")
    assert loader.loaded == ["https://x.example/robots.txt"]


def test_a_missing_robots_txt_allows_everything() -> None:
    robots = policy({"https://x.example/robots.txt": HttpStatusError("404", status=404)})
    robots.check("https://x.example/anything")


@pytest.mark.parametrize(
    "error",
    [HttpStatusError("boom", status=500), ConnectionFailedError("https://x.example: refused")],
)
def test_a_failing_robots_txt_keeps_chc_off_the_site(error: Exception) -> None:
    loader = Loader({"https://x.example/robots.txt": error})
    robots = RobotsPolicy(loader, AGENT, HostClock(1.0), max_wait=60.0)
    for _ in range(2):
        with pytest.raises(RobotsUnavailableError, match=r"robots\.txt"):
            robots.check("https://x.example/complaints")
    assert len(loader.loaded) == 1


def test_crawl_delay_is_given_to_the_clock() -> None:
    clock = Gaps()
    robots = policy({"https://x.example/robots.txt": "User-agent: *\nCrawl-delay: 7\n"}, clock)
    robots.check("https://x.example/a")
    assert clock.gaps == {"x.example": 7.0}


def test_a_crawl_delay_longer_than_max_wait_keeps_chc_off_the_site() -> None:
    robots = policy({"https://x.example/robots.txt": "User-agent: *\nCrawl-delay: 3600\n"})
    with pytest.raises(RateLimitedError, match="3600 s between requests"):
        robots.check("https://x.example/a")
