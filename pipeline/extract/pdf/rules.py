"""One pypdfium2 page -> the edges of its ruling lines, as pdfplumber derives them.

Each sub-path of a painted path object (form XObjects included) becomes a line (two
points), a rectangle (an axis-aligned closed four-point loop: four edges) or a curve
(an edge between each pair of consecutive points), exactly as pdfminer's
``paint_path`` classifies them and pdfplumber turns them into edges; Bézier control
points are dropped as pdfminer drops them. ``TableFinder`` (pdf_page) reads these
edges. Hand-written because no library offers pdfium's paths in pdfplumber's form.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.extract.pdf.space import IDENTITY, Matrix, Point, Space, multiply, object_matrix

Edge = dict[str, Any]


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


_MAX_FORM_DEPTH = 15  # as pypdfium2's get_objects


def _path_objects(
    count: int, get: Any, matrix: Matrix, depth: int = 0
) -> Iterator[tuple[Any, Matrix]]:
    """(path object, its matrix in page space) of a page or form, forms entered.

    Raw pdfium calls: pypdfium2's ``get_objects`` wraps every object (a page holds a
    text object per line or word) only for most of them to be skipped here.
    """
    for index in range(count):
        obj = get(index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj, multiply(object_matrix(obj), matrix)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH - 1:
            inner = multiply(object_matrix(obj), matrix)
            size = pdfium_c.FPDFFormObj_CountObjects(obj)

            def member(i: int, form: Any = obj) -> Any:
                return pdfium_c.FPDFFormObj_GetObject(form, i)

            yield from _path_objects(size, member, inner, depth + 1)


def page_edges(page: pdfium.PdfPage, space: Space) -> list[Edge]:
    """Edges of every painted path on the page, form XObjects included."""
    edges: list[Edge] = []
    raw = page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw)
    objects = _path_objects(count, lambda i: pdfium_c.FPDFPage_GetObject(raw, i), IDENTITY)
    for obj, matrix in objects:
        if not _painted(obj):
            continue
        for shape, points in _subpaths(obj, matrix):
            if shape[:1] != "m":
                continue
            edges += _shape_edges(shape, [space.point(x, y) for x, y in points])
    return edges
