"""A case list's count never makes an opened case wait: on the real lanes, the count of a new query
or of a refresh is read on the count lane after the rows, so a case page asked for meanwhile is read
first; the count shown says it is still counting; a count that comes after a newer query or
refresh is dropped; the selection still follows its case (``row_position``, after the count)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import DisputeCase
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import caselist
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery
from mediation_desk.ui.cases import list_model as case_list_model
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.cases.list_view import CaseListView
from mediation_desk.ui.common.tasks import TaskRunner
from mediation_desk.ui.shell.main_window import CaseSection

from ..conftest import login_as
from .conftest import check_model, register_case

pytestmark = pytest.mark.gui

COUNT_CASES = caselist.count_cases
WAIT_MS = 10_000


class HeldCounts:
    """Once :meth:`hold` is called, ``caselist.count_cases`` as the list calls it counts and then
    waits for :meth:`release` before it answers (a lock held by the test, the count's own read
    unchanged): the count is "slow" exactly while the test holds it. It waits longer than the test
    waits for a page, so a page read after a held count is seen not to come."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gate = threading.Event()
        self.answers: list[int] = []
        self._monkeypatch = monkeypatch

    def hold(self) -> HeldCounts:
        def held(*args: Any, **kwargs: Any) -> int:
            total = COUNT_CASES(*args, **kwargs)
            self.answers.append(total)
            assert self.gate.wait(3 * WAIT_MS / 1000), "the count was never let go"
            return total

        self._monkeypatch.setattr(caselist, "count_cases", held)
        return self

    def wait_started(self, qtbot: QtBot, counts: int = 1) -> None:
        """``counts`` counts have begun (the last one holds its lane); the GUI thread runs meanwhile."""
        qtbot.waitUntil(lambda: len(self.answers) >= counts, timeout=WAIT_MS)

    def release(self) -> None:
        self.gate.set()


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldCounts]:
    """Counts the test may hold; let go at the end (before the lanes are shut down: they wait)."""
    held = HeldCounts(monkeypatch)
    yield held
    held.release()


@pytest.fixture
def head(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "head")


@pytest.fixture
def lanes(demo_sqlite_db: Database) -> Iterator[TaskRunner]:
    """The real runner: a thread per lane, as the app runs."""
    runner = TaskRunner(demo_sqlite_db)
    yield runner
    runner.shutdown(dispose=False)


@pytest.fixture
def section(lanes: TaskRunner, head: Actor, qtbot: QtBot, counts: HeldCounts) -> CaseSection:
    widget = CaseSection(lanes, head, None, "casesSection")
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    model = widget.list_view.model
    qtbot.waitUntil(lambda: model.total > 0 and not model.loading, timeout=WAIT_MS)
    return widget


def all_ids(db: Database, actor: Actor, query: CaseQuery) -> list[int]:
    with db.read() as session:
        total = COUNT_CASES(session, actor, query)
        return [r.id for r in caselist.fetch_window(session, actor, query, 0, total, total=total)]


def counted(view: CaseListView, n: int) -> str:
    return view.tr("%Ln case(s)", "", n)


def counting_again(view: CaseListView, n: int) -> str:
    return view.tr("%Ln case(s), counting again…", "", n)


def shown_ids(model: CaseListModel) -> list[int | None]:
    return [model.data(model.index(row, 0), CaseListModel.CaseIdRole) for row in range(model.rowCount())]


def enter_on_row(section: CaseSection, qtbot: QtBot, row: int) -> int:
    """Enter on a row of the list, as a person opens a case; the page shown is returned once it is
    read (while the count is still held)."""
    model, table = section.list_view.model, section.list_view.table
    case_id = model.case_id_at(row)
    assert case_id is not None
    table.setCurrentIndex(model.index(row, 0))
    table.setFocus()
    with qtbot.waitSignal(section.detail_view.loaded, timeout=WAIT_MS):
        QTest.keyClick(table, Qt.Key.Key_Return)
    assert section.detail_view.case_id == case_id
    page = section.detail_view.page_data
    assert page is not None and page.detail.id == case_id
    return case_id


