"""The database file as a file: what it is before DuckDB opens it, who holds it open,
and how far a running ingest has got.

* ``check_database_file``: ``--db`` must be missing (chc creates it) or start with
  DuckDB's header; a SQLite file, a CSV or a FIFO is refused before DuckDB sees it.
* ``DUCKDB_CONFIG``: DuckDB never installs or loads an extension by itself (given a
  SQLite file it would otherwise try to download one).
* ``in_use_error``: "database in use" names the process holding the lock (DuckDB puts
  its PID in the message; psutil describes it), or the ingest and its progress.
* The progress file (``DB.progress.json``): a running ingest keeps its counts there, so
  ``chc status`` can show them while DuckDB's lock keeps every other reader out.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import psutil

from pipeline.discover import open_regular
from pipeline.errors import DatabaseInUseError, NotADatabaseError, ReadError, UsageError
from pipeline.pathnames import display_path

DUCKDB_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
# DuckDB files: an 8-byte checksum, then the magic bytes "DUCK".
_MAGIC = b"DUCK"
_MAGIC_AT = 8
_OTHER_FORMATS = (
    (b"SQLite format 3\x00", "a SQLite database"),
    (b"PAR1", "a Parquet file"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (such as an Excel or Word file)"),
)
_PID = re.compile(r"\(PID (\d+)\)")
_NEW_DB_HINT = "Pass --db with a DuckDB file written by chc, or a new file name (chc creates it)."


def _kind_of(head: bytes) -> str:
    for magic, kind in _OTHER_FORMATS:
        if head.startswith(magic):
            return kind
    if not head.strip():
        return "empty"
    return "not a DuckDB database" if b"\x00" in head else "a text file"


def check_database_file(db_path: Path) -> None:
    """Refuse a ``--db`` that exists but is not a DuckDB database, by its header.

    Raises:
        UsageError: the path is a folder.
        NotADatabaseError: a FIFO, device or other file that is not DuckDB's.
    """
    shown = display_path(db_path)
    try:
        mode = os.stat(db_path).st_mode
    except FileNotFoundError:
        return  # a new database
    except OSError as err:
        raise NotADatabaseError(
            f"Cannot use {shown} as the database: {err.strerror}.", _NEW_DB_HINT
        ) from err
    if stat.S_ISDIR(mode):
        raise UsageError(f"{shown} is a folder, not a database file.", "Pass --db FILE.")
    try:
        with os.fdopen(open_regular(db_path), "rb") as handle:
            head = handle.read(64)
    except ReadError as err:
        raise NotADatabaseError(
            f"Cannot use it as the database: {err.message}", _NEW_DB_HINT
        ) from err
    if head[_MAGIC_AT : _MAGIC_AT + len(_MAGIC)] == _MAGIC:
        return
    kind = _kind_of(head)
    what = "is empty (0 bytes)" if kind == "empty" else f"is {kind}"
    raise NotADatabaseError(
        f"{shown} {what}, not a DuckDB database; chc did not open it.", _NEW_DB_HINT
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestProgress:
    """How far a running ingest has got (the content of the progress file)."""

    pid: int
    started_at: str  # ISO 8601, local time
    updated_at: str
    total: int
    done: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    # When the process started (psutil's create_time), so that a file left by a killed
    # ingest is not taken for a new process that was given the same id.
    pid_created: float = 0.0

    def sentence(self) -> str:
        """One line for ``chc status``, ``report`` and ``export``."""
        started = self.started_at.replace("T", " ")[:19]
        return (
            f"`chc ingest` (process {self.pid}) has been writing it since {started}: "
            f"{self.done} of {self.total} files done ({self.ok} stored, {self.failed} "
            f"failed, {self.skipped} skipped), last update {self.updated_at[11:19]}."
        )


def progress_path(db_path: Path) -> Path:
    """Where an ingest into ``db_path`` keeps its progress."""
    return db_path.with_name(db_path.name + ".progress.json")


def write_progress(db_path: Path, progress: IngestProgress) -> None:
    """Replace the progress file atomically; best effort (an ingest never fails for it)."""
    target = progress_path(db_path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        temporary.write_text(json.dumps(asdict(progress)), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        return


def remove_progress(db_path: Path) -> None:
    """Remove the progress file of a finished ingest (if it is this process's)."""
    found = read_progress(db_path)
    if found is None or found.pid == os.getpid():
        progress_path(db_path).unlink(missing_ok=True)


def read_progress(db_path: Path) -> IngestProgress | None:
    """The progress of the ingest holding ``db_path``, or None when there is no live one
    (no file, a damaged file, or its process has ended)."""
    try:
        data = json.loads(progress_path(db_path).read_text(encoding="utf-8"))
        progress = IngestProgress(**data)
    except (OSError, ValueError, TypeError):
        return None
    return progress if _alive(progress.pid, progress.pid_created) else None


def _alive(pid: int, created: float) -> bool:
    try:
        started = psutil.Process(pid).create_time()
    except psutil.Error:
        return False
    return not created or abs(started - created) < 1.0


def _describe(pid: int) -> str:
    try:
        proc = psutil.Process(pid)
        with proc.oneshot():
            command = " ".join(proc.cmdline()) or proc.name()
            since = datetime.fromtimestamp(proc.create_time()).strftime("%Y-%m-%d %H:%M")
            user = proc.username()
    except psutil.Error:
        return f"process {pid}"
    if len(command) > 120:  # keep the program and the end (a notebook's kernel file)
        command = f"{command[:60]} ... {command[-55:]}"
    return f"process {pid} ({command}; user {user}, running since {since})"


def in_use_error(db_path: Path, err: Exception) -> DatabaseInUseError:
    """The DatabaseInUseError for DuckDB's lock error ``err``, naming the holder."""
    shown = display_path(db_path)
    found = _PID.search(str(err))
    pid = int(found.group(1)) if found else None
    progress = read_progress(db_path)
    if progress is not None and pid in (None, progress.pid):
        return DatabaseInUseError(
            f"The database {shown} is in use: {progress.sentence()}",
            f"Wait for it to finish (`chc status --db {shown}` shows its progress), or stop "
            f"it with Ctrl-C or `kill {progress.pid}`; use another --db to work in parallel.",
        )
    if pid is None:
        return DatabaseInUseError(
            f"The database {shown} is in use by another connection ({err}).",
            "Close the other connection or program, then run again.",
        )
    return DatabaseInUseError(
        f"The database {shown} is in use by {_describe(pid)}.",
        "Close the database in that program (e.g. `con.close()` in a notebook) or stop it, "
        "then run again; use another --db to work in parallel.",
    )
