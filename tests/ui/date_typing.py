"""Typing into the application's date fields as a clerk does: select what is there, type the new
text key by key (ASCII with ``QTest.keyClicks``; 年月日 through an input-method commit, since
``keyClicks`` with Chinese kills the process), then leave the field with Tab."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mediation_desk.ui.common.date_field import DateField

#: The four forms the issue names, each of 31 December 2026.
FORMS = ("2026-12-31", "2026/12/31", "20261231", "2026年12月31日")
DAY = date(2026, 12, 31)


def spelled(day: date, form: str) -> str:
    """``day`` written in the form ``form`` shows 31 December 2026 in."""
    return {"2026-12-31": f"{day:%Y-%m-%d}", "2026/12/31": f"{day:%Y/%m/%d}", "20261231": f"{day:%Y%m%d}",
            "2026年12月31日": f"{day.year}年{day.month}月{day.day}日"}[form]


def type_into(field: DateField, text: str, *, leave: bool = True) -> None:
    """Replace the field's text by ``text``, typed; Enter when ``leave`` (what commits a filter)."""
    line = field.line
    line.setFocus()
    QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(line, Qt.Key.Key_Delete)
    assert line.text() == ""
    if text.isascii():
        QTest.keyClicks(line, text)
    else:
        for chunk in _chunks(text):
            if chunk.isascii():
                QTest.keyClicks(line, chunk)
            else:
                event = QInputMethodEvent("", [])
                event.setCommitString(chunk)
                QApplication.sendEvent(line, event)
    assert line.text() == text, (line.text(), text)
    if leave:
        QTest.keyClick(line, Qt.Key.Key_Return)


def _chunks(text: str) -> list[str]:
    parts: list[str] = []
    for char in text:
        if parts and parts[-1].isascii() == char.isascii():
            parts[-1] += char
        else:
            parts.append(char)
    return parts


def enter_day(field: DateField, day: date) -> None:
    type_into(field, f"{day:%Y-%m-%d}")
