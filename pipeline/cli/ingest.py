"""``chc init``, ``chc ingest`` and ``chc status``: building the database and watching it."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pipeline import dbfile, store
from pipeline.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    app,
    echo_json,
    handles_errors,
    stderr_console,
    stdout_console,
)
from pipeline.errors import DatabaseInUseError
from pipeline.extract.limits import describe_defaults, parse_limits
from pipeline.reference import load_reference


@app.command(epilog="Example: chc init --db chc.duckdb")
@handles_errors
def init(db: DbOption = DEFAULT_DB) -> None:
    """Create the database schema and load the Code provisions and crosswalk (idempotent)."""
    con = store.open_db(db, load_reference())
    try:
        counts = store.table_counts(con)
    finally:
        con.close()
    stderr_console().print(
        f"{db}: schema version {store.SCHEMA_VERSION}; {counts['provisions']} provisions, "
        f"{counts['crosswalk']} crosswalk links.",
        highlight=False,
    )


@app.command(epilog="Example: chc ingest downloads/ --db chc.duckdb --manifest manifest.csv")
@handles_errors
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files and folders (searched recursively).", metavar="PATH"),
    ],
    db: DbOption = DEFAULT_DB,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="CSV with the columns file,landlord,landlord_type,assessment_year,url.",
            metavar="CSV",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Worker processes.", metavar="N", show_default="CPU count"),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", help="Seconds per document before it is failed.", metavar="SECONDS"
        ),
    ] = 120.0,
    force: Annotated[
        bool, typer.Option("--force", help="Re-ingest files that are already stored.")
    ] = False,
    limit: Annotated[
        list[str] | None,
        typer.Option(
            "--limit",
            help="NAME=VALUE, repeatable: a bound on each document; a file over one fails "
            f"as too_large or memory_limit. Defaults: {describe_defaults()}.",
            metavar="NAME=VALUE",
            show_default="the defaults listed",
        ),
    ] = None,
    ocr: Annotated[
        bool,
        typer.Option(
            "--ocr", help="OCR PDFs without a text layer (needs `make ocr`: OCRmyPDF, Tesseract)."
        ),
    ] = False,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar on stderr.")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Read every supported file (.pdf .docx .html .htm .txt .md) into the database.

    Exit code 0 when every file was stored or skipped as unchanged, 1 when at least one
    file failed (the others are still stored), 2 for a usage error, 130 when stopped by
    Ctrl-C or SIGTERM (what was stored stays; run it again to continue).
    """
    from pipeline import batch  # imported here: it loads every stage (spaCy included)

    limits = parse_limits(limit or ())
    batch.check_options(workers, timeout)
    entries = batch.load_manifest(manifest) if manifest else None
    err = stderr_console()
    summary = batch.ingest(
        paths,
        db,
        manifest=entries,
        workers=workers,
        timeout=timeout,
        force=force,
        limits=limits,
        ocr=ocr,
        progress=progress,
        console=err,
    )
    data = summary.as_dict()
    err.print(
        f"{data['ok']} stored ok, {data['no_assessment_found']} without a self-assessment, "
        f"{data['failed']} failed, {data['skipped_unchanged']} skipped as unchanged, "
        f"{data['skipped_duplicate']} duplicates of another path, "
        f"{data['skipped_not_regular']} not regular files skipped, "
        f"{data['skipped_unsupported']} other files passed over, "
        f"{len(summary.not_assessments)} README/CHANGELOG files passed over "
        f"({summary.seconds:.1f} s).",
        markup=False,
        highlight=False,
    )
    if data["skipped_unchanged"]:
        err.print("Use --force to re-ingest unchanged files.", highlight=False)
    for outcome in summary.outcomes:
        if outcome.status in ("failed", "not_read"):
            verb = "failed" if outcome.status == "failed" else "skipped"
            err.print(f"{verb}: {outcome.error}", markup=False, highlight=False)
    if as_json:
        echo_json(data)
    raise typer.Exit(summary.exit_code)


def _print_progress(db: Path, progress: dbfile.IngestProgress, as_json: bool) -> None:
    if as_json:
        echo_json({"ingest_running": True, "database": str(db), **asdict(progress)})
        return
    stdout_console().print(f"Database {db}: {progress.sentence()}", markup=False, highlight=False)


@app.command(epilog="Example: chc status --db chc.duckdb")
@handles_errors
def status(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Counts of documents by status and Code version; failed files with their reasons.

    While an ingest is writing the database, shows how far it has got instead.
    """
    try:
        con = store.open_for_reading(db)  # the views of this schema version
    except DatabaseInUseError:
        running = dbfile.read_progress(db)
        if running is None:
            raise
        _print_progress(db, running, as_json)
        return
    try:
        s = store.status_summary(con)
    finally:
        con.close()
    if as_json:
        echo_json(
            {
                "documents": s.documents,
                "by_status": dict(s.by_status),
                "by_version": dict(s.by_version),
                "assessment_rows": s.assessment_rows,
                "aligned_rows": s.aligned_rows,
                "rows_needing_review": s.rows_needing_review,
                "landlords": s.landlords,
                "failed": [
                    {
                        "document_id": f.document_id,
                        "source_path": f.source_path,
                        "error_code": f.error_code,
                        "error": f.error,
                    }
                    for f in s.failed
                ],
            }
        )
        return
    out = stdout_console()
    stderr_console().print(f"Database {db}", highlight=False)
    table = Table(title=f"{s.documents} documents, {s.landlords} landlords")
    table.add_column("status")
    table.add_column("documents", justify="right")
    for key, value in s.by_status:
        table.add_row(key, str(value))
    out.print(table)
    versions = Table(title="stored (ok) documents by Code version")
    versions.add_column("Code version")
    versions.add_column("documents", justify="right")
    for key, value in s.by_version:
        versions.add_row(key, str(value))
    out.print(versions)
    out.print(
        f"{s.assessment_rows} assessment rows, {s.aligned_rows} aligned to a provision, "
        f"{s.rows_needing_review} needing review.",
        highlight=False,
    )
    if s.failed:
        failed = Table(title="failed documents")
        for name in ("file", "code", "reason"):
            failed.add_column(name, overflow="fold")
        for f in s.failed:
            failed.add_row(f.source_path, f.error_code, f.error)
        out.print(failed)
    if s.doubtful:
        doubtful = Table(title="documents whose Code version or year needs a check")
        for name in ("file", "note"):
            doubtful.add_column(name, overflow="fold")
        for path, note in s.doubtful:
            doubtful.add_row(path, note)
        out.print(doubtful)
