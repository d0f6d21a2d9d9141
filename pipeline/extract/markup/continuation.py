"""Continuation table rows: one long provision laid out over two table rows.

Forms copied from a PDF into Word or a web page (or split by hand) often keep a
page-break continuation as a row of its own: the id and answer cells are empty and the
other cells carry on the requirement, evidence or commentary of the row above.
:func:`continuation_flags` says which rows do, so that the table reader joins them.
Shared by the DOCX and HTML readers (docx_html_tables); pure, no I/O.

The decision is per table and needs the column roles, which pipeline/columns.py gives
from the header (or, without one, from the cells), exactly as stage 2 will assign them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.layout import content_layout, demote_prose_answers, header_layout
from pipeline.records import Row
from pipeline.vocabulary import Role

# A cell text that starts in the middle of a sentence: lower case, a bullet or a
# joining punctuation mark ("landlord its own staff", "· Apologising;", ", and ...").
_MID_SENTENCE = re.compile(r"^(?:[a-z]|[·•▪◦‣∙*–—-]\s|[,;:)])")
# A requirement that carries on after a paragraph break within its cell is a real
# sentence, not a heading ("Accessibility and awareness") slipped in as a data row.
_MIN_SENTENCE_WORDS = 8


def _roles(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> tuple[Role, ...]:
    """Column roles as stage 2 will assign them (header first, else the cells)."""
    as_rows = [
        Row(page=None, table_index=0, row_index=i, cells=cells, header=header)
        for i, cells in enumerate(rows)
    ]
    found = header_layout(header) if header else None
    layout = demote_prose_answers(found, as_rows) if found else content_layout(as_rows)
    return layout.roles


def _answer_roles(roles: tuple[Role, ...]) -> set[Role]:
    """Roles whose cell is the answer. Yes/No columns are answers (tick marks) when the
    form has evidence or commentary columns; otherwise (2020 form) they hold text."""
    if "evidence" in roles or "commentary" in roles:
        return {"answer", "yes", "no", "partial"}
    return {"answer"}


def _continues(
    previous: tuple[str, ...],
    row: tuple[str, ...],
    roles: tuple[Role, ...],
) -> bool:
    """Whether ``row`` carries on ``previous`` (see :func:`continuation_flags`)."""
    if len(row) != len(roles) or len(previous) != len(roles):
        return False
    answers = _answer_roles(roles)
    if any(text for text, role in zip(row, roles, strict=True) if role == "id" or role in answers):
        return False
    # Every filled cell goes on with a cell the row above filled too.
    if any(text and not before for text, before in zip(row, previous, strict=True)):
        return False
    requirement = " ".join(t for t, r in zip(row, roles, strict=True) if r == "requirement" and t)
    if not requirement or _MID_SENTENCE.match(requirement):
        return True
    # A requirement cell starting a new sentence: still the row above's paragraph in a
    # form with an id column when the row above has its id; in an id-less form such a
    # row is an unanswered provision of its own.
    previous_id = any(t for t, r in zip(previous, roles, strict=True) if r == "id")
    return previous_id and len(requirement.split()) >= _MIN_SENTENCE_WORDS


def continuation_flags(
    rows: Sequence[tuple[str, ...]], header: tuple[str, ...]
) -> tuple[bool, ...]:
    """Which data rows of one table continue the row above them.

    A row continues the one above when its id and answer cells are empty, each of its
    filled cells goes on with a cell the row above also filled, and its requirement
    cell is empty or picks up mid-sentence (lower case, a bullet). In a form with an
    id column, a requirement paragraph of at least eight words also continues a row
    that has its id; in an id-less form it is a provision of its own (never merged).

    Args:
        rows: the table's data rows (cleaned cell texts, one tuple per row, header and
            band rows excluded).
        header: the table's header cells; empty when it has none.

    Returns:
        One flag per row; the first row never continues.
    """
    if not rows:
        return ()
    roles = _roles(rows, header)
    flags = [False]
    previous = rows[0]
    for row in rows[1:]:
        joined = _continues(previous, row, roles)
        flags.append(joined)
        # The row above a second continuation is the first part, which filled its cells.
        previous = previous if joined else row
    return tuple(flags)
