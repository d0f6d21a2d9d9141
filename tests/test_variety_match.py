"""Matching and answers on messy real-world rows (pipeline/match.py, align.py, answers.py).

Every variant is built here, at test time, from the hand-checked gold rows of the
bundled corpus (corpus/gold/<seed>.txt.jsonl) by a transformation that real published
forms show. No documents are read: the rows are what a reader would yield, so these
tests are fast. Expected values come from gold only, by these rules (consistent with
/work/shared/gold/README.md):

Alignment
  A1  A row carrying a provision's requirement text is aligned to that provision, also
      when the form assesses only some sections, only the must rows, or a sample.
  A2  Rows that are not requirements ("Additional comments", "Signed off by the Board
      on ...", "Overall compliance: 95%", section titles that leak as rows, blank rows)
      stay unaligned (provision None). They are kept (one output row per input row).
  A3  A row split in two by a reader: the first fragment (id, start of the requirement,
      answer) gets the provision; the second fragment (no id, rest of the text) is
      either unaligned or given the same provision, never another one.
  A4  Two provisions fused in one row: the row gets one of the two; the other provision
      is missing; the row is flagged ``fused_rows``.
  A5  A row pasted twice in a row: one copy gets the provision, the other stays
      unaligned (a provision is aligned at most once per document).
  A6  Sections out of Code order (section 9 before 8): every row still aligned.
  A7  Truncated, upper-case or lightly paraphrased requirement texts: aligned. Heavy
      paraphrase ("Complaints policy published on website") is aligned only with the
      help of a printed id that fits the sequence, and is then flagged for review.
  A8  Printed ids with prefixes/suffixes ("CHC 5.1", "Provision 5.1:", "5.1.", "(5.1)",
      "5.1a") are read as the id: the match method says the id agreed.
  A9  Text wins over numbers: a 2022 form numbered with 2024 ids by mistake is 2022 and
      aligned by text; a 2024 form quoting 2022 wording in a few rows stays 2024.

Answers (the answer cell as written; the leading answer word decides, a qualifier that
says "partial" makes it partial; see ANSWERS)
  B1  gold's own rules (Yes/Y -> yes, No -> no, Partial... -> partial, N/A -> na, blank
      and unfilled "Yes / No" -> unknown).
  B2  an answer word followed by a comment ("Yes – see policy section 4", "No – work
      underway", "Compliant – action plan in place") -> that word's answer.
  B3  "Yes (partially)", "Y (Partial)" -> partial (qualified yes).
  B4  "Not yet" -> no. "TBC", "Under review" -> unknown (no answer given yet).
  B5  "Complete" -> yes. FLAGGED FOR REVIEW: a status word, not an answer word; read
      here as "done", i.e. compliant.
  B6  group forms: "Group A: Yes / Group B: Partial" -> partial with two members.
  B7  forms without an answer column: an answer opening the evidence ("Yes - ...") is
      taken and marked inferred.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from pipeline.align import Alignment, is_heading_row
from pipeline.answers import compliance_from_text, is_recognised_answer
from pipeline.goldfile import GoldRow, load_gold
from pipeline.match import assess_document, assess_row
from pipeline.records import AssessedDocument, AssessmentRow, Compliance, Row
from pipeline.reference import load_reference
from pipeline.vocabulary import canonical_id

REF = load_reference()
GOLD_DIR = Path(__file__).resolve().parents[1] / "corpus" / "gold"
SEEDS = {
    "000": "000_f51c28dd8c8290d7.txt.jsonl",  # Rotherham 2024, ids printed
    "001": "001_f5f197cf8a7913f8.txt.jsonl",  # Tamworth 2024, partial answers
    "002": "002_a1441b5497633c56.txt.jsonl",  # Redditch 2020, Yes/No columns
    "003": "003_93b1ba100de5918b.txt.jsonl",  # Chesterfield 2022, must/should tables
    "004": "004_d9e216948779f405.txt.jsonl",  # St Leger 2022, no ids printed
}
ANY = "<any>"  # expected provision when a row may be unaligned or get the given ids


@cache
def gold(seed: str) -> tuple[GoldRow, ...]:
    return load_gold(GOLD_DIR / SEEDS[seed])


@dataclass(frozen=True, slots=True)
class Item:
    """One input row and what it must come out as."""

    row: AssessmentRow
    allowed: frozenset[str | None]  # provision ids it may get (None = unaligned)
    compliance: Compliance | None = None  # None = not checked
    method_has_id: bool = False  # A8: the printed id must have counted
    fused: bool = False  # A4: must be flagged fused_rows


@dataclass(frozen=True, slots=True)
class Case:
    version: str
    items: tuple[Item, ...]


def to_row(g: GoldRow, **changes: str) -> AssessmentRow:
    row = AssessmentRow(
        printed_id=g.printed_id,
        requirement=g.requirement,
        answer_raw=g.compliance_raw,
        evidence=g.evidence,
        commentary=g.commentary,
        actions=g.actions,
        yes_no_columns=g.code_version == "2020",
        source=Row(page=None, table_index=0, row_index=g.row - 1, cells=()),
    )
    return dataclasses.replace(row, **changes) if changes else row  # type: ignore[arg-type]


def item(g: GoldRow, **changes: str) -> Item:
    return Item(to_row(g, **changes), frozenset({g.provision_id}), g.compliance)


def noise(text: str, answer: str = "", evidence: str = "", printed_id: str = "") -> Item:
    row = AssessmentRow(
        printed_id=printed_id,
        requirement=text,
        answer_raw=answer,
        evidence=evidence,
        commentary="",
        source=Row(page=None, table_index=0, row_index=0, cells=()),
    )
    return Item(row, frozenset({None}))


def plain(seed: str) -> Case:
    rows = gold(seed)
    return Case(rows[0].code_version, tuple(item(g) for g in rows))


# ----- variants -------------------------------------------------------------------------


def some_sections(seed: str, sections: Sequence[str]) -> Case:
    rows = gold(seed)
    return Case(rows[0].code_version, tuple(item(g) for g in rows if g.section in sections))


def only_must(seed: str) -> Case:
    rows = gold(seed)
    return Case(rows[0].code_version, tuple(item(g) for g in rows if g.obligation == "must"))


def sample(seed: str, k: int = 10, rng_seed: int = 3) -> Case:
    rows = gold(seed)
    picked = sorted(random.Random(rng_seed).sample(range(len(rows)), k))
    return Case(rows[0].code_version, tuple(item(rows[i]) for i in picked))


NOISE = (
    ("Additional comments", "", "None at this time."),
    ("Signed off by the Board on 12 March 2025", "", ""),
    ("Overall compliance: 95%", "", ""),
    ("", "", ""),
    ("Section 5: The complaint handling process", "", ""),
    ("Self-assessment completed by the Complaints Manager", "", "Jane Smith, Head of Service"),
    ("Date of next review", "", "April 2026"),
)


def with_noise(seed: str) -> Case:
    rows = gold(seed)
    out: list[Item] = [noise("Complaint Handling Code self-assessment form")]
    for n, g in enumerate(rows):
        if n and rows[n - 1].section != g.section:
            out.append(noise(f"Section {g.section}"))
        out.append(item(g))
        if n % 9 == 4:
            out.append(noise(*NOISE[(n // 9) % len(NOISE)]))
    out.extend(noise(*x) for x in NOISE)
    return Case(rows[0].code_version, tuple(out))


def split_rows(seed: str) -> Case:
    rows = gold(seed)
    out: list[Item] = []
    for n, g in enumerate(rows):
        words = g.requirement.split()
        if n % 5 != 2 or len(words) < 16:
            out.append(item(g))
            continue
        cut = len(words) // 2
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        first = to_row(g, requirement=head, evidence="", commentary="", actions="")
        second = to_row(g, printed_id="", requirement=tail, answer_raw="")
        out.append(Item(first, frozenset({g.provision_id}), g.compliance))
        out.append(Item(second, frozenset({None, g.provision_id})))
    return Case(rows[0].code_version, tuple(out))


def answer_in_next_row(seed: str, mid_text: bool = False) -> Case:
    """A reader put the requirement (and id) in one row and the answer and evidence in
    the next; with ``mid_text`` the second row also carries the end of the requirement."""
    rows = gold(seed)
    out: list[Item] = []
    for n, g in enumerate(rows):
        words = g.requirement.split()
        if n % 4 != 1 or len(words) < 16 or not (g.compliance_raw or g.evidence):
            out.append(item(g))
            continue
        cut = len(words) // 2 if mid_text else len(words)
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        first = to_row(g, requirement=head, answer_raw="", evidence="", commentary="", actions="")
        second = to_row(g, printed_id="", requirement=tail)
        out.append(Item(first, frozenset({g.provision_id}), g.compliance))
        out.append(Item(second, frozenset({None, g.provision_id})))
    return Case(rows[0].code_version, tuple(out))


def fused_rows(seed: str) -> Case:
    rows = gold(seed)
    out: list[Item] = []
    n = 0
    while n < len(rows):
        g = rows[n]
        if n % 8 == 3 and n + 1 < len(rows) and rows[n + 1].section == g.section:
            h = rows[n + 1]
            text = f"{g.requirement} {h.requirement}"
            row = to_row(g, requirement=text, evidence=f"{g.evidence} {h.evidence}".strip())
            ids = frozenset({g.provision_id, h.provision_id})
            out.append(Item(row, ids, g.compliance, fused=True))
            n += 2
            continue
        out.append(item(g))
        n += 1
    return Case(rows[0].code_version, tuple(out))


def duplicated(seed: str) -> Case:
    rows = gold(seed)
    out: list[Item] = []
    for n, g in enumerate(rows):
        if n % 7 == 3:
            both = frozenset({None, g.provision_id})
            out.append(Item(to_row(g), both, g.compliance))
            out.append(Item(to_row(g), both, g.compliance))
        else:
            out.append(item(g))
    return Case(rows[0].code_version, tuple(out))


def swapped_sections(seed: str, first: str, second: str) -> Case:
    """Section ``second`` printed before section ``first`` (e.g. 9 before 8)."""
    rows = gold(seed)

    def key(g: GoldRow) -> float:
        return float(first) - 0.5 if g.section == second else float(g.section)

    ordered = sorted(rows, key=key)  # stable: row order inside a section is kept
    return Case(rows[0].code_version, tuple(item(g) for g in ordered))


def truncated(seed: str, chars: int = 70) -> Case:
    rows = gold(seed)
    return Case(
        rows[0].code_version,
        tuple(item(g, requirement=g.requirement[:chars].rstrip() + "…") for g in rows),
    )


def upper_case(seed: str) -> Case:
    rows = gold(seed)
    return Case(
        rows[0].code_version, tuple(item(g, requirement=g.requirement.upper()) for g in rows)
    )


ID_STYLES: tuple[Callable[[str], str], ...] = (
    lambda i: f"CHC {i}",
    lambda i: f"Provision {i}:",
    lambda i: f"{i}.",
    lambda i: f"({i})",
    lambda i: f"{i}a",
    lambda i: f"Code {i}",
    lambda i: f"§{i}",
)


def prefixed_ids(seed: str) -> Case:
    rows = gold(seed)
    out = []
    for n, g in enumerate(rows):
        it = item(g, printed_id=ID_STYLES[n % len(ID_STYLES)](g.provision_id))
        out.append(dataclasses.replace(it, method_has_id=True))
    return Case(rows[0].code_version, tuple(out))


def counterpart(version: str, pid: str, to: str) -> str | None:
    found = [
        c.provision_id
        for c in REF.counterparts(version, pid)
        if c.code_version == to and c.relation in ("same", "similar")
    ]
    return found[0] if found else None


def wrong_version_ids(seed: str) -> Case:
    """A 2022 form whose ids were typed from the 2024 Code (text must win)."""
    rows = gold(seed)
    out = []
    for g in rows:
        other = counterpart(g.code_version, g.provision_id, "2024")
        out.append(item(g, printed_id=other) if other else item(g))
    return Case(rows[0].code_version, tuple(out))


def quotes_old_wording(seed: str) -> Case:
    """A 2024 form that pasted the 2022 wording into a few rows."""
    rows = gold(seed)
    out = []
    changed = 0
    for g in rows:
        old = counterpart("2024", g.provision_id, "2022")
        p = REF.get("2022", old) if old else None
        if p is not None and changed < 6 and g.row % 3 == 0:
            out.append(item(g, requirement=p.requirement_text))
            changed += 1
        else:
            out.append(item(g))
    assert changed >= 3
    return Case(rows[0].code_version, tuple(out))


# Heavy paraphrases of 2024 requirements (written for this test), with their ids printed.
PARAPHRASES_2024 = {
    "1.2": "Definition of a complaint adopted",
    "3.1": "Complaints process accessible to all residents",
    "5.1": "Stage 1 acknowledged within 5 working days",
    "8.2": "Complaints policy published on website",
    "9.1": "Member responsible for complaints appointed",
}


def paraphrased(seed: str) -> Case:
    rows = gold(seed)
    out = []
    for g in rows:
        short = PARAPHRASES_2024.get(g.provision_id)
        out.append(item(g, requirement=short) if short else item(g))
    return Case(rows[0].code_version, tuple(out))


ANSWER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "yes": (
        "Yes – see policy section 4",
        "Compliant – action plan in place",
        "Yes*",
        "YES - Fully Compliant",
        "✔ Yes",
        "Complete",
    ),
    "no": ("No – work underway", "Not yet", "NO"),
    "partial": (
        "Yes (partially)",
        "Partially Compliant – see action plan",
        "Y (Partial)",
        "Group A: Yes / Group B: Partial",
    ),
}


def answer_spellings(seed: str) -> Case:
    rows = gold(seed)
    out = []
    count: dict[str, int] = {}
    for g in rows:
        spellings = ANSWER_SPELLINGS.get(g.compliance)
        if not spellings:
            out.append(item(g))
            continue
        k = count.get(g.compliance, 0)
        count[g.compliance] = k + 1
        out.append(item(g, answer_raw=spellings[k % len(spellings)]))
    return Case(rows[0].code_version, tuple(out))


LEADS = {"yes": "Yes - ", "no": "No, ", "partial": "Partially - ", "na": "N/A - "}


def answers_in_evidence(seed: str) -> Case:
    rows = gold(seed)
    out = []
    for g in rows:
        lead = LEADS.get(g.compliance, "")
        out.append(item(g, answer_raw="", evidence=f"{lead}{g.evidence}".strip()))
    return Case(rows[0].code_version, tuple(out))


VARIANTS: dict[str, Callable[[], Case]] = {
    "plain-000": lambda: plain("000"),
    "sections-2024-6only": lambda: some_sections("001", ["6"]),
    "sections-2024-1-3-9": lambda: some_sections("000", ["1", "3", "9"]),
    "sections-2022-5only": lambda: some_sections("003", ["5"]),
    "sections-2022-2-7": lambda: some_sections("004", ["2", "7"]),
    "only-must-003": lambda: only_must("003"),
    "only-must-004": lambda: only_must("004"),
    "sample10-000": lambda: sample("000"),
    "sample10-001": lambda: sample("001", rng_seed=11),
    "sample10-003": lambda: sample("003"),
    "sample10-004": lambda: sample("004", rng_seed=5),
    "noise-000": lambda: with_noise("000"),
    "noise-003": lambda: with_noise("003"),
    "noise-004": lambda: with_noise("004"),
    "split-000": lambda: split_rows("000"),
    "split-003": lambda: split_rows("003"),
    "split-004": lambda: split_rows("004"),
    "answer-next-row-000": lambda: answer_in_next_row("000"),
    "answer-next-row-002": lambda: answer_in_next_row("002"),
    "answer-next-row-003": lambda: answer_in_next_row("003"),
    "answer-next-row-mid-001": lambda: answer_in_next_row("001", mid_text=True),
    "answer-next-row-mid-004": lambda: answer_in_next_row("004", mid_text=True),
    "sample10-002": lambda: sample("002", rng_seed=2),
    "noise-002": lambda: with_noise("002"),
    "sections-2020-4only": lambda: some_sections("002", ["4"]),
    "fused-001": lambda: fused_rows("001"),
    "fused-003": lambda: fused_rows("003"),
    "duplicated-000": lambda: duplicated("000"),
    "duplicated-004": lambda: duplicated("004"),
    "sections-9-before-8-000": lambda: swapped_sections("000", "8", "9"),
    "sections-8-before-7-003": lambda: swapped_sections("003", "7", "8"),
    "sections-6-before-5-004": lambda: swapped_sections("004", "5", "6"),
    "truncated-000": lambda: truncated("000"),
    "truncated-004": lambda: truncated("004"),
    "upper-case-001": lambda: upper_case("001"),
    "upper-case-003": lambda: upper_case("003"),
    "prefixed-ids-000": lambda: prefixed_ids("000"),
    "prefixed-ids-003": lambda: prefixed_ids("003"),
    "2022-with-2024-ids-003": lambda: wrong_version_ids("003"),
    "2022-with-2024-ids-004": lambda: wrong_version_ids("004"),
    "2024-quotes-2022-000": lambda: quotes_old_wording("000"),
    "2024-quotes-2022-001": lambda: quotes_old_wording("001"),
    "paraphrased-000": lambda: paraphrased("000"),
    "answer-spellings-000": lambda: answer_spellings("000"),
    "answer-spellings-001": lambda: answer_spellings("001"),
    "answer-spellings-003": lambda: answer_spellings("003"),
    "answers-in-evidence-001": lambda: answers_in_evidence("001"),
    "answers-in-evidence-004": lambda: answers_in_evidence("004"),
}

# variant -> cause, for failures in modules this area does not own (none left).
KNOWN: dict[str, str] = {}


@cache
def run(name: str) -> tuple[Case, AssessedDocument]:
    case = VARIANTS[name]()
    return case, assess_document([i.row for i in case.items], REF)


def _params() -> list[object]:
    out: list[object] = []
    for name in VARIANTS:
        reason = KNOWN.get(name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


def _check_alignment(case: Case, doc: AssessedDocument) -> list[str]:
    problems: list[str] = []
    got = [r.provision_id for r in doc.rows]
    wrong = [
        (n, sorted(map(str, it.allowed)), got[n], it.row.printed_id, it.row.requirement[:40])
        for n, it in enumerate(case.items)
        if got[n] not in it.allowed
    ]
    if wrong:
        problems.append(f"{len(wrong)} misaligned (row, want, got, id, text): {wrong}")
    aligned = [p for p in got if p is not None]
    if len(aligned) != len(set(aligned)):
        problems.append("a provision aligned twice")
    pairs = list(zip(case.items, doc.rows, strict=True))
    no_id = [(n, r.match_method) for n, (it, r) in enumerate(pairs) if it.method_has_id]
    no_id = [(n, m) for n, m in no_id if "id" not in m]
    if no_id:
        problems.append(f"printed id not used: {no_id}")
    unflagged = [
        n for n, (it, r) in enumerate(pairs) if it.fused and "fused_rows" not in r.review_reasons
    ]
    if unflagged:
        problems.append(f"fused rows not flagged: {unflagged}")
    return problems


@pytest.mark.parametrize("name", _params())
def test_variant(name: str) -> None:
    """Version, alignment and answers of one variant (rules A1-A9, B1-B7 above)."""
    case, doc = run(name)
    assert len(doc.rows) == len(case.items)
    problems: list[str] = []
    if doc.version.code_version != case.version:
        problems.append(f"version: {doc.version}")
    problems += _check_alignment(case, doc)
    wrong_answers = [
        (n, it.compliance, r.compliance, it.row.answer_raw)
        for n, (it, r) in enumerate(zip(case.items, doc.rows, strict=True))
        if it.compliance is not None and r.compliance != it.compliance
    ]
    if wrong_answers:
        problems.append(f"answers (row, want, got, raw): {wrong_answers}")
    assert not problems, "\n".join(problems)


def test_paraphrased_rows_are_flagged() -> None:
    case, doc = run("paraphrased-000")
    for it, r in zip(case.items, doc.rows, strict=True):
        if it.row.requirement in PARAPHRASES_2024.values():
            assert r.needs_review, (it.row.requirement, r.review_reasons)


def test_noise_rows_do_not_ask_for_review_as_misses() -> None:
    # Blank rows and section titles are not requirement rows that failed to match.
    case, doc = run("noise-000")
    for it, r in zip(case.items, doc.rows, strict=True):
        if it.allowed == frozenset({None}) and not it.row.evidence and not it.row.answer_raw:
            assert "no_provision_match" not in r.review_reasons, it.row.requirement


def test_inferred_answers_are_marked() -> None:
    case, doc = run("answers-in-evidence-001")
    assert all(r.answer_inferred for r in doc.rows if r.compliance != "unknown")
    assert sum(r.answer_inferred for r in doc.rows) == len(case.items)


# ----- answer cells ---------------------------------------------------------------------

ANSWERS: dict[str, Compliance] = {
    "Yes – see policy section 4": "yes",
    "Compliant – action plan in place": "yes",
    "Yes (partially)": "partial",
    "Yes*": "yes",
    "YES - Fully Compliant": "yes",
    "Partially Compliant – see action plan": "partial",
    "No – work underway": "no",
    "Not yet": "no",
    "TBC": "unknown",
    "Under review": "unknown",
    "Complete": "yes",
    "Yes / No": "unknown",
    "Yes/No": "unknown",
    "Y (Partial)": "partial",
    "✔ Yes": "yes",
    "Yes ✔": "yes",
    "Yes - partially": "partial",
    "Yes, partially met": "partial",
    "Partly": "partial",
    "Not fully": "partial",
    "Met": "yes",
    "Not met": "no",
    "Not Applicable – we have no stage 3": "na",
    "N/A (no stage 3)": "na",
    "Yes (see evidence)": "yes",
    "No (see action plan)": "no",
    "Yes.": "yes",
    "Y": "yes",
    "N": "no",
}


@pytest.mark.parametrize(("raw", "want"), sorted(ANSWERS.items()))
def test_answer_spelling(raw: str, want: Compliance) -> None:
    assert compliance_from_text(raw) == want


@pytest.mark.parametrize("raw", ["TBC", "Under review", "To be confirmed"])
def test_pending_answers_are_unknown_and_flagged(raw: str) -> None:
    assert compliance_from_text(raw) == "unknown"
    assert not is_recognised_answer(raw)
    row = to_row(gold("000")[0], answer_raw=raw)
    assessed = assess_row(row, Alignment(provision_id="1.2", score=100, method="id"), "2024")
    assert assessed.needs_review


def test_group_member_answers() -> None:
    row = to_row(gold("000")[0], answer_raw="Group A: Yes / Group B: Partial")
    assessed = assess_row(row, Alignment(provision_id="1.2", score=100, method="id"), "2024")
    assert assessed.compliance == "partial"
    assert [m.compliance for m in assessed.members] == ["yes", "partial"]
    assert "members_differ" in assessed.review_reasons


@pytest.mark.parametrize(
    ("printed", "want"),
    [
        ("CHC 5.1", "5.1"),
        ("Provision 5.1:", "5.1"),
        ("5.1.", "5.1"),
        ("(5.1)", "5.1"),
        ("5.1a", "5.1"),
        ("Code ref 6.20", "6.20"),
        ("§5.1", "5.1"),
        ("Q1a", "1a"),
        ("1. -", ""),
        ("0.20 needed", ""),
    ],
)
def test_printed_id_with_prefix_or_suffix(printed: str, want: str) -> None:
    assert canonical_id(printed) == want


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Must Do Requirements", True),
        ("Mandatory 'must' requirements", True),
        ("Best practice 'should' requirements", True),
        ("Should Do Requirements-Stage 1", True),
        ("STAGE 3", True),
        ("Landlords must not take a blanket approach to excluding", False),
        ("Landlords must issue a full response to", False),
        ("The person considering the complaint at", False),
    ],
)
def test_heading_rows_and_cut_requirements(text: str, heading: bool) -> None:
    row = dataclasses.replace(
        to_row(gold("003")[0]), requirement=text, answer_raw="", evidence="", commentary=""
    )
    assert is_heading_row(row) is heading
