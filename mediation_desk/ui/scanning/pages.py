"""The page editor: one document's pages as thumbnails, the chosen page large, and what the
document is (type, title, party).

Everything works from the keyboard. The arrow keys walk the pages; Ctrl+Up and Ctrl+Down move
the chosen page; Ctrl+R turns it clockwise and Ctrl+Shift+R anticlockwise; Del removes it (only
while the page strip has the focus, so Del still deletes characters in the title); Ctrl+Z undoes
and Ctrl+Shift+Z (or Ctrl+Y) redoes; Ctrl+B scans more pages into the document and Ctrl+O adds
pages from files. Enter or Esc closes the editor.

Edits apply at once — the form's list and its draft follow every change — so closing never loses
anything and there is nothing to confirm. Pages are values (``ScannedDocument``), so undo is a
stack of earlier page tuples, and turning a page changes a number, not its pixels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from math import ceil

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPaintEvent, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import AttachmentKind
from mediation_desk.scanning.pages import Page
from mediation_desk.ui.common.widgets import ERROR_STYLE, ImeLineEdit, named
from mediation_desk.ui.scanning.jobs import ProgressPanel
from mediation_desk.ui.scanning.models import KIND_ORDER, FormDocument, FormParty, PageImages, PageListModel, kind_text

MOVE_UP_KEYS = "Ctrl+Up"
MOVE_DOWN_KEYS = "Ctrl+Down"
TURN_RIGHT_KEYS = "Ctrl+R"
TURN_LEFT_KEYS = "Ctrl+Shift+R"
DELETE_KEYS = "Del"
UNDO_KEYS = "Ctrl+Z"
REDO_KEYS = ("Ctrl+Shift+Z", "Ctrl+Y")
SCAN_MORE_KEYS = "Ctrl+B"
ADD_FILES_KEYS = "Ctrl+O"
#: Previews are decoded at one of these sizes (a cache hit while the dialog is resized a little).
PREVIEW_STEPS = 400


def native(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


class PagePreview(QWidget):
    """The chosen page, as large as the space allows, on a grey desk."""

    #: The size it would like to decode the page at changed (the dialog was resized).
    wanted_size_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pagePreview")
        self.setMinimumSize(280, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self.setAccessibleName(self.tr("Preview of the chosen page"))

    @property
    def image(self) -> QImage | None:
        return self._image

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self.update()

    def wanted_size(self) -> int:
        """The longer side to decode at, rounded up so small resizes reuse the decoded page."""
        pixels = max(self.width(), self.height()) * self.devicePixelRatioF()
        return max(PREVIEW_STEPS, ceil(pixels / PREVIEW_STEPS) * PREVIEW_STEPS)

    def page_rect(self) -> QRect:
        """Where the page is drawn: fitted into the widget with a margin, its shape kept."""
        if self._image is None or self._image.isNull():
            return QRect()
        area = self.rect().adjusted(8, 8, -8, -8)
        size = self._image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRect(area.x() + (area.width() - size.width()) // 2, area.y() + (area.height() - size.height()) // 2,
                     size.width(), size.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.darkGray)
        target = self.page_rect()
        if self._image is not None and not target.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.fillRect(target, Qt.GlobalColor.white)
            painter.drawImage(target, self._image)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.wanted_size_changed.emit(self.wanted_size())


class PageEditor(QDialog):
    """Edit one document of the registration."""

    #: After every edit: the document as it is now (a ``FormDocument``).
    changed = Signal(object)
    #: The clerk wants more pages scanned into this document.
    scan_requested = Signal()
    #: The clerk wants pages added from files.
    import_requested = Signal()

    def __init__(self, document: FormDocument, parties: Sequence[tuple[FormParty | None, str]], images: PageImages,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageEditor")
        self._document = document
        self._images = images
        self._undo: list[tuple[Page, ...]] = []
        self._redo: list[tuple[Page, ...]] = []
        self._updating = False
        self.setWindowTitle(self.tr("Pages of the document"))

        # ---- what the document is
        self.kind = named(QComboBox(), "documentKind")
        for kind in KIND_ORDER:
            self.kind.addItem(kind_text(kind), str(kind))
        self.title_edit = named(ImeLineEdit(), "documentTitle")
        self.title_edit.setMaxLength(100)
        self.title_edit.setPlaceholderText(self.tr("Optional; e.g. front and back"))
        self.party = named(QComboBox(), "documentParty")
        for owner, label in parties:
            self.party.addItem(label, owner)
        about = QFormLayout()
        about.addRow(self.tr("Document &type"), self.kind)
        about.addRow(self.tr("T&itle"), self.title_edit)
        about.addRow(self.tr("&Belongs to"), self.party)

        # ---- pages
        self.model = PageListModel(images, self)
        self.pages_view = named(QListView(), "pageStrip")
        self.pages_view.setModel(self.model)
        self.pages_view.setViewMode(QListView.ViewMode.IconMode)
        self.pages_view.setFlow(QListView.Flow.TopToBottom)
        self.pages_view.setWrapping(False)
        self.pages_view.setMovement(QListView.Movement.Static)
        self.pages_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.pages_view.setIconSize(QSize(120, 150))
        self.pages_view.setGridSize(QSize(170, 190))
        self.pages_view.setFixedWidth(200)
        self.pages_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pages_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages_view.setAccessibleName(self.tr("Pages"))
        self.preview = PagePreview()
        self.preview.wanted_size_changed.connect(lambda _size: self._show_preview())
        self.info = named(QLabel(), "pageInfo")
        self.info.setWordWrap(True)
        self.message = named(QLabel(), "pageMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.pdf_note = named(QLabel(), "pdfNote")
        self.pdf_note.setWordWrap(True)
        self.pdf_note.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # ---- operations
        def button(text: str, keys: str, name: str) -> QPushButton:
            widget = named(QPushButton(f"{text} ({native(keys)})"), name)
            widget.setAutoDefault(False)
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            return widget

        self.up_button = button(self.tr("Move up"), MOVE_UP_KEYS, "pageUp")
        self.down_button = button(self.tr("Move down"), MOVE_DOWN_KEYS, "pageDown")
        self.right_button = button(self.tr("Turn right"), TURN_RIGHT_KEYS, "pageTurnRight")
        self.left_button = button(self.tr("Turn left"), TURN_LEFT_KEYS, "pageTurnLeft")
        self.delete_button = button(self.tr("Remove page"), DELETE_KEYS, "pageDelete")
        self.undo_button = button(self.tr("Undo"), UNDO_KEYS, "pageUndo")
        self.redo_button = button(self.tr("Redo"), REDO_KEYS[0], "pageRedo")
        self.scan_button = button(self.tr("Scan more pages"), SCAN_MORE_KEYS, "pageScanMore")
        self.files_button = button(self.tr("Add pages from files"), ADD_FILES_KEYS, "pageAddFiles")
        self.done_button = named(QPushButton(self.tr("Done")), "pageDone")
        self.done_button.setDefault(True)
        self.up_button.clicked.connect(lambda: self.move_page(-1))
        self.down_button.clicked.connect(lambda: self.move_page(1))
        self.right_button.clicked.connect(lambda: self.rotate(1))
        self.left_button.clicked.connect(lambda: self.rotate(-1))
        self.delete_button.clicked.connect(self.delete_page)
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        self.scan_button.clicked.connect(self.scan_requested)
        self.files_button.clicked.connect(self.import_requested)
        self.done_button.clicked.connect(self.accept)
        self.progress = ProgressPanel("pageProgress")

        operations = QGridLayout()
        for index, widget in enumerate((self.up_button, self.down_button, self.right_button, self.left_button,
                                        self.delete_button, self.undo_button, self.redo_button, self.scan_button,
                                        self.files_button)):
            operations.addWidget(widget, index // 5, index % 5)
        middle = QHBoxLayout()
        middle.addWidget(self.pages_view)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.pdf_note, 1)
        right.addWidget(self.info)
        middle.addLayout(right, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addLayout(about)
        layout.addLayout(middle, 1)
        layout.addLayout(operations)
        layout.addWidget(self.progress)
        layout.addLayout(bottom)

        self._shortcut(MOVE_UP_KEYS, lambda: self.move_page(-1))
        self._shortcut(MOVE_DOWN_KEYS, lambda: self.move_page(1))
        self._shortcut(TURN_RIGHT_KEYS, lambda: self.rotate(1))
        self._shortcut(TURN_LEFT_KEYS, lambda: self.rotate(-1))
        self._shortcut(UNDO_KEYS, self.undo)
        for keys in REDO_KEYS:
            self._shortcut(keys, self.redo)
        self._shortcut(SCAN_MORE_KEYS, self._scan_more)
        self._shortcut(ADD_FILES_KEYS, self._add_files)
        # Only on the strip: in the title, Del deletes a character.
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.pages_view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_page)

        self._updating = True
        self.kind.setCurrentIndex(max(0, self.kind.findData(str(document.kind))))
        self.title_edit.setText(document.document.title)
        party_index = next((i for i in range(self.party.count()) if self.party.itemData(i) is document.party), 0)
        self.party.setCurrentIndex(party_index)
        self._updating = False
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.title_edit.textChanged.connect(self._title_changed)
        self.party.currentIndexChanged.connect(self._party_changed)
        self.pages_view.selectionModel().currentChanged.connect(self._current_changed)

        pdf = document.is_pdf
        page_widgets: tuple[QWidget, ...] = (
            self.pages_view, self.preview, self.info, self.up_button, self.down_button, self.right_button,
            self.left_button, self.delete_button, self.undo_button, self.redo_button, self.scan_button,
            self.files_button)
        for page_widget in page_widgets:
            page_widget.setVisible(not pdf)
        self.pdf_note.setVisible(pdf)
        if pdf:
            self.pdf_note.setText(self.tr("This PDF ({pages} pages) is attached exactly as it was received; its "
                                          "pages cannot be changed here. Its type, title and party can.").format(
                pages=document.page_count))
        self.model.set_pages(document.document.pages)
        self.select(0)
        self._update_buttons()
        self.resize(1100, 680)

    def _shortcut(self, keys: str, slot: Callable[[], object]) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.activated.connect(slot)
        return shortcut

    # ------------------------------------------------------------------ state

    @property
    def document(self) -> FormDocument:
        return self._document

    @property
    def pages(self) -> tuple[Page, ...]:
        return self._document.document.pages

    def current_row(self) -> int:
        index = self.pages_view.currentIndex()
        return index.row() if index.isValid() else -1

    def select(self, row: int) -> None:
        if not self.pages:
            return
        row = max(0, min(row, len(self.pages) - 1))
        self.pages_view.selectionModel().setCurrentIndex(
            self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.pages_view.scrollTo(self.model.index(row, 0))
        self._show_current()

    def focus_pages(self) -> None:
        widget = self.kind if self._document.is_pdf else self.pages_view
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _emit(self) -> None:
        self.changed.emit(self._document)

    # ------------------------------------------------------------------ page operations

    def _set_pages(self, pages: tuple[Page, ...], row: int, *, record: bool = True) -> None:
        if record:
            self._undo.append(self.pages)
            self._redo.clear()
        self._document = self._document.edited(replace(self._document.document, pages=pages))
        self.message.clear()
        self.model.set_pages(pages)
        self.select(row)
        self._update_buttons()
        self._emit()

    def move_page(self, delta: int) -> None:
        row = self.current_row()
        target = row + delta
        if self._document.is_pdf or row < 0 or not 0 <= target < len(self.pages):
            return
        self._set_pages(self._document.document.moved(row, target).pages, target)

    def rotate(self, quarter_turns: int) -> None:
        row = self.current_row()
        if self._document.is_pdf or row < 0:
            return
        self._set_pages(self._document.document.rotated(row, quarter_turns).pages, row)

    def delete_page(self) -> None:
        row = self.current_row()
        if self._document.is_pdf or row < 0:
            return
        if len(self.pages) == 1:
            self.message.setText(self.tr("A document keeps at least one page. To drop the whole document, remove "
                                         "it from the list of documents (Del there)."))
            return
        self._set_pages(self._document.document.without(row).pages, min(row, len(self.pages) - 2))

    def add_pages(self, pages: Sequence[Page]) -> None:
        """Pages scanned or imported into this document, after the last one (undoable)."""
        if self._document.is_pdf or not pages:
            return
        first_new = len(self.pages)
        self._set_pages(self._document.document.with_pages(pages).pages, first_new)

    def undo(self) -> None:
        if not self._undo:
            return
        self._redo.append(self.pages)
        self._set_pages(self._undo.pop(), self.current_row(), record=False)

    def redo(self) -> None:
        if not self._redo:
            return
        self._undo.append(self.pages)
        self._set_pages(self._redo.pop(), self.current_row(), record=False)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _scan_more(self) -> None:
        if not self._document.is_pdf and not self.progress.running:
            self.scan_requested.emit()

    def _add_files(self) -> None:
        if not self._document.is_pdf and not self.progress.running:
            self.import_requested.emit()

    def _update_buttons(self) -> None:
        row = self.current_row()
        count = len(self.pages)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        for widget in (self.right_button, self.left_button):
            widget.setEnabled(row >= 0)
        self.delete_button.setEnabled(count > 1 and row >= 0)
        self.undo_button.setEnabled(self.can_undo)
        self.redo_button.setEnabled(self.can_redo)

    # ------------------------------------------------------------------ what the document is

    def _kind_changed(self) -> None:
        if self._updating:
            return
        kind = next((k for k in AttachmentKind if k.value == self.kind.currentData()), self._document.kind)
        self._document = self._document.edited(self._document.document.of_kind(kind))
        self._emit()

    def _title_changed(self, text: str) -> None:
        if self._updating:
            return
        self._document = self._document.edited(self._document.document.retitled(text))
        self._emit()

    def _party_changed(self) -> None:
        if self._updating:
            return
        self._document = self._document.belonging_to(self.party.currentData())
        self._emit()

    # ------------------------------------------------------------------ preview

    def _current_changed(self, current: QModelIndex | QPersistentModelIndex, _previous: object) -> None:
        self._show_current()

    def _show_current(self) -> None:
        self._show_preview()
        self._update_buttons()

    def _show_preview(self) -> None:
        row = self.current_row()
        if row < 0 or row >= len(self.pages):
            self.preview.set_image(None)
            self.info.clear()
            return
        page = self.pages[row]
        self.preview.set_image(self._images.preview(page, self.preview.wanted_size()))
        width, height = page.size_mm
        text = self.tr("Page {number} of {count} · {width:.0f} × {height:.0f} mm · {dpi:.0f} dpi").format(
            number=row + 1, count=len(self.pages), width=width, height=height, dpi=page.dpi[0])
        if page.rotation:
            text += " · " + self.tr("turned {degrees}° clockwise").format(degrees=page.rotation)
        if page.source:
            text += " · " + page.source
        self.info.setText(text)

    # ------------------------------------------------------------------ closing

    def reject(self) -> None:
        # Esc closes like Done (every edit is already applied), unless an import is running.
        if self.progress.running:
            self.progress.cancel()
            return
        super().reject()


__all__ = ["PageEditor", "PagePreview"]
