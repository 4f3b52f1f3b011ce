import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_swedish_catalogue_is_complete_and_compiled() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/check_messages.py"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
