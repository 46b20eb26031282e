"""The day's backup of a SQLite desk, made once the first rows of the sign-in are on screen.

It used to run at start-up before 登录 was enabled: on a large file (the 6 GB demo) that held the
login up for the length of the copy. Now :class:`ui.app.Startup` starts it when the main window's
first section has read and shown its rows, on a thread of its own (not a lane: a copy of minutes
must not queue a person's reads or writes) at the lowest CPU and I/O priority the system grants.
The status bar shows its progress, small, at the right (:class:`ui.app.Startup`).

Closing the desk in the middle stops the copy between two steps: its temporary file
(``.<name>.part``) is removed, the backups made before are untouched, and the next start makes the
day's copy again. ``services.backup.daily_if_due`` writes under the temporary name and renames
when complete, and rotates the older daily copies only after that, so a half-written copy never
replaces or pushes out a good one. The copy is of the state when it began, even while the person
writes (``db.backup_sqlite`` keeps one read transaction across its steps).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import platform
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from mediation_desk.db import Database

log = logging.getLogger(__name__)

#: Linux's ``ioprio_set`` system call by machine; the idle I/O class (3) shifted into place (13).
_IOPRIO_SET = {"x86_64": 251, "aarch64": 30}
_IOPRIO_IDLE = 3 << 13
_IOPRIO_WHO_PROCESS = 1
#: Windows' SetThreadPriority mode that also lowers the thread's disk and memory priority.
_THREAD_MODE_BACKGROUND_BEGIN = 0x00010000


class BackupStopped(Exception):
    """The desk is closing: the copy under way stops and its partial file is removed."""


def lower_thread_priority() -> None:
    """The calling thread at the lowest CPU priority and the idle I/O class (Linux: both are per
    thread), or Windows' background mode; elsewhere nothing. A refusal is no reason to skip the
    backup: it only runs at the usual priority then."""
    if sys.platform.startswith("linux"):
        thread = threading.get_native_id()
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, thread, 19)
        number = _IOPRIO_SET.get(platform.machine())
        if number is not None:
            with contextlib.suppress(OSError, AttributeError):
                ctypes.CDLL(None, use_errno=True).syscall(number, _IOPRIO_WHO_PROCESS, thread, _IOPRIO_IDLE)
    elif sys.platform == "win32":  # pragma: no cover - the test machines run Linux
        with contextlib.suppress(OSError, AttributeError):
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), _THREAD_MODE_BACKGROUND_BEGIN)


class DailyBackup(QObject):
    """One day's copy of a SQLite database on a background thread (at most one per run).

    Signals are emitted on the backup's thread; Qt queues them to receivers on the GUI thread."""

    #: Today's copy was due and is being made.
    started = Signal()
    #: (pages copied, pages in all), after each step.
    progress = Signal(int, int)
    #: The new backup's path, complete and renamed into place.
    finished = Signal(object)
    #: The copy failed (the reason; the log has the details). The older backups are untouched.
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, folder: Path | None = None) -> None:
        super().__init__(parent)
        #: Where the copies go (None: the desk's backup folder, ``settings.backup_dir``).
        self.folder = folder
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, database: Database) -> None:
        """Make today's copy if it is due (a SQLite database without one); once per run."""
        if self._thread is not None or self._stop.is_set():
            return
        self._thread = threading.Thread(target=self._run, args=(database,), name="daily backup", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop a copy under way and wait for its thread: it stops after the step it is in (a
        thousand pages), removes its partial file and leaves the older backups as they were."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self, database: Database) -> None:
        lower_thread_priority()
        from mediation_desk.services import backup

        try:
            # A check of a backup that a killed desk left behind (as large as the database).
            for removed in backup.remove_stale_checks_of(database):
                log.info("A backup check's copy left behind was removed: %s", removed)
            if not backup.daily_due(database, self.folder):
                return
            self.started.emit()
            path = backup.daily_if_due(database, self.folder, progress=self._step)
        except BackupStopped:
            log.info("The daily backup stopped half-way: the desk was closed; the next start makes it")
            return
        except Exception as exc:  # a full or read-only folder, a damaged file: the desk keeps working
            log.error("The daily backup failed: %s", exc, exc_info=True)
            self.failed.emit(str(exc))
            return
        if path is not None:
            log.info("The daily backup was saved as %s", path)
            self.finished.emit(path)

    @property
    def stopping(self) -> bool:
        """:meth:`stop` was called: the copy ends at its next step."""
        return self._stop.is_set()

    def _step(self, done: int, total: int) -> None:
        self.progress.emit(done, total)
        if self._stop.is_set():  # also after the last step: the copy is not renamed into place
            raise BackupStopped
