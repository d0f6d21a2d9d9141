"""Web pages as councils' CMSs publish them: the fixes the web fixture set
(tests/fixtures/variety_web/, checked end to end in tests/test_variety.py) needed, and
what they must not do."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.markup.html import read_html
from pipeline.records import Extraction

# ---------------------------------------------------------------- what the fixes must not do


def _page(tmp_path: Path, body: str) -> Extraction:
    path = tmp_path / "page.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return read_html(path)


def test_bold_answer_equal_to_its_header_is_kept(tmp_path: Path) -> None:
    # Only a label followed by more text (or marked as a label) is dropped from a cell.
    extraction = _page(
        tmp_path,
        "<table><thead><tr><th>Ref</th><th>Requirement</th><th>Compliant</th>"
        "<th>Evidence</th></tr></thead><tbody><tr><td>1.2</td>"
        "<td>A complaint must be defined as an expression of dissatisfaction.</td>"
        "<td><strong>Compliant</strong></td><td><b>Evidence</b></td></tr></tbody></table>",
    )
    assert extraction.rows[0].cells[2:] == ("Compliant", "Evidence")


def test_numbered_headings_without_labels_make_no_rows(tmp_path: Path) -> None:
    # "<h3>1.2</h3>" opens a provision block only when labelled lines follow.
    extraction = _page(
        tmp_path,
        "<h3>1.2</h3><p>Our policy was last reviewed in 2023 by the Board.</p>"
        "<h3>1.3 The purpose of this policy is to set out how we respond</h3><p>Text.</p>"
        "<table><tr><th>Ref</th><th>Requirement</th><th>Comply</th></tr>"
        "<tr><td>1.2</td><td>A complaint must be defined as dissatisfaction however made.</td>"
        "<td>Yes</td></tr></table>",
    )
    assert [r.cells[0] for r in extraction.rows] == ["1.2"]


def test_only_toggle_buttons_and_selected_options_are_read(tmp_path: Path) -> None:
    extraction = _page(
        tmp_path,
        "<div><button>Accept cookies</button></div>"
        '<h2><button aria-expanded="false">Section 4: Complaint handling staff</button></h2>'
        "<table><tr><th>Ref</th><th>Requirement</th><th>Comply</th></tr>"
        "<tr><td>4.1</td><td>Landlords must have a person or team assigned to complaints.</td>"
        "<td><select><option>Yes</option><option selected>No</option></select></td></tr>"
        "</table>",
    )
    assert "Accept cookies" not in extraction.title_lines
    (row,) = extraction.rows
    assert row.section == "Section 4: Complaint handling staff"
    assert row.cells[2] == "No"
