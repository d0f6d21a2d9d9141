"""Order-aware alignment of a document's rows to the provisions of one Code version.

Steps, each a small pure function:

1. ``requirement_key``: a comparison form of a requirement text (case, quotes, "the
   organisation" -> "the landlord", a leading "..." or glued id removed).
2. ``text_scores``: the row x provision similarity matrix (rapidfuzz ``process.cdist``).
   Plain ``ratio`` is combined with ``partial_ratio`` discounted by the length ratio, so a
   truncated requirement still scores high while a short heading that happens to be a
   substring of a provision does not get a false 100 (the trap of ``token_set_ratio``
   and of an undiscounted ``partial_ratio``).
3. ``pair_scores``: text score plus cues: a printed id that agrees with the text, the
   must/should band and the complaint stage the row sits under.
4. ``align_rows``: a dynamic programme over the whole sequence (rows come in form order),
   tried for the orders in which real forms list provisions (numeric; must table then
   should table per section; all musts then all shoulds). Position decides between
   provisions with the same wording (2022 5.3/5.15/5.19) or one differing number
   (5.2/5.14). Gaps between two aligned rows with exactly as many rows as provisions are
   filled by position and flagged for review. When a reader split a row in two, the
   provision goes to the first fragment (``_prefer_heads``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from pipeline.records import AssessmentRow
from pipeline.reference import Provision
from pipeline.textnorm import clean_cell
from pipeline.vocabulary import canonical_id

Matrix = npt.NDArray[np.float64]

# DP gain is score - THRESHOLD; pairs below it are never aligned by text.
THRESHOLD = 58.0
# Below this an aligned row is flagged "low_match_score".
REVIEW_SCORE = 75.0
# Bonus for a printed id that agrees with a text match of at least ID_AGREE.
ID_BONUS = 12.0
ID_AGREE = 45.0
# Score given to an id-only alignment (the row has no requirement text to check).
ID_ONLY_SCORE = 80.0
# Score given to a printed id when the row's text resembles no provision at all (a heavy
# paraphrase such as "Complaints policy published on website"): just enough for the
# sequence alignment to use it where it fits the order; flagged low_match_score.
ID_WEAK_SCORE = 65.0
# Texts shorter than this (after normalisation) are not compared.
MIN_TEXT = 20
# A row this much longer than its provision that also matches another provision this well
# was probably fused from two rows by the reader.
FUSED_LENGTH, FUSED_SCORE = 1.5, 80.0
# ... or when what is left after its own provision's text (at least FUSED_MIN_REST
# characters) starts or ends like another provision (ratio >= FUSED_REST_SCORE).
FUSED_MIN_REST, FUSED_REST_SCORE = 40, 85.0
# A row outside the sequence is still aligned when its text is this clear.
OUT_OF_ORDER_SCORE, OUT_OF_ORDER_MARGIN = 85.0, 8.0
BAND_BONUS, BAND_PENALTY = 4.0, 10.0
STAGE_BONUS, STAGE_PENALTY = 3.0, 8.0
# Provisions a row matches within this many points are worded alike for it.
_ALIKE_SCORE = 1.0

# Complaint stages of the Code's stage sections (Code structure, not per document).
_STAGES: dict[str, dict[str, int]] = {
    "2022": {
        **{f"5.{n}": 1 for n in range(1, 9)},
        **{f"5.{n}": 2 for n in range(9, 17)},
        **{f"5.{n}": 3 for n in range(17, 21)},
    },
    "2024": {**{f"6.{n}": 1 for n in range(1, 11)}, **{f"6.{n}": 2 for n in range(11, 21)}},
}

_QUOTES = str.maketrans({c: " " for c in "'\"‘’“”`´«»"})
_ORGANISATION = re.compile(r"\b(?:the |an? )?organi[sz]ations?\b")
_LANDLORDS = re.compile(r"\blandlords\b")
_LEADING_ID = re.compile(r"^\s*(?:\d{1,2}\s*\.\s*\d{1,2}|[1-9]\s*[a-j])(?=\W|[A-Z])\s*")
_LEADING_STAGE = re.compile(r"^\s*stage\s+(?:\d|one|two|three)\b\s*", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w£%]+")
_BAND_SHOULD = re.compile(r"\bshould\b|best practice", re.IGNORECASE)
_BAND_MUST = re.compile(r"\bmust\b|mandatory", re.IGNORECASE)
_STAGE = re.compile(r"\bstage\s*(1|2|3|one|two|three)\b", re.IGNORECASE)
_WORDS = re.compile(r"[a-z]+")
_HEADING_WORDS = frozenset(
    {
        *("must", "should", "do", "requirement", "requirements", "mandatory", "best"),
        *("practice", "stage", "stages", "one", "two", "three", "section", "complaint"),
        *("complaints", "handling", "process", "the", "a", "an", "and", "of", "for", "to"),
    }
)
# How headings name a band or stage ("Must Do", "'should' requirements", "Mandatory",
# "Best practice", a leading or trailing "Stage 2"), unlike a requirement sentence.
_HEADING_PHRASE = re.compile(
    r"\b(?:must|should)\W{0,3}\s*(?:do|requirements?)\b|\bmandatory\b|\bbest\s+practice\b|"
    r"^\W*stage\s*(?:\d|one|two|three)\b|\bstage\s*(?:\d|one|two|three)\W*$",
    re.IGNORECASE,
)
# Words besides _HEADING_WORDS a band or stage heading row may have.
HEADING_OTHER_WORDS = 3
_STAGE_WORDS = {"1": 1, "2": 2, "3": 3, "one": 1, "two": 2, "three": 3}


@dataclass(frozen=True, slots=True, kw_only=True)
class Alignment:
    """The provision one row was aligned to.

    Attributes:
        provision_id: canonical id, or None when the row stays unaligned.
        score: 0-100 confidence.
        method: "id", "text", "id+text", "position" or "none".
        reasons: review codes ("low_match_score", "id_text_disagree").
    """

    provision_id: str | None
    score: float
    method: str
    reasons: tuple[str, ...] = ()


@lru_cache(maxsize=8192)
def requirement_key(text: str) -> str:
    """Comparison form of a requirement: lower case, quotes and punctuation removed,
    "the organisation" -> "the landlord", a leading id, "..." or "Stage N" dropped.

    Args:
        text: requirement text as read.
    """
    t = clean_cell(text)
    t = _LEADING_ID.sub("", t)
    t = t.lstrip(".… •·-–")
    t = _LEADING_STAGE.sub("", t)
    t = t.lower().translate(_QUOTES)
    t = _ORGANISATION.sub("the landlord", t)
    t = _LANDLORDS.sub("landlord", t)
    return " ".join(_NON_WORD.sub(" ", t).split())


def row_id(row: AssessmentRow) -> str:
    """The row's canonical printed id, also when it is glued to the requirement
    ("1.3The resident ...")."""
    found = canonical_id(row.printed_id)
    if found or row.printed_id.strip():
        return found
    m = _LEADING_ID.match(clean_cell(row.requirement))
    return canonical_id(m.group(0)) if m else ""


def text_scores(texts: Sequence[str], provisions: Sequence[Provision]) -> Matrix:
    """Similarity 0-100 of each requirement text to each provision's text.

    ``max(ratio, partial_ratio * f)`` where ``f`` falls from 1 to 0.5 as the shorter
    text gets shorter than 60% of the longer one. Texts under ``MIN_TEXT`` characters
    score 0 against everything.

    Args:
        texts: requirement texts in document order.
        provisions: provisions of one version.
    """
    keys = [requirement_key(t) for t in texts]
    refs = [requirement_key(p.requirement_text) for p in provisions]
    if not keys or not refs:
        return np.zeros((len(keys), len(refs)))
    ratio = process.cdist(keys, refs, scorer=fuzz.ratio, dtype=np.float64, workers=1)
    partial = _end_ratios(keys, refs)
    row_len = np.array([len(k) for k in keys], dtype=np.float64)[:, None]
    ref_len = np.array([len(r) for r in refs], dtype=np.float64)[None, :]
    shorter, longer = np.minimum(row_len, ref_len), np.maximum(row_len, ref_len)
    length_ratio = np.divide(shorter, longer, out=np.zeros_like(shorter), where=longer > 0)
    factor = 0.5 + 0.5 * np.minimum(1.0, length_ratio / 0.6)
    scores: Matrix = np.maximum(ratio, partial * factor)
    scores[row_len[:, 0] < MIN_TEXT, :] = 0.0
    return scores


def _end_ratios(keys: Sequence[str], refs: Sequence[str]) -> Matrix:
    """For each pair, ``ratio`` of the shorter text against the start and against the end
    of the longer one (the higher of the two). This is what truncation ("Landlords must
    ...", cut at a cell limit) and lost opening words leave; it costs a fraction of
    ``partial_ratio``, which slides over every window of long texts."""
    out = np.zeros((len(keys), len(refs)))
    where: list[tuple[int, int]] = []
    shorts: list[str] = []
    heads: list[str] = []
    tails: list[str] = []
    for i, a in enumerate(keys):
        if len(a) < MIN_TEXT:
            continue
        for j, b in enumerate(refs):
            short, long = (a, b) if len(a) <= len(b) else (b, a)
            if len(long) - len(short) < 8:
                continue  # about the same length: plain ratio already says it
            where.append((i, j))
            shorts.append(short)
            heads.append(long[: len(short)])
            tails.append(long[-len(short) :])
    if where:
        head = process.cpdist(shorts, heads, scorer=fuzz.ratio, dtype=np.float64, workers=1)
        tail = process.cpdist(shorts, tails, scorer=fuzz.ratio, dtype=np.float64, workers=1)
        rows_idx, cols_idx = zip(*where, strict=True)
        out[list(rows_idx), list(cols_idx)] = np.maximum(head, tail)
    return out


def row_band(row: AssessmentRow) -> str | None:
    """ "must" or "should" from the heading in force over the row, if it says."""
    section = row.source.section or ""
    if _BAND_SHOULD.search(section):
        return "should"
    if _BAND_MUST.search(section):
        return "must"
    return None


def row_stage(row: AssessmentRow) -> int | None:
    """Complaint stage (1-3) from the heading in force over the row, if it says."""
    found = _STAGE.findall(row.source.section or "")
    return _STAGE_WORDS[found[-1].lower()] if found else None


def is_heading_row(row: AssessmentRow) -> bool:
    """A band or stage heading that came through as a table row ("Must Do Requirements",
    "Stage 3"): no answer, no evidence, short text."""
    if row.answer_raw or row.evidence or row.commentary or row.actions:
        return False
    text = clean_cell(row.requirement)
    if not 0 < len(text) <= 60:
        return False
    if not _HEADING_PHRASE.search(text):
        return False
    # A heading is mostly heading words; a requirement fragment that a reader cut short
    # ("Landlords must not take a blanket approach to excluding") is not.
    other = [w for w in _WORDS.findall(text.lower()) if w not in _HEADING_WORDS]
    return len(other) <= HEADING_OTHER_WORDS


def _cues(rows: Sequence[AssessmentRow]) -> list[tuple[str | None, int | None]]:
    """Band and stage per row: the row's own heading, else the last heading row above."""
    out: list[tuple[str | None, int | None]] = []
    band: str | None = None
    stage: int | None = None
    last_section: str | None = None
    for row in rows:
        if row.source.section != last_section:
            last_section, band, stage = row.source.section, None, None
        if is_heading_row(row):
            text = clean_cell(row.requirement)
            if _BAND_SHOULD.search(text):
                band, stage = "should", None
            elif _BAND_MUST.search(text):
                band, stage = "must", None
            found = _STAGE.findall(text)
            if found:
                stage = _STAGE_WORDS[found[-1].lower()]
        out.append((row_band(row) or band, row_stage(row) or stage))
    return out


def pair_scores(
    rows: Sequence[AssessmentRow], provisions: Sequence[Provision], text: Matrix
) -> Matrix:
    """Text scores adjusted by cues: printed id agreeing with the text, band, stage.

    A printed id alone (row without requirement text) gives ``ID_ONLY_SCORE``; a printed
    id never lifts a pair whose text disagrees.

    Args:
        rows: the document's rows.
        provisions: provisions of one version, any order.
        text: ``text_scores`` for these rows and provisions.
    """
    scores = text.copy()
    if not provisions:
        return scores
    version = provisions[0].code_version
    has_bands = len({p.obligation for p in provisions}) > 1
    stages = _STAGES.get(version, {})
    index = {p.provision_id: j for j, p in enumerate(provisions)}
    for i, (row, (band, stage)) in enumerate(zip(rows, _cues(rows), strict=True)):
        if is_heading_row(row):
            scores[i, :] = 0.0
            continue
        has_text = len(requirement_key(row.requirement)) >= MIN_TEXT
        j = index.get(row_id(row))
        if j is not None:
            if not has_text:
                scores[i, j] = ID_ONLY_SCORE
            elif text[i, j] >= ID_AGREE:
                scores[i, j] += ID_BONUS
            elif float(text[i].max()) < THRESHOLD:
                scores[i, j] = ID_WEAK_SCORE
        if not has_text:
            continue
        for k, p in enumerate(provisions):
            if scores[i, k] <= 0:
                continue
            if has_bands and band is not None:
                scores[i, k] += BAND_BONUS if p.obligation == band else -BAND_PENALTY
            p_stage = stages.get(p.provision_id)
            if stage is not None and p_stage is not None:
                scores[i, k] += STAGE_BONUS if p_stage == stage else -STAGE_PENALTY
    return scores


def form_orders(provisions: Sequence[Provision]) -> list[list[int]]:
    """The orders in which forms list provisions, as index lists into ``provisions``:
    numeric; per section the must table then the should table; per complaint stage the
    must then the should rows; all musts then all shoulds. Versions without a
    must/should split have one order."""
    numeric = sorted(range(len(provisions)), key=lambda j: provisions[j].order)
    if len({p.obligation for p in provisions}) < 2:
        return [numeric]

    def band(j: int) -> int:
        return 0 if provisions[j].obligation == "must" else 1

    stages = _STAGES.get(provisions[0].code_version, {})

    def stage(j: int) -> int:
        return stages.get(provisions[j].provision_id, 0)

    per_section = sorted(numeric, key=lambda j: (provisions[j].section_number, band(j)))
    per_stage = sorted(numeric, key=lambda j: (provisions[j].section_number, stage(j), band(j)))
    global_band = sorted(numeric, key=band)
    return [numeric, per_section, per_stage, global_band]


def _dp(scores: Matrix, order: Sequence[int]) -> tuple[float, list[tuple[int, int]]]:
    """Monotone alignment of rows to provisions in ``order`` maximising the sum of
    (score - THRESHOLD); rows and provisions may be skipped. Hand-written: an
    LCS-style table, O(rows x provisions); no library offers weighted monotone matching.
    """
    n, m = scores.shape[0], len(order)
    gain = scores[:, list(order)] - THRESHOLD if m else np.zeros((n, 0))
    table = np.zeros((n + 1, m + 1))
    for i in range(n):
        g = gain[i]
        prev, cur = table[i], table[i + 1]
        for k in range(m):
            best = max(prev[k + 1], cur[k])
            if g[k] > 0:
                best = max(best, prev[k] + g[k])
            cur[k + 1] = best
    pairs: list[tuple[int, int]] = []
    i, k = n, m
    while i > 0 and k > 0:
        if table[i, k] == table[i - 1, k]:
            i -= 1
        elif table[i, k] == table[i, k - 1]:
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
    aligned = sorted(out)
    for n, i in enumerate(aligned):
        j = out[i]
        alike = [
            x
            for x in order
            if x != j
            and x not in out.values()
            and abs(float(scores[i, x]) - float(scores[i, j])) <= _ALIKE_SCORE
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
