"""Fixtures shared by several test modules (built once per test process)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "report"))
from report_db import build_corpus_db


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus's text/Word/web documents (real stages) plus two trend forms."""
    return build_corpus_db(tmp_path_factory.mktemp("corpus_db") / "chc.duckdb")


@pytest.fixture(scope="session")
def corpus_report(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``chc report`` of the corpus database; the folder it wrote."""
    from pipeline.report import write_report

    out = tmp_path_factory.mktemp("corpus_report")
    write_report(corpus_db, out)
    return out
