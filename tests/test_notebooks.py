"""notebooks/: each notebook runs top to bottom (nbclient, the project's own kernel)
against the corpus database with two Code versions and two years of one landlord."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run(path: Path, db: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    os.environ["CHC_DB"] = str(db)  # the kernel inherits it
    try:
        NotebookClient(
            notebook, timeout=120, kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        ).execute()  # fmt: skip
    finally:
        del os.environ["CHC_DB"]
    return notebook


def html_of(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in cell.get("outputs", []))


@pytest.mark.slow
def test_sector_queries_notebook_runs_with_trends_chart_and_ranking(corpus_db: Path) -> None:
    notebook = run(NOTEBOOKS / "sector_queries.ipynb", corpus_db)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    for cell in code:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    by_start = {c.source.split("\n")[0]: c for c in code}
    trend = html_of(by_start['trend = con.sql("""'])
    # Rotherham's 2025 trend form changed 1.3 (yes -> no) and 6.3 (yes -> partial).
    assert "Rotherham Metropolitan Borough Council" in trend and "partial" in trend
    ranking = html_of(by_start['ranking = con.sql("""'])
    assert ranking.count("<tr>") >= 6  # header + one row per latest assessment
    chart = next(c for c in code if c.source.startswith("import matplotlib"))
    assert any("image/png" in o.get("data", {}) for o in chart.outputs)
