"""pipeline/manifest.py: every problem with the manifest file is a usage error naming it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.manifest import load_manifest


def write(tmp: Path, data: bytes) -> Path:
    path = tmp / "m.csv"
    path.write_bytes(data)
    return path


def test_headers_are_matched_without_case_or_spaces(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf File , Landlord,Assessment_Year\na.pdf, A Homes ,2024\n")
    (entry,) = load_manifest(path).entries
    assert (entry.file, entry.landlord, entry.assessment_year) == ("a.pdf", "A Homes", 2024)


@pytest.mark.parametrize(
    ("data", "message", "hint"),
    [
        (
            b"file,landlord\nx.pdf,Caf\xe9 Homes\n",
            r"not UTF-8 text \(byte 0xe9 on line 2\)",
            "CSV UTF-8",
        ),
        ("file,landlord\n".encode("utf-16"), "not UTF-8 text", "iconv"),
        (b'file,landlord\nx.pdf,"' + b"x" * 200_000 + b'"\n', "not valid CSV", "columns"),
        (b"name,landlord\nx,y\n", "no 'file' column", "first line"),
        (b"", "no 'file' column", "first line"),
        (b"file,assessment_year\nx.pdf,\xef\xbc\x92024\n", "line 2: assessment_year", "four-digit"),
        (b"file,landlord_type\nx.pdf,charity\n", "landlord_type 'charity'", "council"),
    ],
)
def test_bad_manifests_are_usage_errors(
    tmp_path: Path, data: bytes, message: str, hint: str
) -> None:
    with pytest.raises(UsageError, match=message) as err:
        load_manifest(write(tmp_path, data))
    assert "m.csv" in err.value.message and hint in err.value.hint


def test_a_fifo_or_folder_as_manifest_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "m.csv"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="named pipe"):
        load_manifest(fifo)
    with pytest.raises(UsageError, match="a folder"):
        load_manifest(tmp_path)
    with pytest.raises(UsageError, match=r"disappeared|cannot be read"):
        load_manifest(tmp_path / "missing.csv")
