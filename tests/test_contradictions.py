"""Contradiction rules (pipeline/contradictions.py): each pattern fires, each scope rule
holds a cue back, the seed verdicts hold (quoted from the seeds), and, over the bundled
corpus gold, every "yes" row flagged in the seeds is a labelled true case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.contradiction_rules import RULES, SCOPE_RULES
from pipeline.contradictions import (
    Cue,
    find_cues,
    likely_answer,
    requirement_stems,
    split_sentences,
)
from pipeline.goldfile import load_gold

CORPUS_GOLD = Path(__file__).resolve().parents[1] / "corpus" / "gold"

# --------------------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    ("text", "rule", "suggested"),
    [
        ("Not currently implemented (at time of assessment).", "not_implemented", "no"),
        ("This has not yet been implemented across all teams.", "not_implemented", "no"),
        ("A learning log is not in place.", "not_implemented", "no"),
        ("We do not currently publish the annual report.", "not_implemented", "no"),
        ("The annual report has not yet been published.", "not_implemented", "no"),
        ("A Member Responsible has not yet been appointed.", "not_implemented", "no"),
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
        ("Intention to formally report complaints performance to Cabinet.", "intention", "partial"),
        ("We intend to review the letters.", "intention", "partial"),
        ("We plan to publish the report in June.", "intention", "partial"),
        ("A new procedure will be developed in 2024.", "will_be_developed", "partial"),
        ("The training module is being developed.", "will_be_developed", "partial"),
        ("The policy is yet to be approved.", "will_be_developed", "partial"),
        ("This will be given further consideration.", "will_be_developed", "partial"),
        ("This area needs further work.", "will_be_developed", "partial"),
        ("Governance arrangements are currently under review.", "under_review", "partial"),
        ("The appeal process is under review.", "under_review", "partial"),
        ("We are currently reviewing our stage 2 process.", "under_review", "partial"),
        ("The policy is awaiting Cabinet approval.", "pending_approval", "partial"),
        ("The new procedure is subject to ratification by members.", "pending_approval", "partial"),
        ("The complaints policy is in draft.", "pending_approval", "partial"),
        (
            "The report will go to the Board once the new process is agreed.",
            "pending_approval",
            "partial",
        ),
        ("We do not use a Stage 3 process.", "no_stage_three", "na"),
        ("We do not have a stage 3 complaints process.", "no_stage_three", "na"),
        ("There is no third stage.", "no_stage_three", "na"),
        ("Not applicable", "not_applicable", "na"),
        ("N/A - we have no contractors.", "not_applicable", "na"),
        ("Stage 3 - N/A.", "not_applicable", "na"),
    ],
)
def test_each_pattern_fires(text: str, rule: str, suggested: str) -> None:
    cues = find_cues(text)
    assert [c.rule for c in cues] == [rule]
    assert cues[0].suggested == suggested
    assert cues[0].phrase.lower() in text.lower()


def test_every_rule_has_a_firing_case_above() -> None:
    # Keeps the table above honest when a rule is added.
    names = {name for name, _, _ in RULES}
    assert names == {
        "not_implemented",
        "no_data",
        "cannot_demonstrate",
        "intention",
        "will_be_developed",
        "under_review",
        "pending_approval",
        "no_stage_three",
        "not_applicable",
    }
    assert {name for name, _ in SCOPE_RULES} == {"additive", "routine", "met"}


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
        "Once the remedy is agreed with the resident, it is confirmed in writing.",
        "Personal details are not published.",
        "",
    ],
)
def test_non_contradictions_do_not_fire(text: str) -> None:
    assert find_cues(text) == ()


# ------------------------------------------------------------------------ scope rules


def test_additive_statement_is_held_back() -> None:
    assert find_cues("Additional reporting to the scrutiny panel will be introduced.") == ()
    assert find_cues("The panel is under review to include a Head of Service.") == ()
    assert find_cues("Letter templates are currently under review.") == ()
    assert find_cues("To further strengthen this, a new dashboard will be developed.") == ()


def test_further_consideration_is_not_additive() -> None:
    assert [c.rule for c in find_cues("This will be given further consideration.")] == [
        "will_be_developed"
    ]


def test_additive_word_in_another_clause_does_not_hold_back() -> None:
    cue = likely_answer(
        ["We also publish the policy, however the stage 2 process is under review."]
    )
    assert cue is not None
    assert cue.rule == "under_review"


def test_routine_review_is_held_back() -> None:
    text = "The policy is currently under review as part of the annual review cycle."
    assert find_cues(text) == ()


def test_met_statement_elsewhere_lowers_a_soft_cue() -> None:
    under_review = "Stage 2 arrangements are currently under review."
    assert likely_answer([under_review]) is not None
    assert likely_answer(["The stage 2 process is in place.", under_review]) is None


def test_met_statement_does_not_lower_a_firm_cue() -> None:
    cue = likely_answer(["A policy is in place.", "We do not use a Stage 3 process."])
    assert cue is not None
    assert cue.suggested == "na"


def test_requirement_on_topic_outweighs_a_met_statement() -> None:
    texts = ["The stage 2 process is in place.", "Stage 2 timescales are currently under review."]
    requirement = "Landlords must respond to the stage 2 complaint within 20 working days."
    assert likely_answer(texts) is None
    assert likely_answer(texts, requirement=requirement) is not None


def test_requirement_off_topic_holds_back_a_sentence_with_its_own_subject() -> None:
    text = "Our unreasonable behaviour policy is currently under review."
    requirement = "Landlords must tell residents how to escalate their complaint to stage 2."
    assert find_cues(text) != ()
    assert find_cues(text, requirement=requirement) == ()


def test_requirement_off_topic_keeps_an_anaphoric_sentence() -> None:
    # "This" refers back to the row's subject, so it is about the requirement.
    requirement = "Landlords must tell residents how to escalate their complaint to stage 2."
    assert find_cues("This is currently under review.", requirement=requirement) != ()


def test_conditional_cue_is_held_back() -> None:
    assert find_cues("If a complaint cannot be evidenced, we explain why.") == ()
    assert find_cues("Where a stage is not applicable we tell the resident.") == ()


def test_closed_gap_is_held_back() -> None:
    text = "We were not recording this previously but it is now captured on the CRM."
    assert find_cues(text) == ()
    assert find_cues("Data was not currently recorded in 2023.") != ()


def test_requirement_stems() -> None:
    stems = requirement_stems("The governing body must receive regular reports on complaints.")
    assert {"gover", "recei", "regul", "repor"} <= stems
    assert "compl" not in stems
    assert requirement_stems("") == frozenset()


def test_not_applicable_outranks_not_implemented() -> None:
    cue = likely_answer(
        ["We do not use a Stage 3 process.", "A third stage is not implemented by design."]
    )
    assert cue is not None
    assert cue.suggested == "na"


def test_likely_answer_none_when_nothing_fires() -> None:
    assert likely_answer(["All complaints are logged.", ""]) is None
    assert likely_answer([]) is None


def test_cue_keeps_its_sentence() -> None:
    cue = likely_answer(["Letters are sent. The appeal process is currently under review. Done."])
    assert cue == Cue(
        rule="under_review",
        suggested="partial",
        phrase="currently under review",
        sentence="The appeal process is currently under review.",
    )


def test_cues_come_in_text_order() -> None:
    cues = find_cues("We intend to appoint an MRC. No data is collected on satisfaction.")
    assert [c.rule for c in cues] == ["intention", "no_data"]


def test_split_sentences() -> None:
    assert split_sentences("One thing. Another thing.") == ("One thing.", "Another thing.")
    assert split_sentences("  ") == ()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200), st.text(max_size=80))
def test_never_raises_on_arbitrary_text(text: str, requirement: str) -> None:
    for cue in find_cues(text, requirement=requirement):
        assert cue.suggested in ("no", "partial", "na")
    likely_answer([text, text], requirement=requirement)


# ------------------------------------------------------- seed verdicts (quoted, by row)

# (seed row, evidence/commentary texts as written in the seed, expected rule)
SEED_MUST_FIRE = [
    ("004 5.17", ["We do not use a Stage 3 process."], "no_stage_three"),
    ("004 5.18", ["We do not have a stage 3 complaints process."], "no_stage_three"),
    (
        "003 7.3",
        [
            "Intention to formally report complaints performance to Cabinet. "
            "Not currently implemented (at time of assessment)"
        ],
        "not_implemented",
    ),
    (
        "003 4.17",
        [
            "Dissemination of work and outcomes of complaints to facilitate learning cannot be "
            "demonstrated at this time. This area needs further consideration"
        ],
        "cannot_demonstrate",
    ),
    ("003 5.18", ["Not applicable"], "not_applicable"),
    (
        "003 4.2",
        [
            "If the reason for the complaint is unclear or if further information is needed, "
            "the customer is contacted to discuss this. This is detailed in the acknowledgement. "
            "The complaints form does not specifically ask what the outcomes is complainant is "
            "seeking. This will be given further consideration as part of ongoing review"
        ],
        "will_be_developed",
    ),
    (
        "002 4j",
        [
            "Currently unknown as Housing Services have only very recently implemented the "
            "Standard, however the Standard incorporates a mechanism for checking and measuring "
            "satisfaction, but so far the service has no data to report"
        ],
        "no_data",
    ),
    (
        "002 2b",
        [
            "The Corporate Policy is available online and once the Housing Services Complaints "
            "& Enquiries Standard is ratified at corporate management and member level it will "
            "be available online for tenants, residents and users of homelessness and housing "
            "solutions services"
        ],
        "pending_approval",
    ),
    (
        "000 9.5",
        [
            "Formal complaints are part of the portfolio of Councillor Saghir Alam, Cabinet "
            "Member for Finance & Safe and Clean Communities.",
            "Governance arrangements are currently under review. Consideration is being made in "
            "respect of the role of the Council's Housing Regulatory Board.",
        ],
        "under_review",
    ),
    (
        "000 9.6",
        [
            "Annual complaint report. Regular complaint reports and updates to the Councils "
            "Housing Regulatory Board.",
            "Governance and reporting to Housing Regulatory Board are currently under review.",
        ],
        "under_review",
    ),
    (
        "003 8.3",
        [
            "This self-assessment outcome will be reported to Strategic Housing Board and "
            "through Cabinet once process agreed. It will also be published on the council's "
            "website and be included in the annual report."
        ],
        "pending_approval",
    ),
]

SEED_MUST_NOT_FIRE = [
    (
        "004 4.6",  # a panel composition being reviewed, not non-compliance
        [
            "Challenge is provided by the Customer Relations Team who ask questions to ensure all "
            "relevant information is considered before determining the outcome of a complaint. "
            "Currently appeals are dealt with by a Tenant Appeal Panel. This is currently under "
            "review to include the relevant Head of Service to investigate the appeal. This will "
            "ensure impartiality as well as ownership of complaints and identification of "
            "learning. The proposal is for the Tenant and Resident Involvement Panel to be used "
            "in the future to provide independent challenge on impartiality."
        ],
    ),
    (
        "001 6.9",  # an improvement to letters, not non-compliance
        [
            "Comments-Compliments-Complaints-Policy",
            "This is detailed in the Councils Comments Compliments, and Complaints Policy Letter "
            "templates are currently under review to support complaint handlers with responses.",
        ],
    ),
    (
        "001 8.1",  # about extra learning, not the annual report the requirement asks for
        [
            "The Council's Response to the Annual Complaints Performance and Service Improvement "
            "Report and Self-Assessment is available at: Annual Complaints Performance and "
            "Service Improvement Report 202324",
            "Regular reporting is provided to CMT, Cabinet and the wider organisation through the "
            "quarterly performance report. The Annual Complaints Performance and Service "
            "Improvement Report 2023-2024 is published on the website along with the governing "
            "body statement. Additional opportunities for learning from complaints have been "
            "identified and will be developed throughout 2024 – 2025.",
        ],
    ),
    (
        "004 7.2",
        [
            "We are currently reviewing how our Tenant and Resident Involvement Panel can provide "
            "additional challenge on how we handle and manage complaints."
        ],
    ),
    (
        "001 6.7",
        [
            "This is detailed in the Councils Comments Compliments, and Complaints Policy To "
            "further strengthen this a review of complaint responses is underway and where "
            "improvement is necessary guidance and training will be provided"
        ],
    ),
]


@pytest.mark.parametrize(
    ("row", "texts", "rule"), SEED_MUST_FIRE, ids=[c[0] for c in SEED_MUST_FIRE]
)
def test_seed_contradiction_fires(row: str, texts: list[str], rule: str) -> None:
    cue = likely_answer(texts)
    assert cue is not None, row
    assert cue.rule == rule


@pytest.mark.parametrize(
    ("row", "texts"), SEED_MUST_NOT_FIRE, ids=[c[0] for c in SEED_MUST_NOT_FIRE]
)
def test_seed_non_contradiction_does_not_fire(row: str, texts: list[str]) -> None:
    assert likely_answer(texts) is None, row


# ------------------------------------------------------------ corpus gold (seed rows)

# Seed rows whose "yes" (or blank) answer the text contradicts, by seed file prefix.
SEED_FLAGS = {
    "000": {"9.5": "partial", "9.6": "partial", "9.7": "partial"},
    "001": {},
    "002": {"2b": "partial", "4j": "no"},
    "003": {
        "4.2": "partial",
        "4.17": "no",
        "5.18": "na",
        "7.3": "no",
        "7.4": "no",
        "8.3": "partial",
    },
    "004": {"5.17": "na", "5.18": "na", "5.19": "na", "5.20": "na"},
}


def _seed_gold_files() -> list[Path]:
    return sorted(p for p in CORPUS_GOLD.glob("00?_*.txt.jsonl") if "webcopy" not in p.name)


def test_seed_gold_files_are_present() -> None:
    assert [p.name[:3] for p in _seed_gold_files()] == sorted(SEED_FLAGS)


@pytest.mark.slow
@pytest.mark.parametrize("path", _seed_gold_files(), ids=lambda p: p.name)
@pytest.mark.parametrize("with_requirement", [False, True], ids=["bare", "requirement"])
def test_seed_flags_match_the_verdicts(path: Path, with_requirement: bool) -> None:
    """Over every yes/blank row of a seed's gold: flagged exactly the labelled rows."""
    found: dict[str, str] = {}
    for row in load_gold(path):
        if row.compliance not in ("yes", "unknown"):
            continue
        requirement = row.requirement if with_requirement else ""
        cue = likely_answer((row.evidence, row.commentary), requirement=requirement)
        if cue is not None:
            found[row.provision_id] = cue.suggested
    assert found == SEED_FLAGS[path.name[:3]]


@pytest.mark.slow
def test_every_rendering_reads_like_its_seed() -> None:
    """Derived corpus documents carry the seed's texts, so they raise the same cues."""

    def flags(path: Path) -> set[str]:
        return {
            r.provision_id
            for r in load_gold(path)
            if likely_answer((r.evidence, r.commentary), requirement=r.requirement)
        }

    gold = sorted(CORPUS_GOLD.glob("*.jsonl"))
    assert len(gold) >= 32
    seeds = {p.name[:3]: flags(p) for p in _seed_gold_files()}
    for path in gold:
        assert flags(path) == seeds[path.name[:3]], path.name
    assert json.dumps(sorted(seeds)) == json.dumps(sorted(SEED_FLAGS))
