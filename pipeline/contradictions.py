"""Rules that find a landlord's own words undercutting its answer.

A "yes" whose evidence or commentary says "not currently implemented", "intention to",
"will be developed", "cannot be demonstrated at this time", "currently under review",
"no data is collected" or "we do not use a Stage 3 process" is declared compliance that
the text contradicts. Each rule suggests the answer the text implies:

- ``no``: the requirement is not met ("not currently implemented", "no data is
  collected", "cannot be demonstrated");
- ``partial``: work is under way ("intention to", "will be developed", "currently under
  review", "yet to be");
- ``na``: the requirement does not apply ("we do not use a Stage 3 process",
  "not applicable").

spaCy ``blank("en")`` with a sentencizer and token ``Matcher`` rules; no downloaded
model. The pipeline is built once per process.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy
from spacy.matcher import Matcher

from pipeline.records import Compliance
from pipeline.textnorm import clean_cell

_NOT = {"LOWER": {"IN": ["not", "n't", "never"]}}
_ADV = {"LOWER": {"IN": ["currently", "yet", "presently", "fully", "as", "at", "been"]}, "OP": "*"}
_STAGE3: list[dict[str, Any]] = [
    {"LOWER": {"IN": ["a", "any", "the"]}, "OP": "?"},
    {"LOWER": {"IN": ["stage", "third"]}},
    {"LOWER": {"IN": ["3", "three", "stage"]}},
]

# (rule name, suggested answer, patterns)
RULES: tuple[tuple[str, Compliance, list[list[dict[str, Any]]]], ...] = (
    (
        "not_implemented",
        "no",
        [
            [_NOT, _ADV, {"LOWER": {"IN": ["implemented", "introduced", "established"]}}],
            [_NOT, _ADV, {"LOWER": "in"}, {"LOWER": "place"}],
            [{"LOWER": {"IN": ["do", "does"]}}, _NOT, {"LOWER": "currently"}],
        ],
    ),
    (
        "no_data",
        "no",
        [
            [
                {"LOWER": "no"},
                {"LOWER": "data"},
                {"LOWER": {"IN": ["is", "are", "has", "have", "been", "currently"]}, "OP": "*"},
                {"LOWER": {"IN": ["collected", "recorded", "captured", "held"]}},
            ],
            [
                {"LOWER": {"IN": ["not", "n't"]}},
                {"LOWER": "currently"},
                {"LOWER": {"IN": ["collected", "recorded", "captured", "monitored"]}},
            ],
            [
                {"LOWER": "no"},
                {"LOWER": "data"},
                {"LOWER": {"IN": ["to", "is", "yet"]}},
                {"LOWER": {"IN": ["report", "available", "collected"]}},
            ],
        ],
    ),
    (
        "cannot_demonstrate",
        "no",
        [
            [
                {"LOWER": {"IN": ["cannot", "can't"]}},
                {"LOWER": "be", "OP": "?"},
                {"LOWER": {"IN": ["demonstrated", "evidenced", "demonstrate", "evidence"]}},
            ],
            [
                {"LOWER": "can"},
                _NOT,
                {"LOWER": "be", "OP": "?"},
                {"LOWER": {"IN": ["demonstrated", "evidenced", "demonstrate", "evidence"]}},
            ],
            [
                {"LOWER": "unable"},
                {"LOWER": "to"},
                {"LOWER": {"IN": ["demonstrate", "evidence", "comply"]}},
            ],
        ],
    ),
    (
        "intention",
        "partial",
        [
            [
                {"LOWER": {"IN": ["our", "the", "is", "it", "council", "council's"]}},
                {"LOWER": "intention"},
                {"LOWER": {"IN": ["to", "is"]}},
            ],
            [
                {"LOWER": {"IN": ["we", "council", "landlord"]}},
                {"LOWER": {"IN": ["intend", "intends"]}},
            ],
        ],
    ),
    (
        "will_be_developed",
        "partial",
        [
            [
                {"LOWER": {"IN": ["will", "is", "are"]}},
                {"LOWER": {"IN": ["be", "being"]}},
                {"LOWER": {"IN": ["developed", "introduced", "implemented", "created", "drafted"]}},
            ],
            [{"LOWER": {"IN": ["will", "to"]}}, {"LOWER": "be"}, {"LOWER": "put"}, {"LOWER": "in"}],
            [{"LOWER": {"IN": ["under", "in"]}}, {"LOWER": "development"}],
            [{"LOWER": "yet"}, {"LOWER": "to"}, {"LOWER": "be"}],
            [{"LOWER": "work"}, {"LOWER": "in"}, {"LOWER": "progress"}],
            [
                {"LOWER": {"IN": ["will", "to"]}},
                {"LOWER": "be"},
                {"LOWER": "given"},
                {"LOWER": "further", "OP": "?"},
                {"LOWER": "consideration"},
            ],
        ],
    ),
    (
        "under_review",
        "partial",
        [
            [
                {"LOWER": "currently"},
                {"LOWER": {"IN": ["under", "being"]}},
                {"LOWER": {"IN": ["review", "reviewed"]}},
            ],
            [{"LOWER": {"IN": ["is", "are"]}}, {"LOWER": "under"}, {"LOWER": "review"}],
        ],
    ),
    (
        "no_stage_three",
        "na",
        [
            [
                {"LOWER": {"IN": ["do", "does"]}},
                _NOT,
                {"LOWER": {"IN": ["use", "have", "operate", "offer"]}},
                *_STAGE3,
            ],
            [{"LOWER": "no"}, *_STAGE3[1:]],
        ],
    ),
    (
        "not_applicable",
        "na",
        [
            [{"LOWER": "not"}, {"LOWER": "applicable"}],
            [{"LOWER": {"IN": ["n/a", "na"]}, "IS_SENT_START": True}],
            [{"LOWER": "n", "IS_SENT_START": True}, {"ORTH": "/"}, {"LOWER": "a"}],
        ],
    ),
)
# Every rule needs one of these words; texts without any skip the spaCy pass (speed).
_TRIGGER = re.compile(
    r"implement|introduc|establish|in place|currently|collect|record|captur|held|no data|"
    r"demonstrat|evidenc|unable|intention|intend|develop|created|drafted|put in|yet to be|"
    r"progress|consideration|under review|being reviewed|stage|applicable|n\s*/\s*a\b|\bna\b",
    re.IGNORECASE,
)
# Which rule wins when several fire: not applicable explains a "no"-sounding text.
_PRIORITY: dict[Compliance, int] = {"na": 0, "no": 1, "partial": 2}
# "the resident's intention to ..." is not the landlord's plan.
_NOT_LANDLORD = {"resident", "resident's", "residents", "residents'", "customer", "their"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Cue:
    """One phrase that implies an answer.

    Attributes:
        rule: rule name, e.g. "not_implemented".
        suggested: the answer the phrase implies.
        phrase: the matched words as written.
        sentence: the sentence they are in.
    """

    rule: str
    suggested: Compliance
    phrase: str
    sentence: str


@cache
def _pipeline() -> tuple[Any, Matcher]:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher = Matcher(nlp.vocab)
    for name, _, patterns in RULES:
        matcher.add(name, patterns)
    return nlp, matcher


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of ``text`` (spaCy sentencizer), whitespace-normalised.

    Args:
        text: any cell text.
    """
    text = clean_cell(text)
    if not text:
        return ()
    nlp, _ = _pipeline()
    return tuple(s.text.strip() for s in nlp(text).sents if s.text.strip())


