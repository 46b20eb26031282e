"""The case list's search hits are drawn over the cells Qt painted, once per paint of the table: no
cell is painted in Python. Each check below draws the hits once in the cells' own weight and
colour, which must leave the table exactly as Qt painted it (the boxes stand where Qt drew those
characters, on the cell's background: an alternate row, a selected one, an elided text), and looks
for the red of the hits where they are and where they are not — after a search, a second search
whose hits stand in other columns, a new order, a scroll to rows fetched later, a selected row,
a column too narrow for its text, and the search cleared."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QFont, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyle
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
from mediation_desk.ui.common import search_highlight
from mediation_desk.ui.common.search_highlight import HitPainter
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


def drawn_where_qt_draws(view: CaseListView) -> None:
    """Drawn in the cells' own weight and colour, the hits leave the table exactly as Qt painted
    it: each box stands where Qt drew those characters, on the cell's own background."""
    table = view.table
    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(search_highlight, "HIT_COLOUR", table.palette().color(QPalette.ColorRole.Text))
        mp.setattr(HitPainter, "WEIGHT", QFont.Weight.Normal)
        table.hits = HitPainter()
        over = table.viewport().grab().toImage()
        drawn: list[int] = []
        table.hits.paint = lambda *args: drawn.append(1)  # type: ignore[method-assign]
        under = table.viewport().grab().toImage()
    finally:
        mp.undo()
        table.hits = HitPainter()
    assert over == under, "a hit is drawn elsewhere than Qt drew its characters, or on another background"
    assert drawn == ([1] if view.model.highlighting else [])


def check_hits_show(view: CaseListView, words: tuple[str, ...]) -> dict[int, int]:
    """Every highlighted cell on screen shows the hits' red if and only if its text holds a word and
    its row is not selected, the boxes where Qt drew the characters; returns how many cells of
    each column did."""
    drawn_where_qt_draws(view)
    image = view.table.viewport().grab().toImage()
    model, table = view.model, view.table
    selected = {index.row() for index in table.selectionModel().selectedRows()}
    shown: dict[int, int] = {}
    for row in shown_rows(view):
        assert model.is_row_loaded(row)
        for column in HIGHLIGHTED:
            index = model.index(row, column)
            text = model.data(index)
            hit = any(word in text for word in words)
            drawn = red(image, table.visualRect(index)) > 10
            assert drawn == (hit and row not in selected), (row, column, text, drawn)
            shown[column] = shown.get(column, 0) + drawn
    return shown


def hit_paints(view: CaseListView) -> tuple[int, int]:
    """In one repaint of the table: the hits' paints, and the calls into Python the painter made."""
    calls = python_calls(view.table.viewport().repaint)
    return (calls.get("search_highlight.py:paint", 0),
            sum(n for k, n in calls.items() if k.startswith("search_highlight.py:")))


def test_hits_are_drawn_over_the_cells_once_a_paint(view: CaseListView, qtbot: QtBot,
                                                    qtmodeltester: ModelTester) -> None:
    model = view.model
    assert not model.highlighting and hit_paints(view) == (0, 0)  # no search: Qt alone

    search(view, qtbot, "鹦鹉")
    assert model.total == 15
    check_model(qtmodeltester, model)
    shown = check_hits_show(view, ("鹦鹉",))
    assert shown[TITLE] > 0 and shown[TITLE] + shown[APPLICANTS] == len(shown_rows(view))
    paints, calls = hit_paints(view)
    assert paints == 1 and calls <= 6  # once a paint, not per cell (the boxes were kept)
    # Focused, the table's selection is painted in the active colours: the hits follow.
    view.select_row(1)
    view.table.setFocus()
    check_hits_show(view, ("鹦鹉",))
    view.search_box.setFocus()
    check_hits_show(view, ("鹦鹉",))

    # A second search whose hits stand in the applicants alone.
    search(view, qtbot, "画眉")
    assert model.total == 2
    assert check_hits_show(view, ("画眉",)) == {c: (2 if c == APPLICANTS else 0) for c in HIGHLIGHTED}
    check_model(qtmodeltester, model)

    # Found in the facts only: no shown cell holds it, nothing is drawn.
    search(view, qtbot, "鸿雁")
    assert model.total == 1 and model.row_hits(0) == []
    check_hits_show(view, ("鸿雁",))

    # Cleared: every case, no highlighting, nothing in Python.
    view.clear_search()
    settle(view, qtbot)
    assert model.total > 120 and not model.highlighting and hit_paints(view) == (0, 0)
    check_hits_show(view, ())
    check_model(qtmodeltester, model)


def test_a_hit_past_the_elision_is_not_drawn(view: CaseListView, qtbot: QtBot) -> None:
    """A title too long for its column is elided by Qt (…) as in any cell: the hit before the … is
    drawn, the part of one cut by it only as far as it shows, none after it."""
    search(view, qtbot, "鱼塘")
    table, model = view.table, view.model
    text = model.data(model.index(0, TITLE))
    assert text.startswith("鹦鹉鱼塘纠纷")
    metrics = table.fontMetrics()
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    for shown in ("鹦鹉鱼塘纠纷", "鹦鹉鱼", "鹦鹉"):
        # Just wide enough for ``shown`` and the … (a cell is its column less the grid line).
        width = metrics.horizontalAdvance(shown + "…") + 2 * margin + 1
        table.setColumnWidth(TITLE, width + 1)
        assert metrics.elidedText(text, Qt.TextElideMode.ElideRight, width - 2 * margin) == shown + "…"
        image = table.viewport().grab().toImage()
        cell = table.visualRect(model.index(0, TITLE))
        left = cell.left() + margin
        hit_from = left + metrics.horizontalAdvance("鹦鹉")
        hit_to = left + metrics.horizontalAdvance(shown if len(shown) < 4 else "鹦鹉鱼塘")
        assert red(image, QRect(cell.left(), cell.top(), hit_from - cell.left() - 1, cell.height())) == 0
        assert (red(image, QRect(hit_from, cell.top(), hit_to - hit_from, cell.height())) > 10) == (len(shown) > 2)
        assert red(image, QRect(hit_to + 2, cell.top(), cell.right() - hit_to - 2, cell.height())) == 0
        drawn_where_qt_draws(view)


