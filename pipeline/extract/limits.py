"""Bounds on the work one document may cause, and the checks the readers call.

Every limit has a default that no real self-assessment reaches (a form is a few MB,
tens of pages, a few thousand characters a page); files over a limit fail with
``too_large`` before the expensive step runs, so a ZIP bomb, a 50,000-page PDF or a
page of ten million characters costs a few milliseconds, not gigabytes. The batch
sets the limits of a run with :func:`applied` (``chc ingest --limit NAME=VALUE``);
readers call the ``check_*`` functions, one line each, and :func:`html_soup`.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from pipeline.errors import TooLargeError, UsageError

_MB = 1 << 20
# Members smaller than this are not ratio-checked: tiny XML parts compress very well.
_RATIO_FLOOR_BYTES = _MB
# The HTML walkers recurse once or twice per level, so the depth kept must stay well
# inside Python's recursion limit (1000 frames).
MAX_HTML_DEPTH = 400
# A worker holds about 200 MB (the stages, spaCy) before it reads a document.
MIN_MEMORY_MB = 256


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """The bounds of one batch; ``chc ingest --limit NAME=VALUE`` changes them.

    Attributes:
        file_mb: size of any input file.
        text_mb: size of a text or HTML file.
        docx_member_mb: unpacked size of one part of a Word file.
        docx_total_mb: unpacked size of all parts of a Word file together.
        docx_ratio: unpacked/packed size of one part over 1 MB (a ZIP bomb's is ~1000).
        pages: pages of a PDF.
        page_chars: characters on one PDF page (a dense page of text has about 5,000;
            pdfplumber needs about 3 MB of memory per 1,000 characters on a page).
        html_depth: nesting depth of HTML elements kept as elements; deeper ones are
            read as plain text of the element above them.
        rows: table rows read from one document (a form has under 200); the matching
            that follows costs time and memory for every row.
        memory_mb: resident memory of one worker process; a document that makes its
            worker cross it fails with ``memory_limit``.
    """

    file_mb: float = 512
    text_mb: float = 32
    docx_member_mb: float = 64
    docx_total_mb: float = 256
    docx_ratio: float = 100
    pages: int = 2000
    page_chars: int = 100_000
    html_depth: int = 200
    rows: int = 5000
    memory_mb: int = 512


_CURRENT: ContextVar[Limits] = ContextVar("chc_limits", default=Limits())  # noqa: B039


def current() -> Limits:
    """The limits in force (the defaults unless a batch applied others)."""
    return _CURRENT.get()


@contextmanager
def applied(limits: Limits) -> Iterator[Limits]:
    """Make ``limits`` the ones in force inside the block."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def limit_names() -> tuple[str, ...]:
    """Names accepted by ``--limit``."""
    return tuple(f.name for f in fields(Limits))


def describe_defaults() -> str:
    """``name=default`` for every limit, for the help text."""
    defaults = Limits()
    return ", ".join(f"{n}={getattr(defaults, n):g}" for n in limit_names())


def parse_limits(items: Sequence[str], base: Limits | None = None) -> Limits:
    """Limits from ``NAME=VALUE`` strings (``--limit pages=5000``).

    Raises:
        UsageError: an unknown name, or a value that is not a positive finite number
            (a whole number where the limit counts things).
    """
    limits = base or Limits()
    kinds = {f.name: f.type for f in fields(Limits)}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in kinds:
            raise UsageError(
                f"--limit {item!r} is not NAME=VALUE with a known NAME.",
                f"Known limits and their defaults: {describe_defaults()}.",
            )
        whole = kinds[name] in (int, "int")
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value <= 0 or (whole and not value.is_integer()):
            kind = "a whole number above 0" if whole else "a number above 0"
            raise UsageError(f"--limit {name}={text} is not valid.", f"Give {kind}.")
        if name == "memory_mb" and value < MIN_MEMORY_MB:
            raise UsageError(
                f"--limit memory_mb={text} is below what a worker needs before it reads "
                "anything (about 200 MB with the stages loaded).",
                f"Use at least {MIN_MEMORY_MB}.",
            )
        if name == "html_depth" and value > MAX_HTML_DEPTH:
            raise UsageError(
                f"--limit html_depth={text} is too deep to walk safely.",
                f"Use at most {MAX_HTML_DEPTH}; deeper elements are still read, as text.",
            )
        number: float = int(value) if whole else value
        limits = replace(limits, **{name: number})  # type: ignore[arg-type]
    return limits


def _mb(size: float) -> str:
    return f"{size / _MB:,.0f} MB" if size >= 10 * _MB else f"{size / _MB:,.1f} MB"


def _raise_hint(name: str) -> str:
    return (
        "If it really is a self-assessment, rerun it alone with a higher limit, e.g. "
        f"`chc ingest FILE --limit {name}=...`; otherwise leave it out."
    )


def check_file_size(path: Path, size: int) -> None:
    """Raise TooLargeError when a file is larger than ``file_mb``."""
    limit = current().file_mb
    if size > limit * _MB:
        raise TooLargeError(
            f"{path}: the file is {_mb(size)}, over the limit of {limit:g} MB for one file.",
            _raise_hint("file_mb"),
        )


def check_text_file(path: Path) -> None:
    """Raise TooLargeError when a text or HTML file is larger than ``text_mb``.

    Called before the file is read, so a huge file is never loaded.
    """
    limit = current().text_mb
    size = path.stat().st_size
    if size > limit * _MB:
        raise TooLargeError(
            f"{path}: {_mb(size)} of text or HTML, over the limit of {limit:g} MB "
            "(a self-assessment is rarely more than 1 MB).",
            _raise_hint("text_mb"),
        )


def check_docx(path: Path) -> None:
    """Check every part of a Word file before anything is unpacked.

    The sizes come from the ZIP's central directory; Python's zipfile never unpacks
    more than the size a part declares, so a part that lies fails its CRC check
    instead of growing without bound.

    Raises:
        TooLargeError: a part, or all parts together, would unpack to more than the
            limits, or a large part is compressed more than ``docx_ratio`` to 1.
    """
    limits = current()
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader reports the damaged file in its own words
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > limits.docx_member_mb * _MB:
            raise TooLargeError(
                f"{path}: the part {part.filename} of this Word file would unpack to "
                f"{_mb(part.file_size)}, over the limit of {limits.docx_member_mb:g} MB "
                "(probably a ZIP bomb; nothing was unpacked).",
                _raise_hint("docx_member_mb"),
            )
        packed = max(part.compress_size, 1)
        ratio = part.file_size / packed
        if part.file_size > _RATIO_FLOOR_BYTES and ratio > limits.docx_ratio:
            raise TooLargeError(
                f"{path}: the part {part.filename} of this Word file is compressed "
                f"{ratio:,.0f} to 1 ({_mb(packed)} unpacking to {_mb(part.file_size)}), "
                f"over the limit of {limits.docx_ratio:g} to 1 (probably a ZIP bomb; "
                "nothing was unpacked).",
                _raise_hint("docx_ratio"),
            )
    if total > limits.docx_total_mb * _MB:
        raise TooLargeError(
            f"{path}: the parts of this Word file would unpack to {_mb(total)} together, "
            f"over the limit of {limits.docx_total_mb:g} MB (nothing was unpacked).",
            _raise_hint("docx_total_mb"),
        )


def check_rows(path: Path, rows: int) -> None:
    """Raise TooLargeError when a document yields more table rows than ``rows``."""
    limit = current().rows
    if rows > limit:
        raise TooLargeError(
            f"{path}: {rows:,} table rows were read, over the limit of {limit:,} "
            "(a self-assessment has under 200).",
            _raise_hint("rows"),
        )


def check_pages(path: Path, pages: int) -> None:
    """Raise TooLargeError when a PDF has more pages than ``pages``."""
    limit = current().pages
    if pages > limit:
        raise TooLargeError(
            f"{path}: the PDF has {pages:,} pages, over the limit of {limit:,}.",
            _raise_hint("pages"),
        )


def check_page_chars(path: Path, page_index: int, chars: int) -> None:
    """Raise TooLargeError when one PDF page (0-based index) holds more characters
    than ``page_chars``; called before the page's text is extracted."""
    limit = current().page_chars
    if chars > limit:
        raise TooLargeError(
            f"{path}: page {page_index + 1} holds {chars:,} characters, over the limit of "
            f"{limit:,} for one page (a dense page of text has about 5,000).",
            _raise_hint("page_chars"),
        )


class _DepthLimitedSoup(BeautifulSoup):
    """A BeautifulSoup tree no deeper than ``max_depth`` elements.

    The parser's start and end events arrive strictly nested (lxml closes every
    element it opens), so an element opened below ``max_depth`` is dropped and its
    end event skipped; its text joins the element above it, and the elements after the
    deep part are built as usual. No recursion, so 100,000 nested ``<div>`` are as
    cheap as 100,000 sibling ones.
    """

    def __init__(self, markup: bytes, max_depth: int) -> None:
        self.max_depth = max_depth
        self.kept: list[bool] = []
        self.depth = 0
        self.flattened = 0
        self.space = False
        super().__init__(markup, "lxml")

    def reset(self) -> None:
        super().reset()
        self.kept = []
        self.depth = 0
        self.flattened = 0
        self.space = False

    def handle_data(self, data: str) -> None:
        if self.space and data:
            data = " " + data
            self.space = False
        super().handle_data(data)

    def handle_starttag(  # type: ignore[no-untyped-def]
        self, name, namespace, nsprefix, attrs, sourceline=None, sourcepos=None, namespaces=None
    ) -> Tag | None:
        if self.depth >= self.max_depth:
            self.kept.append(False)
            self.flattened += 1
            self.space = True  # the dropped element still separates words
            return None
        self.kept.append(True)
        self.depth += 1
        self.space = False
        tag: Tag | None = super().handle_starttag(
            name, namespace, nsprefix, attrs, sourceline, sourcepos, namespaces
        )
        return tag

    def handle_endtag(self, name: str, nsprefix: str | None = None) -> None:
        if self.kept and not self.kept.pop():
            self.space = True
            return
        self.depth -= 1
        self.space = False
        super().handle_endtag(name, nsprefix)


def html_soup(data: bytes) -> BeautifulSoup:
    """Parse HTML with lxml into a tree no deeper than ``html_depth``."""
    return _DepthLimitedSoup(data, current().html_depth)


def html_notes(soup: BeautifulSoup) -> tuple[str, ...]:
    """A note when elements below ``html_depth`` were read as plain text."""
    if not isinstance(soup, _DepthLimitedSoup) or not soup.flattened:
        return ()
    return (
        f"{soup.flattened:,} HTML elements nested deeper than {soup.max_depth} levels "
        "were read as "
        "plain text of the element above them; the rest of the page was read as usual.",
    )
