"""The judged walk of issue 19: a new clerk registers ten disputes in a row at 1366×768 with the
keyboard alone and a scanned ID card (read from a generated card image), some typed wrong first —
an ID number with a wrong check digit, a mobile number one digit short, a date of birth of
2026-12-31 typed in full — and put right as a person does. After every save the case holds
exactly what was typed (and what the card says), and the form is back at the top, clean, with the
cursor in its first field, nothing of the previous visitor left on it, and the window still fits
the screen."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import Attachment, AttachmentKind, Gender, IdDocumentType, Party, PartyKind
from mediation_desk.services import cases, phrases, validation
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput
from mediation_desk.ui.common.widgets import ImeLineEdit
from mediation_desk.ui.intake.fields import FieldBox
from mediation_desk.ui.intake.form import IntakeForm, Registered
from mediation_desk.ui.intake.party import PartyForm
from tests.idcard_gen import make_card, render

from ..conftest import login_as
from .conftest import Runner, type_text
from .screen import SCREEN_WIDTH, open_window

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
#: The day of the walk: the ID card below is valid then, and 2026-12-31 is a birth date to come.
TODAY = datetime(2026, 12, 5, 9, 30)
SCREEN_HEIGHT = 768
#: The card of test_intake_idcard.py, which the reader reads exactly.
CARD = replace(make_card(501, rotation=2.0), name="周海燕")


def resident_id(born: str, sequence: int) -> str:
    first17 = f"620702{born}{sequence:03d}"
    return first17 + validation.resident_id_check_char(first17)


def wrong_check_digit(number: str) -> str:
    """The same number with another check character, one that makes no credit code either."""
    for char in "0123456789X":
        candidate = number[:17] + char
        if char == number[17]:
            continue
        try:
            validation.check_credit_code(candidate)
        except InvalidInput:
            return candidate
    raise AssertionError(number)


def credit_code(first17: str) -> str:
    return first17 + validation.credit_code_check_char(first17)


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    phone: str
    #: Typed first and put right: "id" (a wrong check digit), "phone" (a digit short).
    slip: str = ""
    #: A passport holder: the type is chosen, sex and birth date typed (the date wrong first).
    passport: bool = False
    sex: str = ""
    born: str = ""


@dataclass(frozen=True)
class Company:
    name: str
    code: str
    phone: str


@dataclass(frozen=True)
class Dispute:
    keys: str  # what the clerk types in the type list (pinyin initials)
    dispute_type: str
    applicants: tuple[Person, ...]
    respondent: Person | Company
    facts: str
    requests: tuple[str, ...]
    #: None: the suggestion is taken with Enter.
    title: str | None = None
    #: The first applicant shows the ID card (``CARD``): scanned, not typed.
    card: bool = False
    #: Requests taken as stock phrases (Alt+number), before the typed ones.
    phrases: tuple[int, ...] = ()


DISPUTES = (
    Dispute("ld", "劳动争议",
            (Person("", "", "13993600001"), Person("王建国", resident_id("19800312", 11), "13993600002")),
            Company("甘州区宏远建筑劳务有限公司", credit_code("91620702MA7LK0A2C"), "0936-8212345"),
            "二人在该公司工地务工三个月，", ("请求承担交通费用",), card=True, phrases=(1,)),
    Dispute("ll", "邻里", (Person("李秀英", resident_id("19671109", 22), "13893600003", slip="id"),),
            Person("赵明", resident_id("19720815", 33), "13893600004"),
            "邻居在共用通道堆放柴草，影响通行。", ("请求清除通道上的柴草",)),
    Dispute("hy", "婚姻家庭", (Person("陈桂兰", resident_id("19550101", 44), "13993600005"),),
            Person("陈志强", resident_id("19820606", 55), "13993600006"),
            "儿子不支付赡养费。", ("请求每月支付赡养费五百元",), title="陈桂兰与陈志强赡养费纠纷"),
    Dispute("wy", "物业", (Person("刘海燕", resident_id("19900220", 66), "13993600007", slip="phone"),),
            Company("张掖市恒信物业服务有限公司", credit_code("91620702MA7AB0C1D"), "0936-8200007"),
            "电梯停运两个月无人维修。", ("请求维修电梯",)),
    Dispute("ht", "合同", (Person("杨军", resident_id("19780909", 77), "13993600008"),),
            Person("周丽", resident_id("19850505", 88), "13993600009"),
            "借款到期未还。", ("请求归还借款两万元",), phrases=(2,)),
    Dispute("xf", "消费", (Person("Anna Petrova", "E12345678", "13993600010", passport=True, sex="女",
                                born="1990-12-31"),),
            Company("甘州区丰源农机修理厂", credit_code("92620702MA7CD0E2F"), "0936-8200010"),
            "修理后的农机仍无法使用。", ("请求退还修理费",)),
    Dispute("shp", "损害赔偿", (Person("黄伟", resident_id("19700707", 99), "13993600011"),),
            Person("吴芳", resident_id("19880808", 101), "13993600012"),
            "对方的羊群啃食麦苗。", ("请求赔偿麦苗损失",)),
    Dispute("dl", "道路交通事故", (Person("张明", resident_id("19951212", 111), "13993600013"),),
            Person("李伟", resident_id("19930303", 121), "13993600014"),
            "电动车与三轮车相撞。", ("请求赔偿医疗费",)),
    Dispute("fw", "房屋宅基地", (Person("赵桂兰", resident_id("19600606", 131), "13993600015"),
                                 Person("赵志强", resident_id("19850909", 141), "13993600016")),
            Person("钱丽", resident_id("19791010", 151), "13993600017"),
            "院墙界址有争议。", ("请求确认院墙界址",)),
    Dispute("qt", "其他", (Person("孙海燕", resident_id("19921111", 161), "13993600018"),),
            Person("周军", resident_id("19870101", 171), "13993600019"),
            "对方的狗咬伤了申请人。", ("请求赔偿医疗费八百元",)),
)


# --------------------------------------------------------------------------- keys


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifiers)


def typed(text: str) -> None:
    """ASCII key by key; Chinese as an input method commits it."""
    if text.isascii():
        QTest.keyClicks(focused(), text)
    else:
        type_text(focused(), text)


def message_of(widget: QWidget) -> str:
    box = widget.parentWidget()
    assert isinstance(box, FieldBox)
    return box.message


# --------------------------------------------------------------------------- one registration


def scan_card(form: IntakeForm, party: PartyForm, folder: Path, qtbot: QtBot) -> None:
    """Ctrl+O, the card's file name typed into the file dialog, Enter: the card is imported as the
    party's 身份证 and read into it."""
    image = folder / "身份证.jpg"
    image.write_bytes(render(CARD, "front"))
    press(Qt.Key.Key_O, CTRL)
    box = form.documents_box
    dialog = box.file_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    name_edit = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name_edit is not None and focused() is name_edit  # the dialog opens with the cursor in its name
    typed(f"{folder}/")  # the folder, as a person types a path
    type_text(name_edit, image.name)  # 身份证.jpg through the input method
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(box.documents) == 1 and not form.id_cards.reading, timeout=120_000)
    [document] = box.documents
    assert document.kind is AttachmentKind.IDENTITY and document.party is party
    qtbot.waitUntil(party.phone.hasFocus)  # the card gave all but the phone
    assert (party.name.text(), party.id_number.text(), party.birth_date.text(), party.address.text()) == (
        CARD.name, CARD.id_number, CARD.birth.isoformat(), CARD.address)
    assert party.gender_value() is (Gender.MALE if CARD.sex == "男" else Gender.FEMALE)
    assert party.ethnicity.currentText() == CARD.ethnicity + "族"
    assert party.card_marks() == {"name", "sex", "ethnicity", "birth_date", "address", "id_number"}
    press(Qt.Key.Key_I, CTRL | SHIFT)  # compared with the card: confirmed
    assert party.card_marks() == set() and party.phone.hasFocus()
    # Sex and birth date came with the number: out of the tab chain like a typed number's.
    assert not party.gender.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert not party.birth_date.focusPolicy() & Qt.FocusPolicy.TabFocus


