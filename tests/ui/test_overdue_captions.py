"""超期 on the desk and in the statistics (issue 19): the head opens both on the same day and
reads one figure under one name, with its definition stated on both screens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import ClockColour
from mediation_desk.readmodels.statistics import FORMULAS, Figure
from mediation_desk.services import clocks, statistics
from mediation_desk.services.actor import Actor
from mediation_desk.ui.common import i18n
from mediation_desk.ui.desk.dashboard import DashboardPanel, PeriodKind
from mediation_desk.ui.desk.desk import DeskPanel

from ..conftest import login_as
from .conftest import Runner

pytestmark = pytest.mark.gui


def shown_desk(runner: Runner, actor: Actor, day: date, qtbot: QtBot) -> DeskPanel:
    """The desk of ``actor`` on ``day``, shown and read."""
    desk = DeskPanel(runner, actor, today=lambda: day)
    qtbot.addWidget(desk)
    desk.resize(1366, 700)
    with qtbot.waitSignal(desk.loaded):
        desk.show()
        desk.refresh()
    return desk


def shown_statistics(runner: Runner, actor: Actor, day: date, qtbot: QtBot) -> DashboardPanel:
    """统计 of ``actor`` on ``day``, shown with the month's figures read."""
    stats = DashboardPanel(runner, actor, today=day)
    qtbot.addWidget(stats)
    stats.resize(1366, 768)
    with qtbot.waitSignal(stats.figures_loaded):
        stats.show()
        stats.set_period(PeriodKind.MONTH, 0)
    return stats


@pytest.mark.usefixtures("chinese")
def test_the_desk_and_the_statistics_show_one_overdue_figure_and_say_what_it_counts(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, qapp: QApplication) -> None:
    i18n.register_fonts(qapp)
    head = login_as(demo_sqlite_db, "head")
    # Two months on, closed demo cases have late first return visits and open ones are past due:
    # the old desk (every red clock) and the statistics would have disagreed that day.
    day = date.today() + timedelta(days=60)
    with demo_sqlite_db.read() as session:
        every_red = sum(1 for d in clocks.due_soon_or_overdue(session, head, at=day, limit=100_000)
                        if d.colour is ClockColour.RED)
        counted = statistics.count_overdue(session, day)
    assert counted > 0 and every_red > counted

    desk = DeskPanel(runner, head, today=lambda: day)
    qtbot.addWidget(desk)
    desk.resize(1366, 700)
    desk.show()
    with qtbot.waitSignal(desk.loaded):
        QTest.mouseClick(desk.refresh_button, Qt.MouseButton.LeftButton)

    stats = shown_statistics(runner, head, day, qtbot)
    assert stats.figures is not None and stats.figures.overdue.count == counted

    # The same number under the same name on both screens.
    assert f"超期案件 {counted} 件" in desk.due_box.title()
    assert f"超期案件 {counted} 件" in desk.summary_label.text()
    assert "超期案件" in stats.tiles["overdue"].name_label.text()
    assert f">{counted}<" in stats.tiles["overdue"].value_label.text()
    red_rows = [r for r in desk.due_model.rows if r.colour is ClockColour.RED]
    assert len(red_rows) == counted

    # The definition, stated on both: the desk's caption and tooltips, the statistics' tooltip.
    caption = desk.due_definition.text()
    assert desk.due_definition.isVisible()
    assert "仍在办理中（未结案、未不予受理）且当前环节期限已过" in caption
    assert "与“统计”中的“超期案件”同一口径、同一数字" in caption
    assert "回访逾期不算超期案件" in caption
    definition = FORMULAS[Figure.OVERDUE]
    assert "工作台" in definition and "回访逾期不计入" in definition
    assert desk.due_definition.toolTip() == desk.due_box.toolTip() == definition
    assert stats.tiles["overdue"].toolTip() == definition
    # The tile taking the keyboard focus writes the definition on the footnote line under the tiles.
    stats.activateWindow()
    qtbot.waitUntil(stats.isActiveWindow)
    stats.tiles["overdue"].setFocus(Qt.FocusReason.TabFocusReason)
    assert stats.footnote_label.text().endswith(definition)
    # Late return visits carry their own name on the desk (回访逾期), not 超期.
    qtbot.waitUntil(lambda: "回访逾期" in desk.visits_panel.box.title())
    assert "超期" not in desk.visits_panel.box.title()


@pytest.mark.usefixtures("chinese")
def test_a_mediators_desk_says_it_counts_their_teams_only(runner: Runner, demo_sqlite_db: Database,
                                                          qtbot: QtBot) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    day = date.today() + timedelta(days=60)
    with demo_sqlite_db.read() as session:
        counted = statistics.count_overdue(session, day, team_ids=mediator.team_ids)
    desk = shown_desk(runner, mediator, day, qtbot)
    assert f"超期案件 {counted} 件" in desk.due_box.title()
    assert "本团队" in desk.due_definition.text() and "统计按全中心计数" in desk.due_definition.text()


@pytest.mark.usefixtures("chinese")
def test_a_head_with_townships_below_reads_which_statistics_figure_the_desks_is(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """The desk counts the head's own center; the statistics count the townships below it too
    until one center is chosen. On the 1M demo the desk said 84,315 under a caption calling it
    "the same figure" as the statistics' 84,326."""
    import random

    from mediation_desk import demo

    with demo_sqlite_db.write() as session:
        demo.seed_townships(session, Actor.system("test"), random.Random(5), 12)
        clocks.recompute_open_clocks(session)  # as demo.seed does after its cases
    head = login_as(demo_sqlite_db, "head")
    assert len(head.center_ids) > 1 and head.center_id is not None
    day = date.today() + timedelta(days=60)
    with demo_sqlite_db.read() as session:
        of_this_center = statistics.count_overdue(session, day, centers=(head.center_id,))
        of_all = statistics.count_overdue(session, day, centers=tuple(head.center_ids))
    assert of_all > of_this_center > 0

    desk = shown_desk(runner, head, day, qtbot)
    assert f"超期案件 {of_this_center} 件" in desk.due_box.title()
    caption = desk.due_definition.text()
    assert "同一数字；" not in caption
    assert "与“统计”中只选本中心时的“超期案件”同一口径、同一数字（统计默认连同下级中心计数）" in caption

    stats = shown_statistics(runner, head, day, qtbot)
    assert stats.figures is not None and stats.figures.overdue.count == of_all
    qtbot.waitUntil(lambda: stats.center_combo.findData(head.center_id) > 0)
    with qtbot.waitSignal(stats.figures_loaded):
        stats.center_combo.setCurrentIndex(stats.center_combo.findData(head.center_id))
    assert stats.figures.overdue.count == of_this_center
