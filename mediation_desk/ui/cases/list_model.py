"""The case list as a lazy table model: a row count, and windows of rows fetched as they are painted.

Like Anki's browser table the model never holds all rows. It knows the total, keeps a bounded LRU
cache of windows (``WINDOW`` rows each) and, when the view paints a row it does not have, shows a
placeholder and asks the read lane for that window; the rows then arrive by ``dataChanged``. A
window that follows a cached one continues from its last sort key (keyset), so scrolling down a
million rows stays an index range scan; a jump far away is served by the service counting from
the nearer end.

Sorting goes through :meth:`CaseListModel.sort`, which maps the column to a
:class:`~mediation_desk.services.caselist.SortKey`; only indexed columns sort.

For the benchmarks: :meth:`set_query` (or :meth:`sort`) starts a load, :attr:`count_changed`
reports the total, :meth:`load_rows` asks for any range at once (e.g. the last row), and
:attr:`rows_loaded` fires when a window has arrived, so "time to first rows", "jump to last row"
and "re-sort by received date" are each the time from the call to the matching ``rows_loaded``.
"""

from __future__ import annotations

import functools
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from mediation_desk.models import ClockColour
from mediation_desk.services import caselist
from mediation_desk.services.caselist import CaseQuery, CaseRow, SortKey
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
from mediation_desk.ui.common.tasks import Hold, TaskFailure, TaskHandle, TaskRunner

if TYPE_CHECKING:
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

Key = tuple[Any, ...]

#: What a painted cell shows for each role Qt's item delegate asks (its seven roles), by role.
_Cell = dict[int, Any]
#: The day a row's painted cells were worked out for (its clock's colour), and the cells.
_Painted = tuple[date, tuple[_Cell, ...]]

# No ``flags`` of its own: QAbstractTableModel's (enabled, selectable, no children) are what every
# cell has, answered without a call into Python for each cell the view paints.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
#: The roles Qt's item delegate asks of every cell it paints (``QStyledItemDelegate::
#: initStyleOption``: text, icon, colour, font, alignment, check state, background); a row's cells
#: answer them from what was worked out when it was first painted. The list answers no others
#: than the first three.
_PAINT_ROLES = (_DISPLAY, _DECORATION, _FOREGROUND, Qt.ItemDataRole.FontRole.value,
                Qt.ItemDataRole.TextAlignmentRole.value, Qt.ItemDataRole.CheckStateRole.value,
                Qt.ItemDataRole.BackgroundRole.value)
_UNANSWERED: _Cell = dict.fromkeys(_PAINT_ROLES)
_MISSING = object()


class _Window(list[CaseRow]):
    """A window's rows, the text of each of their cells (dates, the names of states and risk
    levels) and what each cell paints (text, colour, icon), worked out when a row is first painted
    and then only looked up: a screen of rows is repainted for every move of the mouse or the
    selection."""

    texts: list[tuple[str, ...] | None]
    painted: list[_Painted | None]


def _window(rows: list[CaseRow]) -> _Window:
    window = _Window(rows)
    window.texts = [None] * len(rows)
    window.painted = [None] * len(rows)
    return window


@functools.cache
def _brush(colour: str) -> QBrush:
    """One brush per colour, made once: a screen of rows asks for a few hundred."""
    return QBrush(QColor(colour))


