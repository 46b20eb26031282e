"""bench/startup.py's checks of its arguments (the launches themselves are measured, not tested)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "bench" / "startup.py"), "--offscreen", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_a_missing_baseline_folder_is_refused_before_anything_is_launched(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = run_bench("--baseline", str(tmp_path / "no-such-checkout"), "--home", str(home))
    assert done.returncode != 0
    assert "--baseline" in done.stderr and "no such folder" in done.stderr
    assert not home.exists()  # no demo desk made, no launch


def test_a_baseline_folder_without_the_app_is_refused(tmp_path: Path) -> None:
    (tmp_path / "checkout").mkdir()
    home = tmp_path / "home"
    done = run_bench("--baseline", str(tmp_path / "checkout"), "--home", str(home))
    assert done.returncode != 0
    assert "not a checkout of the app" in done.stderr
    assert not home.exists()


def test_a_checkout_is_accepted_as_the_baseline() -> None:
    spec = importlib.util.spec_from_file_location("startup_bench", ROOT / "bench" / "startup.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.baseline_root(ROOT) == ROOT
