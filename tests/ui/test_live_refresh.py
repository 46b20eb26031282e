"""Two desks on one center server: what one desk writes shows on the other within a second."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import CaseState, Role
from mediation_desk.services import cases, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.shell.live_refresh import LiveRefresh

from ..services.helpers import make_user, new_case_input
from .conftest import Runner

pytestmark = [pytest.mark.gui, pytest.mark.postgresql]


@pytest.fixture
def center(pg_database_url: str) -> Iterator[tuple[Database, Database]]:
    """The one server, opened by two desks (each app has its own engines)."""
    desk_a, desk_b = Database(pg_database_url), Database(pg_database_url)
    yield desk_a, desk_b
    desk_a.dispose()
    desk_b.dispose()


@pytest.fixture
def desks(center: tuple[Database, Database]) -> Iterator[tuple[Runner, Runner]]:
    # Desk A writes synchronously (the test knows when its save returned); desk B runs the real
    # threaded lanes, as the app does.
    runner_a, runner_b = Runner(center[0]), Runner(center[1], synchronous=False)
    yield runner_a, runner_b
    runner_a.shutdown(dispose=False)
    runner_b.shutdown(dispose=False)
    assert not runner_a.unhandled and not runner_b.unhandled


def register_on(runner: Runner, clerk: Actor, db: Database, title: str) -> int:
    ids: list[int] = []
    runner.run_write(lambda s: cases.register_case(s, clerk, new_case_input(db, title=title)),
                     on_success=ids.append, changes=lambda case_id: Changes.cases(case_id, list_changed=True))
    assert ids, "the save did not return"
    return ids[0]


def test_a_case_registered_on_one_desk_appears_on_the_other(center: tuple[Database, Database],
                                                            desks: tuple[Runner, Runner], qtbot: QtBot) -> None:
    db_a, _db_b = center
    runner_a, runner_b = desks
    clerk = make_user(db_a, "clerk", Role.INTAKE)
    head = make_user(db_a, "head", Role.HEAD)

    model = CaseListModel(runner_b, head)
    qtbot.waitUntil(lambda: not model.loading)
    assert model.total == 0
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    view = CaseDetailView(runner_b, head)
    qtbot.addWidget(view)
    live_b = LiveRefresh(runner_b)
    assert live_b.start()
    assert live_b.wait_listening(5)

    # Desk B never hears of its own writes; desk A has no listener in this test.
    started = time.monotonic()
    case_id = register_on(runner_a, clerk, db_a, "东街物业漏水纠纷")
    qtbot.waitUntil(lambda: model.total == 1 and model.case_id_at(0) == case_id, timeout=1000)
    latency = time.monotonic() - started
    print(f"\nregistered on desk A → row on desk B: {latency * 1000:.0f} ms")
    assert model.data(model.index(0, CaseListModel.COL_TITLE)) == "东街物业漏水纠纷"
    assert resets == []  # the row was inserted; the list was not reloaded

    with qtbot.waitSignal(view.loaded, timeout=3000):
        view.show_case(case_id)
    assert view.detail is not None and view.detail.state is CaseState.REGISTERED
    version = view.detail.version

    # Desk A accepts the case: desk B's open case and its row follow.
    started = time.monotonic()
    runner_a.run_write(
        lambda s: workflow.transition(s, clerk, case_id, workflow.Action.ACCEPT, expected_version=version),
        changes=Changes.cases(case_id, list_changed=True))
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.state is CaseState.ACCEPTED, timeout=1000)
    qtbot.waitUntil(lambda: model.data(model.index(0, CaseListModel.COL_STATE)) == "Accepted", timeout=1000)
    latency = time.monotonic() - started
    print(f"accepted on desk A → case view and row on desk B: {latency * 1000:.0f} ms")
    assert "accept" not in view.action_buttons
    assert resets == []

    listener = live_b.listener
    assert listener is not None and listener.received == 2 and listener.skipped_own == 0
    live_b.stop()
    assert not live_b.active
    assert not [t for t in threading.enumerate() if t.name == "mediation-desk-listen"]


def test_a_desk_ignores_its_own_notices_and_sqlite_watches_the_file(
        center: tuple[Database, Database], desks: tuple[Runner, Runner], sqlite_db: Database,
        qtbot: QtBot) -> None:
    db_a, _db_b = center
    runner_a, _runner_b = desks
    clerk = make_user(db_a, "clerk", Role.INTAKE)
    live_a = LiveRefresh(runner_a)
    assert live_a.start() and live_a.wait_listening(5)
    relayed: list[Changes] = []
    live_a.relayed.connect(relayed.append)
    own: list[Changes] = []
    runner_a.changed.connect(own.append)
    register_on(runner_a, clerk, db_a, "自家的登记")
    listener = live_a.listener
    assert listener is not None
    qtbot.waitUntil(lambda: listener.skipped_own == 1, timeout=1000)
    qtbot.wait(100)
    assert relayed == [] and len(own) == 1  # announced once, by the runner itself
    live_a.stop()

    # SQLite: no server to listen to; the file's data version is watched instead (test_outage.py).
    single = Runner(sqlite_db)
    local = LiveRefresh(single)
    try:
        assert local.start() and local.listener is None and local.watcher is not None
    finally:
        local.stop()
        single.shutdown(dispose=False)