class CaseListModel(QAbstractTableModel):
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
    #: The ``ClockColour`` of the row's clock today (None when no clock runs).
    ClockColourRole = Qt.ItemDataRole.UserRole + 3
    #: The roles a cell answers; every other one (font, alignment, check state, background …) is
    #: None without looking the row up.
    _ANSWERED = frozenset({
        Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ForegroundRole, CaseIdRole, CaseRowRole, ClockColourRole,
    })

    #: The number of rows matching the query is known (after a new query or a refresh).
    count_changed = Signal(int)
    #: Rows ``first`` … ``last`` arrived.
    rows_loaded = Signal(int, int)
    #: A refresh after a change finished (rows may have moved under the selection).
    refreshed = Signal()
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
        #: A count is on its way; until then rows are not fetched one window at a time.
        self._counting = False
        #: The count on its way belongs to a new query (rows restart at the top).
        self._reset_pending = False
        #: The count of a new query, read after its first rows (cancelled when they are all).
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
        runner.changed.connect(self.on_changed)
        self._start_count(reset=True, audit=True)  # the list shown when it opens is one the person looked at

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("CaseListModel", self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and section not in self.SORT_KEYS:
            return QCoreApplication.translate("CaseListModel", "This column cannot be sorted")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in self._ANSWERED or not index.isValid():
            return None
        number, column = index.row(), index.column()
        if not (0 <= number < self._total and 0 <= column < self.COLUMN_COUNT):
            return None
        row, texts = self._line(number)
        return self._value(row, texts, column, role)

    def multiData(self, index: QModelIndex | QPersistentModelIndex,
                  role_data_span: QModelRoleDataSpan | QModelRoleData) -> None:
        """Every role a view asks of one cell at once (Qt 6's delegates ask seven per cell: text,
        font, alignment, colours, icon, check state), answered in one call — a screen of the list
        paints in a seventh of the calls into Python ``data`` took — from what the row's cells
        paint, worked out once (:meth:`_painted`): the first paint of a search's rows is what a
        person waits for, and every repaint after it (the mouse, the selection) asks again."""
        if not index.isValid():
            return
        number, column = index.row(), index.column()
        inside = 0 <= number < self._total and 0 <= column < self.COLUMN_COUNT
        cells = self._painted(number) if inside else None
        # PySide iterates a span (its stubs do not say so).
        asked = (role_data_span,) if isinstance(role_data_span, QModelRoleData) else cast(
            "Iterable[QModelRoleData]", role_data_span)
        if cells is not None:
            get = cells[column].get
            for role_data in asked:
                value = get(role_data.role(), _MISSING)
                if value is _MISSING:  # a role no delegate asks when painting
                    value = self.data(index, role_data.role())
                role_data.setData(value)
            return
        row, texts = self._line(number) if inside else (None, ())
        answered = self._ANSWERED
        for role_data in asked:
            role = role_data.role()
            role_data.setData(self._value(row, texts, column, role) if inside and role in answered else None)

    def _painted(self, number: int) -> tuple[_Cell, ...] | None:
        """What each cell of a loaded row paints, by role (:data:`_PAINT_ROLES`), as :meth:`data`
        answers it; None while the row loads (and its window is asked for)."""
        window = number // WINDOW
        rows = self._windows.get(window)
        if rows is None:
            return None
        self._windows.move_to_end(window)
        offset = number - window * WINDOW
        if offset >= len(rows):
            return None
        today = self._painting_day()
        painted = rows.painted[offset]
        if painted is not None and painted[0] == today:
            return painted[1]
        row, texts = self._line(number)
        if row is None:
            return None
        cells = self._paint_cells(row, texts, today)
        rows.painted[offset] = (today, cells)
        return cells

    def _painting_day(self) -> date:
        """Today, asked of the provider at most once a second while painting: ``date.today()`` costs
        more than the rest of a cell's answer (it imports the time module anew on every call,
        through PySide's import hook), and a screen has a few hundred cells."""
        moment = time.monotonic()
        if moment >= self._day_until:
            self._day = self._today()
            self._day_until = moment + 1.0
        return self._day

    @classmethod
    def _paint_cells(cls, row: CaseRow, texts: tuple[str, ...], today: date) -> tuple[_Cell, ...]:
        """:meth:`_value`'s text, icon and colour of each cell of ``row`` on ``today``, all at once."""
        final = row.state in FINAL_STATES
        foreground = _brush(FINAL_COLOUR) if final else None
        cells = []
        for text in texts:
            cell = _UNANSWERED.copy()
            cell[_DISPLAY] = text
            cell[_FOREGROUND] = foreground
            cells.append(cell)
        if not final and row.state in STATE_COLOURS:
            cells[cls.COL_STATE][_FOREGROUND] = _brush(STATE_COLOURS[row.state])
        cells[cls.COL_RISK][_DECORATION] = risk_icon(row.risk_level)
        deadline = cells[cls.COL_DEADLINE]
        colour = row.clock_colour(today)
        if colour is None or row.clock_stage is None:
            deadline[_FOREGROUND] = None
        else:
            deadline[_DECORATION] = clock_icon(colour)
            if colour is ClockColour.RED:
                deadline[_FOREGROUND] = _brush(CLOCK_COLOURS[ClockColour.RED])
        return tuple(cells)

    def _value(self, row: CaseRow | None, texts: tuple[str, ...], column: int, role: int) -> Any:
        """What cell ``column`` of ``row`` (None while its window loads; ``texts``: its cells'
        texts) shows for ``role``."""
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole and column == self.COL_NUMBER:
                return QCoreApplication.translate("CaseListModel", "Loading…")
            if role == Qt.ItemDataRole.ForegroundRole:
                return _brush(FINAL_COLOUR)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[column]
        if role == self.CaseIdRole:
            return row.id
        if role == self.CaseRowRole:
            return row
        if role == self.ClockColourRole:
            return row.clock_colour(self._today())
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.COL_TITLE, self.COL_APPLICANTS):
            return texts[column]
        if column == self.COL_DEADLINE:
            return self._deadline_data(row, role)
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_RISK:
            return risk_icon(row.risk_level)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.state in FINAL_STATES:
                return _brush(FINAL_COLOUR)
            if column == self.COL_STATE and row.state in STATE_COLOURS:
                return _brush(STATE_COLOURS[row.state])
        return None

    def _deadline_data(self, row: CaseRow, role: int) -> Any:
        colour = row.clock_colour(self._today())
        if colour is None or row.clock_stage is None:
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return clock_icon(colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("CaseListModel", "{meaning}: {stage}, due {due}").format(
                meaning=clock_meaning(colour), stage=enum_text(row.clock_stage), due=format_day(row.clock_due_on))
        if role == Qt.ItemDataRole.ForegroundRole:
            if colour is ClockColour.RED:
                return _brush(CLOCK_COLOURS[ClockColour.RED])
            if row.state in FINAL_STATES:
                return _brush(FINAL_COLOUR)
        return None

    @classmethod
    def texts_of(cls, row: CaseRow) -> tuple[str, ...]:
        """The text of each of a row's cells, in column order."""
        return tuple(cls._display(row, column) for column in range(cls.COLUMN_COUNT))

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
        return self._counting or bool(self._inflight)

    @property
    def counting(self) -> bool:
        """The rows are being counted: :attr:`total` is what is shown so far, not yet the count."""
        return self._counting

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
        resort_only = query.filter == self._query.filter and not self._counting
        audit = query != self._query
        self._query = query
        if not resort_only:
            self._start_count(reset=True, audit=audit)
            return
        if audit:
            self._audit(query)
        self._invalidate()
        self.beginResetModel()
        self._windows.clear()
        self.endResetModel()
        if self._total:
            self._fetch(0)

    def _audit(self, query: CaseQuery, after: Hold | None = None) -> None:
        """Log the query a person ran (a list or a search), once per run on the write lane; the
        windows fetched as the list scrolls and the refreshes after changes are not logged.
        ``after``: held back until the query's first rows are painted."""
        self._runner.run_write(partial(caselist.record_query, actor=self._actor, query=query, purpose="ui"),
                               after=after)

    def recolour(self) -> None:
        """Colours depend on the day: repaint them (after midnight, or when a test moves "today")."""
        self._day_until = 0.0  # ask the provider again
        if self._total:
            self.dataChanged.emit(self.index(0, self.COL_DEADLINE), self.index(self._total - 1, self.COL_DEADLINE))

    def refresh(self) -> None:
        """Count again and fetch again the windows last looked at, keeping the rows in place."""
        self._start_count(reset=self._counting and self._reset_pending)

    def on_changed(self, changes: Changes) -> None:
        if changes.case_list or (changes.case_ids and not changes.case_ids.isdisjoint(self.shown_case_ids())):
            self.refresh()

    # ------------------------------------------------------------------ rows

    def case_id_at(self, row: int) -> int | None:
        """The case shown at ``row``, if that row is loaded (asks for it otherwise)."""
        case = self._row(row) if 0 <= row < self._total else None
        return case.id if case else None

    def row_of(self, case_id: int) -> int | None:
        """Where a case is among the loaded rows."""
        for window, rows in self._windows.items():
            for i, case in enumerate(rows):
                if case.id == case_id:
                    return window * WINDOW + i
        return None

    def shown_case_ids(self) -> set[int]:
        return {case.id for rows in self._windows.values() for case in rows}

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
            return _window(caselist.fetch_window(session, actor, query, offset, limit, total=total, after=after))

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
        self._store(window, rows)
        first = window * WINDOW
        last = min(first + WINDOW, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.COLUMN_COUNT - 1))
            self.rows_loaded.emit(first, last)
        if len(rows) < last - first + 1:
            # Cases were deleted (or left the filter) between the count and this window.
            self.refresh()

    def _store(self, window: int, rows: _Window) -> None:
        self._windows[window] = rows
        self._windows.move_to_end(window)
        while len(self._windows) > MAX_WINDOWS:
            self._windows.popitem(last=False)

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
        for handle in self._inflight.values():
            if handle is not None:
                handle.cancel()
        self._inflight.clear()
        self._wanted.clear()

    def _start_count(self, *, reset: bool, audit: bool = False) -> None:
        """``reset``: a new query. Its first window is read first and shown at once — a screen of
        rows needs no count, and counting every hit of a common name takes longer than reading
        the best fifty — then a second read counts the rows and the list grows to its length.
        A first window that is not full is the whole list: its count is not waited for.

        Otherwise a refresh that keeps the user's place: the count and the windows last looked at
        in one read, so the rows and their number change together.

        ``audit``: the new query is logged (:meth:`_audit`): accepted at once, written once its
        first rows are painted, so the write never competes with them for the interpreter."""
        keep = [0] if reset else list(self._windows)[-REFRESH_WINDOWS:]
        self._invalidate()
        self._counting = True
        self._reset_pending = reset
        generation, query, actor = self._generation, self._query, self._actor
        if reset:
            first_rows = min(FIRST_ROWS, WINDOW)

            def first(session: Session) -> _Window:
                return _window(caselist.fetch_window(session, actor, query, 0, first_rows, total=None))

            def count(session: Session) -> tuple[int, _Window]:
                total = caselist.count_cases(session, actor, query)
                return total, _window(caselist.fetch_window(session, actor, query, 0, WINDOW, total=total))

            def start_counting() -> None:
                if generation == self._generation and self._counting and self._count_handle is None:
                    self._count_handle = self._runner.run_read(
                        count,
                        on_success=lambda result: self._counted(generation, *result),
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

            self._count_handle = None
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

        def work(session: Session) -> tuple[int, dict[int, _Window]]:
            total = caselist.count_cases(session, actor, query)
            windows = {
                w: _window(caselist.fetch_window(session, actor, query, w * WINDOW, WINDOW, total=total))
                for w in keep
                if w * WINDOW < total
            }
            return total, windows

        self._runner.run_read(
            work,
            on_success=lambda result: self._count_arrived(generation, reset, *result),
            on_error=lambda failure: self._load_failed(generation, None, failure),
        )

    def _first_rows_arrived(self, generation: int, rows: _Window) -> None:
        """The first rows of a new query, before its count: shown at once. The list holds these
        rows until the count arrives with the whole first window (:meth:`_counted`); fewer than
        were asked for are all there is."""
        if generation != self._generation:
            return
        complete = len(rows) < min(FIRST_ROWS, WINDOW)
        self.beginResetModel()
        self._total = len(rows)
        self._windows = OrderedDict({0: rows} if rows else {})
        if complete:
            self._counting = False
        self.endResetModel()
        if complete:
            if self._count_handle is not None:
                self._count_handle.cancel()  # the rows are all there is: no need to count them
            self.count_changed.emit(len(rows))
        if rows:
            self.rows_loaded.emit(0, len(rows) - 1)
        if not complete and not self._runner.synchronous:
            # Counted once these rows are painted: the view's repaint is a posted event, which the
            # event loop delivers before it fires timers, so the paint does not share the
            # interpreter with the count's read.
            QTimer.singleShot(1, self._start_counting)

    def _first_rows_failed(self, generation: int, failure: TaskFailure) -> None:
        """No rows of the previous query stay under the new one: the list empties, says why, and
        the count (still on its way) lets the view ask for the rows again as it paints them."""
        if generation != self._generation:
            return
        self.beginResetModel()
        self._total = 0
        self._windows.clear()
        self.endResetModel()
        self.load_failed.emit(failure.message)
        self._start_counting()

    def _counted(self, generation: int, total: int, first: _Window) -> None:
        """The count of a new query and its whole first window, after its first rows: the list
        grows to its length."""
        if generation != self._generation or not self._counting:
            return
        old = self._total
        shown = min(old, total)
        before = self._windows.get(0) or _window([])
        # The rows shown already, read again with the rest of the window: those unchanged keep
        # what their cells paint (the list grows under them without working it out anew).
        same = [i for i in range(min(shown, len(first), len(before))) if before[i] == first[i]]
        for i in same:
            first.texts[i], first.painted[i] = before.texts[i], before.painted[i]
        changed = 0 if len(same) == shown else shown
        if total > old:
            self.beginInsertRows(QModelIndex(), old, total - 1)
        elif total < old:  # cases left the list between the two reads
            self.beginRemoveRows(QModelIndex(), total, old - 1)
        self._total = total
        self._windows = OrderedDict({0: first} if first else {})
        self._counting = False
        if total > old:
            self.endInsertRows()
        elif total < old:
            self.endRemoveRows()
        if changed:
            self.dataChanged.emit(self.index(0, 0), self.index(changed - 1, self.COLUMN_COUNT - 1))
        self.count_changed.emit(total)
        if len(first) > old:
            self.rows_loaded.emit(old, len(first) - 1)

    def _count_arrived(self, generation: int, reset: bool, total: int,
                       windows: dict[int, _Window]) -> None:
        if generation != self._generation:
            return
        if reset:
            self.beginResetModel()
            self._total = total
            self._windows = OrderedDict(sorted(windows.items()))
            self._counting = False
            self.endResetModel()
        else:
            old = self._total
            if total > old:
                self.beginInsertRows(QModelIndex(), old, total - 1)
            elif total < old:
                self.beginRemoveRows(QModelIndex(), total, old - 1)
            self._total = total
            self._windows = OrderedDict(sorted(windows.items()))
            self._counting = False
            if total > old:
                self.endInsertRows()
            elif total < old:
                self.endRemoveRows()
            if total:
                self.dataChanged.emit(self.index(0, 0), self.index(total - 1, self.COLUMN_COUNT - 1))
        self.count_changed.emit(total)
        for window in sorted(windows):
            first = window * WINDOW
            self.rows_loaded.emit(first, min(first + WINDOW, total) - 1)
        if not reset:
            self.refreshed.emit()