def test_a_case_opened_while_a_refresh_counts_is_read_first(
        section: CaseSection, head: Actor, demo_sqlite_db: Database, qtbot: QtBot,
        qtmodeltester: ModelTester, counts: HeldCounts, monkeypatch: pytest.MonkeyPatch) -> None:
    """A case registered at another desk: the list reads its rows at once and counts on the slow
    lane; the count is held, and a case opened meanwhile shows its page; the label says the
    number is being counted again; once the count comes the list takes its length and its rows
    are the service's."""
    view = section.list_view
    model = view.model
    assert model.total == 120 and view.count_label.text() == counted(view, 120)
    held = counts.hold()
    clerk = login_as(demo_sqlite_db, "clerk")
    new_case = register_case(demo_sqlite_db, clerk)
    with qtbot.waitSignal(model.refreshed, timeout=WAIT_MS):
        model.on_changed(Changes(case_list=True))  # as the notice of another desk's write
    held.wait_started(qtbot)
    assert model.counting and model.total == 120
    assert view.count_label.text() == counting_again(view, 120)
    assert model.case_id_at(0) == new_case  # the rows are the new ones, newest first
    check_model(qtmodeltester, model)

    opened = enter_on_row(section, qtbot, 5)
    assert model.counting and held.answers == [121]  # the page came while the count was held

    with qtbot.waitSignals([model.count_changed, model.refreshed], timeout=WAIT_MS):
        held.release()
    assert model.total == 121 and view.count_label.text() == counted(view, 121)
    expected = all_ids(demo_sqlite_db, head, model.query)
    assert shown_ids(model) == expected
    assert view.selected_case_id() == opened
    assert model.case_id_at(view.table.currentIndex().row()) == opened  # the rows moved: the selection too
    check_model(qtmodeltester, model)


