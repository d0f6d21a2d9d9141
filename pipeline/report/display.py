"""The report's tables as people read them: shares with their denominators, counts for
small groups, short requirement texts. Shared by the HTML and Markdown renderings, so
both show the same cells (pure: no I/O)."""

from __future__ import annotations

import math
import re
import textwrap
from typing import Any

import pandas as pd

from pipeline.report.benchmark import SMALL_N, Benchmark

ANSWER_LETTERS: dict[str, str] = {
    "yes": "Y",
    "partial": "P",
    "no": "N",
    "na": "–",
    "unknown": "?",
    "text": "T",
    "missing": " ",
}
ANSWER_MEANING: dict[str, str] = {
    "yes": "yes (fully met)",
    "partial": "partial",
    "no": "no",
    "na": "not applicable",
    "unknown": "blank or unclear",
    "text": "open question, answered in words (not scored)",
    "missing": "not found in the landlord's documents",
}


def is_blank(value: object) -> bool:
    """None, NaN, pandas NA or an empty string."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def fraction(numerator: int, denominator: int, *, group: int | None = None) -> str:
    """``"83% (10 of 12)"``; only ``"3 of 4"`` when the group of landlords behind it
    (``group``, default the denominator) is under SMALL_N; ``"–"`` without a denominator."""
    if denominator <= 0:
        return "–"
    if (denominator if group is None else group) < SMALL_N:
        return f"{numerator} of {denominator}"
    return f"{numerator / denominator:.0%} ({numerator} of {denominator})"


def percent(value: object) -> str:
    """A 0-1 share as a whole percentage; "" when missing."""
    return "" if is_blank(value) else f"{float(str(value)):.0%}"


def shorten(text: object, width: int = 160) -> str:
    """Text cut at a word boundary to at most ``width`` characters (with an ellipsis)."""
    if is_blank(text):
        return ""
    return textwrap.shorten(re.sub(r"\s+", " ", str(text)), width=width, placeholder=" …")


def slug(assessment_id: str) -> str:
    """The HTML anchor of an assessment's scorecard."""
    return "sc-" + re.sub(r"[^a-z0-9]+", "-", assessment_id.lower()).strip("-")


def versions(bench: Benchmark) -> list[str]:
    """The Code versions with at least one assessment, in order."""
    return sorted(str(v) for v in bench.versions["code_version"].unique())


def not_met_table(bench: Benchmark, version: str) -> pd.DataFrame:
    """The front page: the provisions of one version most often not fully met."""
    top = bench.top_not_met[bench.top_not_met["code_version"] == version]
    return pd.DataFrame(
        {
            "provision": top["provision_id"],
            "section": top["section_number"].astype(str) + " " + top["section_title"],
            "requirement": top["requirement_text"].map(shorten),
            "not fully met (partial + no) of answered": [
                fraction(n, a) for n, a in zip(top["not_fully_met"], top["answered"], strict=True)
            ],
            "partial": top["partial"],
            "no": top["no"],
            "blank or unclear": top["unknown"],
            "not found": top["missing"],
            "assessments": top["assessments"],
        }
    ).reset_index(drop=True)


def provisions_table(bench: Benchmark, version: str) -> pd.DataFrame:
    """Every provision of one version with its answer counts and share yes."""
    rows = bench.provisions[bench.provisions["code_version"] == version]
    return pd.DataFrame(
        {
            "provision": rows["provision_id"],
            "obligation": rows["obligation"],
            "requirement": rows["requirement_text"].map(lambda t: shorten(t, 110)),
            "yes of answered": [
                "open question (not scored)" if k == "text" else fraction(y, a)
                for k, y, a in zip(rows["answer_kind"], rows["yes"], rows["answered"], strict=True)
            ],
            "yes": rows["yes"],
            "partial": rows["partial"],
            "no": rows["no"],
            "n/a": rows["na"],
            "blank or unclear": rows["unknown"],
            "text answers": rows["text"],
            "not found": rows["missing"],
        }
    ).reset_index(drop=True)


def sections_table(bench: Benchmark, version: str) -> pd.DataFrame:
    """Section compliance by landlord type: median and quartiles, or counts when small."""
    rows = bench.sections[bench.sections["code_version"] == version]

    def spread(r: pd.Series) -> str:
        if r["small_group"]:
            return f"n < {SMALL_N}: see counts"
        return f"{r['median']:.0%} ({r['q1']:.0%}–{r['q3']:.0%})"

    return pd.DataFrame(
        {
            "section": rows["section_number"].astype(str) + " " + rows["section_title"],
            "landlord type": rows["landlord_type"],
            "assessments": rows["assessments"],
            "median (quartiles)": [spread(r) for _, r in rows.iterrows()],
            "yes of answered (all provisions)": [
                fraction(int(y), int(a)) for y, a in zip(rows["yes"], rows["answered"], strict=True)
            ],
        }
    ).reset_index(drop=True)


def _rank(rank: object, n: object) -> str:
    return "" if is_blank(rank) or is_blank(n) else f"{int(str(rank))} of {int(str(n))}"


