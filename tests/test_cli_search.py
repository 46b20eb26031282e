"""``mediation-desk search``: the parser is built here as mediation_desk.cli builds it (the command module is
registered there by one line)."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from mediation_desk.cli import search as cli_search
from mediation_desk.cli.context import CliError
from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.services.actor import Actor

from .services.helpers import PASSWORD, make_user, register


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mediation-desk")
    parser.add_argument("--database")
    sub = parser.add_subparsers(dest="command")
    cli_search.register(sub)
    return parser.parse_args(argv)


#: Searching needs a login (issue 17): the head sees every case.
LOGIN = ("--as", "head", "--password-stdin")


@pytest.fixture(autouse=True)
def password_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n" * 20))


@pytest.fixture
def url(sqlite_db: Database, tmp_path: Path) -> str:
    make_user(sqlite_db, "head", Role.HEAD)
    actor = Actor.system("test")
    register(sqlite_db, actor, title="宅基地界址纠纷", applicant="张伟明", respondent="王小明")
    register(sqlite_db, actor, title="相邻通行纠纷 100%", applicant="张伟", respondent="李娜")
    return f"sqlite:///{tmp_path / 'cases.sqlite3'}"


def test_prints_best_first_with_the_reason(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_search.cmd_search(parse("--database", url, "search", "张伟", *LOGIN)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[3:] == ["张伟、李娜", "相邻通行纠纷 100%", "（当事人姓名）"]
    assert lines[1].split("\t")[3:] == ["张伟明、王小明", "宅基地界址纠纷", "（当事人姓名开头）"]
    assert lines[2] == "共找到 2 件，显示第 1–2 件（最相符的在前）。"


def test_json_limit_offset_and_literal_percent(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_search.cmd_search(parse("--database", url, "search", "张伟", "--json", "--limit", "1",
                                       "--offset", "1", *LOGIN)) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 2 and data["words"] == ["张伟"]
    assert [(c["title"], c["rank"], c["reason"], c["state"]) for c in data["cases"]] == [
        ("宅基地界址纠纷", 2, "当事人姓名开头", "registered")]
    assert data["cases"][0]["parties"] == ["张伟明", "王小明"] and data["cases"][0]["matched"] == ["张伟"]
    assert cli_search.cmd_search(parse("--database", url, "search", "%", "--json", *LOGIN)) == 0
    assert [c["title"] for c in json.loads(capsys.readouterr().out)["cases"]] == ["相邻通行纠纷 100%"]
    assert cli_search.cmd_search(parse("--database", url, "search", "NEAR(", "')", *LOGIN)) == 0
    assert capsys.readouterr().out == "没有找到与“NEAR( ')”相符的案件。\n"


def test_bad_input_is_refused_in_chinese(url: str) -> None:
    with pytest.raises(CliError, match="请输入要搜索的内容"):
        cli_search.cmd_search(parse("--database", url, "search", "  ", *LOGIN))
    for bad in (["--limit", "0"], ["--limit", "99999999999999999999"], ["--offset", "-1"]):
        with pytest.raises(SystemExit) as exited:  # refused while the command line is read
            parse("--database", url, "search", "张伟", *bad)
        assert exited.value.code == 2


def test_as_a_user_sees_only_what_they_may(url: str, sqlite_db: Database, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from mediation_desk.services.errors import PermissionDenied

    make_user(sqlite_db, "med", Role.MEDIATOR)
    make_user(sqlite_db, "root2", Role.ADMIN)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli_search.cmd_search(parse("--database", url, "search", "张伟", "--as", "med", "--password-stdin")) == 0
    assert capsys.readouterr().out == "没有找到与“张伟”相符的案件。\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(PermissionDenied):
        cli_search.cmd_search(parse("--database", url, "search", "张伟", "--as", "root2", "--password-stdin"))
