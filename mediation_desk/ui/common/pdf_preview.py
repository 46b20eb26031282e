"""Preview, print and save one of a case's documents inside the app.

The PDF is made by the services (``dossier.render_document``) on the runner's slow lane — a
dossier with its scans takes a second or more, and no list waits behind it — and shown with QtPdf.
Printing draws each page, rendered by QtPdf at the printer's resolution (capped: a 1200 dpi A4
bitmap would be half a gigabyte), onto the printer the user chose in the system print dialog;
"save as" writes the very bytes shown. Both leave an entry in the audit log (``services.printing``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QResizeEvent, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor

#: Pages are rendered for the printer at its resolution, but never finer than this.
MAX_PRINT_DPI = 300
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def render_page(document: QPdfDocument, page: int, dpi: float) -> QImage:
    """Page ``page`` (0-based) at ``dpi`` on white paper (QtPdf renders onto transparency)."""
    points = document.pagePointSize(page)
    size = QSize(max(1, round(points.width() / 72 * dpi)), max(1, round(points.height() / 72 * dpi)))
    rendered = document.render(page, size)
    paper = QImage(size, QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return paper


def safe_filename(title: str) -> str:
    """A file name from a document title (case numbers carry no path separators, but be sure)."""
    cleaned = _UNSAFE_FILENAME.sub("_", title).strip(" ._")
    return (cleaned or "document")[:120] + ".pdf"


class DocumentPreview(QDialog):
    """A document of a case: pages, zoom, print and save. Non-modal; one per document opened."""

    #: The PDF is shown: its page count.
    loaded = Signal(int)
    #: Making the PDF failed: the message shown.
    load_failed = Signal(str)
    #: Pages were sent to a printer: how many.
    printed = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("documentPreview")
        self._runner = runner
        self._actor = actor
        self._title = title
        self._data = b""
        self._case_id: int | None = None
        self._kind = ""
        self._document_id: int | None = None
        self._buffer: QBuffer | None = None
        self.setWindowTitle(title or self.tr("Document preview"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(900, 760)

        self.document = QPdfDocument(self)
        self.view = named(QPdfView(self), "pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        self.previous_button = named(QPushButton(self.tr("Previous page")), "previousPage")
        self.previous_button.setToolTip(self.tr("Previous page (Page Up)"))
        self.page_spin = named(QSpinBox(), "pageSpin")
        self.page_spin.setMinimum(1)
        self.page_spin.setMaximum(1)
        self.page_spin.setKeyboardTracking(False)
        self.page_count_label = named(QLabel(), "pageCountLabel")
        self.next_button = named(QPushButton(self.tr("Next page")), "nextPage")
        self.next_button.setToolTip(self.tr("Next page (Page Down)"))
        self.zoom_out_button = named(QPushButton(self.tr("Zoom out")), "zoomOut")
        self.zoom_out_button.setToolTip(self.tr("Zoom out (Ctrl+-)"))
        self.zoom_label = named(QLabel(), "zoomLabel")
        self.zoom_in_button = named(QPushButton(self.tr("Zoom in")), "zoomIn")
        self.zoom_in_button.setToolTip(self.tr("Zoom in (Ctrl++)"))
        self.fit_button = named(QPushButton(self.tr("Fit width")), "fitWidth")
        self.fit_button.setToolTip(self.tr("Fit the page to the window width (Ctrl+0)"))
        # Pressed while the page follows the window's width; the zoom label beside it shows the
        # scale as a percentage in every mode (it used to repeat the button's 适合宽度).
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.print_button = named(QPushButton(self.tr("Print…")), "printButton")
        self.print_button.setToolTip(self.tr("Print through the system print dialog (Ctrl+P)"))
        self.save_button = named(QPushButton(self.tr("Save as…")), "saveButton")
        self.save_button.setToolTip(self.tr("Save the PDF file (Ctrl+S)"))
        self.close_button = named(QPushButton(self.tr("Close")), "closeButton")

        self.progress = named(QProgressBar(), "renderProgress")
        self.progress.setRange(0, 0)  # busy: the services give no steps
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.status_label = named(QLabel(), "statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addWidget(self.page_spin)
        bar.addWidget(self.page_count_label)
        bar.addWidget(self.next_button)
        bar.addSpacing(16)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.view, 1)

        self.previous_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.page_spin.valueChanged.connect(lambda value: self.go_to_page(value - 1))
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.fit_button.clicked.connect(lambda _checked=False: self.fit_width())
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.close)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.view.zoomFactorChanged.connect(self._show_zoom)
        for keys, slot in (
            (QKeySequence.StandardKey.MoveToPreviousPage, self.previous_page),
            (QKeySequence.StandardKey.MoveToNextPage, self.next_page),
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
            (QKeySequence("Ctrl+0"), self.fit_width),
            (QKeySequence.StandardKey.Print, self.print_document),
            (QKeySequence.StandardKey.Save, self.save_as),
        ):
            QShortcut(keys, self, slot)
        self._set_ready(False)
        self.progress.hide()

    # ------------------------------------------------------------------ loading

    @property
    def data(self) -> bytes:
        """The PDF shown (what printing and saving use)."""
        return self._data

    @property
    def page_count(self) -> int:
        return self.document.pageCount() if self._data else 0

    @property
    def current_page(self) -> int:
        """0-based."""
        return self.view.pageNavigator().currentPage()

    def load_document(self, case_id: int, kind: str, document_id: int | None = None) -> None:
        """Make the document on the read lane, then show it."""
        actor = self._actor
        self._case_id, self._kind, self._document_id = case_id, kind, document_id

        def work(session: Session) -> bytes:
            # Imported on the worker: the first document of a session loads reportlab and the
            # document modules (0.5–1.5 s of imports that froze the window on the GUI thread).
            from mediation_desk.services import dossier

            return dossier.render_document(session, actor, case_id, kind, document_id=document_id)

        self._set_ready(False)
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Preparing the document…"))
        self.status_label.show()
        self.progress.show()
        self._runner.run_slow_read(work, on_success=self._rendered, on_error=self._failed)

    def set_pdf(self, data: bytes, *, case_id: int | None = None, kind: str = "",
                document_id: int | None = None) -> None:
        """Show PDF bytes made elsewhere (the case's document list keeps the ones it checked)."""
        if case_id is not None:
            self._case_id, self._kind, self._document_id = case_id, kind, document_id
        self._rendered(data)

    def _rendered(self, data: bytes) -> None:
        self.progress.hide()
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)  # a QBuffer loads at once (returns nothing in PySide)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() == 0:
            self._data = b""
            self._failed_text(self.tr("The document could not be shown ({error}).").format(
                error=self.document.error().name))
            return
        self._data = data
        count = self.document.pageCount()
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(count)
        self.page_spin.setValue(1)
        self.page_spin.blockSignals(False)
        self.page_count_label.setText(self.tr("of {n}").format(n=f"{count:,}"))  # a month's list: thousands
        self.status_label.hide()
        self._set_ready(True)
        self.fit_width()
        self.view.setFocus()
        self._page_changed(0)
        self.loaded.emit(count)

    def _failed(self, failure: TaskFailure) -> None:
        self.progress.hide()
        self._failed_text(failure.message)

    def _failed_text(self, message: str) -> None:
        self._set_ready(False)
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(message)
        self.status_label.show()
        self.load_failed.emit(message)

    def _set_ready(self, ready: bool) -> None:
        for widget in (self.previous_button, self.next_button, self.page_spin, self.zoom_in_button,
                       self.zoom_out_button, self.fit_button, self.print_button, self.save_button):
            widget.setEnabled(ready)
        if not ready:
            self.page_count_label.clear()
            self.zoom_label.clear()

    # ------------------------------------------------------------------ navigating

    def go_to_page(self, page: int) -> None:
        if not self._data or not 0 <= page < self.document.pageCount():
            return
        self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())

    def previous_page(self) -> None:
        self.go_to_page(self.current_page - 1)

    def next_page(self) -> None:
        self.go_to_page(self.current_page + 1)

    def _page_changed(self, page: int) -> None:
        count = self.document.pageCount()
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self.previous_button.setEnabled(bool(self._data) and page > 0)
        self.next_button.setEnabled(bool(self._data) and page < count - 1)

    def zoom_in(self) -> None:
        self._zoom(self.view.zoomFactor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(self.view.zoomFactor() / ZOOM_STEP)

    def _zoom(self, factor: float) -> None:
        if not self._data:
            return
        if self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth:
            factor *= self.shown_scale() / self.view.zoomFactor()  # from the scale shown, not the old factor
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(MAX_ZOOM, max(MIN_ZOOM, factor)))
        self._show_zoom()

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_zoom()

    def shown_scale(self) -> float:
        """The scale the pages are drawn at (1.0 = actual size on this screen). In 适合宽度 QPdfView
        keeps its own factor, so the scale is worked out as QPdfView does: the viewport's width
        less the document margins over the widest page's width at the screen's resolution."""
        if self.view.zoomMode() != QPdfView.ZoomMode.FitToWidth:
            return self.view.zoomFactor()
        widest = max((self.document.pagePointSize(page).width() for page in range(self.document.pageCount())),
                     default=0.0)
        if widest <= 0:
            return self.view.zoomFactor()
        margins = self.view.documentMargins()
        available = self.view.viewport().width() - margins.left() - margins.right()
        return max(available, 1) / (widest * self.logicalDpiX() / 72)

    def _show_zoom(self, *_args: object) -> None:
        fit = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        self.fit_button.setChecked(fit)
        self.zoom_label.setText(f"{self.shown_scale() * 100:.0f}%")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_zoom()  # in 适合宽度 the scale follows the window

    # ------------------------------------------------------------------ printing and saving

    def print_to(self, printer: QPrinter) -> int:
        """Draw the pages (the printer's page range, else all) on ``printer``; the pages printed."""
        count = self.document.pageCount()
        if not self._data or not count:
            return 0
        first, last = 0, count - 1
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = min(count, printer.fromPage()) - 1
            last = min(count, max(printer.toPage(), printer.fromPage())) - 1
        printer.setFullPage(True)  # the PDF pages carry their own margins
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            for page in range(first, last + 1):
                if page > first:
                    printer.newPage()
                image = render_page(self.document, page, dpi)
                paper = printer.paperRect(QPrinter.Unit.DevicePixel)
                scale = min(paper.width() / image.width(), paper.height() / image.height())
                width, height = image.width() * scale, image.height() * scale
                target = QRectF((paper.width() - width) / 2, (paper.height() - height) / 2, width, height)
                painter.drawImage(target, image)
        finally:
            painter.end()
        return last - first + 1

    def print_document(self) -> None:
        """Ask for a printer in the system dialog, then print."""
        if not self._data:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._title or self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print {title}").format(title=self._title))
        dialog.setMinMax(1, self.document.pageCount())
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if self.exec_print_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        self.print_on(printer)

    def print_on(self, printer: QPrinter) -> None:
        """Print on ``printer`` as it is set (chosen in the dialog, or the desk's default) and log it."""
        pages = self.print_to(printer)
        if pages:
            self._log_output("print", pages, copies=printer.copyCount(),
                             target=printer.printerName() or Path(printer.outputFileName()).name)
            self.printed.emit(pages)

    def exec_print_dialog(self, dialog: QPrintDialog) -> int:
        """Show the print dialog; its result (a seam: tests answer it without a blocking exec)."""
        return dialog.exec()

    def save_to(self, path: Path) -> None:
        from mediation_desk.files import write_atomically

        write_atomically(path, self._data, what="PDF 文件")
        self._log_output("save", self.document.pageCount(), target=path.name)

    def save_as(self) -> None:
        if not self._data:
            return
        name = file_dialogs.save_file_name(self, self.tr("Save the document as"), file_dialogs.PDF,
                                           safe_filename(self._title or self.windowTitle()),
                                           self.tr("PDF files (*.pdf)"))
        if not name:
            return
        path = Path(name if name.lower().endswith(".pdf") else f"{name}.pdf")
        try:
            self.save_to(path)
        except OSError as exc:
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText(self.tr("The file could not be written: {error}").format(error=exc.strerror))
            self.status_label.show()
            return
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Saved to {path}").format(path=str(path)))
        self.status_label.show()

    def _log_output(self, output: str, pages: int, *, copies: int = 1, target: str = "") -> None:
        case_id = self._case_id
        if case_id is None:
            return
        actor, kind, document_id = self._actor, self._kind, self._document_id

        def work(session: Session) -> None:
            from mediation_desk.services import printing  # on the worker, as in load_document

            printing.record_output(session, actor, case_id, kind, output=output, pages=pages,
                                   document_id=document_id, copies=copies, target=target)

        # Only the audit log changes: no view shows it, so nothing is announced.
        self._runner.run_write(work, on_error=self._log_failed)

    def _log_failed(self, failure: TaskFailure) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(self.tr("The copy was made but not entered in the audit log: {message}").format(
            message=failure.message))
        self.status_label.show()


def open_preview(runner: TaskRunner, actor: Actor, parent: QWidget | None, case_id: int, kind: str, *,
                 title: str, document_id: int | None = None, data: bytes | None = None) -> DocumentPreview:
    """Open a non-modal preview window of a case document (made on the read lane unless given)."""
    preview = DocumentPreview(runner, actor, parent, title=title)
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.show()
    if data is not None:
        preview.set_pdf(data, case_id=case_id, kind=kind, document_id=document_id)
    else:
        preview.load_document(case_id, kind, document_id)
    return preview


__all__ = ["DocumentPreview", "open_preview", "render_page", "safe_filename"]
