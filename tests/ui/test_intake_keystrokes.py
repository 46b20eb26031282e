"""Fewer keystrokes at the counter (issue 19 item 3): type-ahead in the lists by letters, pinyin
initials and characters; a tab chain of what a person types; a party that becomes an
organisation by its name or credit code (undoable); a form that is clean and at the top after
each save, with the cursor in it after login and after a restored draft."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import IdDocumentType, PartyKind, SourceChannel
from mediation_desk.services import drafts, validation
from mediation_desk.services.actor import Actor
from mediation_desk.ui.app import Startup
from mediation_desk.ui.common.typeahead import find, search_keys
from mediation_desk.ui.intake.form import IntakeForm, Registered
from mediation_desk.ui.intake.party import AUTHORITIES, ETHNICITIES, organisation_kind
from mediation_desk.ui.shell.main_window import MainWindow

from ..conftest import login_as
from .conftest import Runner, type_text
from .test_intake_form import (
    APPLICANT_ID,
    COMPANY,
    enter_text,
    fill_minimal,
    focused,
    make_form,
    press,
    save,
    tab_to,
    typed,
)

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def credit_code(first17: str = "91620702MA7LK0A2C") -> str:
    return first17 + validation.credit_code_check_char(first17)


CODE = credit_code()


@pytest.fixture
def clerk(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "clerk")


@pytest.fixture
def form(runner: Runner, clerk: Actor, qtbot: QtBot) -> IntakeForm:
    return make_form(runner, clerk, qtbot)


# --------------------------------------------------------------------------- type-ahead


def test_pinyin_keys_of_a_list_entry() -> None:
    assert search_keys("劳动争议") == ("劳动争议", "ldzy", "laodongzhengyi")
    assert search_keys("重庆") == ("重庆", "cq", "chongqing")  # words, not characters
    assert search_keys("当事人 1：张三") == ("当事人1：张三", "dsr1：zs", "dangshiren1：zhangsan")
    entries = ["请选择…", "邻里", "劳动争议", "婚姻家庭", "环境污染"]
    assert find(entries, "ld") == 2 and find(entries, "laod") == 2 and find(entries, "劳动") == 2
    assert find(entries, "ll") == 1 and find(entries, "hy") == 3 and find(entries, "hj") == 4
    assert find(entries, "l", start=2) == 2 and find(entries, "l", start=3) == 1  # goes round
    assert find(entries, "家庭") == 3  # inside an entry, when none begins with it
    assert find(entries, "xyz") == -1


def test_the_dispute_type_is_picked_by_pinyin_initials(form: IntakeForm) -> None:
    assert focused() is form.dispute_type and form.dispute_type.currentIndex() == 0  # the first field
    QTest.keyClicks(form.dispute_type, "ld")
    assert form.dispute_type.currentText() == "劳动争议"
    assert form.dispute_type_id() is not None and form.dirty
    # The full pinyin, typed on: still the same entry.
    QTest.keyClicks(form.dispute_type, "zhengyi")
    assert form.dispute_type.currentText() == "劳动争议"
    # Characters from an input method.
    type_text(form.dispute_type, "婚姻")
    assert form.dispute_type.currentText() == "婚姻家庭"
    # The list stays a list: the arrows and Enter work as before, and nothing typed is added to it.
    count = form.dispute_type.count()
    press(Qt.Key.Key_Down)
    assert form.dispute_type.currentIndex() == form.dispute_type.findText("婚姻家庭") + 1
    assert form.dispute_type.count() == count
    press(Qt.Key.Key_Return)
    assert focused() is form.source


def test_the_next_registrations_party_forms_are_built_when_the_typing_pauses(form: IntakeForm,
                                                                            qtbot: QtBot) -> None:
    """Building a party form ahead freezes the window for tens of milliseconds: not right after a
    keystroke (the type-ahead's first letters), but once the clerk pauses; a save then swaps them in."""
    form.SPARE_PAUSE_MS = 50  # the instance's own: the class's pause is as long as a person's
    form._spares_timer.setInterval(form.SPARE_PAUSE_MS)
    QTest.keyClicks(form.dispute_type, "ld")
    QApplication.processEvents()
    QApplication.processEvents()
    assert form.dirty and form._spares == []
    qtbot.waitUntil(lambda: len(form._spares) == IntakeForm.SPARES)
    spares = list(form._spares)
    assert all(not spare.isVisible() for spare in spares)
    fill_minimal(form)
    save(form)
    qtbot.waitUntil(form.result_bar.isVisible)
    assert sorted(map(id, form.parties)) == sorted(map(id, spares))
    assert [p.name.text() for p in form.parties] == ["", ""] and all(p.isVisible() for p in form.parties)


def test_every_list_of_the_form_takes_type_ahead(form: IntakeForm) -> None:
    party = form.parties[0]
    for combo in (form.source, form.dispute_type, form.risk, party.role_combo, party.kind_combo, party.id_type,
                  party.gender, party.ethnicity, party.agent_authority):
        assert combo.property("typeAhead"), combo.objectName()
    party.id_type.setFocus()
    QTest.keyClicks(party.id_type, "pass")  # an English list: its first letters
    assert party.id_document() is IdDocumentType.PASSPORT


def _completed(combo: QComboBox, keys: str, qtbot: QtBot) -> object:
    """What the completer's popup offers first after ``keys`` are typed into ``combo``."""
    combo.setFocus()
    QTest.keyClicks(combo, keys)
    completer = combo.completer()
    assert completer is not None
    popup = completer.popup()
    assert popup is not None
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().isValid())
    return popup.currentIndex().data()


