"""Row heights of a word-wrapping table over a :class:`RowsModel`, worked out from the rows' texts.

Qt's ``ResizeToContents`` sizes each row by asking the delegate for every cell's size hint, and the
delegate reads about eight roles of the cell through the model's Python ``data()`` each time — and
it measures again whenever the header's length is asked or a column moves (the big case's timeline:
~4,400 calls into Python, most of its first opening's GUI time). Here the texts are read in Python
(``RowsModel.column_texts``) and each is laid out by the table's own style at its column's width,
the measure the delegate makes (``sizeFromContents`` of ``CT_ItemViewItem``); a cell's height is
kept per column, so a width change lays out only that column's texts again, and per text and
width, so the repeated texts (the events, the states, the people) are laid out once.

It assumes what a :class:`RowsModel` text cell is: the table's font, no icon, no check box, no
size hint of the model's own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionViewItem, QTableView

from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.widgets import teardown_safe

#: Texts laid out per (text, width) kept at most; beyond, the store starts again.
KNOWN_TEXTS = 4000


class TextRowHeights(QObject):
    """Keeps each row of ``table`` (word wrap on) exactly as tall as its tallest wrapped text, as
    ``ResizeToContents`` would, without asking the model cell by cell. The rows are fitted when the
    model's rows change (at once when the table is shown, else when it is next shown) and when a
    column's width changes (once the layout has settled); :attr:`fitted` says the heights moved."""

    #: The rows were fitted (the table's length may have changed).
    fitted = Signal()

    def __init__(self, table: QTableView, model: RowsModel[Any]) -> None:
        super().__init__(table)
        self._table = table
        self._model = model
        #: Per column: the width its cells were measured at and each row's height there.
        self._columns: dict[int, tuple[int, list[int]]] = {}
        self._known: dict[tuple[str, int], int] = {}
        self._stale = True
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.fit)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                       model.dataChanged):
            signal.connect(self._rows_changed)
        table.horizontalHeader().sectionResized.connect(self._width_changed)
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (kind not in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.Show)
                or not teardown_safe(self, "_table", "_columns", "_known", "_stale", "_later")):
            return False
        if watched is self._table:
            if kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
                self._forget()
                self._later.start()
            elif kind == QEvent.Type.Show and self._stale:
                self._later.start()
        return False

    def _forget(self) -> None:
        self._columns.clear()
        self._known.clear()
        self._stale = True

    def _rows_changed(self, *_args: object) -> None:
        self._columns.clear()
        self._stale = True
        if self._table.isVisible():
            self.fit()  # before the next paint: a reload of a shown case does not flash

    def _width_changed(self, _column: int, old: int, new: int) -> None:
        if old != new:
            self._stale = True
            if self._table.isVisible():
                self._later.start()

    def row_heights(self) -> list[int]:
        """What each row's height should be now (measured as :meth:`fit` does, nothing set)."""
        table, model = self._table, self._model
        table.ensurePolished()
        header = table.verticalHeader()
        rows = model.rowCount()
        if not rows:
            return []
        option = QStyleOptionViewItem()
        table.initViewItemOption(option)
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
        style = table.style()
        grid = 1 if table.showGrid() else 0
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
        metrics = table.fontMetrics()
        if len(self._known) > KNOWN_TEXTS:
            self._known.clear()
        known = self._known

        def height(text: str, width: int) -> int:
            key = (text, width)
            found = known.get(key)
            if found is None:
                # As the delegate shows it: a new line is a line separator, not a paragraph.
                option.text = text.replace("\n", "\u2028")
                option.rect = QRect(0, 0, width, 1)
                found = known[key] = style.sizeFromContents(
                    QStyle.ContentsType.CT_ItemViewItem, option, QSize(), table).height()
            return found

        tallest = [0] * rows
        for column in range(model.columnCount()):
            if table.isColumnHidden(column):
                continue
            width = table.columnWidth(column) - grid  # as QTableView measures a cell
            kept = self._columns.get(column)
            if kept is None or kept[0] != width or len(kept[1]) != rows:
                one_line = height("0", width)
                room = width - 2 * margin - 2
                cells = [one_line if text.isascii() and text.isprintable()
                         and metrics.horizontalAdvance(text) <= room else height(text, width)
                         for text in model.column_texts(column)]
                kept = self._columns[column] = (width, cells)
            tallest = [max(a, b) for a, b in zip(tallest, kept[1], strict=True)]
        # As ResizeToContents: never below the header's own hint for a row (its number), within
        # the header's bounds.
        floor = header.sectionSizeHint(0)
        low, high = header.minimumSectionSize(), header.maximumSectionSize()
        return [min(max(h + grid, floor, low), high) for h in tallest]

    def fit(self) -> None:
        """Set every row's height now (the table shown or not)."""
        self._later.stop()
        self._stale = False
        header = self._table.verticalHeader()
        for row, wanted in enumerate(self.row_heights()):
            if header.sectionSize(row) != wanted:
                header.resizeSection(row, wanted)
        self.fitted.emit()


__all__ = ["TextRowHeights"]
