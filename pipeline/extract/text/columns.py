"""Text reader: where a table's id, requirement and answer columns are, and fitting a
line's cells to the table's width."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.layout import Layout
from pipeline.textnorm import clean_cell
from pipeline.vocabulary import is_answer


@dataclass(frozen=True, slots=True)
class TableColumns:
    """Where the id, requirement and answer columns are in one table.

    Attributes:
        width: number of columns.
        id: index of the provision id column, or None.
        requirement: index of the requirement column.
        answer: index of the answer column, or None.
    """

    width: int
    id: int | None
    requirement: int
    answer: int | None

    @classmethod
    def from_layout(cls, layout: Layout | None, width: int) -> TableColumns:
        """Columns from a header layout; without one, guess "id | requirement | ...".

        Args:
            layout: the header's column roles, or None for a table without a header.
            width: the number of cells on the table's first line (used without a layout).

        Returns:
            The columns.
        """
        if layout is None:
            return cls(
                width=width,
                id=0 if width > 2 else None,
                requirement=1 if width > 2 else 0,
                answer=None,
            )
        roles = layout.roles
        return cls(
            width=len(roles),
            id=roles.index("id") if "id" in roles else None,
            requirement=roles.index("requirement"),
            answer=roles.index("answer") if "answer" in roles else None,
        )


def fit_fields(fields: tuple[str, ...], cols: TableColumns) -> tuple[str, ...]:
    """Bring a line's cells to the table width.

    * one field too many, the first two short: an id split in two ("1." | "-"), joined;
    * trailing empty fields beyond the width are dropped; other surplus joins the last cell;
    * one field too few (a page extracted with a column fewer): when the text in the answer
      slot is not an answer, the answer cell is the one missing, so a blank is inserted.

    Args:
        fields: the line's cells.
        cols: the table's columns.

    Returns:
        Exactly ``cols.width`` cells.
    """
    width = cols.width
    if len(fields) == width + 1 and len(fields[0]) <= 4 and len(fields[1]) <= 4:
        fields = (" ".join(f for f in fields[:2] if f), *fields[2:])
    if len(fields) > width:
        surplus = fields[width - 1 :]
        fields = (*fields[: width - 1], clean_cell(" ".join(surplus)))
    if len(fields) < width:
        a = cols.answer
        if a is not None and a < len(fields) and fields[a] and not is_answer(fields[a]):
            fields = (*fields[:a], "", *fields[a:])
        fields = fields + ("",) * (width - len(fields))
    return fields[:width]
