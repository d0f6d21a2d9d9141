"""pipeline/batch.py: discovery, manifest, skip/force, duplicates, timeouts, crashes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline import batch, store
from pipeline.errors import UsageError

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
    row = con.execute("SELECT status, error_code FROM documents WHERE file_name = 'slow.txt'")
    assert row.fetchone() == ("failed", "timeout")
    con.close()


def test_bug_in_one_document_fails_only_that_document(tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 2)
    (tmp_path / "in" / "bug.txt").write_text("BUG\n1.2|x|Yes\n", encoding="utf-8")
    summary = run([tmp_path / "in"], tmp_path / "t.duckdb", workers=2)
    assert (summary.count("ok"), summary.count("failed"), summary.exit_code) == (2, 1, 1)


def test_options_are_checked(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--workers"):
        run([tmp_path], tmp_path / "t.duckdb", workers=0)
    with pytest.raises(UsageError, match="--timeout"):
        run([tmp_path], tmp_path / "t.duckdb", timeout=0)


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
    env = {**os.environ, "CHC_FAKE_MARKERS": str(markers)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(list(markers.iterdir())) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest process and its workers
    finally:
        proc.wait()
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
