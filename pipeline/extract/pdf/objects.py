"""One pypdfium2 page -> what the table parser reads: characters, ruling edges, size.

pdfplumber gets characters and rules from pdfminer, which interprets every content
stream in Python (about 0.1 s a page). pdfium does the same in C; pdf_glyphs and
pdf_rules turn its characters and paths into what pdfminer would give, so that
pdfplumber's pure algorithms (``TableFinder``, the word rule in pdf_glyph_words) see
the same page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium

from pipeline.extract.pdf.glyphs import Glyphs, page_glyphs
from pipeline.extract.pdf.rules import Edge, page_edges
from pipeline.extract.pdf.space import page_space


@dataclass(frozen=True, slots=True, eq=False)
class PageObjects:
    """A page's characters, its ruling edges (pdfplumber dict shape) and its size."""

    glyphs: Glyphs
    edges: tuple[Edge, ...]
    width: float
    height: float


def page_objects(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> PageObjects:
    """Characters and ruling edges of one page (see the module docstring)."""
    space = page_space(page)
    width, height = space.size
    return PageObjects(
        glyphs=page_glyphs(textpage, space),
        edges=tuple(page_edges(page, space)),
        width=width,
        height=height,
    )
