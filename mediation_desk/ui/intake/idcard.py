"""Reading a party's resident ID card into the registration form.

A party's "Read from ID card…" offers the scanner (the documents section's scan dialog and its
scanner list) or image files; image files dropped on a party are read at once. The OCR
(``scanning.idcard``, about half a second to two a card) runs on the slow lane, where scans run too
— never on the GUI thread, and never in front of the lists and look-ups a person waits for. The
party then fills its fields and marks each "from the card" until the clerk confirms it
(``PartyForm.fill_from_id_card``); the card's images become the party's 身份证 document of the
registration (unless it has one already), and the cursor goes to the first field the card does not
give (the phone), so the clerk types on without looking for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QApplication, QMenu

from mediation_desk.models import AttachmentKind, now
from mediation_desk.scanning.idcard import IdCardReading, read_id_card, read_id_card_files
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskHandle, TaskRunner

if TYPE_CHECKING:
    from mediation_desk.ui.intake.party import PartyForm
    from mediation_desk.ui.scanning.dialog import ScanResult
    from mediation_desk.ui.scanning.documents import DocumentsBox


class IdCardReader(QObject):
    """Reads ID cards for the parties of one registration form."""

    #: A reading ended (filled, or failed with a message on the party): the party.
    finished = Signal(object)

    def __init__(self, runner: TaskRunner, documents: DocumentsBox | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._documents = documents
        #: The reading in flight per party (a second request for the same party waits for it).
        self.reading: dict[int, TaskHandle] = {}

    def attach(self, party: PartyForm) -> None:
        party.id_card_requested.connect(self.choose)
        party.id_card_dropped.connect(self.read_files)

    # ------------------------------------------------------------------ where the card comes from

    def choose(self, party: PartyForm) -> None:
        menu = QMenu(party)
        menu.setObjectName("idCardMenu")
        scan = menu.addAction(self.tr("Scan the ID card…"))
        scan.setEnabled(self._documents is not None)
        files = menu.addAction(self.tr("Choose the card's images…"))
        button = party.id_card_button
        chosen = menu.exec(button.mapToGlobal(QPoint(0, button.height())))
        if chosen is scan:
            self.scan(party)
        elif chosen is files:
            self.choose_files(party)

    def choose_files(self, party: PartyForm) -> None:
        paths = file_dialogs.open_file_names(
            party, self.tr("Images of the ID card (front and back)"), file_dialogs.ID_CARD,
            self.tr("Images (*.jpg *.jpeg *.png *.tif *.tiff)"))
        if paths:
            self.read_files(party, paths[:2])

    def scan(self, party: PartyForm) -> None:
        documents = self._documents
        if documents is None:
            return
        from mediation_desk.ui.scanning.dialog import ScanDialog

        dialog = ScanDialog(self._runner, documents.directory, documents.store, documents.preferences, parent=party)
        dialog.setWindowTitle(self.tr("Scan the ID card"))

        def scanned(result: ScanResult) -> None:
            images = [(f"扫描第 {number} 页.{page.format.value}", page.data)
                      for number, page in enumerate(result.pages[:2], start=1)]
            card = replace(result, kind=AttachmentKind.IDENTITY, party=party)
            self._read(party, lambda: read_id_card(images, today=now().date()),
                       keep=lambda: documents.add_scanned(card))

        dialog.scanned.connect(scanned)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # ------------------------------------------------------------------ reading

    def read_images(self, party: PartyForm, images: Sequence[tuple[str, bytes]]) -> None:
        """A card already among the documents (scanned or imported for this party): read it."""
        chosen = list(images)[:2]
        self._read(party, lambda: read_id_card(chosen, today=now().date()))

    def read_files(self, party: PartyForm, paths: Sequence[str]) -> None:
        chosen = list(paths)[:2]
        documents = self._documents

        def keep() -> None:
            if documents is not None:
                documents.import_paths(chosen, kind=AttachmentKind.IDENTITY, party=party)

        self._read(party, lambda: read_id_card_files(chosen, today=now().date()), keep=keep)

    def _read(self, party: PartyForm, work: Callable[[], IdCardReading],
              keep: Callable[[], None] | None = None) -> None:
        """Read on the slow lane; on success fill the party and ``keep`` the card's images as its
        身份证 document (if it has none yet)."""
        if id(party) in self.reading:
            return
        party.show_card_status(self.tr("Reading the ID card…"))
        party.id_card_button.setEnabled(False)

        ended = False

        def done(reading: IdCardReading) -> None:
            nonlocal ended
            ended = True
            self.reading.pop(id(party), None)
            party.id_card_button.setEnabled(True)
            party.fill_from_id_card(reading)
            if keep is not None and self._documents is not None and not self._documents.has_identity_of(party):
                keep()
            self._type_on(party, self._documents)
            self.finished.emit(party)

        def failed(failure: TaskFailure) -> None:
            nonlocal ended
            ended = True
            self.reading.pop(id(party), None)
            party.id_card_button.setEnabled(True)
            party.show_card_status(failure.message, error=True)
            self.finished.emit(party)

        handle = self._runner.run_job(work, on_success=done, on_error=failed, lane=Lane.SLOW)
        if not ended:  # a synchronous runner (tests) has delivered already
            self.reading[id(party)] = handle

    @staticmethod
    def _type_on(party: PartyForm, documents: DocumentsBox | None) -> None:
        """The cursor to the party's phone when the card left it empty, if the clerk is still at this
        party or at the documents the card was scanned into: they type on without looking."""
        focus = QApplication.focusWidget()
        if focus is not None and focus.window() is party.window() and not party.isAncestorOf(focus) and not (
                documents is not None and documents.isAncestorOf(focus)):
            return  # the clerk went on to another field meanwhile: theirs
        # (A dialog that is closing still has the keyboard: the phone gets it when the form's window
        # is active again.)
        if party.phone.text().strip() or not party.phone.isVisibleTo(party):
            return
        party.phone.setFocus(Qt.FocusReason.OtherFocusReason)
