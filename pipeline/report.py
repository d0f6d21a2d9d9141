"""Stage 5: the sector benchmark, from the database to Markdown, HTML, CSV and PNG.

Reads only the contract tables (``documents``, ``assessments``, ``provisions``; see
docs/contract.md) and writes to ``out_dir``:

* ``benchmark.md`` and ``benchmark.html``: documents by status and Code version,
  landlords covered, per Code version the provisions with the share of landlords
  declaring each answer (lowest share "yes" first), and rows needing review;
* ``benchmark_by_provision.csv``: per Code version and provision, counts and shares;
* ``benchmark_by_landlord.csv``: per landlord, Code version and year, counts and
  share "yes";
* ``chart_sections_<version>.png`` and ``chart_landlords_<version>.png``.

**Counting rule.** Each landlord counts once per Code version and assessment year
(stored names are merged again with the alias table and close spellings).
When several documents hold the same landlord, version and year (the same form
published as PDF and DOCX, or re-ingested), one is used: the one with the most
aligned rows, then the latest ingested, then the smallest document id. Documents
whose landlord is unknown are each counted on their own (they cannot be merged).
A document with no assessment year joins its landlord's year for the same Code
version when there is exactly one such year. Only documents with status ``ok`` and
a Code version count. Within a document, a provision answered in more than one row
counts once (its first row).

Output is deterministic (sorted); the only run-dependent line is "Generated from N
documents".
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.errors import UsageError
from pipeline.landlords import resolve_landlord_name
from pipeline.records import COMPLIANCE_VALUES
from pipeline.report_charts import StackedBar, share_bar_chart, stacked_share_chart
from pipeline.store import make_out_dir

ANSWERS: tuple[str, ...] = (*COMPLIANCE_VALUES, "not_found")
_REQUIRED: dict[str, tuple[str, ...]] = {
    "documents": (
        "document_id",
        "source_path",
        "landlord",
        "landlord_type",
        "assessment_year",
        "code_version",
        "status",
        "ingested_at",
    ),
    "assessments": (
        "document_id",
        "code_version",
        "provision_id",
        "compliance",
        "table_index",
        "row_index",
        "needs_review",
        "review_reason",
    ),
    "provisions": ("code_version", "provision_id", "section_number", "section_title", "obligation"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Tables:
    """The contract tables, as read for the report (strings where the SQL type varies)."""

    documents: pd.DataFrame
    assessments: pd.DataFrame
    provisions: pd.DataFrame


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """One section of the report: heading, paragraphs, optional table and image."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    table: pd.DataFrame | None = None
    image: str = ""
    level: int = 2


# --- reading -----------------------------------------------------------------------


def read_tables(db_path: Path) -> Tables:
    """Read the columns the report needs from a chc database (read-only).

    Args:
        db_path: the DuckDB file.

    Returns:
        The tables; ``code_version`` and ``assessment_year`` as strings ("" for NULL).

    Raises:
        UsageError: the file is missing, locked, not a database, or lacks a table or
            column of the contract.
    """
    if not db_path.is_file():
        raise UsageError(
            f"Database {db_path} does not exist.",
            "Run `chc ingest PATH --db FILE` first, or pass the right --db.",
        )
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as err:
        raise UsageError(
            f"Cannot open database {db_path}: {err}.",
            "Check the file is a chc DuckDB database and that no ingest is writing to it.",
        ) from err
    try:
        present = {
            (t, c)
            for t, c in con.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
            ).fetchall()
        }
        for table, columns in _REQUIRED.items():
            missing = [c for c in columns if (table, c) not in present]
            if missing:
                raise UsageError(
                    f"Database {db_path} has no {table} table or lacks its columns "
                    f"{', '.join(missing)}.",
                    "Run `chc ingest` with this version of chc to create or migrate it.",
                )
        documents = con.execute(
            """SELECT document_id, source_path, landlord, landlord_type,
                      coalesce(CAST(assessment_year AS VARCHAR), '') AS assessment_year,
                      coalesce(CAST(code_version AS VARCHAR), '') AS code_version,
                      status, CAST(ingested_at AS VARCHAR) AS ingested_at
               FROM documents"""
        ).df()
        assessments = con.execute(
            """SELECT document_id, coalesce(CAST(code_version AS VARCHAR), '') AS code_version,
                      CAST(provision_id AS VARCHAR) AS provision_id, compliance,
                      table_index, row_index, coalesce(needs_review, false) AS needs_review,
                      coalesce(review_reason, '') AS review_reason
               FROM assessments"""
        ).df()
        provisions = con.execute(
            """SELECT CAST(code_version AS VARCHAR) AS code_version,
                      CAST(provision_id AS VARCHAR) AS provision_id,
                      section_number, coalesce(section_title, '') AS section_title,
                      coalesce(obligation, '') AS obligation
               FROM provisions"""
        ).df()
    finally:
        con.close()
    return Tables(documents=documents, assessments=assessments, provisions=provisions)


