"""The lazy case list model: Qt's model contract, windows, sorting, filters, refresh."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import CaseState, ClockColour, DisputeCase
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import caselist, reference, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery, CaseRow, SortKey
from mediation_desk.services.workflow import FINAL_STATES
from mediation_desk.ui.cases import list_model as case_list_model
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.common.format import (
    CLOCK_COLOURS,
    FINAL_COLOUR,
    STATE_COLOURS,
    clock_icon,
    clock_meaning,
    format_day,
    risk_icon,
)
from mediation_desk.ui.common.i18n import enum_text

from ..conftest import login_as
from .cells import comparable
from .conftest import Runner, check_model, register_case

pytestmark = pytest.mark.gui


@pytest.fixture
def head(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "head")


@pytest.fixture
def small_windows(monkeypatch: pytest.MonkeyPatch) -> int:
    """Windows of 25 rows, so the 120 demo cases span five of them."""
    monkeypatch.setattr(case_list_model, "WINDOW", 25)
    return 25


def all_ids(db: Database, actor: Actor, query: CaseQuery) -> list[int]:
    with db.read() as session:
        total = caselist.count_cases(session, actor, query)
        return [r.id for r in caselist.fetch_window(session, actor, query, 0, total, total=total)]


def loaded_ids(model: CaseListModel) -> list[int | None]:
    model.load_rows(0, model.total - 1)
    return [model.data(model.index(row, 0), CaseListModel.CaseIdRole) for row in range(model.rowCount())]


def test_model_passes_the_model_tester(runner: Runner, head: Actor, qtmodeltester: ModelTester,
                                       small_windows: int) -> None:
    model = CaseListModel(runner, head)
    assert model.rowCount() == 120
    check_model(qtmodeltester, model)  # rows still loading: placeholders must be consistent too
    model.load_rows(0, model.total - 1)
    check_model(qtmodeltester, model)


def test_each_cell_shows_its_columns_text(runner: Runner, head: Actor, small_windows: int) -> None:
    """The texts worked out for a row's cells at once are each column's own (dates, state and
    risk names, the clock's day)."""
    model = CaseListModel(runner, head)
    model.load_rows(0, model.total - 1)
    for number in range(model.total):
        row = model.data(model.index(number, 0), CaseListModel.CaseRowRole)
        assert isinstance(row, caselist.CaseRow)
        texts = [model.data(model.index(number, column)) for column in range(CaseListModel.COLUMN_COUNT)]
        assert texts == [CaseListModel._display(row, column) for column in range(CaseListModel.COLUMN_COUNT)]


def test_rows_load_lazily_in_windows(runner: Runner, head: Actor, qtbot: QtBot, small_windows: int,
                                     demo_sqlite_db: Database) -> None:
    model = CaseListModel(runner, head)
    # The first window, then the count; nothing else is fetched yet.
    assert model.total == 120
    assert model.is_row_loaded(0) and model.is_row_loaded(24)
    assert not model.is_row_loaded(25) and not model.is_row_loaded(119)
    index = model.index(119, CaseListModel.COL_NUMBER)
    assert model.data(index) is None  # nothing there until a view paints the row
    model.show_rows(110, 119)  # what the table does before it paints those rows
    assert model.data(index) == "Loading…"
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None  # in grey
    with qtbot.waitSignal(model.rows_loaded) as arrived:
        pass  # painting asked for the window; it is fetched after the paint, on the next turn
    assert arrived.args == [100, 119]
    expected = all_ids(demo_sqlite_db, head, model.query)
    assert model.data(index, CaseListModel.CaseIdRole) == expected[119]
    assert not model.is_row_loaded(50)
    # Scrolling on from a loaded window continues from its last key: rows neither skip nor repeat.
    assert loaded_ids(model) == expected


def test_cache_is_bounded(runner: Runner, head: Actor, small_windows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_list_model, "MAX_WINDOWS", 2)
    model = CaseListModel(runner, head)
    model.load_rows(0, 119)
    assert [model.is_row_loaded(row) for row in (0, 25, 50, 75, 100)] == [False, False, False, True, True]


@pytest.mark.parametrize("column", sorted(CaseListModel.SORT_KEYS))
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sorting(runner: Runner, head: Actor, demo_sqlite_db: Database, qtmodeltester: ModelTester,
                 small_windows: int, column: int, order: Qt.SortOrder) -> None:
    model = CaseListModel(runner, head)
    model.sort(column, order)
    key = CaseListModel.SORT_KEYS[column]
    assert model.query.sort is key and model.query.descending is (order == Qt.SortOrder.DescendingOrder)
    assert model.total == 120
    ids = loaded_ids(model)
    assert ids == all_ids(demo_sqlite_db, head, CaseQuery(sort=key, descending=model.query.descending))
    if key is SortKey.RECEIVED:
        received = [model.data(model.index(r, CaseListModel.COL_RECEIVED)) for r in range(model.rowCount())]
        assert received == sorted(received, reverse=order == Qt.SortOrder.DescendingOrder)
    check_model(qtmodeltester, model)


def test_unindexed_columns_do_not_sort(runner: Runner, head: Actor) -> None:
    model = CaseListModel(runner, head)
    before = model.query
    model.sort(CaseListModel.COL_TITLE, Qt.SortOrder.AscendingOrder)
    assert model.query == before
    assert model.headerData(CaseListModel.COL_TITLE, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_resort_keeps_the_count(runner: Runner, head: Actor, qtbot: QtBot) -> None:
    model = CaseListModel(runner, head)
    with qtbot.assertNotEmitted(model.count_changed), qtbot.waitSignal(model.rows_loaded):
        model.sort(CaseListModel.COL_NUMBER, Qt.SortOrder.AscendingOrder)
    assert model.total == 120


def check_filter(runner: Runner, head: Actor, db: Database, qtmodeltester: ModelTester, flt: CaseFilter,
                 accept: object) -> None:
    model = CaseListModel(runner, head)
    model.set_query(CaseQuery(filter=flt))
    expected = all_ids(db, head, CaseQuery(filter=flt))
    assert 0 < model.total == len(expected) < 120
    model.load_rows(0, model.total - 1)
    rows = [model.data(model.index(r, 0), CaseListModel.CaseRowRole) for r in range(model.rowCount())]
    assert [r.id for r in rows] == expected
    assert all(accept(r) for r in rows)  # type: ignore[operator]
    check_model(qtmodeltester, model)


def test_filter_by_state(runner: Runner, head: Actor, demo_sqlite_db: Database, qtmodeltester: ModelTester) -> None:
    states = frozenset({CaseState.IN_MEDIATION, CaseState.ASSIGNED})
    check_filter(runner, head, demo_sqlite_db, qtmodeltester, CaseFilter(states=states),
                 lambda row: row.state in states)


def test_filter_by_dispute_type(runner: Runner, head: Actor, demo_sqlite_db: Database,
                                qtmodeltester: ModelTester) -> None:
    with demo_sqlite_db.read() as session:
        types = reference.dispute_types(session)
    counts = {t.name: len(all_ids(demo_sqlite_db, head, CaseQuery(filter=CaseFilter(dispute_type_id=t.id))))
              for t in types}
    chosen = next(t for t in types if counts[t.name] == max(counts.values()))
    check_filter(runner, head, demo_sqlite_db, qtmodeltester, CaseFilter(dispute_type_id=chosen.id),
                 lambda row: row.dispute_type == chosen.name)


def test_filter_by_team(runner: Runner, head: Actor, demo_sqlite_db: Database, qtmodeltester: ModelTester) -> None:
    with demo_sqlite_db.read() as session:
        team = reference.teams(session)[1]
    check_filter(runner, head, demo_sqlite_db, qtmodeltester, CaseFilter(team_ids=frozenset({team.id})),
                 lambda row: row.team == team.name)


def test_filter_by_received_dates(runner: Runner, head: Actor, demo_sqlite_db: Database,
                                  qtmodeltester: ModelTester) -> None:
    newest = all_ids(demo_sqlite_db, head, CaseQuery())
    assert newest
    start, end = date.today() - timedelta(days=120), date.today() - timedelta(days=30)
    check_filter(runner, head, demo_sqlite_db, qtmodeltester, CaseFilter(received_from=start, received_to=end),
                 lambda row: start <= row.received_at.date() <= end)


def test_empty_result(runner: Runner, head: Actor, qtmodeltester: ModelTester) -> None:
    model = CaseListModel(runner, head)
    model.set_query(CaseQuery(filter=CaseFilter(received_to=date(2000, 1, 1))))
    assert model.rowCount() == 0
    check_model(qtmodeltester, model)


def test_refreshes_when_a_shown_case_changes(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    clerk = login_as(demo_sqlite_db, "clerk")
    model = CaseListModel(runner, clerk)
    case_id = register_case(demo_sqlite_db, clerk)
    assert model.total == 120  # the model does not know yet
    with qtbot.waitSignal(model.count_changed):
        runner.changed.emit(Changes(case_list=True))
    assert model.total == 121
    assert model.data(model.index(0, 0), CaseListModel.CaseIdRole) == case_id  # newest first
    assert model.data(model.index(0, CaseListModel.COL_STATE)) == "Registered"

    def accept(session: object) -> None:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)  # type: ignore[arg-type]

    with qtbot.waitSignal(model.refreshed):
        runner.run_write(accept, changes=Changes.cases(case_id))
    assert model.data(model.index(0, CaseListModel.COL_STATE)) == "Accepted"


def test_ignores_changes_elsewhere(runner: Runner, head: Actor, qtbot: QtBot) -> None:
    model = CaseListModel(runner, head)
    with qtbot.assertNotEmitted(model.count_changed):
        runner.changed.emit(Changes.cases(999_999))
        runner.changed.emit(Changes(users=True))


def test_deadline_column_shows_the_clock(runner: Runner, head: Actor, demo_sqlite_db: Database,
                                         qtmodeltester: ModelTester) -> None:
    day = [date.today()]
    model = CaseListModel(runner, head, today=lambda: day[0])
    model.load_rows(0, model.total - 1)
    assert model.headerData(CaseListModel.COL_DEADLINE, Qt.Orientation.Horizontal) == "Deadline"
    assert CaseListModel.COL_DEADLINE not in CaseListModel.SORT_KEYS
    rows = [model.data(model.index(r, 0), CaseListModel.CaseRowRole) for r in range(model.rowCount())]
    timed = [r for r, row in enumerate(rows) if row.clock_due_on is not None]
    untimed = [r for r, row in enumerate(rows) if row.clock_due_on is None]
    assert timed and untimed  # open cases run a clock; rejected ones and visited closed ones do not
    for r in untimed[:5]:
        index = model.index(r, CaseListModel.COL_DEADLINE)
        assert model.data(index) == ""
        assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
        assert model.data(index, CaseListModel.ClockColourRole) is None
    r = timed[0]
    row = rows[r]
    index = model.index(r, CaseListModel.COL_DEADLINE)
    assert model.data(index) == f"{row.clock_due_on:%Y-%m-%d}"
    for moved, colour in ((row.clock_warn_on - timedelta(days=1), ClockColour.GREEN),
                          (row.clock_warn_on, ClockColour.YELLOW),
                          (row.clock_due_on + timedelta(days=1), ClockColour.RED)):
        if moved < row.clock_warn_on and row.clock_warn_on == row.received_at.date():
            continue  # a clock yellow from its first day has no green day
        day[0] = moved
        model.recolour()  # a new day: the rows' items are made again (the view's paint asks once a second)
        assert model.data(index, CaseListModel.ClockColourRole) == colour
        assert model.data(index, Qt.ItemDataRole.ToolTipRole).startswith(
            {ClockColour.GREEN: "On time", ClockColour.YELLOW: "Due soon", ClockColour.RED: "Overdue"}[colour])
        assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    check_model(qtmodeltester, model)


def test_a_new_query_shows_its_first_rows_before_it_is_counted(
        demo_sqlite_db: Database, head: Actor, qtbot: QtBot, qtmodeltester: ModelTester, small_windows: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On the real lanes, with the count held up: the first screen of a new query is in the list
    (and the count label says it is counting) while the rows are still being counted; then the
    list grows to the count with the rest of the first window, and the rows below are fetched as
    they are asked for."""
    import threading

    from mediation_desk.ui.cases.list_view import CaseListView
    from mediation_desk.ui.common.tasks import TaskRunner

    monkeypatch.setattr(case_list_model, "FIRST_ROWS", 10)
    gate = threading.Event()
    counted = caselist.count_cases

    def held_count(*args: object, **kwargs: object) -> int:
        assert gate.wait(10), "the first rows never showed while the count was held"
        return counted(*args, **kwargs)  # type: ignore[arg-type]

    task_runner = TaskRunner(demo_sqlite_db)
    try:
        view = CaseListView(task_runner, head)
        qtbot.addWidget(view)
        model = view.model
        qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
        flt = CaseFilter(received_from=date(2000, 1, 1))  # a new query, of every case
        expected = all_ids(demo_sqlite_db, head, CaseQuery(filter=flt))
        monkeypatch.setattr(caselist, "count_cases", held_count)
        assert len(expected) > small_windows
        with qtbot.waitSignal(model.rows_loaded, timeout=10_000) as first:
            model.set_query(CaseQuery(filter=flt))
        assert first.args == [0, 9]
        assert model.counting and model.total == 10
        qtbot.waitUntil(lambda: view.count_label.text() == "Counting the cases…", timeout=10_000)  # once painted
        assert [model.data(model.index(r, 0), CaseListModel.CaseIdRole) for r in range(10)] == expected[:10]
        check_model(qtmodeltester, model)
        with qtbot.waitSignal(model.count_changed, timeout=10_000) as count:
            gate.set()
        assert count.args == [len(expected)] and model.total == len(expected) and not model.counting
        assert model.is_row_loaded(small_windows - 1) and not model.is_row_loaded(small_windows)
        model.load_rows(0, model.total - 1)
        qtbot.waitUntil(lambda: all(model.is_row_loaded(r) for r in range(model.total)), timeout=10_000)
        assert [model.data(model.index(r, 0), CaseListModel.CaseIdRole) for r in range(model.total)] == expected
    finally:
        gate.set()
        task_runner.shutdown(dispose=False)


def test_a_list_shorter_than_its_first_read_is_not_counted(runner: Runner, head: Actor, qtbot: QtBot,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Fewer rows than the first read asks for are the whole list, so no count is read; the list
    still reports its number. More are counted."""
    monkeypatch.setattr(case_list_model, "FIRST_ROWS", 150)
    calls: list[CaseQuery] = []
    counted = caselist.count_cases

    def spy(session: object, actor: Actor, query: CaseQuery) -> int:
        calls.append(query)
        return counted(session, actor, query)  # type: ignore[arg-type]

    monkeypatch.setattr(caselist, "count_cases", spy)
    model = CaseListModel(runner, head)
    assert model.total == 120 and not model.counting
    with qtbot.waitSignal(model.count_changed) as count:
        model.set_query(CaseQuery(filter=CaseFilter(states=frozenset({CaseState.IN_MEDIATION}))))
    assert 0 < count.args[0] == model.total < 120
    assert calls == []
    monkeypatch.setattr(case_list_model, "FIRST_ROWS", 10)
    with qtbot.waitSignal(model.count_changed) as count:
        model.set_query(CaseQuery())
    assert count.args == [120] and model.total == 120 and len(calls) == 1


def expected_cells(db: Database, actor: Actor, query: CaseQuery) -> list[tuple[int, str, str, str]]:
    """Each row's case and the texts of three of its cells, as the service reads them."""
    with db.read() as session:
        total = caselist.count_cases(session, actor, query)
        rows = caselist.fetch_window(session, actor, query, 0, total, total=total)
    cells = []
    for row in rows:
        texts = CaseListModel.texts_of(row)
        cells.append((row.id, texts[CaseListModel.COL_NUMBER], texts[CaseListModel.COL_TITLE],
                      texts[CaseListModel.COL_STATE]))
    return cells


def shown_cells(model: CaseListModel) -> list[tuple[int, str, str, str] | None]:
    """What the list holds in each row (None where a row has no items: not fetched, not stale)."""
    shown: list[tuple[int, str, str, str] | None] = []
    for row in range(model.rowCount()):
        case_id = model.data(model.index(row, CaseListModel.COL_TITLE), CaseListModel.CaseIdRole)
        texts = tuple(model.data(model.index(row, c)) for c in (CaseListModel.COL_NUMBER, CaseListModel.COL_TITLE,
                                                                 CaseListModel.COL_STATE))
        if case_id is None:
            assert texts[1:] == (None, None) and texts[0] in (None, "Loading…"), (row, texts)
            shown.append(None)
        else:
            assert model.data(model.index(row, CaseListModel.COL_UPDATED), CaseListModel.CaseIdRole) == case_id
            shown.append((case_id, *texts))
    return shown


@pytest.mark.parametrize("store_windows", [case_list_model.STORE_WINDOWS, 2])
def test_the_rows_held_stay_right(runner: Runner, head: Actor, demo_sqlite_db: Database, qtbot: QtBot,
                                  qtmodeltester: ModelTester, small_windows: int,
                                  monkeypatch: pytest.MonkeyPatch, store_windows: int) -> None:
    """The items the view paints from are the service's rows after each thing that changes them:
    the count's arrival, a fetch further down, a sort (no row of the old order stays), a window
    dropped from memory (its rows show "Loading…" again, then come back), a change that refreshes
    the rows in place (the windows not read again hold nothing stale); in Qt's store, and in the
    rows below it (``store_windows`` 2: rows 50 on)."""
    monkeypatch.setattr(case_list_model, "MAX_WINDOWS", 3)
    monkeypatch.setattr(case_list_model, "STORE_WINDOWS", store_windows)
    model = CaseListModel(runner, head)
    expected = expected_cells(demo_sqlite_db, head, model.query)
    shown = shown_cells(model)
    assert shown[:25] == expected[:25] and shown[25:] == [None] * 95  # counted: the first window only
    model.load_rows(25, 74)
    assert shown_cells(model)[:75] == expected[:75]

    model.sort(CaseListModel.COL_NUMBER, Qt.SortOrder.AscendingOrder)
    by_number = expected_cells(demo_sqlite_db, head, model.query)
    assert by_number != expected
    assert shown_cells(model) == by_number[:25] + [None] * 95
    model.load_rows(0, 119)  # five windows through a cache of three: the first two are dropped
    shown = shown_cells(model)
    assert shown[:50] == [None] * 50 and shown[50:] == by_number[50:]
    model.show_rows(0, 30)  # painted again: "Loading…", and fetched
    assert model.data(model.index(30, CaseListModel.COL_NUMBER)) == "Loading…"
    qtbot.waitUntil(lambda: model.is_row_loaded(0) and model.is_row_loaded(30), timeout=5_000)
    assert shown_cells(model)[:50] == by_number[:50]
    check_model(qtmodeltester, model)

    case_id = by_number[110][0]
    with demo_sqlite_db.write() as session:
        case = session.get(DisputeCase, case_id)
        assert case is not None
        case.title = "改过的标题"
    with qtbot.waitSignal(model.refreshed):
        runner.changed.emit(Changes.cases(case_id))
    now = expected_cells(demo_sqlite_db, head, model.query)
    shown = shown_cells(model)
    loaded = [r for r in range(120) if shown[r] is not None]
    assert 110 in loaded and shown[110] is not None and shown[110][2] == "改过的标题"
    assert all(shown[r] == now[r] for r in loaded)  # the windows read again
    assert loaded == [*range(50), *range(100, 120)]  # the rest hold nothing, not the old rows
    check_model(qtmodeltester, model)


def _items_as_before(model: CaseListModel, store: QStandardItemModel, number: int, row: CaseRow,
                     texts: tuple[str, ...], today: date) -> None:
    """A row's items as the list made them one role a call (a prototype holding the row's case, then
    each cell's roles): what its cheaper making must still give, cell by cell."""
    final = row.state in FINAL_STATES
    colour = row.clock_colour(today)
    prototype = QStandardItem()
    prototype.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                       | Qt.ItemFlag.ItemNeverHasChildren)
    prototype.setData(row.id, CaseListModel.CaseIdRole)
    prototype.setData(row, CaseListModel.CaseRowRole)
    if colour is not None:
        prototype.setData(colour, CaseListModel.ClockColourRole)
    if final:
        prototype.setData(QBrush(QColor(FINAL_COLOUR)), Qt.ItemDataRole.ForegroundRole)
    store.setItemPrototype(prototype)
    for column, text in enumerate(texts):
        store.setData(store.index(number, column), text)
    for column in (CaseListModel.COL_TITLE, CaseListModel.COL_APPLICANTS):
        store.setData(store.index(number, column), texts[column], Qt.ItemDataRole.ToolTipRole)
    if not final and row.state in STATE_COLOURS:
        store.setData(store.index(number, CaseListModel.COL_STATE), QBrush(QColor(STATE_COLOURS[row.state])),
                      Qt.ItemDataRole.ForegroundRole)
    store.setData(store.index(number, CaseListModel.COL_RISK), risk_icon(row.risk_level),
                  Qt.ItemDataRole.DecorationRole)
    deadline = store.index(number, CaseListModel.COL_DEADLINE)
    if colour is not None and row.clock_stage is not None:
        store.setData(deadline, clock_icon(colour), Qt.ItemDataRole.DecorationRole)
        tip = f"{clock_meaning(colour)}: {enum_text(row.clock_stage)}, due {format_day(row.clock_due_on)}"
        store.setData(deadline, tip, Qt.ItemDataRole.ToolTipRole)
        if colour is ClockColour.RED:
            store.setData(deadline, QBrush(QColor(CLOCK_COLOURS[ClockColour.RED])), Qt.ItemDataRole.ForegroundRole)
    elif final:
        store.setData(deadline, None, Qt.ItemDataRole.ForegroundRole)
    # Since the table draws unshaped: the cells with Latin letters (here, untranslated, the states
    # and risks too) ask to be shaped.
    for column, text in enumerate(texts):
        if any(character.isascii() and character.isalpha() for character in text):
            font = QFont()
            font.setStyleStrategy(QFont.StyleStrategy.PreferDefault)
            store.setData(store.index(number, column), font, Qt.ItemDataRole.FontRole)
    store.setItemPrototype(None)  # type: ignore[arg-type]  # Qt takes a null prototype


def test_a_rows_items_hold_what_they_held(runner: Runner, head: Actor) -> None:
    """Every role of every cell, and its flags, as the list made them before its items were made in
    fewer calls (and a shaped font where the text has Latin letters): an open row without a clock,
    finished ones (with and without a clock), and clocks green, yellow and red (overdue) — twice,
    the second time from the tooltips kept."""
    # The shaped font is made once, from the application's font then: an earlier test's list may
    # have made it before another registered the shipped fonts (the app registers them first).
    case_list_model._shaped_font.cache_clear()
    model = CaseListModel(runner, head)
    fetched = [model.data(model.index(r, 0), CaseListModel.CaseRowRole) for r in range(model.total)]
    today = date(2026, 6, 1)
    base = fetched[0]
    final = next(row for row in fetched if row.state in FINAL_STATES)
    stage = next(row.clock_stage for row in fetched if row.clock_stage is not None)
    clocked = replace(base, state=CaseState.IN_MEDIATION, clock_stage=stage)
    rows = [
        replace(base, state=CaseState.ACCEPTED, clock_stage=None, clock_warn_on=None, clock_due_on=None),
        replace(final, clock_stage=None, clock_warn_on=None, clock_due_on=None),
        replace(clocked, clock_warn_on=today + timedelta(days=3), clock_due_on=today + timedelta(days=9)),  # green
        replace(clocked, clock_warn_on=today, clock_due_on=today + timedelta(days=2)),  # yellow
        replace(clocked, clock_warn_on=today - timedelta(days=9), clock_due_on=today - timedelta(days=1)),  # red
        replace(final, clock_stage=stage, clock_warn_on=today - timedelta(days=9),
                clock_due_on=today - timedelta(days=1)),  # finished, its clock red
        replace(final, clock_stage=stage, clock_warn_on=today, clock_due_on=today + timedelta(days=2)),
    ]
    before = QStandardItemModel(len(rows), CaseListModel.COLUMN_COUNT)
    now = QStandardItemModel(2 * len(rows), CaseListModel.COLUMN_COUNT)
    for number, row in enumerate(rows):
        _items_as_before(model, before, number, row, CaseListModel.texts_of(row), today)
    for number, row in enumerate(rows + rows):
        model._fill(now, number, row, CaseListModel.texts_of(row), today)
    now.setItemPrototype(None)  # type: ignore[arg-type]  # as the list does after its rows
    for number in range(2 * len(rows)):
        for column in range(CaseListModel.COLUMN_COUNT):
            old, new = before.index(number % len(rows), column), now.index(number, column)
            assert ({role: comparable(value) for role, value in now.itemData(new).items()}
                    == {role: comparable(value) for role, value in before.itemData(old).items()}), (number, column)
            assert now.flags(new) == before.flags(old), (number, column)
    assert now.data(now.index(4, CaseListModel.COL_DEADLINE), Qt.ItemDataRole.ToolTipRole).startswith("Overdue")
    assert now.data(now.index(0, CaseListModel.COL_NUMBER), Qt.ItemDataRole.FontRole) is None  # digits, Chinese
