"""What happens after Enter on the login, in order (issue 20 item 1, ``bench/startup.py``).

The main window is made while argon2 checks the password, but nothing it asks of the database
runs before the check said yes: no case is read for a person not signed in, and a wrong password
drops the window and its reads. The day's backup of a SQLite desk starts only after the first rows
are shown, never holds the login or the work up (proved with the copy stopped half-way while the
person signs out and in again), and a desk closed in the middle of it keeps the backups it had.
The order is proved by the events each part records, not by timings.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import sqlite3
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Literal

import pytest
import shiboken6
from argon2 import PasswordHasher
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from mediation_desk import demo, settings
from mediation_desk.db import Database, backup_sqlite
from mediation_desk.documents import fonts
from mediation_desk.models import AuditEntry, DisputeCase, User
from mediation_desk.paths import resources_dir
from mediation_desk.services import auth, backup, dossier
from mediation_desk.services.actor import Actor
from mediation_desk.ui import app as app_module
from mediation_desk.ui.app import SIGN_IN_SWITCH_INTERVAL_S, Startup
from mediation_desk.ui.common import collector as collector_module
from mediation_desk.ui.common.collector import (
    KEEP_LATER_MS,
    START_GC_THRESHOLD,
    StartupCollector,
    keep_made,
    keep_made_later,
)
from mediation_desk.ui.desk.desk import DeskPanel
from mediation_desk.ui.shell.daily_backup import DailyBackup, lower_thread_priority
from mediation_desk.ui.shell.main_window import MainWindow

from .conftest import Runner

pytestmark = pytest.mark.gui


class Events(list[str]):
    """What happened, in order, from any thread (appending to a list is atomic in CPython)."""

    def index_of(self, what: str) -> int:
        return self.index(what)

    def before(self, first: str, then: str) -> bool:
        return first in self and then in self and self.index(first) < self.index(then)


@pytest.fixture
def events() -> Iterator[Events]:
    happened = Events()

    class RecordingHasher(PasswordHasher):
        """The suite's cheap argon2, saying when a check began and when it answered."""

        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            happened.append("password check started")
            try:
                return super().verify(hash, password)
            finally:
                happened.append("password checked")

    previous = auth.use_hasher(RecordingHasher(time_cost=1, memory_cost=1024, parallelism=1))

    def statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        if "dispute_case" in sql:
            happened.append("case read")

    event.listen(Engine, "before_cursor_execute", statement)
    yield happened
    event.remove(Engine, "before_cursor_execute", statement)
    auth.use_hasher(previous)


@pytest.fixture
def startups(qtbot: QtBot) -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        startup.close()
        if startup.window is not None:
            startup.window.close()


def start(qtbot: QtBot, startups: list[Startup], database: Database, *, synchronous: bool = True,
          collector: StartupCollector | None = None) -> Startup:
    startup = Startup(f"sqlite:///{database.url.database}", runner=Runner(None, synchronous=synchronous),
                      collector=collector)
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    startup.backup_after_ms = 0
    qtbot.addWidget(startup.login)
    startups.append(startup)
    startup.begin()
    login = startup.login
    qtbot.waitUntil(lambda: login.login_button.isEnabled() and login.center is not None, timeout=30_000)
    return startup


def type_and_enter(login_username: str, password: str, startup: Startup) -> None:
    login = startup.login
    login.username.clear()
    QTest.keyClicks(login.username, login_username)
    login.password.clear()
    QTest.keyClicks(login.password, password)
    QTest.keyClick(login.password, Qt.Key.Key_Return)


def note_prebuilt(startup: Startup, events: Events, windows: list[MainWindow]) -> None:
    """Record the window start-up makes during the check (connected after start-up's own slot)."""

    def made(_actor: object) -> None:
        assert startup.prebuilt is not None
        window = startup.prebuilt[1]
        assert not window.isVisible()  # nothing of the account shows before the answer
        windows.append(window)
        events.append("window made")

    startup.login.verifying.connect(made)


