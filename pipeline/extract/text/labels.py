"""Text reader: what a short cell or line is - a provision id, a heading, a rule line.

Pure predicates on cleaned text, shared by the line splitters (``text_lines`` and its
layouts) and the row assembler (``text_rows``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pipeline.vocabulary import OBLIGATION_HEADING, SECTION_HEADING, STAGE_HEADING

# Provision ids as printed: "6.20", "1a", "1.5." and the split id "1. -" (OCR).
_ID = re.compile(r"^(?:(\d{1,2})\.(\d{1,2})\.?|([1-9])([a-j])\.?|(\d{1,2})\.\s*[-–]?)$")
_BARE_NUMBER = re.compile(r"^\d{1,2}\.?$")
_SEPARATOR = re.compile(r"^[\s\-–—=_|*:]*$")
_SECTION = SECTION_HEADING
_STAGE = STAGE_HEADING
_OBLIGATION = OBLIGATION_HEADING

HeadingKind = Literal["section", "obligation", "stage"]


def heading_kind(text: str) -> HeadingKind | None:
    """Which heading a short line is.

    Args:
        text: a cleaned line or cell.

    Returns:
        "section" ("Section 6: ..."), "obligation" ("Mandatory 'must' requirements",
        "Should Do Requirements"), "stage" ("Stage 2", "STAGE 3"), or None.
    """
    if not text or len(text) > 120 or text.endswith("."):
        return None
    if _SECTION.match(text):
        return "section"
    words = len(text.split())
    if _OBLIGATION.search(text) and words <= 8:
        return "obligation"
    if _STAGE.match(text) and words <= 4:
        return "stage"
    return None


def is_section_heading(text: str) -> bool:
    """True when ``text`` starts like a section heading ("Section 6: ...", "Section 2").

    Args:
        text: a cleaned line or cell.

    Returns:
        Whether the section pattern matches (no length check, unlike :func:`heading_kind`).
    """
    return _SECTION.match(text) is not None


def is_bare_number(text: str) -> bool:
    """True for a section number on its own ("2", "2."), as in the 2020 form's bands.

    Args:
        text: a cleaned cell.

    Returns:
        Whether the cell is one or two digits with an optional full stop.
    """
    return _BARE_NUMBER.match(text) is not None


def is_rule(fields: Sequence[str]) -> bool:
    """True for a line drawn with dashes, pipes or equals signs, or an empty line.

    Args:
        fields: a line's cells.

    Returns:
        Whether every cell is only rule characters or blank.
    """
    return all(_SEPARATOR.match(f) for f in fields)


def looks_like_id(text: str) -> bool:
    """True when ``text`` is shaped like a printed id, including section 0 ("0.20").

    Args:
        text: a cleaned cell.

    Returns:
        Whether the id pattern matches; see :func:`provision_id` for real ids.
    """
    return _ID.match(text) is not None


def provision_id(text: str) -> str | None:
    """The id if ``text`` is a printed provision id ("6.3", "1a", "1. -"), else None.

    Section 0 does not exist, so "0.20" (a mis-rendered duplicate label) is not an id.

    Args:
        text: a cleaned cell.

    Returns:
        ``text`` itself when it is an id, else None.
    """
    found = _ID.match(text)
    if found is None:
        return None
    section = found.group(1) or found.group(3) or found.group(5)
    return text if section and int(section) >= 1 else None


def id_order(text: str) -> tuple[int, int] | None:
    """Sort key of a printed id in Code order.

    Args:
        text: a cleaned cell.

    Returns:
        "6.20" -> (6, 20), "3c" -> (3, 3); None for anything else (including "1. -").
    """
    found = _ID.match(text)
    if found is None:
        return None
    if found.group(1):
        return int(found.group(1)), int(found.group(2))
    if found.group(3):
        return int(found.group(3)), ord(found.group(4)) - ord("a") + 1
    return None


def goes_back(before: str | None, after: str) -> bool:
    """True when id ``after`` comes earlier in Code order than ``before``.

    Args:
        before: the last id seen, or None.
        after: the id now seen.

    Returns:
        Whether both are ids and the order goes back (1.9 -> 1.4).
    """
    a, b = id_order(before or ""), id_order(after)
    return a is not None and b is not None and b < a
