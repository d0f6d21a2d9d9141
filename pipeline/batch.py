"""Runs the stages over many files: discovery, plan, worker pool, limits, progress, signals.

Workers run ``pipeline.process.process_file`` and return a DocumentResult; the main
process is the only database writer and stores each result in one transaction as it
arrives. Per-task timeouts use ``pebble.ProcessPool``: a plain ``multiprocessing`` pool
cannot kill one task, pebble kills the worker and starts a new one. A worker that
crosses its memory ceiling ends itself with ``resources.MEMORY_EXIT_CODE``; its peak
memory, also of a worker killed for time, is read from the small file it keeps.

Ctrl-C and SIGTERM stop the workers; the document being written, if any, is finished
first, so nothing is half-written, and a rerun skips what was stored.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import psutil
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

from pipeline import dbfile, store
from pipeline.discover import Discovery, discover, os_error
from pipeline.errors import (
    ChcError,
    DocumentTimeoutError,
    IngestInterrupted,
    InternalError,
    MemoryLimitError,
    ReadError,
    UsageError,
    WorkerDiedError,
)
from pipeline.extract.limits import Limits
from pipeline.interrupt import Signals, Stop, StopCounts, interrupted, stop_on_signals
from pipeline.manifest import Manifest, ManifestEntry, load_manifest
from pipeline.ocr import require_ocr
from pipeline.pathnames import display_path
from pipeline.process import (
    DocumentResult,
    Stages,
    failed_result,
    file_sha256,
    process_file,
    with_identity,
)
from pipeline.resources import MEMORY_EXIT_CODE, ignore_interrupts, read_report

__all__ = [
    "DEFAULT_TIMEOUT",
    "Discovery",
    "FileOutcome",
    "IngestSummary",
    "Manifest",
    "check_options",
    "discover",
    "ingest",
    "load_manifest",
]

DEFAULT_TIMEOUT = 120.0
# Workers are recycled after this many documents, so a reader that leaks memory cannot
# grow a worker without bound over a few thousand files.
TASKS_PER_WORKER = 50
MAX_WORKERS_PER_CPU = 4
_PROGRESS_EVERY_S = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class FileOutcome:
    """What happened to one input file in a batch.

    ``status``: ok / failed / no_assessment_found (stored); skipped (unchanged) /
    duplicate (same content at another path) / not_read (not a regular file, in a
    folder; ``error`` says what it is).
    """

    path: str
    document_id: str
    status: str
    error: str | None = None
    error_code: str | None = None
    seconds: float = 0.0
    peak_memory_mb: float | None = None


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
            "skipped_not_regular": self.count("not_read"),
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
                    "error_code": o.error_code,
                    "seconds": o.seconds,
                    "peak_memory_mb": o.peak_memory_mb,
                }
                for o in self.outcomes
            ],
        }


def check_options(workers: int | None, timeout: float) -> int:
    """The number of workers to start, after checking ``--workers`` and ``--timeout``.

    Raises:
        UsageError: workers below 1 or far above the CPU count; a timeout that is not a
            positive, finite number of seconds (0, negative, nan, inf).
    """
    cpus = os.cpu_count() or 1
    n_workers = workers if workers is not None else cpus
    if n_workers < 1:
        raise UsageError(f"--workers must be at least 1, not {n_workers}.", "Try --workers 2.")
    if n_workers > MAX_WORKERS_PER_CPU * cpus:
        raise UsageError(
            f"--workers {n_workers} is more than {MAX_WORKERS_PER_CPU} per CPU core "
            f"(this machine has {cpus}); each worker needs its own memory.",
            f"Use at most --workers {MAX_WORKERS_PER_CPU * cpus}.",
        )
    if not math.isfinite(timeout) or timeout <= 0:
        raise UsageError(
            f"--timeout must be a positive number of seconds, not {timeout:g}.",
            f"Try --timeout {DEFAULT_TIMEOUT:g}.",
        )
    return n_workers


def _outcome(result: DocumentResult) -> FileOutcome:
    return FileOutcome(
        path=result.path,
        document_id=result.document_id,
        status=result.status,
        error=result.error,
        error_code=result.error_code,
        seconds=result.seconds,
        peak_memory_mb=result.peak_memory_mb,
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
    return ProcessPool(
        max_workers=workers,
        max_tasks=TASKS_PER_WORKER,
        initializer=ignore_interrupts,  # Ctrl-C reaches the workers too; the batch decides
        context=context,
    )


@dataclass(frozen=True, slots=True)
class _Task:
    path: Path
    sha: str
    peak_report: Path


@dataclass(slots=True, kw_only=True)
class _Plan:
    todo: list[tuple[Path, str]] = field(default_factory=list)
    skipped: list[FileOutcome] = field(default_factory=list)
    unreadable: list[DocumentResult] = field(default_factory=list)
    # Content seen at more than one path in this batch: sha -> the later paths, which
    # get the outcome of the first one once it is known.
    duplicates: dict[str, list[Path]] = field(default_factory=dict)


def _plan(
    con: duckdb.DuckDBPyConnection, files: Sequence[Path], *, limits: Limits, force: bool
) -> _Plan:
    """Hash every file; split into work to do, files skipped (stored or duplicate) and
    files that cannot be read at all (failed here, no worker needed).

    A file stored as failed is tried again: the failure may have been a timeout or a
    since-fixed bug, and a batch that still holds failed files must exit 1. A file over
    the size limit is not hashed; its worker fails it as too large.
    """
    stored = store.stored_hashes(con)
    plan = _Plan()
    in_batch: set[str] = set()
    for path in files:
        try:
            sha = file_sha256(path, max_bytes=int(limits.file_mb * (1 << 20))) or ""
        except ReadError as err:
            plan.unreadable.append(failed_result(display_path(path), err))
            continue
        except OSError as err:
            plan.unreadable.append(failed_result(display_path(path), os_error(path, err)))
            continue
        unchanged = sha in stored and stored[sha] != "failed" and not force
        if sha and sha in in_batch:
            plan.duplicates.setdefault(sha, []).append(path)
        elif sha and unchanged:
            shown = display_path(path)
            store.record_path(con, sha[:16], shown)
            plan.skipped.append(FileOutcome(path=shown, document_id=sha[:16], status="skipped"))
        else:
            in_batch.add(sha)
            plan.todo.append((path, sha))
    return plan


@dataclass(slots=True, kw_only=True)
class _Job:
    """The mutable state of one running batch (main process only)."""

    con: duckdb.DuckDBPyConnection
    db_path: Path
    manifest: Manifest | None
    known: list[str]
    stages: Stages
    limits: Limits
    ocr: bool
    timeout: float
    total: int
    outcomes: list[FileOutcome]
    reports: Path
    duplicates: dict[str, list[Path]] = field(default_factory=dict)
    signals: Signals = field(default_factory=Signals)
    started_at: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))
    last_progress: float = 0.0
    show: Callable[[], None] = lambda: None

    def counts(self) -> dict[str, int]:
        def n(*statuses: str) -> int:
            return sum(1 for o in self.outcomes if o.status in statuses)

        return {
            "ok": n("ok", "no_assessment_found"),
            "skipped": n("skipped", "duplicate", "not_read"),
            "failed": n("failed"),
        }

    def entry(self, path: Path) -> ManifestEntry | None:
        return self.manifest.entry_for(path) if self.manifest else None

    def write_progress(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_progress < _PROGRESS_EVERY_S:
            return
        self.last_progress = now
        c = self.counts()
        dbfile.write_progress(
            self.db_path,
            dbfile.IngestProgress(
                pid=os.getpid(),
                started_at=self.started_at,
                updated_at=datetime.now().isoformat(timespec="seconds"),
                total=self.total,
                done=len(self.outcomes),
                ok=c["ok"],
                failed=c["failed"],
                skipped=c["skipped"],
                pid_created=psutil.Process().create_time(),
            ),
        )

    def add(self, outcome: FileOutcome) -> None:
        self.outcomes.append(outcome)
        self.write_progress()
        self.show()

    def run(self, todo: Sequence[tuple[Path, str]], workers: int) -> None:
        with _pool(workers) as pool:
            futures: dict[Future[DocumentResult], _Task] = {}
            for number, (path, sha) in enumerate(todo):
                task = _Task(path, sha, self.reports / f"{number}.peak")
                options = {
                    "manifest": self.entry(path),
                    "known": tuple(self.known),
                    "stages": self.stages,
                    "limits": self.limits,
                    "ocr": self.ocr,
                    "timeout": self.timeout,
                    "peak_report": task.peak_report,
                    "scratch": self.reports,
                }
                future = pool.schedule(
                    process_file, args=(path,), kwargs=options, timeout=self.timeout
                )
                futures[future] = task
            try:
                for done in as_completed(futures):
                    task = futures[done]
                    self.store(self.result_of(done, task), self.entry(task.path), task.sha)
            except BaseException:
                pool.stop()  # type: ignore[no-untyped-call]
                pool.join()
                raise

    def result_of(self, future: Future[DocumentResult], task: _Task) -> DocumentResult:
        shown = display_path(task.path)
        report = read_report(task.peak_report)  # also for a worker that was killed
        try:
            return future.result()
        except FutureTimeout:
            err: ChcError = DocumentTimeoutError(
                f"{shown}: reading took longer than {self.timeout:g} s and was stopped.",
                "If the file is very large, rerun it alone with a longer limit: "
                f"`chc ingest '{shown}' --timeout {max(600, int(self.timeout) * 5)} --force`.",
            )
            seconds = self.timeout
        except BrokenProcessPool:
            raise
        except ProcessExpired as expired:
            err = self.expired(shown, expired.exitcode)
            seconds = report.seconds() if report else 0.0
        except Exception as bug:  # a bug outside process_file's own guard (e.g. pickling)
            err = InternalError(
                f"{shown}: chc failed with an internal error ({type(bug).__name__}: {bug}).",
                "Please report this file.",
            )
            seconds = 0.0
        failed = failed_result(shown, err, sha256=task.sha)
        return replace(failed, seconds=seconds, peak_memory_mb=report.peak_mb if report else None)

    def expired(self, shown: str, exitcode: int | None) -> ChcError:
        if exitcode == MEMORY_EXIT_CODE:
            ceiling = self.limits.memory_mb
            return MemoryLimitError(
                f"{shown}: reading it took more than {ceiling} MB of memory (the ceiling per "
                "worker), so its worker was stopped; the batch went on.",
                "If it is a genuine self-assessment, rerun it alone with a higher ceiling: "
                f"`chc ingest '{shown}' --workers 1 --limit memory_mb={ceiling * 4} --force`.",
            )
        how = f"exit code {exitcode}"
        if exitcode is not None and exitcode < 0:
            how = f"killed by signal {signal.Signals(-exitcode).name}"
        return WorkerDiedError(
            f"{shown}: the worker process died ({how}) while reading it, probably out of "
            "memory or a crash in a PDF library.",
            "Try it alone with --workers 1; if it dies again, report the file.",
        )

    def store(self, result: DocumentResult, entry: ManifestEntry | None, planned: str = "") -> None:
        """Write one result (identity first); a result the store refuses becomes an
        ``internal_error`` record, so one document never stops the batch. Paths found
        with the same content (hash ``planned``) are recorded with it."""
        self.signals.writing = True
        try:
            try:
                result = with_identity(result, entry, self.known, self.stages)
                store.write_document(self.con, result)
            except Exception as bug:
                err = InternalError(
                    f"{result.path}: the result could not be stored ({type(bug).__name__}: {bug}).",
                    "Please report this file with the traceback in documents.notes.",
                )
                result = replace(
                    failed_result(result.path, err, sha256=result.sha256),
                    notes=(traceback.format_exc(),),
                )
                store.write_document(self.con, result)
            for path in self.duplicates.pop(planned, []) if planned else []:
                self.duplicate(path, result)
        finally:
            self.signals.writing = False
        if result.landlord and result.landlord not in self.known:
            self.known.append(result.landlord)
        self.add(_outcome(result))
        self.signals.check()

    def duplicate(self, path: Path, original: DocumentResult) -> None:
        """Another path with the content of ``original``: stored once, reported with
        the original's outcome when that failed."""
        shown = display_path(path)
        store.record_path(self.con, original.document_id, shown)
        outcome = FileOutcome(path=shown, document_id=original.document_id, status="duplicate")
        if original.status == "failed":
            outcome = replace(
                outcome,
                status="failed",
                error_code=original.error_code,
                error=f"{shown}: the same content as {original.path}, which failed: "
                f"{original.error}",
            )
        self.add(outcome)


