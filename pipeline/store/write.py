"""Writing documents: one transaction per document (all-or-nothing).

The main process is the only writer. ``write_document`` replaces one document's rows
(delete old rows, bulk-insert Arrow tables, upsert the ``documents`` row), so a crash
leaves the old rows or the new ones, never a mix.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from pipeline.store.schema import insert_arrow

if TYPE_CHECKING:  # only the type: the store must not import the stages (spaCy etc.)
    from pipeline.process import DocumentResult

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
    insert_arrow(con, "member_answers", members)


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
        insert_arrow(con, "documents", _document_table(result, ingested_at))
        _add_path(con, result.document_id, result.path, ingested_at)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def record_path(con: duckdb.DuckDBPyConnection, document_id: str, path: str) -> None:
    """Remember another path where already-stored content was seen."""
    _add_path(con, document_id, path, _now())
