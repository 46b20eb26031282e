"""The benchmarks keep running as the code moves (their figures are read by people, not here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.slow
def test_caselist_benchmark_runs_on_a_small_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "caselist.py"), "--cases", "3000", "--database", str(tmp_path / "b.sqlite3")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    for figure in ("cases/s", "time to first rows", "jump to the last row", "re-sort by received date",
                   "peak RSS"):
        assert figure in result.stdout
    assert "case list rows:           3,000" in result.stdout


@pytest.mark.slow
def test_cards_benchmark_runs_on_a_small_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "cards.py"), "--cases", "400", "--runs", "2",
         "--database", str(tmp_path / "cards.sqlite3")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    for figure in ("first check:", "repeated check (nothing due):", "desk cards and requests:", "departments' month:"):
        assert figure in result.stdout


@pytest.mark.slow
def test_briefing_steps_benchmark_runs_on_a_small_demo(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite"
    made = subprocess.run([sys.executable, "-m", "mediation_desk", "--database", f"sqlite:///{database}", "demo",
                           "--cases", "300", "--unencrypted"], capture_output=True, text=True, timeout=600, check=False)
    assert made.returncode == 0, made.stderr
    result = subprocess.run([sys.executable, str(BENCH / "briefing_steps.py"), "--database", str(database),
                             "--rounds", "1", "--views", "1"], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "first page painted" in result.stdout and "all shown" in result.stdout and "briefing.load" in result.stdout
    # The first page's statements timed in the service alone, on the same demo.
    result = subprocess.run([sys.executable, str(BENCH / "briefing_overview.py"), "--database", str(database),
                             "--rounds", "1", "--runs", "2"], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "page " in result.stdout and "carded " in result.stdout and "overdue " in result.stdout
    # The graded list's first-蓝 walk alone, and the graded list in the service.
    result = subprocess.run([sys.executable, str(BENCH / "briefing_first_blue.py"), "--database", str(database),
                             "--rounds", "1", "--runs", "1", "--lists", "1"],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " walk " in result.stdout and "first part" in result.stdout and "briefing.load" in result.stdout
    # The tab in the walk's window, read again, with the collector's passes and the lane's CPU.
    result = subprocess.run([sys.executable, str(BENCH / "briefing_walk.py"), "--copy", str(database),
                             "--refreshes", "1", "--passes", "--quiet", "0.05"],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "head 风险研判: data " in result.stdout and "head 风险研判 again (1): data " in result.stdout
    assert "collector generation 0: " in result.stdout


@pytest.mark.slow
def test_admin_benchmark_runs_on_a_small_demo(tmp_path: Path) -> None:
    """bench/admin.py's steps through the real backup panel: the panel's show, 立即备份 with a save
    beside it, a restore's check and the restore, a truncated file refused."""
    database = tmp_path / "demo.sqlite"
    made = subprocess.run([sys.executable, "-m", "mediation_desk", "--database", f"sqlite:///{database}", "demo",
                           "--cases", "300", "--unencrypted"], capture_output=True, text=True, timeout=600, check=False)
    assert made.returncode == 0, made.stderr
    truncated = tmp_path / "truncated-20261207-120000-manual.sqlite3"
    truncated.write_bytes(database.read_bytes()[: database.stat().st_size // 2])
    result = subprocess.run([sys.executable, str(BENCH / "admin.py"), "--database", str(database), "--truncated",
                             str(truncated), "--rekey", "--steps", "show,backup,check,restore,refused"],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if line.startswith("branch")}
    assert set(lines) == {"show", "backup", "check", "restore", "refused"}, result.stdout
    assert not any('"failed"' in line for line in lines.values()), result.stdout
    assert '"save_wait_s"' in lines["backup"] and "已备份到" in lines["backup"]
    assert "正在做完整性检查" in lines["check"] and "不完整" in lines["refused"]
