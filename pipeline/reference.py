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
AnswerKind = Literal["yes_no", "text"]
"""``yes_no``: the form asks for a compliance answer (scored); ``text``: an open question
(a proportion, "what improvements...", "at what stage...") answered in words, not scored."""
ANSWER_KINDS: tuple[AnswerKind, ...] = ("yes_no", "text")

REFERENCE_DIR = Path(
    os.environ.get("CHC_REFERENCE_DIR", Path(__file__).resolve().parents[1] / "reference")
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Provision:
    """One provision (2022/2024) or question (2020) of the Code's self-assessment form.

    ``order`` is the 0-based position in Code (numeric) order within its version;
    ``answer_kind`` says whether the form asks for a compliance answer (see AnswerKind).
    """

    code_version: CodeVersion
    provision_id: str
    section_number: int
    section_title: str
    obligation: Obligation
    requirement_text: str
    order: int
    answer_kind: AnswerKind = "yes_no"


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

    @property
    def steps(self) -> int:
        """1 for a direct crosswalk link, 2 for a link chained through 2022."""
        return len(self.path) - 1


# eq=False: a Reference is one loaded object, compared and hashed by identity, so
# the lookups cached on it (`_index`, `_graph`, the anchors' trigram index) cost a
# pointer hash instead of hashing every provision's text on each call.
@dataclass(frozen=True, slots=True, eq=False)
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
        """The provisions of the other versions that express (part of) this requirement.

        The one crosswalk rule of chc (``chc reference --crosswalk`` and the database
        view ``v_crosswalk_links`` both come from here):

        * every crosswalk row touching the provision is a direct link, in either
          direction, with the row's relation;
        * 2020 and 2024 are linked through 2022 in one chained step, only when one of
          the two links is ``same`` and the other is not ``similar``; the chained
          relation is the other link's. "similar" is never chained, and a chain never
          comes back to a version it has visited.
        """
        start = f"{code_version}:{provision_id}"
        found: dict[str, Counterpart] = {}
        for other, relation in _neighbours(self, start):
            found.setdefault(other, _counterpart(other, relation, (start, other)))
        for middle, first in _neighbours(self, start):
            if _version(middle) != "2022" or first == "similar":
                continue
            for end, second in _neighbours(self, middle):
                if _version(end) in (code_version, "2022") or second == "similar":
                    continue
                if "same" not in (first, second):
                    continue
                chained: Relation = second if first == "same" else first
                found.setdefault(end, _counterpart(end, chained, (start, middle, end)))
        index = _index(self)

        def key(c: Counterpart) -> tuple[str, int, int, str]:
            known = index.get((c.code_version, c.provision_id))
            return (c.code_version, c.steps, known.order if known else 999, c.provision_id)

        return tuple(sorted(found.values(), key=key))

    def crosswalk_links(self) -> tuple[tuple[str, str, Counterpart], ...]:
        """Every provision's counterparts: ``(code_version, provision_id, counterpart)``."""
        return tuple(
            (p.code_version, p.provision_id, c)
            for p in self.provisions
            for c in self.counterparts(p.code_version, p.provision_id)
        )


def _version(node: str) -> str:
    return node.split(":", 1)[0]


def _counterpart(node: str, relation: Relation, path: tuple[str, ...]) -> Counterpart:
    version, pid = node.split(":", 1)
    return Counterpart(
        code_version=cast(CodeVersion, version), provision_id=pid, relation=relation, path=path
    )


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
                    answer_kind=_answer_kind(r, directory / f"provisions_{version}.csv"),
                )
            )
    return tuple(provisions)


def _answer_kind(row: dict[str, str], path: Path) -> AnswerKind:
    kind = row.get("answer_kind", "")
    if kind not in ANSWER_KINDS:
        raise ChcError(
            f"Reference file {path}: provision {row.get('provision_id')} has answer_kind {kind!r}.",
            f"Use one of {', '.join(ANSWER_KINDS)} (see reference/README.md).",
        )
    return kind


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
