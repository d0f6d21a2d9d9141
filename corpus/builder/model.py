"""Records shared by the corpus renderers: a form is a tuple of blocks; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.goldfile import GOLD_KEYS

AnswerStyle = Literal["plain", "yn", "sdt", "glyph"]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldRow:
    """One gold row, keys as in ../shared/gold (see GOLD_KEYS)."""

    row: int
    code_version: str
    provision_id: str
    printed_id: str
    section: str
    obligation: str
    requirement: str
    compliance_raw: str
    compliance: str
    evidence: str
    commentary: str
    actions: str

    def as_dict(self) -> dict[str, object]:
        return {key: getattr(self, key) for key in GOLD_KEYS}


@dataclass(frozen=True, slots=True)
class Answer:
    """The comply cell: plain text, or a set of checkboxes (label, ticked)."""

    text: str
    boxes: tuple[tuple[str, bool], ...] = ()
    style: AnswerStyle = "plain"

    @property
    def gold_raw(self) -> str:
        """What a perfect reader reports as `compliance_raw` for this cell."""
        if self.boxes:
            ticked = [label for label, on in self.boxes if on]
            return ticked[0] if ticked else ""
        return self.text

    @property
    def display(self) -> str:
        """The cell as plain text (glyphs for checkboxes)."""
        if self.boxes:
            return " ".join(f"{label} {'☒' if on else '☐'}" for label, on in self.boxes)
        return self.text


Cell = str | Answer


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Para:
    text: str


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class Band:
    """A full-width row inside a table (004's 'Must Do Requirements')."""

    text: str


@dataclass(frozen=True, slots=True)
class TableRow:
    gold_index: int  # index into the seed's gold rows; -1 for filler tables
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[TableRow | Band, ...]
    widths: tuple[float, ...]  # relative column widths


Block = Heading | Para | PageBreak | Table


@dataclass(frozen=True, slots=True, kw_only=True)
class Look:
    """Page and table appearance of one rendering."""

    landscape: bool = False
    margin_cm: float = 2.0
    table_width: float = 1.0  # fraction of the text width
    borders: bool = True
    font_pt: float = 9.0
    footer: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Form:
    """A rendered document before it is written: blocks plus metadata."""

    title: str
    author: str
    blocks: tuple[Block, ...]
    look: Look
    answers: tuple[Answer, ...]  # one per gold row, in gold order
