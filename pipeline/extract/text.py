"""Stage 1 reader for text exports (.txt/.md): lines -> table rows with provenance.

Text exports of the self-assessment form come in three shapes, all handled here:

* one table row per line, cells separated by TABs (PDF -> text) or Markdown pipes: a row
  may continue on following lines whose id cell is empty (page breaks, multi-paragraph
  cells), and its first lines may sit above the line holding its id (vertically centred
  labels);
* one cell per line, each cell opened by a leading TAB (DOCX -> text); converted to the
  first shape by :func:`cells_to_lines`;
* text copied from a web page, where a row's cells are fused ("...responding.YesThe
  policy..."); split with the Code's requirement texts in ``pipeline/extract/fused.py``.

The flow is ``decode_text -> text_to_lines -> lines_to_rows``. Hand-written because no
library parses these half-structured exports; each rule is named after the defect it
handles (see tests/fixtures/text/).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from pipeline.columns import Layout, Role, header_cell_role, header_layout, is_answer
from pipeline.errors import EmptyFileError, ReadError
from pipeline.extract.fused import FUSED_ID, split_fused_header, split_fused_row
from pipeline.records import Extraction, Row
from pipeline.reference import load_reference
from pipeline.textnorm import clean_cell

TITLE_LINES = 15
# Provision ids as printed: "6.20", "1a", "1.5." and the split id "1. -" (OCR).
_ID = re.compile(r"^(?:(\d{1,2})\.(\d{1,2})\.?|([1-9])([a-j])\.?|(\d{1,2})\.\s*[-–]?)$")
_BARE_NUMBER = re.compile(r"^\d{1,2}\.?$")
# "Label: value" records: "Provision 1.2" opens one, "Compliant: Yes" is a field.
_KV_START = re.compile(
    r"^(?:code provision|provision|ref|reference|code section|question)\s+"
    r"(\d{1,2}\.\d{1,2}|[1-9][a-j])\s*:?$",
    re.IGNORECASE,
)
_KV_FIELD = re.compile(r"^([A-Za-z][\w /?'’()-]{0,40}?)\s*:\s*(.*)$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_SEPARATOR = re.compile(r"^[\s\-–—=_|*:]*$")
# "Section 6: Complaints Stages", "Section 1 - Definition", "Section 2 Exclusions" - but not
# prose such as "Section 3 of the policy states ..." (a cell line in the DOCX export).
_SECTION = re.compile(
    r"^\W{0,3}(?i:section)\s+\d{1,2}(?:\s*[:.\-–]|\s*$|\s+[A-Z][\w&,'’]*(?:\s+\S+){0,6}\s*$)"
)
# A bare stage heading ("Stage 2", "STAGE 3", "Stage 1 - response"); "Stage 2 complaints
# are ..." is cell text.
_STAGE = re.compile(r"^stage\s+(?:\d|one|two|three)\s*(?:[:\-–].{0,40})?$", re.IGNORECASE)
_OBLIGATION = re.compile(
    r"^(?:mandatory|best practice)\b|^\W*(?:must|should)\b.*\brequirements?\b", re.IGNORECASE
)
_GLUED_OBLIGATION = re.compile(r"^(.*?\S)\s+((?:mandatory|best practice)\b.*)$", re.IGNORECASE)
# A cell that continues a sentence: lower-case start, a bullet, or a list letter "b. ".
_CONTINUES = re.compile(r"^(?:[a-z]|[•·▪◦●\-–*o]\s|[a-z]\.\s)")
_STARTS_SENTENCE = re.compile(r"^[A-Z0-9'‘\"“(]")
_WORD = re.compile(r"[a-z]+")
JUNCTION_WORDS = 3


@dataclass(frozen=True, slots=True)
class TextLine:
    """One logical line: its cells (markup stripped) and where it came from.

    Attributes:
        number: 1-based line number in the file (first line of a converted cell row).
        fields: cell texts; one element for a line without TABs.
        tabbed: the line had cells (TABs, or cells converted from the one-cell-per-line
            layout).
        gap_before: a blank line came before it (a page break in PDF exports).
    """

    number: int
    fields: tuple[str, ...]
    tabbed: bool
    gap_before: bool = False

    @property
    def text(self) -> str:
        """All cells joined with spaces."""
        return clean_cell(" ".join(self.fields))


def decode_text(data: bytes) -> str:
    """Decode a text export: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Args:
        data: the file's bytes.

    Returns:
        The text; never raises (latin-1 is the last resort and accepts every byte).
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _is_cell_per_line(raw_lines: Sequence[str]) -> bool:
    """True for the DOCX export layout: most TAB lines are one TAB then one cell."""
    tabbed = [line for line in raw_lines if "\t" in line and line.strip()]
    single = [line for line in tabbed if line.startswith("\t") and line.count("\t") == 1]
    return bool(tabbed) and len(single) >= 0.6 * len(tabbed)


