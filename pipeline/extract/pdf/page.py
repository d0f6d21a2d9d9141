"""One PDF page -> its tables (cell texts) and the text lines around them.

The page's characters and rules come from pypdfium2 (pdf_objects). Words follow
pdfplumber's word rule (pdf_glyph_words) and ruled tables come from pdfplumber's
``TableFinder`` (line strategy), a pure algorithm over edge dicts, so it runs on
pdfium's rules without pdfminer. Borderless tables come from the text's column
gutters (pdf_borderless), headed by a ruled header row when the form rules only
that. Cell text is rebuilt from the words inside each cell (pdf_words), so line
breaks become spaces where the PDF has them.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pdfplumber.table import TableFinder, TableSettings

from pipeline.extract.pdf.borderless import HeaderHint, find_grids
from pipeline.extract.pdf.glyph_words import glyph_words
from pipeline.extract.pdf.objects import PageObjects
from pipeline.extract.pdf.rules import Edge
from pipeline.extract.pdf.space import Floats
from pipeline.extract.pdf.words import (
    Spacing,
    Word,
    is_header_row,
    join_cell,
    join_lines,
    line_ranks,
    lines_end_mid_word,
    lines_width,
    ordered_lines,
    page_spacing,
)

_SNAP = 3.0
# Generous cell padding (points a side): Word uses 5.4, reportlab 6, LibreOffice less.
_PADDING = 6.0
_RULED: dict[str, object] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": _SNAP,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}


@dataclass(frozen=True, slots=True)
class _Surface:
    """What ``TableFinder`` reads of a page under the line strategy: edges and bbox."""

    edges: list[Edge]
    bbox: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PageRow:
    """One row of a table on one page.

    Attributes:
        cells: cell texts, whitespace-normalised.
        spans: True where the row is one cell spanning the table (a band such as
            "Must Do Requirements").
        open_ends: per cell, the text ends in a word cut by a narrow column (its
            rest may open the next page; see ``pdf_words.ends_mid_word``).
    """

    cells: tuple[str, ...]
    spans: bool = False
    open_ends: tuple[bool, ...] = ()


@dataclass(frozen=True, slots=True)
class PageTable:
    """A table (or the part of one) on a page."""

    page: int
    top: float
    bottom: float
    columns: tuple[float, ...]  # left x of each column
    rows: tuple[PageRow, ...]
    ruled: bool


@dataclass(frozen=True, slots=True)
class TextLine:
    """A line of text outside any table."""

    top: float
    text: str
    heading: bool  # bold or larger than body text
    x0: float = 0.0  # left and right edges (points)
    x1: float = 0.0


@dataclass(frozen=True, slots=True)
class PageContent:
    """What the table parser found on one page."""

    page: int
    tables: tuple[PageTable, ...]
    lines: tuple[TextLine, ...]
    height: float = 842.0  # points (A4 portrait by default)


Bbox = tuple[float, float, float, float]
Index = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True, eq=False)
class _Layout:
    """Where a page's words are, column-wise: numpy finds a cell's words in one pass.

    Attributes:
        x, y: each word's centre (words are placed in cells by their centres).
        rank: each word's place in ``lines_of`` order (rounded top, then x0, ties in
            page order), so any words in page order sort into it by rank alone.
    """

    x: Floats
    y: Floats
    rank: npt.NDArray[np.intp]

    @classmethod
    def of(cls, words: Sequence[Word]) -> _Layout:
        x0, x1, top, bottom = (
            np.array([w[key] for w in words], dtype=np.float64)
            for key in ("x0", "x1", "top", "bottom")
        )
        return cls((x0 + x1) / 2, (top + bottom) / 2, line_ranks(x0, top))


def open_ends(edges: Sequence[dict[str, Any]]) -> list[float]:
    """Where the vertical rules of a table run past its first or last horizontal rule.

    A row split across a page break is often drawn open: its cell walls run to the
    foot of the page (and on from the head of the next) with no rule to close them,
    so pdfplumber's line strategy finds no cell there. The y of such loose ends,
    given to pdfplumber as explicit horizontal lines, closes those cells.

    Args:
        edges: the page's ruling edges (pdfplumber ``page.edges``).

    Returns:
        The top of the vertical rules when it lies above every horizontal rule, and
        their bottom when it lies below every horizontal rule (points from the top).
    """
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [float(e["top"]) for e in edges if e["orientation"] == "h"]
    if not vertical or not horizontal:
        return []
    # Only a span of at least two walls (a row of cells) counts, not a lone side bar.
    top = min(float(e["top"]) for e in vertical)
    bottom = max(float(e["bottom"]) for e in vertical)
    walls_top = sum(1 for e in vertical if abs(float(e["top"]) - top) < 1.0)
    walls_bottom = sum(1 for e in vertical if abs(float(e["bottom"]) - bottom) < 1.0)
    out = []
    if walls_top >= 2 and top < min(horizontal) - _SNAP:
        out.append(top)
    if walls_bottom >= 2 and bottom > max(horizontal) + _SNAP:
        out.append(bottom)
    return out


def _find_tables(objects: PageObjects) -> list[Any]:
    """pdfplumber's ruled tables (line strategy) on the page's edges."""
    settings = TableSettings.resolve(
        {**_RULED, "explicit_horizontal_lines": open_ends(objects.edges)}
    )
    surface = _Surface(list(objects.edges), (0.0, 0.0, objects.width, objects.height))
    return list(TableFinder(surface, settings).tables)  # type: ignore[arg-type]


def _cells(
    words: Sequence[Word], layout: _Layout, band: Index, boxes: Sequence[Bbox | None]
) -> list[list[list[Word]] | None]:
    """The lines of words of each cell of one row (None where the row has no cell), as
    ``lines_of`` gives them.

    Args:
        words: the page's words.
        layout: where they are.
        band: the words (indexes, in ``lines_of`` order) within the row's top and bottom.
        boxes: the row's cells.
    """
    present = sorted(((b[0], i) for i, b in enumerate(boxes) if b is not None), key=lambda p: p[0])
    box = np.array([boxes[i] for _, i in present], dtype=np.float64).reshape(-1, 4)
    x, y = layout.x[band], layout.y[band]
    at = np.searchsorted(box[:, 0], x, side="right") - 1
    # Cells do not overlap: a word is in the cell starting left of its centre, or in
    # none (both neighbours checked, a centre on a shared rule is in both).
    homes = []
    for near in (at - 1, at):
        x0, top, x1, bottom = box[np.maximum(near, 0)].T
        inside = (near >= 0) & (x0 <= x) & (x <= x1) & (top <= y) & (y <= bottom)
        homes.append(np.where(inside, near, -1).tolist())
    members: list[list[Word]] = [[] for _ in present]
    for j, left, right in zip(band.tolist(), *homes, strict=True):
        if left >= 0:
            members[left].append(words[j])
        if right >= 0:
            members[right].append(words[j])
    out: list[list[list[Word]] | None] = [None] * len(boxes)
    for cell, (_, i) in enumerate(present):
        out[i] = ordered_lines(members[cell])
    return out


def _ruled_tables(
    objects: PageObjects, words: Sequence[Word], layout: _Layout, number: int, spacing: Spacing
) -> list[PageTable]:
    tables: list[PageTable] = []
    for found in _find_tables(objects):
        x0, top, x1, bottom = found.bbox
        cx, cy = layout.x, layout.y
        mine = np.flatnonzero((x0 <= cx) & (cx <= x1) & (top <= cy) & (cy <= bottom))
        mine = mine[np.argsort(layout.rank[mine])]  # so each cell's words come in line order
        grid: list[list[list[list[Word]] | None]] = []  # row -> cell -> lines of words
        columns: list[float] = []
        boxes_width: list[float] = []
        spans: list[bool] = []
        for row in found.rows:
            boxes = list(row.cells)
            present = [b for b in boxes if b is not None]
            if not present:
                continue
            if len(present) == len(boxes) and not columns:
                columns = [b[0] for b in present]
                boxes_width = [b[2] - b[0] - 2 * _PADDING for b in present]
            # The row's band first: every cell of the row lies within it.
            low, high = min(b[1] for b in present), max(b[3] for b in present)
            band = mine[(low <= cy[mine]) & (cy[mine] <= high)]
            grid.append(_cells(words, layout, band, boxes))
            spans.append(len(present) == 1 and len(boxes) > 1)
        count = max((len(r) for r in grid), default=0)
        if count == 1 and len(grid) > 1:
            # One column of stacked boxes: row backgrounds (zebra stripes) or a framed
            # panel, not a ruled table; its text is left to the borderless finder.
            continue
        widths = [
            max((lines_width(r[c] or []) for r in grid if c < len(r)), default=0.0)
            for c in range(count)
        ]
        if len(boxes_width) == count:
            # A cell's box bounds its text better than its widest line when the column
            # holds only short texts ("Code" / "section" wrapped at a space, not cut).
            widths = [max(w, b) for w, b in zip(widths, boxes_width, strict=True)]
        rows = []
        for cells, span in zip(grid, spans, strict=True):
            full = len(cells) == count
            texts = tuple(
                join_lines(c, spacing, widths[i] if full else 0.0) if c else ""
                for i, c in enumerate(cells)
            )
            ends = tuple(
                bool(c) and full and lines_end_mid_word(c or [], spacing, widths[i])
                for i, c in enumerate(cells)
            )
            if any(texts):
                rows.append(PageRow(cells=texts, spans=span, open_ends=ends))
        if rows:
            tables.append(
                PageTable(
                    page=number,
                    top=top,
                    bottom=bottom,
                    columns=tuple(columns) or (x0,),
                    rows=tuple(rows),
                    ruled=True,
                )
            )
    return tables


def page_content(objects: PageObjects, number: int) -> PageContent:
    """Tables and loose text lines of one page.

    Args:
        objects: the page's characters and edges (``pdf_objects.page_objects``).
        number: its 1-based page number.

    Returns:
        The page's tables (ruled ones from ruling lines, borderless ones from column
        gutters) and the text lines outside them, top to bottom.
    """
    words = glyph_words(objects.glyphs)
    spacing = page_spacing(objects.glyphs)
    layout = _Layout.of(words)
    ruled = _ruled_tables(objects, words, layout, number, spacing) if objects.edges else []
    covered = np.zeros(len(words), dtype=bool)
    for t in ruled:
        covered |= (t.top - 2 <= layout.y) & (layout.y <= t.bottom + 2)
    outside = np.flatnonzero(~covered)
    outside = outside[np.argsort(layout.rank[outside])]  # in ``lines_of`` order
    loose = ordered_lines([words[i] for i in outside.tolist()])
    heads = [t for t in ruled if len(t.rows) == 1 and is_header_row(t.rows[0].cells)]
    hints = [HeaderHint(bottom=t.bottom, columns=t.columns, cells=t.rows[0].cells) for t in heads]
    grids, rest, used = find_grids(loose, spacing, hints)
    tables = [t for t in ruled if not any(t is heads[i] for i in used)]
    tables += [
        PageTable(
            page=number,
            top=g.top,
            bottom=g.bottom,
            columns=g.columns,
            rows=tuple(
                PageRow(cells=cells, open_ends=ends)
                for cells, ends in zip(g.rows, g.open_ends, strict=True)
            ),
            ruled=False,
        )
        for g in grids
    ]
    body = statistics.median([w["size"] for w in words]) if words else 0.0
    text_lines = tuple(
        TextLine(
            top=line[0]["top"],
            text=join_cell(line),
            heading=all("bold" in str(w["fontname"]).lower() for w in line)
            or min(w["size"] for w in line) > body + 1,
            x0=float(min(w["x0"] for w in line)),
            x1=float(max(w["x1"] for w in line)),
        )
        for line in sorted(rest, key=lambda ln: ln[0]["top"])
    )
    return PageContent(
        page=number,
        tables=tuple(sorted(tables, key=lambda t: t.top)),
        lines=text_lines,
        height=objects.height,
    )
