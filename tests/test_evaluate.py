"""pipeline/evaluate.py: reader recall and scoring stored data against gold."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipeline import store
from pipeline.evaluate import EvalReport, evaluate_database, reader_recall, score_document
from pipeline.goldfile import GOLD_KEYS, GoldRow, load_gold
from pipeline.process import process_file
from pipeline.records import AssessmentRow, Row
from pipeline.reference import load_reference

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "batch"))
from chc_batch_fakes import FAKE_STAGES, fake_document

ROOT = Path(__file__).resolve().parents[1]


def gold(pid: str, requirement: str, compliance: str = "yes", row: int = 1) -> GoldRow:
    return GoldRow(
        row=row,
        code_version="2024",
        provision_id=pid,
        printed_id=pid,
        section=pid[0],
        obligation="must",
        requirement=requirement,
        compliance_raw="Yes",
        compliance=compliance,
        evidence="",
        commentary="",
        actions="",
    )  # type: ignore[arg-type]


def stored(n: int, pid: str | None, requirement: str, compliance: str = "yes") -> store.StoredRow:
    return store.StoredRow(
        row_number=n, code_version="2024" if pid else None, provision_id=pid,
        requirement_text=requirement, compliance=compliance,
    )  # fmt: skip


DOC = store.StoredDocument(
    document_id="abc", file_name="x.pdf", status="ok", code_version="2024", error=None
)


def test_perfect_document_scores_one() -> None:
    g = [gold("1.2", "A complaint must be defined"), gold("1.3", "Residents need not say")]
    s = [
        stored(1, "1.2", "A complaint must be defined"),
        stored(2, "1.3", "Residents need not say"),
    ]
    score = score_document(g, s, gold_file="x.pdf.jsonl", document=DOC)
    assert (score.recall, score.precision, score.answer_accuracy) == (1.0, 1.0, 1.0)
    assert score.version_correct


def test_wrong_ids_answers_and_unaligned_rows_are_counted() -> None:
    g = [
        gold("1.2", "A complaint must be defined", row=1),
        gold("1.3", "Residents need not say the word complaint", "no", row=2),
        gold("1.4", "Service requests differ from complaints", row=3),
        gold("1.5", "Dissatisfaction with a service request", row=4),
    ]
    s = [
        stored(1, "1.2", "A complaint must be defined"),  # right
        stored(2, "1.3", "Residents need not say the word complaint", "yes"),  # wrong answer
        stored(3, "1.5", "Service requests differ from complaints"),  # wrong provision
        stored(4, None, "Dissatisfaction with a service request"),  # not aligned
    ]
    score = score_document(g, s, gold_file="x.pdf.jsonl", document=DOC)
    assert (score.recalled, score.gold_rows) == (2, 4)
    assert (score.precise, score.stored_aligned) == (2, 3)
    # 1.2 right; 1.3 wrong answer; 1.4 not stored; 1.5 stored (wrong text) with the right answer
    assert score.answers_correct == 2


def test_requirement_text_must_match_at_ratio_90() -> None:
    g = [gold("6.3", "Landlords must respond to the complaint within 10 working days")]
    near = [stored(1, "6.3", "Landlords must respond to the complaint within 10 working day")]
    far = [stored(1, "6.3", "Something else entirely about repairs")]
    assert score_document(g, near, gold_file="g", document=DOC).recall == 1.0
    assert score_document(g, far, gold_file="g", document=DOC).recall == 0.0


def test_overall_is_micro_averaged_and_skips_documents_not_stored() -> None:
    g = [gold("1.2", "A"), gold("1.3", "B", row=2)]
    good = score_document(g, [stored(1, "1.2", "A"), stored(2, "1.3", "B")],
                          gold_file="a", document=DOC)  # fmt: skip
    half = score_document(g, [stored(1, "1.2", "A")], gold_file="b", document=DOC)
    absent = score_document(g, [], gold_file="c", document=None)
    report = EvalReport(documents=(good, half, absent))
    assert report.recall == pytest.approx(3 / 4)
    assert report.precision == 1.0 and report.version_accuracy == 1.0
    assert report.as_dict()["overall"]["documents_not_stored"] == 1
    assert absent.status == "not_stored"


def test_evaluate_database_finds_documents_by_file_name_then_stem(tmp_path: Path) -> None:
    doc = tmp_path / "seedlike.txt"
    doc.write_text(fake_document("A Council", 2024, ["1.2", "1.3"]), "utf-8")
    db = tmp_path / "t.duckdb"
    con = store.open_db(db, load_reference())
    store.write_document(con, process_file(doc, stages=FAKE_STAGES))
    con.close()
    ref = load_reference()
    lines = []
    for n, pid in enumerate(["1.2", "1.3"], start=1):
        p = ref.get("2024", pid)
        assert p is not None
        g = gold(pid, p.requirement_text, row=n)
        lines.append(json.dumps({**{k: getattr(g, k) for k in GOLD_KEYS}, "section": "1"}))
    by_name = tmp_path / "seedlike.txt.jsonl"
    by_stem = tmp_path / "seedlike.jsonl"
    for path in (by_name, by_stem):
        path.write_text("\n".join(lines) + "\n", "utf-8")
    report = evaluate_database(db, [by_name, by_stem])
    assert [d.document for d in report.documents] == ["seedlike.txt", "seedlike.txt"]
    assert report.recall == 1.0 and report.answer_accuracy == 1.0


def test_reader_recall_counts_found_missed_and_spurious() -> None:
    g = load_gold(ROOT / "corpus" / "gold" / "002_a1441b5497633c56.txt.jsonl")[:2]
    rows = [
        AssessmentRow(printed_id=x.printed_id, requirement=x.requirement,
                      answer_raw=x.compliance_raw, evidence=x.evidence,
                      commentary=x.commentary, actions=x.actions,
                      source=Row(page=None, table_index=0, row_index=i, cells=()))
        for i, x in enumerate(g[:1])
    ]  # fmt: skip
    noise = AssessmentRow(printed_id="", requirement="Total complaints received in 2023",
                          answer_raw="", evidence="", commentary="",
                          source=Row(page=None, table_index=0, row_index=9, cells=()))  # fmt: skip
    result = reader_recall([*rows, noise], g)
    assert (result.found, result.missed, result.spurious) == (1, ((2, g[1].provision_id),), (1,))
