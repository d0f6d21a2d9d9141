"""Runs the stages over many files: discovery, manifest, worker pool, timeouts, progress.

Workers run ``pipeline.process.process_file`` and return a DocumentResult; the main
process is the only database writer and stores each result in one transaction as it
arrives. Per-task timeouts use ``pebble.ProcessPool``: a plain ``multiprocessing`` pool
cannot kill one task, pebble kills the worker and starts a new one.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, as_completed
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
from pebble import ProcessExpired, ProcessPool
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pipeline import store
from pipeline.errors import UsageError
from pipeline.process import (
    SUPPORTED_EXTENSIONS,
    DocumentResult,
    ManifestEntry,
    Stages,
    file_sha256,
    process_file,
    with_identity,
)
from pipeline.records import LandlordType

DEFAULT_TIMEOUT = 120.0
# Workers are recycled after this many documents, so a reader that leaks memory cannot
# grow a worker without bound over a few thousand files.
TASKS_PER_WORKER = 50
_NOT_ASSESSMENTS = ("readme", "changelog", "license", "licence")
_LANDLORD_TYPES: dict[str, LandlordType] = {
    "council": "council",
    "local authority": "council",
    "housing association": "housing_association",
    "housing_association": "housing_association",
    "ha": "housing_association",
    "almo": "almo",
    "other": "other",
    "unknown": "unknown",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Discovery:
    """The files to ingest, and what was passed over in folders (counted, not failed)."""

    files: tuple[Path, ...]
    unsupported: int = 0
    not_assessments: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class Manifest:
    """The user's per-file metadata; ``entry_for`` finds a file's row."""

    directory: Path
    entries: tuple[ManifestEntry, ...]

    def entry_for(self, path: Path) -> ManifestEntry | None:
        """The entry whose ``file`` is ``path`` relative to the manifest's folder,
        else the entry with the same file name (first one)."""
        by_path, by_name = _manifest_index(self)
        return by_path.get(str(path.resolve())) or by_name.get(path.name)


@cache
def _manifest_index(
    manifest: Manifest,
) -> tuple[dict[str, ManifestEntry], dict[str, ManifestEntry]]:
    by_path: dict[str, ManifestEntry] = {}
    by_name: dict[str, ManifestEntry] = {}
    for entry in manifest.entries:
        by_path.setdefault(str((manifest.directory / entry.file).resolve()), entry)
        by_name.setdefault(Path(entry.file).name, entry)
    return by_path, by_name


@dataclass(frozen=True, slots=True, kw_only=True)
class FileOutcome:
    """What happened to one input file in a batch."""

    path: str
    document_id: str
    status: str  # ok / failed / no_assessment_found / skipped / duplicate
    error: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestSummary:
    """The result of ``ingest``; the exit code comes from it.

    Attributes:
        outcomes: one per file handled (processed or skipped), in completion order.
        unsupported: files in folders passed over for their extension.
        not_assessments: README/CHANGELOG files in folders passed over.
        seconds: wall time of the batch.
    """

    outcomes: tuple[FileOutcome, ...]
    unsupported: int = 0
    not_assessments: tuple[str, ...] = ()
    seconds: float = 0.0

    def count(self, status: str) -> int:
        """Number of files that ended with ``status``."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        """0 when nothing failed, 1 when at least one file failed (contract)."""
        return 1 if self.count("failed") else 0

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (for ``chc ingest --json``)."""
        return {
            "ok": self.count("ok"),
            "failed": self.count("failed"),
            "no_assessment_found": self.count("no_assessment_found"),
            "skipped_unchanged": self.count("skipped"),
            "skipped_duplicate": self.count("duplicate"),
            "skipped_unsupported": self.unsupported,
            "skipped_not_assessments": list(self.not_assessments),
            "seconds": round(self.seconds, 2),
            "exit_code": self.exit_code,
            "files": [
                {
                    "path": o.path,
                    "document_id": o.document_id,
                    "status": o.status,
                    "error": o.error,
                    "seconds": o.seconds,
                }
                for o in self.outcomes
            ],
        }


