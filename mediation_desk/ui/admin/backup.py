"""Backups, for the administrator: the rotating folder, "back up now", "restore from backup…".

A restore first checks the file on the slow lane (it opens, ``integrity_check`` is ok, its schema
is not newer than this program's), then asks for a confirmation that says what will be replaced
and that a copy of the current database is kept, and only then replaces the database on the write
lane. "Back up now" runs on the slow lane: the copy needs only a read transaction, and on the write
lane every save of the desk waited behind it (a 7.8 GB file: half a minute to minutes).

Each shows its stage (the service's words: copying, ``integrity_check``, the audit chain …) and a
progress bar of the copies' pages, and offers 取消 until the live database is being written. Closing
the desk stops them too (``TaskRunner.closing``): its shutdown waits for the job under way, which
would otherwise hold the closing program for the rest of a 7.8 GB copy or check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk import APP_TITLE, settings
from mediation_desk.readmodels.sizes import size_text
from mediation_desk.services import backup
from mediation_desk.services.backup import BackupCancelled, BackupInfo, CheckedBackup, RestoreResult
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.format import FINAL_COLOUR
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named

if TYPE_CHECKING:
    from mediation_desk.services.actor import Actor


class BackupsModel(RowsModel[BackupInfo]):
    COL_DATE, COL_KIND, COL_SIZE, COL_FILE = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("BackupsModel", "Made"),
        QT_TRANSLATE_NOOP("BackupsModel", "Kind"),
        QT_TRANSLATE_NOOP("BackupsModel", "Size"),
        QT_TRANSLATE_NOOP("BackupsModel", "File"),
    )
    CONTEXT = "BackupsModel"

    def text(self, row: BackupInfo, column: int) -> str:
        if column == self.COL_DATE:
            return f"{row.created:%Y-%m-%d %H:%M:%S}"
        if column == self.COL_KIND:
            return row.kind
        if column == self.COL_SIZE:
            return size_text(row.size)
        if column == self.COL_FILE:
            return row.path.name
        return ""

    def tooltip(self, row: BackupInfo, column: int) -> str | None:
        return str(row.path)

    def cell(self, row: BackupInfo, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BackupPanel(QWidget):
    #: The database was replaced by a backup: everyone should sign in again (the integrator
    #: closes the main window and shows the login).
    restored = Signal(object)  # RestoreResult
    #: Progress from the worker thread: (done, total).
    progress = Signal(int, int)
    #: The stage a check or restore has reached, in the service's words (from the worker thread).
    stage = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 folder: Path | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self.folder = folder or settings.backup_dir()
        self._busy = False
        #: Set by 取消: the job under way stops at its next step.
        self._stop = threading.Event()
        #: The text of the job under way (its stage follows it).
        self._doing = ""
        #: Why this desk may not back up or restore here (a center server on a person's own
        #: database role: IT's pg_dump does it), None when it may.
        self.refusal: str | None = None
        self.confirmation: QMessageBox | None = None
        self.confirm_button: QPushButton | None = None
        self.file_dialog: QFileDialog | None = None

        self.folder_label = named(QLabel(self.tr("Backup folder: {folder}").format(folder=self.folder)),
                                  "backupFolder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.policy_label = QLabel(self.tr(
            "A backup is made every day when the desk starts (the last 14 are kept) and before every "
            "upgrade of the database (kept until you delete them). On a center server, also back up the "
            "server with pg_dump."))
        self.policy_label.setWordWrap(True)
        self.policy_label.setStyleSheet("color: #616161;")

        self.model = BackupsModel(self)
        self.table = named(QTableView(), "backupsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((BackupsModel.COL_DATE, 160), (BackupsModel.COL_KIND, 130),
                              (BackupsModel.COL_SIZE, 90)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # An empty list says why, as the case's empty lists do (an empty table said nothing).
        self.empty_label = named(QLabel(self.tr(
            "No backup in this folder yet: “Back up now” makes one, and so does the first start of the desk "
            "each day.")), "backupsEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(f"color: {FINAL_COLOUR};")
        self.empty_label.hide()

        self.backup_button = named(QPushButton(self.tr("Back up now")), "backupNow")
        self.restore_button = named(QPushButton(self.tr("Restore from backup…")), "restoreButton")
        self.refresh_button = named(QPushButton(self.tr("Refresh")), "refreshBackups")
        self.progress_bar = named(QProgressBar(), "backupProgress")
        self.progress_bar.hide()
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "cancelBackup")
        self.cancel_button.hide()
        self.refusal_label = named(QLabel(), "backupRefusal")
        self.refusal_label.setWordWrap(True)
        self.refusal_label.setStyleSheet(ERROR_STYLE)
        self.refusal_label.hide()
        self.message = named(QLabel(), "backupMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.policy_label)
        layout.addWidget(self.refusal_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.choose_restore)
        self.refresh_button.clicked.connect(self.refresh)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress.connect(self._show_progress)
        self.stage.connect(self._show_stage)
        self.refresh()
        self._check_server()

    # ------------------------------------------------------------------ list

    def refresh(self) -> None:
        folder = self.folder
        self._runner.run_job(lambda: backup.list_backups(folder), on_success=self._show_rows,
                             on_error=self._failed, lane=Lane.READ)

    def _show_rows(self, rows: list[BackupInfo]) -> None:
        self.model.set_rows(rows)
        self.empty_label.setVisible(not rows)

    def _check_server(self) -> None:
        """On a center server, a person's own database role cannot read every row: the buttons are
        disabled, saying why (the services refuse it too)."""
        if not self._runner.has_database:
            return
        database = self._runner.database
        self._runner.run_job(lambda: backup.server_backup_refusal(database), on_success=self._server_checked,
                             on_error=self._failed, lane=Lane.READ)

    def _server_checked(self, refusal: str | None) -> None:
        self.refusal = refusal
        if refusal is not None:
            self.refusal_label.setText(self.tr(
                "On this center server, backups and restores are made by IT with pg_dump under the database "
                "owner's account; this desk cannot export or load the server's data."))
            self.refusal_label.setToolTip(refusal)
            self.refusal_label.show()
        self._update_buttons()

    def _update_buttons(self) -> None:
        enabled = not self._busy and self.refusal is None
        for button in (self.backup_button, self.restore_button):
            button.setEnabled(enabled)
            button.setToolTip(self.refusal_label.text() if self.refusal is not None else "")

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # ------------------------------------------------------------------ backing up

    def back_up_now(self) -> None:
        if self._busy or self.refusal is not None:
            return
        database, actor, folder, emit = self._runner.database, self._actor, self.folder, self.progress.emit
        stop = self._stopping
        self._start(self.tr("Backing up…"))
        # Not the write lane: the copy reads, and the desk's saves must not wait behind it.
        self._runner.run_job(lambda: backup.backup_now(database, actor, folder, progress=emit, stop=stop),
                             on_success=self._backed_up, on_error=self._failed, lane=Lane.SLOW)

    def _backed_up(self, path: Path) -> None:
        self._finish()
        self._say(self.tr("Backed up to {path}.").format(path=path), ok=True)
        self.refresh()

    # ------------------------------------------------------------------ restoring

    def choose_restore(self) -> None:
        if self._busy or self.refusal is not None:
            return
        chosen = self.selected_backup()
        if chosen is not None:
            self.check_then_confirm(chosen.path)
            return
        dialog = file_dialogs.file_dialog(self, self.tr("Restore from backup"), file_dialogs.BACKUP,
                                          self.tr("Database backups (*.sqlite3)"), fallback=self.folder)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.check_then_confirm(Path(name)))
        self.file_dialog = dialog
        dialog.open()

    def check_then_confirm(self, path: Path) -> None:
        """Check the backup on the slow lane (it reads the whole file), then ask."""
        emit, stage, stop = self.progress.emit, self.stage.emit, self._stopping
        database = self._runner.database if self._runner.has_database else None
        self._start(self.tr("Checking {file}…").format(file=path.name))
        # The checked copy is kept for the restore the person may confirm: it is not copied and
        # checked a second time (minutes for a large file).
        self._runner.run_job(lambda: backup.check_and_keep(path, database, progress=emit, stage=stage, stop=stop),
                             on_success=self._confirm, on_error=self._failed, lane=Lane.SLOW)

    def _confirm(self, checked: CheckedBackup) -> None:
        self._finish()
        check = checked.check
        # The stage the check ended in ("正在做完整性检查…") would stay under the question, and after it.
        self._say(self.tr("The backup {file} passed every check.").format(file=check.path.name), ok=True)
        text = self.tr("Replace the whole database with the backup {file}?").format(file=check.path.name)
        details = self.tr(
            "The backup passed the integrity check, its schema is exactly that of its version and its audit chain "
            "verifies. It holds {cases} cases, {users} accounts and {entries} audit entries (schema {revision})."
            "\n\nEverything entered since that backup was made will no longer be in "
            "the database. A copy of the database as it is now is saved first in the backup folder. Everyone "
            "must sign in again afterwards."
        ).format(cases=f"{check.cases:,}", users=f"{check.users:,}", entries=f"{check.audit_entries:,}",
                 revision=check.revision)  # the counts in digit groups (1,000,026 cases), the schema as named
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, text, QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(details)
        self.confirm_button = box.addButton(self.tr("Replace the database"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.buttonClicked.connect(
            lambda button: self._confirmed(checked) if button is self.confirm_button else self._declined(checked))
        self.confirmation = box
        box.open()

    def _declined(self, checked: CheckedBackup) -> None:
        checked.close()  # the checked copy (as large as the backup) goes
        self._say(self.tr("Not restored: the database was not changed."), ok=None)

    def _confirmed(self, checked: CheckedBackup) -> None:
        database, actor, folder, emit = self._runner.database, self._actor, self.folder, self.progress.emit
        stage, stop = self.stage.emit, self._stopping
        path = checked.path
        self._start(self.tr("Restoring from {file}…").format(file=path.name))
        self._runner.run_job(lambda: backup.restore(database, path, actor, folder=folder, progress=emit,
                                                    stage=stage, stop=stop, checked=checked),
                             on_success=self._restored, on_error=self._failed, lane=Lane.WRITE)

    def _restored(self, result: RestoreResult) -> None:
        self._finish()
        text = self.tr("The database was restored from {file}.").format(file=result.check.path.name)
        if result.safety_backup is not None:
            text += " " + self.tr("The database as it was before is saved as {file}.").format(
                file=result.safety_backup.name)
        self._say(text, ok=True)
        self.refresh()
        self.restored.emit(result)

    # ------------------------------------------------------------------ state

    def _start(self, text: str) -> None:
        self._busy = True
        self._stop.clear()
        self._doing = text
        self._update_buttons()
        self.progress_bar.setRange(0, 0)  # busy until the first pages are reported
        self.progress_bar.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self._say(text, ok=None)

    def _finish(self) -> None:
        self._busy = False
        self._update_buttons()
        self.progress_bar.hide()
        self.cancel_button.hide()

    @property
    def _stopping(self) -> Callable[[], bool]:
        """What a job asks between its steps (on its worker thread): 取消 was pressed, or the desk is
        closing. A function of the event and the runner only, not a bound method: a job's closure
        must not hold the panel, or the panel's last reference could go with the job's on the worker
        thread, and a widget deleted there crashes the program (a test's parentless panel did)."""
        stop, runner = self._stop, self._runner
        return lambda: stop.is_set() or runner.closing

    def cancel(self) -> None:
        """Stop the backup, check or restore under way at its next step (a restore only until it
        writes into the database)."""
        if not self._busy or not self.cancel_button.isEnabled():
            return
        self._stop.set()
        self.cancel_button.setEnabled(False)
        self._say(self.tr("Cancelling…"), ok=None)

    @Slot(int, int)
    def _show_progress(self, done: int, total: int) -> None:
        if not self._busy:
            return
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, total))

    @Slot(str)
    def _show_stage(self, text: str) -> None:
        if not self._busy or self._stop.is_set():
            return
        if text in (backup.WRITING, backup.FINAL_CHECK):  # the restore writes into the database: no way back
            self.cancel_button.setEnabled(False)
        self.progress_bar.setRange(0, 0)  # a stage without pages stays busy
        self._say(f"{self._doing} {text}…", ok=None)

    def _say(self, text: str, *, ok: bool | None) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("" if ok is None else (OK_STYLE if ok else ERROR_STYLE))
        self.message.show()

    def _failed(self, failure: TaskFailure) -> None:
        self._finish()
        if isinstance(failure.error, BackupCancelled):
            self._say(failure.message, ok=None)
            return
        self._say(failure.message, ok=False)
