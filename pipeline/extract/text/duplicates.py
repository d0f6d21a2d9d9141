"""Text reader: OCR exports that hold two readings of one visual line, merged cell by cell."""

from __future__ import annotations

from rapidfuzz import fuzz

from pipeline.extract.text.columns import TableColumns
from pipeline.extract.text.line import TextLine
from pipeline.extract.text.reference_words import Vocabulary
from pipeline.vocabulary import is_answer


def is_near_duplicate(a: TextLine, b: TextLine, cols: TableColumns) -> bool:
    """Two consecutive readings of one visual line (OCR).

    Args:
        a: the earlier line, fitted to the table width.
        b: the next line, fitted to the table width.
        cols: the table's columns.

    Returns:
        True when the requirement cells agree closely and no other pair of filled cells
        disagrees.
    """
    r = cols.requirement
    if not (a.fields[r] and b.fields[r]) or (
        cols.id is not None and a.fields[cols.id] and b.fields[cols.id]
    ):
        return False
    strong = False
    for col in range(cols.width):
        if col in (cols.id, cols.answer):
            continue
        x, y = a.fields[col], b.fields[col]
        if not (x and y):
            continue
        ratio = fuzz.ratio(x, y)
        if ratio < 60:
            return False
        strong = strong or (ratio >= 70 and min(len(x), len(y)) >= 15)
    return strong


def merge_readings(a: TextLine, b: TextLine, cols: TableColumns, vocab: Vocabulary) -> TextLine:
    """One line from two readings, each cell from the better one.

    Args:
        a: the earlier reading.
        b: the later reading.
        cols: the table's columns.
        vocab: the document's vocabulary.

    Returns:
        The answer that is a real answer word, the text whose words are more common in
        the document and the Code; numbered as ``b``, with ``a``'s gap flag.
    """
    fields: list[str] = []
    for col, (x, y) in enumerate(zip(a.fields, b.fields, strict=True)):
        if not (x and y):
            fields.append(x or y)
        elif col == cols.answer:
            fields.append(y if is_answer(y) and not is_answer(x) else x)
        else:
            fields.append(x if vocab.quality(x) > vocab.quality(y) else y)
    return TextLine(b.number, tuple(fields), tabbed=True, gap_before=a.gap_before)
