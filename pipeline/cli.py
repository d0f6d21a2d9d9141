"""The ``chc`` command: parse arguments, call the library, print, set the exit code.

Data goes to stdout, progress and summaries to stderr. Only ChcError is caught (printed
as ``Error:``/``Hint:``; exit 2 for usage errors and an unusable database, 1 otherwise);
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from pipeline import dbfile, store
from pipeline.errors import ChcError, DatabaseInUseError, IngestInterrupted, UsageError
from pipeline.evaluate import EvalReport, evaluate_database
from pipeline.extract.limits import describe_defaults, parse_limits
from pipeline.records import CODE_VERSIONS
from pipeline.reference import load_reference

DEFAULT_DB = Path("chc.duckdb")
F = TypeVar("F", bound=Callable[..., Any])
EXIT_INTERRUPTED = 130


class _PlainArgument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the argument's name (its metavar) says what it is


def _plain_params(params: list[Any]) -> list[Any]:
    """Help without Python type names (``<int>``, ``<list[Path]>``: a value's metavar
    instead, nothing for a flag) and with every default shown."""
    for param in params:
        if isinstance(param, TyperArgument):
            param.__class__ = _PlainArgument
        elif isinstance(param, TyperOption):
            if param.metavar is None:
                param.metavar = "" if param.is_flag else (param.name or "value").upper()
            eager = param.is_eager  # --help and --version act at once; no default to show
            if (
                not eager
                and param.default in (None, False)
                and not isinstance(param.show_default, str)
            ):
                param.show_default = "off" if param.is_flag else "none"
    return params


def _one_line_paragraphs(text: str | None) -> str | None:
    """A docstring's paragraphs as single lines (rich help keeps source line breaks)."""
    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


class _Command(TyperCommand):
    """A command whose help has no type names, every default, and unbroken lines."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["help"] = _one_line_paragraphs(kwargs.get("help"))
        super().__init__(*args, **kwargs)

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_params(super().get_params(ctx))


class _Group(TyperGroup):
    """The top-level command, with the same help rules as ``_Command``."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_params(super().get_params(ctx))


class _App(typer.Typer):
    """A Typer app whose commands all use ``_Command``."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        kwargs.setdefault("cls", _Command)
        decorator: Callable[[F], F] = super().command(*args, **kwargs)
        return decorator


app = _App(
    cls=_Group,
    name="chc",
    help="Mine Complaint Handling Code self-assessments into one DuckDB dataset.",
    epilog="Example: chc ingest downloads/ --db chc.duckdb",
    no_args_is_help=True,
    add_completion=False,
)

DbOption = Annotated[
    Path,
    typer.Option(
        "--db",
        help="The DuckDB database file (or set CHC_DB).",
        dir_okay=False,
        envvar="CHC_DB",
        metavar="FILE",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON to stdout, for scripts.")]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"chc {metadata.version('chc')}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Mine Complaint Handling Code self-assessments into one DuckDB dataset."""


def _out() -> Console:
    # Piped output (files, scripts) is not cut to 80 columns: tables stay one line per row.
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200)


def _err() -> Console:
    return Console(stderr=True, soft_wrap=True)


