"""Stage 4: the DuckDB database. All SQL of the project lives here and in schema.sql.

The main process is the only writer. ``write_document`` replaces one document's rows in
a single transaction (delete old rows, bulk-insert Arrow tables, upsert the
``documents`` row), so a crash leaves the old rows or the new ones, never a mix.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import duckdb
import pyarrow as pa

from pipeline import dbfile
from pipeline.errors import UsageError
from pipeline.reference import Reference

if TYPE_CHECKING:  # only the type: the store must not import the stages (spaCy etc.)
    from pipeline.process import DocumentResult

SCHEMA_VERSION = 1
TABLES = (
    "schema_meta",
    "provisions",
    "crosswalk",
    "documents",
    "document_paths",
    "assessments",
    "member_answers",
)
VIEWS = (
    "v_answers",
    "v_latest_documents",
    "v_latest",
    "v_crosswalk_links",
    "v_crosswalk_answers",
    "v_review",
)
ExportFormat = Literal["parquet", "csv"]

_DOCUMENT_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_path", pa.string()),
        ("file_name", pa.string()),
        ("sha256", pa.string()),
        ("format", pa.string()),
        ("pages", pa.int32()),
        ("size_bytes", pa.int64()),
        ("landlord", pa.string()),
        ("landlord_raw", pa.string()),
        ("landlord_type", pa.string()),
        ("landlord_inferred", pa.bool_()),
        ("landlord_method", pa.string()),
        ("assessment_year", pa.int32()),
        ("year_raw", pa.string()),
        ("year_inferred", pa.bool_()),
        ("year_note", pa.string()),
        ("code_version", pa.string()),
        ("version_score", pa.float64()),
        ("version_method", pa.string()),
        ("version_note", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("error_code", pa.string()),
        ("notes", pa.string()),
        ("url", pa.string()),
        ("seconds", pa.float64()),
        ("peak_memory_mb", pa.float64()),
        ("rows_found", pa.int32()),
        ("rows_aligned", pa.int32()),
        ("rows_needing_review", pa.int32()),
        ("tables_set_aside", pa.int32()),
        ("ingested_at", pa.timestamp("us")),
    ]
)
_ROW_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("row_number", pa.int32()),
        ("code_version", pa.string()),
        ("provision_id", pa.string()),
        ("printed_id", pa.string()),
        ("section", pa.string()),
        ("compliance", pa.string()),
        ("compliance_raw", pa.string()),
        ("answer_inferred", pa.bool_()),
        ("suggested_compliance", pa.string()),
        ("requirement_text", pa.string()),
        ("evidence", pa.string()),
        ("commentary", pa.string()),
        ("actions", pa.string()),
        ("stated_actions", pa.string()),
        ("page", pa.int32()),
        ("table_index", pa.int32()),
        ("row_index", pa.int32()),
        ("stitched", pa.bool_()),
        ("raw_cells", pa.string()),
        ("match_score", pa.float64()),
        ("match_method", pa.string()),
        ("needs_review", pa.bool_()),
        ("review_reason", pa.string()),
    ]
)
_MEMBER_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("row_number", pa.int32()),
        ("provision_id", pa.string()),
        ("member", pa.string()),
        ("compliance", pa.string()),
        ("compliance_raw", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class FailedDocument:
    """A document stored as failed, with the reason."""

    document_id: str
    source_path: str
    error_code: str
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusSummary:
    """What ``chc status`` prints."""

    documents: int
    by_status: tuple[tuple[str, int], ...]
    by_version: tuple[tuple[str, int], ...]
    assessment_rows: int
    aligned_rows: int
    rows_needing_review: int
    landlords: int
    failed: tuple[FailedDocument, ...]
    doubtful: tuple[tuple[str, str], ...] = ()  # (source_path, version_note) to check


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewItem:
    """One row needing a human look, with its provenance."""

    document_id: str
    file_name: str
    source_path: str
    row_number: int
    page: int | None
    table_index: int | None
    row_index: int | None
    code_version: str | None
    provision_id: str | None
    printed_id: str
    compliance: str
    compliance_raw: str
    suggested_compliance: str | None
    match_score: float | None
    reason: str
    raw_cells: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredDocument:
    """The stored facts about a document that evaluation needs."""

    document_id: str
    file_name: str
    status: str
    code_version: str | None
    error: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredRow:
    """One stored assessment row, as evaluation needs it."""

    row_number: int
    code_version: str | None
    provision_id: str | None
    requirement_text: str
    compliance: str


def _is_lock_error(err: Exception) -> bool:
    text = str(err).lower()
    return "lock" in text or "different configuration" in text


def connect(db_path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database; translate DuckDB's errors into ones a user can act on.

    Raises:
        UsageError: read-only and there is no database yet, or the file is not DuckDB.
        DatabaseInUseError: another process holds the database open for writing.
    """
    if read_only and not db_path.exists():
        raise UsageError(
            f"There is no database at {db_path}.",
            f"Run `chc ingest PATH --db {db_path}` first, or pass --db with the right file.",
        )
    dbfile.check_database_file(db_path)  # a SQLite file, a FIFO... never reach DuckDB
    try:
        return duckdb.connect(str(db_path), read_only=read_only, config=dbfile.DUCKDB_CONFIG)
    except (duckdb.IOException, duckdb.ConnectionException) as err:
        if _is_lock_error(err):
            raise dbfile.in_use_error(db_path, err) from err
        raise UsageError(
            f"Cannot open the database {db_path}: {err}",
            "Check that --db names a DuckDB file written by chc (or a new file name).",
        ) from err
    except duckdb.Error as err:
        raise UsageError(
            f"Cannot open the database {db_path}: {err}",
            "Check that --db names a DuckDB file written by chc (or a new file name).",
        ) from err


