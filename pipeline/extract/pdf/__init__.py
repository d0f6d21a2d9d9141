"""PDF reader: pdfplumber tables (ruled and borderless), stitched across page breaks.

``read_pdf`` (``reader.py``) pre-filters pages with pypdfium2 (``prefilter.py``), parses the
chosen pages into tables and text lines (``page.py``, ``borderless.py``, ``words.py``),
follows a table onto continuation-only pages (``follow.py``) and joins page tables into
logical tables and rows (``stitch.py``).
"""

from pipeline.extract.pdf.reader import read_pdf

__all__ = ["read_pdf"]
