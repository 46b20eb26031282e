"""The small demo the walking benches' tests share (tests/test_bench_screens.py,
tests/test_bench_dialogs.py): one file each, so the two walks run side by side on two workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def table(stdout: str) -> tuple[str, list[list[str]]]:
    lines = stdout.splitlines()
    header = next(line for line in lines if line.startswith("role"))
    return header, [line.split("|") for line in lines[lines.index(header) + 1:] if line.count("|") >= 6]
