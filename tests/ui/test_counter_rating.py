"""The counter's 好差评 as people use it: the clerk registers a case on the intake form, the
citizen window (on the second screen) shows the clerk and the matter, then asks for the rating; the
citizen clicks a level (and for a bad one, ticks reasons — none ticked is refused on the screen);
the rating is stored with the case and the clerk; the thanks return to the welcome page. Without a
second screen the clerk enters a paper or phone rating with 录入评价. The window goes full screen on
the second of two virtual screens (Qt's offscreen platform with a screens configuration)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import DisputeCase, PartyRole, ServiceRating
from mediation_desk.services import cases, ratings, reference
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.common import i18n
from mediation_desk.ui.counter.citizen import CitizenWindow
from mediation_desk.ui.counter.screen import CounterScreen
from mediation_desk.ui.desk.dashboard import DashboardPanel, PeriodKind
from mediation_desk.ui.intake.form import IntakeForm

from ..conftest import login_as
from .conftest import Runner, type_text

pytestmark = [pytest.mark.gui, pytest.mark.story_day("2026-11-30T10:00")]

SHOTS = Path(os.environ.get("MD_RATING_SHOTS", "/tmp/rating-screens"))


@pytest.fixture
def clerk(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "clerk")


@pytest.fixture
def desk(runner: Runner, clerk: Actor, qtbot: QtBot, qapp: QApplication,
         chinese: None) -> tuple[IntakeForm, CounterScreen, CitizenWindow]:
    i18n.register_fonts(qapp)
    form = IntakeForm(runner, clerk)
    qtbot.addWidget(form)
    form.resize(1300, 700)
    form.show()
    # The offscreen platform has one screen: the window is put on it as it would be on the second.
    counter = CounterScreen(runner, clerk, form, screen=qapp.primaryScreen(), thanks_ms=0)
    assert counter.window is not None
    return form, counter, counter.window


def click(button: QWidget) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def register(form: IntakeForm, title: str) -> None:
    form.dispute_type.setCurrentIndex(form.dispute_type.findText("邻里"))
    type_text(form.title, title)
    form.parties[0].name.setText("张三")
    form.parties[1].name.setText("李四")
    click(form.save_button)


def ratings_of(db: Database) -> list[tuple[str, int | None, str, str, list[str]]]:
    with db.read() as session:
        return [(number, r.clerk_id, r.rating, r.channel, r.reasons) for r, number in session.execute(
            select(ServiceRating, DisputeCase.number).join(DisputeCase, DisputeCase.id == ServiceRating.case_id)
            .order_by(ServiceRating.id))]


def test_a_citizen_rates_the_registration_on_the_second_screen(
        desk: tuple[IntakeForm, CounterScreen, CitizenWindow], clerk: Actor, demo_sqlite_db: Database,
        qtbot: QtBot) -> None:
    form, _counter, window = desk
    assert window.isFullScreen() and window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.pages.currentWidget() is window.idle_page
    assert window.clerk_label.text() == f"为您服务的工作人员：{clerk.display_name}"
    assert window.badge.text() == clerk.display_name[:1]
    assert window.center_label.text()  # the center's name, read on the read lane
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The clerk starts typing: the screen shows the matter as it is typed.
    type_text(form.title, "邻里噪音")
    assert window.pages.currentWidget() is window.registering_page
    assert window.case_label.text() == "邻里噪音"
    form.title.clear()
    register(form, "楼上漏水纠纷")
    assert form.last_registered is not None
    number = form.last_registered.number
    assert window.pages.currentWidget() is window.rating_page
    assert window.done_label.text() == f"已登记：{number} 楼上漏水纠纷"
    assert [b.text() for b in window.level_buttons.values()] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    window.grab().save(str(SHOTS / "rating.png"))
    # 不满意 asks for the reasons; 提交 with none ticked is refused where the citizen looks.
    click(window.findChild(QWidget, "rate_unsatisfied"))  # type: ignore[arg-type]
    assert window.pages.currentWidget() is window.reasons_page
    click(window.submit_button)
    assert window.reason_error.isVisible() and window.reason_error.text() == "请至少选择一项不满意的原因。"
    assert ratings_of(demo_sqlite_db) == []
    click(window.findChild(QWidget, "reason_waiting"))  # type: ignore[arg-type]
    assert window.reason_error.text() == ""
    click(window.findChild(QWidget, "reason_explanation"))  # type: ignore[arg-type]
    window.grab().save(str(SHOTS / "reasons.png"))
    click(window.submit_button)
    assert ratings_of(demo_sqlite_db) == [(number, clerk.user_id, "unsatisfied", "screen",
                                           ["waiting", "explanation"])]
    assert window.pages.currentWidget() is window.thanks_page
    window.grab().save(str(SHOTS / "thanks.png"))
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.idle_page)

    # The next citizen: a good rating is one click.
    register(form, "物业费纠纷")
    second = form.last_registered.number
    click(window.level_buttons[next(iter(window.level_buttons))])
    assert ratings_of(demo_sqlite_db)[-1] == (second, clerk.user_id, "very_satisfied", "screen", [])
    # Back from the reasons page leads to the levels again.
    register(form, "宅基地纠纷")
    click(window.findChild(QWidget, "rate_very_unsatisfied"))  # type: ignore[arg-type]
    click(window.back_button)
    assert window.pages.currentWidget() is window.rating_page
    click(window.findChild(QWidget, "rate_fairly"))  # type: ignore[arg-type]
    assert [r[2] for r in ratings_of(demo_sqlite_db)] == ["unsatisfied", "very_satisfied", "fairly"]


def test_without_a_second_screen_the_clerk_records_a_paper_rating(
        runner: Runner, clerk: Actor, demo_sqlite_db: Database, qtbot: QtBot, chinese: None) -> None:
    form = IntakeForm(runner, clerk)
    qtbot.addWidget(form)
    form.resize(1300, 700)
    form.show()
    counter = CounterScreen(runner, clerk, form, screen=None)
    assert counter.window is None
    register(form, "相邻通行纠纷")
    assert form.last_registered is not None
    click(form.rate_button)
    dialog = form.rating_dialog
    assert dialog is not None and dialog.isVisible()
    assert [dialog.channel_combo.itemText(i) for i in range(dialog.channel_combo.count())] == ["纸质", "电话"]
    dialog.level_combo.setCurrentIndex(dialog.level_combo.findText("非常不满意"))
    click(dialog.save_button)
    assert dialog.isVisible() and "至少选择一项" in dialog.error_label.text()
    other = dialog.reason_boxes[next(r for r in dialog.reason_boxes if r.value == "other")]
    # On its box (a check box stretched by the grid takes clicks only on its box and text).
    QTest.mouseClick(other, Qt.MouseButton.LeftButton, pos=QPoint(8, other.height() // 2))
    assert other.isChecked()
    click(dialog.save_button)
    assert dialog.isVisible() and "补充说明" in dialog.error_label.text()
    type_text(dialog.comment_edit, "材料退回三次")
    dialog.channel_combo.setCurrentIndex(dialog.channel_combo.findText("电话"))
    click(dialog.save_button)
    assert not dialog.isVisible()
    assert ratings_of(demo_sqlite_db) == [(form.last_registered.number, clerk.user_id, "very_unsatisfied", "phone",
                                           ["other"])]


SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
from mediation_desk.ui.counter.citizen import CitizenWindow, place_on_screen, second_screen
app = QApplication([])
screen = second_screen(app.screens(), app.primaryScreen())
window = CitizenWindow("王晓丽", thanks_ms=0)
place_on_screen(window, screen)
app.processEvents()
print(app.primaryScreen().name(), screen.name(), window.windowHandle().screen().name(), window.isFullScreen(),
      window.geometry().getRect())
"""


