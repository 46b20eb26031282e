"""The head's publicity section (公示): pick a month, preview the masked list, approve it, export
it as PDF or print it, or export the approved list as the web page the center uploads
(导出网页: a folder ``公示网页_<month>`` in the folder chosen, docs/publicity.md).

The table shows the list as it reads now (what approving would keep); rows whose case changed
since the last approval are highlighted and counted in the status line. Exporting and printing
always use what the services print: the approved snapshot when there is one, else a preview
marked 未审核. PDFs are built off the GUI thread; printing paints the PDF's pages (rendered by
QtPdf) onto the printer, so paper and file are the same document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields, replace
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, overload

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
    QPushButton,
    QTableView,
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
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, RefreshWhenShown, named

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter
    from sqlalchemy.orm import Session

    from mediation_desk.changes import Changes
    from mediation_desk.services.actor import Actor

CHANGED_BACKGROUND = QColor("#FFE9A8")
#: Resolution pages are painted at for a printer (enough for 小五 text and the table rules).
PRINT_DPI = 300


#: A row as the table keeps it: the fields of a PublicityRow, in their order, in a plain tuple.
_Line = tuple[Any, ...]
_LINE_OF = attrgetter(*(f.name for f in fields(PublicityRow)))


def _line(row: PublicityRow) -> _Line:
    line: _Line = _LINE_OF(row)
    return line


class _Lines(list[_Line]):
    """The rows of the month shown (a list of its own kind: one may hold a weak reference to it)."""

    __slots__ = ("__weakref__",)


class RowsView(Sequence[PublicityRow]):
    """The list as shown, as PublicityRows made when asked (the overview of a month read page by
    page): ``rows[i]``, iteration and comparison with any sequence of rows, over the table's own
    lines (the first ``size`` of them), without keeping a second copy of the month."""

    def __init__(self, lines: list[_Line], size: int | None = None) -> None:
        self._lines = lines
        self._size = len(lines) if size is None else size

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> PublicityRow: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[PublicityRow, ...]: ...

    def __getitem__(self, index: int | slice) -> PublicityRow | tuple[PublicityRow, ...]:
        if isinstance(index, slice):
            return tuple(PublicityRow(*line) for line in self._lines[:self._size][index])
        if not -self._size <= index < self._size:
            raise IndexError(index)
        return PublicityRow(*self._lines[index % self._size])

    def __iter__(self) -> Iterator[PublicityRow]:
        for line in self._lines[:self._size]:
            yield PublicityRow(*line)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowsView):
            return self.lines() == other.lines()
        if isinstance(other, (tuple, list)):
            return len(other) == self._size and all(
                isinstance(row, PublicityRow) and _line(row) == line
                for row, line in zip(other, self.lines(), strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self.lines()))

    def __repr__(self) -> str:
        return f"RowsView({self._size} rows)"

    def lines(self) -> list[_Line]:
        return self._lines[:self._size]

    def in_section(self, section: str) -> int:
        """How many rows are listed in ``section``."""
        return sum(1 for line in self.lines() if line[1] == section)


class PublicityRowsModel(RowsModel[PublicityRow]):
    """The month's list. A month of a county-sized center lists ~90,000 rows, kept as long as it is
    shown; each row is kept as a plain tuple of its texts (:data:`_Line`), not as a PublicityRow:
    Python's collector stops following a tuple of strings and numbers after its first pass, while
    each PublicityRow object stayed in its sight, so that every full pass walked the whole list
    (passes of 270–380 ms holding the GUI up while the list filled; docs/performance-log.md, "The
    publicity list and the collector"). Rows are made again when asked (``rows``, ``row_at``,
    RowRole)."""

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

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._changed: frozenset[int] = frozenset()
        self._lines = _Lines()

    def set_rows(self, rows: Sequence[PublicityRow]) -> None:
        self.beginResetModel()
        self._lines = _Lines(rows.lines() if isinstance(rows, RowsView) else map(_line, rows))
        self.endResetModel()

    def set_list(self, rows: Sequence[PublicityRow], changed: frozenset[int]) -> None:
        self._changed = changed
        self.set_rows(rows)

    def append_list(self, rows: Sequence[PublicityRow], changed: frozenset[int]) -> None:
        """More rows of the month at the end (the rows already shown stay where they are)."""
        if changed - self._changed:
            self._changed = self._changed | changed
            if self._lines:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines) - 1, len(self.HEADERS) - 1))
        if rows:
            first = len(self._lines)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._lines.extend(map(_line, rows))
            self.endInsertRows()

    @property
    def rows(self) -> list[PublicityRow]:
        return [PublicityRow(*line) for line in self._lines]

    def view(self) -> RowsView:
        """The rows shown now, as a sequence over the table's own lines (no copy)."""
        return RowsView(self._lines)

    def row_at(self, row: int) -> PublicityRow | None:
        return PublicityRow(*self._lines[row]) if 0 <= row < len(self._lines) else None

    @property
    def changed(self) -> frozenset[int]:
        """The cases whose rows are marked as changed since the approval."""
        return self._changed

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        column = index.column()
        if not 0 <= column < len(self.HEADERS):
            return None
        line = self._lines[index.row()]
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


