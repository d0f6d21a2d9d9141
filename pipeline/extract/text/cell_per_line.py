"""Text reader layout: one cell per line, each cell opened by a TAB (DOCX -> text export).

:func:`cells_to_lines` regroups the cells into one :class:`TextLine` per table row, so the
row assembler sees the same shape as a TAB-separated export.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.extract.text.labels import heading_kind, looks_like_id
from pipeline.extract.text.line import TextLine
from pipeline.textnorm import clean_cell
from pipeline.vocabulary import header_cell_role

_Cell = tuple[int, list[str]]  # (line number, text parts) of one cell


def is_cell_per_line(raw_lines: Sequence[str]) -> bool:
    """True for the DOCX export layout: most TAB lines are one TAB then one cell.

    Args:
        raw_lines: the file's lines.

    Returns:
        Whether at least 60% of the lines holding a TAB are a leading TAB and one cell.
    """
    tabbed = [line for line in raw_lines if "\t" in line and line.strip()]
    single = [line for line in tabbed if line.startswith("\t") and line.count("\t") == 1]
    return bool(tabbed) and len(single) >= 0.6 * len(tabbed)


def _join(parts: Sequence[str]) -> str:
    return clean_cell(" ".join(parts))


def cells_to_lines(raw_lines: Sequence[str]) -> list[TextLine]:
    """Convert the one-cell-per-line layout into one line per table row.

    A line starting with TAB opens a cell; following lines without a leading TAB continue
    it (TABs inside them are line-wrap artefacts). A cell holding a provision id starts a
    row; the cells before the first id of a run are the header. ``Section N`` and bare
    ``Stage N`` lines are headings, not cell text.

    Args:
        raw_lines: the file's lines, undecorated.

    Returns:
        One tabbed line per header or row, and the untabbed heading/text lines.
    """
    out: list[TextLine] = []
    run: list[_Cell] = []
    in_cell = False

    def flush() -> None:
        texts = [_join(parts) for _, parts in run]
        if any(looks_like_id(t) for t in texts):
            groups = _groups_at_ids(run, texts)
        else:
            groups = _groups_by_width(run, texts)
        for group in groups:
            fields = tuple(_join(parts) for _, parts in group)
            out.append(TextLine(group[0][0], fields, tabbed=True))
        run.clear()

    for number, raw in enumerate(raw_lines, start=1):
        if raw.startswith("\t"):
            run.append((number, [raw[1:]]))
            in_cell = True
            continue
        if not raw.strip():
            continue
        text = clean_cell(raw)
        if heading_kind(text) in ("section", "stage") or not in_cell or not run:
            flush()
            in_cell = False
            if text:
                out.append(TextLine(number, (text,), tabbed=False))
            continue
        run[-1][1].append(raw)
    flush()
    return out


def _groups_at_ids(run: Sequence[_Cell], texts: Sequence[str]) -> list[list[_Cell]]:
    """Cells -> rows: a row starts at an id cell or at a repeat of the header."""
    groups: list[list[_Cell]] = []
    for cell, text in zip(run, texts, strict=True):
        starts = looks_like_id(text) or (
            bool(groups) and text == texts[0] and header_cell_role(text) != "other"
        )
        if not groups or starts:
            groups.append([])
        groups[-1].append(cell)
    return groups


def _groups_by_width(run: Sequence[_Cell], texts: Sequence[str]) -> list[list[_Cell]]:
    """Cells -> rows for a form without ids: the header's width cells per row; a band
    cell ("Must Do Requirements", "Stage 2") at a row start is a row of its own."""
    width = 0
    while (
        width < len(texts)
        and header_cell_role(texts[width]) != "other"
        and not heading_kind(texts[width])
    ):
        width += 1
    if width < 2:
        return [list(run)] if run else []
    groups: list[list[_Cell]] = [list(run[:width])]
    current: list[_Cell] = []
    for cell, text in zip(run[width:], texts[width:], strict=True):
        if not current and heading_kind(text):
            groups.append([cell])
            continue
        current.append(cell)
        if len(current) == width:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups
