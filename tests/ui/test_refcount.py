"""PySide6 6.12.0 on Python 3.11 released one reference to None per call of
QStandardItemModel.setItem/appendRow and QTableWidget.setItem, until the interpreter died with
"Fatal Python error: none_dealloc". We pin 6.11.3 there; this test fails if a version with the
bug comes back. (From Python 3.12 None is immortal and its count never moves.)"""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

pytestmark = pytest.mark.gui

CALLS = 2000
#: Ordinary churn moves the count by a few; the bug moves it by one per call.
TOLERANCE = 50


def none_count() -> int:
    gc.collect()
    return sys.getrefcount(None)


def test_standard_item_model_keeps_none(qapp: QApplication) -> None:
    model = QStandardItemModel(10, 1)
    before = none_count()
    for i in range(CALLS):
        model.setItem(i % 10, 0, QStandardItem(str(i)))
    for i in range(CALLS):
        model.appendRow(QStandardItem(str(i)))
    assert abs(none_count() - before) < TOLERANCE


def test_standard_item_set_child_keeps_none(qapp: QApplication) -> None:
    parent = QStandardItem("parent")
    model = QStandardItemModel()
    model.appendRow(parent)
    before = none_count()
    for i in range(CALLS):
        parent.setChild(i % 10, 0, QStandardItem(str(i)))
    assert abs(none_count() - before) < TOLERANCE


def test_table_widget_keeps_none(qapp: QApplication) -> None:
    table = QTableWidget(10, 1)
    before = none_count()
    for i in range(CALLS):
        table.setItem(i % 10, 0, QTableWidgetItem(str(i)))
    assert abs(none_count() - before) < TOLERANCE


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_the_measure_sees_references_to_none() -> None:
    before = none_count()
    held = [None] * CALLS
    assert none_count() - before >= CALLS - TOLERANCE
    del held
