"""Which Code version a document assesses: the 2020 question form, 2022 or 2024.

Decided on the whole document, never on one row: the same number means different
things in 2022 and 2024 (5.1, 6.x, 7.x), and some 2024 forms quote the 2022 definition
of a complaint. Three kinds of evidence, each scored per version:

- text (weight 0.6): rows "vote" for the version whose provision their requirement
  text resembles clearly better than any other version's;
- printed ids (weight 0.25): the share of printed ids that exist in the version
  ("1a" only in 2020, "9.x" and "6.20" only in 2024, "5.20" and "4.19" only in 2022);
- headings (weight 0.15): "Mandatory 'must' requirements" / "Should Do Requirements"
  mean 2022; "Code provision" with a ninth section or "Scrutiny & oversight" mean
  2024; separate Yes/No answer columns mean the 2020 question form.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from pipeline.align import THRESHOLD, Matrix, requirement_key, row_id, text_scores
from pipeline.records import CODE_VERSIONS, AssessmentRow, CodeVersion, VersionDecision
from pipeline.reference import Reference

# A row votes for a version when its best score there is at least VOTE_SCORE and beats
# every other version's best by VOTE_MARGIN.
VOTE_SCORE = 70.0
VOTE_MARGIN = 4.0
# Two versions each holding this share of the votes (and MIXED_MIN_VOTES votes) = mixed.
MIXED_SHARE = 0.25
MIXED_MIN_VOTES = 5
WEIGHTS = {"text": 0.6, "ids": 0.25, "headings": 0.15}

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
    for text in texts:
        for version, pattern in _CUES:
            if pattern.search(text):
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


def text_votes(scores: Mapping[str, Matrix]) -> tuple[dict[str, int], int]:
    """Rows voting for each version, and the number of rows that match any version.

    Args:
        scores: per version, the row x provision text score matrix.
    """
    versions = [v for v in CODE_VERSIONS if v in scores]
    n = next(iter(scores.values())).shape[0] if scores else 0
    best = np.zeros((len(versions), n))
    for k, v in enumerate(versions):
        if scores[v].shape[1]:
            best[k] = scores[v].max(axis=1)
    votes: dict[str, int] = {v: 0 for v in CODE_VERSIONS}
    matched = int((best.max(axis=0) >= THRESHOLD).sum()) if n else 0
    for i in range(n):
        order = np.argsort(-best[:, i])
        top = best[order[0], i]
        second = best[order[1], i] if len(order) > 1 else 0.0
        if top >= VOTE_SCORE and top - second >= VOTE_MARGIN:
            votes[versions[order[0]]] += 1
    return votes, matched


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
    votes, matched = text_votes(scores)
    ids = id_shares(rows, reference)
    cues = heading_cues(rows, context)
    text_rows = sum(len(requirement_key(r.requirement)) >= 20 for r in rows)
    evidence: dict[str, dict[str, float]] = {}
    total_votes = sum(votes.values())
    if total_votes:
        evidence["text"] = {v: votes[v] / total_votes for v in CODE_VERSIONS}
    if ids is not None and len(set(ids.values())) > 1:
        evidence["ids"] = ids
    if sum(cues.values()):
        evidence["headings"] = {v: cues[v] / sum(cues.values()) for v in CODE_VERSIONS}
    if not evidence or (matched < 3 and "ids" not in evidence):
        return VersionDecision(
            code_version=None,
            score=0.0,
            method="none",
            note="No row resembles a provision of the 2020, 2022 or 2024 Code.",
        )
    weight = sum(WEIGHTS[k] for k in evidence)
    combined = {
        v: round(100 * sum(WEIGHTS[k] * evidence[k][v] for k in evidence) / weight, 1)
        for v in CODE_VERSIONS
    }
    ranked = sorted(CODE_VERSIONS, key=lambda v: -combined[v])
    top, second = ranked[0], ranked[1]
    method = "+".join(k for k in ("ids", "text", "headings") if k in evidence)
    per_version = tuple((v, combined[v]) for v in CODE_VERSIONS)
    if (
        total_votes
        and votes[second] >= MIXED_MIN_VOTES
        and votes[second] / total_votes >= MIXED_SHARE
    ):
        return VersionDecision(
            code_version=None,
            score=combined[top],
            method=method,
            scores=per_version,
            mixed=True,
            note=(
                f"Rows fit two Code versions: {votes[top]} rows read as {top}, "
                f"{votes[second]} as {second}; split the document or review it."
            ),
        )
    if text_rows and matched / text_rows < 0.2 and "ids" not in evidence:
        return VersionDecision(
            code_version=None,
            score=combined[top],
            method=method,
            scores=per_version,
            note=f"Only {matched} of {text_rows} rows resemble a Code provision.",
        )
    note = ""
    if combined[top] - combined[second] < 20:
        note = f"Version {top} only narrowly ahead of {second}."
    return VersionDecision(
        code_version=top, score=combined[top], method=method, scores=per_version, note=note
    )
