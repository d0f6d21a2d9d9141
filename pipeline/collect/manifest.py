"""The files collect writes for people and for ``chc ingest``: manifest and log.

``DIR/manifest.csv`` is in the ``chc ingest --manifest`` format. ``assessment_year`` is
left blank: the ingest infers the year from the document's title lines and its file
name (which collect takes from the URL), and marks it inferred; a year guessed from a
link's wording would be no better and would not be marked so.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from pipeline.collect.cache import KeptFile
from pipeline.collect.records import SiteResult

MANIFEST_NAME = "manifest.csv"
LOG_NAME = "collect-log.csv"
MANIFEST_COLUMNS = ("file", "landlord", "landlord_type", "assessment_year", "url")
LOG_COLUMNS = (
    "landlord",
    "url",
    "final_url",
    "depth",
    "status",
    "fetch",
    "new_file",
    "file",
    "format",
    "http_status",
    "error_code",
    "reason",
)


def write_manifest(out: Path, kept: Sequence[KeptFile]) -> Path:
    """Write ``DIR/manifest.csv``: one row per kept file (every version), ``file``
    relative to DIR, with the landlord from SITES.csv and the URL it came from."""
    path = out / MANIFEST_NAME
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MANIFEST_COLUMNS)
        for k in kept:
            writer.writerow([k.file, k.landlord, k.landlord_type or "", "", k.url])
    return path


def write_log(out: Path, results: Sequence[SiteResult]) -> Path:
    """Write ``DIR/collect-log.csv``: every URL of this run, what happened and why."""
    path = out / LOG_NAME
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=LOG_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for result in results:
            for outcome in result.outcomes:
                row = outcome.as_dict()
                row["landlord"] = result.site.landlord
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return path
