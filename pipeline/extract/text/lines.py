"""Text reader, step 2: decoded text -> logical lines (:class:`TextLine`).

Picks the layout: one cell per line (``text_cell_per_line``), "Label: value" records
(``text_key_value``), else one table row per line with cells separated by TABs or
Markdown pipes (handled here); lines without cells are kept as plain lines.
"""

from __future__ import annotations

import re

from pipeline.extract.text.cell_per_line import cells_to_lines, is_cell_per_line
from pipeline.extract.text.key_value import key_value_to_lines
from pipeline.extract.text.line import TextLine
from pipeline.textnorm import clean_cell

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")  # a cell separator; "\|" is a literal pipe


def _split_cells(raw: str, pipes: bool = False) -> list[str] | None:
    """The cells of a TAB-separated line or a Markdown pipe-table line ("| a | b |", or
    "a | b" when the document has a "--- | ---" separator line); None for a line without
    cells."""
    if "\t" in raw:
        return raw.split("\t")
    if _PIPE_ROW.match(raw):
        return _PIPE.split(raw.strip()[1:-1])
    if pipes and _PIPE.search(raw):
        return _PIPE.split(raw.strip().strip("|"))
    return None


def text_to_lines(text: str) -> list[TextLine]:
    """Split decoded text into logical lines (see :class:`TextLine`).

    Args:
        text: the decoded file.

    Returns:
        Non-blank lines with their cells; blank lines only set ``gap_before``.
    """
    raw_lines = text.splitlines()
    if is_cell_per_line(raw_lines):
        return cells_to_lines(raw_lines)
    if not any("\t" in line for line in raw_lines):
        records = key_value_to_lines(raw_lines)
        if records is not None:
            return records
    out: list[TextLine] = []
    gap = False
    pipes = any(_PIPE_SEPARATOR.match(line) for line in raw_lines)
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            gap = True
            continue
        cells = _split_cells(raw, pipes)
        fields = tuple(clean_cell(f) for f in cells) if cells is not None else (clean_cell(raw),)
        if not any(fields):
            gap = True
            continue
        out.append(TextLine(number, fields, tabbed=cells is not None, gap_before=gap))
        gap = False
    return out
