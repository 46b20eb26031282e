"""``mediation-desk publicity``: the parser is built here as mediation_desk.cli builds it (the command module
is registered there by one line)."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from mediation_desk import demo
from mediation_desk.cli import publicity as cli_publicity
from mediation_desk.cli.context import CliError
from mediation_desk.db import Database
from mediation_desk.services import auth, publicity
from mediation_desk.services.errors import InvalidInput, NotFound


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mediation-desk")
    parser.add_argument("--database")
    sub = parser.add_subparsers(dest="command")
    cli_publicity.register(sub)
    return parser.parse_args(argv)


def first_page_text(path: Path) -> str:
    return PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text()


#: Printing the publicity list needs a login (issue 17): the demo center's head.
LOGIN = ("--as", "head", "--password-stdin")


@pytest.fixture(autouse=True)
def password_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo.DEMO_PASSWORD}\n" * 20))


@pytest.fixture
def demo_url(demo_sqlite_db: Database, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cases.sqlite3'}"


def test_unapproved_month_prints_a_marked_preview(demo_url: str, demo_sqlite_db: Database, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    month = publicity.last_month()
    out = tmp_path / "公示.pdf"
    assert cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "--month", month.key,
                                             "--out", str(out), *LOGIN)) == 0
    captured = capsys.readouterr()
    assert "未审核" in captured.err and "未审核预览" in captured.out
    assert "未审核" in first_page_text(out)

    with pytest.raises(NotFound, match="尚未审核"):
        cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "--month", month.key,
                                          "--out", str(tmp_path / "x.pdf"), "--approved-only", *LOGIN))
    assert not (tmp_path / "x.pdf").exists()


def test_approved_month_prints_the_snapshot(demo_url: str, demo_sqlite_db: Database, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    month = publicity.last_month()
    head = auth.login(demo_sqlite_db, "head", demo.DEMO_PASSWORD)
    with demo_sqlite_db.write() as session:
        approval = publicity.approve(session, head, month)
    paths = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for path in paths:
        args = parse("--database", demo_url, "publicity", "--month", month.key, "--out", str(path), "--approved-only",
                     *LOGIN)
        assert cli_publicity.cmd_publicity(args) == 0
    captured = capsys.readouterr()
    assert "已审核" in captured.out and captured.err == ""
    assert paths[0].read_bytes() == paths[1].read_bytes()
    text = first_page_text(paths[0])
    assert "未审核" not in text and approval.sha256[:16] in text


class Terminal(io.StringIO):
    """A stderr that is a terminal."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_pages_are_counted_on_stderr(demo_url: str, demo_sqlite_db: Database, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    out = tmp_path / "公示.pdf"
    assert cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "--month",
                                             publicity.last_month().key, "--out", str(out), *LOGIN)) == 0
    pages = len(PdfReader(str(out)).pages)
    said = terminal.getvalue()
    # One line rewritten in place (\r), from page 0 to the last, ended before the warnings that follow.
    assert said.startswith(f"\r正在生成公示 PDF：第 0 / {pages} 页…")
    assert f"\r正在生成公示 PDF：第 {pages} / {pages} 页…\n" in said and "未审核" in said


def test_month_and_folder_are_checked(demo_url: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="格式不对") as caught:
        cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "--month", "10月",
                                          "--out", str(tmp_path / "a.pdf"), *LOGIN))
    assert caught.value.field == "month"
    # A missing folder is refused while the command line is read, before the database is opened.
    with pytest.raises(SystemExit) as exited:
        parse("--database", demo_url, "publicity", "--month", "2026-10", "--out", str(tmp_path / "nowhere" / "a.pdf"))
    assert exited.value.code == 2
    assert not (tmp_path / "nowhere").exists()


