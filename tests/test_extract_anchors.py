"""Reference-anchored reading (pipeline/extract/anchors/): locating the Code's wording,
cutting rows between requirements, reading answers from tails, merging with structure.

Texts are built here from the Code's wording (reference/), never from real-dev excerpts.
"""

from __future__ import annotations

import pytest

from pipeline.extract.anchors.answer import read_tail
from pipeline.extract.anchors.locate import locate_sites
from pipeline.extract.anchors.merge import anchored_rows, complete_rows
from pipeline.records import PageText, Row
from pipeline.reference import load_reference
from pipeline.vocabulary import ANCHOR_HEADER

REF = load_reference()


def text_of(version: str, pid: str) -> str:
    provision = REF.get(version, pid)
    assert provision is not None
    return provision.requirement_text


def best(site_anchors: tuple[object, ...]) -> tuple[str, str]:
    top = site_anchors[0]
    return (top.code_version, top.provision_id)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- locate


def test_fused_rows_are_found_in_order() -> None:
    page = "".join(
        f"{pid}{text_of('2024', pid)}YesSee our policy section 4." for pid in ("5.1", "5.2", "5.3")
    )
    sites = locate_sites(page)
    assert [best(s.anchors)[1] for s in sites] == ["5.1", "5.2", "5.3"]
    assert all(s.anchors[0].code_version == "2024" for s in sites)


def test_curly_quotes_ellipsis_and_a_typo_are_tolerated() -> None:
    text = text_of("2022", "1.6").replace("'", "’").replace("...", "…").replace("logged", "loged")
    (site,) = locate_sites(f"1.6\n{text}\nYes\nPoint 7.2 of the policy.")
    assert best(site.anchors) == ("2022", "1.6")


def test_a_requirement_cut_to_its_lead_in_is_found_at_a_cell_start() -> None:
    page = "7.4 | As a minimum, governing bodies should receive:\n| Yes | Six monthly reports |"
    (site,) = locate_sites(page)
    assert best(site.anchors) == ("2022", "7.4") and site.leadin


def test_a_lead_in_phrase_inside_prose_is_not_a_requirement() -> None:
    prose = (
        "Landlords must publish the self-assessment as part of the annual complaints "
        "performance and service improvement report on their website."
    )
    assert locate_sites(prose) == []


def test_the_landlord_quoting_the_requirement_in_its_evidence_is_not_a_new_row() -> None:
    definition = text_of("2024", "1.2")
    quote = "Our policy says a complaint is defined as " + definition.split("as: ", 1)[1]
    sites = locate_sites(f"1.2\n{definition}\nYes\n{quote}\n")
    assert len(sites) == 1


def test_two_questions_that_start_alike_are_two_sites() -> None:
    page = "\n\n".join(text_of("2020", pid) for pid in ("3b", "3c"))
    assert [best(s.anchors)[1] for s in locate_sites(page)] == ["3b", "3c"]


# ---------------------------------------------------------------- answers in tails


@pytest.mark.parametrize(
    ("tail", "answer", "evidence"),
    [
        ("\nYes\nSee policy 4.", "Yes", "See policy 4."),
        ("YesThe policy is published.", "Yes", "The policy is published."),
        ("YPoint 1.2 in the policy.", "Y", "Point 1.2 in the policy."),
        (" | Yes. | Policy |", "Yes", "Policy |"),
        ("\nDo we comply?\nYes\nEvidence\nTraining records.", "Yes", "Training records."),
        (
            "\nCompliance: Partial. We are reviewing the form.",
            "Partial",
            "We are reviewing the form.",
        ),
        (
            "\nGreat Yarmouth Borough Council response: No. The definition differs.",
            "No",
            "The definition differs.",
        ),
        ("\nGroup A: YES / Group B: NO\nSee each policy.", "Group A: YES / Group B: NO", ""),
        ("\nYes ☐ No ☒ Partial ☐\nWe do not yet.", "No", "We do not yet."),
        ("\nYes we comply.\nPolicy.", "Yes", "Policy."),
    ],
)
def test_answers_however_printed(tail: str, answer: str, evidence: str) -> None:
    reading = read_tail(tail)
    assert reading.answer == answer
    if evidence:
        assert reading.evidence.startswith(evidence.split()[0])


@pytest.mark.parametrize(
    "tail",
    [
        "\nNo complaints were escalated to stage 2.",  # a sentence, not the answer "No"
        "\nNone of our complaints are handled by a third party.",
        "\t\tNot applicable",  # an empty answer cell, then the evidence
        " |  | Yes, this is in the policy. |",
        "\nYesterday the Board approved the policy.",
    ],
)
def test_no_answer_where_the_answer_cell_is_blank(tail: str) -> None:
    assert read_tail(tail).answer == ""


def test_answer_cut_mid_word_at_the_end_of_the_page_is_read_and_flagged() -> None:
    reading = read_tail("Parti", at_end=True)
    assert reading.answer == "Partial" and reading.notes == ("answer_truncated",)
    assert read_tail("Parti").answer == ""  # not at the end: not an answer