def _handles_errors(func: F) -> F:
    """Print a ChcError as Error/Hint on stderr and exit 2 (usage) or 1; nothing else."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except IngestInterrupted as err:
            _err().print(f"{err.message}\n{err.hint}", markup=False, highlight=False)
            raise typer.Exit(EXIT_INTERRUPTED) from err
        except ChcError as err:
            console = _err()
            console.print(f"Error: {err.message}", markup=False, highlight=False)
            if err.hint:
                console.print(f"Hint: {err.hint}", markup=False, highlight=False)
            code = 2 if isinstance(err, UsageError | DatabaseInUseError) else 1
            raise typer.Exit(code) from err

    return wrapper  # type: ignore[return-value]


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@app.command(epilog="Example: chc init --db chc.duckdb")
@_handles_errors
def init(db: DbOption = DEFAULT_DB) -> None:
    """Create the database schema and load the Code provisions and crosswalk (idempotent)."""
    con = store.open_db(db, load_reference())
    try:
        counts = store.table_counts(con)
    finally:
        con.close()
    _err().print(
        f"{db}: schema version {store.SCHEMA_VERSION}; {counts['provisions']} provisions, "
        f"{counts['crosswalk']} crosswalk links.",
        highlight=False,
    )


def _parse_provision(text: str) -> tuple[str, str]:
    version, _, pid = text.partition(":")
    if version not in CODE_VERSIONS or not pid:
        raise UsageError(
            f"--crosswalk {text!r} is not VERSION:ID.", "Write it like 2024:6.3 or 2020:4a."
        )
    return version, pid


@app.command(epilog="Example: chc reference --crosswalk 2022:4.1")
@_handles_errors
def reference(
    version: Annotated[
        str | None, typer.Option("--version", help="Code version: 2020, 2022 or 2024.")
    ] = None,
    section: Annotated[int | None, typer.Option("--section", help="Section number.")] = None,
    crosswalk: Annotated[
        str | None,
        typer.Option("--crosswalk", help="VERSION:ID; show that requirement in other versions."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the Code provisions, or one requirement's counterparts in other versions."""
    ref = load_reference()
    out = _out()
    if crosswalk:
        cv, pid = _parse_provision(crosswalk)
        start = ref.get(cv, pid)
        if start is None:
            raise UsageError(
                f"There is no provision {pid} in the {cv} Code.",
                f"List them with `chc reference --version {cv}`.",
            )
        found = ref.counterparts(cv, pid)
        if as_json:
            _echo_json(
                [
                    {
                        "code_version": c.code_version,
                        "provision_id": c.provision_id,
                        "relation": c.relation,
                        "path": list(c.path),
                        "requirement_text": p.requirement_text if p else None,
                    }
                    for c in found
                    for p in [ref.get(c.code_version, c.provision_id)]
                ]
            )
            return
        table = Table(title=f"{cv}:{pid} {start.requirement_text}", title_justify="left")
        for name in ("version", "provision", "relation", "via", "requirement"):
            table.add_column(name, overflow="fold")
        for c in found:
            p = ref.get(c.code_version, c.provision_id)
            table.add_row(
                c.code_version,
                c.provision_id,
                c.relation,
                " → ".join(c.path),
                p.requirement_text if p else "",
            )
        out.print(table)
        if not found:
            _err().print(f"{cv}:{pid} has no counterpart in the other versions.")
        return
    if version is not None and version not in CODE_VERSIONS:
        raise UsageError(f"--version {version} is not a Code version.", "Use 2020, 2022 or 2024.")
    rows = [
        p
        for p in ref.provisions
        if (version is None or p.code_version == version)
        and (section is None or p.section_number == section)
    ]
    if as_json:
        _echo_json(
            [
                {
                    "code_version": p.code_version,
                    "provision_id": p.provision_id,
                    "section_number": p.section_number,
                    "section_title": p.section_title,
                    "obligation": p.obligation,
                    "requirement_text": p.requirement_text,
                }
                for p in rows
            ]
        )
        return
    table = Table()
    for name in ("version", "provision", "section", "obligation", "requirement"):
        table.add_column(name, overflow="fold")
    for p in rows:
        table.add_row(
            p.code_version,
            p.provision_id,
            f"{p.section_number} {p.section_title}",
            p.obligation,
            p.requirement_text,
        )
    out.print(table)
    _err().print(f"{len(rows)} provisions.")


@app.command(epilog="Example: chc ingest downloads/ --db chc.duckdb --manifest manifest.csv")
@_handles_errors
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
    err = _err()
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
        _echo_json(data)
    raise typer.Exit(summary.exit_code)


def _print_progress(db: Path, progress: dbfile.IngestProgress, as_json: bool) -> None:
    if as_json:
        _echo_json({"ingest_running": True, "database": str(db), **asdict(progress)})
        return
    _out().print(f"Database {db}: {progress.sentence()}", markup=False, highlight=False)


