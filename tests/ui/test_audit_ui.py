"""Issue 17 item 3 in the app: the case list audits each query a person runs (not each window it
fetches while scrolling), a refused opening through the task runner leaves one refusal entry and
no "opened" entry, and the head's desk shows the chain head."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry
from mediation_desk.services import audit
from mediation_desk.ui.cases import list_model
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.cases.list_view import CaseListView
from mediation_desk.ui.desk.dashboard import DashboardPanel
from mediation_desk.ui.desk.desk import DeskPanel

from ..conftest import login_as
from .conftest import Runner, register_case

pytestmark = pytest.mark.gui

ID_NUMBER = "110101199003074514"


def entries(db: Database, action: str, since: int = 0) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.id > since)
                                    .order_by(AuditEntry.id)))


def last_id(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.max(AuditEntry.id))) or 0)


def test_each_query_is_one_entry_and_scrolling_adds_none(runner: Runner, demo_sqlite_db: Database,
                                                         qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(list_model, "WINDOW", 25)  # the demo's 120 cases in several windows
    head = login_as(demo_sqlite_db, "head")
    start = last_id(demo_sqlite_db)
    view = CaseListView(runner, head)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    [opened] = entries(demo_sqlite_db, audit.LIST_ACTION, start)
    assert opened.username == "head" and opened.detail["purpose"] == "ui"
    model = view.model
    assert model.total > 100
    with qtbot.waitSignal(model.rows_loaded, check_params_cb=lambda first, last: last == model.total - 1):
        model.load_rows(0, model.total - 1)  # every window fetched, as scrolling to the end would
    assert model.is_row_loaded(model.total - 1)
    model.on_changed(Changes(case_list=True))  # another desk's write: the list refreshes, unlogged
    assert len(entries(demo_sqlite_db, audit.LIST_ACTION, start)) == 1

    QTest.keyClicks(view.search_box, ID_NUMBER)
    QTest.keyClick(view.search_box, Qt.Key.Key_Return)
    [searched] = entries(demo_sqlite_db, audit.SEARCH_ACTION, start)
    assert searched.username == "head" and ID_NUMBER not in str(searched.detail)
    assert searched.detail["words"].startswith(ID_NUMBER[:6]) and searched.detail["words"].endswith(ID_NUMBER[-4:])
    QTest.keyClick(view.search_box, Qt.Key.Key_Return)  # the same query again shows nothing new
    assert len(entries(demo_sqlite_db, audit.SEARCH_ACTION, start)) == 1
    assert len(entries(demo_sqlite_db, audit.LIST_ACTION, start)) == 1


def test_a_refused_opening_through_the_runner_is_one_entry(runner: Runner, demo_sqlite_db: Database,
                                                           qtbot: QtBot) -> None:
    clerk, mediator = login_as(demo_sqlite_db, "clerk"), login_as(demo_sqlite_db, "mediator")
    case_id = register_case(demo_sqlite_db, clerk)  # not assigned: no team of the mediator's
    runner.actor = mediator  # as the app sets it at sign-in
    start = last_id(demo_sqlite_db)
    view = CaseDetailView(runner, mediator)
    qtbot.addWidget(view)
    view.show()
    view.show_case(case_id)
    assert view.load_error.isVisible() and view.load_error.text()
    [refused] = entries(demo_sqlite_db, audit.REFUSAL_ACTION, start)
    assert refused.username == "mediator" and refused.detail["result"] == "refused"
    assert refused.detail["message"] == view.load_error.text()
    assert "CaseDetailView" in refused.detail["what"]
    assert entries(demo_sqlite_db, audit.ACCESS_ACTION, start) == []
    with demo_sqlite_db.read() as session:
        assert audit.verify_chain(session).intact


def test_the_heads_desk_shows_the_chain_head(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                             chinese: None, tmp_path: Path) -> None:
    head, mediator = login_as(demo_sqlite_db, "head"), login_as(demo_sqlite_db, "mediator")
    desk = DeskPanel(runner, head)
    qtbot.addWidget(desk)
    desk.resize(1300, 700)
    desk.show()
    with demo_sqlite_db.read() as session:
        chain_head = audit.chain_head(session)
    assert chain_head is not None and chain_head.mac
    assert desk.audit_label.isVisible()
    assert desk.audit_label.text() == f"审计链：序号 {chain_head.seq}，MAC 前 16 位 {chain_head.mac[:16]}"
    desk.grab().save(str(tmp_path / "desk.png"))

    theirs = DeskPanel(runner, mediator)
    qtbot.addWidget(theirs)
    theirs.show()
    assert theirs.data is not None and theirs.data.audit_head is None
    assert not theirs.audit_label.isVisible()


def test_a_report_saved_from_the_dashboard_is_one_entry(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                        tmp_path: Path) -> None:
    head = login_as(demo_sqlite_db, "head")
    panel = DashboardPanel(runner, head)
    qtbot.addWidget(panel)
    start = last_id(demo_sqlite_db)
    panel.save_report(tmp_path / "report.xlsx", "2026-11")
    assert "Report saved" in panel.status_label.text()
    [exported] = entries(demo_sqlite_db, "report.export", start)
    assert (exported.username, exported.detail["month"], exported.detail["target"]) == ("head", "2026-11",
                                                                                         "report.xlsx")
