"""The documents (材料) section of the registration form: ID cards, applications, evidence.

Each document becomes one PDF attachment of its type when the case is saved. Documents come from
the scanner (Ctrl+B), from files (Ctrl+O: photos, a copier's PDFs, whatever the clerk was given)
and from the watched scan-to-folder of a networked copier, polled every 2 s on a worker while the
form is shown. Enter (or F2) opens the page editor of the chosen document; Del removes it and
Ctrl+Z in the list brings it back.

Scanning, importing and PDF assembly run through ``TaskRunner.run_job`` on the slow lane (a long
scan must hold up neither a save nor a list read), with a progress bar and Cancel.
Import refusals (empty, corrupt, oversized, mislabelled files, decompression bombs) are listed
with the scanning package's messages; the good files of the same batch are imported.

Every page a worker makes is written at once beside the user's draft (``scan_store``), so the
documents survive a crash with the rest of the form.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import AttachmentKind
from mediation_desk.scanning.errors import Cancelled, FileRefused
from mediation_desk.scanning.files import ImportedFile, import_files
from mediation_desk.scanning.folder import FolderWatcher
from mediation_desk.scanning.pages import ScannedDocument
from mediation_desk.scanning.progress import CancelCheck, Progress, ProgressCallback
from mediation_desk.services.attachments import PreparedDocument
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, HINT_COLOUR, named, tinted
from mediation_desk.ui.scanning.dialog import ScanDialog, ScannerDirectory, ScanPreferences, ScanResult
from mediation_desk.ui.scanning.jobs import ProgressPanel
from mediation_desk.ui.scanning.models import (
    ICON_SIZE,
    DocumentListModel,
    FormDocument,
    FormParty,
    PageImages,
    base_thumbnail,
    guess_kind,
    title_from_filename,
)
from mediation_desk.ui.scanning.pages import PageEditor
from mediation_desk.ui.scanning.store import PDF_SUFFIX, PageStore, document_from_state, document_state

if TYPE_CHECKING:
    from mediation_desk.services.actor import Actor

log = logging.getLogger(__name__)

SCAN_KEYS = "Ctrl+B"
IMPORT_KEYS = "Ctrl+O"
#: F2, as item views edit an item: Ctrl+E would be "end of line" in text fields on X11.
EDIT_KEYS = "F2"
#: How many refusals are listed one by one (the rest are counted).
REFUSALS_SHOWN = 8
#: The stored note says where the paper came from; attachments keep at most 200 characters.
NOTE_LENGTH = 200


def native(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


# --------------------------------------------------------------------------- work on a worker


@dataclass(frozen=True)
class Arrival:
    """A file that became a document (or pages): the file, and its pages' thumbnails."""

    file: ImportedFile
    thumbnails: tuple[bytes, ...]


@dataclass(frozen=True)
class ImportOutcome:
    arrivals: tuple[Arrival, ...]
    refused: tuple[FileRefused, ...]
    #: The watched folder could not be read this time.
    unreachable: bool = False


def _arrive(file: ImportedFile, store: PageStore) -> Arrival:
    """Thumbnails and the draft's copy, made on the worker that imported the file."""
    if file.pdf is not None:
        try:
            store.put(file.pdf, PDF_SUFFIX)
        except OSError:
            log.warning("Could not keep an imported PDF with the draft", exc_info=True)
        return Arrival(file, ())
    store.put_pages(file.pages)
    return Arrival(file, tuple(base_thumbnail(page) for page in file.pages))


def assemble_documents(documents: Sequence[tuple[ScannedDocument, bytes | None, int | None, str]],
                       progress: ProgressCallback | None = None,
                       cancelled: CancelCheck | None = None) -> list[PreparedDocument]:
    """Each document's PDF (an imported PDF as it is), reporting progress over all pages (a
    :class:`JobControl`'s ``report`` and ``cancelled``)."""
    from mediation_desk.scanning.assemble import document_pdf  # pulls in img2pdf and pikepdf: on the worker

    total = sum(d.page_count for d, pdf, _, _ in documents if pdf is None)
    done = 0
    prepared = []
    for document, pdf, party, note in documents:
        content = pdf
        if content is None:
            content = document_pdf(document, progress=_shifted(progress, done, total), cancelled=cancelled)
            done += document.page_count
        prepared.append(PreparedDocument(document.kind, document.filename, content, party, note[:NOTE_LENGTH]))
    return prepared


