"""Ctrl-C and SIGTERM during an ingest: stop between documents, never inside a write.

The handler raises ``Stop`` in the main thread, unless a document is being written:
then the signal waits until that transaction has committed (``Signals.check`` after the
write). Further signals while stopping are ignored, so the workers are always stopped
and joined. The batch turns ``Stop`` into ``IngestInterrupted`` saying what was stored.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from pipeline.errors import IngestInterrupted

SIGNAL_NAMES = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}


class Stop(BaseException):
    """Raised in the main thread by the Ctrl-C/SIGTERM handler (never inside a write).

    A BaseException, so no ``except Exception`` on the way swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@dataclass(slots=True)
class Signals:
    """The handler's state: whether a document is being written, and a signal waiting."""

    writing: bool = False
    pending: int | None = None
    stopping: bool = False

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """The signal handler."""
        if self.stopping:
            return
        if self.writing:
            self.pending = signum
            return
        self.stopping = True
        raise Stop(signum)

    def check(self) -> None:
        """Raise Stop for a signal that arrived during the write that just ended."""
        if self.pending is not None and not self.stopping:
            self.stopping = True
            raise Stop(self.pending)


@contextmanager
def stop_on_signals(signals: Signals) -> Iterator[None]:
    """Install ``signals.handle`` for SIGINT and SIGTERM inside the block (main thread
    only; elsewhere, e.g. a library caller's thread, nothing is installed)."""
    try:
        previous = {s: signal.signal(s, signals.handle) for s in SIGNAL_NAMES}
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@dataclass(frozen=True, slots=True, kw_only=True)
class StopCounts:
    """What a stopped batch had done."""

    stored: int
    read: int
    failed: int
    skipped: int
    not_done: int


def interrupted(signum: int, counts: StopCounts | None) -> IngestInterrupted:
    """The error that says how the batch was stopped and what was stored."""
    number = signal.Signals(signum)
    how = SIGNAL_NAMES.get(number, number.name)
    hint = "Run the same command again to continue where it stopped."
    if counts is None:
        return IngestInterrupted(f"Stopped by {how} before any document was read.", hint)
    return IngestInterrupted(
        f"Stopped by {how}: {counts.stored} documents stored in this run ({counts.read} "
        f"read, {counts.failed} failed), {counts.skipped} skipped, {counts.not_done} not "
        "done; nothing was half-written.",
        hint,
    )
