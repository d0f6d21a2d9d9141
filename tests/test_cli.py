"""pipeline/cli.py: every command through typer's CliRunner (exit codes, streams, --json)."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import batch, store
from pipeline.cli import app
from pipeline.evaluate import evaluate_database
from pipeline.reference import load_reference

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "batch"))
from chc_batch_fakes import FAKE_STAGES, fake_document

runner = CliRunner()
COMMANDS = ["init", "reference", "ingest", "status", "report", "export", "eval", "review"]


@pytest.fixture
def fake_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = functools.partial(batch.ingest, stages=FAKE_STAGES)
    monkeypatch.setattr(batch, "ingest", fake)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding two fake documents (one with rows needing review); read-only
    for the tests that use it."""
    tmp = tmp_path_factory.mktemp("db")
    folder = tmp / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(fake_document("A Council", 2024, ["1.2", "1.3"]), "utf-8")
    (folder / "b.txt").write_text(
        fake_document("B Homes", 2023, ["1.2", "9.9"], code="2022", answer="dunno"), "utf-8"
    )
    path = tmp / "t.duckdb"
    summary = batch.ingest([folder], path, workers=1, stages=FAKE_STAGES, progress=False)
    assert summary.count("ok") == 2
    return path


def test_every_command_is_listed_and_its_help_ends_with_an_example() -> None:
    top = runner.invoke(app, ["--help"], terminal_width=120)
    assert top.exit_code == 0
    for command in COMMANDS:
        assert command in top.output
        result = runner.invoke(app, [command, "--help"], terminal_width=120)
        assert result.exit_code == 0
        last = [line for line in result.output.splitlines() if line.strip()][-1]
        assert last.strip().startswith(f"Example: chc {command}"), (command, last)


def test_init_creates_provisions_idempotently(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    for _ in range(2):
        result = runner.invoke(app, ["init", "--db", str(path)])
        assert result.exit_code == 0 and "180 provisions" in result.stderr
    con = duckdb.connect(str(path), read_only=True)
    rows = con.execute("SELECT code_version, count(*) FROM provisions GROUP BY 1 ORDER BY 1")
    assert rows.fetchall() == [("2020", 36), ("2022", 72), ("2024", 72)]
    con.close()


def test_reference_crosswalk_shows_the_2024_provisions() -> None:
    result = runner.invoke(app, ["reference", "--crosswalk", "2022:4.1"], terminal_width=200)
    assert result.exit_code == 0
    assert "2022:4.1 → 2024:5.2" in result.stdout and "2022:4.1 → 2024:6.2" in result.stdout
    as_json = runner.invoke(app, ["reference", "--crosswalk", "2022:4.1", "--json"])
    expected = load_reference().counterparts("2022", "4.1")
    got = [
        (c["code_version"], c["provision_id"], c["relation"]) for c in json.loads(as_json.stdout)
    ]
    assert got == [(c.code_version, c.provision_id, c.relation) for c in expected]


def test_reference_lists_provisions_of_a_section() -> None:
    result = runner.invoke(app, ["reference", "--version", "2020", "--section", "1", "--json"])
    assert result.exit_code == 0
    assert [p["provision_id"] for p in json.loads(result.stdout)] == ["1a", "1b", "1c"]
    table = runner.invoke(app, ["reference", "--version", "2024"], terminal_width=200)
    assert "9.8" in table.stdout and "72 provisions" in table.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["reference", "--crosswalk", "2024-6.3"],
        ["reference", "--crosswalk", "2024:99.1"],
        ["reference", "--version", "2019"],
    ],
)
def test_reference_usage_errors_exit_2_with_a_hint(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "\nHint: " in result.stderr
    assert result.stdout == ""


def test_ingest_summary_goes_to_stderr_and_json_to_stdout(
    tmp_path: Path, fake_stages: None
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(fake_document("A Council", 2024, ["1.2"]), "utf-8")
    (folder / "README.md").write_text("# readme", "utf-8")
    path = tmp_path / "t.duckdb"
    args = ["ingest", str(folder), "--db", str(path), "--no-progress", "--json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0
    data = json.loads(first.stdout)
    assert (data["ok"], data["failed"], data["skipped_not_assessments"]) == (
        1, 0, [str(folder / "README.md")],
    )  # fmt: skip
    assert "1 stored ok" in first.stderr and "1 README/CHANGELOG" in first.stderr
    second = runner.invoke(app, args)
    assert json.loads(second.stdout)["skipped_unchanged"] == 1
    assert "Use --force" in second.stderr


def test_ingest_exit_1_when_a_file_fails(tmp_path: Path, fake_stages: None) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(fake_document("A Council", 2024, ["1.2"]), "utf-8")
    (folder / "empty.txt").write_text("", "utf-8")
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "t.duckdb"),
                                 "--no-progress"])  # fmt: skip
    assert result.exit_code == 1
    assert "failed: " in result.stderr and "empty" in result.stderr