def test_ethnicity_is_completed_from_pinyin_initials(form: IntakeForm, qtbot: QtBot) -> None:
    party = form.parties[0]
    assert _completed(party.ethnicity, "hz", qtbot) == "汉族"
    press(Qt.Key.Key_Return)
    assert party.ethnicity.currentText() == "汉族"
    assert focused() is party.occupation


def test_the_warm_up_works_out_the_pinyin_the_forms_first_show_completes_from(
        runner: Runner, clerk: Actor, qtbot: QtBot) -> None:
    # The form is made on its tab's first click, on the GUI thread; its ethnicity and authority
    # completers read the pinyin of every entry (~60 ms, frozen), which the warm-up now works out
    # beforehand on its worker. The same entries and the same completion as before.
    from mediation_desk.ui import app
    from mediation_desk.ui.common import typeahead

    search_keys.cache_clear()
    typeahead._ENTRIES.clear()
    app.warm_up()
    worked_out = search_keys.cache_info().misses
    form = make_form(runner, clerk, qtbot)
    assert search_keys.cache_info().misses == worked_out  # nothing left to the GUI thread
    party = form.parties[0]
    for combo, items in ((party.ethnicity, ETHNICITIES), (party.agent_authority, AUTHORITIES)):
        completer = combo.completer()
        assert completer is not None
        entries = completer.model()
        assert [entries.index(row, 0).data() for row in range(entries.rowCount())] == list(items)
    assert _completed(party.ethnicity, "wwe", qtbot) == "维吾尔族"


# --------------------------------------------------------------------------- the tab chain


def test_tab_goes_from_one_typed_field_to_the_next(form: IntakeForm) -> None:
    first, second = form.parties
    enter_text(form.amount, "3000")
    press(Qt.Key.Key_Tab)
    assert focused() is first.name  # the party's role and kind are passed over
    typed("张三")
    press(Qt.Key.Key_Tab)
    assert focused() is first.id_number  # the document type (a resident ID nearly always) is passed over
    typed(APPLICANT_ID)
    # Filled from the number as soon as it is complete, and left out of the chain; the complete
    # number moves the cursor on to the phone by itself.
    assert first.gender.currentText() == "Male" and first.birth_date.text() == "1985-03-12"
    assert focused() is first.phone
    typed("13993612345")  # a complete mobile number moves on as well
    assert focused() is first.ethnicity
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() is first.phone
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() is first.id_number
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() is first.id_type
    tab_to(first.agent_check)
    press(Qt.Key.Key_Tab)
    assert focused() is second.name  # not the remove button
    # Shift+Tab from the name reaches the role and kind.
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() is second.kind_combo
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() is second.role_combo
    # Another document: sex and date of birth are typed, so they are back in the chain.
    first.id_type.setFocus()
    QTest.keyClicks(first.id_type, "pass")
    press(Qt.Key.Key_Tab)
    assert focused() is first.id_number
    press(Qt.Key.Key_Tab)
    assert focused() is first.phone
    press(Qt.Key.Key_Tab)
    assert focused() is first.gender
    # And the name no longer passes over the document type: it is not the usual one.
    first.name.setFocus()
    press(Qt.Key.Key_Tab)
    assert focused() is first.id_type


