"""Synthetic assessment -> form blocks (corpus ``model.Form``) for the table families.

The blocks go to the existing writers: ``rl_writer`` (reportlab PDF), ``docx_writer``
(Word, and through LibreOffice a PDF) and ``html_writer``. Sections are headed as the
style says (``Section 3: Title``, ``Section 3 - Title``, ``3. Title``, or band rows
inside one long table); 2022 forms may split each section into must and should
tables; one page per section puts a page break before each section; the annual
report wraps the form in the filler chapters of ``report.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

from .model import Answer, Band, Block, Cell, Form, Heading, Look, PageBreak, Para, Table, TableRow
from .report import report_parts
from .sector_content import MONTHS, Item
from .sector_landlords import Landlord
from .sector_layouts import WIDTHS, Style, answer_cell, offered_values, printed_fields, tick_cells
from .seeds import Seed

MUST = "Mandatory 'must' requirements"
SHOULD = "Best practice 'should' requirements"


def sections(items: tuple[Item, ...]) -> Iterator[tuple[int, str, list[int]]]:
    """(section number, title, item indexes) in print order."""
    current: list[int] = []
    for i, item in enumerate(items):
        if current and items[current[0]].provision.section_number != item.provision.section_number:
            first = items[current[0]].provision
            yield first.section_number, first.section_title, current
            current = []
        current.append(i)
    if current:
        first = items[current[0]].provision
        yield first.section_number, first.section_title, current


def section_heading(number: int, title: str, style: Style) -> str:
    """The heading text of one section in the document's style."""
    if style.headings == "dash":
        return f"Section {number} - {title}"
    if style.headings == "number":
        return f"{number}. {title}"
    return f"Section {number}: {title}"


def title_and_intro(landlord: Landlord, year: int, index: int) -> tuple[str, str]:
    """The form's title and opening paragraph."""
    titles = (
        f"{landlord.name} – Complaint Handling Code self-assessment {year}",
        f"Housing Ombudsman Complaint Handling Code: self-assessment {year - 1}/{year % 100:02d}",
        f"Complaint Handling Code self-assessment form – {landlord.name}",
    )
    month = MONTHS[(index * 7) % 12]
    intro = (
        f"This self-assessment sets out how {landlord.name} meets the Housing Ombudsman's "
        f"Complaint Handling Code. It was completed in {month} {year} and reported to our "
        "governing body, and it is published on our website for residents."
    )
    return titles[index % len(titles)], intro


def _cells(item: Item, answer: Answer, style: Style) -> tuple[Cell, ...]:
    fields = printed_fields(item, set(style.columns))
    ticks = tick_cells(item, style.columns)
    out: list[Cell] = []
    for role in style.columns:
        if role == "id":
            out.append(item.provision.provision_id)
        elif role == "requirement":
            out.append(item.provision.requirement_text)
        elif role == "answer":
            out.append(answer)
        elif role in ("evidence", "evidence_all"):
            out.append(fields["evidence"])
        elif role in ("commentary", "actions"):
            out.append(fields[role])
        else:
            out.append(ticks[role])
    return tuple(out)


def _widths(style: Style) -> tuple[float, ...]:
    return tuple(
        WIDTHS["tick" if c.startswith("tick:") else c.split("_")[0]] for c in style.columns
    )


def _groups(
    items: tuple[Item, ...], indexes: list[int], style: Style
) -> list[tuple[str, list[int]]]:
    """The section's rows, split into must and should groups when the style says so."""
    if not style.obligation_headings:
        return [("", indexes)]
    out = []
    for obligation, label in (("must", MUST), ("should", SHOULD)):
        part = [i for i in indexes if items[i].provision.obligation == obligation]
        if part:
            out.append((label, part))
    return out


def form_blocks(
    items: tuple[Item, ...], answers: tuple[Answer, ...], style: Style, title: str, intro: str
) -> list[Block]:
    """Title, intro and the form's tables with their headings."""
    blocks: list[Block] = [Heading(title, 0), Para(intro)]
    widths = _widths(style)

    def row(i: int) -> TableRow:
        return TableRow(i, _cells(items[i], answers[i], style))

    if style.headings == "bands":
        body: list[TableRow | Band] = []
        for number, name, indexes in sections(items):
            body.append(Band(section_heading(number, name, style)))
            for label, part in _groups(items, indexes, style):
                body += [Band(label)] if label else []
                body += [row(i) for i in part]
        return [*blocks, Table(style.header, tuple(body), widths)]
    for n, (number, name, indexes) in enumerate(sections(items)):
        if n and style.family == "page_per_section":
            blocks.append(PageBreak())
        blocks.append(Heading(section_heading(number, name, style), 1))
        for label, part in _groups(items, indexes, style):
            if label:
                blocks.append(Heading(label, 2))
            blocks.append(Table(style.header, tuple(row(i) for i in part), widths))
    return blocks


def make_answers(items: tuple[Item, ...], style: Style) -> tuple[Answer, ...]:
    """One answer cell per item (tick-column forms have none: an empty placeholder)."""
    offered = offered_values(items)
    return tuple(answer_cell(item, style, offered) for item in items)


def build_form(
    items: tuple[Item, ...],
    style: Style,
    landlord: Landlord,
    year: int,
    index: int,
) -> Form:
    """The whole document as a Form (annual reports wrap the form in chapters)."""
    answers = make_answers(items, style)
    title, intro = title_and_intro(landlord, year, index)
    blocks = form_blocks(items, answers, style, title, intro)
    footer = f"{landlord.name} – Complaint Handling Code self-assessment {year}"
    if style.family == "annual_report":
        seed = Seed(
            number=f"sector-{index}",
            file="",
            landlord=landlord.name,
            landlord_type=landlord.landlord_type,
            slug=landlord.slug,
            year=year,
            code_version=items[0].provision.code_version,
            intro_lines=(1, 1),
        )
        appendix = "Appendix A: Self-assessment against the Complaint Handling Code"
        front, back = report_parts(seed, appendix)
        blocks = [*front, PageBreak(), Heading(appendix, 1), *blocks[1:], *back]
        footer = f"{landlord.name} – Annual Complaints Report {year - 1}/{year % 100:02d}"
    look = Look(
        landscape=style.landscape,
        margin_cm=1.5 if style.landscape else 2.0,
        borders=style.family != "borderless",
        font_pt=style.font_pt,
        footer=footer,
    )
    return Form(
        title=title,
        author=f"{landlord.name} Complaints Team",
        blocks=tuple(blocks),
        look=look,
        answers=answers,
    )