def test_ingest_missing_path_and_bad_option_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "t")])
    assert missing.exit_code == 2 and "Error: No such file" in missing.stderr
    bad = runner.invoke(app, ["ingest", str(tmp_path), "--workers", "many"])
    assert bad.exit_code == 2


def test_ingest_on_a_database_in_use_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    store.open_db(path, load_reference()).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(path)])
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert result.exit_code == 2
    assert f"is in use by process {holder.pid} (" in result.stderr and "python" in result.stderr


def test_status_json_equals_the_library_result(db: Path) -> None:
    result = runner.invoke(app, ["status", "--db", str(db), "--json"])
    assert result.exit_code == 0
    con = store.connect(db, read_only=True)
    summary = store.status_summary(con)
    con.close()
    data = json.loads(result.stdout)
    assert data["by_status"] == dict(summary.by_status) == {"ok": 2}
    assert data["by_version"] == {"2022": 1, "2024": 1}
    assert data["assessment_rows"] == summary.assessment_rows == 4
    text = runner.invoke(app, ["status", "--db", str(db)], terminal_width=150)
    assert "2 documents" in text.stdout and "4 assessment rows" in text.stdout


def test_commands_on_a_missing_database_exit_2(tmp_path: Path) -> None:
    for command in ["status", "review", "export", "report"]:
        result = runner.invoke(app, [command, "--db", str(tmp_path / "none.duckdb")])
        assert result.exit_code == 2 and "There is no database" in result.stderr, command


def test_review_json_equals_the_library_result(db: Path) -> None:
    result = runner.invoke(app, ["review", "--db", str(db), "--json"])
    con = store.connect(db, read_only=True)
    items = store.review_items(con)
    con.close()
    data = json.loads(result.stdout)
    assert [(d["file_name"], d["row_number"], d["reason"], d["raw_cells"]) for d in data] == [
        (i.file_name, i.row_number, i.reason, list(i.raw_cells)) for i in items
    ]
    assert len(data) == 2 and data[0]["raw_cells"][2] == "dunno"
    text = runner.invoke(app, ["review", "--db", str(db)], terminal_width=200)
    assert "b.txt" in text.stdout and "2 rows need review" in text.stderr


