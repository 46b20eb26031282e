"""bench/list_length.py (what a long case list's length costs the GUI thread, and the process's
memory) keeps running as the code moves, and prints each step's figures (they are read by people)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .benchwalk import ROOT, bench_env, shared_small_demo


@pytest.mark.slow
def test_the_list_length_bench_runs_on_a_small_demo(tmp_path_factory: pytest.TempPathFactory,
                                                    tmp_path: Path) -> None:
    copy = tmp_path / "copy" / "demo.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(shared_small_demo(tmp_path_factory), copy)  # the bench opens its copy as it is
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "list_length.py"), "--copy", str(copy), "--user", "clerk",
         "--rounds", "1"],
        env=bench_env(tmp_path / "home"), capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    steps = {line[:28].strip(): line for line in lines if "count → grown" in line}
    names = list(steps)
    assert names[0] == "the list opens" and names[-1] == "Ctrl+End", lines
    assert any(step.startswith("state: ") for step in steps) and "state: back to all" in steps, lines
    for line in steps.values():
        assert "stall" in line and "GUI CPU" in line and "MiB" in line, line
    opened = steps["the list opens"].split()
    rows = int(opened[opened.index("rows") + 1].replace(",", ""))
    assert rows > 0  # the demo's cases the clerk sees were listed and counted
    assert any(line.startswith("a screen's repaint (GUI CPU ms): top ") for line in lines), lines
