"""PDFs from other producers and with page furniture: unit tests of the fixes the PDF
fixture set (tests/fixtures/variety_pdf/, checked end to end in tests/test_variety.py)
needed."""

from __future__ import annotations

# ---------------------------------------------------------------- unit tests of the fixes


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, object]:
    return {"orientation": orientation, "x0": x0, "top": top, "x1": x1, "bottom": bottom}


def test_open_ends_closes_cell_walls_running_past_the_last_rule() -> None:
    from pipeline.extract.pdf.page import open_ends

    rules = [_edge("h", 40, y, 550, y) for y in (74.0, 110.0, 300.0)]
    walls = [_edge("v", x, 74.0, x, 790.0) for x in (40.0, 200.0, 550.0)]
    assert open_ends([*rules, *walls]) == [790.0]
    top_open = [_edge("v", x, 46.0, x, 300.0) for x in (40.0, 200.0, 550.0)]
    assert open_ends([*rules, *top_open]) == [46.0]
    assert open_ends([*rules, *[_edge("v", x, 74.0, x, 300.0) for x in (40.0, 550.0)]]) == []
    assert open_ends(walls) == []


def _word(text: str, x0: float, top: float) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + 5.0 * len(text), "top": top, "bottom": top + 8}


def test_wrap_after_several_words_is_a_space_but_a_lone_cut_word_is_not() -> None:
    from pipeline.extract.pdf.words import join_cell

    wrapped = [_word("Partial", 0, 0), _word("(In", 40, 0), _word("progress)", 0, 10)]
    assert join_cell(wrapped, width=55.0) == "Partial (In progress)"
    cut = [_word("Part", 0, 0), _word("ial", 0, 10)]
    assert join_cell(cut, width=20.0) == "Partial"


def test_a_borderless_section_band_cut_at_the_gutter_is_a_heading() -> None:
    from pipeline.extract.pdf.page import PageContent, PageRow, PageTable, TextLine
    from pipeline.extract.pdf.stitch import stitch_pages

    rows = (
        PageRow(cells=("Ref", "Requirement", "Comply", "Evidence")),
        PageRow(cells=("Section 2:", "Exclusions", "", "")),
        PageRow(cells=("2.1", "Landlords must accept a complaint unless", "Yes", "Policy")),
    )
    table = PageTable(
        page=1, top=100, bottom=300, columns=(40, 90, 300, 360), rows=rows, ruled=False
    )
    footer = TextLine(top=820, text="Published 14 June 2024 Page 1 of 2", heading=False)
    page = PageContent(page=1, tables=(table,), lines=(footer,))
    result = stitch_pages([page])
    assert [r.cells[0] for r in result.rows] == ["2.1"]
    assert result.rows[0].section == "Section 2: Exclusions"
