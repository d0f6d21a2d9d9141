"""HTML reader: one fixture per feature (tests/fixtures/html/) + the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.columns import rows_to_assessment_rows
from pipeline.evaluate import reader_recall
from pipeline.extract import read_document
from pipeline.extract.markup.html import read_html
from pipeline.extract.markup.stacked import StackedReader
from pipeline.goldfile import load_gold
from pipeline.records import Extraction

FIXTURES = Path(__file__).parent / "fixtures" / "html"
ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "corpus" / "documents"
GOLD = ROOT / "corpus" / "gold"


def _read(name: str) -> Extraction:
    return read_html(FIXTURES / f"{name}.html")


def test_br_lists_and_links_flattened() -> None:
    (row,) = _read("br_list_link").rows
    assert row.cells == (
        "1.2",
        "A complaint must be defined as: an expression of dissatisfaction, however made.",
        "Yes",
        "See the Complaints Policy online",
        "The policy covers: phone email and letters.",
    )
    assert row.header[2] == "Comply: Yes / No"
    assert row.page is None


def test_title_lines_from_title_and_first_lines() -> None:
    titles = _read("br_list_link").title_lines
    assert titles[:2] == ("Example Homes – self-assessment", "Example Homes")


def test_rowspan_and_colspan_read_once_bands_become_sections() -> None:
    extraction = _read("rowspan_colspan")
    assert [r.cells[2] for r in extraction.rows] == [
        "Our complaints policy sets this out in full.",
        "",
        "Policy section 3 lists the exclusions.",
        "Guidance for staff is being written.",
    ]
    assert extraction.rows[2].cells[:2] == (
        "Landlords must accept a complaint unless there is a valid reason not to do so.",
        "",
    )
    assert [r.section for r in extraction.rows] == [
        "Must Do Requirements",
        "Must Do Requirements",
        "Must Do Requirements",
        "Should Do Requirements",
    ]
    assert [r.row_index for r in extraction.rows] == [0, 1, 2, 3]


def test_rowspan_table_roles_via_columns() -> None:
    rows = rows_to_assessment_rows(_read("rowspan_colspan").rows)
    assert [r.answer_raw for r in rows] == ["Yes", "Yes", "", "Partial"]
    assert rows[3].actions == "Guidance by March"


def test_unanswered_row_is_not_taken_for_a_band(tmp_path: Path) -> None:
    page = tmp_path / "unanswered.html"
    page.write_text(
        "<table><tr><th>Code requirement</th><th>Comply: Yes/No</th><th>Evidence</th></tr>"
        "<tr><td colspan='3'>Must Do Requirements</td></tr>"
        "<tr><td>Landlords must publicise the complaints policy widely.</td><td></td><td></td></tr>"
        "<tr><td>Landlords must keep a full record of each complaint.</td><td>Yes</td>"
        "<td>CRM</td></tr>"
        "</table>",
        encoding="utf-8",
    )
    rows = read_html(page).rows
    assert [r.cells[0][:20] for r in rows] == ["Landlords must publi", "Landlords must keep "]
    assert {r.section for r in rows} == {"Must Do Requirements"}


def test_two_row_header_over_tick_columns() -> None:
    extraction = _read("two_row_header_tick_columns")
    assert extraction.rows[0].header == (
        "Code provision",
        "Code requirement",
        "Yes",
        "No",
        "Evidence",
    )
    rows = rows_to_assessment_rows(extraction.rows)
    assert [(r.printed_id, r.answer_raw, r.evidence) for r in rows] == [
        ("1.2", "Yes", "Complaints policy"),
        ("1.3", "No", "Training planned"),
    ]


def test_headings_caption_and_page_per_section() -> None:
    extraction = _read("headings_and_statistics")
    assert [r.section for r in extraction.rows] == [
        "Section 5: The complaint handling process / Mandatory 'must' requirements / Stage 1",
        "Section 6: Putting things right",
    ]


def test_statistics_and_contents_tables_set_aside() -> None:
    extraction = _read("headings_and_statistics")
    assert extraction.tables_set_aside == 2
    assert [r.cells[0] for r in extraction.rows] == ["5.1", "6.1"]
    assert [r.table_index for r in extraction.rows] == [2, 3]


def test_checkbox_inputs_and_glyphs() -> None:
    assert [r.cells[2] for r in _read("checkbox_input").rows] == ["Yes", "No", ""]


def test_layout_wrapper_and_nested_table_in_cell() -> None:
    (row,) = _read("layout_wrapper").rows
    assert row.cells[3] == "Training log: Course Date Complaints 101 May 2024"
    assert row.section == "Section 1: Definition of a complaint"


def test_stacked_blocks_read_as_rows() -> None:
    extraction = _read("stacked_blocks")
    assert extraction.rows[0].header == (
        "Code section",
        "Code requirement",
        "Compliance",
        "Evidence, commentary and any explanations",
    )
    rows = rows_to_assessment_rows(extraction.rows)
    assert [(r.printed_id, r.answer_raw) for r in rows] == [
        ("1.2", "Yes"),
        ("1. -", ""),
        ("2.1", "No"),
    ]
    assert rows[0].evidence == "The policy uses the definition. It was adopted in 2023."
    assert rows[2].requirement == "Landlords must make it easy for residents to complain."
    assert [r.section for r in extraction.rows] == [
        "Section 1 - Definition of a complaint",
        "Section 1 - Definition of a complaint",
        "Section 2 - Accessibility and awareness",
    ]


def test_stacked_block_ends_with_its_container() -> None:
    rows = _read("stacked_blocks").rows
    assert "©" not in rows[-1].cells[3]  # the page footer does not leak into 2.1


def test_stacked_reader_ignores_prose_before_first_block() -> None:
    reader = StackedReader()
    assert not reader.feed("Our approach to complaints is set out below.", None)
    assert reader.feed("Code section 3.1 Landlords must have a complaints officer.", "S3")
    assert reader.feed("Compliance: Yes", "S3")
    (row,) = reader.rows(0)
    assert row.cells == ("3.1", "Landlords must have a complaints officer.", "Yes")
    assert row.section == "S3"


def test_label_value_table_per_provision() -> None:
    rows = rows_to_assessment_rows(_read("key_value_tables").rows)
    assert [(r.printed_id, r.answer_raw, r.evidence) for r in rows] == [
        ("1.2", "Yes", "Complaints policy"),
        ("1.3", "No", ""),
    ]


def test_rowspan_over_a_split_provision_gives_one_row() -> None:
    extraction = _read("rowspan_split_provision")
    assert extraction.rows[0].cells == (
        "1.2",
        "A complaint must be defined as an expression of dissatisfaction, however made.",
        "Yes",
        "Complaints policy and the website.",
    )
    assert len(extraction.rows) == 2


def test_bold_label_without_colon_and_dl_blocks(tmp_path: Path) -> None:
    page = tmp_path / "bold.html"
    page.write_text(
        "<html><body><h3>Code section 4.1</h3><p>Landlords must record complaints.</p>"
        "<p><strong>Compliance</strong> Partial</p><p><b>Evidence</b> CRM log</p></body></html>",
        encoding="utf-8",
    )
    (row,) = rows_to_assessment_rows(read_html(page).rows)
    assert (row.printed_id, row.requirement, row.answer_raw, row.evidence) == (
        "4.1",
        "Landlords must record complaints.",
        "Partial",
        "CRM log",
    )


def test_continuation_rows_joined_and_never_dropped() -> None:
    rows = _read("continuation_rows").rows
    assert [r.cells[3] for r in rows[:3]] == [
        "Complaints policy section 3, agreed May 2024",  # was dropped as a band row
        "Complaints policy and staff guidance",
        "Exclusions list",
    ]
    assert rows[1].cells[1] == (
        "A resident does not have to use the word complaint for it to be treated as such."
    )
    assert {r.section for r in rows[:3]} == {"Section 1: Definition of a complaint"}


def test_continuation_rows_without_ids_keep_an_unanswered_provision() -> None:
    rows = rows_to_assessment_rows(_read("continuation_rows").rows[3:])
    assert [(r.requirement[:30], r.answer_raw, r.evidence) for r in rows] == [
        ("Landlords must publicise the c", "Yes", "Website and leaflets in every office."),
        ("Landlords must keep a full rec", "", ""),
        ("Landlords must accept a compla", "Partial", "Policy"),
    ]
    assert rows[1].requirement.endswith("complaint, including the outcome at each stage.")


def test_continuation_across_tables_only_under_the_same_heading(tmp_path: Path) -> None:
    head = "<tr><th>Ref</th><th>Requirement</th><th>Compliant</th><th>Evidence</th></tr>"
    row = (
        "<tr><td>{}</td><td>Landlords must keep a record of every complaint.</td>"
        "<td>Yes</td><td>{}</td></tr>"
    )
    piece = "<tr><td></td><td></td><td></td><td>{}</td></tr>"
    page = tmp_path / "pages.html"
    page.write_text(
        f"<table>{head}{row.format('1.2', 'CRM')}</table>"
        f"<table>{piece.format('and the audit log')}{row.format('1.3', 'Policy')}</table>"
        f"<h2>Section 2</h2><table>{piece.format('Board report')}{row.format('2.1', 'Web')}"
        "</table>",
        encoding="utf-8",
    )
    rows = read_html(page).rows
    assert [(r.cells[0], r.cells[3]) for r in rows] == [
        ("1.2", "CRM and the audit log"),
        ("1.3", "Policy"),
        ("", "Board report"),  # another heading: not carried on, but kept
        ("2.1", "Web"),
    ]


def test_definition_list_labels_come_from_dt_not_wording() -> None:
    extraction = _read("definition_list_labels")
    rows = rows_to_assessment_rows(extraction.rows)
    assert extraction.rows[0].header == (
        "Code section",
        "Code requirement",
        "Compliant",
        "Evidence",
        "Commentary",
        "Lead officer",
    )
    assert [(r.printed_id, r.answer_raw, r.evidence) for r in rows] == [
        ("1.2", "Yes", "Comments-Compliments-Complaints-Policy"),
        ("1.3", "No", "Comments-Compliments-Complaints-Policy Training log"),
        ("2.1", "Partial (In progress)", "Comments-Compliments-Complaints-Policy"),
    ]
    assert [r.commentary for r in rows] == [
        "The revised policy aligns with the new definition.",
        "Training planned for March.",
        "Exclusions are detailed in the policy.",
    ]
    assert extraction.rows[1].cells[-1] == "Complaints manager"  # unknown label kept


def test_definition_list_glossary_is_not_a_block() -> None:
    rows = _read("definition_list_labels").rows
    assert len(rows) == 3
    assert not any("Service request" in c for r in rows for c in r.cells)


def test_bare_label_line_needs_a_label_shape(tmp_path: Path) -> None:
    page = tmp_path / "paragraphs.html"
    page.write_text(
        "<h3>Provision 2.1</h3><p>Requirement</p><p>Landlords must accept a complaint.</p>"
        "<p>Compliant</p><p>Yes</p><p>Evidence</p><p>Comments-Compliments-Complaints-Policy</p>"
        "<p>Commentary</p><p>Exclusions are listed.</p>",
        encoding="utf-8",
    )
    (row,) = rows_to_assessment_rows(read_html(page).rows)
    assert (row.answer_raw, row.evidence, row.commentary) == (
        "Yes",
        "Comments-Compliments-Complaints-Policy",
        "Exclusions are listed.",
    )


def test_read_document_dispatches_html() -> None:
    extraction = read_document(FIXTURES / "br_list_link.html")
    assert extraction.format == "html"
    assert len(extraction.rows) == 1


def test_page_without_assessment_yields_no_rows() -> None:
    extraction = _read("no_table")
    assert extraction.rows == ()
    assert extraction.format == "html"


CORPUS_HTML = sorted(CORPUS.glob("*.html"))


def test_corpus_has_html_files() -> None:
    assert CORPUS_HTML, f"no .html files in {CORPUS}"


@pytest.mark.slow
@pytest.mark.parametrize("path", CORPUS_HTML, ids=lambda p: p.name)
def test_corpus_html_recall(path: Path) -> None:
    extraction = read_html(path)
    rows = rows_to_assessment_rows(extraction.rows)
    score = reader_recall(rows, load_gold(GOLD / f"{path.name}.jsonl"))
    assert score.recall == 1.0, f"missed {score.missed}"
    assert score.spurious_share <= 0.01, f"spurious rows {score.spurious}"
