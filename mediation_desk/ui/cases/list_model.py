"""The case list as a lazy table model: a row count, and windows of rows fetched as they are painted.

Like Anki's browser table the model never holds all rows. It knows the total, keeps a bounded LRU
cache of windows (``WINDOW`` rows each) and, when the view paints a row it does not have
(the table tells it which rows it paints, :meth:`CaseListModel.show_rows`), shows a placeholder
and asks the read lane for that window; the rows then arrive by ``dataChanged``. What the view
paints is held by Qt's own item model (see :class:`CaseListModel`), so painting runs no Python —
for the first :data:`STORE_WINDOWS` windows and the last :data:`TAIL_WINDOWS` (where Ctrl+End
lands); the rows between are only counted until fetched, so a list's length costs nothing however
long it is (:class:`_FarRows`). A window that follows a
cached one continues from its last sort key (keyset), so scrolling down a million rows stays an
index range scan; a jump far away is served by the service counting from the nearer end.

Sorting goes through :meth:`CaseListModel.sort`, which maps the column to a
:class:`~mediation_desk.services.caselist.SortKey`; only indexed columns sort.

For the benchmarks: :meth:`set_query` (or :meth:`sort`) starts a load, :attr:`count_changed`
reports the total, :meth:`load_rows` asks for any range at once (e.g. the last row), and
:attr:`rows_loaded` fires when a window has arrived, so "time to first rows", "jump to last row"
and "re-sort by received date" are each the time from the call to the matching ``rows_loaded``.
"""

from __future__ import annotations

import functools
import operator
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QConcatenateTablesProxyModel,
    QCoreApplication,
    QIdentityProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from mediation_desk.models import ClockColour, ClockStage
from mediation_desk.services import caselist
from mediation_desk.services.caselist import CaseQuery, CaseRow, SortKey
from mediation_desk.services.search import highlight_spans, words_of
from mediation_desk.services.workflow import FINAL_STATES
from mediation_desk.ui.common.format import (
    CLOCK_COLOURS,
    FINAL_COLOUR,
    STATE_COLOURS,
    TodayProvider,
    clock_icon,
    clock_meaning,
    format_day,
    format_time,
    risk_icon,
)
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.search_highlight import needs_shaping, shaped, utf16_spans
from mediation_desk.ui.common.tasks import Hold, TaskFailure, TaskHandle, TaskRunner
from mediation_desk.ui.common.widgets import RefreshWhenShown

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget
    from sqlalchemy.orm import Session

    from mediation_desk.changes import Changes
    from mediation_desk.services.actor import Actor

#: Rows per window: a screen holds ~30 rows, so one window covers several screens of scrolling.
WINDOW = 150
#: The rows of a new query read first, before its count and the rest of its first window: a
#: screen's worth, what the search service's own first page holds.
FIRST_ROWS = 50
#: Windows kept in memory (LRU): 40 × 150 = 6,000 rows, a few MB at most.
MAX_WINDOWS = 40
#: Window requests allowed in the read lane at once; older queued ones are dropped when the user
#: scrolls on, since the view asks again for whatever it still paints.
MAX_QUEUED_WINDOWS = 4
#: Windows fetched again after a change: the ones the user most recently looked at.
REFRESH_WINDOWS = 3
#: The windows at the top of a list whose rows are rows of Qt's own store (40 × 150 = 6,000 rows:
#: ~0.5 MB of empty rows, made in ~0.5 ms): painting them calls no Python. The rows below are
#: answered in Python (:class:`_FarRows`), so a list of a million costs no more to show than one of
#: 6,000 (its store grown to a million rows took ~80 ms of the GUI thread and ~100 MB).
STORE_WINDOWS = 40
#: The windows at the end of a long list whose rows are rows of a second store of Qt's, after the
#: far rows: where Ctrl+End (and a reversed order's first rows, read from the end) land is painted
#: by Qt as the top is. Two, so that the last screen is in it however the last window is filled.
TAIL_WINDOWS = 2

Key = tuple[Any, ...]

class _Window(list[CaseRow]):
    """A window's rows, the text of each of their cells (dates, the names of states and risk
    levels) and, for a search, where its words are in the highlighted cells: worked out once per
    row, on the read lane with the rows (the GUI thread only makes the items of them)."""

    texts: list[tuple[str, ...] | None]
    #: The words the spans were found for, and each highlighted text's UTF-16 spans of them.
    words: tuple[str, ...]
    hits: dict[str, list[tuple[int, int]]]
    #: A new query's first window read as far as its screen: the cases of the rows after these
    #: (id, sort key), whose columns are read right after the screen is painted.
    rest: list[caselist.Keyed]
    #: A new query's first window read as far as its screen whose ranking stopped there
    #: (``caselist.fetch_first`` found the screen's rows sooner than the window's): the rows after
    #: these, up to :data:`FIRST_ROWS`, are ranked and read right after the screen is painted.
    more: bool


def _window(rows: list[CaseRow], words: tuple[str, ...] = ()) -> _Window:
    window = _Window(rows)
    window.rest = []
    window.more = False
    texts_of = CaseListModel.texts_of
    window.texts = [texts_of(row) for row in rows]
    window.words = words
    window.hits = {}
    if words:
        hits = window.hits
        for texts in window.texts:
            assert texts is not None
            for column in CaseListModel.HIGHLIGHTED_COLUMNS:
                text = texts[column]
                if text and text not in hits:
                    hits[text] = utf16_spans(text, highlight_spans(text, words))
    return window


_WORDS = operator.attrgetter("words")


def _words(query: CaseQuery) -> tuple[str, ...]:
    """The words a query's rows are highlighted for (as the list's view sets its delegate's)."""
    return words_of(query.filter.text or "")


@functools.cache
def _shaped_font() -> QFont:
    """The font of a cell whose text is shaped (:func:`~mediation_desk.ui.common.search_highlight.needs_shaping`)
    in the list's table, which draws the rest unshaped."""
    return shaped()


@functools.cache
def _brush(colour: str) -> QBrush:
    """One brush per colour, made once: a screen of rows asks for a few hundred."""
    return QBrush(QColor(colour))


#: What every cell of the list is: enabled and selectable, never editable, no children (what
#: QAbstractTableModel answered for every cell).
_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
#: The role a ``QStandardItem`` keeps its flags in (``setFlags`` sets it), and those flags as its value:
#: set as data, the flags are not converted at every call.
_FLAGS_ROLE = int(Qt.ItemDataRole.UserRole) - 1
_FLAGS_VALUE = _FLAGS.value
_DISPLAY = Qt.ItemDataRole.DisplayRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FONT = Qt.ItemDataRole.FontRole
_ROOT = QModelIndex()