def _interrupted(job: _Job | None, signum: int) -> IngestInterrupted:
    if job is None:
        return interrupted(signum, None)
    c = job.counts()
    stored = sum(1 for o in job.outcomes if o.status in ("ok", "no_assessment_found", "failed"))
    return interrupted(
        signum, StopCounts(stored=stored, read=c["ok"], failed=c["failed"],
                         skipped=c["skipped"], not_done=job.total - len(job.outcomes)),
    )  # fmt: skip


def ingest(
    paths: Sequence[Path],
    db_path: Path,
    *,
    manifest: Manifest | None = None,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    force: bool = False,
    limits: Limits = Limits(),  # noqa: B008 - a frozen, immutable default
    ocr: bool = False,
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
        limits: bounds on each document (size, pages, memory...).
        ocr: OCR PDFs that have no text layer (needs OCRmyPDF and Tesseract).
        stages: the stage functions (replace them in tests).
        progress: show a progress bar on ``console`` (stderr by default).
        console: where progress goes.

    Returns:
        An IngestSummary; ``exit_code`` is 1 if any file failed.

    Raises:
        UsageError: bad arguments or paths, unreadable database, OCR not installed.
        DatabaseInUseError: another process holds the database.
        IngestInterrupted: Ctrl-C or SIGTERM; every document stored so far is complete.
    """
    started = time.perf_counter()
    n_workers = check_options(workers, timeout)
    if ocr:
        require_ocr()
    signals = Signals()
    jobs: list[_Job] = []
    with stop_on_signals(signals):
        try:
            found = discover(paths)
            con = store.open_db(db_path, stages.reference())
            try:
                # The workers' peak reports and private copies: removed at the end, also
                # what a worker killed for time or memory could not remove itself.
                with tempfile.TemporaryDirectory(prefix="chc-batch-") as reports:
                    job = _Job(
                        con=con,
                        db_path=db_path,
                        manifest=manifest,
                        known=list(store.known_landlords(con)),
                        stages=stages,
                        limits=limits,
                        ocr=ocr,
                        timeout=timeout,
                        total=len(found.files) + len(found.problems),
                        outcomes=[],
                        reports=Path(reports),
                        signals=signals,
                    )
                    jobs.append(job)
                    job.write_progress(force=True)
                    _run(job, found, n_workers, console or Console(stderr=True), progress, force)
            finally:
                con.close()
                dbfile.remove_progress(db_path)
        except Stop as stop:
            raise _interrupted(jobs[0] if jobs else None, stop.signum) from None
    return IngestSummary(
        outcomes=tuple(job.outcomes),
        unsupported=found.unsupported,
        not_assessments=tuple(display_path(p) for p in found.not_assessments),
        seconds=time.perf_counter() - started,
    )


def _run(
    job: _Job, found: Discovery, workers: int, console: Console, progress: bool, force: bool
) -> None:
    with _progress(console, progress) as bar:
        task = bar.add_task("ingest", total=job.total, completed=0, ok=0, skipped=0, failed=0)

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
        for problem in found.problems:
            shown = display_path(problem.path)
            if problem.skipped:
                job.add(
                    FileOutcome(
                        path=shown,
                        document_id="",
                        status="not_read",
                        error=str(problem.error),
                        error_code=problem.error.code,
                    )
                )
            else:
                job.store(failed_result(shown, problem.error), job.entry(problem.path))
        plan = _plan(job.con, found.files, limits=job.limits, force=force)
        job.duplicates = plan.duplicates
        for outcome in plan.skipped:
            job.add(outcome)
        for result in plan.unreadable:
            job.store(result, None)
        if plan.todo:
            job.run(plan.todo, min(workers, len(plan.todo)))
        job.write_progress(force=True)
