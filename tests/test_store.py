"""pipeline/store: schema, idempotent init, atomic document writes, views, export."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline import store
from pipeline.errors import DatabaseInUseError, UsageError
from pipeline.process import DocumentResult, process_file
from pipeline.reference import load_reference
from pipeline.store import write as store_write

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "batch"))
from chc_batch_fakes import FAKE_STAGES, fake_document


def make_result(tmp: Path, name: str, text: str) -> DocumentResult:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return process_file(path, stages=FAKE_STAGES)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = store.open_db(tmp_path / "t.duckdb", load_reference())
    yield c
    c.close()


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_init_is_idempotent_and_records_schema_version(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    for _ in range(2):
        c = store.open_db(db, load_reference())
        versions = c.execute(
            "SELECT code_version, count(*) FROM provisions GROUP BY 1 ORDER BY 1"
        ).fetchall()
        assert versions == [("2020", 36), ("2022", 72), ("2024", 72)]
        assert count(c, "SELECT count(*) FROM crosswalk") == len(load_reference().crosswalk)
        assert count(c, "SELECT count(*) FROM schema_meta WHERE key = 'schema_version'") == 1
        assert store.schema_version(c) == store.SCHEMA_VERSION
        c.close()


def test_newer_schema_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("UPDATE schema_meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(UsageError, match="schema version 999"):
        store.init_db(con, load_reference())


def test_write_document_stores_rows_and_replaces_them(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    result = make_result(
        tmp_path, "a.txt", fake_document("Testshire Council", 2024, ["1.2", "6.3", "9.9"])
    )
    store.write_document(con, result)
    store.write_document(con, result)  # again: replaced, not duplicated
    doc_id = result.document_id
    assert count(con, "SELECT count(*) FROM documents") == 1
    assert count(con, f"SELECT count(*) FROM assessments WHERE document_id = '{doc_id}'") == 3
    aligned = con.execute(
        "SELECT provision_id, obligation, section_number, raw_cells FROM assessments "
        "WHERE provision_id IS NOT NULL ORDER BY row_number"
    ).fetchall()
    assert [a[0] for a in aligned] == ["1.2", "6.3"]
    assert aligned[1][1] == "must" and aligned[1][2] == 6  # filled from provisions
    assert aligned[0][3].startswith('["1.2", ')
    unaligned = con.execute(
        "SELECT printed_id FROM assessments WHERE provision_id IS NULL"
    ).fetchall()
    assert unaligned == [("9.9",)]  # kept, not dropped
    doc = con.execute(
        "SELECT status, landlord, assessment_year, code_version, rows_found, rows_aligned "
        "FROM documents"
    ).fetchone()
    assert doc == ("ok", "Testshire Council", 2024, "2024", 3, 2)


def test_failed_write_leaves_the_old_rows(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = make_result(tmp_path, "a.txt", fake_document("Testshire Council", 2024, ["1.2", "1.3"]))
    store.write_document(con, old)
    new = make_result(tmp_path, "a.txt", fake_document("Testshire Council", 2024, ["6.1"]))
    new = DocumentResult(**{**{f: getattr(new, f) for f in new.__slots__}, "sha256": old.sha256})

    def boom(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_write, "_insert_members", boom)  # after rows were deleted+inserted
    with pytest.raises(RuntimeError, match="disk full"):
        store.write_document(con, new)
    ids = con.execute("SELECT provision_id FROM assessments ORDER BY row_number").fetchall()
    assert ids == [("1.2",), ("1.3",)]
    assert count(con, "SELECT count(*) FROM documents") == 1


def test_views_answers_latest_and_crosswalk(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    r22 = make_result(
        tmp_path, "t22.txt", fake_document("Testshire Council", 2023, ["4.1"], code="2022")
    )
    r24a = make_result(
        tmp_path, "t24a.txt", fake_document("Testshire Council", 2024, ["6.2"], answer="No")
    )
    r24b = make_result(tmp_path, "t24b.txt", fake_document("Testshire Council", 2025, ["6.2"]))
    for r in (r22, r24a, r24b):
        store.write_document(con, r)
    assert count(con, "SELECT count(*) FROM v_answers") == 3
    latest = con.execute(
        "SELECT code_version, assessment_year, compliance FROM v_latest ORDER BY 1"
    ).fetchall()
    assert latest == [("2022", 2023, "yes"), ("2024", 2025, "yes")]
    pairs = con.execute(
        "SELECT from_version, from_id, to_version, to_id, to_year, to_compliance "
        "FROM v_crosswalk_answers WHERE from_version = '2022' ORDER BY to_year"
    ).fetchall()
    assert pairs == [
        ("2022", "4.1", "2024", "6.2", 2024, "no"),
        ("2022", "4.1", "2024", "6.2", 2025, "yes"),
    ]


def test_review_lists_flagged_and_unaligned_rows(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    text = fake_document("Testshire Council", 2024, ["1.2", "9.9"], answer="maybe")
    store.write_document(con, make_result(tmp_path, "r.txt", text))
    items = store.review_items(con)
    assert [(i.provision_id, i.reason) for i in items] == [
        ("1.2", "ambiguous_answer"),
        (None, "ambiguous_answer"),
    ]
    assert items[0].file_name == "r.txt" and items[0].raw_cells[0] == "1.2"


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_round_trips_with_pandas(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    store.write_document(
        con,
        make_result(tmp_path, "e.txt", fake_document("Testshire Council", 2024, ["1.2", "2.1"])),
    )
    counts = store.table_counts(con)
    written = store.export_tables(con, tmp_path / "out", fmt)  # type: ignore[arg-type]
    assert {p.stem for p in written} == set(store.TABLES) | set(store.VIEWS)
    for path in written:
        frame = (
            pd.read_parquet(path) if fmt == "parquet" else pd.read_csv(path, encoding="utf-8-sig")
        )
        assert len(frame) == counts[path.stem], path.name


def test_csv_export_opens_in_excel_with_accents(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    name = "Ynys Môn Council £"
    store.write_document(con, make_result(tmp_path, "w.txt", fake_document(name, 2024, ["1.2"])))
    store.export_tables(con, tmp_path / "out", "csv")
    raw = (tmp_path / "out" / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert name.encode("utf-8") in raw
    frame = pd.read_csv(tmp_path / "out" / "documents.csv", encoding="utf-8-sig")
    assert list(frame["landlord"]) == [name] and frame.columns[0] == "document_id"


def test_xlsx_export_has_a_sheet_per_table_and_view(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    text = fake_document("Testshire Council", 2024, ["1.2", "2.1"]).replace(
        "evidence", "evidence\x07with a bell"
    )
    store.write_document(con, make_result(tmp_path, "x.txt", text))
    counts = store.table_counts(con)
    (book,) = store.export_tables(con, tmp_path / "out", "xlsx")
    sheets = pd.read_excel(book, sheet_name=None)
    assert set(sheets) == set(store.TABLES) | set(store.VIEWS)
    for name, frame in sheets.items():
        assert len(frame) == counts[name], name
    assert set(sheets["v_answers"]["evidence"]) == {"evidence with a bell"}


def test_unknown_export_format_is_a_usage_error(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match="parquet, csv or xlsx"):
        store.export_tables(con, tmp_path / "out", "json")  # type: ignore[arg-type]


def test_missing_database_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no database"):
        store.connect(tmp_path / "none.duckdb", read_only=True)


def test_not_a_database_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_text("this is not duckdb", encoding="utf-8")
    with pytest.raises(UsageError, match="is a text file, not a DuckDB database"):
        store.connect(bad)


def test_database_held_by_another_process_is_in_use(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    store.open_db(db, load_reference()).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
         " time.sleep(30)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseInUseError, match=f"in use by process {holder.pid} "):
            store.connect(db)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    time.sleep(0.1)
    store.connect(db).close()  # released once the other process ends


def test_status_lists_failed_and_doubtful_documents(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    early = fake_document("Testshire Council", 2022, ["1.2"])  # a 2024 form dated 2022
    store.write_document(con, make_result(tmp_path, "early.txt", early))
    store.write_document(con, make_result(tmp_path, "empty.txt", ""))
    summary = store.status_summary(con)
    assert dict(summary.by_status) == {"ok": 1, "failed": 1}
    assert [(f.error_code, Path(f.source_path).name) for f in summary.failed] == [
        ("empty_file", "empty.txt")
    ]
    assert [(Path(p).name, n) for p, n in summary.doubtful] == [
        ("early.txt", "a 2024-Code form dated 2022")
    ]
