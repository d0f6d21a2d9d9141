"""The bundled corpus agrees with itself: manifest, documents and gold (no LibreOffice needed)."""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from pipeline.goldfile import GOLD_KEYS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DOCUMENTS = CORPUS / "documents"
GOLD = CORPUS / "gold"

MANIFEST_COLUMNS = [
    "file",
    "landlord",
    "landlord_type",
    "assessment_year",
    "code_version",
    "derived_from",
    "url",
]
COMPLIANCE = {"yes", "no", "partial", "na", "unknown"}
OBLIGATIONS = {"must", "should", "question", ""}
LANDLORD_TYPES = {"council", "housing_association", "almo", "other", "unknown"}
# The seeds are real inputs and must stay byte-identical to ../shared/seeds and ../shared/gold.
SEED_SHA256 = {
    "000_f51c28dd8c8290d7.txt": "57c750634ea96bbbcdf2fa0c3ea31e44d2bab44e120889208706bf1e77987266",
    "001_f5f197cf8a7913f8.txt": "32cd71f822721c71dd338651b7fc9b0a1029e2b1fe8c0195104aba6dd5ade4d7",
    "002_a1441b5497633c56.txt": "4acf94102aa2cdc61bb6c2676ec4947b30a75701992b6133f85dfd31e6f79b3c",
    "003_93b1ba100de5918b.txt": "c6910f1f50dd3c6eee1926016595e2238a0fc2c4e9fc2614673785ae08bce1f3",
    "004_d9e216948779f405.txt": "1dcd6146fc48519998b7e6292df186c0321039c07123d93683753532bd151ac8",
}
SEED_GOLD_SHA256 = {
    "000_f51c28dd8c8290d7.txt": "f9374908e56bc6dd9c7b96d729246129942529af3484da42d1cbbea093a0ff81",
    "001_f5f197cf8a7913f8.txt": "04bfeca5420617e801c1c3a678eae405daef47e301ed334f4f745f845a54469e",
    "002_a1441b5497633c56.txt": "50dee0733f33385ab11ff83ba94f45187aa2fbf0a2906e4bcdf0a3854d36892c",
    "003_93b1ba100de5918b.txt": "307d64d2534d37748f917d0770bf53e8f72dd19b5fd14bb888cafaa154cc05af",
    "004_d9e216948779f405.txt": "87774d9f463ea25375803d3b36f66476ee41ff935b3d9ed02663c040eab3f3ae",
}
# How a rendering may respell a seed's answer (gold README rules, plus Y/N and checkbox labels).
RESPELLINGS = {
    "Yes": "yes",
    "Y": "yes",
    "No": "no",
    "N": "no",
    "Partial": "partial",
    "N/A": "na",
    "": "unknown",
}


