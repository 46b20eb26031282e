"""The head's dashboard: the figures it shows, the filters its clicks emit, its screenshots."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCharts import QAbstractBarSeries, QPieSeries, QScatterSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.readmodels.statistics import FORMULAS, Breakdown, Figure, Figures
from mediation_desk.services import statistics
from mediation_desk.services.actor import Actor
from mediation_desk.ui.common import i18n
from mediation_desk.ui.desk.dashboard import DashboardPanel, PeriodKind

from .conftest import Runner, rows_where
from .date_typing import type_into

HEAD = Actor(user_id=None, username="head", display_name="陈志强", role=Role.HEAD)
SCREENSHOTS = Path("/tmp/dashboard-screens")


@pytest.fixture
def panel(qtbot: QtBot, runner: Runner, qapp: QApplication) -> DashboardPanel:
    i18n.register_fonts(qapp)
    widget = DashboardPanel(runner, HEAD, today=date.today())
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.set_period(PeriodKind.YEAR, 0)
    return widget


def _expected(db: Database, start: date, end: date) -> Figures:
    with db.read() as session:
        return statistics.figures(session, HEAD, start, end, today=date.today())


def _ids(db: Database, flt: CaseFilter) -> set[int]:
    return {row.id for row in rows_where(db, HEAD, flt, limit=2000)}


def test_figures_shown_are_the_services(panel: DashboardPanel, demo_sqlite_db: Database) -> None:
    figs = _expected(demo_sqlite_db, date(date.today().year, 1, 1), date(date.today().year, 12, 31))
    assert panel.figures == figs
    assert figs.received.count > 0
    assert f">{figs.received.count}<" in panel.tiles["received"].value_label.text()
    assert f">{figs.success_rate.text()}<" in panel.tiles["success_rate"].value_label.text()
    detail = panel.tiles["success_rate"].detail_label.text()
    assert f">{figs.success_rate.numerator}<" in detail and f">{figs.success_rate.denominator}<" in detail
    assert f">{figs.overdue.count}<" in panel.tiles["overdue"].value_label.text()
    # Formulas: each tile's tooltip, each chart's footnote, and the footnote line.
    assert panel.tiles["success_rate"].toolTip() == FORMULAS[Figure.SUCCESS_RATE]
    assert panel.chart_notes["typeNote"].text() == figs.by_type.formula
    assert panel.type_chart.toolTip() == figs.by_type.formula
    assert figs.success_rate.formula in panel.footnote_label.text()
    bars = panel.type_chart.chart().series()[0]
    assert isinstance(bars, QAbstractBarSeries)
    shown = [int(bars.barSets()[0].at(i)) for i in range(bars.barSets()[0].count())]
    assert shown == [b.count for b in reversed(figs.by_type.buckets)]
    # Each count at the foot of its bar: centred, a short bar's count (来信, a township's team) was
    # drawn over the category names to the left of the axis.
    for view in (panel.type_chart, panel.source_chart, panel.team_chart):
        series = view.chart().series()[0]
        assert isinstance(series, QAbstractBarSeries) and series.isLabelsVisible()
        assert series.labelsPosition() == QAbstractBarSeries.LabelsPosition.LabelsInsideBase
    pie = panel.result_chart.chart().series()[0]
    assert isinstance(pie, QPieSeries)
    assert sum(s.value() for s in pie.slices()) == figs.by_result.total


def test_clicks_emit_the_figures_filters(panel: DashboardPanel, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    figs = panel.figures
    assert figs is not None
    emitted: list[tuple[CaseFilter, str]] = []
    panel.open_cases.connect(lambda flt, title: emitted.append((flt, title)))

    panel.tiles["success_rate"].value_label.linkActivated.emit("value")
    panel.tiles["success_rate"].detail_label.linkActivated.emit("denominator")
    panel.tiles["received"].value_label.linkActivated.emit("value")
    panel.tiles["overdue"].setFocus()
    QTest.keyClick(panel.tiles["overdue"], Qt.Key.Key_Return)
    bars = panel.type_chart.chart().series()[0]
    assert isinstance(bars, QAbstractBarSeries)
    top = bars.barSets()[0].count() - 1  # the first dispute type is drawn at the top
    bars.barSets()[0].clicked.emit(top)
    pie = panel.result_chart.chart().series()[0]
    assert isinstance(pie, QPieSeries)
    pie.slices()[0].clicked.emit()
    points = next(s for s in panel.month_chart.chart().series() if isinstance(s, QScatterSeries))
    points.clicked.emit(QPointF(2.5, 0))

    first_result = next(b for b in figs.by_result.buckets if b.count)
    expected = [
        (figs.success_rate.numerator_filter, figs.success_rate.numerator),
        (figs.success_rate.denominator_filter, figs.success_rate.denominator),
        (figs.received.filter, figs.received.count),
        (figs.overdue.filter, figs.overdue.count),
        (figs.by_type.buckets[0].filter, figs.by_type.buckets[0].count),
        (first_result.filter, first_result.count),
        (figs.by_month.buckets[2].filter, figs.by_month.buckets[2].count),
    ]
    assert [flt for flt, _ in emitted] == [flt for flt, _ in expected]
    for (flt, title), (_, count) in zip(emitted, expected, strict=True):
        assert len(_ids(demo_sqlite_db, flt)) == count, title
        assert str(date.today().year) in title
    assert figs.by_type.buckets[0].label in emitted[4][1]


def test_period_kinds_and_bad_custom_dates(panel: DashboardPanel, demo_sqlite_db: Database) -> None:
    panel.set_period(PeriodKind.MONTH, 1)
    period = panel.period()
    assert period.start.day == 1 and (period.end.month, period.end.year) == (period.start.month, period.start.year)
    assert panel.figures is not None and panel.figures.period_start == period.start
    assert panel.report_button.isEnabled()
    panel.set_period(PeriodKind.QUARTER, 0)
    assert panel.figures is not None and (panel.figures.period_end - panel.figures.period_start).days in range(89, 92)
    assert not panel.report_button.isEnabled()
    panel.set_period(PeriodKind.CUSTOM)
    assert panel.from_date.isVisibleTo(panel) and not panel.period_combo.isVisibleTo(panel)
    loaded = panel.figures
    later = panel.to_date.day()
    assert later is not None
    type_into(panel.from_date, f"{later + timedelta(days=3):%Y%m%d}")
    panel.refresh()
    assert panel.status_label.text() == "The end date must not be before the start date."
    assert panel.figures is loaded  # the last good figures stay on screen


def test_monthly_report_from_the_panel(panel: DashboardPanel, tmp_path: Path) -> None:
    panel.set_period(PeriodKind.MONTH, 1)
    month = f"{panel.period().start:%Y-%m}"
    target = tmp_path / "report.pdf"
    panel.save_report(target, month)
    assert "Report saved" in panel.status_label.text()
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert panel.figures is not None and "人民调解工作统计表" in text
    assert f"负责人：{HEAD.display_name}" in text
    panel.save_report(tmp_path / "report.doc", month)
    assert panel.status_label.text() == "The report file must end in .pdf or .xlsx."


def test_on_screen_the_tiles_come_first_and_the_charts_one_per_turn_after(
        panel: DashboardPanel, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: not panel.charts_pending)
    panel.set_period(PeriodKind.MONTH, 1)  # the figures arrive at once (a synchronous runner)
    figs = panel.figures
    assert figs is not None and f">{figs.received.count}<" in panel.tiles["received"].value_label.text()
    assert panel.charts_pending  # not in the figures' turn
    qtbot.waitUntil(lambda: not panel.charts_pending)
    bars = panel.type_chart.chart().series()[0]
    assert isinstance(bars, QAbstractBarSeries)
    shown = bars.barSets()[0]
    assert [shown.at(i) for i in range(shown.count())] == [float(b.count) for b in reversed(figs.by_type.buckets)]
    assert panel.chart_notes["monthNote"].text() == figs.by_month.formula
    # Another period while charts are still to be made: only the new period's are made.
    panel.set_period(PeriodKind.YEAR, 0)
    panel.set_period(PeriodKind.MONTH, 1)
    qtbot.waitUntil(lambda: not panel.charts_pending)
    bars = panel.type_chart.chart().series()[0]
    assert isinstance(bars, QAbstractBarSeries)
    shown = bars.barSets()[0]
    assert [shown.at(i) for i in range(shown.count())] == [float(b.count) for b in reversed(figs.by_type.buckets)]


def test_screenshots(panel: DashboardPanel, qtbot: QtBot) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    panel.show()
    qtbot.waitExposed(panel)
    for kind, name in ((PeriodKind.YEAR, "year"), (PeriodKind.MONTH, "month")):
        panel.set_period(kind, 1 if kind == PeriodKind.MONTH else 0)
        qtbot.waitUntil(lambda: not panel.charts_pending)  # on screen, one chart per turn
        qtbot.wait(50)  # charts lay out their axes on the next turn of the event loop
        image = panel.grab().toImage()
        assert (image.width(), image.height()) == (1366, 768)
        assert image.save(str(SCREENSHOTS / f"dashboard-{name}.png"))
        # Not a blank widget: the bars are drawn in the chart colour.
        blue = sum(1 for x in range(0, 1366, 4) for y in range(150, 768, 4)
                   if image.pixelColor(x, y).name() == "#1f6fb2")
        assert blue > 200, name



def shown_as_in_the_window(panel: DashboardPanel, qtbot: QtBot) -> Figures:
    """The panel at its size in the window at 1366 wide (in the statistics page's scroll area, a
    scroll bar beside it), shown with its figures and charts: the figures."""
    panel.resize(1348, 823)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: not panel.charts_pending)
    assert panel.figures is not None
    return panel.figures

def test_a_countys_year_reads_in_digit_groups_with_its_pie_whole(panel: DashboardPanel, demo_sqlite_db: Database,
                                                                  qtbot: QtBot) -> None:
    """The 1M demo's year, at 1366 wide: its counts were written 932261 beside the amount's
    78,492,297,000, and the results' pie, its legend's labels six digits long, was cut off at the
    chart's left edge."""
    from dataclasses import replace

    from PySide6.QtGui import QColor

    from mediation_desk.ui.desk.dashboard import PALETTE

    figs = shown_as_in_the_window(panel, qtbot)
    assert len(figs.by_result.buckets) >= 4
    results = (514_083, 169_823, 60_018, 60_976, 24_376)
    big = replace(
        figs, received=replace(figs.received, count=932_261), ended=replace(figs.ended, count=829_276),
        success_rate=replace(figs.success_rate, numerator=514_083, denominator=683_906),
        overdue=replace(figs.overdue, count=84_326),
        by_result=replace(figs.by_result, buckets=tuple(
            replace(bucket, count=count) for bucket, count in zip(figs.by_result.buckets, results, strict=False))))
    panel._show(big)
    qtbot.waitUntil(lambda: not panel.charts_pending)
    assert ">932,261<" in panel.tiles["received"].value_label.text()
    assert ">829,276<" in panel.tiles["ended"].value_label.text()
    assert ">84,326<" in panel.tiles["overdue"].value_label.text()
    detail = panel.tiles["success_rate"].detail_label.text()
    assert ">514,083<" in detail and ">683,906<" in detail
    # The pie whole: its leftmost column of colour is the round edge, a few pixels tall; cut off by
    # the chart's edge, a straight line a third of the pie's height.
    QApplication.processEvents()
    image = panel.result_chart.grab().toImage()
    colours = {QColor(PALETTE[i + 1]).rgb() for i in range(len(results))}
    legend = panel.result_chart.chart().legend()
    assert legend.isVisible()
    columns: dict[int, int] = {}
    for x in range(int(panel.result_chart.mapFromScene(legend.geometry().topLeft()).x())):
        for y in range(image.height()):
            if image.pixel(x, y) in colours:
                columns[x] = columns.get(x, 0) + 1
    height = max(columns.values())
    assert height > 100 and columns[min(columns)] < height / 4, (min(columns), columns[min(columns)], height)


