"""The five seeds: who they are, where their text and gold live, their own headings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .model import GOLD_KEYS, GoldRow

SECTIONS_2024 = {
    "1": "Definition of a complaint",
    "2": "Exclusions",
    "3": "Accessibility and Awareness",
    "4": "Complaint Handling Staff",
    "5": "The Complaint Handling Process",
    "6": "Complaints Stages",
    "7": "Putting things right",
    # Both 2024 seeds mistitle section 8 like this; kept because readers must not trust titles.
    "8": "Putting things right",
    "9": "Scrutiny & oversight: continuous learning and improvement",
}

SECTIONS_2022 = {
    "1": "Definition of a complaint",
    "2": "Accessibility and awareness",
    "3": "Complaint handling personnel",
    "4": "Complaint handling principles",
    "5": "Complaint stages",
    "6": "Putting things right",
    "7": "Continuous learning and improvement",
    "8": "Self-assessment and compliance",
}

SECTIONS_2020 = {
    "1": "Definition of a complaint",
    "2": "Accessibility",
    "3": "Complaints team and process",
    "4": "Communication",
    "5": "Cooperation with Housing Ombudsman Service",
    "6": "Fairness in complaint handling",
    "7": "Outcomes and remedies",
    "8": "Continuous learning and improvement",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Seed:
    number: str
    file: str  # seed text file name, e.g. 000_f51c28dd8c8290d7.txt
    landlord: str
    landlord_type: str
    slug: str
    year: int
    code_version: str
    intro_lines: tuple[int, int]  # 1-based inclusive line range of title + intro in the seed

    @property
    def stem(self) -> str:
        return f"{self.number}_{self.slug}_{self.year}"


SEEDS: tuple[Seed, ...] = (
    Seed(
        number="000",
        file="000_f51c28dd8c8290d7.txt",
        landlord="Rotherham Council",
        landlord_type="council",
        slug="rotherham",
        year=2024,
        code_version="2024",
        intro_lines=(1, 9),
    ),
    Seed(
        number="001",
        file="001_f5f197cf8a7913f8.txt",
        landlord="Tamworth Borough Council",
        landlord_type="council",
        slug="tamworth",
        year=2024,
        code_version="2024",
        intro_lines=(5, 10),
    ),
    Seed(
        number="002",
        file="002_a1441b5497633c56.txt",
        landlord="Redditch Borough Council",
        landlord_type="council",
        slug="redditch",
        year=2021,
        code_version="2020",
        intro_lines=(3, 3),
    ),
    Seed(
        number="003",
        file="003_93b1ba100de5918b.txt",
        landlord="Chesterfield Borough Council",
        landlord_type="council",
        slug="chesterfield",
        year=2023,
        code_version="2022",
        intro_lines=(1, 5),
    ),
    Seed(
        number="004",
        file="004_d9e216948779f405.txt",
        landlord="St Leger Homes (Doncaster)",
        landlord_type="almo",
        slug="st_leger_homes",
        year=2023,
        code_version="2022",
        intro_lines=(3, 3),
    ),
)

_TAG = re.compile(r"</?[a-z]+[^>]*>")


def intro_paragraphs(seed: Seed, seed_text: str) -> tuple[str, ...]:
    """Title and intro paragraphs as printed above the first table, tags removed."""
    lines = seed_text.split("\n")[seed.intro_lines[0] - 1 : seed.intro_lines[1]]
    paras = []
    for line in lines:
        text = " ".join(_TAG.sub(" ", line).replace("**", "").split())
        if text:
            paras.append(text)
    return tuple(paras)


def parse_gold(text: str) -> tuple[GoldRow, ...]:
    """Gold JSON Lines -> rows; the keys must be exactly GOLD_KEYS, in order."""
    rows = []
    for line in text.splitlines():
        obj = json.loads(line)
        if tuple(obj) != GOLD_KEYS:
            raise ValueError(f"unexpected gold keys {tuple(obj)}")
        rows.append(GoldRow(**obj))
    return tuple(rows)


def gold_lines(rows: tuple[GoldRow, ...]) -> str:
    return "".join(json.dumps(r.as_dict(), ensure_ascii=False) + "\n" for r in rows)
