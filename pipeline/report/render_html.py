"""The report as one self-contained HTML page (``index.html``): styles and SVG charts
inline, links only to anchors in the page, nothing fetched from anywhere."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from pipeline.report import display
from pipeline.report.benchmark import Benchmark
from pipeline.report.charts import ANSWER_COLOURS
from pipeline.report.outline import Section, Table
from pipeline.report.render_md import ReportMeta

_CSS = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:88em;padding:0 1.2em 4em;
color:#222;line-height:1.4}
h1{margin:.8em 0 .2em}h2{margin-top:2em;border-bottom:2px solid #0072B2}
.meta{color:#555}.question{font-style:italic;color:#333}
nav ol{columns:2;font-size:95%}
table{border-collapse:collapse;font-size:85%;margin:.6em 0 1.2em}
th,td{border:1px solid #ccc;padding:.2em .45em;text-align:left;vertical-align:top}
th{background:#f2f2f2}caption{text-align:left;font-weight:bold;padding:.3em 0}
svg{max-width:100%;height:auto;display:block;margin:.5em 0}
.scroll{max-height:80vh;overflow:auto;border:1px solid #ccc;margin:.5em 0}
table.heatmap{font-size:70%;margin:0}
table.heatmap th,table.heatmap td{padding:0;width:1.35em;height:1.35em;text-align:center}
table.heatmap thead th{position:sticky;top:0;z-index:2}
table.heatmap thead tr+tr th{top:1.45em}
table.heatmap th.name{position:sticky;left:0;z-index:1;background:#fff;width:auto;
min-width:16em;max-width:22em;text-align:left;padding:0 .4em;white-space:nowrap;
overflow:hidden;text-overflow:ellipsis}
table.heatmap thead th.name{z-index:3;background:#f2f2f2}
table.heatmap th.sec{border-left:2px solid #666}
table.heatmap td.first{border-left:2px solid #666}
.legend span{display:inline-block;margin-right:1em}
.legend i{display:inline-block;width:1em;height:1em;border:1px solid #888;
vertical-align:middle;margin-right:.3em}
details{margin:.4em 0}summary{cursor:pointer}
"""


def _cell_css() -> str:
    return "".join(
        f"td.c-{answer}{{background:{colour}}}" for answer, colour in ANSWER_COLOURS.items()
    )


def table_html(table: Table) -> str:
    """A captioned table (escaped), or its empty text."""
    caption = html.escape(table.caption)
    if table.frame.empty:
        return f"<p><b>{caption}</b>: {html.escape(table.empty_text)}</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.frame.columns)
    rows = []
    for row in table.frame.itertuples(index=False):
        cells = "".join(
            f"<td>{'' if display.is_blank(v) else html.escape(str(v))}</td>" for v in row
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _legend() -> str:
    items = "".join(
        f'<span><i style="background:{ANSWER_COLOURS[a]}"></i>'
        f"{html.escape(display.ANSWER_LETTERS[a].strip() or '(blank)')} = "
        f"{html.escape(display.ANSWER_MEANING[a])}</span>"
        for a in ANSWER_COLOURS
    )
    return f'<p class="legend">{items}</p>'


def _heatmap_head(provisions: pd.DataFrame) -> str:
    sections = provisions.groupby("section_number", sort=False).size()
    top = "".join(
        f'<th class="sec" colspan="{n}" title="section {s}">{s}</th>' for s, n in sections.items()
    )
    firsts = set(provisions.drop_duplicates("section_number")["provision_id"])
    ids = "".join(
        f'<th{" class=sec" if p in firsts else ""} title="{html.escape(p)}">'
        f"{html.escape(p.split('.')[-1] if '.' in p else p[1:])}</th>"
        for p in provisions["provision_id"]
    )
    return (
        f'<thead><tr><th class="name">section →</th>{top}</tr>'
        f'<tr><th class="name">landlord (latest assessment)</th>{ids}</tr></thead>'
    )


def heatmap_html(bench: Benchmark, version: str) -> str:
    """Landlords as rows, provisions as columns grouped by section, a coloured lettered
    cell per answer; scrolls with the headers and names kept in view."""
    cells = bench.heatmap[bench.heatmap["code_version"] == version]
    if cells.empty:
        return "<p>(none)</p>"
    provisions = cells.drop_duplicates("provision_id")[["provision_id", "section_number"]]
    firsts = set(provisions.drop_duplicates("section_number")["provision_id"])
    body = []
    for (aid, landlord), row in cells.groupby(["assessment_id", "landlord"], sort=False,
                                              dropna=False):  # fmt: skip
        name = html.escape(str(landlord) if not display.is_blank(landlord) else str(aid))
        tds = "".join(
            f'<td class="c-{c}{" first" if p in firsts else ""}" '
            f'title="{name}: {html.escape(p)} {display.ANSWER_MEANING[c]}">'
            f"{display.ANSWER_LETTERS[c].strip()}</td>"
            for p, c in zip(row["provision_id"], row["cell"], strict=True)
        )
        link = f'<a href="#{display.slug(str(aid))}">{name}</a>'
        body.append(f'<tr><th class="name" title="{name}">{link}</th>{tds}</tr>')
    return (
        _legend()
        + f'<div class="scroll"><table class="heatmap" id="heatmap-table-{version}">'
        + _heatmap_head(provisions)
        + f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _section(section: Section, bench: Benchmark) -> str:
    level = section.level
    parts = [f'<h{level} id="{section.anchor}">{html.escape(section.title)}</h{level}>']
    if section.question:
        parts.append(f'<p class="question">{html.escape(section.question)}</p>')
    parts.extend(f"<p>{html.escape(n)}</p>" for n in section.notes)
    parts.extend(section.charts)
    if section.heatmap:
        parts.append(heatmap_html(bench, section.heatmap))
    tables = [table_html(t) for t in section.tables]
    if level > 2 and tables:  # scorecards: the long provision list folds away
        tables[-1] = f"<details><summary>Every provision</summary>{tables[-1]}</details>"
    parts.extend(tables)
    return "\n".join(parts)


def _contents(sections: Sequence[Section]) -> str:
    items = "".join(
        f'<li><a href="#{s.anchor}">{html.escape(s.title)}</a></li>'
        for s in sections
        if s.level == 2
    )
    return f'<nav id="contents"><h2>Contents</h2><ol>{items}</ol></nav>'


def render_html(meta: ReportMeta, sections: Sequence[Section], bench: Benchmark) -> str:
    """The whole page."""
    body = "\n".join(_section(s, bench) for s in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(meta.title)}</title>\n<style>{_CSS}{_cell_css()}</style>\n"
        f"</head>\n<body>\n<h1>{html.escape(meta.title)}</h1>\n"
        f'<p class="meta">{html.escape(meta.line())}</p>\n'
        f"{_contents(sections)}\n{body}\n</body>\n</html>\n"
    )