# --- computing ---------------------------------------------------------------------


def _landlord_label(row: pd.Series) -> str:
    name = row["landlord"]
    if isinstance(name, str) and name.strip():
        return name.strip()
    return f"Unidentified ({Path(str(row['source_path'])).name}, {row['document_id']})"


def merge_landlord_names(names: pd.Series) -> dict[str, str]:
    """Map every stored landlord name to one spelling (alias table, then close names),
    so that a database filled by older versions or by hand still counts a landlord
    once. Names are taken in sorted order, so the result is deterministic; a name
    not merged maps to itself (unidentified documents are not in the map)."""
    mapping: dict[str, str] = {}
    for name in sorted({str(n).strip() for n in names.dropna() if str(n).strip()}):
        canonical, _ = resolve_landlord_name(name, known=sorted(set(mapping.values())))
        mapping[name] = canonical
    return mapping


def _fill_unknown_years(docs: pd.DataFrame) -> pd.Series:
    """A document with no year joins its landlord's year for the same Code version
    when the landlord has exactly one known year for it (the same form in another
    format that carries no date); otherwise its year stays unknown ("")."""
    known = (
        docs[(docs["assessment_year"] != "") & docs["landlord"].notna()]
        .groupby(["landlord_label", "code_version"])["assessment_year"]
        .agg(lambda years: sorted(set(years)))
    )

    def fill(row: pd.Series) -> str:
        year = str(row["assessment_year"])
        if year or not isinstance(row["landlord"], str):
            return year
        years = known.get((row["landlord_label"], row["code_version"]), [])
        return str(years[0]) if len(years) == 1 else ""

    return docs.apply(fill, axis=1) if len(docs) else docs["assessment_year"]


