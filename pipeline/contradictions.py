"""Rules that find a landlord's own words undercutting its answer.

A "yes" whose evidence or commentary says "not currently implemented", "intention to",
"will be developed", "cannot be demonstrated at this time", "currently under review",
"no data is collected", "once the policy is ratified" or "we do not use a Stage 3
process" is declared compliance that the text contradicts. Each rule suggests the answer
the text implies:

- ``no``: the requirement is not met ("not currently implemented", "no data is
  collected", "cannot be demonstrated", "has not yet been published");
- ``partial``: work is under way ("intention to", "will be developed", "currently under
  review", "yet to be", "awaiting approval", "once ... is ratified");
- ``na``: the requirement does not apply ("we do not use a Stage 3 process",
  "not applicable").

Two kinds of rule. *Firm* rules (``no``/``na``) state a fact and fire wherever they
occur outside a conditional ("if it cannot be evidenced, ...") or a gap already closed
("was not recorded previously but is now"). *Soft* rules (``partial``: plans, reviews,
approvals) are weighed against their context before they count:

- a statement about an addition or improvement ("additional opportunities ... will be
  developed", "under review to include ...", "letter templates are under review",
  "to further strengthen") is not about the requirement itself;
- a routine review ("as part of the annual review") is not a gap;
- another sentence saying the requirement is met ("is in place", "we comply",
  "already") lowers confidence;
- given the requirement text, a sentence sharing none of its key words and with a
  subject of its own ("Our unreasonable behaviour policy is under review") is about
  something else, while one sharing them raises confidence.

spaCy ``blank("en")`` with a sentencizer and token ``Matcher`` rules; no downloaded
model. The pipeline is built once per process; the patterns are data in
pipeline/contradiction_rules.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from pipeline.contradiction_rules import RULES, SCOPE_RULES, SOFT
from pipeline.records import Compliance
from pipeline.textnorm import clean_cell

# Searched in the lower-cased text: under a quarter of the time the same pattern takes
# with re.IGNORECASE, on every evidence and commentary cell.
_TRIGGER = re.compile(
    r"implement|introduc|establish|in place|currently|collect|record|captur|held|no data|"
    r"demonstrat|evidenc|unable|intention|intend|plan|develop|created|drafted|put in|yet|"
    r"progress|consideration|further|review|stage|applicable|n\s*/\s*a\b|\bna\b|await|"
    r"pending|subject to|draft|once"
)
# Which rule wins when several fire: not applicable explains a "no"-sounding text.
_PRIORITY: dict[Compliance, int] = {"na": 0, "no": 1, "partial": 2}
# "the resident's intention to ..." is not the landlord's plan.
_NOT_LANDLORD = {"resident", "resident's", "residents", "residents'", "customer", "their"}
# A cue inside a condition ("if it cannot be evidenced, we ...") states no fact.
_CONDITIONAL = {"if", "unless", "where", "when", "whether", "whenever"}
_CONTRAST = {";", "however", "but", "although", "though", "whilst", "while"}
_CLAUSE_BREAK = _CONTRAST | {",", ":"}
# "was not recorded previously but is now": a gap already closed.
_PAST = {"was", "were", "had"}
_CLOSED = {"now", "since", "subsequently"}
# What "once ... is agreed" must be about to mean a pending approval (not "once the
# remedy is agreed with the resident").
_DOCUMENTS = {
    "policy",
    "policies",
    "procedure",
    "procedures",
    "process",
    "standard",
    "standards",
    "strategy",
    "framework",
    "plan",
    "document",
    "guidance",
    "arrangements",
    "governance",
    "code",
    "charter",
    "terms",
}
# Words that say nothing about which requirement a sentence is about: every row has
# them, or they are the hedge itself.
_GENERIC_STEMS = {
    "compl",  # complaint(s), complainant, compliance
    "landl",
    "resid",
    "custo",
    "tenan",
    "counc",
    "housi",
    "organ",
    "revie",
    "devel",
    "imple",
    "consi",
    "curre",
    "inten",
    "propo",
    "ongoi",
    "progr",
    "futur",
    "appro",
    "ratif",
    "agree",
    "furth",
    "intro",
}
# Weights of the soft-cue evidence (see module docstring); a soft cue counts when its
# score reaches _THRESHOLD.
_BASE, _ADDITIVE, _ROUTINE, _MET, _ON_TOPIC, _OFF_TOPIC = 1.0, -1.0, -1.0, -0.5, 0.5, -1.0
_THRESHOLD = 0.75


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
def _pipeline() -> tuple[Any, Matcher, Matcher]:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher = Matcher(nlp.vocab)
    for name, _, patterns in RULES:
        matcher.add(name, patterns)
    scope = Matcher(nlp.vocab)
    for name, patterns in SCOPE_RULES:
        scope.add(name, patterns)
    return nlp, matcher, scope


@cache
def _required_words() -> tuple[tuple[frozenset[str], ...], ...]:
    """Per rule pattern, the words it cannot match without: for each token that is not
    optional and names its lower-case form, the set of forms it allows."""
    patterns = []
    for _, _, rule_patterns in RULES:
        for pattern in rule_patterns:
            required = []
            for token in pattern:
                lower = token.get("LOWER")
                if token.get("OP") in ("?", "*") or lower is None:
                    continue
                if not isinstance(lower, str) and "IN" not in lower:
                    continue  # e.g. NOT_IN: no word it needs
                required.append(frozenset([lower] if isinstance(lower, str) else lower["IN"]))
            patterns.append(tuple(required))
    return tuple(patterns)


def _may_match(text: str) -> bool:
    """Whether some rule pattern could match ``text``: its required words are all among
    the text's tokens. A cheap, exact pre-check (tokenising costs a tenth of running the
    Matcher): a text failing it has no cue, so it is not parsed for one."""
    nlp, _, _ = _pipeline()
    words = {token.lower_ for token in nlp.make_doc(text)}
    return any(all(forms & words for forms in pattern) for pattern in _required_words())


def warm_up() -> None:
    """Build the spaCy pipeline and matchers now (``pipeline.preload``), not on first use."""
    _pipeline()


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of ``text`` (spaCy sentencizer), whitespace-normalised.

    Args:
        text: any cell text.
    """
    text = clean_cell(text)
    if not text:
        return ()
    nlp, _, _ = _pipeline()
    return tuple(s.text.strip() for s in nlp(text).sents if s.text.strip())


