"""Cheap page pre-filter: which PDF pages are worth table-parsing with pdfplumber.

pdfplumber builds a full layout model per page (about 0.1-0.5 s a page), so a
60-page annual report with the self-assessment as an appendix should not be
table-parsed page by page. pypdfium2 extracts a page's plain text in about a
millisecond; we score that text for the self-assessment's vocabulary and keep the
matching runs of pages plus a neighbour on each side for tables that start or
continue there.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from pipeline.vocabulary import ID_CORE

# Words that label a self-assessment table's columns or the form itself.
_KEYWORDS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"code provision", re.I), 4),
    (re.compile(r"code requirement", re.I), 4),
    (re.compile(r"\bcomply\b|\bcompliant\b|\bcompliance\b", re.I), 2),
    (re.compile(r"complaint handling code", re.I), 2),
    (re.compile(r"self[- ]?assessment", re.I), 2),
    (re.compile(r"\bevidence\b", re.I), 1),
    (re.compile(r"\bcommentary\b|\bexplanation\b", re.I), 1),
)
# Provision ids at the start of a line ("5.12", "1a") and Yes/No answer cells.
_LINE_ID = re.compile(rf"(?m)^\s*{ID_CORE}\b")
_ANSWER_LINE = re.compile(r"(?m)^\s*(?:yes|no|partial|n/a)\b", re.I)
_MUST_SHOULD = re.compile(r"\b(?:must|should)\b", re.I)

# A page scoring this much is taken; below it only as a neighbour of a taken page.
PAGE_THRESHOLD = 6
# A page next to a taken one is taken too if it scores this much (a form page whose
# rows happen to hold few keywords, e.g. long free-text answers).
RUN_THRESHOLD = 2


def score_page(text: str) -> int:
    """Score one page's plain text for self-assessment vocabulary.

    Args:
        text: the page's text (any line separators).

    Returns:
        A non-negative score; PAGE_THRESHOLD or more marks a likely form page.
    """
    score = 0
    for pattern, weight in _KEYWORDS:
        if pattern.search(text):
            score += weight
    score += min(len(_LINE_ID.findall(text)), 6)
    score += min(len(_ANSWER_LINE.findall(text)), 4)
    score += min(len(_MUST_SHOULD.findall(text)) // 3, 3)
    return score


def select_pages(
    scores: Sequence[int], threshold: int = PAGE_THRESHOLD, neighbours: int = 1
) -> tuple[int, ...]:
    """Pick the 0-based pages to table-parse from per-page scores.

    Pages at or over ``threshold`` are taken; each run of them grows through adjacent
    pages scoring at least RUN_THRESHOLD; then ``neighbours`` pages are added either
    side (a table that starts at the foot of a page, or a row continued onto a page
    with no ids of its own) and gaps of up to three pages between taken pages filled.

    Args:
        scores: one score per page, in page order.
        threshold: score at which a page is taken on its own merit.
        neighbours: pages added before and after each taken page.

    Returns:
        Sorted 0-based page indexes; empty when no page reaches the threshold.
    """
    hits = [i for i, s in enumerate(scores) if s >= threshold]
    taken = set(hits)
    for i in hits:  # grow each run through weaker pages on either side
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(scores) and j not in taken and scores[j] >= RUN_THRESHOLD:
                taken.add(j)
                j += step
    hits = sorted(taken)
    chosen: set[int] = set()
    for i in hits:
        chosen.update(range(max(0, i - neighbours), min(len(scores), i + neighbours + 1)))
    for a, b in itertools.pairwise(hits):
        if b - a <= 3:
            chosen.update(range(a, b))
    return tuple(sorted(chosen))