def landlords_table(bench: Benchmark) -> pd.DataFrame:
    """One row per assessment: rate with denominator, rank and quartile in peer group."""
    rows = bench.landlords
    return pd.DataFrame(
        {
            "landlord": rows["landlord"].fillna("(landlord unknown)"),
            "type": rows["landlord_type"],
            "Code": rows["code_version"],
            "year": rows["assessment_year"].map(lambda y: "" if is_blank(y) else str(int(y))),
            "latest": rows["is_latest"].map(lambda v: "yes" if v else "no"),
            "documents": rows["documents"],
            "fully met of answered": [  # one landlord's own rate: not a group share
                fraction(int(y), int(a), group=SMALL_N)
                for y, a in zip(rows["yes"], rows["answered"], strict=True)
            ],
            "rank in peer group": [
                _rank(r, n) for r, n in zip(rows["peer_rank"], rows["peer_n"], strict=True)
            ],
            "peer quartile": rows["peer_quartile"].map(
                lambda q: f"n < {SMALL_N}" if is_blank(q) else f"Q{int(q)}"
            ),
            "rows to review": rows["rows_needing_review"],
        }
    ).reset_index(drop=True)


def transitions_table(transitions: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Answer transitions ``from -> to`` with counts (changes first, then unchanged)."""
    if transitions.empty:
        return pd.DataFrame(columns=[*keys, "transition", "count"])
    rows = transitions.assign(
        changed=transitions["from_answer"] != transitions["to_answer"],
        transition=transitions["from_answer"] + " → " + transitions["to_answer"],
    ).sort_values([*keys, "changed", "count"], ascending=[*([True] * len(keys)), False, False])
    return rows[[*keys, "transition", "count"]].reset_index(drop=True)


def year_changes_table(bench: Benchmark) -> pd.DataFrame:
    """Per landlord: the provisions whose answer changed between consecutive years."""
    rows = bench.year_changes
    return pd.DataFrame(
        {
            "landlord": rows["landlord"],
            "Code": rows["code_version"],
            "years": rows["from_year"].astype(str) + " → " + rows["to_year"].astype(str),
            "provision": rows["provision_id"],
            "answer": rows["from_answer"] + " → " + rows["to_answer"],
        }
    ).reset_index(drop=True)


def version_changes_table(bench: Benchmark) -> pd.DataFrame:
    """Per landlord: answers to the same requirement in two Code versions."""
    rows = bench.version_changes
    return pd.DataFrame(
        {
            "landlord": rows["landlord"],
            "from": rows["from_version"]
            + ":"
            + rows["from_id"]
            + " ("
            + rows["from_year"].astype(str)
            + ")",
            "to": rows["to_version"]
            + ":"
            + rows["to_id"]
            + " ("
            + rows["to_year"].astype(str)
            + ")",
            "relation": rows["relation"],
            "answer": rows["from_answer"] + " → " + rows["to_answer"],
        }
    ).reset_index(drop=True)


def _page(page: Any) -> str:
    return "" if is_blank(page) else str(int(page))


def _source(r: Any) -> str:
    where = [str(r.file_name)]
    if not is_blank(r.page):
        where.append(f"p. {int(r.page)}")
    where.append(f"table {int(r.table_index) + 1}, row {int(r.row_index) + 1}")
    if int(r.documents_with_row) > 1:
        where.append(f"same row in {int(r.documents_with_row) - 1} other document(s)")
    return ", ".join(where)


def _answer_text(r: Any) -> str:
    if r.answer == "text":
        said = r.compliance_raw or r.evidence or r.commentary
        return "text: " + (shorten(said, 140) or "(blank)")
    shown = str(r.answer)
    if r.answer_inferred:
        shown += " (read from the evidence: no answer cell)"
    return shown


def scorecard_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Each provision's answer beside the sector share yes, with its source (``rows``:
    the assessment's rows of ``Benchmark.scorecards``)."""
    records: list[Any] = list(rows.itertuples(index=False))
    return pd.DataFrame(
        {
            "provision": [r.provision_id for r in records],
            "answer": [_answer_text(r) for r in records],
            "sector: yes of answered": [
                ""
                if r.answer_kind == "text" or is_blank(r.sector_answered)
                else fraction(int(r.sector_yes), int(r.sector_answered))
                for r in records
            ],
            "review": [r.review_reason for r in records],
            "source": [_source(r) for r in records],
        }
    )


def scorecard_gaps(rows: pd.DataFrame) -> pd.DataFrame:
    """The provisions not fully met, with what the landlord says it will do."""
    rows = rows[rows["answer"].isin(["partial", "no"])]
    return pd.DataFrame(
        {
            "provision": rows["provision_id"],
            "answer": rows["answer"],
            "stated actions and timescales": rows["stated_actions"].map(shorten),
            "actions (as written)": rows["actions"].map(shorten),
            "evidence (excerpt)": rows["evidence"].map(lambda t: shorten(t, 200)),
        }
    ).reset_index(drop=True)


def scorecard_review(rows: pd.DataFrame) -> pd.DataFrame:
    """The assessment's rows flagged for review (``rows``: its rows of
    ``Benchmark.review``; renderings of one form once)."""
    return pd.DataFrame(
        {
            "provision": rows["provision_id"].fillna("(unaligned) " + rows["printed_id"]),
            "answer": rows["compliance"],
            "suggested": rows["suggested_compliance"].fillna(""),
            "reason": rows["review_reason"],
            "file": rows["file_name"],
            "page": rows["page"].map(_page),
        }
    ).reset_index(drop=True)


def review_by_reason(bench: Benchmark) -> pd.DataFrame:
    """Rows needing review per reason (a row with two reasons counts under each)."""
    reasons = bench.review["review_reason"].fillna("").str.split("; ").explode()
    counts = reasons[reasons != ""].value_counts()
    return (
        counts.rename_axis("reason")
        .reset_index(name="rows")
        .sort_values(["rows", "reason"], ascending=[False, True])
        .reset_index(drop=True)
    )
