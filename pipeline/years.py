"""Assessment year: from the manifest, else from the document, else from its file name;
and whether the Code version of the form is plausible for that year.

Rules (pure functions, no I/O):

* The year is the calendar year in which the self-assessment was made.
* A financial year "2023/24" (also "2023/2024", "2023-24", "FY23/24") counts as its
  **later** calendar year (2024). Self-assessments are completed and published with the
  annual complaints performance report, after the financial year they cover ends; and
  forms following the 2024 Code (statutory from 1 April 2024) are commonly labelled
  "2023/24", which the earlier year would wrongly flag as implausible.
* Where a year is looked for: first the heading lines of the text (the first
  ``HEADING_LINES`` non-empty lines: "Self-Assessment Form September 2023",
  "2024 V3", "as of May 2023"), then the file name ("rotherham_2024.pdf"), then the
  body text, where the latest month-and-year date mentioned ("updated in July 2021")
  is taken, since a self-assessment is written after the events it reports. Dates
  after "by", "until", "before" or "target" are plans, not history, and are ignored
  in the body, as are years naming an Act or a Code edition ("Equality Act 2010",
  "the 2022 Code").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.textnorm import clean_cell

HEADING_LINES = 12
FIRST_PLAUSIBLE_YEAR = 2019  # the first Code was published in 2020; allow a year's slack
LAST_PLAUSIBLE_YEAR = 2035

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(20[1-3]\d)"
# "2023/24", "2023/2024", "2023-24", "2023 - 2024", "FY23/24", "23/24" (with FY only).
_FINANCIAL = re.compile(
    r"(?<![\d/])(20[1-3]\d)\s*[/\-–]\s*(20[1-3]\d|\d{2})(?![\d/])|"
    r"\bFY\s?(\d{2})\s*[/\-–]\s*(\d{2})\b",
    re.IGNORECASE,
)
# "September 2023", "1 April 2024", "Sept. 2023", "May, 2023".
_MONTH_YEAR = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTHS}\.?,?\s+{_YEAR}\b", re.IGNORECASE
)
# "01/04/2024", "1.4.2024", "2024-04-01".
_DATE = re.compile(
    rf"\b\d{{1,2}}[/.]\d{{1,2}}[/.]{_YEAR}\b|\b{_YEAR}-\d{{2}}-\d{{2}}\b", re.IGNORECASE
)
# "2024 V3", "V3 2024", "version 2 2024".
_VERSIONED = re.compile(rf"\b{_YEAR}\s+v(?:er(?:sion)?)?\s?\d+\b|\bv\d+\s+{_YEAR}\b", re.I)
_BARE = re.compile(rf"(?<![\d/£$.,-]){_YEAR}(?![\d/%,.]\d|\d)")
# A year that names a law or a Code edition, not a date.
_NOT_A_DATE_AFTER = re.compile(r"\b(?:act|regulations?|order|code)\s*$", re.IGNORECASE)
_NOT_A_DATE_BEFORE = re.compile(r"^\s*(?:code|complaint handling code|act)\b", re.IGNORECASE)
_PLANNED = re.compile(r"\b(?:by|until|before|target|deadline|due|next|from)\s*$", re.I)


@dataclass(frozen=True, slots=True, kw_only=True)
class YearDecision:
    """The assessment year of a document, and where it came from.

    Attributes:
        year: the year, or None when nothing was found.
        raw: the text it was read from ("September 2023", "2023/24"; "" when none).
        inferred: False only when the year came from the manifest.
        note: how the year was found, or why it is doubtful ("" when given and plausible).
    """

    year: int | None
    raw: str
    inferred: bool
    note: str


@dataclass(frozen=True, slots=True)
class _Found:
    year: int
    raw: str
    kind: str  # "financial", "month", "date", "versioned", "bare"


def _financial_year(m: re.Match[str]) -> int:
    """The later calendar year of a financial-year match (see module docstring)."""
    if m.group(1):
        start, end = m.group(1), m.group(2)
        later = int(end) if len(end) == 4 else int(start[:2] + end)
        return later if later == int(start) + 1 else int(start)
    return 2000 + int(m.group(4))


def _is_law_or_code(line: str, start: int, end: int) -> bool:
    return bool(_NOT_A_DATE_AFTER.search(line[:start]) or _NOT_A_DATE_BEFORE.match(line[end:]))


def _years_in_line(line: str, *, bare: bool) -> list[_Found]:
    """Year mentions in one line, strongest kinds first, then left to right."""
    found: list[tuple[int, int, _Found]] = []
    taken: list[tuple[int, int]] = []

    def add(rank: int, m: re.Match[str], year: int, kind: str) -> None:
        if any(m.start() < e and s < m.end() for s, e in taken):
            return
        if _is_law_or_code(line, m.start(), m.end()):
            return
        if not FIRST_PLAUSIBLE_YEAR <= year <= LAST_PLAUSIBLE_YEAR:
            return
        taken.append((m.start(), m.end()))
        found.append((rank, m.start(), _Found(year, m.group(0).strip(), kind)))

    # Added most specific first: an overlapping later match is not counted again
    # ("2024-04-01" is a date, not the financial year "2024-04").
    for m in _VERSIONED.finditer(line):
        add(0, m, int(m.group(1) or m.group(2)), "versioned")
    for m in _DATE.finditer(line):
        add(3, m, int(m.group(1) or m.group(2)), "date")
    for m in _MONTH_YEAR.finditer(line):
        add(2, m, int(m.group(1)), "month")
    for m in _FINANCIAL.finditer(line):
        add(1, m, _financial_year(m), "financial")
    if bare:
        for m in _BARE.finditer(line):
            add(4, m, int(m.group(1)), "bare")
    return [f for _, _, f in sorted(found, key=lambda t: (t[0], t[1]))]


def year_from_heading(lines: Sequence[str]) -> tuple[int, str] | None:
    """The first year written in heading lines ("Self-Assessment Form September 2023",
    "2024 V3", "2023/24", a bare "2023" in a title), or None."""
    for line in lines:
        hits = _years_in_line(line, bare=True)
        if hits:
            return hits[0].year, hits[0].raw
    return None


def year_from_file_name(file_name: str) -> tuple[int, str] | None:
    """A year or financial year written as a separate word in a file name
    ("000_rotherham_2024.pdf", "SA-2023-24.docx"); hashes and ids are not read as years."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", Path(file_name).name)
    for m in _FINANCIAL.finditer(stem):
        year = _financial_year(m)
        if FIRST_PLAUSIBLE_YEAR <= year <= LAST_PLAUSIBLE_YEAR:
            return year, m.group(0)
    for word in re.split(r"[\s_.,()\[\]+-]+", stem):
        if re.fullmatch(_YEAR, word) and FIRST_PLAUSIBLE_YEAR <= int(word) <= LAST_PLAUSIBLE_YEAR:
            return int(word), word
    return None


