"""Typed records passed between the stages of the pipeline.

The flow is::

    file --extract--> Extraction(rows: Row...)            (pipeline/extract/)
         --columns--> AssessmentRow...                    (pipeline/columns.py)
         --match----> AssessedDocument(AssessedRow...)    (pipeline/match.py, answers.py)
         --store----> DuckDB                              (pipeline/store.py)

Records are frozen; tuples inside, never dicts or ``Any``. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Format = Literal["pdf", "docx", "html", "text"]
CodeVersion = Literal["2020", "2022", "2024"]
Compliance = Literal["yes", "no", "partial", "na", "unknown"]
Obligation = Literal["must", "should", "question"]
DocumentStatus = Literal["ok", "failed", "no_assessment_found"]
LandlordType = Literal["council", "housing_association", "almo", "other", "unknown"]

CODE_VERSIONS: tuple[CodeVersion, ...] = ("2020", "2022", "2024")
COMPLIANCE_VALUES: tuple[Compliance, ...] = ("yes", "no", "partial", "na", "unknown")


@dataclass(frozen=True, slots=True, kw_only=True)
class Anchor:
    """A provision whose wording was found in a row's requirement text
    (pipeline/extract/anchors/): a hint for the matcher, not a decision.

    Attributes:
        code_version / provision_id: the provision.
        score: share of the provision's words found (0-100); 70 for a lead-in only.
    """

    code_version: CodeVersion
    provision_id: str
    score: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One row of a table as read from a document, before column roles are known.

    Attributes:
        page: 1-based PDF page the row starts on; None for DOCX, HTML and text.
        table_index: 0-based index of the table in the document (in reading order).
        row_index: 0-based index of the row in its table (header rows not counted).
        cells: cell texts in column order, whitespace-normalised, tags stripped.
        header: the table's header cells ("Code provision", "Comply: Yes / No", ...);
            empty when the table has no header row.
        section: heading in force above the row ("Section 6: Complaints Stages",
            "Mandatory 'must' requirements", "Stage 2"), joined with " / " when
            several levels are in force; None when there is none.
        stitched: True when the row was joined from pieces across a page break.
        anchors: provisions whose wording was found in the row (reference-anchored
            reading); empty for rows read from table structure alone.
        notes: stable codes a reader attached to the row ("answer_truncated",
            "requirement_truncated").
    """

    page: int | None
    table_index: int
    row_index: int
    cells: tuple[str, ...]
    header: tuple[str, ...] = ()
    section: str | None = None
    stitched: bool = False
    anchors: tuple[Anchor, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PageText:
    """A document's text in reading order: one block per PDF page, one block for the
    whole of a DOCX, HTML or text file (``page`` None). Table cells are on lines of their
    own, so the reference-anchored reading (pipeline/extract/anchors/) sees cell
    boundaries."""

    page: int | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """Everything a reader got out of one file.

    Attributes:
        path: the file as given.
        format: what the file really is (sniffed from its bytes, not its name).
        pages: page count for PDF; None for other formats.
        rows: candidate self-assessment rows, in document order.
        title_lines: the first non-empty lines of text (for landlord/year inference).
        notes: remarks a user should see, e.g. "named .pdf but is a DOCX file".
        tables_set_aside: tables recognised as not part of the self-assessment.
        text: the document's text in reading order (for anchored reading and review).
    """

    path: str
    format: Format
    pages: int | None
    rows: tuple[Row, ...]
    title_lines: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    tables_set_aside: int = 0
    text: tuple[PageText, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentRow:
    """A table row with its cells assigned to roles (see pipeline/columns.py).

    Text fields are whitespace-normalised and "" when the form has no such cell.

    Attributes:
        printed_id: provision id as printed ("6.3", "1a", "1. -"); "" if none.
        requirement: the Code requirement or question text.
        answer_raw: the answer cell as written ("Yes", "Partial (In Progress)", "");
            "" for forms that answer through separate Yes/No columns.
        evidence: evidence cell (for Yes/No-column forms: the "Yes" column text).
        commentary: commentary cell (for Yes/No-column forms: the "No" column text).
        actions: "actions required/taken" cell, where the form has one.
        yes_no_columns: the form answers by writing in a "Yes" or a "No" column
            (2020 layout) instead of an answer cell.
        answer_column: the row's table has an answer column (blank or not), so a blank
            answer is a blank answer, not an answer to look for in the evidence.
        source: the Row this came from (provenance: page, table, row, raw cells).
    """

    printed_id: str
    requirement: str
    answer_raw: str
    evidence: str
    commentary: str
    actions: str = ""
    yes_no_columns: bool = False
    answer_column: bool = False
    source: Row


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionDecision:
    """Which Code version a document assesses, and why.

    Attributes:
        code_version: the version, or None when no version fits or two are mixed.
        score: confidence 0-100.
        method: what decided it, e.g. "ids+text", "heading", "text".
        scores: per-version evidence score, for review.
        mixed: rows fit two versions about equally (reported, not guessed).
        note: a sentence for a human when the decision is doubtful.
    """

    code_version: CodeVersion | None
    score: float
    method: str
    scores: tuple[tuple[CodeVersion, float], ...] = ()
    mixed: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberAnswer:
    """One member landlord's answer in a group form ("Group A: YES • Group B: NO")."""

    member: str
    compliance: Compliance
    raw: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessedRow:
    """An AssessmentRow aligned to a provision, with its answer normalised.

    Attributes:
        provision_id: canonical id in ``code_version``; None when unaligned.
        match_score: 0-100 confidence of the alignment.
        match_method: "id", "text", "id+text", "position", or "none".
        compliance: normalised answer.
        compliance_raw: the answer as written.
        answer_inferred: the answer was taken from the evidence/commentary text.
        suggested_compliance: a likely answer when the stated one is contradicted
            or missing (``compliance`` always stays as written).
        stated_actions: actions and timescales stated for partial/no answers
            ("by March 2025").
        members: per-member answers for group forms; empty otherwise.
        needs_review: a human should look at this row.
        review_reasons: stable codes, e.g. "answer_contradicted_by_commentary",
            "low_match_score", "ambiguous_answer".
    """

    row: AssessmentRow
    code_version: CodeVersion | None
    provision_id: str | None
    match_score: float
    match_method: str
    compliance: Compliance
    compliance_raw: str
    answer_inferred: bool = False
    suggested_compliance: Compliance | None = None
    stated_actions: str = ""
    members: tuple[MemberAnswer, ...] = ()
    needs_review: bool = False
    review_reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessedDocument:
    """The matcher's verdict on one document."""

    version: VersionDecision
    rows: tuple[AssessedRow, ...] = field(default_factory=tuple)
