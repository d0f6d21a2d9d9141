"""Answer normalisation: the answer cell as written -> yes / no / partial / na / unknown.

Pure functions, no I/O. The store and report code reuse ``compliance_from_text``.

Hand-written regular expressions rather than a library: the vocabulary is small and
closed (answer words of the self-assessment forms), and each rule is pinned by a test.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.records import Compliance, MemberAnswer
from pipeline.textnorm import clean_cell
from pipeline.vocabulary import (
    NA_WORDS,
    NO_WORDS,
    PARTIAL_WORDS,
    TICKED_GLYPHS,
    UNTICKED_GLYPHS,
    YES_WORDS,
)

# Checkbox glyphs: ticked and unticked.
_TICKED = TICKED_GLYPHS
_UNTICKED = UNTICKED_GLYPHS
_BOX = re.compile(rf"[{_TICKED}{_UNTICKED}]|\[[xX✓ ]\]")

_PARTIAL = re.compile(rf"^(?:{PARTIAL_WORDS})")
_NA = re.compile(rf"^(?:{NA_WORDS})")
_NO = re.compile(rf"^(?:{NO_WORDS})")
_YES = re.compile(rf"^(?:{YES_WORDS})")
# A yes qualified straight after the word: "Yes (partially)", "Y (Partial)", "Yes, partly met".
_QUALIFIED_PARTIAL = re.compile(r"^\W*(?:partial(?:ly)?|partly|in\s+part)\b")
# An unfilled "Yes / No" prompt (also "Yes/No", "Yes or No", "Y/N").
_UNFILLED = re.compile(r"^(?:yes\s*(?:/|or|\\)\s*no|y\s*/\s*n)\.?$")
# "Yes / No" with one option struck or kept: "Yes / No: Yes" is handled by the member logic.
_MEMBER_SPLIT = re.compile(r"\s*(?:[•·;|\n]|\s[-/]\s)\s*")
_MEMBER = re.compile(r"^(?P<member>[^:]{1,60}?)\s*[:=\-–]\s*(?P<answer>.+)$")
# Evidence that opens with an answer word: "Yes, residents can ...", "No - we ...".
# The longest answer cell whose letters may have been spaced apart by a PDF's text layer.
_SPACED_MAX = 20
_EVIDENCE_ANSWER = re.compile(
    r"^(?:(?P<word>yes|partially|partial|not applicable|n/a)\b(?:[\s,.;:!\-–]|$)"
    r"|(?P<no>no)(?:\s*[,.;:!\-–]|\s*$))",  # "No." answers; "No complaints were ..." not
    re.IGNORECASE,
)


def _fold(raw: str) -> str:
    text = clean_cell(raw).lower()
    text = text.replace("’", "'").replace("‘", "'")
    return text.strip(" .,;:!*-–\"'()[]")


def _from_boxes(text: str) -> Compliance | None:
    """Checkbox cells: "Yes ☒ No ☐" or "☒ Yes ☐ No" -> the ticked label's answer."""
    boxes = list(_BOX.finditer(text))
    if not boxes:
        return None
    if len(boxes) == 1 and not _fold(_BOX.sub(" ", text)):
        # A lone mark in the answer cell: ticked means yes, an empty box means no answer.
        mark = boxes[0].group(0)
        return "yes" if mark in _TICKED or mark[1:2] not in ("", " ") else "unknown"
    glyph_first = boxes[0].start() == 0
    ticked: list[Compliance] = []
    for i, box in enumerate(boxes):
        mark = box.group(0)
        is_ticked = mark in _TICKED or (mark.startswith("[") and mark[1] != " ")
        if not is_ticked:
            continue
        if glyph_first:
            end = boxes[i + 1].start() if i + 1 < len(boxes) else len(text)
            label = text[box.end() : end]
        else:
            start = boxes[i - 1].end() if i > 0 else 0
            label = text[start : box.start()]
        value = _word_compliance(_fold(label))
        if value != "unknown":
            ticked.append(value)
    if not ticked:
        return "unknown"
    return ticked[0] if len(set(ticked)) == 1 else "unknown"


