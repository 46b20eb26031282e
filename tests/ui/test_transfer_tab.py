"""The transfer tab: end a mediation, the undisputed facts, a packet with progress, tracking;
and the packet import dialog."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import CaseState, TransferStatus
from mediation_desk.services import cases
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.tabs.transfer import TransferTab
from mediation_desk.ui.common import i18n
from mediation_desk.ui.intake.packet_import import PacketImportDialog

from ..documents.casefile import ON_STORY_DAY
from ..documents.conftest import compact, pdf_text
from ..exchange.casebuild import REASON, Failed, failed_case, in_mediation
from .conftest import Runner, check_model, type_text

pytestmark = [pytest.mark.gui, ON_STORY_DAY]
SHOTS = os.environ.get("MEDIATION_DESK_SHOTS")


@pytest.fixture
def tab_runner(sqlite_db: Database) -> Iterator[Runner]:
    runner = Runner(sqlite_db)
    yield runner
    runner.shutdown(dispose=False)
    assert not runner.unhandled, [f.message for f in runner.unhandled]


@pytest.fixture
def world(sqlite_db: Database) -> Failed:
    return in_mediation(sqlite_db)


def _state(db: Database, actor: Actor, case_id: int) -> CaseState:
    with db.read() as session:
        return cases.case_detail(session, actor, case_id).state


def _shot(widget: TransferTab | PacketImportDialog, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))


def test_end_mediation_facts_packet_and_tracking(tab_runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication,
                                                 tmp_path: Path, qtmodeltester: ModelTester) -> None:
    i18n.register_fonts(qapp)
    tab = TransferTab(tab_runner, world.mediator)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    tab.show_case(world.case_id)
    assert tab.terminate_button.isEnabled() and not tab.export_button.isEnabled()

    # A reason is required; what was typed stays after the refusal.
    tab.terminate_button.click()
    assert tab.termination_error.isVisible() and "原因" in tab.termination_error.text()
    type_text(tab.reason_edit, REASON)
    with qtbot.waitSignal(tab.changed):
        tab.terminate_button.click()
    assert _state(world.db, world.mediator, world.case_id) is CaseState.FAILED
    assert REASON in tab.termination_label.text() and not tab.terminate_button.isEnabled()

    type_text(tab.facts_edit, "申请人车库顶板渗水。")
    with qtbot.waitSignal(tab.changed):
        tab.save_facts_button.click()
    assert tab.sign_facts_button.isEnabled()
    printed: list[Path] = []
    tab.open_document = printed.append
    tab.print_facts_button.click()
    assert printed and printed[0].read_bytes().startswith(b"%PDF")
    with qtbot.waitSignal(tab.changed):
        tab.sign_facts_button.click()
    assert tab.facts_edit.isReadOnly()

    # The packet: the file is chosen, progress runs, the transfer appears 已生成.
    assert tab.export_button.isEnabled()
    assert "请求对方拆除堆放物" not in tab.claims_edit.toPlainText()  # the case's own requests are offered
    assert tab.claims_edit.toPlainText().startswith("请求被申请人维修")
    # Pre-filled from the requests, and marked: a court cannot docket mediation requests.
    assert tab.claims_note.isVisible() and "rewrite each as a claim" in tab.claims_note.text()
    type_text(tab.target_name, "张掖市甘州区人民法院")
    target = tmp_path / "packet.zip"
    tab.choose_file = lambda suggested: str(target)
    tab.export_button.click()
    assert "mediation requests" in tab.packet_message.text() and not target.exists()
    tab.claims_edit.selectAll()
    QTest.keyClick(tab.claims_edit, Qt.Key.Key_Delete)
    type_text(tab.claims_edit, "判令被申请人维修车库顶板防水层\n判令被申请人赔偿损失8600元")
    assert not tab.claims_note.isVisible()
    with qtbot.waitSignal(tab.changed):
        tab.export_button.click()
    assert target.is_file() and tab.progress is None
    with zipfile.ZipFile(target) as zf:
        letter = compact(pdf_text(zf.read("documents/transfer-letter.pdf")))
        summary = compact(pdf_text(zf.read("documents/case-summary.pdf")))
    assert "诉讼请求如下：1.判令被申请人维修车库顶板防水层2.判令被申请人赔偿损失8600元" in letter
    assert "诉讼请求（草拟）：1.判令被申请人维修车库顶板防水层2.判令被申请人赔偿损失8600元" in summary
    assert "请求被申请人维修" not in letter
    assert "packet.zip" in tab.packet_message.text()
    check_model(qtmodeltester, tab.model)
    assert [r.status for r in tab.model.rows] == [TransferStatus.PREPARED]
    _shot(tab, "transfer_tab.png")

    with qtbot.waitSignal(tab.changed):
        tab.sent_button.click()
    assert _state(world.db, world.mediator, world.case_id) is CaseState.TRANSFERRED
    tab.filed_number.setText("garbage")
    tab.filed_button.click()
    assert "格式不正确" in tab.tracking_error.text() and tab.filed_number.text() == "garbage"
    tab.filed_number.setText("(2026)gan0102")
    tab.filed_number.clear()
    type_text(tab.filed_number, "（2026）甘0702民初1234号")
    with qtbot.waitSignal(tab.changed):
        tab.filed_button.click()
    assert tab.model.rows[0].status is TransferStatus.FILED
    assert "甘0702民初1234号" in tab.model.text(tab.model.rows[0], 4)
    check_model(qtmodeltester, tab.model)


def test_export_refusal_is_shown_and_leaves_no_file(tab_runner: Runner, world: Failed, qtbot: QtBot,
                                                      tmp_path: Path) -> None:
    tab = TransferTab(tab_runner, world.mediator)
    qtbot.addWidget(tab)
    tab.show_case(world.case_id)
    tab.reason_edit.setPlainText(REASON)
    with qtbot.waitSignal(tab.changed):
        tab.terminate_button.click()
    # No receiving body: refused with the service's message, no file.
    tab.claims_edit.setPlainText("判令被申请人赔偿损失8600元")
    tab.choose_file = lambda suggested: str(tmp_path / "p.zip")
    tab.export_button.click()
    assert "接收的人民法院" in tab.packet_message.text()
    assert not list(tmp_path.glob("*p.zip*"))


def test_claims_for_a_court_must_be_claims(tab_runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication,
                                           tmp_path: Path, chinese: None) -> None:
    """Mediation wording is refused, naming the line; a department takes the requests as they are."""
    i18n.register_fonts(qapp)
    tab = TransferTab(tab_runner, world.mediator)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    tab.show_case(world.case_id)
    tab.reason_edit.setPlainText(REASON)
    with qtbot.waitSignal(tab.changed):
        tab.terminate_button.click()
    type_text(tab.target_name, "张掖市甘州区人民法院")
    assert tab.claims_note.isVisible() and "仍是申请人申请调解的事项" in tab.claims_note.text()
    tab.claims_edit.selectAll()
    QTest.keyClick(tab.claims_edit, Qt.Key.Key_Delete)
    assert "须写明诉讼请求" in tab.claims_note.text()
    type_text(tab.claims_edit, "请求依法调解双方之间的渗水纠纷")
    assert tab.claims_note.isVisible() and "第 1 项" in tab.claims_note.text() and "调解" in tab.claims_note.text()
    _shot(tab, "transfer_claims_marked.png")
    target = tmp_path / "p.zip"
    tab.choose_file = lambda suggested: str(target)
    tab.export_button.click()
    tab.print_letter_button.click()
    assert "法院无法立案" in tab.packet_message.text() and not target.exists()
    assert tab.claims_edit.toPlainText() == "请求依法调解双方之间的渗水纠纷"  # nothing typed is lost
    # To a department: the requests are what it is asked to deal with.
    tab.target_combo.setCurrentIndex(tab.target_combo.findData("department"))
    assert not tab.claims_note.isVisible()
    label = tab._packet_form.labelForField(tab.claims_edit)
    assert isinstance(label, QLabel) and label.text() == "请求事项"
    tab.target_name.clear()
    type_text(tab.target_name, "甘州区住房和城乡建设局")
    with qtbot.waitSignal(tab.changed):
        tab.export_button.click()
    assert target.is_file()


def test_import_dialog_refuses_then_imports(tab_runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication,
                                            tmp_path: Path) -> None:
    from mediation_desk.exchange.export import export_packet
    from mediation_desk.services import termination

    i18n.register_fonts(qapp)
    with world.db.write() as session:
        termination.terminate(session, world.mediator, world.case_id, reason=REASON)
    packet = tmp_path / "good.zip"
    export_packet(world.db, world.mediator, world.case_id, target="department", target_name="甘州区住建局", out=packet)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(packet.read_bytes()[:1000])
    dialog = PacketImportDialog(tab_runner, world.clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.choose_file = lambda: str(bad)
    dialog.browse_button.click()
    dialog.import_button.click()
    assert "不是完整的 ZIP" in dialog.message.text() and not dialog.open_button.isVisible()
    _shot(dialog, "packet_import_refused.png")
    dialog.path_edit.setText(str(packet))
    dialog.import_button.click()
    assert "已导入移送材料包" in dialog.message.text()
    with qtbot.waitSignal(dialog.imported) as opened:
        dialog.open_button.click()
    assert opened.args is not None and opened.args[0] != world.case_id


def test_print_transfer_letter_previews_it_and_the_packet_carries_it(tab_runner: Runner, world: Failed, qtbot: QtBot,
                                                                     qapp: QApplication, tmp_path: Path) -> None:
    import zipfile

    from mediation_desk.services import termination

    i18n.register_fonts(qapp)
    with world.db.write() as session:
        termination.terminate(session, world.mediator, world.case_id, reason=REASON)
    tab = TransferTab(tab_runner, world.mediator)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    tab.show_case(world.case_id)
    assert tab.print_letter_button.isEnabled()

    # The claims are still the mediation requests: refused on the spot, no preview.
    tab.print_letter_button.click()
    assert "rewrite each as a claim" in tab.packet_message.text() and tab.letter_preview is None
    tab.claims_edit.setFocus()
    tab.claims_edit.selectAll()
    QTest.keyClick(tab.claims_edit, Qt.Key.Key_Delete)
    type_text(tab.claims_edit, "判令被申请人维修车库顶板防水层")
    # No receiving body yet: the service's message, no preview.
    tab.print_letter_button.click()
    qtbot.waitUntil(lambda: "接收的人民法院" in tab.packet_message.text())
    assert tab.letter_preview is None and tab.print_letter_button.isEnabled()

    type_text(tab.target_name, "张掖市甘州区人民法院")
    tab.print_letter_button.click()
    qtbot.waitUntil(lambda: tab.letter_preview is not None and tab.letter_preview.page_count > 0, timeout=15_000)
    preview = tab.letter_preview
    assert preview is not None and preview.data.startswith(b"%PDF") and preview.print_button.isEnabled()
    assert "移送函" in preview.windowTitle() and "sealed" in tab.packet_message.text()
    _shot(tab, "transfer_tab_letter.png")
    if SHOTS:
        preview.resize(900, 760)
        preview.grab().save(str(Path(SHOTS) / "transfer_letter_preview.png"))

    # The packet carries the very letter that was printed.
    target = tmp_path / "packet.zip"
    tab.choose_file = lambda suggested: str(target)
    with qtbot.waitSignal(tab.changed):
        tab.export_button.click()
    with zipfile.ZipFile(target) as zf:
        assert zf.read("documents/transfer-letter.pdf") == preview.data
    preview.close()


def test_facts_saved_by_another_desk_after_this_one_loaded_raise_the_conflict_dialog(
        sqlite_db: Database, world: Failed, qtbot: QtBot) -> None:
    """Desk A opens the tab while no statement exists; desk B drafts one; A types and saves: A's
    save is refused (it started from "no draft yet"), the dialog shows B's text and A's side by
    side, and A's words stay in the box."""
    from mediation_desk.services import termination
    from mediation_desk.ui.common.conflict_dialog import ConflictDialog

    desks: list[tuple[TransferTab, Runner]] = []

    def desk(actor: Actor) -> TransferTab:
        # Each desk its own connection: nothing passes between them except through the database.
        task_runner = Runner(Database(sqlite_db.url))
        tab = TransferTab(task_runner, actor)
        qtbot.addWidget(tab)
        tab.resize(1300, 760)
        tab.show()
        tab.show_case(world.case_id)
        desks.append((tab, task_runner))
        return tab

    try:
        tab_a = desk(world.mediator)
        assert tab_a.page is not None and tab_a.page.facts is None and "No statement" in tab_a.facts_status.text()
        tab_b = desk(world.head)
        QTest.keyClicks(tab_b.facts_edit, "B: the garage roof leaks.")
        with qtbot.waitSignal(tab_b.changed):
            tab_b.save_facts_button.click()

        QTest.keyClicks(tab_a.facts_edit, "A: the leak began in May.")
        QTest.keyClicks(tab_a.disputed_edit, "Who pays")
        tab_a.save_facts_button.click()
        with sqlite_db.read() as session:
            saved = termination.undisputed_facts_of(session, world.case_id)
        assert saved is not None and (saved.facts, saved.disputed) == ("B: the garage roof leaks.", "")
        assert tab_a.facts_error.isVisible() and "他人已先起草" in tab_a.facts_error.text()

        dialog = tab_a.conflict_dialog
        assert dialog is not None and dialog.isVisible() and dialog.who == "head"
        shown = dialog.table.toPlainText()
        assert "B: the garage roof leaks." in shown and "A: the leak began in May." in shown and "Who pays" in shown
        assert {c.name for c in dialog.changes} == {"facts", "disputed"}
        _shot(dialog, "facts_conflict_dialog.png")  # type: ignore[arg-type]
        dialog.choose(-1)  # keep editing: nothing typed is lost, nothing of B's is overwritten
        assert tab_a.conflict_dialog is None
        assert tab_a.facts_edit.toPlainText() == "A: the leak began in May."
        assert tab_a.disputed_edit.toPlainText() == "Who pays"
        assert tab_a.facts_status.text() == "Draft, not signed yet."  # the tab knows B's draft exists now

        # Saving again still starts from "no draft": the dialog again; merged, both texts are saved.
        tab_a.save_facts_button.click()
        dialog = tab_a.conflict_dialog
        assert dialog is not None
        dialog.choose(ConflictDialog.MERGE)
        merged = tab_a.facts_edit.toPlainText()
        assert "B: the garage roof leaks." in merged and "A: the leak began in May." in merged
        tab_a.facts_edit.setPlainText("B: the garage roof leaks.\nA: the leak began in May.")
        with qtbot.waitSignal(tab_a.changed):
            tab_a.save_facts_button.click()
        with sqlite_db.read() as session:
            saved = termination.undisputed_facts_of(session, world.case_id)
        assert saved is not None and saved.version == 2
        assert (saved.facts, saved.disputed) == ("B: the garage roof leaks.\nA: the leak began in May.", "Who pays")

        # B, still showing its own first draft, signs: refused, the dialog names A's change.
        tab_b.sign_facts_button.click()
        assert tab_b.conflict_dialog is not None
        assert "A: the leak began in May." in tab_b.conflict_dialog.table.toPlainText()
        tab_b.conflict_dialog.choose(ConflictDialog.RELOAD)
        with sqlite_db.read() as session:
            still = termination.undisputed_facts_of(session, world.case_id)
        assert still is not None and not still.signed
        assert tab_b.facts_edit.toPlainText() == saved.facts
    finally:
        for _tab, task_runner in desks:
            task_runner.shutdown()
            assert not task_runner.unhandled, [f.message for f in task_runner.unhandled]


