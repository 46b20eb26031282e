"""The case list: a search box, a filter bar, the lazy table and the count.

Typing in the search box (a short pause, or Enter) narrows the list to the cases a search finds
(services.search), best match first, with the searched words drawn bold and red in the number,
title and applicant columns; clicking a sortable column header shows the same hits in that order.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QPaintEvent, QPalette, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import CaseState, now
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.readmodels.statistics import Figure, StatisticFilter
from mediation_desk.services import caselist, reference
from mediation_desk.services.caselist import CaseQuery, SortKey
from mediation_desk.services.errors import InvalidInput
from mediation_desk.services.search import words_of
from mediation_desk.services.workflow import FINAL_STATES, OPEN_STATES
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.common.date_field import DateField, first_problem
from mediation_desk.ui.common.i18n import enum_text
from mediation_desk.ui.common.search_highlight import HitPainter, unshaped
from mediation_desk.ui.common.tasks import TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, RowsTable, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.changes import Changes
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.reference import Choice

COLUMN_WIDTHS = {
    CaseListModel.COL_NUMBER: 196,
    CaseListModel.COL_RECEIVED: 128,
    CaseListModel.COL_TITLE: 170,
    CaseListModel.COL_APPLICANTS: 110,
    CaseListModel.COL_STATE: 84,
    CaseListModel.COL_DEADLINE: 104,
    CaseListModel.COL_RISK: 64,
    CaseListModel.COL_TYPE: 100,
    CaseListModel.COL_TEAM: 120,
    CaseListModel.COL_LEAD: 80,
    CaseListModel.COL_UPDATED: 128,
}
#: The order the columns stand in: which case, whose, when due, where it is — the columns that must
#: stay readable beside an opened case first — then what it is about and the rest.
VISUAL_ORDER = (
    CaseListModel.COL_NUMBER, CaseListModel.COL_APPLICANTS, CaseListModel.COL_DEADLINE, CaseListModel.COL_STATE,
    CaseListModel.COL_TITLE, CaseListModel.COL_RECEIVED, CaseListModel.COL_RISK, CaseListModel.COL_TYPE,
    CaseListModel.COL_TEAM, CaseListModel.COL_LEAD, CaseListModel.COL_UPDATED,
)
ROW_HEIGHT_PADDING = 8
#: The columns a search's words are drawn highlighted in.
HIGHLIGHTED_COLUMNS = CaseListModel.HIGHLIGHTED_COLUMNS
#: 待办 in a mediator's own list: the cases still open and not waiting on the head's closure review.
TODO_STATES = frozenset(OPEN_STATES - {CaseState.CLOSURE_REVIEW})
#: What a mediator's own list (我承办的案件) may show: all of them, the to-do ones, the overdue ones.
MINE_ALL, MINE_TODO, MINE_OVERDUE = "all", "todo", "overdue"
#: The pause after the last keystroke before the list is searched (Enter searches at once).
SEARCH_DELAY_MS = 300


@dataclass(frozen=True)
class ListPreset:
    """A section's fixed part of the filter: the states it is about, or the teams it may show."""

    states: frozenset[CaseState] | None = None
    team_ids: frozenset[int] | None = None
    #: Only the cases this mediator leads or co-mediates.
    mediator_id: int | None = None


