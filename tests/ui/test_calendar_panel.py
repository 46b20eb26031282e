"""The calendar panel: the uncovered-year warning, the holiday table, and the time limits."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import CaseState, ClockStage
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import calendar, clocks, reference
from mediation_desk.services.actor import Actor
from mediation_desk.ui.admin.calendar import CalendarPanel, HolidaysModel, LimitsModel

from ..conftest import login_as
from .confirming import click_go, press_escape
from .conftest import Runner, check_model, rows_where, type_text
from .date_typing import enter_day

pytestmark = pytest.mark.gui

#: The last year chinese-calendar knows: the next one is the year the center must enter itself.
KNOWN = max(calendar.LIBRARY_YEARS)
TODAY = date(KNOWN, 11, 20)


def make_panel(runner: Runner, actor: Actor, qtbot: QtBot) -> CalendarPanel:
    panel = CalendarPanel(runner, actor, today=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.resize(1300, 700)
    panel.show()
    return panel


def click(widget: object) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[call-overload]


def enter(panel: CalendarPanel, first: date, last: date, name: str, *, workday: bool = False) -> None:
    enter_day(panel.from_edit, first)
    enter_day(panel.to_edit, last)
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(workday))
    type_text(panel.name_edit, name)
    click(panel.add_button)
    click_go(panel.confirm_box)  # entering days moves every clock: it asks first


def test_entering_holidays_asks_first(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """Entering days moves every open case's deadlines: the question names the days; Esc and
    Enter cancel and keep what was typed."""
    admin = login_as(demo_sqlite_db, "admin")
    panel = make_panel(runner, admin, qtbot)
    panel.show_year(KNOWN + 1)
    enter_day(panel.from_edit, date(KNOWN + 1, 2, 5))
    enter_day(panel.to_edit, date(KNOWN + 1, 2, 11))
    type_text(panel.name_edit, "chunjie")
    click(panel.add_button)
    assert panel.confirm_box is not None
    assert f"{KNOWN + 1}-02-05" in panel.confirm_box.text() and "(7 days)" in panel.confirm_box.text()
    assert "chunjie" in panel.confirm_box.text()
    press_escape(panel.confirm_box)
    QTest.keyClick(panel.name_edit, Qt.Key.Key_Return)  # Enter in the name field asks too
    QTest.keyClick(panel.confirm_box, Qt.Key.Key_Return)  # and Enter there is 取消
    with demo_sqlite_db.read() as session:
        assert calendar.list_entries(session, KNOWN + 1) == []
    assert panel.name_edit.text() == "chunjie" and panel.holidays_model.rowCount() == 0
    click(panel.add_button)
    click_go(panel.confirm_box)
    qtbot.waitUntil(lambda: panel.holidays_model.rowCount() == 7)


def test_uncovered_year_warning_goes_once_entered(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    admin = login_as(demo_sqlite_db, "admin")
    panel = make_panel(runner, admin, qtbot)
    warning = panel.uncovered_label
    assert warning.isVisible()
    assert f"{KNOWN + 1}" in warning.text() and "has not been entered" in warning.text()
    assert panel.coverage_label.text().startswith(f"{KNOWN}: the State Council's schedule is built in")

    panel.show_year(KNOWN + 1)
    assert panel.holidays_model.rowCount() == 0
    assert "no schedule yet" in panel.coverage_label.text()
    enter(panel, date(KNOWN + 1, 1, 1), date(KNOWN + 1, 1, 1), "元旦")
    assert panel.holiday_error.isHidden(), panel.holiday_error.text()
    assert panel.holiday_done.isVisible() and panel.holiday_done.text().startswith("1 days entered")
    assert warning.isHidden()
    assert "not built in; the 1 days the center entered" in panel.coverage_label.text()

    # A whole Spring Festival week at once, and a make-up working day on a Sunday.
    enter(panel, date(KNOWN + 1, 2, 5), date(KNOWN + 1, 2, 11), "春节")
    sunday = next(date(KNOWN + 1, 1, d) for d in range(20, 32) if date(KNOWN + 1, 1, d).weekday() == 6)
    enter(panel, sunday, sunday, "春节", workday=True)
    model = panel.holidays_model
    assert model.rowCount() == 9
    kinds = [model.data(model.index(r, HolidaysModel.COL_KIND)) for r in range(model.rowCount())]
    assert kinds.count("Make-up working day") == 1 and kinds.count("Day off") == 8
    with demo_sqlite_db.read() as session:
        assert calendar.uncovered_years(session, TODAY) == []
        assert len(calendar.list_entries(session, KNOWN + 1)) == 9

    # A weekday is a working day already: the service says so next to the form.
    weekday = next(date(KNOWN + 1, 3, d) for d in range(1, 8) if date(KNOWN + 1, 3, d).weekday() < 5)
    enter(panel, weekday, weekday, "调休", workday=True)
    assert "本来就是工作日" in panel.holiday_error.text()

    panel.holidays_table.selectRow(0)
    click(panel.remove_button)
    assert model.rowCount() == 8


def test_the_built_in_holidays_are_listed_beside_the_centers_own(runner: Runner, demo_sqlite_db: Database,
                                                                  qtbot: QtBot) -> None:
    """A known year lists the built-in schedule, marked so; one day entered replaces that day
    only, and the caption says so."""
    admin = login_as(demo_sqlite_db, "admin")
    panel = make_panel(runner, admin, qtbot)
    model = panel.holidays_model
    built_in = calendar.built_in_entries(KNOWN)
    assert len(built_in) > 20 and model.rowCount() == len(built_in)
    sources = {model.data(model.index(r, HolidaysModel.COL_SOURCE)) for r in range(model.rowCount())}
    assert sources == {"Built in"}
    names = {model.data(model.index(r, HolidaysModel.COL_NAME)) for r in range(model.rowCount())}
    assert {"元旦", "春节", "国庆节"} <= names
    assert f"({len(built_in)} days, marked “Built in”)" in panel.coverage_label.text()
    assert "for that day only" in panel.coverage_label.text()

    # The built-in days cannot be removed, only replaced.
    panel.holidays_table.selectRow(0)
    click(panel.remove_button)
    assert "built-in days cannot be removed" in panel.holiday_error.text()
    assert model.rowCount() == len(built_in)

    # A built-in make-up working day (on a weekend) that this county gives off after all.
    row = next(i for i, e in enumerate(built_in) if e.is_workday)
    enter(panel, built_in[row].day, built_in[row].day, "yuandan")
    qtbot.waitUntil(panel.holiday_done.isVisible)
    assert model.rowCount() == len(built_in)
    assert model.data(model.index(row, HolidaysModel.COL_SOURCE)) == "Entered by the center"
    assert model.data(model.index(row, HolidaysModel.COL_NAME)) == "yuandan"
    assert model.data(model.index(row, HolidaysModel.COL_KIND)) == "Day off"
    assert model.data(model.index(row + 1, HolidaysModel.COL_SOURCE)) == "Built in"
    assert f"({len(built_in) - 1} days, marked “Built in”)" in panel.coverage_label.text()
    assert "the 1 days the center entered replace the built-in answer on those days only" in \
        panel.coverage_label.text()


def test_head_reads_the_holidays_and_sets_limits(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    panel = make_panel(runner, head, qtbot)
    assert panel.uncovered_label.isVisible() and "Ask the administrator" in panel.uncovered_label.text()
    assert panel.holiday_form.isHidden() and panel.remove_button.isHidden()
    assert panel.limit_form.isVisible()

    model = panel.limits_model
    assert [r.stage for r in model.rows] == list(ClockStage)
    assert not panel.save_limit_button.isEnabled()  # nothing selected
    panel.select_stage(ClockStage.MEDIATION)
    assert panel.days_spin.value() == clocks.DEFAULT_LIMITS[ClockStage.MEDIATION].days
    row = [r.stage for r in model.rows].index(ClockStage.MEDIATION)
    assert model.data(model.index(row, LimitsModel.COL_DAYS)) == "30 calendar days"
    assert model.data(model.index(row, LimitsModel.COL_SOURCE)) == "Default"
    mediating = len([r for r in rows_where(demo_sqlite_db, head, CaseFilter(
        states=frozenset({CaseState.ACCEPTED, CaseState.ASSIGNED, CaseState.IN_MEDIATION})))
        if r.clock_stage is ClockStage.MEDIATION])
    assert mediating > 0

    panel.days_spin.setValue(20)
    panel.yellow_spin.setValue(20)
    click(panel.save_limit_button)
    assert panel.limit_error.text() == "黄色预警天数应不少于 0 且小于期限天数。"
    panel.yellow_spin.setValue(5)
    click(panel.save_limit_button)
    assert panel.limit_error.isHidden()
    assert panel.limit_done.text() == f"Saved. {mediating} open cases now run on the new limit."
    assert model.data(model.index(row, LimitsModel.COL_DAYS)) == "20 calendar days"
    assert model.data(model.index(row, LimitsModel.COL_SOURCE)) == "The center"

    # An override for one dispute type.
    with demo_sqlite_db.read() as session:
        family = next(t for t in reference.dispute_types(session) if t.name == "婚姻家庭")
    panel.type_combo.setCurrentIndex(panel.type_combo.findData(family.id))
    assert model.data(model.index(row, LimitsModel.COL_SOURCE)) == "Same as all types"
    panel.select_stage(ClockStage.MEDIATION)
    panel.days_spin.setValue(45)
    panel.working_combo.setCurrentIndex(panel.working_combo.findData(False))
    click(panel.save_limit_button)
    assert model.data(model.index(row, LimitsModel.COL_DAYS)) == "45 calendar days"
    assert model.data(model.index(row, LimitsModel.COL_SOURCE)) == "This dispute type"
    with demo_sqlite_db.read() as session:
        assert clocks.limit_for(session, ClockStage.MEDIATION, family.id).days == 45
        assert clocks.limit_for(session, ClockStage.MEDIATION, None).days == 20


def test_calendar_models_pass_the_model_tester(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                               qtmodeltester: ModelTester) -> None:
    admin = login_as(demo_sqlite_db, "admin")
    panel = make_panel(runner, admin, qtbot)
    check_model(qtmodeltester, panel.limits_model)
    check_model(qtmodeltester, panel.holidays_model)
    enter(panel, date(KNOWN + 1, 10, 1), date(KNOWN + 1, 10, 7), "国庆节")
    assert panel.holidays_model.rowCount() == 7
    check_model(qtmodeltester, panel.holidays_model)

