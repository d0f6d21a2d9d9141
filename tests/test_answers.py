"""Answer normalisation (pipeline/answers.py): every spelling named in issue 5."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.answers import (
    answer_in_evidence,
    combine_members,
    compliance_from_columns,
    compliance_from_text,
    is_recognised_answer,
    member_answers,
)
from pipeline.records import COMPLIANCE_VALUES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Yes", "yes"),
        ("Y", "yes"),
        ("YES", "yes"),
        ("Yes.", "yes"),
        ("Yes ", "yes"),
        ("Yes we comply", "yes"),
        ("Compliant", "yes"),
        ("Fully compliant", "yes"),
        ("Achieved", "yes"),
        ("No", "no"),
        ("Does not comply", "no"),
        ("Doesn't comply", "no"),
        ("Not achieved", "no"),
        ("Non-compliance", "no"),
        ("✗", "no"),
        ("✘", "no"),
        ("Not fully compliant", "partial"),
        ("Partially achieved", "partial"),
        ("N", "no"),
        ("No ", "no"),
        ("Non-compliant", "no"),
        ("Partial", "partial"),
        ("Partially", "partial"),
        ("Partially compliant", "partial"),
        ("Partial (In Progress)", "partial"),
        ("Partial (In progress)", "partial"),
        ("Partial - (In progress)", "partial"),
        ("Partial (In-Progress)", "partial"),
        ("In progress", "partial"),
        ("Partly", "partial"),
        ("Working towards", "partial"),
        ("Met", "yes"),
        ("Not met", "no"),
        ("N/A", "na"),
        ("NA", "na"),
        ("n/a", "na"),
        ("Not applicable", "na"),
        ("", "unknown"),
        ("   ", "unknown"),
        ("Yes / No", "unknown"),
        ("Yes/No", "unknown"),
        ("185", "unknown"),
        ("J", "unknown"),
    ],
)
def test_answer_spellings(raw: str, expected: str) -> None:
    assert compliance_from_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Yes ☒ No ☐", "yes"),
        ("Yes ☐ No ☒", "no"),
        ("Yes ☐ No ☐ Partial ☒", "partial"),
        ("Yes ☐ No ☐", "unknown"),
        ("☒ Yes ☐ No", "yes"),
        ("☐ Yes ☒ No", "no"),
        ("[x] Yes [ ] No", "yes"),
        ("✓", "yes"),
        ("☐", "unknown"),
    ],
)
def test_ticked_checkboxes(raw: str, expected: str) -> None:
    assert compliance_from_text(raw) == expected


def test_x_under_a_yes_column_is_the_yes_column_rule() -> None:
    # An "X" in the Yes column and nothing in the No column.
    assert compliance_from_columns("X", "") == "yes"
    assert compliance_from_columns("", "X") == "no"


@pytest.mark.parametrize(
    ("yes_text", "no_text", "expected"),
    [
        ("Housing Services policy does.", "", "yes"),
        ("", "Corporately it is not understood if...", "no"),
        ("Housing does.", "Corporate Policy - As no to Q1b then n/a", "partial"),
        ("", "", "unknown"),
        ("  ", "\n", "unknown"),
    ],
)
def test_2020_yes_no_column_rule(yes_text: str, no_text: str, expected: str) -> None:
    assert compliance_from_columns(yes_text, no_text) == expected


def test_group_members_keep_each_answer() -> None:
    members = member_answers("Group A: YES • Group B: YES")
    assert [(m.member, m.compliance) for m in members] == [("Group A", "yes"), ("Group B", "yes")]
    assert combine_members(members) == "yes"


def test_group_members_that_differ() -> None:
    members = member_answers("Homes North: Yes; Homes South: Partial")
    assert [m.compliance for m in members] == ["yes", "partial"]
    assert combine_members(members) == "partial"
    assert members[1].raw == "Homes South: Partial"


@pytest.mark.parametrize("raw", ["Yes", "Partial - (In progress)", "Yes / No", ""])
def test_plain_answers_are_not_group_answers(raw: str) -> None:
    assert member_answers(raw) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes, residents can use the online form.", "yes"),
        ("Yes and can be found here: https://example.org", "yes"),
        ("No - we do not publish this yet.", "no"),
        ("Partially, the policy is being updated.", "partial"),
        ("Not applicable", "na"),
        ("Yesterday the board met.", None),
        ("Our policy states ...", None),
        ("", None),
    ],
)
def test_answer_given_inside_the_evidence(text: str, expected: str | None) -> None:
    assert answer_in_evidence(text) == expected


def test_unrecognised_answer_text_is_flagged() -> None:
    assert is_recognised_answer("Yes")
    assert is_recognised_answer("")
    assert is_recognised_answer("Yes / No")
    assert not is_recognised_answer("185")
    assert not is_recognised_answer("See policy section 3")


@given(st.text(max_size=80))
def test_normalisers_never_raise_and_stay_in_the_vocabulary(raw: str) -> None:
    assert compliance_from_text(raw) in COMPLIANCE_VALUES
    assert compliance_from_text(compliance_from_text(raw)) in COMPLIANCE_VALUES
    member_answers(raw)
    answer_in_evidence(raw)


@pytest.mark.parametrize(
    ("raw", "value"), [("PARTIA L", "partial"), ("Y es", "yes"), ("N /A", "na")]
)
def test_letters_spaced_apart_by_a_pdf(raw: str, value: str) -> None:
    assert compliance_from_text(raw) == value
