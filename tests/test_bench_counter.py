"""bench/counter.py keeps running as the form moves (its figures are read by people, not here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "counter.py"


@pytest.mark.slow
@pytest.mark.gui
def test_counter_benchmark_registers_twice_by_keyboard(tmp_path: Path) -> None:
    # The file import path: no SANE set-up needed, and every registration is still read back.
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MEDIATION_DESK_ENCRYPTION": "off"}
    result = subprocess.run(
        [sys.executable, str(BENCH), "--rounds", "2", "--no-scanner", "--screenshot", str(tmp_path / "form.png")],
        capture_output=True, text=True, timeout=600, check=False, cwd=BENCH.parents[1], env=environment,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1 ID card (imported from a file)" in out
    for figure in ("keystrokes, 1st round:", "keystrokes, next rounds:", "wall time per registration:",
                   "save → ready for the next:"):
        assert figure in out
    form_keys = int(out.split("keystrokes, next rounds:")[1].split("(form ")[1].split()[0])
    assert form_keys > 0 and "pick in a list" in out and "save (Ctrl+S)" in out
    assert (tmp_path / "form.png").read_bytes().startswith(b"\x89PNG")
