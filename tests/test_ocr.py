"""pipeline/ocr.py and ``chc ingest --ocr``: scanned PDFs read through OCRmyPDF/Tesseract.

The scanned fixture is made here from a corpus PDF (its first pages rendered to images
and saved as an image-only PDF), so nothing large is committed; the text-layer PDF of
the same pages is the reference the OCR'd reading is compared with.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest

from pipeline import batch, ocr
from pipeline.errors import OcrUnavailableError
from pipeline.process import process_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
SOURCE = CORPUS / "003_chesterfield_2023.pdf"
PAGES = [0, 1, 2]


def scan_of(source: Path, pages: list[int], folder: Path) -> tuple[Path, Path]:
    """(image-only PDF of ``pages``, the same pages with their text layer)."""
    document = pdfium.PdfDocument(str(source))
    try:
        text = pdfium.PdfDocument.new()
        text.import_pages(document, pages)
        with_text = folder / "pages_with_text.pdf"
        text.save(str(with_text))
        images = [document[i].render(scale=200 / 72).to_pil().convert("L") for i in pages]
    finally:
        document.close()
    scanned = folder / "scanned_chesterfield.pdf"
    images[0].save(scanned, save_all=True, append_images=images[1:], resolution=200)
    return scanned, with_text


def fake_programs(folder: Path, ocrmypdf_body: str) -> None:
    for name, body in (("ocrmypdf", ocrmypdf_body), ("tesseract", "exit 0")):
        program = folder / name
        program.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        program.chmod(0o755)


def test_without_the_programs_the_error_says_how_to_enable_ocr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OcrUnavailableError) as err:
        ocr.require_ocr()
    assert err.value.code == "ocr_unavailable" and "make ocr" in err.value.hint
    assert "tesseract-ocr-eng" in err.value.hint


def test_an_ocr_failure_is_the_documents_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_programs(tmp_path, "echo 'PriorOcrFoundError: page already has text' >&2; exit 6")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    scanned = Path(__file__).parent / "fixtures" / "bad" / "scanned.pdf"
    result = process_file(scanned, ocr=True)
    assert (result.status, result.error_code) == ("failed", "ocr_failed")
    assert f"{scanned}: OCRmyPDF could not recognise the text" in (result.error or "")
    assert "page already has text" in (result.error or "")


@pytest.mark.slow
def test_ingest_ocr_reads_a_scanned_corpus_pdf(tmp_path: Path) -> None:
    assert not ocr.missing_programs(), "run `make ocr` (the test suite needs OCR installed)"
    scanned, with_text = scan_of(SOURCE, PAGES, tmp_path)
    reference = process_file(with_text)
    plain = process_file(scanned)
    assert plain.error_code == "no_text_layer" and "--ocr" in (plain.error or "")
    db = tmp_path / "t.duckdb"
    summary = batch.ingest([scanned], db, workers=1, ocr=True, progress=False, timeout=300)
    assert summary.count("ok") == 1, summary.outcomes
    con = duckdb.connect(str(db), read_only=True)
    try:
        notes, version = con.execute("SELECT notes, code_version FROM documents").fetchone()  # type: ignore[misc]
        answers = dict(
            con.execute(
                "SELECT provision_id, compliance FROM assessments WHERE provision_id IS NOT NULL"
            ).fetchall()
        )
    finally:
        con.close()
    assert ocr.NOTE in notes and version == reference.code_version == "2022"
    # Most provisions are found again, and where the recognised text gives an answer it
    # is the answer the text layer gives (OCR may lose an answer cell, not change it).
    expected = {r.provision_id: r.compliance for r in reference.rows if r.provision_id}
    found = set(answers) & set(expected)
    assert len(found) >= 0.5 * len(expected), (sorted(answers), sorted(expected))
    read = [p for p in found if answers[p] != "unknown"]
    assert len(read) >= len(found) / 3, answers
    assert sum(answers[p] == expected[p] for p in read) >= 0.9 * len(read), (answers, expected)
