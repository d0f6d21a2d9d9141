"""Headings in force above a table row: what they are and how they nest.

Shared by the DOCX and HTML readers. A heading's kind comes from its wording
("Section 5: ...", "Mandatory 'must' requirements", "Stage 2"), because forms style
their headings inconsistently. Pure, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.textnorm import normalise_space

_SECTION_HEADING = re.compile(
    r"^(?i:section|part|appendix)\s+[\dA-Z]{1,2}\b|^\d{1,2}[.:)]?\s+[A-Z]"
)
_OBLIGATION_HEADING = re.compile(
    r"\b(?:must|should|mandatory|best practice|requirements?)\b", re.IGNORECASE
)
# A band that is not merged across the row must read as one: "Must Do Requirements",
# "Best practice 'should' requirements"; not an unanswered "Landlords must ..." row.
_OBLIGATION_BAND = re.compile(
    r"^(?:mandatory|best practice|must|should)\b.{0,40}$|^.{0,40}\brequirements?\W*$",
    re.IGNORECASE,
)
_STAGE_HEADING = re.compile(r"^stage\s*(?:\d|one|two|three)\b", re.IGNORECASE)

LEVEL_SECTION, LEVEL_OBLIGATION, LEVEL_STAGE, LEVEL_OTHER = 1, 2, 3, 4


def heading_level(text: str, style_level: int | None = None) -> int:
    """Nesting level of a heading: section 1, must/should 2, stage 3, anything else 4.

    The wording decides first (forms style their headings inconsistently); a Word
    heading style or HTML ``<hN>`` level is used only for headings of unknown kind.
    """
    if _SECTION_HEADING.match(text):
        return LEVEL_SECTION
    if _OBLIGATION_HEADING.search(text) and len(text) <= 80:
        return LEVEL_OBLIGATION
    if _STAGE_HEADING.match(text):
        return LEVEL_STAGE
    return style_level if style_level is not None else LEVEL_OTHER


def looks_like_heading_text(text: str) -> bool:
    """A plain (unstyled) line that still reads as a heading: "Section 5: ...", "Stage 2"."""
    return (
        len(text) <= 100
        and not text.endswith((".", ",", ";"))
        and bool(_SECTION_HEADING.match(text) or _STAGE_HEADING.match(text))
    )


@dataclass(frozen=True, slots=True)
class Headings:
    """The headings in force, outer to inner, as (level, text)."""

    stack: tuple[tuple[int, str], ...] = ()

    def push(self, text: str, level: int) -> Headings:
        """A new heading closes every heading at its level or deeper."""
        text = normalise_space(text)
        if not text:
            return self
        kept = tuple(h for h in self.stack if h[0] < level)
        return Headings((*kept, (level, text)))

    def joined(self) -> str | None:
        """The section string for Row.section ("Section 5 / Stage 1"), or None."""
        return " / ".join(text for _, text in self.stack) or None


def looks_like_band_text(text: str) -> bool:
    """Text of a table band row that is not merged across the row."""
    return len(text) <= 80 and (looks_like_heading_text(text) or bool(_OBLIGATION_BAND.match(text)))