def test_row_buttons_have_keys_instead_of_tab_stops(form: IntakeForm) -> None:
    first = form.parties[0]
    for button in (first.remove_button, form.add_party_button, first.id_card_button, first.confirm_card_button):
        assert not button.focusPolicy() & Qt.FocusPolicy.TabFocus, button.objectName()
    # The card is read with Ctrl+I from any field of the party (the reader itself is
    # tests/ui/test_intake_idcard.py's: here only who asks for it).
    first.id_card_requested.disconnect()
    asked: list[object] = []
    first.id_card_requested.connect(asked.append)
    first.phone.setFocus()
    press(Qt.Key.Key_I, CTRL)
    assert asked == [first]
    enter_text(first.name, "张三")
    press(Qt.Key.Key_P, CTRL)
    assert len(form.parties) == 3 and focused() is form.parties[1].name
    first.phone.setFocus()
    press(Qt.Key.Key_Delete, CTRL | SHIFT)
    assert first not in form.parties and form.undo_bar.isVisible()
    press(Qt.Key.Key_Return)  # the undo button has the cursor
    assert form.parties[0] is first and first.name.text() == "张三"


def test_ctrl_enter_goes_to_the_next_part(form: IntakeForm) -> None:
    enter_text(form.grid_name, "第三网格")
    press(Qt.Key.Key_Return, CTRL)
    assert focused() is form.parties[0].name
    form.parties[0].phone.setFocus()
    press(Qt.Key.Key_Return, CTRL)
    assert focused() is form.parties[1].name
    press(Qt.Key.Key_Return, CTRL)
    assert focused() is form.title  # the title is written once the parties are known
    press(Qt.Key.Key_Tab)
    assert focused() is form.facts
    typed("第一段")
    press(Qt.Key.Key_Return, CTRL)  # in a text area: out of it, to the next field
    assert focused() is form.requests and form.facts.toPlainText() == "第一段"


# --------------------------------------------------------------------------- title and stock phrases


def test_the_title_is_suggested_from_the_parties_and_enter_takes_it(form: IntakeForm) -> None:
    assert focused() is form.dispute_type
    QTest.keyClicks(form.dispute_type, "ld")
    applicant, respondent = form.parties
    enter_text(applicant.name, "张三")
    enter_text(respondent.name, "甘州区宏远建筑劳务有限公司")
    assert form.title_suggestion() == "张三与甘州区宏远建筑劳务有限公司劳动争议"
    assert form.title_suggestion() in form.title.placeholderText() and form.title.text() == ""
    applicant.name.setFocus()
    press(Qt.Key.Key_P, CTRL)  # a second applicant: 等
    typed("李四")
    assert form.title_suggestion() == "张三等与甘州区宏远建筑劳务有限公司劳动争议"
    # Tab passes the empty title without taking the suggestion; Enter takes it and moves on.
    form.title.setFocus()
    press(Qt.Key.Key_Tab)
    assert form.title.text() == "" and focused() is form.facts
    form.title.setFocus()
    press(Qt.Key.Key_Return)
    assert form.title.text() == "张三等与甘州区宏远建筑劳务有限公司劳动争议" and focused() is form.facts
    # Ordinary text from then on: edited as any, and not rewritten when a name changes.
    form.title.setFocus()
    press(Qt.Key.Key_End)
    typed("（工资）")
    enter_text(applicant.name, "甲")
    assert form.title.text() == "张三等与甘州区宏远建筑劳务有限公司劳动争议（工资）"
    # Enter in a title with text only moves on.
    form.title.setFocus()
    press(Qt.Key.Key_Return)
    assert form.title.text().endswith("（工资）") and focused() is form.facts


def test_stock_phrases_of_the_dispute_type_on_alt_and_a_number(form: IntakeForm) -> None:
    assert form.facts_phrases.isHidden() and form.requests_phrases.isHidden()
    form.facts.setFocus()
    press(Qt.Key.Key_1, ALT)  # no type chosen yet: nothing to offer, nothing inserted
    assert form.facts.toPlainText() == ""
    form.dispute_type.setFocus()
    QTest.keyClicks(form.dispute_type, "ld")
    assert form.facts_phrases.isVisible() and "Alt+1\u00a0工资至今未付" in form.facts_phrases.text()
    assert "Alt+2\u00a0请求支付经济补偿金" in form.requests_phrases.text()
    form.facts.setFocus()
    typed("二人务工三个月，")
    press(Qt.Key.Key_1, ALT)  # at the cursor
    typed("。")
    assert form.facts.toPlainText() == "二人务工三个月，工资至今未付。"
    press(Qt.Key.Key_Return, CTRL)
    assert focused() is form.requests
    press(Qt.Key.Key_1, ALT)
    press(Qt.Key.Key_2, ALT)  # a request of its own line
    press(Qt.Key.Key_Return)
    typed("请求赔礼道歉")
    press(Qt.Key.Key_9, ALT)  # beyond the list: nothing, not even the digit
    assert form.requests.lines() == ["请求支付拖欠工资", "请求支付经济补偿金", "请求赔礼道歉"]
    # Another type, other phrases; none for the placeholder.
    form.dispute_type.setFocus()
    QTest.keyClicks(form.dispute_type, "ll")
    assert "Alt+1\u00a0请求停止侵害" in form.requests_phrases.text()
    form.dispute_type.setCurrentIndex(0)
    assert form.facts_phrases.isHidden() and form.requests_phrases.isHidden()


