"""LoadedPage: reads on the read lane, shows on the GUI thread, drops what arrives too late."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QVBoxLayout
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import DisputeCase
from mediation_desk.services.errors import NotFound
from mediation_desk.ui.common.page import LoadedPage

from .conftest import Runner

pytestmark = pytest.mark.gui


class CountPage(LoadedPage[tuple[str, int]]):
    """Counts the cases, labelled with the word the test set before reloading."""

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        QVBoxLayout(self).addWidget(self.load_error)
        self.word = "first"
        self.hold: threading.Event | None = None
        self.shown: list[tuple[str, int]] = []
        self.case_id: int | None = None
        self.reading = threading.Event()

    def reader(self) -> Callable[[Session], tuple[str, int]]:
        word, hold, reading = self.word, self.hold, self.reading

        def load(session: Session) -> tuple[str, int]:
            reading.set()
            if hold is not None:
                hold.wait(10)
            if word == "missing":
                raise NotFound("案件不存在")
            return word, session.scalar(select(func.count()).select_from(DisputeCase)) or 0

        return load

    def show_page(self, page: tuple[str, int]) -> None:
        self.shown.append(page)

    def concerns(self, changes: Changes) -> bool:
        return self.case_id is not None and changes.touches_case(self.case_id)


@pytest.fixture
def threaded_runner(demo_sqlite_db: Database) -> Iterator[Runner]:
    runner = Runner(demo_sqlite_db, synchronous=False)
    yield runner
    runner.shutdown(dispose=False)


def test_a_page_is_read_and_shown(qtbot: QtBot, threaded_runner: Runner, demo_sqlite_db: Database) -> None:
    page = CountPage(threaded_runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.reload()
    with demo_sqlite_db.read() as session:
        count = session.scalar(select(func.count()).select_from(DisputeCase))
    assert page.shown == [("first", count)]
    assert page.page == ("first", count)
    assert page.load_error.isHidden()


def test_a_page_that_arrives_after_the_user_moved_on_is_dropped(qtbot: QtBot, threaded_runner: Runner) -> None:
    page = CountPage(threaded_runner)
    qtbot.addWidget(page)
    first_read = threading.Event()
    page.hold = first_read
    page.reload()
    assert page.reading.wait(10)  # the first read has taken its word and waits on the worker
    page.hold = None
    page.word = "second"
    page.reload()  # queued behind the first on the serial read lane
    with qtbot.waitSignal(page.loaded):
        first_read.set()
    assert [word for word, _ in page.shown] == ["second"]


def test_a_failed_read_says_why_and_the_next_read_clears_it(qtbot: QtBot, threaded_runner: Runner) -> None:
    page = CountPage(threaded_runner)
    qtbot.addWidget(page)
    page.word = "missing"
    page.reload()
    qtbot.waitUntil(lambda: not page.load_error.isHidden())
    assert page.load_error.text() == "案件不存在"
    assert page.shown == []
    page.word = "again"
    with qtbot.waitSignal(page.loaded):
        page.reload()
    assert page.load_error.isHidden()


def test_a_write_that_concerns_the_page_reads_it_again(qtbot: QtBot, runner: Runner) -> None:
    page = CountPage(runner)
    qtbot.addWidget(page)
    page.case_id = 7
    runner.changed.emit(Changes.cases(8))
    assert page.shown == []
    runner.changed.emit(Changes.cases(7))
    assert [word for word, _ in page.shown] == ["first"]


def test_forget_drops_a_read_under_way(qtbot: QtBot, threaded_runner: Runner) -> None:
    page = CountPage(threaded_runner)
    qtbot.addWidget(page)
    page.reload()
    page.forget()
    qtbot.waitUntil(lambda: threaded_runner.pending == 0)
    qtbot.wait(50)
    assert page.shown == []
    assert page.page is None


def test_a_notice_asks_no_second_read_of_a_queued_one(qtbot: QtBot, threaded_runner: Runner) -> None:
    """A save's callback asks its page again and the save's notice follows at once: the read
    queued (not started) sees the write, so the notice adds none; once it has started, a notice
    reads again (it may have begun before the write committed)."""
    page = CountPage(threaded_runner)
    qtbot.addWidget(page)
    page.show()
    page.case_id = 7
    loads: list[int] = []
    reader = page.reader

    def counted() -> Callable[[Session], tuple[str, int]]:
        load = reader()

        def read(session: Session) -> tuple[str, int]:
            loads.append(1)
            return load(session)

        return read

    page.reader = counted  # type: ignore[method-assign]
    blocker = threading.Event()
    threaded_runner.run_read(lambda session: blocker.wait(10))  # the read lane busy: the next read queues
    page.reload()
    assert page.read_queued()
    threaded_runner.changed.emit(Changes.cases(7))
    blocker.set()
    qtbot.waitUntil(lambda: len(page.shown) == 1)
    qtbot.wait(100)
    assert len(page.shown) == 1 and len(loads) == 1 and not page.read_queued()
    page.hold = threading.Event()
    page.reading.clear()
    page.reload()
    assert page.reading.wait(5)
    page.word = "after the write"
    threaded_runner.changed.emit(Changes.cases(7))  # the read under way may predate the write
    page.hold.set()
    qtbot.waitUntil(lambda: len(page.shown) == 2)
    assert page.shown[-1][0] == "after the write"  # the older read's answer was dropped
    assert len(loads) == 3


def test_a_page_out_of_sight_reads_when_shown(qtbot: QtBot, runner: Runner) -> None:
    """Behind another tab of a window on screen, a concerning notice marks the page stale; it
    reads when its tab is shown. A page whose window is not shown reads at once, as before."""
    from PySide6.QtWidgets import QTabWidget, QWidget

    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    page = CountPage(runner)
    page.case_id = 7
    tabs.addTab(QWidget(), "other")
    tabs.addTab(page, "page")
    runner.changed.emit(Changes.cases(7))  # the window is not shown: read at once
    assert len(page.shown) == 1
    tabs.show()
    assert not page.isVisible()
    runner.changed.emit(Changes.cases(8))
    runner.changed.emit(Changes.cases(7))
    assert len(page.shown) == 1 and page.stale
    tabs.setCurrentWidget(page)
    assert len(page.shown) == 2 and not page.stale
    runner.changed.emit(Changes.cases(7))  # on screen: at once
    assert len(page.shown) == 3


def test_a_page_in_a_minimised_or_closed_window_reads_when_the_window_is_shown_again(
        qtbot: QtBot, runner: Runner) -> None:
    """Nobody sees the pages of a minimised window, nor of one shown and then hidden (closed): a
    concerning notice marks the page stale, and it reads once, when the window is restored or
    shown again — the page behind another tab only when its tab is chosen."""
    from PySide6.QtWidgets import QTabWidget

    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    page = CountPage(runner)
    page.case_id = 7
    behind = CountPage(runner)
    behind.case_id = 7
    tabs.addTab(page, "page")
    tabs.addTab(behind, "behind")
    tabs.show()
    qtbot.waitExposed(tabs)
    runner.changed.emit(Changes.cases(7))
    assert len(page.shown) == 1 and behind.stale  # on screen: at once; behind its tab: later

    tabs.showMinimized()
    qtbot.waitUntil(tabs.isMinimized)
    runner.changed.emit(Changes.cases(8))
    runner.changed.emit(Changes.cases(7))
    runner.changed.emit(Changes.cases(7))
    assert len(page.shown) == 1 and page.stale
    tabs.showNormal()
    qtbot.waitUntil(lambda: not tabs.isMinimized())
    assert len(page.shown) == 2 and not page.stale
    assert behind.shown == [] and behind.stale  # still behind its tab

    tabs.close()
    runner.changed.emit(Changes.cases(7))
    assert len(page.shown) == 2 and page.stale
    tabs.show()
    assert len(page.shown) == 3 and not page.stale
    tabs.setCurrentWidget(behind)
    assert len(behind.shown) == 1 and not behind.stale
    runner.changed.emit(Changes.cases(7))  # on screen again: at once
    assert len(behind.shown) == 2 and len(page.shown) == 3 and page.stale
