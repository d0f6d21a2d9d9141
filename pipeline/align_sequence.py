"""Aligning a document's rows to a version's provisions over the whole sequence.

``align_rows`` runs a dynamic programme (``_dp``) over the whole sequence
for each order in which forms list provisions, then refines the result: gaps between two
aligned rows are filled by position (``_fill_gaps``); a row split in two by a reader gets
its provision on the first fragment (``_prefer_heads``); a row worded like several
provisions goes to the one beside its neighbours (``_prefer_neighbours``); a row outside
the sequence whose text is unmistakable is still aligned (``_out_of_order``). The
scores come from ``pipeline.align``. Pure, no I/O.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz

from pipeline.align import (
    FUSED_LENGTH,
    FUSED_MIN_REST,
    FUSED_REST_SCORE,
    FUSED_SCORE,
    MIN_TEXT,
    OUT_OF_ORDER_MARGIN,
    OUT_OF_ORDER_SCORE,
    REVIEW_SCORE,
    THRESHOLD,
    Alignment,
    Matrix,
    form_orders,
    is_heading_row,
    pair_scores,
    requirement_key,
    row_id,
    text_scores,
)
from pipeline.records import AssessmentRow
from pipeline.reference import Provision

# Provisions a row matches within this many points are worded alike for it.
_ALIKE_SCORE = 1.0


def _dp(scores: Matrix, order: Sequence[int]) -> tuple[float, list[tuple[int, int]]]:
    """Monotone alignment of rows to provisions in ``order`` maximising the sum of
    (score - THRESHOLD); rows and provisions may be skipped. Hand-written: an
    LCS-style table, O(rows x provisions); no library offers weighted monotone matching.
    """
    n, m = scores.shape[0], len(order)
    gain = scores[:, list(order)] - THRESHOLD if m else np.zeros((n, 0))
    table = np.zeros((n + 1, m + 1))
    for i in range(n):
        # table[i + 1][k + 1] = max(table[i][k + 1], table[i + 1][k], table[i][k] + gain
        # where positive): row by row, the running maximum of the first and last terms.
        prev, g = table[i], gain[i]
        best = prev[1:].copy()
        pos = g > 0
        if pos.any():
            best[pos] = np.maximum(best[pos], prev[:-1][pos] + g[pos])
        np.maximum.accumulate(best, out=table[i + 1, 1:])
    rows = table.tolist()  # read one value at a time below: lists are faster
    pairs: list[tuple[int, int]] = []
    i, k = n, m
    while i > 0 and k > 0:
        if rows[i][k] == rows[i - 1][k]:
            i -= 1
        elif rows[i][k] == rows[i][k - 1]:
            k -= 1
        else:
            pairs.append((i - 1, order[k - 1]))
            i, k = i - 1, k - 1
    pairs.reverse()
    return float(table[n, m]), pairs


def _fill_gaps(
    rows: Sequence[AssessmentRow],
    scores: Matrix,
    order: Sequence[int],
    pairs: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Rows between two aligned rows, when the gap holds exactly as many unaligned
    provisions (in ``order``) as rows: aligned by position if they look like requirement
    rows (some text, an answer or evidence, a weak text match)."""
    position = {j: k for k, j in enumerate(order)}
    filled: list[tuple[int, int]] = []
    bounds = [(-1, -1), *[(i, position[j]) for i, j in pairs], (len(rows), len(order))]
    for (i1, k1), (i2, k2) in itertools.pairwise(bounds):
        gap_rows = list(range(i1 + 1, i2))
        gap_provs = [order[k] for k in range(k1 + 1, k2)]
        if not gap_rows or len(gap_rows) != len(gap_provs):
            continue
        if i1 < 0 or i2 >= len(rows):
            continue  # only between two anchors
        for i, j in zip(gap_rows, gap_provs, strict=True):
            row = rows[i]
            looks_like_row = (
                len(requirement_key(row.requirement)) >= MIN_TEXT
                and not is_heading_row(row)
                and bool(row.answer_raw or row.evidence or row.commentary or row.yes_no_columns)
            )
            if looks_like_row and scores[i, j] >= 30.0:
                filled.append((i, j))
    return sorted([*pairs, *filled])


