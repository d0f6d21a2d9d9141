"""pipeline/extract/limits.py: bounded work on every file, checked before the costly step."""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import TooLargeError, UsageError
from pipeline.extract import limits, read_document
from pipeline.extract.limits import Limits, applied, parse_limits

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "documents"
sys.path.insert(0, str(ROOT / "tests"))
from badinputs import SMALL, make_docx_bombs, make_pdf_floods  # noqa: E402


def test_limits_parse_and_refuse_bad_values() -> None:
    got = parse_limits(["pages=5000", "memory-mb=1024", "docx_ratio=50.5"])
    assert (got.pages, got.memory_mb, got.docx_ratio) == (5000, 1024, 50.5)
    for bad in ["pages", "nope=1", "pages=0", "pages=-3", "pages=1.5", "text_mb=nan",
                "text_mb=inf", "html_depth=5000", "memory_mb=100"]:  # fmt: skip
        with pytest.raises(UsageError):
            parse_limits([bad])


def test_docx_bombs_fail_before_anything_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = make_docx_bombs(tmp_path, SMALL)

    def no_unpacking(*args: object, **kwargs: object) -> None:
        raise AssertionError("a part was opened before the size check")

    with monkeypatch.context() as patch, applied(Limits(docx_member_mb=8)):
        patch.setattr(zipfile.ZipFile, "open", no_unpacking)
        for case in cases:
            with pytest.raises(TooLargeError) as err:
                read_document(tmp_path / case.name)
            assert str(tmp_path / case.name) in err.value.message
            assert "ZIP bomb" in err.value.message and "--limit" in err.value.hint
    # The real corpus DOCX files are far inside the default limits.
    for path in CORPUS.glob("*.docx"):
        limits.check_docx(path)


def test_docx_total_unpacked_size_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "two_parts.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as out:
        out.writestr("word/document.xml", b"<a/>" * (300 << 10))
        out.writestr("word/media/image1.png", b"\x89PNG" * (300 << 10))
    with applied(Limits(docx_total_mb=2)), pytest.raises(TooLargeError, match="together"):
        limits.check_docx(path)


def test_pdf_pages_and_characters_per_page(tmp_path: Path) -> None:
    make_pdf_floods(tmp_path, SMALL)
    with applied(Limits(pages=100)), pytest.raises(TooLargeError, match="150 pages"):
        read_document(tmp_path / "many_pages.pdf")
    with applied(Limits(page_chars=20_000)), pytest.raises(TooLargeError, match="page 1 holds"):
        read_document(tmp_path / "dense_page.pdf")


def test_text_and_html_size_checked_before_reading(tmp_path: Path) -> None:
    for name in ("big.txt", "big.html"):
        path = tmp_path / name
        path.write_bytes(b"<html><body>" + b"x " * (600 << 10))
        with (
            applied(Limits(text_mb=1)),
            pytest.raises(TooLargeError, match="over the limit of 1 MB"),
        ):
            read_document(path)


def test_deep_html_is_read_without_recursion_and_the_form_after_it_is_kept(
    tmp_path: Path,
) -> None:
    page = (CORPUS / "001_tamworth_2024.html").read_text(encoding="utf-8")
    start = page.index(">", page.lower().index("<body")) + 1
    n = 50_000  # far deeper than Python's recursion limit
    deep = page[:start] + "<div>" * n + "deep <b>text</b>" + "</div>" * n + page[start:]
    path = tmp_path / "deep.html"
    path.write_text(deep, encoding="utf-8")
    plain = read_document(CORPUS / "001_tamworth_2024.html")
    started = time.monotonic()
    got = read_document(path)
    assert time.monotonic() - started < 30
    assert got.rows == plain.rows and len(got.rows) > 30
    assert any("nested deeper than 200 levels" in note for note in got.notes)


def test_depth_limit_keeps_the_text_of_the_flattened_part() -> None:
    html = b"<html><body>" + b"<div>" * 40 + b"inner <b>words</b>" + b"</div>" * 40
    with applied(Limits(html_depth=10)):
        soup = limits.html_soup(html + b"<p>after</p></body></html>")
    assert "inner  words" in soup.get_text() or "inner words" in soup.get_text()
    assert soup.find("p") is not None and soup.find("p").get_text() == "after"  # type: ignore[union-attr]
    assert limits.html_notes(soup)
