"""Stacked label/value blocks: the self-assessment published without a table.

Some councils publish each provision as a run of lines::

    Code section 1.2
    A complaint must be defined as ...
    Compliance: Yes
    Evidence, commentary and any explanations: Our policy ...

:class:`StackedReader` consumes such lines and turns each block into a Row with a
synthetic header ("Code section", "Code requirement", then the labels as printed)
so that pipeline/columns.py assigns roles as it does for a table. Pure, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.records import Row
from pipeline.textnorm import clean_cell
from pipeline.vocabulary import ID_CORE, header_cell_role, is_answer

ID_HEADER = "Code section"
REQUIREMENT_HEADER = "Code requirement"
_ID = rf"({ID_CORE})"
_PREFIX = (
    r"^((?:code\s+)?(?:section|provision|clause|ref(?:erence)?|requirement)\s*(?:no\.?|number)?)"
)
_START = re.compile(rf"{_PREFIX}\s*[:.]?\s*{_ID}\b[.:)]?\s*(.*)$", re.IGNORECASE)
# "Code section 1. -": an id printed damaged, still a block start when it has a dot.
_LOOSE_START = re.compile(rf"{_PREFIX}\s*[:.]?\s*(\d{{1,2}}\.[\d\s.-]{{0,5}})$", re.IGNORECASE)
_ID_LABEL = re.compile(
    r"^(?:code\s+)?(?:section|provision|clause|ref(?:erence)?)\s*(?:no\.?|number)?\s*:?$",
    re.IGNORECASE,
)
_LOOSE_ID = re.compile(r"^\d{1,2}\.[\d\s.-]{0,5}$")
_BARE_ID = re.compile(rf"^{_ID}[.:)]?$")
# A heading that is an id and the requirement: "1.2 A complaint must be defined as ...";
# a short title after a number ("1.1 Introduction") is a numbered heading, not a block.
_ID_HEADING = re.compile(rf"^{_ID}[.:)]?\s+([A-Z‘'\"“].*)$")
_ID_HEADING_WORDS = 6
# "Compliance: Yes", "Compliance - Yes".
_LABEL = re.compile(r"^([A-Za-z][^:]{0,70}?)\s*(?::|\s[-–—]\s)\s*(.*)$")
_DASHES = " -–—:"
# A label printed alone on its line is a short phrase ("Evidence", "RAG status",
# "Self-assessment"), not a document name ("Comments-Compliments-Complaints-Policy").
_BARE_LABEL = re.compile(r"^[A-Za-z][A-Za-z '’/&(),?]*(?:-[A-Za-z '’/&(),?]+)?$")


def _label_role(label: str) -> str:
    role = header_cell_role(label)
    # A bare "Yes", "No" or "Partial" line is a value (the answer), never a label.
    return "other" if role in ("id", "yes", "no", "partial") else role


def _awaits_answer(block: _Block) -> bool:
    """The block's last label asks for the answer and has no value yet."""
    if block.current is None or _label_role(block.current) != "answer":
        return False
    return not any(v.strip() for v in block.values.get(block.current, []))


@dataclass
class _Block:
    printed_id: str
    section: str | None
    requirement: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    current: str | None = None  # label whose value the next plain line continues
    # Opened by a heading that is only an id ("<h3>1.2</h3>"): kept only when a label
    # follows, so that numbered headings of other documents make no rows.
    tentative: bool = False


