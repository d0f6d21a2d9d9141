"""Words of a PDF page -> lines -> cell text, with the right spacing at line breaks.

pdfplumber's ``extract_text`` can glue the last word of a line to the first word of
the next ("PolicyOngoing"), so cell text is rebuilt here from words, one visual line
at a time. Lines are joined with a space, except where the break is inside a token:

* the next line starts with closing punctuation ("progress" / ")");
* the line ends with a hyphen after a letter ("In-" / "Progress");
* the line is one word that fills it, it ends in a letter, the next starts in lower
  case, and the two pieces together are wider than the column: a word too long for a
  narrow column, broken wherever the line was full ("Part" / "ial").

None of these applies when the PDF has a space character right after the line's
last word (Word and LibreOffice keep the space at which they wrapped when it fits,
as in "two- stage"). Hand-written because pdfplumber has no per-line join hook.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from pipeline.extract.pdf.glyphs import Glyphs
from pipeline.textnorm import clean_cell
from pipeline.vocabulary import ANSWER_START, PROVISION_ID, header_cell_role

Word = dict[str, Any]  # pdfplumber's word dicts; they never leave the pdf_* modules.

ID = PROVISION_ID
ANSWER = ANSWER_START
_CLOSING = tuple(")]}.,;:!?%”’")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")
_X0 = itemgetter("x0")


@dataclass(frozen=True, slots=True)
class Spacing:
    """Where a page has space characters (to tell "two- stage" from "In-Progress").

    Attributes:
        spaces: rounded ``top`` -> x0 of each space character on that line.
    """

    spaces: dict[int, tuple[float, ...]]

    def space_after(self, word: Word) -> bool:
        """True when a space character follows ``word`` on its line."""
        key, end = round(word["top"]), word["x1"]
        for k in (key - 1, key, key + 1):  # loops, not any(): asked for every line break
            for x in self.spaces.get(k, ()):
                if abs(x - end) < 1.0:
                    return True
        return False


NO_SPACING = Spacing(spaces={})


def page_spacing(glyphs: Glyphs) -> Spacing:
    """Index the space characters of a page.

    Args:
        glyphs: the page's characters (``pdf_objects.page_glyphs``).
    """
    index: dict[int, list[float]] = {}
    codes = np.frombuffer(glyphs.text.encode("utf-32-le"), dtype=np.uint32)
    at = np.flatnonzero(codes == ord(" "))
    # numpy rounds half to even, like round().
    keys = glyphs.top[at].round().astype(int).tolist()
    for key, x in zip(keys, glyphs.x0[at].tolist(), strict=True):
        index.setdefault(key, []).append(x)
    return Spacing(spaces={k: tuple(v) for k, v in index.items()})


def lines_of(words: Sequence[Word], tolerance: float = 3.0) -> list[list[Word]]:
    """Group words into visual lines (same ``top`` within tolerance), left to right."""
    return ordered_lines(sorted(words, key=_line_order), tolerance)


def _line_order(word: Word) -> tuple[int, float]:
    """The order ``lines_of`` reads words in: by rounded top, then left edge."""
    return round(word["top"]), word["x0"]


def line_ranks(x0: npt.NDArray[np.float64], top: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    """Each word's place in ``_line_order`` (the order ``lines_of`` reads words in),
    from the words' left edges and tops: words in page order sorted by rank alone come
    in that order. numpy rounds half to even, like ``round``; lexsort is stable."""
    rank = np.empty(len(x0), dtype=np.intp)
    rank[np.lexsort((x0, np.round(top)))] = np.arange(len(x0))
    return rank


def ordered_lines(words: Sequence[Word], tolerance: float = 3.0) -> list[list[Word]]:
    """``lines_of`` for words already sorted by ``_line_order``."""
    out: list[list[Word]] = []
    line: list[Word] = []
    first = 0.0  # top of the line's first word
    for word in words:
        top = word["top"]
        if line and abs(first - top) <= tolerance:
            line.append(word)
        else:
            line, first = [word], top
            out.append(line)
    # A line of one word needs no sort (most are, in narrow cells).
    return [sorted(line, key=_X0) if len(line) > 1 else line for line in out]


def join_cell(words: Sequence[Word], spacing: Spacing = NO_SPACING, width: float = 0.0) -> str:
    """Cell text from its words: lines joined by a space, or by nothing inside a token.

    Args:
        words: the words inside the cell.
        spacing: the page's space characters (see ``page_spacing``).
        width: the column's text width (widest line); 0 disables the long-word rule.

    Returns:
        The cell text, tags stripped and whitespace normalised.
    """
    return join_lines(lines_of(words), spacing, width)


def join_lines(lines: Sequence[Sequence[Word]], spacing: Spacing, width: float) -> str:
    """``join_cell`` of a cell already grouped into lines (``lines_of``)."""
    parts: list[str] = []
    previous: Sequence[Word] | None = None
    for line in lines:
        text = " ".join([w["text"] for w in line])
        if previous is not None:
            space = _line_break_is_space(previous, line[0], text, spacing, width)
            parts.append(" " if space else "")
        parts.append(text)
        previous = line
    return clean_cell("".join(parts))


def _line_break_is_space(
    line: Sequence[Word], first: Word, following: str, spacing: Spacing, width: float
) -> bool:
    last = line[-1]
    line_width = last["x1"] - line[0]["x0"]
    if spacing.space_after(last):
        return True
    if following.startswith(_CLOSING) or _HYPHEN_END.search(last["text"]):
        return False
    if not width:
        return True
    # Full: not even the next word's first character would have fitted on the line.
    char = (first["x1"] - first["x0"]) / max(len(first["text"]), 1)
    full = line_width + char > width - 0.5
    pieces = (last["x1"] - last["x0"]) + (first["x1"] - first["x0"])
    # Text engines move a word that does not fit to a new line and break it only when it
    # does not fit there either, so a word cut mid-way is alone on its line; a line of
    # several words ("Partial (In" / "progress)") wrapped at a space.
    mid_word = len(line) == 1 and last["text"][-1:].isalnum() and following[:1].islower()
    return not (full and mid_word and pieces > width + 1.0)


def join_fragments(first: str, second: str, open_end: bool = False) -> str:
    """Join the two parts of a cell split by a page break, by the line-break rules.

    Args:
        first: the part on the earlier page.
        second: the part on the next page.
        open_end: ``first`` ends in a word broken by a narrow column (see
            ``ends_mid_word``); it is joined to a lower-case continuation directly.
    """
    if not first or not second:
        return first or second
    if second.startswith(_CLOSING) or _HYPHEN_END.search(first):
        return first + second
    if open_end and second[:1].islower():
        return first + second
    return f"{first} {second}"


def ends_mid_word(words: Sequence[Word], spacing: Spacing, width: float) -> bool:
    """True when a cell's last line is one word filling the column, cut mid-word.

    Such a line ("Pro" in a 16 pt column) is the head of a word too long for the
    column; if the rest is on the next page, ``join_fragments`` joins it directly.
    """
    return lines_end_mid_word(lines_of(words), spacing, width)


def lines_end_mid_word(lines: Sequence[Sequence[Word]], spacing: Spacing, width: float) -> bool:
    """``ends_mid_word`` of a cell already grouped into lines (``lines_of``)."""
    if not lines or len(lines[-1]) != 1 or not width:
        return False
    word = lines[-1][0]
    span = word["x1"] - word["x0"]
    char = span / max(len(word["text"]), 1)
    return (
        word["text"][-1:].isalnum() and span + char > width - 0.5 and not spacing.space_after(word)
    )


def column_width(cells: Sequence[Sequence[Word]]) -> float:
    """Text width of a column: its widest line over the given cells of that column."""
    return max((lines_width(lines_of(words)) for words in cells), default=0.0)


def lines_width(lines: Sequence[Sequence[Word]]) -> float:
    """The widest of a cell's lines (``lines_of``)."""
    return max((line[-1]["x1"] - line[0]["x0"] for line in lines), default=0.0)


# Header wording repeats on every page and is asked about often: remember the answers.


def is_header_row(cells: Sequence[str]) -> bool:
    """True when a row reads like column headings ("Code provision | Comply ...").

    Args:
        cells: the row's cell texts.

    Returns:
        True when at least two cells, and at least half of the filled ones, name a
        column role (see ``pipeline.columns.header_cell_role``) and none is an id; a
        cell starting in lower case names none.
    """
    filled = [c for c in cells if c]
    if len(filled) < 2 or any(len(c) > 60 or ID.match(c) for c in filled):
        return False
    # A cell that starts in lower case is the middle of a sentence (a long cell's rest at
    # the top of a page: "accept a complaint they must be able to evidence"), whatever
    # column words it happens to hold.
    roles = [header_cell_role(c) if not c[:1].islower() else "other" for c in filled]
    # A lone "Yes" or "No" is an answer; only the pair heads Yes/No answer columns.
    pair = 2 if "yes" in roles and "no" in roles else 0
    named = sum(1 for r in roles if r not in ("other", "yes", "no")) + pair
    return named >= 2 and named * 2 >= len(filled)
