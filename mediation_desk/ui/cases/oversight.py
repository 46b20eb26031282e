"""What watches a case from outside its team: the head's 督办 orders with the team's answers, and
the 分流 diversions with the receiving body's feedback.

A case has a handful of each at most, so every order and diversion is a small frame of its own
with its answer (or feedback) typed right under it. What the user was typing survives the page
reloading after someone else's write.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import Role
from mediation_desk.services import diversion, supervision
from mediation_desk.ui.common.date_field import DateField, first_problem
from mediation_desk.ui.common.format import FINAL_COLOUR, format_day, format_time
from mediation_desk.ui.common.i18n import enum_text
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import error_label, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.diversion import DiversionInfo
    from mediation_desk.services.supervision import OrderInfo

OVERDUE_STYLE = "color: #c62828;"
#: A supervision order is usually to be answered within a week.
DEFAULT_ORDER_DAYS = 7


class OrderItem(QFrame):
    """One supervision order: the instruction, its deadline, and the answer (or a box to answer)."""

    def __init__(self, order: OrderInfo, *, can_answer: bool, today: date, draft: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order = order
        self.setObjectName(f"order_{order.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text_label = named(QLabel(), "orderText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading = self.tr("{when}, {who}: {instruction}").format(
            when=format_time(order.issued_at), who=order.issued_by or "—", instruction=order.instruction)
        self.text_label.setText(heading)
        self.status_label = named(QLabel(), "orderStatus")
        self.status_label.setWordWrap(True)
        late = order.open and order.due_on is not None and order.due_on < today
        if not order.open:
            self.status_label.setText(self.tr("Answered {when}: {response}").format(
                when=format_time(order.resolved_at), response=order.response))
        elif late:
            self.status_label.setText(self.tr("Overdue: to be finished by {due}, not answered yet").format(
                due=format_day(order.due_on)))
        elif order.due_on is not None:
            self.status_label.setText(self.tr("To be finished by {due}; awaiting the team's answer").format(
                due=format_day(order.due_on)))
        else:
            self.status_label.setText(self.tr("Awaiting the team's answer"))
        self.status_label.setStyleSheet(OVERDUE_STYLE if late else f"color: {FINAL_COLOUR};")
        self.answer_edit = named(QPlainTextEdit(), "answerEdit")
        self.answer_edit.setTabChangesFocus(True)
        self.answer_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.answer_edit.setPlaceholderText(self.tr("What the team has done about it"))
        self.answer_edit.setPlainText(draft)
        self.answer_button = named(QPushButton(self.tr("Answer")), "answerButton")
        self.answer_error = error_label("answerError")
        layout = QGridLayout(self)
        layout.addWidget(self.text_label, 0, 0, 1, 2)
        layout.addWidget(self.status_label, 1, 0, 1, 2)
        layout.addWidget(self.answer_edit, 2, 0)
        layout.addWidget(self.answer_button, 2, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.answer_error, 3, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        answerable = order.open and can_answer
        self.answer_edit.setVisible(answerable)
        self.answer_button.setVisible(answerable)


class SupervisionBox(QGroupBox):
    """督办 on one case: the head issues an order; the team answers it here or on the desk."""

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisionBox")
        self.setTitle(self.tr("Supervision"))
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self._busy = False
        self._drafts: dict[int, str] = {}
        self.items: dict[int, OrderItem] = {}

        self.supervise_button = named(QPushButton(self.tr("Supervise…")), "superviseButton")
        self.supervise_button.setToolTip(self.tr("Issue a supervision order on this case to its team"))
        self.empty_label = QLabel(self.tr("No supervision order on this case."))
        self.empty_label.setStyleSheet(f"color: {FINAL_COLOUR};")

        self.issue_panel = named(QFrame(), "issuePanel")
        self.issue_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.instruction_edit = named(QPlainTextEdit(), "instructionEdit")
        self.instruction_edit.setTabChangesFocus(True)
        self.instruction_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.instruction_edit.setPlaceholderText(self.tr("What the team must do, e.g. hold a mediation session "
                                                         "this week and report the outcome"))
        self.due_check = named(QCheckBox(self.tr("To be finished by")), "orderDueCheck")
        self.due_check.setChecked(True)
        self.due_edit = DateField("orderDue", self.tr("To be finished by"))
        self.issue_confirm = named(QPushButton(self.tr("Issue order")), "issueConfirm")
        self.issue_cancel = named(QPushButton(self.tr("Cancel")), "issueCancel")
        self.issue_error = error_label("issueError")
        grid = QGridLayout(self.issue_panel)
        grid.addWidget(QLabel(self.tr("Instruction")), 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.instruction_edit, 0, 1, 1, 4)
        grid.addWidget(self.due_check, 1, 0)
        grid.addWidget(self.due_edit, 1, 1)
        grid.addWidget(self.issue_cancel, 1, 3)
        grid.addWidget(self.issue_confirm, 1, 4)
        grid.addWidget(self.issue_error, 2, 0, 1, 5)
        grid.setColumnStretch(2, 1)
        self.issue_panel.hide()

        self.items_layout = QVBoxLayout()
        self.items_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.empty_label)
        top.addStretch(1)
        top.addWidget(self.supervise_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.issue_panel)
        layout.addLayout(self.items_layout)

        self.supervise_button.clicked.connect(self.open_issue)
        self.issue_cancel.clicked.connect(self.close_issue)
        self.issue_confirm.clicked.connect(self.issue)
        self.due_check.toggled.connect(self.due_edit.setEnabled)

    @property
    def can_issue(self) -> bool:
        return supervision_may_issue(self._actor)

    def set_orders(self, case_id: int, orders: tuple[OrderInfo, ...], *, case_open: bool, today: date) -> None:
        if case_id != self._case_id:
            self._drafts.clear()
            self.close_issue()
            self.instruction_edit.clear()
        else:
            self._keep_drafts()
        self._case_id = case_id
        self.due_edit.set_range(today, date(2099, 12, 31))
        if not self.issue_panel.isVisible():
            self.due_edit.set_value(today + timedelta(days=DEFAULT_ORDER_DAYS))
        for item in self.items.values():
            self.items_layout.removeWidget(item)
            item.deleteLater()
        self.items = {}
        can_answer = supervision_may_answer(self._actor)
        for order in orders:
            item = OrderItem(order, can_answer=can_answer, today=today, draft=self._drafts.get(order.id, ""),
                             parent=self)
            item.answer_button.clicked.connect(lambda _checked=False, oid=order.id: self.answer(oid))
            self.items_layout.addWidget(item)
            self.items[order.id] = item
        issuable = self.can_issue and case_open
        self.supervise_button.setVisible(issuable)
        if not issuable:
            self.close_issue()
        self.empty_label.setVisible(not orders)
        self.setVisible(bool(orders) or issuable)

    def _keep_drafts(self) -> None:
        for order_id, item in self.items.items():
            self._drafts[order_id] = item.answer_edit.toPlainText()

    # ------------------------------------------------------------------ issuing (head)

    def open_issue(self) -> None:
        self.issue_panel.show()
        self.issue_error.hide()
        self.instruction_edit.setFocus()

    def close_issue(self) -> None:
        self.issue_panel.hide()
        self.issue_error.hide()

    def issue(self) -> None:
        case_id = self._case_id
        if case_id is None or self._busy:
            return
        if self.due_check.isChecked() and first_problem([self.due_edit]) is not None:
            return  # the field says why; no order is issued
        instruction, actor = self.instruction_edit.toPlainText(), self._actor
        due = self.due_edit.day() if self.due_check.isChecked() else None

        def work(session: Session) -> None:
            supervision.issue(session, actor, case_id, instruction=instruction, due_on=due)

        def done(_result: object) -> None:
            self._busy = False
            self.instruction_edit.clear()
            self.close_issue()

        self._busy = True
        self.issue_error.hide()
        self._runner.run_write(work, on_success=done,
                               on_error=lambda failure: self._failed(failure, self.issue_error))

    # ------------------------------------------------------------------ answering (team)

    def answer(self, order_id: int) -> None:
        item = self.items.get(order_id)
        case_id = self._case_id
        if item is None or case_id is None or self._busy:
            return
        response, actor = item.answer_edit.toPlainText(), self._actor

        def work(session: Session) -> None:
            supervision.answer(session, actor, order_id, response)

        def done(_result: object) -> None:
            self._busy = False
            self._drafts.pop(order_id, None)
            item.answer_edit.clear()

        self._busy = True
        item.answer_error.hide()
        self._runner.run_write(work, on_success=done,
                               on_error=lambda failure: self._failed(failure, item.answer_error))

    def _failed(self, failure: TaskFailure, label: QLabel) -> None:
        self._busy = False
        label.setText(failure.message)
        label.show()


def supervision_may_issue(actor: Actor) -> bool:
    return actor.role is Role.HEAD


def supervision_may_answer(actor: Actor) -> bool:
    # Orders reach a mediator only for their own teams' cases (services.supervision.orders), so
    # every open order a mediator sees is theirs to answer. The head issues orders, not answers.
    return actor.role is Role.MEDIATOR


def diversion_may_record(actor: Actor) -> bool:
    return actor.role in (Role.INTAKE, Role.HEAD)


class DiversionItem(QFrame):
    """One diversion: where the case went and why, and the feedback (or a box to record it)."""

    def __init__(self, info: DiversionInfo, *, can_record: bool, today: date, draft: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setObjectName(f"diversion_{info.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text_label = named(QLabel(self.tr("{when}: to {kind} “{name}” — {reason}").format(
            when=format_time(info.sent_at), kind=enum_text(info.body), name=info.body_name, reason=info.reason)),
            "diversionText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = named(QLabel(), "diversionStatus")
        self.status_label.setWordWrap(True)
        if info.awaiting_feedback:
            waited = max(0, (today - info.sent_at.date()).days)
            self.status_label.setText(self.tr("Awaiting feedback for {days} days").format(days=waited))
            self.status_label.setStyleSheet("color: #e65100;")
        else:
            self.status_label.setText(self.tr("Feedback {when}: {feedback}").format(
                when=format_time(info.feedback_at), feedback=info.feedback))
        self.feedback_edit = named(QLineEdit(), "feedbackEdit")
        self.feedback_edit.setPlaceholderText(self.tr("What the body reported (handled, mediated, returned …)"))
        self.feedback_edit.setText(draft)
        self.feedback_button = named(QPushButton(self.tr("Record feedback")), "feedbackButton")
        self.feedback_error = error_label("feedbackError")
        layout = QGridLayout(self)
        layout.addWidget(self.text_label, 0, 0, 1, 2)
        layout.addWidget(self.status_label, 1, 0, 1, 2)
        layout.addWidget(self.feedback_edit, 2, 0)
        layout.addWidget(self.feedback_button, 2, 1)
        layout.addWidget(self.feedback_error, 3, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        recordable = info.awaiting_feedback and can_record
        self.feedback_edit.setVisible(recordable)
        self.feedback_button.setVisible(recordable)


class DiversionsBox(QGroupBox):
    """分流 of one case and the receiving body's feedback, which closure review waits for."""

    #: Feedback was recorded (the case id).
    feedback_recorded = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diversionsBox")
        self.setTitle(self.tr("Diversion"))
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self._busy = False
        self._drafts: dict[int, str] = {}
        self.items: dict[int, DiversionItem] = {}
        self.items_layout = QVBoxLayout(self)

    def set_diversions(self, case_id: int, diversions: tuple[DiversionInfo, ...], *, today: date) -> None:
        if case_id != self._case_id:
            self._drafts.clear()
        else:
            for diversion_id, item in self.items.items():
                self._drafts[diversion_id] = item.feedback_edit.text()
        self._case_id = case_id
        for item in self.items.values():
            self.items_layout.removeWidget(item)
            item.deleteLater()
        self.items = {}
        can_record = diversion_may_record(self._actor)
        for info in diversions:
            item = DiversionItem(info, can_record=can_record, today=today, draft=self._drafts.get(info.id, ""),
                                 parent=self)
            item.feedback_button.clicked.connect(lambda _checked=False, did=info.id: self.record(did))
            item.feedback_edit.returnPressed.connect(lambda did=info.id: self.record(did))
            self.items_layout.addWidget(item)
            self.items[info.id] = item
        self.setVisible(bool(diversions))

    def record(self, diversion_id: int) -> None:
        item = self.items.get(diversion_id)
        case_id = self._case_id
        if item is None or case_id is None or self._busy:
            return
        feedback, actor = item.feedback_edit.text(), self._actor

        def work(session: Session) -> None:
            diversion.record_feedback(session, actor, diversion_id, feedback)

        def done(_result: object) -> None:
            self._busy = False
            self._drafts.pop(diversion_id, None)
            self.feedback_recorded.emit(case_id)

        def failed(failure: TaskFailure) -> None:
            self._busy = False
            item.feedback_error.setText(failure.message)
            item.feedback_error.show()

        self._busy = True
        item.feedback_error.hide()
        self._runner.run_write(work, on_success=done, on_error=failed)


__all__ = ["DiversionItem", "DiversionsBox", "OrderItem", "SupervisionBox"]
