"""The user's manifest: per-file metadata (``chc ingest --manifest CSV``).

Columns ``file,landlord,landlord_type,assessment_year,url`` (other columns ignored, any
cell may be blank). Every problem with the file itself (not there, not UTF-8, not CSV,
no ``file`` column, a bad year or landlord type) is a UsageError naming the line.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.discover import open_regular
from pipeline.errors import ReadError, UsageError
from pipeline.pathnames import display_path
from pipeline.records import LandlordType

_MAX_BYTES = 64 << 20
_LANDLORD_TYPES: dict[str, LandlordType] = {
    "council": "council",
    "local authority": "council",
    "housing association": "housing_association",
    "housing_association": "housing_association",
    "ha": "housing_association",
    "almo": "almo",
    "other": "other",
    "unknown": "unknown",
}
_COLUMNS = "file,landlord,landlord_type,assessment_year,url"


@dataclass(frozen=True, slots=True, kw_only=True)
class ManifestEntry:
    """What the user's manifest says about one file; None where the cell is blank."""

    file: str
    landlord: str | None = None
    landlord_type: str | None = None
    assessment_year: int | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    """The user's per-file metadata; ``entry_for`` finds a file's row."""

    directory: Path
    entries: tuple[ManifestEntry, ...]

    def entry_for(self, path: Path) -> ManifestEntry | None:
        """The entry whose ``file`` is ``path`` relative to the manifest's folder,
        else the entry with the same file name (first one)."""
        by_path, by_name = _manifest_index(self)
        return by_path.get(os.path.realpath(path)) or by_name.get(path.name)


@cache
def _manifest_index(
    manifest: Manifest,
) -> tuple[dict[str, ManifestEntry], dict[str, ManifestEntry]]:
    by_path: dict[str, ManifestEntry] = {}
    by_name: dict[str, ManifestEntry] = {}
    for entry in manifest.entries:
        by_path.setdefault(os.path.realpath(manifest.directory / entry.file), entry)
        by_name.setdefault(Path(entry.file).name, entry)
    return by_path, by_name


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _read_text(path: Path) -> str:
    shown = display_path(path)
    try:
        fd = open_regular(path)
    except ReadError as err:
        raise UsageError(
            f"Cannot read the manifest: {err.message}", "Check the --manifest path."
        ) from err
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        raise UsageError(
            f"The manifest {shown} is over {_MAX_BYTES >> 20} MB; that is not a manifest.",
            "Check the --manifest path.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise UsageError(
            f"The manifest {shown} is not UTF-8 text (byte 0x{data[err.start]:02x} on line "
            f"{line}).",
            "Save it as 'CSV UTF-8' (in Excel: File > Save As > CSV UTF-8), or convert it, "
            "e.g. `iconv -f WINDOWS-1252 -t UTF-8 manifest.csv > manifest-utf8.csv`.",
        ) from err


def _year(path: Path, line: int, text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or not 2019 <= int(text) <= 2100:
        raise UsageError(
            f"Manifest {display_path(path)}, line {line}: assessment_year {text!r} is not a year.",
            "Write a four-digit year such as 2024, or leave the cell blank.",
        )
    return int(text)


def _landlord_type(path: Path, line: int, kind: str | None) -> str | None:
    if kind is None:
        return None
    normal = _LANDLORD_TYPES.get(kind.lower().replace("-", " "))
    if normal is None:
        raise UsageError(
            f"Manifest {display_path(path)}, line {line}: landlord_type {kind!r} is not known.",
            "Use council, housing_association, almo or other (or leave it blank).",
        )
    return normal


def load_manifest(path: Path) -> Manifest:
    """Read a manifest CSV.

    Raises:
        UsageError: the file is missing or not a regular file, not UTF-8, not valid
            CSV, has no ``file`` column, or a row has a bad year or landlord type.
    """
    shown = display_path(path)
    reader = csv.DictReader(_read_text(path).splitlines())
    try:
        names = [(n or "").strip().lower() for n in reader.fieldnames or []]
        if "file" not in names:
            raise UsageError(
                f"The manifest {shown} has no 'file' column.",
                f"The first line must name the columns: {_COLUMNS}.",
            )
        reader.fieldnames = names
        entries: list[ManifestEntry] = []
        for row in reader:
            line = reader.line_num
            file = _blank(row.get("file"))
            if file is None:
                continue
            entries.append(
                ManifestEntry(
                    file=file,
                    landlord=_blank(row.get("landlord")),
                    landlord_type=_landlord_type(path, line, _blank(row.get("landlord_type"))),
                    assessment_year=_year(path, line, _blank(row.get("assessment_year"))),
                    url=_blank(row.get("url")),
                )
            )
    except csv.Error as err:
        raise UsageError(
            f"The manifest {shown} is not valid CSV (line {reader.line_num}: {err}).",
            f"Save it as CSV with the columns {_COLUMNS}.",
        ) from err
    return Manifest(directory=Path(os.path.realpath(path)).parent, entries=tuple(entries))
