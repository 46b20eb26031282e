"""Two desks edit the same 各方陈述: the conflict dialog's default keeps both colleagues' words.

Desk A (the center head, 陈志强) and desk B (the mediator, 李建国) have the same mediation record
open, each through its own ``Database`` on the same database, so nothing passes between them except
through the database. A adds to the statements and saves; B, still editing the same field, saves
too, is refused, and presses Enter on the dialog: the highlighted button merges, B's editor holds
A's words and B's, B saves, and the row holds both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import URL

from mediation_desk.db import Database
from mediation_desk.readmodels.records import RecordInfo
from mediation_desk.services import records
from mediation_desk.services.actor import Actor
from mediation_desk.services.textmerge import END_MARKER, MINE_HEADING, has_markers
from mediation_desk.ui.cases.tabs.records import RecordsTab
from mediation_desk.ui.common import i18n
from mediation_desk.ui.common.conflict_dialog import ConflictDialog

from ..conftest import login_as
from ..services.helpers import BACKENDS, seeded_demo
from .conftest import Runner, type_text
from .test_records_tab import fill_mediation, team_case

pytestmark = pytest.mark.gui

A_ADDS = "陈主任补充：申请人同意先清出一米宽通道。"
B_ADDS = "李建国补充：被申请人要求申请人书面道歉。"


class Desk:
    """One computer: its own database connection, task runner and records tab."""

    def __init__(self, url: URL, username: str, qtbot: QtBot) -> None:
        self.database = Database(url)
        self.runner = Runner(self.database)
        self.actor: Actor = login_as(self.database, username)
        self.tab = RecordsTab(self.runner, self.actor)
        self.tab.confirm = self.answer
        self.questions: list[str] = []
        self.answers: list[bool] = []
        qtbot.addWidget(self.tab)
        self.tab.resize(1300, 700)
        self.tab.show()
        self.qtbot = qtbot

    def sit_down(self) -> None:
        """The person turns to this computer: its window is the active one (shortcuts need that)."""
        with self.qtbot.waitActive(self.tab):
            self.tab.activateWindow()

    def answer(self, title: str, text: str) -> bool:
        self.questions.append(text)
        return self.answers.pop(0)

    def close(self) -> None:
        self.runner.shutdown()
        assert not self.runner.unhandled, [f.message for f in self.runner.unhandled]


@pytest.fixture(params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The demo center, on SQLite and on PostgreSQL: the test's own copy of the one seeded once a
    worker (helpers.seeded_demo)."""
    with seeded_demo(request, tmp_path, 60) as db:
        yield db


@pytest.fixture
def desks(demo_db: Database, qtbot: QtBot) -> Iterator[tuple[Desk, Desk, RecordInfo]]:
    """Desk A writes a mediation record; desk B opens it too. Neither has unsaved changes."""
    desk_a = Desk(demo_db.url, "head", qtbot)
    desk_b = Desk(demo_db.url, "mediator", qtbot)
    case_id = team_case(demo_db, desk_b.actor)
    desk_a.tab.show_case(case_id)
    fill_mediation(desk_a.tab)
    desk_a.tab.notice_given.setChecked(True)
    desk_a.tab.save()
    record = desk_a.tab.record
    assert record is not None and not desk_a.tab.dirty
    desk_b.tab.show_case(case_id)
    assert desk_b.tab.record is not None and desk_b.tab.record.id == record.id
    yield desk_a, desk_b, record
    desk_b.close()
    desk_a.close()


def stored(db: Database, record: RecordInfo) -> RecordInfo:
    with db.read() as session:
        return next(r for r in records.records_of(session, record.case_id)
                    if (r.kind, r.id) == (record.kind, record.id))


def type_at_end(desk: Desk, box: QPlainTextEdit, text: str) -> None:
    desk.sit_down()
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(box, text)


def press_enter(dialog: ConflictDialog) -> None:
    """Enter, where the keyboard focus is in the dialog, as a person presses it."""
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)


def delete_line_with(box: QPlainTextEdit, marker: str) -> None:
    """Click on the line holding ``marker`` and delete it with the keyboard."""
    cursor = box.document().find(marker)
    assert not cursor.isNull(), marker
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    box.setTextCursor(cursor)
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(box, Qt.Key.Key_Delete)
    QTest.keyClick(box, Qt.Key.Key_Delete)  # the line break


