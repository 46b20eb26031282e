"""The case view's "Transfer" tab: end a mediation without agreement, the undisputed facts,
the transfer packet, and what became of each transfer.

Every read and write goes through the runner; the packet is built on the write lane with a
progress dialog that can cancel it. Text typed into the forms survives the tab reloading after a
write (its own or a colleague's).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk import settings
from mediation_desk.changes import Changes
from mediation_desk.models import TransferStatus, TransferTarget
from mediation_desk.services import pages, transfers
from mediation_desk.services.errors import Conflict, InvalidInput
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.conflict_dialog import (
    MERGE_NOTE_STYLE,
    ConflictDialog,
    field_changes,
    merge_fields,
    open_conflict,
    reapply,
)
from mediation_desk.ui.common.date_field import DateField, first_problem
from mediation_desk.ui.common.format import format_day, format_time
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.pdf_preview import DocumentPreview, open_preview
from mediation_desk.ui.common.reflow import SideBySide
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.unsaved import reveal
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.exchange.export import ExportResult
    from mediation_desk.exchange.letters import PrintedLetter
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.pages import TransferPage
    from mediation_desk.services.termination import UndisputedFactsInfo
    from mediation_desk.services.transfers import TransferInfo
    from mediation_desk.services.writers import LastWrite


def _date_edit(name: str, label: str) -> DateField:
    edit = DateField(name, label, earliest=date(2000, 1, 1), latest=date(2099, 12, 31))
    edit.set_value(date.today())
    return edit


def _text_edit(name: str, lines: int) -> QPlainTextEdit:
    edit = named(QPlainTextEdit(), name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


class TransferRowsModel(RowsModel["TransferInfo"]):
    CONTEXT = "TransferRowsModel"
    HEADERS = (
        QT_TRANSLATE_NOOP("TransferRowsModel", "Sent to"),
        QT_TRANSLATE_NOOP("TransferRowsModel", "Status"),
        QT_TRANSLATE_NOOP("TransferRowsModel", "Packet built"),
        QT_TRANSLATE_NOOP("TransferRowsModel", "Sent"),
        QT_TRANSLATE_NOOP("TransferRowsModel", "Court case number"),
        QT_TRANSLATE_NOOP("TransferRowsModel", "Outcome"),
    )

    def text(self, row: TransferInfo, column: int) -> str:
        if column == 0:
            return f"{enum_text(row.target)}：{row.target_name}"
        if column == 1:
            return enum_text(row.status)
        if column == 2:
            return format_time(row.created_at)
        if column == 3:
            return format_time(row.sent_at)
        if column == 4:
            return f"{row.filed_number} {format_day(row.filed_on)}".strip()
        return row.outcome


#: The mark on claims a court cannot docket yet: amber, the colour of a step still to do.
CLAIMS_NOTE_STYLE = ("background-color: #fff4e5; color: #8a4b00; border: 1px solid #e65100; border-radius: 4px;"
                     " padding: 4px;")


class _Relay(QObject):
    """Carries the worker's progress to the GUI thread (a queued signal)."""

    progressed = Signal(int, int, str)


#: From this width on the tab's boxes stand side by side (above what side by side needs, so the
#: choice does not flip back and forth).
SIDE_BY_SIDE_WIDTH = 960


