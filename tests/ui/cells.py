"""What a list's cell answers, in a form two answers can be compared by (Qt's icons and brushes
compare by identity, not by what they show; a cell's font by what it sets, not the application's
font it was made under)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QFont, QIcon


def comparable(value: Any) -> Any:
    if isinstance(value, QIcon):
        return ("icon", value.cacheKey())
    if isinstance(value, QBrush):
        return ("brush", value.color().name())
    if isinstance(value, QFont):
        # A cell's font is merged into the view's (QFont.resolve): only what it sets shows. Its
        # family and size are the application's font of when it was made (the list keeps one), which
        # an earlier test in the same process may have changed.
        return ("font", value.resolveMask(), value.styleStrategy(), value.bold(), value.italic())
    return value
