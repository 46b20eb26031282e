"""分级情况表: the county's monthly 矛盾纠纷排查调处情况表 by level, in the statistics section.

A month picker, the table (per level a row pair per center — 本月, 本年累计 — a 小计 per level
and the 合计), and 导出PDF / 导出XLSX. Double-clicking a figure (or Enter on it) emits
``open_cases(CaseFilter, title)`` with the figure's own filter, as the dashboard's figures do, so
the case list shows exactly the cases it counted. The table is read on the read lane and the files
are built there too; nothing slow runs on the GUI thread.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.readmodels.levels import COLUMNS, FORMULAS, SPAN_LABELS, LevelRow, LevelsTable, RowKind, Span
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import ROW_FLAGS
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, RefreshWhenShown, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.readmodels.caselist import CaseFilter
    from mediation_desk.services.actor import Actor

SUBTOTAL_BACKGROUND = "#f2f4f7"
MONTHS_OFFERED = 36


class LevelsModel(QAbstractTableModel):
    """The table's rows: two per row of the table (本月, 本年累计); the unit, the span, then the
    figures. A figure's cell holds its filter (``FilterRole``) for the drill-down."""

    CONTEXT = "LevelsModel"
    COL_UNIT, COL_SPAN = 0, 1
    FIRST_FIGURE = 2
    HEADERS = (
        QT_TRANSLATE_NOOP("LevelsModel", "Unit"),
        QT_TRANSLATE_NOOP("LevelsModel", "Period"),
        QT_TRANSLATE_NOOP("LevelsModel", "Screened"),
        QT_TRANSLATE_NOOP("LevelsModel", "Handled"),
        QT_TRANSLATE_NOOP("LevelsModel", "Succeeded"),
        QT_TRANSLATE_NOOP("LevelsModel", "People: under 50"),
        QT_TRANSLATE_NOOP("LevelsModel", "People: 50–100"),
        QT_TRANSLATE_NOOP("LevelsModel", "People: 101–500"),
        QT_TRANSLATE_NOOP("LevelsModel", "People: over 500"),
        QT_TRANSLATE_NOOP("LevelsModel", "Major"),
        QT_TRANSLATE_NOOP("LevelsModel", "Criminal cases prevented: cases"),
        QT_TRANSLATE_NOOP("LevelsModel", "Criminal cases prevented: people"),
        QT_TRANSLATE_NOOP("LevelsModel", "Group petitions prevented: cases"),
        QT_TRANSLATE_NOOP("LevelsModel", "Group petitions prevented: people"),
    )
    #: The figure's CaseFilter (None outside the figures).
    FilterRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[tuple[LevelRow, Span]] = []

    def set_table(self, table: LevelsTable | None) -> None:
        self.beginResetModel()
        self._lines = [(row, span) for row in table.rows for span in Span] if table is not None else []
        self.endResetModel()

    def line(self, row: int) -> tuple[LevelRow, Span] | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            # A heading a word a line: the columns stay narrow.
            return QCoreApplication.translate(self.CONTEXT, self.HEADERS[section]).replace(": ", "\n").replace(
                "：", "\n")
        if role == Qt.ItemDataRole.ToolTipRole and section >= self.FIRST_FIGURE:
            return FORMULAS[COLUMNS[section - self.FIRST_FIGURE]]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return ROW_FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.line(index.row()) is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        line = self.line(index.row())
        assert line is not None
        row, span = line
        column = index.column()
        figure = row.figures(span)[column - self.FIRST_FIGURE] if column >= self.FIRST_FIGURE else None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_UNIT:
                return row.name if span is Span.MONTH else ""
            if column == self.COL_SPAN:
                return SPAN_LABELS[span]
            return f"{figure.value:,}" if figure is not None else None  # a county's year: 932,261
        if role == self.FilterRole:
            return figure.filter if figure is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if figure is not None:
                return FORMULAS[COLUMNS[column - self.FIRST_FIGURE]]
            return row.name
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column >= self.FIRST_FIGURE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and row.kind is not RowKind.CENTER:
            return QBrush(QColor(SUBTOTAL_BACKGROUND))
        if role == Qt.ItemDataRole.FontRole and row.kind is not RowKind.CENTER:
            font = QFont()
            font.setBold(True)
            return font
        return None


