"""bench/first_documents.py (the first document of a session against the second) keeps running as
the code moves, and makes each document twice through the window's own buttons."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .benchwalk import QUIET, ROOT, bench_env, shared_small_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_small_demo(tmp_path_factory)


@pytest.mark.slow
def test_the_first_documents_bench_makes_each_document_twice_and_times_the_warm_up(demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy" / "first-docs.sqlite"
    booked = sessions_in(demo)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "first_documents.py"), "--source", str(demo), "--copy", str(copy),
         "--runs", "1", "--quiet", QUIET],
        env=bench_env(tmp_path / "home"), capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    rows = {line.split("|")[0].strip(): [cell.strip() for cell in line.split("|")[1:]]
            for line in out.splitlines() if line.count("|") == 7}
    for label in ("打印通知书", "文书 › 调解协议书", "受理回执"):
        checkout, runs, to_data, job_cpu = rows[label][:4]
        assert checkout == "branch" and runs == "1"
        first, second = (float(value) for value in to_data.split(" / "))
        assert first > 0 and second > 0
        # The PDF was made by a slow-lane job each time (its thread's CPU).
        assert all(float(value) > 0 for value in job_cpu.split(" / ")), rows[label]
    assert "the after-rows warm-up of the sections" in out and "the after-rows warm-up of the documents" in out
    # The notices' session was booked into the copy; the source is only read.
    assert "booked a session of case #" in out
    assert sessions_in(copy) == booked + 1 and sessions_in(demo) == booked


def sessions_in(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as database:
        return int(database.execute("SELECT count(*) FROM mediation_session").fetchone()[0])
