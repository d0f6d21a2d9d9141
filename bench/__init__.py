"""Benchmarks of chc on a synthetic sector (``make bench``; not a test).

``python -m bench`` generates (or reuses) a seeded sector of documents with gold
(``corpus.builder.sector``), then measures on the same files: chc ingest at 1 and 2
workers, pdfplumber's ``extract_tables()`` on every PDF page (the naive approach),
the pypdfium2 text pass (the floor), accuracy against the generated gold, peak
memory per worker and the report's run time. Results go to ``reports/bench.md`` and
``reports/bench.json``. ``bench/bench_pdf.py`` compares the PDF page pre-filter with
parsing every page on the corpus annual reports.
"""
