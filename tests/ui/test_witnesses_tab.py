"""The witnesses-and-evidence tab: a witness typed (Chinese by input method), added, listed and
removed; an empty name refused under the name field with nothing typed lost; an evidence's source
and purpose typed and stored; the court summary printed afterwards carries them (read back from the
PDF); another team's mediator is refused."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.exchange import letters
from mediation_desk.models import CaseState, DisputeCase, Role
from mediation_desk.services import evidence
from mediation_desk.services.actor import Actor
from mediation_desk.services.evidence import WitnessInput
from mediation_desk.ui.cases.tabs.witnesses import WitnessesModel, WitnessesTab
from mediation_desk.ui.common import i18n
from mediation_desk.ui.common.conflict_dialog import ConflictDialog

from ..documents.casefile import ON_STORY_DAY
from ..documents.conftest import compact, pdf_text
from ..exchange.casebuild import CLAIMS, Failed, failed_case
from ..services.helpers import make_team, make_user
from .conftest import Runner, check_model, type_text

pytestmark = [pytest.mark.gui, ON_STORY_DAY]
SHOTS = os.environ.get("MEDIATION_DESK_SHOTS")
COURT = "张掖市甘州区人民法院"


@pytest.fixture
def tab_runner(sqlite_db: Database) -> Iterator[Runner]:
    runner = Runner(sqlite_db)
    yield runner
    runner.shutdown(dispose=False)
    assert not runner.unhandled, [f.message for f in runner.unhandled]


@pytest.fixture
def world(sqlite_db: Database) -> Failed:
    return failed_case(sqlite_db)


def _tab(runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication, actor: Actor | None = None) -> WitnessesTab:
    i18n.register_fonts(qapp)
    tab = WitnessesTab(runner, world.mediator if actor is None else actor)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    with qtbot.waitSignal(tab.loaded):
        tab.show_case(world.case_id)
    return tab


def test_add_refuse_list_remove_witness_and_describe_evidence(
        tab_runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication, qtmodeltester: ModelTester,
        chinese: None) -> None:
    tab = _tab(tab_runner, world, qtbot, qapp)
    check_model(qtmodeltester, tab.model)
    assert tab.model.rowCount() == 0
    assert tab.named_by_combo.itemText(tab.named_by_combo.count() - 1) == "调解员查明"
    # An empty name: the service's message under the name field; the other fields keep their text.
    type_text(tab.address_edit, "张掖市甘州区南街街道馨园小区网格站")
    QTest.keyClicks(tab.phone_edit, "13993612345")
    type_text(tab.proves_edit, "2025年8月曾到车库查看渗水情况")
    QTest.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.field_errors["name"].isVisible() and tab.field_errors["name"].text() == "请填写证人姓名。"
    assert tab.address_edit.text() == "张掖市甘州区南街街道馨园小区网格站"
    assert tab.phone_edit.text() == "13993612345"
    assert tab.proves_edit.toPlainText() == "2025年8月曾到车库查看渗水情况"
    assert tab.model.rowCount() == 0
    if SHOTS:
        tab.grab().save(str(Path(SHOTS) / "witnesses_tab_refused.png"))
    # Named by the first party (the applicant), then added and listed.
    applicant = tab.named_by_combo.itemText(0).split("（")[0]
    tab.named_by_combo.setCurrentIndex(0)
    type_text(tab.name_edit, "刘强")
    with qtbot.waitSignal(tab.loaded):
        QTest.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert not tab.field_errors["name"].isVisible()
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, tab.model.COL_NAME).data() == "刘强"
    assert tab.model.index(0, tab.model.COL_NAMED_BY).data() == applicant
    assert tab.name_edit.text() == "" and "刘强" in tab.witness_message.text()
    check_model(qtmodeltester, tab.model)
    # A second one found by the mediators, then removed again.
    type_text(tab.name_edit, "吉𠮷")
    type_text(tab.address_edit, "馨园小区3号楼2单元501室")
    type_text(tab.proves_edit, "车库渗水始于2025年7月")
    tab.named_by_combo.setCurrentIndex(tab.named_by_combo.count() - 1)
    with qtbot.waitSignal(tab.loaded):
        QTest.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 2
    assert tab.model.index(1, tab.model.COL_NAMED_BY).data() == "调解员查明"
    tab.table.setCurrentIndex(tab.model.index(1, 0))
    with qtbot.waitSignal(tab.loaded):
        QTest.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert [w.name for w in tab.model.rows] == ["刘强"]
    # Evidence: an empty purpose is refused under its field, the source typed is kept; then stored.
    assert tab.evidence_combo.count() == 1 and tab.save_evidence_button.isEnabled()
    tab.source_edit.clear()
    tab.purpose_edit.clear()
    type_text(tab.source_edit, "申请人于2025年8月2日拍摄")
    QTest.mouseClick(tab.save_evidence_button, Qt.MouseButton.LeftButton)
    assert tab.evidence_errors["purpose"].isVisible() and tab.evidence_errors["purpose"].text() == "请填写证明目的。"
    assert tab.source_edit.text() == "申请人于2025年8月2日拍摄"
    type_text(tab.purpose_edit, "证明车库顶板渗水的位置和范围")
    with qtbot.waitSignal(tab.loaded):
        QTest.mouseClick(tab.save_evidence_button, Qt.MouseButton.LeftButton)
    assert not tab.evidence_errors["purpose"].isVisible()
    if SHOTS:
        tab.grab().save(str(Path(SHOTS) / "witnesses_tab.png"))
    with world.db.read() as session:
        page = evidence.evidence_page(session, world.mediator, world.case_id)
    assert [(e.source, e.purpose) for e in page.evidence] == [
        ("申请人于2025年8月2日拍摄", "证明车库顶板渗水的位置和范围")]
    # The court summary prints what was typed.
    with world.db.write() as session:
        printed = letters.print_transfer_letter(session, world.mediator, world.case_id, target="court",
                                                target_name=COURT, claims=CLAIMS)
    text = compact(pdf_text(printed.summary))
    assert (f"1.刘强（{applicant}提出），住张掖市甘州区南街街道馨园小区网格站，联系电话：13993612345。"
            "拟证明：2025年8月曾到车库查看渗水情况。") in text
    assert "车库渗水始于2025年7月" not in text  # the removed one
    assert "申请人于2025年8月2日拍摄" in text and "证明车库顶板渗水的位置和范围" in text


def test_refusals_as_the_service_says_and_nothing_typed_is_lost(
        tab_runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication, chinese: None) -> None:
    # The window clerk sees the case but does no casework: the tab is read-only and says why.
    tab = _tab(tab_runner, world, qtbot, qapp, world.clerk)
    assert tab.read_only_label.isVisible()
    assert tab.read_only_label.text() == "只有本案调解团队的调解员和中心主任可以登记、修改证人和证据说明。"
    assert not tab.add_button.isEnabled() and not tab.name_edit.isEnabled()
    assert not tab.save_evidence_button.isEnabled()
    with world.db.read() as session:
        assert evidence.witnesses_of(session, world.case_id) == []
    # A mediator of another team does not even see the case's witnesses.
    _team_id, mediator_id = make_team(world.db, name="婚姻家庭调解团队", mediator_name="王其他")
    other = make_user(world.db, "other", Role.MEDIATOR, mediator_id=mediator_id)
    stranger = WitnessesTab(tab_runner, other)
    qtbot.addWidget(stranger)
    stranger.show()
    stranger.show_case(world.case_id)
    qtbot.waitUntil(stranger.load_error.isVisible)
    assert "不属于您所在的调解团队" in stranger.load_error.text()
    assert not stranger.add_button.isEnabled() and not stranger.save_evidence_button.isEnabled()
    # Nor does the administrator, who sees no case content.
    admin = WitnessesTab(tab_runner, make_user(world.db, "admin2", Role.ADMIN))
    qtbot.addWidget(admin)
    admin.show()
    admin.show_case(world.case_id)
    qtbot.waitUntil(admin.load_error.isVisible)
    assert admin.load_error.text() and not admin.add_button.isEnabled()


LIU = WitnessInput(name="刘强", address="网格站", phone="13993612345", proves="2025年8月见到车库渗水")


def _retype(widget: QLineEdit, text: str) -> None:
    """Select what the field holds and type over it, as a person would."""
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(widget, Qt.Key.Key_Delete)
    type_text(widget, text)


def _open_row(tab: WitnessesTab, row: int) -> None:
    rect = tab.table.visualRect(tab.model.index(row, WitnessesModel.COL_NAME))
    QTest.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_witness_is_corrected_in_the_form_by_double_click_or_enter(
        tab_runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication, qtmodeltester: ModelTester,
        chinese: None) -> None:
    with world.db.write() as session:
        evidence.add_witness(session, world.mediator, world.case_id, LIU)
        evidence.add_witness(session, world.mediator, world.case_id, WitnessInput(
            name="吉𠮷", address="馨园小区3号楼", proves="车库渗水始于2025年7月"))
    tab = _tab(tab_runner, world, qtbot, qapp)
    check_model(qtmodeltester, tab.model)
    assert tab.form_title.text() == "登记新证人" and tab.add_button.isVisible() and not tab.save_button.isVisible()
    # A double-click opens the row in the form: 保存 instead of 添加证人.
    _open_row(tab, 0)
    assert tab.form_title.text() == "修改证人刘强（第 1 位）"
    assert (tab.name_edit.text(), tab.address_edit.text(), tab.phone_edit.text(), tab.proves_edit.toPlainText()) == (
        "刘强", "网格站", "13993612345", "2025年8月见到车库渗水")
    assert tab.named_by_combo.currentText() == "调解员查明"
    assert tab.save_button.isVisible() and tab.save_button.isEnabled() and not tab.add_button.isVisible()
    assert tab.save_button.text() == "保存"
    _retype(tab.address_edit, "甘州区南街街道馨园小区网格站")
    tab.named_by_combo.setCurrentIndex(0)
    applicant = tab.named_by_combo.currentText().split("（")[0]
    with qtbot.waitSignal(tab.loaded):
        QTest.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.witness_message.text() == "证人刘强已保存。"
    assert tab.form_title.text() == "登记新证人" and tab.name_edit.text() == "" and tab.add_button.isVisible()
    assert tab.model.index(0, WitnessesModel.COL_ADDRESS).data() == "甘州区南街街道馨园小区网格站"
    assert tab.model.index(0, WitnessesModel.COL_NAMED_BY).data() == applicant
    assert [w.seq for w in tab.model.rows] == [1, 2]  # corrected in place, not re-added at the end
    check_model(qtmodeltester, tab.model)
    # Enter on the second row opens it; 取消修改 returns to a new witness, nothing saved.
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(1, 0))
    QTest.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.form_title.text() == "修改证人吉𠮷（第 2 位）" and tab.name_edit.text() == "吉𠮷"
    _retype(tab.name_edit, "吉𠮷𠮷")
    # Opening another row now would drop the typing: refused, the form keeps it.
    _open_row(tab, 0)
    assert tab.name_edit.text() == "吉𠮷𠮷" and "尚未保存" in tab.witness_message.text()
    QTest.mouseClick(tab.cancel_edit_button, Qt.MouseButton.LeftButton)
    assert tab.form_title.text() == "登记新证人" and tab.name_edit.text() == ""
    # An empty name is refused under the field; the rest of the correction stays typed.
    QTest.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    _retype(tab.name_edit, "")
    _retype(tab.address_edit, "馨园小区3号楼2单元501室")
    QTest.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.field_errors["name"].isVisible() and tab.field_errors["name"].text() == "请填写证人姓名。"
    assert tab.address_edit.text() == "馨园小区3号楼2单元501室" and tab.save_button.isVisible()
    with world.db.read() as session:
        assert [(w.name, w.address, w.version) for w in evidence.witnesses_of(session, world.case_id)] == [
            ("刘强", "甘州区南街街道馨园小区网格站", 2), ("吉𠮷", "馨园小区3号楼", 1)]
    if SHOTS:
        tab.grab().save(str(Path(SHOTS) / "witnesses_tab_editing.png"))


def test_a_stale_correction_opens_the_conflict_dialog(
        tab_runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication, chinese: None) -> None:
    with world.db.write() as session:
        added = evidence.add_witness(session, world.mediator, world.case_id, LIU)
    tab = _tab(tab_runner, world, qtbot, qapp)
    _open_row(tab, 0)
    with world.db.write() as session:  # another desk corrects the address meanwhile
        evidence.edit_witness(session, world.head, added.id, WitnessInput(
            name="刘强", address="南街街道网格站", phone=LIU.phone, proves=LIU.proves), expected_version=1)
    tab.proves_edit.setFocus()
    QTest.keyClick(tab.proves_edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(tab.proves_edit, "，并拍了照片")
    QTest.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "刚被他人修改" in tab.witness_message.text()
    dialog = tab.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.who == "head"
    shown = dialog.table.toPlainText()
    assert "南街街道网格站" in shown and "并拍了照片" in shown
    dialog.choose(-1)  # keep editing: the form as typed, still the old version
    assert tab.proves_edit.toPlainText() == "2025年8月见到车库渗水，并拍了照片"
    QTest.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    dialog = tab.conflict_dialog
    assert dialog is not None
    with qtbot.waitSignal(tab.loaded):
        dialog.choose(ConflictDialog.REAPPLY)
    with world.db.read() as session:
        [now] = evidence.witnesses_of(session, world.case_id)
    assert (now.address, now.proves, now.version) == ("南街街道网格站", "2025年8月见到车库渗水，并拍了照片", 3)


def test_an_evidence_description_saved_meanwhile_is_a_conflict(
        tab_runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication, chinese: None) -> None:
    tab = _tab(tab_runner, world, qtbot, qapp)
    photo = tab.evidence_combo.currentData()
    with world.db.write() as session:
        evidence.describe_evidence(session, world.head, photo, source="物业提供", purpose="证明渗水",
                                   expected_version=0)
    type_text(tab.source_edit, "申请人拍摄")
    type_text(tab.purpose_edit, "证明渗水的位置")
    QTest.mouseClick(tab.save_evidence_button, Qt.MouseButton.LeftButton)
    assert "刚被他人修改" in tab.evidence_message.text()
    dialog = tab.conflict_dialog
    assert isinstance(dialog, ConflictDialog)
    assert "物业提供" in dialog.table.toPlainText() and "申请人拍摄" in dialog.table.toPlainText()
    dialog.choose(ConflictDialog.RELOAD)
    assert (tab.source_edit.text(), tab.purpose_edit.text()) == ("物业提供", "证明渗水")
    _retype(tab.source_edit, "物业公司于2025年8月提供")
    with qtbot.waitSignal(tab.loaded):
        QTest.mouseClick(tab.save_evidence_button, Qt.MouseButton.LeftButton)
    with world.db.read() as session:
        [item] = evidence.evidence_page(session, world.mediator, world.case_id).evidence
    assert (item.source, item.purpose, item.version) == ("物业公司于2025年8月提供", "证明渗水", 2)


def test_a_closed_case_shows_the_tab_read_only_with_the_reason(
        tab_runner: Runner, world: Failed, qtbot: QtBot, qapp: QApplication, chinese: None) -> None:
    with world.db.write() as session:
        evidence.add_witness(session, world.mediator, world.case_id, LIU)
        case = session.get(DisputeCase, world.case_id)
        assert case is not None
        case.state = CaseState.CLOSED
    tab = _tab(tab_runner, world, qtbot, qapp)
    assert tab.read_only_label.isVisible()
    assert tab.read_only_label.text() == (f"案件 {world.number} 已结案，不能再添加、修改或删除证人和证据说明。"
                                          "证人和证据可以查看、打印。")
    assert tab.model.rowCount() == 1  # still read
    for button in (tab.add_button, tab.edit_button, tab.remove_button, tab.save_evidence_button):
        assert not button.isEnabled()
    assert not tab.name_edit.isEnabled() and tab.proves_edit.isReadOnly() and not tab.source_edit.isEnabled()
    _open_row(tab, 0)
    assert tab.form_title.text() == "登记新证人" and tab.name_edit.text() == ""
    if SHOTS:
        tab.grab().save(str(Path(SHOTS) / "witnesses_tab_closed.png"))
