"""Seed gold rows -> form blocks laid out like each seed's original form."""

from __future__ import annotations

from collections.abc import Iterator

from .model import Answer, Band, Block, Cell, GoldRow, Heading, Para, Table, TableRow
from .seeds import SECTIONS_2020, SECTIONS_2022, SECTIONS_2024, Seed

HEADER_2024 = (
    "Code provision",
    "Code requirement",
    "Comply: Yes / No",
    "Evidence",
    "Commentary / explanation",
)
HEADER_003 = (
    "Code section",
    "Code requirement",
    "Comply: Yes / No",
    "Evidence, commentary and any explanations",
)
HEADER_004 = (
    "Code requirement",
    "Comply: Yes/No",
    "Evidence, commentary and any explanations",
    "Summary of actions required/taken",
)
WIDTHS = {
    "2024": (0.11, 0.28, 0.10, 0.255, 0.255),
    "003": (0.09, 0.37, 0.11, 0.43),
    "004": (0.35, 0.10, 0.39, 0.16),
    "2020": (0.06, 0.30, 0.36, 0.28),
}
MUST_003 = "Mandatory 'must' requirements"
SHOULD_003 = "Best practice 'should' requirements"


def _number(provision_id: str) -> int:
    return int(provision_id.split(".")[1])


def _stage_2022(provision_id: str) -> int:
    n = _number(provision_id)
    return 1 if n <= 8 else 2 if n <= 16 else 3


def _sections(rows: tuple[GoldRow, ...]) -> Iterator[tuple[str, list[int]]]:
    """(section, row indexes) in document order; sections are contiguous in every seed."""
    current: list[int] = []
    for i, row in enumerate(rows):
        if current and rows[current[0]].section != row.section:
            yield rows[current[0]].section, current
            current = []
        current.append(i)
    if current:
        yield rows[current[0]].section, current


def _intro(intro: tuple[str, ...]) -> list[Block]:
    return [Heading(intro[0], 0), *(Para(p) for p in intro[1:])]


def _row(index: int, cells: tuple[Cell, ...]) -> TableRow:
    return TableRow(index, cells)


def form_2024(
    rows: tuple[GoldRow, ...], answers: tuple[Answer, ...], intro: tuple[str, ...]
) -> list[Block]:
    """000/001: 'Section N: Title' headings, Stage 1/Stage 2 tables in section 6."""
    blocks = _intro(intro)

    def table(indexes: list[int]) -> Table:
        body = tuple(
            _row(
                i,
                (
                    rows[i].printed_id,
                    rows[i].requirement,
                    answers[i],
                    rows[i].evidence,
                    rows[i].commentary,
                ),
            )
            for i in indexes
        )
        return Table(HEADER_2024, body, WIDTHS["2024"])

    for section, indexes in _sections(rows):
        blocks.append(Heading(f"Section {section}: {SECTIONS_2024[section]}", 1))
        if section == "6":
            for stage in (1, 2):
                part = [i for i in indexes if (_number(rows[i].provision_id) >= 10) == (stage == 2)]
                blocks += [Heading(f"Stage {stage}", 2), table(part)]
        else:
            blocks.append(table(indexes))
    return blocks


def form_2020(rows: tuple[GoldRow, ...], intro: tuple[str, ...]) -> list[Block]:
    """002: one question table per section, header row 'N | Title | Yes | No'."""
    blocks = [*_intro(intro), Para("Compliance with the Complaint Handling Code")]
    for section, indexes in _sections(rows):
        body = tuple(
            _row(i, (rows[i].printed_id, rows[i].requirement, rows[i].evidence, rows[i].commentary))
            for i in indexes
        )
        header = (section, SECTIONS_2020[section], "Yes", "No")
        blocks.append(Table(header, body, WIDTHS["2020"]))
    return blocks


def form_003(
    rows: tuple[GoldRow, ...], answers: tuple[Answer, ...], intro: tuple[str, ...]
) -> list[Block]:
    """003: must and should tables per section; stage sub-headings in section 5."""
    blocks = _intro(intro)

    def table(indexes: list[int]) -> Table:
        body = tuple(
            _row(i, (rows[i].printed_id, rows[i].requirement, answers[i], rows[i].evidence))
            for i in indexes
        )
        return Table(HEADER_003, body, WIDTHS["003"])

    for section, indexes in _sections(rows):
        blocks.append(Heading(f"Section {section} - {SECTIONS_2022[section]}", 1))
        for obligation, label in (("must", MUST_003), ("should", SHOULD_003)):
            part = [i for i in indexes if rows[i].obligation == obligation]
            if not part:
                continue
            blocks.append(Heading(label, 2))
            if section != "5":
                blocks.append(table(part))
                continue
            for stage in (1, 2, 3):
                staged = [i for i in part if _stage_2022(rows[i].provision_id) == stage]
                if staged:
                    blocks += [Heading(f"Stage {stage}", 3), table(staged)]
    return blocks


def _rows_004(
    rows: tuple[GoldRow, ...], answers: tuple[Answer, ...], indexes: list[int]
) -> list[TableRow | Band]:
    """004 rows of one section with its Must/Should bands and stage bands, as the seed has them."""
    out: list[TableRow | Band] = []
    for obligation in ("must", "should"):
        part = [i for i in indexes if rows[i].obligation == obligation]
        if not part:
            continue
        staged = rows[part[0]].section == "5"
        if obligation == "must":
            out.append(Band("Must Do Requirements"))
        else:
            out.append(
                Band("Should Do Requirements-Stage 1" if staged else "Should Do Requirements")
            )
        last_stage = 1
        for i in part:
            row = rows[i]
            stage = _stage_2022(row.provision_id) if staged else 1
            if stage != last_stage:
                # The seed's must block only marks stage 3 ("STAGE 3"); its should block
                # marks "Stage 2" and "Stage 3".
                if obligation == "should":
                    out.append(Band(f"Stage {stage}"))
                elif stage == 3:
                    out.append(Band("STAGE 3"))
                last_stage = stage
            out.append(_row(i, (row.requirement, answers[i], row.evidence, row.actions)))
    return out


def form_004(
    rows: tuple[GoldRow, ...],
    answers: tuple[Answer, ...],
    intro: tuple[str, ...],
    *,
    single_table: bool = False,
) -> list[Block]:
    """004: no provision numbers, Must/Should bands inside the table.

    The main rendering has one table per section under a section heading; `single_table`
    gives the seed's own look: one long table with bands and no headings at all.
    """
    blocks = _intro(intro)
    if single_table:
        body: list[TableRow | Band] = []
        for _, indexes in _sections(rows):
            body += _rows_004(rows, answers, indexes)
        blocks.append(Table(HEADER_004, tuple(body), WIDTHS["004"]))
        return blocks
    for section, indexes in _sections(rows):
        blocks.append(Heading(f"Section {section}: {SECTIONS_2022[section]}", 1))
        blocks.append(Table(HEADER_004, tuple(_rows_004(rows, answers, indexes)), WIDTHS["004"]))
    return blocks


def self_assessment(
    seed: Seed,
    rows: tuple[GoldRow, ...],
    answers: tuple[Answer, ...],
    intro: tuple[str, ...],
    *,
    single_table: bool = False,
) -> list[Block]:
    """The seed's self-assessment form as blocks."""
    if seed.code_version == "2024":
        return form_2024(rows, answers, intro)
    if seed.code_version == "2020":
        return form_2020(rows, intro)
    if seed.number == "003":
        return form_003(rows, answers, intro)
    return form_004(rows, answers, intro, single_table=single_table)
