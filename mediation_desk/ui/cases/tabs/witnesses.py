"""Witnesses and evidence of one case, as the court summary (案件情况摘要, CPL art. 124) prints them.

A witness is named, has an address, maybe a phone, a party who named them (or the mediators found
them) and what they can prove; each evidence attachment gets its source and what it is offered to
prove. Everything is read and written through ``services.evidence`` on the task runner; the
service decides who may (a mediator of another team and the administrator are refused) and its
messages appear under the field they name, with everything typed kept.

A witness is corrected in the same form: double-click the row, press Enter on it or 修改; 保存
sends the form with the version it was loaded with, and a save after someone else's opens the
conflict dialog (their version beside the form's). An evidence's source and purpose are corrected
the same way. A finished case, or a user who does no casework on it, sees the tab read-only with
the reason above the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.services import evidence
from mediation_desk.services.errors import Conflict, NotFound
from mediation_desk.services.evidence import EvidenceItem, EvidencePage, WitnessInfo, WitnessInput
from mediation_desk.services.writers import LastWrite
from mediation_desk.ui.common.conflict_dialog import (
    ConflictDialog,
    field_changes,
    merge_fields,
    open_conflict,
    reapply,
)
from mediation_desk.ui.common.format import FINAL_COLOUR
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.unsaved import GuardedSave, reveal
from mediation_desk.ui.common.widgets import error_label, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor


class WitnessesModel(RowsModel[WitnessInfo]):
    COL_NAME, COL_NAMED_BY, COL_ADDRESS, COL_PHONE, COL_PROVES = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("WitnessesModel", "Witness"),
        QT_TRANSLATE_NOOP("WitnessesModel", "Named by"),
        QT_TRANSLATE_NOOP("WitnessesModel", "Address"),
        QT_TRANSLATE_NOOP("WitnessesModel", "Phone"),
        QT_TRANSLATE_NOOP("WitnessesModel", "Can prove"),
    )
    CONTEXT = "WitnessesModel"

    def text(self, row: WitnessInfo, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_NAMED_BY:
            return row.named_by or self.tr("Found by the mediators")
        if column == self.COL_ADDRESS:
            return row.address
        if column == self.COL_PHONE:
            return row.phone
        if column == self.COL_PROVES:
            return " ".join(row.proves.split())
        return ""


class WitnessesTab(QWidget):
    """Case-view tab: the witnesses (add, correct, remove) and the source and purpose of each evidence."""

    changed = Signal()
    #: A page was read and shown.
    loaded = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("witnessesTab")
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self._generation = 0
        self._page: EvidencePage | None = None
        #: The witness the form is correcting (as loaded: its version goes with the save), or None: a new one.
        self._editing: WitnessInfo | None = None
        #: The evidence description the form was loaded with (its version goes with the save).
        self._evidence_loaded: EvidenceItem | None = None
        self._busy = False
        #: A save the unsaved-input guard asked for (``save_unsaved``), told how it ended.
        self._guarded_save = GuardedSave()
        #: The open conflict dialog (another desk saved the witness or evidence first), if any.
        self.conflict_dialog: ConflictDialog | None = None

        self.load_error = error_label("witnessesLoadError")
        self.load_error.hide()
        self.read_only_label = named(QLabel(), "witnessesReadOnly")
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setStyleSheet(f"color: {FINAL_COLOUR};")
        self.read_only_label.hide()

        # --- the witnesses
        self.model = WitnessesModel(self)
        self.table = named(QTableView(), "witnessesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (WitnessesModel.COL_NAME, WitnessesModel.COL_NAMED_BY, WitnessesModel.COL_PHONE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WitnessesModel.COL_ADDRESS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(WitnessesModel.COL_ADDRESS, 280)
        header.setStretchLastSection(True)
        self.remove_button = named(QPushButton(self.tr("Remove witness")), "removeWitness")
        self.edit_button = named(QPushButton(self.tr("Edit witness")), "editWitness")
        self.edit_button.setToolTip(self.tr("Open the chosen witness in the form to correct it "
                                            "(or double-click the row, or press Enter on it)."))
        self.form_title = named(QLabel(self.tr("New witness")), "witnessFormTitle")
        font = self.form_title.font()
        font.setBold(True)
        self.form_title.setFont(font)

        self.name_edit = named(QLineEdit(), "witnessName")
        self.name_edit.setMaxLength(evidence.MAX_NAME)
        self.address_edit = named(QLineEdit(), "witnessAddress")
        self.address_edit.setMaxLength(evidence.MAX_ADDRESS)
        self.phone_edit = named(QLineEdit(), "witnessPhone")
        self.phone_edit.setMaxLength(evidence.MAX_PHONE)
        self.named_by_combo = named(QComboBox(), "witnessNamedBy")
        self.proves_edit = named(QPlainTextEdit(), "witnessProves")
        self.proves_edit.setTabChangesFocus(True)
        self.proves_edit.setFixedHeight(60)
        self.add_button = named(QPushButton(self.tr("Add witness")), "addWitness")
        self.save_button = named(QPushButton(self.tr("Save")), "saveWitness")
        self.cancel_edit_button = named(QPushButton(self.tr("Cancel editing")), "cancelWitnessEdit")
        self.witness_message = named(QLabel(), "witnessMessage")
        #: Where the service's message about a field shows: under that field.
        self.field_errors: dict[str, QLabel] = {
            field: error_label(f"witness_{field}Error") for field in ("name", "address", "phone", "party_id", "proves")}
        form = QFormLayout()
        for label, widget, field in (
                (self.tr("Name"), self.name_edit, "name"),
                (self.tr("Address"), self.address_edit, "address"),
                (self.tr("Phone"), self.phone_edit, "phone"),
                (self.tr("Named by"), self.named_by_combo, "party_id"),
                (self.tr("Can prove"), self.proves_edit, "proves")):
            form.addRow(label, widget)
            form.addRow("", self.field_errors[field])
            self.field_errors[field].hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.witness_message, 1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.cancel_edit_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.add_button)
        witness_box = QGroupBox(self.tr("Witnesses (printed in the court summary)"))
        witness_layout = QVBoxLayout(witness_box)
        witness_layout.addWidget(self.table, 1)
        witness_layout.addWidget(self.form_title)
        witness_layout.addLayout(form)
        witness_layout.addLayout(buttons)

        # --- the evidence
        self.evidence_combo = named(QComboBox(), "evidenceChoice")
        self.source_edit = named(QLineEdit(), "evidenceSource")
        self.source_edit.setMaxLength(evidence.MAX_SOURCE)
        self.purpose_edit = named(QLineEdit(), "evidencePurpose")
        self.purpose_edit.setMaxLength(evidence.MAX_PURPOSE)
        self.save_evidence_button = named(QPushButton(self.tr("Save source and purpose")), "saveEvidence")
        self.evidence_message = named(QLabel(), "evidenceMessage")
        self.evidence_errors: dict[str, QLabel] = {
            field: error_label(f"evidence_{field}Error") for field in ("attachment", "source", "purpose")}
        evidence_form = QFormLayout()
        for label, widget, field in (
                (self.tr("Evidence"), self.evidence_combo, "attachment"),
                (self.tr("Source"), self.source_edit, "source"),
                (self.tr("Offered to prove"), self.purpose_edit, "purpose")):
            evidence_form.addRow(label, widget)
            evidence_form.addRow("", self.evidence_errors[field])
            self.evidence_errors[field].hide()
        evidence_buttons = QHBoxLayout()
        evidence_buttons.addWidget(self.evidence_message, 1)
        evidence_buttons.addWidget(self.save_evidence_button)
        evidence_box = QGroupBox(self.tr("Evidence: where it came from and what it proves"))
        evidence_layout = QVBoxLayout(evidence_box)
        evidence_layout.addLayout(evidence_form)
        evidence_layout.addLayout(evidence_buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.load_error)
        layout.addWidget(self.read_only_label)
        layout.addWidget(witness_box, 1)
        layout.addWidget(evidence_box)

        self.add_button.clicked.connect(self.add_witness)
        self.remove_button.clicked.connect(self.remove_witness)
        self.edit_button.clicked.connect(self.edit_current)
        self.save_button.clicked.connect(self.save_witness)
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        # Enter on a row (``activated``) or a double-click opens it in the form.
        self.table.activated.connect(self._row_opened)
        self.table.doubleClicked.connect(self._row_opened)
        self.save_evidence_button.clicked.connect(self.save_evidence)
        self.evidence_combo.currentIndexChanged.connect(self._evidence_chosen)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_enabled())
        runner.changed.connect(self._on_changed)
        self._update_enabled()

    # ------------------------------------------------------------------ reading

    @property
    def case_id(self) -> int | None:
        return self._case_id

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self._case_id = case_id
            self._page = None
            self.model.set_rows([])
            for edit in (self.name_edit, self.address_edit, self.phone_edit, self.source_edit, self.purpose_edit):
                edit.clear()
            self.proves_edit.clear()
            self._editing = None
            self._evidence_loaded = None
            self._clear_errors()
        self.reload()

    def reload(self) -> None:
        case_id, actor = self._case_id, self._actor
        if case_id is None:
            return
        self._generation += 1
        generation = self._generation

        def work(session: Session) -> EvidencePage:
            return evidence.evidence_page(session, actor, case_id)

        def arrived(page: EvidencePage) -> None:
            if generation == self._generation and page.case_id == self._case_id:
                self._show(page)

        def failed(failure: TaskFailure) -> None:
            if generation == self._generation:
                self.load_error.setText(failure.message)
                self.load_error.show()

        self._runner.run_read(work, on_success=arrived, on_error=failed)

    def _show(self, page: EvidencePage) -> None:
        self._page = page
        self.load_error.hide()
        current = self.table.currentIndex().row()
        self.model.set_rows(page.witnesses)
        if page.witnesses:
            self.table.setCurrentIndex(self.model.index(min(max(0, current), len(page.witnesses) - 1), 0))
        chosen = self.named_by_combo.currentData()
        self.named_by_combo.blockSignals(True)
        self.named_by_combo.clear()
        for party in page.parties:
            self.named_by_combo.addItem(f"{party.name}（{party.role}）", party.id)
        self.named_by_combo.addItem(self.tr("Found by the mediators"), None)
        found = self.named_by_combo.findData(chosen) if chosen is not None else -1
        self.named_by_combo.setCurrentIndex(found if found >= 0 else 0)
        self.named_by_combo.blockSignals(False)
        evidence_id = self.evidence_combo.currentData()
        self.evidence_combo.blockSignals(True)
        self.evidence_combo.clear()
        for item in page.evidence:
            self.evidence_combo.addItem(item.filename, item.id)
        found = self.evidence_combo.findData(evidence_id) if evidence_id is not None else -1
        self.evidence_combo.setCurrentIndex(found if found >= 0 else 0)
        self.evidence_combo.blockSignals(False)
        if evidence_id is None or found < 0:
            self._evidence_chosen()  # a newly chosen evidence shows what is on file; typing is kept otherwise
        if self._editing is not None and not any(w.id == self._editing.id for w in page.witnesses):
            # Removed meanwhile (here or at another desk): the form holds a new witness now.
            self._editing = None
            self._show_mode()
        self.read_only_label.setText(page.read_only_reason)
        self.read_only_label.setVisible(not page.may_write)
        self._update_enabled()
        self.loaded.emit()

    def _evidence_chosen(self, _index: int = -1) -> None:
        item = self._evidence_item()
        self._evidence_loaded = item
        self.source_edit.setText(item.source if item else "")
        self.purpose_edit.setText(item.purpose if item else "")
        for label in self.evidence_errors.values():
            label.hide()
        self.evidence_message.clear()
        self._update_enabled()

    def _evidence_item(self) -> evidence.EvidenceItem | None:
        if self._page is None:
            return None
        chosen = self.evidence_combo.currentData()
        return next((item for item in self._page.evidence if item.id == chosen), None)

    def _update_enabled(self) -> None:
        page = self._page
        ready = page is not None and page.may_write and not self._busy
        editing = self._editing is not None
        chosen = self.model.row_at(self.table.currentIndex().row()) is not None
        self.add_button.setEnabled(ready and not editing)
        self.add_button.setVisible(not editing)
        self.save_button.setEnabled(ready and editing)
        self.save_button.setVisible(editing)
        self.cancel_edit_button.setVisible(editing)
        self.edit_button.setEnabled(ready and chosen)
        self.remove_button.setEnabled(ready and chosen and not editing)
        for widget in (self.name_edit, self.address_edit, self.phone_edit, self.named_by_combo):
            widget.setEnabled(page is not None and page.may_write)
        self.proves_edit.setReadOnly(page is None or not page.may_write)
        has_evidence = page is not None and self.evidence_combo.count() > 0
        self.evidence_combo.setEnabled(has_evidence)
        for evidence_widget in (self.source_edit, self.purpose_edit, self.save_evidence_button):
            evidence_widget.setEnabled(has_evidence and ready)
        if page is not None and not has_evidence:
            self.evidence_message.setText(self.tr("No evidence yet: scan it in with the kind "
                                                  "\"evidence material\"."))

    def _on_changed(self, changes: Changes) -> None:
        if self._case_id is not None and changes.touches_case(self._case_id):
            self.reload()

    # ------------------------------------------------------------------ writing

    def _clear_errors(self) -> None:
        for label in (*self.field_errors.values(), *self.evidence_errors.values()):
            label.hide()
        self.witness_message.clear()
        self.evidence_message.clear()

    def _refused(self, failure: TaskFailure, errors: dict[str, QLabel], message: QLabel) -> None:
        label = errors.get(failure.field or "")
        if label is not None:
            label.setText(failure.message)
            label.show()
            message.clear()
        else:
            message.setStyleSheet(errors[next(iter(errors))].styleSheet())
            message.setText(failure.message)

    def add_witness(self) -> None:
        case_id, actor = self._case_id, self._actor
        if case_id is None:
            return
        data = WitnessInput(name=self.name_edit.text(), address=self.address_edit.text(),
                            phone=self.phone_edit.text(), proves=self.proves_edit.toPlainText(),
                            party_id=self.named_by_combo.currentData())
        self._clear_errors()

        def work(session: Session) -> WitnessInfo:
            return evidence.add_witness(session, actor, case_id, data)

        def done(info: WitnessInfo) -> None:
            self._busy = False
            for edit in (self.name_edit, self.address_edit, self.phone_edit):
                edit.clear()
            self.proves_edit.clear()
            self._update_enabled()
            self.witness_message.setStyleSheet("")
            self.witness_message.setText(self.tr("Witness {name} added.").format(name=info.name))
            self.changed.emit()
            self._guarded_save.finish(True)  # last: the guard may now open another case

        def failed(failure: TaskFailure) -> None:
            self._busy = False
            self._refused(failure, self.field_errors, self.witness_message)
            self._update_enabled()
            self._guarded_save.finish(False)  # the guard stays; the message under the form says why

        self._busy = True
        self._update_enabled()
        self._runner.run_write(work, on_success=done, on_error=failed)

    # ------------------------------------------------------------------ correcting a witness

    def _row_opened(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.edit_current()

    def edit_current(self) -> None:
        """Open the chosen witness in the form (its version goes with the save)."""
        row = self.model.row_at(self.table.currentIndex().row())
        page = self._page
        if row is None or page is None or not page.may_write or self._busy:
            return
        if self._editing is not None and self._editing.id == row.id:
            self.name_edit.setFocus()
            return
        if self._form_dirty():
            # Nothing typed is lost: the form keeps it until it is saved, added or cancelled.
            self._clear_errors()
            self.witness_message.setStyleSheet(self.field_errors["name"].styleSheet())
            self.witness_message.setText(self.tr(
                "The form holds what you typed and did not save: save or add it, or cancel, before opening "
                "another witness."))
            return
        self._clear_errors()
        self._fill(row)
        self._editing = row
        self._show_mode()
        self._update_enabled()
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def cancel_edit(self) -> None:
        """Back to a new witness: the form is emptied, nothing is saved."""
        self._editing = None
        for edit in (self.name_edit, self.address_edit, self.phone_edit):
            edit.clear()
        self.proves_edit.clear()
        self._clear_errors()
        self._show_mode()
        self._update_enabled()

    def _fill(self, row: WitnessInfo | WitnessInput) -> None:
        self.name_edit.setText(row.name)
        self.address_edit.setText(row.address)
        self.phone_edit.setText(row.phone)
        self.proves_edit.setPlainText(row.proves)
        found = self.named_by_combo.findData(row.party_id) if row.party_id is not None else -1
        self.named_by_combo.setCurrentIndex(found if found >= 0 else self.named_by_combo.count() - 1)

    def _form_dirty(self) -> bool:
        """Whether the form holds typing not saved: a correction that differs from the witness
        loaded, or anything typed for a new one."""
        data = self._form_data()
        if self._editing is not None:
            loaded = self._editing
            return (data.name.strip(), data.address.strip(), data.phone.strip(), data.proves.strip(),
                    data.party_id) != (loaded.name, loaded.address, loaded.phone, loaded.proves.strip(),
                                       loaded.party_id)
        return any(text.strip() for text in (data.name, data.address, data.phone, data.proves))

    def _show_mode(self) -> None:
        editing = self._editing
        self.form_title.setText(self.tr("Correcting witness {name} (no. {seq})").format(
            name=editing.name, seq=editing.seq) if editing is not None else self.tr("New witness"))

    def _form_data(self) -> WitnessInput:
        return WitnessInput(name=self.name_edit.text(), address=self.address_edit.text(),
                            phone=self.phone_edit.text(), proves=self.proves_edit.toPlainText(),
                            party_id=self.named_by_combo.currentData())

    def save_witness(self) -> None:
        """Save the correction with the version the form was loaded with."""
        base, case_id, actor = self._editing, self._case_id, self._actor
        if base is None or case_id is None or self._busy:
            return
        data = self._form_data()
        self._clear_errors()

        def work(session: Session) -> WitnessInfo:
            return evidence.edit_witness(session, actor, base.id, data, expected_version=base.version,
                                         case_id=case_id)

        def done(info: WitnessInfo) -> None:
            self._busy = False
            self._editing = None
            for edit in (self.name_edit, self.address_edit, self.phone_edit):
                edit.clear()
            self.proves_edit.clear()
            self._show_mode()
            self._update_enabled()
            self.witness_message.setStyleSheet("")
            self.witness_message.setText(self.tr("Witness {name} saved.").format(name=info.name))
            self.changed.emit()
            self._guarded_save.finish(True)

        def failed(failure: TaskFailure) -> None:
            self._busy = False
            self._refused(failure, self.field_errors, self.witness_message)
            self._update_enabled()
            self._guarded_save.finish(False)
            if isinstance(failure.error, Conflict) and self._editing is base:
                self._witness_conflict(base, data)

        self._busy = True
        self._update_enabled()
        self._runner.run_write(work, on_success=done, on_error=failed)

    def _witness_labels(self) -> dict[str, str]:
        return {"name": self.tr("Name"), "address": self.tr("Address"), "phone": self.tr("Phone"),
                "party_id": self.tr("Named by"), "proves": self.tr("Can prove")}

    def _named(self, values: dict[str, Any], page: EvidencePage) -> dict[str, Any]:
        """``values`` with the party's name for its id (what the dialog shows)."""
        names = {p.id: p.name for p in page.parties}
        party = values.get("party_id")
        return {**values, "party_id": names.get(party, "") if party is not None
                else self.tr("Found by the mediators")}

    def _witness_conflict(self, base: WitnessInfo, data: WitnessInput) -> None:
        """Someone corrected (or removed) this witness first: read theirs and who saved it, then
        show both in the conflict dialog — merge, reload, or re-apply mine on top of theirs."""
        case_id, actor = base.case_id, self._actor

        def work(session: Session) -> tuple[EvidencePage, LastWrite | None]:
            page = evidence.evidence_page(session, actor, case_id)
            try:
                writer: LastWrite | None = evidence.witness_last_write(session, base.id)
            except NotFound:
                writer = None
            return page, writer

        def show(result: tuple[EvidencePage, LastWrite | None]) -> None:
            page, writer = result
            fresh = next((w for w in page.witnesses if w.id == base.id), None)
            if page.case_id != self._case_id or self._editing is not base:
                return  # the user moved on: the message under the form stays
            if fresh is None:
                # Removed meanwhile: what was typed stays in the form, to add again if wanted.
                self._editing = None
                self._show_mode()
                self._update_enabled()
                self.witness_message.setText(self.tr(
                    "Someone removed this witness meanwhile. What you typed is still in the form: add it "
                    "again if the witness is still wanted."))
                return
            mine = {"name": data.name, "address": data.address, "phone": data.phone, "party_id": data.party_id,
                    "proves": data.proves}
            theirs = fresh.values()
            who, at = (writer.who, writer.at) if writer is not None else ("", None)

            def put(values: dict[str, Any]) -> None:
                self._fill(WitnessInput(name=str(values["name"]), address=str(values["address"]),
                                        phone=str(values["phone"]), proves=str(values["proves"]),
                                        party_id=values["party_id"]))

            def chosen(choice: int) -> None:
                self.conflict_dialog = None
                if self._editing is not base:
                    return
                if choice == ConflictDialog.RELOAD:
                    self._editing = fresh
                    put(theirs)
                    self._clear_errors()
                elif choice == ConflictDialog.REAPPLY:
                    self._editing = fresh  # saved on top of their version
                    put(reapply(base.values(), theirs, mine))
                    self.save_witness()
                elif choice == ConflictDialog.MERGE:
                    both = merge_fields(base.values(), theirs, mine, texts=("proves",), who=who, at=at)
                    self._editing = fresh  # the next save goes on top of their version
                    put(both.values)
                    self._clear_errors()
                self._show_mode()
                self._update_enabled()

            self.conflict_dialog = open_conflict(
                self, self.tr("witness {name}").format(name=base.name),
                field_changes(self._witness_labels(), self._named(base.values(), page), self._named(theirs, page),
                              self._named(mine, page)),
                chosen, can_reapply=page.may_write, can_merge=page.may_write, who=who, at=at)

        self._runner.run_read(work, on_success=show, on_error=self._conflict_read_failed)

    def _conflict_read_failed(self, failure: TaskFailure) -> None:
        self.load_error.setText(failure.message)
        self.load_error.show()

    def remove_witness(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        actor = self._actor
        if row is None:
            return
        self._clear_errors()

        def work(session: Session) -> None:
            evidence.remove_witness(session, actor, row.id, case_id=row.case_id)

        def done(_: None) -> None:
            self.witness_message.setStyleSheet("")
            self.witness_message.setText(self.tr("Witness {name} removed.").format(name=row.name))
            self.changed.emit()

        self._runner.run_write(work, on_success=done,
                               on_error=lambda f: self._refused(f, self.field_errors, self.witness_message))

    def save_evidence(self) -> None:
        """Save the source and purpose with the description's version the form was loaded with."""
        item = self._evidence_loaded
        case_id, actor = self._case_id, self._actor
        if item is None or case_id is None or item.id != self.evidence_combo.currentData():
            return
        source, purpose = self.source_edit.text(), self.purpose_edit.text()
        self._clear_errors()
        self._busy = True
        self._update_enabled()

        def work(session: Session) -> int:
            return evidence.describe_evidence(session, actor, item.id, source=source, purpose=purpose,
                                              case_id=case_id, expected_version=item.version)

        def done(version: int) -> None:
            if self._evidence_loaded is item:
                self._evidence_loaded = EvidenceItem(item.id, item.filename, " ".join(source.split()),
                                                     purpose.strip(), version)
            self._busy = False
            self._update_enabled()
            self.evidence_message.setStyleSheet("")
            self.evidence_message.setText(self.tr("Source and purpose of {file} saved.").format(file=item.filename))
            self.changed.emit()
            self._guarded_save.finish(True)

        def failed(failure: TaskFailure) -> None:
            self._busy = False
            self._update_enabled()
            self._guarded_save.finish(False)
            self._refused(failure, self.evidence_errors, self.evidence_message)
            if isinstance(failure.error, Conflict) and self._evidence_loaded is item:
                self._evidence_conflict(item, {"source": source, "purpose": purpose})

        self._runner.run_write(work, on_success=done, on_error=failed)

    # ------------------------------------------------------------------ unsaved input (ui.unsaved)

    def _evidence_dirty(self) -> bool:
        """Whether the source or purpose typed differs from what the chosen evidence has on file."""
        item = self._evidence_loaded
        if item is None or item.id != self.evidence_combo.currentData():
            return False
        return (" ".join(self.source_edit.text().split()), self.purpose_edit.text().strip()) != (
            item.source, item.purpose.strip())

    def _unsaved_parts(self) -> list[str]:
        """Which parts of the tab hold typing not saved: "witness" and/or "evidence"."""
        page = self._page
        if self._case_id is None or page is None or not page.may_write:
            return []
        return [part for part, dirty in (("witness", self._form_dirty()), ("evidence", self._evidence_dirty()))
                if dirty]

    def has_unsaved_input(self) -> bool:
        return bool(self._unsaved_parts())

    def unsaved_description(self) -> str:
        number = self._page.number if self._page is not None else ""
        texts = []
        for part in self._unsaved_parts():
            if part == "witness":
                name = self.name_edit.text().strip()
                texts.append(self.tr("witness {name}").format(name=name) if name else self.tr("a new witness"))
            else:
                item = self._evidence_loaded
                texts.append(self.tr("the source and purpose of {file}").format(
                    file=item.filename if item is not None else ""))
        return f"{number} {'、'.join(texts)}".strip()

    def can_save_unsaved(self) -> bool:
        # One save answers the question: a witness and an evidence description typed together
        # are each saved by their own button (the question then offers discard or stay).
        return len(self._unsaved_parts()) == 1 and not self._busy

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        parts = self._unsaved_parts()
        if parts == ["witness"]:
            save = self.save_witness if self._editing is not None else self.add_witness
        elif parts == ["evidence"]:
            save = self.save_evidence
        else:
            done(False)
            return
        self._guarded_save.start(save, lambda: self._busy, done)

    def discard_unsaved(self) -> None:
        if self._editing is not None:
            self._fill(self._editing)
        else:
            self.cancel_edit()
        self._evidence_chosen()

    def keep_draft(self) -> bool:
        return False

    def reveal_unsaved(self) -> None:
        parts = self._unsaved_parts()
        reveal(self, self.name_edit if "witness" in parts else self.source_edit if parts else None)

    def _evidence_conflict(self, base: EvidenceItem, mine: dict[str, Any]) -> None:
        """Someone described this evidence first: theirs beside the form's, in the conflict dialog."""
        case_id, actor = self._case_id, self._actor
        if case_id is None:
            return

        def work(session: Session) -> EvidencePage:
            return evidence.evidence_page(session, actor, case_id)

        def show(page: EvidencePage) -> None:
            fresh = next((e for e in page.evidence if e.id == base.id), None)
            if fresh is None or page.case_id != self._case_id or self._evidence_loaded is not base:
                return
            before = {"source": base.source, "purpose": base.purpose}
            theirs = {"source": fresh.source, "purpose": fresh.purpose}
            labels = {"source": self.tr("Source"), "purpose": self.tr("Offered to prove")}

            def put(values: dict[str, Any]) -> None:
                self._evidence_loaded = fresh  # the next save goes on top of their version
                self.source_edit.setText(str(values["source"]))
                self.purpose_edit.setText(str(values["purpose"]))

            def chosen(choice: int) -> None:
                self.conflict_dialog = None
                if self._evidence_loaded is not base:
                    return
                if choice == ConflictDialog.RELOAD:
                    put(theirs)
                    self._clear_errors()
                elif choice == ConflictDialog.REAPPLY:
                    put(reapply(before, theirs, mine))
                    self.save_evidence()
                elif choice == ConflictDialog.MERGE:
                    put(merge_fields(before, theirs, mine, texts=("source", "purpose")).values)
                    self._clear_errors()

            self.conflict_dialog = open_conflict(
                self, self.tr("the source and purpose of {file}").format(file=base.filename),
                field_changes(labels, before, theirs, mine), chosen, can_reapply=page.may_write,
                can_merge=page.may_write)

        self._runner.run_read(work, on_success=show, on_error=self._conflict_read_failed)


__all__ = ["WitnessesModel", "WitnessesTab"]
