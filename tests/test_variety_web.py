"""Web pages as councils' CMSs publish them (tests/fixtures/variety_web/).

Every fixture re-publishes gold rows of corpus/gold/ inside a whole page with site
chrome (tests/fixtures/variety_web/make_variety_web.py); the expected values come from
corpus/gold at test time, never from the pipeline's output. Each variant gets four
checks through the whole chain (read_document -> rows_to_assessment_rows ->
assess_document):

* rows: every expected row comes out with its requirement and the answer, evidence,
  commentary and actions the page prints (texts at rapidfuzz ratio >= 95, the answer
  exactly), and no row comes from the chrome around the form;
* version: the Code version of the gold rows is detected;
* aligned: the rows aligned to a provision are exactly the expected provisions, in order;
* answers: each expected row's normalised compliance equals the gold compliance.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rapidfuzz import fuzz

from pipeline.columns import rows_to_assessment_rows
from pipeline.extract import read_document
from pipeline.extract.markup.html import read_html
from pipeline.match import assess_document
from pipeline.records import AssessedDocument, AssessmentRow, Extraction
from pipeline.reference import load_reference
from pipeline.textnorm import normalise_space

FIXTURES = Path(__file__).parent / "fixtures" / "variety_web"
TEXT_THRESHOLD = 95.0
CHECKS = ("rows", "version", "aligned", "answers", "sections")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_variety_web", FIXTURES / "make_variety_web.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()
VARIANTS = {v.name: v for v in GEN.variants()}

# (variant, check) -> short cause; a fix makes the strict xfail fail loudly.
KNOWN: dict[tuple[str, str], str] = {}


def _params() -> list[object]:
    params: list[object] = []
    for name in VARIANTS:
        for check in CHECKS if VARIANTS[name].sections else CHECKS[:-1]:
            reason = KNOWN.get((name, check))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(name, check, marks=marks, id=f"{name}-{check}"))
    return params


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the chain made of one fixture."""

    extraction: Extraction
    rows: tuple[AssessmentRow, ...]
    doc: AssessedDocument


@cache
def _run(name: str) -> Outcome:
    extraction = read_document(FIXTURES / VARIANTS[name].file)
    rows = rows_to_assessment_rows(extraction.rows)
    doc = assess_document(rows, load_reference(), context=extraction.title_lines)
    return Outcome(extraction=extraction, rows=rows, doc=doc)


def _same(got: str, want: str | None) -> bool:
    if want is None:
        return True
    a, b = normalise_space(got), normalise_space(want)
    return a == b or (bool(a) and bool(b) and fuzz.ratio(a, b) >= TEXT_THRESHOLD)


def _cells_match(row: AssessmentRow, want: Any) -> bool:
    return (
        _same(row.requirement, want.requirement)
        and _same(row.evidence, want.evidence)
        and _same(row.commentary, want.commentary)
        and _same(row.actions, want.actions)
        and (want.answer_raw is None or normalise_space(row.answer_raw) == want.answer_raw)
    )


def _same_requirement(row: AssessmentRow, want: Any) -> bool:
    a = normalise_space(row.requirement)
    return bool(a) and fuzz.ratio(a, normalise_space(want.requirement)) >= 90


def _pair(rows: Sequence[AssessmentRow], expected: Sequence[Any], same: Any) -> list[int | None]:
    """One-to-one, in document order: the row matching each expected row."""
    used: set[int] = set()
    found: list[int | None] = []
    start = 0
    for want in expected:
        order = [*range(start, len(rows)), *range(start)]
        hit = next((i for i in order if i not in used and same(rows[i], want)), None)
        found.append(hit)
        if hit is not None:
            used.add(hit)
            start = hit + 1
    return found


def _describe(row: AssessmentRow) -> str:
    return (
        f"id={row.printed_id!r} req={row.requirement[:50]!r} ans={row.answer_raw!r} "
        f"ev={row.evidence[:30]!r} com={row.commentary[:30]!r} act={row.actions[:20]!r}"
    )


def test_every_variant_has_a_fixture_and_rows() -> None:
    assert len(VARIANTS) >= 15
    for variant in VARIANTS.values():
        assert (FIXTURES / variant.file).is_file(), f"run make_variety_web.py: {variant.file}"
        assert GEN.expected(variant), variant.name


def test_fixtures_are_up_to_date(tmp_path: Path) -> None:
    for variant in VARIANTS.values():
        variant.render(tmp_path / variant.file)
        assert (tmp_path / variant.file).read_bytes() == (FIXTURES / variant.file).read_bytes(), (
            f"{variant.file} is stale: run tests/fixtures/variety_web/make_variety_web.py"
        )


