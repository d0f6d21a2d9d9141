"""Benchmark results: accuracy by layout, the machine, and ``bench.json`` / ``bench.md``."""

from __future__ import annotations

import csv
import json
import os
import platform
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from pipeline.evaluate import EvalReport

# Keys bench.json always has (issue 12), besides the detail blocks.
REQUIRED_KEYS = (
    "docs",
    "pages",
    "seconds_workers_1",
    "seconds_workers_2",
    "naive_pdfplumber_seconds",
    "pdfium_text_seconds",
    "ratio_vs_naive",
    "ratio_vs_floor",
    "peak_rss_mb",
    "provision_recall",
    "answer_accuracy",
    "report_seconds",
    "cores",
)


def machine() -> dict[str, Any]:
    """CPU, cores, memory, OS and library versions of this machine."""
    model = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for package in ("pdfplumber", "pypdfium2", "pdfminer.six", "spacy", "duckdb", "reportlab"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "cpu": model,
        "cores": os.cpu_count() or 1,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }


def _manifest(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {Path(r["file"]).name: r for r in csv.DictReader(handle)}


def accuracy_by(report: EvalReport, manifest: Path, key: str) -> dict[str, dict[str, Any]]:
    """Recall, precision and answer accuracy per manifest column value (e.g. layout)."""
    rows = _manifest(manifest)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for score in report.scored:
        value = rows.get(score.gold_file.removesuffix(".jsonl"), {}).get(key, "?")
        s = sums[value]
        s[0] += 1
        s[1] += score.gold_rows
        s[2] += score.recalled
        s[3] += score.precise
        s[4] += score.stored_aligned
        s[5] += score.answers_correct
    return {
        value: {
            "docs": s[0],
            "gold_rows": s[1],
            "provision_recall": round(s[2] / s[1], 4) if s[1] else 1.0,
            "provision_precision": round(s[3] / s[4], 4) if s[4] else 0.0,
            "answer_accuracy": round(s[5] / s[1], 4) if s[1] else 1.0,
        }
        for value, s in sorted(sums.items())
    }


def write_json(results: dict[str, Any], path: Path) -> None:
    """``bench.json``; fails if a required key is missing."""
    missing = [k for k in REQUIRED_KEYS if k not in results]
    if missing:
        raise ValueError(f"bench results lack {missing}")
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def _accuracy_rows(block: dict[str, dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            name,
            v["docs"],
            v["gold_rows"],
            f"{v['provision_recall']:.3f}",
            f"{v['provision_precision']:.3f}",
            f"{v['answer_accuracy']:.3f}",
        )
        for name, v in block.items()
    ]


def markdown(r: dict[str, Any]) -> str:
    """``bench.md``: the figures side by side, the accuracy breakdown, the machine."""
    m = r["machine"]
    runs = [r["chc"][f"workers_{n}"] for n in (1, 2)]
    lines = [
        f"# chc benchmark: {r['docs']} synthetic documents ({r['pdf_docs']} PDFs, "
        f"{r['pdf_pages']} PDF pages)",
        "",
        f"Reproduce: `{r['command']}` (sector seed {r['seed']}, generator "
        f"{r['generator']}; documents in `{r['sector_dir']}`).",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['system']}, "
        f"Python {m['python']}; load average {r['load_average_start']:.2f} at the start and "
        f"{r['load_average_end']:.2f} at the end (other work on the machine slows every "
        "figure below).",
        "",
        "## Same files, side by side",
        "",
        *_table(
            ("run", "documents", "pages", "wall s", "documents/s", "pages/s", "peak RSS MB"),
            [
                (
                    f"chc ingest, {run['workers']} worker{'s' if run['workers'] > 1 else ''}",
                    run["docs"],
                    run["pages"],
                    f"{run['seconds']:.1f}",
                    f"{run['docs'] / run['seconds']:.2f}",
                    f"{run['pages'] / run['seconds']:.1f}",
                    f"{run['peak_rss_mb']:.0f}",
                )
                for run in runs
            ]
            + [
                (
                    f"chc `process_file` on the PDFs, {r['passes_workers']} processes",
                    r["pdf_docs"],
                    r["pdf_pages"],
                    f"{r['chc_pdf_wall_seconds']:.1f}",
                    f"{r['pdf_docs'] / r['chc_pdf_wall_seconds']:.2f}",
                    f"{r['pdf_pages'] / r['chc_pdf_wall_seconds']:.1f}",
                    "",
                ),
                (
                    f"pdfplumber `extract_tables()` on every page (naive), "
                    f"{r['passes_workers']} processes",
                    r["pdf_docs"],
                    r["pdf_pages"],
                    f"{r['naive_pdfplumber_wall_seconds']:.1f}",
                    f"{r['pdf_docs'] / r['naive_pdfplumber_wall_seconds']:.2f}",
                    f"{r['pdf_pages'] / r['naive_pdfplumber_wall_seconds']:.1f}",
                    "",
                ),
                (
                    f"pypdfium2 text of every page (floor), {r['passes_workers']} processes",
                    r["pdf_docs"],
                    r["pdf_pages"],
                    f"{r['pdfium_text_wall_seconds']:.2f}",
                    f"{r['pdf_docs'] / r['pdfium_text_wall_seconds']:.1f}",
                    f"{r['pdf_pages'] / r['pdfium_text_wall_seconds']:.0f}",
                    "",
                ),
            ],
        ),
        "",
        "Ratios compare CPU seconds per file, summed over the PDFs (each file timed in "
        f"the process working on it, {r['passes_workers']} at a time): chc's own work per "
        f"document (`process_file`: read, match, identity) {r['chc_pdf_cpu_seconds']:.1f} s, "
        f"naive pdfplumber {r['naive_pdfplumber_seconds']:.1f} s, pdfium text "
        f"{r['pdfium_text_seconds']:.2f} s (the median of three passes): chc takes "
        f"**{r['ratio_vs_naive']:.3f}** x the "
        f"naive pass (target <= 0.25) and **{r['ratio_vs_floor']:.1f}** x the floor "
        "(target <= 15). CPU seconds change little with other work on the machine; wall "
        f"times do. The whole 1-worker ingest (wall, every format, start-up and database "
        f"included) took {r['ratio_vs_naive_wall']:.3f} x the naive pass's CPU seconds; the "
        f"PDFs' per-document wall seconds summed {r['chc_pdf_seconds_workers_1']:.1f} s "
        f"(1 worker) and {r['chc_pdf_seconds_workers_2']:.1f} s (2 workers).",
        "",
        f"Peak resident memory of a worker: {runs[0]['peak_rss_mb']:.0f} MB (1 worker), "
        f"{runs[1]['peak_rss_mb']:.0f} MB (2 workers); first tenth of the documents "
        f"{runs[1]['peak_rss_mb_first_tenth']:.0f} MB, last tenth "
        f"{runs[1]['peak_rss_mb_last_tenth']:.0f} MB (target < 400, flat).",
        "",
        f"`chc report` on the 2-worker database: {r['report_seconds']:.1f} s. "
        f"Sector generation: {r['generate_seconds']:.1f} s "
        f"({'reused' if r['generate_reused'] else 'built'}).",
        "",
        "## Where chc's time goes",
        "",
        f"Cumulative seconds per stage of `process_file` on {r['profile_docs']} of the PDFs "
        "under cProfile (a profiled run: shares, not timings; stages nest, so they do not "
        "add up).",
        "",
        *_table(
            ("stage", "seconds", "share"),
            [
                (name, f"{value:.2f}", f"{value / r['profile_seconds']['all of process_file']:.0%}")
                for name, value in r["profile_seconds"].items()
            ]
            if r.get("profile_seconds", {}).get("all of process_file")
            else [],
        ),
        "",
        "## Accuracy against the generated gold",
        "",
        f"All documents: provision recall **{r['provision_recall']:.4f}**, precision "
        f"{r['provision_precision']:.4f}, answer accuracy **{r['answer_accuracy']:.4f}**, "
        f"Code version right in {r['version_accuracy']:.4f} of documents. Statuses: "
        + ", ".join(f"{k} {v}" for k, v in sorted(runs[1]["statuses"].items()))
        + ".",
        "",
        "By format:",
        "",
        *_table(
            ("format", "documents", "gold rows", "recall", "precision", "answers"),
            _accuracy_rows(r["accuracy_by_format"]),
        ),
        "",
        "By layout family (the manifest's `layout`):",
        "",
        *_table(
            ("layout", "documents", "gold rows", "recall", "precision", "answers"),
            _accuracy_rows(r["accuracy_by_layout"]),
        ),
        "",
    ]
    return "\n".join(lines)
