"""PDF reader: file -> Extraction (rows with page provenance).

Stages: open and check the file with pypdfium2 (maps password, corruption and
scanned-image failures to our errors); read every page's plain text and keep the
pages worth table-parsing (pdf_prefilter); turn those pages' characters and rules
into page tables (pdf_objects, pdf_page), following each table onto the pages it runs
on to whatever they score (pdf_follow); join tables across page breaks and set aside
tables that are not a self-assessment (pdf_stitch). When pages were skipped, a note
says which pages were table-parsed.

Each page is loaded by pdfium once: the text pass keeps the pages that score as form
pages open, so table-parsing them reuses the same page and text page; only a
neighbour or continuation page that scored low is loaded again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium

from pipeline.errors import CorruptFileError, EmptyFileError, EncryptedFileError, NoTextLayerError
from pipeline.extract import limits
from pipeline.extract.anchors import complete_rows
from pipeline.extract.pdf.follow import follow_tables, parsed_pages_note
from pipeline.extract.pdf.objects import page_objects
from pipeline.extract.pdf.page import PageContent, page_content
from pipeline.extract.pdf.prefilter import RUN_THRESHOLD, score_page, select_pages
from pipeline.extract.pdf.stitch import stitch_pages
from pipeline.records import Extraction, PageText
from pipeline.textnorm import normalise_space

# Fewer visible characters than this in the whole file means there is no text layer.
_MIN_TEXT_CHARS = 20
# Documents this short are table-parsed in full when no page scores as a form page.
_PARSE_ALL_MAX_PAGES = 40
TITLE_LINES = 15


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


class _Document:
    """An open PDF: every page's text, and the pages kept open for table-parsing."""

    def __init__(self, path: Path, pdf: pdfium.PdfDocument) -> None:
        self.path = path
        self._pdf = pdf
        self._open: dict[int, tuple[pdfium.PdfPage, pdfium.PdfTextPage]] = {}
        limits.check_pages(path, len(pdf))
        try:
            self.texts = tuple(self._text(index) for index in range(len(pdf)))
        except BaseException:
            self._close_pages()
            raise

    def _text(self, index: int) -> str:
        """A page's plain text; the page stays open when it scores as a form page."""
        page, textpage = self._load(index)
        try:
            limits.check_page_chars(self.path, index, textpage.count_chars())
            text: str = textpage.get_text_range()
        except BaseException:
            textpage.close()
            page.close()
            raise
        if score_page(text) >= RUN_THRESHOLD:
            self._open[index] = (page, textpage)
        else:
            textpage.close()
            page.close()
        return text

    def _load(self, index: int) -> tuple[pdfium.PdfPage, pdfium.PdfTextPage]:
        try:
            page = self._pdf[index]
            return page, page.get_textpage()
        except pdfium.PdfiumError as err:
            raise _corrupt(self.path, f"page {index + 1}: {str(err).rstrip('.')}") from err

    def parse(self, index: int) -> PageContent:
        """Table-parse one 0-based page (its characters and rules, once)."""
        kept = self._open.pop(index, None)
        page, textpage = kept if kept is not None else self._load(index)
        try:
            return page_content(page_objects(page, textpage), index + 1)
        finally:
            textpage.close()
            page.close()

    def _close_pages(self) -> None:
        for page, textpage in self._open.values():
            textpage.close()
            page.close()
        self._open.clear()

    def close(self) -> None:
        self._close_pages()
        self._pdf.close()


@contextmanager
def _opened(path: Path) -> Iterator[_Document]:
    """The PDF open with pypdfium2, its failures mapped to our errors.

    Raises:
        EncryptedFileError: the file needs a password.
        CorruptFileError: pdfium cannot parse the file or one of its pages.
        EmptyFileError: the PDF has no pages.
    """
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise _encrypted(path) from err
        raise _corrupt(path, str(err).rstrip(".")) from err
    try:
        if len(pdf) == 0:
            raise EmptyFileError(
                f"{path}: the PDF has no pages.",
                "Download it again; the original was probably not saved completely.",
            )
        document = _Document(path, pdf)
    except BaseException:
        pdf.close()
        raise
    try:
        yield document
    finally:
        document.close()


def page_texts(path: Path) -> tuple[str, ...]:
    """Plain text of every page, via pypdfium2 (about a millisecond a page).

    Raises:
        EncryptedFileError: the file needs a password.
        CorruptFileError: pdfium cannot parse the file.
        EmptyFileError: the PDF has no pages.
    """
    with _opened(path) as document:
        return document.texts


def parse_pages(path: Path, indexes: tuple[int, ...]) -> tuple[PageContent, ...]:
    """Table-parse the given 0-based pages.

    Raises:
        EncryptedFileError, CorruptFileError, EmptyFileError: as for ``page_texts``.
    """
    with _opened(path) as document:
        return tuple(document.parse(index) for index in indexes)


def table_pages(path: Path, texts: tuple[str, ...]) -> tuple[PageContent, ...]:
    """Table-parse the pages the pre-filter picks and the pages their tables run on to.

    Args:
        path: the PDF file.
        texts: every page's plain text (``page_texts``).

    Returns:
        The parsed pages in page order (see ``pages_to_parse`` and
        ``pdf_follow.follow_tables``).

    Raises:
        EncryptedFileError, CorruptFileError, EmptyFileError: as for ``page_texts``.
    """
    with _opened(path) as document:
        return follow_tables(pages_to_parse(texts), len(texts), document.parse)


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
    with _opened(path) as document:
        texts = document.texts
        visible = sum(len("".join(t.split())) for t in texts)
        if visible < _MIN_TEXT_CHARS:
            raise NoTextLayerError(
                f"{path}: no text layer: this looks like a scanned image.",
                "OCR it first, e.g. `ocrmypdf in.pdf out.pdf`, then ingest the OCR'd copy.",
            )
        parsed = follow_tables(pages_to_parse(texts), len(texts), document.parse)
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
