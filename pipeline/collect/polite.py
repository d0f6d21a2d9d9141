"""Politeness: one request at a time per host, spaced by a delay; Retry-After parsing.

Hand-written because the rate-limiting transports for httpx throttle by request rate
across a client, while a polite crawler needs a gap after each answer per host that
robots.txt (Crawl-delay) and 429 answers (Retry-After) can lengthen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """The host (and port) requests are spaced on, lower-cased."""
    return urlsplit(url).netloc.lower()


class HostClock:
    """Spaces requests to each host: the next one starts ``delay`` seconds after the
    previous answer ended (longer if robots.txt or a Retry-After asked for it).

    Args:
        delay: the default gap in seconds.
        clock: monotonic seconds (replace in tests).
        sleep: how to wait (replace in tests).
    """

    def __init__(
        self,
        delay: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._delay = delay
        self._clock = clock
        self._sleep = sleep
        self._gap: dict[str, float] = {}
        self._ready: dict[str, float] = {}

    def set_gap(self, host: str, seconds: float) -> None:
        """Use ``seconds`` between requests to ``host`` when longer than the delay."""
        self._gap[host] = max(self._delay, seconds)

    def wait(self, host: str) -> float:
        """Sleep until ``host`` may be asked again; return the seconds slept."""
        pause = self._ready.get(host, 0.0) - self._clock()
        if pause > 0:
            self._sleep(pause)
            return pause
        return 0.0

    def done(self, host: str) -> None:
        """Record that an answer from ``host`` just ended."""
        ready = self._clock() + self._gap.get(host, self._delay)
        self._ready[host] = max(self._ready.get(host, 0.0), ready)

    def pause(self, host: str, seconds: float) -> None:
        """Ask nothing of ``host`` for ``seconds`` from now (a Retry-After)."""
        self._ready[host] = max(self._ready.get(host, 0.0), self._clock() + seconds)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta seconds or an HTTP date).

    >>> retry_after_seconds("3")
    3.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # "²".isdigit() is True too
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
