"""PDF characters and rules from pypdfium2 (pdf_glyphs, pdf_rules, pdf_space) and the
word rule over them (pdf_glyph_words), checked against what pdfplumber itself gives.

pdfplumber (pdfminer underneath) is the reference: the reader used it for characters,
rules and words before it moved to pypdfium2, so each test reads the same page both
ways and compares. Pages come from committed fixtures and from small PDFs reportlab
writes here (a rotated page, a table drawn inside a form XObject).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.utils.text import WordExtractor

from pipeline.extract.pdf.glyph_words import glyph_words
from pipeline.extract.pdf.glyphs import Font, Glyphs, page_glyphs
from pipeline.extract.pdf.objects import page_objects
from pipeline.extract.pdf.rules import page_edges
from pipeline.extract.pdf.space import Space, page_space

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parents[1] / "corpus" / "documents"
# One page of each producer: LibreOffice (ruled, borderless), reportlab (grid, zebra).
PAGES = (
    (CORPUS / "000_rotherham_2024.pdf", 4),
    (CORPUS / "000_rotherham_2024_landscape_borderless.pdf", 2),
    (FIXTURES / "variety_pdf" / "rl_grid.pdf", 0),
    (FIXTURES / "variety_pdf" / "rl_2022_must_should_bands_zebra.pdf", 1),
)
LIBRARY_WORDS = WordExtractor(
    x_tolerance=2, y_tolerance=3, keep_blank_chars=False, extra_attrs=["fontname", "size"]
)


def _both(path: Path, index: int) -> tuple[Any, Any]:
    """(pdfplumber page, pypdfium2 page objects) of one page."""
    document = pdfium.PdfDocument(str(path))
    page = document[index]
    textpage = page.get_textpage()
    objects = page_objects(page, textpage)
    with pdfplumber.open(path) as pdf:
        plumber = pdf.pages[index]
        return (plumber.chars, plumber.edges, plumber.width, plumber.height), objects


def _same_chars(expected: list[dict[str, Any]], glyphs: Glyphs) -> None:
    # pdfminer spells a ligature as two letters and an unmapped glyph as "(cid:n)";
    # pdfium gives the one character. Pages here have neither.
    assert "".join(c["text"] for c in expected) == glyphs.text
    got = glyphs.chars()
    for a, b in zip(expected, got, strict=True):
        size = b["size"]
        # Horizontally pdfium's loose box follows the glyph where pdfminer takes the
        # advance (a "J" that reaches left of its origin): within 6% of the size.
        for key in ("x0", "x1"):
            assert abs(a[key] - b[key]) < 0.3 + 0.06 * size, (a, b, key)
        # Vertically both span one size up from the descent line; pdfminer takes the
        # descent from the font descriptor, pdfium from the font program when the
        # descriptor says 0 (LibreOffice's DejaVu fonts): within 20% of the size.
        for key in ("top", "bottom"):
            assert abs(a[key] - b[key]) < 0.3 + 0.2 * size, (a, b, key)
        if b["upright"]:
            assert abs((b["bottom"] - b["top"]) - size) < 0.01
        if a["upright"]:  # pdfminer's size of rotated text is each glyph's advance
            assert abs(a["size"] - b["size"]) < 0.05
        assert a["fontname"].split("+")[-1] == b["fontname"].split("+")[-1]
        assert a["upright"] == b["upright"]


def _edge_set(edges: Any) -> list[tuple[str, float, float, float, float]]:
    return sorted((e["orientation"] or "-", e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges)


def _same_edges(expected: Any, got: Any) -> None:
    a, b = _edge_set(expected), _edge_set(got)
    assert len(a) == len(b)
    unmatched = list(b)
    for edge in a:  # every pdfminer edge has a pdfium edge within 0.25 pt
        near = next(
            (
                e
                for e in unmatched
                if e[0] == edge[0] and all(abs(e[i] - edge[i]) < 0.25 for i in range(1, 5))
            ),
            None,
        )
        assert near is not None, edge
        unmatched.remove(near)


@pytest.mark.parametrize(("path", "index"), PAGES, ids=[f"{p.name}-{i}" for p, i in PAGES])
def test_characters_rules_and_size_match_pdfminer(path: Path, index: int) -> None:
    (chars, edges, width, height), objects = _both(path, index)
    _same_chars(chars, objects.glyphs)
    _same_edges(edges, objects.edges)
    assert abs(objects.width - float(width)) < 0.01
    assert abs(objects.height - float(height)) < 0.01


@pytest.mark.parametrize(("path", "index"), PAGES, ids=[f"{p.name}-{i}" for p, i in PAGES])
def test_words_are_pdfplumbers_words(path: Path, index: int) -> None:
    _, objects = _both(path, index)
    assert glyph_words(objects.glyphs) == LIBRARY_WORDS.extract_words(objects.glyphs.chars())


def test_pdfium_drops_the_space_after_a_line_end_hyphen() -> None:
    # The one known difference from pdfminer ("self- " / "assessment"): pdfium's text
    # page deletes spaces between a hyphen ending a line and the line break.
    path = CORPUS / "003_chesterfield_2023.pdf"
    (chars, _, _, _), objects = _both(path, 11)
    expected = "".join(c["text"] for c in chars)
    assert "self- " in expected
    assert objects.glyphs.text == expected.replace("self- ", "self-")


def _reportlab(path: Path, draw: Any, rotate: int = 0) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if rotate:
        pdf.setPageRotation(rotate)
    draw(pdf)
    pdf.showPage()
    pdf.save()


def _table_in_form(pdf: Any) -> None:
    pdf.beginForm("grid")
    for x in (0, 100, 250):
        pdf.line(x, 0, x, 60)
    for y in (0, 30, 60):
        pdf.line(0, y, 250, y)
    pdf.drawString(5, 40, "Code provision")
    pdf.endForm()
    pdf.saveState()
    pdf.translate(120, 500)
    pdf.scale(1.5, 1.5)
    pdf.doForm("grid")
    pdf.restoreState()
    pdf.rect(60, 100, 200, 80)
    pdf.drawString(70, 150, "Rotated or not, the words are the same")


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_rotated_pages_and_form_xobjects_match_pdfminer(tmp_path: Path, rotate: int) -> None:
    path = tmp_path / f"rotate{rotate}.pdf"
    _reportlab(path, _table_in_form, rotate)
    (chars, edges, width, height), objects = _both(path, 0)
    _same_chars(chars, objects.glyphs)
    _same_edges(edges, objects.edges)
    assert (objects.width, objects.height) == pytest.approx((float(width), float(height)))
    assert glyph_words(objects.glyphs) == LIBRARY_WORDS.extract_words(objects.glyphs.chars())


def test_space_maps_user_space_like_pdfminer() -> None:
    for rotation, expected in ((0, (10, 780)), (90, (20, 10)), (180, (580, 20)), (270, (780, 580))):
        space = Space(rotation, 0.0, 0.0, 590.0, 800.0)
        assert space.point(10.0, 20.0) == expected
        xs, tops = space.points(np.array([10.0]), np.array([20.0]))
        assert (xs[0], tops[0]) == expected


def test_page_space_reads_the_media_box(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    _reportlab(path, lambda pdf: pdf.drawString(50, 50, "x"), 90)
    page = pdfium.PdfDocument(str(path))[0]
    space = page_space(page)
    assert space.rotation == 90 and space.turned
    with pdfplumber.open(path) as pdf:
        expected = (float(pdf.pages[0].width), float(pdf.pages[0].height))
    assert space.size == pytest.approx(expected, abs=0.01)
    assert page_edges(page, space) == []
    assert page_glyphs(page.get_textpage(), space).text == "x"


# --- the word rule on made-up glyphs: same as pdfplumber's, whatever the layout ------

_FONTS = (Font("Helvetica", 9.0, True), Font("Helvetica-Bold", 9.0, True), Font("V", 9.0, False))


@st.composite
def _glyphs(draw: st.DrawFn) -> Glyphs:
    count = draw(st.integers(min_value=0, max_value=60))
    text = "".join(draw(st.lists(st.sampled_from("ab -\u00a0ﬁ.1"), min_size=count, max_size=count)))
    coordinate = st.floats(min_value=0, max_value=60, allow_nan=False).map(lambda v: round(v, 1))
    x0 = [draw(coordinate) for _ in range(count)]
    width = [draw(st.sampled_from((0.0, 1.5, 4.0))) for _ in range(count)]
    top = [draw(st.sampled_from((10.0, 11.5, 13.0, 16.5, 30.0))) for _ in range(count)]
    font = [draw(st.sampled_from((0, 0, 0, 1, 2))) for _ in range(count)]
    return Glyphs(
        text=text,
        x0=np.array(x0, dtype=np.float64),
        x1=np.array(x0, dtype=np.float64) + np.array(width),
        top=np.array(top, dtype=np.float64),
        bottom=np.array(top, dtype=np.float64) + 9.0,
        font=np.array(font, dtype=np.int64),
        fonts=_FONTS,
    )


@settings(max_examples=300, deadline=None)
@given(_glyphs())
def test_glyph_words_equal_wordextractor_on_any_glyphs(glyphs: Glyphs) -> None:
    assert glyph_words(glyphs) == LIBRARY_WORDS.extract_words(glyphs.chars())