def test_a_case_opened_while_a_new_query_counts_is_read_first(
        section: CaseSection, head: Actor, demo_sqlite_db: Database, qtbot: QtBot,
        qtmodeltester: ModelTester, counts: HeldCounts, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new filter: its first rows show, the count is held on the count lane, a case opened from
    those rows shows its page; then the list grows to the count."""
    monkeypatch.setattr(case_list_model, "FIRST_ROWS", 10)
    view = section.list_view
    model = view.model
    held = counts.hold()
    query = CaseQuery(filter=CaseFilter(received_from=date(2000, 1, 1)))
    expected = all_ids(demo_sqlite_db, head, query)
    with qtbot.waitSignal(model.rows_loaded, timeout=WAIT_MS):
        view.set_query(query)
    held.wait_started(qtbot)
    assert model.counting and model.total == 10
    qtbot.waitUntil(lambda: view.count_label.text() == "Counting the cases…", timeout=WAIT_MS)  # once painted
    check_model(qtmodeltester, model)

    opened = enter_on_row(section, qtbot, 3)
    assert opened == expected[3] and model.counting

    with qtbot.waitSignal(model.count_changed, timeout=WAIT_MS) as count:
        held.release()
    assert count.args == [len(expected)] == [model.total]
    assert not model.counting and view.count_label.text() == counted(view, len(expected))
    model.load_rows(0, model.total - 1)
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    assert shown_ids(model) == expected
    check_model(qtmodeltester, model)


def test_a_count_that_comes_after_a_newer_refresh_is_dropped(
        section: CaseSection, head: Actor, demo_sqlite_db: Database, qtbot: QtBot,
        qtmodeltester: ModelTester, counts: HeldCounts, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two refreshes: the first one's count (120, read before a case came) is held until the
    second refresh has started; it then answers first, and is not shown; the second one's is."""
    view = section.list_view
    model = view.model
    held = counts.hold()
    shown: list[int] = []
    model.count_changed.connect(shown.append)
    with qtbot.waitSignal(model.refreshed, timeout=WAIT_MS):
        model.on_changed(Changes(case_list=True))
    held.wait_started(qtbot)  # the first count: 120, held
    new_case = register_case(demo_sqlite_db, login_as(demo_sqlite_db, "clerk"))
    with qtbot.waitSignal(model.refreshed, timeout=WAIT_MS):
        model.on_changed(Changes(case_list=True))
    assert model.case_id_at(0) == new_case and model.counting
    with qtbot.waitSignals([model.count_changed, model.refreshed], timeout=WAIT_MS):
        held.release()
    assert held.answers == [120, 121]
    assert shown == [121] and model.total == 121 and view.count_label.text() == counted(view, 121)
    assert shown_ids(model) == all_ids(demo_sqlite_db, head, model.query)
    check_model(qtmodeltester, model)

    # A new query's count dropped the same way: the first filter's count held, a second filter
    # asked for, then both answer.
    monkeypatch.setattr(case_list_model, "FIRST_ROWS", 10)
    held.gate.clear()
    shown.clear()
    first = CaseQuery(filter=CaseFilter(received_from=date(2000, 1, 1)))
    second = CaseQuery(filter=CaseFilter(received_from=date(2000, 1, 2)))
    with qtbot.waitSignal(model.rows_loaded, timeout=WAIT_MS):
        view.set_query(first)
    held.wait_started(qtbot, 3)
    with qtbot.waitSignal(model.rows_loaded, timeout=WAIT_MS):
        view.set_query(second)
    held.release()
    expected = all_ids(demo_sqlite_db, head, second)
    qtbot.waitUntil(lambda: not model.loading and shown != [], timeout=WAIT_MS)
    assert shown == [len(expected)] and model.query == second
    check_model(qtmodeltester, model)


@pytest.mark.parametrize("store_windows", [case_list_model.STORE_WINDOWS, 2])
def test_the_selection_follows_its_case_out_of_the_rows_read(
        lanes: TaskRunner, head: Actor, demo_sqlite_db: Database, qtbot: QtBot,
        qtmodeltester: ModelTester, counts: HeldCounts, monkeypatch: pytest.MonkeyPatch,
        store_windows: int) -> None:
    """Sorted by 最后更新, scrolled to the bottom, a case selected there is changed (by another
    desk): it moves to the top, out of the windows the refresh reads; after the count, its row is
    found (``row_position``, on the count lane behind the count) and selected again. Selected in
    Qt's store's rows or below them (``store_windows`` 2: rows 50 on)."""
    monkeypatch.setattr(case_list_model, "WINDOW", 25)
    monkeypatch.setattr(case_list_model, "STORE_WINDOWS", store_windows)
    section = CaseSection(lanes, head, None, "casesSection")
    qtbot.addWidget(section)
    section.resize(1300, 700)
    section.show()
    view = section.list_view
    model = view.model
    qtbot.waitUntil(lambda: model.total == 120 and not model.loading, timeout=WAIT_MS)
    with qtbot.waitSignal(model.rows_loaded, timeout=WAIT_MS):
        model.sort(CaseListModel.COL_UPDATED, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    model.load_rows(50, 119)  # the windows last looked at: 2, 3 and 4
    qtbot.waitUntil(lambda: all(model.is_row_loaded(r) for r in range(50, 120)), timeout=WAIT_MS)
    row = 110
    case_id = model.case_id_at(row)
    assert case_id is not None
    view.select_row(row)
    view.table.scrollToBottom()
    qtbot.wait(50)  # painted there
    model.show_rows(50, 119)  # as a person scrolling down from row 50 to the end: the last looked at
    assert view.selected_case_id() == case_id

    with demo_sqlite_db.write() as session:
        latest = max(c.updated_at for c in session.query(DisputeCase).all())
        case = session.get(DisputeCase, case_id)
        assert case is not None
        case.updated_at = latest + timedelta(days=1)
    held = counts.hold()
    with qtbot.waitSignal(model.refreshed, timeout=WAIT_MS):
        model.on_changed(Changes(case_list=True))
    held.wait_started(qtbot)
    assert model.row_of(case_id) is None  # not among the rows read again
    held.release()
    qtbot.waitUntil(lambda: view.table.currentIndex().row() == 0, timeout=WAIT_MS)
    assert view.selected_case_id() == case_id
    qtbot.waitUntil(lambda: model.is_row_loaded(0), timeout=WAIT_MS)  # scrolled to it: read
    assert model.case_id_at(0) == case_id
    assert held.answers == [120]
    check_model(qtmodeltester, model)
