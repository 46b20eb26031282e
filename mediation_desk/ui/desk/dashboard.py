"""The head's statistics dashboard: the figures of a period as tiles and charts.

Every number on it can be clicked: the panel emits ``open_cases(CaseFilter, title)`` with the
figure's own filter (services.statistics), so the case list shows exactly the cases counted. Each
figure's formula is its tooltip, and the footnote line under the tiles shows the formula of the
figure under the mouse or the keyboard focus. Figures load on the read lane, never on the GUI
thread; the monthly report is built and written there too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.readmodels.hotline import COMBINED_FORMULA
from mediation_desk.readmodels.ratings import SHARE_FORMULA
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.date_field import DateField, first_problem
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, RefreshWhenShown, named, tinted

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.readmodels.caselist import CaseFilter
    from mediation_desk.readmodels.hotline import HotlineRates
    from mediation_desk.readmodels.ratings import RatingFigures
    from mediation_desk.readmodels.statistics import Breakdown, Figures
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.centers import CenterInfo

FOOTNOTE_COLOUR = "#555555"
FOOTNOTE_STYLE = f"color: {FOOTNOTE_COLOUR};"
#: A chart's least height; a bar chart by category gets a label line per category (+ gap) and
#: the chart's title, value axis and margins (CHART_FRAME_HEIGHT) so Qt hides none of its labels.
CHART_MIN_HEIGHT = 150
CATEGORY_GAP = 3
CHART_FRAME_HEIGHT = 78


def count_ticks(top: float, most: int = 4) -> tuple[int, int]:
    """A whole step of 1, 2 or 5 × 10ⁿ and how many steps (≤ ``most``) reach ``top``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if step * most >= top:
                return step, max(1, math.ceil(top / step))
        magnitude *= 10


#: The least room between two labels of a count axis, in pixels.
LABEL_GAP = 12
#: Significant digits of a bar's label: Qt's six wrote a county's 1,000,026 as 1.00003e+06.
LABEL_DIGITS = 15


def grouped_counts(chart: QChart) -> None:
    """``chart`` writes its numbers as the rest of the desk does, in the language's digit groups
    (373,344): its bars' and points' labels, and its value axes, whose label format must then be
    "%.0f" (:func:`count_axis`; Qt's localised "%d" writes no label at all)."""
    chart.setLocalizeNumbers(True)


#: The smallest a point's label is written to fit beside its neighbours, in points.
LABEL_LEAST_POINTS = 6.5


def fit_point_labels(chart: QChart, points: QScatterSeries, counts: list[int]) -> None:
    """The labels of ``points`` (one a column, evenly spaced across the plot) each within its
    column: in a smaller font if need be, or not written where even that would run them together
    (a county's months, 84,798 and 85,039 side by side, read 84,79885,039). Fitted again when the
    plot's width changes."""
    font = QFont(points.pointLabelsFont())
    size = font.pointSizeF() if font.pointSizeF() > 0 else QFont().pointSizeF()
    texts = [f"{n:,}" for n in counts]

    def fit() -> None:
        room = chart.plotArea().width() / max(1, len(counts)) - 4
        if room <= 0:
            return
        wanted = size
        while wanted - 0.5 >= LABEL_LEAST_POINTS and \
                max(map(QFontMetrics(_sized(font, wanted)).horizontalAdvance, texts)) > room:
            wanted -= 0.5
        fits = max(map(QFontMetrics(_sized(font, wanted)).horizontalAdvance, texts)) <= room
        if points.pointLabelsFont().pointSizeF() != wanted:
            points.setPointLabelsFont(_sized(font, wanted))
        if points.pointLabelsVisible() != fits:
            points.setPointLabelsVisible(fits)

    fit()
    chart.plotAreaChanged.connect(fit)


def _sized(font: QFont, points: float) -> QFont:
    sized = QFont(font)
    sized.setPointSizeF(points)
    return sized


