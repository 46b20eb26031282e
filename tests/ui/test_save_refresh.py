"""After a save, what is on screen shows what a fresh read shows, and only that is read at once.

A save on a case page names its case (``Changes``): the open page and the list showing the case
read again (the list's windows, not its count, unless rows came or went); the sections behind
other tabs (the desk's panels) only mark themselves stale and read when shown. A write made by
another desk arrives as the same notice and is shown the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import CaseState
from mediation_desk.services import caselist, pages, records, termination
from mediation_desk.services.actor import Actor
from mediation_desk.services.records import InvestigationInput
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.cases.list_model import WINDOW, CaseListModel
from mediation_desk.ui.cases.tabs.records import RecordsTab
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.shell.main_window import CaseSection, MainWindow

from ..conftest import login_as
from .conftest import Runner
from .test_records_tab import fill_mediation, team_case

pytestmark = pytest.mark.gui

CENTER = "张掖市甘州区矛盾纠纷调处中心"
#: The reads themselves, for the fresh reads the tests compare with (Reads counts the window's).
COUNT_CASES, CASE_PAGE = caselist.count_cases, pages.case_page


def click_tab(window: MainWindow, key: str) -> QWidget:
    index = window.tabs.indexOf(window.sections[key])
    bar = window.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert window.tabs.currentIndex() == index
    return window.sections[key]


class Reads:
    """Counts the case list's counts and the case pages read while it is on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.counts = 0
        self.case_pages = 0
        count_cases, case_page = caselist.count_cases, pages.case_page

        def counting(*args: Any, **kwargs: Any) -> int:
            self.counts += 1
            return count_cases(*args, **kwargs)

        def paging(*args: Any, **kwargs: Any) -> pages.CasePage:
            self.case_pages += 1
            return case_page(*args, **kwargs)

        monkeypatch.setattr(caselist, "count_cases", counting)
        monkeypatch.setattr(pages, "case_page", paging)


def desk_panels(window: MainWindow) -> list[LoadedPage[Any]]:
    panels = [p for p in window.sections["desk"].findChildren(LoadedPage) if p.can_load()]
    assert panels
    return panels


