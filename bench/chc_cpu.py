"""chc's own work on each PDF, in CPU seconds: ``python bench/chc_cpu.py [--workers N] PDF...``.

Runs ``pipeline.process.process_file`` (what an ingest worker does for a document:
read, match, identity; not the database write) on each file and prints one JSON
object: summed CPU seconds per file, wall seconds, pages and rows. A script run by
path, so that it measures the ``pipeline`` installed in the interpreter that runs it
(``python -m bench --chc OTHER/.venv/bin/chc`` measures that checkout's chc); the
workers are warmed as ``chc ingest`` warms its own (``pipeline.preload`` when the
checkout has it).
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import sys
import time
from pathlib import Path


def _warm() -> None:
    for name in ("pipeline.preload", "pipeline.process"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            continue


def _one(path: Path) -> tuple[float, int, int]:
    from pipeline.process import process_file

    started = time.process_time()
    result = process_file(path)
    return time.process_time() - started, result.pages or 0, len(result.rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with context.Pool(max(1, args.workers), initializer=_warm) as pool:
        done = pool.map(_one, args.paths, chunksize=1)
    print(
        json.dumps(
            {
                "seconds": sum(d[0] for d in done),
                "wall_seconds": time.perf_counter() - started,
                "pages": sum(d[1] for d in done),
                "rows": sum(d[2] for d in done),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
