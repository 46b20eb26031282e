"""The 回访 tab and the visits-due panel: plans and visits shown, a visit recorded through the
form, and a visit finding 未履行 reopening the case through the head's "重新调解"."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from mediation_desk.db import Database
from mediation_desk.models import CaseState, Performance, PlannedVisit, Satisfaction, VisitMethod
from mediation_desk.services import cases, dossier, visits
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.tabs.visits import VisitsTab
from mediation_desk.ui.common.conflict_dialog import ConflictDialog
from mediation_desk.ui.desk.visits_due import DueVisitsModel, VisitsDuePanel

from ..conftest import login_as
from ..documents.conftest import pdf_text
from ..services.settled import Settled, close, settle, settled_case
from .conftest import Runner, check_model, type_text

pytestmark = pytest.mark.gui


def closed_case(db: Database, *, plan: bool = True) -> Settled:
    clerk, head, mediator = (login_as(db, name) for name in ("clerk", "head", "mediator"))
    s = settle(db, clerk, head, mediator, min(mediator.team_ids))
    close(s)
    if plan:
        with db.write() as session:
            visits.plan_after_closure(session, s.case_id)
    return s


def make_tab(runner: Runner, actor: Actor, qtbot: QtBot, case_id: int) -> VisitsTab:
    tab = VisitsTab(runner, actor)
    qtbot.addWidget(tab)
    tab.resize(1300, 760)
    tab.show()
    with qtbot.waitSignal(tab.loaded):
        tab.show_case(case_id)
    return tab


def choose(combo: object, member: object) -> None:
    index = combo.findData(str(member))  # type: ignore[attr-defined]
    assert index > 0
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_plans_and_models(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    s = closed_case(demo_sqlite_db)
    tab = make_tab(runner, s.mediator, qtbot, s.case_id)
    check_model(qtmodeltester, tab.plans_model)
    check_model(qtmodeltester, tab.visits_model)
    assert tab.plans_model.rowCount() == 3 and tab.visits_model.rowCount() == 0
    reasons = [tab.plans_model.data(tab.plans_model.index(r, 1)) for r in range(3)]
    assert "结案后首次回访" in reasons
    assert tab.form_box.isVisible() and tab.reopen_button.isHidden()  # a mediator does not reopen
    assert tab.parties_edit.text() == "张三、李四" and tab.visitor_edit.text() == s.mediator.display_name


def test_record_a_visit_through_the_form(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    s = closed_case(demo_sqlite_db)
    tab = make_tab(runner, s.mediator, qtbot, s.case_id)
    QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert tab.form_error.isVisible() and "回访方式" in tab.form_error.text()
    assert tab.focusWidget() is tab.method_combo
    choose(tab.method_combo, VisitMethod.PHONE)
    choose(tab.performance_combo, Performance.PERFORMED)
    choose(tab.satisfaction_combo, Satisfaction.SATISFIED)
    type_text(tab.notes_edit, "已按约恢复通行")
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert tab.visits_model.rowCount() == 1
    assert tab.visits_model.data(tab.visits_model.index(0, 1)) == "Phone return visit"
    assert tab.notes_edit.toPlainText() == "" and tab.method_combo.currentIndex() == 0
    done = [tab.plans_model.data(tab.plans_model.index(r, 2)) for r in range(3)]
    assert sum(1 for d in done if d.startswith("Visited")) == 1
    assert tab.trouble_label.isHidden()


def test_a_later_lawsuit_and_hidden_risks_are_recorded_and_printed(runner: Runner, demo_sqlite_db: Database,
                                                                   qtbot: QtBot) -> None:
    s = closed_case(demo_sqlite_db)
    tab = make_tab(runner, s.mediator, qtbot, s.case_id)
    choose(tab.method_combo, VisitMethod.VISIT)
    choose(tab.performance_combo, Performance.PERFORMED)
    choose(tab.satisfaction_combo, Satisfaction.SATISFIED)
    type_text(tab.lawsuit_result_edit, "判决驳回诉讼请求")
    QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tab.form_error.isVisible)
    assert "诉讼结果" in tab.form_error.text() and tab.focusWidget() is tab.lawsuit_edit
    assert tab.lawsuit_result_edit.text() == "判决驳回诉讼请求"  # nothing typed is lost
    type_text(tab.lawsuit_edit, "李四向甘州区人民法院起诉要求返还款项")
    type_text(tab.risks_edit, "双方院墙仍有争议")
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert tab.lawsuit_edit.text() == "" and tab.risks_edit.text() == ""
    with demo_sqlite_db.read() as session:
        [visit] = visits.visits_page(session, s.mediator, s.case_id).visits
        assert (visit.lawsuit, visit.lawsuit_result, visit.hidden_risks) == (
            "李四向甘州区人民法院起诉要求返还款项", "判决驳回诉讼请求", "双方院墙仍有争议")
        text = "".join(pdf_text(dossier.render_document(session, s.head, s.case_id, "return-visit")).split())
    for line in ("回访方式：上门走访", "后续诉讼情况：李四向甘州区人民法院起诉要求返还款项",
                 "诉讼结果：判决驳回诉讼请求", "矛盾隐患：双方院墙仍有争议", "协议履行情况：已履行", "回访人（签名）"):
        assert line in text, line


def test_a_visit_finding_the_agreement_unkept_reopens_the_case(runner: Runner, demo_sqlite_db: Database,
                                                                qtbot: QtBot) -> None:
    s = closed_case(demo_sqlite_db)
    tab = make_tab(runner, s.head, qtbot, s.case_id)
    choose(tab.method_combo, VisitMethod.VISIT)
    choose(tab.performance_combo, Performance.NOT_PERFORMED)
    choose(tab.satisfaction_combo, Satisfaction.UNSATISFIED)
    QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert "写明具体情况" in tab.form_error.text() and tab.focusWidget() is tab.notes_edit
    # Nothing typed is lost on a refusal.
    assert tab.performance_combo.currentData() == str(Performance.NOT_PERFORMED)
    type_text(tab.notes_edit, "被申请人至今未拆除堆放物")
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    # The new visit is selected and, since it shows trouble, the head is offered 重新调解.
    visit = tab.selected_visit()
    assert visit is not None and visit.performance is Performance.NOT_PERFORMED
    assert tab.trouble_label.isVisible() and "Not performed" in tab.trouble_label.text()
    red = tab.visits_model.data(tab.visits_model.index(0, 4), Qt.ItemDataRole.ForegroundRole)
    assert red.color() == QColor("#c62828")
    assert tab.reopen_button.isVisible() and tab.reopen_button.isEnabled()

    QTest.mouseClick(tab.reopen_button, Qt.MouseButton.LeftButton)
    assert tab.reopen_panel.isVisible()
    QTest.mouseClick(tab.reopen_confirm, Qt.MouseButton.LeftButton)
    assert "重新调解的原因" in tab.reopen_error.text()
    type_text(tab.reopen_reason_edit, "协议未履行，组织双方重新调解")
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.reopen_confirm, Qt.MouseButton.LeftButton)

    with demo_sqlite_db.read() as session:
        detail = cases.case_detail(session, s.head, s.case_id)
    assert detail.state is CaseState.IN_MEDIATION
    assert detail.events[-1].note.startswith("协议未履行，组织双方重新调解（依据")
    assert f"回访编号 {visit.id}" in detail.events[-1].note
    assert tab.page is not None and tab.page.state is CaseState.IN_MEDIATION
    assert tab.form_box.isHidden() and tab.reopen_panel.isHidden()
    assert tab.visits_model.data(tab.visits_model.index(0, 6)).startswith("[Reopened]")
    assert not tab.reopen_button.isVisible()


def test_a_visit_with_nothing_wrong_offers_no_reopening(runner: Runner, demo_sqlite_db: Database,
                                                        qtbot: QtBot) -> None:
    s = closed_case(demo_sqlite_db)
    with demo_sqlite_db.write() as session:
        fine = visits.record_visit(session, s.head, s.case_id, visits.VisitInput(
            date.today(), "陈志强", "张三", VisitMethod.PHONE, Performance.PERFORMED, Satisfaction.FAIRLY))
    tab = make_tab(runner, s.head, qtbot, s.case_id)
    assert tab.select_visit(fine.id)
    assert tab.reopen_button.isVisible() and not tab.reopen_button.isEnabled()
    assert tab.trouble_label.isHidden()


def test_visits_due_panel(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                          qtmodeltester: ModelTester) -> None:
    s = closed_case(demo_sqlite_db)
    late = s.term_dues[0] + timedelta(days=visits.TERM_GRACE_DAYS + 5)
    panel = VisitsDuePanel(runner, s.head, today=lambda: late)
    qtbot.addWidget(panel)
    panel.resize(1300, 400)
    panel.show()
    model = panel.model
    check_model(qtmodeltester, model)
    rows = model.rows
    assert rows and [r.due_on for r in rows] == sorted(r.due_on for r in rows)
    ours = next(i for i, r in enumerate(rows) if r.case_id == s.case_id)
    assert model.data(model.index(ours, DueVisitsModel.COL_STATUS)) == "Overdue by 5 days"
    colour = model.data(model.index(ours, DueVisitsModel.COL_DUE), Qt.ItemDataRole.ForegroundRole)
    assert colour.color() == QColor("#c62828")
    assert "overdue" in panel.box.title()
    with qtbot.waitSignal(panel.open_case) as opened:
        panel.table.doubleClicked.emit(model.index(ours, DueVisitsModel.COL_NUMBER))
    assert opened.args == [s.case_id]
    # A mediator of another team would not see it; the demo mediator's own list has it.
    mediator_panel = VisitsDuePanel(runner, s.mediator, today=lambda: late)
    qtbot.addWidget(mediator_panel)
    assert any(r.case_id == s.case_id for r in mediator_panel.model.rows)
    # Recording the visit takes it off the list (the panel refreshes on the change).
    with demo_sqlite_db.write() as session:
        plan = next(p for p in visits.plans_of(session, s.case_id) if p.term_id is not None)
    tab = make_tab(runner, s.head, qtbot, s.case_id)
    choose(tab.method_combo, VisitMethod.PHONE)
    choose(tab.performance_combo, Performance.PERFORMED)
    choose(tab.satisfaction_combo, Satisfaction.SATISFIED)
    tab.plan_combo.setCurrentIndex(tab.plan_combo.findData(plan.id))
    with qtbot.waitSignal(panel.loaded):
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert plan.id not in {r.plan_id for r in panel.model.rows}


def test_a_visit_recorded_by_another_desk_meanwhile_raises_the_conflict_dialog(
        sqlite_db: Database, qtbot: QtBot, chinese: None, app_fonts: str | None) -> None:
    """Desk A opens the tab with no visit yet; desk B records the call; A fills in the same call and
    records it: refused (A saw no visit), the dialog shows B's visit next to A's with A's notes, the
    form keeps them; A decides it was the same call and reloads: one visit, B's."""
    s = settled_case(sqlite_db)
    close(s)
    with sqlite_db.write() as session:
        visits.plan_after_closure(session, s.case_id)
    desk_a = Runner(Database(sqlite_db.url))
    try:
        tab = make_tab(desk_a, s.mediator, qtbot, s.case_id)
        assert tab.visits_model.rowCount() == 0
        with sqlite_db.write() as session:  # desk B, through its own connection
            visits.record_visit(session, s.head, s.case_id, visits.VisitInput(
                date.today(), "head", "张三", VisitMethod.PHONE, Performance.PERFORMED, Satisfaction.SATISFIED,
                "B: passage cleared"), expected_visits=0)
        choose(tab.method_combo, VisitMethod.PHONE)
        choose(tab.performance_combo, Performance.PERFORMED)
        choose(tab.satisfaction_combo, Satisfaction.FAIRLY)
        QTest.keyClicks(tab.notes_edit, "A: passage cleared, fence still there")
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
        assert tab.form_error.isVisible() and "其间已由他人登记了回访" in tab.form_error.text()
        dialog = tab.conflict_dialog
        assert dialog is not None and dialog.who == "head" and dialog.at is not None
        shown = dialog.table.toPlainText()
        assert "B: passage cleared" in shown and "A: passage cleared, fence still there" in shown
        intro = dialog.findChild(QLabel, "conflictIntro")
        assert intro is not None and "本案的回访记录" in intro.text()  # in Chinese
        if os.environ.get("MEDIATION_DESK_SHOTS"):
            dialog.grab().save(str(Path(os.environ["MEDIATION_DESK_SHOTS"]) / "visit_conflict_dialog.png"))
        dialog.choose(-1)  # keep editing: nothing typed is lost
        assert tab.notes_edit.toPlainText() == "A: passage cleared, fence still there"
        with sqlite_db.read() as session:
            assert len(visits.visits_page(session, s.head, s.case_id).visits) == 1

        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)  # the dialog again
        dialog = tab.conflict_dialog
        assert dialog is not None
        with qtbot.waitSignal(tab.loaded):
            dialog.choose(ConflictDialog.RELOAD)  # the same call: mine is not recorded
        assert tab.notes_edit.toPlainText() == "" and tab.visits_model.rowCount() == 1
        with sqlite_db.read() as session:
            [only] = visits.visits_page(session, s.head, s.case_id).visits
        assert only.notes == "B: passage cleared"
    finally:
        desk_a.shutdown()
        assert not desk_a.unhandled, [f.message for f in desk_a.unhandled]


