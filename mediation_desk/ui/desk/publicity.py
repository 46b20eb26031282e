"""The head's publicity section (公示): pick a month, preview the masked list, approve it, export
it as PDF or print it, or export the approved list as the web page the center uploads
(导出网页: a folder ``公示网页_<month>`` in the folder chosen, docs/publicity.md).

The table shows the list as it reads now (what approving would keep): the month's first rows and
total at once, the rest read by window as they are scrolled into view (a county's month lists tens
of thousands of cases); rows whose case changed since the last approval are highlighted and counted
in the status line (an approved month's changes checked page by page in the background). Exporting and printing
always use what the services print: the approved snapshot when there is one, else a preview
marked 未审核. PDFs are built off the GUI thread; printing paints the PDF's pages (rendered by
QtPdf) onto the printer, so paper and file are the same document, on the slow lane too (Qt paints
on a QPrinter from any thread, one thread at a time). A month lists thousands of pages: an export
or a print says how far it is (twice a second, from the worker) and can be stopped (取消,
checked at every page: an export stopped writes no file); a print honours the dialog's page range
and asks first when it is long (more than :data:`CONFIRM_PAGES` pages).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from datetime import date
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QImage, QPagedPaintDevice, QPageLayout, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import Role
from mediation_desk.readmodels.publicity import (
    ACCEPTED,
    ChangedCase,
    Feedback,
    Month,
    PrintableList,
    PublicityRow,
    PublicPage,
)
from mediation_desk.services import publicity
from mediation_desk.services.publicity import FirstPage, Listing, Overview, RowsPage
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.center_contacts import CenterContactsDialog
from mediation_desk.ui.common.confirm import confirm_irreversible
from mediation_desk.ui.common.date_field import DateField, FieldKind
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import (
    ERROR_STYLE,
    OK_STYLE,
    RefreshWhenShown,
    RowsTable,
    named,
    widen_to_contents,
)

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter
    from sqlalchemy.orm import Session

    from mediation_desk.changes import Changes
    from mediation_desk.documents.publicity import Page, Progress
    from mediation_desk.services.actor import Actor

CHANGED_BACKGROUND = QColor("#FFE9A8")
#: Resolution pages are painted at for a printer (enough for 小五 text and the table rules); a
#: device of a lower resolution gets its own.
PRINT_DPI = 300
#: A print of more pages than this asks first (a month of a county's center runs to thousands).
CONFIRM_PAGES = 20
#: Seconds between two reports of a long job's progress to the GUI thread (and a first and last one).
#: Twice a second: at five a second, the 1M demo's export cost ~1 s more CPU than without progress
#: (more of the collector's full passes on the GUI thread: bench/publicity_progress.py); at two, none.
PROGRESS_INTERVAL = 0.5


#: A row as the table keeps it: the fields of a PublicityRow, in their order, in a plain tuple.
_Line = tuple[Any, ...]
_LINE_OF = attrgetter(*(f.name for f in fields(PublicityRow)))

#: Rows per window read when scrolled into view: a screen holds ~25 rows, so one window covers
#: several screens of scrolling, and one read of it (rows_page) takes tens of milliseconds.
WINDOW = 200
#: Windows kept (least recently shown dropped first): 30 × 200 = 6,000 rows besides the first ones.
MAX_WINDOWS = 30
#: Window reads under way at once, and windows waiting for their turn: when the user scrolls on,
#: older waiting ones are dropped (the view asks again for whatever it still paints).
MAX_READING = 2
MAX_WAITING = 4
#: What a row not yet read shows in its number column.
PLACEHOLDER = "…"


def _line(row: PublicityRow) -> _Line:
    line: _Line = _LINE_OF(row)
    return line


class _Lines(list[_Line]):
    """Rows of the month (a list of its own kind: one may hold a weak reference to it)."""

    __slots__ = ("__weakref__",)


#: Reads the rows (offset, limit) and calls back with them and the cases among them changed since
#: the approval, or with the failure.
WindowReader = Callable[[int, int, Callable[[Sequence[PublicityRow], frozenset[int]], None],
                         Callable[[TaskFailure], None]], None]


class PublicityRowsModel(RowsModel[PublicityRow]):
    """The month's list, lazily: a month of a county-sized center lists ~90,000 rows (the
    million-case demo), and the table never holds them all. The model knows the month's total (the
    service's :class:`Listing`), keeps the first rows read with the month and, past them, a bounded
    cache of windows of :data:`WINDOW` rows; a row painted that is not there shows
    :data:`PLACEHOLDER` and its window is asked of :attr:`reader` (``rows_page`` at the window's
    offset, on the read lane), arriving by ``dataChanged``. Everything that needs the whole month
    (the counts per part, the changes since approval, approving, printing, the web page) is the
    service's, never this model's.

    Rows are kept as plain tuples of their texts (:data:`_Line`), which Python's collector stops
    following after its first pass (docs/performance-log.md, "The publicity list and the
    collector"); PublicityRows are made again when asked (``row_at``, RowRole)."""

    CONTEXT = "PublicityRowsModel"
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("PublicityRowsModel", "Part"),
        QT_TRANSLATE_NOOP("PublicityRowsModel", "Case number"),
        QT_TRANSLATE_NOOP("PublicityRowsModel", "Dispute type"),
        QT_TRANSLATE_NOOP("PublicityRowsModel", "Accepted on"),
        QT_TRANSLATE_NOOP("PublicityRowsModel", "Applicants"),
        QT_TRANSLATE_NOOP("PublicityRowsModel", "Respondents"),
        QT_TRANSLATE_NOOP("PublicityRowsModel", "Team"),
        QT_TRANSLATE_NOOP("PublicityRowsModel", "State or result"),
        QT_TRANSLATE_NOOP("PublicityRowsModel", "Closed on"),
    )
    _FIELDS = ("section", "number", "dispute_type", "accepted_on", "applicants", "respondents", "team", "status",
               "closed_on")
    #: Where each column's text is in a line (the line starts with the case id).
    _AT = tuple(tuple(f.name for f in fields(PublicityRow)).index(name) for name in _FIELDS)
    #: True on rows whose case changed since the approval.
    ChangedRole = Qt.ItemDataRole.UserRole + 3

    #: A window arrived and is shown: its first and last row.
    rows_loaded = Signal(int, int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._changed: frozenset[int] = frozenset()
        self._total = 0
        self._first = _Lines()
        self._windows: OrderedDict[int, _Lines] = OrderedDict()
        #: Windows asked for, newest last, and those being read.
        self._waiting: list[int] = []
        self._reading: set[int] = set()
        #: Windows were dropped from the wait since the view last painted all it asked for.
        self._dropped = False
        #: Bumped by every new list, so that a window read for an older one is dropped.
        self._generation = 0
        #: Reads a window (the panel's: rows_page on the read lane); None: rows past the first stay unread.
        self.reader: WindowReader | None = None
        self._ask_timer = QTimer(self)
        self._ask_timer.setSingleShot(True)
        self._ask_timer.setInterval(0)
        self._ask_timer.timeout.connect(self._ask)

    # ------------------------------------------------------------------ the list

    def set_rows(self, rows: Sequence[PublicityRow]) -> None:
        """A whole list (every row given: nothing to read later)."""
        self.set_list(rows, self._changed)

    def set_list(self, rows: Sequence[PublicityRow], changed: frozenset[int], total: int | None = None) -> None:
        """A new list of ``total`` rows (all of ``rows`` when None), ``rows`` its first ones; the
        rest are read by window when shown."""
        self.beginResetModel()
        self._generation += 1
        self._changed = changed
        self._first = _Lines(map(_line, rows))
        self._total = len(self._first) if total is None else max(total, len(self._first))
        self._windows.clear()
        self._waiting.clear()
        self._reading.clear()
        self._dropped = False
        self.endResetModel()

    def add_changed(self, changed: frozenset[int]) -> None:
        """More cases to mark as changed since the approval (found by the panel's check of the month)."""
        if changed - self._changed:
            self._changed = self._changed | changed
            if self._total:
                self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(self.HEADERS) - 1))

    def set_changed(self, changed: frozenset[int]) -> None:
        """Exactly these cases marked as changed."""
        if changed != self._changed:
            self._changed = changed
            if self._total:
                self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(self.HEADERS) - 1))

    @property
    def total(self) -> int:
        return self._total

    @property
    def first_rows(self) -> int:
        """How many rows came with the list (always kept)."""
        return len(self._first)

    @property
    def rows(self) -> list[PublicityRow]:
        """The rows held now, in the list's order (the first rows and the windows kept; not the month)."""
        return [PublicityRow(*line) for line in self._held()]

    def column_texts(self, column: int) -> list[str]:
        at = self._AT[column]
        return [str(line[at]) for line in self._held()]

    def _held(self) -> list[_Line]:
        lines = list(self._first)
        for window in sorted(self._windows):
            lines.extend(self._windows[window])
        return lines

    def row_at(self, row: int) -> PublicityRow | None:
        """The row, if it is held now (None: not read yet, or out of range)."""
        line = self._line(row, want=False)
        return PublicityRow(*line) if line is not None else None

    def is_loaded(self, row: int) -> bool:
        return self._line(row, want=False) is not None

    def load_rows(self, first: int, last: int) -> None:
        """Ask for the windows of rows ``first`` … ``last`` now (the view asks as it paints)."""
        for row in range(max(first, len(self._first)), min(last, self._total - 1) + 1, WINDOW):
            self._line(row)
        if last >= len(self._first) and last < self._total:
            self._line(last)

    @property
    def changed(self) -> frozenset[int]:
        """The cases whose rows are marked as changed since the approval."""
        return self._changed

    # ------------------------------------------------------------------ windows

    def _line(self, row: int, want: bool = True) -> _Line | None:
        first = self._first
        if row < len(first):
            return first[row] if row >= 0 else None
        if row >= self._total:
            return None
        window, at = divmod(row - len(first), WINDOW)
        lines = self._windows.get(window)
        if lines is None:
            if want:
                self._want(window)
            return None
        if want:
            self._windows.move_to_end(window)
        return lines[at] if at < len(lines) else None

    def _want(self, window: int) -> None:
        if window in self._reading:
            return
        waiting = self._waiting
        if window in waiting:
            if waiting[-1] != window:
                waiting.remove(window)
                waiting.append(window)
            return
        waiting.append(window)
        if len(waiting) > MAX_WAITING:
            del waiting[:-MAX_WAITING]
            self._dropped = True
        if not self._ask_timer.isActive():
            self._ask_timer.start()  # never from inside data(): the view is painting

    def _ask(self) -> None:
        reader = self.reader
        if reader is None:
            self._waiting.clear()
            return
        while self._waiting and len(self._reading) < MAX_READING:
            window = self._waiting.pop()  # the newest first: the rows the user looks at now
            self._reading.add(window)
            offset = len(self._first) + window * WINDOW
            generation = self._generation
            reader(offset, min(WINDOW, self._total - offset),
                   partial(self._arrived, generation, window), partial(self._lost, generation, window))

    def _arrived(self, generation: int, window: int, rows: Sequence[PublicityRow], changed: frozenset[int]) -> None:
        if generation != self._generation:
            return
        self._reading.discard(window)
        self._windows[window] = _Lines(map(_line, rows))
        while len(self._windows) > MAX_WINDOWS:
            self._windows.popitem(last=False)
        first = len(self._first) + window * WINDOW
        last = min(first + len(rows), self._total) - 1
        if changed - self._changed:
            self.add_changed(changed)
        elif self._dropped and not self._waiting and not self._reading:
            # Rows still shown may have lost their window's turn: the whole view paints again
            # (only what it shows), asking for whatever it still lacks.
            self._dropped = False
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(self.HEADERS) - 1))
        elif last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.HEADERS) - 1))
        if last >= first:
            self.rows_loaded.emit(first, last)
        if self._waiting:
            self._ask_timer.start()

    def _lost(self, generation: int, window: int, _failure: TaskFailure) -> None:
        if generation == self._generation:
            self._reading.discard(window)  # asked again when painted again

    # ------------------------------------------------------------------ Qt

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._total:
            return None
        column = index.column()
        if not 0 <= column < len(self.HEADERS):
            return None
        line = self._line(index.row())
        if line is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return PLACEHOLDER if column == 1 else ""
            return False if role == self.ChangedRole else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = str(line[self._AT[column]])
            return text if role == Qt.ItemDataRole.DisplayRole else text or None
        if role == self.RowRole:
            return PublicityRow(*line)
        if role == self.CaseIdRole:
            return line[0]
        changed = line[0] in self._changed
        if role == self.ChangedRole:
            return changed
        if role == Qt.ItemDataRole.BackgroundRole and changed:
            return QBrush(CHANGED_BACKGROUND)
        return None

    def text(self, row: PublicityRow, column: int) -> str:
        return str(getattr(row, self._FIELDS[column]))


