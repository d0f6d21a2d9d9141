"""pipeline/resources.py: a worker's peak memory, reported as it grows, and its ceiling."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pipeline.resources import MEMORY_EXIT_CODE, read_report, watch_memory


def test_peak_covers_memory_freed_before_the_end(tmp_path: Path) -> None:
    report = tmp_path / "peak"
    started = time.time()
    with watch_memory(None, report) as peak:
        before = read_report(report)
        block = b"x" * (120 << 20)
        time.sleep(0.1)
        del block
    after = read_report(report)
    assert before is not None and peak.mb >= before.peak_mb + 100
    assert after is not None and after.peak_mb == peak.mb
    assert started - 0.01 <= after.started <= started + 1 and after.seconds() >= 0.1


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
    written = read_report(report)
    assert written is not None and 150 < written.peak_mb < 400
