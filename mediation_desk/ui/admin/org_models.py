"""Item models of the organisation screens: the departments, teams and mediators tables.

The lists are small (a center has a dozen departments, a handful of teams, a few dozen
mediators), so each model holds all its rows; inactive rows are hidden unless asked for and
shown grey when they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from mediation_desk.models import CenterLevel, MediatorKind, PresenceMode
from mediation_desk.services.centers import CenterInfo
from mediation_desk.services.organisation import DepartmentInfo, MediatorInfo, TeamInfo
from mediation_desk.ui.common.format import FINAL_COLOUR
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import RowsModel

R = TypeVar("R", bound=DepartmentInfo | TeamInfo | MediatorInfo | CenterInfo)

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


_LEVEL_SOURCES = {
    CenterLevel.COUNTY: QT_TRANSLATE_NOOP("CenterLevel", "County"),
    CenterLevel.TOWNSHIP: QT_TRANSLATE_NOOP("CenterLevel", "Township"),
    CenterLevel.VILLAGE: QT_TRANSLATE_NOOP("CenterLevel", "Village"),
}


def level_text(level: CenterLevel) -> str:
    return QCoreApplication.translate("CenterLevel", _LEVEL_SOURCES[level])


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


class OrgTableModel(RowsModel[R]):
    """Rows of one kind, with a status column; inactive rows hidden unless ``show_inactive``."""

    CONTEXT: ClassVar[str] = "OrgTableModel"
    #: A value to sort by (numbers as numbers); after :class:`RowsModel`'s own roles.
    SortRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[R] = []
        self._show_inactive = False

    # ------------------------------------------------------------------ rows

    def set_rows(self, rows: Sequence[R]) -> None:
        self._all = list(rows)
        super().set_rows([r for r in self._all if self._show_inactive or r.active])

    def set_show_inactive(self, show: bool) -> None:
        if show != self._show_inactive:
            self._show_inactive = show
            self.set_rows(self._all)

    @property
    def show_inactive(self) -> bool:
        return self._show_inactive

    def row_of(self, item_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == item_id), None)

    def find(self, item_id: int) -> R | None:
        """A row by id, hidden or not."""
        return next((r for r in self._all if r.id == item_id), None)

    def all_rows(self) -> list[R]:
        return list(self._all)

    def hidden_count(self) -> int:
        return len(self._all) - len(self._rows)

    # ------------------------------------------------------------------ cells

    def tooltip(self, row: R, column: int) -> str | None:
        text = self.text(row, column)
        return text if len(text) > 12 else None

    def cell(self, row: R, column: int, role: int) -> Any:
        if role == self.SortRole:
            return self.sort_value(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(QColor(FINAL_COLOUR))
        return None

    def sort_value(self, row: R, column: int) -> Any:
        return self.text(row, column)


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

    def text(self, row: DepartmentInfo, column: int) -> str:
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

    def text(self, row: TeamInfo, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_LEAD:
            return row.lead_name
        if column == self.COL_MEMBERS:
            return joined(row.member_names)
        if column == self.COL_TYPES:
            return joined(row.dispute_types)
        if column == self.COL_OPEN:
            return f"{row.open_cases:,}"  # in digit groups: a county team's 72,616
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

    def text(self, row: MediatorInfo, column: int) -> str:
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
            return f"{row.open_cases:,}" if row.open_cases else ""
        return active_text(row.active)

    def sort_value(self, row: MediatorInfo, column: int) -> Any:
        if column == self.COL_OPEN:
            return row.open_cases
        return super().sort_value(row, column)


class CentersModel(OrgTableModel[CenterInfo]):
    """The centers of the county (docs/centers.md), each below its parent, indented."""

    CONTEXT = "CentersModel"
    COL_NAME, COL_LEVEL, COL_PARENT, COL_PREFIX, COL_STATUS = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("CentersModel", "Center"),
        QT_TRANSLATE_NOOP("CentersModel", "Level"),
        QT_TRANSLATE_NOOP("CentersModel", "Parent"),
        QT_TRANSLATE_NOOP("CentersModel", "Case-number prefix"),
        QT_TRANSLATE_NOOP("CentersModel", "Status"),
    )

    def text(self, row: CenterInfo, column: int) -> str:
        if column == self.COL_NAME:
            return "\u3000" * row.depth + row.name
        if column == self.COL_LEVEL:
            return level_text(row.level)
        if column == self.COL_PARENT:
            return row.parent_name
        if column == self.COL_PREFIX:
            return row.prefix
        return active_text(row.active)

    def sort_value(self, row: CenterInfo, column: int) -> Any:
        if column == self.COL_NAME:
            return row.name
        return super().sort_value(row, column)
