"""Where the Code's own wording occurs in a document's text.

Every self-assessment quotes the Code: each row holds a provision's requirement (or a
2020 question), however the page lays its cells out. ``locate_sites`` finds those
quotations in plain text, tolerant of what real pages do to them: typos, curly quotes,
ellipses, line breaks anywhere, words glued across cells ("responding.YesThe"), the 2022
wording of a 2024 provision, a requirement cut to its lead-in ("A complaint must be
defined as:"), bullet lists lost.

Method (hand-written: no library aligns many short references against a long text with
gaps this way): the text and every provision are cut into word tokens; provisions' word
trigrams are looked up in an index of the document's trigrams; hits on one diagonal
(document position minus reference position, allowing drift for inserted or dropped
words) are chained; a chain that covers enough of a provision is a candidate, and
candidates of any version that overlap in the document are one *site*: one row's
requirement, with the provisions it may be (the matcher decides among them).
Pure, no I/O.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from pipeline.records import Anchor, CodeVersion
from pipeline.reference import Reference, load_reference

# Word tokens: runs of lower-case letters (a capital may start one: "YesThe" is two
# tokens, "GYBC" one), runs of digits. Ids ("1.3") become digit tokens and are ignored by
# the trigram look-up.
_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Spellings that differ between forms but not in meaning ("the organisation" in 2022,
# "the landlord" in 2024; "landlords" / "landlord's").
_SYNONYMS = {
    "organisation": "landlord",
    "organisations": "landlord",
    "organization": "landlord",
    "organizations": "landlord",
    "landlords": "landlord",
    "complaints": "complaint",
    "residents": "resident",
}
GRAM = 3
# A trigram seen more often than this in one document is furniture or boilerplate.
_MAX_GRAM_HITS = 40
# Hits join one chain when the document position moves on by at most _MAX_GAP tokens and
# the diagonal drifts by at most _MAX_DRIFT (words inserted or dropped).
_MAX_GAP, _MAX_DRIFT = 14, 10
# A hit may step back this many reference tokens (a repeated word pair): more is a second
# occurrence of the provision's opening words (two questions that start alike).
_BACKTRACK = 0
# Words skipped in the document beyond those skipped in the provision that make a jump,
# and the most hits that may stray before the first (or after the last) jump.
_JUMP, _STRAY = 4, 3
# The fewest trigram hits a candidate can have (a lead-in of LEADIN_TOKENS words).
_MIN_HITS = 4
# A chain is a candidate when it covers this share of the provision's tokens ...
MIN_COVER = 0.45
# ... or is a lead-in: it starts at the provision's first tokens and covers at least
# LEADIN_TOKENS of them densely (a requirement cut at its colon, bullets lost).
LEADIN_TOKENS, LEADIN_DENSITY = 6, 0.8
# A partial quotation (below this cover) counts only where a cell can start: mid-sentence
# it is evidence that borrows the Code's phrases ("set out in the Complaints Policy").
ANYWHERE_COVER = 0.8
# A version is followed when it gathers this share of the best version's quotations; a
# site of another version survives only as a clear quotation.
FOLLOWED_SHARE, CLEAR_SCORE = 0.6, 90.0
# A quotation stopping before this share of its provision, followed by one of the same
# provision starting past JOIN_ABOVE of it, is one requirement cut by a page break.
JOIN_BELOW, JOIN_ABOVE = 0.9, 0.2
# Anchors a site most likely is: within REQUOTE_SPREAD of its best, and at least
# REQUOTE_FLOOR (two consecutive sites sharing one are a requirement and its quotation).
REQUOTE_SPREAD, REQUOTE_FLOOR = 15.0, 70.0
# Candidates overlapping by this share of the shorter span are one site.
SITE_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class Tokens:
    """A document's word tokens: normalised words, and where each is printed.

    Kept as parallel lists, not one object per word: a document has tens of thousands
    of words, and only the few that bound a quotation need their character span.
    """

    words: list[str]
    printed: list[str]
    starts: list[int]

    def start(self, k: int) -> int:
        """Character offset of word ``k``."""
        return self.starts[k]

    def end(self, k: int) -> int:
        """Character offset just after word ``k``."""
        return self.starts[k] + len(self.printed[k])


@dataclass(frozen=True, slots=True)
class Candidate:
    """One provision's wording found at one place.

    Attributes:
        code_version / provision_id: the provision.
        first / last: token positions in the document (inclusive).
        cover: share of the provision's tokens found there (0-1).
        leadin: only the lead-in was found (the requirement is cut short on the page).
        ref_end: share of the provision's tokens up to the last one found (0-1).
    """

    code_version: CodeVersion
    provision_id: str
    first: int
    last: int
    cover: float
    leadin: bool
    ref_end: float
    ref_rest: str
    ref_first: int = 0
    ref_start: float = 0.0


@dataclass(frozen=True, slots=True)
class Site:
    """A requirement's place in the document: character span and candidate provisions."""

    start: int
    end: int
    anchors: tuple[Anchor, ...]
    # The best candidate's share of its provision up to the last token found: below 1, the
    # requirement on the page may go on past ``end`` (extended by the segmenter).
    ref_end: float
    leadin: bool
    # The best candidate's words after the last one found ("" when it was found whole).
    ref_rest: str = ""
    # The best candidate's share of its provision before the first token found.
    ref_start: float = 0.0


