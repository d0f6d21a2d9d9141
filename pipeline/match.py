"""Stage 3: assessment rows -> Code version, provision per row, normalised answers.

``assess_document`` chains the named steps:

1. ``text_scores`` per version (pipeline/align.py): the row x provision matrices;
2. ``detect_version`` (pipeline/version.py): one decision for the whole document;
3. ``align_rows`` (pipeline/align.py): order-aware alignment to that version;
4. ``merge_continuations`` (here): the answer and evidence of a row a reader split off
   its requirement are given to the aligned row above;
5. ``assess_answer`` (here): answer normalisation (pipeline/answers.py), inferred
   answers, group members, contradictions (pipeline/contradictions.py) and stated
   actions (pipeline/stated_actions.py).

Every row comes out, in order; unaligned rows keep ``provision_id`` None and
``match_method`` "none". Doubtful decisions carry ``needs_review`` and stable reason
codes (``REVIEW_REASONS``). Pure, no I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from pipeline.align import (
    MIN_TEXT,
    Alignment,
    Matrix,
    is_heading_row,
    requirement_key,
    row_id,
    text_scores,
)
from pipeline.align_sequence import align_rows
from pipeline.answers import (
    answer_in_evidence,
    combine_members,
    compliance_from_columns,
    compliance_from_text,
    is_recognised_answer,
    member_answers,
)
from pipeline.contradictions import likely_answer
from pipeline.records import (
    CODE_VERSIONS,
    AssessedDocument,
    AssessedRow,
    AssessmentRow,
    CodeVersion,
    Compliance,
    MemberAnswer,
)
from pipeline.reference import Counterpart, Reference
from pipeline.stated_actions import stated_actions
from pipeline.textnorm import clean_cell
from pipeline.version import detect_version
from pipeline.vocabulary import ANCHOR_HEADER, is_assessment, is_bare_na

REVIEW_REASONS = (
    "answer_contradicted_by_commentary",
    "blank_answer_with_evidence",
    "ambiguous_answer",
    "members_differ",
    "low_match_score",
    "id_text_disagree",
    "out_of_order",
    "fused_rows",
    "no_provision_match",
    "version_undecided",
    "continuation_row",
    "answer_truncated",
    "cut_before_answer",
    "id_only_empty",
)
# Row notes from the readers (Row.notes) that make a row unalignable: the page was cut
# inside the requirement or right after it, so the row holds no answer to record.
_UNALIGNABLE_NOTES = frozenset({"cut_before_answer"})


def assess_document(
    rows: Sequence[AssessmentRow], reference: Reference, *, context: Sequence[str] = ()
) -> AssessedDocument:
    """Decide the document's Code version, align every row, normalise every answer.

    Args:
        rows: the document's assessment rows in document order.
        reference: provisions and crosswalk.
        context: the document's title lines and other text (dates, headings).

    Returns:
        The version decision and one AssessedRow per input row, in order.
    """
    texts = [r.requirement for r in rows]
    scores: dict[str, Matrix] = {v: text_scores(texts, reference.version(v)) for v in CODE_VERSIONS}
    apply_anchors(scores, rows, reference)
    for i, row in enumerate(rows):
        if _UNALIGNABLE_NOTES.intersection(row.source.notes):
            for matrix in scores.values():
                matrix[i, :] = 0.0  # cut before its answer: it must not take a provision
    version = detect_version(rows, reference, context=context, scores=scores)
    code_version = version.code_version
    if code_version is None:
        alignments = tuple(
            Alignment(provision_id=None, score=0.0, method="none", reasons=("version_undecided",))
            for _ in rows
        )
    else:
        alignments = align_rows(rows, reference.version(code_version), text=scores[code_version])
    alignments = tuple(
        _unalign_empty(row, alignment) for row, alignment in zip(rows, alignments, strict=True)
    )
    no_answer_column = bool(rows) and not any(
        r.answer_raw.strip() or r.yes_no_columns or r.answer_column for r in rows
    )
    merged, tails = merge_continuations(rows, alignments)
    assessed: list[AssessedRow] = []
    for i, (row, alignment) in enumerate(zip(merged, alignments, strict=True)):
        out = assess_row(row, alignment, code_version, infer_from_evidence=no_answer_column)
        assessed.append(_mark_continuation(out) if i in tails else out)
    return AssessedDocument(version=version, rows=tuple(assessed))


def holds_assessment(doc: AssessedDocument) -> bool:
    """Whether the document is a self-assessment (``vocabulary.is_assessment``): its
    provisions carry answers (any text in an answer cell, "TBC" too), or sit in a table
    with an answer column. Rows read by the
    anchors alone do not count as answer cells (their header is synthetic)."""
    aligned = [r for r in doc.rows if r.provision_id is not None]
    answered = sum(
        1 for r in aligned if r.compliance != "unknown" or r.compliance_raw.strip() or r.members
    )
    cells = sum(1 for r in aligned if r.row.answer_column and r.row.source.header != ANCHOR_HEADER)
    return is_assessment(answered, cells)


def _unalign_empty(row: AssessmentRow, alignment: Alignment) -> Alignment:
    """Rows that record nothing for their provision stay unaligned: the page was cut in or
    right after the requirement (``cut_before_answer``), or only a printed id is left of
    the row (a fragment such as "5.6 | When a compla" with no answer and no evidence)."""
    if _UNALIGNABLE_NOTES.intersection(row.source.notes):
        return Alignment(
            provision_id=None, score=0.0, method="none", reasons=("cut_before_answer",)
        )
    if alignment.method == "id" and _is_bare(row):
        return Alignment(provision_id=None, score=0.0, method="none", reasons=("id_only_empty",))
    return alignment


def apply_anchors(
    scores: dict[str, Matrix], rows: Sequence[AssessmentRow], reference: Reference
) -> None:
    """Raise each row's text score for the provisions whose wording the reader found in
    it (``Row.anchors``): a requirement cut to its lead-in ("As a minimum, governing
    bodies should receive:") is still that provision, though its text alone scores low.

    Args:
        scores: per-version row x provision matrices, changed in place.
        rows: the rows, in matrix order.
        reference: provisions (for their column in each matrix).
    """
    for i, row in enumerate(rows):
        for anchor in row.source.anchors:
            provision = reference.get(anchor.code_version, anchor.provision_id)
            if provision is not None:
                matrix = scores[anchor.code_version]
                matrix[i, provision.order] = max(matrix[i, provision.order], anchor.score)


def _is_bare(row: AssessmentRow) -> bool:
    """A requirement row with every other cell empty."""
    return not (
        row.answer_raw.strip()
        or row.evidence.strip()
        or row.commentary.strip()
        or row.actions.strip()
    )


def merge_continuations(
    rows: Sequence[AssessmentRow], alignments: Sequence[Alignment]
) -> tuple[list[AssessmentRow], set[int]]:
    """Rows a reader split in two: the requirement (and id) in one row, the answer and
    evidence in the next. The answer, evidence, commentary and actions of such a second
    fragment are given to the aligned row above it, so the provision gets its answer.

    A fragment qualifies when it is unaligned, prints no id, is not a heading, carries an
    answer or evidence, and either has no requirement text of its own or carries an
    answer; the row above must be aligned and have nothing but its requirement.

    Args:
        rows: the document's rows.
        alignments: ``align_rows`` for them.

    Returns:
        The rows with the fragments' cells copied up (the fragments themselves are kept
        unchanged, so nothing extracted is lost), and the indices of the fragments.
    """
    out = list(rows)
    tails: set[int] = set()
    for i in range(1, len(rows)):
        head, tail = rows[i - 1], rows[i]
        if alignments[i].provision_id is not None or alignments[i - 1].provision_id is None:
            continue
        if not _is_bare(head) or head.yes_no_columns != tail.yes_no_columns:
            continue
        if row_id(tail) or is_heading_row(tail) or _is_bare(tail):
            continue
        if len(requirement_key(tail.requirement)) >= MIN_TEXT and not tail.answer_raw.strip():
            continue
        out[i - 1] = dataclasses.replace(
            head,
            answer_raw=tail.answer_raw,
            evidence=tail.evidence,
            commentary=tail.commentary,
            actions=tail.actions,
        )
        tails.add(i)
    return out, tails


def _mark_continuation(row: AssessedRow) -> AssessedRow:
    """A fragment whose cells were given to the row above: not a missed provision."""
    reasons = tuple(r for r in row.review_reasons if r != "no_provision_match")
    return dataclasses.replace(
        row, review_reasons=(*reasons, "continuation_row"), needs_review=True
    )


def assess_answer(
    row: AssessmentRow, *, infer_from_evidence: bool = False
) -> tuple[Compliance, bool, Compliance | None, tuple[MemberAnswer, ...], tuple[str, ...]]:
    """Normalise one row's answer and check it against the row's own words.

    Args:
        row: the assessment row.
        infer_from_evidence: the form has no answer column at all, so an answer given
            at the start of the evidence ("Yes, residents can ...") is taken (and marked
            inferred). Otherwise such an answer is only suggested.

    Returns:
        (compliance, inferred, suggested_compliance, members, review reasons).
    """
    reasons: list[str] = []
    raw = row.answer_raw
    members: tuple[MemberAnswer, ...] = ()
    inferred = False
    suggested: Compliance | None = None
    if row.yes_no_columns:
        compliance = compliance_from_columns(row.evidence, row.commentary)
    else:
        members = member_answers(raw)
        if members:
            compliance = combine_members(members)
            if len({m.compliance for m in members}) > 1:
                reasons.append("members_differ")
        else:
            compliance = compliance_from_text(raw)
            if not is_recognised_answer(raw):
                reasons.append("ambiguous_answer")
    blank = compliance == "unknown" and "ambiguous_answer" not in reasons and not members
    texts = (row.evidence, row.commentary)
    if blank and infer_from_evidence:
        found = answer_in_evidence(row.evidence) or answer_in_evidence(row.commentary)
        if found is not None:
            compliance, inferred, blank = found, True, False
    if compliance == "yes":
        # An evidence cell reading only "n/a" beside a Yes cites no document; it does not
        # say the requirement does not apply.
        prose = tuple(t for t in texts if not is_bare_na(t))
        cue = likely_answer(prose, requirement=row.requirement)
        if cue is not None:
            suggested = cue.suggested
            reasons.append("answer_contradicted_by_commentary")
    elif blank and not row.yes_no_columns and any(clean_cell(t) for t in texts):
        cue = likely_answer(texts, requirement=row.requirement)
        suggested = (
            cue.suggested
            if cue
            else (answer_in_evidence(row.evidence) or answer_in_evidence(row.commentary))
        )
        reasons.append("blank_answer_with_evidence")
    return compliance, inferred, suggested, members, tuple(reasons)


def assess_row(
    row: AssessmentRow,
    alignment: Alignment,
    code_version: CodeVersion | None,
    *,
    infer_from_evidence: bool = False,
) -> AssessedRow:
    """One AssessedRow from a row, its alignment and the document's version.

    Args:
        row: the assessment row.
        alignment: where ``align_rows`` put it.
        code_version: the document's version (None when undecided).
        infer_from_evidence: see ``assess_answer``.
    """
    compliance, inferred, suggested, members, answer_reasons = assess_answer(
        row, infer_from_evidence=infer_from_evidence
    )
    reasons = [*alignment.reasons, *answer_reasons]
    reasons.extend(n for n in row.source.notes if n in REVIEW_REASONS)
    if (
        alignment.provision_id is None
        and not is_heading_row(row)
        and code_version is not None
        and (row.answer_raw or row.evidence or row.commentary)
    ):
        reasons.append("no_provision_match")
    actions = ""
    if compliance in ("partial", "no") or suggested in ("partial", "no"):
        actions = stated_actions(row.evidence, row.commentary, row.actions)
    unique = tuple(dict.fromkeys(reasons))
    return AssessedRow(
        row=row,
        code_version=code_version,
        provision_id=alignment.provision_id,
        match_score=alignment.score,
        match_method=alignment.method,
        compliance=compliance,
        compliance_raw=row.answer_raw,
        answer_inferred=inferred,
        suggested_compliance=suggested,
        stated_actions=actions,
        members=members,
        needs_review=bool(unique),
        review_reasons=unique,
    )


def counterparts(row: AssessedRow, reference: Reference) -> tuple[Counterpart, ...]:
    """The provisions of the other Code versions that match this row's provision, so
    answers can be compared across years (crosswalk, chained 2020 <-> 2022 <-> 2024).

    Args:
        row: an assessed row.
        reference: provisions and crosswalk.

    Returns:
        Counterparts, or () when the row is unaligned.
    """
    if row.code_version is None or row.provision_id is None:
        return ()
    return reference.counterparts(row.code_version, row.provision_id)
