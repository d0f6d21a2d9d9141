"""Borderless tables: columns from the text's gutters, rows from the id/answer column.

A run of consecutive lines that split into two or more groups of words at wide gaps
is a table. Column left edges come from a ruled header row just above the run when
there is one (forms often rule only the header), else from the x ranges that no
word of any multi-column line covers. A new row starts at a line with text in the
key column (provision ids, else short answers like "Yes"), else after a vertical gap
wider than the line pitch.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.pdf.words import (
    ANSWER,
    ID,
    NO_SPACING,
    Spacing,
    Word,
    column_width,
    is_header_row,
    join_cell,
    join_lines,
    lines_end_mid_word,
    lines_of,
)
from pipeline.vocabulary import header_cell_role

_ID_START = re.compile(r"^\d{1,2}\.(?:\d{1,2})?(?:\s|$)")
# Gap between two words that separates table columns rather than words (points).
COLUMN_GAP = 7.0


@dataclass(frozen=True, slots=True)
class Grid:
    """A borderless table's rows of cell texts, and its column left edges."""

    top: float
    bottom: float
    columns: tuple[float, ...]
    rows: tuple[tuple[str, ...], ...]
    open_ends: tuple[tuple[bool, ...], ...]  # per row and cell, see pdf_words.ends_mid_word


@dataclass(frozen=True, slots=True)
class HeaderHint:
    """A ruled header row (a one-row table) that may head a borderless body."""

    bottom: float
    columns: tuple[float, ...]
    cells: tuple[str, ...]


def groups(line: Sequence[Word]) -> list[list[Word]]:
    """Split a line where the gap between words is wide enough to be a column gutter."""
    out: list[list[Word]] = [[line[0]]]
    for prev, word in itertools.pairwise(line):
        if word["x0"] - prev["x1"] >= COLUMN_GAP:
            out.append([word])
        else:
            out[-1].append(word)
    return out


def _gutters(lines: Sequence[Sequence[Word]]) -> list[float]:
    """Left edges of columns: x ranges that no word of any multi-column line covers."""
    spans = sorted((w["x0"], w["x1"]) for line in lines for w in line)
    starts = [spans[0][0]]
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= COLUMN_GAP:
            starts.append(x0)
        reach = max(reach, x1)
    return starts


def _column_of(word: Word, columns: Sequence[float]) -> int:
    index = 0
    for i, left in enumerate(columns):
        if word["x0"] >= left - 2:
            index = i
    return index


def pitch(lines: Sequence[Sequence[Word]]) -> float:
    """Median distance between consecutive line tops (12 pt when unknown)."""
    gaps = [b[0]["top"] - a[0]["top"] for a, b in itertools.pairwise(lines)]
    gaps = [g for g in gaps if g > 0]
    return statistics.median(gaps) if gaps else 12.0


def _stack(split: Sequence[Sequence[list[Word]]]) -> list[list[Word]]:
    out: list[list[Word]] = [[] for _ in split[0]]
    for cells in split:
        for target, extra in zip(out, cells, strict=True):
            target.extend(extra)
    return out


def _header_lines(
    split: Sequence[Sequence[list[Word]]], lines: Sequence[Sequence[Word]], step: float
) -> int:
    """How many leading lines form an (unruled) header row; 0 when there is none."""
    if not is_header_row([join_cell(c) for c in split[0]]):
        return 0
    count = 1
    while count < len(split):
        gap = lines[count][0]["top"] - lines[count - 1][0]["top"]
        merged = [
            join_cell([*a, *b]) for a, b in zip(_stack(split[:count]), split[count], strict=True)
        ]
        if gap > 1.3 * step or not is_header_row(merged):
            break
        count += 1
    return count


def _key_column(split: Sequence[Sequence[list[Word]]], header: Sequence[str] = ()) -> int | None:
    """The column whose text marks the start of a row: ids, else short answers.

    Taken from the header's wording when there is one, else from the cells.
    """
    roles = [header_cell_role(h) for h in header]
    for role in ("id", "answer"):
        if role in roles and len(roles) == len(split[0]):
            return roles.index(role)
    for pattern in (ID, ANSWER):
        for col in range(len(split[0])):
            texts = [" ".join(w["text"] for w in cells[col]) for cells in split if cells[col]]
            hits = sum(1 for t in texts if pattern.match(t))
            if hits and hits >= 0.5 * len(texts):
                return col
    return None


