"""A read-only table model over a short list of plain rows (the services' dataclasses).

The desk's small lists — due cases, supervision orders, diversions, holidays, time limits — hold
at most a few hundred rows that arrive whole from one read, so unlike the case list they keep
every row. Each subclass names its columns and says what a cell shows.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

R = TypeVar("R")
#: A cell's flags, combined once: Qt asks for every cell at each paint, and or-ing Python's enum
#: flags made new enum values each time (a tenth of a table's first paint).
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class RowsModel(QAbstractTableModel, Generic[R]):
    #: The translation context of ``HEADERS`` (the subclass's name, as lupdate files them).
    CONTEXT: ClassVar[str] = ""
    HEADERS: ClassVar[tuple[str, ...]] = ()
    #: The whole row object of a cell.
    RowRole = Qt.ItemDataRole.UserRole + 1
    #: The case a row is about, when it is about one (for "open the case").
    CaseIdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_rows(self, rows: list[R] | tuple[R, ...]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[R]:
        return list(self._rows)

    def column_texts(self, column: int) -> list[str]:
        """What each row shows in ``column``, in order (read in Python, not cell by cell through Qt)."""
        return [self.text(row, column) for row in self._rows]

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        if 0 <= section < len(self.HEADERS):
            return QCoreApplication.translate(self.CONTEXT, self.HEADERS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return ROW_FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked for every role of every cell at each paint: the index read once, the roles
        # compared as plain numbers (an invalid index's row is -1).
        number, column = index.row(), index.column()
        if not 0 <= number < len(self._rows) or not 0 <= column < len(self.HEADERS):
            return None
        row = self._rows[number]
        if role == _DISPLAY:
            return self.text(row, column)
        if role == _TOOLTIP:
            return self.tooltip(row, column)
        if role == _ROW:
            return row
        if role == _CASE_ID:
            return self.case_id(row)
        return self.cell(row, column, role)

    # ------------------------------------------------------------------ for subclasses

    def text(self, row: R, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, row: R, column: int) -> str | None:
        text = self.text(row, column)
        return text or None

    def case_id(self, row: R) -> int | None:
        value = getattr(row, "case_id", None)
        return value if isinstance(value, int) else None

    def cell(self, row: R, column: int, role: int) -> Any:
        """Any other role (decoration, colours); None by default."""
        return None


_DISPLAY, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)
_ROW, _CASE_ID = int(RowsModel.RowRole), int(RowsModel.CaseIdRole)

__all__ = ["ROW_FLAGS", "RowsModel"]
