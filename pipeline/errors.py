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
