"""Synthetic assessments published without a table: label/value stacks, pipe tables,
web text with fused cells, one cell per paragraph; and web pages.

Text renderings are what a person gets copying a landlord's web page (site furniture
kept); label/value stacks are also written as HTML blocks and as a PDF made of
paragraphs (``form_to_pdf`` of heading and paragraph blocks).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from html import escape

from .html_writer import form_to_html
from .model import Answer, Block, Form, Heading, Look, Para
from .sector_content import Item
from .sector_forms import build_form, section_heading, sections, title_and_intro
from .sector_landlords import Landlord
from .sector_layouts import Style, printed_fields
from .text_writer import fused_text

_FURNITURE_TOP = ("Skip to main content", "Toggle menu", "Home > Housing > Complaints")
_FURNITURE_END = (
    "Share this page: Facebook X LinkedIn Email",
    "Was this page helpful? Yes No",
    "Last modified on 14 March 2025",
)


@dataclass(frozen=True, slots=True)
class Labels:
    """The labels of one label/value stack."""

    provision: str  # "Code provision {id}"
    requirement: str
    answer: str
    evidence: str
    commentary: str
    actions: str
    inline: bool  # "Compliance: Yes" on one line


def choose_labels(rng: random.Random) -> Labels:
    """One set of labels, with or without "?" and ":" as real pages vary."""
    colon = rng.choice(("", ":"))
    return Labels(
        provision=rng.choice(("Code provision {id}", "Provision {id}", "Code section {id}")),
        requirement=rng.choice(("Requirement", "Code requirement", "What the Code says")) + colon,
        answer=rng.choice(("Do we comply?", "Compliant", "Compliance", "Are we compliant?")),
        evidence=rng.choice(("Evidence", "How we comply", "Evidence")) + colon,
        commentary=rng.choice(("Commentary", "Comments", "Explanation")) + colon,
        actions=rng.choice(("Actions", "Action plan")) + colon,
        inline=rng.random() < 0.4,
    )


def _answer_word(answer: Answer) -> str:
    return answer.gold_raw


def stack_lines(item: Item, answer: Answer, labels: Labels) -> list[tuple[str, str]]:
    """(kind, text) lines of one provision's stack: kind "label", "value" or "title"."""
    fields = printed_fields(item, {"id", "answer", "evidence", "commentary", "actions"})
    lines = [("title", labels.provision.format(id=item.provision.provision_id))]
    lines += [("label", labels.requirement), ("value", item.provision.requirement_text)]
    word = _answer_word(answer)
    if labels.inline:
        lines.append(("label", f"Compliance: {word}".rstrip()))
    else:
        lines += [("label", labels.answer)] + ([("value", word)] if word else [])
    for key, label in (
        ("evidence", labels.evidence),
        ("commentary", labels.commentary),
        ("actions", labels.actions),
    ):
        if fields[key]:
            lines += [("label", label), ("value", fields[key])]
    return lines


def stack_text(items: tuple[Item, ...], answers: tuple[Answer, ...], labels: Labels,
               style: Style, title: str, intro: str) -> str:  # fmt: skip
    """The stacks as copied text: one line per label and value, blank lines between."""
    out = [*_FURNITURE_TOP, "", title, "", intro, ""]
    for number, name, indexes in sections(items):
        out += [section_heading(number, name, style), ""]
        for i in indexes:
            out += [text for _, text in stack_lines(items[i], answers[i], labels)]
            out.append("")
    return "\n".join([*out, *_FURNITURE_END, ""])


def stack_html(items: tuple[Item, ...], answers: tuple[Answer, ...], labels: Labels,
               style: Style, title: str, intro: str, site: str) -> str:  # fmt: skip
    """The stacks as a web page: one block per provision, labels in bold."""
    body = [f"<h1>{escape(title)}</h1>", f"<p>{escape(intro)}</p>"]
    for number, name, indexes in sections(items):
        body.append(f"<h2>{escape(section_heading(number, name, style))}</h2>")
        for i in indexes:
            body.append('<div class="provision">')
            for kind, text in stack_lines(items[i], answers[i], labels):
                if kind == "title":
                    body.append(f"<h3>{escape(text)}</h3>")
                elif kind == "label":
                    body.append(f"<p><strong>{escape(text)}</strong></p>")
                else:
                    body.append(f"<p>{escape(text)}</p>")
            body.append("</div>")
    form = Form(title=title, author=site, blocks=(), look=Look(), answers=())
    page = form_to_html(form, site)
    return page.replace('<main id="main">', '<main id="main">\n' + "\n".join(body), 1)


