"""Synthetic landlords for the sector generator: names, types, sizes and assessment cycles.

Names are invented from English place-name parts (no real landlord is meant); the mix of
types is roughly the English sector's (most are housing associations, about a third are
councils, a few are ALMOs), sizes are skewed (many small associations, a few large
ones). Everything is drawn from the ``random.Random`` passed in.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

_STEMS = (
    "Ash", "Brook", "Elm", "Thorn", "Mill", "Stan", "Hart", "Oak", "Fen", "Marsh", "Holl",
    "Kings", "Wych", "Bram", "Corn", "Dun", "Fair", "Glen", "Hazel", "Ling", "Mor", "Pen",
    "Red", "Sal", "Tarn", "Wal", "Whit", "Yar", "Bex", "Cal", "Dray", "Eden", "Frome",
    "Gos", "Hol", "Ick", "Kel", "Lox", "Nor", "Rad",
)  # fmt: skip
_ENDINGS = (
    "ford", "ley", "field", "bury", "ton", "wick", "ham", "dale", "borough", "worth",
    "minster", "stead", "combe", "by", "well", "bridge",
)  # fmt: skip
_PREFIXES = ("", "", "", "", "North ", "South ", "East ", "West ", "Upper ", "Great ")
_HA_WORDS = (
    "Riverside", "Beacon", "Hearth", "Keystone", "Meadow", "Harbour", "Compass",
    "Cornerstone", "Threshold", "Summit", "Lantern", "Orchard", "Willow", "Heron",
    "Kestrel", "Granite", "Anchor", "Horizon", "Foundation", "Haven",
)  # fmt: skip
_COUNCIL = (
    "{p} Borough Council",
    "{p} District Council",
    "{p} City Council",
    "{p} Council",
    "London Borough of {p}",
    "{p} Metropolitan Borough Council",
)
_ASSOCIATION = (
    "{p} Homes",
    "{p} Housing",
    "{p} Housing Association",
    "{w} Housing Trust",
    "{w} Housing Group",
    "{p} Community Housing",
    "{w} Living",
    "{w} Homes",
)
_ALMO = ("{p} Homes", "{p} Housing Partnership", "{p} Council Homes")


@dataclass(frozen=True, slots=True, kw_only=True)
class Landlord:
    """One synthetic landlord.

    Attributes:
        name: e.g. "Ashford Borough Council".
        landlord_type: council / housing_association / almo (manifest values).
        units: homes owned (drives answer quality a little: big landlords say yes more).
        slug: file-name stem, e.g. "ashford_borough_council".
        diligence: share of provisions answered "yes" (0.7-0.99).
    """

    name: str
    landlord_type: str
    units: int
    slug: str
    diligence: float


# (Code version, assessment year) of the three assessment cycles.
CYCLES = (("2020", 2021), ("2022", 2023), ("2024", 2025))


def _place(rng: random.Random) -> str:
    return rng.choice(_PREFIXES) + rng.choice(_STEMS) + rng.choice(_ENDINGS)


def _name(rng: random.Random, kind: str) -> str:
    patterns = {"council": _COUNCIL, "almo": _ALMO}.get(kind, _ASSOCIATION)
    return rng.choice(patterns).format(p=_place(rng), w=rng.choice(_HA_WORDS))


def _units(rng: random.Random, kind: str) -> int:
    if kind == "council":
        return int(rng.uniform(1500, 30000))
    if kind == "almo":
        return int(rng.uniform(5000, 25000))
    return max(80, int(rng.lognormvariate(7.5, 1.3)))


def landlords(rng: random.Random) -> Iterator[Landlord]:
    """An endless stream of landlords with unique names."""
    seen: set[str] = set()
    while True:
        kind = rng.choices(("housing_association", "council", "almo"), (0.6, 0.33, 0.07))[0]
        name = _name(rng, kind)
        if name in seen:
            continue
        seen.add(name)
        units = _units(rng, kind)
        # Larger landlords have complaints teams and answer yes a little more often.
        diligence = min(0.99, rng.uniform(0.7, 0.97) + (0.02 if units > 10000 else 0.0))
        slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        yield Landlord(name=name, landlord_type=kind, units=units, slug=slug, diligence=diligence)


def assessment_cycles(rng: random.Random) -> tuple[tuple[str, int], ...]:
    """One to three (Code version, year) assessments of one landlord, oldest first.

    Most landlords have published a 2024 Code assessment; fewer kept older ones online.
    """
    count = rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0]
    if count == 3:
        picked = list(CYCLES)
    elif count == 2:
        picked = list(rng.choices((CYCLES[1:], CYCLES[:2]), (0.8, 0.2))[0])
    else:
        picked = [rng.choices(CYCLES, (0.1, 0.3, 0.6))[0]]
    out = []
    for version, year in picked:
        # A 2024 Code assessment may be the 2024 or the 2025 return.
        out.append((version, year - rng.randint(0, 1) if version == "2024" else year))
    return tuple(out)
