"""Form -> PDF with reportlab (platypus), the way web CMSs and report tools print forms.

Most generated PDFs are written here (far faster than Word -> LibreOffice);
``pdf.convert`` makes the LibreOffice sample. Tables either repeat their header row on
every page or let a tall row split across a page break (``splitInRow``, long evidence
cells continuing on the next page); reportlab cannot do both cleanly. ``rules`` picks
the ruling: a full grid, horizontal rules only, zebra row backgrounds without rules, or
none (borderless). Output is byte-identical for the same form (``invariant=1``).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RlTable

from .docx_writer import split_paragraphs
from .model import Answer, Band, Form, Heading, Para, Table, TableRow

Rules = Literal["grid", "horizontal", "zebra", "none"]
_PT_PER_CM = 72 / 2.54


@cache
def _unicode_font() -> tuple[str, str]:
    """DejaVu Sans (bundled with matplotlib, a dependency): it has ☐ ☒ ✓ and quotes."""
    import matplotlib

    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(base / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(base / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def _fonts(form: Form) -> tuple[str, str]:
    """Helvetica (no embedding, fastest) unless the form prints glyphs it lacks."""
    text = "".join(a.display for a in form.answers)
    if any(ord(c) > 0x2122 for c in text):
        return _unicode_font()
    return "Helvetica", "Helvetica-Bold"


class _Styles:
    def __init__(self, form: Form) -> None:
        regular, bold = _fonts(form)
        size = form.look.font_pt
        self.body = ParagraphStyle("body", fontName=regular, fontSize=size, leading=size * 1.22)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=bold)
        self.para = ParagraphStyle("para", fontName=regular, fontSize=10, leading=13, spaceAfter=6)
        self.headings = [
            ParagraphStyle(f"h{i}", fontName=bold, fontSize=s, leading=s * 1.25, spaceBefore=6,
                           spaceAfter=4)
            for i, s in enumerate((17, 13, 11, 10))
        ]  # fmt: skip
        self.regular = regular


def _cell(value: str | Answer, style: ParagraphStyle) -> list[Any] | str:
    text = value.display if isinstance(value, Answer) else value
    return [Paragraph(escape(p), style) for p in split_paragraphs(text) if p] or ""


def _table_style(rules: Rules, bands: list[int]) -> TableStyle:
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if rules == "grid":
        commands += [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9d9d9")),
        ]
    elif rules == "horizontal":
        commands += [
            ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey),
        ]
    elif rules == "zebra":
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#e8eef5")]),
        ]
    for row in bands:
        commands.append(("SPAN", (0, row), (-1, row)))
        if rules != "none":
            commands.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor("#f2f2f2")))
    return TableStyle(commands)


def _table(
    table: Table, styles: _Styles, width: float, rules: Rules, repeat_header: bool
) -> RlTable:
    header_style = styles.bold
    if rules == "zebra":
        header_style = ParagraphStyle("zh", parent=styles.bold, textColor=colors.white)
    data: list[list[Any]] = [[_cell(h, header_style) for h in table.header]]
    bands = []
    for row in table.rows:
        if isinstance(row, Band):
            bands.append(len(data))
            data.append([_cell(row.text, styles.bold)] + [""] * (len(table.header) - 1))
        else:
            assert isinstance(row, TableRow)
            data.append([_cell(c, styles.body) for c in row.cells])
    total = sum(table.widths)
    out = RlTable(
        data,
        colWidths=[width * w / total for w in table.widths],
        repeatRows=1 if repeat_header else 0,
        splitByRow=1,
        # reportlab splits a row over pages only without a repeated header: with both,
        # it draws the repeated header above the row's first part, mid-page.
        splitInRow=0 if repeat_header else 1,
    )
    out.setStyle(_table_style(rules, bands))
    return out


def _story(form: Form, styles: _Styles, width: float, rules: Rules, repeat: bool) -> list[Any]:
    story: list[Any] = []
    for block in form.blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(escape(block.text), styles.headings[min(block.level, 3)]))
        elif isinstance(block, Para):
            story.append(Paragraph(escape(block.text), styles.para))
        elif isinstance(block, Table):
            story += [_table(block, styles, width, rules, repeat), Spacer(1, 8)]
        else:
            story.append(PageBreak())
    return story


def form_to_pdf(form: Form, rules: Rules = "grid", *, repeat_header: bool = False) -> bytes:
    """Render a form as PDF bytes (see the module docstring).

    Args:
        form: the blocks and look (page orientation, margins, table width, font size,
            footer); ``look.borders`` False means no rules whatever ``rules`` says.
        rules: how tables are ruled.
        repeat_header: repeat each table's header row on every page; rows then move
            whole to the next page (otherwise a tall row splits across the break).
    """
    look = form.look
    size = landscape(A4) if look.landscape else A4
    margin = look.margin_cm * _PT_PER_CM
    styles = _Styles(form)
    rules = rules if look.borders else "none"
    frame_width = size[0] - 2 * margin

    def furniture(canvas: Any, doc: Any) -> None:
        if look.footer:
            canvas.saveState()
            canvas.setFont(styles.regular, 8)
            canvas.drawString(margin, margin / 2, f"{look.footer} – Page {doc.page}")
            canvas.restoreState()

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=form.title,
        author=form.author,
        creator="chc sector generator (reportlab)",
        invariant=1,
    )
    frame = Frame(margin, margin, frame_width, size[1] - 2 * margin, id="body")
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=furniture)])
    doc.build(_story(form, styles, frame_width * look.table_width, rules, repeat_header))
    return buffer.getvalue()
