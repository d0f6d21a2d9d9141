"""robots.txt: one parsed rule set per origin (Protego), consulted before every request.

RFC 9309: a robots.txt that is missing or answers 4xx allows everything; one that
answers 5xx or cannot be reached means the crawler stays out of the whole origin.
A Crawl-delay lengthens the gap between requests to that host, up to ``max_wait``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

from pipeline.collect.polite import HostClock, host_of
from pipeline.errors import (
    CollectError,
    HttpStatusError,
    RateLimitedError,
    RobotsDisallowedError,
    RobotsUnavailableError,
)

_ALLOW_ALL = Protego.parse("")


def robots_url(url: str) -> str:
    """The robots.txt URL of ``url``'s origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


class RobotsPolicy:
    """Decides whether chc may fetch a URL, loading each origin's robots.txt once.

    Args:
        load: fetches a robots.txt URL and returns its text (raises CollectError).
        user_agent: the User-Agent chc sends (its groups are matched by name).
        clock: the per-host clock, told about Crawl-delay.
        max_wait: longest Crawl-delay honoured; a longer one keeps chc out of the host.
    """

    def __init__(
        self,
        load: Callable[[str], str],
        user_agent: str,
        clock: HostClock,
        max_wait: float,
    ) -> None:
        self._load = load
        self._agent = user_agent
        self._clock = clock
        self._max_wait = max_wait
        self._rules: dict[str, Protego | CollectError] = {}

    def check(self, url: str) -> None:
        """Return if robots.txt allows ``url``.

        Raises:
            RobotsDisallowedError: the rules disallow it.
            RobotsUnavailableError: robots.txt answered 5xx or could not be reached.
            RateLimitedError: its Crawl-delay is longer than ``max_wait``.
        """
        rules = self._rules_for(robots_url(url))
        if isinstance(rules, CollectError):
            raise rules
        if not rules.can_fetch(url, self._agent):
            raise RobotsDisallowedError(
                f"{url}: the site's robots.txt does not allow chc to fetch it.",
                "chc honours robots.txt; ask the landlord for the file.",
            )

    def _rules_for(self, url: str) -> Protego | CollectError:
        if url not in self._rules:
            self._rules[url] = self._read(url)
        return self._rules[url]

    def _read(self, url: str) -> Protego | CollectError:
        try:
            rules = Protego.parse(self._load(url))
        except HttpStatusError as err:
            if 400 <= err.status < 500:
                return _ALLOW_ALL
            return RobotsUnavailableError(
                f"{url} answered {err.status}; chc stays off a site whose robots.txt "
                "fails with a server error (RFC 9309).",
                "Try again later.",
            )
        except CollectError as err:
            return RobotsUnavailableError(
                f"{url} could not be read ({err.message}); chc stays off the site.",
                "Check the address, or try again later.",
            )
        delay = rules.crawl_delay(self._agent)
        if delay is not None:
            if delay > self._max_wait:
                return RateLimitedError(
                    f"{url} asks for {delay:g} s between requests (Crawl-delay), longer "
                    f"than --max-wait {self._max_wait:g} s; the site was not crawled.",
                    "Raise --max-wait to crawl it that slowly.",
                )
            self._clock.set_gap(host_of(url), float(delay))
        return rules
