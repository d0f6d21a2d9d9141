"""The rules data of pipeline/contradictions.py: spaCy token ``Matcher`` patterns.

``RULES`` are the phrases that imply a non-"yes" answer, each with the answer it suggests;
``SCOPE_RULES`` the context markers that decide whether a soft (plan, review, approval)
phrase is about the requirement itself. Data only; the logic is in contradictions.py.
"""

from __future__ import annotations

from typing import Any

from pipeline.records import Compliance

Pattern = list[dict[str, Any]]

_NOT = {"LOWER": {"IN": ["not", "n't", "never"]}}
_ADV = {"LOWER": {"IN": ["currently", "yet", "presently", "fully", "as", "at", "been"]}, "OP": "*"}
_NOT_YET = {"LOWER": {"IN": ["yet", "currently", "presently"]}}
_STAGE3: Pattern = [
    {"LOWER": {"IN": ["a", "any", "the"]}, "OP": "?"},
    {"LOWER": {"IN": ["stage", "third"]}},
    {"LOWER": {"IN": ["3", "three", "stage"]}},
]
_APPROVAL = ["approval", "ratification", "sign", "sign-off", "signoff", "adoption", "agreement"]
_APPROVED = ["ratified", "approved", "agreed", "adopted", "signed", "finalised", "finalized"]

# (rule name, suggested answer, patterns)
RULES: tuple[tuple[str, Compliance, list[Pattern]], ...] = (
    (
        "not_implemented",
        "no",
        [
            [_NOT, _ADV, {"LOWER": {"IN": ["implemented", "introduced", "established"]}}],
            [_NOT, _ADV, {"LOWER": "in"}, {"LOWER": "place"}],
            [{"LOWER": {"IN": ["do", "does"]}}, _NOT, {"LOWER": "currently"}],
            # "has not yet been published", "is not currently recorded": a gap stated now.
            [
                _NOT,
                _NOT_YET,
                {"LOWER": {"IN": ["been", "being"]}, "OP": "?"},
                {
                    "LOWER": {
                        "IN": [
                            "published",
                            "appointed",
                            "reported",
                            "recorded",
                            "embedded",
                            "delivered",
                            "completed",
                            "available",
                            "adopted",
                            "rolled",
                            "set",
                        ]
                    }
                },
            ],
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
            [{"LOWER": "intention", "IS_SENT_START": True}, {"LOWER": "to"}],
            [
                {"LOWER": {"IN": ["we", "council", "landlord"]}},
                {"LOWER": {"IN": ["intend", "intends"]}},
            ],
            [
                {"LOWER": {"IN": ["we", "council"]}},
                {"LOWER": {"IN": ["plan", "plans", "are"]}},
                {"LOWER": "planning", "OP": "?"},
                {"LOWER": "to"},
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
            [
                {"LOWER": {"IN": ["needs", "need", "requires", "require"]}},
                {"LOWER": "further"},
                {"LOWER": {"IN": ["consideration", "work", "development"]}},
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
            [{"LOWER": {"IN": ["currently", "presently"]}}, {"LOWER": "reviewing"}],
        ],
    ),
    (
        "pending_approval",
        "partial",
        [
            [
                {"LOWER": {"IN": ["awaiting", "pending", "await", "awaits"]}},
                {"LOWER": {"IN": ["formal", "final", "cabinet", "board", "committee"]}, "OP": "?"},
                {"LOWER": {"IN": _APPROVAL}},
            ],
            [{"LOWER": "subject"}, {"LOWER": "to"}, {"LOWER": {"IN": _APPROVAL}}],
            [{"LOWER": "in"}, {"LOWER": "draft"}],
            # "once the Standard is ratified", "once process agreed": checked in
            # _pending_is_about_a_document (the thing approved must be a policy, process...).
            [
                {"LOWER": "once"},
                {"ORTH": {"NOT_IN": [".", ",", ";", ":", "!", "?"]}, "OP": "{0,12}"},
                {"LOWER": {"IN": _APPROVED}},
            ],
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
            [{"LOWER": "n/a"}],
            [{"LOWER": "na", "IS_SENT_START": True}],
            [{"LOWER": "n"}, {"ORTH": "/"}, {"LOWER": {"IN": ["a", "a."]}}],
        ],
    ),
)
SOFT = frozenset(name for name, value, _ in RULES if value == "partial")

# Context markers, matched in the cue's sentence (or the other sentences, for "met").
SCOPE_RULES: tuple[tuple[str, list[Pattern]], ...] = (
    (
        # The hedged words are about something added on top of the requirement.
        "additive",
        [
            [{"LOWER": {"IN": ["additional", "extra", "also", "template", "templates"]}}],
            [{"LOWER": "to"}, {"LOWER": "further"}],
            [
                {"LOWER": "further"},
                {
                    "LOWER": {
                        "IN": [
                            "improve",
                            "improvements",
                            "improvement",
                            "strengthen",
                            "enhance",
                            "enhancements",
                            "develop",
                            "opportunities",
                            "training",
                            "changes",
                        ]
                    }
                },
            ],
            [{"LOWER": "continuous"}, {"LOWER": {"IN": ["improvement", "improvements"]}}],
            [
                {"LOWER": "to"},
                {
                    "LOWER": {
                        "IN": [
                            "include",
                            "enhance",
                            "strengthen",
                            "improve",
                            "support",
                            "streamline",
                            "expand",
                            "extend",
                            "better",
                            "refine",
                        ]
                    }
                },
            ],
        ],
    ),
    (
        # A scheduled review of something that exists.
        "routine",
        [
            [
                {"LOWER": {"IN": ["annual", "annually", "regular", "routine", "scheduled"]}},
                {"LOWER": {"IN": ["review", "reviews", "cycle"]}},
            ],
            [{"LOWER": "reviewed"}, {"LOWER": {"IN": ["annually", "regularly", "yearly"]}}],
            [{"LOWER": "kept"}, {"LOWER": "under"}, {"LOWER": "review"}],
        ],
    ),
    (
        # A sentence saying the requirement is met.
        "met",
        [
            [{"LOWER": {"IN": ["is", "are"]}}, {"LOWER": "in"}, {"LOWER": "place"}],
            [{"LOWER": "already"}],
            [{"LOWER": "we"}, {"LOWER": {"IN": ["comply", "fully"]}}],
            [{"LOWER": "fully"}, {"LOWER": {"IN": ["compliant", "met", "embedded"]}}],
            [{"LOWER": "compliant"}, {"LOWER": "with"}],
        ],
    ),
)
# Every rule needs one of these words; texts without any skip the spaCy pass (speed).
