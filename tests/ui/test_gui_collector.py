"""While the task runner's lanes run Python, the cyclic collector runs on the GUI thread only: a
collection run by a lane destroyed the Qt objects of the garbage it found there (a dropped model,
store, runner) while the GUI thread delivered events to them — the case list bench's child died of
a segmentation fault in about one run in fifteen (``ui/common/gui_collector.py``)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from mediation_desk import dbcipher
from mediation_desk.db import Database
from mediation_desk.services import caselist
from mediation_desk.services.caselist import CaseQuery
from mediation_desk.ui.common import gui_collector
from mediation_desk.ui.common.tasks import TaskRunner

from ..conftest import login_as

pytestmark = pytest.mark.gui


class QtCycle(QObject):
    """A Qt object that only the cyclic collector frees (it refers to itself)."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self


def freed_where(thing: object, into: list[str]) -> None:
    """When ``thing`` is freed, the name of the thread that freed it is added to ``into``."""
    weakref.finalize(thing, lambda: into.append(threading.current_thread().name))


@pytest.fixture
def collector_as_found() -> Iterator[None]:
    """Automatic collection as the test process had it afterwards."""
    before = (gc.isenabled(), gui_collector.active(), gc.get_threshold())
    yield
    assert (gc.isenabled(), gui_collector.active(), gc.get_threshold()) == before


def test_garbage_with_qt_objects_is_collected_on_the_gui_thread_while_a_lane_makes_objects(
        demo_sqlite_db: Database, qtbot: QtBot, collector_as_found: None) -> None:
    """A lane making objects as a list's rows do (far more than a collection's threshold) no longer
    collects the Qt object that became garbage on the GUI thread just before: the GUI thread does,
    at its next look. (Before: the lane's first allocation past the threshold freed it there.)"""
    runner = TaskRunner(demo_sqlite_db)
    freed: list[str] = []
    made = threading.Event()
    threshold = gc.get_threshold()
    try:
        assert gui_collector.active() and not gc.isenabled()
        # What earlier tests left to delete goes first: every old object freed meanwhile (a
        # window's wrappers at a deferred delete) lowers the youngest generation's count, and a
        # CI run's tick found nothing due. The count set well past the threshold: Python's own
        # (a test before may have left the start-up collector's raised one).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qtbot.wait(10)
        gc.set_threshold(700, *threshold[1:])
        cycles = 50_000
        gc.collect(0)  # the youngest generation empty: nothing due on this thread meanwhile
        garbage = QtCycle()
        freed_where(garbage, freed)
        del garbage

        def rows(_session: Session) -> int:
            kept = [[n] for n in range(50_000)]  # alive meanwhile: the counts rise past every threshold
            for _ in range(cycles):
                cycle: list[object] = []
                cycle.append(cycle)  # garbage a collection would find
            made.set()
            return len(kept)

        runner.run_read(rows)
        assert made.wait(30)  # meanwhile this thread makes nothing, runs no event loop
        assert freed == []  # nobody collected on the lane
        qtbot.waitUntil(lambda: bool(freed), timeout=5_000)
    finally:
        gc.set_threshold(*threshold)
        runner.shutdown(dispose=False)
    assert freed == [threading.main_thread().name]


def test_the_collector_follows_the_thresholds_and_goes_back_when_the_last_lanes_stop(
        demo_sqlite_db: Database, qtbot: QtBot, collector_as_found: None) -> None:
    first, second = TaskRunner(demo_sqlite_db), TaskRunner(demo_sqlite_db)
    synchronous = TaskRunner(demo_sqlite_db, synchronous=True)  # no lanes: nothing to move
    threshold = gc.get_threshold()
    try:
        assert gui_collector.active() and not gc.isenabled()
        gc.set_threshold(0)  # automatic collection off by the threshold: the GUI thread runs none
        garbage: list[object] = []
        garbage.append(garbage)
        gone = weakref.ref(QtCycle())
        del garbage
        qtbot.wait(3 * gui_collector.TICK_MS)
        assert gone() is not None
        gc.set_threshold(1, *threshold[1:])  # due at the next look
        qtbot.waitUntil(lambda: gone() is None, timeout=5_000)
        gc.set_threshold(*threshold)
        first.shutdown(dispose=False)
        assert gui_collector.active() and not gc.isenabled()  # the other's lanes still run
        gc.enable()  # a library putting back what it found: off again at the next look
        qtbot.waitUntil(lambda: not gc.isenabled(), timeout=5_000)
    finally:
        gc.set_threshold(*threshold)
        for runner in (first, second, synchronous):
            runner.shutdown(dispose=False)


@pytest.fixture
def encrypted_demo(demo_sqlite_db: Database, tmp_path: Path) -> Path:
    """The demo center in a SQLCipher file (its key in the test's keychain)."""
    demo_sqlite_db.dispose()
    path = tmp_path / "encrypted-demo.sqlite3"
    key = dbcipher.new_key()
    dbcipher.store_new_key(key)
    dbcipher.export(Path(str(demo_sqlite_db.url.database)), None, path, key)
    return path


ROUNDS = 6


class ListView(QObject):
    """What a window's list holds: the runner's signal, a timer of its own, the rows it was given;
    and a reference cycle, so only the collector frees it."""

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.on_changed)
        runner.changed.connect(self.on_changed)
        self.rows: list[object] = []
        self.me = self

    def on_changed(self, _changes: object = None) -> None:
        self.rows.clear()


def idle(runner: TaskRunner) -> bool:
    return runner.running == 0


