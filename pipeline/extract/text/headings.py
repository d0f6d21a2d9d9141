"""Text reader: the headings in force (section / obligation / stage) above a row."""

from __future__ import annotations

import re

_GLUED_OBLIGATION = re.compile(r"^(.*?\S)\s+((?:mandatory|best practice)\b.*)$", re.IGNORECASE)
_LEADING_PUNCTUATION = re.compile(r"^\W+")


class HeadingLevels:
    """The heading in force at each level; a heading clears the levels below it."""

    def __init__(self) -> None:
        """Start with no heading in force."""
        self.levels: dict[str, str | None] = {"section": None, "obligation": None, "stage": None}

    def section(self) -> str | None:
        """The headings in force joined with " / ", or None when there are none."""
        parts = [v for v in self.levels.values() if v]
        return " / ".join(parts) if parts else None

    def set(self, kind: str, text: str) -> None:
        """Put a heading in force.

        Args:
            kind: "section", "obligation" or "stage" (see ``heading_kind``).
            text: the heading; leading punctuation is dropped, and a section heading with
                an obligation glued on ("Section 2 - Accessibility Mandatory 'must'
                requirements") sets both levels.
        """
        text = _LEADING_PUNCTUATION.sub("", text)
        glued = _GLUED_OBLIGATION.match(text) if kind == "section" else None
        if glued:
            self.set("section", glued.group(1))
            self.set("obligation", glued.group(2))
            return
        self.levels[kind] = text
        if kind == "section":
            self.forget_below_section()
        elif kind == "obligation":
            self.levels["stage"] = None

    def forget_below_section(self) -> None:
        """Clear the obligation and stage levels (their heading is unknown)."""
        self.levels["obligation"] = self.levels["stage"] = None
