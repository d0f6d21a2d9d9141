"""What one synthetic self-assessment says: an answer, evidence, commentary and actions
per provision of its Code version.

Answers are drawn per landlord: mostly yes, some partial and no, a few blank and the
odd "not applicable"; a partial or no answer comes with a plan in the commentary and
the actions. Evidence names policy documents, dates, reports and training; its length
varies from a phrase to a long cell with bullet points (such rows cross page breaks
in a PDF). Some yes answers carry evidence that says "not applicable" (the answer is
still yes). Everything comes from the ``random.Random`` passed in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pipeline.reference import Provision, load_reference

from .sector_landlords import Landlord

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_DOCUMENTS = (
    "Complaints Policy",
    "Complaints and Compensation Policy",
    "Customer Feedback Policy",
    "Unreasonable Behaviour Policy",
    "Complaints Procedure",
    "Annual Complaints Performance Report",
    "Compensation Guidance",
    "Reasonable Adjustments Policy",
)
_BODIES = (
    "the Board",
    "the Cabinet",
    "the Housing Committee",
    "the Customer Scrutiny Panel",
    "the Audit and Risk Committee",
    "the Tenants' Forum",
)
_EVIDENCE = (
    "Section {s} of the {doc} ({month} {year}) sets this out.",
    "The {doc} was approved by {body} in {month} {year}; paragraph {s}.{p} covers this.",
    "See the {doc}, paragraph {s}.{p}, published on our website.",
    "Complaint handling training was delivered to {n} staff in {month} {year}.",
    "Quarterly reports to {body} include complaint volumes, outcomes and learning.",
    "Our complaints leaflet and web page explain this in plain English.",
    "Case audits of {n} closed complaints in {month} {year} confirmed this happens in practice.",
    "The complaint handling system records each stage with its response date.",
    "Template letters were reviewed in {month} {year} to reflect this requirement.",
    "The Member Responsible for Complaints receives a monthly briefing.",
    "Residents were consulted on the {doc} through {body} in {month} {year}.",
    "Performance against this requirement is reported in the {doc}.",
)
_BULLETS = (
    "• {doc} (section {s})",
    "• Staff guidance note {s}.{p}",
    "• Report to {body}, {month} {year}",
    "• Training records ({n} staff)",
    "• Website complaints page",
    "• Case management system audit trail",
)
_NOT_APPLICABLE = (
    "Not applicable to our organisation as we do not use a third party to handle complaints.",
    "Not applicable: we have not had to refuse a complaint in the period.",
    "N/A as no complaints were escalated to the Ombudsman this year; the process is in place.",
)
_COMMENT_YES = (
    "No further action required.",
    "We will keep this under review at the annual policy review.",
    "Compliant; reviewed as part of this self-assessment.",
    "This is monitored through monthly performance reporting.",
    "",
    "",
)
_COMMENT_GAP = (
    "The {doc} is being revised and will be approved by {body} by {month} {year}.",
    "This is not yet in place for all service areas; a new process will be introduced by "
    "{month} {year}.",
    "Response times have not met the target in all cases; an improvement plan is in progress.",
    "We are recruiting to the complaints team and expect to comply by {month} {year}.",
)
_ACTIONS_GAP = (
    "Revise the {doc} and take it to {body} ({month} {year}).",
    "Introduce the new process and train staff by {month} {year}.",
    "Monitor monthly and report progress to {body}.",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One provision as this landlord answered it (before any layout spells it)."""

    provision: Provision
    compliance: str  # yes / no / partial / na / unknown
    evidence: str
    commentary: str
    actions: str


def _fill(rng: random.Random, template: str, year: int) -> str:
    return template.format(
        s=rng.randint(1, 12),
        p=rng.randint(1, 9),
        n=rng.randint(12, 240),
        doc=rng.choice(_DOCUMENTS),
        body=rng.choice(_BODIES),
        month=rng.choice(MONTHS),
        year=year - rng.randint(0, 1),
    )


def _evidence(rng: random.Random, year: int) -> str:
    length = rng.choices((1, 2, 3, 5, 9), (0.25, 0.3, 0.25, 0.12, 0.08))[0]
    sentences = [_fill(rng, t, year) for t in rng.sample(_EVIDENCE, min(length, len(_EVIDENCE)))]
    if length >= 5 and rng.random() < 0.6:
        # A long cell with a bullet list, as forms often have.
        bullets = [_fill(rng, b, year) for b in rng.sample(_BULLETS, rng.randint(2, 5))]
        sentences += ["Evidence includes:", *bullets]
    return " ".join(sentences)


def _answer(rng: random.Random, diligence: float) -> str:
    if rng.random() < diligence:
        return "yes"
    return rng.choices(("partial", "no", "unknown", "na"), (0.5, 0.25, 0.15, 0.1))[0]


def assessment_items(
    rng: random.Random, landlord: Landlord, version: str, year: int
) -> tuple[Item, ...]:
    """One item per provision of ``version``, in the order the form prints them.

    The 2022 form prints each section's must rows before its should rows.
    """
    provisions = list(load_reference().version(version))
    if version == "2022":
        order = {"must": 0, "should": 1}
        provisions.sort(key=lambda p: (p.section_number, order.get(p.obligation, 2), p.order))
    items = []
    for provision in provisions:
        compliance = _answer(rng, landlord.diligence)
        evidence = _evidence(rng, year)
        actions = ""
        if compliance == "yes" and rng.random() < 0.02:
            evidence = rng.choice(_NOT_APPLICABLE)
        if compliance in ("partial", "no"):
            commentary = _fill(rng, rng.choice(_COMMENT_GAP), year + 1)
            actions = _fill(rng, rng.choice(_ACTIONS_GAP), year + 1)
        elif compliance == "unknown":
            commentary = rng.choice(("", "To be confirmed.", ""))
        else:
            commentary = _fill(rng, rng.choice(_COMMENT_YES), year)
        items.append(
            Item(
                provision=provision,
                compliance=compliance,
                evidence=evidence,
                commentary=commentary,
                actions=actions,
            )
        )
    return tuple(items)
