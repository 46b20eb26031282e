"""The search box of the case list: typing narrows the lazy list, best match first, with the words
highlighted; Enter searches at once; 清除 and Ctrl+F."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPalette
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import PartyRole
from mediation_desk.services import cases, reference
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import SortKey
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.cases.list_view import CaseListView

from ..conftest import login_as
from .conftest import Runner, check_model, type_text

pytestmark = pytest.mark.gui


def _register(db: Database, title: str, applicant: str, respondent: str = "李四") -> int:
    with db.write() as session:
        type_id = next(t.id for t in reference.dispute_types(session) if t.name == "邻里")
        return cases.register_case(session, Actor.system("test"), cases.CaseInput(
            title=title, dispute_type_id=type_id,
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name=applicant),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name=respondent)],
            facts="两家因鱼塘承包发生争执。", requests=["请求调解"]))


@pytest.fixture
def view(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, found: dict[str, int]) -> CaseListView:
    widget = CaseListView(runner, login_as(demo_sqlite_db, "head"))
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    return widget


@pytest.fixture
def found(demo_sqlite_db: Database) -> dict[str, int]:
    return {"exact": _register(demo_sqlite_db, "鱼塘承包纠纷 50%", "张鑫"),
            "prefix": _register(demo_sqlite_db, "排水纠纷", "张鑫𠮷", "王五")}


def shown_ids(view: CaseListView) -> list[int]:
    model = view.model
    model.load_rows(0, model.total - 1)
    return [model.data(model.index(r, 0), CaseListModel.CaseIdRole) for r in range(model.rowCount())]


def test_typing_narrows_the_list_best_first(view: CaseListView, found: dict[str, int], qtbot: QtBot,
                                            qtmodeltester: ModelTester) -> None:
    everything = view.model.total
    assert everything >= 122
    type_text(view.search_box, "张鑫")
    assert view.model.total == everything  # not yet: the list waits for a pause in the typing
    qtbot.waitUntil(lambda: view.model.total == 2, timeout=3000)
    assert shown_ids(view) == [found["exact"], found["prefix"]]  # the exact name before the prefix
    assert view.model.query.sort is SortKey.RELEVANCE and view.model.sort_column() == -1
    assert not view.table.horizontalHeader().isSortIndicatorShown()
    assert view.model.highlighting and view.search_clear.isEnabled()
    check_model(qtmodeltester, view.model)
    # A column header orders the same hits by that column.
    view.table.sortByColumn(CaseListModel.COL_RECEIVED, Qt.SortOrder.AscendingOrder)
    assert view.model.query.sort.value == "received" and view.model.total == 2
    assert shown_ids(view) == [found["exact"], found["prefix"]]
    assert view.table.horizontalHeader().isSortIndicatorShown()
    view.search_clear.click()
    assert view.model.total == everything and view.search_box.text() == ""
    assert not view.model.highlighting and not view.search_clear.isEnabled()


def test_enter_searches_at_once_and_special_characters_are_literal(view: CaseListView, found: dict[str, int],
                                                                   qtbot: QtBot) -> None:
    QTest.keyClicks(view.search_box, "50%")
    QTest.keyClick(view.search_box, Qt.Key.Key_Return)
    assert view.model.total == 1 and shown_ids(view) == [found["exact"]]
    assert view.model.query.sort is SortKey.RELEVANCE
    view.search_box.clear()
    QTest.keyClicks(view.search_box, "')\"*")
    QTest.keyClick(view.search_box, Qt.Key.Key_Return)
    assert view.model.total == 0 and view.error_label.isHidden()
    view.clear_filters()  # clearing the filters clears the search too
    assert view.search_box.text() == "" and view.model.total >= 122
    assert view.model.query.sort.value == "received" and view.model.query.descending


def test_ctrl_f_focuses_the_box(view: CaseListView, qtbot: QtBot) -> None:
    assert view.find_shortcut.key() == QKeySequence(QKeySequence.StandardKey.Find)
    view.search_box.setText("旧的")
    view.table.setFocus()
    view.find_shortcut.activated.emit()
    assert view.focusWidget() is view.search_box and view.search_box.selectedText() == "旧的"


def test_the_hits_are_drawn_over_their_cells(view: CaseListView, found: dict[str, int], qtbot: QtBot,
                                            app_fonts: str | None) -> None:
    """The hits of a search are drawn in red over the cells holding them (in a selected row in
    bold, in the selection's text colour), and nothing is drawn without a search; a word with a
    character beyond the BMP (𠮷: two UTF-16 units) is cut from the text whole."""
    assert app_fonts is not None
    view.show()
    qtbot.waitExposed(view)

    def cell_image(row: int) -> QImage:
        image = view.table.viewport().grab().toImage()
        return image.copy(view.table.visualRect(view.model.index(row, CaseListModel.COL_APPLICANTS)))

    def red_pixels(image: QImage) -> int:
        return sum(1 for x in range(image.width()) for y in range(image.height())
                   if image.pixelColor(x, y).red() > 150 and image.pixelColor(x, y).green() < 100)

    view.search("张鑫")
    assert view.model.data(view.model.index(0, CaseListModel.COL_APPLICANTS)) == "张鑫"
    assert red_pixels(cell_image(0)) > 10  # the hit is drawn in red
    # In a selected row the hit is drawn in the selection's text colour (bold), not red.
    view.select_row(0)
    selected = cell_image(0)
    assert red_pixels(selected) == 0
    highlighted = view.table.palette().color(QPalette.ColorGroup.Normal, QPalette.ColorRole.HighlightedText)
    assert any(selected.pixelColor(x, y) == highlighted for x in range(selected.width())
               for y in range(selected.height()))
    view.clear_search()  # without a search the cells are drawn as usual
    assert not any(red_pixels(cell_image(row)) for row in range(3))

    view.search("鑫𠮷")
    row = next(r for r in range(view.model.total) if view.model.data(
        view.model.index(r, CaseListModel.COL_APPLICANTS)) == "张鑫𠮷")
    [(column, text, spans)] = view.model.row_hits(row)
    assert (column, spans) == (CaseListModel.COL_APPLICANTS, [(1, 3)])
    [(_x, _width, characters)] = view.table.hits.boxes(text, spans, 500)
    assert characters == "鑫𠮷"
    assert red_pixels(cell_image(row)) > 10


def _ink_in_first_rows(view: CaseListView) -> int:
    """How many pixels of the viewport's first rows' band differ from its background."""
    viewport = view.table.viewport()
    image = viewport.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    background = image.pixel(2, 2)
    band = 6 * view.table.fontMetrics().height()
    return sum(image.pixel(x, y) != background for y in range(0, min(band, image.height()), 2)
               for x in range(0, image.width(), 2))


@pytest.mark.usefixtures("chinese")
def test_an_empty_list_says_so(view: CaseListView, qtbot: QtBot) -> None:
    """A list read and counted with no case in it says so in the table (it was a blank table under
    its header — 待审核结案 of a township with none to review), and says nothing while it has rows."""
    view.show()
    qtbot.waitUntil(lambda: view.model.total > 0 and not view.model.loading, timeout=5000)
    assert not view.table.shows_empty()
    type_text(view.search_box, "没有这样的案件")
    QTest.keyClick(view.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.model.total == 0 and not view.model.loading, timeout=5000)
    assert view.table.shows_empty()
    assert view.table.empty_text.startswith("这里没有案件") and "清除筛选" in view.table.empty_text
    assert _ink_in_first_rows(view) > 50, "the words are drawn"
    view.clear_filters()
    qtbot.waitUntil(lambda: view.model.total > 0 and not view.model.loading, timeout=5000)
    assert not view.table.shows_empty()
