"""pipeline/report: the figures (against counts made by hand from the forms below), the
self-contained page, the Markdown snapshot, and the published figures recomputed by
direct SQL on the corpus database."""

from __future__ import annotations

import csv
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from pipeline.errors import UsageError
from pipeline.report import write_report

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "report"))
from report_db import Form, build_db

SNAPSHOTS = Path(__file__).parent / "snapshots"
WHEN = datetime(2026, 1, 2, 9, 30, tzinfo=UTC)
A, B, C = "Ashby Council", "Brook Homes", "Carr ALMO"
FORMS = [
    # Ashby 2024: the same form twice (PDF and Word renderings) -> one assessment.
    *(
        Form(f"ashby24.{r}", A, 2024, (("1.2", "Yes"), ("1.3", "No"), ("2.1", "")), copy=r)
        for r in ("pdf", "docx")
    ),
    # Ashby 2025: next year under the same Code: 1.3 no -> yes, 1.2 yes -> partial.
    Form("ashby25.txt", A, 2025, (("1.2", "Partial"), ("1.3", "Yes"), ("2.1", "Yes"))),
    # Brook 2024 in two pages (files) -> one assessment, union of provisions.
    Form("brook_p1.txt", B, 2024, (("1.2", "Yes"),), landlord_type="housing_association"),
    Form("brook_p2.txt", B, 2024, (("1.3", "Partial"), ("2.1", "NA")),
         landlord_type="housing_association"),
    # Carr under 2020: 4e is an open question (a proportion), 1a a yes/no question.
    Form("carr20.txt", C, 2021, (("1a", "Yes"), ("4e", "Yes")), code="2020",
         landlord_type="almo"),
    # Carr under 2022 then 2024: 4.1 (2022) -> 6.2 (2024) through the crosswalk.
    Form("carr22.txt", C, 2023, (("4.1", "No"),), code="2022", landlord_type="almo"),
    Form("carr24.txt", C, 2024, (("6.2", "Yes"), ("1.2", "Yes")), landlord_type="almo"),
]  # fmt: skip


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    db = build_db(tmp / "chc.duckdb", FORMS)
    folder = tmp / "out"
    write_report(db, folder, generated=WHEN)
    return folder


def by(rows: list[dict[str, str]], *keys: str) -> dict[tuple[str, ...], dict[str, str]]:
    return {tuple(r[k] for k in keys): r for r in rows}


def test_each_landlord_counts_once_per_version_and_year(out: Path) -> None:
    landlords = read_csv(out / "landlords.csv")
    got = sorted((r["landlord"], r["code_version"], r["assessment_year"], r["documents"])
                 for r in landlords)  # fmt: skip
    assert got == [
        (A, "2024", "2024", "2"),
        (A, "2024", "2025", "1"),
        (B, "2024", "2024", "2"),
        (C, "2020", "2021", "1"),
        (C, "2022", "2023", "1"),
        (C, "2024", "2024", "1"),
    ]


def test_provision_counts_use_latest_assessments_and_answered_excludes_blanks(
    out: Path,
) -> None:
    rows = by(read_csv(out / "provisions.csv"), "code_version", "provision_id")
    # 2024 latest: Ashby 2025, Brook 2024, Carr 2024.
    p12 = rows[("2024", "1.2")]
    assert (p12["assessments"], p12["yes"], p12["partial"], p12["answered"]) == ("3", "2", "1", "3")
    p13 = rows[("2024", "1.3")]
    assert (p13["yes"], p13["partial"], p13["missing"], p13["answered"]) == ("1", "1", "1", "2")
    assert float(p13["share_not_fully_met"]) == pytest.approx(0.5)
    p21 = rows[("2024", "2.1")]  # Ashby yes, Brook n/a, Carr missing
    assert (p21["yes"], p21["na"], p21["missing"], p21["answered"]) == ("1", "1", "1", "1")
    # Ashby's blank 2.1 of 2024 is unknown in its own (older) assessment, never yes.
    cards = read_csv(out / "scorecards.csv")
    ashby24 = [r for r in cards if r["assessment_id"] == f"{A}|2024|2024"]
    assert {r["provision_id"]: r["answer"] for r in ashby24} == {
        "1.2": "yes", "1.3": "no", "2.1": "unknown",
    }  # fmt: skip
    assessments = by(read_csv(out / "landlords.csv"), "assessment_id")
    assert assessments[(f"{A}|2024|2024",)]["answered"] == "2"
    assert float(assessments[(f"{A}|2024|2024",)]["full_compliance_rate"]) == 0.5


def test_open_questions_are_text_not_scored(out: Path) -> None:
    rows = by(read_csv(out / "provisions.csv"), "code_version", "provision_id")
    e4 = rows[("2020", "4e")]
    assert (e4["answer_kind"], e4["text"], e4["yes"], e4["answered"]) == ("text", "1", "0", "0")
    assert e4["share_yes"] == ""
    carr = by(read_csv(out / "landlords.csv"), "code_version", "landlord")[("2020", C)]
    assert (carr["answered"], carr["yes"], carr["text_answers"]) == ("1", "1", "1")
    assert "T" in (out / "benchmark.md").read_text(encoding="utf-8")