def stack_form(items: tuple[Item, ...], answers: tuple[Answer, ...], labels: Labels,
               style: Style, title: str, intro: str, footer: str) -> Form:  # fmt: skip
    """The stacks as heading and paragraph blocks (for a PDF without tables)."""
    blocks: list[Block] = [Heading(title, 0), Para(intro)]
    for number, name, indexes in sections(items):
        blocks.append(Heading(section_heading(number, name, style), 1))
        for i in indexes:
            for kind, text in stack_lines(items[i], answers[i], labels):
                blocks.append(Heading(text, 2) if kind == "title" else Para(text))
    look = Look(font_pt=style.font_pt, footer=footer)
    return Form(title=title, author=footer, blocks=tuple(blocks), look=look, answers=answers)


def _cell_text(value: object) -> str:
    return value.display if isinstance(value, Answer) else str(value)


def pipe_text(form: Form, rng: random.Random) -> str:
    """Markdown pipe tables, or one cell per line each ending in " |"."""
    from .model import Band, PageBreak, Table, TableRow

    per_line = rng.random() < 0.35
    out = [*_FURNITURE_TOP, ""]
    for block in form.blocks:
        if isinstance(block, Heading | Para):
            out += [block.text, ""]
        elif isinstance(block, PageBreak):
            continue
        elif isinstance(block, Table):
            rows = [list(block.header)]
            for row in block.rows:
                if isinstance(row, Band):
                    rows.append([row.text])
                else:
                    assert isinstance(row, TableRow)
                    rows.append([_cell_text(c) for c in row.cells])
            for n, cells in enumerate(rows):
                if per_line:
                    out += [f"{c} |" if c else "|" for c in cells]
                else:
                    out.append("| " + " | ".join(cells) + " |")
                    if n == 0:
                        out.append("|" + "---|" * len(cells))
            out.append("")
    return "\n".join([*out, *_FURNITURE_END, ""])


def web_text(form: Form) -> str:
    """Text copied from a web page: the table cells of each row fused, site furniture."""
    return "\n".join([*_FURNITURE_TOP, "", fused_text(form), *_FURNITURE_END, ""])


def paragraph_text(form: Form) -> str:
    """One cell per paragraph, blank lines between cells and between rows."""
    from .model import Band, PageBreak, Table, TableRow

    out = [*_FURNITURE_TOP, ""]
    for block in form.blocks:
        if isinstance(block, Heading | Para):
            out += [block.text, ""]
        elif isinstance(block, PageBreak):
            continue
        elif isinstance(block, Table):
            out += [*(f"{h}\n" for h in block.header)]
            for row in block.rows:
                if isinstance(row, Band):
                    out += [row.text, ""]
                    continue
                assert isinstance(row, TableRow)
                out += [f"{_cell_text(c)}\n" for c in row.cells if _cell_text(c)]
    return "\n".join([*out, *_FURNITURE_END, ""])


def section_forms(
    items: tuple[Item, ...], style: Style, landlord: Landlord, year: int, index: int
) -> list[tuple[int, tuple[Item, ...], Form]]:
    """One small form per Code section (sites that publish one page per section)."""
    out = []
    single = replace(style, family="ruled_sections")
    title, _ = title_and_intro(landlord, year, index)
    for number, _, indexes in sections(items):
        part = tuple(items[i] for i in indexes)
        form = build_form(part, single, landlord, year, index)
        blocks = (Heading(title, 0), *form.blocks[2:])
        out.append((number, part, replace(form, blocks=blocks)))
    return out