@app.command(epilog="Example: chc status --db chc.duckdb")
@_handles_errors
def status(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Counts of documents by status and Code version; failed files with their reasons.

    While an ingest is writing the database, shows how far it has got instead.
    """
    try:
        con = store.connect(db, read_only=True)
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
        _echo_json(
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
    out = _out()
    _err().print(f"Database {db}", highlight=False)
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


@app.command(epilog="Example: chc report --db chc.duckdb --out reports/")
@_handles_errors
def report(
    db: DbOption = Path("chc.duckdb"),
    out: Annotated[Path, typer.Option("--out", help="Folder for the report files.")] = Path(
        "reports"
    ),
) -> None:
    """Write the sector benchmark (Markdown, HTML, CSV, PNG charts) to a folder."""
    store.connect(db, read_only=True).close()  # a clear error when there is no database
    try:
        from pipeline.report import write_report
    except ModuleNotFoundError as missing:
        if missing.name != "pipeline.report":
            raise
        written = [_minimal_summary(db, out)]
        _err().print("The benchmark module is not installed; wrote a minimal summary.")
    else:
        written = write_report(db, out)
    for path in written:
        typer.echo(str(path))


def _minimal_summary(db: Path, out: Path) -> Path:
    con = store.connect(db, read_only=True)
    try:
        text = store.summary_markdown(con)
    finally:
        con.close()
    out.mkdir(parents=True, exist_ok=True)
    target = out / "summary.md"
    target.write_text(text, encoding="utf-8")
    return target


@app.command(epilog="Example: chc export --db chc.duckdb --out export/ --format parquet")
@_handles_errors
def export(
    db: DbOption = Path("chc.duckdb"),
    out: Annotated[Path, typer.Option("--out", help="Folder for the files.")] = Path("export"),
    fmt: Annotated[
        str, typer.Option("--format", help="parquet or csv (one file per table and view).")
    ] = "parquet",
) -> None:
    """Write every table and view as Parquet or CSV files, for other tools."""
    if fmt not in ("parquet", "csv"):
        raise UsageError(f"--format {fmt} is not supported.", "Use --format parquet or csv.")
    con = store.connect(db, read_only=True)
    try:
        written = store.export_tables(con, out, "parquet" if fmt == "parquet" else "csv")
    finally:
        con.close()
    for path in written:
        typer.echo(str(path))
    _err().print(f"{len(written)} files written to {out}.", highlight=False)


def _print_eval(result: EvalReport) -> None:
    table = Table(title="stored data against gold")
    for name in (
        "gold file",
        "document",
        "status",
        "version",
        "gold rows",
        "recall",
        "precision",
        "answer accuracy",
    ):
        table.add_column(name, overflow="fold")
    for d in result.documents:
        mark = "ok" if d.version_correct else "WRONG"
        table.add_row(
            d.gold_file,
            d.document or "(not stored)",
            d.status,
            f"{d.stored_version or '-'} vs {d.gold_version} {mark}",
            str(d.gold_rows),
            f"{d.recall:.1%}",
            f"{d.precision:.1%}",
            f"{d.answer_accuracy:.1%}",
        )
    _out().print(table)
    overall = result.as_dict()["overall"]
    typer.echo(
        f"overall ({overall['documents_scored']} documents, {overall['gold_rows']} gold rows): "
        f"version {result.version_accuracy:.1%}, recall {result.recall:.1%}, "
        f"precision {result.precision:.1%}, answer accuracy {result.answer_accuracy:.1%}"
    )
    if overall["documents_not_stored"]:
        _err().print(
            f"{overall['documents_not_stored']} gold files have no stored document "
            "(not in the overall figures).",
            highlight=False,
        )


@app.command(name="eval", epilog="Example: chc eval corpus/gold/*.jsonl --db chc.duckdb")
@_handles_errors
def eval_(
    gold: Annotated[
        list[Path],
        typer.Argument(help="Gold JSON Lines files.", metavar="GOLD"),
    ],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Score the stored data against gold files: Code version, provision alignment
    recall and precision, answer accuracy; per document and overall."""
    result = evaluate_database(db, gold)
    if as_json:
        _echo_json(result.as_dict())
    else:
        _print_eval(result)


@app.command(epilog="Example: chc review --db chc.duckdb --limit 50")
@_handles_errors
def review(
    db: DbOption = Path("chc.duckdb"),
    limit: Annotated[
        int | None, typer.Option("--limit", help="Show at most N rows.", metavar="N", min=0)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List rows needing a human look (low match score, ambiguous answer, contradiction,
    unaligned), with file, page, raw cells and reason."""
    con = store.connect(db, read_only=True)
    try:
        items = store.review_items(con, limit=limit)
    finally:
        con.close()
    if as_json:
        _echo_json(
            [
                {
                    "document_id": i.document_id,
                    "file_name": i.file_name,
                    "source_path": i.source_path,
                    "row_number": i.row_number,
                    "page": i.page,
                    "table_index": i.table_index,
                    "row_index": i.row_index,
                    "code_version": i.code_version,
                    "provision_id": i.provision_id,
                    "printed_id": i.printed_id,
                    "compliance": i.compliance,
                    "compliance_raw": i.compliance_raw,
                    "suggested_compliance": i.suggested_compliance,
                    "match_score": i.match_score,
                    "reason": i.reason,
                    "raw_cells": list(i.raw_cells),
                }
                for i in items
            ]
        )
        return
    table = Table()
    for name in ("file", "page", "row", "provision", "answer", "reason", "cells"):
        table.add_column(name, overflow="fold")
    for i in items:
        cells = " | ".join(c[:80] for c in i.raw_cells)
        table.add_row(
            i.file_name,
            "" if i.page is None else str(i.page),
            str(i.row_number),
            f"{i.code_version or '?'}:{i.provision_id or '-'} ({i.printed_id or 'no id'})",
            i.compliance_raw or i.compliance,
            i.reason,
            cells,
        )
    _out().print(table)
    _err().print(f"{len(items)} rows need review.", highlight=False)
