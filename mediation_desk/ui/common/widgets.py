"""Small helpers and widgets shared by the screens."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QInputMethodEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QWidget

from mediation_desk.ui.common.rows_model import RowsModel

W = TypeVar("W", bound=QObject)
L = TypeVar("L", bound=QLabel)

ERROR_COLOUR = "#c62828"
#: Hints and notes beside a form's fields.
HINT_COLOUR = "#616161"
ERROR_STYLE = f"color: {ERROR_COLOUR};"
OK_STYLE = "color: #2e7d32;"


def named(widget: W, name: str) -> W:
    """Give a widget an object name (what tests and style sheets find it by) inline."""
    widget.setObjectName(name)
    return widget


def tinted(label: L, colour: str) -> L:
    """A label whose text is always ``colour``, by its palette: the same pixels as a style sheet
    ``color: …``, without the sheet's parsing and its own polish at the first show (a form has
    dozens of such labels). Not for a label whose style sheet is set later (a sheet set back to ""
    would leave this colour, not the default)."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    label.setPalette(palette)
    return label


def error_label(name: str) -> QLabel:
    """The red line under a form or over a page that says what went wrong; hidden until it has to."""
    label = named(QLabel(), name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class RowsTable(QTableView):
    """A table whose rows are selected whole: Home/End and Ctrl+Home/Ctrl+End go to the first or
    last row and keep the column (and so the horizontal scroll: the number or name column stays in
    view). Qt's own table jumps to the first or last column as well, which on a wide list scrolls
    the row's leading columns out of sight. Tables that select single cells keep Qt's keys."""

    def moveCursor(self, cursor_action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        action = QAbstractItemView.CursorAction
        model = self.model()
        if (cursor_action in (action.MoveHome, action.MoveEnd) and model is not None and model.rowCount() > 0
                and self.selectionBehavior() is QAbstractItemView.SelectionBehavior.SelectRows):
            current = self.currentIndex()
            column = current.column() if current.isValid() else self.columnAt(0)
            if column < 0:
                column = self.horizontalHeader().logicalIndex(0)
            row = 0 if cursor_action is action.MoveHome else model.rowCount() - 1
            return model.index(row, column)
        return super().moveCursor(cursor_action, modifiers)


def list_table(model: QAbstractItemModel, name: str, widths: dict[int, int] | None = None, *,
               several: bool = False) -> QTableView:
    """A read-only list of rows (the desk's lists, visits, the calendar): whole-row selection (of
    one row, or of ``several``), fixed row heights, the given column widths, and room for at
    least three rows."""
    table = named(RowsTable(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if several
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    for column, width in (widths or {}).items():
        header.resizeSection(column, width)
    table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 3 + header.sizeHint().height())
    return table


#: How many of a column's widest rows (measured with the table's font) Qt itself is asked to size.
WIDEST_SIZED = 3


def widen_to_contents(table: QTableView, *columns: int) -> None:
    """Columns that must be read whole (a case number): whenever rows arrive, each of ``columns``
    grows to its widest row if that is wider than it is (never narrower than it was set). A
    township's number, （2026）甘州梁家墩调字第0010号, is four characters longer than the county's
    and was elided in the desk's lists at the county's width.

    Over a :class:`RowsModel` (the desk's lists) the rows' texts are read in Python and measured
    with the table's font (``QFontMetrics``), and Qt's own size hint — margins, grid, a cell's own
    font — is asked of the :data:`WIDEST_SIZED` widest only: ``sizeHintForColumn`` asks it of every
    row, ~10 calls into the model a row, 14 ms of the GUI thread for a list of 500 at load 1.5
    (2 ms this way). Any other model: ``sizeHintForColumn``."""
    header = table.horizontalHeader()

    def widen() -> None:
        model = table.model()
        if model.rowCount() == 0:
            return
        metrics = table.fontMetrics()
        grid = 1 if table.showGrid() else 0
        for column in columns:
            if isinstance(model, RowsModel):
                texts = model.column_texts(column)
                widest = heapq.nlargest(WIDEST_SIZED, range(len(texts)),
                                        key=lambda r: metrics.horizontalAdvance(texts[r]))
                wanted = max(table.sizeHintForIndex(model.index(r, column)).width() for r in widest) + grid
            else:
                wanted = table.sizeHintForColumn(column)
            if wanted > header.sectionSize(column):
                header.resizeSection(column, wanted)

    model = table.model()
    for signal in (model.modelReset, model.rowsInserted, model.layoutChanged):
        signal.connect(widen)


def out_of_sight(widget: QWidget) -> bool:
    """Whether nobody can see ``widget`` now and it will be told (a show event) when they can: it
    is hidden inside a window that is on screen (a section behind another tab, a case page of a
    section not shown), its window is minimised, or its window was shown and hidden again (closed).
    Such a widget can read when it is shown again instead of at once (:class:`RefreshWhenShown`).
    A widget whose window was never shown nor hidden (being made, or driven by a test without a
    window) is not "out of sight": it reads at once."""
    window = widget.window()
    if not window.isVisible():
        return window.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
    return window.isMinimized() or not widget.isVisible()


def teardown_safe(event_filter: QObject, *names: str) -> bool:
    """Whether an event filter still has the attributes ``names``. Python's cyclic collector
    empties the attributes of the objects it frees before any of them is deleted, and a widget freed
    so sends its filters events from its destructor (hide, parent and child changes): a filter
    asking for its attributes then raised AttributeError from inside Qt. An event filter whose
    widget may go with the collector asks this before it reads its own attributes."""
    attributes = vars(event_filter)
    return all(name in attributes for name in names)


class RefreshWhenShown(QObject):
    """The one way a screen refreshes what comes into sight: while its widget is
    :func:`out_of_sight`, a request only marks it :attr:`stale`, and it reads when next shown
    (another tab chosen, the window restored or shown again); on screen it reads at once. On a
    county's database a section's read takes seconds and the read lane is serial — a hidden panel
    reloading after every registration would hold up the search the user is waiting for.

    ``first_when_shown``: the widget's first read waits for it to be shown (a section made with
    the window, or behind a tab, reads nothing until someone looks at it)."""

    def __init__(self, widget: QWidget, load: Callable[[], None], *, first_when_shown: bool = False) -> None:
        super().__init__(widget)
        self._widget = widget
        self._load = load
        #: A request came while the widget was out of sight: it reads when next shown.
        self.stale = first_when_shown
        widget.installEventFilter(self)

    def request(self) -> None:
        """Load now if the widget is in sight, else when it is shown."""
        if not self.defer():
            self.stale = False
            self._load()

    def defer(self) -> bool:
        """For a screen that reads in its own way when in sight (only the rows that changed, not
        again if a read is queued): if the widget is out of sight, mark it stale (the load runs when
        it is shown) and say so; else False, and the caller reads now as it sees fit."""
        if out_of_sight(self._widget):
            self.stale = True
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The event's kind first, then this filter's attributes through teardown_safe: a widget that
        # goes with Python's collector is deleted after the collector emptied its filter's attributes,
        # and its destructor still sends the filter events (hide, child removed…).
        if event.type() != QEvent.Type.Show or not teardown_safe(self, "_widget", "stale", "_load"):
            return False
        # A window shown minimised shows its widgets too: they read once it is restored.
        if watched is self._widget and self.stale and not out_of_sight(self._widget):
            self.stale = False
            self._load()
        return False


_IGNORED_FOCUS_REASONS = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


class ImeLineEdit(QLineEdit):
    """A line edit that knows when an input-method composition is open, and says when the clerk
    is done with the field: :attr:`left` fires when focus moves to another field of the window,
    or, if a composition was still open then, once that composition ends."""

    #: The clerk left the field (not for a menu or another window): time to check it.
    left = Signal()
    #: A composition started (True) or ended (False).
    composing_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._composing = False
        self._left_while_composing = False

    @property
    def composing(self) -> bool:
        return self._composing

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        super().inputMethodEvent(event)
        composing = bool(event.preeditString())
        if composing == self._composing:
            return
        self._composing = composing
        self.composing_changed.emit(composing)
        if not composing and self._left_while_composing:
            self._left_while_composing = False
            if not self.hasFocus():
                self.left.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() in _IGNORED_FOCUS_REASONS:
            return  # a context menu or a look at another window is not leaving the field
        if self._composing:
            self._left_while_composing = True
            return
        self.left.emit()
