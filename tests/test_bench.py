"""The benchmark's pieces (bench/): its two reference passes, the result files, and the
accuracy breakdown by manifest column. The full benchmark is ``make bench``, not a test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.passes import chc_pass, chc_profile, pdfium_text_pass, pdfplumber_tables_pass
from bench.results import REQUIRED_KEYS, accuracy_by, markdown, write_json
from pipeline.evaluate import DocumentScore, EvalReport

PDF = Path(__file__).parent / "fixtures" / "pdf" / "ruled_stitch.pdf"


def test_reference_passes_read_every_page() -> None:
    floor = pdfium_text_pass([PDF, PDF])
    naive = pdfplumber_tables_pass([PDF])
    assert floor.pages == 2 * naive.pages > 0
    assert naive.tables >= naive.pages  # the fixture has a ruled table on every page
    assert floor.seconds > 0 and naive.seconds > 0
    parallel = pdfium_text_pass([PDF, PDF], workers=2)
    assert (parallel.pages, parallel.workers) == (floor.pages, 2)
    own = chc_pass([PDF], 1, Path(sys.executable))
    assert own.pages == naive.pages and own.tables > 0  # rows read from the fixture
    stages = chc_profile([PDF], Path(sys.executable))
    assert 0 < stages["PDF characters"] < stages["all of process_file"]


def _score(name: str, rows: int, recalled: int, answers: int) -> DocumentScore:
    return DocumentScore(
        gold_file=f"{name}.jsonl",
        document=name,
        document_id=name,
        status="ok",
        gold_version="2024",
        stored_version="2024",
        gold_rows=rows,
        stored_aligned=recalled,
        recalled=recalled,
        precise=recalled,
        answers_correct=answers,
    )


def test_accuracy_is_summed_per_layout(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "file,layout,format\ndocuments/a.pdf,ruled,pdf\ndocuments/b.pdf,ruled,pdf\n"
        "documents/c.txt,pipes,text\n",
        encoding="utf-8",
    )
    report = EvalReport(
        documents=(
            _score("a.pdf", 10, 10, 9),
            _score("b.pdf", 30, 27, 30),
            _score("c.txt", 5, 0, 0),
        )
    )
    by_layout = accuracy_by(report, manifest, "layout")
    assert by_layout["ruled"] == {
        "docs": 2,
        "gold_rows": 40,
        "provision_recall": 0.925,
        "provision_precision": 1.0,
        "answer_accuracy": 0.975,
    }
    assert by_layout["pipes"]["provision_recall"] == 0.0
    assert set(accuracy_by(report, manifest, "format")) == {"pdf", "text"}


def _results() -> dict[str, Any]:
    run = {
        "workers": 1,
        "seconds": 10.0,
        "docs": 4,
        "pages": 20,
        "peak_rss_mb": 150.0,
        "peak_rss_mb_first_tenth": 140.0,
        "peak_rss_mb_last_tenth": 150.0,
        "statuses": {"ok": 4},
    }
    accuracy = {"pdf": {"docs": 4, "gold_rows": 288, "provision_recall": 1.0,
                        "provision_precision": 1.0, "answer_accuracy": 1.0}}  # fmt: skip
    values: dict[str, Any] = dict.fromkeys(REQUIRED_KEYS, 1.0)
    values |= {
        "machine": {"cpu": "x", "cores": 2, "memory_gb": 8, "system": "Linux", "python": "3.11"},
        "chc": {"workers_1": run, "workers_2": {**run, "workers": 2, "seconds": 6.0}},
        "pdf_docs": 4,
        "pdf_pages": 20,
        "command": "make bench BENCH_DOCS=4",
        "seed": 12,
        "generator": "abc",
        "sector_dir": "build/sector",
        "load_average_start": 0.1,
        "load_average_end": 0.2,
        "chc_pdf_seconds_workers_1": 5.0,
        "chc_pdf_seconds_workers_2": 5.5,
        "ratio_vs_naive_workers_1": 0.2,
        "passes_workers": 2,
        "naive_pdfplumber_wall_seconds": 0.6,
        "chc_pdf_cpu_seconds": 0.3,
        "profile_seconds": {"all of process_file": 2.0, "matching": 0.5},
        "profile_docs": 4,
        "chc_pdf_wall_seconds": 0.2,
        "pdfium_text_wall_seconds": 0.01,
        "ratio_vs_naive_wall": 0.3,
        "generate_seconds": 3.0,
        "generate_reused": False,
        "provision_precision": 1.0,
        "version_accuracy": 1.0,
        "accuracy_by_format": accuracy,
        "accuracy_by_layout": accuracy,
    }
    return values


def test_results_files_have_every_key(tmp_path: Path) -> None:
    results = _results()
    write_json(results, tmp_path / "bench.json")
    assert set(REQUIRED_KEYS) <= set(json.loads((tmp_path / "bench.json").read_text()))
    text = markdown(results)
    assert "chc ingest, 2 workers" in text and "make bench BENCH_DOCS=4" in text
    assert "| matching | 0.50 | 25% |" in text
    del results["ratio_vs_floor"]
    with pytest.raises(ValueError, match="ratio_vs_floor"):
        write_json(results, tmp_path / "bench.json")
