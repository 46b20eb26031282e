"""The agreement tab: drafted from the case, terms typed in the table, saved, signed and printed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import AgreementKind, CaseState, DisputeCase
from mediation_desk.services import agreements, cases
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.tabs.agreement import AgreementTab, TermRow, TermsModel, capitals_text, parse_amount

from ..conftest import login_as
from .conftest import Runner, check_model, type_text

pytestmark = pytest.mark.gui


@pytest.fixture
def mediator(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "mediator")


def case_without_agreement(db: Database, actor: Actor) -> int:
    """A demo case of the mediator's team, in mediation, with no agreement yet."""
    with db.read() as session:
        ids = session.scalars(select(DisputeCase.id).where(
            DisputeCase.state == CaseState.IN_MEDIATION, DisputeCase.team_id.in_(actor.team_ids))
            .order_by(DisputeCase.id)).all()
        found = next((i for i in ids if not agreements.agreements_of(session, i)), None)
    assert found is not None
    return found


@pytest.fixture
def tab(runner: Runner, mediator: Actor, qtbot: QtBot) -> AgreementTab:
    widget = AgreementTab(runner, mediator)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.show()
    return widget


def drafted(tab: AgreementTab, qtbot: QtBot, case_id: int) -> None:
    tab.show_case(case_id)
    assert tab.none_panel.isVisible() and tab.draft_written_button.isVisible()
    with qtbot.waitSignal(tab.changed):
        tab.draft_written_button.click()
    assert tab.agreement is not None and tab.scroll_area.isVisible() and not tab.none_panel.isVisible()


def edit_cell(tab: AgreementTab, row: int, column: int) -> QLineEdit | QComboBox:
    index = tab.terms_model.index(row, column)
    tab.terms_table.setCurrentIndex(index)
    tab.terms_table.edit(index)
    editor = tab.terms_table.indexWidget(index) or tab.terms_table.focusWidget()
    assert isinstance(editor, QLineEdit | QComboBox), editor
    return editor


