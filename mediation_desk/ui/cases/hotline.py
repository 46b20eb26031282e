"""The 12345 work order on a case page: the hotline's order number and type code, the 2·20 limits
(签收, 联系 within 2 working days, 办结 within 2 or 20) with their state today, and the two small
actions the clerk or mediator records — 签收 (sign for) and 首次联系 (first contact, with a note).
Everything else the return file carries comes from the case itself (docs/hotline.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from mediation_desk.services import hotline
from mediation_desk.ui.common.format import format_time
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.readmodels.hotline import HotlineOrderFacts, LimitState
    from mediation_desk.services.actor import Actor

LATE_STYLE = "color: #c62828;"
DONE_STYLE = "color: #2e7d32;"
#: Longest contact note (the service's limit).
MAX_NOTE = 500


class HotlineBox(QGroupBox):
    """12345 工单 on the case overview; hidden for a case that is not a work order."""

    def __init__(self, runner: TaskRunner, actor: Actor, today: Callable[[], date],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hotlineBox")
        self.setTitle(self.tr("12345 work order"))
        self._runner, self._actor, self._today = runner, actor, today
        self.order: HotlineOrderFacts | None = None
        self._shown_case: int | None = None
        self.order_label = named(QLabel(), "hotlineOrder")
        self.limit_labels = {key: named(QLabel(), f"hotline_{key}") for key in ("sign", "contact", "close")}
        self.sign_button = named(QPushButton(self.tr("Sign for")), "hotlineSign")
        self.sign_button.setToolTip(self.tr("Record that the center took this work order, now"))
        self.contact_note = named(QLineEdit(), "hotlineContactNote")
        self.contact_note.setPlaceholderText(self.tr("How the citizen was reached (optional)"))
        self.contact_note.setMaxLength(MAX_NOTE)
        self.contact_button = named(QPushButton(self.tr("First contact")), "hotlineContact")
        self.contact_button.setToolTip(self.tr("Record the first contact with the citizen, now"))
        self.error_label = named(QLabel(), "hotlineError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.order_label)
        for label in self.limit_labels.values():
            layout.addWidget(label)
        actions = QHBoxLayout()
        actions.addWidget(self.sign_button)
        actions.addWidget(self.contact_note, 1)
        actions.addWidget(self.contact_button)
        layout.addLayout(actions)
        layout.addWidget(self.error_label)
        self.sign_button.clicked.connect(self.sign_for)
        self.contact_button.clicked.connect(self.record_contact)
        self.contact_note.returnPressed.connect(self.record_contact)

    def set_order(self, order: HotlineOrderFacts | None, *, may_record: bool) -> None:
        self.order = order
        self.setVisible(order is not None)
        if order is None:
            return
        if order.case_id != self._shown_case:  # another case: nothing typed for this one
            self.contact_note.clear()
            self.error_label.hide()
        self._shown_case = order.case_id
        kind = self.tr("consultation") if order.is_consultation else self.tr("request")
        self.order_label.setText(self.tr("Order {number} · hotline type {code} · {kind} · 2·20 limits:").format(
            number=order.order_no, code=order.type_code or "—", kind=kind))
        today = self._today()
        names = {"sign": self.tr("Signed for"), "contact": self.tr("First contact"), "close": self.tr("Closed")}
        for key, limit in zip(("sign", "contact", "close"), order.limits, strict=True):
            label = self.limit_labels[key]
            label.setText(self._limit_text(names[key], limit, today))
            label.setStyleSheet(LATE_STYLE if limit.overdue(today) else DONE_STYLE if limit.on_time else "")
        self.sign_button.setVisible(order.signed_at is None)
        self.sign_button.setEnabled(may_record)
        waiting = order.signed_at is not None and order.contacted_at is None
        self.contact_button.setVisible(waiting)
        self.contact_note.setVisible(waiting)
        self.contact_button.setEnabled(may_record)
        self.contact_note.setEnabled(may_record)

    def _limit_text(self, what: str, limit: LimitState, today: date) -> str:
        due = f"{limit.due_on:%Y-%m-%d}"
        if limit.done_at is not None:
            verdict = self.tr("on time") if limit.on_time else self.tr("late")
            return self.tr("{what}: {time} ({verdict}, due {due})").format(
                what=what, time=format_time(limit.done_at), verdict=verdict, due=due)
        if limit.overdue(today):
            return self.tr("{what}: not done, overdue (due {due})").format(what=what, due=due)
        return self.tr("{what}: not done yet (due {due})").format(what=what, due=due)

    def sign_for(self) -> None:
        order, actor = self.order, self._actor
        if order is None or order.signed_at is not None:
            return

        def work(session: Session) -> HotlineOrderFacts:
            return hotline.sign_for(session, actor, order.case_id)

        self._run(work)

    def record_contact(self) -> None:
        order, actor, note = self.order, self._actor, self.contact_note.text()
        if order is None or order.signed_at is None or order.contacted_at is not None:
            return

        def work(session: Session) -> HotlineOrderFacts:
            return hotline.record_contact(session, actor, order.case_id, note=note)

        self._run(work)

    def _run(self, work: Callable[[Session], HotlineOrderFacts]) -> None:
        self.error_label.hide()
        self.sign_button.setEnabled(False)
        self.contact_button.setEnabled(False)
        self._runner.run_write(work, self._done, self._failed)

    def _done(self, order: HotlineOrderFacts) -> None:
        self.contact_note.clear()
        self.set_order(order, may_record=True)

    def _failed(self, failure: TaskFailure) -> None:
        # What was typed stays; the message says what was refused.
        self.error_label.setText(failure.message)
        self.error_label.show()
        self.sign_button.setEnabled(True)
        self.contact_button.setEnabled(True)
