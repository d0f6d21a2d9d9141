"""The ``chc`` command: parse arguments, call the library, print, set the exit code.

Data goes to stdout, progress and summaries to stderr. Only ChcError is caught (printed
as ``Error:``/``Hint:``; exit 2 for usage errors and an unusable database, 1 otherwise);
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
import textwrap
from collections.abc import Callable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from pipeline import dbfile, store
from pipeline.clihelp import ChcApp, ChcGroup
from pipeline.collect.records import (
    DEFAULT_USER_AGENT,
    CollectOptions,
    Site,
    SiteResult,
    UrlOutcome,
)
from pipeline.errors import ChcError, DatabaseInUseError, IngestInterrupted, UsageError
from pipeline.evaluate import EvalReport, evaluate_database
from pipeline.extract.limits import describe_defaults, parse_limits
from pipeline.records import CODE_VERSIONS
from pipeline.reference import load_reference

DEFAULT_DB = Path("chc.duckdb")
F = TypeVar("F", bound=Callable[..., Any])
EXIT_INTERRUPTED = 130


app = ChcApp(
    cls=ChcGroup,
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
    """Write the sector benchmark: index.html (self-contained), Markdown and CSV tables."""
    from pipeline.report import write_report  # pandas and matplotlib: loaded when needed

    for path in write_report(db, out):
        typer.echo(str(path))


@app.command(epilog="Example: chc export --db chc.duckdb --out export/ --format parquet")
@_handles_errors
def export(
    db: DbOption = Path("chc.duckdb"),
    out: Annotated[Path, typer.Option("--out", help="Folder for the files.")] = Path("export"),
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="parquet, csv (UTF-8 with BOM: Excel opens it) or xlsx (one workbook, a "
            "sheet per table and view).",
        ),
    ] = "parquet",
) -> None:
    """Write every table and view as Parquet, CSV or Excel files, for other tools."""
    if fmt not in store.EXPORT_FORMATS:
        raise UsageError(f"--format {fmt} is not supported.", "Use --format parquet, csv or xlsx.")
    con = store.open_for_reading(db)
    try:
        written = store.export_tables(con, out, fmt)
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
    forms = result.by_form()
    if len(forms) > 1:
        by_form = Table(title="by form")
        for name in ("form", "documents", "gold rows", "version", "recall", "precision", "answers"):
            by_form.add_column(name)
        for form, part in forms.items():
            by_form.add_row(
                form,
                str(len(part.scored)),
                str(sum(d.gold_rows for d in part.scored)),
                f"{part.version_accuracy:.1%}",
                f"{part.recall:.1%}",
                f"{part.precision:.1%}",
                f"{part.answer_accuracy:.1%}",
            )
        _out().print(by_form)
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


@app.command(
    name="eval",
    epilog="Example: chc eval ../shared/real-dev/gold.csv --db dev.duckdb",
)
@_handles_errors
def eval_(
    gold: Annotated[
        list[Path],
        typer.Argument(
            help="Gold files: JSON Lines per document, or a gold CSV for many.", metavar="GOLD"
        ),
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


def _check_reason(reason: str | None, known: tuple[tuple[str, int], ...]) -> None:
    """The reasons come from several stages: the ones present in the database are valid."""
    if reason is not None and reason not in dict(known):
        raise UsageError(
            f"--reason {reason}: no row needing review has this reason.",
            f"Reasons in this database: {', '.join(r for r, _ in known) or '(none)'}.",
        )


def _review_json(items: tuple[store.ReviewItem, ...]) -> list[dict[str, object]]:
    return [
        {
            "landlord": i.landlord,
            "assessment_year": i.assessment_year,
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


def _print_review(
    items: tuple[store.ReviewItem, ...], reasons: tuple[tuple[str, int], ...]
) -> None:
    # Wrapped to the terminal (or $COLUMNS; 100 when piped): rows stay readable anywhere.
    out = Console(width=shutil.get_terminal_size((100, 24)).columns)
    out.print("Rows needing review, by reason:", highlight=False)
    summary = Table()
    summary.add_column("reason")
    summary.add_column("rows", justify="right")
    for reason, count in reasons:
        summary.add_row(reason, str(count))
    out.print(summary)
    width = out.width
    for i in items:
        year = f" {i.assessment_year}" if i.assessment_year else ""
        page = f", page {i.page}" if i.page is not None else ""
        lines = [
            f"{i.landlord or '(landlord unknown)'}{year} · {i.file_name}{page}, row "
            f"{i.row_number} · {i.code_version or '?'}:{i.provision_id or '-'} "
            f"(printed {i.printed_id or 'no id'})",
            f"answer: {i.compliance_raw or i.compliance} · suggested: "
            f"{i.suggested_compliance or '-'} · reason: {i.reason}",
            "cells: " + " | ".join(textwrap.shorten(c, 80, placeholder=" …") for c in i.raw_cells),
        ]
        typer.echo("")
        for line in lines:  # wrapped at spaces only: no word is cut
            typer.echo(
                textwrap.fill(
                    line,
                    width,
                    subsequent_indent="    ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )


@app.command(epilog="Example: chc review --db chc.duckdb --version 2024 --limit 50")
@_handles_errors
def review(
    db: DbOption = Path("chc.duckdb"),
    landlord: Annotated[
        str | None, typer.Option("--landlord", help="Only landlords whose name contains this.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Only rows with this review reason.")
    ] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="Only this Code version: 2020, 2022, 2024.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Show at most N rows (N >= 1).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List rows needing a human look (low match score, ambiguous answer, contradiction,
    documents that disagree, unaligned), with landlord, file, page, the suggested answer,
    the reason and the raw cells; a summary by reason first. Renderings of one form count
    once."""
    if version is not None and version not in CODE_VERSIONS:
        raise UsageError(f"--version {version} is not a Code version.", "Use 2020, 2022 or 2024.")
    where = store.ReviewFilter(landlord=landlord, reason=reason, code_version=version, limit=limit)
    con = store.open_for_reading(db)
    try:
        _check_reason(reason, store.review_reasons(con))
        items = store.review_items(con, where=where)
        reasons = store.review_reasons(con, where)
    finally:
        con.close()
    if as_json:
        _echo_json(_review_json(items))
        return
    _print_review(items, reasons)
    shown = f" (showing {len(items)})" if len(items) < sum(n for _, n in reasons) else ""
    _err().print(f"{len(items)} rows need review{shown}.", highlight=False)


