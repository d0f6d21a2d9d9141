"""Discovery: which files an ingest reads, and what it passes over or fails, and why.

Only regular files are ever opened. Everything is decided from ``stat``, which never
blocks: a FIFO, device or socket in a folder is skipped with its reason before anything
reads it; a symbolic link that loops or dangles, or a file the system will not show,
fails with its reason; a path named on the command line that is not a regular file
fails (it is counted and reported, never dropped). The same checks, on an open file
descriptor, guard the worker that reads the file (``open_regular``), so a file swapped
for a FIFO after discovery still cannot hang the batch.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import (
    BrokenLinkError,
    NotRegularFileError,
    ReadError,
    SymlinkLoopError,
    UnreadableFileError,
    UsageError,
)
from pipeline.extract import EXTENSION_FORMATS
from pipeline.pathnames import display_path

SUPPORTED_EXTENSIONS = tuple(EXTENSION_FORMATS)
_NOT_ASSESSMENTS = ("readme", "changelog", "license", "licence")
_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileProblem:
    """A path that is not read, with the error saying why.

    Attributes:
        path: the path as found.
        error: what is wrong (its code and sentence are reported).
        skipped: True for a non-regular file met in a folder (reported, not a
            failure); False for a failure, stored as a failed document.
    """

    path: Path
    error: ReadError
    skipped: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Discovery:
    """The files to ingest, and what was passed over (counted) or not readable."""

    files: tuple[Path, ...]
    problems: tuple[FileProblem, ...] = ()
    unsupported: int = 0
    not_assessments: tuple[Path, ...] = ()


def not_regular_error(path: Path | str, mode: int) -> NotRegularFileError | None:
    """The error for a file mode that is not a regular file, else None."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return NotRegularFileError(
        f"{display_path(path)}: {kind}, not a regular file; nothing was read from it.",
        "Give the path of the document file itself; chc reads only regular files.",
    )


def os_error(path: Path | str, err: OSError) -> ReadError:
    """The ChcError for an operating-system error met while looking at or opening a file."""
    shown = display_path(path)
    if err.errno == errno.ELOOP:
        return SymlinkLoopError(
            f"{shown}: a symbolic link that points to itself or into a loop of links.",
            "Fix the link so that it points to the document, or delete it.",
        )
    if err.errno in (errno.ENOENT, errno.ENOTDIR) and os.path.islink(path):
        target = display_path(os.readlink(path))
        return BrokenLinkError(
            f"{shown}: a symbolic link to {target}, which does not exist.",
            "Fix the link so that it points to the document, or delete it.",
        )
    if err.errno == errno.ENOENT:
        return UnreadableFileError(
            f"{shown}: the file disappeared before it could be read.",
            "Check whether another program moved or deleted it, then run the ingest again.",
        )
    return UnreadableFileError(
        f"{shown}: cannot be read ({err.strerror or err}).",
        "Check that this user may read the file (permissions) and that its disk or "
        "network share is available, then run the ingest again.",
    )


def open_regular(path: Path) -> int:
    """Open a file for reading without ever blocking, and only if it is a regular file.

    ``O_NONBLOCK`` makes opening a FIFO return at once instead of waiting for a
    writer; the kind is then checked on the descriptor, which cannot change under us.

    Returns:
        A file descriptor (the caller closes it).

    Raises:
        ReadError: the path is not a regular file, or cannot be opened (with the reason).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        raise os_error(path, err) from err
    try:
        problem = not_regular_error(path, os.fstat(fd).st_mode)
        if problem is not None:
            raise problem
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _is_not_assessment(path: Path) -> bool:
    return path.suffix.lower() in {".md", ".txt"} and path.name.lower().startswith(_NOT_ASSESSMENTS)


def _walk(folder: Path, problems: list[FileProblem]) -> Iterator[Path]:
    def unreadable(err: OSError) -> None:
        where = Path(err.filename) if err.filename else folder
        problems.append(FileProblem(path=where, error=os_error(where, err), skipped=True))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


@dataclass(slots=True)
class _Collector:
    files: list[Path] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    not_assessments: list[Path] = field(default_factory=list)
    seen: set[object] = field(default_factory=set)
    unsupported: int = 0

    def add(self, path: Path, *, named: bool) -> None:
        """Classify one path from ``stat`` alone (nothing is opened)."""
        info: os.stat_result | None = None
        try:
            info = os.stat(path)
            key: object = (info.st_dev, info.st_ino)
        except OSError as err:
            failure = os_error(path, err)
            key = os.path.realpath(path)
        if key in self.seen:
            return
        self.seen.add(key)
        if not named and path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            self.unsupported += 1
        elif not named and _is_not_assessment(path):
            self.not_assessments.append(path)
        elif info is None:
            self.problems.append(FileProblem(path=path, error=failure, skipped=False))
        else:
            kind = not_regular_error(path, info.st_mode)
            if kind is None:
                self.files.append(path)
            else:
                self.problems.append(FileProblem(path=path, error=kind, skipped=not named))


def discover(paths: Sequence[Path]) -> Discovery:
    """Expand files and folders (recursively, hidden entries skipped) into input files.

    A path named on the command line is always accounted for: a regular file is read
    (an unsupported one then fails with its reason), anything else fails with its
    reason. In folders, unsupported extensions and README/CHANGELOG files are passed
    over and counted; FIFOs, devices and sockets are skipped with their reason; broken
    or looping links and unreadable entries fail with theirs.

    Raises:
        UsageError: a named path does not exist at all.
    """
    for given in paths:
        try:
            os.lstat(given)
        except OSError as err:
            raise UsageError(
                f"No such file or folder: {display_path(given)}.", "Check the path and retry."
            ) from err
    collector = _Collector()

    def is_folder(path: Path) -> bool:
        try:
            return stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            return False

    # Named files first, so a named file is processed even if a named folder holds it.
    for given in sorted(paths, key=is_folder):
        if not is_folder(given):
            collector.add(given, named=True)
            continue
        for path in _walk(given, collector.problems):
            collector.add(path, named=False)
    return Discovery(
        files=tuple(collector.files),
        problems=tuple(collector.problems),
        unsupported=collector.unsupported,
        not_assessments=tuple(collector.not_assessments),
    )