class Cancelled(Exception):
    """取消 was pressed: the job stops at the next page."""


class LongJob:
    """An export or a print as its worker sees it: where it is, told to the panel at most every
    ``interval`` seconds (the first and the last page always), and whether 取消 was pressed,
    looked at before every page. Made on the GUI thread, used on the worker."""

    def __init__(self, report: Callable[[int, int, int], None], interval: float = PROGRESS_INTERVAL, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._report = report
        self._interval = interval
        self._clock = clock
        self._stop = threading.Event()
        self._last = -math.inf
        #: The step under way (the panel's EXPORTING, RENDERING, PRINTING) and its pages done.
        self.step = 0
        self.done = 0

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def check(self) -> None:
        if self._stop.is_set():
            raise Cancelled

    def pages(self, step: int) -> Progress:
        """The ``progress`` of a drawing: tells the panel, and stops it (:class:`Cancelled`) when
        取消 was pressed before its last page."""
        def told(done: int, total: int) -> None:
            self.step, self.done = step, done
            now = self._clock()
            if done in (0, total) or now - self._last >= self._interval:
                self._last = now
                self._report(step, done, total)
            if done < total:
                self.check()
        return told


def page_range(device: QPagedPaintDevice, total: int) -> tuple[int, int]:
    """The pages (first, last; counted from 1) of a list of ``total`` pages the print dialog
    asked for: its 页码范围, when one was given (a device without one prints them all), cut to the
    list's pages. ``first > last`` when the range holds none of them."""
    from_page = getattr(device, "fromPage", None)
    to_page = getattr(device, "toPage", None)
    first, last = (from_page(), to_page()) if from_page is not None and to_page is not None else (0, 0)
    if first <= 0 and last <= 0:
        return 1, total
    return max(first, 1), min(last if last > 0 else total, total)


def paint_pdf(pdf: bytes, device: QPagedPaintDevice, dpi: int | None = None, *,
              progress: Progress | None = None) -> int:
    """Paint every page of ``pdf`` onto ``device`` (a QPrinter, a QPdfWriter), one page per
    sheet, scaled to the sheet's printable area; returns the number of pages painted. Pages are
    rendered at ``dpi`` (the device's resolution, at most :data:`PRINT_DPI`, when None).
    ``progress`` is told (pages painted, pages) before the first page and after each; when it
    raises, the print is aborted (``QPrinter.abort``) and the error goes on. Any thread may
    paint (one at a time on a device)."""
    from PySide6.QtPdf import QPdfDocument

    if dpi is None:
        dpi = max(1, min(PRINT_DPI, device.logicalDpiX()))

    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise ValueError(f"the PDF could not be read: {document.error()}")
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(device):
        raise RuntimeError("the printer could not be started")
    aborted = False
    try:
        if progress is not None:
            progress(0, pages)
        for index in range(pages):
            if index:
                device.newPage()
            page = document.pagePointSize(index)
            size = QSize(round(page.width() * dpi / 72), round(page.height() * dpi / 72))
            image = render_page(document, index, size)
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(QPoint(0, 0), scaled), image)
            if progress is not None:
                progress(index + 1, pages)
    except BaseException:
        abort = getattr(device, "abort", None)  # a QPrinter: the spooler drops the job
        if abort is not None:
            abort()
            aborted = True
        raise
    finally:
        painter.end()
        document.close()
        buffer.close()
        if aborted and (file_name := printed_to_file(device)):
            # Printed to a file (打印到文件, a PDF printer): the spooler had nothing to drop, and the
            # pages already written would stay behind as a PDF cut short.
            Path(file_name).unlink(missing_ok=True)
    return pages


