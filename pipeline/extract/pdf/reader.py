"""PDF reader: file -> Extraction (rows with page provenance).

Stages: open and check the file with pypdfium2 (fast; maps password, corruption and
scanned-image failures to our errors); score every page's plain text and keep the
pages worth table-parsing (pdf_prefilter); parse those pages with pdfplumber into
page tables (pdf_page), following each table onto the pages it runs on to whatever
they score (pdf_follow); join tables across page breaks and set aside tables that
are not a self-assessment (pdf_stitch). When pages were skipped, a note says which
pages were table-parsed.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import CorruptFileError, EmptyFileError, EncryptedFileError, NoTextLayerError
from pipeline.extract import limits
from pipeline.extract.anchors import complete_rows
from pipeline.extract.pdf.follow import follow_tables, parsed_pages_note
from pipeline.extract.pdf.page import PageContent, page_content
from pipeline.extract.pdf.prefilter import score_page, select_pages
from pipeline.extract.pdf.stitch import stitch_pages
from pipeline.records import Extraction, PageText
from pipeline.textnorm import normalise_space

# Fewer visible characters than this in the whole file means there is no text layer.
_MIN_TEXT_CHARS = 20
# Documents this short are table-parsed in full when no page scores as a form page.
_PARSE_ALL_MAX_PAGES = 40
TITLE_LINES = 15

# Built-in exceptions pdfminer raises on damaged files.
# The built-in ones count only when raised inside pdfminer/pdfplumber (see
# _raised_by_pdf_library); from our own code they stay bugs with tracebacks.
_PDFMINER_ERRORS = (
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    OverflowError,
    RecursionError,
    struct.error,
    zlib.error,
)


def _encrypted(path: Path) -> EncryptedFileError:
    return EncryptedFileError(
        f"{path}: the PDF is password-protected.",
        "Ask the landlord for an unprotected copy, or remove the password with "
        "`qpdf --decrypt in.pdf out.pdf`.",
    )


def _corrupt(path: Path, detail: str) -> CorruptFileError:
    return CorruptFileError(
        f"{path}: the PDF is corrupt or truncated ({detail}).",
        "Download it again; if it still fails, open and re-save it (e.g. `qpdf in.pdf out.pdf`).",
    )


def page_texts(path: Path) -> tuple[str, ...]:
    """Plain text of every page, via pypdfium2 (about a millisecond a page).

    Raises:
        EncryptedFileError: the file needs a password.
        CorruptFileError: pdfium cannot parse the file.
        EmptyFileError: the PDF has no pages.
    """
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise _encrypted(path) from err
        raise _corrupt(path, str(err).rstrip(".")) from err
    try:
        if len(document) == 0:
            raise EmptyFileError(
                f"{path}: the PDF has no pages.",
                "Download it again; the original was probably not saved completely.",
            )
        limits.check_pages(path, len(document))
        texts: list[str] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            limits.check_page_chars(path, index, textpage.count_chars())
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return tuple(texts)
    finally:
        document.close()


@contextmanager
def _open(path: Path) -> Iterator[Any]:
    """pdfplumber document, with pdfminer's failures mapped to our errors."""
    try:
        with pdfplumber.open(path) as pdf:
            yield pdf
    except (PDFPasswordIncorrect, PDFEncryptionError) as err:
        raise _encrypted(path) from err
    except PdfminerException as err:
        inner = err.args[0] if err.args else err
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _encrypted(path) from err
        raise _corrupt(path, type(inner).__name__) from err
    except (PSException, PDFSyntaxError) as err:
        raise _corrupt(path, type(err).__name__) from err
    except _PDFMINER_ERRORS as err:
        if not _raised_by_pdf_library(err):
            raise  # a bug in our own code keeps its traceback
        raise _corrupt(path, f"{type(err).__name__} while parsing") from err


