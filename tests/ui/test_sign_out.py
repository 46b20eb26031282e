"""注销/切换用户 from the keyboard, the next person's own window, the desk's own PostgreSQL connection
again in between, and the login that remembers the last user name (never the password)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from mediation_desk import demo, settings
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, Role
from mediation_desk.services import auth
from mediation_desk.services.actor import Actor
from mediation_desk.ui.app import Startup
from mediation_desk.ui.common.unsaved import Choice
from mediation_desk.ui.desk.desk import DeskPanel
from mediation_desk.ui.shell.login import LoginDialog
from mediation_desk.ui.shell.main_window import MainWindow

from ..services.helpers import PASSWORD, make_team
from .conftest import Runner
from .test_unsaved_input import Answers

pytestmark = pytest.mark.gui


def start(runner: Runner, qtbot: QtBot) -> Startup:
    startup = Startup(runner=runner)
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startup.begin()
    return startup


def sign_in(startup: Startup, qtbot: QtBot, username: str, password: str) -> MainWindow:
    """Types the user name over whatever is there, then the password and Enter."""
    login = startup.login
    login.username.setFocus()
    login.username.selectAll()
    QTest.keyClicks(login.username, username)
    QTest.keyClicks(login.password, password)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        QTest.keyClick(login.password, Qt.Key.Key_Return)
    window = startup.window
    assert isinstance(window, MainWindow) and window.actor.username == username
    # Not given to qtbot: a signed-out window deletes itself; finish() closes the last one.
    window.set_unsaved_question(Answers(Choice.DISCARD))
    return window


def finish(startup: Startup) -> None:
    if startup.window is not None:
        startup.window.close()
    startup.close()


def press_sign_out(window: MainWindow, qtbot: QtBot) -> None:
    """Ctrl+Shift+L where the keyboard is: in the window's focused field."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_L, keys)


def test_the_sign_out_key_returns_to_the_login_and_the_next_person_gets_their_window(
        runner: Runner, qtbot: QtBot) -> None:
    startup = start(runner, qtbot)
    window = sign_in(startup, qtbot, "mediator", demo.DEMO_PASSWORD)
    assert window.sign_out_action.shortcut().toString() == "Ctrl+Shift+L"
    press_sign_out(window, qtbot)
    assert startup.window is None and not window.isVisible()
    login = startup.login
    assert login.isVisible() and login.username.text() == "mediator" and login.password.text() == ""
    assert QApplication.focusWidget() is login.password or not login.isActiveWindow()
    other = sign_in(startup, qtbot, "head", demo.DEMO_PASSWORD)
    assert other is not window and other.actor.username == "head"
    finish(startup)


def test_the_login_remembers_the_last_user_name_and_never_the_password(runner: Runner, qtbot: QtBot) -> None:
    startup = start(runner, qtbot)
    window = sign_in(startup, qtbot, "clerk", demo.DEMO_PASSWORD)
    window.close()  # the desk is closed (the runner stays for the next start below)
    startup.sign_out()
    startup.window = None
    stored = (settings.config_dir() / settings.DESK_FILE).read_text(encoding="utf-8")
    assert "clerk" in stored and demo.DEMO_PASSWORD not in stored

    # The desk is started again: the name is there, the cursor waits in the password field.
    again = LoginDialog(runner)
    qtbot.addWidget(again)
    again.show()
    again.activateWindow()
    qtbot.waitActive(again)
    assert again.username.text() == "clerk" and again.password.text() == ""
    assert again.focusWidget() is again.password
    QTest.keyClicks(again.password, demo.DEMO_PASSWORD)
    with qtbot.waitSignal(again.logged_in) as signed:
        QTest.keyClick(again.password, Qt.Key.Key_Return)
    assert isinstance(signed.args[0], Actor) and signed.args[0].username == "clerk"
    finish(startup)


# ------------------------------------------------------------------------------------------ PostgreSQL


