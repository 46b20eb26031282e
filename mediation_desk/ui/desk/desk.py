"""The desk ("工作台"): what needs this user today.

- 到期提醒 — open cases whose clock is yellow or red, most urgent first: the head sees the whole
  center, a mediator the cases of their teams; its red rows and its overdue count are the
  statistics' 超期案件 (one definition, stated under the box; closed cases' return visits are
  under 待回访);
- 督办事项 — open supervision orders: a mediator answers them here; the head follows the ones
  issued, and may show the answered ones too;
- 分流待反馈 — diversions still waiting for the receiving body's feedback (intake and head),
  recorded here when it comes.

Every list opens its case on double-click or Enter through :attr:`DeskPanel.open_case`; the main
window routes that to the case page. "Today" comes from a provider, so the colours can be tested
by moving the date instead of waiting for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.models import ClockColour
from mediation_desk.services import cards, diversion, pages, supervision
from mediation_desk.services.pages import DeskLists, DeskPage, has_desk, shows_diversions, shows_due, shows_orders
from mediation_desk.services.permissions import CASE_ROLES
from mediation_desk.ui.cases.crossings import CrossingsPanel, shows_crossings
from mediation_desk.ui.common.format import (
    CLOCK_COLOURS,
    FINAL_COLOUR,
    TodayProvider,
    clock_icon,
    clock_meaning,
    format_day,
    format_time,
)
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, list_table, named, widen_to_contents
from mediation_desk.ui.desk.cards import CardsPanel
from mediation_desk.ui.desk.visits_due import VisitsDuePanel, shows_visits
from mediation_desk.ui.sessions.calendar import CalendarWindow
from mediation_desk.ui.sessions.desk_box import DeskSessionsPanel
from mediation_desk.ui.sessions.rooms import RoomsDialog

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.clocks import DueCase
    from mediation_desk.services.diversion import DiversionInfo
    from mediation_desk.services.supervision import OrderInfo

#: The grey of a caption that says what a figure counts (as under the statistics' tiles).
FOOTNOTE_STYLE = "color: #555555;"
#: Yellow text on white is hard to read: the "due soon" words are written in a darker amber.
TEXT_COLOURS = {ClockColour.YELLOW: "#b26a00", ClockColour.RED: CLOCK_COLOURS[ClockColour.RED],
                ClockColour.GREEN: CLOCK_COLOURS[ClockColour.GREEN]}


class DueCasesModel(RowsModel["DueCase"]):
    CONTEXT = "DueCasesModel"
    COL_STATUS, COL_NUMBER, COL_TITLE, COL_STATE, COL_STAGE, COL_DUE, COL_TEAM = range(7)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("DueCasesModel", "Status"),
        QT_TRANSLATE_NOOP("DueCasesModel", "Case number"),
        QT_TRANSLATE_NOOP("DueCasesModel", "Title"),
        QT_TRANSLATE_NOOP("DueCasesModel", "State"),
        QT_TRANSLATE_NOOP("DueCasesModel", "Stage"),
        QT_TRANSLATE_NOOP("DueCasesModel", "Due"),
        QT_TRANSLATE_NOOP("DueCasesModel", "Team"),
    )
    ColourRole = Qt.ItemDataRole.UserRole + 3

    def text(self, row: DueCase, column: int) -> str:
        if column == self.COL_STATUS:
            return clock_meaning(row.colour)
        if column == self.COL_NUMBER:
            return row.number
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_STATE:
            return enum_text(row.state)
        if column == self.COL_STAGE:
            return enum_text(row.stage)
        if column == self.COL_DUE:
            return format_day(row.due_on)
        return row.team

    def cell(self, row: DueCase, column: int, role: int) -> Any:
        if role == self.ColourRole:
            return row.colour
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_STATUS:
            return clock_icon(row.colour)
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.COL_STATUS, self.COL_DUE):
            return QBrush(QColor(TEXT_COLOURS[row.colour]))
        return None


class OrdersModel(RowsModel["OrderInfo"]):
    CONTEXT = "OrdersModel"
    COL_NUMBER, COL_TITLE, COL_INSTRUCTION, COL_DUE, COL_ISSUED, COL_STATUS = range(6)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("OrdersModel", "Case number"),
        QT_TRANSLATE_NOOP("OrdersModel", "Title"),
        QT_TRANSLATE_NOOP("OrdersModel", "Instruction"),
        QT_TRANSLATE_NOOP("OrdersModel", "Finish by"),
        QT_TRANSLATE_NOOP("OrdersModel", "Issued"),
        QT_TRANSLATE_NOOP("OrdersModel", "Answer"),
    )

    def __init__(self, today: TodayProvider, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today

    def late(self, row: OrderInfo) -> bool:
        return row.open and row.due_on is not None and row.due_on < self._today()

    def text(self, row: OrderInfo, column: int) -> str:
        if column == self.COL_NUMBER:
            return row.number
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_INSTRUCTION:
            return row.instruction
        if column == self.COL_DUE:
            return format_day(row.due_on)
        if column == self.COL_ISSUED:
            return f"{format_time(row.issued_at)} {row.issued_by}".strip()
        if not row.open:
            return row.response
        if self.late(row):
            return QCoreApplication.translate("OrdersModel", "Overdue, not answered")
        return QCoreApplication.translate("OrdersModel", "Not answered yet")

    def cell(self, row: OrderInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if self.late(row) and column in (self.COL_DUE, self.COL_STATUS):
                return QBrush(QColor(CLOCK_COLOURS[ClockColour.RED]))
            if not row.open:
                return QBrush(QColor(FINAL_COLOUR))
        return None


class AwaitingModel(RowsModel["DiversionInfo"]):
    CONTEXT = "AwaitingModel"
    COL_NUMBER, COL_BODY, COL_NAME, COL_SENT, COL_WAITING, COL_REASON = range(6)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("AwaitingModel", "Case number"),
        QT_TRANSLATE_NOOP("AwaitingModel", "Diverted to"),
        QT_TRANSLATE_NOOP("AwaitingModel", "Body"),
        QT_TRANSLATE_NOOP("AwaitingModel", "Sent"),
        QT_TRANSLATE_NOOP("AwaitingModel", "Days waiting"),
        QT_TRANSLATE_NOOP("AwaitingModel", "Reason"),
    )

    def __init__(self, today: TodayProvider, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today

    def days_waiting(self, row: DiversionInfo) -> int:
        return max(0, (self._today() - row.sent_at.date()).days)

    def text(self, row: DiversionInfo, column: int) -> str:
        if column == self.COL_NUMBER:
            return row.number
        if column == self.COL_BODY:
            return enum_text(row.body)
        if column == self.COL_NAME:
            return row.body_name
        if column == self.COL_REASON:
            return row.reason
        if column == self.COL_SENT:
            return format_time(row.sent_at)
        return str(self.days_waiting(row))

    def cell(self, row: DiversionInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_WAITING:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def cards_shown(actor: Actor) -> bool:
    """The cards and extension requests: on the desk of whoever works on cases."""
    return cards.may_check(actor)


#: The panels below the due list read this long after it answered if the desk, on screen, was not
#: painted meanwhile.
PANELS_AFTER_MS = 250


class DeskPanel(LoadedPage[DeskPage]):
    """Due and overdue cases, supervision orders and diversions awaiting feedback
    (``services.pages.desk_page``). :attr:`loaded`: the due list was read again (after a change, a
    refresh or showing the desk) and painted; the other lists follow on a read of their own
    (:attr:`lists_loaded`), so that they never hold the due list up."""

    #: Open this case (double-click or Enter on any list): its id.
    open_case = Signal(int)
    #: The lists after the due list (orders, diversions, the audit head) arrived and are shown;
    #: :attr:`loaded` says the due list was.
    lists_loaded = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(runner, parent, error_name="deskError")
        self.setObjectName("deskPanel")
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._busy = False
        self._reading: tuple[date, bool] = (self._today(), False)
        #: The lists read after the due list (None before they first arrive).
        self._lists: DeskLists | None = None
        self._lists_generation = 0
        #: The lists of the latest read arrived before any due list was shown: shown with it.
        self._lists_waiting = False

        self.summary_label = named(QLabel(), "deskSummary")
        self.summary_label.setWordWrap(True)
        self.refresh_button = named(QPushButton(self.tr("Refresh")), "deskRefresh")
        self.error_label = self.load_error
        # The head compares the chain head with the monthly anchors (services.audit).
        self.audit_label = named(QLabel(), "deskAuditHead")
        self.audit_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.audit_label.hide()
        summary = QVBoxLayout()
        summary.addWidget(self.summary_label)
        summary.addWidget(self.audit_label)
        top = QHBoxLayout()
        top.addLayout(summary, 1)
        top.addWidget(self.refresh_button)

        # ---- due and overdue
        self.due_model = DueCasesModel(self)
        self.due_table = list_table(self.due_model, "dueTable", {
            DueCasesModel.COL_STATUS: 80, DueCasesModel.COL_NUMBER: 190, DueCasesModel.COL_TITLE: 200,
            DueCasesModel.COL_STATE: 80, DueCasesModel.COL_STAGE: 100, DueCasesModel.COL_DUE: 90})
        self.due_box = named(QGroupBox(self.tr("Due soon and overdue")), "dueBox")
        # What "overdue" counts here, in words: the statistics' 超期案件 (one definition), so the
        # head never meets two overdue figures without being told why.
        self.due_definition = named(QLabel(), "dueDefinition")
        self.due_definition.setWordWrap(True)
        self.due_definition.setStyleSheet(FOOTNOTE_STYLE)
        due_layout = QVBoxLayout(self.due_box)
        due_layout.addWidget(self.due_definition)
        due_layout.addWidget(self.due_table)

        # ---- supervision orders
        self.orders_model = OrdersModel(self._today_now, self)
        self.orders_table = list_table(self.orders_model, "ordersTable", {
            OrdersModel.COL_NUMBER: 190, OrdersModel.COL_TITLE: 160, OrdersModel.COL_INSTRUCTION: 260,
            OrdersModel.COL_DUE: 90, OrdersModel.COL_ISSUED: 180})
        self.answered_check = named(QCheckBox(self.tr("Show answered orders too")), "answeredCheck")
        self.answer_edit = named(QPlainTextEdit(), "deskAnswerEdit")
        self.answer_edit.setTabChangesFocus(True)
        self.answer_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.answer_edit.setPlaceholderText(self.tr("Select an order, then write what the team has done about it"))
        self.answer_button = named(QPushButton(self.tr("Answer")), "deskAnswerButton")
        self.answer_error = named(QLabel(), "deskAnswerError")
        self.answer_error.setStyleSheet(ERROR_STYLE)
        self.answer_error.setWordWrap(True)
        self.answer_error.hide()
        self.orders_box = named(QGroupBox(self.tr("Supervision orders")), "ordersBox")
        orders_layout = QGridLayout(self.orders_box)
        orders_layout.addWidget(self.orders_table, 0, 0, 1, 2)
        orders_layout.addWidget(self.answered_check, 1, 0, 1, 2)
        orders_layout.addWidget(self.answer_edit, 2, 0)
        orders_layout.addWidget(self.answer_button, 2, 1, Qt.AlignmentFlag.AlignTop)
        orders_layout.addWidget(self.answer_error, 3, 0, 1, 2)
        orders_layout.setColumnStretch(0, 1)
        answering = pages.may_answer_orders(actor)
        self.answer_edit.setVisible(answering)
        self.answer_button.setVisible(answering)
        self.answered_check.setVisible(pages.may_list_answered_orders(actor))

        # ---- diversions awaiting feedback
        self.awaiting_model = AwaitingModel(self._today_now, self)
        self.awaiting_table = list_table(self.awaiting_model, "awaitingTable", {
            AwaitingModel.COL_NUMBER: 190, AwaitingModel.COL_BODY: 170, AwaitingModel.COL_NAME: 200,
            AwaitingModel.COL_SENT: 130, AwaitingModel.COL_WAITING: 90})
        self.feedback_edit = named(QLineEdit(), "deskFeedbackEdit")
        self.feedback_edit.setPlaceholderText(self.tr("Select a diversion, then type what the body reported"))
        self.feedback_button = named(QPushButton(self.tr("Record feedback")), "deskFeedbackButton")
        self.feedback_error = named(QLabel(), "deskFeedbackError")
        self.feedback_error.setStyleSheet(ERROR_STYLE)
        self.feedback_error.setWordWrap(True)
        self.feedback_error.hide()
        self.awaiting_box = named(QGroupBox(self.tr("Diversions awaiting feedback")), "awaitingBox")
        awaiting_layout = QGridLayout(self.awaiting_box)
        awaiting_layout.addWidget(self.awaiting_table, 0, 0, 1, 2)
        awaiting_layout.addWidget(self.feedback_edit, 1, 0)
        awaiting_layout.addWidget(self.feedback_button, 1, 1)
        awaiting_layout.addWidget(self.feedback_error, 2, 0, 1, 2)
        awaiting_layout.setColumnStretch(0, 1)

        self.done_label = named(QLabel(), "deskDone")
        self.done_label.setStyleSheet(OK_STYLE)
        self.done_label.hide()

        # ---- return visits due (回访)
        self.visits_panel = VisitsDuePanel(runner, actor, today=self._today, load=False)
        self.visits_panel.open_case.connect(self.open_case)

        # ---- yellow and red cards, extension requests (黄牌 / 红牌督办, 延期申请): its load runs the check
        self.cards_panel = CardsPanel(runner, actor, today=self._today, load=False)
        self.cards_panel.open_case.connect(self.open_case)

        # ---- mediation sessions of today and tomorrow, by room; the calendar from there
        self._runner = runner
        self.sessions_panel = DeskSessionsPanel(runner, actor, today=self._today, load=False)
        self.sessions_panel.open_case.connect(self.open_case)
        self.sessions_panel.open_calendar.connect(self.open_calendar)
        #: The sessions calendar, once opened.
        self.calendar_window: CalendarWindow | None = None

        # ---- 上下级流转: steps to and from this center awaiting an answer, beside the diversions
        self.crossings_panel = CrossingsPanel(runner, actor, today=self._today, load=False)
        self.crossings_panel.open_case.connect(self.open_case)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        # The panels below the due list share two rows, side by side: four rows of tables would not
        # fit a 768-pixel screen. They are shared out evenly (a head's six, three and three): four in
        # one row left each about 330 pixels at 1366 wide, their columns cut and scrolled sideways.
        self.orders_row = QSplitter(Qt.Orientation.Horizontal)
        self.orders_row.setChildrenCollapsible(False)
        self.awaiting_row = QSplitter(Qt.Orientation.Horizontal)
        self.awaiting_row.setChildrenCollapsible(False)
        panels: tuple[tuple[QWidget, bool], ...] = (
            (self.sessions_panel, actor.role in CASE_ROLES), (self.orders_box, shows_orders(actor)),
            (self.visits_panel, shows_visits(actor)), (self.cards_panel, cards_shown(actor)),
            (self.awaiting_box, shows_diversions(actor)), (self.crossings_panel, shows_crossings(actor)))
        showing = [box for box, listed in panels if listed]
        for box, listed in panels:
            if not listed:
                box.setParent(self)
                box.hide()
        first_row = (len(showing) + 1) // 2 if len(showing) > 3 else len(showing)
        for place, box in enumerate(showing):
            panel_row = self.orders_row if place < first_row else self.awaiting_row
            panel_row.addWidget(box)
            panel_row.setStretchFactor(panel_row.count() - 1, 1)
        for panel_row in (self.orders_row, self.awaiting_row):
            # Equal shares to begin with (a splitter otherwise starts from each panel's own wish,
            # and the sessions' wide table left the supervision orders 330 px); the user may drag.
            panel_row.setSizes([1000] * panel_row.count())
        # The due list is the longest and the most urgent: it gets twice the room of the others.
        rows: tuple[tuple[QWidget, bool, int], ...] = (
            (self.due_box, shows_due(actor), 2),
            (self.orders_row, self.orders_row.count() > 0, 1),
            (self.awaiting_row, self.awaiting_row.count() > 0, 1))
        for row, shown, stretch in rows:
            if shown:
                self.splitter.addWidget(row)
                self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
            else:
                row.setParent(self)
                row.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addWidget(self.splitter, 1)

        for table, number in ((self.due_table, DueCasesModel.COL_NUMBER), (self.orders_table, OrdersModel.COL_NUMBER),
                              (self.awaiting_table, AwaitingModel.COL_NUMBER)):
            widen_to_contents(table, number)
        for table in (self.due_table, self.orders_table, self.awaiting_table):
            table.activated.connect(self._activated)
            table.doubleClicked.connect(self._activated)
        self.orders_table.selectionModel().selectionChanged.connect(lambda *_args: self._update_enabled())
        self.awaiting_table.selectionModel().selectionChanged.connect(lambda *_args: self._update_enabled())
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh_button.clicked.connect(lambda _checked=False: self.cards_panel.refresh())
        self.refresh_button.clicked.connect(lambda _checked=False: self.crossings_panel.reload())
        self.answered_check.toggled.connect(lambda _checked: self.refresh())
        self.answer_button.clicked.connect(self.answer_selected)
        self.feedback_button.clicked.connect(self.record_selected)
        self.feedback_edit.returnPressed.connect(self.record_selected)
        self._update_enabled()
        # The due list is read first and alone, and shown once the window has been painted; the
        # panels below it read after that paint (the desk not on screen: once the due list
        # answered). Read at once, the panels' reads (on the 1,000,000-case demo the visits due:
        # 54 ms of Python on a worker; the cards' check, a walk over a county's running clocks:
        # 0.35 s CPU, 0.7-0.9 s) took Python's lock and the cores from the GUI thread while it made
        # the window, and the due list waited behind them on the read lane. The cards' check goes
        # last, once the visits due have answered.
        self._painted = self._panels_started = self._cards_started = False
        #: Shown right after its due list answers (:meth:`panels_after_the_paint`).
        self._shown_soon = False
        #: The due list's first answer, when it came before the first paint (shown just after it).
        self._early: tuple[int, DeskPage] | None = None
        self.answered.connect(self._due_answered)
        self.visits_panel.answered.connect(self._check_cards)
        self.refresh()

    def _today_now(self) -> date:
        return self._today()

    # ------------------------------------------------------------------ the panels below the due list

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.start_panels)  # after this paint has reached the screen

    def _arrived(self, generation: int, page: DeskPage) -> None:
        if not self._painted and self.isVisible():
            # Its rows set now would be painted in the window's first paint and hold it up.
            if self._early is None:
                QTimer.singleShot(PANELS_AFTER_MS, self, self.start_panels)  # in case no paint comes
            self._early = (generation, page)
            return
        super()._arrived(generation, page)

    def _due_answered(self) -> None:
        if not self._panels_started and not self.isVisible() and not self._shown_soon:
            self.start_panels()

    def panels_after_the_paint(self) -> None:
        """The desk is about to be shown (start-up shows the window its first reads were waited
        for, right after them): its panels read after its first paint, as a desk on screen does,
        not when its due list answers while it is still hidden."""
        self._shown_soon = True

    def start_panels(self) -> None:
        """Read the panels below the due list (once: later their own refreshes read them again),
        the desk's own other lists first; show the due list that came before the first paint."""
        self._painted = True
        early, self._early = self._early, None
        starting = not self._panels_started
        self._panels_started = True
        if starting:
            # The orders and diversions right behind the due list on the read lane, ahead of the
            # panels below (their reads queued after the visits', sessions' and crossings' when the
            # due list answered after the paint: +259 ms after it on the 1M demo).
            self._load_lists()
        if early is not None:
            super()._arrived(*early)
        if not starting:
            return
        self.visits_panel.refresh()
        self.sessions_panel.reload()
        self.crossings_panel.reload()
        if not self.visits_panel.can_load():
            self._check_cards()

    def _check_cards(self) -> None:
        if self._panels_started and not self._cards_started:
            self._cards_started = True
            self.cards_panel.refresh()

    def open_calendar(self) -> CalendarWindow:
        """The sessions calendar by room (a window of its own; opened once, then raised)."""
        if self.calendar_window is None:
            self.calendar_window = CalendarWindow(self._runner, self._actor, self, today=self._today)
            self.calendar_window.calendar.open_case.connect(self.open_case)
            self.calendar_window.calendar.rooms_requested.connect(self._open_rooms)
        self.calendar_window.show()
        self.calendar_window.raise_()
        self.calendar_window.activateWindow()
        return self.calendar_window

    def _open_rooms(self) -> None:
        assert self.calendar_window is not None
        dialog = RoomsDialog(self._runner, self._actor, self.calendar_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # ------------------------------------------------------------------ loading

    @property
    def data(self) -> DeskPage | None:
        """The desk on screen: the due list (:attr:`page`) with the other lists once they arrived."""
        page = self.page
        if page is None or self._lists is None:
            return page
        return pages.with_lists(page, self._lists)

    def set_today(self, today: TodayProvider) -> None:
        """Use another clock for "today" and read the lists again by it."""
        self._today = today
        self.cards_panel.set_today(today)
        self.crossings_panel.set_today(today)
        self.refresh()

    def refresh(self) -> None:
        """Read the lists again (the Refresh button; :meth:`reload`)."""
        self.reload()

    def reload(self) -> None:
        # What the read needs is taken here, on the GUI thread: load() runs on a worker.
        self._reading = (self._today(), self.answered_check.isChecked())
        super().reload()
        if self._panels_started:
            self._load_lists()  # right behind the due list (the first time: start_panels)

    def reader(self) -> Callable[[Session], DeskPage]:
        # The due list first, alone: it paints while the other lists are read (_load_lists).
        actor, (today, _answered) = self._actor, self._reading

        def load(session: Session) -> DeskPage:
            return pages.desk_page(session, actor, today, lists=False)

        return load

    def _load_lists(self) -> None:
        """Read the supervision orders, the diversions awaiting feedback and the audit chain's head
        on their own read, queued right behind the due list's; shown once a due list is."""
        self._lists_generation += 1
        self._lists_waiting = False
        actor, (today, answered), generation = self._actor, self._reading, self._lists_generation

        def load(session: Session) -> DeskLists:
            return pages.desk_lists(session, actor, answered_orders=answered, today=today)

        def arrived(lists: DeskLists) -> None:
            if generation != self._lists_generation:
                return
            self._lists = lists
            if self.page is None:
                self._lists_waiting = True  # the due list, deferred past the first paint, shows them
                return
            self._show_lists(pages.with_lists(self.page, lists))
            self.lists_loaded.emit()

        self._runner.run_read(load, on_success=arrived, on_error=self._lists_failed)

    def _lists_failed(self, failure: TaskFailure) -> None:
        self.load_error.setText(failure.message)
        self.load_error.show()

    def concerns(self, changes: Changes) -> bool:
        return bool(changes.case_ids or changes.case_list or changes.settings)

    def show_page(self, data: DeskPage) -> None:
        self.due_model.set_rows(data.due or ())
        if self._lists_waiting:
            assert self._lists is not None
            self._lists_waiting = False
            self._show_lists(pages.with_lists(data, self._lists))
            self.lists_loaded.emit()
            return
        # The other lists stay as they were until their own read arrives.
        self._show_summary(data if self._lists is None else pages.with_lists(data, self._lists))

    def _show_lists(self, data: DeskPage) -> None:
        selected_order = self._selected(self.orders_table, self.orders_model)
        selected_diversion = self._selected(self.awaiting_table, self.awaiting_model)
        self.orders_model.set_rows(data.orders or ())
        self.awaiting_model.set_rows(data.awaiting or ())
        self._reselect(self.orders_table, self.orders_model, selected_order)
        self._reselect(self.awaiting_table, self.awaiting_model, selected_diversion)
        self._show_summary(data)
        self._show_audit_head(data)
        self._update_enabled()

    def _show_audit_head(self, data: DeskPage) -> None:
        self.audit_label.setVisible(data.shows_audit_head)
        head = data.audit_head
        if head is None:
            self.audit_label.setText(self.tr("Audit chain: no entries yet"))
            return
        mac = (head.mac or "")[:16] or self.tr("(written without the key)")
        self.audit_label.setText(self.tr("Audit chain: sequence {seq}, first 16 characters of the MAC {mac}").format(
            seq=head.seq, mac=mac))

    # Every count in digit groups (超期案件 84,315 件), as the statistics write them: a county's five
    # and six digits in a row were read digit by digit. The audit chain's sequence beside them is a
    # number that names an entry, not a count: it stays as the anchors write it.
    def _show_summary(self, data: DeskPage) -> None:
        parts = []
        if data.due is not None:
            # The overdue figure is counted by the database (services.statistics.count_overdue),
            # not from the list, which stops at its first 500 rows.
            overdue = data.overdue or 0
            # Counted by the database once the other lists are read: the list holds its first rows only.
            yellow = (data.due_soon if data.due_soon is not None
                      else sum(1 for d in data.due if d.colour is ClockColour.YELLOW))
            self.due_box.setTitle(self.tr("Due soon and overdue: {overdue} overdue cases, {yellow} due soon").format(
                overdue=f"{overdue:,}", yellow=f"{yellow:,}"))
            parts.append(self.tr("{overdue} overdue cases, {yellow} due soon").format(overdue=f"{overdue:,}",
                                                                                       yellow=f"{yellow:,}"))
            self._show_overdue_definition(data)
        if data.orders is not None:
            open_orders = sum(1 for o in data.orders if o.open)
            self.orders_box.setTitle(self.tr("Supervision orders: {count} open").format(count=f"{open_orders:,}"))
            parts.append(self.tr("{count} open supervision orders").format(count=f"{open_orders:,}"))
        if data.awaiting is not None:
            # Counted by the database: the list holds the first rows only (services.pages.DESK_ROWS).
            awaiting = data.awaiting_count if data.awaiting_count is not None else len(data.awaiting)
            self.awaiting_box.setTitle(self.tr("Diversions awaiting feedback: {count}").format(count=f"{awaiting:,}"))
            parts.append(self.tr("{count} diversions awaiting feedback").format(count=f"{awaiting:,}"))
        self.summary_label.setText(self.tr("As of {today}: {parts}").format(
            today=format_day(data.today), parts=self.tr("; ").join(parts)))

    def _show_overdue_definition(self, data: DeskPage) -> None:
        day = format_day(data.today)
        if data.overdue_of_own_teams:
            caption = self.tr("Overdue cases: your teams' cases still being handled (not closed, not refused) whose "
                              "current stage was past its deadline on {day}; the definition of Overdue cases in "
                              "Statistics, which counts the whole center. Return visits of closed cases are not "
                              "overdue cases: see Return visits due.").format(day=day)
        elif len(self._actor.center_ids) > 1:
            # A head whose center has townships below it: the desk counts this center's cases, the
            # statistics count the townships' too until one center is chosen (84,315 beside 84,326
            # on the 1M demo, under a caption that said "the same figure").
            caption = self.tr("Overdue cases: this center's cases still being handled (not closed, not refused) "
                              "whose current stage was past its deadline on {day}; the same definition and figure "
                              "as Overdue cases in Statistics with this center alone chosen (Statistics counts "
                              "the centers below too unless one is chosen). Return visits of closed cases are not "
                              "overdue cases: see Return visits due.").format(day=day)
        else:
            caption = self.tr("Overdue cases: cases still being handled (not closed, not refused) whose current stage "
                              "was past its deadline on {day}; the same definition and figure as Overdue cases in "
                              "Statistics. Return visits of closed cases are not overdue cases: see Return visits "
                              "due.").format(day=day)
        self.due_definition.setText(caption)
        for widget in (self.due_definition, self.due_box, self.summary_label):
            widget.setToolTip(data.overdue_definition)

    @staticmethod
    def _selected(table: QTableView, model: RowsModel[Any]) -> Any:
        index = table.currentIndex()
        if not index.isValid() or not table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        row = model.row_at(index.row())
        return getattr(row, "id", None)

    @staticmethod
    def _reselect(table: QTableView, model: RowsModel[Any], row_id: Any) -> None:
        if row_id is None:
            return
        row = next((i for i, r in enumerate(model.rows) if getattr(r, "id", None) == row_id), None)
        if row is not None:
            table.selectRow(row)

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        case_id = index.model().data(index, RowsModel.CaseIdRole) if index.isValid() else None
        if isinstance(case_id, int):
            self.open_case.emit(case_id)

    def showEvent(self, event: QShowEvent) -> None:
        # Colours move with the date: coming back to the desk reads it again.
        super().showEvent(event)
        if self.page is not None and self.page.today != self._today():
            self.refresh()

    # ------------------------------------------------------------------ answering, feedback

    def select_order(self, order_id: int) -> bool:
        row = next((i for i, o in enumerate(self.orders_model.rows) if o.id == order_id), None)
        if row is None:
            return False
        self.orders_table.selectRow(row)
        return True

    def select_diversion(self, diversion_id: int) -> bool:
        row = next((i for i, d in enumerate(self.awaiting_model.rows) if d.id == diversion_id), None)
        if row is None:
            return False
        self.awaiting_table.selectRow(row)
        return True

    def _selected_order(self) -> OrderInfo | None:
        order_id = self._selected(self.orders_table, self.orders_model)
        return next((o for o in self.orders_model.rows if o.id == order_id), None)

    def _selected_diversion(self) -> DiversionInfo | None:
        diversion_id = self._selected(self.awaiting_table, self.awaiting_model)
        return next((d for d in self.awaiting_model.rows if d.id == diversion_id), None)

    def answer_selected(self) -> None:
        order = self._selected_order()
        if order is None or self._busy:
            return
        response, actor, order_id = self.answer_edit.toPlainText(), self._actor, order.id

        def work(session: Session) -> OrderInfo:
            return supervision.answer(session, actor, order_id, response)

        def done(info: OrderInfo) -> None:
            self._set_busy(False)
            self.answer_edit.clear()
            self._done(self.tr("Answer to the order on {number} saved.").format(number=info.number))

        self._set_busy(True)
        self.answer_error.hide()
        self._runner.run_write(work, on_success=done,
                               on_error=lambda failure: self._write_failed(failure, self.answer_error))

    def record_selected(self) -> None:
        info = self._selected_diversion()
        if info is None or self._busy:
            return
        feedback, actor, diversion_id = self.feedback_edit.text(), self._actor, info.id

        def work(session: Session) -> DiversionInfo:
            return diversion.record_feedback(session, actor, diversion_id, feedback)

        def done(result: DiversionInfo) -> None:
            self._set_busy(False)
            self.feedback_edit.clear()
            self._done(self.tr("Feedback on {number} recorded: the case can now go to closure review.").format(
                number=result.number))

        self._set_busy(True)
        self.feedback_error.hide()
        self._runner.run_write(work, on_success=done,
                               on_error=lambda failure: self._write_failed(failure, self.feedback_error))

    def _done(self, message: str) -> None:
        self.done_label.setText(message)
        self.done_label.show()

    def _write_failed(self, failure: TaskFailure, label: QLabel) -> None:
        self._set_busy(False)
        label.setText(failure.message)
        label.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()

    def _update_enabled(self) -> None:
        order = self._selected_order()
        self.answer_button.setEnabled(not self._busy and order is not None and order.open)
        self.answer_edit.setEnabled(order is not None and order.open)
        info = self._selected_diversion()
        self.feedback_button.setEnabled(not self._busy and info is not None)
        self.feedback_edit.setEnabled(info is not None)


__all__ = ["AwaitingModel", "DeskPanel", "DueCasesModel", "OrdersModel", "has_desk", "shows_diversions", "shows_due",
           "shows_orders"]
