"""pipeline/collect/manifest.py: the manifest ``chc ingest --manifest`` reads, the log."""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline import batch
from pipeline.collect.cache import KeptFile
from pipeline.collect.manifest import write_log, write_manifest
from pipeline.collect.records import Site, SiteResult, UrlOutcome


def test_the_manifest_is_read_back_by_ingest(tmp_path: Path) -> None:
    kept = [
        KeptFile(
            file="st-leger-homes-doncaster/form.docx",
            sha256="a" * 64,
            url="https://www.stlegerhomes.co.uk/media/form.docx",
            landlord="St Leger Homes (Doncaster)",
            landlord_type="almo",
            slug="st-leger-homes-doncaster",
        ),
        KeptFile(
            file="some-homes/index.html",
            sha256="b" * 64,
            url="http://somehomes.example/",
            landlord="Some Homes, Ltd",
            landlord_type=None,
            slug="some-homes",
        ),
    ]
    manifest = batch.load_manifest(write_manifest(tmp_path, kept))
    assert [
        (e.file, e.landlord, e.landlord_type, e.assessment_year, e.url) for e in manifest.entries
    ] == [
        (
            "st-leger-homes-doncaster/form.docx",
            "St Leger Homes (Doncaster)",
            "almo",
            None,
            kept[0].url,
        ),
        ("some-homes/index.html", "Some Homes, Ltd", None, None, "http://somehomes.example/"),
    ]
    entry = manifest.entry_for(tmp_path / "some-homes" / "index.html")
    assert entry is not None and entry.landlord == "Some Homes, Ltd"


def test_the_log_has_one_row_per_url_with_its_reason(tmp_path: Path) -> None:
    site = Site(landlord="A", landlord_type=None, url="https://a.example/", line=2)
    outcomes = (
        UrlOutcome(
            url="https://a.example/", status="left_out", fetch="downloaded", reason="no table."
        ),
        UrlOutcome(url="https://a.example/x.pdf", status="failed", http_status=404, reason="404."),
    )
    result = SiteResult(site=site, slug="a", status="failed", reason="x", outcomes=outcomes)
    with write_log(tmp_path, [result]).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [
        (r["landlord"], r["url"], r["status"], r["http_status"], r["reason"]) for r in rows
    ] == [
        ("A", "https://a.example/", "left_out", "", "no table."),
        ("A", "https://a.example/x.pdf", "failed", "404", "404."),
    ]
