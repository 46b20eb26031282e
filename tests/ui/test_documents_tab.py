"""The documents tab: which documents of the case apply now, why the others do not, previews."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.documents import kinds
from mediation_desk.models import CaseState, DisputeCase
from mediation_desk.services import agreements, dossier
from mediation_desk.services.actor import Actor
from mediation_desk.services.agreements import AgreementInput, TermInput
from mediation_desk.ui.cases.tabs.documents import DocumentsTab

from ..conftest import login_as
from ..documents.conftest import compact, pdf_text
from ..services.settled import settle, with_every_document
from .conftest import Runner, check_model

pytestmark = pytest.mark.gui

SHOTS = os.environ.get("MEDIATION_DESK_SHOTS", "")


@pytest.fixture
def mediator(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "mediator")


def case_without_agreement(db: Database, actor: Actor) -> int:
    with db.read() as session:
        ids = session.scalars(select(DisputeCase.id).where(
            DisputeCase.state == CaseState.IN_MEDIATION, DisputeCase.team_id.in_(actor.team_ids))
            .order_by(DisputeCase.id)).all()
        found = next((i for i in ids if not agreements.agreements_of(session, i)), None)
    assert found is not None
    return found


@pytest.fixture
def tab(runner: Runner, mediator: Actor, qtbot: QtBot) -> DocumentsTab:
    widget = DocumentsTab(runner, mediator)
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    widget.show()
    return widget


def test_lists_what_applies_and_why_not(tab: DocumentsTab, mediator: Actor, demo_sqlite_db: Database,
                                        qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    case_id = case_without_agreement(demo_sqlite_db, mediator)
    with qtbot.waitSignal(tab.checked) as checked:
        tab.show_case(case_id)
    model = tab.model
    assert [r.kind for r in model.rows] == list(dossier.DOCUMENT_KINDS)
    check_model(qtmodeltester, model)
    registration = model.rows[tab.row_of("registration")]  # type: ignore[index]
    assert registration.applies and not registration.reason
    agreement = model.rows[tab.row_of("agreement")]  # type: ignore[index]
    assert not agreement.applies and "还没有" in agreement.reason
    status = model.index(tab.row_of("agreement") or 0, model.COL_STATUS)
    # The reason without the case's number, which the page shows: the whole of it in the tooltip.
    number = tab._number
    assert number and agreement.reason.startswith(f"案件 {number} ")
    assert status.data() == agreement.reason.removeprefix(f"案件 {number} ")
    assert status.data(Qt.ItemDataRole.ToolTipRole) == f"Not yet: {agreement.reason}"
    assert checked.args == [sum(1 for r in model.rows if r.applies)]
    assert f"{checked.args[0]} of {len(model.rows)}" in tab.status_label.text()
    assert tab.progress.isHidden()

    # Enter on a document that does not apply says why, and opens nothing.
    tab.table.setCurrentIndex(model.index(tab.row_of("agreement") or 0, 0))
    assert not tab.open_button.isEnabled()
    tab.table.setFocus()
    QTest.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.preview is None and tab.status_label.text() == agreement.reason

    # Enter on the registration form makes it (the list made no PDF) and previews it.
    tab.table.setCurrentIndex(model.index(tab.row_of("registration") or 0, 0))
    QTest.keyClick(tab.table, Qt.Key.Key_Return)
    preview = tab.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.page_count > 0, timeout=15_000)
    with demo_sqlite_db.read() as session:
        assert preview.data == dossier.render_document(session, mediator, case_id, "registration")
    preview.close()


def test_the_dossier_is_made_when_opened(tab: DocumentsTab, mediator: Actor, demo_sqlite_db: Database,
                                         qtbot: QtBot) -> None:
    case_id = case_without_agreement(demo_sqlite_db, mediator)
    tab.show_case(case_id)
    row = tab.row_of("dossier")
    assert row is not None and tab.model.rows[row].applies
    index = tab.model.index(row, 0)
    tab.table.setCurrentIndex(index)
    rect = tab.table.visualRect(index)
    # A real double-click is press, release, then the double-click event (the view checks the press).
    QTest.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    preview = tab.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.page_count > 0, timeout=15_000)
    assert preview.page_count >= 3  # cover, index, the documents
    preview.close()


def test_a_signed_agreement_becomes_printable(tab: DocumentsTab, runner: Runner, mediator: Actor,
                                              demo_sqlite_db: Database, qtbot: QtBot) -> None:
    case_id = case_without_agreement(demo_sqlite_db, mediator)
    tab.show_case(case_id)
    assert not tab.model.rows[tab.row_of("agreement") or 0].applies

    def work(session: Session) -> None:
        info = agreements.draft(session, mediator, case_id)
        party = info.terms[0].obligor_party_id if info.terms else None
        from mediation_desk.services import cases

        party = party or cases.case_detail(session, mediator, case_id).parties[0].id
        info = agreements.save(session, mediator, info.id, AgreementInput(
            kind=info.kind, facts=info.facts or "事实", disputed_matters=info.disputed_matters or "争议",
            responsibilities="", copies=info.copies,
            terms=[TermInput(obligor_party_id=party, content="恢复通行", due_on=date.today() + timedelta(days=7),
                             place="院前通道", method="自行清理")]),
            expected_version=info.version)
        agreements.sign(session, mediator, info.id, signed_on=date.today())

    with qtbot.waitSignal(tab.checked):
        runner.run_write(work, changes=Changes.cases(case_id, list_changed=True))
    for kind in ("agreement", "confirmation-application"):
        assert tab.model.rows[tab.row_of(kind) or 0].applies, kind


def test_every_kind_has_a_chinese_row_and_each_previews_its_own_pdf_by_keyboard(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, qtmodeltester: ModelTester, chinese: None) -> None:
    """On a case holding every kind of document, every cell of the list is Chinese (the 回访记录
    row showed its kind's name, "return-visit"), and walking the list with the arrow keys, Enter
    previews each document: the PDF the services make for that kind, whose text has its title."""
    clerk, head, mediator = (login_as(demo_sqlite_db, name) for name in ("clerk", "head", "mediator"))
    s = settle(demo_sqlite_db, clerk, head, mediator, min(mediator.team_ids))
    with_every_document(s)
    tab = DocumentsTab(runner, mediator)
    qtbot.addWidget(tab)
    tab.resize(1100, 500)
    tab.show()
    with qtbot.waitSignal(tab.checked) as checked:
        tab.show_case(s.case_id)
    model = tab.model
    check_model(qtmodeltester, model)
    assert [r.kind for r in model.rows] == list(dossier.DOCUMENT_KINDS)
    assert checked.args == [len(dossier.DOCUMENT_KINDS)]  # every kind applies
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            text = model.index(row, column).data()
            assert text and not any(c.isascii() and c.isalpha() for c in text), (row, column, text)
    name = model.index(tab.row_of("return-visit") or 0, model.COL_DOCUMENT).data()
    assert name == "回访记录"
    if SHOTS:
        tab.grab().save(str(Path(SHOTS) / "documents_tab_every_kind.png"))

    tab.table.setFocus()
    QTest.keyClick(tab.table, Qt.Key.Key_Home)
    for position, kind in enumerate(dossier.DOCUMENT_KINDS):
        assert tab.table.currentIndex().row() == position
        QTest.keyClick(tab.table, Qt.Key.Key_Return)
        preview = tab.preview
        assert preview is not None
        qtbot.waitUntil(lambda p=preview: p.page_count > 0, timeout=30_000)  # type: ignore[misc]
        text = compact(pdf_text(preview.data))
        if kind == "dossier":
            assert preview.page_count >= 3 and "卷内目录" in text  # cover, index, the documents
        else:
            with demo_sqlite_db.read() as session:
                assert preview.data == dossier.render_document(session, mediator, s.case_id, kind), kind
            assert compact(kinds.TITLES[kind]) in text, kind
        preview.close()
        tab.table.setFocus()
        QTest.keyClick(tab.table, Qt.Key.Key_Down)


def test_a_reason_is_read_whole_beside_a_countys_number(runner: Runner, mediator: Actor, demo_sqlite_db: Database,
                                                        qtbot: QtBot, chinese: None, app_fonts: str | None) -> None:
    """On the 1M demo's big case the reasons began with the case's number and were cut behind it
    (暂不可用：案件 （2026）甘矛调字第…): the reason alone in its greyed row, first and whole; the
    number, shown by the page, in the tooltip with the whole text."""
    case_id = case_without_agreement(demo_sqlite_db, mediator)
    tab = DocumentsTab(runner, mediator)
    qtbot.addWidget(tab)
    tab.resize(590, 500)  # the tab beside the 1M demo's case list at 1366 wide
    tab.show()
    with qtbot.waitSignal(tab.checked):
        tab.show_case(case_id)
    model, table = tab.model, tab.table
    # A county's number, five digits long, as on the 1M demo.
    model.case_number = "（2026）甘矛调字第932235号"
    model.set_rows([replace(row, reason=row.reason.replace(tab._number, model.case_number))
                    for row in model.rows])
    assert table.horizontalHeader().stretchLastSection()
    metrics = table.fontMetrics()
    not_yet = [r for r in range(model.rowCount()) if not model.rows[r].applies]
    assert not_yet
    for row in not_yet:
        index = model.index(row, model.COL_STATUS)
        text, tip = index.data(), index.data(Qt.ItemDataRole.ToolTipRole)
        assert text == model.rows[row].reason.removeprefix("案件 （2026）甘矛调字第932235号 "), text
        assert "甘矛调字" not in text, text
        assert tip == f"暂不可用：{model.rows[row].reason}" and "（2026）甘矛调字第932235号" in tip
        assert metrics.horizontalAdvance(text) + 8 <= table.columnWidth(model.COL_STATUS), (text, table.columnWidth(2))
    if SHOTS:
        tab.grab().save(str(Path(SHOTS) / "documents_tab_reasons.png"))
