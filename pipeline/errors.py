"""One error family. Each error has a stable code, a message naming the file, and a hint.

The CLI catches only ChcError (prints ``Error:`` and ``Hint:``); inside a batch a
ChcError becomes ``documents.status = 'failed'`` with ``error`` = ``str(err)`` and
``error_code`` = its code. Anything else is a bug and keeps its traceback (inside a
batch: ``internal_error``, with the traceback in ``documents.notes``).

Every code is listed in ``docs/errors.md`` (a test checks it).
"""

from __future__ import annotations


class ChcError(Exception):
    """Base of every error a user can act on.

    Attributes:
        code: stable machine-readable code, e.g. "no_text_layer".
        message: what is wrong, naming the file.
        hint: what to do about it.
    """

    code = "chc_error"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class UsageError(ChcError):
    """Bad option, missing path, unreadable database (exit code 2)."""

    code = "usage"


class NotADatabaseError(UsageError):
    """``--db`` names a file that is not a DuckDB database (refused by its header)."""

    code = "not_a_database"


class OcrUnavailableError(UsageError):
    """``--ocr`` was asked for but OCRmyPDF or Tesseract is not installed."""

    code = "ocr_unavailable"


class DatabaseInUseError(ChcError):
    """Another process holds the database open (exit code 2)."""

    code = "database_in_use"


class IngestInterrupted(ChcError):
    """Ctrl-C or SIGTERM stopped an ingest; what was stored stays stored (exit code 130)."""

    code = "interrupted"


class ReadError(ChcError):
    """A document could not be read (base of the reader failures)."""

    code = "read_error"


class EmptyFileError(ReadError):
    """Zero bytes, only whitespace, or a PDF without pages."""

    code = "empty_file"


class CorruptFileError(ReadError):
    """Damaged or truncated PDF, Word or ZIP content."""

    code = "corrupt_file"


class EncryptedFileError(ReadError):
    """A password-protected PDF."""

    code = "encrypted"


class NoTextLayerError(ReadError):
    """A PDF of page images (a scan) without text."""

    code = "no_text_layer"


class UnsupportedFormatError(ReadError):
    """A format chc does not read (.doc, .xlsx, images, other ZIP archives)."""

    code = "unsupported_format"


class NoAssessmentFoundError(ReadError):
    """The document was read but holds no self-assessment table."""

    code = "no_assessment_found"


class UnreadableFileError(ReadError):
    """The operating system refused to read the file (permissions, I/O error)."""

    code = "unreadable"


class NotRegularFileError(ReadError):
    """A FIFO, device, socket or folder where a document file was expected."""

    code = "not_a_file"


class BrokenLinkError(ReadError):
    """A symbolic link whose target does not exist."""

    code = "broken_link"


class SymlinkLoopError(ReadError):
    """A symbolic link that points to itself, or a cycle of links."""

    code = "symlink_loop"


class OcrFailedError(ReadError):
    """OCRmyPDF could not recognise the text of a scanned PDF."""

    code = "ocr_failed"


class DocumentTimeoutError(ChcError):
    """Reading one document took longer than ``--timeout``; its worker was stopped."""

    code = "timeout"


class MemoryLimitError(ChcError):
    """Reading one document took more memory than the per-worker ceiling."""

    code = "memory_limit"


class WorkerDiedError(ChcError):
    """The worker process died while reading a document (a crash in a library)."""

    code = "worker_died"


class InternalError(ChcError):
    """A bug in chc while reading one document; the batch goes on."""

    code = "internal_error"


class CollectError(ChcError):
    """A web page or file could not be collected by ``chc collect`` (the crawl goes on)."""

    code = "collect_error"


class UnsafeUrlError(CollectError):
    """Not an http(s) URL, or one carrying a user name or password."""

    code = "unsafe_url"


class RobotsDisallowedError(CollectError):
    """The site's robots.txt does not allow chc to fetch the URL."""

    code = "robots_disallowed"


class RobotsUnavailableError(CollectError):
    """robots.txt answered with a server error or could not be reached (RFC 9309: stay out)."""

    code = "robots_unavailable"


class HttpStatusError(CollectError):
    """The server answered with an error status (404, 500, ...); ``status`` holds it."""

    code = "http_status"

    def __init__(self, message: str, hint: str = "", *, status: int = 0) -> None:
        super().__init__(message, hint)
        self.status = status


class FetchTimeoutError(CollectError):
    """A server did not answer (or send a file) within ``--timeout``."""

    code = "fetch_timeout"


class ConnectionFailedError(CollectError):
    """A server could not be reached (DNS, refused or reset connection, TLS)."""

    code = "connection_failed"


class RedirectError(CollectError):
    """A redirect loop, too many redirects, or a redirect without a target."""

    code = "redirect"


class RateLimitedError(CollectError):
    """429/503 answered again after the retries, or a Retry-After longer than allowed."""

    code = "rate_limited"


class TooLargeError(ReadError, CollectError):
    """A file over a size limit: one of ``chc ingest``'s reading limits (file size, a
    DOCX part, pages, characters on a page, rows; checked before the costly step), or
    ``chc collect --max-mb`` for a download."""

    code = "too_large"


def all_error_classes() -> tuple[type[ChcError], ...]:
    """ChcError and every subclass, each once (for docs and tests)."""
    found: list[type[ChcError]] = [ChcError]
    index = 0
    while index < len(found):
        found.extend(c for c in found[index].__subclasses__() if c not in found)
        index += 1
    return tuple(found)
