"""Every screen at home on a 1366×768 screen, walked as the new user walked it (issue 19, screen
defects): each section and each case tab as each role keeps the window's minimum inside the
screen with the status bar on it; Ctrl+F from the case table; the status bar's words; every
category of the statistics' bar charts labelled; the agreement's 履行内容 readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import Agreement, AgreementTerm, CaseState, DisputeCase
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.tabs.agreement import CONTENT_MIN_WIDTH, AgreementTab, TermsModel
from mediation_desk.ui.shell.main_window import CaseSection, MainWindow

from ..conftest import login_as
from .conftest import Runner
from .screen import CENTER, SCREEN_WIDTH, USABLE_HEIGHT, open_window

pytestmark = pytest.mark.gui

def make_window(runner: Runner, actor: Actor, qtbot: QtBot) -> MainWindow:
    return open_window(runner, actor, qtbot)


def click_tab(tabs: QTabWidget, index: int) -> None:
    """A click on the tab's title, as a person opens a section or a case tab."""
    bar = tabs.tabBar()
    if bar.rect().contains(bar.tabRect(index).center()):
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    else:  # scrolled off the bar: what its scroll arrows and a click come to
        bar.setCurrentIndex(index)
    assert tabs.currentIndex() == index
    QApplication.processEvents()


def open_row(section: CaseSection, row: int) -> int:
    """Double-click a row of the section's case list; returns the case opened."""
    view = section.list_view
    model = view.model
    index = model.index(row, 1)
    view.table.scrollTo(index)
    centre = view.table.visualRect(index).center()
    QTest.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    case_id: int = model.data(model.index(row, 0), model.CaseRowRole).id
    assert section.detail_view.case_id == case_id
    return case_id


def assert_fits(window: MainWindow, where: str) -> None:
    QApplication.processEvents()
    hint, minimum = window.minimumSizeHint(), window.minimumSize()
    assert hint.height() <= USABLE_HEIGHT and minimum.height() <= USABLE_HEIGHT, (where, hint, minimum)
    assert hint.width() <= SCREEN_WIDTH and minimum.width() <= SCREEN_WIDTH, (where, hint, minimum)
    # The window keeps the size it was given, and its status bar is on the screen.
    assert (window.width(), window.height()) == (SCREEN_WIDTH, USABLE_HEIGHT), where
    bar = window.statusBar()
    assert bar.isVisible()
    bottom = bar.mapTo(window, QPoint(0, bar.height())).y()
    assert bottom <= window.height() <= USABLE_HEIGHT, where


def rows_by_state(section: CaseSection) -> list[int]:
    """The first row of each state in the section's list (each state shows other forms)."""
    model = section.list_view.model
    model.load_rows(0, model.total - 1)
    first: dict[CaseState, int] = {}
    for row in range(model.rowCount()):
        first.setdefault(model.data(model.index(row, 0), model.CaseRowRole).state, row)
    return sorted(first.values())


@pytest.mark.parametrize("username", ["clerk", "mediator", "head", "admin"])
def test_every_section_and_case_tab_fits_the_screen(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                    app_fonts: str | None, username: str) -> None:
    window = make_window(runner, login_as(demo_sqlite_db, username), qtbot)
    assert_fits(window, "start")
    opened = 0
    for index in range(window.tabs.count()):
        click_tab(window.tabs, index)
        section = window.tabs.widget(index)
        assert_fits(window, window.tabs.tabText(index))
        if not isinstance(section, CaseSection) or not section.list_view.model.total:
            continue
        # Every case tab of a case of each state ("cases"), and of the first case elsewhere.
        rows = rows_by_state(section) if window.sections.get("cases") is section else [0]
        for row in rows:
            case_id = open_row(section, row)
            detail = section.detail_view
            for tab in range(detail.tabs.count()):
                click_tab(detail.tabs, tab)
                assert_fits(window, f"{window.tabs.tabText(index)} case {case_id} {detail.tabs.tabText(tab)}")
                # Beside the list (~600 px) the tab reads without scrolling sideways.
                page = detail.tabs.currentWidget()
                assert isinstance(page, QScrollArea)
                assert page.horizontalScrollBar().maximum() == 0, detail.tabs.tabText(tab)
            click_tab(detail.tabs, 0)
            opened += 1
    assert opened >= (0 if username == "admin" else 3)


