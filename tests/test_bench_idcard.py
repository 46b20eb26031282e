"""bench/idcard.py keeps running as the reader moves (its figures are read by people, not here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_id_card_benchmark_runs_on_a_few_cards() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "idcard.py"), "--cards", "3"],
                            capture_output=True, text=True, timeout=600, check=False, env=env)
    assert result.returncode == 0, result.stderr
    for figure in ("time per card", "CPU time per card", "fields exact: ", "ID numbers exact or flagged: 3/3",
                   "fields wrong and not flagged"):
        assert figure in result.stdout
