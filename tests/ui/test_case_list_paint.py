"""Issue 20 item 2, what the search's speed rests on: a search's rows are painted once, laid out
before that paint; the cells paint from answers worked out once per row, which are what ``data``
answers; a late answer of an older search never shows; the audit entry of a search waits on the
write lane until the first rows are painted, and is never lost."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, QModelRoleData, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import AuditEntry
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import audit, caselist, search
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery
from mediation_desk.services.search import highlight_spans, words_of
from mediation_desk.services.search import search as search_service
from mediation_desk.services.workflow import FINAL_STATES
from mediation_desk.ui.cases import list_model as case_list_model
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.cases.list_view import CaseListView
from mediation_desk.ui.common.format import format_day, format_time
from mediation_desk.ui.common.search_highlight import code_point_spans, utf16_spans
from mediation_desk.ui.common.tasks import Lane, TaskRunner

from ..conftest import login_as
from .cells import comparable
from .conftest import Runner, check_model, type_text

pytestmark = pytest.mark.gui

#: Every role Qt's item delegate asks when it paints a cell, and the list's own.
PAINT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole,
               Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.CheckStateRole,
               Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, CaseListModel.CaseIdRole,
               CaseListModel.ClockColourRole)


@pytest.fixture
def head(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "head")


@pytest.fixture
def lanes(demo_sqlite_db: Database) -> Iterator[TaskRunner]:
    """The real lanes (worker threads, results queued back to the GUI thread)."""
    runner = TaskRunner(demo_sqlite_db)
    yield runner
    runner.shutdown(dispose=False)


def painted(model: CaseListModel, row: int, column: int, role: int) -> Any:
    """What the view is told when it paints the cell: its one ``multiData`` call."""
    asked = QModelRoleData(role)
    model.multiData(model.index(row, column), asked)
    return asked.data()


def test_a_painted_cell_shows_what_data_answers(runner: Runner, head: Actor, demo_sqlite_db: Database,
                                                qtmodeltester: ModelTester, qtbot: QtBot,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell, every role, on three days (a clock green, yellow, red): the answers worked out
    once per row are the model's own answers, and a new day (``recolour``) is painted anew; rows
    still loading paint their placeholder."""
    monkeypatch.setattr(case_list_model, "WINDOW", 25)
    day = [date.today()]
    model = CaseListModel(runner, head, today=lambda: day[0])
    assert not model.is_row_loaded(30)
    model.show_rows(30, 30)  # what the table does before it paints the row
    assert painted(model, 30, CaseListModel.COL_NUMBER, Qt.ItemDataRole.DisplayRole) == "Loading…"
    model.load_rows(0, model.total - 1)
    rows = [model.data(model.index(r, 0), CaseListModel.CaseRowRole) for r in range(model.total)]
    assert any(row.state in FINAL_STATES for row in rows)  # grey rows too
    timed = next(row for row in rows if row.clock_due_on is not None and row.clock_warn_on is not None)
    for moment in (timed.clock_warn_on - timedelta(days=1), timed.clock_warn_on,
                   timed.clock_due_on + timedelta(days=1)):
        day[0] = moment
        model.recolour()
        for r in range(model.total):
            for column in range(model.columnCount()):
                for role in PAINT_ROLES:
                    expected = comparable(model.data(model.index(r, column), role))
                    assert comparable(painted(model, r, column, role)) == expected, (r, column, role)
    colours = {model.data(model.index(r, CaseListModel.COL_DEADLINE), CaseListModel.ClockColourRole)
               for r in range(model.total)}
    assert len(colours - {None}) >= 2  # the days above did paint different clocks
    check_model(qtmodeltester, model)


def test_times_are_written_as_before() -> None:
    moment = datetime(2026, 3, 4, 5, 6, 7)
    assert format_time(moment) == "2026-03-04 05:06" == f"{moment:%Y-%m-%d %H:%M}"
    assert format_day(moment.date()) == "2026-03-04" and format_time(None) == format_day(None) == ""
    # Seconds cut, not rounded; early years padded; a time with a zone, or a day given as a time, the same.
    assert format_time(datetime(999, 12, 31, 23, 59, 59, 999_999)) == "0999-12-31 23:59"
    assert format_time(moment.replace(tzinfo=timezone(timedelta(hours=8)))) == "2026-03-04 05:06"
    assert format_day(moment) == "2026-03-04" and format_day(date(5, 1, 1)) == "0005-01-01"