def grid_from_lines(
    lines: Sequence[list[Word]], spacing: Spacing = NO_SPACING, hint: HeaderHint | None = None
) -> Grid | None:
    """A table from a run of lines with column gutters; None if it has under 2 columns.

    Args:
        lines: the run's visual lines, top to bottom.
        spacing: the page's space characters, for joining wrapped lines.
        hint: a ruled header row right above the run, giving the columns.
    """
    multi = [line for line in lines if len(groups(line)) >= 2]
    columns = list(hint.columns) if hint else (_gutters(multi) if multi else [])
    if len(columns) < 2:
        return None
    split: list[list[list[Word]]] = []
    for line in lines:
        cells: list[list[Word]] = [[] for _ in columns]
        for word in line:
            cells[_column_of(word, columns)].append(word)
        split.append(cells)
    widths = [column_width([cells[c] for cells in split]) for c in range(len(columns))]
    key = _key_column(split, hint.cells if hint else ())
    step = pitch(lines)
    body = 0 if hint else _header_lines(split, lines, step)
    rows: list[list[list[Word]]] = [_stack(split[:body])] if body else []
    opened = len(rows)
    for i in range(body, len(split)):
        cells = split[i]
        if len(rows) == opened:
            starts = True
        elif key is not None:
            first = " ".join(w["text"] for w in cells[key])
            # An id, or the start of a mangled one ("1. -"), or an answer opens a row.
            starts = bool(first) and bool(
                ID.match(first) or _ID_START.match(first) or ANSWER.match(first)
            )
        else:
            starts = lines[i][0]["top"] - lines[i - 1][0]["top"] > 1.1 * step
        if starts:
            rows.append([list(c) for c in cells])
        else:
            for target, extra in zip(rows[-1], cells, strict=True):
                target.extend(extra)
    lined = [[lines_of(c) for c in row] for row in rows]  # each cell's lines, found once
    texts = [tuple(join_lines(c, spacing, widths[i]) for i, c in enumerate(row)) for row in lined]
    ends = [
        tuple(lines_end_mid_word(c, spacing, widths[i]) for i, c in enumerate(row)) for row in lined
    ]
    if hint:
        texts.insert(0, hint.cells)
        ends.insert(0, (False,) * len(hint.cells))
    return Grid(
        top=lines[0][0]["top"],
        bottom=max(w["bottom"] for w in lines[-1]),
        columns=tuple(columns),
        rows=tuple(texts),
        open_ends=tuple(ends),
    )


def find_grids(
    lines: Sequence[list[Word]], spacing: Spacing, hints: Sequence[HeaderHint] = ()
) -> tuple[list[Grid], list[list[Word]], set[int]]:
    """Find the borderless tables among a page's loose lines.

    Args:
        lines: the page's lines outside ruled tables, top to bottom.
        spacing: the page's space characters.
        hints: ruled header rows with no body, which may head a borderless body.

    Returns:
        The tables, the lines that belong to none, and the indexes of the hints used.
    """
    grids: list[Grid] = []
    rest: list[list[Word]] = []
    used: set[int] = set()
    step = pitch(lines)
    run: list[list[Word]] = []

    def hint_for(top: float) -> int | None:
        return next(
            (
                i
                for i, h in enumerate(hints)
                if i not in used and -step <= top - h.bottom <= 3 * step
            ),
            None,
        )

    def headed() -> bool:
        return bool(run) and is_header_row([join_cell(g) for g in groups(run[0])])

    def flush() -> None:
        if run:
            h = hint_for(run[0][0]["top"])
            multi = sum(1 for line in run if len(groups(line)) >= 2)
            if h is not None or multi >= 3 or (headed() and len(run) >= 3):
                grid = grid_from_lines(run, spacing, hints[h] if h is not None else None)
                if grid is not None:
                    grids.append(grid)
                    if h is not None:
                        used.add(h)
                    run.clear()
                    return
        rest.extend(run)
        run.clear()

    for line in lines:
        multi = len(groups(line)) >= 2
        # A wrapped cell line sits at line pitch; a new row may sit a little lower.
        gap = line[0]["top"] - run[-1][0]["top"] if run else 0.0
        # Below a header row the body starts after the header's bottom padding.
        wide = multi or (len(run) <= 3 and headed())
        close = bool(run) and gap <= (2.5 if wide else 1.3) * step
        if run and not close:
            flush()
        if multi or (run and close) or (not run and hint_for(line[0]["top"]) is not None):
            run.append(line)
        else:
            rest.append(line)
    flush()
    return grids, rest, used
