"""Every writer announces its changes; a database that cannot be reached is explained in Chinese.

The command line, the case import and the retention run write through ``Database.write`` as the
app does, so an open desk hears of them (PostgreSQL NOTIFY, or SQLite's data version). libpq's
English ("Connection refused … Is the server running …") never reaches a person: each cause has a
Chinese explanation, and no password from a connection URL is ever echoed.
"""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import Any

import psycopg
import psycopg.errors
import pytest
import time_machine
from sqlalchemy import Table, text
from sqlalchemy.exc import OperationalError

from mediation_desk import cli, live, settings
from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import CaseState, Role
from mediation_desk.services import cases, center, dberrors
from mediation_desk.services.actor import Actor

from ..documents.casefile import ON_STORY_DAY
from .helpers import PASSWORD, make_user, register
from .settled import close, settled_case


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nobody listens there once the socket is closed


class Heard:
    """A listener as another desk runs it, collecting what it hears."""

    def __init__(self, db: Database) -> None:
        self.changes: list[Changes] = []
        self.lock = threading.Lock()
        self.listener = live.Listener(db.writer.url, "the-other-desk", self._on)

    def _on(self, changes: Changes) -> None:
        with self.lock:
            self.changes.append(changes)

    def saw(self, predicate: object) -> bool:
        with self.lock:
            return any(predicate(c) for c in self.changes)  # type: ignore[operator]

    def clear(self) -> None:
        with self.lock:
            self.changes.clear()


@pytest.fixture
def pg_db(pg_database_url: str) -> Iterator[Database]:
    database = Database(pg_database_url)
    yield database
    database.dispose()


@pytest.fixture
def heard(pg_db: Database) -> Iterator[Heard]:
    other = Heard(pg_db)
    other.listener.start()
    assert other.listener.wait_listening(5)
    yield other
    other.listener.stop()