def heading_kind(text: str) -> str | None:
    """Which heading a short line is.

    Args:
        text: a cleaned line or cell.

    Returns:
        "section" ("Section 6: ..."), "obligation" ("Mandatory 'must' requirements",
        "Should Do Requirements"), "stage" ("Stage 2", "STAGE 3"), or None.
    """
    if not text or len(text) > 120 or text.endswith("."):
        return None
    if _SECTION.match(text):
        return "section"
    words = len(text.split())
    if _OBLIGATION.search(text) and words <= 8:
        return "obligation"
    if _STAGE.match(text) and words <= 4:
        return "stage"
    return None


def cells_to_lines(raw_lines: Sequence[str]) -> list[TextLine]:
    """Convert the one-cell-per-line layout into one line per table row.

    A line starting with TAB opens a cell; following lines without a leading TAB continue
    it (TABs inside them are line-wrap artefacts). A cell holding a provision id starts a
    row; the cells before the first id of a run are the header. ``Section N`` and bare
    ``Stage N`` lines are headings, not cell text.

    Args:
        raw_lines: the file's lines, undecorated.

    Returns:
        One tabbed line per header or row, and the untabbed heading/text lines.
    """
    out: list[TextLine] = []
    run: list[tuple[int, list[str]]] = []  # (line number, cell text parts)
    in_cell = False

    def flush() -> None:
        texts = [clean_cell(" ".join(parts)) for _, parts in run]
        if any(_ID.match(t) for t in texts):
            groups = _groups_at_ids(run, texts)
        else:
            groups = _groups_by_width(run, texts)
        for group in groups:
            fields = tuple(clean_cell(" ".join(parts)) for _, parts in group)
            out.append(TextLine(group[0][0], fields, tabbed=True))
        run.clear()

    for number, raw in enumerate(raw_lines, start=1):
        if raw.startswith("\t"):
            run.append((number, [raw[1:]]))
            in_cell = True
            continue
        if not raw.strip():
            continue
        text = clean_cell(raw)
        if heading_kind(text) in ("section", "stage") or not in_cell or not run:
            flush()
            in_cell = False
            if text:
                out.append(TextLine(number, (text,), tabbed=False))
            continue
        run[-1][1].append(raw)
    flush()
    return out


_Cell = tuple[int, list[str]]  # (line number, text parts) of one cell


def _groups_at_ids(run: Sequence[_Cell], texts: Sequence[str]) -> list[list[_Cell]]:
    """Cells -> rows: a row starts at an id cell or at a repeat of the header."""
    groups: list[list[_Cell]] = []
    for cell, text in zip(run, texts, strict=True):
        starts = _ID.match(text) is not None or (
            bool(groups) and text == texts[0] and header_cell_role(text) != "other"
        )
        if not groups or starts:
            groups.append([])
        groups[-1].append(cell)
    return groups


