"""Loads the reference Code data in ``reference/``: provisions of the 2020, 2022 and
2024 Code, the crosswalk between versions, and the landlord alias table.

Nothing here reads ``../shared``: the data is copied into the project (see
``reference/README.md``).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, cast

from pipeline.errors import ChcError
from pipeline.records import CODE_VERSIONS, CodeVersion, Obligation

Relation = Literal["same", "similar", "split", "merged", "none"]
RELATIONS: tuple[Relation, ...] = ("same", "similar", "split", "merged", "none")

REFERENCE_DIR = Path(
    os.environ.get("CHC_REFERENCE_DIR", Path(__file__).resolve().parents[1] / "reference")
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Provision:
    """One provision (2022/2024) or question (2020) of the Code's self-assessment form.

    ``order`` is the 0-based position in Code (numeric) order within its version.
    """

    code_version: CodeVersion
    provision_id: str
    section_number: int
    section_title: str
    obligation: Obligation
    requirement_text: str
    order: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CrosswalkLink:
    """One crosswalk row. ``from_id``/``to_id`` are "" for dropped/new provisions."""

    from_version: CodeVersion
    from_id: str
    to_version: CodeVersion
    to_id: str
    relation: Relation
    note: str

    @property
    def new_id(self) -> str:
        """For a 'new in later version' row (both ids empty), the id named in the note."""
        if self.from_id or self.to_id:
            return ""
        found = re.search(r"provision\s+(\d+\.\d+|\d[a-z])", self.note)
        return found.group(1) if found else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Counterpart:
    """A provision in another version that expresses (part of) the same requirement."""

    code_version: CodeVersion
    provision_id: str
    relation: Relation
    path: tuple[str, ...]  # e.g. ("2020:4g", "2022:5.1", "2024:6.2") when chained


@dataclass(frozen=True, slots=True)
class Reference:
    """The reference data, with lookups used by the matcher and the CLI."""

    provisions: tuple[Provision, ...]
    crosswalk: tuple[CrosswalkLink, ...]

    def version(self, code_version: str) -> tuple[Provision, ...]:
        """Provisions of one version, in Code order."""
        return tuple(p for p in self.provisions if p.code_version == code_version)

    def get(self, code_version: str, provision_id: str) -> Provision | None:
        """One provision, or None if the id does not exist in that version."""
        return _index(self).get((code_version, provision_id))

    def counterparts(self, code_version: str, provision_id: str) -> tuple[Counterpart, ...]:
        """The provisions of the other versions linked to this one, following the
        crosswalk forwards and backwards (2020 <-> 2022 <-> 2024, chained)."""
        start = f"{code_version}:{provision_id}"
        seen = {start}
        found: list[Counterpart] = []
        frontier: list[tuple[str, tuple[str, ...], Relation]] = [(start, (start,), "same")]
        while frontier:
            node, path, relation = frontier.pop(0)
            for other, rel in _neighbours(self, node):
                if other in seen:
                    continue
                seen.add(other)
                chained = rel if relation == "same" else (relation if rel == "same" else "similar")
                version, pid = other.split(":", 1)
                found.append(
                    Counterpart(
                        code_version=cast(CodeVersion, version),
                        provision_id=pid,
                        relation=chained,
                        path=(*path, other),
                    )
                )
                # Only chain onward through a different version than where we came from.
                frontier.append((other, (*path, other), chained))
        own = code_version
        return tuple(sorted((c for c in found if c.code_version != own), key=_counterpart_key))


def _counterpart_key(c: Counterpart) -> tuple[str, int, str]:
    return (c.code_version, len(c.path), c.provision_id)


@cache
def _index(ref: Reference) -> dict[tuple[str, str], Provision]:
    return {(p.code_version, p.provision_id): p for p in ref.provisions}


@cache
def _graph(ref: Reference) -> dict[str, list[tuple[str, Relation]]]:
    graph: dict[str, list[tuple[str, Relation]]] = {}
    for link in ref.crosswalk:
        if not (link.from_id and link.to_id):
            continue
        a = f"{link.from_version}:{link.from_id}"
        b = f"{link.to_version}:{link.to_id}"
        graph.setdefault(a, []).append((b, link.relation))
        graph.setdefault(b, []).append((a, link.relation))
    return graph


def _neighbours(ref: Reference, node: str) -> list[tuple[str, Relation]]:
    return _graph(ref).get(node, [])


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        raise ChcError(
            f"Reference file {path} is missing.",
            "Restore it from git (`git checkout -- reference/`) or set CHC_REFERENCE_DIR.",
        )
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _section_key(pid: str) -> tuple[int, int | str]:
    if "." in pid:
        section, number = pid.split(".", 1)
        return int(section), int(number)
    return int(pid[0]), pid[1:]


def load_provisions(directory: Path) -> tuple[Provision, ...]:
    """Read ``provisions_<version>.csv`` for every version, in Code order."""
    provisions: list[Provision] = []
    for version in CODE_VERSIONS:
        rows = list(_read_csv(directory / f"provisions_{version}.csv"))
        rows.sort(key=lambda r: _section_key(r["provision_id"]))
        for order, r in enumerate(rows):
            provisions.append(
                Provision(
                    code_version=version,
                    provision_id=r["provision_id"],
                    section_number=int(r["section_number"]),
                    section_title=r["section_title"],
                    obligation=cast(Obligation, r["obligation"]),
                    requirement_text=r["requirement_text"],
                    order=order,
                )
            )
    return tuple(provisions)


def load_crosswalk(directory: Path) -> tuple[CrosswalkLink, ...]:
    """Read ``crosswalk.csv``."""
    return tuple(
        CrosswalkLink(
            from_version=cast(CodeVersion, r["from_version"]),
            from_id=r["from_id"],
            to_version=cast(CodeVersion, r["to_version"]),
            to_id=r["to_id"],
            relation=cast(Relation, r["relation"]),
            note=r["note"],
        )
        for r in _read_csv(directory / "crosswalk.csv")
    )


@cache
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Load (once per process) the provisions and crosswalk from ``directory``."""
    return Reference(load_provisions(directory), load_crosswalk(directory))
