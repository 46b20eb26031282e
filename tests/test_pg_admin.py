"""The administrator on a desk that holds only the desk role (issue 17 item 2, the administrator).

The administrator's database role (``md_admin``) reads no case row. Signed in through the real
login path (the desk role, then the person's own login role, as tests/test_pg_roles_flow.py does),
every service and command the administrator is offered must either work — the figures through the
server's count-only functions of migration 0018 — or be refused with the application's own Chinese
message: no server refusal (``permission denied``, “数据库服务器拒绝了这项操作”) and no traceback.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import keyring
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from mediation_desk import cli, demo, settings
from mediation_desk.db import Database
from mediation_desk.documents import report
from mediation_desk.models import ClockStage, Role, now
from mediation_desk.readmodels.publicity import PrintableList
from mediation_desk.readmodels.statistics import Figures
from mediation_desk.services import (
    audit,
    auth,
    backup,
    calendar,
    caselist,
    center,
    clocks,
    dberrors,
    organisation,
    pages,
    publicity,
    retention,
    search,
    statistics,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import PermissionDenied, ServiceError

from . import pgserver
from .conftest import MemoryKeyring

pytestmark = pytest.mark.postgresql

PASSWORD = demo.DEMO_PASSWORD
T = TypeVar("T")
#: What a server refusal looks like once it reached a person (services/dberrors.py), or raw.
SERVER_WORDS = ("permission denied", "数据库服务器拒绝", "Traceback", "42501", "insufficient_privilege")


class Center:
    def __init__(self, url: str) -> None:
        self.url = url
        self.owner = Database(url)

    def desk(self) -> Database:
        with self.owner.read() as session:
            desk_role = str(session.scalar(text("SELECT md_desk_role_name()")))
        return Database(make_url(self.url).set(username=desk_role))


@contextlib.contextmanager
def demo_center(server: pgserver.PgServer, template: str, name: str) -> Iterator[Center]:
    """The demo center (60 cases) on its own database, made on the owner's connection."""
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    made = Center(server.url_for(name))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # a module's fixture runs before the per-test keyring
    try:
        with made.owner.write() as session:
            session.execute(text("SELECT md_install_desk_role()"))
            demo.seed(session, 60)
    finally:
        keyring.set_keyring(previous)
    try:
        yield made
    finally:
        made.owner.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def center_db(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    with demo_center(pg_server, pg_template, "md_admin_center") as made:
        yield made


@pytest.fixture
def desk(center_db: Center) -> Iterator[Database]:
    database = center_db.desk()
    yield database
    database.dispose()


def _works_or_refused(what: str, call: Callable[[], T]) -> T | ServiceError:
    """The call's result, or the application's own refusal; a server refusal fails the test."""
    try:
        return call()
    except ServiceError as refused:
        assert not any(w in str(refused) for w in SERVER_WORDS), (what, str(refused))
        return refused
    except DBAPIError as raw:
        problem = dberrors.explain(raw)
        pytest.fail(f"{what}: the server refused it ({problem.cause if problem else '?'}): {raw.orig}")


def _clocks(center_db: Center) -> list[tuple[int, date | None, date | None]]:
    with center_db.owner.read() as session:
        return [(int(r[0]), r[1], r[2]) for r in session.execute(text(
            "SELECT id, clock_warn_on, clock_due_on FROM dispute_case ORDER BY id"))]


def _today() -> date:
    return now().date()


def test_the_administrators_figures_are_the_heads_counted_by_the_server(desk: Database) -> None:
    """The dashboard's figures and the monthly report: the administrator's come from the count-only
    functions, the head's from the rows; they are the same figures."""
    today = _today()
    start, end = today.replace(day=1) - timedelta(days=400), today
    month = f"{today:%Y-%m}"
    head = auth.login(desk, "head", PASSWORD)
    with desk.read() as session:
        assert not session.scalar(text("SELECT has_function_privilege('md_stat_received(date, date, text, integer[])',"
                                        " 'EXECUTE')"))  # the head reads the rows, not the functions
        heads = statistics.figures(session, head, start, end, today=today)
        heads_org = organisation.load_organisation(session, head)
        heads_report = statistics.load_monthly_report(session, head, month, today=today)
    admin = auth.login(desk, "admin", PASSWORD)
    with desk.read() as session:
        assert session.scalar(text("SELECT session_user")) == desk.signed_in_role
        assert not session.scalar(text("SELECT has_table_privilege('dispute_case', 'SELECT')"))
        admins = statistics.figures(session, admin, start, end, today=today)
        admins_org = organisation.load_organisation(session, admin)
        admins_report = statistics.load_monthly_report(session, admin, month, today=today)
    assert admins == heads
    assert heads.received.count > 0 and heads.by_result.total > 0 and heads.by_team.total > 0
    assert sum(t.open_cases for t in heads_org.teams) > 0
    assert admins_org.teams == heads_org.teams and admins_org.mediators == heads_org.mediators
    assert admins_report.figures == heads_report.figures
    assert report.render_pdf(admins_report).startswith(b"%PDF")


def test_every_service_the_administrator_is_offered_works_or_is_refused_in_chinese(
        center_db: Center, desk: Database, tmp_path: Path) -> None:
    admin = auth.login(desk, "admin", PASSWORD)
    today = _today()
    with desk.write() as session:
        # Organisation (every tab, the forms' reloads, and a team stopped and started again).
        org = _works_or_refused("organisation", lambda: organisation.load_organisation(session, admin))
        assert isinstance(org, organisation.Organisation) and org.can_edit
        team = next(t for t in org.teams if t.active and t.open_cases)
        assert _works_or_refused("teams", lambda: organisation.list_teams(session, admin))
        assert _works_or_refused("mediators", lambda: organisation.list_mediators(session, admin))
        stopped = _works_or_refused("deactivate team", lambda: organisation.deactivate_team(
            session, admin, team.id, expected_version=team.version))
        assert isinstance(stopped, organisation.Saved)
        assert any(f"还有 {team.open_cases} 件未办结" in note for note in stopped.notes)
        _works_or_refused("reactivate team", lambda: organisation.reactivate_team(
            session, admin, team.id, expected_version=stopped.item.version))
        # Users.
        assert _works_or_refused("users", lambda: auth.list_users(session, admin))
        _works_or_refused("create user", lambda: auth.create_user(
            session, admin, username="walkclerk", display_name="巡检受理员", role=Role.INTAKE,
            password="Start#2026x"))
        _works_or_refused("reset password", lambda: auth.set_password(session, admin, "walkclerk", "Reset#2026y"))
        _works_or_refused("deactivate user", lambda: auth.set_active(session, admin, "walkclerk", False))
        _works_or_refused("idle lock", lambda: auth.set_idle_lock_minutes(session, admin, 15))
        # Holidays and time limits: the clocks move at the next head's sign-in.
        _works_or_refused("calendar page", lambda: pages.calendar_page(session, admin, today.year, today))
        _works_or_refused("limits page", lambda: pages.limits_page(session, admin, None))
        _works_or_refused("holiday", lambda: calendar.set_entry(session, admin, date(today.year, 10, 9),
                                                                is_workday=False, name="巡检假日"))
        assert _works_or_refused("clocks", lambda: clocks.recompute_clocks_for(session, admin)) is None
        assert _works_or_refused("limit", lambda: clocks.set_limit(
            session, admin, ClockStage.MEDIATION, days=47, working_days=True, yellow_days=5)) is None
        assert center.get(session, settings.CLOCKS_STALE) is True
        # The audit log.
        assert _works_or_refused("audit count", lambda: audit.count_entries(session, admin)) > 0  # type: ignore[operator]
        _works_or_refused("audit list", lambda: audit.list_entries(session, admin, limit=20))
        _works_or_refused("audit choices", lambda: audit.usernames_and_actions(session, admin))
    with desk.read() as session:
        check = _works_or_refused("audit verify", lambda: audit.verify_chain(session))
        assert isinstance(check, audit.ChainCheck) and check.intact, check
        # Statistics and the monthly report (counts only).
        figures = _works_or_refused("figures", lambda: statistics.figures(
            session, admin, today - timedelta(days=365), today, today=today))
        assert isinstance(figures, Figures) and figures.received.count > 0
        # Case content: refused by the application, in Chinese, before the server is asked.
        content: list[tuple[str, Callable[[], object]]] = [
            ("case list", lambda: caselist.count_cases(session, admin, caselist.CaseQuery())),
            ("search", lambda: search.search(session, admin, "张")),
            ("retention", lambda: retention.archive_expired(session, admin, today, tmp_path / "a", dry_run=True))]
        for what, call in content:
            refused = _works_or_refused(what, call)
            assert isinstance(refused, PermissionDenied), (what, refused)
    # The publicity list: the administrator prints only what the head approved.
    month = publicity.last_month(today)
    with desk.write() as session:
        refused = _works_or_refused("publicity preview", lambda: publicity.printable(session, admin, month))
        assert isinstance(refused, PermissionDenied) and "尚未审核" in str(refused)
    stale = _clocks(center_db)
    head = auth.login(desk, "head", PASSWORD)
    with desk.write() as session:
        publicity.approve(session, head, month)
    with center_db.owner.read() as session:  # the head's sign-in moved the clocks
        assert center.get(session, settings.CLOCKS_STALE) is False
    caught_up = _clocks(center_db)
    assert caught_up != stale
    with center_db.owner.write() as session:
        clocks.recompute_open_clocks(session)
    assert _clocks(center_db) == caught_up  # exactly what a full recomputation gives
    admin = auth.login(desk, "admin", PASSWORD)
    with desk.write() as session:
        printed = _works_or_refused("publicity print", lambda: publicity.printable(session, admin, month))
        assert isinstance(printed, PrintableList) and printed.approval is not None
    # Backups: on the server they are IT's pg_dump with the owner's credential; said, not attempted.
    reason = backup.server_backup_refusal(desk)
    assert reason is not None and "pg_dump" in reason
    assert backup.server_backup_refusal(center_db.owner) is None
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("backup", lambda: backup.backup_now(desk, admin, tmp_path)),
        ("restore", lambda: backup.restore(desk, tmp_path / "x.sqlite3", admin, folder=tmp_path))]
    for what, attempt in attempts:
        refused = _works_or_refused(what, attempt)
        assert isinstance(refused, PermissionDenied) and "pg_dump" in str(refused), (what, refused)
    assert not list(tmp_path.glob("*.sqlite3"))


