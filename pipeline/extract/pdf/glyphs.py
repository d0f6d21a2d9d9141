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
page has thousands, and this pass runs on every page worth parsing. The loop below
makes two pdfium calls per character and nothing else; boxes are written by pdfium
straight into one array and placed on the page in a few array operations.
Hand-written because no library offers pdfium's characters in pdfminer's geometry.
"""

from __future__ import annotations

import ctypes
from array import array
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.extract.pdf.space import IDENTITY, Floats, Space, prototype

Char = dict[str, Any]

_NEWLINES = frozenset("\r\n")
# pdfium reports a hyphen that ends a line as 0x02 (0xFFFE in bulk text); the PDF draws "-".
_LINE_END_HYPHENS = str.maketrans({"\x02": "-", "\ufffe": "-"})
_GET_TEXT_OBJECT = prototype(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
_GET_LOOSE_BOX = prototype(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_GET_FONT = prototype(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)
_GET_CHAR_MATRIX = prototype(pdfium_c.FPDFText_GetMatrix, ctypes.c_int)
_GET_FONT_SIZE = prototype(pdfium_c.FPDFTextObj_GetFontSize, ctypes.c_int)
_RECT = ctypes.sizeof(pdfium_c.FS_RECTF)  # left, top, right, bottom as float32


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


@dataclass(frozen=True, slots=True)
class _Run:
    """What all characters of one text object (one text-showing operator) share."""

    font: int  # index into the page's fonts
    flat: bool  # horizontal in PDF user space
    low: float  # user-space y of the glyphs' descent line (baseline + font descent)
    size: float


class _Runs:
    """The page's text objects, fonts and font faces, each looked up once."""

    def __init__(self, space: Space) -> None:
        self.turned = space.turned
        self.runs: list[_Run] = []
        self.number: dict[int, int] = {}  # text object address -> index in runs
        self.fonts: dict[Font, int] = {}
        self._styles: dict[tuple[int, float, bool], int] = {}  # face, size, flat -> font
        self._faces: dict[int, tuple[str, float]] = {}  # font handle -> name, descent
        self._buffer = ctypes.create_string_buffer(256)
        self._matrix = pdfium_c.FS_MATRIX()
        self._size = ctypes.c_float()
        self._refs = (ctypes.byref(self._matrix), ctypes.byref(self._size))

    def add(self, address: int, textpage: Any, index: int) -> int:
        """Number a new text object (at ``address``) and read what its characters share.

        Its matrix in page space (a form XObject's matrix applied) comes from its first
        character, ``index`` on ``textpage``.
        """
        textobj = ctypes.c_void_p(address)
        m = self._matrix
        if not _GET_CHAR_MATRIX(textpage, index, self._refs[0]):
            m.a, m.b, m.c, m.d, m.e, m.f = IDENTITY
        _GET_FONT_SIZE(textobj, self._refs[1])
        points = self._size.value * (m.c * m.c + m.d * m.d) ** 0.5
        flat = abs(m.b) < 1e-6 and abs(m.c) < 1e-6
        face = _GET_FONT(textobj) or 0
        key = (face, points, flat)
        font = self._styles.get(key)
        name, descent = self._face(face)
        if font is None:
            style = Font(name, points, flat != self.turned)
            font = self._styles[key] = self.fonts.setdefault(style, len(self.fonts))
        self.runs.append(_Run(font, flat, m.f + descent * points, points))
        self.number[address] = len(self.runs) - 1
        return len(self.runs) - 1

    def _face(self, handle: int) -> tuple[str, float]:
        face = self._faces.get(handle)
        if face is None:
            face = self._faces[handle] = _read_face(handle, self._buffer)
        return face


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
    boxes = np.zeros((count, 4), dtype=np.float32)
    base = boxes.ctypes.data
    runs = _Runs(space)
    number = runs.number
    keep, run_of = array("q"), array("q")
    pointer = ctypes.c_void_p
    for index in range(count):
        address = _GET_TEXT_OBJECT(handle, index)
        if not address:
            continue  # a space or line break pdfium generated: not drawn
        run = number.get(address)
        if run is None:
            run = runs.add(address, handle, index)
        _GET_LOOSE_BOX(handle, index, pointer(base + _RECT * index))
        keep.append(index)
        run_of.append(run)
    return _place(text, np.frombuffer(keep, np.int64), np.frombuffer(run_of, np.int64),
                  boxes, runs, space)  # fmt: skip


def _place(
    text: str,
    keep: npt.NDArray[np.int64],
    run_of: npt.NDArray[np.int64],
    boxes: npt.NDArray[np.float32],
    runs: _Runs,
    space: Space,
) -> Glyphs:
    """Boxes on the page: flat text from its run's descent line, the rest as pdfium has it."""
    drawn = "".join([text[i] for i in keep.tolist()])
    if "\r" in drawn or "\n" in drawn:  # a line break in a text object: not a glyph
        glyph = np.array([c not in _NEWLINES for c in drawn], dtype=bool)
        keep, run_of = keep[glyph], run_of[glyph]
        drawn = "".join(c for c in drawn if c not in _NEWLINES)
    box = boxes[keep].astype(np.float64)
    left, high, right, low = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    flat = np.array([r.flat for r in runs.runs], dtype=bool)[run_of]
    size = np.array([r.size for r in runs.runs], dtype=np.float64)[run_of]
    descent = np.array([r.low for r in runs.runs], dtype=np.float64)[run_of]
    low = np.where(flat, descent, low)
    high = np.where(flat, descent + size, high)
    ax, at = space.points(left, high)
    bx, bt = space.points(right, low)
    return Glyphs(
        text=drawn.translate(_LINE_END_HYPHENS),
        x0=np.minimum(ax, bx),
        x1=np.maximum(ax, bx),
        top=np.minimum(at, bt),
        bottom=np.maximum(at, bt),
        font=np.array([r.font for r in runs.runs], dtype=np.int64)[run_of],
        fonts=tuple(runs.fonts),
    )
