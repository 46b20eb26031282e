"""The audit log viewer, for the head and the administrator.

Entries newest first, read a page at a time: the table asks for more (``canFetchMore``/
``fetchMore``) when it is scrolled to the end, and the next page continues after the last id shown
(``audit.list_entries(before_id=…)``), so entries written meanwhile never shift or repeat a page.
Filters: user, action, date range, free text. "Verify integrity" recomputes the whole hash chain on
the read lane and shows the service's verdict: intact with the count, or the first broken entry.

Actions, object kinds and details show in Chinese (``services.audit_names`` names every action the
code writes; the raw key is the action's tooltip). The list is read again whenever the screen is
shown and after each integrity check, so the count beside it is the log's as it is now, not as it
was when the screen was first opened.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.services import audit, audit_names
from mediation_desk.services.audit import AuditFilter, AuditRow, ChainCheck
from mediation_desk.ui.common.date_field import DateField, first_problem
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, RowsTable, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor

FAILED_COLOUR = "#c62828"
PAGE_SIZE = 200
#: Details that have their own column.
_OWN_COLUMNS = frozenset({"workstation", "result"})


def detail_text(detail: dict[str, Any], action: str = "") -> str:
    """The details as Chinese field names with their values (``services.audit_names``)."""
    return audit_names.detail_text(detail, action, skip=_OWN_COLUMNS)


class AuditModel(RowsModel[AuditRow]):
    """The loaded entries; ``more_wanted`` asks the viewer for the next page."""

    COL_TIME, COL_USER, COL_STATION, COL_ACTION, COL_OBJECT, COL_RESULT, COL_DETAIL = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("AuditModel", "Time"),
        QT_TRANSLATE_NOOP("AuditModel", "User"),
        QT_TRANSLATE_NOOP("AuditModel", "Workstation"),
        QT_TRANSLATE_NOOP("AuditModel", "Action"),
        QT_TRANSLATE_NOOP("AuditModel", "Object"),
        QT_TRANSLATE_NOOP("AuditModel", "Result"),
        QT_TRANSLATE_NOOP("AuditModel", "Details"),
    )
    CONTEXT = "AuditModel"
    more_wanted = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.has_more = False
        self.loading = False

    def append_rows(self, rows: list[AuditRow]) -> None:
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.has_more and not self.loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self.loading = True
            self.more_wanted.emit()

    def text(self, row: AuditRow, column: int) -> str:
        if column == self.COL_TIME:
            return f"{row.at:%Y-%m-%d %H:%M:%S}"
        if column == self.COL_USER:
            return row.username
        if column == self.COL_STATION:
            return row.workstation
        if column == self.COL_ACTION:
            return row.action_label
        if column == self.COL_OBJECT:
            return self.object_text(row)
        if column == self.COL_RESULT:
            return self.result_text(row.result)
        if column == self.COL_DETAIL:
            return detail_text(row.detail, row.action)
        return ""

    def tooltip(self, row: AuditRow, column: int) -> str | None:
        if column == self.COL_ACTION:
            return row.action
        if column == self.COL_DETAIL:
            return detail_text(row.detail, row.action).replace("；", "\n") or None
        return super().tooltip(row, column)

    def cell(self, row: AuditRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.result != "ok":
            return QBrush(QColor(FAILED_COLOUR))
        return None

    def object_text(self, row: AuditRow) -> str:
        name = audit_names.entity_name(row.entity)
        return name if row.entity_id is None else f"{name} #{row.entity_id}"

    def result_text(self, result: str) -> str:
        return {"ok": self.tr("Succeeded"), "failed": self.tr("Failed"), "locked": self.tr("Locked")}.get(
            result, result)


class AuditViewer(QWidget):
    #: Double-click on an entry about a case: its id.
    open_case = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._page_size = page_size
        self._generation = 0
        #: The filter of the rows shown (more pages are read with it).
        self._applied = AuditFilter()
        self.total = 0
        self.last_check: ChainCheck | None = None

        # ---- filters
        self.user_filter = named(QComboBox(), "auditUser")
        self.user_filter.addItem(self.tr("All users"), "")
        self.action_filter = named(QComboBox(), "auditAction")
        self.action_filter.addItem(self.tr("All actions"), "")
        self.use_dates = named(QCheckBox(self.tr("From")), "auditUseDates")
        today = date.today()
        self.date_from = DateField("auditFrom", self.tr("First day"))
        self.date_to = DateField("auditTo", self.tr("Last day"))
        for edit, start in ((self.date_from, today - timedelta(days=30)), (self.date_to, today)):
            edit.set_range(date(1900, 1, 1), date(2099, 12, 31))
            edit.set_value(start)
            edit.setEnabled(False)
            edit.returned.connect(self.reload)
        self.text_filter = named(QLineEdit(), "auditText")
        self.text_filter.setPlaceholderText(self.tr("Search object and details…"))
        self.text_filter.setClearButtonEnabled(True)
        self.search_button = named(QPushButton(self.tr("Search")), "auditSearch")

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("User")))
        filters.addWidget(self.user_filter)
        filters.addWidget(QLabel(self.tr("Action")))
        filters.addWidget(self.action_filter)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel(self.tr("to")))
        filters.addWidget(self.date_to)
        filters.addWidget(self.text_filter, 1)
        filters.addWidget(self.search_button)

        # ---- table
        self.model = AuditModel(self)
        self.table = named(RowsTable(), "auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((AuditModel.COL_TIME, 150), (AuditModel.COL_USER, 90), (AuditModel.COL_STATION, 120),
                              (AuditModel.COL_ACTION, 130), (AuditModel.COL_OBJECT, 100),
                              (AuditModel.COL_RESULT, 80)):
            header.resizeSection(column, width)

        # ---- verification and status
        self.count_label = named(QLabel(), "auditCount")
        self.verify_button = named(QPushButton(self.tr("Verify integrity")), "auditVerify")
        self.verify_label = named(QLabel(), "auditVerifyResult")
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_label.hide()
        self.error_label = named(QLabel(), "auditError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.verify_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verify_label)
        layout.addLayout(bottom)

        self.use_dates.toggled.connect(self._dates_toggled)
        self.search_button.clicked.connect(self.reload)
        self.text_filter.returnPressed.connect(self.reload)
        self.user_filter.activated.connect(self.reload)
        self.action_filter.activated.connect(self.reload)
        self.model.more_wanted.connect(self._load_more)
        self.verify_button.clicked.connect(self.verify)
        self.table.doubleClicked.connect(self._double_clicked)

        self._load_choices()
        self.reload()
        #: Until the event loop turns again the log was just read: a show in the same turn (the
        #: section made on its first show) does not read it a second time.
        self._just_read = True
        QTimer.singleShot(0, self, self._read_a_while_ago)

    def _read_a_while_ago(self) -> None:
        self._just_read = False

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again (another section was in front meanwhile): read the log as it is now."""
        super().showEvent(event)
        if not event.spontaneous() and not self._just_read:
            self.refresh()

    def refresh(self) -> None:
        """The filter lists and the entries, read again with the filter as it is."""
        self._load_choices()
        self.reload()

    # ------------------------------------------------------------------ filters

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.reload()

    def current_filter(self) -> AuditFilter:
        """The filter as the fields say; raises :class:`InvalidInput` when a date cannot be read."""
        since = until = None
        if self.use_dates.isChecked():
            start, end = self.date_from.day(), self.date_to.day()
            assert start is not None and end is not None
            since = datetime.combine(start, time.min)
            until = datetime.combine(end + timedelta(days=1), time.min)
        return AuditFilter(since=since, until=until, username=str(self.user_filter.currentData() or ""),
                           action=str(self.action_filter.currentData() or ""), text=self.text_filter.text())

    def _load_choices(self) -> None:
        actor = self._actor

        def work(session: Session) -> tuple[list[str], list[str]]:
            return audit.usernames_and_actions(session, actor)

        self._runner.run_read(work, on_success=self._show_choices, on_error=self._failed)

    def _show_choices(self, choices: tuple[list[str], list[str]]) -> None:
        """The users and actions in the log; what was chosen stays chosen."""
        users, actions = choices
        for combo, items in ((self.user_filter, [(name, name) for name in users]),
                             (self.action_filter,
                              sorted(((audit_names.action_name(a), a) for a in actions), key=lambda pair: pair[0]))):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:  # the first item: all users / all actions
                combo.removeItem(1)
            for label, value in items:
                combo.addItem(label, value)
                if value != label:
                    combo.setItemData(combo.count() - 1, value, Qt.ItemDataRole.ToolTipRole)
            found = combo.findData(chosen) if chosen else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        if self.use_dates.isChecked() and first_problem([self.date_from, self.date_to]) is not None:
            return  # the date says why under it; the list stays as it was
        for edit in (self.date_from, self.date_to):
            edit.clear_error()
        self._generation += 1
        generation = self._generation
        actor, flt, size = self._actor, self.current_filter(), self._page_size
        self._applied = flt
        self.error_label.hide()
        self.model.loading = True

        def work(session: Session) -> tuple[int, list[AuditRow]]:
            return audit.count_entries(session, actor, flt), audit.list_entries(session, actor, flt, limit=size)

        self._runner.run_read(work, on_success=lambda result: self._first_page(generation, result),
                              on_error=self._failed)

    def _first_page(self, generation: int, result: tuple[int, list[AuditRow]]) -> None:
        if generation != self._generation:
            return
        self.total, rows = result
        self.model.loading = False
        # "No more" while the rows go in: a view asking for the next page from inside the reset
        # would insert rows before the reset has finished (the model tester's rule).
        self.model.has_more = False
        self.model.set_rows(rows)
        self.model.has_more = len(rows) >= self._page_size
        self._update_count()

    def _load_more(self) -> None:
        last = self.model.row_at(self.model.rowCount() - 1)
        if last is None:
            self.model.loading = False
            return
        generation = self._generation
        actor, flt, size, before = self._actor, self._applied, self._page_size, last.id

        def work(session: Session) -> list[AuditRow]:
            return audit.list_entries(session, actor, flt, before_id=before, limit=size)

        self._runner.run_read(work, on_success=lambda rows: self._next_page(generation, rows),
                              on_error=self._failed)

    def _next_page(self, generation: int, rows: list[AuditRow]) -> None:
        if generation != self._generation:
            return
        self.model.loading = False
        self.model.has_more = False  # as in _first_page: no nested fetch while these go in
        self.model.append_rows(rows)
        self.model.has_more = len(rows) >= self._page_size
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("{shown} of {total} entries shown, newest first").format(
            shown=f"{self.model.rowCount():,}", total=f"{self.total:,}"))  # a county's log: millions

    def _failed(self, failure: TaskFailure) -> None:
        self.model.loading = False
        self.error_label.setText(failure.message)
        self.error_label.show()

    def _double_clicked(self, index: QModelIndex) -> None:
        case_id = self.model.data(index, RowsModel.CaseIdRole)
        if isinstance(case_id, int):
            self.open_case.emit(case_id)

    # ------------------------------------------------------------------ verification

    def verify(self) -> None:
        database = self._runner.database

        def job() -> ChainCheck:
            with database.read() as session:
                return audit.verify_chain(session)

        self.verify_button.setEnabled(False)
        self.verify_label.setStyleSheet("")
        self.verify_label.setText(self.tr("Checking every entry of the audit log…"))
        self.verify_label.show()
        self._runner.run_job(job, on_success=self._verified, on_error=self._verify_failed, lane=Lane.SLOW)

    def _verified(self, check: ChainCheck) -> None:
        self.last_check = check
        self.verify_button.setEnabled(True)
        self.verify_label.setStyleSheet(OK_STYLE if check.intact else ERROR_STYLE)
        self.verify_label.setText(check.message)
        # The check read the whole log as it is now: the list is read again, so its count agrees.
        self.refresh()

    def _verify_failed(self, failure: TaskFailure) -> None:
        self.verify_button.setEnabled(True)
        self.verify_label.setStyleSheet(ERROR_STYLE)
        self.verify_label.setText(failure.message)
