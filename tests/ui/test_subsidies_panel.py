"""以案定补 screens: the administrator types the rules (a bad value named in Chinese, nothing typed
lost), the head exports a month (issuing it after a question), a mediator sees their own cases."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import CaseState, DisputeCase
from mediation_desk.services import subsidies
from mediation_desk.ui.desk.subsidies import SubsidiesSection, SubsidyRulesPanel, SubsidyStatementPanel

from ..conftest import login_as
from .confirming import click_go
from .conftest import Runner, check_model

pytestmark = pytest.mark.gui


def _retype(qtbot: QtBot, line: QLineEdit, text: str) -> None:
    line.setFocus()
    line.selectAll()
    QTest.keyClick(line, Qt.Key.Key_Delete)
    QTest.keyClicks(line, text)


def _busiest_closed_month(db: Database) -> tuple[str, date]:
    with db.read() as session:
        closed = session.scalars(select(DisputeCase.closed_at).where(DisputeCase.state == CaseState.CLOSED)).all()
    month = Counter(f"{c:%Y-%m}" for c in closed if c is not None).most_common(1)[0][0]
    year, number = int(month[:4]), int(month[5:])
    return month, date(year + number // 12, number % 12 + 1, 10)


def test_the_administrator_types_the_rules(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    admin = login_as(demo_sqlite_db, "admin")
    section = SubsidiesSection(runner, admin)
    qtbot.addWidget(section)
    section.show()
    panel = section.rules
    assert isinstance(panel, SubsidyRulesPanel)
    assert panel.versions == [] and panel.version_box.currentData() == -1  # a new version, the example filled in
    general = panel.fields["amount.township.general"]
    assert isinstance(general, QLineEdit) and general.text() == "50.00"
    _retype(qtbot, panel.month_edit.line, "2026-01")
    _retype(qtbot, general, "5O")  # a letter O for a zero
    _retype(qtbot, panel.fields["difficult.people_at_least"], "8")  # type: ignore[arg-type]
    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.message_label.text() == "乡镇（街道）一般案件的补贴金额“5O”不是金额，应写作 50 或 50.00。"
    assert panel.focusWidget() is general and general.text() == "5O" and panel.versions == []
    assert panel.fields["difficult.people_at_least"].text() == "8"  # type: ignore[union-attr]
    _retype(qtbot, general, "60")
    QTest.keyClick(panel.save_button, Qt.Key.Key_Space)
    assert panel.message_label.text() == "Saved: the rules from 2026-01."
    assert [v.effective_month for v in panel.versions] == ["2026-01"]
    rules = panel.versions[0].rules
    assert rules.amounts["township"]["general"] == 6000 and rules.difficult.people_at_least == 8
    assert panel.month_edit.line.isReadOnly()  # a saved version keeps its month


def test_the_head_exports_a_month_and_a_mediator_sees_their_own(runner: Runner, demo_sqlite_db: Database,
                                                                qtbot: QtBot, qtmodeltester: ModelTester,
                                                                tmp_path: Path) -> None:
    with demo_sqlite_db.write() as session:
        subsidies.save_rules(session, login_as(demo_sqlite_db, "admin"), "2020-01",
                             subsidies.rules_form(subsidies.DEFAULT_RULES))
    month, today = _busiest_closed_month(demo_sqlite_db)
    head = login_as(demo_sqlite_db, "head")
    panel = SubsidyStatementPanel(runner, head, today=lambda: today)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.month() == month  # last month, by default
    assert panel.page is not None and panel.page.state == "draft"
    check_model(qtmodeltester, panel.model)
    assert panel.model.rowCount() == len(panel.page.rows) > 0
    assert panel.status_label.text().startswith("Draft, not issued")

    target = tmp_path / "statement.pdf"
    panel.ask_save_path = lambda _suggested, _kind: str(target)
    QTest.mouseClick(panel.pdf_button, Qt.MouseButton.LeftButton)
    assert panel.confirm_box is not None and month in panel.confirm_box.text()
    click_go(panel.confirm_box)
    qtbot.waitUntil(lambda: target.exists() and panel.page is not None and panel.page.state == "issued")
    assert target.read_bytes().startswith(b"%PDF")
    assert panel.status_label.text().startswith("Issued on")

    mediator = login_as(demo_sqlite_db, "mediator")
    own = SubsidyStatementPanel(runner, mediator, today=lambda: today)
    qtbot.addWidget(own)
    own.show()
    assert own.page is not None and own.page.state == "issued"
    assert {row.mediator for row in own.page.rows} <= {"李建国"}
    assert len(own.page.rows) < len(panel.page.rows)