def test_a_filing_recorded_by_another_desk_meanwhile_raises_the_conflict_dialog(
        sqlite_db: Database, world: Failed, qtbot: QtBot, tmp_path: Path) -> None:
    """Desk A shows the transfer as handed over; desk B records the court's filing; A types another
    number and records it: refused, both numbers side by side, A's stays in the field."""
    from mediation_desk.exchange.export import export_packet
    from mediation_desk.services import termination, transfers
    from mediation_desk.ui.common.conflict_dialog import ConflictDialog

    with sqlite_db.write() as session:
        termination.terminate(session, world.mediator, world.case_id, reason=REASON)
    made = export_packet(sqlite_db, world.mediator, world.case_id, target="court", target_name="张掖市甘州区人民法院",
                         out=tmp_path / "p.zip", claims=["判令被申请人赔偿损失8600元"])
    assert made.transfer is not None
    with sqlite_db.write() as session:
        transfers.confirm_sent(session, world.mediator, made.transfer.id)
    desk_a = Runner(Database(sqlite_db.url))
    try:
        tab = TransferTab(desk_a, world.mediator)
        qtbot.addWidget(tab)
        tab.show()
        tab.show_case(world.case_id)
        assert tab.filed_button.isEnabled()
        with sqlite_db.write() as session:  # desk B
            seen = transfers.transfers_of(session, world.case_id)[0]
            transfers.mark_filed(session, world.head, seen.id, filed_number="（2026）甘0702民初1234号",
                                 filed_on=seen.sent_at.date() if seen.sent_at else date.today(),
                                 expected_version=seen.version)
        type_text(tab.filed_number, "（2026）甘0702民初1235号")
        tab.filed_button.click()
        assert tab.tracking_error.isVisible() and "已被他人更新" in tab.tracking_error.text()
        dialog = tab.conflict_dialog
        assert dialog is not None
        shown = dialog.table.toPlainText()
        assert "民初1234号" in shown and "民初1235号" in shown
        dialog.choose(-1)
        assert tab.filed_number.text() == "（2026）甘0702民初1235号"
        with sqlite_db.read() as session:
            assert transfers.transfers_of(session, world.case_id)[0].filed_number.endswith("民初1234号")
        tab.filed_button.click()
        dialog = tab.conflict_dialog
        assert dialog is not None
        dialog.choose(ConflictDialog.RELOAD)
        assert tab.filed_number.text() == "" and tab.model.rows[0].filed_number.endswith("民初1234号")
    finally:
        desk_a.shutdown()
        assert not desk_a.unhandled, [f.message for f in desk_a.unhandled]


