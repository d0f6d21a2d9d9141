"""From requirement sites to rows: the text between one requirement and the next.

A row starts at its printed id when one stands just before the requirement ("1.3The",
"5.1 | Landlords", "Code provision 3.1 / Requirement / ..."), else at the requirement.
What follows the requirement up to the next row is the row's tail: its answer first
(``answer.split_answer``), then evidence and commentary. Headings, repeated header
labels and site furniture at the end of a tail belong between rows, not to the row.
Pure, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.anchors.answer import TailReading, read_tail
from pipeline.extract.anchors.locate import Site
from pipeline.records import Anchor
from pipeline.textnorm import normalise_space
from pipeline.vocabulary import (
    ID_CORE,
    OBLIGATION_HEADING,
    SECTION_HEADING,
    STAGE_HEADING,
    header_cell_role,
    starts_with_answer,
)

# The id printed before a requirement: at the end of the text before it, perhaps with a
# label before it ("Code provision 3.1") and separators or a "Requirement" label after.
_ID_BEFORE = re.compile(
    rf"(?:(?:code\s+)?(?:provision|section|clause|ref(?:erence)?)\s*(?:no\.?)?\s*[:.]?\s*)?"
    rf"(?<![\d.])({ID_CORE})\.?\s*[|:.)\-–]?\s*$",
    re.IGNORECASE,
)
_SEPARATORS = " \t\r\n|:;-–—•·*…."
_DIGIT = re.compile(r"\d")
_LABEL_ROLES = frozenset({"id", "requirement", "answer", "evidence", "commentary", "actions"})
# A quotation reaching this share of its provision is a whole requirement (an answer may
# follow it even where the page is cut).
_WHOLE = 0.9
# Lines a web page adds around its content.
_FURNITURE = re.compile(
    r"^(?:toggle (?:menu|navigation)|skip to (?:main )?content|share (?:this page|on \w+|by "
    r"email)|last (?:modified|updated|reviewed)\b.*|print(?: this page)?|back to top|"
    r"was this page (?:useful|helpful)\??|accessibility (?:tools|statement)|my account|"
    r"cookie settings|report a problem with this page|page \d+ of \d+)$",
    re.IGNORECASE,
)
# A requirement left short by a few words at the end of a matched quotation: the rest of
# its sentence up to the first cell boundary joins the requirement.
_GLUED = re.compile(r"[a-z.][A-Z]")
_LEFTOVER = re.compile(r"^[^\n|\t]{0,80}?[.:;?!'’\"”)](?=\s*(?:\n|\||\t|$)|(?=[A-Z]))")


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    """One row read by the anchors.

    Attributes:
        printed_id: the id printed before the requirement ("" if none).
        requirement: the requirement as printed.
        quoted: the part of it that quotes the Code (what was located).
        answer: the answer as written ("" when blank).
        answer_alone: the answer is a cell of its own, not the first word of a sentence.
        evidence: the rest of the row (evidence, commentary), labels removed.
        start / end: character span of the row in the document text.
        anchors: the provisions the requirement may be.
        headings: headings found between the previous row and this one.
        notes: stable codes ("answer_truncated", "requirement_truncated").
    """

    printed_id: str
    requirement: str
    quoted: str
    answer: str
    evidence: str
    start: int
    end: int
    anchors: tuple[Anchor, ...]
    headings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    answer_alone: bool = True


def _id_before(text: str, start: int, floor: int) -> tuple[str, int]:
    """The printed id standing just before ``start`` (not before ``floor``), and where
    the row starts; ("", start) when there is none."""
    window_start = max(floor, start - 120)
    window = text[window_start:start]
    # A label line between id and requirement ("Requirement", "Code requirement").
    lines = window.rstrip(" \t").split("\n")
    while lines and (
        not lines[-1].strip(_SEPARATORS)
        or header_cell_role(lines[-1].strip(_SEPARATORS)) == "requirement"
    ):
        lines.pop()
    trimmed = "\n".join(lines)
    found = _ID_BEFORE.search(trimmed)
    if not found:
        return "", start
    return found.group(1), window_start + found.start()


def title_key(text: str) -> str:
    """Comparison form of a Code section title ("Complaints Team and Process:")."""
    return normalise_space(text).strip(_SEPARATORS + ":.").lower().replace("&", "and")


def is_between_rows(line: str, titles: frozenset[str] = frozenset()) -> bool:
    """A line that sits between rows: a heading (a Code section's own title among them,
    given as ``title_key`` forms in ``titles``), a header label, site furniture."""
    text = normalise_space(line).strip(_SEPARATORS)
    if not text:
        return True
    if titles and title_key(text) in titles:
        return True
    if _FURNITURE.match(text):
        return True
    if SECTION_HEADING.match(text) or STAGE_HEADING.match(text):
        return True
    words = len(text.split())
    if OBLIGATION_HEADING.search(text) and words <= 8:
        return True
    return _is_header_line(text)


def _is_header_line(text: str) -> bool:
    """Column labels repeated between rows ("Code section | Code requirement | Comply"),
    not a value ("Yes", "Compliance: Yes", "Yes, evidence is relied upon.")."""
    if starts_with_answer(text) or len(text) > 120 or text.endswith(".") or _DIGIT.search(text):
        return False
    cells = [c.strip() for c in re.split(r"\s*\|\s*", text) if c.strip()]
    if len(cells) == 1 and ":" in cells[0].rstrip(":"):
        return False
    return all(header_cell_role(c) in _LABEL_ROLES and len(c.split()) <= 7 for c in cells)


def _trailing_headings(tail: str, titles: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """Split lines that sit between rows off the end of a tail."""
    lines = tail.split("\n")
    moved: list[str] = []
    while lines and is_between_rows(lines[-1], titles):
        line = lines.pop().strip()
        if line.strip(_SEPARATORS):
            moved.append(line)
    return "\n".join(lines), tuple(reversed(moved))


def _requirement_end(text: str, site: Site, limit: int) -> int:
    """Where the requirement ends: the site's end plus its closing punctuation; for a
    quotation that stopped short of its provision, plus the few words it left before the
    first cell boundary (never past a cell glued on: "answerPartialThe").

    The reference has no trailing punctuation of its own, so the site ends on a word.
    """
    rest = text[site.end : limit]
    closing = re.match(r"^[^\w\s|]{0,3}", rest)
    end = site.end + (closing.end() if closing else 0)
    if site.ref_end >= _WHOLE:
        return end
    m = _LEFTOVER.match(rest)
    if not m:
        return end
    glued = _GLUED.search(rest, 0, m.end())
    return site.end + (glued.start() + 1 if glued else m.end())


def _cut_off(tail: str, site: Site) -> bool:
    """The document ends inside this (last) row's requirement or right after it: the
    page was cut before the answer (nothing in the row can be read as an answer)."""
    rest = normalise_space(tail).lower()
    if len(rest) <= 3:
        return True
    words = re.findall(r"[a-z]+", rest)
    return bool(words) and " ".join(site.ref_rest.split()).startswith(" ".join(words))


def sites_to_segments(
    text: str, sites: Sequence[Site], titles: frozenset[str] = frozenset()
) -> list[Segment]:
    """Cut the document text into rows at the requirement sites.

    Args:
        text: the document text the sites were found in.
        sites: requirement sites in document order.
        titles: the Code's section titles (``title_key`` forms): such a line at the end
            of a row's text heads the next row, it is not the row's evidence.

    Returns:
        One Segment per site, in order.
    """
    starts: list[tuple[str, int]] = []
    floor = 0
    for site in sites:
        printed, start = _id_before(text, site.start, floor)
        starts.append((printed, start))
        floor = site.end
    segments: list[Segment] = []
    headings: tuple[str, ...] = ()
    for k, site in enumerate(sites):
        printed, start = starts[k]
        limit = starts[k + 1][1] if k + 1 < len(sites) else len(text)
        end_req = _requirement_end(text, site, limit)
        tail, next_headings = _trailing_headings(text[end_req:limit], titles)
        last = k + 1 == len(sites)
        reading: TailReading = read_tail(tail, at_end=last and site.ref_end >= _WHOLE)
        notes = list(reading.notes)
        if last and _cut_off(tail, site):
            notes.append("cut_before_answer")
        segments.append(
            Segment(
                printed_id=printed,
                requirement=normalise_space(text[site.start : end_req]),
                quoted=text[site.start : site.end],
                answer=reading.answer,
                evidence=reading.evidence,
                start=start,
                end=limit,
                anchors=site.anchors,
                headings=headings,
                notes=tuple(notes),
                answer_alone=reading.alone,
            )
        )
        headings = next_headings
    return segments
