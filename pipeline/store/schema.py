"""The database file: connecting, the schema and its migrations, the reference data.

``init_db`` creates the tables (``schema.sql``), brings an older database up to
``SCHEMA_VERSION`` with the ``MIGRATIONS``, recreates the views (``views.sql``) and
reloads the reference Code (provisions, crosswalk and the crosswalk links computed by
``pipeline.reference``), all in one transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipeline import dbfile
from pipeline.errors import UsageError
from pipeline.reference import Reference

SCHEMA_VERSION = 2
# version -> statements that bring a database of the previous version up to it (the new
# tables themselves come from schema.sql, which only creates what is missing).
MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE provisions ADD COLUMN IF NOT EXISTS answer_kind VARCHAR",),
}
TABLES = (
    "schema_meta",
    "provisions",
    "crosswalk",
    "crosswalk_links",
    "documents",
    "document_paths",
    "assessments",
    "member_answers",
)
VIEWS = (
    "v_assessment_documents",
    "v_assessments",
    "v_answers",
    "v_latest_documents",
    "v_latest",
    "v_crosswalk_links",
    "v_crosswalk_answers",
    "v_review",
)
_HERE = Path(__file__).parent


def _is_lock_error(err: Exception) -> bool:
    text = str(err).lower()
    return "lock" in text or "different configuration" in text


def connect(db_path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database; translate DuckDB's errors into ones a user can act on.

    Raises:
        UsageError: read-only and there is no database yet, or the file is not DuckDB.
        DatabaseInUseError: another process holds the database open for writing.
    """
    if read_only and not db_path.exists():
        raise UsageError(
            f"There is no database at {db_path}.",
            f"Run `chc ingest PATH --db {db_path}` first, or pass --db with the right file.",
        )
    dbfile.check_database_file(db_path)  # a SQLite file, a FIFO... never reach DuckDB
    hint = "Check that --db names a DuckDB file written by chc (or a new file name)."
    try:
        return duckdb.connect(str(db_path), read_only=read_only, config=dbfile.DUCKDB_CONFIG)
    except (duckdb.IOException, duckdb.ConnectionException) as err:
        if _is_lock_error(err):
            raise dbfile.in_use_error(db_path, err) from err
        raise UsageError(f"Cannot open the database {db_path}: {err}", hint) from err
    except duckdb.Error as err:
        raise UsageError(f"Cannot open the database {db_path}: {err}", hint) from err


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version recorded in ``schema_meta``, or None for a new database."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_meta'"
    ).fetchone()
    if not exists or not exists[0]:
        return None
    row = con.execute("SELECT value FROM schema_meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def require_current_schema(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Raise a UsageError unless the database has this chc's schema version.

    Read-only commands (report, review, export) need the current views; ``chc init``
    (or any ``chc ingest``) migrates an older database.
    """
    found = schema_version(con)
    if found == SCHEMA_VERSION:
        return
    if found is None:
        raise UsageError(
            f"{db_path} is not a chc database (no schema_meta table).",
            "Pass the --db written by `chc ingest`, or run `chc init --db FILE` to create one.",
        )
    if found < SCHEMA_VERSION:
        raise UsageError(
            f"The database {db_path} has schema version {found}; this chc reads version "
            f"{SCHEMA_VERSION}.",
            f"Run `chc init --db {db_path}` once to migrate it (the data is kept).",
        )
    raise UsageError(
        f"The database {db_path} has schema version {found}; this chc understands up to "
        f"{SCHEMA_VERSION}.",
        "Upgrade chc (`pip install -U chc`) or use another --db.",
    )


def init_db(con: duckdb.DuckDBPyConnection, reference: Reference) -> None:
    """Create or migrate the schema, recreate the views and reload the reference data.

    Idempotent; all in one transaction.

    Raises:
        UsageError: the database was written by a newer chc (higher schema version).
    """
    found = schema_version(con)
    if found is not None and found > SCHEMA_VERSION:
        raise UsageError(
            f"The database has schema version {found}; this chc understands up to "
            f"{SCHEMA_VERSION}.",
            "Upgrade chc (`pip install -U chc`) or use another --db.",
        )
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute((_HERE / "schema.sql").read_text(encoding="utf-8"))
        for version in range((found or SCHEMA_VERSION) + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS.get(version, ()):
                con.execute(statement)
        _load_reference(con, reference)
        con.execute((_HERE / "views.sql").read_text(encoding="utf-8"))
        _write_meta(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _write_meta(con: duckdb.DuckDBPyConnection) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    meta = {"schema_version": str(SCHEMA_VERSION), "chc_version": metadata.version("chc")}
    for key, value in meta.items():
        con.execute("DELETE FROM schema_meta WHERE key = ?", [key])
        con.execute("INSERT INTO schema_meta VALUES (?, ?)", [key, value])
    if not con.execute("SELECT 1 FROM schema_meta WHERE key = 'created_at'").fetchone():
        con.execute("INSERT INTO schema_meta VALUES ('created_at', ?)", [now.isoformat()])


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: Any) -> None:
    """Bulk-insert an Arrow table by column name (DuckDB reads it zero-copy)."""
    if data.num_rows == 0:
        return
    con.register("_chc_batch", data)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _chc_batch")
    finally:
        con.unregister("_chc_batch")


def _load_reference(con: duckdb.DuckDBPyConnection, reference: Reference) -> None:
    provisions = pa.Table.from_pylist(
        [
            {
                "code_version": p.code_version,
                "provision_id": p.provision_id,
                "section_number": p.section_number,
                "section_title": p.section_title,
                "obligation": p.obligation,
                "requirement_text": p.requirement_text,
                "code_order": p.order,
                "answer_kind": p.answer_kind,
            }
            for p in reference.provisions
        ]
    )
    crosswalk = pa.Table.from_pylist(
        [
            {
                "from_version": c.from_version,
                "from_id": c.from_id,
                "to_version": c.to_version,
                "to_id": c.to_id,
                "relation": c.relation,
                "note": c.note,
            }
            for c in reference.crosswalk
        ]
    )
    links = pa.Table.from_pylist(
        [
            {
                "from_version": version,
                "from_id": pid,
                "to_version": c.code_version,
                "to_id": c.provision_id,
                "relation": c.relation,
                "steps": c.steps,
                "path": " → ".join(c.path),
            }
            for version, pid, c in reference.crosswalk_links()
        ]
    )
    for table, data in (("provisions", provisions), ("crosswalk", crosswalk)):
        con.execute(f"DELETE FROM {table}")
        insert_arrow(con, table, data)
    con.execute("DELETE FROM crosswalk_links")
    insert_arrow(con, "crosswalk_links", links)


def open_db(db_path: Path, reference: Reference) -> duckdb.DuckDBPyConnection:
    """Connect for writing and make sure the schema and reference data are in place."""
    con = connect(db_path)
    try:
        init_db(con, reference)
    except BaseException:
        con.close()
        raise
    return con


def open_for_reading(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Connect read-only to a database of the current schema (see require_current_schema)."""
    con = connect(db_path, read_only=True)
    try:
        require_current_schema(con, db_path)
    except BaseException:
        con.close()
        raise
    return con
