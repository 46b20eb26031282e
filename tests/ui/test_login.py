"""The login dialog: good, bad and locked logins, the demo hint."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.services import auth
from mediation_desk.services.actor import Actor
from mediation_desk.ui.shell.login import LoginDialog

from .conftest import Runner

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(runner: Runner, qtbot: QtBot) -> LoginDialog:
    widget = LoginDialog(runner)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def sign_in(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.clear()
    QTest.keyClicks(dialog.username, username)
    dialog.password.clear()
    QTest.keyClicks(dialog.password, password)
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter submits


def test_good_login(dialog: LoginDialog, qtbot: QtBot) -> None:
    with qtbot.waitSignal(dialog.logged_in) as signal:
        sign_in(qtbot, dialog, "head", demo.DEMO_PASSWORD)
    actor = signal.args[0]
    assert isinstance(actor, Actor) and actor.username == "head" and actor.role is Role.HEAD
    assert dialog.actor == actor
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.error_label.isHidden()


def test_bad_password(dialog: LoginDialog, qtbot: QtBot) -> None:
    sign_in(qtbot, dialog, "clerk", "wrong-password")
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "用户名或密码错误。再错 4 次账户将被锁定 10 分钟。"
    assert dialog.username.text() == "clerk"  # kept
    assert dialog.password.text() == ""  # cleared
    assert dialog.login_button.isEnabled()


def test_unknown_user_gets_the_same_answer(dialog: LoginDialog, qtbot: QtBot) -> None:
    sign_in(qtbot, dialog, "nobody", "whatever1A!")
    # Word for word what a wrong password for a real account gets (test_bad_password).
    assert dialog.error_label.text() == "用户名或密码错误。再错 4 次账户将被锁定 10 分钟。"


def test_empty_fields(dialog: LoginDialog, qtbot: QtBot) -> None:
    QTest.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "请输入用户名。"


def test_lockout_after_five_failures(dialog: LoginDialog, qtbot: QtBot, demo_sqlite_db: Database) -> None:
    for _attempt in range(4):
        sign_in(qtbot, dialog, "mediator", "wrong-password")
    assert "再错 1 次" in dialog.error_label.text()
    sign_in(qtbot, dialog, "mediator", "wrong-password")
    message = dialog.error_label.text()
    assert "账户已锁定" in message and "10 分钟" in message
    assert re.search(r"请在 \d\d:\d\d 之后", message), message  # says until when
    # Even the right password is refused while the lock lasts, and the dialog says so.
    sign_in(qtbot, dialog, "mediator", demo.DEMO_PASSWORD)
    assert dialog.actor is None
    assert "账户已锁定" in dialog.error_label.text()
    assert dialog.username.text() == "mediator" and dialog.password.text() == ""
    with demo_sqlite_db.read() as session:  # the lock is kept in the database, not in the dialog
        users = {u.username: u for u in auth.list_users(session, Actor.system("test"))}
    assert users["mediator"].locked_until is not None


def test_demo_hint(dialog: LoginDialog) -> None:
    assert dialog.demo_hint.isVisible()
    hint = dialog.demo_hint.text()
    assert demo.DEMO_PASSWORD in hint
    for username, _name, _role in demo.DEMO_USERS:
        assert username in hint
    assert "张掖市甘州区矛盾纠纷调处中心" in dialog.center_label.text()


def test_no_demo_hint_for_a_real_center(sqlite_db: Database, qtbot: QtBot) -> None:
    runner = Runner(sqlite_db)
    try:
        widget = LoginDialog(runner)
        qtbot.addWidget(widget)
        widget.show()
        assert widget.demo_hint.isHidden()
        assert "县矛盾纠纷调处中心" in widget.center_label.text()
    finally:
        runner.shutdown(dispose=False)


def test_waits_for_the_database(qtbot: QtBot, demo_sqlite_db: Database) -> None:
    runner = Runner(None)  # as at start-up, before the database is open
    try:
        widget = LoginDialog(runner)
        qtbot.addWidget(widget)
        assert not widget.login_button.isEnabled()
        assert widget.status_label.text() == "Opening the database…"
        runner.set_database(demo_sqlite_db)
        widget.database_ready()
        assert widget.login_button.isEnabled() and widget.status_label.isHidden()
    finally:
        runner.shutdown(dispose=False)