def _groups_by_width(run: Sequence[_Cell], texts: Sequence[str]) -> list[list[_Cell]]:
    """Cells -> rows for a form without ids: the header's width cells per row; a band
    cell ("Must Do Requirements", "Stage 2") at a row start is a row of its own."""
    width = 0
    while (
        width < len(texts)
        and header_cell_role(texts[width]) != "other"
        and not heading_kind(texts[width])
    ):
        width += 1
    if width < 2:
        return [list(run)] if run else []
    groups: list[list[_Cell]] = [list(run[:width])]
    current: list[_Cell] = []
    for cell, text in zip(run[width:], texts[width:], strict=True):
        if not current and heading_kind(text):
            groups.append([cell])
            continue
        current.append(cell)
        if len(current) == width:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _id_order(text: str) -> tuple[int, int] | None:
    """Sort key of a printed id: "6.20" -> (6, 20), "3c" -> (3, 3); None if unknown."""
    found = _ID.match(text)
    if found is None:
        return None
    if found.group(1):
        return int(found.group(1)), int(found.group(2))
    if found.group(3):
        return int(found.group(3)), ord(found.group(4)) - ord("a") + 1
    return None


def _goes_back(before: str | None, after: str) -> bool:
    """True when id ``after`` comes earlier in Code order than ``before``."""
    a, b = _id_order(before or ""), _id_order(after)
    return a is not None and b is not None and b < a


def _split_cells(raw: str, pipes: bool = False) -> list[str] | None:
    """The cells of a TAB-separated line or a Markdown pipe-table line ("| a | b |", or
    "a | b" when the document has a "--- | ---" separator line); None for a line without
    cells."""
    if "\t" in raw:
        return raw.split("\t")
    if _PIPE_ROW.match(raw):
        return re.split(r"(?<!\\)\|", raw.strip()[1:-1])
    if pipes and re.search(r"(?<!\\)\|", raw):
        return re.split(r"(?<!\\)\|", raw.strip().strip("|"))
    return None


def _key_value_lines(raw_lines: Sequence[str]) -> list[TextLine] | None:
    """Convert "Label: value" records into a header and one line per record.

    A record opens with a line naming a provision ("Provision 1.2", "Ref 3a") and holds
    lines such as "Requirement: ...", "Compliant: Yes", "Evidence: ..."; an unlabelled
    line continues the value above it. Returns None unless the text has at least two
    records whose labels name known columns.
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


def text_to_lines(text: str) -> list[TextLine]:
    """Split decoded text into logical lines (see :class:`TextLine`).

    Args:
        text: the decoded file.

    Returns:
        Non-blank lines with their cells; blank lines only set ``gap_before``.
    """
    raw_lines = text.splitlines()
    if _is_cell_per_line(raw_lines):
        return cells_to_lines(raw_lines)
    if not any("\t" in line for line in raw_lines):
        records = _key_value_lines(raw_lines)
        if records is not None:
            return records
    out: list[TextLine] = []
    gap = False
    pipes = any(_PIPE_SEPARATOR.match(line) for line in raw_lines)
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            gap = True
            continue
        cells = _split_cells(raw, pipes)
        if cells is not None:
            fields = tuple(clean_cell(f) for f in cells)
            if not any(fields):
                gap = True
                continue
            out.append(TextLine(number, fields, tabbed=True, gap_before=gap))
        else:
            cleaned = clean_cell(raw)
            if not cleaned:
                gap = True
                continue
            out.append(TextLine(number, (cleaned,), tabbed=False, gap_before=gap))
        gap = False
    return out


def provision_id(text: str) -> str | None:
    """The id if ``text`` is a printed provision id ("6.3", "1a", "1. -"), else None.

    Section 0 does not exist, so "0.20" (a mis-rendered duplicate label) is not an id.

    Args:
        text: a cleaned cell.

    Returns:
        ``text`` itself when it is an id, else None.
    """
    found = _ID.match(text)
    if found is None:
        return None
    section = found.group(1) or found.group(3) or found.group(5)
    return text if section and int(section) >= 1 else None


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where the id, requirement and answer columns are in one table."""

    width: int
    id: int | None
    requirement: int
    answer: int | None

    @classmethod
    def from_layout(cls, layout: Layout | None, width: int) -> _Columns:
        """_Columns from a header layout; without one, guess "id | requirement | ..."."""
        if layout is None:
            return cls(
                width=width,
                id=0 if width > 2 else None,
                requirement=1 if width > 2 else 0,
                answer=None,
            )
        roles = layout.roles
        return cls(
            width=len(roles),
            id=roles.index("id") if "id" in roles else None,
            requirement=roles.index("requirement"),
            answer=roles.index("answer") if "answer" in roles else None,
        )