def _prefer_heads(
    rows: Sequence[AssessmentRow],
    provisions: Sequence[Provision],
    scores: Matrix,
    chosen: dict[int, int],
    matched: set[int],
) -> dict[int, int]:
    """When a reader split a row in two, the alignment may pick the second fragment (its
    text can score higher). Move the provision to the first fragment (left unaligned,
    right above, no other id printed) when that one matches the provision too and
    carries its id or its answer, or matches no provision better; the second fragment
    must print no id. ``pipeline.match`` then gives the fragment's cells to the first."""
    out = dict(chosen)
    for i, j in sorted(chosen.items()):
        head = i - 1
        if head < 0 or head in out or row_id(rows[i]):
            continue
        row = rows[head]
        if is_heading_row(row) or scores[head, j] < THRESHOLD:
            continue
        printed = row_id(row)
        pid = provisions[j].provision_id
        if printed and printed != pid:
            continue
        best = int(np.argmax(scores[head]))
        if row.answer_raw.strip() or printed == pid or best == j:
            del out[i]
            out[head] = j
            if i in matched:
                matched.add(head)
    return out


def _prefer_neighbours(
    scores: Matrix, order: Sequence[int], chosen: dict[int, int]
) -> dict[int, int]:
    """A row worded like several provisions (the Code repeats some requirements word for
    word for stage 1 and stage 2) goes to the one next to its neighbours' provisions in
    the form's order, not to the first: a page of stage 2 rows whose first row prints no
    id is 6.16, 6.17, ..., not 6.5, 6.17, ...."""
    position = {j: k for k, j in enumerate(order)}
    out = dict(chosen)
    taken = Counter(out.values())  # provision -> rows now on it
    aligned = sorted(out)
    for n, i in enumerate(aligned):
        j = out[i]
        row = scores[i].tolist()
        alike = [
            x for x in order if x != j and not taken[x] and abs(row[x] - row[j]) <= _ALIKE_SCORE
        ]
        if not alike:
            continue
        before = position[out[aligned[n - 1]]] if n > 0 else None
        after = position[out[aligned[n + 1]]] if n + 1 < len(aligned) else None

        def fits(x: int, before: int | None = before, after: int | None = after) -> bool:
            k = position[x]
            return (before is None or k > before) and (after is None or k < after)

        def gap(x: int, before: int | None = before, after: int | None = after) -> int:
            k = position[x]
            return min(
                k - before - 1 if before is not None else len(order),
                after - k - 1 if after is not None else len(order),
            )

        best = min((x for x in [j, *alike] if fits(x)), key=gap, default=j)
        taken[j] -= 1
        taken[best] += 1
        out[i] = best
    return out


def _out_of_order(
    rows: Sequence[AssessmentRow], scores: Matrix, chosen: dict[int, int]
) -> dict[int, int]:
    """Rows the sequence alignment left out although their text names one provision
    clearly (score >= OUT_OF_ORDER_SCORE and OUT_OF_ORDER_MARGIN ahead of any other
    provision) that no other row took: a form that lists a provision out of Code order."""
    used = set(chosen.values())
    found: dict[int, int] = {}
    if scores.shape[1] < 2:
        return found
    for i in range(len(rows)):
        if i in chosen or is_heading_row(rows[i]):
            continue
        j = int(np.argmax(scores[i]))
        second = float(np.partition(scores[i], -2)[-2])
        top = float(scores[i, j])
        if j not in used and top >= OUT_OF_ORDER_SCORE and top - second >= OUT_OF_ORDER_MARGIN:
            found[i] = j
            used.add(j)
    return found


