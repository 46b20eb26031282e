"""The idle lock: covers the windows after the idle time, keeps what was typed, the same user's
password unlocks, nothing underneath takes input while locked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry
from mediation_desk.services import auth
from mediation_desk.ui.common import i18n
from mediation_desk.ui.shell.idle_lock import IdleLock

from ..conftest import login_as
from .conftest import Runner, type_text

pytestmark = pytest.mark.gui


class Window(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        body = QWidget()
        layout = QVBoxLayout(body)
        self.name = QLineEdit()
        self.other = QLineEdit()
        layout.addWidget(self.name)
        layout.addWidget(self.other)
        self.setCentralWidget(body)
        self.saves = 0
        save = QAction("Save", self)
        save.setShortcut(QKeySequence("Ctrl+S"))
        save.triggered.connect(self._save)
        self.addAction(save)

    def _save(self) -> None:
        self.saves += 1


@pytest.fixture
def window(qtbot: QtBot) -> Window:
    win = Window()
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def lock(runner: Runner, demo_sqlite_db: Database, window: Window) -> Iterator[IdleLock]:
    idle = IdleLock(runner, login_as(demo_sqlite_db, "clerk"), window).install()
    yield idle
    idle.uninstall()


def test_default_is_ten_minutes_from_the_center_setting(runner: Runner, demo_sqlite_db: Database,
                                                        window: Window) -> None:
    idle = IdleLock(runner, login_as(demo_sqlite_db, "clerk"), window)
    assert idle.minutes == 10 and idle.timer.interval() == 600_000 and idle.timer.isActive()
    with demo_sqlite_db.write() as session:
        auth.set_idle_lock_minutes(session, login_as(demo_sqlite_db, "admin"), 3)
    idle = IdleLock(runner, login_as(demo_sqlite_db, "clerk"), window)
    assert idle.minutes == 3 and idle.timer.interval() == 180_000
    idle.set_minutes(0)
    assert not idle.timer.isActive()


def test_lock_after_idle_keeps_typed_text_and_the_password_unlocks(
        lock: IdleLock, window: Window, qtbot: QtBot, demo_sqlite_db: Database, qapp: QApplication,
        tmp_path: Path) -> None:
    i18n.register_fonts(qapp)
    type_text(window.name, "张三丰（未保存）")
    window.other.setFocus()
    QTest.keyClicks(window.other, "13800138000")
    lock.set_interval_ms(50)  # a short idle time instead of ten minutes
    with qtbot.waitSignal(lock.locked, timeout=3000):
        pass
    assert lock.is_locked and lock.form is not None and lock.form.isVisible()
    assert lock.form.geometry() == window.rect()
    window.grab().save(str(tmp_path / "locked.png"))
    window.grab().save("/tmp/idle_lock_locked.png")
    # The input underneath is covered, not gone, and takes no keys.
    QTest.keyClicks(window.other, "999")
    assert window.other.text() == "13800138000"
    # Wrong password: a message, still locked.
    assert lock.form.password is not None and lock.form.message is not None
    QTest.keyClicks(lock.form.password, "wrong")
    QTest.keyClick(lock.form.password, Qt.Key.Key_Return)
    assert lock.is_locked and lock.form.message.isVisible()
    assert lock.form.message.text() == "密码错误。再错 4 次账户将被锁定 10 分钟。"
    assert lock.form.password.text() == ""
    window.grab().save("/tmp/idle_lock_wrong.png")
    QTest.keyClicks(lock.form.password, demo.DEMO_PASSWORD)
    assert lock.form.unlock_button is not None
    with qtbot.waitSignal(lock.unlocked, timeout=3000) as unlocked:
        QTest.mouseClick(lock.form.unlock_button, Qt.MouseButton.LeftButton)
    assert unlocked.args[0].username == "clerk"
    assert not lock.is_locked
    assert window.name.text() == "张三丰（未保存）" and window.other.text() == "13800138000"
    assert QApplication.focusWidget() is window.other
    assert lock.timer.isActive()
    with demo_sqlite_db.read() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(2)))
    assert actions == ["unlock", "unlock_failed"]


def test_input_restarts_the_countdown(lock: IdleLock, window: Window, qtbot: QtBot) -> None:
    lock.set_interval_ms(400)
    for _ in range(4):
        qtbot.wait(150)
        QTest.keyClick(window.name, Qt.Key.Key_A)
    assert not lock.is_locked
    assert window.name.text() == "aaaa"
    with qtbot.waitSignal(lock.locked, timeout=3000):
        pass


def test_shortcuts_do_not_fire_under_the_lock(lock: IdleLock, window: Window, qtbot: QtBot) -> None:
    window.name.setFocus()
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.saves == 1
    lock.timer.timeout.emit()  # as if ten minutes had passed
    assert lock.is_locked
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.saves == 1


def test_an_open_dialog_is_covered_too_and_carries_the_form(lock: IdleLock, window: Window, qtbot: QtBot) -> None:
    dialog = QDialog(window)
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.resize(400, 200)
    dialog.open()
    qtbot.waitExposed(dialog)
    QTest.keyClicks(field, "draft")
    lock.timer.timeout.emit()
    assert lock.is_locked and len(lock.covers) == 2
    assert lock.form is not None and lock.form.parentWidget() is dialog
    assert dialog.isVisible()
    assert lock.form.password is not None
    QTest.keyClicks(lock.form.password, demo.DEMO_PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=3000):
        QTest.keyClick(lock.form.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and field.text() == "draft"
    dialog.reject()


def test_sign_out_is_offered(lock: IdleLock, qtbot: QtBot) -> None:
    lock.lock()
    assert lock.form is not None and lock.form.sign_out_button is not None
    with qtbot.waitSignal(lock.sign_out_requested, timeout=1000):
        QTest.mouseClick(lock.form.sign_out_button, Qt.MouseButton.LeftButton)