def _fit_fields(fields: tuple[str, ...], cols: _Columns) -> tuple[str, ...]:
    """Bring a line's cells to the table width.

    * one field too many, the first two short: an id split in two ("1." | "-"), joined;
    * trailing empty fields beyond the width are dropped; other surplus joins the last cell;
    * one field too few (a page extracted with a column fewer): when the text in the answer
      slot is not an answer, the answer cell is the one missing, so a blank is inserted.
    """
    width = cols.width
    if len(fields) == width + 1 and len(fields[0]) <= 4 and len(fields[1]) <= 4:
        fields = (" ".join(f for f in fields[:2] if f), *fields[2:])
    if len(fields) > width:
        surplus = fields[width - 1 :]
        fields = (*fields[: width - 1], clean_cell(" ".join(surplus)))
    if len(fields) < width:
        a = cols.answer
        if a is not None and a < len(fields) and fields[a] and not is_answer(fields[a]):
            fields = (*fields[:a], "", *fields[a:])
        fields = fields + ("",) * (width - len(fields))
    return fields[:width]


@dataclass
class _RowBuilder:
    """Cells of one row being assembled from lines (mutable, local to the reader)."""

    parts: list[list[str]]
    lines: list[TextLine]
    section: str | None
    stitched: bool = False

    @classmethod
    def start(cls, lines: Sequence[TextLine], width: int, section: str | None) -> _RowBuilder:
        row = cls([[] for _ in range(width)], [], section)
        for line in lines:
            row.add(line, None)
        return row

    def add(self, line: TextLine, id_col: int | None) -> None:
        if self.lines and line.gap_before:
            self.stitched = True
        for col, text in enumerate(line.fields[: len(self.parts)]):
            if not text:
                continue
            if col == id_col and self.cell(col) and re.fullmatch(r"[\d.\s\-–]+", text):
                continue  # a stray id fragment on a continuation line ("0.20")
            self.parts[col].append(text)
        self.lines.append(line)

    def cell(self, col: int) -> str:
        return clean_cell(" ".join(self.parts[col]))

    def cells(self) -> tuple[str, ...]:
        return tuple(self.cell(c) for c in range(len(self.parts)))


class _Vocabulary:
    """Word counts of the document plus the Code texts, to judge OCR readings."""

    def __init__(self, lines: Sequence[TextLine]) -> None:
        words: Counter[str] = Counter()
        for line in lines:
            words.update(_WORD.findall(line.text.lower()))
        for provision in load_reference().provisions:
            words.update(_WORD.findall(provision.requirement_text.lower()))
        self.words = words
        self.corpus = "\n".join(" ".join(f.lower().split()) for ln in lines for f in ln.fields)

    def quality(self, text: str) -> float:
        """Mean log-frequency of the words: garbled OCR words are rare."""
        found = _WORD.findall(text.lower())
        return sum(math.log1p(self.words[w]) for w in found) / len(found) if found else 0.0

    def attested(self, left: str, right: str) -> bool:
        """The words around a join occur together elsewhere in the document."""
        if not left or not right:
            return False
        key = " ".join(
            [*left.lower().split()[-JUNCTION_WORDS:], *right.lower().split()[:JUNCTION_WORDS]]
        )
        return key in self.corpus


