"""pipeline/batch.py: discovery, manifest, skip/force, duplicates, timeouts, crashes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from typer.testing import CliRunner

from pipeline import batch, dbfile, store
from pipeline.cli import app
from pipeline.errors import UsageError
from pipeline.extract.limits import Limits, parse_limits

FAKES = Path(__file__).parent / "fixtures" / "batch"
sys.path.insert(0, str(FAKES))
from chc_batch_fakes import FAKE_STAGES, fake_document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad"
CORPUS = ROOT / "corpus" / "documents"


def make_folder(folder: Path, n: int, *, first_line: str = "") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"doc{i:02d}.txt"
        ids = ["1.2", "1.3", "2.1", f"{3 + i % 5}.1"]
        path.write_text(
            fake_document(f"Council {i}", 2024, ids, first_line=first_line), encoding="utf-8"
        )
        paths.append(path)
    return paths


def run(paths: list[Path], db: Path, **options: object) -> batch.IngestSummary:
    return batch.ingest(paths, db, stages=FAKE_STAGES, progress=False, **options)  # type: ignore[arg-type]


def counts(db: Path) -> dict[str, int]:
    con = store.connect(db, read_only=True)
    try:
        return store.table_counts(con)
    finally:
        con.close()


def test_discover_recurses_and_passes_over_other_files(tmp_path: Path) -> None:
    for name in ["a.txt", "b.pdf", "README.md", "CHANGELOG.md", "notes.csv", ".hidden.txt",
                 "sub/c.docx", "sub/d.HTM", ".git/e.txt"]:  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = batch.discover([tmp_path, tmp_path / "notes.csv"])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == [
        "notes.csv", "a.txt", "b.pdf", "sub/c.docx", "sub/d.HTM",
    ]  # fmt: skip
    assert found.unsupported == 0  # notes.csv was named, so it is processed (and fails)
    assert [p.name for p in found.not_assessments] == ["CHANGELOG.md", "README.md"]
    assert batch.discover([tmp_path]).unsupported == 1
    with pytest.raises(UsageError, match="No such file"):
        batch.discover([tmp_path / "missing"])


def test_manifest_matches_relative_path_then_file_name(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "file,landlord,landlord_type,assessment_year,url,extra\n"
        "docs/a.txt,A Homes,housing association,2024,https://a,x\n"
        "b.txt,B Council,,,,\n",
        encoding="utf-8",
    )
    m = batch.load_manifest(manifest)
    a = m.entry_for(tmp_path / "docs" / "a.txt")
    assert a is not None and (a.landlord, a.landlord_type, a.assessment_year, a.url) == (
        "A Homes", "housing_association", 2024, "https://a",
    )  # fmt: skip
    b = m.entry_for(tmp_path / "elsewhere" / "b.txt")
    assert b is not None and b.landlord == "B Council" and b.assessment_year is None
    assert m.entry_for(tmp_path / "c.txt") is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("name,landlord\nx,y\n", "no 'file' column"),
        ("file,assessment_year\nx.pdf,20x4\n", "line 2: assessment_year '20x4'"),
        ("file,landlord_type\nx.pdf,charity\n", "landlord_type 'charity'"),
    ],
)
def test_bad_manifest_is_a_usage_error(tmp_path: Path, body: str, message: str) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(body, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        batch.load_manifest(manifest)


def test_second_run_skips_everything_and_force_reingests(tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 4)
    db = tmp_path / "t.duckdb"
    first = run([tmp_path / "in"], db, workers=2)
    assert (first.count("ok"), first.exit_code) == (4, 0)
    before = counts(db)
    assert before["documents"] == 4 and before["assessments"] == 16
    second = run([tmp_path / "in"], db, workers=2)
    assert second.count("skipped") == 4 and second.count("ok") == 0
    assert counts(db) == before
    forced = run([tmp_path / "in"], db, workers=2, force=True)
    assert forced.count("ok") == 4 and counts(db) == before


def test_same_content_at_two_paths_is_one_document(tmp_path: Path) -> None:
    (a,) = make_folder(tmp_path / "in", 1)
    shutil.copy(a, tmp_path / "in" / "copy.txt")
    db = tmp_path / "t.duckdb"
    summary = run([tmp_path / "in"], db, workers=1)
    assert sorted(o.status for o in summary.outcomes) == ["duplicate", "ok"]
    assert counts(db)["documents"] == 1 and counts(db)["document_paths"] == 2


def test_manifest_landlord_is_stored_not_inferred(tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 2)
    manifest = tmp_path / "in" / "manifest.csv"
    manifest.write_text("file,landlord,assessment_year\ndoc00.txt,Given Homes,2023\n", "utf-8")
    db = tmp_path / "t.duckdb"
    run([tmp_path / "in"], db, manifest=batch.load_manifest(manifest), workers=1)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT file_name, landlord, landlord_inferred, assessment_year, year_inferred "
        "FROM documents ORDER BY 1"
    ).fetchall()
    con.close()
    assert rows == [
        ("doc00.txt", "Given Homes", False, 2023, False),
        ("doc01.txt", "Council 1", True, 2024, True),
    ]


def test_slow_document_is_killed_and_the_batch_goes_on(tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 3)
    slow = tmp_path / "in" / "slow.txt"
    slow.write_text(fake_document("Slow Council", 2024, ["1.2"], first_line="SLEEP 60"), "utf-8")
    db = tmp_path / "t.duckdb"
    started = time.monotonic()
    summary = run([tmp_path / "in"], db, workers=2, timeout=2.0)
    assert time.monotonic() - started < 30
    assert summary.count("ok") == 3 and summary.exit_code == 1
    (failed,) = [o for o in summary.outcomes if o.status == "failed"]
    assert failed.path.endswith("slow.txt") and "longer than 2 s" in (failed.error or "")
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute(
        "SELECT status, error_code, peak_memory_mb FROM documents WHERE file_name = 'slow.txt'"
    ).fetchone()
    con.close()
    assert row is not None and row[:2] == ("failed", "timeout")
    assert row[2] is not None and row[2] > 10, "the killed worker's peak memory is kept"


def test_bug_in_one_document_fails_only_that_document(tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 2)
    (tmp_path / "in" / "bug.txt").write_text("BUG\n1.2|x|Yes\n", encoding="utf-8")
    summary = run([tmp_path / "in"], tmp_path / "t.duckdb", workers=2)
    assert (summary.count("ok"), summary.count("failed"), summary.exit_code) == (2, 1, 1)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "--workers must be at least 1"),
        ({"workers": -2}, "--workers must be at least 1"),
        ({"workers": 10_000}, "more than 4 per CPU core"),
        ({"timeout": 0}, "--timeout must be a positive number"),
        ({"timeout": -5}, "--timeout must be a positive number"),
        ({"timeout": float("nan")}, "not nan"),
        ({"timeout": float("inf")}, "not inf"),
    ],
)
def test_options_are_checked(tmp_path: Path, options: dict[str, float], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        run([tmp_path], tmp_path / "t.duckdb", **options)
    assert not (tmp_path / "t.duckdb").exists(), "checked before the database is touched"


def assert_no_partial_documents(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        bad = con.execute(
            """
            SELECT d.document_id, d.rows_found, count(a.document_id)
            FROM documents d LEFT JOIN assessments a USING (document_id)
            GROUP BY ALL HAVING count(a.document_id) <> d.rows_found
            """
        ).fetchall()
        orphans = con.execute(
            "SELECT count(*) FROM assessments WHERE document_id NOT IN "
            "(SELECT document_id FROM documents)"
        ).fetchone()
        stored = con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()
    finally:
        con.close()
    assert bad == [] and orphans == (0,)
    assert stored is not None
    return int(stored[0])


def test_sigkill_half_way_then_rerun_leaves_no_partial_document(tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 12, first_line="SLEEP 0.25")
    markers = tmp_path / "markers"
    markers.mkdir()
    db = tmp_path / "t.duckdb"
    code = f"import sys; sys.path.insert(0, {str(FAKES)!r}); import chc_batch_fakes as f; " \
        f"f.main({str(db)!r}, {str(tmp_path / 'in')!r})"  # fmt: skip
    # A killed process cleans nothing up: its temporary folders go in one we remove.
    scratch = Path(tempfile.mkdtemp(prefix="chc-test-"))
    env = {**os.environ, "CHC_FAKE_MARKERS": str(markers), "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(list(markers.iterdir())) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest process and its workers
    finally:
        proc.wait()
        shutil.rmtree(scratch, ignore_errors=True)
    stored = assert_no_partial_documents(db)
    assert 0 < stored < 12, "expected a batch killed half way"
    summary = run([tmp_path / "in"], db, workers=2)
    assert summary.count("skipped") == stored and summary.exit_code == 0
    assert assert_no_partial_documents(db) == 12


@pytest.mark.slow
def test_bad_files_fail_with_their_own_reasons_and_good_files_are_stored(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(CORPUS.glob("00?_*.txt"))[:3]:
        shutil.copy(seed, folder / seed.name)
    for bad in ("empty.pdf", "encrypted.pdf", "scanned.pdf", "truncated.pdf"):
        shutil.copy(BAD / bad, folder / bad)
    shutil.copy(CORPUS / "001_tamworth_2024.docx", folder / "renamed_docx.pdf")
    summary = batch.ingest([folder], tmp_path / "t.duckdb", workers=2, progress=False)
    assert summary.exit_code == 1
    status = {Path(o.path).name: (o.status, o.error) for o in summary.outcomes}
    codes = {}
    con = duckdb.connect(str(tmp_path / "t.duckdb"), read_only=True)
    query = "SELECT file_name, error_code, notes FROM documents"
    for name, code, notes in con.execute(query).fetchall():
        codes[name] = (code, notes)
    con.close()
    assert {
        n: codes[n][0] for n in ("empty.pdf", "encrypted.pdf", "scanned.pdf", "truncated.pdf")
    } == {
        "empty.pdf": "empty_file",
        "encrypted.pdf": "encrypted",
        "scanned.pdf": "no_text_layer",
        "truncated.pdf": "corrupt_file",
    }
    assert len({status[n][1] for n in codes if status[n][0] == "failed"}) == 4
    # A DOCX named .pdf is read as what it is, and says so.
    assert status["renamed_docx.pdf"][0] == "ok"
    assert "is named .pdf but its content is DOCX" in codes["renamed_docx.pdf"][1]
    assert [status[s.name][0] for s in folder.glob("*.txt")] == ["ok"] * 3
    # A rerun skips what is stored and tries the failed files again: still exit 1.
    again = batch.ingest([folder], tmp_path / "t.duckdb", workers=2, progress=False)
    assert again.exit_code == 1
    assert (again.count("skipped"), again.count("failed")) == (4, 4)


def test_a_document_over_the_memory_ceiling_fails_alone(tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 2)
    hog = tmp_path / "in" / "hog.txt"
    hog.write_text(fake_document("Hog Council", 2024, ["1.2"], first_line="ALLOC 1500"), "utf-8")
    db = tmp_path / "t.duckdb"
    summary = run([tmp_path / "in"], db, workers=2, limits=Limits(memory_mb=400))
    assert (summary.count("ok"), summary.count("failed"), summary.exit_code) == (2, 1, 1)
    (failed,) = [o for o in summary.outcomes if o.status == "failed"]
    assert failed.error_code == "memory_limit" and failed.path.endswith("hog.txt")
    assert "more than 400 MB" in (failed.error or "") and "--limit memory_mb=" in (
        failed.error or ""
    )
    assert failed.peak_memory_mb is not None and failed.peak_memory_mb > 400
    assert failed.seconds > 0, "the time it ran before it was stopped"
    ok = [o.peak_memory_mb for o in summary.outcomes if o.status == "ok"]
    assert all(m is not None and m < 400 for m in ok)


def test_content_at_two_paths_that_fails_is_reported_for_both(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.txt").write_bytes(b"")
    summary = run([folder], tmp_path / "t.duckdb", workers=1)
    outcomes = sorted((Path(o.path).name, o.status, o.error_code) for o in summary.outcomes)
    assert outcomes == [("a.txt", "failed", "empty_file"), ("b.txt", "failed", "empty_file")]
    assert counts(tmp_path / "t.duckdb")["documents"] == 1


def test_special_files_are_accounted_for_in_the_summary(tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 1)
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    os.symlink("pipe-nowhere.txt", tmp_path / "in" / "dangling.txt")
    named = tmp_path / "named.pdf"
    os.mkfifo(named)
    summary = run([tmp_path / "in", named], tmp_path / "t.duckdb", workers=1)
    got = sorted((Path(o.path).name, o.status, o.error_code) for o in summary.outcomes)
    assert got == [
        ("dangling.txt", "failed", "broken_link"),
        ("doc00.txt", "ok", None),
        ("named.pdf", "failed", "not_a_file"),
        ("pipe.txt", "not_read", "not_a_file"),
    ]
    assert summary.as_dict()["skipped_not_regular"] == 1 and summary.exit_code == 1


def fake_cli(*args: str) -> list[str]:
    code = f"import sys; sys.path.insert(0, {str(FAKES)!r}); import chc_batch_fakes as f; " \
        "f.cli_main(*sys.argv[1:])"  # fmt: skip
    return [sys.executable, "-c", code, *args]


def wait_for(condition: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)
    assert condition(), "timed out waiting"  # type: ignore[operator]


@pytest.mark.parametrize(
    ("signum", "name"),
    [
        (signal.SIGTERM, "SIGTERM"),  # `kill PID`: the main process only
        (signal.SIGINT, "Ctrl-C"),  # a terminal's Ctrl-C: the whole process group
    ],
)
def test_a_stop_half_way_stores_whole_documents_and_a_rerun_continues(
    tmp_path: Path, signum: signal.Signals, name: str
) -> None:
    make_folder(tmp_path / "in", 12, first_line="SLEEP 0.3")
    markers = tmp_path / "markers"
    markers.mkdir()
    db = tmp_path / "t.duckdb"
    args = ["ingest", str(tmp_path / "in"), "--db", str(db), "--workers", "2", "--no-progress"]
    env = {**os.environ, "CHC_FAKE_MARKERS": str(markers)}
    proc = subprocess.Popen(
        fake_cli(*args), env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        wait_for(lambda: len(list(markers.iterdir())) >= 5)
        assert proc.poll() is None, "the batch finished before it could be stopped"
        workers = psutil.Process(proc.pid).children(recursive=True)
        if signum == signal.SIGINT:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert f"Stopped by {name}: " in stderr and "nothing was half-written" in stderr
    assert "Run the same command again" in stderr and "Traceback" not in stderr
    time.sleep(0.5)
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
    assert not dbfile.progress_path(db).exists()
    stored = assert_no_partial_documents(db)
    assert 0 < stored < 12
    assert f"Stopped by {name}: {stored} documents stored in this run" in stderr
    again = subprocess.run(fake_cli(*args), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"{12 - stored} stored ok" in again.stderr and f"{stored} skipped as unchanged" in (
        again.stderr
    )
    assert assert_no_partial_documents(db) == 12
    assert counts(db)["document_paths"] == 12


def test_workers_killed_for_time_or_memory_leave_nothing_in_the_temporary_folder(
    tmp_path: Path,
) -> None:
    make_folder(tmp_path / "in", 1)
    hog = fake_document("Hog Council", 2024, ["1.2"], first_line="ALLOC 1500")
    (tmp_path / "in" / "hog.txt").write_text(hog, encoding="utf-8")
    slow = fake_document("Slow Council", 2024, ["1.2"], first_line="SLEEP 60")
    (tmp_path / "in" / "slow.txt").write_text(slow, encoding="utf-8")
    # A short folder: multiprocessing puts its fork server's socket there (107 bytes at most).
    scratch = Path(tempfile.mkdtemp(prefix="chc-test-"))
    args = ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "t.duckdb"), "--no-progress",
            "--workers", "2", "--timeout", "3", "--limit", "memory_mb=400", "--json"]  # fmt: skip
    try:
        done = subprocess.run(
            fake_cli(*args), env={**os.environ, "TMPDIR": str(scratch)}, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
        left = list(scratch.iterdir())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert done.stdout.startswith("{"), done.stderr
    codes = sorted(f["error_code"] or "ok" for f in json.loads(done.stdout)["files"])
    assert (done.returncode, codes) == (1, ["memory_limit", "ok", "timeout"]), done.stderr
    assert left == [], "private copies of killed workers are removed"


def test_status_shows_a_running_ingest_and_report_says_who_holds_the_database(
    tmp_path: Path,
) -> None:
    make_folder(tmp_path / "in", 6, first_line="SLEEP 1")
    db = tmp_path / "t.duckdb"
    args = ["ingest", str(tmp_path / "in"), "--db", str(db), "--workers", "1", "--no-progress"]
    proc = subprocess.Popen(fake_cli(*args), stderr=subprocess.DEVNULL)
    runner = CliRunner()
    try:
        wait_for(lambda: (p := dbfile.read_progress(db)) is not None and p.done >= 1)
        status = runner.invoke(app, ["status", "--db", str(db)], terminal_width=200)
        assert status.exit_code == 0
        assert f"`chc ingest` (process {proc.pid}) has been writing it since" in status.stdout
        assert " of 6 files done" in status.stdout
        as_json = runner.invoke(app, ["status", "--db", str(db), "--json"])
        assert '"ingest_running": true' in as_json.stdout and '"total": 6' in as_json.stdout
        for command in (
            ["report", "--out", str(tmp_path / "r")],
            ["export", "--out", str(tmp_path / "e")],
        ):
            held = runner.invoke(app, [*command, "--db", str(db)])
            assert held.exit_code == 2 and "`chc ingest` (process" in held.stderr
            assert "has been writing it since" in held.stderr and "Traceback" not in held.stderr
    finally:
        proc.wait(timeout=120)
    assert proc.returncode == 0 and not dbfile.progress_path(db).exists()


@pytest.mark.slow
def test_the_generated_bad_inputs_each_end_with_their_own_code(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from badinputs import SMALL, make_bad_inputs, remove_bad_inputs

    folder = tmp_path / "bad"
    cases = make_bad_inputs(folder, SMALL)
    try:
        started = time.monotonic()
        summary = batch.ingest(
            [folder], tmp_path / "t.duckdb", workers=2, progress=False,
            limits=parse_limits(SMALL.limit_args), timeout=60,
        )  # fmt: skip
        assert time.monotonic() - started < 240
    finally:
        remove_bad_inputs(folder)
    got = {Path(o.path).name: (o.status, o.error_code, o.error) for o in summary.outcomes}
    from pipeline.pathnames import display_path

    for case in cases:
        status, code, error = got[display_path(case.name)]
        assert (status, code) == (case.status, case.code), (case.name, error)
        assert (error is None) == (case.code is None), case.name
    assert len(got) == len(cases) and summary.exit_code == 1
