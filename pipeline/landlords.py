"""Landlord identity: who published a self-assessment, and what kind of landlord it is.

The name comes from the manifest when the user gave one; otherwise it is looked for in
the document's title lines and then in its file name, and marked as inferred. Every
name is merged onto one canonical spelling so that documents of different years and
formats count as the same landlord:

1. the alias table ``reference/landlord_aliases.csv`` (``alias,canonical,landlord_type``),
   compared on a match key (see :func:`landlord_key`);
2. the names already known (e.g. stored from earlier documents), compared with
   rapidfuzz ``token_sort_ratio`` on the match key;
3. otherwise the tidied name as found.

Nothing is invented: a document whose title and file name name no landlord gets
``name=None`` and ``method="none"``. Pure functions apart from reading the alias table
once.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import cast, get_args

from rapidfuzz import fuzz, process

from pipeline.errors import ChcError
from pipeline.records import LandlordType
from pipeline.reference import REFERENCE_DIR
from pipeline.textnorm import clean_cell

ALIASES_FILE = "landlord_aliases.csv"
LANDLORD_TYPES: tuple[LandlordType, ...] = get_args(LandlordType)
# token_sort_ratio on match keys at or above which two names are the same landlord.
# 90 merges spelling variants ("St. Leger Homes" / "St Leger Homes") but keeps
# neighbouring places apart ("Newcastle" / "Newcastle under Lyme" score 62).
MERGE_THRESHOLD = 90.0


@dataclass(frozen=True, slots=True, kw_only=True)
class LandlordIdentity:
    """Who a document belongs to.

    Attributes:
        name: canonical name; None when nothing was found.
        raw: the name as given or as found in the document ("" when none).
        landlord_type: council, almo, housing_association, other or unknown.
        inferred: False only when the name was taken from the manifest.
        method: "manifest", "alias", "known", "title", "filename" or "none".
    """

    name: str | None
    raw: str
    landlord_type: LandlordType
    inferred: bool
    method: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Alias:
    """One row of the alias table."""

    alias: str
    canonical: str
    landlord_type: LandlordType


# --- normalising -------------------------------------------------------------------


def words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


QUOTE_MARKS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_LEGAL_SUFFIX = re.compile(r"[\s,]+(?:ltd\.?|limited|plc|llp|c\.?i\.?c\.?)\s*$", re.IGNORECASE)
POSSESSIVE = re.compile(r"'s$")
_EDGE_PUNCT = " \t-:;,.|/\\\"'"
# Acronyms kept in capitals when a whole name is written in capitals.
_ACRONYMS = words_of("MBC BC DC CC CIC LLP PLC UK ALMO NHG MTVH RBH SLHD RMBC")


# Words that carry no identity when comparing names (they only say what kind of body).
_GENERIC_WORDS = words_of("council borough metropolitan district city county the of and mbc bc dc")
_GENERIC_PHRASES = re.compile(r"\b(?:london|royal) borough of\b")


def _strip_edges(text: str) -> str:
    """Trim punctuation around a name, and brackets only when they do not pair up
    ("St Leger Homes (Doncaster)" keeps its brackets, "(Peabody" loses its one)."""
    previous = None
    while previous != text:
        previous = text
        text = text.strip(_EDGE_PUNCT)
        if text.startswith(("(", "[")) and text.endswith((")", "]")):
            text = text[1:-1]
        if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
            text = text.strip("()[]")
    return text


def _fix_case(word: str, *, all_caps_name: bool) -> str:
    """Title-case a word written all upper or all lower; keep acronyms ("RMBC",
    "L&Q": short all-caps words, or known ones when the whole name is in capitals)
    and mixed case ("LiveWest") as written."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return word
    if all_caps_name and word.isupper() and "&" not in word and word not in _ACRONYMS:
        word = word.lower()
    if word.lower() in {"of", "for", "and", "upon", "on", "under", "at", "in"}:
        return word.lower()
    if word.isupper() and (len(letters) <= 4 or "&" in word):
        return word
    if word.isupper() or word.islower():
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return word