# --------------------------------------------------------------------------- organisations


@pytest.mark.parametrize(("name", "kind"), [
    (COMPANY, PartyKind.LEGAL_PERSON), ("甘州区丰源农机修理厂", PartyKind.LEGAL_PERSON),
    ("甘州区绿洲农产品专业合作社", PartyKind.LEGAL_PERSON), ("张掖市人民医院", PartyKind.LEGAL_PERSON),
    ("梁家墩镇太平堡村民委员会", PartyKind.LEGAL_PERSON), ("甘肃正道律师事务所", PartyKind.ORGANISATION),
    ("老王烟酒店", PartyKind.LEGAL_PERSON), ("张三", None), ("王店", None), ("欧阳建国", None), ("李中心", None),
    ("王建场", None), ("梁家墩镇派出所", PartyKind.LEGAL_PERSON),
])
def test_an_organisation_is_known_by_its_name(name: str, kind: PartyKind | None) -> None:
    assert organisation_kind(name) is kind


def test_a_company_name_makes_the_party_a_legal_person_and_undo_takes_it_back(chinese: None, runner: Runner,
                                                                                 clerk: Actor, qtbot: QtBot) -> None:
    form = make_form(runner, clerk, qtbot)
    respondent = form.parties[1]
    enter_text(respondent.name, COMPANY)
    press(Qt.Key.Key_Tab)
    assert respondent.kind() is PartyKind.LEGAL_PERSON and respondent.kind_switched
    assert focused() is respondent.credit_code  # the organisation's next field
    assert respondent.kind_note.isVisible()
    assert f"“{COMPANY}”是单位名称" in respondent.kind_note.text() and "撤销" in respondent.kind_note.text()
    press(Qt.Key.Key_Z, CTRL)
    assert respondent.kind() is PartyKind.PERSON and not respondent.kind_note.isVisible()
    assert respondent.name.text() == COMPANY and form.parties[1] is respondent
    assert respondent.isAncestorOf(focused())
    # Undone once, the same name is left alone when the clerk passes it again.
    respondent.name.setFocus()
    press(Qt.Key.Key_Tab)
    assert respondent.kind() is PartyKind.PERSON
    # Chosen by hand, the kind is the clerk's: no note, nothing to undo.
    respondent.kind_combo.setFocus()
    QTest.keyClicks(respondent.kind_combo, "fr")
    assert respondent.kind() is PartyKind.LEGAL_PERSON and not respondent.kind_switched


def test_a_credit_code_typed_as_the_id_makes_an_organisation(chinese: None, runner: Runner, clerk: Actor,
                                                             qtbot: QtBot) -> None:
    form = make_form(runner, clerk, qtbot)
    respondent = form.parties[1]
    enter_text(respondent.name, "宏远劳务")
    respondent.id_number.setFocus()
    typed(CODE.lower())
    assert respondent.kind() is PartyKind.LEGAL_PERSON
    assert respondent.credit_code.text() == CODE.lower() and respondent.id_number.text() == ""
    assert respondent.credit_code_box.message == ""
    assert focused() is respondent.phone
    assert "统一社会信用代码" in respondent.kind_note.text()
    # The link undoes it as Ctrl+Z does.
    respondent.kind_note.linkActivated.emit("undo")
    assert respondent.kind() is PartyKind.PERSON
    assert respondent.id_number.text() == CODE.lower() and respondent.credit_code.text() == ""
    assert focused() is respondent.id_number


