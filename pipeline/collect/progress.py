"""Lines of progress for stderr: each site as it starts, what was kept or failed, totals.

Left-out pages and skipped links are counted, not listed: the log has every URL.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.collect.manifest import LOG_NAME, MANIFEST_NAME
from pipeline.collect.records import CollectSummary, Site, SiteResult, UrlOutcome


def progress_lines(total: int) -> Callable[[Site | UrlOutcome | SiteResult], str | None]:
    """A function turning collect's progress events into lines (None: nothing to say).

    Args:
        total: the number of sites, for "[3/40]".
    """
    started = [0]

    def line(event: Site | UrlOutcome | SiteResult) -> str | None:
        if isinstance(event, Site):
            started[0] += 1
            return f"[{started[0]}/{total}] {event.landlord}: {event.url}"
        if isinstance(event, UrlOutcome):
            return _outcome_line(event)
        return _site_line(event)

    return line


def _outcome_line(outcome: UrlOutcome) -> str | None:
    if outcome.status == "kept":
        if outcome.new_file:
            return f"  kept       {outcome.file}  <- {outcome.final_url}"
        how = "not modified" if outcome.fetch == "not_modified" else "same content"
        return f"  unchanged  {outcome.file}  ({how})"
    if outcome.status == "failed":
        return f"  failed     {outcome.reason}"
    if outcome.status == "disallowed":
        return f"  robots.txt {outcome.reason}"
    return None


def _site_line(result: SiteResult) -> str:
    fetched = [o for o in result.outcomes if o.fetch != "none"]
    downloaded = sum(1 for o in fetched if o.fetch == "downloaded")
    new = sum(1 for o in result.outcomes if o.new_file)
    text = (
        f"  {len(fetched)} fetched ({downloaded} downloaded, {len(fetched) - downloaded} not "
        f"modified); {result.count('kept')} kept ({new} new), {result.count('left_out')} left "
        f"out, {result.count('disallowed')} disallowed, {result.count('failed')} failed."
    )
    if result.status != "ok":
        text += f"\n  {'site failed: ' if result.status == 'failed' else ''}{result.reason}"
    return text


def summary_line(summary: CollectSummary) -> str:
    """The closing lines: sites, files kept, what was downloaded, where things are."""
    t = summary.totals()
    return (
        f"{t['sites']} sites ({t['sites_failed']} failed, {t['sites_nothing_found']} without a "
        f"self-assessment); {t['kept']} self-assessment files kept ({t['new_files']} new); "
        f"{t['downloaded']} downloaded, {t['not_modified']} not modified (304); "
        f"{t['failed']} URLs failed ({summary.seconds:.1f} s).\n"
        f"Manifest: {summary.out}/{MANIFEST_NAME} ({t['manifest_rows']} files); "
        f"log of every URL: {summary.out}/{LOG_NAME}."
    )
