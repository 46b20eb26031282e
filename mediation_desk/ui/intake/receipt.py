"""The receipt (受理回执) after "save and print": gathered on the read lane, rendered off the GUI
thread into the data folder, then opened in the system's PDF viewer, from which the clerk prints.

reportlab is imported only here, inside the jobs: it costs about half a second, which the desk
spends the first time a receipt is made, never at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from mediation_desk import settings
from mediation_desk.ui.common.tasks import Lane, TaskRunner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.documents.receipt import ReceiptData
    from mediation_desk.services.actor import Actor

FOLDER = "receipts"


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

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        #: How the finished PDF is shown (tests replace it; the desk opens the PDF viewer).
        self.open_document: Callable[[Path], object] = lambda path: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(path)))

    def print_receipt(self, case_id: int) -> None:
        actor = self._actor

        def gather(session: Session) -> ReceiptData:
            from mediation_desk import settings
            from mediation_desk.documents.receipt import ReceiptData
            from mediation_desk.services import cases, center

            # The center's settings the slip prints; missing ones print nothing (the next step its default).
            detail = cases.case_detail(session, actor, case_id)
            the = center.read(session, settings.CENTER_NAME, settings.CENTER_ADDRESS, settings.CENTER_PHONE,
                              settings.RECEIPT_NEXT_STEP)
            return ReceiptData.from_case(
                detail, the.get(settings.CENTER_NAME), the.get(settings.CENTER_ADDRESS),
                the.get(settings.CENTER_PHONE), the.get(settings.RECEIPT_NEXT_STEP), clerk=actor.display_name)

        self._runner.run_read(gather, on_success=self._render, on_error=self.failed.emit)

    def _render(self, data: ReceiptData) -> None:
        def render() -> Path:
            from mediation_desk.documents.receipt import write_receipt

            return write_receipt(data, receipt_path(data.case_number))

        # The read lane: a second of PDF work must not hold up the next registration's write.
        self._runner.run_job(render, on_success=self._done, on_error=self.failed.emit, lane=Lane.READ)

    def _done(self, path: Path) -> None:
        self.ready.emit(path)
        self.open_document(path)


__all__ = ["ReceiptPrinter", "receipt_path"]
