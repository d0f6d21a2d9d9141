"""pipeline/collect/fetch.py with httpx.MockTransport (no sockets): conditional headers,
redirect hops checked one by one, 429/503 and Retry-After, size cap, errors as data."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from pipeline.collect.fetch import HttpFetcher, Validators, make_client
from pipeline.collect.polite import HostClock
from pipeline.collect.records import CollectOptions
from pipeline.errors import (
    ConnectionFailedError,
    FetchTimeoutError,
    HttpStatusError,
    RateLimitedError,
    RedirectError,
    RobotsDisallowedError,
    TooLargeError,
    UnsafeUrlError,
)

Handler = Callable[[httpx.Request], httpx.Response]
NO_DELAY = CollectOptions(delay=0.0)


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def fetcher(
    handler: Handler, time: FakeTime | None = None, opts: CollectOptions = NO_DELAY
) -> HttpFetcher:
    clock = time or FakeTime()
    client = make_client(opts, httpx.MockTransport(handler))
    return HttpFetcher(client, opts, HostClock(opts.delay, clock=clock, sleep=clock.sleep))


def allow_all(url: str) -> None:
    pass


def no_cache(url: str) -> Validators | None:
    return None


def test_a_plain_get_returns_body_validators_and_sends_the_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"hello", headers={"ETag": '"a"', "Last-Modified": "x"})

    got = fetcher(handler).get("https://x.example/a", allow=allow_all, validators=no_cache)
    assert (got.status, got.body, got.etag, got.last_modified) == (200, b"hello", '"a"', "x")
    assert seen[0].headers["User-Agent"].startswith("chc/")
    assert "If-None-Match" not in seen[0].headers


def test_cached_validators_are_sent_and_304_is_returned() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(304)

    def cached(url: str) -> Validators:
        return Validators(etag='"v1"', last_modified="Mon, 03 Feb 2025 09:00:00 GMT")

    got = fetcher(handler).get("https://x.example/a", allow=allow_all, validators=cached)
    assert (got.status, got.body) == (304, b"")
    assert seen[0].headers["If-None-Match"] == '"v1"'
    assert seen[0].headers["If-Modified-Since"] == "Mon, 03 Feb 2025 09:00:00 GMT"


def test_a_304_to_a_plain_request_is_an_error() -> None:
    with pytest.raises(HttpStatusError, match="304 Not Modified to a plain request"):
        fetcher(lambda r: httpx.Response(304)).get(
            "https://x.example/a", allow=allow_all, validators=no_cache
        )


def test_every_redirect_hop_is_checked_and_the_final_url_kept() -> None:
    checked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "https://cdn.x.example/new#top"})
        return httpx.Response(200, content=b"form")

    got = fetcher(handler).get("https://x.example/old", allow=checked.append, validators=no_cache)
    assert got.final_url == "https://cdn.x.example/new"
    assert checked == ["https://x.example/old", "https://cdn.x.example/new"]


def test_a_redirect_to_a_disallowed_url_is_not_followed() -> None:
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(request.url.path)
        return httpx.Response(302, headers={"Location": "/private/form.pdf"})

    def robots(url: str) -> None:
        if "/private/" in url:
            raise RobotsDisallowedError(f"{url}: disallowed.")

    with pytest.raises(RobotsDisallowedError):
        fetcher(handler).get("https://x.example/form", allow=robots, validators=no_cache)
    assert requested == ["/form"]


@pytest.mark.parametrize("target", ["ftp://x.example/form.pdf", "https://me:pw@x.example/f"])
def test_a_redirect_off_http_or_with_credentials_is_refused(target: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": target})

    with pytest.raises(UnsafeUrlError):
        fetcher(handler).get("https://x.example/form", allow=allow_all, validators=no_cache)


def test_too_many_redirects() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        n = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{n + 1}"})

    with pytest.raises(RedirectError, match="more than 3 redirects"):
        fetcher(handler, opts=CollectOptions(delay=0, max_redirects=3)).get(
            "https://x.example/", allow=allow_all, validators=no_cache
        )


def test_429_waits_for_retry_after_then_succeeds() -> None:
    time = FakeTime()
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200)])
    got = fetcher(lambda r: next(answers), time).get(
        "https://x.example/a", allow=allow_all, validators=no_cache
    )
    assert got.status == 200
    assert time.slept == [7.0]


def test_429_without_retry_after_backs_off() -> None:
    time = FakeTime()
    answers = iter([httpx.Response(429), httpx.Response(429), httpx.Response(200)])
    fetcher(lambda r: next(answers), time).get(
        "https://x.example/a", allow=allow_all, validators=no_cache
    )
    assert time.slept == [2.0, 4.0]


def test_429_every_time_fails_after_the_retries() -> None:
    time = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "1"})

    with pytest.raises(RateLimitedError, match="429 \\(Too Many Requests\\) 3 times"):
        fetcher(handler, time, CollectOptions(delay=0, retries=2)).get(
            "https://x.example/a", allow=allow_all, validators=no_cache
        )
    assert time.slept == [1.0, 1.0]


def test_a_retry_after_longer_than_max_wait_fails_at_once() -> None:
    time = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "3600"})

    with pytest.raises(RateLimitedError, match=r"wait 3600 s .* --max-wait 60 s"):
        fetcher(handler, time, CollectOptions(delay=0, max_wait=60)).get(
            "https://x.example/a", allow=allow_all, validators=no_cache
        )
    assert time.slept == []


def test_503_without_retry_after_is_a_server_error() -> None:
    with pytest.raises(HttpStatusError, match="503 Service Unavailable") as caught:
        fetcher(lambda r: httpx.Response(503)).get(
            "https://x.example/a", allow=allow_all, validators=no_cache
        )
    assert caught.value.status == 503


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "5000"}, content=b"x" * 5000)

    with pytest.raises(TooLargeError, match=r"0\.001 MB cap"):
        fetcher(handler, opts=CollectOptions(delay=0, max_bytes=1000)).get(
            "https://x.example/a", allow=allow_all, validators=no_cache
        )


def test_a_body_streamed_past_the_cap_is_cut() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"x" * 600, b"x" * 600]))

    with pytest.raises(TooLargeError):
        fetcher(handler, opts=CollectOptions(delay=0, max_bytes=1000)).get(
            "https://x.example/a", allow=allow_all, validators=no_cache
        )


def test_timeouts_and_connection_errors_become_sentences() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(FetchTimeoutError, match="no answer within 20 s"):
        fetcher(slow).get("https://x.example/a", allow=allow_all, validators=no_cache)
    with pytest.raises(ConnectionFailedError, match="cannot be fetched \\(ConnectError: refused"):
        fetcher(refused).get("https://x.example/a", allow=allow_all, validators=no_cache)


def test_requests_to_a_host_are_spaced_by_the_delay() -> None:
    time = FakeTime()
    opts = CollectOptions(delay=1.5)
    client = make_client(opts, httpx.MockTransport(lambda r: httpx.Response(200)))
    polite = HttpFetcher(client, opts, HostClock(opts.delay, clock=time, sleep=time.sleep))
    for path in ("a", "b"):
        polite.get(f"https://x.example/{path}", allow=allow_all, validators=no_cache)
    polite.get("https://other.example/c", allow=allow_all, validators=no_cache)
    assert time.slept == [1.5]


def test_cookies_set_by_a_site_are_never_sent_back() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Set-Cookie": "session=s3cr3t; Path=/"})

    polite = fetcher(handler)
    polite.get("https://x.example/a", allow=allow_all, validators=no_cache)
    polite.get("https://x.example/b", allow=allow_all, validators=no_cache)
    assert "Cookie" not in seen[1].headers