def _stem(word: str) -> str:
    # Hand-written: spaCy's blank pipeline has no lemmatizer (the lookup tables are a
    # separate download), and a five-letter prefix is enough to join "governance" and
    # "governing", "report" and "reporting" for a yes/no overlap test.
    return word.lower().removesuffix("'s")[:5]


def _content_stems(tokens: Sequence[Any]) -> set[str]:
    """Stems of the content words among ``tokens`` (spaCy tokens)."""
    return {
        _stem(t.text)
        for t in tokens
        if t.is_alpha and len(t.text) >= 4 and not t.is_stop and _stem(t.text) not in _GENERIC_STEMS
    }


def requirement_stems(requirement: str) -> frozenset[str]:
    """The key-word stems of a requirement text, for ``find_cues(requirement=...)``.

    Args:
        requirement: the Code requirement or question as written.

    Returns:
        Five-letter stems of its content words, without words every row shares
        ("complaint", "landlord", "resident").
    """
    text = clean_cell(requirement)
    if not text:
        return frozenset()
    nlp, _, _ = _pipeline()
    return frozenset(_content_stems(list(nlp(text))))


def _scope_labels(doc: Doc, sent: Span, scope: Matcher) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for match_id, start, end in scope(doc[sent.start : sent.end]):
        name = doc.vocab.strings[match_id]
        found.setdefault(name, []).append((sent.start + start, sent.start + end))
    return found


def _clause(doc: Doc, span: Span, breaks: frozenset[str] | set[str]) -> tuple[int, int]:
    """Token range around ``span`` up to the nearest ``breaks`` words in its sentence."""
    sent = span.sent
    start = span.start
    while start > sent.start and doc[start - 1].lower_ not in breaks:
        start -= 1
    end = span.end
    while end < sent.end and doc[end].lower_ not in breaks:
        end += 1
    return start, end


def _is_conditional(doc: Doc, span: Span) -> bool:
    # "If it cannot be evidenced, we ...": the condition ends at the comma.
    start, _ = _clause(doc, span, _CLAUSE_BREAK)
    return any(doc[i].lower_ in _CONDITIONAL for i in range(start, span.start))


def _is_closed_gap(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1].lower_ if span.start > span.sent.start else ""
    past = before in _PAST or any(t.lower_ == "previously" for t in span.sent)
    return past and any(t.lower_ in _CLOSED for t in doc[span.end : span.sent.end])


def _pending_is_about_a_document(span: Span) -> bool:
    if span[0].lower_ != "once":
        return True
    return any(t.lower_ in _DOCUMENTS for t in span[1:-1])


