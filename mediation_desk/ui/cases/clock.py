"""The clock line of a case page: which stage is running, when it is due, green / yellow / red, and
the 延期 (extension) a head or a mediator of the case's team may grant, with its reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.services import cards, clocks
from mediation_desk.ui.common.format import CLOCK_COLOURS, CLOCK_TEXT_COLOURS, FINAL_COLOUR, clock_meaning, format_day
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.clocks import ClockState

#: Days offered first when extending: a week is what heads grant most.
DEFAULT_EXTENSION = 7
MAX_EXTENSION = 90


_OVERDUE = (QT_TRANSLATE_NOOP("ClockLine", "{stage}: {days} days overdue (due {due})"),
            QT_TRANSLATE_NOOP("ClockLine", "{stage}: {days} working days overdue (due {due})"))
_LEFT = (QT_TRANSLATE_NOOP("ClockLine", "{stage}: {days} days left (due {due})"),
         QT_TRANSLATE_NOOP("ClockLine", "{stage}: {days} working days left (due {due})"))
_EXTENDED = (QT_TRANSLATE_NOOP("ClockLine", " · extended by {days} days"),
             QT_TRANSLATE_NOOP("ClockLine", " · extended by {days} working days"))


def clock_text(state: ClockState) -> str:
    """The clock in a sentence: "调解期限剩余 5 天（2026-12-03 到期）" and the like."""
    stage, due, unit = enum_text(state.stage), format_day(state.due_on), int(state.working_days)
    if state.remaining < 0:
        text = QCoreApplication.translate("ClockLine", _OVERDUE[unit]).format(
            stage=stage, days=-state.remaining, due=due)
    elif state.remaining == 0:
        text = QCoreApplication.translate("ClockLine", "{stage}: due today ({due})").format(stage=stage, due=due)
    else:
        text = QCoreApplication.translate("ClockLine", _LEFT[unit]).format(stage=stage, days=state.remaining, due=due)
    if state.extended_days:
        text += QCoreApplication.translate("ClockLine", _EXTENDED[unit]).format(days=state.extended_days)
    return text


def clock_badge(state: ClockState) -> str:
    """Rich text: the sentence on its colour, so the line reads red / yellow / green at a glance."""
    background, foreground = CLOCK_COLOURS[state.colour], CLOCK_TEXT_COLOURS[state.colour]
    return (f'<span style="background-color:{background}; color:{foreground};">&nbsp;{clock_meaning(state.colour)}'
            f'&nbsp;</span>&nbsp;{clock_text(state)}')


class ClockLine(QWidget):
    """Shows one case's clock; offers the extension to those allowed to grant it."""

    #: An extension was granted (the case id); the page reloads through the runner's changes.
    extended = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self._state: ClockState | None = None
        self._busy = False

        self.clock_label = named(QLabel(), "clockLabel")
        self.clock_label.setWordWrap(True)
        # A mediator (the team, the stationed department leading the case) asks the head for more
        # days (延期申请, services/cards.py); the head grants them at once.
        self._asks = cards.may_request(actor)
        self.extend_button = named(QPushButton(self.tr("Ask for more days…") if self._asks else self.tr("Extend…")),
                                   "extendButton")
        self.extend_button.setToolTip(
            self.tr("Ask the center head for more days for the running stage, with a reason") if self._asks
            else self.tr("Grant more days for the running stage, with a reason"))
        self.extend_button.hide()

        self.extend_panel = named(QFrame(), "extendPanel")
        self.extend_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.days_spin = named(QSpinBox(), "extendDays")
        self.days_spin.setRange(1, MAX_EXTENSION)
        self.days_spin.setValue(DEFAULT_EXTENSION)
        self.reason_edit = named(QLineEdit(), "extendReason")
        self.reason_edit.setPlaceholderText(self.tr("Why more time is needed (required)"))
        self.extend_confirm = named(QPushButton(self.tr("Send request") if self._asks else self.tr("Grant extension")),
                                    "extendConfirm")
        # This case's cards and extension requests (services/cards.py), read after the clock is set.
        self.cards_label = named(QLabel(), "caseCards")
        self.cards_label.setWordWrap(True)
        self.cards_label.hide()
        self._cards_generation = 0
        self.request_done = named(QLabel(), "extendRequested")
        self.request_done.setStyleSheet(OK_STYLE)
        self.request_done.setWordWrap(True)
        self.request_done.hide()
        self.extend_cancel = named(QPushButton(self.tr("Cancel")), "extendCancel")
        self.extend_error = named(QLabel(), "extendError")
        self.extend_error.setStyleSheet(ERROR_STYLE)
        self.extend_error.setWordWrap(True)
        self.extend_error.hide()
        grid = QGridLayout(self.extend_panel)
        grid.addWidget(QLabel(self.tr("Extend by")), 0, 0)
        grid.addWidget(self.days_spin, 0, 1)
        grid.addWidget(QLabel(self.tr("Reason")), 0, 2)
        grid.addWidget(self.reason_edit, 0, 3)
        grid.addWidget(self.extend_cancel, 0, 4)
        grid.addWidget(self.extend_confirm, 0, 5)
        grid.addWidget(self.extend_error, 1, 0, 1, 6)
        grid.setColumnStretch(3, 1)
        self.extend_panel.hide()

        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.clock_label, 1)
        line.addWidget(self.extend_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addWidget(self.extend_panel)
        layout.addWidget(self.cards_label)
        layout.addWidget(self.request_done)

        self.extend_button.clicked.connect(self.open_extension)
        self.extend_cancel.clicked.connect(self.close_extension)
        self.extend_confirm.clicked.connect(self.submit)
        self.reason_edit.returnPressed.connect(self.submit)

    @property
    def state(self) -> ClockState | None:
        return self._state

    def set_clock(self, case_id: int, state: ClockState | None, *, may_extend: bool) -> None:
        if case_id != self._case_id:
            self.close_extension()
            self.reason_edit.clear()
            self.days_spin.setValue(DEFAULT_EXTENSION)
        self._case_id, self._state = case_id, state
        if state is None:
            self.clock_label.setText(self.tr("No time limit is running for this case."))
            self.clock_label.setStyleSheet(f"color: {FINAL_COLOUR};")
            self.close_extension()
        else:
            self.clock_label.setStyleSheet("")
            self.clock_label.setText(clock_badge(state))
            self.clock_label.setToolTip(self.tr("Started {start}; turns yellow on {warn}; due {due}.").format(
                start=format_day(state.started_on), warn=format_day(state.warn_on), due=format_day(state.due_on)))
            self.days_spin.setSuffix(self.tr(" working days") if state.working_days else self.tr(" days"))
        allowed = state is not None and may_extend
        self.extend_button.setVisible(allowed)
        if not allowed:
            self.close_extension()
        self._read_cards(case_id)

    def _read_cards(self, case_id: int) -> None:
        """The cards this case was given and its latest extension request, in one line."""
        self._cards_generation += 1
        generation, actor = self._cards_generation, self._actor

        def load(session: Session) -> tuple[list[cards.CardInfo], list[cards.RequestInfo]]:
            return (cards.cards(session, actor, case_id=case_id, limit=20),
                    cards.requests(session, actor, pending_only=False, case_id=case_id, limit=1))

        def arrived(found: tuple[list[cards.CardInfo], list[cards.RequestInfo]]) -> None:
            if generation != self._cards_generation:
                return
            given, asked = found
            parts = [self.tr("{card} on {day} ({stage})").format(card=c.label, day=format_day(c.given_on),
                                                               stage=enum_text(c.stage)) for c in reversed(given)]
            if asked:
                request = asked[0]
                parts.append(self.tr("extension of {days}{unit} asked on {day}: {status}").format(
                    days=request.days, unit=request.unit, day=format_day(request.requested_on),
                    status=request.status.label))
            self.cards_label.setText("；".join(parts))
            self.cards_label.setVisible(bool(parts))

        self._runner.run_read(load, on_success=arrived, on_error=lambda _failure: self.cards_label.hide())

    def open_extension(self) -> None:
        self.request_done.hide()
        self.extend_panel.show()
        self.extend_error.hide()
        self.reason_edit.setFocus()

    def close_extension(self) -> None:
        self.extend_panel.hide()
        self.extend_error.hide()

    def submit(self) -> None:
        case_id = self._case_id
        if case_id is None or self._busy:
            return
        days, reason, actor = self.days_spin.value(), self.reason_edit.text(), self._actor

        asks = self._asks

        def work(session: Session) -> None:
            if asks:
                cards.request_extension(session, actor, case_id, days=days, reason=reason)
            else:
                clocks.extend(session, actor, case_id, days=days, reason=reason)

        self._set_busy(True)
        self.extend_error.hide()
        self._runner.run_write(work, on_success=lambda _result: self._done(case_id), on_error=self._failed)

    def _done(self, case_id: int) -> None:
        self._set_busy(False)
        self.reason_edit.clear()
        self.days_spin.setValue(DEFAULT_EXTENSION)
        self.close_extension()
        if self._asks:
            self.request_done.setText(self.tr("Request sent: the center head approves or refuses it on the desk."))
            self.request_done.show()
            self._read_cards(case_id)
        self.extended.emit(case_id)

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self.extend_error.setText(failure.message)
        self.extend_error.show()
        (self.days_spin if failure.field == "days" else self.reason_edit).setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.extend_confirm.setEnabled(not busy)


__all__ = ["ClockLine", "clock_badge", "clock_text"]