def select_documents(tables: Tables) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One document per landlord x Code version x year (see the module docstring).

    Args:
        tables: the database tables.

    Returns:
        ``(chosen, candidates)``: the chosen documents, and every countable document
        with its ``landlord_label``, ``aligned_rows`` and ``group_size``.
    """
    docs = tables.documents
    docs = docs[(docs["status"] == "ok") & (docs["code_version"] != "")].copy()
    aligned = (
        tables.assessments[tables.assessments["provision_id"].notna()]
        .groupby("document_id")
        .size()
        .rename("aligned_rows")
    )
    docs = docs.join(aligned, on="document_id")
    docs["aligned_rows"] = docs["aligned_rows"].fillna(0).astype(int)
    docs["landlord_label"] = (
        docs.apply(_landlord_label, axis=1) if len(docs) else pd.Series(dtype=str)
    )
    merged = merge_landlord_names(docs["landlord"])
    docs["landlord_label"] = docs["landlord_label"].map(lambda label: merged.get(label, label))
    docs["ingested_at"] = docs["ingested_at"].fillna("")
    docs["assessment_year"] = _fill_unknown_years(docs)
    keys = ["landlord_label", "code_version", "assessment_year"]
    docs["group_size"] = docs.groupby(keys)["document_id"].transform("size")
    ordered = docs.sort_values(
        [*keys, "aligned_rows", "ingested_at", "document_id"],
        ascending=[True, True, True, False, False, True],
    )
    chosen = ordered.drop_duplicates(keys, keep="first").reset_index(drop=True)
    return chosen, ordered.reset_index(drop=True)


def _answers(tables: Tables, chosen: pd.DataFrame) -> pd.DataFrame:
    """Aligned rows of the chosen documents, one per document x provision."""
    rows = tables.assessments.merge(
        chosen[["document_id", "code_version"]], on=["document_id", "code_version"]
    )
    rows = rows[rows["provision_id"].notna()]
    rows = rows.sort_values(
        ["document_id", "table_index", "row_index"], na_position="last", kind="stable"
    )
    return rows.drop_duplicates(["document_id", "provision_id"], keep="first")


def _provision_order(tables: Tables) -> pd.DataFrame:
    """Provisions with a sortable Code order (section, then number or letter)."""
    prov = tables.provisions.copy()
    parts = prov["provision_id"].str.extract(r"^(\d+)[.]?(\d*)([a-z]*)$")
    prov["_s"] = pd.to_numeric(parts[0], errors="coerce").fillna(99)
    prov["_n"] = pd.to_numeric(parts[1], errors="coerce").fillna(0)
    prov["_l"] = parts[2].fillna("")
    return prov


def provision_benchmark(tables: Tables, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per Code version and provision: how many of the landlords assessed against
    that version declared each answer, and the shares (``not_found``: the provision
    was not found in the landlord's form).

    Args:
        tables: the database tables.
        chosen: output of :func:`select_documents`.

    Returns:
        One row per provision of every version with at least one chosen document,
        in Code order.
    """
    answers = _answers(tables, chosen)
    prov = _provision_order(tables)
    out: list[pd.DataFrame] = []
    for version in sorted(chosen["code_version"].unique()):
        docs = chosen.loc[chosen["code_version"] == version, "document_id"]
        n = len(docs)
        table = prov[prov["code_version"] == version].copy()
        extra = set(answers.loc[answers["code_version"] == version, "provision_id"]) - set(
            table["provision_id"]
        )
        if extra:  # aligned to an id the provisions table lacks: still counted
            table = pd.concat(
                [table, pd.DataFrame({"code_version": version, "provision_id": sorted(extra)})]
            )
        mine = answers[answers["code_version"] == version]
        counts = mine.groupby(["provision_id", "compliance"]).size().unstack(fill_value=0)
        table = table.join(counts, on="provision_id")
        for answer in COMPLIANCE_VALUES:
            if answer not in table:
                table[answer] = 0
            table[answer] = table[answer].fillna(0).astype(int)
        table["landlords"] = n
        table["not_found"] = n - table[list(COMPLIANCE_VALUES)].sum(axis=1)
        for shared in ANSWERS:
            table[f"share_{shared}"] = (table[shared] / n).round(4)
        table = table.sort_values(["_s", "_n", "_l", "provision_id"], na_position="last")
        out.append(table)
    columns = [
        "code_version",
        "provision_id",
        "section_number",
        "section_title",
        "obligation",
        "landlords",
        *ANSWERS,
        *(f"share_{a}" for a in ANSWERS),
    ]
    if not out:
        return pd.DataFrame(columns=columns)
    result = pd.concat(out, ignore_index=True)
    result["section_number"] = result["section_number"].astype("Int64")
    return result[columns].fillna({"section_title": "", "obligation": ""})


def _with_code_order(bench: pd.DataFrame) -> pd.DataFrame:
    """The benchmark rows of one version with their Code order (they arrive in it)."""
    return bench.assign(_order=range(len(bench)))


