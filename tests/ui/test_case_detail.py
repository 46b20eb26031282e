"""The case detail and transitions done through the interface."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import CaseState
from mediation_desk.services import cases, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseFilter
from mediation_desk.ui.case_detail import CaseDetailView
from mediation_desk.ui.case_list_model import CaseListModel
from mediation_desk.ui.main_window import CaseSection

from ..conftest import login_as
from .conftest import Runner, check_model, register_case, rows_where, type_text

pytestmark = pytest.mark.gui


@pytest.fixture
def clerk(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "clerk")


@pytest.fixture
def section(runner: Runner, clerk: Actor, qtbot: QtBot) -> CaseSection:
    widget = CaseSection(runner, clerk, None, "casesSection")
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    return widget


def state_of(db: Database, actor: Actor, case_id: int) -> CaseState:
    with db.read() as session:
        return cases.case_detail(session, actor, case_id).state


def open_case(section: CaseSection, qtbot: QtBot, case_id: int) -> int:
    """Find the case's row in the list and activate it like a user (Enter on the row)."""
    model = section.list_view.model
    model.load_rows(0, model.total - 1)
    row = model.row_of(case_id)
    assert row is not None
    table = section.list_view.table
    table.setCurrentIndex(model.index(row, 0))
    table.setFocus()
    with qtbot.waitSignal(section.detail_view.loaded):
        QTest.keyClick(table, Qt.Key.Key_Return)
    return row


def click(qtbot: QtBot, detail: CaseDetailView, button: QWidget) -> None:
    """Scroll the button into view, as the user would, then click it (a click lands where the
    button is on screen, so one scrolled out of the page would miss)."""

    def in_view() -> bool:
        detail.scroll_area.ensureWidgetVisible(button)
        return not button.visibleRegion().isEmpty()

    qtbot.waitUntil(in_view)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_accept_through_the_ui(section: CaseSection, runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                               qtbot: QtBot) -> None:
    case_id = register_case(demo_sqlite_db, clerk)
    section.list_view.model.refresh()
    row = open_case(section, qtbot, case_id)
    detail = section.detail_view
    model = section.list_view.model
    assert model.data(model.index(row, CaseListModel.COL_STATE)) == "Registered"
    # Exactly the transitions the workflow allows a clerk on a registered case.
    assert list(detail.action_buttons) == ["accept", "reject"]
    events_before = detail.timeline_model.rowCount()
    assert events_before == 1

    click(qtbot, detail, detail.action_buttons["accept"])

    assert state_of(demo_sqlite_db, clerk, case_id) is CaseState.ACCEPTED
    assert detail.detail is not None and detail.detail.state is CaseState.ACCEPTED
    assert detail.timeline_model.rowCount() == events_before + 1
    assert list(detail.action_buttons) == ["divert", "assign"]
    assert detail.note_error.isHidden()
    assert model.data(model.index(model.row_of(case_id) or 0, CaseListModel.COL_STATE)) == "Accepted"
    assert section.list_view.selected_case_id() == case_id


def test_required_note_shows_inline_error(section: CaseSection, clerk: Actor, demo_sqlite_db: Database,
                                          qtbot: QtBot) -> None:
    case_id = register_case(demo_sqlite_db, clerk)
    section.list_view.model.refresh()
    open_case(section, qtbot, case_id)
    detail = section.detail_view

    click(qtbot, detail, detail.action_buttons["reject"])

    assert detail.note_error.isVisible()
    assert detail.note_error.text() == "请填写不予受理的理由。"
    assert state_of(demo_sqlite_db, clerk, case_id) is CaseState.REGISTERED
    assert detail.timeline_model.rowCount() == 1

    type_text(detail.note_edit, "不属于人民调解受理范围")
    click(qtbot, detail, detail.action_buttons["reject"])
    assert state_of(demo_sqlite_db, clerk, case_id) is CaseState.REJECTED
    assert detail.note_error.isHidden()
    assert detail.note_edit.toPlainText() == ""
    assert detail.timeline_model.data(detail.timeline_model.index(1, 4)) == "不属于人民调解受理范围"


def test_conflict_reloads_and_keeps_the_note(section: CaseSection, clerk: Actor, demo_sqlite_db: Database,
                                             qtbot: QtBot) -> None:
    case_id = register_case(demo_sqlite_db, clerk)
    section.list_view.model.refresh()
    open_case(section, qtbot, case_id)
    detail = section.detail_view
    # Another desk accepts the case meanwhile.
    with demo_sqlite_db.write() as session:
        workflow.transition(session, login_as(demo_sqlite_db, "head"), case_id, workflow.Action.ACCEPT)
    type_text(detail.note_edit, "材料齐全")

    with qtbot.waitSignal(detail.loaded):
        click(qtbot, detail, detail.action_buttons["accept"])

    assert "已被他人修改" in detail.note_error.text() and detail.note_error.isVisible()
    assert detail.note_edit.toPlainText() == "材料齐全"
    assert detail.detail is not None and detail.detail.state is CaseState.ACCEPTED
    assert "accept" not in detail.action_buttons


def test_assign_picks_a_team(section: CaseSection, clerk: Actor, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    case_id = register_case(demo_sqlite_db, clerk)
    with demo_sqlite_db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
    section.list_view.model.refresh()
    open_case(section, qtbot, case_id)
    detail = section.detail_view

    click(qtbot, detail, detail.action_buttons["assign"])
    assert detail.assign_panel.isVisible()
    assert state_of(demo_sqlite_db, clerk, case_id) is CaseState.ACCEPTED
    click(qtbot, detail, detail.assign_confirm)
    assert detail.assign_error.text() == "Choose the team the case goes to."

    detail.team_combo.setCurrentIndex(detail.team_combo.findText("城建物业调解团队"))
    detail.lead_combo.setCurrentIndex(2)
    lead = detail.lead_combo.currentText()
    click(qtbot, detail, detail.assign_confirm)

    assert detail.detail is not None
    assert (detail.detail.state, detail.detail.team, detail.detail.lead_mediator) == (
        CaseState.ASSIGNED, "城建物业调解团队", lead)
    assert detail.assign_panel.isHidden()
    assert detail.timeline_model.data(detail.timeline_model.index(2, 4)) == "分派至城建物业调解团队"


def test_head_reviews_a_closure(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    review = rows_where(demo_sqlite_db, head, CaseFilter(states=frozenset({CaseState.CLOSURE_REVIEW})))[0]
    view = CaseDetailView(runner, head)
    qtbot.addWidget(view)
    view.resize(600, 700)
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.show_case(review.id)
    assert list(view.action_buttons) == ["approve_closure", "send_back"]
    click(qtbot, view, view.action_buttons["approve_closure"])
    assert view.detail is not None and view.detail.state is CaseState.CLOSED
    assert list(view.action_buttons) == ["reopen"]  # a closed case: only the head may reopen it


def test_detail_models_pass_the_model_tester(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                             qtmodeltester: ModelTester) -> None:
    head = login_as(demo_sqlite_db, "head")
    case = rows_where(demo_sqlite_db, head, CaseFilter())[5]
    view = CaseDetailView(runner, head)
    qtbot.addWidget(view)
    check_model(qtmodeltester, view.parties_model)
    check_model(qtmodeltester, view.timeline_model)
    view.show_case(case.id)
    assert view.parties_model.rowCount() >= 2
    assert view.timeline_model.rowCount() >= 1
    check_model(qtmodeltester, view.parties_model)
    check_model(qtmodeltester, view.timeline_model)
    assert view.number_label.text() == case.number
