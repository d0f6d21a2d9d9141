"""Anchored rows, and their merge with the rows a reader found in table structure.

Table structure, where it is present and sound, gives better cell boundaries than any
reading of plain text; where it is absent or broken (no table found, one row fused from
two provisions, a provision the table reader passed over), the anchors still read the
form. ``complete_rows`` keeps every structural row that holds one requirement (and
gives it the anchors found in it), replaces a row that fused several requirements by
their anchored rows, and adds an anchored row for every requirement no structural row
holds. Pure, no I/O.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cache

from pipeline.extract.anchors.furniture import without_running_lines
from pipeline.extract.anchors.locate import locate_sites, trigrams
from pipeline.extract.anchors.locate import words as text_words
from pipeline.extract.anchors.segment import Segment, sites_to_segments, title_key
from pipeline.layout import header_layout
from pipeline.records import PageText, Row
from pipeline.reference import Reference, load_reference
from pipeline.textnorm import normalise_space
from pipeline.vocabulary import ANCHOR_HEADER, ANSWER_START, is_answer, starts_with_answer

# A structural row holds a requirement when this share of the requirement's trigrams (the
# first _OPENING of them) is among the row's trigrams.
_HOLDS, _OPENING = 0.5, 40
# A row is fused with the next requirement when it holds that much of it too, and the
# requirement was found clearly (anchor score) where no other row holds it.
_FUSED_HOLDS, _FUSED_SCORE = 0.7, 80.0
# An answer cell may carry a short note after its answer ("Yes - see policy 4.2").
_ANSWER_WITH_NOTE = 60
# Anchors within this many points of the best one are equally likely.
_ALIKE = 5.0


def _joined(blocks: Sequence[PageText]) -> tuple[str, list[tuple[int, int | None]]]:
    """The blocks' text joined by blank lines, without the pages' running headers and
    footers, and (start offset, page) per block."""
    texts = without_running_lines([b.text for b in blocks])
    parts: list[str] = []
    starts: list[tuple[int, int | None]] = []
    offset = 0
    for block, text in zip(blocks, texts, strict=True):
        starts.append((offset, block.page))
        parts.append(text)
        offset += len(text) + 2
    return "\n\n".join(parts), starts


def _page_at(starts: Sequence[tuple[int, int | None]], offset: int) -> int | None:
    page: int | None = None
    for start, p in starts:
        if start > offset:
            break
        page = p
    return page


def read_segments(
    blocks: Sequence[PageText], reference: Reference | None = None
) -> list[tuple[Segment, int | None]]:
    """The anchored segments of a document's text, each with its page."""
    text, starts = _joined(blocks)
    reference = reference or load_reference()
    segments = sites_to_segments(text, locate_sites(text, reference), _titles(reference))
    return [(s, _page_at(starts, s.start)) for s in segments]


@cache
def _titles(reference: Reference) -> frozenset[str]:
    """The section titles of every Code version, in ``title_key`` form."""
    return frozenset(title_key(p.section_title) for p in reference.provisions if p.section_title)


def _segment_row(segment: Segment, page: int | None, table_index: int, row_index: int) -> Row:
    return Row(
        page=page,
        table_index=table_index,
        row_index=row_index,
        cells=(segment.printed_id, segment.requirement, segment.answer, segment.evidence),
        header=ANCHOR_HEADER,
        section=" / ".join(segment.headings) or None,
        anchors=segment.anchors,
        notes=segment.notes,
    )


def anchored_rows(
    blocks: Sequence[PageText], *, table_index: int = 0, reference: Reference | None = None
) -> tuple[Row, ...]:
    """Rows read from a document's text by its requirement quotations alone.

    Args:
        blocks: the document's text (per page for PDF, one block otherwise).
        table_index: table index to give the rows.
        reference: the Code reference (loaded once per process when None).

    Returns:
        One Row per requirement found, in document order, with ``ANCHOR_HEADER``.
    """
    return tuple(
        _segment_row(s, page, table_index, i)
        for i, (s, page) in enumerate(read_segments(blocks, reference))
    )


def _grams(text: str) -> set[tuple[str, str, str]]:
    return set(trigrams(text_words(text)))


