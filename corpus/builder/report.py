"""Filler for an "annual complaints report": plausible prose and tables around the appendix.

Everything comes from `random.Random(f"{seed.number}-annual-report")`, so it is deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .model import Block, Heading, PageBreak, Para, Table, TableRow
from .seeds import Seed

TEAM = "Customer Feedback Team"
MONTHS = (
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
)
SERVICES = (
    "Repairs and maintenance",
    "Damp and mould",
    "Anti-social behaviour",
    "Tenancy management",
    "Rents and income",
    "Estate services",
    "Voids and lettings",
    "Gas servicing",
    "Customer contact",
    "Planned investment",
)
_OPENERS = (
    "During the year the {team} received {s1} stage 1 complaints and {s2} requests to escalate "
    "to stage 2.",
    "Most complaints concerned {top_l}, which accounted for {top_pct}% of all stage 1 cases.",
    "We responded to {s1_on_time}% of stage 1 complaints within the 10 working day target.",
    "{s2_on_time}% of stage 2 responses were issued within 20 working days.",
    "Complaints about {service_l} fell by {pct}% after the service changes made in {month}.",
    "{s2} complaints were escalated to stage 2, {s2_share}% of those received at stage 1.",
)
_MIDDLES = (
    "Residents told us that they wanted clearer information about when an operative would "
    "attend and what would happen if an appointment had to be moved.",
    "We have reviewed every case where we missed a target to understand whether the delay "
    "was caused by workload, by the complexity of the complaint or by waiting for contractors.",
    "Complaint handlers now contact each resident by telephone within two working days to "
    "agree what the complaint is about and the outcome the resident is looking for.",
    "Managers receive a weekly list of open cases so that complaints approaching their "
    "deadline can be prioritised and, where necessary, an extension agreed with the resident.",
    "Our Tenant Scrutiny Panel examined a sample of {n} closed complaints and made {k} "
    "recommendations, all of which were accepted.",
    "Where we got things wrong we apologised, explained what had happened and set out what "
    "we would do to put things right and by when.",
    "Learning from complaints is shared at monthly service meetings and recorded in a "
    "central log so that we can check that agreed changes have been made.",
    "We introduced a new case management module in {month}, which records every contact and "
    "makes it easier to report on volumes, outcomes and response times.",
    "Compensation payments totalled £{money}, most of which related to delays in completing "
    "repairs and to missed appointments.",
    "The proportion of complaints upheld or partly upheld was {pct}%, compared with {pct2}% "
    "in the previous year.",
)
_CLOSERS = (
    "We will continue to monitor this closely over the coming year.",
    "Progress against these actions will be reported to the governing body every quarter.",
    "Further detail is set out in the tables below.",
    "We recognise that there is more to do and we will keep residents informed of progress.",
)
_SAID_DID = (
    (
        "Repairs appointments were cancelled without notice.",
        "Text message reminders are now sent the day before every appointment.",
    ),
    (
        "It was not clear who was dealing with my complaint.",
        "Every acknowledgement now names the complaint handler and gives a direct number.",
    ),
    (
        "Damp and mould reports took too long to inspect.",
        "A dedicated damp and mould team now inspects within ten working days.",
    ),
    (
        "Letters were hard to understand.",
        "Response templates were rewritten in plain English with resident reviewers.",
    ),
    (
        "I had to chase for updates on my stage 2 complaint.",
        "Handlers now give an update at least every ten working days.",
    ),
    (
        "Noise nuisance cases were closed too quickly.",
        "Cases are only closed after the resident has been contacted about the outcome.",
    ),
)


def _sentence(rng: random.Random, template: str, facts: dict[str, object]) -> str:
    return template.format(
        **facts,
        n=rng.randint(20, 60),
        k=rng.randint(4, 12),
        pct=rng.randint(5, 40),
        pct2=rng.randint(30, 70),
        money=f"{rng.randint(4, 60)},{rng.randint(100, 999)}",
        month=rng.choice(MONTHS),
        service_l=rng.choice(SERVICES).lower(),
    )


def _paragraph(rng: random.Random, facts: dict[str, object]) -> Para:
    parts = [rng.choice(_OPENERS), *rng.sample(_MIDDLES, 3), rng.choice(_CLOSERS)]
    return Para(" ".join(_sentence(rng, p, facts) for p in parts))


def _prose(rng: random.Random, facts: dict[str, object], count: int) -> list[Block]:
    return [_paragraph(rng, facts) for _ in range(count)]


def _filler_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Table:
    widths = (2.0,) + (1.0,) * (len(header) - 1)
    return Table(header, tuple(TableRow(-1, r) for r in rows), widths)


def _volumes(rng: random.Random) -> tuple[Table, list[int]]:
    rows = []
    totals = [0, 0, 0]
    for month in MONTHS:
        values = [rng.randint(25, 80), rng.randint(2, 14), rng.randint(5, 30)]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append((month, *map(str, values)))
    rows.append(("Total", *map(str, totals)))
    header = ("Month", "Stage 1 received", "Stage 2 escalations", "Compliments")
    return _filler_table(header, rows), totals


def _response_times(rng: random.Random, target: int, monthly: int) -> tuple[Table, int]:
    rows = []
    closed_total = on_time_total = 0
    for month in MONTHS:
        closed = max(1, monthly + rng.randint(-monthly // 3, monthly // 3))
        on_time = rng.randint(closed * 6 // 10, closed)
        days = round(rng.uniform(target * 0.6, target * 1.2), 1)
        closed_total, on_time_total = closed_total + closed, on_time_total + on_time
        rows.append((month, str(closed), str(on_time), f"{100 * on_time / closed:.0f}%", f"{days}"))
    header = (
        "Month",
        "Responses issued",
        f"Within {target} working days",
        "% on time",
        "Average working days",
    )
    return _filler_table(header, rows), round(100 * on_time_total / closed_total)


def _by_service(rng: random.Random, total: int) -> tuple[Table, str, int]:
    weights = [rng.randint(1, 10) for _ in SERVICES]
    counts = [total * w // sum(weights) for w in weights]
    counts[0] += total - sum(counts)
    rows = []
    for service, count in zip(SERVICES, counts, strict=True):
        upheld = rng.randint(0, count)
        share = f"{100 * upheld / count:.0f}%" if count else "0%"
        rows.append((service, str(count), str(upheld), share))
    top = max(range(len(SERVICES)), key=lambda i: counts[i])
    header = ("Service area", "Complaints", "Upheld or partly upheld", "% upheld")
    return _filler_table(header, rows), SERVICES[top], round(100 * counts[top] / total)


def _ombudsman(rng: random.Random, year: int) -> Table:
    findings = (
        "Maladministration",
        "No maladministration",
        "Service failure",
        "Outside jurisdiction",
        "Reasonable redress",
    )
    rows = []
    for i in range(rng.randint(5, 8)):
        rows.append(
            (
                f"{year}{rng.randint(10000, 99999)}",
                rng.choice(SERVICES),
                rng.choice(findings),
                f"£{rng.randint(0, 12) * 50}",
                f"Case {i + 1}: orders complied with",
            )
        )
    header = ("Ombudsman reference", "Service area", "Determination", "Compensation", "Status")
    return _filler_table(header, rows)


def _chapter(title: str, blocks: list[Block]) -> list[Block]:
    return [PageBreak(), Heading(title, 1), *blocks]


def report_year(seed: Seed) -> str:
    return f"{seed.year - 1}/{str(seed.year)[2:]}"


CHAPTERS = (
    "Foreword",
    "Executive summary",
    "About this report",
    "Complaint volumes",
    "Stage 1 response times",
    "Stage 2 response times",
    "Complaints by service area",
    "Housing Ombudsman Service",
    "Learning from complaints",
    "Remedies and compensation",
    "Equality, accessibility and vulnerability",
    "Looking ahead",
)


def _tables_and_facts(rng: random.Random, seed: Seed) -> tuple[dict[str, Table], dict[str, object]]:
    volumes, (s1, s2, _) = _volumes(rng)
    stage1, s1_on_time = _response_times(rng, 10, s1 // 12)
    stage2, s2_on_time = _response_times(rng, 20, max(2, s2 // 12))
    services, top, top_pct = _by_service(rng, s1)
    tables = {
        "Complaint volumes": volumes,
        "Stage 1 response times": stage1,
        "Stage 2 response times": stage2,
        "Complaints by service area": services,
        "Housing Ombudsman Service": _ombudsman(rng, seed.year - 1),
        "Learning from complaints": _filler_table(("You said", "We did"), [*_SAID_DID]),
    }
    facts: dict[str, object] = {
        "team": TEAM,
        "s1": s1,
        "s2": s2,
        "s2_share": round(100 * s2 / s1),
        "s1_on_time": s1_on_time,
        "s2_on_time": s2_on_time,
        "top_l": top.lower(),
        "top_pct": top_pct,
    }
    return tables, facts


def report_parts(seed: Seed, appendix_title: str) -> tuple[list[Block], list[Block]]:
    """Blocks before the self-assessment appendix (13+ pages) and after it."""
    rng = random.Random(f"{seed.number}-annual-report")
    tables, facts = _tables_and_facts(rng, seed)
    front: list[Block] = [
        Heading(
            f"Annual Complaints Performance and Service Improvement Report {report_year(seed)}", 0
        ),
        Para(seed.landlord),
        Para(f"Report to the governing body, {('June', 'July')[seed.year % 2]} {seed.year}"),
        Para(f"Prepared by the {TEAM}"),
        PageBreak(),
        Heading("Contents", 1),
        *(Para(f"{n}. {c}") for n, c in enumerate(CHAPTERS, 1)),
        Para(appendix_title),
        Para("Appendix B: Response of the governing body"),
        Para("Appendix C: Glossary"),
    ]
    for title in CHAPTERS:
        body = _prose(rng, facts, 3)
        if title in tables:
            body.insert(1, tables[title])
        front += _chapter(title, body)
    glossary = [
        ("Stage 1", "The first formal stage of the complaints procedure."),
        ("Stage 2", "The final stage, a review by a senior manager not involved at stage 1."),
        ("Service request", "A request for action to put something right; not a complaint."),
        ("Housing Ombudsman", "The independent body that investigates housing complaints."),
        ("Upheld", "The complaint was found to be justified in full or in part."),
        ("Redress", "What is done to put things right, including compensation."),
    ]
    back = [
        *_chapter("Appendix B: Response of the governing body", _prose(rng, facts, 4)),
        *_chapter("Appendix C: Glossary", [_filler_table(("Term", "Meaning"), glossary)]),
    ]
    return front, back