def count_axis(chart: QChart, values: QValueAxis, top: float, *, across: bool) -> None:
    """``values`` in whole-number ticks (a step of 1, 2 or 5 × 10ⁿ) from 0 past ``top``, in
    digit groups. Across the chart (``across``: a horizontal bar chart's axis at the foot), only as
    many ticks as their labels have room for in the plot's width, counted again when that width
    changes: a narrow team chart at a million wrote 100000200000300000 in a row."""
    values.setLabelFormat("%.0f")

    def fit() -> None:
        width = chart.plotArea().width()
        metrics = QFontMetrics(values.labelsFont())
        for most in (4, 3, 2, 1):
            step, intervals = count_ticks(top, most)
            widest = metrics.horizontalAdvance(f"{step * intervals:,}")
            if not across or width <= 0 or width / intervals >= widest + LABEL_GAP:
                break
        if (values.max(), values.tickCount()) != (step * intervals, intervals + 1):
            values.setRange(0, step * intervals)
            values.setTickCount(intervals + 1)

    fit()
    if across:
        chart.plotAreaChanged.connect(fit)


#: The tiles' style, set once on the row that holds them (one style sheet for the nine tiles: each
#: tile and its footnote had a sheet of its own, 18 parsed and polished at the section's first show).
TILE_STYLE = ("QFrame#tile { border: 1px solid #c9d2dc; border-radius: 4px; background: #f7f9fb; }"
              "QFrame#tile:hover { border-color: #1f6fb2; }"
              f"QLabel#tileDetail {{ {FOOTNOTE_STYLE} }}")
LINK_STYLE = "color: #1f6fb2; text-decoration: none;"
PALETTE = ("#1f6fb2", "#2e7d32", "#c62828", "#f9a825", "#6a1b9a", "#00838f", "#8d6e63", "#5c6bc0", "#ef6c00",
           "#546e7a")


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    text: str


