"""chc itself on the sector: ``chc ingest`` at a given worker count, ``chc report``, and
what the database says about the run (per-document seconds, pages, peak memory).

Both commands run as a user runs them (the ``chc`` console script in a subprocess), so
their wall times include start-up; the per-document figures come from the
``documents`` table, where every worker records the seconds and peak resident memory
of each document it processed.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestRun:
    """One ``chc ingest`` of the whole sector into a fresh database.

    Attributes:
        workers: worker processes.
        seconds: wall time of the command.
        exit_code: the command's exit code.
        docs: documents stored (any status).
        pages: PDF pages stored.
        statuses: documents per status.
        pdf_seconds: sum of the per-document seconds of the PDFs (worker time).
        pdf_docs: PDFs stored.
        peak_rss_mb: highest peak resident memory of a worker on one document.
        peak_rss_mb_first_tenth: the same over the first tenth of the documents
            stored, and ``..._last_tenth`` over the last tenth (flat memory: equal).
        load_before, load_after: one-minute load average around the run.
    """

    workers: int
    seconds: float
    exit_code: int
    docs: int
    pages: int
    statuses: dict[str, int]
    pdf_seconds: float
    pdf_docs: int
    peak_rss_mb: float
    peak_rss_mb_first_tenth: float
    peak_rss_mb_last_tenth: float
    load_before: float
    load_after: float


def run_ingest(chc: Path, documents: Path, manifest: Path, db: Path, workers: int) -> IngestRun:
    """``chc ingest documents --db db --manifest manifest --workers N`` into a new db."""
    db.unlink(missing_ok=True)
    Path(f"{db}.wal").unlink(missing_ok=True)
    command = [str(chc), "ingest", str(documents), "--db", str(db), "--manifest", str(manifest)]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    # Run outside any checkout: chc's worker processes import ``pipeline`` from the
    # working directory first, so a run from another checkout would measure this one.
    done = subprocess.run(
        [*command, "--workers", str(workers)],
        capture_output=True,
        text=True,
        check=False,
        cwd=db.parent,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"chc ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    con = duckdb.connect(str(db), read_only=True)
    try:
        return IngestRun(
            workers=workers,
            seconds=seconds,
            exit_code=done.returncode,
            load_before=load_before,
            load_after=os.getloadavg()[0],
            **_stats(con),
        )
    finally:
        con.close()


def _stats(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    def one(sql: str) -> tuple[object, ...]:
        row = con.execute(sql).fetchone()
        assert row is not None
        return tuple(row)

    docs, pages = one("SELECT count(*), coalesce(sum(pages), 0) FROM documents")
    pdf_docs, pdf_seconds = one(
        "SELECT count(*), coalesce(sum(seconds), 0) FROM documents WHERE format = 'pdf'"
    )
    statuses = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY 1").fetchall())
    # Peak memory over the first and the last tenth of the documents, in storing order.
    tenths = con.execute(
        """
        SELECT max(peak_memory_mb) FILTER (WHERE tenth = 1),
               max(peak_memory_mb) FILTER (WHERE tenth = 10),
               max(peak_memory_mb)
        FROM (SELECT peak_memory_mb, ntile(10) OVER (ORDER BY ingested_at) AS tenth
              FROM documents)
        """
    ).fetchone()
    assert tenths is not None
    first, last, peak = (float(v or 0.0) for v in tenths)
    return {
        "docs": int(docs),  # type: ignore[call-overload]
        "pages": int(pages),  # type: ignore[call-overload]
        "statuses": {str(k): int(v) for k, v in statuses.items()},
        "pdf_docs": int(pdf_docs),  # type: ignore[call-overload]
        "pdf_seconds": float(pdf_seconds),  # type: ignore[arg-type]
        "peak_rss_mb": peak,
        "peak_rss_mb_first_tenth": first,
        "peak_rss_mb_last_tenth": last,
    }


def run_report(chc: Path, db: Path, out: Path) -> float:
    """Wall seconds of ``chc report --db db --out out``."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(chc), "report", "--db", str(db), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=db.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"chc report failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - started
