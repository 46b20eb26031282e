"""bench/list_refresh.py (a case page opened while the case list refreshes or counts) keeps running
as the code moves, and prints each kind's figures for each version (they are read by people)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_list_refresh_bench_runs_on_a_small_demo(tmp_path: Path) -> None:
    env = {**os.environ, "MEDIATION_DESK_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    source = tmp_path / "demo.sqlite3"
    subprocess.run([sys.executable, "-m", "mediation_desk", "--database", f"sqlite:///{source}", "demo",
                    "--cases", "300", "--unencrypted"],
                   env=env, capture_output=True, text=True, timeout=600, check=True)
    # The same checkout as "another version": both are launched, in turn.
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "list_refresh.py"), "--source", str(source),
         "--copy", str(tmp_path / "copy" / "demo.sqlite3"), "--runs", "1", "--rounds", "1", "--users", "head",
         "--baseline", str(ROOT)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("user"))
    for column in ("page opened", "page CPU", "round CPU", "count came", "page before count"):
        assert column in header
    for version in ("this", "baseline"):
        for kind in ("alone", "refresh", "filter"):
            line = next(line for line in lines if line.split("|")[1:3] == [f" {version:8} ", f" {kind:7} "])
            figures = line.split("|")
            assert len(figures) == len(header.split("|")), line
            assert "nan" not in figures[3], line  # the page was opened and timed
            assert kind == "alone" or "nan" not in figures[6], line  # the count came
    assert any(line.startswith("load average at start") for line in lines)
