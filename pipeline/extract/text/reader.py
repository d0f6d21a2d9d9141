"""Stage 1 reader for text exports (.txt/.md): file -> table rows with provenance.

Text exports of the self-assessment form come in several shapes:

* one table row per line, cells separated by TABs (PDF -> text) or Markdown pipes: a row
  may continue on following lines whose id cell is empty (page breaks, multi-paragraph
  cells), and its first lines may sit above the line holding its id (vertically centred
  labels);
* one cell per line, each cell opened by a leading TAB (DOCX -> text); converted to the
  first shape by :func:`cells_to_lines` (``text_cell_per_line``);
* "Label: value" records, one per provision (``text_key_value``);
* text copied from a web page, where a row's cells are fused ("...responding.YesThe
  policy..."); split with the Code's requirement texts in ``pipeline/extract/text/fused.py``.

The flow is ``path_to_text`` (``text_decode``) -> ``text_to_lines`` (``text_lines``) ->
``lines_to_rows`` (``text_rows``). Hand-written because no library parses these
half-structured exports; each rule is named after the defect it handles (see
tests/fixtures/text/). This module is the entry point and re-exports the public names of
those steps.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.anchors import complete_rows
from pipeline.extract.text.cell_per_line import cells_to_lines
from pipeline.extract.text.decode import TITLE_LINES, decode_text, path_to_text, title_lines
from pipeline.extract.text.labels import heading_kind, provision_id
from pipeline.extract.text.line import TextLine
from pipeline.extract.text.lines import text_to_lines
from pipeline.extract.text.reference_words import JUNCTION_WORDS
from pipeline.extract.text.rows import lines_to_rows
from pipeline.records import Extraction, PageText
from pipeline.textnorm import strip_markup

__all__ = [
    "JUNCTION_WORDS",
    "TITLE_LINES",
    "TextLine",
    "cells_to_lines",
    "decode_text",
    "heading_kind",
    "lines_to_rows",
    "provision_id",
    "read_text",
    "text_to_lines",
    "title_lines",
]


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
    text = path_to_text(path)
    rows, set_aside = lines_to_rows(text_to_lines(text))
    blocks = (PageText(page=None, text=strip_markup(text)),)
    return Extraction(
        path=str(path),
        format="text",
        pages=None,
        rows=complete_rows(rows, blocks, cells_marked=False),
        title_lines=title_lines(text),
        tables_set_aside=set_aside,
        text=blocks,
    )
