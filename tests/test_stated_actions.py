"""Stated actions and timescales (pipeline/stated_actions.py)."""

from __future__ import annotations

import pytest

from pipeline.stated_actions import planned_sentences, stated_actions, timescale_sentences


@pytest.mark.parametrize(
    "sentence",
    [
        "We will review the letter templates by March 2025.",
        "This being further strengthened and a key focus for 2024/2025.",
        "Additional opportunities will be developed throughout 2024 – 2025.",
        "Training is planned for Q3 2024.",
        "We aim to publish the report within the next six months.",
        "The new policy will be in place by the end of the financial year.",
        "A Member Responsible for Complaints will be appointed in April 2025.",
    ],
)
def test_timescales_are_found(sentence: str) -> None:
    assert timescale_sentences(f"The policy exists. {sentence}") == (sentence,)


@pytest.mark.parametrize(
    "text",
    [
        "The policy was approved in May 2023.",
        "Complaints are answered within 10 working days.",
        "The annual report for 2022/23 is published on our website.",
        "",
    ],
)
def test_past_dates_and_code_timescales_are_not_actions(text: str) -> None:
    assert timescale_sentences(text) == ()


def test_actions_cell_is_kept_unless_nothing_to_do() -> None:
    assert stated_actions("", "", "No Action Required") == ""
    assert stated_actions("", "", "No Action required") == ""
    assert stated_actions("", "", "N/A") == ""
    assert stated_actions("", "", "Update the policy") == "Update the policy"


def test_evidence_commentary_and_actions_are_joined() -> None:
    out = stated_actions(
        "Partly in place. Letters will be updated by June 2025.",
        "A key focus for 2024/25 is training.",
        "Review templates",
    )
    assert out == (
        "Review templates | Letters will be updated by June 2025. | "
        "A key focus for 2024/25 is training."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "This area is being further developed to ensure insights are used.",
        "Housing Services will develop indicators as part of its monitoring.",
        "This is an area currently being developed.",
        "The policy will be reviewed to make sure it is in line with the Equality Act.",
    ],
)
def test_planned_work_without_a_date_is_an_action(sentence: str) -> None:
    assert planned_sentences(f"Complaints are logged. {sentence}") == (sentence,)


def test_descriptions_of_current_practice_are_not_actions() -> None:
    text = "Complaints are logged on our system. Officers respond within 10 working days."
    assert planned_sentences(text) == ()
