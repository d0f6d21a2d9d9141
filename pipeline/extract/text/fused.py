"""Split fused table rows: text copied from a web page, where a row's cells run together.

A copied row looks like ``1.3A resident does not ... policy.YesIn accordance ...`` with
no separator between the cells. We know most of the row: it starts with a provision id,
the requirement is (nearly) the Code's own text for that id, the answer is one of a few
words, and the cells that follow (evidence, commentary) start where a capital letter is
glued to the end of the previous cell. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from rapidfuzz import fuzz

from pipeline.reference import load_reference
from pipeline.textnorm import clean_cell
from pipeline.vocabulary import ID_CORE, Role

# An id at the very start of a line, followed by text with no TAB ("1.3A resident", "2a Does").
FUSED_ID = re.compile(rf"^\s*({ID_CORE})(?=\s*[A-Za-z'‘\"“(•·\[.])\s*")
# An answer word glued between two cells. Single-letter Y/N only between sentence end and a
# capitalised word, so "NHS" or "Yesterday" never count.
_ANSWER = re.compile(
    r"(?:Yes\s*/\s*No|Yes|No|Partial(?:ly)?(?:\s*-?\s*\([^()]{0,30}\))?|N/A|Not applicable)"
    r"(?![a-z])|(?<=[.'’\")\]])(?:Y|N)(?=[A-Z][a-z])"
)
# A cell boundary inside fused text: a capital glued to a lower-case letter, digit or
# closing punctuation ("PolicySection", "staff.Staff", "scheme\"Learning").
_GLUE = re.compile(r"(?<=[a-z0-9.)\]:;!?'\"’”])(?=[A-Z])")
MIN_ALIGNMENT = 80.0
# Column roles assumed for fused rows when no (fused) header says otherwise: the 2022/2024
# form.
DEFAULT_FUSED_ROLES: tuple[Role, ...] = ("id", "requirement", "answer", "evidence", "commentary")


@cache
def _requirement_texts() -> tuple[tuple[str, str], ...]:
    """(provision id, normalised requirement text) for every provision of every version."""
    return tuple(
        (p.provision_id, clean_cell(p.requirement_text)) for p in load_reference().provisions
    )


def split_fused_header(line: str) -> tuple[str, ...]:
    """Split a fused header line ("Code provisionCode requirementComply: Yes / No...") at
    each lower-case letter, closing bracket or question mark glued to a capital ("Comply
    (Yes/No)Evidence", "Do we comply?Evidence").

    Args:
        line: one line of text without TABs.

    Returns:
        The header cells (one element when nothing is glued).
    """
    parts = re.split(r"(?<=[a-z)?])(?=[A-Z])", clean_cell(line))
    return tuple(p.strip() for p in parts if p.strip())


def requirement_end(provision_id: str, text: str) -> tuple[int, float]:
    """Where the requirement ends in ``text`` (the fused line after its id).

    The Code's requirement texts for ``provision_id`` (any version) are aligned with the
    start of ``text``. An id that is in no version gives no alignment: trying every
    provision would cost ~0.3 s per numbered paragraph of a long report.

    Args:
        provision_id: the id printed at the start of the line.
        text: the rest of the line.

    Returns:
        (end offset in ``text``, alignment score 0-100); (0, 0.0) when nothing aligns.
    """
    texts = _requirement_texts()
    candidates = [t for pid, t in texts if pid == provision_id]
    best_end, best_score = 0, 0.0
    for candidate in candidates:
        window = text[: len(candidate) + 40]
        found = fuzz.partial_ratio_alignment(candidate, window, score_cutoff=MIN_ALIGNMENT)
        if found is None or found.score <= best_score:
            continue
        # Alignment must begin near the start: the requirement follows the id directly.
        if found.dest_start > 10:
            continue
        best_end, best_score = found.dest_end, found.score
    return best_end, best_score


def _answer_near(text: str, end: int) -> tuple[int, int] | None:
    """(start, stop) of the answer word closest to ``end``, or None."""
    lo, hi = max(0, end - 40), min(len(text), end + 80)
    spans = [(m.start() + lo, m.end() + lo) for m in _ANSWER.finditer(text[lo:hi])]
    if not spans:
        return None
    return min(spans, key=lambda s: abs(s[0] - end))


def _snap(text: str, end: int) -> int:
    """Move an approximate requirement end to the nearest glued-capital boundary."""
    near = [m.start() for m in _GLUE.finditer(text) if abs(m.start() - end) <= 15]
    return min(near, key=lambda p: abs(p - end)) if near else end


def split_rest(text: str, parts: int) -> tuple[str, ...]:
    """Split the text after the answer into ``parts`` cells at glued-capital boundaries.

    With two cells (evidence, commentary) the last boundary is taken: evidence cells hold
    glued hyperlink titles ("PolicyRotherham"), commentary is usually plain prose.

    Args:
        text: fused cell text.
        parts: number of cells wanted.

    Returns:
        Exactly ``parts`` cells (trailing ones empty when there are too few boundaries).
    """
    if parts <= 0:
        return ()
    if parts == 1:
        return (text.strip(),)
    cuts = [m.start() for m in _GLUE.finditer(text)][-(parts - 1) :]
    pieces: list[str] = []
    start = 0
    for cut in cuts:
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    pieces += [""] * (parts - len(pieces))
    return tuple(pieces)


def split_fused_row(line: str, roles: Sequence[str]) -> tuple[str, ...] | None:
    """Split one fused row into cells in the order of ``roles``.

    Args:
        line: one line without TABs, starting with a provision id.
        roles: column roles of the table ("id", "requirement", "answer", "evidence", ...),
            e.g. from a fused header; the id and requirement columns must come first.

    Returns:
        The cells, or None when the line does not start with an id followed by text that
        aligns with a Code requirement.
    """
    text = clean_cell(line)
    lead = FUSED_ID.match(text)
    if lead is None or "requirement" not in roles:
        return None
    provision_id, rest = lead.group(1), text[lead.end() :]
    end, score = requirement_end(provision_id, rest)
    if score < MIN_ALIGNMENT:
        return None
    cells: dict[int, str] = {}
    order = list(roles)
    req_col = order.index("requirement")
    if "id" in order:
        cells[order.index("id")] = provision_id
    after = [i for i in range(req_col + 1, len(order))]
    answer_col = order.index("answer") if "answer" in order else None
    if answer_col is not None:
        span = _answer_near(rest, end)
        if span is not None:
            cells[req_col] = rest[: span[0]].strip()
            cells[answer_col] = rest[span[0] : span[1]].strip()
            remainder = rest[span[1] :]
        else:
            cut = _snap(rest, end)
            cells[req_col], cells[answer_col] = rest[:cut].strip(), ""
            remainder = rest[cut:]
        after = [i for i in after if i != answer_col]
    else:
        cut = _snap(rest, end)
        cells[req_col], remainder = rest[:cut].strip(), rest[cut:]
    for col, piece in zip(after, split_rest(remainder, len(after)), strict=True):
        cells[col] = piece
    return tuple(cells.get(i, "") for i in range(len(order)))
