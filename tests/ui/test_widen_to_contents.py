"""``widgets.widen_to_contents``: a case-number column grows to its widest row — exactly the width
Qt's own ``sizeHintForColumn`` asks of every row — though only the few widest rows (measured with
the table's font) are sized by Qt; it never narrows, and other models keep Qt's own sizing."""

from __future__ import annotations

import random
from typing import ClassVar

import pytest
from PySide6.QtCore import QModelIndex, QSize
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from mediation_desk.ui.common import widgets
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.widgets import list_table, widen_to_contents


class NumbersModel(RowsModel[tuple[str, str]]):
    CONTEXT = "NumbersModel"
    HEADERS: ClassVar[tuple[str, ...]] = ("Case number", "Title")

    def text(self, row: tuple[str, str], column: int) -> str:
        return row[column]


def _numbers(count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [(f"（2026）甘矛调字第{rng.randrange(1, 9999):04d}号", "邻里纠纷") for _ in range(count)]


def _table(model: RowsModel[tuple[str, str]] | QStandardItemModel, qtbot: QtBot) -> QTableView:
    table = list_table(model, "numbers", {0: 60, 1: 200})
    widen_to_contents(table, 0)
    qtbot.addWidget(table)
    table.resize(700, 300)
    return table


@pytest.mark.parametrize("where", [0, 250, 499])
def test_the_number_column_fits_its_widest_row_wherever_it_is(qtbot: QtBot, app_fonts: str | None,
                                                               where: int) -> None:
    model = NumbersModel()
    table = _table(model, qtbot)
    rows = _numbers(500, where)
    # One township number, four characters longer, and rows longer in characters but narrower.
    rows[where] = ("（2026）甘州梁家墩调字第0010号", "土地纠纷")
    for n in range(widgets.WIDEST_SIZED + 1):
        rows[(where + 7 + n) % 500] = (f"（2026）{n}11111111111111111111号", "其他")
    model.set_rows(rows)
    header = table.horizontalHeader()
    assert header.sectionSize(0) == table.sizeHintForColumn(0)
    wide = header.sectionSize(0)
    assert wide > table.fontMetrics().horizontalAdvance(rows[where][0])
    table.show()
    qtbot.waitExposed(table)
    assert header.sectionSize(0) == table.sizeHintForColumn(0)
    # Fewer, narrower rows: the column stays as wide as it was; a still wider row widens it.
    model.set_rows(_numbers(3, 1))
    assert header.sectionSize(0) == wide
    model.set_rows([*rows, ("（2026）甘州梁家墩调字第0010号（重新调解）", "")])
    assert header.sectionSize(0) == table.sizeHintForColumn(0) > wide


def test_an_empty_list_leaves_the_width_set(qtbot: QtBot, app_fonts: str | None) -> None:
    model = NumbersModel()
    table = _table(model, qtbot)
    model.set_rows([])
    assert table.horizontalHeader().sectionSize(0) == 60


def test_only_the_widest_rows_are_sized_by_qt(qtbot: QtBot, app_fonts: str | None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    model = NumbersModel()
    table = _table(model, qtbot)
    asked: list[int] = []
    original = QTableView.sizeHintForIndex

    def size_hint(index: QModelIndex) -> QSize:
        asked.append(index.row())
        return original(table, index)

    monkeypatch.setattr(table, "sizeHintForIndex", size_hint)
    rows = _numbers(500, 3)
    rows[123] = ("（2026）甘州梁家墩调字第0010号", "土地纠纷")
    model.set_rows(rows)
    assert len(asked) == widgets.WIDEST_SIZED and 123 in asked


def test_another_model_keeps_qts_own_sizing(qtbot: QtBot, app_fonts: str | None) -> None:
    model = QStandardItemModel()
    table = _table(model, qtbot)
    for number, _title in _numbers(40, 9):
        model.appendRow([QStandardItem(number), QStandardItem("")])
    model.appendRow([QStandardItem("（2026）甘州梁家墩调字第0010号"), QStandardItem("")])
    assert table.horizontalHeader().sectionSize(0) == table.sizeHintForColumn(0) > 60