def test_a_second_visit_is_recorded_as_well_when_it_was_another_one(sqlite_db: Database, qtbot: QtBot) -> None:
    s = settled_case(sqlite_db)
    close(s)
    with sqlite_db.write() as session:
        visits.plan_after_closure(session, s.case_id)
    desk_a = Runner(Database(sqlite_db.url))
    try:
        tab = make_tab(desk_a, s.mediator, qtbot, s.case_id)
        with sqlite_db.write() as session:
            visits.record_visit(session, s.head, s.case_id, visits.VisitInput(
                date.today(), "head", "李四", VisitMethod.VISIT, Performance.PERFORMED, Satisfaction.SATISFIED))
        choose(tab.method_combo, VisitMethod.PHONE)
        choose(tab.performance_combo, Performance.PERFORMED)
        choose(tab.satisfaction_combo, Satisfaction.SATISFIED)
        QTest.keyClicks(tab.notes_edit, "A: called the applicant")
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
        dialog = tab.conflict_dialog
        assert dialog is not None
        with qtbot.waitSignal(tab.changed):
            dialog.choose(ConflictDialog.REAPPLY)
        with sqlite_db.read() as session:
            made = visits.visits_page(session, s.head, s.case_id).visits
        assert sorted(v.notes for v in made) == ["", "A: called the applicant"]
    finally:
        desk_a.shutdown()
        assert not desk_a.unhandled, [f.message for f in desk_a.unhandled]


def test_a_first_visit_past_its_day_says_overdue(chinese: None, runner: Runner, demo_sqlite_db: Database,
                                                 qtbot: QtBot) -> None:
    """A closed case with no visit made nor planned: its first visit's day is shown, and once that
    day has passed the tab says it is overdue (it showed the date alone, for the head to compare)."""
    s = closed_case(demo_sqlite_db, plan=False)
    with demo_sqlite_db.write() as session:  # the case's plans, of its agreement's terms, set aside
        session.execute(delete(PlannedVisit).where(PlannedVisit.case_id == s.case_id))
    with demo_sqlite_db.read() as session:
        page = visits.visits_page(session, s.mediator, s.case_id)
    assert page.clock_due_on is not None and not page.plans
    due = page.clock_due_on
    for today, overdue in ((due - timedelta(days=1), False), (due, False), (due + timedelta(days=1), True)):
        tab = VisitsTab(runner, s.mediator, today=lambda today=today: today)  # type: ignore[misc]
        qtbot.addWidget(tab)
        with qtbot.waitSignal(tab.loaded):
            tab.show_case(s.case_id)
        text = tab.summary_label.text()
        assert f"首次回访应在{due.isoformat()}前完成" in text
        assert ("已超期" in text) is overdue, (today, text)