def _near_duplicate(a: TextLine, b: TextLine, cols: _Columns) -> bool:
    """Two consecutive readings of one visual line (OCR): the requirement cells agree
    closely and no other pair of filled cells disagrees."""
    r = cols.requirement
    if not (a.fields[r] and b.fields[r]) or (
        cols.id is not None and a.fields[cols.id] and b.fields[cols.id]
    ):
        return False
    strong = False
    for col in range(cols.width):
        if col in (cols.id, cols.answer):
            continue
        x, y = a.fields[col], b.fields[col]
        if not (x and y):
            continue
        ratio = fuzz.ratio(x, y)
        if ratio < 60:
            return False
        strong = strong or (ratio >= 70 and min(len(x), len(y)) >= 15)
    return strong


def _merge_readings(a: TextLine, b: TextLine, cols: _Columns, vocab: _Vocabulary) -> TextLine:
    """One line from two readings, each cell from the better one: the answer that is a
    real answer word, the text whose words are more common in the document and the Code."""
    fields: list[str] = []
    for col, (x, y) in enumerate(zip(a.fields, b.fields, strict=True)):
        if not (x and y):
            fields.append(x or y)
        elif col == cols.answer:
            fields.append(y if is_answer(y) and not is_answer(x) else x)
        else:
            fields.append(x if vocab.quality(x) > vocab.quality(y) else y)
    return TextLine(b.number, tuple(fields), tabbed=True, gap_before=a.gap_before)


@dataclass
class _Table:
    """One table being read (mutable, local to the reader)."""

    index: int
    header: tuple[str, ...]
    cols: _Columns
    layout: Layout | None
    rows: list[_RowBuilder] = field(default_factory=list)
    pending: list[TextLine] = field(default_factory=list)
    current: _RowBuilder | None = None


