"""bench/search_ui.py (issue 20 item 2: Enter → rows painted against the search service) keeps
running as the code moves, and prints every stage it times (its figures are read by people)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_search_paint_bench_runs_on_a_small_demo(tmp_path: Path) -> None:
    env = {**os.environ, "MEDIATION_DESK_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    source = tmp_path / "demo.sqlite3"
    subprocess.run([sys.executable, "-m", "mediation_desk", "--database", f"sqlite:///{source}", "demo",
                    "--cases", "1000", "--unencrypted"],
                   env=env, capture_output=True, text=True, timeout=600, check=True)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search_ui.py"), "--source", str(source),
         "--copy", str(tmp_path / "copy" / "demo.sqlite3"), "--runs", "1"],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("query"))
    for column in ("service", "rows in", "painted", "ratio", "GUI thread CPU", "reset", "window painted"):
        assert column in header
    for what in ("2-char name", "word", "rare name", "no hits"):
        line = next(line for line in lines if line.startswith(what))
        figures = line.split("|")
        assert len(figures) == len(header.split("|")), line
        assert "nan" not in figures[-1], line  # the window's paint after the rows was seen
    assert any(line.startswith("worst ratio") for line in lines)
    # The paint's floor: the list's repaint beside a bare Qt table holding the same cells.
    floor = lines.index(next(line for line in lines if line.startswith("One screen's paint")))
    header = lines[floor + 1]
    for column in ("list repaint", "Python calls a repaint", "bare C++ repaint", "bare first paint", "floor ratio"):
        assert column in header
    for what in ("2-char name", "word", "rare name", "no hits"):
        line = next(line for line in lines[floor:] if line.startswith(what))
        assert len(line.split("|")) == len(header.split("|")) and "nan" not in line, line
