"""The report's outline: sections in order, each with the question it answers, its notes,
tables, charts and heatmaps. The HTML and Markdown renderings walk the same outline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.report import display
from pipeline.report.benchmark import SMALL_N, Benchmark
from pipeline.report.charts import Bar, Spread, spread_chart, stacked_bars


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A table with a caption; ``name`` is its CSV file stem (``""``: not written)."""

    caption: str
    frame: pd.DataFrame
    name: str = ""
    empty_text: str = "(none)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """One part of the report. ``level`` 2 sections are listed in the contents."""

    anchor: str
    title: str
    question: str = ""
    notes: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[str, ...] = ()  # inline <svg> elements (HTML only)
    heatmap: str = ""  # Code version whose heatmap this section shows
    level: int = 2


COUNTING_NOTES = (
    "One landlord counts once per Code version and assessment year: all its documents "
    "for that version and year (several pages or files, or the same form published as "
    "PDF, Word and web page) are one assessment, the union of their provisions, identical "
    "rows once. When two documents give different answers to one provision, the row is "
    "flagged for review.",
    "Sector figures for a Code version use each landlord's latest assessment of that "
    "version. 'Answered' means yes, partial or no: blank or unclear answers, 'not "
    "applicable' and open questions are not answered, and an unclear answer is never "
    "counted as yes.",
    f"Every share gives its count and denominator. Groups of fewer than {SMALL_N} are "
    "shown as counts only: percentages of so few landlords are unstable.",
    "2020 questions that ask for a figure or a description (proportions, 'what "
    "improvements...', 'at what stage...') are open questions: their answers are shown "
    "as text and not scored.",
)


def _num(value: Any) -> float:
    """A number from a pandas row field (typed loosely by pandas-stubs)."""
    return float(value)


def _not_met_chart(bench: Benchmark, version: str) -> str:
    top = bench.top_not_met[bench.top_not_met["code_version"] == version]
    if top.empty:
        return ""
    bars = [
        Bar(
            label=f"{r.provision_id} {display.shorten(r.requirement_text, 34)}",
            counts=tuple((a, int(getattr(r, a))) for a in ("yes", "partial", "no")),
        )
        for r in top.itertuples(index=False)
    ]
    return stacked_bars(
        bars,
        title=f"{version} Code: provisions most often not fully met (latest assessments)",
        xlabel="landlords answering",
    )


def _section_chart(bench: Benchmark, version: str) -> str:
    rows = bench.sections[
        (bench.sections["code_version"] == version) & (bench.sections["landlord_type"] == "all")
    ]
    if rows.empty:
        return ""
    boxes = [
        Spread(
            label=display.shorten(f"{r.section_number} {r.section_title}", 40),
            q1=_num(r.q1),
            median=_num(r.median),
            q3=_num(r.q3),
            n=int(_num(r.assessments)),
        )
        for r in rows.itertuples(index=False)
    ]
    return spread_chart(boxes, title=f"{version} Code: section compliance, all landlords")


def _version_section(
    *, anchor: str, title: str, question: str, table: Table, chart: str | None
) -> Section:
    """One Code version's section of the front page: a table and, if any, its chart."""
    return Section(
        anchor=anchor,
        title=title,
        question=question,
        tables=(table,),
        charts=(chart,) if chart else (),
    )


def front_sections(bench: Benchmark) -> list[Section]:
    """How to read, the provisions most often not fully met, sections by landlord type."""
    out = [
        Section(
            anchor="how-to-read",
            title="How the figures are counted",
            notes=COUNTING_NOTES,
            tables=(
                Table(caption="Coverage", frame=bench.overview, name="overview"),
                Table(caption="By Code version", frame=bench.versions, name="versions"),
            ),
        )
    ]
    out += [
        _version_section(
            anchor=f"not-met-{version}",
            title=f"{version} Code: provisions most often not fully met",
            question="Which requirements do landlords most often say they do not fully "
            "meet, and how many landlords is that?",
            table=Table(
                caption="Lowest compliance first", frame=display.not_met_table(bench, version)
            ),
            chart=_not_met_chart(bench, version),
        )
        for version in display.versions(bench)
    ]
    out += [
        _version_section(
            anchor=f"sections-{version}",
            title=f"{version} Code: section compliance by landlord type",
            question="How fully do councils, housing associations and ALMOs meet each "
            "section? Median and quartiles of the landlords' section full-compliance "
            "rates.",
            table=Table(
                caption="By section and landlord type",
                frame=display.sections_table(bench, version),
            ),
            chart=_section_chart(bench, version),
        )
        for version in display.versions(bench)
    ]
    return out


