"""Tests for pipeline/report.py: the benchmark files and their numbers.

Each test builds its own DuckDB database with only the contract's minimum columns
(docs/contract.md), then checks the CSVs against counts computed here, independently
of the report code (plain Python over the rows inserted).
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.errors import UsageError
from pipeline.report import write_report

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ANSWERS = ("yes", "no", "partial", "na", "unknown")

SCHEMA = """
CREATE TABLE documents (document_id VARCHAR, source_path VARCHAR, sha256 VARCHAR,
    format VARCHAR, pages INTEGER, landlord VARCHAR, landlord_type VARCHAR,
    assessment_year INTEGER, code_version VARCHAR, status VARCHAR, error VARCHAR,
    ingested_at TIMESTAMP);
CREATE TABLE assessments (document_id VARCHAR, code_version VARCHAR, provision_id VARCHAR,
    compliance VARCHAR, compliance_raw VARCHAR, requirement_text VARCHAR, evidence VARCHAR,
    commentary VARCHAR, actions VARCHAR, page INTEGER, table_index INTEGER,
    row_index INTEGER, match_score DOUBLE, match_method VARCHAR, needs_review BOOLEAN,
    review_reason VARCHAR);
CREATE TABLE provisions (code_version VARCHAR, provision_id VARCHAR, section_number INTEGER,
    section_title VARCHAR, obligation VARCHAR, requirement_text VARCHAR);
CREATE TABLE crosswalk (from_version VARCHAR, from_id VARCHAR, to_version VARCHAR,
    to_id VARCHAR, relation VARCHAR);
