"""One case: its header and clock, facts and requests, parties, timeline, the transitions this user
may take now (exactly the ``actions`` the service lists for this actor), and what watches the case
from outside its team — supervision orders and diversions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.readmodels.cases import ActionView, CaseDetail, EventView
from mediation_desk.services import audit, pages, ratings, workflow
from mediation_desk.services.errors import Conflict
from mediation_desk.services.pages import CasePage
from mediation_desk.services.workflow import FINAL_STATES
from mediation_desk.ui.cases.clock import ClockLine
from mediation_desk.ui.cases.crossings import CaseCrossingsBox
from mediation_desk.ui.cases.hotline import HotlineBox
from mediation_desk.ui.cases.oversight import DiversionsBox, SupervisionBox
from mediation_desk.ui.cases.routing import AssignPanel, DivertPanel
from mediation_desk.ui.cases.tabs.agreement import AgreementTab
from mediation_desk.ui.cases.tabs.confirmation import ConfirmationTab
from mediation_desk.ui.cases.tabs.documents import DocumentsTab
from mediation_desk.ui.cases.tabs.parties_model import PartiesModel
from mediation_desk.ui.cases.tabs.records import RecordsTab
from mediation_desk.ui.cases.tabs.sessions import SessionsTab
from mediation_desk.ui.cases.tabs.transfer import TransferTab
from mediation_desk.ui.cases.tabs.visits import VisitsTab
from mediation_desk.ui.cases.tabs.witnesses import WitnessesTab
from mediation_desk.ui.common.collector import keep_made_later
from mediation_desk.ui.common.confirm import confirm_irreversible
from mediation_desk.ui.common.conflict_dialog import ConflictDialog, FieldChange, open_conflict
from mediation_desk.ui.common.format import FINAL_COLOUR, RISK_COLOURS, STATE_COLOURS, TodayProvider, format_time
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, action_prompt, action_text, enum_text
from mediation_desk.ui.common.row_heights import TextRowHeights
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskHandle, TaskRunner
from mediation_desk.ui.common.unsaved import LeaveGuard, UnsavedEditor, reveal
from mediation_desk.ui.common.widgets import RefreshWhenShown, named
from mediation_desk.ui.counter.rating_dialog import RatingDialog

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.diversion import DiversionInfo

ERROR_STYLE = "color: #c62828;"
ASSIGN = str(workflow.Action.ASSIGN)
#: The 改派 button's key among the action buttons (no transition: ``assignment.route``).
ROUTE = "route"
DIVERT = str(workflow.Action.DIVERT)
SUBMIT_FOR_REVIEW = str(workflow.Action.SUBMIT_FOR_REVIEW)
APPROVE_CLOSURE = str(workflow.Action.APPROVE_CLOSURE)
NOTE_LINES = 3


class TimelineModel(RowsModel[EventView]):
    COL_TIME, COL_USER, COL_EVENT, COL_STATES, COL_NOTE = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("TimelineModel", "Time"),
        QT_TRANSLATE_NOOP("TimelineModel", "By"),
        QT_TRANSLATE_NOOP("TimelineModel", "Event"),
        QT_TRANSLATE_NOOP("TimelineModel", "State"),
        QT_TRANSLATE_NOOP("TimelineModel", "Note"),
    )
    CONTEXT = "TimelineModel"

    def text(self, event: EventView, column: int) -> str:
        if column == self.COL_TIME:
            return format_time(event.at)
        if column == self.COL_USER:
            return event.user_name
        if column == self.COL_EVENT:
            return action_text(event.action, enum_text(event.kind)) if event.action else enum_text(event.kind)
        if column == self.COL_STATES:
            if event.from_state and event.to_state:
                return f"{enum_text(event.from_state)} → {enum_text(event.to_state)}"
            return enum_text(event.to_state) if event.to_state else ""
        if column == self.COL_NOTE:
            return event.note
        return ""


def _fit_height(table: QTableView) -> None:
    """Size a small table to its rows so the page scrolls as one, not table by table."""
    rows = table.model().rowCount()
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    if rows:
        height += table.verticalHeader().length()
    else:
        height += table.verticalHeader().defaultSectionSize()
    if (table.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            and table.horizontalHeader().length() > table.viewport().width()):
        height += table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(height)


def _small_table(model: QAbstractTableModel, name: str) -> QTableView:
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setHighlightSections(False)
    return table


def _badge(text: str, colour: str) -> str:
    return f'<span style="background-color:{colour}; color:white;">&nbsp;{text}&nbsp;</span>'


class CaseTab(Protocol):
    """A tab of the case view that works on the shown case (records, agreement, documents …).

    ``changed`` is emitted after the tab saved something, so the overview reloads; ``show_case``
    (re)loads the tab's own data through the task runner.
    """

    @property
    def changed(self) -> SignalInstance: ...

    def show_case(self, case_id: int) -> None: ...


class OverviewInput:
    """What is typed on the case's overview (ui.unsaved): the note for the next step, a supervision
    order being written, answers to orders, diversion feedback. Each goes with its own button."""

    def __init__(self, view: CaseDetailView) -> None:
        self._view = view

    def _typed(self) -> list[tuple[str, QWidget]]:
        view = self._view
        if view.case_id is None:
            return []
        translate = QCoreApplication.translate
        typed: list[tuple[str, QWidget]] = []
        if view.note_edit.toPlainText().strip():
            typed.append((translate("CaseDetailView", "the note for the next step"), view.note_edit))
        supervision = view.supervision_box
        if not supervision.issue_panel.isHidden() and supervision.instruction_edit.toPlainText().strip():
            typed.append((translate("CaseDetailView", "a supervision order"), supervision.instruction_edit))
        if any(item.answer_edit.toPlainText().strip() for item in supervision.items.values()):
            first = next(i for i in supervision.items.values() if i.answer_edit.toPlainText().strip())
            typed.append((translate("CaseDetailView", "the answer to a supervision order"), first.answer_edit))
        feedback = [i for i in view.diversions_box.items.values() if i.feedback_edit.text().strip()]
        if feedback:
            typed.append((translate("CaseDetailView", "the feedback of a diversion"), feedback[0].feedback_edit))
        return typed

    def has_unsaved_input(self) -> bool:
        return bool(self._typed())

    def unsaved_description(self) -> str:
        detail = self._view.detail
        number = detail.number if detail is not None else ""
        parts = QCoreApplication.translate("CaseDetailView", "; ").join(text for text, _w in self._typed())
        return QCoreApplication.translate("CaseDetailView", "{number} overview: {parts}").format(
            number=number, parts=parts).strip()

    def can_save_unsaved(self) -> bool:
        return False  # each goes with its own step (an action, an order, an answer)

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        done(False)

    def discard_unsaved(self) -> None:
        view = self._view
        view.note_edit.clear()
        view.supervision_box.instruction_edit.clear()
        for order in view.supervision_box.items.values():
            order.answer_edit.clear()
        for item in view.diversions_box.items.values():
            item.feedback_edit.clear()

    def keep_draft(self) -> bool:
        return False

    def reveal_unsaved(self) -> None:
        view = self._view
        view.tabs.setCurrentIndex(0)
        typed = self._typed()
        reveal(view, typed[0][1] if typed else view.note_edit)


class WorkTabs(dict[str, CaseTab]):
    """The case page's work tabs by key: a tab not made yet is made when looked up by its key
    (``tabs["records"]``); ``values()``/``items()`` hold the ones made so far (a tab never made
    holds no input and shows no case)."""

    def __init__(self, make: Callable[[str], CaseTab]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: str) -> CaseTab:
        tab = self[key] = self._make(key)
        return tab


class CaseDetailView(QWidget):
    """Shows one case; reloads itself when a write touched it."""

    #: A case was shown (after a load or reload): its id.
    loaded = Signal(int)
    #: Another case was asked for, and the user stayed on this one (its id) to keep unsaved input.
    case_kept = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._case_id: int | None = None
        #: Reads the case again when shown if a change named it while the page was out of sight.
        self.loading = RefreshWhenShown(self, self.reload)
        #: The last read of a case page submitted, and its case.
        self._reading: TaskHandle | None = None
        self._reading_case: int | None = None
        self._detail: CaseDetail | None = None
        self._page: CasePage | None = None
        self._busy = False
        self.action_buttons: dict[str, QPushButton] = {}
        #: The question before an irreversible action, while it is open.
        self.confirm_box: QMessageBox | None = None

        self.empty_label = QLabel(self.tr("Double-click a case in the list, or press Enter, to open it."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.load_error = named(QLabel(), "loadError")
        self.load_error.setStyleSheet(ERROR_STYLE)
        self.load_error.setWordWrap(True)
        self.load_error.hide()

        # ---- header
        self.number_label = named(QLabel(), "caseNumber")
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = QFont(self.number_label.font())
        bold.setBold(True)
        self.number_label.setFont(bold)
        self.state_label = named(QLabel(), "caseState")
        self.risk_label = named(QLabel(), "caseRisk")
        self.flags_label = named(QLabel(), "caseFlags")
        self.flags_label.setStyleSheet(ERROR_STYLE)
        # Four flags may be set: the line wraps instead of widening the page beside the list.
        self.flags_label.setWordWrap(True)
        self.flags_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.addWidget(self.number_label)
        top.addWidget(self.state_label)
        top.addWidget(self.risk_label)
        top.addWidget(self.flags_label, 1)
        #: 录入评价: a 好差评 the citizen gave on paper or by phone (docs/ratings.md).
        self.rate_button = named(QPushButton(self.tr("Record a rating…")), "caseRate")
        self.rate_button.clicked.connect(self.open_rating_dialog)
        self.rating_dialog: RatingDialog | None = None
        self.title_label = named(QLabel(), "caseTitle")
        self.title_label.setWordWrap(True)
        title_font = QFont(self.title_label.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.clock_line = ClockLine(runner, actor)
        # Through a lambda: set_today replaces the provider later (tests move the clock).
        self.hotline_box = HotlineBox(runner, actor, lambda: self._today())  # noqa: PLW0108
        self.hotline_box.hide()

        self.fields: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        field_names = (
            ("type", self.tr("Dispute type")), ("source", self.tr("Source")),
            ("team", self.tr("Team")), ("lead", self.tr("Lead mediator")),
            ("received", self.tr("Received")), ("accepted", self.tr("Accepted")),
            ("closed", self.tr("Closed")), ("people", self.tr("People involved")),
            ("amount", self.tr("Amount involved")), ("place", self.tr("Place")),
        )
        for i, (key, caption) in enumerate(field_names):
            caption_label = QLabel(self.tr("{field}:").format(field=caption))
            caption_label.setStyleSheet(f"color: {FINAL_COLOUR};")
            value = named(QLabel(), f"field_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.fields[key] = value
            row, col = divmod(i, 2)
            grid.addWidget(caption_label, row, col * 2)
            grid.addWidget(value, row, col * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        # ---- the flags the statistics by level count (services.case_flags)
        self.flags_box = named(QGroupBox(self.tr("Flags for the statistics")), "flagsBox")
        self.major_check = named(QCheckBox(self.tr("Major dispute")), "flagMajor")
        self.criminal_check = named(QCheckBox(self.tr("May turn criminal")), "flagCriminal")
        self.petition_check = named(QCheckBox(self.tr("May lead to a group petition")), "flagPetition")
        self.flags_save = named(QPushButton(self.tr("Save flags")), "flagsSave")
        self.flags_status = named(QLabel(), "flagsStatus")
        self.flags_status.setWordWrap(True)
        self.flags_status.hide()  # shown with what the save said
        flags_layout = QVBoxLayout(self.flags_box)
        flags_row = QHBoxLayout()
        for check in (self.major_check, self.criminal_check, self.petition_check):
            flags_row.addWidget(check)
            check.toggled.connect(self._flags_edited)
        flags_row.addWidget(self.flags_save)
        flags_row.addStretch(1)
        flags_layout.addLayout(flags_row)
        flags_layout.addWidget(self.flags_status)
        self.flags_save.clicked.connect(self.save_flags)
        self.flags_box.hide()

        # ---- actions
        self.actions_box = named(QGroupBox(self.tr("Handle this case")), "actionsBox")
        self.note_edit = named(QPlainTextEdit(), "noteEdit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * NOTE_LINES + 14)
        self.note_error = named(QLabel(), "noteError")
        self.note_error.setStyleSheet(ERROR_STYLE)
        self.note_error.setWordWrap(True)
        self.note_error.hide()
        self.no_actions_label = QLabel(self.tr("You cannot change this case in its current state."))
        self.no_actions_label.setStyleSheet(f"color: {FINAL_COLOUR};")
        self.buttons_row = QHBoxLayout()
        self.buttons_row.setContentsMargins(0, 0, 0, 0)
        buttons_holder = QWidget()
        buttons_holder.setLayout(self.buttons_row)

        self.assign_panel = AssignPanel(runner, actor, note_source=self.note_edit.toPlainText)
        self.assign_panel.hide()
        self.assign_panel.assigned.connect(lambda _case_id: self._action_done())
        self.assign_panel.conflict.connect(self.reload)
        self.divert_panel = DivertPanel(runner, actor)
        self.divert_panel.hide()
        self.divert_panel.diverted.connect(lambda _case_id: self._action_done())
        self.divert_panel.conflict.connect(self.reload)

        actions_layout = QVBoxLayout(self.actions_box)
        self.note_caption = QLabel(self.tr("Note"))
        actions_layout.addWidget(self.note_caption)
        actions_layout.addWidget(self.note_edit)
        actions_layout.addWidget(self.note_error)
        actions_layout.addWidget(buttons_holder)
        actions_layout.addWidget(self.no_actions_label)
        actions_layout.addWidget(self.assign_panel)
        actions_layout.addWidget(self.divert_panel)

        # ---- oversight
        self.supervision_box = SupervisionBox(runner, actor)
        self.supervision_box.hide()
        self.diversions_box = DiversionsBox(runner, actor)
        self.diversions_box.hide()
        # 上报 / 交办 / 回退 / 联办 / 反馈 between centers (docs/crossings.md); shown when it has a step
        self.crossings_box = CaseCrossingsBox(runner, actor, today=self._today)
        self.crossings_box.changed.connect(self.reload)

        # ---- facts, parties, timeline
        self.facts_label = named(QLabel(), "caseFacts")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.requests_label = named(QLabel(), "caseRequests")
        self.requests_label.setWordWrap(True)
        self.requests_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts_box = QGroupBox(self.tr("Facts and requests"))
        facts_layout = QVBoxLayout(facts_box)
        facts_layout.addWidget(self.facts_label)
        facts_layout.addWidget(self.requests_label)

        self.parties_model = PartiesModel(self)
        self.parties_table = _small_table(self.parties_model, "partiesTable")
        parties_box = QGroupBox(self.tr("Parties"))
        QVBoxLayout(parties_box).addWidget(self.parties_table)
        self.timeline_model = TimelineModel(self)
        self.timeline_table = _small_table(self.timeline_model, "timelineTable")
        for column, width in ((TimelineModel.COL_TIME, 124), (TimelineModel.COL_USER, 64),
                              (TimelineModel.COL_EVENT, 100), (TimelineModel.COL_STATES, 140)):
            self.timeline_table.horizontalHeader().resizeSection(column, width)
        party_widths = ((PartiesModel.COL_ROLE, 70), (PartiesModel.COL_NAME, 120),
                        (PartiesModel.COL_KIND, 70), (PartiesModel.COL_GENDER, 40),
                        (PartiesModel.COL_ID, 220), (PartiesModel.COL_PHONE, 110),
                        (PartiesModel.COL_ADDRESS, 200))
        for column, width in party_widths:
            self.parties_table.horizontalHeader().resizeSection(column, width)
        # Notes are the reasons the workflow asks for: wrap them instead of cutting them off, and
        # let the table grow with its rows (row heights follow the column widths).
        self.timeline_table.setWordWrap(True)
        self.timeline_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Each row as tall as its wrapped text, measured from the rows' texts (not Qt's
        # ResizeToContents, which asked the model's data() per cell at every measure: ~4,400 calls
        # on the big case's first opening); the table fitted to its rows once they are.
        self.timeline_heights = TextRowHeights(self.timeline_table, self.timeline_model)
        self.timeline_heights.fitted.connect(lambda: _fit_height(self.timeline_table))
        timeline_box = QGroupBox(self.tr("Timeline"))
        QVBoxLayout(timeline_box).addWidget(self.timeline_table)

        self.page = named(QWidget(), "casePage")
        page_layout = QVBoxLayout(self.page)
        page_layout.addLayout(top)
        # The title wraps beside the button, which never widens the page beside the list.
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label, 1)
        title_row.addWidget(self.rate_button, 0, Qt.AlignmentFlag.AlignTop)
        page_layout.addLayout(title_row)
        # Once it has its parent (shown without one, a widget would open as a window of its own).
        self.rate_button.setVisible(actor.role in ratings.RECORDERS)
        page_layout.addWidget(self.clock_line)
        page_layout.addWidget(self.hotline_box)
        page_layout.addLayout(grid)
        page_layout.addWidget(self.flags_box)
        page_layout.addWidget(self.actions_box)
        page_layout.addWidget(self.supervision_box)
        page_layout.addWidget(self.diversions_box)
        page_layout.addWidget(self.crossings_box)
        page_layout.addWidget(facts_box)
        page_layout.addWidget(parties_box)
        page_layout.addWidget(timeline_box)
        page_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.page)
        self.scroll_area = scroll

        # The overview first; the work on the case (records, agreement, documents, the ends of
        # the case) in tabs after it, each loaded only when it is first looked at for a case.
        self.tabs = named(QTabWidget(), "caseTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(scroll, self.tr("Overview"))
        #: The work tabs, each made when first asked for (shown, or named by code): making all eight
        #: with the page held the first opening of a case ~200 ms on the GUI thread, though the
        #: overview is what opens.
        self.work_tabs: WorkTabs = WorkTabs(self._make_work_tab)
        #: The scroll area each work tab sits in (the page of ``tabs``), there from the start.
        self.work_pages: dict[str, QScrollArea] = {}
        self._tab_case: dict[str, int | None] = {}
        self._tab_makers: dict[str, Callable[[], CaseTab]] = {}
        self.tabs.currentChanged.connect(self._tab_shown)
        self.add_work_tab("sessions", self.tr("Sessions"), partial(self._sessions_tab, runner, actor))
        self.add_work_tab("records", self.tr("Records"), partial(RecordsTab, runner, actor))
        self.add_work_tab("agreement", self.tr("Agreement"), partial(AgreementTab, runner, actor))
        self.add_work_tab("confirmation", self.tr("Judicial confirmation"), partial(ConfirmationTab, runner, actor))
        self.add_work_tab("transfer", self.tr("Termination and transfer"), partial(TransferTab, runner, actor))
        self.add_work_tab("witnesses", self.tr("Witnesses and evidence"), partial(WitnessesTab, runner, actor))
        self.add_work_tab("visits", self.tr("Return visits"), partial(VisitsTab, runner, actor))
        self.add_work_tab("documents", self.tr("Documents"), partial(DocumentsTab, runner, actor))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.load_error)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.tabs, 1)
        self.tabs.hide()

        #: The open conflict dialog (another desk moved the case first), if any.
        self.conflict_dialog: ConflictDialog | None = None
        runner.changed.connect(self._on_changed)
        self.overview_input = OverviewInput(self)
        #: Asks before another case replaces unsaved input (``open_case``).
        self.guard = LeaveGuard(self, self.unsaved_editors)

    def unsaved_editors(self) -> list[UnsavedEditor]:
        """Every editor of this view that may hold unsaved input: the note, then the tabs."""
        editors: list[UnsavedEditor] = [self.overview_input]
        editors += [tab for tab in self.work_tabs.values() if isinstance(tab, UnsavedEditor)]
        return editors

    def open_case(self, case_id: int) -> None:
        """Show another case as a person asked (a list, a search result, a link): unsaved input of
        the shown one is saved, discarded or kept by the user's answer first."""
        shown = self._case_id
        if case_id == shown:
            self.show_case(case_id)
            return

        def stay() -> None:
            if shown is not None:
                self.case_kept.emit(shown)

        self.guard.leave(lambda: self.show_case(case_id), stay)

    def add_work_tab(self, key: str, title: str, make: Callable[[], CaseTab]) -> None:
        """Add a tab that works on the shown case, made by ``make`` when first asked for; after it
        saves, the overview reloads too."""
        self._tab_case[key] = None
        self._tab_makers[key] = make
        # Each tab scrolls on its own: a long form (a transfer, a return visit, witnesses) must not
        # raise the window's minimum size above a 1366×768 screen (the tab widget's minimum is the
        # largest of its pages, shown or not).
        page = QScrollArea()
        page.setObjectName(f"{key}TabScroll")
        page.setWidgetResizable(True)
        page.setFrameShape(QFrame.Shape.NoFrame)
        self.work_pages[key] = page
        self.tabs.addTab(page, title)

    def _make_work_tab(self, key: str) -> CaseTab:
        tab = self._tab_makers[key]()
        assert isinstance(tab, QWidget)
        tab.setObjectName(f"{key}Tab")
        self.work_pages[key].setWidget(tab)
        tab.changed.connect(self.reload)
        keep_made_later()  # lives as long as the page: out of the collector's sight
        return tab

    def _sessions_tab(self, runner: TaskRunner, actor: Actor) -> SessionsTab:
        tab = SessionsTab(runner, actor)
        tab.start_record.connect(self._record_from_session)
        return tab

    def _record_from_session(self, draft: object) -> None:
        """The sessions tab started a session's 调解记录: the records tab shows it, filled."""
        records = self.work_tabs["records"]
        assert isinstance(records, RecordsTab)
        self.show_tab("records")
        records.start_from(draft)  # type: ignore[arg-type]  # a MediationRecordInput, through a Signal(object)

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentWidget(self.work_pages[key])

    def current_work_tab(self) -> CaseTab | None:
        """The work tab shown now (None on the overview)."""
        current = self.tabs.currentWidget()
        return next((self.work_tabs[key] for key, page in self.work_pages.items() if page is current), None)

    def _tab_shown(self, _index: int = -1) -> None:
        current = self.tabs.currentWidget()
        for key, page in self.work_pages.items():
            if page is current and self._case_id is not None and self._tab_case[key] != self._case_id:
                self._tab_case[key] = self._case_id
                self.work_tabs[key].show_case(self._case_id)

    # ------------------------------------------------------------------ loading

    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def detail(self) -> CaseDetail | None:
        return self._detail

    @property
    def page_data(self) -> CasePage | None:
        return self._page

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            # Opening a case shows its parties' personal data: logged once per opening, on the
            # write lane (the read that shows it stays a pure read).
            self._runner.run_write(partial(audit.record_case_opened_if_allowed, actor=self._actor, case_id=case_id))
            self.note_edit.clear()
            self._clear_errors()
            self._close_panels()
            self.flags_status.hide()
        self._case_id = case_id
        self.reload()

    def reload(self) -> None:
        case_id, actor, today = self._case_id, self._actor, self._today()
        if case_id is None:
            return
        self.loading.stale = False
        self._reading_case = case_id

        def work(session: Session) -> CasePage:
            return pages.case_page(session, actor, case_id, today)

        self._reading = self._runner.run_read(work, on_success=self._show, on_error=self._load_failed)

    def _load_failed(self, failure: TaskFailure) -> None:
        self.load_error.setText(failure.message)
        self.load_error.show()

    def _show(self, page: CasePage) -> None:
        detail = page.detail
        if detail.id != self._case_id:
            return  # the user opened another case meanwhile
        self._detail, self._page = detail, page
        today = self._today()
        self.load_error.hide()
        self.empty_label.hide()
        self.tabs.show()
        self._tab_shown()
        self.number_label.setText(detail.number)
        colour = FINAL_COLOUR if detail.state in FINAL_STATES else STATE_COLOURS.get(detail.state, "#455a64")
        self.state_label.setText(_badge(enum_text(detail.state), colour))
        self.risk_label.setText(_badge(self.tr("Risk: {level}").format(level=enum_text(detail.risk_level)),
                                       RISK_COLOURS[detail.risk_level]))
        flags = []
        if detail.is_group_dispute:
            flags.append(self.tr("Group dispute"))
        if detail.may_turn_criminal:
            flags.append(self.tr("May turn criminal"))
        if detail.is_major:
            flags.append(self.tr("Major dispute"))
        if detail.may_group_petition:
            flags.append(self.tr("May lead to a group petition"))
        self.flags_label.setText(" · ".join(flags))
        self._show_flags(detail, page.may_edit_flags)
        self.title_label.setText(detail.title)
        self.clock_line.set_clock(detail.id, page.clock, may_extend=page.may_extend)
        self.hotline_box.set_order(page.hotline, may_record=page.may_record_hotline)
        not_yet = "—"
        amount = (self.tr("{amount} yuan").format(amount=f"{detail.amount_involved:,.2f}")
                  if detail.amount_involved is not None else not_yet)
        place = " ".join(p for p in (detail.address, detail.village, detail.grid) if p)
        values = {
            "type": detail.dispute_type,
            "source": enum_text(detail.source_channel),
            "team": detail.team or self.tr("Not assigned"),
            "lead": detail.lead_mediator or not_yet,
            "received": format_time(detail.received_at),
            "accepted": format_time(detail.accepted_at) or not_yet,
            "closed": format_time(detail.closed_at) or not_yet,
            "people": str(detail.people_involved) if detail.people_involved else not_yet,
            "amount": amount,
            "place": place or not_yet,
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        self.facts_label.setText(detail.facts or self.tr("No facts recorded yet."))
        if detail.requests:
            lines = [self.tr("Requests:")] + [f"{i}. {r}" for i, r in enumerate(detail.requests, start=1)]
            self.requests_label.setText("\n".join(lines))
        else:
            self.requests_label.setText(self.tr("No requests recorded."))
        self.parties_model.set_rows(detail.parties)
        self.timeline_model.set_rows(detail.events)
        self._set_actions(detail.actions, routable=detail.routable)
        # An open panel acts on the case as now shown (like the action buttons do).
        if not self.assign_panel.isHidden():
            self.assign_panel.open_for(detail.id, detail.version, reroute=self.assign_panel.rerouting)
        if not self.divert_panel.isHidden():
            self.divert_panel.open_for(detail.id, detail.version, village=detail.village)
        self.supervision_box.set_orders(detail.id, page.orders, case_open=detail.state not in FINAL_STATES,
                                        today=today)
        self.diversions_box.set_diversions(detail.id, page.diversions, today=today)
        self.crossings_box.show_case(detail.id)
        _fit_height(self.parties_table)
        _fit_height(self.timeline_table)
        self.loaded.emit(detail.id)

    # ------------------------------------------------------------------ statistics flags

    def _show_flags(self, detail: CaseDetail, may_edit: bool) -> None:
        self.flags_box.setVisible(may_edit)
        for check, value in ((self.major_check, detail.is_major), (self.criminal_check, detail.may_turn_criminal),
                             (self.petition_check, detail.may_group_petition)):
            check.blockSignals(True)
            check.setChecked(value)
            check.blockSignals(False)
        self.flags_save.setEnabled(False)

    def _flags_edited(self, _checked: bool = False) -> None:
        detail = self._detail
        if detail is None:
            return
        self.flags_status.hide()
        self.flags_save.setEnabled((self.major_check.isChecked(), self.criminal_check.isChecked(),
                                    self.petition_check.isChecked())
                                   != (detail.is_major, detail.may_turn_criminal, detail.may_group_petition))

    def save_flags(self) -> None:
        """Save the three ticks (重大, 可能民转刑, 可能引发群体性上访) on the write lane."""
        detail = self._detail
        if detail is None:
            return
        from mediation_desk.services.case_flags import CaseFlags

        flags = CaseFlags(is_major=self.major_check.isChecked(), may_turn_criminal=self.criminal_check.isChecked(),
                          may_group_petition=self.petition_check.isChecked())
        actor, case_id, version = self._actor, detail.id, detail.version

        def work(session: Session) -> bool:
            from mediation_desk.services import case_flags

            return case_flags.set_flags(session, actor, case_id, flags, expected_version=version)

        def saved(_changed: bool) -> None:
            self.flags_status.setStyleSheet("")
            self.flags_status.setText(self.tr("Flags saved."))
            self.flags_status.show()

        def failed(failure: TaskFailure) -> None:
            self.flags_status.setStyleSheet(ERROR_STYLE)
            self.flags_status.setText(failure.message)
            self.flags_status.show()
            self.flags_save.setEnabled(True)  # the ticks stay as the user set them

        self.flags_save.setEnabled(False)
        self._runner.run_write(work, on_success=saved, on_error=failed)

    def _set_actions(self, actions: tuple[ActionView, ...], *, routable: bool = False) -> None:
        while self.buttons_row.count():
            item = self.buttons_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.action_buttons = {}
        for view in actions:
            button = named(QPushButton(action_text(view.action, view.label)), f"action_{view.action}")
            if view.note_required and view.action != DIVERT:
                button.setToolTip(self.tr("Needs a note: {prompt}").format(
                    prompt=action_prompt(view.action, view.note_prompt)))
            button.clicked.connect(lambda _checked=False, v=view: self.take_action(v))
            self.buttons_row.addWidget(button)
            self.action_buttons[view.action] = button
        if routable:
            # 改派: the center working on the case gives it to one of its teams (a case reported up
            # or assigned down arrives with the sending center's team, docs/crossings.md).
            button = named(QPushButton(self.tr("Route to a team…")), f"action_{ROUTE}")
            button.setToolTip(self.tr("Give the case to a team of the center handling it, with its lead mediator."))
            button.clicked.connect(lambda _checked=False: self.open_route())
            self.buttons_row.addWidget(button)
            self.action_buttons[ROUTE] = button
        self.buttons_row.addStretch(1)
        # 分流 asks its own questions in its panel; the note box serves the other actions.
        required = [action_prompt(v.action, v.note_prompt) for v in actions
                    if v.note_required and v.action != DIVERT]
        hint = self.tr("Optional note for the timeline")
        if required:
            hint += self.tr(" (required: {prompts})").format(prompts=self.tr("; ").join(required))
        self.note_edit.setPlaceholderText(hint)
        self.note_edit.setVisible(bool(actions) or routable)
        self.note_caption.setVisible(bool(actions) or routable)
        self.no_actions_label.setVisible(not actions and not routable)
        if (ROUTE if self.assign_panel.rerouting else ASSIGN) not in self.action_buttons:
            self.assign_panel.close_panel()
        if DIVERT not in self.action_buttons:
            self.divert_panel.close_panel()
        self._update_enabled()

    def open_rating_dialog(self) -> None:
        """录入评价 for the case shown."""
        if self._case_id is None:
            return
        self.rating_dialog = RatingDialog(self._runner, self._actor, self._case_id, self.number_label.text(), self)
        self.rating_dialog.open()

    def open_route(self) -> None:
        """改派: the assignment panel, choosing a team of the center handling the case."""
        detail = self._detail
        if detail is None or self._busy:
            return
        self._clear_errors()
        self.divert_panel.close_panel()
        self.assign_panel.open_for(detail.id, detail.version, reroute=True)
        self._reveal(self.assign_panel)

    def _waiting_for(self) -> DiversionInfo | None:
        """The diversion whose feedback closure review still waits for."""
        page = self._page
        return page.awaiting_diversion if page is not None else None

    # ------------------------------------------------------------------ transitions

    def take_action(self, view: ActionView, *, confirmed: bool = False) -> None:
        """Take a transition the service offered; 分派 and 分流 open their panels instead; 审核结案
        (which cannot be taken back) asks first."""
        detail = self._detail
        if detail is None or self._busy:
            return
        if view.action == APPROVE_CLOSURE and not confirmed:
            self.confirm_box = confirm_irreversible(
                self, self.tr("Approve closure"),
                self.tr("Once approved, case {number} is closed; this cannot be withdrawn.").format(
                    number=detail.number),
                action_text(view.action, view.label),
                lambda: self.take_action(view, confirmed=True) if self._detail is detail else None)
            return
        self._clear_errors()
        if view.action == ASSIGN:
            self.divert_panel.close_panel()
            self.assign_panel.open_for(detail.id, detail.version, reroute=False)
            self._reveal(self.assign_panel)  # it opens below the buttons, possibly below the fold
            return
        if view.action == DIVERT:
            self.assign_panel.close_panel()
            self.divert_panel.open_for(detail.id, detail.version, village=detail.village)
            self._reveal(self.divert_panel)
            return
        note = self.note_edit.toPlainText()
        actor, case_id, version, action = self._actor, detail.id, detail.version, view.action

        def work(session: Session) -> None:
            workflow.transition(session, actor, case_id, action, note=note, expected_version=version)

        button = self.action_buttons.get(view.action)
        self._set_busy(True)
        self._runner.run_write(work, on_success=lambda _result: self._action_done(button),
                               on_error=lambda failure: self._action_failed(failure, detail, view))

    def _action_done(self, button: QPushButton | None = None) -> None:
        self._set_busy(False)
        if button is not None and button in self.action_buttons.values():
            button.setEnabled(False)  # done: it stays off until the case shows its next steps
        self.note_edit.clear()
        self._clear_errors()
        self._close_panels()

    def _action_failed(self, failure: TaskFailure, base: CaseDetail | None = None,
                       view: ActionView | None = None) -> None:
        self._set_busy(False)
        self.note_error.setText(failure.message)
        self.note_error.show()
        self._reveal(self.note_error)
        if isinstance(failure.error, Conflict):
            self.reload()  # someone else moved the case: show where it is now; the note stays
            if base is not None and view is not None:
                self._explain_conflict(base, view)
        elif failure.field == "note":
            self.note_edit.setFocus()

    def _explain_conflict(self, base: CaseDetail, view: ActionView) -> None:
        """Show how the case moved meanwhile; "re-apply" takes the action again if still offered."""
        actor, today, note = self._actor, self._today(), self.note_edit.toPlainText()

        def show(page: CasePage) -> None:
            fresh = page.detail
            if fresh.id != self._case_id:
                return
            again = next((a for a in fresh.actions if a.action == view.action), None)
            changes = [FieldChange("state", self.tr("State"), enum_text(base.state), enum_text(fresh.state),
                                   action_text(view.action, view.label) + (f"（{note}）" if note else ""))]

            def chosen(result: int) -> None:
                self.conflict_dialog = None
                if result == ConflictDialog.RELOAD:
                    self.note_edit.clear()
                    self._clear_errors()
                elif result == ConflictDialog.REAPPLY and again is not None:
                    self.take_action(again)

            gone = self.tr("“{action}” is no longer possible in the case's present state.").format(
                action=action_text(view.action, view.label))
            self.conflict_dialog = open_conflict(self, fresh.number, changes, chosen, can_reapply=again is not None,
                                                 reason="" if again is not None else gone)

        self._runner.run_read(lambda session: pages.case_page(session, actor, base.id, today), on_success=show)

    def _reveal(self, widget: QWidget) -> None:
        # Once the layout has placed a widget that just appeared, scroll the page to it.
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(widget))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()

    def _update_enabled(self) -> None:
        waiting = self._waiting_for()
        for action, button in self.action_buttons.items():
            blocked = action == SUBMIT_FOR_REVIEW and waiting is not None
            button.setEnabled(not self._busy and not blocked)
            if blocked and waiting is not None:
                button.setToolTip(self.tr("Waiting for the feedback of “{body}”: record it below first.").format(
                    body=waiting.body_name))

    def _clear_errors(self) -> None:
        for label in (self.note_error, self.load_error):
            label.clear()
            label.hide()

    def _close_panels(self) -> None:
        self.assign_panel.close_panel()
        self.divert_panel.close_panel()

    # ------------------------------------------------------------------ refresh

    def set_today(self, today: TodayProvider) -> None:
        """Use another clock for "today" (tests move it) and show the case by it."""
        self._today = today
        self.crossings_box.set_today(today)
        self.reload()

    def _on_changed(self, changes: Changes) -> None:
        # A new time limit or holiday moves the clock of every open case, this one included.
        if self._case_id is not None and (changes.touches_case(self._case_id) or changes.settings):
            if self.loading.defer():
                return  # read when its section or window is shown again
            reading = self._reading
            if reading is None or reading.started or reading.cancelled or self._reading_case != self._case_id:
                # A read of this case not started yet sees the write (a save's tab asked for it
                # in its callback, just before this notice): no second read of the whole page.
                self.reload()


__all__ = ["CaseDetailView", "PartiesModel", "TimelineModel"]