def test_export_parquet_reads_back_with_the_same_counts(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = runner.invoke(app, ["export", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0
    con = store.connect(db, read_only=True)
    counts = store.table_counts(con)
    con.close()
    files = [Path(line) for line in result.stdout.splitlines()]
    assert len(files) == len(store.TABLES) + len(store.VIEWS)
    for path in files:
        assert len(pd.read_parquet(path)) == counts[path.stem]
    bad = runner.invoke(app, ["export", "--db", str(db), "--format", "xlsx", "--out", str(out)])
    assert bad.exit_code == 0 and Path(bad.stdout.strip()).name == "chc.xlsx"
    worse = runner.invoke(app, ["export", "--db", str(db), "--format", "json"])
    assert worse.exit_code == 2 and "Use --format parquet, csv or xlsx" in worse.stderr


def test_eval_json_equals_the_library_result(db: Path, tmp_path: Path) -> None:
    ref = load_reference()
    gold = tmp_path / "a.txt.jsonl"
    rows = []
    for n, pid in enumerate(["1.2", "1.3"], start=1):
        p = ref.get("2024", pid)
        assert p is not None
        rows.append({"row": n, "code_version": "2024", "provision_id": pid, "printed_id": pid,
                     "section": "1", "obligation": "must", "requirement": p.requirement_text,
                     "compliance_raw": "Yes", "compliance": "yes", "evidence": "evidence",
                     "commentary": "", "actions": ""})  # fmt: skip
    gold.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    missing = tmp_path / "zzz.pdf.jsonl"
    missing.write_text(json.dumps(rows[0]) + "\n", "utf-8")
    result = runner.invoke(app, ["eval", str(gold), str(missing), "--db", str(db), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == evaluate_database(db, [gold, missing]).as_dict()
    (scored,) = [d for d in data["documents"] if d["status"] != "not_stored"]
    assert (scored["recall"], scored["precision"], scored["answer_accuracy"]) == (1.0, 1.0, 1.0)
    assert data["overall"]["documents_not_stored"] == 1
    text = runner.invoke(app, ["eval", str(gold), "--db", str(db)], terminal_width=200)
    assert "recall 100.0%" in text.stdout


def test_report_writes_the_benchmark_files(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stderr
    names = {Path(line).name for line in result.stdout.splitlines()}
    assert {"index.html", "benchmark.md", "scorecards.md", "landlords.csv"} <= names


def test_review_filters_summary_and_wrapping(db: Path) -> None:
    both = runner.invoke(app, ["review", "--db", str(db)], env={"COLUMNS": "90"})
    assert both.exit_code == 0
    # The summary by reason comes before the rows; the landlord is a column.
    assert both.stdout.index("by reason") < both.stdout.index("b.txt")
    assert "B Homes 2023" in both.stdout and "ambiguous_answer" in both.stdout
    for line in both.stdout.splitlines():
        assert len(line) <= 90
    # Words are wrapped whole: every reason code appears unbroken.
    assert both.stdout.count("ambiguous_answer") >= 3
    one = runner.invoke(app, ["review", "--db", str(db), "--landlord", "b homes", "--json"])
    assert {d["landlord"] for d in json.loads(one.stdout)} == {"B Homes"}
    none = runner.invoke(app, ["review", "--db", str(db), "--version", "2024", "--json"])
    assert json.loads(none.stdout) == []
    limited = runner.invoke(app, ["review", "--db", str(db), "--limit", "1"])
    assert "1 rows need review (showing 1)" in limited.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--limit", "0"], "greater than or equal to 1"),
        (["--version", "2019"], "not a Code version"),
        (["--reason", "nonsense"], "Reasons in this database: ambiguous_answer"),
    ],
)
def test_review_bad_filters_exit_2(db: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["review", "--db", str(db), *args])
    assert result.exit_code == 2 and message in result.output + result.stderr


def test_python_dash_m_pipeline_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "reference", "--version", "2020", "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 36


CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.slow
def test_corpus_ingest_twice_then_eval_from_stored_data(tmp_path: Path) -> None:
    # The non-PDF part of the bundled corpus (PDFs take ~10 s each; the PDF readers'
    # own corpus tests cover them). Real stages, through the CLI.
    files = sorted(
        str(p) for p in (CORPUS / "documents").iterdir() if p.suffix in {".txt", ".docx", ".html"}
    )
    assert len(files) >= 15
    path = tmp_path / "c.duckdb"
    args = ["ingest", *files, "--db", str(path), "--manifest", str(CORPUS / "manifest.csv"),
            "--workers", "2", "--no-progress", "--json"]  # fmt: skip
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["ok"] == len(files)
    con = store.connect(path, read_only=True)
    before = store.table_counts(con)
    landlords = con.execute("SELECT count(DISTINCT landlord) FROM documents").fetchone()
    inferred = con.execute("SELECT count(*) FROM documents WHERE landlord_inferred").fetchone()
    con.close()
    assert landlords == (5,) and inferred == (0,)  # manifest names, merged across files
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert json.loads(second.stdout)["skipped_unchanged"] == len(files)
    con = store.connect(path, read_only=True)
    assert store.table_counts(con) == before
    con.close()
    golds = [CORPUS / "gold" / f"{Path(f).name}.jsonl" for f in files]
    result = runner.invoke(app, ["eval", *map(str, golds), "--db", str(path), "--json"])
    overall = json.loads(result.stdout)["overall"]
    assert overall["documents_scored"] == len(files)
    assert overall["version_accuracy"] == 1.0
    assert overall["recall"] >= 0.95 and overall["precision"] >= 0.95
    assert overall["answer_accuracy"] >= 0.95


def test_version_prints_the_installed_version() -> None:
    from importlib import metadata

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"chc {metadata.version('chc')}"


def test_help_shows_no_type_names_and_every_default() -> None:
    import re

    import typer

    group = typer.main.get_command(app)
    for name in ["", *COMMANDS]:
        args = [name, "--help"] if name else ["--help"]
        result = runner.invoke(app, args, terminal_width=250)
        assert result.exit_code == 0
        found = re.findall(r"<[a-z][a-z\[\]|, ]*>", result.output)
        assert not found, (name, found)
        if not name:
            continue
        command = group.commands[name]  # type: ignore[attr-defined]
        options = [p for p in command.params if p.param_type_name == "option" and p.name != "help"]
        assert result.output.count("[default:") == len(options), name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "nan"], "--timeout must be a positive number of seconds, not nan"),
        (["--timeout", "inf"], "not inf"),
        (["--timeout", "0"], "not 0"),
        (["--timeout", "-1"], "not -1"),
        (["--workers", "0"], "--workers must be at least 1, not 0"),
        (["--workers", "-3"], "not -3"),
        (["--limit", "pages=lots"], "--limit pages=lots is not valid"),
        (["--limit", "speed=3"], "is not NAME=VALUE with a known NAME"),
    ],
)
def test_ingest_option_values_are_checked_first(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db), *args])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert "\nHint: " in result.stderr and not db.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"file,landlord\nx.pdf,Caf\xe9\n", "is not UTF-8 text (byte 0xe9 on line 2)"),
        (b"path,landlord\nx.pdf,A\n", "has no 'file' column"),
    ],
)
def test_bad_manifest_is_a_usage_error(tmp_path: Path, content: bytes, message: str) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_bytes(content)
    args = ["ingest", str(tmp_path), "--db", str(tmp_path / "t.duckdb"), "--manifest"]
    result = runner.invoke(app, [*args, str(manifest)])
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


