"""Follow a table past the pre-filter: parse the pages a self-assessment table runs on to.

The pre-filter (pdf_prefilter) picks pages by their words. A page that holds only the
continuation of one long cell (a portrait Word form with long evidence or commentary)
has none of the form's words, no ids and no answers, so it scores like prose; every
page after it used to go unread. The page's layout tells what its words cannot: after
a chosen page is table-parsed, a table that runs to the foot of the page (nothing but
page furniture below it) may go on, so the next page is parsed too, and we keep going
while each next page carries on that table (a table in the same columns, or after a
borderless table, lines inside one of its columns). Following stops at a page that is
prose or holds a different table, so the prose pages of a long annual report are
still skipped.

Hand-written (no library decides which pages of a PDF continue a table); the column
test is the one pdf_stitch uses to join table pieces across a page break.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from pipeline.extract.pdf.page import PageContent, PageTable, TextLine

# Share of the page height at the foot where running footers and page numbers sit.
_FOOT = 0.1
# Column left edges closer than this (points) are the same column (as in pdf_stitch).
_COLUMN_TOLERANCE = 12.0
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.I)


def open_table(page: PageContent) -> PageTable | None:
    """The table that may go on over the page break, if any.

    Args:
        page: a table-parsed page.

    Returns:
        The page's lowest table when nothing but page furniture (lines in the foot
        margin, page numbers) follows it; None when the page ends in text or has no
        table.
    """
    if not page.tables:
        return None
    last = max(page.tables, key=lambda t: t.bottom)
    foot = (1 - _FOOT) * page.height
    for line in page.lines:
        if last.bottom < line.top < foot and not _PAGE_NUMBER.match(line.text.strip()):
            return None
    return last


def aligned_columns(previous: Sequence[float], columns: Sequence[float], subset: bool) -> bool:
    """True when ``columns`` are the columns of ``previous`` (left edges, points).

    The same columns; with ``subset`` (a borderless continuation, whose empty columns
    leave no text gutter to find), also at least two columns each at a column of
    ``previous``.
    """
    if len(columns) == len(previous):
        return all(abs(x - y) <= _COLUMN_TOLERANCE for x, y in zip(previous, columns, strict=True))
    return (
        subset
        and 2 <= len(columns) < len(previous)
        and all(any(abs(x - y) <= _COLUMN_TOLERANCE for y in previous) for x in columns)
    )


def column_lines(
    columns: Sequence[float], lines: Sequence[TextLine]
) -> tuple[int, tuple[TextLine, ...]] | None:
    """The leading lines of a page that sit inside one column of a borderless table.

    A long cell of a borderless table continued over a page break leaves lines of text
    in one column only: no gutter, so no table is found there (pdf_borderless needs two
    columns), yet they are the rest of the cell.

    Args:
        columns: left edges of the open table's columns (points).
        lines: the page's text lines above its first table, top to bottom, without
            page furniture.

    Returns:
        The column index and its lines, the longest such run from the top; None when
        the first line is a heading, spans columns, or sits in the first column (ids
        are short: text there is a heading or prose, not a continuation).
    """
    column: int | None = None
    run: list[TextLine] = []
    for line in lines:
        holder = _column_holding(columns, line)
        if holder is None or line.heading or (column is not None and holder != column):
            break
        column = holder
        run.append(line)
    return (column, tuple(run)) if column is not None and column >= 1 else None


def _column_holding(columns: Sequence[float], line: TextLine) -> int | None:
    for index, left in enumerate(columns):
        right = columns[index + 1] if index + 1 < len(columns) else float("inf")
        if left - _COLUMN_TOLERANCE <= line.x0 and line.x1 <= right + 2 and line.x1 > line.x0:
            return index
    return None


def _lead_lines(page: PageContent) -> list[TextLine]:
    """Text lines above the page's first table, page numbers and foot lines left out."""
    first = min((t.top for t in page.tables), default=float("inf"))
    foot = (1 - _FOOT) * page.height
    return [
        line
        for line in page.lines
        if line.top < min(first, foot) and not _PAGE_NUMBER.match(line.text.strip())
    ]


def continues_table(table: PageTable, page: PageContent) -> bool:
    """True when ``page`` carries on ``table``.

    It holds a table in the same columns (a ruled table must have all of them; see
    ``aligned_columns``), or, after a borderless table, it opens with lines inside one
    of its columns (see ``column_lines``).

    Args:
        table: the open table at the foot of the previous page.
        page: the next page, table-parsed.
    """
    if any(aligned_columns(table.columns, t.columns, subset=not t.ruled) for t in page.tables):
        return True
    return not table.ruled and column_lines(table.columns, _lead_lines(page)) is not None


def _still_open(table: PageTable, page: PageContent) -> PageTable | None:
    """The table open at the foot of ``page``, a page that continues ``table``."""
    if page.tables:
        return open_table(page)
    lead = _lead_lines(page)
    found = column_lines(table.columns, lead) if not table.ruled else None
    # A page holding nothing but the rest of one cell leaves the same table open.
    return table if found is not None and len(found[1]) == len(lead) else None


def follow_tables(
    chosen: Iterable[int], page_count: int, parse: Callable[[int], PageContent]
) -> tuple[PageContent, ...]:
    """Table-parse the chosen pages and every page their tables run on to.

    Args:
        chosen: 0-based pages picked by the pre-filter.
        page_count: pages in the document.
        parse: table-parses one 0-based page.

    Returns:
        The parsed pages in page order: the chosen ones, plus each page after a page
        ending in an open table (see ``open_table``), followed for as long as every
        next page continues the table (see ``continues_table``). The first page that
        does not continue it is parsed (that is how we know) and returned too.
    """
    wanted = set(chosen)
    parsed: dict[int, PageContent] = {}
    table: PageTable | None = None  # the table left open at the foot of the last page
    for index in range(page_count):
        if index not in wanted and table is None:
            continue
        page = parsed[index] = parse(index)
        if table is not None and continues_table(table, page):
            table = _still_open(table, page)
        elif index in wanted:
            table = open_table(page)
        else:
            table = None  # prose or a different table: stop following
    return tuple(parsed[i] for i in sorted(parsed))


def parsed_pages_note(parsed: Sequence[int], page_count: int) -> str | None:
    """A provenance note naming the pages that were table-parsed, when not all were.

    Args:
        parsed: 1-based numbers of the table-parsed pages.
        page_count: pages in the document.

    Returns:
        E.g. "table-parsed pages 14-29 of 30; the others were skipped as prose
        without a self-assessment table", or None when every page was parsed.
    """
    numbers = sorted(set(parsed))
    if len(numbers) == page_count:
        return None
    if not numbers:
        return (
            f"no page of {page_count} looks like a self-assessment form, so none was table-parsed"
        )
    spans: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        spans.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    pages = "page" if len(numbers) == 1 else "pages"
    return (
        f"table-parsed {pages} {', '.join(spans)} of {page_count}; the others were "
        "skipped as prose without a self-assessment table"
    )
