"""The sessions screens: the calendar model (week and day by room) through Qt's model tester, a
session scheduled by keyboard in the case's tab with a clash refused and nothing typed lost, a
rest day asked about, the record started from a session, the desk's list and the calendar opened
from it, and a mediator's sessions exported as an iCalendar file from the calendar."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.services import sessions
from mediation_desk.ui.cases.tabs.records import RecordsTab
from mediation_desk.ui.cases.tabs.sessions import SessionsTab
from mediation_desk.ui.sessions.calendar import CalendarModel, CalendarView, View
from mediation_desk.ui.sessions.desk_box import DeskSessionsPanel

from ..services.sessions_world import STORY_DAY, SessionsWorld
from .confirming import click_go
from .conftest import Runner, check_model, type_text

pytestmark = [pytest.mark.gui, pytest.mark.story_day(STORY_DAY)]

MONDAY = date(2026, 11, 30)


@pytest.fixture
def world(sqlite_db: Database) -> SessionsWorld:
    return SessionsWorld(sqlite_db)


@pytest.fixture
def runner(sqlite_db: Database) -> Iterator[Runner]:
    task_runner = Runner(sqlite_db)
    yield task_runner
    task_runner.shutdown(dispose=False)
    assert not task_runner.unhandled, [f.message for f in task_runner.unhandled]


def test_the_calendar_model_by_week_and_by_day(world: SessionsWorld, runner: Runner, qtbot: QtBot,
                                               qtmodeltester: ModelTester) -> None:
    first = world.case()
    second = world.case(applicant="赵五", respondent="钱六")
    world.schedule(first, "2026-12-01T09:00", "2026-12-01T11:00")
    late = world.schedule(second, "2026-12-01T22:00", "2026-12-02T00:30", room=2, confirmed=True,
                          mediator_ids=[world.other_mediator_id])
    view = CalendarView(runner, world.head, today=lambda: MONDAY)
    qtbot.addWidget(view)
    model = view.model
    check_model(qtmodeltester, model)
    assert (model.rowCount(), model.columnCount()) == (3, 7)  # rooms down, days across
    assert model.headerData(1, Qt.Orientation.Horizontal) == "周二 12/1"
    assert model.headerData(5, Qt.Orientation.Horizontal) == "周六 12/5 (day off)"  # by the working-day calendar
    assert model.data(model.index(0, 5), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.headerData(2, Qt.Orientation.Vertical) == "第三调解室"
    tuesday = model.data(model.index(0, 1))
    assert tuesday.startswith("09:00–11:00 ") and "0001" in tuesday
    # The late session shows on both days it touches.
    assert model.data(model.index(2, 1), CalendarModel.SessionRole).id == late.id
    assert model.data(model.index(2, 2), CalendarModel.SessionRole).id == late.id

    view.set_view(View.DAY)
    view.go_to(date(2026, 12, 1))
    check_model(qtmodeltester, model)
    assert model.columnCount() == 3 and model.headerData(0, Qt.Orientation.Horizontal) == "第一调解室"
    # Half-hour slots from 07:00, the day running on to 24:00 for the late session.
    assert model.headerData(0, Qt.Orientation.Vertical) == "07:00"
    assert model.headerData(model.rowCount() - 1, Qt.Orientation.Vertical) == "23:30"
    nine = next(r for r in range(model.rowCount()) if model.headerData(r, Qt.Orientation.Vertical) == "09:00")
    assert [model.data(model.index(r, 0), CalendarModel.SessionRole) is not None for r in range(nine - 1, nine + 5)] \
        == [False, True, True, True, True, False]
    assert model.data(model.index(nine, 0), CalendarModel.CaseIdRole) == first
    # The next morning: the late session from midnight to 00:30.
    view.step(1)
    assert model.headerData(0, Qt.Orientation.Vertical) == "00:00"
    assert model.data(model.index(0, 2), CalendarModel.SessionRole).id == late.id
    check_model(qtmodeltester, model)
    with qtbot.waitSignal(view.open_case) as opened:
        view.table.doubleClicked.emit(model.index(0, 2))
    assert opened.args == [second]


def _type(widget: object, text: str) -> None:
    QTest.keyClicks(widget, text)  # type: ignore[arg-type]


def test_scheduling_by_keyboard_refuses_a_clash_and_keeps_what_was_typed(world: SessionsWorld, runner: Runner,
                                                                          qtbot: QtBot) -> None:
    other = world.case(applicant="赵五", respondent="钱六")
    booked = world.schedule(other, "2026-12-01T09:00", "2026-12-01T11:00", mediator_ids=[world.other_mediator_id])
    case_id = world.case()
    tab = SessionsTab(runner, world.mediator)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    with qtbot.waitSignal(tab.loaded):
        tab.show_case(case_id)
    assert tab.empty_label.isVisible()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.table.setFocus()

    QTest.keyClick(tab.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.room)  # 第一调解室: the booked one
    # Room, then Tab through day, start and end; the end day left empty (the same day).
    QTest.keyClick(dialog.room, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.start_day.line
    _type(dialog.start_day.line, "2026-12-01")
    QTest.keyClick(dialog.start_day.line, Qt.Key.Key_Tab)
    _type(dialog.start_time.line, "10:00")
    QTest.keyClick(dialog.start_time.line, Qt.Key.Key_Tab)
    _type(dialog.end_time.line, "11:30")
    QTest.keyClick(dialog.end_time.line, Qt.Key.Key_Tab)
    QTest.keyClick(dialog.end_day.line, Qt.Key.Key_Tab)
    # The case was assigned without a lead, so none is ticked; the team's own come first: 李建国, by Space.
    assert QApplication.focusWidget() is dialog.mediators
    assert dialog.mediators_model.checked_ids() == ()
    assert dialog.mediators_model.data(dialog.mediators_model.index(0)) == "李建国（本案团队）"
    QTest.keyClick(dialog.mediators, Qt.Key.Key_Home)
    QTest.keyClick(dialog.mediators, Qt.Key.Key_Space)
    assert dialog.mediators_model.checked_ids() == (world.mediator_id,)
    QTest.keyClick(dialog.mediators, Qt.Key.Key_Tab)
    QTest.keyClick(dialog.parties, Qt.Key.Key_Tab)  # both parties are ticked already
    type_text(dialog.invited, "王福，村干部\n赵明（律师）")
    type_text(dialog.bring, "房屋产权证明")
    QTest.keyClick(dialog.bring, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    # Refused: the room is booked from 09:00 to 11:00, named in Chinese beside the room.
    assert tab.dialog is dialog and dialog.isVisible()
    error = dialog.errors["room_id"]
    assert error.isVisible()
    assert booked.case_number in error.text() and "第一调解室" in error.text() and "09:00—11:00" in error.text()
    assert QApplication.focusWidget() is dialog.room
    # Nothing typed was lost.
    assert (dialog.start_day.text(), dialog.start_time.text(), dialog.end_time.text()) == ("2026-12-01", "10:00",
                                                                                         "11:30")
    assert dialog.invited.toPlainText() == "王福，村干部\n赵明（律师）"
    assert dialog.bring.toPlainText() == "房屋产权证明"

    # The next room, and it is saved.
    QTest.keyClick(dialog.room, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.saved) as saved:
        QTest.keyClick(dialog.room, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    info = saved.args[0]
    assert (info.room_name, info.starts_at, info.ends_at) == ("第二调解室", datetime(2026, 12, 1, 10, 0),
                                                           datetime(2026, 12, 1, 11, 30))
    assert info.invited == (("王福", "村干部"), ("赵明", "律师"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert "第二调解室" in tab.message.text()


def test_a_rest_day_is_asked_about_first(world: SessionsWorld, runner: Runner, qtbot: QtBot) -> None:
    case_id = world.case()
    tab = SessionsTab(runner, world.head)
    qtbot.addWidget(tab)
    tab.show()
    with qtbot.waitSignal(tab.loaded):
        tab.show_case(case_id)
    tab.schedule()
    dialog = tab.dialog
    assert dialog is not None
    for field, text in ((dialog.start_day, "2026-12-05"), (dialog.start_time, "9:00"), (dialog.end_time, "10:00")):
        _type(field.line, text)
    dialog.mediators_model.set_checked(world.mediator_id, True)
    dialog.save()
    box = dialog.confirm_box
    assert box is not None and "2026年12月5日是休息日" in box.text()
    assert tab.model.rowCount() == 0
    with qtbot.waitSignal(dialog.saved):
        click_go(box)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)


def test_the_record_is_started_from_the_session(world: SessionsWorld, runner: Runner, qtbot: QtBot) -> None:
    case_id = world.case()
    world.schedule(case_id, "2026-11-30T09:00", "2026-11-30T10:30", invited=[("王福", "村干部")])
    tab = SessionsTab(runner, world.mediator)
    records = RecordsTab(runner, world.mediator)
    for widget in (tab, records):
        qtbot.addWidget(widget)
        widget.show()
    tab.start_record.connect(records.start_from)
    with qtbot.waitSignal(tab.loaded):
        tab.show_case(case_id)
    with qtbot.waitSignal(records.loaded):
        records.show_case(case_id)
    with qtbot.waitSignal(tab.start_record):
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert records.held_at.value() == datetime(2026, 11, 30, 9, 0)
    assert records.place.text() == "二楼第一调解室"
    assert records.mediators.text() == "李建国"
    assert records.parties_present.text() == "张三、李四"
    assert records.participants.text() == "王福（村干部）"
    assert records.notice_given.isChecked() and records.dirty


def test_the_desk_lists_today_and_tomorrow_by_room_and_opens_the_calendar(world: SessionsWorld, runner: Runner,
                                                                          qtbot: QtBot, tmp_path: Path) -> None:
    case_id = world.case()
    world.schedule(case_id, "2026-11-30T14:00", "2026-11-30T15:00", room=1)
    world.schedule(case_id, "2026-12-01T09:00", "2026-12-01T10:00")
    world.schedule(case_id, "2026-11-30T09:00", "2026-11-30T10:00", room=1)
    world.schedule(case_id, "2026-12-02T09:00", "2026-12-02T10:00")  # the day after tomorrow: not listed
    panel = DeskSessionsPanel(runner, world.head, today=lambda: MONDAY)
    qtbot.addWidget(panel)
    model = panel.model
    rows = [[model.data(model.index(r, c)) for c in range(3)] for r in range(model.rowCount())]
    assert rows == [["第一调解室", "Tomorrow", "09:00–10:00"], ["第二调解室", "Today", "09:00–10:00"],
                    ["第二调解室", "Today", "14:00–15:00"]]
    assert panel.summary_label.text() == "2 today, 1 tomorrow"
    with qtbot.waitSignal(panel.open_calendar):
        QTest.mouseClick(panel.calendar_button, Qt.MouseButton.LeftButton)

    # The calendar's export: the mediator's sessions from today, parsed back.
    view = CalendarView(runner, world.head, today=lambda: MONDAY)
    qtbot.addWidget(view)
    assert view.mediator_combo.count() == 2
    target = tmp_path / "日程.ics"
    view.export_ics(world.mediator_id, str(target))
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert len(events) == 4
    assert "4" in view.status_label.text()
    with world.db.read() as session:
        # Sessions made after migration 0047 are named by their uid (a fresh database has no older).
        assert {str(e["uid"]) for e in events} == {f"mediation-session-{s.uid}@mediation-desk"
                                                   for s in sessions.sessions_of_case(session, world.head, case_id)}


def test_the_head_sets_up_a_room(world: SessionsWorld, runner: Runner, qtbot: QtBot) -> None:
    from mediation_desk.ui.admin.calendar import CalendarPanel

    panel = CalendarPanel(runner, world.head)
    qtbot.addWidget(panel)
    dialog = panel.open_rooms()
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 3
    QTest.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    type_text(dialog.name, "第二调解室")
    dialog.save()
    assert dialog.message.isVisible() and "已有名为“第二调解室”的调解室" in dialog.message.text()
    assert dialog.name.text() == "第二调解室"  # kept for correcting
    dialog.name.selectAll()
    type_text(dialog.name, "第四调解室")
    dialog.capacity.setFocus()
    QTest.keyClick(dialog.capacity, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(dialog.capacity, "12")
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.model.rowCount() == 4
    assert [dialog.model.data(dialog.model.index(3, c)) for c in range(2)] == ["第四调解室", "12"]