def test_a_clerk_is_told_up_front_and_offered_no_transfer_form(tab_runner: Runner, sqlite_db: Database,
                                                                qtbot: QtBot) -> None:
    """A clerk opens a failed case's transfer tab: the reason (clerks may not transfer) is the
    first thing on it, and no form to fill in is offered; what was recorded stays readable. The
    mediator of the case, on the same case, gets the packet form."""
    built = failed_case(sqlite_db)
    tabs = {}
    for who, actor in (("clerk", built.clerk), ("mediator", built.mediator)):
        tab = tabs[who] = TransferTab(tab_runner, actor)
        qtbot.addWidget(tab)
        tab.resize(1366, 768)
        tab.show()
        tab.show_case(built.case_id)
        qtbot.waitUntil(lambda tab=tab: tab.page is not None)  # type: ignore[misc]
    clerk, mediator = tabs["clerk"], tabs["mediator"]
    assert clerk.refusal_label.isVisible()
    assert clerk.refusal_label.text() == "“受理员”无权终结调解、制作无争议事实或办理移送（只有调解员、中心主任可以）。"
    for widget in (clerk.packet_box, clerk.target_combo, clerk.claims_edit, clerk.export_button,
                   clerk.terminate_button, clerk.reason_edit, clerk.sign_facts_button, clerk.save_facts_button,
                   clerk.sent_button, clerk.outcome_edit):
        assert not widget.isVisible(), widget.objectName()
    assert clerk.facts_edit.isReadOnly() and clerk.facts_edit.toPlainText()  # the signed facts, readable
    assert clerk.tracking_box.isVisible() and clerk.print_facts_button.isVisible()
    # Tab from the top never reaches a field of the transfer form.
    clerk.facts_edit.setFocus()
    for _ in range(12):
        QTest.keyClick(QApplication.focusWidget() or clerk, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() not in (clerk.target_combo, clerk.target_name, clerk.claims_edit)

    assert not mediator.refusal_label.isVisible()
    assert mediator.packet_box.isVisible() and mediator.export_button.isEnabled()
