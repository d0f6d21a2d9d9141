"""PDF reader: unit tests of its steps, fixture documents, and the corpus against gold.

Fixtures in tests/fixtures/pdf/ are Word tables rendered by LibreOffice (rebuilt by
tests/fixtures/pdf/make_fixtures.py): ruled_stitch.pdf (rows split over pages, the
header row repeated on each page, a line break inside the evidence cells),
landscape_ruled.pdf (the same in landscape), borderless.pdf (no ruling lines at
all), annual_report.pdf (prose pages, a statistics table, then the form),
owner_password_only.pdf (borderless.pdf with an owner password and no user password,
``qpdf --encrypt "" owner 256 --modify=none``), prefilter_continuation_pages.pdf (an
annual report whose portrait form has rows taller than a page: the pages holding only
the rest of a long cell score as prose, docs/variety.md#pdf-prefilter-drops-pages).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.columns import rows_to_assessment_rows
from pipeline.evaluate import reader_recall
from pipeline.extract import read_document
from pipeline.extract.pdf.follow import (
    column_lines,
    continues_table,
    follow_tables,
    open_table,
    parsed_pages_note,
)
from pipeline.extract.pdf.page import PageContent, PageRow, PageTable, TextLine
from pipeline.extract.pdf.prefilter import PAGE_THRESHOLD, score_page, select_pages
from pipeline.extract.pdf.reader import page_texts, pages_to_parse, read_pdf, table_pages
from pipeline.extract.pdf.stitch import stitch_pages
from pipeline.extract.pdf.words import (
    Spacing,
    ends_mid_word,
    is_header_row,
    join_cell,
    join_fragments,
)
from pipeline.goldfile import load_gold
from pipeline.records import Extraction

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
CORPUS = Path(__file__).parents[1] / "corpus"


def _word(text: str, x0: float, top: float, width: float | None = None) -> dict[str, Any]:
    w = width if width is not None else 5.0 * len(text)
    return {"text": text, "x0": x0, "x1": x0 + w, "top": top, "bottom": top + 9, "size": 9.0}


# --- joining the lines of a cell -------------------------------------------------


def test_line_break_between_words_becomes_a_space() -> None:
    words = [_word("Complaints", 10, 100), _word("Policy", 65, 100), _word("Ongoing", 10, 112)]
    assert join_cell(words, width=120) == "Complaints Policy Ongoing"


def test_line_break_before_closing_bracket_adds_no_space() -> None:
    words = [_word("(In", 10, 100), _word("progress", 30, 100), _word(")", 10, 112)]
    assert join_cell(words) == "(In progress)"


def test_line_break_after_hyphen_joins_the_word_unless_the_pdf_has_a_space() -> None:
    words = [_word("Partial", 10, 100), _word("(In-", 50, 100), _word("Progress)", 10, 112)]
    assert join_cell(words) == "Partial (In-Progress)"
    spaced = Spacing(spaces={100: (words[1]["x1"],)})
    assert join_cell(words, spaced) == "Partial (In- Progress)"


def test_word_broken_in_a_narrow_column_is_rejoined() -> None:
    # "Partial" does not fit a 22 pt column: "Part" fills the line, "ial" goes on.
    words = [_word("Part", 10, 100, 21.5), _word("ial", 10, 112, 12)]
    assert join_cell(words, width=22) == "Partial"
    # A short line ended on purpose keeps its space even in a narrow column.
    words = [_word("Not", 10, 100, 15), _word("applicable", 10, 112, 22)]
    assert join_cell(words, width=22) == "Not applicable"


def test_cell_parts_split_by_a_page_break_are_joined_by_the_same_rules() -> None:
    assert join_fragments("Any agreed reasonable", "adjustments must") == (
        "Any agreed reasonable adjustments must"
    )
    assert join_fragments("Partial (In-", "Progress)") == "Partial (In-Progress)"
    assert join_fragments("Partial (In Pro", "gress)", open_end=True) == "Partial (In Progress)"
    assert join_fragments("", "gress)") == "gress)"


def test_a_last_line_that_is_one_word_filling_the_column_ends_mid_word() -> None:
    cut = [_word("Partial", 10, 90, 15), _word("(In", 10, 100, 10), _word("Pro", 10, 110, 13.2)]
    assert ends_mid_word(cut, Spacing(spaces={}), width=16.5)
    whole = [_word("Policy", 10, 110, 25)]
    assert not ends_mid_word(whole, Spacing(spaces={}), width=45)


def test_header_rows_are_told_from_answer_rows() -> None:
    assert is_header_row(("Code provision", "Code requirement", "Comply: Yes / No", "Evidence"))
    assert is_header_row(("1", "Definition of a complaint", "Yes", "No"))
    assert not is_header_row(("Any restrictions placed on", "Yes", "This is clear", "No Action"))
    assert not is_header_row(("1.2", "Code requirement", "Comply", "Evidence"))


# --- stitching page tables (records built by hand, no files) ----------------------

HEADER = ("Code provision", "Code requirement", "Comply: Yes / No", "Evidence")
COLUMNS = (50.0, 100.0, 300.0, 360.0)


def _table(page: int, *rows: tuple[str, ...], top: float = 100.0) -> PageTable:
    return PageTable(
        page=page,
        top=top,
        bottom=top + 500,
        columns=COLUMNS,
        rows=tuple(PageRow(cells=r, spans=len([c for c in r if c]) == 1) for r in rows),
        ruled=True,
    )


def test_stitch_merges_a_continuation_and_drops_the_repeated_header() -> None:
    pages = [
        PageContent(
            page=1,
            tables=(
                _table(
                    1,
                    HEADER,
                    ("1.2", "Landlords must define", "Yes", "Policy section"),
                ),
            ),
            lines=(TextLine(top=50, text="Section 1: Definition of a complaint", heading=True),),
        ),
        PageContent(
            page=2,
            tables=(
                _table(
                    2,
                    HEADER,
                    ("", "a complaint.", "", "3 of the policy"),
                    ("Must Do Requirements", "", "", ""),
                    ("1.3", "A resident does not have to", "No", "Policy"),
                ),
            ),
            lines=(TextLine(top=780, text="Page 2", heading=False),),
        ),
    ]
    result = stitch_pages(pages)
    assert [r.cells for r in result.rows] == [
        ("1.2", "Landlords must define a complaint.", "Yes", "Policy section 3 of the policy"),
        ("1.3", "A resident does not have to", "No", "Policy"),
    ]
    first, second = result.rows
    assert (first.page, first.stitched, first.table_index, first.row_index) == (1, True, 0, 0)
    assert (second.page, second.stitched, second.table_index, second.row_index) == (2, False, 0, 1)
    assert first.header == HEADER
    assert first.section == "Section 1: Definition of a complaint"
    assert second.section == "Section 1: Definition of a complaint / Must Do Requirements"


def test_stitch_starts_a_new_table_after_a_heading_and_sets_statistics_aside() -> None:
    stats = PageTable(
        page=1,
        top=100,
        bottom=200,
        columns=(50.0, 200.0, 300.0),
        rows=tuple(
            PageRow(cells=r) for r in [("Quarter", "Stage 1", "Stage 2"), ("Q1", "41", "3")]
        ),
        ruled=True,
    )
    pages = [
        PageContent(page=1, tables=(stats,), lines=()),
        PageContent(
            page=2,
            tables=(_table(2, HEADER, ("2.1", "Landlords must accept complaints", "Yes", "P")),),
            lines=(TextLine(top=50, text="Section 2: Exclusions", heading=True),),
        ),
    ]
    result = stitch_pages(pages)
    assert result.tables_set_aside == 1
    assert [(r.table_index, r.cells[0], r.stitched) for r in result.rows] == [(0, "2.1", False)]


def test_stitch_a_headerless_table_missing_its_empty_tick_columns_takes_the_header() -> None:
    # A Yes / Partial / No tick table; the next page's rows tick only "Yes", so no gutter
    # marks the Partial and No columns there and its table has three columns of five.
    header = ("Provision", "Question", "Yes", "Partial", "No", "How we comply")
    columns = (50.0, 120.0, 400.0, 450.0, 500.0, 560.0)
    q1a = "Does the complaints process use the definition of a complaint?"
    q1b = "Does the policy have exclusions where a complaint will not be considered?"
    q3a = "Is there a complaint officer or equivalent in post?"
    q3b = "Does the complaint officer have autonomy to resolve complaints?"
    first = PageTable(
        page=1, top=100, bottom=700, columns=columns, ruled=False,
        rows=(
            PageRow(cells=header),
            PageRow(cells=("1a", q1a, "", "X", "", "Ev")),
            PageRow(cells=("1b", q1b, "X", "", "", "Ev")),
        ),
    )  # fmt: skip
    second = PageTable(
        page=2, top=60, bottom=700, columns=(50.0, 121.0, 401.0, 559.0), ruled=False,
        rows=(
            PageRow(cells=("3a", q3a, "X", "Case audits")),
            PageRow(cells=("3b", q3b, "X", "Policy")),
        ),
    )  # fmt: skip
    pages = [
        PageContent(page=1, tables=(first,), lines=()),
        PageContent(
            page=2,
            tables=(second,),
            lines=(TextLine(top=40, text="Section 3: Complaints team", heading=True),),
        ),
    ]
    rows = stitch_pages(pages).rows
    assert [r.header for r in rows] == [header] * 4
    assert rows[2].cells == (
        "3a",
        q3a,
        "X",
        "",
        "",
        "Case audits",
    )


# --- page pre-filter ---------------------------------------------------------------


def test_score_page_separates_form_pages_from_prose() -> None:
    form = (
        "Code provision Code requirement Comply: Yes / No Evidence\n"
        "1.2 A complaint must be defined\nYes\n1.3 A resident must not\nYes\n"
    )
    prose = "We received 412 complaints this year, 8% more than last year.\n" * 5
    assert score_page(form) >= PAGE_THRESHOLD
    assert score_page(prose) < PAGE_THRESHOLD


def test_select_pages_takes_runs_with_a_neighbour_and_fills_gaps() -> None:
    scores = [0, 0, 0, 9, 0, 12, 0, 0, 0, 0]
    assert select_pages(scores) == (2, 3, 4, 5, 6)
    assert select_pages([0, 0, 0]) == ()


def test_select_pages_grows_a_run_through_weaker_form_pages() -> None:
    # Pages 7-8 hold long free-text answers with few ids: weak, but next to the run.
    scores = [8, 6, 7, 0, 0, 0, 13, 3, 3, 0, 0, 0, 0]
    assert select_pages(scores) == (0, 1, 2, 3, 5, 6, 7, 8, 9)


def test_annual_report_parses_only_the_appendix_pages() -> None:
    path = FIXTURES / "annual_report.pdf"
    texts = page_texts(path)
    chosen = pages_to_parse(texts)
    assert len(texts) == 6
    assert chosen == (3, 4, 5)  # the statistics page (a neighbour) and the form
    assert [p.page for p in table_pages(path, texts)] == [4, 5, 6]
    extraction = read_pdf(path)
    assert [r.cells[0] for r in extraction.rows] == ["3.1", "3.2", "3.3", "3.4"]
    assert extraction.tables_set_aside == 1  # Quarter | Stage 1 | Stage 2
    assert extraction.title_lines[0] == "Annual Complaints Performance Report 2024"
    assert extraction.notes == (
        "table-parsed pages 4-6 of 6; the others were skipped as prose without a "
        "self-assessment table",
    )


# --- following a table past the pre-filter (pages built by hand) -------------------

PROSE = "We received more complaints this year than last. " * 3


def _form_page(number: int, *rows: tuple[str, ...], top: float = 72.0) -> PageContent:
    """A page holding one ruled table that runs to the foot, and a page-number footer."""
    return PageContent(
        page=number,
        tables=(
            PageTable(
                page=number,
                top=top,
                bottom=770.0,
                columns=COLUMNS,
                rows=tuple(PageRow(cells=r) for r in rows),
                ruled=True,
            ),
        ),
        lines=(TextLine(top=800.0, text=f"Page {number}", heading=False),),
    )


def _prose_page(number: int) -> PageContent:
    lines = tuple(TextLine(top=80.0 + 14 * i, text=PROSE, heading=False) for i in range(40))
    return PageContent(page=number, tables=(), lines=lines)


def test_a_page_holding_only_a_continuation_is_followed_until_prose() -> None:
    # Page 1 is the form page; pages 2-3 hold nothing but the rest of one long
    # commentary cell (no ids, no answers: they score 0 and the pre-filter takes page 2
    # only as a neighbour); page 4 is prose, page 5 more prose.
    pages = [
        _form_page(1, (*HEADER, "Commentary"), ("5.1", "Landlords must", "Yes", "P", "We")),
        _form_page(2, ("", "", "", "", "set up a panel of residents")),
        _form_page(3, ("", "", "", "", "which meets every quarter."), ("5.2", "A", "No", "", "")),
        _prose_page(4),
        _prose_page(5),
    ]
    scores = [PAGE_THRESHOLD + 3, 0, 0, 0, 0]
    assert select_pages(scores) == (0, 1)  # the text pre-filter alone misses page 3
    calls: list[int] = []

    def parse(index: int) -> PageContent:
        calls.append(index)
        return pages[index]

    parsed = follow_tables(select_pages(scores), len(pages), parse)
    assert [p.page for p in parsed] == [1, 2, 3, 4]  # page 4 parsed to see it is prose
    assert calls == [0, 1, 2, 3]  # page 5 never parsed
    rows = stitch_pages(parsed).rows
    assert [r.cells[0] for r in rows] == ["5.1", "5.2"]
    assert rows[0].cells[4] == "We set up a panel of residents which meets every quarter."


def test_a_table_ending_in_text_or_a_different_table_is_not_followed() -> None:
    form = _form_page(1, ("5.1", "Landlords must", "Yes", "P", "We"))
    assert open_table(form) is form.tables[0]  # only the page number below it
    ended = PageContent(
        page=1,
        tables=form.tables,
        lines=(TextLine(top=780.0, text="Signed by the Chair of the Board", heading=False),),
        height=1000.0,
    )
    assert open_table(ended) is None  # body text after the table: it has ended
    assert open_table(_prose_page(1)) is None
    glossary = PageTable(
        page=2,
        top=72,
        bottom=300,
        columns=(50.0, 372.0),
        rows=(PageRow(("Term", "Meaning")),),
        ruled=True,
    )
    assert not continues_table(form.tables[0], PageContent(page=2, tables=(glossary,), lines=()))
    assert continues_table(form.tables[0], _form_page(2, ("", "", "", "", "rest")))
    calls: list[int] = []

    def parse(index: int) -> PageContent:
        calls.append(index)
        return [ended, _form_page(2, ("", "", "", "", "rest"))][index]

    assert [p.page for p in follow_tables([0], 2, parse)] == [1]
    assert calls == [0]


def _column_line(top: float, text: str, x0: float = 360.0) -> TextLine:
    return TextLine(top=top, text=text, heading=False, x0=x0, x1=x0 + 55.0)


def test_lines_inside_one_column_after_a_borderless_table_continue_its_cell() -> None:
    # A borderless form: on page 2 the rest of the evidence cell of 5.1 sits alone in
    # the evidence column (x 360-415), so no table is found there; page 3 goes on.
    first = PageTable(
        page=1,
        top=100.0,
        bottom=770.0,
        columns=COLUMNS,
        rows=(PageRow(cells=HEADER), PageRow(cells=("5.1", "Landlords must", "Yes", "Our"))),
        ruled=False,
    )
    rest = (_column_line(72, "policy, section"), _column_line(84, "4, agreed in May."))
    pages = [
        PageContent(page=1, tables=(first,), lines=()),
        PageContent(page=2, tables=(), lines=rest),
        PageContent(
            page=3,
            tables=(
                PageTable(
                    page=3,
                    top=72.0,
                    bottom=200.0,
                    columns=COLUMNS,
                    rows=(PageRow(cells=("5.2", "Landlords must", "No", "None")),),
                    ruled=False,
                ),
            ),
            lines=(),
        ),
        _prose_page(4),
    ]
    assert column_lines(COLUMNS, rest) == (3, rest)
    assert column_lines(COLUMNS, [_column_line(72, "Section 6", x0=50.0)]) is None
    assert continues_table(first, pages[1])
    assert not continues_table(replace(first, ruled=True), pages[1])
    parsed = follow_tables([0], len(pages), lambda index: pages[index])
    assert [p.page for p in parsed] == [1, 2, 3, 4]
    rows = stitch_pages(parsed).rows
    assert [r.cells for r in rows] == [
        ("5.1", "Landlords must", "Yes", "Our policy, section 4, agreed in May."),
        ("5.2", "Landlords must", "No", "None"),
    ]
    assert [r.stitched for r in rows] == [True, False]


@given(
    kinds=st.lists(st.sampled_from(["form", "rest", "prose"]), min_size=1, max_size=12),
    picks=st.sets(st.integers(min_value=0, max_value=11)),
)
def test_follow_tables_parses_each_page_once_and_keeps_every_chosen_page(
    kinds: list[str], picks: set[int]
) -> None:
    def make(index: int) -> PageContent:
        number = index + 1
        if kinds[index] == "prose":
            return _prose_page(number)
        return _form_page(number, ("", "", "", "rest") if kinds[index] == "rest" else HEADER)

    chosen = {i for i in picks if i < len(kinds)}
    calls: list[int] = []

    def parse(index: int) -> PageContent:
        calls.append(index)
        return make(index)

    parsed = [p.page - 1 for p in follow_tables(chosen, len(kinds), parse)]
    assert parsed == sorted(set(calls)) and len(calls) == len(set(calls))
    assert chosen <= set(parsed)
    for index in set(parsed) - chosen:  # followed: the page before ends in a table
        assert index - 1 in parsed and kinds[index - 1] != "prose"


def test_parsed_pages_note_names_the_pages_read() -> None:
    assert parsed_pages_note([14, 15, 16, 17, 29, 3], 30) == (
        "table-parsed pages 3, 14-17, 29 of 30; the others were skipped as prose "
        "without a self-assessment table"
    )
    assert parsed_pages_note([1, 2, 3], 3) is None
    assert parsed_pages_note([], 60) == (
        "no page of 60 looks like a self-assessment form, so none was table-parsed"
    )


# --- fixture documents -------------------------------------------------------------


@pytest.fixture(scope="module")
def ruled() -> Extraction:
    return read_document(FIXTURES / "ruled_stitch.pdf")


def test_ruled_rows_split_by_page_breaks_are_stitched(ruled: Extraction) -> None:
    ids = [r.cells[0] for r in ruled.rows]
    assert ids == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2", "2.3"]
    for row in ruled.rows:
        assert row.cells[1].startswith("Landlords must make sure")
        assert row.cells[1].endswith(f"Requirement {row.cells[0]} ends here.")
    assert [r.stitched for r in ruled.rows] == [True] * 7 + [False] * 3
    assert [r.page for r in ruled.rows[:3]] == [1, 2, 3]


def test_ruled_repeated_header_rows_are_dropped(ruled: Extraction) -> None:
    assert ruled.format == "pdf" and ruled.pages == 9
    assert all(r.cells[0] != "Code provision" for r in ruled.rows)
    assert ruled.rows[0].header == (
        "Code provision",
        "Code requirement",
        "Comply: Yes / No",
        "Evidence",
        "Commentary",
    )


def test_ruled_tables_and_sections(ruled: Extraction) -> None:
    assert {r.table_index for r in ruled.rows[:7]} == {0}
    assert {r.table_index for r in ruled.rows[7:]} == {1}
    assert [r.row_index for r in ruled.rows[7:]] == [0, 1, 2]
    assert ruled.rows[0].section == "Section 1: Definition of a complaint"
    assert ruled.rows[-1].section == "Section 2: Exclusions"
    assert ruled.title_lines[0] == "Appendix A: Self-assessment form"


def test_line_break_inside_a_cell_becomes_a_space(ruled: Extraction) -> None:
    # The evidence cells are "Complaints Policy<line break>section N".
    assert [r.cells[3] for r in ruled.rows[:2]] == [
        "Complaints Policy section 1",
        "Complaints Policy section 2",
    ]
    assert all(r.cells[2] in {"Yes", "No"} for r in ruled.rows)


def test_landscape_ruled_reads_the_same_rows() -> None:
    extraction = read_pdf(FIXTURES / "landscape_ruled.pdf")
    ruled_rows = read_pdf(FIXTURES / "ruled_stitch.pdf").rows
    assert [r.cells for r in extraction.rows] == [r.cells for r in ruled_rows]


def test_borderless_table_is_read_from_text_columns() -> None:
    extraction = read_pdf(FIXTURES / "borderless.pdf")
    ids = [r.cells[0] for r in extraction.rows]
    assert ids == ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6"]
    for row in extraction.rows:
        assert len(row.cells) == 5
        assert row.cells[1].endswith(f"Requirement {row.cells[0]} ends here.")
        assert row.cells[3] == f"Complaints Policy section {row.cells[0][-1]}"
    assert extraction.rows[0].header[2] == "Comply: Yes / No"
    assert sum(r.stitched for r in extraction.rows) >= 1


@pytest.mark.parametrize(
    ("name", "pages", "skipped_by_text", "note"),
    [
        ("prefilter_continuation_pages.pdf", 19, {4, 5, 6, 7, 11, 12, 13, 14}, "2-18 of 19"),
        (
            "prefilter_continuation_pages_borderless.pdf",
            21,
            {4, 5, 6, 7, 8, 12, 13, 14, 15, 16},
            "2-20 of 21",
        ),
    ],
)
def test_rows_taller_than_a_page_are_read_whole_past_the_prefilter(
    name: str, pages: int, skipped_by_text: set[int], note: str
) -> None:
    # Regression (docs/variety.md#pdf-prefilter-drops-pages): several pages hold only
    # the rest of the long commentary of 4.2 and of 4.4, and score as prose. Without
    # rules (borderless) such a page has no table at all, only lines in one column.
    path = FIXTURES / name
    texts = page_texts(path)
    assert len(texts) == pages
    assert not skipped_by_text & set(pages_to_parse(texts))
    extraction = read_pdf(path)
    assert [r.cells[0] for r in extraction.rows] == ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6"]
    assert {r.table_index for r in extraction.rows} == {0}
    for row in extraction.rows:
        assert row.cells[1].endswith(f"Requirement {row.cells[0]} ends here.")
        assert row.cells[4].startswith("The team read the case files")
        assert row.cells[4].endswith(f"Commentary {row.cells[0]} ends here.")
    long = [r for r in extraction.rows if r.cells[0] in {"4.2", "4.4"}]
    assert all(len(r.cells[4]) > 5000 and r.stitched for r in long)
    # All pages but the first (prose) and the last (prose after a prose page).
    assert extraction.notes == (
        f"table-parsed pages {note}; the others were skipped as prose without a "
        "self-assessment table",
    )


def test_pdf_with_only_an_owner_password_is_read() -> None:
    # "Secured" PDFs (printing/copying restricted, no password to open) are common.
    extraction = read_document(FIXTURES / "owner_password_only.pdf")
    assert [r.cells[0] for r in extraction.rows] == ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6"]


def test_pdf_with_bytes_before_its_header_is_sniffed_as_pdf(tmp_path: Path) -> None:
    # Readers accept "%PDF-" anywhere in the first 1024 bytes; some web servers prepend junk.
    path = tmp_path / "prefixed.pdf"
    path.write_bytes(b"<!-- saved by a CMS -->\n" + (FIXTURES / "borderless.pdf").read_bytes())
    extraction = read_document(path)
    assert extraction.format == "pdf"
    assert len(extraction.rows) == 6


# --- the bundled corpus against gold -----------------------------------------------

CORPUS_PDFS = sorted((CORPUS / "documents").glob("*.pdf"))


@pytest.mark.slow
def test_corpus_has_pdfs() -> None:
    assert len(CORPUS_PDFS) >= 10, "corpus/documents should hold the rendered PDFs"


@pytest.mark.slow
@pytest.mark.parametrize("path", CORPUS_PDFS, ids=[p.name for p in CORPUS_PDFS])
def test_corpus_pdf_recall_against_gold(path: Path) -> None:
    extraction = read_document(path)
    gold = load_gold(CORPUS / "gold" / f"{path.name}.jsonl")
    score = reader_recall(rows_to_assessment_rows(extraction.rows), gold)
    assert score.recall >= 0.99, f"missed {score.missed}"
    assert score.spurious_share <= 0.01, f"spurious rows {score.spurious}"
    assert extraction.format == "pdf"
    assert extraction.pages is not None and extraction.pages >= 1
