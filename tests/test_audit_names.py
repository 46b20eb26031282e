"""Every audit action the code writes has a Chinese name (issue 19: the audit log showed raw keys).

The actions are collected from the source, not from a list kept by hand: every call of a function
that appends an audit entry (``audit.record`` and ``record_query``, the private ``_append``) is
found with :mod:`ast`, and its action argument resolved — a literal, a module constant
(``audit.SEARCH_ACTION``), a local variable assigned from those, a parameter of a function that
is itself then followed to its callers (``auth._sign_in(action="unlock")``), a field of a dataclass
passed as an annotated parameter (``sign_in.action`` of ``auth.SignIn``: followed to the calls
making one, and the field's default), or an f-string whose values are listed in
:data:`TEMPLATE_VALUES` from the enums they come from. A new action, or a new
way of passing one, fails here until it has its name in ``services.audit_names``.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from mediation_desk.services import audit_names, printing, workflow

ROOT = Path(__file__).resolve().parents[1] / "mediation_desk"

#: The f-string actions of the code ("{}" for each placeholder) and every value they can take.
TEMPLATE_VALUES: dict[str, frozenset[str]] = {
    "case.{}": frozenset(f"case.{a}" for a in workflow.Action),
    "document.{}": frozenset(f"document.{o}" for o in printing.OUTPUTS),
    "record.add_{}": frozenset(f"record.add_{k}" for k in ("investigation", "mediation")),
    "record.update_{}": frozenset(f"record.update_{k}" for k in ("investigation", "mediation")),
    "record.sign_{}": frozenset(f"record.sign_{k}" for k in ("investigation", "mediation")),
    # auth.authenticate's ``action`` ("login", or "unlock" from the idle lock) when it fails.
    "{}_failed": frozenset({"login_failed", "unlock_failed"}),
}
#: The functions that append an entry: (module, name) → the index of their action argument.
APPENDERS: dict[tuple[str, str], int] = {
    ("mediation_desk.services.audit", "record"): 2,
    ("mediation_desk.services.audit", "_append"): 2,
    ("mediation_desk.services.audit", "_server_append"): 2,
    ("mediation_desk.services.audit", "record_query"): 2,
}


@dataclass(frozen=True)
class Site:
    module: str
    line: int
    function: ast.FunctionDef | ast.AsyncFunctionDef | None
    argument: ast.expr | None


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(("mediation_desk", *path.relative_to(ROOT).with_suffix("").parts))
        yield name.removesuffix(".__init__"), ast.parse(path.read_text(encoding="utf-8"))


def _aliases(module: str, tree: ast.Module) -> dict[str, str]:
    """Local name → module it stands for (``audit`` → ``mediation_desk.services.audit``)."""
    package = module.rsplit(".", 1)[0]
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                found[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name] = alias.name
    return found


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _enclosing(tree: ast.Module) -> dict[int, ast.FunctionDef | ast.AsyncFunctionDef]:
    """id(call) → the innermost function holding it."""
    owner: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}

    def visit(node: ast.AST, function: ast.FunctionDef | ast.AsyncFunctionDef | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Call) and function is not None:
                owner[id(child)] = function
            visit(child, inner)

    visit(tree, None)
    return owner


def _target(call: ast.Call, module: str, aliases: dict[str, str]) -> tuple[str, str] | None:
    func = call.func
    if isinstance(func, ast.Name):
        imported = aliases.get(func.id)
        if imported is not None and "." in imported:
            return imported.rsplit(".", 1)[0], func.id
        return module, func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return aliases.get(func.value.id, func.value.id), func.attr
    return None


def _argument(call: ast.Call, index: int, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[index] if len(call.args) > index and not isinstance(call.args[index], ast.Starred) else None


@pytest.fixture(autouse=True, scope="module")
def _parsed_once() -> Iterator[None]:
    """The parsed package (~90,000 lines, over a million syntax-tree objects) is shared by this
    module's tests, then let go: kept for the rest of a worker's session, it made every later full
    garbage collection (pytest runs some at the end) walk it again."""
    yield
    _followed.cache_clear()
    _parsed.cache_clear()


@lru_cache(maxsize=1)
def _parsed() -> tuple[tuple[str, ast.Module, dict[str, str], dict[int, Any], tuple[ast.Call, ...]], ...]:
    """Each module once: its tree, import aliases, each call's function and its calls."""
    return tuple((module, tree, _aliases(module, tree), _enclosing(tree),
                  tuple(n for n in ast.walk(tree) if isinstance(n, ast.Call))) for module, tree in _modules())


