"""Inline SVG charts for the report (matplotlib's SVG backend, no pyplot state).

Text stays text (``svg.fonttype = none``: small, searchable), ids are salted with a
constant and the metadata carries no date, so the same figures give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# One colour per answer (Okabe-Ito, colour-blind safe); the report's legend uses these.
ANSWER_COLOURS: dict[str, str] = {
    "yes": "#009E73",
    "partial": "#E69F00",
    "no": "#D55E00",
    "na": "#56B4E9",
    "unknown": "#999999",
    "text": "#CC79A7",
    "missing": "#FFFFFF",
}
_SVG_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None,
                                         "Type": None}  # fmt: skip
_RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "chc", "font.size": 8}


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    """One horizontal bar split by answer: a label and a count per answer."""

    label: str
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Spread:
    """One box of a spread chart: label, quartiles and median of shares (0-1), and n."""

    label: str
    q1: float
    median: float
    q3: float
    n: int


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    with mpl.rc_context(_RC):
        FigureCanvasSVG(fig)
        fig.savefig(buffer, format="svg", metadata=_SVG_METADATA)
    text = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE (they point at w3.org): the <svg> element is inlined.
    return text[text.index("<svg") :]


def stacked_bars(bars: Sequence[Bar], *, title: str, xlabel: str) -> str:
    """Horizontal bars of answer counts, stacked in the order of ANSWER_COLOURS.

    Returns:
        An ``<svg>`` element.
    """
    with mpl.rc_context(_RC):
        height = 1.0 + 0.28 * max(len(bars), 1)
        fig = Figure(figsize=(8, height))
        ax = fig.add_subplot()
        positions = list(range(len(bars)))[::-1]
        left = [0] * len(bars)
        for answer, colour in ANSWER_COLOURS.items():
            widths = [dict(b.counts).get(answer, 0) for b in bars]
            if any(widths):
                ax.barh(positions, widths, left=left, color=colour, label=answer,
                        edgecolor="#555555", linewidth=0.3)  # fmt: skip
                left = [a + w for a, w in zip(left, widths, strict=True)]
        ax.set_yticks(positions, [b.label for b in bars])
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title, fontsize=9, loc="left")
        ax.legend(loc="lower right", fontsize=7, frameon=False, ncols=3)
        ax.margins(x=0.02)
        fig.subplots_adjust(left=0.4, right=0.98, bottom=0.5 / height + 0.05,
                            top=1 - 0.35 / height)  # fmt: skip
        return _svg(fig)


def spread_chart(boxes: Sequence[Spread], *, title: str) -> str:
    """Median (dot) and interquartile range (bar) of a share per label, 0-100 %.

    Returns:
        An ``<svg>`` element.
    """
    with mpl.rc_context(_RC):
        height = 1.0 + 0.26 * max(len(boxes), 1)
        fig = Figure(figsize=(8, height))
        ax = fig.add_subplot()
        positions = list(range(len(boxes)))[::-1]
        for y, box in zip(positions, boxes, strict=True):
            ax.plot([box.q1 * 100, box.q3 * 100], [y, y], color="#0072B2", linewidth=5,
                    alpha=0.35, solid_capstyle="butt")  # fmt: skip
            ax.plot([box.median * 100], [y], "o", color="#0072B2", markersize=4)
        ax.set_yticks(positions, [f"{b.label} (n={b.n})" for b in boxes])
        ax.set_xlim(-2, 102)
        ax.set_xlabel("full-compliance rate of the section, % (dot: median; bar: quartiles)")
        ax.set_title(title, fontsize=9, loc="left")
        ax.grid(axis="x", color="#dddddd", linewidth=0.5)
        fig.subplots_adjust(left=0.42, right=0.98, bottom=0.5 / height + 0.05,
                            top=1 - 0.35 / height)  # fmt: skip
        return _svg(fig)
