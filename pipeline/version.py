"""Which Code version a document assesses: the 2020 question form, 2022 or 2024.

Decided on the whole document from the wording first: the same number means different
things in 2022 and 2024 (5.1, 6.x, 7.x), 2020 questionnaires are numbered 1.1 / 4.1 on
some sites, a 2024 form may be laid out in the 2022 page style or quote the 2022
definition of a complaint. Each row votes for the version whose provision its
requirement resembles best, weighted by how much better (so rows worded alike in two
versions carry no weight); a printed id adds to a version only where it agrees with
that version's text for the row. Headings ("Mandatory 'must' requirements", "Code
provision", a ninth section, separate Yes/No columns) and the title lines only break
ties. A single row is enough when its wording is clear.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.align import THRESHOLD, Matrix, requirement_key, row_id, text_scores
from pipeline.records import CODE_VERSIONS, AssessmentRow, CodeVersion, VersionDecision
from pipeline.reference import Reference

# A row votes when its best version beats the next by more than VOTE_MARGIN points; its
# vote weighs the margin, capped at MAX_VOTE (so one clear row is not outweighed by a
# dozen near-ties).
VOTE_MARGIN = 2.0
MAX_VOTE = 20.0
# A printed id agreeing with the row's text in a version (text score >= ID_AGREE for the
# provision of that id, within ID_SLACK of the row's best there) adds ID_VOTE to it.
ID_AGREE = 45.0
ID_VOTE = 8.0
# ... and the id's provision must be (about) the row's best match in that version.
ID_SLACK = 5.0
# An id-only row (no requirement text) whose id exists in one version only.
ID_ONLY_VOTE = 5.0
# A row whose wording scores this much is a clear quotation of a provision: one is enough
# to call a page an assessment (below it, three vaguely similar rows are needed).
CLEAR_SCORE = 80.0
# Each heading cue.
CUE_VOTE = 3.0
# Two versions each holding this share of the row votes (and MIXED_MIN_ROWS rows) = mixed.
MIXED_SHARE = 0.25
MIXED_MIN_ROWS = 5
# When versions tie on the wording (texts alike in 2022 and 2024, no id, no heading), the
# latest in force is taken, with a note: most forms published now are 2024 forms.
LATEST: CodeVersion = "2024"

_CUES: tuple[tuple[CodeVersion, re.Pattern[str]], ...] = (
    ("2022", re.compile(r"mandatory\s*\W?\s*must|\W?must\W?\s+requirements", re.I)),
    ("2022", re.compile(r"(?:must|should)\s+do\s+requirements", re.I)),
    ("2022", re.compile(r"best\s+practice\s*\W?\s*should", re.I)),
    ("2024", re.compile(r"\bcode\s+provision\b", re.I)),
    ("2024", re.compile(r"\bsection\s+9\b|scrutiny\s*(?:&|and)\s*oversight", re.I)),
    ("2024", re.compile(r"complaint handling code\W+(?:april\s+)?2024|2024 code", re.I)),
    ("2022", re.compile(r"complaint handling code\W+(?:march\s+)?2022|2022 code", re.I)),
)


def heading_cues(rows: Sequence[AssessmentRow], context: Sequence[str] = ()) -> dict[str, int]:
    """Count of heading cues per version, from section headings, table headers, heading
    rows and the document's title lines.

    Args:
        rows: the document's rows.
        context: title lines and other text of the document.
    """
    texts: set[str] = set(context)
    for row in rows:
        texts.update(filter(None, [row.source.section, " | ".join(row.source.header)]))
        if not (row.answer_raw or row.evidence) and len(row.requirement) <= 80:
            texts.add(row.requirement)
    counts: dict[str, int] = {v: 0 for v in CODE_VERSIONS}
    for version, pattern in _CUES:  # each cue counts once, however often it is printed
        if any(pattern.search(text) for text in texts):
            counts[version] += 1
    if rows and sum(r.yes_no_columns for r in rows) >= max(1, len(rows) // 2):
        counts["2020"] += 2
    return counts


def id_shares(rows: Sequence[AssessmentRow], reference: Reference) -> dict[str, float] | None:
    """Share of printed ids that exist in each version; None when no row prints an id."""
    ids = [pid for pid in (row_id(r) for r in rows) if pid]
    if not ids:
        return None
    shares: dict[str, float] = {}
    for v in CODE_VERSIONS:
        known = {p.provision_id for p in reference.version(v)}
        shares[v] = sum(pid in known for pid in ids) / len(ids)
    return shares


@dataclass(frozen=True, slots=True)
class _Votes:
    weight: dict[CodeVersion, float]
    rows: dict[CodeVersion, int]
    matched: int
    clear: int
    id_only: int


def wording_votes(
    rows: Sequence[AssessmentRow], reference: Reference, scores: Mapping[str, Matrix]
) -> _Votes:
    """Per version, the weighted votes of rows by wording and agreeing printed ids.

    Args:
        rows: the document's rows.
        reference: provisions (to look up printed ids).
        scores: per version, the row x provision text score matrix.
    """
    weight: dict[CodeVersion, float] = {v: 0.0 for v in CODE_VERSIONS}
    voters: dict[CodeVersion, int] = {v: 0 for v in CODE_VERSIONS}
    matched = clear = id_only = 0
    for i, row in enumerate(rows):
        printed = row_id(row)
        fit: dict[CodeVersion, float] = {}
        for v in CODE_VERSIONS:
            matrix = scores[v]
            fit[v] = float(matrix[i].max()) if matrix.shape[1] else 0.0
            provision = reference.get(v, printed) if printed else None
            if provision is not None:
                own = matrix[i, provision.order]
                if own >= ID_AGREE and own >= fit[v] - ID_SLACK:
                    fit[v] += ID_VOTE
        if max(fit.values()) < THRESHOLD:
            if printed and len(requirement_key(row.requirement)) < 20:
                owners = [v for v in CODE_VERSIONS if reference.get(v, printed) is not None]
                if len(owners) == 1:
                    weight[owners[0]] += ID_ONLY_VOTE
                    voters[owners[0]] += 1
                    id_only += 1
            continue
        matched += 1
        clear += max(fit.values()) >= CLEAR_SCORE
        ranked = sorted(CODE_VERSIONS, key=lambda v: -fit[v])
        margin = fit[ranked[0]] - fit[ranked[1]]
        if margin > VOTE_MARGIN:
            weight[ranked[0]] += min(margin, MAX_VOTE)
            # Only clear quotations count as rows of a version (for a mixed document).
            voters[ranked[0]] += fit[ranked[0]] >= CLEAR_SCORE
    return _Votes(weight=weight, rows=voters, matched=matched, clear=clear, id_only=id_only)


def _context_year_version(context: Sequence[str]) -> CodeVersion | None:
    """A version named by the title lines' years: a form for 2024/25 or later is a 2024
    form; 2022/23 or 2023/24 a 2022 form; 2020/21 or 2021/22 a 2020 form."""
    years = [int(y) for line in context for y in re.findall(r"\b(20[12]\d)\b", line)]
    if not years:
        return None
    first = min(years)
    return "2024" if first >= 2024 else "2022" if first >= 2022 else "2020"


def detect_version(
    rows: Sequence[AssessmentRow],
    reference: Reference,
    *,
    context: Sequence[str] = (),
    scores: Mapping[str, Matrix] | None = None,
) -> VersionDecision:
    """Decide which Code version the document assesses.

    Args:
        rows: the document's rows in order.
        reference: provisions of every version.
        context: title lines and other document text.
        scores: precomputed per-version ``text_scores`` (computed here when None).

    Returns:
        The decision with per-version scores. ``code_version`` is None, with a note,
        when no version fits or two versions are mixed.
    """
    if scores is None:
        texts = [r.requirement for r in rows]
        scores = {v: text_scores(texts, reference.version(v)) for v in CODE_VERSIONS}
    votes = wording_votes(rows, reference, scores)
    cues = heading_cues(rows, context)
    text_rows = sum(len(requirement_key(r.requirement)) >= 20 for r in rows)
    if votes.clear == 0 and votes.matched < 3 and votes.id_only == 0:
        return VersionDecision(
            code_version=None,
            score=0.0,
            method="none",
            note="No row resembles a provision of the 2020, 2022 or 2024 Code.",
        )
    if text_rows >= 5 and votes.matched / text_rows < 0.2 and not any(votes.rows.values()):
        return VersionDecision(
            code_version=None,
            score=0.0,
            method="none",
            note=f"Only {votes.matched} of {text_rows} rows resemble a Code provision.",
        )
    total: dict[CodeVersion, float] = {
        v: votes.weight[v] + CUE_VOTE * cues[v] for v in CODE_VERSIONS
    }
    mass = sum(total.values())
    per_version = tuple(
        (v, round(100 * total[v] / mass, 1) if mass else 0.0) for v in CODE_VERSIONS
    )
    ranked = sorted(CODE_VERSIONS, key=lambda v: -total[v])
    top, second = ranked[0], ranked[1]
    method = "text" if votes.matched else "ids"
    if sum(cues.values()):
        method += "+headings"
    voters = sum(votes.rows.values())
    if (
        votes.rows[second] >= MIXED_MIN_ROWS
        and votes.rows[second] / max(voters, 1) >= MIXED_SHARE
        and votes.rows[top] >= MIXED_MIN_ROWS
    ):
        return VersionDecision(
            code_version=None,
            score=dict(per_version)[top],
            method=method,
            scores=per_version,
            mixed=True,
            note=(
                f"Rows fit two Code versions: {votes.rows[top]} rows read as {top}, "
                f"{votes.rows[second]} as {second}; split the document or review it."
            ),
        )
    if total[top] - total[second] <= VOTE_MARGIN:
        return _tie(ranked, total, context, method, per_version)
    note = ""
    if total[top] < 2 * total[second]:
        note = f"Version {top} only narrowly ahead of {second}."
    return VersionDecision(
        code_version=top, score=dict(per_version)[top], method=method, scores=per_version, note=note
    )


def _tie(
    ranked: Sequence[CodeVersion],
    total: Mapping[CodeVersion, float],
    context: Sequence[str],
    method: str,
    per_version: tuple[tuple[CodeVersion, float], ...],
) -> VersionDecision:
    """Versions tied on wording, ids and headings: the title's years, else the latest."""
    tied = [v for v in ranked if total[ranked[0]] - total[v] <= VOTE_MARGIN]
    named = _context_year_version(context)
    if named in tied:
        chosen: CodeVersion = named
        why = "the years in the title"
    else:
        chosen = LATEST if LATEST in tied else tied[0]
        why = "the latest version in force"
    return VersionDecision(
        code_version=chosen,
        score=dict(per_version)[chosen],
        method=method + "+tie",
        scores=per_version,
        note=(
            f"The wording fits versions {', '.join(sorted(tied))} alike; {chosen} taken from {why}."
        ),
    )
