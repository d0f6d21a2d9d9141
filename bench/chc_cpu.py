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
import cProfile
import importlib
import json
import multiprocessing
import pstats
import sys
import time
from pathlib import Path

# (stage, file suffix, function name) of the functions whose cumulative time the
# profile reports; a checkout without one of them reports none for it.
STAGES = (
    ("all of process_file", "pipeline/process.py", "process_file"),
    ("PDF text pass (pre-filter)", "pipeline/extract/pdf/reader.py", "__init__"),
    ("PDF text pass (pre-filter)", "pipeline/extract/pdf/reader.py", "page_texts"),
    ("PDF characters", "pipeline/extract/pdf/glyphs.py", "page_glyphs"),
    ("PDF rules", "pipeline/extract/pdf/rules.py", "page_edges"),
    ("PDF page parse (characters, rules, tables)", "pipeline/extract/pdf/reader.py", "parse"),
    ("PDF page parse (characters, rules, tables)", "pipeline/extract/pdf/reader.py",
     "_parse_page"),
    ("PDF stitching", "pipeline/extract/pdf/stitch.py", "stitch_pages"),
    ("anchored reading", "pipeline/extract/anchors/merge.py", "complete_rows"),
    ("column roles", "pipeline/columns.py", "rows_to_assessment_rows"),
    ("matching", "pipeline/match.py", "assess_document"),
    ("matching: text scores", "pipeline/align.py", "text_scores"),
    ("matching: contradictions", "pipeline/contradictions.py", "likely_answer"),
    ("landlord and year", "pipeline/process.py", "with_identity"),
)  # fmt: skip


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


def profile(paths: list[Path]) -> dict[str, float]:
    """Cumulative seconds per stage (``STAGES``) under cProfile, in this process.

    cProfile slows Python code more than C code, so the figures are shares of a
    profiled run, not timings.
    """
    _warm()
    from pipeline.process import process_file

    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        process_file(path)
    profiler.disable()
    table = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    out: dict[str, float] = {}
    for stage, suffix, name in STAGES:
        for (file, _, function), (_, _, _, cumulative, _) in table.items():
            if function == name and file.endswith(suffix):
                out[stage] = out.get(stage, 0.0) + cumulative
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--profile", type=int, default=0, help="profile the first N files")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.profile:
        print(json.dumps(profile(args.paths[: args.profile])))
        return 0
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
