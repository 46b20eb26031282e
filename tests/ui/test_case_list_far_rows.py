"""A long list's rows below its store's (issue 20: the case list of a million cases froze the window
when its count arrived and Qt's store grew to every row): the list's length adds no rows to Qt's
store, the rows below it answer every role as the store's rows do, and a person reaches, sees and
keeps selected the last case. The demo's 120 cases stand for a long list: windows of 25 rows, the
store holding two of them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelRoleData, QPersistentModelIndex, Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.services import caselist
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases import list_model as case_list_model
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.cases.list_view import CaseListView

from ..conftest import login_as
from .cells import comparable
from .conftest import Runner, check_model

pytestmark = pytest.mark.gui

WINDOW = 25
#: The rows the store holds: two windows; the other 70 demo cases are far rows.
TOP = 2 * WINDOW
#: Every role Qt's item delegate asks when it paints a cell, the tooltip and the list's own.
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole,
         Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.CheckStateRole,
         Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, CaseListModel.CaseIdRole,
         CaseListModel.CaseRowRole, CaseListModel.ClockColourRole)


@pytest.fixture
def head(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "head")


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(case_list_model, "WINDOW", WINDOW)
    return monkeypatch


def store_rows(model: CaseListModel) -> int:
    return model._page.store.rowCount()  # what the list costs Qt: its store's rows


def cell(model: CaseListModel, row: int, column: int, role: int) -> Any:
    """What the view is told when it paints the cell (its one ``multiData`` call) — the same as
    ``data`` answers."""
    asked = QModelRoleData(role)
    index = model.index(row, column)
    model.multiData(index, asked)
    answer = comparable(asked.data())
    assert answer == comparable(model.data(index, role)), (row, column, role)
    return answer


def test_the_lists_length_adds_no_rows_to_the_store(runner: Runner, head: Actor, windows: pytest.MonkeyPatch,
                                                    qtmodeltester: ModelTester) -> None:
    windows.setattr(case_list_model, "STORE_WINDOWS", 2)
    model = CaseListModel(runner, head)
    assert model.rowCount() == model.total == 120
    assert store_rows(model) == TOP
    check_model(qtmodeltester, model)  # the far rows still loading
    model.load_rows(0, model.total - 1)
    check_model(qtmodeltester, model)
    model.sort(CaseListModel.COL_NUMBER, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 120 and store_rows(model) == TOP
    check_model(qtmodeltester, model)


def test_far_rows_answer_every_role_as_the_stores_rows(runner: Runner, head: Actor, demo_sqlite_db: Database,
                                                        windows: pytest.MonkeyPatch) -> None:
    """The same list twice, all of it in the store, and in the store for 50 rows only (the far rows
    25, the tail's the last two windows): every cell of every row answers the same for every role,
    on two days (the clocks' colours, asked again after the far cells' roles were kept); a far row
    not fetched yet shows "Loading…" in grey, as a row of the store (or the tail) does once painted."""
    day = [date.today()]
    near = CaseListModel(runner, head, today=lambda: day[0])
    windows.setattr(case_list_model, "STORE_WINDOWS", 2)
    far = CaseListModel(runner, head, today=lambda: day[0])
    assert store_rows(near) == 120 and store_rows(far) == TOP
    assert far._page.far.rows == WINDOW and far._page.tail.rowCount() == 120 - TOP - WINDOW
    assert cell(far, 60, CaseListModel.COL_NUMBER, Qt.ItemDataRole.DisplayRole) == "Loading…"
    assert cell(far, 60, CaseListModel.COL_NUMBER, Qt.ItemDataRole.ForegroundRole) is not None
    assert cell(far, 60, CaseListModel.COL_TITLE, Qt.ItemDataRole.DisplayRole) is None
    for model in (near, far):
        model.show_rows(118, 119)
    for column in (CaseListModel.COL_NUMBER, CaseListModel.COL_TITLE):
        for role in ROLES:
            assert cell(far, 119, column, role) == cell(near, 119, column, role), (column, role)
    assert cell(far, 119, CaseListModel.COL_NUMBER, Qt.ItemDataRole.DisplayRole) == "Loading…"
    near.load_rows(0, 119)
    far.load_rows(0, 119)
    with demo_sqlite_db.read() as session:
        expected = [r.id for r in caselist.fetch_window(session, head, far.query, 0, 120, total=120)]
    assert [far.case_id_at(r) for r in range(120)] == expected
    timed = next(row for row in (far.data(far.index(r, 0), CaseListModel.CaseRowRole) for r in range(TOP, 120))
                 if row.clock_warn_on is not None)
    colours = set()
    for moment in (timed.clock_warn_on - timedelta(days=1), timed.clock_due_on + timedelta(days=1)):
        day[0] = moment
        near.recolour()
        far.recolour()
        for row in range(TOP - 5, 120):
            for column in range(CaseListModel.COLUMN_COUNT):
                index = far.index(row, column)
                assert far.flags(index) == near.flags(near.index(row, column))
                for role in ROLES:
                    assert cell(far, row, column, role) == cell(near, row, column, role), (row, column, role)
        colours.add(far.data(far.index(TOP + expected[TOP:].index(timed.id), CaseListModel.COL_DEADLINE),
                             CaseListModel.ClockColourRole))
    assert len(colours) == 2  # the far row was painted anew for the other day


def test_a_far_window_dropped_from_memory_shows_loading_until_read_again(
        runner: Runner, head: Actor, windows: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    """A far window's slot goes with the window (the cache holds three) and is taken by another,
    without any of its rows' items showing under the other window's rows."""
    windows.setattr(case_list_model, "STORE_WINDOWS", 2)
    windows.setattr(case_list_model, "MAX_WINDOWS", 3)
    model = CaseListModel(runner, head)
    model.load_rows(50, 99)  # windows 0, 2, 3
    first = [model.case_id_at(r) for r in range(50, 100)]
    assert None not in first
    model.load_rows(100, 119)  # window 4 drops window 0
    model.load_rows(0, 0)  # window 0 drops window 2: its slot goes to nothing yet
    assert not model.is_row_loaded(50)
    assert model.data(model.index(50, CaseListModel.COL_NUMBER)) == "Loading…"
    assert model.data(model.index(50, CaseListModel.COL_NUMBER), CaseListModel.CaseIdRole) is None
    model.show_rows(50, 60)  # painted: read again
    qtbot.waitUntil(lambda: model.is_row_loaded(50), timeout=5_000)
    assert [model.case_id_at(r) for r in range(50, 75)] == first[:25]
    assert [model.data(model.index(r, 0), CaseListModel.CaseIdRole) for r in range(50, 75)] == first[:25]


def test_ctrl_end_shows_the_last_case_and_keeps_it_selected(runner: Runner, head: Actor, demo_sqlite_db: Database,
                                                            windows: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    """The scroll bar spans every row; Ctrl+End goes to the last case, which is read and painted;
    selected, it stays selected through a refresh."""
    windows.setattr(case_list_model, "STORE_WINDOWS", 2)
    view = CaseListView(runner, head)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    table, model = view.table, view.model
    qtbot.waitUntil(lambda: model.total == 120 and not model.loading, timeout=5_000)
    bar = table.verticalScrollBar()
    assert bar.maximum() + table.rowAt(table.viewport().height() - 1) - table.rowAt(0) + 1 >= 120
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.is_row_loaded(119), timeout=5_000)
    assert table.currentIndex().row() == 119
    assert bar.value() == bar.maximum()
    with demo_sqlite_db.read() as session:
        last = caselist.fetch_window(session, head, model.query, 119, 1, total=120)[0]
    assert model.data(model.index(119, CaseListModel.COL_NUMBER)) == last.number
    # Selected again once it shows its case (the row was still loading when Ctrl+End made it current).
    QTest.keyClick(table, Qt.Key.Key_Up)
    QTest.keyClick(table, Qt.Key.Key_Down)
    assert view.selected_case_id() == last.id
    with qtbot.waitSignal(model.refreshed, timeout=5_000):
        model.refresh()
    qtbot.wait(10)
    assert view.selected_case_id() == last.id and table.currentIndex().row() == 119
    assert model.data(model.index(119, CaseListModel.COL_NUMBER)) == last.number


def test_the_tail_keeps_its_start_as_the_list_grows_and_shrinks(
        runner: Runner, head: Actor, windows: pytest.MonkeyPatch, qtmodeltester: ModelTester) -> None:
    """The last two windows are rows of Qt's second store; as the count moves, rows come and go at
    the end only, so the rows fetched keep their cases and the view's rows (its current row) their
    places; below the tail's start the far rows end the list, and grow there."""
    windows.setattr(case_list_model, "STORE_WINDOWS", 2)
    model = CaseListModel(runner, head)
    page = model._page
    check_model(qtmodeltester, model)
    model.load_rows(0, 119)

    def ids(rows: int) -> list[int | None]:
        return [model.data(model.index(r, 0), CaseListModel.CaseIdRole) for r in range(rows)]

    held = ids(120)
    assert None not in held and page.end == 75 and page.tail.rowCount() == 45
    assert [page.rows.headerData(r, Qt.Orientation.Vertical) for r in (74, 75, 119)] == [75, "76", "120"]
    last = QPersistentModelIndex(model.index(119, 0))
    page.resize(160)  # cases came: the tail grows
    assert page.end == 75 and page.tail.rowCount() == 85 and model.rowCount() == 160
    assert page.rows.headerData(159, Qt.Orientation.Vertical) == "160"  # numbered on from the far rows
    assert ids(120) == held and last.row() == 119
    page.resize(120)
    assert page.end == 75 and ids(120) == held and last.row() == 119
    page.resize(70)  # cases went, below the tail's start: the far rows end the list
    assert page.end == 70 and page.tail.rowCount() == 0 and ids(70) == held[:70] and not last.isValid()
    page.resize(90)  # and grow there, the tail empty
    assert page.far.rows == 40 and page.tail.rowCount() == 0 and ids(70) == held[:70]
    assert all(model.data(model.index(r, 0), CaseListModel.CaseIdRole) is None for r in range(75, 90))
