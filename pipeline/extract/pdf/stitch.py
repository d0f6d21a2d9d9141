"""Page tables -> logical tables -> Rows: join tables continued over page breaks.

Steps, in order: drop page furniture (running headers, page numbers); walk pages top
to bottom keeping the headings in force; a table that opens a page with the same
columns as the table that closed the previous page, with no text between them, is
the same logical table: its repeated header row is dropped and its first row, when
it has an empty first cell or starts mid-sentence, is merged into the last row of
the previous page. After a borderless table, lines that open the next page inside
one of its columns (no gutter there, so no table was found) are the rest of a cell of
its last row and are joined to it. Finally tables that are not a self-assessment
(statistics, contents) are set aside.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline.extract.markup.checkbox import resolve_checkboxes
from pipeline.extract.pdf.follow import column_lines
from pipeline.extract.pdf.page import PageContent, PageRow, PageTable, TextLine
from pipeline.extract.pdf.words import ID, is_header_row, join_fragments
from pipeline.layout import header_layout
from pipeline.records import Row
from pipeline.vocabulary import is_assessment_table

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.I)
# "Page 3 of 12" inside a longer footer line ("Published 14 June 2024   Page 3 of 12").
_PAGE_OF = re.compile(r"\bpage\s*\d+\s*(?:of|/)\s*\d+\b", re.I)
_SECTION = re.compile(r"^(?:section|part|appendix)\s*[\dA-Z]+\b", re.I)
_STAGE = re.compile(r"^stage\s*(?:\d|one|two|three)\b", re.I)
_BAND = re.compile(r"\b(?:must|should|mandatory|best practice)\b", re.I)
# Columns of two pieces of a table closer than this (points) are the same columns.
_COLUMN_TOLERANCE = 12.0
_HEADING_MAX = 120
# Share of the page height at top and bottom where running headers/footers sit.
_MARGIN = 0.1
# Wingdings checkbox glyphs as PDF text gives them (private use area) -> ☒ / ☐.
_WINGDINGS = str.maketrans({"\uf0fd": "☒", "\uf0fe": "☒", "\uf0a8": "☐", "\uf06f": "☐"})


@dataclass(slots=True)
class _Logical:
    """A logical table being assembled (mutable while pages are walked)."""

    header: tuple[str, ...]
    columns: tuple[float, ...]
    rows: list[tuple[int, list[str], str | None, bool]] = field(default_factory=list)
    last_page: int = 0
    open_ends: tuple[bool, ...] = ()  # of the last row's cells, as read on its last page
    ruled: bool = True


@dataclass(frozen=True, slots=True)
class StitchResult:
    """Rows of the self-assessment tables and the count of tables set aside."""

    rows: tuple[Row, ...]
    tables_set_aside: int


def _furniture(pages: Sequence[PageContent]) -> set[str]:
    """Lines repeated in the top or bottom margin of several pages, digits masked.

    Running headers and footers; a heading repeated in the body of many pages
    ("Mandatory 'must' requirements") is not furniture.
    """
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        margins = [line for line in page.lines if _in_margin(line, page)]
        counts.update({re.sub(r"\d+", "#", line.text) for line in margins})
    # Two pages: a line in the margin of both, unless it reads as a heading ("Stage #");
    # more: of at least three and half of them.
    if len(pages) == 2:
        return {
            text
            for text, n in counts.items()
            if n == 2 and not (_SECTION.match(text) or _STAGE.match(text) or _BAND.search(text))
        }
    return {text for text, n in counts.items() if n >= max(3, len(pages) // 2)}


def _in_margin(line: TextLine, page: PageContent) -> bool:
    return line.top < _MARGIN * page.height or line.top > (1 - _MARGIN) * page.height


def _level(text: str) -> int:
    if _STAGE.match(text):
        return 3
    if _BAND.search(text) and not _SECTION.match(text):
        return 2
    return 1


def _is_heading(text: str, styled: bool) -> bool:
    if not text or len(text) > _HEADING_MAX:
        return False
    if _SECTION.match(text) or re.fullmatch(r"stage\s*(?:\d|one|two|three)", text, re.I):
        return True
    return styled and not text.endswith((".", ",", ";"))


def _is_band(row: PageRow) -> bool:
    filled = [c for c in row.cells if c]
    if not filled or row.cells[0] != filled[0] or any(ID.match(c) for c in filled):
        return False
    text = " ".join(filled)
    if len(filled) > 1:
        # A borderless band row cut at the column gutters ("Section 1:" | "Definition of
        # a complaint"): its cells are leading and the text opens with "Section n".
        leading = not any(row.cells[len(filled) :])
        return leading and len(text) <= 80 and bool(_SECTION.match(text))
    if len(text) > 80:
        return False
    return row.spans or bool(_BAND.search(text) or _STAGE.match(text) or _SECTION.match(text))


def _same_columns(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(
        abs(x - y) <= _COLUMN_TOLERANCE for x, y in zip(a, b, strict=True)
    )


def _widened(table: PageTable, columns: Sequence[float]) -> PageTable | None:
    """A headerless table set in the columns of ``columns`` less a few (a table's next page
    where a column is empty on every row, e.g. "Partial" and "No" of a Yes/Partial/No
    tick table, so no gutter marked it), its rows spread back over all of ``columns``;
    None when its columns are not such a subset."""
    if len(table.columns) >= len(columns):
        return None
    slots: list[int] = []
    for x in table.columns:
        found = [j for j, y in enumerate(columns) if abs(x - y) <= _COLUMN_TOLERANCE]
        if not found or (slots and found[0] <= slots[-1]):
            return None
        slots.append(found[0])

    def spread(row: PageRow) -> PageRow:
        cells = [""] * len(columns)
        ends = [False] * len(columns)
        for i, j in enumerate(slots):
            cells[j] = row.cells[i] if i < len(row.cells) else ""
            ends[j] = i < len(row.open_ends) and row.open_ends[i]
        return replace(row, cells=tuple(cells), open_ends=tuple(ends))

    return replace(table, columns=tuple(columns), rows=tuple(spread(r) for r in table.rows))


def _inherit_header(
    previous: _Logical | None, table: PageTable
) -> tuple[PageTable, tuple[str, ...]]:
    """A table printed without a header row in the columns of the table before it (the
    next section's table, the next page of the same one) takes that table's header; set
    in those columns less a few, it is first spread back over them (``_widened``)."""
    if previous is None or not previous.header or not table.rows:
        return table, ()
    if is_header_row(table.rows[0].cells):
        return table, ()
    if _same_columns(previous.columns, table.columns):
        return table, previous.header
    wide = _widened(table, previous.columns)
    return (wide, previous.header) if wide is not None else (table, ())


def _continues(prev: Sequence[str], cells: Sequence[str]) -> bool:
    """The first row on a new page is the rest of the previous page's last row."""
    if not any(cells[1:]) and not cells[0]:
        return False
    first = cells[0]
    if not first:
        return True
    return first[0].islower() or first[0] in ",;:)–-"


def _is_assessment(table: _Logical) -> bool:
    """A self-assessment table, as opposed to statistics or a contents list."""
    body = [tuple(cells) for _, cells, _, _ in table.rows]
    has_layout = bool(table.header) and header_layout(table.header) is not None
    return is_assessment_table(table.header, body, has_layout=has_layout)


def stitch_pages(pages: Sequence[PageContent]) -> StitchResult:
    """Join page tables into logical tables and turn the kept ones into Rows.

    Args:
        pages: parsed pages in page order (not necessarily consecutive numbers).

    Returns:
        Rows of the self-assessment tables in document order, and how many tables
        were set aside as not part of the self-assessment.
    """
    furniture = _furniture(pages)
    tables: list[_Logical] = []
    stack: list[tuple[int, str]] = []
    current: _Logical | None = None
    text_since_table = True
    last_heading: tuple[int, bool] = (0, False)  # (page, the last item was a heading)
    heading_top = 0.0

    def section() -> str | None:
        return " / ".join(text for _, text in stack) or None

    def push(text: str, wrapped: bool = False) -> None:
        level = _level(text)
        if wrapped and stack and stack[-1][0] == level:
            # The second line of a heading that wrapped ("...: Self-" / "assessment form").
            text = join_fragments(stack.pop()[1], text)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))

    def is_furniture(line: TextLine, page: PageContent) -> bool:
        text = line.text
        return (
            re.sub(r"\d+", "#", text) in furniture
            or bool(_PAGE_NUMBER.match(text))
            or (_in_margin(line, page) and bool(_PAGE_OF.search(text)))
        )

    for page in pages:
        if current is not None and page.page > current.last_page + 1:
            text_since_table = True  # a page was skipped by the pre-filter
        used: set[int] = set()
        if current is not None and not text_since_table and current.rows and not current.ruled:
            lines = [ln for ln in page.lines if not is_furniture(ln, page)]
            used = _carry_cell(current, page, lines)
        items: list[tuple[float, PageTable | TextLine]] = [(t.top, t) for t in page.tables]
        items += [(line.top, line) for line in page.lines if id(line) not in used]
        for _, item in sorted(items, key=lambda pair: pair[0]):
            if isinstance(item, TextLine):
                text = item.text
                if is_furniture(item, page):
                    continue
                text_since_table = True
                top = item.top
                if _is_heading(text, item.heading):
                    push(text, wrapped=last_heading == (page.page, True) and top - heading_top < 30)
                    heading_top = top
                    last_heading = (page.page, True)
                else:
                    last_heading = (page.page, False)
                continue
            last_heading = (page.page, False)
            item, inherited = _inherit_header(current, item)
            rows = list(item.rows)
            header: tuple[str, ...] = inherited
            if rows and is_header_row(rows[0].cells):
                header = rows.pop(0).cells
            joined = (
                current is not None
                and not text_since_table
                and (item.page > current.last_page or not current.rows)
                and _same_columns(current.columns, item.columns)
                and (not header or not current.header or _same_header(header, current.header))
            )
            if not joined or current is None:
                current = _Logical(header=header, columns=item.columns, ruled=item.ruled)
                tables.append(current)
            elif rows and current.rows and _continues(current.rows[-1][1], rows[0].cells):
                page_no, cells, sec, _ = current.rows[-1]
                opens = current.open_ends
                piece = rows.pop(0)
                extra = piece.cells
                width = max(len(cells), len(extra))
                merged = [
                    join_fragments(
                        cells[i] if i < len(cells) else "",
                        extra[i] if i < len(extra) else "",
                        i < len(opens) and opens[i],
                    )
                    for i in range(width)
                ]
                current.rows[-1] = (page_no, merged, sec, True)
                current.open_ends = piece.open_ends
            for row in rows:
                if _is_band(row):
                    push(" ".join(c for c in row.cells if c))
                    continue
                if is_header_row(row.cells):
                    if not current.header:
                        current.header = row.cells
                    continue
                current.rows.append((item.page, list(row.cells), section(), False))
                current.open_ends = row.open_ends
            current.last_page = item.page
            text_since_table = False
    return _rows(tables)


