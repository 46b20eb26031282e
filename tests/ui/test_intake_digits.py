"""Digits on the registration form as an input method brings them: full-width ０–９ are digits (and
saved as ASCII), superscripts and other scripts' digits are refused next to their field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import DisputeCase, Party
from mediation_desk.ui.intake.form import IntakeForm, Registered

from ..conftest import login_as
from .conftest import Runner
from .test_intake_form import commit, fill_minimal, make_form, press, save

pytestmark = pytest.mark.gui


@pytest.fixture
def form(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> IntakeForm:
    return make_form(runner, login_as(demo_sqlite_db, "clerk"), qtbot)


def commit_into(widget: QLineEdit, text: str) -> None:
    """Click into the field and let the input method commit the text, then leave with Tab."""
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    commit(widget, text)
    press(Qt.Key.Key_Tab)


def test_full_width_numbers_are_accepted_and_saved_in_ascii(form: IntakeForm, demo_sqlite_db: Database) -> None:
    party = form.parties[0]
    commit_into(form.amount, "１２，５００．５０")
    commit_into(form.people, "１２人")
    commit_into(party.phone, "１３８ ００１３ ８０００")
    commit_into(party.id_number, "１１０１０５１９４９１２３１００２ｘ")
    assert [form.amount_box.message, form.people_box.message, party.phone_box.message,
            party.id_number_box.message] == ["", "", "", ""]
    fill_minimal(form)
    registered: list[Registered] = []
    form.registered.connect(registered.append)
    save(form)
    assert len(registered) == 1, form.message_label.text()
    with demo_sqlite_db.read() as session:
        case = session.get(DisputeCase, registered[0].case_id)
        assert case is not None
        assert (case.amount_involved, case.people_involved) == (Decimal("12500.50"), 12)
        stored = session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.seq)).first()
        assert stored is not None and (stored.phone, stored.id_number) == ("13800138000", "11010519491231002X")


@pytest.mark.parametrize(("field", "text", "message"), [
    ("amount", "10²⁰", "as a number"),
    ("amount", "١٢٥٠٠", "as a number"),
    ("amount", "1e5", "as a number"),
    ("people", "²", "whole number"),
    ("people", "٣", "whole number"),
    ("phone", "1³800138000", "只能包含数字"),
    ("phone", "١٣٨٠٠١٣٨٠٠٠", "只能包含数字"),
    ("id_number", "11010519491231002²", "最后一位只能是数字或 X"),
])
def test_other_digits_are_refused_and_kept_as_typed(form: IntakeForm, field: str, text: str, message: str) -> None:
    party = form.parties[0]
    widget, box = {"amount": (form.amount, form.amount_box), "people": (form.people, form.people_box),
                   "phone": (party.phone, party.phone_box),
                   "id_number": (party.id_number, party.id_number_box)}[field]
    commit_into(widget, text)
    assert message in box.message
    assert widget.text() == text
