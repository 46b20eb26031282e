"""The records tab: a mediator writes, corrects, signs and prints the records of a case."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import CaseState, DisputeCase
from mediation_desk.services import records
from mediation_desk.services.actor import Actor
from mediation_desk.services.records import InvestigationInput
from mediation_desk.ui.cases.tabs.records import INVESTIGATION, MEDIATION, RecordsTab

from ..conftest import login_as
from .conftest import Runner, check_model, type_text

pytestmark = pytest.mark.gui


@pytest.fixture
def mediator(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "mediator")


def team_case(db: Database, actor: Actor, state: CaseState = CaseState.IN_MEDIATION) -> int:
    """A demo case of the mediator's team in ``state``."""
    with db.read() as session:
        found = session.scalar(select(DisputeCase.id).where(
            DisputeCase.state == state, DisputeCase.team_id.in_(actor.team_ids)).order_by(DisputeCase.id))
    assert found is not None
    return found


@pytest.fixture
def tab(runner: Runner, mediator: Actor, qtbot: QtBot) -> RecordsTab:
    widget = RecordsTab(runner, mediator)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    return widget


def replace_text(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    QTest.keyClick(widget, Qt.Key.Key_Delete)
    type_text(widget, text)


def fill_mediation(tab: RecordsTab) -> None:
    """A new mediation record (the demo cases may have records already: the last one shows first)."""
    tab.new_mediation_button.click()
    replace_text(tab.place, "中心第二调解室")
    type_text(tab.statements, "申请人称邻居砌墙占用通道；被申请人称墙在自家宅基地内。")
    type_text(tab.outcome, "双方同意拆除围墙一米，费用由被申请人承担。")


def test_notice_is_required_and_nothing_typed_is_lost(tab: RecordsTab, mediator: Actor, demo_sqlite_db: Database,
                                                      qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    case_id = team_case(demo_sqlite_db, mediator)
    tab.show_case(case_id)
    before = tab.model.rowCount()
    QTest.keyClick(tab, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert tab.kind == MEDIATION and tab.record is None
    assert tab.mediators.text() and tab.parties_present.text(), "a new record starts from the case"
    fill_mediation(tab)
    assert tab.dirty and not tab.notice_given.isChecked()
    QTest.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)

    error = tab.findChild(type(tab.form_error), "notice_givenError")
    assert error is not None and error.isVisible()
    assert error.text() == "调解前须告知当事人权利义务，请确认已告知。"
    assert tab.place.text() == "中心第二调解室"
    assert "砌墙" in tab.statements.toPlainText() and "拆除围墙" in tab.outcome.toPlainText()
    with demo_sqlite_db.read() as session:
        assert len(records.records_of(session, case_id)) == before

    tab.notice_given.setFocus()
    QTest.keyClick(tab.notice_given, Qt.Key.Key_Space)
    assert tab.notice_given.isChecked() and not error.isVisible()
    with qtbot.waitSignal(tab.changed):
        QTest.keyClick(tab.place, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab.record is not None and not tab.record.signed and not tab.dirty
    assert tab.saved_label.isVisible()
    assert tab.model.rowCount() == before + 1
    check_model(qtmodeltester, tab.model)
    with demo_sqlite_db.read() as session:
        [saved] = [r for r in records.records_of(session, case_id) if r.id == tab.record.id and r.kind == MEDIATION]
    assert saved.values["notice_given"] is True and saved.place == "中心第二调解室"
    assert "砌墙" in str(saved.values["statements"])


def test_sign_locks_the_record(tab: RecordsTab, mediator: Actor, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    case_id = team_case(demo_sqlite_db, mediator)
    tab.show_case(case_id)
    fill_mediation(tab)
    tab.notice_given.setChecked(True)
    tab.save()
    asked: list[str] = []

    def say_no(title: str, text: str) -> bool:
        asked.append(text)
        return False

    tab.confirm = say_no
    tab.sign_button.click()
    assert len(asked) == 1 and "can no longer be edited" in asked[0]
    assert tab.record is not None and not tab.record.signed
    tab.confirm = lambda title, text: True
    with qtbot.waitSignal(tab.changed):
        tab.sign_button.click()
    assert tab.record is not None and tab.record.signed
    assert tab.place.isReadOnly() and tab.statements.isReadOnly() and not tab.notice_given.isEnabled()
    assert not tab.save_button.isEnabled() and not tab.sign_button.isEnabled()
    assert tab.signed_note.isVisible()
    row = tab.model.row_of(MEDIATION, tab.record.id)
    assert row is not None and tab.table.currentIndex().row() == row
    assert tab.model.text(tab.model.rows[row], tab.model.COL_STATUS) == "Signed (read-only)"
    assert tab.model.data(tab.model.index(row, 0), Qt.ItemDataRole.ForegroundRole) is not None
    # Ctrl+S on a signed record changes nothing.
    QTest.keyClick(tab.place, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with demo_sqlite_db.read() as session:
        [saved] = [r for r in records.records_of(session, case_id) if r.id == tab.record.id and r.kind == MEDIATION]
    assert saved.signed and saved.version == tab.record.version


def test_investigation_needs_the_interviewee(tab: RecordsTab, mediator: Actor, demo_sqlite_db: Database) -> None:
    tab.show_case(team_case(demo_sqlite_db, mediator))
    tab.new_investigation_button.click()
    assert tab.kind == INVESTIGATION
    assert tab.investigators.isVisible() and not tab.statements.isVisible() and not tab.notice_given.isVisible()
    type_text(tab.place, "东关村村委会")
    type_text(tab.content, "村委会证实该通道系两家共用。")
    tab.save()
    error = tab.findChild(type(tab.form_error), "intervieweeError")
    assert error is not None and error.isVisible() and error.text() == "请填写被调查人。"
    assert tab.content.toPlainText() == "村委会证实该通道系两家共用。"
    type_text(tab.interviewee, "村委会主任赵某")
    tab.save()
    assert tab.record is not None and tab.record.kind == INVESTIGATION and not error.isVisible()


def test_conflict_keeps_the_users_text(tab: RecordsTab, mediator: Actor, demo_sqlite_db: Database) -> None:
    case_id = team_case(demo_sqlite_db, mediator)
    tab.show_case(case_id)
    fill_mediation(tab)
    tab.notice_given.setChecked(True)
    tab.save()
    record = tab.record
    assert record is not None
    # A colleague at another desk corrects the same record first (no signal reaches this desk).
    with demo_sqlite_db.write() as session:
        data = records.MediationRecordInput(**{**record.values, "held_at": record.held_at,  # type: ignore[arg-type]
                                                "verification": "同事补充的核实情况"})
        records.update_record(session, mediator, "mediation", record.id, data, expected_version=record.version)
    type_text(tab.verification, "我核实了宅基地证。")
    tab.save()
    assert tab.form_error.isVisible() and "他人修改" in tab.form_error.text()
    assert tab.verification.toPlainText() == "我核实了宅基地证。"
    assert tab.dirty


def test_a_write_elsewhere_reloads_the_list_but_not_the_form(tab: RecordsTab, runner: Runner, mediator: Actor,
                                                             demo_sqlite_db: Database) -> None:
    case_id = team_case(demo_sqlite_db, mediator)
    tab.show_case(case_id)
    before = tab.model.rowCount()
    tab.new_mediation_button.click()
    type_text(tab.statements, "正在记录的陈述")

    def work(session: object) -> None:
        records.add_investigation(session, mediator, case_id, InvestigationInput(  # type: ignore[arg-type]
            held_at=datetime.now() - timedelta(hours=1), place="现场", investigators="李建国", recorder="",
            interviewee="邻居王某", interviewee_relation="证人", content="通道宽约两米。"))

    runner.run_write(work, changes=Changes.cases(case_id))
    assert tab.model.rowCount() == before + 1
    assert tab.kind == MEDIATION and tab.record is None
    assert tab.statements.toPlainText() == "正在记录的陈述"
    row = next(i for i, r in enumerate(tab.model.rows) if r.values.get("interviewee") == "邻居王某")
    # Choosing the other record asks before throwing the typing away; "No" keeps it.
    tab.confirm = lambda title, text: False
    tab.table.setCurrentIndex(tab.model.index(row, 0))
    assert tab.record is None and tab.statements.toPlainText() == "正在记录的陈述"
    tab.confirm = lambda title, text: True
    tab.table.setCurrentIndex(tab.model.index(row, 1))
    assert tab.record is not None and tab.kind == INVESTIGATION and tab.interviewee.text() == "邻居王某"


def test_clerk_reads_but_does_not_write(runner: Runner, demo_sqlite_db: Database, mediator: Actor,
                                        qtbot: QtBot) -> None:
    clerk = login_as(demo_sqlite_db, "clerk")
    tab = RecordsTab(runner, clerk)
    qtbot.addWidget(tab)
    tab.show()
    tab.show_case(team_case(demo_sqlite_db, mediator))
    assert not tab.new_mediation_button.isEnabled() and not tab.save_button.isEnabled()
    assert tab.read_only_label.isVisible() and "Only the mediators" in tab.read_only_label.text()


def test_print_preview_of_the_saved_record(tab: RecordsTab, mediator: Actor, demo_sqlite_db: Database,
                                           qtbot: QtBot) -> None:
    tab.show_case(team_case(demo_sqlite_db, mediator))
    fill_mediation(tab)
    assert not tab.print_button.isEnabled(), "nothing saved to print yet"
    tab.notice_given.setChecked(True)
    tab.save()
    QTest.keyClick(tab.place, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = tab.preview
    assert preview is not None and preview.parent() is tab  # closed with the tab
    qtbot.waitUntil(lambda: preview.page_count > 0)
    assert preview.status_label.isHidden()
    assert preview.windowTitle().endswith(tab.model.text(tab.record, tab.model.COL_TIME))  # type: ignore[arg-type]
    preview.close()


def test_a_saved_records_long_line_shows_its_start(tab: RecordsTab, mediator: Actor, demo_sqlite_db: Database,
                                                    qtbot: QtBot, app_fonts: str | None) -> None:
    """到场当事人 of a busy case is longer than its field: shown again, the record read from the
    line's end (…法定代表人）), the first names out of sight."""
    case_id = team_case(demo_sqlite_db, mediator)
    tab.show_case(case_id)
    fill_mediation(tab)
    present = "常玉鹏、王建军、李秀英、赵国庆、" * 8 + "刘秀（甘州区恒通汽车运输有限公司法定代表人）"
    tab.parties_present.setText(present)
    tab.notice_given.setChecked(True)
    with qtbot.waitSignal(tab.changed):
        tab.save()
    saved = tab.record
    assert saved is not None
    tab.show_case(case_id)  # opened again: the record read back
    row = tab.model.row_of(MEDIATION, saved.id)
    assert row is not None
    tab.table.setCurrentIndex(tab.model.index(row, 0))
    assert tab.record is not None and tab.record.id == saved.id
    assert tab.parties_present.text() == present
    assert tab.parties_present.fontMetrics().horizontalAdvance(present) > tab.parties_present.width()
    assert tab.parties_present.cursorPosition() == 0


def test_the_list_shows_every_column_in_the_case_pages_width(runner: Runner, mediator: Actor,
                                                              demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """In the case page's half of a 1366-wide window (~590 px) the list shows each record's time, kind,
    place, summary and state (已签名 among them) without a sideways scroll; beside the form it had
    ~190 px and only the time and kind. The form below keeps the tab's width for its statements."""
    widget = RecordsTab(runner, mediator)
    qtbot.addWidget(widget)
    widget.resize(590, 640)
    widget.show()
    case_id = team_case(demo_sqlite_db, mediator)

    def work(session: object) -> None:
        records.add_investigation(session, mediator, case_id, InvestigationInput(  # type: ignore[arg-type]
            held_at=datetime.now() - timedelta(hours=1), place="甘州区梁家墩镇六号村村委会调解室",
            investigators="李建国", recorder="", interviewee="邻居王某", interviewee_relation="证人",
            content="通道宽约两米。"))

    runner.run_write(work, changes=Changes.cases(case_id))
    widget.show_case(case_id)
    assert widget.model.rowCount() > 0
    header = widget.table.horizontalHeader()
    viewport = widget.table.viewport().width()
    for column in range(widget.model.columnCount()):
        assert header.sectionViewportPosition(column) >= 0
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= viewport, column
    assert widget.table.horizontalScrollBar().maximum() == 0
    room = widget.table.fontMetrics().horizontalAdvance("中心“老马说和”工作室")
    assert header.sectionSize(widget.model.COL_PLACE) >= room, "a room's name is read whole"
    assert widget.scroll_area.width() >= widget.width() - 20
    assert widget.table.height() >= 3 * widget.table.verticalHeader().defaultSectionSize()