def test_a_countys_year_charts_and_lines_read_in_digit_groups(chinese: None, panel: DashboardPanel,
                                                               qtbot: QtBot) -> None:
    """The 1M demo's year: the charts wrote their counts 373344 and their axes 100000200000300000,
    the team chart's run together in its narrow column; the 12345 line and the counter's ratings
    wrote （226027/241908）. Every count in digit groups, as the tiles; the axis at the foot of a
    bar chart keeps only the ticks its labels have room for; the 12345 line's day stays a day."""
    from dataclasses import replace

    from PySide6.QtCharts import QValueAxis
    from PySide6.QtGui import QFontMetrics

    from mediation_desk.readmodels.hotline import HotlineRate, HotlineRates
    from mediation_desk.readmodels.ratings import RatingFigure, RatingFigures

    figs = shown_as_in_the_window(panel, qtbot)
    assert len(figs.by_team.buckets) >= 4
    teams = (166_631, 299_823, 133_003, 99_967, 132_896, 6, 5, 99_930)
    sources = (373_344, 167_320, 28_158, 74_588, 111_361, 46_879, 37_373, 37_212, 27_949, 28_077)
    results = (514_083, 169_823, 60_018, 60_976, 24_376)
    months = (85_413, 76_495, 85_319, 82_200, 84_654, 82_559, 84_798, 85_039, 82_030, 84_722, 81_613, 17_419)

    def counted(breakdown: Breakdown, counts: tuple[int, ...]) -> Breakdown:
        return replace(breakdown, buckets=tuple(
            replace(bucket, count=count) for bucket, count in zip(breakdown.buckets, counts, strict=False)))

    big = replace(figs, by_team=counted(figs.by_team, teams), by_source=counted(figs.by_source, sources),
                  by_result=counted(figs.by_result, results), by_month=counted(figs.by_month, months))
    panel._show(big)
    qtbot.waitUntil(lambda: not panel.charts_pending)
    QApplication.processEvents()  # the charts laid out: their plot areas known

    for view in (panel.team_chart, panel.source_chart, panel.type_chart):
        chart = view.chart()
        assert chart.localizeNumbers()
        series = chart.series()[0]
        assert isinstance(series, QAbstractBarSeries) and series.labelsPrecision() >= 7  # not 1.00003e+06
        axis = next(a for a in chart.axes(Qt.Orientation.Horizontal) if isinstance(a, QValueAxis))
        assert axis.labelFormat() == "%.0f"  # localised: 400,000 (Qt's localised "%d" writes nothing)
        # Each tick's label has the room to the next: the widest of them, and a gap.
        widest = QFontMetrics(axis.labelsFont()).horizontalAdvance(f"{int(axis.max()):,}")
        room = chart.plotArea().width() / (axis.tickCount() - 1)
        assert room >= widest + 8, (view.objectName(), room, widest, axis.tickCount())
    team_axis = next(a for a in panel.team_chart.chart().axes(Qt.Orientation.Horizontal) if isinstance(a, QValueAxis))
    assert team_axis.max() >= 299_823 and team_axis.tickCount() >= 2
    pie = panel.result_chart.chart().series()[0]
    assert isinstance(pie, QPieSeries)
    assert [s.label().split()[-1] for s in pie.slices()] == [f"{n:,}" for n in results if n]
    month = panel.month_chart.chart()
    assert month.localizeNumbers()
    assert all(a.labelFormat() == "%.0f" for a in month.axes(Qt.Orientation.Vertical) if isinstance(a, QValueAxis))
    # The months' labels each within its column (84,798 and 85,039 ran together), or not written.
    assert len(figs.by_month.buckets) == 12
    points = next(s for s in month.series() if isinstance(s, QScatterSeries))
    if points.pointLabelsVisible():
        widest = max(QFontMetrics(points.pointLabelsFont()).horizontalAdvance(f"{n:,}") for n in months)
        assert widest <= month.plotArea().width() / 12 - 4, (widest, month.plotArea().width())

    def rate(name: str, numerator: int, denominator: int, weight: int) -> HotlineRate:
        return HotlineRate(name, "", numerator, denominator, weight)

    rates = HotlineRates(date(2026, 1, 1), date(2026, 12, 31), rate("响应率", 226_027, 241_908, 30),
                         rate("解决率", 133_346, 215_422, 35), rate("满意率", 167_211, 172_290, 35),
                         late=40_819, today=date(2026, 12, 7))
    panel._show_rates(rates)
    line = panel.hotline_label.text()
    assert "响应率 93.4%（226,027/241,908）；解决率 61.9%（133,346/215,422）" in line, line
    assert line.endswith("（权重 30/35/35）；截至 12月07日 超过“2·20”时限 40,819 件"), line
    clerk = RatingFigure("王芳", 12_302, 11_650, 1_016, {})
    panel._show_ratings(RatingFigures(date(2026, 1, 1), date(2026, 12, 31), clerk, (clerk,)))
    assert "12,302" in panel.ratings_label.text() and "1,016" in panel.ratings_label.text()
    assert "王芳：12,302 / " in panel.ratings_label.toolTip()


def test_a_townships_months_tick_whole_numbers(panel: DashboardPanel, qtbot: QtBot) -> None:
    """A township's months on the 1M demo (the most 1 or 2 cases a month): the month chart's axis
    was ticked at Qt's nice numbers 0, ⅔, 1⅓, 2 and read "0 1 1 2"."""
    from dataclasses import replace

    from PySide6.QtCharts import QValueAxis

    figs = shown_as_in_the_window(panel, qtbot)
    for counts in ((0, 1, 0, 1), (2, 0, 1), (0, 0, 0), (17, 3, 9)):
        months = replace(figs.by_month, buckets=tuple(
            replace(bucket, count=count) for bucket, count in zip(figs.by_month.buckets, counts, strict=False)))
        panel._show(replace(figs, by_month=months))
        qtbot.waitUntil(lambda: not panel.charts_pending)
        [axis] = [a for a in panel.month_chart.chart().axes(Qt.Orientation.Vertical)
                  if isinstance(a, QValueAxis) and a.isVisible()]
        step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
        assert axis.min() == 0 and step >= 1 and step == int(step), (counts, axis.max(), axis.tickCount())
        assert axis.max() >= max(counts) and axis.labelFormat() == "%.0f"