def save_with_keyboard(desk: Desk) -> None:
    desk.sit_down()
    QTest.keyClick(desk.tab.statements, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_both_adding_to_the_statements_keeps_both_words(
        chinese: None, qapp: QApplication, desks: tuple[Desk, Desk, RecordInfo], demo_db: Database,
        tmp_path: Path) -> None:
    desk_a, desk_b, record = desks
    i18n.register_fonts(qapp)  # Chinese in the screenshots
    base = record.values["statements"]
    assert isinstance(base, str)

    # B starts adding to the statements (not saved yet); A adds to the same place and saves first.
    type_at_end(desk_b, desk_b.tab.statements, B_ADDS)
    type_at_end(desk_a, desk_a.tab.statements, A_ADDS)
    save_with_keyboard(desk_a)
    assert desk_a.tab.form_error.isHidden() and not desk_a.tab.dirty
    saved_by_a = stored(demo_db, record)
    assert saved_by_a.values["statements"] == base + A_ADDS

    # B saves: refused, and the dialog shows what B started from, A's version and B's, and names A.
    save_with_keyboard(desk_b)
    dialog = desk_b.tab.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    assert stored(demo_db, record).values == saved_by_a.values  # nothing overwritten
    assert dialog.who == "陈志强" and dialog.at is not None
    with demo_db.read() as session:
        assert records.last_write(session, record.kind, record.id).at == dialog.at
    intro = dialog.findChild(type(desk_b.tab.form_title), "conflictIntro")
    assert intro is not None and "陈志强" in intro.text() and f"{dialog.at:%Y-%m-%d %H:%M}" in intro.text()
    shown = dialog.table.toPlainText()
    assert "您打开时的内容" in shown and f"陈志强保存的（{dialog.at:%Y-%m-%d %H:%M}）" in shown
    assert shown.count(base) >= 3 and A_ADDS in shown and B_ADDS in shown  # base, theirs, mine
    [change] = dialog.changes
    assert change.name == "statements" and change.clash
    # The highlighted button is the merge, and it has the keyboard focus.
    assert dialog.default_button is dialog.merge_button and dialog.merge_button.isDefault()
    assert dialog.merge_button.text() == "合并双方内容到表单，核对后保存"
    shots = Path(os.environ.get("MEDIATION_DESK_SHOTS") or tmp_path)  # screenshots, to look at
    desk_b.tab.resize(1366, 768)
    QApplication.processEvents()
    dialog.grab().save(str(shots / "conflict_merge_dialog.png"))

    press_enter(dialog)

    # B's editor holds A's words and B's, marked with whose each is; nothing is saved yet.
    assert desk_b.tab.conflict_dialog is None and desk_b.tab.dirty
    merged = desk_b.tab.statements.toPlainText()
    assert merged.startswith(base) and A_ADDS in merged and B_ADDS in merged
    assert f"【同事 陈志强 于 {dialog.at:%Y-%m-%d %H:%M} 保存的内容】" in merged
    assert merged.index(A_ADDS) < merged.index(MINE_HEADING) < merged.index(B_ADDS) < merged.index(END_MARKER)
    assert desk_b.tab.merge_note.isVisible() and "陈志强" in desk_b.tab.merge_note.text()
    # The cursor waits on the first marker, in the field, where B's window has its focus.
    assert desk_b.tab.focusWidget() is desk_b.tab.statements
    assert desk_b.tab.statements.textCursor().selectedText().startswith("【同事 陈志强")
    assert stored(demo_db, record).values == saved_by_a.values
    desk_b.tab.grab().save(str(shots / "conflict_merge_form.png"))

    # Saving with the markers still in asks first; No keeps the form as it is.
    desk_b.answers.append(False)
    save_with_keyboard(desk_b)
    assert desk_b.questions and "各方陈述" in desk_b.questions[-1]
    assert stored(demo_db, record).version == saved_by_a.version and desk_b.tab.dirty

    # B deletes the three marker lines and saves: the row holds A's addition and B's.
    for marker in ("【同事 陈志强", MINE_HEADING, END_MARKER):
        delete_line_with(desk_b.tab.statements, marker)
    assert not has_markers(desk_b.tab.statements.toPlainText())
    save_with_keyboard(desk_b)
    assert desk_b.tab.form_error.isHidden() and not desk_b.tab.dirty, desk_b.tab.form_error.text()
    final = stored(demo_db, record)
    assert final.version == saved_by_a.version + 1
    statements = final.values["statements"]
    assert isinstance(statements, str)
    assert statements.startswith(base) and A_ADDS in statements and B_ADDS in statements
    assert not has_markers(statements)
    assert len(desk_b.questions) == 1

    # A's view, read again (as the live refresh does), shows both too.
    desk_a.tab.reload()
    assert A_ADDS in desk_a.tab.statements.toPlainText() and B_ADDS in desk_a.tab.statements.toPlainText()


def test_edits_in_different_places_merge_without_markers(
        desks: tuple[Desk, Desk, RecordInfo], demo_db: Database) -> None:
    desk_a, desk_b, record = desks
    base = record.values["statements"]
    assert isinstance(base, str) and base.startswith("申请人称")

    # B corrects the beginning; A adds a sentence at the end and saves first.
    box = desk_b.tab.statements
    desk_b.sit_down()
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    type_text(box, "经核实，")
    type_at_end(desk_a, desk_a.tab.statements, A_ADDS)
    save_with_keyboard(desk_a)
    save_with_keyboard(desk_b)
    dialog = desk_b.tab.conflict_dialog
    assert dialog is not None and dialog.default_button is dialog.merge_button

    press_enter(dialog)
    assert desk_b.tab.statements.toPlainText() == "经核实，" + base + A_ADDS
    assert desk_b.tab.merge_note.isVisible() and desk_b.tab.dirty
    save_with_keyboard(desk_b)
    assert not desk_b.tab.dirty and not desk_b.questions
    assert stored(demo_db, record).values["statements"] == "经核实，" + base + A_ADDS


def test_a_case_action_has_no_merge_and_keeps_its_default(qtbot: QtBot) -> None:
    dialog = ConflictDialog("甘矛调〔2026〕1号", [], can_reapply=True)
    qtbot.addWidget(dialog)
    assert dialog.merge_button.isHidden() and not dialog.merge_button.isEnabled()
    assert dialog.default_button is dialog.reapply_button
    gone = ConflictDialog("甘矛调〔2026〕1号", [], can_reapply=False)
    qtbot.addWidget(gone)
    assert gone.default_button is gone.keep_button  # Enter never re-does nor drops anything


def test_the_agreement_keeps_both_texts_and_both_terms(demo_db: Database, qtbot: QtBot) -> None:
    from datetime import date, timedelta

    from mediation_desk.services import agreements
    from mediation_desk.ui.cases.tabs.agreement import AgreementTab, TermsModel

    from .test_agreement_tab import case_without_agreement, drafted, write_one_term

    def open_tab(username: str) -> tuple[AgreementTab, Runner, list[str]]:
        task_runner = Runner(Database(demo_db.url))
        agreement_tab = AgreementTab(task_runner, login_as(task_runner.database, username))
        questions: list[str] = []

        def yes(_title: str, text: str) -> bool:  # save it as it is
            questions.append(text)
            return True

        agreement_tab.confirm = yes
        qtbot.addWidget(agreement_tab)
        agreement_tab.resize(1300, 760)
        agreement_tab.show()
        return agreement_tab, task_runner, questions

    tab_a, runner_a, _ = open_tab("head")
    tab_b, runner_b, questions_b = open_tab("mediator")
    try:
        case_id = case_without_agreement(demo_db, login_as(demo_db, "mediator"))
        drafted(tab_a, qtbot, case_id)
        tab_b.show_case(case_id)
        assert tab_a.agreement is not None and tab_b.agreement is not None

        type_text(tab_b.responsibilities, "乙：申请人亦有过错。")  # B's edit, not saved yet
        obligor = next(iter(tab_b.terms_model.parties))
        tab_b.add_term()
        model = tab_b.terms_model
        model.setData(model.index(0, TermsModel.COL_OBLIGOR), obligor, TermsModel.PartyIdRole)
        model.setData(model.index(0, TermsModel.COL_CONTENT), "恢复通道原状")
        model.setData(model.index(0, TermsModel.COL_DUE), date.today() + timedelta(days=20))
        type_text(tab_a.responsibilities, "甲：被申请人负主要责任。")
        write_one_term(tab_a, obligor)
        with qtbot.waitSignal(tab_a.changed):
            tab_a.save()

        tab_b.save()
        dialog = tab_b.conflict_dialog
        assert dialog is not None and dialog.who == "陈志强" and dialog.default_button is dialog.merge_button
        press_enter(dialog)

        assert tab_b.conflict_dialog is None
        text = tab_b.responsibilities.toPlainText()
        assert "甲：被申请人负主要责任。" in text and "乙：申请人亦有过错。" in text and has_markers(text)
        assert [t.content for t in tab_b.terms_model.terms] == ["支付补偿款", "恢复通道原状"]  # theirs, then mine
        assert tab_b.merge_note.isVisible() and "陈志强" in tab_b.merge_note.text()
        assert "Responsibilities" in tab_b.merge_note.text() and "Agreed terms" in tab_b.merge_note.text()
        with demo_db.read() as session:
            assert [t.content for t in agreements.agreements_of(session, case_id)[-1].terms] == ["支付补偿款"]

        with qtbot.waitSignal(tab_b.changed):
            tab_b.save()  # asked about the markers, answered yes
        assert len(questions_b) == 1 and tab_b.form_error.isHidden()
        with demo_db.read() as session:
            final = agreements.agreements_of(session, case_id)[-1]
        assert "甲：被申请人负主要责任。" in final.responsibilities and "乙：申请人亦有过错。" in final.responsibilities
        assert [t.content for t in final.terms] == ["支付补偿款", "恢复通道原状"]
    finally:
        runner_b.shutdown()
        runner_a.shutdown()
    assert not runner_a.unhandled and not runner_b.unhandled


def test_merge_fields_merges_texts_and_lets_mine_win_elsewhere() -> None:
    from datetime import datetime

    from mediation_desk.ui.common.conflict_dialog import merge_fields

    base = {"place": "一室", "copies": 3, "statements": "甲称。乙称。", "outcome": "未达成。"}
    theirs = {"place": "二室", "copies": 4, "statements": "甲称。乙称。丙补充。", "outcome": "未达成。"}
    mine = {"place": "三室", "copies": 3, "statements": "甲称属实。乙称。", "outcome": "达成一致。"}
    both = merge_fields(base, theirs, mine, texts={"statements", "outcome"}, who="王某",
                        at=datetime(2026, 12, 4, 10, 31))
    assert both.values == {"place": "三室", "copies": 4, "statements": "甲称属实。乙称。丙补充。",
                           "outcome": "达成一致。"}
    assert both.marked == ()
    clash = merge_fields(base, theirs | {"outcome": "部分达成。"}, mine, texts={"statements", "outcome"}, who="王某")
    assert clash.marked == ("outcome",)
    assert "部分达成。" in clash.values["outcome"] and "达成一致。" in clash.values["outcome"]
    assert "【同事 王某 保存的内容】" in clash.values["outcome"]


def test_undisputed_facts_two_desks_keep_both(db: Database, qtbot: QtBot) -> None:
    """The facts of a case: A drafts them while B, who opened the tab before, types his own."""
    from mediation_desk.services import termination
    from mediation_desk.ui.cases.tabs.transfer import TransferTab

    from ..exchange.casebuild import in_mediation

    world = in_mediation(db)

    def open_tab(actor: Actor) -> tuple[TransferTab, Runner]:
        task_runner = Runner(Database(db.url))
        transfer_tab = TransferTab(task_runner, actor)
        qtbot.addWidget(transfer_tab)
        transfer_tab.resize(1300, 760)
        transfer_tab.show()
        transfer_tab.show_case(world.case_id)
        return transfer_tab, task_runner

    tab_a, runner_a = open_tab(world.head)
    tab_b, runner_b = open_tab(world.mediator)
    try:
        type_text(tab_a.facts_edit, "甲：车库顶板渗水属实。")
        with qtbot.waitSignal(tab_a.changed):
            tab_a.save_facts_button.click()
        type_text(tab_b.facts_edit, "乙：渗水始于今年五月。")
        tab_b.save_facts_button.click()  # B started from no facts: refused, nothing overwritten
        with db.read() as session:
            saved = termination.undisputed_facts_of(session, world.case_id)
        assert saved is not None and saved.facts == "甲：车库顶板渗水属实。"

        dialog = tab_b.conflict_dialog
        assert dialog is not None and dialog.who == "head" and dialog.at is not None
        assert dialog.default_button is dialog.merge_button
        press_enter(dialog)
        text = tab_b.facts_edit.toPlainText()
        assert "甲：车库顶板渗水属实。" in text and "乙：渗水始于今年五月。" in text and has_markers(text)
        assert tab_b.facts_merge_note.isVisible() and "head" in tab_b.facts_merge_note.text()
        assert tab_b.page is not None and tab_b.page.facts is not None  # the status shows their draft
        assert tab_b.sign_facts_button.isEnabled()
        if os.environ.get("MEDIATION_DESK_SHOTS"):
            tab_b.grab().save(str(Path(os.environ["MEDIATION_DESK_SHOTS"]) / "facts_merged.png"))

        for marker in ("【同事 head", MINE_HEADING, END_MARKER):
            delete_line_with(tab_b.facts_edit, marker)
        with qtbot.waitSignal(tab_b.changed):
            tab_b.save_facts_button.click()
        assert tab_b.conflict_dialog is None and tab_b.facts_error.isHidden(), tab_b.facts_error.text()
        with db.read() as session:
            final = termination.undisputed_facts_of(session, world.case_id)
        assert final is not None and final.version == saved.version + 1
        assert final.facts == "甲：车库顶板渗水属实。\n乙：渗水始于今年五月。"
    finally:
        runner_b.shutdown()
        runner_a.shutdown()
    assert not runner_a.unhandled and not runner_b.unhandled
