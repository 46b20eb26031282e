"""One case: its header, facts and requests, parties, timeline, and the transitions this user may
take now (exactly the ``actions`` the service lists for this actor)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..models import PartyKind
from ..services import cases, reference, workflow
from ..services.cases import ActionView, CaseDetail, EventView, PartyView
from ..services.changes import Changes
from ..services.errors import Conflict
from ..services.workflow import FINAL_STATES
from .case_list_model import FINAL_COLOUR, RISK_COLOURS, STATE_COLOURS, format_time
from .i18n import QT_TRANSLATE_NOOP, action_prompt, action_text, enum_text
from .tasks import TaskFailure, TaskRunner
from .widgets import named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..services.actor import Actor
    from ..services.reference import Choice

ERROR_STYLE = "color: #c62828;"
ASSIGN = str(workflow.Action.ASSIGN)
NOTE_LINES = 3


class PartiesModel(QAbstractTableModel):
    COL_ROLE, COL_NAME, COL_KIND, COL_GENDER, COL_ID, COL_PHONE, COL_ADDRESS, COL_AGENT = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("PartiesModel", "Role"),
        QT_TRANSLATE_NOOP("PartiesModel", "Name"),
        QT_TRANSLATE_NOOP("PartiesModel", "Kind"),
        QT_TRANSLATE_NOOP("PartiesModel", "Gender"),
        QT_TRANSLATE_NOOP("PartiesModel", "ID document"),
        QT_TRANSLATE_NOOP("PartiesModel", "Phone"),
        QT_TRANSLATE_NOOP("PartiesModel", "Address"),
        QT_TRANSLATE_NOOP("PartiesModel", "Agent"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parties: tuple[PartyView, ...] = ()

    def set_parties(self, parties: tuple[PartyView, ...]) -> None:
        self.beginResetModel()
        self._parties = parties
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._parties)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        if 0 <= section < len(self.HEADERS):
            return QCoreApplication.translate("PartiesModel", self.HEADERS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._parties):
            return None
        party = self._parties[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(party, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return party.id
        return None

    def _text(self, party: PartyView, column: int) -> str | None:
        if column == self.COL_ROLE:
            return enum_text(party.role)
        if column == self.COL_NAME:
            return party.name
        if column == self.COL_KIND:
            return enum_text(party.kind)
        if column == self.COL_GENDER:
            return enum_text(party.gender) if party.gender else ""
        if column == self.COL_ID:
            if party.kind is not PartyKind.PERSON and party.credit_code:
                return party.credit_code
            if not party.id_number:
                return ""
            kind = enum_text(party.id_type) if party.id_type else ""
            return f"{kind} {party.id_number}".strip()
        if column == self.COL_PHONE:
            return party.phone
        if column == self.COL_ADDRESS:
            return party.address
        if column == self.COL_AGENT:
            return party.agent_name
        return None


class TimelineModel(QAbstractTableModel):
    COL_TIME, COL_USER, COL_EVENT, COL_STATES, COL_NOTE = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("TimelineModel", "Time"),
        QT_TRANSLATE_NOOP("TimelineModel", "By"),
        QT_TRANSLATE_NOOP("TimelineModel", "Event"),
        QT_TRANSLATE_NOOP("TimelineModel", "State"),
        QT_TRANSLATE_NOOP("TimelineModel", "Note"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events: tuple[EventView, ...] = ()

    def set_events(self, events: tuple[EventView, ...]) -> None:
        self.beginResetModel()
        self._events = events
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        if 0 <= section < len(self.HEADERS):
            return QCoreApplication.translate("TimelineModel", self.HEADERS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event = self._events[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(event, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return event.id
        return None

    def _text(self, event: EventView, column: int) -> str | None:
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
        return None


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


class CaseDetailView(QWidget):
    """Shows one case; reloads itself when a write touched it."""

    #: A case was shown (after a load or reload): its id.
    loaded = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self._detail: CaseDetail | None = None
        self._busy = False
        self._teams: list[Choice] | None = None
        self._mediators: list[Choice] | None = None
        self.action_buttons: dict[str, QPushButton] = {}

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
        top = QHBoxLayout()
        top.addWidget(self.number_label)
        top.addWidget(self.state_label)
        top.addWidget(self.risk_label)
        top.addWidget(self.flags_label)
        top.addStretch(1)
        self.title_label = named(QLabel(), "caseTitle")
        self.title_label.setWordWrap(True)
        title_font = QFont(self.title_label.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title_label.setFont(title_font)

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

        self.assign_panel = named(QFrame(), "assignPanel")
        self.assign_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.team_combo = named(QComboBox(), "assignTeam")
        self.lead_combo = named(QComboBox(), "assignLead")
        self.assign_confirm = named(QPushButton(self.tr("Assign to this team")), "assignConfirm")
        self.assign_cancel = named(QPushButton(self.tr("Cancel")), "assignCancel")
        self.assign_error = named(QLabel(), "assignError")
        self.assign_error.setStyleSheet(ERROR_STYLE)
        self.assign_error.setWordWrap(True)
        self.assign_error.hide()
        assign_grid = QGridLayout(self.assign_panel)
        assign_grid.addWidget(QLabel(self.tr("Team")), 0, 0)
        assign_grid.addWidget(self.team_combo, 0, 1)
        assign_grid.addWidget(QLabel(self.tr("Lead mediator")), 1, 0)
        assign_grid.addWidget(self.lead_combo, 1, 1)
        assign_buttons = QHBoxLayout()
        assign_buttons.addStretch(1)
        assign_buttons.addWidget(self.assign_cancel)
        assign_buttons.addWidget(self.assign_confirm)
        assign_grid.addLayout(assign_buttons, 2, 0, 1, 2)
        assign_grid.addWidget(self.assign_error, 3, 0, 1, 2)
        assign_grid.setColumnStretch(1, 1)
        self.assign_panel.hide()
        self.assign_confirm.clicked.connect(self._assign)
        self.assign_cancel.clicked.connect(self._close_assign)

        actions_layout = QVBoxLayout(self.actions_box)
        self.note_caption = QLabel(self.tr("Note"))
        actions_layout.addWidget(self.note_caption)
        actions_layout.addWidget(self.note_edit)
        actions_layout.addWidget(self.note_error)
        actions_layout.addWidget(buttons_holder)
        actions_layout.addWidget(self.no_actions_label)
        actions_layout.addWidget(self.assign_panel)

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
        self.timeline_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.timeline_table.verticalHeader().sectionResized.connect(
            lambda *_args: _fit_height(self.timeline_table))
        timeline_box = QGroupBox(self.tr("Timeline"))
        QVBoxLayout(timeline_box).addWidget(self.timeline_table)

        self.page = named(QWidget(), "casePage")
        page_layout = QVBoxLayout(self.page)
        page_layout.addLayout(top)
        page_layout.addWidget(self.title_label)
        page_layout.addLayout(grid)
        page_layout.addWidget(self.actions_box)
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.load_error)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(scroll, 1)
        scroll.hide()

        runner.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ loading

    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def detail(self) -> CaseDetail | None:
        return self._detail

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self.note_edit.clear()
            self._clear_errors()
            self._close_assign()
        self._case_id = case_id
        self.reload()

    def reload(self) -> None:
        case_id, actor = self._case_id, self._actor
        if case_id is None:
            return

        def work(session: Session) -> CaseDetail:
            return cases.case_detail(session, actor, case_id)

        self._runner.run_read(work, on_success=self._show, on_error=self._load_failed)

    def _load_failed(self, failure: TaskFailure) -> None:
        self.load_error.setText(failure.message)
        self.load_error.show()

    def _show(self, detail: CaseDetail) -> None:
        if detail.id != self._case_id:
            return  # the user opened another case meanwhile
        self._detail = detail
        self.load_error.hide()
        self.empty_label.hide()
        self.scroll_area.show()
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
        self.flags_label.setText(" · ".join(flags))
        self.title_label.setText(detail.title)
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
        self.parties_model.set_parties(detail.parties)
        self.timeline_model.set_events(detail.events)
        self._set_actions(detail.actions)
        _fit_height(self.parties_table)
        _fit_height(self.timeline_table)
        self.loaded.emit(detail.id)

    def _set_actions(self, actions: tuple[ActionView, ...]) -> None:
        while self.buttons_row.count():
            item = self.buttons_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.action_buttons = {}
        for view in actions:
            button = named(QPushButton(action_text(view.action, view.label)), f"action_{view.action}")
            if view.note_required:
                button.setToolTip(self.tr("Needs a note: {prompt}").format(
                    prompt=action_prompt(view.action, view.note_prompt)))
            button.clicked.connect(lambda _checked=False, v=view: self.take_action(v))
            self.buttons_row.addWidget(button)
            self.action_buttons[view.action] = button
        self.buttons_row.addStretch(1)
        required = [action_prompt(v.action, v.note_prompt) for v in actions if v.note_required]
        hint = self.tr("Optional note for the timeline")
        if required:
            hint += self.tr(" (required: {prompts})").format(prompts=self.tr("; ").join(required))
        self.note_edit.setPlaceholderText(hint)
        self.note_edit.setVisible(bool(actions))
        self.note_caption.setVisible(bool(actions))
        self.no_actions_label.setVisible(not actions)
        if ASSIGN not in self.action_buttons:
            self._close_assign()
        self._update_enabled()

    # ------------------------------------------------------------------ transitions

    def take_action(self, view: ActionView) -> None:
        """Take a transition the service offered; 分派 opens the team choice instead."""
        detail = self._detail
        if detail is None or self._busy:
            return
        self._clear_errors()
        if view.action == ASSIGN:
            self._open_assign()
            return
        note = self.note_edit.toPlainText()
        actor, case_id, version, action = self._actor, detail.id, detail.version, view.action

        def work(session: Session) -> None:
            workflow.transition(session, actor, case_id, action, note=note, expected_version=version)

        self._set_busy(True)
        self._runner.run_write(work, on_success=self._action_done, on_error=self._action_failed,
                               changes=_case_changed(case_id))

    def _action_done(self, _result: object = None) -> None:
        self._set_busy(False)
        self.note_edit.clear()
        self._clear_errors()
        self._close_assign()

    def _action_failed(self, failure: TaskFailure, label: QLabel | None = None) -> None:
        self._set_busy(False)
        target = label or self.note_error
        target.setText(failure.message)
        target.show()
        self._reveal(target)
        if isinstance(failure.error, Conflict):
            self.reload()  # someone else moved the case: show where it is now; the note stays
        elif failure.field == "note":
            self.note_edit.setFocus()

    def _reveal(self, widget: QWidget) -> None:
        # Once the layout has placed a widget that just appeared, scroll the page to it.
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(widget))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()

    def _update_enabled(self) -> None:
        for button in self.action_buttons.values():
            button.setEnabled(not self._busy)
        self.assign_confirm.setEnabled(not self._busy and self._teams is not None)

    def _clear_errors(self) -> None:
        for label in (self.note_error, self.assign_error, self.load_error):
            label.clear()
            label.hide()

    # ------------------------------------------------------------------ assignment

    def _open_assign(self) -> None:
        self.assign_panel.show()
        self._reveal(self.assign_panel)  # it opens below the buttons, possibly below the fold
        if self._teams is None:
            def work(session: Session) -> tuple[list[Choice], list[Choice]]:
                return reference.teams(session), reference.mediators(session)

            self._runner.run_read(work, on_success=lambda lists: self._set_assign_choices(*lists),
                                  on_error=lambda failure: self._action_failed(failure, self.assign_error))
        self.team_combo.setFocus()

    def _set_assign_choices(self, teams: list[Choice], mediators: list[Choice]) -> None:
        self._teams, self._mediators = teams, mediators
        self.team_combo.clear()
        self.team_combo.addItem(self.tr("Choose a team…"), None)
        for team in teams:
            self.team_combo.addItem(team.name, team.id)
        self.lead_combo.clear()
        self.lead_combo.addItem(self.tr("Not named yet"), None)
        for mediator in mediators:
            self.lead_combo.addItem(mediator.name, mediator.id)
        self._update_enabled()

    def _close_assign(self) -> None:
        self.assign_panel.hide()
        self.assign_error.hide()

    def _assign(self) -> None:
        detail = self._detail
        if detail is None or self._busy:
            return
        team_id = self.team_combo.currentData()
        if not isinstance(team_id, int):
            self.assign_error.setText(self.tr("Choose the team the case goes to."))
            self.assign_error.show()
            self.team_combo.setFocus()
            return
        lead = self.lead_combo.currentData()
        lead_id = lead if isinstance(lead, int) else None
        note = self.note_edit.toPlainText()
        actor, case_id, version = self._actor, detail.id, detail.version

        def work(session: Session) -> None:
            cases.assign_case(session, actor, case_id, team_id=team_id, lead_mediator_id=lead_id, note=note,
                              expected_version=version)

        self._set_busy(True)
        self.assign_error.hide()
        self._runner.run_write(work, on_success=self._action_done,
                               on_error=lambda failure: self._action_failed(failure, self.assign_error),
                               changes=_case_changed(case_id))

    # ------------------------------------------------------------------ refresh

    def _on_changed(self, changes: Changes) -> None:
        if self._case_id is not None and changes.touches_case(self._case_id):
            self.reload()
        if changes.organisation:
            self._teams = self._mediators = None


def _case_changed(case_id: int) -> Changes:
    # A transition moves the case between state (and, when assigned, team) filters, so lists
    # that do not show it yet may gain it: announce a list change, not only the case.
    return Changes.cases(case_id, list_changed=True)


__all__ = ["CaseDetailView", "PartiesModel", "TimelineModel"]
