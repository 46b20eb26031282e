"""Visits due (回访提醒): return visits planned and not yet made, due within the week or overdue —
the head's whole center, a mediator their teams' cases — earliest first, overdue ones in red.
Double-click or Enter opens the case through :attr:`VisitsDuePanel.open_case`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.services import pages
from mediation_desk.services.pages import DueVisitsPage, shows_visits
from mediation_desk.ui.common.format import TodayProvider, format_day
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskRunner
from mediation_desk.ui.common.widgets import list_table, named, widen_to_contents

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.visits import DueVisit

RED = "#c62828"
AMBER = "#b26a00"


class DueVisitsModel(RowsModel["DueVisit"]):
    CONTEXT = "DueVisitsModel"
    COL_DUE, COL_STATUS, COL_NUMBER, COL_TITLE, COL_REASON, COL_TEAM = range(6)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("DueVisitsModel", "Due"),
        QT_TRANSLATE_NOOP("DueVisitsModel", "Status"),
        QT_TRANSLATE_NOOP("DueVisitsModel", "Case number"),
        QT_TRANSLATE_NOOP("DueVisitsModel", "Title"),
        QT_TRANSLATE_NOOP("DueVisitsModel", "Reason"),
        QT_TRANSLATE_NOOP("DueVisitsModel", "Team"),
    )

    def set_rows(self, rows: list[DueVisit] | tuple[DueVisit, ...]) -> None:
        # Earliest due first, whatever order they came in.
        super().set_rows(sorted(rows, key=lambda r: (r.due_on, r.number)))

    def text(self, row: DueVisit, column: int) -> str:
        if column == self.COL_DUE:
            return format_day(row.due_on)
        if column == self.COL_STATUS:
            if row.days_overdue > 0:
                return QCoreApplication.translate("DueVisitsModel", "Overdue by {days} days").format(
                    days=row.days_overdue)
            if row.days_overdue == 0:
                return QCoreApplication.translate("DueVisitsModel", "Due today")
            return QCoreApplication.translate("DueVisitsModel", "In {days} days").format(days=-row.days_overdue)
        if column == self.COL_NUMBER:
            return row.number
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_REASON:
            return row.reason
        return row.team

    def cell(self, row: DueVisit, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.COL_DUE, self.COL_STATUS):
            if row.days_overdue > 0:
                return QBrush(QColor(RED))
            if row.days_overdue == 0:
                return QBrush(QColor(AMBER))
        return None


class VisitsDuePanel(LoadedPage[DueVisitsPage]):
    """The visits due on the desk (or a section of its own): ``services.pages.visits_due_page``.
    :attr:`loaded`: the list was read again."""

    #: Open this case: its id.
    open_case = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None, load: bool = True) -> None:
        super().__init__(runner, parent, error_name="visitsDueError")
        self.setObjectName("visitsDuePanel")
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._reading_day: date = self._today()

        self.model = DueVisitsModel(self)
        self.table = list_table(self.model, "visitsDueTable", {
            DueVisitsModel.COL_DUE: 96, DueVisitsModel.COL_STATUS: 110, DueVisitsModel.COL_NUMBER: 190,
            DueVisitsModel.COL_TITLE: 200, DueVisitsModel.COL_REASON: 300})
        widen_to_contents(self.table, DueVisitsModel.COL_NUMBER)
        self.error_label = self.load_error
        self.refresh_button = named(QPushButton(self.tr("Refresh")), "visitsDueRefresh")
        self.box = named(QGroupBox(self.tr("Return visits due")), "visitsDueBox")
        box_layout = QVBoxLayout(self.box)
        box_layout.addWidget(self.table)
        box_layout.addWidget(self.error_label)
        top = QHBoxLayout()
        self.summary_label = named(QLabel(), "visitsDueSummary")
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.refresh_button)
        box_layout.insertLayout(0, top)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)

        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.refresh_button.clicked.connect(self.refresh)
        if load:  # the desk reads it after its own due list has been painted (DeskPanel)
            self.refresh()

    @property
    def data(self) -> DueVisitsPage | None:
        """The list on screen (:attr:`page`)."""
        return self.page

    def set_today(self, today: TodayProvider) -> None:
        self._today = today
        self.refresh()

    def refresh(self) -> None:
        """Read the list again (the Refresh button; :meth:`reload`)."""
        self.reload()

    def can_load(self) -> bool:
        return shows_visits(self._actor)

    def reload(self) -> None:
        # The day is taken here, on the GUI thread: load() runs on a worker.
        self._reading_day = self._today()
        super().reload()

    def reader(self) -> Callable[[Session], DueVisitsPage]:
        actor, day = self._actor, self._reading_day

        def load(session: Session) -> DueVisitsPage:
            return pages.visits_due_page(session, actor, day)

        return load

    def concerns(self, changes: Changes) -> bool:
        return bool(changes.case_ids or changes.case_list or changes.settings)

    def show_page(self, data: DueVisitsPage) -> None:
        self.model.set_rows(data.rows)
        # Counted by the database: the list holds the first rows only (services.pages.DESK_ROWS).
        self.box.setTitle(self.tr("Return visits due: {overdue} overdue, {soon} due within a week").format(
            overdue=f"{data.overdue_count:,}", soon=f"{data.soon_count:,}"))
        self.summary_label.setText(self.tr("As of {today}. Double-click a row to open the case.").format(
            today=format_day(data.today)))

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        case_id = index.model().data(index, RowsModel.CaseIdRole) if index.isValid() else None
        if isinstance(case_id, int):
            self.open_case.emit(case_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.page is not None and self.page.today != self._today():
            self.refresh()


__all__ = ["DueVisitsModel", "VisitsDuePanel", "shows_visits"]