@pytest.mark.parametrize(("name", "check"), _params())
def test_variant(name: str, check: str) -> None:
    """One check of one variant through the whole chain (see the module docstring)."""
    variant = VARIANTS[name]
    want = GEN.expected(variant)
    outcome = _run(name)
    if check == "rows":
        found = _pair(outcome.rows, want, _cells_match)
        missed = [w.provision_id for w, hit in zip(want, found, strict=True) if hit is None]
        assert not missed, (
            f"{len(missed)}/{len(want)} rows not found: {missed[:10]}; yielded "
            f"{len(outcome.rows)} rows, first: {[_describe(r) for r in outcome.rows[:3]]}"
        )
        extra = [_describe(r) for i, r in enumerate(outcome.rows) if i not in found]
        assert not extra, f"rows from outside the form: {extra[:5]}"
    elif check == "version":
        decision = outcome.doc.version
        assert decision.code_version == variant.version, (
            f"{decision.code_version} by {decision.method} {decision.scores} {decision.note}"
        )
    elif check == "aligned":
        got = [r.provision_id for r in outcome.doc.rows if r.provision_id is not None]
        assert outcome.doc.version.code_version == variant.version, "version wrong"
        assert got == [w.provision_id for w in want]
    elif check == "sections":
        _check_sections(variant, want, outcome)
    else:
        found = _pair([r.row for r in outcome.doc.rows], want, _same_requirement)
        wrong = [
            (w.provision_id, w.compliance, outcome.doc.rows[hit].compliance if hit is not None
             else "<row missing>")
            for w, hit in zip(want, found, strict=True)
            if hit is None or outcome.doc.rows[hit].compliance != w.compliance
        ]  # fmt: skip
        assert not wrong, f"{len(wrong)}/{len(want)} wrong (id, want, got): {wrong}"


def _check_sections(variant: Any, want: Sequence[Any], outcome: Outcome) -> None:
    """Where the page prints "Section N: ..." over each section, every row carries it."""
    found = _pair(outcome.rows, want, _same_requirement)
    wrong = [
        (w.provision_id, outcome.rows[hit].source.section if hit is not None else "<missing>")
        for w, hit in zip(want, found, strict=True)
        if hit is None
        or f"Section {w.provision_id.split('.')[0]}" not in (outcome.rows[hit].source.section or "")
    ]
    assert not wrong, f"{len(wrong)}/{len(want)} rows without their section: {wrong[:5]}"


# ---------------------------------------------------------------- what the fixes must not do


def _page(tmp_path: Path, body: str) -> Extraction:
    path = tmp_path / "page.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return read_html(path)


def test_bold_answer_equal_to_its_header_is_kept(tmp_path: Path) -> None:
    # Only a label followed by more text (or marked as a label) is dropped from a cell.
    extraction = _page(
        tmp_path,
        "<table><thead><tr><th>Ref</th><th>Requirement</th><th>Compliant</th>"
        "<th>Evidence</th></tr></thead><tbody><tr><td>1.2</td>"
        "<td>A complaint must be defined as an expression of dissatisfaction.</td>"
        "<td><strong>Compliant</strong></td><td><b>Evidence</b></td></tr></tbody></table>",
    )
    assert extraction.rows[0].cells[2:] == ("Compliant", "Evidence")


def test_numbered_headings_without_labels_make_no_rows(tmp_path: Path) -> None:
    # "<h3>1.2</h3>" opens a provision block only when labelled lines follow.
    extraction = _page(
        tmp_path,
        "<h3>1.2</h3><p>Our policy was last reviewed in 2023 by the Board.</p>"
        "<h3>1.3 The purpose of this policy is to set out how we respond</h3><p>Text.</p>"
        "<table><tr><th>Ref</th><th>Requirement</th><th>Comply</th></tr>"
        "<tr><td>1.2</td><td>A complaint must be defined as dissatisfaction however made.</td>"
        "<td>Yes</td></tr></table>",
    )
    assert [r.cells[0] for r in extraction.rows] == ["1.2"]


def test_only_toggle_buttons_and_selected_options_are_read(tmp_path: Path) -> None:
    extraction = _page(
        tmp_path,
        "<div><button>Accept cookies</button></div>"
        '<h2><button aria-expanded="false">Section 4: Complaint handling staff</button></h2>'
        "<table><tr><th>Ref</th><th>Requirement</th><th>Comply</th></tr>"
        "<tr><td>4.1</td><td>Landlords must have a person or team assigned to complaints.</td>"
        "<td><select><option>Yes</option><option selected>No</option></select></td></tr>"
        "</table>",
    )
    assert "Accept cookies" not in extraction.title_lines
    (row,) = extraction.rows
    assert row.section == "Section 4: Complaint handling staff"
    assert row.cells[2] == "No"
