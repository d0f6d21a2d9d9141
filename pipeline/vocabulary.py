"""The domain's words in one place: provision ids, answer words and glyphs, column roles,
section headings, and the one rule for "this is a self-assessment".

Every stage imports these instead of keeping its own copy, so a new spelling seen on a
landlord's form is taught to the whole pipeline at once. Pure, no I/O.

Hand-written regular expressions rather than a library: the vocabulary is small and
closed (the words of the Complaint Handling Code self-assessment forms), and each
pattern is pinned by tests in ``tests/test_vocabulary.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from pipeline.textnorm import normalise_space

# --- Provision ids -----------------------------------------------------------------------
# "6.3" (2022/2024 Code) or "4c" (2020 form questions).
ID_CORE = r"(?:\d{1,2}\.\d{1,2}|[1-9][a-j])"
# A cell that is only an id: "6.3", "6.3.", "1a".
PROVISION_ID = re.compile(rf"^{ID_CORE}\.?$")
# An id glued to the start of the text that follows it: "1.3The resident", "2a Does",
# "6.20 Stage 2 is" - but not "1.5 million" (a lower-case word after a space is allowed
# only when the id is followed by a quote or bracket) nor a date "12.03.2024".
LEADING_ID = re.compile(rf"^\s*({ID_CORE})(?![\d.]\d)(?=\s*[A-Z'‘\"“(•·\[.…]|\s+[a-z])\s*")
# Words and signs printed before an id: "CHC 5.1", "Provision 5.1:", "Code ref 5.1", "§5.1".
ID_PREFIX = re.compile(
    r"^(?:(?:chc|code|provision|prov|ref|reference|para(?:graph)?|requirement|req|item|no|"
    r"section|clause)\b\.?\s*)+|^[§#]\s*",
    re.IGNORECASE,
)
_ID_DOTTED = re.compile(r"^(\d{1,2})\s*\.\s*(\d{1,2})(?:\s*\(?[a-z]\)?)?\.?$", re.IGNORECASE)
_ID_LETTER = re.compile(r"^(?:q\s*)?([1-9])\s*\(?([a-j])\)?\.?$", re.IGNORECASE)


def canonical_id(printed: str) -> str:
    """A printed id in canonical form ("1.2." -> "1.2", "1 (a)" -> "1a", "CHC 5.1" ->
    "5.1", "(5.1)" -> "5.1", "Provision 5.1:" -> "5.1", "5.1a" -> "5.1"); "" if garbled.

    Args:
        printed: the id as printed.
    """
    t = ID_PREFIX.sub("", normalise_space(printed))
    t = t.strip("()[] ").rstrip(":;– -|").strip("()[] ")
    m = _ID_DOTTED.match(t)
    if m:
        return f"{int(m.group(1))}.{int(m.group(2))}"
    m = _ID_LETTER.match(t)
    if m:
        return f"{m.group(1)}{m.group(2).lower()}"
    return ""


def is_provision_id(text: str) -> bool:
    """True when a whole cell is a provision id ("6.3", "1a", "6.20.")."""
    return PROVISION_ID.match(normalise_space(text)) is not None


# --- Answers -----------------------------------------------------------------------------
# Checkbox glyphs. Readers turn content controls, Wingdings and form inputs into TICKED /
# UNTICKED so that one rule (pipeline/answers.py) reads every kind of box.
TICKED = "☒"
UNTICKED = "☐"
TICKED_GLYPHS = "☒☑✓✔✅■▣"
UNTICKED_GLYPHS = "☐□▢"
CROSS_GLYPHS = "✗✘×"

# Answer words, by the value they mean (matched on folded text: lower case, straight
# quotes). pipeline/answers.py normalises with these; the readers use their union to
# tell an answer cell from evidence.
YES_WORDS = (
    r"yes\b|y\b|compliant\b|fully\s+compliant\b|fully\s+met\b|met\b|complies\b|comply\b|"
    r"we\s+comply\b|green\b|in\s+place\b|achieved\b|true\b|complete[d]?\b"
)
NO_WORDS = (
    r"no\b|n\b|non[- ]?complian(?:t|ce)\b|not\s+compliant\b|not\s+met\b|red\b|"
    r"not\s+in\s+place\b|does\s+not\s+comply\b|doesn't\s+comply\b|not\s+achieved\b|not\s+yet\b|"
    rf"[{CROSS_GLYPHS}](?:\s|$)"
)
PARTIAL_WORDS = (
    r"partial(?:ly)?\b|partly\b|part\b|part[- ]compliant\b|in[- ]progress\b|ongoing\b|"
    r"working\s+towards\b|amber\b|not\s+fully\b"
)
NA_WORDS = r"n\s*/\s*a\b|na\b|n\.a\.?|not\s+applicable\b|not\s+relevant\b"

# Answer words and phrases as printed in answer cells, longest first (an alternation
# takes the first that fits): the readers find answers with them, pipeline/answers.py
# gives them their values.
ANSWER_PHRASES = (
    r"yes\s*/\s*no|partially\s+compliant|fully\s+compliant|non[- ]?compliant|"
    r"not\s+compliant|not\s+applicable|partial(?:ly)?|compliant|n\s*/\s*a|not\s+met|"
    r"in\s+progress|yes|no|met|y|n|x|[✓✔☒☑✗✘]"
)
# A cell that starts with an answer word ("Yes", "Partial (In progress)", "N/A - see");
# a capital may follow at once (a next cell glued on: "YesThe", "Not compliantResidents").
ANSWER_START = re.compile(
    rf"^(?:{ANSWER_PHRASES})(?!(?-i:[a-z0-9_]))",
    re.IGNORECASE,
)
# A cell that is only an answer, perhaps with a qualifier: "Partial (In progress)",
# "Partial - (In progress)", "Yes / No" (unfilled), "No." - but not "Yes, residents can...".
_WHOLE_ANSWER = re.compile(
    r"^(?:(?:yes\s*/\s*no|yes|no|y|n|partial(?:ly)?|n/?a|not applicable|in progress|met|"
    r"not met|(?:fully |partially |non[- ]?|not )?compliant)[.:]?(?:\s*(?:\(.*\)|[-–].*))?"
    r"|[x✓✔☒☑])$",
    re.IGNORECASE,
)
# A mark written in a "Yes" / "No" / "Partial" column.
TICK_MARK = re.compile(r"^(?:x|✓|✔|☒|☑|yes|y|ticked)$", re.IGNORECASE)
# The longest answer cell ("Partial (In progress)" and its kin); longer cells are prose.
ANSWER_MAX_CHARS = 40


def is_answer(text: str) -> bool:
    """True when a cell is an answer on its own ("Yes", "Partial (In progress)", "N/A").

    Args:
        text: a cell, any whitespace.

    Returns:
        Whether the whole cell reads as an answer, not as evidence that starts with one.
    """
    t = normalise_space(text)
    return len(t) <= ANSWER_MAX_CHARS and _WHOLE_ANSWER.match(t) is not None


_BARE_NA = re.compile(rf"^\W*(?:{NA_WORDS})\W*$", re.IGNORECASE)


def is_bare_na(text: str) -> bool:
    """A cell that is only "N/A" / "n/a" / "Not applicable": in an evidence cell it says
    no document is cited, not that the requirement does not apply."""
    return _BARE_NA.match(normalise_space(text)) is not None


def starts_with_answer(text: str) -> bool:
    """True when a cell starts with an answer word ("Yes - see policy", "N/A")."""
    return ANSWER_START.match(normalise_space(text)) is not None


# --- Column roles ------------------------------------------------------------------------
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

# The header given to rows read by the reference-anchored reading (pipeline/extract/
# anchors/): stage 2 assigns their roles from it as for a table.
ANCHOR_HEADER = ("Code provision", "Code requirement", "Comply", "Evidence")

_ID_HEADERS = frozenset(
    {"ref", "ref.", "no.", "#", "id", "number", "section", "para", "para.", "paragraph"}
)
# Header words a narrow PDF column breaks into pieces ("Compl" / "y" read as "Compl y").
_BROKEN_HEADERS = frozenset(
    {"comply", "compliant", "compliance", "evidence", "provision", "requirement",
     "commentary", "explanation", "question", "actions", "status"}
)  # fmt: skip
_ANSWER_HEADERS = frozenset({"status", "answer", "self-assessment", "our position", "position"})


# Cached: the readers ask about the same few labels ("Evidence", "Do we comply?")
# thousands of times per document.
@lru_cache(maxsize=8192)
def header_cell_role(text: str) -> Role:
    """Role of one header (or label) cell from its wording.

    "Code provision" -> id, "Code requirement" / "Question" -> requirement,
    "Comply: Yes / No" / "Do we comply?" / "Compliance" -> answer, "Evidence" -> evidence,
    "Commentary / explanation" -> commentary, "Actions" -> actions, a bare "Yes" / "No" /
    "Partial" (tick columns) -> yes / no / partial.
    """
    t = normalise_space(text).lower().rstrip(":?")
    if t.replace(" ", "") in _BROKEN_HEADERS and " " in t:
        t = t.replace(" ", "")  # "Compl y": a header word broken by a narrow PDF column
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
    if re.fullmatch(r"\d{1,2}\.?", t) or t in _ID_HEADERS:
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
    if re.search(r"\b(?:met|rag|achieved|rating)\b", t) or t in _ANSWER_HEADERS:
        return "answer"
    if "commentary" in t or "comment" in t or "explanation" in t or "explination" in t:
        return "commentary"
    if "notes" in t:
        return "commentary"
    if "response" in t and len(t.split()) <= 3:
        return "answer"  # "Our response", "Landlord response"; prose is demoted later
    if "requirement" in t or "question" in t or t == "code" or "code says" in t:
        return "requirement"
    return "other"


# --- Headings ----------------------------------------------------------------------------
# "Section 6: Complaints Stages", "Section 1 - Definition", "Section 2 Exclusions" - but not
# prose such as "Section 3 of the policy states ...".
SECTION_HEADING = re.compile(
    r"^\W{0,3}(?i:section)\s+\d{1,2}(?:\s*[:\-–]|\.(?!\d)|\s*$|\s+[A-Z][\w&,'’]*(?:\s+\S+){0,6}\s*$)"
)
# "Mandatory 'must' requirements", "Best practice 'should' requirements", "Must Do".
OBLIGATION_HEADING = re.compile(
    r"^(?:mandatory|best practice)\b|^\W*(?:must|should)\b.*\brequirements?\b", re.IGNORECASE
)
# A bare stage heading ("Stage 2", "STAGE 3", "Stage 1 - response").
STAGE_HEADING = re.compile(r"^stage\s+(?:\d|one|two|three)\s*(?:[:\-–].{0,40})?$", re.IGNORECASE)


# --- The one rule for "this is a self-assessment" -------------------------------------


def is_assessment(answered: int, answer_cells: int) -> bool:
    """A document is a self-assessment when it holds Code provisions with answers or with
    answer cells (a form's table with an answer column, blank or not), however few.

    A complaints policy or an annual report that quotes the Code's wording without
    answering it is not one.

    Args:
        answered: provisions found with a recognised answer.
        answer_cells: provisions found in a table that has an answer column.
    """
    return answered > 0 or answer_cells > 0


# A cell with at least this many words and characters reads like a requirement or
# evidence, not a label or a number ("A complaint investigation must be impartial").
WORDY_CELL_WORDS, WORDY_CELL_CHARS = 4, 25
_NUMERIC = re.compile(r"^[\d.,%£$()\s/:+-]+$")


def _wordy(cell: str) -> bool:
    return len(cell) >= WORDY_CELL_CHARS and len(cell.split()) >= WORDY_CELL_WORDS


def is_assessment_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, has_layout: bool
) -> bool:
    """Whether a table is (part of) a self-assessment, however few its rows.

    A self-assessment holds Code provisions with answers or answer cells: a table is one
    when it has wordy cells (requirements) and either a header that names a requirement
    and an answer or evidence column (``has_layout``), or rows marked as provisions (a
    provision id or an answer cell) in at least half of them. Statistics (mostly numbers),
    contents lists and title blocks (no wordy cell) are not.

    Args:
        header: the table's header cells (may be empty).
        rows: the body rows' cell texts.
        has_layout: the header was recognised as an assessment header (column roles).

    Returns:
        True when the table should be read as self-assessment rows.
    """
    cells = [c for r in rows for c in r if c]
    if not cells:
        return False
    numeric = sum(1 for c in cells if _NUMERIC.match(c) and not PROVISION_ID.match(c))
    if numeric / len(cells) >= 0.4:
        return False
    wordy = sum(1 for r in rows if any(_wordy(c) for c in r))
    if not wordy:
        return False
    if header and has_layout:
        return True
    half = max(1, len(rows) // 2)
    marked = sum(1 for r in rows if any(PROVISION_ID.match(c) or ANSWER_START.match(c) for c in r))
    return wordy >= half and marked >= half