class _Slots:
    """The items of the windows fetched below the store's rows: a store of their own that no view
    shows, ``WINDOW`` rows a window (a slot), its slots used again as windows come and go."""

    def __init__(self, columns: int) -> None:
        self.store = QStandardItemModel(0, columns)
        #: The slot of each window placed here.
        self.of: dict[int, int] = {}
        #: How many of each window's first rows hold items.
        self.filled: dict[int, int] = {}
        #: The roles of each painted cell of a window, (offset, column) → role → value: asked of
        #: its item once, not at every paint (Python answers each role of each far cell).
        self.roles: dict[int, dict[tuple[int, int], dict[int, Any]]] = {}
        self._free: list[int] = []

    def base(self, window: int, *, make: bool = False) -> int | None:
        """The store's row of ``window``'s first row (a slot taken for it if ``make``)."""
        slot = self.of.get(window)
        if slot is None:
            if not make:
                return None
            if self._free:
                slot = self._free.pop()
            else:
                slot = self.store.rowCount() // WINDOW
                self.store.setRowCount((slot + 1) * WINDOW)
            self.of[window] = slot
        return slot * WINDOW

    def changed(self, window: int) -> None:
        """``window``'s items were made or taken: the roles kept of them are dropped."""
        self.roles.pop(window, None)

    def release(self, window: int) -> None:
        """``window``'s slot emptied (its rows removed and put back, in C++) and free again."""
        slot = self.of.pop(window, None)
        self.filled.pop(window, None)
        self.roles.pop(window, None)
        if slot is not None:
            self.store.removeRows(slot * WINDOW, WINDOW)
            self.store.insertRows(slot * WINDOW, WINDOW)
            self._free.append(slot)

    def clear(self) -> None:
        self.store.setRowCount(0)
        self.of.clear()
        self.filled.clear()
        self.roles.clear()
        self._free.clear()


class _FarRows(QAbstractTableModel):
    """A list's rows below its store's (from row ``first``): no rows of their own, only their number,
    so a million of them cost nothing to add. A cell of a fetched window answers what its item in
    the slots' store holds (made as the store's are, :meth:`CaseListModel._fill`); a row not fetched
    shows "Loading…". Answered in Python, each role of each cell through the concatenation (index,
    row count, data): a screen of these rows costs ~3 × Qt's own paint (~23 against ~7 ms of CPU at
    load 10), and only a list scrolled past its first :data:`STORE_WINDOWS` windows, short of its last
    :data:`TAIL_WINDOWS`, shows them.

    Asked only by the concatenation, for rows of its root: the parent is not looked at."""

    def __init__(self, slots: _Slots, first: int, columns: int) -> None:
        super().__init__()
        self._slots = slots
        self._columns = columns
        self.first = first
        self.rows = 0

    def resize(self, rows: int) -> None:
        """``rows`` rows, inserted or removed at the end."""
        if rows > self.rows:
            self.beginInsertRows(QModelIndex(), self.rows, rows - 1)
            self.rows = rows
            self.endInsertRows()
        elif rows < self.rows:
            self.beginRemoveRows(QModelIndex(), rows, self.rows - 1)
            self.rows = rows
            self.endRemoveRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return self.rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return self._columns

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        # Qt's own asks rowCount and columnCount of Python first, for every role of every cell.
        if 0 <= row < self.rows and 0 <= column < self._columns:
            return self.createIndex(row, column)
        return QModelIndex()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Vertical and role == _DISPLAY:
            return self.first + section + 1  # numbered on from the store's rows
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        row = self.first + index.row()
        window = row // WINDOW
        offset = row - window * WINDOW
        slots = self._slots
        if offset < slots.filled.get(window, 0):
            column = index.column()
            cells = slots.roles.get(window)
            if cells is None:
                cells = slots.roles[window] = {}
            roles = cells.get((offset, column))
            if roles is None:
                store = slots.store
                roles = cells[offset, column] = store.itemData(
                    store.index(slots.of[window] * WINDOW + offset, column))
            return roles.get(role)
        if index.column() == CaseListModel.COL_NUMBER:
            if role == _DISPLAY:
                return QCoreApplication.translate("CaseListModel", "Loading…")
            if role == _FOREGROUND:
                return _brush(FINAL_COLOUR)
            if role == _FONT:  # as the store's "Loading…" (:meth:`CaseListModel._loading_item`)
                loading = QCoreApplication.translate("CaseListModel", "Loading…")
                return _shaped_font() if needs_shaping(loading) else None
        return None


