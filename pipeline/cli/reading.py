"""``chc reference``, ``report``, ``export``, ``eval`` and ``review``: reading the database."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pipeline import store
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
from pipeline.errors import UsageError
from pipeline.evaluate import EvalReport, evaluate_database
from pipeline.records import CODE_VERSIONS
from pipeline.reference import load_reference


def _parse_provision(text: str) -> tuple[str, str]:
    version, _, pid = text.partition(":")
    if version not in CODE_VERSIONS or not pid:
        raise UsageError(
            f"--crosswalk {text!r} is not VERSION:ID.", "Write it like 2024:6.3 or 2020:4a."
        )
    return version, pid


@app.command(epilog="Example: chc reference --crosswalk 2022:4.1")
@handles_errors
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
    out = stdout_console()
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
            echo_json(
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
            stderr_console().print(f"{cv}:{pid} has no counterpart in the other versions.")
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
        echo_json(
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
    stderr_console().print(f"{len(rows)} provisions.")


@app.command(epilog="Example: chc report --db chc.duckdb --out reports/")
@handles_errors
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
@handles_errors
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
    stderr_console().print(f"{len(written)} files written to {out}.", highlight=False)


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
    stdout_console().print(table)
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
        stdout_console().print(by_form)
    overall = result.as_dict()["overall"]
    typer.echo(
        f"overall ({overall['documents_scored']} documents, {overall['gold_rows']} gold rows): "
        f"version {result.version_accuracy:.1%}, recall {result.recall:.1%}, "
        f"precision {result.precision:.1%}, answer accuracy {result.answer_accuracy:.1%}"
    )
    if overall["documents_not_stored"]:
        stderr_console().print(
            f"{overall['documents_not_stored']} gold files have no stored document "
            "(not in the overall figures).",
            highlight=False,
        )


@app.command(
    name="eval",
    epilog="Example: chc eval ../shared/real-dev/gold.csv --db dev.duckdb",
)
@handles_errors
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
        echo_json(result.as_dict())
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
@handles_errors
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
        echo_json(_review_json(items))
        return
    _print_review(items, reasons)
    shown = f" (showing {len(items)})" if len(items) < sum(n for _, n in reasons) else ""
    stderr_console().print(f"{len(items)} rows need review{shown}.", highlight=False)
