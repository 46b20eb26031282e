"""分级情况表 in the head's statistics section (issue 21 item 4): the table the service counts, its
model through pytest-qt's model tester, a double-click on a figure opening exactly its cases in
the case list (as the dashboard's figures do), 导出PDF / 导出XLSX writing the files, and the
mediator ticking the case's flags on the case page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type information
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTabWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, CaseEvent, CaseState, Center, CenterLevel, DisputeCase
from mediation_desk.readmodels.levels import COLUMNS, Column, LevelsTable, RowKind, Span
from mediation_desk.services import levels
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.common import i18n
from mediation_desk.ui.desk.levels import LevelsView
from mediation_desk.ui.shell.main_window import CaseSection

from ..conftest import login_as
from .conftest import Runner, check_model, rows_where
from .screen import open_window

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui

TODAY = date(2026, 12, 3)
VILLAGE = "梁家墩镇六号村人民调解委员会"
SHOTS = Path("/tmp/levels-screens")


@pytest.fixture(scope="module")
def county_file(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("levels_ui") / "county.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    with db.write() as session:
        demo.seed(session, 120, today=datetime(2026, 12, 3, 17, 0), township_cases=20)
        ljd = session.scalar(select(Center.id).where(Center.prefix == "甘州梁家墩调"))
        village = Center(name=VILLAGE, level=CenterLevel.VILLAGE, parent_id=ljd, prefix="六号村调")
        session.add(village)
        session.flush()
        moved = session.scalars(select(DisputeCase.id).where(DisputeCase.center_id == ljd)
                                .order_by(DisputeCase.id).limit(10)).all()
        session.execute(update(DisputeCase).where(DisputeCase.id.in_(moved)).values(center_id=village.id))
    db.dispose()
    return path


@pytest.fixture
def county(county_file: Path, tmp_path: Path) -> Iterator[Database]:
    target = tmp_path / "county.sqlite3"
    shutil.copyfile(county_file, target)
    db = Database(f"sqlite:///{target}")
    yield db
    db.dispose()


@pytest.fixture
def county_runner(county: Database) -> Iterator[Runner]:
    runner = Runner(county)
    yield runner
    runner.shutdown(dispose=False)
    assert not runner.unhandled, [f.message for f in runner.unhandled]


def _expected(db: Database, month: str) -> LevelsTable:
    with db.read() as session:
        return levels.load(session, login_as(db, "head"), month)


def _double_click(view: LevelsView, row: int, column: int) -> None:
    index = view.model.index(row, column)
    view.view.scrollTo(index)
    rect = view.view.visualRect(index)
    QTest.mouseClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_view_shows_the_table_and_a_double_click_lists_its_cases(
        county: Database, county_runner: Runner, qtbot: QtBot, qtmodeltester: ModelTester, chinese: None,
        qapp: QApplication) -> None:
    i18n.register_fonts(qapp)
    window = open_window(county_runner, login_as(county, "head"), qtbot)
    statistics = window.sections["statistics"]
    assert isinstance(statistics, QTabWidget) and statistics.objectName() == "statisticsTabs"
    window.tabs.setCurrentWidget(statistics)
    assert [statistics.tabText(i) for i in range(statistics.count())] == ["统计概览", "分级情况表", "风险研判"]
    bar = statistics.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    view = statistics.currentWidget()
    assert isinstance(view, LevelsView)
    view.today = TODAY
    qtbot.waitUntil(lambda: view.table is not None)
    view.set_month("2026-11")
    qtbot.waitUntil(lambda: view.table is not None and view.table.month == "2026-11")
    expected = _expected(county, "2026-11")
    assert view.table == expected
    check_model(qtmodeltester, view.model)
    model = view.model
    assert model.rowCount() == 2 * len(expected.rows)
    assert model.headerData(2, Qt.Orientation.Horizontal) == "排查"
    assert model.headerData(5, Qt.Orientation.Horizontal) == "涉及人数\n50人以下"
    assert [model.data(model.index(r, 0)) for r in range(0, model.rowCount(), 2)] == [r.name for r in expected.rows]
    assert model.data(model.index(1, 1)) == "本年累计"
    for r, (row, span) in enumerate((row, span) for row in expected.rows for span in Span):
        assert [model.data(model.index(r, c)) for c in range(2, model.columnCount())] == [
            f"{f.value:,}" for f in row.figures(span)]
    assert view.view.rowSpan(0, 0) == 2  # the unit's name over its two lines
    assert "本月 2026年11月1日至11月30日" in view.caption.text()
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "levels_view.png"))

    # The village's year-to-date 排查: a double-click opens the case list with exactly those cases.
    village_row = next(i for i, r in enumerate(expected.rows) if r.name == VILLAGE)
    figure = expected.rows[village_row].year[COLUMNS.index(Column.SCREENED)]
    assert figure.value > 0
    emitted: list[object] = []
    view.open_cases.connect(lambda flt, _title: emitted.append(flt))
    _double_click(view, 2 * village_row + 1, 2)
    assert emitted == [figure.filter]
    cases = window.tabs.currentWidget()
    assert isinstance(cases, CaseSection)
    listed = cases.list_view
    qtbot.waitUntil(lambda: listed.model.total == figure.value)
    assert VILLAGE in listed.figure_label.text() and "排查" in listed.figure_label.text()
    listed.model.load_rows(0, listed.model.total - 1)
    role = CaseListModel.CaseRowRole
    assert {listed.model.data(listed.model.index(i, 0), role).id for i in range(listed.model.rowCount())} == {
        r.id for r in rows_where(county, login_as(county, "head"), figure.filter)}

    # The townships' 小计 of the month's 调处 lists the cases of both townships that were counted.
    window.tabs.setCurrentWidget(statistics)
    subtotal = next(i for i, r in enumerate(expected.rows) if r.kind is RowKind.SUBTOTAL and r.name == "乡镇级小计")
    view.view.setCurrentIndex(model.index(2 * subtotal, 3))
    view.view.setFocus()
    QTest.keyClick(view.view, Qt.Key.Key_Return)
    handled = expected.rows[subtotal].month[COLUMNS.index(Column.HANDLED)]
    assert emitted[-1] == handled.filter and handled.filter.center_ids == expected.rows[subtotal].center_ids
    qtbot.waitUntil(lambda: listed.model.total == handled.value)


def test_export_buttons_write_the_pdf_and_the_xlsx(county: Database, county_runner: Runner, qtbot: QtBot,
                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   qapp: QApplication) -> None:
    view = LevelsView(county_runner, login_as(county, "head"), today=TODAY)
    qtbot.addWidget(view)
    view.show()
    view.set_month("2026-11")
    qtbot.waitUntil(lambda: view.table is not None and view.table.month == "2026-11")
    targets = iter([str(tmp_path / "分级"), str(tmp_path / "分级.xlsx")])
    monkeypatch.setattr("mediation_desk.ui.common.file_dialogs.save_file_name", lambda *_a: next(targets))
    written: list[str] = []
    view.exported.connect(written.append)
    QTest.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(written) == 1)
    QTest.mouseClick(view.xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(written) == 2)
    assert written == [str(tmp_path / "分级.pdf"), str(tmp_path / "分级.xlsx")]
    assert (tmp_path / "分级.pdf").read_bytes().startswith(b"%PDF")
    sheet = load_workbook(tmp_path / "分级.xlsx").active
    assert view.table is not None and sheet is not None
    assert sheet.cell(5, 3).value == view.table.rows[0].value(Span.MONTH, Column.SCREENED)
    with county.read() as session:
        exports = session.scalars(select(AuditEntry.action).where(AuditEntry.action == "report.levels_export")).all()
    assert len(exports) == 2


def test_the_mediator_ticks_the_flags_on_the_case_page(county: Database, county_runner: Runner,
                                                        qtbot: QtBot) -> None:
    mediator = login_as(county, "mediator")
    with county.read() as session:
        case_id = session.scalar(select(DisputeCase.id).where(
            DisputeCase.team_id.in_(sorted(mediator.team_ids)), DisputeCase.state == CaseState.IN_MEDIATION,
            DisputeCase.is_major.is_(False), DisputeCase.may_group_petition.is_(False)))
    assert case_id is not None
    view = CaseDetailView(county_runner, mediator, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    view.show_case(case_id)
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.id == case_id)
    assert view.flags_box.isVisible() and not view.flags_save.isEnabled()
    QTest.mouseClick(view.major_check, Qt.MouseButton.LeftButton, pos=view.major_check.rect().center())
    QTest.mouseClick(view.petition_check, Qt.MouseButton.LeftButton, pos=view.petition_check.rect().center())
    assert view.major_check.isChecked() and view.flags_save.isEnabled()
    QTest.mouseClick(view.flags_save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.is_major)
    with county.read() as session:
        case = session.get(DisputeCase, case_id)
        assert case is not None and case.is_major and case.may_group_petition
        note = session.scalar(select(CaseEvent.note).where(CaseEvent.case_id == case_id, CaseEvent.action == "flags"))
    assert note == "标记为“重大矛盾纠纷”；标记为“可能引发群体性上访”"
    assert "Major dispute" in view.flags_label.text()
    assert view.flags_status.isVisible() and view.flags_status.text() == "Flags saved."
    # The county head reads a township's case and may not change its flags: no box.
    with county.read() as session:
        township_case = session.scalar(select(DisputeCase.id).join(Center, Center.id == DisputeCase.center_id)
                                       .where(Center.level == CenterLevel.TOWNSHIP))
    assert township_case is not None
    head_view = CaseDetailView(county_runner, login_as(county, "head"), today=lambda: TODAY)
    qtbot.addWidget(head_view)
    head_view.show()
    head_view.show_case(township_case)
    qtbot.waitUntil(lambda: head_view.detail is not None and head_view.detail.id == township_case)
    assert not head_view.flags_box.isVisible()



def test_a_countys_year_reads_in_digit_groups(county: Database, qtbot: QtBot) -> None:
    """The 1M demo's year-to-date line wrote 932261 cases received: the table's figures in digit
    groups, as the statistics' tiles write them."""
    from dataclasses import replace

    from mediation_desk.ui.desk.levels import LevelsModel

    table = _expected(county, "2026-11")
    total = table.rows[-1]
    big = replace(total, year=(replace(total.year[0], value=932_261), *total.year[1:]))
    model = LevelsModel()
    model.set_table(replace(table, rows=(*table.rows[:-1], big)))
    last = model.rowCount() - 1  # the total's year line
    assert model.data(model.index(last, LevelsModel.FIRST_FIGURE)) == "932,261"
