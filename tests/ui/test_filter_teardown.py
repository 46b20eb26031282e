"""Event filters on a widget that goes with Python's cyclic collector.

The collector empties the attributes of the objects it frees before it frees them; a widget freed
so still sends events to its filters from its destructor (hide, parent and child changes), and a
filter's own show or resize can come in between. A filter that read its attributes first raised
AttributeError from inside Qt (a desk whose visits panel was made a second time showed it; pytest-qt
reports such an exception as the test's error)."""

from __future__ import annotations

import gc

import pytest
import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QBoxLayout, QHBoxLayout, QTableView, QWidget
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.ui.common.reflow import SideBySide
from mediation_desk.ui.common.row_heights import TextRowHeights
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.widgets import RefreshWhenShown, teardown_safe
from mediation_desk.ui.desk.desk import DeskPanel
from mediation_desk.ui.desk.visits_due import VisitsDuePanel

from ..conftest import login_as
from .conftest import Runner

pytestmark = pytest.mark.gui


class TextsModel(RowsModel[tuple[str, ...]]):
    HEADERS = ("Note",)

    def text(self, row: tuple[str, ...], column: int) -> str:
        return row[column]


def emptied(event_filter: object) -> None:
    """What the collector does to a filter it frees before the widget it watches is deleted."""
    vars(event_filter).clear()


def events_of_a_freed_widget(widget: QWidget) -> None:
    """What a widget goes through while it and its filter are freed: shown, resized, restyled,
    hidden, deleted (its destructor's own events)."""
    widget.show()
    widget.resize(widget.width() + 40, widget.height() + 10)
    QApplication.sendEvent(widget, QEvent(QEvent.Type.Show))
    QApplication.sendEvent(widget, QEvent(QEvent.Type.FontChange))
    widget.setFont(QFont(widget.font().family(), widget.font().pointSize() + 1))
    QApplication.processEvents()
    widget.hide()
    shiboken6.delete(widget)


def test_teardown_safe_says_whether_the_attributes_are_there(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    refresher = RefreshWhenShown(widget, lambda: None)
    assert teardown_safe(refresher, "_widget", "stale", "_load")
    assert not teardown_safe(refresher, "_widget", "no_such_attribute")
    emptied(refresher)
    assert not teardown_safe(refresher, "_widget")


def test_a_refresh_filter_emptied_by_the_collector_raises_nothing(qtbot: QtBot) -> None:
    widget = QWidget()
    loads: list[int] = []
    refresher = RefreshWhenShown(widget, lambda: loads.append(1), first_when_shown=True)
    emptied(refresher)
    events_of_a_freed_widget(widget)  # pytest-qt fails the test on an exception inside Qt
    assert loads == []


def test_a_side_by_side_filter_emptied_by_the_collector_raises_nothing(qtbot: QtBot) -> None:
    owner = QWidget()
    row = QHBoxLayout()
    QBoxLayout(QBoxLayout.Direction.TopToBottom, owner).addLayout(row)
    flip = SideBySide(owner, (row,), 300)
    emptied(flip)
    owner.resize(400, 100)  # wide enough to turn the row, had the filter acted
    owner.show()
    QApplication.processEvents()
    assert row.direction() == QBoxLayout.Direction.TopToBottom
    events_of_a_freed_widget(owner)


def test_a_row_heights_filter_emptied_by_the_collector_raises_nothing(qtbot: QtBot) -> None:
    model = TextsModel()
    model.set_rows([("一行字",), ("两行\n字",)])
    table = QTableView()
    table.setModel(model)
    table.setWordWrap(True)
    fitter = TextRowHeights(table, model)
    emptied(fitter)
    events_of_a_freed_widget(table)


def test_the_filters_still_act_while_whole(qtbot: QtBot) -> None:
    """The guard leaves the filters' work alone."""
    widget = QWidget()
    qtbot.addWidget(widget)
    loads: list[int] = []
    RefreshWhenShown(widget, lambda: loads.append(1), first_when_shown=True)
    widget.show()
    qtbot.waitExposed(widget)
    assert loads == [1]

    owner = QWidget()
    qtbot.addWidget(owner)
    row = QHBoxLayout()
    QBoxLayout(QBoxLayout.Direction.TopToBottom, owner).addLayout(row)
    flip = SideBySide(owner, (row,), 300)
    owner.resize(400, 100)
    owner.show()
    qtbot.waitUntil(lambda: flip.side_by_side)
    owner.resize(200, 100)
    qtbot.waitUntil(lambda: not flip.side_by_side)


def test_a_second_visits_panel_beside_the_desk_goes_quietly(runner: Runner, demo_sqlite_db: Database,
                                                           qtbot: QtBot) -> None:
    """The case that showed it: a desk on screen and a visits panel of its own, freed at the end
    (the collector clearing the panel's filter first)."""
    head = login_as(demo_sqlite_db, "head")
    desk = DeskPanel(runner, head)
    qtbot.addWidget(desk)
    desk.show()
    panel = VisitsDuePanel(runner, head)
    panel.show()
    qtbot.waitExposed(panel)
    panel.itself = panel  # type: ignore[attr-defined]  # a cycle: only the collector frees it
    del panel
    gc.collect()
    QApplication.processEvents()
