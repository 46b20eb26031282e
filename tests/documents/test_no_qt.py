"""The documents package is domain code: it must run where there is no Qt at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "mediation_desk" / "documents"


def test_importing_and_rendering_loads_no_qt() -> None:
    modules = sorted(f"mediation_desk.documents.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert "mediation_desk.documents.receipt" in modules
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "from tests.documents.test_receipt import _data\n"
        + "mediation_desk.documents.receipt.render_receipt(_data())\n"
        + "print(','.join(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))))\n"
    )
    root = PACKAGE.parents[1]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert result.stdout.strip() == ""
