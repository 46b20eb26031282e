"""Small helpers shared by the widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

W = TypeVar("W", bound=QObject)

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"


def named(widget: W, name: str) -> W:
    """Give a widget an object name (what tests and style sheets find it by) inline."""
    widget.setObjectName(name)
    return widget


def list_table(model: QAbstractItemModel, name: str, widths: dict[int, int]) -> QTableView:
    """A read-only list of rows (the desk's lists, visits): whole-row selection, fixed row heights,
    the given column widths, and room for at least three rows."""
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    for column, width in widths.items():
        header.resizeSection(column, width)
    table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 3 + header.sizeHint().height())
    return table
