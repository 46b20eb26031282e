"""The cards on screen (issue 22 item 2): the desk gives and shows a card on the day the clock turns
(the day moved through the panel's clock), a mediator asks for more days from the case's clock
line and the head decides on the desk, the head edits the stage limits in the table with the
keyboard (bad input named in Chinese), and a department's figure opens its cases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QLineEdit
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import ClockStage, DisputeCase, ExtensionRequest, ExtensionStatus
from mediation_desk.services import cards, clocks
from mediation_desk.ui.cases.clock import ClockLine
from mediation_desk.ui.desk.cards import CardsModel, CardsPanel, LimitsModel, LimitsPanel, ScoresModel, ScoresPanel

from ..services.cardcenter import Center, build_center, in_mediation, register_on
from .confirming import click_go
from .conftest import Runner, type_text

pytestmark = pytest.mark.gui


@pytest.fixture
def center(sqlite_db: Database) -> Center:
    return build_center(sqlite_db)


@pytest.fixture
def plain_runner(sqlite_db: Database) -> Iterator[Runner]:
    task_runner = Runner(sqlite_db)
    yield task_runner
    task_runner.shutdown(dispose=False)
    assert not task_runner.unhandled, [f.message for f in task_runner.unhandled]


def test_the_desk_shows_the_yellow_card_on_the_day_the_clock_turns(
        center: Center, plain_runner: Runner, qtbot: QtBot, qtmodeltester: object) -> None:
    register_on(center, datetime(2026, 2, 13, 10, 0))
    day = [date(2026, 2, 23)]
    panel = CardsPanel(plain_runner, center.clerk, today=lambda: day[0])
    qtbot.addWidget(panel)
    assert panel.cards_model.rowCount() == 0
    day[0] = date(2026, 2, 24)
    with qtbot.waitSignal(panel.loaded):
        panel.set_today(lambda: day[0])
    assert panel.cards_model.rowCount() == 1
    assert panel.cards_model.text(panel.cards_model.rows[0], CardsModel.COL_CARD) == "黄牌督办"
    assert panel.cards_model.text(panel.cards_model.rows[0], CardsModel.COL_TO) == "受理窗口"
    qtmodeltester.check(panel.cards_model)  # type: ignore[attr-defined]
    # The desk's refresh checks again: nothing twice.
    panel.refresh()
    assert panel.cards_model.rowCount() == 1


def test_the_desk_takes_the_write_lane_only_on_a_day_a_card_is_due(
        center: Center, plain_runner: Runner, qtbot: QtBot) -> None:
    """At a million cases the check's walk takes seconds: made in the write transaction it held the
    database's write lock at every desk's opening. The desk now asks on a read first."""
    register_on(center, datetime(2026, 2, 13, 10, 0))
    writes: list[bool] = []

    def busy_changed(busy: bool) -> None:
        if busy:  # a write was queued
            writes.append(busy)

    plain_runner.busy_changed.connect(busy_changed)
    given: list[int] = []
    day = [date(2026, 2, 23)]
    panel = CardsPanel(plain_runner, center.clerk, today=lambda: day[0])
    qtbot.addWidget(panel)
    panel.checked.connect(given.append)
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    assert (writes, given, panel.cards_model.rowCount()) == ([], [0], 0)  # nothing due: no write
    day[0] = date(2026, 2, 24)
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    assert (writes, given, panel.cards_model.rowCount()) == ([True], [0, 1], 1)  # the yellow card
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    assert (writes, given, panel.cards_model.rowCount()) == ([True], [0, 1, 0], 1)  # given already


def test_on_a_day_many_clocks_turn_the_desk_gives_the_cards_in_short_writes_with_gaps(
        center: Center, plain_runner: Runner, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk on a read, then a write per part of the cases found (two here, 250 in the app),
    each begun a pause after the last: the write lock is free in between for the other desks."""
    monkeypatch.setattr(cards, "GIVE_CASES", 2)
    case_ids = [register_on(center, datetime(2026, 2, 13, 10, 0)) for _ in range(5)]
    writes: list[bool] = []
    plain_runner.busy_changed.connect(lambda busy: writes.append(busy) if busy else None)
    announced: list[frozenset[int]] = []
    plain_runner.changed.connect(lambda changes: announced.append(changes.case_ids) if changes.case_ids else None)
    given: list[int] = []
    day = [date(2026, 2, 23)]
    panel = CardsPanel(plain_runner, center.head, today=lambda: day[0])
    qtbot.addWidget(panel)
    panel.checked.connect(given.append)
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    assert (given, writes) == ([0], [])
    day[0] = date(2026, 2, 24)
    with qtbot.waitSignal(panel.checked, timeout=20_000):  # after the last part
        panel.refresh()
    qtbot.waitUntil(lambda: panel.cards_model.rowCount() == 5)
    assert (given, len(writes)) == ([0, 5], 3)
    # Announced once, with the last part: the desk's views read again once, not after each part.
    assert announced == [frozenset(case_ids)]
    assert sorted(row.case_id for row in panel.cards_model.rows) == case_ids
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    assert (given, len(writes), panel.cards_model.rowCount()) == ([0, 5, 0], 3, 5)  # nothing twice


