"""A short list of things to tick: a team's dispute types and members, a case's co-mediators and
joint departments.

Items are ids with a text; an item may be shown grey (``muted``: an inactive dispute type a team
still names) or be untickable for now (``set_disabled``: the lead cannot also be a co-mediator).
The model keeps the ticked ids; :attr:`TickListModel.checked_changed` tells of every tick the user
(or :meth:`~TickListModel.set_checked`) makes, never of a new list of items, so a form can count
only what the person did as an edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from mediation_desk.ui.common.format import FINAL_COLOUR

#: An item's flags, combined once (Qt asks for each item at every paint).
_DISABLED_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren | Qt.ItemFlag.ItemIsUserCheckable
_FLAGS = _DISABLED_FLAGS | Qt.ItemFlag.ItemIsEnabled

@dataclass(frozen=True)
class TickItem:
    id: int
    text: str
    #: Shown grey (an inactive dispute type a team still names).
    muted: bool = False


class TickListModel(QAbstractListModel):
    """Items to tick, in the order given; ticks are kept by id."""

    #: The ticked ids changed by a tick (the user's, :meth:`set_checked`'s, or an untick by
    #: :meth:`set_disabled`); not by :meth:`set_items`.
    checked_changed = Signal()
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[TickItem] = []
        self._checked: set[int] = set()
        self._disabled: set[int] = set()

    # ------------------------------------------------------------------ items and ticks

    def set_items(self, items: Sequence[TickItem], checked: Iterable[int] | None = None) -> None:
        """Show ``items``, ticking ``checked``; without ``checked`` the ticks of items still listed stay."""
        self.beginResetModel()
        self._items = list(items)
        known = {item.id for item in self._items}
        self._checked = (self._checked if checked is None else set(checked)) & known
        self.endResetModel()

    def items(self) -> list[TickItem]:
        return list(self._items)

    def checked_ids(self) -> tuple[int, ...]:
        """The ticked ids in the order of the list."""
        return tuple(item.id for item in self._items if item.id in self._checked)

    def set_checked(self, item_id: int, checked: bool) -> bool:
        """Tick or untick one item, as a click would; False when it is not listed or is disabled."""
        row = self.row_of(item_id)
        if row is None or item_id in self._disabled:
            return False
        if checked == (item_id in self._checked):
            return True
        if checked:
            self._checked.add(item_id)
        else:
            self._checked.discard(item_id)
        self.dataChanged.emit(self.index(row), self.index(row), [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()
        return True

    def set_disabled(self, ids: set[int]) -> None:
        """Grey out ``ids`` (and untick them): e.g. the lead cannot also be a co-mediator."""
        unticked = bool(self._checked & ids)
        self._disabled = set(ids)
        self._checked -= ids
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))
        if unticked:
            self.checked_changed.emit()

    def row_of(self, item_id: int) -> int | None:
        return next((row for row, item in enumerate(self._items) if item.id == item_id), None)

    # ------------------------------------------------------------------ Qt

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return Qt.ItemFlag.NoItemFlags
        return _DISABLED_FLAGS if self._items[index.row()].id in self._disabled else _FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return item.text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if item.id in self._checked else Qt.CheckState.Unchecked
        if role == self.IdRole:
            return item.id
        if role == Qt.ItemDataRole.ForegroundRole and item.muted:
            return QBrush(QColor(FINAL_COLOUR))
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or not 0 <= index.row() < len(self._items):
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        return self.set_checked(self._items[index.row()].id, state == Qt.CheckState.Checked)


__all__ = ["TickItem", "TickListModel"]