@pytest.fixture
def pg_desk(pg_database_url: str) -> Iterator[Database]:
    """A desk holding only the desk role, with a mediator and a head who sign in as themselves."""
    owner = Database(pg_database_url)
    _team_id, mediator_id = make_team(owner)
    system = Actor.system("test")
    with owner.write() as session:
        desk_role = str(session.scalar(text("SELECT md_install_desk_role()")))
        for username, role, mediator in (("mediator", Role.MEDIATOR, mediator_id), ("head", Role.HEAD, None)):
            auth.create_user(session, system, username=username, display_name=username, role=role,
                             password=PASSWORD, mediator_id=mediator, must_change_password=False)
    owner.dispose()
    database = Database(make_url(pg_database_url).set(username=desk_role))
    yield database
    database.dispose()


def session_user(db: Database) -> str:
    with db.write() as session:
        return str(session.scalar(text("SELECT session_user")))


@pytest.mark.postgresql
def test_signing_out_drops_the_persons_server_connection(pg_desk: Database, pg_database_url: str,
                                                          qtbot: QtBot) -> None:
    runner = Runner(pg_desk)
    try:
        startup = start(runner, qtbot)
        window = sign_in(startup, qtbot, "mediator", PASSWORD)
        mediator_role = pg_desk.signed_in_role
        assert mediator_role is not None and session_user(pg_desk) == mediator_role
        press_sign_out(window, qtbot)
        assert startup.window is None and startup.login.isVisible()
        # Between two people the desk works on its own credential, not the one who left.
        assert pg_desk.signed_in_role is None and session_user(pg_desk).endswith("_desk")
        owner = Database(pg_database_url)  # the desk role may not read the audit log
        with owner.read() as session:
            logouts = session.scalars(select(AuditEntry).where(AuditEntry.action == "logout")).all()
        owner.dispose()
        assert [entry.username for entry in logouts] == ["mediator"]

        head = sign_in(startup, qtbot, "head", PASSWORD)
        assert head is not window and pg_desk.signed_in_role not in (None, mediator_role)
        assert session_user(pg_desk) == pg_desk.signed_in_role
        finish(startup)
    finally:
        runner.shutdown(dispose=False)
    assert not runner.unhandled, [failure.message for failure in runner.unhandled]


def head_desk_settled(startup: Startup, runner: Runner, qtbot: QtBot) -> tuple[MainWindow, DeskPanel]:
    """The head signed in, the desk's first reads (and the cards' check) answered."""
    window = sign_in(startup, qtbot, "head", demo.DEMO_PASSWORD)
    desk = window.sections.get("desk")
    assert isinstance(desk, DeskPanel)
    qtbot.waitUntil(lambda: runner.running == 0, timeout=20_000)
    return window, desk