def _raised_by_pdf_library(err: BaseException) -> bool:
    """True when the innermost frame of the error is inside pdfminer/pdfplumber."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    name = tb.tb_frame.f_code.co_filename if tb is not None else ""
    return "pdfminer" in name or "pdfplumber" in name


def parse_pages(path: Path, indexes: tuple[int, ...]) -> tuple[PageContent, ...]:
    """Table-parse the given 0-based pages with pdfplumber.

    Raises:
        EncryptedFileError, CorruptFileError: as mapped from pdfminer's failures.
    """
    with _open(path) as pdf:
        return tuple(_parse_page(pdf, index) for index in indexes)


def table_pages(path: Path, texts: tuple[str, ...]) -> tuple[PageContent, ...]:
    """Table-parse the pages the pre-filter picks and the pages their tables run on to.

    Args:
        path: the PDF file.
        texts: every page's plain text (``page_texts``).

    Returns:
        The parsed pages in page order (see ``pages_to_parse`` and
        ``pdf_follow.follow_tables``).

    Raises:
        EncryptedFileError, CorruptFileError: as mapped from pdfminer's failures.
    """
    with _open(path) as pdf:
        return follow_tables(
            pages_to_parse(texts), len(texts), lambda index: _parse_page(pdf, index)
        )


def _parse_page(pdf: Any, index: int) -> PageContent:
    page = pdf.pages[index]
    try:
        return page_content(page, index + 1)
    finally:
        page.close()


def pages_to_parse(texts: tuple[str, ...]) -> tuple[int, ...]:
    """The 0-based pages worth table-parsing, from every page's plain text.

    The pre-filter's choice (pdf_prefilter); when no page looks like a form page, a
    short document is parsed in full (its tables may still be set aside), a long one
    not at all.
    """
    indexes = select_pages([score_page(t) for t in texts])
    if not indexes and len(texts) <= _PARSE_ALL_MAX_PAGES:
        indexes = tuple(range(len(texts)))
    return indexes


def read_pdf(path: Path) -> Extraction:
    """Read a PDF's self-assessment tables into rows with page provenance.

    Args:
        path: the PDF file.

    Returns:
        An Extraction with format "pdf", ``pages`` = page count, one Row per table
        row (page-break fragments stitched, repeated headers dropped), the first
        lines of text as ``title_lines``, the count of non-assessment tables, and,
        when the pre-filter skipped pages, a note naming the table-parsed pages.

    Raises:
        EmptyFileError: the PDF has no pages.
        EncryptedFileError: the PDF needs a password.
        CorruptFileError: the file cannot be parsed as a PDF.
        NoTextLayerError: the pages are images only (a scan).
    """
    texts = page_texts(path)
    visible = sum(len("".join(t.split())) for t in texts)
    if visible < _MIN_TEXT_CHARS:
        raise NoTextLayerError(
            f"{path}: no text layer: this looks like a scanned image.",
            "OCR it first, e.g. `ocrmypdf in.pdf out.pdf`, then ingest the OCR'd copy.",
        )
    parsed = table_pages(path, texts)
    result = stitch_pages(parsed)
    note = parsed_pages_note([p.page for p in parsed], len(texts))
    # The anchored reading looks at the pages worth parsing only: an annual report's
    # narrative pages may quote the Code without being the form.
    blocks = tuple(PageText(page=p.page, text=texts[p.page - 1]) for p in parsed)
    return Extraction(
        path=str(path),
        format="pdf",
        pages=len(texts),
        rows=complete_rows(result.rows, blocks),
        title_lines=title_lines(texts),
        notes=(note,) if note else (),
        tables_set_aside=result.tables_set_aside,
        text=blocks,
    )


def title_lines(texts: tuple[str, ...], limit: int = TITLE_LINES) -> tuple[str, ...]:
    """The first ``limit`` non-empty lines of text, whitespace-normalised."""
    out: list[str] = []
    for text in texts:
        for line in text.splitlines():
            cleaned = normalise_space(line)
            if cleaned:
                out.append(cleaned)
                if len(out) == limit:
                    return tuple(out)
    return tuple(out)
