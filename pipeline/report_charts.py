"""PNG charts for the sector benchmark (matplotlib, Agg canvas, no pyplot state).

Output is deterministic: no timestamps or software version in the PNG metadata.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# One colour per answer, in stacking order (colour-blind safe Okabe-Ito palette).
ANSWER_COLOURS: tuple[tuple[str, str], ...] = (
    ("yes", "#009E73"),
    ("partial", "#E69F00"),
    ("no", "#D55E00"),
    ("na", "#56B4E9"),
    ("unknown", "#999999"),
    ("not_found", "#DDDDDD"),
)
_PNG_METADATA: dict[str, str | None] = {"Software": None}


@dataclass(frozen=True, slots=True, kw_only=True)
class StackedBar:
    """One bar of a stacked share chart: a label and a share per answer (0-1)."""

    label: str
    shares: tuple[tuple[str, float], ...]


def _margins(fig: Figure, height: float, *, right: float) -> None:
    """Fixed margins (labels up to ~50 characters at 8 pt). Set by hand because
    ``tight_layout`` draws the figure an extra time, which doubles the cost."""
    fig.subplots_adjust(left=0.36, right=right, bottom=0.7 / height, top=1 - 0.45 / height)


def _save(fig: Figure, path: Path) -> Path:
    FigureCanvasAgg(fig)
    fig.savefig(path, format="png", dpi=100, metadata=_PNG_METADATA)
    return path


def stacked_share_chart(bars: Sequence[StackedBar], *, title: str, path: Path) -> Path:
    """Horizontal bars, each split into the share of every answer.

    Args:
        bars: bars from top to bottom.
        title: chart title.
        path: PNG file to write.

    Returns:
        ``path``.
    """
    height = 1.2 + 0.45 * max(len(bars), 1)
    fig = Figure(figsize=(9, height))
    ax = fig.add_subplot()
    labels = [b.label for b in bars]
    positions = list(range(len(bars)))[::-1]
    left = [0.0] * len(bars)
    for answer, colour in ANSWER_COLOURS:
        widths = [dict(b.shares).get(answer, 0.0) for b in bars]
        if not any(widths):
            continue
        ax.barh(positions, widths, left=left, color=colour, label=answer.replace("_", " "))
        left = [a + w for a, w in zip(left, widths, strict=True)]
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of answers")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    _margins(fig, height, right=0.84)
    return _save(fig, path)


def share_bar_chart(values: Sequence[tuple[str, float]], *, title: str, path: Path) -> Path:
    """Horizontal bars of one share (0-1) per label, e.g. share compliant per landlord.

    Args:
        values: (label, share) from top to bottom.
        title: chart title.
        path: PNG file to write.

    Returns:
        ``path``.
    """
    height = 1.2 + 0.4 * max(len(values), 1)
    fig = Figure(figsize=(9, height))
    ax = fig.add_subplot()
    positions = list(range(len(values)))[::-1]
    ax.barh(positions, [v for _, v in values], color=ANSWER_COLOURS[0][1])
    for position, (_, value) in zip(positions, values, strict=True):
        ax.text(min(value, 0.9) + 0.01, position, f"{value:.0%}", va="center", fontsize=8)
    ax.set_yticks(positions, [label for label, _ in values], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of aligned rows answered yes")
    ax.set_title(title, fontsize=10)
    _margins(fig, height, right=0.97)
    return _save(fig, path)
