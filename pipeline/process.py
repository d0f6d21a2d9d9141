"""One file through every stage -> a DocumentResult (everything the store writes).

``process_file`` runs in a worker process of ``pipeline.batch``; its result is a frozen,
picklable record that the main process writes in one transaction. Stage functions are
injectable (``Stages``) so tests can run the batch machinery with fakes.
"""

from __future__ import annotations

import hashlib
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import psutil

from pipeline.columns import rows_to_assessment_rows
from pipeline.errors import ChcError, NoAssessmentFoundError, UnsupportedFormatError
from pipeline.extract import EXTENSION_FORMATS, read_document
from pipeline.landlord_identity import identify_landlord
from pipeline.landlords import LandlordIdentity
from pipeline.match import assess_document, holds_assessment
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
from pipeline.years import YearDecision, infer_year, version_year_note

SUPPORTED_EXTENSIONS = tuple(EXTENSION_FORMATS)


@dataclass(frozen=True, slots=True, kw_only=True)
class ManifestEntry:
    """What the user's manifest says about one file; None where the cell is blank."""

    file: str
    landlord: str | None = None
    landlord_type: str | None = None
    assessment_year: int | None = None
    url: str | None = None


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


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's content, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def peak_rss() -> Iterator[list[float]]:
    """Sample this process's resident memory while the block runs; yields a one-item list
    that holds the peak in MB on exit.

    Hand-written because ``resource.getrusage`` only gives the lifetime peak of a
    long-lived worker, not the peak while one document was processed.
    """
    proc = psutil.Process()
    peak = [proc.memory_info().rss]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.02):
            peak[0] = max(peak[0], proc.memory_info().rss)

    sampler = threading.Thread(target=sample, name="chc-peak-rss", daemon=True)
    sampler.start()
    out = [0.0]
    try:
        yield out
    finally:
        stop.set()
        sampler.join()
        peak[0] = max(peak[0], proc.memory_info().rss)
        out[0] = round(peak[0] / (1 << 20), 1)


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


def _failed(path: Path, sha: str, size: int | None, err: ChcError) -> DocumentResult:
    return DocumentResult(
        path=str(path),
        sha256=sha,
        size_bytes=size,
        status="failed",
        error=str(err),
        error_code=err.code,
    )


def _read_and_assess(path: Path, sha: str, size: int, stages: Stages) -> DocumentResult:
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise UnsupportedFormatError(
            f"{path}: the extension {path.suffix or '(none)'} is not supported.",
            "chc reads .pdf, .docx, .html/.htm and .txt/.md files; convert the file first.",
        )
    try:
        extraction = stages.read(path)
    except NoAssessmentFoundError as err:
        return DocumentResult(
            path=str(path),
            sha256=sha,
            size_bytes=size,
            status="no_assessment_found",
            notes=(str(err),),
        )
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
    return DocumentResult(
        path=str(path),
        sha256=sha,
        size_bytes=size,
        status=status,
        format=extraction.format,
        pages=extraction.pages,
        rows=assessed.rows,
        version=assessed.version,
        title_lines=extraction.title_lines,
        notes=tuple(notes),
        tables_set_aside=extraction.tables_set_aside,
    )


def process_file(
    path: Path,
    *,
    sha256: str | None = None,
    manifest: ManifestEntry | None = None,
    known: Sequence[str] = (),
    stages: Stages = Stages(),
) -> DocumentResult:
    """Run one file through all stages; never raises for a bad document.

    A ChcError becomes ``status='failed'`` with its message; any other exception (a
    bug) also becomes ``failed``, with error code ``internal_error`` and the traceback
    in ``notes``, so one document never stops a batch.

    Args:
        path: the file.
        sha256: its content hash if already known (the batch computes it to skip files).
        manifest: the user's metadata for this file, if any.
        known: canonical landlord names already in the database.
        stages: the stage functions (replace them in tests).

    Returns:
        The DocumentResult to store.
    """
    started = time.perf_counter()
    size: int | None = None
    sha = sha256 or ""
    with peak_rss() as peak:
        try:
            size = path.stat().st_size
            sha = sha or file_sha256(path)
            result = _read_and_assess(path, sha, size, stages)
        except ChcError as err:
            result = _failed(path, sha, size, err)
        except OSError as err:
            result = DocumentResult(
                path=str(path),
                sha256=sha,
                size_bytes=size,
                status="failed",
                error=f"{path}: cannot be read ({err.strerror}). Check that the file exists "
                "and is readable.",
                error_code="unreadable",
            )
        except Exception as err:  # a bug: keep the batch going, keep the traceback
            result = DocumentResult(
                path=str(path),
                sha256=sha,
                size_bytes=size,
                status="failed",
                error=f"{path}: chc failed with an internal error ({type(err).__name__}: "
                f"{err}). Please report this file with the traceback in documents.notes.",
                error_code="internal_error",
                notes=(traceback.format_exc(),),
            )
        result = with_identity(result, manifest, known, stages)
    return replace(result, seconds=round(time.perf_counter() - started, 3), peak_memory_mb=peak[0])
