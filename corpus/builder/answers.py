"""How a rendering spells the comply cell, and what gold `compliance_raw` that gives.

Only the spelling changes; the normalised `compliance` value of every row stays as in the seed.
"""

from __future__ import annotations

from .model import Answer, AnswerStyle, GoldRow

_BOX_LABEL = {"yes": "Yes", "no": "No", "partial": "Partial", "na": "N/A"}
_YN = {"yes": "Y", "no": "N"}


def box_labels(rows: tuple[GoldRow, ...]) -> tuple[str, ...]:
    """Checkbox labels a form offers: Yes and No, plus Partial / N/A if the seed uses them."""
    used = {r.compliance for r in rows}
    return tuple(
        label for value, label in _BOX_LABEL.items() if value in {"yes", "no"} or value in used
    )


def make_answers(rows: tuple[GoldRow, ...], style: AnswerStyle) -> tuple[Answer, ...]:
    """One comply cell per gold row in the given style."""
    if style == "plain":
        return tuple(Answer(r.compliance_raw) for r in rows)
    if style == "yn":
        return tuple(Answer(_YN.get(r.compliance, r.compliance_raw), style="yn") for r in rows)
    labels = box_labels(rows)
    answers = []
    for r in rows:
        ticked = _BOX_LABEL.get(r.compliance)
        boxes = tuple((label, label == ticked) for label in labels)
        answers.append(Answer("", boxes=boxes, style=style))
    return tuple(answers)


def adjust_gold(rows: tuple[GoldRow, ...], answers: tuple[Answer, ...]) -> tuple[GoldRow, ...]:
    """Seed gold with `compliance_raw` respelt as the rendering prints it."""
    out = []
    for row, answer in zip(rows, answers, strict=True):
        values = row.as_dict()
        values["compliance_raw"] = answer.gold_raw
        out.append(GoldRow(**values))  # type: ignore[arg-type]
    return tuple(out)
