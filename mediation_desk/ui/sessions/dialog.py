"""Scheduling or moving a mediation session of a case: a dialog the keyboard fills in order —
room, day, start, end (its day only when it passes midnight), mediators and parties ticked with
Space, invited participants one per line ("王福，村干部"), what to bring, a note.

Nothing typed is lost: a refusal (a clash names the session it collides with, a field it cannot
read) is shown next to the field it concerns and the dialog stays open with everything in it. A
rest day or a session past the case's deadline is asked about first (``ui.common.confirm``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.services.errors import NeedsConfirmation
from mediation_desk.services.sessions import CaseSessionsPage, SessionInput
from mediation_desk.ui.common.confirm import confirm_irreversible
from mediation_desk.ui.common.date_field import DateField, FieldKind, first_problem
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.tick_list import TickItem, TickListModel
from mediation_desk.ui.common.widgets import ERROR_STYLE, ImeLineEdit, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.readmodels.sessions import SessionInfo
    from mediation_desk.services.actor import Actor

#: "王福，村干部", "王福 村干部", "王福（村干部）": a name, then the role.
_INVITED = re.compile(r"^(?P<name>[^，,、：:\s（(]+)\s*(?:[（(](?P<paren>[^）)]*)[）)]|[，,、：:\s]+(?P<role>.*))?$")


def parse_invited(text: str) -> tuple[list[tuple[str, str]], int | None]:
    """The invited participants of the box, one a line; the number of the first line that is
    not "name, role" (None when all are)."""
    people: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _INVITED.match(line)
        if match is None:
            return people, number
        role = match.group("paren") if match.group("paren") is not None else (match.group("role") or "")
        people.append((match.group("name"), role.strip()))
    return people, None


def _tick_view(model: TickListModel, name: str, lines: int) -> QListView:
    view = named(QListView(), name)
    view.setModel(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setUniformItemSizes(True)
    view.setFixedHeight(view.fontMetrics().lineSpacing() * lines + 16)
    return view


class SessionDialog(QDialog):
    """Schedule a session of the page's case, or change ``editing``."""

    #: The session was saved: what it is now.
    saved = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, page: CaseSessionsPage, parent: QWidget | None = None, *,
                 editing: SessionInfo | None = None, day: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionDialog")
        self._runner = runner
        self._actor = actor
        self._page = page
        self._editing = editing
        self._busy = False
        #: The open question (a rest day, past the deadline), if any.
        self.confirm_box: QMessageBox | None = None
        self.setWindowTitle(self.tr("Change the session") if editing else self.tr("Schedule a mediation session"))

        self.case_label = named(QLabel(page.case_number), "sessionCase")
        self.room = named(QComboBox(), "sessionRoom")
        self.room.setAccessibleName(self.tr("Room"))
        for room in page.rooms:
            self.room.addItem(self.tr("{name} ({n} people)").format(name=room.name, n=room.capacity), room.id)
        if editing is not None and self.room.findData(editing.room_id) < 0:
            self.room.addItem(editing.room_name, editing.room_id)
        self.start_day = DateField("sessionDay", self.tr("Day"))
        self.start_time = DateField("sessionStart", self.tr("Start"), kind=FieldKind.TIME)
        self.end_time = DateField("sessionEnd", self.tr("End"), kind=FieldKind.TIME)
        self.end_day = DateField("sessionEndDay", self.tr("End day"), optional=True)
        self.end_day.line.setPlaceholderText(self.tr("same day"))
        self.end_day.setToolTip(self.tr("Only for a session that goes on past midnight"))
        self.mediators_model = TickListModel(self)
        self.mediators_model.set_items([TickItem(c.id, c.text) for c in page.mediators])
        self.mediators = _tick_view(self.mediators_model, "sessionMediators", 4)
        self.mediators.setAccessibleName(self.tr("Mediators (Space ticks)"))
        self.parties_model = TickListModel(self)
        self.parties_model.set_items([TickItem(c.id, c.text) for c in page.parties])
        self.parties = _tick_view(self.parties_model, "sessionParties", 3)
        self.parties.setAccessibleName(self.tr("Parties (Space ticks)"))
        self.invited = named(QPlainTextEdit(), "sessionInvited")
        self.invited.setTabChangesFocus(True)
        self.invited.setPlaceholderText(self.tr("One a line: name, role (e.g. 王福，村干部)"))
        self.invited.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.bring = named(QPlainTextEdit(), "sessionBring")
        self.bring.setTabChangesFocus(True)
        self.bring.setPlaceholderText(self.tr("Besides the identity document; one item a line"))
        self.bring.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.note: QLineEdit = named(ImeLineEdit(), "sessionNote")
        self.note.setMaxLength(300)

        self.errors: dict[str, QLabel] = {}
        for key in ("room_id", "mediator_ids", "party_ids", "invited", "bring", "form"):
            label = named(QLabel(), f"sessionError_{key}")
            label.setStyleSheet(ERROR_STYLE)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.hide()
            self.errors[key] = label

        when = QHBoxLayout()
        when.setContentsMargins(0, 0, 0, 0)
        for widget in (self.start_day, self.start_time, QLabel("—"), self.end_time, self.end_day):
            when.addWidget(widget)
        when_box = QWidget()
        when_box.setLayout(when)
        form = QFormLayout()
        form.addRow(self.tr("Case:"), self.case_label)
        form.addRow(self.tr("&Room:"), self._with_error(self.room, "room_id"))
        form.addRow(self.tr("&When:"), when_box)
        form.addRow(self.tr("&Mediators:"), self._with_error(self.mediators, "mediator_ids"))
        form.addRow(self.tr("&Parties:"), self._with_error(self.parties, "party_ids"))
        form.addRow(self.tr("&Invited:"), self._with_error(self.invited, "invited"))
        form.addRow(self.tr("To &bring:"), self._with_error(self.bring, "bring"))
        form.addRow(self.tr("N&ote:"), self.note)
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            buddy = label_item.widget() if label_item is not None else None
            target = field_item.widget() if field_item is not None else None
            if isinstance(buddy, QLabel) and target is not None:
                buddy.setBuddy(target)
        self.buttons = QDialogButtonBox()
        self.save_button = named(QPushButton(self.tr("Save")), "sessionSave")
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save (Ctrl+Return)"))
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "sessionCancel")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors["form"])
        layout.addWidget(self.buttons)

        self.save_button.clicked.connect(self._save_asked)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return), self, self._save_asked)
        self.start_day.value_entered.connect(self._start_day_entered)
        self.setTabOrder(self.room, self.start_day.line)
        self.setTabOrder(self.start_day.line, self.start_time.line)
        self.setTabOrder(self.start_time.line, self.end_time.line)
        self.setTabOrder(self.end_time.line, self.end_day.line)
        self.setTabOrder(self.end_day.line, self.mediators)
        self.setTabOrder(self.mediators, self.parties)
        self.setTabOrder(self.parties, self.invited)
        self.setTabOrder(self.invited, self.bring)
        self.setTabOrder(self.bring, self.note)
        self._fill(editing, day)

    def _with_error(self, widget: QWidget, key: str) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self.errors[key])
        box.setFocusProxy(widget)
        return box

    def _fill(self, editing: SessionInfo | None, day: date | None) -> None:
        if editing is None:
            checked = [self._page.lead_mediator_id] if self._page.lead_mediator_id is not None else []
            self.mediators_model.set_items(self.mediators_model.items(), checked)
            self.parties_model.set_items(self.parties_model.items(), [c.id for c in self._page.parties])
            if day is not None:
                self.start_day.set_value(day)
            return
        self.room.setCurrentIndex(self.room.findData(editing.room_id))
        self.start_day.set_value(editing.starts_at.date())
        self.start_time.set_value(editing.starts_at.time())
        self.end_time.set_value(editing.ends_at.time())
        if editing.ends_at.date() != editing.starts_at.date():
            self.end_day.set_value(editing.ends_at.date())
        self.mediators_model.set_items(self.mediators_model.items(), editing.mediator_ids)
        self.parties_model.set_items(self.parties_model.items(), [p.party_id for p in editing.parties])
        self.invited.setPlainText("\n".join(f"{n}，{r}" if r else n for n, r in editing.invited))
        self.bring.setPlainText(editing.bring)
        self.note.setText(editing.note)

    def _start_day_entered(self, value: object) -> None:
        # A day typed after a later end day was set: the end day no longer says anything.
        end = self.end_day.day() if self.end_day.check() else None
        if isinstance(value, date) and end is not None and end < value:
            self.end_day.set_value(None)

    # ------------------------------------------------------------------ saving

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
            label.clear()

    def show_error(self, key: str, message: str) -> None:
        label = self.errors.get(key, self.errors["form"])
        label.setText(message)
        label.show()
        # A wrapped label in a form row gets the height of its one-line hint: give it its lines.
        label.setMinimumHeight(label.heightForWidth(max(label.width(), 480)))
        self.adjustSize()  # a clash names every session it meets: the dialog grows to show them all
        focus = {"room_id": self.room, "mediator_ids": self.mediators, "party_ids": self.parties,
                 "invited": self.invited, "bring": self.bring}.get(key)
        if key in ("starts_at", "ends_at"):
            field = self.start_time if key == "starts_at" else self.end_time
            field.show_error(message)
            label.hide()
            field.line.setFocus()
        elif focus is not None:
            focus.setFocus()

    def data(self) -> SessionInput | None:
        """What the form says, or None after showing why it cannot be read (the field focused)."""
        self.clear_errors()
        if first_problem([self.start_day, self.start_time, self.end_time, self.end_day]) is not None:
            return None
        day, start, end = self.start_day.day(), self.start_time.moment(), self.end_time.moment()
        if day is None:
            self.start_day.show_error(self.tr("Enter the day of the session."))
            self.start_day.line.setFocus()
            return None
        if start is None or end is None:
            field = self.start_time if start is None else self.end_time
            field.show_error(self.tr("Enter the start and the end time."))
            field.line.setFocus()
            return None
        end_day = self.end_day.day() or day
        invited, bad_line = parse_invited(self.invited.toPlainText())
        if bad_line is not None:
            self.show_error("invited", self.tr("Line {n} of the invited participants is not \"name, role\".").format(
                n=bad_line))
            return None
        room_id = self.room.currentData()
        return SessionInput(
            room_id=room_id if isinstance(room_id, int) else None,
            starts_at=datetime.combine(day, start), ends_at=datetime.combine(end_day, end),
            mediator_ids=list(self.mediators_model.checked_ids()), party_ids=list(self.parties_model.checked_ids()),
            invited=invited, bring=self.bring.toPlainText(), note=self.note.text())

    def _save_asked(self) -> None:
        self.save()

    def save(self, *, confirmed: bool = False) -> None:
        if self._busy:
            return
        data = self.data()
        if data is None:
            return
        from mediation_desk.services import sessions

        actor, case_id, editing = self._actor, self._page.case_id, self._editing

        def work(session: Session) -> SessionInfo:
            if editing is None:
                return sessions.schedule(session, actor, case_id, data, confirmed=confirmed)
            return sessions.update(session, actor, editing.id, data, expected_version=editing.version,
                                   confirmed=confirmed)

        self._set_busy(True)
        self._runner.run_write(work, on_success=self._saved, on_error=self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)

    def _saved(self, info: SessionInfo) -> None:
        self._set_busy(False)
        self.saved.emit(info)
        self.accept()

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        error = failure.error
        if isinstance(error, NeedsConfirmation):
            text = "\n".join(error.warnings) + "\n\n" + self.tr("Schedule the session all the same?")
            self.confirm_box = confirm_irreversible(self, self.tr("Please check"), text, self.tr("Schedule anyway"),
                                                    lambda: self.save(confirmed=True))
            return
        self.show_error(failure.field or "form", failure.message)



__all__ = ["SessionDialog", "parse_invited"]