def test_the_desks_answers_after_a_sign_out_reach_nobody(demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """注销 while the desk's lists are still being read (on a county's database they take seconds), and
    the next person signs in: the old window's answers come to widgets Qt has deleted. They called
    into them, and the "already deleted" error was shown in the next person's window as "An
    unexpected error occurred"; now they reach nobody, and the next window shows no box."""
    import threading

    from mediation_desk.ui.common.tasks import Lane, TaskFailure

    runner = Runner(demo_sqlite_db, synchronous=False)
    failures: list[TaskFailure] = []
    runner.failed.connect(failures.append)
    startup = start(runner, qtbot)
    gate = threading.Event()
    try:
        window, desk = head_desk_settled(startup, runner, qtbot)
        runner.run_job(lambda: gate.wait(30), lane=Lane.READ)  # the lane busy: the desk's reads wait
        desk.refresh()
        assert runner.running >= 2
        with qtbot.waitSignal(window.destroyed, timeout=10_000):
            press_sign_out(window, qtbot)
        del window, desk
        login = startup.login
        login.username.setFocus()
        login.username.selectAll()
        QTest.keyClicks(login.username, "mediator")
        QTest.keyClicks(login.password, demo.DEMO_PASSWORD)
        QTest.keyClick(login.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: startup.window is not None, timeout=20_000)  # its reads wait behind the gate
        other = startup.window
        assert isinstance(other, MainWindow) and other.actor.username == "mediator"
        other.set_unsaved_question(Answers(Choice.DISCARD))
        gate.set()  # the head's desk answers first, then the mediator's window's reads
        qtbot.waitUntil(lambda: runner.running == 0, timeout=20_000)
        assert failures == []
        assert other.message_box is None
    finally:
        gate.set()
        finish(startup)


def test_a_sign_out_while_the_sign_in_is_being_written_lets_the_next_person_in(
        demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """注销 the moment the first rows are shown: the sign-in's record is on the write lane and its
    answer not back. That answer let the session's held writes go only for its own window, gone by
    then, so the runner held every later write — the sign-out, then the next person's sign-in, which
    said 正在登录… until the desk was closed. Now the sign-out lets them go, after the record."""
    import threading

    from mediation_desk.ui.common.tasks import Lane

    runner = Runner(demo_sqlite_db, synchronous=False)
    startup = start(runner, qtbot)
    gate = threading.Event()
    try:
        window = sign_in(startup, qtbot, "head", demo.DEMO_PASSWORD)
        # The write lane busy: the sign-in's record, submitted once the rows are painted, waits.
        runner.run_job(lambda: gate.wait(30), lane=Lane.WRITE, unheld=True)
        qtbot.waitUntil(lambda: startup._sign_in is None, timeout=20_000)  # the record submitted
        assert runner.holding
        # The desk's reads answered (the cards' check among them, whose cards given are held behind the
        # record): only the record and the gate are left. A read still under way at 注销 answers the
        # window that went, and its writes come after the sign-out (noted, not this test's subject).
        qtbot.waitUntil(lambda: runner.running == 2, timeout=20_000)
        with qtbot.waitSignal(window.destroyed, timeout=10_000):
            press_sign_out(window, qtbot)
        del window
        gate.set()
        other = sign_in(startup, qtbot, "mediator", demo.DEMO_PASSWORD)
        assert other.actor.username == "mediator"
        qtbot.waitUntil(lambda: runner.running == 0, timeout=20_000)
        with demo_sqlite_db.read() as session:
            actions = [entry.action for entry in session.scalars(
                select(AuditEntry).where(AuditEntry.username == "head").order_by(AuditEntry.id))]
        # The record, then the session's held writes (the desk's cards), then the sign-out: all written.
        assert actions[-1] == "logout" and "login" in actions[:-1]
    finally:
        gate.set()
        finish(startup)


def test_the_desks_cards_check_answering_after_a_sign_out_gives_nothing_in_the_heads_name(
        demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """The head's desk walks the running clocks for the day's 黄牌/红牌 on the slow lane and gives
    what it found on the write lane. 注销 before the walk answered: the answer still came and gave
    the cards as the head, after the head's logout. Now nothing is given in the name of a person
    who signed out (the next desk's check gives them)."""
    import threading

    from mediation_desk.models import StageCard
    from mediation_desk.ui.common.tasks import Lane

    runner = Runner(demo_sqlite_db, synchronous=False)
    startup = start(runner, qtbot)
    gate = threading.Event()
    try:
        window, desk = head_desk_settled(startup, runner, qtbot)
        with demo_sqlite_db.write() as session:
            given = session.scalar(select(func.count()).select_from(StageCard))
            session.execute(text("DELETE FROM stage_card"))
        assert given  # the sign-in's own check gave the demo's due cards: due again now
        runner.run_job(lambda: gate.wait(30), lane=Lane.SLOW)  # the walk waits behind it
        desk.cards_panel.refresh()
        with qtbot.waitSignal(window.destroyed, timeout=10_000):
            press_sign_out(window, qtbot)
        del window, desk
        gate.set()
        qtbot.waitUntil(lambda: runner.running == 0, timeout=20_000)
        qtbot.wait(50)
        qtbot.waitUntil(lambda: runner.running == 0, timeout=20_000)
        with demo_sqlite_db.read() as session:
            assert session.scalar(select(func.count()).select_from(StageCard)) == 0
            after_logout = [entry.action for entry in session.scalars(
                select(AuditEntry).where(AuditEntry.username == "head").order_by(AuditEntry.id))]
        assert after_logout[-1] == "logout"
    finally:
        gate.set()
        finish(startup)
