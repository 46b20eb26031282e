"""The sessions calendar: a week by room (rooms down, days across) or a day by room (half-hour
slots down, rooms across). The model holds only the range on screen; moving to another week or
day reads that range (``services.sessions.calendar_page``) on the read lane.

Double-click or Enter on a session opens its case (:attr:`CalendarWindow.open_case`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.services.sessions import CalendarPage
from mediation_desk.ui.common.date_field import DateField
from mediation_desk.ui.common.format import TodayProvider
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.readmodels.sessions import RoomInfo, SessionInfo
    from mediation_desk.services.actor import Actor

#: The day view's slots, and the hours it shows at least (more when a session lies outside them).
SLOT = timedelta(minutes=30)
DAY_FROM = time(7, 0)
DAY_TO = time(21, 0)
#: Background of a booked slot, alternating so adjacent sessions are told apart.
BOOKED = ("#dbe9f7", "#e4f2dc")
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
#: Background of a day off (by the working-day calendar).
REST = "#f0f0f0"


class View(enum.Enum):
    DAY = "day"
    WEEK = "week"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _at(day: date, moment: time = time(0, 0)) -> datetime:
    return datetime.combine(day, moment)


class CalendarModel(QAbstractTableModel):
    """Rooms × days (week) or half-hour slots × rooms (day) over the sessions of one range."""

    #: The session of a cell (a :class:`SessionInfo`), or None.
    SessionRole = Qt.ItemDataRole.UserRole + 1
    #: The case of the cell's session.
    CaseIdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = View.WEEK
        self._day = date(2000, 1, 3)
        self._rooms: tuple[RoomInfo, ...] = ()
        self._sessions: tuple[SessionInfo, ...] = ()
        self._slots: list[datetime] = []
        #: (row, column) → the sessions of that cell, built once per page.
        self._cells: dict[tuple[int, int], list[SessionInfo]] = {}
        self._colour: dict[int, int] = {}
        self._rest: frozenset[date] = frozenset()

    # ------------------------------------------------------------------ content

    @property
    def view(self) -> View:
        return self._view

    @property
    def day(self) -> date:
        """The day shown (day view) or the Monday of the week shown."""
        return self._day

    def show(self, view: View, day: date, page: CalendarPage) -> None:
        self.beginResetModel()
        self._view = view
        self._day = day if view is View.DAY else monday_of(day)
        self._rooms = page.rooms
        self._sessions = page.sessions
        self._rest = page.rest_days
        self._colour = {s.id: i % len(BOOKED) for i, s in enumerate(page.sessions)}
        self._build()
        self.endResetModel()

    def _build(self) -> None:
        self._cells = {}
        column_of = {room.id: i for i, room in enumerate(self._rooms)}
        if self._view is View.WEEK:
            self._slots = []
            for info in self._sessions:
                room = column_of.get(info.room_id)
                if room is None:
                    continue
                for offset in range(7):
                    day = self._day + timedelta(days=offset)
                    if info.starts_at < _at(day + timedelta(days=1)) and info.ends_at > _at(day):
                        self._cells.setdefault((room, offset), []).append(info)
            return
        begin, end = _at(self._day, DAY_FROM), _at(self._day, DAY_TO)
        day_start, day_end = _at(self._day), _at(self._day + timedelta(days=1))
        for info in self._sessions:
            begin = min(begin, max(info.starts_at, day_start))
            end = max(end, min(info.ends_at, day_end))
        first = day_start + SLOT * ((begin - day_start) // SLOT)
        slots = []
        moment = first
        while moment < end:
            slots.append(moment)
            moment += SLOT
        self._slots = slots
        for info in self._sessions:
            room = column_of.get(info.room_id)
            if room is None:
                continue
            for row, slot in enumerate(slots):
                if info.starts_at < slot + SLOT and info.ends_at > slot:
                    self._cells.setdefault((row, room), []).append(info)

    def sessions_at(self, row: int, column: int) -> list[SessionInfo]:
        return list(self._cells.get((row, column), []))

    def cell_of(self, session_id: int) -> tuple[int, int] | None:
        """The first cell showing a session (its start)."""
        found = [key for key, infos in self._cells.items() if any(i.id == session_id for i in infos)]
        return min(found) if found else None

    # ------------------------------------------------------------------ the model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._rooms) if self._view is View.WEEK else len(self._slots)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return 7 if self._view is View.WEEK else len(self._rooms)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        rooms_along = (orientation == Qt.Orientation.Vertical) == (self._view is View.WEEK)
        if rooms_along:
            if not 0 <= section < len(self._rooms):
                return None
            room = self._rooms[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return QCoreApplication.translate("CalendarModel", "{room}: {n} people{where}").format(
                    room=room.name, n=room.capacity, where=f"，{room.location}" if room.location else "")
            return room.name
        if self._view is View.WEEK:
            if not 0 <= section < 7:
                return None
            day = self._day + timedelta(days=section)
            rest = QCoreApplication.translate("CalendarModel", " (day off)") if day in self._rest else ""
            return f"周{WEEKDAYS[day.weekday()]} {day.month}/{day.day}{rest}"
        if not 0 <= section < len(self._slots):
            return None
        slot = self._slots[section]
        return f"{slot:%H:%M}" if slot.date() == self._day else f"{slot.day}日 {slot:%H:%M}"

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount() or index.column() >= self.columnCount():
            return None
        infos = self._cells.get((index.row(), index.column()), [])
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), infos)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n\n".join(self._tooltip(i) for i in infos) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            if infos:
                return QBrush(QColor(BOOKED[self._colour.get(infos[0].id, 0)]))
            day = self._day + timedelta(days=index.column()) if self._view is View.WEEK else self._day
            return QBrush(QColor(REST)) if day in self._rest else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if role == self.SessionRole:
            return infos[0] if infos else None
        if role == self.CaseIdRole:
            return infos[0].case_id if infos else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return "；".join(self._tooltip(i) for i in infos) or None
        return None

    def _text(self, row: int, infos: list[SessionInfo]) -> str:
        if not infos:
            return ""
        if self._view is View.WEEK:
            return "\n".join(f"{i.starts_at:%H:%M}–{i.ends_at:%H:%M} {i.case_number}\n{'、'.join(i.mediator_names)}："
                             f"{'、'.join(p.name for p in i.parties)}" for i in infos)
        slot = self._slots[row]
        lines = []
        for info in infos:
            if info.starts_at >= slot or row == 0:  # a session's first slot (or the top of the day)
                lines.append(f"{info.starts_at:%H:%M}–{info.ends_at:%H:%M} {info.case_number} {info.case_title}")
            elif row > 0 and info.starts_at >= self._slots[row - 1]:  # its second: who
                lines.append(QCoreApplication.translate("CalendarModel", "Mediators: {names}").format(
                    names="、".join(info.mediator_names)) + "  " + QCoreApplication.translate(
                    "CalendarModel", "Parties: {names}").format(names="、".join(p.name for p in info.parties)))
            else:
                lines.append("┊")
        return "\n".join(lines)

    @staticmethod
    def _tooltip(info: SessionInfo) -> str:
        translate = QCoreApplication.translate
        parts = [f"{info.case_number} {info.case_title}", info.when(), info.room_name,
                 translate("CalendarModel", "Mediators: {names}").format(names="、".join(info.mediator_names)),
                 translate("CalendarModel", "Parties: {names}").format(names="、".join(p.name for p in info.parties))]
        if info.invited:
            parts.append(translate("CalendarModel", "Invited: {names}").format(names=info.participants_text()))
        return "\n".join(parts)


class CalendarView(LoadedPage[CalendarPage]):
    """The calendar with its controls: day or week, earlier, today, later, a day to go to, the rooms
    (for the head and the administrator) and a mediator's sessions as an iCalendar file."""

    open_case = Signal(int)
    #: The head or the administrator asked to set up the rooms.
    rooms_requested = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(runner, parent, error_name="calendarError")
        self.setObjectName("sessionsCalendar")
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._view = View.WEEK
        self._day = self._today()
        self._reading: tuple[View, date] = (self._view, self._day)
        self.mediators: list[tuple[int, str]] = []

        self.model = CalendarModel(self)
        self.table = named(QTableView(), "calendarTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.day_button = named(QPushButton(self.tr("Day")), "calendarDay")
        self.week_button = named(QPushButton(self.tr("Week")), "calendarWeek")
        self.day_button.setToolTip(self.tr("One day by room (Ctrl+D)"))
        self.week_button.setToolTip(self.tr("One week by room (Ctrl+W)"))
        group = QButtonGroup(self)
        for button in (self.day_button, self.week_button):
            button.setCheckable(True)
            group.addButton(button)
        self.week_button.setChecked(True)
        self.previous_button = named(QPushButton(self.tr("◀ Earlier")), "calendarPrevious")
        self.previous_button.setToolTip(self.tr("Earlier (Page Up)"))
        self.today_button = named(QPushButton(self.tr("Today")), "calendarToday")
        self.next_button = named(QPushButton(self.tr("Later ▶")), "calendarNext")
        self.next_button.setToolTip(self.tr("Later (Page Down)"))
        self.go_field = DateField("calendarGo", self.tr("Go to day"))
        self.range_label = named(QLabel(), "calendarRange")
        font = self.range_label.font()
        font.setBold(True)
        self.range_label.setFont(font)
        self.rooms_button = named(QPushButton(self.tr("Rooms…")), "calendarRooms")
        self.rooms_button.setVisible(actor.role.value in ("head", "admin"))
        self.mediator_combo = named(QComboBox(), "icsMediator")
        self.mediator_combo.setAccessibleName(self.tr("Mediator"))
        self.ics_button = named(QPushButton(self.tr("Export sessions (.ics)…")), "calendarIcs")
        self.ics_button.setToolTip(self.tr("The mediator's sessions of the next 90 days as a calendar file"))
        self.status_label = named(QLabel(), "calendarStatus")
        self.status_label.setWordWrap(True)
        self.status_label.hide()

        top = QHBoxLayout()
        for widget in (self.day_button, self.week_button, self.previous_button, self.today_button,
                       self.next_button):
            top.addWidget(widget)
        top.addWidget(self.go_field)
        top.addWidget(self.range_label, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.rooms_button)
        bottom.addStretch(1)
        bottom.addWidget(QLabel(self.tr("Mediator:")))
        bottom.addWidget(self.mediator_combo)
        bottom.addWidget(self.ics_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.load_error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(bottom)

        self.day_button.clicked.connect(lambda: self.set_view(View.DAY))
        self.week_button.clicked.connect(lambda: self.set_view(View.WEEK))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(lambda: self.go_to(self._today()))
        self.go_field.value_entered.connect(self._go_entered)
        self.rooms_button.clicked.connect(self.rooms_requested)
        self.ics_button.clicked.connect(self._ask_ics_file)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        for keys, slot in ((QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_D), lambda: self.set_view(View.DAY)),
                           (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W), lambda: self.set_view(View.WEEK)),
                           (QKeySequence(Qt.Key.Key_PageUp), lambda: self.step(-1)),
                           (QKeySequence(Qt.Key.Key_PageDown), lambda: self.step(1))):
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._load_mediators()
        self.reload()

    # ------------------------------------------------------------------ navigation

    @property
    def view(self) -> View:
        return self._view

    @property
    def day(self) -> date:
        return self._day

    def set_view(self, view: View) -> None:
        self._view = view
        (self.day_button if view is View.DAY else self.week_button).setChecked(True)
        self.reload()

    def go_to(self, day: date) -> None:
        self._day = day
        self.reload()

    def step(self, steps: int) -> None:
        self._day += timedelta(days=steps * (1 if self._view is View.DAY else 7))
        self.reload()

    def _go_entered(self, value: object) -> None:
        if isinstance(value, date):
            self.go_to(value)

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        # What to read is taken here, on the GUI thread: load() runs on a worker.
        self._reading = (self._view, self._day)
        super().reload()

    def reader(self) -> Callable[[Session], CalendarPage]:
        actor, (view, day) = self._actor, self._reading
        first, days = (day, 1) if view is View.DAY else (monday_of(day), 7)

        def load(session: Session) -> CalendarPage:
            from mediation_desk.services import sessions

            return sessions.calendar_page(session, actor, first, days)

        return load

    def concerns(self, changes: Changes) -> bool:
        return bool(changes.case_ids or changes.case_list or changes.organisation)

    def show_page(self, page: CalendarPage) -> None:
        view, day = self._reading
        self.model.show(view, day, page)
        # A week's few rooms share the height; a day's many slots keep their own.
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch if view is View.WEEK and len(page.rooms) <= 6
            else QHeaderView.ResizeMode.ResizeToContents)
        if view is View.DAY:
            text = f"{day.year}年{day.month}月{day.day}日 周{WEEKDAYS[day.weekday()]}"
            if day in page.rest_days:
                text += self.tr(" (day off)")
        else:
            end = page.start + timedelta(days=6)
            text = f"{page.start.year}年{page.start.month}月{page.start.day}日 — {end.month}月{end.day}日"
        count = len(page.sessions)
        self.range_label.setText(self.tr("{range}: {n} sessions").format(range=text, n=f"{count:,}"))
        if not page.rooms:
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText(self.tr("No mediation room is set up yet: the head or the administrator "
                                              "adds them under Rooms…"))
            self.status_label.show()

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        case_id = index.data(CalendarModel.CaseIdRole) if index.isValid() else None
        if isinstance(case_id, int):
            self.open_case.emit(case_id)

    # ------------------------------------------------------------------ iCalendar

    def _load_mediators(self) -> None:
        from mediation_desk.services import sessions

        actor = self._actor

        def work(session: Session) -> list[tuple[int, str]]:
            return [(c.id, c.text) for c in sessions.ics_mediators(session, actor)]

        def arrived(rows: list[tuple[int, str]]) -> None:
            self.mediators = rows
            self.mediator_combo.clear()
            for mediator_id, name in rows:
                self.mediator_combo.addItem(name, mediator_id)
            own = self.mediator_combo.findData(actor.mediator_id) if actor.mediator_id is not None else -1
            if own >= 0:
                self.mediator_combo.setCurrentIndex(own)
            self.ics_button.setEnabled(bool(rows))

        self._runner.run_read(work, on_success=arrived)

    def _ask_ics_file(self) -> None:
        from mediation_desk.ui.common import file_dialogs

        mediator_id = self.mediator_combo.currentData()
        if not isinstance(mediator_id, int):
            return
        name = self.mediator_combo.currentText()
        path = file_dialogs.save_file_name(self, self.tr("Export sessions"), file_dialogs.PDF,
                                           f"{name}的调解会.ics", self.tr("iCalendar files (*.ics)"))
        if path:
            self.export_ics(mediator_id, path)

    def export_ics(self, mediator_id: int, path: str, *, days: int = 90) -> None:
        """Write the mediator's sessions from today for ``days`` days to ``path`` (a write: audited)."""
        from mediation_desk.files import write_atomically
        from mediation_desk.services import sessions

        actor, start = self._actor, self._today()

        def work(session: Session) -> int:
            data = sessions.mediator_ics(session, actor, mediator_id, start=start,
                                         end=start + timedelta(days=days - 1))
            write_atomically(path, data, private=False)
            return data.count(b"BEGIN:VEVENT")

        def done(count: int) -> None:
            self.status_label.setStyleSheet(OK_STYLE)
            self.status_label.setText(self.tr("{n} sessions written to {path}.").format(n=count, path=path))
            self.status_label.show()

        def failed(failure: TaskFailure) -> None:
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText(failure.message)
            self.status_label.show()

        self._runner.run_write(work, on_success=done, on_error=failed)


class CalendarWindow(QWidget):
    """The calendar in a window of its own, opened from the desk."""

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("calendarWindow")
        self.setWindowTitle(self.tr("Mediation sessions"))
        self.calendar = CalendarView(runner, actor, self, today=today)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calendar)
        self.resize(1200, 680)
