"""DOCX reader: Word document -> Extraction (table rows with headings in force).

python-docx opens the package and resolves styles; the body is then walked as XML
in document order (paragraphs, tables, block-level content controls), because
python-docx's table API repeats merged cells and loses text in content controls and
tracked insertions. Table logic shared with the HTML reader is in docx_html_tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from pipeline.errors import CorruptFileError, UnsupportedFormatError
from pipeline.extract import limits
from pipeline.extract.anchors import complete_rows
from pipeline.extract.markup.docx_styles import (
    ParagraphStyle,
    all_bold,
    bold_label_line,
    paragraph_style,
    paragraph_styles,
)
from pipeline.extract.markup.docx_text import W, element_text, w
from pipeline.extract.markup.headings import (
    LEVEL_OTHER,
    Headings,
    heading_level,
    looks_like_heading_text,
)
from pipeline.extract.markup.stacked import StackedReader, key_value_lines
from pipeline.extract.markup.tables import (
    RawCell,
    RawRow,
    RawTable,
    collect_table,
    grid_texts,
)
from pipeline.extract.sniff import ZIP_ERRORS
from pipeline.records import Extraction, PageText, Row
from pipeline.textnorm import clean_cell

TITLE_LINES = 15
_MAX_HEADING_CHARS = 120


def read_docx(path: Path) -> Extraction:
    """Read a Word (.docx) self-assessment into rows with provenance.

    Args:
        path: the .docx file.

    Returns:
        Extraction with one Row per table data row (page None), the heading in force
        as Row.section, the first paragraphs as title_lines, and the number of
        non-assessment tables set aside.

    Raises:
        CorruptFileError: the file is not a readable Word package (truncated, damaged).
        UnsupportedFormatError: a Word package of another kind (macro-enabled, template).
    """
    limits.check_docx(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, etree.XMLSyntaxError, *ZIP_ERRORS) as err:
        raise CorruptFileError(
            f"{path}: the Word document is corrupt or truncated and cannot be read ({err}).",
            "Re-save it from Word or download it again.",
        ) from err
    except ValueError as err:  # python-docx: a macro-enabled document or a template
        raise UnsupportedFormatError(
            f"{path}: a Word package that is not a plain document ({err}).",
            "Open it in Word and save it as a Word Document (.docx).",
        ) from err
    styles = paragraph_styles(document.styles.element)
    walker = _Walker(styles)
    walker.blocks(document.element.body, Headings())
    walker.flush_stacked()
    titles = [*_header_lines(document), *walker.title_lines][:TITLE_LINES]
    blocks = (PageText(page=None, text=body_text(document.element.body)),)
    return Extraction(
        path=str(path),
        format="docx",
        pages=None,
        rows=complete_rows(walker.rows, blocks),
        title_lines=tuple(titles),
        tables_set_aside=walker.set_aside,
        text=blocks,
    )


def body_text(body: etree._Element) -> str:
    """The document's text in reading order, one paragraph (or table cell paragraph) per
    line, for the reference-anchored reading."""
    return "\n".join(element_text(p).strip() for p in body.iter(w("p")) if not _in_deleted_row(p))


def _in_deleted_row(element: etree._Element) -> bool:
    """Inside a table row deleted with tracked changes (its cells are not the form)."""
    node = element.getparent()
    while node is not None:
        if node.tag == w("tr"):
            tr_pr = node.find(w("trPr"))
            if tr_pr is not None and tr_pr.find(w("del")) is not None:
                return True
        node = node.getparent()
    return False


def _header_lines(document: docx.document.Document) -> list[str]:
    """Non-empty lines of the first section's page header (often the landlord's name)."""
    lines: list[str] = []
    try:
        header = document.sections[0].header
        element = None if header.is_linked_to_previous else header.part.element
    except (IndexError, KeyError):  # no section, or a broken header part
        return lines
    if element is not None:
        lines = [clean_cell(t) for t in element_text(element).splitlines() if clean_cell(t)]
    return lines


@dataclass
class _Walker:
    """Walks the body in document order, collecting rows, titles and set-aside tables."""

    styles: dict[str, ParagraphStyle]
    rows: list[Row] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    set_aside: int = 0
    table_count: int = 0
    last_header: tuple[str, ...] = ()
    stacked: StackedReader = field(default_factory=StackedReader)

    def blocks(self, parent: etree._Element, headings: Headings) -> Headings:
        """Handle the paragraphs and tables under ``parent``; returns headings in force."""
        for child in parent:
            if child.tag == w("p"):
                headings = self.paragraph(child, headings)
            elif child.tag == w("tbl"):
                headings = self.table(child, headings)
            elif child.tag in (w("customXml"), w("ins")):
                headings = self.blocks(child, headings)
            elif child.tag == w("sdt"):  # block-level content control
                content = child.find(w("sdtContent"))
                headings = headings if content is None else self.blocks(content, headings)
        return headings

    def paragraph(self, p: etree._Element, headings: Headings) -> Headings:
        raw = element_text(p)
        text = clean_cell(raw)
        if not text:
            return headings
        if len(self.title_lines) < TITLE_LINES:
            self.title_lines.append(text)
        style = paragraph_style(p, self.styles)
        level = style.level
        short = len(text) <= _MAX_HEADING_CHARS
        if short and (level is not None or looks_like_heading_text(text)):
            if self.stacked.feed(text, headings.joined(), heading=True):
                return headings
            self.stacked.close()
            return headings.push(text, heading_level(text, level))
        lines = raw.splitlines()
        labelled = bold_label_line(p, style.bold)
        lines = [labelled] if labelled is not None else lines
        consumed = [self.stacked.feed(line, headings.joined()) for line in lines]
        if any(consumed):
            return headings
        if short and all_bold(p, style.bold) and not text.endswith((".", ",", ";")):
            self.stacked.close()
            return headings.push(text, heading_level(text, LEVEL_OTHER))
        return headings

    def table(self, tbl: etree._Element, headings: Headings) -> Headings:
        wrapped = _wrapped_content(tbl)
        if wrapped is not None:  # a layout table around the real content
            for cell in wrapped:
                headings = self.blocks(cell, headings)
            return headings
        raw = _raw_table(tbl)
        lines = key_value_lines(grid_texts(raw))
        if lines is not None:  # one provision as a label | value table
            self.stacked.close()
            for line in lines:
                self.stacked.feed(line, headings.joined())
            self.stacked.close()
            return headings
        self.flush_stacked()
        collect_table(self, raw, headings)
        return headings

    def flush_stacked(self) -> None:
        """A run of stacked blocks (ended by a table or the end) forms one synthetic table."""
        if self.stacked.blocks:
            self.rows.extend(self.stacked.rows(self.table_count))
            self.table_count += 1
        self.stacked = StackedReader()


def _cells(tr: etree._Element) -> list[etree._Element]:
    """The w:tc of a row, including those wrapped in content controls or customXml."""
    out: list[etree._Element] = []
    for child in tr:
        if child.tag == w("tc"):
            out.append(child)
        elif child.tag in (w("sdt"), w("customXml")):
            inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if inner is not None:
                out.extend(_cells(inner))
    return out


def _rows(tbl: etree._Element) -> list[etree._Element]:
    out: list[etree._Element] = []
    for child in tbl:
        if child.tag == w("tr"):
            out.append(child)
        elif child.tag in (w("sdt"), w("customXml")):
            inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if inner is not None:
                out.extend(_rows(inner))
    return out


def _wrapped_content(tbl: etree._Element) -> list[etree._Element] | None:
    """Cells of a one-row or one-column table that holds another table, else None."""
    rows = _rows(tbl)
    cells = [_cells(tr) for tr in rows]
    holds_table = any(c.find(f".//{w('tbl')}") is not None for row in cells for c in row)
    if not holds_table or (len(rows) > 1 and max(len(r) for r in cells) > 1):
        return None
    return [c for row in cells for c in row]


def _raw_table(tbl: etree._Element) -> RawTable:
    """Logical cells with grid positions; vMerge continuations flagged."""
    rows: list[RawRow] = []
    for tr in _rows(tbl):
        tr_pr = tr.find(w("trPr"))
        if tr_pr is not None and tr_pr.find(w("del")) is not None:
            continue  # a row deleted with tracked changes on
        before = tr_pr.find(w("gridBefore")) if tr_pr is not None else None
        col = _int(before.get(w("val"), "0"), 0) if before is not None else 0
        cells: list[RawCell] = []
        for tc in _cells(tr):
            span_el = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
            span = _int(span_el.get(w("val"), "1"), 1) if span_el is not None else 1
            vmerge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
            continued = vmerge is not None and vmerge.get(w("val"), "continue") == "continue"
            cells.append(RawCell(element_text(tc), col, max(span, 1), continued))
            col += max(span, 1)
        header = tr_pr is not None and _on_flag(tr_pr.find(w("tblHeader")))
        rows.append(RawRow(tuple(cells), marked_header=header))
    return RawTable(tuple(rows))


def _on_flag(element: etree._Element | None) -> bool:
    if element is None:
        return False
    return element.get(f"{{{W}}}val", "1").lower() not in ("0", "false", "off")


def _int(value: str, default: int) -> int:
    """A count attribute (gridSpan, gridBefore); the default when it is not a number."""
    return min(int(value), 64) if value.isdigit() else default