def _schema_sql() -> str:
    return Path(__file__).with_name("schema.sql").read_text(encoding="utf-8")


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version recorded in ``schema_meta``, or None for a new database."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_meta'"
    ).fetchone()
    if not exists or not exists[0]:
        return None
    row = con.execute("SELECT value FROM schema_meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def init_db(con: duckdb.DuckDBPyConnection, reference: Reference) -> None:
    """Create the schema if needed and (re)load provisions and crosswalk. Idempotent.

    Raises:
        UsageError: the database was written by a newer chc (higher schema version).
    """
    found = schema_version(con)
    if found is not None and found > SCHEMA_VERSION:
        raise UsageError(
            f"The database has schema version {found}; this chc understands up to "
            f"{SCHEMA_VERSION}.",
            "Upgrade chc (`pip install -U chc`) or use another --db.",
        )
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(_schema_sql())
        now = datetime.now(UTC).replace(tzinfo=None)
        meta = {"schema_version": str(SCHEMA_VERSION), "chc_version": metadata.version("chc")}
        for key, value in meta.items():
            con.execute("DELETE FROM schema_meta WHERE key = ?", [key])
            con.execute("INSERT INTO schema_meta VALUES (?, ?)", [key, value])
        if not con.execute("SELECT 1 FROM schema_meta WHERE key = 'created_at'").fetchone():
            con.execute("INSERT INTO schema_meta VALUES ('created_at', ?)", [now.isoformat()])
        _load_reference(con, reference)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _load_reference(con: duckdb.DuckDBPyConnection, reference: Reference) -> None:
    provisions = pa.Table.from_pylist(
        [
            {
                "code_version": p.code_version,
                "provision_id": p.provision_id,
                "section_number": p.section_number,
                "section_title": p.section_title,
                "obligation": p.obligation,
                "requirement_text": p.requirement_text,
                "code_order": p.order,
            }
            for p in reference.provisions
        ]
    )
    crosswalk = pa.Table.from_pylist(
        [
            {
                "from_version": c.from_version,
                "from_id": c.from_id,
                "to_version": c.to_version,
                "to_id": c.to_id,
                "relation": c.relation,
                "note": c.note,
            }
            for c in reference.crosswalk
        ]
    )
    con.execute("DELETE FROM provisions")
    con.execute("DELETE FROM crosswalk")
    _insert(con, "provisions", provisions)
    _insert(con, "crosswalk", crosswalk)


def open_db(db_path: Path, reference: Reference) -> duckdb.DuckDBPyConnection:
    """Connect for writing and make sure the schema and reference data are in place."""
    con = connect(db_path)
    try:
        init_db(con, reference)
    except BaseException:
        con.close()
        raise
    return con


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: Any, select: str = "*") -> None:
    """Bulk-insert an Arrow table by column name (DuckDB reads it zero-copy)."""
    if data.num_rows == 0:
        return
    con.register("_chc_batch", data)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT {select} FROM _chc_batch")
    finally:
        con.unregister("_chc_batch")


def stored_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """sha256 -> status of every stored document."""
    rows = con.execute("SELECT sha256, status FROM documents WHERE sha256 <> ''").fetchall()
    return {str(sha): str(status) for sha, status in rows}


