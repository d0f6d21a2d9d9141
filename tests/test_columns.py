"""Column roles: rows built by hand, one stage called (pipeline/columns.py)."""

from __future__ import annotations

from pipeline.columns import row_to_assessment_row, rows_to_assessment_rows
from pipeline.layout import content_layout, header_layout
from pipeline.records import Row
from pipeline.vocabulary import header_cell_role, is_answer

HEADER_2024 = (
    "Code provision",
    "Code requirement",
    "Comply: Yes / No",
    "Evidence",
    "Commentary / explanation",
)


def _row(*cells: str, header: tuple[str, ...] = (), table: int = 0, index: int = 0) -> Row:
    return Row(page=None, table_index=table, row_index=index, cells=cells, header=header)


def test_header_cell_roles() -> None:
    assert [header_cell_role(h) for h in HEADER_2024] == [
        "id",
        "requirement",
        "answer",
        "evidence",
        "commentary",
    ]
    assert header_cell_role("Summary of actions required/taken") == "actions"
    assert header_cell_role("Evidence, commentary and any explanations") == "evidence"
    assert header_cell_role("Code section") == "id"
    assert header_cell_role("Yes") == "yes"


def test_header_layout_forms() -> None:
    layout = header_layout(HEADER_2024)
    assert layout is not None and layout.roles[0] == "id" and not layout.yes_no_columns
    question = header_layout(("1", "Definition of a complaint", "Yes", "No"))
    assert question is not None
    assert question.roles == ("id", "requirement", "yes", "no") and question.yes_no_columns
    assert header_layout(("Quarter", "Stage 1", "Stage 2", "Responded on time")) is None


def test_content_layout_without_header() -> None:
    rows = [
        _row(
            "1.2",
            "A complaint must be defined as an expression of dissatisfaction.",
            "Yes",
            "Policy",
        ),
        _row("1.3", "A resident does not have to use the word complaint.", "No", "Leaflet"),
    ]
    assert content_layout(rows).roles == ("id", "requirement", "answer", "evidence")


def test_assessment_row_from_header() -> None:
    layout = header_layout(HEADER_2024)
    assert layout is not None
    row = _row("6.3", "Landlords must respond.", "Yes", "Policy", "On time.", header=HEADER_2024)
    out = row_to_assessment_row(row, layout)
    assert (out.printed_id, out.requirement, out.answer_raw, out.evidence, out.commentary) == (
        "6.3",
        "Landlords must respond.",
        "Yes",
        "Policy",
        "On time.",
    )
    assert out.source is row


def test_leading_id_and_stage_heading_split_off() -> None:
    header = ("Code requirement", "Comply: Yes/No", "Evidence")
    rows = rows_to_assessment_rows(
        [
            _row("1.3The resident does not have to use the word.", "Yes", "Policy", header=header),
            _row(
                "Stage 3 Complaints should only go to a third stage.",
                "Yes",
                "None",
                header=header,
                index=1,
            ),
            _row(
                "Stage 2 is the landlord's final response.", "Yes", "Policy", header=header, index=2
            ),
        ]
    )
    assert (rows[0].printed_id, rows[0].requirement) == (
        "1.3",
        "The resident does not have to use the word.",
    )
    assert rows[1].requirement == "Complaints should only go to a third stage."
    assert rows[2].requirement == "Stage 2 is the landlord's final response."


def test_yes_no_columns_free_text_and_tick_marks() -> None:
    header = ("1", "Definition of a complaint", "Yes", "No")
    (free,) = rows_to_assessment_rows(
        [_row("1a", "Q?", "Housing text", "Corporate text", header=header)]
    )
    assert free.yes_no_columns and free.answer_raw == ""
    assert (free.evidence, free.commentary) == ("Housing text", "Corporate text")
    ticks = ("Ref", "Requirement", "Yes", "No", "Evidence")
    (ticked,) = rows_to_assessment_rows([_row("1.2", "Text", "", "X", "Policy", header=ticks)])
    assert (ticked.answer_raw, ticked.evidence, ticked.yes_no_columns) == ("No", "Policy", False)


def test_short_row_shifted_past_answer() -> None:
    header = ("Code section", "Code requirement", "Comply: Yes / No", "Evidence")
    (row,) = rows_to_assessment_rows(
        [
            _row(
                "4.17",
                "Landlords should recognise the impact.",
                "Dissemination of work and outcomes of complaints to staff.",
                header=header,
            )
        ]
    )
    assert (row.answer_raw, row.evidence) == (
        "",
        "Dissemination of work and outcomes of complaints to staff.",
    )


def test_tables_keep_their_own_layout_and_order() -> None:
    other = ("Code requirement", "Comply: Yes/No", "Evidence", "Summary of actions required/taken")
    rows = rows_to_assessment_rows(
        [
            _row("1.2", "Req A", "Yes", "Ev A", "Com A", header=HEADER_2024, table=0),
            _row("Req B", "No", "Ev B", "Act B", header=other, table=1),
            _row("1.3", "Req C", "Yes", "Ev C", "Com C", header=HEADER_2024, table=0, index=1),
        ]
    )
    assert [r.requirement for r in rows] == ["Req A", "Req B", "Req C"]
    assert rows[1].actions == "Act B" and rows[1].commentary == ""


def test_is_answer() -> None:
    assert all(
        is_answer(t)
        for t in (
            "Yes",
            "No ",
            "Partial (In Progress)",
            "Partial - (In progress)",
            "N/A",
            "Y",
            "Yes / No",
            "✓",
        )
    )
    assert not any(is_answer(t) for t in ("", "185", "Vaa", "J", "learning culture."))
    assert not is_answer("Yes, residents can use the phone, email, letters and the website form.")


def test_more_header_wordings() -> None:
    roles = {
        "Y/N": "answer",
        "Met / Not met": "answer",
        "RAG status": "answer",
        "Our response": "answer",
        "Rating": "answer",
        "Achieved?": "answer",
        "How we meet this": "evidence",
        "Areas for improvement": "actions",
        "What the Code says": "requirement",
        "Para": "id",
        "Partial": "partial",
    }
    assert {h: header_cell_role(h) for h in roles} == roles


def test_prose_under_an_answer_header_is_evidence() -> None:
    header = ("Ref", "Requirement", "Compliant?", "How do we comply?", "Response")
    long = "Our policy sets this out in section 3 and staff are trained every year."
    rows = rows_to_assessment_rows(
        [
            _row("1.2", "Req A", "Yes", long, "Yes. " + long, header=header),
            _row("1.3", "Req B", "No", long, "No. " + long, header=header, index=1),
        ]
    )
    assert (rows[0].answer_raw, rows[0].evidence, rows[0].commentary) == (
        "Yes",
        long,
        "Yes. " + long,
    )


def test_partial_tick_column() -> None:
    header = ("Ref", "Requirement", "Yes", "Partial", "No", "Evidence")
    (row,) = rows_to_assessment_rows([_row("1.2", "Req", "", "X", "", "Policy", header=header)])
    assert (row.answer_raw, row.evidence) == ("Partial", "Policy")
