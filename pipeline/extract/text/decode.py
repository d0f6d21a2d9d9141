"""Text reader, step 1: file bytes -> decoded text, and the title lines above the form.

Text exports arrive as UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text") or
Windows-1252; :func:`decode_text` tries them in that order and never fails.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import EmptyFileError, ReadError
from pipeline.extract import limits
from pipeline.textnorm import clean_cell

TITLE_LINES = 15


def decode_text(data: bytes) -> str:
    """Decode a text export: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Args:
        data: the file's bytes.

    Returns:
        The text; never raises (latin-1 is the last resort and accepts every byte).
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def path_to_text(path: Path) -> str:
    """Read and decode a text export.

    Args:
        path: the file.

    Returns:
        The decoded text, which holds at least one non-blank character.

    Raises:
        EmptyFileError: the file holds no text.
        ReadError: the file cannot be read.
    """
    try:
        limits.check_text_file(path)
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(
            f"{path}: cannot be read ({err.strerror}).", "Check the path and permissions."
        ) from err
    text = decode_text(data)
    if not text.strip():
        raise EmptyFileError(
            f"{path}: the file is empty (no text).",
            "Export the self-assessment again; the original was probably not saved.",
        )
    return text


def title_lines(text: str, limit: int = TITLE_LINES) -> tuple[str, ...]:
    """The first non-empty lines, cleaned (for landlord and year inference).

    Args:
        text: the decoded file.
        limit: how many lines.

    Returns:
        Up to ``limit`` lines.
    """
    out: list[str] = []
    for raw in text.splitlines():
        cleaned = clean_cell(raw)
        if cleaned:
            out.append(cleaned)
        if len(out) >= limit:
            break
    return tuple(out)
