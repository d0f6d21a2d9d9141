"""Text reader: the logical line record passed from the line splitters to the row assembler."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.textnorm import clean_cell


@dataclass(frozen=True, slots=True)
class TextLine:
    """One logical line: its cells (markup stripped) and where it came from.

    Attributes:
        number: 1-based line number in the file (first line of a converted cell row).
        fields: cell texts; one element for a line without TABs.
        tabbed: the line had cells (TABs, or cells converted from the one-cell-per-line
            layout).
        gap_before: a blank line came before it (a page break in PDF exports).
    """

    number: int
    fields: tuple[str, ...]
    tabbed: bool
    gap_before: bool = False

    @property
    def text(self) -> str:
        """All cells joined with spaces."""
        return clean_cell(" ".join(self.fields))
