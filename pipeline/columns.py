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
from dataclasses import dataclass
from typing import Literal

from pipeline.records import AssessmentRow, Row
from pipeline.textnorm import normalise_space

Role = Literal[
    "id",
    "requirement",
    "answer",
    "evidence",
    "commentary",
    "actions",
    "yes",
    "no",
    "partial",
    "other",
]

_ID = re.compile(r"^(?:\d{1,2}\.\d{1,2}|[1-9][a-j])\.?$")
# An id glued to the start of a requirement: "1.3The resident", "6.20 Stage 2 is", "1a Does".
_LEADING_ID = re.compile(r"^(\d{1,2}\.\d{1,2}|[1-9][a-j])(?=\s|[A-Z'\"‘“(])\s*")
# A stage sub-heading glued to the start of a requirement cell ("Stage 3 Complaints should").
_LEADING_STAGE = re.compile(r"^(?i:stage)\s+(?i:\d|one|two|three)\s+(?=[A-Z])")
_ANSWER_WORDS = re.compile(
    r"^(?:yes|no|y|n|partial|partially|n/?a|not applicable|compliant|non[- ]compliant|"
    r"fully compliant|partially compliant|in progress|met|not met|x|✓|✔|☒|☑)(?!\w)",
    re.IGNORECASE,
)
# A cell that is only an answer, perhaps with a qualifier: "Partial (In progress)",
# "Partial - (In progress)", "Yes / No" (unfilled), "No." - but not "Yes, residents can...".
_WHOLE_ANSWER = re.compile(
    r"^(?:(?:yes\s*/\s*no|yes|no|y|n|partial(?:ly)?|n/?a|not applicable|in progress|met|"
    r"not met|(?:fully |partially |non[- ])?compliant)[.:]?(?:\s*(?:\(.*\)|[-–].*))?"
    r"|[x✓✔☒☑])$",
    re.IGNORECASE,
)
_MARK = re.compile(r"^(?:x|✓|✔|☒|☑|yes|y|ticked)$", re.IGNORECASE)


def is_answer(text: str) -> bool:
    """True when a cell is an answer on its own ("Yes", "Partial (In progress)", "N/A").

    Args:
        text: a cell, any whitespace.

    Returns:
        Whether the whole cell reads as an answer, not as evidence that starts with one.
    """
    t = normalise_space(text)
    return len(t) <= 40 and _WHOLE_ANSWER.match(t) is not None


@dataclass(frozen=True, slots=True)
class Layout:
    """Which role each column plays, for one table."""

    roles: tuple[Role, ...]

    @property
    def yes_no_columns(self) -> bool:
        return "yes" in self.roles and "no" in self.roles


def header_cell_role(text: str) -> Role:
    """Role of one header cell from its wording."""
    t = normalise_space(text).lower().rstrip(":?")
    if t in {"yes", "y", "yes (x)"}:
        return "yes"
    if t in {"no", "n", "no (x)"}:
        return "no"
    if t in {"partial", "partially", "partly", "partial (x)"}:
        return "partial"
    if t.replace(" ", "") in {"y/n", "yes/no", "y/n/p", "yes/no/partial"}:
        return "answer"
    if not t:
        return "other"
    if re.fullmatch(r"\d{1,2}\.?", t) or t in {
        "ref",
        "ref.",
        "no.",
        "#",
        "id",
        "number",
        "section",
        "para",
        "para.",
        "paragraph",
    }:
        return "id"
    if "provision" in t or "code section" in t or "reference" in t or "clause" in t:
        return "id"
    if (
        "action" in t
        or "next step" in t
        or re.search(r"\bareas? for improvement|improvements? (?:plan|needed|required)", t)
    ):
        return "actions"
    if "evidence" in t or re.search(
        r"\bhow (?:we|do we|does the \w+) (?:meet|comply)|^what we do\b", t
    ):
        return "evidence"
    if "comply" in t or "complian" in t or "yes / no" in t or "yes/no" in t:
        return "answer"
    if re.search(r"\b(?:met|rag|achieved|rating)\b", t) or t in {
        "status",
        "answer",
        "self-assessment",
        "our position",
        "position",
    }:
        return "answer"
    if "commentary" in t or "comment" in t or "explanation" in t or "notes" in t:
        return "commentary"
    if "response" in t and len(t.split()) <= 3:
        return "answer"  # "Our response", "Landlord response"; prose is demoted later
    if "requirement" in t or "question" in t or t == "code" or "code says" in t:
        return "requirement"
    return "other"


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

    id_col = next((c for c in range(width) if share(c, _ID) >= 0.6), None)
    if id_col is not None:
        roles[id_col] = "id"
    answer_col = next(
        (
            c
            for c in range(width)
            if roles[c] == "other" and share(c, _ANSWER_WORDS) >= 0.6 and mean_len(c) < 40
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
        if a < len(cells) and len(cells[a]) > 40 and not _ANSWER_WORDS.match(cells[a]):
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
        found = _LEADING_ID.match(requirement)
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
                if _MARK.match(yes_text)
                else "Partial"
                if _MARK.match(partial_text)
                else "No"
                if _MARK.match(no_text)
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
        source=row,
    )


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
        short = sum(1 for c in cells if len(c) <= 40)
        if not cells or short * 2 >= len(cells):
            continue
        roles[col] = next((r for r in ("evidence", "commentary") if r not in roles), "other")
    return Layout(tuple(roles))


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
