"""Form -> plain text "copied from a web page": cells of a row fused without separators."""

from __future__ import annotations

from .model import Answer, Band, Form, Heading, PageBreak, Para, Table, TableRow


def _text(value: str | Answer) -> str:
    return value.display if isinstance(value, Answer) else value


def fused_text(form: Form) -> str:
    """One line per paragraph, heading and table row; a row's cells run into each other.

    Example: `1.3The resident does not ...policy.YesThe definition...`.
    """
    lines: list[str] = []
    for block in form.blocks:
        if isinstance(block, Heading | Para):
            lines += [block.text, ""]
        elif isinstance(block, PageBreak):
            continue
        elif isinstance(block, Table):
            lines.append("".join(block.header))
            for row in block.rows:
                if isinstance(row, Band):
                    lines.append(row.text)
                else:
                    assert isinstance(row, TableRow)
                    lines.append("".join(_text(c) for c in row.cells))
            lines.append("")
    return "\n".join(lines)