def _holding(rows: Sequence[Row], segments: Sequence[Segment]) -> list[list[float]]:
    """share[i][k]: how much of segment k's requirement row i holds (0-1).

    Counted through an index trigram -> segments holding it: a row shares trigrams with
    few of the document's segments, so this is much cheaper than intersecting every row's
    trigrams with every segment's.
    """
    seg_grams = [_grams(s.quoted) for s in segments]
    holders: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for k, grams in enumerate(seg_grams):
        for gram in grams:
            holders[gram].append(k)
    share: list[list[float]] = []
    for row in rows:
        shared = [0] * len(segments)
        for gram in _grams(" ".join(row.cells)) & holders.keys():
            for k in holders[gram]:
                shared[k] += 1
        share.append([n / len(g) if g else 0.0 for n, g in zip(shared, seg_grams, strict=True)])
    return share


def _pair_in_order(share: Sequence[Sequence[float]]) -> dict[int, int]:
    """Row -> segment, one to one and in document order, maximising the shares held
    (a sequence alignment; the Code repeats near-identical requirements for stage 1 and
    stage 2, so a row is paired with the requirement in its place, not the first alike).
    """
    n = len(share)
    m = len(share[0]) if n else 0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for k in range(m - 1, -1, -1):
            take = share[i][k] + best[i + 1][k + 1] if share[i][k] >= _HOLDS else -1.0
            best[i][k] = max(take, best[i + 1][k], best[i][k + 1])
    pairs: dict[int, int] = {}
    i = k = 0
    while i < n and k < m:
        if share[i][k] >= _HOLDS and best[i][k] == share[i][k] + best[i + 1][k + 1]:
            pairs[i] = k
            i, k = i + 1, k + 1
        elif best[i][k] == best[i + 1][k]:
            i += 1
        else:
            k += 1
    return pairs


def _alike(segment: Segment) -> tuple[str, ...]:
    """The provisions a segment may be, as "version:id": its anchors scoring about as well
    as its best, in any version (the Code repeats some requirements word for word, for
    stage 1 and stage 2, and from 2022 to 2024)."""
    top = segment.anchors[0].score
    return tuple(
        sorted(
            f"{a.code_version}:{a.provision_id}" for a in segment.anchors if a.score >= top - _ALIKE
        )
    )


def _requotes(segments: Sequence[Segment], pairs: dict[int, int]) -> set[int]:
    """Unpaired segments quoting a provision the paired rows already hold as often as the
    Code has it (in the version that has it most often): the landlord quoting the Code
    in its evidence, not a row."""
    paired = set(pairs.values())
    held = [set(_alike(segments[k])) for k in paired]
    out: set[int] = set()
    for k, segment in enumerate(segments):
        if k in paired or segment.printed_id:
            continue
        alike = _alike(segment)
        per_version = Counter(key.split(":")[0] for key in alike)
        if sum(1 for h in held if h & set(alike)) >= max(per_version.values()):
            out.add(k)
    return out


def _fused(
    share: Sequence[Sequence[float]],
    pairs: dict[int, int],
    segments: Sequence[Segment],
    ignored: set[int],
) -> set[int]:
    """Rows that also hold the requirement next to their own which no other row holds:
    two rows of the form fused into one by the table reader."""
    paired = set(pairs.values()) | ignored
    fused: set[int] = set()
    for i, k in pairs.items():
        for other in (k - 1, k + 1):
            if (
                0 <= other < len(share[i])
                and other not in paired
                and share[i][other] >= _FUSED_HOLDS
                and segments[other].anchors[0].score >= _FUSED_SCORE
            ):
                fused.add(i)
    return fused


def _word(text: str) -> str:
    """The answer word a cell opens with, folded ("Y" -> "yes", "Partially" -> "partial")."""
    found = ANSWER_START.match(normalise_space(text))
    word = found.group(0).lower() if found else ""
    return {"y": "yes", "n": "no", "partially": "partial"}.get(word, word)


def _split_a_sentence(row: Row, segment: Segment) -> bool:
    """The table reader cut the first word off the evidence as an answer cell ("No" |
    "complaints were escalated ...") where the anchored reading found no answer."""
    found = re.match(r"^(\w+)\s+[a-z]", segment.evidence)
    return found is not None and any(c.strip() == found.group(1) for c in row.cells)


