"""The sector benchmark's figures, computed from the database views (pure: no I/O).

Counting rules (stated in the report too):

* the unit is an *assessment*: one landlord, Code version and assessment year, the
  union of its documents (``v_assessments``/``v_answers``); sector figures per version
  use each landlord's latest assessment of that version, so a landlord counts once;
* *answered* is yes + partial + no of the yes/no provisions: blank or unclear answers
  (``unknown``), not applicable (``na``) and open questions (answer kind ``text``) are
  not answered; ``unknown`` is never counted as yes;
* every share is given with its numerator and denominator; groups of fewer than
  ``SMALL_N`` are shown as counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.store import ReportData

SMALL_N = 5
SCORED = ("yes", "partial", "no")
CELLS = ("yes", "partial", "no", "na", "unknown", "text", "missing")
TOP_N = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class Benchmark:
    """Every table of the report (each is also written as CSV)."""

    overview: pd.DataFrame  # measure, value
    versions: pd.DataFrame  # per Code version: assessments, landlords, documents
    provisions: pd.DataFrame  # per version x provision: counts and shares
    top_not_met: pd.DataFrame  # per version: the provisions most often not fully met
    sections: pd.DataFrame  # per version x section x landlord type: median, quartiles
    landlords: pd.DataFrame  # per assessment: rate, rank and quartile in its peer group
    heatmap: pd.DataFrame  # per latest assessment x provision: the cell shown
    year_transitions: pd.DataFrame  # same version, consecutive years: from -> to counts
    year_changes: pd.DataFrame  # the provisions whose answer changed, per landlord
    version_transitions: pd.DataFrame  # through the crosswalk: from -> to counts
    version_changes: pd.DataFrame  # per landlord and linked provision pair
    scorecards: pd.DataFrame  # per assessment x provision: answer, sector share, source
    review: pd.DataFrame  # rows flagged for review, per assessment


def cell_of(answer_kind: str, compliance: str) -> str:
    """What a heatmap cell shows: the answer, or ``text`` for an open question."""
    return "text" if answer_kind == "text" else compliance


def _latest(data: ReportData) -> pd.DataFrame:
    return data.assessments[data.assessments["is_latest"].astype(bool)]


def _answers_of(data: ReportData, assessments: pd.DataFrame) -> pd.DataFrame:
    return data.answers[data.answers["assessment_id"].isin(assessments["assessment_id"])]


def _counts(answers: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Counts of each cell value per ``keys``."""
    cells = answers.assign(
        cell=[
            cell_of(k, c)
            for k, c in zip(answers["answer_kind"], answers["compliance"], strict=True)
        ]
    )
    table = cells.groupby([*keys, "cell"]).size().unstack(fill_value=0)
    for cell in CELLS:
        if cell not in table:
            table[cell] = 0
    return table[list(CELLS)].reset_index()


