"""Stage 5: the sector benchmark.

``benchmark.py`` computes the figures from the database views (pure), ``display.py``
formats them for people, ``outline.py`` orders them into sections, ``charts.py`` draws
the inline SVG charts, ``render_html.py``/``render_md.py`` render, ``write.py`` writes.
"""

from pipeline.report.benchmark import Benchmark, compute_benchmark
from pipeline.report.write import write_report

__all__ = ["Benchmark", "compute_benchmark", "write_report"]
