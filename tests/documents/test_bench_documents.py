"""The documents benchmark keeps running as the code moves (its figures are read by people)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .. import clock
from .casefile import STORY_DAY

BENCH = Path(__file__).resolve().parents[2] / "bench" / "documents.py"


@pytest.mark.slow
def test_documents_benchmark_runs_small(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--repeat", "2", "--repeat-dossier", "1", "--pages", "3", "--dpi", "150",
         "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False, cwd=BENCH.parents[1],
        env=clock.environment_at(STORY_DAY),  # the bench prints the document tests' March 2026 case
    )
    assert result.returncode == 0, result.stderr
    assert "agreement PDF" in result.stdout
    assert "dossier with 3 scanned pages at 150 dpi" in result.stdout
    assert (tmp_path / "agreement.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "dossier.pdf").read_bytes().startswith(b"%PDF")
