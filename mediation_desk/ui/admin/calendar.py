"""The calendar the clocks count on, and the limits they count: the administrator's screen (the
head reads it, and may change the time limits, which ``clocks.set_limit`` allows the head too).

- The holiday table by year: the built-in ``chinese-calendar`` schedule's days off and make-up
  working days (调休上班), marked built-in, beside the days the center entered — an entry wins over
  the built-in answer for its own day only. When the current or the next year is known to
  neither, a warning says so in red — deadlines then count Monday to Friday, which is wrong around
  every holiday — until that year's schedule is entered.
- The time limit of each clock stage, for all dispute types or overridden for one: days, working
  or calendar days, and how many days before the due date the clock turns yellow. Saving moves
  the clocks of the open cases it governs, and says how many.

After either change the stored clocks are recomputed, and the views hear ``Changes(settings=True)``
so that lists and the open case show the new colours.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.models import ClockColour, ClockStage
from mediation_desk.services import calendar, clocks, pages
from mediation_desk.services.calendar import HolidayEntry
from mediation_desk.services.clocks import DEFAULT_LIMITS
from mediation_desk.services.errors import InvalidInput
from mediation_desk.services.pages import CalendarPage, LimitRow, LimitsPage
from mediation_desk.ui.common.confirm import confirm_irreversible
from mediation_desk.ui.common.date_field import DateField, first_problem
from mediation_desk.ui.common.format import CLOCK_COLOURS, FINAL_COLOUR, TodayProvider, format_day
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, list_table, named
from mediation_desk.ui.sessions.rooms import RoomsDialog

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor

WARNING_STYLE = f"color: white; background-color: {CLOCK_COLOURS[ClockColour.RED]}; padding: 6px;"
#: The years the year box offers around today (back to what the library knows, ahead a few).
YEARS_AHEAD = 3
_WEEKDAYS = (
    QT_TRANSLATE_NOOP("HolidaysModel", "Monday"), QT_TRANSLATE_NOOP("HolidaysModel", "Tuesday"),
    QT_TRANSLATE_NOOP("HolidaysModel", "Wednesday"), QT_TRANSLATE_NOOP("HolidaysModel", "Thursday"),
    QT_TRANSLATE_NOOP("HolidaysModel", "Friday"), QT_TRANSLATE_NOOP("HolidaysModel", "Saturday"),
    QT_TRANSLATE_NOOP("HolidaysModel", "Sunday"),
)


class HolidaysModel(RowsModel[HolidayEntry]):
    CONTEXT = "HolidaysModel"
    COL_DATE, COL_WEEKDAY, COL_KIND, COL_NAME, COL_SOURCE = range(5)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("HolidaysModel", "Date"),
        QT_TRANSLATE_NOOP("HolidaysModel", "Weekday"),
        QT_TRANSLATE_NOOP("HolidaysModel", "Kind"),
        QT_TRANSLATE_NOOP("HolidaysModel", "Name"),
        QT_TRANSLATE_NOOP("HolidaysModel", "Source"),
    )

    def text(self, row: HolidayEntry, column: int) -> str:
        if column == self.COL_DATE:
            return format_day(row.day)
        if column == self.COL_WEEKDAY:
            return QCoreApplication.translate("HolidaysModel", _WEEKDAYS[row.day.weekday()])
        if column == self.COL_KIND:
            return (QCoreApplication.translate("HolidaysModel", "Make-up working day") if row.is_workday
                    else QCoreApplication.translate("HolidaysModel", "Day off"))
        if column == self.COL_SOURCE:
            return (QCoreApplication.translate("HolidaysModel", "Built in") if row.built_in
                    else QCoreApplication.translate("HolidaysModel", "Entered by the center"))
        return row.name

    def case_id(self, row: HolidayEntry) -> int | None:
        return None

    def cell(self, row: HolidayEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_KIND:
            return QBrush(QColor("#1565c0" if row.is_workday else "#c62828"))
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_SOURCE and row.built_in:
            return QBrush(QColor(FINAL_COLOUR))
        return None


_LIMIT_DAYS = {True: QT_TRANSLATE_NOOP("LimitsModel", "{days} working days"),
               False: QT_TRANSLATE_NOOP("LimitsModel", "{days} calendar days")}


class LimitsModel(RowsModel[LimitRow]):
    CONTEXT = "LimitsModel"
    COL_STAGE, COL_DAYS, COL_YELLOW, COL_SOURCE = range(4)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("LimitsModel", "Stage"),
        QT_TRANSLATE_NOOP("LimitsModel", "Time limit"),
        QT_TRANSLATE_NOOP("LimitsModel", "Turns yellow"),
        QT_TRANSLATE_NOOP("LimitsModel", "Set by"),
    )

    def text(self, row: LimitRow, column: int) -> str:
        limit = row.limit
        if column == self.COL_STAGE:
            return enum_text(row.stage)
        if column == self.COL_DAYS:
            return QCoreApplication.translate("LimitsModel", _LIMIT_DAYS[limit.working_days]).format(days=limit.days)
        if column == self.COL_YELLOW:
            return QCoreApplication.translate("LimitsModel", "{days} days before it is due").format(
                days=limit.yellow_days)
        if row.for_type:
            if limit != row.general:
                return QCoreApplication.translate("LimitsModel", "This dispute type")
            return QCoreApplication.translate("LimitsModel", "Same as all types")
        if limit == DEFAULT_LIMITS[row.stage]:
            return QCoreApplication.translate("LimitsModel", "Default")
        return QCoreApplication.translate("LimitsModel", "The center")

    def case_id(self, row: LimitRow) -> int | None:
        return None

    def cell(self, row: LimitRow, column: int, role: int) -> Any:
        inherited = row.limit == (row.general if row.for_type else DEFAULT_LIMITS[row.stage])
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_SOURCE and inherited:
            return QBrush(QColor(FINAL_COLOUR))
        return None


class CalendarPanel(QWidget):
    """Holiday table and time limits; editable by the administrator (limits: by the head too)."""

    #: The panel read its data again.
    loaded = Signal()

    def open_rooms(self) -> RoomsDialog:
        dialog = RoomsDialog(self._runner, self._actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarPanel")
        self._runner = runner
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._busy = False
        #: The question before holidays are entered, while it is open.
        self.confirm_box: QMessageBox | None = None
        self._generation = 0
        self._limits_generation = 0
        self._data: CalendarPage | None = None
        self.can_edit_holidays = pages.may_edit_holidays(actor)
        self.can_edit_limits = pages.may_edit_limits(actor)
        this_year = self._today().year

        self.uncovered_label = named(QLabel(), "uncoveredWarning")
        self.uncovered_label.setWordWrap(True)
        self.uncovered_label.setStyleSheet(WARNING_STYLE)
        self.uncovered_label.hide()

        # ---- holidays
        self.year_spin = named(QSpinBox(), "yearSpin")
        self.year_spin.setRange(min(calendar.LIBRARY_YEARS), this_year + YEARS_AHEAD)
        self.year_spin.setValue(this_year)
        self.coverage_label = named(QLabel(), "coverageLabel")
        self.coverage_label.setWordWrap(True)
        self.holidays_model = HolidaysModel(self)
        self.holidays_table = list_table(self.holidays_model, "holidaysTable", several=True)
        for column, width in ((HolidaysModel.COL_DATE, 110), (HolidaysModel.COL_WEEKDAY, 80),
                              (HolidaysModel.COL_KIND, 130), (HolidaysModel.COL_NAME, 110)):
            self.holidays_table.horizontalHeader().resizeSection(column, width)
        first_day, last_day = date(min(calendar.LIBRARY_YEARS), 1, 1), date(this_year + YEARS_AHEAD, 12, 31)
        self.from_edit = DateField("holidayFrom", self.tr("First day"), earliest=first_day, latest=last_day)
        self.to_edit = DateField("holidayTo", self.tr("Last day"), earliest=first_day, latest=last_day)
        for edit in (self.from_edit, self.to_edit):
            edit.set_value(self._today())
        self.kind_combo = named(QComboBox(), "holidayKind")
        self.kind_combo.addItem(self.tr("Day off"), False)
        self.kind_combo.addItem(self.tr("Make-up working day"), True)
        self.name_edit = named(QLineEdit(), "holidayName")
        self.name_edit.setPlaceholderText(self.tr("e.g. Spring Festival"))
        self.add_button = named(QPushButton(self.tr("Add")), "holidayAdd")
        self.remove_button = named(QPushButton(self.tr("Remove selected")), "holidayRemove")
        self.holiday_error = named(QLabel(), "holidayError")
        self.holiday_error.setStyleSheet(ERROR_STYLE)
        self.holiday_error.setWordWrap(True)
        self.holiday_error.hide()
        self.holiday_done = named(QLabel(), "holidayDone")
        self.holiday_done.setStyleSheet(OK_STYLE)
        self.holiday_done.setWordWrap(True)
        self.holiday_done.hide()

        year_row = QHBoxLayout()
        year_row.addWidget(QLabel(self.tr("Year")))
        year_row.addWidget(self.year_spin)
        year_row.addWidget(self.coverage_label, 1)
        form = QGridLayout()
        form.addWidget(QLabel(self.tr("From")), 0, 0)
        form.addWidget(self.from_edit, 0, 1)
        form.addWidget(QLabel(self.tr("to")), 0, 2)
        form.addWidget(self.to_edit, 0, 3)
        form.addWidget(self.kind_combo, 0, 4)
        form.addWidget(QLabel(self.tr("Name")), 1, 0)
        form.addWidget(self.name_edit, 1, 1, 1, 3)
        form.addWidget(self.add_button, 1, 4)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        self.holiday_form = QWidget()
        self.holiday_form.setLayout(form)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        self.holidays_box = named(QGroupBox(self.tr("Holidays and make-up working days")), "holidaysBox")
        holidays_layout = QVBoxLayout(self.holidays_box)
        holidays_layout.addLayout(year_row)
        holidays_layout.addWidget(self.holidays_table, 1)
        holidays_layout.addLayout(remove_row)
        holidays_layout.addWidget(self.holiday_form)
        holidays_layout.addWidget(self.holiday_error)
        holidays_layout.addWidget(self.holiday_done)
        self.holiday_form.setVisible(self.can_edit_holidays)
        self.remove_button.setVisible(self.can_edit_holidays)
        if not self.can_edit_holidays:
            note = QLabel(self.tr("Only the administrator can change the holiday table."))
            note.setStyleSheet(f"color: {FINAL_COLOUR};")
            holidays_layout.addWidget(note)

        # ---- time limits
        self.type_combo = named(QComboBox(), "limitType")
        self.type_combo.addItem(self.tr("All dispute types"), None)
        self.limits_model = LimitsModel(self)
        widths = {LimitsModel.COL_STAGE: 120, LimitsModel.COL_DAYS: 110, LimitsModel.COL_YELLOW: 150}
        self.limits_table = list_table(self.limits_model, "limitsTable", widths)
        self.days_spin = named(QSpinBox(), "limitDays")
        self.days_spin.setRange(1, 366)
        self.working_combo = named(QComboBox(), "limitKind")
        self.working_combo.addItem(self.tr("working days"), True)
        self.working_combo.addItem(self.tr("calendar days"), False)
        self.yellow_spin = named(QSpinBox(), "limitYellow")
        self.yellow_spin.setRange(0, 365)
        self.save_limit_button = named(QPushButton(self.tr("Save limit")), "limitSave")
        self.limit_error = named(QLabel(), "limitError")
        self.limit_error.setStyleSheet(ERROR_STYLE)
        self.limit_error.setWordWrap(True)
        self.limit_error.hide()
        self.limit_done = named(QLabel(), "limitDone")
        self.limit_done.setStyleSheet(OK_STYLE)
        self.limit_done.setWordWrap(True)
        self.limit_done.hide()
        type_row = QHBoxLayout()
        type_row.addWidget(QLabel(self.tr("Limits for")))
        type_row.addWidget(self.type_combo, 1)
        edit_row = QGridLayout()
        self.stage_caption = named(QLabel(), "limitStage")
        edit_row.addWidget(self.stage_caption, 0, 0, 1, 4)
        edit_row.addWidget(self.days_spin, 1, 0)
        edit_row.addWidget(self.working_combo, 1, 1)
        edit_row.addWidget(QLabel(self.tr("yellow from")), 1, 2)
        yellow = QHBoxLayout()
        yellow.addWidget(self.yellow_spin)
        yellow.addWidget(QLabel(self.tr("days before")))
        edit_row.addLayout(yellow, 1, 3)
        edit_row.addWidget(self.save_limit_button, 1, 4)
        self.limit_form = QWidget()
        self.limit_form.setLayout(edit_row)
        self.limits_box = named(QGroupBox(self.tr("Time limits")), "limitsBox")
        limits_layout = QVBoxLayout(self.limits_box)
        limits_layout.addLayout(type_row)
        limits_layout.addWidget(self.limits_table, 1)
        limits_layout.addWidget(self.limit_form)
        limits_layout.addWidget(self.limit_error)
        limits_layout.addWidget(self.limit_done)
        self.limit_form.setVisible(self.can_edit_limits)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.holidays_box)
        splitter.addWidget(self.limits_box)
        splitter.setChildrenCollapsible(False)
        # The center's mediation rooms (调解室) are set up here too: the administrator has no desk.
        self.rooms_button = named(QPushButton(self.tr("Mediation rooms…")), "calendarRoomsButton")
        self.rooms_button.clicked.connect(self.open_rooms)
        top = QHBoxLayout()
        top.addWidget(self.uncovered_label, 1)
        top.addWidget(self.rooms_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.year_spin.valueChanged.connect(lambda _year: self.refresh())
        self.from_edit.value_entered.connect(self._from_changed)
        self.add_button.clicked.connect(lambda _checked=False: self.add_entries())
        self.name_edit.returnPressed.connect(self.add_entries)
        self.remove_button.clicked.connect(self.remove_selected)
        self.type_combo.currentIndexChanged.connect(lambda _index: self.refresh_limits())
        self.limits_table.selectionModel().selectionChanged.connect(lambda *_args: self._limit_selected())
        self.save_limit_button.clicked.connect(self.save_limit)
        runner.changed.connect(self._on_changed)
        self._limit_selected()
        self.refresh()
        self.refresh_limits()

    # ------------------------------------------------------------------ loading

    @property
    def data(self) -> CalendarPage | None:
        return self._data

    def show_year(self, year: int) -> None:
        self.year_spin.setValue(year)

    def refresh(self) -> None:
        self._generation += 1
        generation, actor, year, today = self._generation, self._actor, self.year_spin.value(), self._today()

        def work(session: Session) -> CalendarPage:
            return pages.calendar_page(session, actor, year, today)

        self._runner.run_read(work, on_success=lambda data: self._arrived(generation, data),
                              on_error=lambda failure: self._show(self.holiday_error, failure.message))

    def _arrived(self, generation: int, data: CalendarPage) -> None:
        if generation != self._generation:
            return
        self._data = data
        self.holidays_model.set_rows(sorted(data.entries + data.built_in, key=lambda entry: entry.day))
        if data.built_in and data.entries:
            text = self.tr("{year}: the State Council's schedule is built in ({built_in} days, marked “Built in”); "
                           "the {count} days the center entered replace the built-in answer on those days only.")
        elif data.built_in:
            text = self.tr("{year}: the State Council's schedule is built in ({built_in} days, marked “Built in”). "
                           "A day entered here replaces the built-in answer for that day only.")
        elif data.entries:
            text = self.tr("{year}: not built in; the {count} days the center entered are this year's schedule, "
                           "and the other days count Monday to Friday as working days.")
        else:
            text = self.tr("{year}: no schedule yet — Monday to Friday count as working days.")
        self.coverage_label.setText(text.format(year=data.year, count=len(data.entries),
                                                built_in=len(data.built_in)))
        self.coverage_label.setStyleSheet("" if data.source != "none" else ERROR_STYLE)
        if data.uncovered:
            years = self.tr(", ").join(str(y) for y in data.uncovered)
            message = self.tr("The holiday schedule for {years} has not been entered yet. Until it is, deadlines "
                              "in {years} count Monday to Friday as working days. Enter the State Council's "
                              "schedule, with its make-up working days, as soon as it is published.").format(
                years=years)
            if not data.may_edit_holidays:
                message += self.tr(" Ask the administrator to enter it.")
            self.uncovered_label.setText(message)
        self.uncovered_label.setVisible(bool(data.uncovered))
        current = self.type_combo.currentData()
        if self.type_combo.count() != len(data.dispute_types) + 1:
            self.type_combo.blockSignals(True)
            self.type_combo.clear()
            self.type_combo.addItem(self.tr("All dispute types"), None)
            for choice in data.dispute_types:
                self.type_combo.addItem(choice.name, choice.id)
            index = self.type_combo.findData(current)
            self.type_combo.setCurrentIndex(max(index, 0))
            self.type_combo.blockSignals(False)
        self.loaded.emit()

    def refresh_limits(self) -> None:
        self._limits_generation += 1
        generation, actor, type_id = self._limits_generation, self._actor, self.type_combo.currentData()
        type_id = type_id if isinstance(type_id, int) else None

        def work(session: Session) -> LimitsPage:
            return pages.limits_page(session, actor, type_id)

        def arrived(page: LimitsPage) -> None:
            if generation != self._limits_generation:
                return
            selected = self._selected_stage()
            self.limits_model.set_rows(page.rows)
            if selected is not None:
                self.select_stage(selected)
            self._limit_selected()

        self._runner.run_read(work, on_success=arrived,
                              on_error=lambda failure: self._show(self.limit_error, failure.message))

    def _on_changed(self, changes: Changes) -> None:
        if changes.settings:
            self.refresh()
            self.refresh_limits()

    # ------------------------------------------------------------------ holidays

    def _from_changed(self, value: object) -> None:
        """A first day after the last one moves the last one along (a one-day entry)."""
        try:
            last = self.to_edit.day()
        except InvalidInput:
            return  # the clerk is still to correct it; never overwrite what they typed
        if isinstance(value, date) and last is not None and last < value:
            self.to_edit.set_value(value)

    def add_entries(self, *, confirmed: bool = False) -> None:
        """Enter each day from … to with the kind and name (a whole 春节 week at once). The deadlines
        of every open case move with it, so it asks first."""
        if self._busy or not self.can_edit_holidays:
            return
        self.holiday_error.hide()
        self.holiday_done.hide()
        if first_problem([self.from_edit, self.to_edit]) is not None:
            return  # each field shows why; nothing is entered
        first, last = self.from_edit.day(), self.to_edit.day()
        assert first is not None and last is not None
        if last < first:
            self._show(self.holiday_error, self.tr("The last day is before the first."))
            return
        if (last - first).days > 31:
            self._show(self.holiday_error, self.tr("Enter at most a month at a time."))
            return
        is_workday, name, actor = bool(self.kind_combo.currentData()), self.name_edit.text(), self._actor
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        if not confirmed:
            kind = self.kind_combo.currentText()
            span = format_day(first) if first == last else self.tr("{first} to {last}").format(
                first=format_day(first), last=format_day(last))
            self.confirm_box = confirm_irreversible(
                self, self.tr("Enter holidays"),
                self.tr("{span} ({count} days) will be entered as “{kind}”{name}. The deadlines of every open case "
                        "are recalculated at once and the cases' clocks move.").format(
                    span=span, count=len(days), kind=kind, name=f"（{name}）" if name.strip() else ""),
                self.tr("Enter"), lambda: self.add_entries(confirmed=True))
            return

        def work(session: Session) -> int | None:
            for day in days:
                calendar.set_entry(session, actor, day, is_workday=is_workday, name=name)
            return clocks.recompute_clocks_for(session, actor)

        def done(moved: int | None) -> None:
            self._busy = False
            self.name_edit.clear()
            if moved is None:
                text = self.tr("{count} days entered.").format(count=len(days)) + " " + self._clocks_later()
            else:
                text = self.tr("{count} days entered; the clocks of {moved} cases were "
                               "recalculated.").format(count=len(days), moved=f"{moved:,}")
            self._show(self.holiday_done, text)
            if first.year != self.year_spin.value():
                self.year_spin.setValue(first.year)

        self._write(work, done, self.holiday_error)

    def remove_selected(self) -> None:
        if self._busy or not self.can_edit_holidays:
            return
        rows = sorted({index.row() for index in self.holidays_table.selectionModel().selectedRows()})
        chosen = [entry for entry in (self.holidays_model.row_at(r) for r in rows) if entry is not None]
        days = [entry.day for entry in chosen if not entry.built_in]
        if not days:
            if chosen:
                self._show(self.holiday_error, self.tr(
                    "The built-in days cannot be removed: enter the day with the right kind to replace it."))
            else:
                self._show(self.holiday_error, self.tr("Select the days to remove."))
            return
        actor = self._actor

        def work(session: Session) -> int | None:
            for day in days:
                calendar.remove_entry(session, actor, day)
            return clocks.recompute_clocks_for(session, actor)

        def done(moved: int | None) -> None:
            self._busy = False
            if moved is None:
                text = self.tr("{count} days removed.").format(count=len(days)) + " " + self._clocks_later()
            else:
                text = self.tr("{count} days removed; the clocks of {moved} cases were "
                               "recalculated.").format(count=len(days), moved=f"{moved:,}")
            self._show(self.holiday_done, text)

        self._write(work, done, self.holiday_error)

    # ------------------------------------------------------------------ limits

    def _selected_stage(self) -> ClockStage | None:
        index = self.limits_table.currentIndex()
        if not index.isValid() or not self.limits_table.selectionModel().isRowSelected(index.row()):
            return None
        row = self.limits_model.row_at(index.row())
        return row.stage if row is not None else None

    def select_stage(self, stage: ClockStage) -> None:
        row = next((i for i, r in enumerate(self.limits_model.rows) if r.stage is stage), None)
        if row is not None:
            self.limits_table.selectRow(row)

    def _update_limit_enabled(self) -> None:
        enabled = self._selected_stage() is not None and self.can_edit_limits and not self._busy
        for widget in (self.days_spin, self.working_combo, self.yellow_spin, self.save_limit_button):
            widget.setEnabled(enabled)

    def _limit_selected(self) -> None:
        """Fill the form with the selected stage's limit."""
        stage = self._selected_stage()
        row = next((r for r in self.limits_model.rows if r.stage is stage), None)
        self._update_limit_enabled()
        if row is None:
            self.stage_caption.setText(self.tr("Select a stage to change its limit."))
            return
        scope = self.type_combo.currentText()
        self.stage_caption.setText(self.tr("{stage} — {scope}").format(stage=enum_text(row.stage), scope=scope))
        self.days_spin.setValue(row.limit.days)
        self.working_combo.setCurrentIndex(self.working_combo.findData(row.limit.working_days))
        self.yellow_spin.setValue(row.limit.yellow_days)

    def save_limit(self) -> None:
        stage = self._selected_stage()
        if stage is None or self._busy or not self.can_edit_limits:
            return
        type_id = self.type_combo.currentData()
        type_id = type_id if isinstance(type_id, int) else None
        days, working, yellow = self.days_spin.value(), bool(self.working_combo.currentData()), self.yellow_spin.value()
        actor = self._actor

        def work(session: Session) -> int | None:
            return clocks.set_limit(session, actor, stage, days=days, working_days=working, yellow_days=yellow,
                                    dispute_type_id=type_id)

        def done(moved: int | None) -> None:
            self._busy = False
            if moved is None:
                text = self.tr("Saved.") + " " + self._clocks_later()
            else:
                text = self.tr("Saved. {count} open cases now run on the new limit.").format(count=f"{moved:,}")
            self._show(self.limit_done, text)
            self._limit_selected()

        self._write(work, done, self.limit_error)

    def _clocks_later(self) -> str:
        """The administrator on a center server reads no case: the clocks move at the next sign-in
        of the head (services.clocks.catch_up)."""
        return self.tr("The clocks of the open cases will be recalculated when the center head next signs in.")

    # ------------------------------------------------------------------ writing

    def _write(self, work: Any, done: Any, error_label: QLabel) -> None:
        def failed(failure: TaskFailure) -> None:
            self._busy = False
            self._show(error_label, failure.message)
            self._update_limit_enabled()  # the form keeps what the user typed

        self._busy = True
        self._update_limit_enabled()
        for label in (self.holiday_error, self.holiday_done, self.limit_error, self.limit_done):
            label.hide()
        self._runner.run_write(work, on_success=done, on_error=failed)

    @staticmethod
    def _show(label: QLabel, text: str) -> None:
        label.setText(text)
        label.show()


__all__ = ["CalendarPanel", "HolidaysModel", "LimitsModel"]