def find_cues(text: str) -> tuple[Cue, ...]:
    """Every phrase in ``text`` that implies a non-"yes" answer, in text order.

    Args:
        text: evidence or commentary.
    """
    text = clean_cell(text)
    if not text or not _TRIGGER.search(text):
        return ()
    nlp, matcher = _pipeline()
    doc = nlp(text)
    suggested = {name: value for name, value, _ in RULES}
    found: list[Cue] = []
    seen: set[tuple[str, int]] = set()
    for match_id, start, end in matcher(doc):
        name = nlp.vocab.strings[match_id]
        span = doc[start:end]
        if name == "intention" and start > 0 and doc[start - 1].lower_ in _NOT_LANDLORD:
            continue
        sentence = span.sent.text
        key = (name, span.sent.start)
        if key in seen:
            continue
        seen.add(key)
        found.append(Cue(rule=name, suggested=suggested[name], phrase=span.text, sentence=sentence))
    return tuple(sorted(found, key=lambda c: text.find(c.sentence)))


def likely_answer(texts: Sequence[str]) -> Cue | None:
    """The strongest cue over several texts (evidence, commentary): "na" before "no"
    before "partial"; None when nothing implies a non-"yes" answer.

    Args:
        texts: the row's evidence, commentary, actions.
    """
    cues = [c for t in texts for c in find_cues(t)]
    if not cues:
        return None
    return min(cues, key=lambda c: _PRIORITY.get(c.suggested, 9))
