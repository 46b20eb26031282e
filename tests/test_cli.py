"""The ``mediation-desk`` command, run as a user would run it, against real databases."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from mediation_desk.db import head_revision
from mediation_desk.demo.loop import STORY_CASES

from . import cli_run


def run_cli(*args: str, stdin: str = "", home: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command through the interpreter's entry point, in this process (:mod:`.cli_run`)."""
    return cli_run.in_process(args, stdin=stdin, home=home)


def run_cli_process(*args: str, stdin: str = "", home: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a new process."""
    return cli_run.in_a_process(args, stdin=stdin, home=home)


#: Every command that reads or changes the center's data signs in (issue 17): the demo's head, or
#: the administrator a new database gets with ``user add --first-admin``.
DEMO_LOGIN_STDIN = "Demo@2026\n"
ADMIN_PASSWORD = "Admin#2026x"


def as_(username: str) -> tuple[str, str, str]:
    """The login options of a command run as ``username`` (the password is a line of stdin)."""
    return ("--as", username, "--password-stdin")


def first_admin(url: str, username: str = "admin", home: Path | None = None) -> None:
    """The first administrator of a new database (no login: no account exists yet)."""
    made = run_cli("--database", url, "user", "add", username, "--name", "赵磊", "--role", "admin", "--first-admin",
                   "--password-stdin", stdin=f"{ADMIN_PASSWORD}\n", home=home)
    assert made.returncode == 0, made.stderr


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


#: The cases the demo's loop registers for the risk briefing (docs/demo.md).
STORIES = STORY_CASES


def _demo_center(url: str) -> None:
    created = run_cli("--database", url, "db", "upgrade")
    assert created.returncode == 0, created.stderr
    assert f"空库 → {head_revision()}" in created.stdout
    # The county center alone (the townships' cases are tests/services/test_centers.py's).
    seeded = run_cli("--database", url, "demo", "--cases", "40", "--township-cases", "0")
    assert seeded.returncode == 0, seeded.stderr
    assert "40 件案件" in seeded.stdout and "head（中心主任）" in seeded.stdout
    # …and the loop of docs/demo.md: the briefing's six cases registered at the counter, the orders…
    assert f"{STORIES} 件研判示例案件" in seeded.stdout and "张 12345 工单" in seeded.stdout


def _exercise(url: str) -> None:
    _demo_center(url)
    listed = run_cli("--database", url, "case", "list", "--limit", "5", "--json", *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["total"] == 40 + STORIES and len(data["cases"]) == 5
    number = data["cases"][0]["number"]
    assert number.startswith("（20") and "甘矛调字第" in number

    shown = run_cli("--database", url, "case", "show", number, "--json", *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert shown.returncode == 0, shown.stderr
    detail = json.loads(shown.stdout)
    assert detail["number"] == number and detail["parties"] and detail["events"]
    assert detail["events"][0]["to_state"] == "registered"

    registered = run_cli("--database", url, "case", "list", "--state", "registered", "--json", *as_("head"),
                         stdin=DEMO_LOGIN_STDIN)
    reg_cases = json.loads(registered.stdout)["cases"]
    if reg_cases:
        target = reg_cases[0]["number"]
        wrong = run_cli("--database", url, "case", "act", target, "approve_closure", "--as", "head",
                        "--password-stdin", stdin="Demo@2026\n")
        assert wrong.returncode == 2
        assert "当前状态为“登记”，不能执行“审核结案”" in wrong.stderr
        done = run_cli("--database", url, "case", "act", target, "accept", "--as", "clerk", "--password-stdin",
                       stdin="Demo@2026\n")
        assert done.returncode == 0, done.stderr
        assert "登记 → 受理" in done.stdout

    again = run_cli("--database", url, "demo")
    assert again.returncode == 2 and "已有用户" in again.stderr


def test_cli_on_sqlite(sqlite_url: str) -> None:
    _exercise(sqlite_url)


@pytest.mark.postgresql
def test_cli_on_postgresql(empty_pg_database_url: str) -> None:
    _exercise(empty_pg_database_url)


def test_user_commands(sqlite_url: str) -> None:
    assert run_cli("--database", sqlite_url, "db", "upgrade").returncode == 0
    first_admin(sqlite_url)
    weak = run_cli("--database", sqlite_url, "user", "add", "wang", "--name", "王晓燕", "--role", "intake",
                   *as_("admin"), stdin=f"{ADMIN_PASSWORD}\nshort\n")
    assert weak.returncode == 2 and "至少需要 8 个字符" in weak.stderr
    added = run_cli("--database", sqlite_url, "user", "add", "wang", "--name", "王晓燕", "--role", "intake",
                    *as_("admin"), stdin=f"{ADMIN_PASSWORD}\nCounter#2026\n")
    assert added.returncode == 0, added.stderr
    assert "王晓燕" in added.stdout and "受理员" in added.stdout
    reset = run_cli("--database", sqlite_url, "user", "passwd", "wang", *as_("admin"),
                    stdin=f"{ADMIN_PASSWORD}\nCounter#2027\n")
    assert reset.returncode == 0, reset.stderr
    listed = run_cli("--database", sqlite_url, "user", "list", "--json", *as_("admin"), stdin=f"{ADMIN_PASSWORD}\n")
    users = json.loads(listed.stdout)
    assert [(u["username"], u["role"], u["must_change_password"]) for u in users] == [
        ("admin", "admin", False), ("wang", "intake", True)]  # the administrator who signed in is listed too
    ghost = run_cli("--database", sqlite_url, "user", "passwd", "ghost", *as_("admin"),
                    stdin=f"{ADMIN_PASSWORD}\nCounter#2027\n")
    assert ghost.returncode == 2 and "ghost" in ghost.stderr


def test_missing_database_file_is_an_error_not_a_new_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    result = run_cli_process("--database", f"sqlite:///{missing}", "case", "list", *as_("head"),
                             stdin=DEMO_LOGIN_STDIN)
    assert result.returncode == 2 and "不存在" in result.stderr
    assert not missing.exists()


def test_default_database_lives_in_the_data_folder(app_home: Path) -> None:
    assert run_cli_process("db", "upgrade").returncode == 0  # a new interpreter finds the folder itself
    assert (app_home / "data" / "mediation-desk.sqlite3").exists()


@pytest.mark.parametrize(
    ("kind", "value", "code", "expected"),
    [
        ("id", "11010519491231002X", 0, "有效：11010519491231002X，出生日期 1949年12月31日，性别 女"),
        ("id", "110105194912310021", 2, "错误：身份证号码校验位不正确，可能有数字输错，请逐位核对。"),
        ("phone", "0936-8212345", 0, "有效：0936-8212345"),
        ("phone", "1380013800", 2, "错误：手机号码应为 11 位，现在是 10 位。"),
        ("uscc", "91350100M000100Y43", 0, "有效：91350100M000100Y43"),
        ("uscc", "91350100M000100Y44", 2, "错误：统一社会信用代码校验位不正确，可能有字符输错，请逐位核对。"),
    ],
)
def test_check_command_prints_what_the_form_would(kind: str, value: str, code: int, expected: str) -> None:
    result = run_cli("check", kind, value)
    said = result.stdout if code == 0 else result.stderr  # a refused value is an error, as every argument's
    assert (result.returncode, said.strip()) == (code, expected)


@pytest.mark.story_day("2026-11-30T10:00")  # the hotline tickets were received in November 2026
def test_import_cases_command_reports_bad_rows_and_never_duplicates(sqlite_url: str, tmp_path: Path) -> None:
    assert run_cli("--database", sqlite_url, "db", "upgrade").returncode == 0
    first_admin(sqlite_url)
    clerk = run_cli("--database", sqlite_url, "user", "add", "clerk", "--name", "王晓燕", "--role", "intake",
                    "--no-change", *as_("admin"), stdin=f"{ADMIN_PASSWORD}\nCounter#2026\n")
    assert clerk.returncode == 0, clerk.stderr
    path = tmp_path / "hotline.csv"
    path.write_text(
        "来源编号,登记时间,纠纷类型,纠纷名称,申请人,申请人电话\n"
        "R1,2026-11-20 09:30,物业,电梯停运纠纷,郑丽,13800138000\n"
        "R2,2026-11-20 10:00,物业,重复收费纠纷,王强,138\n",
        encoding="gb18030",
    )
    first = run_cli("--database", sqlite_url, "import-cases", str(path), *as_("clerk"), stdin="Counter#2026\n")
    assert first.returncode == 1
    assert "第 3 行，申请人电话：手机号码应为 11 位，现在是 3 位。" in first.stderr
    assert "导入 1 件，已导入过而跳过 0 件，有错未导入 1 行。" in first.stdout
    second = run_cli("--database", sqlite_url, "import-cases", str(path), *as_("clerk"), stdin="Counter#2026\n")
    assert "导入 0 件，已导入过而跳过 1 件" in second.stdout


def test_import_documentation_lists_every_column() -> None:
    from mediation_desk.services.case_import import COLUMNS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "import-cases.md").read_text(encoding="utf-8")
    for key, (header, _, _) in COLUMNS.items():
        assert f"| {header} | `{key}` |" in doc


def test_calendar_commands(sqlite_url: str) -> None:
    assert run_cli("--database", sqlite_url, "db", "upgrade").returncode == 0
    first_admin(sqlite_url)
    login = (*as_("admin"),)
    stdin = f"{ADMIN_PASSWORD}\n"
    added = run_cli("--database", sqlite_url, "calendar", "add", "2026-02-13", "6", *login, stdin=stdin)
    assert (added.returncode, added.stdout.strip()) == (0, "2026-02-28")
    between = run_cli("--database", sqlite_url, "calendar", "between", "2026-09-30", "2026-10-10", *login, stdin=stdin)
    assert (between.returncode, between.stdout.strip()) == (0, "3")
    bad = run_cli("--database", sqlite_url, "calendar", "add", "2026/02/13", "6", *login, stdin=stdin)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    entered = run_cli("--database", sqlite_url, "calendar", "set", "2027-01-01", "元旦", *login, stdin=stdin)
    assert entered.returncode == 0 and "2027年01月01日 元旦 放假" in entered.stdout
    after = run_cli("--database", sqlite_url, "calendar", "add", "2026-12-31", "1", *login, stdin=stdin)
    assert after.stdout.strip() == "2027-01-04"


@pytest.mark.parametrize(
    ("args", "expected"),
    [(["name", "欧阳娜娜"], "欧阳某"), (["name", "阿依古丽·买买提", "--style", "某某"], "阿某某"),
     (["id", "11010519491231002X"], "110105********002X"), (["phone", "13800138000"], "138****8000")],
)
def test_mask_command(args: list[str], expected: str) -> None:
    result = run_cli("mask", *args)
    assert (result.returncode, result.stdout.strip()) == (0, expected)


def test_doc_command_writes_a_pdf_or_says_why_not(sqlite_url: str, tmp_path: Path) -> None:
    _demo_center(sqlite_url)
    listed = json.loads(run_cli("--database", sqlite_url, "case", "list", "--limit", "1", "--json", *as_("head"),
                                stdin=DEMO_LOGIN_STDIN).stdout)
    number = listed["cases"][0]["number"]
    out = tmp_path / "registration.pdf"
    made = run_cli("--database", sqlite_url, "doc", "registration", number, "--out", str(out), *as_("head"),
                   stdin=DEMO_LOGIN_STDIN)
    assert made.returncode == 0, made.stderr
    assert out.read_bytes().startswith(b"%PDF") and "受理登记表" in made.stdout
    missing = run_cli("--database", sqlite_url, "doc", "agreement", number, "--out", str(tmp_path / "a.pdf"),
                      *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert missing.returncode == 2 and "协议" in missing.stderr
    assert not (tmp_path / "a.pdf").exists()
