"""End-to-end robustness on layouts the corpus does not have (findings: docs/variety.md).

Every fixture in tests/fixtures/variety/ re-publishes gold rows of corpus/gold/ in another
realistic layout (tests/fixtures/variety/make_variety.py); the expected values are
computed here from corpus/gold at test time, never from the pipeline's output. Each
variant gets four checks (``test_variant[<variant>-<check>]``) through the whole chain
(read_document -> rows_to_assessment_rows -> assess_document):

* rows: every expected row comes out with its requirement, answer, evidence,
  commentary and actions cells (texts at rapidfuzz ratio >= 95, the answer exactly);
* version: the Code version of the gold rows is detected;
* aligned: the rows aligned to a provision are exactly the expected provisions, in order;
* answers: each expected row's normalised compliance equals the gold compliance.

Known failures are marked ``xfail(strict=True)`` with the anchor of their finding in
docs/variety.md, so a fix makes the mark fail loudly and the lead can remove it.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from rapidfuzz import fuzz

from pipeline.columns import rows_to_assessment_rows
from pipeline.extract import read_document
from pipeline.match import assess_document
from pipeline.records import AssessedDocument, AssessmentRow
from pipeline.reference import load_reference
from pipeline.textnorm import normalise_space

FIXTURES = Path(__file__).parent / "fixtures" / "variety"
TEXT_THRESHOLD = 95.0


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_variety", FIXTURES / "make_variety.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()
VARIANTS = {v.name: v for v in GEN.variants()}
FORMS = sys.modules["variety_forms"]  # imported by the generator
Expected = FORMS.Expected
Variant = FORMS.Variant

# (variant, check) -> "docs/variety.md#<anchor>: <short cause>". check is one of
# "rows", "version", "aligned", "answers".
KNOWN: dict[tuple[str, str], str] = {}

CHECKS = ("rows", "version", "aligned", "answers")


def _params() -> list[object]:
    # Variant-major order keeps a variant's four checks together, so under pytest-xdist
    # they usually run on one worker and share the cached chain run.
    params: list[object] = []
    for name in VARIANTS:
        for check in CHECKS:
            reason = KNOWN.get((name, check))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(name, check, marks=marks, id=f"{name}-{check}"))
    return params


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the chain made of one fixture."""

    rows: tuple[AssessmentRow, ...]
    doc: AssessedDocument


@cache
def _run(name: str) -> Outcome:
    variant = VARIANTS[name]
    extraction = read_document(FIXTURES / variant.file)
    rows = rows_to_assessment_rows(extraction.rows)
    doc = assess_document(rows, load_reference(), context=extraction.title_lines)
    return Outcome(rows=rows, doc=doc)


def _same(got: str, want: str) -> bool:
    a, b = normalise_space(got), normalise_space(want)
    if a == b:
        return True
    return bool(a) and bool(b) and fuzz.ratio(a, b) >= TEXT_THRESHOLD


def _cells_match(row: AssessmentRow, want: Expected) -> bool:
    ok = (
        _same(row.requirement, want.requirement)
        and _same(row.evidence, want.evidence)
        and _same(row.commentary, want.commentary)
        and _same(row.actions, want.actions)
    )
    answer = want.answer_raw
    return ok and (answer is None or normalise_space(row.answer_raw) == normalise_space(answer))


def _same_requirement(row: AssessmentRow, want: Expected) -> bool:
    a, b = normalise_space(row.requirement), normalise_space(want.requirement)
    return bool(a) and fuzz.ratio(a, b) >= 90


def _pair(
    rows: Sequence[AssessmentRow],
    expected: Sequence[Expected],
    same: Callable[[AssessmentRow, Expected], bool],
) -> list[int | None]:
    """One-to-one, in document order: index of the row matching each expected row (the
    search starts after the previous hit, so rows with identical wording such as 2022's
    5.3 / 5.15 / 5.19 pair up in order)."""
    used: set[int] = set()
    found: list[int | None] = []
    start = 0
    for want in expected:
        hit = next(
            (
                i
                for i in [*range(start, len(rows)), *range(start)]
                if i not in used and same(rows[i], want)
            ),
            None,
        )
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
    assert len(VARIANTS) >= 30
    for variant in VARIANTS.values():
        assert (FIXTURES / variant.file).is_file(), f"run make_variety.py: {variant.file}"
        assert variant.expected, variant.name


@pytest.mark.parametrize(("name", "check"), _params())
def test_variant(name: str, check: str) -> None:
    """One check of one variant through the whole chain (see the module docstring)."""
    {"rows": _check_rows, "version": _check_version, "aligned": _check_aligned,
     "answers": _check_answers}[check](VARIANTS[name])  # fmt: skip


def _check_rows(variant: Variant) -> None:
    rows = _run(variant.name).rows
    found = _pair(rows, variant.expected, _cells_match)
    missed = [w.provision_id for w, hit in zip(variant.expected, found, strict=True) if hit is None]
    assert not missed, (
        f"{len(missed)}/{len(variant.expected)} rows not found: {missed[:10]}; "
        f"yielded {len(rows)} rows, first: {[_describe(r) for r in rows[:3]]}"
    )


def _check_version(variant: Variant) -> None:
    decision = _run(variant.name).doc.version
    assert decision.code_version == variant.version, (
        f"{decision.code_version} by {decision.method} {decision.scores} {decision.note}"
    )


def _check_aligned(variant: Variant) -> None:
    doc = _run(variant.name).doc
    got = [r.provision_id for r in doc.rows if r.provision_id is not None]
    want = [w.provision_id for w in variant.expected]
    assert doc.version.code_version == variant.version, "version wrong, so no alignment"
    assert got == want


def _check_answers(variant: Variant) -> None:
    doc = _run(variant.name).doc
    found = _pair([r.row for r in doc.rows], variant.expected, _same_requirement)
    wrong = []
    for want, hit in zip(variant.expected, found, strict=True):
        got = doc.rows[hit].compliance if hit is not None else "<row missing>"
        if got != want.compliance:
            raw = doc.rows[hit].row.answer_raw if hit is not None else ""
            wrong.append((want.provision_id, want.compliance, got, raw))
    assert not wrong, f"{len(wrong)}/{len(variant.expected)} wrong (id, want, got, raw): {wrong}"


def test_text_fixtures_are_up_to_date(tmp_path: Path) -> None:
    # HTML/markdown/text fixtures are byte-for-byte what the generator writes from the
    # current gold (DOCX zips carry timestamps and PDFs need LibreOffice, so those are
    # checked through the tests).
    for variant in VARIANTS.values():
        if variant.file.endswith((".docx", ".pdf")):
            continue
        variant.render(tmp_path / variant.file)
        assert (tmp_path / variant.file).read_bytes() == (FIXTURES / variant.file).read_bytes(), (
            f"{variant.file} is stale: run tests/fixtures/variety/make_variety.py"
        )