def test_html_writes_the_approved_page_only(demo_url: str, demo_sqlite_db: Database, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from mediation_desk import settings
    from mediation_desk.services import center

    from .webcheck import page_text, validate

    month = publicity.last_month()
    web = tmp_path / "web"
    with pytest.raises(NotFound, match="尚未审核，不能生成公示网页"):
        cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "--month", month.key,
                                          "--html", str(web), *LOGIN))
    assert not web.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    head = auth.login(demo_sqlite_db, "head", demo.DEMO_PASSWORD)
    with demo_sqlite_db.write() as session:
        approval = publicity.approve(session, head, month)
        center.put(session, settings.PUBLICITY_FEEDBACK_EMAIL, "gzmtzx@example.cn")
    assert cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "--month", month.key,
                                             "--html", str(web), *LOGIN)) == 0
    captured = capsys.readouterr()
    assert f"{month.label}公示网页（已审核，" in captured.out and captured.err == ""
    index = web / "index.html"
    first = index.read_bytes()
    read = page_text(first.decode("utf-8"))
    text = "".join("".join(read.texts).split())
    assert "张掖市甘州区矛盾纠纷调处中心" in text and approval.sha256[:16] in text
    assert ("a", "href", "tel:0936-8212345") in read.attributes and "县府街88号" in text
    assert ("a", "href", "mailto:gzmtzx@example.cn") in read.attributes

    # A folder with something in it is refused without --force; with it, the same bytes again.
    args = ("--database", demo_url, "publicity", "--month", month.key, "--html", str(web), *LOGIN)
    with pytest.raises(CliError, match="不是空的"):
        cli_publicity.cmd_publicity(parse(*args))
    assert cli_publicity.cmd_publicity(parse(*args, "--force")) == 0
    assert index.read_bytes() == first
    with pytest.raises(SystemExit):  # one target: a PDF or a page
        parse("--database", demo_url, "publicity", "--month", month.key, "--html", str(web), "--out",
              str(tmp_path / "a.pdf"))
    assert validate(index) == []


def test_approve_from_the_command_line_is_the_apps_approval(demo_url: str, demo_sqlite_db: Database, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from mediation_desk.services.errors import PermissionDenied

    month = publicity.last_month()
    # Irreversible: refused without --yes (nothing kept), and never beside a file to write.
    with pytest.raises(CliError, match="不能撤回。确认审核请加 --yes"):
        cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "approve", "--month", month.key,
                                          *LOGIN))
    with pytest.raises(CliError, match="不能与 --out 同用"):
        cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "approve", "--month", month.key,
                                          "--yes", "--out", str(tmp_path / "a.pdf"), *LOGIN))
    with demo_sqlite_db.read() as session:
        assert publicity.snapshot(session, month) is None
    # Only the head approves, as in the app.
    with pytest.raises(PermissionDenied, match="只有中心主任可以审核公示名单"):
        cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "approve", "--month", month.key,
                                          "--yes", "--as", "clerk", "--password-stdin"))
    with pytest.raises(InvalidInput) as bad:
        cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "approve", "--month", "10月",
                                          "--yes", *LOGIN))
    assert bad.value.field == "month"
    assert cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "approve", "--month", month.key,
                                             "--yes", *LOGIN)) == 0
    out = capsys.readouterr().out
    with demo_sqlite_db.read() as session:
        approved = publicity.snapshot(session, month)
        current = publicity.publicity_rows(session, month)
    assert approved is not None and approved.intact
    assert approved.approval.approved_by == "陈志强" and approved.approval.sha256[:16] in out
    assert list(approved.rows) == current  # the list as it read when approved
    assert f"{month.label}公示名单已审核：{approved.approval.case_count} 件案件" in out
    # The approved month now prints and publishes without a warning.
    assert cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "--month", month.key,
                                             "--out", str(tmp_path / "p.pdf"), "--approved-only", *LOGIN)) == 0
    # Neither a file nor approve: told what to give.
    with pytest.raises(CliError, match="请用 --out 指定"):
        cli_publicity.cmd_publicity(parse("--database", demo_url, "publicity", "--month", month.key, *LOGIN))
