"""HTML reader: web page -> Extraction (table rows, or stacked label/value blocks).

BeautifulSoup (lxml parser) builds the tree; the body is walked in document order.
Headings (h1-h6, short bold paragraphs, "Section N"/"Stage N" lines, table captions)
set Row.section; tables go through the logic shared with the DOCX reader
(docx_html_tables); lines outside tables feed the stacked-block reader
(docx_html_stacked). Inside cells, <br>, lists and links are flattened to readable text.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import Comment, Doctype, NavigableString, Tag
from bs4 import ProcessingInstruction as Pi

from pipeline.errors import CorruptFileError
from pipeline.extract import limits
from pipeline.extract.anchors import complete_rows
from pipeline.extract.markup.headings import (
    LEVEL_OTHER,
    Headings,
    heading_level,
    looks_like_heading_text,
)
from pipeline.extract.markup.stacked import (
    StackedReader,
    is_bare_id,
    key_value_lines,
    label_line,
)
from pipeline.extract.markup.tables import (
    RawCell,
    RawRow,
    RawTable,
    collect_table,
    grid_texts,
)
from pipeline.records import Extraction, PageText, Row
from pipeline.textnorm import clean_cell
from pipeline.vocabulary import TICKED, UNTICKED

TITLE_LINES = 15
_SKIP = {"script", "style", "noscript", "template", "head", "del", "s", "strike", "button"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# Site chrome around the content: navigation menus and page footers.
_CHROME = {"nav", "footer"}
_FORM_VALUES = {"input", "select"}
_TABLE_ROLES = {"table", "grid", "treegrid"}
_CELL_ROLES = {"cell", "gridcell", "columnheader", "rowheader"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BOLD = {"b", "strong"}
_SPACE = re.compile(r"\s+")


def read_html(path: Path) -> Extraction:
    """Read an HTML self-assessment into rows with provenance.

    Args:
        path: the .html/.htm file.

    Returns:
        Extraction with one Row per table data row or stacked block (page None),
        the heading in force as Row.section, the page title and first lines as
        title_lines, and the number of non-assessment tables set aside.

    Raises:
        CorruptFileError: the file cannot be read.
    """
    try:
        limits.check_text_file(path)
        data = path.read_bytes()
    except OSError as err:
        raise CorruptFileError(
            f"{path}: cannot be read ({err.strerror}).", "Check the file's permissions."
        ) from err
    with warnings.catch_warnings():
        # bs4 warns about markup that looks like a file name or XML; neither matters here.
        warnings.simplefilter("ignore")
        soup = limits.html_soup(data)
    walker = _Walker()
    title = soup.find("title")
    if isinstance(title, Tag) and clean_cell(title.get_text()):
        walker.title_lines.append(clean_cell(title.get_text()))
    root = soup.body if soup.body is not None else soup
    walker.container(root)
    walker.flush_stacked()
    blocks = (PageText(page=None, text=element_text(root)),)
    return Extraction(
        path=str(path),
        format="html",
        pages=None,
        rows=complete_rows(walker.rows, blocks),
        title_lines=tuple(walker.title_lines[:TITLE_LINES]),
        notes=limits.html_notes(soup),
        tables_set_aside=walker.set_aside,
        text=blocks,
    )


def element_text(node: Tag | NavigableString) -> str:
    """Readable text of an element: <br> and block ends become newlines, source
    whitespace collapses, checkboxes become ☒/☐, list items keep their own lines."""
    out: list[str] = []
    _collect(node, out)
    return "".join(out)


def _collect(node: Tag | NavigableString, out: list[str]) -> None:
    if isinstance(node, (Comment, Doctype, Pi)):
        return
    if isinstance(node, NavigableString):
        out.append(_SPACE.sub(" ", str(node)))
        return
    name = node.name.lower()
    if name in _SKIP and not _is_toggle(node):
        return
    if name in _FORM_VALUES:
        out.append(f" {_form_value(node)} ")
        return
    if name == "br":
        out.append("\n")
        return
    if name == "img":
        # An icon that is the content ("<img src=tick.svg alt=Yes>" as the answer).
        out.append(f" {_SPACE.sub(' ', str(node.get('alt', '')))} ")
        return
    block = name in _BLOCK
    if block:
        out.append("\n")
    for child in node.children:
        if isinstance(child, (Tag, NavigableString)):
            _collect(child, out)
    if block:
        out.append(" \n" if name in ("td", "th") else "\n")


def _is_toggle(node: Tag) -> bool:
    """A <button> that opens a collapsed part of the page: its label is the title of
    that part (accordion section headings); other buttons ("Accept cookies") are not."""
    return node.name == "button" and any(
        node.has_attr(a)
        for a in ("aria-expanded", "aria-controls", "data-toggle", "data-bs-toggle")
    )


def _form_value(node: Tag) -> str:
    """What a saved web form shows in a control: the ticked box, the typed value, the
    selected option ("" when nothing is selected)."""
    if node.name == "select":
        chosen = [o for o in node.find_all("option") if o.has_attr("selected")]
        return " / ".join(clean_cell(o.get_text()) for o in chosen)
    kind = str(node.get("type", "text")).lower()
    if kind in ("checkbox", "radio"):
        return TICKED if node.has_attr("checked") else UNTICKED
    if kind in ("text", "search", "number", "date"):
        return str(node.get("value", ""))
    return ""


def _in_page_link(node: object) -> bool:
    return isinstance(node, Tag) and node.name == "a" and str(node.get("href", "")).startswith("#")


def _has_block(tag: Tag) -> bool:
    return any(isinstance(d, Tag) and d.name in _BLOCK for d in tag.descendants)


def _label_colon(tag: Tag) -> str:
    """Text of a leaf block; a leading bold label without a colon gets one
    ("<b>Compliance</b> Yes" -> "Compliance: Yes") so the stacked reader sees a label."""
    text = element_text(tag)
    first = next(
        (c for c in tag.children if not (isinstance(c, NavigableString) and not c.strip())), None
    )
    if not isinstance(first, Tag) or first.name not in _BOLD:
        return text
    label = clean_cell(element_text(first))
    line = label_line(label, clean_cell(text).removeprefix(label))
    return text if line is None else line


def _all_bold(tag: Tag) -> bool:
    text = clean_cell(element_text(tag))
    bold = " ".join(clean_cell(element_text(b)) for b in tag.find_all(_BOLD))
    return bool(text) and clean_cell(bold) == text


@dataclass
class _Walker:
    """Walks the tree in document order, collecting rows, titles and set-aside tables."""

    rows: list[Row] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    headings: Headings = field(default_factory=Headings)
    stacked: StackedReader = field(default_factory=StackedReader)
    set_aside: int = 0
    table_count: int = 0
    last_header: tuple[str, ...] = ()

    def container(self, tag: Tag) -> None:
        """A block that holds other blocks: loose inline runs become lines.

        A stacked block that starts inside this container ends with it.
        """
        blocks_before = len(self.stacked.blocks)
        inline: list[Tag | NavigableString] = []
        for child in tag.children:
            if isinstance(child, Tag) and (child.name in _BLOCK or _has_block(child)):
                self.inline_run(inline)
                inline = []
                self.block(child)
            elif _in_page_link(child):
                continue  # "Skip to main content", "Back to top"
            elif isinstance(child, (Tag, NavigableString)) and not isinstance(
                child, (Comment, Doctype, Pi)
            ):
                inline.append(child)
        self.inline_run(inline)
        if len(self.stacked.blocks) > blocks_before:
            self.stacked.close()

    def inline_run(self, nodes: list[Tag | NavigableString]) -> None:
        text = "".join(element_text(n) for n in nodes)
        bold = all(
            (isinstance(n, Tag) and n.name in _BOLD) or not clean_cell(element_text(n))
            for n in nodes
        )
        self.lines(text, bold=bold)

    def block(self, tag: Tag) -> None:
        name = tag.name.lower()
        if (name in _SKIP and not _is_toggle(tag)) or name in _CHROME:
            return
        if name == "table" or _aria_role(tag) in _TABLE_ROLES:
            self.table(tag)
        elif name == "dl" and self.definition_list(tag):
            return
        elif name in _HEADINGS:
            self.heading(clean_cell(element_text(tag)), _HEADINGS[name])
        elif _has_block(tag):
            self.container(tag)
        elif not _only_in_page_links(tag):  # "Back to top" after each provision
            self.lines(_label_colon(tag), bold=_all_bold(tag))

    def heading(self, text: str, level: int | None) -> None:
        if not text:
            return
        self.title(text)
        if self.stacked.feed(text, self.headings.joined(), heading=True):
            return
        self.stacked.close()
        self.headings = self.headings.push(text, heading_level(text, level))

    def lines(self, text: str, *, bold: bool) -> None:
        parts = [clean_cell(p) for p in text.split("\n")]
        parts = [p for p in parts if p]
        single = len(parts) == 1
        for part in parts:
            self.title(part)
            if self.stacked.feed(part, self.headings.joined()):
                continue
            if single and is_bare_id(part):
                # An id alone in its block ("<div class=card-header>1.2</div>") heads
                # the provision's lines below it, as "<h3>1.2</h3>" does.
                self.heading(part, LEVEL_OTHER)
                continue
            if single and len(part) <= 120 and (bold or looks_like_heading_text(part)):
                if bold and part.endswith((".", ",", ";")):
                    continue
                self.heading(part, None if not bold else LEVEL_OTHER)

    def title(self, text: str) -> None:
        if len(self.title_lines) < TITLE_LINES:
            self.title_lines.append(text)

    def table(self, tag: Tag) -> None:
        raw = _raw_table(tag)
        wrapped = _wrapped_cells(tag, raw)
        if wrapped is not None:  # a layout table around the real content
            for cell in wrapped:
                self.container(cell)
            return
        lines = key_value_lines(grid_texts(raw))
        if lines is not None:  # one provision as a label | value table
            self.stacked.close()
            for line in lines:
                self.stacked.feed(line, self.headings.joined())
            self.stacked.close()
            return
        self.flush_stacked()
        collect_table(self, raw, self.headings)

    def definition_list(self, tag: Tag) -> bool:
        """A <dl> of label/value pairs fed to the stacked reader; False when it is not
        part of a stacked block (a glossary), so it is read as ordinary lines."""
        pairs = _definition_pairs(tag)
        if not pairs:
            return False
        for label, value in pairs:
            self.title(label)
            if value:
                self.title(value)
        return self.stacked.feed_pairs(pairs, self.headings.joined())

    def flush_stacked(self) -> None:
        """A run of stacked blocks (ended by a table or the end) forms one synthetic table."""
        if self.stacked.blocks:
            self.rows.extend(self.stacked.rows(self.table_count))
            self.table_count += 1
        self.stacked = StackedReader()


def _definition_pairs(dl: Tag) -> list[tuple[str, str]]:
    """(label, value) pairs of a <dl>: the <dt> markup makes the label, whatever its
    wording; several <dt> before one <dd> share it ("Evidence / Commentary"), and a
    <dd> without its own <dt> is a further paragraph of the value above ("", value)."""
    pairs: list[tuple[str, str]] = []
    labels: list[str] = []
    for item in dl.find_all(["dt", "dd"]):
        if item.find_parent("dl") is not dl:
            continue  # a nested list belongs to its own <dd>
        text = clean_cell(element_text(item))
        if item.name == "dt":
            labels.append(text)
            continue
        pairs.append((" / ".join(t for t in labels if t), text))
        labels = []
    pairs.extend((label, "") for label in labels if label)
    return pairs


def _aria_role(tag: Tag) -> str:
    return str(tag.get("role", "")).strip().lower()


def _only_in_page_links(tag: Tag) -> bool:
    parts = [c for c in tag.children if not (isinstance(c, NavigableString) and not c.strip())]
    return bool(parts) and all(_in_page_link(c) for c in parts)


def _own_rows(table: Tag) -> list[Tag]:
    """Rows of this table, not of tables nested in it. A table may also be built from
    elements with ARIA roles (``<div role="table">``/``"row"``/``"cell"``), as some CMS
    responsive-table components write it."""
    if table.name == "table":
        return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    return [
        row
        for row in table.find_all(attrs={"role": "row"})
        if row.find_parent(attrs={"role": list(_TABLE_ROLES)}) is table
    ]


def _row_cells(row: Tag) -> list[Tag]:
    """The cells of one row (``<td>``/``<th>``, or elements with an ARIA cell role)."""
    if row.name == "tr":
        return list(row.find_all(["td", "th"], recursive=False))
    return [
        cell
        for cell in row.find_all(attrs={"role": list(_CELL_ROLES)})
        if cell.find_parent(attrs={"role": "row"}) is row
    ]


def _is_header_cell(cell: Tag) -> bool:
    return cell.name == "th" or _aria_role(cell) in ("columnheader", "rowheader")


def _wrapped_cells(table: Tag, raw: RawTable) -> list[Tag] | None:
    """Cells of a one-row or one-column table that holds another table, else None."""
    trs = _own_rows(table)
    cells = [_row_cells(tr) for tr in trs]
    if not any(c.find("table") is not None for row in cells for c in row):
        return None
    if len(trs) > 1 and max((len(r.cells) for r in raw.rows), default=0) > 1:
        return None
    return [c for row in cells for c in row]


def _span(cell: Tag, attr: str) -> int:
    value = str(cell.get(attr, "1")).strip()
    return max(1, min(int(value), 100)) if value.isdigit() else 1


def _raw_table(table: Tag) -> RawTable:
    """Logical cells with grid positions; rowspan-covered positions flagged continued."""
    covered: dict[tuple[int, int], bool] = {}
    rows: list[RawRow] = []
    column_names: dict[int, str] = {}  # grid column -> header text, for in-cell labels
    for r, tr in enumerate(_own_rows(table)):
        cells: list[RawCell] = []
        col = 0
        tds = _row_cells(tr)
        in_head = tr.find_parent("thead") is not None
        all_th = bool(tds) and all(_is_header_cell(td) for td in tds)
        for td in tds:
            while covered.pop((r, col), False):
                cells.append(RawCell("", col, 1, continued=True))
                col += 1
            colspan, rowspan = _span(td, "colspan"), _span(td, "rowspan")
            if in_head or all_th:
                column_names[col] = clean_cell(element_text(td))
                text = element_text(td)
            else:
                text = _cell_text(td, {str(td.get("data-label", "")), column_names.get(col, "")})
            cells.append(RawCell(text, col, colspan))
            for below in range(1, rowspan):
                for c in range(col, col + colspan):
                    covered[(r + below, c)] = True
            col += colspan
        while covered.pop((r, col), False):
            cells.append(RawCell("", col, 1, continued=True))
            col += 1
        rows.append(RawRow(tuple(cells), marked_header=in_head or all_th))
    caption = table.find("caption")
    caption_text = clean_cell(element_text(caption)) if isinstance(caption, Tag) else ""
    return RawTable(tuple(rows), caption=caption_text)


def _cell_text(td: Tag, names: set[str]) -> str:
    """Text of a data cell without the column name a site repeats inside it.

    Responsive-table plugins and themes print the column name before each value so that
    the table still reads when stacked on a phone (``<td><b class="tablesaw-cell-label">
    Evidence</b> ...</td>``, ``<span class="visually-hidden">Compliant:</span> Yes``).
    A first child element whose text is the column's header or ``data-label`` is dropped
    when the cell has more text after it or the element is marked as a label or hidden,
    so that a cell holding only a bold answer that happens to equal its header stays.
    """
    wanted = {_label_key(n) for n in names} - {""}
    children = [
        c
        for c in td.children
        if isinstance(c, (Tag, NavigableString))
        and not isinstance(c, (Comment, Doctype, Pi))
        and not (isinstance(c, NavigableString) and not c.strip())
    ]
    first = children[0] if children else None
    if not wanted or not isinstance(first, Tag) or _label_key(element_text(first)) not in wanted:
        return element_text(td)
    rest = "".join(element_text(c) for c in children[1:])
    marked = " ".join(str(c) for c in first.get_attribute_list("class")).lower()
    hidden = str(first.get("aria-hidden", "")).lower() == "true"
    if not clean_cell(rest) and "label" not in marked and "hidden" not in marked and not hidden:
        return element_text(td)
    return f"\n{rest} \n"


def _label_key(text: str) -> str:
    return clean_cell(text).rstrip(":").strip().lower()
