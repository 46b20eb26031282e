"""The administrator's user panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.services import auth
from mediation_desk.services.errors import AuthenticationFailed
from mediation_desk.ui.admin.users import UsersModel, UsersPanel

from ..conftest import login_as
from .conftest import Runner, check_model, type_text

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> UsersPanel:
    widget = UsersPanel(runner, login_as(demo_sqlite_db, "admin"))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def usernames(panel: UsersPanel) -> list[str]:
    return [panel.model.data(panel.model.index(r, UsersModel.COL_USERNAME)) for r in range(panel.model.rowCount())]


def fill_new_user(qtbot: QtBot, panel: UsersPanel, username: str, name: str, password: str,
                  role: Role = Role.INTAKE) -> None:
    for field in (panel.new_username, panel.new_display_name, panel.new_password):
        field.clear()
    QTest.keyClicks(panel.new_username, username)
    type_text(panel.new_display_name, name)
    panel.new_role.setCurrentIndex(panel.new_role.findData(role.value))
    QTest.keyClicks(panel.new_password, password)


def test_lists_users(panel: UsersPanel, qtmodeltester: ModelTester) -> None:
    assert sorted(usernames(panel)) == ["admin", "clerk", "head", "mediator"]
    check_model(qtmodeltester, panel.model)


def test_weak_password_shows_the_policy(panel: UsersPanel, qtbot: QtBot) -> None:
    fill_new_user(qtbot, panel, "zhangsan", "张三", "abc")
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.add_message.isVisible()
    assert panel.add_message.text() == "密码至少需要 8 个字符。"
    assert panel.new_username.text() == "zhangsan"  # nothing typed is lost
    fill_new_user(qtbot, panel, "zhangsan", "张三", "abcdefgh")
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.add_message.text() == ("密码需包含小写字母、大写字母、数字、符号中的至少三类，"
                                        "目前缺少：大写字母、数字、符号（再加其中 2 类即可）。")
    assert "zhangsan" not in usernames(panel)


def test_add_user(panel: UsersPanel, qtbot: QtBot, demo_sqlite_db: Database) -> None:
    fill_new_user(qtbot, panel, "zhangsan", "张三", "Zhang@2026", Role.MEDIATOR)
    assert panel.new_mediator.isEnabled()
    panel.new_mediator.setCurrentIndex(1)
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.add_message.text() == "Added the account “zhangsan”."
    assert "zhangsan" in usernames(panel)
    assert panel.new_username.text() == "" and panel.new_password.text() == ""
    actor = auth.login(demo_sqlite_db, "zhangsan", "Zhang@2026")
    assert actor.role is Role.MEDIATOR and actor.display_name == "张三" and actor.mediator_id is not None


def test_duplicate_username(panel: UsersPanel, qtbot: QtBot) -> None:
    fill_new_user(qtbot, panel, "clerk", "王某", "Clerk@2026")
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.add_message.text() == "用户名“clerk”已被使用。"


def test_reset_password_and_deactivate(panel: UsersPanel, qtbot: QtBot, demo_sqlite_db: Database) -> None:
    panel.select_username("clerk")
    assert "clerk" in panel.selected_label.text()
    QTest.keyClicks(panel.reset_password, "short")
    QTest.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert panel.user_message.text() == "密码至少需要 8 个字符。"
    panel.reset_password.clear()
    QTest.keyClicks(panel.reset_password, "Clerk#2027")
    QTest.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert "clerk" in panel.user_message.text() and panel.reset_password.text() == ""
    assert auth.login(demo_sqlite_db, "clerk", "Clerk#2027").username == "clerk"

    panel.select_username("clerk")
    assert panel.active_button.text() == "Deactivate"
    QTest.mouseClick(panel.active_button, Qt.MouseButton.LeftButton)
    row = panel.model.row_of("clerk")
    assert row is not None
    assert panel.model.data(panel.model.index(row, UsersModel.COL_STATUS)) == "Deactivated"
    assert panel.active_button.text() == "Activate"
    with pytest.raises(AuthenticationFailed):
        auth.login(demo_sqlite_db, "clerk", "Clerk#2027")
    QTest.mouseClick(panel.active_button, Qt.MouseButton.LeftButton)
    assert auth.login(demo_sqlite_db, "clerk", "Clerk#2027").username == "clerk"


def test_cannot_deactivate_oneself(panel: UsersPanel, qtbot: QtBot) -> None:
    panel.select_username("admin")
    QTest.mouseClick(panel.active_button, Qt.MouseButton.LeftButton)
    assert panel.user_message.text() == "不能停用自己正在使用的账户。"
