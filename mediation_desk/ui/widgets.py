"""Small helpers shared by the widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

W = TypeVar("W", bound=QObject)

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"


def named(widget: W, name: str) -> W:
    """Give a widget an object name (what tests and style sheets find it by) inline."""
    widget.setObjectName(name)
    return widget