def _lost_answer(row: Row, segment: Segment) -> bool:
    """Whether a row whose cells were guessed from line shapes lost the answer the
    anchored reading found.

    Where the row has as many cells as its header and the header names an answer column,
    that cell decides: an answer keeps the row, prose there means the cells were cut
    wrongly, and an empty one gives way to an answer the anchored reading found standing
    as a cell of its own. Forms answering in Yes/No columns keep their structure.
    Without such a header, the cell after the requirement must hold the anchored
    reading's answer.
    """
    if not segment.answer:
        return _split_a_sentence(row, segment)
    layout = header_layout(row.header) if len(row.header) == len(row.cells) else None
    if layout is not None and layout.yes_no_columns:
        return False
    if layout is not None and "answer" not in layout.roles:
        return True  # the header names no answer column: the structure cannot hold it
    if layout is not None:
        cells = [c for c, r in zip(row.cells, layout.roles, strict=True) if r == "answer"]
        if not any(cells):
            # A blank answer cell: the anchored answer wins only if it stood as a cell of
            # its own (a sentence opening with "Yes," is the evidence column's).
            return segment.answer_alone
        sound = [
            c
            for c in cells
            if c and (is_answer(c) or (starts_with_answer(c) and len(c) <= _ANSWER_WITH_NOTE))
        ]
        # Cells cut from fused text ("...policy.YESNo complaints were ...") may hold the
        # wrong word: where the two readings disagree, the reference-anchored one wins.
        return not sound or all(_word(c) != _word(segment.answer) for c in sound)
    # No header: the answer cell is the one after the requirement (the longest of the
    # first cells); it must hold the answer the anchored reading found.
    cells = list(row.cells)
    if not cells:
        return True
    req = max(range(min(3, len(cells))), key=lambda k: len(cells[k]))
    after = cells[req + 1] if req + 1 < len(cells) else ""
    return not (is_answer(after) and _word(after) == _word(segment.answer))


def complete_rows(
    rows: Sequence[Row],
    blocks: Sequence[PageText],
    *,
    cells_marked: bool = True,
    reference: Reference | None = None,
) -> tuple[Row, ...]:
    """Merge structural rows with the anchored reading of the same document.

    A structural row that holds one requirement is kept, with the anchors found in it; a
    row holding several requirements (fused) and every requirement no row holds are
    replaced by, or added as, anchored rows. Where the cells are only guessed from line
    shapes (text exports, ``cells_marked`` False), a row that lost the answer the anchored
    reading found is replaced too, and takes the anchored reading's notes (e.g. that the
    page was cut inside it); where the markup marks the cells (PDF, DOCX, HTML), an empty
    answer cell is the truth and a table row is never "cut".

    Args:
        rows: rows from the document's table structure, in document order.
        blocks: the document's text.
        cells_marked: the rows' cells come from markup, not from guessed line shapes.
        reference: the Code reference (loaded once per process when None).

    Returns:
        The merged rows in document order. Anchored rows get a table index of their
        own (after the structural tables), so stage 2 reads them by ``ANCHOR_HEADER``.
    """
    found = read_segments(blocks, reference)
    if not found:
        return tuple(rows)
    segments = [s for s, _ in found]
    anchor_table = 1 + max((r.table_index for r in rows), default=-1)
    share = _holding(rows, segments)
    pairs = _pair_in_order(share)
    ignored = _requotes(segments, pairs)
    fused = _fused(share, pairs, segments, ignored)
    placed: list[tuple[float, int, Row]] = []
    covered: set[int] = set()
    position = -1.0
    for order, row in enumerate(rows):
        k = pairs.get(order)
        if k is not None:
            position = float(segments[k].start)
        if k is None:
            placed.append((position, order, row))
        elif order not in fused and (cells_marked or not _lost_answer(row, segments[k])):
            covered.add(k)
            notes = row.notes if cells_marked else (*row.notes, *segments[k].notes)
            kept = dataclasses.replace(row, anchors=segments[k].anchors, notes=notes)
            placed.append((position, order, kept))
        # else: fused with the next requirement, or its answer lost: anchored rows instead
    for k, (segment, page) in enumerate(found):
        if k not in covered and k not in ignored:
            row = _segment_row(segment, page, anchor_table, k)
            placed.append((float(segment.start), len(rows) + k, row))
    placed.sort(key=lambda item: (item[0], item[1]))
    return tuple(row for _, _, row in placed)