def tokenize(text: str) -> Tokens:
    """Normalised word tokens with their character spans."""
    printed = _TOKEN.findall(text)
    starts = [m.start() for m in _TOKEN.finditer(text)]
    return Tokens(_normalised(printed), printed, starts)


def words(text: str) -> list[str]:
    """The words of ``tokenize`` without their spans (cheaper where spans are not used)."""
    return _normalised(_TOKEN.findall(text))


def _normalised(printed: list[str]) -> list[str]:
    """Tokens lower-cased, synonyms replaced. (Tokens hold no spaces: one ``lower`` of
    them joined is much cheaper than one per word.)"""
    if not printed:
        return []
    synonym = _SYNONYMS.get
    return [synonym(w, w) for w in " ".join(printed).lower().split(" ")]


@dataclass(frozen=True, slots=True)
class _RefProvision:
    code_version: CodeVersion
    provision_id: str
    words: tuple[str, ...]


# A trigram of words.
_Gram = tuple[str, str, str]
# Where one trigram stands in the reference: (provision index, its positions there).
_RefPlaces = tuple[tuple[int, tuple[int, ...]], ...]
# A provision's hits in the document: document position -> the provision's positions of
# the trigram printed there.
_Hits = dict[int, tuple[int, ...]]


def trigrams(words: Sequence[str]) -> Iterator[_Gram]:
    """The word trigrams of ``words``, in order."""
    return zip(words, words[1:], words[2:], strict=False)


@cache
def _reference_index(
    reference: Reference,
) -> tuple[tuple[_RefProvision, ...], dict[_Gram, _RefPlaces]]:
    """Every provision's tokens, and trigram -> [(provision index, token positions)]."""
    provisions: list[_RefProvision] = []
    grams: dict[_Gram, dict[int, list[int]]] = defaultdict(dict)
    for p in reference.provisions:
        words = tuple(tokenize(p.requirement_text).words)
        provisions.append(_RefProvision(p.code_version, p.provision_id, words))
        for j, gram in enumerate(trigrams(words)):
            grams[gram].setdefault(len(provisions) - 1, []).append(j)
    index = {g: tuple((p, tuple(js)) for p, js in found.items()) for g, found in grams.items()}
    return tuple(provisions), index


@dataclass(slots=True)
class _Chain:
    """Hits along one drifting diagonal: their document positions and the provision's
    positions (two lists of numbers, not a list of pairs: a corpus makes about a million
    hits, and pairs would be as many objects to build and garbage-collect)."""

    first: int
    last: int
    diagonal: int
    ref_first: int
    ref_last: int
    doc: list[int]
    ref: list[int]

    @property
    def covered(self) -> set[int]:
        return {j + k for j in self.ref for k in range(GRAM)}


