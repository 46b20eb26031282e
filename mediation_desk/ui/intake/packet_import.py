"""Import a transfer packet sent by another center: choose the ZIP, verify and import it with
progress (cancellable while the files are checked), then show why it was refused or open the
case it became."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named

if TYPE_CHECKING:
    from mediation_desk.exchange.importer import ImportResult
    from mediation_desk.services.actor import Actor


class _Relay(QObject):
    progressed = Signal(int, int, str)


class PacketImportDialog(QDialog):
    #: The case the packet created (or had created before): the main window opens it.
    imported = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packetImportDialog")
        self.setWindowTitle(self.tr("Import transfer packet"))
        self._runner = runner
        self._actor = actor
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._progressed)
        self.result_case_id: int | None = None
        self.choose_file = self._ask_file

        intro = QLabel(self.tr("A transfer packet is a ZIP file built by another center's Mediation Desk. "
                               "Every file is "
                               "checked against its SHA-256 before anything is saved."))
        intro.setWordWrap(True)
        self.path_edit = named(QLineEdit(), "packetPath")
        self.browse_button = named(QPushButton(self.tr("Choose…")), "browseButton")
        self.progress_bar = named(QProgressBar(), "importProgress")
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.message = named(QLabel(), "importMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.import_button = named(self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole),
                                   "importButton")
        self.open_button = named(self.buttons.addButton(self.tr("Open the case"),
                                                        QDialogButtonBox.ButtonRole.ActionRole), "openButton")
        self.close_button = named(self.buttons.addButton(QDialogButtonBox.StandardButton.Close), "closeButton")
        self.open_button.hide()

        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 220)

        self.browse_button.clicked.connect(self.browse)
        self.import_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self._open_case)
        self.close_button.clicked.connect(self.reject)

    def _ask_file(self) -> str:
        return file_dialogs.open_file_name(self, self.tr("Choose a transfer packet"), file_dialogs.PACKET,
                                           self.tr("ZIP packet (*.zip)"))

    def browse(self) -> None:
        chosen = self.choose_file()
        if chosen:
            self.path_edit.setText(chosen)

    def reject(self) -> None:
        # Closing while the files are checked stops the check; nothing has been written then.
        self._cancel.set()
        super().reject()

    def start(self) -> None:
        from mediation_desk.exchange.importer import import_packet

        text = self.path_edit.text().strip()
        if not text:
            self._show_error(self.tr("Choose the packet file first."))
            return
        path, actor, database = Path(text), self._actor, self._runner.database
        # The job holds the relay's signal and the event, never the dialog or the relay: it is
        # dropped on the worker thread (PySide holds a signal's object weakly).
        progress, cancelled = self._relay.progressed.emit, self._cancel.is_set
        self._cancel.clear()
        self.import_button.setEnabled(False)
        self.browse_button.setEnabled(False)
        self.message.setText(self.tr("Checking the packet…"))
        self.message.setStyleSheet("")

        def job() -> ImportResult:
            return import_packet(database, actor, path, progress=progress, cancelled=cancelled)

        self._runner.run_job(job, on_success=self._done, on_error=self._failed)

    def _progressed(self, done: int, total: int, _what: str) -> None:
        self.progress_bar.setValue(min(1000, done * 1000 // max(total, 1)))

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def _failed(self, failure: TaskFailure) -> None:
        self.import_button.setEnabled(True)
        self.browse_button.setEnabled(True)
        self.progress_bar.setValue(0)
        self._show_error(failure.message)

    def _done(self, result: ImportResult) -> None:
        self.progress_bar.setValue(1000)
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(result.message)
        self.result_case_id = result.case_id
        self.open_button.show()
        self.browse_button.setEnabled(True)

    def _open_case(self) -> None:
        if self.result_case_id is not None:
            self.imported.emit(self.result_case_id)
            self.accept()
