"""What a file really is, from its first bytes rather than its name."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from pipeline.errors import CorruptFileError, EmptyFileError, UnsupportedFormatError
from pipeline.records import Format

# What zipfile (and zlib under it) raise on a damaged archive: a bad directory, a name
# that is not UTF-8, a deflate stream that stops or lies, an unknown compression.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    UnicodeDecodeError,
    NotImplementedError,
    OSError,
)

EXTENSION_FORMATS: dict[str, Format] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".md": "text",
}


def sniff_format(path: Path) -> Format:
    """Decide the format from the content; the extension only breaks ties for text.

    Raises:
        EmptyFileError: zero bytes, or only whitespace.
        CorruptFileError: a ZIP that is not a Word document, or unreadable bytes.
        UnsupportedFormatError: a binary format we do not read (.doc, images...).
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as err:
        raise CorruptFileError(
            f"{path}: cannot be opened ({err.strerror}).", "Check the file's permissions."
        ) from err
    if not head.strip():
        raise EmptyFileError(
            f"{path}: the file is empty (0 bytes of content).",
            "Download it again; the original was probably not saved completely.",
        )
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"  # PDF readers accept a header anywhere in the first 1024 bytes
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except ZIP_ERRORS as err:
            raise CorruptFileError(
                f"{path}: looks like a Word/ZIP file but is corrupt or truncated.",
                "Download it again or re-save it from Word.",
            ) from err
        if "word/document.xml" in names:
            return "docx"
        raise UnsupportedFormatError(
            f"{path}: a ZIP archive that is not a Word (.docx) document.",
            "Extract the self-assessment from it, or save it as .docx or .pdf.",
        )
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsupportedFormatError(
            f"{path}: an old binary Word/Excel file (.doc/.xls), which chc does not read.",
            "Save it as .docx or PDF, e.g. `soffice --headless --convert-to docx FILE`.",
        )
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 with a byte-order mark: Excel's "Unicode text" export. Its NUL bytes are
        # not binary content; the HTML check below needs the decoded text.
        decoded = head.decode("utf-16", errors="ignore").lower()
        return "html" if any(t in decoded for t in ("<html", "<table", "<body")) else "text"
    if b"\x00" in head:
        raise UnsupportedFormatError(
            f"{path}: binary content that is not PDF, DOCX, HTML or text.",
            "Convert it to PDF or DOCX first.",
        )
    lowered = head.lower()
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<table", b"<body")):
        return "html"
    return "text"
