"""Answering the question before an irreversible action (ui.common.confirm) as a person would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton

from mediation_desk.ui.common.confirm import CANCEL_NAME, GO_NAME


def buttons(box: QMessageBox) -> tuple[QPushButton, QPushButton]:
    go = box.findChild(QPushButton, GO_NAME)
    cancel = box.findChild(QPushButton, CANCEL_NAME)
    assert go is not None and cancel is not None
    return go, cancel


def assert_safe(box: QMessageBox | None) -> QMessageBox:
    """The question is open, and Enter and Esc both mean 取消."""
    assert box is not None and box.isVisible()
    _go, cancel = buttons(box)
    assert box.defaultButton() is cancel and box.escapeButton() is cancel
    return box


def press_escape(box: QMessageBox | None) -> None:
    QTest.keyClick(assert_safe(box), Qt.Key.Key_Escape)


def click_go(box: QMessageBox | None) -> None:
    go, _cancel = buttons(assert_safe(box))
    QTest.mouseClick(go, Qt.MouseButton.LeftButton)
