"""Fixtures shared by several test modules (built once per test process).

The fake landlord web site for ``chc collect`` is built in tests/fixtures/collect/fake_site.py
and served on 127.0.0.1 only; the corpus database for the report tests in
tests/fixtures/report/report_db.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "collect"))
sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "report"))
from fake_site import LiveSite, live
from report_db import build_corpus_db


@pytest.fixture
def live_site() -> Iterator[LiveSite]:
    """A fresh fake landlord site for one test (a test may change its resources), with
    every address but 127.0.0.1 refused."""
    with live() as site:
        yield site


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
