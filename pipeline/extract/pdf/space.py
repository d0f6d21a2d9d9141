"""Coordinates of a pypdfium2 page as pdfminer (and so pdfplumber) gives them.

pdfium works in PDF user space (origin bottom left, the page unrotated); pdfplumber's
algorithms expect points from the top left of the page as displayed: the page's
``/Rotate`` applied and the media box's corner at (0, 0), exactly as pdfminer's page
matrix places them. Also the small ctypes helpers the page readers share.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
Floats = npt.NDArray[np.float64]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Space:
    """PDF user space -> pdfplumber's top-left space of one page."""

    rotation: int  # 0, 90, 180 or 270
    x0: float  # the media box
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> tuple[float, float]:
        """(width, height) of the page as displayed."""
        w, h = self.x1 - self.x0, self.y1 - self.y0
        return (h, w) if self.rotation in (90, 270) else (w, h)

    @property
    def turned(self) -> bool:
        """The page is displayed sideways (text flat in user space reads vertically)."""
        return self.rotation in (90, 270)

    def point(self, x: float, y: float) -> Point:
        """(x, top) of a user-space point, as pdfminer's page matrix places it."""
        if self.rotation == 90:
            return y - self.y0, x - self.x0
        if self.rotation == 180:
            return self.x1 - x, y - self.y0
        if self.rotation == 270:
            return self.y1 - y, self.x1 - x
        return x - self.x0, self.y1 - y

    def points(self, x: Floats, y: Floats) -> tuple[Floats, Floats]:
        """``point`` over arrays."""
        if self.rotation == 90:
            return y - self.y0, x - self.x0
        if self.rotation == 180:
            return self.x1 - x, y - self.y0
        if self.rotation == 270:
            return self.y1 - y, self.x1 - x
        return x - self.x0, self.y1 - y


def page_space(page: pdfium.PdfPage) -> Space:
    """The coordinate space of one page."""
    x0, y0, x1, y1 = page.get_mediabox()
    return Space(page.get_rotation() % 360, x0, y0, x1, y1)


def multiply(m: Matrix, n: Matrix) -> Matrix:
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


def object_matrix(obj: Any) -> Matrix:
    """A page object's matrix (identity when pdfium has none)."""
    fs = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, fs):
        return IDENTITY
    return (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)


def prototype(function: Any, restype: Any) -> Any:
    """The same pdfium C function, declared without argument types.

    For calls made once per character the call's cost matters: without argument
    conversion (handles passed as ``c_void_p``, buffers as pointers) a call costs about
    half what pypdfium2's declared one does, and a ``c_void_p`` result is a plain int,
    cheap to key a cache with. The call keeps the GIL (``PYFUNCTYPE``): pdfium never
    calls back into Python, and letting the GIL go and taking it back around each call
    cost about a sixth of the call.
    """
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address, "pdfium function without an address"
    return ctypes.PYFUNCTYPE(restype)(address)