def test_ctrl_f_from_the_case_table_goes_to_the_search(runner: Runner, demo_sqlite_db: Database,
                                                        qtbot: QtBot) -> None:
    window = make_window(runner, login_as(demo_sqlite_db, "mediator"), qtbot)
    for key in ("cases", "mine"):
        section = window.sections[key]
        assert isinstance(section, CaseSection)
        click_tab(window.tabs, window.tabs.indexOf(section))
        table = section.list_view.table
        index = section.list_view.model.index(0, 1)
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
        assert QApplication.focusWidget() is table
        QTest.keyClick(table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        search = section.list_view.search_box
        assert QApplication.focusWidget() is search, key
        # The next keystrokes are typed into the search, not into the table's type-ahead.
        QTest.keyClicks(search, "1391")
        assert search.text() == "1391"
        search.clear()

    # From an opened case's note too (the window's shortcut serves every focus in it).
    section = window.sections["cases"]
    assert isinstance(section, CaseSection)
    click_tab(window.tabs, window.tabs.indexOf(section))
    open_row(section, 0)
    note = section.detail_view.note_edit
    note.setFocus()
    QTest.keyClick(note, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is section.list_view.search_box
    # And from the desk, which has no list: the all-cases section's search.
    click_tab(window.tabs, window.tabs.indexOf(window.sections["desk"]))
    focus = QApplication.focusWidget() or window
    QTest.keyClick(focus, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is section
    assert QApplication.focusWidget() is section.list_view.search_box


def test_status_bar_names_the_center_and_the_database_file(chinese: None, runner: Runner,
                                                          demo_sqlite_db: Database, qtbot: QtBot) -> None:
    window = make_window(runner, login_as(demo_sqlite_db, "mediator"), qtbot)
    text = window.location_label.text()
    assert text == f"{CENTER} · 数据库：cases.sqlite3"
    assert window.location_label.isVisible()
    assert "sqlite" not in text.replace("cases.sqlite3", "") and "://" not in text
    assert window.location_label.toolTip().endswith("/cases.sqlite3")
    # A message shown for a while (a saved receipt) leaves it in place.
    window.statusBar().showMessage("回执已保存")
    assert window.location_label.isVisible()


def test_friendly_database_names_hide_driver_account_and_password() -> None:
    server = Database("postgresql+psycopg://mediation:s3cret@192.168.1.10:5433/mediation")
    try:
        assert server.friendly_name == "192.168.1.10:5433/mediation"
        assert "s3cret" not in server.location and "psycopg" not in server.location
    finally:
        server.dispose()
    plain = Database("postgresql://mediation@db.center.local/cases")
    try:
        assert plain.friendly_name == "db.center.local/cases"
    finally:
        plain.dispose()


def category_labels(view: QChartView) -> tuple[list[str], list[bool]]:
    """The category axis' names and, per label the chart laid out left of its plot area, whether
    Qt shows it (Qt hides a category label that would overlap the one before)."""
    chart = view.chart()
    [axis] = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
    plot = chart.plotArea()
    shown = []
    for item in view.scene().items():
        box = item.sceneBoundingRect()
        # Text items of the left axis: right of the chart's edge, left of the plot, a line tall,
        # beside the plot (not the axis title or the value axis below it).
        if (type(item).__name__ == "QGraphicsItem" and box.width() > 4 and box.right() <= plot.left() + 1
                and plot.top() <= box.center().y() <= plot.bottom()):
            shown.append(item.isVisible())
    return axis.categories(), shown


def test_every_source_category_is_labelled(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                           app_fonts: str | None) -> None:
    window = make_window(runner, login_as(demo_sqlite_db, "head"), qtbot)
    click_tab(window.tabs, window.tabs.indexOf(window.sections["statistics"]))
    qtbot.waitUntil(lambda: not window.dashboard.charts_pending)  # on screen, one chart per turn
    for name in ("sourceChart", "typeChart", "teamChart"):
        view = window.dashboard.findChild(QChartView, name)
        assert view is not None

        def laid_out(v: QChartView = view) -> bool:
            return v.chart().plotArea().height() > 0 and len(category_labels(v)[1]) > 0

        qtbot.waitUntil(laid_out)
        categories, shown = category_labels(view)
        assert len(categories) >= 5, name
        assert len(shown) == len(categories) and all(shown), (name, categories, shown)
        # The names are whole (no elision) and each category has a line of its own.
        axis = next(a for a in view.chart().axes() if isinstance(a, QBarCategoryAxis))
        assert not axis.truncateLabels()
        line = QFontMetrics(axis.labelsFont()).height()
        assert view.chart().plotArea().height() / len(categories) >= line, name
        # The count axis ticks whole numbers (no "0 0 1 1" from rounding 0.3, 0.6 …), past the longest bar.
        [counts] = [a for a in view.chart().axes() if isinstance(a, QValueAxis)]
        step = (counts.max() - counts.min()) / (counts.tickCount() - 1)
        assert counts.min() == 0 and step >= 1 and step == int(step), (name, counts.max(), counts.tickCount())
        [bars] = view.chart().series()
        assert isinstance(bars, QHorizontalBarSeries)
        assert counts.max() >= max(bars.barSets()[0].at(i) for i in range(bars.barSets()[0].count()))


def agreement_case(db: Database, actor: Actor) -> tuple[int, str]:
    """A case of the mediator's team with an agreement, and the longest term's content."""
    with db.read() as session:
        found = session.execute(
            select(DisputeCase.id, AgreementTerm.content)
            .join(Agreement, Agreement.case_id == DisputeCase.id)
            .join(AgreementTerm, AgreementTerm.agreement_id == Agreement.id)
            .where(DisputeCase.team_id.in_(actor.team_ids))
        ).all()
    assert found
    case_id, content = max(found, key=lambda r: len(r[1]))
    return case_id, content


def test_agreement_terms_show_the_whole_content(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    case_id, _content = agreement_case(demo_sqlite_db, mediator)
    window = make_window(runner, mediator, qtbot)
    section = window.sections["cases"]
    assert isinstance(section, CaseSection)
    click_tab(window.tabs, window.tabs.indexOf(section))
    model = section.list_view.model
    model.load_rows(0, model.total - 1)
    row = model.row_of(case_id)
    assert row is not None
    open_row(section, row)
    detail = section.detail_view
    click_tab(detail.tabs, detail.tabs.indexOf(detail.work_pages["agreement"]))
    tab = detail.work_tabs["agreement"]
    assert isinstance(tab, AgreementTab)
    table = tab.terms_table
    assert table.isVisible() and tab.terms_model.rowCount() > 0
    QApplication.processEvents()
    width = table.columnWidth(TermsModel.COL_CONTENT)
    assert width >= CONTENT_MIN_WIDTH
    # The content column is on screen, left of the table's edge, for all its width or the rest of the table's.
    left = table.columnViewportPosition(TermsModel.COL_CONTENT)
    assert 0 <= left < table.viewport().width() - 100
    metrics = QFontMetrics(table.font())
    margin = 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    for term in range(tab.terms_model.rowCount()):
        text = str(tab.terms_model.index(term, TermsModel.COL_CONTENT).data())
        needed = metrics.boundingRect(QRect(0, 0, width - margin, 10_000),
                                      int(Qt.TextFlag.TextWordWrap), text)
        assert needed.width() <= width - margin + 1, text
        assert needed.height() <= table.rowHeight(term), (text, needed.height(), table.rowHeight(term))


def test_widgets_fit_helper_sees_a_too_tall_form(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """The check itself can fail: a section demanding 800 px is caught."""
    window = make_window(runner, login_as(demo_sqlite_db, "clerk"), qtbot)
    tall = QWidget()
    tall.setMinimumHeight(800)
    window.tabs.addTab(tall, "tall")
    with pytest.raises(AssertionError):
        assert_fits(window, "tall")


def test_qt_file_dialog_and_message_box_speak_chinese(chinese: None, qtbot: QtBot, tmp_path: Path) -> None:
    """Qt's own dialogs: Qt's zh_CN catalogue plus what it lacks (Qt 6's "&Look in:", "Files of
    &type:", the "Folder" type), as an export or import dialog shows them."""
    (tmp_path / "案卷").mkdir()
    dialog = QFileDialog(None, "导出", str(tmp_path), "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel) if label.objectName()}
    assert labels["lookInLabel"] == "查找范围(&L)："
    assert labels["fileTypeLabel"] == "文件类型(&T)："
    assert labels["fileNameLabel"] == "文件名称(&N)："
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    assert sorted(b.text() for b in buttons.buttons()) == sorted(["打开(&O)", "取消"])
    tree = dialog.findChild(QTreeView, "treeView")
    assert tree is not None
    model = tree.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:4] == ["名称", "体积", "类型", "修改日期"]
    qtbot.waitUntil(lambda: model.rowCount(tree.rootIndex()) == 1)
    assert model.index(0, 2, tree.rootIndex()).data() == "文件夹"
    everything = [w.text() for w in dialog.findChildren(QLabel)] + [b.text() for b in buttons.buttons()]
    assert not [t for t in everything if t and t.isascii()], everything

    box = QMessageBox(QMessageBox.Icon.Question, "放弃草稿", "放弃？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["是(&Y)", "否(&N)", "取消"])


@pytest.mark.parametrize("username", ["head", "mediator", "clerk"])
def test_the_desks_panels_share_two_rows_and_none_is_squeezed(runner: Runner, demo_sqlite_db: Database,
                                                             qtbot: QtBot, app_fonts: str | None,
                                                             username: str) -> None:
    """Four panels in one row left each about 330 px at 1366 wide, their columns cut: at most
    three share a row, each at least 400 px wide."""
    from mediation_desk.ui.desk.desk import DeskPanel

    window = make_window(runner, login_as(demo_sqlite_db, username), qtbot)
    desk = window.sections["desk"]
    click_tab(window.tabs, window.tabs.indexOf(desk))
    assert isinstance(desk, DeskPanel)
    assert_fits(window, "desk")
    rows = [row for row in (desk.orders_row, desk.awaiting_row) if row.isVisible()]
    assert rows
    for row in rows:
        panels = [w for w in (row.widget(i) for i in range(row.count())) if w is not None and w.isVisible()]
        assert 1 <= len(panels) <= 3, [p.objectName() for p in panels]
        for panel in panels:
            assert panel.width() >= 400, (panel.objectName() or type(panel).__name__, panel.width())


def test_the_dashboards_status_has_a_line_of_its_own(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                     app_fonts: str | None) -> None:
    """With the custom period's dates shown, a saved report's long path is read whole at 1366 wide
    (wrapped beside the period's fields), and the period row's buttons stay on the screen."""
    from mediation_desk.ui.desk.dashboard import PeriodKind

    window = make_window(runner, login_as(demo_sqlite_db, "head"), qtbot)
    click_tab(window.tabs, window.tabs.indexOf(window.sections["statistics"]))
    dashboard = window.dashboard
    dashboard.kind_combo.setCurrentIndex(dashboard.kind_combo.findData(PeriodKind.CUSTOM))
    path = "/home/中心主任/文档/统计报表/" + "张掖市甘州区矛盾纠纷调处中心月度统计报表" * 3 + ".pdf"
    dashboard._report_done(path)
    QApplication.processEvents()
    assert_fits(window, "dashboard, custom period, report saved")
    label = dashboard.status_label
    assert label.isVisible() and path in label.text().replace("\u200b", "") and label.toolTip() == path
    # Whole: as tall as its wrapped lines need, and inside the panel's width.
    assert label.height() >= label.heightForWidth(label.width()), (label.height(), label.heightForWidth(label.width()))
    right = label.mapTo(dashboard, QPoint(label.width(), 0)).x()
    assert right <= dashboard.width()
    # …and the dashboard is not pushed wider than its page (read by scrolling sideways).
    page = dashboard.parentWidget()
    while page is not None and not isinstance(page, QScrollArea):
        page = page.parentWidget()
    assert isinstance(page, QScrollArea)
    assert page.horizontalScrollBar().maximum() == 0, (dashboard.width(), page.viewport().width())
    for button in (dashboard.refresh_button, dashboard.report_button):
        edge = button.mapTo(dashboard, QPoint(button.width(), 0)).x()
        assert button.isVisible() and edge <= dashboard.width(), button.objectName()
        assert button.width() >= button.sizeHint().width(), button.objectName()


def test_a_townships_case_numbers_are_read_whole_on_its_desk(runner: Runner, demo_sqlite_db: Database,
                                                             qtbot: QtBot, app_fonts: str | None) -> None:
    """（2026）甘州梁家墩调字第0010号 is four characters longer than the county's numbers the desk's
    columns were sized for: each list's number column grows to its widest row."""
    import random

    from PySide6.QtWidgets import QTableView

    from mediation_desk import demo
    from mediation_desk.services import crossings
    from mediation_desk.ui.desk.desk import DeskPanel

    with demo_sqlite_db.write() as session:
        demo.seed_townships(session, Actor.system("test"), random.Random(5), 12)
    ljd_head = login_as(demo_sqlite_db, "ljd_head")
    with demo_sqlite_db.write() as session:
        # One of its cases reported up: the desk's 上下级流转 lists it under the township's number.
        reported = session.scalars(select(DisputeCase.id).where(
            DisputeCase.center_id == ljd_head.center_id, DisputeCase.state == CaseState.IN_MEDIATION)
            .order_by(DisputeCase.id).limit(1)).one()
        crossings.report_up(session, ljd_head, reported, reason="涉及多个乡镇，请区中心协调")
    window = make_window(runner, ljd_head, qtbot)
    desk = window.sections["desk"]
    click_tab(window.tabs, window.tabs.indexOf(desk))
    assert isinstance(desk, DeskPanel)
    checked: list[str] = []
    for table in desk.findChildren(QTableView):
        model = table.model()
        if not table.isVisible() or model is None or not model.rowCount():
            continue
        headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
        for column, title in enumerate(headers):
            if title in ("Case number", "案号") and column < model.columnCount() - 1:
                numbers = [str(model.index(r, column).data()) for r in range(model.rowCount())]
                if any("梁家墩" in n for n in numbers):
                    header = table.horizontalHeader()
                    assert header.sectionSize(column) >= table.sizeHintForColumn(column), table.objectName()
                    checked.append(table.objectName())
    assert "deskCrossingsTable" in checked and len(checked) >= 2, checked
