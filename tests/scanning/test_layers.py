"""Scanning is domain code: the Qt scan dialog sits on top of it, never inside it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "mediation_desk" / "scanning"
MODULES = sorted(f"mediation_desk.scanning.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def test_no_scanning_module_imports_qt_in_its_source() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                if node.level and (node.module or "").split(".")[0] == "ui":
                    names.append("PySide6")
            else:
                continue
            if any(name.split(".")[0] in ("PySide6", "shiboken6") for name in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_importing_scanning_and_attachments_loads_no_qt() -> None:
    assert "mediation_desk.scanning.backends" in MODULES
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in [*MODULES, "mediation_desk.services.attachments"])
        + "print(','.join(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_attachment_service_does_not_load_the_image_stack() -> None:
    # The service checks content with the cheap sniffer only: saving a registration must not pay
    # for importing Pillow, img2pdf or pikepdf.
    code = (
        "import sys\nimport mediation_desk.services.attachments\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('PIL', 'img2pdf', 'pikepdf', 'pypdf'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