def normalise_landlord_name(name: str) -> str:
    """Tidy a landlord name for display and storage.

    Markup and extra whitespace are removed, curly quotes straightened, a trailing
    legal suffix ("Ltd", "Limited", "plc") and a possessive "'s" dropped, surrounding
    punctuation trimmed, and words written in all capitals or all lower case
    title-cased (short acronyms such as "RMBC" and "L&Q" are kept). Idempotent.

    Args:
        name: the name as given or found.

    Returns:
        The tidied name ("" when nothing is left).

    Example:
        >>> normalise_landlord_name("  ROTHERHAM METROPOLITAN BOROUGH COUNCIL's ")
        'Rotherham Metropolitan Borough Council'
    """
    text = clean_cell(name.translate(QUOTE_MARKS))
    previous = None
    while previous != text:
        previous = text
        text = _strip_edges(_LEGAL_SUFFIX.sub("", text))
        text = _strip_edges(POSSESSIVE.sub("", text))
    # "Written in capitals" needs a long word in capitals: "0A A" is not a shouted name.
    all_caps = (
        text.isupper()
        and len(text.split(" ")) > 1
        and any(sum(c.isalpha() for c in w) > 4 for w in text.split(" "))
    )
    # Capitalise before fixing case, so a fixed word is never changed again (idempotent).
    text = text[:1].upper() + text[1:]
    return " ".join(_fix_case(w, all_caps_name=all_caps) for w in text.split(" ") if w)


@lru_cache(maxsize=4096)  # every look-up compares against all the alias table's names
def landlord_key(name: str) -> str:
    """The key two names are compared on: lower case, punctuation removed, and the
    words that only say what kind of body it is ("council", "borough",
    "metropolitan", "the", "London Borough of", ...) dropped.

    Args:
        name: any spelling of a landlord's name.

    Returns:
        e.g. "rotherham" for "Rotherham Metropolitan Borough Council"; "" when only
        generic words are left.
    """
    key, previous = name, None
    # Repeat until stable: dropping punctuation can expose a suffix ("0.LLP" -> "0 llp").
    while key != previous:
        previous = key
        text = normalise_landlord_name(key).lower().replace("&", " and ")
        text = _GENERIC_PHRASES.sub(" ", text)
        words = re.findall(r"[a-z0-9]+", text.replace("'", ""))
        key = " ".join(w for w in words if w not in _GENERIC_WORDS)
    return key


# --- landlord type -----------------------------------------------------------------

_COUNCIL = re.compile(
    r"\b(?:council|metropolitan borough|(?:london|royal) borough of|corporation of)\b"
    r"|\b(?:mbc|bc|dc|cc)$",
    re.IGNORECASE,
)
_ASSOCIATION = re.compile(
    r"\b(?:housing association|housing trust|housing group|housing society|homes|housing|"
    r"living|group|partnership)\b",
    re.IGNORECASE,
)
_OTHER = re.compile(
    r"\b(?:ltd|limited|plc|llp|cic|co-?operative|almshouses?|charity|foundation|society)\b",
    re.IGNORECASE,
)


def landlord_type_from_name(name: str) -> LandlordType:
    """Infer the type of landlord from its name.

    The alias table decides first (it is the only way to know that "Stockport Homes"
    is an ALMO). Otherwise: "Council", "Borough Council", "District Council",
    "City Council", "Metropolitan Borough", "London Borough of" -> ``council``;
    "Housing Association", "Housing Trust", "Housing Group", "Homes", "Housing",
    "Living", "Group", "Partnership" -> ``housing_association``; a company or charity
    form ("Ltd", "CIC", "Co-operative", "Almshouses") -> ``other``; else ``unknown``.

    Args:
        name: a landlord name in any spelling.

    Returns:
        The landlord type.
    """
    text = normalise_landlord_name(name)
    if not text:
        return "unknown"
    alias = lookup_alias(text)
    if alias is not None:
        return alias.landlord_type
    if _COUNCIL.search(text):
        return "council"
    if _ASSOCIATION.search(text):
        return "housing_association"
    if _OTHER.search(name):
        return "other"
    return "unknown"


# --- alias table -------------------------------------------------------------------


def load_aliases(path: Path | None = None) -> tuple[Alias, ...]:
    """Read the alias table (``reference/landlord_aliases.csv`` by default).

    Args:
        path: another alias file, for tests.

    Returns:
        The aliases in file order.

    Raises:
        ChcError: the file is missing or a row has an unknown landlord type.
    """
    path = path or REFERENCE_DIR / ALIASES_FILE
    return _load_aliases(path)


