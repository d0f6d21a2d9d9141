"""How a synthetic self-assessment is published: format, layout family, answer spelling,
columns and headings; and the gold rows of what is printed.

The layout families are those of ``../shared/real-dev/README.md``: forms as ruled
tables one per section or one long table with band rows, borderless tables, tables
ruled only horizontally or shaded in stripes, one page per Code section, the form as
an appendix of a long annual report, checkbox answers, tick columns ("X" under Yes or
No), label/value stacks, pipe tables, text copied from a web page with the cells
fused, and one cell per paragraph. The mix of formats is weighted like the published
forms (mostly PDF); the chosen family is the document's ``layout`` in the manifest.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .model import Answer, GoldRow
from .sector_content import Item

# Format and family weights: most landlords publish a PDF made from a Word form.
FORMATS = {"pdf": 0.72, "docx": 0.10, "html": 0.12, "text": 0.06}
FAMILIES = {
    "pdf": {
        "ruled_sections": 0.40,
        "ruled_single": 0.08,
        "borderless": 0.12,
        "horizontal_rules": 0.06,
        "zebra": 0.04,
        "page_per_section": 0.06,
        "annual_report": 0.09,
        "checkboxes": 0.06,
        "tick_columns": 0.04,
        "label_value": 0.03,
    },
    "docx": {
        "ruled_sections": 0.5,
        "ruled_single": 0.1,
        "borderless": 0.1,
        "annual_report": 0.05,
        "checkboxes": 0.15,
        "tick_columns": 0.1,
    },
    "html": {
        "ruled_sections": 0.5,
        "ruled_single": 0.1,
        "page_per_section": 0.05,
        "checkboxes": 0.05,
        "tick_columns": 0.05,
        "label_value": 0.25,
    },
    "text": {
        "pipes": 0.3,
        "fused_web": 0.4,
        "cell_paragraphs": 0.15,
        "label_value": 0.1,
        "page_per_section": 0.05,
    },
}
# Families a Word file can carry, so that their PDF can come from LibreOffice.
VIA_WORD = {"ruled_sections", "ruled_single", "borderless", "page_per_section", "annual_report"}
LIBREOFFICE_SHARE = 0.12

ANSWER_STYLES = {
    "plain": 0.45,
    "yn": 0.12,
    "caps": 0.08,
    "dotted": 0.07,
    "sentence": 0.06,
    "compliant": 0.1,
    "detail": 0.12,
}
_SPELLINGS = {
    # style: yes, no, partial, na
    "plain": ("Yes", "No", "Partial", "N/A"),
    "yn": ("Y", "N", "Partial", "N/A"),
    "caps": ("YES", "NO", "PARTIAL", "N/A"),
    "dotted": ("Yes.", "No.", "Partial.", "N/A"),
    "sentence": ("Yes we comply.", "No", "Partially", "Not applicable"),
    "compliant": ("Compliant", "Not compliant", "Partially compliant", "Not applicable"),
    "detail": ("Yes", "No", "Partial (In progress)", "N/A"),
}
_VALUES = ("yes", "no", "partial", "na")
_BOX_LABELS = {"yes": "Yes", "no": "No", "partial": "Partial", "na": "N/A"}

# Column header wording per role (each document picks one per role).
HEADERS = {
    "id": ("Code provision", "Code section", "Provision", "Ref", "Section"),
    "requirement": ("Code requirement", "Requirement", "Code requirement", "Question"),
    "answer": ("Comply: Yes / No", "Compliant?", "Do we comply?", "Comply", "Compliance"),
    "evidence": ("Evidence", "Evidence of compliance", "How we comply", "Evidence"),
    "evidence_all": (
        "Evidence, commentary and any explanations",
        "Evidence and commentary",
        "Evidence / comments",
    ),
    "commentary": ("Commentary / explanation", "Comments", "Explanation"),
    "actions": ("Summary of actions required/taken", "Actions", "Action plan"),
}
WIDTHS = {
    "id": 0.08,
    "requirement": 0.32,
    "answer": 0.11,
    "evidence": 0.28,
    "commentary": 0.2,
    "actions": 0.16,
    "tick": 0.06,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Style:
    """Everything that decides how one document prints its assessment.

    Attributes:
        fmt: pdf / docx / html / text.
        family: the layout family (manifest ``layout``).
        producer: reportlab / libreoffice / python-docx / html / text.
        answers: the answer spelling (``ANSWER_STYLES``), or "boxes" / "sdt" / "ticks".
        columns: cell roles in order (id, requirement, answer, evidence, commentary,
            actions; "tick:<value>" for a tick column).
        header: one label per column.
        headings: how sections are headed: "colon", "dash", "number" or "bands".
        obligation_headings: 2022 forms: "Mandatory 'must' requirements" sub-headings.
        landscape: the page is landscape.
        font_pt: table text size.
    """

    fmt: str
    family: str
    producer: str
    answers: str
    columns: tuple[str, ...]
    header: tuple[str, ...]
    headings: str
    obligation_headings: bool
    landscape: bool
    font_pt: float


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _columns(rng: random.Random, version: str, family: str) -> tuple[str, ...]:
    if family == "tick_columns" or (version == "2020" and rng.random() < 0.3):
        return ("id", "requirement", "tick:yes", "tick:partial", "tick:no", "evidence")
    shape = rng.choices(("five", "four", "actions", "no_id"), (0.45, 0.3, 0.15, 0.1))[0]
    if shape == "five":
        return ("id", "requirement", "answer", "evidence", "commentary")
    if shape == "four":
        return ("id", "requirement", "answer", "evidence_all")
    if shape == "actions":
        return ("id", "requirement", "answer", "evidence_all", "actions")
    return ("requirement", "answer", "evidence_all", "actions")


def _header(rng: random.Random, columns: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for role in columns:
        if role.startswith("tick:"):
            out.append(_BOX_LABELS[role[5:]])
        else:
            out.append(rng.choice(HEADERS[role]))
    return tuple(out)


def choose_style(rng: random.Random, version: str) -> Style:
    """Pick format, family, producer, answer spelling, columns and headings."""
    fmt = _pick(rng, FORMATS)
    family = _pick(rng, FAMILIES[fmt])
    producer = {"docx": "python-docx", "html": "html", "text": "text"}.get(fmt, "reportlab")
    if fmt == "pdf" and family in VIA_WORD and rng.random() < LIBREOFFICE_SHARE / 0.75:
        producer = "libreoffice"
    columns = _columns(rng, version, family)
    if family == "label_value":  # every field has its own label
        columns = ("id", "requirement", "answer", "evidence", "commentary", "actions")
    answers = _pick(rng, ANSWER_STYLES)
    if family == "checkboxes":
        answers = "sdt" if fmt == "docx" and rng.random() < 0.5 else "boxes"
    elif any(c.startswith("tick:") for c in columns):
        answers = "ticks"
    headings = rng.choices(("colon", "dash", "number", "bands"), (0.5, 0.2, 0.2, 0.1))[0]
    if family == "ruled_single":
        headings = "bands"
    return Style(
        fmt=fmt,
        family=family,
        producer=producer,
        answers=answers,
        columns=columns,
        header=_header(rng, columns),
        headings=headings,
        obligation_headings=version == "2022" and rng.random() < 0.7,
        landscape=rng.random() < 0.3,
        font_pt=rng.choice((8.0, 8.5, 9.0, 9.0, 10.0)),
    )


def answer_cell(item: Item, style: Style, offered: tuple[str, ...]) -> Answer:
    """The answer cell for one item in the document's spelling.

    Args:
        item: the provision as answered.
        style: the document style.
        offered: the answer values the form offers as boxes (``offered_values``).
    """
    if style.answers in ("boxes", "sdt"):
        boxes = tuple((_BOX_LABELS[v], v == item.compliance) for v in offered)
        return Answer("", boxes=boxes, style="sdt" if style.answers == "sdt" else "glyph")
    if item.compliance == "unknown" or style.answers == "ticks":
        return Answer("")  # blank, or a tick form's answers are its tick columns
    return Answer(_SPELLINGS[style.answers][_VALUES.index(item.compliance)])


def offered_values(items: tuple[Item, ...]) -> tuple[str, ...]:
    """Yes and No, plus Partial and N/A when the assessment uses them."""
    used = {i.compliance for i in items}
    return tuple(v for v in _VALUES if v in ("yes", "no") or v in used)


def tick_cells(item: Item, columns: tuple[str, ...]) -> dict[str, str]:
    """Tick-column cells: an "X" under the answer's column, others blank."""
    return {c: ("X" if c == f"tick:{item.compliance}" else "") for c in columns if "tick:" in c}


