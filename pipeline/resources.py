"""Memory of a worker while it reads one document: the peak, and a ceiling.

A sampling thread reads the worker's resident memory every few milliseconds. The peak
goes into the DocumentResult, and also into a small report file, so that the main
process still knows it when it has to kill a worker that ran out of time. When the
worker crosses its ceiling, the thread writes the report and ends the process at once
with ``MEMORY_EXIT_CODE`` (the main thread may be deep inside a C library that no
Python exception can interrupt); the batch turns that exit code into ``memory_limit``.

Hand-written because ``resource.getrusage`` only gives the lifetime peak of a
long-lived worker, and ``RLIMIT_AS`` limits address space, not memory, which makes
C libraries fail in unpredictable places.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

MEMORY_EXIT_CODE = 86
_INTERVAL_S = 0.01
_MB = 1 << 20
# The report file is rewritten only when the peak grew by this much.
_REPORT_STEP = 8 * _MB


@dataclass(slots=True)
class Peak:
    """The peak resident memory seen so far, in MB (rounded to 0.1)."""

    mb: float = 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """What a worker last wrote about the document it is on."""

    peak_mb: float
    started: float  # time.time() when the document was started

    def seconds(self) -> float:
        """Seconds since the document was started."""
        return round(time.time() - self.started, 3)


def read_report(report: Path) -> Report | None:
    """The peak and start time a worker last wrote to ``report``, or None."""
    try:
        peak, started = report.read_text(encoding="ascii").split()
        return Report(peak_mb=float(peak), started=float(started))
    except (OSError, ValueError):
        return None


def _write(report: Path | None, rss: int, started: float) -> None:
    if report is None:
        return
    temporary = report.with_suffix(".tmp")
    temporary.write_text(f"{rss / _MB:.1f} {started:.3f}", encoding="ascii")
    os.replace(temporary, report)


def release_memory() -> None:
    """Give memory freed by a document back to the system (glibc's ``malloc_trim``), so
    the next document on this worker starts from a low resident size."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        return


@contextmanager
def watch_memory(ceiling_mb: float | None = None, report: Path | None = None) -> Iterator[Peak]:
    """Sample this process's resident memory while the block runs.

    Args:
        ceiling_mb: end the process with MEMORY_EXIT_CODE when it holds more than this.
        report: a file that always holds the peak so far (MB, as text).

    Yields:
        A Peak whose ``mb`` is final when the block exits.
    """
    proc = psutil.Process()
    started = time.time()
    highest = proc.memory_info().rss
    reported = highest
    _write(report, highest, started)
    limit = int(ceiling_mb * _MB) if ceiling_mb else None
    stop = threading.Event()

    def sample() -> None:
        nonlocal highest, reported
        while not stop.wait(_INTERVAL_S):
            rss = proc.memory_info().rss
            if rss <= highest:
                continue
            highest = rss
            if limit is not None and rss > limit:
                _write(report, rss, started)
                os._exit(MEMORY_EXIT_CODE)
            if rss - reported >= _REPORT_STEP:
                _write(report, rss, started)
                reported = rss

    sampler = threading.Thread(target=sample, name="chc-memory", daemon=True)
    sampler.start()
    peak = Peak()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join()
        highest = max(highest, proc.memory_info().rss)
        _write(report, highest, started)
        peak.mb = round(highest / _MB, 1)
        release_memory()


def ignore_interrupts() -> None:
    """Worker initializer: Ctrl-C goes to the whole process group, but only the main
    process decides how the batch stops (it stops the workers itself)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
