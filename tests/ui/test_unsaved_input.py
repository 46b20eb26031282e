"""Unsaved input is never thrown away without asking: typing into an editor of a case and then
opening another case (double-click in the list, the desk's link), signing out or closing the window
asks first — stay keeps the text, discard goes on, save saves then goes on. Switching the section or
the case tab drops nothing and asks nothing. The registration form keeps its draft on disk instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import CaseState, DisputeCase
from mediation_desk.services import agreements, drafts, evidence, records, supervision
from mediation_desk.services.actor import Actor
from mediation_desk.ui.app import Startup
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.cases.tabs.agreement import AgreementTab, TermsModel
from mediation_desk.ui.cases.tabs.records import RecordsTab
from mediation_desk.ui.cases.tabs.witnesses import WitnessesTab
from mediation_desk.ui.common.unsaved import Choice
from mediation_desk.ui.shell.login import remembered_username
from mediation_desk.ui.shell.main_window import CaseSection, MainWindow

from ..conftest import login_as
from ..services.settled import close, settle
from .conftest import Runner, type_text

pytestmark = pytest.mark.gui

CENTER = "张掖市甘州区矛盾纠纷调处中心"


@dataclass
class Answers:
    """Answers the unsaved-input question in place of a person, and remembers each question."""

    choice: Choice = Choice.STAY
    questions: list[tuple[str, bool]] = field(default_factory=list)

    def __call__(self, _parent: QWidget, text: str, can_save: bool, answer: Callable[[Choice], None]) -> None:
        self.questions.append((text, can_save))
        answer(self.choice)


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[MainWindow]]:
    made: list[MainWindow] = []
    yield made
    for window in made:  # whatever a test left typed: closing at teardown must not ask
        window.set_unsaved_question(Answers(Choice.DISCARD))


def make_window(runner: Runner, actor: Actor, qtbot: QtBot, windows: list[MainWindow],
                answers: Answers | None = None) -> MainWindow:
    window = MainWindow(runner, actor, CENTER)
    qtbot.addWidget(window)
    windows.append(window)
    window.resize(1366, 768)
    window.show()
    if answers is not None:
        window.set_unsaved_question(answers)
    return window


def cases_section(window: MainWindow) -> CaseSection:
    section = window.sections["cases"]
    assert isinstance(section, CaseSection)
    window.tabs.setCurrentWidget(section)
    return section


def double_click_case(section: CaseSection, case_id: int) -> None:
    """As a person does: the case's row in the list, double-clicked."""
    view = section.list_view
    model = view.model
    model.load_rows(0, model.total - 1)
    row = model.row_of(case_id)
    assert row is not None, "the case is not in this list"
    index = model.index(row, 1)
    view.table.scrollTo(index)
    rect = view.table.visualRect(index)
    assert view.table.viewport().rect().contains(rect.center())
    # A double-click is a press, release, then the double-click press (QTest sends only the last).
    QTest.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def team_cases(db: Database, actor: Actor, state: CaseState = CaseState.IN_MEDIATION) -> list[int]:
    with db.read() as session:
        return list(session.scalars(select(DisputeCase.id).where(
            DisputeCase.state == state, DisputeCase.team_id.in_(actor.team_ids)).order_by(DisputeCase.id)))


def case_without_agreement(db: Database, actor: Actor) -> int:
    with db.read() as session:
        return next(i for i in team_cases(db, actor) if not agreements.agreements_of(session, i))


def records_tab_of(detail: CaseDetailView) -> RecordsTab:
    tab = detail.work_tabs["records"]
    assert isinstance(tab, RecordsTab)
    return tab


def type_into_record(detail: CaseDetailView, ascii_text: str, chinese: str) -> RecordsTab:
    """A new 调解记录: ASCII typed key by key, Chinese committed as an input method does."""
    detail.show_tab("records")
    tab = records_tab_of(detail)
    tab.new_mediation_button.click()
    tab.place.setFocus()
    QTest.keyClicks(tab.place, ascii_text)
    type_text(tab.statements, chinese)
    return tab


