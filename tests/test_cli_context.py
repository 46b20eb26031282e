"""The shape of ``mediation_desk.cli``: one module per command group with ``register``, every
command working through a :class:`CliContext` that closes its database however the command ends,
and :meth:`CliContext.emit` printing text or ``--json``."""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import pkgutil
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from mediation_desk import cli
from mediation_desk.cli.context import CliContext, CliError, command
from mediation_desk.db import Database
from mediation_desk.models import CaseState, Role
from mediation_desk.services.errors import AuthenticationFailed, NotFound

from .services.helpers import PASSWORD, make_user

CLI_DIR = Path(cli.__file__).parent
#: The modules of the package that are not a command group.
NOT_GROUPS = {"args", "context"}


def group_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(CLI_DIR)]) if m.name not in NOT_GROUPS)


def commands_of(register: object) -> set[str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    register(sub)  # type: ignore[operator]
    return set(sub.choices)


def test_every_command_group_is_a_module_with_register_and_the_parser_has_them_all() -> None:
    import importlib

    groups = group_modules()
    assert {"admin", "cases", "db", "demo", "users"} <= set(groups)
    assert sorted(g.__name__.rsplit(".", 1)[1] for g in cli.COMMAND_GROUPS) == groups
    parser_commands = set(next(a for a in cli.build_parser()._actions
                               if isinstance(a, argparse._SubParsersAction)).choices)
    seen: set[str] = set()
    for name in groups:
        module = importlib.import_module(f"mediation_desk.cli.{name}")
        assert callable(getattr(module, "register", None)), f"cli/{name}.py has no register(subparsers)"
        added = commands_of(module.register)
        assert added, f"cli/{name}.py registers no command"
        assert not added & seen, f"cli/{name}.py registers a command another module has: {added & seen}"
        seen |= added
    assert seen == parser_commands
    # Each command runs through a CliContext: argparse calls the wrapper ``command`` made.
    for action in cli.build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_parser in _leaf_parsers(action):
                run = getattr(sub_parser.get_default("func"), "__wrapped__", None)
                assert run is not None and run.__annotations__.get("context") == "CliContext", sub_parser.prog


def _leaf_parsers(action: argparse._SubParsersAction) -> Iterator[argparse.ArgumentParser]:  # type: ignore[type-arg]
    for parser in action.choices.values():
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            for inner in nested:
                yield from _leaf_parsers(inner)
        else:
            yield parser


def test_no_cli_module_imports_a_private_name_or_opens_the_database_itself() -> None:
    offenders = []
    for path in sorted(CLI_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mediation_desk"):
                offenders += [f"{path.name}: from {node.module} import {a.name}" for a in node.names
                              if a.name.startswith("_") and a.name != "__version__"]
            if isinstance(node, ast.Attribute) and node.attr in ("_open", "_actor", "_print_json"):
                offenders.append(f"{path.name}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.FunctionDef) and node.name in ("_open", "_actor", "_print_json"):
                offenders.append(f"{path.name}:{node.lineno}: def {node.name}")
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Database" \
                    and path.name != "context.py":
                offenders.append(f"{path.name}:{node.lineno}: Database(...) outside CliContext")
    assert offenders == []


# --------------------------------------------------------------------------- closing the database


def open_files(path: Path) -> list[str]:
    """The files of this process open on the database ``path`` (its -wal and -shm included)."""
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.is_dir():
        pytest.skip("needs /proc to see the open files")
    found = []
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(path)):
            found.append(target)
    return found


def assert_closed(path: Path) -> None:
    """No connection is left on the file: none of this process's files point at it, the WAL was
    checkpointed away (SQLite does that when the last connection closes), and another program
    gets the exclusive lock at once."""
    assert open_files(path) == []
    assert not path.with_name(path.name + "-wal").exists()
    with sqlite3.connect(path, timeout=0) as other:
        other.execute("BEGIN EXCLUSIVE")
        other.rollback()


@pytest.fixture
def sqlite_file(sqlite_db: Database) -> Path:
    sqlite_db.dispose()
    assert sqlite_db.url.database
    return Path(sqlite_db.url.database)


def test_the_check_sees_a_database_left_open(sqlite_file: Path) -> None:
    """The control: a database used and not closed keeps the file open and its WAL beside it."""
    left_open = Database(f"sqlite:///{sqlite_file}", create=False)
    with left_open.write() as session:
        session.execute(text("SELECT 1"))
    with pytest.raises(AssertionError):
        assert_closed(sqlite_file)
    left_open.dispose()
    assert_closed(sqlite_file)


def test_a_failing_command_closes_its_database(sqlite_db: Database, sqlite_file: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    make_user(sqlite_db, "head", Role.HEAD)
    sqlite_db.dispose()
    url = f"sqlite:///{sqlite_file}"
    login = ["--as", "head", "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n{PASSWORD}\n"))
    assert cli.main(["--database", url, "case", "show", "（2026）甘矛调字第9999号", *login]) == 2
    assert "错误：" in capsys.readouterr().err
    assert_closed(sqlite_file)
    assert cli.main(["--database", url, "case", "list", "--json", *login]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0
    assert_closed(sqlite_file)


def test_the_database_is_closed_when_a_command_raises_inside_a_write(sqlite_file: Path) -> None:
    opened: list[Database] = []

    @command
    def refuse_half_way(context: CliContext) -> int:
        db = context.database()
        assert context.database() is db  # opened once
        opened.append(db)
        with db.write() as session:
            session.execute(text("UPDATE alembic_version SET version_num = version_num"))
            assert open_files(sqlite_file)
            raise CliError("在写入中途拒绝。", code=3)

    with pytest.raises(CliError, match="在写入中途拒绝") as refused:
        refuse_half_way(argparse.Namespace(database=f"sqlite:///{sqlite_file}"))
    assert refused.value.code == 3
    assert len(opened) == 1
    assert_closed(sqlite_file)

    @command
    def break_down(context: CliContext) -> int:
        with context.database().read() as session:
            session.execute(text("SELECT * FROM no_such_table"))
        return 0

    with pytest.raises(Exception, match="no_such_table"):
        break_down(argparse.Namespace(database=f"sqlite:///{sqlite_file}"))
    assert_closed(sqlite_file)


def test_a_file_named_on_the_command_line_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo.sqlite3"
    assert cli.main(["--database", f"sqlite:///{missing}", "case", "list"]) == 2
    assert "不存在" in capsys.readouterr().err
    assert not missing.exists()


# --------------------------------------------------------------------------- the acting user


def test_actor_signs_in_the_account_of_as_once(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    make_user(sqlite_db, "clerk", Role.INTAKE)
    url = sqlite_db.url.render_as_string(hide_password=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\nnot read\n"))
    with CliContext(argparse.Namespace(database=url, as_user="clerk", password_stdin=True)) as context:
        actor = context.actor()
        assert actor.username == "clerk" and actor.role is Role.INTAKE
        assert context.actor() is actor  # the password is read once
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    with pytest.raises(AuthenticationFailed), \
            CliContext(argparse.Namespace(database=url, as_user="clerk", password_stdin=True)) as context:
        context.actor()
    # No --as: refused, and before the database is even looked at (no system actor any more).
    with CliContext(argparse.Namespace(database=f"sqlite:///{sqlite_db.url.database}.missing")) as context, \
            pytest.raises(CliError, match="此命令需要登录：请用 --as 用户名 指定账户") as refused:
        context.actor()
    assert refused.value.code == 2


def test_a_service_refusal_passes_through_the_context(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    make_user(sqlite_db, "clerk", Role.INTAKE)
    url = sqlite_db.url.render_as_string(hide_password=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))

    @command
    def show(context: CliContext) -> int:
        from mediation_desk.services import cases

        with context.database().read() as session:
            cases.case_detail_by_number(session, context.actor(), "（2026）甘矛调字第9999号")
        return 0

    with pytest.raises(NotFound):
        show(argparse.Namespace(database=url, as_user="clerk", password_stdin=True))


# --------------------------------------------------------------------------- output


def test_emit_prints_json_with_json_and_text_without(capsys: pytest.CaptureFixture[str]) -> None:
    data = {"day": date(2026, 10, 8), "at": datetime(2026, 10, 8, 9, 30), "amount": Decimal("1200.50"),
            "state": CaseState.REGISTERED, "tags": ("甲", "乙"), "name": "张伟"}
    made: list[str] = []

    def lines() -> Iterator[str]:
        made.append("text")
        yield "第一行"
        yield "第二行"

    def payload() -> object:
        made.append("json")
        return data

    CliContext(argparse.Namespace(json=True)).emit(payload, lines())
    out = capsys.readouterr().out
    assert json.loads(out) == {"day": "2026-10-08", "at": "2026-10-08 09:30:00", "amount": "1200.50",
                               "state": "registered", "tags": ["甲", "乙"], "name": "张伟"}
    assert out.startswith('{\n  "day"') and "张伟" in out and out.endswith("}\n")  # indented, Chinese as is
    assert made == ["json"]  # the text was not made

    made.clear()
    CliContext(argparse.Namespace(json=False)).emit(payload, lines())
    assert capsys.readouterr().out == "第一行\n第二行\n"
    assert made == ["text"]
    CliContext(argparse.Namespace()).emit(payload, ["没有 --json 选项的命令"])
    assert capsys.readouterr().out == "没有 --json 选项的命令\n"

    with pytest.raises(TypeError, match="not serialisable: object"):
        CliContext(argparse.Namespace(json=True)).emit(lambda: {"x": object()})


def test_cli_error_ends_as_one_chinese_line_with_its_code(sqlite_file: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "id", "123"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "错误：身份证号码应为 18 位，现在是 3 位。\n"
    assert cli.main(["--database", f"sqlite:///{sqlite_file}", "import-cases", str(tmp_path / "无.csv")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"错误：找不到文件“{tmp_path / '无.csv'}”。\n"
    assert_closed(sqlite_file)
