"""The synthetic sector generator (corpus/builder/sector*.py): seeded, varied, and its gold
says what each document prints.

A handful of documents are rendered (one per format and family met in a small plan);
the gold is checked against the document's own text (every requirement and answer
printed where gold says), not against chc. One reportlab PDF is read end to end by chc
as a smoke test of the pairing. LibreOffice is not needed: a LibreOffice document
renders as the DOCX the converter would take.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter
from html import unescape
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document

from corpus.builder.sector import MANIFEST_COLUMNS, DocumentSpec, Rendered, _manifest, plan, render
from corpus.builder.sector_landlords import assessment_cycles, landlords
from corpus.builder.sector_layouts import FAMILIES, FORMATS, choose_style
from pipeline.columns import rows_to_assessment_rows
from pipeline.evaluate import reader_recall
from pipeline.extract import read_document
from pipeline.goldfile import GOLD_KEYS, load_gold

COMPLIANCE = {"yes", "no", "partial", "na", "unknown"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unescape(text)).lower()


def _document_text(done: Rendered) -> str:
    """The document's visible text, whatever its format."""
    data, fmt = done.data, done.spec.style.fmt
    if done.via_libreoffice or fmt == "docx":
        doc = Document(io.BytesIO(data))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return " ".join([p.text for p in doc.paragraphs] + cells)
    if fmt == "pdf":
        pdf = pdfium.PdfDocument(data)
        return " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return re.sub(r"<[^>]+>", " ", data.decode("utf-8")) if fmt == "html" else data.decode()


@pytest.fixture(scope="module")
def specs() -> list[DocumentSpec]:
    return plan(60, seed=7)


@pytest.fixture(scope="module")
def samples(specs: list[DocumentSpec]) -> list[Rendered]:
    """One rendered document per (format, family, producer) in the plan."""
    chosen: dict[tuple[str, str, str], DocumentSpec] = {}
    for spec in specs:
        chosen.setdefault((spec.style.fmt, spec.style.family, spec.style.producer), spec)
    return [render(spec) for spec in chosen.values()]


def test_plan_is_seeded(specs: list[DocumentSpec]) -> None:
    again = plan(60, seed=7)
    assert [(s.name, s.style, s.items) for s in again] == [
        (s.name, s.style, s.items) for s in specs
    ]
    other = plan(60, seed=8)
    assert [s.name for s in other] != [s.name for s in specs]
    assert len(specs) == 60 and len({s.name for s in specs}) == 60


def test_landlords_are_unique_and_mixed() -> None:
    stream = landlords(random.Random(1))
    people = [next(stream) for _ in range(300)]
    assert len({p.name for p in people}) == 300
    kinds = Counter(p.landlord_type for p in people)
    assert kinds["housing_association"] > kinds["council"] > kinds["almo"] > 0
    cycles = [assessment_cycles(random.Random(i)) for i in range(200)]
    assert {len(c) for c in cycles} == {1, 2, 3}
    assert all(list(c) == sorted(c) for c in cycles)  # oldest first, one per Code version


def test_every_format_and_family_is_drawn() -> None:
    rng = random.Random(3)
    seen = {(s.fmt, s.family) for s in (choose_style(rng, "2024") for _ in range(4000))}
    expected = {(fmt, family) for fmt in FORMATS for family in FAMILIES[fmt]}
    assert seen == expected


def test_mostly_pdf_and_mostly_yes() -> None:
    specs = plan(600, seed=11)
    formats = Counter(s.style.fmt for s in specs)
    assert 0.6 < formats["pdf"] / len(specs) < 0.8
    answers = Counter(i.compliance for s in specs for i in s.items)
    total = sum(answers.values())
    assert answers["yes"] / total > 0.75
    assert all(answers[v] for v in COMPLIANCE)  # some partial, no, blank and N/A


def test_gold_rows_are_well_formed(samples: list[Rendered]) -> None:
    for done in samples:
        rows = [json.loads(line) for line in done.gold.splitlines()]
        assert len(rows) == len(done.spec.items), done.spec.name
        for number, row in enumerate(rows, 1):
            assert tuple(row) == GOLD_KEYS
            assert row["row"] == number
            assert row["compliance"] in COMPLIANCE
            assert row["code_version"] == done.spec.version
            if row["compliance_raw"] == "":
                assert row["compliance"] == "unknown"


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", unescape(text).lower()))


def test_gold_text_is_printed_in_the_document(samples: list[Rendered]) -> None:
    assert {d.spec.style.fmt for d in samples} == set(FORMATS)
    for done in samples:
        text = _document_text(done)
        rows = [json.loads(line) for line in done.gold.splitlines()]
        keys = ("requirement", "evidence", "commentary", "actions", "printed_id")
        if done.spec.style.fmt == "pdf" and not done.via_libreoffice:
            # A PDF page's text runs across the columns: every gold word must be
            # printed (as often as gold has it), not each cell in one piece.
            gold_words = sum((_words(r[k]) for r in rows for k in keys), Counter())
            assert not gold_words - _words(text), done.spec.name
            continue
        printed = _squash(text)
        for row in rows:
            for key in keys:
                assert _squash(row[key]) in printed, (done.spec.name, row["row"], key)
            if row["compliance_raw"] and done.spec.style.answers not in ("boxes", "sdt", "ticks"):
                assert _squash(row["compliance_raw"]) in printed, (done.spec.name, row["row"])


def test_reportlab_pdfs_are_byte_identical(specs: list[DocumentSpec]) -> None:
    spec = next(s for s in specs if s.style.producer == "reportlab")
    assert render(spec).data == render(spec).data


def test_manifest_names_each_documents_layout(specs: list[DocumentSpec]) -> None:
    rows = list(csv.DictReader(io.StringIO(_manifest(specs))))
    assert tuple(rows[0]) == MANIFEST_COLUMNS
    assert [r["layout"] for r in rows] == [s.style.family for s in specs]
    assert all(r["file"] == f"documents/{s.name}" for r, s in zip(rows, specs, strict=True))


def test_chc_reads_a_generated_ruled_pdf_against_its_gold(
    specs: list[DocumentSpec], tmp_path: Path
) -> None:
    spec = next(
        s for s in specs if s.style.producer == "reportlab" and s.style.family == "ruled_sections"
    )
    done = render(spec)
    path = tmp_path / spec.name
    path.write_bytes(done.data)
    gold_path = tmp_path / f"{spec.name}.jsonl"
    gold_path.write_text(done.gold, encoding="utf-8")
    rows = rows_to_assessment_rows(read_document(path).rows)
    assert reader_recall(rows, load_gold(gold_path)).recall == 1.0
