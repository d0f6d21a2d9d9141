"""Form -> HTML page as councils publish them: one <table> per section, or stacked blocks."""

from __future__ import annotations

from html import escape

from .docx_writer import split_paragraphs
from .model import Answer, Band, Block, Form, GoldRow, Heading, PageBreak, Para, Table, TableRow

_STYLE = (
    "body{font-family:Arial,sans-serif;max-width:72em;margin:auto}"
    "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
    "th,td{border:1px solid #999;padding:.4em;vertical-align:top;text-align:left}"
    "th{background:#e6e6e6}.band{background:#f2f2f2;font-weight:bold}"
)


def _page(title: str, site: str, body: list[str]) -> str:
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} | {escape(site)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to main content</a>',
        f'<header><p class="site-name">{escape(site)}</p>',
        '<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>'
        '<li><a href="/housing">Housing</a></li><li><a href="/housing/complaints">'
        "Complaints</a></li></ol></nav></header>",
        '<main id="main">',
    ]
    tail = [
        "</main>",
        f"<footer><p>© {escape(site)}. All rights reserved.</p>"
        '<p><a href="/accessibility">Accessibility statement</a> | '
        '<a href="/privacy">Privacy notice</a> | <a href="/cookies">Cookies</a></p></footer>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(head + body + tail)


def _cell_html(value: str | Answer) -> str:
    text = value.display if isinstance(value, Answer) else value
    paragraphs = split_paragraphs(text)
    if len(paragraphs) == 1:
        return escape(paragraphs[0])
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _table_html(table: Table) -> list[str]:
    out = ["<table>", "<thead>", "<tr>"]
    out += [f'<th scope="col">{escape(h)}</th>' for h in table.header]
    out += ["</tr>", "</thead>", "<tbody>"]
    for row in table.rows:
        if isinstance(row, Band):
            out.append(
                f'<tr class="band"><td colspan="{len(table.header)}">{escape(row.text)}</td></tr>'
            )
            continue
        assert isinstance(row, TableRow)
        out.append("<tr>" + "".join(f"<td>{_cell_html(c)}</td>" for c in row.cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _block_html(block: Block) -> list[str]:
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return [f"<h{level}>{escape(block.text)}</h{level}>"]
    if isinstance(block, Para):
        return [f"<p>{escape(block.text)}</p>"]
    if isinstance(block, PageBreak):
        return []
    return _table_html(block)


def form_to_html(form: Form, site: str) -> str:
    """One <table> per table block, headings and paragraphs between them."""
    body: list[str] = []
    for block in form.blocks:
        body += _block_html(block)
    return _page(form.title, site, body)


def stacked_html(form: Form, rows: tuple[GoldRow, ...], site: str) -> str:
    """No tables: per row an <h3> with the id, then requirement, compliance and evidence.

    Section and must/should headings are kept; tables become runs of blocks.
    """
    body: list[str] = []
    for block in form.blocks:
        if not isinstance(block, Table):
            body += [
                line.replace("<h3>", "<h4>").replace("</h3>", "</h4>")
                for line in _block_html(block)
            ]
            continue
        for row in block.rows:
            if isinstance(row, Band):
                body.append(f"<p><strong>{escape(row.text)}</strong></p>")
                continue
            assert isinstance(row, TableRow)
            gold = rows[row.gold_index]
            answer = next(c for c in row.cells if isinstance(c, Answer))
            body += [
                '<div class="provision">',
                f"<h3>Code section {escape(gold.printed_id)}</h3>",
                f"<p>{escape(gold.requirement)}</p>",
                f"<p>Compliance: {escape(answer.display)}</p>",
                f"<p>Evidence, commentary and any explanations: {escape(gold.evidence)}</p>",
                "</div>",
            ]
    return _page(form.title, site, body)
