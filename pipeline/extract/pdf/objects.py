"""One pypdfium2 page -> its characters and ruling edges, in pdfplumber's shapes.

pdfplumber gets characters and rules from pdfminer, which interprets every content
stream in Python (about 0.1 s a page). pdfium does the same in C: here its text page
gives each character (text, box, font size, font name) and its path objects give the
rules, turned into the dicts pdfplumber's pure algorithms expect (``WordExtractor``,
``TableFinder``; see ``pdf_page``), with pdfminer's conventions kept so that they see
the same page:

* top-left origin, the page's ``/Rotate`` applied, the media box's corner at (0, 0);
* a character's box is its advance horizontally and, vertically, from the font's
  descent below the baseline to one font size above that (pdfminer's ``LTChar``);
  pdfium's generated characters (the spaces and line breaks it infers) are left out,
  so a space is a character only where the PDF draws one;
* each sub-path of a painted path becomes a line (two points), a rectangle (an
  axis-aligned closed four-point loop, four edges) or a curve (an edge between each
  pair of consecutive points), as pdfminer's ``paint_path`` classifies them; Bézier
  control points are dropped as pdfminer drops them.

Hand-written because no library offers pdfium's objects in pdfplumber's form. The
dicts never leave the pdf subpackage.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Char = dict[str, Any]
Edge = dict[str, Any]
Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]

_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_NEWLINES = frozenset("\r\n")
# pdfium reports a hyphen that ends a line as 0x02 (0xFFFE in bulk text); the PDF draws "-".
_LINE_END_HYPHENS = frozenset("\x02\ufffe")


@dataclass(frozen=True, slots=True)
class PageObjects:
    """A page's characters and ruling edges (pdfplumber dict shapes), and its size."""

    chars: tuple[Char, ...]
    edges: tuple[Edge, ...]
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class _Space:
    """PDF user space -> pdfplumber's top-left space (rotation and media box applied)."""

    rotation: int
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> tuple[float, float]:
        w, h = self.x1 - self.x0, self.y1 - self.y0
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> Point:
        """(x, top) of a user-space point, as pdfminer's page matrix places it."""
        if self.rotation == 90:
            return y - self.y0, x - self.x0
        if self.rotation == 180:
            return self.x1 - x, y - self.y0
        if self.rotation == 270:
            return self.y1 - y, self.x1 - x
        return x - self.x0, self.y1 - y


def _space(page: pdfium.PdfPage) -> _Space:
    x0, y0, x1, y1 = page.get_mediabox()
    return _Space(page.get_rotation() % 360, x0, y0, x1, y1)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _matrix(obj: Any) -> Matrix:
    fs = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, fs):
        return _IDENTITY
    return (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)


def _prototype(function: Any, restype: Any, *argtypes: Any) -> Any:
    """The same pdfium C function with other ctypes types.

    ``FPDFText_GetTextObject`` through pypdfium2 returns a ctypes pointer object, and
    turning it into an address for a cache key costs more than the call; declared
    here to return ``c_void_p`` it returns a plain int. Called once per character,
    so it matters: this and raw handles (no wrapper objects) make the character pass
    about four times faster.
    """
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address, "pdfium function without an address"
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_GET_TEXT_OBJECT = _prototype(
    pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int
)


@dataclass(frozen=True, slots=True)
class _Run:
    """What all characters of one text object (one text-showing operator) share."""

    fontname: str
    size: float  # font size in points (text matrix scale applied)
    flat: bool  # horizontal in PDF user space
    upright: bool  # horizontal as displayed (flat on an unrotated page)
    low: float  # user-space y of the glyphs' descent line (baseline + font descent)


def _run(address: int, turned: bool, buffer: Any) -> _Run:
    textobj = ctypes.cast(ctypes.c_void_p(address), pdfium_c.FPDF_PAGEOBJECT)
    _, b, c, d, _, baseline = _matrix(textobj)
    size = ctypes.c_float()
    pdfium_c.FPDFTextObj_GetFontSize(textobj, ctypes.byref(size))
    points = size.value * (c * c + d * d) ** 0.5
    flat = abs(b) < 1e-6 and abs(c) < 1e-6
    name, descent = "", -0.2
    font = pdfium_c.FPDFTextObj_GetFont(textobj)
    if font:
        length = pdfium_c.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
        name = buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace")
        value = ctypes.c_float()
        if pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), ctypes.byref(value)):
            descent = value.value / 1000.0
    return _Run(name, points, flat, flat != turned, baseline + descent * points)


def _char(text: str, a: Point, b: Point, run: _Run) -> Char:
    top = min(a[1], b[1])
    return {
        "text": "-" if text in _LINE_END_HYPHENS else text,
        "x0": min(a[0], b[0]),
        "x1": max(a[0], b[0]),
        "top": top,
        "doctop": top,
        "bottom": max(a[1], b[1]),
        "upright": run.upright,
        "size": run.size,
        "fontname": run.fontname,
    }


