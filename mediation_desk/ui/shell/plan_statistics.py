"""The planner's statistics of a SQLite desk kept fresh (``services.plan_statistics``) on a
thread of its own: once after a sign-in's first rows, then every :data:`REFRESH_EVERY_MS` while
the desk stays open. Never on the GUI thread, never on a read lane a person waits on; nothing on a
center server (autovacuum analyses there). Closing the desk stops it after the index it is
analysing."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from mediation_desk.ui.shell.daily_backup import lower_thread_priority

if TYPE_CHECKING:
    from mediation_desk.db import Database

log = logging.getLogger(__name__)

#: A desk left open for days looks again every four hours (a look with nothing stale reads one
#: row per table: milliseconds).
REFRESH_EVERY_MS = 4 * 3600 * 1000


class StatisticsUpkeep(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._database: Database | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_EVERY_MS)
        self._timer.timeout.connect(self._run_again)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, database: Database) -> None:
        """A refresh now (if none runs) and every few hours; nothing for a server's database."""
        if not database.is_sqlite or self._stop.is_set():
            return
        self._database = database
        self._run_again()
        self._timer.start()

    def _run_again(self) -> None:
        if self._database is None or self.running or self._stop.is_set():
            return
        self._thread = threading.Thread(target=self._run, args=(self._database,), name="planner statistics",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop after the index under way and wait for the thread."""
        self._stop.set()
        self._timer.stop()
        if self._thread is not None:
            self._thread.join()

    def _run(self, database: Database) -> None:
        lower_thread_priority()
        from mediation_desk.services import plan_statistics

        try:
            plan_statistics.refresh(database, stop=self._stop.is_set)
        except Exception:  # a locked or read-only file: the plans stay as they were, the desk works on
            log.warning("The planner statistics could not be refreshed", exc_info=True)
