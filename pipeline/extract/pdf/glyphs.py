"""A pypdfium2 text page -> the characters the PDF draws, as pdfminer would box them.

Each character keeps pdfium's loose box horizontally (its advance) and, vertically,
spans one font size up from its font's descent below the baseline (pdfminer's
``LTChar``); the baseline is the text object's (one text-showing operator draws on
one baseline), rotated text keeps pdfium's loose box. pdfium's generated characters
(the spaces and line breaks it infers) are left out, so a space is a character only
where the PDF draws one. One difference from pdfminer remains: pdfium drops the
spaces between a hyphen that ends a line and the line break ("self- " / "assessment"
reads as "self-" / "assessment").

Characters are kept column-wise in numpy arrays (``Glyphs``), not as a dict each: a
page has thousands, and this pass runs on every page worth parsing. Two pdfium calls
per character (its text object, its loose box) are all the per-character work, each
made over the whole page by ``map`` so that no Python code runs per character; pdfium
writes the boxes straight into one array. What a text object's characters share
(matrix, font size, font) is read once per object, and the boxes are placed on the
page in a few array operations.
Hand-written because no library offers pdfium's characters in pdfminer's geometry.
"""

from __future__ import annotations

import ctypes
from collections import deque
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.extract.pdf.space import IDENTITY, Floats, Space, prototype

Char = dict[str, Any]

# pdfium reports a hyphen that ends a line as 0x02 (0xFFFE in bulk text); the PDF draws "-".
_LINE_END_HYPHENS = np.array([0x02, 0xFFFE], dtype=np.uint32)
# Text object and font addresses as ints, 0 for none (a c_void_p result gives None).
_GET_TEXT_OBJECT = prototype(pdfium_c.FPDFText_GetTextObject, ctypes.c_size_t)
_GET_LOOSE_BOX = prototype(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_GET_FONT = prototype(pdfium_c.FPDFTextObj_GetFont, ctypes.c_size_t)
_GET_CHAR_MATRIX = prototype(pdfium_c.FPDFText_GetMatrix, ctypes.c_int)
_GET_FONT_SIZE = prototype(pdfium_c.FPDFTextObj_GetFontSize, ctypes.c_int)


@dataclass(frozen=True, slots=True)
class Font:
    """What the characters of one text style share (pdfplumber groups words by it)."""

    name: str
    size: float
    upright: bool


@dataclass(frozen=True, slots=True, eq=False)
class Glyphs:
    """A page's drawn characters in content order, one entry per character per column.

    Attributes:
        text: the characters, one per entry.
        x0, x1, top, bottom: each character's box (points, top-left origin).
        font: index of each character's ``Font`` in ``fonts``.
        fonts: the page's distinct fonts.
    """

    text: str
    x0: Floats
    x1: Floats
    top: Floats
    bottom: Floats
    font: npt.NDArray[np.int64]
    fonts: tuple[Font, ...]

    def chars(self, start: int = 0, stop: int | None = None) -> list[Char]:
        """Characters ``start:stop`` as pdfplumber's char dicts."""
        stop = len(self.text) if stop is None else stop
        columns = zip(
            self.text[start:stop],
            self.x0[start:stop].tolist(),
            self.x1[start:stop].tolist(),
            self.top[start:stop].tolist(),
            self.bottom[start:stop].tolist(),
            self.font[start:stop].tolist(),
            strict=True,
        )
        return [
            {
                "text": text,
                "x0": x0,
                "x1": x1,
                "top": top,
                "doctop": top,
                "bottom": bottom,
                "upright": self.fonts[font].upright,
                "size": self.fonts[font].size,
                "fontname": self.fonts[font].name,
            }
            for text, x0, x1, top, bottom, font in columns
        ]


@dataclass(frozen=True, slots=True, eq=False)
class _Runs:
    """What the characters of each text object (one text-showing operator) share.

    One entry per text object, in the order the objects first draw a character.
    """

    font: npt.NDArray[np.int64]  # index into fonts
    flat: npt.NDArray[np.bool_]  # horizontal in PDF user space
    low: Floats  # user-space y of the glyphs' descent line (baseline + font descent)
    size: Floats
    fonts: tuple[Font, ...]


def _rows(array: npt.NDArray[np.float32], rows: npt.NDArray[np.int64]) -> map[Any]:
    """Pointers to the given rows of a float32 array, for pdfium to write into."""
    floats = (ctypes.c_float * array.size).from_buffer(array.data)
    return map(ctypes.byref, repeat(floats), (rows * array.strides[0]).tolist())


def _read_runs(textpage: Any, objects: list[int], firsts: list[int], space: Space) -> _Runs:
    """Each text object's matrix in page space (a form XObject's matrix applied, read
    from its first character, ``firsts``), font size and font, in a few bulk passes."""
    count = len(objects)
    matrices = np.zeros((count, 6), dtype=np.float32)  # FS_MATRIX: a, b, c, d, e, f
    found = list(map(_GET_CHAR_MATRIX, repeat(textpage), firsts, _rows(matrices, np.arange(count))))
    matrices[~np.array(found, dtype=bool)] = IDENTITY
    handles = list(map(ctypes.c_void_p, objects))
    sizes = np.zeros(count, dtype=np.float32)
    deque(map(_GET_FONT_SIZE, handles, _rows(sizes, np.arange(count))), maxlen=0)
    b, c, d, f = (matrices[:, i].tolist() for i in (1, 2, 3, 5))
    points = [s * (x * x + y * y) ** 0.5 for s, x, y in zip(sizes.tolist(), c, d, strict=True)]
    flat = [abs(x) < 1e-6 and abs(y) < 1e-6 for x, y in zip(b, c, strict=True)]
    buffer = ctypes.create_string_buffer(256)
    faces = list(map(_GET_FONT, handles))
    named = {face: _read_face(face, buffer) for face in dict.fromkeys(faces)}
    # A style is (face, size, flat); each distinct one is looked at once, in order.
    styles = list(zip(faces, points, flat, strict=True))
    fonts: dict[Font, int] = {}
    number = {}
    for face, size, level in dict.fromkeys(styles):
        style = Font(named[face][0], size, level != space.turned)
        number[face, size, level] = fonts.setdefault(style, len(fonts))
    low = [y + named[face][1] * size for y, face, size in zip(f, faces, points, strict=True)]
    return _Runs(
        font=np.array(list(map(number.__getitem__, styles)), dtype=np.int64),
        flat=np.array(flat, dtype=bool),
        low=np.array(low, dtype=np.float64),
        size=np.array(points, dtype=np.float64),
        fonts=tuple(fonts),
    )


def _read_face(handle: int, buffer: Any) -> tuple[str, float]:
    """A font's base name and descent (per point of size); defaults when unknown."""
    if not handle:
        return "", -0.2
    font = ctypes.cast(ctypes.c_void_p(handle), pdfium_c.FPDF_FONT)
    length = pdfium_c.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
    name = buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace")
    value = ctypes.c_float()
    ok = pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), ctypes.byref(value))
    return name, value.value / 1000.0 if ok else -0.2


