"""Text reader: the document's own words plus the Code's, to judge OCR readings and
whether two pieces of text were one sentence."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from pipeline.extract.text.line import TextLine
from pipeline.reference import load_reference

_WORD = re.compile(r"[a-z]+")
JUNCTION_WORDS = 3


class Vocabulary:
    """Word counts of the document plus the Code texts, to judge OCR readings."""

    def __init__(self, lines: Sequence[TextLine]) -> None:
        """Count the words of ``lines`` and of every provision's requirement text.

        Args:
            lines: the document's logical lines.
        """
        words: Counter[str] = Counter()
        for line in lines:
            words.update(_WORD.findall(line.text.lower()))
        for provision in load_reference().provisions:
            words.update(_WORD.findall(provision.requirement_text.lower()))
        self.words = words
        self.corpus = "\n".join(" ".join(f.lower().split()) for ln in lines for f in ln.fields)

    def quality(self, text: str) -> float:
        """Mean log-frequency of the words: garbled OCR words are rare.

        Args:
            text: a cell.

        Returns:
            0.0 for text without words.
        """
        found = _WORD.findall(text.lower())
        return sum(math.log1p(self.words[w]) for w in found) / len(found) if found else 0.0

    def attested(self, left: str, right: str) -> bool:
        """The words around a join occur together elsewhere in the document.

        Args:
            left: text before the join.
            right: text after the join.

        Returns:
            Whether the last words of ``left`` followed by the first of ``right`` occur
            within one cell of the document.
        """
        if not left or not right:
            return False
        key = " ".join(
            [*left.lower().split()[-JUNCTION_WORDS:], *right.lower().split()[:JUNCTION_WORDS]]
        )
        return key in self.corpus
