"""The desk keeps a SQLite file's planner statistics on a thread of its own (never the GUI thread),
starts again every few hours, stops when the desk closes, and does nothing on a server."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.services import plan_statistics
from mediation_desk.ui.shell import plan_statistics as upkeep_module
from mediation_desk.ui.shell.plan_statistics import StatisticsUpkeep


def test_the_desk_refreshes_the_statistics_off_the_gui_thread(qtbot: QtBot, sqlite_db: Database,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with sqlite_db.write() as session:
        demo.seed(session, 60, seed_value=2, today=datetime(2026, 11, 30, 9))
    threads: list[str] = []
    original = plan_statistics.refresh

    def refresh(db: Database, **kwargs: object) -> plan_statistics.Refreshed:
        threads.append(threading.current_thread().name)
        return original(db, pause=0, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(plan_statistics, "refresh", refresh)
    upkeep = StatisticsUpkeep()
    assert upkeep._timer.interval() == upkeep_module.REFRESH_EVERY_MS
    upkeep.start(sqlite_db)
    qtbot.waitUntil(lambda: not upkeep.running, timeout=60_000)
    assert threads == ["planner statistics"]
    with sqlite_db.read() as session:
        assert plan_statistics.stale_indexes(session.connection()) == []
    upkeep._timer.timeout.emit()  # four hours later: a look, nothing stale
    qtbot.waitUntil(lambda: not upkeep.running, timeout=60_000)
    assert threads == ["planner statistics"] * 2
    upkeep.stop()
    upkeep.start(sqlite_db)  # a closed desk starts nothing
    assert not upkeep.running and len(threads) == 2


def test_nothing_on_a_server(qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_db, "is_sqlite", False)
    upkeep = StatisticsUpkeep()
    upkeep.start(sqlite_db)
    assert not upkeep.running and not upkeep._timer.isActive()
    upkeep.stop()
