"""风险研判 in the head's statistics section (issue 23 item 4, docs/briefing.md): the tab only the
roles the service lets read the briefing get, the month typed, stepped and refused, the loading
state, every section's figures equal to the service's and opening exactly their cases in the case
list, every model through pytest-qt's model tester, the grade dialog refusing a blank reason and
then writing the head's grade (shown as proposed → head's grade with the reason, audited), and the
PDF exported, read back with pypdf, rendered, and opened in the preview."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView, QTabWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import (
    AuditEntry,
    Center,
    CenterLevel,
    DisputeCase,
    HotlineOrder,
    Party,
    RiskGrade,
    RiskLevel,
    keys,
)
from mediation_desk.models.clock import StageCard
from mediation_desk.models.enums import ClockColour, ClockStage
from mediation_desk.readmodels.briefing import Briefing, BriefingGrades, Count, GradedCases, Reason, SpotKind
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import briefing
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.common import gui_collector, i18n
from mediation_desk.ui.desk.briefing import BriefingView, FiguresModel, GradeDialog
from mediation_desk.ui.shell.main_window import CaseSection

from ..conftest import login_as
from .conftest import Runner, check_model, rows_where, type_text
from .screen import open_window

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

pytestmark = [pytest.mark.gui, pytest.mark.story_day("2026-12-03T17:30")]

TODAY = date(2026, 12, 3)
MONTH = "2026-11"
SHOTS = Path("/tmp/briefing-screens")
REPEATED_ID = "620702198001011234"
REPEATED_PLACE = "甘州区梁家墩镇沿沟村三社 12 号"


@pytest.fixture(scope="module")
def county_file(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """The demo county, with what its seed leaves out: a party in three of November's cases, three
    at one address, two cases flagged 可能民转刑, a yellow card, and 12345 orders in both months."""
    path = tmp_path_factory.mktemp("briefing_ui") / "county.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    with db.write() as session:
        demo.seed(session, 120, today=datetime(2026, 12, 3, 17, 0), township_cases=20)
        november = session.scalars(select(DisputeCase.id).where(
            DisputeCase.received_at >= datetime(2026, 11, 1), DisputeCase.received_at < datetime(2026, 12, 1))
            .order_by(DisputeCase.id)).all()
        october = session.scalars(select(DisputeCase.id).where(
            DisputeCase.received_at >= datetime(2026, 10, 1), DisputeCase.received_at < datetime(2026, 11, 1))
            .order_by(DisputeCase.id)).all()
        assert len(november) >= 6 and len(october) >= 2
        for case_id in november[:3]:
            party = session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.id)).first()
            assert party is not None
            party.id_number, party.name = REPEATED_ID, "王建国"
        session.execute(update(DisputeCase).where(DisputeCase.id.in_(november[3:5])).values(may_turn_criminal=True))
        # The demo's households seldom repeat: three of the month's cases at one address.
        # (A statement, not the ORM's flush: the place key is written with the address, as every writer does.)
        session.execute(update(DisputeCase).where(DisputeCase.id.in_(november[2:5]))
                        .values(address=REPEATED_PLACE, place_key=keys.place_key(REPEATED_PLACE)))
        session.add(StageCard(case_id=november[5], stage=ClockStage.MEDIATION, colour=ClockColour.YELLOW,
                              given_on=date(2026, 11, 20), due_on=date(2026, 11, 27)))
        for n, (case_id, day) in enumerate([(november[0], datetime(2026, 11, 4, 9)),
                                            (november[1], datetime(2026, 11, 9, 10)),
                                            (october[0], datetime(2026, 10, 12, 11))]):
            session.add(HotlineOrder(case_id=case_id, order_no=f"ZY2026{n:06d}", received_at=day))
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


def _expected(db: Database, actor: Actor, month: str = MONTH) -> Briefing:
    with db.read() as session:
        return briefing.load(session, actor, month, today=TODAY)


def _view(runner: Runner, actor: Actor, qtbot: QtBot) -> BriefingView:
    view = BriefingView(runner, actor)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    qtbot.waitUntil(lambda: view.briefing is not None and not view.loading_now)
    return view


def _row(model: FiguresModel, text: str) -> int:
    return next(r for r in range(model.rowCount()) if str(model.data(model.index(r, 0))).startswith(text))


def _enter(table: QTableView, row: int, column: int) -> None:
    table.setCurrentIndex(table.model().index(row, column))
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Return)


def _double_click(table: QTableView, row: int, column: int) -> None:
    index = table.model().index(row, column)
    table.scrollTo(index)
    rect = table.visualRect(index)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _shot(qtbot: QtBot, widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    qtbot.wait(100)  # a chart lays out on the next turn of the loop
    widget.grab().save(str(SHOTS / name))


def _listed_ids(section: CaseSection) -> set[int]:
    model = section.list_view.model
    model.load_rows(0, model.total - 1)
    return {model.data(model.index(i, 0), CaseListModel.CaseRowRole).id for i in range(model.rowCount())}


def test_the_tab_shows_every_section_and_every_figure_lists_exactly_its_cases(
        county: Database, county_runner: Runner, qtbot: QtBot, qtmodeltester: ModelTester, chinese: None,
        qapp: QApplication) -> None:
    i18n.register_fonts(qapp)
    head = login_as(county, "head")
    window = open_window(county_runner, head, qtbot)
    statistics = window.sections["statistics"]
    assert isinstance(statistics, QTabWidget)
    window.tabs.setCurrentWidget(statistics)
    assert [statistics.tabText(i) for i in range(statistics.count())] == ["统计概览", "分级情况表", "风险研判"]
    bar = statistics.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    view = statistics.currentWidget()
    assert isinstance(view, BriefingView)
    # Last month by default (the story's day is 3 December 2026), read off the GUI thread.
    qtbot.waitUntil(lambda: view.briefing is not None and not view.loading_now)
    assert view.month_edit.text() == "2026-11" and view.month() == MONTH
    expected = _expected(county, head)
    assert view.briefing == expected
    assert expected.repeat_parties and expected.repeat_places and expected.criminal.value == 2
    assert expected.carded.value == 1 and (expected.hotline.this.value, expected.hotline.last.value) == (2, 1)
    for model in (view.overview_model, view.spots_model, view.parties_model, view.places_model, view.grades_model):
        check_model(qtmodeltester, model)
    assert [view.pages.tabText(i) for i in range(view.pages.count())] == [
        "总体情况", "热点分布", "重复当事人与地点", "风险分级清单"]
    assert "张掖市甘州区矛盾纠纷调处中心 — 2026年11月" in view.caption.text()

    # 总体情况: each figure as the service counts it.
    overview = view.overview_model
    assert overview.headerData(1, Qt.Orientation.Horizontal) == "本月"
    received = _row(overview, "收案")
    assert [overview.data(overview.index(received, c)) for c in range(1, 4)] == [
        str(expected.received.value), str(expected.received_last.value),
        f"{expected.received.value - expected.received_last.value:+d}"]
    hotline = _row(overview, "12345工单")
    assert overview.data(overview.index(hotline, 1)) == "2" and overview.data(overview.index(hotline, 2)) == "1"
    criminal = _row(overview, "可能民转刑")
    assert overview.data(overview.index(criminal, 1)) == "2"
    assert overview.data(overview.index(_row(overview, "本月亮牌"), 1)) == "1"
    assert overview.data(overview.index(_row(overview, "超期未办结（截至 2026-12-03）"), 1)) == str(
        expected.overdue.value)
    bands = [r for r in range(overview.rowCount()) if str(overview.data(overview.index(r, 0))).startswith("群体性纠纷")]
    assert [overview.data(overview.index(r, 1)) for r in bands] == [str(c.value) for _b, c in expected.group_bands]
    counts = expected.grade_counts()
    assert [overview.data(overview.index(_row(overview, f"风险等级 {g.label}"), 1)) for g in RiskLevel] == [
        str(counts[g]) for g in (RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW, RiskLevel.BLUE)]

    _shot(qtbot, window, "briefing_1366_overview.png")

    # Enter on 可能民转刑: the case list holds exactly the two cases counted.
    emitted: list[tuple[CaseFilter, str]] = []
    view.open_cases.connect(lambda flt, title: emitted.append((flt, title)))
    _enter(view.overview_table, criminal, 1)
    assert emitted[-1][0] == expected.criminal.filter and "可能民转刑" in emitted[-1][1]
    cases = window.tabs.currentWidget()
    assert isinstance(cases, CaseSection)
    qtbot.waitUntil(lambda: cases.list_view.model.total == 2)
    # (The number's filter is a condition: its cases are the graded list's listed as 可能民转刑.)
    assert _listed_ids(cases) == {c.case_id for c in expected.cases if Reason.CRIMINAL in c.reasons}
    # A figure with a statistic's filter: last month's 收案, by double-click.
    window.tabs.setCurrentWidget(statistics)
    _double_click(view.overview_table, received, 2)
    assert emitted[-1][0] == expected.received_last.filter
    qtbot.waitUntil(lambda: cases.list_view.model.total == expected.received_last.value)
    assert _listed_ids(cases) == {r.id for r in rows_where(county, head, expected.received_last.filter)}
    # A grade's count lists its cases.
    window.tabs.setCurrentWidget(statistics)
    _enter(view.overview_table, _row(overview, "风险等级 黄"), 1)
    qtbot.waitUntil(lambda: cases.list_view.model.total == counts[RiskLevel.YELLOW])
    assert _listed_ids(cases) == {c.case_id for c in expected.cases if c.grade is RiskLevel.YELLOW}

    # 热点分布: by center first (the county reads three), by type picked with the keyboard.
    window.tabs.setCurrentWidget(statistics)
    view.pages.setCurrentIndex(1)
    assert view.spot_kind_shown() is SpotKind.CENTER
    spots = view.spots_model
    check_model(qtmodeltester, spots)
    assert [spots.data(spots.index(r, 0)) for r in range(spots.rowCount())] == [
        s.name for s in expected.spots_of(SpotKind.CENTER)]
    assert len(view.chart_view.chart().series()) == 1
    assert [s.label() for s in view.bar_sets] == ["本月", "上月"]
    assert [s.at(0) for s in view.bar_sets] == [float(v) for v in (expected.spots_of(SpotKind.CENTER)[-1].this.value,
                                                                    expected.spots_of(SpotKind.CENTER)[-1].last.value)]
    _shot(qtbot, window, "briefing_1366_spots.png")
    view.spot_kind.setFocus()
    while view.spot_kind_shown() is not SpotKind.TYPE:
        QTest.keyClick(view.spot_kind, Qt.Key.Key_Down)
    by_type = expected.spots_of(SpotKind.TYPE)
    assert spots.rowCount() == len(by_type)
    assert [spots.data(spots.index(r, 3)) for r in range(spots.rowCount())] == [s.change_text for s in by_type]
    _double_click(view.spots_table, 0, 1)
    assert emitted[-1][0] == by_type[0].this.filter and by_type[0].name in emitted[-1][1]
    qtbot.waitUntil(lambda: cases.list_view.model.total == by_type[0].this.value)
    assert _listed_ids(cases) == {r.id for r in rows_where(county, head, by_type[0].this.filter)}
    # A bar of the chart opens its cases too (last month's bar of the largest type).
    window.tabs.setCurrentWidget(statistics)
    view.bar_sets[1].clicked.emit(len(by_type[:10]) - 1)
    assert emitted[-1][0] == by_type[0].last.filter
    # Villages and grids list per center, blank fields not counted.
    window.tabs.setCurrentWidget(statistics)
    view.spot_kind.setCurrentIndex(view.spot_kind.findData(SpotKind.VILLAGE.value))
    assert spots.rowCount() == len(expected.spots_of(SpotKind.VILLAGE))

    # 重复当事人与地点: the party's three cases, masked ID number.
    view.pages.setCurrentIndex(2)
    parties = view.parties_model
    assert parties.rowCount() == len(expected.repeat_parties)
    assert parties.data(parties.index(0, 0)) == expected.repeat_parties[0].label
    assert "620" in parties.data(parties.index(0, 0)) and REPEATED_ID not in parties.data(parties.index(0, 0))
    assert parties.data(parties.index(0, 1)) == "3"
    _shot(qtbot, window, "briefing_1366_repeats.png")
    _enter(view.parties_table, 0, 1)
    assert emitted[-1][0] == expected.repeat_parties[0].cases.filter
    qtbot.waitUntil(lambda: cases.list_view.model.total == 3)
    window.tabs.setCurrentWidget(statistics)
    _enter(view.places_table, 0, 1)
    assert emitted[-1][0] == expected.repeat_places[0].cases.filter
    # A cell that is no figure (the party's name) opens nothing.
    window.tabs.setCurrentWidget(statistics)
    before = len(emitted)
    _enter(view.parties_table, 0, 0)
    assert len(emitted) == before

    # 风险分级清单: coloured by grade; Enter on a row opens its case.
    view.pages.setCurrentIndex(3)
    grades = view.grades_model
    assert grades.rowCount() == len(expected.cases)
    assert [grades.data(grades.index(r, 0)) for r in range(grades.rowCount())] == [c.number for c in expected.cases]
    assert grades.data(grades.index(0, 4)) == expected.cases[0].reason_text
    opened: list[int] = []
    view.open_case.connect(opened.append)
    _enter(view.grades_table, 1, 0)
    assert opened == [expected.cases[1].case_id]
    window.tabs.setCurrentWidget(statistics)
    _shot(qtbot, window, "briefing_1366_grades.png")
    window.resize(1920, 1080)
    _shot(qtbot, window, "briefing_1920_grades.png")
    view.pages.setCurrentIndex(1)
    view.spot_kind.setCurrentIndex(view.spot_kind.findData(SpotKind.CENTER.value))
    _shot(qtbot, window, "briefing_1920_spots.png")


def test_the_month_is_typed_stepped_and_refused_with_the_field_named(
        county: Database, qtbot: QtBot, chinese: None) -> None:
    threaded = Runner(county, synchronous=False)
    try:
        head = login_as(county, "head")
        view = _view(threaded, head, qtbot)
        assert view.month() == MONTH
        line = view.month_edit.line
        line.selectAll()
        QTest.keyClicks(line, "2026/10")
        QTest.keyClick(line, Qt.Key.Key_Return)
        # Read off the GUI thread: the loading state shows until the briefing is there, and nothing of
        # the month before stays on the pages.
        assert view.month() == "2026-10" and view.loading_now and view.caption.text() == "计算中…"
        assert "正在统计 2026-10" in view.status_label.text() and not view.pdf_button.isEnabled()
        qtbot.waitUntil(lambda: view.briefing is not None and view.briefing.month == "2026-10"
                        and not view.loading_now)
        assert view.pages.isEnabled() and view.pdf_button.isEnabled()
        assert view.briefing == _expected(county, head, "2026-10")

        # A month that does not exist: the message names the field; what was typed stays.
        line.selectAll()
        QTest.keyClicks(line, "2026-13")
        QTest.keyClick(line, Qt.Key.Key_Return)
        assert view.month_edit.message == "研判月的月份应为 1 到 12，现在是 13。"
        assert line.text() == "2026-13" and view.month() == "2026-10" and not view.loading_now
        line.selectAll()
        QTest.keyClicks(line, "2026-1x")
        QTest.keyClick(line, Qt.Key.Key_Return)
        assert view.month_edit.message.startswith("研判月“2026-1x”无法识别")
        assert line.text() == "2026-1x" and view.month() == "2026-10" and not view.loading_now
        # A month after this one cannot be reviewed yet.
        line.selectAll()
        QTest.keyClicks(line, "2027-01")
        QTest.keyClick(line, Qt.Key.Key_Return)
        assert view.month_edit.message == "研判月应在 2000-01 至 2026-12 之间，现在是 2027-01。"
        assert view.month() == "2026-10"

        # Alt+Left from the field steps back a month; the buttons step too.
        line.selectAll()
        QTest.keyClicks(line, "2026-10")
        QTest.keyClick(line, Qt.Key.Key_Return)
        assert view.month_edit.message == ""
        QTest.keyClick(line, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        assert view.month() == "2026-09" and line.text() == "2026-09"
        QTest.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
        assert view.month() == "2026-08"
        QTest.keyClick(line, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
        QTest.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
        assert view.month() == "2026-10"
        qtbot.waitUntil(lambda: view.briefing is not None and view.briefing.month == "2026-10"
                        and not view.loading_now)
        # The last month offered is this one: a step beyond it does nothing.
        view.set_month("2026-12")
        QTest.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
        assert view.month() == "2026-12"
        qtbot.waitUntil(lambda: view.briefing is not None and view.briefing.month == "2026-12"
                        and not view.loading_now)
    finally:
        threaded.shutdown(dispose=False)
    assert not threaded.unhandled, [f.message for f in threaded.unhandled]


def test_the_grade_dialog_asks_for_a_reason_then_the_heads_grade_is_shown_beside_the_proposed(
        county: Database, county_runner: Runner, qtbot: QtBot, qtmodeltester: ModelTester, chinese: None) -> None:
    head = login_as(county, "head")
    view = _view(county_runner, head, qtbot)
    view.pages.setCurrentIndex(3)
    expected = _expected(county, head)
    # A township's case: the county head grades any case its briefing lists (docs/briefing.md).
    target_row, target = next((i, c) for i, c in enumerate(expected.cases)
                              if c.center_name != expected.center_name and c.proposed is not RiskLevel.RED)
    assert not view.grade_button.isEnabled()  # nothing chosen yet
    view.grades_table.selectRow(target_row)
    assert view.grade_button.isEnabled() and view.selected_case() == target
    QTest.mouseClick(view.grade_button, Qt.MouseButton.LeftButton)
    dialog = view.grade_dialog
    assert isinstance(dialog, GradeDialog) and dialog.isVisible()
    assert target.number in dialog.about.text() and target.reason_text in dialog.about.text()

    # Neither grade nor reason: the grade is asked for first.
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error_label.text() == "调整后等级：请选择会商确定的等级。"
    # 红 chosen from the keyboard; the reason still blank (spaces): refused, naming the field.
    dialog.grade_combo.setFocus()
    while dialog.grade() is not RiskLevel.RED:
        QTest.keyClick(dialog.grade_combo, Qt.Key.Key_Down)
    QTest.keyClicks(dialog.reason_edit, "   ")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error_label.text() == "调整理由：调整风险等级必须填写理由。"
    assert dialog.grade() is RiskLevel.RED and dialog.focusWidget() is dialog.reason_edit
    with county.read() as session:
        assert session.scalars(select(RiskGrade)).all() == []
    # A reason over 500 characters: the service refuses it; nothing typed is lost.
    dialog.reason_edit.clear()
    type_text(dialog.reason_edit, "理" * 501)
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "500" in dialog.error_label.text()
    assert dialog.reason_edit.toPlainText() == "理" * 501 and dialog.grade() is RiskLevel.RED

    dialog.reason_edit.clear()
    type_text(dialog.reason_edit, "当事人扬言报复，会商提级")
    graded: list[object] = []
    view.graded.connect(graded.append)
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(graded) == 1 and view.grade_dialog is None
    qtbot.waitUntil(lambda: view.briefing is not None and not view.loading_now
                    and any(c.adjusted is RiskLevel.RED for c in view.briefing.cases))
    assert "已调整" in view.status_label.text() and target.number in view.status_label.text()
    grades = view.grades_model
    check_model(qtmodeltester, grades)
    row = next(r for r in range(grades.rowCount()) if grades.data(grades.index(r, 0)) == target.number)
    assert grades.data(grades.index(row, 5)) == target.proposed.label
    assert grades.data(grades.index(row, 6)) == f"{target.proposed.label}→红"
    assert grades.data(grades.index(row, 7)) == f"当事人扬言报复，会商提级（{head.display_name}）"
    assert row == 0  # ordered by the grade in force
    chosen = view.selected_case()  # the case graded stays chosen through the reload
    assert chosen is not None and chosen.case_id == target.case_id and view.grade_button.isEnabled()
    with county.read() as session:
        stored = session.scalars(select(RiskGrade)).one()
        assert (stored.case_id, stored.grade, stored.proposed) == (target.case_id, RiskLevel.RED, target.proposed)
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "briefing.grade")).one()
    assert audited.entity_id == target.case_id and "会商提级" in str(audited.detail)
    _shot(qtbot, view, "briefing_graded.png")

    # Adjusting again shows the head's grade and reason; Cancel writes nothing.
    view.grades_table.selectRow(0)
    QTest.mouseClick(view.grade_button, Qt.MouseButton.LeftButton)
    again = view.grade_dialog
    assert isinstance(again, GradeDialog)
    assert again.grade() is RiskLevel.RED and again.reason_edit.toPlainText() == "当事人扬言报复，会商提级"
    again.grab().save(str(SHOTS / "briefing_grade_dialog.png"))
    QTest.keyClick(again, Qt.Key.Key_Escape)
    assert view.grade_dialog is None


def test_export_writes_the_pdf_off_the_gui_thread_and_offers_the_preview(
        county: Database, county_runner: Runner, qtbot: QtBot, tmp_path: Path, chinese: None) -> None:
    head = login_as(county, "head")
    view = _view(county_runner, head, qtbot)
    asked: list[str] = []

    def ask(suggested: str) -> str:
        asked.append(suggested)
        return str(tmp_path / "研判")

    view.ask_save_path = ask
    assert view.preview_button.isHidden()
    written: list[str] = []
    view.exported.connect(written.append)
    QTest.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(written) == 1)
    assert asked == ["矛盾纠纷风险研判报告-2026-11.pdf"]
    target = tmp_path / "研判.pdf"
    assert written == [str(target)] and str(target) in view.status_label.text()
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "矛盾纠纷风险研判报告" in text and "2026年11月" in text and "王建国" in text
    assert REPEATED_ID not in text
    with county.read() as session:
        export = session.scalars(select(AuditEntry).where(AuditEntry.action == "report.briefing_export")).one()
    assert export.detail is not None and export.detail.get("target") == "研判.pdf"
    SHOTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(target), str(SHOTS / "briefing_pdf")], check=True)
    assert sorted(SHOTS.glob("briefing_pdf*.png"))

    # The preview is offered, not forced: a button opens the PDF just written.
    assert view.preview_button.isVisible()
    QTest.mouseClick(view.preview_button, Qt.MouseButton.LeftButton)
    preview = view.preview
    assert preview is not None and preview.isVisible()
    assert preview.page_count == len(PdfReader(target).pages) and preview.data == target.read_bytes()
    preview.close()


def test_a_cancelled_export_writes_no_file(county: Database, qtbot: QtBot, tmp_path: Path, chinese: None) -> None:
    threaded = Runner(county, synchronous=False)
    try:
        view = _view(threaded, login_as(county, "head"), qtbot)
        view.ask_save_path = lambda _suggested: str(tmp_path / "研判.pdf")
        gate = threading.Event()
        # The slow lane is busy with another read: the PDF waits behind it, and is cancelled.
        threaded.run_slow_read(lambda _session: gate.wait(10))
        QTest.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
        assert view.exporting_now and view.progress.isVisible() and view.cancel_button.isVisible()
        assert not view.pdf_button.isEnabled() and view.status_label.text() == "正在生成PDF…"
        QTest.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
        qtbot.waitUntil(lambda: not view.exporting_now, timeout=30000)
        assert not (tmp_path / "研判.pdf").exists() and view.preview_button.isHidden()
        assert view.status_label.text() == "已取消导出，未写入文件。"
        assert view.pdf_button.isEnabled() and view.cancel_button.isHidden() and view.progress.isHidden()
        with county.read() as session:
            assert session.scalars(select(AuditEntry).where(AuditEntry.action == "report.briefing_export")).all() == []
    finally:
        threaded.shutdown(dispose=False)
    assert not threaded.unhandled, [f.message for f in threaded.unhandled]


def test_only_the_roles_the_service_lets_read_the_briefing_get_the_tab(
        county: Database, county_runner: Runner, qtbot: QtBot) -> None:
    for username in ("clerk", "mediator", "admin"):
        actor = login_as(county, username)
        assert not briefing.may_read(actor)
        window = open_window(county_runner, actor, qtbot)
        assert "statistics" not in window.sections
        assert window.findChildren(BriefingView) == []
        window.close()
    # A township's head reads the briefing of the township and its villages.
    with county.read() as session:
        township = session.scalar(select(Center.id).where(Center.level == CenterLevel.TOWNSHIP,
                                                          Center.prefix == "甘州梁家墩调"))
    township_head = login_as(county, "ljd_head")
    assert township_head.center_id == township and briefing.may_read(township_head)
    window = open_window(county_runner, township_head, qtbot)
    statistics = window.sections["statistics"]
    assert isinstance(statistics, QTabWidget)
    window.tabs.setCurrentWidget(statistics)
    statistics.setCurrentIndex(2)
    view = statistics.currentWidget()
    assert isinstance(view, BriefingView)
    qtbot.waitUntil(lambda: view.briefing is not None and not view.loading_now)
    assert view.briefing == _expected(county, township_head)
    assert {c.center_name for c in view.briefing.cases} <= {view.briefing.center_name}
    # One center: its hot spots are its villages (as the PDF's chart).
    assert len(view.briefing.spots_of(SpotKind.CENTER)) <= 1 and view.briefing.spots_of(SpotKind.VILLAGE)
    assert view.spot_kind_shown() is SpotKind.VILLAGE
    assert view.spots_model.rowCount() == len(view.briefing.spots_of(SpotKind.VILLAGE))


def test_the_models_fetch_long_lists_a_batch_at_a_time(qtmodeltester: ModelTester) -> None:
    model = FiguresModel("BriefingRepeats", ("Place", "Cases", "Case numbers"))
    rows = [(f"地点{i}", None, "") for i in range(FiguresModel.BATCH * 2 + 5)]
    model.set_rows(rows)
    assert model.rowCount() == FiguresModel.BATCH and model.total == len(rows)
    assert model.canFetchMore(QModelIndex())
    check_model(qtmodeltester, model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == len(rows)
    assert model.data(model.index(len(rows) - 1, 0)) == f"地点{len(rows) - 1}"


def test_a_long_graded_list_makes_only_the_rows_the_view_is_handed(qtmodeltester: ModelTester) -> None:
    """The county's graded list (280,000 cases on the 1M demo) is a lazy source: the GUI thread
    makes a row when the view is handed it, never one per case when the briefing arrives."""
    made: list[int] = []

    def row(i: int) -> tuple[str, str]:
        made.append(i)
        return (f"（2026）第{i}号", f"案件{i}")

    total = 100_000
    model = FiguresModel("BriefingGrades", ("Case number", "Case"))
    model.set_source(total, row, key=lambda i: i + 1, background=lambda i: "#f9d6d5" if i % 2 else None)
    assert made == [] and model.total == total and model.rowCount() == FiguresModel.BATCH
    check_model(qtmodeltester, model)
    handed = model.rowCount()  # the tester fetches a batch more itself
    assert handed < total and set(made) <= set(range(handed)) and len(made) == len(set(made))  # each made once
    for _ in range(3):
        model.fetchMore(QModelIndex())
    last = model.rowCount() - 1
    assert last == handed + 3 * FiguresModel.BATCH - 1
    assert model.data(model.index(last, 0)) == f"（2026）第{last}号" and model.key(last) == last + 1
    assert model.data(model.index(last, 1), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(last - 1, 1), Qt.ItemDataRole.BackgroundRole) is None
    assert len(made) <= model.rowCount() < total
    assert model.key(model.rowCount()) is None and model.cell(model.rowCount(), 0) is None  # not handed yet


def test_the_statistics_pages_after_the_first_are_made_when_first_shown(
        county: Database, county_runner: Runner, qtbot: QtBot, chinese: None) -> None:
    from mediation_desk.ui.desk.levels import LevelsView

    window = open_window(county_runner, login_as(county, "head"), qtbot)
    statistics = window.sections["statistics"]
    assert isinstance(statistics, QTabWidget)
    window.tabs.setCurrentWidget(statistics)
    # The first click on 统计 makes its figures only.
    assert window.findChildren(BriefingView) == [] and window.findChildren(LevelsView) == []
    assert [statistics.tabText(i) for i in range(statistics.count())] == ["统计概览", "分级情况表", "风险研判"]
    bar = statistics.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    risk = statistics.currentWidget()
    assert isinstance(risk, BriefingView) and statistics.currentIndex() == 2
    assert window.findChildren(LevelsView) == []
    qtbot.waitUntil(lambda: risk.briefing is not None and not risk.loading_now)
    # By the keyboard, as a person moves between the pages: each made once, in its own place.
    statistics.setFocus()
    QTest.keyClick(statistics, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # wraps to the first
    assert statistics.currentIndex() == 0
    QTest.keyClick(statistics, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    levels = statistics.currentWidget()
    assert isinstance(levels, LevelsView) and statistics.currentIndex() == 1
    QTest.keyClick(statistics, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert statistics.currentWidget() is risk
    assert window.findChildren(BriefingView) == [risk] and window.findChildren(LevelsView) == [levels]
    assert [statistics.tabText(i) for i in range(statistics.count())] == ["统计概览", "分级情况表", "风险研判"]


# --------------------------------------------------------------------------- the briefing in steps


class Gate:
    """``services.briefing.parts`` made to wait before each part it yields until the test lets one
    through (:meth:`let`), on the slow lane's thread; the parts are the real ones."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._passes = threading.Semaphore(0)
        self.months: list[str] = []
        #: How many parts have been made and wait (or waited) to be let through.
        self.made = 0
        real = self.real = briefing.parts

        def parts(session: object, actor: Actor, month: str, *, today: date | None = None) -> Iterator[object]:
            self.months.append(month)
            for part in real(session, actor, month, today=today):  # type: ignore[arg-type]
                self.made += 1
                if not self._passes.acquire(timeout=30):
                    raise TimeoutError("the test let no part through")
                yield part

        monkeypatch.setattr(briefing, "parts", parts)

    def let(self, parts: int = 1) -> None:
        for _ in range(parts):
            self._passes.release()

    def wait_made(self, parts: int) -> None:
        """Until ``parts`` parts were made, without letting the GUI thread take what was sent."""
        for _ in range(3000):
            if self.made >= parts:
                return
            time.sleep(0.01)
        raise TimeoutError(f"{parts} parts not made")


