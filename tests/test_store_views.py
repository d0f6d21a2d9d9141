"""pipeline/store/views.sql: assessments as the union of their documents, renderings
once, the README's headline query, the crosswalk links, and the v1 -> v2 migration."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from pipeline import store
from pipeline.errors import UsageError
from pipeline.reference import load_reference

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "report"))
from report_db import Form, answers, build_db

ROTHER = "Rotherham Metropolitan Borough Council"


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_renderings_of_one_form_count_once(tmp_path: Path) -> None:
    form = (*answers("1.2 1.3", "Yes"), ("2.1", "maybe"))
    db = build_db(
        tmp_path / "t.duckdb",
        [Form(f"r.{n}.txt", ROTHER, 2024, form, copy=n) for n in ("pdf", "docx", "html")],
    )
    assert rows(db, "SELECT count(*) FROM documents") == [(3,)]
    assert rows(db, "SELECT count(*), count(DISTINCT provision_id) FROM v_answers") == [(3, 3)]
    assert rows(db, "SELECT documents, yes, unknown, answered FROM v_assessments") == [(3, 2, 1, 2)]
    # The flagged row is one row to review, not one per rendering.
    assert rows(db, "SELECT provision_id, review_reason FROM v_review") == [
        ("2.1", "ambiguous_answer")
    ]
    assert rows(db, "SELECT DISTINCT documents_with_row FROM v_answers") == [(3,)]


def test_pages_of_one_assessment_are_unioned_and_disagreement_flagged(tmp_path: Path) -> None:
    db = build_db(
        tmp_path / "t.duckdb",
        [
            Form("p1.txt", ROTHER, 2024, answers("1.2 1.3", "Yes")),
            Form("p2.txt", ROTHER, 2024, (("1.3", "No"), ("2.1", "Partial"))),
        ],
    )
    got = rows(
        db,
        "SELECT provision_id, documents_with_row, answers_seen, needs_review, review_reason "
        "FROM v_answers ORDER BY provision_id",
    )
    assert got == [
        ("1.2", 1, "yes", False, None),
        ("1.3", 2, "no/yes", True, "documents_disagree"),
        ("2.1", 1, "partial", False, None),
    ]
    assert rows(db, "SELECT count(*) FROM v_assessments") == [(1,)]
    assert rows(db, "SELECT provisions_disagreeing FROM v_assessments") == [(1,)]


def test_representative_document_does_not_depend_on_ingest_order(tmp_path: Path) -> None:
    forms = [
        Form("short.txt", ROTHER, 2024, answers("1.2", "Yes")),
        Form("full_a.txt", ROTHER, 2024, answers("1.2 1.3", "No"), copy="a"),
        Form("full_b.txt", ROTHER, 2024, answers("1.2 1.3", "No"), copy="b"),
    ]
    sql = "SELECT representative_file FROM v_assessments"
    first = rows(build_db(tmp_path / "one.duckdb", forms), sql)
    second = rows(build_db(tmp_path / "two.duckdb", forms[::-1]), sql)
    assert first == second
    assert first[0][0] in {"full_a.txt", "full_b.txt"}  # most provisions wins


def test_a_document_without_year_joins_the_only_year(tmp_path: Path) -> None:
    db = build_db(
        tmp_path / "t.duckdb",
        [
            Form("a.txt", ROTHER, 2024, answers("1.2", "Yes")),
            Form("b.txt", ROTHER, 2025, answers("1.3", "Yes"), copy="b"),
            Form("c.txt", "Otherby Homes", 2024, answers("1.2", "No")),
            Form("d.txt", "Otherby Homes", 2024, answers("1.3", "No"), copy="d"),
        ],
    )
    con = duckdb.connect(str(db))
    con.execute("UPDATE documents SET assessment_year = NULL WHERE file_name IN ('b.txt', 'd.txt')")
    con.close()
    got = rows(db, "SELECT file_name, assessment_id FROM v_assessment_documents ORDER BY 1")
    assert got == [
        ("a.txt", f"{ROTHER}|2024|2024"),
        ("b.txt", f"{ROTHER}|2024|2024"),  # Rotherham's only known 2024-Code year
        ("c.txt", "Otherby Homes|2024|2024"),
        ("d.txt", "Otherby Homes|2024|2024"),
    ]


def test_headline_query_with_two_versions_of_one_landlord(tmp_path: Path) -> None:
    db = build_db(
        tmp_path / "t.duckdb",
        [
            # 2022 4.1 links to 2024 5.2 and 6.2 (split); each form in two renderings.
            *(
                Form(f"r22.{n}", ROTHER, 2023, (("4.1", "Yes"),), code="2022", copy=n)
                for n in ("pdf", "docx")
            ),
            *(
                Form(f"r24.{n}", ROTHER, 2024, (("6.2", "No"), ("5.2", "Yes")), copy=n)
                for n in ("pdf", "docx", "html")
            ),
        ],
    )
    got = rows(
        db,
        "SELECT landlord, from_version, from_id, from_compliance, to_compliance "
        "FROM v_crosswalk_answers WHERE to_version = '2024' AND to_id = '6.2' "
        "AND to_compliance IN ('no', 'partial')",
    )
    assert got == [(ROTHER, "2022", "4.1", "yes", "no")]  # once, not once per rendering
    readme = Path(__file__).resolve().parents[1] / "README.md"
    query = readme.read_text(encoding="utf-8").split("```sql")[1].split("```")[0]
    headline = rows(db, query.replace("'6.3'", "'6.2'"))
    assert headline == [(ROTHER, 2024, "no", "2022", "4.1", 2023, "yes")]


def test_latest_is_each_landlords_latest_assessment_per_version(tmp_path: Path) -> None:
    db = build_db(
        tmp_path / "t.duckdb",
        [
            Form("a24.txt", ROTHER, 2024, answers("1.2", "No")),
            Form("a25.txt", ROTHER, 2025, answers("1.2", "Yes")),
            Form("b22.txt", ROTHER, 2023, answers("1.2", "Yes"), code="2022"),
        ],
    )
    got = rows(db, "SELECT code_version, assessment_year, compliance FROM v_latest ORDER BY 1")
    assert got == [("2022", 2023, "yes"), ("2024", 2025, "yes")]
    assert rows(db, "SELECT count(*) FROM v_latest_documents") == [(2,)]


def test_crosswalk_links_are_the_reference_function(tmp_path: Path) -> None:
    con = store.open_db(tmp_path / "t.duckdb", load_reference())
    try:
        stored = set(con.execute("SELECT * FROM v_crosswalk_links").fetchall())
    finally:
        con.close()
    expected = {
        (v, pid, c.code_version, c.provision_id, c.relation, c.steps, " → ".join(c.path))
        for v, pid, c in load_reference().crosswalk_links()
    }
    assert stored == expected


V1_SCHEMA = """
CREATE TABLE schema_meta (key VARCHAR NOT NULL, value VARCHAR);
INSERT INTO schema_meta VALUES ('schema_version', '1');
CREATE TABLE provisions (code_version VARCHAR NOT NULL, provision_id VARCHAR NOT NULL,
    section_number INTEGER, section_title VARCHAR, obligation VARCHAR,
    requirement_text VARCHAR, code_order INTEGER);
"""


def test_a_version_1_database_is_migrated_by_init_and_refused_before(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(V1_SCHEMA)
    con.close()
    with pytest.raises(UsageError, match="schema version 1"):
        store.open_for_reading(db)
    store.open_db(db, load_reference()).close()
    con = store.open_for_reading(db)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION == 2
        kinds = con.execute(
            "SELECT answer_kind, count(*) FROM provisions WHERE code_version = '2020' "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert kinds == [("text", 9), ("yes_no", 27)]
