"""File names as stored and shown: always valid UTF-8, the original bytes recoverable.

On Linux a file name is bytes; Python hands names that are not valid UTF-8 over with
lone surrogates (``surrogateescape``), which DuckDB, Arrow and terminals refuse. The
stored form escapes them: each byte that is not part of valid UTF-8 becomes ``\\xNN``
and, so that the escaping can be undone without doubt, a backslash becomes ``\\\\``.
A name that is valid UTF-8 and holds no backslash (nearly every name) is stored as is.
Hand-written because no library escapes reversibly while leaving valid names alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_ESCAPE = re.compile(r"\\\\|\\x([0-9a-f]{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


def display_path(path: Path | str) -> str:
    """The path as valid UTF-8 text: unchanged when possible, else escaped.

    Args:
        path: a path as Python gives it (undecodable bytes as lone surrogates).

    Returns:
        Text that encodes as UTF-8; ``original_path`` turns it back into the bytes.
    """
    text = os.fspath(path)
    if "\\" not in text and not _SURROGATE.search(text):
        return text
    raw = os.fsencode(text)
    out: list[str] = []
    for char in raw.decode("utf-8", "surrogateescape"):
        if char == "\\":
            out.append("\\\\")
        elif "\udc80" <= char <= "\udcff":
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            out.append(char)
    return "".join(out)


def original_path(shown: str) -> bytes:
    """The file name's original bytes from its stored form (inverse of display_path).

    Args:
        shown: a path as stored in ``documents.source_path`` or ``document_paths``.

    Returns:
        The bytes the operating system knows the file by.
    """
    if "\\" not in shown:
        return shown.encode("utf-8")
    out = bytearray()
    pos = 0
    for match in _ESCAPE.finditer(shown):
        out += shown[pos : match.start()].encode("utf-8")
        out += b"\\" if match.group(1) is None else bytes([int(match.group(1), 16)])
        pos = match.end()
    out += shown[pos:].encode("utf-8")
    return bytes(out)


def safe_text(text: str) -> str:
    """Text with any lone surrogate (from an undecodable name or a broken PDF font
    map) replaced by a ``\\xNN`` escape or U+FFFD, so that it can be stored and printed."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(
        lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if m.group() >= "\udc80" else "\ufffd",
        text,
    )
