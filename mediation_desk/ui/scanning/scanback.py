"""签字文书回收: signed paper comes back and files itself by the QR code on each page.

The clerk (or the mediator, or the head) scans the signed pages, imports the files of a copier or
a phone, or lets a networked copier scan into a watched folder. Reading the codes runs as a job
with progress and Cancel (``scanback.read_scanned_pages``), filing as one write
(``scanback.file_read_pages``); the result list says which pages went to which document of which
case. Pages without a readable code wait in the unmatched queue below, with a preview of the
selected page and a form to file it to a case (case number, then the document) or to discard it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QPixmap, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk import settings
from mediation_desk.scanning.errors import Cancelled
from mediation_desk.scanning.folder import FolderWatcher
from mediation_desk.scanning.progress import CancelCheck, ProgressCallback
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.format import format_time
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named
from mediation_desk.ui.scanning.dialog import ScanDialog, ScannerDirectory, ScanPreferences, ScanResult
from mediation_desk.ui.scanning.jobs import ProgressPanel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.scanning.folder import WatchedFile
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.scanback import (
        CaseDocuments,
        FiledDocument,
        ReadBatch,
        ScanBackSummary,
        ScannedPage,
        UnmatchedInfo,
    )

log = logging.getLogger(__name__)

PREVIEW_SIZE = 900
#: The widest case number the filing form's field shows whole: a township's, six digits (the
#: county's passed 第100000号 on the 1M demo).
WIDEST_NUMBER = "（2026）甘州梁家墩调字第000000号"
#: The line edit's frame and text margins around its text (as ``ui.common.date_field``).
CASE_NUMBER_MARGINS = 16


@dataclass(frozen=True)
class ResultLine:
    text: str
    #: "filed", "unmatched" or "refused": the colour of the line.
    outcome: str
    #: The case the line filed to (double-click or Enter opens it).
    case_id: int | None = None


class ResultModel(RowsModel[ResultLine]):
    """What the last runs did, newest first: one line per document filed or page queued."""

    CONTEXT = "ResultModel"
    HEADERS: ClassVar[tuple[str, ...]] = (QT_TRANSLATE_NOOP("ResultModel", "Result"),)
    COLOURS: ClassVar[dict[str, str]] = {"filed": "#2e7d32", "unmatched": "#b26a00", "refused": "#c62828"}
    #: Lines kept: a day's returns, not a log.
    LIMIT = 200

    def text(self, row: ResultLine, column: int) -> str:
        return row.text

    def cell(self, row: ResultLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(self.COLOURS.get(row.outcome, "#000000")))
        return None

    def prepend(self, lines: Sequence[ResultLine]) -> None:
        self.set_rows([*lines, *self.rows][: self.LIMIT])


class UnmatchedModel(RowsModel["UnmatchedInfo"]):
    CONTEXT = "UnmatchedModel"
    COL_RECEIVED, COL_FILE, COL_SOURCE, COL_REASON = range(4)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("UnmatchedModel", "Received"),
        QT_TRANSLATE_NOOP("UnmatchedModel", "File"),
        QT_TRANSLATE_NOOP("UnmatchedModel", "Came from"),
        QT_TRANSLATE_NOOP("UnmatchedModel", "Why it was not filed"),
    )

    def text(self, row: UnmatchedInfo, column: int) -> str:
        if column == self.COL_RECEIVED:
            return format_time(row.received_at)
        if column == self.COL_FILE:
            return row.filename
        if column == self.COL_SOURCE:
            return row.source
        return row.reason

    def case_id(self, row: UnmatchedInfo) -> int | None:
        return None


def result_lines(summary: ScanBackSummary) -> list[ResultLine]:
    lines = [ResultLine(f.line(), "filed", f.case_id) for f in summary.filed]
    lines += [ResultLine(f"{u.filename} → 未能识别，已放入待归档队列：{u.reason}", "unmatched")
              for u in summary.unmatched]
    lines += [ResultLine(f"{r.name} → 未导入：{r.message}", "refused") for r in summary.refused]
    return lines


class ScanBackPanel(QWidget):
    """The 签字文书回收 section: scan, import or watch a folder; results; the unmatched queue."""

    #: Open a case: a result line that filed to one was double-clicked (or Enter pressed on it).
    open_case = Signal(int)

    POLL_MS = 2000
    #: Made for the watched folder (tests give it a fake clock).
    make_watcher: Callable[[Path], FolderWatcher] = staticmethod(FolderWatcher)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanBackPanel")
        self._runner = runner
        self._actor = actor
        self._busy = False
        self._polling = False
        self._watcher: FolderWatcher | None = None
        self._documents: CaseDocuments | None = None
        self._discard_armed = False
        self._pending: list[tuple[tuple[ScannedPage, ...], str]] = []
        self.directory = ScannerDirectory(runner, self)
        self.preferences = ScanPreferences.load()
        #: The dialogs while they are open (tests drive them).
        self.scan_dialog: ScanDialog | None = None
        self.file_dialog: QFileDialog | None = None
        #: Seconds spent reading each page's code in the last run (shown, and read by tests).
        self.last_decode_seconds: tuple[float, ...] = ()

        # ---- intake
        intake = named(QGroupBox(self.tr("Signed papers coming back")), "scanBackIntake")
        explain = QLabel(self.tr("Scan the signed pages, import their files, or let the copier scan into a "
                                 "watched folder. Each page is filed to its case and document by the QR code "
                                 "printed on it; pages without a readable code wait below."))
        explain.setWordWrap(True)
        self.scan_button = named(QPushButton(self.tr("&Scan…")), "scanBackScan")
        self.import_button = named(QPushButton(self.tr("&Import files… (Ctrl+O)")), "scanBackImport")
        self.folder_button = named(QPushButton(self.tr("&Watch a folder…")), "scanBackFolder")
        self.stop_button = named(QPushButton(self.tr("Stop watching")), "scanBackStopWatching")
        self.folder_label = named(QLabel(), "scanBackFolderLabel")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scan_button.clicked.connect(self.scan)
        self.import_button.clicked.connect(self.choose_files)
        self.folder_button.clicked.connect(self.choose_folder)
        self.stop_button.clicked.connect(self.stop_watching)
        # Two rows of buttons: the panel must fit beside the queue on a 1366-pixel screen.
        buttons = QGridLayout()
        for i, button in enumerate((self.scan_button, self.import_button, self.folder_button, self.stop_button)):
            button.setAutoDefault(True)
            buttons.addWidget(button, i // 2, i % 2)
        buttons.addWidget(self.folder_label, 2, 0, 1, 2)
        buttons.setColumnStretch(2, 1)
        self.progress = ProgressPanel("scanBackProgress")
        self.status = named(QLabel(), "scanBackStatus")
        self.status.setWordWrap(True)
        # A wrapped label under a splitter is sized before its width is known: room for two lines.
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 4)
        self.results = ResultModel(self)
        self.result_view = named(QListView(), "scanBackResults")
        self.result_view.setModel(self.results)
        self.result_view.setWordWrap(True)
        self.result_view.setAlternatingRowColors(True)
        self.result_view.activated.connect(self._result_activated)
        intake_layout = QVBoxLayout(intake)
        intake_layout.addWidget(explain)
        intake_layout.addLayout(buttons)
        intake_layout.addWidget(self.progress)
        intake_layout.addWidget(self.status)
        intake_layout.addWidget(self.result_view, 1)

        # ---- the unmatched queue
        queue_box = named(QGroupBox(self.tr("Pages waiting to be filed")), "scanBackQueue")
        self.queue = UnmatchedModel(self)
        self.queue_view = named(QTableView(), "scanBackQueueView")
        self.queue_view.setModel(self.queue)
        self.queue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue_view.verticalHeader().hide()
        header = self.queue_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.queue_view.selectionModel().currentRowChanged.connect(self._selected)
        self.queue_empty = named(QLabel(self.tr("No page is waiting.")), "scanBackQueueEmpty")

        self.preview = named(QLabel(), "scanBackPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(QSize(150, 210))
        self.preview.setStyleSheet("background: #f4f4f4; border: 1px solid #ccc;")

        self.case_number = named(QLineEdit(), "scanBackCaseNumber")
        self.case_number.setPlaceholderText(self.tr("e.g. (2026) ... No. 0003"))
        # Room for a whole number as a person types it: a township's with six digits, beside the
        # preview (it had ~175 px at 1366 pixels: （2026）甘矛调字第932235号 and its own example
        # were cut).
        self.case_number.setMinimumWidth(
            self.case_number.fontMetrics().horizontalAdvance(WIDEST_NUMBER) + CASE_NUMBER_MARGINS)
        self.case_number.returnPressed.connect(self.find_case)
        self.find_button = named(QPushButton(self.tr("&Find")), "scanBackFind")
        self.find_button.clicked.connect(self.find_case)
        self.case_title = named(QLabel(), "scanBackCaseTitle")
        self.document = named(QComboBox(), "scanBackDocument")
        self.page_no = named(QSpinBox(), "scanBackPageNo")
        self.page_no.setRange(0, 999)
        self.page_no.setSpecialValueText(self.tr("after the last page"))
        self.file_button = named(QPushButton(self.tr("File to the &case")), "scanBackFile")
        self.file_button.clicked.connect(self.file_selected)
        self.discard_button = named(QPushButton(self.tr("&Discard the page")), "scanBackDiscard")
        self.discard_button.clicked.connect(self.discard_selected)
        self.form_error = named(QLabel(), "scanBackFormError")
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet(ERROR_STYLE)
        self.form_error.hide()
        case_row = QHBoxLayout()
        case_row.addWidget(self.case_number, 1)
        case_row.addWidget(self.find_button)
        form = QFormLayout()
        case_label = QLabel(self.tr("Case &number"))
        case_label.setBuddy(self.case_number)
        form.addRow(case_label, case_row)
        form.addRow("", self.case_title)
        form.addRow(self.tr("&Document"), self.document)
        form.addRow(self.tr("As &page"), self.page_no)
        actions = QHBoxLayout()
        actions.addWidget(self.file_button)
        actions.addWidget(self.discard_button)
        actions.addStretch(1)
        form_box = QVBoxLayout()
        form_box.addLayout(form)
        form_box.addWidget(self.form_error)
        form_box.addLayout(actions)
        form_box.addStretch(1)
        form_widget = QWidget()
        form_widget.setLayout(form_box)

        detail = QHBoxLayout()
        detail.addWidget(self.preview, 1)
        detail.addWidget(form_widget, 1)
        queue_layout = QVBoxLayout(queue_box)
        queue_layout.addWidget(self.queue_empty)
        queue_layout.addWidget(self.queue_view, 2)
        queue_layout.addLayout(detail, 3)

        splitter = named(QSplitter(Qt.Orientation.Horizontal), "scanBackSplitter")
        splitter.addWidget(intake)
        splitter.addWidget(queue_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        shortcut = QShortcut(QKeySequence("Ctrl+O"), self, self.choose_files)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(self.POLL_MS)
        self.poll_timer.timeout.connect(self.poll_folder)
        self._loaded = False
        self._show_folder()
        self._update_form()

    # ------------------------------------------------------------------ state

    @property
    def busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.scan_button, self.import_button):
            button.setEnabled(not busy)
        if not busy and self._pending:
            pages, source = self._pending.pop(0)
            self.process(pages, source)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.refresh_queue()
            folder = settings.DeskFile.load().get(settings.SCANBACK_FOLDER)
            if folder and Path(folder).is_dir():
                self.watch(folder)

    # ------------------------------------------------------------------ scanning

    def scan(self) -> None:
        if self.busy or self.scan_dialog is not None:
            return
        dialog = ScanDialog(self._runner, self.directory, None, self.preferences, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.scanned.connect(self._scanned)
        dialog.import_instead.connect(self.choose_files)
        dialog.folder_instead.connect(self.choose_folder)
        dialog.finished.connect(self._scan_dialog_closed)
        self.scan_dialog = dialog
        dialog.open()
        dialog.focus_first()

    def _result_activated(self, index: QModelIndex) -> None:
        case_id = self.results.data(index, ResultModel.CaseIdRole)
        if isinstance(case_id, int):
            self.open_case.emit(case_id)

    def _scan_dialog_closed(self) -> None:
        self.scan_dialog = None
        self.scan_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _file_dialog_closed(self) -> None:
        self.file_dialog = None

    def _scanned(self, result: ScanResult) -> None:
        from mediation_desk.services.scanback import ScannedPage

        pages = [ScannedPage.of_page(page, f"扫描页{number}") for number, page in enumerate(result.pages, start=1)]
        self.process(pages, f"扫描仪 {result.device}")

    # ------------------------------------------------------------------ importing

    def choose_files(self) -> None:
        if self.busy or self.file_dialog is not None:
            return
        dialog = file_dialogs.file_dialog(
            self.window(), self.tr("Import signed scans"), file_dialogs.SCANS,
            self.tr("Scans and PDF files (*.jpg *.jpeg *.png *.tif *.tiff *.pdf);;All files (*)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.import_paths)
        dialog.finished.connect(self._file_dialog_closed)
        self.file_dialog = dialog
        dialog.open()

    def import_paths(self, paths: Sequence[str | Path]) -> None:
        """Import files on a worker (the file import's checks), then read and file their pages."""
        if not paths or self.busy:
            return
        todo = [Path(p) for p in paths]
        self._run(lambda report, cancelled: _read_files(todo, report, cancelled), "文件导入",
                  self.tr("Importing {n} file(s)…").format(n=len(todo)))

    def process(self, pages: Sequence[ScannedPage], source: str) -> None:
        """Read the codes of ``pages`` on a worker, then file them (one write)."""
        if not pages:
            return
        if self.busy:
            # The folder's files are already moved out of the way: they must not be dropped.
            self._pending.append((tuple(pages), source))
            return

        def read(report: ProgressCallback, cancelled: CancelCheck) -> ReadBatch:
            from mediation_desk.services.scanback import read_scanned_pages

            return read_scanned_pages(pages, progress=report, cancelled=cancelled)

        self._run(read, source, self.tr("Reading the codes of {n} page(s)…").format(n=len(pages)))

    def _run(self, read: Callable[[ProgressCallback, CancelCheck], ReadBatch], source: str,
             text: str) -> None:
        self._set_busy(True)
        control = self.progress.start(text)
        actor = self._actor

        def file(session: Session, batch: ReadBatch) -> ScanBackSummary:
            from mediation_desk.services.scanback import file_read_pages

            return file_read_pages(session, actor, batch, source)

        def read_done(batch: ReadBatch) -> None:
            self.progress.finish()
            if not batch.pages and not batch.refused:
                self._set_busy(False)
                return
            self._runner.run_write(lambda session: file(session, batch), on_success=self._filed,
                                   on_error=self._failed)

        def read_failed(failure: TaskFailure) -> None:
            self.progress.finish()
            self._failed(failure)

        report, cancelled = control.report, control.cancelled  # the job holds no QObject
        self._runner.run_job(lambda: read(report, cancelled), on_success=read_done,
                             on_error=read_failed, lane=Lane.SLOW)

    def _filed(self, summary: ScanBackSummary) -> None:
        self._set_busy(False)
        self.results.prepend(result_lines(summary))
        self.last_decode_seconds = summary.decode_seconds
        pages = summary.pages
        average = round(1000 * sum(summary.decode_seconds) / pages) if pages else 0
        text = self.tr("{pages} page(s) read ({ms} ms a page): {filed} document(s) filed, {unmatched} page(s) "
                       "waiting to be filed by hand.").format(pages=pages, ms=average, filed=len(summary.filed),
                                                             unmatched=len(summary.unmatched))
        if summary.refused:
            text += " " + self.tr("{n} file(s) could not be read.").format(n=len(summary.refused))
        self._say(text)
        self.status.setStyleSheet(OK_STYLE if not summary.unmatched and not summary.refused else "")
        self.refresh_queue()

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self._say(failure.message, error=not isinstance(failure.error, Cancelled))

    # ------------------------------------------------------------------ the watched folder

    def choose_folder(self) -> None:
        if self.file_dialog is not None:
            return
        dialog = file_dialogs.file_dialog(self.window(), self.tr("The folder the copier scans into"),
                                          file_dialogs.WATCH_FOLDER,
                                          fallback=self._watcher.folder if self._watcher else None)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.watch)
        dialog.finished.connect(self._file_dialog_closed)
        self.file_dialog = dialog
        dialog.open()

    def watch(self, folder: str | Path) -> None:
        """Watch ``folder``: every file a copier completes there is read and filed, then moved
        into 已导入 (the folder package's rules)."""
        path = Path(folder)
        if not path.is_dir():
            self._say(self.tr("The folder {folder} does not exist or cannot be opened.").format(folder=path),
                      error=True)
            return
        self._watcher = type(self).make_watcher(path)
        try:
            settings.update_desk({settings.SCANBACK_FOLDER: str(path)})
        except Exception:  # a settings file that cannot be written must not stop the watching
            log.warning("Could not remember the watched folder", exc_info=True)
        self.poll_timer.start()
        self._show_folder()
        self.poll_folder()

    def stop_watching(self) -> None:
        self.poll_timer.stop()
        self._watcher = None
        with contextlib.suppress(OSError):  # a read-only settings folder: watched again next start
            settings.update_desk({settings.SCANBACK_FOLDER: None})
        self._show_folder()

    def _show_folder(self) -> None:
        watching = self._watcher is not None
        self.stop_button.setVisible(watching)
        self.folder_label.setText(self.tr("Watching {folder}").format(folder=self._watcher.folder)
                                  if self._watcher is not None else "")

    def poll_folder(self) -> None:
        """Look at the watched folder on a worker (a network share may be slow)."""
        watcher = self._watcher
        if watcher is None or self._polling or self.busy:
            return
        self._polling = True

        def done(handled: list[WatchedFile]) -> None:
            self._polling = False
            from mediation_desk.services.scanback import RefusedFile, scanned_pages_of

            imported = [h.imported for h in handled if h.imported is not None]
            refused = [RefusedFile(h.name, h.refused.message) for h in handled if h.refused is not None]
            if refused:
                self.results.prepend([ResultLine(f"{r.name} → 未导入：{r.message}", "refused") for r in refused])
            if imported:
                self.process(scanned_pages_of(imported), f"监视文件夹 {watcher.folder}")

        def failed(failure: TaskFailure) -> None:
            self._polling = False
            self._say(failure.message, error=True)

        self._runner.run_job(watcher.poll, on_success=done, on_error=failed, lane=Lane.SLOW)

    # ------------------------------------------------------------------ the queue

    def refresh_queue(self) -> None:
        from mediation_desk.services.scanback import unmatched

        current = self.current_page()
        self._runner.run_read(unmatched, lambda rows: self._queue_loaded(rows, current.id if current else None))

    def _queue_loaded(self, rows: list[UnmatchedInfo], keep: int | None) -> None:
        self.queue.set_rows(rows)
        self.queue_empty.setVisible(not rows)
        self.queue_view.setVisible(bool(rows))
        ids = [r.id for r in rows]
        row = ids.index(keep) if keep in ids else (0 if rows else -1)
        if row >= 0:
            self.queue_view.selectRow(row)
        else:
            self._show_preview(None)
        self._update_form()

    def current_page(self) -> UnmatchedInfo | None:
        index = self.queue_view.currentIndex()
        return self.queue.row_at(index.row()) if index.isValid() else None

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        page = self.queue.row_at(current.row()) if current.isValid() else None
        self._disarm()
        self._update_form()
        if page is None:
            self._show_preview(None)
            return
        from mediation_desk.services.scanback import unmatched_preview

        page_id = page.id

        def shown(png: bytes | None) -> None:
            still = self.current_page()
            if still is not None and still.id == page_id:
                self._show_preview(png)

        self._runner.run_read(lambda session: unmatched_preview(session, page_id, PREVIEW_SIZE), shown,
                              lambda failure: self._show_preview(None, failure.message))

    def _show_preview(self, png: bytes | None, message: str = "") -> None:
        pixmap = QPixmap()
        if png is not None and pixmap.loadFromData(png, "PNG"):
            size = self.preview.size()
            self.preview.setPixmap(pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
            page = self.current_page()
            self.preview.setToolTip(page.filename if page is not None else "")
            return
        self.preview.setPixmap(QPixmap())
        self.preview.setText(message or (self.tr("No preview for this page.") if self.current_page() else ""))

    def _update_form(self) -> None:
        has_page = self.current_page() is not None
        for widget in (self.case_number, self.find_button, self.document, self.page_no, self.discard_button):
            widget.setEnabled(has_page)
        self.file_button.setEnabled(has_page and self._documents is not None)

    def _form_failure(self, failure: TaskFailure) -> None:
        self.form_error.setText(failure.message)
        self.form_error.show()
        fields: dict[str, QWidget] = {"case_number": self.case_number, "document": self.document,
                                      "page_no": self.page_no}
        target = fields.get(failure.field or "")
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def find_case(self) -> None:
        """Look up the case number typed and list its documents."""
        from mediation_desk.services.scanback import case_documents

        number = self.case_number.text().strip()
        actor = self._actor
        self.form_error.hide()
        self._runner.run_read(lambda session: case_documents(session, actor, number), self._case_found,
                              self._form_failure)

    def _case_found(self, documents: CaseDocuments) -> None:
        self._documents = documents
        self.case_title.setText(documents.title)
        self.document.clear()
        self.document.addItem(self.tr("(the case only, no particular document)"), None)
        for choice in documents.documents:
            self.document.addItem(choice.title, choice.ref)
        self._update_form()
        self.document.setFocus(Qt.FocusReason.OtherFocusReason)

    def file_selected(self) -> None:
        page = self.current_page()
        documents = self._documents
        if page is None or self.busy:
            return
        if documents is None or documents.number != self.case_number.text().strip():
            self.find_case()  # the number was edited since: look it up first, nothing is lost
            return
        from mediation_desk.services.scanback import file_unmatched

        actor = self._actor
        ref = self.document.currentData()
        page_no = self.page_no.value() or None
        case_id = documents.case_id
        page_id = page.id
        filename = page.filename
        self.form_error.hide()

        def filed(result: FiledDocument | None) -> None:
            line = result.line() if result is not None else f"{documents.number} ← {filename}（手工归档）"
            self.results.prepend([ResultLine(line, "filed", documents.case_id)])
            self._say(self.tr("Filed {file} to {case}.").format(file=filename, case=documents.number))
            self.refresh_queue()

        self._runner.run_write(
            lambda session: file_unmatched(session, actor, page_id, case_id, ref if isinstance(ref, str) else None,
                                           page_no),
            filed, self._form_failure)

    def discard_selected(self) -> None:
        """Discard the selected page: the first press asks, the second does it."""
        page = self.current_page()
        if page is None:
            return
        if not self._discard_armed:
            self._discard_armed = True
            self.discard_button.setText(self.tr("Press again to discard"))
            self.discard_button.setStyleSheet(ERROR_STYLE)
            QTimer.singleShot(5000, self._disarm)
            return
        self._disarm()
        from mediation_desk.services.scanback import discard_unmatched

        actor = self._actor
        page_id = page.id

        def gone(_result: None) -> None:
            self._say(self.tr("Discarded {file}.").format(file=page.filename))
            self.refresh_queue()

        self._runner.run_write(lambda session: discard_unmatched(session, actor, page_id), gone, self._form_failure)

    def _disarm(self) -> None:
        self._discard_armed = False
        self.discard_button.setText(self.tr("&Discard the page"))
        self.discard_button.setStyleSheet("")


def _read_files(paths: Sequence[Path], report: ProgressCallback, cancelled: CancelCheck) -> ReadBatch:
    """The file import's checks, then the codes of every page (on a worker)."""
    from mediation_desk.scanning.files import import_files
    from mediation_desk.services.scanback import ReadBatch, RefusedFile, read_scanned_pages, scanned_pages_of

    imported, refused = import_files(paths, cancelled=cancelled)
    batch = read_scanned_pages(scanned_pages_of(imported), progress=report, cancelled=cancelled)
    return ReadBatch(batch.pages, batch.refused + tuple(RefusedFile(r.filename, r.message) for r in refused))


__all__ = ["ResultLine", "ResultModel", "ScanBackPanel", "UnmatchedModel", "result_lines"]
