"""Scanning at the counter: the scanner and its options, remembered per desk, and the scan itself.

Finding scanners can take seconds (SANE probes the network; measured 3.6 s on a desk with none),
so it never happens on the GUI thread and never before the clerk first asks to scan; the result
is kept for as long as the form is open (Refresh lists again). The last scanner used and its
options are remembered in the desk's settings, so the next visitor's ID card is one keystroke.

When no scanning support or no scanner is there, the dialog says so in the scanning package's own
words and offers what works without one: importing files, and the watched scan-to-folder of a
networked copier.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk import settings
from mediation_desk.models import AttachmentKind
from mediation_desk.scanning import backends
from mediation_desk.scanning.backends import ColourMode, PaperSource, Scanner, ScannerDevice, ScanSettings
from mediation_desk.scanning.errors import Cancelled, ScanningError
from mediation_desk.scanning.pages import Page
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.typeahead import type_ahead
from mediation_desk.ui.common.widgets import ERROR_STYLE, named
from mediation_desk.ui.scanning.jobs import ProgressPanel
from mediation_desk.ui.scanning.models import KIND_ORDER, FormParty, base_thumbnail, kind_text, mode_text, source_text

if TYPE_CHECKING:
    from mediation_desk.ui.scanning.store import PageStore

log = logging.getLogger(__name__)

DPI_CHOICES = (150, 200, 300, 600)


@dataclass
class ScanPreferences:
    """What this desk scans with, declared once with its defaults (kept in the ``[scanning]``
    section of the desk's settings file, ``settings.DeskFile``)."""

    device: str = ""
    dpi: int = 200
    mode: ColourMode = ColourMode.GRAY
    source: PaperSource = PaperSource.FLATBED
    kind: AttachmentKind = AttachmentKind.IDENTITY
    #: The folder a networked copier scans into; empty: none.
    watch_folder: str = ""
    #: Device options by SANE name, for a scanner that needs one (``{"test_picture": "Color
    #: pattern"}``). Written by an administrator into the settings file as JSON; not in the dialog.
    device_options: dict[str, str | int | float | bool] = field(default_factory=dict)

    @classmethod
    def load(cls, desk: settings.DeskFile | None = None) -> ScanPreferences:
        desk = desk or settings.DeskFile.load()
        defaults = cls()
        try:
            dpi = int(desk.get(settings.SCAN_DPI) or defaults.dpi)
        except ValueError:
            dpi = defaults.dpi
        try:
            options = json.loads(desk.get(settings.SCAN_DEVICE_OPTIONS) or "{}")
        except ValueError:
            options = {}
        return cls(
            device=desk.get(settings.SCAN_DEVICE),
            dpi=dpi if dpi in DPI_CHOICES else defaults.dpi,
            mode=_member(ColourMode, desk.get(settings.SCAN_MODE), defaults.mode),
            source=_member(PaperSource, desk.get(settings.SCAN_SOURCE), defaults.source),
            kind=_member(AttachmentKind, desk.get(settings.SCAN_KIND), defaults.kind),
            watch_folder=desk.get(settings.SCAN_WATCH_FOLDER),
            device_options={str(k): v for k, v in options.items() if isinstance(v, str | int | float | bool)}
            if isinstance(options, dict) else {},
        )

    def save(self) -> None:
        values: dict[settings.DeskOption, str | None] = {
            settings.SCAN_DEVICE: self.device, settings.SCAN_DPI: str(self.dpi), settings.SCAN_MODE: str(self.mode),
            settings.SCAN_SOURCE: str(self.source), settings.SCAN_KIND: str(self.kind),
            settings.SCAN_WATCH_FOLDER: self.watch_folder}
        if self.device_options:
            values[settings.SCAN_DEVICE_OPTIONS] = json.dumps(self.device_options)
        settings.update_desk(values)

    def scan_settings(self) -> ScanSettings:
        # A flatbed scans one sheet a press (the editor scans more); a feeder empties itself.
        pages = 1 if self.source is PaperSource.FLATBED else None
        return ScanSettings(dpi=self.dpi, mode=self.mode, source=self.source, pages=pages,
                            extra_options=dict(self.device_options))


E = TypeVar("E", ColourMode, PaperSource, AttachmentKind)


def _member(enum: type[E], value: object, default: E) -> E:
    """The member whose value is ``value`` (by iteration: the labelled enums' constructors take two
    arguments, which confuses type checkers), else ``default``."""
    return next((member for member in enum if member.value == value), default)


# --------------------------------------------------------------------------- finding scanners


def find_scanners() -> list[Scanner]:
    """The backends that work here; ``ScannerUnavailable`` (saying what to install) when none does."""
    found = backends.available_scanners()
    if not found:
        backends.default_scanner()  # raises ScannerUnavailable with the reason and what to install
    return found


@dataclass(frozen=True)
class FoundScanners:
    devices: tuple[ScannerDevice, ...]
    #: Which backend reaches each device (by device id).
    scanners: Mapping[str, Scanner]
    #: Backends that are installed but could not list their devices (their messages).
    problems: tuple[str, ...] = ()


class ScannerDirectory(QObject):
    """The scanners this desk can reach, listed once on a worker and kept for the form's life."""

    #: The list was (re)read, or reading it failed: look at ``found`` and ``problem``.
    changed = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.found: FoundScanners | None = None
        #: Why there is nothing to scan with (the scanning package's message), or "".
        self.problem = ""
        self.listing = False

    #: Replaced in tests by a function returning fake scanners (or raising ScannerUnavailable).
    find = staticmethod(find_scanners)

    def ensure(self) -> None:
        """List the scanners unless that was done (or is being done) already."""
        if self.found is None and not self.listing:
            self.refresh()

    def refresh(self) -> None:
        if self.listing:
            return
        find = type(self).find

        def work() -> FoundScanners:
            scanners = find()
            devices: list[ScannerDevice] = []
            reach: dict[str, Scanner] = {}
            problems: list[str] = []
            for scanner in scanners:
                try:
                    listed = scanner.devices()
                except ScanningError as exc:
                    problems.append(str(exc))
                    continue
                for device in listed:
                    if device.id not in reach:
                        devices.append(device)
                        reach[device.id] = scanner
            return FoundScanners(tuple(devices), reach, tuple(problems))

        self.listing = True
        self.changed.emit()
        # The slow lane: a scanner search must hold up neither a save nor a list.
        self._runner.run_job(work, on_success=self._listed, on_error=self._failed, lane=Lane.SLOW)

    def _listed(self, found: FoundScanners) -> None:
        self.listing = False
        self.found = found
        self.problem = " ".join(found.problems) if not found.devices else ""
        self.changed.emit()

    def _failed(self, failure: TaskFailure) -> None:
        self.listing = False
        self.found = FoundScanners((), {})
        self.problem = failure.message
        self.changed.emit()

    def scanner_for(self, device_id: str) -> Scanner | None:
        return self.found.scanners.get(device_id) if self.found is not None else None


class ScanDialog(QDialog):
    """Choose the scanner and its options, then scan (Enter); progress and Cancel while it runs.

    For a new document it also asks the document's type and the party it belongs to; for more
    pages of a document open in the page editor it asks only how to scan."""

    #: A successful scan: a :class:`ScanResult`.
    scanned = Signal(object)
    #: The clerk chose to import files instead (no scanner).
    import_instead = Signal()
    #: The clerk chose to set up the watched folder instead (no scanner).
    folder_instead = Signal()

    def __init__(self, runner: TaskRunner, directory: ScannerDirectory, store: PageStore | None,
                 preferences: ScanPreferences, *, parties: Sequence[tuple[FormParty | None, str]] | None = None,
                 party: FormParty | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanDialog")
        self._runner = runner
        self._directory = directory
        self._store = store
        self.preferences = preferences
        self._for_new_document = parties is not None
        self.setWindowTitle(self.tr("Scan a document") if self._for_new_document else self.tr("Scan more pages"))

        self.device = named(QComboBox(), "scanDevice")
        self.device.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device.setMinimumContentsLength(36)
        self.refresh_button = named(QPushButton(self.tr("Look again (F5)")), "scanRefresh")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(directory.refresh)
        self.status = named(QLabel(), "scanStatus")
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(440)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = named(QPushButton(self.tr("Import files instead… (Ctrl+O)")), "scanImportInstead")
        self.folder_button = named(QPushButton(self.tr("Use the watched folder…")), "scanFolderInstead")
        for button in (self.import_button, self.folder_button):
            button.setAutoDefault(False)
        self.import_button.clicked.connect(lambda: self._instead(self.import_instead))
        self.folder_button.clicked.connect(lambda: self._instead(self.folder_instead))
        self.alternatives = named(QWidget(), "scanAlternatives")
        alternatives = QHBoxLayout(self.alternatives)
        alternatives.setContentsMargins(0, 0, 0, 0)
        alternatives.addWidget(self.import_button)
        alternatives.addWidget(self.folder_button)
        alternatives.addStretch(1)

        self.dpi = named(QComboBox(), "scanDpi")
        for dpi in DPI_CHOICES:
            self.dpi.addItem(self.tr("{dpi} dpi").format(dpi=dpi), dpi)
        self.mode = named(QComboBox(), "scanMode")
        for mode in ColourMode:
            self.mode.addItem(mode_text(mode), str(mode))
        self.source = named(QComboBox(), "scanSource")
        for source in PaperSource:
            self.source.addItem(source_text(source), str(source))
        self.kind = named(QComboBox(), "scanKind")
        for kind in KIND_ORDER:
            self.kind.addItem(kind_text(kind), str(kind))
        self.party = named(QComboBox(), "scanParty")
        for owner, label in parties or ():
            self.party.addItem(label, owner)
        for combo in (self.device, self.dpi, self.mode, self.source, self.kind, self.party):
            type_ahead(combo)
        self.progress = ProgressPanel("scanProgress")
        self.scan_button = named(QPushButton(self.tr("Scan")), "scanStart")
        self.scan_button.setDefault(True)
        self.scan_button.clicked.connect(self.scan)
        self.close_button = named(QPushButton(self.tr("Close")), "scanClose")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

        device_row = QHBoxLayout()
        device_row.addWidget(self.device, 1)
        device_row.addWidget(self.refresh_button)
        form = self.form = QFormLayout()
        form.addRow(self.tr("&Scanner"), device_row)
        form.addRow("", self.status)
        form.addRow("", self.alternatives)
        form.addRow(self.tr("&Resolution"), self.dpi)
        form.addRow(self.tr("&Colour"), self.mode)
        form.addRow(self.tr("&Paper"), self.source)
        if self._for_new_document:
            form.addRow(self.tr("Document &type"), self.kind)
            form.addRow(self.tr("&Belongs to"), self.party)
        else:
            self.kind.hide()
            self.party.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.scan_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        QShortcut(QKeySequence("F5"), self, directory.refresh)
        QShortcut(QKeySequence("Ctrl+O"), self, lambda: self._instead(self.import_instead))

        self._choose(self.dpi, preferences.dpi)
        self._choose(self.mode, str(preferences.mode))
        self._choose(self.source, str(preferences.source))
        self._choose(self.kind, str(preferences.kind))
        if party is not None:
            self._choose(self.party, party)
        directory.changed.connect(self._show_devices)
        self._show_devices()
        directory.ensure()

    @staticmethod
    def _choose(combo: QComboBox, value: object) -> None:
        index = next((i for i in range(combo.count()) if combo.itemData(i) is value or combo.itemData(i) == value), -1)
        if index >= 0:
            combo.setCurrentIndex(index)

    # ------------------------------------------------------------------ devices

    def _show_devices(self) -> None:
        directory = self._directory
        wanted = self.device.currentData() or self.preferences.device
        self.device.clear()
        found = directory.found
        devices = found.devices if found is not None else ()
        for device in devices:
            self.device.addItem(self.tr("{label} ({id})").format(label=device.label, id=device.id), device.id)
        if directory.listing:
            self.status.setStyleSheet("")
            self.status.setText(self.tr("Looking for scanners… (this can take a few seconds)"))
        elif found is not None and not devices:
            self.status.setStyleSheet(ERROR_STYLE)
            text = directory.problem or self.tr("No scanner is connected. Check its cable and power, then press "
                                                "F5 to look again.")
            self.status.setText(text + "\n" + self.tr("Without a scanner, import the files of a camera or a "
                                                      "copier, or let a networked copier scan into the watched "
                                                      "folder."))
        else:
            self.status.setStyleSheet("")
            self.status.setText("")
        nothing = found is not None and not devices and not directory.listing
        # Whole rows, so a hidden message leaves no gap.
        self.form.setRowVisible(self.status, bool(self.status.text()))
        self.form.setRowVisible(self.alternatives, nothing)
        self.device.setEnabled(bool(devices))
        self.refresh_button.setEnabled(not directory.listing)
        self._choose(self.device, wanted)
        self.scan_button.setEnabled(bool(devices) and not self.progress.running)
        self._fit()
        if nothing and self.isVisible():
            self.import_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif devices and self.isVisible() and self.focusWidget() in (None, self.import_button, self.folder_button):
            self.device.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_first(self) -> None:
        if self.form.isRowVisible(self.alternatives):
            self.import_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.device.setFocus(Qt.FocusReason.OtherFocusReason)

    def _instead(self, signal: SignalInstance) -> None:
        if self.progress.running:
            return
        self.accept()
        signal.emit()

    # ------------------------------------------------------------------ scanning

    def current_preferences(self) -> ScanPreferences:
        preferences = self.preferences
        preferences.device = str(self.device.currentData() or preferences.device)
        preferences.dpi = int(self.dpi.currentData())
        preferences.mode = _member(ColourMode, self.mode.currentData(), preferences.mode)
        preferences.source = _member(PaperSource, self.source.currentData(), preferences.source)
        if self._for_new_document:
            preferences.kind = _member(AttachmentKind, self.kind.currentData(), preferences.kind)
        return preferences

    def scan(self) -> None:
        if self.progress.running or not self.scan_button.isEnabled():
            return
        preferences = self.current_preferences()
        scanner = self._directory.scanner_for(preferences.device)
        if scanner is None:
            return
        try:
            preferences.save()
        except Exception:  # a settings file that cannot be written must not stop the scan
            log.warning("Could not remember the scanner settings", exc_info=True)
        chosen = preferences.scan_settings()
        device = preferences.device
        kind = preferences.kind
        party = self.party.currentData() if self._for_new_document else None
        store = self._store
        control = self.progress.start(self.tr("Scanning…"))
        # The job holds no QObject (it is dropped on the worker): not the control, and not the party,
        # a form of the intake page, which joins the pages here when they arrive.
        report, cancelled = control.report, control.cancelled
        self._set_running(True)

        def work() -> tuple[tuple[Page, ...], tuple[bytes, ...]]:
            pages = tuple(scanner.scan(device, chosen, progress=report, cancelled=cancelled))
            thumbnails = tuple(base_thumbnail(page) for page in pages)
            if store is not None:
                store.put_pages(pages)  # kept with the draft at once: a crash now loses no page
            return pages, thumbnails

        self._runner.run_job(work, on_success=lambda scanned: self._scanned(ScanResult(*scanned, device, kind, party)),
                             on_error=self._failed, lane=Lane.SLOW)

    def _set_running(self, running: bool) -> None:
        for widget in (self.device, self.refresh_button, self.dpi, self.mode, self.source, self.kind, self.party,
                       self.scan_button, self.close_button):
            widget.setEnabled(not running)
        if running:
            self.progress.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._show_devices()

    def _scanned(self, result: ScanResult) -> None:
        self.progress.finish()
        self._set_running(False)
        if not result.pages:
            self._message(self.tr("The scanner returned no page. Put the document on the glass (or in the "
                                  "feeder) and scan again."))
            return
        self.scanned.emit(result)  # first: the new document is in the list when the focus returns to it
        self.accept()

    def _failed(self, failure: TaskFailure) -> None:
        self.progress.finish()
        self._set_running(False)
        self._message(failure.message, error=not isinstance(failure.error, Cancelled))
        self.scan_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _message(self, text: str, *, error: bool = True) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)
        self.form.setRowVisible(self.status, True)
        self._fit()

    def _fit(self) -> None:
        # A dialog grows with a message but never shrinks by itself: "Looking for scanners…" would
        # leave a gap once the list is there.
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(self.width(), self.sizeHint().height())

    # ------------------------------------------------------------------ closing

    def reject(self) -> None:
        # Esc while scanning stops the scan; the dialog stays, so nothing half-done is left behind.
        if self.progress.running:
            self.progress.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.progress.running:
            self.progress.cancel()
            event.ignore()
            return
        super().closeEvent(event)


@dataclass(frozen=True)
class ScanResult:
    pages: tuple[Page, ...]
    #: Unturned PNG thumbnails, one per page (made on the worker).
    thumbnails: tuple[bytes, ...]
    device: str
    kind: AttachmentKind
    party: FormParty | None


__all__ = ["DPI_CHOICES", "FoundScanners", "ScanDialog", "ScanPreferences", "ScanResult", "ScannerDirectory",
           "find_scanners"]
