"""Actions and timescales a landlord states for a requirement it does not yet meet.

"We will review the policy by March 2025", "a key focus for 2024/2025", "to be
introduced in Q3 2024": the sentences of the evidence, commentary and actions cells
that name a timescale or a planned action, kept as written. Pure functions, no I/O.

Hand-written patterns: dates in these forms are a small closed set ("by March 2025",
"2024/25", "Q3 2024") and a date parser would also pick up the past dates of the
evidence ("policy approved in May 2023").
"""

from __future__ import annotations

import re

from pipeline.contradictions import split_sentences
from pipeline.textnorm import clean_cell

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"20\d\d(?:\s*[/-]\s*(?:20)?\d\d)?"
_TIMESCALE = re.compile(
    r"\bby\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    rf"(?:{_MONTH}|q[1-4]|spring|summer|autumn|winter|year|financial\s+year|\d{{1,2}}/\d{{1,2}}/)"
    rf"(?:\s*{_YEAR})?"
    rf"|\bby\s+{_YEAR}"
    rf"|\b(?:key\s+)?(?:focus|priority|priorities|target)\s+(?:for|in|during)\s+(?:the\s+)?{_YEAR}"
    rf"|\b(?:in|during|for|throughout|from)\s+(?:the\s+)?(?:{_MONTH}\s+)?{_YEAR}"
    rf"|\bq[1-4]\s*(?:of\s+)?{_YEAR}"
    r"|\bwithin\s+the\s+next\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?)"
    r"|\b(?:next|this|coming)\s+(?:financial\s+)?(?:year|quarter|month)",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|plan(?:s|ned)?|intend(?:s|ed)?|intention|aim(?:s)?|due|scheduled|target|"
    r"focus|priority|to\s+be|going\s+to|working\s+(?:on|towards)|action\s+plan|by)\b",
    re.IGNORECASE,
)
_NO_ACTION = re.compile(
    r"^(?:no\s+(?:further\s+)?actions?(?:\s+(?:required|needed))?|n/?a|none|-)\.?$", re.I
)


# Planned or ongoing work: a future/progress marker next to an improvement verb
# ("will be reviewed", "is being further strengthened", "will develop indicators").
_PLANNED = re.compile(
    r"\b(?:will|shall|plan(?:s|ned)?\s+to|intend(?:s)?\s+to|aim(?:s)?\s+to|going\s+to|"
    r"next\s+steps?|is\s+being|are\s+being|(?:is|are)\s+to\s+be|to\s+be\s+further|"
    r"currently\s+being|working\s+(?:with|on|towards))\b"
    r"(?:\W+\w+){0,4}?\W+(?:further\s+)?"
    r"(?:strengthen|develop|review|improv|introduc|implement|updat|recruit|train|establish|"
    r"rectif|chang|amend|creat|launch|roll|work|record|monitor|publish|appoint|adopt)\w*",
    re.IGNORECASE,
)


def planned_sentences(text: str) -> tuple[str, ...]:
    """Sentences that state planned or ongoing work ("This area is being further
    developed", "Housing Services will develop indicators"), with or without a date.

    Args:
        text: evidence, commentary or actions text.
    """
    return tuple(
        s
        for s in split_sentences(text)
        if _PLANNED.search(s) or (_TIMESCALE.search(s) and _FUTURE.search(s))
    )


def timescale_sentences(text: str) -> tuple[str, ...]:
    """Sentences that state a timescale for something still to be done.

    A sentence counts when it names a timescale ("by March 2025", "2024/25", "Q3 2024",
    "within the next six months") and speaks of the future ("will", "plan", "aim",
    "focus", "by").

    Args:
        text: evidence, commentary or actions text.
    """
    return tuple(s for s in split_sentences(text) if _TIMESCALE.search(s) and _FUTURE.search(s))


def stated_actions(evidence: str, commentary: str, actions: str) -> str:
    """The actions and timescales stated for one row, joined with " | ".

    The actions cell is kept whole unless it says there is nothing to do ("No Action
    Required"); from the evidence and commentary the sentences that state a timescale
    or planned work are kept.

    Args:
        evidence: evidence cell.
        commentary: commentary cell.
        actions: actions cell ("" when the form has none).
    """
    parts: list[str] = []
    action_text = clean_cell(actions)
    if action_text and not _NO_ACTION.match(action_text):
        parts.append(action_text)
    for text in (evidence, commentary):
        for sentence in planned_sentences(text):
            if sentence not in parts and sentence not in action_text:
                parts.append(sentence)
    return " | ".join(parts)