class CaseTable(RowsTable):
    """The case table (rows selected whole: Home/End keep the column, see :class:`RowsTable`)."""

    #: The column given the width the others leave: at 1366 wide the columns left ~60 px unused
    #: at the right while 纠纷名称 was cut (…相邻通行…).
    FILLER = CaseListModel.COL_TITLE

    def __init__(self) -> None:
        super().__init__()
        #: Draws a search's words in bold and red over the cells Qt painted.
        self.hits = HitPainter()
        # Its cells drawn without shaping (the same pixels for Chinese, digits and punctuation, in 40 %
        # less of the paint); a cell holding Latin letters says so itself (``FontRole``).
        self.setFont(unshaped())
        #: The pixels :attr:`FILLER` was given beyond its own width, given back as the table
        #: narrows (a case opened beside the list): never narrower than it was set.
        self.filler_given = 0
        self._filling = False
        self.horizontalHeader().sectionResized.connect(self._section_resized)
        #: What the viewport says when the list, read and counted, holds no case (an empty list
        #: was a blank table under its header: 待审核结案 of a township with none to review).
        self.empty_text = ""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fill_width()

    def fill_width(self) -> None:
        """The columns fill the table's width: :attr:`FILLER` takes what the others leave, and
        gives back what it was given when they need it."""
        header = self.horizontalHeader()
        if header.isSectionHidden(self.FILLER) or header.count() <= self.FILLER:
            return
        spare = self.viewport().width() - header.length()
        change = spare if spare > 0 else -min(-spare, self.filler_given)
        if not change:
            return
        self._filling = True
        try:
            header.resizeSection(self.FILLER, header.sectionSize(self.FILLER) + change)
        finally:
            self._filling = False
        self.filler_given += change

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if self._filling:
            return
        if column == self.FILLER:
            self.filler_given = 0  # the person's own width, theirs to keep
        else:  # another column moved (the number column grew, one was hidden or dragged)
            self.fill_width()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The rows about to be painted are asked of the list first (those not fetched yet show
        "Loading…" and are fetched), then Qt paints every cell and, for a search, its hits are
        drawn over them: one call into Python for the paint, none for its cells."""
        model = self.model()
        first = last = -1
        if isinstance(model, CaseListModel) and model.total:
            rect = event.rect()
            first, last = self.rowAt(rect.top()), self.rowAt(rect.bottom())
            if first >= 0:
                last = last if last >= 0 else model.total - 1
                model.show_rows(first, last)
        super().paintEvent(event)
        if first >= 0 and isinstance(model, CaseListModel) and model.highlighting:
            self.hits.paint(self, first, last, model.row_hits, HIGHLIGHTED_COLUMNS)
        if self.shows_empty():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            # In the band where the first rows would be, not the middle of a tall empty table.
            rect = self.viewport().rect()
            band = rect.adjusted(8, 0, -8, -max(0, rect.height() - 6 * self.fontMetrics().height()))
            painter.drawText(band, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            painter.end()

    def shows_empty(self) -> bool:
        """Whether the viewport says :attr:`empty_text`: the list read and counted, and no case in it."""
        model = self.model()
        return (bool(self.empty_text) and isinstance(model, CaseListModel) and model.total == 0
                and not model.loading and model.rowCount() == 0)

    def screen_rows(self) -> int:
        """How many rows the viewport shows at its height (the last one perhaps in part)."""
        return self.viewport().height() // max(1, self.verticalHeader().defaultSectionSize()) + 1

    def lay_out_now(self) -> None:
        """Lay the rows out (scroll bar ranges, header offsets) at once, after the model changed its
        rows: Qt defers that to a zero timer, which fires after the pending paint — the rows were
        painted twice, once with the old scroll bar and then again."""
        self.executeDelayedItemsLayout()


class CaseListView(QWidget):
    #: Double-click or Enter on a row: the case id.
    case_activated = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, preset: ListPreset | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._preset = preset or ListPreset()
        self._selected_case: int | None = None
        # A statistics figure the list is narrowed to (clicked on the dashboard), on top of the combos.
        self._statistic: StatisticFilter | None = None
        #: The centers a figure counted (one center, or a level's: the table by level), kept with it.
        self._figure_center: int | None = None
        self._figure_centers: frozenset[int] | None = None
        #: The cases a figure listed by id (the risk briefing's repeats, flags and grades), kept with it.
        self._figure_cases: frozenset[int] | None = None

        self.search_box = named(QLineEdit(), "caseSearch")
        self.search_box.setPlaceholderText(self.tr(
            "Search: name, ID or phone (or its last digits), case number, title or facts (Ctrl+F)"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMaxLength(200)
        self.search_clear = named(QPushButton(self.tr("Clear")), "caseSearchClear")
        self.search_clear.setToolTip(self.tr("Clear the search and show every case"))
        self.search_clear.setEnabled(False)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search_box.textChanged.connect(self._search_edited)
        self.search_box.returnPressed.connect(self._apply_filter)
        self.search_clear.clicked.connect(self.clear_search)
        self.find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self.find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_shortcut.activated.connect(self.focus_search)

        #: In a mediator's own list only (the preset names the mediator): 全部我承办的 / 待办 / 超期.
        self.mine_combo = named(QComboBox(), "mineFilter")
        self.mine_combo.addItem(self.tr("All cases I handle"), MINE_ALL)
        self.mine_combo.addItem(self.tr("To do"), MINE_TODO)
        self.mine_combo.addItem(self.tr("Overdue"), MINE_OVERDUE)
        self.mine_combo.setToolTip(self.tr(
            "To do: cases still open and not awaiting closure review. Overdue: open cases whose "
            "current time limit has passed."))
        self.state_combo = named(QComboBox(), "stateFilter")
        self.type_combo = named(QComboBox(), "typeFilter")
        self.team_combo = named(QComboBox(), "teamFilter")
        self.from_check = named(QCheckBox(self.tr("Received from")), "fromCheck")
        self.from_date = DateField("fromDate", self.tr("First day received"))
        self.to_check = named(QCheckBox(self.tr("to")), "toCheck")
        self.to_date = DateField("toDate", self.tr("Last day received"))
        self.clear_button = named(QPushButton(self.tr("Clear filters")), "clearFilters")
        self.count_label = named(QLabel(), "countLabel")
        self.error_label = named(QLabel(), "listError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.figure_label = named(QLabel(), "figureFilter")
        self.figure_label.setStyleSheet("background-color: #e3f2fd; padding: 2px 6px;")
        self.figure_label.setWordWrap(True)
        self.figure_clear = named(QPushButton(self.tr("Show all cases")), "figureClear")
        self.figure_bar = QWidget()
        figure_layout = QHBoxLayout(self.figure_bar)
        figure_layout.setContentsMargins(0, 0, 0, 0)
        figure_layout.addWidget(self.figure_label, 1)
        figure_layout.addWidget(self.figure_clear)
        self.figure_bar.hide()

        self._fill_state_combo()
        self.type_combo.addItem(self.tr("All dispute types"), None)
        self.team_combo.addItem(self._all_teams_text(), None)
        today = date.today()
        for check, edit, start in ((self.from_check, self.from_date, _month_before(today)),
                                   (self.to_check, self.to_date, today)):
            edit.set_range(date(1900, 1, 1), date(2099, 12, 31))
            edit.set_value(start)
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._apply_filter)
            edit.value_entered.connect(self._date_changed)

        searching = QHBoxLayout()
        searching.setContentsMargins(0, 0, 0, 0)
        searching.addWidget(self.search_box, 1)
        searching.addWidget(self.search_clear)
        if self._mine:
            # Beside the search (the filter row is as wide as the list may get beside a case).
            searching.addWidget(QLabel(self.tr("Show")))
            searching.addWidget(self.mine_combo)
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(QLabel(self.tr("State")))
        filters.addWidget(self.state_combo)
        filters.addWidget(QLabel(self.tr("Type")))
        filters.addWidget(self.type_combo)
        filters.addWidget(QLabel(self.tr("Team")))
        filters.addWidget(self.team_combo)
        filters.addStretch(1)
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.from_check)
        dates.addWidget(self.from_date)
        dates.addWidget(self.to_check)
        dates.addWidget(self.to_date)
        dates.addWidget(self.clear_button)
        dates.addStretch(1)
        dates.addWidget(self.count_label)

        self.model = CaseListModel(runner, actor, CaseQuery(filter=self._filter()), self)
        self.table = named(CaseTable(), "caseTable")
        self.table.empty_text = self.tr("No case to list here. A filter or the search may hide some: "
                                        "Clear filters shows them all.")
        self.table.setModel(self.model)
        # Behind another section's tab, or in a minimised window, the list only marks itself stale
        # on a change, and refreshes when shown.
        self.model.refresh_when_shown(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Nothing in the list is edited here (the store's empty cells would say they could be).
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # The scroll bar stays: a search of a few rows after one of many (or the other way) would
        # otherwise narrow the rows under a fresh paint and paint them all again.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        vertical = self.table.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view must never ask a million rows for their size hints.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + ROW_HEIGHT_PADDING)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        for visual, column in enumerate(VISUAL_ORDER):
            header.moveSection(header.visualIndex(column), visual)
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        self.table.setSortingEnabled(True)
        # A new query's rows below the screen are made into items after its first paint.
        self.model.screen_rows = self.table.screen_rows
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(searching)
        layout.addLayout(filters)
        layout.addLayout(dates)
        layout.addWidget(self.figure_bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

        self.mine_combo.currentIndexChanged.connect(self._mine_changed)
        self.state_combo.currentIndexChanged.connect(self._apply_filter)
        self.type_combo.currentIndexChanged.connect(self._apply_filter)
        self.team_combo.currentIndexChanged.connect(self._apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.figure_clear.clicked.connect(self.clear_filters)
        self.table.activated.connect(self._activated)
        self.model.count_changed.connect(self._show_count)
        self.model.rows_loaded.connect(self._fit_numbers)
        self._fit_numbers(0, self.model.rowCount() - 1)  # rows read with the model (a synchronous runner)
        self.model.recounting.connect(self._show_recounting)
        self.model.load_failed.connect(self._show_error)
        self.model.refreshed.connect(self._keep_selection)
        self.model.modelReset.connect(self._scroll_to_top)
        for rows_changed in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            rows_changed.connect(self.table.lay_out_now)
        self.model.modelReset.connect(self._rows_reset)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._current_changed)
        runner.changed.connect(self._on_changed)
        self._show_count(self.model.total)
        self._load_choices()

    # ------------------------------------------------------------------ filter bar

    @property
    def _mine(self) -> bool:
        """A mediator's own list (我承办的案件): its own filter, and no "all my teams" wording."""
        return self._preset.mediator_id is not None

    def _all_teams_text(self) -> str:
        if self._preset.team_ids is not None and not self._mine:
            return self.tr("All my teams")
        return self.tr("All teams")

    def _mine_changed(self) -> None:
        # 待办 and 超期 fix the states themselves: the state filter goes back to 全部 meanwhile.
        narrowed = self.mine_combo.currentData() != MINE_ALL
        if narrowed and self._preset.states is None:
            self.state_combo.blockSignals(True)
            self.state_combo.setCurrentIndex(0)
            self.state_combo.blockSignals(False)
        self.state_combo.setEnabled(not narrowed and self._preset.states is None)
        self._apply_filter()

    def _fill_state_combo(self) -> None:
        combo = self.state_combo
        if self._preset.states is not None:
            names = "、".join(enum_text(s) for s in CaseState if s in self._preset.states)
            combo.addItem(names, self._preset.states)
            combo.setEnabled(False)
            return
        combo.addItem(self.tr("All"), frozenset())
        combo.addItem(self.tr("In progress"), OPEN_STATES)
        combo.addItem(self.tr("Awaiting intake and assignment"),
                      frozenset({CaseState.REGISTERED, CaseState.ACCEPTED}))
        combo.addItem(self.tr("Being mediated"), frozenset({CaseState.ASSIGNED, CaseState.IN_MEDIATION}))
        combo.addItem(self.tr("Finished"), FINAL_STATES)
        combo.insertSeparator(combo.count())
        for state in CaseState:
            combo.addItem(enum_text(state), frozenset({state}))

    def _load_choices(self) -> None:
        def work(session: Session) -> tuple[list[Choice], list[Choice]]:
            return reference.dispute_types(session), reference.teams(session)

        self._runner.run_read(work, on_success=lambda lists: self._set_choices(*lists),
                              on_error=lambda failure: self._show_error(failure.message))

    def _set_choices(self, types: list[Choice], teams: list[Choice]) -> None:
        type_id = self.type_combo.currentData()
        team_id = self.team_combo.currentData()
        allowed = self._preset.team_ids
        for combo, all_text, choices, current in (
            (self.type_combo, self.tr("All dispute types"), types, type_id),
            (self.team_combo, self._all_teams_text(),
             [t for t in teams if allowed is None or t.id in allowed], team_id),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, None)
            for choice in choices:
                combo.addItem(choice.name, choice.id)
            found = combo.findData(current)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def _filter(self) -> CaseFilter:
        states = self.state_combo.currentData()
        team_id = self.team_combo.currentData()
        # One team chosen, or every team the section may show (a mediator's own), or no limit.
        team_ids = frozenset({team_id}) if team_id is not None else self._preset.team_ids or frozenset()
        statistic = self._statistic
        if self._mine:
            scope = self.mine_combo.currentData()
            if scope == MINE_TODO:
                states = TODO_STATES
            elif scope == MINE_OVERDUE:
                # The one definition of 超期 the statistics count (services.statistics), as of today.
                today = now().date()  # the project's clock, as the statistics read it
                statistic = StatisticFilter(Figure.OVERDUE, today, today, today=today)
        return CaseFilter(
            states=states or frozenset(),
            dispute_type_id=self.type_combo.currentData(),
            team_ids=team_ids,
            received_from=_day(self.from_date) if self.from_check.isChecked() else None,
            received_to=_day(self.to_date) if self.to_check.isChecked() else None,
            statistic=statistic,
            text=" ".join(words_of(self.search_box.text())) or None,
            mediator_id=self._preset.mediator_id,
            center_id=self._figure_center if self._figure_shown else None,
            center_ids=self._figure_centers if self._figure_shown else None,
            case_ids=self._figure_cases if self._figure_shown else None,
        )

    @property
    def _figure_shown(self) -> bool:
        return self._statistic is not None or self._figure_cases is not None

    def show_figure(self, flt: CaseFilter, title: str) -> None:
        """Show exactly the cases a dashboard figure counted: the other filters are cleared, the
        figure is named above the list, and "show all cases" (or clearing the filters) ends it."""
        self._statistic = flt.statistic
        self._figure_center, self._figure_centers = flt.center_id, flt.center_ids
        self._figure_cases = flt.case_ids
        self.figure_label.setText(self.tr("Statistics: {figure}").format(figure=title))
        self.figure_bar.show()
        self.clear_filters(keep_figure=True)

    def _date_changed(self) -> None:
        if self.from_check.isChecked() or self.to_check.isChecked():
            self._apply_filter()

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        self.error_label.hide()
        checked = [edit for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date))
                   if check.isChecked()]
        if first_problem(checked) is not None:
            return  # the date says why under it; the list keeps its last filter
        for edit in (self.from_date, self.to_date):
            if edit not in checked:
                edit.clear_error()
        flt = self._filter()
        if flt == self.model.query.filter:
            return
        query = replace(self.model.query, filter=flt)
        was_searching = self.model.query.filter.searching
        if flt.searching and not was_searching:
            query = replace(query, sort=SortKey.RELEVANCE, descending=False)  # best match first
        elif not flt.searching and query.sort is SortKey.RELEVANCE:
            query = replace(query, sort=SortKey.RECEIVED, descending=True)  # back to the newest first
        # The header first: the read the list then submits runs while this thread waits idle.
        self._show_sort_indicator(query)
        self.model.set_query(query)

    # ------------------------------------------------------------------ search

    def _search_edited(self, text: str) -> None:
        self.search_clear.setEnabled(bool(text))
        self._search_timer.start()

    def focus_search(self) -> None:
        """Ctrl+F: the cursor into the search box, its text selected to be typed over."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def clear_search(self) -> None:
        self.search_box.clear()
        self._apply_filter()

    def search(self, text: str) -> None:
        """Search at once for ``text`` (as if typed and Enter pressed)."""
        self.search_box.setText(text)
        self._apply_filter()

    def _show_sort_indicator(self, query: CaseQuery | None = None) -> None:
        """The header's arrow for ``query``'s order (the model's query by default)."""
        query = query or self.model.query
        column = CaseListModel.column_sorting(query.sort)
        order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        # Best match first is no column's order: no arrow then.
        header.setSortIndicatorShown(column >= 0)
        header.setSortIndicator(column, order)
        header.blockSignals(False)

    def clear_filters(self, *, keep_figure: bool = False) -> None:
        if not keep_figure:
            self._statistic = None
            self._figure_center = self._figure_centers = None
            self._figure_cases = None
            self.figure_bar.hide()
        for widget in (self.state_combo, self.type_combo, self.team_combo, self.from_check, self.to_check,
                       self.search_box):
            widget.blockSignals(True)
        self.search_box.clear()
        self.search_clear.setEnabled(False)
        self.mine_combo.blockSignals(True)
        self.mine_combo.setCurrentIndex(0)
        self.mine_combo.blockSignals(False)
        if self._preset.states is None:
            self.state_combo.setCurrentIndex(0)
            self.state_combo.setEnabled(True)
        self.type_combo.setCurrentIndex(0)
        self.team_combo.setCurrentIndex(0)
        self.from_check.setChecked(False)
        self.to_check.setChecked(False)
        self.from_date.setEnabled(False)
        self.to_date.setEnabled(False)
        for widget in (self.state_combo, self.type_combo, self.team_combo, self.from_check, self.to_check,
                       self.search_box):
            widget.blockSignals(False)
        self._apply_filter()

    def set_query(self, query: CaseQuery) -> None:
        self.model.set_query(query)

    # ------------------------------------------------------------------ table

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column in CaseListModel.SORT_KEYS:
            self.table.horizontalHeader().setSortIndicatorShown(True)
        else:
            # The model ignored it; put the arrow back on the column that really orders the rows.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
            header.blockSignals(False)

    def _header_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for column in VISUAL_ORDER:
            action = menu.addAction(str(self.model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != CaseListModel.COL_NUMBER)
            action.toggled.connect(lambda shown, c=column: header.setSectionHidden(c, not shown))
        menu.popup(header.mapToGlobal(pos))

    def _fit_numbers(self, first: int, last: int) -> None:
        """The number column grows to the widest number of the rows arrived, never narrower than it
        is: a township's number, （2026）甘州梁家墩调字第0002号, is three characters longer than the
        county's the column is sized for, and its digits were elided (…第00…) in the township head's
        list. Measured from the rows' texts with the table's font, plus the margins Qt's item
        delegate draws the text within (its ``sizeHint``), not asked of Qt row by row."""
        numbers = self.model.numbers(first, last)
        if not numbers:
            return
        table = self.table
        widest = max(map(table.fontMetrics().horizontalAdvance, numbers))
        margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
        wanted = widest + 2 * margin + (1 if table.showGrid() else 0)
        header = table.horizontalHeader()
        if wanted > header.sectionSize(CaseListModel.COL_NUMBER):
            header.resizeSection(CaseListModel.COL_NUMBER, wanted)

    # %Ln: the count in the language's digit groups (共 1,000,026 件): seven digits in a row were
    # read digit by digit on the 1M demo.
    def _show_count(self, total: int) -> None:
        self.count_label.setText(self.tr("%Ln case(s)", "", total))
        if not total:
            self.table.viewport().update()  # it says so (CaseTable.empty_text)

    def _show_recounting(self, total: int) -> None:
        """A refresh's rows are in and counted again: the previous number, said to be counted."""
        self.count_label.setText(self.tr("%Ln case(s), counting again…", "", total))

    def _rows_reset(self) -> None:
        # Said after the new rows are painted (a timer fires after the posted paint): a new text lays
        # the window out again (~0.2 ms), which would come before their paint.
        QTimer.singleShot(1, self._count_pending)

    def _count_pending(self) -> None:
        """A new query's first rows are shown before they are counted: no stale number once they are
        painted (until the count says it, if it came first)."""
        if self.model.counting:
            self.count_label.setText(self.tr("Counting the cases…"))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _scroll_to_top(self) -> None:
        self.table.scrollToTop()

    # The case of a row is asked of the fetched rows, not of its cells' items: a new query's rows
    # below the first screen get their items only after the first paint.
    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        case_id = self.model.case_id_at(index.row()) if index.isValid() else None
        if case_id is not None:
            self.case_activated.emit(case_id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._selected_case = self.model.case_id_at(current.row()) if current.isValid() else None

    def selected_case_id(self) -> int | None:
        return self._selected_case

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)

    def select_case(self, case_id: int) -> None:
        """Select a case's row again (the detail kept showing it), wherever the row is now."""
        self._selected_case = case_id
        self._keep_selection()

    def _keep_selection(self) -> None:
        """After a refresh rows may have moved: keep the same case selected, wherever it went."""
        case_id = self._selected_case
        if case_id is None:
            return
        row = self.table.currentIndex().row()
        if row >= 0 and self.model.case_id_at(row) == case_id:
            return
        local = self.model.row_of(case_id)
        if local is not None:
            self.select_row(local)
            return
        query, actor = self.model.query, self._actor

        def work(session: Session) -> int | None:
            return caselist.row_position(session, actor, query, case_id)

        def found(position: int | None) -> None:
            if self.model.query != query or self._selected_case != case_id:
                return
            if position is None or position >= self.model.total:
                self.table.clearSelection()
                self._selected_case = None
            else:
                self.select_row(position)
                # Its row's window is asked for now (the row was not among those read): the
                # selection is this case, not "no case" while its row is loading.
                self._selected_case = case_id
                self.table.scrollTo(self.model.index(position, 0))

        # On the count lane, as the list's own count (which it follows there: the list has its new
        # length when the answer comes): a case opened meanwhile is read first.
        self._runner.run_count(work, on_success=found, on_error=lambda failure: self._show_error(failure.message))

    def _on_changed(self, changes: Changes) -> None:
        if changes.organisation:
            self._load_choices()


def _month_before(day: date) -> date:
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _day(edit: DateField) -> date | None:
    """The day of a filter field; None when it cannot be read (:meth:`_apply_filter` checks it
    first and shows why)."""
    try:
        return edit.day()
    except InvalidInput:
        return None
