"""Reads gold files: JSON Lines (one file per document, schema in corpus/gold and
../shared/gold READMEs) and the CSV of real published forms (one file for many documents,
``file,code_version,provision_id,compliance[,requirement_start]`` as in
../shared/real-dev/gold.csv)."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pipeline.discover import open_regular
from pipeline.errors import ReadError, UsageError
from pipeline.pathnames import display_path
from pipeline.records import CodeVersion, Compliance

GOLD_KEYS = (
    "row",
    "code_version",
    "provision_id",
    "printed_id",
    "section",
    "obligation",
    "requirement",
    "compliance_raw",
    "compliance",
    "evidence",
    "commentary",
    "actions",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldRow:
    """One hand-checked self-assessment row."""

    row: int
    code_version: CodeVersion
    provision_id: str
    printed_id: str
    section: str
    obligation: str
    requirement: str
    compliance_raw: str
    compliance: Compliance
    evidence: str
    commentary: str
    actions: str
    # False for CSV gold, which gives only the requirement's first words: stored rows are
    # then matched on the provision id alone.
    full_requirement: bool = True


CSV_KEYS = ("file", "code_version", "provision_id", "compliance")


def _gold_text(path: Path) -> str:
    """A gold file's text; a FIFO, folder or non-UTF-8 file is a UsageError."""
    try:
        with os.fdopen(open_regular(path), "rb") as handle:
            return handle.read().decode("utf-8")
    except ReadError as err:
        raise UsageError(f"Cannot read gold file: {err.message}", err.hint) from err
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(
            f"Cannot read gold file {display_path(path)}: not UTF-8 text ({err}).",
            "Save it as UTF-8: JSON Lines with the 12 keys of the gold README, or a CSV "
            "with the columns file,code_version,provision_id,compliance.",
        ) from err


def load_gold_csv(path: Path) -> dict[str, tuple[GoldRow, ...]]:
    """Read a gold CSV: the gold rows of each document, keyed by the document's file name.

    Raises:
        UsageError: the file cannot be read, or lacks a column, or a line is malformed.
    """
    reader = csv.DictReader(io.StringIO(_gold_text(path).removeprefix("\ufeff"), newline=""))
    try:
        missing = [k for k in CSV_KEYS if k not in (reader.fieldnames or ())]
        if missing:
            raise UsageError(
                f"Gold file {display_path(path)} lacks the columns {', '.join(missing)}.",
                "A gold CSV has the columns file,code_version,provision_id,compliance.",
            )
        records = list(reader)
    except csv.Error as err:
        raise UsageError(
            f"Gold file {display_path(path)} is not valid CSV (line {reader.line_num}: {err}).",
            "A gold CSV has the columns file,code_version,provision_id,compliance.",
        ) from err
    out: dict[str, list[GoldRow]] = {}
    for number, rec in enumerate(records, start=2):
        if not (rec.get("file") and rec.get("provision_id")):
            raise UsageError(
                f"Gold file {display_path(path)}, line {number}: no file or provision_id.",
                "Every line names the file and the provision_id.",
            )
        name = Path(rec["file"]).name
        out.setdefault(name, []).append(
            GoldRow(
                row=len(out[name]) + 1,
                code_version=cast(CodeVersion, rec["code_version"]),
                provision_id=rec["provision_id"],
                printed_id="",
                section="",
                obligation="",
                requirement=rec.get("requirement_start") or "",
                compliance_raw="",
                compliance=cast(Compliance, rec["compliance"]),
                evidence="",
                commentary="",
                actions="",
                full_requirement=False,
            )
        )
    return {name: tuple(rows) for name, rows in out.items()}


def load_gold(path: Path) -> tuple[GoldRow, ...]:
    """Read one gold file; raises UsageError naming the file and line when malformed."""
    rows: list[GoldRow] = []
    lines = _gold_text(path).splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            missing = [k for k in GOLD_KEYS if k not in data]
            if missing:
                raise ValueError(f"missing keys {missing}")
            rows.append(
                GoldRow(
                    row=int(data["row"]),
                    code_version=cast(CodeVersion, str(data["code_version"])),
                    provision_id=str(data["provision_id"]),
                    printed_id=str(data["printed_id"]),
                    section=str(data["section"]),
                    obligation=str(data["obligation"]),
                    requirement=str(data["requirement"]),
                    compliance_raw=str(data["compliance_raw"]),
                    compliance=cast(Compliance, str(data["compliance"])),
                    evidence=str(data["evidence"]),
                    commentary=str(data["commentary"]),
                    actions=str(data["actions"]),
                )
            )
        except (ValueError, TypeError) as err:
            raise UsageError(
                f"Gold file {display_path(path)}, line {number}: {err}.",
                "Each line must be one JSON object with the 12 keys of the gold README.",
            ) from err
    return tuple(rows)


def gold_document_name(path: Path) -> str:
    """The document a gold file describes: ``X.pdf.jsonl`` -> ``X.pdf``; ``X.jsonl`` -> ``X``
    (then matched against document file stems)."""
    return path.name.removesuffix(".jsonl")
