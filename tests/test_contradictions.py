"""Contradiction rules (pipeline/contradictions.py): each pattern fires, non-contradictions
do not."""

from __future__ import annotations

import pytest

from pipeline.contradictions import find_cues, likely_answer, split_sentences


@pytest.mark.parametrize(
    ("text", "rule", "suggested"),
    [
        ("Not currently implemented (at time of assessment).", "not_implemented", "no"),
        ("This has not yet been implemented across all teams.", "not_implemented", "no"),
        ("A learning log is not in place.", "not_implemented", "no"),
        ("We do not currently publish the annual report.", "not_implemented", "no"),
        ("No data is collected on satisfaction.", "no_data", "no"),
        ("No data is currently collected corporately.", "no_data", "no"),
        ("So far the service has no data to report.", "no_data", "no"),
        (
            "Dissemination of outcomes cannot be demonstrated at this time.",
            "cannot_demonstrate",
            "no",
        ),
        ("We are unable to demonstrate this for contractors.", "cannot_demonstrate", "no"),
        ("It is our intention to appoint a Member Responsible.", "intention", "partial"),
        ("We intend to review the letters.", "intention", "partial"),
        ("A new procedure will be developed in 2024.", "will_be_developed", "partial"),
        ("The training module is being developed.", "will_be_developed", "partial"),
        ("The policy is yet to be approved.", "will_be_developed", "partial"),
        ("This will be given further consideration.", "will_be_developed", "partial"),
        ("Governance arrangements are currently under review.", "under_review", "partial"),
        ("The appeal process is under review.", "under_review", "partial"),
        ("We do not use a Stage 3 process.", "no_stage_three", "na"),
        ("We do not have a stage 3 complaints process.", "no_stage_three", "na"),
        ("There is no third stage.", "no_stage_three", "na"),
        ("Not applicable", "not_applicable", "na"),
        ("N/A - we have no contractors.", "not_applicable", "na"),
    ],
)
def test_each_pattern_fires(text: str, rule: str, suggested: str) -> None:
    cues = find_cues(text)
    assert [c.rule for c in cues] == [rule]
    assert cues[0].suggested == suggested
    assert cues[0].phrase.lower() in text.lower()


@pytest.mark.parametrize(
    "text",
    [
        "The policy is in place and has been implemented across all services.",
        "Stage 1 and Stage 2 acknowledgement letters set out the resident's options.",
        "The resident's intention to complain is recorded without the word complaint.",
        "Our policy is kept under review and updated annually.",
        "Housing Services has been under review since January 2020 and has just completed.",
        "Complaints that cannot be resolved at Stage 1 are escalated to Stage 2.",
        "The resident does not have to use the word complaint.",
        "Reasonable adjustments will be made to reflect the needs of the customer.",
        "We have a two stage process; Stage 2 is final.",
        "",
    ],
)
def test_non_contradictions_do_not_fire(text: str) -> None:
    assert find_cues(text) == ()


def test_not_applicable_outranks_not_implemented() -> None:
    cue = likely_answer(
        ["We do not use a Stage 3 process.", "A third stage is not implemented by design."]
    )
    assert cue is not None
    assert cue.suggested == "na"


def test_likely_answer_none_when_nothing_fires() -> None:
    assert likely_answer(["All complaints are logged.", ""]) is None


def test_cue_keeps_its_sentence() -> None:
    cue = likely_answer(["Letters are sent. Templates are currently under review. Done."])
    assert cue is not None
    assert cue.sentence == "Templates are currently under review."


def test_split_sentences() -> None:
    assert split_sentences("One thing. Another thing.") == ("One thing.", "Another thing.")
    assert split_sentences("  ") == ()
