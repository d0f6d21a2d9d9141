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
4. ``form_orders``: the orders in which real forms list provisions (numeric; must table
   then should table per section; all musts then all shoulds), for the sequence
   alignment in ``pipeline.align_sequence`` (where position decides between provisions
   with the same wording, 2022 5.3/5.15/5.19, or one differing number, 5.2/5.14).
"""

from __future__ import annotations

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

    A text's scores are kept for the next document (``_KNOWN_SCORES``): most forms
    quote the Code word for word (97% of the corpus rows, 93% of the real-dev rows), so
    across a batch the same few hundred texts come back again and again.

    Args:
        texts: requirement texts in document order.
        provisions: provisions of one version.
    """
    keys = [requirement_key(t) for t in texts]
    refs = tuple(requirement_key(p.requirement_text) for p in provisions)
    if not keys or not refs:
        return np.zeros((len(keys), len(refs)))
    known = _KNOWN_SCORES.setdefault(refs, {})
    new = [k for k in dict.fromkeys(keys) if k not in known]
    if new:
        if len(known) + len(new) > _KNOWN_TEXTS:
            known.clear()  # a bound on memory; a batch rarely holds this many texts
        known.update(zip(new, _score_matrix(new, refs), strict=True))
    return np.array([known[k] for k in keys])


# Scores of requirement texts already seen, per set of provision texts (one per Code
# version): key -> its row of scores (read-only; rows are copied into each matrix).
_KNOWN_SCORES: dict[tuple[str, ...], dict[str, Matrix]] = {}
_KNOWN_TEXTS = 5_000


def _score_matrix(keys: Sequence[str], refs: Sequence[str]) -> Matrix:
    """``text_scores`` of comparison keys against provision keys (see there)."""
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
    key_len = np.array([len(a) for a in keys])[:, None]
    ref_len = np.array([len(b) for b in refs])[None, :]
    # Pairs of about the same length are left to plain ratio; short texts score 0.
    wanted = (np.abs(key_len - ref_len) >= 8) & (key_len >= MIN_TEXT)
    rows_idx, cols_idx = np.nonzero(wanted)
    if not len(rows_idx):
        return out
    shorts: list[str] = []
    heads: list[str] = []
    tails: list[str] = []
    for i, j in zip(rows_idx.tolist(), cols_idx.tolist(), strict=True):
        a, b = keys[i], refs[j]
        short, long = (a, b) if len(a) <= len(b) else (b, a)
        shorts.append(short)
        heads.append(long[: len(short)])
        tails.append(long[-len(short) :])
    head = process.cpdist(shorts, heads, scorer=fuzz.ratio, dtype=np.float64, workers=1)
    tail = process.cpdist(shorts, tails, scorer=fuzz.ratio, dtype=np.float64, workers=1)
    out[rows_idx, cols_idx] = np.maximum(head, tail)
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
    obligations = np.array([p.obligation for p in provisions], dtype=object)
    p_stages = np.array([stages.get(p.provision_id, 0) for p in provisions])
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
        scored = scores[i] > 0  # cues move only pairs with a score
        if has_bands and band is not None:
            scores[i, scored] += np.where(obligations == band, BAND_BONUS, -BAND_PENALTY)[scored]
        if stage is not None:
            bonus = np.where(p_stages == stage, STAGE_BONUS, -STAGE_PENALTY)
            staged = scored & (p_stages > 0)  # provisions of no one stage are left alone
            scores[i, staged] += bonus[staged]
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
