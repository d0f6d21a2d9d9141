"""The SELECTs behind the sector benchmark (``pipeline.report``): the report reads the
views, never the tables, so its figures are the ones a researcher gets in SQL."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportData:
    """What the benchmark is computed from (one DataFrame per view, as read)."""

    documents_by_status: pd.DataFrame  # status, documents
    documents_by_version: pd.DataFrame  # code_version, documents (ok documents)
    documents: int
    assessments: pd.DataFrame  # v_assessments
    answers: pd.DataFrame  # v_answers
    provisions: pd.DataFrame  # provisions
    crosswalk_answers: pd.DataFrame  # v_crosswalk_answers
    review: pd.DataFrame  # v_review rows of assessments


_ANSWER_COLUMNS = """
    assessment_id, landlord, landlord_type, assessment_year, code_version, provision_id,
    section_number, section_title, obligation, answer_kind, compliance,
    coalesce(compliance_raw, '') AS compliance_raw, coalesce(answer_inferred, false)
    AS answer_inferred, coalesce(evidence, '') AS evidence,
    coalesce(commentary, '') AS commentary, coalesce(actions, '') AS actions,
    coalesce(stated_actions, '') AS stated_actions, needs_review,
    coalesce(review_reason, '') AS review_reason, document_id, file_name, page,
    table_index, row_index, documents_with_row, answers_seen, code_order
"""


def read_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Read the views the benchmark needs (the database must have the current schema)."""
    count = con.execute("SELECT count(*) FROM documents").fetchone()
    return ReportData(
        documents_by_status=con.execute(
            "SELECT status, count(*) AS documents FROM documents GROUP BY 1 ORDER BY 1"
        ).df(),
        documents_by_version=con.execute(
            """SELECT coalesce(code_version, 'none') AS code_version, count(*) AS documents
               FROM documents WHERE status = 'ok' GROUP BY 1 ORDER BY 1"""
        ).df(),
        documents=int(count[0]) if count else 0,
        assessments=con.execute(
            "SELECT * FROM v_assessments ORDER BY landlord NULLS LAST, code_version, "
            "assessment_year NULLS LAST, assessment_id"
        ).df(),
        answers=con.execute(
            f"SELECT {_ANSWER_COLUMNS} FROM v_answers "
            "ORDER BY assessment_id, code_version, code_order, provision_id"
        ).df(),
        provisions=con.execute(
            """SELECT code_version, provision_id, section_number, section_title, obligation,
                      coalesce(answer_kind, 'yes_no') AS answer_kind, requirement_text,
                      code_order
               FROM provisions ORDER BY code_version, code_order"""
        ).df(),
        crosswalk_answers=con.execute(
            """SELECT * FROM v_crosswalk_answers
               ORDER BY landlord, from_version, from_id, to_version, to_id, from_year, to_year"""
        ).df(),
        review=con.execute(
            """SELECT assessment_id, file_name, page, code_version, provision_id, printed_id,
                      compliance, suggested_compliance, review_reason
               FROM v_review WHERE assessment_id IS NOT NULL
               ORDER BY assessment_id, file_name, row_number"""
        ).df(),
    )
