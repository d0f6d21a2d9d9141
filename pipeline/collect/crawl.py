"""The crawl: each site's start page, then relevant same-site links to a bounded depth;
every download judged by chc's pipeline; kept files, manifest and log written to DIR.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import httpx

from pipeline.collect.cache import CollectCache, file_name, sha256_of
from pipeline.collect.fetch import Fetched, HttpFetcher, make_client
from pipeline.collect.links import Link, on_site, page_links, site_root
from pipeline.collect.manifest import write_log, write_manifest
from pipeline.collect.polite import HostClock
from pipeline.collect.recognise import recognise, without_path
from pipeline.collect.records import (
    CollectOptions,
    CollectSummary,
    Site,
    SiteResult,
    SiteStatus,
    UrlOutcome,
    Verdict,
)
from pipeline.collect.robots import RobotsPolicy
from pipeline.collect.sites import slugify
from pipeline.errors import (
    CollectError,
    HttpStatusError,
    ReadError,
    RobotsDisallowedError,
    UsageError,
)
from pipeline.extract import sniff_format

Recogniser = Callable[[Path], Verdict]
Progress = Callable[[Site | UrlOutcome | SiteResult], None]
DEFAULTS = CollectOptions()


def _allow_any(url: str) -> None:
    """robots.txt itself is always fetched."""


class _Crawler:
    """Holds what the sites of one run share: cache, clock, client, robots rules."""

    def __init__(
        self,
        cache: CollectCache,
        options: CollectOptions,
        client: httpx.Client,
        clock: HostClock,
        judge: Recogniser,
        progress: Progress,
    ) -> None:
        self.cache = cache
        self.options = options
        self.judge = judge
        self.progress = progress
        self.fetcher = HttpFetcher(client, options, clock)
        self.robots = RobotsPolicy(self._robots_text, options.user_agent, clock, options.max_wait)

    def _robots_text(self, url: str) -> str:
        fetched = self.fetcher.get(url, allow=_allow_any, validators=self.cache.validators)
        if fetched.status == 304:
            sha = self.cache.content_of(fetched.final_url) or ""
            return (self.cache.body(sha) or b"").decode("utf-8", errors="replace")
        sha = sha256_of(fetched.body)
        self.cache.store_body(sha, fetched.body)
        self.cache.remember(fetched, sha, "robots")
        return fetched.body.decode("utf-8", errors="replace")

    def crawl(self, site: Site) -> SiteResult:
        """Visit one site breadth-first; every URL visited or passed over is reported."""
        slug = slugify(site.landlord)
        root = site_root(site.url)
        queue: deque[tuple[str, int]] = deque([(site.url, 0)])
        seen = {site.url}
        outcomes: list[UrlOutcome] = []

        def record(outcome: UrlOutcome) -> None:
            outcomes.append(outcome)
            self.progress(outcome)

        fetched = 0
        while queue:
            url, depth = queue.popleft()
            if fetched >= self.options.max_pages:
                record(_skipped(url, depth, f"the limit of {fetched} URLs per site (--max-pages)"))
                continue
            fetched += 1
            outcome, links = self._visit(site, slug, url, depth)
            record(outcome)
            seen.add(outcome.final_url)
            if depth >= self.options.depth:
                continue
            for link in links:
                if not link.relevant or link.url in seen:
                    continue
                seen.add(link.url)
                reason = _off_limits(link, root)
                if reason:
                    record(_skipped(link.url, depth + 1, reason))
                else:
                    queue.append((link.url, depth + 1))
        status, reason = _site_status(site, outcomes)
        return SiteResult(
            site=site, slug=slug, status=status, reason=reason, outcomes=tuple(outcomes)
        )

    def _visit(
        self, site: Site, slug: str, url: str, depth: int
    ) -> tuple[UrlOutcome, tuple[Link, ...]]:
        try:
            fetched = self.fetcher.get(
                url, allow=self.robots.check, validators=self.cache.validators
            )
        except RobotsDisallowedError as err:
            return _problem(url, depth, "disallowed", err), ()
        except CollectError as err:
            return _problem(url, depth, "failed", err), ()
        if fetched.status == 304:
            return self._unchanged(slug, fetched, depth)
        return self._downloaded(site, slug, fetched, depth)

    def _unchanged(
        self, slug: str, fetched: Fetched, depth: int
    ) -> tuple[UrlOutcome, tuple[Link, ...]]:
        sha = self.cache.content_of(fetched.final_url) or ""
        verdict = self.cache.verdict(sha) or Verdict(keep=False, format=None, reason="")
        kept = self.cache.kept_copy(sha, slug) or self.cache.kept_copy(sha)
        body = self.cache.body(sha) if verdict.format == "html" else None
        outcome = UrlOutcome(
            url=fetched.url,
            final_url=fetched.final_url,
            depth=depth,
            status="kept" if verdict.keep else "left_out",
            fetch="not_modified",
            file=kept.file if verdict.keep and kept else None,
            format=verdict.format,
            http_status=304,
            reason=f"Not modified since the last run (304); {verdict.reason}",
            error_code=verdict.error_code,
        )
        return outcome, page_links(body, fetched.final_url) if body else ()

    def _downloaded(
        self, site: Site, slug: str, fetched: Fetched, depth: int
    ) -> tuple[UrlOutcome, tuple[Link, ...]]:
        body = fetched.body
        sha = sha256_of(body)
        previous = self.cache.content_of(fetched.final_url)
        verdict = self.cache.verdict(sha)
        staged: Path | None = None
        if verdict is None:
            staged, verdict = self._judge(fetched, sha)
            self.cache.remember_verdict(sha, verdict)
        page = verdict.format == "html"
        if page:
            self.cache.store_body(sha, body)
        self.cache.remember(fetched, sha, "page" if page else "file")
        kept_file, new_file = None, False
        if verdict.keep:
            if staged is None:
                staged = self.cache.staging(file_name(fetched.final_url, verdict.format or ""))
                staged.write_bytes(body)
            kept, new_file = self.cache.keep(
                staged,
                sha=sha,
                url=fetched.final_url,
                slug=slug,
                landlord=site.landlord,
                kind=site.landlord_type,
            )
            kept_file = kept.file
        elif staged is not None:
            staged.unlink(missing_ok=True)
        note = ""
        if previous is not None and previous != sha:
            note = "Changed since the last run; any earlier version kept stays. "
        elif previous == sha:
            note = "Downloaded again (the server sent no validators); same content. "
        outcome = UrlOutcome(
            url=fetched.url,
            final_url=fetched.final_url,
            depth=depth,
            status="kept" if verdict.keep else "left_out",
            fetch="downloaded",
            new_file=new_file,
            file=kept_file,
            format=verdict.format,
            http_status=200,
            reason=note + verdict.reason,
            error_code=verdict.error_code,
        )
        return outcome, page_links(body, fetched.final_url) if page else ()

    def _judge(self, fetched: Fetched, sha: str) -> tuple[Path | None, Verdict]:
        """Sniff the format from the bytes, name the file after it, ask the pipeline."""
        probe = self.cache.staging(f"{sha[:16]}.download")
        probe.write_bytes(fetched.body)
        try:
            fmt = sniff_format(probe)
        except ReadError as err:
            probe.unlink(missing_ok=True)
            reason = without_path(str(err), probe)
            return None, Verdict(keep=False, format=None, reason=reason, error_code=err.code)
        staged = probe.with_name(file_name(fetched.final_url, fmt))
        os.replace(probe, staged)
        return staged, replace(self.judge(staged), format=fmt)


def _skipped(url: str, depth: int, why: str) -> UrlOutcome:
    return UrlOutcome(url=url, depth=depth, status="skipped", reason=f"Not fetched: {why}.")


def _problem(url: str, depth: int, status: str, err: CollectError) -> UrlOutcome:
    return UrlOutcome(
        url=url,
        depth=depth,
        status="disallowed" if status == "disallowed" else "failed",
        http_status=err.status if isinstance(err, HttpStatusError) else None,
        reason=str(err),
        error_code=err.code,
    )


def _off_limits(link: Link, root: str) -> str:
    if not link.url.lower().startswith(("http://", "https://")):
        return "only http and https links are followed"
    if not on_site(link.url, root):
        return f"it is on another site than {root}"
    return ""


def _site_status(site: Site, outcomes: Sequence[UrlOutcome]) -> tuple[SiteStatus, str]:
    start = outcomes[0]
    if start.status in ("failed", "disallowed"):
        return "failed", f"The start page could not be used: {start.reason}"
    if any(o.status == "kept" for o in outcomes):
        return "ok", ""
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        return "failed", (
            f"No self-assessment was kept from {site.url} and {len(failed)} of its links "
            f"failed; the first: {failed[0].reason}"
        )
    fetched = sum(1 for o in outcomes if o.fetch != "none")
    return "nothing_found", (
        f"No self-assessment was found among the {fetched} pages and files fetched from "
        f"{site.url}. Check that it is the right start page, or raise --depth."
    )


def collect(
    sites: Sequence[Site],
    out: Path,
    options: CollectOptions = DEFAULTS,
    *,
    client: httpx.Client | None = None,
    clock: HostClock | None = None,
    judge: Recogniser = recognise,
    progress: Progress | None = None,
) -> CollectSummary:
    """Collect the self-assessments of every site into ``out``.

    Args:
        sites: from ``load_sites``.
        out: the folder for ``<landlord-slug>/<file>``, ``manifest.csv``, the log and
            the cache (``.chc-collect/``); created if missing.
        options: politeness and limits.
        client: the httpx client (default ``make_client(options)``).
        clock: per-host spacing (default: ``options.delay`` with real time).
        judge: says whether a downloaded file is a self-assessment (default: the pipeline).
        progress: called with each Site as it starts, each UrlOutcome, each SiteResult.

    Returns:
        The summary; its ``exit_code`` is 1 when a site failed.

    Raises:
        UsageError: ``out`` cannot be created, or its cache cannot be read.
    """
    started = time.perf_counter()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(
            f"Cannot create the folder {out}: {err.strerror}.", "Check --out."
        ) from err
    cache = CollectCache(out)
    http = client or make_client(options)
    report = progress or (lambda event: None)
    crawler = _Crawler(cache, options, http, clock or HostClock(options.delay), judge, report)
    results: list[SiteResult] = []
    try:
        for site in sites:
            report(site)
            result = crawler.crawl(site)
            cache.save()
            results.append(result)
            report(result)
    finally:
        if client is None:
            http.close()
        shutil.rmtree(cache.folder / "staging", ignore_errors=True)
    kept = cache.kept_files()
    write_manifest(out, kept)
    write_log(out, results)
    return CollectSummary(
        out=str(out),
        sites=tuple(results),
        seconds=round(time.perf_counter() - started, 2),
        manifest_rows=len(kept),
    )