def _cli(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(list(args))


@pytest.mark.story_day("2026-11-30T10:00")  # the hotline ticket was received in November 2026
@pytest.mark.postgresql
def test_command_line_writes_reach_the_other_desks(pg_db: Database, pg_database_url: str, heard: Heard,
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   test_clock: time_machine.Traveller) -> None:
    clerk = make_user(pg_db, "window", Role.INTAKE)
    case_id = register(pg_db, clerk, title="西街噪音纠纷")
    with pg_db.read() as session:
        number = cases.case_detail(session, clerk, case_id).number
    heard.clear()

    # case act … accept --as clerk
    assert _cli(monkeypatch, "--database", pg_database_url, "case", "act", number, "accept", "--as", "window",
                "--password-stdin", stdin=PASSWORD + "\n") == 0
    assert live.wait_for(lambda: heard.saw(lambda c: case_id in c.case_ids and c.case_list), 5)
    with pg_db.read() as session:
        assert cases.case_detail(session, clerk, case_id).state is CaseState.ACCEPTED

    # import-cases: new rows, so every case list hears of them
    heard.clear()
    csv = tmp_path / "hotline.csv"
    csv.write_text("来源编号,登记时间,纠纷类型,纠纷名称,申请人,申请人电话\n"
                   "R1,2026-11-20 09:30,物业,电梯停运纠纷,郑丽,13800138000\n", encoding="utf-8")
    assert _cli(monkeypatch, "--database", pg_database_url, "import-cases", str(csv), "--as", "window",
                "--password-stdin", stdin=PASSWORD + "\n") == 0
    assert live.wait_for(lambda: heard.saw(lambda c: c.case_list), 5)

    # retention run: the archived case is announced by id
    settled = settled_case(pg_db)
    with pg_db.write() as session:
        center.put(session, settings.DOSSIER_RETENTION, "短期")
    close(settled)
    with pg_db.read() as session:
        from mediation_desk.models import DisputeCase

        due = session.get_one(DisputeCase, settled.case_id).retain_until
    assert due is not None
    # Issue 17: no --today; the day comes, the head makes a dry run, then the run.
    test_clock.move_to(datetime.combine(due, time(10, 0)).astimezone())
    as_head = ("--as", "head", "--password-stdin")
    assert _cli(monkeypatch, "--database", pg_database_url, "retention", "run", "--dry-run", *as_head,
                stdin=PASSWORD + "\n") == 0
    heard.clear()
    assert _cli(monkeypatch, "--database", pg_database_url, "retention", "run", *as_head,
                "--to", str(tmp_path / "archive"), stdin=PASSWORD + "\n") == 0
    assert "已归档 1 件" in capsys.readouterr().out
    assert live.wait_for(lambda: heard.saw(lambda c: settled.case_id in c.case_ids), 5)

    # A write that fails sends nothing.
    heard.clear()
    assert _cli(monkeypatch, "--database", pg_database_url, "case", "act", number, "approve_closure", "--as",
                "window", "--password-stdin", stdin=PASSWORD + "\n") == 2
    live.wait_for(lambda: bool(heard.changes), 0.5)
    assert not heard.saw(lambda c: case_id in c.case_ids)


def test_an_sqlite_desk_sees_another_process_write_to_its_file(sqlite_db: Database) -> None:
    seen = threading.Event()
    watcher = live.DataVersionWatcher(sqlite_db.writer, seen.set, interval=0.05)
    watcher.start()
    try:
        assert watcher.wait_polled(5)
        clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
        register(sqlite_db, clerk)  # this desk's own writes: nothing to refresh
        live.wait_for(seen.is_set, 0.3)
        assert watcher.seen == 0
        # The command line opens the same file with engines of its own.
        other = Database(sqlite_db.url)
        try:
            register(other, Actor.system("cli"), title="命令行登记")
        finally:
            other.dispose()
        assert seen.wait(5)
        assert watcher.seen == 1
    finally:
        watcher.stop()
    assert not watcher.running


# --------------------------------------------------------------------------- errors in Chinese


def _raised(fn: object) -> BaseException:
    try:
        fn()  # type: ignore[operator]
    except Exception as error:
        return error
    raise AssertionError("no error")


def _chinese_only(message: str) -> None:
    for english in ("Connection refused", "Is the server running", "password authentication", "FATAL",
                    "does not exist", "SSL", "timeout expired", "psycopg", "OperationalError"):
        assert english not in message, message


def test_a_refused_connection_is_explained_without_the_password() -> None:
    port = _closed_port()
    db = Database(f"postgresql+psycopg://app:s3cret@127.0.0.1:{port}/center")
    try:
        error = _raised(lambda: db.writer.connect().close())
    finally:
        db.dispose()
    assert isinstance(error, OperationalError)
    assert "Connection refused" in str(error)  # libpq's words …
    problem = dberrors.explain(error)
    assert problem is not None and problem.unreachable and problem.cause == "refused"
    assert f"127.0.0.1:{port}" in problem.message and "拒绝连接" in problem.message  # … told in Chinese
    assert "s3cret" not in problem.message
    _chinese_only(problem.message)


def test_the_command_line_says_why_it_cannot_reach_the_server(capsys: pytest.CaptureFixture[str]) -> None:
    port = _closed_port()
    code = cli.main(["--database", f"postgresql+psycopg://app:s3cret@127.0.0.1:{port}/center", "case", "list",
                     "--as", "head", "--password-stdin"])  # the server is tried before the password is read
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("错误：无法连接到中心服务器（127.0.0.1:") and "拒绝连接" in err
    assert "s3cret" not in err and "窗口" not in err  # no window to keep input in
    _chinese_only(err)


@pytest.mark.postgresql
def test_real_server_refusals_are_explained_by_cause(pg_db: Database) -> None:
    port = pg_db.url.port
    base: dict[str, Any] = {"host": "127.0.0.1", "port": port, "connect_timeout": 5}

    missing_db = _raised(lambda: psycopg.connect(dbname="no_such_center", user="app", **base))
    problem = dberrors.explain(missing_db)
    assert problem is not None and problem.cause == "database" and "“no_such_center”" in problem.message
    assert not problem.unreachable

    missing_role = _raised(lambda: psycopg.connect(dbname="postgres", user="nobody", **base))
    problem = dberrors.explain(missing_role)
    assert problem is not None and problem.cause == "role" and "“nobody”" in problem.message

    # The test server speaks no TLS; a desk that requires it is told so.
    no_tls = _raised(lambda: psycopg.connect(dbname="postgres", user="app", sslmode="require", **base))
    problem = dberrors.explain(no_tls)
    assert problem is not None and problem.cause == "tls" and "加密" in problem.message

    # A read-only transaction refuses the write.
    def write_read_only() -> None:
        with pg_db.write() as session:
            session.execute(text("SET TRANSACTION READ ONLY"))
            session.execute(text("CREATE TEMP TABLE t (x int)"))
            session.execute(text("INSERT INTO t VALUES (1)"))
            session.execute(text("UPDATE app_user SET display_name = display_name"))

    problem = dberrors.explain(_raised(write_read_only))
    assert problem is not None and problem.cause == "read_only" and "只读" in problem.message

    # The administrator stops the server (or kills the session) under a working desk.
    with psycopg.connect(dbname=pg_db.url.database, user="app", application_name="victim", **base) as victim:
        with psycopg.connect(dbname=pg_db.url.database, user="app", autocommit=True, **base) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim'")
        killed = _raised(lambda: victim.execute("SELECT 1"))
    problem = dberrors.explain(killed)
    assert problem is not None and problem.unreachable and problem.cause in ("shutdown", "lost")
    for error in (missing_db, missing_role, no_tls, killed):
        explained = dberrors.explain(error)
        assert explained is not None
        _chinese_only(explained.message)


@pytest.mark.parametrize(("error", "cause", "words"), [
    (psycopg.errors.InvalidPassword('connection to server at "10.0.0.5", port 5432 failed: FATAL:  password '
                                    'authentication failed for user "clerk"'), "password", "“clerk”的数据库密码不正确"),
    (psycopg.OperationalError('connection to server at "10.0.0.5", port 5432 failed: FATAL:  no pg_hba.conf entry '
                              'for host "10.0.0.9", user "clerk", database "center", no encryption'), "hba",
     "pg_hba.conf"),
    (psycopg.OperationalError('connection to server at "10.0.0.5", port 5432 failed: timeout expired'), "timeout",
     "超时"),
    (psycopg.OperationalError('could not translate host name "center-db" to address: Name or service not known'),
     "host", "找不到中心服务器（center-db）"),
    (psycopg.OperationalError("failed to resolve host 'center-db': [Errno -2] Name or service not known"), "host",
     "找不到中心服务器（center-db）"),
    (psycopg.OperationalError("server closed the connection unexpectedly\n\tThis probably means the server "
                              "terminated abnormally"), "lost", "意外中断"),
    (psycopg.OperationalError('connection to server at "10.0.0.5", port 5432 failed: SSL error: certificate '
                              'verify failed'), "tls", "证书"),
    (psycopg.errors.TooManyConnections("sorry, too many clients already"), "busy", "连接数已满"),
    (psycopg.errors.DiskFull('could not extend file "base/16384/2619": No space left on device'), "disk_full",
     "磁盘空间已满"),
    (psycopg.errors.CannotConnectNow("the database system is starting up"), "starting", "正在启动"),
    (psycopg.errors.DeadlockDetected("deadlock detected"), "retry", "再保存一次"),
])
def test_libpq_texts_are_translated_by_cause(error: BaseException, cause: str, words: str) -> None:
    problem = dberrors.explain(error)
    assert problem is not None and problem.cause == cause
    assert words in problem.message
    _chinese_only(problem.message)


def test_what_is_not_a_database_error_is_left_alone() -> None:
    assert dberrors.explain(ValueError("bug")) is None
    assert dberrors.explain(RuntimeError("also a bug")) is None
    unknown = dberrors.explain(psycopg.errors.DataCorrupted("invalid page in block 7"))
    assert unknown is not None and "错误代码 XX001" in unknown.message and "invalid page" not in unknown.message


def test_tracking_names_the_cases_a_bulk_statement_touched() -> None:
    from sqlalchemy import insert

    from mediation_desk.models import Party

    statement = insert(live_table(Party.__tablename__))
    assert live.changes_of_statement(statement, [{"case_id": 3}, {"case_id": 4}]) == Changes(
        case_ids=frozenset({3, 4}), case_list=True)
    many = [{"case_id": i} for i in range(live.MAX_CASE_IDS + 5)]
    assert live.changes_of_statement(statement, many) == Changes(case_list=True)
    assert live.changes_of_statement(insert(live_table("audit_entry")), {}) == Changes()
    assert live.changes_of_statement(insert(live_table("app_user")), {}) == Changes(users=True)
    assert live.changes_of_statement(insert(live_table("holiday")), {}) == Changes(settings=True)
    assert live.changes_of_statement(insert(live_table("team")), {}) == Changes(organisation=True)


def live_table(name: str) -> Table:
    from mediation_desk.models import Base

    return Base.metadata.tables[name]


@pytest.mark.postgresql
def test_a_bulk_load_announces_the_list_not_a_million_ids(pg_db: Database, heard: Heard) -> None:
    from sqlalchemy import insert

    from mediation_desk.models import CaseEvent

    clerk = make_user(pg_db, "window", Role.INTAKE)
    case_id = register(pg_db, clerk)
    heard.clear()
    with pg_db.write() as session:
        # Ids past the limit, in several statements (the rows are never inserted: only tracked).
        for start in range(0, live.MAX_CASE_IDS + 10, 4000):
            live._add(session, live.changes_of_statement(
                insert(live_table(CaseEvent.__tablename__)),
                [{"case_id": i} for i in range(start + 1_000_000, start + 1_004_000)]))
        assert live.tracked(session) == Changes(case_list=True)
        live._add(session, Changes.cases(case_id))
        assert live.tracked(session) == Changes(case_list=True)  # ids are no longer collected
    assert live.wait_for(lambda: heard.saw(lambda c: c == Changes(case_list=True)), 5)


def test_a_busy_pool_is_not_an_outage() -> None:
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    problem = dberrors.explain(PoolTimeout("QueuePool limit of size 5 overflow 5 reached"))
    assert problem is not None and problem.cause == "pool" and not problem.unreachable
    assert "都在忙" in problem.message


@ON_STORY_DAY
@pytest.mark.postgresql
def test_an_imported_transfer_packet_reaches_the_other_desks(sqlite_db: Database, pg_db: Database,
                                                           pg_database_url: str, heard: Heard, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from ..exchange.casebuild import failed_case

    built = failed_case(sqlite_db, files=False)
    make_user(pg_db, "head", Role.HEAD)
    login = ["--as", "head", "--password-stdin"]  # both commands sign in (issue 17)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n" * 2))
    packet = tmp_path / "移送.zip"
    assert cli.main(["--database", f"sqlite:///{sqlite_db.url.database}", "export", built.number, "--to", "court",
                     "--target-name", "张掖市甘州区人民法院", "--out", str(packet),
                     "--claim", "判令被申请人赔偿损失8600元", *login]) == 0
    heard.clear()
    assert cli.main(["--database", pg_database_url, "import-packet", str(packet), *login]) == 0
    assert "已导入移送材料包" in capsys.readouterr().out
    assert live.wait_for(lambda: heard.saw(lambda c: c.case_list and bool(c.case_ids)), 5)
