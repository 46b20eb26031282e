"""A township's own rooms in the app (migration 0047): its mediator's booking dialog offers only
the township's rooms and books one by keyboard after a wrong end time is refused with nothing lost;
its head's room list (调解室设置) shows the township's rooms under the township's name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.services import assignment, cases, workflow
from mediation_desk.services.workflow import Action
from mediation_desk.ui.cases.tabs.sessions import SessionsTab
from mediation_desk.ui.sessions.rooms import RoomsDialog

from ..services.helpers import actor_named, new_case_input
from ..services.test_county_routing import _center
from .conftest import Runner

STORY_DAY = "2026-11-30T10:00"
pytestmark = [pytest.mark.gui, pytest.mark.story_day(STORY_DAY)]


@pytest.fixture
def county(sqlite_db: Database) -> Database:
    with sqlite_db.write() as session:
        demo.seed(session, 4, today=datetime(2026, 11, 30, 10, 0), township_cases=1)
    return sqlite_db


@pytest.fixture
def runner(county: Database) -> Iterator[Runner]:
    task_runner = Runner(county)
    yield task_runner
    task_runner.shutdown(dispose=False)
    assert not task_runner.unhandled, [f.message for f in task_runner.unhandled]


def _type(widget: object, text: str) -> None:
    QTest.keyClicks(widget, text)  # type: ignore[arg-type]


def test_a_township_mediator_books_one_of_the_townships_rooms_by_keyboard(county: Database, runner: Runner,
                                                                           qtbot: QtBot) -> None:
    _ljd, ljd_team, ljd_lead = _center(county, "甘州梁家墩调")
    clerk, mediator = actor_named(county, "ljd_clerk"), actor_named(county, "ljd_mediator")
    with county.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(county, applicant="王秀英"))
        workflow.transition(session, clerk, case_id, Action.ACCEPT)
        assignment.assign(session, clerk, case_id, team_id=ljd_team, lead_mediator_id=ljd_lead)
    tab = SessionsTab(runner, mediator)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    with qtbot.waitSignal(tab.loaded):
        tab.show_case(case_id)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.table.setFocus()
    QTest.keyClick(tab.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible()
    # Only the township's own rooms; none of the county's.
    offered = [dialog.room.itemText(i) for i in range(dialog.room.count())]
    assert offered == [f"{name} ({n} people)" for name, n, _w in demo.TOWNSHIP_ROOMS]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.room)
    QTest.keyClick(dialog.room, Qt.Key.Key_Down)  # 群众说事室
    QTest.keyClick(dialog.room, Qt.Key.Key_Tab)
    _type(dialog.start_day.line, "2026-12-01")
    QTest.keyClick(dialog.start_day.line, Qt.Key.Key_Tab)
    _type(dialog.start_time.line, "10:00")
    QTest.keyClick(dialog.start_time.line, Qt.Key.Key_Tab)
    _type(dialog.end_time.line, "9:30")  # before the start: refused, naming the field
    assert dialog.mediators_model.checked_ids() == (ljd_lead,)  # the case's lead, ticked
    QTest.keyClick(dialog.end_time.line, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    error = dialog.end_time.error
    assert error.isVisible() and error.text() == "结束时间（09:30）应晚于开始时间（10:00）。"
    assert QApplication.focusWidget() is dialog.end_time.line
    assert dialog.room.currentText().startswith("群众说事室") and dialog.start_day.text() == "2026-12-01"
    dialog.end_time.line.selectAll()
    _type(dialog.end_time.line, "11:30")
    with qtbot.waitSignal(dialog.saved) as saved:
        QTest.keyClick(dialog.end_time.line, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    info = saved.args[0]
    assert (info.room_name, info.room_location, info.starts_at, info.ends_at) == (
        "群众说事室", "综治中心二楼", datetime(2026, 12, 1, 10, 0), datetime(2026, 12, 1, 11, 30))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)


@pytest.mark.usefixtures("chinese")
def test_a_township_head_sees_the_townships_rooms_under_its_name(county: Database, runner: Runner,
                                                                  qtbot: QtBot) -> None:
    dialog = RoomsDialog(runner, actor_named(county, "ljd_head"))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == len(demo.TOWNSHIP_ROOMS))
    assert dialog.center.text() == "甘州区梁家墩镇综治中心的调解室"
    assert [dialog.model.data(dialog.model.index(r, 0)) for r in range(dialog.model.rowCount())] == [
        name for name, _c, _w in demo.TOWNSHIP_ROOMS]