def share(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None when there is no denominator."""
    return numerator / denominator if denominator else None


def provision_table(data: ReportData) -> pd.DataFrame:
    """Per version and provision, over the latest assessments of that version: how many
    were assessed, the answer counts, answered (yes+partial+no), share yes and share not
    fully met (partial+no), both of answered."""
    latest = _latest(data)
    n_by_version = latest.groupby("code_version").size()
    counts = _counts(_answers_of(data, latest), ["code_version", "provision_id"])
    prov = data.provisions[data.provisions["code_version"].isin(n_by_version.index)]
    table = prov.merge(counts, on=["code_version", "provision_id"], how="left")
    for cell in CELLS:
        table[cell] = table[cell].fillna(0).astype(int)
    table["assessments"] = table["code_version"].map(n_by_version).astype(int)
    found = table[[c for c in CELLS if c != "missing"]].sum(axis=1)
    table["missing"] = table["assessments"] - found
    table["answered"] = table[list(SCORED)].sum(axis=1)
    table["not_fully_met"] = table["partial"] + table["no"]
    table["share_yes"] = [share(y, a) for y, a in zip(table["yes"], table["answered"], strict=True)]
    table["share_not_fully_met"] = [
        share(x, a) for x, a in zip(table["not_fully_met"], table["answered"], strict=True)
    ]
    columns = ["code_version", "provision_id", "section_number", "section_title",
               "obligation", "answer_kind", "requirement_text", "assessments", "answered",
               *CELLS, "not_fully_met", "share_yes", "share_not_fully_met"]  # fmt: skip
    return table.sort_values(["code_version", "code_order"])[columns].reset_index(drop=True)


def top_not_met(provisions: pd.DataFrame, top: int = TOP_N) -> pd.DataFrame:
    """Per version, the provisions most often not fully met (share of answered, then
    count), only those some landlord did not fully meet."""
    shown = provisions[provisions["not_fully_met"] > 0].copy()
    shown["_share"] = shown["share_not_fully_met"].astype(float)
    shown = shown.sort_values(
        ["code_version", "_share", "not_fully_met", "provision_id"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    return shown.groupby("code_version").head(top).drop(columns="_share").reset_index(drop=True)


def _section_rates(data: ReportData, latest: pd.DataFrame) -> pd.DataFrame:
    """Per latest assessment and section: yes, answered and the full-compliance rate."""
    answers = _answers_of(data, latest)
    scored = answers[(answers["answer_kind"] == "yes_no") & answers["compliance"].isin(SCORED)]
    per = scored.groupby(["assessment_id", "code_version", "section_number", "section_title"])
    rates = (
        per["compliance"].agg(yes=lambda s: int((s == "yes").sum()), answered="size").reset_index()
    )
    rates["rate"] = rates["yes"] / rates["answered"]
    types = latest.set_index("assessment_id")["landlord_type"]
    rates["landlord_type"] = rates["assessment_id"].map(types)
    return rates


def section_table(data: ReportData) -> pd.DataFrame:
    """Per version, section and landlord type (and ``all``): the number of assessments,
    the median and quartiles of their section full-compliance rates, and the summed
    yes/answered counts."""
    rates = _section_rates(data, _latest(data))
    both = pd.concat([rates, rates.assign(landlord_type="all")], ignore_index=True)
    keys = ["code_version", "section_number", "section_title", "landlord_type"]
    grouped = both.groupby(keys)
    table = grouped.agg(
        assessments=("assessment_id", "nunique"),
        yes=("yes", "sum"),
        answered=("answered", "sum"),
        q1=("rate", lambda s: s.quantile(0.25)),
        median=("rate", "median"),
        q3=("rate", lambda s: s.quantile(0.75)),
    ).reset_index()
    table["small_group"] = table["assessments"] < SMALL_N
    order = table["landlord_type"].eq("all").map({True: "0", False: "1"}) + table["landlord_type"]
    return (
        table.assign(_o=order)
        .sort_values(["code_version", "section_number", "_o"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _quartile(rank: int, n: int) -> int | None:
    """1 = the best quarter of the peer group; None for groups under SMALL_N."""
    return None if n < SMALL_N else min(4, 1 + (4 * (rank - 1)) // n)


def landlord_table(data: ReportData) -> pd.DataFrame:
    """Per assessment: counts, full-compliance rate, rank and quartile among the latest
    assessments of the same version and landlord type (its peer group) and of the
    version."""
    table = data.assessments.copy()
    latest = table["is_latest"].astype(bool)
    rate = table["full_compliance_rate"].astype(float)
    for scope, keys in (("peer", ["code_version", "landlord_type"]), ("version", ["code_version"])):
        ranked = rate.where(latest).groupby([table[k] for k in keys])
        table[f"{scope}_rank"] = ranked.rank(method="min", ascending=False).astype("Int64")
        table[f"{scope}_n"] = ranked.transform("count").where(latest).astype("Int64")
    table["peer_quartile"] = [
        _quartile(int(r), int(n)) if pd.notna(r) and pd.notna(n) else None
        for r, n in zip(table["peer_rank"], table["peer_n"], strict=True)
    ]
    table["peer_quartile"] = table["peer_quartile"].astype("Int64")
    columns = ["assessment_id", "landlord", "landlord_type", "code_version",
               "assessment_year", "is_latest", "documents", "representative_file",
               "provisions_in_code", "provisions_found", "answered", "yes", "partial", "no",
               "na", "unknown", "text_answers", "full_compliance_rate", "peer_rank", "peer_n",
               "peer_quartile", "version_rank", "version_n", "provisions_disagreeing",
               "rows_needing_review"]  # fmt: skip
    return table[columns].reset_index(drop=True)


def heatmap_table(data: ReportData) -> pd.DataFrame:
    """Per version, every latest assessment x every provision: the cell to show
    (``missing`` when the landlord's documents do not have the provision)."""
    latest = _latest(data)[["assessment_id", "landlord", "code_version", "assessment_year"]]
    grid = latest.merge(
        data.provisions[["code_version", "provision_id", "section_number", "code_order"]],
        on="code_version",
    )
    answers = data.answers[["assessment_id", "provision_id", "answer_kind", "compliance"]]
    grid = grid.merge(answers, on=["assessment_id", "provision_id"], how="left")
    grid["cell"] = [
        "missing" if pd.isna(c) else cell_of(str(k), str(c))
        for k, c in zip(grid["answer_kind"], grid["compliance"], strict=True)
    ]
    grid = grid.sort_values(["code_version", "landlord", "assessment_id", "code_order"])
    columns = ["code_version", "assessment_id", "landlord", "assessment_year",
               "section_number", "provision_id", "cell"]  # fmt: skip
    return grid[columns].reset_index(drop=True)


def _transitions(pairs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if pairs.empty:
        return pd.DataFrame(columns=[*keys, "from_answer", "to_answer", "count"])
    counted = pairs.groupby([*keys, "from_answer", "to_answer"]).size()
    return (
        counted.reset_index(name="count")
        .sort_values(
            [*keys, "count", "from_answer", "to_answer"],
            ascending=[*([True] * len(keys)), False, True, True],
        )
        .reset_index(drop=True)
    )


def year_pairs(data: ReportData) -> pd.DataFrame:
    """A landlord's answers in consecutive assessment years under one Code version,
    per yes/no provision found in both."""
    dated = data.assessments.dropna(subset=["landlord", "assessment_year"]).sort_values(
        ["landlord", "code_version", "assessment_year"]
    )
    dated = dated.assign(
        to_assessment=dated.groupby(["landlord", "code_version"])["assessment_id"].shift(-1),
        to_year=dated.groupby(["landlord", "code_version"])["assessment_year"].shift(-1),
    ).dropna(subset=["to_assessment"])
    answers = data.answers[data.answers["answer_kind"] == "yes_no"][
        ["assessment_id", "provision_id", "compliance", "code_order"]
    ]
    pairs = dated[["landlord", "code_version", "assessment_id", "assessment_year",
                   "to_assessment", "to_year"]].merge(answers, on="assessment_id")  # fmt: skip
    pairs = pairs.merge(
        answers.rename(columns={"assessment_id": "to_assessment", "compliance": "to_answer"}),
        on=["to_assessment", "provision_id", "code_order"],
    ).rename(columns={"compliance": "from_answer", "assessment_year": "from_year"})
    pairs["to_year"] = pairs["to_year"].astype(int)
    return pairs.sort_values(["landlord", "code_version", "from_year", "code_order"])


def version_pairs(data: ReportData) -> pd.DataFrame:
    """A landlord's answers to the same requirement in an earlier and a later Code
    version (crosswalk links, latest assessment of each version, yes/no on both sides)."""
    x = data.crosswalk_answers
    latest = set(_latest(data)["assessment_id"])
    keep = (
        (x["from_version"] < x["to_version"])
        & x["from_assessment_id"].isin(latest)
        & x["to_assessment_id"].isin(latest)
        & (x["from_answer_kind"] == "yes_no")
        & (x["to_answer_kind"] == "yes_no")
    )
    pairs = x[keep].rename(columns={"from_compliance": "from_answer",
                                    "to_compliance": "to_answer"})  # fmt: skip
    columns = ["landlord", "from_version", "from_id", "from_year", "to_version", "to_id",
               "to_year", "relation", "steps", "from_answer", "to_answer"]  # fmt: skip
    return pairs[columns].reset_index(drop=True)


def scorecard_table(data: ReportData, provisions: pd.DataFrame) -> pd.DataFrame:
    """Per assessment and provision: the answer with its provenance beside the sector
    share yes (latest assessments of the version, of answered)."""
    sector = provisions[["code_version", "provision_id", "yes", "answered", "share_yes"]]
    sector = sector.rename(columns={"yes": "sector_yes", "answered": "sector_answered",
                                    "share_yes": "sector_share_yes"})  # fmt: skip
    cards = data.answers.merge(sector, on=["code_version", "provision_id"], how="left")
    cards["answer"] = [
        cell_of(k, c) for k, c in zip(cards["answer_kind"], cards["compliance"], strict=True)
    ]
    columns = ["assessment_id", "landlord", "code_version", "assessment_year",
               "section_number", "provision_id", "answer_kind", "answer", "compliance_raw",
               "answer_inferred", "sector_yes", "sector_answered", "sector_share_yes",
               "evidence", "commentary", "actions", "stated_actions", "needs_review",
               "review_reason", "file_name", "page", "table_index", "row_index",
               "documents_with_row", "answers_seen"]  # fmt: skip
    return cards.sort_values(["assessment_id", "code_order"])[columns].reset_index(drop=True)


def overview_table(data: ReportData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Headline counts, and per Code version: assessments, landlords, documents."""
    a = data.assessments
    ok = int(data.documents_by_status.set_index("status")["documents"].get("ok", 0))
    overview = pd.DataFrame(
        [
            ("documents stored", data.documents),
            ("documents read (status ok)", ok),
            ("landlords", int(a["landlord"].nunique())),
            ("assessments (landlord x Code version x year)", len(a)),
            ("rows needing review", int(a["rows_needing_review"].sum())),
        ],
        columns=["measure", "value"],
    )
    versions = (
        a.groupby("code_version")
        .agg(
            assessments=("assessment_id", "size"),
            landlords=("landlord", "nunique"),
            documents=("documents", "sum"),
        )
        .reset_index()
    )
    return overview, versions


def compute_benchmark(data: ReportData) -> Benchmark:
    """Every figure of the report from the views (see the module docstring)."""
    provisions = provision_table(data)
    overview, versions = overview_table(data)
    years = year_pairs(data)
    crossed = version_pairs(data)
    return Benchmark(
        overview=overview,
        versions=versions,
        provisions=provisions,
        top_not_met=top_not_met(provisions),
        sections=section_table(data),
        landlords=landlord_table(data),
        heatmap=heatmap_table(data),
        year_transitions=_transitions(years, ["code_version"]),
        year_changes=years[years["from_answer"] != years["to_answer"]].reset_index(drop=True),
        version_transitions=_transitions(crossed, ["from_version", "to_version"]),
        version_changes=crossed,
        scorecards=scorecard_table(data, provisions),
        review=data.review,
    )