# ---------------------------------------------------------------------------------------- records


@pytest.mark.parametrize("username", ["mediator", "head"])
def test_record_text_stays_when_another_case_is_double_clicked(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, windows: list[MainWindow], chinese: None,
        username: str) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    first, second = team_cases(demo_sqlite_db, mediator)[:2]
    answers = Answers(Choice.STAY)
    window = make_window(runner, login_as(demo_sqlite_db, username), qtbot, windows, answers)
    section = cases_section(window)
    detail = section.detail_view
    double_click_case(section, first)
    assert detail.case_id == first and not answers.questions, "nothing typed yet: no question"
    records_tab = type_into_record(detail, "Room 2", "申请人称邻居砌墙占用通道。")

    double_click_case(section, second)
    assert len(answers.questions) == 1
    text, can_save = answers.questions[0]
    assert "尚未保存" in text and "调解记录" in text and can_save
    # 取消: the same case, the same text, and the list shows that case selected again.
    assert detail.case_id == first
    assert records_tab.place.text() == "Room 2"
    assert records_tab.statements.toPlainText() == "申请人称邻居砌墙占用通道。"
    assert section.list_view.selected_case_id() == first
    assert detail.current_work_tab() is records_tab

    # Enter in the list opens the selected case the same way: asked again.
    section.list_view.select_row(section.list_view.model.row_of(second) or 0)
    section.list_view.table.setFocus()
    QTest.keyClick(section.list_view.table, Qt.Key.Key_Return)
    assert len(answers.questions) == 2 and detail.case_id == first

    # 放弃修改: the other case opens, its records as stored.
    answers.choice = Choice.DISCARD
    double_click_case(section, second)
    assert len(answers.questions) == 3
    assert detail.case_id == second
    assert records_tab.case_id == second
    assert not records_tab.has_unsaved_input()
    with demo_sqlite_db.read() as session:
        assert all("砌墙" not in str(r.values.get("statements", "")) for r in records.records_of(session, first))


def test_record_saved_by_the_question_then_the_other_case_opens(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, windows: list[MainWindow]) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    first, second = team_cases(demo_sqlite_db, mediator)[:2]
    with demo_sqlite_db.read() as session:
        before = len(records.records_of(session, first))
    answers = Answers(Choice.SAVE)
    window = make_window(runner, mediator, qtbot, windows, answers)
    section = cases_section(window)
    detail = section.detail_view
    double_click_case(section, first)
    records_tab = type_into_record(detail, "Room 3", "双方同意拆除围墙。")

    # The service refuses it (no outcome written): nothing is lost, the
    # message is under the field, and the case stays.
    double_click_case(section, second)
    assert detail.case_id == first and answers.questions[-1][1]
    error = records_tab.findChild(QLabel, "outcomeError")
    assert error is not None and error.isVisible() and "调解结果" in error.text()
    assert records_tab.place.text() == "Room 3" and records_tab.statements.toPlainText() == "双方同意拆除围墙。"

    type_text(records_tab.outcome, "达成协议。")
    QTest.mouseClick(records_tab.notice_given, Qt.MouseButton.LeftButton)
    double_click_case(section, second)
    assert detail.case_id == second
    with demo_sqlite_db.read() as session:
        saved = records.records_of(session, first)
    assert len(saved) == before + 1 and saved[-1].values["place"] == "Room 3"


def test_the_desk_link_asks_too(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                windows: list[MainWindow]) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    first, second = team_cases(demo_sqlite_db, mediator)[:2]
    answers = Answers(Choice.STAY)
    window = make_window(runner, mediator, qtbot, windows, answers)
    detail = cases_section(window).detail_view
    window.open_case(first)
    type_into_record(detail, "Desk", "被申请人称墙在自家宅基地内。")
    window.tabs.setCurrentWidget(window.sections["desk"])
    window.sections["desk"].open_case.emit(second)  # type: ignore[attr-defined]  # what a desk row's Enter sends
    assert len(answers.questions) == 1 and detail.case_id == first
    assert window.tabs.currentWidget() is window.sections["cases"]


