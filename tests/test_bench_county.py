"""The county benchmark (bench/county.py, issue 21 item 6) keeps running as the code moves: a small
county through every code path of the full run, each figure printed (read by people, not timed here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from . import pgserver

BENCH = Path(__file__).resolve().parents[1] / "bench" / "county.py"

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]


def test_county_benchmark_runs_small() -> None:
    if pgserver.find_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries not installed")
    env = dict(os.environ)  # under the switch the bench and its servers run at the suite's instant
    result = subprocess.run(
        [sys.executable, str(BENCH), "--centers", "3", "--cases-per-center", "200", "--repeat", "1",
         "--writes", "6", "--explain-all"],
        capture_output=True, text=True, timeout=600, check=False, cwd=BENCH.parents[1], env=env,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "3 centers (1 county, 2 townships, 0 villages)" in out
    assert "filled: 600 cases, 1,200 parties" in out
    for figure in ("township clerk: case list, first rows", "township head: case list, first rows",
                   "township clerk: case list, its count", "search two-character word", "search two-character name",
                   "search three-character name", "county head: dashboard 2026-11, all 3 centers",
                   "county head: dashboard 2026-11, one township"):
        lines = [line for line in out.splitlines() if line.startswith(("township", "county")) and figure in line]
        assert len(lines) == 1 and " median " in lines[0] and " worst " in lines[0], figure
        assert f"--- EXPLAIN of {lines[0].split(' median ')[0].strip()}" in out, figure
    assert "(50 rows)" in out and "Execution Time" in out
    assert "city: first copy of 600 cases" in out
    assert "lag county commit -> city row over 6 writes" in out and "worst" in out
    assert out.count("up ") >= 2  # the machine's load before and after
