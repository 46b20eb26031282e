"""风险研判: the monthly risk briefing in the head's statistics section (issue 23 item 4).

A month field (typed as a clerk writes it, or stepped with 上一月 / 下一月), the briefing read on
the slow lane with a visible loading state, and its sections as tabs: 总体情况 (received, 12345,
group disputes by band, 可能民转刑, overdue, carded, the grades), 热点分布 (by center, village, grid
and type, with the change on last month and a bar chart), 重复当事人与地点, and 风险分级清单.

The briefing arrives in parts (``services.briefing.parts``, one read) in the order of its pages: the
first page as soon as its figures are read, then the hot spots, the repeats and the graded list.
Until its part is there a page says 计算中… and offers nothing to open or adjust; the pages stay
usable from the keyboard meanwhile. Another month empties the pages at once; a reload of the month
shown keeps each page until its part is made again. A new read stops the older one, whose parts
still on their way are dropped; a read that fails says why and keeps what it showed.

Every figure carries the filter of exactly its cases (``readmodels.briefing.Count``): a
double-click, or Enter on it, emits ``open_cases(CaseFilter, title)`` as the dashboard and the
table by level do; a row of the graded list opens its case. 调整分级… asks for the grade and the
reason and calls ``services.briefing.set_grade`` (audited there); 导出PDF… writes the briefing
(``documents.briefing``) on the slow lane and offers the in-app preview.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.models import RiskLevel
from mediation_desk.readmodels.briefing import (
    GRADE_ORDER,
    GRADE_RULES,
    SPOT_TITLES,
    WINDOW_DAYS,
    Briefing,
    BriefingGrades,
    BriefingOverview,
    BriefingPart,
    BriefingRepeats,
    BriefingSpots,
    Count,
    GradedCase,
    Repeat,
    SpotKind,
)
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.ui.common import file_dialogs, gui_collector
from mediation_desk.ui.common.date_field import DateField, FieldKind
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, RefreshWhenShown, named
from mediation_desk.ui.desk.dashboard import LABEL_DIGITS, count_axis, grouped_counts

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.ui.common.pdf_preview import DocumentPreview

#: A grade's tint in the graded list (the PDF's colours, lighter).
GRADE_BACKGROUND = {RiskLevel.RED: "#f9d6d5", RiskLevel.ORANGE: "#fde3c8", RiskLevel.YELLOW: "#fff4bf",
                    RiskLevel.BLUE: "#d9e7f7"}
#: The bars of the hot-spot chart: this month, last month.
BAR_COLOURS = ("#1f6fb2", "#b0bec5")
#: How many hot spots the chart shows (the table lists them all).
CHART_SPOTS = 10
EARLIEST_MONTH = date(2000, 1, 1)

Cell = str | Count | None


def _month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _change(this: int, last: int) -> str:
    return f"{this - last:+,d}" if this != last else "0"


class FiguresModel(QAbstractTableModel):
    """Rows of cells under translated headers. A :class:`Count` cell is a figure: its value is
    shown and its filter is under :attr:`FilterRole`. Rows are handed to the view a batch at a
    time as it scrolls (``canFetchMore``/``fetchMore``), so a county's long lists cost nothing
    until they are looked at."""

    #: The cell's CaseFilter (None where the cell is not a figure).
    FilterRole = Qt.ItemDataRole.UserRole + 1
    #: The row's key (the graded list: the case id).
    KeyRole = Qt.ItemDataRole.UserRole + 2
    BATCH = 200

    def __init__(self, context: str, headers: Sequence[str], parent: QObject | None = None, *,
                 numeric: Sequence[int] = ()) -> None:
        super().__init__(parent)
        self.context = context
        self.headers = tuple(headers)
        self.numeric = frozenset(numeric)
        self._total = 0
        self._row_of: Callable[[int], tuple[Cell, ...]] = lambda _i: ()
        self._key_of: Callable[[int], object] = lambda _i: None
        self._background_of: Callable[[int], str | None] = lambda _i: None
        self._tooltip_of: Callable[[int], str] = lambda _i: ""
        #: The rows made so far (a lazy source makes a row when the view first asks for it).
        self._made: dict[int, tuple[Cell, ...]] = {}
        self._shown = 0
        self._fetching = False

    def set_rows(self, rows: Sequence[Sequence[Cell]], *, keys: Sequence[object] | None = None,
                 backgrounds: Sequence[str | None] | None = None, tooltips: Sequence[str] | None = None) -> None:
        made = [tuple(r) for r in rows]
        keys_, backgrounds_, tooltips_ = (list(keys) if keys is not None else None,
                                          list(backgrounds) if backgrounds is not None else None,
                                          list(tooltips) if tooltips is not None else None)
        self.set_source(len(made), made.__getitem__,
                        key=keys_.__getitem__ if keys_ is not None else None,
                        background=backgrounds_.__getitem__ if backgrounds_ is not None else None,
                        tooltip=tooltips_.__getitem__ if tooltips_ is not None else None)

    def set_source(self, total: int, row: Callable[[int], tuple[Cell, ...]], *,
                   key: Callable[[int], object] | None = None,
                   background: Callable[[int], str | None] | None = None,
                   tooltip: Callable[[int], str] | None = None) -> None:
        """``total`` rows, each made by ``row(i)`` only when the view shows it (a county's graded
        list of 280,000 cases costs the GUI thread the rows looked at, not a tuple per case)."""
        self.beginResetModel()
        self._take(total, row, key, background, tooltip)
        self._shown = min(self.BATCH, total)
        self.endResetModel()

    def extend_source(self, total: int, row: Callable[[int], tuple[Cell, ...]], *,
                      key: Callable[[int], object] | None = None,
                      background: Callable[[int], str | None] | None = None,
                      tooltip: Callable[[int], str] | None = None) -> None:
        """The same rows with more after them, ``total`` in all (the graded list made whole after its
        first part): the rows shown, the selection and the place scrolled to stay; the rows shown are
        made again from ``row`` as painted."""
        if total < self._shown:
            self.set_source(total, row, key=key, background=background, tooltip=tooltip)
            return
        self._take(total, row, key, background, tooltip)
        if self._shown:
            self.dataChanged.emit(self.index(0, 0), self.index(self._shown - 1, len(self.headers) - 1))

    def _take(self, total: int, row: Callable[[int], tuple[Cell, ...]], key: Callable[[int], object] | None,
              background: Callable[[int], str | None] | None, tooltip: Callable[[int], str] | None) -> None:
        """The rows' source: ``total`` rows made by ``row`` (none made yet)."""
        self._total = total
        self._row_of = row
        self._key_of = key or (lambda _i: None)
        self._background_of = background or (lambda _i: None)
        self._tooltip_of = tooltip or (lambda _i: "")
        self._made = {}

    def _row(self, row: int) -> tuple[Cell, ...]:
        made = self._made.get(row)
        if made is None:
            made = self._made[row] = self._row_of(row)
        return made

    @property
    def total(self) -> int:
        """Every row, shown or still to come."""
        return self._total

    def heading(self, column: int) -> str:
        return QCoreApplication.translate(self.context, self.headers[column]) if 0 <= column < len(self.headers) else ""

    def cell(self, row: int, column: int) -> Cell:
        if 0 <= row < self._shown and 0 <= column < len(self.headers):
            return self._row(row)[column]
        return None

    def key(self, row: int) -> object:
        return self._key_of(row) if 0 <= row < self._shown else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._shown < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid() or self._shown >= self._total or self._fetching:
            return  # (a view asked again while the rows are being inserted: one batch at a time)
        more = min(self.BATCH, self._total - self._shown)
        self._fetching = True
        try:
            self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
            self._shown += more
            self.endInsertRows()
        finally:
            self._fetching = False

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.heading(section) or None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown or not 0 <= index.column() < len(self.headers):
            return None
        row, column = index.row(), index.column()
        cell = self._row(row)[column]
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(cell, Count):
                return f"{cell.value:,}"  # in digit groups: a county's month reads 81,613
            return cell
        if role == self.FilterRole:
            return cell.filter if isinstance(cell, Count) else None
        if role == self.KeyRole:
            return self._key_of(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if isinstance(cell, Count):
                return QCoreApplication.translate("BriefingView", "Double-click or press Enter to list these cases")
            return self._tooltip_of(row) or (cell if isinstance(cell, str) and len(cell) > 12 else None)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if isinstance(cell, Count) or column in self.numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            background = self._background_of(row)
            return QBrush(QColor(background)) if background else None
        return None


OVERVIEW_HEADERS = (QT_TRANSLATE_NOOP("BriefingOverview", "Item"),
                    QT_TRANSLATE_NOOP("BriefingOverview", "This month"),
                    QT_TRANSLATE_NOOP("BriefingOverview", "Last month"),
                    QT_TRANSLATE_NOOP("BriefingOverview", "Change"))
SPOT_HEADERS = (QT_TRANSLATE_NOOP("BriefingSpots", "Place or type"),
                QT_TRANSLATE_NOOP("BriefingSpots", "This month"),
                QT_TRANSLATE_NOOP("BriefingSpots", "Last month"),
                QT_TRANSLATE_NOOP("BriefingSpots", "Change"))
PARTY_HEADERS = (QT_TRANSLATE_NOOP("BriefingRepeats", "Party"),
                 QT_TRANSLATE_NOOP("BriefingRepeats", "Cases"),
                 QT_TRANSLATE_NOOP("BriefingRepeats", "Case numbers"))
PLACE_HEADERS = (QT_TRANSLATE_NOOP("BriefingRepeats", "Place"),
                 QT_TRANSLATE_NOOP("BriefingRepeats", "Cases"),
                 QT_TRANSLATE_NOOP("BriefingRepeats", "Case numbers"))
GRADE_HEADERS = (QT_TRANSLATE_NOOP("BriefingGrades", "Case number"),
                 QT_TRANSLATE_NOOP("BriefingGrades", "Case"),
                 QT_TRANSLATE_NOOP("BriefingGrades", "Center"),
                 QT_TRANSLATE_NOOP("BriefingGrades", "People"),
                 QT_TRANSLATE_NOOP("BriefingGrades", "Listed for"),
                 QT_TRANSLATE_NOOP("BriefingGrades", "Proposed grade"),
                 QT_TRANSLATE_NOOP("BriefingGrades", "Head's grade"),
                 QT_TRANSLATE_NOOP("BriefingGrades", "Reason (set by)"))
GRADE_COL_PROPOSED, GRADE_COL_ADJUSTED = 5, 6


@dataclass
class _Parts:
    """The parts of one read of the briefing shown so far."""

    overview: BriefingOverview | None = None
    spots: BriefingSpots | None = None
    repeats: BriefingRepeats | None = None
    grades: BriefingGrades | None = None



@dataclass(frozen=True)
class Export:
    path: str
    data: bytes


class GradeDialog(QDialog):
    """调整分级: the head's grade of one listed case and the reason, both required. The grade is
    written by ``services.briefing.set_grade`` (audited there); nothing typed is lost on a refusal."""

    #: The grade was written: the case as the briefing now lists it.
    graded = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, month: str, case: GradedCase, parent: QWidget | None = None,
                 *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("briefingGradeDialog")
        self.setWindowTitle(self.tr("Adjust the risk grade"))
        self.runner, self.actor, self.month, self.case, self.today = runner, actor, month, case, today
        self.about = named(QLabel(self.tr("{number} {title}\nProposed: {grade} ({reasons})").format(
            number=case.number, title=case.title, grade=case.proposed.label, reasons=case.reason_text)),
            "briefingGradeCase")
        self.about.setWordWrap(True)
        self.grade_combo = named(QComboBox(), "briefingGradeLevel")
        self.grade_combo.addItem(self.tr("Choose a grade…"), None)
        for grade in GRADE_ORDER:
            self.grade_combo.addItem(grade.label, grade.value)  # Qt keeps a str enum as its str
        if case.adjusted is not None:
            self.grade_combo.setCurrentIndex(self.grade_combo.findData(case.adjusted.value))
        self.reason_edit = named(QPlainTextEdit(), "briefingGradeReason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(self.tr("Why the meeting grades the case so (required, at most 500 "
                                                    "characters)"))
        self.reason_edit.setPlainText(case.adjust_reason)
        self.reason_edit.setMinimumHeight(90)
        self.error_label = named(QLabel(), "briefingGradeError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form = QFormLayout()
        grade_label = QLabel(self.tr("&Grade:"))
        grade_label.setBuddy(self.grade_combo)
        reason_label = QLabel(self.tr("&Reason:"))
        reason_label.setBuddy(self.reason_edit)
        form.addRow(grade_label, self.grade_combo)
        form.addRow(reason_label, self.reason_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save"))
        self.save_button.setObjectName("briefingGradeSave")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.resize(520, 300)

    def grade(self) -> RiskLevel | None:
        value = self.grade_combo.currentData()
        return RiskLevel(value) if value else None

    def _refuse(self, message: str, field: QWidget) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        field.setFocus()

    def save(self) -> None:
        grade, reason = self.grade(), self.reason_edit.toPlainText()
        if grade is None:
            self._refuse(self.tr("Grade: choose the grade the meeting sets."), self.grade_combo)
            return
        if not reason.strip():
            self._refuse(self.tr("Reason: a reason is required to change a grade."), self.reason_edit)
            return
        actor, case_id, month, today = self.actor, self.case.case_id, self.month, self.today

        def write(session: Session) -> GradedCase:
            from mediation_desk.services import briefing

            return briefing.set_grade(session, actor, case_id, month, grade, reason, today=today)

        self.save_button.setEnabled(False)
        self.error_label.hide()
        self.runner.run_write(write, self._written, self._failed)

    def _written(self, case: GradedCase) -> None:
        self.save_button.setEnabled(True)
        self.graded.emit(case)
        self.accept()

    def _failed(self, failure: TaskFailure) -> None:
        self.save_button.setEnabled(True)
        field = self.reason_edit if failure.field == "reason" else self.grade_combo
        self._refuse(failure.message, field)


class BriefingView(QWidget):
    """风险研判: the briefing of a month for the head's center and the centers below it."""

    #: A figure was opened: the case list should show this filter under this title.
    open_cases = Signal(object, str)
    #: A row of the graded list was opened: the case's id.
    open_case = Signal(int)
    #: A briefing arrived and is shown.
    loaded = Signal(object)
    #: The PDF was written: its path.
    exported = Signal(str)
    #: A grade was written: the case as now listed.
    graded = Signal(object)
    #: A part of the briefing made on the slow lane: (read id, part); queued to the GUI thread.
    _part_read = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("briefingView")
        self.runner = runner
        self.actor = actor
        self._today = today or date.today
        #: The whole briefing shown, once every part of it arrived (None while a part is counted).
        self.briefing: Briefing | None = None
        #: Each read asked for has the next id; the parts shown are of the latest.
        self._read_id = 0
        self._parts = _Parts()
        #: Set to stop the read running (its next part is not made); None when none runs.
        self._stop_read: threading.Event | None = None
        #: The case chosen in the graded list and the cell of the first page when the reload began
        #: (chosen again when they are back).
        self._chosen: int | None = None
        self._place: tuple[int, int] | None = None
        self._overview_shown = False
        #: The kinds of part the latest read has sent so far (the graded list once whole).
        self._fresh: set[type] = set()
        #: The read whose graded list's first part is shown (its whole list extends it).
        self._first_of: int | None = None
        self._export: Export | None = None
        #: What to say once the briefing being read is shown (a grade just set).
        self._note = ""
        self._loading = False
        #: Set to stop the PDF being built from being written (取消); None when no export runs.
        self._stop_export: threading.Event | None = None
        #: Where the PDF goes (tests replace it; the desk asks with a save dialog).
        self.ask_save_path: Callable[[str], str | None] = self._ask_save_path
        #: The grade dialog and the preview, while open.
        self.grade_dialog: GradeDialog | None = None
        self.preview: DocumentPreview | None = None
        self.bar_sets: tuple[QBarSet, ...] = ()

        first = _shift(date(self._today().year, self._today().month, 1), -1)
        self.month_edit = DateField("briefingMonth", self.tr("Month"), kind=FieldKind.MONTH,
                                    earliest=EARLIEST_MONTH, latest=self._today())
        self.month_edit.set_value(first)
        self.month_edit.setToolTip(self.tr("The month the meeting reviews, e.g. 2026-11; Alt+Left and Alt+Right "
                                           "step a month"))
        self._month = _month_key(first)
        month_label = QLabel(self.tr("&Month:"))
        month_label.setBuddy(self.month_edit)
        self.previous_button = named(QToolButton(), "briefingPrevious")
        self.previous_button.setText(self.tr("‹ Previous"))
        self.previous_button.setToolTip(self.tr("The month before (Alt+Left)"))
        self.next_button = named(QToolButton(), "briefingNext")
        self.next_button.setText(self.tr("Next ›"))
        self.next_button.setToolTip(self.tr("The month after (Alt+Right)"))
        self.progress = named(QProgressBar(), "briefingProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(140)
        self.progress.setMaximumHeight(12)
        self.progress.hide()
        self.status_label = named(QLabel(), "briefingStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_button = named(QPushButton(self.tr("&Open the PDF")), "briefingPreview")
        self.preview_button.setToolTip(self.tr("Show the PDF just written, to read or print it"))
        self.preview_button.hide()
        self.cancel_button = named(QPushButton(self.tr("&Cancel export")), "briefingCancelExport")
        self.cancel_button.setToolTip(self.tr("Stop the export: the PDF being built is not written"))
        self.cancel_button.hide()
        self.pdf_button = named(QPushButton(self.tr("Export &PDF…")), "briefingPdf")
        self.pdf_button.setToolTip(self.tr("Write the briefing of the month shown as a PDF for the meeting"))
        bar = QHBoxLayout()
        bar.addWidget(month_label)
        bar.addWidget(self.month_edit)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addSpacing(8)
        bar.addWidget(self.progress)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.preview_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.pdf_button)

        self.caption = named(QLabel(), "briefingCaption")
        self.caption.setWordWrap(True)

        # 总体情况
        self.overview_model = FiguresModel("BriefingOverview", OVERVIEW_HEADERS, self, numeric=(1, 2, 3))
        self.overview_table = self._table(self.overview_model, "briefingOverview", (360, 100, 100, 80), stretch=False)
        # 热点分布
        self.spot_kind = named(QComboBox(), "briefingSpotKind")
        for kind in SpotKind:
            self.spot_kind.addItem(SPOT_TITLES[kind], kind.value)  # Qt keeps a str enum as its str
        spot_label = QLabel(self.tr("Hot spots &by:"))
        spot_label.setBuddy(self.spot_kind)
        self.spots_model = FiguresModel("BriefingSpots", SPOT_HEADERS, self, numeric=(3,))
        self.spots_table = self._table(self.spots_model, "briefingSpots", (260, 56, 56, 56))
        self.chart_view = named(QChartView(QChart()), "briefingChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumWidth(320)
        self.chart_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        spots_page = QWidget()
        spots_bar = QHBoxLayout()
        spots_bar.addWidget(spot_label)
        spots_bar.addWidget(self.spot_kind)
        spots_bar.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.spots_table)
        splitter.addWidget(self.chart_view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([460, 840])
        spots_layout = QVBoxLayout(spots_page)
        spots_layout.addLayout(spots_bar)
        spots_layout.addWidget(splitter, 1)
        # 重复当事人与地点
        self.parties_model = FiguresModel("BriefingRepeats", PARTY_HEADERS, self)
        self.parties_table = self._table(self.parties_model, "briefingParties", (260, 60, 520))
        self.places_model = FiguresModel("BriefingRepeats", PLACE_HEADERS, self)
        self.places_table = self._table(self.places_model, "briefingPlaces", (260, 60, 520))
        self.parties_caption = named(QLabel(), "briefingPartiesCaption")
        self.places_caption = named(QLabel(), "briefingPlacesCaption")
        repeats_page = QWidget()
        repeats_layout = QVBoxLayout(repeats_page)
        repeats_layout.addWidget(self.parties_caption)
        repeats_layout.addWidget(self.parties_table, 1)
        repeats_layout.addWidget(self.places_caption)
        repeats_layout.addWidget(self.places_table, 1)
        # 风险分级清单
        self.grades_model = FiguresModel("BriefingGrades", GRADE_HEADERS, self, numeric=(3,))
        self.grades_table = self._table(self.grades_model, "briefingGrades", (224, 180, 190, 46, 250, 64, 76, 240))
        self.grades_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grade_button = named(QPushButton(self.tr("&Adjust grade…")), "briefingAdjust")
        self.grade_button.setToolTip(self.tr("Set the meeting's grade of the selected case, with the reason"))
        self.grade_counts = named(QLabel(), "briefingGradeCounts")
        rules = "；".join(f"{g.label}：" + "、".join(w for grade, w in GRADE_RULES.values() if grade is g)
                         for g in GRADE_ORDER)
        self.grades_hint = named(QLabel(self.tr("Enter or a double-click opens the case. Rules: {rules}").format(
            rules=rules)), "briefingGradesHint")
        self.grades_hint.setWordWrap(True)
        self.grades_hint.setStyleSheet("color: #555555;")
        grades_page = QWidget()
        grades_bar = QHBoxLayout()
        grades_bar.addWidget(self.grade_counts, 1)
        grades_bar.addWidget(self.grade_button)
        grades_layout = QVBoxLayout(grades_page)
        grades_layout.addLayout(grades_bar)
        grades_layout.addWidget(self.grades_table, 1)
        grades_layout.addWidget(self.grades_hint)

        self.pages = named(QTabWidget(), "briefingPages")
        self.pages.addTab(self.overview_table, self.tr("Overview"))
        self.pages.addTab(spots_page, self.tr("Hot spots"))
        self.pages.addTab(repeats_page, self.tr("Repeat parties and places"))
        self.pages.addTab(grades_page, self.tr("Risk grades"))
        self.hint = named(QLabel(self.tr("Double-click a figure, or press Enter on it, to list the cases it "
                                         "counts.")), "briefingHint")
        self.hint.setStyleSheet("color: #555555;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.caption)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.hint)

        self.month_edit.value_entered.connect(self._month_entered)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        for keys, months in (("Alt+Left", -1), ("Alt+Right", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda m=months: self.step(m))
        self.spot_kind.currentIndexChanged.connect(lambda _i: self._show_spots())
        for table in (self.overview_table, self.spots_table, self.parties_table, self.places_table):
            table.activated.connect(self.drill)
        self.grades_table.activated.connect(self._open_graded)
        self.grades_table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.grade_button.clicked.connect(self.ask_grade)
        self.pdf_button.clicked.connect(self._ask_export)
        self.preview_button.clicked.connect(self.open_preview)
        self.cancel_button.clicked.connect(self.cancel_export)
        runner.changed.connect(self._on_changed)
        self._part_read.connect(self._arrived)
        self._enable()
        self.loading = RefreshWhenShown(self, self.refresh, first_when_shown=True)

    def _table(self, model: FiguresModel, name: str, widths: Sequence[int], *, stretch: bool = True) -> QTableView:
        view = named(QTableView(), name)
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(QFontMetrics(view.font()).height() + 10)
        view.setWordWrap(False)
        view.setTabKeyNavigation(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(stretch)
        for column, width in enumerate(widths):
            view.setColumnWidth(column, width)
        return view

    # ------------------------------------------------------------------ month

    def month(self) -> str:
        """The month shown or being read ("2026-11")."""
        return self._month

    def set_month(self, key: str) -> None:
        """Show month ``key`` ("2026-11")."""
        first = date(int(key[:4]), int(key[5:7]), 1)
        self.month_edit.set_value(first)
        if key != self._month:
            self._month = key
            self.refresh()

    def step(self, months: int) -> None:
        """The month before (-1) or after (+1) the one shown, within the field's range."""
        first = _shift(date(int(self._month[:4]), int(self._month[5:7]), 1), months)
        latest = self.month_edit.latest
        if first < EARLIEST_MONTH or (latest is not None and first > latest):
            return
        self.set_month(_month_key(first))

    def _month_entered(self, first: object) -> None:
        if isinstance(first, date) and _month_key(first) != self._month:
            self._month = _month_key(first)
            self.refresh()

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Read the month's briefing on the slow lane, its parts shown as each arrives (the first
        page first). For another month every page says it is being counted until its part is
        there (never two months on the pages); a reload of the month shown keeps each page until its
        part is made again. The pages stay usable meanwhile, the keyboard's place kept. A read of an
        earlier request still running is stopped at its next part, and whatever it still sends is
        dropped."""
        actor, month, today = self.actor, self._month, self._today()
        token = self._begin_read()
        stop = self._stop_read = threading.Event()
        self._say(self.tr("Counting the briefing of {month}…").format(month=month))
        deliver = self._part_read.emit

        def read(session: Session) -> bool:
            from mediation_desk.services import briefing

            # Sets, dicts and tuples of ids and rows (the 1M demo's county: ~370,000 ids, ~120,000
            # rows), no reference cycle: the GUI thread's collector passes wait for the read's end.
            with gui_collector.plain_data():
                for part in briefing.parts(session, actor, month, today=today):
                    if stop.is_set():
                        return False  # another month or a reload was asked for: the rest is not made
                    try:
                        deliver((token, part))  # to the GUI thread (queued), in the order made
                    except RuntimeError:  # the view is gone
                        return False
            return True

        self.runner.run_slow_read(read, lambda _done: self._read_ended(token),
                                  lambda failure: self._failed(failure, token))

    def _begin_read(self) -> int:
        """A new read: the one running is stopped. For another month every page says at once that it
        is being counted; a reload of the month shown (a grade set, a case changed) keeps its pages,
        usable, until each part is made again (on the 1M demo the graded list takes seconds)."""
        self._read_id += 1
        if self._stop_read is not None:
            self._stop_read.set()
            self._stop_read = None
        self._fresh = set()
        if self._shown_month() != self._month:
            if self._parts.grades is not None:
                row = self._selected_row()
                chosen = self.grades_model.key(row) if row is not None else None  # the case id
                self._chosen = chosen if isinstance(chosen, int) else None
            if self._overview_shown:
                current = self.overview_table.currentIndex()
                self._place = (current.row(), current.column()) if current.isValid() else None
            self._parts = _Parts()
            self.briefing = None
        self._loading = True
        self._busy()
        self._show_pending()
        self._enable()
        return self._read_id

    def _shown_month(self) -> str | None:
        parts = self._parts
        return next((p.month for p in (parts.overview, parts.repeats, parts.grades, parts.spots) if p is not None),
                    None)

    def _on_changed(self, changes: Changes) -> None:
        if changes.case_ids or changes.case_list or changes.organisation:
            self.loading.request()

    @property
    def loading_now(self) -> bool:
        """True until every part of the briefing asked for is shown (or its read failed)."""
        return self._loading

    @property
    def exporting_now(self) -> bool:
        return self._stop_export is not None

    def _busy(self) -> None:
        self.progress.setVisible(self._loading or self.exporting_now)

    def show_briefing(self, got: Briefing) -> None:
        """Show a whole briefing at once (one of another month than the field's is dropped)."""
        if got.month != self._month:
            return  # another month was chosen meanwhile; its briefing is on its way
        token = self._begin_read()
        for part in got.parts():
            self._arrived((token, part))

    def _arrived(self, message: object) -> None:
        """A part of the briefing read (``(read id, part)``): shown if it belongs to the latest read
        (in place of the page's part of the same month, or of 计算中…), dropped if not."""
        if not isinstance(message, tuple):
            return
        token: int = message[0]
        part: BriefingPart = message[1]
        if token != self._read_id:
            return  # a read asked for before the latest one (another month, or before a reload)
        if isinstance(part, BriefingOverview):
            self._parts.overview = part
            self._show_overview()
        elif isinstance(part, BriefingRepeats):
            self._parts.repeats = part
            self._show_repeats()
        elif isinstance(part, BriefingGrades):
            shown = self._parts.grades
            # The whole list after its first part of this read: its rows are the whole's first ones.
            whole_of_first = part.complete and shown is not None and not shown.complete and self._first_of == token
            self._first_of = token if not part.complete else None
            self._parts.grades = part
            self._show_grades(extend=whole_of_first)
            self._show_overview()  # its grade rows
        elif isinstance(part, BriefingSpots):
            self._parts.spots = part
            self._show_spot_part()
        if not isinstance(part, BriefingGrades) or part.complete:
            self._fresh.add(type(part))
        parts = self._parts
        if len(self._fresh) == 4 and parts.overview is not None and parts.spots is not None \
                and parts.repeats is not None and parts.grades is not None:
            self.briefing = Briefing.of(parts.overview, parts.spots, parts.repeats, parts.grades)
            self._loading = False
            self._stop_read = None
            self._busy()
            self._say(self._note, ok=True)
            self._note = ""
            self._enable()
            self.loaded.emit(self.briefing)
        else:
            self._enable()

    def _read_ended(self, token: int) -> None:
        if token == self._read_id and self._loading:
            # The latest read ended with a part not sent (never, but for a read stopped by a newer
            # one): what is missing says it was not counted.
            self._loading = False
            self._stop_read = None
            self._busy()
            self._show_pending()
            self._enable()

    def _failed(self, failure: TaskFailure, token: int) -> None:
        if token != self._read_id:
            return  # a month chosen since is being read
        self._loading = False
        self._stop_read = None
        self._busy()
        self._show_pending()  # what is not there says it was not counted; what is there stays
        self._enable()
        self._say(failure.message, error=True)

    def _say(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE if error else OK_STYLE if ok else "")
        self.status_label.setText(text)

    def _enable(self) -> None:
        ready = self.briefing is not None and self.briefing.month == self._month and not self.loading_now
        self.pdf_button.setEnabled(ready and not self.exporting_now)
        shown = self._parts
        self.grade_button.setEnabled(shown.overview is not None and shown.grades is not None
                                     and self.selected_case() is not None)
        self.spot_kind.setEnabled(self._parts.spots is not None)

    def _waiting(self) -> str:
        """What a part not there yet says: being counted, or not counted (its read failed)."""
        return self.tr("Counting…") if self._loading else self.tr("Not counted")

    # ------------------------------------------------------------------ sections

    def _show_pending(self) -> None:
        """Every page whose part is not there yet says so, with nothing to open or adjust."""
        parts, waiting = self._parts, self._waiting()
        if parts.overview is None:
            self.caption.setText(waiting)
            self.overview_model.set_rows([(waiting, "", "", "")])
            self._overview_shown = False
        else:
            self._show_overview()
        if parts.spots is None:
            self._show_spot_part()
        if parts.repeats is None:
            self._show_repeats()
        if parts.grades is None:
            self._show_grades()
        elif not parts.grades.complete:
            self._grade_caption(parts.grades)

    def _show_overview(self) -> None:
        got, grades = self._parts.overview, self._parts.grades
        if got is None:
            return
        self.caption.setText(self.tr("{center} — {month}: received {this} (last month {last}); repeats counted "
                                     "{start} to {end}; overdue as of {today}").format(
            center=got.center_name, month=got.month_text, this=f"{got.received.value:,}",
            last=f"{got.received_last.value:,}",
            start=f"{got.window_start:%Y-%m-%d}", end=f"{got.period_end:%Y-%m-%d}", today=f"{got.today:%Y-%m-%d}"))
        rows: list[tuple[Cell, ...]] = [
            (self.tr("Cases received"), got.received, got.received_last,
             _change(got.received.value, got.received_last.value)),
            (self.tr("12345 orders"), got.hotline.this, got.hotline.last,
             _change(got.hotline.this.value, got.hotline.last.value)),
        ]
        rows += [(self.tr("12345 {rate}").format(rate=name), this, last, "")
                 for name, this, last in got.hotline.rates]
        rows += [(self.tr("Group disputes, {band}").format(band=band), count, "", "")
                 for band, count in got.group_bands]
        rows += [
            (self.tr("May turn criminal (received this month or still open)"), got.criminal, "", ""),
            (self.tr("Overdue on {day}").format(day=f"{got.today:%Y-%m-%d}"), got.overdue, "", ""),
            (self.tr("Carded this month (yellow or red card)"), got.carded, "", ""),
        ]
        backgrounds: list[str | None] = [None] * len(rows)
        for n, grade in enumerate(GRADE_ORDER):
            # The grade's cases, made with the list on the slow lane; until it arrives, no figure to open.
            figure: Cell = Count(len(grades.by_grade[n]), CaseFilter(case_ids=grades.by_grade[n])) \
                if grades is not None else self._waiting()
            rows.append((self.tr("Risk grade {grade}").format(grade=grade.label), figure, "", ""))
            backgrounds.append(GRADE_BACKGROUND[grade])
        current = self.overview_table.currentIndex()
        place = (current.row(), current.column()) if self._overview_shown and current.isValid() else self._place
        self.overview_model.set_rows(rows, backgrounds=backgrounds)
        self._overview_shown = True
        if place is not None:  # a keyboard user's place stays where it was, through a reload too
            self._place = None
            self.overview_table.setCurrentIndex(self.overview_model.index(*place))

    def spot_kind_shown(self) -> SpotKind:
        return SpotKind(self.spot_kind.currentData())

    def _show_spot_part(self) -> None:
        got = self._parts.spots
        if got is not None and self.spot_kind_shown() is SpotKind.CENTER \
                and len(got.spots_of(SpotKind.CENTER)) <= 1 and got.spots_of(SpotKind.VILLAGE):
            # A single center: its villages are where the spots are (as the PDF's chart).
            self.spot_kind.setCurrentIndex(self.spot_kind.findData(SpotKind.VILLAGE.value))  # shows them
        else:
            self._show_spots()

    def _show_spots(self) -> None:
        got = self._parts.spots
        kind = self.spot_kind_shown()
        if got is None:
            waiting = self._waiting()
            self.spots_model.set_rows([(waiting, "", "", "")])
            self._chart(kind, (), title=self.tr("Hot spots: {state}").format(state=waiting))
            return
        spots = got.spots_of(kind)
        self.spots_model.set_rows([(s.name, s.this, s.last, _change(s.this.value, s.last.value)) for s in spots],
                                  tooltips=[s.name for s in spots])
        self._chart(kind, spots[:CHART_SPOTS])

    def _chart(self, kind: SpotKind, spots: Sequence[Any], *, title: str | None = None) -> None:
        old = self.chart_view.chart()
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        grouped_counts(chart)
        chart.setMargins(old.margins())
        chart.setTitle(title or self.tr("Cases received {by}: this month and last (the {n} largest)").format(
            by=SPOT_TITLES[kind], n=CHART_SPOTS))
        self.chart_view.setChart(chart)
        old.deleteLater()
        if title is not None:
            self.bar_sets = ()
            return
        shown = list(reversed(spots))  # the largest at the top
        this_set, last_set = QBarSet(self.tr("This month")), QBarSet(self.tr("Last month"))
        for bar_set, colour, part in ((this_set, BAR_COLOURS[0], "this"), (last_set, BAR_COLOURS[1], "last")):
            bar_set.setColor(QColor(colour))
            bar_set.setLabelColor(QColor("#222222"))
            bar_set.append([float(getattr(s, part).value) for s in shown])
            bar_set.clicked.connect(lambda i, p=part: self._bar_clicked(shown, i, p))
        #: The chart's bars: this month's, last month's (each bar opens its cases).
        self.bar_sets = (this_set, last_set)
        series = QHorizontalBarSeries()
        series.append(this_set)
        series.append(last_set)
        series.setLabelsVisible(True)
        # Each count at the foot of its bar, as the statistics' charts: centred on a bar of 1 or 2
        # (a township beside the county's 81,611), half of it was cut off by the axis.
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsInsideBase)
        series.setLabelsPrecision(LABEL_DIGITS)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([s.name if len(s.name) <= 16 else s.name[:15] + "…" for s in shown] or [""])
        categories.setTruncateLabels(False)
        values = QValueAxis()
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        top = max([max(s.this.value, s.last.value) for s in shown] + [1])
        count_axis(chart, values, top * 1.12, across=True)  # room for the longest bar's label
        series.attachAxis(categories)
        series.attachAxis(values)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)

    def _bar_clicked(self, shown: Sequence[Any], index: int, part: str) -> None:
        overview = self._parts.overview
        if not 0 <= index < len(shown) or overview is None:
            return
        spot = shown[index]
        count: Count = getattr(spot, part)
        span = self.tr("this month") if part == "this" else self.tr("last month")
        self.open_cases.emit(count.filter, self.tr("Risk briefing {month}: {spot}, {span}").format(
            month=overview.month_text, spot=spot.name, span=span))

    def _show_repeats(self) -> None:
        def rows(repeats: Sequence[Repeat]) -> list[tuple[Cell, ...]]:
            return [(r.label, r.cases, "、".join(r.numbers)) for r in repeats]

        got = self._parts.repeats
        if got is None:
            waiting = self._waiting()
            self.parties_caption.setText(self.tr("Repeat parties: {state}").format(state=waiting))
            self.places_caption.setText(self.tr("Repeat places: {state}").format(state=waiting))
            self.parties_model.set_rows([(waiting, "", "")])
            self.places_model.set_rows([(waiting, "", "")])
            return
        window = self.tr("{start} to {end}").format(start=f"{got.window_start:%Y-%m-%d}",
                                                    end=f"{got.window_end:%Y-%m-%d}")
        self.parties_caption.setText(self.tr("Repeat parties: the same party in 2 or more cases received within "
                                             "{days} days ({window}): {n}").format(
            days=WINDOW_DAYS, window=window, n=f"{len(got.parties):,}"))
        self.places_caption.setText(self.tr("Repeat places: the same address in 2 or more cases received within "
                                            "{days} days ({window}): {n}").format(
            days=WINDOW_DAYS, window=window, n=f"{len(got.places):,}"))
        self.parties_model.set_rows(rows(got.parties))
        self.places_model.set_rows(rows(got.places))

    @staticmethod
    def _graded_row(c: GradedCase) -> tuple[Cell, ...]:
        adjusted = c.adjusted.label if c.adjusted is not None else ""
        why = c.adjust_reason
        if c.adjusted is not None and c.adjusted_by:
            why = f"{c.adjust_reason}（{c.adjusted_by}）"
        return (c.number, c.title, c.center_name, f"{c.people:,}", c.reason_text, c.proposed.label,
                f"{c.proposed.label}→{adjusted}" if adjusted else "", why)

    def _grade_caption(self, got: BriefingGrades) -> None:
        counts = got.grade_counts()
        text = self.tr("{n} cases listed: {grades}; adjusted by the head: {adjusted}").format(
            n=f"{got.listed:,}", grades="、".join(f"{g.label}{counts[g]:,}" for g in GRADE_ORDER),
            adjusted=f"{got.adjusted_count:,}")
        if not got.complete:
            text += self.tr(" (the first {shown} listed; the rest: {state})").format(shown=f"{len(got.cases):,}",
                                                                                      state=self._waiting())
        self.grade_counts.setText(text)

    def _show_grades(self, *, extend: bool = False) -> None:
        """The graded list's page; with ``extend`` the whole list after its first part shown (the
        rows, the selection and the place stay; more rows follow)."""
        got = self._parts.grades
        if got is None:
            waiting = self._waiting()
            self.grades_model.set_rows([(waiting,) + ("",) * (len(GRADE_HEADERS) - 1)])
            self.grade_counts.setText(self.tr("Risk grades: {state}").format(state=waiting))
            return
        cases = got.cases
        # The case chosen (before a reload: a grade just set) stays chosen, wherever its grade moved it.
        row = self._selected_row()
        key = self.grades_model.key(row) if row is not None else None
        if extend:  # a row chosen meanwhile stays chosen (the rows stay); else the one chosen before
            chosen = None if isinstance(key, int) else self._chosen
        else:
            chosen = key if isinstance(key, int) else self._chosen
        self._chosen = None
        # The rows are made as the view shows them: the GUI thread never walks the whole list.
        source = self.grades_model.extend_source if extend else self.grades_model.set_source
        source(len(cases), lambda i: self._graded_row(cases[i]),
               key=cases.case_id, background=lambda i: GRADE_BACKGROUND[cases.grade(i)],
               tooltip=lambda i: f"{cases[i].number} {cases[i].title}：{cases[i].reason_text}")
        self._grade_caption(got)
        again = cases.index_of(chosen) if chosen is not None else None
        if again is None and not got.complete:
            self._chosen = chosen  # a 蓝 case after the first part's rows: chosen once the whole list is here
        if again is not None:
            while again >= self.grades_model.rowCount() and self.grades_model.canFetchMore(QModelIndex()):
                self.grades_model.fetchMore(QModelIndex())
            self.grades_table.selectRow(again)

    # ------------------------------------------------------------------ drill-down

    def drill(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """The cases behind the figure at ``index`` (nothing for a cell that is not a figure)."""
        model = index.model()
        overview = self._parts.overview
        if not isinstance(model, FiguresModel) or overview is None:
            return
        cell = model.cell(index.row(), index.column())
        if not isinstance(cell, Count):
            return
        label = model.cell(index.row(), 0)
        self.open_cases.emit(cell.filter, self.tr("Risk briefing {month}: {item}, {column}").format(
            month=overview.month_text, item=label if isinstance(label, str) else "",
            column=model.heading(index.column())))

    def _open_graded(self, index: QModelIndex | QPersistentModelIndex) -> None:
        case_id = self.grades_model.key(index.row())
        if isinstance(case_id, int):
            self.open_case.emit(case_id)

    def _selected_row(self) -> int | None:
        rows = self.grades_table.selectionModel().selectedRows()
        if not rows:
            current = self.grades_table.currentIndex()
            if not current.isValid() or not self.grades_table.selectionModel().isSelected(current):
                return None
            rows = [current]
        return rows[0].row()

    def selected_case(self) -> GradedCase | None:
        row = self._selected_row()
        grades = self._parts.grades
        if grades is None or row is None:
            return None
        cases = grades.cases
        # The model's rows are the briefing's cases in order (no search through 280,000 of them).
        return cases[row] if 0 <= row < len(cases) and cases[row].case_id == self.grades_model.key(row) else None

    # ------------------------------------------------------------------ grades

    def ask_grade(self) -> None:
        """调整分级… on the selected case of the graded list."""
        case = self.selected_case()
        overview, grades = self._parts.overview, self._parts.grades
        if case is None or overview is None or grades is None:
            return
        dialog = GradeDialog(self.runner, self.actor, grades.month, case, self, today=overview.today)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.graded.connect(self._graded)
        dialog.finished.connect(lambda _r: setattr(self, "grade_dialog", None))
        self.grade_dialog = dialog
        dialog.open()

    def _graded(self, case: GradedCase) -> None:
        self._note = self.tr("Grade of {number} set: {grade}").format(number=case.number, grade=case.grade_text)
        self.graded.emit(case)
        self.refresh()

    # ------------------------------------------------------------------ export

    def _ask_save_path(self, suggested: str) -> str | None:
        path = file_dialogs.save_file_name(self, self.tr("Export the risk briefing"), file_dialogs.PDF, suggested,
                                           self.tr("PDF files (*.pdf)"))
        return path or None

    def _ask_export(self) -> None:
        if self.briefing is None:
            return
        path = self.ask_save_path(f"矛盾纠纷风险研判报告-{self.briefing.month}.pdf")
        if path:
            self.export(Path(path if path.lower().endswith(".pdf") else f"{path}.pdf"))

    def export(self, target: Path) -> None:
        """Build the month's briefing PDF on the slow lane and write it; the export is audited on
        the write lane; then the preview is offered."""
        if self.briefing is None or self.exporting_now:
            return
        actor, month, today = self.actor, self.briefing.month, self.briefing.today
        stop = self._stop_export = threading.Event()

        def build(session: Session) -> Export | None:
            from mediation_desk.documents import briefing as document
            from mediation_desk.files import write_atomically
            from mediation_desk.services import briefing

            data = document.render_pdf(briefing.load(session, actor, month, today=today))
            if stop.is_set():
                return None  # cancelled while it was built: nothing is written
            write_atomically(target, data, what="研判报告")
            return Export(str(target), data)

        def record(session: Session) -> None:
            from mediation_desk.services import briefing

            briefing.record_export(session, actor, month, target=target.name)

        def written(done: Export | None) -> None:
            self._export_ended(stop)
            if done is None:
                return  # cancelled; the button said so
            # Written (even if 取消 came too late): the file is audited and offered.
            self.runner.run_write(record, on_error=lambda failure: self._say(failure.message, error=True))
            self._export = done
            self.preview_button.show()
            self._say(self.tr("Saved: {path}").format(path=done.path), ok=True)
            self.exported.emit(done.path)

        def failed(failure: TaskFailure) -> None:
            self._export_ended(stop)
            self._say(failure.message, error=True)

        self.preview_button.hide()
        self.cancel_button.show()
        self._busy()
        self._enable()
        self._say(self.tr("Writing the PDF…"))
        self.runner.run_slow_read(build, written, failed)

    def cancel_export(self) -> None:
        """取消导出: the PDF being built is not written (one already written is kept, and audited)."""
        if self._stop_export is None:
            return
        self._stop_export.set()
        self._say(self.tr("Export cancelled: no file was written."))

    def _export_ended(self, stop: threading.Event) -> None:
        if self._stop_export is stop:
            self._stop_export = None
        self.cancel_button.hide()
        self._busy()
        self._enable()

    def open_preview(self) -> DocumentPreview | None:
        """The PDF just written in the app's preview (pages, zoom, print)."""
        if self._export is None:
            return None
        from mediation_desk.ui.common.pdf_preview import DocumentPreview

        preview = DocumentPreview(self.runner, self.actor, self, title=Path(self._export.path).name)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.finished.connect(lambda _r: setattr(self, "preview", None))
        preview.set_pdf(self._export.data)
        preview.show()
        self.preview = preview
        return preview


__all__ = ["BriefingView", "FiguresModel", "GradeDialog"]
