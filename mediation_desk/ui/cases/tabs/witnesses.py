"""Witnesses and evidence of one case, as the court summary (案件情况摘要, CPL art. 124) prints them.

A witness is named, has an address, maybe a phone, a party who named them (or the mediators found
them) and what they can prove; each evidence attachment gets its source and what it is offered to
prove. Everything is read and written through ``services.evidence`` on the task runner; the
service decides who may (a mediator of another team and the administrator are refused) and its
messages appear under the field they name, with everything typed kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
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
from mediation_desk.services.evidence import EvidencePage, WitnessInfo, WitnessInput
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
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
    """Case-view tab: the witnesses (add, remove) and the source and purpose of each evidence."""

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

        self.load_error = error_label("witnessesLoadError")
        self.load_error.hide()

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
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.add_button)
        witness_box = QGroupBox(self.tr("Witnesses (printed in the court summary)"))
        witness_layout = QVBoxLayout(witness_box)
        witness_layout.addWidget(self.table, 1)
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
        layout.addWidget(witness_box, 1)
        layout.addWidget(evidence_box)

        self.add_button.clicked.connect(self.add_witness)
        self.remove_button.clicked.connect(self.remove_witness)
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
        self._update_enabled()
        self.loaded.emit()

    def _evidence_chosen(self, _index: int = -1) -> None:
        item = self._evidence_item()
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
        ready = self._page is not None
        self.add_button.setEnabled(ready)
        self.remove_button.setEnabled(ready and self.model.row_at(self.table.currentIndex().row()) is not None)
        has_evidence = ready and self.evidence_combo.count() > 0
        for widget in (self.evidence_combo, self.source_edit, self.purpose_edit, self.save_evidence_button):
            widget.setEnabled(has_evidence)
        if ready and not has_evidence:
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
            for edit in (self.name_edit, self.address_edit, self.phone_edit):
                edit.clear()
            self.proves_edit.clear()
            self.witness_message.setStyleSheet("")
            self.witness_message.setText(self.tr("Witness {name} added.").format(name=info.name))
            self.changed.emit()

        self._runner.run_write(work, on_success=done,
                               on_error=lambda f: self._refused(f, self.field_errors, self.witness_message))

    def remove_witness(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        actor = self._actor
        if row is None:
            return
        self._clear_errors()

        def work(session: Session) -> None:
            evidence.remove_witness(session, actor, row.id)

        def done(_: None) -> None:
            self.witness_message.setStyleSheet("")
            self.witness_message.setText(self.tr("Witness {name} removed.").format(name=row.name))
            self.changed.emit()

        self._runner.run_write(work, on_success=done,
                               on_error=lambda f: self._refused(f, self.field_errors, self.witness_message))

    def save_evidence(self) -> None:
        item = self._evidence_item()
        case_id, actor = self._case_id, self._actor
        if item is None or case_id is None:
            return
        source, purpose = self.source_edit.text(), self.purpose_edit.text()
        self._clear_errors()

        def work(session: Session) -> None:
            evidence.describe_evidence(session, actor, item.id, source=source, purpose=purpose, case_id=case_id)

        def done(_: None) -> None:
            self.evidence_message.setStyleSheet("")
            self.evidence_message.setText(self.tr("Source and purpose of {file} saved.").format(file=item.filename))
            self.changed.emit()

        self._runner.run_write(work, on_success=done,
                               on_error=lambda f: self._refused(f, self.evidence_errors, self.evidence_message))


__all__ = ["WitnessesModel", "WitnessesTab"]
