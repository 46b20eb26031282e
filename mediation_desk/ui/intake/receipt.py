"""The receipt (受理回执) after "save and print": gathered on the read lane, rendered on the slow
lane into the data folder (a copy kept), then shown in the in-app preview with the print dialog
over it — Esc leaves the preview, whose 打印 (Ctrl+P) asks again; a desk set to print receipts
straight away prints on its default printer instead and shows the preview with what was done.

reportlab is imported only here, inside the jobs, never before the first rows: it costs about half
a second, and its fonts as much again, which the desk's warm-up after its first rows has usually
spent already (``ui.app.warm_up_documents``), else the first receipt does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

from mediation_desk import settings
from mediation_desk.ui.common.tasks import Lane, TaskRunner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.documents.receipt import ReceiptData
    from mediation_desk.services.actor import Actor
    from mediation_desk.ui.common.pdf_preview import DocumentPreview

FOLDER = "receipts"
#: The document kind the audit log names for a printed receipt.
RECEIPT_KIND = "receipt"


def default_printer() -> QPrinter | None:
    """The system's default printer, or None when the desk has none."""
    if QPrinterInfo.defaultPrinter().isNull():
        return None
    return QPrinter(QPrinterInfo.defaultPrinter(), QPrinter.PrinterMode.HighResolution)


def receipt_path(case_number: str) -> Path:
    folder = settings.data_dir() / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    # Case numbers hold only characters every file system accepts: （2026）甘矛调字第0001号.
    safe = "".join(c for c in case_number if c not in '\\/:*?"<>|').strip()
    return folder / f"受理回执_{safe}.pdf"


class ReceiptPrinter(QObject):
    """Makes the receipt of a case and opens it."""

    #: The PDF was written: its path.
    ready = Signal(object)
    #: Making it failed: a ``TaskFailure``.
    failed = Signal(object)
    #: The preview of a receipt was opened (the print dialog follows, or the printing was done).
    preview_opened = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        #: The case and number of each receipt written (its audit entry names the case).
        self._cases: dict[Path, tuple[int, str]] = {}
        #: The receipt's preview last opened.
        self.preview: DocumentPreview | None = None
        #: How the finished PDF is shown: the in-app preview, then printing.
        self.open_document: Callable[[Path], object] = self.preview_and_print
        #: The desk's default printer (tests give a PDF file "printer").
        self.default_printer: Callable[[], QPrinter | None] = default_printer

    def print_receipt(self, case_id: int) -> None:
        actor = self._actor

        def gather(session: Session) -> ReceiptData:
            from mediation_desk import settings
            from mediation_desk.documents.receipt import ReceiptData
            from mediation_desk.services import cases, center

            # The registering center's name, address and phone (a township's slip names the township
            # and gives its own; one it has not kept is a line to write on); the next step is county-wide.
            detail = cases.case_detail(session, actor, case_id)
            issuing = center.issuer(session, case_id)
            return ReceiptData.from_case(
                detail, issuing.center_name, issuing.address, issuing.phone,
                center.get(session, settings.RECEIPT_NEXT_STEP), clerk=actor.display_name)

        self._runner.run_read(gather, on_success=lambda data: self._render(data, case_id),
                              on_error=self.failed.emit)

    def _render(self, data: ReceiptData, case_id: int) -> None:
        def render() -> Path:
            from mediation_desk.documents.receipt import write_receipt

            return write_receipt(data, receipt_path(data.case_number))

        # The slow lane: a second of PDF work must hold up neither the next registration's write nor its reads.
        self._runner.run_job(render, on_success=lambda path: self._done(path, case_id, data.case_number),
                             on_error=self.failed.emit, lane=Lane.SLOW)

    def _done(self, path: Path, case_id: int, number: str) -> None:
        self._cases[path] = (case_id, number)
        self.ready.emit(path)
        self.open_document(path)

    def preview_and_print(self, path: Path) -> DocumentPreview:
        """The receipt in the in-app preview; then the print dialog over it (Esc: the preview is
        there, Ctrl+P asks again), or, on a desk set so, straight to the default printer."""
        # Imported here: the main window makes this printer, and QtPdf with the preview's module
        # would otherwise be loaded before the first rows of a sign-in (issue 20 item 1).
        from mediation_desk.ui.common.pdf_preview import DocumentPreview

        parent = self.parent()
        case_id, number = self._cases.get(path, (None, path.stem))
        preview = DocumentPreview(self._runner, self._actor, parent if isinstance(parent, QWidget) else None,
                                  title=self.tr("Receipt {number}").format(number=number))
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.set_pdf(path.read_bytes(), case_id=case_id, kind=RECEIPT_KIND)
        preview.show()
        self.preview = preview
        self.preview_opened.emit(preview)
        printer = self.default_printer() if settings.receipt_direct_print() else None
        if printer is not None:
            preview.print_on(printer)
            preview.status_label.setText(self.tr("Sent to the printer {printer}.").format(
                printer=printer.printerName() or Path(printer.outputFileName()).name))
            preview.status_label.show()
        else:
            # After this turn of the loop: the dialog is modal, the preview already on screen.
            QTimer.singleShot(0, preview, preview.print_document)
        return preview


__all__ = ["RECEIPT_KIND", "ReceiptPrinter", "default_printer", "receipt_path"]