def gold_rows(items: tuple[Item, ...], style: Style, answers: tuple[Answer, ...]) -> list[GoldRow]:
    """Gold rows of what the document prints (corpus gold format).

    Text the form has no column for is printed in the column that takes it: commentary
    and actions inside a single evidence column, actions after the commentary.
    """
    roles = set(style.columns)
    rows = []
    for number, (item, answer) in enumerate(zip(items, answers, strict=True), 1):
        fields = printed_fields(item, roles)
        if style.answers == "ticks":
            ticked = f"tick:{item.compliance}" in roles
            raw = _BOX_LABELS[item.compliance] if ticked else ""
        else:
            raw = answer.gold_raw
        provision = item.provision
        rows.append(
            GoldRow(
                row=number,
                code_version=provision.code_version,
                provision_id=provision.provision_id,
                printed_id=provision.provision_id if "id" in roles else "",
                section=str(provision.section_number),
                obligation=provision.obligation,
                requirement=provision.requirement_text,
                compliance_raw=raw,
                compliance=_compliance(item, style, roles),
                evidence=fields["evidence"],
                commentary=fields["commentary"],
                actions=fields["actions"],
            )
        )
    return rows


def _compliance(item: Item, style: Style, roles: set[str]) -> str:
    if style.answers == "ticks" and f"tick:{item.compliance}" not in roles:
        return "unknown"  # a value the form has no column for (N/A) is left blank
    return item.compliance


def printed_fields(item: Item, roles: set[str]) -> dict[str, str]:
    """Evidence, commentary and actions as the form's columns hold them."""

    def join(*parts: str) -> str:
        return " ".join(p for p in parts if p)

    evidence, commentary, actions = item.evidence, item.commentary, item.actions
    if "actions" not in roles:
        commentary, actions = join(commentary, actions), ""
    if "commentary" not in roles:
        evidence, commentary = join(evidence, commentary), ""
    return {"evidence": evidence, "commentary": commentary, "actions": actions}
