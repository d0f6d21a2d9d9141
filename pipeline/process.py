"""One file through every stage -> a DocumentResult (everything the store writes).

``process_file`` runs in a worker process of ``pipeline.batch``; its result is a frozen,
picklable record that the main process writes in one transaction. Stage functions are
injectable (``Stages``) so tests can run the batch machinery with fakes.

The file is read exactly once: its bytes are copied into a private folder while they
are hashed, and the readers parse that copy, so the stored hash is the hash of what
was parsed even if the file changes during the batch. The limits of the batch
(``pipeline.extract.limits``) are in force while the readers run, and the worker's
memory is watched (``pipeline.resources``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline import ocr as ocr_module
from pipeline.columns import rows_to_assessment_rows
from pipeline.discover import SUPPORTED_EXTENSIONS, open_regular, os_error
from pipeline.errors import (
    ChcError,
    InternalError,
    NoAssessmentFoundError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from pipeline.extract import limits as limits_module
from pipeline.extract import read_document
from pipeline.extract.limits import Limits
from pipeline.landlord_identity import identify_landlord
from pipeline.landlords import LandlordIdentity
from pipeline.manifest import ManifestEntry
from pipeline.match import assess_document, holds_assessment
from pipeline.pathnames import display_path, safe_text
from pipeline.records import (
    AssessedDocument,
    AssessedRow,
    AssessmentRow,
    DocumentStatus,
    Extraction,
    Format,
    LandlordType,
    Row,
    VersionDecision,
)
from pipeline.reference import Reference, load_reference
from pipeline.resources import watch_memory
from pipeline.years import YearDecision, infer_year, version_year_note

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "DocumentResult",
    "ManifestEntry",
    "Stages",
    "failed_result",
    "file_sha256",
    "process_file",
    "with_identity",
]

_BLOCK = 1 << 20
_COPY_STEM = "chc-copy"
_MAX_NAME_BYTES = 200


@dataclass(frozen=True, slots=True)
class Stages:
    """The stage functions process_file calls (module-level functions, so picklable)."""

    read: Callable[[Path], Extraction] = read_document
    to_rows: Callable[[Sequence[Row]], tuple[AssessmentRow, ...]] = rows_to_assessment_rows
    assess: Callable[..., AssessedDocument] = assess_document
    reference: Callable[[], Reference] = load_reference
    identify: Callable[..., LandlordIdentity] = identify_landlord
    year: Callable[..., YearDecision] = infer_year
    version_note: Callable[[str | None, int | None], str] = version_year_note


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentResult:
    """Everything stored about one input file (one ``documents`` row + its rows).

    Attributes:
        path: the file as given.
        sha256: hex digest of the content; "" when the file could not be read.
        status: "ok", "failed" or "no_assessment_found".
        error: a sentence a person can act on (failed only).
        error_code: the ChcError code ("timeout", "encrypted", ...).
        rows: the assessed rows (aligned and unaligned), in document order.
        title_lines: the document's first lines, kept for landlord/year inference.
        seconds: wall time spent on the document.
        peak_memory_mb: peak resident memory of the worker while on the document.
    """

    path: str
    sha256: str
    size_bytes: int | None = None
    status: DocumentStatus
    error: str | None = None
    error_code: str | None = None
    format: Format | None = None
    pages: int | None = None
    rows: tuple[AssessedRow, ...] = ()
    version: VersionDecision | None = None
    title_lines: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    tables_set_aside: int = 0
    landlord: str | None = None
    landlord_raw: str = ""
    landlord_type: LandlordType = "unknown"
    landlord_inferred: bool = True
    landlord_method: str = ""
    assessment_year: int | None = None
    year_raw: str = ""
    year_inferred: bool = True
    year_note: str = ""
    version_note: str = ""
    url: str | None = None
    seconds: float = 0.0
    peak_memory_mb: float | None = None

    @property
    def document_id(self) -> str:
        """First 16 hex characters of the content hash (of the path if unreadable)."""
        if self.sha256:
            return self.sha256[:16]
        return hashlib.sha256(self.path.encode("utf-8")).hexdigest()[:16]

    @property
    def file_name(self) -> str:
        return Path(self.path).name

    @property
    def code_version(self) -> str | None:
        return self.version.code_version if self.version else None

    @property
    def rows_aligned(self) -> int:
        return sum(1 for r in self.rows if r.provision_id is not None)


def file_sha256(path: Path, max_bytes: int | None = None) -> str | None:
    """Hex sha256 of a regular file's content, read in 1 MiB blocks.

    Never blocks on a FIFO or device (see ``discover.open_regular``).

    Returns:
        The digest, or None when the file holds more than ``max_bytes``.

    Raises:
        ReadError: not a regular file, or it cannot be read.
        OSError: a read failed half-way.
    """
    fd = open_regular(path)
    digest = hashlib.sha256()
    read = 0
    with os.fdopen(fd, "rb") as handle:
        while block := handle.read(_BLOCK):
            read += len(block)
            if max_bytes is not None and read > max_bytes:
                return None
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class _Copy:
    """The private copy of a file that the readers parse, and its hash."""

    path: Path
    sha256: str
    size: int


def _copy_name(path: Path) -> str:
    """The copy keeps the file's name (readers mention it in notes), unless the name is
    not plain UTF-8 or too long for a file system."""
    if display_path(path.name) == path.name and len(path.name.encode()) <= _MAX_NAME_BYTES:
        return path.name
    return f"{_COPY_STEM}{display_path(path.suffix)[:16]}"


def _snapshot(path: Path, folder: Path, shown: str) -> _Copy:
    """Copy a regular file into ``folder`` while hashing it (bounded by ``file_mb``).

    Raises:
        ReadError: not a regular file, cannot be read, or over the size limit.
    """
    fd = open_regular(path)
    target = folder / _copy_name(path)
    digest = hashlib.sha256()
    copied = 0
    with os.fdopen(fd, "rb") as source, target.open("wb") as out:
        limits_module.check_file_size(Path(shown), os.fstat(source.fileno()).st_size)
        while True:
            try:
                block = source.read(_BLOCK)
            except OSError as err:  # an I/O error half-way (a failing disk or share)
                raise os_error(path, err) from err
            if not block:
                break
            copied += len(block)
            limits_module.check_file_size(Path(shown), copied)  # it may grow as we read
            digest.update(block)
            out.write(block)
    return _Copy(path=target, sha256=digest.hexdigest(), size=copied)


def _storable(value: Any) -> Any:
    """The record with every lone surrogate in its text escaped (see ``safe_text``):
    a broken PDF font map or file name must not stop the store from writing it.
    Records without such text come back as the same object."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, tuple):
        items = tuple([_storable(v) for v in value])
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    changes = {}
    for name in _field_names(type(value)):
        old = getattr(value, name)
        new = _storable(old)
        if new is not old:
            changes[name] = new
    return replace(value, **changes) if changes else value


