"""Text clean-up shared by the readers and the matcher. Pure functions, no I/O."""

from __future__ import annotations

import re

# HTML-ish tags that text exports leave in cells (<u>, </i>, <p>, <ul style=...>).
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
# Word bookmark markers left by DOCX -> text exports.
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace (tabs, newlines, NBSP) to one space; trim ends."""
    return _SPACE.sub(" ", text).strip()


def strip_markup(text: str) -> str:
    """Remove HTML-like tags and bookmark markers, replacing each with a space."""
    return _BOOKMARK.sub(" ", _TAG.sub(" ", text))


def clean_cell(text: str) -> str:
    """The normal form of a cell: markup stripped, whitespace collapsed.

    Idempotent: ``clean_cell(clean_cell(x)) == clean_cell(x)``.
    """
    return normalise_space(strip_markup(text))
