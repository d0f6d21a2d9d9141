"""The two reference passes over the same PDFs: pdfplumber's tables and pdfium's text.

The naive approach is what one would write with pdfplumber alone: open each PDF and
call ``extract_tables()`` on every page. The floor is pypdfium2's plain-text pass, the
least any reader must do (load every page and its text). Both run in this process,
one file after another, so their times compare with one chc worker.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium


@dataclass(frozen=True, slots=True)
class PassResult:
    """Wall and CPU seconds of one pass, and what it saw."""

    seconds: float
    cpu_seconds: float
    pages: int
    tables: int = 0


def pdfium_text_pass(paths: Sequence[Path]) -> PassResult:
    """Every page's text with pypdfium2 (load page, text page, text range)."""
    started, cpu = time.perf_counter(), time.process_time()
    pages = 0
    for path in paths:
        document = pdfium.PdfDocument(str(path))
        try:
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
                pages += 1
        finally:
            document.close()
    return PassResult(time.perf_counter() - started, time.process_time() - cpu, pages)


def pdfplumber_tables_pass(paths: Sequence[Path]) -> PassResult:
    """``extract_tables()`` on every page of every PDF with pdfplumber's defaults."""
    started, cpu = time.perf_counter(), time.process_time()
    pages = tables = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tables += len(page.extract_tables())
                page.close()  # drop the page's cached layout: memory stays flat
                pages += 1
    return PassResult(time.perf_counter() - started, time.process_time() - cpu, pages, tables)
