"""pipeline/collect/crawl.py end to end, against the fake landlord site on 127.0.0.1
(tests/fixtures/collect/fake_site.py): what is kept, robots.txt, every failure with its
reason, politeness, a rerun answered by 304s, ingest of the collected folder."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import itertools
import pickle
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from fake_site import LANDLORD, SLOW_SECONDS, LiveSite, Logged, live
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.collect.crawl import collect
from pipeline.collect.records import CollectOptions, CollectSummary, Site, UrlOutcome, Verdict

OPTIONS = CollectOptions(delay=0.02, timeout=0.3, max_bytes=300_000)
SLUG = "tamworth-borough-council"
SECTIONS = {f"/complaints/self-assessment/section-{n}" for n in range(1, 10)}
KEPT = SECTIONS | {
    "/complaints/self-assessment.pdf",
    "/documents/tamworth-self-assessment-2024.docx",
    "/download?doc=accessible",
}
LEFT_OUT = {
    "/complaints",
    "/complaints/self-assessment",
    "/complaints/leaflet.pdf",
    "/documents/annual-accounts-2023-24.pdf",
}
FAILED = {
    "/complaints/self-assessment-2022.pdf": ("http_status", "answered 404 Not Found"),
    "/complaints/summary": ("fetch_timeout", "no answer within 0.3 s (timed out)"),
    "/complaints/old-form": ("redirect", "redirect loop"),
    "/complaints/self-assessment-full.pdf": ("too_large", "larger than the 0.3 MB cap"),
}
NEVER_REQUESTED = ["/private/draft-self-assessment.pdf", "/council-tax", "/bins", "/privacy"]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def by_path(summary: CollectSummary) -> dict[str, UrlOutcome]:
    return {path_of(o.url): o for s in summary.sites for o in s.outcomes}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Runs:
    """What two collect runs into one folder produced, and what the site saw."""

    base: str
    out: Path
    first: CollectSummary
    second: CollectSummary
    first_log: list[Logged]
    second_log: list[Logged]
    refused: list[str]
    manifest_after_first: str
    files_after_first: dict[str, str]

    def requests_to(self, path: str) -> list[Logged]:
        every = self.first_log + self.second_log
        return [r for r in every if r.path + (f"?{r.query}" if r.query else "") == path]


def crawl_twice(out: Path) -> Runs:
    with live() as site:
        start = site.url("/complaints")
        sites = (Site(landlord=LANDLORD, landlord_type="council", url=start, line=2),)
        first = collect(sites, out, OPTIONS)
        first_log = list(site.site.log)
        manifest = (out / "manifest.csv").read_text(encoding="utf-8")
        files = {p.name: digest(p) for p in (out / SLUG).iterdir()}
        second = collect(sites, out, OPTIONS)
        second_log = site.site.log[len(first_log) :]
        return Runs(
            site.url(""), out, first, second, first_log, second_log, list(site.refused),
            manifest, files,
        )  # fmt: skip


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Runs:
    """The fake site collected twice into the same folder (the second run is a rerun).

    Crawled once per test session: under pytest-xdist the first worker to get here
    crawls and leaves the result in the session's shared temporary folder for the other.
    """
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    result = root / "collect-runs.pickle"
    with (root / "collect-runs.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            result.write_bytes(pickle.dumps(crawl_twice(root / "collect-runs" / "downloads")))
    loaded: Runs = pickle.loads(result.read_bytes())
    return loaded


def test_exactly_the_self_assessments_are_kept(runs: Runs) -> None:
    outcomes = by_path(runs.first)
    assert {p for p, o in outcomes.items() if o.status == "kept"} == KEPT
    assert {p for p, o in outcomes.items() if o.status == "left_out"} == LEFT_OUT
    assert all(o.new_file for o in outcomes.values() if o.status == "kept")
    kept_files = sorted(p.name for p in (runs.out / SLUG).iterdir())
    assert kept_files == sorted(
        [f"section-{n}.html" for n in range(1, 10)]
        + ["chc-self-assessment-2024.pdf", "tamworth-self-assessment-2024.docx"]
        + ["download-doc-accessible.docx"]
    )
    accounts = outcomes["/documents/annual-accounts-2023-24.pdf"]
    assert accounts.format == "pdf"
    assert accounts.reason.startswith("no self-assessment table found")
    assert runs.first.sites[0].status == "ok"
    assert runs.first.exit_code == 0


def test_manifest_lists_every_kept_file_with_landlord_and_final_url(runs: Runs) -> None:
    rows = read_csv(runs.out / "manifest.csv")
    assert [list(r) for r in rows[:1]] == [
        ["file", "landlord", "landlord_type", "assessment_year", "url"]
    ]
    assert len(rows) == len(KEPT)
    for row in rows:
        assert (runs.out / row["file"]).is_file()
        assert row["file"].startswith(f"{SLUG}/")
        assert (row["landlord"], row["landlord_type"], row["assessment_year"]) == (
            LANDLORD,
            "council",
            "",
        )
    urls = {row["file"]: path_of(row["url"]) for row in rows}
    # The PDF was linked as /complaints/self-assessment.pdf: the manifest names the
    # URL its bytes came from, after the redirect.
    assert urls[f"{SLUG}/chc-self-assessment-2024.pdf"] == "/media/chc-self-assessment-2024.pdf"
    assert urls[f"{SLUG}/section-4.html"] == "/complaints/self-assessment/section-4"


def test_robots_txt_is_honoured(runs: Runs) -> None:
    assert runs.first_log[0].path == "/robots.txt"
    outcome = by_path(runs.first)["/private/draft-self-assessment.pdf"]
    assert outcome.status == "disallowed"
    assert outcome.error_code == "robots_disallowed"
    assert "robots.txt does not allow chc" in outcome.reason
    assert not runs.requests_to("/private/draft-self-assessment.pdf")


def test_every_failure_is_reported_with_its_reason(runs: Runs) -> None:
    outcomes = by_path(runs.first)
    failed = {p: o for p, o in outcomes.items() if o.status == "failed"}
    assert set(failed) == set(FAILED)
    for path, (code, words) in FAILED.items():
        assert failed[path].error_code == code, path
        assert failed[path].reason.startswith(runs.base + path), path
        assert words in failed[path].reason, (path, failed[path].reason)
    # The log holds the last run (the rerun): the same failures, every reason a sentence.
    rerun = by_path(runs.second)
    assert {p for p, o in rerun.items() if o.status == "failed"} == set(FAILED)
    log = {path_of(r["url"]): r for r in read_csv(runs.out / "collect-log.csv")}
    assert set(log) == set(rerun)
    for path, row in log.items():
        assert row["reason"] == rerun[path].reason
        assert row["reason"].endswith("."), (path, row["reason"])


def test_content_type_is_sniffed_from_the_bytes(runs: Runs) -> None:
    outcomes = by_path(runs.first)
    word = outcomes["/download?doc=accessible"]  # a Word file served as text/html
    assert (word.status, word.format, word.file) == (
        "kept",
        "docx",
        f"{SLUG}/download-doc-accessible.docx",
    )
    leaflet = outcomes["/complaints/leaflet.pdf"]  # an HTML page served as application/pdf
    assert (leaflet.status, leaflet.format) == ("left_out", "html")


def test_429_is_retried_after_retry_after(runs: Runs) -> None:
    tries = [r for r in runs.first_log if r.path == "/complaints/self-assessment/section-9"]
    assert [r.status for r in tries] == [429, 200]
    assert tries[1].started - tries[0].ended >= 0.95  # Retry-After: 1
    assert by_path(runs.first)["/complaints/self-assessment/section-9"].status == "kept"


def test_requests_are_polite(runs: Runs) -> None:
    log = runs.first_log + runs.second_log
    assert all(r.headers["User-Agent"].startswith("chc/") for r in log)
    # The start page sets a cookie; it is never sent back, nor any credentials.
    assert not [r for r in log if "Cookie" in r.headers or "Authorization" in r.headers]
    # One request at a time, each at least --delay after the previous answer ended. The
    # slow page is left out: its handler sleeps on after chc has given up on it.
    timed = sorted((r for r in log if r.path != "/complaints/summary"), key=lambda r: r.started)
    gaps = [b.started - a.ended for a, b in itertools.pairwise(timed)]
    assert min(gaps) >= OPTIONS.delay
    assert OPTIONS.timeout < SLOW_SECONDS


def test_only_relevant_links_on_the_same_site_are_followed(runs: Runs) -> None:
    for path in NEVER_REQUESTED:
        assert not runs.requests_to(path), path
    ombudsman = by_path(runs.first)["/"]
    assert ombudsman.url == "http://ombudsman.example/"
    assert ombudsman.status == "skipped"
    assert "another site" in ombudsman.reason
    assert runs.refused == []


def test_a_rerun_downloads_nothing(runs: Runs) -> None:
    first, second = runs.first.totals(), runs.second.totals()
    assert first["downloaded"] == 16
    assert (second["downloaded"], second["not_modified"], second["new_files"]) == (0, 16, 0)
    downloaded = {
        path_of(o.final_url)
        for s in runs.first.sites
        for o in s.outcomes
        if o.fetch == "downloaded"
    }
    answers = {}
    for r in runs.second_log:
        answers[r.path + (f"?{r.query}" if r.query else "")] = r.status
    assert {p: answers[p] for p in downloaded} == dict.fromkeys(downloaded, 304)
    assert answers["/robots.txt"] == 304
    assert by_path(runs.second)["/complaints/self-assessment/section-3"].file == (
        f"{SLUG}/section-3.html"
    )
    assert (runs.out / "manifest.csv").read_text(encoding="utf-8") == runs.manifest_after_first
    assert {p.name: digest(p) for p in (runs.out / SLUG).iterdir()} == runs.files_after_first


@pytest.mark.slow
def test_ingest_stores_them_with_their_urls_and_landlord_then_report(
    runs: Runs, tmp_path: Path
) -> None:
    """The README's path after ``chc collect``: ``chc ingest DIR --manifest
    DIR/manifest.csv`` then ``chc report``, through the CLI."""
    db = tmp_path / "chc.duckdb"
    out = str(runs.out)
    ingest = ["ingest", out, "--manifest", f"{out}/manifest.csv", "--db", str(db)]
    ingested = CliRunner().invoke(app, [*ingest, "--workers", "1", "--no-progress"])
    assert ingested.exit_code == 0, ingested.stderr
    assert f"{len(KEPT)} stored ok, 0 without a self-assessment, 0 failed" in ingested.stderr
    expected = {Path(r["file"]).name: r["url"] for r in read_csv(runs.out / "manifest.csv")}
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT source_path, url, landlord, landlord_inferred, status FROM documents"
        ).fetchall()
    finally:
        con.close()
    assert {Path(r[0]).name: r[1] for r in rows} == expected
    assert {(r[2], r[3], r[4]) for r in rows} == {(LANDLORD, False, "ok")}
    reported = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "r")])
    assert reported.exit_code == 0, reported.stderr
    assert (tmp_path / "r" / "benchmark.md").is_file()


def keep_html_only(path: Path) -> Verdict:
    """A fast stand-in for the pipeline: keeps HTML files, leaves the rest out."""
    html = path.suffix == ".html"
    return Verdict(keep=html, format=None, reason="test judge.", error_code=None if html else "x")


def test_a_changed_file_keeps_both_versions(live_site: LiveSite, tmp_path: Path) -> None:
    path = "/complaints/self-assessment/section-1"
    sites = (Site(landlord=LANDLORD, landlord_type=None, url=live_site.url(path), line=2),)
    options = CollectOptions(delay=0.0, depth=0)
    collect(sites, tmp_path, options, judge=keep_html_only)
    old = (tmp_path / SLUG / "section-1.html").read_bytes()
    resource = live_site.site.resources[path]
    resource.body = resource.body.replace(b"<td>Yes</td>", b"<td>No</td>", 1)
    assert resource.body != old
    again = collect(sites, tmp_path, options, judge=keep_html_only)
    outcome = again.sites[0].outcomes[0]
    assert (outcome.fetch, outcome.status, outcome.new_file) == ("downloaded", "kept", True)
    assert outcome.reason.startswith("Changed since the last run")
    new_name = f"section-1-{hashlib.sha256(resource.body).hexdigest()[:8]}.html"
    assert outcome.file == f"{SLUG}/{new_name}"
    assert (tmp_path / SLUG / "section-1.html").read_bytes() == old
    assert (tmp_path / SLUG / new_name).read_bytes() == resource.body
    rows = read_csv(tmp_path / "manifest.csv")
    assert sorted((r["file"], path_of(r["url"])) for r in rows) == sorted(
        [(f"{SLUG}/section-1.html", path), (f"{SLUG}/{new_name}", path)]
    )


def test_depth_bounds_the_crawl(live_site: LiveSite, tmp_path: Path) -> None:
    sites = (Site(landlord=LANDLORD, landlord_type=None, url=live_site.url("/complaints"), line=2),)
    options = CollectOptions(delay=0.0, timeout=0.2, depth=1)
    summary = collect(sites, tmp_path, options, judge=keep_html_only)
    assert "/complaints/self-assessment" in by_path(summary)
    assert not [r for r in live_site.site.log if r.path.startswith("/complaints/self-assessment/")]


def test_max_pages_stops_a_site_and_says_so(live_site: LiveSite, tmp_path: Path) -> None:
    sites = (Site(landlord=LANDLORD, landlord_type=None, url=live_site.url("/complaints"), line=2),)
    options = CollectOptions(delay=0.0, depth=1, max_pages=3)
    summary = collect(sites, tmp_path, options, judge=keep_html_only)
    fetched = [o for o in summary.sites[0].outcomes if o.status != "skipped"]
    limited = [o for o in summary.sites[0].outcomes if "--max-pages" in o.reason]
    assert len(fetched) == 3
    assert len(limited) == 9  # the other same-site links of the complaints page


def test_a_failed_site_sets_the_exit_code_and_the_others_are_collected(
    live_site: LiveSite, tmp_path: Path
) -> None:
    sites = (
        Site(landlord="Gone Homes", landlord_type=None, url=live_site.url("/gone"), line=2),
        Site(
            landlord=LANDLORD,
            landlord_type=None,
            url=live_site.url("/complaints/self-assessment/section-2"),
            line=3,
        ),
        Site(landlord="Quiet Council", landlord_type=None, url=live_site.url("/bins"), line=4),
    )
    summary = collect(sites, tmp_path, CollectOptions(delay=0.0, depth=0), judge=keep_html_only)
    gone, tamworth, quiet = summary.sites
    assert gone.status == "failed"
    assert gone.reason.startswith(f"The start page could not be used: {live_site.url('/gone')}")
    assert "404 Not Found" in gone.reason
    assert tamworth.status == "ok"
    assert quiet.status == "ok"  # the fast judge keeps every HTML page
    assert summary.exit_code == 1
    assert [r["file"] for r in read_csv(tmp_path / "manifest.csv")] == [
        "quiet-council/bins.html",
        f"{SLUG}/section-2.html",
    ]


def test_a_site_with_nothing_found_is_not_a_failure(live_site: LiveSite, tmp_path: Path) -> None:
    sites = (
        Site(landlord="Quiet Council", landlord_type=None, url=live_site.url("/bins"), line=2),
    )
    summary = collect(sites, tmp_path, CollectOptions(delay=0.0, depth=0))
    assert summary.sites[0].status == "nothing_found"
    assert summary.sites[0].reason.startswith("No self-assessment was found among the 1 pages")
    assert summary.exit_code == 0
    assert read_csv(tmp_path / "manifest.csv") == []