def _trim(chain: _Chain) -> _Chain:
    """Drop a few stray hits cut off from the body of the chain by a jump: the provision's
    opening words printed again just before it (two questions that start alike), or a
    phrase of it repeated in the evidence after it."""
    # A jump: the document skips more words than the provision between two hits.
    diagonals = [i - j for i, j in zip(chain.doc, chain.ref, strict=True)]
    jumps = [k for k, (d0, d1) in enumerate(itertools.pairwise(diagonals), 1) if d1 - d0 > _JUMP]
    start, end = 0, len(diagonals)
    if jumps and jumps[0] <= _STRAY:
        start = jumps[0]
    if jumps and len(diagonals) - jumps[-1] <= _STRAY and jumps[-1] > start:
        end = jumps[-1]
    if (start, end) == (0, len(diagonals)):
        return chain  # nothing to drop (the chain is closed: it no longer changes)
    kept = chain.ref[start:end]
    return _Chain(
        first=chain.doc[start],
        last=chain.doc[end - 1],
        diagonal=chain.diagonal,
        ref_first=min(kept),
        ref_last=max(kept),
        doc=chain.doc[start:end],
        ref=kept,
    )


def _fewest_hits(size: int) -> int:
    """The fewest trigram hits a chain needs to pass ``_candidate`` for a provision of
    ``size`` tokens (each hit covers at most GRAM tokens): chains with fewer are dropped
    before they are trimmed and scored (most chains are one common trigram)."""
    cover = MIN_COVER if size >= 8 else 0.7
    tokens = min(math.ceil(cover * size), LEADIN_TOKENS)
    return max(1, math.ceil(tokens / GRAM))


def _chains(hits: _Hits, needed: int = 1) -> Iterator[_Chain]:
    """Group a provision's hits into chains along a drifting diagonal (see
    ``_cluster_chains``), keeping chains of at least ``needed`` hits.

    A chain never bridges more than _MAX_GAP document positions, so the hits fall into
    clusters read independently; a cluster of fewer than ``needed`` positions (most are
    one common trigram) cannot make a chain that long and is skipped unread.
    """
    positions = sorted(hits)
    gaps = [k for k, (a, b) in enumerate(itertools.pairwise(positions), 1) if b - a > _MAX_GAP]
    for begin, end in itertools.pairwise([0, *gaps, len(positions)]):
        if end - begin >= needed:
            yield from _cluster_chains(positions[begin:end], hits, needed)


def _cluster_chains(positions: list[int], hits: _Hits, needed: int) -> Iterator[_Chain]:
    """Chains of hits, in the order they close. At each document position every open
    chain takes the one hit closest to its diagonal (a trigram the provision repeats, such
    as "the landlord s", must not make the chain jump ahead); where none takes one, a new
    chain starts at the provision's first position of the trigram there."""
    open_chains: list[_Chain] = []
    for i in positions:
        js = hits[i]
        still_open: list[_Chain] = []
        extended = False
        for c in open_chains:
            if i - c.last > _MAX_GAP:
                if len(c.doc) >= needed:
                    yield _trim(c)
                continue
            still_open.append(c)
            # The hit closest to the chain's diagonal, not behind it (written inline: this
            # loop runs about a million times over a corpus).
            best, best_drift = -1, _MAX_DRIFT + 1
            for j in js:
                drift = abs((i - j) - c.diagonal)
                if drift < best_drift and j >= c.ref_last - _BACKTRACK:
                    best, best_drift = j, drift
            if best >= 0:
                c.last, c.diagonal = i, i - best
                if best < c.ref_first:
                    c.ref_first = best
                if best > c.ref_last:
                    c.ref_last = best
                c.doc.append(i)
                c.ref.append(best)
                extended = True
        if not extended:
            j = js[0]
            still_open.append(_Chain(i, i, i - j, j, j, [i], [j]))
        open_chains = still_open
    yield from (_trim(c) for c in open_chains if len(c.doc) >= needed)


def _candidate(ref: _RefProvision, chain: _Chain) -> Candidate | None:
    size = len(ref.words)
    if size < GRAM:
        return None
    found = len(chain.covered)
    cover = found / size
    span = chain.ref_last + GRAM - chain.ref_first
    leadin = chain.ref_first <= 1 and found >= LEADIN_TOKENS and found / span >= LEADIN_DENSITY
    short_enough = size >= 8 or cover >= 0.7
    if not ((cover >= MIN_COVER and short_enough) or leadin):
        return None
    return Candidate(
        code_version=ref.code_version,
        provision_id=ref.provision_id,
        first=chain.first,
        last=chain.last + GRAM - 1,
        cover=cover,
        leadin=leadin and cover < MIN_COVER,
        ref_end=(chain.ref_last + GRAM) / size,
        ref_rest=" ".join(ref.words[chain.ref_last + GRAM :]),
        ref_first=chain.ref_first,
        ref_start=chain.ref_first / size,
    )


