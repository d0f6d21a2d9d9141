"""DOCX reader: one fixture per feature (tests/fixtures/docx/make_fixtures.py) + corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.columns import rows_to_assessment_rows
from pipeline.errors import CorruptFileError, UnsupportedFormatError
from pipeline.evaluate import reader_recall
from pipeline.extract import read_document
from pipeline.extract.markup.checkbox import resolve_checkboxes
from pipeline.extract.markup.continuation import continuation_flags
from pipeline.extract.markup.docx import read_docx
from pipeline.extract.markup.headings import Headings
from pipeline.extract.markup.tables import RawCell, RawRow, RawTable, table_to_rows
from pipeline.goldfile import GoldRow, load_gold
from pipeline.records import Extraction
from pipeline.textnorm import clean_cell

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
REQ_1 = "A complaint must be defined as an expression of dissatisfaction, however made."
REQ_2 = "The resident does not have to use the word complaint for it to be treated as such."
REQ_3 = "Landlords must accept a complaint unless there is a valid reason not to do so."
ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "corpus" / "documents"
GOLD = ROOT / "corpus" / "gold"


def _read(name: str) -> Extraction:
    return read_docx(FIXTURES / f"{name}.docx")


def _column(extraction: Extraction, index: int) -> list[str]:
    return [row.cells[index] for row in extraction.rows]


def test_merged_cells_read_once() -> None:
    extraction = _read("merged_cells")
    assert [r.cells[0] for r in extraction.rows] == ["1.2", "1.3", "1.4"]
    # vMerge: the merged evidence cell is read in its first row only.
    assert _column(extraction, 3) == ["Complaints policy", "", "Policy section 3"]
    # gridSpan in a data row: the text once, the row keeps the header's width.
    assert extraction.rows[2].cells[1].endswith("valid reason not to do so. Yes")
    assert extraction.rows[2].cells[2] == ""
    assert all(len(r.cells) == len(r.header) == 5 for r in extraction.rows)


def test_full_width_band_row_becomes_section() -> None:
    extraction = _read("merged_cells")
    assert {r.section for r in extraction.rows} == {
        "Section 1: Definition of a complaint / Must Do Requirements"
    }


def test_content_control_text_kept_and_placeholder_dropped() -> None:
    extraction = _read("sdt_text")
    assert extraction.rows[0].cells[3] == "Complaints policy held in a content control"
    assert extraction.rows[1].cells[4] == "Block control text."
    assert extraction.rows[2].cells[4] == ""  # "Click or tap here to enter text."


def test_tracked_insertion_kept_deletion_dropped() -> None:
    extraction = _read("tracked_changes")
    assert extraction.rows[0].cells[4] == "Aligned with the new Code."
    assert [r.cells[0] for r in extraction.rows] == ["1.2", "1.3"]  # deleted row 1.4 gone


def test_w14_checkbox_content_controls() -> None:
    assert _column(_read("checkbox_w14"), 2) == ["Yes", "No", ""]


def test_legacy_formcheckbox_fields() -> None:
    assert _column(_read("checkbox_legacy"), 2) == ["Yes", "No", "Yes"]


def test_checkbox_glyphs_and_wingdings_symbols() -> None:
    assert _column(_read("checkbox_glyph"), 2) == ["Yes", "No", "Yes"]


def test_checkbox_answers_reach_the_answer_role() -> None:
    rows = rows_to_assessment_rows(_read("checkbox_w14").rows)
    assert [r.answer_raw for r in rows] == ["Yes", "No", ""]


def test_nested_tables_layout_wrapper_and_cell_table() -> None:
    extraction = _read("nested_table")
    assert [r.cells[0] for r in extraction.rows] == ["1.2", "1.3", "1.4"]
    assert extraction.rows[1].cells[3] == "Staff training Course Date Complaints 101 May 2024"
    assert extraction.rows[0].section == "Section 1: Definition of a complaint"


def test_headings_between_tables() -> None:
    extraction = _read("headings_between_tables")
    assert [(r.table_index, r.section) for r in extraction.rows] == [
        (0, "Section 5: The complaint handling process / Mandatory 'must' requirements / Stage 1"),
        (1, "Section 5: The complaint handling process / Mandatory 'must' requirements / Stage 2"),
        (2, "Section 5: The complaint handling process / Best practice 'should' requirements"),
    ]
    assert extraction.title_lines[0] == "Rotherham-like Council"


def test_statistics_contents_and_glossary_tables_set_aside() -> None:
    extraction = _read("statistics_table")
    assert extraction.tables_set_aside == 3
    assert [r.cells[0] for r in extraction.rows] == ["1.2", "1.3", "1.4"]
    assert {r.table_index for r in extraction.rows} == {2}


def test_repeated_header_rows_dropped() -> None:
    extraction = _read("repeated_header")
    assert [r.cells[0] for r in extraction.rows] == ["1.2", "1.3", "1.4"]
    assert [r.row_index for r in extraction.rows] == [0, 1, 2]
    assert extraction.rows[0].header[0] == "Code provision"
    assert all(r.page is None for r in extraction.rows)


def test_provision_over_two_rows_with_merged_id_is_one_row() -> None:
    extraction = _read("vmerge_split_provision")
    assert [r.cells[0] for r in extraction.rows] == ["1.2", "1.3", "1.4"]
    assert extraction.rows[1].cells[1].endswith("treated as such. Continued requirement text.")
    assert extraction.rows[1].cells[2] == "No"
    assert extraction.rows[1].cells[4] == "Training planned for March. More."


def test_continuation_rows_joined_to_the_row_above() -> None:
    extraction = _read("continuation_rows")
    assert [r.cells for r in extraction.rows[:3]] == [
        ("1.2", REQ_1, "Yes", "Complaints policy", "Aligned with the Code since May 2024."),
        ("1.3", REQ_2, "No", "Staff training log, section 3", "Training planned for March."),
        ("1.4", REQ_3, "Yes", "Policy section 3", "Exclusions are listed."),
    ]
    assert [r.row_index for r in extraction.rows] == [0, 1, 2, 0, 1, 2]


def test_continuation_rows_without_ids_keep_an_unanswered_provision() -> None:
    rows = _read("continuation_rows").rows[3:]
    assert [r.cells for r in rows] == [
        ("Landlords must publicise the complaints policy widely.", "Yes",
         "Website and leaflets in every office."),
        ("Landlords must keep a full record of each complaint, including the outcome at "
         "each stage.", "", ""),
        (REQ_3, "Partial", "Policy"),
    ]  # fmt: skip


def test_continuation_rows_marked_stitched() -> None:
    assert [r.stitched for r in _read("continuation_rows").rows] == [
        True, True, False, True, True, False,
    ]  # fmt: skip


def test_continuation_across_tables_joined_into_the_last_row() -> None:
    extraction = _read("continuation_across_tables")
    assert [(r.table_index, r.cells[0], r.cells[4]) for r in extraction.rows] == [
        (0, "1.2", "Aligned with the Code."),
        (0, "1.3", "Training planned for March."),
        (1, "1.4", "Exclusions are listed. Reviewed yearly."),  # a table of one piece
    ]
    assert [r.row_index for r in extraction.rows] == [0, 1, 0]
    assert [r.stitched for r in extraction.rows] == [False, True, True]
    assert extraction.tables_set_aside == 0


_IDS = ("Ref", "Requirement", "Compliant", "Evidence")
_LONG = "Landlords must keep a record of any reasonable adjustments agreed for residents."


@pytest.mark.parametrize(
    ("header", "rows", "flags"),
    [
        # id column: an evidence-only row, and a requirement paragraph of its own.
        (_IDS, [("1.2", REQ_1, "Yes", "Policy"), ("", "", "", "section 3")], (False, True)),
        (_IDS, [("5.10", REQ_1, "Yes", "Policy"), ("", _LONG, "", "Log")], (False, True)),
        # a short requirement cell is a heading slipped in as a row, not a continuation.
        (_IDS, [("1.2", REQ_1, "Yes", "Policy"), ("", "Accessibility", "", "")], (False, False)),
        # an answer or an id of its own: a row of its own.
        (_IDS, [("1.2", REQ_1, "Yes", "Policy"), ("", "", "No", "Log")], (False, False)),
        (_IDS, [("1.2", REQ_1, "Yes", "Policy"), ("1.3", "", "", "Log")], (False, False)),
        # a cell the row above left empty: not its continuation (the row is kept).
        (_IDS, [("1.2", REQ_1, "Yes", ""), ("", "", "", "Policy")], (False, False)),
        # no id column: a capitalised requirement is a provision; lower case continues.
        (_IDS[1:], [(REQ_1, "Yes", "Policy"), (_LONG, "", "")], (False, False)),
        (_IDS[1:], [(REQ_1, "Yes", "Policy"), ("however made.", "", "")], (False, True)),
        (_IDS[1:], [(REQ_1, "Yes", "Policy"), ("· by letter;", "", "")], (False, True)),
        # 2020 form: its Yes / No columns hold text, so they continue like evidence.
        (("1", "Definition of a complaint", "Yes", "No"),
         [("1a", REQ_1, "Our policy", ""), ("", "", "says so.", "")], (False, True)),
        # tick columns beside an evidence column are answers.
        (("Ref", "Requirement", "Yes", "No", "Evidence"),
         [("1.2", REQ_1, "X", "", "Policy"), ("", "", "", "X", "Log")], (False, False)),
        ((), [], ()),
    ],
)  # fmt: skip
def test_continuation_flags(
    header: tuple[str, ...], rows: list[tuple[str, ...]], flags: tuple[bool, ...]
) -> None:
    assert continuation_flags(rows, header) == flags


def test_stacked_paragraphs_without_table() -> None:
    rows = rows_to_assessment_rows(_read("stacked_paragraphs").rows)
    assert [(r.printed_id, r.answer_raw) for r in rows] == [("1.2", "Yes"), ("1.3", "No")]
    assert rows[0].evidence == "Policy Section 5.1 of our policy has the detail."
    assert rows[1].requirement.startswith("The resident does not have to use")


def test_label_value_table_per_provision() -> None:
    extraction = _read("key_value_tables")
    assert extraction.rows[0].header == (
        "Code section",
        "Code requirement",
        "Compliance",
        "Evidence",
    )
    assert extraction.rows[1].cells[::2] == ("1.3", "No")
    assert extraction.tables_set_aside == 0


def test_truncated_docx_raises_corrupt_file_error() -> None:
    with pytest.raises(CorruptFileError) as caught:
        read_docx(FIXTURES / "truncated.docx")
    assert "truncated.docx" in str(caught.value)
    assert "Re-save it from Word or download it again" in caught.value.hint
    assert caught.value.code == "corrupt_file"


def test_macro_enabled_package_raises_unsupported_format() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        read_docx(FIXTURES / "macro_enabled.docx")
    assert "save it as a Word Document (.docx)" in caught.value.hint


def test_read_document_dispatches_docx() -> None:
    extraction = read_document(FIXTURES / "merged_cells.docx")
    assert extraction.format == "docx"
    assert extraction.pages is None
    assert len(extraction.rows) == 3


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Yes ☒ No ☐", "Yes"),
        ("☒ Yes ☐ No", "Yes"),
        ("Yes ☐ No ☒", "No"),
        ("Yes ☐ No ☐ Partial ☒", "Partial"),
        ("Yes ✓ No", "Yes"),
        ("Yes ☐ No ☐", ""),
        ("☐", ""),
        ("☒", "☒"),
        ("Yes", "Yes"),
        ("✓ Policy ✓ Leaflets", "✓ Policy ✓ Leaflets"),
        ("■ Training ■ Audit", "■ Training ■ Audit"),
        ("☒ Yes, our complaints policy was rewritten this year to match", "☒ Yes, our "
         "complaints policy was rewritten this year to match"),
    ],
)  # fmt: skip
def test_resolve_checkboxes(cell: str, expected: str) -> None:
    assert resolve_checkboxes(cell) == expected


_TOKENS = st.sampled_from(["☒", "☐", "✓", " ", "/", "Yes", "No", "Partial", "x"])


@given(st.lists(_TOKENS, max_size=12).map("".join))
def test_resolve_checkboxes_never_raises_and_is_idempotent(text: str) -> None:
    once = resolve_checkboxes(text)
    assert resolve_checkboxes(once) == once


CORPUS_DOCX = sorted(CORPUS.glob("*.docx"))


def test_corpus_has_docx_files() -> None:
    assert CORPUS_DOCX, f"no .docx files in {CORPUS}"


@pytest.mark.slow
@pytest.mark.parametrize("path", CORPUS_DOCX, ids=lambda p: p.name)
def test_corpus_docx_recall(path: Path) -> None:
    extraction = read_docx(path)
    rows = rows_to_assessment_rows(extraction.rows)
    score = reader_recall(rows, load_gold(GOLD / f"{path.name}.jsonl"))
    assert score.recall == 1.0, f"missed {score.missed}"
    assert score.spurious_share <= 0.01, f"spurious rows {score.spurious}"


def _halves(text: str, *, lower: bool = False) -> tuple[str, str]:
    """Text cut in two near its middle (at a lower-case word when ``lower``)."""
    words = text.split()
    cut = next(
        (
            k
            for k in range(max(1, len(words) // 2), len(words))
            if not lower or words[k][:1].islower()
        ),
        len(words),
    )
    return " ".join(words[:cut]), " ".join(words[cut:])


def _split_gold_row(gold: GoldRow, ids: bool) -> list[tuple[str, ...]]:
    """A gold row as a table row continued in a second row, as copied from a PDF: the
    requirement cut before a lower-case word, evidence/commentary/actions in half."""
    req = _halves(gold.requirement, lower=True)
    ev, com, act = (_halves(t) for t in (gold.evidence, gold.commentary, gold.actions))
    first = (req[0], gold.compliance_raw, ev[0], com[0], act[0])
    rest = (req[1], "", ev[1], com[1], act[1])
    rows = [(gold.printed_id, *first), ("", *rest)] if ids else [first, rest]
    return [r for r in rows if any(r[1 if ids else 0 :])]


CORPUS_GOLD_TABLES = sorted(GOLD.glob("*.docx.jsonl"))


@pytest.mark.slow
@pytest.mark.parametrize("gold_path", CORPUS_GOLD_TABLES, ids=lambda p: p.name)
def test_gold_rows_split_in_two_table_rows_are_rejoined(gold_path: Path) -> None:
    gold = load_gold(gold_path)
    ids = any(g.printed_id for g in gold)
    header = ("Code requirement", "Compliant", "Evidence", "Commentary", "Actions")
    header = ("Code provision", *header) if ids else header
    texts = [header] + [row for g in gold for row in _split_gold_row(g, ids)]
    table = RawTable(
        tuple(RawRow(tuple(RawCell(t, col) for col, t in enumerate(row))) for row in texts)
    )
    result = table_to_rows(table, 0, Headings())
    want = [
        ((g.printed_id,) if ids else ())
        + (g.requirement, g.compliance_raw, g.evidence, g.commentary, g.actions)
        for g in gold
    ]
    assert [r.cells for r in result.rows] == [tuple(clean_cell(c) for c in w) for w in want]