class TransferTab(QWidget):
    changed = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferTab")
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self.page: TransferPage | None = None
        self._claims_for: int | None = None
        #: The saved undisputed facts the two boxes started from (None: none yet), and whether the
        #: user changed them since: a save carries that version, so a colleague's save is never
        #: overwritten unseen (it raises the conflict dialog instead).
        self._facts_seen: UndisputedFactsInfo | None = None
        self._facts_dirty = False
        self._facts_filling = False
        #: The open conflict dialog (a colleague saved the facts meanwhile), if any.
        self.conflict_dialog: ConflictDialog | None = None
        self.progress: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        #: How the export's target file is chosen, and how a PDF is shown (tests replace both).
        self.choose_file = self._ask_file
        self.open_document: Any = lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        #: The in-app preview of the printed transfer letter, once made.
        self.letter_preview: DocumentPreview | None = None
        #: Told the outcome of a save the unsaved-input guard asked for (``save_unsaved``).
        self._after_save: Callable[[bool], None] | None = None

        # ---- termination
        self.termination_box = named(QGroupBox(self.tr("End of mediation")), "terminationBox")
        self.termination_label = named(QLabel(), "terminationLabel")
        self.termination_label.setWordWrap(True)
        self.terminated_on = _date_edit("terminatedOn", self.tr("Date mediation ended"))
        self.reason_edit = _text_edit("reasonEdit", 3)
        self.reason_edit.setPlaceholderText(self.tr("Why mediation failed, e.g. the respondent refuses any payment"))
        self.terminate_button = named(QPushButton(self.tr("End mediation without agreement")), "terminateButton")
        self.termination_error = self._error("terminationError")
        form = self._termination_form = QFormLayout(self.termination_box)
        form.addRow(self.termination_label)
        form.addRow(self.tr("Date"), self.terminated_on)
        form.addRow(self.tr("Reason"), self.reason_edit)
        form.addRow(self.terminate_button)
        form.addRow(self.termination_error)

        # ---- undisputed facts
        self.facts_box = named(QGroupBox(self.tr("Undisputed facts")), "factsBox")
        self.facts_status = named(QLabel(), "factsStatus")
        self.facts_edit = _text_edit("factsEdit", 4)
        self.facts_edit.setPlaceholderText(self.tr("One fact per line that both sides accept"))
        self.disputed_edit = _text_edit("disputedEdit", 2)
        self.disputed_edit.setPlaceholderText(self.tr("Matters still in dispute"))
        self.signed_on = _date_edit("signedOn", self.tr("Signed on"))
        self.save_facts_button = named(QPushButton(self.tr("Save draft")), "saveFactsButton")
        self.sign_facts_button = named(QPushButton(self.tr("Parties have signed")), "signFactsButton")
        self.print_facts_button = named(QPushButton(self.tr("Print…")), "printFactsButton")
        self.facts_error = self._error("factsError")
        self.facts_merge_note = named(QLabel(), "factsMergeNote")
        self.facts_merge_note.setWordWrap(True)
        self.facts_merge_note.setStyleSheet(MERGE_NOTE_STYLE)
        self.facts_merge_note.hide()
        for box in (self.facts_edit, self.disputed_edit):
            box.textChanged.connect(self._facts_edited)
        # Two rows, so the box fits the case pane beside the list (one row wanted ~600 px).
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_facts_button)
        buttons.addWidget(self.print_facts_button)
        buttons.addStretch(1)
        signing = QHBoxLayout()
        for widget in (QLabel(self.tr("Signed on")), self.signed_on, self.sign_facts_button):
            signing.addWidget(widget)
        signing.addStretch(1)
        self._signing_row = signing
        form = self._facts_form = QFormLayout(self.facts_box)
        form.addRow(self.facts_status)
        form.addRow(self.facts_merge_note)
        form.addRow(self.tr("Facts"), self.facts_edit)
        form.addRow(self.tr("Still disputed"), self.disputed_edit)
        form.addRow(signing)
        form.addRow(buttons)
        form.addRow(self.facts_error)

        # ---- packet
        self.packet_box = named(QGroupBox(self.tr("Transfer packet")), "packetBox")
        self.target_combo = named(QComboBox(), "targetCombo")
        for target in TransferTarget:
            self.target_combo.addItem(enum_text(target), target.value)
        self.target_name = named(QLineEdit(), "targetName")
        self.target_name.setPlaceholderText(self.tr("e.g. the basic people's court of the district"))
        self.claims_edit = _text_edit("claimsEdit", 3)
        self.claims_edit.setPlaceholderText(self.tr("Draft claims for the court, one per line"))
        #: Why the claims cannot go to a court yet (still the mediation requests, mediation wording…).
        self.claims_note = named(QLabel(), "claimsNote")
        self.claims_note.setWordWrap(True)
        self.claims_note.setStyleSheet(CLAIMS_NOTE_STYLE)
        self.claims_note.hide()
        self.print_letter_button = named(QPushButton(self.tr("Print transfer letter…")), "printLetterButton")
        self.print_letter_button.setToolTip(self.tr(
            "Make the transfer letter and the case summary to print and seal; the packet then carries "
            "exactly these, as long as the case, the receiving body and the claims stay the same"))
        self.export_button = named(QPushButton(self.tr("Export packet…")), "exportButton")
        self.packet_message = named(QLabel(), "packetMessage")
        self.packet_message.setWordWrap(True)
        form = QFormLayout(self.packet_box)
        form.addRow(self.tr("Send to"), self.target_combo)
        form.addRow(self.tr("Receiving body"), self.target_name)
        form.addRow(self.tr("Claims"), self.claims_edit)
        form.addRow(self.claims_note)
        self._packet_form = form
        packet_buttons = QHBoxLayout()
        packet_buttons.addWidget(self.print_letter_button)
        packet_buttons.addWidget(self.export_button)
        packet_buttons.addStretch(1)
        form.addRow(packet_buttons)
        form.addRow(self.packet_message)

        # ---- transfers
        self.tracking_box = named(QGroupBox(self.tr("Transfers of this case")), "trackingBox")
        self.model = TransferRowsModel(self)
        self.table = named(QTableView(), "transferTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(130)
        self.sent_button = named(QPushButton(self.tr("Confirm handed over")), "sentButton")
        self.received_on = _date_edit("receivedOn", self.tr("Received on"))
        self.received_button = named(QPushButton(self.tr("Record received")), "receivedButton")
        self.filed_number = named(QLineEdit(), "filedNumber")
        self.filed_number.setPlaceholderText("（2026）甘0102民初1234号")
        self.filed_on = _date_edit("filedOn", self.tr("Filing date"))
        self.filed_button = named(QPushButton(self.tr("Record filing")), "filedButton")
        self.outcome_edit = named(QLineEdit(), "outcomeEdit")
        self.outcome_edit.setPlaceholderText(self.tr("Judgment, settlement, withdrawal, the department's decision…"))
        self.outcome_on = _date_edit("outcomeOn", self.tr("Outcome date"))
        self.outcome_button = named(QPushButton(self.tr("Record outcome")), "outcomeButton")
        self.tracking_error = self._error("trackingError")
        grid = self._tracking_form = QFormLayout(self.tracking_box)
        grid.addRow(self.table)
        grid.addRow(self.sent_button)
        grid.addRow(self.tr("Received on"), self._row(self.received_on, self.received_button))
        grid.addRow(self.tr("Court case number"), self._row(self.filed_number, self.filed_on, self.filed_button))
        grid.addRow(self.tr("Outcome"), self._row(self.outcome_edit, self.outcome_on, self.outcome_button))
        grid.addRow(self.tracking_error)

        #: Why this user may not do the tab's work (a clerk: 受理员无权办理移送), said up front; the
        #: forms are then hidden and what was recorded is shown read-only.
        self.refusal_label = named(QLabel(), "transferRefusal")
        self.refusal_label.setWordWrap(True)
        self.refusal_label.setStyleSheet(CLAIMS_NOTE_STYLE)
        self.refusal_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.refusal_label)
        # Side by side when the case pane is wide, one above the other when it is not (the case
        # pane beside the list is ~600 px at 1366×768: side by side it wanted 789).
        top = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        top.addWidget(self.termination_box, 1)
        top.addWidget(self.facts_box, 1)
        layout.addLayout(top)
        bottom = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        bottom.addWidget(self.packet_box, 1)
        bottom.addWidget(self.tracking_box, 2)
        layout.addLayout(bottom)
        layout.addStretch(1)
        self.reflow = SideBySide(self, (top, bottom), SIDE_BY_SIDE_WIDTH)

        self.terminate_button.clicked.connect(self.terminate)
        self.save_facts_button.clicked.connect(self.save_facts)
        self.sign_facts_button.clicked.connect(self.sign_facts)
        self.print_facts_button.clicked.connect(self.print_facts)
        self.export_button.clicked.connect(self.export)
        self.claims_edit.textChanged.connect(self._check_claims)
        self.target_combo.currentIndexChanged.connect(self._check_claims)
        self.print_letter_button.clicked.connect(self.print_letter)
        self.sent_button.clicked.connect(lambda: self._track("sent"))
        self.received_button.clicked.connect(lambda: self._track("received"))
        self.filed_button.clicked.connect(lambda: self._track("filed"))
        self.outcome_button.clicked.connect(lambda: self._track("outcome"))
        self.table.selectionModel().selectionChanged.connect(self._update_tracking)
        runner.changed.connect(self._on_changed)
        self._show(None)

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _error(name: str) -> QLabel:
        label = named(QLabel(), name)
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            row.addWidget(widget)
        return holder

    def _fail(self, label: QLabel) -> Any:
        def show(failure: TaskFailure) -> None:
            label.setText(failure.message)
            label.setStyleSheet(ERROR_STYLE)
            label.show()
        return show

    def _written(self, label: QLabel | None = None) -> Any:
        def done(_result: object) -> None:
            if label is not None:
                label.hide()
            self.changed.emit()
        return done

    # ------------------------------------------------------------------ loading

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self.reason_edit.clear()
            self._fill_facts(None)
            self.claims_edit.clear()
            self._claims_for = None
        self._case_id = case_id
        actor = self._actor
        self._runner.run_read(lambda session: pages.transfer_page(session, actor, case_id), on_success=self._loaded)

    def _on_changed(self, changes: Changes) -> None:
        if self._case_id is not None and changes.touches_case(self._case_id):
            self.show_case(self._case_id)

    def _loaded(self, page: TransferPage) -> None:
        if page.case_id != self._case_id:
            return
        self._show(page)

    def _show(self, page: TransferPage | None) -> None:
        self.page = page
        self._show_what_may_be_done(page)
        ended = page.termination if page else None
        can_end = page is not None and page.may_end
        if ended is not None:
            self.termination_label.setText(self.tr("Mediation ended on {day}: {reason}").format(
                day=format_day(ended.terminated_on), reason=ended.reason))
        elif can_end:
            self.termination_label.setText(self.tr("Mediation has not been ended."))
        else:
            self.termination_label.setText(self.tr("Only a case in mediation or failed can be ended here."))
        for widget in (self.terminated_on, self.reason_edit, self.terminate_button):
            widget.setEnabled(can_end)

        facts = page.facts if page else None
        editable = page is not None and page.may_write_facts
        if facts is not None and (facts.signed or not self._facts_dirty):
            self._fill_facts(facts)  # a colleague's save shows, unless the user is editing
        if facts is None:
            self.facts_status.setText(self.tr("No statement drafted yet."))
        elif facts.signed:
            self.facts_status.setText(self.tr("Signed by the parties on {day}.").format(
                day=format_day(facts.signed_on)))
        else:
            self.facts_status.setText(self.tr("Draft, not signed yet."))
        self.facts_edit.setReadOnly(not editable)
        self.disputed_edit.setReadOnly(not editable)
        self.save_facts_button.setEnabled(editable)
        self.sign_facts_button.setEnabled(editable and facts is not None)
        self.signed_on.setEnabled(editable and facts is not None)
        self.print_facts_button.setEnabled(facts is not None)

        can_export = page is not None and page.may_export
        if page is not None and self._claims_for != page.case_id:
            self.claims_edit.setPlainText("\n".join(page.requests))
            self._claims_for = page.case_id
        for packet_widget in (self.target_combo, self.target_name, self.claims_edit, self.print_letter_button,
                              self.export_button):
            packet_widget.setEnabled(can_export)
        self._check_claims()
        not_yet = self.tr("A packet can be built once mediation has failed.")
        if not can_export and page is not None:
            self.packet_message.setStyleSheet("")
            self.packet_message.setText(not_yet)
        elif can_export and self.packet_message.text() == not_yet:
            self.packet_message.clear()  # it has failed now
        selected = self.selected_transfer()
        self.model.set_rows(page.transfers if page else ())
        self.table.resizeColumnsToContents()
        if selected is not None and page is not None:
            for row, info in enumerate(page.transfers):
                if info.id == selected.id:
                    self.table.selectRow(row)
        elif page is not None and page.transfers:
            self.table.selectRow(0)
        self._update_tracking()

    def _show_what_may_be_done(self, page: TransferPage | None) -> None:
        """Only what the user may do: for one who may not (a clerk), the reason up front and the
        forms hidden — nothing to fill in before being told no."""
        working = page is None or page.may_work
        self.refusal_label.setText(page.refusal if page is not None else "")
        self.refusal_label.setVisible(not working)
        self.packet_box.setVisible(working)
        for widget in (self.terminated_on, self.reason_edit, self.terminate_button):
            self._termination_form.setRowVisible(widget, working)
        self._facts_form.setRowVisible(self._signing_row, working)
        self.save_facts_button.setVisible(working)
        rows: tuple[QWidget | None, ...] = (self.sent_button, self.received_button.parentWidget(),
                                             self.filed_button.parentWidget(), self.outcome_button.parentWidget())
        for row in rows:  # the tracking steps (each row of _row's holder)
            if row is not None and row is not self.tracking_box:
                self._tracking_form.setRowVisible(row, working)

    def selected_transfer(self) -> TransferInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_tracking(self) -> None:
        info = self.selected_transfer()
        status = info.status if info else None
        self.sent_button.setEnabled(status is TransferStatus.PREPARED)
        received = status is TransferStatus.SENT
        self.received_on.setEnabled(received)
        self.received_button.setEnabled(received)
        filing = status in (TransferStatus.SENT, TransferStatus.RECEIVED) and info is not None \
            and info.target is TransferTarget.COURT
        for widget in (self.filed_number, self.filed_on, self.filed_button):
            widget.setEnabled(filing)
        outcome = status in (TransferStatus.SENT, TransferStatus.RECEIVED, TransferStatus.FILED)
        for widget in (self.outcome_edit, self.outcome_on, self.outcome_button):
            widget.setEnabled(outcome)

    # ------------------------------------------------------------------ unsaved input (ui.unsaved)

    def _stored_facts(self) -> tuple[str, str]:
        facts = self.page.facts if self.page is not None else None
        return (facts.facts, facts.disputed) if facts is not None else ("", "")

    def _unsaved_parts(self) -> dict[str, QWidget]:
        """What was typed and not stored, by part: ``reason``, ``facts``, ``packet``, ``tracking``."""
        parts: dict[str, QWidget] = {}
        page = self.page
        if self._case_id is None or page is None:
            return parts
        if self.reason_edit.isEnabled() and self.reason_edit.toPlainText().strip():
            parts["reason"] = self.reason_edit
        if not self.facts_edit.isReadOnly() and (
                self.facts_edit.toPlainText(), self.disputed_edit.toPlainText()) != self._stored_facts():
            parts["facts"] = self.facts_edit
        # The packet's receiving body and claims are kept only by the packet made of them.
        if self.claims_edit.isEnabled() and not page.transfers and (
                self.target_name.text().strip() or self.claims_edit.toPlainText() != "\n".join(page.requests)):
            parts["packet"] = self.target_name
        typed = [edit for edit in (self.filed_number, self.outcome_edit) if edit.isEnabled() and edit.text().strip()]
        if typed:
            parts["tracking"] = typed[0]
        return parts

    def has_unsaved_input(self) -> bool:
        return bool(self._unsaved_parts())

    def unsaved_description(self) -> str:
        names = {"reason": self.tr("the reason for ending mediation"), "facts": self.tr("the undisputed facts"),
                 "packet": self.tr("the transfer packet's receiving body and claims"),
                 "tracking": self.tr("the court case number or outcome of the transfer")}
        number = self.page.number if self.page is not None else ""
        parts = self.tr("; ").join(names[key] for key in self._unsaved_parts())
        return self.tr("{number} termination and transfer: {parts}").format(number=number, parts=parts).strip()

    def can_save_unsaved(self) -> bool:
        # Only the statement of facts is a draft that "save" keeps; the rest are steps of the case.
        return set(self._unsaved_parts()) == {"facts"} and self.save_facts_button.isEnabled()

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        if not self.can_save_unsaved():
            done(False)
            return
        self._after_save = done
        self.save_facts()

    def _for_guard(self, handler: Callable[[Any], None], saved: bool) -> Callable[[Any], None]:
        def call(result: Any) -> None:
            handler(result)
            done, self._after_save = self._after_save, None
            if done is not None:
                done(saved)
        return call

    def discard_unsaved(self) -> None:
        self.reason_edit.clear()
        facts, disputed = self._stored_facts()
        self.facts_edit.setPlainText(facts)
        self.disputed_edit.setPlainText(disputed)
        self.target_name.clear()
        if self.page is not None:
            self.claims_edit.setPlainText("\n".join(self.page.requests))
        self.filed_number.clear()
        self.outcome_edit.clear()

    def keep_draft(self) -> bool:
        return False

    def reveal_unsaved(self) -> None:
        parts = self._unsaved_parts()
        reveal(self, next(iter(parts.values()), None))

    # ------------------------------------------------------------------ writes

    def terminate(self) -> None:
        if self._case_id is None:
            return
        from mediation_desk.services import termination

        if first_problem([self.terminated_on]) is not None:
            return
        case_id, actor = self._case_id, self._actor
        reason, day = self.reason_edit.toPlainText(), self.terminated_on.day()
        assert day is not None
        self._runner.run_write(
            lambda session: termination.terminate(session, actor, case_id, reason=reason, terminated_on=day),
            on_success=self._written(self.termination_error), on_error=self._fail(self.termination_error))

    def save_facts(self) -> None:
        if self._case_id is None:
            return
        from mediation_desk.services import termination

        case_id, actor = self._case_id, self._actor
        facts, disputed = self.facts_edit.toPlainText(), self.disputed_edit.toPlainText()
        seen = self._facts_seen
        version = seen.version if seen is not None else 0  # 0: none saved yet, as far as this desk knows

        def saved(info: UndisputedFactsInfo) -> None:
            if self._case_id == info.case_id:
                self._facts_seen = info
                self._facts_dirty = False
            self.facts_merge_note.hide()
            self._written(self.facts_error)(info)

        def failed(failure: TaskFailure) -> None:
            self._fail(self.facts_error)(failure)
            if isinstance(failure.error, Conflict) and self._case_id == case_id:
                self._resolve_facts_conflict(case_id, seen, {"facts": facts, "disputed": disputed})

        self._runner.run_write(
            lambda session: termination.save_undisputed_facts(session, actor, case_id, facts=facts, disputed=disputed,
                                                              expected_version=version),
            on_success=self._for_guard(saved, True), on_error=self._for_guard(failed, False))

    def _facts_edited(self) -> None:
        if not self._facts_filling:
            self._facts_dirty = True

    def _fill_facts(self, facts: UndisputedFactsInfo | None) -> None:
        """Show saved facts (or none) in the two boxes, as the version a next save starts from."""
        self._facts_filling = True
        try:
            self.facts_edit.setPlainText(facts.facts if facts else "")
            self.disputed_edit.setPlainText(facts.disputed if facts else "")
        finally:
            self._facts_filling = False
        self._facts_seen = facts
        self._facts_dirty = False
        self.facts_merge_note.hide()

    def _resolve_facts_conflict(self, case_id: int, base: UndisputedFactsInfo | None, mine: dict[str, str]) -> None:
        """A colleague saved the facts first: show the three versions and who saved, merge, reload or re-apply."""
        from mediation_desk.services import termination

        actor = self._actor

        def work(session: Session) -> tuple[TransferPage, LastWrite]:
            return pages.transfer_page(session, actor, case_id), termination.facts_last_write(session, case_id)

        def show(result: tuple[TransferPage, LastWrite]) -> None:
            page, writer = result
            fresh = page.facts
            if fresh is None or self._case_id != case_id or self._facts_seen is not base:
                return  # the user moved on; the message stays
            labels = {"facts": self.tr("Facts"), "disputed": self.tr("Still disputed")}
            old = {"facts": base.facts if base else "", "disputed": base.disputed if base else ""}
            theirs = {"facts": fresh.facts, "disputed": fresh.disputed}

            def chosen(choice: int) -> None:
                self.conflict_dialog = None
                if self._case_id != case_id:
                    return
                self._show(page)  # where the case is now (the boxes, being edited, stay as they are)
                if choice == ConflictDialog.RELOAD:
                    self._fill_facts(fresh)
                    self.facts_error.hide()
                elif choice in (ConflictDialog.MERGE, ConflictDialog.REAPPLY):
                    if choice == ConflictDialog.MERGE:
                        both = merge_fields(old, theirs, mine, texts=labels, who=writer.who, at=writer.at)
                        values, marked = both.values, both.marked
                    else:
                        values, marked = reapply(old, theirs, mine), ()
                    self._fill_facts(fresh)  # their version is what the next save starts from
                    self._facts_filling = True
                    try:
                        self.facts_edit.setPlainText(str(values["facts"]))
                        self.disputed_edit.setPlainText(str(values["disputed"]))
                    finally:
                        self._facts_filling = False
                    self._facts_dirty = True
                    self.facts_error.hide()
                    if choice == ConflictDialog.REAPPLY:
                        self.save_facts()
                        return
                    who = writer.who or self.tr("your colleague")
                    self.facts_merge_note.setText(self.tr(
                        "Your changes and {who}'s are both in the boxes, not yet saved. Where you both changed "
                        "the same passage ({fields}), both texts are kept between 【】 markers: combine them, "
                        "delete the markers, then save.").format(who=who, fields="、".join(labels[n] for n in marked))
                        if marked else self.tr(
                        "Your changes and {who}'s are both in the boxes, not yet saved: check them, then save."
                        ).format(who=who))
                    self.facts_merge_note.show()
                    (self.facts_edit if "facts" in marked or not marked else self.disputed_edit).setFocus()

            writable = not fresh.signed
            self.conflict_dialog = open_conflict(
                self, self.tr("the undisputed facts"), field_changes(labels, old, theirs, mine), chosen,
                can_reapply=writable, can_merge=writable, who=writer.who, at=writer.at,
                reason="" if writable else self.tr("The parties have signed the facts meanwhile: they can no "
                                                   "longer be changed."))

        self._runner.run_read(work, on_success=show, on_error=self._fail(self.facts_error))

    def sign_facts(self) -> None:
        seen = self._facts_seen
        if self._case_id is None or self.page is None or self.page.facts is None or seen is None:
            return
        from mediation_desk.services import termination

        if first_problem([self.signed_on]) is not None:
            return
        case_id, actor, day = self._case_id, self._actor, self.signed_on.day()
        assert day is not None
        # The version the boxes started from (not the page's, which a colleague's save may have moved on
        # while this user was typing): the parties signed what this desk printed and shows.
        version = seen.version
        mine = {"facts": self.facts_edit.toPlainText(), "disputed": self.disputed_edit.toPlainText()}

        def failed(failure: TaskFailure) -> None:
            self._fail(self.facts_error)(failure)
            if isinstance(failure.error, Conflict) and self._case_id == case_id:
                self._resolve_facts_conflict(case_id, seen, mine)

        self._runner.run_write(
            lambda session: termination.sign_undisputed_facts(session, actor, case_id, signed_on=day,
                                                              expected_version=version),
            on_success=self._written(self.facts_error), on_error=failed)

    def print_facts(self) -> None:
        if self._case_id is None:
            return
        case_id, actor = self._case_id, self._actor

        def render(session: Session) -> Path:
            from mediation_desk.documents.transfer import UndisputedFactsData, render_undisputed_facts
            from mediation_desk.services import cases, kept, termination
            from mediation_desk.services.dossier import issuer

            detail = cases.case_detail(session, actor, case_id)
            facts = termination.undisputed_facts_of(session, case_id)
            if facts is None:
                from mediation_desk.services.errors import InvalidInput

                raise InvalidInput("facts", "尚未起草无争议事实确认书。")
            # Signed, the statement is the PDF kept at signing (what the parties signed).
            pdf = kept.signed_facts_pdf(session, facts) or render_undisputed_facts(
                detail, issuer(session, case_id),
                UndisputedFactsData(facts.id, facts.facts, facts.disputed, facts.signed, facts.signed_on),
                mediators=detail.lead_mediator)
            folder = settings.data_dir() / "documents"
            folder.mkdir(parents=True, exist_ok=True)
            safe = "".join(c for c in detail.number if c not in '\\/:*?"<>|').strip()
            path = folder / f"无争议事实确认书_{safe}.pdf"
            from mediation_desk.files import write_atomically

            return write_atomically(path, pdf, what="确认书文件")

        self._runner.run_read(render, on_success=self.open_document, on_error=self._fail(self.facts_error))

    def _to_court(self) -> bool:
        return bool(self.target_combo.currentData() == TransferTarget.COURT.value)

    def claims_problem(self) -> str | None:
        """Why the claims as typed cannot go to a court (None: they can, or it is a department).

        The box starts from the applicant's mediation requests: a court needs what it is asked to
        order, so they must be rewritten before anything is printed or exported."""
        if self.page is None or not self._to_court():
            return None
        lines = [line.strip() for line in self.claims_edit.toPlainText().splitlines() if line.strip()]
        if lines and lines == [r.strip() for r in self.page.requests if r.strip()]:
            return self.tr("These are still the applicant's mediation requests, filled in only as a start: "
                           "rewrite each as a claim the court can docket (what the court is asked to order), "
                           "one per line, before printing the letter or exporting the packet.")
        return transfers.claims_problem(lines)

    def _check_claims(self) -> None:
        """The box's label says what it holds; a court's claims not yet written as claims are marked."""
        label = self._packet_form.labelForField(self.claims_edit)
        if isinstance(label, QLabel):
            label.setText(self.tr("Claims") if self._to_court() else self.tr("Requests"))
        self.claims_edit.setPlaceholderText(
            self.tr("Draft claims for the court, one per line") if self._to_court()
            else self.tr("What the department is asked to do, one per line"))
        problem = self.claims_problem() if self.claims_edit.isEnabled() else None
        self.claims_note.setText(f"⚠ {problem}" if problem else "")
        self.claims_note.setVisible(problem is not None)

    def _refuse_claims(self) -> bool:
        """True (and the reason shown, the box focused) when the claims cannot go to the court."""
        problem = self.claims_problem()
        if problem is None:
            return False
        self.packet_message.setStyleSheet(ERROR_STYLE)
        self.packet_message.setText(problem)
        self.packet_message.show()
        self.claims_edit.setFocus()
        return True

    def _packet_inputs(self) -> tuple[str, str, list[str]]:
        """The receiving body and the claims as typed (the letter and the packet read the same)."""
        claims = [line for line in self.claims_edit.toPlainText().splitlines() if line.strip()]
        return str(self.target_combo.currentData()), self.target_name.text(), claims

    def print_letter(self) -> None:
        """Make (or find) the transfer letter and the case summary, keep them for the packet, and
        open the letter for printing: a court takes only a sealed letter."""
        if self._case_id is None or self.page is None or self._refuse_claims():
            return
        from mediation_desk.exchange.letters import print_transfer_letter

        case_id, actor, number = self._case_id, self._actor, self.page.number
        target, name, claims = self._packet_inputs()
        self.print_letter_button.setEnabled(False)
        self.packet_message.setStyleSheet("")
        self.packet_message.setText(self.tr("Preparing the transfer letter…"))

        def done(result: PrintedLetter) -> None:
            self.print_letter_button.setEnabled(True)
            self.packet_message.setStyleSheet(OK_STYLE)
            self.packet_message.setText(
                self.tr("Transfer letter ready: print it and have it sealed. The packet will carry this letter "
                        "and the case summary as long as the receiving body and the claims stay the same."))
            self.letter_preview = open_preview(self._runner, actor, self, case_id, "transfer-letter",
                                               title=f"{number} {result.title}", data=result.letter)

        def failed(failure: TaskFailure) -> None:
            self.print_letter_button.setEnabled(True)
            self.packet_message.setStyleSheet(ERROR_STYLE)
            self.packet_message.setText(failure.message)

        # Kept documents show in no view: nothing is announced.
        self._runner.run_write(
            lambda session: print_transfer_letter(session, actor, case_id, target=target, target_name=name,
                                                  claims=claims),
            on_success=done, on_error=failed)

    def _ask_file(self, suggested: str) -> str:
        return file_dialogs.save_file_name(self, self.tr("Save transfer packet"), file_dialogs.PACKET,
                                           Path(suggested).name, self.tr("ZIP packet (*.zip)"))

    def export(self) -> None:
        if self._case_id is None or self.page is None or self._refuse_claims():
            return
        from mediation_desk.exchange.export import export_packet

        safe = "".join(c for c in self.page.number if c not in '\\/:*?"<>|').strip()
        chosen = self.choose_file(str(Path.home() / f"移送材料包_{safe}.zip"))
        if not chosen:
            return
        out = Path(chosen if chosen.lower().endswith(".zip") else f"{chosen}.zip")
        case_id, actor, database = self._case_id, self._actor, self._runner.database
        target, name, claims = self._packet_inputs()
        self._cancel.clear()
        dialog = QProgressDialog(self.tr("Building the transfer packet…"), self.tr("Cancel"), 0, 1000, self)
        dialog.setObjectName("exportProgress")
        dialog.setWindowTitle(self.tr("Transfer packet"))
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self._cancel.set)
        self.progress = dialog
        # The job holds the relay's signal and the event, never the tab or the relay: it is dropped
        # on the worker thread (PySide holds a signal's object weakly).
        step, cancelled = self._relay.progressed.emit, self._cancel.is_set
        self._relay.progressed.connect(self._progressed)
        self.export_button.setEnabled(False)
        self._runner.run_job(
            lambda: export_packet(database, actor, case_id, target=target, target_name=name, out=out, claims=claims,
                                  progress=step, cancelled=cancelled),
            on_success=self._exported, on_error=self._export_failed)

    def _progressed(self, done: int, total: int, _what: str) -> None:
        if self.progress is not None:
            self.progress.setValue(min(999, done * 1000 // max(total, 1)))

    def _finish_progress(self) -> None:
        self._relay.progressed.disconnect(self._progressed)
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancel.set)
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.export_button.setEnabled(True)

    def _exported(self, result: ExportResult) -> None:
        self._finish_progress()
        self.packet_message.setStyleSheet(OK_STYLE)
        self.packet_message.setText(self.tr("Packet written to {path} ({files} files). Confirm once it is handed "
                                            "over.").format(path=str(result.path), files=result.files))
        self.changed.emit()

    def _export_failed(self, failure: TaskFailure) -> None:
        self._finish_progress()
        self.packet_message.setStyleSheet(ERROR_STYLE)
        self.packet_message.setText(failure.message)

    @staticmethod
    def _day_or_none(field: DateField) -> date | None:
        try:
            return field.day()
        except InvalidInput:
            return None  # a field of another step, not read for this one

    def _track(self, step: str) -> None:
        info = self.selected_transfer()
        if info is None:
            return
        from mediation_desk.services import transfers

        field = {"received": self.received_on, "filed": self.filed_on, "outcome": self.outcome_on}.get(step)
        if field is not None and first_problem([field]) is not None:
            return  # the field says why; nothing is recorded
        actor, transfer_id, version, case_id = self._actor, info.id, info.version, self._case_id
        received, filed, concluded = (self._day_or_none(f) for f in (self.received_on, self.filed_on, self.outcome_on))
        number, outcome = self.filed_number.text(), self.outcome_edit.text()

        def work(session: Session) -> TransferInfo:
            # Each step carries the version of the row on screen: a step another desk recorded
            # meanwhile is a Conflict, shown side by side, never overwritten.
            if step == "sent":
                return transfers.confirm_sent(session, actor, transfer_id, expected_version=version)
            if step == "received":
                assert received is not None
                return transfers.mark_received(session, actor, transfer_id, received_on=received,
                                               expected_version=version)
            if step == "filed":
                assert filed is not None
                return transfers.mark_filed(session, actor, transfer_id, filed_number=number, filed_on=filed,
                                            expected_version=version)
            assert concluded is not None
            return transfers.record_outcome(session, actor, transfer_id, outcome=outcome, outcome_on=concluded,
                                            expected_version=version)

        steps: dict[str, dict[str, object]] = {
            "sent": {"status": enum_text(TransferStatus.SENT)},
            "received": {"status": enum_text(TransferStatus.RECEIVED), "received_at": received},
            "filed": {"status": enum_text(TransferStatus.FILED), "filed_number": number.strip(), "filed_on": filed},
            "outcome": {"status": enum_text(TransferStatus.CONCLUDED), "outcome": outcome.strip(),
                        "outcome_on": concluded},
        }
        typed = steps[step]

        def failed(failure: TaskFailure) -> None:
            self._fail(self.tracking_error)(failure)
            if isinstance(failure.error, Conflict) and case_id is not None and self._case_id == case_id:
                self._resolve_tracking_conflict(case_id, step, info, typed)

        def done(_result: object) -> None:
            self.tracking_error.hide()
            if step == "filed":
                self.filed_number.clear()
            if step == "outcome":
                self.outcome_edit.clear()
            self.changed.emit()

        self._runner.run_write(work, on_success=done, on_error=failed)

    @staticmethod
    def _tracking_values(info: TransferInfo) -> dict[str, object]:
        return {"status": enum_text(info.status),
                "received_at": info.received_at.date() if info.received_at else None,
                "filed_number": info.filed_number, "filed_on": info.filed_on, "outcome": info.outcome,
                "outcome_on": info.outcome_on}

    def _resolve_tracking_conflict(self, case_id: int, step: str, seen: TransferInfo, typed: dict[str, object]) -> None:
        """Another desk recorded a step of this transfer meanwhile: show it next to what was typed
        here; reload drops mine, re-apply records my step on their version; closing keeps the form."""
        actor = self._actor

        def show(page: TransferPage) -> None:
            fresh = next((t for t in page.transfers if t.id == seen.id), None)
            if fresh is None or self._case_id != case_id:
                return  # the message stays
            labels = {"status": self.tr("Status"), "received_at": self.tr("Received on"),
                      "filed_number": self.tr("Court case number"), "filed_on": self.tr("Filing date"),
                      "outcome": self.tr("Outcome"), "outcome_on": self.tr("Outcome date")}
            base, theirs = self._tracking_values(seen), self._tracking_values(fresh)

            def chosen(choice: int) -> None:
                self.conflict_dialog = None
                if self._case_id != case_id:
                    return
                if choice == ConflictDialog.RELOAD:
                    self.tracking_error.hide()
                    if step == "filed":
                        self.filed_number.clear()
                    if step == "outcome":
                        self.outcome_edit.clear()
                    self._show(page)
                elif choice == ConflictDialog.REAPPLY:
                    self._show(page)  # their version is what my step now starts from; the fields keep mine
                    self._track(step)

            self.conflict_dialog = open_conflict(
                self, self.tr("the transfer to {name}").format(name=seen.target_name),
                field_changes(labels, base, theirs, base | typed), chosen)

        self._runner.run_read(lambda session: pages.transfer_page(session, actor, case_id), on_success=show,
                              on_error=self._fail(self.tracking_error))
