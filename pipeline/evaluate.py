"""Scores pipeline output against gold rows. Pure functions, no I/O.

``reader_recall`` scores stage 1+2 (did the reader yield each gold row's cells?).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.goldfile import GoldRow
from pipeline.records import AssessmentRow
from pipeline.textnorm import normalise_space

TEXT_THRESHOLD = 95.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ReaderRecall:
    """How well a reader's rows cover the gold rows of one document.

    Attributes:
        gold_rows: number of gold rows.
        found: gold rows for which one yielded row matches every cell.
        missed: the gold rows not found (row number, provision id).
        spurious: yielded rows that resemble no gold row (index in the yielded rows).
        yielded: number of rows the reader yielded.
    """

    gold_rows: int
    found: int
    missed: tuple[tuple[int, str], ...]
    spurious: tuple[int, ...]
    yielded: int

    @property
    def recall(self) -> float:
        return self.found / self.gold_rows if self.gold_rows else 1.0

    @property
    def spurious_share(self) -> float:
        return len(self.spurious) / self.yielded if self.yielded else 0.0


def _same_text(a: str, b: str) -> bool:
    a, b = normalise_space(a), normalise_space(b)
    if a == b:
        return True
    if not a or not b:
        return False
    return fuzz.ratio(a, b) >= TEXT_THRESHOLD


def row_matches_gold(row: AssessmentRow, gold: GoldRow) -> bool:
    """Every cell agrees: text cells by rapidfuzz ratio >= 95, the answer exactly."""
    return (
        normalise_space(row.answer_raw) == normalise_space(gold.compliance_raw)
        and _same_text(row.requirement, gold.requirement)
        and _same_text(row.evidence, gold.evidence)
        and _same_text(row.commentary, gold.commentary)
        and _same_text(row.actions, gold.actions)
    )


def reader_recall(rows: Sequence[AssessmentRow], gold: Sequence[GoldRow]) -> ReaderRecall:
    """Match gold rows to yielded rows one-to-one, in document order.

    A yielded row is spurious when it was not matched and its requirement resembles
    no gold requirement (partial ratio < 80): a header or statistics row that leaked.
    """
    used: set[int] = set()
    missed: list[tuple[int, str]] = []
    start = 0
    for g in gold:
        hit = next(
            (
                i
                for i in [*range(start, len(rows)), *range(start)]
                if i not in used and row_matches_gold(rows[i], g)
            ),
            None,
        )
        if hit is None:
            missed.append((g.row, g.provision_id))
        else:
            used.add(hit)
            start = hit + 1
    spurious = tuple(
        i
        for i, r in enumerate(rows)
        if i not in used
        and not any(
            fuzz.partial_ratio(normalise_space(r.requirement), g.requirement) >= 80 for g in gold
        )
    )
    return ReaderRecall(
        gold_rows=len(gold),
        found=len(gold) - len(missed),
        missed=tuple(missed),
        spurious=spurious,
        yielded=len(rows),
    )
