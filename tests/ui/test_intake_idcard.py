"""A resident ID card read into a party of the registration form: the images dropped on the party
are read on a worker lane (the window stays live), the fields filled and each marked "from the
card" until the clerk confirms it; a doubt of the reader is the field's message; a file that is not
a card says so under the party and changes nothing typed."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import AttachmentKind, Gender
from mediation_desk.scanning import idcard
from mediation_desk.ui.intake.form import IntakeForm
from mediation_desk.ui.intake.party import PartyForm
from tests.idcard_gen import make_card, render

from ..conftest import login_as
from .conftest import Runner
from .test_intake_form import commit, make_form

pytestmark = pytest.mark.gui

CARD = replace(make_card(501, rotation=2.0), name="周海燕")
BAD = make_card(502, defect="check_digit", rotation=-1.0)


@pytest.fixture
def form(chinese: None, threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> IntakeForm:
    return make_form(threaded, login_as(demo_sqlite_db, "clerk"), qtbot)


def drop(party: PartyForm, *paths: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = QPoint(party.width() // 2, 5)
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(party, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(party, event)


def read_dropped(form: IntakeForm, qtbot: QtBot, *paths: Path) -> PartyForm:
    party = form.parties[0]
    with qtbot.waitSignal(form.id_cards.finished, timeout=120_000):
        drop(party, *paths)
        assert party.card_label.text() == "正在读取身份证…"  # shown at once; the reading is elsewhere
    return party


def test_a_dropped_card_fills_the_party_and_marks_each_field_until_confirmed(
        form: IntakeForm, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    original = idcard.read_id_card

    def watched(*args: object, **kwargs: object) -> idcard.IdCardReading:
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(idcard, "read_id_card", watched)
    front, back = tmp_path / "正面.jpg", tmp_path / "背面.jpg"
    front.write_bytes(render(CARD, "front"))
    back.write_bytes(render(CARD, "back"))
    party = read_dropped(form, qtbot, back, front)
    assert threads and threads[0] != threading.main_thread().name
    assert (party.name.text(), party.id_number.text(), party.birth_date.text(), party.address.text()) == (
        CARD.name, CARD.id_number, CARD.birth.isoformat(), CARD.address)
    assert party.gender_value() is (Gender.MALE if CARD.sex == "男" else Gender.FEMALE)
    assert party.ethnicity.currentText() == CARD.ethnicity + "族"
    assert party.card_marks() == {"name", "sex", "ethnicity", "birth_date", "address", "id_number"}
    assert "来自证件" in party.name_box.caption.text()
    assert "证件" in party.name.toolTip() and party.name.property("fromCard") is True
    assert CARD.authority in party.card_label.text()
    assert party.confirm_card_button.isVisible()
    assert {key: box.message for key, box in party.boxes.items() if box.message} == {}
    # The card's images go with the registration as the party's 身份证 (copied into the case file).
    box = form.documents_box
    qtbot.waitUntil(lambda: len(box.documents) == 2)
    assert [(d.kind, d.party) for d in box.documents] == [(AttachmentKind.IDENTITY, party)] * 2
    # The back is kept with the party (saved, and in the draft).
    until = f"{CARD.valid_until:%Y.%m.%d}" if CARD.valid_until else "长期"
    saved = party.to_input()
    assert (saved.id_issuer, saved.id_validity) == (CARD.authority, f"{CARD.valid_from:%Y.%m.%d}-{until}")
    again = PartyForm()
    again.restore(party.state())
    assert (again.id_issuer, again.id_validity) == (saved.id_issuer, saved.id_validity)

    # The clerk corrects the address: that field is theirs now; the others stay marked.
    party.address.setFocus(Qt.FocusReason.MouseFocusReason)
    QTest.keyClick(party.address, Qt.Key.Key_End)
    commit(party.address, "（东门）")
    QTest.keyClicks(party.address, "2")
    assert party.address.text() == CARD.address + "（东门）2"
    assert "address" not in party.card_marks() and "name" in party.card_marks()
    assert "来自证件" not in party.address_box.caption.text() and party.address.styleSheet() == ""

    # Confirm: the rest of the marks go.
    QTest.mouseClick(party.confirm_card_button, Qt.MouseButton.LeftButton)
    assert party.card_marks() == set()
    assert "来自证件" not in party.name_box.caption.text() and not party.confirm_card_button.isVisible()


def test_a_card_whose_check_digit_is_wrong_says_so_under_the_number(form: IntakeForm, qtbot: QtBot,
                                                                    tmp_path: Path) -> None:
    both = tmp_path / "复印件.jpg"
    both.write_bytes(render(BAD, "both"))
    party = read_dropped(form, qtbot, both)
    assert party.id_number.text() == BAD.id_number
    assert "校验位" in party.id_number_box.message
    assert "id_number" in party.card_marks()


def test_a_file_that_is_not_a_card_image_is_refused_under_the_party(form: IntakeForm, qtbot: QtBot,
                                                                    tmp_path: Path) -> None:
    party = form.parties[0]
    party.name.setFocus()
    commit(party.name, "李四")
    text = tmp_path / "说明.jpg"
    text.write_text("不是图片", encoding="utf-8")
    read_dropped(form, qtbot, text)
    assert "说明.jpg" in party.card_label.text() and "不能读取" in party.card_label.text()
    assert party.name.text() == "李四" and party.card_marks() == set()
