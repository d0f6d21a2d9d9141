"""Format sniffing: what a file is comes from its bytes, not its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import EmptyFileError, UnsupportedFormatError
from pipeline.extract.sniff import sniff_format


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("form.txt", "1.2\tA complaint must be defined as\tYes\n".encode("utf-16"), "text"),
        ("form.txt", "<html><table><tr><td>1.2</td></tr></table>".encode("utf-16"), "html"),
        ("form.pdf", b"%PDF-1.7\n...", "pdf"),
        ("form.txt", b"<!DOCTYPE html><html><body>", "html"),
        ("form.md", b"| 1.2 | requirement | Yes |", "text"),
    ],
)
def test_format_from_content(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert sniff_format(path) == expected


def test_old_binary_word_is_refused_with_a_conversion_hint(tmp_path: Path) -> None:
    path = tmp_path / "form.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(UnsupportedFormatError) as err:
        sniff_format(path)
    assert "form.doc" in str(err.value) and "--convert-to docx" in err.value.hint


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\t\n")
    with pytest.raises(EmptyFileError, match=r"blank\.txt"):
        sniff_format(path)
