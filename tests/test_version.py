"""Code version detection (pipeline/version.py): each cue, mixed and unmatched documents."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.align import text_scores
from pipeline.records import AssessmentRow, Row
from pipeline.reference import Provision, load_reference
from pipeline.version import detect_version, heading_cues, id_shares

REF = load_reference()


def make_row(
    requirement: str,
    printed_id: str = "",
    *,
    section: str | None = None,
    header: tuple[str, ...] = (),
    answer: str = "Yes",
    evidence: str = "Set out in our policy.",
    yes_no_columns: bool = False,
) -> AssessmentRow:
    return AssessmentRow(
        printed_id=printed_id,
        requirement=requirement,
        answer_raw="" if yes_no_columns else answer,
        evidence=evidence,
        commentary="",
        yes_no_columns=yes_no_columns,
        source=Row(page=None, table_index=0, row_index=0, cells=(), header=header, section=section),
    )


def rows_of(
    provisions: Sequence[Provision], *, ids: bool = True, yes_no: bool = False
) -> list[AssessmentRow]:
    return [
        make_row(p.requirement_text, p.provision_id if ids else "", yes_no_columns=yes_no)
        for p in provisions
    ]


def test_each_version_from_its_own_text_and_ids() -> None:
    for version in ("2020", "2022", "2024"):
        decision = detect_version(rows_of(REF.version(version), yes_no=version == "2020"), REF)
        assert decision.code_version == version
        assert not decision.mixed
        assert "text" in decision.method


def test_text_alone_decides_without_ids() -> None:
    for version in ("2022", "2024"):
        decision = detect_version(rows_of(REF.version(version), ids=False), REF)
        assert decision.code_version == version
        assert decision.method == "text"


def test_printed_ids_alone() -> None:
    # Rows with ids but no requirement text: the ids decide.
    rows_2024 = [make_row("", p.provision_id) for p in REF.version("2024")]
    assert detect_version(rows_2024, REF).code_version == "2024"
    rows_2020 = [make_row("", p.provision_id) for p in REF.version("2020")]
    assert detect_version(rows_2020, REF).code_version == "2020"
    shares = id_shares(rows_2024, REF)
    assert shares is not None
    assert shares["2024"] == 1.0
    assert shares["2020"] == 0.0


def test_mandatory_must_heading_is_a_2022_cue() -> None:
    rows = [make_row("x" * 30, section="Section 1 - Definition / Mandatory 'must' requirements")]
    assert heading_cues(rows)["2022"] >= 1
    rows = [make_row("Should Do Requirements", answer="", evidence="")]
    assert heading_cues(rows)["2022"] >= 1


def test_code_provision_header_and_ninth_section_are_2024_cues() -> None:
    rows = [make_row("x" * 30, header=("Code provision", "Code requirement", "Comply"))]
    assert heading_cues(rows)["2024"] >= 1
    rows = [make_row("x" * 30, section="Section 9: Scrutiny & oversight")]
    assert heading_cues(rows)["2024"] >= 1


def test_yes_no_columns_are_a_2020_cue() -> None:
    rows = rows_of(REF.version("2020")[:3], yes_no=True)
    assert heading_cues(rows)["2020"] >= 1


def test_heading_decides_between_shared_wordings() -> None:
    # Requirements whose wording is the same in 2022 and 2024 do not decide by text;
    # the "Mandatory 'must' requirements" heading then does.
    texts = [p.requirement_text for p in REF.version("2022")]
    near = text_scores(texts, REF.version("2024")).max(axis=1)
    shared = [p for p, score in zip(REF.version("2022"), near, strict=True) if score >= 95]
    assert len(shared) >= 3, "reference has provisions worded alike in 2022 and 2024"
    rows = [make_row(p.requirement_text, section="Mandatory 'must' requirements") for p in shared]
    assert detect_version(rows, REF).code_version == "2022"


def test_2024_form_quoting_the_2022_definition_is_2024() -> None:
    rows = rows_of(REF.version("2024"), ids=False)
    rows[0] = make_row(REF.get("2022", "1.2").requirement_text)  # type: ignore[union-attr]
    decision = detect_version(rows, REF)
    assert decision.code_version == "2024"
    assert not decision.mixed


def test_misnumbered_2024_rows_do_not_fool_the_text() -> None:
    # 2024 texts printed with 2022 numbering: text outweighs ids.
    rows = [
        make_row(p.requirement_text, q.provision_id)
        for p, q in zip(REF.version("2024"), REF.version("2022"), strict=False)
    ]
    assert detect_version(rows, REF).code_version == "2024"


def test_mixed_document_is_reported_not_guessed() -> None:
    rows = rows_of(REF.version("2022"), ids=False) + rows_of(REF.version("2024"), ids=False)
    decision = detect_version(rows, REF)
    assert decision.code_version is None
    assert decision.mixed
    assert "two Code versions" in decision.note


def test_unrelated_document_matches_no_version() -> None:
    rows = [
        make_row("Monthly volume of stage one complaints received by the housing team"),
        make_row("Average days taken to respond to stage two complaints in the year"),
        make_row("Number of compliments received about the repairs service this year"),
    ]
    decision = detect_version(rows, REF)
    assert decision.code_version is None
    assert not decision.mixed
    assert decision.note


def test_empty_document_matches_no_version() -> None:
    assert detect_version([], REF).code_version is None


def test_title_lines_count_as_context() -> None:
    cues = heading_cues([], context=("Housing Ombudsman Complaint Handling Code 2024",))
    assert cues["2024"] == 1
