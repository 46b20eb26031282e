"""The head's-desk benchmark keeps running as the code moves (its figures are read by people)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "head.py"


@pytest.mark.slow
def test_head_benchmark_runs_small(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--cases", "200", "--repeat", "1", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False, cwd=BENCH.parents[1],
    )
    assert result.returncode == 0, result.stderr
    assert "publicity list PDF, 200 cases" in result.stdout
    assert "plain canvas drawString" in result.stdout and "ratio" in result.stdout
    assert (tmp_path / "publicity.pdf").read_bytes().startswith(b"%PDF")
