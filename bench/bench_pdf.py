"""Benchmark of the PDF page pre-filter (run by ``make bench``; not a test).

For each annual-report PDF of the corpus (the self-assessment is an appendix), it
reads the file twice: with the pypdfium2 page pre-filter (only the chosen pages are
table-parsed by pdfplumber) and with pdfplumber on every page. It prints pages
table-parsed, seconds, and rows found for both. ``--all`` adds every corpus PDF:
pages per second and peak resident memory of ``read_pdf``.

Usage: python bench/bench_pdf.py [--all] [CORPUS_DIR]
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import psutil

from pipeline.extract.pdf.reader import page_texts, parse_pages, read_pdf, table_pages
from pipeline.extract.pdf.stitch import stitch_pages


def _timed_read(path: Path, prefilter: bool) -> tuple[int, float, int]:
    """(pages table-parsed, seconds, rows) for one way of reading ``path``."""
    start = time.perf_counter()
    texts = page_texts(path)
    pages = table_pages(path, texts) if prefilter else parse_pages(path, tuple(range(len(texts))))
    rows = stitch_pages(pages).rows
    return len(pages), time.perf_counter() - start, len(rows)


def bench_prefilter(documents: Path) -> None:
    """Print the pre-filter table for the annual-report PDFs under ``documents``."""
    reports = sorted(documents.glob("*annual_report*.pdf"))
    print("| file | pages | parsed (pre-filter) | s | rows | parsed (all) | s | rows | speed-up |")
    print("|---|---|---|---|---|---|---|---|---|")
    for path in reports:
        total = len(page_texts(path))
        fp, fs, fr = _timed_read(path, prefilter=True)
        ap, as_, ar = _timed_read(path, prefilter=False)
        print(
            f"| {path.name} | {total} | {fp} | {fs:.2f} | {fr} | {ap} | {as_:.2f} | {ar} "
            f"| {as_ / fs:.1f}x |"
        )
    if not reports:
        print(f"(no *annual_report*.pdf under {documents})")


class _PeakRss:
    """Samples this process's resident memory every 20 ms while active (psutil).

    tracemalloc would trace every allocation inside pdfminer and slow it down
    several times over, spoiling the timings measured alongside.
    """

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._stop = threading.Event()
        self.peak = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            self._stop.wait(0.02)

    def __enter__(self) -> _PeakRss:
        self.peak = self._process.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def bench_all(documents: Path) -> None:
    """Print pages/s and peak resident memory of read_pdf for every PDF."""
    print("\n| file | pages | pages parsed | rows | s | pages/s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    for path in sorted(documents.glob("*.pdf")):
        parsed = len(table_pages(path, page_texts(path)))
        with _PeakRss() as rss:
            start = time.perf_counter()
            extraction = read_pdf(path)
            seconds = time.perf_counter() - start
        pages = extraction.pages or 0
        print(
            f"| {path.name} | {pages} | {parsed} | {len(extraction.rows)} | {seconds:.2f} "
            f"| {pages / seconds:.1f} | {rss.peak / 2**20:.0f} |"
        )


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "corpus"
    documents = corpus / "documents"
    bench_prefilter(documents)
    if "--all" in argv:
        bench_all(documents)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
