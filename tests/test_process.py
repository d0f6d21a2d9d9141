"""pipeline/process.py: one file through the stages -> a DocumentResult."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import store
from pipeline.errors import CorruptFileError
from pipeline.extract.limits import Limits
from pipeline.process import ManifestEntry, file_sha256, process_file, with_identity
from pipeline.records import Extraction, Row
from pipeline.reference import load_reference

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "batch"))
from chc_batch_fakes import FAKE_STAGES, fake_document, fake_read

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "documents"


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ok_document_has_everything_to_store(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", fake_document("Testshire Council", 2024, ["1.2", "1.3"]))
    result = process_file(path, stages=FAKE_STAGES)
    assert result.status == "ok" and result.error is None
    assert result.sha256 == file_sha256(path) and result.document_id == result.sha256[:16]
    assert result.code_version == "2024" and result.rows_aligned == 2
    assert result.landlord == "Testshire Council" and result.landlord_inferred
    assert result.assessment_year == 2024 and result.year_inferred
    assert result.seconds >= 0 and result.peak_memory_mb is not None
    assert result.peak_memory_mb > 10
    assert pickle.loads(pickle.dumps(result)) == result  # workers return it


def test_manifest_values_win_and_are_not_inferred(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", fake_document("Testshire Council", 2024, ["1.2"]))
    entry = ManifestEntry(
        file="t.txt", landlord="Other Homes", landlord_type="housing_association",
        assessment_year=2022, url="https://example.org/t",
    )  # fmt: skip
    result = process_file(path, manifest=entry, stages=FAKE_STAGES)
    assert (result.landlord, result.landlord_type, result.landlord_inferred) == (
        "Other Homes",
        "housing_association",
        False,
    )
    assert (result.assessment_year, result.year_inferred) == (2022, False)
    assert result.url == "https://example.org/t"
    assert "a 2024-Code form dated 2022" in result.version_note  # implausible: flagged


def test_unsupported_extension_fails_with_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "form.xlsx", "whatever")
    result = process_file(path, stages=FAKE_STAGES)
    assert result.status == "failed" and result.error_code == "unsupported_format"
    assert ".xlsx is not supported" in (result.error or "")


def test_empty_file_fails_with_its_own_reason(tmp_path: Path) -> None:
    result = process_file(write(tmp_path, "e.txt", ""), stages=FAKE_STAGES)
    assert (result.status, result.error_code) == ("failed", "empty_file")


def test_no_table_is_no_assessment_found_not_failed(tmp_path: Path) -> None:
    result = process_file(write(tmp_path, "n.txt", "Just a letter.\n"), stages=FAKE_STAGES)
    assert result.status == "no_assessment_found" and result.error is None
    assert "no self-assessment table" in result.notes[0]


def test_rows_matching_no_provision_are_no_assessment_found(tmp_path: Path) -> None:
    text = "Landlord: X Council\nA|not a provision|Yes\nB|nor this|No\n"
    result = process_file(write(tmp_path, "s.txt", text), stages=FAKE_STAGES)
    assert result.status == "no_assessment_found"
    assert len(result.rows) == 2 and result.rows_aligned == 0  # kept, unaligned


def test_a_bug_fails_the_document_with_its_traceback(tmp_path: Path) -> None:
    result = process_file(write(tmp_path, "b.txt", "BUG\n1.2|x|Yes\n"), stages=FAKE_STAGES)
    assert result.status == "failed" and result.error_code == "internal_error"
    assert "RuntimeError: fake bug" in (result.error or "")
    assert "Traceback" in result.notes[0]


def test_identity_is_recomputed_against_known_names(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", fake_document("Testshire Council", 2024, ["1.2"]))
    result = process_file(path, stages=FAKE_STAGES)
    again = with_identity(replace(result, landlord=None), None, ("Testshire Council",), FAKE_STAGES)
    assert again.landlord == "Testshire Council"


@pytest.mark.parametrize("name", ["000_f51c28dd8c8290d7.txt", "002_a1441b5497633c56.txt"])
def test_real_stages_on_a_seed(name: str) -> None:
    result = process_file(SEEDS / name)
    assert result.status == "ok", result.error
    assert result.code_version == ("2024" if name.startswith("000") else "2020")
    assert result.rows_aligned >= 30 and result.landlord_inferred


def test_a_policy_quoting_the_code_is_not_a_self_assessment(tmp_path: Path) -> None:
    # Real stages: prose that quotes three requirements word for word, answers nothing.
    ref = load_reference()
    quotes = [ref.get("2024", pid) for pid in ("1.2", "5.1", "5.3")]
    text = "Our complaints policy\n\n" + "\n\n".join(
        f"The Code says: {p.requirement_text} We follow this." for p in quotes if p
    )
    result = process_file(write(tmp_path, "policy.txt", text))
    assert result.status == "no_assessment_found"
    assert "not a self-assessment" in result.notes[-1]


def test_a_page_holding_one_answered_provision_is_a_self_assessment(tmp_path: Path) -> None:
    provision = load_reference().get("2024", "5.3")
    assert provision is not None
    text = f"Toggle menu\n\n5.3{provision.requirement_text}YesThe policy has two stages.\n"
    result = process_file(write(tmp_path, "page.txt", text))
    assert result.status == "ok" and result.code_version == "2024"
    assert [(r.provision_id, r.compliance) for r in result.rows if r.provision_id] == [
        ("5.3", "yes")
    ]


def test_the_hash_is_of_the_bytes_parsed_even_if_the_file_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", fake_document("A Council", 2024, ["1.2"]))
    parsed: list[bytes] = []

    def read_while_the_file_changes(copy: Path) -> Extraction:
        path.write_text(fake_document("B Council", 2024, ["1.3"]), encoding="utf-8")
        parsed.append(copy.read_bytes())
        return fake_read(copy)

    result = process_file(path, stages=replace(FAKE_STAGES, read=read_while_the_file_changes))
    assert result.sha256 == hashlib.sha256(parsed[0]).hexdigest()
    assert result.landlord == "A Council" and result.path == str(path)
    assert file_sha256(path) != result.sha256  # the new content is another document


def test_messages_name_the_users_file_not_the_private_copy(tmp_path: Path) -> None:
    path = write(tmp_path, "form.txt", "x")

    def corrupt(copy: Path) -> Extraction:
        raise CorruptFileError(f"{copy}: damaged; {copy.name} cannot be read.", "Re-save it.")

    result = process_file(path, stages=replace(FAKE_STAGES, read=corrupt))
    assert result.error == f"{path}: damaged; form.txt cannot be read. Re-save it."


def test_special_files_fail_at_once_with_their_reason(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = process_file(fifo, stages=FAKE_STAGES)
    assert time.monotonic() - started < 5
    assert (result.status, result.error_code) == ("failed", "not_a_file")
    io_error = tmp_path / "eio.pdf"
    os.symlink("/proc/self/mem", io_error)  # a regular file whose reads fail
    result = process_file(io_error, stages=FAKE_STAGES)
    assert (result.error_code, result.sha256) == ("unreadable", "")
    assert "Input/output error" in (result.error or "")


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (3 << 20))
    result = process_file(path, stages=FAKE_STAGES, limits=Limits(file_mb=2))
    assert result.error_code == "too_large" and "3.0 MB, over the limit of 2 MB" in (
        result.error or ""
    )


def test_an_undecodable_name_and_broken_text_are_stored(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    path = write(tmp_path, name, fake_document("Cafe Council", 2024, ["1.2"]))

    def broken_text(copy: Path) -> Extraction:
        extraction = fake_read(copy)
        row = Row(page=None, table_index=0, row_index=1, cells=("1.3", "x\ud800y", "Yes"))
        return replace(extraction, rows=(*extraction.rows, row))

    result = process_file(path, stages=replace(FAKE_STAGES, read=broken_text))
    assert result.status == "ok" and result.path == str(tmp_path / "caf\\xe9.txt")
    con = store.open_db(tmp_path / "t.duckdb", load_reference())
    try:
        store.write_document(con, result)
        stored = con.execute("SELECT source_path, file_name FROM documents").fetchone()
        cells = con.execute("SELECT raw_cells FROM assessments ORDER BY row_number").fetchall()
    finally:
        con.close()
    assert stored == (str(tmp_path / "caf\\xe9.txt"), "caf\\xe9.txt")
    assert "x\\ufffdy" in cells[1][0] or "x\ufffdy" in cells[1][0]


def test_a_scan_without_ocr_says_how_to_enable_it() -> None:
    bad = Path(__file__).parent / "fixtures" / "bad" / "scanned.pdf"
    result = process_file(bad)
    assert result.error_code == "no_text_layer"
    assert "chc ingest --ocr" in (result.error or "") and "make ocr" in (result.error or "")


def test_permission_denied_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.txt", "x")
    real_open = os.open

    def refuse(target: object, *args: object, **kwargs: object) -> int:
        if str(target) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)  # root reads a mode-000 file, so simulate it
    result = process_file(path, stages=FAKE_STAGES)
    assert (result.status, result.error_code) == ("failed", "unreadable")
    assert result.error == (
        f"{path}: cannot be read (Permission denied). Check that this user may read the file "
        "(permissions) and that its disk or network share is available, then run the ingest "
        "again."
    )


def test_a_document_with_too_many_rows_is_not_matched(tmp_path: Path) -> None:
    ids = ["1.2", "1.3", "2.1", "2.2"] * 5
    path = write(tmp_path, "long.txt", fake_document("A Council", 2024, ids))
    result = process_file(path, stages=FAKE_STAGES, limits=Limits(rows=10))
    assert result.error_code == "too_large"
    assert "20 table rows were read, over the limit of 10" in (result.error or "")
