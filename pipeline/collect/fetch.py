"""One polite HTTP GET (httpx): robots check and host spacing before every request,
conditional headers, redirects followed by hand, 429/Retry-After, timeouts, size cap.

Redirects are followed here rather than by httpx so that every hop is checked like a
link: http(s) only, no credentials, allowed by that host's robots.txt, spaced per host.
"""

from __future__ import annotations

import http.cookiejar
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin

import httpx

from pipeline.collect.polite import HostClock, host_of, retry_after_seconds
from pipeline.collect.records import CollectOptions
from pipeline.collect.sites import check_url
from pipeline.errors import (
    ConnectionFailedError,
    FetchTimeoutError,
    HttpStatusError,
    RateLimitedError,
    RedirectError,
    TooLargeError,
)

ACCEPT = (
    "text/html,application/xhtml+xml,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9,*/*;q=0.5"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HINTS = {
    404: "The link is broken: the landlord may have moved or removed the file.",
    410: "The landlord has removed the file.",
    401: "The file is behind a login; chc never sends credentials.",
    403: "The server refuses chc; download the file by hand or ask the landlord.",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Validators:
    """What a cached copy was served with, sent back as If-None-Match/If-Modified-Since."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    """A successful answer.

    Attributes:
        url: the URL asked for.
        final_url: the URL that answered, after redirects.
        status: 200 (body holds the content) or 304 (not modified: body is empty).
    """

    url: str
    final_url: str
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    location: str | None = None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None  # set ("" if absent) on a 429 or 503 worth retrying


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "(an unknown status)"


def _no_cookies() -> http.cookiejar.CookieJar:
    # A jar that refuses every cookie: chc sends no credentials, session cookies included.
    return http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


def make_client(
    options: CollectOptions, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The httpx client chc collects with: its User-Agent, timeouts, no cookies, no auth.

    Args:
        options: the user agent and timeout.
        transport: replaces the network (``httpx.MockTransport`` in tests).
    """
    return httpx.Client(
        headers={"User-Agent": options.user_agent, "Accept": ACCEPT},
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=False,
        cookies=_no_cookies(),
        transport=transport,
    )


class HttpFetcher:
    """Fetches URLs one at a time, politely.

    Args:
        client: the httpx client (``make_client``; a mock transport in tests).
        options: timeouts, caps, retries.
        clock: per-host spacing of requests.
    """

    def __init__(self, client: httpx.Client, options: CollectOptions, clock: HostClock) -> None:
        self._client = client
        self._options = options
        self._clock = clock

    def get(
        self,
        url: str,
        *,
        allow: Callable[[str], None],
        validators: Callable[[str], Validators | None],
    ) -> Fetched:
        """GET ``url`` following redirects; conditional when a cached copy exists.

        Args:
            url: the URL.
            allow: raises (e.g. RobotsDisallowedError) if a hop may not be fetched.
            validators: the cached copy's validators for a URL, or None.

        Raises:
            CollectError: a subclass saying what went wrong, naming the URL.
        """
        chain = [url]
        while True:
            current = chain[-1]
            check_url(current)
            allow(current)
            cached = validators(current)
            answer = self._request(current, cached)
            if answer.location is None:
                if answer.status == 304 and cached is None:
                    raise HttpStatusError(
                        f"{current}: the server answered 304 Not Modified to a plain request.",
                        "The server is misconfigured; try again later.",
                        status=304,
                    )
                return Fetched(
                    url=url,
                    final_url=current,
                    status=answer.status,
                    body=answer.body,
                    etag=answer.etag,
                    last_modified=answer.last_modified,
                )
            chain.append(self._next_hop(chain, answer.location))

    def _next_hop(self, chain: list[str], location: str) -> str:
        target = urljoin(chain[-1], location).split("#", 1)[0]
        if target in chain:
            loop = " -> ".join([*chain[chain.index(target) :], target])
            raise RedirectError(
                f"{chain[0]}: redirect loop ({loop}).",
                "The site is misconfigured; tell the landlord, or find the file another way.",
            )
        if len(chain) > self._options.max_redirects:
            raise RedirectError(
                f"{chain[0]}: more than {self._options.max_redirects} redirects.",
                "Raise --max-redirects if the site really needs that many.",
            )
        return target

    def _request(self, url: str, cached: Validators | None) -> _Answer:
        host = host_of(url)
        headers = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        attempt = 0
        while True:
            self._clock.wait(host)
            try:
                answer = self._once(url, headers)
            finally:
                self._clock.done(host)
            if answer.retry_after is None:
                return answer
            attempt += 1
            self._clock.pause(host, self._retry_wait(url, answer, attempt))

    def _retry_wait(self, url: str, answer: _Answer, attempt: int) -> float:
        asked = retry_after_seconds(answer.retry_after)
        if attempt > self._options.retries:
            raise RateLimitedError(
                f"{url}: the server answered {answer.status} ({_phrase(answer.status)}) "
                f"{attempt} times.",
                "The site is busy or limits visitors; run chc collect again later.",
            )
        wait = asked if asked is not None else max(self._options.delay, 1.0) * 2**attempt
        if wait > self._options.max_wait:
            raise RateLimitedError(
                f"{url}: the server asked chc to wait {wait:g} s (Retry-After), longer than "
                f"--max-wait {self._options.max_wait:g} s.",
                "Run chc collect again later, or raise --max-wait.",
            )
        return wait

    def _once(self, url: str, headers: dict[str, str]) -> _Answer:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                return self._answer(url, response)
        except httpx.TimeoutException as err:
            raise FetchTimeoutError(
                f"{url}: no answer within {self._options.timeout:g} s (timed out).",
                "The server is slow or down; try again later, or raise --timeout.",
            ) from err
        except httpx.RequestError as err:
            raise ConnectionFailedError(
                f"{url}: cannot be fetched ({type(err).__name__}: {err or 'no detail'}).",
                "Check the address and the network; try again later.",
            ) from err

    def _answer(self, url: str, response: httpx.Response) -> _Answer:
        status = response.status_code
        retry_after = response.headers.get("Retry-After")
        if status == 429 or (status == 503 and retry_after is not None):
            # A 503 without Retry-After is a plain server error, not worth waiting for.
            return _Answer(status=status, retry_after=retry_after or "")
        if status in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise RedirectError(
                    f"{url}: answered {status} without saying where to go.",
                    "The site is misconfigured; tell the landlord.",
                )
            return _Answer(status=status, location=location)
        if status == 304:
            return _Answer(status=304)
        if status != 200:
            raise HttpStatusError(
                f"{url}: the server answered {status} {_phrase(status)}.",
                _HINTS.get(status, "The server had a problem; try again later."),
                status=status,
            )
        return _Answer(
            status=200,
            body=self._read_capped(url, response),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )

    def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        cap = self._options.max_bytes
        too_large = TooLargeError(
            f"{url}: the file is larger than the {cap / 1_000_000:g} MB cap (--max-mb).",
            "Raise --max-mb if this is the self-assessment.",
        )
        declared = response.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > cap:
            raise too_large
        deadline = time.monotonic() + 10 * self._options.timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise too_large
            if time.monotonic() > deadline:
                raise FetchTimeoutError(
                    f"{url}: the download took longer than {10 * self._options.timeout:g} s.",
                    "The server is very slow; try again later, or raise --timeout.",
                )
            chunks.append(chunk)
        return b"".join(chunks)