def _shifted(report: ProgressCallback | None, offset: int, total: int) -> ProgressCallback | None:
    """One document's progress as a part of all the documents' pages."""
    if report is None:
        return None
    return lambda progress: report(Progress(offset + progress.done, total, progress.text))


# --------------------------------------------------------------------------- the section


class DocumentsBox(QGroupBox):
    """The documents of the registration being entered."""

    #: Documents were added, edited or removed (the form marks its draft dirty).
    changed = Signal()
    #: An ID card was scanned or imported for a party: the party and the card's images as
    #: (name, bytes), for the form to read the card into the party.
    identity_added = Signal(object, object)

    #: How often the watched folder is looked at while the form is shown.
    POLL_MS = 2000
    #: Made for each watched folder (tests give it a fake clock).
    make_watcher: Callable[[Path], FolderWatcher] = staticmethod(FolderWatcher)

    def __init__(self, runner: TaskRunner, actor: Actor, parties: Callable[[], Sequence[FormParty]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Documents"))
        self.setObjectName("documentsBox")
        self._runner = runner
        self._parties = parties
        self._keys = count(1)
        self._removed: list[tuple[int, FormDocument]] = []
        self._saving = False
        self._deferred: list[ImportOutcome] = []
        self._polling = False
        self._watcher: FolderWatcher | None = None
        self.images = PageImages()
        self.store = PageStore(actor.username)
        self.directory = ScannerDirectory(runner, self)
        self.preferences = ScanPreferences.load()
        #: The dialogs while they are open (tests drive them).
        self.scan_dialog: ScanDialog | None = None
        self.editor: PageEditor | None = None
        self.file_dialog: QFileDialog | None = None

        self.model = DocumentListModel(self.images, self.party_label, self)
        self.list_view = named(QListView(), "documentList")
        self.list_view.setModel(self.model)
        self.list_view.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.list_view.setUniformItemSizes(True)
        self.list_view.setSpacing(1)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setAccessibleName(self.tr("Documents"))
        self.list_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.list_view.doubleClicked.connect(lambda index: self.edit_row(index.row()))
        self.empty_label = named(QLabel(self.tr("No documents yet. Scan the ID cards and papers the visitor "
                                                "brought ({scan}), or import files ({files}).").format(
            scan=native(SCAN_KEYS), files=native(IMPORT_KEYS))), "documentsEmpty")
        self.empty_label.setWordWrap(True)
        tinted(self.empty_label, HINT_COLOUR)

        def button(text: str, name: str) -> QPushButton:
            widget = named(QPushButton(text), name)
            widget.setAutoDefault(True)
            return widget

        self.scan_button = button(self.tr("Scan… ({keys})").format(keys=native(SCAN_KEYS)), "scanDocument")
        self.import_button = button(self.tr("Import files… ({keys})").format(keys=native(IMPORT_KEYS)),
                                    "importFiles")
        self.edit_button = button(self.tr("Pages and type… ({keys})").format(keys=native(EDIT_KEYS)),
                                  "editDocument")
        self.remove_button = button(self.tr("Remove (Del)"), "removeDocument")
        self.folder_button = button(self.tr("Watched folder…"), "watchFolder")
        self.folder_label = named(QLabel(), "watchFolderText")
        self.folder_label.setWordWrap(True)
        tinted(self.folder_label, HINT_COLOUR)
        self.folder_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.scan_button.clicked.connect(self.scan)
        self.import_button.clicked.connect(self.choose_files)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove_current)
        self.folder_button.clicked.connect(self.choose_folder)
        self.progress = ProgressPanel("documentsProgress")
        self.status = named(QLabel(), "documentsStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        self.refusals = named(QLabel(), "importRefusals")
        self.refusals.setWordWrap(True)
        self.refusals.setStyleSheet(ERROR_STYLE)
        self.refusals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusals.hide()

        buttons = QHBoxLayout()
        for widget in (self.scan_button, self.import_button, self.edit_button, self.remove_button,
                       self.folder_button):
            buttons.addWidget(widget)
        buttons.addWidget(self.folder_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list_view)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.refusals)

        for keys, slot in ((Qt.Key.Key_Return, self.edit), (Qt.Key.Key_Enter, self.edit)):
            self._list_shortcut(QKeySequence(keys), slot)
        self._list_shortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.remove_current)
        self._list_shortcut(QKeySequence(QKeySequence.StandardKey.Undo), self.undo_remove)

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(self.POLL_MS)
        self.poll_timer.timeout.connect(self.poll_folder)
        self.model.rowsInserted.connect(self._update)
        self.model.rowsRemoved.connect(self._update)
        self.model.modelReset.connect(self._update)
        self.list_view.selectionModel().currentChanged.connect(self._update)
        self._show_folder()
        self._update()

    def _list_shortcut(self, keys: QKeySequence, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(keys, self.list_view)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(slot)

    def focus_order(self) -> list[QWidget]:
        return [self.list_view, self.scan_button, self.import_button, self.edit_button, self.remove_button,
                self.folder_button, self.progress.cancel_button]

    # ------------------------------------------------------------------ documents

    @property
    def documents(self) -> list[FormDocument]:
        return self.model.documents

    @property
    def busy(self) -> bool:
        """A scan, import or PDF job is running (the form waits for it before saving)."""
        return self.progress.running or (self.scan_dialog is not None and self.scan_dialog.progress.running) or (
            self.editor is not None and self.editor.progress.running)

    def current_row(self) -> int:
        index = self.list_view.currentIndex()
        return index.row() if index.isValid() else -1

    def select(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.list_view.setCurrentIndex(self.model.index(row, 0))

    def add(self, document: ScannedDocument, *, party: FormParty | None = None, pdf: bytes | None = None,
            pdf_pages: int = 0, origin: str = "", select: bool = True) -> FormDocument:
        entry = FormDocument(next(self._keys), document, party, pdf, pdf_pages, origin)
        row = self.model.append(entry)
        if select:
            self.select(row)
        self.changed.emit()
        return entry

    def replace_document(self, document: FormDocument) -> None:
        self.model.replace(document)
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        removed = self.model.remove(row)
        self._removed.append((row, removed))
        self._say(self.tr("“{document}” was removed. Ctrl+Z in the list brings it back.").format(
            document=self.model.describe(removed)))
        self.select(min(row, self.model.rowCount() - 1))
        self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def undo_remove(self) -> None:
        if not self._removed:
            return
        row, document = self._removed.pop()
        self.model.insert(row, document)
        self.select(row)
        self._say("")
        self.changed.emit()

    def clear(self) -> None:
        """No documents (the form was emptied for the next visitor, or filled from a draft)."""
        self.model.set_documents([])
        self._removed.clear()
        self.images.forget_except([])
        self.store.keep_only([])
        self.refusals.hide()
        self.refusals.clear()
        self._say("")

    def forget_party(self, party: FormParty) -> None:
        """A party left the form for good: its documents belong to nobody now."""
        for document in self.documents:
            if document.party is party:
                self.model.replace(document.belonging_to(None))

    def parties_changed(self) -> None:
        self.model.refresh()

    # ------------------------------------------------------------------ parties

    def _party_number(self, party: FormParty | None) -> int | None:
        if party is None:
            return None
        return next((i for i, p in enumerate(self._parties()) if p is party), None)

    def party_label(self, party: FormParty | None) -> str:
        index = self._party_number(party)
        if index is None or party is None:
            return ""
        name = party.name.text().strip()
        if name:
            return self.tr("Party {number}: {name}").format(number=index + 1, name=name)
        return self.tr("Party {number}").format(number=index + 1)

    def party_choices(self) -> list[tuple[FormParty | None, str]]:
        choices: list[tuple[FormParty | None, str]] = [(None, self.tr("The case as a whole"))]
        choices += [(party, self.party_label(party)) for party in self._parties()]
        return choices

    def suggested_party(self) -> FormParty | None:
        """For an ID card: the first party who has none on the form yet."""
        covered = {id(d.party) for d in self.documents if d.kind is AttachmentKind.IDENTITY and d.party is not None}
        return next((p for p in self._parties() if id(p) not in covered), None)

    # ------------------------------------------------------------------ scanning

    def scan(self) -> None:
        """Ctrl+B: the scan dialog (scanner, options, type, party); the scan adds a document."""
        if self.busy or self.scan_dialog is not None or self.editor is not None:
            return
        suggested = self.suggested_party() if self.preferences.kind is AttachmentKind.IDENTITY else None
        dialog = ScanDialog(self._runner, self.directory, self.store, self.preferences,
                            parties=self.party_choices(), party=suggested, parent=self.window())
        dialog.scanned.connect(self._scanned)
        dialog.import_instead.connect(self.choose_files)
        dialog.folder_instead.connect(self.choose_folder)
        self._open_scan_dialog(dialog)

    def _open_scan_dialog(self, dialog: ScanDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.scan_dialog = dialog
        dialog.finished.connect(self._scan_dialog_closed)
        dialog.open()
        dialog.focus_first()

    def _scan_dialog_closed(self) -> None:
        self.scan_dialog = None
        if self.editor is not None:
            self.editor.activateWindow()
            self.editor.focus_pages()
        else:
            self._focus_list()

    def _focus_list(self) -> None:
        # Back in the form after a dialog: not every platform hands the activation back by itself.
        self.window().activateWindow()
        target = self.list_view if self.list_view.isVisible() else self.scan_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def has_identity_of(self, party: FormParty) -> bool:
        """An ID card of this party is among the documents already."""
        return any(d.kind is AttachmentKind.IDENTITY and d.party is party for d in self.documents)

    def add_scanned(self, result: ScanResult) -> None:
        """Pages scanned elsewhere (an ID card read into a party) become a document of the form."""
        self._scanned(result)

    def _scanned(self, result: ScanResult) -> None:
        for page, png in zip(result.pages, result.thumbnails, strict=True):
            self.images.add(page, png)
        document = ScannedDocument(result.kind, "", result.pages)
        self.add(document, party=result.party, origin=f"扫描仪 {result.device}")
        if result.kind is AttachmentKind.IDENTITY and result.party is not None:
            self.identity_added.emit(result.party, [(f"扫描第 {number} 页.{page.format.value}", page.data)
                                                    for number, page in enumerate(result.pages[:2], start=1)])
        count_pages = len(result.pages)
        self._say(self.tr("Scanned %Ln page(s). Enter opens the page editor to check them.", "", count_pages))

    # ------------------------------------------------------------------ importing

    def choose_files(self) -> None:
        """Ctrl+O: pick files (any name: the content decides what they are)."""
        self.choose_files_for(None)

    def choose_files_for(self, editor: PageEditor | None) -> None:
        """Pick files for a new document each, or (from the page editor) for more pages of it."""
        if self.busy or self.file_dialog is not None:
            return
        dialog = file_dialogs.file_dialog(
            editor or self.window(), self.tr("Import files"), file_dialogs.SCANS,
            self.tr("Scans, photos and PDF files (*.jpg *.jpeg *.png *.tif *.tiff *.pdf);;All files (*)"),
            fallback=self.preferences.watch_folder or None)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(lambda paths: self.import_paths(paths, editor=editor))
        dialog.finished.connect(lambda _result: self._file_dialog_closed(editor))
        self.file_dialog = dialog
        dialog.open()

    def _file_dialog_closed(self, editor: PageEditor | None) -> None:
        self.file_dialog = None
        # Back where the clerk was (not every platform hands the activation back by itself); the
        # window's own focus stays where it was, or where a card just read put it.
        (editor or self.window()).activateWindow()

    def import_paths(self, paths: Sequence[str | Path], *, editor: PageEditor | None = None,
                     kind: AttachmentKind | None = None, party: FormParty | None = None) -> None:
        """Import files on a worker: each good one becomes a document (or, from the page editor,
        pages of its document); each refusal is listed with its reason. ``kind`` and ``party``:
        what the documents are and whose (an ID card read into a party), else guessed from the name."""
        if not paths or self.busy:
            return
        todo = [Path(p) for p in paths]
        panel = editor.progress if editor is not None else self.progress
        control = panel.start(self.tr("Importing %Ln file(s)…", "", len(todo)))
        store, report, cancelled = self.store, control.report, control.cancelled  # the job holds no QObject

        def work() -> ImportOutcome:
            imported, refused = import_files(todo, progress=report, cancelled=cancelled)
            return ImportOutcome(tuple(_arrive(file, store) for file in imported), tuple(refused))

        def done(outcome: ImportOutcome) -> None:
            panel.finish()
            self._arrived(outcome, editor=editor, kind=kind, party=party)

        def failed(failure: TaskFailure) -> None:
            panel.finish()
            if isinstance(failure.error, Cancelled):
                self._say(failure.message)  # "已取消导入文件。": nothing of the batch was kept
            else:
                self._show_refusals([failure.message])

        self._runner.run_job(work, on_success=done, on_error=failed, lane=Lane.SLOW)

    def _arrived(self, outcome: ImportOutcome, *, editor: PageEditor | None = None, origin_prefix: str = "",
                 kind: AttachmentKind | None = None, party: FormParty | None = None) -> None:
        added = 0
        first_new = self.model.rowCount()
        for arrival in outcome.arrivals:
            file = arrival.file
            for page, png in zip(file.pages, arrival.thumbnails, strict=False):
                self.images.add(page, png)
            if editor is not None and file.pdf is None and not editor.document.is_pdf:
                editor.add_pages(file.pages)
                added += 1
                continue
            file_kind = kind or guess_kind(file.name)
            title = title_from_filename(file.name)
            origin = f"{origin_prefix}{file.name}"
            if file.pdf is not None:
                self.add(ScannedDocument(file_kind, title), party=party, pdf=file.pdf, pdf_pages=file.page_count,
                         origin=origin, select=False)
                continue
            owner = party
            if owner is None and file_kind is AttachmentKind.IDENTITY:
                owner = self.suggested_party()  # as a scan of a card goes: the first party without one
            self.add(file.as_document(file_kind, title), party=owner, origin=origin, select=False)
            if party is None and owner is not None and file_kind is AttachmentKind.IDENTITY:
                self.identity_added.emit(owner, [(file.name, page.data) for page in file.pages[:2]])
            added += 1
        if added and editor is None:
            self.select(first_new)
        refusals = [str(refusal) for refusal in outcome.refused]
        self._show_refusals(refusals)
        if outcome.arrivals:
            self._say(self.tr("Imported %Ln file(s).", "", len(outcome.arrivals)) + (
                " " + self.tr("%Ln file(s) refused (see below).", "", len(refusals)) if refusals else ""))
        elif refusals:
            self._say("")

    def _show_refusals(self, messages: Sequence[str]) -> None:
        if not messages:
            self.refusals.hide()
            self.refusals.clear()
            return
        lines = [f"✗ {message}" for message in messages[:REFUSALS_SHOWN]]
        if len(messages) > REFUSALS_SHOWN:
            lines.append(self.tr("… and %Ln more.", "", len(messages) - REFUSALS_SHOWN))
        self.refusals.setText("\n".join(lines))
        self.refusals.setAccessibleDescription(self.refusals.text())
        self.refusals.show()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # ------------------------------------------------------------------ the page editor

    def edit(self) -> None:
        """Enter or F2: the page editor of the chosen document."""
        self.edit_row(self.current_row())

    def edit_row(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount() or self.editor is not None or self.busy:
            return
        editor = PageEditor(self.documents[row], self.party_choices(), self.images, self.window())
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.changed.connect(self.replace_document)
        editor.scan_requested.connect(lambda: self._scan_more(editor))
        editor.import_requested.connect(lambda: self.choose_files_for(editor))
        editor.finished.connect(self._editor_closed)
        self.editor = editor
        editor.open()
        editor.focus_pages()

    def _editor_closed(self) -> None:
        editor, self.editor = self.editor, None
        if editor is not None:
            self.select(self.model.row_of(editor.document.key))
        self._focus_list()

    def _scan_more(self, editor: PageEditor) -> None:
        if self.scan_dialog is not None:
            return
        dialog = ScanDialog(self._runner, self.directory, self.store, self.preferences, parent=editor)

        def scanned(result: ScanResult) -> None:
            for page, png in zip(result.pages, result.thumbnails, strict=True):
                self.images.add(page, png)
            editor.add_pages(result.pages)

        dialog.scanned.connect(scanned)
        dialog.import_instead.connect(lambda: self.choose_files_for(editor))
        dialog.folder_instead.connect(self.choose_folder)
        self._open_scan_dialog(dialog)

    # ------------------------------------------------------------------ the watched folder

    def choose_folder(self) -> None:
        dialog = file_dialogs.file_dialog(self.window(), self.tr("Folder the copier scans into"),
                                          file_dialogs.WATCH_FOLDER, fallback=self.preferences.watch_folder or None)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.set_watch_folder)
        dialog.finished.connect(lambda _result: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def set_watch_folder(self, folder: str | Path) -> None:
        """Watch ``folder`` from now on (empty: watch nothing); remembered for this desk."""
        path = str(folder).strip()
        self.preferences.watch_folder = path
        try:
            self.preferences.save()
        except Exception:  # the desk still watches it for this session
            log.warning("Could not remember the watched folder", exc_info=True)
        self._watcher = None
        self._show_folder()
        self._restart_polling()

    def _show_folder(self, problem: str = "") -> None:
        folder = self.preferences.watch_folder
        if not folder:
            self.folder_label.setText(self.tr("No watched folder."))
        elif problem:
            self.folder_label.setText(problem)
        else:
            self.folder_label.setText(self.tr("Watching {folder}").format(folder=folder))
        self.folder_label.setToolTip(folder)

    def _restart_polling(self) -> None:
        if self.preferences.watch_folder and self.isVisible():
            self.poll_timer.start()
        else:
            self.poll_timer.stop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._restart_polling()

    def hideEvent(self, event: QHideEvent) -> None:
        self.poll_timer.stop()
        super().hideEvent(event)

    def poll_folder(self) -> None:
        """Look at the watched folder once, on a worker (the timer calls this every 2 s)."""
        folder = self.preferences.watch_folder
        if not folder or self._polling:
            return
        if self._watcher is None or str(self._watcher.folder) != folder:
            self._watcher = self.make_watcher(Path(folder))
        watcher = self._watcher
        store = self.store

        def work() -> ImportOutcome:
            if not watcher.folder.is_dir():
                return ImportOutcome((), (), unreachable=True)
            handled = watcher.poll()
            arrivals = tuple(_arrive(f.imported, store) for f in handled if f.imported is not None)
            refused = tuple(f.refused for f in handled if f.refused is not None)
            return ImportOutcome(arrivals, refused)

        def done(outcome: ImportOutcome) -> None:
            self._polling = False
            if self._saving and (outcome.arrivals or outcome.refused):
                self._deferred.append(outcome)  # after the save: a file is never lost (it was moved)
                return
            self._folder_outcome(outcome)

        def failed(failure: TaskFailure) -> None:
            self._polling = False
            self._show_folder(failure.message)

        self._polling = True
        self._runner.run_job(work, on_success=done, on_error=failed, lane=Lane.SLOW)

    def _folder_outcome(self, outcome: ImportOutcome) -> None:
        if outcome.unreachable:
            self._show_folder(self.tr("The watched folder {folder} cannot be reached; looking again every "
                                      "2 seconds.").format(folder=self.preferences.watch_folder))
            return
        self._show_folder()
        if outcome.arrivals or outcome.refused:
            self._arrived(outcome, origin_prefix="扫描文件夹 ")

    # ------------------------------------------------------------------ saving

    def begin_saving(self) -> None:
        self._saving = True

    def end_saving(self) -> None:
        """The save is over (the form is either emptied or kept): what arrived meanwhile goes in now."""
        self._saving = False
        deferred, self._deferred = self._deferred, []
        for outcome in deferred:
            self._folder_outcome(outcome)

    def to_assemble(self) -> list[tuple[ScannedDocument, bytes | None, int | None, str]]:
        """What :func:`assemble_documents` takes: each document with its file name settled and its
        party as an index of the form's parties."""
        items = []
        for entry in self.documents:
            document = entry.document
            party = self._party_number(entry.party)
            if not document.title and entry.party is not None and party is not None:
                # "身份证明-吉𠮷.pdf" rather than a dozen files called "身份证明.pdf" in the dossier.
                name = entry.party.name.text().strip()
                if name:
                    document = replace(document, title=name)
            items.append((document, entry.pdf, party, entry.origin))
        return items

    def assemble(self, panel: ProgressPanel, on_success: Callable[[list[PreparedDocument]], None],
                 on_error: Callable[[TaskFailure], None]) -> None:
        """Every document's PDF, made on a worker with progress and Cancel on ``panel``."""
        items = self.to_assemble()
        control = panel.start(self.tr("Making the PDF files of %Ln document(s)…", "", len(items)))

        def done(prepared: list[PreparedDocument]) -> None:
            panel.finish()
            on_success(prepared)

        def failed(failure: TaskFailure) -> None:
            panel.finish()
            on_error(failure)

        report, cancelled = control.report, control.cancelled  # the job holds no QObject
        self._runner.run_job(lambda: assemble_documents(items, report, cancelled), on_success=done, on_error=failed,
                             lane=Lane.SLOW)

    # ------------------------------------------------------------------ drafts

    def state(self) -> list[dict[str, Any]]:
        """The documents for the draft; their page files are (or are now) beside it."""
        documents = self.documents
        self.store.keep_only(page for d in documents for page in d.document.pages)
        return [document_state(self.store, d.document, pdf=d.pdf, pdf_pages=d.pdf_pages, origin=d.origin,
                               party=self._party_number(d.party)) for d in documents]

    def restore(self, states: object) -> None:
        """Documents back from a draft, linked to the form's parties by position."""
        self.clear()
        if not isinstance(states, list):
            return
        parties = self._parties()
        lost_pages = 0
        lost_documents = 0
        for state in states:
            stored = document_from_state(self.store, state)
            if stored is None:
                lost_documents += 1
                continue
            lost_pages += stored.lost
            party = parties[stored.party] if stored.party is not None and 0 <= stored.party < len(parties) else None
            self.add(stored.document, party=party, pdf=stored.pdf, pdf_pages=stored.pdf_pages, origin=stored.origin,
                     select=False)
        self.select(0)
        if lost_pages or lost_documents:
            self._say(self.tr("Some scanned pages of the draft could not be read back and are missing "
                              "(documents: {documents}, pages: {pages}). Scan them again.").format(
                documents=lost_documents, pages=lost_pages))

    def discard_pages(self) -> None:
        """The draft is gone: so are its page files."""
        self.store.discard()

    # ------------------------------------------------------------------ look

    def _fit_height(self) -> None:
        """Room for the documents there are (two to five rows; more scroll)."""
        rows = max(2, min(5, self.model.rowCount()))
        row = self.list_view.sizeHintForRow(0) if self.model.rowCount() else ICON_SIZE + 6
        row += 2 * self.list_view.spacing()
        self.list_view.setFixedHeight(rows * row + 2 * self.list_view.frameWidth() + 2)

    def _update(self, *_args: object) -> None:
        self._fit_height()
        has_documents = self.model.rowCount() > 0
        self.list_view.setVisible(has_documents)
        self.empty_label.setVisible(not has_documents)
        chosen = self.current_row() >= 0
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)


__all__ = ["DocumentsBox", "PreparedDocument", "assemble_documents"]
