"""The desk: due and overdue cases by a movable "today", supervision orders answered there, and
diversions awaiting feedback recorded there."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import CaseState, ClockColour, DiversionBody
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import clocks, diversion, supervision, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.desk.desk import DeskPanel, DueCasesModel, has_desk

from ..conftest import login_as
from .conftest import Runner, check_model, register_case, rows_where, type_text

pytestmark = pytest.mark.gui


class Today:
    """A "today" the test moves."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def make_desk(runner: Runner, actor: Actor, qtbot: QtBot, today: Today | None = None) -> DeskPanel:
    panel = DeskPanel(runner, actor, today=today)
    qtbot.addWidget(panel)
    panel.resize(1300, 700)
    panel.show()
    return panel


def due_colour(panel: DeskPanel, case_id: int) -> ClockColour | None:
    return next((row.colour for row in panel.due_model.rows if row.case_id == case_id), None)


def test_untouched_case_turns_yellow_then_red(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    clerk, head = login_as(demo_sqlite_db, "clerk"), login_as(demo_sqlite_db, "head")
    case_id = register_case(demo_sqlite_db, clerk)
    with demo_sqlite_db.read() as session:
        clock = clocks.case_clock(session, case_id)
    assert clock is not None
    today = Today(clock.started_on)
    desk = make_desk(runner, head, qtbot, today)
    cases = CaseListModel(runner, head, today=today)
    row = cases.row_of(case_id)
    assert row is not None  # the newest case is in the first window
    deadline = cases.index(row, CaseListModel.COL_DEADLINE)
    assert due_colour(desk, case_id) is None
    assert cases.data(deadline, CaseListModel.ClockColourRole) == ClockColour.GREEN
    assert cases.data(deadline) == f"{clock.due_on:%Y-%m-%d}"
    assert cases.data(deadline, Qt.ItemDataRole.DecorationRole) is not None

    today.day = clock.warn_on
    with qtbot.waitSignal(desk.loaded):
        desk.refresh()
    with qtbot.waitSignal(cases.dataChanged):
        cases.recolour()
    assert due_colour(desk, case_id) is ClockColour.YELLOW
    assert cases.data(deadline, CaseListModel.ClockColourRole) == ClockColour.YELLOW
    assert cases.data(deadline, Qt.ItemDataRole.ToolTipRole).startswith("Due soon")

    today.day = clock.due_on + timedelta(days=1)
    desk.set_today(today)
    cases.recolour()
    assert due_colour(desk, case_id) is ClockColour.RED
    assert cases.data(deadline, CaseListModel.ClockColourRole) == ClockColour.RED
    row_index = next(i for i, r in enumerate(desk.due_model.rows) if r.case_id == case_id)
    status = desk.due_model.index(row_index, DueCasesModel.COL_STATUS)
    assert desk.due_model.data(status) == "Overdue"
    assert desk.due_model.data(status, Qt.ItemDataRole.DecorationRole) is not None
    # Most urgent first: nothing after an overdue case is due earlier.
    dues = [r.due_on for r in desk.due_model.rows]
    assert dues == sorted(dues)
    assert "overdue" in desk.summary_label.text()


def test_mediator_sees_their_teams_only(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    head = login_as(demo_sqlite_db, "head")
    # Far enough ahead that every open clock of the demo is red.
    later = Today(date.today() + timedelta(days=400))
    team_desk = make_desk(runner, mediator, qtbot, later)
    center_desk = make_desk(runner, head, qtbot, later)
    own = {r.id for r in rows_where(demo_sqlite_db, head, CaseFilter(team_ids=mediator.team_ids))}
    team_rows = team_desk.due_model.rows
    assert team_rows and {r.case_id for r in team_rows} <= own
    assert len(center_desk.due_model.rows) > len(team_rows)
    assert team_desk.awaiting_box.isHidden() and team_desk.orders_box.isVisible()
    assert center_desk.awaiting_box.isVisible() and center_desk.answered_check.isVisible()


def test_supervision_order_answered_on_the_mediators_desk(runner: Runner, demo_sqlite_db: Database,
                                                          qtbot: QtBot) -> None:
    head, mediator = login_as(demo_sqlite_db, "head"), login_as(demo_sqlite_db, "mediator")
    case = rows_where(demo_sqlite_db, head, CaseFilter(states=frozenset({CaseState.IN_MEDIATION}),
                                                       team_ids=mediator.team_ids))[0]
    desk = make_desk(runner, mediator, qtbot)
    assert desk.orders_model.rowCount() == 0
    # The head issues an order from another desk; the write announces the case changed.
    runner.run_write(lambda session: supervision.issue(session, head, case.id, instruction="三日内上门走访并报告",
                                                       due_on=date.today() + timedelta(days=3)),
                     changes=lambda info: Changes.cases(info.case_id))
    assert [o.case_id for o in desk.orders_model.rows] == [case.id]
    order = desk.orders_model.rows[0]
    assert "1 open" in desk.orders_box.title()
    assert not desk.answer_button.isEnabled()  # nothing selected yet

    assert desk.select_order(order.id)
    assert desk.answer_button.isEnabled()
    QTest.mouseClick(desk.answer_button, Qt.MouseButton.LeftButton)
    assert desk.answer_error.text() == "请填写办理情况。"
    type_text(desk.answer_edit, "已上门走访，双方同意下周再次调解")
    QTest.mouseClick(desk.answer_button, Qt.MouseButton.LeftButton)
    assert desk.answer_error.isHidden()
    assert desk.orders_model.rowCount() == 0
    assert case.number in desk.done_label.text()

    head_desk = make_desk(runner, head, qtbot)
    assert head_desk.orders_model.rowCount() == 0  # open ones only
    head_desk.answered_check.setChecked(True)
    assert [o.response for o in head_desk.orders_model.rows] == ["已上门走访，双方同意下周再次调解"]


def test_diversion_feedback_recorded_on_the_desk(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    clerk = login_as(demo_sqlite_db, "clerk")
    case_id = register_case(demo_sqlite_db, clerk)
    with demo_sqlite_db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        diverted = diversion.divert(session, clerk, case_id, body=DiversionBody.COURT_PRE_LITIGATION,
                                    body_name="甘州区人民法院", reason="当事人要求诉前调解")
    desk = make_desk(runner, clerk, qtbot)
    assert desk.due_box.isHidden() and desk.orders_box.isHidden() and desk.awaiting_box.isVisible()
    waiting = [d.id for d in desk.awaiting_model.rows]
    assert diverted.id in waiting  # beside any the demo center is still waiting for
    assert not desk.feedback_button.isEnabled()
    assert desk.select_diversion(diverted.id)
    type_text(desk.feedback_edit, "法院诉前调解成功")
    QTest.mouseClick(desk.feedback_button, Qt.MouseButton.LeftButton)
    assert [d.id for d in desk.awaiting_model.rows] == [i for i in waiting if i != diverted.id]
    assert desk.feedback_error.isHidden()
    with demo_sqlite_db.write() as session:  # closure review no longer waits
        workflow.transition(session, clerk, case_id, workflow.Action.SUBMIT_FOR_REVIEW)


def test_double_click_opens_the_case(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    desk = make_desk(runner, login_as(demo_sqlite_db, "head"), qtbot, Today(date.today() + timedelta(days=400)))
    assert desk.due_model.rowCount() > 0
    table = desk.due_table
    first = desk.due_model.rows[0]
    rect = table.visualRect(desk.due_model.index(0, DueCasesModel.COL_NUMBER))
    with qtbot.waitSignal(desk.open_case) as opened:
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [first.case_id]
    table.setFocus()
    with qtbot.waitSignal(desk.open_case) as entered:
        QTest.keyClick(table, Qt.Key.Key_Return)
    assert entered.args == [first.case_id]


def test_roles_with_a_desk(demo_sqlite_db: Database) -> None:
    assert [has_desk(login_as(demo_sqlite_db, name)) for name in ("clerk", "mediator", "head", "admin")] == [
        True, True, True, False]


def test_desk_models_pass_the_model_tester(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                           qtmodeltester: ModelTester) -> None:
    head, clerk = login_as(demo_sqlite_db, "head"), login_as(demo_sqlite_db, "clerk")
    case_id = register_case(demo_sqlite_db, clerk)
    with demo_sqlite_db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        diversion.divert(session, clerk, case_id, body=DiversionBody.PETITION_OFFICE, body_name="区信访局",
                         reason="涉及信访事项")
        supervision.issue(session, head, case_id, instruction="跟踪信访局办理情况", due_on=None)
    desk = make_desk(runner, head, qtbot, Today(date.today() + timedelta(days=60)))
    assert desk.due_model.rowCount() and desk.orders_model.rowCount() and desk.awaiting_model.rowCount()
    for model in (desk.due_model, desk.orders_model, desk.awaiting_model):
        check_model(qtmodeltester, model)


def test_the_due_list_is_painted_before_the_other_lists_are_read(runner: Runner, demo_sqlite_db: Database,
                                                                 qtbot: QtBot,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk reads its due list alone and shows it; only then does it ask for the orders, the
    diversions and the audit head, on a read of their own (they never hold the due list up)."""
    head = login_as(demo_sqlite_db, "head")
    seen: list[tuple[str, int, int]] = []
    desks: list[DeskPanel] = []
    original, reader = runner.run_read, DeskPanel.reader

    def noted_reader(self: DeskPanel) -> Any:
        if not desks:
            desks.append(self)
        return reader(self)

    def run_read(fn: Any, *args: Any, **kwargs: Any) -> Any:
        shown = (desks[0].due_model.rowCount(), desks[0].awaiting_model.rowCount()) if desks else (-1, -1)
        seen.append((getattr(fn, "__qualname__", ""), *shown))
        return original(fn, *args, **kwargs)

    monkeypatch.setattr(runner, "run_read", run_read)
    monkeypatch.setattr(DeskPanel, "reader", noted_reader)
    panel = make_desk(runner, head, qtbot)
    reads = [name for name, *_ in seen]
    lists_read = next(i for i, name in enumerate(reads) if name.endswith("_load_lists.<locals>.load"))
    assert reads.index("DeskPanel.reader.<locals>.load") < lists_read
    _, due_rows, awaiting_rows = seen[lists_read]
    assert due_rows == panel.due_model.rowCount() > 0 and awaiting_rows == 0  # the due list shown, not the rest
    assert panel.data is not None and panel.data.awaiting is not None and panel.awaiting_model.rowCount() > 0
    assert panel.data.awaiting_count == panel.awaiting_model.rowCount()


def test_the_panels_read_after_the_desk_is_painted_and_the_cards_check_last(
        demo_sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The due list is the first read and alone before the desk's first paint; its rows are not set
    before that paint (they would hold it up); the panels below read after it, the desk's orders
    and diversions first (right behind the due list on the read lane, not behind the visits,
    sessions and crossings), the cards' check (a walk over every running clock) once the visits due
    have answered, and the cards' list after it on the slow lane. The due list answers after the
    paint here, as on the million-case demo."""
    import threading

    from PySide6.QtCore import QEvent, QObject

    from mediation_desk.ui.common.tasks import Lane, TaskRunner

    head = login_as(demo_sqlite_db, "head")
    events: list[str] = []
    lanes: dict[str, Lane] = {}
    submit = TaskRunner._submit

    def noted(self: TaskRunner, lane: Any, job: Any, callbacks: Any, what: str = "", after: Any = None) -> Any:
        events.append(f"submit {what}")
        lanes.setdefault(what, lane)
        if "VisitsDuePanel" in what:
            panels_asked.set()
        return submit(self, lane, job, callbacks, what, after)

    monkeypatch.setattr(TaskRunner, "_submit", noted)
    # The due list answers once the panels below have asked for their reads (after the paint).
    panels_asked = threading.Event()
    read_due = DeskPanel.reader

    def due_after_the_paint(self: DeskPanel) -> Any:
        load = read_due(self)

        def after_the_paint(session: Any) -> Any:
            panels_asked.wait(10)
            return load(session)

        after_the_paint.__module__, after_the_paint.__qualname__ = load.__module__, load.__qualname__
        return after_the_paint

    monkeypatch.setattr(DeskPanel, "reader", due_after_the_paint)

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "painted" not in events:
                events.append("painted")
                events.append(f"due rows {len(desk.due_model.rows)}")
            return False

    runner = TaskRunner(demo_sqlite_db)
    try:
        desk = DeskPanel(runner, head, today=Today(date.today()))
        qtbot.addWidget(desk)
        painted = Painted(desk)
        desk.installEventFilter(painted)
        desk.visits_panel.loaded.connect(lambda: events.append("visits answered"))  # before .answered
        desk.cards_panel.loaded.connect(lambda: events.append("cards shown"))
        desk.lists_loaded.connect(lambda: events.append("lists shown"))
        desk.resize(1300, 700)
        desk.show()
        qtbot.waitUntil(lambda: {"cards shown", "lists shown"} <= set(events) and desk.page is not None,
                        timeout=30_000)
    finally:
        runner.shutdown(dispose=False)
    before = events[:events.index("painted")]
    assert before == ["submit desk.DeskPanel.reader.load"], events
    assert events[events.index("painted") + 1] == "due rows 0", events  # set just after the paint
    assert len(desk.due_model.rows) > 0
    after = events[events.index("painted"):]
    lists = after.index("submit desk.DeskPanel._load_lists.load")
    for read in ("visits_due.VisitsDuePanel.reader.load", "desk_box.DeskSessionsPanel.reader.load",
                 "crossings.CrossingsPanel.reader.load", "cards.CardsPanel.refresh.due"):
        assert f"submit {read}" in after, (read, events)
        assert after.index(f"submit {read}") > lists, (read, events)
    assert desk.data is not None and desk.data.orders is not None and desk.data.awaiting is not None
    # The cards' list (0.5-1 s for a township head on the 1M demo) never holds up the interactive lane.
    assert lanes["cards.CardsPanel.reader.load"] is Lane.SLOW, lanes
    assert lanes["desk.DeskPanel.reader.load"] is Lane.READ, lanes
    assert events.index("submit cards.CardsPanel.refresh.due") > events.index("visits answered"), events


def test_a_countys_counts_read_in_digit_groups(chinese: None, runner: Runner, demo_sqlite_db: Database,
                                               qtbot: QtBot) -> None:
    """The 1M demo's desk wrote 超期案件 84315 件，临期 16623 件 and 分流待反馈 4897 件: a county's
    counts in digit groups, as the statistics write them. The audit chain's sequence beside them
    names an entry and the day is a day: neither is grouped."""
    from dataclasses import replace

    from mediation_desk.services.pages import DueVisitsPage

    head = login_as(demo_sqlite_db, "head")
    desk = make_desk(runner, head, qtbot, Today(date(2026, 12, 7)))
    qtbot.waitUntil(lambda: desk.data is not None and desk.data.awaiting is not None)
    data = desk.data
    assert data is not None and data.orders is not None
    anchor = data.audit_head
    assert anchor is not None
    big = replace(data, overdue=84_315, due_soon=16_623, awaiting_count=4_897, audit_head=replace(anchor, seq=123_456))
    desk._show_lists(big)  # as the lists' read shows them
    assert desk.due_box.title() == "到期提醒：超期案件 84,315 件，临期 16,623 件"
    assert desk.awaiting_box.title() == "分流待反馈：4,897 件"
    summary = desk.summary_label.text()
    assert summary.startswith("截至 2026-12-07：超期案件 84,315 件，临期 16,623 件；"), summary
    assert summary.endswith("分流待反馈 4,897 件"), summary
    assert desk.audit_label.text().startswith("审计链：序号 123456，"), desk.audit_label.text()

    visits = desk.visits_panel
    visits.show_page(DueVisitsPage(today=date(2026, 12, 7), rows=(), overdue_count=20_537, soon_count=1_305))
    assert visits.box.title() == "待回访：20,537 件回访逾期，1,305 件一周内到期"
    assert visits.summary_label.text().startswith("截至2026-12-07。")


def test_a_desk_shown_right_after_its_due_list_reads_its_panels_after_its_first_paint(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """Start-up keeps the signed-in window hidden until its first reads answered and shows it then
    (``MainWindow.shown_after_its_reads``): the desk's panels read after its first paint, not while
    the window is made visible and painted. A hidden desk not flagged so reads them at its answer."""
    mediator = login_as(demo_sqlite_db, "mediator")
    runner.hold()  # as start-up holds the window's reads until the password is verified
    desk = DeskPanel(runner, mediator)
    qtbot.addWidget(desk)
    desk.panels_after_the_paint()
    runner.release()  # synchronous: the due list is read and answered now, the desk still hidden
    assert desk.page is not None and desk.visits_panel.page is None and desk.data is not None
    assert desk.data.orders is None  # the desk's own other lists wait too
    desk.resize(1300, 700)
    desk.show()
    qtbot.waitUntil(lambda: desk.visits_panel.page is not None and desk.data is not None
                    and desk.data.orders is not None)

    hidden = DeskPanel(runner, mediator)  # not flagged: its panels at the due list's answer
    qtbot.addWidget(hidden)
    assert hidden.page is not None and hidden.visits_panel.page is not None
