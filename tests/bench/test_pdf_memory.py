"""The PDF's peak memory is the child process's own (bench/pdf.py).

On Linux a process started with fork and exec reports, as its ``getrusage`` peak, the peak
of the process that forked it when that is larger: the benchmark once printed 555 MB for a
render that peaks at 143 MB alone. The child reads ``VmHWM`` from /proc/self/status instead.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARENT_MB = 300
CHILD = (
    "import json, resource; from bench.pdf import peak_rss_mb; "
    "print(json.dumps([peak_rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/status and ru_maxrss as on Linux")
def test_a_fresh_child_reports_its_own_peak_not_its_parents() -> None:
    import json

    ballast = bytearray(PARENT_MB * 2**20)
    ballast[:: 2**12] = b"\1" * len(ballast[:: 2**12])  # touch every page: resident, not only reserved
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 >= PARENT_MB

    completed = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, check=True)
    own, inherited = json.loads(completed.stdout)
    del ballast

    assert own < PARENT_MB / 3  # an interpreter that imported little
    # Negative control: what the benchmark read before, the parent's peak carried across exec.
    assert inherited >= PARENT_MB
