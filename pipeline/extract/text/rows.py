"""Text reader, step 3: logical lines -> table rows with the heading in force.

One pass over the lines keeps the open table and the headings. Tabbed lines are headers
(``text_headers``), bands/headings, or data; a data line with a provision id starts a row,
id-less lines wait as *pending* until the next id decides which row they continue
(``text_continuation``). Near-duplicate OCR readings are merged (``text_duplicates``).
Lines without TABs are fused web-copy rows (``fused``), headings, or prose that ends the
table. Tables that look like no self-assessment are set aside and counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.extract.text.columns import TableColumns, fit_fields
from pipeline.extract.text.continuation import pending_split, starts_idless_row
from pipeline.extract.text.duplicates import is_near_duplicate, merge_readings
from pipeline.extract.text.fused import (
    DEFAULT_FUSED_ROLES,
    FUSED_ID,
    split_fused_header,
    split_fused_row,
)
from pipeline.extract.text.headers import (
    band_text,
    fields_to_header_layout,
    is_heading_debris,
    merge_header,
)
from pipeline.extract.text.headings import HeadingLevels
from pipeline.extract.text.labels import (
    goes_back,
    heading_kind,
    is_bare_number,
    is_rule,
    provision_id,
)
from pipeline.extract.text.line import TextLine
from pipeline.extract.text.reference_words import Vocabulary
from pipeline.extract.text.table import RowBuilder, TableState
from pipeline.layout import Layout, header_layout
from pipeline.records import Row
from pipeline.vocabulary import is_assessment_table


class _Reader:
    """Walks the lines once, keeping the heading in force and the open table."""

    def __init__(self, lines: Sequence[TextLine]) -> None:
        self.lines = lines
        self.vocab = Vocabulary(lines)
        self.headings = HeadingLevels()
        self.heading_since_table = False
        # The header row repeated with no heading before it: a page break, unless the ids
        # start again (see ``restart``).
        self.repeat_header = False
        self.force_gap = False
        self.last_id: str | None = None
        self.table: TableState | None = None
        self.last_header: tuple[str, ...] = ()
        self.tables = 0
        self.set_aside = 0
        self.rows: list[Row] = []

    def heading(self, kind: str, text: str) -> None:
        self.headings.set(kind, text)
        self.heading_since_table = True
        self.repeat_header = False

    # -- tables -----------------------------------------------------------------------
    def open_table(self, header: tuple[str, ...], layout: Layout | None, width: int) -> None:
        self.close_table()
        if not self.heading_since_table and self.tables:
            # A new table with no heading of its own: the sub-heading above the previous
            # table (e.g. a "must" heading when the "should" heading is missing) is unknown.
            self.headings.forget_below_section()
        self.heading_since_table = False
        cols = TableColumns.from_layout(layout, width)
        self.table = TableState(self.tables, header, cols, layout)
        self.tables += 1
        if header:
            self.last_header = header

    def close_table(self) -> None:
        table = self.table
        if table is None:
            return
        self.finish_pending(table)
        if table.current is not None:
            table.rows.append(table.current)
            table.current = None
        self.table = None
        if not table.rows:
            return
        if not _is_assessment(table):
            self.set_aside += 1
            return
        for index, row in enumerate(table.rows):
            self.rows.append(
                Row(
                    page=None,
                    table_index=table.index,
                    row_index=index,
                    cells=row.cells(),
                    header=table.header,
                    section=row.section,
                    stitched=row.stitched,
                )
            )

    # -- rows -------------------------------------------------------------------------
    def finish_pending(self, table: TableState) -> None:
        """Lines left before a table ends continue the current row (or make one)."""
        if not table.pending:
            return
        if table.current is None:
            table.current = RowBuilder.start(table.pending, table.cols.width, self.section())
        else:
            for line in table.pending:
                table.current.add(line, table.cols.id)
        table.pending.clear()

    def section(self) -> str | None:
        return self.headings.section()

    def add_data(self, line: TextLine) -> None:
        table = self.table
        if table is None:
            width = len(line.fields)
            layout = header_layout(self.last_header) if len(self.last_header) == width else None
            self.open_table(self.last_header if layout else (), layout, width)
            table = self.table
            assert table is not None
        cols = table.cols
        gap = line.gap_before or self.force_gap
        self.force_gap = False
        line = TextLine(line.number, fit_fields(line.fields, cols), True, gap)
        has_id = cols.id is not None and provision_id(line.fields[cols.id]) is not None
        if has_id and table.current is not None and cols.id is not None:
            # The label printed again on the row's next line is not a new row.
            has_id = line.fields[cols.id] != table.current.cell(cols.id)
        if table.pending and is_near_duplicate(table.pending[-1], line, cols):
            line = merge_readings(table.pending.pop(), line, cols, self.vocab)
        if cols.id is None:
            self.add_idless(table, line)
            return
        if has_id and self.repeat_header:
            table = self.restart(table, line.fields[cols.id])
        if not has_id:
            if table.current is None and not table.pending and not line.fields[cols.requirement]:
                return  # debris before the first row
            table.pending.append(line)
            return
        s = pending_split(table, line, self.vocab)
        if table.current is not None:
            for extra in table.pending[:s]:
                table.current.add(extra, cols.id)
            table.rows.append(table.current)
        table.current = RowBuilder.start([*table.pending[s:], line], cols.width, self.section())
        self.last_id = line.fields[cols.id]
        table.pending.clear()

    def restart(self, table: TableState, first_id: str) -> TableState:
        """At the first id after a repeated header: ids that go on mean the same table
        continues on a new page; ids that go back (1.9 -> 1.4) mean a new table whose
        heading is missing (the "should" table after the "must" one)."""
        self.repeat_header = False
        if not goes_back(self.last_id, first_id):
            return table
        carried = list(table.pending)
        table.pending.clear()
        self.open_table(table.header, table.layout, table.cols.width)  # resets sub-headings
        assert self.table is not None
        self.table.pending.extend(carried)
        return self.table

    def add_idless(self, table: TableState, line: TextLine) -> None:
        """Forms without ids (one row per line): see :func:`starts_idless_row`."""
        if table.current is None or starts_idless_row(line, table.cols):
            if table.current is not None:
                table.rows.append(table.current)
            table.current = RowBuilder.start([line], table.cols.width, self.section())
        else:
            table.current.add(line, None)

    # -- lines ------------------------------------------------------------------------
    def run(self) -> None:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            index += 1
            if is_rule(line.fields):
                continue
            if not line.tabbed:
                self.plain(line)
                continue
            width = self.table.cols.width if self.table else len(line.fields)
            if is_heading_debris(line, width):
                continue
            layout = fields_to_header_layout(line.fields)
            if layout is not None:
                header, used = merge_header(self.lines, index - 1, line.fields)
                index += used - 1
                self.header(header, header_layout(header) or layout)
                continue
            text = band_text(line, self.table is not None)
            if text is not None:
                self.heading(heading_kind(text) or "section", text)
                if self.table is not None and self.table.current is not None:
                    self.finish_pending(self.table)
                continue
            self.add_data(line)
        self.close_table()

    def header(self, header: tuple[str, ...], layout: Layout) -> None:
        """A header line: a repeat of the open table's header (a page break), or a new
        table (its first cell may be a 2020-form section number: "2 | Accessibility")."""
        table = self.table
        if table is not None and header == table.header and not self.heading_since_table:
            # Lines above a repeated header belong to the row above it.
            self.finish_pending(table)
            self.repeat_header = self.force_gap = True
            return
        if is_bare_number(header[0]) and header[1]:
            self.heading("section", f"{header[0]} {header[1]}")
        self.open_table(header, layout, len(header))

    def plain(self, line: TextLine) -> None:
        """A line without TABs: a fused header or row, a heading, or prose."""
        text = line.fields[0]
        if FUSED_ID.match(text):
            roles = self.table.layout.roles if self.table and self.table.layout else None
            cells = split_fused_row(text, roles or DEFAULT_FUSED_ROLES)
            if cells is not None:
                if self.table is None:
                    layout = Layout(roles or DEFAULT_FUSED_ROLES)
                    self.open_table((), layout, len(layout.roles))
                self.add_data(TextLine(line.number, cells, True, line.gap_before))
                return
        parts = split_fused_header(text)
        header = fields_to_header_layout(parts) if len(parts) >= 3 else None
        if header is not None:
            self.open_table(parts, header, len(parts))
            return
        kind = heading_kind(text)
        self.close_table()
        if kind is not None:
            self.heading(kind, text)


def _is_assessment(table: TableState) -> bool:
    """A self-assessment table has a recognised header, or provision ids or answers."""
    cells = [tuple(row.cells()) for row in table.rows]
    return is_assessment_table((), cells, has_layout=False) or table.layout is not None


def lines_to_rows(lines: Sequence[TextLine]) -> tuple[tuple[Row, ...], int]:
    """Assemble table rows from logical lines.

    Args:
        lines: from :func:`pipeline.extract.text.lines.text_to_lines`.

    Returns:
        (rows in document order, number of tables set aside as not self-assessment).
    """
    reader = _Reader(lines)
    reader.run()
    return tuple(reader.rows), reader.set_aside