def test_a_sqlite_file_as_db_is_refused_by_every_command(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.commit()
    before = path.read_bytes()
    for args in (["ingest", str(tmp_path / "in")], ["status"], ["init"], ["review"], ["export"]):
        (tmp_path / "in").mkdir(exist_ok=True)
        result = runner.invoke(app, [*args, "--db", str(path)])
        assert result.exit_code == 2, args
        assert "is a SQLite database, not a DuckDB database" in result.stderr
    assert path.read_bytes() == before


def test_chc_db_sets_the_default_database(tmp_path: Path, db: Path) -> None:
    result = runner.invoke(app, ["status", "--json"], env={"CHC_DB": str(db)})
    assert result.exit_code == 0 and json.loads(result.stdout)["documents"] == 2


def test_review_limit_must_be_a_count(db: Path) -> None:
    result = runner.invoke(app, ["review", "--db", str(db), "--limit", "-3"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--limit" in result.output and "greater than or equal to 1" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe\x00garbage", "not UTF-8 text"), (b'{"row": 1}\n', "line 1: missing keys")],
)
def test_eval_bad_gold_file_is_a_sentence(
    db: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    gold = tmp_path / "x.jsonl"
    gold.write_bytes(content)
    result = runner.invoke(app, ["eval", str(gold), "--db", str(db)])
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


def test_ocr_without_the_programs_says_how_to_enable_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "t"), "--ocr"])
    assert result.exit_code == 2
    assert "--ocr needs ocrmypdf and tesseract" in result.stderr and "make ocr" in result.stderr


def test_read_commands_on_a_version_1_database_ask_for_chc_init(tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("CREATE TABLE schema_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO schema_meta VALUES ('schema_version', '1')")
    con.close()
    for command in ["status", "review", "export", "report"]:
        result = runner.invoke(
            app,
            [command, "--db", str(old), "--out", str(tmp_path / "o")]
            if command in ("export", "report")
            else [command, "--db", str(old)],
        )
        assert result.exit_code == 2, command
        assert "schema version 1" in result.stderr and "chc init" in result.stderr, command