class _Page:
    """What the list shows of one query: Qt's store of its first rows (up to :data:`STORE_WINDOWS`
    windows), the rows below them (:class:`_FarRows`, over the slots of their fetched windows), the
    last :data:`TAIL_WINDOWS` windows of a longer list in a store of Qt's again (:attr:`tail`), and
    the three concatenated (:attr:`rows`, the list's source)."""

    def __init__(self, columns: int) -> None:
        # Made first, so freed first: it never outlives the models it points at.
        self.rows = QConcatenateTablesProxyModel()
        self.top = STORE_WINDOWS * WINDOW
        self.store = QStandardItemModel(0, columns)
        self.slots = _Slots(columns)
        self.far = _FarRows(self.slots, self.top, columns)
        self.tail = QStandardItemModel(0, columns)
        self.rows.addSourceModel(self.store)
        self.rows.addSourceModel(self.far)
        self.rows.addSourceModel(self.tail)

    @property
    def end(self) -> int:
        """The list's row of the tail's first row (after the far rows)."""
        return self.top + self.far.rows

    def count(self) -> int:
        return self.store.rowCount() + self.far.rows + self.tail.rowCount()

    def resize(self, rows: int) -> None:
        """``rows`` rows, inserted or removed at the end only (the rows the view holds keep their
        places, and its current row with them): the store's first; a list that grows past them gets
        its far rows and a tail of its last :data:`TAIL_WINDOWS` windows, and later keeps that tail's
        start, the tail growing or shrinking at its end (after a change the rows coming or going are
        a few). Fewer rows than the tail's start end the tail: the far rows end at the end, and
        grow there (a tail starts at a window's first row, so that no window straddles two stores)."""
        top, end = self.top, self.end
        if rows <= top:
            self._tail_rows(0)
            self.far.resize(0)
            self.store.setRowCount(rows)
            return
        if self.store.rowCount() < top:
            self.store.setRowCount(top)
        if not self.far.rows and not self.tail.rowCount():
            # The tail starts at the last windows' first row, below the store's rows.
            end = max(top, ((rows - 1) // WINDOW - TAIL_WINDOWS + 1) * WINDOW)
            self.far.resize(end - top)
        if rows >= end and (end - top) % WINDOW == 0:
            self._tail_rows(rows - end)
        else:
            self._tail_rows(0)
            self.far.resize(rows - top)

    def _tail_rows(self, rows: int) -> None:
        """The tail holds ``rows`` rows, numbered on from the far rows (as labels, made in one call
        of Qt's: a Python call for each took ~0.5 ms of the count's callback; set quietly, as no
        view has asked the new rows' numbers yet)."""
        tail, had = self.tail, self.tail.rowCount()
        tail.setRowCount(rows)
        if rows > had:
            end = self.end
            blocked = tail.blockSignals(True)
            try:
                tail.setVerticalHeaderLabels([str(end + row + 1) for row in range(rows)])
            finally:
                tail.blockSignals(blocked)

    def base(self, window: int, *, make: bool = False) -> tuple[QStandardItemModel, int] | None:
        """The store holding ``window``'s items and its row of the window's first row: the list's
        own for the top windows, the tail for the last ones; a slot of the far windows' (taken if
        ``make``), or None."""
        first = window * WINDOW
        if first < self.top:
            return self.store, first
        end = self.end
        if first >= end:
            return self.tail, first - end
        base = self.slots.base(window, make=make)
        return None if base is None else (self.slots.store, base)

    def empty(self) -> None:
        self.resize(0)
        self.slots.clear()


class CaseListModel(QIdentityProxyModel):
    """The list as the view sees it: Qt's own models answer every painted cell in C++. The rows
    fetched are kept as items of a ``QStandardItemModel`` (the store), each cell's item made once
    per fetched row with every role it answers (text, icon, colour, tooltip, the row's case), and
    this proxy shows the store as it is: painting a screen calls no Python at all. The store holds
    a list's first :data:`STORE_WINDOWS` windows of rows; the rest of a long list are rows of
    :class:`_FarRows` after them (a million rows cost nothing to add), answered in Python from the
    items of their fetched windows, made as the store's, but for its last :data:`TAIL_WINDOWS`
    windows, rows of a second store of Qt's (:attr:`_Page.tail`). A new query gets a new store (one reset;
    the old one is freed after the paint). Rows not fetched yet have no items; the view asks for
    the rows it paints (:meth:`show_rows`), which shows "Loading…" in them and fetches their window."""
    # The order a clerk reads a row in: which case, when it came, what it is about, where it is.
    COL_NUMBER = 0
    COL_RECEIVED = 1
    COL_TITLE = 2
    COL_APPLICANTS = 3
    COL_STATE = 4
    #: When the running stage is due, with its green / yellow / red dot.
    COL_DEADLINE = 5
    COL_RISK = 6
    COL_TYPE = 7
    COL_TEAM = 8
    COL_LEAD = 9
    COL_UPDATED = 10
    COLUMN_COUNT = 11
    #: The columns a search's words are drawn highlighted in.
    HIGHLIGHTED_COLUMNS = (COL_NUMBER, COL_TITLE, COL_APPLICANTS)

    HEADERS = (
        QT_TRANSLATE_NOOP("CaseListModel", "Case number"),
        QT_TRANSLATE_NOOP("CaseListModel", "Received"),
        QT_TRANSLATE_NOOP("CaseListModel", "Title"),
        QT_TRANSLATE_NOOP("CaseListModel", "Applicants"),
        QT_TRANSLATE_NOOP("CaseListModel", "State"),
        QT_TRANSLATE_NOOP("CaseListModel", "Deadline"),
        QT_TRANSLATE_NOOP("CaseListModel", "Risk"),
        QT_TRANSLATE_NOOP("CaseListModel", "Dispute type"),
        QT_TRANSLATE_NOOP("CaseListModel", "Team"),
        QT_TRANSLATE_NOOP("CaseListModel", "Lead mediator"),
        QT_TRANSLATE_NOOP("CaseListModel", "Updated"),
    )
    #: The columns that sort, each on an index of dispute_case.
    SORT_KEYS: ClassVar[dict[int, SortKey]] = {
        COL_NUMBER: SortKey.NUMBER,
        COL_TYPE: SortKey.DISPUTE_TYPE,
        COL_STATE: SortKey.STATE,
        COL_TEAM: SortKey.TEAM,
        COL_RECEIVED: SortKey.RECEIVED,
        COL_UPDATED: SortKey.UPDATED,
    }

    CaseIdRole = Qt.ItemDataRole.UserRole + 1
    #: The whole ``CaseRow`` (None while the row is loading).
    CaseRowRole = Qt.ItemDataRole.UserRole + 2
    #: The ``ClockColour`` of the row's clock today, as its value (a str equal to the member: Qt
    #: keeps a str), None when no clock runs.
    ClockColourRole = Qt.ItemDataRole.UserRole + 3

    #: The number of rows matching the query is known (after a new query or a refresh).
    count_changed = Signal(int)
    #: Rows ``first`` … ``last`` arrived.
    rows_loaded = Signal(int, int)
    #: A refresh after a change read its rows (they may have moved under the selection); again when
    #: its count, read after them, changed the rows.
    refreshed = Signal()
    #: A refresh's rows are in and the list counts them again: :attr:`total` (the argument) is the
    #: previous count until :attr:`count_changed` says the new one.
    recounting = Signal(int)
    load_failed = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, query: CaseQuery | None = None,
                 parent: QObject | None = None, *, today: TodayProvider | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._today: TodayProvider = today or date.today
        #: The day cells are painted for, and until when (``time.monotonic``) it is taken as today.
        self._day = date.min
        self._day_until = 0.0
        self._query = query or CaseQuery()
        self._total = 0
        #: Bumped by every new query or refresh; results of older generations are dropped.
        self._generation = 0
        #: A new query's count, or a refresh's rows, are on their way; until then rows are not
        #: fetched one window at a time.
        self._counting = False
        #: A refresh's rows are in and their count is on its way (on the count lane): :attr:`total`
        #: is the previous count meanwhile.
        self._recounting = False
        #: A change noticed while the list's view is out of sight marks the list :attr:`stale`,
        #: refreshed when the view is shown (:meth:`refresh_when_shown`); without a view, always
        #: in sight.
        self.when_shown: RefreshWhenShown | None = None
        #: The count on its way belongs to a new query (rows restart at the top).
        self._reset_pending = False
        #: The count on its way (a new query's, read after its first rows and cancelled when they
        #: are all; or a refresh's): a newer query or refresh cancels it.
        self._count_handle: TaskHandle | None = None
        #: Submits the count of the new query (after its first rows are painted).
        self._start_counting: Callable[[], None] = lambda: None
        self._windows: OrderedDict[int, _Window] = OrderedDict()
        self._inflight: dict[int, TaskHandle | None] = {}
        self._wanted: list[int] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)
        #: The rows of the previous query, emptied after the paint of the new one's rows.
        self._spent: _Page | None = None
        #: Rows that were shown "Loading…" (their items go with the rest at a new order).
        self._loading: set[int] = set()
        #: How many rows the view shows at once (its height in rows), asked when a new query is
        #: read: only those rows' columns are read before its first paint, the rest right after it.
        #: Set by a view that calls :meth:`show_rows` before each paint; None: all at once.
        self.screen_rows: Callable[[], int] | None = None
        #: The read of the rest of a new query's first window (after its screen's rows, :attr:`_Window.rest`).
        self._rest_handle: TaskHandle | None = None
        #: The fetched rows' items, shown through this proxy; and the day their clocks are for.
        self._page = self._new_page(0)
        self._items_day = date.min
        #: The deadline's tooltip of each clock colour and stage (:meth:`_clock_tip`).
        self._clock_tips: dict[tuple[ClockColour, ClockStage], str] = {}
        self.setSourceModel(self._page.rows)
        runner.changed.connect(self.on_changed)
        self._start_count(reset=True, audit=True)  # the list shown when it opens is one the person looked at

    # ------------------------------------------------------------------ the store

    def _label(self, store: QStandardItemModel) -> None:
        """The columns' titles (and which cannot sort) held by the store, so the header asks them
        of Qt, not of Python, at every new query's reset (four roles of each column); rows are
        numbered by the store as before (from 1).

        Set as data, so that the store makes the header items itself: an item made in Python and
        handed to the store stays tied to its Python wrapper, and when a dropped list is collected
        (a reference cycle: 注销) the collector may clear that wrapper before the store's, which
        gives the item back to Python and deletes it — then the store's destructor deleted it
        again (a segmentation fault in ``~QStandardItemModel``)."""
        horizontal = Qt.Orientation.Horizontal
        for section, source in enumerate(self.HEADERS):
            store.setHeaderData(section, horizontal, QCoreApplication.translate("CaseListModel", source), _DISPLAY)
            if section not in self.SORT_KEYS:
                store.setHeaderData(section, horizontal,
                                    QCoreApplication.translate("CaseListModel", "This column cannot be sorted"),
                                    _TOOLTIP)

    def _new_page(self, rows: int) -> _Page:
        """Empty rows, ``rows`` of them: the previous query's, emptied after its paint, or new
        ones. No parent: a source model that is its proxy's child is deleted while the proxy is
        being destroyed, and tells the half-destroyed proxy so. This model holds them."""
        page, self._spent = self._spent, None
        if page is None:
            page = _Page(self.COLUMN_COUNT)
            self._label(page.store)
        elif page.count():
            page.empty()  # two queries within a millisecond: not emptied yet
        page.resize(rows)
        return page

    def _swap_store(self, rows: int, windows: dict[int, _Window]) -> None:
        """New rows, ``rows`` of them, holding ``windows``, shown in one reset (the list's state
        is already the new one when the view hears of it); the old rows' items are freed once the
        event loop has painted, and the old rows taken again by the next swap."""
        old, self._page = self._page, self._new_page(rows)
        self._clock_tips.clear()
        for window, fetched in windows.items():
            self._place(window, fetched, fresh=True)
        self.setSourceModel(self._page.rows)
        self._spent = old
        self._loading.clear()
        QTimer.singleShot(1, partial(self._empty, old))

    def _empty_rows(self) -> None:
        """The same list in another order: its rows emptied in one reset, in the same store (a new
        one would take ~50 ms to make a million rows)."""
        self.beginResetModel()
        for window in self._windows:
            self._drop(window)
        for row in self._loading:
            self._clear(row, row)
        self._windows.clear()
        self._loading.clear()
        self.endResetModel()

    def _empty(self, page: _Page) -> None:
        if page is self._spent:  # not taken again by a query within the millisecond
            page.empty()

    def _place(self, window: int, rows: _Window, only: range | None = None, *, fresh: bool = False) -> None:
        """The items of ``rows`` (all, or the offsets ``only``), made once with every role a cell
        answers, into the store (or the far windows' slots); the store says nothing (the callers
        tell the view what changed). ``fresh``: the rows hold no items yet (a new store), else what
        they hold is dropped first."""
        today = self._items_day = self._painting_day()
        offsets = range(min(len(rows), self._page.count() - window * WINDOW)) if only is None else only
        if not offsets:
            return
        where = self._page.base(window, make=True)
        assert where is not None
        store, first = where
        if store is self._page.slots.store:  # a far window: the rows with items are its first ones
            filled = self._page.slots.filled
            filled[window] = len(offsets) if only is None else max(filled.get(window, 0), max(offsets) + 1)
            self._page.slots.changed(window)
        blocked = store.blockSignals(True)
        try:
            for offset in offsets:
                texts = rows.texts[offset]
                if texts is None:
                    texts = rows.texts[offset] = self.texts_of(rows[offset])
                if not fresh and store.item(first + offset, self.COL_NUMBER) is not None:
                    for column in range(self.COLUMN_COUNT):  # its old roles must not stay
                        store.takeItem(first + offset, column)
                self._fill(store, first + offset, rows[offset], texts, today)
        finally:
            # The last row's prototype (made in Python, see :meth:`_fill`) is deleted now: left in
            # the store, a collection of a dropped list could delete it twice, as a header item
            # made in Python (:meth:`_label`).
            store.setItemPrototype(None)  # type: ignore[arg-type]  # Qt takes a null prototype
            store.blockSignals(blocked)

    def _place_changed(self, window: int, rows: _Window, held: _Window | None) -> None:
        """A window read again after a write: the items of the rows that differ from those it held
        (a one-case save reads up to three windows again, and making every cell's items anew took
        26–79 ms of the GUI thread on the 1M demo), all of them for a far window, another day's
        clocks or a window without its items."""
        where = self._page.base(window)
        if (held is None or where is None or where[0] is self._page.slots.store
                or self._items_day != self._painting_day()):
            self._place(window, rows)
            return
        store, first = where
        count = min(len(rows), self._page.count() - window * WINDOW)
        for offset in range(count):
            if (offset < len(held) and held[offset] == rows[offset] and held.texts[offset] == rows.texts[offset]
                    and store.item(first + offset, self.COL_NUMBER) is not None):
                continue  # the same row, its items as they are
            self._place(window, rows, range(offset, offset + 1))

    def _clear(self, first: int, last: int) -> None:
        """No items left in rows ``first`` … ``last`` of one window (rows of cases that left the
        list, or shown "Loading…"): they show "Loading…" again when painted."""
        window = first // WINDOW
        where = self._page.base(window)
        if where is None:
            return  # a far window without items
        store, base = where
        start = window * WINDOW
        if store is self._page.slots.store:
            filled = self._page.slots.filled
            filled[window] = min(filled.get(window, 0), first - start)
            self._page.slots.changed(window)
        blocked = store.blockSignals(True)
        try:
            for row in range(first, min(last, start + WINDOW - 1, self._page.count() - 1) + 1):
                for column in range(self.COLUMN_COUNT):
                    store.takeItem(base + row - start, column)
        finally:
            store.blockSignals(blocked)

    def _drop(self, window: int) -> None:
        """A window's items dropped (from memory, or not read again after a change): its rows show
        "Loading…" again when painted."""
        first = window * WINDOW
        if first < self._page.top or first >= self._page.end:
            self._clear(first, first + WINDOW - 1)
        else:
            self._page.slots.release(window)

    def show_rows(self, first: int, last: int) -> None:
        """The view is about to paint rows ``first`` … ``last``: the ones not fetched show
        "Loading…" (set quietly: the paint that follows draws it) and their windows are asked
        for. A new day (asked at most once a second) recolours the clocks first."""
        if self._windows and self._painting_day() != self._items_day:
            self.recolour()
        last = min(last, self._total - 1)
        if last < 0 or first > last:
            return
        page = self._page
        for window in range(max(first, 0) // WINDOW, last // WINDOW + 1):
            start = max(first, window * WINDOW)
            end = min(last, window * WINDOW + WINDOW - 1)
            rows = self._windows.get(window)
            if rows is not None:
                self._windows.move_to_end(window)
                start = max(start, window * WINDOW + len(rows))
            else:
                self._want(window)
            if start > end or page.top <= window * WINDOW < page.end:
                continue  # a far row not fetched answers "Loading…" itself
            where = page.base(window)
            assert where is not None
            store, base = where
            base -= window * WINDOW
            blocked = store.blockSignals(True)
            try:
                for row in range(start, end + 1):
                    if store.item(base + row, self.COL_NUMBER) is None:
                        store.setItem(base + row, self.COL_NUMBER, self._loading_item())
                        self._loading.add(row)
            finally:
                store.blockSignals(blocked)

    @staticmethod
    def _loading_item() -> QStandardItem:
        text = QCoreApplication.translate("CaseListModel", "Loading…")
        item = QStandardItem(text)
        item.setFlags(_FLAGS)
        item.setData(_brush(FINAL_COLOUR), _FOREGROUND)
        if needs_shaping(text):  # untranslated
            item.setData(_shaped_font(), _FONT)
        return item

    def _painting_day(self) -> date:
        """Today, asked of the provider at most once a second while painting: ``date.today()`` costs
        more than the rest of a cell's answer (it imports the time module anew on every call,
        through PySide's import hook)."""
        moment = time.monotonic()
        if moment >= self._day_until:
            self._day = self._today()
            self._day_until = moment + 1.0
        return self._day

    def _fill(self, store: QStandardItemModel, number: int, row: CaseRow, texts: tuple[str, ...],
              today: date) -> None:
        """The items of row ``number`` of ``store`` (empty) for ``row`` on ``today``: their text;
        the row's case (id, whole row, clock colour) in every cell; the grey of a finished case or
        the state's colour; the risk's icon; the clock's icon, colour and tooltip; the title's and
        applicants' text as tooltip.

        Made by Qt: the store clones a prototype holding what every cell of the row holds into
        each cell given its text, which takes a third of the calls of making each item here; and
        the items have no Python wrappers (a clone made from Python has one, which PySide keeps
        after the store deleted the item, and frees again). The prototype is the store's until the
        next row's replaces it (Qt deletes the previous one) and :meth:`_place` removes the last."""
        final = row.state in FINAL_STATES
        colour = row.clock_colour(today)
        prototype = QStandardItem()
        set_role = prototype.setData
        set_role(_FLAGS_VALUE, _FLAGS_ROLE)  # what setFlags stores, without converting the flags
        set_role(row.id, self.CaseIdRole)
        set_role(row, self.CaseRowRole)
        if colour is not None:
            set_role(colour, self.ClockColourRole)
        if final:
            set_role(_brush(FINAL_COLOUR), _FOREGROUND)
        store.setItemPrototype(prototype)
        # Each cell's index asked once, its roles set in column order (each call into Qt costs more
        # than the rest of a cell's work).
        index, set_data = store.index, store.setData
        number_text, received, title, applicants, state, due, risk, kind, team, lead, updated = texts
        set_data(index(number, self.COL_NUMBER), number_text)
        set_data(index(number, self.COL_RECEIVED), received)
        cell = index(number, self.COL_TITLE)
        set_data(cell, title)
        set_data(cell, title, _TOOLTIP)
        cell = index(number, self.COL_APPLICANTS)
        set_data(cell, applicants)
        set_data(cell, applicants, _TOOLTIP)
        cell = index(number, self.COL_STATE)
        set_data(cell, state)
        if not final:
            state_colour = STATE_COLOURS.get(row.state)
            if state_colour is not None:
                set_data(cell, _brush(state_colour), _FOREGROUND)
        cell = index(number, self.COL_DEADLINE)
        set_data(cell, due)
        if colour is not None and row.clock_stage is not None:
            set_data(cell, clock_icon(colour), _DECORATION)
            set_data(cell, self._clock_tip(colour, row.clock_stage).format(due=due), _TOOLTIP)
            if colour is ClockColour.RED:
                set_data(cell, _brush(CLOCK_COLOURS[ClockColour.RED]), _FOREGROUND)
        elif final:
            set_data(cell, None, _FOREGROUND)
        cell = index(number, self.COL_RISK)
        set_data(cell, risk)
        set_data(cell, risk_icon(row.risk_level), _DECORATION)
        set_data(index(number, self.COL_TYPE), kind)
        set_data(index(number, self.COL_TEAM), team)
        set_data(index(number, self.COL_LEAD), lead)
        set_data(index(number, self.COL_UPDATED), updated)
        if needs_shaping("\t".join(texts)):  # rare: Latin letters, say, kerned as before
            for column, text in enumerate(texts):
                if needs_shaping(text):
                    set_data(index(number, column), _shaped_font(), _FONT)

    def _clock_tip(self, colour: ClockColour, stage: ClockStage) -> str:
        """The deadline's tooltip for a clock of ``colour`` in ``stage``, its day left as ``{due}``:
        translated once per colour and stage (three translations a row otherwise), and again for
        each new query or day (:attr:`_clock_tips` emptied)."""
        tip = self._clock_tips.get((colour, stage))
        if tip is None:
            template = QCoreApplication.translate("CaseListModel", "{meaning}: {stage}, due {due}")
            # The meaning and the stage named, their braces kept as text; the day's place kept.
            tip = self._clock_tips[colour, stage] = template.format(
                meaning=clock_meaning(colour).replace("{", "{{").replace("}", "}}"),
                stage=enum_text(stage).replace("{", "{{").replace("}", "}}"), due="{due}")
        return tip

    @classmethod
    def texts_of(cls, row: CaseRow) -> tuple[str, ...]:
        """The text of each of a row's cells, in column order (as :meth:`_display` says each, written
        out: worked out for every row read, a screen's before its first paint)."""
        return (row.number, format_time(row.received_at), row.title, row.applicants, enum_text(row.state),
                format_day(row.clock_due_on), enum_text(row.risk_level), row.dispute_type, row.team,
                row.lead_mediator, format_time(row.updated_at))

    @classmethod
    def _display(cls, row: CaseRow, column: int) -> str:
        if column == cls.COL_NUMBER:
            return row.number
        if column == cls.COL_TITLE:
            return row.title
        if column == cls.COL_APPLICANTS:
            return row.applicants
        if column == cls.COL_TYPE:
            return row.dispute_type
        if column == cls.COL_STATE:
            return enum_text(row.state)
        if column == cls.COL_RISK:
            return enum_text(row.risk_level)
        if column == cls.COL_TEAM:
            return row.team
        if column == cls.COL_LEAD:
            return row.lead_mediator
        if column == cls.COL_RECEIVED:
            return format_time(row.received_at)
        if column == cls.COL_DEADLINE:
            return format_day(row.clock_due_on)
        return format_time(row.updated_at)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS.get(column)
        if key is None:
            return  # unindexed columns do not sort: a million-row sort on them would crawl
        self.set_query(replace(self._query, sort=key, descending=order == Qt.SortOrder.DescendingOrder))

    # ------------------------------------------------------------------ queries

    @property
    def query(self) -> CaseQuery:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    @property
    def loading(self) -> bool:
        return self._counting or self._recounting or bool(self._inflight) or self._rest_handle is not None

    @property
    def counting(self) -> bool:
        """The rows are being counted: :attr:`total` is what is shown so far (a new query's first
        rows, or a refreshed list's previous count), not yet the count."""
        return self._counting or self._recounting

    def sort_column(self) -> int:
        """The column the rows are sorted by; -1 for best search match first (no column's order)."""
        return self.column_sorting(self._query.sort)

    @classmethod
    def column_sorting(cls, key: SortKey) -> int:
        """The column ``key`` sorts; -1 for best search match first (no column's order)."""
        return next((col for col, sort in cls.SORT_KEYS.items() if sort is key), -1)

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._query.descending else Qt.SortOrder.AscendingOrder

    def set_query(self, query: CaseQuery) -> None:
        """Show the cases of another filter or order. A new order of the same filter keeps the
        count (it cannot change) and fetches only the first window."""
        resort_only = query.filter == self._query.filter and not self.counting
        audit = query != self._query
        self._query = query
        if not resort_only:
            self._start_count(reset=True, audit=audit)
            return
        if audit:
            self._audit(query)
        self._invalidate()
        self._empty_rows()
        if self._total:
            self._fetch(0)

    def _audit(self, query: CaseQuery, after: Hold | None = None) -> None:
        """Log the query a person ran (a list or a search), once per run on the write lane; the
        windows fetched as the list scrolls and the refreshes after changes are not logged.
        ``after``: held back until the query's first rows are painted."""
        self._runner.run_write(partial(caselist.record_query, actor=self._actor, query=query, purpose="ui"),
                               after=after)

    def recolour(self) -> None:
        """Colours depend on the day: the fetched rows' items are made again for today (after
        midnight — the view's paint asks at most once a second — or when a test moves "today")."""
        self._day_until = 0.0  # ask the provider again
        self._clock_tips.clear()
        for window, rows in self._windows.items():
            self._place(window, rows)
            first = window * WINDOW
            last = min(first + len(rows), self._total) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, self.COLUMN_COUNT - 1))
        self._items_day = self._painting_day()

    def refresh_when_shown(self, view: QWidget) -> None:
        """Changes noticed while ``view`` (the list's table) is out of sight are read when it is
        shown again."""
        self.when_shown = RefreshWhenShown(view, self.refresh)

    @property
    def stale(self) -> bool:
        """A change was noticed while the view was out of sight: the list refreshes when shown."""
        return self.when_shown is not None and self.when_shown.stale

    def refresh(self) -> None:
        """Count again and fetch again the windows last looked at, keeping the rows in place."""
        self._start_count(reset=self._counting and self._reset_pending)

    def on_changed(self, changes: Changes) -> None:
        """A write named cases: refresh what shows them. Rows that came or went
        (``case_list``) count the list again; a change to shown cases only (a record, a visit, a
        booking: no row comes or goes, ``changes.Changes``) reads their windows again, not the
        count. A list out of sight marks itself stale and refreshes when its view is shown
        (:meth:`refresh_when_shown`)."""
        touched = bool(changes.case_ids) and not changes.case_ids.isdisjoint(self.shown_case_ids())
        if not (changes.case_list or touched):
            return
        if self.when_shown is not None and self.when_shown.defer():
            return
        if changes.case_list or self.counting or self._query.filter.searching:
            self.refresh()  # a search's hits may hold what changed (a record's text): counted again
        else:
            self._refresh_rows()

    def _refresh_rows(self) -> None:
        """The windows last looked at read again, without the count (no row came or went): one
        read, their cells replaced in place; other windows show "Loading…" when next painted."""
        keep = list(self._windows)[-REFRESH_WINDOWS:]
        self._invalidate()
        generation, query, actor, total = self._generation, self._query, self._actor, self._total

        def work(session: Session) -> dict[int, _Window]:
            return {w: _window(caselist.fetch_window(session, actor, query, w * WINDOW, WINDOW, total=total),
                               _words(query))
                    for w in keep if w * WINDOW < total}

        def arrived(windows: dict[int, _Window]) -> None:
            if generation != self._generation:
                return
            short = any(len(rows) < min(WINDOW, total - w * WINDOW) for w, rows in windows.items())
            if short:  # rows went after all (a write that did not say so): count again
                self.refresh()
                return
            for window in set(self._windows) - set(windows):
                self._drop(window)
            held, self._windows = self._windows, OrderedDict(sorted(windows.items()))
            for window, rows in self._windows.items():
                self._place_changed(window, rows, held.get(window))
                first = window * WINDOW
                self.dataChanged.emit(self.index(first, 0),
                                      self.index(first + len(rows) - 1, self.COLUMN_COUNT - 1))
            for window in sorted(windows):
                first = window * WINDOW
                self.rows_loaded.emit(first, min(first + WINDOW, total) - 1)
            self.refreshed.emit()

        self._runner.run_read(work, on_success=arrived,
                              on_error=lambda failure: self._load_failed(generation, None, failure))

    # ------------------------------------------------------------------ rows

    def case_id_at(self, row: int) -> int | None:
        """The case shown at ``row``, if that row is loaded or its case known (the rest of a new
        query's first window); asks for it otherwise."""
        case = self._row(row) if 0 <= row < self._total else None
        if case is None and 0 <= row < self._total:
            rows = self._windows.get(0)
            if rows is not None and len(rows) <= row < len(rows) + len(rows.rest):
                return rows.rest[row - len(rows)][0]
        return case.id if case else None

    def numbers(self, first: int, last: int) -> list[str]:
        """The case numbers of the rows ``first`` … ``last`` that are read (no read is asked for)."""
        found: list[str] = []
        for window in range(max(first, 0) // WINDOW, min(last, self._total - 1) // WINDOW + 1):
            rows = self._windows.get(window)
            if rows is not None:
                base = window * WINDOW
                found.extend(row.number for row in rows[max(first - base, 0):last - base + 1])
        return found

    def row_of(self, case_id: int) -> int | None:
        """Where a case is among the loaded rows (and those whose case is known)."""
        for window, rows in self._windows.items():
            for i, case in enumerate(rows):
                if case.id == case_id:
                    return window * WINDOW + i
            for i, (rest_id, _key) in enumerate(rows.rest):
                if rest_id == case_id:
                    return window * WINDOW + len(rows) + i
        return None

    @property
    def highlighting(self) -> bool:
        """A fetched window was read for a search's words: its rows' hits are drawn (:meth:`row_hits`)."""
        return any(map(_WORDS, self._windows.values()))  # no generator's call: asked at every paint

    def row_hits(self, row: int) -> list[tuple[int, str, list[tuple[int, int]]]]:
        """The hits in row ``row``'s highlighted cells: (column, text, UTF-16 spans) of each cell
        holding one, as worked out on the read lane with the row for the words of its query; none
        for a row not fetched or read without a search."""
        window = row // WINDOW
        rows = self._windows.get(window)
        if rows is None or not rows.words:
            return []
        offset = row - window * WINDOW
        if offset >= len(rows):
            return []
        texts = rows.texts[offset]
        if texts is None:
            texts = rows.texts[offset] = self.texts_of(rows[offset])
        hits, found = rows.hits, []
        for column in self.HIGHLIGHTED_COLUMNS:
            text = texts[column]
            spans = hits.get(text) if text else None
            if spans is None and text:
                spans = hits[text] = utf16_spans(text, highlight_spans(text, rows.words))
            if spans:
                found.append((column, text, spans))
        return found

    def shown_case_ids(self) -> set[int]:
        return ({case.id for rows in self._windows.values() for case in rows}
                | {case_id for rows in self._windows.values() for case_id, _key in rows.rest})

    def is_row_loaded(self, row: int) -> bool:
        window = self._windows.get(row // WINDOW)
        return window is not None and row - (row // WINDOW) * WINDOW < len(window)

    def load_rows(self, first: int, last: int) -> None:
        """Fetch the windows covering ``first`` … ``last`` now (the view's painting does the same
        lazily); :attr:`rows_loaded` tells when each has arrived."""
        if self._counting:
            return
        last = min(last, self._total - 1)
        for window in range(max(first, 0) // WINDOW, last // WINDOW + 1):
            if window not in self._windows and window not in self._inflight:
                self._fetch(window)

    def _line(self, row: int) -> tuple[CaseRow | None, tuple[str, ...]]:
        """A loaded row and its cells' texts, or (None, ()) (and the row's window is asked for)."""
        window = row // WINDOW
        rows = self._windows.get(window)
        if rows is None:
            self._want(window)
            return None, ()
        self._windows.move_to_end(window)
        offset = row - window * WINDOW
        if offset >= len(rows):
            return None, ()
        case, texts = rows[offset], rows.texts[offset]
        if texts is None:
            texts = rows.texts[offset] = self.texts_of(case)
        return case, texts

    def _row(self, row: int) -> CaseRow | None:
        window = row // WINDOW
        rows = self._windows.get(window)
        if rows is None:
            self._want(window)
            return None
        self._windows.move_to_end(window)
        offset = row - window * WINDOW
        return rows[offset] if offset < len(rows) else None

    def _want(self, window: int) -> None:
        # data() is called while painting: collect the windows and fetch them once the paint is
        # over, instead of emitting dataChanged from inside data().
        if self._counting or window in self._inflight or window in self._wanted:
            return
        self._wanted.append(window)
        self._flush_timer.start()

    def _flush(self) -> None:
        wanted, self._wanted = self._wanted, []
        for window in reversed(wanted):  # the last painted is what the user looks at now
            if window not in self._windows and window not in self._inflight:
                self._fetch(window)
        self._drop_stale_requests()

    def _drop_stale_requests(self) -> None:
        queued = [(w, h) for w, h in self._inflight.items() if h is not None and not h.started]
        for window, handle in queued[: max(0, len(queued) - MAX_QUEUED_WINDOWS)]:
            handle.cancel()
            del self._inflight[window]

    def _fetch(self, window: int) -> None:
        offset = window * WINDOW
        if offset >= self._total:
            return
        limit = min(WINDOW, self._total - offset)
        previous = self._windows.get(window - 1)
        after: Key | None = previous[-1].sort_key if previous and len(previous) == WINDOW else None
        generation, query, total, actor = self._generation, self._query, self._total, self._actor

        def work(session: Session) -> _Window:
            return _window(caselist.fetch_window(session, actor, query, offset, limit, total=total, after=after),
                           _words(query))

        # Marked before submitting: the synchronous runner calls back before run_read returns.
        self._inflight[window] = None
        handle = self._runner.run_read(
            work,
            on_success=lambda rows: self._window_arrived(generation, window, rows),
            on_error=lambda failure: self._load_failed(generation, window, failure),
        )
        if generation == self._generation and window in self._inflight:
            self._inflight[window] = handle

    def _window_arrived(self, generation: int, window: int, rows: _Window) -> None:
        if generation != self._generation:
            return
        self._inflight.pop(window, None)
        self._keep(window, rows)
        first = window * WINDOW
        last = min(first + WINDOW, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.COLUMN_COUNT - 1))
            self.rows_loaded.emit(first, last)
        if len(rows) < last - first + 1:
            # Cases were deleted (or left the filter) between the count and this window.
            self.refresh()

    def _keep(self, window: int, rows: _Window) -> None:
        """A window's rows fetched: kept (the least recently painted one dropped, and its items)."""
        self._windows[window] = rows
        self._windows.move_to_end(window)
        self._place(window, rows)
        while len(self._windows) > MAX_WINDOWS:
            dropped, _rows = self._windows.popitem(last=False)
            self._drop(dropped)

    def _load_failed(self, generation: int, window: int | None, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        if window is None:
            self._counting = False
        else:
            self._inflight.pop(window, None)
        self.load_failed.emit(failure.message)

    # ------------------------------------------------------------------ counting

    def _invalidate(self) -> None:
        self._generation += 1
        if self._rest_handle is not None:
            self._rest_handle.cancel()
            self._rest_handle = None
        for handle in self._inflight.values():
            if handle is not None:
                handle.cancel()
        self._inflight.clear()
        self._wanted.clear()

    def _start_count(self, *, reset: bool, audit: bool = False) -> None:
        """``reset``: a new query. Its first window is read first and shown at once — a screen of
        rows needs no count, and counting every hit of a common name takes longer than reading
        the best fifty — then the rows are counted on the count lane once the interactive lane has
        nothing left to read, so that a case page opened meanwhile (or the next screen of rows) is
        neither read after the count nor beside it, and once the count is in,
        the rest of the first window is read and the list grows to its length. A first window
        that is not full is the whole list: its count is not waited for.

        Otherwise a refresh that keeps the user's place: the windows last looked at are read
        first (on the interactive lane, placed by the previous count), then counted again on the
        count lane (:meth:`_recounted`); when the count moved, the list takes its new length and
        reads those windows again.

        ``audit``: the new query is logged (:meth:`_audit`): accepted at once, written once its
        first rows are painted, so the write never competes with them for the interpreter."""
        keep = [0] if reset else list(self._windows)[-REFRESH_WINDOWS:]
        if self.when_shown is not None:
            self.when_shown.stale = False  # what a change left for later is read now
        self._invalidate()
        self._counting = True
        self._recounting = False
        self._reset_pending = reset
        if self._count_handle is not None:
            self._count_handle.cancel()  # an older count, not started yet, is not read at all
            self._count_handle = None
        generation, query, actor = self._generation, self._query, self._actor
        if reset:
            first_rows = min(FIRST_ROWS, WINDOW)

            screen = self.screen_rows() if self.screen_rows is not None and not self._runner.synchronous else None

            shown = None if screen is None or screen >= first_rows else screen

            def first(session: Session) -> _Window:
                if shown is None:
                    return _window(caselist.fetch_window(session, actor, query, 0, first_rows, total=None),
                                   _words(query))
                # The screen's rows only; the columns of the rest are read once they are painted.
                rows, rest = caselist.fetch_first(session, actor, query, first_rows, shown)
                window = _window(rows, _words(query))
                if rest is None:
                    window.more = True
                else:
                    window.rest = rest
                return window

            def count(session: Session) -> int:
                return caselist.count_cases(session, actor, query)

            def start_counting() -> None:
                if generation == self._generation and self._counting and self._count_handle is None:
                    self._count_handle = self._runner.run_count(
                        count,
                        on_success=lambda total: self._count_known(generation, total),
                        on_error=lambda failure: self._load_failed(generation, None, failure),
                    )

            def arrived(rows: _Window) -> None:
                try:
                    self._first_rows_arrived(generation, rows)
                finally:
                    if not hold.released:
                        # After the paint the rows just asked for (a posted event, delivered before
                        # timers).
                        QTimer.singleShot(1, hold.release)

            def failed(failure: TaskFailure) -> None:
                hold.release()
                self._first_rows_failed(generation, failure)

            self._start_counting = start_counting
            hold = self._runner.hold_write()
            if audit:
                # Accepted before the read is submitted: once the read lane runs, every line of
                # Python on this thread takes the interpreter from it (one at a time, the GIL).
                self._audit(query, after=hold)
            self._runner.run_read(first, on_success=arrived, on_error=failed)
            if self._runner.synchronous:
                start_counting()  # the first rows are already in: nothing to paint first
            return

        placed_by = self._total

        def work(session: Session) -> dict[int, _Window]:
            # Placed by the previous count: a window read from the end of the order is read again
            # once the count says the list's length changed.
            return {
                w: _window(caselist.fetch_window(session, actor, query, w * WINDOW, WINDOW, total=placed_by),
                           _words(query))
                for w in keep
                if w * WINDOW < placed_by
            }

        self._runner.run_read(
            work,
            on_success=lambda windows: self._rows_refreshed(generation, placed_by, windows),
            on_error=lambda failure: self._load_failed(generation, None, failure),
        )

    def _rows_refreshed(self, generation: int, placed_by: int, windows: dict[int, _Window]) -> None:
        """A refresh's windows, read before their count: they replace what the list holds (the
        windows not read again show "Loading…" when painted), the list counts again on the count
        lane, and the selection is looked for (:attr:`refreshed`)."""
        if generation != self._generation:
            return
        for window in set(self._windows) - set(windows):  # not read again: "Loading…" when painted
            self._drop(window)
        held, self._windows = self._windows, OrderedDict(sorted(windows.items()))
        self._counting = False
        for window, rows in self._windows.items():
            first = window * WINDOW
            self._place_changed(window, rows, held.get(window))
            if len(rows) < min(WINDOW, placed_by - first):  # cases left the list: their rows empty
                self._clear(first + len(rows), first + WINDOW - 1)
        if placed_by:
            self.dataChanged.emit(self.index(0, 0), self.index(placed_by - 1, self.COLUMN_COUNT - 1))
        self._recounting = True
        self.recounting.emit(placed_by)
        query, actor = self._query, self._actor

        def count(session: Session) -> int:
            return caselist.count_cases(session, actor, query)

        # Submitted before the selection is looked for (:attr:`refreshed`), which reads on the same
        # lane after it and so finds the list at its new length.
        self._count_handle = self._runner.run_count(
            count,
            on_success=lambda total: self._recounted(generation, placed_by, total),
            on_error=lambda failure: self._recount_failed(generation, failure),
        )
        if generation != self._generation:
            return  # the synchronous runner: counted, moved, and its windows read again already
        for window, rows in self._windows.items():
            if rows:
                first = window * WINDOW
                self.rows_loaded.emit(first, first + len(rows) - 1)
        self.refreshed.emit()

    def _recounted(self, generation: int, placed_by: int, total: int) -> None:
        """A refresh's count: the same length keeps the rows read before it; another length is
        taken (rows inserted or removed at the end) and the windows last looked at are read again
        in their new places."""
        if generation != self._generation or not self._recounting:
            return
        self._recounting = False
        self._count_handle = None
        if total == placed_by:
            self.count_changed.emit(total)
            return
        self._total = total
        self._page.resize(total)  # through this proxy, the view hears of rows inserted or removed
        self.count_changed.emit(total)
        self._refresh_rows()

    def _recount_failed(self, generation: int, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        self._recounting = False
        self._count_handle = None
        self.count_changed.emit(self._total)  # the previous count stays, the message says why
        self.load_failed.emit(failure.message)

    def _first_rows_arrived(self, generation: int, rows: _Window) -> None:
        """The first rows of a new query, before its count: shown at once. The list holds these
        rows until the count arrives with the whole first window (:meth:`_counted`); fewer than
        were asked for are all there is."""
        if generation != self._generation:
            return
        # Ranked as far as the screen: the list holds a first window's rows (as when the rest of
        # them is known) until the rest is read; fewer are all there is.
        listed = min(FIRST_ROWS, WINDOW) if rows.more else len(rows) + len(rows.rest)
        complete = listed < min(FIRST_ROWS, WINDOW)
        self._total = listed
        self._windows = OrderedDict({0: rows} if listed else {})
        if complete:
            self._counting = False
        self._swap_store(self._total, self._windows)
        if complete:
            if self._count_handle is not None:
                self._count_handle.cancel()  # the rows are all there is: no need to count them
            self.count_changed.emit(listed)
        if rows:
            self.rows_loaded.emit(0, len(rows) - 1)
        if rows.rest or rows.more:
            # The rest of the first window, then the count, once these rows are painted.
            QTimer.singleShot(1, partial(self._read_rest, generation, complete))
        elif not complete and not self._runner.synchronous:
            # Counted once these rows are painted: the view's repaint is a posted event, which the
            # event loop delivers before it fires timers, so the paint does not share the
            # interpreter with the count's read.
            QTimer.singleShot(1, self._start_counting)

    def _read_rest(self, generation: int, complete: bool) -> None:
        """The columns of the first window's rows after the screen (:attr:`_Window.rest`), or those
        rows ranked and read (:attr:`_Window.more`), on the interactive lane after the screen's
        paint, before the count (which waits for that lane)."""
        rows = self._windows.get(0)
        if generation != self._generation or rows is None or not (rows.rest or rows.more):
            return
        rest, words = rows.rest, rows.words
        query, actor, shown = self._query, self._actor, [row.id for row in rows]

        def work(session: Session) -> _Window | None:
            if not rest:
                more = caselist.fetch_rest(session, actor, query, min(FIRST_ROWS, WINDOW), shown)
                return None if more is None else _window(more, words)
            return _window(caselist.rows_of(session, rest), words)

        self._rest_handle = self._runner.run_read(
            work, on_success=lambda more: self._rest_arrived(generation, more),
            on_error=lambda failure: self._rest_failed(generation, failure))
        if not complete:
            self._start_counting()

    def _rest_arrived(self, generation: int, more: _Window | None) -> None:
        """The rest of the first window: its rows after the screen's get their items (those painted
        meanwhile show "Loading…" until now, and are painted again). Ranked after the screen
        (:attr:`_Window.more`): fewer rows than the list holds are all there is (it shrinks to
        them and is not counted); None, the ranking no longer begins with the rows shown: read
        again."""
        if generation != self._generation:
            return
        self._rest_handle = None
        rows = self._windows.get(0)
        if rows is None or not (rows.rest or rows.more):
            return  # the whole window was read since (the count came first)
        if more is None:
            self.refresh()
            return
        expected = len(rows.rest) if rows.rest else len(more)
        whole = _Window([*rows, *more])
        whole.texts = [*rows.texts, *more.texts]
        whole.words = rows.words
        whole.hits = {**rows.hits, **more.hits}
        whole.rest = []
        whole.more = False
        start = len(rows)
        self._windows[0] = whole
        if rows.more and len(whole) < self._total:
            self._complete(len(whole))
        last = min(len(whole), self._page.count()) - 1
        if last >= start:
            self._place(0, whole, range(start, last + 1))
            # Set quietly, but for the rows painted meanwhile ("Loading…"): the view repaints its
            # whole viewport for any range of rows changed, shown or not.
            painted = sorted(row for row in self._loading if start <= row <= last)
            self._loading.difference_update(painted)
            if painted:
                self.dataChanged.emit(self.index(painted[0], 0), self.index(painted[-1], self.COLUMN_COUNT - 1))
            self.rows_loaded.emit(start, last)
        if len(more) < expected:
            self.refresh()  # cases were deleted between the two reads: counted and read again

    def _complete(self, total: int) -> None:
        """The list read whole before its count (fewer rows than it held while the rest was being
        ranked): it ends at them, and is not counted."""
        self._total = total
        self._counting = False
        if self._count_handle is not None:
            self._count_handle.cancel()  # the rows are all there is: no need to count them
        self._loading = {row for row in self._loading if row < total}
        self._page.resize(total)  # through this proxy, the view hears of the rows removed
        self.count_changed.emit(total)

    def _rest_failed(self, generation: int, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        self._rest_handle = None
        self.load_failed.emit(failure.message)

    def _first_rows_failed(self, generation: int, failure: TaskFailure) -> None:
        """No rows of the previous query stay under the new one: the list empties, says why, and
        the count (still on its way) lets the view ask for the rows again as it paints them."""
        if generation != self._generation:
            return
        self._total = 0
        self._windows.clear()
        self._swap_store(0, {})
        self.load_failed.emit(failure.message)
        self._start_counting()

    def _count_known(self, generation: int, total: int) -> None:
        """The count of a new query, from the count lane: its whole first window is read now (on the
        interactive lane, placed by the count), and with it the list grows to its length."""
        if generation != self._generation or not self._counting:
            return
        self._count_handle = None
        query, actor = self._query, self._actor

        def work(session: Session) -> _Window:
            return _window(caselist.fetch_window(session, actor, query, 0, WINDOW, total=total), _words(query))

        self._runner.run_read(work, on_success=lambda first: self._counted(generation, total, first),
                              on_error=lambda failure: self._load_failed(generation, None, failure))

    def _counted(self, generation: int, total: int, first: _Window) -> None:
        """The count of a new query and its whole first window, after its first rows: the list
        grows to its length."""
        if generation != self._generation or not self._counting:
            return
        old = self._total
        shown = min(old, total)
        before = self._windows.get(0) or _window([])
        # The rows shown already, read again with the rest of the window: those unchanged keep
        # their items (the list grows under them without making them anew).
        same = [i for i in range(min(shown, len(first), len(before))) if before[i] == first[i]]
        for i in same:
            first.texts[i] = before.texts[i]
        changed = 0 if len(same) == shown else shown
        self._total = total
        self._windows = OrderedDict({0: first} if first else {})
        self._counting = False
        # The rows below the ones shown are inserted (or, when cases left the list between the
        # two reads, removed), which the view hears through this proxy: a million of them cost
        # as little as a few thousand (the store's rows end at :data:`STORE_WINDOWS` windows).
        self._page.resize(total)
        self._place(0, first, range(0 if changed else min(shown, len(first)), min(len(first), total)))
        if changed:
            self.dataChanged.emit(self.index(0, 0), self.index(changed - 1, self.COLUMN_COUNT - 1))
        self.count_changed.emit(total)
        if len(first) > old:
            self.rows_loaded.emit(old, len(first) - 1)
