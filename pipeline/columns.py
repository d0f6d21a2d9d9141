"""Stage 2: table rows -> assessment rows, by deciding which column plays which role.

A self-assessment table has some of these columns, in varying order and wording:
provision id ("Code provision", "Code section", "Ref"), requirement ("Code
requirement", "Question"), answer ("Comply: Yes / No", "Compliant?"), evidence,
commentary, actions; the 2020 form instead has a "Yes" and a "No" column that hold
free text. Roles come from the header when there is one, else from the cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.layout import Layout, content_layout, demote_prose_answers, header_layout
from pipeline.records import AssessmentRow, Row
from pipeline.textnorm import normalise_space
from pipeline.vocabulary import ANSWER_MAX_CHARS, ANSWER_START, LEADING_ID, TICK_MARK, Role

# A stage sub-heading glued to the start of a requirement cell ("Stage 3 Complaints should").
_LEADING_STAGE = re.compile(r"^(?i:stage)\s+(?i:\d|one|two|three)\s+(?=[A-Z])")


def _fit_cells(cells: tuple[str, ...], roles: tuple[Role, ...]) -> tuple[str, ...]:
    """Pad or trim a row to the table width.

    A short row (a page where the extractor found one column fewer) whose text lands
    in the answer slot but is not an answer is shifted right past the answer column.
    """
    if len(cells) >= len(roles):
        head = cells[: len(roles)]
        if len(cells) > len(roles):  # extra cells: join the surplus into the last column
            head = (*head[:-1], normalise_space(" ".join(cells[len(roles) - 1 :])))
        return head
    padded = list(cells) + [""] * (len(roles) - len(cells))
    if "answer" in roles:
        a = roles.index("answer")
        if a < len(cells) and len(cells[a]) > ANSWER_MAX_CHARS and not ANSWER_START.match(cells[a]):
            padded = [*cells[:a], "", *cells[a:]] + [""] * (len(roles) - len(cells) - 1)
    return tuple(padded[: len(roles)])


def _pick(cells: tuple[str, ...], roles: tuple[Role, ...], role: Role) -> str:
    return normalise_space(
        " ".join(c for c, r in zip(cells, roles, strict=True) if r == role and c)
    )


def row_to_assessment_row(row: Row, layout: Layout) -> AssessmentRow:
    """Assign one row's cells to roles."""
    cells = _fit_cells(row.cells, layout.roles)
    roles = layout.roles
    printed_id = _pick(cells, roles, "id")
    requirement = _pick(cells, roles, "requirement")
    if not printed_id:
        found = LEADING_ID.match(requirement)
        if found:
            printed_id, requirement = found.group(1), requirement[found.end() :]
    requirement = _LEADING_STAGE.sub("", requirement)
    answer = _pick(cells, roles, "answer")
    evidence = _pick(cells, roles, "evidence")
    commentary = _pick(cells, roles, "commentary")
    yes_no = False
    if layout.yes_no_columns:
        yes_text, no_text = _pick(cells, roles, "yes"), _pick(cells, roles, "no")
        if evidence or commentary or "evidence" in roles or "commentary" in roles:
            # Yes/No columns hold tick marks; evidence lives in its own column.
            partial_text = _pick(cells, roles, "partial")
            answer = answer or (
                "Yes"
                if TICK_MARK.match(yes_text)
                else "Partial"
                if TICK_MARK.match(partial_text)
                else "No"
                if TICK_MARK.match(no_text)
                else ""
            )
        else:
            yes_no = True
            evidence, commentary = yes_text, no_text
    return AssessmentRow(
        printed_id=printed_id,
        requirement=requirement,
        answer_raw=answer,
        evidence=evidence,
        commentary=commentary,
        actions=_pick(cells, roles, "actions"),
        yes_no_columns=yes_no,
        answer_column="answer" in roles,
        source=row,
    )


def rows_to_assessment_rows(rows: Sequence[Row]) -> tuple[AssessmentRow, ...]:
    """Assign roles table by table. Rows keep their order."""
    out: list[AssessmentRow] = []
    by_table: dict[int, list[Row]] = {}
    for row in rows:
        by_table.setdefault(row.table_index, []).append(row)
    layouts: dict[int, Layout | None] = {}
    for index, table_rows in by_table.items():
        header = next((r.header for r in table_rows if r.header), ())
        found = header_layout(header)
        layouts[index] = demote_prose_answers(found, table_rows) if found else None
        layouts[index] = layouts[index] or content_layout(table_rows)
    for row in rows:
        layout = layouts[row.table_index]
        assert layout is not None
        out.append(row_to_assessment_row(row, layout))
    return tuple(out)
