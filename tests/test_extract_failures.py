"""Reader failures: each bad file gives one specific ChcError naming the file and the fix.

Fixtures in tests/fixtures/bad/ (committed, small): empty.pdf (0 bytes), truncated.pdf
(first 12 kB of a good PDF), encrypted.pdf (``qpdf --encrypt secret owner 256``),
scanned.pdf (an image saved as PDF by PIL), docx_named.pdf (a DOCX renamed .pdf),
prose_only.pdf (prose and a statistics table, no self-assessment).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import (
    ChcError,
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    NoAssessmentFoundError,
    NoTextLayerError,
)
from pipeline.extract import read_document

BAD = Path(__file__).parent / "fixtures" / "bad"


def _error(name: str) -> ChcError:
    path = BAD / name
    with pytest.raises(ChcError) as caught:
        read_document(path)
    assert str(path) in caught.value.message, "the message must name the file"
    assert caught.value.hint, "every failure carries a hint saying what to do"
    return caught.value


def test_zero_byte_file_is_empty() -> None:
    err = _error("empty.pdf")
    assert isinstance(err, EmptyFileError)
    assert err.code == "empty_file"
    assert "empty" in err.message
    assert "Download it again" in err.hint


def test_truncated_pdf_is_corrupt() -> None:
    err = _error("truncated.pdf")
    assert isinstance(err, CorruptFileError)
    assert err.code == "corrupt_file"
    assert "corrupt or truncated" in err.message
    assert "Download it again" in err.hint


def test_encrypted_pdf_asks_for_unprotected_copy() -> None:
    err = _error("encrypted.pdf")
    assert isinstance(err, EncryptedFileError)
    assert err.code == "encrypted"
    assert "password-protected" in err.message
    assert "unprotected copy" in err.hint
    assert "qpdf --decrypt" in err.hint


def test_scanned_pdf_has_no_text_layer() -> None:
    err = _error("scanned.pdf")
    assert isinstance(err, NoTextLayerError)
    assert err.code == "no_text_layer"
    assert "no text layer" in err.message
    assert "scanned image" in err.message
    assert "ocrmypdf in.pdf out.pdf" in err.hint


def test_pdf_without_self_assessment_sets_tables_aside() -> None:
    err = _error("prose_only.pdf")
    assert isinstance(err, NoAssessmentFoundError)
    assert err.code == "no_assessment_found"
    assert "no self-assessment table found" in err.message
    assert "1 other tables set aside" in err.message


def test_docx_named_pdf_is_read_as_docx_with_a_note() -> None:
    path = BAD / "docx_named.pdf"
    extraction = read_document(path)
    assert extraction.format == "docx"
    assert any("named .pdf but its content is DOCX" in note for note in extraction.notes)
    ids = [row.cells[0] for row in extraction.rows]
    assert ids == ["1.1", "1.2", "1.3"]


_GOOD = (BAD / "truncated.pdf").read_bytes()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(
        st.binary(max_size=2000).map(lambda b: b"%PDF-1.7\n" + b),
        st.integers(min_value=16, max_value=len(_GOOD)).map(lambda n: _GOOD[:n]),
        st.tuples(
            st.integers(min_value=16, max_value=len(_GOOD) - 1), st.binary(min_size=1, max_size=64)
        ).map(lambda pair: _GOOD[: pair[0]] + pair[1] + _GOOD[pair[0] + len(pair[1]) :]),
    )
)
def test_random_bytes_named_pdf_raise_only_chc_errors(tmp_path: Path, data: bytes) -> None:
    # Every example keeps the "%PDF-" signature, so this exercises the PDF reader only.
    path = tmp_path / "random.pdf"
    path.write_bytes(data)
    try:
        read_document(path)
    except ChcError as err:
        assert str(path) in err.message
