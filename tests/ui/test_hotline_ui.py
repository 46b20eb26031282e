"""The 12345 work order on the case page (签收, 首次联系 by clicks and typing, the 2·20 limits in
colour) and the 三率 line of the head's dashboard."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import HotlineOrder
from mediation_desk.services import case_import, hotline
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.common import i18n
from mediation_desk.ui.desk.dashboard import DashboardPanel, PeriodKind

from ..conftest import login_as
from .conftest import Runner, type_text

pytestmark = [pytest.mark.gui, pytest.mark.story_day("2026-11-30T10:00")]

TODAY = date(2026, 11, 30)
ORDERS = ("来源编号,来源系统,登记时间,纠纷类型,纠纷名称,申请人,热线类型编码\n"
          "GD101,12345,2026-11-26 09:00,邻里,噪音扰民,王建军,0301\n"
          "GD102,12345,2026-11-02 09:00,邻里,占道堆物,李华,0302\n")
SHOTS = Path("/tmp/hotline-screens")


@pytest.fixture
def clerk(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "clerk")


@pytest.fixture
def orders(demo_sqlite_db: Database, clerk: Actor, tmp_path: Path) -> dict[str, int]:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    with demo_sqlite_db.write() as session:
        assert case_import.import_records(session, clerk, case_import.read_records(path)).imported == 2
        return {no: case_id for no, case_id in session.execute(select(HotlineOrder.order_no, HotlineOrder.case_id))}


def _order(db: Database, order_no: str) -> HotlineOrder:
    with db.read() as session:
        return session.scalars(select(HotlineOrder).where(HotlineOrder.order_no == order_no)).one()


def test_the_clerk_signs_for_and_records_the_first_contact_on_the_case_page(
        runner: Runner, clerk: Actor, orders: dict[str, int], demo_sqlite_db: Database, qtbot: QtBot,
        qapp: QApplication, chinese: None) -> None:
    i18n.register_fonts(qapp)
    view = CaseDetailView(runner, clerk, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    view.show_case(orders["GD101"])
    box = view.hotline_box
    assert box.isVisible() and box.title() == "12345 热线工单"
    assert "工单 GD101 · 热线类型 0301" in box.order_label.text()
    # Received Thursday 26 November: sign for and contact by Monday 30th (2 working days).
    assert box.limit_labels["sign"].text() == "签收：未完成（时限 2026-11-30）"
    assert box.sign_button.isVisible() and not box.contact_button.isVisible()
    QTest.mouseClick(box.sign_button, Qt.MouseButton.LeftButton)
    assert _order(demo_sqlite_db, "GD101").signed_at is not None
    assert box.limit_labels["sign"].text().startswith("签收：2026-11-30") and "按时" in box.limit_labels["sign"].text()
    assert not box.sign_button.isVisible() and box.contact_button.isVisible()
    type_text(box.contact_note, "电话联系王建军，约定周三上门")
    QTest.keyClicks(box.contact_note, " (ok)")
    QTest.mouseClick(box.contact_button, Qt.MouseButton.LeftButton)
    recorded = _order(demo_sqlite_db, "GD101")
    assert recorded.contact_note == "电话联系王建军，约定周三上门 (ok)" and recorded.contacted_at is not None
    assert "联系：2026-11-30" in box.limit_labels["contact"].text() and not box.contact_button.isVisible()
    # The timeline shows both entries.
    notes = [view.timeline_model.text(e, view.timeline_model.COL_NOTE) for e in view.timeline_model.rows]
    assert any("签收 12345 工单 GD101" in n for n in notes) and any("首次联系来电群众" in n for n in notes)
    SHOTS.mkdir(exist_ok=True)
    view.grab().save(str(SHOTS / "case-page.png"))

    # GD102 came on 2 November and nobody signed for it: red, and the refusal of a second desk's
    # sign-for shows under the box without losing anything.
    view.show_case(orders["GD102"])
    assert view.hotline_box.limit_labels["sign"].text() == "签收：未完成，已超时（时限 2026-11-04）"
    assert "c62828" in view.hotline_box.limit_labels["sign"].styleSheet()
    with demo_sqlite_db.write() as session:
        hotline.sign_for(session, clerk, orders["GD102"])
    QTest.mouseClick(view.hotline_box.sign_button, Qt.MouseButton.LeftButton)
    assert view.hotline_box.error_label.isVisible()
    assert "不能重复签收" in view.hotline_box.error_label.text()


def test_a_case_that_is_no_work_order_shows_no_box(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                                  qtbot: QtBot) -> None:
    with demo_sqlite_db.read() as session:
        case_id = session.scalars(select(HotlineOrder.case_id)).first()
    assert case_id is None  # the demo's own cases came by no hotline import
    view = CaseDetailView(runner, clerk, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.show()
    view.show_case(1)
    assert view.tabs.isVisible() and not view.hotline_box.isVisible()


def test_the_dashboard_shows_the_three_rates(runner: Runner, orders: dict[str, int], demo_sqlite_db: Database,
                                             clerk: Actor, qtbot: QtBot, qapp: QApplication, chinese: None) -> None:
    with demo_sqlite_db.write() as session:
        hotline.sign_for(session, clerk, orders["GD101"])
        hotline.record_contact(session, clerk, orders["GD101"])
    head = login_as(demo_sqlite_db, "head")
    i18n.register_fonts(qapp)
    panel = DashboardPanel(runner, head, today=TODAY)
    qtbot.addWidget(panel)
    panel.resize(1366, 768)
    panel.set_period(PeriodKind.MONTH, 0)
    panel.show()  # the month is the panel's first choice: it loads when it is shown
    rates = panel.hotline_rates
    assert rates is not None and rates.period_start == date(2026, 11, 1), panel.hotline_label.text()
    # Two orders received in November, one contacted within 2 working days.
    assert (rates.response.numerator, rates.response.denominator) == (1, 2)
    text = panel.hotline_label.text()
    assert text.startswith("12345 工单：响应率 50.0%（1/2）") and "综合得分" in text and "权重 30/35/35" in text
    assert "响应率 = " in panel.hotline_label.toolTip()
    SHOTS.mkdir(exist_ok=True)
    panel.grab().save(str(SHOTS / "dashboard.png"))