def assert_fresh_list(db: Database, actor: Actor, model: CaseListModel) -> None:
    with db.read() as session:
        assert model.total == COUNT_CASES(session, actor, model.query)
        for window in range(0, (model.total + WINDOW - 1) // WINDOW):
            model.load_rows(window * WINDOW, window * WINDOW)
            fresh = caselist.fetch_window(session, actor, model.query, window * WINDOW, WINDOW, total=model.total)
            shown = [model.data(model.index(window * WINDOW + i, 0), CaseListModel.CaseRowRole)
                     for i in range(len(fresh))]
            assert shown == fresh


def assert_fresh_page(db: Database, actor: Actor, detail: CaseDetailView, case_id: int) -> None:
    with db.read() as session:
        fresh = CASE_PAGE(session, actor, case_id, detail._today())
    assert detail._page == fresh


def assert_fresh_panels(db: Database, panels: list[LoadedPage[Any]]) -> None:
    """Every panel on screen shows a fresh read (one hidden inside the desk reads when shown)."""
    shown = [p for p in panels if p.isVisible()]
    assert shown
    for panel in shown:
        assert not panel.stale
        with db.read() as session:
            assert panel.page == panel.reader()(session), type(panel).__name__


def test_a_record_saved_on_a_case_page_reads_the_page_and_rows_and_the_hidden_desk_later(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    window = MainWindow(runner, mediator, CENTER)
    qtbot.addWidget(window)
    window.show()
    panels = desk_panels(window)
    assert all(p.page is not None for p in panels)
    section = click_tab(window, "cases")
    assert isinstance(section, CaseSection)
    case_id = team_case(demo_sqlite_db, mediator)
    window.open_case(case_id)
    detail = section.detail_view
    assert detail.isVisible() and detail._page is not None
    before = detail._page
    model = section.list_view.model

    reads, fills = Reads(monkeypatch), Fills(monkeypatch, model)
    detail.show_tab("records")
    tab = detail.work_tabs["records"]
    assert isinstance(tab, RecordsTab)
    fill_mediation(tab)
    tab.notice_given.setFocus()
    QTest.keyClick(tab.notice_given, Qt.Key.Key_Space)
    assert tab.notice_given.isChecked()
    QTest.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.record is not None and not tab.dirty, tab.form_error.text()

    # The page read again (once per request: the synchronous runner has nothing queued), the
    # list's rows read again without a count: a record makes no row come or go.
    assert reads.counts == 0
    assert 1 <= reads.case_pages <= 2
    assert fills.rows == []  # a record changes no cell of the list: every item kept (all were made anew)
    assert detail._page != before
    assert_fresh_page(demo_sqlite_db, mediator, detail, case_id)
    assert_fresh_list(demo_sqlite_db, mediator, model)
    # The desk behind its tab read nothing yet: stale, read when shown, then as a fresh read.
    assert [p for p in panels if p.stale]
    click_tab(window, "desk")
    assert_fresh_panels(demo_sqlite_db, panels)


class Fills:
    """Counts the case list's rows whose items are made (``CaseListModel._fill``, one per row)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, model: CaseListModel) -> None:
        self.rows: list[int] = []
        fill = model._fill

        def counting(store: Any, number: int, row: caselist.CaseRow, *args: Any) -> None:
            self.rows.append(row.id)
            fill(store, number, row, *args)

        monkeypatch.setattr(model, "_fill", counting)


def test_a_state_changed_by_a_click_remakes_only_that_cases_row(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """受理 (rows may come or go: the list reads its windows again and counts): of the rows read
    again only the accepted case's differs, and only its items are made anew (every row's were:
    26–79 ms of the GUI thread per save on the 1M demo)."""
    clerk = login_as(demo_sqlite_db, "clerk")
    window = MainWindow(runner, clerk, CENTER)
    qtbot.addWidget(window)
    window.show()
    section = click_tab(window, "cases")
    assert isinstance(section, CaseSection)
    model = section.list_view.model
    loaded = [model.data(model.index(row, 0), CaseListModel.CaseRowRole)
              for row in range(min(WINDOW, model.rowCount()))]
    case_id = next(r.id for r in loaded if r is not None and r.state is CaseState.REGISTERED)
    window.open_case(case_id)
    detail = section.detail_view
    button = detail.action_buttons["accept"]
    fills, reads = Fills(monkeypatch, model), Reads(monkeypatch)

    QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    made = list(fills.rows)
    assert reads.counts == 1  # rows may have come or gone: counted again
    row = model.row_of(case_id)
    assert row is not None
    assert model.data(model.index(row, 0), CaseListModel.CaseRowRole).state is CaseState.ACCEPTED
    assert model.rowCount() > 20  # many rows read again, one made anew
    assert made == [case_id], (len(made), made[:5])
    assert_fresh_list(demo_sqlite_db, clerk, model)


def test_a_write_by_another_desk_is_shown_as_before(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    window = MainWindow(runner, mediator, CENTER)
    qtbot.addWidget(window)
    window.show()
    panels = desk_panels(window)
    section = click_tab(window, "cases")
    assert isinstance(section, CaseSection)
    case_id = team_case(demo_sqlite_db, mediator)
    window.open_case(case_id)
    detail = section.detail_view
    model = section.list_view.model
    reads = Reads(monkeypatch)

    # Another desk adds a record (its write does not pass this window's runner) and its notice
    # arrives as the live refresh relays it: the case's id, no row came or went.
    with demo_sqlite_db.write() as session:
        records.add_investigation(session, mediator, case_id, InvestigationInput(
            held_at=datetime.now() - timedelta(hours=1), place="现场", investigators="李建国", recorder="",
            interviewee="邻居王某", interviewee_relation="证人", content="通道宽约两米。"))
    runner.changed.emit(Changes.cases(case_id))
    assert reads.case_pages == 1 and reads.counts == 0
    assert_fresh_page(demo_sqlite_db, mediator, detail, case_id)
    assert_fresh_list(demo_sqlite_db, mediator, model)
    assert [p for p in panels if p.stale]

    # Another desk ends a case: rows may come or go, the list counts again.
    with demo_sqlite_db.read() as session:
        listed = caselist.fetch_window(session, mediator, model.query, 0, WINDOW, total=model.total)
    other = next(r.id for r in listed if r.state is CaseState.IN_MEDIATION and r.id != case_id)
    with demo_sqlite_db.write() as session:
        termination.terminate(session, mediator, other, reason="当事人撤回申请。")
    runner.changed.emit(Changes.cases(other, list_changed=True))
    assert reads.counts == 1
    assert_fresh_list(demo_sqlite_db, mediator, model)
    # The SQLite watcher's notice (everything changed) reads what is shown, and the desk when shown.
    from mediation_desk.ui.shell.live_refresh import EVERYTHING

    runner.changed.emit(EVERYTHING)
    assert_fresh_page(demo_sqlite_db, mediator, detail, case_id)
    assert_fresh_list(demo_sqlite_db, mediator, model)
    click_tab(window, "desk")
    assert_fresh_panels(demo_sqlite_db, panels)
    # A section out of sight: the case list marks itself stale, and is fresh when shown again.
    runner.changed.emit(Changes.cases(case_id, list_changed=True))
    assert model.stale
    click_tab(window, "cases")
    assert not model.stale
    assert_fresh_list(demo_sqlite_db, mediator, model)


def test_writes_while_the_window_is_minimised_are_read_when_it_is_restored(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nobody sees a minimised window: other desks' writes only mark its case page and list
    stale, nothing is read; restored, what is on screen reads once and shows a fresh read, and
    the desk behind its tab still waits for its tab."""
    mediator = login_as(demo_sqlite_db, "mediator")
    window = MainWindow(runner, mediator, CENTER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    panels = desk_panels(window)
    section = click_tab(window, "cases")
    assert isinstance(section, CaseSection)
    case_id = team_case(demo_sqlite_db, mediator)
    window.open_case(case_id)
    detail = section.detail_view
    model = section.list_view.model
    reads = Reads(monkeypatch)

    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    with demo_sqlite_db.write() as session:
        records.add_investigation(session, mediator, case_id, InvestigationInput(
            held_at=datetime.now() - timedelta(hours=1), place="现场", investigators="李建国", recorder="",
            interviewee="邻居王某", interviewee_relation="证人", content="通道宽约两米。"))
    runner.changed.emit(Changes.cases(case_id))
    with demo_sqlite_db.read() as session:
        listed = caselist.fetch_window(session, mediator, model.query, 0, WINDOW, total=model.total)
    other = next(r.id for r in listed if r.state is CaseState.IN_MEDIATION and r.id != case_id)
    with demo_sqlite_db.write() as session:
        termination.terminate(session, mediator, other, reason="当事人撤回申请。")
    runner.changed.emit(Changes.cases(other, list_changed=True))
    assert (reads.case_pages, reads.counts) == (0, 0)
    assert detail.loading.stale and model.stale and [p for p in panels if p.stale]

    window.showNormal()
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert (reads.case_pages, reads.counts) == (1, 1)
    assert not detail.loading.stale and not model.stale
    assert_fresh_page(demo_sqlite_db, mediator, detail, case_id)
    assert_fresh_list(demo_sqlite_db, mediator, model)
    assert [p for p in panels if p.stale]
    click_tab(window, "desk")
    assert_fresh_panels(demo_sqlite_db, panels)
    assert window.message_box is None  # no read failed
