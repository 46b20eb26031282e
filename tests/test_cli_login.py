"""Every ``mediation-desk`` command that reads or changes the center's data acts as a signed-in
person (issue 17 item 1): the red team's replay of the command line without a login.

Without ``--as`` each such command is refused — exit 2, one Chinese line, no traceback, nothing
in the database changed, no file written. The login is the app's (``auth.login``): a wrong
password counts towards the lock, and the login is audited with the workstation. Only the commands
that set up an empty database, ``db check``, ``db connect``, ``check``, ``mask`` and ``read-id`` run
without one.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mediation_desk import cli
from mediation_desk.cli.context import LOGIN_REQUIRED
from mediation_desk.db import Database
from mediation_desk.demo import DEMO_PASSWORD
from mediation_desk.services.auth import MAX_FAILED_LOGINS

from . import cli_run
from .test_cli import run_cli

#: The commands that run without a login, and why (docs/security.md says the same).
WITHOUT_LOGIN = {
    "mediation-desk db upgrade",  # on an empty database without; with accounts it asks for --as
    "mediation-desk db check",  # the structure only: must not fire a hostile database's triggers
    "mediation-desk db connect",  # this desk's own settings file and a connection test
    "mediation-desk demo",  # only into an empty database (refused once an account exists)
    "mediation-desk check",  # a typed value against the form's rules; no database
    "mediation-desk mask",  # a typed value masked; no database
    "mediation-desk read-id",  # an ID card's image read offline; no database
    # The city's database has no workbench accounts: its PostgreSQL roles decide (the superuser
    # subscribes; the readers in md_city_viewer read), docs/deployment.md “市级汇总”.
    "mediation-desk city init",
    "mediation-desk city subscribe",
    "mediation-desk city unsubscribe",
    "mediation-desk city status",
    "mediation-desk city figures",
}
APPLICANT_ID_DIGITS = 18


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    url = f"sqlite:///{path}"
    assert run_cli("--database", url, "db", "upgrade", home=home).returncode == 0
    seeded = run_cli("--database", url, "demo", "--cases", "30", home=home)
    assert seeded.returncode == 0, seeded.stderr
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo center for each test (logins change it)."""
    path = tmp_path / "center.sqlite3"
    with sqlite3.connect(demo_file) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return path


