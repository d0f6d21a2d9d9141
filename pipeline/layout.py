"""Column layout of a self-assessment table: which column plays which role.

Shared by the readers (to keep a table's rows together, to tell a continuation row) and
by stage 2 (pipeline/columns.py). Roles come from the header wording
(``pipeline.vocabulary.header_cell_role``) when there is one, else from the cells.
Pure, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.records import Row
from pipeline.vocabulary import (
    ANSWER_MAX_CHARS,
    ANSWER_START,
    PROVISION_ID,
    Role,
    header_cell_role,
)


@dataclass(frozen=True, slots=True)
class Layout:
    """Which role each column plays, for one table."""

    roles: tuple[Role, ...]

    @property
    def yes_no_columns(self) -> bool:
        return "yes" in self.roles and "no" in self.roles


def header_layout(header: Sequence[str]) -> Layout | None:
    """Layout from header cells; None when the header names no requirement or answer."""
    roles = [header_cell_role(h) for h in header]
    if "requirement" not in roles:
        # 2020 form: the header is the section row ("1 | Definition of a complaint | Yes | No").
        others = [i for i, r in enumerate(roles) if r == "other"]
        if others:
            roles[others[0]] = "requirement"
        else:
            return None
    has_answer = "answer" in roles or ("yes" in roles and "no" in roles)
    if not has_answer and "evidence" not in roles:
        return None
    return Layout(tuple(roles))


def content_layout(rows: Sequence[Row]) -> Layout:
    """Layout guessed from cell contents when there is no usable header."""
    width = max((len(r.cells) for r in rows), default=0)
    roles: list[Role] = ["other"] * width

    def share(col: int, pred: re.Pattern[str]) -> float:
        # Only full-width rows: a short row's text in the answer slot is shifted later.
        cells = [r.cells[col] for r in rows if len(r.cells) >= len(roles) and r.cells[col]]
        return sum(1 for c in cells if pred.match(c)) / len(cells) if cells else 0.0

    def mean_len(col: int) -> float:
        cells = [len(r.cells[col]) for r in rows if col < len(r.cells)]
        return sum(cells) / len(cells) if cells else 0.0

    id_col = next((c for c in range(width) if share(c, PROVISION_ID) >= 0.6), None)
    if id_col is not None:
        roles[id_col] = "id"
    answer_col = next(
        (
            c
            for c in range(width)
            if roles[c] == "other"
            and share(c, ANSWER_START) >= 0.6
            and mean_len(c) < ANSWER_MAX_CHARS
        ),
        None,
    )
    if answer_col is not None:
        roles[answer_col] = "answer"
    before = [
        c for c in range(width) if roles[c] == "other" and (answer_col is None or c < answer_col)
    ]
    if before:
        roles[max(before, key=mean_len)] = "requirement"
    elif width and roles[0] == "other":
        roles[0] = "requirement"
    after: list[Role] = ["evidence", "commentary", "actions"]
    for c in range(width):
        if roles[c] == "other" and after and (answer_col is None or c > answer_col):
            roles[c] = after.pop(0)
    return Layout(tuple(roles))


def demote_prose_answers(layout: Layout, rows: Sequence[Row]) -> Layout:
    """An "answer" column (by its header) that holds prose is evidence, not the answer.

    Headers such as "How do we comply?" or "Response" name an answer column on some forms
    and a prose column on others; the cells decide. A column is prose when fewer than half
    of its filled cells are short (<= 40 characters, the length of "Partial (In progress)"
    and its kin).

    Args:
        layout: roles from the header.
        rows: the table's rows.

    Returns:
        The layout, with each prose "answer" column turned into evidence (or commentary
        when there is an evidence column, or "other" when there is both).
    """
    roles = list(layout.roles)
    for col, role in enumerate(layout.roles):
        if role != "answer":
            continue
        # Only full-width rows: a short row's text in the answer slot is shifted later.
        cells = [r.cells[col] for r in rows if len(r.cells) >= len(roles) and r.cells[col]]
        short = sum(1 for c in cells if len(c) <= ANSWER_MAX_CHARS)
        if not cells or short * 2 >= len(cells):
            continue
        roles[col] = next((r for r in ("evidence", "commentary") if r not in roles), "other")
    return Layout(tuple(roles))
