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
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.exchange import letters
from mediation_desk.models import Role
from mediation_desk.services import evidence
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.tabs.witnesses import WitnessesTab
from mediation_desk.ui.common import i18n

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
    # The window clerk sees the case but does no casework: the add is refused, the typing kept.
    tab = _tab(tab_runner, world, qtbot, qapp, world.clerk)
    type_text(tab.name_edit, "刘强")
    type_text(tab.address_edit, "馨园小区")
    type_text(tab.proves_edit, "渗水")
    QTest.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert "登记证人" in tab.witness_message.text() and tab.witness_message.isVisible()
    assert tab.name_edit.text() == "刘强" and tab.proves_edit.toPlainText() == "渗水"
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
