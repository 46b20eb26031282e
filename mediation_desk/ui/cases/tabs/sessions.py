"""Case-view tab: the case's mediation sessions (调解会) — schedule one (Ctrl+Shift+S), change it,
cancel it with a reason, print the parties' 调解通知书, and after the session start its 调解记录
with the time, place and participants filled (:attr:`SessionsTab.start_record`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.readmodels.sessions import SessionInfo
from mediation_desk.services.sessions import CaseSessionsPage
from mediation_desk.ui.common.confirm import confirm_irreversible
from mediation_desk.ui.common.format import FINAL_COLOUR
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.pdf_preview import DocumentPreview, open_preview
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, ImeLineEdit, named
from mediation_desk.ui.sessions.dialog import SessionDialog

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.records import MediationRecordInput


class SessionsModel(RowsModel[SessionInfo]):
    CONTEXT = "SessionsModel"
    COL_WHEN, COL_ROOM, COL_MEDIATORS, COL_PARTIES, COL_INVITED = range(5)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("SessionsModel", "When"),
        QT_TRANSLATE_NOOP("SessionsModel", "Room"),
        QT_TRANSLATE_NOOP("SessionsModel", "Mediators"),
        QT_TRANSLATE_NOOP("SessionsModel", "Parties"),
        QT_TRANSLATE_NOOP("SessionsModel", "Invited"),
    )

    def text(self, row: SessionInfo, column: int) -> str:
        if column == self.COL_WHEN:
            return row.when()
        if column == self.COL_ROOM:
            return row.room_name
        if column == self.COL_MEDIATORS:
            return "、".join(row.mediator_names)
        if column == self.COL_PARTIES:
            return "、".join(p.name for p in row.parties)
        return row.participants_text()


class SessionsTab(LoadedPage[CaseSessionsPage]):
    changed = Signal()
    #: Start the 调解记录 of a session: the record's fields, filled from it.
    start_record = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent, error_name="sessionsLoadError")
        self.setObjectName("sessionsTab")
        self._actor = actor
        self._case_id: int | None = None
        self._busy = False
        self.dialog: SessionDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.preview: DocumentPreview | None = None

        self.model = SessionsModel(self)
        self.table = named(QTableView(), "sessionsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty_label = named(QLabel(self.tr("No mediation session scheduled yet.")), "sessionsEmpty")
        self.empty_label.setStyleSheet(f"color: {FINAL_COLOUR};")
        self.read_only_label = named(QLabel(), "sessionsReadOnly")
        self.read_only_label.setStyleSheet(f"color: {FINAL_COLOUR};")
        self.read_only_label.hide()
        self.schedule_button = named(QPushButton(self.tr("Schedule a session…")), "sessionSchedule")
        self.schedule_button.setToolTip(self.tr("Schedule a mediation session (Ctrl+Shift+S)"))
        self.edit_button = named(QPushButton(self.tr("Change…")), "sessionEdit")
        self.notices_button = named(QPushButton(self.tr("Print notices…")), "sessionNotices")
        self.notices_button.setToolTip(self.tr("The 调解通知书 of every party summoned, one page each"))
        self.record_button = named(QPushButton(self.tr("Start its record")), "sessionRecord")
        self.record_button.setToolTip(self.tr("A new mediation record with the session's time, place and "
                                              "participants filled"))
        self.reason_edit: QLineEdit = named(ImeLineEdit(), "sessionCancelReason")
        self.reason_edit.setPlaceholderText(self.tr("Why the session is cancelled"))
        self.cancel_button = named(QPushButton(self.tr("Cancel the session")), "sessionCancelButton")
        self.message = named(QLabel(), "sessionsMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        buttons = QHBoxLayout()
        for button in (self.schedule_button, self.edit_button, self.notices_button, self.record_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        cancel_row = QHBoxLayout()
        cancel_row.addWidget(self.reason_edit, 1)
        cancel_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.load_error)
        layout.addWidget(self.read_only_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(cancel_row)
        layout.addWidget(self.message)

        self.schedule_button.clicked.connect(self.schedule)
        self.edit_button.clicked.connect(self.edit_selected)
        self.notices_button.clicked.connect(self.print_notices)
        self.record_button.clicked.connect(self.record_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_enabled())
        QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_S), self, self.schedule,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update_enabled()

    # ------------------------------------------------------------------ loading

    @property
    def case_id(self) -> int | None:
        return self._case_id

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self.forget()
            self.model.set_rows([])
        self._case_id = case_id
        self.reload()

    def can_load(self) -> bool:
        return self._case_id is not None

    def reader(self) -> Callable[[Session], CaseSessionsPage]:
        actor, case_id = self._actor, self._case_id
        assert case_id is not None

        def load(session: Session) -> CaseSessionsPage:
            from mediation_desk.services import sessions

            return sessions.case_sessions_page(session, actor, case_id)

        return load

    def concerns(self, changes: Changes) -> bool:
        return self._case_id is not None and (changes.touches_case(self._case_id) or changes.organisation)

    def show_page(self, page: CaseSessionsPage) -> None:
        selected = self.selected()
        self.model.set_rows(list(page.sessions))
        self.empty_label.setVisible(not page.sessions)
        self.read_only_label.setText(page.read_only_reason)
        self.read_only_label.setVisible(bool(page.read_only_reason))
        if selected is not None:
            row = next((i for i, s in enumerate(page.sessions) if s.id == selected.id), None)
            if row is not None:
                self.table.selectRow(row)
        elif page.sessions:
            self.table.selectRow(len(page.sessions) - 1)
        self._update_enabled()

    def selected(self) -> SessionInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_enabled(self) -> None:
        page = self.page
        chosen = self.selected() is not None
        may = page is not None and page.may_schedule and not self._busy
        self.schedule_button.setEnabled(may)
        self.edit_button.setEnabled(may and chosen)
        self.cancel_button.setEnabled(may and chosen)
        self.reason_edit.setEnabled(may and chosen)
        self.notices_button.setEnabled(chosen)
        self.record_button.setEnabled(chosen and page is not None and page.may_write_records)

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)
        self.message.show()

    # ------------------------------------------------------------------ actions

    def schedule(self) -> None:
        self._open_dialog(None)

    def edit_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None and self.page is not None and self.page.may_schedule:
            self._open_dialog(chosen)

    def _open_dialog(self, editing: SessionInfo | None) -> None:
        page = self.page
        if page is None or not page.may_schedule:
            return
        if not page.rooms:
            self._say(self.tr("No mediation room is set up yet: the head or the administrator adds them in the "
                              "sessions calendar (Rooms…)."), ok=False)
            return
        self.dialog = SessionDialog(self._runner, self._actor, page, self, editing=editing)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.saved.connect(self._saved)
        self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()
        self.dialog.room.setFocus()

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None

    def _saved(self, info: SessionInfo) -> None:
        self._say(self.tr("Session saved: {when}, {room}.").format(when=info.when(), room=info.room_name), ok=True)
        self.changed.emit()

    def cancel_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        reason = self.reason_edit.text().strip()
        if not reason:
            self._say(self.tr("Enter why the session is cancelled."), ok=False)
            self.reason_edit.setFocus()
            return
        from mediation_desk.services import sessions

        actor = self._actor

        def proceed() -> None:
            self._busy = True
            self._update_enabled()
            self._runner.run_write(lambda session: sessions.cancel(session, actor, chosen.id, reason=reason),
                                   on_success=lambda _none: self._cancelled(), on_error=self._write_failed)

        self.confirm_box = confirm_irreversible(
            self, self.tr("Cancel the session"),
            self.tr("Cancel the session of {when} in {room}? The parties must be told.").format(
                when=chosen.when(), room=chosen.room_name), self.tr("Cancel the session"), proceed)

    def _cancelled(self) -> None:
        self._busy = False
        self.reason_edit.clear()
        self._say(self.tr("The session was cancelled."), ok=True)
        self.changed.emit()

    def _write_failed(self, failure: TaskFailure) -> None:
        self._busy = False
        self._update_enabled()
        self._say(failure.message, ok=False)

    def print_notices(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        actor = self._actor

        def work(session: Session) -> bytes:
            # On the worker (not the GUI thread): reportlab and its fonts, when the desk's warm-up
            # after its first rows has not loaded them yet (ui.app.warm_up_documents).
            from mediation_desk.services import printing

            return printing.session_notices(session, actor, chosen.id)

        def show(data: bytes) -> None:
            self.preview = open_preview(self._runner, actor, self, chosen.case_id, "session-notice",
                                        title=self.tr("Notices of the session of {when}").format(when=chosen.when()),
                                        document_id=chosen.id, data=data)

        self._runner.run_slow_read(work, on_success=show, on_error=self._write_failed)

    def record_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        from mediation_desk.services import sessions

        actor = self._actor

        def work(session: Session) -> MediationRecordInput:
            return sessions.record_draft(session, actor, chosen.id)

        self._runner.run_read(work, on_success=self.start_record.emit, on_error=self._write_failed)

    def select_session(self, session_id: int) -> bool:
        row = next((i for i, s in enumerate(self.model.rows) if s.id == session_id), None)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