def enter_person(party: PartyForm, person: Person) -> None:
    """From the party's name field: name, number, phone (and what a passport needs)."""
    assert focused() is party.name
    typed(person.name)
    press(Qt.Key.Key_Tab)
    assert focused() is party.id_number  # a resident ID is the usual document: its type is passed
    if person.passport:
        press(Qt.Key.Key_Tab, SHIFT)
        assert focused() is party.id_type
        typed("hz")  # 护照, by its pinyin initials
        assert party.id_document() is IdDocumentType.PASSPORT
        press(Qt.Key.Key_Tab)
        typed(person.id_number)
        press(Qt.Key.Key_Tab)
    elif person.slip == "id":
        wrong = wrong_check_digit(person.id_number)
        typed(wrong)
        assert focused() is party.id_number  # a wrong number does not move on
        press(Qt.Key.Key_Tab)
        assert "校验位" in message_of(party.id_number)
        press(Qt.Key.Key_Tab, SHIFT)
        assert focused() is party.id_number
        press(Qt.Key.Key_End)  # Shift+Tab selected the whole number
        press(Qt.Key.Key_Backspace)
        typed(person.id_number[17])
        assert message_of(party.id_number) == ""
    else:
        typed(person.id_number)
    assert focused() is party.phone  # a complete valid number moved on by itself
    if person.slip == "phone":
        typed(person.phone[:10])
        press(Qt.Key.Key_Tab)
        assert "11 位" in message_of(party.phone)
        press(Qt.Key.Key_Tab, SHIFT)
        assert focused() is party.phone
        press(Qt.Key.Key_End)
        typed(person.phone[10])
        assert message_of(party.phone) == ""
        assert focused() is not party.phone  # complete now: moved on
    else:
        typed(person.phone)
    if person.passport:
        assert focused() is party.gender  # typed for a passport: in the chain
        typed("nv" if person.sex == "女" else "n")
        press(Qt.Key.Key_Tab)
        assert focused() is party.birth_date
        typed("2026-12-31")  # the day the visa ends, typed into the wrong field
        press(Qt.Key.Key_Tab)
        assert message_of(party.birth_date) == "出生日期不能晚于今天。"
        press(Qt.Key.Key_Tab, SHIFT)
        assert focused() is party.birth_date
        press(Qt.Key.Key_A, CTRL)
        typed(person.born)
        press(Qt.Key.Key_Tab)
        assert message_of(party.birth_date) == ""