class _Reader:
    """Walks the lines once, keeping the heading in force and the open table."""

    def __init__(self, lines: Sequence[TextLine]) -> None:
        self.lines = lines
        self.vocab = _Vocabulary(lines)
        self.levels: dict[str, str | None] = {"section": None, "obligation": None, "stage": None}
        self.heading_since_table = False
        # The header row repeated with no heading before it: a page break, unless the ids
        # start again (see ``restart``).
        self.repeat_header = False
        self.force_gap = False
        self.last_id: str | None = None
        self.table: _Table | None = None
        self.last_header: tuple[str, ...] = ()
        self.tables = 0
        self.set_aside = 0
        self.rows: list[Row] = []

    # -- headings ---------------------------------------------------------------------
    def section(self) -> str | None:
        parts = [v for v in self.levels.values() if v]
        return " / ".join(parts) if parts else None

    def heading(self, kind: str, text: str) -> None:
        text = re.sub(r"^\W+", "", text)
        glued = _GLUED_OBLIGATION.match(text) if kind == "section" else None
        if glued:  # "Section 2 - Accessibility Mandatory 'must' requirements"
            self.heading("section", glued.group(1))
            self.heading("obligation", glued.group(2))
            return
        self.levels[kind] = text
        if kind == "section":
            self.levels["obligation"] = self.levels["stage"] = None
        elif kind == "obligation":
            self.levels["stage"] = None
        self.heading_since_table = True
        self.repeat_header = False

    # -- tables -----------------------------------------------------------------------
    def open_table(self, header: tuple[str, ...], layout: Layout | None, width: int) -> None:
        self.close_table()
        if not self.heading_since_table and self.tables:
            # A new table with no heading of its own: the sub-heading above the previous
            # table (e.g. a "must" heading when the "should" heading is missing) is unknown.
            self.levels["obligation"] = self.levels["stage"] = None
        self.heading_since_table = False
        cols = _Columns.from_layout(layout, width)
        self.table = _Table(self.tables, header, cols, layout)
        self.tables += 1
        if header:
            self.last_header = header

    def close_table(self) -> None:
        table = self.table
        if table is None:
            return
        self.finish_pending(table)
        if table.current is not None:
            table.rows.append(table.current)
            table.current = None
        self.table = None
        if not table.rows:
            return
        if not self.is_assessment(table):
            self.set_aside += 1
            return
        for index, row in enumerate(table.rows):
            self.rows.append(
                Row(
                    page=None,
                    table_index=table.index,
                    row_index=index,
                    cells=row.cells(),
                    header=table.header,
                    section=row.section,
                    stitched=row.stitched,
                )
            )

    @staticmethod
    def is_assessment(table: _Table) -> bool:
        """A self-assessment table has a recognised header, provision ids or answers."""
        if table.layout is not None:
            return True
        cols = table.cols
        cells = [row.cells() for row in table.rows]
        if cols.id is not None and any(provision_id(c[cols.id]) for c in cells):
            return True
        answers = sum(1 for c in cells if any(is_answer(x) for x in c))
        return answers >= max(1, len(cells) // 2)

    # -- rows -------------------------------------------------------------------------
    def finish_pending(self, table: _Table) -> None:
        """Lines left before a table ends continue the current row (or make one)."""
        if not table.pending:
            return
        if table.current is None:
            table.current = _RowBuilder.start(table.pending, table.cols.width, self.section())
        else:
            for line in table.pending:
                table.current.add(line, table.cols.id)
        table.pending.clear()

    def split_point(self, table: _Table, nxt: TextLine) -> int:
        """How many pending id-less lines continue the current row; the rest open the row
        whose id is on ``nxt`` (its label is vertically centred below its first lines)."""
        pending, row, cols = table.pending, table.current, table.cols
        k = len(pending)
        if row is None or k == 0:
            return 0
        req = nxt.fields[cols.requirement]
        if req and _CONTINUES.match(req):
            for j in range(k - 1, -1, -1):
                text = pending[j].fields[cols.requirement]
                if text and _STARTS_SENTENCE.match(text):
                    return j
        if cols.answer is not None and row.cell(cols.answer):
            for j, line in enumerate(pending):
                if is_answer(line.fields[cols.answer]):
                    return j
        skip = {cols.id, cols.answer}
        texts = [c for c in range(cols.width) if c not in skip]

        def score(s: int) -> int:
            total = 0
            for c in texts:
                left_part = " ".join(p.fields[c] for p in pending[:s] if p.fields[c])
                right_part = " ".join(p.fields[c] for p in pending[s:] if p.fields[c])
                if s > 0:
                    total += self.vocab.attested(row.cell(c), left_part)
                if s < k:
                    total += self.vocab.attested(right_part, nxt.fields[c])
            return total

        # Candidate splits: all to the next row, or at a page break (bounded cost).
        breaks = [s for s in range(k - 1, 0, -1) if pending[s].gap_before]
        candidates = [*breaks[:20], 0]
        best, best_score = k, score(k)
        for s in candidates:
            current = score(s)
            if current > best_score:
                best, best_score = s, current
        return best

    def add_data(self, line: TextLine) -> None:
        table = self.table
        if table is None:
            width = len(line.fields)
            layout = header_layout(self.last_header) if len(self.last_header) == width else None
            self.open_table(self.last_header if layout else (), layout, width)
            table = self.table
            assert table is not None
        cols = table.cols
        gap = line.gap_before or self.force_gap
        self.force_gap = False
        line = TextLine(line.number, _fit_fields(line.fields, cols), True, gap)
        has_id = cols.id is not None and provision_id(line.fields[cols.id]) is not None
        if has_id and table.current is not None and cols.id is not None:
            # The label printed again on the row's next line is not a new row.
            has_id = line.fields[cols.id] != table.current.cell(cols.id)
        if table.pending and _near_duplicate(table.pending[-1], line, cols):
            line = _merge_readings(table.pending.pop(), line, cols, self.vocab)
        if cols.id is None:
            self.add_idless(table, line)
            return
        if has_id and self.repeat_header:
            table = self.restart(table, line.fields[cols.id])
        if not has_id:
            if table.current is None and not table.pending and not line.fields[cols.requirement]:
                return  # debris before the first row
            table.pending.append(line)
            return
        s = self.split_point(table, line)
        if table.current is not None:
            for extra in table.pending[:s]:
                table.current.add(extra, cols.id)
            table.rows.append(table.current)
        table.current = _RowBuilder.start([*table.pending[s:], line], cols.width, self.section())
        self.last_id = line.fields[cols.id]
        table.pending.clear()

    def restart(self, table: _Table, first_id: str) -> _Table:
        """At the first id after a repeated header: ids that go on mean the same table
        continues on a new page; ids that go back (1.9 -> 1.4) mean a new table whose
        heading is missing (the "should" table after the "must" one)."""
        self.repeat_header = False
        if not _goes_back(self.last_id, first_id):
            return table
        carried = list(table.pending)
        table.pending.clear()
        self.open_table(table.header, table.layout, table.cols.width)  # resets sub-headings
        assert self.table is not None
        self.table.pending.extend(carried)
        return self.table

    def add_idless(self, table: _Table, line: TextLine) -> None:
        """Forms without ids (one row per line): a row starts at a filled answer or at a
        requirement that starts a sentence; anything else continues the row above."""
        cols = table.cols
        req = line.fields[cols.requirement]
        answer = line.fields[cols.answer] if cols.answer is not None else ""
        starts = bool(req) and (bool(answer) or not _CONTINUES.match(req))
        if table.current is None or starts:
            if table.current is not None:
                table.rows.append(table.current)
            table.current = _RowBuilder.start([line], cols.width, self.section())
        else:
            table.current.add(line, None)

    # -- lines ------------------------------------------------------------------------
    def header_layout_of(self, fields: tuple[str, ...]) -> Layout | None:
        filled = [f for f in fields if f]
        if len(filled) < 2 or any(
            len(f) > 60 or len(f.split()) > 8 or f.endswith(".") or provision_id(f) for f in filled
        ):
            return None
        if sum(header_cell_role(f) != "other" for f in filled) < 2:
            return None
        return header_layout(fields)

    def band(self, line: TextLine) -> str | None:
        """A full-width band or heading row inside a table: its text, else None."""
        fields = line.fields
        filled = [i for i, f in enumerate(fields) if f]
        if not filled:
            return None
        if filled == [0] and (heading_kind(fields[0]) or self.table is None):
            return fields[0]
        if filled == [0, 1] and _BARE_NUMBER.match(fields[0]) and len(fields[1]) <= 80:
            return f"{fields[0]} {fields[1]}"  # 2020 form: "2 | Accessibility"
        joined = line.text
        if _SECTION.match(joined) and all(len(fields[i]) <= 30 for i in filled):
            return joined  # a heading split into cells ("Section | 8: | Putting | ...")
        return None

    def merge_header(self, index: int, header: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
        """Join a header continued on the next line ("Code" / "section", "Comply:" /
        "Yes/No"); returns the header and how many lines it used."""
        if index + 1 >= len(self.lines):
            return header, 1
        nxt = self.lines[index + 1]
        if (
            not nxt.tabbed
            or len(nxt.fields) > len(header)
            or all(_SEPARATOR.match(f) for f in nxt.fields)
        ):
            return header, 1
        merged = list(header)
        for i, text in enumerate(nxt.fields):
            if not text:
                continue
            if len(text) > 25 or provision_id(text) or heading_kind(text) or not header[i]:
                return header, 1
            joined = f"{header[i]} {text}"
            if header_cell_role(joined) == "other":
                return header, 1
            merged[i] = joined
        return (tuple(merged), 2) if merged != list(header) else (header, 1)

    def run(self) -> None:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            index += 1
            if all(_SEPARATOR.match(f) for f in line.fields):
                continue
            if not line.tabbed:
                self.plain(line)
                continue
            width = self.table.cols.width if self.table else len(line.fields)
            filled = [f for f in line.fields if f]
            if (
                len(line.fields) > width + 1
                and all(len(f) <= 20 for f in filled)
                and not _SECTION.match(line.text)
            ):
                continue  # debris of a garbled heading ("- I | | - |")
            layout = self.header_layout_of(line.fields)
            if layout is not None:
                header, used = self.merge_header(index - 1, line.fields)
                index += used - 1
                layout = header_layout(header) or layout
                table = self.table
                if table is not None and header == table.header and not self.heading_since_table:
                    # Lines above a repeated header belong to the row above it.
                    self.finish_pending(table)
                    self.repeat_header = self.force_gap = True
                    continue
                if _BARE_NUMBER.match(header[0]) and header[1]:
                    self.heading("section", f"{header[0]} {header[1]}")
                self.open_table(header, layout, len(header))
                continue
            text = self.band(line)
            if text is not None:
                self.heading(heading_kind(text) or "section", text)
                if self.table is not None and self.table.current is not None:
                    self.finish_pending(self.table)
                continue
            self.add_data(line)
        self.close_table()

    def plain(self, line: TextLine) -> None:
        """A line without TABs: a fused header or row, a heading, or prose."""
        text = line.fields[0]
        if FUSED_ID.match(text):
            roles = self.table.layout.roles if self.table and self.table.layout else None
            cells = split_fused_row(text, roles or _DEFAULT_FUSED)
            if cells is not None:
                if self.table is None:
                    layout = Layout(roles or _DEFAULT_FUSED)
                    self.open_table((), layout, len(layout.roles))
                self.add_data(TextLine(line.number, cells, True, line.gap_before))
                return
        parts = split_fused_header(text)
        header = self.header_layout_of(parts) if len(parts) >= 3 else None
        if header is not None:
            self.open_table(parts, header, len(parts))
            return
        kind = heading_kind(text)
        self.close_table()
        if kind is not None:
            self.heading(kind, text)


# Column roles assumed for fused rows when no (fused) header says otherwise: the 2022/2024
# form.
_DEFAULT_FUSED: tuple[Role, ...] = ("id", "requirement", "answer", "evidence", "commentary")


def lines_to_rows(lines: Sequence[TextLine]) -> tuple[tuple[Row, ...], int]:
    """Assemble table rows from logical lines.

    Args:
        lines: from :func:`text_to_lines`.

    Returns:
        (rows in document order, number of tables set aside as not self-assessment).
    """
    reader = _Reader(lines)
    reader.run()
    return tuple(reader.rows), reader.set_aside


def title_lines(text: str, limit: int = TITLE_LINES) -> tuple[str, ...]:
    """The first non-empty lines, cleaned (for landlord and year inference).

    Args:
        text: the decoded file.
        limit: how many lines.

    Returns:
        Up to ``limit`` lines.
    """
    out: list[str] = []
    for raw in text.splitlines():
        cleaned = clean_cell(raw)
        if cleaned:
            out.append(cleaned)
        if len(out) >= limit:
            break
    return tuple(out)


def read_text(path: Path) -> Extraction:
    """Read a text export (.txt/.md) into table rows.

    Args:
        path: the file.

    Returns:
        Extraction with format "text", pages None, rows with page None.

    Raises:
        EmptyFileError: the file holds no text.
        ReadError: the file cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(
            f"{path}: cannot be read ({err.strerror}).", "Check the path and permissions."
        ) from err
    text = decode_text(data)
    if not text.strip():
        raise EmptyFileError(
            f"{path}: the file is empty (no text).",
            "Export the self-assessment again; the original was probably not saved.",
        )
    rows, set_aside = lines_to_rows(text_to_lines(text))
    return Extraction(
        path=str(path),
        format="text",
        pages=None,
        rows=rows,
        title_lines=title_lines(text),
        tables_set_aside=set_aside,
    )
