"""Text-export reader (.txt/.md): tab, pipe, cell-per-line, label/value and fused web copy.

``read_text`` (``reader.py``) decodes the bytes (``decode.py``), turns the text into
logical lines (``lines.py`` and the per-family modules) and assembles table rows
(``rows.py``, ``table.py``).
"""

from pipeline.extract.text.reader import read_text

__all__ = ["read_text"]
