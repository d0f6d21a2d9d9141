"""Form -> DOCX bytes with python-docx, deterministic (fixed dates, fixed zip entry times)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from .model import Answer, Band, Form, Heading, Look, PageBreak, Para, Table, TableRow

FIXED_TIME = datetime(2024, 1, 15, 9, 0, 0)
FONT = "Arial"
A4 = (11906, 16838)  # twips
_BULLET = re.compile(r"\s+(?=[•·]\s*[^\s•·])")


def split_paragraphs(text: str) -> list[str]:
    """Cell text -> paragraphs: every bullet starts a new paragraph, as in real forms.

    Joining the paragraphs with one space gives the text back exactly.
    """
    return _BULLET.split(text) if text else [""]


def _set_font(element: Any, size_pt: float | None = None, bold: bool = False) -> None:
    """Give a run or style rPr a fixed Arial font (theme fonts removed)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), str(round(size_pt * 2)))
    if bold and rpr.find(qn("w:b")) is None:
        rpr.append(OxmlElement("w:b"))


def _setup(doc: DocumentObject, look: Look) -> int:
    """Page size, margins, styles; returns the table width in twips."""
    section = doc.sections[0]
    width, height = A4
    if look.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Twips(width), Twips(height)
    margin = Twips(round(look.margin_cm * 567))
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    styles = doc.styles
    _set_font(styles["Normal"].element, 10)
    for name, size in (("Title", 18), ("Heading 1", 13), ("Heading 2", 11), ("Heading 3", 10)):
        style = styles[name]
        _set_font(style.element, size, bold=True)
        style.font.color.rgb = RGBColor(0, 0, 0)
    if look.footer:
        para = section.footer.paragraphs[0]
        para.add_run(f"{look.footer} – Page ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        para._p.append(field)
    return round((width - 2 * int(margin.twips)) * look.table_width)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _write_text(cell: _Cell, text: str, size: float, bold: bool = False) -> None:
    paragraphs = split_paragraphs(text)
    first = cell.paragraphs[0]
    for i, chunk in enumerate(paragraphs):
        para = first if i == 0 else cell.add_paragraph()
        para.paragraph_format.space_after = Pt(2)
        if chunk:
            run = para.add_run(chunk)
            run.font.size = Pt(size)
            run.bold = bold or None


def _checkbox_sdt(ticked: bool, size: float) -> Any:
    """A Word content-control checkbox (w14:checkbox inside w:sdt)."""
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    box = OxmlElement("w14:checkbox")
    checked = OxmlElement("w14:checked")
    checked.set(qn("w14:val"), "1" if ticked else "0")
    box.append(checked)
    for tag, code in (("w14:checkedState", "2612"), ("w14:uncheckedState", "2610")):
        state = OxmlElement(tag)
        state.set(qn("w14:val"), code)
        state.set(qn("w14:font"), "MS Gothic")
        box.append(state)
    pr.append(box)
    sdt.append(pr)
    content = OxmlElement("w:sdtContent")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:eastAsia", "w:hAnsi"):
        fonts.set(qn(attr), "MS Gothic")
    rpr.append(fonts)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(round(size * 2)))
    rpr.append(sz)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "☒" if ticked else "☐"
    run.append(text)
    content.append(run)
    sdt.append(content)
    return sdt


def _write_answer(cell: _Cell, answer: Answer, size: float) -> None:
    if answer.style != "sdt":
        _write_text(cell, answer.display, size)
        return
    para: Paragraph = cell.paragraphs[0]
    for i, (label, ticked) in enumerate(answer.boxes):
        run = para.add_run(f"{' ' if i else ''}{label} ")
        run.font.size = Pt(size)
        para._p.append(_checkbox_sdt(ticked, size))


def _no_borders(table_element: Any) -> None:
    pr = table_element.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:val"), "nil")
        borders.append(node)
    pr.append(borders)


def _add_table(doc: DocumentObject, table: Table, look: Look, width: int) -> None:
    widths = [round(width * w / sum(table.widths)) for w in table.widths]
    size = look.font_pt
    grid = doc.add_table(rows=0, cols=len(widths))
    if look.borders:
        grid.style = doc.styles["Table Grid"]
    else:
        _no_borders(grid._tbl)
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    for column, w in zip(grid.columns, widths, strict=True):
        column.width = Twips(w)

    def new_row() -> list[_Cell]:
        cells = grid.add_row().cells
        for cell, w in zip(cells, widths, strict=True):
            cell.width = Twips(w)
        return list(cells)

    header = new_row()
    header_tr = grid.rows[-1]._tr
    header_tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, label in zip(header, table.header, strict=True):
        _write_text(cell, label, size, bold=True)
        _shade(cell, "D9D9D9")
    for row in table.rows:
        cells = new_row()
        if isinstance(row, Band):
            merged = cells[0].merge(cells[-1])
            _write_text(merged, row.text, size, bold=True)
            _shade(merged, "F2F2F2")
            continue
        assert isinstance(row, TableRow)
        for cell, value in zip(cells, row.cells, strict=True):
            if isinstance(value, Answer):
                _write_answer(cell, value, size)
            else:
                _write_text(cell, value, size)
    doc.add_paragraph()


def _normalise_zip(data: bytes) -> bytes:
    """Re-zip with fixed entry times and attributes so that a rebuild is byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def form_to_docx(form: Form) -> bytes:
    """Render a form as DOCX bytes."""
    doc = Document()
    width = _setup(doc, form.look)
    for block in form.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, block.level)
        elif isinstance(block, Para):
            doc.add_paragraph(block.text)
        elif isinstance(block, PageBreak):
            doc.add_page_break()  # type: ignore[no-untyped-call]
        else:
            _add_table(doc, block, form.look, width)
    props = doc.core_properties
    props.title = form.title
    props.author = props.last_modified_by = form.author
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    props.comments = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return _normalise_zip(buffer.getvalue())