def test_the_window_goes_full_screen_on_the_second_of_two_screens(tmp_path: Path) -> None:
    # Qt's offscreen platform takes a screens configuration (it orders them by name: the first is
    # the primary one, the clerk's).
    config = {"screens": [
        {"name": "0-desk", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "dpr": 1},
        {"name": "1-citizen", "x": 1366, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96, "dpr": 1},
    ]}
    path = tmp_path / "screens.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={path}"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0-desk", "1-citizen", "1-citizen", "True", "(1366,", "0,", "1280,", "800)"]


def test_the_head_dashboard_shows_the_counter_ratings(
        runner: Runner, clerk: Actor, demo_sqlite_db: Database, qtbot: QtBot, qapp: QApplication,
        chinese: None) -> None:
    # Two ratings of registrations in November: one good, one bad (registered by the demo clerk).
    with demo_sqlite_db.write() as session:
        type_id = next(t.id for t in reference.dispute_types(session) if t.name == "邻里")
        made = [cases.register_case(session, clerk, cases.CaseInput(
            title=title, dispute_type_id=type_id, received_at=datetime(2026, 11, 20, 9, 0),
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name="张三"),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name="李四")])) for title in ("甲", "乙")]
        ratings.record(session, clerk, made[0], "satisfied", channel="screen", at=datetime(2026, 11, 20, 9, 30))
        ratings.record(session, clerk, made[1], "very_unsatisfied", channel="paper", reasons=["attitude"],
                       at=datetime(2026, 11, 21, 9, 30))
    head = login_as(demo_sqlite_db, "head")
    i18n.register_fonts(qapp)
    panel = DashboardPanel(runner, head, today=date(2026, 11, 30))
    qtbot.addWidget(panel)
    panel.resize(1366, 768)
    panel.set_period(PeriodKind.MONTH, 0)
    panel.show()
    assert panel.ratings_label.text() == "窗口好差评：评价 2 件，满意及以上 50.0%，差评 1 件"
    assert f"{clerk.display_name}：2 / 50.0% / 1" in panel.ratings_label.toolTip()
    panel.set_period(PeriodKind.MONTH, 1)  # October
    qtbot.waitUntil(lambda: panel.ratings_label.text() == "窗口好差评：本期没有评价。")


