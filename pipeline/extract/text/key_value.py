"""Text reader layout: "Label: value" records, one provision per record.

A record opens with a line naming a provision ("Provision 1.2", "Ref 3a") and holds lines
such as "Requirement: ...", "Compliant: Yes", "Evidence: ..."; :func:`key_value_to_lines`
turns the records into a header line and one tabbed line per record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.text.line import TextLine
from pipeline.textnorm import clean_cell
from pipeline.vocabulary import ID_CORE, header_cell_role

# "Provision 1.2" opens a record, "Compliant: Yes" is a field.
_KV_START = re.compile(
    r"^(?:code provision|provision|ref|reference|code section|question)\s+"
    rf"({ID_CORE})\s*:?$",
    re.IGNORECASE,
)
_KV_FIELD = re.compile(r"^([A-Za-z][\w /?'’()-]{0,40}?)\s*:\s*(.*)$")


def key_value_to_lines(raw_lines: Sequence[str]) -> list[TextLine] | None:
    """Convert "Label: value" records into a header and one line per record.

    An unlabelled line continues the value above it; lines before the first record are
    kept as plain lines (title, headings).

    Args:
        raw_lines: the file's lines.

    Returns:
        The lines, or None unless the text has at least two records whose labels name
        known columns.
    """
    records: list[tuple[int, str, dict[str, list[str]]]] = []
    labels: list[str] = []
    before: list[TextLine] = []
    for number, raw in enumerate(raw_lines, start=1):
        text = clean_cell(raw)
        if not text:
            continue
        start = _KV_START.match(text)
        if start is not None:
            records.append((number, start.group(1), {}))
            continue
        if not records:
            before.append(TextLine(number, (text,), tabbed=False))
            continue
        fields = records[-1][2]
        pair = _KV_FIELD.match(text)
        if pair is not None and header_cell_role(pair.group(1)) != "other":
            label = pair.group(1).strip()
            fields.setdefault(label, []).append(pair.group(2))
            if label not in labels:
                labels.append(label)
        elif fields:
            fields[next(reversed(fields))].append(text)
    known = [label for label in labels if header_cell_role(label) != "other"]
    if len(records) < 2 or len(known) < 2:
        return None
    out = [*before, TextLine(records[0][0], ("Code provision", *labels), tabbed=True)]
    for number, pid, fields in records:
        cells = tuple(clean_cell(" ".join(fields.get(label, []))) for label in labels)
        out.append(TextLine(number, (pid, *cells), tabbed=True))
    return out