def register(form: IntakeForm, dispute: Dispute, folder: Path, qtbot: QtBot) -> Registered:
    assert focused() is form.dispute_type
    typed(dispute.keys)
    assert form.dispute_type.currentText() == dispute.dispute_type
    press(Qt.Key.Key_Return, CTRL)
    for index, person in enumerate(dispute.applicants):
        if index:
            press(Qt.Key.Key_P, CTRL)
        party = form.parties[index]
        assert focused() is party.name
        if dispute.card and index == 0:
            scan_card(form, party, folder, qtbot)
            typed(person.phone)
        else:
            enter_person(party, person)
    press(Qt.Key.Key_Return, CTRL)  # the respondent
    respondent = form.parties[len(dispute.applicants)]
    if isinstance(dispute.respondent, Company):
        assert focused() is respondent.name
        typed(dispute.respondent.name)
        press(Qt.Key.Key_Tab)  # the name made it a legal person: its credit code is next
        assert respondent.kind() is PartyKind.LEGAL_PERSON and focused() is respondent.credit_code
        typed(dispute.respondent.code)
        assert focused() is respondent.phone
        typed(dispute.respondent.phone)
    else:
        enter_person(respondent, dispute.respondent)
    press(Qt.Key.Key_Return, CTRL)
    assert focused() is form.title
    if dispute.title is None:
        press(Qt.Key.Key_Return)  # the suggestion, built from the parties and the type
    else:
        typed(dispute.title)
        press(Qt.Key.Key_Return)
    assert focused() is form.facts
    typed(dispute.facts)
    if dispute.card:
        press(Qt.Key.Key_1, ALT)  # a stock phrase of the type in the facts
    press(Qt.Key.Key_Return, CTRL)
    assert focused() is form.requests
    for line, number in enumerate(dispute.phrases):
        if line:
            press(Qt.Key.Key_Return)
        press(getattr(Qt.Key, f"Key_{number}"), ALT)
    for line, request in enumerate(dispute.requests):
        if line or dispute.phrases:
            press(Qt.Key.Key_Return)
        typed(request)
    done: list[Registered] = []
    form.registered.connect(done.append)
    press(Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    form.registered.disconnect(done.append)
    return done[0]


# --------------------------------------------------------------------------- what was saved


def expected_parties(dispute: Dispute) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for index, person in enumerate(dispute.applicants):
        if dispute.card and index == 0:
            rows.append((PartyKind.PERSON, CARD.name, IdDocumentType.RESIDENT_ID, CARD.id_number, person.phone,
                         Gender.MALE if CARD.sex == "男" else Gender.FEMALE, CARD.birth, CARD.ethnicity + "族",
                         CARD.address))
        else:
            rows.append(person_row(person))
    respondent = dispute.respondent
    if isinstance(respondent, Company):
        rows.append((PartyKind.LEGAL_PERSON, respondent.name, respondent.code, respondent.phone))
    else:
        rows.append(person_row(respondent))
    return rows


def person_row(person: Person) -> tuple[object, ...]:
    if person.passport:
        return (PartyKind.PERSON, person.name, IdDocumentType.PASSPORT, person.id_number, person.phone,
                Gender.FEMALE if person.sex == "女" else Gender.MALE, date.fromisoformat(person.born), "", "")
    info = validation.check_resident_id(person.id_number)
    return (PartyKind.PERSON, person.name, IdDocumentType.RESIDENT_ID, person.id_number, person.phone,
            info.gender, info.birth_date, "", "")


def saved_parties(db: Database, case_id: int) -> list[tuple[object, ...]]:
    with db.read() as session:
        parties = list(session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.seq)))
        return [(p.kind, p.name, p.credit_code, p.phone) if p.kind is PartyKind.LEGAL_PERSON else
                (p.kind, p.name, p.id_type, p.id_number, p.phone, p.gender, p.birth_date, p.ethnicity, p.address)
                for p in parties]