def page_glyphs(textpage: pdfium.PdfTextPage, space: Space) -> Glyphs:
    """The characters the PDF draws on a page, in content order (see the module doc)."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP come as surrogate pairs
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    handle = ctypes.cast(raw, ctypes.c_void_p)
    # map() makes the per-character calls from C: no Python bytecode runs per character.
    objects = np.fromiter(map(_GET_TEXT_OBJECT, repeat(handle), range(count)), np.uint64, count)
    keep = np.flatnonzero(objects)  # 0: a space or line break pdfium generated, not drawn
    boxes = np.zeros((count, 4), dtype=np.float32)  # FS_RECTF: left, top, right, bottom
    deque(map(_GET_LOOSE_BOX, repeat(handle), keep.tolist(), _rows(boxes, keep)), maxlen=0)
    run_of, addresses, firsts = _number_runs(objects[keep], keep)
    runs = _read_runs(handle, addresses, firsts, space)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _place(codes[keep], run_of, boxes[keep], runs, space)


def _number_runs(
    drawn: npt.NDArray[np.uint64], keep: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.int64], list[int], list[int]]:
    """Number the text objects of the drawn characters in the order they first draw one.

    Args:
        drawn: the text object of each drawn character.
        keep: each drawn character's index on the text page.

    Returns:
        Each character's run number, and each run's text object and first character.
    """
    # An object's characters mostly come in one stretch: number the stretches (a dict
    # lookup each), then give each character its stretch's number.
    change = np.ones(len(drawn), dtype=bool)
    change[1:] = drawn[1:] != drawn[:-1]
    starts = np.flatnonzero(change)
    number: dict[int, int] = {}
    firsts = []
    for at, address in zip(keep[starts].tolist(), drawn[starts].tolist(), strict=True):
        if address not in number:
            number[address] = len(number)
            firsts.append(at)
    stretches = [number[a] for a in drawn[starts].tolist()]
    run_of = np.repeat(np.array(stretches, dtype=np.int64), np.diff(starts, append=len(drawn)))
    return run_of, list(number), firsts


def _place(
    codes: npt.NDArray[np.uint32],
    run_of: npt.NDArray[np.int64],
    boxes: npt.NDArray[np.float32],
    runs: _Runs,
    space: Space,
) -> Glyphs:
    """Boxes on the page: flat text from its run's descent line, the rest as pdfium has it."""
    glyph = (codes != ord("\r")) & (codes != ord("\n"))  # a line break in a text object
    if not glyph.all():
        codes, run_of, boxes = codes[glyph], run_of[glyph], boxes[glyph]
    box = boxes.astype(np.float64)
    left, high, right, low = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    flat = runs.flat[run_of]
    descent = runs.low[run_of]
    low = np.where(flat, descent, low)
    high = np.where(flat, descent + runs.size[run_of], high)
    ax, at = space.points(left, high)
    bx, bt = space.points(right, low)
    return Glyphs(
        text=_text(codes),
        x0=np.minimum(ax, bx),
        x1=np.maximum(ax, bx),
        top=np.minimum(at, bt),
        bottom=np.maximum(at, bt),
        font=runs.font[run_of],
        fonts=runs.fonts,
    )


def _text(codes: npt.NDArray[np.uint32]) -> str:
    """The characters as a string, line-ending hyphens drawn as "-"."""
    codes = np.where(np.isin(codes, _LINE_END_HYPHENS), ord("-"), codes).astype(np.uint32)
    return codes.tobytes().decode("utf-32-le", "surrogatepass")
