"""pipeline/collect/progress.py: the lines chc collect prints on stderr."""

from __future__ import annotations

from pipeline.collect.progress import progress_lines, summary_line
from pipeline.collect.records import CollectSummary, Site, SiteResult, UrlOutcome

SITE = Site(landlord="A Council", landlord_type=None, url="https://a.example/complaints", line=2)
KEPT = UrlOutcome(
    url="https://a.example/f",
    final_url="https://a.example/media/f.pdf",
    status="kept",
    fetch="downloaded",
    new_file=True,
    file="a-council/f.pdf",
)
SAME = UrlOutcome(
    url="https://a.example/g", status="kept", fetch="not_modified", file="a-council/g.html"
)
FAILED = UrlOutcome(url="https://a.example/x", status="failed", reason="https://a.example/x: 404.")
ROBOTS = UrlOutcome(url="https://a.example/p", status="disallowed", reason="robots says no.")
LEFT = UrlOutcome(
    url="https://a.example/", status="left_out", fetch="downloaded", reason="no table."
)


def test_sites_kept_files_and_failures_are_told_left_out_pages_only_counted() -> None:
    line = progress_lines(2)
    result = SiteResult(
        site=SITE, slug="a-council", status="ok", outcomes=(LEFT, KEPT, SAME, FAILED, ROBOTS)
    )
    lines = [line(e) for e in (SITE, LEFT, KEPT, SAME, FAILED, ROBOTS, result)]
    assert lines == [
        "[1/2] A Council: https://a.example/complaints",
        None,
        "  kept       a-council/f.pdf  <- https://a.example/media/f.pdf",
        "  unchanged  a-council/g.html  (not modified)",
        "  failed     https://a.example/x: 404.",
        "  robots.txt robots says no.",
        "  3 fetched (2 downloaded, 1 not modified); 2 kept (1 new), 1 left out, "
        "1 disallowed, 1 failed.",
    ]


def test_a_failed_site_says_why() -> None:
    result = SiteResult(
        site=SITE,
        slug="a-council",
        status="failed",
        reason="The start page failed.",
        outcomes=(FAILED,),
    )
    text = progress_lines(1)(result)
    assert text is not None and text.endswith("\n  site failed: The start page failed.")


def test_the_summary_names_the_manifest_and_the_log() -> None:
    result = SiteResult(site=SITE, slug="a-council", status="ok", outcomes=(KEPT, SAME))
    summary = CollectSummary(out="downloads", sites=(result,), seconds=1.25, manifest_rows=2)
    assert summary_line(summary) == (
        "1 sites (0 failed, 0 without a self-assessment); 2 self-assessment files kept (1 new); "
        "1 downloaded, 1 not modified (304); 0 URLs failed (1.2 s).\n"
        "Manifest: downloads/manifest.csv (2 files); log of every URL: downloads/collect-log.csv."
    )
