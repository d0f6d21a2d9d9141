"""Running headers and footers of a paged document ("Riverside Living - Complaint
Handling Code self-assessment 2025 - Page 2"), found by repetition and left out of the
text the anchored reading cuts into rows: printed between a requirement at the foot of one
page and its answer at the head of the next, such a line would be read as the answer cell.

Written by hand: the readers give page text, not layout roles, and the rule is short (the
same line, numbers aside, at the top or bottom of most pages).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from pipeline.textnorm import normalise_space
from pipeline.vocabulary import ID_CORE, starts_with_answer

# Lines looked at, at each end of a page.
_EDGE_LINES = 2
# A line is running furniture when it is at the edge of this share of the pages (and of
# two pages at least), and long enough not to be a value ("Yes", "N/A", "Evidence").
_SHARE, _MIN_CHARS = 0.5, 12


# A line naming a provision ("Code section 1.4") is content, even at the top of a page.
_NAMES_PROVISION = re.compile(rf"\b{ID_CORE}\b")


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", normalise_space(line).lower())


def _edges(lines: Sequence[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))


def without_running_lines(pages: Sequence[str]) -> list[str]:
    """The pages' texts without the lines repeated at the top or bottom of most pages.

    Args:
        pages: one text per page (a single text is returned unchanged).

    Returns:
        The texts, running lines replaced by empty lines (line structure kept).
    """
    if len(pages) < 2:
        return list(pages)
    split = [text.split("\n") for text in pages]
    seen: Counter[str] = Counter()
    for lines in split:
        seen.update({_key(lines[i]) for i in _edges(lines)})
    floor = max(2.0, _SHARE * len(pages))
    running = {
        key
        for key, count in seen.items()
        if count >= floor and len(key) >= _MIN_CHARS and not starts_with_answer(key)
    }
    if not running:
        return list(pages)
    out = []
    for lines in split:
        drop = {
            i
            for i in _edges(lines)
            if _key(lines[i]) in running and not _NAMES_PROVISION.search(lines[i])
        }
        out.append("\n".join("" if i in drop else line for i, line in enumerate(lines)))
    return out
