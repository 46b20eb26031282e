"""The domain (models, services, documents, exchange, db, cli) never imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "mediation_desk"
DOMAIN = ["models", "services", "documents", "exchange"]


def _domain_files() -> list[Path]:
    files = [p for name in DOMAIN if (PACKAGE / name).exists() for p in (PACKAGE / name).rglob("*.py")]
    files += [PACKAGE / "db.py", PACKAGE / "settings.py", PACKAGE / "credentials.py", PACKAGE / "paths.py",
              *(PACKAGE / "cli").glob("*.py")]
    return files


def test_no_domain_module_imports_qt_in_its_source() -> None:
    offenders = []
    for path in _domain_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                if node.level and node.module and node.module.split(".")[0] == "ui":
                    # cli.py may start the app only through mediation_desk.ui.app, never ui directly
                    names.append("PySide6")
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}")
    assert offenders == []


def test_importing_the_domain_loads_no_qt() -> None:
    modules = ["mediation_desk.models", "mediation_desk.db", "mediation_desk.cli"] + [
        f"mediation_desk.services.{p.stem}" for p in (PACKAGE / "services").glob("*.py") if p.stem != "__init__"
    ]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
