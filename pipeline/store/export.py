"""``chc export``: every table and view as Parquet, CSV (UTF-8 with a byte-order mark, so
Excel reads accents and the £ sign right) or one Excel workbook."""

from __future__ import annotations

import codecs
import re
import shutil
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from pipeline.errors import UsageError
from pipeline.store.schema import TABLES, VIEWS

ExportFormat = Literal["parquet", "csv", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("parquet", "csv", "xlsx")
XLSX_NAME = "chc.xlsx"
_EXCEL_CELL_LIMIT = 32_767  # characters in one Excel cell
# Control characters that the XLSX format cannot hold (openpyxl refuses them).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def make_out_dir(out_dir: Path) -> None:
    """Create an output folder (and parents); a UsageError when it cannot be created."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(
            f"Cannot create the folder {out_dir}: {err.strerror}.", "Pass a writable --out."
        ) from err


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def write_csv_with_bom(con: duckdb.DuckDBPyConnection, sql: str, target: Path) -> None:
    """DuckDB's COPY to CSV (header, RFC 4180 quoting), prefixed with the UTF-8 BOM."""
    partial = target.with_name(target.name + ".part")
    con.execute(f"COPY ({sql}) TO '{_quoted(partial)}' (FORMAT csv, HEADER true)")
    with target.open("wb") as out, partial.open("rb") as body:
        out.write(codecs.BOM_UTF8)
        shutil.copyfileobj(body, out)
    partial.unlink()


def _excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    def clean(value: object) -> object:
        if isinstance(value, str):
            return _ILLEGAL_XLSX.sub(" ", value)[:_EXCEL_CELL_LIMIT]
        return value

    text = frame.select_dtypes(include="object").columns
    return frame.assign(**{c: frame[c].map(clean) for c in text})


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: ExportFormat) -> list[Path]:
    """Write every table and view to ``out_dir``.

    Parquet and CSV: one ``<name>.<fmt>`` file per table and view. XLSX: one workbook
    ``chc.xlsx`` with a sheet per table and view (cells over Excel's 32,767 characters
    are cut there; the other formats keep them whole).

    Raises:
        UsageError: unknown format, or ``out_dir`` cannot be created.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}.", "Use --format parquet, csv or xlsx.")
    make_out_dir(out_dir)
    names = (*TABLES, *VIEWS)
    if fmt == "xlsx":
        target = out_dir / XLSX_NAME
        with pd.ExcelWriter(target, engine="openpyxl") as book:
            for name in names:
                frame = con.execute(f"SELECT * FROM {name}").df()
                _excel_safe(frame).to_excel(book, sheet_name=name, index=False)
        return [target]
    written: list[Path] = []
    for name in names:
        target = out_dir / f"{name}.{fmt}"
        if fmt == "csv":
            write_csv_with_bom(con, f"SELECT * FROM {name}", target)
        else:
            con.execute(f"COPY (SELECT * FROM {name}) TO '{_quoted(target)}' (FORMAT parquet)")
        written.append(target)
    return written