def _soft_score(
    doc: Doc,
    span: Span,
    scope: Matcher,
    *,
    met_elsewhere: bool,
    requirement: frozenset[str],
) -> float:
    """How sure a soft cue (plan, review, approval) is about the requirement itself."""
    score = _BASE
    labels = _scope_labels(doc, span.sent, scope)
    # "To further strengthen this, X will be developed": commas do not end the scope of
    # an additive word; a contrast ("however", "but") does.
    c_start, c_end = _clause(doc, span, _CONTRAST)
    if any(c_start <= s and e <= c_end for s, e in labels.get("additive", [])):
        score += _ADDITIVE
    if "routine" in labels:
        score += _ROUTINE
    if met_elsewhere:
        score += _MET
    if requirement:
        outside = [t for t in span.sent if not span.start <= t.i < span.end]
        if _content_stems(outside) & requirement:
            score += _ON_TOPIC
        elif _content_stems(list(doc[span.sent.start : span.start])):
            score += _OFF_TOPIC
    return score


_Parsed = tuple[Doc, list[tuple[str, Span]]]


def _raw_cues(text: str) -> _Parsed:
    nlp, matcher, _ = _pipeline()
    doc = nlp(text)
    found: list[tuple[str, Span]] = []
    seen: set[tuple[str, int]] = set()
    # Longest match first so "once ... ratified" keeps its whole span.
    matches = sorted(matcher(doc), key=lambda m: (m[1], m[1] - m[2]))
    for match_id, start, end in matches:
        name = nlp.vocab.strings[match_id]
        span = doc[start:end]
        key = (name, span.sent.start)
        if key in seen:
            continue
        if name == "intention" and start > 0 and doc[start - 1].lower_ in _NOT_LANDLORD:
            continue
        if name == "pending_approval" and not _pending_is_about_a_document(span):
            continue
        seen.add(key)
        found.append((name, span))
    return doc, found


def _met_sentences(doc: Doc, scope: Matcher) -> set[int]:
    """Start tokens of the sentences in ``doc`` that say the requirement is met."""
    met: set[int] = set()
    for match_id, start, _ in scope(doc):
        if doc.vocab.strings[match_id] == "met":
            met.add(doc[start].sent.start)
    return met


def _met_elsewhere(texts: Sequence[str], parsed: Sequence[_Parsed], scope: Matcher) -> bool:
    """True when a sentence without a cue, in any of ``texts``, says the requirement is met."""
    nlp, _, _ = _pipeline()
    by_text = {doc.text: (doc, found) for doc, found in parsed}
    for raw in texts:
        text = clean_cell(raw)
        if not text:
            continue
        doc, found = by_text.get(text) or (nlp(text), [])
        if _met_sentences(doc, scope) - {span.sent.start for _, span in found}:
            return True
    return False


def _cues_in_texts(texts: Sequence[str], requirement: str) -> list[Cue]:
    """Cues over several texts of one row, soft cues weighed against all of them."""
    _, _, scope = _pipeline()
    suggested = {name: value for name, value, _ in RULES}
    parsed: list[_Parsed] = []
    for raw in texts:
        text = clean_cell(raw)
        if text and _TRIGGER.search(text.lower()) and _may_match(text):
            parsed.append(_raw_cues(text))
    if not any(found for _, found in parsed):
        return []
    stems = requirement_stems(requirement)
    met: bool | None = None  # computed only when a soft cue needs it
    cues: list[Cue] = []
    for doc, found in parsed:
        for name, span in found:
            if _is_conditional(doc, span):
                continue
            if name in SOFT:
                if met is None:
                    met = _met_elsewhere(texts, parsed, scope)
                score = _soft_score(doc, span, scope, met_elsewhere=met, requirement=stems)
                if score < _THRESHOLD:
                    continue
            elif _is_closed_gap(doc, span):
                continue
            cues.append(
                Cue(rule=name, suggested=suggested[name], phrase=span.text, sentence=span.sent.text)
            )
    return cues


def find_cues(text: str, *, requirement: str = "") -> tuple[Cue, ...]:
    """Every phrase in ``text`` that implies a non-"yes" answer, in text order.

    Firm statements ("not currently implemented", "we do not use a Stage 3 process")
    always count; plans and reviews count only when they are about the requirement
    itself (see the module docstring).

    Args:
        text: evidence or commentary.
        requirement: the row's requirement text, when known; its key words decide
            whether a plan or review is about the requirement.
    """
    text = clean_cell(text)
    cues = _cues_in_texts([text], requirement)
    return tuple(sorted(cues, key=lambda c: text.find(c.sentence)))


def likely_answer(texts: Sequence[str], *, requirement: str = "") -> Cue | None:
    """The strongest cue over several texts (evidence, commentary): "na" before "no"
    before "partial"; None when nothing implies a non-"yes" answer.

    A plan or review in one text is weighed against the others (a "this is in place"
    in the evidence lowers a "currently under review" in the commentary).

    Args:
        texts: the row's evidence, commentary, actions.
        requirement: the row's requirement text, when known (see ``find_cues``).
    """
    cues = _cues_in_texts(texts, requirement)
    if not cues:
        return None
    return min(cues, key=lambda c: _PRIORITY.get(c.suggested, 9))