def test_the_desks_cards_heading_counts_only_a_whole_list(
        center: Center, plain_runner: Runner, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk lists the newest cards only: its heading's counts of yellow and red are the 30 days'
    only when the list holds them all; with more (the 1M demo's head: ~100,000 in 30 days, of which
    200 listed, read 近 30 天黄牌 198 张、红牌 2 张) it says how many are listed, and the tab N+."""
    for _ in range(5):
        register_on(center, datetime(2026, 2, 13, 10, 0))
    panel = CardsPanel(plain_runner, center.head, today=lambda: date(2026, 2, 24))
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.cards_model.rowCount() == 5, timeout=20_000)
    assert panel.box.title() == "Yellow and red cards: 5 yellow, 0 red in the last 30 days"
    assert panel.tabs.tabText(0) == "Cards (5)"
    monkeypatch.setattr(cards, "DESK_ROWS", 3)
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    assert panel.cards_model.rowCount() == 3
    assert panel.box.title() == "Yellow and red cards of the last 30 days: more than 3, the newest 3 listed"
    assert panel.tabs.tabText(0) == "Cards (3+)"
    monkeypatch.setattr(cards, "DESK_ROWS", 5)  # exactly as many as there are: whole
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    assert panel.tabs.tabText(0) == "Cards (5)" and "5 yellow" in panel.box.title()


def test_a_mediator_asks_on_the_case_and_the_head_decides_on_the_desk(
        center: Center, plain_runner: Runner, qtbot: QtBot, language: Callable[[str], object]) -> None:
    language("zh_CN")
    with center.db.write() as session:
        clocks.set_limit(session, center.head, ClockStage.MEDIATION, days=5, working_days=True, yellow_days=2,
                         department_id=center.department_id)
    case_id = in_mediation(center, datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9))
    line = ClockLine(plain_runner, center.mediator)
    qtbot.addWidget(line)
    line.show()
    with center.db.read() as session:
        state = clocks.case_clock(session, case_id, date(2026, 3, 5))
    line.set_clock(case_id, state, may_extend=True)
    assert line.extend_button.text() == "申请延期…" and line.extend_confirm.text() == "提交申请"
    QTest.mouseClick(line.extend_button, Qt.MouseButton.LeftButton)
    line.days_spin.setValue(3)
    QTest.mouseClick(line.extend_confirm, Qt.MouseButton.LeftButton)
    assert line.extend_error.text() == "请填写延期理由。"
    type_text(line.reason_edit, "当事人外出务工，下周返回")
    QTest.mouseClick(line.extend_confirm, Qt.MouseButton.LeftButton)
    assert line.request_done.isVisible() and line.extend_panel.isHidden()
    assert line.cards_label.isVisible() and line.cards_label.text().endswith("申请延期 3个工作日：待审批")

    desk = CardsPanel(plain_runner, center.head, today=lambda: date(2026, 3, 6))
    qtbot.addWidget(desk)
    desk.show()
    assert desk.requests_model.rowCount() == 1
    request = desk.requests_model.rows[0]
    assert (request.days, request.department, request.reason) == (3, "派出所", "当事人外出务工，下周返回")
    assert desk.select_request(request.id)
    QTest.mouseClick(desk.refuse_button, Qt.MouseButton.LeftButton)  # no reason typed
    assert desk.decision_error.isVisible() and "理由" in desk.decision_error.text()
    QTest.mouseClick(desk.approve_button, Qt.MouseButton.LeftButton)
    click_go(desk.confirm_box)  # type: ignore[arg-type]
    assert desk.done_label.isVisible() and "已批准" in desk.done_label.text()
    with center.db.read() as session:
        assert session.get_one(DisputeCase, case_id).clock_due_on == date(2026, 3, 12)
        assert session.get_one(ExtensionRequest, request.id).status is ExtensionStatus.APPROVED
    assert desk.requests_model.rowCount() == 0


def _edit(panel: LimitsPanel, row: int, column: int, typed: str) -> None:
    """Select a cell, open its editor with F2, type over what it holds and press Enter."""
    table = panel.table
    table.setCurrentIndex(panel.model.index(row, column))
    QTest.keyClick(table, Qt.Key.Key_F2)
    # The open editor (one closed before may still await its deletion, hidden).
    editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    QTest.keyClicks(editor, typed)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits and closes the editor on a queued call after Enter; the save follows.
    QCoreApplication.processEvents()
    QCoreApplication.processEvents()
    assert table.state() is not QAbstractItemView.State.EditingState


def test_the_head_edits_the_stage_limits_with_the_keyboard(
        center: Center, plain_runner: Runner, qtbot: QtBot, qtmodeltester: object, language: Callable[[str], object],
) -> None:
    language("zh_CN")
    case_id = in_mediation(center, datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9))
    panel = LimitsPanel(plain_runner, center.head)
    qtbot.addWidget(panel)
    panel.show()
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    row = next(i for i, r in enumerate(panel.model.rules) if r.stage is ClockStage.MEDIATION)
    assert panel.model.rules[row].id is None and panel.model.rules[row].days == 30  # the built-in default
    _edit(panel, row, LimitsModel.COL_DAYS, "abc")
    assert panel.error.isVisible() and panel.error.text() == "期限天数：“abc”不是整数天数。"
    _edit(panel, row, LimitsModel.COL_YELLOW, "40")
    assert panel.error.text() == "黄牌预警天数：40 应不少于 0 且小于期限的 30 天。"
    _edit(panel, row, LimitsModel.COL_DAYS, "20")
    assert panel.done.isVisible() and panel.error.isHidden()
    rule = next(r for r in panel.model.rules if r.stage is ClockStage.MEDIATION)
    assert (rule.id is not None, rule.days, rule.working_days) == (True, 20, False)
    with center.db.read() as session:
        assert session.get_one(DisputeCase, case_id).clock_due_on == date(2026, 3, 22)
    # A rule for the 派出所: added from the combos, then edited in the table.
    panel.stage_combo.setCurrentIndex(panel.stage_combo.findData(ClockStage.MEDIATION))
    panel.department_combo.setCurrentIndex(panel.department_combo.findText("派出所"))
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    row = next(i for i, r in enumerate(panel.model.rules) if r.department == "派出所")
    _edit(panel, row, LimitsModel.COL_DAYS, "10")
    with center.db.read() as session:
        assert session.get_one(DisputeCase, case_id).clock_due_on == date(2026, 3, 12)


def test_a_department_figure_opens_its_cases(center: Center, plain_runner: Runner, qtbot: QtBot,
                                             qtmodeltester: object) -> None:
    with center.db.write() as session:
        clocks.set_limit(session, center.head, ClockStage.MEDIATION, days=5, working_days=True, yellow_days=2,
                         department_id=center.department_id)
    late = in_mediation(center, datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9))
    with center.db.write() as session:
        cards.check(session, center.head, date(2026, 3, 10))
    panel = ScoresPanel(plain_runner, center.head, today=lambda: date(2026, 3, 31))
    qtbot.addWidget(panel)
    panel.show()
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    row = next(i for i, s in enumerate(panel.model.rows) if s.department == "派出所")
    assert (panel.model.rows[row].red, panel.model.rows[row].on_time_rate) == (1, "0.0%")
    index = panel.model.index(row, ScoresModel.COL_RED)
    with qtbot.waitSignal(panel.drilled):
        panel.table.clicked.emit(index)
    assert [r[0] for r in panel.cases_model.rows] == [late]
    assert panel.cases_caption.text() == "派出所, 2026-03: 红牌 — 1 cases"  # English source: no translator here
    with qtbot.waitSignal(panel.open_case) as opened:
        panel.cases_table.activated.emit(panel.cases_model.index(0, 0))
    assert opened.args == [late]


@pytest.mark.usefixtures("chinese")
def test_a_township_heads_scores_say_they_count_only_the_cases_they_may_see(
        sqlite_db: Database, plain_runner: Runner, qtbot: QtBot) -> None:
    """The township head reads the county's departments counted over their own few cases: on the
    1M demo a column of zeros with nothing saying why. The county head's count every case."""
    from mediation_desk import demo

    from ..conftest import login_as

    with sqlite_db.write() as session:
        demo.seed(session, 30, seed_value=17, today=datetime(2026, 12, 10, 17, 0), township_cases=6)
    shown: dict[str, ScoresPanel] = {}
    for username in ("head", "ljd_head"):
        panel = ScoresPanel(plain_runner, login_as(sqlite_db, username), today=lambda: date(2026, 12, 10))
        qtbot.addWidget(panel)
        panel.resize(760, 640)
        panel.show()
        qtbot.waitUntil(lambda p=panel: p.model.rowCount() > 0)  # type: ignore[misc]
        shown[username] = panel
    assert not shown["head"].scope_label.isVisible()
    scope = shown["ljd_head"].scope_label
    assert scope.isVisible()
    assert scope.text().startswith("只计您可查看的案件：本中心的案件、由本中心办理的案件和与本中心有上下级流转的案件")
    assert scope.text().endswith("本月没有这类案件的部门，各项为 0。")
