"""The desk's sessions of today and tomorrow, by room (each room's sessions together, in time
order), with the calendar one click away. Double-click or Enter opens the case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mediation_desk.changes import Changes
from mediation_desk.readmodels.sessions import SessionInfo
from mediation_desk.services.sessions import CalendarPage
from mediation_desk.ui.common.format import TodayProvider
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskRunner
from mediation_desk.ui.common.widgets import list_table, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor


class DeskSessionsModel(RowsModel[SessionInfo]):
    CONTEXT = "DeskSessionsModel"
    COL_ROOM, COL_DAY, COL_TIME, COL_NUMBER, COL_PARTIES, COL_MEDIATORS = range(6)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("DeskSessionsModel", "Room"),
        QT_TRANSLATE_NOOP("DeskSessionsModel", "Day"),
        QT_TRANSLATE_NOOP("DeskSessionsModel", "Time"),
        QT_TRANSLATE_NOOP("DeskSessionsModel", "Case number"),
        QT_TRANSLATE_NOOP("DeskSessionsModel", "Parties"),
        QT_TRANSLATE_NOOP("DeskSessionsModel", "Mediators"),
    )

    def __init__(self, today: TodayProvider, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = today

    def set_page(self, page: CalendarPage) -> None:
        order = {room.id: i for i, room in enumerate(page.rooms)}
        self.set_rows(sorted(page.sessions, key=lambda s: (order.get(s.room_id, len(order)), s.starts_at, s.id)))

    def text(self, row: SessionInfo, column: int) -> str:
        if column == self.COL_ROOM:
            return row.room_name
        if column == self.COL_DAY:
            day = row.starts_at.date()
            today = self._today()
            if day == today:
                return QCoreApplication.translate("DeskSessionsModel", "Today")
            if day == today + timedelta(days=1):
                return QCoreApplication.translate("DeskSessionsModel", "Tomorrow")
            return f"{day.month}月{day.day}日"
        if column == self.COL_TIME:
            end = f"{row.ends_at:%H:%M}" if row.ends_at.date() == row.starts_at.date() else \
                f"{row.ends_at.month}月{row.ends_at.day}日 {row.ends_at:%H:%M}"
            return f"{row.starts_at:%H:%M}–{end}"
        if column == self.COL_NUMBER:
            return row.case_number
        if column == self.COL_PARTIES:
            return "、".join(p.name for p in row.parties)
        return "、".join(row.mediator_names)


class DeskSessionsPanel(LoadedPage[CalendarPage]):
    """Today's and tomorrow's sessions (``services.sessions.calendar_page`` over two days)."""

    open_case = Signal(int)
    open_calendar = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None, load: bool = True) -> None:
        super().__init__(runner, parent, error_name="deskSessionsError")
        self.setObjectName("deskSessionsPanel")
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._reading_day = self._today()
        self.model = DeskSessionsModel(lambda: self._reading_day, self)
        self.table = list_table(self.model, "deskSessionsTable", {
            DeskSessionsModel.COL_ROOM: 84, DeskSessionsModel.COL_DAY: 44, DeskSessionsModel.COL_TIME: 92,
            DeskSessionsModel.COL_NUMBER: 176, DeskSessionsModel.COL_PARTIES: 120})
        self.summary_label = named(QLabel(), "deskSessionsSummary")
        self.calendar_button = named(QPushButton(self.tr("Calendar…")), "deskCalendarButton")
        self.calendar_button.setToolTip(self.tr("Sessions by room, a week or a day at a time"))
        self.box = named(QGroupBox(self.tr("Sessions today and tomorrow")), "deskSessionsBox")
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.calendar_button)
        box_layout = QVBoxLayout(self.box)
        box_layout.addLayout(top)
        box_layout.addWidget(self.table)
        box_layout.addWidget(self.load_error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.calendar_button.clicked.connect(self.open_calendar)
        if load:  # the desk reads it after its own due list has been painted (DeskPanel)
            self.reload()

    def set_today(self, today: TodayProvider) -> None:
        self._today = today
        self.reload()

    def reload(self) -> None:
        self._reading_day = self._today()
        super().reload()

    def reader(self) -> Callable[[Session], CalendarPage]:
        actor, day = self._actor, self._reading_day

        def load(session: Session) -> CalendarPage:
            from mediation_desk.services import sessions

            return sessions.calendar_page(session, actor, day, 2)

        return load

    def concerns(self, changes: Changes) -> bool:
        return bool(changes.case_ids or changes.case_list or changes.organisation)

    def show_page(self, page: CalendarPage) -> None:
        self.model.set_page(page)
        today = sum(1 for s in page.sessions if s.starts_at.date() <= page.start)
        self.summary_label.setText(self.tr("{today} today, {tomorrow} tomorrow").format(
            today=today, tomorrow=len(page.sessions) - today))

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        case_id = index.data(RowsModel.CaseIdRole) if index.isValid() else None
        if isinstance(case_id, int):
            self.open_case.emit(case_id)
