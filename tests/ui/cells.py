"""What a list's cell answers, in a form two answers can be compared by (Qt's icons and brushes
compare by identity, not by what they show)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QIcon


def comparable(value: Any) -> Any:
    if isinstance(value, QIcon):
        return ("icon", value.cacheKey())
    if isinstance(value, QBrush):
        return ("brush", value.color().name())
    return value
