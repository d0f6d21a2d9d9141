"""Warm start for ingest workers: imported once by the fork server they fork from.

``pipeline.batch`` names this module in ``set_forkserver_preload``: importing it loads
every reader (pdfplumber, pypdfium2, python-docx, lxml), the reference Code and
spaCy's rules in the fork server, so each worker, including the fresh ones that
replace recycled workers, starts with them in memory instead of loading them again
(about 1-2 s a worker).
"""

from __future__ import annotations

from pipeline.contradictions import warm_up as _warm_contradictions
from pipeline.extract.markup import docx as _docx
from pipeline.extract.markup import html as _html
from pipeline.extract.pdf import reader as _pdf
from pipeline.extract.text import reader as _text
from pipeline.reference import load_reference

READERS = (_pdf.read_pdf, _docx.read_docx, _html.read_html, _text.read_text)
load_reference()
_warm_contradictions()