@contextlib.contextmanager
def gated_view(county: Database, head: Actor, qtbot: QtBot,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Gate, BriefingView]]:
    """A briefing view shown on the real lanes, its parts let through by the test (:class:`Gate`);
    afterwards the lanes are shut and no failure was left unhandled."""
    gate = Gate(monkeypatch)
    threaded = Runner(county, synchronous=False)
    try:
        view = BriefingView(threaded, head)
        qtbot.addWidget(view)
        view.resize(1366, 700)
        view.show()
        yield gate, view
    finally:
        gate.let(50)
        threaded.shutdown(dispose=False)
    assert not threaded.unhandled, [f.message for f in threaded.unhandled]


WAITING = "计算中…"


def _column(model: FiguresModel, column: int = 0) -> list[object]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_the_first_page_shows_at_once_and_each_part_as_it_arrives_usable_from_the_keyboard(
        county: Database, qtbot: QtBot, qtmodeltester: ModelTester, monkeypatch: pytest.MonkeyPatch,
        chinese: None) -> None:
    head = login_as(county, "head")
    expected = _expected(county, head)
    with gated_view(county, head, qtbot, monkeypatch) as (gate, view):
        opened: list[tuple[CaseFilter, str]] = []
        view.open_cases.connect(lambda flt, title: opened.append((flt, title)))
        qtbot.waitUntil(lambda: gate.months == [MONTH])
        assert view.loading_now and view.progress.isVisible() and view.caption.text() == WAITING
        assert _column(view.overview_model) == [WAITING] and view.briefing is None

        # 1. The first page: its figures open their cases; the grades' rows are still counted.
        gate.let()
        overview = view.overview_model
        qtbot.waitUntil(lambda: overview.rowCount() > 1)
        assert view.loading_now and view.pages.isEnabled() and view.progress.isVisible() and view.briefing is None
        assert "正在统计 2026-11" in view.status_label.text()
        assert "张掖市甘州区矛盾纠纷调处中心 — 2026年11月" in view.caption.text()
        criminal = _row(overview, "可能民转刑")
        assert overview.data(overview.index(criminal, 1)) == str(expected.criminal.value)
        grade_rows = [_row(overview, f"风险等级 {g.label}") for g in RiskLevel]
        assert [overview.data(overview.index(r, 1)) for r in grade_rows] == [WAITING] * 4
        assert all(overview.data(overview.index(r, 1), FiguresModel.FilterRole) is None for r in grade_rows)
        assert _column(view.spots_model) == [WAITING] and _column(view.parties_model) == [WAITING]
        assert _column(view.grades_model) == [WAITING] and view.grades_model.key(0) is None
        assert view.parties_caption.text() == "重复当事人：计算中…"
        assert view.grade_counts.text() == "风险分级清单：计算中…"
        assert not view.pdf_button.isEnabled() and not view.grade_button.isEnabled()
        assert not view.spot_kind.isEnabled() and view.bar_sets == ()
        for model in (overview, view.spots_model, view.parties_model, view.grades_model):
            check_model(qtmodeltester, model)
        # From the keyboard while the rest is counted: Enter on a figure lists its cases; Enter on a
        # grade still counted opens nothing; Ctrl+Tab goes to the hot spots, which say they are counted.
        _enter(view.overview_table, criminal, 1)
        assert opened[-1][0] == expected.criminal.filter and "可能民转刑" in opened[-1][1]
        _enter(view.overview_table, grade_rows[0], 1)
        assert len(opened) == 1
        view.overview_table.setCurrentIndex(overview.index(grade_rows[2], 1))
        QTest.keyClick(view.overview_table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
        assert view.pages.currentIndex() == 1
        view.spots_table.setFocus()
        QTest.keyClick(view.spots_table, Qt.Key.Key_Return)
        assert len(opened) == 1 and view.loading_now

        # 2. The hot spots (the tab's next page), then 3. the repeats, the graded list still counted.
        gate.let()
        qtbot.waitUntil(view.spot_kind.isEnabled)
        assert view.spot_kind_shown() is SpotKind.CENTER and len(view.bar_sets) == 2
        assert _column(view.spots_model) == [s.name for s in expected.spots_of(SpotKind.CENTER)]
        assert _column(view.parties_model) == [WAITING] and _column(view.grades_model) == [WAITING]
        assert [overview.data(overview.index(r, 1)) for r in grade_rows] == [WAITING] * 4
        assert view.loading_now and not view.pdf_button.isEnabled()
        _enter(view.spots_table, 0, 1)  # a spot's figure lists its cases
        assert len(opened) == 2 and opened[-1][0] == expected.spots_of(SpotKind.CENTER)[0].this.filter
        gate.let()
        qtbot.waitUntil(lambda: view.parties_model.rowCount() == len(expected.repeat_parties)
                        and view.parties_model.data(view.parties_model.index(0, 0)) != WAITING)
        assert _column(view.parties_model) == [r.label for r in expected.repeat_parties]
        assert _column(view.grades_model) == [WAITING] and view.loading_now and not view.grade_button.isEnabled()

        # 4. The graded list (the grades' rows of the first page with it): the briefing is whole.
        gate.let()
        qtbot.waitUntil(lambda: not view.loading_now)
        counts = expected.grade_counts()
        assert [overview.data(overview.index(r, 1)) for r in grade_rows] == [str(counts[g]) for g in RiskLevel]
        # The keyboard's place on the first page stays where it was when the grades' rows came.
        assert (view.overview_table.currentIndex().row(), view.overview_table.currentIndex().column()) == (
            grade_rows[2], 1)
        assert _column(view.grades_model) == [c.number for c in expected.cases[:view.grades_model.rowCount()]]
        assert view.briefing == expected and view.pdf_button.isEnabled() and view.progress.isHidden()
        # The graded list's actions work once it is there: a row chosen can be adjusted.
        view.grades_table.selectRow(1)
        assert view.grade_button.isEnabled() and view.selected_case() == expected.cases[1]


def test_the_read_leaves_the_collection_for_its_end(county: Database, qtbot: QtBot,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The briefing's read makes plain data (the 1M demo's county: ~370,000 ids and ~120,000 rows), so
    while it runs the GUI thread's collector ticks leave their passes for its end
    (``gui_collector.plain_data``: ~40 passes a briefing before, 200–300 ms of the GUI thread's CPU)."""
    head = login_as(county, "head")
    with gated_view(county, head, qtbot, monkeypatch) as (gate, view):
        qtbot.waitUntil(lambda: gate.months == [MONTH])
        assert gui_collector.active() and gui_collector.deferring()  # the read waits inside it
        gate.let(3)
        qtbot.waitUntil(lambda: gate.made == 4)
        assert gui_collector.deferring()
        gate.let(2)
        qtbot.waitUntil(lambda: not view.loading_now)
        qtbot.waitUntil(lambda: view.runner.running == 0)
        assert not gui_collector.deferring()


def test_parts_arriving_out_of_order_are_each_shown_and_make_the_same_briefing(
        county: Database, county_runner: Runner, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
        chinese: None) -> None:
    head = login_as(county, "head")
    expected = _expected(county, head)
    overview, spots, repeats, grades = expected.parts()
    seen: list[str] = []
    views: list[BriefingView] = []

    def parts(_session: object, _actor: Actor, month: str, *, today: date | None = None) -> Iterator[object]:
        assert month == MONTH and today == TODAY
        yield grades  # the list before the first page: shown, but not to be adjusted yet
        view = views[0]
        seen.append(view.caption.text())
        assert view.grades_model.key(0) == expected.cases[0].case_id and view.loading_now
        view.grades_table.selectRow(0)
        assert view.selected_case() == expected.cases[0] and not view.grade_button.isEnabled()
        assert _column(view.overview_model) == [WAITING]
        yield spots
        assert _column(view.spots_model) == [s.name for s in expected.spots_of(SpotKind.CENTER)]
        yield overview
        # The first page's grade rows are made with the list already there.
        model = view.overview_model
        assert model.data(model.index(_row(model, "风险等级 红"), 1)) == str(expected.grade_counts()[RiskLevel.RED])
        assert view.grade_button.isEnabled() and _column(view.parties_model) == [WAITING] and view.loading_now
        yield repeats

    monkeypatch.setattr(briefing, "parts", parts)
    view = BriefingView(county_runner, head, today=lambda: TODAY)
    views.append(view)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    qtbot.waitUntil(lambda: view.briefing is not None and not view.loading_now)
    assert seen == [WAITING] and view.briefing == expected and view.briefing.graded_ids == expected.graded_ids
    assert _column(view.parties_model) == [r.label for r in expected.repeat_parties]
    assert "2026年11月" in view.caption.text() and view.pdf_button.isEnabled()


def test_a_month_changed_between_parts_drops_the_older_months_parts(
        county: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, chinese: None) -> None:
    head = login_as(county, "head")
    october = _expected(county, head, "2026-10")
    with gated_view(county, head, qtbot, monkeypatch) as (gate, view):
        shown: list[object] = []
        view.loaded.connect(shown.append)
        gate.let()  # November's first page
        qtbot.waitUntil(lambda: "2026年11月" in view.caption.text())
        # November's repeats are sent to the GUI thread; before it takes them, October is chosen.
        gate.let()
        gate.wait_made(3)
        view.step(-1)
        # Nothing of November stays: every page says it is being counted, and stays usable.
        assert view.month() == "2026-10" and view.loading_now and view.pages.isEnabled()
        assert "正在统计 2026-10" in view.status_label.text() and view.caption.text() == WAITING
        assert all(_column(m) == [WAITING] for m in (view.overview_model, view.spots_model, view.parties_model,
                                                     view.places_model, view.grades_model))
        qtbot.wait(50)  # November's repeats arrive: dropped
        assert _column(view.parties_model) == [WAITING] and view.caption.text() == WAITING
        gate.let()  # November's graded list is made, and not sent: that read stops there
        qtbot.waitUntil(lambda: gate.months == [MONTH, "2026-10"])
        assert _column(view.grades_model) == [WAITING]
        gate.let()  # October's first page
        qtbot.waitUntil(lambda: "2026年10月" in view.caption.text())
        assert view.loading_now
        model = view.overview_model
        assert model.data(model.index(_row(model, "收案"), 1)) == str(october.received.value)
        assert _column(view.parties_model) == [WAITING] and _column(view.spots_model) == [WAITING]
        assert _column(view.grades_model) == [WAITING]
        # Alt+Right and Alt+Left from the keyboard: back to October, read again from its first part.
        view.overview_table.setFocus()
        QTest.keyClick(view.overview_table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
        QTest.keyClick(view.overview_table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        assert view.month() == "2026-10"
        gate.let(50)
        qtbot.waitUntil(lambda: not view.loading_now and view.briefing is not None)
        assert view.briefing == october and shown == [october]
        assert _column(view.parties_model) == [r.label for r in october.repeat_parties]


def test_a_failing_part_says_why_and_keeps_what_was_shown(
        county: Database, county_runner: Runner, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
        chinese: None) -> None:
    from mediation_desk.services.errors import InvalidInput

    head = login_as(county, "head")
    expected = _expected(county, head)
    overview, _spots, repeats, _grades = expected.parts()

    def parts(_session: object, _actor: Actor, _month: str, *, today: date | None = None) -> Iterator[object]:
        yield overview
        yield repeats
        raise InvalidInput("month", "统计风险分级清单时出错。")

    monkeypatch.setattr(briefing, "parts", parts)
    view = BriefingView(county_runner, head, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    qtbot.waitUntil(lambda: not view.loading_now)
    assert view.status_label.text() == "统计风险分级清单时出错。" and view.status_label.styleSheet()
    assert view.briefing is None and view.progress.isHidden() and view.pages.isEnabled()
    assert not view.pdf_button.isEnabled() and not view.grade_button.isEnabled()
    # What arrived stays, usable; what did not says it was not counted, and opens nothing.
    assert "2026年11月" in view.caption.text()
    assert _column(view.parties_model) == [r.label for r in expected.repeat_parties]
    assert _column(view.grades_model) == ["未能统计"] and _column(view.spots_model) == ["未能统计"]
    assert view.grade_counts.text() == "风险分级清单：未能统计"
    model = view.overview_model
    assert model.data(model.index(_row(model, "风险等级 红"), 1)) == "未能统计"
    opened: list[CaseFilter] = []
    view.open_cases.connect(lambda flt, _title: opened.append(flt))
    _enter(view.overview_table, _row(model, "可能民转刑"), 1)
    _enter(view.overview_table, _row(model, "风险等级 红"), 1)
    assert opened == [expected.criminal.filter]

    # Read again (the month entered again): the whole briefing, the message gone.
    monkeypatch.undo()
    view.refresh()
    qtbot.waitUntil(lambda: view.briefing is not None and not view.loading_now)
    assert view.briefing == expected and view.status_label.text() == ""


def test_a_reload_of_the_month_shown_keeps_its_pages_until_each_part_is_made_again(
        county: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, chinese: None) -> None:
    """A grade set or a case changed reads the month again: the head keeps reading and using its
    pages (the graded list takes seconds on a county's database), each replaced as its part comes."""
    head = login_as(county, "head")
    expected = _expected(county, head)
    with gated_view(county, head, qtbot, monkeypatch) as (gate, view):
        gate.let(4)
        qtbot.waitUntil(lambda: view.briefing is not None and not view.loading_now)
        view.pages.setCurrentIndex(3)
        view.grades_table.selectRow(2)
        view.grades_table.setFocus()
        with county.write() as session:  # another desk flags a case of the month 可能民转刑
            session.execute(update(DisputeCase).where(DisputeCase.id == expected.cases[-1].case_id)
                            .values(may_turn_criminal=True))
        with county.read() as session:  # (briefing.load reads through the gate)
            again = Briefing.made_of(gate.real(session, head, MONTH, today=TODAY))
        assert again.criminal.value == expected.criminal.value + 1
        view.refresh()
        # Being read again: the pages stay as they were, the list usable; the PDF waits for the whole.
        assert view.loading_now and view.progress.isVisible() and not view.pdf_button.isEnabled()
        assert _column(view.parties_model) == [r.label for r in expected.repeat_parties]
        assert view.selected_case() == expected.cases[2] and view.grade_button.isEnabled()
        model = view.overview_model
        criminal = _row(model, "可能民转刑")
        assert model.data(model.index(criminal, 1)) == str(expected.criminal.value)
        opened: list[int] = []
        view.open_case.connect(opened.append)
        QTest.keyClick(view.grades_table, Qt.Key.Key_Down)
        QTest.keyClick(view.grades_table, Qt.Key.Key_Return)
        assert opened == [expected.cases[3].case_id]
        gate.let()  # the first page again, with the new figure; the rest still the earlier read's
        qtbot.waitUntil(lambda: model.data(model.index(criminal, 1)) == str(again.criminal.value))
        assert view.loading_now and _column(view.parties_model) == [r.label for r in expected.repeat_parties]
        gate.let(3)
        qtbot.waitUntil(lambda: not view.loading_now)
        assert view.briefing == again and view.pdf_button.isEnabled()
        chosen = view.selected_case()  # the case the keyboard chose meanwhile stays chosen
        assert chosen is not None and chosen.case_id == expected.cases[3].case_id


def test_the_graded_lists_first_part_shows_at_once_and_the_whole_list_extends_it(
        county: Database, county_runner: Runner, qtbot: QtBot, qtmodeltester: ModelTester,
        monkeypatch: pytest.MonkeyPatch, chinese: None) -> None:
    """The graded list's first part (every case above 蓝 and the first 蓝 ones, every grade counted)
    fills the page while the rest is read: the counts are the whole list's and say the rest is still
    being listed; a row chosen in it stays chosen, and the page keeps its rows, when the whole list
    extends them (more rows to scroll to); only then is the briefing loaded."""
    head = login_as(county, "head")
    expected = _expected(county, head)
    overview, spots, repeats, grades = expected.parts()
    shown = 4
    first = BriefingGrades(grades.month, GradedCases.of(expected.cases[:shown]), grades.by_grade,
                           grades.adjusted_count, complete=False)
    views: list[BriefingView] = []
    seen: list[str] = []

    def parts(_session: object, _actor: Actor, month: str, *, today: date | None = None) -> Iterator[object]:
        yield overview
        yield spots
        yield repeats
        yield first
        view = views[0]
        model = view.grades_model
        assert model.rowCount() == shown and view.loading_now and view.briefing is None
        assert [model.key(r) for r in range(shown)] == [c.case_id for c in expected.cases[:shown]]
        seen.append(view.grade_counts.text())
        counts = view.overview_model
        assert counts.data(counts.index(_row(counts, "风险等级 蓝"), 1)) == str(len(grades.by_grade[-1]))
        view.grades_table.selectRow(2)
        assert view.selected_case() == expected.cases[2] and view.grade_button.isEnabled()
        yield grades

    monkeypatch.setattr(briefing, "parts", parts)
    view = BriefingView(county_runner, head, today=lambda: TODAY)
    views.append(view)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    check_model(qtmodeltester, view.grades_model)
    view.show()
    qtbot.waitUntil(lambda: view.briefing is not None and not view.loading_now)
    assert seen and f"列入研判 {len(expected.cases)} 件" in seen[0] and f"已列出前 {shown} 件" in seen[0], seen
    assert "其余：计算中…" in seen[0]
    model = view.grades_model
    assert view.briefing == expected and "已列出前" not in view.grade_counts.text()
    assert view.selected_case() == expected.cases[2]  # chosen in the first part, still chosen
    assert model.total == len(expected.cases) and model.rowCount() == min(len(expected.cases), FiguresModel.BATCH)
    assert _column(model) == [c.number for c in expected.cases[:model.rowCount()]]
    check_model(qtmodeltester, model)


def test_a_countys_month_reads_in_digit_groups_and_a_small_spots_labels_whole(
        county: Database, county_runner: Runner, qtbot: QtBot, chinese: None, qapp: QApplication) -> None:
    """The 1M demo's month: 收案 81613 件（上月 84722 件） in the caption and the tables, and in the
    hot spots' chart a township's 2 and 1 centred on the axis, half cut off beside the county's
    81611. The counts in digit groups (the month 2026年11月 and the case numbers as they are), each
    bar's label at its foot."""
    from dataclasses import replace

    from PySide6.QtCharts import QAbstractBarSeries, QHorizontalBarSeries

    i18n.register_fonts(qapp)
    head = login_as(county, "head")
    view = _view(county_runner, head, qtbot)
    qtbot.waitUntil(lambda: view._parts.overview is not None and view._parts.spots is not None
                    and view._parts.repeats is not None and view._parts.grades is not None
                    and view._parts.grades.complete)
    parts = view._parts
    overview, spots, grades = parts.overview, parts.spots, parts.grades
    assert overview is not None and spots is not None and grades is not None

    def count(n: int) -> Count:
        return replace(overview.received, value=n)

    parts.overview = replace(overview, received=count(81_613), received_last=count(84_722),
                             overdue=count(84_326), carded=count(105_646))
    view._show_overview()
    caption = view.caption.text()
    assert "2026年11月：收案 81,613 件（上月 84,722 件）" in caption, caption
    model = view.overview_model
    received = _row(model, "收案")
    assert [model.data(model.index(received, c)) for c in (1, 2, 3)] == ["81,613", "84,722", "-3,109"]
    assert model.data(model.index(_row(model, "超期未办结"), 1)) == "84,326"
    assert model.data(model.index(_row(model, "本月亮牌"), 1)) == "105,646"

    county_spot = replace(spots.spots[0], kind=SpotKind.CENTER, name="张掖市甘州区矛盾纠纷调处中心",
                          this=count(81_611), last=count(84_721))
    township = replace(county_spot, name="甘州区党寨镇综治中心", this=count(2), last=count(1))
    parts.spots = replace(spots, spots=(county_spot, township))
    view.pages.setCurrentIndex(1)
    view.spot_kind.setCurrentIndex(view.spot_kind.findData(SpotKind.CENTER.value))
    view._show_spots()
    spots_model = view.spots_model
    assert [spots_model.data(spots_model.index(0, c)) for c in (1, 2, 3)] == ["81,611", "84,721", "-3,110"]
    assert [spots_model.data(spots_model.index(1, c)) for c in (1, 2, 3)] == ["2", "1", "+1"]
    chart = view.chart_view.chart()
    series = chart.series()[0]
    assert isinstance(series, QHorizontalBarSeries) and chart.localizeNumbers()
    # At the foot of each bar, as the statistics' charts: centred, a bar of 1's label sat on the axis.
    assert series.labelsPosition() == QAbstractBarSeries.LabelsPosition.LabelsInsideBase
    assert series.labelsPrecision() >= 7
    _shot(qtbot, view, "hot-spots-county.png")

    # A county's list: 95,974 蓝 (ids enough to count, none of them read).
    blue = frozenset(range(10_000_000, 10_000_000 + 95_974))
    view._grade_caption(replace(grades, by_grade=(*grades.by_grade[:-1], grades.by_grade[-1] | blue)))
    text = view.grade_counts.text()
    assert text.startswith(f"列入研判 {grades.listed + 95_974:,} 件："), text
    assert f"蓝{len(grades.by_grade[-1]) + 95_974:,}" in text, text
    numbers = [view.grades_model.data(view.grades_model.index(r, 0)) for r in range(view.grades_model.rowCount())]
    assert numbers and all("," not in str(n) and "第" in str(n) for n in numbers), numbers[:3]