def check_saved(db: Database, dispute: Dispute, result: Registered, actor: Actor) -> None:
    with db.read() as session:
        detail = cases.case_detail(session, actor, result.case_id)
        documents = list(session.scalars(select(Attachment).where(Attachment.case_id == result.case_id)))
    offered = phrases.phrases_for(dispute.dispute_type)
    names = [CARD.name if dispute.card and i == 0 else p.name for i, p in enumerate(dispute.applicants)]
    kind = dispute.dispute_type if dispute.dispute_type.endswith(("纠纷", "争议")) else dispute.dispute_type + "纠纷"
    title = dispute.title or (names[0] + ("等" if len(names) > 1 else "") + "与" + dispute.respondent.name + kind)
    facts = dispute.facts + (offered.facts[0] if dispute.card else "")
    requests = tuple(offered.requests[n - 1] for n in dispute.phrases) + dispute.requests
    assert (detail.dispute_type, detail.title, detail.facts, tuple(detail.requests)) == (
        dispute.dispute_type, title, facts, requests)
    assert saved_parties(db, result.case_id) == expected_parties(dispute)
    assert [(d.kind, d.party_id is not None) for d in documents] == (
        [(AttachmentKind.IDENTITY, True)] if dispute.card else [])


def check_ready(form: IntakeForm, window: QWidget) -> None:
    """At the top, clean, the cursor first, nothing of the previous visitor, and on the screen."""
    assert form.scroll_area.verticalScrollBar().value() == 0
    assert focused() is form.dispute_type and form.dispute_type.currentIndex() == 0
    assert not form.has_unsaved_input() and not form.dirty
    assert form.title.text() == "" and form.facts.toPlainText() == "" and form.requests.toPlainText() == ""
    assert "与" not in form.title.placeholderText()  # no suggestion left from the last parties
    assert not form.facts_phrases.isVisible() and not form.requests_phrases.isVisible()
    assert len(form.parties) == 2 and all(p.is_blank() and p.kind() is PartyKind.PERSON for p in form.parties)
    assert all(not p.card_marks() and p.card_label.isHidden() and p.history_label.isHidden() for p in form.parties)
    assert form.documents_box.documents == []
    assert all(not box.message for box in form.findChildren(FieldBox))
    assert form.message_label.text() == "" and form.draft_label.text() == ""
    edits = [w for w in form.findChildren(ImeLineEdit) if w.isVisible()]
    assert all(w.text() == "" for w in edits if w.parentWidget() is not None
               and form.page.isAncestorOf(w)), [w.objectName() for w in edits if w.text()]
    hint = window.minimumSizeHint()
    assert hint.height() <= SCREEN_HEIGHT and hint.width() <= SCREEN_WIDTH, hint


def test_a_new_clerk_registers_ten_disputes_in_a_row(chinese: None, runner: Runner, demo_sqlite_db: Database,
                                                     qtbot: QtBot, tmp_path: Path,
                                                     time_machine: object) -> None:
    time_machine.move_to(TODAY)  # type: ignore[attr-defined]
    clerk = login_as(demo_sqlite_db, "clerk")
    window = open_window(runner, clerk, qtbot)
    form = window.intake_form
    assert form is not None and window.tabs.currentWidget() is form
    qtbot.waitUntil(lambda: form.dispute_type.count() > 1 and QApplication.focusWidget() is form.dispute_type)
    numbers = []
    for dispute in DISPUTES:
        result = register(form, dispute, tmp_path, qtbot)
        check_saved(demo_sqlite_db, dispute, result, clerk)
        check_ready(form, window)
        assert result.number in form.result_label.text() and form.result_bar.isVisible()
        numbers.append(result.number)
    assert len(set(numbers)) == len(DISPUTES)
