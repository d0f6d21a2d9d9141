"""Finding who published a document: the landlord named in its title lines or its file
name, settled onto the canonical spelling (pipeline/landlords.py), and the identity the
store records (``identify_landlord``). Pure functions apart from the alias table, read
once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import cast

from pipeline.landlords import (
    LANDLORD_TYPES,
    POSSESSIVE,
    QUOTE_MARKS,
    LandlordIdentity,
    landlord_type_from_name,
    load_aliases,
    lookup_alias,
    normalise_landlord_name,
    resolve_landlord_name,
    words_of,
)
from pipeline.records import LandlordType
from pipeline.textnorm import clean_cell

_TOKEN = re.compile(r"[A-Za-z][A-Za-z.'’&-]*|&")
_CONNECTORS = frozenset({"of", "for", "and", "&", "upon", "on", "under", "at", "in", "the"})
_TYPE_WORDS = words_of("council homes housing trust group living partnership association borough")
# Words that end a name: headings, form words, months, regulators. Hand-kept: no
# library knows which words of a self-assessment title are not part of the name.
_STOP_WORDS = words_of(
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
        bare = POSSESSIVE.sub("", word.replace("’", "'"))
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
    for text, single, pattern in _alias_patterns():
        if single and not short:
            continue
        found = pattern.search(line)
        if found:
            hits.append((found.start(), text))
    return hits


@cache
def _alias_patterns() -> tuple[tuple[str, bool, re.Pattern[str]], ...]:
    """(alias, one word, pattern finding it as a whole name) per row of the alias table,
    compiled once."""
    out = []
    for alias in load_aliases():
        text = alias.alias
        single = " " not in text
        flags = 0 if single or text.isupper() else re.IGNORECASE
        pattern = r"(?<![\w&])" + re.escape(text).replace(r"\ ", r"\s+") + r"(?![\w&])"
        out.append((text, single, re.compile(pattern, flags)))
    return tuple(out)


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
        line = clean_cell(raw_line.translate(QUOTE_MARKS))
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
_FILE_NOISE = words_of(
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
    alias = lookup_alias(tidy)
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
