"""pipeline/collect/recognise.py: chc's own pipeline decides what is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

from fake_site import accounts_pdf, section_pages

from pipeline.collect.recognise import recognise, without_path

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_page_holding_one_code_section_is_a_self_assessment(tmp_path: Path) -> None:
    title, body = section_pages()[1]
    assert title == "Section 2: Exclusions"
    page = tmp_path / "section-2.html"
    page.write_bytes(body)
    verdict = recognise(page)
    assert verdict.keep
    assert verdict.format == "html"
    assert verdict.reason == "a self-assessment: 5 rows match provisions of the 2024 Code."


def test_accounts_are_left_out_with_the_pipelines_reason_without_the_temporary_path(
    tmp_path: Path,
) -> None:
    path = tmp_path / "accounts.pdf"
    path.write_bytes(accounts_pdf())
    verdict = recognise(path)
    assert not verdict.keep
    assert verdict.error_code == "no_assessment_found"
    assert verdict.reason.startswith("no self-assessment table found")
    assert str(tmp_path) not in verdict.reason


def test_an_unreadable_file_is_left_out_with_its_error(tmp_path: Path) -> None:
    path = tmp_path / "form.pdf"
    shutil.copy(FIXTURES / "bad" / "truncated.pdf", path)
    verdict = recognise(path)
    assert not verdict.keep
    assert verdict.error_code == "corrupt_file"
    assert verdict.reason and str(tmp_path) not in verdict.reason


def test_without_path() -> None:
    assert without_path("/tmp/x.pdf: is empty.", Path("/tmp/x.pdf")) == "is empty."
    assert without_path("other text", Path("/tmp/x.pdf")) == "other text"
