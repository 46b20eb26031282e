"""Every date field of the application takes what a clerk types: ``2026-12-31``, ``2026/12/31``,
``20261231`` and ``2026年12月31日`` are typed key by key into each field (Chinese through an
input-method commit) and the day stored in the database — or the filter applied — is checked. A
value that cannot be read is shown under its field and nothing is stored in its place.

Where a service refuses days after the real today (a visit, a record, a signing date), the day
typed is counted from ``date.today()`` as the existing tests of those tabs do; the other fields
take 31 December 2026 itself."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import (
    CaseState,
    ConfirmationResult,
    Performance,
    Satisfaction,
    SupervisionOrder,
    TransferStatus,
    VisitMethod,
)
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.readmodels.publicity import Month
from mediation_desk.services import agreements, calendar, confirmation, publicity, records, visits
from mediation_desk.ui.admin.audit import AuditViewer
from mediation_desk.ui.admin.calendar import CalendarPanel
from mediation_desk.ui.cases.list_view import CaseListView
from mediation_desk.ui.cases.oversight import SupervisionBox
from mediation_desk.ui.cases.tabs.agreement import AgreementTab, SigningDateDialog, TermsModel
from mediation_desk.ui.cases.tabs.confirmation import ConfirmationTab
from mediation_desk.ui.cases.tabs.records import RecordsTab
from mediation_desk.ui.cases.tabs.transfer import TransferTab
from mediation_desk.ui.cases.tabs.visits import VisitsTab
from mediation_desk.ui.common.date_field import DateField, FieldKind
from mediation_desk.ui.desk.dashboard import DashboardPanel, PeriodKind
from mediation_desk.ui.desk.publicity import PublicityPanel

from ..conftest import login_as
from ..documents.casefile import ON_STORY_DAY
from ..exchange.casebuild import REASON, in_mediation
from ..services.settled import close, settle
from .confirming import click_go
from .conftest import Runner, rows_where, type_text
from .date_typing import DAY, FORMS, spelled, type_into

pytestmark = pytest.mark.gui

WRONG = ("2026-02-30", "2026-13-01", "26-12-31", "31/12/2026", "2026-12-31x")


def show(widget: QWidget, qtbot: QtBot) -> None:
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()


# --------------------------------------------------------------------------- the field itself


@pytest.mark.parametrize("form", FORMS)
def test_the_field_reads_each_form_typed_key_by_key(form: str, qtbot: QtBot) -> None:
    field = DateField("due", "履行期限")
    show(field, qtbot)
    entered: list[object] = []
    field.value_entered.connect(entered.append)
    type_into(field, form)
    assert field.day() == DAY and field.message == "" and entered == [DAY]
    assert field.text() == form  # never rewritten while or after typing


def test_full_width_digits_from_an_input_method(qtbot: QtBot) -> None:
    field = DateField("due", "履行期限")
    show(field, qtbot)
    type_into(field, "２０２６－１２－３１")
    assert field.day() == DAY


@pytest.mark.parametrize("text", WRONG)
def test_an_unreadable_day_is_said_under_the_field_and_kept(text: str, qtbot: QtBot) -> None:
    field = DateField("due", "履行期限")
    show(field, qtbot)
    entered: list[object] = []
    field.value_entered.connect(entered.append)
    type_into(field, text)
    assert field.error.isVisible() and field.message.startswith("履行期限")
    assert field.text() == text and not entered
    # Typing never raises a message, only clears one once the value is right.
    field.line.setFocus()
    QTest.keyClick(field.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field.line, "2026-12-3")
    assert field.error.isHidden()
    QTest.keyClicks(field.line, "1")
    QTest.keyClick(field.line, Qt.Key.Key_Return)
    assert entered == [DAY]


def test_an_optional_field_may_be_empty_and_a_required_one_asks(qtbot: QtBot) -> None:
    optional = DateField("since", "起始日期", optional=True)
    required = DateField("until", "截止日期")
    for field in (optional, required):
        show(field, qtbot)
        type_into(field, "")
    assert optional.check() and optional.day() is None
    assert not required.check() and required.message == "请填写截止日期。"


def test_the_range_is_said(qtbot: QtBot) -> None:
    field = DateField("visited", "回访日期", earliest=date(2026, 1, 1), latest=date(2026, 12, 4),
                      latest_is_today=True)
    show(field, qtbot)
    type_into(field, "20261231")
    assert field.message == "回访日期应在 2026-01-01 至 2026-12-04（today）之间，现在是 2026-12-31。"


def test_a_pick_on_the_calendar_enters_the_day(qtbot: QtBot) -> None:
    field = DateField("due", "履行期限")
    show(field, qtbot)
    assert field.calendar is not None
    entered: list[object] = []
    field.value_entered.connect(entered.append)
    field.calendar.clicked.emit(QDate(2026, 12, 31))
    assert field.text() == "2026-12-31" and entered == [DAY]


@pytest.mark.parametrize(("text", "first"), [("2026-12", date(2026, 12, 1)), ("2026/12", date(2026, 12, 1)),
                                             ("202612", date(2026, 12, 1)), ("2026年12月", date(2026, 12, 1))])
def test_a_month_field(text: str, first: date, qtbot: QtBot) -> None:
    field = DateField("month", "公示月份", kind=FieldKind.MONTH)
    show(field, qtbot)
    type_into(field, text)
    assert field.day() == first


# --------------------------------------------------------------------------- agreement terms


def _agreement_tab(runner: Runner, db: Database, qtbot: QtBot) -> tuple[AgreementTab, int]:
    from .test_agreement_tab import case_without_agreement, drafted, write_one_term

    mediator = login_as(db, "mediator")
    tab = AgreementTab(runner, mediator)
    show(tab, qtbot)
    case_id = case_without_agreement(db, mediator)
    drafted(tab, qtbot, case_id)
    write_one_term(tab, next(iter(tab.terms_model.parties)))
    return tab, case_id


def _type_in_cell(tab: AgreementTab, qtbot: QtBot, text: str) -> None:
    index = tab.terms_model.index(0, TermsModel.COL_DUE)
    tab.terms_table.setCurrentIndex(index)
    tab.terms_table.edit(index)
    editor = tab.terms_table.indexWidget(index) or tab.terms_table.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.objectName() == "dueEdit"
    editor.selectAll()
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    for chunk in (text,) if text.isascii() else ("2026", "年", "12", "月", "31", "日"):
        if chunk.isascii():
            QTest.keyClicks(editor, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(editor, event)
    assert editor.text() == text
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the loop
    qtbot.waitUntil(lambda: tab.terms_table.indexWidget(index) is None and tab.terms_model.index(
        0, TermsModel.COL_DUE).data() != "")


def test_term_deadlines_store_what_was_typed(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    tab, case_id = _agreement_tab(runner, demo_sqlite_db, qtbot)
    for form in FORMS:
        _type_in_cell(tab, qtbot, form)
        assert tab.terms_model.term(0).due_on == DAY and not tab.terms_model.term(0).error
        with qtbot.waitSignal(tab.changed):
            tab.save_button.click()
        with demo_sqlite_db.read() as session:
            assert agreements.agreements_of(session, case_id)[0].terms[0].due_on == DAY, form
        _type_in_cell(tab, qtbot, "2026-01-02")  # something else in between, so each form counts
        tab.save_button.click()


@pytest.mark.parametrize("wrong", WRONG)
def test_an_unreadable_deadline_blocks_saving(wrong: str, runner: Runner, demo_sqlite_db: Database,
                                              qtbot: QtBot) -> None:
    tab, case_id = _agreement_tab(runner, demo_sqlite_db, qtbot)
    with qtbot.waitSignal(tab.changed):
        tab.save_button.click()
    with demo_sqlite_db.read() as session:
        before = agreements.agreements_of(session, case_id)[0].terms[0].due_on
    _type_in_cell(tab, qtbot, wrong)
    term = tab.terms_model.term(0)
    assert term.due_text == wrong and term.due_on is None and term.error.startswith("Due by")
    assert tab.terms_model.index(0, TermsModel.COL_DUE).data() == wrong  # what was typed stays
    assert tab.terms_error.isVisible() and "Term 1" in tab.terms_error.text()
    with qtbot.waitSignal(runner.changed, timeout=200, raising=False) as blocker:
        tab.save_button.click()
    assert not blocker.signal_triggered
    assert tab.terms_error.isVisible() and tab.dirty
    with demo_sqlite_db.read() as session:
        assert agreements.agreements_of(session, case_id)[0].terms[0].due_on == before
    _type_in_cell(tab, qtbot, "2026/12/31")
    assert tab.terms_error.isHidden()
    with qtbot.waitSignal(tab.changed):
        tab.save_button.click()
    with demo_sqlite_db.read() as session:
        assert agreements.agreements_of(session, case_id)[0].terms[0].due_on == DAY


@pytest.mark.parametrize("form", FORMS)
def test_the_signing_date(form: str, runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    today = date.today()
    signed = today - timedelta(days=2)
    dialog = SigningDateDialog(today=today)
    show(dialog, qtbot)
    type_into(dialog.date_edit, "2026-13-01", leave=False)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.date_edit.message  # not accepted, says why
    type_into(dialog.date_edit, spelled(today + timedelta(days=1), form), leave=False)
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "today" in dialog.date_edit.message  # not after today
    type_into(dialog.date_edit, spelled(signed, form), leave=False)
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == SigningDateDialog.DialogCode.Accepted and dialog.signed_on == signed

    tab, case_id = _agreement_tab(runner, demo_sqlite_db, qtbot)
    tab.ask_signing_date = lambda: dialog.signed_on
    with qtbot.waitSignal(tab.changed):
        tab.sign_button.click()
    with demo_sqlite_db.read() as session:
        assert agreements.agreements_of(session, case_id)[0].signed_on == signed


# --------------------------------------------------------------------------- holiday panel


def test_holidays_store_what_was_typed_and_nothing_when_unreadable(runner: Runner, demo_sqlite_db: Database,
                                                                   qtbot: QtBot) -> None:
    known = max(calendar.LIBRARY_YEARS)
    year = known + 1
    panel = CalendarPanel(runner, login_as(demo_sqlite_db, "admin"), today=lambda: date(known, 11, 20))
    show(panel, qtbot)
    last = date(year, 12, 31)
    days = [last - timedelta(days=i * 2) for i in range(len(FORMS))]
    for form, day in zip(FORMS, days, strict=True):
        type_into(panel.from_edit, spelled(day, form))
        type_into(panel.to_edit, spelled(day, form))
        type_text(panel.name_edit, "调休")
        QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
        click_go(panel.confirm_box)  # entering days moves the clocks: it asks first
        assert panel.holiday_error.isHidden(), panel.holiday_error.text()
    with demo_sqlite_db.read() as session:
        assert sorted(e.day for e in calendar.list_entries(session, year)) == sorted(days)

    for wrong in WRONG:
        type_into(panel.from_edit, wrong)
        type_into(panel.to_edit, f"{year}-12-01")
        with qtbot.waitSignal(runner.changed, timeout=200, raising=False) as blocker:
            QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
        assert not blocker.signal_triggered
        assert panel.from_edit.error.isVisible() and panel.from_edit.text() == wrong
        assert panel.confirm_box is None or not panel.confirm_box.isVisible()  # nothing to ask about
    with demo_sqlite_db.read() as session:
        assert sorted(e.day for e in calendar.list_entries(session, year)) == sorted(days)
        assert not [e for e in calendar.list_entries(session, known) if e.name == "调休"]  # no "today"


# --------------------------------------------------------------------------- visits


def test_visits_store_what_was_typed(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    clerk, head, mediator = (login_as(demo_sqlite_db, name) for name in ("clerk", "head", "mediator"))
    s = settle(demo_sqlite_db, clerk, head, mediator, min(mediator.team_ids))
    close(s)
    closed_on = date.today()
    tab = VisitsTab(runner, mediator, today=lambda: closed_on + timedelta(days=20))
    show(tab, qtbot)
    with qtbot.waitSignal(tab.loaded):
        tab.show_case(s.case_id)
    typed = [closed_on + timedelta(days=3 + i) for i in range(len(FORMS))]
    for form, day in zip(FORMS, typed, strict=True):
        for combo, member in ((tab.method_combo, VisitMethod.PHONE), (tab.performance_combo, Performance.PERFORMED),
                              (tab.satisfaction_combo, Satisfaction.SATISFIED)):
            combo.setCurrentIndex(combo.findData(str(member)))
        type_into(tab.visited_edit, spelled(day, form))
        with qtbot.waitSignal(tab.changed):
            QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    with demo_sqlite_db.read() as session:
        assert sorted(v.visited_on for v in visits.visits_page(session, head, s.case_id).visits) == typed

    type_into(tab.visited_edit, "2026-02-30")
    with qtbot.waitSignal(runner.changed, timeout=200, raising=False) as blocker:
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert not blocker.signal_triggered
    assert tab.visited_edit.error.isVisible() and "2 月没有 30 日" in tab.visited_edit.message
    type_into(tab.visited_edit, spelled(closed_on + timedelta(days=21), "2026-12-31"))  # after "today"
    QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert "today" in tab.visited_edit.message
    with demo_sqlite_db.read() as session:
        assert len(visits.visits_page(session, head, s.case_id).visits) == len(FORMS)


# --------------------------------------------------------------------------- judicial confirmation


@pytest.mark.parametrize("form", FORMS)
def test_confirmation_dates_store_what_was_typed(form: str, runner: Runner, demo_sqlite_db: Database,
                                                 qtbot: QtBot) -> None:
    clerk, head, mediator = (login_as(demo_sqlite_db, name) for name in ("clerk", "head", "mediator"))
    s = settle(demo_sqlite_db, clerk, head, mediator, min(mediator.team_ids), signed_days_ago=10)
    today = date.today()
    tab = ConfirmationTab(runner, mediator, today=lambda: today)
    show(tab, qtbot)
    with qtbot.waitSignal(tab.loaded):
        tab.show_case(s.case_id)
    applied, accepted, decided = (today - timedelta(days=n) for n in (8, 5, 1))

    type_into(tab.applied_edit, "20261301")
    with qtbot.waitSignal(runner.changed, timeout=200, raising=False) as blocker:
        QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert not blocker.signal_triggered and tab.applied_edit.error.isVisible()

    type_into(tab.applied_edit, spelled(applied, form))
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    type_into(tab.accepted_edit, spelled(accepted, form))
    type_text(tab.number_edit, f"({accepted.year})甘0702民特5号")
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.accept_button, Qt.MouseButton.LeftButton)
    tab.result_combo.setCurrentIndex(tab.result_combo.findData(str(ConfirmationResult.CONFIRMED)))
    type_into(tab.decided_edit, spelled(decided, form))
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.decide_button, Qt.MouseButton.LeftButton)
    with demo_sqlite_db.read() as session:
        [window] = confirmation.confirmation_page(session, head, s.case_id).agreements
    info = window.confirmation
    assert info is not None
    assert (info.applied_on, info.accepted_on, info.decided_on) == (applied, accepted, decided)


# --------------------------------------------------------------------------- transfer


@ON_STORY_DAY
@pytest.mark.parametrize("form", FORMS)
def test_transfer_dates_store_what_was_typed(form: str, sqlite_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    from mediation_desk.services import termination, transfers

    world = in_mediation(sqlite_db)
    runner = Runner(sqlite_db)
    try:
        tab = TransferTab(runner, world.mediator)
        show(tab, qtbot)
        tab.show_case(world.case_id)
        today = date.today()
        type_into(tab.terminated_on, "2026.02.30")
        tab.reason_edit.setPlainText(REASON)
        with qtbot.waitSignal(runner.changed, timeout=200, raising=False) as blocker:
            tab.terminate_button.click()
        assert not blocker.signal_triggered and "2 月没有 30 日" in tab.terminated_on.message
        type_into(tab.terminated_on, spelled(today, form))
        with qtbot.waitSignal(tab.changed):
            tab.terminate_button.click()
        type_text(tab.facts_edit, "申请人车库顶板渗水。")
        with qtbot.waitSignal(tab.changed):
            tab.save_facts_button.click()
        type_into(tab.signed_on, spelled(today, form))
        with qtbot.waitSignal(tab.changed):
            tab.sign_facts_button.click()
        type_text(tab.target_name, "张掖市甘州区人民法院")
        # A court needs claims written as claims, not the mediation requests the box offers.
        tab.claims_edit.selectAll()
        QTest.keyClick(tab.claims_edit, Qt.Key.Key_Delete)
        type_text(tab.claims_edit, "判令被申请人赔偿损失8600元")
        tab.choose_file = lambda suggested: str(tmp_path / "packet.zip")
        with qtbot.waitSignal(tab.changed):
            tab.export_button.click()
        with qtbot.waitSignal(tab.changed):
            tab.sent_button.click()
        type_into(tab.received_on, spelled(today, form))
        with qtbot.waitSignal(tab.changed):
            tab.received_button.click()
        type_into(tab.filed_on, spelled(today, form))
        type_text(tab.filed_number, "（2026）甘0702民初1234号")
        with qtbot.waitSignal(tab.changed):
            tab.filed_button.click()
        type_into(tab.outcome_on, "31/12/2026")
        type_text(tab.outcome_edit, "调解结案")
        with qtbot.waitSignal(runner.changed, timeout=200, raising=False) as blocker:
            tab.outcome_button.click()
        assert not blocker.signal_triggered and tab.outcome_on.message
        type_into(tab.outcome_on, spelled(today, form))
        with qtbot.waitSignal(tab.changed):
            tab.outcome_button.click()
        with sqlite_db.read() as session:
            ended = termination.termination_of(session, world.case_id)
            facts = termination.undisputed_facts_of(session, world.case_id)
            [sent] = transfers.transfers_of(session, world.case_id)
        assert ended is not None and ended.terminated_on == today
        assert facts is not None and facts.signed_on == today
        assert sent.status is TransferStatus.CONCLUDED
        assert sent.received_at is not None and sent.received_at.date() == today
        assert (sent.filed_on, sent.outcome_on) == (today, today)
    finally:
        runner.shutdown(dispose=False)
        assert not runner.unhandled, [f.message for f in runner.unhandled]


# --------------------------------------------------------------------------- supervision


def test_supervision_due_dates_store_what_was_typed(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    head, mediator = login_as(demo_sqlite_db, "head"), login_as(demo_sqlite_db, "mediator")
    case = rows_where(demo_sqlite_db, head, CaseFilter(states=frozenset({CaseState.IN_MEDIATION}),
                                                       team_ids=mediator.team_ids))[0]
    today = date.today()
    box = SupervisionBox(runner, head)
    show(box, qtbot)
    box.set_orders(case.id, (), case_open=True, today=today)
    due = [today + timedelta(days=20 + i) for i in range(len(FORMS))]
    for form, day in zip(FORMS, due, strict=True):
        box.open_issue()
        type_text(box.instruction_edit, f"限期办结（{form}）")
        type_into(box.due_edit, spelled(day, form))
        with qtbot.waitSignal(runner.changed):
            QTest.mouseClick(box.issue_confirm, Qt.MouseButton.LeftButton)
    box.open_issue()
    type_text(box.instruction_edit, "不会保存")
    for wrong in (*WRONG, spelled(today - timedelta(days=1), "2026-12-31")):
        type_into(box.due_edit, wrong)
        with qtbot.waitSignal(runner.changed, timeout=200, raising=False) as blocker:
            QTest.mouseClick(box.issue_confirm, Qt.MouseButton.LeftButton)
        assert not blocker.signal_triggered and box.due_edit.error.isVisible()
    with demo_sqlite_db.read() as session:
        stored = session.scalars(select(SupervisionOrder.due_on).where(SupervisionOrder.case_id == case.id)
                                 .order_by(SupervisionOrder.id)).all()
    assert list(stored) == due


# --------------------------------------------------------------------------- records


def test_records_held_at_stores_what_was_typed(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    from .test_records_tab import fill_mediation, team_case

    mediator = login_as(demo_sqlite_db, "mediator")
    case_id = team_case(demo_sqlite_db, mediator)
    tab = RecordsTab(runner, mediator)
    show(tab, qtbot)
    tab.show_case(case_id)
    yesterday = date.today() - timedelta(days=1)
    times = ("14:30", "9:05", "14时30分", "１６：４５")
    moments = (time(14, 30), time(9, 5), time(14, 30), time(16, 45))
    saved: list[datetime] = []
    for form, typed_time, moment in zip(FORMS, times, moments, strict=True):
        fill_mediation(tab)
        tab.notice_given.setChecked(True)
        type_into(tab.held_at.day_field, spelled(yesterday, form))
        type_into(tab.held_at.time_field, typed_time)
        with qtbot.waitSignal(tab.changed):
            tab.save()
        assert tab.record is not None
        saved.append(datetime.combine(yesterday, moment))
        with demo_sqlite_db.read() as session:
            [record] = [r for r in records.records_of(session, case_id) if r.id == tab.record.id and r.kind == tab.kind]
        assert record.held_at == saved[-1], form

    fill_mediation(tab)
    tab.notice_given.setChecked(True)
    with demo_sqlite_db.read() as session:
        before = len(records.records_of(session, case_id))
    for day_text, time_text in (("2026-02-30", "14:30"), (f"{yesterday:%Y%m%d}", "25:00"),
                                (f"{yesterday:%Y%m%d}", "两点半")):
        type_into(tab.held_at.day_field, day_text)
        type_into(tab.held_at.time_field, time_text)
        with qtbot.waitSignal(runner.changed, timeout=200, raising=False) as blocker:
            tab.save()
        assert not blocker.signal_triggered
        assert tab.held_at.day_field.message or tab.held_at.time_field.message
    with demo_sqlite_db.read() as session:
        assert len(records.records_of(session, case_id)) == before


# --------------------------------------------------------------------------- filters


def test_case_list_date_filters(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    view = CaseListView(runner, login_as(demo_sqlite_db, "head"))
    show(view, qtbot)
    view.from_check.setChecked(True)
    view.to_check.setChecked(True)
    for form in FORMS:
        type_into(view.from_date, spelled(date(2026, 1, 1), form))
        type_into(view.to_date, form)
        flt = view.model.query.filter
        assert (flt.received_from, flt.received_to) == (date(2026, 1, 1), DAY), form
        type_into(view.to_date, "2026-06-30")
    for wrong in WRONG:
        type_into(view.to_date, wrong)
        assert view.to_date.error.isVisible() and view.to_date.text() == wrong
        assert view.model.query.filter.received_to == date(2026, 6, 30)  # the last readable filter stays


def test_audit_date_filters(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    viewer = AuditViewer(runner, login_as(demo_sqlite_db, "head"), page_size=50)
    show(viewer, qtbot)
    viewer.use_dates.setChecked(True)
    for form in FORMS:
        type_into(viewer.date_from, spelled(date(2026, 12, 1), form))
        type_into(viewer.date_to, form)
        flt = viewer.current_filter()
        assert (flt.since, flt.until) == (datetime(2026, 12, 1), datetime(2027, 1, 1)), form
    for wrong in WRONG:
        type_into(viewer.date_to, wrong)
        assert viewer.date_to.error.isVisible()


def test_dashboard_custom_period(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    from mediation_desk.models import Role
    from mediation_desk.services.actor import Actor

    panel = DashboardPanel(runner, Actor(user_id=None, username="head", display_name="陈志强", role=Role.HEAD),
                           today=date(2026, 12, 4))
    show(panel, qtbot)
    panel.set_period(PeriodKind.CUSTOM)
    for form in FORMS:
        type_into(panel.from_date, spelled(date(2026, 1, 1), form))
        type_into(panel.to_date, form)
        assert panel.figures is not None
        assert (panel.figures.period_start, panel.figures.period_end) == (date(2026, 1, 1), DAY), form
    loaded = panel.figures
    for wrong in WRONG:
        type_into(panel.to_date, wrong)
        panel.refresh()
        assert panel.to_date.error.isVisible() and panel.figures is loaded


def test_publicity_month(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    panel = PublicityPanel(runner, head, today=lambda: date(2027, 1, 15))
    show(panel, qtbot)
    assert panel.month() == Month(2026, 12)
    for text in ("2026-11", "2026/11", "202611", "2026年11月"):
        type_into(panel.month_edit, "2026-10")
        assert panel.overview is not None and panel.overview.month == Month(2026, 10)
        type_into(panel.month_edit, text)
        assert panel.overview is not None and panel.overview.month == Month(2026, 11), text
    for wrong in ("2026-13", "26-11", "2026-11-31x", "١٢"):
        type_into(panel.month_edit, wrong)
        panel.approve()
        assert panel.month_edit.error.isVisible() and panel.month() == Month(2026, 11)
    type_into(panel.month_edit, "2026年11月")
    panel.approve()
    with demo_sqlite_db.read() as session:
        assert publicity.overview(session, Month(2026, 11)).approval is not None
        assert publicity.overview(session, Month(2026, 10)).approval is None


# --------------------------------------------------------------------------- intake


@pytest.mark.parametrize("form", FORMS)
def test_intake_birth_date_stores_what_was_typed(form: str, runner: Runner, demo_sqlite_db: Database,
                                                 qtbot: QtBot) -> None:
    from mediation_desk.models import Party

    from .test_intake_form import fill_minimal, make_form, save

    intake = make_form(runner, login_as(demo_sqlite_db, "clerk"), qtbot)
    fill_minimal(intake, applicant="钱九")
    born = date(1980, 12, 31)
    party = intake.parties[0]
    box = party.boxes["birth_date"]
    for wrong in ("1980-02-30", "٢٠٢٦-١٢-٣١", "80-12-31", "1980-12-3¹"):
        line = box.editor
        assert isinstance(line, QLineEdit)
        line.setFocus()
        line.selectAll()
        QTest.keyClick(line, Qt.Key.Key_Delete)
        type_text(line, wrong)
        QTest.keyClick(line, Qt.Key.Key_Tab)
        assert box.error.isVisible() and box.text() == wrong, wrong
    line = box.editor
    assert isinstance(line, QLineEdit)
    line.setFocus()
    line.selectAll()
    QTest.keyClick(line, Qt.Key.Key_Delete)
    text = spelled(born, form)
    if text.isascii():
        QTest.keyClicks(line, text)
    else:
        for chunk in ("1980", "年", "12", "月", "31", "日"):
            if chunk.isascii():
                QTest.keyClicks(line, chunk)
            else:
                type_text(line, chunk)
    assert line.text() == text
    QTest.keyClick(line, Qt.Key.Key_Tab)
    assert box.error.isHidden(), box.error.text()
    intake.title.setFocus()
    save(intake)
    result = intake.last_registered
    assert result is not None, intake.message_label.text()
    with demo_sqlite_db.read() as session:
        stored = session.scalars(select(Party.birth_date).where(Party.case_id == result.case_id,
                                                                Party.name == "钱九")).all()
    assert list(stored) == [born]
