"""Text reader: which lines continue the row above and which start the next row."""

from __future__ import annotations

import re

from pipeline.extract.text.columns import TableColumns
from pipeline.extract.text.line import TextLine
from pipeline.extract.text.reference_words import Vocabulary
from pipeline.extract.text.table import TableState
from pipeline.vocabulary import is_answer

# A cell that continues a sentence: lower-case start, a bullet, or a list letter "b. ".
_CONTINUES = re.compile(r"^(?:[a-z]|[•·▪◦●\-–*o]\s|[a-z]\.\s)")
_STARTS_SENTENCE = re.compile(r"^[A-Z0-9'‘\"“(]")
# Page breaks tried as split points, from the last one back (bounds the cost).
MAX_BREAKS_TRIED = 20


def pending_split(table: TableState, nxt: TextLine, vocab: Vocabulary) -> int:
    """How many pending id-less lines continue the current row.

    The rest open the row whose id is on ``nxt`` (its label is vertically centred below
    its first lines). Tried in turn: a lower-case requirement on ``nxt`` goes back to the
    last pending line that starts a sentence; an answer on a pending line starts the new
    row when the current row has one; else the split (none, or at a page break) whose
    joins are most often attested elsewhere in the document.

    Args:
        table: the open table, with its current row and pending lines.
        nxt: the line holding the next id, fitted to the table width.
        vocab: the document's vocabulary.

    Returns:
        The number of pending lines (from the start) that go to the current row.
    """
    pending, row, cols = table.pending, table.current, table.cols
    k = len(pending)
    if row is None or k == 0:
        return 0
    req = nxt.fields[cols.requirement]
    if req and _CONTINUES.match(req):
        for j in range(k - 1, -1, -1):
            text = pending[j].fields[cols.requirement]
            if text and _STARTS_SENTENCE.match(text):
                return j
    if cols.answer is not None and row.cell(cols.answer):
        for j, line in enumerate(pending):
            if is_answer(line.fields[cols.answer]):
                return j
    skip = {cols.id, cols.answer}
    texts = [c for c in range(cols.width) if c not in skip]

    def score(s: int) -> int:
        total = 0
        for c in texts:
            left_part = " ".join(p.fields[c] for p in pending[:s] if p.fields[c])
            right_part = " ".join(p.fields[c] for p in pending[s:] if p.fields[c])
            if s > 0:
                total += vocab.attested(row.cell(c), left_part)
            if s < k:
                total += vocab.attested(right_part, nxt.fields[c])
        return total

    breaks = [s for s in range(k - 1, 0, -1) if pending[s].gap_before]
    candidates = [*breaks[:MAX_BREAKS_TRIED], 0]
    best, best_score = k, score(k)
    for s in candidates:
        current = score(s)
        if current > best_score:
            best, best_score = s, current
    return best


def starts_idless_row(line: TextLine, cols: TableColumns) -> bool:
    """In a form without ids (one row per line), whether ``line`` starts a row.

    Args:
        line: a line fitted to the table width.
        cols: the table's columns.

    Returns:
        True at a filled answer or at a requirement that starts a sentence; anything
        else continues the row above.
    """
    req = line.fields[cols.requirement]
    answer = line.fields[cols.answer] if cols.answer is not None else ""
    return bool(req) and (bool(answer) or not _CONTINUES.match(req))
