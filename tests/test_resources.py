"""pipeline/resources.py: a worker's peak memory, reported as it grows, and its ceiling."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.resources import MEMORY_EXIT_CODE, read_peak, watch_memory


def test_peak_covers_memory_freed_before_the_end(tmp_path: Path) -> None:
    report = tmp_path / "peak"
    with watch_memory(None, report) as peak:
        before = read_peak(report)
        block = b"x" * (120 << 20)
        import time

        time.sleep(0.1)
        del block
    assert before is not None and peak.mb >= before + 100
    assert read_peak(report) == peak.mb


def test_crossing_the_ceiling_ends_the_process_with_its_code(tmp_path: Path) -> None:
    report = tmp_path / "peak"
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from pipeline.resources import watch_memory\n"
        "with watch_memory(150, Path(sys.argv[1])):\n"
        "    hold = []\n"
        "    for _ in range(100):\n"
        "        hold.append(b'x' * (10 << 20))\n"
        "        time.sleep(0.02)\n"
        "print('not stopped')\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True, text=True)
    assert done.returncode == MEMORY_EXIT_CODE and "not stopped" not in done.stdout
    peak = read_peak(report)
    assert peak is not None and 150 < peak < 400
