"""The case detail and transitions done through the interface."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import CaseState, ClockColour, ClockStage
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import assignment, cases, clocks, dossier, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import PermissionDenied
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.common.format import CLOCK_COLOURS
from mediation_desk.ui.common.i18n import enum_text
from mediation_desk.ui.common.unsaved import UnsavedEditor
from mediation_desk.ui.shell.main_window import CaseSection

from ..conftest import login_as
from .confirming import click_go, press_escape
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


def test_assign_opens_on_the_suggestion(section: CaseSection, clerk: Actor, demo_sqlite_db: Database,
                                        qtbot: QtBot) -> None:
    case_id = register_case(demo_sqlite_db, clerk)
    with demo_sqlite_db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        suggestion = assignment.suggest(session, case_id)
    section.list_view.model.refresh()
    open_case(section, qtbot, case_id)
    detail = section.detail_view

    click(qtbot, detail, detail.action_buttons["assign"])
    panel = detail.assign_panel
    assert panel.isVisible()
    assert state_of(demo_sqlite_db, clerk, case_id) is CaseState.ACCEPTED
    # The suggested team (it handles 邻里 and has the fewest open cases) and its lead come chosen.
    assert suggestion.team is not None and suggestion.lead is not None
    assert panel.team_combo.currentData() == suggestion.team.team_id
    assert panel.team_combo.currentText().startswith(suggestion.team.name)
    assert panel.lead_combo.currentData() == suggestion.lead.mediator_id
    assert suggestion.team.name in panel.suggestion_label.text()
    # Another team: its own members are offered as lead.
    other = next(t for t in suggestion.teams if t.team_id != suggestion.team.team_id)
    panel.team_combo.setCurrentIndex(panel.team_combo.findData(other.team_id))
    with demo_sqlite_db.read() as session:
        members = assignment.lead_options(session, other.team_id)
    assert [panel.lead_combo.itemData(i) for i in range(panel.lead_combo.count())] == [m.mediator_id for m in members]
    panel.lead_combo.setCurrentIndex(1)
    lead = members[1].name

    click(qtbot, detail, panel.confirm_button)

    assert detail.detail is not None
    assert (detail.detail.state, detail.detail.team, detail.detail.lead_mediator) == (
        CaseState.ASSIGNED, other.name, lead)
    assert panel.isHidden()
    assert detail.timeline_model.data(detail.timeline_model.index(2, 4)) == f"分派至{other.name}"


def open_view(runner: Runner, actor: Actor, qtbot: QtBot, case_id: int,
              today: object = None) -> CaseDetailView:
    view = CaseDetailView(runner, actor, today=today)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(700, 760)
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.show_case(case_id)
    return view


def colour_of(view: CaseDetailView) -> ClockColour | None:
    state = view.clock_line.state
    return state.colour if state is not None else None


def test_clock_line_turns_yellow_then_red(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                          qtbot: QtBot) -> None:
    case_id = register_case(demo_sqlite_db, clerk)  # left untouched at the counter
    with demo_sqlite_db.read() as session:
        clock = clocks.case_clock(session, case_id)
    assert clock is not None and clock.stage is ClockStage.ACCEPTANCE
    today = [clock.started_on]
    view = open_view(runner, login_as(demo_sqlite_db, "head"), qtbot, case_id, today=lambda: today[0])
    line = view.clock_line
    assert colour_of(view) is ClockColour.GREEN
    assert "On time" in line.clock_label.text() and enum_text(ClockStage.ACCEPTANCE) in line.clock_label.text()

    today[0] = clock.warn_on
    view.reload()
    assert colour_of(view) is ClockColour.YELLOW
    assert "Due soon" in line.clock_label.text()
    assert CLOCK_COLOURS[ClockColour.YELLOW] in line.clock_label.text()

    today[0] = clock.due_on + timedelta(days=3)
    view.reload()
    assert colour_of(view) is ClockColour.RED
    assert line.state is not None and line.state.remaining < 0
    assert "Overdue" in line.clock_label.text() and "overdue" in line.clock_label.text()
    assert CLOCK_COLOURS[ClockColour.RED] in line.clock_label.text()


def test_extension_needs_a_reason(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    case = next(r for r in rows_where(demo_sqlite_db, head, CaseFilter(states=frozenset({CaseState.IN_MEDIATION})))
                if r.clock_stage is ClockStage.MEDIATION)
    view = open_view(runner, head, qtbot, case.id)
    line = view.clock_line
    assert line.state is not None
    due_before = line.state.due_on
    assert line.extend_button.isVisible()

    click(qtbot, view, line.extend_button)
    assert line.extend_panel.isVisible()
    line.days_spin.setValue(10)
    click(qtbot, view, line.extend_confirm)  # no reason
    assert line.extend_error.isVisible() and line.extend_error.text() == "请填写延期理由。"
    assert line.state.due_on == due_before

    type_text(line.reason_edit, "当事人外出务工，需待其返乡后再组织调解")
    with qtbot.waitSignal(view.loaded):
        click(qtbot, view, line.extend_confirm)
    assert line.extend_panel.isHidden() and line.extend_error.isHidden()
    assert line.state is not None and line.state.extended_days == 10
    assert line.state.due_on == due_before + timedelta(days=10)  # the mediation limit counts calendar days
    assert "extended by 10 days" in line.clock_label.text()


def test_extension_only_for_the_head_and_the_team(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    mediator = login_as(demo_sqlite_db, "mediator")
    in_mediation = CaseFilter(states=frozenset({CaseState.IN_MEDIATION}))
    own = rows_where(demo_sqlite_db, head, replace(in_mediation, team_ids=mediator.team_ids))[0]
    other = next(r for r in rows_where(demo_sqlite_db, head, in_mediation) if r.team != own.team)
    assert open_view(runner, mediator, qtbot, own.id).clock_line.extend_button.isVisible()
    # Another team's case does not even open for the mediator (docs/permissions.md).
    with demo_sqlite_db.read() as session, pytest.raises(PermissionDenied, match="不属于您所在的调解团队"):
        cases.case_detail(session, mediator, other.id)
    assert open_view(runner, head, qtbot, other.id).clock_line.extend_button.isVisible()
    assert open_view(runner, login_as(demo_sqlite_db, "clerk"), qtbot, own.id).clock_line.extend_button.isHidden()


def test_head_supervises_and_the_team_answers_on_the_case(runner: Runner, demo_sqlite_db: Database,
                                                          qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    mediator = login_as(demo_sqlite_db, "mediator")
    case = rows_where(demo_sqlite_db, head, CaseFilter(states=frozenset({CaseState.IN_MEDIATION}),
                                                       team_ids=mediator.team_ids))[0]
    view = open_view(runner, head, qtbot, case.id)
    box = view.supervision_box
    assert box.isVisible() and box.supervise_button.isVisible() and not box.items
    events = view.timeline_model.rowCount()

    click(qtbot, view, box.supervise_button)
    click(qtbot, view, box.issue_confirm)
    assert box.issue_error.text() == "请填写督办意见。"
    type_text(box.instruction_edit, "本周内组织双方调解并报告结果")
    with qtbot.waitSignal(view.loaded):
        click(qtbot, view, box.issue_confirm)
    assert list(box.items) and box.issue_panel.isHidden()
    item = next(iter(box.items.values()))
    assert "本周内组织双方调解并报告结果" in item.text_label.text()
    assert item.answer_edit.isHidden()  # the head issues orders; the team answers them
    assert view.timeline_model.rowCount() == events + 1

    team_view = open_view(runner, mediator, qtbot, case.id)
    team_box = team_view.supervision_box
    assert team_box.supervise_button.isHidden()
    team_item = next(iter(team_box.items.values()))
    assert team_item.answer_button.isVisible()
    type_text(team_item.answer_edit, "已于周三组织调解，双方达成初步意向")
    with qtbot.waitSignal(team_view.loaded):
        click(qtbot, team_view, team_item.answer_button)
    answered = next(iter(team_box.items.values()))
    assert answered.answer_edit.isHidden()
    assert "已于周三组织调解" in answered.status_label.text()


def test_head_reviews_a_closure(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    in_review = rows_where(demo_sqlite_db, head, CaseFilter(states=frozenset({CaseState.CLOSURE_REVIEW})))
    with demo_sqlite_db.read() as session:  # a complete file: the closure gate lets it through
        review = next(r for r in in_review if not dossier.completeness(session, r.id))
    view = CaseDetailView(runner, head)
    qtbot.addWidget(view)
    view.resize(600, 700)
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.show_case(review.id)
    assert list(view.action_buttons) == ["approve_closure", "send_back"]
    click(qtbot, view, view.action_buttons["approve_closure"])
    # Closure cannot be taken back: it asks, naming the case; Esc (and Enter) leave it in review.
    assert view.confirm_box is not None
    assert view.confirm_box.text() == f"Once approved, case {review.number} is closed; this cannot be withdrawn."
    press_escape(view.confirm_box)
    assert list(view.action_buttons) == ["approve_closure", "send_back"]
    assert state_of(demo_sqlite_db, head, review.id) is CaseState.CLOSURE_REVIEW
    click(qtbot, view, view.action_buttons["approve_closure"])
    QTest.keyClick(view.confirm_box, Qt.Key.Key_Return)  # the default is 取消
    assert state_of(demo_sqlite_db, head, review.id) is CaseState.CLOSURE_REVIEW
    click(qtbot, view, view.action_buttons["approve_closure"])
    click_go(view.confirm_box)
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.state is CaseState.CLOSED)
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


def test_the_work_tabs_are_made_when_first_shown_each_on_the_open_case(
        section: CaseSection, clerk: Actor, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    # Opening a case shows its overview: the eight work tabs (records, agreement, transfer …)
    # are made when a tab is first clicked, not all with the page (~200 ms on the GUI thread).
    first, second = rows_where(demo_sqlite_db, clerk, CaseFilter())[:2]
    open_case(section, qtbot, first.id)
    detail = section.detail_view
    assert dict(detail.work_tabs) == {}
    assert all(page.widget() is None for page in detail.work_pages.values())
    bar = detail.tabs.tabBar()
    made = []
    for key, page in detail.work_pages.items():
        index = detail.tabs.indexOf(page)
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
        assert detail.tabs.currentIndex() == index
        made.append(key)
        widget = page.widget()
        assert widget is not None and widget.objectName() == f"{key}Tab"
        assert widget is cast(QWidget, detail.work_tabs[key])
        assert list(detail.work_tabs) == made  # this one, once; no other
        assert detail._tab_case[key] == first.id  # shown on the open case
    # Another case: the tab shown follows it, the others when they are shown again (as before).
    detail.show_tab("records")
    open_case(section, qtbot, second.id)
    detail.show_tab("records")
    assert detail._tab_case["records"] == second.id and detail._tab_case["agreement"] == first.id
    detail.show_tab("agreement")
    assert detail._tab_case["agreement"] == second.id
    assert len(detail.unsaved_editors()) == 1 + sum(
        isinstance(tab, UnsavedEditor) for tab in detail.work_tabs.values())