def test_the_window_is_made_during_the_check_and_reads_no_case_before_it(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    startup = start(qtbot, startups, demo_sqlite_db)
    windows: list[MainWindow] = []
    note_prebuilt(startup, events, windows)
    events.clear()
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
    # One check, begun before the account is read (services.auth._begin_check, proved in
    # tests/services/test_login_guessing.py): the suite's cheap argon2 may answer before the window
    # is made, production's runs while it is made.
    assert events.count("password check started") == 1 and "window made" in events
    assert events.before("password checked", "case read")
    assert "case read" not in events[:events.index_of("password checked")]
    window = startup.window
    assert window is not None and windows == [window] and window.isVisible()  # the one made during the check
    desk = window.sections["desk"]
    assert isinstance(desk, DeskPanel) and desk.page is not None
    assert "张掖市甘州区矛盾纠纷调处中心" in window.windowTitle()
    qtbot.waitUntil(lambda: not startup.runner.holding)  # its writes, once its sign-in is written


def test_a_wrong_password_drops_the_window_and_its_reads(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    startup = start(qtbot, startups, demo_sqlite_db)
    windows: list[MainWindow] = []
    note_prebuilt(startup, events, windows)
    events.clear()
    type_and_enter("head", "not-the-password", startup)
    qtbot.waitUntil(startup.login.error_label.isVisible)
    assert sorted(events) == ["password check started", "password checked", "window made"]  # no case read
    assert startup.window is None and startup.prebuilt is None
    assert not startup.runner.holding and startup.runner.pending == 0
    made = windows[0]
    qtbot.waitUntil(lambda: not shiboken6.isValid(made))  # deleted, never shown
    assert startup.login.isVisible() and "用户名或密码错误" in startup.login.error_label.text()
    # The right password then signs in with a window of its own, its reads run after the check.
    events.clear()
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("head", demo.DEMO_PASSWORD, startup)
    assert startup.window is windows[1]
    assert events.before("password checked", "case read")
    assert "case read" not in events[:events.index_of("password checked")]


def test_on_the_real_lanes_no_case_is_read_before_the_password_is_checked(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    startup = start(qtbot, startups, demo_sqlite_db, synchronous=False)
    windows: list[MainWindow] = []
    note_prebuilt(startup, events, windows)
    events.clear()
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("head", demo.DEMO_PASSWORD, startup)
    window = startup.window
    assert window is not None and windows == [window]
    desk = window.sections["desk"]
    assert isinstance(desk, DeskPanel)
    qtbot.waitUntil(lambda: desk.page is not None, timeout=30_000)
    assert events.before("password checked", "case read")
    assert "case read" not in events[:events.index_of("password checked")]


@contextlib.contextmanager
def hold_the_sign_in_write(events: Events, *, then_fail: bool = False) -> Iterator[None]:
    """On the write lane, the sign-in's first write after the password was checked (its audit
    entry, its account's row) waits until a case was read (at most 20 s), then goes on or fails
    as a broken disk would. Recorded as "sign-in written"."""
    case_read = threading.Event()

    def statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        if "dispute_case" in sql:
            case_read.set()
        if (threading.current_thread().name.startswith("mediation-desk-write") and "password checked" in events
                and sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and "sign-in written" not in events):
            case_read.wait(timeout=20)
            events.append("sign-in written")
            if then_fail:
                raise sqlite3.OperationalError("disk I/O error")

    event.listen(Engine, "before_cursor_execute", statement)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", statement)


def test_the_windows_reads_run_once_the_password_is_verified_not_after_the_sign_in_is_written(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    # Real lanes: the write lane lets the held reads go the moment argon2 says yes (TaskRunner.admit),
    # so the desk's first reads run beside the writing of the sign-in, not after its answer.
    startup = start(qtbot, startups, demo_sqlite_db, synchronous=False)
    windows: list[MainWindow] = []
    note_prebuilt(startup, events, windows)
    # From Enter to the first rows the lanes get Python's lock back sooner (a shorter switch interval).
    interval = sys.getswitchinterval()
    during: list[float] = []
    startup.login.verifying.connect(lambda _actor: during.append(sys.getswitchinterval()))
    events.clear()
    with hold_the_sign_in_write(events):
        with qtbot.waitSignal(startup.ready, timeout=30_000):
            type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
        qtbot.waitUntil(lambda: "sign-in written" in events, timeout=30_000)
    assert events.before("password checked", "case read")
    assert "case read" not in events[:events.index_of("password checked")]
    assert events.before("case read", "sign-in written")
    window = startup.window
    assert window is not None and windows == [window] and window.isVisible()
    desk = window.sections["desk"]
    assert isinstance(desk, DeskPanel)
    qtbot.waitUntil(lambda: desk.page is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not startup.runner.holding, timeout=30_000)  # once the sign-in is written
    assert during == [min(interval, SIGN_IN_SWITCH_INTERVAL_S)]
    qtbot.waitUntil(lambda: sys.getswitchinterval() == interval, timeout=30_000)  # after the first rows


@contextlib.contextmanager
def gated_desk_read() -> Iterator[threading.Event]:
    """The desk's first read (its due list: the first case read on the read lane) waits on the
    event yielded (at most 20 s) before it runs."""
    gate = threading.Event()

    def statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        if threading.current_thread().name.startswith("mediation-desk-read") and "dispute_case" in sql:
            gate.wait(timeout=20)

    event.listen(Engine, "before_cursor_execute", statement)
    try:
        yield gate
    finally:
        gate.set()
        event.remove(Engine, "before_cursor_execute", statement)


class PaintsNoted(QObject):
    """Records, in ``events``, each paint of the desk's due list with the rows it had then."""

    def __init__(self, desk: DeskPanel, events: Events) -> None:
        super().__init__(desk)
        self._desk, self._events = desk, events
        desk.due_table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event_: QEvent) -> bool:  # Qt's name
        if event_.type() == QEvent.Type.Paint:
            self._events.append(f"due list painted with {'rows' if self._desk.due_model.rowCount() else 'none'}")
        return False


def test_the_window_is_shown_once_its_first_reads_answered_and_its_first_paint_has_their_rows(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Shown at the answer, its first paint had no rows and a second one painted them; the rows
    # now come with the window (FIRST_READS_WAIT_MS at most: made long here, the read held).
    monkeypatch.setattr(app_module, "FIRST_READS_WAIT_MS", 30_000)
    startup = start(qtbot, startups, demo_sqlite_db, synchronous=False)
    windows: list[MainWindow] = []
    note_prebuilt(startup, events, windows)
    quits = QApplication.quitOnLastWindowClosed()
    events.clear()
    with gated_desk_read() as gate:
        type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
        qtbot.waitUntil(lambda: startup.window is not None, timeout=30_000)  # accepted
        window = startup.window
        assert window is not None and windows == [window]
        desk = window.sections["desk"]
        assert isinstance(desk, DeskPanel)
        PaintsNoted(desk, events)
        qtbot.wait(100)
        # Accepted, the login closed, the reads under way: nothing shown yet, and no window on
        # screen does not end the application meanwhile.
        assert not window.isVisible() and not startup.login.isVisible() and desk.page is None
        assert not QApplication.quitOnLastWindowClosed()
        with qtbot.waitSignal(startup.ready, timeout=30_000):
            gate.set()
    assert window.isVisible() and desk.page is not None and desk.due_model.rowCount() > 0
    assert QApplication.quitOnLastWindowClosed() == quits
    qtbot.waitUntil(lambda: any(e.startswith("due list painted") for e in events), timeout=30_000)
    assert next(e for e in events if e.startswith("due list painted")) == "due list painted with rows"
    qtbot.waitUntil(lambda: not startup.runner.holding, timeout=30_000)  # the sign-in written after them


def test_a_window_whose_first_reads_are_late_counts_its_rows_shown_once_it_painted_them(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Shown without them (their read held past FIRST_READS_WAIT_MS): the sign-in's writing, the
    # warm-ups and the backup wait for the paint that shows the rows, not just for their answer.
    monkeypatch.setattr(app_module, "FIRST_READS_WAIT_MS", 0)
    record = Startup._record_sign_in

    def noted(self: Startup) -> None:
        if self._sign_in is not None:
            events.append("sign-in given to the write lane")
        record(self)

    monkeypatch.setattr(Startup, "_record_sign_in", noted)
    startup = start(qtbot, startups, demo_sqlite_db, synchronous=False)
    with demo_sqlite_db.write() as session:  # the suite's cheap hash, so nothing is to be renewed
        session.scalars(select(User).where(User.username == "mediator")).one().password_hash = (
            auth.hash_password(demo.DEMO_PASSWORD))
    events.clear()
    with gated_desk_read() as gate, hold_the_sign_in_write(events):
        with qtbot.waitSignal(startup.ready, timeout=30_000):
            type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
        window = startup.window
        assert window is not None and window.isVisible()
        desk = window.sections["desk"]
        assert isinstance(desk, DeskPanel)
        PaintsNoted(desk, events)
        qtbot.waitUntil(lambda: "due list painted with none" in events, timeout=30_000)
        assert startup._sign_in is not None  # not written before the rows are on screen
        gate.set()
        qtbot.waitUntil(lambda: "sign-in written" in events, timeout=30_000)
    assert events.before("due list painted with rows", "sign-in given to the write lane"), events


def test_a_sign_out_before_the_window_is_shown_shows_nothing_and_keeps_the_application(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "FIRST_READS_WAIT_MS", 300)
    startup = start(qtbot, startups, demo_sqlite_db, synchronous=False)
    quits = QApplication.quitOnLastWindowClosed()
    with gated_desk_read():
        type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
        qtbot.waitUntil(lambda: startup.window is not None, timeout=30_000)
        window = startup.window
        assert window is not None and not window.isVisible()
        window.sign_out(ask=False)  # 注销 (Ctrl+Shift+L) before it was shown
        assert startup.window is None and startup.login.isVisible()
        assert QApplication.quitOnLastWindowClosed() == quits
        qtbot.wait(400)  # past FIRST_READS_WAIT_MS: the window that went is not shown after all
    assert startup.window is None and startup.login.isVisible()
    assert not (shiboken6.isValid(window) and window.isVisible())


def login_entries(database: Database, username: str) -> list[tuple[str, datetime]]:
    with database.read() as session:
        return [(row.action, row.at) for row in session.execute(
            select(AuditEntry.action, AuditEntry.at).where(AuditEntry.username == username).order_by(AuditEntry.id))]


def test_the_sign_in_is_written_after_the_window_shows_its_rows_and_before_any_write_of_the_session(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    startup = start(qtbot, startups, demo_sqlite_db, synchronous=False)
    with demo_sqlite_db.write() as session:  # the suite's cheap hash, so nothing is to be renewed
        session.scalars(select(User).where(User.username == "mediator")).one().password_hash = (
            auth.hash_password(demo.DEMO_PASSWORD))
    before = login_entries(demo_sqlite_db, "mediator")
    startup.ready.connect(lambda: events.append("window shown"))
    entered = datetime.now().replace(microsecond=0)  # the suite's clock (tests/clock.py); stored to the second
    events.clear()
    with hold_the_sign_in_write(events):
        with qtbot.waitSignal(startup.ready, timeout=30_000):
            type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
        window = startup.window
        assert window is not None and window.isVisible() and window.actor.username == "mediator"
        desk = window.sections["desk"]
        assert isinstance(desk, DeskPanel)
        qtbot.waitUntil(lambda: desk.page is not None, timeout=30_000)  # the mediator's own desk
        assert startup.runner.actor is not None and startup.runner.actor.username == "mediator"
        qtbot.waitUntil(lambda: "sign-in written" in events, timeout=30_000)
    assert events.before("password checked", "case read") and events.before("window shown", "sign-in written")
    qtbot.waitUntil(lambda: not startup.runner.holding, timeout=30_000)  # the session's writes may run now
    written = login_entries(demo_sqlite_db, "mediator")[len(before):]
    # The sign-in first, then whatever the session wrote (the desk's cards given, held until then).
    assert [action for action, _at in written].count("login") == 1 and written[0][0] == "login"
    with demo_sqlite_db.read() as session:
        last = session.scalars(select(User.last_login_at).where(User.username == "mediator")).one()
    assert last is not None and entered <= last <= written[0][1] <= datetime.now()


def start_refused(qtbot: QtBot, startups: list[Startup], db: Database,
                  events: Events) -> tuple[Startup, list[MainWindow], list[object]]:
    """A start-up about to be refused: the windows it makes ahead noted, its readiness recorded."""
    startup = start(qtbot, startups, db, synchronous=False)
    windows: list[MainWindow] = []
    note_prebuilt(startup, events, windows)
    shown: list[object] = []
    startup.ready.connect(lambda: shown.append(True))
    return startup, windows, shown


def assert_nothing_shown(startup: Startup, windows: list[MainWindow], shown: list[object], events: Events) -> None:
    """Refused: no window ready, made ahead or visible, no session's writes held, no case read."""
    assert not shown and startup.window is None and startup.prebuilt is None and not startup.runner.holding
    assert "case read" not in events
    assert not any(shiboken6.isValid(w) and w.isVisible() for w in windows)


def test_a_wrong_password_is_counted_and_audited_before_an_answer_and_shows_no_window(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    startup, windows, shown = start_refused(qtbot, startups, demo_sqlite_db, events)
    type_and_enter("mediator", "Not-the-password1", startup)
    qtbot.waitUntil(startup.login.error_label.isVisible, timeout=30_000)
    assert startup.login.error_label.text() == "用户名或密码错误。再错 4 次账户将被锁定 10 分钟。"
    with demo_sqlite_db.read() as session:
        assert session.scalars(select(User.failed_logins).where(User.username == "mediator")).one() == 1
    assert login_entries(demo_sqlite_db, "mediator")[-1][0] == "login_failed"
    assert_nothing_shown(startup, windows, shown, events)


def test_the_fifth_wrong_password_locks_the_account_and_audits_it_before_an_answer(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    startup, windows, shown = start_refused(qtbot, startups, demo_sqlite_db, events)
    login = startup.login

    def answered(words: str) -> None:
        qtbot.waitUntil(lambda: words in login.error_label.text(), timeout=30_000)

    for left in (4, 3, 2, 1):
        type_and_enter("mediator", "Not-the-password1", startup)
        answered(f"再错 {left} 次")
    type_and_enter("mediator", "Not-the-password1", startup)
    answered("账户已锁定")
    # Written before the answer reached the dialog: the lock and its audit entry.
    with demo_sqlite_db.read() as session:
        assert session.scalars(select(User.locked_until).where(User.username == "mediator")).one() is not None
    actions = [action for action, _at in login_entries(demo_sqlite_db, "mediator")]
    assert actions[-2:] == ["login_failed", "account_locked"] and actions.count("login_failed") >= 5
    # The right password is refused while the lock lasts, written the same way, and no window shows.
    login.error_label.clear()
    type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
    answered("账户已锁定")
    assert login_entries(demo_sqlite_db, "mediator")[-1][0] == "login_failed"
    assert login.actor is None
    assert_nothing_shown(startup, windows, shown, events)


def test_a_sign_in_that_cannot_be_written_ends_the_session_before_any_of_its_writes(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    startup = start(qtbot, startups, demo_sqlite_db, synchronous=False)
    with demo_sqlite_db.write() as session:
        session.scalars(select(User).where(User.username == "mediator")).one().password_hash = (
            auth.hash_password(demo.DEMO_PASSWORD))
    before = login_entries(demo_sqlite_db, "mediator")
    windows: list[MainWindow] = []
    note_prebuilt(startup, events, windows)
    unhandled: list[object] = []
    startup.runner.failed.connect(unhandled.append)
    interval = sys.getswitchinterval()
    events.clear()
    with hold_the_sign_in_write(events, then_fail=True):
        with qtbot.waitSignal(startup.ready, timeout=30_000):
            type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
        made = windows[0]
        assert startup.window is made
        # A write the session asks for before its sign-in is written waits for it, and goes with it.
        session_wrote: list[object] = []
        startup.runner.run_write(lambda session: session_wrote.append(True))
        qtbot.waitUntil(startup.login.error_label.isVisible, timeout=30_000)
    assert events.before("password checked", "case read") and events.before("case read", "sign-in written")
    assert startup.login.error_label.text().startswith("The sign-in could not be saved")  # 登录记录未能写入数据库…
    assert startup.window is None and not startup.runner.holding and not session_wrote
    qtbot.waitUntil(lambda: not shiboken6.isValid(made), timeout=30_000)  # the window is gone
    qtbot.waitUntil(lambda: startup.runner.pending == 0, timeout=30_000)
    assert not unhandled and sys.getswitchinterval() == interval
    assert login_entries(demo_sqlite_db, "mediator") == before  # no sign-in, and no logout for it
    assert startup.login.isVisible() and startup.login.login_button.isEnabled()
    # The next try signs in as usual, with a window of its own, and is written.
    events.clear()
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
    assert startup.window is windows[1] and startup.window.isVisible()
    qtbot.waitUntil(lambda: not startup.runner.holding, timeout=30_000)
    # Its sign-in, once (what the session writes next, such as the desk's day check giving cards, may
    # come before this read or after it).
    signs = ("login", "login_failed", "logout")
    assert [action for action, _at in login_entries(demo_sqlite_db, "mediator")[len(before):]
            if action in signs] == ["login"]


# ---------------------------------------------------------------------------------- the day's backup


def an_older_daily_backup(database: Database) -> tuple[Path, str]:
    """A good daily backup from another day (its name says 2020), as yesterday's start left it."""
    folder = settings.backup_dir()
    made = backup_sqlite(database, label="daily", target_dir=folder)
    older = made.with_name(f"{Path(str(database.url.database)).stem}-20200101-080000-daily.sqlite3")
    made.rename(older)
    return older, hashlib.sha256(older.read_bytes()).hexdigest()


def hold_the_copy(daily: DailyBackup, events: Events) -> threading.Event:
    """Stop the real copy at its first step until released (or until the desk stops it): the
    slot runs on the backup's own thread, between two steps of SQLite's backup."""
    release = threading.Event()

    def step(_done: int, _total: int) -> None:
        if "backup copying" in events:
            return
        events.append("backup copying")
        while not (release.is_set() or daily.stopping):
            time.sleep(0.005)

    daily.started.connect(lambda: events.append("backup started"), Qt.ConnectionType.DirectConnection)
    daily.progress.connect(step, Qt.ConnectionType.DirectConnection)
    return release


def first_rows_noted(startup: Startup, events: Events) -> None:
    def made(_actor: object) -> None:
        if startup.prebuilt is not None:
            desk = startup.prebuilt[1].sections["desk"]
            assert isinstance(desk, DeskPanel)
            shown: list[bool] = []

            def noted() -> None:
                # Each window's first rows only: the desk reads its rows again when the cards'
                # check (after the first paint and the visits due) gives a card.
                if not shown:
                    shown.append(True)
                    events.append("rows shown again" if "first rows shown" in events else "first rows shown")

            desk.loaded.connect(noted)

    startup.login.verifying.connect(made)


def test_the_daily_backup_comes_after_the_first_rows_and_holds_nothing_up(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    older, older_digest = an_older_daily_backup(demo_sqlite_db)
    startup = start(qtbot, startups, demo_sqlite_db)
    events.append("login enabled")
    assert backup.list_backups() == [backup.list_backups()[0]]  # no copy of today before 登录
    release = hold_the_copy(startup.daily_backup, events)
    startup.daily_backup.finished.connect(lambda _path: events.append("backup saved"))
    first_rows_noted(startup, events)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("head", demo.DEMO_PASSWORD, startup)
    qtbot.waitUntil(lambda: "backup copying" in events, timeout=30_000)
    window = startup.window
    assert window is not None

    def status_shown() -> bool:
        # Made when the backup's first signal arrives, queued from its thread: looked for each time
        # (it may not exist yet when the copy has begun), and on a loaded machine it may take seconds.
        status = window.statusBar().findChild(QLabel, "backupStatus")
        return status is not None and status.isVisible() and "Daily backup" in status.text()

    qtbot.waitUntil(status_shown, timeout=30_000)
    # With the copy stopped half-way the person signs out and in again: written, read, shown.
    window.sign_out(ask=False)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
    second = startup.window
    assert second is not None and second is not window
    desk = second.sections["desk"]
    assert isinstance(desk, DeskPanel) and desk.page is not None
    events.append("signed in again")
    release.set()
    qtbot.waitUntil(lambda: "backup saved" in events, timeout=30_000)
    assert [e for e in events if e not in ("password check started", "password checked", "case read")] == [
        "login enabled", "first rows shown", "backup started", "backup copying", "rows shown again",
        "signed in again", "backup saved"]
    qtbot.waitUntil(lambda: "saved" in second.statusBar().currentMessage())
    made = [b for b in backup.list_backups() if b.path != older]
    assert len(made) == 1 and made[0].label == "daily"
    assert hashlib.sha256(older.read_bytes()).hexdigest() == older_digest
    with contextlib.closing(sqlite3.connect(made[0].path)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM dispute_case").fetchone()[0] == 120
    assert not list(settings.backup_dir().glob(".*.part"))


def test_closing_the_desk_in_the_middle_of_the_backup_keeps_the_older_one(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events) -> None:
    older, older_digest = an_older_daily_backup(demo_sqlite_db)
    startup = start(qtbot, startups, demo_sqlite_db)
    hold_the_copy(startup.daily_backup, events)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("head", demo.DEMO_PASSWORD, startup)
    qtbot.waitUntil(lambda: "backup copying" in events, timeout=30_000)
    assert list(settings.backup_dir().glob(".*.part"))  # half-written, under its temporary name
    startup.close()  # the desk closes: the copy stops at its step
    assert not startup.daily_backup.running
    assert [b.path for b in backup.list_backups()] == [older]
    assert hashlib.sha256(older.read_bytes()).hexdigest() == older_digest
    assert not list(settings.backup_dir().glob(".*.part"))
    assert backup.daily_due(demo_sqlite_db)  # the next start makes today's copy


@pytest.fixture
def parsed_fonts(events: Events, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The document fonts as a new process has them (none registered with reportlab), and the name
    of each font parsed from its file from now on (also noted in ``events``); the process's
    registration as it was afterwards. Asked for before ``startups``, so the start-up's threads
    are joined before it is put back."""
    from reportlab.pdfbase import pdfmetrics, ttfonts

    ours = set(fonts._FILES)
    monkeypatch.setattr(pdfmetrics, "_fonts", {n: f for n, f in pdfmetrics._fonts.items() if n not in ours})
    monkeypatch.setattr(pdfmetrics, "_dynFaceNames", {
        n: f for n, f in pdfmetrics._dynFaceNames.items() if getattr(f, "fontName", None) not in ours})
    monkeypatch.setattr(fonts, "_char_to_glyph", None)
    monkeypatch.setattr(fonts, "_glyph_maps", {})
    parsed: list[str] = []

    class Parsed(ttfonts.TTFont):  # type: ignore[misc]  # reportlab has no type information
        def __init__(self, name: str, filename: object, *args: object, **kwargs: object) -> None:
            parsed.append(name)
            events.append(f"font parsed: {name}")
            super().__init__(name, filename, *args, **kwargs)

    monkeypatch.setattr(ttfonts, "TTFont", Parsed)
    return parsed


def a_case_of(database: Database, actor: Actor) -> int:
    with database.read() as session:
        return session.execute(select(func.max(DisputeCase.id)).where(
            DisputeCase.center_id == actor.center_id)).scalar_one()


def test_after_the_first_rows_the_document_fonts_are_registered_and_no_document_parses_them_again(
        parsed_fonts: list[str], qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database,
        events: Events) -> None:
    from reportlab.pdfbase import pdfmetrics

    startup = start(qtbot, startups, demo_sqlite_db)
    first_rows_noted(startup, events)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("head", demo.DEMO_PASSWORD, startup)
    qtbot.waitUntil(lambda: {fonts.FONT_NAME, fonts.SERIF_NAME} <= set(pdfmetrics.getRegisteredFontNames()),
                    timeout=30_000)
    # After the first rows (the warm-up leaves the interpreter to them), the sans and the Song
    # body; the rare-ideograph font waits for a text that needs it.
    assert events.before("first rows shown", f"font parsed: {fonts.FONT_NAME}")
    assert parsed_fonts == [fonts.FONT_NAME, fonts.SERIF_NAME]
    window = startup.window
    assert window is not None and window.isVisible()
    with demo_sqlite_db.read() as session:  # a form: titles in the sans, the body in the Song face
        pdf = dossier.render_document(session, window.actor, a_case_of(demo_sqlite_db, window.actor),
                                      "registration")
    assert pdf.startswith(b"%PDF") and fonts.SERIF_NAME.encode() in pdf and fonts.FONT_NAME.encode() in pdf
    assert parsed_fonts == [fonts.FONT_NAME, fonts.SERIF_NAME]  # the document parsed none again


def test_an_administrators_desk_prepares_no_document_fonts(
        parsed_fonts: list[str], qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database) -> None:
    # The administrator reads no case content and makes no documents: no 100 MB of fonts for nothing.
    startup = start(qtbot, startups, demo_sqlite_db)
    before = login_entries(demo_sqlite_db, "admin")
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("admin", demo.DEMO_PASSWORD, startup)
    # The sign-in is written once the first rows are painted, where the warm-up begins.
    qtbot.waitUntil(lambda: len(login_entries(demo_sqlite_db, "admin")) > len(before), timeout=30_000)
    startup.close()  # joins the warm-up
    assert "mediation_desk.ui.admin.backup" in sys.modules  # the sections' warm-up did run
    assert parsed_fonts == []


def test_a_clerk_after_the_administrator_gets_the_document_fonts_after_their_rows(
        parsed_fonts: list[str], qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database) -> None:
    """The run's first sign-in was the administrator's (no fonts); the clerk who signs in after 注销
    makes documents: the fonts are prepared after the clerk's first rows, once, as for a first sign-in."""
    from reportlab.pdfbase import pdfmetrics

    from .test_sign_out import press_sign_out

    startup = start(qtbot, startups, demo_sqlite_db, synchronous=False)
    before = login_entries(demo_sqlite_db, "admin")
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("admin", demo.DEMO_PASSWORD, startup)
    qtbot.waitUntil(lambda: len(login_entries(demo_sqlite_db, "admin")) > len(before), timeout=30_000)
    admin_window = startup.window
    assert admin_window is not None
    with qtbot.waitSignal(admin_window.destroyed, timeout=10_000):
        press_sign_out(admin_window, qtbot)
    del admin_window
    assert parsed_fonts == []
    qtbot.waitUntil(lambda: startup.login.isVisible() and startup.login.login_button.isEnabled(), timeout=10_000)
    before = login_entries(demo_sqlite_db, "clerk")
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("clerk", demo.DEMO_PASSWORD, startup)
    window = startup.window
    assert window is not None and window.actor.username == "clerk"
    # The clerk's sign-in written (after the rows), then the fonts, once.
    qtbot.waitUntil(lambda: len(login_entries(demo_sqlite_db, "clerk")) > len(before), timeout=30_000)
    qtbot.waitUntil(lambda: {fonts.FONT_NAME, fonts.SERIF_NAME} <= set(pdfmetrics.getRegisteredFontNames()),
                    timeout=30_000)
    startup.close()  # joins the warm-up
    assert parsed_fonts == [fonts.FONT_NAME, fonts.SERIF_NAME]


def test_a_desk_without_its_document_fonts_works_and_the_document_says_what_is_missing(
        parsed_fonts: list[str], qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # A broken installation: the shipped resources without the fonts.
    resources = tmp_path / "resources"
    (resources / "fonts").mkdir(parents=True)
    for entry in resources_dir().iterdir():
        if entry.name != "fonts":
            (resources / entry.name).symlink_to(entry)
    monkeypatch.setenv("MEDIATION_DESK_RESOURCES", str(resources))
    startup = start(qtbot, startups, demo_sqlite_db)
    failed: list[str] = []
    startup.failed.connect(failed.append)
    with caplog.at_level(logging.WARNING, logger="mediation_desk.ui.app"):
        with qtbot.waitSignal(startup.ready, timeout=30_000):
            type_and_enter("head", demo.DEMO_PASSWORD, startup)
        qtbot.waitUntil(lambda: "The document fonts were not prepared" in caplog.text, timeout=30_000)
        startup.close()  # joins the warm-up
    # Said in the log, as what it is; the warm-up did not fail, the desk goes on.
    assert "the document font is missing" in caplog.text and "Warming up failed" not in caplog.text
    window = startup.window
    assert window is not None and window.isVisible() and not failed and startup.exit_code is None
    desk = window.sections["desk"]
    assert isinstance(desk, DeskPanel) and desk.page is not None
    # The document that needs the font says which file is missing (the preview shows this message).
    with demo_sqlite_db.read() as session, pytest.raises(FileNotFoundError) as missing:
        dossier.render_document(session, window.actor, a_case_of(demo_sqlite_db, window.actor), "registration")
    assert str(missing.value) == f"the document font is missing: {resources / 'fonts' / fonts.FONT_FILE}"
    assert parsed_fonts == []


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="thread priorities are Linux's here")
def test_the_backup_thread_runs_at_the_lowest_priority() -> None:
    seen: list[int] = []
    ours = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def run() -> None:
        lower_thread_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [19]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == ours  # only that thread


# ---------------------------------------------------------------------- the garbage collector


@pytest.fixture
def collector() -> Iterator[StartupCollector]:
    """A start-up collector setting; the test process's collector as it was afterwards."""
    threshold = gc.get_threshold()
    made = StartupCollector()
    yield made
    made.end()
    gc.set_threshold(*threshold)
    gc.unfreeze()
    collector_module._CURRENT.clear()  # the test process's windows freeze nothing


def test_the_collector_setting_is_raised_settled_and_put_back(collector: StartupCollector) -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    collector.settle()  # not begun: nothing
    assert gc.get_freeze_count() == frozen and not collector.active
    collector.begin()
    assert collector.active and gc.isenabled()  # rarer passes, never none
    assert gc.get_threshold() == (START_GC_THRESHOLD, *before[1:])
    kept = [[n] for n in range(10)]  # alive at the settling: out of the collector's sight
    collector.settle()
    assert gc.get_freeze_count() > frozen + len(kept)
    collector.end()
    assert gc.get_threshold() == before and not collector.active
    collector.begin()  # once per run: a second begin changes nothing
    assert gc.get_threshold() == before
    collector.end()
    assert gc.get_threshold() == before


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_garbage_made_during_and_after_the_start_is_still_collected(collector: StartupCollector) -> None:
    collector.begin()
    collector.settle()
    during = Cycle()
    during_ref = weakref.ref(during)
    del during
    gc.collect()
    assert during_ref() is None  # collected while the start-up setting holds
    collector.end()
    after = Cycle()
    after_ref = weakref.ref(after)
    del after
    gc.collect()
    assert after_ref() is None


def out_of_sight(thing: object) -> bool:
    """Out of the collector's sight (``gc.freeze``): in none of its generations."""
    return gc.is_tracked(thing) and not any(other is thing for other in gc.get_objects())


def test_a_part_of_the_window_made_after_the_start_is_frozen_its_young_garbage_collected(
        collector: StartupCollector) -> None:
    kept = [["a section's widgets"]]
    keep_made()  # no app setting begun (a test process): nothing
    assert not out_of_sight(kept)
    collector.begin()
    keep_made()  # during the start-up: the start-up's own settling does it
    assert not out_of_sight(kept)
    collector.end()
    assert out_of_sight(kept)  # the start-up's objects
    part = [["a page made later"]]
    dropped = Cycle()  # garbage when the part is kept: collected, not frozen for the session
    dropped_ref = weakref.ref(dropped)
    del dropped
    assert not out_of_sight(part)
    keep_made()
    assert out_of_sight(part) and dropped_ref() is None
    after = Cycle()  # garbage made afterwards is still collected
    after_ref = weakref.ref(after)
    del after
    gc.collect()
    assert after_ref() is None


def test_a_sign_out_collects_the_window_that_went_and_freezes_the_rest_again(
        collector: StartupCollector) -> None:
    collector.begin()
    window = Cycle()  # the first window: frozen with the rest at the first rows
    window_ref = weakref.ref(window)
    collector.end()
    assert out_of_sight(window)
    collector.release()  # 注销
    assert gc.get_freeze_count() == 0
    del window
    keep_made()  # the window that goes is not frozen again before it is collected
    assert gc.get_freeze_count() == 0 and window_ref() is not None
    modules = [["alive"]]
    collector.resettle()  # once it is destroyed
    assert window_ref() is None and out_of_sight(modules)
    collector.resettle()  # once per release
    part = [["the next window's section"]]
    keep_made()
    assert out_of_sight(part)


def test_a_part_made_by_a_click_is_kept_a_moment_later_in_one_pass(
        qtbot: QtBot, collector: StartupCollector, monkeypatch: pytest.MonkeyPatch) -> None:
    collector.begin()
    collector.end()
    passes: list[int] = []
    monkeypatch.setattr(collector, "keep", lambda: passes.append(1))
    monkeypatch.setattr(collector_module, "KEEP_LATER_MS", 50)  # the test's time, not the app's
    keep_made_later()  # a section made on its first show …
    keep_made_later()  # … and its detail page in the same turn
    assert passes == []  # not in the turn that made them
    qtbot.waitUntil(lambda: passes == [1], timeout=5_000)
    qtbot.wait(150)
    assert passes == [1]  # one pass for both
    keep_made_later()
    qtbot.waitUntil(lambda: passes == [1, 1], timeout=5_000)


def test_the_collector_is_settled_on_the_way_and_put_back_at_the_first_rows(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, events: Events,
        collector: StartupCollector) -> None:
    before = gc.get_threshold()
    collector.begin()
    frozen = gc.get_freeze_count()
    startup = start(qtbot, startups, demo_sqlite_db, collector=collector)
    # The database layer is loaded and checked: what it imported is out of the collector's sight,
    # and the raised threshold holds until the first rows.
    assert gc.get_freeze_count() > frozen
    assert collector.active and gc.get_threshold()[0] == START_GC_THRESHOLD
    first_rows_noted(startup, events)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        type_and_enter("mediator", demo.DEMO_PASSWORD, startup)
    qtbot.waitUntil(lambda: not collector.active, timeout=30_000)
    assert "first rows shown" in events
    assert gc.get_threshold() == before
    window = startup.window
    assert window is not None and window.isVisible()
    desk = window.sections["desk"]
    assert isinstance(desk, DeskPanel) and desk.page is not None
    assert gc.get_freeze_count() > 0
    # A section made on its first show lives as long as the window: out of the collector's sight
    # a moment later (not in the turn of the click that made it).
    cases = window.sections["cases"]
    qtbot.wait(KEEP_LATER_MS + 200)
    assert out_of_sight(cases) and out_of_sight(cases.__dict__)
    del cases
    # 注销: the first window was frozen with everything else; it goes, so the collector gets
    # every frozen object back, collects the window's own cycles once it is destroyed and
    # freezes the rest again.
    window_ref = weakref.ref(window)
    sign_out = window.sign_out
    del window, desk
    sign_out(ask=False)
    del sign_out
    qtbot.waitUntil(startup.login.isVisible)
    qtbot.waitUntil(lambda: window_ref() is None and gc.get_freeze_count() > 0, timeout=10_000)


def test_closing_before_a_sign_in_puts_the_collector_back(
        qtbot: QtBot, startups: list[Startup], demo_sqlite_db: Database, collector: StartupCollector) -> None:
    before = gc.get_threshold()
    collector.begin()
    startup = start(qtbot, startups, demo_sqlite_db, collector=collector)
    assert collector.active
    startup.close()
    assert not collector.active and gc.get_threshold() == before
