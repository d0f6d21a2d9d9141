"""pdfplumber checks on the built PDFs: rows continued across pages, where the appendix starts.

Each table column is cut out of every page by its x-range (known from the layout), and the
text of the column is joined over pages. A gold cell whose text starts on one page and ends
on the next is a row continued across a page break.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfplumber.utils.text import extract_text

from .docx_writer import A4
from .model import Answer, Form, GoldRow, Table, TableRow

_SPACE = re.compile(r"\s+")
_PT_PER_CM = 72 / 2.54


def squash(text: str) -> str:
    """Text without whitespace, NFKC-normalised (ligatures split), for position matching."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True, slots=True)
class PdfReport:
    name: str
    pages: int
    rows_found: int
    rows_total: int
    continued: tuple[str, ...]  # e.g. "6.4 p3-4"
    table_start_page: int | None  # first page showing the self-assessment table header


def _assessment_tables(form: Form) -> list[Table]:
    return [
        b
        for b in form.blocks
        if isinstance(b, Table)
        and any(isinstance(r, TableRow) and r.gold_index >= 0 for r in b.rows)
    ]


def _edges(form: Form, table: Table) -> tuple[list[float], float, float]:
    """Column boundaries in points, and the page body's top and bottom."""
    twips = (A4[1], A4[0]) if form.look.landscape else A4
    width, height = twips[0] / 20, twips[1] / 20
    margin = form.look.margin_cm * _PT_PER_CM
    table_width = (width - 2 * margin) * form.look.table_width
    edges, x = [], margin
    for w in table.widths[:-1]:
        x += table_width * w / sum(table.widths)
        edges.append(x)
    return edges, margin - 2, height - margin + 2


def check_pdf(path: Path, form: Form, rows: tuple[GoldRow, ...]) -> PdfReport:
    """Count found rows, list rows continued across pages, find the table's first page."""
    tables = _assessment_tables(form)
    edges, top, bottom = _edges(form, tables[0])
    ncols = len(edges) + 1
    labels = [{squash(t.header[c]) for t in tables} for c in range(ncols)]
    streams = [""] * ncols
    starts: list[list[int]] = [[] for _ in range(ncols)]
    table_start: int | None = None
    header = squash(tables[0].header[1])
    with pdfplumber.open(path) as pdf:
        npages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            body = page.crop((0, max(top, 0), page.width, min(bottom, page.height)))
            chars = body.chars
            for c in range(ncols):
                lo = edges[c - 1] if c else -1.0
                hi = edges[c] if c < len(edges) else page.width + 1
                column = [ch for ch in chars if lo <= (ch["x0"] + ch["x1"]) / 2 < hi]
                text = squash(extract_text(column) if column else "")
                if c == 1 and table_start is None and header in text:
                    table_start = number
                text = _strip_labels(text, labels[c])
                starts[c].append(len(streams[c]))
                streams[c] += text
    cursors = [0] * ncols
    found, continued = 0, []
    for row in (r for t in tables for r in t.rows if isinstance(r, TableRow)):
        gold = rows[row.gold_index]
        spans = []
        for c, value in enumerate(row.cells):
            if isinstance(value, Answer) or not squash(value):
                continue
            needle = squash(value)
            at = streams[c].find(needle, cursors[c])
            if at < 0:
                continue
            cursors[c] = at + len(needle)
            first = bisect.bisect_right(starts[c], at)
            last = bisect.bisect_right(starts[c], at + len(needle) - 1)
            spans.append((first, last))
        if spans:
            found += 1
            first = min(s[0] for s in spans)
            last = max(s[1] for s in spans)
            if last > first:
                continued.append(f"{gold.printed_id or gold.provision_id} p{first}-{last}")
    total = sum(1 for t in tables for r in t.rows if isinstance(r, TableRow))
    return PdfReport(path.name, npages, found, total, tuple(continued), table_start)


def _strip_labels(text: str, labels: set[str]) -> str:
    """Drop the repeated header row's text from the top of a page's column."""
    stripped = True
    while stripped:
        stripped = False
        for label in labels:
            if label and text.startswith(label):
                text, stripped = text[len(label) :], True
    return text
