"""DOCX and HTML readers: markup tables (and label/value blocks) -> rows.

Both formats are walked into the same raw table model (``tables.py``), so checkbox cells
(``checkbox.py``), section headings (``headings.py``), rows continued across tables
(``continuation.py``) and stacked label/value forms (``stacked.py``) are read once for both.
"""