def test_rows_fetched_later_show_their_hits(view: CaseListView, qtbot: QtBot,
                                            qtmodeltester: ModelTester) -> None:
    """Sorted by number, the first window holds only title hits; scrolled down, the window fetched
    then holds the applicant hits, drawn when it shows; a row selected shows its hits without the
    red; in the other order the same."""
    model = view.model
    search(view, qtbot, "鹦鹉")
    view.table.sortByColumn(CaseListModel.COL_NUMBER, Qt.SortOrder.AscendingOrder)
    settle(view, qtbot)
    assert model.query.sort.value == "number" and model.total == 15
    assert not model.is_row_loaded(WINDOW)  # the rows below the first window are not fetched yet
    shown = check_hits_show(view, ("鹦鹉",))
    assert shown[TITLE] == len(shown_rows(view)) and shown[APPLICANTS] == 0
    check_model(qtmodeltester, model)

    view.table.scrollToBottom()
    view.table.viewport().grab()  # painting the rows asks for their window
    qtbot.waitUntil(lambda: model.is_row_loaded(model.total - 1), timeout=10_000)
    settle(view, qtbot)
    shown = check_hits_show(view, ("鹦鹉",))
    assert shown[APPLICANTS] == 3 and shown[TITLE] > 0

    # A selected row's hits are bold in the selection's colour, not red (as before).
    last = model.total - 1
    view.select_row(last)
    settle(view, qtbot)
    assert model.data(model.index(last, APPLICANTS)).startswith("鹦鹉")
    assert check_hits_show(view, ("鹦鹉",))[APPLICANTS] == 2
    check_model(qtmodeltester, model)

    view.table.sortByColumn(CaseListModel.COL_NUMBER, Qt.SortOrder.DescendingOrder)
    settle(view, qtbot)
    view.table.scrollToTop()
    settle(view, qtbot)
    check_hits_show(view, ("鹦鹉",))
    check_model(qtmodeltester, model)


def test_rows_made_after_the_first_paint_show_their_hits(demo_sqlite_db: Database, qtbot: QtBot,
                                                         app_fonts: str | None, registered: None) -> None:
    """On the real lanes a new query's rows below the first screen are read right after its first
    paint — scrolled down before they come, they show "Loading…" — and the paint that first shows
    them draws their hits."""
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
                seen["hits"] = [model.row_hits(row) for row in range(model.total)]
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
        hits = seen["hits"]
        assert isinstance(hits, list) and model.total == 15
        assert all(column == TITLE for row in hits for column, _text, _spans in row)  # the screen's rows only
        assert not hits[-1]  # not read yet
        loading = seen["loading"]
        assert isinstance(loading, list) and QCoreApplication.translate("CaseListModel", "Loading…") in loading
        image, rows = seen["image"], seen["rows"]
        assert isinstance(image, QImage) and isinstance(rows, range) and rows[-1] == 14
        for row in rows:
            for column in (TITLE, APPLICANTS):
                index = model.index(row, column)
                hit = "鹦鹉" in model.data(index)
                assert (red(image, view.table.visualRect(index)) > 10) == hit, (row, column)
        check_hits_show(view, ("鹦鹉",))
    finally:
        lanes.shutdown(dispose=False)


def test_cells_are_drawn_as_if_shaped(view: CaseListView, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """The table draws its cells unshaped (the cheaper paint), which leaves Chinese, digits and
    punctuation as they were; a cell holding Latin letters is shaped as before (kerned: "AV",
    ligatures: "ffi"), and the hits after them stand where Qt drew them: the whole table, hits
    included, pixel for pixel as with the shaped font."""
    _register(demo_sqlite_db, "AVAWAY office翡翠纠纷", "翡翠、Wang Xiaoming")
    _register(demo_sqlite_db, "Ta To Yo 翡翠塘", "王小明")
    _register(demo_sqlite_db, "翡翠（二）号塘：1,000元", "张三、李四")
    search(view, qtbot, "翡翠")
    model, table = view.model, view.table
    assert model.total == 3
    assert table.font().styleStrategy() & QFont.StyleStrategy.PreferNoShaping
    latin = {model.data(model.index(row, TITLE)) for row in range(3)
             if model.data(model.index(row, TITLE), Qt.ItemDataRole.FontRole) is not None}
    assert latin == {"AVAWAY office翡翠纠纷", "Ta To Yo 翡翠塘"}  # the Chinese one is drawn unshaped
    check_hits_show(view, ("翡翠",))
    unshaped_image = table.viewport().grab().toImage()
    table.setFont(QFont())  # shaped, as Qt draws by default
    try:
        assert table.font().styleStrategy() == QFont.StyleStrategy.PreferDefault
        check_hits_show(view, ("翡翠",))
        assert table.viewport().grab().toImage() == unshaped_image
    finally:
        table.setFont(search_highlight.unshaped())
    # Without the cells' own font the Latin ones would be drawn otherwise (so the check above sees it).
    for row in range(3):
        for column in range(CaseListModel.COLUMN_COUNT):
            model.setData(model.index(row, column), None, Qt.ItemDataRole.FontRole)
    assert table.viewport().grab().toImage() != unshaped_image