def _cli(desk: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
         *args: str, stdin: str = f"{PASSWORD}\n") -> tuple[int, str, str]:
    url = desk.url.render_as_string(hide_password=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(["--database", url, *args, "--as", "admin", "--password-stdin"])
    out, err = capsys.readouterr()
    assert not any(w in out + err for w in SERVER_WORDS), (args, out, err)
    return code, out, err


def test_every_command_the_administrator_is_offered_works_or_is_refused_in_chinese(
        desk: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    today = _today()
    month = f"{today:%Y-%m}"

    def run(*args: str, stdin: str = f"{PASSWORD}\n") -> tuple[int, str, str]:
        return _cli(desk, capsys, monkeypatch, *args, stdin=stdin)

    works: list[tuple[str, ...]] = [
        ("user", "list"),
        ("calendar", "between", f"{today.year}-01-01", f"{today.year}-01-31"),
        ("calendar", "set", f"{today.year}-10-08", "国庆节"),
        ("audit", "list", "--limit", "5"),
        ("audit", "verify"),
        ("report", "monthly", "--month", month, "--out", str(tmp_path / "月报.pdf")),
        ("report", "monthly", "--month", month, "--out", str(tmp_path / "月报.xlsx")),
    ]
    for args in works:
        code, out, err = run(*args)
        assert code == 0, (args, out, err)
    code, out, _ = run("calendar", "set", f"{today.year}-10-07", "国庆节")
    assert "下次登录时重新计算" in out
    code, out, err = run("user", "add", "cliclerk", "--name", "命令行受理员", "--role", "intake",
                         stdin=f"{PASSWORD}\nStart#2026x\n")
    assert code == 0, (out, err)
    assert (tmp_path / "月报.pdf").read_bytes().startswith(b"%PDF")
    refused: list[tuple[tuple[str, ...], str]] = [
        (("backup", "--to", str(tmp_path)), "pg_dump"),
        (("restore", str(tmp_path / "月报.pdf"), "--yes"), "不是 SQLite 数据库文件"),
        (("case", "list"), "无权"),
        (("search", "张"), "无权"),
        (("publicity", "--month", month, "--out", str(tmp_path / "公示.pdf")), "尚未审核"),
        (("retention", "run", "--dry-run", "--to", str(tmp_path / "archive")), "无权"),
    ]
    for args, words in refused:
        code, out, err = run(*args)
        assert code != 0 and err.startswith("错误："), (args, out, err)
        assert words in err, (args, err)
    assert not list(tmp_path.glob("*.sqlite3")) and not (tmp_path / "公示.pdf").exists()


def test_a_server_backup_of_a_real_sqlite_file_is_refused_before_it_is_read(
        desk: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``restore`` of a genuine backup into the server: refused for the administrator's role, in
    Chinese, with nothing written into the server."""
    source = Database(f"sqlite:///{tmp_path / 'src.sqlite3'}")
    from mediation_desk.db import upgrade

    upgrade(source, backup=False)
    source.dispose()
    code, _, err = _cli(desk, capsys, monkeypatch, "restore", str(tmp_path / "src.sqlite3"), "--yes")
    assert code != 0 and "pg_dump" in err, err


def test_an_older_server_is_upgraded_by_its_owner_not_by_the_administrator_at_a_desk(
        pg_database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A server one migration behind (as every desk-role server is when this version arrives): the
    administrator signed in at a desk cannot change the structure (their role has no right to); the
    app says who can, instead of passing on the server's refusal. The owner's upgrade works."""
    from mediation_desk.db import current_revision, head_revision, migrate_to
    from mediation_desk.ui.shell.server_settings import upgrade_as_admin

    owner = Database(pg_database_url)
    with owner.write() as session:  # the account as this version makes it, then the server one migration back
        desk_role = str(session.scalar(text("SELECT md_install_desk_role()")))
        auth.create_user(session, Actor.system("test"), username="admin", display_name="管理员", role=Role.ADMIN,
                         password=PASSWORD, must_change_password=False)
    migrate_to(owner, "0021")
    desk = Database(make_url(pg_database_url).set(username=desk_role))
    try:
        url = desk.url.render_as_string(hide_password=False)
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
        code = cli.main(["--database", url, "db", "upgrade", "--as", "admin", "--password-stdin"])
        _, err = capsys.readouterr()
        assert code != 0 and err.startswith("错误：") and "所有者的账户" in err, err
        assert not any(w in err for w in SERVER_WORDS), err
        with pytest.raises(PermissionDenied) as refused:
            upgrade_as_admin(desk, "admin", PASSWORD)
        assert "数据库所有者账户" in str(refused.value)
        assert current_revision(owner) == "0021"
    finally:
        desk.dispose()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert cli.main(["--database", pg_database_url, "db", "upgrade", "--as", "admin", "--password-stdin"]) == 0
    assert current_revision(owner) == head_revision()
    owner.dispose()