def landlord_benchmark(tables: Tables, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per landlord x Code version x year: the document used, counts of aligned rows
    by answer, share "yes" of aligned rows, and rows needing review.

    Args:
        tables: the database tables.
        chosen: output of :func:`select_documents`.

    Returns:
        One row per chosen document, sorted by landlord, version, year.
    """
    answers = _answers(tables, chosen)
    counts = answers.groupby(["document_id", "compliance"]).size().unstack(fill_value=0)
    review = (
        tables.assessments[tables.assessments["needs_review"].astype(bool)]
        .groupby("document_id")
        .size()
        .rename("rows_needing_review")
    )
    table = chosen.join(counts, on="document_id").join(review, on="document_id")
    for answer in COMPLIANCE_VALUES:
        if answer not in table:
            table[answer] = 0
        table[answer] = table[answer].fillna(0).astype(int)
    table["rows_needing_review"] = table["rows_needing_review"].fillna(0).astype(int)
    table["provisions_answered"] = table[list(COMPLIANCE_VALUES)].sum(axis=1)
    share = table["yes"] / table["provisions_answered"].where(table["provisions_answered"] > 0)
    table["share_yes"] = share.round(4)
    table["landlord"] = table["landlord_label"]
    table["landlord_type"] = table["landlord_type"].fillna("unknown")
    table["documents_in_group"] = table["group_size"]
    columns = [
        "landlord",
        "landlord_type",
        "code_version",
        "assessment_year",
        "document_id",
        "source_path",
        "documents_in_group",
        "provisions_answered",
        *COMPLIANCE_VALUES,
        "share_yes",
        "rows_needing_review",
    ]
    if table.empty:
        return pd.DataFrame(columns=columns)
    return table.sort_values(["landlord", "code_version", "assessment_year"])[columns]


def review_counts(tables: Tables) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows needing review: by reason code, and by document (all ``ok`` documents,
    including those set aside by the counting rule, since each needs its own look).

    Returns:
        ``(by_reason, by_document)``.
    """
    flagged = tables.assessments[tables.assessments["needs_review"].astype(bool)]
    reasons = (
        flagged["review_reason"]
        .str.split(";")
        .explode()
        .fillna("")
        .str.strip()
        .replace("", "(no reason given)")
    )
    by_reason = (
        reasons.value_counts()
        .rename_axis("reason")
        .reset_index(name="rows")
        .sort_values(["rows", "reason"], ascending=[False, True])
    )
    docs = tables.documents[tables.documents["status"] == "ok"]
    totals = tables.assessments.groupby("document_id").size().rename("rows")
    need = flagged.groupby("document_id").size().rename("rows_needing_review")
    by_doc = docs.join(totals, on="document_id").join(need, on="document_id")
    by_doc = by_doc[by_doc["rows_needing_review"].fillna(0) > 0].copy()
    by_doc["landlord"] = (
        by_doc.apply(_landlord_label, axis=1) if len(by_doc) else pd.Series(dtype=str)
    )
    by_doc["file"] = by_doc["source_path"].map(lambda p: Path(str(p)).name)
    by_doc["rows"] = by_doc["rows"].fillna(0).astype(int)
    by_doc["rows_needing_review"] = by_doc["rows_needing_review"].astype(int)
    by_doc = by_doc.sort_values(
        ["rows_needing_review", "landlord", "file"], ascending=[False, True, True]
    )
    return by_reason.reset_index(drop=True), by_doc[
        ["landlord", "file", "code_version", "rows", "rows_needing_review"]
    ].reset_index(drop=True)


# --- rendering ---------------------------------------------------------------------


def _percent(value: object) -> str:
    if isinstance(value, float) and math.isnan(value):
        return ""
    return f"{float(str(value)) * 100:.1f}%"


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub pipe table. Hand-written: ``DataFrame.to_markdown`` needs ``tabulate``,
    which the project does not depend on."""
    header = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    for row in frame.itertuples(index=False):
        cells = [_cell_text(v).replace("|", "\\|").replace("\n", " ") for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_markdown(title: str, blocks: Sequence[Block]) -> str:
    """The report as Markdown."""
    parts = [f"# {title}"]
    for block in blocks:
        parts.append(f"{'#' * block.level} {block.heading}")
        parts.extend(block.paragraphs)
        if block.table is not None:
            parts.append(to_markdown(block.table) if len(block.table) else "(none)")
        if block.image:
            parts.append(f"![{block.heading}]({block.image})")
    return "\n\n".join(parts) + "\n"


_CSS = (
    "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
    "table{border-collapse:collapse;font-size:90%;margin:1em 0}"
    "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left}"
    "th{background:#f3f3f3}img{max-width:100%}"
)


def render_html(title: str, blocks: Sequence[Block]) -> str:
    """The report as one self-contained HTML page (images referenced by file name)."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    for block in blocks:
        body.append(f"<h{block.level}>{html.escape(block.heading)}</h{block.level}>")
        body.extend(f"<p>{html.escape(p)}</p>" for p in block.paragraphs)
        if block.table is not None:
            body.append(
                block.table.to_html(index=False, na_rep="", border=0)
                if len(block.table)
                else "<p>(none)</p>"
            )
        if block.image:
            alt = html.escape(block.heading)
            body.append(f'<img src="{html.escape(block.image)}" alt="{alt}">')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _count_table(series: pd.Series, label: str) -> pd.DataFrame:
    counts = series.fillna("").replace("", "(none)").value_counts()
    return counts.rename_axis(label).reset_index(name="documents").sort_values(label)


def _display_provisions(bench: pd.DataFrame) -> pd.DataFrame:
    ordered = bench.sort_values(
        ["share_yes", "share_no", "share_partial", "_order"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    shown = ordered[["provision_id", "section_number", "obligation", "landlords"]].copy()
    shown.columns = pd.Index(["provision", "section", "obligation", "landlords"])
    for shown_answer in ANSWERS:
        shown[shown_answer.replace("_", " ")] = ordered[f"share_{shown_answer}"].map(_percent)
    return shown.reset_index(drop=True)


def _section_bars(bench: pd.DataFrame) -> list[StackedBar]:
    bars: list[StackedBar] = []
    for (number, title), group in bench.groupby(["section_number", "section_title"], sort=True):
        total = float(group[list(ANSWERS)].to_numpy().sum())
        if not total:
            continue
        shares = tuple((a, float(group[a].sum()) / total) for a in ANSWERS)
        label = f"{number}. {title}"[:45]
        bars.append(StackedBar(label=label, shares=shares))
    return bars


def build_blocks(
    tables: Tables,
    chosen: pd.DataFrame,
    candidates: pd.DataFrame,
    by_provision: pd.DataFrame,
    by_landlord: pd.DataFrame,
    charts: dict[str, tuple[str, str]],
) -> list[Block]:
    """The sections of the report, in order."""
    docs = tables.documents
    set_aside = len(candidates) - len(chosen)
    blocks = [
        Block(
            heading="Documents",
            paragraphs=(f"Generated from {len(docs)} documents.",),
        ),
        Block(heading="By status", table=_count_table(docs["status"], "status"), level=3),
        Block(
            heading="By Code version",
            table=_count_table(docs["code_version"], "code_version"),
            level=3,
        ),
    ]
    types = (
        by_landlord.drop_duplicates("landlord")["landlord_type"].value_counts()
        if len(by_landlord)
        else pd.Series(dtype=int)
    )
    type_table = types.rename_axis("landlord_type").reset_index(name="landlords")
    landlords = by_landlord[
        [
            "landlord",
            "landlord_type",
            "code_version",
            "assessment_year",
            "documents_in_group",
            "provisions_answered",
            "share_yes",
        ]
    ].copy()
    landlords["share_yes"] = landlords["share_yes"].map(_percent)
    blocks.append(
        Block(
            heading="Landlords covered",
            paragraphs=(
                f"{by_landlord['landlord'].nunique()} landlords, "
                f"{len(by_landlord)} landlord assessments (landlord x Code version x year), "
                f"from the {len(candidates)} documents with status ok and a Code version.",
                "Each landlord counts once per Code version and assessment year. Where "
                "several documents hold the same landlord, version and year, the one "
                "with the most aligned rows (then the latest ingested) is used; "
                f"{set_aside} documents were set aside this way. A document with no "
                "year joins its landlord's only year for that Code version, if there is "
                "one. Documents with no landlord name count on their own.",
            ),
            table=type_table.sort_values("landlord_type").reset_index(drop=True),
        )
    )
    blocks.append(Block(heading="Landlord assessments", table=landlords, level=3))
    for version in sorted(by_provision["code_version"].unique()):
        bench = by_provision[by_provision["code_version"] == version]
        n = int(bench["landlords"].iloc[0])
        blocks.append(
            Block(
                heading=f"{version} Code: provisions by compliance",
                paragraphs=(
                    f"Share of the {n} landlord assessments against the {version} Code "
                    "declaring each answer; 'not found' means the provision was not "
                    "found in that landlord's form. Lowest share 'yes' first (then highest "
                    "share 'no', then 'partial').",
                ),
                table=_display_provisions(_with_code_order(bench)),
                image=charts.get(version, ("", ""))[0],
            )
        )
        if charts.get(version, ("", ""))[1]:
            blocks.append(
                Block(
                    heading=f"{version} Code: share compliant per landlord",
                    image=charts[version][1],
                    level=3,
                )
            )
    by_reason, by_doc = review_counts(tables)
    blocks.append(
        Block(
            heading="Rows needing review",
            paragraphs=(
                f"{int(tables.assessments['needs_review'].astype(bool).sum())} rows need a "
                "human look (`chc review` lists them with their provenance).",
            ),
            table=by_reason,
        )
    )
    blocks.append(Block(heading="By document", table=by_doc, level=3))
    return blocks


def _write_charts(
    by_provision: pd.DataFrame, by_landlord: pd.DataFrame, out_dir: Path
) -> dict[str, tuple[str, str]]:
    charts: dict[str, tuple[str, str]] = {}
    for version in sorted(by_provision["code_version"].unique()):
        bench = by_provision[by_provision["code_version"] == version]
        sections = stacked_share_chart(
            _section_bars(bench),
            title=f"{version} Code: answers by section (all landlord assessments)",
            path=out_dir / f"chart_sections_{version}.png",
        )
        mine = by_landlord[
            (by_landlord["code_version"] == version) & by_landlord["share_yes"].notna()
        ]
        values = [
            (f"{r.landlord} ({r.assessment_year or 'year ?'})"[:50], float(r.share_yes))
            for r in mine.itertuples(index=False)
        ]
        landlord_chart = ""
        if values:
            landlord_chart = share_bar_chart(
                values,
                title=f"{version} Code: share of aligned rows answered yes",
                path=out_dir / f"chart_landlords_{version}.png",
            ).name
        charts[version] = (sections.name, landlord_chart)
    return charts


def write_report(db_path: Path, out_dir: Path, *, charts: bool = True) -> list[Path]:
    """Write the sector benchmark (see the module docstring) from a chc database.

    Args:
        db_path: the DuckDB database.
        out_dir: folder to write to (created if missing).
        charts: also draw the PNG charts (the slow part; tests of the tables skip it).

    Returns:
        The files written, sorted.

    Raises:
        UsageError: the database cannot be read, or out_dir cannot be created.
    """
    tables = read_tables(db_path)
    make_out_dir(out_dir)
    chosen, candidates = select_documents(tables)
    by_provision = provision_benchmark(tables, chosen)
    by_landlord = landlord_benchmark(tables, chosen)
    drawn = _write_charts(by_provision, by_landlord, out_dir) if charts else {}
    written = [out_dir / name for pair in drawn.values() for name in pair if name]
    provision_csv = out_dir / "benchmark_by_provision.csv"
    by_provision.to_csv(provision_csv, index=False, lineterminator="\n")
    landlord_csv = out_dir / "benchmark_by_landlord.csv"
    by_landlord.to_csv(landlord_csv, index=False, lineterminator="\n")
    blocks = build_blocks(tables, chosen, candidates, by_provision, by_landlord, drawn)
    title = "Complaint Handling Code self-assessments: sector benchmark"
    markdown = out_dir / "benchmark.md"
    markdown.write_text(render_markdown(title, blocks), encoding="utf-8")
    page = out_dir / "benchmark.html"
    page.write_text(render_html(title, blocks), encoding="utf-8")
    written += [provision_csv, landlord_csv, markdown, page]
    return sorted(written)