def test_change_within_a_version_and_across_versions(out: Path) -> None:
    years = {(r["from_answer"], r["to_answer"]): r["count"]
             for r in read_csv(out / "year_transitions.csv")}  # fmt: skip
    # A blank answer that became yes is a transition too (unknown is never yes).
    assert years == {("yes", "partial"): "1", ("no", "yes"): "1", ("unknown", "yes"): "1"}
    crossed = read_csv(out / "version_changes.csv")
    assert [(r["landlord"], r["from_id"], r["to_id"], r["from_answer"], r["to_answer"])
            for r in crossed] == [
        (C, "1a", "1.2", "yes", "yes"),  # 2020 -> 2024 through 2022 1.2 ('same' both ways)
        (C, "4.1", "6.2", "no", "yes"),
    ]  # fmt: skip


def test_peer_rank_and_small_groups(out: Path) -> None:
    rows = by(read_csv(out / "landlords.csv"), "assessment_id")
    carr = rows[(f"{C}|2024|2024",)]
    assert (carr["peer_rank"], carr["peer_n"], carr["peer_quartile"]) == ("1", "1", "")
    assert rows[(f"{A}|2024|2024",)]["peer_rank"] == ""  # not its latest: not ranked
    text = (out / "benchmark.md").read_text(encoding="utf-8")
    assert "| 1 of 2 |" in text  # n < 5: counts, not "50%"
    assert "50%" not in text.split("## 2024 Code: every provision")[1].split("##")[0]


def test_page_is_self_contained(out: Path) -> None:
    page = (out / "index.html").read_text(encoding="utf-8")
    targets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", page)
    assert targets, "the page has links (contents, heatmap names)"
    assert all(t.startswith(("#", "data:")) for t in targets), {
        t for t in targets if not t.startswith(("#", "data:"))
    }
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert {t[1:] for t in targets if t.startswith("#")} <= ids  # every anchor resolves
    assert page.count("<svg") >= 3 and 'class="heatmap"' in page
    assert "Generated 2026-01-02 09:30 UTC by chc" in page
    assert "@import" not in page and "url(http" not in page


def test_output_is_deterministic(tmp_path: Path) -> None:
    db = build_db(tmp_path / "chc.duckdb", FORMS[:3])
    one = {p.name: p.read_bytes() for p in write_report(db, tmp_path / "1", generated=WHEN)}
    two = {p.name: p.read_bytes() for p in write_report(db, tmp_path / "2", generated=WHEN)}
    assert one == two


def test_empty_database_takes_the_same_path(tmp_path: Path) -> None:
    db = build_db(tmp_path / "chc.duckdb", [])
    names = {p.name for p in write_report(db, tmp_path / "out", generated=WHEN)}
    assert {"index.html", "benchmark.md", "provisions.csv"} <= names
    assert read_csv(tmp_path / "out" / "landlords.csv") == []


def test_missing_or_old_database_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no database"):
        write_report(tmp_path / "nope.duckdb", tmp_path / "out")
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("CREATE TABLE schema_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO schema_meta VALUES ('schema_version', '1')")
    con.close()
    with pytest.raises(UsageError, match="chc init"):
        write_report(old, tmp_path / "out")


def test_markdown_tables_match_the_snapshot(out: Path) -> None:
    """Golden file of the Markdown report of the forms above; after a deliberate change,
    refresh it with `make snapshots` and review the diff."""
    text = (out / "benchmark.md").read_text(encoding="utf-8")
    golden = SNAPSHOTS / "benchmark.md"
    if os.environ.get("CHC_UPDATE_SNAPSHOTS") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.slow
def test_published_figures_recomputed_by_sql(corpus_report: Path, corpus_db: Path) -> None:
    """A sample of the figures of the corpus report, recomputed straight from the
    documents and assessments tables (not the views)."""
    con = duckdb.connect(str(corpus_db), read_only=True)
    per_doc = """
        WITH rows AS (
            SELECT d.landlord, d.code_version, d.assessment_year, a.provision_id,
                   a.compliance, p.answer_kind
            FROM assessments a JOIN documents d USING (document_id)
            JOIN provisions p ON p.code_version = a.code_version
                AND p.provision_id = a.provision_id
            WHERE d.status = 'ok' AND a.code_version = d.code_version),
        latest AS (
            SELECT landlord, code_version, max(assessment_year) AS year
            FROM documents WHERE status = 'ok' GROUP BY ALL)
        SELECT DISTINCT r.* FROM rows r JOIN latest l ON l.landlord = r.landlord
            AND l.code_version = r.code_version AND l.year = r.assessment_year
    """
    expected = {
        (v, pid): (yes, answered)
        for v, pid, yes, answered in con.execute(
            f"""SELECT code_version, provision_id,
                       count(DISTINCT landlord) FILTER (WHERE compliance = 'yes'),
                       count(DISTINCT landlord) FILTER (WHERE compliance IN
                                                       ('yes', 'partial', 'no'))
                FROM ({per_doc}) WHERE answer_kind = 'yes_no' GROUP BY ALL"""
        ).fetchall()
    }
    landlords = con.execute(
        "SELECT count(DISTINCT landlord) FROM documents WHERE status = 'ok'"
    ).fetchone()
    con.close()
    published = by(read_csv(corpus_report / "provisions.csv"), "code_version", "provision_id")
    sample = sorted(expected)[:: max(1, len(expected) // 40)]
    assert len(sample) >= 20
    for key in sample:
        row = published[key]
        assert (int(row["yes"]), int(row["answered"])) == expected[key], key
    overview = by(read_csv(corpus_report / "overview.csv"), "measure")
    assert landlords is not None and overview[("landlords",)]["value"] == str(landlords[0])
