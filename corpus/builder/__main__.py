"""`python -m corpus.builder`: rebuild corpus/ (documents, gold, manifest, README) from seeds."""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
from pathlib import Path

from .checks import PdfReport, check_pdf
from .pdf import convert
from .plan import Output, corpus_outputs
from .readme import readme_text
from .seeds import gold_lines
from .sources import CORPUS, load_seeds

MANIFEST_COLUMNS = (
    "file",
    "landlord",
    "landlord_type",
    "assessment_year",
    "code_version",
    "derived_from",
    "url",
)


def _manifest(outputs: list[Output]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for out in sorted(outputs, key=lambda o: o.name):
        s = out.seed
        writer.writerow(
            (
                f"documents/{out.name}",
                s.landlord,
                s.landlord_type,
                s.year,
                s.code_version,
                s.file,
                "",
            )
        )
    return buffer.getvalue()


def _problems(out: Output, report: PdfReport) -> list[str]:
    problems = []
    if not report.continued:
        problems.append(f"{out.name}: no row continues across a page break")
    if report.rows_found < report.rows_total:
        problems.append(f"{out.name}: only {report.rows_found}/{report.rows_total} rows located")
    if out.name.endswith("_annual_report.pdf"):
        if report.pages < 20:
            problems.append(f"{out.name}: {report.pages} pages, need 20+")
        if (report.table_start_page or 0) <= 10:
            problems.append(
                f"{out.name}: appendix table starts on page {report.table_start_page}, need > 10"
            )
    return problems


def build(shared: Path) -> int:
    seeds = load_seeds(shared)
    golds = seeds.golds
    outputs = corpus_outputs(seeds.texts, seeds.raw_texts, golds)
    with tempfile.TemporaryDirectory(prefix="chc-corpus-") as tmp:
        stage = Path(tmp)
        docs, gold_dir, src = stage / "documents", stage / "gold", stage / "pdfsrc"
        for d in (docs, gold_dir, src):
            d.mkdir()
        sources = []
        for out in outputs:
            if out.via_pdf:
                path = src / (out.name.removesuffix(".pdf") + ".docx")
                path.write_bytes(out.render())
                sources.append(path)
            else:
                (docs / out.name).write_bytes(out.render())
            (gold_dir / f"{out.name}.jsonl").write_text(gold_lines(out.gold), encoding="utf-8")
        print(f"corpus: converting {len(sources)} DOCX to PDF with LibreOffice", file=sys.stderr)
        convert(sources, docs)
        reports, problems = {}, []
        for out in outputs:
            if out.name.endswith(".pdf") and out.form is not None:
                report = check_pdf(docs / out.name, out.form, golds[out.seed.number])
                reports[out.name] = report
                problems += _problems(out, report)
                print(
                    f"corpus: {out.name}: {report.pages} pages, table from page "
                    f"{report.table_start_page}, rows {report.rows_found}/{report.rows_total}"
                    f", continued {', '.join(report.continued)}",
                    file=sys.stderr,
                )
        if problems:
            print("corpus: build checks failed:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        for name in ("documents", "gold"):
            shutil.rmtree(CORPUS / name, ignore_errors=True)
            shutil.copytree(stage / name, CORPUS / name)
    (CORPUS / "manifest.csv").write_text(_manifest(outputs), encoding="utf-8")
    (CORPUS / "README.md").write_text(readme_text(outputs, reports), encoding="utf-8")
    total = sum(p.stat().st_size for p in (CORPUS / "documents").iterdir())
    print(f"corpus: {len(outputs)} files, {total / 1e6:.1f} MB", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m corpus.builder",
        description="Rebuild corpus/ from the seeds' gold. Example: python -m corpus.builder",
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=CORPUS.parents[1] / "shared",
        help="folder with seeds/ and gold/ (default ../shared); when missing, "
        "the seed copies already in corpus/ are used",
    )
    return build(parser.parse_args(argv).shared)


if __name__ == "__main__":
    sys.exit(main())