# ------------------------------------------------------------------- every editor of the case view


Reader = Callable[[], str]
#: Prepares a case for an editor (before the window reads its list); returns the case and how to
#: type into the editor of that case (which returns how to read what the editor holds).
Prepared = tuple[int, Callable[[CaseDetailView], Reader]]


def _typer(tab: str, name: str, ascii_text: str, chinese: str, *,
           clear: bool = True) -> Callable[[CaseDetailView], Reader]:
    def type_in(detail: CaseDetailView) -> Reader:
        detail.show_tab(tab)
        widget = getattr(detail.work_tabs[tab], name)
        if clear:
            widget.clear()
        widget.setFocus()
        QTest.keyClicks(widget, ascii_text)
        type_text(widget, chinese)
        return lambda: str(widget.text() if hasattr(widget, "text") else widget.toPlainText())

    return type_in


def _agreement(db: Database, mediator: Actor) -> Prepared:
    case_id = case_without_agreement(db, mediator)
    with db.write() as session:
        agreements.draft(session, mediator, case_id)
    return case_id, _typer("agreement", "facts", "Fence 1m ", "双方确认围墙越界一米。")


def _transfer(db: Database, mediator: Actor) -> Prepared:
    return team_cases(db, mediator)[0], _typer("transfer", "reason_edit", "No ", "被申请人拒绝任何赔偿。")


def _visits(db: Database, mediator: Actor) -> Prepared:
    clerk, head = login_as(db, "clerk"), login_as(db, "head")
    s = settle(db, clerk, head, mediator, min(mediator.team_ids))
    close(s)
    return s.case_id, _typer("visits", "notes_edit", "Phone ", "已按约恢复通行。")


def _confirmation(db: Database, mediator: Actor) -> Prepared:
    clerk, head = login_as(db, "clerk"), login_as(db, "head")
    s = settle(db, clerk, head, mediator, min(mediator.team_ids), signed_days_ago=3)
    return s.case_id, _typer("confirmation", "court_edit", " 2 ", "第二法庭", clear=False)


def _note(db: Database, mediator: Actor) -> Prepared:
    def type_in(detail: CaseDetailView) -> Reader:
        detail.tabs.setCurrentIndex(0)
        detail.note_edit.setFocus()
        QTest.keyClicks(detail.note_edit, "call back ")
        type_text(detail.note_edit, "当事人下午再来")
        return detail.note_edit.toPlainText

    return team_cases(db, mediator)[0], type_in


def _supervision_answer(db: Database, mediator: Actor) -> Prepared:
    case_id = team_cases(db, mediator)[0]
    with db.write() as session:
        order = supervision.issue(session, login_as(db, "head"), case_id, instruction="三日内上门走访并报告",
                                  due_on=None)

    def type_in(detail: CaseDetailView) -> Reader:
        detail.tabs.setCurrentIndex(0)
        answer = detail.supervision_box.items[order.id].answer_edit
        answer.setFocus()
        QTest.keyClicks(answer, "Visited ")
        type_text(answer, "已上门走访，双方同意再次调解")
        def read() -> str:
            # The box rebuilds its items on every reload: read whichever shows the order now.
            return detail.supervision_box.items[order.id].answer_edit.toPlainText()

        return read

    return case_id, type_in


def _witness(db: Database, mediator: Actor) -> Prepared:
    return team_cases(db, mediator)[0], _typer("witnesses", "name_edit", "Li ", "邻居王某")


EDITORS: dict[str, Callable[[Database, Actor], Prepared]] = {
    "agreement": _agreement, "transfer": _transfer, "visits": _visits, "confirmation": _confirmation, "note": _note,
    "supervision answer": _supervision_answer, "witness": _witness}
#: Editors whose typing one save stores as it is (the question offers 保存); the others record a
#: step of the case with their own button.
SAVABLE = {"agreement", "witness"}


