"""The operation runner: database work off the GUI thread, results back on it.

Four serial lanes, after Picard's split of thread pools by latency: every write goes through the
*write* lane (one thread, so SQLite sees one writer, as ``db.py`` requires); the reads a person
waits for — lists, a case's page, a search — go through the *read* lane (one thread), so that a
case-list window is never stuck behind a long write such as seeding or a migration; and the reads
that take seconds — a year's statistics, the publicity list, the monthly report, a dossier or PDF
preview, an export, a scanner — go through the *slow* lane (one thread,
:meth:`TaskRunner.run_slow_read`), so that a list read never queues behind a report; and what
nobody waits on — a list's count after its rows — goes through the *count* lane (one thread,
:meth:`TaskRunner.run_count`), after the interactive reads and never behind a report. Each
operation opens its own session for that one job (a "button push") from the reader pool: SQLite in
WAL mode lets the read lanes' connections read side by side (an encrypted file's connections
are all made by the same keyed factory), and a server gives each lane a connection of its own.
Which lane a read belongs to is decided where it is submitted: ``run_read`` is interactive,
``run_slow_read`` (or ``run_job(..., lane=Lane.SLOW)``) is not.

Results and errors come back on the GUI thread through a queued signal. After a successful write
the runner emits :attr:`TaskRunner.changed` with what the write changed (Anki's ``OpChanges``), and
each open view decides whether that concerns it. The services say what they changed
(``services.changes.note`` on the write's session); ``Database.collect_changes`` gathers it from
the writes that committed, so no screen restates it.

``synchronous=True`` runs every job inline on the calling thread and calls back at once, like
Picard's ``FakeThreadPool``: tests then need no waiting. The threaded lanes have their own test.

The ``Database`` is created on the GUI thread: its constructor may read a server password from
``keyring``, which must never be called from worker threads (Vorta needed a mutex for that).

While threaded lanes exist, Python's cyclic collector runs on the GUI thread only
(``gui_collector``): run by a lane, it destroyed the Qt objects of the garbage it found (a window's
models, a dropped runner) on that lane while the GUI thread delivered events to them. For the same
reason a job goes back to the GUI thread with its outcome and is dropped there, not on its lane
(:meth:`TaskRunner._run_on_worker`); and a job closes over plain values, never over a Qt object
(tests/ui/jobholds.py checks every job of the interface tests).
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from mediation_desk.ui.common import gui_collector

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.changes import Changes
    from mediation_desk.db import Database
    from mediation_desk.services.actor import Actor

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How long a count (:meth:`TaskRunner.run_count`) lets the interactive reads go first at most: a
#: person scrolling on and on would otherwise keep it waiting.
AFTER_READS_LIMIT_S = 2.0


class Lane(Enum):
    #: The reads a person waits for: lists, a case's page, a search, a form's choices.
    READ = "read"
    WRITE = "write"
    #: Reads and read-only jobs that take seconds: reports and statistics over a year, the publicity
    #: list, previews and exports of documents, checks of a whole log or backup, scanners. Its own
    #: thread and connection, so they never hold up the READ lane.
    SLOW = "slow"
    #: Reads whose answer nobody waits on, asked for with an interactive one (a list's count after
    #: its rows, where the selected case went): its own thread, each waiting until the READ lane has
    #: nothing left to read, so they hold up neither a case page nor the scrolling behind a report.
    COUNT = "count"

    @property
    def reads(self) -> bool:
        return self is not Lane.WRITE


@dataclass(frozen=True)
class TaskFailure:
    """Why an operation failed, ready to show."""

    #: The text for the user: the service's own (Chinese) message for a refused request.
    message: str
    error: BaseException
    #: True for refusals the services and the database layer explain themselves (ServiceError,
    #: DatabaseError); False for a bug or an unreachable database, which is also logged.
    expected: bool
    #: The database server could not be reached (the window shows its outage banner).
    unreachable: bool = False

    @property
    def field(self) -> str | None:
        """The form field an ``InvalidInput`` names, so the message can sit next to it."""
        value = getattr(self.error, "field", None)
        return value if isinstance(value, str) else None


class TaskHandle:
    """One submitted operation. Cancelling drops it if it has not started and always drops its
    result, so a view that moved on is not called back with stale rows."""

    def __init__(self, task_id: int, lane: Lane) -> None:
        self.task_id = task_id
        self.lane = lane
        self._cancelled = threading.Event()
        self._started = threading.Event()
        self._done = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @property
    def started(self) -> bool:
        return self._started.is_set()

    @property
    def done(self) -> bool:
        return self._done.is_set()


class Hold:
    """Holds back a write nobody waits for — the audit entry of a list a person looked at — until
    the read a person does wait for has come back and been painted: the write would otherwise take
    the interpreter (one at a time, Python's GIL) from that read and that paint. The write is
    accepted at once (its callbacks registered, :attr:`TaskRunner.pending` counts it) but given to
    its lane only on :meth:`release`, so the writes after it — a save, another audit entry — do
    not queue behind it. Release it on the GUI thread; the runner's shutdown releases every hold
    and waits for the writes it held."""

    def __init__(self, on_release: Callable[[Hold], None] | None = None) -> None:
        self._released = False
        self._on_release = on_release

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        if self._on_release is not None:
            self._on_release(self)

    @property
    def released(self) -> bool:
        return self._released


class Admission:
    """The answer to one sign-in's password check, given from the thread that checked it
    (:meth:`TaskRunner.admit`): the reads the main window made during the check asked for may then
    run, before the sign-in's own write has committed and its answer reached the GUI thread."""

    def __init__(self) -> None:
        self.granted = False


@dataclass
class _Callbacks:
    on_success: Callable[[Any], None] | None
    on_error: Callable[[TaskFailure], None] | None
    changes: Callable[[Any], Changes] | Changes | None
    #: The runner's session when the job was submitted (:meth:`TaskRunner.end_session`; set by ``_submit``).
    session: int = 0


@dataclass(frozen=True)
class _Outcome:
    handle: TaskHandle
    result: Any = None
    failure: TaskFailure | None = None
    skipped: bool = False


@dataclass(frozen=True)
class _Written:
    """The result of a write and the changes it announces, worked out on the worker."""

    result: Any
    changes: Changes | None
    #: The database answered (a write committed): the outage banner may go.
    reached: bool = True


def _resolve(changes: Callable[[Any], Changes] | Changes | None, result: Any) -> Changes | None:
    """The non-empty changes a write announces, or None."""
    if changes is None:
        return None
    value = changes(result) if callable(changes) else changes
    return None if value.empty else value


def _job_name(fn: Callable[..., Any]) -> str:
    """Which operation a job is, for the audit entry of a refusal (``CaseDetail.reload``,
    ``audit.export_key``): the function, through ``functools.partial``, without ``<locals>``."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    module = (getattr(fn, "__module__", "") or "").rpartition(".")[2]
    name = (getattr(fn, "__qualname__", "") or type(fn).__name__).replace(".<locals>", "")
    return f"{module}.{name}" if module else name


def widget_gone(callback: Callable[..., Any]) -> bool:
    """Whether ``callback`` is meant for a Qt object that has been deleted: a bound method of it,
    through ``functools.partial``, or a function that closes over it (``lambda rows:
    self.model.set_rows(rows)``). A read a window asked for can answer after the window went (注销
    while the desk's lists were being read): Qt deleted its widgets, and calling into them raises
    "already deleted"."""
    while isinstance(callback, functools.partial):
        if any(_deleted(value) for value in (*callback.args, *callback.keywords.values())):
            return True
        callback = callback.func
    if _deleted(getattr(callback, "__self__", None)):
        return True
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            held = cell.cell_contents
        except ValueError:  # a cell not filled yet
            continue
        if _deleted(held):
            return True
    return False


def _deleted(value: object) -> bool:
    return isinstance(value, QObject) and not shiboken6.isValid(value)


def _new_desk_id() -> str:
    return uuid.uuid4().hex[:16]


def describe_failure(error: BaseException) -> TaskFailure:
    """Turn an exception into what the user reads; log the ones that are not plain refusals."""
    # Imported here: by the time an operation fails these modules are loaded anyway, and the
    # runner itself must stay importable before SQLAlchemy is (the login dialog paints first).
    from mediation_desk.db import DatabaseError
    from mediation_desk.services import dberrors
    from mediation_desk.services.errors import ServiceError

    if isinstance(error, ServiceError | DatabaseError):
        return TaskFailure(str(error), error, expected=True)
    problem = dberrors.explain(error)
    if problem is not None:
        # libpq's and SQLite's own words go to the log; the person reads the cause in Chinese.
        if problem.unreachable:
            log.warning("Database server unreachable (%s): %s", problem.cause, error)
        else:
            log.error("Database operation failed (%s)", problem.cause, exc_info=error)
        return TaskFailure(problem.message, error, expected=False, unreachable=problem.unreachable)
    log.error("Unexpected error in a database operation", exc_info=error)
    message = QCoreApplication.translate(
        "TaskRunner", "An unexpected error occurred ({kind}: {detail}). Nothing was saved. The details "
        "were written to the log file; please tell the administrator."
    ).format(kind=type(error).__name__, detail=error)
    return TaskFailure(message, error, expected=False)


class TaskRunner(QObject):
    """Runs database operations on a serial write lane and two serial read lanes (interactive
    reads, and slow ones such as reports)."""

    #: After a successful write: a ``Changes`` value (never empty).
    changed = Signal(object)
    #: A failure that had no ``on_error`` handler of its own: a ``TaskFailure``.
    failed = Signal(object)
    #: True while a write is queued or running (for a "saving…" hint).
    busy_changed = Signal(bool)
    #: The center server became unreachable (False, with a ``TaskFailure`` or None) or reachable
    #: again (True): from failed operations and from the notice listener (``LiveRefresh``).
    reachability_changed = Signal(bool, object)
    #: Every submitted operation has answered and its callbacks ran (none is queued or running),
    #: but for those kept by :meth:`hold` (a session's writes waiting for its sign-in to be written).
    idle = Signal()
    #: An operation's answer was delivered on the GUI thread (after its callbacks).
    answered = Signal()
    #: A lane finished a job: its task id (the outcome waits in ``_parked``).
    _finished = Signal(object)

    def __init__(self, database: Database | None = None, *, synchronous: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.synchronous = synchronous
        #: Who is signed in (set by the app at login, None before and after): the person a
        #: refused access is recorded for.
        self.actor: Actor | None = None
        #: This desk's id in the notices other desks receive (``services.live``); a desk's
        #: listener skips notices carrying its own id.
        self.desk_id = _new_desk_id()
        self._ids = itertools.count(1)
        self._reachable = True
        if database is not None:
            database.desk_id = self.desk_id
        self._callbacks: dict[int, _Callbacks] = {}
        #: The jobs each unreleased :class:`Hold` holds back, and the futures of those given to their
        #: lane on release (the shutdown waits for them).
        self._held_writes: dict[Hold, list[tuple[Lane, TaskHandle, Callable[[], Any], str]]] = {}
        self._held_futures: list[Future[None]] = []
        self._pending_writes = 0
        #: The jobs given to the interactive read lane and not finished (a slow read may wait for
        #: none to be left, :meth:`run_slow_read`'s ``after_reads``), and what it waits on.
        self._reads_running = 0
        self._reads_done = threading.Condition()
        self._closed = False
        #: Sessions ended so far (:meth:`end_session`): a job belongs to the one it was submitted in.
        self._session = 0
        #: Callbacks running for a session that has ended (:meth:`_call`): what they submit is dropped.
        self._answering_ended = 0
        #: Jobs submitted while held (:meth:`hold`), in order, waiting for release() or drop().
        self._held: list[tuple[Lane, TaskHandle, Callable[[], Any], str, Hold | None]] | None = None
        #: The sign-in whose answer ends the hold (:meth:`admit`), and once it is granted the read
        #: jobs let through before :meth:`release` (:meth:`drop` still takes their answers back).
        self._admission: Admission | None = None
        self._admitted: list[TaskHandle] | None = None
        #: Holding, admitting and submitting may meet: admit() comes from the thread that checked
        #: the password. Re-entrant: a synchronous runner's jobs submit jobs from their callbacks.
        self._hold_lock = threading.RLock()
        self._executors: dict[Lane, ThreadPoolExecutor] = {}
        #: Whether this runner's lanes keep the cyclic collector on the GUI thread (``gui_collector``):
        #: a collection run by a lane would destroy the Qt objects of the garbage it finds there.
        self._collects_on_gui_thread = False
        if not synchronous:
            self._collects_on_gui_thread = gui_collector.acquire()
            self._executors = {
                Lane.WRITE: ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediation-desk-write"),
                Lane.READ: ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediation-desk-read"),
                Lane.SLOW: ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediation-desk-slow"),
                Lane.COUNT: ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediation-desk-count"),
            }
        #: The outcomes of the jobs the lanes finished, each with its job, by task id, until the GUI
        #: thread takes them (:meth:`_take`), so that it is the GUI thread that drops the job.
        self._parked: dict[int, tuple[_Outcome, Callable[[], Any]]] = {}
        # Queued explicitly: the signal is emitted on a worker thread and must be handled here.
        self._finished.connect(self._take, Qt.ConnectionType.QueuedConnection)

    # ------------------------------------------------------------------ database

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("TaskRunner has no database yet")
        return self._database

    @property
    def has_database(self) -> bool:
        return self._database is not None

    def set_database(self, database: Database) -> None:
        """Attach the database once it is open (start-up runs plain jobs before that)."""
        self._database = database
        # The notices this desk's writes send carry the id its listener skips.
        database.desk_id = self.desk_id

    # ------------------------------------------------------------------ reachability

    @property
    def server_reachable(self) -> bool:
        """False while the center server is known to be unreachable."""
        return self._reachable

    def set_server_reachable(self, reachable: bool, failure: TaskFailure | None = None) -> None:
        """Record whether the server answers; :attr:`reachability_changed` fires on a change (and
        again while unreachable when a new failure explains why)."""
        if reachable == self._reachable and (reachable or failure is None):
            return
        self._reachable = reachable
        self.reachability_changed.emit(reachable, failure)

    # ------------------------------------------------------------------ submitting

    def run_read(self, fn: Callable[[Session], T], on_success: Callable[[T], None] | None = None,
                 on_error: Callable[[TaskFailure], None] | None = None, *,
                 lane: Lane = Lane.READ) -> TaskHandle:
        """Run ``fn(session)`` on a read lane with a read-only session: the interactive read lane
        unless ``lane`` is :attr:`Lane.SLOW` (see :meth:`run_slow_read`) or :attr:`Lane.COUNT` (see
        :meth:`run_count`)."""
        if lane is Lane.WRITE:
            raise ValueError("run_read runs on a read lane; writes go through run_write")
        database = self.database

        def job() -> T:
            with database.read() as session:
                return fn(session)

        return self._submit(lane, job, _Callbacks(on_success, on_error, None), _job_name(fn))

    def run_slow_read(self, fn: Callable[[Session], T], on_success: Callable[[T], None] | None = None,
                      on_error: Callable[[TaskFailure], None] | None = None) -> TaskHandle:
        """Run ``fn(session)`` on the slow lane: a read that may take seconds (statistics over a
        year, the publicity list, the monthly report, a dossier preview). It runs beside the
        interactive read lane, never in front of a list or a case page a person is waiting for."""
        return self.run_read(fn, on_success, on_error, lane=Lane.SLOW)

    def run_count(self, fn: Callable[[Session], T], on_success: Callable[[T], None] | None = None,
                  on_error: Callable[[TaskFailure], None] | None = None) -> TaskHandle:
        """Run ``fn(session)`` on the count lane: a read whose answer nobody waits on, such as a
        list's count after its rows. Once its turn comes it waits until the interactive lane has
        nothing left to read (at most :data:`AFTER_READS_LIMIT_S`), so that it does not share the
        cores and the interpreter with a case page asked for just before it; on a lane of its own,
        it never waits for a report on the slow lane either."""
        if self.synchronous:
            return self.run_read(fn, on_success, on_error, lane=Lane.COUNT)
        database = self.database

        def job() -> T:
            self._wait_for_reads()
            with database.read() as session:
                return fn(session)

        return self._submit(Lane.COUNT, job, _Callbacks(on_success, on_error, None), _job_name(fn))

    def _wait_for_reads(self) -> None:
        """On the count lane's thread: until no interactive read is queued or running (or the
        runner shuts down), at most :data:`AFTER_READS_LIMIT_S`."""
        with self._reads_done:
            self._reads_done.wait_for(lambda: self._reads_running == 0 or self._closed, AFTER_READS_LIMIT_S)

    def _read_finished(self) -> None:
        with self._reads_done:
            self._reads_running -= 1
            self._reads_done.notify_all()

    def run_write(self, fn: Callable[[Session], T], on_success: Callable[[T], None] | None = None,
                  on_error: Callable[[TaskFailure], None] | None = None, *,
                  changes: Callable[[T], Changes] | Changes | None = None,
                  after: Hold | None = None) -> TaskHandle:
        """Run ``fn(session)`` on the write lane in one transaction, committed when it returns.

        Once it has committed, what the service functions noted they changed (``changes.note``)
        is announced through :attr:`changed`; a write that failed or rolled back announces
        nothing. ``changes`` (a value, or a function of the result) adds what only the caller
        knows; no screen needs it today. ``after``: the write is accepted now but given to the
        write lane only once that :meth:`hold_write`'s hold is released.
        """
        database = self.database

        def job() -> _Written:
            with database.collect_changes() as collected, database.write() as session:
                result = fn(session)
                stated = _resolve(changes, result)
                if stated is not None:
                    # A note like the services' own: collected at the commit, and on a center
                    # server sent to the other desks in the write's own transaction.
                    from mediation_desk.changes import note

                    note(session, stated)
            return _Written(result, _resolve(collected.changes, result))

        return self._submit(Lane.WRITE, job, _Callbacks(on_success, on_error, changes), _job_name(fn), after)

    def hold_write(self) -> Hold:
        """A :class:`Hold` for a write submitted now that should wait until the caller releases it
        (:meth:`run_write`'s ``after``). The synchronous runner has nothing to overlap: its holds
        come released."""
        hold = Hold(self._release)
        if self.synchronous or self._closed:
            hold.release()
        return hold

    def _release(self, hold: Hold) -> None:
        """Give the writes ``hold`` held back to their lane (in the order they were submitted)."""
        for lane, handle, job, what in self._held_writes.pop(hold, []):
            self._held_futures.append(self._executors[lane].submit(self._run_on_worker, handle, [job], what))
        self._held_futures = [f for f in self._held_futures if not f.done()]

    def run_job(self, fn: Callable[[], T], on_success: Callable[[T], None] | None = None,
                on_error: Callable[[TaskFailure], None] | None = None, *, lane: Lane = Lane.WRITE,
                changes: Callable[[T], Changes] | Changes | None = None, unheld: bool = False) -> TaskHandle:
        """Run ``fn()`` on a lane without a session: for services that manage their own
        transactions (``auth.login`` commits a failed attempt, a packet import) and for start-up
        work. On the write lane, what the writes it commits (``Database.write``) noted they
        changed is announced through :attr:`changed`, with ``changes`` if given. ``unheld``: run
        it now even while the runner holds (:meth:`hold`): the writing of a sign-in, which the
        held writes of its session must follow."""
        if lane is not Lane.WRITE or self._database is None:
            return self._submit(lane, fn, _Callbacks(on_success, on_error, changes), _job_name(fn), unheld=unheld)
        database, desk_id = self._database, self.desk_id

        def job() -> _Written:
            with database.collect_changes() as collected:
                result = fn()
            # The writes' own notices already went out with their commits.
            stated = _resolve(changes, result)
            if stated is not None and not database.is_sqlite:
                # The job committed on its own; tell the other desks in a transaction of its own.
                from mediation_desk import live

                try:
                    live.publish_now(database.writer, stated, desk_id)
                except Exception:  # the write stands; other desks catch up on their next refresh
                    log.warning("Could not notify the other desks of a write", exc_info=True)
            total = collected.changes | stated if stated is not None else collected.changes
            return _Written(result, _resolve(total, result), reached=collected.commits > 0 or (
                stated is not None and not database.is_sqlite))

        return self._submit(lane, job, _Callbacks(on_success, on_error, changes), _job_name(fn), unheld=unheld)

    def _submit(self, lane: Lane, job: Callable[[], Any], callbacks: _Callbacks, what: str = "",
                after: Hold | None = None, *, unheld: bool = False) -> TaskHandle:
        handle = TaskHandle(next(self._ids), lane)
        if self._closed:
            log.debug("Task %s submitted after shutdown; dropped", handle.task_id)
            handle.cancel()
            return handle
        if self._answering_ended:
            # The answer to a read a person asked for comes after they signed out and asks for
            # more: a desk's cards read answering after 注销 gave the day's cards as the head who
            # had left. Nothing runs in the name of a session that has ended.
            log.info("Task %s (%s) asked for by a session that has ended; dropped", handle.task_id, what)
            handle.cancel()
            return handle
        callbacks.session = self._session
        self._callbacks[handle.task_id] = callbacks
        if lane is Lane.WRITE:
            self._pending_writes += 1
            if self._pending_writes == 1:
                self.busy_changed.emit(True)
        with self._hold_lock:
            if self._held is not None and not unheld and not (lane.reads and self._admitted is not None):
                self._held.append((lane, handle, job, what, after))
            else:
                self._start(lane, handle, job, what, after)
                if self._admitted is not None and lane.reads:
                    self._admitted.append(handle)
        return handle

    def _start(self, lane: Lane, handle: TaskHandle, job: Callable[[], Any], what: str,
               after: Hold | None = None) -> None:
        if self.synchronous:
            self._deliver(self._execute(handle, job, what))
        elif after is not None and not after.released:
            self._held_writes.setdefault(after, []).append((lane, handle, job, what))
        else:
            if lane is Lane.READ:
                with self._reads_done:
                    self._reads_running += 1
            self._executors[lane].submit(self._run_on_worker, handle, [job], what)

    # ------------------------------------------------------------------ holding

    @property
    def holding(self) -> bool:
        return self._held is not None

    def hold(self, admission: Admission | None = None) -> None:
        """Keep every job submitted from now on, on every lane, until :meth:`release` runs them
        or :meth:`drop` forgets them. Start-up makes the main window while the password is being
        checked (``ui.app.Startup``): whatever the window asks of the database meanwhile must not
        run before the check said yes (no case is read for a person not signed in).

        With the sign-in's ``admission``, the read jobs run as soon as it is granted
        (:meth:`admit`, from the thread that checked the password), the writes still wait for
        :meth:`release`."""
        with self._hold_lock:
            if self._held is None:
                self._held = []
            self._admission = admission
            if admission is not None and admission.granted and self._admitted is None and not self.synchronous:
                self._admitted = []

    def admit(self, admission: Admission) -> None:
        """The password of the sign-in ``admission`` stands for is verified (called on the thread
        that verified it): if the runner holds for it, its held reads start now, in order, and
        later reads are no longer held; writes stay held until :meth:`release`. The GUI thread
        still calls :meth:`release` (or :meth:`drop`, when the sign-in fails after all, which then
        drops the answers of the reads let through). A synchronous runner (tests) runs nothing
        here: its jobs run on the GUI thread, inside the sign-in's own job."""
        with self._hold_lock:
            admission.granted = True
            if self.synchronous or self._closed or self._admission is not admission or self._held is None:
                return
            if self._admitted is None:
                self._admitted = []
            kept: list[tuple[Lane, TaskHandle, Callable[[], Any], str, Hold | None]] = []
            for lane, handle, job, what, after in self._held:
                if lane.reads:
                    self._start(lane, handle, job, what, after)
                    self._admitted.append(handle)
                else:
                    kept.append((lane, handle, job, what, after))
            self._held = kept

    def admit_reads(self) -> None:
        """Run the held reads now, in order, and no later read is held; the writes stay held until
        :meth:`release` (start-up: a signed-in session's writes wait for its sign-in to be written).
        Unlike :meth:`admit`, for the GUI thread, and a synchronous runner runs them too."""
        with self._hold_lock:
            if self._held is None:
                return
            if self._admitted is None:
                self._admitted = []
            held, self._held = self._held, []
            for lane, handle, job, what, after in held:
                if lane.reads:
                    self._start(lane, handle, job, what, after)
                    if not self.synchronous:
                        self._admitted.append(handle)
                else:
                    self._held.append((lane, handle, job, what, after))

    def admitted_unanswered(self) -> list[TaskHandle]:
        """The reads let through so far by the sign-in's admission (:meth:`admit`,
        :meth:`admit_reads`) whose answers have not been delivered: start-up shows the signed-in
        window once they have (:meth:`unanswered`), so that its first paint has their rows."""
        with self._hold_lock:
            return [handle for handle in self._admitted or () if handle.task_id in self._callbacks]

    def unanswered(self, handles: list[TaskHandle]) -> bool:
        """Whether any of ``handles`` is still to be answered (its callbacks not called yet)."""
        return any(handle.task_id in self._callbacks for handle in handles)

    def release(self) -> None:
        """Run the held jobs, in the order they were submitted, and stop holding."""
        with self._hold_lock:
            held, self._held = self._held or [], None
            self._admission, self._admitted = None, None
            for lane, handle, job, what, after in held:
                self._start(lane, handle, job, what, after)

    def drop(self) -> None:
        """Forget the held jobs (none of them runs, no callback is called) and stop holding; the
        reads an admission let through are cancelled and their answers dropped."""
        with self._hold_lock:
            held, self._held = self._held or [], None
            admitted, self._admitted = self._admitted or [], None
            self._admission = None
        for handle in admitted:
            handle.cancel()
            self._callbacks.pop(handle.task_id, None)  # its answer, when it comes, reaches nobody
        for _lane, handle, _job, _what, _after in held:
            handle.cancel()
            self._deliver(_Outcome(handle, skipped=True))
        if admitted and not held and self.running == 0 and not self._closed:
            self.idle.emit()

    # ------------------------------------------------------------------ running

    def _execute(self, handle: TaskHandle, job: Callable[[], Any], what: str = "") -> _Outcome:
        if handle.cancelled:
            return _Outcome(handle, skipped=True)
        handle._started.set()
        try:
            return _Outcome(handle, result=job())
        except Exception as exc:  # every failure goes back to the GUI thread, none is swallowed
            self._record_refusal(exc, what)
            return _Outcome(handle, failure=describe_failure(exc))
        finally:
            handle._done.set()

    def _record_refusal(self, error: BaseException, what: str) -> None:
        """A ``PermissionDenied`` from the services is audited here, on the worker that ran the
        job, in a transaction of its own (the refusal rolled its own transaction back), before the
        failure reaches the screen: so it is recorded even when the view has moved on or the
        window closes. ``audit.record_refusal`` marks the error, so it is never recorded twice."""
        from mediation_desk.services.errors import PermissionDenied

        if not isinstance(error, PermissionDenied) or self._database is None:
            return
        from mediation_desk.services import audit

        try:
            audit.record_refusal(self._database, self.actor, what or "ui", str(error), error)
        except Exception:  # the database is gone as well: the log keeps the refusal at least
            log.error("Could not write the audit entry of a refused access (%s)", what, exc_info=True)

    def _run_on_worker(self, handle: TaskHandle, slot: list[Callable[[], Any]], what: str) -> None:
        """(A lane's thread.) Run the job ``slot`` holds, and leave the job with its outcome for the
        GUI thread, which drops both.

        The executor's work item is dropped on this thread once this returns: had it kept the job,
        a Qt object the job's function held (a panel, through a bound method) would be deleted here
        whenever that was its last reference, while the GUI thread may deliver events to it. So the
        job leaves the work item (its one-slot list) here, and nothing on this thread refers to it
        or to its outcome (a failure's traceback holds the job's frames) once both are parked:
        they are parked before the GUI thread is told, so its references are always the last."""
        job = slot.pop()
        try:
            outcome = self._execute(handle, job, what)
        finally:
            if handle.lane is Lane.READ:
                self._read_finished()
        self._parked[handle.task_id] = (outcome, job)  # one key per task: no lock needed
        del outcome, job
        self._finished.emit(handle.task_id)

    @Slot(object)
    def _take(self, task_id: int) -> None:
        """(GUI thread.) Answer a job a lane finished; the job and its outcome are dropped here."""
        outcome, _job = self._parked.pop(task_id)
        self._deliver(outcome)

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        self._answer(outcome)
        self.answered.emit()
        if self.running == 0 and not self._closed:
            self.idle.emit()

    def _answer(self, outcome: _Outcome) -> None:
        handle = outcome.handle
        callbacks = self._callbacks.pop(handle.task_id, None)
        if handle.lane is Lane.WRITE:
            self._pending_writes -= 1
            if self._pending_writes == 0:
                self.busy_changed.emit(False)
        if callbacks is None or self._closed:
            return
        if outcome.failure is not None:
            if outcome.failure.unreachable:
                self.set_server_reachable(False, outcome.failure)
            if handle.cancelled and outcome.failure.expected:
                return
            if callbacks.on_error is not None:
                self._call(callbacks.on_error, outcome.failure, callbacks.session)
            elif callbacks.on_success is not None and widget_gone(callbacks.on_success):
                # Asked for by a window signed out (or a panel closed) before the job failed: the
                # failure was that window's to show, not the next person's.
                log.info("A job for a deleted widget failed (%s): %s", _job_name(callbacks.on_success),
                         outcome.failure.message)
            else:
                self.failed.emit(outcome.failure)
            return
        if outcome.skipped:
            return
        if (isinstance(outcome.result, _Written) and outcome.result.reached) or (
                handle.lane.reads and self.has_database):
            self.set_server_reachable(True)  # a read or write went through: the server answers
        result, announced = outcome.result, None
        if isinstance(result, _Written):
            result, announced = result.result, result.changes
        elif callbacks.changes is not None and handle.lane is Lane.WRITE:
            announced = _resolve(callbacks.changes, result)  # a job run before the database opened
        # A write that happened is announced even when its caller cancelled interest in it.
        if not handle.cancelled and callbacks.on_success is not None:
            self._call(callbacks.on_success, result, callbacks.session)
        if announced is not None:
            self.changed.emit(announced)

    def _call(self, callback: Callable[[Any], None], value: Any, session: int) -> None:
        """Call back on the GUI thread. ``session``: the one the job was submitted in; when it has
        ended since (注销), the callback still runs (what it does before reaching a deleted widget
        stands: a sign-in's record lets the session's held writes go), but nothing it submits runs."""
        ended = session != self._session
        if ended:
            self._answering_ended += 1
        try:
            callback(value)
        except Exception as exc:
            if widget_gone(callback):
                # The answer of a window signed out (or a panel closed) while its job ran: what it
                # did before reaching a deleted widget stands (a sign-in's record lets the session's
                # held writes go: a callback is never skipped for that reason alone), and its
                # "already deleted" is nobody's to read — the next person's window showed it.
                log.debug("A callback for a deleted widget stopped (%s): %s", _job_name(callback), exc)
                return
            # A bug in a view's callback: say so instead of leaving the window half-updated.
            log.error("Error in a callback on the GUI thread", exc_info=exc)
            self.failed.emit(describe_failure(exc))
        finally:
            if ended:
                self._answering_ended -= 1

    def end_session(self) -> None:
        """A person signed out (注销): the answers of the jobs submitted until now still come (their
        callbacks run, what the session asked to write is written), but nothing those callbacks ask
        for runs — no read or write in the name of a person who is no longer signed in."""
        self._session += 1

    # ------------------------------------------------------------------ lifetime

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    @property
    def closing(self) -> bool:
        """:meth:`shutdown` has begun: a long job (a backup, a restore's check) should stop at its
        next step, for the shutdown waits for the job under way on each lane."""
        return self._closed

    @property
    def running(self) -> int:
        """The operations submitted and not answered yet, less those kept by :meth:`hold`."""
        with self._hold_lock:
            return len(self._callbacks) - len(self._held or ())

    def shutdown(self, *, dispose: bool = True) -> None:
        """Finish the running operations, drop queued ones and close the database connections."""
        if self._closed:
            return
        self._closed = True
        with self._reads_done:
            self._reads_done.notify_all()  # a count waiting for the interactive lane runs now
        for hold in list(self._held_writes):
            hold.release()  # the writes held back run now, before the lanes close
        wait(self._held_futures)
        for executor in self._executors.values():
            executor.shutdown(wait=True, cancel_futures=True)
        if self._collects_on_gui_thread:  # no lane runs any more
            self._collects_on_gui_thread = False
            gui_collector.release()
        self._callbacks.clear()
        if dispose and self._database is not None:
            self._database.dispose()
