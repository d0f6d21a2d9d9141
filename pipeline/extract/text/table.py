"""Text reader: the table and row being assembled (mutable, local to one reading)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.extract.text.columns import TableColumns
from pipeline.extract.text.line import TextLine
from pipeline.layout import Layout
from pipeline.textnorm import clean_cell

_ID_FRAGMENT = re.compile(r"[\d.\s\-–]+")


@dataclass
class RowBuilder:
    """Cells of one row being assembled from lines.

    Attributes:
        parts: per column, the texts of the lines added so far.
        lines: the lines added so far.
        section: the heading in force when the row started.
        stitched: a line after a page break was added.
    """

    parts: list[list[str]]
    lines: list[TextLine]
    section: str | None
    stitched: bool = False

    @classmethod
    def start(cls, lines: Sequence[TextLine], width: int, section: str | None) -> RowBuilder:
        """A row of ``width`` columns from its first lines.

        Args:
            lines: the row's first lines (the id line last, or fragments above it first).
            width: number of columns.
            section: the heading in force.

        Returns:
            The row.
        """
        row = cls([[] for _ in range(width)], [], section)
        for line in lines:
            row.add(line, None)
        return row

    def add(self, line: TextLine, id_col: int | None) -> None:
        """Add a line's cells to the row's cells.

        Args:
            line: a line fitted to the row's width.
            id_col: the id column; a stray id fragment there ("0.20") is dropped.
        """
        if self.lines and line.gap_before:
            self.stitched = True
        for col, text in enumerate(line.fields[: len(self.parts)]):
            if not text:
                continue
            if col == id_col and self.cell(col) and _ID_FRAGMENT.fullmatch(text):
                continue  # a stray id fragment on a continuation line ("0.20")
            self.parts[col].append(text)
        self.lines.append(line)

    def cell(self, col: int) -> str:
        """The text of one column so far.

        Args:
            col: column index.

        Returns:
            The column's texts joined and cleaned.
        """
        return clean_cell(" ".join(self.parts[col]))

    def cells(self) -> tuple[str, ...]:
        """The texts of all columns so far."""
        return tuple(self.cell(c) for c in range(len(self.parts)))


@dataclass
class TableState:
    """One table being read.

    Attributes:
        index: 0-based index of the table in the document.
        header: its header cells (empty without a header).
        cols: its columns.
        layout: the header's layout, or None.
        rows: rows finished.
        pending: id-less lines not yet given to a row.
        current: the row being assembled.
    """

    index: int
    header: tuple[str, ...]
    cols: TableColumns
    layout: Layout | None
    rows: list[RowBuilder] = field(default_factory=list)
    pending: list[TextLine] = field(default_factory=list)
    current: RowBuilder | None = None