def _provision_hits(words: Sequence[str], grams: dict[_Gram, _RefPlaces]) -> dict[int, _Hits]:
    """Provision index -> its hits in the document (trigrams printed there more than
    _MAX_GRAM_HITS times left out), provisions in the order of their first hit."""
    doc_grams: dict[_Gram, list[int]] = {}
    for i, gram in enumerate(trigrams(words)):
        if gram in grams:  # most of a document's trigrams are not the Code's
            if gram in doc_grams:
                doc_grams[gram].append(i)
            else:
                doc_grams[gram] = [i]
    hits: dict[int, _Hits] = defaultdict(dict)
    for gram, places in doc_grams.items():
        if len(places) > _MAX_GRAM_HITS:
            continue
        for p, js in grams[gram]:
            hits[p].update(dict.fromkeys(places, js))
    return hits


def find_candidates(tokens: Tokens, reference: Reference) -> list[Candidate]:
    """Every place where a provision's wording occurs, in document order."""
    provisions, grams = _reference_index(reference)
    found: list[Candidate] = []
    for p, hits in _provision_hits(tokens.words, grams).items():
        if len(hits) < _MIN_HITS and sum(map(len, hits.values())) < _MIN_HITS:
            continue  # too few shared trigrams for any candidate (a lead-in needs 4)
        needed = _fewest_hits(len(provisions[p].words))
        for chain in _chains(hits, needed):
            candidate = _candidate(provisions[p], chain)
            if candidate is not None:
                found.append(candidate)
    found.sort(key=lambda c: (c.first, -c.cover))
    return found


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0]) + 1
    shorter = min(a[1] - a[0], b[1] - b[0]) + 1
    return max(0, inter) / shorter


def candidates_to_sites(candidates: Sequence[Candidate], tokens: Tokens) -> list[Site]:
    """Merge candidates that overlap in the document into sites (one row each).

    Within a site every candidate is kept as an Anchor (version, id, score); the span is
    the best candidate's (another version's wording may run on into the evidence).
    """
    groups: list[list[Candidate]] = []
    for c in candidates:
        for group in groups[-3:]:
            best = max(group, key=lambda g: g.cover)
            if _overlap((best.first, best.last), (c.first, c.last)) >= SITE_OVERLAP:
                group.append(c)
                break
        else:
            groups.append([c])
    sites: list[Site] = []
    for group in groups:
        best = max(group, key=lambda g: (g.cover, -g.first))
        first, last = best.first, best.last
        anchors = tuple(
            Anchor(
                code_version=g.code_version,
                provision_id=g.provision_id,
                score=round(100 * g.cover, 1) if not g.leadin else 70.0,
            )
            for g in sorted(group, key=lambda g: -g.cover)
        )
        sites.append(
            Site(
                start=tokens.start(first),
                end=tokens.end(last),
                anchors=_unique(anchors),
                ref_end=best.ref_end,
                leadin=best.leadin,
                ref_rest=best.ref_rest,
                ref_start=best.ref_start,
            )
        )
    return _split_overlaps(sites)


def _unique(anchors: Sequence[Anchor]) -> tuple[Anchor, ...]:
    seen: set[tuple[str, str]] = set()
    out: list[Anchor] = []
    for a in anchors:
        if (a.code_version, a.provision_id) not in seen:
            seen.add((a.code_version, a.provision_id))
            out.append(a)
    return tuple(out)


def _split_overlaps(sites: list[Site]) -> list[Site]:
    """Two sites that still overlap a little (two rows fused on the page, the end of one
    requirement sharing words with the next) are cut where the second one starts."""
    sites.sort(key=lambda s: s.start)
    out: list[Site] = []
    for site in sites:
        if out and site.start < out[-1].end:
            out[-1] = dataclasses.replace(out[-1], end=site.start)
        out.append(site)
    return out


