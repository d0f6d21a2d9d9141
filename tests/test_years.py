"""Tests for pipeline/years.py: the assessment year and Code-version plausibility."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.years import (
    HEADING_LINES,
    infer_year,
    version_year_note,
    year_from_body,
    year_from_file_name,
    year_from_heading,
)

# The seed text files, copied byte-identical into the bundled corpus.
SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "documents"


def from_text(*lines: str, file_name: str = "form.pdf") -> tuple[int | None, str]:
    got = infer_year(given=None, text_lines=lines, file_name=file_name)
    return got.year, got.raw


@pytest.mark.parametrize(
    ("line", "year", "raw"),
    [
        # The examples of the issue.
        ("Self-Assessment Form September 2023", 2023, "September 2023"),
        ("Complaints self-assessment 2023/24", 2024, "2023/24"),
        ("2024 V3", 2024, "2024 V3"),
        ("Position as of May 2023", 2023, "May 2023"),
        # More spellings.
        ("Self-assessment 2023/2024", 2024, "2023/2024"),
        ("Self-assessment 2022-23", 2023, "2022-23"),
        ("Self-assessment FY23/24", 2024, "FY23/24"),
        ("Reviewed 1st April 2024", 2024, "1st April 2024"),
        ("Reviewed Sept. 2022", 2022, "Sept. 2022"),
        ("Approved 01/04/2024", 2024, "01/04/2024"),
        ("Approved 2024-04-01", 2024, "2024-04-01"),
        ("Version 2 2023 self-assessment", 2023, "2023"),
        ("Annual complaints report 2022", 2022, "2022"),
    ],
)
def test_year_from_heading_examples(line: str, year: int, raw: str) -> None:
    assert from_text("Appendix A", line) == (year, raw)


@pytest.mark.parametrize(
    "line",
    [
        "Complaint Handling Code 2024",
        "the 2022 Code self-assessment form",
        "in line with the Equality Act 2010",
        "Housing Act 1996 Part 7",
        "Reference 20231234",
        "Budget £2023",
        "Appendix A: Self-assessment form",
    ],
)
def test_no_year_from_laws_codes_and_numbers(line: str) -> None:
    assert from_text(line) == (None, "")


def test_financial_year_is_the_later_year() -> None:
    # A 2024-Code form labelled 2023/24 is plausible under the rule.
    year, _ = from_text("Self-assessment 2023/24")
    assert year == 2024
    assert version_year_note("2024", year) == ""


def test_manifest_year_wins_and_is_not_inferred() -> None:
    got = infer_year(given=2021, text_lines=["September 2023"], file_name="x_2024.pdf")
    assert (got.year, got.raw, got.inferred, got.note) == (2021, "2021", False, "")
    odd = infer_year(given=1999, text_lines=[], file_name="x")
    assert odd.year == 1999 and "outside" in odd.note


def test_order_heading_then_file_name_then_body() -> None:
    body = ["filler line"] * HEADING_LINES + ["The policy was updated in July 2021."]
    heading = infer_year(given=None, text_lines=["May 2023", *body], file_name="x_2022.pdf")
    assert (heading.year, heading.inferred) == (2023, True)
    assert "heading" in heading.note
    named = infer_year(given=None, text_lines=body, file_name="000_rotherham_2022.pdf")
    assert (named.year, named.raw) == (2022, "2022")
    assert "file name" in named.note
    only_body = infer_year(given=None, text_lines=body, file_name="form.pdf")
    assert (only_body.year, only_body.raw) == (2021, "July 2021")
    assert "latest date" in only_body.note
    nothing = infer_year(given=None, text_lines=["no dates here"], file_name="form.pdf")
    assert (nothing.year, nothing.raw, nothing.inferred) == (None, "", True)


def test_body_takes_latest_past_date_not_plans() -> None:
    lines = [
        "We last publicised our procedures in the January 2023 edition.",
        "Policy approved October 2022.",
        "A new system will be in place by March 2026.",
        "Training due from April 2027 onwards.",
    ]
    assert year_from_body(lines) == (2023, "January 2023")


@pytest.mark.parametrize(
    ("file_name", "found"),
    [
        ("000_rotherham_2024.pdf", (2024, "2024")),
        ("004_st_leger_homes_2023_scan.pdf", (2023, "2023")),
        ("CHC-self-assessment-2023-24.docx", (2024, "2023-24")),
        ("000_f51c28dd8c8290d7.txt", None),
        ("form_12024.pdf", None),
        ("form_2015.pdf", None),  # before the first Code
    ],
)
def test_year_from_file_name(file_name: str, found: tuple[int, str] | None) -> None:
    assert year_from_file_name(file_name) == found


def test_heading_takes_first_year() -> None:
    assert year_from_heading(["Self-assessment May 2023", "Next review May 2024"]) == (
        2023,
        "May 2023",
    )


@pytest.mark.parametrize(
    ("version", "year", "plausible"),
    [
        ("2020", 2020, True),
        ("2020", 2021, True),
        ("2020", 2022, True),
        ("2020", 2023, False),  # a 2020 form dated 2023+ is implausible
        ("2020", 2019, False),
        ("2022", 2021, False),  # a 2022 form dated 2021 or earlier is implausible
        ("2022", 2022, True),
        ("2022", 2024, True),
        ("2022", 2025, False),
        ("2024", 2022, False),  # a 2024-Code form dated 2022 is flagged
        ("2024", 2023, False),
        ("2024", 2024, True),
        ("2024", 2026, True),
        (None, 2022, True),
        ("2024", None, True),
    ],
)
def test_version_year_note(version: str | None, year: int | None, plausible: bool) -> None:
    note = version_year_note(version, year)
    assert (note == "") is plausible
    if not plausible:
        assert str(year) in note and str(version) in note


@settings(deadline=None)
@given(st.lists(st.text(max_size=80), max_size=20), st.text(max_size=40))
def test_infer_year_never_raises(lines: list[str], file_name: str) -> None:
    got = infer_year(given=None, text_lines=lines, file_name=file_name)
    assert got.year is None or 2019 <= got.year <= 2035
    assert got.inferred


# The assessment years of the seeds, as recorded in the corpus manifest (by hand).
SEED_YEARS = {"000": 2024, "001": 2024, "002": 2021, "003": 2023, "004": 2023}


@pytest.mark.parametrize("seed", sorted(SEED_YEARS))
def test_seed_years_right_or_none(seed: str) -> None:
    """From a seed's full text the year found is the recorded one, or none at all."""
    path = next(SEEDS.glob(f"{seed}_????????????????.txt"))  # the seed, not a variant
    got = infer_year(
        given=None, text_lines=path.read_text(encoding="utf-8").splitlines(), file_name=path.name
    )
    assert got.year in (None, SEED_YEARS[seed])


# --- the bundled corpus ------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def corpus_title_lines(path: Path) -> tuple[str, ...]:
    """The title lines the pipeline would pass (as in tests/test_landlords.py)."""
    from pipeline.errors import ReadError
    from pipeline.extract import read_document
    from pipeline.extract.pdf.reader import page_texts, title_lines

    if path.suffix.lower() == ".pdf":
        return title_lines(tuple(page_texts(path)))
    try:
        return read_document(path).title_lines
    except ReadError:
        return ()


@pytest.mark.slow
def test_corpus_years_against_manifest() -> None:
    """Inferred (manifest withheld) year of every corpus document from its title lines
    and file name: never wrong, and plausible for the document's Code version."""
    with (CORPUS / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    assert manifest
    wrong: list[str] = []
    missed: list[str] = []
    for entry in manifest:
        path = CORPUS / entry["file"]
        got = infer_year(given=None, text_lines=corpus_title_lines(path), file_name=path.name)
        if got.year is None:
            missed.append(path.name)
        elif got.year != int(entry["assessment_year"]):
            wrong.append(f"{path.name}: {got.year} from {got.raw!r}")
        else:
            assert version_year_note(entry["code_version"], got.year) == ""
    assert wrong == []
    assert all(re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", name) for name in missed), missed