"""


@dataclass(frozen=True)
class Doc:
    document_id: str
    landlord: str | None
    version: str | None
    year: int | None
    status: str = "ok"
    landlord_type: str = "council"
    ingested: int = 0  # minutes after a fixed start


@dataclass(frozen=True)
class Answer:
    document_id: str
    provision_id: str | None
    compliance: str
    needs_review: bool = False
    reason: str = ""


def build_db(
    path: Path,
    docs: Sequence[Doc],
    answers: Sequence[Answer],
    provisions: Sequence[tuple[str, str, int, str, str]],
) -> Path:
    start = datetime(2026, 1, 1, 9, 0)
    version_of = {d.document_id: d.version for d in docs}
    tables = {
        "documents": [
            (
                d.document_id,
                f"in/{d.document_id}.pdf",
                "",
                "pdf",
                1,
                d.landlord,
                d.landlord_type if d.landlord else None,
                d.year,
                d.version,
                d.status,
                None,
                start + timedelta(minutes=d.ingested),
            )
            for d in docs
        ],
        "assessments": [
            (
                a.document_id,
                version_of[a.document_id],
                a.provision_id,
                a.compliance,
                a.compliance,
                "",
                "",
                "",
                "",
                1,
                0,
                index,
                90.0,
                "id",
                a.needs_review,
                a.reason,
            )
            for index, a in enumerate(answers)
        ],
        "provisions": [(*p, "") for p in provisions],
    }
    con = duckdb.connect(str(path))
    con.execute(SCHEMA)
    for table, rows in tables.items():
        if rows:  # through a DataFrame: row-by-row inserts are slow in DuckDB
            columns = [c[0] for c in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
            frame = pd.DataFrame(rows, columns=columns)
            con.register("frame", frame)
            con.execute(f"INSERT INTO {table} SELECT * FROM frame")
            con.unregister("frame")
    con.close()
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


PROVISIONS = [
    ("2024", "1.2", 1, "Definition of a complaint", "must"),
    ("2024", "1.3", 1, "Definition of a complaint", "must"),
    ("2024", "2.1", 2, "Exclusions", "must"),
    ("2022", "1.2", 1, "Definition of a complaint", "must"),
    ("2022", "1.4", 1, "Definition of a complaint", "should"),
]

DOCS = [
    # Same landlord, version and year in two formats: b has more aligned rows.
    Doc("a", "Exampleton Council", "2024", 2024, ingested=5),
    Doc("b", "Exampleton Council", "2024", 2024, ingested=1),
    # Same landlord, another year: counted separately.
    Doc("c", "Exampleton Council", "2024", 2025, ingested=2),
    Doc("d", "Otherby Homes", "2024", 2024, landlord_type="housing_association"),
    # Equal aligned rows: the latest ingested (f) is used.
    Doc("e", "Thirdham Borough Council", "2022", 2023, ingested=1),
    Doc("f", "Thirdham Borough Council", "2022", 2023, ingested=9),
    # No landlord: counted on its own.
    Doc("g", None, "2022", None),
    # Not counted: failed, and no Code version.
    Doc("h", "Exampleton Council", None, None, status="failed"),
    Doc("i", "Exampleton Council", None, 2024, status="no_assessment_found"),
]

ANSWER_ROWS = [
    Answer("a", "1.2", "yes"),
    Answer("b", "1.2", "partial"),
    Answer("b", "1.3", "no", True, "low_match_score"),
    Answer("b", "1.3", "yes"),  # a second row for 1.3: only the first counts
    Answer("b", None, "unknown", True, "unaligned_row; low_match_score"),
    Answer("c", "1.2", "yes"),
    Answer("c", "1.3", "yes"),
    Answer("c", "2.1", "na"),
    Answer("d", "2.1", "unknown", True, "ambiguous_answer"),
    Answer("e", "1.2", "no"),
    Answer("f", "1.2", "yes"),
    Answer("g", "1.2", "yes"),
    Answer("g", "1.4", "partial"),
]


def expected_choice(docs: Sequence[Doc], answers: Sequence[Answer]) -> dict[str, Doc]:
    """The rule stated in the report, computed by hand: per landlord/version/year the
    document with most aligned rows, then latest ingested."""
    aligned = Counter(a.document_id for a in answers if a.provision_id)
    groups: dict[tuple[str, str, str], list[Doc]] = defaultdict(list)
    for d in docs:
        if d.status == "ok" and d.version:
            groups[(d.landlord or d.document_id, d.version, str(d.year))].append(d)
    return {
        key[0] + "|" + key[1] + "|" + key[2]: max(
            group, key=lambda d: (aligned[d.document_id], d.ingested)
        )
        for key, group in groups.items()
    }


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    tmp_path = tmp_path_factory.mktemp("report")
    db = build_db(tmp_path / "chc.duckdb", DOCS, ANSWER_ROWS, PROVISIONS)
    out = tmp_path / "reports"
    return write_report(db, out), out


def test_files_written(report: tuple[list[Path], Path]) -> None:
    files, out = report
    names = {p.name for p in files}
    assert {
        "benchmark.md",
        "benchmark.html",
        "benchmark_by_provision.csv",
        "benchmark_by_landlord.csv",
        "chart_sections_2022.png",
        "chart_sections_2024.png",
        "chart_landlords_2022.png",
        "chart_landlords_2024.png",
    } <= names
    for path in files:
        assert path.parent == out and path.stat().st_size > 0
    for png in out.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert files == sorted(files)


def test_provision_csv_equals_rows(report: tuple[list[Path], Path]) -> None:
    _, out = report
    chosen = expected_choice(DOCS, ANSWER_ROWS)
    assert sorted(d.document_id for d in chosen.values()) == ["b", "c", "d", "f", "g"]
    first: dict[tuple[str, str], str] = {}
    for a in ANSWER_ROWS:
        if a.provision_id:
            first.setdefault((a.document_id, a.provision_id), a.compliance)
    rows = read_csv(out / "benchmark_by_provision.csv")
    assert [(r["code_version"], r["provision_id"]) for r in rows] == [
        ("2022", "1.2"),
        ("2022", "1.4"),
        ("2024", "1.2"),
        ("2024", "1.3"),
        ("2024", "2.1"),
    ]
    for r in rows:
        members = [d.document_id for d in chosen.values() if d.version == r["code_version"]]
        counts = Counter(first.get((m, r["provision_id"]), "not_found") for m in members)
        assert int(r["landlords"]) == len(members)
        for answer in (*ANSWERS, "not_found"):
            assert int(r[answer]) == counts[answer], (r["provision_id"], answer)
            assert float(r[f"share_{answer}"]) == pytest.approx(
                counts[answer] / len(members), abs=1e-4
            )


def test_landlord_csv_equals_rows(report: tuple[list[Path], Path]) -> None:
    _, out = report
    chosen = expected_choice(DOCS, ANSWER_ROWS)
    rows = read_csv(out / "benchmark_by_landlord.csv")
    assert [r["document_id"] for r in rows] == ["b", "c", "d", "f", "g"]
    by_doc = {r["document_id"]: r for r in rows}
    for d in chosen.values():
        r = by_doc[d.document_id]
        firsts: dict[str, str] = {}
        for a in ANSWER_ROWS:
            if a.document_id == d.document_id and a.provision_id:
                firsts.setdefault(a.provision_id, a.compliance)
        counts = Counter(firsts.values())
        for answer in ANSWERS:
            assert int(r[answer]) == counts[answer]
        assert int(r["provisions_answered"]) == len(firsts)
        assert float(r["share_yes"]) == pytest.approx(counts["yes"] / len(firsts), abs=1e-4)
        review = sum(1 for a in ANSWER_ROWS if a.document_id == d.document_id and a.needs_review)
        assert int(r["rows_needing_review"]) == review
    assert by_doc["b"]["documents_in_group"] == "2"
    assert by_doc["f"]["documents_in_group"] == "2"
    assert by_doc["g"]["landlord"].startswith("Unidentified (g.pdf")
    assert by_doc["d"]["landlord_type"] == "housing_association"


def test_markdown_summary(report: tuple[list[Path], Path]) -> None:
    _, out = report
    text = (out / "benchmark.md").read_text(encoding="utf-8")
    assert text.count("Generated from 9 documents.") == 1
    assert "| failed | 1 |" in text and "| ok | 7 |" in text
    assert "| no_assessment_found | 1 |" in text
    assert "2 documents were set aside" in text
    assert "4 landlords, 5 landlord assessments" in text
    # Lowest compliance first in the 2024 provision table: 2.1 (0% yes) before 1.2.
    section = text.split("## 2024 Code: provisions by compliance")[1]
    assert section.index("| 2.1 |") < section.index("| 1.2 |")
    # Review counts split "a; b" reasons.
    assert "| low_match_score | 2 |" in text
    assert "| unaligned_row | 1 |" in text
    html = (out / "benchmark.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<table" in html
    assert 'src="chart_sections_2024.png"' in html


def test_stored_spellings_of_one_landlord_count_once(tmp_path: Path) -> None:
    docs = [
        Doc("r1", "Rotherham Council", "2024", 2024, ingested=1),
        Doc("r2", "RMBC", "2024", 2024, ingested=2),
        Doc("r3", "Rotherham Metropolitan Borough Council", "2024", 2023, ingested=3),
    ]
    answers = [Answer("r1", "1.2", "yes"), Answer("r2", "1.2", "no"), Answer("r3", "1.2", "no")]
    db = build_db(tmp_path / "chc.duckdb", docs, answers, PROVISIONS)
    write_report(db, tmp_path / "out", charts=False)
    rows = read_csv(tmp_path / "out" / "benchmark_by_landlord.csv")
    assert [(r["landlord"], r["assessment_year"], r["document_id"]) for r in rows] == [
        ("Rotherham Metropolitan Borough Council", "2023", "r3"),
        ("Rotherham Metropolitan Borough Council", "2024", "r2"),  # latest ingested
    ]


def test_document_without_year_joins_the_only_year(tmp_path: Path) -> None:
    docs = [
        Doc("x1", "Exampleton Council", "2024", 2024, ingested=1),
        Doc("x2", "Exampleton Council", "2024", None, ingested=2),
        Doc("y1", "Otherby Homes", "2022", 2022),
        Doc("y2", "Otherby Homes", "2022", 2023),
        Doc("y3", "Otherby Homes", "2022", None),
    ]
    answers = [Answer(d.document_id, "1.2", "yes") for d in docs]
    db = build_db(tmp_path / "chc.duckdb", docs, answers, PROVISIONS)
    write_report(db, tmp_path / "out", charts=False)
    rows = read_csv(tmp_path / "out" / "benchmark_by_landlord.csv")
    assert [(r["landlord"], r["assessment_year"], r["documents_in_group"]) for r in rows] == [
        ("Exampleton Council", "2024", "2"),
        ("Otherby Homes", "", "1"),  # two known years: which one is not guessed
        ("Otherby Homes", "2022", "1"),
        ("Otherby Homes", "2023", "1"),
    ]


def test_output_is_deterministic(tmp_path: Path) -> None:
    db = build_db(tmp_path / "chc.duckdb", DOCS, ANSWER_ROWS, PROVISIONS)
    first = {p.name: p.read_bytes() for p in write_report(db, tmp_path / "one")}
    second = {p.name: p.read_bytes() for p in write_report(db, tmp_path / "two")}
    assert first == second


def test_empty_database(tmp_path: Path) -> None:
    db = build_db(tmp_path / "chc.duckdb", [], [], PROVISIONS)
    files = write_report(db, tmp_path / "out")  # nothing to chart
    assert {p.name for p in files} == {
        "benchmark.md",
        "benchmark.html",
        "benchmark_by_provision.csv",
        "benchmark_by_landlord.csv",
    }
    assert read_csv(tmp_path / "out" / "benchmark_by_provision.csv") == []
    assert "Generated from 0 documents." in (tmp_path / "out" / "benchmark.md").read_text()


def test_missing_database_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        write_report(tmp_path / "nope.duckdb", tmp_path / "out")


def test_database_without_contract_tables(tmp_path: Path) -> None:
    db = tmp_path / "other.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE documents (document_id VARCHAR)")
    con.close()
    with pytest.raises(UsageError, match="documents"):
        write_report(db, tmp_path / "out")


# --- the bundled corpus ------------------------------------------------------------


def corpus_rows() -> tuple[list[Doc], list[Answer], list[dict[str, str]]]:
    manifest = read_csv(CORPUS / "manifest.csv")
    docs: list[Doc] = []
    answers: list[Answer] = []
    for minute, entry in enumerate(manifest):
        name = Path(entry["file"]).name
        gold = CORPUS / "gold" / f"{name}.jsonl"
        assert gold.is_file(), f"no gold for {name}"
        docs.append(
            Doc(
                name,
                entry["landlord"],
                entry["code_version"],
                int(entry["assessment_year"]),
                landlord_type=entry["landlord_type"],
                ingested=minute,
            )
        )
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                answers.append(Answer(name, row["provision_id"], row["compliance"]))
    return docs, answers, manifest


@pytest.mark.slow
def test_report_from_corpus_gold(tmp_path: Path) -> None:
    """A database holding the corpus gold rows: the report counts each seed's landlord
    once, and its shares equal the gold answers of the document it used."""
    from pipeline.reference import load_reference

    docs, answers, manifest = corpus_rows()
    ref = load_reference()
    provisions = [
        (p.code_version, p.provision_id, p.section_number, p.section_title, p.obligation)
        for p in ref.provisions
    ]
    db = build_db(tmp_path / "chc.duckdb", docs, answers, provisions)
    write_report(db, tmp_path / "out", charts=False)
    chosen = expected_choice(docs, answers)
    landlords = read_csv(tmp_path / "out" / "benchmark_by_landlord.csv")
    assert len(landlords) == len({(m["landlord"], m["code_version"]) for m in manifest})
    assert sorted(r["document_id"] for r in landlords) == sorted(
        d.document_id for d in chosen.values()
    )
    first: dict[tuple[str, str], str] = {}
    for a in answers:
        first.setdefault((a.document_id, str(a.provision_id)), a.compliance)
    for r in read_csv(tmp_path / "out" / "benchmark_by_provision.csv"):
        members = [d.document_id for d in chosen.values() if d.version == r["code_version"]]
        counts = Counter(first.get((m, r["provision_id"]), "not_found") for m in members)
        for answer in (*ANSWERS, "not_found"):
            assert int(r[answer]) == counts[answer]