def contents(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def a_case(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        number: str = connection.execute("SELECT number FROM dispute_case ORDER BY id LIMIT 1").fetchone()[0]
    return number


def _leaf_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not nested:
        yield parser
    for action in nested:
        for child in action.choices.values():
            yield from _leaf_parsers(child)


def test_every_command_but_the_setup_and_value_commands_takes_a_login() -> None:
    leaves = {p.prog: p for p in _leaf_parsers(cli.build_parser()) if p.prog != "mediation-desk"}
    assert set(leaves) >= WITHOUT_LOGIN
    for prog, parser in leaves.items():
        options = {o for a in parser._actions for o in a.option_strings}
        if prog in WITHOUT_LOGIN - {"mediation-desk db upgrade"}:
            assert "--as" not in options, f"{prog} runs without a login: an --as would mislead"
        else:
            assert {"--as", "--password-stdin"} <= options, f"{prog} has no --as: it would act as nobody"
            assert "登录" in parser.format_help(), prog


def no_login_commands(path: Path, out: Path) -> list[tuple[list[str], str]]:
    number = a_case(path)
    hotline = out / "hotline.csv"
    hotline.write_text("来源编号,登记时间,纠纷类型,纠纷名称,申请人,申请人电话\n"
                       "R9,2026-11-20 09:30,物业,电梯停运纠纷,郑丽,13800138000\n", encoding="utf-8")
    return [
        (["user", "add", "backdoor", "--name", "后门", "--role", "head", "--password-stdin"], "Backdoor#2026\n"),
        (["user", "passwd", "head", "--password-stdin"], "Takeover#2026\n"),
        (["user", "list", "--json"], ""),
        (["case", "list", "--json"], ""),
        (["case", "show", number, "--json"], ""),
        (["case", "act", number, "accept"], ""),
        (["search", "郑"], ""),
        (["doc", "registration", number, "--out", str(out / "registration.pdf")], ""),
        (["import-cases", str(hotline)], ""),
        (["calendar", "add", "2026-02-13", "6"], ""),
        (["calendar", "between", "2026-09-30", "2026-10-10"], ""),
        (["calendar", "set", "2027-01-01", "元旦"], ""),
        (["audit", "verify"], ""),
        (["audit", "list", "--json"], ""),
        (["audit", "purge"], ""),
        (["audit", "key", "export", "--to", str(out / "audit.key")], ""),
        (["audit", "key", "import", str(out / "missing.key")], ""),
        (["backup", "--to", str(out)], ""),
        (["restore", str(path), "--yes"], ""),
        (["retention", "run", "--dry-run", "--to", str(out / "archive")], ""),
        (["export", number, "--to", "court", "--target-name", "甘州区人民法院", "--out", str(out / "p.zip"),
          "--claim", "判令被申请人赔偿损失8600元"], ""),
        (["import-packet", str(out / "missing.zip")], ""),
        (["crossing-out", "--step", "33333333-3333-4333-8333-333333333333", "--out", str(out / "c.zip")], ""),
        (["crossing-in", str(out / "missing.zip")], ""),
        (["centers", "enrolment", "--center", "甘州梁家墩调", "--out", str(out / "enrolment.zip")], ""),
        (["centers", "enrol", str(out / "missing.zip")], ""),
        (["centers", "profile", "--phone", "0936-8561234"], ""),
        (["publicity", "--month", "2026-10", "--out", str(out / "publicity.pdf")], ""),
        (["publicity", "--month", "2026-10", "--html", str(out / "web")], ""),
        (["publicity", "approve", "--month", "2026-10", "--yes"], ""),
        (["report", "monthly", "--month", "2026-10", "--out", str(out / "report.pdf")], ""),
        (["report", "levels", "--month", "2026-10", "--pdf", str(out / "levels.pdf")], ""),
        (["report", "briefing", "--month", "2026-10", "--pdf", str(out / "briefing.pdf")], ""),
        (["city", "publish", "--code", "620702", "--name", "甘州区"], ""),
        (["subsidies", "statement", "--month", "2026-10", "--pdf", str(out / "subsidies.pdf")], ""),
        (["db", "upgrade"], ""),
        (["db", "encrypt"], ""),
        (["db", "decrypt", "--to", str(out / "plain.sqlite3")], ""),
        (["db", "trust-fs", "fuse.mine"], ""),
        (["case", "witness", "add", number, "--name", "刘强", "--address", "甘州区南街", "--proves", "看到车库渗水"],
         ""),
        (["case", "witness", "edit", number, "1", "--name", "刘强强"], ""),
        (["case", "witness", "remove", number, "1"], ""),
        (["case", "witness", "list", number, "--json"], ""),
        (["case", "evidence", number, "1", "--source", "申请人提供", "--purpose", "证明损失"], ""),
        (["cards", "check", "--date", "2026-10-08"], ""),
        (["cards", "list", "--json"], ""),
        (["crossings", "list", "--json"], ""),
        (["crossings", "report-up", number, "--reason", "本镇无法调处"], ""),
        (["crossings", "assign", number, "--to", "甘州区梁家墩镇综治中心", "--days", "5", "--reason", "请调处"], ""),
        (["crossings", "co-handle", number, "--center", "甘州区党寨镇综治中心", "--days", "5", "--reason", "联办"], ""),
        (["crossings", "return", number, "--reason", "不属本镇管辖"], ""),
        (["crossings", "feedback", number, "--text", "已办结"], ""),
        (["sessions", "ics", "--mediator", "李建国", "--out", str(out / "sessions.ics")], ""),
        (["hotline", "export", "--since", "2026-11-01", "--format", "csv", "--out", str(out / "return.csv")], ""),
        (["hotline", "weights", "--response", "50", "--resolution", "25", "--satisfaction", "25"], ""),
    ]


def run_in_process(argv: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    return cli_run.in_process(argv, stdin=stdin)


def run_in_a_process(argv: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    return cli_run.in_a_process(argv, stdin=stdin)


#: The replay's commands that also run as real processes: the refusal is the same there.
IN_REAL_PROCESSES = (0, -1)


def test_without_a_login_every_command_is_refused_and_changes_nothing(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    commands = no_login_commands(demo, out)
    # Every command of the parser that needs a login is in the replay.
    replayed = {" ".join(["mediation-desk", *[a for a in args if not a.startswith("-")][:3]]) for args, _ in commands}
    leaves = {p.prog for p in _leaf_parsers(cli.build_parser())} - WITHOUT_LOGIN - {"mediation-desk"}
    assert {prog for prog in leaves if not any(r.startswith(prog) for r in replayed)} == set()
    before = contents(demo)
    files_before = sorted(out.iterdir())
    # Each command in this process (a new process per command cost a second of imports each, the
    # whole replay over a minute), the first and last also as real processes.
    runs: list[tuple[list[str], str, Callable[[list[str], str], subprocess.CompletedProcess[str]]]] = [
        (args, stdin, run_in_process) for args, stdin in commands]
    runs += [(*commands[index], run_in_a_process) for index in IN_REAL_PROCESSES]
    for args, stdin, run in runs:
        result = run(["--database", f"sqlite:///{demo}", *args], stdin)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stderr.startswith(f"错误：{LOGIN_REQUIRED}（"), (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1 and "db check、db connect、check、mask" in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == "", args
        assert contents(demo) == before, f"{args} changed the database without a login"
        assert sorted(out.iterdir()) == files_before, f"{args} wrote a file without a login"


def test_user_add_needs_an_administrator_and_first_admin_only_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert run_cli("--database", url, "db", "upgrade").returncode == 0
    first = run_cli("--database", url, "user", "add", "zhao", "--name", "赵磊", "--role", "admin", "--first-admin",
                    "--password-stdin", stdin="Admin#2026x\n")
    assert first.returncode == 0, first.stderr
    assert "首位系统管理员 zhao" in first.stdout
    again = run_cli("--database", url, "user", "add", "eve", "--name", "夏娃", "--role", "admin", "--first-admin",
                    "--password-stdin", stdin="Admin#2026x\n")
    assert again.returncode == 2 and "已经有用户账户" in again.stderr and "Traceback" not in again.stderr
    backdoor = run_cli("--database", url, "user", "add", "backdoor", "--name", "后门", "--role", "head",
                       "--password-stdin", stdin="Backdoor#2026\n")
    assert backdoor.returncode == 2 and "此命令需要登录" in backdoor.stderr
    listed = run_cli("--database", url, "user", "list", "--json", "--as", "zhao", "--password-stdin",
                     stdin="Admin#2026x\n")
    assert [(u["username"], u["role"], u["must_change_password"]) for u in json.loads(listed.stdout)] == [
        ("zhao", "admin", False)]
    # The administrator signs in (first line of stdin) and gives the new account's password (second).
    added = run_cli("--database", url, "user", "add", "chen", "--name", "陈志强", "--role", "head", "--no-change",
                    "--as", "zhao", "--password-stdin", stdin="Admin#2026x\nHead#2026xx\n")
    assert added.returncode == 0, added.stderr
    # A head is no administrator: the service refuses the account, however it was asked for.
    by_head = run_cli("--database", url, "user", "add", "eve", "--name", "夏娃", "--role", "admin", "--as", "chen",
                      "--password-stdin", stdin="Head#2026xx\nEve#2026xxx\n")
    assert by_head.returncode == 2 and "只有系统管理员可以管理用户账户" in by_head.stderr


def test_first_admin_refuses_another_role(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert run_cli("--database", url, "db", "upgrade").returncode == 0
    head = run_cli("--database", url, "user", "add", "chen", "--name", "陈志强", "--role", "head", "--first-admin",
                   "--password-stdin", stdin="Head#2026xx\n")
    assert head.returncode == 2 and "只能新建系统管理员" in head.stderr


def test_case_show_as_a_mediator_of_another_team_is_refused(demo: Path) -> None:
    database = Database(f"sqlite:///{demo}")
    try:
        with database.read() as session:
            from sqlalchemy import select

            from mediation_desk.models import DisputeCase, TeamMember, User

            mediator_id = session.scalar(select(User.mediator_id).where(User.username == "mediator"))
            teams = set(session.scalars(select(TeamMember.team_id).where(TeamMember.mediator_id == mediator_id,
                                                                         TeamMember.left_on.is_(None))))
            others = session.scalars(select(DisputeCase.number).where(
                DisputeCase.team_id.is_not(None), DisputeCase.team_id.not_in(teams),
                (DisputeCase.lead_mediator_id != mediator_id) | DisputeCase.lead_mediator_id.is_(None))).all()
    finally:
        database.dispose()
    assert others, "the demo center has cases of other teams"
    shown = run_cli("--database", f"sqlite:///{demo}", "case", "show", others[0], "--json", "--as", "mediator",
                    "--password-stdin", stdin=f"{DEMO_PASSWORD}\n")
    assert shown.returncode == 2 and "不属于您所在的调解团队" in shown.stderr
    assert shown.stdout == "" and "Traceback" not in shown.stderr
    # The administrator reads no case content either.
    by_admin = run_cli("--database", f"sqlite:///{demo}", "case", "show", others[0], "--json", "--as", "admin",
                       "--password-stdin", stdin=f"{DEMO_PASSWORD}\n")
    assert by_admin.returncode == 2 and by_admin.stdout == "" and "系统管理员" in by_admin.stderr
    # The head sees it (and the ID numbers stay out of what a refused person got).
    by_head = run_cli("--database", f"sqlite:///{demo}", "case", "show", others[0], "--json", "--as", "head",
                      "--password-stdin", stdin=f"{DEMO_PASSWORD}\n")
    assert by_head.returncode == 0, by_head.stderr
    assert json.loads(by_head.stdout)["number"] == others[0]


def test_wrong_passwords_count_towards_the_lock_and_logins_are_audited(demo: Path) -> None:
    url = f"sqlite:///{demo}"
    for attempt in range(1, MAX_FAILED_LOGINS):
        wrong = run_cli("--database", url, "case", "list", "--as", "head", "--password-stdin", stdin="Guess#2026\n")
        assert wrong.returncode == 2 and wrong.stdout == ""
        assert f"再错 {MAX_FAILED_LOGINS - attempt} 次账户将被锁定" in wrong.stderr
    locked = run_cli("--database", url, "case", "list", "--as", "head", "--password-stdin", stdin="Guess#2026\n")
    assert locked.returncode == 2 and "账户已锁定" in locked.stderr
    # Locked: even the right password is refused now, as in the app.
    right = run_cli("--database", url, "case", "list", "--as", "head", "--password-stdin",
                    stdin=f"{DEMO_PASSWORD}\n")
    assert right.returncode == 2 and "账户已锁定" in right.stderr and right.stdout == ""
    # An unknown name gets the same words.
    ghost = run_cli("--database", url, "case", "list", "--as", "ghost", "--password-stdin", stdin="Guess#2026\n")
    assert ghost.returncode == 2 and "用户名或密码错误" in ghost.stderr
    audited = run_cli("--database", url, "audit", "list", "--json", "--as", "admin", "--password-stdin",
                      stdin=f"{DEMO_PASSWORD}\n")
    assert audited.returncode == 0, audited.stderr
    entries = json.loads(audited.stdout)["entries"]
    failed = [e for e in entries if e["action"] == "login_failed" and e["username"] == "head"]
    assert len(failed) >= MAX_FAILED_LOGINS - 1
    assert any(e["action"] == "account_locked" for e in entries)
    admin_login = next(e for e in entries if e["action"] == "login" and e["username"] == "admin")
    assert admin_login["workstation"], "the login names the workstation"
    assert all(e["workstation"] for e in failed)


def test_upgrade_of_a_database_with_accounts_needs_an_administrator(demo: Path) -> None:
    url = f"sqlite:///{demo}"
    by_head = run_cli("--database", url, "db", "upgrade", "--as", "head", "--password-stdin",
                      stdin=f"{DEMO_PASSWORD}\n")
    assert by_head.returncode == 2 and "只有系统管理员可以升级" in by_head.stderr
    by_admin = run_cli("--database", url, "db", "upgrade", "--as", "admin", "--password-stdin",
                       stdin=f"{DEMO_PASSWORD}\n")
    assert by_admin.returncode == 0, by_admin.stderr
    assert "已是最新结构" in by_admin.stdout
    demo_again = run_cli("--database", url, "demo")
    assert demo_again.returncode == 2 and "已有用户" in demo_again.stderr


def test_the_value_commands_need_no_database_and_no_login() -> None:
    assert run_cli("check", "phone", "13800138000").returncode == 0
    assert run_cli("mask", "id", "11010519491231002X").stdout.strip() == "110105********002X"


def test_an_account_an_administrator_set_up_first_changes_its_own_password(demo: Path) -> None:
    url = f"sqlite:///{demo}"
    added = run_cli("--database", url, "user", "add", "wang", "--name", "王晓燕", "--role", "intake", "--as", "admin",
                    "--password-stdin", stdin=f"{DEMO_PASSWORD}\nCounter#2026\n")
    assert added.returncode == 0, added.stderr
    # As in the app: the password the administrator chose works only to choose one's own.
    listed = run_cli("--database", url, "case", "list", "--as", "wang", "--password-stdin", stdin="Counter#2026\n")
    assert listed.returncode == 2 and "须先修改密码" in listed.stderr and listed.stdout == ""
    changed = run_cli("--database", url, "user", "passwd", "wang", "--as", "wang", "--password-stdin",
                      stdin="Counter#2026\nMy-own#2027\n")
    assert changed.returncode == 0, changed.stderr
    assert "已修改 wang 的密码" in changed.stdout
    again = run_cli("--database", url, "case", "list", "--json", "--as", "wang", "--password-stdin",
                    stdin="My-own#2027\n")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["total"] > 0
