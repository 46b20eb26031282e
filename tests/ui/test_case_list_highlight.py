"""The case list's search highlighting is painted in Python only in the columns that show a hit:
the other columns, and a list without a search, are painted by Qt alone. What a person sees is
the same as with the highlighting delegate on every highlighted column: each check below compares
the table's pixels with that, and looks for the red of the hits where they are and where they are
not — after a search, a second search whose hits stand in other columns, a new order, a scroll to
rows fetched later whose hits stand in a column the first rows had none in, a selected row, and
the search cleared."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import PartyRole
from mediation_desk.services import cases, reference
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import SortKey
from mediation_desk.ui.cases import list_model as case_list_model
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.cases.list_view import CaseListView
from mediation_desk.ui.common.tasks import TaskRunner

from ..conftest import login_as
from .conftest import Runner, check_model, type_text
from .test_case_list_paint import python_calls

pytestmark = pytest.mark.gui

HIGHLIGHTED = CaseListModel.HIGHLIGHTED_COLUMNS
TITLE, APPLICANTS = CaseListModel.COL_TITLE, CaseListModel.COL_APPLICANTS
#: Rows a window holds here: the list's rows after the first ten are fetched when painted.
WINDOW = 10


def _register(db: Database, title: str, applicant: str, facts: str = "两家因鱼塘承包发生争执。") -> int:
    with db.write() as session:
        type_id = next(t.id for t in reference.dispute_types(session) if t.name == "邻里")
        return cases.register_case(session, Actor.system("test"), cases.CaseInput(
            title=title, dispute_type_id=type_id,
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name=applicant),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name="李四")],
            facts=facts, requests=["请求调解"]))


@pytest.fixture
def registered(demo_sqlite_db: Database) -> None:
    """16 cases of the test's own beside the demo's, registered (so numbered) in this order: 12
    with 鹦鹉 in the title, 3 whose applicant is 鹦鹉 (two of them 画眉's too), one with 鸿雁 in
    its facts only."""
    for i in range(12):
        _register(demo_sqlite_db, f"鹦鹉鱼塘纠纷{i:02d}", f"张三{i:02d}")
    _register(demo_sqlite_db, "排水纠纷", "鹦鹉")
    for _ in range(2):
        _register(demo_sqlite_db, "排水纠纷", "鹦鹉、画眉")
    _register(demo_sqlite_db, "相邻纠纷", "赵六", facts="为鸿雁栖息地起争执。")


def open_list(runner: TaskRunner, db: Database, qtbot: QtBot) -> CaseListView:
    """The head's list, about 7 rows tall."""
    widget = CaseListView(runner, login_as(db, "head"))
    qtbot.addWidget(widget)
    widget.resize(1000, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def view(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, app_fonts: str | None, registered: None,
         monkeypatch: pytest.MonkeyPatch) -> CaseListView:
    """The list on the synchronous runner, fetching windows of 10 rows."""
    assert app_fonts is not None  # the hits' red is looked for in drawn Chinese
    monkeypatch.setattr(case_list_model, "WINDOW", WINDOW)
    return open_list(runner, demo_sqlite_db, qtbot)


def search(view: CaseListView, qtbot: QtBot, text: str) -> None:
    view.search_box.clear()
    type_text(view.search_box, text)
    QTest.keyClick(view.search_box, Qt.Key.Key_Return)
    settle(view, qtbot)


def settle(view: CaseListView, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not view.model.loading, timeout=10_000)
    qtbot.wait(30)  # the paints (and the windows they ask for) that follow


def delegated(view: CaseListView) -> set[int]:
    """The columns the highlighting delegate is set on."""
    return {c for c in HIGHLIGHTED if view.table.itemDelegateForColumn(c) is view.highlighter}


def shown_rows(view: CaseListView) -> range:
    table = view.table
    first = max(table.rowAt(0), 0)
    last = table.rowAt(table.viewport().height() - 1)
    return range(first, (view.model.rowCount() if last < 0 else last + 1))


def red(image: QImage, rect: QRect) -> int:
    """Pixels of the hits' red (#c62828) in ``rect`` of ``image``."""
    count = 0
    for x in range(max(rect.left(), 0), min(rect.right(), image.width() - 1) + 1):
        for y in range(max(rect.top(), 0), min(rect.bottom(), image.height() - 1) + 1):
            colour = image.pixelColor(x, y)
            count += colour.red() > 150 and colour.green() < 100 and colour.blue() < 100
    return count


def painted_as_before(view: CaseListView) -> QImage:
    """The table as painted now; checked equal, pixel for pixel, to the table with the highlighting
    delegate on every highlighted column (as every searched list was painted before)."""
    table = view.table
    now = table.viewport().grab().toImage()
    for column in HIGHLIGHTED:
        table.setItemDelegateForColumn(column, view.highlighter)
    everywhere = table.viewport().grab().toImage()
    view._highlight()  # what the list sets for itself
    assert now == everywhere, "a cell is painted otherwise than with the delegate on every highlighted column"
    return now


def check_hits_show(view: CaseListView, words: tuple[str, ...]) -> dict[int, int]:
    """Every highlighted cell on screen shows the hits' red if and only if its text holds a word and
    its row is not selected; returns how many cells of each column did."""
    image = painted_as_before(view)
    model, table = view.model, view.table
    selected = {index.row() for index in table.selectionModel().selectedRows()}
    shown: dict[int, int] = {}
    for row in shown_rows(view):
        assert model.is_row_loaded(row)
        for column in HIGHLIGHTED:
            index = model.index(row, column)
            text = model.data(index)
            hit = any(word in text for word in words)
            if hit:
                assert column in delegated(view), (row, column, text)
            drawn = red(image, table.visualRect(index)) > 10
            assert drawn == (hit and row not in selected), (row, column, text, drawn)
            shown[column] = shown.get(column, 0) + drawn
    return shown


def delegate_paints(view: CaseListView) -> int:
    """The highlighting delegate's paint calls in one repaint of the table."""
    calls = python_calls(view.table.viewport().repaint)
    return sum(n for k, n in calls.items() if k == "search_highlight.py:paint")


def test_hits_are_painted_in_python_only_in_their_columns(view: CaseListView, qtbot: QtBot,
                                                          qtmodeltester: ModelTester) -> None:
    model = view.model
    assert not delegated(view) and delegate_paints(view) == 0  # no search: Qt alone

    search(view, qtbot, "鹦鹉")
    assert model.total == 15
    check_model(qtmodeltester, model)
    shown = check_hits_show(view, ("鹦鹉",))
    assert sum(shown.values()) > 0
    assert delegated(view) == model.hit_columns <= {TITLE, APPLICANTS}
    assert delegate_paints(view) == len(shown_rows(view)) * len(delegated(view))

    # A second search whose hits stand in the applicants alone: the title column is Qt's again,
    # and a repaint calls Python once per hit row's applicants.
    search(view, qtbot, "画眉")
    assert model.total == 2 and delegated(view) == model.hit_columns == {APPLICANTS}
    assert check_hits_show(view, ("画眉",)) == {c: (2 if c == APPLICANTS else 0) for c in HIGHLIGHTED}
    assert delegate_paints(view) == 2
    check_model(qtmodeltester, model)

    # Found in the facts only: no shown cell holds it, so no column is painted in Python.
    search(view, qtbot, "鸿雁")
    assert model.total == 1 and not delegated(view) and delegate_paints(view) == 0
    check_hits_show(view, ("鸿雁",))

    # Cleared: every case, no highlighting, nothing in Python.
    view.clear_search()
    settle(view, qtbot)
    assert model.total > 120 and not delegated(view) and not model.hit_columns
    assert delegate_paints(view) == 0
    check_hits_show(view, ())
    check_model(qtmodeltester, model)


def test_rows_fetched_later_bring_their_column(view: CaseListView, qtbot: QtBot,
                                               qtmodeltester: ModelTester) -> None:
    """Sorted by number, the first window holds only title hits; scrolled down, the window fetched
    then holds the applicant hits, whose column gets the delegate before they show; a row selected
    shows its hits without the red; back to best first, the columns follow the rows again."""
    model = view.model
    search(view, qtbot, "鹦鹉")
    view.table.sortByColumn(CaseListModel.COL_NUMBER, Qt.SortOrder.AscendingOrder)
    settle(view, qtbot)
    assert model.query.sort.value == "number" and model.total == 15
    assert not model.is_row_loaded(WINDOW)  # the rows below the first window are not fetched yet
    assert delegated(view) == model.hit_columns == {TITLE}
    shown = check_hits_show(view, ("鹦鹉",))
    assert shown[TITLE] == len(shown_rows(view)) and shown[APPLICANTS] == 0
    check_model(qtmodeltester, model)

    view.table.scrollToBottom()
    view.table.viewport().grab()  # painting the rows asks for their window
    qtbot.waitUntil(lambda: model.is_row_loaded(model.total - 1), timeout=10_000)
    settle(view, qtbot)
    assert delegated(view) == model.hit_columns == {TITLE, APPLICANTS}
    shown = check_hits_show(view, ("鹦鹉",))
    assert shown[APPLICANTS] == 3 and shown[TITLE] > 0

    # A selected row's hits are bold in the selection's colour, not red (as before).
    last = model.total - 1
    view.select_row(last)
    settle(view, qtbot)
    assert model.data(model.index(last, APPLICANTS)).startswith("鹦鹉")
    assert check_hits_show(view, ("鹦鹉",))[APPLICANTS] == 2
    check_model(qtmodeltester, model)

    # Another order of the same hits: the columns are those of the rows it fetched.
    view.table.sortByColumn(CaseListModel.COL_NUMBER, Qt.SortOrder.DescendingOrder)
    settle(view, qtbot)
    view.table.scrollToTop()
    settle(view, qtbot)
    assert delegated(view) == model.hit_columns == {TITLE, APPLICANTS}
    check_hits_show(view, ("鹦鹉",))
    check_model(qtmodeltester, model)


def test_rows_made_in_a_paint_bring_their_column_to_it(demo_sqlite_db: Database, qtbot: QtBot,
                                                      app_fonts: str | None, registered: None) -> None:
    """On the real lanes a new query's rows below the first screen are read right after its first
    paint — scrolled down before they come, they show "Loading…" — and when they come, their hits'
    column gets the delegate before the paint that draws them."""
    assert app_fonts is not None
    lanes = TaskRunner(demo_sqlite_db)
    try:
        view = open_list(lanes, demo_sqlite_db, qtbot)
        model = view.model
        qtbot.waitUntil(lambda: lanes.pending == 0 and not model.loading, timeout=10_000)
        seen: dict[str, object] = {}

        def rows_came(first: int, _last: int) -> None:
            if model.query.filter.text != "鹦鹉":
                return
            if first == 0 and not seen:
                # Before any paint: the screen's rows (title hits only) hold their items, no more.
                seen["columns"] = set(model.hit_columns)
                view.table.scrollToBottom()
                view.table.viewport().grab()  # the rows below painted before they come
                seen["loading"] = [model.data(model.index(row, CaseListModel.COL_NUMBER)) for row in shown_rows(view)]
            elif first > 0 and "image" not in seen:
                seen["image"] = view.table.viewport().grab().toImage()  # the paint that first shows them
                seen["rows"] = shown_rows(view)

        # Searched, then sorted by number: a new search keeps that order.
        view.search("鱼塘纠纷")
        qtbot.waitUntil(lambda: lanes.pending == 0 and not model.loading, timeout=10_000)
        view.table.sortByColumn(CaseListModel.COL_NUMBER, Qt.SortOrder.AscendingOrder)
        qtbot.waitUntil(lambda: lanes.pending == 0 and not model.loading, timeout=10_000)
        model.rows_loaded.connect(rows_came)
        view.search_box.clear()
        type_text(view.search_box, "鹦鹉")
        QTest.keyClick(view.search_box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: lanes.pending == 0 and not model.loading and "image" in seen, timeout=10_000)
        assert model.query.sort is SortKey.NUMBER and not model.query.descending
        assert model.total == 15 and seen["columns"] == {TITLE}
        loading = seen["loading"]
        assert isinstance(loading, list) and QCoreApplication.translate("CaseListModel", "Loading…") in loading
        image, rows = seen["image"], seen["rows"]
        assert isinstance(image, QImage) and isinstance(rows, range) and rows[-1] == 14
        for row in rows:
            for column in (TITLE, APPLICANTS):
                index = model.index(row, column)
                hit = "鹦鹉" in model.data(index)
                assert (red(image, view.table.visualRect(index)) > 10) == hit, (row, column)
        assert delegated(view) == model.hit_columns == {TITLE, APPLICANTS}
        check_hits_show(view, ("鹦鹉",))
    finally:
        lanes.shutdown(dispose=False)
