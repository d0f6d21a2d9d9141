"""corpus/README.md from README.template.md plus a generated table of every built file."""

from __future__ import annotations

from pathlib import Path

from .checks import PdfReport
from .plan import Output

TEMPLATE = Path(__file__).with_name("README.template.md")


def _files_table(outputs: list[Output], reports: dict[str, PdfReport]) -> list[str]:
    lines = [
        f"{len(outputs)} documents, each with a gold file. Continued rows are listed as "
        "printed id (canonical id for 004, which prints none) and the pages the row spans.",
        "",
        "| file | seed | exercises | PDF pages | self-assessment table from page "
        "| rows continued across pages |",
        "|---|---|---|---|---|---|",
    ]
    for out in outputs:
        r = reports.get(out.name)
        pages = str(r.pages) if r else ""
        start = str(r.table_start_page) if r else ""
        cont = ", ".join(r.continued) if r else ""
        lines.append(
            f"| `{out.name}` | {out.seed.number} | {out.exercises} | {pages} | {start} | {cont} |"
        )
    return lines


def readme_text(outputs: list[Output], reports: dict[str, PdfReport]) -> str:
    table = "\n".join(_files_table(outputs, reports))
    return TEMPLATE.read_text(encoding="utf-8").replace("<!-- files -->", table)
