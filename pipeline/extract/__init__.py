"""Stage 1 readers: file -> Extraction (rows with provenance).

``read_document`` sniffs what a file really is from its bytes (a DOCX named .pdf is
read as a DOCX, with a note saying so) and hands it to the reader for that format.
The format modules are the only places pdfplumber, python-docx and lxml are imported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.errors import NoAssessmentFoundError
from pipeline.extract.sniff import EXTENSION_FORMATS, sniff_format
from pipeline.records import Extraction, Format

__all__ = ["EXTENSION_FORMATS", "read_document", "sniff_format"]


def read_document(path: Path) -> Extraction:
    """Read any supported file into rows with provenance.

    Raises:
        ReadError (a subclass naming the file and what to do): empty, corrupt,
        encrypted, scanned (no text layer), unsupported, or no self-assessment table.
    """
    fmt = sniff_format(path)
    extraction = _reader(fmt)(path)
    named = EXTENSION_FORMATS.get(path.suffix.lower())
    if named is not None and named != fmt:
        note = (
            f"{path.name} is named {path.suffix} but its content is {fmt.upper()}; "
            f"it was read as {fmt.upper()}."
        )
        extraction = Extraction(
            path=extraction.path,
            format=extraction.format,
            pages=extraction.pages,
            rows=extraction.rows,
            title_lines=extraction.title_lines,
            notes=(*extraction.notes, note),
            tables_set_aside=extraction.tables_set_aside,
        )
    if not extraction.rows:
        raise NoAssessmentFoundError(
            f"{path}: no self-assessment table found"
            + (
                f" ({extraction.tables_set_aside} other tables set aside)."
                if extraction.tables_set_aside
                else "."
            ),
            "Check that this is a Complaint Handling Code self-assessment; if it is, "
            "report the file so its layout can be supported.",
        )
    return extraction


def _reader(fmt: Format) -> Callable[[Path], Extraction]:
    # Imported lazily so that reading text files never loads pdfplumber or python-docx.
    if fmt == "pdf":
        from pipeline.extract.pdf.reader import read_pdf

        return read_pdf
    if fmt == "docx":
        from pipeline.extract.markup.docx import read_docx

        return read_docx
    if fmt == "html":
        from pipeline.extract.markup.html import read_html

        return read_html
    from pipeline.extract.text.reader import read_text

    return read_text
