"""End-to-end robustness on layouts the corpus does not have, in every format: one
harness (tests/fixtures/variety/harness.py) for every fixture set.

* variety: gold rows of corpus/gold/ re-published in other realistic layouts as text,
  markdown, TSV, Word and HTML (tests/fixtures/variety/make_variety.py; findings in
  docs/variety.md);
* web: whole council CMS pages with site chrome (tests/fixtures/variety_web/);
* pdf: PDFs from reportlab and LibreOffice with page furniture (tests/fixtures/variety_pdf/);
* families: the families of layout real landlords publish (../shared/real-dev/README.md),
  built from the Code's wording, as page text and as HTML, Word and PDF
  (tests/fixtures/families/make_families.py).

Expected values come from gold or from the generators' own rows at test time, never from
the pipeline's output. Known failures are ``xfail(strict=True)`` with their cause, so a
fix makes the mark fail loudly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "variety"))
from harness import FIXTURES, VarietySet, check, load_generator

VARIETY = load_generator("variety", "make_variety")
WEB = load_generator("variety_web", "make_variety_web")
PDF = load_generator("variety_pdf", "make_variety_pdf")
FAMILIES = load_generator("families", "make_families")

_CENTRED = (
    "pdf_borderless: LibreOffice prints this web page's table without rules and with "
    "vertically centred cells, so a row's id sits mid-row and the lines above it are read "
    "as the previous row's (rows start at the id line); rows would have to come from the "
    "blank bands between them"
)
CHECKS = ("rows", "version", "aligned", "answers")

SETS = {
    s.name: s
    for s in (
        VarietySet(
            "variety",
            FIXTURES / "variety",
            {v.name: v for v in VARIETY.variants()},
            CHECKS,
            expected=lambda v: v.expected,
        ),
        VarietySet(
            "web",
            FIXTURES / "variety_web",
            {v.name: v for v in WEB.variants()},
            (*CHECKS, "sections"),
            expected=WEB.expected,
            no_extra_rows=True,
        ),
        VarietySet(
            "pdf",
            FIXTURES / "variety_pdf",
            {v.name: v for v in PDF.variants()},
            CHECKS,
            expected=lambda v: v.expected,
            known={
                ("lo_html_table_mix24", "rows"): _CENTRED,
                ("lo_html_table_mix24", "answers"): _CENTRED,
            },
            slow=True,
        ),
        VarietySet(
            "families",
            FIXTURES / "families",
            {v.name: v for v in FAMILIES.variants()},
            ("version", "aligned", "answers"),
            expected=lambda v: v.expected,
        ),
    )
}


@pytest.mark.parametrize(
    ("variety", "name", "what"), [p for s in SETS.values() for p in s.params()]
)
def test_variant(variety: str, name: str, what: str) -> None:
    """One check of one variant through the whole chain (see the harness docstring)."""
    check(SETS[variety], name, what)


@pytest.mark.parametrize("variety", list(SETS))
def test_every_variant_has_a_fixture_and_rows(variety: str) -> None:
    sizes = {"variety": 30, "web": 15, "pdf": 20, "families": 20}
    chosen = SETS[variety]
    assert len(chosen.variants) >= sizes[variety]
    for variant in chosen.variants.values():
        assert (chosen.folder / variant.file).is_file(), f"regenerate {variant.file}"
        assert chosen.expected(variant), variant.name


@pytest.mark.parametrize("variety", ["variety", "web", "families"])
def test_text_fixtures_are_up_to_date(variety: str, tmp_path: Path) -> None:
    # HTML/markdown/text fixtures are byte-for-byte what the generators write (DOCX zips
    # carry timestamps and PDFs need LibreOffice, so those are checked through the tests).
    chosen = SETS[variety]
    for variant in chosen.variants.values():
        if variant.file.endswith((".docx", ".pdf")):
            continue
        variant.render(tmp_path / variant.file)
        assert (tmp_path / variant.file).read_bytes() == (
            chosen.folder / variant.file
        ).read_bytes(), f"{variant.file} is stale: run its generator in {chosen.folder}"