def test_wrong_numbers_switch_nothing_and_get_their_message(chinese: None, runner: Runner, clerk: Actor,
                                                            qtbot: QtBot) -> None:
    form = make_form(runner, clerk, qtbot)
    party = form.parties[0]
    wrong = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")  # a wrong check character
    enter_text(party.name, "张三")
    party.id_number.setFocus()
    typed(wrong)
    press(Qt.Key.Key_Tab)
    assert party.kind() is PartyKind.PERSON and party.id_number.text() == wrong
    assert party.id_number_box.message.startswith("身份证"), party.id_number_box.message
    # A bad resident ID: its message, the number kept, sex and date of birth not filled.
    party.id_number.setFocus()
    party.id_number.selectAll()
    typed(APPLICANT_ID[:-1] + "0")
    press(Qt.Key.Key_Tab)
    assert party.id_number.text() == APPLICANT_ID[:-1] + "0" and party.id_number_box.message
    assert party.birth_date.text() == "" and party.gender.focusPolicy() & Qt.FocusPolicy.TabFocus


# --------------------------------------------------------------------------- after a save


def test_after_a_save_the_form_is_at_the_top_clean_with_the_cursor_first(form: IntakeForm, clerk: Actor,
                                                                         qtbot: QtBot) -> None:
    bar = form.scroll_area.verticalScrollBar()
    form.resize(1366, 480)  # a desk's window, under its bars: the form scrolls
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    registered: list[Registered] = []
    form.registered.connect(registered.append)
    assert focused() is form.dispute_type
    form.source.setFocus()
    press(Qt.Key.Key_Down)  # 来电: a hotline desk
    fill_minimal(form, title="")
    tab_to(form.requests)
    typed("请求恢复通行")
    assert form.autosave() is not None and form.draft_label.text()
    save(form)  # refused: the title is missing
    assert form.message_label.text() and focused() is form.title
    typed("相邻通行纠纷")
    tab_to(form.requests)
    assert bar.value() > 0
    save(form)
    assert len(registered) == 1
    assert bar.value() == 0
    assert form.message_label.text() == "" and form.draft_label.text() == ""
    assert form.result_bar.isVisible() and registered[0].number in form.result_label.text()
    assert focused() is form.dispute_type
    assert form.title.text() == "" and [p.name.text() for p in form.parties] == ["", ""]
    # The next visitor starts with the channel this desk used last, also after a restart.
    assert form.source.currentData() == SourceChannel.PHONE and not form.has_unsaved_input()
    assert IntakeForm._remembered_source() is SourceChannel.PHONE


def test_the_cursor_is_in_the_form_after_a_restored_draft(runner: Runner, clerk: Actor, qtbot: QtBot) -> None:
    drafts.save_draft(clerk.username, {"title": "昨天没保存的", "parties": [{"name": "吉𠮷"}]})
    form = make_form(runner, clerk, qtbot)
    assert form.offer_draft() and focused() is form.restore_button
    press(Qt.Key.Key_Return)
    assert form.title.text() == "昨天没保存的" and not form.offer_bar.isVisible()
    assert focused() is form.dispute_type


@pytest.fixture
def startups() -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        startup.close()


def test_the_cursor_is_in_the_form_after_login(demo_sqlite_db: Database, qtbot: QtBot,
                                               startups: list[Startup]) -> None:
    startup = Startup(str(demo_sqlite_db.url), runner=Runner(None))
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startups.append(startup)
    startup.begin()
    qtbot.waitUntil(startup.login.login_button.isEnabled, timeout=10_000)
    with qtbot.waitActive(startup.login):  # as a window manager makes a new window active
        startup.login.activateWindow()
    enter_text(startup.login.username, "clerk")
    enter_text(startup.login.password, demo.DEMO_PASSWORD)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        press(Qt.Key.Key_Return)
    window = startup.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    form = window.intake_form
    assert form is not None and window.tabs.currentWidget() is form
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.dispute_type)
    QTest.keyClicks(form.dispute_type, "ld")
    assert form.dispute_type.currentText() == "劳动争议"


def test_the_mediator_lists_elsewhere_take_pinyin_initials(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                                            qtbot: QtBot) -> None:
    """The same type-ahead in the other forms' long lists: the assign panel's mediators."""
    from mediation_desk.services import workflow

    from .conftest import register_case
    from .test_routing import open_assign, open_view

    case_id = register_case(demo_sqlite_db, clerk)
    with demo_sqlite_db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
    view = open_view(runner, clerk, qtbot, case_id)
    panel = open_assign(view, qtbot)
    combo = panel.lead_combo
    assert combo.property("typeAhead") and combo.count() > 2
    wanted = combo.itemText(combo.count() - 1)
    typed_initials = search_keys(wanted[:3])[1]  # the name's initials, e.g. ljg for 李建国
    combo.setFocus()
    QTest.keyClicks(combo, typed_initials)
    assert search_keys(combo.currentText())[1].startswith(typed_initials), combo.currentText()
