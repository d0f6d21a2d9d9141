"""Synthetic sector of self-assessments: ``python -m corpus.builder.sector --docs 200``.

Seeded and deterministic: the same ``--seed`` and ``--docs`` give the same documents,
gold and manifest (PDFs byte-identical from reportlab; LibreOffice PDFs pinned as in
``make corpus``). Landlords (``sector_landlords``) publish one to three assessments
across the Code versions; each assessment's answers and evidence (``sector_content``)
are printed in one format and layout family (``sector_layouts``) by the existing
writers (reportlab ``rl_writer`` for most PDFs, Word -> LibreOffice for a sample,
python-docx, HTML, text). Every document gets a gold file in the corpus gold format
(``gold/<file>.jsonl``) and a manifest line with its ``layout``. Output goes outside
git (default ``build/sector/``); a build with the same parameters and generator
sources is reused.

Documents are rendered in worker processes; LibreOffice converts its sample in one
batch per worker.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .docx_writer import form_to_docx
from .html_writer import form_to_html
from .model import Form
from .pdf import convert
from .rl_writer import Rules, form_to_pdf
from .sector_content import Item, assessment_items
from .sector_forms import build_form, make_answers, sections, title_and_intro
from .sector_landlords import Landlord, assessment_cycles, landlords
from .sector_layouts import Style, choose_style, gold_rows
from .sector_text import (
    choose_labels,
    paragraph_text,
    pipe_text,
    section_forms,
    stack_form,
    stack_html,
    stack_text,
    web_text,
)
from .seeds import gold_lines

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "build" / "sector"
MANIFEST_COLUMNS = (
    "file",
    "landlord",
    "landlord_type",
    "assessment_year",
    "code_version",
    "layout",
    "format",
    "producer",
    "answers",
    "rows",
    "url",
)
_EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}
_RULES: dict[str, Rules] = {"horizontal_rules": "horizontal", "zebra": "zebra"}


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentSpec:
    """One document to write: who, which assessment, how it is laid out.

    ``section`` is set for sites that publish one page per Code section: the
    document holds that section only.
    """

    index: int
    landlord: Landlord
    version: str
    year: int
    style: Style
    items: tuple[Item, ...]
    section: int | None = None

    @property
    def name(self) -> str:
        part = f"_section{self.section}" if self.section is not None else ""
        stem = f"{self.index:05d}_{self.landlord.slug}_{self.year}{part}"
        return stem + _EXTENSIONS[self.style.fmt]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A written document: its bytes (a DOCX when LibreOffice must convert it) and gold."""

    spec: DocumentSpec
    data: bytes
    gold: str
    via_libreoffice: bool


def plan(docs: int, seed: int) -> list[DocumentSpec]:
    """The first ``docs`` documents of the sector drawn from ``seed``."""
    rng = random.Random(f"chc-sector-{seed}")
    stream = landlords(rng)
    out: list[DocumentSpec] = []
    while len(out) < docs:
        landlord = next(stream)
        for version, year in assessment_cycles(rng):
            arng = random.Random(f"{seed}-{landlord.slug}-{version}-{year}")
            items = assessment_items(arng, landlord, version, year)
            style = choose_style(arng, version)
            base = {"landlord": landlord, "version": version, "year": year, "style": style}
            if style.family == "page_per_section" and style.fmt in ("html", "text"):
                for number, _, indexes in sections(items):
                    part = tuple(items[i] for i in indexes)
                    out.append(DocumentSpec(index=len(out), items=part, section=number, **base))
            else:
                out.append(DocumentSpec(index=len(out), items=items, **base))
    return out[:docs]


def _site(landlord: Landlord) -> str:
    return landlord.name


def _text(spec: DocumentSpec, form: Form, rng: random.Random) -> str:
    family = spec.style.family
    if family == "pipes" or (family == "page_per_section" and rng.random() < 0.5):
        return pipe_text(form, rng)
    if family == "cell_paragraphs":
        return paragraph_text(form)
    return web_text(form)


