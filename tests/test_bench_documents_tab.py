"""The 文书-tab benchmark keeps running as the code moves (its figures are read by people)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "documents_tab.py"


@pytest.mark.slow
def test_documents_tab_benchmark_runs_on_a_small_demo(tmp_path: Path) -> None:
    env = {**os.environ, "MEDIATION_DESK_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    database = tmp_path / "demo.sqlite3"
    subprocess.run([sys.executable, "-m", "mediation_desk", "--database", f"sqlite:///{database}", "demo",
                    "--cases", "120", "--unencrypted"],
                   env=env, capture_output=True, text=True, timeout=600, check=True)
    result = subprocess.run([sys.executable, str(BENCH), "--database", str(database), "--runs", "2"],
                            env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"code: {ROOT / 'mediation_desk'}" in lines[0]
    rows = [line.split("|") for line in lines if line.startswith(("most entries", "most kinds"))]
    assert len(rows) == 2
    for row in rows:
        list_ms, list_cpu, floor_ms, floor_cpu = (float(cell) for cell in row[1:5])
        assert list_ms > 0 and list_cpu >= 0 and floor_ms > 0 and floor_cpu >= 0
        assert row[5].strip() in ("OK", "OVER BUDGET")