def test_two_terms_one_without_deadline(tab: AgreementTab, mediator: Actor, demo_sqlite_db: Database,
                                        qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    case_id = case_without_agreement(demo_sqlite_db, mediator)
    drafted(tab, qtbot, case_id)
    with demo_sqlite_db.read() as session:
        detail = cases.case_detail(session, mediator, case_id)
    # Pre-filled from the case: facts, the parties (read-only), one copy per party plus one.
    assert tab.facts.toPlainText() == detail.facts
    assert tab.parties_model.rowCount() == len(detail.parties)
    assert tab.copies.value() == len(detail.parties) + 1
    obligor, obligee = detail.parties[-1], detail.parties[0]

    type_text(tab.responsibilities, "被申请人对围墙占用通道负主要责任。")
    tab.terms_table.setFocus()
    QTest.keyClick(tab.terms_table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(tab.terms_table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab.terms_model.rowCount() == 2

    # Term 1, as typed in the table: the obligor from a combo of the case's parties, the amount
    # with its capitals shown while typing.
    combo = edit_cell(tab, 0, TermsModel.COL_OBLIGOR)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(1, combo.count())] == [p.name for p in detail.parties]
    combo.setCurrentIndex(combo.findData(obligor.id))
    tab.terms_delegate.commitData.emit(combo)
    tab.terms_delegate.closeEditor.emit(combo)
    amount = edit_cell(tab, 0, TermsModel.COL_AMOUNT)
    assert isinstance(amount, QLineEdit)
    QTest.keyClicks(amount, "12500")
    assert tab.capitals_label.text().endswith("人民币壹万贰仟伍佰元整")
    QTest.keyClick(amount, Qt.Key.Key_Return)  # the delegate commits on the next turn of the loop
    cell = tab.terms_model.index(0, TermsModel.COL_CAPITALS)
    qtbot.waitUntil(lambda: cell.data() == "人民币壹万贰仟伍佰元整")
    assert tab.terms_model.index(0, TermsModel.COL_AMOUNT).data() == "12,500.00"
    model = tab.terms_model
    model.setData(model.index(0, TermsModel.COL_OBLIGEE), obligee.id, TermsModel.PartyIdRole)
    model.setData(model.index(0, TermsModel.COL_CONTENT), "赔偿通行损失")
    model.setData(model.index(0, TermsModel.COL_DUE), date.today() + timedelta(days=30))
    model.setData(model.index(0, TermsModel.COL_METHOD), "银行转账")
    # Term 2: no deadline.
    model.setData(model.index(1, TermsModel.COL_OBLIGOR), obligor.id, TermsModel.PartyIdRole)
    model.setData(model.index(1, TermsModel.COL_CONTENT), "拆除围墙一米，恢复通行")
    check_model(qtmodeltester, model)

    QTest.keyClick(tab.terms_table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab.terms_error.isVisible()
    assert tab.terms_error.text() == "第 2 项协议内容须写明履行期限。"
    assert model.term(1).error == tab.terms_error.text() and not model.term(0).error
    assert model.headerData(1, Qt.Orientation.Vertical) == "2 ⚠"
    assert model.index(1, TermsModel.COL_DUE).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert tab.terms_table.currentIndex() == model.index(1, TermsModel.COL_DUE)
    # Nothing typed is lost.
    assert model.term(0).amount == Decimal("12500") and model.term(1).content == "拆除围墙一米，恢复通行"
    assert tab.responsibilities.toPlainText() == "被申请人对围墙占用通道负主要责任。"
    assert tab.dirty

    model.setData(model.index(1, TermsModel.COL_DUE), date.today() + timedelta(days=10))
    assert not model.term(1).error, "fixing the cell clears its message"
    with qtbot.waitSignal(tab.changed):
        tab.save_button.click()
    assert not tab.terms_error.isVisible() and not tab.dirty
    with demo_sqlite_db.read() as session:
        [saved] = agreements.agreements_of(session, case_id)
    assert [t.content for t in saved.terms] == ["赔偿通行损失", "拆除围墙一米，恢复通行"]
    assert saved.terms[0].amount_text.startswith("人民币壹万贰仟伍佰元整")
    assert saved.terms[0].obligee_party_id == obligee.id
    assert saved.responsibilities == "被申请人对围墙占用通道负主要责任。"


def write_one_term(tab: AgreementTab, obligor_id: int) -> None:
    model = tab.terms_model
    tab.add_term()
    model.setData(model.index(0, TermsModel.COL_OBLIGOR), obligor_id, TermsModel.PartyIdRole)
    model.setData(model.index(0, TermsModel.COL_CONTENT), "支付补偿款")
    model.setData(model.index(0, TermsModel.COL_AMOUNT), "3000.5")
    model.setData(model.index(0, TermsModel.COL_DUE), date.today() + timedelta(days=15))
    model.setData(model.index(0, TermsModel.COL_PLACE), "调解中心")
    model.setData(model.index(0, TermsModel.COL_METHOD), "银行转账")


def test_signing_without_a_manner_of_performance_is_refused_on_its_cell(
        tab: AgreementTab, mediator: Actor, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    case_id = case_without_agreement(demo_sqlite_db, mediator)
    drafted(tab, qtbot, case_id)
    write_one_term(tab, next(iter(tab.terms_model.parties)))
    model = tab.terms_model
    model.setData(model.index(0, TermsModel.COL_METHOD), "")
    tab.ask_signing_date = date.today
    tab.sign_button.click()
    qtbot.waitUntil(tab.terms_error.isVisible)
    assert tab.terms_error.text() == "第 1 项协议内容没有约定履行方式，不能签署：请填写履行方式并保存后再登记签署。"
    assert model.term(0).error_column == TermsModel.COL_METHOD
    assert model.term(0).place == "调解中心" and model.term(0).content == "支付补偿款"  # nothing typed is lost
    with demo_sqlite_db.read() as session:
        assert not any(a.signed for a in agreements.agreements_of(session, case_id))


def test_sign_takes_effect_and_locks(tab: AgreementTab, mediator: Actor, demo_sqlite_db: Database,
                                     qtbot: QtBot) -> None:
    case_id = case_without_agreement(demo_sqlite_db, mediator)
    drafted(tab, qtbot, case_id)
    write_one_term(tab, next(iter(tab.terms_model.parties)))
    tab.ask_signing_date = lambda: None  # cancelled
    tab.sign_button.click()
    assert tab.agreement is not None and not tab.agreement.signed
    signed_on = date.today() - timedelta(days=1)
    tab.ask_signing_date = lambda: signed_on
    with qtbot.waitSignal(tab.changed):
        tab.sign_button.click()  # unsaved terms are saved and signed in one go
    info = tab.agreement
    assert info is not None and info.signed_on == signed_on and info.effective_on == signed_on
    with demo_sqlite_db.read() as session:
        assert cases.case_detail(session, mediator, case_id).state is CaseState.SUCCEEDED
        assert agreements.agreements_of(session, case_id)[0].terms[0].amount == Decimal("3000.50")
    due = signed_on + timedelta(days=30)
    text = tab.status_label.text()
    assert f"{signed_on:%Y-%m-%d}" in text and f"{due:%Y-%m-%d}" in text
    assert tab.facts.isReadOnly() and not tab.save_button.isEnabled() and not tab.sign_button.isEnabled()
    index = tab.terms_model.index(0, TermsModel.COL_CONTENT)
    assert not tab.terms_model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not tab.terms_model.setData(index, "改过的内容")
    assert not tab.add_term_button.isEnabled()
    assert tab.print_button.isEnabled()


def test_terms_move_and_remove_by_keyboard(tab: AgreementTab, mediator: Actor, demo_sqlite_db: Database,
                                           qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    drafted(tab, qtbot, case_without_agreement(demo_sqlite_db, mediator))
    model = tab.terms_model
    for text in ("一", "二", "三"):
        tab.add_term()
        model.setData(tab.terms_table.currentIndex().siblingAtColumn(TermsModel.COL_CONTENT), text)
    assert [t.content for t in model.terms] == ["一", "二", "三"]
    tab.terms_table.setCurrentIndex(model.index(0, TermsModel.COL_CONTENT))
    QTest.keyClick(tab.terms_table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [t.content for t in model.terms] == ["二", "一", "三"]
    assert tab.terms_table.currentIndex().row() == 1
    QTest.keyClick(tab.terms_table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(tab.terms_table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # already first
    assert [t.content for t in model.terms] == ["一", "二", "三"]
    tab.terms_table.setCurrentIndex(model.index(2, 0))
    QTest.keyClick(tab.terms_table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # already last
    QTest.keyClick(tab.terms_table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert [t.content for t in model.terms] == ["一", "二"]
    check_model(qtmodeltester, model)
    assert tab.dirty


def test_copies_below_the_minimum_is_refused_next_to_the_field(tab: AgreementTab, mediator: Actor,
                                                               demo_sqlite_db: Database, qtbot: QtBot) -> None:
    drafted(tab, qtbot, case_without_agreement(demo_sqlite_db, mediator))
    write_one_term(tab, next(iter(tab.terms_model.parties)))
    tab.facts.clear()
    tab.save()
    error = tab._errors["facts"]
    assert error.isVisible() and error.text() == "请填写纠纷简要事实。"
    assert tab.terms_model.term(0).content == "支付补偿款"


def test_oral_agreement_and_preview(tab: AgreementTab, mediator: Actor, demo_sqlite_db: Database,
                                    qtbot: QtBot) -> None:
    case_id = case_without_agreement(demo_sqlite_db, mediator)
    tab.show_case(case_id)
    with qtbot.waitSignal(tab.changed):
        tab.draft_oral_button.click()
    assert tab.agreement is not None and tab.agreement.kind is AgreementKind.ORAL
    assert tab.kind_combo.currentData() == AgreementKind.ORAL.value
    write_one_term(tab, next(iter(tab.terms_model.parties)))
    tab.save()
    tab.print_button.click()
    preview = tab.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.page_count > 0, timeout=10_000)
    assert "Oral agreement" in preview.windowTitle()
    preview.close()


def test_clerk_sees_no_editor(runner: Runner, mediator: Actor, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    tab = AgreementTab(runner, login_as(demo_sqlite_db, "clerk"))
    qtbot.addWidget(tab)
    tab.show()
    tab.show_case(case_without_agreement(demo_sqlite_db, mediator))
    assert tab.none_panel.isVisible() and not tab.draft_written_button.isVisible()


def test_amount_helpers() -> None:
    assert capitals_text(Decimal("12500")) == "人民币壹万贰仟伍佰元整"
    assert capitals_text(None) == ""
    assert parse_amount("12,500.5") == Decimal("12500.5")
    assert parse_amount("") is None and parse_amount("abc") is None and parse_amount("-3") is None
    model = TermsModel()
    model.set_terms([TermRow(content="x")])
    assert not model.setData(model.index(0, TermsModel.COL_AMOUNT), "12a")
    assert model.term(0).amount is None