class Tile(QFrame):
    """One key figure: its name, its value as a link, and for rates the fraction behind it."""

    clicked = Signal(str)  # "value", "numerator" or "denominator"

    def __init__(self, name: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.key = key
        # Its look (TILE_STYLE) comes from the row of tiles it is put in.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.name_label = named(QLabel(name), "tileName")
        self.value_label = named(QLabel("—"), "tileValue")
        font = QFont(self.value_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.value_label.setFont(font)
        self.detail_label = named(QLabel(""), "tileDetail")
        for label in (self.value_label, self.detail_label):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            label.linkActivated.connect(self.clicked.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.name_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.detail_label)

    def set_value(self, text: str, detail: str = "") -> None:
        self.value_label.setText(f'<a href="value" style="{LINK_STYLE}">{text}</a>')
        self.detail_label.setText(detail)

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit("value")
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]


class DashboardPanel(QWidget):
    """统计: the head's figures for a month, quarter, year or chosen dates."""

    #: A figure was clicked: the case list should open with this filter under this title.
    open_cases = Signal(object, str)
    figures_loaded = Signal(object)
    report_written = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPanel")
        self.runner = runner
        self.actor = actor
        self.today = today or date.today()
        self.figures: Figures | None = None
        self._period: Period | None = None
        self._pending = False

        self.kind_combo = named(QComboBox(), "periodKind")
        for text, kind in ((self.tr("Month"), PeriodKind.MONTH), (self.tr("Quarter"), PeriodKind.QUARTER),
                           (self.tr("Year"), PeriodKind.YEAR), (self.tr("Custom dates"), PeriodKind.CUSTOM)):
            self.kind_combo.addItem(text, kind)
        self.period_combo = named(QComboBox(), "periodChoice")
        self.period_combo.setMinimumContentsLength(12)
        self.from_date = DateField("periodFrom", self.tr("First day of the period"))
        self.to_date = DateField("periodTo", self.tr("Last day of the period"))
        for edit in (self.from_date, self.to_date):
            edit.set_range(date(2000, 1, 1), date(2099, 12, 31))
        self.from_date.set_value(self.today.replace(day=1))
        self.to_date.set_value(self.today)
        self.refresh_button = named(QPushButton(self.tr("Refresh")), "refreshButton")
        self.report_button = named(QPushButton(self.tr("Monthly report…")), "reportButton")
        self.report_button.setToolTip(self.tr("Save the month's statistical report as PDF or XLSX"))
        self.status_label = named(QLabel(), "statusLabel")
        # Beside the period's fields, the custom dates and the center, at 1366 wide a long message
        # ("Report saved: <path>", an error) pushed the dashboard wider than its page. It takes the
        # row's room left over, and wraps onto more lines there instead (paths break at "/").
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        wrapping = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        wrapping.setHeightForWidth(True)
        self.status_label.setSizePolicy(wrapping)
        from_label = QLabel(self.tr("From"))
        to_label = QLabel(self.tr("to"))
        self._custom_widgets = (from_label, self.from_date, to_label, self.to_date)

        period_row = QHBoxLayout()
        period_label = QLabel(self.tr("Period:"))
        period_label.setBuddy(self.kind_combo)
        period_row.addWidget(period_label)
        period_row.addWidget(self.kind_combo)
        period_row.addWidget(self.period_combo)
        for widget in self._custom_widgets:
            period_row.addWidget(widget)
        #: A head whose center has centers below it counts them all, or one of them (docs/centers.md).
        self.center_combo = named(QComboBox(), "dashboardCenter")
        self.center_combo.addItem(self.tr("My center and those below"), None)
        self.center_combo.hide()
        period_row.addWidget(self.center_combo)
        period_row.addWidget(self.refresh_button)
        period_row.addWidget(self.status_label, 1)
        period_row.addWidget(self.report_button)

        self.tiles: dict[str, Tile] = {}
        tiles_box = named(QWidget(), "tiles")
        tiles_box.setStyleSheet(TILE_STYLE)
        tiles_row = QHBoxLayout(tiles_box)
        tiles_row.setContentsMargins(0, 0, 0, 0)
        tiles_row.setSpacing(6)
        for key, name in (
            ("received", self.tr("Cases received")), ("ended", self.tr("Cases ended")),
            ("success_rate", self.tr("Mediation success rate")), ("on_time_rate", self.tr("On-time rate")),
            ("satisfaction_rate", self.tr("Satisfaction rate")), ("amount", self.tr("Amount involved (yuan)")),
            ("group_disputes", self.tr("Group disputes")), ("escalations_prevented", self.tr("Escalations prevented")),
            ("overdue", self.tr("Overdue now")),
        ):
            tile = Tile(name, key)
            tile.clicked.connect(lambda part, key=key: self._tile_clicked(key, part))
            tile.installEventFilter(self)
            self.tiles[key] = tile
            tiles_row.addWidget(tile, 1)
        self.footnote_label = named(QLabel(), "footnote")
        self.footnote_label.setWordWrap(True)
        tinted(self.footnote_label, FOOTNOTE_COLOUR)
        #: The 12345 work orders' 三率 of the period (docs/hotline.md), their formulas in the tooltip.
        self.hotline_label = named(QLabel(), "hotlineRates")
        self.hotline_label.setWordWrap(True)
        self.hotline_rates: HotlineRates | None = None
        #: The counter's 好差评 of the period (docs/ratings.md), per clerk in the tooltip.
        self.ratings_label = named(QLabel(), "counterRatings")
        self.ratings_label.setWordWrap(True)
        self.counter_ratings: RatingFigures | None = None

        self.type_chart = self._chart_view("typeChart")
        self.source_chart = self._chart_view("sourceChart")
        self.result_chart = self._chart_view("resultChart")
        self.month_chart = self._chart_view("monthChart")
        self.team_chart = self._chart_view("teamChart")
        self.chart_notes: dict[str, QLabel] = {}
        charts = QGridLayout()
        charts.setSpacing(6)
        charts.addWidget(self._boxed(self.type_chart, "typeNote"), 0, 0, 2, 1)
        charts.addWidget(self._boxed(self.source_chart, "sourceNote"), 0, 1)
        charts.addWidget(self._boxed(self.result_chart, "resultNote"), 0, 2)
        charts.addWidget(self._boxed(self.month_chart, "monthNote"), 1, 1)
        charts.addWidget(self._boxed(self.team_chart, "teamNote"), 1, 2)
        charts.setColumnStretch(0, 5)
        charts.setColumnStretch(1, 5)
        charts.setColumnStretch(2, 4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(period_row)
        layout.addWidget(tiles_box)
        layout.addWidget(self.footnote_label)
        layout.addWidget(self.hotline_label)
        layout.addWidget(self.ratings_label)
        layout.addLayout(charts, 1)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.period_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.center_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        if len(actor.center_ids) > 1:
            def read_centers(session: Session) -> list[CenterInfo]:
                from mediation_desk.services import centers

                return centers.list_centers(session, actor)

            self.runner.run_read(read_centers, self._set_centers, self._failed)
        self.refresh_button.clicked.connect(self.refresh)
        self.from_date.returned.connect(self.refresh)
        self.to_date.returned.connect(self.refresh)
        self.report_button.clicked.connect(self._save_report)
        self.runner.changed.connect(self._on_changed)
        self._kind_changed(load=False)
        self.loading = RefreshWhenShown(self, self.refresh, first_when_shown=True)
        #: The charts of the figures shown still to be made, one per turn (:meth:`_fill_charts`).
        self._chart_steps: list[Callable[[], None]] = []
        self._chart_timer = QTimer(self)
        self._chart_timer.setInterval(0)
        self._chart_timer.timeout.connect(self._next_charts)

    # ------------------------------------------------------------------ period

    def _kind_changed(self, *_index: int, load: bool = True) -> None:
        kind = self.kind_combo.currentData()
        custom = kind == PeriodKind.CUSTOM
        for widget in self._custom_widgets:
            widget.setVisible(custom)
        self.period_combo.setVisible(not custom)
        self.report_button.setEnabled(kind == PeriodKind.MONTH)
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for period in self._choices(kind):
            self.period_combo.addItem(period.text, period)
        self.period_combo.blockSignals(False)
        if load:
            self.refresh()

    def _choices(self, kind: str) -> list[Period]:
        today = self.today
        if kind == PeriodKind.MONTH:
            periods = []
            year, month = today.year, today.month
            for _ in range(36):
                periods.append(Period(date(year, month, 1), _month_end(year, month),
                                      self.tr("{year}-{month:02d}").format(year=year, month=month)))
                year, month = (year - 1, 12) if month == 1 else (year, month - 1)
            return periods
        if kind == PeriodKind.QUARTER:
            periods = []
            year, quarter = today.year, (today.month - 1) // 3 + 1
            for _ in range(12):
                first = date(year, quarter * 3 - 2, 1)
                periods.append(Period(first, _month_end(year, quarter * 3),
                                      self.tr("{year} Q{quarter}").format(year=year, quarter=quarter)))
                year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
            return periods
        if kind == PeriodKind.YEAR:
            return [Period(date(y, 1, 1), date(y, 12, 31), self.tr("{year}").format(year=y))
                    for y in range(today.year, today.year - 6, -1)]
        return []

    def period(self) -> Period:
        if self.kind_combo.currentData() == PeriodKind.CUSTOM:
            start, end = self.from_date.day(), self.to_date.day()  # refresh() checked them
            assert start is not None and end is not None
            return Period(start, end, self.tr("{start} to {end}").format(start=start.isoformat(), end=end.isoformat()))
        chosen = self.period_combo.currentData()
        assert isinstance(chosen, Period)
        return chosen

    def set_period(self, kind: str, index: int = 0) -> None:
        """Pick a period kind and its ``index``-th choice (0: the current one)."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        if kind != PeriodKind.CUSTOM:
            self.period_combo.setCurrentIndex(index)

    # ------------------------------------------------------------------ loading

    def _custom_dates_unreadable(self) -> bool:
        """Custom dates that cannot be read show why under them; nothing is loaded with them."""
        if self.kind_combo.currentData() != PeriodKind.CUSTOM:
            return False
        return first_problem([self.from_date, self.to_date]) is not None

    def refresh(self) -> None:
        if self._custom_dates_unreadable():
            return
        period = self.period()
        if period.end < period.start:
            self._show_error(self.tr("The end date must not be before the start date."))
            return
        self._period = period
        self._pending = True
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Loading…"))
        actor, today = self.actor, self.today
        chosen = self.center_combo.currentData()
        center_id = chosen if isinstance(chosen, int) else None

        def load(session: Session) -> Figures:
            from mediation_desk.services import statistics

            return statistics.figures(session, actor, period.start, period.end, today=today, center_id=center_id)

        self.runner.run_slow_read(load, self._show, self._failed)

        def load_rates(session: Session) -> HotlineRates | None:
            from mediation_desk.services import hotline

            return hotline.rates(session, actor, period.start, period.end, center_id=center_id, today=today)

        self.runner.run_slow_read(load_rates, self._show_rates, self._rates_failed)

        def load_ratings(session: Session) -> RatingFigures | None:
            from mediation_desk.services import ratings

            return ratings.figures(session, actor, period.start, period.end, center_id=center_id)

        self.runner.run_slow_read(load_ratings, self._show_ratings, self._ratings_failed)

    def _show_ratings(self, figures: RatingFigures | None) -> None:
        self.counter_ratings = figures
        self.ratings_label.setStyleSheet("")
        if figures is None or not figures.total.rated:
            self.ratings_label.setText(self.tr("Counter ratings: none in this period."))
            self.ratings_label.setToolTip("")
            return
        total = figures.total
        self.ratings_label.setText(self.tr("Counter ratings: {rated} rated, {share} satisfied or better, "
                                           "{bad} unsatisfied").format(rated=f"{total.rated:,}",
                                                                        share=total.share_text(), bad=f"{total.bad:,}"))
        self.ratings_label.setToolTip("\n".join(
            [f"{c.name}：{c.rated:,} / {c.share_text()} / {c.bad:,}" for c in figures.clerks] + [SHARE_FORMULA]))

    def _ratings_failed(self, failure: TaskFailure) -> None:
        self.counter_ratings = None
        self.ratings_label.setStyleSheet(ERROR_STYLE)
        self.ratings_label.setText(self.tr("Counter ratings: {problem}").format(problem=failure.message))

    def _show_rates(self, rates: HotlineRates | None) -> None:
        self.hotline_rates = rates
        if rates is None:
            self.hotline_label.setText(self.tr("12345 orders: the three rates are read by the center's head."))
            self.hotline_label.setToolTip("")
            return
        self.hotline_label.setStyleSheet("")
        self.hotline_label.setText(self.tr("12345 orders: {rates}").format(rates=rates.line()))
        self.hotline_label.setToolTip("\n".join([*(r.formula for r in rates.rates), COMBINED_FORMULA]))

    def _rates_failed(self, failure: TaskFailure) -> None:
        self.hotline_rates = None
        self.hotline_label.setStyleSheet(ERROR_STYLE)
        self.hotline_label.setText(self.tr("12345 orders: {problem}").format(problem=failure.message))

    def _set_centers(self, rows: list[CenterInfo]) -> None:
        self.center_combo.blockSignals(True)
        for center in rows:
            self.center_combo.addItem("\u3000" * center.depth + center.name, center.id)
        self.center_combo.blockSignals(False)
        self.center_combo.setVisible(len(rows) > 1)

    def _on_changed(self, changes: Changes) -> None:
        if changes.case_ids or changes.case_list or changes.organisation:
            self.loading.request()

    def _failed(self, failure: TaskFailure) -> None:
        self._pending = False
        self._show_error(failure.message)

    def _show_error(self, message: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(message)

    def _show(self, figs: Figures) -> None:
        self._pending = False
        self.figures = figs
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Figures of {period}").format(period=self._period_text()))
        self._fill_tiles(figs)
        self._fill_charts(figs)
        self.figures_loaded.emit(figs)

    def _period_text(self) -> str:
        return self._period.text if self._period else ""

    # ------------------------------------------------------------------ tiles

    def _fill_tiles(self, figs: Figures) -> None:
        # Every count in digit groups, as the amount beside them: a county's year (932,261 received)
        # read 932261 next to 78,492,297,000.
        fraction = '<a href="numerator" style="{style}">{n:,}</a> / <a href="denominator" style="{style}">{d:,}</a>'
        self.tiles["received"].set_value(f"{figs.received.count:,}")
        self.tiles["ended"].set_value(f"{figs.ended.count:,}")
        for key, rate in (("success_rate", figs.success_rate), ("on_time_rate", figs.on_time_rate),
                          ("satisfaction_rate", figs.satisfaction_rate)):
            self.tiles[key].set_value(rate.text(), fraction.format(style=LINK_STYLE, n=rate.numerator,
                                                                   d=rate.denominator))
        self.tiles["amount"].set_value(f"{figs.amount.total:,.0f}",
                                       self.tr("{n} cases with an amount").format(n=f"{figs.amount.cases:,}"))
        self.tiles["group_disputes"].set_value(f"{figs.group_disputes.count:,}")
        self.tiles["escalations_prevented"].set_value(f"{figs.escalations_prevented.count:,}")
        self.tiles["overdue"].set_value(f"{figs.overdue.count:,}",
                                        self.tr("as of {day}").format(day=figs.today.isoformat()))
        for key, tile in self.tiles.items():
            tile.setToolTip(self._formula(key))
        self.footnote_label.setText(self.tr("Formula: {formula}").format(formula=figs.success_rate.formula))

    def _formula(self, key: str) -> str:
        from mediation_desk.readmodels.statistics import FORMULAS, Figure

        figure = Figure.BY_RESULT if key == "ended" else Figure(key)
        return FORMULAS[figure]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(watched, Tile) and event.type() in (QEvent.Type.Enter, QEvent.Type.FocusIn)
                and self.figures is not None):
            self.footnote_label.setText(self.tr("Formula: {formula}").format(formula=self._formula(watched.key)))
        return super().eventFilter(watched, event)

    def _tile_clicked(self, key: str, part: str) -> None:
        figs = self.figures
        if figs is None:
            return
        period = self._period_text()
        tile_name = self.tiles[key].name_label.text()
        if key in ("success_rate", "on_time_rate", "satisfaction_rate"):
            rate = getattr(figs, key)
            if part == "denominator":
                self._emit(rate.denominator_filter, self.tr("{figure} (all counted), {period}").format(
                    figure=tile_name, period=period))
            else:
                self._emit(rate.numerator_filter, self.tr("{figure} (counted as achieved), {period}").format(
                    figure=tile_name, period=period))
            return
        flt = getattr(figs, key).filter
        self._emit(flt, self.tr("{figure}, {period}").format(figure=tile_name, period=period))

    def _emit(self, flt: CaseFilter, title: str) -> None:
        self.open_cases.emit(flt, title)

    # ------------------------------------------------------------------ charts

    def _chart_view(self, name: str) -> QChartView:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().hide()
        chart.setMargins(chart.margins().__class__(2, 2, 2, 2))
        view = named(QChartView(chart), name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        view.setMinimumHeight(CHART_MIN_HEIGHT)
        return view

    def _boxed(self, view: QChartView, note_name: str) -> QWidget:
        box = QFrame()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(view, 1)
        note = named(QLabel(), note_name)
        note.setWordWrap(True)
        tinted(note, FOOTNOTE_COLOUR)
        font = QFont(note.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        note.setFont(font)
        layout.addWidget(note)
        self.chart_notes[note_name] = note
        return box

    def _new_chart(self, view: QChartView, title: str, formula: str, note_name: str) -> QChart:
        old = view.chart()
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setTitle(title)
        chart.legend().hide()
        grouped_counts(chart)
        chart.setMargins(old.margins())
        view.setChart(chart)
        old.deleteLater()
        view.setToolTip(formula)
        self.chart_notes[note_name].setText(formula)
        return chart

    def _bar_chart(self, view: QChartView, breakdown: Breakdown, title: str, note_name: str, *,
                   horizontal: bool, colour: str) -> None:
        chart = self._new_chart(view, title, breakdown.formula, note_name)
        buckets = list(breakdown.buckets)
        if horizontal:
            buckets.reverse()  # the first type at the top
        bar_set = QBarSet(title)
        bar_set.setColor(QColor(colour))
        bar_set.append([float(b.count) for b in buckets])
        bar_set.setLabelColor(QColor("#222222"))
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bar_set)
        series.setLabelsVisible(True)
        # Each count at the foot of its bar: centred on a short bar (来信 832, a township team's 5)
        # it was drawn over the category names and the axis line.
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsInsideBase)
        series.setLabelsPrecision(LABEL_DIGITS)
        series.setBarWidth(0.75)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([b.label for b in buckets])
        # Qt elides a category it thinks too long even when the chart has room: keep names whole.
        categories.setTruncateLabels(False)
        values = QValueAxis()
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
        # Whole-number ticks (a count of cases): "%d" of Qt's nice numbers for small counts read
        # 0 0 1 1. Some room above the longest bar for its label.
        count_axis(chart, values, max([b.count for b in buckets] + [1]) * 1.12, across=horizontal)
        series.attachAxis(categories)
        series.attachAxis(values)
        if horizontal:
            # Qt hides every label that would overlap the one before it (the source chart showed
            # every other source, the largest bar's among them): the chart is made tall enough for
            # a line per category, and the page scrolls instead.
            line = QFontMetrics(categories.labelsFont()).height() + CATEGORY_GAP
            view.setMinimumHeight(max(CHART_MIN_HEIGHT, len(buckets) * line + CHART_FRAME_HEIGHT))
        bar_set.clicked.connect(lambda index: self._bucket_clicked(buckets[index].filter,
                                                                   title, buckets[index].label))

    def _fill_charts(self, figs: Figures) -> None:
        """The five charts of ``figs``. On screen, one per turn of the event loop after the figures'
        own (the tiles), each painted before the next is made: all five in the figures' turn froze
        the window 50–80 ms at the first show (the charts' first layout and paint); out of sight
        (nothing is painted) all at once."""
        steps: list[Callable[[], None]] = [
            partial(self._bar_chart, self.type_chart, figs.by_type, self.tr("Cases received by dispute type"),
                    "typeNote", horizontal=True, colour=PALETTE[0]),
            partial(self._bar_chart, self.source_chart, figs.by_source, self.tr("Cases received by source"),
                    "sourceNote", horizontal=True, colour=PALETTE[5]),
            partial(self._bar_chart, self.team_chart, figs.by_team, self.tr("Cases received by team"), "teamNote",
                    horizontal=True, colour=PALETTE[6]),
            partial(self._result_chart, figs),
            partial(self._month_chart, figs),
        ]
        self._chart_steps = steps  # any left of an earlier period's are dropped
        if not self.isVisible():
            self._chart_timer.stop()
            self._next_charts(len(steps))
            return
        self._chart_timer.start()  # the tiles are painted first, in the figures' own turn

    def _next_charts(self, count: int = 1) -> None:
        for _ in range(count):
            if not self._chart_steps:
                break
            self._chart_steps.pop(0)()
        if not self._chart_steps:
            self._chart_timer.stop()

    @property
    def charts_pending(self) -> bool:
        """Some charts of the figures shown are still to be made (see :meth:`_fill_charts`)."""
        return bool(self._chart_steps)

    def _result_chart(self, figs: Figures) -> None:
        # Results: a pie; each slice opens its cases.
        title = self.tr("Results of the cases ended")
        chart = self._new_chart(self.result_chart, title, figs.by_result.formula, "resultNote")
        pie = QPieSeries()
        pie.setPieSize(0.8)
        # Centred in its plot area (the legend has its own room to the right): left of centre, a
        # legend of six-digit counts (调解成功 514083) narrowed the area until the pie was cut off.
        pie.setHorizontalPosition(0.5)
        chart.legend().show()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        for i, bucket in enumerate(figs.by_result.buckets):
            if not bucket.count:
                continue
            piece = pie.append(f"{bucket.label} {bucket.count:,}", float(bucket.count))
            piece.setColor(QColor(PALETTE[i + 1]))
            piece.clicked.connect(lambda b=bucket: self._bucket_clicked(b.filter, title, b.label))
        chart.addSeries(pie)
        if not pie.count():
            chart.setTitle(self.tr("Results of the cases ended: none in this period"))

    def _month_chart(self, figs: Figures) -> None:
        # By month: a line with a clickable point per month.
        title = self.tr("Cases received by month")
        chart = self._new_chart(self.month_chart, title, figs.by_month.formula, "monthNote")
        buckets = list(figs.by_month.buckets)
        line = QLineSeries()
        points = QScatterSeries()
        points.setMarkerSize(8)
        for series in (line, points):
            series.setColor(QColor(PALETTE[0]))
            for i, bucket in enumerate(buckets):
                series.append(i + 0.5, bucket.count)
            chart.addSeries(series)
        points.setPointLabelsVisible(len(buckets) <= 12)
        points.setPointLabelsFormat("@yPoint")
        axis = QBarCategoryAxis()
        years = {b.key[:4] for b in buckets}
        axis.append([b.label if len(buckets) <= 3 else (f"{int(b.key[5:])}月" if len(years) == 1 else b.key[2:])
                     for b in buckets])
        axis.setTruncateLabels(False)
        values = QValueAxis()
        # Whole-number ticks in digit groups, as the bar charts': Qt's nice numbers ticked a
        # township's month (the most 1) at 0, ⅔, 1⅓, 2 and wrote "0 1 1 2".
        count_axis(chart, values, max([b.count for b in buckets] + [1]) * 1.2, across=False)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        hidden = QValueAxis()
        hidden.setRange(0, len(buckets))
        hidden.hide()
        chart.addAxis(hidden, Qt.AlignmentFlag.AlignBottom)
        for series in (line, points):
            series.attachAxis(hidden)
            series.attachAxis(values)
        if points.pointLabelsVisible():
            fit_point_labels(chart, points, [b.count for b in buckets])

        def month_clicked(point: QPointF) -> None:
            index = min(max(int(point.x()), 0), len(buckets) - 1)
            self._bucket_clicked(buckets[index].filter, title, buckets[index].label)

        line.clicked.connect(month_clicked)
        points.clicked.connect(month_clicked)

    def _bucket_clicked(self, flt: CaseFilter, chart_title: str, label: str) -> None:
        self._emit(flt, self.tr("{chart}: {bucket}, {period}").format(chart=chart_title, bucket=label,
                                                                       period=self._period_text()))

    # ------------------------------------------------------------------ monthly report

    def _ask_report_path(self, suggested: str) -> str:
        return file_dialogs.save_file_name(self, self.tr("Save the monthly report"), file_dialogs.PDF,
                                           Path(suggested).name, self.tr("PDF (*.pdf);;Excel workbook (*.xlsx)"))

    def _save_report(self) -> None:
        if self._custom_dates_unreadable():
            return
        period = self.period()
        month = f"{period.start:%Y-%m}"
        path = self._ask_report_path(str(Path.home() / f"人民调解工作统计表-{month}.pdf"))
        if not path:
            return
        self.save_report(Path(path), month)

    def save_report(self, target: Path, month: str, *, reporter: str = "", responsible: str = "") -> None:
        """Build the month's report (PDF or XLSX by suffix) on the read lane and write it."""
        suffix = target.suffix.lower()
        if suffix not in (".pdf", ".xlsx"):
            self._show_error(self.tr("The report file must end in .pdf or .xlsx."))
            return
        actor, today = self.actor, self.today
        responsible = responsible or (actor.display_name if actor else "")

        def build(session: Session) -> str:
            from mediation_desk.documents import report
            from mediation_desk.files import write_atomically
            from mediation_desk.services import statistics

            monthly = statistics.load_monthly_report(session, actor, month, reporter=reporter, responsible=responsible,
                                                     submitted_on=today, today=today)
            data = report.render_pdf(monthly) if suffix == ".pdf" else report.render_xlsx(monthly)
            write_atomically(target, data, what="报表文件")
            return str(target)

        def record(session: Session) -> None:
            from mediation_desk.services import statistics

            statistics.record_report_export(session, actor, month, target=target.name)

        def written(path: str) -> None:
            # The export is audited on the write lane (the read lane wrote the file).
            self.runner.run_write(record, on_error=self._failed)
            self._report_done(path)

        self.status_label.setText(self.tr("Writing the report…"))
        self.runner.run_slow_read(build, written, self._failed)

    def _report_done(self, path: str) -> None:
        self.status_label.setStyleSheet(OK_STYLE)
        self.status_label.setText(self.tr("Report saved: {path}").format(path=breakable_path(path)))
        self.status_label.setToolTip(path)
        self.report_written.emit(path)


def breakable_path(path: str) -> str:
    """``path`` with a zero-width space after each separator: a wrapping label may break a long
    path there (it has no spaces of its own) instead of growing as wide as the path."""
    return path.replace("/", "/\u200b").replace("\\", "\\\u200b")


__all__ = ["DashboardPanel", "Period", "PeriodKind", "Tile", "breakable_path"]