@dataclass
class StackedReader:
    """Feeds on lines in document order; collects label/value blocks into Rows."""

    blocks: list[_Block] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # first-seen order, as printed
    id_label_pending: bool = False
    active: bool = False  # a block is open, so plain lines belong to it
    prefix: str | None = None  # how the first block was introduced ("code section")

    def _start(self, text: str) -> tuple[str, str] | None:
        """(printed id, rest of the line) when the line opens a block."""
        found = _START.match(text) or _LOOSE_START.match(text)
        if found is not None:
            prefix = " ".join(found.group(1).lower().split())
            rest = (found.group(3) if found.lastindex == 3 else "").lstrip(_DASHES)
            if rest[:1].islower():
                return None  # prose: "Section 5.1 of our policy says ..."
            if self.prefix is not None and prefix != self.prefix:
                return None  # the form introduces its blocks another way
            self.prefix = prefix
            return clean_cell(found.group(2)), rest
        bare = _BARE_ID.match(text)
        if bare is not None and (self.id_label_pending or self.blocks):
            return bare.group(1), ""
        if self.id_label_pending and _LOOSE_ID.match(text):
            return text, ""
        return None

    def _is_label(self, label: str, *, bare: bool = False) -> bool:
        """A known label, or one naming a role no known label has yet; so that
        "Evidence of training: see log" inside a value is text, not a new column.
        A ``bare`` line (no colon) must also be shaped like a label."""
        if label in self.labels:
            return True
        if bare and not _BARE_LABEL.match(label):
            return False
        role = _label_role(label)
        return role != "other" and role not in {_label_role(known) for known in self.labels}

    def feed(self, line: str, section: str | None, *, heading: bool = False) -> bool:
        """Offer one line; True when it was consumed as part of a stacked block.

        A heading is consumed only when it starts a block or is a label of the open
        block (see :meth:`_feed_heading`).
        """
        text = clean_cell(line)
        if not text:
            return False
        if heading:
            return self._feed_heading(text, section)
        start = self._start(text)
        self.id_label_pending = False
        if start is not None:
            self._open(start[0], section, start[1])
            return True
        if _ID_LABEL.match(text):
            self.id_label_pending = True
            return True
        if not self.active:
            return False
        block = self.blocks[-1]
        if _awaits_answer(block) and is_answer(text):
            # "Compliant" under the label "Compliant" (or "Not compliant" under
            # "Compliance"): the answer, though the word can also be a label.
            block.values[block.current or ""].append(text)
            return True
        label = _LABEL.match(text)
        as_label = label.group(1).strip() if label else text
        if (label or len(text.split()) <= 5) and self._is_label(as_label, bare=label is None):
            self._add(block, as_label, label.group(2) if label else "")
            return True
        if block.current is None:
            block.requirement.append(text)
        else:
            block.values[block.current].append(text)
        return True

    def _feed_heading(self, text: str, section: str | None) -> bool:
        """A heading opens a block ("Code section 1.2"; "1.2" or "1.2 A complaint must
        be ..." over each provision's lines), is an id label ("Code section"), or, inside
        an open block, a label printed as a heading ("<h4>Evidence</h4>" over its text).
        Any other heading is not consumed."""
        if _START.match(text) or _LOOSE_START.match(text):
            start = self._start(text)
            self.id_label_pending = False
            if start is None:
                return False
            self._open(start[0], section, start[1])
            return True
        bare = _BARE_ID.match(text)
        titled = _ID_HEADING.match(text)
        if bare is not None or (
            titled is not None and len(titled.group(2).split()) >= _ID_HEADING_WORDS
        ):
            found = bare or titled
            assert found is not None
            rest = titled.group(2) if titled is not None else ""
            self._open(found.group(1), section, rest, tentative=True)
            return True
        if _ID_LABEL.match(text):
            self.id_label_pending = True
            return True
        if self.active and len(text.split()) <= 5 and self._is_label(text, bare=True):
            self._add(self.blocks[-1], text, "")
            return True
        return False

    def _add(self, block: _Block, label: str, value: str) -> None:
        """Record ``label: value`` in the block; later plain lines continue the value."""
        if _label_role(label) == "requirement":
            block.current = None
            block.requirement.append(value)
            return
        if label not in self.labels:
            self.labels.append(label)
        block.values.setdefault(label, []).append(value)
        block.current = label

    def feed_pairs(self, pairs: Sequence[tuple[str, str]], section: str | None) -> bool:
        """Offer label/value pairs whose roles the markup gives (HTML ``<dt>``/``<dd>``).

        The label is taken as a label and the value as a value whatever their wording,
        so a value such as "Comments-Compliments-Complaints-Policy" is never read as a
        label. A pair such as ("Code section", "1.2") opens a block; so does a list
        naming a requirement and an answer or evidence when no block is open (a form
        without ids).

        Args:
            pairs: (label, value) in document order; values may span several lines.
            section: heading in force, for a block opened here.

        Returns:
            True when the pairs were taken into stacked blocks; False (nothing taken)
            when no block is open and the pairs do not open one.
        """
        pairs = [(clean_cell(label).rstrip(":").strip(), clean_cell(v)) for label, v in pairs]
        roles = {_label_role(label) for label, _ in pairs}
        own_block = "requirement" in roles and bool(roles & {"answer", "evidence"})
        fresh = self.active and not self.blocks[-1].requirement and not self.blocks[-1].values
        if (pairs and self._id_pair(pairs[0]) is not None) or fresh:
            pass  # the list opens its block, or fills the one its heading opened
        elif own_block:
            self._open("", section)
        elif not self.active:
            return False
        for label, value in pairs:
            printed_id = self._id_pair((label, value))
            if printed_id is not None:
                self._open(printed_id, section)
            elif label:
                self._add(self.blocks[-1], label, value)
            elif value:  # a value without a label carries on the previous one
                block = self.blocks[-1]
                parts = block.requirement if block.current is None else block.values[block.current]
                parts.append(value)
        return True

    @staticmethod
    def _id_pair(pair: tuple[str, str]) -> str | None:
        label, value = pair
        if not _ID_LABEL.match(label):
            return None
        found = _BARE_ID.match(value)
        if found is not None:
            return found.group(1)
        return value if _LOOSE_ID.match(value) else None

    def _open(
        self,
        printed_id: str,
        section: str | None,
        requirement: str = "",
        *,
        tentative: bool = False,
    ) -> None:
        block = _Block(printed_id=printed_id, section=section, tentative=tentative)
        if requirement:
            block.requirement.append(requirement)
        self.blocks.append(block)
        self.active = True
        self.id_label_pending = False

    def close(self) -> None:
        """End the open block (a heading or table follows); later lines are not its."""
        self.active = False
        self.id_label_pending = False

    def rows(self, table_index: int) -> tuple[Row, ...]:
        """The collected blocks as Rows of one synthetic table."""
        header = (ID_HEADER, REQUIREMENT_HEADER, *self.labels)
        blocks = [b for b in self.blocks if b.values or not b.tentative]
        return tuple(
            Row(
                page=None,
                table_index=table_index,
                row_index=i,
                cells=(
                    block.printed_id,
                    clean_cell(" ".join(block.requirement)),
                    *(clean_cell(" ".join(block.values.get(lab, []))) for lab in self.labels),
                ),
                header=header,
                section=block.section,
            )
            for i, block in enumerate(blocks)
        )