def _manifest() -> list[dict[str, str]]:
    with (CORPUS / "manifest.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == MANIFEST_COLUMNS
        return list(reader)


def _gold(name: str) -> list[dict[str, object]]:
    text = (GOLD / f"{name}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


MANIFEST = _manifest()
DERIVED = [(m["file"].removeprefix("documents/"), m["derived_from"]) for m in MANIFEST]


def test_manifest_lists_exactly_the_documents() -> None:
    listed = [m["file"] for m in MANIFEST]
    assert len(listed) == len(set(listed))
    on_disk = sorted(f"documents/{p.name}" for p in DOCUMENTS.iterdir())
    assert sorted(listed) == on_disk


def test_every_document_has_gold_and_every_gold_a_document() -> None:
    documents = {p.name for p in DOCUMENTS.iterdir()}
    golds = {p.name.removesuffix(".jsonl") for p in GOLD.glob("*.jsonl")}
    assert documents == golds
    assert {p.name for p in GOLD.iterdir()} == {f"{d}.jsonl" for d in documents}


def test_manifest_values() -> None:
    seeds = set(SEED_SHA256)
    for m in MANIFEST:
        assert m["landlord"], m
        assert m["landlord_type"] in LANDLORD_TYPES, m
        assert m["assessment_year"].isdigit() and 2020 <= int(m["assessment_year"]) <= 2026, m
        assert m["code_version"] in {"2020", "2022", "2024"}, m
        assert m["derived_from"] in seeds, m
        seed = next(x for x in MANIFEST if x["file"] == f"documents/{m['derived_from']}")
        for key in ("landlord", "landlord_type", "assessment_year", "code_version"):
            assert m[key] == seed[key], (m, key)


def test_at_least_five_files_per_seed() -> None:
    per_seed = Counter(m["derived_from"] for m in MANIFEST)
    assert set(per_seed) == set(SEED_SHA256)
    assert all(n >= 5 for n in per_seed.values()), per_seed


def test_seeds_and_seed_gold_are_unchanged_copies() -> None:
    for name, digest in SEED_SHA256.items():
        assert hashlib.sha256((DOCUMENTS / name).read_bytes()).hexdigest() == digest, name
        gold = (GOLD / f"{name}.jsonl").read_bytes()
        assert hashlib.sha256(gold).hexdigest() == SEED_GOLD_SHA256[name], name


@pytest.mark.parametrize(("name", "seed"), DERIVED)
def test_gold_rows_are_well_formed(name: str, seed: str) -> None:
    rows = _gold(name)
    assert rows, name
    code_version = next(m["code_version"] for m in MANIFEST if m["file"].endswith(f"/{name}"))
    for i, row in enumerate(rows, 1):
        assert tuple(row) == GOLD_KEYS, (name, i)
        assert row["row"] == i
        assert row["code_version"] == code_version
        assert row["compliance"] in COMPLIANCE
        assert row["obligation"] in OBLIGATIONS
        for key in GOLD_KEYS[1:]:
            value = row[key]
            assert isinstance(value, str) and value == " ".join(value.split()), (name, i, key)


@pytest.mark.parametrize(("name", "seed"), DERIVED)
def test_derived_gold_is_seed_gold_up_to_answer_spelling(name: str, seed: str) -> None:
    rows, seed_rows = _gold(name), _gold(seed)
    assert len(rows) == len(seed_rows)
    for row, original in zip(rows, seed_rows, strict=True):
        for key in GOLD_KEYS:
            if key != "compliance_raw":
                assert row[key] == original[key], (name, row["row"], key)
        raw = row["compliance_raw"]
        if raw != original["compliance_raw"]:
            assert RESPELLINGS.get(str(raw)) == original["compliance"], (name, row["row"], raw)


def test_corpus_is_small() -> None:
    total = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert total < 15_000_000, total


def test_readme_lists_every_document() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for m in MANIFEST:
        assert f"`{m['file'].removeprefix('documents/')}`" in readme, m["file"]


def test_checkbox_docx_uses_content_controls() -> None:
    with zipfile.ZipFile(DOCUMENTS / "000_rotherham_2024_checkbox.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert xml.count("<w14:checkbox>") == 2 * 72
    assert xml.count('<w14:checked w14:val="1"/>') == 72


def test_docx_files_have_fixed_dates() -> None:
    for path in DOCUMENTS.glob("*.docx"):
        with zipfile.ZipFile(path) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}, path.name
            core = z.read("docProps/core.xml").decode("utf-8")
        assert "2024-01-15T09:00:00Z" in core, path.name


# Gold fields printed in each table column, by seed number (002's comply is its two columns).
COLUMNS = {
    "000": ("printed_id", "requirement", "compliance_raw", "evidence", "commentary"),
    "001": ("printed_id", "requirement", "compliance_raw", "evidence", "commentary"),
    "002": ("printed_id", "requirement", "evidence", "commentary"),
    "003": ("printed_id", "requirement", "compliance_raw", "evidence"),
    "004": ("requirement", "compliance_raw", "evidence", "actions"),
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _answer(text: str) -> str:
    """A checkbox cell reads as the label of its ticked box."""
    if "☒" not in text and "☐" not in text:
        return text
    ticked = re.findall(r"([A-Za-z/]+) ☒", text)
    return ticked[0] if ticked else ""


def _table_rows_docx(path: Path) -> list[list[str]]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    rows = []
    for tr in root.iter(f"{W}tr"):
        if tr.find(f"{W}trPr/{W}tblHeader") is not None:
            continue
        cells = [
            " ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))
            for tc in tr.findall(f"{W}tc")
        ]
        rows.append([" ".join(c.split()) for c in cells])
    return rows


def _table_rows_html(path: Path) -> list[list[str]]:
    root = lxml.html.fromstring(path.read_bytes())
    return [
        [" ".join(" ".join(td.itertext()).split()) for td in tr.findall("td")]
        for tr in root.iter("tr")
        if tr.find("td") is not None
    ]


TABLE_FILES = sorted(
    name for name, _ in DERIVED if name.endswith(".docx") or name.endswith(".html")
)


@pytest.mark.parametrize("name", [n for n in TABLE_FILES if "stacked" not in n])
def test_table_cells_reproduce_gold(name: str) -> None:
    """Reading each table cell (paragraphs joined by a space) gives the gold fields exactly."""
    path = DOCUMENTS / name
    rows = _table_rows_docx(path) if name.endswith(".docx") else _table_rows_html(path)
    rows = [r for r in rows if len(r) > 1]  # band rows ("Must Do Requirements") span the table
    fields = COLUMNS[name[:3]]
    gold = _gold(name)
    assert len(rows) == len(gold), name
    for cells, row in zip(rows, gold, strict=True):
        pairs = zip(fields, cells, strict=True)
        read = {f: _answer(c) if f == "compliance_raw" else c for f, c in pairs}
        assert read == {f: row[f] for f in fields}, (name, row["row"])


def test_stacked_html_reproduces_gold() -> None:
    name = "003_chesterfield_2023_stacked.html"
    root = lxml.html.fromstring((DOCUMENTS / name).read_bytes())
    blocks = root.find_class("provision")
    gold = _gold(name)
    assert len(blocks) == len(gold)
    for block, row in zip(blocks, gold, strict=True):
        texts = [" ".join(e.text_content().split()) for e in block]
        assert texts == [
            f"Code section {row['printed_id']}",
            row["requirement"],
            f"Compliance: {row['compliance_raw']}".strip(),
            f"Evidence, commentary and any explanations: {row['evidence']}".strip(),
        ], row["row"]


def test_webcopy_rows_are_fused_cells() -> None:
    name = "000_rotherham_2024_webcopy.txt"
    lines = set((DOCUMENTS / name).read_text(encoding="utf-8").splitlines())
    for row in _gold(name):
        fused = "".join(str(row[f]) for f in COLUMNS["000"])
        assert fused in lines, row["row"]


@functools.cache
def _built():  # type: ignore[no-untyped-def]
    """The builder's outputs (rendered lazily) and the seed inputs, from the corpus copies."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from corpus.builder.plan import corpus_outputs
    from corpus.builder.sources import load_seeds

    seeds = load_seeds(None)
    outputs = corpus_outputs(seeds.texts, seeds.raw_texts, seeds.golds)
    return {o.name: o for o in outputs}, seeds


@pytest.mark.slow
def test_committed_files_match_the_builder() -> None:
    """DOCX, HTML, TXT and all gold rebuild byte-identically from the seed copies (no PDFs)."""
    from corpus.builder.seeds import gold_lines

    outputs, _ = _built()
    assert sorted(outputs) == sorted(p.name for p in DOCUMENTS.iterdir())
    for out in outputs.values():
        if not out.via_pdf:
            assert (DOCUMENTS / out.name).read_bytes() == out.render(), out.name
        gold = (GOLD / f"{out.name}.jsonl").read_text(encoding="utf-8")
        assert gold == gold_lines(out.gold), out.name


PDFS = sorted(name for name, _ in DERIVED if name.endswith(".pdf"))


@pytest.mark.slow
@pytest.mark.parametrize("name", PDFS)
def test_pdf_splits_rows_across_pages(name: str) -> None:
    """pdfplumber: a row continues across a page break; annual reports have the appendix late."""
    from corpus.builder.checks import check_pdf

    outputs, seeds = _built()
    out = outputs[name]
    report = check_pdf(DOCUMENTS / name, out.form, seeds.golds[out.seed.number])
    assert report.continued, name
    assert report.rows_found == report.rows_total, name
    if name.endswith("_annual_report.pdf"):
        assert report.pages >= 20, name
        assert (report.table_start_page or 0) > 10, name