def test_hit_spans_go_to_qt_and_back() -> None:
    """The read lane's spans are Qt's (UTF-16: 𠮷 is two units); the hits are cut from the Python text
    by code points."""
    for text, spans in (("张三、李四", [(0, 1), (3, 2)]), ("张鑫𠮷与𠮷", [(1, 2), (4, 1)]), ("𠮷", [(0, 1)])):
        assert code_point_spans(text, utf16_spans(text, spans)) == spans
    assert utf16_spans("张鑫𠮷与𠮷", [(3, 1), (4, 1)]) == [(4, 1), (5, 2)]


@dataclass
class Paints:
    """The table's paints after Enter: what the model held and how the rows were laid out."""

    table: QTableView
    shots: list[tuple[str, int, int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        original = type(self.table).paintEvent

        def paint_event(event: Any) -> None:
            original(self.table, event)
            model = self.table.model()
            assert isinstance(model, CaseListModel)
            self.shots.append((model.query.filter.text or "", model.rowCount(),
                               self.table.verticalScrollBar().maximum(), self.table.viewport().width()))

        self.table.paintEvent = paint_event  # type: ignore[method-assign]


def settle(qtbot: QtBot, lanes: TaskRunner, model: CaseListModel) -> None:
    qtbot.waitUntil(lambda: lanes.pending == 0 and not model.loading, timeout=10_000)
    for _ in range(3):
        qtbot.wait(20)  # the paints that follow the last answer


def test_a_search_paints_its_rows_once_laid_out(lanes: TaskRunner, head: Actor, demo_sqlite_db: Database,
                                                qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    """From a list of many rows to a search of a few, and back: each is painted once, with its
    scroll range already set (Qt lays rows out on a timer that fired after the paint, which then
    painted everything again) and at the width every later paint has."""
    view = CaseListView(lanes, head)
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    model = view.model
    settle(qtbot, lanes, model)
    with demo_sqlite_db.read() as session:
        name = caselist.fetch_window(session, head, CaseQuery(), 0, 1, total=None)[0].applicants.split("、")[0]
    resets: list[str] = []
    model.modelReset.connect(lambda: resets.append(model.query.filter.text or ""))
    paints = Paints(view.table)
    for text in (name, ""):
        paints.shots.clear()
        resets.clear()
        view.search_box.clear()
        type_text(view.search_box, text)
        QTest.keyClick(view.search_box, Qt.Key.Key_Return)
        settle(qtbot, lanes, model)
        shown = [shot for shot in paints.shots if shot[0] == text]
        assert shown, f"the list of {text!r} was never painted"
        assert resets == [text]  # one reset when the first rows came, none before
        rows, scroll_range, width = shown[0][1:]
        view.table.lay_out_now()
        if rows == model.rowCount():
            assert scroll_range == view.table.verticalScrollBar().maximum()
        assert {shot[3] for shot in paints.shots} == {width}
        if text:
            assert 0 < model.total < case_list_model.FIRST_ROWS  # the whole list came in its first read
            assert len(shown) == 1, paints.shots  # painted once
        else:
            # The full list grows to its count once counted: one paint more, and only one.
            assert model.total == 120 and len(shown) == 2, paints.shots
        check_model(qtmodeltester, model)


def search_entries(db: Database) -> list[str]:
    with db.read() as session:
        return [e.detail["words"] for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == audit.SEARCH_ACTION).order_by(AuditEntry.id))]


def test_a_late_answer_of_an_older_search_never_shows(lanes: TaskRunner, head: Actor, demo_sqlite_db: Database,
                                                      qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    """Two searches while the read lane is busy: the first one's rows come back after the second
    was asked for and are dropped; the list shows the second's, reset once; both searches are in
    the audit log (the first's entry was held for its rows, which came, and went)."""
    view = CaseListView(lanes, head)
    qtbot.addWidget(view)
    view.show()
    model = view.model
    settle(qtbot, lanes, model)
    with demo_sqlite_db.read() as session:
        rows = caselist.fetch_window(session, head, CaseQuery(), 0, 120, total=None)
    first, second = rows[0].title[:2], rows[-1].applicants.split("、")[0]
    gate = threading.Event()
    lanes.run_job(lambda: gate.wait(10), lane=Lane.READ)  # a read still running
    resets: list[str] = []
    model.modelReset.connect(lambda: resets.append(model.query.filter.text or ""))
    loaded: list[str] = []
    model.rows_loaded.connect(lambda _first, _last: loaded.append(model.query.filter.text or ""))
    view.search(first)
    view.search(second)
    assert resets == [] and search_entries(demo_sqlite_db) == []  # held until the rows are painted
    gate.set()
    settle(qtbot, lanes, model)
    assert resets == [second] and set(loaded) == {second}
    expected = CaseQuery(filter=CaseFilter(text=second), sort=caselist.SortKey.RELEVANCE)
    with demo_sqlite_db.read() as session:
        total = caselist.count_cases(session, head, expected)
        ids = [r.id for r in caselist.fetch_window(session, head, expected, 0, total, total=total)]
    model.load_rows(0, model.total - 1)
    qtbot.waitUntil(lambda: all(model.is_row_loaded(r) for r in range(model.total)), timeout=10_000)
    assert [model.data(model.index(r, 0), CaseListModel.CaseIdRole) for r in range(model.total)] == ids
    assert search_entries(demo_sqlite_db) == [" ".join(words_of(first)), " ".join(words_of(second))]
    check_model(qtmodeltester, model)


def test_a_held_write_waits_for_its_release(lanes: TaskRunner, head: Actor, demo_sqlite_db: Database,
                                            qtbot: QtBot) -> None:
    """Submitted at once, it runs only once released, and the writes after it do not wait for it; a
    read goes by meanwhile; shutdown releases a write still held and waits for it: not lost."""
    hold = lanes.hold_write()
    written: list[str] = []

    def record(words: str) -> Any:
        return lambda session: caselist.record_query(session, head, CaseQuery(filter=CaseFilter(text=words)))

    lanes.run_write(record("一"), on_success=lambda _entry: written.append("一"), after=hold)
    lanes.run_write(record("不等"), on_success=lambda _entry: written.append("不等"))
    qtbot.waitUntil(lambda: written == ["不等"], timeout=10_000)  # the write after it went ahead
    read: list[int] = []
    lanes.run_read(lambda session: len(search_entries(demo_sqlite_db)), on_success=read.append)
    qtbot.waitUntil(lambda: bool(read), timeout=10_000)
    assert read == [1] and written == ["不等"] and not hold.released
    hold.release()
    qtbot.waitUntil(lambda: written == ["不等", "一"], timeout=10_000)
    assert search_entries(demo_sqlite_db) == ["不等", "一"]

    later = lanes.hold_write()
    lanes.run_write(record("二"), after=later)
    assert lanes.pending == 1  # accepted, not yet on its lane
    lanes.shutdown(dispose=False)
    assert later.released and search_entries(demo_sqlite_db) == ["不等", "一", "二"]


def test_the_synchronous_runner_holds_nothing(runner: Runner) -> None:
    assert runner.hold_write().released


def test_an_empty_model_index_paints_nothing(runner: Runner, head: Actor, qtbot: QtBot) -> None:
    model = CaseListModel(runner, head)
    asked = QModelRoleData(Qt.ItemDataRole.DisplayRole)
    model.multiData(QModelIndex(), asked)
    assert asked.data() is None


@pytest.mark.parametrize("edited", [False, True])
def test_the_count_repaints_only_rows_that_changed(lanes: TaskRunner, head: Actor, demo_sqlite_db: Database,
                                                   qtbot: QtBot, qtmodeltester: ModelTester,
                                                   monkeypatch: pytest.MonkeyPatch, edited: bool) -> None:
    """When the count comes with the first window read again, the rows already shown are not
    announced changed unless one did change between the two reads (then it shows its new text)."""
    from mediation_desk.models import DisputeCase

    monkeypatch.setattr(case_list_model, "FIRST_ROWS", 10)
    gate = threading.Event()
    counted = caselist.count_cases

    def held_count(*args: Any, **kwargs: Any) -> int:
        assert gate.wait(10), "the count was never let go"
        return counted(*args, **kwargs)

    model = CaseListModel(lanes, head)
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    monkeypatch.setattr(caselist, "count_cases", held_count)
    try:
        with qtbot.waitSignal(model.rows_loaded, timeout=10_000):
            model.set_query(CaseQuery(filter=CaseFilter(received_from=date(2000, 1, 1))))
        assert model.counting and model.total == 10
        shown = [painted(model, r, CaseListModel.COL_TITLE, Qt.ItemDataRole.DisplayRole) for r in range(10)]
        case_id = model.case_id_at(3)
        if edited:
            with demo_sqlite_db.write() as session:
                case = session.get(DisputeCase, case_id)
                assert case is not None
                case.title = "改过的标题"
        changes: list[tuple[int, int]] = []
        model.dataChanged.connect(lambda first, last, _roles=(): changes.append((first.row(), last.row())))
        with qtbot.waitSignal(model.count_changed, timeout=10_000):
            gate.set()
    finally:
        gate.set()
    assert model.total == 120
    now = [painted(model, r, CaseListModel.COL_TITLE, Qt.ItemDataRole.DisplayRole) for r in range(10)]
    if edited:
        assert changes == [(0, 9)] and now[3] == "改过的标题" and now[:3] + now[4:] == shown[:3] + shown[4:]
    else:
        assert changes == [] and now == shown
    check_model(qtmodeltester, model)


def python_calls(during: Any) -> dict[str, int]:
    """The Python functions run (and how often) while ``during`` runs."""
    calls: dict[str, int] = {}

    def hook(frame: Any, event: str, _arg: Any) -> None:
        if event == "call":
            key = f"{frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.f_code.co_name}"
            calls[key] = calls.get(key, 0) + 1

    sys.setprofile(hook)
    try:
        during()
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("searched", [False, True])
def test_painting_the_rows_calls_no_python_of_the_model(runner: Runner, head: Actor, demo_sqlite_db: Database,
                                                        qtbot: QtBot, searched: bool) -> None:
    """A screen of the list is painted by Qt alone: per paint the table asks the model once which
    rows it paints (:meth:`CaseListModel.show_rows`), and no cell calls into Python — no
    ``rowCount``, ``data`` or ``multiData``, no delegate —; while a search is shown its hits are
    drawn over the cells once per paint, asking the model each painted row's; what is painted is
    the rows' text."""
    view = CaseListView(runner, head)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    if searched:
        view.search("纠纷")  # a word of every demo title: a screen of rows, each with a hit
    model = view.model
    qtbot.waitUntil(lambda: not model.loading and model.is_row_loaded(0), timeout=10_000)
    qtbot.wait(50)  # the window's first paint
    viewport = view.table.viewport()
    viewport.repaint()
    last = view.table.rowAt(viewport.height() - 1)
    assert (last if last >= 0 else model.total) > 5  # a screen of rows
    calls = python_calls(lambda: [viewport.repaint() for _ in range(10)])
    model_calls = {k: n for k, n in calls.items() if k.startswith("list_model.py:")}
    # Per paint: which rows (show_rows, asking the day and the total), whether it was searched and
    # then each painted row's hits; nothing per cell.
    assert model_calls["list_model.py:show_rows"] == 10, calls
    per_paint = {"list_model.py:show_rows", "list_model.py:total", "list_model.py:_painting_day",
                 "list_model.py:highlighting"}
    assert set(model_calls) <= per_paint | ({"list_model.py:row_hits"} if searched else set())
    assert sum(n for k, n in model_calls.items() if k in per_paint) <= 50, calls
    rows = (last if last >= 0 else model.total - 1) + 1
    assert model_calls.get("list_model.py:row_hits", 0) == (10 * rows if searched else 0), calls
    hit_paints = calls.get("search_highlight.py:paint", 0)
    assert hit_paints == (10 if searched else 0), calls
    assert not any(k.startswith("search_highlight.py:") and k != "search_highlight.py:paint" and n > 10 * rows
                   for k, n in calls.items()), calls  # nothing per cell
    first = model.data(model.index(0, CaseListModel.COL_NUMBER), CaseListModel.CaseRowRole)
    assert model.data(model.index(0, CaseListModel.COL_NUMBER)) == first.number


def test_a_search_makes_a_screen_of_items_before_its_paint(lanes: TaskRunner, head: Actor, demo_sqlite_db: Database,
                                                           qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    """A search's rows come with their texts and hit spans worked out on the read lane; only the
    rows the table shows are read and made into items before the first paint, the rest read right
    after it; the row's case is known for every row from the start (selecting a row below
    the screen at once, Enter on it); typing a second search while the first one's rows are read,
    the later one is shown; clearing it shows every case again without highlighting."""
    view = CaseListView(lanes, head)
    qtbot.addWidget(view)
    view.resize(1000, 300)
    view.show()
    qtbot.waitExposed(view)
    model = view.model
    settle(qtbot, lanes, model)
    screen = view.table.screen_rows()
    assert 3 < screen < case_list_model.FIRST_ROWS - 10
    with demo_sqlite_db.read() as session:
        expected = caselist.fetch_window(session, head, CaseQuery(
            filter=CaseFilter(text="纠纷"), sort=caselist.SortKey.RELEVANCE), 0, case_list_model.FIRST_ROWS,
            total=None)
    assert len(expected) == case_list_model.FIRST_ROWS  # a word of every demo title
    below = screen + 5
    seen: dict[str, Any] = {}
    activated: list[int] = []
    view.case_activated.connect(activated.append)

    def first_rows(first: int, _last: int) -> None:
        if first != 0 or model.query.filter.text != "纠纷" or seen:
            return
        # As the rows come, before any paint: the screen's rows hold their items, those below not yet.
        seen["screen"] = [model.data(model.index(r, CaseListModel.COL_NUMBER)) for r in range(screen)]
        seen["below"] = model.data(model.index(below, CaseListModel.COL_NUMBER))
        view.select_row(below)
        seen["selected"] = view.selected_case_id()
        view.table.activated.emit(model.index(below, CaseListModel.COL_TITLE))

    model.rows_loaded.connect(first_rows)
    type_text(view.search_box, "张")
    QTest.keyClick(view.search_box, Qt.Key.Key_Return)
    view.search_box.clear()
    type_text(view.search_box, "纠纷")  # typed while the first search is read: the later one wins
    QTest.keyClick(view.search_box, Qt.Key.Key_Return)
    settle(qtbot, lanes, model)
    assert model.query.filter.text == "纠纷"
    assert seen["screen"] == [row.number for row in expected[:screen]]
    assert seen["below"] is None
    assert seen["selected"] == expected[below].id == view.selected_case_id() and activated == [expected[below].id]
    # Right after the paint every row of the first read holds its items, as data answers them.
    for r, row in enumerate(expected):
        assert model.data(model.index(r, CaseListModel.COL_NUMBER)) == row.number
        assert model.data(model.index(r, CaseListModel.COL_TITLE), Qt.ItemDataRole.ToolTipRole) == row.title
        assert model.data(model.index(r, CaseListModel.COL_NUMBER), CaseListModel.CaseIdRole) == row.id
    # The spans the highlighting paints are the read lane's, the same as worked out here.
    words = words_of("纠纷")
    assert model.highlighting
    for r, row in enumerate(expected):
        hits = [(column, text, utf16_spans(text, highlight_spans(text, words)))
                for column, text in zip(CaseListModel.HIGHLIGHTED_COLUMNS, (row.number, row.title, row.applicants),
                                        strict=True)]
        assert model.row_hits(r) == [hit for hit in hits if hit[2]]
    check_model(qtmodeltester, model)

    view.clear_search()
    settle(qtbot, lanes, model)
    assert model.total == 120 and not model.highlighting and model.row_hits(0) == []
    assert all(view.table.itemDelegateForColumn(c) is None for c in CaseListModel.HIGHLIGHTED_COLUMNS)


def test_rows_below_the_screen_come_right_after_it(lanes: TaskRunner, head: Actor, qtbot: QtBot) -> None:
    """A new query's first read holds the screen's rows and the cases of the rows below it, whose
    columns are read right after: painted before they come (a taller table, a scroll), those rows
    show "Loading…" with their case already known, and get their items (and a repaint) when they
    come — without a window read of their own."""
    model = CaseListModel(lanes, head)
    model.screen_rows = lambda: 4
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    answers: list[Any] = []
    changed: list[tuple[int, int]] = []

    def first_rows(first: int, _last: int) -> None:
        if first == 0 and model.query.filter.text and not answers:
            answers.append(model.data(model.index(10, CaseListModel.COL_NUMBER)))
            model.show_rows(8, 12)  # what the table does before it paints those rows
            answers.append(model.data(model.index(10, CaseListModel.COL_NUMBER)))
            answers.append(model.case_id_at(10))
            answers.append(model.is_row_loaded(3))
            model.dataChanged.connect(lambda top, bottom: changed.append((top.row(), bottom.row())))

    model.rows_loaded.connect(first_rows)
    query = CaseQuery(filter=CaseFilter(text="纠纷"), sort=caselist.SortKey.RELEVANCE)
    with qtbot.waitSignal(model.rows_loaded, timeout=10_000):
        model.set_query(query)
    with lanes.database.read() as session:
        expected = caselist.fetch_window(session, head, query, 0, case_list_model.FIRST_ROWS, total=None)
    assert answers == [None, QCoreApplication.translate("CaseListModel", "Loading…"), expected[10].id, True]
    assert not model.is_row_loaded(10) and model.loading
    qtbot.waitUntil(lambda: model.is_row_loaded(case_list_model.FIRST_ROWS - 1), timeout=10_000)
    assert changed == [(8, 12)]  # only the rows painted "Loading…" are painted again
    assert model.data(model.index(10, CaseListModel.COL_NUMBER)) == expected[10].number
    assert model.data(model.index(10, CaseListModel.COL_NUMBER), CaseListModel.CaseIdRole) == expected[10].id
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)


def test_a_screen_ranked_alone_then_the_rest_shows_the_services_rows(lanes: TaskRunner, head: Actor, qtbot: QtBot,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A search whose newest cases hold its first screen sooner than its first window (windows of
    4 cases here) shows that screen first, the list as long as a first window meanwhile ("Loading…"
    below the screen, their cases not known yet); then the rest is ranked and read: the rows and
    their order are the service's, and the list's length its count — a list shorter than a first
    window ends at its rows without being counted."""
    monkeypatch.setattr(search, "FIRST_WINDOW", 4)
    model = CaseListModel(lanes, head)
    model.screen_rows = lambda: 2
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    first: dict[str, tuple[int, bool, int | None]] = {}
    counted: list[int] = []

    def first_rows(start: int, _last: int) -> None:
        text = model.query.filter.text or ""
        if start == 0 and text not in first:
            first[text] = (model.total, model.is_row_loaded(2), model.case_id_at(2))

    model.rows_loaded.connect(first_rows)
    model.count_changed.connect(counted.append)
    cut = shrank = 0
    for text in ("纠纷", "调解", "社区", "张", "公司", "宅基地"):
        query = CaseQuery(filter=CaseFilter(text=text), sort=caselist.SortKey.RELEVANCE, descending=False)
        counted.clear()
        model.set_query(query)
        qtbot.waitUntil(lambda: lanes.pending == 0 and not model.loading, timeout=10_000)
        with lanes.database.read() as session:
            service = [hit.case_id for hit in search_service(session, head, text, limit=case_list_model.FIRST_ROWS)]
            total = caselist.count_cases(session, head, query)
        assert model.total == total and counted[-1] == total, text
        assert [model.case_id_at(row) for row in range(min(total, case_list_model.FIRST_ROWS))] == service, text
        shown_total, below_loaded, below = first[text]
        if below is None and total > 2:  # ranked as far as the screen
            assert shown_total == case_list_model.FIRST_ROWS and not below_loaded, text
            cut += 1
            shrank += total < case_list_model.FIRST_ROWS
            assert counted == [total], text  # once: shrunk to its rows, or counted
    assert cut >= 2 and shrank >= 1
