"""The case list as the new user met it at 1366×768 (issue 19, minor screen defects): sorting by
状态 follows the workflow, Ctrl+End / Ctrl+Home keep 案号 in view, the list shows every column
until a case opens and keeps 案号, 当事人 and 期限 readable beside it, and 我承办的案件 offers a
mediator's own filters instead of 本团队（全部）."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import CaseState, DisputeCase
from mediation_desk.readmodels.statistics import Figure, StatisticFilter
from mediation_desk.services.caselist import CaseRow
from mediation_desk.services.workflow import OPEN_STATES
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.shell.main_window import CaseSection, MainWindow

from ..conftest import login_as
from .conftest import Runner, check_model, rows_where
from .screen import USABLE_HEIGHT, open_window

pytestmark = pytest.mark.gui

def make_window(runner: Runner, db: Database, username: str, qtbot: QtBot) -> MainWindow:
    return open_window(runner, login_as(db, username), qtbot, "甘州区矛盾纠纷调处中心")


def section(window: MainWindow, key: str) -> CaseSection:
    widget = window.sections[key]
    assert isinstance(widget, CaseSection)
    window.tabs.setCurrentWidget(widget)
    QApplication.processEvents()
    return widget


def all_rows(model: CaseListModel) -> list[CaseRow]:
    model.load_rows(0, model.total - 1)
    rows = [model.data(model.index(r, 0), CaseListModel.CaseRowRole) for r in range(model.rowCount())]
    assert all(isinstance(row, CaseRow) for row in rows)
    return rows


def click_header(table: QTableView, column: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    QApplication.processEvents()


def fully_visible(table: QTableView, column: int) -> bool:
    header = table.horizontalHeader()
    left = header.sectionViewportPosition(column)
    return not header.isSectionHidden(column) and left >= 0 and \
        left + header.sectionSize(column) <= table.viewport().width()


def test_state_header_sorts_in_the_workflow_order(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                  qtmodeltester: ModelTester) -> None:
    window = make_window(runner, demo_sqlite_db, "head", qtbot)
    view = section(window, "cases").list_view
    click_header(view.table, CaseListModel.COL_STATE)
    assert view.model.sort_column() == CaseListModel.COL_STATE
    workflow = list(CaseState)  # 登记 → 受理 → … → 结案审核 → 结案
    ranks = [workflow.index(row.state) for row in all_rows(view.model)]
    assert len(set(ranks)) > 3
    order = view.table.horizontalHeader().sortIndicatorOrder()
    assert ranks == sorted(ranks, reverse=order == Qt.SortOrder.DescendingOrder)
    click_header(view.table, CaseListModel.COL_STATE)  # and the other way round
    ranks_back = [workflow.index(row.state) for row in all_rows(view.model)]
    assert ranks_back == sorted(ranks, reverse=order != Qt.SortOrder.DescendingOrder)
    check_model(qtmodeltester, view.model)


@pytest.mark.parametrize("keys", [Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.NoModifier])
def test_end_and_home_keep_the_case_number_in_view(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                   keys: Qt.KeyboardModifier) -> None:
    window = make_window(runner, demo_sqlite_db, "head", qtbot)
    cases = section(window, "cases")
    table = cases.list_view.table
    model = cases.list_view.model
    first = table.visualRect(model.index(0, CaseListModel.COL_NUMBER)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert table.hasFocus()
    QTest.keyClick(table, Qt.Key.Key_End, keys)
    QApplication.processEvents()
    assert table.currentIndex().row() == model.rowCount() - 1
    assert table.horizontalScrollBar().value() == 0
    assert fully_visible(table, CaseListModel.COL_NUMBER)
    last = table.rowAt(table.viewport().height() - 2)
    assert last == model.rowCount() - 1  # the last row scrolled into view
    QTest.keyClick(table, Qt.Key.Key_Home, keys)
    QApplication.processEvents()
    assert table.currentIndex().row() == 0
    assert table.horizontalScrollBar().value() == 0
    assert table.rowAt(1) == 0


def test_list_shows_every_column_until_a_case_opens(runner: Runner, demo_sqlite_db: Database,
                                                     qtbot: QtBot) -> None:
    window = make_window(runner, demo_sqlite_db, "mediator", qtbot)
    for key in ("cases", "mine"):
        cases = section(window, key)
        table = cases.list_view.table
        # Nothing open: no empty right half, and the list has room for all its columns.
        assert not cases.detail_view.isVisible()
        hidden = [c for c in range(CaseListModel.COLUMN_COUNT) if not fully_visible(table, c)]
        assert not hidden, [cases.list_view.model.headerData(c, Qt.Orientation.Horizontal) for c in hidden]
        assert table.horizontalScrollBar().maximum() == 0
        # Double-click a case: the detail opens beside the list, which keeps 案号, 当事人, 期限 readable.
        index = cases.list_view.model.index(0, CaseListModel.COL_NUMBER)
        centre = table.visualRect(index).center()
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        QApplication.processEvents()
        assert cases.detail_view.case_id is not None and cases.detail_view.isVisible()
        assert cases.detail_view.width() >= 500
        for column in (CaseListModel.COL_NUMBER, CaseListModel.COL_APPLICANTS, CaseListModel.COL_DEADLINE):
            assert fully_visible(table, column), column
        number = str(cases.list_view.model.data(index))
        assert table.fontMetrics().horizontalAdvance(number) < table.columnWidth(CaseListModel.COL_NUMBER)
        assert window.minimumSizeHint().height() <= USABLE_HEIGHT


def choose(combo: QComboBox, text: str) -> None:
    """Pick an entry as a person does with the keyboard: focus, then arrow down to it."""
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            break
        QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text
    QApplication.processEvents()


def test_my_cases_offer_a_mediators_own_filters(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                chinese: None) -> None:
    today = date.today()  # the test clock's day (tests/conftest.py)
    mediator = login_as(demo_sqlite_db, "mediator")
    # The demo mediator's own cases are all closed or in review: give them open ones of their
    # teams to lead, one of them overdue and one still in time.
    with demo_sqlite_db.write() as session:
        open_cases = session.scalars(select(DisputeCase).where(
            DisputeCase.team_id.in_(sorted(mediator.team_ids)),
            DisputeCase.state.in_([CaseState.ASSIGNED, CaseState.IN_MEDIATION]),
            DisputeCase.clock_due_on.is_not(None)).order_by(DisputeCase.id).limit(4)).all()
        assert len(open_cases) >= 2
        for case in open_cases:
            case.lead_mediator_id = mediator.mediator_id
        open_cases[0].clock_due_on = today - timedelta(days=3)
        open_cases[1].clock_due_on = today + timedelta(days=10)
        late, in_time = open_cases[0].id, open_cases[1].id
    window = make_window(runner, demo_sqlite_db, "mediator", qtbot)
    mine = section(window, "mine").list_view
    texts = [w.text() for w in mine.findChildren(QLabel)]
    combos = [mine.team_combo.itemText(i) for i in range(mine.team_combo.count())]
    assert "本团队（全部）" not in combos and "本团队（全部）" not in texts
    assert mine.mine_combo.isVisibleTo(mine)
    assert [mine.mine_combo.itemText(i) for i in range(mine.mine_combo.count())] == ["全部我承办的", "待办", "超期"]
    every = {row.id for row in all_rows(mine.model)}
    assert every  # the demo mediator handles cases

    choose(mine.mine_combo, "待办")
    todo = all_rows(mine.model)
    assert todo and {row.id for row in todo} < every
    assert all(row.state in OPEN_STATES and row.state is not CaseState.CLOSURE_REVIEW for row in todo)
    assert not mine.state_combo.isEnabled()

    choose(mine.mine_combo, "超期")
    overdue = {row.id for row in all_rows(mine.model)}
    counted = rows_where(demo_sqlite_db, mediator, StatisticFilter(
        Figure.OVERDUE, today, today, today=today).case_filter())
    assert overdue == {row.id for row in counted} & every
    assert late in overdue and in_time not in overdue
    assert all(row.clock_due_on is not None and row.clock_due_on < today for row in all_rows(mine.model))

    choose(mine.mine_combo, "全部我承办的")
    assert {row.id for row in all_rows(mine.model)} == every
    assert mine.state_combo.isEnabled()
    # The all-cases section of the same mediator keeps its own wording.
    cases = section(window, "cases").list_view
    assert not cases.mine_combo.isVisibleTo(cases)


def test_a_townships_numbers_are_read_whole_in_its_case_list(runner: Runner, demo_sqlite_db: Database,
                                                             qtbot: QtBot, app_fonts: str | None) -> None:
    """（2026）甘州梁家墩调字第0002号 is three characters longer than the county's numbers the list's
    案号 column is sized for: on the 1M demo the township head read （2026）甘州梁家墩调字第00… in every
    row of its own. The column grows to its widest number as rows arrive (never narrower)."""
    import random

    from mediation_desk import demo
    from mediation_desk.services.actor import Actor

    with demo_sqlite_db.write() as session:
        demo.seed_townships(session, Actor.system("test"), random.Random(5), 12)
    window = make_window(runner, demo_sqlite_db, "ljd_head", qtbot)
    view = section(window, "cases").list_view
    table, model = view.table, view.model
    column = CaseListModel.COL_NUMBER
    numbers = [str(model.index(row, column).data()) for row in range(model.rowCount())]
    assert any("梁家墩" in number for number in numbers), numbers
    header = table.horizontalHeader()
    assert header.sectionSize(column) >= table.sizeHintForColumn(column) > 196
    widest = max(numbers, key=table.fontMetrics().horizontalAdvance)
    assert table.fontMetrics().horizontalAdvance(widest) < table.columnWidth(column)
    # A mediator of the county, whose list holds the county's numbers only, keeps the width set.
    window.close()
    county = section(make_window(runner, demo_sqlite_db, "mediator", qtbot), "cases").list_view
    assert all("梁家墩" not in str(county.model.index(row, column).data()) for row in range(county.model.rowCount()))
    assert county.table.horizontalHeader().sectionSize(column) == 196


def test_the_titles_take_the_width_the_other_columns_leave(runner: Runner, demo_sqlite_db: Database,
                                                           qtbot: QtBot) -> None:
    """At 1366 wide the columns left ~60 px unused at the right while 纠纷名称 was cut: the title
    column takes that width, and gives it back (never narrower than it was set) when a case opens
    beside the list."""
    from mediation_desk.ui.cases.list_view import COLUMN_WIDTHS

    window = make_window(runner, demo_sqlite_db, "head", qtbot)
    cases = section(window, "cases")
    table = cases.list_view.table
    header = table.horizontalHeader()
    base = COLUMN_WIDTHS[CaseListModel.COL_TITLE]
    assert header.length() == table.viewport().width(), (header.length(), table.viewport().width())
    assert table.columnWidth(CaseListModel.COL_TITLE) > base
    # A column hidden from the header's menu: the titles take its width too.
    wide = table.columnWidth(CaseListModel.COL_TITLE)
    header.setSectionHidden(CaseListModel.COL_LEAD, True)
    assert table.columnWidth(CaseListModel.COL_TITLE) == wide + COLUMN_WIDTHS[CaseListModel.COL_LEAD]
    header.setSectionHidden(CaseListModel.COL_LEAD, False)
    assert table.columnWidth(CaseListModel.COL_TITLE) == wide
    # A case opened: the list narrows, the titles give back what they were given, no more.
    index = cases.list_view.model.index(0, CaseListModel.COL_NUMBER)
    centre = table.visualRect(index).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QApplication.processEvents()
    assert cases.detail_view.isVisible()
    assert table.columnWidth(CaseListModel.COL_TITLE) == base
    assert table.horizontalScrollBar().maximum() > 0
