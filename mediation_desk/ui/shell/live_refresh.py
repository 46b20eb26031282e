"""Other desks' writes, seen on this desk within a second (center server mode only).

:class:`LiveRefresh` runs a :class:`~mediation_desk.live.Listener` beside a
:class:`~mediation_desk.ui.common.tasks.TaskRunner` and re-announces each notice from another desk as the
runner's own :attr:`~mediation_desk.ui.common.tasks.TaskRunner.changed`, so every open list and case view
refreshes exactly as it does after this desk's writes: only the rows and cases concerned.

Notices arrive on the listener thread; a queued signal brings them to the GUI thread, where the
ones arriving within a few milliseconds of each other are merged into one ``Changes`` (a burst of
writes on one desk then costs the others one refresh). After the listener had to reconnect, notices
may have been missed, so every view is told to refresh what it shows.

On SQLite (one desk) the command line or a second app on the same file still writes to it: a
:class:`~mediation_desk.live.DataVersionWatcher` notices their commits within a second
and every view refreshes (what they changed is not known).

The listener also tells whether the server answers: the runner's ``reachability_changed`` (and
with it the window's outage banner) follows each failed connection attempt and each reconnection.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from mediation_desk.changes import Changes

if TYPE_CHECKING:
    from mediation_desk.live import DataVersionWatcher, Listener
    from mediation_desk.ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

#: Notices closer together than this are merged into one refresh.
COALESCE_MS = 25
#: What every view refreshes on after a reconnection (notices may have been missed meanwhile).
EVERYTHING = Changes(case_list=True, users=True, organisation=True, settings=True)


class LiveRefresh(QObject):
    """Bridges the notice listener of one desk to its runner's ``changed`` signal."""

    #: A merged ``Changes`` from other desks was announced on the runner (after ``runner.changed``).
    relayed = Signal(object)
    _arrived = Signal(object)
    _resynced = Signal()
    _state = Signal(bool, object)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._listener: Listener | None = None
        self._watcher: DataVersionWatcher | None = None
        self._pending: Changes | None = None
        #: monotonic time of the first notice in the pending batch (for the latency figure).
        self.first_arrival: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._flush)
        # Emitted on the listener thread, handled here on the GUI thread.
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)
        self._resynced.connect(self._on_resynced, Qt.ConnectionType.QueuedConnection)
        self._state.connect(self._on_state, Qt.ConnectionType.QueuedConnection)

    @property
    def active(self) -> bool:
        return (self._listener is not None and self._listener.running) or (
            self._watcher is not None and self._watcher.running)

    @property
    def watcher(self) -> DataVersionWatcher | None:
        return self._watcher

    @property
    def listener(self) -> Listener | None:
        return self._listener

    def start(self) -> bool:
        """Start listening (a center server) or watching the file (SQLite); True if it does."""
        if self._listener is not None or self._watcher is not None:
            return True
        if not self._runner.has_database:
            return False
        from mediation_desk import live

        if self._runner.database.is_sqlite:
            self._watcher = live.DataVersionWatcher(self._runner.database.writer, self._resynced.emit)
            self._watcher.start()
            return True
        # The engine's URL already carries the password read from the keychain on this thread.
        url = self._runner.database.writer.url
        self._listener = live.Listener(url, self._runner.desk_id, self._arrived.emit, self._resynced.emit,
                                       on_state=self._state.emit)
        self._listener.start()
        return True

    def wait_listening(self, timeout: float = 5.0) -> bool:
        return self._listener is not None and self._listener.wait_listening(timeout)

    def stop(self) -> None:
        """Stop the listener thread and wait for it (call before the runner shuts down)."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop()
        self._timer.stop()
        self._pending = None

    # ------------------------------------------------------------------ on the GUI thread

    def _on_arrived(self, changes: Changes) -> None:
        if self._listener is None and self._watcher is None:
            return  # stopped meanwhile
        if self._pending is None:
            self._pending = changes
            self.first_arrival = time.monotonic()
            self._timer.start()
        else:
            self._pending = self._pending | changes

    def _on_resynced(self) -> None:
        if self._listener is None and self._watcher is None:
            return
        log.info("Notices may have been missed or another process wrote; refreshing every view")
        self._on_arrived(EVERYTHING)

    def _on_state(self, reachable: bool, error: object) -> None:
        if self._listener is None:
            return
        failure = None
        if not reachable and isinstance(error, BaseException):
            from mediation_desk.services import dberrors
            from mediation_desk.ui.common.tasks import TaskFailure

            problem = dberrors.explain(error)
            if problem is not None:
                failure = TaskFailure(problem.message, error, expected=False, unreachable=True)
        self._runner.set_server_reachable(reachable, failure)

    def _flush(self) -> None:
        changes, self._pending = self._pending, None
        if changes is None or changes.empty:
            return
        self._runner.changed.emit(changes)
        self.relayed.emit(changes)


__all__ = ["COALESCE_MS", "EVERYTHING", "LiveRefresh"]
