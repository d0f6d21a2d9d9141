"""Text reader: header rows (possibly on two lines), band rows and heading debris."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.extract.text.labels import (
    heading_kind,
    is_bare_number,
    is_rule,
    is_section_heading,
    provision_id,
)
from pipeline.extract.text.line import TextLine
from pipeline.layout import Layout, header_layout
from pipeline.vocabulary import header_cell_role


def fields_to_header_layout(fields: tuple[str, ...]) -> Layout | None:
    """The layout when a line's cells are a table header.

    Args:
        fields: the line's cells.

    Returns:
        The layout, or None unless at least two cells are short header wordings
        ("Code provision", "Comply: Yes / No") and none is a sentence or an id.
    """
    filled = [f for f in fields if f]
    if len(filled) < 2 or any(
        len(f) > 60 or len(f.split()) > 8 or f.endswith(".") or provision_id(f) for f in filled
    ):
        return None
    if sum(header_cell_role(f) != "other" for f in filled) < 2:
        return None
    return header_layout(fields)


def merge_header(
    lines: Sequence[TextLine], index: int, header: tuple[str, ...]
) -> tuple[tuple[str, ...], int]:
    """Join a header continued on the next line ("Code" / "section", "Comply:" / "Yes/No").

    Args:
        lines: all lines.
        index: position of the header line in ``lines``.
        header: its cells.

    Returns:
        The header and how many lines it used (1 or 2).
    """
    if index + 1 >= len(lines):
        return header, 1
    nxt = lines[index + 1]
    if not nxt.tabbed or len(nxt.fields) > len(header) or is_rule(nxt.fields):
        return header, 1
    merged = list(header)
    for i, text in enumerate(nxt.fields):
        if not text:
            continue
        if len(text) > 25 or provision_id(text) or heading_kind(text) or not header[i]:
            return header, 1
        joined = f"{header[i]} {text}"
        if header_cell_role(joined) == "other":
            return header, 1
        merged[i] = joined
    return (tuple(merged), 2) if merged != list(header) else (header, 1)


def band_text(line: TextLine, in_table: bool) -> str | None:
    """A full-width band or heading row inside a table.

    Args:
        line: a tabbed line.
        in_table: a table is open (outside one, any text in the first cell alone is a band).

    Returns:
        The band's text, else None.
    """
    fields = line.fields
    filled = [i for i, f in enumerate(fields) if f]
    if not filled:
        return None
    if filled == [0] and (heading_kind(fields[0]) or not in_table):
        return fields[0]
    if filled == [0, 1] and is_bare_number(fields[0]) and len(fields[1]) <= 80:
        return f"{fields[0]} {fields[1]}"  # 2020 form: "2 | Accessibility"
    joined = line.text
    if is_section_heading(joined) and all(len(fields[i]) <= 30 for i in filled):
        return joined  # a heading split into cells ("Section | 8: | Putting | ...")
    return None


def is_heading_debris(line: TextLine, width: int) -> bool:
    """A garbled heading split into many short cells ("- I | | - |").

    Args:
        line: a tabbed line.
        width: the open table's width, or the line's own.

    Returns:
        True for more than one cell beyond the width, all short, not a section heading.
    """
    filled = [f for f in line.fields if f]
    return (
        len(line.fields) > width + 1
        and all(len(f) <= 20 for f in filled)
        and not is_section_heading(line.text)
    )