@lru_cache(maxsize=1)
def _followed() -> tuple[tuple[Site, ...], dict[tuple[str, str], int]]:
    """Every call of an appender, following parameters to the callers of the function passing them
    and dataclass fields to the calls making the dataclass; and every appender so found."""
    appenders = dict(APPENDERS)
    parameter_names = {key: "action" for key in appenders}
    sites: list[Site] = []
    done: set[tuple[str, int, int]] = set()
    changed = True
    while changed:
        changed = False
        for module, _tree, aliases, owners, calls in _parsed():
            for call in calls:
                key = _target(call, module, aliases)
                if key is None or key not in appenders:
                    continue
                marker = (module, call.lineno, call.col_offset)
                if marker in done:
                    continue
                done.add(marker)
                function = owners.get(id(call))
                argument = _argument(call, appenders[key], parameter_names[key])
                if function is not None and isinstance(argument, ast.Name):
                    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
                    every = params + [a.arg for a in function.args.kwonlyargs]
                    if argument.id in every:
                        # A parameter: this function appends too; its callers say which action.
                        own = (module, function.name)
                        if own not in appenders:
                            appenders[own] = params.index(argument.id) if argument.id in params else 10 ** 6
                            parameter_names[own] = argument.id
                            changed = True
                        default = _default(function, argument.id)
                        if default is not None:
                            sites.append(Site(module, call.lineno, function, default))
                        continue
                field = _dataclass_field(module, aliases, function, argument)
                if field is not None:
                    # A field of a record passed in: the calls making the record say which action.
                    record, index, name, default = field
                    if record not in appenders:
                        appenders[record] = index
                        parameter_names[record] = name
                        changed = True
                        if default is not None:
                            sites.append(Site(record[0], default.lineno, None, default))
                    continue
                if argument is None and key not in APPENDERS:
                    continue  # not passed: the parameter's default (a site of its own) is written
                sites.append(Site(module, call.lineno, function, argument))
    return tuple(sites), appenders


def _sites() -> tuple[Site, ...]:
    return _followed()[0]


def _dataclass_field(module: str, aliases: dict[str, str], function: ast.FunctionDef | ast.AsyncFunctionDef | None,
                     argument: ast.expr | None) -> tuple[tuple[str, str], int, str, ast.expr | None] | None:
    """For ``parameter.field`` where the parameter is annotated with a dataclass of the code: the
    dataclass (module, name), the field's position among its fields, its name and its default."""
    if function is None or not (isinstance(argument, ast.Attribute) and isinstance(argument.value, ast.Name)):
        return None
    parameters = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    annotation = next((p.annotation for p in parameters if p.arg == argument.value.id), None)
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        annotation = ast.parse(annotation.value, mode="eval").body
    if not isinstance(annotation, ast.Name):
        return None
    imported = aliases.get(annotation.id)
    record = (imported.rsplit(".", 1)[0], annotation.id) if imported and "." in imported else (module, annotation.id)
    tree = next((tree for name, tree, *_rest in _parsed() if name == record[0]), None)
    found = next((node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == record[1]),
                 None) if tree is not None else None
    if found is None or not any("dataclass" in ast.unparse(d) for d in found.decorator_list):
        return None
    fields = [node for node in found.body if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
              and "ClassVar" not in ast.unparse(node.annotation)]
    for index, node in enumerate(fields):
        assert isinstance(node.target, ast.Name)
        if node.target.id == argument.attr:
            return record, index, node.target.id, node.value
    return None


def _default(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.expr | None:
    positional = [*function.args.posonlyargs, *function.args.args]
    defaults = dict(zip([a.arg for a in positional[len(positional) - len(function.args.defaults):]],
                        function.args.defaults, strict=True))
    defaults |= {a.arg: d for a, d in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True)
                 if d is not None}
    return defaults.get(name)


def _values(site: Site, node: ast.expr | None) -> set[str]:
    """The action strings ``node`` can be; raises AssertionError naming the site when unknown."""
    where = f"{site.module}:{site.line}"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _values(site, node.body) | _values(site, node.orelse)
    if isinstance(node, ast.JoinedStr):
        template = "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)
        assert template in TEMPLATE_VALUES, f"{where}: the f-string action {template!r} needs its values listed"
        return set(TEMPLATE_VALUES[template])
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        holder = getattr(importlib.import_module(site.module), node.value.id)
        value = getattr(holder, node.attr)
        assert isinstance(value, str), where
        return {value}
    if isinstance(node, ast.Name):
        value = getattr(importlib.import_module(site.module), node.id, None)
        if isinstance(value, str):
            return {value}
        assigned = [n.value for n in ast.walk(site.function) if isinstance(n, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)] if site.function else []
        assert assigned, f"{where}: cannot tell which action {node.id!r} is"
        return set().union(*(_values(site, value) for value in assigned))
    raise AssertionError(f"{where}: cannot tell which action {ast.unparse(node) if node else '?'} is")