def year_from_body(lines: Sequence[str]) -> tuple[int, str] | None:
    """The latest dated mention (month and year, a full date, a financial year) in body
    text that is not a plan ("by March 2025"); None when there is none."""
    best: _Found | None = None
    for line in lines:
        for hit in _years_in_line(line, bare=False):
            start = line.find(hit.raw)
            if start >= 0 and _PLANNED.search(line[:start]):
                continue
            if best is None or hit.year > best.year:
                best = hit
    return (best.year, best.raw) if best else None


def infer_year(*, given: int | None, text_lines: Sequence[str], file_name: str) -> YearDecision:
    """Decide the assessment year of a document.

    The manifest year wins when given. Otherwise, in order: the heading lines of the
    text, the file name, the latest past date in the body (see the module docstring
    for the rules, including "2023/24" -> 2024, the later year).

    Args:
        given: year from the manifest, or None.
        text_lines: the document's text lines in reading order (title lines first;
            the whole text may be passed).
        file_name: the document's file name or path.

    Returns:
        The decision; ``year`` is None when nothing was found.

    Example:
        >>> infer_year(given=None, text_lines=["Form September 2023"], file_name="x").year
        2023
    """
    if given is not None:
        note = ""
        if not FIRST_PLAUSIBLE_YEAR <= given <= LAST_PLAUSIBLE_YEAR:
            note = f"assessment year {given} from the manifest is outside the Code's lifetime"
        return YearDecision(year=given, raw=str(given), inferred=False, note=note)
    lines = [clean_cell(line) for line in text_lines]
    lines = [line for line in lines if line]
    heading = year_from_heading(lines[:HEADING_LINES])
    if heading is not None:
        return YearDecision(
            year=heading[0], raw=heading[1], inferred=True, note="year from the document heading"
        )
    from_file = year_from_file_name(file_name)
    if from_file is not None:
        return YearDecision(
            year=from_file[0], raw=from_file[1], inferred=True, note="year from the file name"
        )
    body = year_from_body(lines[HEADING_LINES:])
    if body is not None:
        return YearDecision(
            year=body[0],
            raw=body[1],
            inferred=True,
            note="year of the latest date mentioned in the text",
        )
    return YearDecision(year=None, raw="", inferred=True, note="no year found")


# The years each form can plausibly carry. The 2020 Code form was used for 2020-2021
# assessments (and early 2022); the 2022 Code applied from April 2022 until the 2024
# Code became statutory on 1 April 2024 (2024-Code self-assessments were still
# published for 2023/24, i.e. 2024 under the later-year rule).
_PLAUSIBLE: dict[str, tuple[int, int | None]] = {
    "2020": (2020, 2022),
    "2022": (2022, 2024),
    "2024": (2024, None),
}


def version_year_note(code_version: str | None, year: int | None) -> str:
    """Check that the Code version of a form fits its assessment year.

    Args:
        code_version: "2020", "2022", "2024" or None.
        year: assessment year or None.

    Returns:
        "" when plausible or when either is unknown; otherwise a sentence for a human,
        e.g. for a 2024-Code form dated 2022.
    """
    if code_version is None or year is None or code_version not in _PLAUSIBLE:
        return ""
    first, last = _PLAUSIBLE[code_version]
    if year < first:
        return (
            f"The form follows the {code_version} Code but is dated {year}, before that "
            f"Code applied ({first}); check the assessment year or the Code version."
        )
    if last is not None and year > last:
        return (
            f"The form follows the {code_version} Code but is dated {year}, after that "
            f"Code was replaced (last plausible year {last}); check the assessment year "
            "or the Code version."
        )
    return ""
