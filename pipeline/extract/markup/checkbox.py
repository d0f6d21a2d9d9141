"""Checkbox cells ("Yes ☒ No ☐") read as their ticked label; shared by DOCX and HTML.

The readers turn every kind of checkbox (Word content controls, legacy form fields,
Wingdings symbols, HTML inputs, typed glyphs) into ☒ / ☐ glyphs first, so one
function decides what was ticked. Pure, no I/O.
"""

from __future__ import annotations

import re

from pipeline.textnorm import normalise_space
from pipeline.vocabulary import TICKED, TICKED_GLYPHS, UNTICKED_GLYPHS

_TICK_GLYPHS = TICKED_GLYPHS
_EMPTY_GLYPHS = UNTICKED_GLYPHS
_GLYPHS = re.compile(f"([{_TICK_GLYPHS}{_EMPTY_GLYPHS}])")
# Answer options offered with ticks only ("Yes ✓ No"): without an empty box in the
# cell, only these labels make it a checkbox cell.
_OPTION = re.compile(
    r"^(?:yes|no|y|n|partial(?:ly)?(?: compliant)?|n/?a|not applicable|(?:non[- ])?compliant|"
    r"met|not met|in progress)$",
    re.IGNORECASE,
)
# Separators people put between checkbox options ("Yes ☒ / No ☐").
_OPTION_PUNCT = " \t/|,;:-–"


def resolve_checkboxes(text: str) -> str:
    """Turn a checkbox cell into its ticked label(s).

    "Yes ☒ No ☐" and "☒ Yes ☐ No" give "Yes"; "Yes ✓ No" gives "Yes"; no tick gives "";
    two ticks give "Yes / No" (ambiguous, left for the answer normaliser). Cells whose
    text is more than short option labels around boxes, or whose ticks are bullets
    ("✓ Policy ✓ Leaflets"), are returned unchanged; a lone ticked box stays a tick
    mark (a tick in a "Yes" column).
    """
    if not _GLYPHS.search(text):
        return text
    parts = [p.strip(_OPTION_PUNCT) for p in _GLYPHS.split(normalise_space(text))]
    tokens = [p for p in parts if p]
    labels = [t for t in tokens if not _GLYPHS.fullmatch(t)]
    if not labels:
        return TICKED if any(t in _TICK_GLYPHS for t in tokens) else ""
    if any(len(label) > 30 or len(label.split()) > 4 for label in labels):
        return text
    if not any(t in _EMPTY_GLYPHS for t in tokens) and not all(_OPTION.match(x) for x in labels):
        return text  # ticks used as bullets ("✓ Policy ✓ Leaflets"), not a choice of options
    glyph_first = _GLYPHS.fullmatch(tokens[0]) is not None
    ticked: list[str] = []
    for i, token in enumerate(tokens):
        if token not in _TICK_GLYPHS or not _GLYPHS.fullmatch(token):
            continue
        j = i + 1 if glyph_first else i - 1
        if 0 <= j < len(tokens) and not _GLYPHS.fullmatch(tokens[j]):
            ticked.append(tokens[j])
    return " / ".join(dict.fromkeys(ticked))