def printed_to_file(device: QPagedPaintDevice) -> str:
    """The file a QPrinter prints into (the print dialog's 打印到文件, a PDF printer); "" for a
    real printer and any other device."""
    output = getattr(device, "outputFileName", None)
    return str(output()) if output is not None else ""


def render_page(document: Any, index: int, size: QSize) -> QImage:
    """One page as an opaque image: QtPdf renders onto transparency, paper is white."""
    rendered = document.render(index, size)
    if rendered.isNull():
        raise ValueError(f"page {index + 1} of the PDF could not be rendered")
    image = QImage(rendered.size(), QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


class FeedbackDialog(CenterContactsDialog):
    """How the public gives feedback, as the web page shows it: the center's address, phone and
    mailbox (the address and phone are the center's papers' too: the same fields as its profile,
    ``ui/common/center_contacts.py``). Saved on the write lane; a refusal is shown here and what
    was typed stays."""

    def __init__(self, runner: TaskRunner, actor: Actor, current: Feedback, parent: QWidget | None = None) -> None:
        super().__init__(runner, current.address, current.phone, "feedback", parent)
        self.setObjectName("publicityFeedbackDialog")
        self.setWindowTitle(self.tr("Feedback contacts of the public page"))
        self._actor = actor
        self.email_edit = named(QLineEdit(current.email), "feedbackEmail")
        self.email_edit.setPlaceholderText(self.tr("e.g. gzmtzx@example.cn"))
        self.email_edit.setMaxLength(200)
        self.lay_out([("email", self.tr("Mailbox:"), self.email_edit)])

    def write(self) -> Callable[[Session], Feedback]:
        data = Feedback(self.address_edit.text(), self.phone_edit.text(), self.email_edit.text())
        actor = self._actor
        return lambda session: publicity.set_feedback(session, actor, data)


class PublicityPanel(QWidget):
    """The publicity list of one month, for the center head."""

    #: A month's overview arrived and is shown.
    loaded = Signal(object)
    #: A PDF was written: its path.
    exported = Signal(str)
    #: Pages went to the printer: their number.
    printed = Signal(int)
    #: The web page was written: the path of its index.html.
    web_exported = Signal(str)
    #: A long job's progress as shown (“正在打印：第 N / M 页…”).
    progressed = Signal(str)
    #: An export or a print stopped by 取消 (or a long print not confirmed): what the panel said.
    cancelled = Signal(str)
    #: From the worker: a long job's step, pages done, pages (queued to the GUI thread).
    _progress = Signal(int, int, int)

    #: The steps of a long job, as LongJob reports them.
    EXPORTING, RENDERING, PRINTING = 1, 2, 3

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publicityPanel")
        self._runner = runner
        self._actor = actor
        self._today = today or date.today
        #: The month shown, once its approval and changes are known: its ``rows`` are only the
        #: month's first rows (the table reads the rest by window; the totals are :attr:`listing`'s).
        self.overview: Overview | None = None
        #: The month's read under way: its first page, its listing and approval, the changes so far.
        self._reading = 0
        self._partial: Overview | None = None
        self._listing: Listing | None = None
        self._approved: dict[str, str] | None = None
        self._more_changes: list[ChangedCase] = []
        #: The month whose list the table shows (None before the first): a refresh of the same
        #: month keeps the person's place in it.
        self._shown_month: Month | None = None
        #: The question before approval, while it is open.
        self.confirm_box: QMessageBox | None = None
        #: Where the PDF goes (tests replace it; the desk asks with a save dialog).
        self.ask_save_path: Callable[[str], str | None] = self._ask_save_path
        #: The printer to print on, or None when the user cancels (tests replace it).
        self.ask_printer: Callable[[], QPrinter | None] = self._ask_printer
        #: The folder the web page's folder goes into, or None when the user cancels (tests replace it).
        self.ask_folder: Callable[[], str | None] = self._ask_folder
        #: Whether to print a long list, asked with the question given (tests replace it).
        self.ask_print_pages: Callable[[str], bool] = self._ask_print_pages
        #: The export or print under way (None when none is).
        self.job: LongJob | None = None
        #: Seconds between two progress reports of a long job.
        self.progress_interval = PROGRESS_INTERVAL
        #: What 取消 says of the job under way before its first page.
        self._stopped_text = ""

        last = Month(self._today().year, self._today().month).previous()
        #: The month shown (what the field last said readably).
        self._month = last
        self.month_edit = DateField("publicityMonth", self.tr("Month"), kind=FieldKind.MONTH,
                                    earliest=date(2000, 1, 1), latest=date(2099, 12, 31))
        self.month_edit.set_value(date(last.year, last.month, 1))
        self.month_edit.setToolTip(self.tr("The month whose accepted and closed cases are published"))
        self.approve_button = named(QPushButton(self.tr("&Approve")), "publicityApprove")
        self.approve_button.setToolTip(self.tr("Keep the list as it reads now as the approved list of the month"))
        self.approve_button.setVisible(actor.role is Role.HEAD)
        self.export_button = named(QPushButton(self.tr("Export &PDF…")), "publicityExport")
        self.print_button = named(QPushButton(self.tr("P&rint…")), "publicityPrint")
        self.web_button = named(QPushButton(self.tr("Export &web page…")), "publicityWeb")
        self.web_button.setToolTip(self.tr("Write the approved list as a web page for the center's website"))
        self.feedback_button = named(QPushButton(self.tr("Feed&back contacts…")), "publicityFeedback")
        self.feedback_button.setToolTip(self.tr("The address, phone and mailbox the web page gives for feedback"))
        self.feedback_button.setVisible(actor.role in (Role.HEAD, Role.ADMIN))
        #: The feedback dialog, while it is open.
        self.feedback_dialog: FeedbackDialog | None = None
        month_label = QLabel(self.tr("&Month:"))
        month_label.setBuddy(self.month_edit)

        self.status_label = named(QLabel(), "publicityStatus")
        self.status_label.setWordWrap(True)
        self.message_label = named(QLabel(), "publicityMessage")
        self.message_label.setWordWrap(True)
        self.progress_bar = named(QProgressBar(), "publicityProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMinimumWidth(160)
        self.progress_bar.setMaximumWidth(240)
        self.progress_bar.hide()
        self.cancel_button = named(QPushButton(self.tr("&Cancel")), "publicityCancel")
        self.cancel_button.setToolTip(self.tr("Stop the export or the print under way"))
        self.cancel_button.hide()

        self.model = PublicityRowsModel(self)
        self.table = named(RowsTable(), "publicityTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((48, 190, 110, 92, 150, 190, 150, 120, 92)):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        # A township's numbers (（2026）甘州梁家墩调字第0005号) are three characters longer than the
        # county's the column is sized for: it grows to the widest of a month's first rows.
        widen_to_contents(self.table, 1)

        bar = QHBoxLayout()
        bar.addWidget(month_label)
        bar.addWidget(self.month_edit)
        bar.addSpacing(12)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.approve_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.print_button)
        bar.addWidget(self.web_button)
        bar.addWidget(self.feedback_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.message_label, 1)
        foot.addWidget(self.progress_bar)
        foot.addWidget(self.cancel_button)
        layout.addLayout(foot)

        self.month_edit.value_entered.connect(self._month_entered)
        self.approve_button.clicked.connect(self.ask_approve)
        self.export_button.clicked.connect(self.export_pdf)
        self.print_button.clicked.connect(self.print_list)
        self.web_button.clicked.connect(self.export_web)
        self.feedback_button.clicked.connect(self.edit_feedback)
        self.cancel_button.clicked.connect(self.cancel_job)
        self._progress.connect(self._show_progress)
        runner.changed.connect(self._changed)
        self._set_busy(False)
        self.loading = RefreshWhenShown(self, self.refresh, first_when_shown=True)

    # ------------------------------------------------------------------ month and list

    def month(self) -> Month:
        """The month shown, on the board of the person's own center (docs/centers.md)."""
        return replace(self._month, center_id=self._actor.center_id)

    def set_month(self, month: Month) -> None:
        self.month_edit.set_value(date(month.year, month.month, 1))
        if month != self._month:
            self._month = month
            self.refresh()

    def _month_entered(self, first: object) -> None:
        if isinstance(first, date) and Month(first.year, first.month) != self._month:
            self._month = Month(first.year, first.month)
            self.refresh()

    def _month_ready(self) -> bool:
        """Before acting on the month's list: the field must be readable and the list shown must
        be its month (a month typed but not yet entered is shown first, and nothing is done)."""
        if not self.month_edit.check():
            self.month_edit.line.setFocus()
            return False
        first = self.month_edit.day()
        assert first is not None
        if Month(first.year, first.month) != self._month:
            self._month_entered(first)
            return False
        return True

    def refresh(self) -> None:
        # The month's first rows and its total paint at once; the table reads the rest by window,
        # only the rows scrolled into view (the model's reader), so that a county's month of tens
        # of thousands of cases is never read into the window whole.
        month = self.month()
        self._reading += 1
        reading = self._reading
        self._runner.run_read(lambda session: publicity.first_page(session, month),
                              lambda first: self._show_first(reading, first), self._failed)

    def _show_first(self, reading: int, first: FirstPage) -> None:
        if reading != self._reading or first.first.month != self.month():
            return  # the user moved on to another month meanwhile, or a newer read is under way
        listed, approved = first.listed, first.approved
        self._listing = listed
        self._approved = approved
        self._more_changes = []

        def read_window(offset: int, limit: int,
                        done: Callable[[Sequence[PublicityRow], frozenset[int]], None],
                        failed: Callable[[TaskFailure], None]) -> None:
            def arrived(page: RowsPage) -> None:
                done(page.rows, frozenset(c.case_id for c in page.changes))

            def lost(failure: TaskFailure) -> None:
                failed(failure)
                self._failed(failure)

            self._runner.run_read(
                lambda session: publicity.rows_page(session, listed, offset, limit, approved=approved), arrived, lost)

        self.model.reader = read_window
        place = self._place() if self._shown_month == first.first.month else None
        self.model.set_list(first.first.rows, first.first.changed_case_ids, listed.total)
        self._shown_month = first.first.month
        if place is not None:
            self._go_back(*place)
        else:  # another month: its first rows (Qt's table keeps the scroll offset through a reset)
            self.table.scrollToTop()
        if first.complete or approved is None:
            self._show(first.first)
            return
        # An approved month: which of its cases changed since is checked page by page on the slow
        # lane (fingerprints only, no rows built), each a short read: nobody waits for it.
        self.overview = None
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Checking for changes since approval: {shown} of {total} rows…").format(
            shown=f"{len(first.first.rows):,}", total=f"{listed.total:,}"))
        self._partial = first.first
        self._check_more(reading, len(first.first.rows))

    def _place(self) -> tuple[int, int, int, int]:
        """Where the person is in the list: the top row shown, the current row and column, the
        horizontal scroll."""
        table = self.table
        current = table.currentIndex()
        return (table.rowAt(0), current.row() if current.isValid() else -1,
                current.column() if current.isValid() else 0, table.horizontalScrollBar().value())

    def _go_back(self, top: int, row: int, column: int, across: int) -> None:
        """The same place after the list was read again (a case changed, an approval): a head
        working far down a month of thousands of rows is not sent back to its top. The rows there
        are read as they are shown; a list that got shorter keeps what still exists."""
        table, total = self.table, self.model.rowCount()
        if not total:
            return
        if row >= 0:
            table.setCurrentIndex(self.model.index(min(row, total - 1), column))
        if top >= 0:
            table.scrollTo(self.model.index(min(top, total - 1), column),
                           QAbstractItemView.ScrollHint.PositionAtTop)
        table.horizontalScrollBar().setValue(across)

    def _check_more(self, reading: int, offset: int) -> None:
        listed, approved = self._listing, self._approved
        if listed is None or approved is None:
            return
        self._runner.run_slow_read(
            lambda session: publicity.changes_page(session, listed, offset, approved=approved),
            lambda changes: self._checked(reading, offset + publicity.PAGE_ROWS, changes), self._failed)

    def _checked(self, reading: int, offset: int, found: tuple[ChangedCase, ...]) -> None:
        partial_overview, listed = self._partial, self._listing
        if reading != self._reading or partial_overview is None or listed is None:
            return
        self._more_changes.extend(found)
        self.model.add_changed(frozenset(c.case_id for c in found))
        if offset < listed.total:
            self.status_label.setText(self.tr("Checking for changes since approval: {shown} of {total} rows…").format(
                shown=f"{offset:,}", total=f"{listed.total:,}"))
            self._check_more(reading, offset)
            return
        changes = list(partial_overview.changes)
        seen = {(c.case_id, c.change) for c in changes}
        for change in self._more_changes:  # a case listed in both parts comes in two pages
            if (change.case_id, change.change) not in seen:
                seen.add((change.case_id, change.change))
                changes.append(change)
        self._partial = None
        self._more_changes = []
        self._show(replace(partial_overview, changes=tuple(sorted(changes, key=lambda c: (c.number, c.case_id)))))

    def _show(self, overview: Overview) -> None:
        if overview.month != self.month():
            return  # the user moved on to another month meanwhile
        self.overview = overview
        self.model.set_changed(overview.changed_case_ids)
        self.status_label.setText(self.status_text(overview))
        self.status_label.setStyleSheet(OK_STYLE if overview.approval and not overview.changes else ERROR_STYLE)
        self._set_busy(False)
        self.loaded.emit(overview)

    @property
    def listing(self) -> Listing | None:
        """Which cases the month shown lists (its total and the count of each part)."""
        return self._listing

    def status_text(self, overview: Overview) -> str:
        listed = self._listing
        if listed is not None and listed.month == overview.month:
            accepted, total = len(listed.accepted), listed.total
        else:
            accepted = sum(1 for r in overview.rows if r.section == ACCEPTED)
            total = len(overview.rows)
        # In digit groups (本月受理 74,525 件, 办结 20,641 件): a county's month runs to five digits.
        counts = self.tr("{accepted} accepted, {closed} closed.").format(accepted=f"{accepted:,}",
                                                                          closed=f"{total - accepted:,}")
        approval = overview.approval
        if approval is None:
            return self.tr("Not approved.") + " " + counts
        if not overview.intact:
            return self.tr("The approved list no longer matches its hash: approve the month again.") + " " + counts
        text = self.tr("Approved on {when} by {who}.").format(
            when=f"{approval.approved_at:%Y-%m-%d %H:%M}", who=approval.approved_by or "—")
        if overview.changes:
            text += " " + self.tr("{n} case(s) changed since approval and need re-approval (highlighted).").format(
                n=f"{len(overview.changes):,}")
        return text + " " + counts

    def _changed(self, changes: Changes) -> None:
        if changes.case_list or changes.case_ids:
            self.loading.request()

    # ------------------------------------------------------------------ actions

    def ask_approve(self) -> None:
        """The button: approval publishes the month's list as it reads now, so it asks first."""
        if not self._month_ready():
            return
        month = self.month()
        self.confirm_box = confirm_irreversible(
            self, self.tr("Approve the publicity list"),
            self.tr("Once approved, the list of {month} as shown is kept as the month's approved publicity "
                    "list; this cannot be withdrawn.").format(month=f"{month.year}年{month.month}月"),
            self.tr("Approve"), lambda: self.approve() if self.month() == month else None)

    def approve(self) -> None:
        """Approve the month shown (asked already)."""
        if not self._month_ready():
            return
        month, actor = self.month(), self._actor
        self._set_busy(True)
        self._runner.run_write(lambda session: publicity.approve(session, actor, month),
                               lambda _approval: self.refresh(), self._failed)

    def _printable(self, job: LongJob, then: Callable[[PrintableList], None]) -> None:
        """The list as the services print it, read for ``job`` (dropped when 取消 ended it), then ``then``."""
        month, actor = self.month(), self._actor

        def gather(session: Session) -> PrintableList:
            return publicity.printable(session, actor, month)

        def gathered(data: PrintableList) -> None:
            if job is self.job:
                then(data)

        # A write: each print is written to the audit log.
        self._runner.run_write(gather, gathered, lambda failure: self._job_failed(job, failure))

    def export_pdf(self) -> None:
        if not self._month_ready():
            return
        month = self.month()
        path = self.ask_save_path(f"公示_{month.key}.pdf")
        if not path:
            return
        job = self._begin_job(self.tr("Reading the publicity list…"), self.tr("Cancelled: no file was written"))

        def export(data: PrintableList) -> None:
            self._export(job, data, path)

        self._printable(job, export)

    def export_list(self, data: PrintableList, path: str) -> None:
        """Write the PDF of ``data`` as ``path`` (what 导出 PDF does once the list is read)."""
        self._export(self._begin_job("", self.tr("Cancelled: no file was written")), data, path)

    def _export(self, job: LongJob, data: PrintableList, path: str) -> None:
        self._say(self.tr("Laying out the publicity list ({n} cases)…").format(n=f"{len(data.rows):,}"))
        step = self.EXPORTING

        def run() -> str | None:
            from mediation_desk.documents.publicity import render_publicity
            from mediation_desk.files import write_atomically

            try:
                pdf = render_publicity(data, progress=job.pages(step))
                job.check()  # 取消 while the PDF was being closed: still nothing written
            except Cancelled:
                return None
            return str(write_atomically(Path(path), pdf))

        self._runner.run_job(run, lambda written: self._exported(job, written),
                             lambda failure: self._job_failed(job, failure), lane=Lane.SLOW)

    def _exported(self, job: LongJob, path: str | None) -> None:
        if job is not self.job:
            return
        if path is None:
            self._stopped(self.tr("Cancelled: no file was written"))
            return
        self._end_job()
        self._say(self.tr("Saved as {path}").format(path=path))
        self.exported.emit(path)

    def print_list(self) -> None:
        if not self._month_ready():
            return
        printer = self.ask_printer()
        if printer is None:
            return
        job = self._begin_job(self.tr("Reading the publicity list…"), self.tr("Printing cancelled: nothing was sent"))

        def print_it(data: PrintableList) -> None:
            self._print(job, data, printer)

        self._printable(job, print_it)

    def print_printable(self, data: PrintableList, printer: QPagedPaintDevice) -> None:
        """Print ``data`` on ``printer`` (what 打印 does once the list is read)."""
        self._print(self._begin_job("", self.tr("Printing cancelled: nothing was sent")), data, printer)

    def _print(self, job: LongJob, data: PrintableList, printer: QPagedPaintDevice) -> None:
        # The layout first, on the slow lane: it gives the page count before anything is drawn.
        self._say(self.tr("Laying out the publicity list ({n} cases)…").format(n=f"{len(data.rows):,}"))

        def lay_out() -> list[Page]:
            from mediation_desk.documents.publicity import layout

            return layout(data)

        self._runner.run_job(lay_out, lambda pages: self._print_pages(job, data, pages, printer),
                             lambda failure: self._job_failed(job, failure), lane=Lane.SLOW)

    def _print_pages(self, job: LongJob, data: PrintableList, pages: list[Page], printer: QPagedPaintDevice) -> None:
        if job is not self.job:
            return  # 取消 ended it while the list was laid out
        total = len(pages)
        first, last = page_range(printer, total)
        if first > last:
            self._end_job()
            self._say(self.tr("The pages chosen hold none of the list's {total} pages.").format(total=f"{total:,}"),
                      error=True)
            return
        count = last - first + 1
        if count > CONFIRM_PAGES:
            if count == total:
                question = self.tr("The publicity list of the month has {pages} pages ({cases} cases). "
                                   "Print it?").format(pages=f"{total:,}", cases=f"{len(data.rows):,}")
            else:
                question = self.tr("The publicity list of the month has {pages} pages ({cases} cases). "
                                   "Print pages {first}–{last} ({count} pages)?").format(
                    pages=f"{total:,}", cases=f"{len(data.rows):,}", first=f"{first:,}", last=f"{last:,}",
                    count=f"{count:,}")
            if not self.ask_print_pages(question) or job is not self.job or job.cancelled:
                if job is self.job:
                    self._stopped(self.tr("Printing cancelled: nothing was sent"))
                return
        chosen = pages[first - 1:last]
        rendering, printing = self.RENDERING, self.PRINTING
        to_file = bool(printed_to_file(printer))

        def run() -> tuple[int, bool]:
            from mediation_desk.documents.publicity import render_publicity

            try:
                pdf = render_publicity(data, pages=chosen, progress=job.pages(rendering))
                return paint_pdf(pdf, printer, progress=job.pages(printing)), False
            except Cancelled:
                return (job.done if job.step == printing else 0), True

        self._runner.run_job(run, lambda outcome: self._printed(job, *outcome, to_file=to_file),
                             lambda failure: self._job_failed(job, failure), lane=Lane.SLOW)

    def _printed(self, job: LongJob, pages: int, cancelled: bool, *, to_file: bool = False) -> None:
        if job is not self.job:
            return
        if cancelled and to_file:  # the pages written were removed with their file (paint_pdf)
            self._stopped(self.tr("Cancelled: no file was written"))
            return
        if cancelled:
            self._stopped(self.tr("Printing cancelled ({n} page(s) sent)").format(n=f"{pages:,}"))
            return
        self._end_job()
        self._say(self.tr("{n} page(s) sent to the printer").format(n=f"{pages:,}"))
        self.printed.emit(pages)

    # ------------------------------------------------------------------ long jobs

    def _begin_job(self, text: str, stopped: str) -> LongJob:
        """An export or a print starts: the buttons wait, 取消 and the progress bar show.
        ``stopped``: what 取消 says before the first page is drawn."""
        job = self.job = LongJob(self._progress.emit, self.progress_interval)
        self._stopped_text = stopped
        self._set_busy(True)
        # The bar shows from the first page on: Qt's busy animation (a range of 0–0) while the list
        # is read and laid out cost the GUI thread ~1 s of CPU in a 1M-demo export (the bench).
        self.progress_bar.hide()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        if text:
            self._say(text)
        return job

    def _show_progress(self, step: int, done: int, total: int) -> None:
        if self.job is None or self.job.cancelled:
            return  # a report overtaken by the end of its job, or by 取消
        if step == self.EXPORTING:
            text = self.tr("Making the publicity PDF: page {done} of {total}…")
        elif step == self.RENDERING:
            text = self.tr("Preparing the print: page {done} of {total}…")
        else:
            text = self.tr("Printing: page {done} of {total}…")
        text = text.format(done=f"{done:,}", total=f"{total:,}")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, total))
        self.progress_bar.show()
        self._say(text)
        self.progressed.emit(text)

    def cancel_job(self) -> None:
        """取消: the export or print under way stops at its next page; one still reading or laying
        out the list (nothing drawn, nothing written) ends at once, its answer dropped when it comes."""
        job = self.job
        if job is None or job.cancelled:
            return
        job.cancel()
        if job.step == 0:
            self._stopped(self._stopped_text)
            return
        self.cancel_button.setEnabled(False)
        self._say(self.tr("Cancelling…"))

    def _end_job(self) -> None:
        self.job = None
        self.progress_bar.hide()
        self.cancel_button.hide()
        self._set_busy(False)

    def _stopped(self, text: str) -> None:
        self._end_job()
        self._say(text)
        self.cancelled.emit(text)

    def _job_failed(self, job: LongJob, failure: TaskFailure) -> None:
        if job is not self.job:
            return  # a job 取消 ended before its read failed: the one under way now goes on
        self._end_job()
        self._say(failure.message, error=True)

    def export_web(self) -> None:
        """The approved list as a web page, in a folder ``公示网页_<month>`` of the folder chosen
        (an earlier export of the month there is replaced; a folder of anything else is refused)."""
        if not self._month_ready():
            return
        folder = self.ask_folder()
        if not folder:
            return
        month, actor = self.month(), self._actor
        target = Path(folder) / f"公示网页_{month.key}"

        def write(page: PublicPage) -> None:
            def job() -> str:
                from mediation_desk.documents.publicpage import write_page
                from mediation_desk.files import FolderRefused
                from mediation_desk.services.errors import InvalidInput

                try:
                    return str(write_page(page, target, force=True, what=""))
                except FolderRefused as refused:
                    raise InvalidInput("folder", refused.message) from None

            self._runner.run_job(job, self._web_written, self._failed, lane=Lane.SLOW)

        self._set_busy(True)
        # A write: each page is written to the audit log.
        self._runner.run_write(lambda session: publicity.public_page(session, actor, month), write, self._failed)

    def edit_feedback(self) -> None:
        """The feedback contacts, read first, in a dialog."""
        def show(current: Feedback) -> None:
            dialog = FeedbackDialog(self._runner, self._actor, current, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.saved.connect(lambda _kept: self._say(self.tr("Feedback contacts saved")))
            dialog.finished.connect(lambda _result: setattr(self, "feedback_dialog", None))
            self.feedback_dialog = dialog
            dialog.open()

        center_id = self._actor.center_id  # each center's page gives its own contacts
        self._runner.run_read(lambda session: publicity.feedback(session, center_id), show, self._failed)

    def _web_written(self, path: str) -> None:
        self._set_busy(False)
        self._say(self.tr("Web page saved as {path}").format(path=path))
        self.web_exported.emit(path)

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self._say(failure.message, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)

    def _set_busy(self, busy: bool) -> None:
        busy = busy or self.job is not None  # an export or a print keeps them waiting to its end
        for button in (self.approve_button, self.export_button, self.print_button, self.web_button):
            button.setEnabled(not busy)
        if self.approved_as_shown():
            self.approve_button.setEnabled(False)
            self.approve_button.setToolTip(self.tr("The list as shown is approved already"))
        else:
            self.approve_button.setToolTip(self.tr("Keep the list as it reads now as the approved list of the month"))

    def approved_as_shown(self) -> bool:
        """The month shown has an intact approval that no case has changed since: nothing to approve."""
        overview = self.overview
        return (overview is not None and overview.month == self.month() and overview.approval is not None
                and overview.intact and not overview.changes)

    # ------------------------------------------------------------------ dialogs

    def _ask_save_path(self, suggested: str) -> str | None:
        path = file_dialogs.save_file_name(self, self.tr("Export the publicity list"), file_dialogs.PDF,
                                           suggested, self.tr("PDF files (*.pdf)"))
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path or None

    def _ask_folder(self) -> str | None:
        return file_dialogs.folder_name(self, self.tr("Folder for the web page"), file_dialogs.PDF) or None

    def _ask_print_pages(self, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Print the publicity list"), question,
                          QMessageBox.StandardButton.NoButton, self)
        go = box.addButton(self.tr("Print"), QMessageBox.ButtonRole.AcceptRole)
        stop = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(go)
        box.setEscapeButton(stop)
        box.exec()
        return box.clickedButton() is go

    def _ask_printer(self) -> QPrinter | None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setResolution(PRINT_DPI)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the publicity list"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        return printer


__all__ = ["Cancelled", "LongJob", "PublicityPanel", "PublicityRowsModel", "page_range", "paint_pdf", "printed_to_file",
           "render_page"]
