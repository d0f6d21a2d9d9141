"""Acceptance run of issue 11 (not a test; minutes, gigabytes of ZIP bombs unpacked never).

One ``chc ingest`` batch of the bundled corpus plus the whole generated bad-input set
(``tests/badinputs.py``, full size) and a FIFO named on the command line, with the
default limits. It measures the peak memory of the whole process tree (main process,
fork server, workers, OCR) by sampling it every 50 ms, and checks: every corpus file
ok; every bad file ended with its own status and code and a sentence; no traceback on
the terminal; exit code 1. Then the same batch into a fresh database is stopped with
SIGTERM half way and run again: every file stored once, none partial.

Prints a Markdown table per case (time and peak worker memory from ``documents``).
Root reads a file whatever its mode, so run as root the file without read permission is
just a damaged PDF; ``--as USER`` runs chc as another user (its Python must be
readable by that user).

Usage: python bench/bench_bad_inputs.py [--as USER] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from badinputs import FULL, Case, make_bad_inputs, remove_bad_inputs  # noqa: E402

from pipeline.pathnames import display_path  # noqa: E402

CHC = ROOT / ".venv" / "bin" / "chc"


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_batch(
    args: list[str], user: str | None, stop_when: float | None = None, progress: Path | None = None
) -> tuple[int, str, str, float, float]:
    """Run chc; returns (exit code, stdout, stderr, seconds, peak tree MB). With
    ``stop_when``, send SIGTERM once the progress file shows that share of files done."""
    command = [str(CHC), *args]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        watched = psutil.Process(proc.pid)
        peak = 0
        stopped = False
        while proc.poll() is None:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, tree_rss(watched))
            if stop_when is not None and not stopped and progress is not None:
                try:
                    state = json.loads(progress.read_text(encoding="utf-8"))
                    if state["done"] >= stop_when * state["total"]:
                        os.kill(state["pid"], signal.SIGTERM)  # the chc process itself
                        stopped = True
                except (OSError, ValueError, KeyError):
                    pass
            time.sleep(0.05)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), seconds, peak / (1 << 20)


def per_file(db: Path) -> dict[str, tuple[str, str | None, float | None, float | None, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT p.source_path, d.status, d.error_code, d.seconds, d.peak_memory_mb, "
            "coalesce(d.error, d.notes, '') FROM document_paths p JOIN documents d USING "
            "(document_id)"
        ).fetchall()
    finally:
        con.close()
    return {str(r[0]): (r[1], r[2], r[3], r[4], r[5]) for r in rows}


def partial_documents(db: Path) -> tuple[int, int, int]:
    """(documents whose row count differs from rows_found, orphan rows, documents)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        bad = con.execute(
            "SELECT count(*) FROM (SELECT d.document_id FROM documents d LEFT JOIN "
            "assessments a USING (document_id) GROUP BY d.document_id, d.rows_found "
            "HAVING count(a.document_id) <> d.rows_found)"
        ).fetchone()
        orphans = con.execute(
            "SELECT count(*) FROM assessments WHERE document_id NOT IN "
            "(SELECT document_id FROM documents)"
        ).fetchone()
        docs = con.execute("SELECT count(*) FROM documents").fetchone()
    finally:
        con.close()
    assert bad and orphans and docs
    return int(bad[0]), int(orphans[0]), int(docs[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as", dest="user", help="run chc as this user (needs root)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="chc-acceptance-"))
    work.mkdir(parents=True, exist_ok=True)
    bad = work / "bad"
    started = time.monotonic()
    reader_is_root = os.geteuid() == 0 and not args.user
    cases = make_bad_inputs(bad, FULL, reader_is_root=reader_is_root)
    print(f"generated {len(cases)} bad inputs in {time.monotonic() - started:.0f} s")
    named_fifo = work / "named_fifo.pdf"
    os.mkfifo(named_fifo)
    db_dir = work / "db"
    db_dir.mkdir()
    if args.user:
        info = pwd.getpwnam(args.user)
        for path in (work, db_dir):
            os.chown(path, info.pw_uid, info.pw_gid)
    corpus = ROOT / "corpus" / "documents"
    manifest = ROOT / "corpus" / "manifest.csv"
    ok = True
    try:
        for attempt, stop in (("batch", None), ("sigterm", 0.5)):
            db = db_dir / f"{attempt}.duckdb"
            common = ["ingest", str(corpus), str(bad), str(named_fifo), "--db", str(db),
                      "--manifest", str(manifest), "--workers", "2", "--no-progress"]  # fmt: skip
            code, out, err, seconds, peak = run_batch(
                [*common, "--json"], args.user, stop, db.with_name(db.name + ".progress.json")
            )
            print(f"\n## {attempt}: exit {code}, {seconds:.0f} s, peak process tree {peak:.0f} MB")
            traceback = "Traceback" in err or "Traceback" in out
            print(f"traceback on the terminal: {traceback}")
            if code not in (1, 130):
                print(err[-3000:])
            ok &= not traceback and peak < 1536
            if attempt == "batch":
                ok &= code == 1
                ok &= report_batch(cases, corpus, bad, named_fifo, db, json.loads(out))
                continue
            line = next((x for x in err.splitlines() if x.startswith("Stopped by")), "")
            print(f"stop line: {line}")
            bad_docs, orphans, stored = partial_documents(db)
            print(f"after SIGTERM: {stored} documents, {bad_docs} partial, {orphans} orphan rows")
            ok &= code == 130 and bool(line) and bad_docs == orphans == 0
            code, out, err, seconds, peak = run_batch(common, args.user)
            bad_docs, orphans, stored_after = partial_documents(db)
            paths = per_file(db)
            con = duckdb.connect(str(db), read_only=True)
            dup = con.execute(
                "SELECT count(*) FROM (SELECT source_path FROM document_paths GROUP BY 1 "
                "HAVING count(*) > 1)"
            ).fetchone()
            con.close()
            print(
                f"rerun: exit {code}, {seconds:.0f} s, peak {peak:.0f} MB; {stored_after} "
                f"documents, {len(paths)} paths, {bad_docs} partial, {orphans} orphan rows, "
                f"{dup[0] if dup else '?'} paths stored twice, traceback {'Traceback' in err}"
            )
            ok &= code == 1 and bad_docs == orphans == 0 and dup == (0,)
    finally:
        if not args.keep:
            remove_bad_inputs(bad)
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nACCEPTANCE {'PASSED' if ok else 'FAILED'}")
    return 0 if ok else 1