def page_chars(textpage: pdfium.PdfTextPage, space: _Space) -> list[Char]:
    """The characters the PDF draws on a page, in content order, as pdfplumber dicts.

    Keys: ``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``doctop`` (= ``top``),
    ``upright``, ``size``, ``fontname``. A character's horizontal extent is pdfium's
    loose box; vertically it spans one font size up from its text object's descent
    line (the text object's matrix gives the baseline: one text-showing operator
    draws on one baseline). Rotated text keeps pdfium's loose box.
    """
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP come as surrogate pairs
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    handle = ctypes.cast(raw, ctypes.c_void_p).value
    runs: dict[int, _Run] = {}
    buffer = ctypes.create_string_buffer(256)
    box = pdfium_c.FS_RECTF()
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    turned = space.rotation in (90, 270)
    # The common case, kept inline because it runs once per character: no rotation.
    plain = space.rotation == 0
    dx, top_y = space.x0, space.y1
    chars: list[Char] = []
    for index in range(count):
        address = _GET_TEXT_OBJECT(handle, index)
        if not address:
            continue  # a space or line break pdfium generated: not drawn
        char = text[index]
        if char in _NEWLINES:
            continue
        run = runs.get(address)
        if run is None:
            run = runs[address] = _run(address, turned, buffer)
        get_box(raw, index, box)
        if plain and run.flat:
            top = top_y - run.low - run.size
            chars.append(
                {
                    "text": "-" if char in _LINE_END_HYPHENS else char,
                    "x0": box.left - dx,
                    "x1": box.right - dx,
                    "top": top,
                    "doctop": top,
                    "bottom": top + run.size,
                    "upright": run.upright,
                    "size": run.size,
                    "fontname": run.fontname,
                }
            )
        elif run.flat:
            a = space.point(box.left, run.low + run.size)
            chars.append(_char(char, a, space.point(box.right, run.low), run))
        else:  # rotated text: the loose box, as drawn
            a = space.point(box.left, box.top)
            chars.append(_char(char, a, space.point(box.right, box.bottom), run))
    return chars


def _subpaths(obj: Any, matrix: Matrix) -> Iterator[tuple[str, list[Point]]]:
    """(shape, points) per sub-path of a path object, as pdfminer's paint_path sees them:
    shape letters m / l / h, one point per letter (a Bézier counts as one ``l`` at its
    end point), in user space."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    shape, points = "", list[Point]()
    bezier = 0
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        pt = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if shape:
                yield shape, points
            shape, points, bezier = "m", [pt], 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # control points
            shape += "l"
            points.append(pt)
        else:
            shape += "l"
            points.append(pt)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and points:
            shape += "h"
            points.append(points[0])
    if shape:
        yield shape, points


def _edge(kind: str, p0: Point, p1: Point, orientation: str | None) -> Edge:
    x0, x1 = sorted((p0[0], p1[0]))
    top, bottom = sorted((p0[1], p1[1]))
    return {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _rect_edges(p0: Point, p2: Point) -> list[Edge]:
    x0, x1 = sorted((p0[0], p2[0]))
    top, bottom = sorted((p0[1], p2[1]))
    return [
        _edge("rect_edge", (x0, top), (x1, top), "h"),
        _edge("rect_edge", (x0, bottom), (x1, bottom), "h"),
        _edge("rect_edge", (x0, top), (x0, bottom), "v"),
        _edge("rect_edge", (x1, top), (x1, bottom), "v"),
    ]


def _shape_edges(shape: str, pts: list[Point]) -> list[Edge]:
    """pdfminer's classification of one sub-path (points already in page space)."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-1]
    if shape in ("mlh", "ml"):
        same_y = pts[0][1] == pts[1][1]
        return [_edge("line", pts[0], pts[1], "h" if same_y else "v")]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if closed and square:
            return _rect_edges(pts[0], pts[2])
    out = []
    for p0, p1 in itertools.pairwise(pts):
        orientation = "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None)
        out.append(_edge("curve_edge", p0, p1, orientation))
    return out


def _painted(obj: Any) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
        return True
    return bool(fill.value or stroke.value)


def page_edges(page: pdfium.PdfPage, space: _Space) -> list[Edge]:
    """Edges of every painted path on the page, form XObjects included."""
    edges: list[Edge] = []
    wanted = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM)
    # The form objects seen so far (kept alive so their ids stay theirs) -> matrix.
    forms: dict[int, tuple[Any, Matrix]] = {}
    for obj in page.get_objects(filter=wanted):
        matrix = _matrix(obj)
        parent = obj.container
        if parent is not None and id(parent) in forms:
            matrix = _multiply(matrix, forms[id(parent)][1])
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            forms[id(obj)] = (obj, matrix)
            continue
        if not _painted(obj):
            continue
        for shape, points in _subpaths(obj, matrix):
            if shape[:1] != "m":
                continue
            edges += _shape_edges(shape, [space.point(x, y) for x, y in points])
    return edges


def page_objects(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> PageObjects:
    """Characters and ruling edges of one page (see the module docstring)."""
    space = _space(page)
    width, height = space.size
    return PageObjects(
        chars=tuple(page_chars(textpage, space)),
        edges=tuple(page_edges(page, space)),
        width=width,
        height=height,
    )
