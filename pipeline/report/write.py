"""``chc report``: database -> figures -> ``index.html``, Markdown and CSV files."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from pipeline import store
from pipeline.report.benchmark import Benchmark, compute_benchmark
from pipeline.report.outline import body_sections, front_sections, scorecard_sections
from pipeline.report.render_html import render_html
from pipeline.report.render_md import ReportMeta, render_markdown

TITLE = "Complaint Handling Code self-assessments: sector benchmark"


def _meta(bench: Benchmark, db_path: Path, generated: datetime) -> ReportMeta:
    a = bench.landlords
    return ReportMeta(
        title=TITLE,
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"),
        chc_version=metadata.version("chc"),
        database=db_path.name,
        documents=int(bench.overview.set_index("measure")["value"]["documents stored"]),
        landlords=int(a["landlord"].nunique()),
        assessments=len(a),
    )


def write_tables(bench: Benchmark, out_dir: Path) -> list[Path]:
    """Every table of the benchmark as ``<name>.csv`` (UTF-8 with BOM, for Excel)."""
    written = []
    for field in fields(bench):
        target = out_dir / f"{field.name}.csv"
        getattr(bench, field.name).to_csv(
            target, index=False, encoding="utf-8-sig", lineterminator="\n"
        )
        written.append(target)
    return written


def write_report(db_path: Path, out_dir: Path, *, generated: datetime | None = None) -> list[Path]:
    """Write the sector benchmark from a chc database.

    Files: ``index.html`` (self-contained: charts inline, no link outside the page),
    ``benchmark.md`` (the sector tables), ``scorecards.md`` (per landlord) and one CSV per
    table of the benchmark.

    Args:
        db_path: the DuckDB database (current schema; ``chc init`` migrates an old one).
        out_dir: folder to write to (created if missing).
        generated: the time stamped on the report (default: now).

    Returns:
        The files written, sorted.

    Raises:
        UsageError: the database cannot be read, or out_dir cannot be created.
    """
    con = store.open_for_reading(db_path)
    try:
        data = store.read_report_data(con)
    finally:
        con.close()
    bench = compute_benchmark(data)
    meta = _meta(bench, db_path, generated or datetime.now(UTC))
    store.make_out_dir(out_dir)
    sector = [*front_sections(bench), *body_sections(bench)]
    landlords = scorecard_sections(bench)
    page = out_dir / "index.html"
    page.write_text(render_html(meta, [*sector, *landlords], bench), encoding="utf-8")
    markdown = out_dir / "benchmark.md"
    markdown.write_text(render_markdown(meta, sector, bench), encoding="utf-8")
    cards = out_dir / "scorecards.md"
    cards.write_text(render_markdown(meta, landlords, bench), encoding="utf-8")
    return sorted([page, markdown, cards, *write_tables(bench, out_dir)])
