"""The forced password change at the first sign-in of an account an administrator created."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.services import auth
from mediation_desk.ui.common import i18n
from mediation_desk.ui.shell.login import LoginDialog
from mediation_desk.ui.shell.password_change import PasswordChangeDialog

from ..conftest import login_as
from .conftest import Runner

pytestmark = pytest.mark.gui

INITIAL = "Start#2026"


@pytest.fixture
def new_account(demo_sqlite_db: Database) -> None:
    with demo_sqlite_db.write() as session:
        auth.create_user(session, login_as(demo_sqlite_db, "admin"), username="wang", display_name="王晓燕",
                         role=Role.INTAKE, password=INITIAL)


@pytest.fixture
def fonts(qapp: QApplication) -> None:
    # Before any widget exists, as the app does it: layouts are measured with the CJK font.
    i18n.register_fonts(qapp)


@pytest.fixture
def dialog(runner: Runner, qtbot: QtBot, new_account: None, fonts: None) -> LoginDialog:
    widget = LoginDialog(runner)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def sign_in(dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.clear()
    QTest.keyClicks(dialog.username, username)
    dialog.password.clear()
    QTest.keyClicks(dialog.password, password)
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)


def fill(change: PasswordChangeDialog, old: str, new: str, again: str | None = None) -> None:
    for field, value in ((change.old_password, old), (change.new_password, new),
                         (change.repeat_password, new if again is None else again)):
        field.clear()
        QTest.keyClicks(field, value)


def test_first_sign_in_forces_a_new_password(dialog: LoginDialog, qtbot: QtBot, demo_sqlite_db: Database) -> None:
    sign_in(dialog, "wang", INITIAL)
    change = dialog.password_change
    assert isinstance(change, PasswordChangeDialog) and change.isVisible() and change.forced
    assert dialog.actor is None and dialog.isVisible()  # not signed in yet
    assert "王晓燕" in change.intro.text()
    # Too weak: the service's message names what is missing; what was typed stays.
    fill(change, INITIAL, "wangxiaoyan")
    QTest.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert change.error_label.isVisible() and change.error_field is change.new_password
    assert change.error_label.text().endswith("目前缺少：大写字母、数字、符号（再加其中 2 类即可）。")
    assert change.new_password.text() == "wangxiaoyan" and change.old_password.text() == INITIAL
    qtbot.wait(20)
    change.grab().save("/tmp/password_change_weak.png")
    # The two entries differ.
    fill(change, INITIAL, "Wang#2026a", "Wang#2026b")
    QTest.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert change.error_field is change.repeat_password and change.isVisible()
    # Wrong current password.
    fill(change, "Wrong#2026", "Wang#2026a")
    QTest.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert change.error_label.text() == "原密码不正确。" and change.error_field is change.old_password
    assert "✔" in change.policy.text()
    # Good: signed in, with the flag gone.
    fill(change, INITIAL, "Wang#2026a")
    with qtbot.waitSignal(dialog.logged_in) as signal:
        QTest.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    actor = signal.args[0]
    assert actor.username == "wang" and not actor.must_change_password
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not auth.login(demo_sqlite_db, "wang", "Wang#2026a").must_change_password


def test_declining_the_change_does_not_sign_in(dialog: LoginDialog, qtbot: QtBot) -> None:
    sign_in(dialog, "wang", INITIAL)
    change = dialog.password_change
    assert change is not None
    assert change.cancel_button.text() == "Sign out"
    QTest.mouseClick(change.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.actor is None and dialog.isVisible()
    assert dialog.error_label.isVisible() and "password of your own" in dialog.error_label.text()
    assert dialog.login_button.isEnabled()


def test_accounts_without_the_flag_sign_in_directly(dialog: LoginDialog, qtbot: QtBot) -> None:
    with qtbot.waitSignal(dialog.logged_in):
        sign_in(dialog, "clerk", "Demo@2026")
    assert dialog.password_change is None


def test_voluntary_change_from_the_dialog(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    clerk = login_as(demo_sqlite_db, "clerk")
    change = PasswordChangeDialog(runner, clerk)
    qtbot.addWidget(change)
    change.show()
    assert change.cancel_button.text() == "Cancel"
    fill(change, "Demo@2026", "Demo@2026")
    QTest.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert change.error_label.text() == "新密码不能与原密码相同。"
    fill(change, "Demo@2026", "Clerk!2027")
    with qtbot.waitSignal(change.password_changed):
        QTest.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert auth.login(demo_sqlite_db, "clerk", "Clerk!2027").username == "clerk"