def body_sections(bench: Benchmark) -> list[Section]:
    """Landlord ranking, heatmaps, change over time, all provisions, review."""
    out = [
        Section(
            anchor="landlords",
            title="Landlords: full compliance, rank and quartile",
            question="Where does each landlord stand among its peers (same Code version "
            "and landlord type)? Quartile 1 is the most compliant quarter.",
            tables=(Table(caption="Assessments", frame=display.landlords_table(bench)),),
        )
    ]
    for version in display.versions(bench):
        out.append(
            Section(
                anchor=f"heatmap-{version}",
                title=f"{version} Code: landlord × provision heatmap",
                question="Which landlord declares what, provision by provision? Each row "
                "is a landlord's latest assessment; its name links to its scorecard.",
                heatmap=version,
            )
        )
    out.append(_change_section(bench))
    for version in display.versions(bench):
        out.append(
            Section(
                anchor=f"provisions-{version}",
                title=f"{version} Code: every provision",
                question="How did the sector answer each provision?",
                tables=(
                    Table(caption="In Code order", frame=display.provisions_table(bench, version)),
                ),
            )
        )
    out.append(
        Section(
            anchor="review",
            title="Rows needing review",
            question="Which extracted answers should a person check before relying on "
            "them? (`chc review` lists them with their provenance.)",
            tables=(Table(caption="By reason", frame=display.review_by_reason(bench)),),
        )
    )
    return out


def _change_section(bench: Benchmark) -> Section:
    none_years = "No landlord has two assessment years under one Code version yet."
    none_versions = "No landlord has assessments under two Code versions yet."
    return Section(
        anchor="change",
        title="Change over time",
        question="How have declared answers moved: between a landlord's assessment years "
        "under one Code version, and for the same requirement across Code versions "
        "(through the crosswalk: 2020 → 2022 → 2024)?",
        tables=(
            Table(
                caption="Between assessment years, sector (same Code version)",
                frame=display.transitions_table(bench.year_transitions, ["code_version"]),
                empty_text=none_years,
            ),
            Table(
                caption="Between assessment years, per landlord (changed answers)",
                frame=display.year_changes_table(bench),
                empty_text=none_years,
            ),
            Table(
                caption="Across Code versions, sector",
                frame=display.transitions_table(
                    bench.version_transitions, ["from_version", "to_version"]
                ),
                empty_text=none_versions,
            ),
            Table(
                caption="Across Code versions, per landlord",
                frame=display.version_changes_table(bench),
                empty_text=none_versions,
            ),
        ),
    )


def scorecard_sections(bench: Benchmark) -> list[Section]:
    """One scorecard per assessment (level 3, under a level-2 heading)."""
    out = [
        Section(
            anchor="scorecards",
            title="Landlord scorecards",
            question="For one landlord: each answer beside the sector, its gaps with the "
            "actions it states, rows to check, and where every answer was read.",
        )
    ]
    cards = dict(tuple(bench.scorecards.groupby("assessment_id", sort=False)))
    review = dict(tuple(bench.review.groupby("assessment_id", sort=False)))
    no_cards, no_review = bench.scorecards.iloc[:0], bench.review.iloc[:0]
    for r in bench.landlords.itertuples(index=False):
        aid = str(r.assessment_id)
        mine, flagged = cards.get(aid, no_cards), review.get(aid, no_review)
        landlord = str(r.landlord) if not display.is_blank(r.landlord) else "(landlord unknown)"
        year = "" if display.is_blank(r.assessment_year) else f" {int(_num(r.assessment_year))}"
        rank = (
            f"rank {int(_num(r.peer_rank))} of {int(_num(r.peer_n))} {r.landlord_type} landlords "
            f"({r.code_version} Code)"
            if not display.is_blank(r.peer_rank)
            else "not ranked (not its latest assessment)"
        )
        quartile = (
            f"quartile Q{int(_num(r.peer_quartile))}"
            if not display.is_blank(r.peer_quartile)
            else f"no quartile (peer group under {SMALL_N})"
        )
        fully_met = display.fraction(int(_num(r.yes)), int(_num(r.answered)), group=SMALL_N)
        out.append(
            Section(
                anchor=display.slug(aid),
                title=f"{landlord}: {r.code_version} Code{year}",
                notes=(
                    f"Fully met: {fully_met} of the answered provisions; {rank}; {quartile}.",
                    f"{int(_num(r.documents))} document(s); {int(_num(r.provisions_found))} of "
                    f"{int(_num(r.provisions_in_code))} provisions found.",
                ),
                tables=(
                    Table(
                        caption="Not fully met: what the landlord says it will do",
                        frame=display.scorecard_gaps(mine),
                    ),
                    Table(
                        caption="Rows flagged for review",
                        frame=display.scorecard_review(flagged),
                    ),
                    Table(caption="Every provision", frame=display.scorecard_rows(mine)),
                ),
                level=3,
            )
        )
    return out


def outline(bench: Benchmark) -> list[Section]:
    """The whole report, in order."""
    return [*front_sections(bench), *body_sections(bench), *scorecard_sections(bench)]
