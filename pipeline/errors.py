"""One error family. Each error has a stable code, a message naming the file, and a hint.

The CLI catches only ChcError (prints ``Error:`` and ``Hint:``); inside a batch a
ChcError becomes ``documents.status = 'failed'`` with ``error`` = ``str(err)``.
Anything else is a bug and keeps its traceback.
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


class ReadError(ChcError):
    """A document could not be read."""

    code = "read_error"


class EmptyFileError(ReadError):
    code = "empty_file"


class CorruptFileError(ReadError):
    code = "corrupt_file"


class EncryptedFileError(ReadError):
    code = "encrypted"


class NoTextLayerError(ReadError):
    code = "no_text_layer"


class UnsupportedFormatError(ReadError):
    code = "unsupported_format"


class NoAssessmentFoundError(ReadError):
    """The document was read but holds no self-assessment table."""

    code = "no_assessment_found"


class DatabaseInUseError(ChcError):
    code = "database_in_use"


class DocumentTimeoutError(ChcError):
    code = "timeout"


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
    code = "fetch_timeout"


class ConnectionFailedError(CollectError):
    code = "connection_failed"


class RedirectError(CollectError):
    """A redirect loop, too many redirects, or a redirect without a target."""

    code = "redirect"


class TooLargeError(CollectError):
    code = "too_large"


class RateLimitedError(CollectError):
    """429/503 answered again after the retries, or a Retry-After longer than allowed."""

    code = "rate_limited"
