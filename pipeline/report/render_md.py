"""The report as Markdown (``benchmark.md``; scorecards in ``scorecards.md``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pipeline.report import display
from pipeline.report.benchmark import Benchmark
from pipeline.report.outline import Section


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportMeta:
    """The report's header line: when, by which chc, from which database."""

    title: str
    generated: str
    chc_version: str
    database: str
    documents: int
    landlords: int
    assessments: int

    def line(self) -> str:
        """One sentence for the top of the report."""
        return (
            f"Generated {self.generated} by chc {self.chc_version} from {self.database}: "
            f"{self.documents} documents, {self.landlords} landlords, "
            f"{self.assessments} assessments."
        )


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub pipe table. Hand-written: ``DataFrame.to_markdown`` needs ``tabulate``,
    which the project does not depend on."""
    header = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    for row in frame.itertuples(index=False):
        cells = [
            "" if display.is_blank(v) else str(v).replace("|", "\\|").replace("\n", " ")
            for v in row
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def heatmap_markdown(bench: Benchmark, version: str) -> str:
    """One row per landlord, one column per provision, one letter per answer."""
    cells = bench.heatmap[bench.heatmap["code_version"] == version]
    if cells.empty:
        return "(none)"
    grid = cells.pivot_table(
        index=["landlord", "assessment_id"], columns="provision_id", values="cell",
        aggfunc="first", sort=False,
    )  # fmt: skip
    order = list(dict.fromkeys(cells["provision_id"]))
    grid = grid[order].map(lambda c: display.ANSWER_LETTERS.get(str(c), "?"))
    grid.index = [str(landlord) for landlord, _ in grid.index]
    legend = ", ".join(f"{letter.strip() or '(blank)'} {display.ANSWER_MEANING[a]}"
                       for a, letter in display.ANSWER_LETTERS.items())  # fmt: skip
    return f"Key: {legend}.\n\n" + to_markdown(grid.reset_index(names="landlord"))


def _section(section: Section, bench: Benchmark) -> list[str]:
    parts = [f"{'#' * section.level} {section.title}"]
    if section.question:
        parts.append(f"*{section.question}*")
    parts.extend(section.notes)
    for table in section.tables:
        parts.append(f"**{table.caption}**")
        parts.append(to_markdown(table.frame) if len(table.frame) else table.empty_text)
    if section.heatmap:
        parts.append(heatmap_markdown(bench, section.heatmap))
    return parts


def render_markdown(meta: ReportMeta, sections: Sequence[Section], bench: Benchmark) -> str:
    """The given sections as one Markdown document."""
    parts = [f"# {meta.title}", meta.line()]
    for section in sections:
        parts.extend(_section(section, bench))
    return "\n\n".join(parts) + "\n"