def test_answer_printed_after_the_evidence() -> None:
    assert read_tail("\nSet out in the policy.\nNo.").answer == "No."


# ---------------------------------------------------------------- rows and merging


def test_anchored_rows_of_a_label_value_stack() -> None:
    lines = []
    for pid, answer in (("3.1", "Yes"), ("3.2", "No")):
        lines += [f"Code provision {pid}", "Requirement", text_of("2024", pid), "Do we comply?"]
        lines += [answer, "Evidence", "Our policy section 3.", ""]
    rows = anchored_rows((PageText(page=None, text="\n".join(lines)),))
    assert [r.cells[0] for r in rows] == ["3.1", "3.2"]
    assert [r.cells[2] for r in rows] == ["Yes", "No"]
    assert all(r.header == ANCHOR_HEADER for r in rows)


def test_a_code_section_title_between_rows_heads_the_next_row() -> None:
    # A web page's questions with blank answers, the next section's title between them.
    page = "\n\n\n".join(
        [text_of("2020", "2d"), "Complaints Team and Process", text_of("2020", "3a"), "Yes"]
    )
    rows = anchored_rows((PageText(page=None, text=page),))
    assert [(r.cells[2], r.cells[3]) for r in rows] == [("", ""), ("Yes", "")]
    assert [r.section for r in rows] == [None, "Complaints Team and Process"]


def test_a_running_page_header_between_requirement_and_answer_is_left_out() -> None:
    header = "Acme Homes - Complaint Handling Code self-assessment 2025 - Page {}"
    pages = [
        f"{header.format(1)}\nCode section 1.3\nRequirement:\n{text_of('2024', '1.3')}",
        f"{header.format(2)}\nAre we compliant?\nNo\nEvidence:\nPolicy 2.\n"
        f"Code section 1.4\nRequirement:\n{text_of('2024', '1.4')}",
        f"{header.format(3)}\nAre we compliant?\nYes\nEvidence:\nPolicy 3.",
    ]
    rows = anchored_rows(tuple(PageText(page=i + 1, text=t) for i, t in enumerate(pages)))
    assert [(r.cells[0], r.cells[2], r.page) for r in rows] == [("1.3", "No", 1), ("1.4", "Yes", 2)]


def test_an_answer_word_printed_as_the_answer_label_is_the_label() -> None:
    reading = read_tail("\nCompliant\nPartial.\nEvidence:\nThe policy.")
    assert (reading.answer, reading.evidence) == ("Partial", "The policy.")


def test_the_page_cut_inside_the_last_requirement_is_noted() -> None:
    cut = text_of("2024", "9.5")[:60]
    page = f"9.4\n{text_of('2024', '9.4')}\nYes\nThe Head of Housing.\n9.5\n{cut}"
    rows = anchored_rows((PageText(page=None, text=page),))
    assert rows[-1].notes == ("cut_before_answer",)
    assert rows[0].notes == ()


def _row(cells: tuple[str, ...], header: tuple[str, ...] = ANCHOR_HEADER) -> Row:
    return Row(page=None, table_index=0, row_index=0, cells=cells, header=header)


def test_marked_up_rows_are_kept_and_missed_requirements_added() -> None:
    a, b = text_of("2024", "5.1"), text_of("2024", "5.2")
    page = f"5.1\n{a}\nYes\nPolicy.\n5.2\n{b}\nNo\nNot yet."
    structural = [_row(("5.1", a, "", "Policy."))]  # a blank answer cell is the truth
    merged = complete_rows(structural, (PageText(page=None, text=page),))
    assert [r.cells[0] for r in merged] == ["5.1", "5.2"]
    assert merged[0].cells[2] == "" and merged[0].anchors[0].provision_id == "5.1"
    assert merged[1].cells[2] == "No"


def test_a_row_fused_from_two_requirements_is_replaced_by_both() -> None:
    a, b = text_of("2024", "5.1"), text_of("2024", "5.2")
    page = f"5.1\n{a}\nYes\nPolicy.\n5.2\n{b}\nNo\nNot yet."
    fused = [_row(("5.1", f"{a} Yes Policy. 5.2 {b}", "No", "Not yet."))]
    merged = complete_rows(fused, (PageText(page=None, text=page),))
    assert [(r.cells[0], r.cells[2]) for r in merged] == [("5.1", "Yes"), ("5.2", "No")]


def test_guessed_text_cells_give_way_where_they_lost_the_answer() -> None:
    a = text_of("2024", "6.3")
    page = f"6.3{a}YesSee page 10 of the policy."
    guessed = [_row(("6.3", a, "", "YesSee page 10 of the policy."))]
    kept = complete_rows(guessed, (PageText(page=None, text=page),))
    assert kept[0].cells[2] == ""  # marked-up cells are trusted
    replaced = complete_rows(guessed, (PageText(page=None, text=page),), cells_marked=False)
    assert replaced[0].cells[2] == "Yes"
