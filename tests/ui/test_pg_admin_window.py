"""The administrator's window on a center server whose desks hold only the desk role.

Signed in through the real login path (the desk role, then the administrator's own login role),
every section the window offers the administrator loads, and nothing in it shows a server refusal:
the organisation's open-case counts come from the server's counts (migration 0018), a holiday
entered says the clocks move at the next head's sign-in, and the backup buttons are
disabled saying that the server's backups are IT's pg_dump.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from mediation_desk import demo
from mediation_desk.models import now
from mediation_desk.services import auth
from mediation_desk.ui.admin.audit import AuditViewer
from mediation_desk.ui.admin.backup import BackupPanel
from mediation_desk.ui.admin.calendar import CalendarPanel
from mediation_desk.ui.admin.organisation import OrganisationPanel
from mediation_desk.ui.admin.users import UsersPanel
from mediation_desk.ui.shell.main_window import MainWindow

from .. import pgserver
from ..test_pg_admin import SERVER_WORDS, Center, demo_center
from .confirming import click_go
from .conftest import Runner, type_text
from .date_typing import enter_day

pytestmark = [pytest.mark.gui, pytest.mark.postgresql]


@pytest.fixture(scope="module")
def center_db(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    with demo_center(pg_server, pg_template, "md_admin_window") as made:
        yield made


@pytest.fixture
def admin_window(center_db: Center, qtbot: QtBot, chinese: None,
                 app_fonts: str | None) -> Iterator[tuple[MainWindow, Runner]]:
    desk = center_db.desk()
    admin = auth.login(desk, "admin", demo.DEMO_PASSWORD)
    runner = Runner(desk)
    window = MainWindow(runner, admin, "甘州区矛调中心")
    qtbot.addWidget(window)
    window.show()
    yield window, runner
    runner.shutdown(dispose=False)
    desk.dispose()


def _shown_texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisible() and label.text()]


def test_every_section_of_the_administrators_window_loads_without_a_server_refusal(
        admin_window: tuple[MainWindow, Runner], tmp_path: Path) -> None:
    window, runner = admin_window
    assert list(window.sections) == ["organisation", "calendar", "users", "subsidies", "audit", "backup"]
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        section = window.tabs.currentWidget()
        shown = _shown_texts(section)
        assert not [t for t in shown if any(w in t for w in SERVER_WORDS)], (window.tabs.tabText(index), shown)
    assert not runner.unhandled, [f.message for f in runner.unhandled]

    org = window.sections["organisation"]
    assert isinstance(org, OrganisationPanel) and org.organisation is not None
    assert sum(t.open_cases for t in org.organisation.teams) > 0  # counted by the server for md_admin
    users = window.sections["users"]
    assert isinstance(users, UsersPanel) and users.model.rowCount() >= 4 and users.list_error.isHidden()
    viewer = window.sections["audit"]
    assert isinstance(viewer, AuditViewer) and viewer.model.rowCount() > 0 and viewer.error_label.isHidden()

    # A holiday entered as the administrator does it: saved; the clocks move at the next sign-in.
    calendar = window.sections["calendar"]
    assert isinstance(calendar, CalendarPanel)
    window.tabs.setCurrentWidget(calendar)
    day = date(now().year, 10, 9)
    enter_day(calendar.from_edit, day)
    enter_day(calendar.to_edit, day)
    type_text(calendar.name_edit, "巡检假日")
    QTest.mouseClick(calendar.add_button, Qt.MouseButton.LeftButton)
    click_go(calendar.confirm_box)  # entering days moves every clock: it asks first
    assert calendar.holiday_error.isHidden(), calendar.holiday_error.text()
    assert calendar.holiday_done.text() == "已登记 1 天。 未办结案件的办理期限将在中心主任下次登录时重新计算。"

    # Backups: not offered here, and the panel says why.
    panel = window.sections["backup"]
    assert isinstance(panel, BackupPanel)
    window.tabs.setCurrentWidget(panel)
    assert panel.refusal is not None and "pg_dump" in panel.refusal
    assert not panel.backup_button.isEnabled() and not panel.restore_button.isEnabled()
    assert panel.refusal_label.text() == ("本中心服务器的备份和恢复由信息技术人员以数据库所有者账户用 pg_dump 完成；"
                                          "本机不能导出或导入服务器数据。")
    assert panel.refusal_label.isVisible()
    assert "pg_dump" in panel.backup_button.toolTip()
    panel.back_up_now()  # a click that slipped through does nothing
    assert panel.message.isHidden()
    window.grab().save(str(tmp_path / "admin-backups.png"))
    assert not runner.unhandled, [f.message for f in runner.unhandled]