def align_rows(
    rows: Sequence[AssessmentRow],
    provisions: Sequence[Provision],
    *,
    text: Matrix | None = None,
) -> tuple[Alignment, ...]:
    """Align every row to at most one provision, using the whole sequence.

    Args:
        rows: the document's rows in document order.
        provisions: provisions of the document's version.
        text: precomputed ``text_scores(requirements, provisions)``, if available.

    Returns:
        One Alignment per row, in order; unaligned rows have method "none".
    """
    if text is None:
        text = text_scores([r.requirement for r in rows], provisions)
    scores = pair_scores(rows, provisions, text)
    best: tuple[float, list[tuple[int, int]], list[int]] | None = None
    for order in form_orders(provisions):
        total, pairs = _dp(scores, order)
        if best is None or total > best[0] + 1e-9:
            best = (total, pairs, order)
    if best is None:
        return tuple(Alignment(provision_id=None, score=0.0, method="none") for _ in rows)
    _, dp_pairs, order = best
    matched = {i for i, _ in dp_pairs}
    pairs = _fill_gaps(rows, scores, order, dp_pairs)
    chosen = _prefer_heads(rows, provisions, scores, dict(pairs), matched)
    chosen = _prefer_neighbours(scores, order, chosen)
    rescued = _out_of_order(rows, scores, chosen)
    chosen.update(rescued)
    out: list[Alignment] = []
    for i, row in enumerate(rows):
        j = chosen.get(i)
        if j is None:
            out.append(Alignment(provision_id=None, score=0.0, method="none"))
            continue
        out.append(_describe(row, provisions, j, scores, text, i))
        if i in rescued:
            a = out[-1]
            out[-1] = dataclasses.replace(a, reasons=(*a.reasons, "out_of_order"))
        elif i not in matched:
            out[-1] = Alignment(
                provision_id=provisions[j].provision_id,
                score=round(min(float(text[i, j]), 60.0), 1),
                method="position",
                reasons=("low_match_score",),
            )
    return tuple(out)


def _describe(
    row: AssessmentRow,
    provisions: Sequence[Provision],
    j: int,
    scores: Matrix,
    text: Matrix,
    i: int,
) -> Alignment:
    p = provisions[j]
    printed = row_id(row)
    has_text = len(requirement_key(row.requirement)) >= MIN_TEXT
    reasons: list[str] = []
    if printed == p.provision_id:
        method = "id+text" if has_text else "id"
    else:
        method = "text"
        if printed:
            reasons.append("id_text_disagree")
    score = float(scores[i, j])
    shown = round(
        max(0.0, min(100.0, score if method == "id" else max(float(text[i, j]), score))), 1
    )
    if shown < REVIEW_SCORE:
        reasons.append("low_match_score")
    if has_text and _looks_fused(row, provisions, j, text[i]):
        reasons.append("fused_rows")
    return Alignment(
        provision_id=p.provision_id, score=shown, method=method, reasons=tuple(reasons)
    )


def _looks_fused(
    row: AssessmentRow, provisions: Sequence[Provision], j: int, text_row: Matrix
) -> bool:
    """The row's requirement holds two provisions' texts (a reader joined two rows):
    it is much longer than the provision it was aligned to and also matches another,
    differently worded provision well."""
    key = requirement_key(row.requirement)
    own = requirement_key(provisions[j].requirement_text)
    if _fused_remainder(key, own, provisions, j):
        return True
    if len(key) < FUSED_LENGTH * len(own):
        return False
    return any(
        k != j
        and text_row[k] >= FUSED_SCORE
        and requirement_key(provisions[k].requirement_text) != own
        for k in range(len(provisions))
    )


def _fused_remainder(key: str, own: str, provisions: Sequence[Provision], j: int) -> bool:
    """What is left of the row once its own provision's text is taken off the start (or
    the end) reads as the start (or the end) of another, differently worded provision."""
    if len(key) - len(own) < FUSED_MIN_REST:
        return False
    at_start = fuzz.ratio(key[: len(own)], own)
    at_end = fuzz.ratio(key[-len(own) :], own)
    if max(at_start, at_end) < FUSED_SCORE:
        return False
    rest = key[len(own) :].strip() if at_start >= at_end else key[: -len(own)].strip()
    for k, p in enumerate(provisions):
        other = requirement_key(p.requirement_text)
        if k == j or other == own or len(other) < FUSED_MIN_REST:
            continue
        n = min(len(rest), len(other))
        # the other provision follows its own text (start of rest) or precedes it (end)
        piece, ref = (rest[:n], other[:n]) if at_start >= at_end else (rest[-n:], other[-n:])
        if fuzz.ratio(piece, ref) >= FUSED_REST_SCORE:
            return True
    return False
