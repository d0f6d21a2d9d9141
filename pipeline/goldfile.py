"""Reads gold files (JSON Lines, schema in corpus/gold and ../shared/gold READMEs)."""

from __future__ import annotations

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


def load_gold(path: Path) -> tuple[GoldRow, ...]:
    """Read one gold file; raises UsageError naming the file and line when malformed."""
    rows: list[GoldRow] = []
    try:
        with os.fdopen(open_regular(path), "rb") as handle:
            lines = handle.read().decode("utf-8").splitlines()
    except ReadError as err:
        raise UsageError(f"Cannot read gold file: {err.message}", err.hint) from err
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(
            f"Cannot read gold file {display_path(path)}: not UTF-8 JSON Lines ({err}).",
            "Each line must be one JSON object with the 12 keys of the gold README.",
        ) from err
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