def known_landlords(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Canonical landlord names already stored (for merging names across documents)."""
    rows = con.execute(
        "SELECT DISTINCT landlord FROM documents WHERE landlord IS NOT NULL ORDER BY 1"
    ).fetchall()
    return tuple(str(r[0]) for r in rows)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _document_table(result: DocumentResult, ingested_at: datetime) -> Any:
    version = result.version
    record = {
        "document_id": result.document_id,
        "source_path": result.path,
        "file_name": result.file_name,
        "sha256": result.sha256,
        "format": result.format,
        "pages": result.pages,
        "size_bytes": result.size_bytes,
        "landlord": result.landlord,
        "landlord_raw": result.landlord_raw,
        "landlord_type": result.landlord_type,
        "landlord_inferred": result.landlord_inferred,
        "landlord_method": result.landlord_method,
        "assessment_year": result.assessment_year,
        "year_raw": result.year_raw,
        "year_inferred": result.year_inferred,
        "year_note": result.year_note,
        "code_version": result.code_version,
        "version_score": version.score if version else None,
        "version_method": version.method if version else None,
        "version_note": result.version_note,
        "status": result.status,
        "error": result.error,
        "error_code": result.error_code,
        "notes": "\n".join(result.notes),
        "url": result.url,
        "seconds": result.seconds,
        "peak_memory_mb": result.peak_memory_mb,
        "rows_found": len(result.rows),
        "rows_aligned": result.rows_aligned,
        "rows_needing_review": sum(1 for r in result.rows if r.needs_review),
        "tables_set_aside": result.tables_set_aside,
        "ingested_at": ingested_at,
    }
    return pa.Table.from_pylist([record], schema=_DOCUMENT_SCHEMA)


def _row_tables(result: DocumentResult) -> tuple[Any, Any]:
    rows: list[dict[str, object]] = []
    members: list[dict[str, object]] = []
    for number, r in enumerate(result.rows, start=1):
        src = r.row.source
        rows.append(
            {
                "document_id": result.document_id,
                "row_number": number,
                "code_version": r.code_version,
                "provision_id": r.provision_id,
                "printed_id": r.row.printed_id,
                "section": src.section,
                "compliance": r.compliance,
                "compliance_raw": r.compliance_raw,
                "answer_inferred": r.answer_inferred,
                "suggested_compliance": r.suggested_compliance,
                "requirement_text": r.row.requirement,
                "evidence": r.row.evidence,
                "commentary": r.row.commentary,
                "actions": r.row.actions,
                "stated_actions": r.stated_actions,
                "page": src.page,
                "table_index": src.table_index,
                "row_index": src.row_index,
                "stitched": src.stitched,
                "raw_cells": json.dumps(list(src.cells), ensure_ascii=False),
                "match_score": r.match_score,
                "match_method": r.match_method,
                "needs_review": r.needs_review,
                "review_reason": "; ".join(r.review_reasons),
            }
        )
        members.extend(
            {
                "document_id": result.document_id,
                "row_number": number,
                "provision_id": r.provision_id,
                "member": m.member,
                "compliance": m.compliance,
                "compliance_raw": m.raw,
            }
            for m in r.members
        )
    return (
        pa.Table.from_pylist(rows, schema=_ROW_SCHEMA),
        pa.Table.from_pylist(members, schema=_MEMBER_SCHEMA),
    )


def _delete_document(con: duckdb.DuckDBPyConnection, document_id: str) -> None:
    for table in ("member_answers", "assessments", "documents"):
        con.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])


def _insert_assessments(con: duckdb.DuckDBPyConnection, rows: Any) -> None:
    # obligation and section_number come from the reference provisions.
    if rows.num_rows == 0:
        return
    con.register("_chc_batch", rows)
    try:
        con.execute(
            """
            INSERT INTO assessments BY NAME
            SELECT b.*, p.section_number, p.obligation
            FROM _chc_batch AS b
            LEFT JOIN provisions AS p
                ON p.code_version = b.code_version AND p.provision_id = b.provision_id
            """
        )
    finally:
        con.unregister("_chc_batch")


def _insert_members(con: duckdb.DuckDBPyConnection, members: Any) -> None:
    _insert(con, "member_answers", members)


def _add_path(
    con: duckdb.DuckDBPyConnection, document_id: str, path: str, seen_at: datetime
) -> None:
    con.execute(
        """
        INSERT INTO document_paths
        SELECT ?, ?, ?, ?
        WHERE NOT EXISTS (
            SELECT 1 FROM document_paths WHERE document_id = ? AND source_path = ?
        )
        """,
        [document_id, path, Path(path).name, seen_at, document_id, path],
    )


def write_document(con: duckdb.DuckDBPyConnection, result: DocumentResult) -> None:
    """Replace one document's rows in one transaction (all-or-nothing).

    The ``documents`` row, with its status, is written in the same transaction as the
    assessment rows, so a document marked ``ok`` always has all its rows.
    """
    ingested_at = _now()
    rows, members = _row_tables(result)
    con.execute("BEGIN TRANSACTION")
    try:
        _delete_document(con, result.document_id)
        _insert_assessments(con, rows)
        _insert_members(con, members)
        _insert(con, "documents", _document_table(result, ingested_at))
        _add_path(con, result.document_id, result.path, ingested_at)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def record_path(con: duckdb.DuckDBPyConnection, document_id: str, path: str) -> None:
    """Remember another path where already-stored content was seen."""
    _add_path(con, document_id, path, _now())


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every table and view."""
    counts: dict[str, int] = {}
    for name in (*TABLES, *VIEWS):
        found = con.execute(f"SELECT count(*) FROM {name}").fetchone()
        counts[name] = int(found[0]) if found else 0
    return counts


def _pairs(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[tuple[str, int], ...]:
    return tuple((str(k), int(v)) for k, v in con.execute(sql).fetchall())


def status_summary(con: duckdb.DuckDBPyConnection) -> StatusSummary:
    """Counts by status and Code version, and the failed documents with their reasons."""
    total = con.execute(
        """
        SELECT
            (SELECT count(*) FROM documents),
            (SELECT count(*) FROM assessments),
            (SELECT count(*) FROM assessments WHERE provision_id IS NOT NULL),
            (SELECT count(*) FROM assessments WHERE needs_review),
            (SELECT count(DISTINCT landlord) FROM documents WHERE status = 'ok')
        """
    ).fetchone()
    assert total is not None
    failed = con.execute(
        """
        SELECT document_id, source_path, coalesce(error_code, ''), coalesce(error, '')
        FROM documents WHERE status = 'failed' ORDER BY source_path
        """
    ).fetchall()
    return StatusSummary(
        documents=int(total[0]),
        by_status=_pairs(
            con, "SELECT status, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        by_version=_pairs(
            con,
            """
            SELECT coalesce(code_version, 'unknown'), count(*) FROM documents
            WHERE status = 'ok' GROUP BY 1 ORDER BY 1
            """,
        ),
        assessment_rows=int(total[1]),
        aligned_rows=int(total[2]),
        rows_needing_review=int(total[3]),
        landlords=int(total[4]),
        failed=tuple(
            FailedDocument(document_id=d, source_path=p, error_code=c, error=e)
            for d, p, c, e in failed
        ),
        doubtful=tuple(
            (str(p), str(n))
            for p, n in con.execute(
                "SELECT source_path, version_note FROM documents "
                "WHERE status = 'ok' AND coalesce(version_note, '') <> '' ORDER BY 1"
            ).fetchall()
        ),
    )


def review_items(
    con: duckdb.DuckDBPyConnection, *, limit: int | None = None
) -> tuple[ReviewItem, ...]:
    """Rows needing review (flagged by the matcher, or not aligned), in file order."""
    sql = """
        SELECT document_id, file_name, source_path, row_number, page, table_index,
               row_index, code_version, provision_id, coalesce(printed_id, ''), compliance,
               coalesce(compliance_raw, ''), suggested_compliance, match_score,
               coalesce(review_reason, ''), coalesce(raw_cells, '[]')
        FROM v_review ORDER BY file_name, document_id, row_number
    """
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return tuple(
        ReviewItem(
            document_id=r[0],
            file_name=r[1],
            source_path=r[2],
            row_number=r[3],
            page=r[4],
            table_index=r[5],
            row_index=r[6],
            code_version=r[7],
            provision_id=r[8],
            printed_id=r[9],
            compliance=r[10],
            compliance_raw=r[11],
            suggested_compliance=r[12],
            match_score=r[13],
            reason=r[14],
            raw_cells=tuple(str(c) for c in json.loads(r[15])),
        )
        for r in con.execute(sql).fetchall()
    )


def make_out_dir(out_dir: Path) -> None:
    """Create an output folder (and parents); a UsageError when it cannot be created."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(
            f"Cannot create the folder {out_dir}: {err.strerror}.", "Pass a writable --out."
        ) from err


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: ExportFormat) -> list[Path]:
    """Write every table and view to ``out_dir/<name>.<fmt>`` with DuckDB's COPY."""
    if fmt not in ("parquet", "csv"):
        raise UsageError(f"Unknown export format {fmt!r}.", "Use --format parquet or csv.")
    make_out_dir(out_dir)
    written: list[Path] = []
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    for name in (*TABLES, *VIEWS):
        target = out_dir / f"{name}.{fmt}"
        quoted = str(target).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {name}) TO '{quoted}' ({options})")
        written.append(target)
    return written


def documents_named(con: duckdb.DuckDBPyConnection, name: str) -> tuple[StoredDocument, ...]:
    """Stored documents whose file name (at any path seen) is ``name``, else whose file
    stem is ``name``; newest first."""
    sql = """
        SELECT DISTINCT d.document_id, d.file_name, d.status, d.code_version, d.error,
               d.ingested_at
        FROM documents AS d
        LEFT JOIN document_paths AS p ON p.document_id = d.document_id
        WHERE {cond}
        ORDER BY d.ingested_at DESC, d.document_id
    """
    by_name = "d.file_name = $name OR p.file_name = $name"
    by_stem = (
        "regexp_replace(d.file_name, '\\.[^.]*$', '') = $name "
        "OR regexp_replace(p.file_name, '\\.[^.]*$', '') = $name"
    )
    for cond in (by_name, by_stem):
        rows = con.execute(sql.format(cond=cond), {"name": name}).fetchall()
        if rows:
            return tuple(
                StoredDocument(
                    document_id=r[0], file_name=r[1], status=r[2], code_version=r[3], error=r[4]
                )
                for r in rows
            )
    return ()


def stored_rows(con: duckdb.DuckDBPyConnection, document_id: str) -> tuple[StoredRow, ...]:
    """A document's stored assessment rows in document order."""
    rows = con.execute(
        """
        SELECT row_number, code_version, provision_id, coalesce(requirement_text, ''),
               compliance
        FROM assessments WHERE document_id = ? ORDER BY row_number
        """,
        [document_id],
    ).fetchall()
    return tuple(
        StoredRow(
            row_number=r[0],
            code_version=r[1],
            provision_id=r[2],
            requirement_text=r[3],
            compliance=r[4],
        )
        for r in rows
    )


def landlord_table(con: duckdb.DuckDBPyConnection) -> Sequence[tuple[Any, ...]]:
    """Per landlord: type, documents, versions, latest year (for summaries)."""
    return con.execute(
        """
        SELECT landlord, any_value(landlord_type), count(*),
               string_agg(DISTINCT code_version, ', ' ORDER BY code_version),
               max(assessment_year)
        FROM documents WHERE status = 'ok' GROUP BY landlord ORDER BY landlord NULLS LAST
        """
    ).fetchall()


def summary_markdown(con: duckdb.DuckDBPyConnection) -> str:
    """A minimal Markdown summary of the database (used when no report module exists)."""
    s = status_summary(con)
    lines = ["# chc summary", "", f"Documents: {s.documents}", ""]
    lines += ["| status | documents |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in s.by_status]
    lines += ["", "| Code version | documents |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in s.by_version]
    lines += [
        "",
        f"Assessment rows: {s.assessment_rows} ({s.aligned_rows} aligned to a provision, "
        f"{s.rows_needing_review} needing review).",
        "",
        "| landlord | type | documents | Code versions | latest year |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r[0] or '(unknown)'} | {r[1]} | {r[2]} | {r[3] or ''} | {r[4] or ''} |"
        for r in landlord_table(con)
    ]
    if s.failed:
        lines += ["", "## Failed documents", ""]
        lines += [f"- `{f.source_path}`: {f.error}" for f in s.failed]
    return "\n".join(lines) + "\n"


__all__ = [
    "SCHEMA_VERSION",
    "TABLES",
    "VIEWS",
    "FailedDocument",
    "ReviewItem",
    "StatusSummary",
    "StoredDocument",
    "StoredRow",
    "connect",
    "documents_named",
    "export_tables",
    "init_db",
    "known_landlords",
    "open_db",
    "record_path",
    "review_items",
    "schema_version",
    "status_summary",
    "stored_hashes",
    "stored_rows",
    "summary_markdown",
    "table_counts",
    "write_document",
]
