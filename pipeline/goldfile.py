"""Reads gold files: JSON Lines (one file per document, schema in corpus/gold and
../shared/gold READMEs) and the CSV of real published forms (one file for many documents,
``file,code_version,provision_id,compliance[,requirement_start]`` as in
../shared/real-dev/gold.csv)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pipeline.errors import ChcError
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


def load_gold_csv(path: Path) -> dict[str, tuple[GoldRow, ...]]:
    """Read a gold CSV: the gold rows of each document, keyed by the document's file name.

    Raises:
        ChcError: the file cannot be read, or lacks a column, or a line is malformed.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [k for k in CSV_KEYS if k not in (reader.fieldnames or ())]
            if missing:
                raise ChcError(
                    f"Gold file {path} lacks the columns {', '.join(missing)}.",
                    "A gold CSV has the columns file,code_version,provision_id,compliance.",
                )
            records = list(reader)
    except (OSError, UnicodeDecodeError) as err:
        raise ChcError(f"Cannot read gold file {path}: {err}.") from err
    out: dict[str, list[GoldRow]] = {}
    for number, rec in enumerate(records, start=2):
        if not (rec.get("file") and rec.get("provision_id")):
            raise ChcError(f"Gold file {path}, line {number}: no file or provision_id.")
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
    """Read one gold file; raises ChcError naming the file and line when malformed."""
    rows: list[GoldRow] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise ChcError(f"Cannot read gold file {path}: {err.strerror}.") from err
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
            raise ChcError(
                f"Gold file {path}, line {number}: {err}.",
                "Each line must be one JSON object with the 12 keys of the gold README.",
            ) from err
    return tuple(rows)


def gold_document_name(path: Path) -> str:
    """The document a gold file describes: ``X.pdf.jsonl`` -> ``X.pdf``; ``X.jsonl`` -> ``X``
    (then matched against document file stems)."""
    return path.name.removesuffix(".jsonl")