def _field_names(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass type (none for any other type), looked up once."""
    names = _FIELDS.get(kind)
    if names is None:
        fields = dataclasses.fields(kind) if dataclasses.is_dataclass(kind) else ()
        names = _FIELDS[kind] = tuple(f.name for f in fields)
    return names


_FIELDS: dict[type, tuple[str, ...]] = {}


def with_identity(
    result: DocumentResult,
    entry: ManifestEntry | None,
    known: Sequence[str] = (),
    stages: Stages = Stages(),
) -> DocumentResult:
    """Fill landlord, type, year and the version/year plausibility note.

    Manifest values win; what is missing is inferred from the document and marked
    inferred. ``known`` = canonical landlord names already stored, so names merge.
    """
    identity: LandlordIdentity = stages.identify(
        given=entry.landlord if entry else None,
        given_type=entry.landlord_type if entry else None,
        title_lines=result.title_lines,
        file_name=result.file_name,
        known=known,
    )
    year: YearDecision = stages.year(
        given=entry.assessment_year if entry else None,
        text_lines=result.title_lines,
        file_name=result.file_name,
    )
    notes = [n for n in (result.version.note if result.version else "",) if n]
    plausibility = stages.version_note(result.code_version, year.year)
    if plausibility:
        notes.append(plausibility)
    return replace(
        result,
        landlord=identity.name,
        landlord_raw=identity.raw,
        landlord_type=identity.landlord_type,
        landlord_inferred=identity.inferred,
        landlord_method=identity.method,
        assessment_year=year.year,
        year_raw=year.raw,
        year_inferred=year.inferred,
        year_note=year.note,
        version_note=" ".join(notes),
        url=(entry.url if entry else None) or result.url,
    )


def failed_result(
    shown: str, err: ChcError, *, sha256: str = "", size: int | None = None
) -> DocumentResult:
    """A failed DocumentResult for ``err`` (its code and sentence)."""
    return DocumentResult(
        path=shown,
        sha256=sha256,
        size_bytes=size,
        status="failed",
        error=str(err),
        error_code=err.code,
    )


def _in_user_terms(result: DocumentResult, copy: Path, shown: str) -> DocumentResult:
    """The result with the private copy's path and name (in messages and notes from the
    readers, and of its OCR'd copy) replaced by the user's file."""
    name = Path(shown).name
    pairs = [(str(copy.parent / f"{ocr_module.PREFIX}{copy.name}"), shown), (str(copy), shown)]
    if copy.name != name:
        pairs += [(f"{ocr_module.PREFIX}{copy.name}", name), (copy.name, name)]

    def fix(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    return replace(
        result,
        error=None if result.error is None else fix(result.error),
        notes=tuple(fix(n) for n in result.notes),
    )


def _extract(
    copy: Path, shown: str, stages: Stages, *, ocr: bool, seconds: float | None
) -> Extraction:
    """Run the reader on the copy; a scan is OCR'd first when ``ocr`` is on."""
    try:
        return stages.read(copy)
    except NoTextLayerError as err:
        if not ocr:
            raise NoTextLayerError(err.message, ocr_module.ocr_hint()) from err
    recognised = ocr_module.ocr_pdf(copy, copy.parent, shown=shown, seconds=seconds)
    extraction = stages.read(recognised)
    return replace(extraction, notes=(*extraction.notes, ocr_module.NOTE))


def _read_and_assess(
    path: Path, copy: _Copy, stages: Stages, *, ocr: bool, seconds: float | None
) -> DocumentResult:
    shown = display_path(path)
    base = DocumentResult(path=shown, sha256=copy.sha256, size_bytes=copy.size, status="ok")
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise UnsupportedFormatError(
            f"{shown}: the extension {display_path(path.suffix) or '(none)'} is not supported.",
            "chc reads .pdf, .docx, .html/.htm and .txt/.md files; convert the file first.",
        )
    try:
        extraction = _extract(copy.path, shown, stages, ocr=ocr, seconds=seconds)
    except NoAssessmentFoundError as err:
        return replace(base, status="no_assessment_found", notes=(str(err),))
    limits_module.check_rows(Path(shown), len(extraction.rows))
    rows = stages.to_rows(extraction.rows)
    assessed = stages.assess(rows, stages.reference(), context=extraction.title_lines)
    notes = list(extraction.notes)
    aligned = sum(1 for r in assessed.rows if r.provision_id is not None)
    status: DocumentStatus = "ok"
    if aligned == 0:
        status = "no_assessment_found"
        notes.append(
            f"{len(rows)} table rows were read but none matches a Complaint Handling Code "
            "provision; they are kept unaligned in assessments."
        )
    elif not holds_assessment(assessed):
        status = "no_assessment_found"
        notes.append(
            f"{aligned} passages quote the Complaint Handling Code but none is answered and "
            "no table has an answer column: a policy or report, not a self-assessment."
        )
    return replace(
        base,
        status=status,
        format=extraction.format,
        pages=extraction.pages,
        rows=assessed.rows,
        version=assessed.version,
        title_lines=extraction.title_lines,
        notes=tuple(notes),
        tables_set_aside=extraction.tables_set_aside,
    )


def _internal_error(shown: str, err: Exception) -> InternalError:
    return InternalError(
        f"{shown}: chc failed with an internal error ({type(err).__name__}: {err}).",
        "Please report this file with the traceback in documents.notes.",
    )


def process_file(
    path: Path,
    *,
    manifest: ManifestEntry | None = None,
    known: Sequence[str] = (),
    stages: Stages = Stages(),
    limits: Limits = Limits(),  # noqa: B008 - a frozen, immutable default
    ocr: bool = False,
    timeout: float | None = None,
    peak_report: Path | None = None,
    scratch: Path | None = None,
) -> DocumentResult:
    """Run one file through all stages; never raises for a bad document.

    A ChcError becomes ``status='failed'`` with its message; any other exception (a
    bug) also becomes ``failed``, with error code ``internal_error`` and the traceback
    in ``notes``, so one document never stops a batch.

    Args:
        path: the file.
        manifest: the user's metadata for this file, if any.
        known: canonical landlord names already in the database.
        stages: the stage functions (replace them in tests).
        limits: the bounds in force while the file is read.
        ocr: OCR a PDF without a text layer instead of failing it.
        timeout: the seconds the batch allows this document (OCR stops before them).
        peak_report: set by the batch in a worker process: the peak memory is kept in
            this file, and the worker ends itself when it crosses ``limits.memory_mb``.
        scratch: the folder for the private copy (the batch's own, which it removes
            even when it had to kill this worker); the system's temporary folder if None.

    Returns:
        The DocumentResult to store.
    """
    started = time.perf_counter()
    shown = display_path(path)
    ceiling = limits.memory_mb if peak_report is not None else None
    sha, size = "", None
    with (
        limits_module.applied(limits),
        watch_memory(ceiling, peak_report) as peak,
        tempfile.TemporaryDirectory(prefix="chc-", dir=scratch) as folder,
    ):
        copy = Path(folder) / _copy_name(path)
        try:
            snapshot = _snapshot(path, Path(folder), shown)
            sha, size = snapshot.sha256, snapshot.size
            result = _read_and_assess(path, snapshot, stages, ocr=ocr, seconds=timeout)
        except ChcError as err:
            result = failed_result(shown, err, sha256=sha, size=size)
        except Exception as err:  # a bug: keep the batch going, keep the traceback
            result = replace(
                failed_result(shown, _internal_error(shown, err), sha256=sha, size=size),
                notes=(traceback.format_exc(),),
            )
        result = _in_user_terms(_storable(result), copy, shown)
        result = with_identity(result, manifest, known, stages)
    seconds = round(time.perf_counter() - started, 3)
    return replace(result, seconds=seconds, peak_memory_mb=peak.mb)
