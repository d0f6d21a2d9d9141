"""A row's tail -> its answer as written, and the evidence after it.

The answer is the first answer-like token of the tail, however the page printed it: a
cell of its own ("Yes" on its own line, between pipes or tabs), glued to the next cell
("YesThe policy", "YPoint 1.2"), after a label ("Comply: Yes", "Do we comply?" / "Yes",
"Great Yarmouth Borough Council response: No."), one answer per group member
("Group A: YES / Group B: YES"), or cut mid-word at the end of the page ("Parti").
Evidence that merely starts with prose is not an answer: "No complaints were ..." is a
sentence, "No." or "NoThe ..." is an answer. A tail with no answer token before its
prose is a blank answer. Pure, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.markup.checkbox import resolve_checkboxes
from pipeline.textnorm import normalise_space
from pipeline.vocabulary import (
    ANSWER_PHRASES,
    TICKED_GLYPHS,
    UNTICKED_GLYPHS,
    Role,
    header_cell_role,
    is_answer,
)

# Cell boundaries in copied text: line breaks, pipes, tabs.
_CELL_SPLIT = re.compile(r"\s*(?:\n|\||\t)\s*")
# Answer words at the start of a cell (the vocabulary's); the characters after them
# decide (see _accepts).
_HEAD = re.compile(rf"^(?P<word>{ANSWER_PHRASES})", re.IGNORECASE)
# Words that are answers only when a boundary follows them ("No." but not "No formal").
_STRICT = {"no", "y", "n", "x", "met", "not met"}
# A qualifier printed with the answer: "Partial (In progress)".
_QUALIFIER = re.compile(r"^\s*\([^()\n]{1,40}\)")
# "Comply: Yes", "Compliance - Partial", "<landlord> response: No."
_LABELLED = re.compile(r"^(?P<label>[A-Za-z][^:\n]{0,80}?)\s*(?::|\s[-–]\s)\s*(?P<rest>.*)$", re.S)
_ANSWER_LABEL_END = re.compile(
    r"(?:response|position|answer|comply|compliance|compliant|status|rating|rag)\W*$", re.I
)
# One answer per group member: "Group A: YES / Group B: YES".
_MEMBER = re.compile(r"[^:/•;|]{1,50}:\s*(?:yes|no|partial(?:ly)?|n/?a)\b", re.IGNORECASE)
_ANSWER_WORDS = ("yes", "partial", "partially", "not applicable")
_LEADING_JUNK = " \t\r\n|:;.,?!-–—•·*"
_GLYPH = re.compile(f"[{TICKED_GLYPHS}{UNTICKED_GLYPHS}]")
# A cell of checkbox options and glyphs only ("Yes ☒ No ☐", "Partial ☐", "☒").
_BOX_CELL = re.compile(
    rf"^(?:\s*(?:yes|no|partial(?:ly)?|n/?a|not applicable|[{TICKED_GLYPHS}{UNTICKED_GLYPHS}])"
    rf"\s*[/|,;:]?)+$",
    re.IGNORECASE,
)
# The tail opens with an empty cell between two separators (tabs or pipes).
_EMPTY_FIRST_CELL = re.compile(r"^[ \t]*[|\t][ \t]*(?:\n[ \t]*)?[|\t]")
# ... or with a paragraph holding only spaces (pages copied one cell per paragraph print
# "&nbsp;" for an empty cell, and for spacing too): then only an answer standing as a
# paragraph of its own is the answer, not a sentence opening with "Yes,".
_SPACE_PARAGRAPH = re.compile(r"^[ \t]*\n(?:[ \t]*\n)*[ \t\u00a0]+\n")
_PROSE_LABELS = ("evidence", "commentary", "actions", "answer")


@dataclass(frozen=True, slots=True)
class TailReading:
    """What a row's tail holds: the answer as written ("" when blank), the evidence and
    commentary after it, and stable notes ("answer_truncated")."""

    answer: str
    evidence: str
    notes: tuple[str, ...] = ()
    # The answer is a cell of its own (or glued to the next cell, "YesThe"), not the first
    # word of a sentence ("Yes, evidence is relied upon.").
    alone: bool = True


def _opens_sentence(cell: str, answer: str) -> bool:
    """The answer word is the start of a sentence in its cell: a comma or a lower-case
    word follows it."""
    after = cell[len(answer) :]
    return bool(re.match(r"^(?:,|\s+[a-z])", after))


def _accepts(word: str, after: str) -> bool:
    """Whether ``after`` may follow an answer word: a boundary, punctuation, a capital
    (a glued next cell), or - for unmistakable words - any next word."""
    if not after or after[0] in "\n|\t":
        return True
    if after[0].isalnum() and after[0].islower():
        return False  # "Yesterday", "Nothing", "Node"
    if after[0].isupper():
        return True  # "YesThe", "YPoint"
    if after[0] in ".,;:!)–-/":
        return True
    # A space: "Yes we comply", "Partial compliance" - but "No formal process", "N Smith".
    nxt = after.lstrip(" ")
    if word.lower() in _STRICT:
        return not nxt or nxt[0].isupper() or nxt[0] in "(|\n"
    return True


def _answer_at_start(cell: str) -> tuple[str, str] | None:
    """(answer, rest) when ``cell`` opens with an answer; None otherwise."""
    m = _HEAD.match(cell)
    if not m or not _accepts(m.group("word"), cell[m.end() :]):
        return None
    end = m.end()
    q = _QUALIFIER.match(cell[end:])
    if q:
        end += q.end()
    return cell[:end].strip(), cell[end:].lstrip(_LEADING_JUNK)


def _truncated_answer(cell: str) -> str | None:
    """The answer word that ``cell`` begins, cut mid-word at the end of the text."""
    word = cell.strip().lower()
    if len(word) < 2 or " " in word:
        return None
    return next((w for w in _ANSWER_WORDS if w != word and w.startswith(word)), None)


def _label_role(cell: str) -> Role | None:
    """The role a column label printed on its own names ("Do we comply?" -> answer,
    "Evidence" -> evidence); None for a value ("Yes - fully compliant", "Compliance: Yes").
    """
    text = cell.strip().rstrip(":?")
    # At most 8 words (split no further than needed: evidence cells can be long).
    if ":" in text or not 0 < len(text.split(None, 8)) <= 8:
        return None
    if _HEAD.match(text) and _answer_at_start(text) is not None:
        return None
    return header_cell_role(text)


def _label_before_answer(cells: list[str]) -> bool:
    """A word that can be the answer or its label ("Compliant") on its own line, with an
    answer on the next ("Partial."): the label."""
    if len(cells) < 2:
        return False
    first = cells[0].strip().rstrip(":?")
    if len(first.split()) > 3 or header_cell_role(first) != "answer":
        return False
    return _answer_at_start(cells[1].strip(_LEADING_JUNK)) is not None


def _checkbox_answer(cells: list[str]) -> tuple[str, int] | None:
    """A checkbox group at the start of the tail ("Yes ☒ No ☐ Partial ☐", in a PDF's
    text order perhaps "Yes No ☐ ☐" / "Partial ☐"): the ticked option ("" when none is
    ticked) and how many cells the group spans; None when the tail opens otherwise."""
    taken: list[str] = []
    for cell in cells:
        if not _BOX_CELL.match(cell):
            break
        taken.append(cell)
    if not taken or not any(_GLYPH.search(c) for c in taken):
        return None
    return resolve_checkboxes(" ".join(taken)), len(taken)


def read_tail(tail: str, *, at_end: bool = False) -> TailReading:
    """Read a row's tail (the text after its requirement, up to the next row).

    Args:
        tail: the text, as in the document (line breaks, pipes, tabs kept).
        at_end: the tail runs to the end of the document (a cut answer is possible).

    Returns:
        The answer as written ("" when none), the evidence after it, notes.
    """
    if _EMPTY_FIRST_CELL.match(tail):
        # "requirement<TAB><TAB>evidence", "requirement | | evidence": the answer cell is
        # printed, and empty.
        evidence_cells = [c for c in _CELL_SPLIT.split(tail.strip(_LEADING_JUNK)) if c.strip()]
        return TailReading(answer="", evidence=normalise_space(" ".join(evidence_cells)))
    body = tail.lstrip(_LEADING_JUNK).rstrip()
    cells = [c for c in _CELL_SPLIT.split(body) if c.strip(_LEADING_JUNK)]
    notes: list[str] = []
    answer = ""
    alone = True
    i = 0
    if cells and (_label_role(cells[0]) == "answer" or _label_before_answer(cells)):
        i = 1  # "Do we comply?" on its own line; the answer follows
    boxes = _checkbox_answer(cells[i:])
    if boxes is not None:
        answer, used = boxes
        cells = cells[i + used :]
    elif i < len(cells):
        cell = cells[i].strip(_LEADING_JUNK)
        labelled = _LABELLED.match(cell)
        if labelled and (
            header_cell_role(labelled.group("label")) == "answer"
            or _ANSWER_LABEL_END.search(labelled.group("label"))
        ):
            cell = labelled.group("rest")
        if len(_MEMBER.findall(cell)) >= 2:
            answer, rest = cell, ""
        else:
            found = _answer_at_start(cell)
            if found:
                answer, rest = found
                alone = not _opens_sentence(cell, answer)
            elif at_end and i == len(cells) - 1 and _truncated_answer(cell):
                # Read as the word it begins ("Parti" -> "Partial") and flagged; the raw
                # cells keep what was printed.
                word = _truncated_answer(cell) or ""
                answer, rest = cell.strip() + word[len(cell.strip()) :], ""
                notes.append("answer_truncated")
            else:
                rest = ""
        if answer:
            cells = [rest, *cells[i + 1 :]] if rest else cells[i + 1 :]
    if not answer and boxes is None and len(cells) >= 2 and is_answer(cells[-1]):
        # Forms that put the answer column last: evidence first, then "No." on its own.
        answer, cells = cells[-1].strip(), cells[:-1]
    if answer and not alone and _SPACE_PARAGRAPH.match(tail):
        cells, answer = [tail.strip(_LEADING_JUNK)], ""
    evidence_cells = [c for c in cells if _label_role(c) not in _PROSE_LABELS]
    return TailReading(
        answer=answer,
        evidence=normalise_space(" ".join(evidence_cells)),
        notes=tuple(notes),
        alone=alone,
    )
