"""The domain vocabulary: ids, answer words, column roles, the assessment-table rule."""

from __future__ import annotations

import pytest

from pipeline.vocabulary import (
    LEADING_ID,
    canonical_id,
    header_cell_role,
    is_answer,
    is_assessment_table,
    is_bare_na,
    is_provision_id,
    starts_with_answer,
)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("6.3", "6.3"),
        ("6.20.", "6.20"),
        ("1 (a)", "1a"),
        ("CHC 5.1", "5.1"),
        ("Provision 5.1:", "5.1"),
        ("Code section 3.1", "3.1"),
        ("(5.1)", "5.1"),
        ("5.1 |", "5.1"),
        ("Q1(a)", "1a"),
        ("1. -", ""),
        ("Section", ""),
    ],
)
def test_canonical_id(printed: str, expected: str) -> None:
    assert canonical_id(printed) == expected


@pytest.mark.parametrize(
    ("text", "glued"),
    [
        ("1.3The resident does not", "1.3"),
        ("2a Does the policy", "2a"),
        ("6.20 Stage 2 is", "6.20"),
        ("1.6 … if further enquiries", "1.6"),
        ("12.03.2024 was the date", None),
        ("1.5million residents", None),
    ],
)
def test_leading_id(text: str, glued: str | None) -> None:
    found = LEADING_ID.match(text)
    assert (found.group(1) if found else None) == glued


def test_provision_id_cells() -> None:
    assert is_provision_id("6.3") and is_provision_id(" 4c ")
    assert not is_provision_id("Section 6") and not is_provision_id("2024")


@pytest.mark.parametrize(
    "cell", ["Yes", "Y", "YES", "No.", "Partial (In progress)", "N/A", "Not applicable", "☒"]
)
def test_whole_answers(cell: str) -> None:
    assert is_answer(cell)


@pytest.mark.parametrize(
    "cell", ["Yes, residents can complain in person", "Nothing to report", "Policy", ""]
)
def test_not_whole_answers(cell: str) -> None:
    assert not is_answer(cell)


def test_answer_start_needs_a_word_boundary() -> None:
    assert starts_with_answer("Yes - see the policy")
    assert not starts_with_answer("Yesterday we met")
    assert not starts_with_answer("None of our complaints")


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Code provision", "id"),
        ("Code section", "id"),
        ("Code requirement", "requirement"),
        ("Question", "requirement"),
        ("Comply: Yes / No", "answer"),
        ("Do we comply?", "answer"),
        ("Compliance", "answer"),
        ("Evidence, commentary and any explanations", "evidence"),
        ("Commentary/explination", "commentary"),
        ("Actions required", "actions"),
        ("Yes", "yes"),
        ("No", "no"),
        ("Landlord response", "answer"),
        ("Compl y", "answer"),  # "Comply" broken by a narrow PDF column
        ("Evid ence", "evidence"),
        ("Y N", "other"),
    ],
)
def test_header_roles(header: str, role: str) -> None:
    assert header_cell_role(header) == role


def test_a_single_provision_row_is_an_assessment() -> None:
    row = ("5.3", "A process with more than two stages is not acceptable", "Yes", "Policy")
    assert is_assessment_table(("Code provision", "Requirement", "Comply"), [row], has_layout=True)
    assert is_assessment_table((), [row], has_layout=False)


def test_statistics_and_title_blocks_are_not_assessments() -> None:
    stats = [("Quarter", "Stage 1", "Stage 2"), ("Q1", "41", "3"), ("Q2", "37", "5")]
    assert not is_assessment_table((), stats, has_layout=False)
    title = [("Prepared by", "Head of Feedback"), ("Date", "March 2025")]
    assert not is_assessment_table((), title, has_layout=False)


def test_bare_na_cells() -> None:
    assert is_bare_na("N/A") and is_bare_na(" n/a. ") and is_bare_na("Not applicable")
    assert not is_bare_na("Not applicable as all complaints are managed by us")
    assert not is_bare_na("Yes")