@pytest.mark.parametrize("editor", list(EDITORS))
def test_every_editor_asks_before_another_case_and_before_closing(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, windows: list[MainWindow], editor: str) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    case_id, type_in = EDITORS[editor](demo_sqlite_db, mediator)
    other = next(i for i in team_cases(demo_sqlite_db, mediator) if i != case_id)
    answers = Answers(Choice.STAY)
    window = make_window(runner, mediator, qtbot, windows, answers)
    section = cases_section(window)
    detail = section.detail_view
    double_click_case(section, case_id)
    assert detail.case_id == case_id
    read = type_in(detail)
    typed = read()
    assert typed.strip() and not answers.questions

    # Another case: asked; staying keeps the case and the text.
    double_click_case(section, other)
    assert len(answers.questions) == 1 and detail.case_id == case_id
    assert read() == typed
    assert answers.questions[0][1] == (editor in SAVABLE), "only what one save stores is offered 保存"

    # Another case tab, another section and back: nothing asked, nothing lost.
    detail.show_tab("documents")
    window.tabs.setCurrentWidget(window.sections["desk"])
    window.tabs.setCurrentWidget(section)
    assert len(answers.questions) == 1 and read() == typed

    # Closing the window: asked; staying keeps the window open.
    window.close()
    assert len(answers.questions) == 2 and window.isVisible()
    # Signing out: asked; staying keeps the user signed in.
    with qtbot.assertNotEmitted(window.sign_out_requested):
        window.sign_out_action.trigger()
    assert len(answers.questions) == 3 and read() == typed

    # Discarding: the other case opens, and now the window closes without a question.
    answers.choice = Choice.DISCARD
    double_click_case(section, other)
    assert detail.case_id == other and len(answers.questions) == 4
    window.close()
    assert not window.isVisible() and len(answers.questions) == 4


def test_agreement_saved_by_the_question(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                         windows: list[MainWindow]) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    case_id, type_in = _agreement(demo_sqlite_db, mediator)
    other = next(i for i in team_cases(demo_sqlite_db, mediator) if i != case_id)
    answers = Answers(Choice.SAVE)
    window = make_window(runner, mediator, qtbot, windows, answers)
    section = cases_section(window)
    detail = section.detail_view
    double_click_case(section, case_id)
    typed = type_in(detail)()
    tab = detail.work_tabs["agreement"]
    assert isinstance(tab, AgreementTab)
    # Refused (an agreement needs a term): the case stays, with the text and the message.
    double_click_case(section, other)
    assert answers.questions[0][1], "an agreement draft can be saved from the question"
    assert detail.case_id == case_id and tab.facts.toPlainText() == typed
    assert tab.terms_error.isVisible() or tab.form_error.isVisible()

    model = tab.terms_model
    tab.add_term()
    model.setData(model.index(0, TermsModel.COL_OBLIGOR), next(iter(model.parties)), TermsModel.PartyIdRole)
    model.setData(model.index(0, TermsModel.COL_CONTENT), "拆除围墙一米")
    model.setData(model.index(0, TermsModel.COL_DUE), date.today() + timedelta(days=15))
    double_click_case(section, other)
    assert detail.case_id == other
    with demo_sqlite_db.read() as session:
        assert agreements.agreements_of(session, case_id)[-1].facts == typed


def test_witness_saved_by_the_question(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                       windows: list[MainWindow]) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    case_id, other = team_cases(demo_sqlite_db, mediator)[:2]
    answers = Answers(Choice.SAVE)
    window = make_window(runner, mediator, qtbot, windows, answers)
    section = cases_section(window)
    detail = section.detail_view
    double_click_case(section, case_id)
    typed = _typer("witnesses", "name_edit", "", "邻居王某")(detail)()
    tab = detail.work_tabs["witnesses"]
    assert isinstance(tab, WitnessesTab)
    # Refused (a witness needs an address and what they can prove): the case stays, with the name
    # and the message under the missing field.
    double_click_case(section, other)
    assert answers.questions[0][1], "a witness typed in can be added from the question"
    assert "邻居王某" in answers.questions[0][0]
    qtbot.waitUntil(tab.field_errors["address"].isVisible)
    assert detail.case_id == case_id and tab.name_edit.text() == typed

    _typer("witnesses", "address_edit", "", "甘州区梁家墩镇五号村")(detail)
    _typer("witnesses", "proves_edit", "", "围墙是被申请人去年砌的")(detail)
    double_click_case(section, other)
    qtbot.waitUntil(lambda: detail.case_id == other)
    with demo_sqlite_db.read() as session:
        stored = evidence.witnesses_of(session, case_id)
    assert [(w.name, w.address, w.proves) for w in stored][-1:] == [
        ("邻居王某", "甘州区梁家墩镇五号村", "围墙是被申请人去年砌的")]
    assert not tab.has_unsaved_input()