def report_batch(
    cases: tuple[Case, ...], corpus: Path, bad: Path, named_fifo: Path, db: Path, data: dict
) -> bool:
    by_path = {f["path"]: f for f in data["files"]}
    stored = per_file(db)
    corpus_files = sorted(
        p for p in corpus.iterdir() if p.suffix in {".pdf", ".docx", ".html", ".txt"}
    )
    corpus_ok = sum(
        1 for p in corpus_files if by_path.get(str(p), {}).get("status") in ("ok", "duplicate")
    )
    corpus_rows = [stored[str(p)] for p in corpus_files if str(p) in stored]
    slowest = max((r[2] or 0.0 for r in corpus_rows), default=0.0)
    highest = max((r[3] or 0.0 for r in corpus_rows), default=0.0)
    print(
        f"corpus: {corpus_ok} of {len(corpus_files)} files ok; slowest {slowest:.1f} s, "
        f"highest worker peak {highest:.0f} MB"
    )
    good = corpus_ok == len(corpus_files)
    print("\n| case | what | expected | got | code | sentence | seconds | peak worker MB |")
    print("|---|---|---|---|---|---|---|---|")
    rows = [(c.name, c.what, c.status, c.code) for c in cases]
    rows.append((str(named_fifo.name), "a FIFO named on the command line", "failed", "not_a_file"))
    for name, what, status, code in rows:
        path = str(named_fifo) if name == named_fifo.name else str(bad / name)
        shown = display_path(path)
        got = by_path.get(shown, {})
        db_row = stored.get(shown)
        seconds = db_row[2] if db_row else got.get("seconds")
        peak = db_row[3] if db_row else got.get("peak_memory_mb")
        sentence = (got.get("error") or (db_row[4] if db_row else "") or "").replace("|", "/")
        if shown.startswith(str(bad)):
            sentence = sentence.replace(str(bad) + "/", "")
        match = (got.get("status"), got.get("error_code")) == (status, code)
        good &= match and (code is None or bool(sentence))
        mark = "" if match else " **MISMATCH**"
        took = "" if seconds is None else f"{seconds:.2f}"
        memory = "" if peak is None else f"{peak:.0f}"
        print(
            f"| `{display_path(name)}` | {what} | {status} {code or ''} | "
            f"{got.get('status')}{mark} | {got.get('error_code') or ''} | {sentence[:160]} | "
            f"{took} | {memory} |"
        )
    return good


if __name__ == "__main__":
    sys.exit(main())
