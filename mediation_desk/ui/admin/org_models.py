"""Item models of the organisation screens: the three tables and the check lists of the team form.

The lists are small (a center has a dozen departments, a handful of teams, a few dozen
mediators), so each model holds all its rows; inactive rows are hidden unless asked for and
shown grey when they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from mediation_desk.models import MediatorKind, PresenceMode
from mediation_desk.services.organisation import DepartmentInfo, MediatorInfo, TeamInfo
from mediation_desk.ui.common.format import FINAL_COLOUR
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP

R = TypeVar("R", DepartmentInfo, TeamInfo, MediatorInfo)

# Not (yet) in i18n's enum table, so kept here; the zh_CN texts equal the enums' labels.
_PRESENCE_SOURCES = {
    PresenceMode.RESIDENT: QT_TRANSLATE_NOOP("PresenceMode", "Resident"),
    PresenceMode.ROTATING: QT_TRANSLATE_NOOP("PresenceMode", "Rotating"),
    PresenceMode.ON_CALL: QT_TRANSLATE_NOOP("PresenceMode", "On call"),
}
_KIND_SOURCES = {
    MediatorKind.STATIONED: QT_TRANSLATE_NOOP("MediatorKind", "Stationed staff"),
    MediatorKind.VOLUNTEER: QT_TRANSLATE_NOOP("MediatorKind", "Volunteer mediator"),
}


def presence_text(mode: PresenceMode) -> str:
    return QCoreApplication.translate("PresenceMode", _PRESENCE_SOURCES[mode])


def kind_text(kind: MediatorKind) -> str:
    return QCoreApplication.translate("MediatorKind", _KIND_SOURCES[kind])


def joined(names: Iterable[str]) -> str:
    """A list of names as Chinese writes it: 甲、乙、丙."""
    return QCoreApplication.translate("OrgTableModel", ", ").join(names)


def active_text(active: bool) -> str:
    return (QCoreApplication.translate("OrgTableModel", "Active") if active
            else QCoreApplication.translate("OrgTableModel", "Deactivated"))


class OrgTableModel(QAbstractTableModel, Generic[R]):
    """Rows of one kind, with a status column; inactive rows hidden unless ``show_inactive``."""

    #: The translation context of HEADERS (the subclass's name, as lupdate records it).
    CONTEXT: ClassVar[str] = "OrgTableModel"
    HEADERS: ClassVar[tuple[str, ...]] = ()
    #: The whole row object (a DepartmentInfo, TeamInfo or MediatorInfo).
    RowRole = Qt.ItemDataRole.UserRole + 1
    #: A value to sort by (numbers as numbers).
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[R] = []
        self._rows: list[R] = []
        self._show_inactive = False

    # ------------------------------------------------------------------ rows

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._rows = [r for r in self._all if self._show_inactive or r.active]
        self.endResetModel()

    def set_show_inactive(self, show: bool) -> None:
        if show != self._show_inactive:
            self._show_inactive = show
            self.set_rows(self._all)

    @property
    def show_inactive(self) -> bool:
        return self._show_inactive

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, item_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == item_id), None)

    def find(self, item_id: int) -> R | None:
        """A row by id, hidden or not."""
        return next((r for r in self._all if r.id == item_id), None)

    def all_rows(self) -> list[R]:
        return list(self._all)

    def hidden_count(self) -> int:
        return len(self._all) - len(self._rows)

    # ------------------------------------------------------------------ Qt

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
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(self.HEADERS):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == self.SortRole:
            return self.sort_value(row, column)
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(QColor(FINAL_COLOUR))
        return None

    def display(self, row: R, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, row: R, column: int) -> str | None:
        text = self.display(row, column)
        return text if len(text) > 12 else None

    def sort_value(self, row: R, column: int) -> Any:
        return self.display(row, column)


class DepartmentsModel(OrgTableModel[DepartmentInfo]):
    CONTEXT = "DepartmentsModel"
    COL_NAME, COL_PRESENCE, COL_CONTACT, COL_PHONE, COL_ROTA, COL_MEDIATORS, COL_STATUS = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("DepartmentsModel", "Department"),
        QT_TRANSLATE_NOOP("DepartmentsModel", "Presence"),
        QT_TRANSLATE_NOOP("DepartmentsModel", "Contact"),
        QT_TRANSLATE_NOOP("DepartmentsModel", "Phone"),
        QT_TRANSLATE_NOOP("DepartmentsModel", "Rota"),
        QT_TRANSLATE_NOOP("DepartmentsModel", "Mediators"),
        QT_TRANSLATE_NOOP("DepartmentsModel", "Status"),
    )

    def display(self, row: DepartmentInfo, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_PRESENCE:
            return presence_text(row.presence)
        if column == self.COL_CONTACT:
            return row.contact_person
        if column == self.COL_PHONE:
            return row.contact_phone
        if column == self.COL_ROTA:
            return " ".join(row.rota.split())
        if column == self.COL_MEDIATORS:
            return str(len(row.mediator_names)) if row.mediator_names else ""
        return active_text(row.active)

    def tooltip(self, row: DepartmentInfo, column: int) -> str | None:
        if column == self.COL_MEDIATORS and row.mediator_names:
            return joined(row.mediator_names)
        if column == self.COL_ROTA and row.rota:
            return row.rota
        return super().tooltip(row, column)

    def sort_value(self, row: DepartmentInfo, column: int) -> Any:
        if column == self.COL_MEDIATORS:
            return len(row.mediator_names)
        return super().sort_value(row, column)


class TeamsModel(OrgTableModel[TeamInfo]):
    CONTEXT = "TeamsModel"
    COL_NAME, COL_LEAD, COL_MEMBERS, COL_TYPES, COL_OPEN, COL_STATUS = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("TeamsModel", "Team"),
        QT_TRANSLATE_NOOP("TeamsModel", "Lead"),
        QT_TRANSLATE_NOOP("TeamsModel", "Members"),
        QT_TRANSLATE_NOOP("TeamsModel", "Dispute types"),
        QT_TRANSLATE_NOOP("TeamsModel", "Open cases"),
        QT_TRANSLATE_NOOP("TeamsModel", "Status"),
    )

    def display(self, row: TeamInfo, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_LEAD:
            return row.lead_name
        if column == self.COL_MEMBERS:
            return joined(row.member_names)
        if column == self.COL_TYPES:
            return joined(row.dispute_types)
        if column == self.COL_OPEN:
            return str(row.open_cases)
        return active_text(row.active)

    def sort_value(self, row: TeamInfo, column: int) -> Any:
        if column == self.COL_OPEN:
            return row.open_cases
        if column == self.COL_MEMBERS:
            return len(row.member_ids)
        return super().sort_value(row, column)


class MediatorsModel(OrgTableModel[MediatorInfo]):
    CONTEXT = "MediatorsModel"
    COL_NAME, COL_KIND, COL_DEPARTMENT, COL_TEAMS, COL_PHONE, COL_SPECIALTIES, COL_OPEN, COL_STATUS = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("MediatorsModel", "Name"),
        QT_TRANSLATE_NOOP("MediatorsModel", "Kind"),
        QT_TRANSLATE_NOOP("MediatorsModel", "Department"),
        QT_TRANSLATE_NOOP("MediatorsModel", "Teams"),
        QT_TRANSLATE_NOOP("MediatorsModel", "Phone"),
        QT_TRANSLATE_NOOP("MediatorsModel", "Specialties"),
        QT_TRANSLATE_NOOP("MediatorsModel", "Open cases"),
        QT_TRANSLATE_NOOP("MediatorsModel", "Status"),
    )

    def display(self, row: MediatorInfo, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_KIND:
            return kind_text(row.kind)
        if column == self.COL_DEPARTMENT:
            return row.department_name
        if column == self.COL_TEAMS:
            return joined(row.team_names)
        if column == self.COL_PHONE:
            return row.phone
        if column == self.COL_SPECIALTIES:
            return row.specialties
        if column == self.COL_OPEN:
            return str(row.open_cases) if row.open_cases else ""
        return active_text(row.active)

    def sort_value(self, row: MediatorInfo, column: int) -> Any:
        if column == self.COL_OPEN:
            return row.open_cases
        return super().sort_value(row, column)


@dataclass(frozen=True)
class CheckItem:
    id: int
    text: str
    #: Shown grey (an inactive dispute type a team still names).
    muted: bool = False


class ChecklistModel(QAbstractListModel):
    """A list of things to tick (a team's dispute types, its members)."""

    #: The ticked ids changed by the user (not by ``set_items``/``set_checked``).
    checked_changed = Signal()
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[CheckItem] = []
        self._checked: set[int] = set()
        self._editable = True

    def set_items(self, items: Sequence[CheckItem], checked: Iterable[int] = ()) -> None:
        self.beginResetModel()
        self._items = list(items)
        known = {i.id for i in self._items}
        self._checked = {i for i in checked if i in known}
        self.endResetModel()

    def set_checked(self, ids: Iterable[int]) -> None:
        known = {i.id for i in self._items}
        self._checked = {i for i in ids if i in known}
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1),
                                  [Qt.ItemDataRole.CheckStateRole])

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))

    def checked_ids(self) -> list[int]:
        """The ticked ids in the order of the list."""
        return [i.id for i in self._items if i.id in self._checked]

    def items(self) -> list[CheckItem]:
        return list(self._items)

    def row_of(self, item_id: int) -> int | None:
        return next((r for r, i in enumerate(self._items) if i.id == item_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren | Qt.ItemFlag.ItemIsUserCheckable
        if self._editable:
            flags |= Qt.ItemFlag.ItemIsEnabled
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
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
        if (role != Qt.ItemDataRole.CheckStateRole or not index.isValid()
                or not 0 <= index.row() < len(self._items) or not self._editable):
            return False
        item = self._items[index.row()]
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        if (state == Qt.CheckState.Checked) == (item.id in self._checked):
            return True
        if state == Qt.CheckState.Checked:
            self._checked.add(item.id)
        else:
            self._checked.discard(item.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()
        return True
