"""The one date field of the application: a line edit the clerk types a date into as they write
it (``2026-12-31``, ``2026/12/31``, ``20261231``, ``2026年12月31日`` …, read by
:mod:`mediation_desk.services.dates`), an optional calendar to pick from, and a red message under
it when the text cannot be read.

A spin-section editor (QDateEdit) turned what clerks typed into other days (``2026-12-31`` typed
into a ``yyyy-MM-dd`` section editor became 2026-12-12) and could not show why. This field never
changes what was typed: while the clerk types, a message can only go away; it is raised when they
leave the field or save. A form asks :meth:`DateField.check` before saving and stores nothing when
it fails.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from mediation_desk.services import dates
from mediation_desk.services.errors import InvalidInput
from mediation_desk.ui.common.widgets import ERROR_COLOUR, ImeLineEdit, named, tinted


class FieldKind(enum.Enum):
    DAY = "day"
    MONTH = "month"
    TIME = "time"


_PLACEHOLDERS = {FieldKind.DAY: "2026-12-31", FieldKind.MONTH: "2026-12", FieldKind.TIME: "14:30"}
#: The widest text the field should show whole.
_WIDEST = {FieldKind.DAY: "２０２６年１２月３１日", FieldKind.MONTH: "２０２６年１２月", FieldKind.TIME: "１４时３０分"}


class DateField(QWidget):
    """A day (or month, or time of day) typed as text. ``label`` is the field's name in messages
    ("回访日期"); ``optional`` fields may be left empty (value None)."""

    #: A new readable value was entered — Return, leaving the field, or a pick on the calendar
    #: (the value: a date, a time, or None for an emptied optional field).
    value_entered = Signal(object)
    #: Return was pressed in the field (after :attr:`value_entered`).
    returned = Signal()

    def __init__(self, name: str, label: str, *, kind: FieldKind = FieldKind.DAY, optional: bool = False,
                 earliest: date | None = None, latest: date | None = None, latest_is_today: bool = False,
                 popup: bool | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.kind = kind
        self.label = label
        self.optional = optional
        self.earliest: date | None = None
        self.latest: date | None = None
        self.latest_name = ""
        self._last: object = None
        self.line = named(ImeLineEdit(), f"{name}Text")
        self.line.setPlaceholderText(_PLACEHOLDERS[kind])
        self.line.setAccessibleName(label)
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance(_WIDEST[kind]) + 16)
        self.button: QToolButton | None = None
        #: The calendar of the popup, made when it first opens (:attr:`calendar`).
        self._calendar: QCalendarWidget | None = None
        self.error = tinted(named(QLabel(), f"{name}Error"), ERROR_COLOUR)  # hidden until a day is wrong
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        # Room for the message in a row of filters: a few lines, not a column of single words.
        self.error.setMinimumWidth(self.error.fontMetrics().horizontalAdvance("年" * 20))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.line, 1)
        if popup if popup is not None else kind is FieldKind.DAY:
            self.button = named(QToolButton(), f"{name}Calendar")
            self.button.setArrowType(Qt.ArrowType.DownArrow)
            self.button.setToolTip(self.tr("Choose on a calendar"))
            self.button.setAccessibleName(self.tr("Choose on a calendar"))
            self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            # The calendar itself is made when the menu first opens: it was two thirds of the
            # field's making (~2.5 of 3.6 ms), and a form has several fields whose calendar is
            # seldom opened (the transfer tab five: ~13 ms of its first show).
            menu = QMenu(self.button)
            menu.aboutToShow.connect(self._calendar_opens)
            self.button.setMenu(menu)
            row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.setFocusProxy(self.line)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_range(earliest, latest, today=latest_is_today)
        self.line.textChanged.connect(self._typed)
        self.line.left.connect(self._entered)
        self.line.returnPressed.connect(self._return)

    # ------------------------------------------------------------------ value

    def text(self) -> str:
        return self.line.text()

    def set_value(self, value: date | time | None) -> None:
        """Show ``value`` (None: empty) and forget any message; no :attr:`value_entered`."""
        if value is None:
            text = ""
        elif self.kind is FieldKind.TIME and isinstance(value, time):
            text = f"{value.hour:02d}:{value.minute:02d}"
        elif self.kind is FieldKind.MONTH and isinstance(value, date):
            text = dates.format_month(value)
        elif isinstance(value, date):
            text = dates.format_day(value)
        else:
            raise TypeError(f"not a value of a {self.kind.value} field: {value!r}")
        self.line.setText(text)
        self._last = value
        self.clear_error()

    def set_range(self, earliest: date | None, latest: date | None, *, today: bool = False) -> None:
        """Days outside [earliest, latest] are refused with a message saying the range (``today``:
        the last day is today, and the message says so)."""
        self.earliest, self.latest = earliest, latest
        self.latest_name = self.tr("today") if today and latest is not None else ""
        if self._calendar is not None:
            self._set_calendar_range(self._calendar)

    def _set_calendar_range(self, calendar: QCalendarWidget) -> None:
        earliest, latest = self.earliest, self.latest
        calendar.setDateRange(QDate(1752, 9, 14) if earliest is None else _qdate(earliest),
                              QDate(9999, 12, 31) if latest is None else _qdate(latest))

    @property
    def calendar(self) -> QCalendarWidget | None:
        """The popup's calendar (None for a field without one), made when first asked for: when
        the popup first opens."""
        if self._calendar is None and self.button is not None and self.button.menu() is not None:
            calendar = self._calendar = named(QCalendarWidget(), f"{self.objectName()}Popup")
            calendar.setGridVisible(True)
            self._set_calendar_range(calendar)
            menu = self.button.menu()
            action = QWidgetAction(menu)
            action.setDefaultWidget(calendar)
            menu.addAction(action)
            calendar.clicked.connect(self._picked)
            calendar.activated.connect(self._picked)
        return self._calendar

    def value(self) -> date | time | None:
        """What the field holds, read now; raises :class:`InvalidInput` (shown nowhere) when it
        cannot be read or lies out of range. An empty optional field is None."""
        text = self.line.text()
        if not text.strip() and self.optional:
            return None
        if self.kind is FieldKind.TIME:
            return dates.parse_time(text, field=self.objectName(), label=self.label)
        if self.kind is FieldKind.MONTH:
            return dates.parse_month(text, field=self.objectName(), label=self.label, earliest=self.earliest,
                                     latest=self.latest)
        return dates.parse_day(text, field=self.objectName(), label=self.label, earliest=self.earliest,
                               latest=self.latest, latest_name=self.latest_name)

    def day(self) -> date | None:
        """:meth:`value` of a day or month field."""
        value = self.value()
        assert value is None or isinstance(value, date)
        return value

    def moment(self) -> time | None:
        """:meth:`value` of a time field."""
        value = self.value()
        assert value is None or isinstance(value, time)
        return value

    def check(self) -> bool:
        """Read the field now: show the message under it and say False when it cannot be read."""
        try:
            self.value()
        except InvalidInput as exc:
            self.show_error(exc.message)
            return False
        self.clear_error()
        return True

    # ------------------------------------------------------------------ message

    @property
    def message(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.line.setAccessibleDescription(message)
        self.line.setStyleSheet("QLineEdit { border: 1px solid #c62828; }")

    def clear_error(self) -> None:
        if self.error.isHidden():
            return
        self.error.clear()
        self.error.hide()
        self.line.setAccessibleDescription("")
        self.line.setStyleSheet("")

    # ------------------------------------------------------------------ events

    def _typed(self, _text: str) -> None:
        # While typing a message can only go away (the value became right), never appear.
        if not self.error.isHidden() and not self.line.composing:
            try:
                self.value()
            except InvalidInput:
                return
            self.clear_error()

    def _entered(self) -> None:
        """The clerk left the field or pressed Return: judge it, and announce a new value."""
        if not self.isEnabled() or self.line.isReadOnly():
            return
        try:
            value = self.value()
        except InvalidInput as exc:
            self.show_error(exc.message)
            return
        self.clear_error()
        if value != self._last:
            self._last = value
            self.value_entered.emit(value)

    def _return(self) -> None:
        self._entered()
        self.returned.emit()

    def _calendar_opens(self) -> None:
        calendar = self.calendar  # made now on the first opening
        assert calendar is not None
        try:
            value = self.value()
        except InvalidInput:
            value = None
        if isinstance(value, date):
            calendar.setSelectedDate(_qdate(value))

    def _picked(self, picked: QDate) -> None:
        if self.button is not None and self.button.menu() is not None:
            self.button.menu().close()
        self.line.setText(dates.format_day(date(picked.year(), picked.month(), picked.day())))
        self._entered()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def first_problem(fields: list[DateField]) -> DateField | None:
    """Check every field (each shows its own message); the first that cannot be read, focused."""
    bad = [f for f in fields if not f.check()]
    if bad:
        bad[0].line.setFocus()
        return bad[0]
    return None



class DateTimeField(QWidget):
    """A day and a time of day side by side (when a session was held): two :class:`DateField`,
    so the day takes every form a day field takes and the time ``14:30`` or ``14时30分``."""

    #: The clerk typed in either part.
    edited = Signal()

    def __init__(self, name: str, day_label: str, time_label: str, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.day_field = DateField(f"{name}Date", day_label, earliest=date(2000, 1, 1))
        self.time_field = DateField(f"{name}Time", time_label, kind=FieldKind.TIME)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.day_field, 3)
        layout.addWidget(self.time_field, 2)
        layout.addStretch(1)
        self.setFocusProxy(self.day_field)
        for part in (self.day_field, self.time_field):
            part.line.textEdited.connect(lambda _text: self.edited.emit())

    def set_latest_day(self, latest: date | None) -> None:
        self.day_field.set_range(date(2000, 1, 1), latest, today=latest is not None)

    def set_value(self, moment: datetime) -> None:
        self.day_field.set_value(moment.date())
        self.time_field.set_value(moment.time())

    def value(self) -> datetime:
        """Raises :class:`InvalidInput` when either part cannot be read."""
        day, moment = self.day_field.day(), self.time_field.moment()
        assert day is not None and moment is not None
        return datetime.combine(day, moment)

    def check(self) -> bool:
        """Check both parts (each shows its message); the first that fails gets the focus."""
        return first_problem([self.day_field, self.time_field]) is None
