"""Which files the corpus holds, how each is rendered, and its gold."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from .answers import adjust_gold, make_answers
from .docx_writer import form_to_docx
from .forms import self_assessment
from .html_writer import form_to_html, stacked_html
from .model import AnswerStyle, Block, Form, GoldRow, Look, PageBreak
from .report import report_parts, report_year
from .seeds import SEEDS, Seed, intro_paragraphs
from .text_writer import fused_text


@dataclass(frozen=True, slots=True, kw_only=True)
class Output:
    """One corpus file. `render()` gives its bytes, or for a PDF the DOCX to convert."""

    name: str
    seed: Seed
    gold: tuple[GoldRow, ...]
    exercises: str
    render: Callable[[], bytes] = field(compare=False)
    form: Form | None = field(default=None, compare=False)

    @property
    def via_pdf(self) -> bool:
        return self.name.endswith(".pdf")


def _docx(form: Form) -> Callable[[], bytes]:
    return functools.cache(lambda: form_to_docx(form))


@dataclass(frozen=True, slots=True)
class Variant:
    """The second PDF of a seed: a different look (and for 000 a different answer spelling)."""

    suffix: str
    look: Look
    answers: AnswerStyle
    exercises: str
    single_table: bool = False


VARIANTS = {
    "000": Variant(
        "landscape_borderless",
        Look(landscape=True, borders=False, margin_cm=1.5),
        "yn",
        "landscape A4, no ruling lines (borderless table), answers spelt Y / N",
    ),
    "001": Variant(
        "narrow",
        Look(table_width=0.62, margin_cm=2.5, font_pt=8.5),
        "plain",
        "narrow columns (table 62% of the text width): long cells wrap into many "
        "lines and split across pages often",
    ),
    "002": Variant(
        "landscape",
        Look(landscape=True, margin_cm=1.5),
        "plain",
        "landscape A4 with ruled tables; two free-text answer columns",
    ),
    "003": Variant(
        "narrow_borderless",
        Look(table_width=0.72, borders=False, font_pt=8.5),
        "plain",
        "narrow columns and no ruling lines",
    ),
    "004": Variant(
        "landscape_single_table",
        Look(landscape=True, margin_cm=1.5),
        "plain",
        "the seed's own look: one long table, no section headings, Must/Should "
        "and stage bands as the only structure",
        single_table=True,
    ),
}
ANNUAL_REPORTS = ("000", "003")
CHECKBOX_DOCX: dict[str, AnswerStyle] = {"000": "sdt", "001": "glyph"}


def _footer(seed: Seed) -> str:
    return f"{seed.landlord} – Complaint Handling Code self-assessment {seed.year}"


def _form(
    seed: Seed,
    rows: tuple[GoldRow, ...],
    text: str,
    look: Look,
    style: AnswerStyle,
    *,
    single_table: bool = False,
) -> Form:
    answers = make_answers(rows, style)
    intro = intro_paragraphs(seed, text)
    blocks = self_assessment(seed, rows, answers, intro, single_table=single_table)
    return Form(
        title=f"{seed.landlord} – Complaint Handling Code self-assessment",
        author=f"{seed.landlord} Complaints Team",
        blocks=tuple(blocks),
        look=look,
        answers=answers,
    )


def _annual_report(seed: Seed, rows: tuple[GoldRow, ...], text: str) -> Form:
    sa = _form(seed, rows, text, Look(), "plain")
    appendix = "Appendix A: Self-assessment against the Housing Ombudsman Complaint Handling Code"
    front, back = report_parts(seed, appendix)
    blocks: list[Block] = [*front, PageBreak(), *sa.blocks, *back]
    look = Look(footer=f"{seed.landlord} – Annual Complaints Report {report_year(seed)}")
    return Form(
        title=f"{seed.landlord} Annual Complaints Performance Report",
        author=sa.author,
        blocks=tuple(blocks),
        look=look,
        answers=sa.answers,
    )


def seed_outputs(
    seed: Seed, text: str, seed_bytes: bytes, rows: tuple[GoldRow, ...]
) -> list[Output]:
    """All corpus files derived from one seed, the seed copy first."""
    stem, site = seed.stem, seed.landlord
    main = _form(seed, rows, text, Look(footer=_footer(seed)), "plain")
    main_gold = adjust_gold(rows, main.answers)
    main_docx = _docx(main)

    def output(
        name: str,
        render: Callable[[], bytes],
        exercises: str,
        form: Form = main,
        gold: tuple[GoldRow, ...] = main_gold,
    ) -> Output:
        return Output(
            name=name, seed=seed, gold=gold, exercises=exercises, render=render, form=form
        )

    out = [
        Output(
            name=seed.file,
            seed=seed,
            gold=rows,
            render=lambda: seed_bytes,
            exercises="the seed itself: a real text extraction, unchanged",
        ),
        output(
            f"{stem}.docx", main_docx, "DOCX laid out like the original form (header row repeats)"
        ),
        output(
            f"{stem}.pdf",
            main_docx,
            "Word -> PDF (LibreOffice) of the DOCX; rows split across pages",
        ),
        output(
            f"{stem}.html",
            lambda: form_to_html(main, site).encode(),
            "web page: one `<table>` per section, headings between, site chrome",
        ),
    ]
    variant = VARIANTS[seed.number]
    vform = _form(
        seed, rows, text, variant.look, variant.answers, single_table=variant.single_table
    )
    out.append(
        output(
            f"{stem}_{variant.suffix}.pdf",
            _docx(vform),
            variant.exercises,
            vform,
            adjust_gold(rows, vform.answers),
        )
    )
    if seed.number in CHECKBOX_DOCX:
        style = CHECKBOX_DOCX[seed.number]
        cform = _form(seed, rows, text, Look(footer=_footer(seed)), style)
        cgold, cdocx = adjust_gold(rows, cform.answers), _docx(cform)
        if style == "sdt":
            what = "content-control checkboxes (w14:checkbox in w:sdt): 'Yes ☒ No ☐'"
            out.append(output(f"{stem}_checkbox.docx", cdocx, what, cform, cgold))
        else:
            what = "checkbox glyphs typed as text: 'Yes ☐ No ☐ Partial ☒'"
            out.append(output(f"{stem}_glyphs.docx", cdocx, what, cform, cgold))
            out.append(
                output(
                    f"{stem}_glyphs.pdf",
                    cdocx,
                    "PDF of the glyph DOCX: ☐/☒ characters in the comply column",
                    cform,
                    cgold,
                )
            )
    if seed.number in ANNUAL_REPORTS:
        aform = _annual_report(seed, rows, text)
        out.append(
            output(
                f"{stem}_annual_report.pdf",
                _docx(aform),
                "annual complaints report (20+ pages): the self-assessment is an "
                "appendix after prose and other tables (monthly volumes, stage 1/2 "
                "response times)",
                aform,
            )
        )
    if seed.number == "003":
        out.append(
            output(
                f"{stem}_stacked.html",
                lambda: stacked_html(main, rows, site).encode(),
                "web page without tables: per row `<h3>Code section N</h3>` then "
                "requirement, 'Compliance: ...', evidence paragraphs",
            )
        )
    if seed.number == "000":
        out.append(
            output(
                f"{stem}_webcopy.txt",
                lambda: fused_text(main).encode(),
                "text copied from a web page: a row's cells fused without "
                "separators ('1.3A resident does not...policy.YesIn accordance...')",
            )
        )
    return out


def corpus_outputs(
    texts: dict[str, str], raw: dict[str, bytes], golds: dict[str, tuple[GoldRow, ...]]
) -> list[Output]:
    """Every corpus file, in seed order."""
    out: list[Output] = []
    for seed in SEEDS:
        out += seed_outputs(seed, texts[seed.number], raw[seed.number], golds[seed.number])
    return out