def _word_compliance(text: str) -> Compliance:
    if not text or _UNFILLED.match(text):
        return "unknown"
    if _PARTIAL.match(text) or text.startswith("partially compliant"):
        return "partial"
    if _NA.match(text):
        return "na"
    if _NO.match(text):
        return "no"
    yes = _YES.match(text)
    if yes:
        return "partial" if _QUALIFIED_PARTIAL.match(text[yes.end() :]) else "yes"
    return "unknown"


def compliance_from_text(raw: str) -> Compliance:
    """Normalise an answer cell as written.

    The leading answer word decides; a comment after it is ignored ("Yes – see policy
    section 4", "No – work underway"). "Yes", "Y", "YES", "Yes.", "Yes we comply",
    "Compliant", "Fully compliant", "Complete" -> yes; "No", "N", "Non-compliant",
    "Not yet" -> no; "Partial", "Partially", "Partial (In Progress)", "In progress", and a
    yes qualified at once as partial ("Yes (partially)", "Y (Partial)") -> partial; "N/A",
    "NA", "Not applicable" -> na; blank, an unfilled "Yes / No", or anything unrecognised
    ("TBC", "Under review") -> unknown. Checkbox cells ("Yes ☒ No ☐") give the ticked
    option.

    Args:
        raw: the answer cell text.

    Returns:
        The normalised compliance value.
    """
    text = clean_cell(raw)
    boxed = _from_boxes(text)
    if boxed is not None:
        return boxed
    value = _word_compliance(_fold(text))
    if value == "unknown" and " " in text and len(text) <= _SPACED_MAX:
        # A PDF that spaces the letters of a word apart ("PARTIA L", "Y es").
        value = _word_compliance(_fold(text.replace(" ", "")))
    return value


def is_recognised_answer(raw: str) -> bool:
    """True when ``raw`` is blank, an unfilled prompt, or a recognised answer.

    False means a human should look: the cell holds text that is not an answer word.
    """
    text = _fold(raw)
    if not text or _UNFILLED.match(text):
        return True
    if member_answers(raw):
        return True
    return compliance_from_text(raw) != "unknown"


def compliance_from_columns(yes_text: str, no_text: str) -> Compliance:
    """The 2020 Yes/No-column rule: text only under "Yes" -> yes, only under "No" -> no,
    under both -> partial, under neither -> unknown.

    A bare tick/cross mark counts as text.

    Args:
        yes_text: the "Yes" column's text.
        no_text: the "No" column's text.
    """
    has_yes, has_no = bool(clean_cell(yes_text)), bool(clean_cell(no_text))
    if has_yes and has_no:
        return "partial"
    if has_yes:
        return "yes"
    if has_no:
        return "no"
    return "unknown"


def member_answers(raw: str) -> tuple[MemberAnswer, ...]:
    """Per-member answers of a group form: "Group A: YES • Group B: NO".

    Returns an empty tuple unless at least two parts each read ``<member>: <answer>``
    with a recognised answer.

    Args:
        raw: the answer cell text.
    """
    text = clean_cell(raw)
    parts = [p for p in _MEMBER_SPLIT.split(text) if p]
    if len(parts) < 2:
        return ()
    found: list[MemberAnswer] = []
    for part in parts:
        m = _MEMBER.match(part)
        if not m:
            return ()
        value = compliance_from_text(m.group("answer"))
        if value == "unknown" and _fold(m.group("answer")):
            return ()
        found.append(
            MemberAnswer(member=m.group("member").strip(), compliance=value, raw=part.strip())
        )
    return tuple(found)


def combine_members(members: Sequence[MemberAnswer]) -> Compliance:
    """One overall answer for a group form: the members' answer when they agree,
    else "partial" (some members comply, some do not), else "unknown".

    Args:
        members: the per-member answers.
    """
    values = {m.compliance for m in members} - {"unknown"}
    if not values:
        return "unknown"
    if len(values) == 1:
        return next(iter(values))
    if "yes" in values or "partial" in values:
        return "partial"
    return "unknown"


def answer_in_evidence(text: str) -> Compliance | None:
    """The answer a landlord gave at the start of its evidence ("Yes, residents can ...").

    Args:
        text: evidence or commentary text.

    Returns:
        The answer, or None when the text does not open with an answer word.
    """
    m = _EVIDENCE_ANSWER.match(clean_cell(text))
    if not m:
        return None
    value = compliance_from_text(m.group("word") or m.group("no"))
    return None if value == "unknown" else value