def _month_keys(today: date) -> list[str]:
    keys, year, month = [], today.year, today.month
    for _ in range(MONTHS_OFFERED):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return keys


class LevelsView(QWidget):
    """分级情况表: the table of a month for the head's center and the centers below it."""

    #: A figure was double-clicked: the case list should open with this filter under this title.
    open_cases = Signal(object, str)
    table_loaded = Signal(object)
    exported = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("levelsView")
        self.runner = runner
        self.actor = actor
        self.today = today or date.today()
        self.table: LevelsTable | None = None

        self.month_combo = named(QComboBox(), "levelsMonth")
        for key in _month_keys(self.today):
            self.month_combo.addItem(self.tr("{year} month {month}").format(year=key[:4], month=int(key[5:])), key)
        self.refresh_button = named(QPushButton(self.tr("Refresh")), "levelsRefresh")
        self.pdf_button = named(QPushButton(self.tr("Export PDF")), "levelsPdf")
        self.xlsx_button = named(QPushButton(self.tr("Export XLSX")), "levelsXlsx")
        self.status_label = named(QLabel(), "levelsStatus")
        self.status_label.setWordWrap(True)
        month_label = QLabel(self.tr("Month:"))
        month_label.setBuddy(self.month_combo)
        top = QHBoxLayout()
        top.addWidget(month_label)
        top.addWidget(self.month_combo)
        top.addWidget(self.refresh_button)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.pdf_button)
        top.addWidget(self.xlsx_button)

        self.caption = named(QLabel(), "levelsCaption")
        self.caption.setWordWrap(True)
        self.model = LevelsModel(self)
        self.view = named(QTableView(), "levelsTable")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setColumnWidth(LevelsModel.COL_UNIT, 230)
        self.view.setColumnWidth(LevelsModel.COL_SPAN, 70)
        for column in range(LevelsModel.FIRST_FIGURE, len(LevelsModel.HEADERS)):
            # 防止群体性上访 is the longest heading: its two columns are wider.
            self.view.setColumnWidth(column, 96 if column >= len(LevelsModel.HEADERS) - 2 else 74)
        self.hint = named(QLabel(self.tr("Double-click a figure, or press Enter on it, to list the cases it counts. "
                                         "Hover over a column for its formula.")), "levelsHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)

        self.view.activated.connect(self.drill)  # double-click, or Enter on the cell
        self.month_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.pdf_button.clicked.connect(lambda: self._ask_export(".pdf"))
        self.xlsx_button.clicked.connect(lambda: self._ask_export(".xlsx"))
        runner.changed.connect(self._on_changed)
        self._set_exporting(False)
        self.loading = RefreshWhenShown(self, self.refresh, first_when_shown=True)

    def month(self) -> str:
        return str(self.month_combo.currentData())

    def set_month(self, key: str) -> None:
        """Show month ``key`` ("2026-11"); one older than the list offers is added to it."""
        found = self.month_combo.findData(key)
        if found < 0:
            self.month_combo.addItem(self.tr("{year} month {month}").format(year=key[:4], month=int(key[5:])), key)
            found = self.month_combo.count() - 1
        self.month_combo.setCurrentIndex(found)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        actor, month = self.actor, self.month()
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Loading…"))

        def load(session: Session) -> LevelsTable:
            from mediation_desk.services import levels

            return levels.load(session, actor, month)

        self.runner.run_slow_read(load, self._show, self._failed)

    def _on_changed(self, changes: Changes) -> None:
        if changes.case_ids or changes.case_list or changes.organisation:
            self.loading.request()

    def _show(self, table: LevelsTable) -> None:
        if table.month != self.month():
            return  # another month was chosen meanwhile; its table is on its way
        self.table = table
        self.model.set_table(table)
        self.view.clearSpans()
        for i in range(0, self.model.rowCount(), 2):
            self.view.setSpan(i, LevelsModel.COL_UNIT, 2, 1)
        self.view.resizeRowsToContents()
        self.caption.setText(self.tr("{center} — {month}: this month {period}; this year {year}").format(
            center=table.center_name, month=table.month_text, period=table.period_text, year=table.year_text))
        self.status_label.setStyleSheet("")
        self.status_label.setText("")
        self._set_exporting(False)
        self.table_loaded.emit(table)

    def _failed(self, failure: TaskFailure) -> None:
        self._set_exporting(False)
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(failure.message)

    # ------------------------------------------------------------------ drill-down

    def drill(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """The cases behind the figure at ``index`` (nothing for the unit and period cells)."""
        flt = self.model.data(index, LevelsModel.FilterRole)
        line = self.model.line(index.row())
        if flt is None or line is None or self.table is None:
            return
        row, span = line
        heading = QCoreApplication.translate(LevelsModel.CONTEXT, LevelsModel.HEADERS[index.column()])
        self.open_cases.emit(flt, self.tr("{unit}, {span} {month}: {figure}").format(
            unit=row.name, span=SPAN_LABELS[span], month=self.table.month_text, figure=heading))

    def figure_filter(self, row: int, column: int) -> CaseFilter | None:
        value = self.model.data(self.model.index(row, column), LevelsModel.FilterRole)
        return value  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ export

    def _set_exporting(self, busy: bool) -> None:
        for button in (self.pdf_button, self.xlsx_button):
            button.setEnabled(not busy and self.table is not None)

    def _ask_path(self, suffix: str) -> str:
        name = f"矛盾纠纷排查调处情况表-{self.month()}{suffix}"
        filters = self.tr("PDF (*.pdf)") if suffix == ".pdf" else self.tr("Excel workbook (*.xlsx)")
        return file_dialogs.save_file_name(self, self.tr("Save the table by level"), file_dialogs.PDF, name, filters)

    def _ask_export(self, suffix: str) -> None:
        path = self._ask_path(suffix)
        if path:
            self.export(Path(path) if Path(path).suffix.lower() == suffix else Path(path + suffix))

    def export(self, target: Path) -> None:
        """Build the shown month's table as PDF or XLSX (by ``target``'s suffix) on the read lane,
        write it, and audit the export on the write lane."""
        suffix = target.suffix.lower()
        if suffix not in (".pdf", ".xlsx"):
            self._failed_text(self.tr("The file must end in .pdf or .xlsx."))
            return
        actor, month, today = self.actor, self.month(), self.today

        def build(session: Session) -> str:
            from mediation_desk.documents import levels as document
            from mediation_desk.files import write_atomically
            from mediation_desk.services import levels

            table = levels.load(session, actor, month, submitted_on=today)
            data = document.render_pdf(table) if suffix == ".pdf" else document.render_xlsx(table)
            write_atomically(target, data, what="报表文件")
            return str(target)

        def record(session: Session) -> None:
            from mediation_desk.services import levels

            levels.record_export(session, actor, month, target=target.name)

        def written(path: str) -> None:
            self.runner.run_write(record, on_error=self._failed)
            self._set_exporting(False)
            self.status_label.setStyleSheet(OK_STYLE)
            self.status_label.setText(self.tr("Saved: {path}").format(path=path))
            self.exported.emit(path)

        self._set_exporting(True)
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Writing the file…"))
        self.runner.run_slow_read(build, written, self._failed)

    def _failed_text(self, message: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(message)


__all__ = ["LevelsModel", "LevelsView"]
