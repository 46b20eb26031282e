"""Row heights worked out from the rows' texts (ui.common.row_heights): each row exactly as tall as
Qt's own ResizeToContents makes it — every wrapped line of every cell visible — at every width."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.ui.cases.detail import TimelineModel
from mediation_desk.ui.common.row_heights import TextRowHeights
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.shell.main_window import CaseSection

from ..conftest import login_as
from .conftest import Runner, rows_where

pytestmark = pytest.mark.gui

LONG_NOTE = ("当事人双方就宅基地边界及通行问题多次发生争执，调解员实地查看后组织双方面对面协商，"
             "经释法说理，双方同意以原有围墙为界并共同出资修缮通道。")
TEXTS = (
    ("2026-12-06 09:30", "张三", "受理", "登记 → 受理", ""),
    ("2026-12-06 10:00", "李四", "分派", "受理 → 调解中", LONG_NOTE),
    ("2026-12-06 10:05", "王五", "备注", "", "第一行\n第二行\n第三行"),
    ("2026-12-06 10:06", "admin", "note", "", "a fairly long English note that wraps at word boundaries " * 3),
    ("2026-12-06 10:07", "赵六", "期限延长", "调解中", "𠮷堃喆昇" * 12),
    ("2026-12-06 10:08", "", "", "", ""),
)


class TextsModel(RowsModel[tuple[str, ...]]):
    HEADERS = ("Time", "By", "Event", "State", "Note")

    def text(self, row: tuple[str, ...], column: int) -> str:
        return row[column]


def wrapping_table(model: TextsModel, mode: QHeaderView.ResizeMode | None = None) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.horizontalHeader().setStretchLastSection(True)
    for column, width in enumerate((124, 64, 100, 140)):
        table.horizontalHeader().resizeSection(column, width)
    if mode is not None:
        table.verticalHeader().setSectionResizeMode(mode)
    return table


def qt_heights(table: QTableView) -> list[int]:
    """The row heights Qt's ResizeToContents gives a twin table at the same column widths."""
    twin = wrapping_table(table.model(), QHeaderView.ResizeMode.ResizeToContents)  # type: ignore[arg-type]
    twin.horizontalHeader().setStretchLastSection(False)
    twin.resize(table.size())
    twin.show()
    for column in range(table.model().columnCount()):
        twin.horizontalHeader().resizeSection(column, table.columnWidth(column))
    twin.verticalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)  # at these widths, now
    heights = [twin.rowHeight(row) for row in range(table.model().rowCount())]
    twin.close()
    twin.deleteLater()
    return heights


def wrapped_text_heights(table: QTableView) -> list[int]:
    """Each row's tallest text wrapped at its column's width, as the font lays it out."""
    model = table.model()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    metrics = table.fontMetrics()
    flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft)
    return [max(metrics.boundingRect(QRect(0, 0, table.columnWidth(column) - 1 - margin, 100_000), flags,
                                     str(model.data(model.index(row, column)))).height()
                for column in range(model.columnCount()))
            for row in range(model.rowCount())]


def test_rows_are_as_tall_as_resize_to_contents_makes_them_at_every_width(qtbot: QtBot) -> None:
    model = TextsModel()
    table = wrapping_table(model)
    qtbot.addWidget(table)
    heights = TextRowHeights(table, model)
    table.resize(700, 400)
    table.show()
    with qtbot.waitSignal(heights.fitted):
        model.set_rows(TEXTS)
    wide = [table.rowHeight(row) for row in range(len(TEXTS))]
    assert wide == qt_heights(table)
    # Every line of every cell shows: no row is shorter than its wrapped text.
    assert all(h >= text for h, text in zip(wide, wrapped_text_heights(table), strict=True))
    assert wide[2] >= 3 * table.fontMetrics().lineSpacing()  # the note's three lines
    assert wide[1] > wide[0]  # the long note wraps

    # Narrower: the note column (the stretched last one) narrows and its rows grow, once the
    # layout has settled.
    with qtbot.waitSignal(heights.fitted):
        table.resize(560, 400)
    narrow = [table.rowHeight(row) for row in range(len(TEXTS))]
    assert narrow == qt_heights(table)
    assert narrow[1] > wide[1] and narrow[3] > wide[3]
    assert all(h >= text for h, text in zip(narrow, wrapped_text_heights(table), strict=True))

    # A column set narrower by code (not the last): its texts wrap and the rows follow.
    with qtbot.waitSignal(heights.fitted):
        table.horizontalHeader().resizeSection(3, 40)
    assert [table.rowHeight(row) for row in range(len(TEXTS))] == qt_heights(table)
    assert table.rowHeight(1) > narrow[1] or table.rowHeight(0) > narrow[0]


def test_rows_set_while_hidden_are_fitted_when_shown(qtbot: QtBot) -> None:
    model = TextsModel()
    table = wrapping_table(model)
    qtbot.addWidget(table)
    heights = TextRowHeights(table, model)
    model.set_rows(TEXTS)
    table.resize(640, 400)
    with qtbot.waitSignal(heights.fitted):
        table.show()
    assert [table.rowHeight(row) for row in range(len(TEXTS))] == qt_heights(table)
    # New rows while shown are fitted at once (before the next paint).
    model.set_rows(TEXTS[1:2] * 3)
    assert [table.rowHeight(row) for row in range(3)] == qt_heights(table)


def test_the_timeline_shows_every_line_and_follows_the_page_width(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    case = rows_where(demo_sqlite_db, head, CaseFilter())[0]
    section = CaseSection(runner, head, None, "casesSection")
    qtbot.addWidget(section)
    section.resize(1300, 700)
    section.show()
    detail = section.detail_view
    with qtbot.waitSignal(detail.loaded):
        section.open_case(case.id)
    table, model = detail.timeline_table, detail.timeline_model
    # A long note, and one of several lines, on the shown case's timeline.
    events = model.rows
    model.set_rows([*events, replace(events[-1], note=LONG_NOTE * 2), replace(events[-1], note="一\n二\n三\n四")])

    def fitted() -> bool:
        rows = model.rowCount()
        shown = [table.rowHeight(row) for row in range(rows)]
        # The table is as tall as its rows: none is cut off at its bottom.
        return (shown == qt_heights(table)
                and table.viewport().height() >= table.verticalHeader().length())

    qtbot.waitUntil(fitted)
    rows = model.rowCount()
    assert all(table.rowHeight(row) >= text for row, text in enumerate(wrapped_text_heights(table)))
    assert table.rowHeight(rows - 1) >= 4 * table.fontMetrics().lineSpacing()
    before = table.rowHeight(rows - 2)
    note_width = table.columnWidth(TimelineModel.COL_NOTE)
    # The page widens (the splitter moved): the note column widens, the long note's row shrinks,
    # and the table with it.
    section.setSizes([400, 900])
    qtbot.waitUntil(lambda: table.columnWidth(TimelineModel.COL_NOTE) > note_width)
    qtbot.waitUntil(fitted)
    assert table.rowHeight(rows - 2) < before
