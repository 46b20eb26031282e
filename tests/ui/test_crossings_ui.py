"""上报 / 交办 / 回退 on the case page and 上下级流转 on the desk, driven as a person would
(docs/crossings.md): the township head reports a case up with a reason and a material, answering
the question first; the county head assigns a case down with a deadline typed in working days; the
list shows its colour on both sides; the township returns it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import AttachmentKind, Center, ClockColour, DisputeCase
from mediation_desk.services import attachments, cases
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.crossings import CrossingRowsModel, CrossingsPanel, StepDialog
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.common.format import CLOCK_COLOURS

from ..conftest import login_as
from ..services.helpers import new_case_input
from .confirming import click_go, press_escape
from .conftest import Runner, check_model, type_text

pytestmark = pytest.mark.gui

TODAY = datetime(2026, 9, 25, 10, 0)


@pytest.fixture
def county_db(sqlite_db: Database) -> Database:
    with sqlite_db.write() as session:
        demo.seed(session, 4, today=TODAY, township_cases=2)
    return sqlite_db


@pytest.fixture
def runner(county_db: Database) -> Iterator[Runner]:
    task_runner = Runner(county_db)
    yield task_runner
    task_runner.shutdown(dispose=False)
    assert not task_runner.unhandled, [f.message for f in task_runner.unhandled]


def _center(db: Database, prefix: str) -> int:
    with db.read() as session:
        found = session.scalar(select(Center.id).where(Center.prefix == prefix))
    assert found is not None
    return found


def _handler(db: Database, case_id: int) -> int | None:
    with db.read() as session:
        case = session.get(DisputeCase, case_id)
        assert case is not None
        return case.handling_center_id


def _view(runner: Runner, actor: Actor, qtbot: QtBot, case_id: int, today: date) -> CaseDetailView:
    view = CaseDetailView(runner, actor, today=lambda: today)
    qtbot.addWidget(view)
    view.resize(1300, 760)
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.show_case(case_id)
    return view


def _open(view: CaseDetailView, qtbot: QtBot, step: str) -> StepDialog:
    button = view.crossings_box.buttons[next(k for k in view.crossings_box.buttons if k.value == step)]
    assert button.isVisible()
    view.scroll_area.ensureWidgetVisible(button)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = view.crossings_box.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _visible_steps(view: CaseDetailView) -> list[str]:
    return [k.value for k, b in view.crossings_box.buttons.items() if b.isVisible()]


def test_a_township_head_reports_a_case_up_and_the_county_returns_it(county_db: Database, runner: Runner,
                                                                    qtbot: QtBot) -> None:
    ljd_head, county_head = login_as(county_db, "ljd_head"), login_as(county_db, "head")
    with county_db.write() as session:
        case_id = cases.register_case(session, login_as(county_db, "ljd_clerk"),
                                      new_case_input(county_db, received_at=TODAY))
        attachments.add_document(session, ljd_head, case_id, kind=AttachmentKind.EVIDENCE, filename="现场照片.pdf",
                                 content=b"%PDF-1.4\n%%EOF\n")
    view = _view(runner, ljd_head, qtbot, case_id, TODAY.date())
    assert _visible_steps(view) == ["report_up"]

    dialog = _open(view, qtbot, "report_up")
    assert dialog.target_label.text() == "张掖市甘州区矛盾纠纷调处中心"
    # No reason: the service refuses, the dialog stays with the refusal.
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    click_go(dialog.confirm_box)
    assert dialog.isVisible() and dialog.error_label.text() == "请填写上报理由。"
    type_text(dialog.reason_edit, "涉及县直部门，本镇无法调处")
    dialog.materials_list.setFocus()
    dialog.materials_list.setCurrentRow(0)
    QTest.keyClick(dialog.materials_list, Qt.Key.Key_Space)
    assert dialog.materials_list.item(0).checkState() == Qt.CheckState.Checked
    # Esc on the question: nothing is sent, the typed reason stays.
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    press_escape(dialog.confirm_box)
    assert _handler(county_db, case_id) is None and dialog.reason_edit.toPlainText() == "涉及县直部门，本镇无法调处"
    with qtbot.waitSignal(view.loaded):
        QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        click_go(dialog.confirm_box)
    assert not dialog.isVisible()
    assert _handler(county_db, case_id) == _center(county_db, "甘矛调")
    # The township now only reads: no step to take, the step listed, the timeline says it.
    assert _visible_steps(view) == [] and view.crossings_box.model.rowCount() == 1
    assert view.detail is not None and not view.detail.actions
    assert any(e.note.startswith("上报：") and "附材料 1 份" in e.note for e in view.detail.events)

    county_view = _view(runner, county_head, qtbot, case_id, TODAY.date())
    assert "return" in _visible_steps(county_view) and county_view.detail is not None and county_view.detail.actions
    dialog = _open(county_view, qtbot, "return")
    assert "涉及县直部门" in dialog.target_label.text()
    type_text(dialog.reason_edit, "属本镇管辖，请继续调处")
    with qtbot.waitSignal(county_view.loaded):
        QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        click_go(dialog.confirm_box)
    assert _handler(county_db, case_id) is None
    assert _visible_steps(county_view) == []


def test_the_county_assigns_down_with_a_deadline_and_both_desks_show_its_colour(
        county_db: Database, runner: Runner, qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    county_head, ljd_head = login_as(county_db, "head"), login_as(county_db, "ljd_head")
    with county_db.write() as session:
        case_id = cases.register_case(session, login_as(county_db, "clerk"),
                                      new_case_input(county_db, received_at=TODAY))
    view = _view(runner, county_head, qtbot, case_id, date(2026, 9, 30))
    assert _visible_steps(view) == ["assign_down", "co_handle"]
    dialog = _open(view, qtbot, "assign_down")
    combo = dialog.target_combo
    combo.setFocus()
    target = combo.findText("甘州区梁家墩镇综治中心")
    while combo.currentIndex() != target:
        QTest.keyClick(combo, Qt.Key.Key_Down)
    dialog.days_spin.setFocus()
    dialog.days_spin.selectAll()
    QTest.keyClicks(dialog.days_spin, "3")
    type_text(dialog.reason_edit, "请于期限内调处并反馈")
    with qtbot.waitSignal(view.loaded):
        QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # 交办 asks nothing: it can be returned
    assert dialog.confirm_box is None and not dialog.isVisible()
    assert _handler(county_db, case_id) == _center(county_db, "甘州梁家墩调")
    row = view.crossings_box.model.rows[0]
    assert (row.crossing.due_on, row.colour) == (date(2026, 10, 10), ClockColour.GREEN)

    # On 8 October (two working days left) both desks show it yellow; after the 10th, red.
    for actor, incoming in ((ljd_head, True), (county_head, False)):
        panel = CrossingsPanel(runner, actor, today=lambda: date(2026, 10, 8))
        qtbot.addWidget(panel)
        check_model(qtmodeltester, panel.model)
        assert panel.model.rowCount() == 1
        shown = panel.model.rows[0]
        assert (shown.incoming, shown.colour, shown.days_left) == (incoming, ClockColour.YELLOW, 2)
        status = panel.model.index(0, CrossingRowsModel.COL_STATUS)
        assert panel.model.data(status) == "Due soon, 2 working days left"
        brush = panel.model.data(status, Qt.ItemDataRole.BackgroundRole)
        assert brush.color() == QColor(CLOCK_COLOURS[ClockColour.YELLOW])
        panel.set_today(lambda: date(2026, 10, 12))
        assert panel.model.rows[0].colour is ClockColour.RED
        assert "1 overdue" in panel.box.title()

    # The township opens it from its desk's list and returns it.
    township = _view(runner, ljd_head, qtbot, case_id, date(2026, 10, 8))
    assert _visible_steps(township) == ["return", "feedback"]
    dialog = _open(township, qtbot, "return")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    click_go(dialog.confirm_box)
    assert dialog.isVisible() and dialog.error_label.text() == "请填写回退理由。"
    type_text(dialog.reason_edit, "不属本镇管辖")
    with qtbot.waitSignal(township.loaded):
        QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        click_go(dialog.confirm_box)
    assert _handler(county_db, case_id) is None


def test_the_case_pages_steps_show_their_row_above_the_scroll_bar_in_half_a_small_window(
        county_db: Database, runner: Runner, qtbot: QtBot) -> None:
    """In the case page's half of a 1366-pixel window the steps' columns are wider than the table:
    its scroll bar covered the only row (超期 交办 张掖市… cut in half on the 1M demo)."""
    from mediation_desk.services import crossings

    county_head = login_as(county_db, "head")
    with county_db.write() as session:
        case_id = cases.register_case(session, login_as(county_db, "clerk"),
                                      new_case_input(county_db, received_at=TODAY))
        crossings.assign(session, county_head, case_id, working_days=3, reason="请于期限内调处并反馈",
                         to_center_id=_center(county_db, "甘州梁家墩调"), today=TODAY.date())
    view = CaseDetailView(runner, county_head, today=lambda: date(2026, 9, 30))
    qtbot.addWidget(view)
    view.resize(590, 700)  # the case page beside the list in a 1366×768 window
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.show_case(case_id)
    table = view.crossings_box.table
    qtbot.waitUntil(table.isVisible)
    assert view.crossings_box.model.rowCount() == 1
    assert table.horizontalScrollBar().isVisible()  # the case this test is about
    row = table.verticalHeader().defaultSectionSize()
    qtbot.waitUntil(lambda: table.viewport().height() >= row)
    # And without the scroll bar (a wide window) no room for it is kept.
    view.resize(1300, 700)
    qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible())
    qtbot.waitUntil(lambda: table.viewport().height() < row + table.horizontalScrollBar().sizeHint().height())
    assert table.viewport().height() >= row