def test_a_paper_rating_collected_later_is_entered_on_the_case_page(
        runner: Runner, clerk: Actor, demo_sqlite_db: Database, qtbot: QtBot, chinese: None) -> None:
    with demo_sqlite_db.write() as session:
        type_id = next(t.id for t in reference.dispute_types(session) if t.name == "邻里")
        case_id = cases.register_case(session, clerk, cases.CaseInput(
            title="排水沟纠纷", dispute_type_id=type_id, received_at=datetime(2026, 11, 20, 9, 0),
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name="张三"),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name="李四")]))
    view = CaseDetailView(runner, clerk, today=lambda: date(2026, 11, 30))
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    view.show_case(case_id)
    click(view.rate_button)
    dialog = view.rating_dialog
    assert dialog is not None and dialog.isVisible() and dialog.case_label.text() == view.number_label.text()
    dialog.level_combo.setCurrentIndex(dialog.level_combo.findText("满意"))
    click(dialog.save_button)
    assert not dialog.isVisible()
    assert ratings_of(demo_sqlite_db) == [(view.number_label.text(), clerk.user_id, "satisfied", "paper", [])]
    # The timeline says so; a second paper rating of the case is refused in the dialog, choices kept.
    qtbot.waitUntil(lambda: any("好差评（纸质）：满意" in view.timeline_model.text(e, view.timeline_model.COL_NOTE)
                                for e in view.timeline_model.rows))
    click(view.rate_button)
    again = view.rating_dialog
    assert again is not None and again is not dialog
    again.level_combo.setCurrentIndex(again.level_combo.findText("基本满意"))
    click(again.save_button)
    assert again.isVisible() and "不能重复评价" in again.error_label.text()
    assert again.level_combo.currentText() == "基本满意"