def _is_not_assessment(path: Path) -> bool:
    return path.suffix.lower() in {".md", ".txt"} and path.name.lower().startswith(_NOT_ASSESSMENTS)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def discover(paths: Sequence[Path]) -> Discovery:
    """Expand files and folders (recursively, hidden entries skipped) into input files.

    A file named on the command line is always processed (an unsupported one fails with
    its reason); in folders, unsupported extensions and README/CHANGELOG files are
    passed over and counted.

    Raises:
        UsageError: a path does not exist.
    """
    files: list[Path] = []
    unsupported = 0
    not_assessments: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        if not given.exists():
            raise UsageError(f"No such file or folder: {given}.", "Check the path and retry.")
    # Named files first, so a named file is processed even if a named folder holds it.
    for given in sorted(paths, key=lambda p: not p.is_file()):
        found = [given] if given.is_file() else list(_walk(given))
        for path in found:
            key = path.resolve()
            if key in seen:
                continue
            seen.add(key)
            if path is given:
                files.append(path)
            elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                unsupported += 1
            elif _is_not_assessment(path):
                not_assessments.append(path)
            else:
                files.append(path)
    return Discovery(
        files=tuple(files), unsupported=unsupported, not_assessments=tuple(not_assessments)
    )


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def load_manifest(path: Path) -> Manifest:
    """Read a manifest CSV (``file,landlord,landlord_type,assessment_year,url``; other
    columns ignored, any cell may be blank).

    Raises:
        UsageError: missing file, no ``file`` column, a bad year or landlord type.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise UsageError(
            f"Cannot read the manifest {path}: {err.strerror}.", "Check the --manifest path."
        ) from err
    reader = csv.DictReader(text.splitlines())
    if "file" not in (reader.fieldnames or []):
        raise UsageError(
            f"The manifest {path} has no 'file' column.",
            "The first line must name the columns: file,landlord,landlord_type,"
            "assessment_year,url.",
        )
    entries: list[ManifestEntry] = []
    for line, row in enumerate(reader, start=2):
        file = _blank(row.get("file"))
        if file is None:
            continue
        year_text = _blank(row.get("assessment_year"))
        year: int | None = None
        if year_text is not None:
            if not year_text.isdigit() or not 2019 <= int(year_text) <= 2100:
                raise UsageError(
                    f"Manifest {path}, line {line}: assessment_year {year_text!r} is not a year.",
                    "Write a four-digit year such as 2024, or leave the cell blank.",
                )
            year = int(year_text)
        kind = _blank(row.get("landlord_type"))
        if kind is not None:
            normal = _LANDLORD_TYPES.get(kind.lower().replace("-", " "))
            if normal is None:
                raise UsageError(
                    f"Manifest {path}, line {line}: landlord_type {kind!r} is not known.",
                    "Use council, housing_association, almo or other (or leave it blank).",
                )
            kind = normal
        entries.append(
            ManifestEntry(
                file=file,
                landlord=_blank(row.get("landlord")),
                landlord_type=kind,
                assessment_year=year,
                url=_blank(row.get("url")),
            )
        )
    return Manifest(directory=path.resolve().parent, entries=tuple(entries))


def _abandoned(path: Path, sha: str, *, code: str, error: str, seconds: float) -> DocumentResult:
    return DocumentResult(
        path=str(path),
        sha256=sha,
        status="failed",
        error=error,
        error_code=code,
        seconds=seconds,
    )


def _result_of(
    future: Future[DocumentResult], path: Path, sha: str, timeout: float
) -> DocumentResult:
    try:
        return future.result()
    except FutureTimeout:
        return _abandoned(
            path,
            sha,
            code="timeout",
            error=f"{path}: reading took longer than {timeout:g} s and was stopped. "
            f"If the file is very large, rerun it alone with a longer limit: "
            f"`chc ingest '{path}' --timeout {max(600, int(timeout) * 5)} --force`.",
            seconds=timeout,
        )
    except BrokenProcessPool:
        raise
    except ProcessExpired as err:
        return _abandoned(
            path,
            sha,
            code="worker_died",
            error=f"{path}: the worker process died (exit code {err.exitcode}) while "
            "reading it, probably out of memory or a crash in a PDF library. Try it alone "
            "with --workers 1; if it dies again, report the file.",
            seconds=0.0,
        )
    except Exception as err:  # a bug outside process_file's own guard (e.g. pickling)
        return _abandoned(
            path,
            sha,
            code="internal_error",
            error=f"{path}: chc failed with an internal error ({type(err).__name__}: {err}). "
            "Please report this file.",
            seconds=0.0,
        )


def _progress(console: Console, enabled: bool) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "ok {task.fields[ok]} · skipped {task.fields[skipped]} · failed {task.fields[failed]}"
        ),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=not enabled,
        transient=False,
    )


def _pool(workers: int) -> ProcessPool:
    # forkserver: workers are forked from a clean server process (with pipeline.process
    # preloaded), not from this process, which holds DuckDB threads and a progress thread.
    # pipeline.preload loads the readers, the reference and spaCy there, once a batch.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.process", "pipeline.preload"])
    return ProcessPool(max_workers=workers, max_tasks=TASKS_PER_WORKER, context=context)


def _plan(
    con: duckdb.DuckDBPyConnection, files: Sequence[Path], *, force: bool
) -> tuple[list[tuple[Path, str]], list[FileOutcome]]:
    """Hash every file; split into work to do and files skipped (stored or duplicate).

    A file stored as failed is tried again: the failure may have been a timeout or a
    since-fixed bug, and a batch that still holds failed files must exit 1.
    """
    stored = store.stored_hashes(con)
    todo: list[tuple[Path, str]] = []
    skipped: list[FileOutcome] = []
    in_batch: set[str] = set()
    for path in files:
        try:
            sha = file_sha256(path)
        except OSError:
            sha = ""  # process_file records why it cannot be read
        unchanged = sha in stored and stored[sha] != "failed" and not force
        if sha and (sha in in_batch or unchanged):
            store.record_path(con, sha[:16], str(path))
            status = "duplicate" if sha in in_batch else "skipped"
            skipped.append(FileOutcome(path=str(path), document_id=sha[:16], status=status))
        else:
            in_batch.add(sha)
            todo.append((path, sha))
    return todo, skipped


@dataclass(slots=True, kw_only=True)
class _Job:
    """The mutable state of one running batch (main process only)."""

    con: duckdb.DuckDBPyConnection
    manifest: Manifest | None
    known: list[str]
    stages: Stages
    timeout: float
    outcomes: list[FileOutcome]
    show: Callable[[], None] = lambda: None

    def counts(self) -> dict[str, int]:
        failed = sum(1 for o in self.outcomes if o.status == "failed")
        skipped = sum(1 for o in self.outcomes if o.status in ("skipped", "duplicate"))
        return {"ok": len(self.outcomes) - failed - skipped, "skipped": skipped, "failed": failed}

    def entry(self, path: Path) -> ManifestEntry | None:
        return self.manifest.entry_for(path) if self.manifest else None

    def run(self, todo: Sequence[tuple[Path, str]], workers: int) -> None:
        with _pool(workers) as pool:
            futures: dict[Future[DocumentResult], tuple[Path, str]] = {}
            for path, sha in todo:
                options = {
                    "sha256": sha or None,
                    "manifest": self.entry(path),
                    "known": tuple(self.known),
                    "stages": self.stages,
                }
                future = pool.schedule(
                    process_file, args=(path,), kwargs=options, timeout=self.timeout
                )
                futures[future] = (path, sha)
            try:
                for done in as_completed(futures):
                    path, sha = futures[done]
                    self.store(_result_of(done, path, sha, self.timeout))
            except BaseException:
                pool.stop()  # type: ignore[no-untyped-call]
                raise

    def store(self, result: DocumentResult) -> None:
        # Identity again here, against the names stored so far in this batch too.
        result = with_identity(result, self.entry(Path(result.path)), self.known, self.stages)
        store.write_document(self.con, result)
        if result.landlord and result.landlord not in self.known:
            self.known.append(result.landlord)
        self.outcomes.append(
            FileOutcome(
                path=result.path,
                document_id=result.document_id,
                status=result.status,
                error=result.error,
                seconds=result.seconds,
            )
        )
        self.show()


def ingest(
    paths: Sequence[Path],
    db_path: Path,
    *,
    manifest: Manifest | None = None,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    force: bool = False,
    stages: Stages = Stages(),  # noqa: B008 - a frozen, immutable default
    progress: bool = True,
    console: Console | None = None,
) -> IngestSummary:
    """Ingest files and folders into the database; one bad document never stops the batch.

    Files whose content hash is stored are skipped unless ``force``; the same content at
    a second path is stored once (the path goes to ``document_paths``).

    Args:
        paths: files and folders (recursive).
        db_path: the DuckDB file (created if missing).
        manifest: per-file metadata; what is missing is inferred from the document.
        workers: worker processes (default: CPU count).
        timeout: seconds per document before its worker is killed and it is failed.
        force: re-ingest files already stored.
        stages: the stage functions (replace them in tests).
        progress: show a progress bar on ``console`` (stderr by default).
        console: where progress goes.

    Returns:
        An IngestSummary; ``exit_code`` is 1 if any file failed.

    Raises:
        UsageError: bad arguments or paths, unreadable database.
        DatabaseInUseError: another process is writing the database.
    """
    started = time.perf_counter()
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    if n_workers < 1:
        raise UsageError(f"--workers must be at least 1, not {n_workers}.", "Try --workers 2.")
    if timeout <= 0:
        raise UsageError(f"--timeout must be positive, not {timeout:g}.", "Try --timeout 120.")
    found = discover(paths)
    console = console or Console(stderr=True)
    con = store.open_db(db_path, stages.reference())
    try:
        todo, outcomes = _plan(con, found.files, force=force)
        job = _Job(
            con=con,
            manifest=manifest,
            known=list(store.known_landlords(con)),
            stages=stages,
            timeout=timeout,
            outcomes=outcomes,
        )
        with _progress(console, progress) as bar:
            task = bar.add_task(
                "ingest", total=len(found.files), completed=0, ok=0, skipped=0, failed=0
            )

            def show() -> None:
                c = job.counts()
                bar.update(
                    task,
                    completed=len(job.outcomes),
                    ok=c["ok"],
                    skipped=c["skipped"],
                    failed=c["failed"],
                )

            job.show = show
            job.show()
            if todo:
                job.run(todo, min(n_workers, len(todo)))
    finally:
        con.close()
    return IngestSummary(
        outcomes=tuple(outcomes),
        unsupported=found.unsupported,
        not_assessments=tuple(str(p) for p in found.not_assessments),
        seconds=time.perf_counter() - started,
    )