def actions_in_code() -> dict[str, str]:
    """Every action string the code writes → where (module:line) one is written."""
    found: dict[str, str] = {}
    for site in _sites():
        for value in _values(site, site.argument):
            found.setdefault(value, f"{site.module}:{site.line}")
    return found


def test_the_collector_finds_the_actions_it_should() -> None:
    found = actions_in_code()
    # Literals, constants, a local from constants, a parameter's callers and default, f-strings.
    for action in ("case.register", "agreement.sign", "create_department", "case.search", "case.list", "login",
                   "unlock", "witness.edit", "case.approve_closure", "document.print", "record.sign_mediation",
                   "access.refused", "audit.purge", "backup", "encrypt"):
        assert action in found, action
    assert len(found) > 90
    # A field of a record: the sign-in written after the first rows (auth.record_sign_in) takes
    # its action from the SignIn that authenticate made, followed to it and to authenticate's callers.
    assert ("mediation_desk.services.auth", "SignIn") in _followed()[1]


def test_every_action_written_has_a_chinese_name() -> None:
    missing = {action: where for action, where in actions_in_code().items()
               if action not in audit_names.ACTION_NAMES}
    assert missing == {}, f"actions without a Chinese name in services/audit_names.py: {missing}"
    for action, name in audit_names.ACTION_NAMES.items():
        assert name and not any("a" <= c.lower() <= "z" for c in name), (action, name)


def test_every_object_kind_written_has_a_chinese_name() -> None:
    kinds: set[str] = set()
    for module, _tree, aliases, _owners, calls in _parsed():
        for call in calls:
            if _target(call, module, aliases) not in APPENDERS or len(call.args) < 4:
                continue
            entity = call.args[3]
            if isinstance(entity, ast.Constant) and isinstance(entity.value, str):
                kinds.add(entity.value)
    assert {"case", "user", "department", "attachment", "transfer"} <= kinds
    assert kinds - set(audit_names.ENTITY_NAMES) == set()


def _detail_keys() -> set[str]:
    """The keys of the details written: dict literals in an appender's call or assigned to
    ``detail`` where one is called, and the field helpers whose dicts become details."""
    helpers = {"_department_fields", "_team_fields", "_mediator_fields", "query_detail"}
    keys: set[str] = set()

    def literal_keys(node: ast.AST) -> None:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Dict):
                keys.update(k.value for k in inner.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))

    for module, tree, aliases, _owners, _calls in _parsed():
        for function in _functions(tree):
            calls = [n for n in ast.walk(function) if isinstance(n, ast.Call)
                     and _target(n, module, aliases) in APPENDERS]
            if function.name in helpers:
                literal_keys(function)
            elif not calls:
                continue
            for call in calls:
                for argument in [*call.args[4:], *(k.value for k in call.keywords)]:
                    literal_keys(argument)
            for node in ast.walk(function):
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if isinstance(target, ast.Name) and target.id == "detail" and node.value is not None:
                            literal_keys(node.value)
                        if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                                and target.value.id == "detail" and isinstance(target.slice, ast.Constant)):
                            keys.add(str(target.slice.value))
    return keys


def test_every_detail_written_has_a_chinese_field_name() -> None:
    keys = _detail_keys()
    assert {"number", "from", "to", "witness", "before", "after", "contact_person", "states"} <= keys
    assert keys - set(audit_names.DETAIL_NAMES) == set()


def test_a_case_lists_order_reads_as_its_column() -> None:
    """The audit log's entry of a case list read named its order by the stored key (排序：received):
    every order a list can have reads as its column's header."""
    from mediation_desk.services.caselist import SortKey

    for key in SortKey:
        text = audit_names.detail_text({"sort": key.value, "descending": True})
        assert text.startswith("排序：") and not any(c.isascii() and c.isalpha() for c in text), text
    assert audit_names.detail_text({"sort": "team", "descending": False}) == "排序：调解团队；倒序：否"