# --------------------------------------------------------------------------------- the real dialog


def question_box(detail_or_window: CaseDetailView | MainWindow) -> QMessageBox:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and box is detail_or_window.guard.box
    assert box.windowModality() == Qt.WindowModality.WindowModal and box.isVisible()
    return box


def test_the_real_question_answered_by_keys(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                            windows: list[MainWindow], chinese: None) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    first, second = team_cases(demo_sqlite_db, mediator)[:2]
    window = make_window(runner, mediator, qtbot, windows)
    section = cases_section(window)
    detail = section.detail_view
    double_click_case(section, first)
    records_tab = type_into_record(detail, "Room 4", "申请人要求赔偿。")

    # Esc: stay.
    double_click_case(section, second)
    box = question_box(detail)
    assert box.windowTitle() == "未保存的内容"
    assert "尚未保存" in box.text() and "调解记录" in box.text()
    buttons = {b.objectName(): b.text() for b in box.findChildren(QPushButton)}
    assert buttons == {"unsavedSave": "保存", "unsavedDiscard": "放弃修改", "unsavedStay": "取消"}
    QTest.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: detail.guard.box is None)
    assert detail.case_id == first and records_tab.place.text() == "Room 4"

    # Space on 放弃修改: the other case opens.
    double_click_case(section, second)
    box = question_box(detail)
    discard = box.findChild(QPushButton, "unsavedDiscard")
    assert discard is not None
    QTest.keyClick(discard, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: detail.case_id == second)

    # Closing the window: the question comes up, the window stays until it is answered.
    type_into_record(detail, "Room 5", "被申请人同意。")
    window.close()
    assert window.isVisible()
    box = question_box(window)
    QTest.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.guard.box is None)
    assert window.isVisible() and records_tab.place.text() == "Room 5"
    window.close()
    box = question_box(window)
    discard = box.findChild(QPushButton, "unsavedDiscard")
    assert discard is not None
    QTest.mouseClick(discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_enter_in_the_real_question_saves(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                          windows: list[MainWindow]) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    first, second = team_cases(demo_sqlite_db, mediator)[:2]
    window = make_window(runner, mediator, qtbot, windows)
    section = cases_section(window)
    detail = section.detail_view
    double_click_case(section, first)
    tab = type_into_record(detail, "Room 6", "双方和解。")
    type_text(tab.outcome, "达成协议。")
    QTest.mouseClick(tab.notice_given, Qt.MouseButton.LeftButton)
    double_click_case(section, second)
    QTest.keyClick(question_box(detail), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: detail.case_id == second)
    with demo_sqlite_db.read() as session:
        assert records.records_of(session, first)[-1].values["place"] == "Room 6"


# ------------------------------------------------------------------------------- registration form


def test_registration_keeps_its_draft_instead_of_asking(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                        windows: list[MainWindow]) -> None:
    clerk = login_as(demo_sqlite_db, "clerk")
    answers = Answers(Choice.STAY)
    window = make_window(runner, clerk, qtbot, windows, answers)
    form = window.intake_form
    assert form is not None and window.tabs.currentWidget() is form
    form.title.setFocus()
    QTest.keyClicks(form.title, "Gate ")
    type_text(form.title, "院门纠纷")
    # Another section and back: the form is as typed.
    window.tabs.setCurrentWidget(window.sections["cases"])
    window.tabs.setCurrentWidget(form)
    assert form.title.text() == "Gate 院门纠纷"
    # Signing out and closing keep the draft on disk and ask nothing.
    with qtbot.waitSignal(window.sign_out_requested):
        window.sign_out_action.trigger()
    window.close()
    assert not window.isVisible() and not answers.questions
    draft = drafts.load_draft("clerk")
    assert draft is not None and draft.form["title"] == "Gate 院门纠纷"
    # The next window of the same user offers it back.
    again = make_window(runner, clerk, qtbot, windows, answers)
    assert again.offer_draft()
    assert again.intake_form is not None
    again.intake_form.restore_button.click()
    assert again.intake_form.title.text() == "Gate 院门纠纷"


# -------------------------------------------------------------------------------------- signing out


def test_sign_out_returns_to_the_login_with_the_user_name(runner: Runner, demo_sqlite_db: Database,
                                                          qtbot: QtBot) -> None:
    startup = Startup(runner=runner)
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startup.begin()
    login = startup.login
    QTest.keyClicks(login.username, "mediator")
    QTest.keyClicks(login.password, demo.DEMO_PASSWORD)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        QTest.keyClick(login.password, Qt.Key.Key_Return)
    window = startup.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    answers = Answers(Choice.STAY)
    window.set_unsaved_question(answers)
    section = cases_section(window)
    first = team_cases(demo_sqlite_db, login_as(demo_sqlite_db, "mediator"))[0]
    double_click_case(section, first)
    type_into_record(section.detail_view, "Room 7", "尚未写完。")

    window.sign_out_action.trigger()  # the File menu's 注销/切换用户
    assert len(answers.questions) == 1 and startup.window is window and window.isVisible()
    answers.choice = Choice.DISCARD
    window.sign_out_action.trigger()
    assert startup.window is None and not window.isVisible()
    assert login.isVisible() and login.username.text() == "mediator" and login.password.text() == ""
    assert remembered_username() == "mediator"

    # Another user signs in at the same desk.
    login.username.selectAll()
    QTest.keyClicks(login.username, "head")
    QTest.keyClicks(login.password, demo.DEMO_PASSWORD)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        QTest.keyClick(login.password, Qt.Key.Key_Return)
    assert isinstance(startup.window, MainWindow) and startup.window is not window
    qtbot.addWidget(startup.window)
    assert startup.window.actor.username == "head"
    startup.window.set_unsaved_question(Answers(Choice.DISCARD))
    startup.close()


def test_sign_out_on_the_lock_screen_keeps_unsaved_input(runner: Runner, demo_sqlite_db: Database,
                                                         qtbot: QtBot, chinese: None) -> None:
    """Under the lock nobody can answer a question: the lock stays and says what is unsaved."""
    startup = Startup(runner=runner)
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startup.begin()
    startup.login.username.setText("mediator")
    startup.login.password.setText(demo.DEMO_PASSWORD)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        startup.login.submit()
    window, lock = startup.window, startup.idle_lock
    assert isinstance(window, MainWindow) and lock is not None
    qtbot.addWidget(window)
    section = cases_section(window)
    first = team_cases(demo_sqlite_db, login_as(demo_sqlite_db, "mediator"))[0]
    double_click_case(section, first)
    tab = type_into_record(section.detail_view, "Room 8", "锁屏前写的笔录。")

    lock.lock()
    assert lock.form is not None and lock.form.sign_out_button is not None and lock.form.message is not None
    QTest.mouseClick(lock.form.sign_out_button, Qt.MouseButton.LeftButton)
    assert startup.window is window and window.isVisible() and lock.is_locked
    assert lock.form.message.isVisible() and "新建调解记录" in lock.form.message.text()
    assert "解锁" in lock.form.message.text()
    assert tab.place.text() == "Room 8" and tab.statements.toPlainText() == "锁屏前写的笔录。"

    # Nothing unsaved: the lock's sign-out returns to the login at once.
    tab.discard_unsaved()
    QTest.mouseClick(lock.form.sign_out_button, Qt.MouseButton.LeftButton)
    assert startup.window is None and startup.idle_lock is None and not window.isVisible()
    assert startup.login.isVisible() and startup.login.username.text() == "mediator"
    startup.close()
