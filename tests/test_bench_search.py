"""bench/search.py keeps running as the code moves (its figures are read by people, not here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.slow
def test_search_benchmark_runs_on_a_small_sqlite_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "search.py"), "--cases", "20000", "--no-postgresql",
         "--database", str(tmp_path / "s.sqlite3")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "SQLite search index: built in" in out and "× the base database" in out
    for what in ("2-char name", "3-char word", "rare term", "phone tail", "special"):
        assert f"  {what}" in out
    # The same search finds as many cases as a plain LIKE, except where LIKE reads % as a wildcard.
    line = next(line for line in out.splitlines() if line.strip().startswith("3-char word"))
    ours, like = line.split("|")
    assert ours.split()[-1] == like.split("(")[1].split(")")[0]