def test_windows_dropped_while_the_next_ones_open_sqlcipher_connections_are_freed_on_the_gui_thread(
        encrypted_demo: Path, demo_sqlite_db: Database, qtbot: QtBot, collector_as_found: None) -> None:
    """The pattern of 注销 and of the case list bench: reads on the real lanes over an encrypted
    desk, the runner shut down and its database disposed, then dropped with what showed the rows
    (reference cycles: only the collector frees them) while the next runner's lanes open SQLCipher
    connections and read; six times. Every view, runner and database is freed on the GUI thread.
    On the code before, most were freed on the next runner's read lane (where the case list
    bench's process died of a segmentation fault in about one run in fifteen)."""
    head = login_as(demo_sqlite_db, "head")
    freed: dict[str, list[str]] = {"view": [], "runner": [], "database": []}
    for _round in range(ROUNDS):
        db = Database(f"sqlite:///{encrypted_demo}", create=False)
        assert db.cipher_key is not None
        runner = TaskRunner(db)
        view = ListView(runner)
        for name, thing in (("view", view), ("runner", runner), ("database", db)):
            freed_where(thing, freed[name])
        for offset in [*range(0, 120, 20)] * 4:  # a list read window by window, scrolled up and down
            runner.run_read(partial(caselist.fetch_window, actor=head, query=CaseQuery(), offset=offset,
                                    limit=20, total=None), on_success=view.rows.extend)
        qtbot.waitUntil(partial(idle, runner), timeout=30_000)
        assert len(view.rows) == 4 * 120
        runner.shutdown()
        QCoreApplication.processEvents()
        del view, runner, db  # no collection here: whoever allocates next may run it
    gc.collect()  # what is left (the last round's at least), here
    gui = threading.main_thread().name
    assert all(len(where) >= ROUNDS - 1 and set(where) == {gui} for where in freed.values()), freed



def test_across_a_sign_out_the_desks_lanes_and_connections_stay_and_collect_on_the_gui_thread(
        demo_sqlite_db: Database, qtbot: QtBot, collector_as_found: None) -> None:
    """注销 on the real lanes: the window goes (Qt deletes it on the GUI thread at the next turn of the
    event loop), the runner, its lanes and the database's pools are the desk's and stay for the
    next person — nothing of them is dropped with the window — and the collector keeps running on
    the GUI thread only, so what the window's Python objects leave is never freed on a lane; the
    app's close shuts the lanes and gives the collector back."""
    from mediation_desk import demo

    from .conftest import Runner
    from .test_sign_out import finish, press_sign_out, sign_in, start

    runner = Runner(demo_sqlite_db, synchronous=False)
    startup = start(runner, qtbot)
    try:
        window = sign_in(startup, qtbot, "head", demo.DEMO_PASSWORD)
        assert gui_collector.active() and not gc.isenabled()
        with qtbot.waitSignal(window.destroyed, timeout=10_000):  # by Qt, on the GUI thread
            press_sign_out(window, qtbot)
        del window
        assert startup.runner is runner and runner.database is demo_sqlite_db
        assert gui_collector.active() and not gc.isenabled()
        other = sign_in(startup, qtbot, "mediator", demo.DEMO_PASSWORD)  # the same lanes serve the next
        assert other.actor.username == "mediator"
    finally:
        finish(startup)
    assert not gui_collector.active() and gc.isenabled()


def test_a_plain_data_job_defers_the_collection_until_it_ends_or_makes_too_many_objects(
        demo_sqlite_db: Database, qtbot: QtBot, collector_as_found: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a lane's job runs inside ``plain_data`` (the risk briefing's read: hundreds of thousands of
    ids and rows, no reference cycle), the GUI thread's ticks run no pass, although the objects it
    makes keep the youngest generation over its threshold (before: a pass every tick, ~40 a
    briefing); garbage that came meanwhile — a Qt object in a cycle — is collected on the GUI thread
    at the first tick after the job, never on the lane. Past ``PLAIN_DEFER_MOST`` new objects the
    ticks collect during the job again."""
    runner = TaskRunner(demo_sqlite_db)
    threshold = gc.get_threshold()
    passes: list[str] = []

    def counted(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(threading.current_thread().name)

    gc.callbacks.append(counted)
    try:
        assert gui_collector.active() and not gc.isenabled()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.set_threshold(700, *threshold[1:])
        for most, deferred in ((gui_collector.PLAIN_DEFER_MOST, True), (5_000, False)):
            monkeypatch.setattr(gui_collector, "PLAIN_DEFER_MOST", most)
            gc.collect()
            freed: list[str] = []
            garbage = QtCycle()
            freed_where(garbage, freed)
            del garbage
            made, go_on = threading.Event(), threading.Event()

            def rows(_session: Session, made: threading.Event = made, go_on: threading.Event = go_on) -> int:
                with gui_collector.plain_data():
                    kept = [(n, str(n)) for n in range(50_000)]  # alive meanwhile: far past the threshold
                    made.set()
                    go_on.wait(30)
                return len(kept)

            passes.clear()
            runner.run_read(rows)
            assert made.wait(30)
            qtbot.wait(4 * gui_collector.TICK_MS)  # four ticks with the count over the threshold
            if deferred:
                assert passes == [] and freed == []  # no pass: the garbage waits for the job's end
            else:
                assert passes and freed == [threading.main_thread().name]  # too many: collected meanwhile
            go_on.set()
            qtbot.waitUntil(lambda: runner.running == 0, timeout=10_000)
            qtbot.waitUntil(partial(bool, freed), timeout=5_000)  # the job ended: at the next tick
            assert freed == [threading.main_thread().name]
            assert set(passes) == {threading.main_thread().name}
            assert gui_collector._COLLECTION.plain == 0
    finally:
        gc.callbacks.remove(counted)
        gc.set_threshold(*threshold)
        runner.shutdown(dispose=False)