def is_bare_id(text: str) -> bool:
    """True when a line is only a provision id ("1.2", "6.20.", "3c").

    Args:
        text: one line, any whitespace.

    Returns:
        Whether the whole line is an id, as printed over a provision's lines.
    """
    return _BARE_ID.match(clean_cell(text)) is not None


def key_value_lines(rows: Sequence[tuple[str, ...]]) -> list[str] | None:
    """Lines for the stacked reader from a two-column label | value table, else None.

    Some forms give each provision its own small table ("Code section | 1.2",
    "Requirement | ...", "Compliance | Yes", "Evidence | ..."): the stacked block again,
    laid out as a table.
    """
    pairs = [r for r in rows if any(r)]
    if len(pairs) < 3 or any(len(r) != 2 for r in pairs):
        return None
    labels = [label for label, _ in pairs]
    if any(len(label.split()) > 8 for label in labels):
        return None
    ids = [
        i
        for i, (label, value) in enumerate(pairs)
        if _ID_LABEL.match(label)
        and (_START.match(f"{ID_HEADER} {value}") or _LOOSE_START.match(f"{ID_HEADER} {value}"))
    ]
    if len(ids) != 1:
        return None
    if not any(_label_role(label) in ("answer", "evidence") for label in labels):
        return None
    others = [f"{label}: {value}" for i, (label, value) in enumerate(pairs) if i != ids[0]]
    return [f"{ID_HEADER} {pairs[ids[0]][1]}", *others]


def label_line(label: str, rest: str) -> str | None:
    """ "Compliance: Yes" from a bold label and the text after it ("**Compliance** Yes"),
    or None when the bold text is not a label or already carries its colon."""
    label, rest = clean_cell(label), clean_cell(rest)
    if not label or not rest or label.endswith(":") or rest.startswith(":"):
        return None
    if header_cell_role(label) == "other":
        return None
    return f"{label}: {rest}"
