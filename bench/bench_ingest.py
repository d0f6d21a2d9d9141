"""Benchmark of a whole batch ingest (run by ``make bench``; not a test).

Ingests the bundled corpus into a fresh temporary database with the real worker pool
and prints, per format, documents, pages, seconds and peak worker memory as recorded
in ``documents`` (the same figures a regulator's batch records), then the batch total
in documents per second and pages per second.

Usage: python bench/bench_ingest.py [--workers N] [CORPUS_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import duckdb

from pipeline.batch import ingest, load_manifest


def main(argv: list[str]) -> int:
    workers = int(argv[argv.index("--workers") + 1]) if "--workers" in argv else None
    args = [a for a in argv if not a.startswith("--") and not a.isdigit()]
    corpus = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "corpus"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        summary = ingest(
            [corpus],
            db,
            manifest=load_manifest(corpus / "manifest.csv"),
            workers=workers,
            progress=False,
        )
        con = duckdb.connect(str(db), read_only=True)
        rows = con.execute(
            """
            SELECT format, count(*) AS documents, sum(coalesce(pages, 0)) AS pages,
                   round(sum(seconds), 1) AS cpu_seconds,
                   round(max(seconds), 2) AS slowest_s,
                   round(max(peak_memory_mb), 0) AS peak_rss_mib
            FROM documents WHERE status = 'ok' GROUP BY format ORDER BY format
            """
        ).fetchall()
        pages = con.execute("SELECT sum(coalesce(pages, 0)) FROM documents").fetchone()
        con.close()
    print("| format | documents | pages | worker seconds | slowest s | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for fmt, docs, pg, cpu, slowest, peak in rows:
        print(f"| {fmt} | {docs} | {pg} | {cpu} | {slowest} | {peak} |")
    total_pages = int(pages[0] or 0) if pages else 0
    n = len(summary.outcomes)
    print(
        f"\nbatch: {n} documents ({summary.count('ok')} ok, {summary.count('failed')} failed) "
        f"in {summary.seconds:.1f} s wall = {n / summary.seconds:.2f} documents/s; "
        f"PDF pages {total_pages} ({total_pages / summary.seconds:.1f} pages/s overall)"
    )
    return 0 if summary.exit_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