@app.command(epilog="Example: chc collect sites.csv --out downloads/")
@_handles_errors
def collect(
    sites: Annotated[
        Path, typer.Argument(help="CSV with columns landlord,landlord_type,url (start pages).")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the files, manifest.csv, log and cache.")
    ],
    depth: Annotated[int, typer.Option("--depth", help="Link hops from the start page.")] = 2,
    delay: Annotated[
        float, typer.Option("--delay", help="Seconds between requests to one host.")
    ] = 1.0,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for a server to answer.")
    ] = 20.0,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Size cap per file, in MB.")] = 25.0,
    max_pages: Annotated[int, typer.Option("--max-pages", help="Most URLs per site.")] = 100,
    max_redirects: Annotated[
        int, typer.Option("--max-redirects", help="Most redirects for one URL.")
    ] = 5,
    max_wait: Annotated[
        float, typer.Option("--max-wait", help="Longest Retry-After/Crawl-delay honoured (s).")
    ] = 120.0,
    user_agent: Annotated[
        str, typer.Option("--user-agent", help="User-Agent header; must name chc.")
    ] = DEFAULT_USER_AGENT,
    as_json: JsonOption = False,
) -> None:
    """Fetch the self-assessments on landlords' web sites, politely, into a folder ready
    for `chc ingest DIR --manifest DIR/manifest.csv`.

    Honours robots.txt; a rerun asks only for what changed (ETag/Last-Modified). Exit
    code 1 when a site failed (the others are still collected), 2 for a usage error.
    """
    from pipeline.collect.crawl import collect as collect_sites  # loads every stage
    from pipeline.collect.progress import progress_lines, summary_line
    from pipeline.collect.sites import load_sites

    options = CollectOptions(
        depth=depth,
        delay=delay,
        timeout=timeout,
        max_bytes=int(max_mb * 1_000_000),
        max_pages=max_pages,
        max_redirects=max_redirects,
        max_wait=max_wait,
        user_agent=user_agent,
    )
    listed = load_sites(sites)
    err = _err()
    line = progress_lines(len(listed))

    def show(event: Site | UrlOutcome | SiteResult) -> None:
        text = line(event)
        if text:
            err.print(text, markup=False, highlight=False)

    summary = collect_sites(listed, out, options, progress=show)
    err.print(summary_line(summary), markup=False, highlight=False)
    if as_json:
        _echo_json(summary.as_dict())
    raise typer.Exit(summary.exit_code)
