"""Frozen records of ``chc collect``: the sites to visit, the settings, what happened.

Site (from SITES.csv) --crawl--> UrlOutcome per URL --> SiteResult per site --> CollectSummary.
No I/O here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pipeline import __version__
from pipeline.errors import UsageError

DEFAULT_USER_AGENT = f"chc/{__version__} (Complaint Handling Code self-assessment collector)"
UrlStatus = Literal["kept", "left_out", "disallowed", "skipped", "failed"]
Fetch = Literal["downloaded", "not_modified", "none"]
SiteStatus = Literal["ok", "nothing_found", "failed"]
_NAMES_CHC = re.compile(r"\bchc\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """One line of SITES.csv.

    Attributes:
        landlord: the landlord's name as the user wrote it.
        landlord_type: council / housing_association / almo / other, or None (blank).
        url: the start page (usually the complaints page), http or https.
        line: the line in SITES.csv, for messages.
    """

    landlord: str
    landlord_type: str | None
    url: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CollectOptions:
    """How politely and how far to crawl; validated on creation.

    Attributes:
        depth: link hops followed from the start page (0 = the start page only).
        delay: seconds between two requests to the same host (robots.txt Crawl-delay
            wins when it is longer).
        timeout: seconds to wait for a connection or for the next bytes of an answer;
            a whole download may take at most ten times this.
        max_bytes: size cap per file; bigger files are left out with a failure.
        max_pages: most URLs fetched per site.
        max_redirects: most redirects followed for one URL.
        max_wait: longest Retry-After honoured; a longer one fails the URL.
        retries: new attempts after a 429 or 503 answer.
        user_agent: the User-Agent header; it must name chc.
    """

    depth: int = 2
    delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 25 * 1024 * 1024
    max_pages: int = 100
    max_redirects: int = 5
    max_wait: float = 120.0
    retries: int = 2
    user_agent: str = DEFAULT_USER_AGENT

    def __post_init__(self) -> None:
        for name in ("depth", "max_pages", "max_redirects", "retries"):
            if getattr(self, name) < 0:
                raise UsageError(f"--{name.replace('_', '-')} must be 0 or more.")
        for name in ("delay", "max_wait"):
            if getattr(self, name) < 0:
                raise UsageError(f"--{name.replace('_', '-')} must be 0 or more seconds.")
        if self.timeout <= 0:
            raise UsageError("--timeout must be more than 0 seconds.")
        if self.max_bytes <= 0:
            raise UsageError("--max-mb must be more than 0.")
        if not _NAMES_CHC.search(self.user_agent):
            raise UsageError(
                f"--user-agent {self.user_agent!r} does not name chc.",
                "Site owners must be able to tell who is visiting: keep 'chc' in it, "
                f"e.g. '{DEFAULT_USER_AGENT} research@example.org'.",
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """Whether a downloaded file is a self-assessment, as chc's own pipeline reads it.

    Attributes:
        keep: True when the file is kept (chc's readers found a self-assessment in it).
        format: pdf / docx / html / text as sniffed from the bytes; None if unknown.
        reason: a sentence: what was found, or why the file was left out.
        error_code: the pipeline's status or error code when left out.
    """

    keep: bool
    format: str | None
    reason: str
    error_code: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UrlOutcome:
    """What happened to one URL of a site.

    Attributes:
        url: the URL as linked (or the start page).
        final_url: where the content came from after redirects ("" if not fetched).
        depth: link hops from the start page.
        status: kept (a self-assessment in DIR), left_out (read; not a self-assessment),
            disallowed (robots.txt), skipped (not fetched: other site, scheme, limit),
            failed (could not be fetched or read).
        fetch: downloaded (a 200 answer), not_modified (304: the cached copy was used),
            none (nothing fetched).
        new_file: a file was written to DIR (a new document or a new version of one).
        file: the kept file, relative to DIR.
        format: pdf / docx / html / text as sniffed from the bytes.
        http_status: the last HTTP status seen, if any.
        reason: a sentence saying why (always set unless kept).
        error_code: the ChcError code of a failure.
    """

    url: str
    final_url: str = ""
    depth: int = 0
    status: UrlStatus
    fetch: Fetch = "none"
    new_file: bool = False
    file: str | None = None
    format: str | None = None
    http_status: int | None = None
    reason: str = ""
    error_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON and the log."""
        return {
            "url": self.url,
            "final_url": self.final_url,
            "depth": self.depth,
            "status": self.status,
            "fetch": self.fetch,
            "new_file": self.new_file,
            "file": self.file,
            "format": self.format,
            "http_status": self.http_status,
            "reason": self.reason,
            "error_code": self.error_code,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteResult:
    """One site's crawl.

    Attributes:
        status: ok (at least one self-assessment kept), nothing_found (crawled, none
            found, nothing failed), failed (start page or robots.txt unusable, or links
            failed and nothing was kept).
        reason: a sentence for nothing_found and failed.
    """

    site: Site
    slug: str
    status: SiteStatus
    reason: str = ""
    outcomes: tuple[UrlOutcome, ...] = ()

    def count(self, status: UrlStatus) -> int:
        """Number of URLs that ended with ``status``."""
        return sum(1 for o in self.outcomes if o.status == status)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "landlord": self.site.landlord,
            "landlord_type": self.site.landlord_type,
            "url": self.site.url,
            "folder": self.slug,
            "status": self.status,
            "reason": self.reason,
            "kept": self.count("kept"),
            "failed": self.count("failed"),
            "urls": [o.as_dict() for o in self.outcomes],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class CollectSummary:
    """The result of a whole ``chc collect`` run; the exit code comes from it."""

    out: str
    sites: tuple[SiteResult, ...] = ()
    seconds: float = 0.0
    manifest_rows: int = 0

    @property
    def exit_code(self) -> int:
        """1 when at least one site failed, else 0."""
        return 1 if any(s.status == "failed" for s in self.sites) else 0

    def totals(self) -> dict[str, int]:
        """Counts over every URL of every site."""
        every = [o for s in self.sites for o in s.outcomes]
        return {
            "sites": len(self.sites),
            "sites_failed": sum(1 for s in self.sites if s.status == "failed"),
            "sites_nothing_found": sum(1 for s in self.sites if s.status == "nothing_found"),
            "urls": len(every),
            "downloaded": sum(1 for o in every if o.fetch == "downloaded"),
            "not_modified": sum(1 for o in every if o.fetch == "not_modified"),
            "kept": sum(1 for o in every if o.status == "kept"),
            "new_files": sum(1 for o in every if o.new_file),
            "left_out": sum(1 for o in every if o.status == "left_out"),
            "disallowed": sum(1 for o in every if o.status == "disallowed"),
            "skipped": sum(1 for o in every if o.status == "skipped"),
            "failed": sum(1 for o in every if o.status == "failed"),
            "manifest_rows": self.manifest_rows,
        }

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "out": self.out,
            "seconds": self.seconds,
            "totals": self.totals(),
            "sites": [s.as_dict() for s in self.sites],
        }
