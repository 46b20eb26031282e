"""Routing an accepted case from the detail page: 分派 (assignment) and 分流 (diversion).

The assignment panel opens on the suggestion of ``services.assignment``: the team that handles
the dispute type with the fewest open cases, and its least-loaded member as lead. Co-mediators
and joint departments are ticked in two short lists. As soon as the mediators on the case change,
the recusal check (回避) runs again, and each mediator it warns about gets a decision of its own
— 无需回避 with a note, or 回避 — which the service records with the assignment; it refuses the
assignment while a warned mediator has no decision, so the panel never has to second-guess it.

The diversion panel asks where the case goes (the kind of body and its name) and why, instead of
a bare note, so the case can wait on the "awaiting feedback" list until that body reports back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import DiversionBody, RecusalOutcome
from mediation_desk.services import assignment, diversion, organisation
from mediation_desk.services.errors import Conflict
from mediation_desk.services.reference import Choice
from mediation_desk.ui.common.i18n import enum_text
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.tick_list import TickItem, TickListModel
from mediation_desk.ui.common.typeahead import type_ahead
from mediation_desk.ui.common.widgets import error_label, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.assignment import MediatorOption, RecusalWarning, Suggestion

WARNING_STYLE = "color: #e65100;"
#: Rows a tick list shows before it scrolls.
LIST_ROWS = 5


def _tick_list(model: TickListModel, name: str, lines: int = LIST_ROWS) -> QListView:
    view = named(QListView(), name)
    view.setModel(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setUniformItemSizes(True)
    view.setFixedHeight(view.fontMetrics().lineSpacing() * lines + 16)
    return view


@dataclass(frozen=True)
class AssignChoices:
    """What the assignment panel offers, read in one go."""

    suggestion: Suggestion
    leads: tuple[MediatorOption, ...]
    mediators: tuple[Choice, ...]
    departments: tuple[tuple[int, str], ...]


class RecusalRow(QFrame):
    """One warned mediator: the warnings and the decision on them."""

    decided = Signal(int)

    def __init__(self, mediator_id: int, warnings: list[RecusalWarning], decision: tuple[RecusalOutcome | None, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mediator_id = mediator_id
        self.setObjectName(f"recusal_{mediator_id}")
        self.text_label = named(QLabel("\n".join(w.text for w in warnings)), "recusalText")
        self.text_label.setWordWrap(True)
        self.text_label.setStyleSheet(WARNING_STYLE)
        self.decision_combo = named(QComboBox(), "recusalDecision")
        self.decision_combo.addItem(self.tr("Decide…"), None)
        # Items carry the enum's value: a StrEnum member comes back from Qt as a plain str.
        for choice in (RecusalOutcome.PROCEED, RecusalOutcome.RECUSED):
            self.decision_combo.addItem(enum_text(choice), choice.value)
        self.note_edit = named(QLineEdit(), "recusalNote")
        self.note_edit.setPlaceholderText(self.tr("Why no recusal is needed (e.g. a different family)"))
        outcome, note = decision
        if outcome is not None:
            self.decision_combo.setCurrentIndex(self.decision_combo.findData(outcome.value))
        self.note_edit.setText(note)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.text_label, 0, 0, 1, 2)
        layout.addWidget(self.decision_combo, 1, 0)
        layout.addWidget(self.note_edit, 1, 1)
        layout.setColumnStretch(1, 1)
        self._update_note()
        self.decision_combo.currentIndexChanged.connect(self._changed)
        self.note_edit.textChanged.connect(lambda _text: self.decided.emit(self.mediator_id))

    def decision(self) -> tuple[RecusalOutcome | None, str]:
        value = self.decision_combo.currentData()
        return (RecusalOutcome(value) if isinstance(value, str) else None), self.note_edit.text()

    def decide(self, outcome: RecusalOutcome, note: str = "") -> None:
        self.note_edit.setText(note)
        self.decision_combo.setCurrentIndex(self.decision_combo.findData(outcome.value))

    def _changed(self, _index: int) -> None:
        self._update_note()
        self.decided.emit(self.mediator_id)

    def _update_note(self) -> None:
        self.note_edit.setVisible(self.decision()[0] is RecusalOutcome.PROCEED)


class _RoutingPanel(QFrame):
    """What the assignment and diversion panels share: a form, Cancel and a confirm button under
    it, an error line, and closing on Cancel. Subclasses make ``confirm_button``,
    ``cancel_button`` and ``error_label`` (their texts are theirs to translate), then call
    :meth:`lay_out`."""

    #: The user closed the panel without going on.
    cancelled = Signal()
    #: Someone else changed the case meanwhile: the page should reload.
    conflict = Signal()

    confirm_button: QPushButton
    cancel_button: QPushButton
    error_label: QLabel

    def lay_out(self, form: QGridLayout, *between: QWidget) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in between:
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        self.cancel_button.clicked.connect(self._cancel)

    def close_panel(self) -> None:
        self.hide()
        self.error_label.hide()

    def _cancel(self) -> None:
        self.close_panel()
        self.cancelled.emit()


class AssignPanel(_RoutingPanel):
    """分派 with the suggestion, co-mediators, joint departments and the recusal check."""

    #: The case was assigned (its id).
    assigned = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 note_source: Callable[[], str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._runner = runner
        self._actor = actor
        self._note_source = note_source or (lambda: "")
        self._case_id: int | None = None
        self._version: int | None = None
        #: 改派 (``assignment.route``) of an assigned or mediated case, rather than 分派.
        self.rerouting = False
        self._busy = False
        self._mediators: tuple[Choice, ...] = ()
        self._team_members: tuple[MediatorOption, ...] = ()
        #: Bumped whenever the chosen mediators change, so an older check's answer is dropped.
        self._recusal_generation = 0
        self._choices_generation = 0
        self._quiet = False
        self._warnings: list[RecusalWarning] = []
        self._decisions: dict[int, tuple[RecusalOutcome | None, str]] = {}
        self.recusal_rows: dict[int, RecusalRow] = {}

        self.suggestion_label = named(QLabel(), "assignSuggestion")
        self.suggestion_label.setWordWrap(True)
        self.team_combo = type_ahead(named(QComboBox(), "assignTeam"))
        self.lead_combo = type_ahead(named(QComboBox(), "assignLead"))
        self.co_model = TickListModel(self)
        self.co_list = _tick_list(self.co_model, "assignCoMediators")
        self.department_model = TickListModel(self)
        self.department_list = _tick_list(self.department_model, "assignDepartments")
        self.recusal_box = named(QFrame(), "recusalBox")
        self.recusal_layout = QVBoxLayout(self.recusal_box)
        self.recusal_layout.setContentsMargins(0, 0, 0, 0)
        self.recusal_caption = QLabel(self.tr("Recusal check: decide for each mediator named below."))
        self.recusal_caption.setWordWrap(True)
        self.recusal_layout.addWidget(self.recusal_caption)
        self.recusal_box.hide()
        self.info_label = named(QLabel(), "assignInfo")
        self.info_label.setWordWrap(True)
        self.info_label.hide()
        self.confirm_button = named(QPushButton(self.tr("Assign")), "assignConfirm")
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "assignCancel")
        self.error_label = error_label("assignError")

        grid = QGridLayout()
        grid.addWidget(self.suggestion_label, 0, 0, 1, 4)
        grid.addWidget(QLabel(self.tr("Team")), 1, 0)
        grid.addWidget(self.team_combo, 1, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("Lead mediator")), 2, 0)
        grid.addWidget(self.lead_combo, 2, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("Co-mediators")), 3, 0, 1, 2)
        self.department_caption = QLabel(self.tr("Joint mediation with departments"))
        grid.addWidget(self.department_caption, 3, 2, 1, 2)
        grid.addWidget(self.co_list, 4, 0, 1, 2)
        grid.addWidget(self.department_list, 4, 2, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.lay_out(grid, self.recusal_box, self.info_label)

        self.team_combo.currentIndexChanged.connect(self._team_changed)
        self.lead_combo.currentIndexChanged.connect(self._lead_changed)
        self.co_model.checked_changed.connect(self._co_changed)
        self.confirm_button.clicked.connect(self.submit)
        self._update_enabled()

    # ------------------------------------------------------------------ opening

    @property
    def case_id(self) -> int | None:
        return self._case_id

    def open_for(self, case_id: int, version: int, *, reroute: bool = False) -> None:
        """Show the panel for a case, loading the suggestion (again when it is another case);
        ``reroute``: 改派 an assigned or mediated case to a team of the center handling it."""
        same = case_id == self._case_id and not self.isHidden() and reroute == self.rerouting
        self._version = version
        self.rerouting = reroute
        self.confirm_button.setText(self.tr("Route") if reroute else self.tr("Assign"))
        self.department_caption.setVisible(not reroute)  # joint departments come with 分派
        self.department_list.setVisible(not reroute)
        self.show()
        if same:
            return
        self._case_id = case_id
        self._decisions.clear()
        self.error_label.hide()
        self.info_label.hide()
        self._set_warnings([])
        self._choices_generation += 1
        generation, actor = self._choices_generation, self._actor

        def work(session: Session) -> AssignChoices:
            suggestion = assignment.suggest(session, case_id)
            team = suggestion.team
            leads = assignment.lead_options(session, team.team_id) if team else []
            departments = organisation.list_departments(session, actor, include_inactive=False)
            # The co-mediators offered: the people of the center handling the case.
            people = assignment.mediator_options(session, suggestion.center_id)
            return AssignChoices(suggestion, tuple(leads), tuple(Choice(m.mediator_id, m.name) for m in people),
                                 tuple((d.id, d.name) for d in departments))

        self._runner.run_read(work, on_success=lambda choices: self._choices_arrived(generation, choices),
                              on_error=self._failed)

    def _choices_arrived(self, generation: int, choices: AssignChoices) -> None:
        if generation != self._choices_generation:
            return
        suggestion = choices.suggestion
        self._mediators = choices.mediators
        self.department_model.set_items([TickItem(i, name) for i, name in choices.departments])
        team, lead = suggestion.team, suggestion.lead
        if team is None:
            self.suggestion_label.setText(self.tr("No active team yet: ask the administrator to set up the teams."))
        else:
            # Open cases in digit groups (在办 72,616 件): a county team's five digits.
            text = self.tr("Suggested: {team} ({open} open cases)").format(team=team.name, open=f"{team.open_cases:,}")
            if lead is not None:
                text += self.tr(", lead {lead}").format(lead=lead.name)
            if not team.handles_type:
                text += self.tr(". No team handles this dispute type: choose the most suitable one.")
            self.suggestion_label.setText(text)
        self.team_combo.blockSignals(True)
        self.team_combo.clear()
        for option in suggestion.teams:
            if option.handles_type:
                label = self.tr("{team} — handles this type, {open} open").format(team=option.name,
                                                                                    open=f"{option.open_cases:,}")
            else:
                label = self.tr("{team} — {open} open").format(team=option.name, open=f"{option.open_cases:,}")
            self.team_combo.addItem(label, option.team_id)
        self.team_combo.setCurrentIndex(0 if suggestion.teams else -1)
        self.team_combo.blockSignals(False)
        self._leads_arrived(self.team_combo.currentData(), list(choices.leads))
        self.team_combo.setFocus()

    def _team_changed(self, _index: int) -> None:
        team_id = self.team_combo.currentData()
        if not isinstance(team_id, int):
            return

        def work(session: Session) -> list[MediatorOption]:
            return assignment.lead_options(session, team_id)

        self._runner.run_read(work, on_success=lambda leads: self._leads_arrived(team_id, leads),
                              on_error=self._failed)

    def _leads_arrived(self, team_id: object, leads: list[MediatorOption]) -> None:
        if team_id != self.team_combo.currentData():
            return  # the user chose another team meanwhile
        self._team_members = tuple(leads)
        self.lead_combo.blockSignals(True)
        self.lead_combo.clear()
        for option in leads:
            self.lead_combo.addItem(self.tr("{name} (leads {open} open cases)").format(
                name=option.name, open=f"{option.open_cases_led:,}"), option.mediator_id)
        self.lead_combo.setCurrentIndex(0 if leads else -1)
        self.lead_combo.blockSignals(False)
        if not leads:
            self._show_error(self.tr("This team has no active member to lead the case: choose another team, or "
                                     "ask the administrator to add members."))
        else:
            self.error_label.hide()
        # The team's members first: co-mediators usually come from the same team.
        members = {m.mediator_id for m in leads}
        items = [TickItem(m.mediator_id, m.name) for m in leads]
        items += [TickItem(m.id, m.name) for m in self._mediators if m.id not in members]
        self._quiet = True  # one recusal check for the whole change, not one per step
        try:
            self.co_model.set_items(items)
        finally:
            self._quiet = False
        self._lead_changed(self.lead_combo.currentIndex())
        self._update_enabled()

    def _lead_changed(self, _index: int) -> None:
        lead = self.lead_combo.currentData()
        self._quiet = True
        try:
            self.co_model.set_disabled({lead} if isinstance(lead, int) else set())
        finally:
            self._quiet = False
        self._check_recusal()

    # ------------------------------------------------------------------ recusal

    def chosen_mediators(self) -> list[int]:
        lead = self.lead_combo.currentData()
        chosen = [lead] if isinstance(lead, int) else []
        return chosen + [m for m in self.co_model.checked_ids() if m not in chosen]

    def _co_changed(self) -> None:
        if not self._quiet:
            self._check_recusal()

    def _check_recusal(self) -> None:
        case_id = self._case_id
        ids = self.chosen_mediators()
        self._recusal_generation += 1
        generation = self._recusal_generation
        if case_id is None or not ids:
            self._set_warnings([])
            return

        def work(session: Session) -> list[RecusalWarning]:
            return assignment.recusal_warnings(session, case_id, ids)

        self._runner.run_read(work, on_success=lambda warnings: self._warnings_arrived(generation, warnings),
                              on_error=self._failed)

    def _warnings_arrived(self, generation: int, warnings: list[RecusalWarning]) -> None:
        if generation == self._recusal_generation:
            self._set_warnings(warnings)

    def _set_warnings(self, warnings: list[RecusalWarning]) -> None:
        self._warnings = warnings
        for row in self.recusal_rows.values():
            self.recusal_layout.removeWidget(row)
            row.deleteLater()
        self.recusal_rows = {}
        grouped: dict[int, list[RecusalWarning]] = {}
        for warning in warnings:
            grouped.setdefault(warning.mediator_id, []).append(warning)
        for mediator_id, items in grouped.items():
            row = RecusalRow(mediator_id, items, self._decisions.get(mediator_id, (None, "")), self.recusal_box)
            row.decided.connect(self._decided)
            self.recusal_layout.addWidget(row)
            self.recusal_rows[mediator_id] = row
        self.recusal_box.setVisible(bool(grouped))

    def _decided(self, mediator_id: int) -> None:
        row = self.recusal_rows.get(mediator_id)
        if row is None:
            return
        self._decisions[mediator_id] = row.decision()
        if row.decision()[0] is not RecusalOutcome.RECUSED:
            return
        name = next((w.mediator_name for w in self._warnings if w.mediator_id == mediator_id), "")
        if mediator_id == self.lead_combo.currentData():
            self._show_error(self.tr("{name} recuses: choose another lead mediator.").format(name=name))
            self.lead_combo.setFocus()
        else:
            # A co-mediator who recuses simply leaves the case; put back on it, they are asked again.
            self._decisions.pop(mediator_id, None)
            self.co_model.set_checked(mediator_id, False)
            self.info_label.setText(self.tr("{name} recuses and was taken off the case.").format(name=name))
            self.info_label.show()

    def warned_mediators(self) -> list[int]:
        return list(self.recusal_rows)

    # ------------------------------------------------------------------ assigning

    def submit(self) -> None:
        case_id, version = self._case_id, self._version
        if case_id is None or self._busy:
            return
        team_id = self.team_combo.currentData()
        if not isinstance(team_id, int):
            self._show_error(self.tr("Choose the team the case goes to."))
            self.team_combo.setFocus()
            return
        lead_id = self.lead_combo.currentData()
        if not isinstance(lead_id, int):
            self._show_error(self.tr("Choose the lead mediator."))
            self.lead_combo.setFocus()
            return
        co_ids = tuple(m for m in self.co_model.checked_ids() if m != lead_id)
        departments = self.department_model.checked_ids()
        recusal = {mid: (outcome, note) for mid, row in self.recusal_rows.items()
                   for outcome, note in [row.decision()] if outcome is not None}
        note, actor = self._note_source(), self._actor

        rerouting = self.rerouting

        def work(session: Session) -> None:
            if rerouting:
                assignment.route(session, actor, case_id, team_id=team_id, lead_mediator_id=lead_id,
                                 co_mediator_ids=co_ids, recusal=recusal, note=note, expected_version=version)
                return
            assignment.assign(session, actor, case_id, team_id=team_id, lead_mediator_id=lead_id,
                              co_mediator_ids=co_ids, joint_department_ids=departments, recusal=recusal,
                              note=note, expected_version=version)

        self._set_busy(True)
        self.error_label.hide()
        self._runner.run_write(work, on_success=lambda _result: self._done(case_id), on_error=self._failed)

    def _done(self, case_id: int) -> None:
        self._set_busy(False)
        self.close_panel()
        self._case_id = None
        self.assigned.emit(case_id)

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self._show_error(failure.message)
        if failure.field == "recusal":
            undecided = next((row for row in self.recusal_rows.values() if row.decision()[0] is None), None)
            if undecided is not None:
                undecided.decision_combo.setFocus()
        if isinstance(failure.error, Conflict):
            self.conflict.emit()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.confirm_button.setEnabled(not self._busy and self.lead_combo.count() > 0)


class DivertPanel(_RoutingPanel):
    """分流: where the case goes (the kind of body and its name) and why."""

    #: The case was diverted (its id).
    diverted = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("divertPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self._version: int | None = None
        self._village = ""
        self._busy = False

        self.body_combo = named(QComboBox(), "divertBody")
        for body in DiversionBody:
            self.body_combo.addItem(enum_text(body), body.value)
        self.name_edit = named(QLineEdit(), "divertBodyName")
        self.reason_edit = named(QPlainTextEdit(), "divertReason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.reason_edit.setPlaceholderText(self.tr("Why this body should handle the dispute"))
        self.confirm_button = named(QPushButton(self.tr("Divert")), "divertConfirm")
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "divertCancel")
        self.error_label = error_label("divertError")

        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Diverted to")), 0, 0)
        grid.addWidget(self.body_combo, 0, 1)
        grid.addWidget(QLabel(self.tr("Name of the body")), 1, 0)
        grid.addWidget(self.name_edit, 1, 1)
        grid.addWidget(QLabel(self.tr("Reason")), 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.reason_edit, 2, 1)
        grid.setColumnStretch(1, 1)
        self.lay_out(grid)

        self.body_combo.currentIndexChanged.connect(self._body_changed)
        self.confirm_button.clicked.connect(self.submit)
        self._body_changed(0)

    def open_for(self, case_id: int, version: int, *, village: str = "") -> None:
        already_open = case_id == self._case_id and not self.isHidden()
        if case_id != self._case_id:
            self.name_edit.clear()
            self.reason_edit.clear()
            self.body_combo.setCurrentIndex(0)
            self.error_label.hide()
        self._case_id, self._version, self._village = case_id, version, village
        self._body_changed(self.body_combo.currentIndex())
        self.show()
        if not already_open:
            self.body_combo.setFocus()

    def body(self) -> DiversionBody | None:
        value = self.body_combo.currentData()
        return DiversionBody(value) if isinstance(value, str) else None

    def _body_changed(self, _index: int) -> None:
        body = self.body()
        examples = {
            DiversionBody.VILLAGE_COMMITTEE: self.tr("e.g. {village} people's mediation committee").format(
                village=self._village or self.tr("the village's")),
            DiversionBody.COURT_PRE_LITIGATION: self.tr("e.g. the district people's court"),
            DiversionBody.PETITION_OFFICE: self.tr("e.g. the district petition bureau"),
            DiversionBody.DEPARTMENT: self.tr("e.g. the district human resources and social security bureau"),
        }
        self.name_edit.setPlaceholderText(examples.get(body, "") if isinstance(body, DiversionBody) else "")

    def submit(self) -> None:
        case_id, version = self._case_id, self._version
        body = self.body()
        if case_id is None or self._busy or body is None:
            return
        name, reason, actor = self.name_edit.text(), self.reason_edit.toPlainText(), self._actor

        def work(session: Session) -> None:
            diversion.divert(session, actor, case_id, body=body, body_name=name, reason=reason,
                             expected_version=version)

        self._busy = True
        self.confirm_button.setEnabled(False)
        self.error_label.hide()
        self._runner.run_write(work, on_success=lambda _result: self._done(case_id), on_error=self._failed)

    def _done(self, case_id: int) -> None:
        self._busy = False
        self.confirm_button.setEnabled(True)
        self.close_panel()
        self._case_id = None
        self.diverted.emit(case_id)

    def _failed(self, failure: TaskFailure) -> None:
        self._busy = False
        self.confirm_button.setEnabled(True)
        self.error_label.setText(failure.message)
        self.error_label.show()
        if failure.field == "body_name":
            self.name_edit.setFocus()
        elif failure.field == "reason":
            self.reason_edit.setFocus()
        if isinstance(failure.error, Conflict):
            self.conflict.emit()


__all__ = ["AssignChoices", "AssignPanel", "DivertPanel", "RecusalRow"]
