"""Imports run one way, ``services → documents → readmodels → models``: no cycle is left for an
import order to trip over.

Each module of services, documents, readmodels and exchange is imported *first*, into an
interpreter where no ``mediation_desk`` module is loaded yet (one fresh subprocess; the package's
modules are dropped from ``sys.modules`` before each one), so a module that only imports when
something else was imported before it fails here, named.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mediation_desk.readmodels.statistics import Outcome
from mediation_desk.services.workflow import Action

PACKAGE = Path(__file__).resolve().parents[2] / "mediation_desk"
PACKAGES = ("services", "documents", "readmodels", "exchange")

IMPORT_EACH_FIRST = """
import importlib, json, sys, traceback
# The models and what they import are kept loaded between modules: they import nothing above them
# (test_import_graph), so they are the same whichever module imports them first, and making the
# mapped classes again for each of the ~150 modules was most of this check's time.
importlib.import_module("mediation_desk.models")
kept = {m for m in sys.modules if m == "mediation_desk" or m.startswith("mediation_desk.")}
failed = {}
for name in json.loads(sys.argv[1]):
    ours = [m for m in sys.modules if m == "mediation_desk" or m.startswith("mediation_desk.")]
    for loaded in [m for m in ours if m not in kept]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = "".join(traceback.format_exception_only(exc)).strip()
print(json.dumps(failed))
"""


def modules(package: str) -> list[str]:
    folder = PACKAGE / package
    names = [f"mediation_desk.{package}"]
    names += sorted(f"mediation_desk.{package}.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__")
    return names


def import_each_first(names: list[str]) -> dict[str, str]:
    result = subprocess.run([sys.executable, "-c", IMPORT_EACH_FIRST, json.dumps(names)],
                            capture_output=True, text=True, check=True)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_module_list_is_the_whole_of_the_four_packages() -> None:
    names = [name for package in PACKAGES for name in modules(package)]
    assert "mediation_desk.services.dossier" in names and "mediation_desk.readmodels.cases" in names
    assert len(names) > 60


@pytest.mark.slow
def test_every_module_imports_first_in_a_fresh_interpreter() -> None:
    names = [name for package in PACKAGES for name in modules(package)]
    assert import_each_first(names) == {}


def test_a_module_that_cannot_import_first_is_named() -> None:
    # The check itself must be able to fail: a module that does not exist is reported by name.
    failed = import_each_first(["mediation_desk.services.dossier", "mediation_desk.readmodels.no_such_module"])
    assert list(failed) == ["mediation_desk.readmodels.no_such_module"]
    assert "No module named" in failed["mediation_desk.readmodels.no_such_module"]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, absolute, with its line (inside functions and TYPE_CHECKING too)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def offenders(package: str, allowed: tuple[str, ...]) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / package).glob("*.py")):
        for line, module in imported_modules(path):
            inside = module == "mediation_desk" or module.startswith("mediation_desk.")
            if inside and not module.startswith(allowed):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    return bad


def test_readmodels_import_only_models() -> None:
    assert offenders("readmodels", ("mediation_desk.models", "mediation_desk.readmodels")) == []


def test_documents_never_import_services() -> None:
    # Not even inside a function: a document prints read models, it does not read the database.
    bad = [o for o in offenders("documents", ("mediation_desk.documents",)) if "mediation_desk.services" in o]
    assert bad == []


#: The one module of ``documents`` any service may import: the table of kinds and titles, which
#: imports nothing (the rest of ``documents`` loads reportlab).
KINDS = "mediation_desk.documents.kinds"


def documents_imported(path: Path) -> set[str]:
    """The modules of ``documents`` that ``path`` imports; ``from ..documents import kinds`` names
    the module ``mediation_desk.documents.kinds``."""
    found = {m for _, m in imported_modules(path) if m.startswith("mediation_desk.documents.")}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (
                (node.level == 2 and node.module == "documents") or node.module == "mediation_desk.documents"):
            found |= {f"mediation_desk.documents.{alias.name}" for alias in node.names}
    return found


def test_printing_is_the_services_module_that_imports_documents_besides_the_dossier() -> None:
    importers = sorted(p.stem for p in (PACKAGE / "services").glob("*.py") if documents_imported(p) - {KINDS})
    assert importers == ["dossier", "printing"]
    readers = sorted(p.stem for p in (PACKAGE / "services").glob("*.py") if KINDS in documents_imported(p))
    assert {"scanback", "pages", "audit_names"} <= set(readers)


def test_the_table_of_kinds_imports_nothing_and_the_scan_back_loads_no_reportlab() -> None:
    assert [m for _, m in imported_modules(PACKAGE / "documents" / "kinds.py")
            if m.startswith("mediation_desk")] == []
    code = ("import sys\nimport mediation_desk.services.scanback, mediation_desk.services.pages\n"
            "import mediation_desk.services.audit_names as a\n"
            "shown = a.detail_text({'kind': 'undisputed-facts'})\n"
            "assert shown == '类别：无争议事实确认书', shown\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_outcomes_are_the_workflow_actions_that_end_a_case() -> None:
    # readmodels cannot import services.workflow, so Outcome spells the actions' values out.
    assert {o: Action(o.value) for o in Outcome} == {
        Outcome.SUCCEEDED: Action.SUCCEED, Outcome.FAILED: Action.FAIL, Outcome.WITHDRAWN: Action.WITHDRAW,
        Outcome.DIVERTED: Action.DIVERT, Outcome.REJECTED: Action.REJECT,
    }
