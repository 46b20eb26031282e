"""Imports run one way: ``ui → services → documents → readmodels → models``; ``cli → services``;
``exchange → services/readmodels``; Qt only inside ``ui/``.

One AST walk over every module of ``mediation_desk/`` collects every import — at the top, inside
functions, under ``if TYPE_CHECKING:`` — with relative imports resolved to absolute names. Each import
is checked against the rules table :data:`RULES` (who may not import what, and why) and against the
private-name rule (a ``_name`` of one module is not imported by another). A failure names the file and
line, the import, and the rule with its reason.

The rule for ``ui → sqlalchemy``: a screen never builds SQL or opens a connection; it holds the session
the task runner hands it. So ``ui/`` may import from SQLAlchemy only the type names in
:data:`UI_SQLALCHEMY_TYPES`, and only under ``if TYPE_CHECKING:`` — which makes them annotation-only
(with postponed annotations, a run-time use of such a name would fail).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mediation_desk"
TOP = "mediation_desk"


# ---------------------------------------------------------------------------------------- the walk


@dataclass(frozen=True)
class Import:
    """One imported thing: ``import target`` (name is None) or ``from target import name``."""

    path: str  # the importing file, relative to the repository
    line: int
    source: str  # the importing module, dotted (a package's __init__ is the package)
    target: str  # the imported module, absolute and dotted
    name: str | None
    type_checking: bool  # under ``if TYPE_CHECKING:``
    through: str | None = None  # not an import statement: ``through.name`` on an imported module

    def text(self) -> str:
        if self.through is not None:
            return f"{self.through}.{self.name}  (through {self.target})"
        return f"import {self.target}" if self.name is None else f"from {self.target} import {self.name}"

    @property
    def targets(self) -> tuple[str, ...]:
        """What the import reaches: the module, and ``module.name`` when that name may be a submodule."""
        return (self.target,) if self.name is None else (self.target, f"{self.target}.{self.name}")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(source: str, is_package: bool, level: int, module: str | None) -> str:
    """Resolve ``from <level dots><module> import …`` written in ``source``."""
    if level == 0:
        return module or ""
    base = source.split(".") if is_package else source.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_in(source_text: str, path: str, source: str, *, is_package: bool = False,
               modules: frozenset[str] = frozenset()) -> Iterator[Import]:
    """Every import in one module's source, in order, wherever it sits. A ``name._private`` where
    ``name`` was bound by importing one of ``modules`` counts as importing ``_private`` from it."""
    bound: dict[str, str] = {}  # local name → the module of ours it stands for

    def walk(node: ast.AST, guarded: bool) -> Iterator[Import]:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                yield from walk(statement, True)
            for statement in node.orelse:
                yield from walk(statement, guarded)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, source, alias.name, None, guarded)
                if alias.asname and alias.name in modules:
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(source, is_package, node.level, node.module)
            for alias in node.names:
                yield Import(path, node.lineno, source, target, alias.name, guarded)
                if f"{target}.{alias.name}" in modules:
                    bound[alias.asname or alias.name] = f"{target}.{alias.name}"
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
              and _private(node.attr)):
            yield Import(path, node.lineno, source, bound[node.value.id], node.attr, guarded, through=node.value.id)
        for child in ast.iter_child_nodes(node):
            yield from walk(child, guarded)

    yield from walk(ast.parse(source_text), False)


def package_imports(package: Path = PACKAGE) -> list[Import]:
    found: list[Import] = []
    files = sorted(package.rglob("*.py"))
    modules = frozenset(module_name(file, package.parent) for file in files)
    for file in files:
        if file.parent == package / "migrations" / "versions":
            continue  # alembic revisions: frozen history, they import only alembic and sqlalchemy
        found += imports_in(file.read_text(encoding="utf-8"), str(file.relative_to(package.parent)),
                            module_name(file, package.parent), is_package=file.name == "__init__.py", modules=modules)
    return found


# ---------------------------------------------------------------------------------------- the rules


def within(module: str, pattern: str) -> bool:
    """``pattern`` is a dotted module or package; it covers itself and everything under it."""
    return module == pattern or module.startswith(pattern + ".")


def ours(*names: str) -> tuple[str, ...]:
    return tuple(f"{TOP}.{name}" for name in names)


QT = ("PySide6", "shiboken6")
ENTRY_POINTS = ours("__main__", "self_test")  # they start the app or check its Qt install: above every layer
LAUNCHER = ours("ui.app")  # the one screen entry the command line may open (``mediation-desk`` alone)
BELOW_UI = ours("services", "documents", "readmodels", "models", "exchange", "cli", "scanning", "db",
                "settings", "credentials", "paths", "files", "demo", "migrations")
UI_SQLALCHEMY_TYPES = frozenset({"Session", "Engine", "Connection", "URL"})


@dataclass(frozen=True)
class Rule:
    """Modules under ``sources`` (minus ``except_sources``) must not import under ``forbidden``
    (minus ``allowed``)."""

    name: str
    sources: tuple[str, ...]
    forbidden: tuple[str, ...]
    reason: str
    except_sources: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()

    def applies_to(self, module: str) -> bool:
        return any(within(module, s) for s in self.sources) and not any(
            within(module, s) for s in self.except_sources)

    def breaks(self, imp: Import) -> bool:
        if not self.applies_to(imp.source):
            return False
        reached = [t for t in imp.targets if any(within(t, f) for f in self.forbidden)]
        return bool(reached) and not any(within(t, a) for t in reached for a in self.allowed)


RULES: tuple[Rule, ...] = (
    Rule("qt-only-in-ui", (TOP,), QT,
         "the domain runs headless (commands, server jobs, tests without a display): Qt lives in ui/ only",
         except_sources=(*ours("ui"), *ENTRY_POINTS)),
    Rule("nothing-below-imports-ui", BELOW_UI, ours("ui"),
         "ui/ sits on top: a lower layer importing a screen would drag Qt into the domain",
         except_sources=ours("cli")),
    Rule("cli-opens-only-the-window", ours("cli"), ours("ui"),
         "`mediation-desk` alone opens the window through ui.app; no command needs a screen",
         allowed=LAUNCHER),
    Rule("documents-not-services", ours("documents"), ours("services", "exchange", "cli", "demo"),
         "documents print the read models they are given; services call documents (printing), never the reverse"),
    Rule("readmodels-only-models", ours("readmodels"), (TOP,),
         "read models are plain dataclasses over models: everything above imports them, they import models only",
         allowed=ours("readmodels", "models")),
    Rule("models-only-models", ours("models"), (TOP,),
         "the tables are the floor of the house: they import nothing of ours but models",
         allowed=ours("models")),
    Rule("services-not-above", ours("services"), ours("exchange", "cli", "demo"),
         "exchange, cli and demo call services; a service importing them would close a cycle"),
    Rule("exchange-not-cli", ours("exchange"), ours("cli", "demo"),
         "the command line drives exchange, not the other way round"),
    Rule("ui-not-cli", ours("ui"), ours("cli"),
         "the command line opens the window (ui.app); the window importing the command line closes a cycle"),
)

RULE = {rule.name: rule for rule in RULES}
PRIVATE_RULE = ("private-name", "a leading-underscore name is its module's own business: make it public where it is "
                "genuinely shared, or move it")
UI_SQLALCHEMY_RULE = ("ui-no-sqlalchemy", "the UI never builds SQL or opens connections: only the type names "
                      f"{', '.join(sorted(UI_SQLALCHEMY_TYPES))}, and only under `if TYPE_CHECKING:`")


def broken_rules(imp: Import) -> Iterator[tuple[str, str]]:
    """(rule, reason) for every rule this import breaks."""
    for rule in RULES:
        if rule.breaks(imp):
            yield rule.name, rule.reason
    if within(imp.target, TOP) and (
            (imp.name is not None and _private(imp.name)) or any(_private(p) for p in imp.target.split("."))):
        yield PRIVATE_RULE
    if within(imp.source, f"{TOP}.ui") and within(imp.target, "sqlalchemy") and not (
            imp.type_checking and imp.name in UI_SQLALCHEMY_TYPES):
        yield UI_SQLALCHEMY_RULE


def violations(found: list[Import]) -> list[tuple[Import, str, str]]:
    return [(imp, rule, reason) for imp in found for rule, reason in broken_rules(imp)]


def describe(imp: Import, rule: str, reason: str) -> str:
    return f"{imp.path}:{imp.line}: `{imp.text()}` breaks {rule}: {reason}"


# ------------------------------------------------------------------------------- known, for now
# Violations that exist on this branch only because other parts of issue 16 are still on their own
# branches: (file, imported name) → the part that removes them. The lead empties this list as those
# branches merge; nothing else may be added, and an entry whose import is gone fails the test below.
CLI = "cli (issue 16 §6): CliContext replaces the private _open/_actor/_print_json of cli/__init__"
SCRUB = ("cli (issue 16 §6, cli/ rebuilt): args.scrub is shared by the desk's log and the commands; it leaves "
         "cli/ (e.g. beside the masking helpers it calls)")
PROBE = "cli (issue 16 §4): db.probe_server replaces the probe and URL building in first_run/server_settings"


def _known(part: str, file: str, *names: str) -> dict[tuple[str, str], str]:
    return {(f"mediation_desk/{file}", name): part for name in names}


KNOWN: dict[tuple[str, str], str] = {}


# ---------------------------------------------------------------------------------------- the tests


def test_every_import_runs_with_the_layers() -> None:
    found = package_imports()
    assert len({imp.path for imp in found}) > 100  # the walk saw the whole package
    broken = [(imp, rule, reason) for imp, rule, reason in violations(found)
              if (imp.path, imp.name or imp.target) not in KNOWN]
    assert not broken, "imports against the layers:\n" + "\n".join(describe(*v) for v in broken)


def test_every_known_exception_still_happens() -> None:
    # A KNOWN entry whose import is gone must leave the list, so it cannot hide a later one.
    happening = {(imp.path, imp.name or imp.target) for imp, _, _ in violations(package_imports())}
    assert sorted(KNOWN.keys() - happening) == []


def _check(code: str, module: str, *, is_package: bool = False) -> list[str]:
    path = module.replace(".", "/") + ("/__init__.py" if is_package else ".py")
    modules = frozenset({"mediation_desk.cli", "mediation_desk.services.attachments"})
    found = list(imports_in(textwrap.dedent(code), path, module, is_package=is_package, modules=modules))
    return [describe(*v) for v in violations(found)]


def test_the_rules_catch_crafted_violations() -> None:
    # The engine is checked on small sources, so the layer test cannot pass by seeing nothing.
    assert _check("""
        from __future__ import annotations
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from ..services.cases import CaseDetail
        def draw():
            from PySide6.QtGui import QPainter
    """, "mediation_desk.documents.agreement") == [
        "mediation_desk/documents/agreement.py:5: `from mediation_desk.services.cases import CaseDetail` "
        "breaks documents-not-services: " + RULE["documents-not-services"].reason,
        "mediation_desk/documents/agreement.py:7: `from PySide6.QtGui import QPainter` "
        "breaks qt-only-in-ui: " + RULE["qt-only-in-ui"].reason,
    ]
    # Relative imports from a package's __init__, a private name, a whole package reached by name.
    assert [line.split(" breaks ")[1].split(":")[0] for line in _check("""
        from . import _helpers
        from .. import services
        from ..cli import _open
        import mediation_desk.ui.common.tasks
    """, "mediation_desk.readmodels", is_package=True)] == [
        "private-name", "readmodels-only-models", "readmodels-only-models", "private-name",
        "nothing-below-imports-ui", "readmodels-only-models"]
    # A private name reached through an imported module is imported all the same.
    assert _check("""
        from . import attachments as files
        def run():
            files._case(files.__name__)
    """, "mediation_desk.services.scanback") == [
        "mediation_desk/services/scanback.py:4: `files._case  (through mediation_desk.services.attachments)` "
        "breaks private-name: " + PRIVATE_RULE[1]]
    # The UI holds a session but never builds SQL.
    assert [line.split(":")[1] for line in _check("""
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from sqlalchemy.orm import Session
        else:
            from sqlalchemy import select
        from sqlalchemy.engine import Engine
    """, "mediation_desk.ui.cases.detail")] == ["6", "7"]
    # What is allowed stays allowed: the command line opens the window, ui uses Qt, models import models.
    assert _check("from mediation_desk.ui.app import run", "mediation_desk.cli") == []
    assert [line.split(" breaks ")[1].split(":")[0] for line in _check(
        "from mediation_desk.ui.app import run", "mediation_desk.services.cases") + _check(
        "from mediation_desk.ui import tasks", "mediation_desk.cli.admin")] == [
        "nothing-below-imports-ui", "cli-opens-only-the-window"]
    assert _check("from PySide6.QtCore import Qt", "mediation_desk.ui.common.tasks") == []
    assert _check("from .base import Base\nfrom . import enums", "mediation_desk.models.case") == []
    assert _check("from .base import __all__", "mediation_desk.models.case") == []
    # …and the floor imports nothing else of ours, not even the package's own constants.
    assert [line.split(" breaks ")[1].split(":")[0] for line in _check(
        "from mediation_desk import APP_NAME\nfrom ..readmodels import cases", "mediation_desk.models.case")] == [
        "models-only-models", "models-only-models"]


def test_importing_the_domain_loads_no_qt() -> None:
    # The import graph can hide what the source does not say (a library that pulls Qt in): import every
    # domain module in a fresh interpreter, render a receipt, and look at what got loaded.
    packages = ["models", "services", "documents", "readmodels", "exchange", "scanning", "cli", "demo"]
    modules = [f"{TOP}.{name}" for name in ("db", "settings", "credentials", "paths", "files")]
    for name in packages:
        if (PACKAGE / name).is_dir():
            modules += sorted(module_name(p) for p in (PACKAGE / name).rglob("*.py"))
    assert {"mediation_desk.services.attachments", "mediation_desk.documents.receipt",
            "mediation_desk.scanning.backends", "mediation_desk.cli"} <= set(modules)
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "from tests.documents.test_receipt import _data\n"
        + "mediation_desk.documents.receipt.render_receipt(_data())\n"
        + "print(','.join(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == ""
