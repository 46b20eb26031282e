"""The small demo the walking benches' tests share (tests/test_bench_screens.py,
tests/test_bench_dialogs.py): one file each, so the two walks run side by side on two workers."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Seconds with nothing pending before a step counts as done (bench/screens.py ``--quiet``): the
#: walks' figures are not judged here, only what they walk, so the bench's 0.3 s (two of them per
#: step, ~180 steps a walk) need not be waited out.
QUIET = "0.05"


def bench_env(home: Path) -> dict[str, str]:
    return {**os.environ, "MEDIATION_DESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}


def small_demo(folder: Path) -> Path:
    """A 300-case demo a bench copies (never writes)."""
    source = folder / "demo.sqlite3"
    subprocess.run([sys.executable, "-m", "mediation_desk", "--database", f"sqlite:///{source}", "demo",
                    "--cases", "300", "--unencrypted"],
                   env=bench_env(folder / "home"), capture_output=True, text=True, timeout=600, check=True)
    return source


def shared_small_demo(factory: pytest.TempPathFactory) -> Path:
    """:func:`small_demo`, made once for the whole run: the walks only copy it (``--copy``), and
    making it is ~6 s of CPU. Under pytest-xdist the workers' temporary folders share the run's
    root, where the first test to ask makes it while holding a lock and the others wait for it."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder = root / "walk-demo"
    with (root / "walk-demo.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (folder / "made").exists():
                folder.mkdir(exist_ok=True)
                small_demo(folder)
                (folder / "made").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder / "demo.sqlite3"


def table(stdout: str) -> tuple[str, list[list[str]]]:
    lines = stdout.splitlines()
    header = next(line for line in lines if line.startswith("role"))
    return header, [line.split("|") for line in lines[lines.index(header) + 1:] if line.count("|") >= 6]