def locate_sites(text: str, reference: Reference | None = None) -> list[Site]:
    """The requirement sites of a document's text, in document order.

    Args:
        text: the document's text (lines joined with newlines).
        reference: the Code reference (loaded once per process when None).

    Returns:
        One Site per requirement quotation found, with every provision it may be.
    """
    ref = reference or load_reference()
    tokens = tokenize(text)
    candidates = [
        c
        for c in find_candidates(tokens, ref)
        if c.cover >= ANYWHERE_COVER or _starts_a_cell(text, _quotation_start(c, tokens))
    ]
    return _drop_requotes(_in_main_version(candidates_to_sites(candidates, tokens)))


def _quotation_start(c: Candidate, tokens: Tokens) -> int:
    """Where the quotation starts: before the chain's first hit by as many words as the
    provision had before it (a mistyped first word is still the start of the cell)."""
    return tokens.start(max(0, c.first - c.ref_first))


def _starts_a_cell(text: str, start: int) -> bool:
    """Whether a quotation starts where a cell can: at the start of a line, after a pipe,
    tab, id, colon or bracket, or glued to the end of the previous cell ("policy.Landlords")."""
    before = text[max(0, start - 12) : start].rstrip(" ")
    if not before or before[-1] in "\n|\t:)(]•·*…'‘\"“" or before[-1].isdigit():
        return True
    return before[-1] in ".?!" and start < len(text) and not text[start - 1].isspace()


def _in_main_version(sites: list[Site]) -> list[Site]:
    """Drop partial quotations of a version the document does not follow: evidence that
    echoes a 2020 question ("kept informed and updated") in a 2022 form. A version is
    followed when its provisions are quoted about as much as the best version's; a whole
    quotation (score >= CLEAR_SCORE) is always kept, so a file holding two versions keeps
    both."""
    weight: dict[str, float] = defaultdict(float)
    for site in sites:
        best: dict[str, float] = {}
        for a in site.anchors:
            best[a.code_version] = max(best.get(a.code_version, 0.0), a.score)
        for version, score in best.items():
            weight[version] += score
    if not weight:
        return sites
    top = max(weight.values())
    followed = {v for v, w in weight.items() if w >= FOLLOWED_SHARE * top}
    return [
        s
        for s in sites
        if any(a.code_version in followed for a in s.anchors) or s.anchors[0].score >= CLEAR_SCORE
    ]


def _drop_requotes(sites: list[Site]) -> list[Site]:
    """Consecutive sites of the same provision: the rest of a requirement cut by a page
    break (the first stops short of the provision's end, the second starts past its
    beginning) is joined to it; otherwise the second is the landlord quoting the
    requirement in its own evidence ("Our policy definition is: ..."), perhaps in another
    version's wording (the 2022 definition quoted in a 2024 form), and is not a row."""
    out: list[Site] = []
    for site in sites:
        prev = out[-1] if out else None
        if prev and _likely(prev, 0.0) & _likely(site, 0.0) and _continues(prev, site):
            out[-1] = dataclasses.replace(
                prev,
                end=site.end,
                anchors=_joined_anchors(prev.anchors, site.anchors),
                ref_end=site.ref_end,
                ref_rest=site.ref_rest,
                leadin=False,
            )
            continue
        if prev and _likely(prev) & _likely(site):
            continue
        out.append(site)
    return out


def _joined_anchors(first: Sequence[Anchor], second: Sequence[Anchor]) -> tuple[Anchor, ...]:
    """The anchors of a requirement found in two pieces: each provision's shares added."""
    more = {(a.code_version, a.provision_id): a.score for a in second}
    joined = [
        dataclasses.replace(
            a, score=min(100.0, a.score + more.get((a.code_version, a.provision_id), 0.0))
        )
        for a in first
    ]
    return tuple(sorted(joined, key=lambda a: -a.score))


def _continues(prev: Site, site: Site) -> bool:
    """The second quotation takes the provision up where the first left it."""
    return prev.ref_end < JOIN_BELOW and site.ref_start > JOIN_ABOVE


def _likely(site: Site, least: float = REQUOTE_FLOOR) -> set[tuple[str, str]]:
    """The provisions a site most likely is: its best anchors, in any version."""
    top = site.anchors[0].score
    floor = max(least, top - REQUOTE_SPREAD)
    return {(a.code_version, a.provision_id) for a in site.anchors if a.score >= floor}


def _best(site: Site) -> tuple[str, str]:
    top = site.anchors[0]
    return (top.code_version, top.provision_id)