def paint_pdf(pdf: bytes, device: QPagedPaintDevice, dpi: int = PRINT_DPI) -> int:
    """Paint every page of ``pdf`` onto ``device`` (a QPrinter, a QPdfWriter), one page per
    sheet, scaled to the sheet's printable area; returns the number of pages painted."""
    from PySide6.QtPdf import QPdfDocument

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
    try:
        for index in range(pages):
            if index:
                device.newPage()
            page = document.pagePointSize(index)
            size = QSize(round(page.width() * dpi / 72), round(page.height() * dpi / 72))
            image = render_page(document, index, size)
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(QPoint(0, 0), scaled), image)
    finally:
        painter.end()
        document.close()
        buffer.close()
    return pages


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

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publicityPanel")
        self._runner = runner
        self._actor = actor
        self._today = today or date.today
        self.overview: Overview | None = None
        #: The month's read under way: its first page, its listing and approval, the changes so far.
        self._reading = 0
        self._partial: Overview | None = None
        self._listing: Listing | None = None
        self._approved: dict[str, str] | None = None
        self._more_changes: list[ChangedCase] = []
        #: The question before approval, while it is open.
        self.confirm_box: QMessageBox | None = None
        #: Where the PDF goes (tests replace it; the desk asks with a save dialog).
        self.ask_save_path: Callable[[str], str | None] = self._ask_save_path
        #: The printer to print on, or None when the user cancels (tests replace it).
        self.ask_printer: Callable[[], QPrinter | None] = self._ask_printer
        #: The folder the web page's folder goes into, or None when the user cancels (tests replace it).
        self.ask_folder: Callable[[], str | None] = self._ask_folder

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

        self.model = PublicityRowsModel(self)
        self.table = named(QTableView(), "publicityTable")
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
        layout.addWidget(self.message_label)

        self.month_edit.value_entered.connect(self._month_entered)
        self.approve_button.clicked.connect(self.ask_approve)
        self.export_button.clicked.connect(self.export_pdf)
        self.print_button.clicked.connect(self.print_list)
        self.web_button.clicked.connect(self.export_web)
        self.feedback_button.clicked.connect(self.edit_feedback)
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
        # The month's first rows paint at once; the rest follow read after read (rows_page), each
        # a short read, so that a county's month of tens of thousands of cases never holds up the
        # reads of other screens behind one long one.
        month = self.month()
        self._reading += 1
        reading = self._reading
        self._runner.run_read(lambda session: publicity.first_page(session, month),
                              lambda first: self._show_first(reading, first), self._failed)

    def _show_first(self, reading: int, first: FirstPage) -> None:
        if reading != self._reading or first.first.month != self.month():
            return  # the user moved on to another month meanwhile, or a newer read is under way
        self._listing = first.listed
        self._approved = first.approved
        self._more_changes = []
        self.model.set_list(first.first.rows, first.first.changed_case_ids)
        if first.complete:
            self._show(first.first)
            return
        self.overview = None
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Loading: {shown} of {total} rows…").format(
            shown=len(first.first.rows), total=first.listed.total))
        self._partial = first.first
        self._read_more(reading)

    def _read_more(self, reading: int) -> None:
        listed, approved, offset = self._listing, self._approved, self.model.rowCount()
        if listed is None:
            return
        # The rest of a month is read in the background, on the slow lane: nobody waits for it.
        self._runner.run_slow_read(lambda session: publicity.rows_page(session, listed, offset, approved=approved),
                              lambda page: self._more_arrived(reading, page), self._failed)

    def _more_arrived(self, reading: int, page: RowsPage) -> None:
        partial, listed = self._partial, self._listing
        if reading != self._reading or partial is None or listed is None:
            return
        self._more_changes.extend(page.changes)
        self.model.append_list(page.rows, frozenset(c.case_id for c in page.changes))
        if self.model.rowCount() < listed.total:
            self.status_label.setText(self.tr("Loading: {shown} of {total} rows…").format(
                shown=self.model.rowCount(), total=listed.total))
            self._read_more(reading)
            return
        changes = list(partial.changes)
        seen = {(c.case_id, c.change) for c in changes}
        for change in self._more_changes:  # a case listed in both parts comes in two pages
            if (change.case_id, change.change) not in seen:
                seen.add((change.case_id, change.change))
                changes.append(change)
        self._partial = None
        self._show(replace(partial, rows=self.model.view(),
                           changes=tuple(sorted(changes, key=lambda c: (c.number, c.case_id)))))

    def _show(self, overview: Overview) -> None:
        if overview.month != self.month():
            return  # the user moved on to another month meanwhile
        self.overview = overview
        if self.model.rowCount() != len(overview.rows) or self.model.changed != overview.changed_case_ids:
            self.model.set_list(overview.rows, overview.changed_case_ids)
        self.status_label.setText(self.status_text(overview))
        self.status_label.setStyleSheet(OK_STYLE if overview.approval and not overview.changes else ERROR_STYLE)
        self._set_busy(False)
        self.loaded.emit(overview)

    def status_text(self, overview: Overview) -> str:
        rows = overview.rows
        accepted = rows.in_section(ACCEPTED) if isinstance(rows, RowsView) else sum(
            1 for r in rows if r.section == ACCEPTED)
        counts = self.tr("{accepted} accepted, {closed} closed.").format(
            accepted=accepted, closed=len(overview.rows) - accepted)
        approval = overview.approval
        if approval is None:
            return self.tr("Not approved.") + " " + counts
        if not overview.intact:
            return self.tr("The approved list no longer matches its hash: approve the month again.") + " " + counts
        text = self.tr("Approved on {when} by {who}.").format(
            when=f"{approval.approved_at:%Y-%m-%d %H:%M}", who=approval.approved_by or "—")
        if overview.changes:
            text += " " + self.tr("{n} case(s) changed since approval and need re-approval (highlighted).").format(
                n=len(overview.changes))
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

    def _printable(self, then: Callable[[PrintableList], None]) -> None:
        month, actor = self.month(), self._actor

        def gather(session: Session) -> PrintableList:
            return publicity.printable(session, actor, month)

        self._set_busy(True)
        # A write: each print is written to the audit log.
        self._runner.run_write(gather, then, self._failed)

    def export_pdf(self) -> None:
        if not self._month_ready():
            return
        month = self.month()
        path = self.ask_save_path(f"公示_{month.key}.pdf")
        if not path:
            return

        def render(data: PrintableList) -> None:
            def job() -> str:
                from mediation_desk.documents.publicity import write_publicity

                return str(write_publicity(data, path))

            self._runner.run_job(job, self._exported, self._failed, lane=Lane.SLOW)

        self._printable(render)

    def _exported(self, path: str) -> None:
        self._set_busy(False)
        self._say(self.tr("Saved as {path}").format(path=path))
        self.exported.emit(path)

    def print_list(self) -> None:
        if not self._month_ready():
            return
        printer = self.ask_printer()
        if printer is None:
            return

        def render(data: PrintableList) -> None:
            def job() -> bytes:
                from mediation_desk.documents.publicity import render_publicity

                return render_publicity(data)

            self._runner.run_job(job, lambda pdf: self._paint(pdf, printer), self._failed, lane=Lane.SLOW)

        self._printable(render)

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

    def _paint(self, pdf: bytes, printer: QPrinter) -> None:
        pages = paint_pdf(pdf, printer)
        self._set_busy(False)
        self._say(self.tr("{n} page(s) sent to the printer").format(n=pages))
        self.printed.emit(pages)

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self._say(failure.message, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)

    def _set_busy(self, busy: bool) -> None:
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


__all__ = ["PublicityPanel", "PublicityRowsModel", "RowsView", "paint_pdf", "render_page"]
