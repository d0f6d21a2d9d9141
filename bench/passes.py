"""Timed passes over the same PDFs: chc's own per-document work, pdfplumber's tables
(the naive approach) and pdfium's text (the floor).

The naive approach is what one would write with pdfplumber alone: open each PDF and
call ``extract_tables()`` on every page. The floor is pypdfium2's plain-text pass, the
least any reader must do (load every page and its text). chc's pass runs
``pipeline.process.process_file`` on each PDF (``bench/chc_cpu.py``), what an ingest
worker does for it (read, match, contradictions, identity; not the database write).
Each file is timed on its own in CPU seconds of the process working on it, so that
other work on a shared machine changes the ratios little; the passes run over
``workers`` processes and report the summed CPU seconds beside the wall time.
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

# Working directory of the chc subprocesses: not a checkout, whose ``pipeline`` folder
# Python would import before the measured interpreter's own.
_NEUTRAL = tempfile.gettempdir()


@dataclass(frozen=True, slots=True)
class PassResult:
    """One pass: summed per-file CPU seconds, wall seconds, pages and tables seen."""

    seconds: float
    wall_seconds: float
    pages: int
    tables: int = 0
    workers: int = 1


def _pdfium_text(path: Path) -> tuple[float, int, int]:
    started = time.process_time()
    pages = 0
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
    return time.process_time() - started, pages, 0


def _pdfplumber_tables(path: Path) -> tuple[float, int, int]:
    started = time.process_time()
    pages = tables = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables += len(page.extract_tables())
            page.close()  # drop the page's cached layout: memory stays flat
            pages += 1
    return time.process_time() - started, pages, tables


def _run(
    task: Callable[[Path], tuple[float, int, int]],
    paths: Sequence[Path],
    workers: int,
) -> PassResult:
    started = time.perf_counter()
    if workers > 1:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            done = pool.map(task, paths, chunksize=1)
    else:
        done = [task(path) for path in paths]
    return PassResult(
        seconds=sum(d[0] for d in done),
        wall_seconds=time.perf_counter() - started,
        pages=sum(d[1] for d in done),
        tables=sum(d[2] for d in done),
        workers=workers,
    )


def pdfium_text_pass(paths: Sequence[Path], workers: int = 1, repeats: int = 3) -> PassResult:
    """Every page's text with pypdfium2 (load page, text page, text range): the median
    of ``repeats`` passes by CPU seconds. The pass takes a second or two, so one run
    varies by a fifth with the machine's other work; the median is steadier."""
    done = sorted((_run(_pdfium_text, paths, workers) for _ in range(max(1, repeats))),
                  key=lambda r: r.seconds)  # fmt: skip
    return done[len(done) // 2]


def pdfplumber_tables_pass(paths: Sequence[Path], workers: int = 1) -> PassResult:
    """``extract_tables()`` on every page of every PDF with pdfplumber's defaults."""
    return _run(_pdfplumber_tables, paths, workers)


def chc_pass(paths: Sequence[Path], workers: int, python: Path) -> PassResult:
    """chc's work on each PDF (``bench/chc_cpu.py`` run by ``python``); ``tables``
    counts the rows chc read."""
    script = Path(__file__).with_name("chc_cpu.py")
    command = [str(python), str(script), "--workers", str(workers), *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=_NEUTRAL)
    if done.returncode != 0:
        raise RuntimeError(f"chc pass failed ({done.returncode}): {done.stderr[-2000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return PassResult(
        seconds=out["seconds"],
        wall_seconds=out["wall_seconds"],
        pages=out["pages"],
        tables=out["rows"],
        workers=workers,
    )


def chc_profile(paths: Sequence[Path], python: Path) -> dict[str, float]:
    """Cumulative CPU seconds per chc stage over ``paths`` under cProfile (shares of a
    profiled run: cProfile slows Python code more than C code)."""
    script = Path(__file__).with_name("chc_cpu.py")
    command = [str(python), str(script), "--profile", str(len(paths)), *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=_NEUTRAL)
    if done.returncode != 0:
        raise RuntimeError(f"chc profile failed ({done.returncode}): {done.stderr[-2000:]}")
    profile: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return profile
