"""The 司法确认 tab: the window counting down, the three steps through the interface, the warning
for marriage agreements, and the application printed to a file."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import ConfirmationResult
from mediation_desk.services import confirmation
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.tabs.confirmation import ConfirmationTab
from mediation_desk.ui.common.conflict_dialog import ConflictDialog

from ..conftest import login_as
from ..services.settled import Settled, settle, settled_case
from .conftest import Runner, type_text

pytestmark = pytest.mark.gui


def settled(db: Database, **kwargs: object) -> Settled:
    clerk, head, mediator = (login_as(db, name) for name in ("clerk", "head", "mediator"))
    return settle(db, clerk, head, mediator, min(mediator.team_ids), **kwargs)  # type: ignore[arg-type]


def make_tab(runner: Runner, actor: Actor, qtbot: QtBot, case_id: int, today: date | None = None) -> ConfirmationTab:
    tab = ConfirmationTab(runner, actor, today=(lambda: today) if today else None)
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    with qtbot.waitSignal(tab.loaded):
        tab.show_case(case_id)
    return tab


def test_apply_accept_and_decide_through_the_tab(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    s = settled(demo_sqlite_db, signed_days_ago=3)
    tab = make_tab(runner, s.mediator, qtbot, s.case_id)
    assert "27" in tab.window_label.text() and "#2e7d32" in tab.window_label.text()
    assert tab.warning_label.isHidden()
    assert tab.apply_box.isEnabled() and not tab.accept_box.isEnabled() and not tab.decide_box.isEnabled()
    assert "拆除院前堆放物" in tab.terms_label.text()

    # A court name that is no court is refused next to the form; what was typed stays.
    tab.court_edit.clear()
    type_text(tab.court_edit, "甘州区民政局")
    with qtbot.waitSignal(runner.changed, timeout=200, raising=False) as blocker:
        QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert not blocker.signal_triggered
    assert tab.apply_error.isVisible() and "不像人民法院" in tab.apply_error.text()
    assert tab.court_edit.text() == "甘州区民政局"

    tab.court_edit.clear()
    type_text(tab.court_edit, "张掖市甘州区人民法院")
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert tab.apply_error.isHidden()
    window = tab.selected_window()
    assert window is not None and window.confirmation is not None
    assert "Applied on" in tab.status_label.text() and "张掖市甘州区人民法院" in tab.status_label.text()
    assert not tab.apply_box.isEnabled() and tab.accept_box.isEnabled()

    type_text(tab.number_edit, "甘州法院第五号")
    QTest.mouseClick(tab.accept_button, Qt.MouseButton.LeftButton)
    assert tab.accept_error.isVisible() and "格式" in tab.accept_error.text()
    tab.number_edit.clear()
    year = date.today().year
    type_text(tab.number_edit, f"({year})甘0702民特5号")
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.accept_button, Qt.MouseButton.LeftButton)
    assert f"（{year}）甘0702民特5号" in tab.status_label.text()

    tab.result_combo.setCurrentIndex(tab.result_combo.findData(str(ConfirmationResult.CONFIRMED)))
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.decide_button, Qt.MouseButton.LeftButton)
    assert "Ruled valid" in tab.status_label.text()
    assert not tab.accept_box.isEnabled() and not tab.decide_box.isEnabled()
    with demo_sqlite_db.read() as session:
        [window] = confirmation.confirmation_page(session, s.head, s.case_id).agreements
    assert window.confirmation is not None and window.confirmation.result is ConfirmationResult.CONFIRMED


def test_a_closed_window_is_red_and_asks_for_a_reason(runner: Runner, demo_sqlite_db: Database,
                                                       qtbot: QtBot) -> None:
    s = settled(demo_sqlite_db, signed_days_ago=40)
    tab = make_tab(runner, s.head, qtbot, s.case_id)
    assert "#c62828" in tab.window_label.text() and "10 days ago" in tab.window_label.text()
    assert tab.late_edit.isHidden()
    tab.court_edit.clear()  # the center's basic court is offered; the court is still required
    QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert "请填写受理申请的人民法院" in tab.apply_error.text() and tab.focusWidget() is tab.court_edit
    type_text(tab.court_edit, "张掖市甘州区人民法院")
    QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert "已逾期 10 天" in tab.apply_error.text()
    assert tab.late_edit.isVisible() and tab.focusWidget() is tab.late_edit
    type_text(tab.late_edit, "当事人外出务工刚返回")
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert "逾期 10 天申请" in tab.status_label.text()
    assert tab.late_edit.isHidden()


def test_a_divorce_agreement_is_warned_against(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    s = settled(demo_sqlite_db, dispute_type="婚姻家庭", facts="双方婚后感情不和，现协商一致",
                terms=("双方自愿离婚", "男方补偿女方"))
    tab = make_tab(runner, s.mediator, qtbot, s.case_id)
    assert tab.warning_label.isVisible()
    assert "婚姻关系" in tab.warning_label.text() and "不予受理" in tab.warning_label.text()
    assert "#c62828" in tab.warning_label.styleSheet()


def test_the_tab_reloads_on_a_change_elsewhere(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    s = settled(demo_sqlite_db)
    tab = make_tab(runner, s.head, qtbot, s.case_id)
    with demo_sqlite_db.write() as session:
        confirmation.record_application(session, s.head, s.agreement_id, applied_on=date.today(),
                                        court="甘州区人民法院")
    with qtbot.waitSignal(tab.loaded):
        runner.changed.emit(Changes.cases(s.case_id))
    assert "甘州区人民法院" in tab.status_label.text()
    with qtbot.waitSignal(tab.loaded, timeout=200, raising=False) as blocker:
        runner.changed.emit(Changes.cases(s.case_id + 1000))
    assert not blocker.signal_triggered


def test_no_agreement_says_so(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    tab = make_tab(runner, head, qtbot, 1)
    assert tab.body.isHidden() and "no mediation agreement" in tab.empty_label.text()


def test_print_the_application_to_a_chosen_file(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                tmp_path: Path) -> None:
    s = settled(demo_sqlite_db, signed_days_ago=1)
    with demo_sqlite_db.write() as session:
        confirmation.record_application(session, s.head, s.agreement_id, applied_on=date.today() - timedelta(days=0),
                                        court="张掖市甘州区人民法院")
    tab = make_tab(runner, s.mediator, qtbot, s.case_id)
    QTest.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    dialog = tab.file_dialog
    assert isinstance(dialog, QFileDialog) and dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    assert dialog.selectedFiles()[0].endswith(".pdf")
    dialog.reject()
    target = tmp_path / "申请书.pdf"
    with qtbot.waitSignal(tab.saved) as saved:
        dialog.fileSelected.emit(str(target))
    assert saved.args == [str(target)]
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "司法确认申请书" in text and "张掖市甘州区人民法院" in text
    assert str(target) in tab.done_label.text()


def test_a_court_number_recorded_by_another_desk_meanwhile_raises_the_conflict_dialog(
        sqlite_db: Database, qtbot: QtBot) -> None:
    """Desk A opens the tab on an application waiting for the court; desk B records the court's
    number; A types another and records it: refused, the dialog shows both numbers, A's stays in
    the field; re-applied, A's correction is recorded on top of B's version."""
    s = settled_case(sqlite_db, signed_days_ago=3)
    today = date.today()
    with sqlite_db.write() as session:
        applied = confirmation.record_application(session, s.mediator, s.agreement_id, applied_on=today,
                                                  court="张掖市甘州区人民法院")
    desk_a = Runner(Database(sqlite_db.url))
    try:
        tab = make_tab(desk_a, s.mediator, qtbot, s.case_id)
        assert tab.accept_box.isEnabled()
        with sqlite_db.write() as session:  # desk B, through its own connection
            confirmation.record_acceptance(session, s.head, applied.id, accepted_on=today,
                                           court_case_number=f"（{today.year}）甘0702民特5号",
                                           expected_version=applied.version)
        type_text(tab.number_edit, f"（{today.year}）甘0702民特6号")
        QTest.mouseClick(tab.accept_button, Qt.MouseButton.LeftButton)
        assert tab.accept_error.isVisible() and "已被他人登记或更正" in tab.accept_error.text()
        dialog = tab.conflict_dialog
        assert dialog is not None and dialog.who == "head"
        shown = dialog.table.toPlainText()
        assert "民特5号" in shown and "民特6号" in shown
        dialog.choose(-1)  # keep editing
        assert tab.number_edit.text() == f"（{today.year}）甘0702民特6号"
        with sqlite_db.read() as session:
            [window] = confirmation.confirmation_page(session, s.head, s.case_id, today).agreements
        assert window.confirmation is not None and window.confirmation.court_case_number.endswith("民特5号")

        QTest.mouseClick(tab.accept_button, Qt.MouseButton.LeftButton)  # the old version still: the dialog again
        dialog = tab.conflict_dialog
        assert dialog is not None
        with qtbot.waitSignal(tab.changed):
            dialog.choose(ConflictDialog.REAPPLY)
        with sqlite_db.read() as session:
            [window] = confirmation.confirmation_page(session, s.head, s.case_id, today).agreements
        assert window.confirmation is not None and window.confirmation.court_case_number.endswith("民特6号")
        assert f"（{today.year}）甘0702民特6号" in tab.status_label.text()
    finally:
        desk_a.shutdown()
        assert not desk_a.unhandled, [f.message for f in desk_a.unhandled]


def test_a_late_application_prints_only_once_recorded_and_then_says_so(runner: Runner, demo_sqlite_db: Database,
                                                                        qtbot: QtBot, tmp_path: Path) -> None:
    s = settled(demo_sqlite_db, signed_days_ago=40)
    today = s.effective_on + timedelta(days=40)  # the window closed ten days ago
    tab = make_tab(runner, s.mediator, qtbot, s.case_id, today=today)
    # Nothing recorded yet: the form would claim thirty days, so no file is even asked for.
    QTest.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    assert tab.file_dialog is None
    assert tab.print_error.isVisible() and "cannot be printed as filed within 30 days" in tab.print_error.text()
    assert tab.late_edit.isVisible() and tab.focusWidget() is tab.late_edit
    type_text(tab.late_edit, "当事人外出务工刚返回")
    with qtbot.waitSignal(tab.changed):
        QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert "逾期 10 天申请" in tab.status_label.text()
    QTest.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    dialog = tab.file_dialog
    assert isinstance(dialog, QFileDialog)
    dialog.reject()
    target = tmp_path / "逾期申请书.pdf"
    with qtbot.waitSignal(tab.saved):
        dialog.fileSelected.emit(str(target))
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(target).pages)
    assert "三十日内共同向人民法院申请" not in text and "逾期10日" in text
    assert "逾期申请的原因：当事人外出务工刚返回。" in text
    assert f"申请人于{today.year}年{today.month}月{today.day}日共同向人民法院申请司法确认" in text
