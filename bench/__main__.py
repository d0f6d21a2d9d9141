"""``python -m bench [--docs 200] [--seed 12]``: the sector benchmark (see bench/__init__).

Order: generate (or reuse) the sector; the pdfium text pass and the pdfplumber tables
pass over its PDFs; ``chc ingest`` at 1 and then 2 workers into fresh databases;
scoring against the gold; ``chc report``. Everything is timed on the same files, one
after another, never two at once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.passes import chc_pass, chc_profile, pdfium_text_pass, pdfplumber_tables_pass
from bench.results import accuracy_by, machine, markdown, write_json
from bench.runs import run_ingest, run_report
from corpus.builder.sector import DEFAULT_OUT, build_sector
from pipeline.evaluate import evaluate_database

ROOT = Path(__file__).resolve().parents[1]
# PDFs profiled for the share of each stage (cProfile is slow: a sample).
PROFILED = 20


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark chc on a synthetic sector. Example: python -m bench --docs 200",
    )
    parser.add_argument("--docs", type=int, default=200, help="documents in the sector")
    parser.add_argument("--seed", type=int, default=12, help="sector seed")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="results folder")
    parser.add_argument(
        "--chc",
        type=Path,
        default=Path(sys.executable).absolute().with_name("chc"),
        help="the chc executable to measure (default: the one next to this Python)",
    )
    parser.add_argument("--sector", type=Path, default=None, help="sector folder")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    args.chc = args.chc.absolute()
    return args


def _log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    sector = (args.sector or DEFAULT_OUT / f"docs{args.docs}-seed{args.seed}").resolve()
    load_start = os.getloadavg()[0]
    _log(f"sector of {args.docs} documents in {sector}")
    started = time.perf_counter()
    stamp = build_sector(sector, args.docs, args.seed, workers=os.cpu_count() or 1)
    generate = time.perf_counter() - started
    documents, manifest = sector / "documents", sector / "manifest.csv"
    pdfs = sorted(documents.glob("*.pdf"))
    # The ratios compare CPU seconds per file summed over the PDFs: chc's own work per
    # document against the naive and floor passes, two files at a time.
    parallel = min(2, os.cpu_count() or 1)
    _log(f"pypdfium2 text pass over {len(pdfs)} PDFs")
    floor = pdfium_text_pass(pdfs, parallel)
    _log(f"pdfplumber extract_tables() over {floor.pages} pages, {parallel} processes")
    naive = pdfplumber_tables_pass(pdfs, parallel)
    _log(f"chc process_file over the same PDFs, {parallel} processes")
    own = chc_pass(pdfs, parallel, args.chc.with_name("python"))
    _log(f"chc under cProfile on {min(PROFILED, len(pdfs))} PDFs")
    stages = chc_profile(pdfs[:PROFILED], args.chc.with_name("python"))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="chc-bench-") as tmp:
        runs = {}
        for workers in (1, 2):
            _log(f"chc ingest --workers {workers}")
            runs[workers] = run_ingest(
                args.chc, documents, manifest, Path(tmp) / f"w{workers}.duckdb", workers
            )
        _log("scoring against the gold")
        report = evaluate_database(Path(tmp) / "w2.duckdb", sorted((sector / "gold").glob("*")))
        _log("chc report")
        report_seconds = run_report(args.chc, Path(tmp) / "w2.duckdb", Path(tmp) / "report")
        charts = sorted(p.name for p in (Path(tmp) / "report").glob("*.png"))
        args.out.mkdir(parents=True, exist_ok=True)
        for name in charts:  # keep the charts to look at (heatmap readability)
            shutil.copy(Path(tmp) / "report" / name, args.out / f"bench_{name}")
    one, two = runs[1], runs[2]
    overall = report.as_dict()["overall"]
    info = machine()
    results = {
        "docs": one.docs,
        "pages": one.pages,
        "pdf_docs": len(pdfs),
        "pdf_pages": floor.pages,
        "seconds_workers_1": round(one.seconds, 2),
        "seconds_workers_2": round(two.seconds, 2),
        "docs_per_second_workers_1": round(one.docs / one.seconds, 3),
        "docs_per_second_workers_2": round(two.docs / two.seconds, 3),
        "pages_per_second_workers_1": round(one.pages / one.seconds, 2),
        "pages_per_second_workers_2": round(two.pages / two.seconds, 2),
        "chc_pdf_seconds_workers_1": round(one.pdf_seconds, 2),
        "chc_pdf_seconds_workers_2": round(two.pdf_seconds, 2),
        "passes_workers": parallel,
        "chc_pdf_cpu_seconds": round(own.seconds, 2),
        "chc_pdf_wall_seconds": round(own.wall_seconds, 2),
        "naive_pdfplumber_seconds": round(naive.seconds, 2),
        "naive_pdfplumber_wall_seconds": round(naive.wall_seconds, 2),
        "naive_tables_found": naive.tables,
        "pdfium_text_seconds": round(floor.seconds, 3),
        "pdfium_text_wall_seconds": round(floor.wall_seconds, 3),
        "ratio_vs_naive": round(own.seconds / naive.seconds, 4),
        "ratio_vs_floor": round(own.seconds / floor.seconds, 2),
        "ratio_vs_naive_wall": round(one.seconds / naive.seconds, 4),
        "peak_rss_mb": max(one.peak_rss_mb, two.peak_rss_mb),
        "provision_recall": overall["recall"],
        "provision_precision": overall["precision"],
        "answer_accuracy": overall["answer_accuracy"],
        "version_accuracy": overall["version_accuracy"],
        "accuracy_by_format": accuracy_by(report, manifest, "format"),
        "accuracy_by_layout": accuracy_by(report, manifest, "layout"),
        "accuracy_by_producer": accuracy_by(report, manifest, "producer"),
        "profile_seconds": {k: round(v, 3) for k, v in stages.items()},
        "profile_docs": min(PROFILED, len(pdfs)),
        "report_seconds": round(report_seconds, 2),
        "report_charts": charts,
        "cores": info["cores"],
        "machine": info,
        "chc": {f"workers_{n}": asdict(run) for n, run in runs.items()},
        "generate_seconds": round(generate, 1),
        "generate_reused": bool(stamp["reused"]),
        "seed": args.seed,
        "generator": stamp["generator"],
        "sector_dir": str(sector),
        "load_average_start": load_start,
        "load_average_end": os.getloadavg()[0],
        "command": f"make bench BENCH_DOCS={args.docs}"
        if args.seed == 12
        else f"python -m bench --docs {args.docs} --seed {args.seed}",
    }
    write_json(results, args.out / "bench.json")
    (args.out / "bench.md").write_text(markdown(results), encoding="utf-8")
    _log(f"wrote {args.out / 'bench.md'} and {args.out / 'bench.json'}")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
