"""The case's 司法确认 tab: the signed agreement(s), the 30-day window counting down, and the
three steps — the parties' joint application (date, court), the court's acceptance (its 调确字 /
民特 number) and its decision — plus the warning when an agreement is about identity, adoption or
marriage, and the 司法确认申请书 printed to a file the user picks.

Everything is read and written through :mod:`services.confirmation` on the runner; the tab keeps
what was typed when the service refuses it and puts the message next to the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.models import ConfirmationResult
from mediation_desk.services import confirmation
from mediation_desk.services.confirmation import AgreementWindow, ConfirmationInfo, ConfirmationPage, LateApplication
from mediation_desk.services.errors import Conflict
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.conflict_dialog import ConflictDialog, field_changes, open_conflict
from mediation_desk.ui.common.date_field import DateField, first_problem
from mediation_desk.ui.common.format import FINAL_COLOUR, TodayProvider, format_day
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.reflow import SideBySide
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.unsaved import reveal
from mediation_desk.ui.common.widgets import OK_STYLE, error_label, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.writers import LastWrite

RED = "#c62828"
AMBER = "#b26a00"
GREEN = "#2e7d32"
WARNING_STYLE = ("background-color: #fdecea; color: #8e0000; border: 2px solid #c62828; border-radius: 4px;"
                 " padding: 8px; font-weight: bold;")
CAUTION_STYLE = ("background-color: #fff4e5; color: #663c00; border: 1px solid #ffa117; border-radius: 4px;"
                 " padding: 6px;")
#: Days left at which the window turns amber (the clock's default yellow warning).
AMBER_DAYS = 7

_RESULTS: dict[ConfirmationResult, str] = {
    ConfirmationResult.PENDING: QT_TRANSLATE_NOOP("ConfirmationTab", "Under review"),
    ConfirmationResult.CONFIRMED: QT_TRANSLATE_NOOP("ConfirmationTab", "Ruled valid"),
    ConfirmationResult.REJECTED: QT_TRANSLATE_NOOP("ConfirmationTab", "Application rejected"),
    ConfirmationResult.WITHDRAWN: QT_TRANSLATE_NOOP("ConfirmationTab", "Application withdrawn"),
}


def result_text(result: ConfirmationResult) -> str:
    return QCoreApplication.translate("ConfirmationTab", _RESULTS[result])


#: From this width on the three steps stand side by side (they need ~730 px so).
STEPS_SIDE_BY_SIDE_WIDTH = 880


class ConfirmationTab(QWidget):
    """司法确认 of one case."""

    #: After a successful write (the case page reloads itself).
    changed = Signal()
    #: The page was read and shown (the case id).
    loaded = Signal(int)
    #: The application PDF was written (its path).
    saved = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmationTab")
        self._runner = runner
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._case_id: int | None = None
        self._page: ConfirmationPage | None = None
        self._busy = False
        self._generation = 0
        self.file_dialog: QFileDialog | None = None
        #: The open conflict dialog (another desk recorded a step of the same application meanwhile).
        self.conflict_dialog: ConflictDialog | None = None

        self.empty_label = named(QLabel(), "confirmationEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(f"color: {FINAL_COLOUR};")
        self.warning_label = named(QLabel(), "applicabilityWarning")
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()

        self.agreement_combo = named(QComboBox(), "agreementCombo")
        self.agreement_label = named(QLabel(), "agreementLabel")
        self.agreement_label.setWordWrap(True)
        self.window_label = named(QLabel(), "windowLabel")
        self.window_label.setTextFormat(Qt.TextFormat.RichText)
        self.window_label.setWordWrap(True)  # the case pane beside the list is ~600 px
        self.terms_label = named(QLabel(), "termsLabel")
        self.terms_label.setWordWrap(True)
        self.terms_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = named(QLabel(), "statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        agreement_row = QHBoxLayout()
        agreement_row.addWidget(QLabel(self.tr("Agreement:")))
        agreement_row.addWidget(self.agreement_combo)
        agreement_row.addWidget(self.agreement_label, 1)

        # ---- 1. application
        self.applied_edit = DateField("appliedOnEdit", self.tr("Applied on"))
        self.court_edit = named(QLineEdit(), "courtEdit")
        self.court_edit.setPlaceholderText(self.tr("The basic people's court, in full"))
        self.late_edit = named(QLineEdit(), "lateReasonEdit")
        self.late_edit.setPlaceholderText(self.tr("Why the parties apply after the 30 days"))
        self.late_caption = QLabel(self.tr("Late because"))
        self.apply_button = named(QPushButton(self.tr("Record application")), "applyButton")
        self.apply_error = error_label("applyError")
        self.apply_box = named(QGroupBox(self.tr("1. Joint application")), "applyBox")
        apply_form = QFormLayout(self.apply_box)
        apply_form.addRow(self.tr("Applied on"), self.applied_edit)
        apply_form.addRow(self.tr("Court"), self.court_edit)
        apply_form.addRow(self.late_caption, self.late_edit)
        apply_form.addRow(self.apply_error)
        apply_form.addRow(self.apply_button)
        self._show_late(False)

        # ---- 2. acceptance
        self.accepted_edit = DateField("acceptedOnEdit", self.tr("Accepted on"))
        self.number_edit = named(QLineEdit(), "courtNumberEdit")
        self.number_edit.setPlaceholderText(self.tr("e.g. (2026)甘0702民特123号"))
        self.accept_button = named(QPushButton(self.tr("Record acceptance")), "acceptButton")
        self.accept_error = error_label("acceptError")
        self.accept_box = named(QGroupBox(self.tr("2. Court acceptance")), "acceptBox")
        accept_form = QFormLayout(self.accept_box)
        accept_form.addRow(self.tr("Accepted on"), self.accepted_edit)
        accept_form.addRow(self.tr("Court case number"), self.number_edit)
        accept_form.addRow(self.accept_error)
        accept_form.addRow(self.accept_button)

        # ---- 3. decision
        self.result_combo = named(QComboBox(), "resultCombo")
        self.result_combo.addItem(self.tr("— choose —"), None)
        for result in confirmation.DECISIONS:
            self.result_combo.addItem(result_text(result), str(result))
        self.decided_edit = DateField("decidedOnEdit", self.tr("Date of the decision"))
        self.decision_note_edit = named(QLineEdit(), "decisionNoteEdit")
        self.decision_note_edit.setPlaceholderText(self.tr("Required when the court rejects the application"))
        self.decide_button = named(QPushButton(self.tr("Record decision")), "decideButton")
        self.decide_error = error_label("decideError")
        self.decide_box = named(QGroupBox(self.tr("3. Decision")), "decideBox")
        decide_form = QFormLayout(self.decide_box)
        decide_form.addRow(self.tr("Result"), self.result_combo)
        decide_form.addRow(self.tr("Date"), self.decided_edit)
        decide_form.addRow(self.tr("Note"), self.decision_note_edit)
        decide_form.addRow(self.decide_error)
        decide_form.addRow(self.decide_button)

        steps = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        for box in (self.apply_box, self.accept_box, self.decide_box):
            steps.addWidget(box, 1, Qt.AlignmentFlag.AlignTop)

        self.print_button = named(QPushButton(self.tr("Print the application for judicial confirmation…")),
                                  "printButton")
        self.print_error = error_label("printError")
        self.done_label = named(QLabel(), "confirmationDone")
        self.done_label.setStyleSheet(OK_STYLE)
        self.done_label.setWordWrap(True)
        self.done_label.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.done_label, 1)

        self.body = named(QWidget(), "confirmationBody")
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.warning_label)
        body.addLayout(agreement_row)
        body.addWidget(self.window_label)
        body.addWidget(self.terms_label)
        body.addWidget(self.status_label)
        body.addLayout(steps)
        body.addWidget(self.print_error)
        body.addLayout(bottom)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.body, 1)
        # The three steps side by side on a wide pane, one above the other beside the case list.
        self.reflow = SideBySide(self, (steps,), STEPS_SIDE_BY_SIDE_WIDTH)
        self.body.hide()

        self.agreement_combo.currentIndexChanged.connect(lambda _i: self._show_window())
        self.apply_button.clicked.connect(self.apply)
        self.accept_button.clicked.connect(self.accept)
        self.decide_button.clicked.connect(self.decide)
        self.print_button.clicked.connect(self.choose_print_file)
        self.court_edit.returnPressed.connect(self.apply)
        self.late_edit.returnPressed.connect(self.apply)
        self.number_edit.returnPressed.connect(self.accept)
        runner.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ loading

    @property
    def page(self) -> ConfirmationPage | None:
        return self._page

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self._page = None
            self._clear_messages()
            for edit in (self.court_edit, self.late_edit, self.number_edit, self.decision_note_edit):
                edit.clear()
            self._show_late(False)
            self.result_combo.setCurrentIndex(0)
        self._case_id = case_id
        self.reload()

    def reload(self) -> None:
        case_id, actor, today = self._case_id, self._actor, self._today()
        if case_id is None:
            return
        self._generation += 1
        generation = self._generation

        def work(session: Session) -> ConfirmationPage:
            return confirmation.confirmation_page(session, actor, case_id, today)

        self._runner.run_read(work, on_success=lambda page: self._arrived(generation, page),
                              on_error=self._load_failed)

    def _load_failed(self, failure: TaskFailure) -> None:
        self.empty_label.setText(failure.message)
        self.empty_label.show()
        self.body.hide()

    def _arrived(self, generation: int, page: ConfirmationPage) -> None:
        if generation != self._generation or page.case_id != self._case_id:
            return
        first_time = self._page is None
        previous = self.selected_window()
        self._page = page
        if not page.agreements:
            self.empty_label.setText(
                self.tr("No agreement has taken effect yet: judicial confirmation is applied for once the agreement "
                        "is signed.") if page.unsigned else
                self.tr("This case has no mediation agreement, so there is nothing to confirm."))
            self.empty_label.show()
            self.body.hide()
            self.loaded.emit(page.case_id)
            return
        self.empty_label.hide()
        self.body.show()
        self.agreement_combo.blockSignals(True)
        self.agreement_combo.clear()
        for window in page.agreements:
            self.agreement_combo.addItem(self.tr("{kind} of {day}").format(
                kind=window.kind_label, day=format_day(window.effective_on)), window.agreement_id)
        keep = next((i for i, w in enumerate(page.agreements)
                     if previous is not None and w.agreement_id == previous.agreement_id), len(page.agreements) - 1)
        self.agreement_combo.setCurrentIndex(keep)
        self.agreement_combo.blockSignals(False)
        self.agreement_combo.setVisible(len(page.agreements) > 1)
        if first_time and not self.court_edit.text():
            self.court_edit.setText(page.court)
        self._show_window(reset_dates=first_time)
        self.loaded.emit(page.case_id)

    def selected_window(self) -> AgreementWindow | None:
        page = self._page
        if page is None or not page.agreements:
            return None
        index = self.agreement_combo.currentIndex()
        return page.agreements[index] if 0 <= index < len(page.agreements) else page.agreements[-1]

    def _show_window(self, *, reset_dates: bool = True) -> None:
        window, page = self.selected_window(), self._page
        if window is None or page is None:
            return
        self.agreement_label.setText(self.tr("{kind}, in effect since {day}").format(
            kind=window.kind_label, day=format_day(window.effective_on)))
        self.window_label.setText(self.window_text(window))
        self.terms_label.setText("\n".join(window.terms))
        warning = window.applicability
        self.warning_label.setVisible(warning is not None)
        if warning is not None:
            self.warning_label.setStyleSheet(WARNING_STYLE if warning.level == "warning" else CAUTION_STYLE)
            prefix = (self.tr("Courts do not confirm this kind of agreement.") if warning.level == "warning"
                      else self.tr("Check before applying."))
            self.warning_label.setText(f"⚠ {prefix} {warning.message}")
        self.status_label.setText(self.status_text(window))
        for edit in (self.applied_edit, self.accepted_edit, self.decided_edit):
            edit.set_range(window.effective_on, page.today, today=True)
            if reset_dates:
                edit.set_value(page.today)
        self._update_enabled()

    def window_text(self, window: AgreementWindow) -> str:
        """The countdown as rich text: red once the window has closed."""
        current = window.confirmation
        if current is not None and current.applied_on is not None and not window.may_apply:
            text = self.tr("Applied on {applied}, within the window that ran to {deadline}.").format(
                applied=format_day(current.applied_on), deadline=format_day(window.deadline))
            if current.applied_on > window.deadline:
                text = self.tr("Applied on {applied}, {days} days after the window closed on {deadline}.").format(
                    applied=format_day(current.applied_on), days=(current.applied_on - window.deadline).days,
                    deadline=format_day(window.deadline))
            return f'<span style="color:{FINAL_COLOUR};">{text}</span>'
        if window.days_left < 0:
            colour = RED
            text = self.tr("The 30-day window closed on {deadline}: {days} days ago. Courts normally no longer "
                           "accept the application.").format(deadline=format_day(window.deadline),
                                                              days=-window.days_left)
        elif window.days_left == 0:
            colour = RED
            text = self.tr("Last day to apply: today ({deadline}).").format(deadline=format_day(window.deadline))
        else:
            colour = AMBER if window.days_left <= AMBER_DAYS else GREEN
            text = self.tr("Apply by {deadline}: {days} days left.").format(
                deadline=format_day(window.deadline), days=window.days_left)
        return f'<span style="color:{colour}; font-weight:bold;">{text}</span>'

    def status_text(self, window: AgreementWindow) -> str:
        current = window.confirmation
        lines = []
        for earlier in window.history:
            lines.append(self.tr("Earlier application of {applied} to {court}: {result}.").format(
                applied=format_day(earlier.applied_on), court=earlier.court, result=result_text(earlier.result)))
        if current is None:
            lines.append(self.tr("Not applied for yet."))
        else:
            lines.append(self.tr("Applied on {applied} to {court}.").format(
                applied=format_day(current.applied_on), court=current.court))
            if current.court_case_number:
                lines.append(self.tr("Accepted on {accepted} under {number}.").format(
                    accepted=format_day(current.accepted_on), number=current.court_case_number))
            elif current.result is ConfirmationResult.PENDING:
                lines.append(self.tr("Waiting for the court to accept it."))
            if current.result is not ConfirmationResult.PENDING:
                lines.append(self.tr("{result} on {day}.").format(result=result_text(current.result),
                                                                  day=format_day(current.decided_on)))
            if current.note:
                lines.append(current.note)
        return "\n".join(lines)

    def _update_enabled(self) -> None:
        window, page = self.selected_window(), self._page
        may = page is not None and page.may_edit and not self._busy
        applying = window is not None and window.may_apply
        pending = (window is not None and window.confirmation is not None
                   and window.confirmation.result is ConfirmationResult.PENDING)
        self.apply_box.setEnabled(may and applying)
        self.accept_box.setEnabled(may and pending)
        self.decide_box.setEnabled(may and pending)
        self.print_button.setEnabled(window is not None and not self._busy)
        if page is not None and not page.may_edit:
            self.apply_box.setToolTip(self.tr("Only the center head or a mediator of the case's team records this."))

    def _show_late(self, shown: bool) -> None:
        self.late_caption.setVisible(shown)
        self.late_edit.setVisible(shown)

    # ------------------------------------------------------------------ writing

    def _write(self, work: Callable[[Session], object], error_label: QLabel, done_text: str, *,
               on_conflict: Callable[[], None] | None = None) -> None:
        case_id = self._case_id
        assert case_id is not None

        def done(_result: object) -> None:
            self._busy = False
            self._clear_messages()
            self.late_edit.clear()
            self._show_late(False)
            self.done_label.setText(done_text)
            self.done_label.show()
            self.changed.emit()

        def failed(failure: TaskFailure) -> None:
            self._busy = False
            self._update_enabled()
            error_label.setText(failure.message)
            error_label.show()
            if isinstance(failure.error, Conflict) and on_conflict is not None and self._case_id == case_id:
                on_conflict()
                return
            self._focus_field(failure)

        self._busy = True
        self._clear_messages()
        self._update_enabled()
        self._runner.run_write(work, on_success=done, on_error=failed)

    def _focus_field(self, failure: TaskFailure) -> None:
        if isinstance(failure.error, LateApplication):
            self._show_late(True)
            self.late_edit.setFocus()
            return
        widgets: dict[str, QWidget] = {
            "applied_on": self.applied_edit, "court": self.court_edit, "accepted_on": self.accepted_edit,
            "court_case_number": self.number_edit, "result": self.result_combo, "decided_on": self.decided_edit,
            "note": self.decision_note_edit,
        }
        widget = widgets.get(failure.field or "")
        if widget is not None:
            widget.setFocus()

    def apply(self) -> None:
        window = self.selected_window()
        if window is None or self._busy or not self.apply_box.isEnabled():
            return
        if first_problem([self.applied_edit]) is not None:
            return
        actor, agreement_id, today = self._actor, window.agreement_id, self._today()
        applied_on, court = self.applied_edit.day(), self.court_edit.text()
        assert applied_on is not None
        late = "" if self.late_edit.isHidden() else self.late_edit.text()

        def work(session: Session) -> object:
            return confirmation.record_application(session, actor, agreement_id, applied_on=applied_on, court=court,
                                                   late_reason=late, today=today)

        self._write(work, self.apply_error, self.tr("Application recorded: the confirmation clock has stopped."))

    def accept(self) -> None:
        window = self.selected_window()
        if window is None or window.confirmation is None or self._busy or not self.accept_box.isEnabled():
            return
        if first_problem([self.accepted_edit]) is not None:
            return
        actor, confirmation_id, today = self._actor, window.confirmation.id, self._today()
        version = window.confirmation.version
        accepted_on, number = self.accepted_edit.day(), self.number_edit.text()
        assert accepted_on is not None

        def work(session: Session) -> object:
            return confirmation.record_acceptance(session, actor, confirmation_id, accepted_on=accepted_on,
                                                  court_case_number=number, today=today, expected_version=version)

        seen = window.confirmation
        self._write(work, self.accept_error, self.tr("The court's acceptance is recorded."),
                    on_conflict=lambda: self._resolve_conflict(
                        "accept", seen, {"accepted_on": accepted_on, "court_case_number": number.strip()}))

    def decide(self) -> None:
        window = self.selected_window()
        if window is None or window.confirmation is None or self._busy or not self.decide_box.isEnabled():
            return
        actor, confirmation_id, today = self._actor, window.confirmation.id, self._today()
        version = window.confirmation.version
        value = self.result_combo.currentData()
        result = ConfirmationResult(value) if value else ConfirmationResult.PENDING
        if first_problem([self.decided_edit]) is not None:
            return
        decided_on, note = self.decided_edit.day(), self.decision_note_edit.text()
        assert decided_on is not None

        def work(session: Session) -> object:
            return confirmation.record_decision(session, actor, confirmation_id, result=result, decided_on=decided_on,
                                                note=note, today=today, expected_version=version)

        seen = window.confirmation
        mine = {"result": result_text(result), "decided_on": decided_on,
                "note": f"{seen.note}\n{note.strip()}".strip() if note.strip() else seen.note}
        self._write(work, self.decide_error, self.tr("The decision is recorded."),
                    on_conflict=lambda: self._resolve_conflict("decide", seen, mine))

    def _values(self, info: ConfirmationInfo) -> dict[str, object]:
        """An application's steps as the conflict dialog compares them."""
        return {"accepted_on": info.accepted_on, "court_case_number": info.court_case_number,
                "result": result_text(info.result), "decided_on": info.decided_on, "note": info.note}

    def _resolve_conflict(self, step: str, seen: ConfirmationInfo, typed: dict[str, object]) -> None:
        """Another desk recorded or corrected this application meanwhile: show what it was when this
        form was loaded, what they recorded (and who) and what was typed here; reload, or record mine
        again on top of theirs. Closing keeps what was typed (and the old version: recording again
        raises the dialog again)."""
        case_id, actor, today = self._case_id, self._actor, self._today()
        if case_id is None:
            return

        def work(session: Session) -> tuple[ConfirmationPage, LastWrite]:
            return (confirmation.confirmation_page(session, actor, case_id, today),
                    confirmation.last_write(session, seen.id))

        def show(result: tuple[ConfirmationPage, LastWrite]) -> None:
            page, writer = result
            if self._case_id != case_id:
                return
            window = next((w for w in page.agreements if w.agreement_id == seen.agreement_id), None)
            fresh = window.confirmation if window is not None else None
            if fresh is None or fresh.id != seen.id:
                fresh = next((c for c in (window.history if window else ()) if c.id == seen.id), None)
            if fresh is None:
                return  # gone: the message stays
            labels = {"accepted_on": self.tr("Accepted on"), "court_case_number": self.tr("Court case number"),
                      "result": self.tr("Result"), "decided_on": self.tr("Decided on"), "note": self.tr("Note")}
            base, theirs = self._values(seen), self._values(fresh)
            mine = base | typed
            pending = fresh.result is ConfirmationResult.PENDING

            def chosen(choice: int) -> None:
                self.conflict_dialog = None
                if self._case_id != case_id:
                    return
                if choice == ConflictDialog.RELOAD:
                    self._clear_messages()
                    if step == "accept":
                        self.number_edit.setText(fresh.court_case_number)
                        if fresh.accepted_on is not None:
                            self.accepted_edit.set_value(fresh.accepted_on)
                    else:
                        self.decision_note_edit.clear()
                        self.result_combo.setCurrentIndex(0)
                    self.reload()
                elif choice == ConflictDialog.REAPPLY:
                    # Their version is what this step now starts from; what was typed stays in the form.
                    wanted = self._generation + 1  # the read started just below, not a later one

                    def again(_case_id: int) -> None:
                        self.loaded.disconnect(again)
                        if self._generation == wanted:
                            (self.accept if step == "accept" else self.decide)()

                    self.loaded.connect(again)
                    self.reload()

            self.conflict_dialog = open_conflict(
                self, self.tr("the judicial confirmation application"), field_changes(labels, base, theirs, mine),
                chosen, can_reapply=pending, who=writer.who, at=writer.at,
                reason="" if pending else self.tr("The court's result has been recorded meanwhile: this application "
                                                  "can no longer be changed."))

        error = self.accept_error if step == "accept" else self.decide_error
        self._runner.run_read(work, on_success=show, on_error=lambda failure: error.setText(failure.message))

    # ------------------------------------------------------------------ unsaved input (ui.unsaved)

    def _unsaved_widget(self) -> QWidget | None:
        """The first field of an open step holding what was typed or chosen and not recorded yet."""
        page = self._page
        if self._case_id is None or page is None or self.body.isHidden():
            return None
        if self.apply_box.isEnabled():
            if self.court_edit.text().strip() != page.court.strip():
                return self.court_edit
            if not self.late_edit.isHidden() and self.late_edit.text().strip():
                return self.late_edit
        if self.accept_box.isEnabled() and self.number_edit.text().strip():
            return self.number_edit
        if self.decide_box.isEnabled():
            if self.result_combo.currentIndex() > 0:
                return self.result_combo
            if self.decision_note_edit.text().strip():
                return self.decision_note_edit
        return None

    def has_unsaved_input(self) -> bool:
        return self._unsaved_widget() is not None

    def unsaved_description(self) -> str:
        number = self._page.number if self._page is not None else ""
        return self.tr("{number} judicial confirmation: a step not recorded yet").format(number=number).strip()

    def can_save_unsaved(self) -> bool:
        return False  # each step is recorded by its own button: a step of the case, not a save

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        done(False)

    def discard_unsaved(self) -> None:
        page = self._page
        self.court_edit.setText(page.court if page is not None else "")
        for edit in (self.late_edit, self.number_edit, self.decision_note_edit):
            edit.clear()
        self.result_combo.setCurrentIndex(0)

    def keep_draft(self) -> bool:
        return False

    def reveal_unsaved(self) -> None:
        reveal(self, self._unsaved_widget())

    # ------------------------------------------------------------------ printing

    def choose_print_file(self) -> None:
        page, window = self._page, self.selected_window()
        if page is None or window is None:
            return
        recorded = window.confirmation is not None and window.confirmation.applied_on is not None
        if window.days_left < 0 and not recorded:
            # The form would say it is filed within 30 days: record the late application first.
            self.print_error.setText(self.tr(
                "The 30-day window closed on {deadline}: the application cannot be printed as filed within "
                "30 days. Record the application first (step 1: the date and why it is late); the printed "
                "application then states both.").format(deadline=format_day(window.deadline)))
            self.print_error.show()
            if self.apply_box.isEnabled():
                self._show_late(True)
                self.late_edit.setFocus()
            return
        dialog = file_dialogs.file_dialog(self.window(), self.tr("Save the application for judicial confirmation"),
                                          file_dialogs.PDF, self.tr("PDF files (*.pdf)"),
                                          filename=f"司法确认申请书-{page.number}.pdf")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(self.save_application_to)
        self.file_dialog = dialog
        dialog.open()

    def save_application_to(self, path: str) -> None:
        """Render the 司法确认申请书 of the shown agreement and write it to ``path``."""
        window, case_id, actor = self.selected_window(), self._case_id, self._actor
        if window is None or case_id is None or not path:
            return
        agreement_id, target, today = window.agreement_id, Path(path), self._today()

        def work(session: Session) -> str:
            # Imported on the worker: rendering loads reportlab, which the window does not need to open.
            from mediation_desk.services import dossier

            content = dossier.render_document(session, actor, case_id, "confirmation-application",
                                              document_id=agreement_id, today=today)
            from mediation_desk.files import write_atomically

            write_atomically(target, content, what="申请书文件")
            return str(target)

        def done(written: str) -> None:
            self.print_error.hide()
            self.done_label.setText(self.tr("Saved to {path}.").format(path=written))
            self.done_label.show()
            self.saved.emit(written)

        def failed(failure: TaskFailure) -> None:
            self.print_error.setText(failure.message)
            self.print_error.show()

        self._runner.run_read(work, on_success=done, on_error=failed)

    # ------------------------------------------------------------------ refresh

    def set_today(self, today: TodayProvider) -> None:
        self._today = today
        self.reload()

    def _clear_messages(self) -> None:
        for label in (self.apply_error, self.accept_error, self.decide_error, self.print_error, self.done_label):
            label.clear()
            label.hide()

    def _on_changed(self, changes: Changes) -> None:
        if self._case_id is not None and (changes.touches_case(self._case_id) or changes.settings):
            self.reload()


__all__ = ["ConfirmationTab", "result_text"]
