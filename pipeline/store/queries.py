"""Reading the database: the SELECTs behind ``chc status``, ``review``, ``eval`` and the
batch (the report's are in ``report_data.py``)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

from pipeline.store.schema import TABLES, VIEWS


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
    rows_needing_review: int  # v_review: renderings of one form counted once
    landlords: int
    failed: tuple[FailedDocument, ...]
    doubtful: tuple[tuple[str, str], ...] = ()  # (source_path, version_note) to check
    assessments: int = 0  # landlord x Code version x year


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewFilter:
    """Which review rows to list (None: any)."""

    landlord: str | None = None  # case-insensitive part of the landlord's name
    reason: str | None = None  # one review reason code
    code_version: str | None = None
    limit: int | None = None


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
    landlord: str | None = None
    assessment_year: int | None = None


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
            (SELECT count(*) FROM v_review),
            (SELECT count(DISTINCT landlord) FROM documents WHERE status = 'ok'),
            (SELECT count(DISTINCT assessment_id) FROM v_assessment_documents)
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
        assessments=int(total[5]),
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


_REVIEW_WHERE = """
    WHERE ($landlord IS NULL OR contains(lower(coalesce(landlord, '')), lower($landlord)))
      AND ($version IS NULL OR code_version = $version)
      AND ($reason IS NULL OR list_contains(string_split(review_reason, '; '), $reason))
"""


def _review_params(where: ReviewFilter) -> dict[str, object]:
    return {"landlord": where.landlord, "version": where.code_version, "reason": where.reason}


def review_reasons(
    con: duckdb.DuckDBPyConnection, where: ReviewFilter = ReviewFilter()
) -> tuple[tuple[str, int], ...]:
    """Rows needing review per reason (a row with two reasons counts under each), most
    frequent first; the same filters as ``review_items`` (the limit aside)."""
    rows = con.execute(
        f"""
        SELECT reason, count(*) FROM (
            SELECT unnest(string_split(review_reason, '; ')) AS reason
            FROM v_review {_REVIEW_WHERE}
        ) GROUP BY reason ORDER BY 2 DESC, 1
        """,
        _review_params(where),
    ).fetchall()
    return tuple((str(r), int(n)) for r, n in rows)


def review_items(
    con: duckdb.DuckDBPyConnection,
    *,
    limit: int | None = None,
    where: ReviewFilter = ReviewFilter(),
) -> tuple[ReviewItem, ...]:
    """Rows needing review (v_review: flagged, disagreeing or unaligned; renderings of one
    form once), by landlord, Code version, year, file and row.

    Args:
        con: the database.
        limit: at most this many rows (overrides ``where.limit``).
        where: filters.
    """
    cap = limit if limit is not None else where.limit
    sql = f"""
        SELECT document_id, file_name, source_path, row_number, page, table_index,
               row_index, code_version, provision_id, coalesce(printed_id, ''), compliance,
               coalesce(compliance_raw, ''), suggested_compliance, match_score,
               coalesce(review_reason, ''), coalesce(raw_cells, '[]'), landlord,
               assessment_year
        FROM v_review {_REVIEW_WHERE}
        ORDER BY landlord NULLS LAST, code_version, assessment_year, file_name, document_id,
                 row_number
    """
    if cap is not None:
        sql += f" LIMIT {int(cap)}"
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
            landlord=r[16],
            assessment_year=r[17],
        )
        for r in con.execute(sql, _review_params(where)).fetchall()
    )


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
