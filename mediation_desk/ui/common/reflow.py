"""Boxes side by side on a wide pane, one above the other on a narrow one.

The case pane beside the list is about 600 px wide at 1366×768; forms that put two or three
group boxes side by side wanted 730-790 px there and scrolled sideways. A :class:`SideBySide`
watches its owner's width and turns its rows (``QBoxLayout``) from top-to-bottom to
left-to-right once the owner is ``width`` wide. Choose ``width`` above what the row needs side
by side, so the choice does not flip back and forth inside a scroll area.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QBoxLayout, QWidget

from mediation_desk.ui.common.widgets import teardown_safe


class SideBySide(QObject):
    def __init__(self, owner: QWidget, rows: tuple[QBoxLayout, ...], width: int) -> None:
        super().__init__(owner)
        self._owner = owner
        self.rows = rows
        self.width = width
        for row in rows:
            row.setDirection(QBoxLayout.Direction.TopToBottom)
        owner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Resize and teardown_safe(self, "_owner", "rows", "width")
                and watched is self._owner):
            self.apply()
        return False

    @property
    def side_by_side(self) -> bool:
        return all(row.direction() == QBoxLayout.Direction.LeftToRight for row in self.rows)

    def apply(self) -> None:
        direction = (QBoxLayout.Direction.LeftToRight if self._owner.width() >= self.width
                     else QBoxLayout.Direction.TopToBottom)
        for row in self.rows:
            if row.direction() != direction:
                row.setDirection(direction)
