"""Table logic shared by the DOCX and HTML readers: grid -> Rows.

Both readers turn their markup into :class:`RawTable` (logical cells with their grid
column, span and vertical-merge flag) and a heading stack; everything after that is
the same: merged cells read once, header and band rows recognised, tables that are
not a self-assessment (statistics, contents, title blocks) set aside.

Pure functions, no I/O and no third-party types.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from pipeline.extract.markup.checkbox import resolve_checkboxes
from pipeline.extract.markup.continuation import continuation_flags
from pipeline.extract.markup.headings import (
    LEVEL_SECTION,
    Headings,
    heading_level,
    looks_like_band_text,
)
from pipeline.layout import header_layout
from pipeline.records import Row
from pipeline.textnorm import clean_cell, normalise_space
from pipeline.vocabulary import PROVISION_ID, header_cell_role, is_assessment_table

_SECTION_NUMBER = re.compile(r"^\d{1,2}\.?$")
_NUMERIC = re.compile(r"^[\d.,%£$()\s/:+-]+$")


@dataclass(frozen=True, slots=True)
class RawCell:
    """One logical cell: its text, first grid column, width in columns, merge flag.

    ``continued`` marks the lower part of a vertical merge (DOCX ``vMerge``
    continue, or a position covered by an HTML ``rowspan``): its text is read once,
    in the row where the merge starts.
    """

    text: str
    col: int
    span: int = 1
    continued: bool = False


@dataclass(frozen=True, slots=True)
class RawRow:
    """One table row; ``marked_header`` when the markup says so (tblHeader, thead, th)."""

    cells: tuple[RawCell, ...]
    marked_header: bool = False


@dataclass(frozen=True, slots=True)
class RawTable:
    """A table as read from the markup, before header and band rows are known."""

    rows: tuple[RawRow, ...]
    caption: str = ""


def _grid(table: RawTable) -> list[list[RawCell | None]]:
    """Rows as lists indexed by grid column (None where a span covers the column);
    grid columns in which no cell starts (artefacts of odd Word grids) are dropped."""
    width = max((c.col + c.span for r in table.rows for c in r.cells), default=0)
    starts = {c.col for r in table.rows for c in r.cells}
    keep = [col for col in range(width) if col in starts]
    out: list[list[RawCell | None]] = []
    for row in table.rows:
        by_col: dict[int, RawCell] = {c.col: c for c in row.cells}
        out.append([by_col.get(col) for col in keep])
    return out


def grid_texts(table: RawTable) -> list[tuple[str, ...]]:
    """Cleaned cell texts per row (merged cells read once), for layout checks."""
    return [_texts(cells) for cells in _grid(table)]


def _texts(cells: Sequence[RawCell | None]) -> tuple[str, ...]:
    return tuple(
        "" if c is None or c.continued else clean_cell(resolve_checkboxes(c.text)) for c in cells
    )


def _is_header_like(texts: Sequence[str], marked: bool, *, strict: bool = False) -> bool:
    """Column headings: short cells, most naming a column role ("Evidence", "Comply").

    ``strict`` (a header is already known): every cell must name a role, so that a
    second header row ("Yes | No" under "Comply") is merged but a short data row is not.
    """
    nonempty = [t for t in texts if t]
    if not nonempty or any(
        len(t) > 80 or len(t.split()) > 10 or PROVISION_ID.match(t) for t in nonempty
    ):
        return False
    named = sum(header_cell_role(t) != "other" for t in nonempty)
    if strict and not marked:
        return named == len(nonempty)
    return named >= 2 or (marked and len(nonempty) >= 2)


def _band_text(cells: Sequence[RawCell | None], texts: Sequence[str]) -> str | None:
    """Text of a full-width band row ("Must Do Requirements", "Stage 2"), else None."""
    present = [(c, t) for c, t in zip(cells, texts, strict=True) if t]
    if len(present) != 1 or len(texts) < 2:
        return None
    cell, text = present[0]
    covered = sum(1 for c in cells if c is None) + 1
    if cell is not None and covered >= len(texts) and len(text) <= 150:
        return text
    # A band that is not merged across the row sits in the first columns and starts
    # like a heading; a lone cell further right ("section 3, agreed May 2024" in the
    # evidence column) is the rest of the row above, not a band.
    position = next(i for i, t in enumerate(texts) if t)
    if position > 1 or text[:1].islower():
        return None
    return text if looks_like_band_text(text) else None


def _is_assessment(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> bool:
    """False for statistics, contents and title-block tables (set aside)."""
    return is_assessment_table(header, rows, has_layout=header_layout(header) is not None)


@dataclass(frozen=True, slots=True)
class TableResult:
    """Rows read from one table, or ``set_aside`` when it is not an assessment table.

    ``carried`` is the previous table's last row with this table's first row joined
    into it, when that first row only carries it on (a form copied page by page);
    the reader puts it in place of the row it had.
    """

    rows: tuple[Row, ...]
    header: tuple[str, ...]
    set_aside: bool
    carried: Row | None = None


# A data row before it becomes a Row: cells, heading in force, joined from pieces.
_Pending = tuple[tuple[str, ...], str | None, bool]


def table_to_rows(
    table: RawTable,
    table_index: int,
    headings: Headings,
    inherited_header: tuple[str, ...] = (),
    previous: Row | None = None,
) -> TableResult:
    """Read a table: header rows, band rows (-> Row.section) and data rows.

    Rows that carry on the row above (empty id and answer cells, the rest of a long
    requirement, evidence or commentary) are joined into it and marked ``stitched``.

    Args:
        table: the table as read from the markup.
        table_index: index of the table in document order.
        headings: headings in force above the table.
        inherited_header: header of the previous assessment table, used when this
            table has none and is as wide (a form split into one table per section).
        previous: the last row the reader has so far; this table's first row is
            joined into it when it carries it on (see TableResult.carried).

    Returns:
        The data rows (header and band rows excluded, empty rows dropped), the header
        used, whether the table was set aside as not being a self-assessment, and the
        previous row with this table's first row joined in, if it was.
    """
    grid = _grid(table)
    if table.caption:
        headings = headings.push(table.caption, heading_level(table.caption))
    header: tuple[str, ...] = ()
    in_header = True
    pending: list[_Pending] = []
    for raw, cells in zip(table.rows, grid, strict=True):
        texts = _texts(cells)
        if not any(texts):
            continue
        band = _band_text(cells, texts)
        if band is not None:
            headings = headings.push(band, heading_level(band))
            continue
        if texts == header:
            continue  # repeated header row
        if (in_header or raw.marked_header) and _is_header_like(
            texts, raw.marked_header, strict=bool(header)
        ):
            header = _merge_header(header, texts) if in_header else header
            continue
        if in_header:
            in_header = False
            headings = _push_header_title(headings, header)
        if _is_sub_header(texts, header):
            # A later row shaped like the header ("2 | Accessibility | Yes | No").
            title = " ".join(t for t in texts if t and header_cell_role(t) in ("other", "id"))
            headings = headings.push(title, LEVEL_SECTION) if title else headings
            continue
        continued = {i for i, c in enumerate(cells) if c is not None and c.continued}
        if pending and _continues_provision(pending[-1][0], continued):
            pending[-1] = (_join_cells(pending[-1][0], texts), *pending[-1][1:])
            continue
        pending.append((texts, headings.joined(), False))
    if not header and inherited_header and grid and len(grid[0]) == len(inherited_header):
        header = inherited_header
    pending = _join_continuations(pending, header)
    carried = _carried(previous, pending, header, table_index)
    if carried is not None:
        pending = pending[1:]
        if not pending:
            return TableResult(rows=(), header=header, set_aside=False, carried=carried)
    if not _is_assessment(header, [texts for texts, _, _ in pending]):
        # A table of its own: what it carried on stays with the previous table.
        return TableResult(rows=(), header=header, set_aside=True, carried=carried)
    rows = tuple(
        Row(
            page=None,
            table_index=table_index,
            row_index=i,
            cells=texts,
            header=header,
            section=section,
            stitched=stitched,
        )
        for i, (texts, section, stitched) in enumerate(pending)
    )
    return TableResult(rows=rows, header=header, set_aside=False, carried=carried)


def _carried(
    previous: Row | None, pending: Sequence[_Pending], header: tuple[str, ...], table_index: int
) -> Row | None:
    """``previous`` with the table's first row joined in, when that row carries it on:
    the tables are adjacent, under the same headings, with the same header."""
    if previous is None or not pending or not header:
        return None
    texts, section, _ = pending[0]
    if (
        previous.table_index != table_index - 1
        or previous.header != header
        or previous.section != section
        or len(previous.cells) != len(texts)
        or not continuation_flags([previous.cells, texts], header)[1]
    ):
        return None
    return replace(previous, cells=_join_cells(previous.cells, texts), stitched=True)


def _is_sub_header(texts: tuple[str, ...], header: tuple[str, ...]) -> bool:
    """A row whose cells name the same column roles as the header, column by column."""
    if len(texts) != len(header) or not _is_header_like(texts, False):
        return False
    roles = [header_cell_role(h) for h in header]
    return all(
        role == "other" or header_cell_role(t) == role for t, role in zip(texts, roles, strict=True)
    )


def _continues_provision(previous: tuple[str, ...], continued: set[int]) -> bool:
    """The row carries on the provision above: every cell that printed its id is a
    vertical merge reaching into this row (one provision laid out over several rows)."""
    id_cols = {i for i, t in enumerate(previous) if PROVISION_ID.match(t)}
    return bool(id_cols) and id_cols <= continued


def _join_continuations(pending: list[_Pending], header: tuple[str, ...]) -> list[_Pending]:
    """Rows that carry on the row above (empty id and answer cells) joined into it."""
    flags = continuation_flags([texts for texts, _, _ in pending], header)
    out: list[_Pending] = []
    for (texts, section, stitched), joined in zip(pending, flags, strict=True):
        if joined:
            out[-1] = (_join_cells(out[-1][0], texts), out[-1][1], True)
        else:
            out.append((texts, section, stitched))
    return out


def _join_cells(first: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalise_space(f"{a} {b}") for a, b in zip(first, more, strict=True))


def _push_header_title(headings: Headings, header: tuple[str, ...]) -> Headings:
    """The 2020 form's header row is its section title ("1 | Definition of a complaint |
    Yes | No"): that title is the section in force for the table's rows."""
    if (
        len(header) >= 2
        and _SECTION_NUMBER.match(header[0])
        and header[1]
        and header_cell_role(header[1]) == "other"
    ):
        return headings.push(f"{header[0]} {header[1]}", LEVEL_SECTION)
    return headings


def _merge_header(previous: tuple[str, ...], texts: tuple[str, ...]) -> tuple[str, ...]:
    """Two header rows ("Comply" over "Yes | No"): the lower row wins, gaps filled above."""
    if not previous or len(previous) != len(texts):
        return texts
    return tuple(t or p for p, t in zip(previous, texts, strict=True))


class TableSink(Protocol):
    """What a document walker (DOCX or HTML) keeps while it collects tables."""

    rows: list[Row]
    set_aside: int
    table_count: int
    last_header: tuple[str, ...]


def collect_table(sink: TableSink, table: RawTable, headings: Headings) -> None:
    """Read one table onto ``sink``: rows appended (a continuation of the previous
    table's last row joined into it), or the table counted as set aside."""
    index = sink.table_count
    sink.table_count += 1
    previous = sink.rows[-1] if sink.rows else None
    result = table_to_rows(table, index, headings, sink.last_header, previous)
    if result.carried is not None:
        sink.rows[-1] = result.carried
    if result.set_aside:
        sink.set_aside += 1
    else:
        sink.rows.extend(result.rows)
        sink.last_header = result.header or sink.last_header
