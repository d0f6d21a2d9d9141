"""A page's characters -> words, by pdfplumber's word rule, on column-wise glyphs.

The rule is pdfplumber's ``WordExtractor`` with the settings this reader always used
(``x_tolerance=2``, ``y_tolerance=3``, blank characters dropped, ``fontname`` and
``size`` kept): consecutive characters of the same font are one group; a group's
characters fall into lines by their tops (a top within 3 points of the next smaller
distinct top joins its line); each line is sorted by x0, and a word ends at a blank
character, or where the next character starts more than 2 points right of the
previous one's end, or more than 3 points above or below it. Ligatures are expanded.

Written out here with numpy over ``pdf_objects.Glyphs`` because the library version
works on a dict per character and cost more than anything else the reader did on a
form page (about 6 ms of 20); this one sorts and splits the whole page in a few array
operations and gives the same words in the same order (pinned by a test against
``WordExtractor``). Rotated text, rare in forms, still goes through the library.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from pdfplumber.utils.text import LIGATURES, WordExtractor

from pipeline.extract.pdf.glyphs import Glyphs
from pipeline.extract.pdf.space import Floats
from pipeline.extract.pdf.words import Word

X_TOLERANCE = 2.0
Y_TOLERANCE = 3.0
_LIGATURES = str.maketrans(LIGATURES)
_LIBRARY = WordExtractor(
    x_tolerance=X_TOLERANCE,
    y_tolerance=Y_TOLERANCE,
    keep_blank_chars=False,
    extra_attrs=["fontname", "size"],
)


# What each code point is to the word rule, looked up by indexing (cheaper than
# np.isin): blank (``str.isspace``; pdfplumber drops such characters), a ligature, or
# neither (0; the last entry stands for every code point past the table).
_BLANK, _LIGATURE = 1, 2
_KINDS = np.zeros(max(0x3000, *map(ord, LIGATURES)) + 2, dtype=np.uint8)
_KINDS[[c for c in range(len(_KINDS) - 1) if chr(c).isspace()]] = _BLANK
_KINDS[[ord(c) for c in LIGATURES]] = _LIGATURE


def _codes(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _text(codes: npt.NDArray[np.uint32]) -> str:
    return codes.tobytes().decode("utf-32-le")


def _reading_order(line: npt.NDArray[np.int64], x0: Floats) -> npt.NDArray[np.intp]:
    """``np.lexsort((x0, line))``: by line, then x0, ties in index order.

    One stable sort of an integer key (line, then the rank of x0 among the distinct
    x0s): about a third cheaper than lexsort's float pass over the whole page.
    """
    by_x = np.argsort(x0, kind="stable")
    ranked = x0[by_x]
    rank = np.empty(len(x0), dtype=np.int64)
    rank[by_x] = np.cumsum(np.concatenate(([0], ranked[1:] != ranked[:-1])))
    return np.argsort(line * len(x0) + rank, kind="stable")


def glyph_words(glyphs: Glyphs) -> list[Word]:
    """Words of a page (pdfplumber word dicts), in pdfplumber's order."""
    if not glyphs.text:
        return []
    font = glyphs.font
    # Group number of each character: consecutive characters in one font.
    group = np.concatenate(([0], np.cumsum(font[1:] != font[:-1])))
    upright = np.array([f.upright for f in glyphs.fonts], dtype=bool)[font]
    if upright.all():
        return _upright_words(glyphs, np.arange(len(font)), group)[1]
    numbers, words = _upright_words(glyphs, np.flatnonzero(upright), group)
    found = list(zip(numbers, words, strict=True))
    for number in np.unique(group[~upright]).tolist():
        members = np.flatnonzero(group == number)
        chars = glyphs.chars(int(members[0]), int(members[-1]) + 1)
        found += [(number, w) for w in _LIBRARY.extract_words(chars)]
    found.sort(key=lambda pair: pair[0])  # stable: each group keeps its order
    return [word for _, word in found]


def _upright_words(
    glyphs: Glyphs, index: npt.NDArray[np.int64], group: npt.NDArray[np.int64]
) -> tuple[list[int], list[Word]]:
    """The words of the characters at ``index``, and the font group of each."""
    if not len(index):
        return [], []
    top, group = glyphs.top[index], group[index]
    # Lines: within a group, sorted tops chain while each is within Y_TOLERANCE of the
    # one before; numbered in group order, then top order.
    by_top = np.lexsort((top, group))
    step = np.diff(top[by_top]) > Y_TOLERANCE
    new_line = np.concatenate(([True], step | (np.diff(group[by_top]) != 0)))
    line = np.empty(len(index), dtype=np.int64)
    line[by_top] = np.cumsum(new_line)
    # Reading order: line, then x0, ties in content order.
    x0, x1 = glyphs.x0[index], glyphs.x1[index]
    order = _reading_order(line, x0)
    index, line, x0, x1, top = index[order], line[order], x0[order], x1[order], top[order]
    codes = _codes(glyphs.text)[index]
    kinds = _KINDS[np.minimum(codes, len(_KINDS) - 1)]
    blank = kinds == _BLANK
    starts = np.ones(len(index), dtype=bool)
    starts[1:] = (
        (line[1:] != line[:-1])
        | blank[:-1]
        | (x0[1:] > x1[:-1] + X_TOLERANCE)
        | (np.abs(top[1:] - top[:-1]) > Y_TOLERANCE)
    )
    kept = np.flatnonzero(~blank)
    if not len(kept):
        return [], []
    first = np.flatnonzero(starts[kept])  # word starts, as positions in ``kept``
    # A space (blank, so in no word) before each word start, then one split: cheaper
    # than slicing the words out one by one.
    texts = _text(np.insert(codes[kept], first[1:], ord(" "))).split(" ")
    if (kinds == _LIGATURE).any():
        texts = [t.translate(_LIGATURES) for t in texts]
    heads = kept[first]
    # Every value a word dict holds, computed column-wise; only the dicts are built per word.
    font = glyphs.font[index[heads]]
    lefts = x0[heads]
    rights = np.maximum.reduceat(x1[kept], first)
    highs = np.minimum.reduceat(top[kept], first)
    lows = np.maximum.reduceat(glyphs.bottom[index][kept], first)
    columns = zip(
        texts,
        lefts.tolist(),
        rights.tolist(),
        highs.tolist(),
        lows.tolist(),
        (lows - highs).tolist(),
        (rights - lefts).tolist(),
        np.array([f.name for f in glyphs.fonts], dtype=object)[font].tolist(),
        np.array([f.size for f in glyphs.fonts], dtype=object)[font].tolist(),
        strict=True,
    )
    words = [
        {
            "text": text,
            "x0": left,
            "x1": right,
            "top": high,
            "doctop": high,
            "bottom": low,
            "upright": True,
            "height": height,
            "width": width,
            "direction": "ltr",
            "fontname": name,
            "size": size,
        }
        for text, left, right, high, low, height, width, name, size in columns
    ]
    return group[order][heads].tolist(), words