def render(spec: DocumentSpec) -> Rendered:
    """Write one document (see the module docstring)."""
    style, items, landlord = spec.style, spec.items, spec.landlord
    rng = random.Random(f"render-{spec.index}-{spec.name}")
    if style.family == "label_value":
        answers = make_answers(items, style)
        labels = choose_labels(rng)
        title, intro = title_and_intro(landlord, spec.year, spec.index)
        gold = gold_lines(tuple(gold_rows(items, style, answers)))
        if style.fmt == "text":
            data = stack_text(items, answers, labels, style, title, intro).encode()
        elif style.fmt == "html":
            data = stack_html(items, answers, labels, style, title, intro, _site(landlord)).encode()
        else:
            footer = f"{landlord.name} – Complaint Handling Code self-assessment {spec.year}"
            data = form_to_pdf(stack_form(items, answers, labels, style, title, intro, footer))
        return Rendered(spec, data, gold, via_libreoffice=False)
    if spec.section is not None:
        form = section_forms(items, style, landlord, spec.year, spec.index)[0][2]
    else:
        form = build_form(items, style, landlord, spec.year, spec.index)
    gold = gold_lines(tuple(gold_rows(items, style, form.answers)))
    if style.fmt == "pdf" and style.producer == "libreoffice":
        return Rendered(spec, form_to_docx(form), gold, via_libreoffice=True)
    if style.fmt == "pdf":
        repeat = rng.random() < 0.5
        data = form_to_pdf(form, _RULES.get(style.family, "grid"), repeat_header=repeat)
    elif style.fmt == "docx":
        data = form_to_docx(form)
    elif style.fmt == "html":
        data = form_to_html(form, _site(landlord)).encode()
    else:
        data = _text(spec, form, rng).encode()
    return Rendered(spec, data, gold, via_libreoffice=False)


def _manifest(specs: Sequence[DocumentSpec]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for s in specs:
        writer.writerow(
            (
                f"documents/{s.name}",
                s.landlord.name,
                s.landlord.landlord_type,
                s.year,
                s.version,
                s.style.family,
                s.style.fmt,
                s.style.producer,
                s.style.answers,
                len(s.items),
                "",
            )
        )
    return buffer.getvalue()


def generator_digest() -> str:
    """Hash of the generator's sources and the reference data (a build's identity)."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted([*here.glob("*.py"), *(ROOT / "reference").glob("*.csv")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _convert_all(sources: list[Path], outdir: Path, workers: int) -> None:
    """LibreOffice conversions, split over ``workers`` soffice processes."""
    if not sources:
        return
    batches = [sources[i::workers] for i in range(workers) if sources[i::workers]]
    with ThreadPoolExecutor(len(batches)) as pool:
        for _ in pool.map(lambda batch: convert(batch, outdir), batches):
            pass


def build_sector(out: Path, docs: int, seed: int, workers: int) -> dict[str, object]:
    """Write ``docs`` documents with gold and manifest under ``out``; returns the stamp.

    Reuses an existing build with the same parameters and generator digest.
    """
    stamp = {"docs": docs, "seed": seed, "generator": generator_digest()}
    stamp_file = out / "sector.json"
    if stamp_file.exists():
        old = json.loads(stamp_file.read_text(encoding="utf-8"))
        if {k: old.get(k) for k in stamp} == stamp:
            return {**old, "reused": True}
    started = time.perf_counter()
    specs = plan(docs, seed)
    with tempfile.TemporaryDirectory(prefix="chc-sector-") as tmp:
        stage = Path(tmp)
        documents, gold_dir, word = stage / "documents", stage / "gold", stage / "word"
        for d in (documents, gold_dir, word):
            d.mkdir()
        sources: list[Path] = []
        context = multiprocessing.get_context("forkserver")
        with context.Pool(workers) as pool:
            for done in pool.imap(render, specs, chunksize=4):
                name = done.spec.name
                (gold_dir / f"{name}.jsonl").write_text(done.gold, encoding="utf-8")
                if done.via_libreoffice:
                    source = word / (name.removesuffix(".pdf") + ".docx")
                    source.write_bytes(done.data)
                    sources.append(source)
                else:
                    (documents / name).write_bytes(done.data)
        _convert_all(sources, documents, workers)
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        shutil.move(str(documents), out / "documents")
        shutil.move(str(gold_dir), out / "gold")
    (out / "manifest.csv").write_text(_manifest(specs), encoding="utf-8")
    stamp |= {
        "documents": len(specs),
        "libreoffice": len(sources),
        "seconds": round(time.perf_counter() - started, 1),
    }
    stamp_file.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    return {**stamp, "reused": False}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m corpus.builder.sector",
        description="Write a synthetic sector of self-assessments with gold and manifest. "
        "Example: python -m corpus.builder.sector --docs 200 --seed 12",
    )
    parser.add_argument("--docs", type=int, default=200, help="documents to write")
    parser.add_argument("--seed", type=int, default=12, help="random seed")
    parser.add_argument("--out", type=Path, default=None, help="output folder")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    out = args.out or DEFAULT_OUT / f"docs{args.docs}-seed{args.seed}"
    stamp = build_sector(out, args.docs, args.seed, max(1, args.workers))
    print(
        f"sector: {stamp['documents']} documents in {out} ({stamp['seconds']} s)", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
