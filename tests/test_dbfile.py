"""pipeline/dbfile.py: --db checked by its header, DuckDB extensions off, the lock's
holder named, and a running ingest's progress readable while it holds the database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import psutil
import pytest

from pipeline import dbfile, store
from pipeline.errors import DatabaseInUseError, NotADatabaseError, UsageError
from pipeline.reference import load_reference


def test_a_sqlite_file_is_refused_before_duckdb_sees_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("DuckDB was asked to open a SQLite file")

    monkeypatch.setattr(duckdb, "connect", never)
    with pytest.raises(NotADatabaseError, match="is a SQLite database, not a DuckDB database"):
        store.connect(path, read_only=True)


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"", "is empty"), (b"file,landlord\n", "is a text file"), (b"PAR1\x00\x00", "Parquet")],
)
def test_other_files_are_named_by_what_they_are(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "x.duckdb"
    path.write_bytes(content)
    with pytest.raises(NotADatabaseError, match=kind) as err:
        dbfile.check_database_file(path)
    assert "new file name" in err.value.hint


def test_fifo_folder_and_new_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.duckdb"
    os.mkfifo(fifo)
    with pytest.raises(NotADatabaseError, match="named pipe"):
        dbfile.check_database_file(fifo)
    with pytest.raises(UsageError, match="is a folder"):
        dbfile.check_database_file(tmp_path)
    dbfile.check_database_file(tmp_path / "new.duckdb")  # does not exist yet: fine


def test_extensions_are_never_installed_or_loaded(tmp_path: Path) -> None:
    con = store.open_db(tmp_path / "x.duckdb", load_reference())
    try:
        settings = con.execute(
            "SELECT current_setting('autoinstall_known_extensions'), "
            "current_setting('autoload_known_extensions')"
        ).fetchone()
    finally:
        con.close()
    assert settings == (False, False)


def test_the_holder_of_the_lock_is_named(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    store.open_db(db, load_reference()).close()
    code = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
        "print('ready', flush=True); time.sleep(30)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(db), "notebook-like-holder"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseInUseError) as err:
            store.connect(db, read_only=True)
        assert f"in use by process {holder.pid} (" in err.value.message
        assert "notebook-like-holder" in err.value.message and "running since" in err.value.message
        assert "con.close()" in err.value.hint
        progress = dbfile.IngestProgress(
            pid=holder.pid,
            started_at="2026-01-02T10:00:00",
            updated_at="2026-01-02T10:05:00",
            total=40,
            done=12,
            ok=10,
            failed=2,
        )
        dbfile.write_progress(db, progress)
        with pytest.raises(DatabaseInUseError) as err:
            store.connect(db, read_only=True)
        assert "`chc ingest` (process" in err.value.message
        assert "since 2026-01-02 10:00:00: 12 of 40 files done" in err.value.message
        assert f"kill {holder.pid}" in err.value.hint
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert dbfile.read_progress(db) is None, "the progress of a dead process is not shown"


def test_progress_file_round_trip_and_removal(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert dbfile.read_progress(db) is None
    progress = dbfile.IngestProgress(
        pid=os.getpid(), started_at="2026-01-02T10:00:00", updated_at="2026-01-02T10:00:01",
        total=3,
    )  # fmt: skip
    dbfile.write_progress(db, progress)
    assert dbfile.read_progress(db) == progress
    dbfile.progress_path(db).write_text("{not json", encoding="utf-8")
    assert dbfile.read_progress(db) is None
    dbfile.write_progress(db, progress)
    dbfile.remove_progress(db)
    assert not dbfile.progress_path(db).exists()
    # A file left by a killed ingest whose process id now belongs to another process.
    reused = replace(progress, pid_created=psutil.Process().create_time() - 3600)
    dbfile.write_progress(db, reused)
    assert dbfile.read_progress(db) is None
    mine = replace(progress, pid_created=psutil.Process().create_time())
    dbfile.write_progress(db, mine)
    assert dbfile.read_progress(db) == mine