@cache
def _load_aliases(path: Path) -> tuple[Alias, ...]:
    if not path.exists():
        raise ChcError(
            f"Landlord alias table {path} is missing.",
            "Restore it from git or set CHC_REFERENCE_DIR.",
        )
    out: list[Alias] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            kind = (row.get("landlord_type") or "").strip()
            if kind not in LANDLORD_TYPES:
                raise ChcError(
                    f"{path}, line {line}: landlord_type {kind!r} is not one of "
                    f"{', '.join(LANDLORD_TYPES)}.",
                    "Fix the row in the alias table.",
                )
            out.append(
                Alias(
                    alias=normalise_landlord_name(row["alias"]),
                    canonical=normalise_landlord_name(row["canonical"]),
                    landlord_type=cast(LandlordType, kind),
                )
            )
    return tuple(out)


@cache
def _alias_index() -> dict[str, Alias]:
    """Match key -> alias. Canonical names are aliases of themselves. A key shared by
    two different landlords (e.g. a council and a same-named body) is left out, since
    it cannot tell them apart."""
    index: dict[str, Alias] = {}
    clashes: set[str] = set()
    for alias in load_aliases():
        for spelling in (alias.alias, alias.canonical):
            key = landlord_key(spelling)
            if not key:
                continue
            seen = index.get(key)
            if seen is not None and seen.canonical != alias.canonical:
                clashes.add(key)
            index.setdefault(key, alias)
    return {k: v for k, v in index.items() if k not in clashes}


@cache
def _exact_alias_index() -> dict[str, Alias]:
    """Lower-cased full spelling -> alias (for acronyms whose key would be too short)."""
    index: dict[str, Alias] = {}
    for alias in load_aliases():
        index.setdefault(alias.alias.lower(), alias)
        index.setdefault(alias.canonical.lower(), alias)
    return index


def lookup_alias(name: str) -> Alias | None:
    exact = _exact_alias_index().get(normalise_landlord_name(name).lower())
    if exact is not None:
        return exact
    key = landlord_key(name)
    return _alias_index().get(key) if key else None


def _types_clash(a: str, b: str) -> bool:
    """Two names whose types are both known and differ are never merged
    ("Wolverhampton Homes" is not "City of Wolverhampton Council")."""
    ta, tb = landlord_type_from_name(a), landlord_type_from_name(b)
    return ta != tb and "unknown" not in (ta, tb)


def _fuzzy(name: str, candidates: Sequence[str]) -> str | None:
    """The candidate whose match key is closest to ``name``'s (>= MERGE_THRESHOLD)."""
    key = landlord_key(name)
    if not key or not candidates:
        return None
    keys = [landlord_key(c) for c in candidates]
    ranked = process.extract(key, keys, scorer=fuzz.token_sort_ratio, limit=5)
    for _, score, index in ranked:
        if score < MERGE_THRESHOLD:
            break
        if keys[index] and not _types_clash(name, candidates[index]):
            return candidates[index]
    return None


def resolve_landlord_name(name: str, known: Sequence[str] = ()) -> tuple[str, str]:
    """Merge a name onto its canonical spelling.

    Args:
        name: the name as given or found.
        known: names already in use (e.g. stored landlords); a close match is reused.

    Returns:
        ``(canonical name, how)`` where how is "alias", "known" or "" (kept as tidied).
    """
    tidy = normalise_landlord_name(name)
    alias = lookup_alias(tidy)
    if alias is not None:
        return alias.canonical, "alias"
    known_tidy = sorted({normalise_landlord_name(k) for k in known if k.strip()})
    hit = _fuzzy(tidy, known_tidy)
    if hit is not None:
        # A known name may itself be an alias spelling: store its canonical form.
        known_alias = lookup_alias(hit)
        return (known_alias.canonical if known_alias else hit), "known"
    canonicals = sorted({a.canonical for a in load_aliases()})
    hit = _fuzzy(tidy, canonicals)
    if hit is not None:
        return hit, "alias"
    return tidy, ""


# --- finding a name in the document ------------------------------------------------

# A word that can be part of a landlord name: capitalised, an acronym, "&", or a
# connector inside a name ("Homes for Northumberland", "St Leger Homes of Doncaster").