def _carry_cell(table: _Logical, page: PageContent, lines: Sequence[TextLine]) -> set[int]:
    """Join a page's leading lines to the last row when they are the rest of one of its
    cells (a borderless table's long cell over a page break; see
    ``pdf_follow.column_lines``). Returns the ``id``s of the lines used."""
    first = min((t.top for t in page.tables), default=float("inf"))
    found = column_lines(table.columns, [ln for ln in lines if ln.top < first])
    if found is None:
        return set()
    column, run = found
    page_no, cells, sec, _ = table.rows[-1]
    cells = [*cells, *[""] * (column + 1 - len(cells))]
    opens = table.open_ends
    text = cells[column]
    for i, line in enumerate(run):
        text = join_fragments(text, line.text, i == 0 and column < len(opens) and opens[column])
    cells[column] = text
    table.rows[-1] = (page_no, cells, sec, True)
    table.open_ends = ()
    if not page.tables:
        table.last_page = page.page  # the page holds nothing else: the table goes on
    return {id(line) for line in run}


def _same_header(a: Sequence[str], b: Sequence[str]) -> bool:
    # Spacing aside: a header cell wrapped differently on another page ("Co mply").
    return ["".join(c.split()).lower() for c in a] == ["".join(c.split()).lower() for c in b]


def _rows(tables: Sequence[_Logical]) -> StitchResult:
    out: list[Row] = []
    aside = 0
    index = 0
    for table in tables:
        if not _is_assessment(table):
            aside += 1
            continue
        for row_index, (page, cells, sec, stitched) in enumerate(table.rows):
            out.append(
                Row(
                    page=page,
                    table_index=index,
                    row_index=row_index,
                    cells=tuple(resolve_checkboxes(c.translate(_WINGDINGS)) for c in cells),
                    header=table.header,
                    section=sec,
                    stitched=stitched,
                )
            )
        index += 1
    return StitchResult(rows=tuple(out), tables_set_aside=aside)
