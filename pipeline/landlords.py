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
from functools import cache
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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_LEGAL_SUFFIX = re.compile(r"[\s,]+(?:ltd\.?|limited|plc|llp|c\.?i\.?c\.?)\s*$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"'s$")
_EDGE_PUNCT = " \t-:;,.|/\\\"'"
# Acronyms kept in capitals when a whole name is written in capitals.
_ACRONYMS = _words("MBC BC DC CC CIC LLP PLC UK ALMO NHG MTVH RBH SLHD RMBC")


# Words that carry no identity when comparing names (they only say what kind of body).
_GENERIC_WORDS = _words("council borough metropolitan district city county the of and mbc bc dc")
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
    text = clean_cell(name.translate(_QUOTES))
    previous = None
    while previous != text:
        previous = text
        text = _strip_edges(_LEGAL_SUFFIX.sub("", text))
        text = _strip_edges(_POSSESSIVE.sub("", text))
    # "Written in capitals" needs a long word in capitals: "0A A" is not a shouted name.
    all_caps = (
        text.isupper()
        and len(text.split(" ")) > 1
        and any(sum(c.isalpha() for c in w) > 4 for w in text.split(" "))
    )
    # Capitalise before fixing case, so a fixed word is never changed again (idempotent).
    text = text[:1].upper() + text[1:]
    return " ".join(_fix_case(w, all_caps_name=all_caps) for w in text.split(" ") if w)


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
    alias = _lookup_alias(text)
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


def _lookup_alias(name: str) -> Alias | None:
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
    alias = _lookup_alias(tidy)
    if alias is not None:
        return alias.canonical, "alias"
    known_tidy = sorted({normalise_landlord_name(k) for k in known if k.strip()})
    hit = _fuzzy(tidy, known_tidy)
    if hit is not None:
        # A known name may itself be an alias spelling: store its canonical form.
        known_alias = _lookup_alias(hit)
        return (known_alias.canonical if known_alias else hit), "known"
    canonicals = sorted({a.canonical for a in load_aliases()})
    hit = _fuzzy(tidy, canonicals)
    if hit is not None:
        return hit, "alias"
    return tidy, ""


# --- finding a name in the document ------------------------------------------------

# A word that can be part of a landlord name: capitalised, an acronym, "&", or a
# connector inside a name ("Homes for Northumberland", "St Leger Homes of Doncaster").
_TOKEN = re.compile(r"[A-Za-z][A-Za-z.'’&-]*|&")
_CONNECTORS = frozenset({"of", "for", "and", "&", "upon", "on", "under", "at", "in", "the"})
_TYPE_WORDS = _words("council homes housing trust group living partnership association borough")
# Words that end a name: headings, form words, months, regulators. Hand-kept: no
# library knows which words of a self-assessment title are not part of the name.
_STOP_WORDS = _words(
    """appendix annex annual report self-assessment self assessment selfassessment form code
    complaint complaints handling ombudsman ombudsman's regulator regulatory federation
    government ministry department section table policy procedure procedures statement
    review performance service services improvement requirement requirements evidence
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec update updated version draft final
    board committee cabinet meeting agenda item our your this that these we it a an
    england social tenant tenants resident residents scrutiny panel introduction summary
    contents page compliance comply provision provisions mandatory best practice must
    should stage response yes no partial all portfolio holder leader director head manager
    officer chief executive member members councillor strategic standard standards
    management system engagement team advisory customer customers chartered institute
    property homelessness services department directorate options reports chc councils
    magazine newsletter leaflet website timescales timescale"""
)
# "Housing Services", "Housing Department": a council department, not a landlord's name.
_DEPARTMENT = re.compile(
    r"^\s*(?:services?|department|directorate|team|options|standards?|officers?|strategy|"
    r"register|act|ombudsman|management|solutions)\b",
    re.IGNORECASE,
)
_NOT_LANDLORDS = frozenset({"homes england", "housing ombudsman", "regulator of social housing"})
_PREFIX_COUNCIL = re.compile(
    r"\b(?:London|Royal) Borough of [A-Z][A-Za-z'-]+(?: (?:and|upon|on) [A-Z][A-Za-z'-]+)*"
)


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() or word in {"&"} or word.lower() in _CONNECTORS


def _segments(line: str) -> list[list[str]]:
    """Runs of name words in a line, split at stop words and at anything else."""
    runs: list[list[str]] = []
    current: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(line):
        gap = line[pos : m.start()]
        pos = m.end()
        word = m.group(0).strip(".'’-")
        bare = _POSSESSIVE.sub("", word.replace("’", "'"))
        broken = bool(re.search(r"[^\s&-]", gap)) and current != []
        if broken or not word or not _is_name_word(word) or bare.lower() in _STOP_WORDS:
            if current:
                runs.append(current)
            current = []
            if word and _is_name_word(word) and bare.lower() not in _STOP_WORDS:
                current = [bare]
            continue
        current.append(bare)
        if bare != word:  # "Council's": the possessive ends the name
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _split_names(run: list[str]) -> list[list[str]]:
    """Split a run where one name ends and another begins: after a type word that is
    followed by an ordinary capitalised word ("Rotherham Council Rotherham Council",
    "Tamworth Borough Council Carol Dean"), after "Council" unless "of" follows, and
    at a "the" inside the run."""
    pieces: list[list[str]] = [[]]
    for i, word in enumerate(run):
        low = word.lower()
        if low == "the" and pieces[-1]:
            pieces.append([])
            continue
        pieces[-1].append(word)
        following = run[i + 1].lower() if i + 1 < len(run) else ""
        if low in _TYPE_WORDS and following and following not in _TYPE_WORDS | _CONNECTORS:
            pieces.append([])
        elif low == "council" and following and following not in _CONNECTORS:
            pieces.append([])  # "North Tyneside Council Housing Services"
    return [p for p in pieces if p]


def _candidate(run: list[str]) -> str | None:
    """A landlord-like name from a run of words, or None."""
    while run and run[0].lower() in _CONNECTORS:
        run = run[1:]
    while run and run[-1].lower() in _CONNECTORS:
        run = run[:-1]
    lowered = [w.lower() for w in run]
    if not any(w in _TYPE_WORDS for w in lowered):
        return None
    if all(w in _TYPE_WORDS or w in _CONNECTORS for w in lowered):
        return None  # "The Council", "Housing": no identity
    name = " ".join(run)
    if name.lower() in _NOT_LANDLORDS:
        return None
    return name


def _alias_hits(line: str) -> list[tuple[int, str]]:
    """(position, alias) for aliases written in a line. Acronyms and one-word aliases
    are matched case-sensitively, and one-word aliases only in short (heading) lines,
    so that "Orbit" or "Riverside" in a sentence is not taken for a landlord."""
    hits: list[tuple[int, str]] = []
    short = len(line.split()) <= 12
    for alias in load_aliases():
        text = alias.alias
        single = " " not in text
        if single and not short:
            continue
        flags = 0 if single or text.isupper() else re.IGNORECASE
        pattern = r"(?<![\w&])" + re.escape(text).replace(r"\ ", r"\s+") + r"(?![\w&])"
        found = re.search(pattern, line, flags)
        if found:
            hits.append((found.start(), text))
    return hits


def names_in_lines(lines: Sequence[str]) -> list[str]:
    """Landlord-like names written in some lines, in reading order.

    A name is an alias from the table, "London/Royal Borough of X", or a run of
    capitalised words that holds a type word ("Council", "Homes", "Housing", "Trust",
    "Group", "Living", "Partnership") and at least one word that is not generic.

    Args:
        lines: e.g. the title lines of a document.

    Returns:
        Names as written (not yet merged), first found first, without repeats.
    """
    found: list[str] = []
    for raw_line in lines:
        line = clean_cell(raw_line.translate(_QUOTES))
        if not line:
            continue
        hits: list[tuple[int, int, str]] = []
        for pos, alias in _alias_hits(line):
            hits.append((pos, -len(alias), alias))
        for m in _PREFIX_COUNCIL.finditer(line):
            hits.append((m.start(), -len(m.group(0)), m.group(0)))
        for run in (piece for whole in _segments(line) for piece in _split_names(whole)):
            name = _candidate(run)
            start = line.find(run[0])
            if name is not None and not _DEPARTMENT.match(line[start + len(" ".join(run)) :]):
                hits.append((start, -len(name), name))
        spans: list[tuple[int, int]] = []
        for pos, minus_len, name in sorted(hits):
            end = pos - minus_len
            if any(s <= pos and end <= e for s, e in spans):
                continue  # "St Leger Homes" inside "St Leger Homes of Doncaster"
            spans.append((pos, end))
            if name not in found:
                found.append(name)
    return found


# File name words that are not part of a landlord name.
_FILE_NOISE = _words(
    """self assessment selfassessment sa chc hos hoc complaint complaints handling code form
    final draft scan scanned copy appendix annex annual report v ver version update updated
    signed approved web website published pdf docx html txt doc redacted ocr landscape
    portrait table tables text export print"""
)
_FILE_EXPANSIONS = {"mbc": "Metropolitan Borough Council", "bc": "Borough Council"}
_FILE_EXPANSIONS |= {"dc": "District Council", "ha": "Housing Association"}


def name_from_file_name(file_name: str, known: Sequence[str] = ()) -> tuple[str, str] | None:
    """A landlord named in a file name ("000_rotherham_2024.pdf", "Tamworth-BC-SA.pdf").

    Words that are numbers, years, hashes or form words are ignored. What is left
    must match an alias, a canonical name or a known name by match key, or contain a
    type word ("council", "homes", ...); a bare word that matches nothing is not
    taken for a landlord.

    Args:
        file_name: the file's name or path.
        known: names already in use.

    Returns:
        ``(name as found, canonical name)`` or None.
    """
    stem = Path(file_name).name
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    words = [w for w in re.split(r"[\s_.,()\[\]+-]+", stem) if w]
    kept: list[str] = []
    for word in words:
        low = word.lower()
        if re.fullmatch(r"\d+|v\d+|[0-9a-f]{8,}|\d{4}(?:/?\d{2,4})?", low) or low in _FILE_NOISE:
            if kept:
                break  # the name is one run of words
            continue
        kept.append(_FILE_EXPANSIONS.get(low, word))
    if not kept:
        return None
    raw = " ".join(kept)
    tidy = normalise_landlord_name(raw.lower() if raw.islower() else raw)
    alias = _lookup_alias(tidy)
    if alias is not None:
        return tidy, alias.canonical
    canonical, how = resolve_landlord_name(tidy, known)
    if how:
        return tidy, canonical
    if _candidate(tidy.split(" ")) is not None:
        return tidy, tidy
    return None


# --- the public entry point --------------------------------------------------------


def _type_for(name: str, given_type: str | None) -> LandlordType:
    if given_type and given_type.strip().lower() in LANDLORD_TYPES:
        return cast(LandlordType, given_type.strip().lower())
    return landlord_type_from_name(name)


def identify_landlord(
    *,
    given: str | None,
    given_type: str | None,
    title_lines: Sequence[str],
    file_name: str,
    known: Sequence[str] = (),
) -> LandlordIdentity:
    """Decide who a document belongs to.

    Order: the manifest name (``given``; merged onto its canonical spelling but not
    marked inferred), else the first landlord named in the title lines, else one
    named in the file name, else nothing (``name=None``, ``method="none"``).
    For an inferred name ``method`` tells how it was settled: "alias" (alias table),
    "known" (close to a name in ``known``), else where it was found ("title",
    "filename"); ``raw`` keeps the spelling found. ``landlord_type`` is ``given_type``
    when it is a valid type, else inferred from the canonical name
    (see :func:`landlord_type_from_name`).

    Args:
        given: landlord from the manifest; None or blank when not given.
        given_type: landlord_type from the manifest; None/blank/invalid when not given.
        title_lines: the document's first non-empty lines.
        file_name: the document's file name or path.
        known: landlord names already stored, to merge with.

    Returns:
        The identity.

    Example:
        >>> identify_landlord(given=None, given_type=None,
        ...     title_lines=["RMBC self-assessment"], file_name="x.pdf").name
        'Rotherham Metropolitan Borough Council'
    """
    if given and normalise_landlord_name(given):
        name, _ = resolve_landlord_name(given, known)
        return LandlordIdentity(
            name=name,
            raw=given.strip(),
            landlord_type=_type_for(name, given_type),
            inferred=False,
            method="manifest",
        )
    for found in names_in_lines(title_lines):
        name, how = resolve_landlord_name(found, known)
        return LandlordIdentity(
            name=name,
            raw=found,
            landlord_type=_type_for(name, given_type),
            inferred=True,
            method=how or "title",
        )
    from_file = name_from_file_name(file_name, known)
    if from_file is not None:
        raw, _ = from_file
        name, how = resolve_landlord_name(raw, known)
        return LandlordIdentity(
            name=name,
            raw=raw,
            landlord_type=_type_for(name, given_type),
            inferred=True,
            method=how or "filename",
        )
    return LandlordIdentity(
        name=None,
        raw="",
        landlord_type=_type_for("", given_type),
        inferred=True,
        method="none",
    )
