"""Python's cyclic garbage collector runs on the GUI thread only, while worker threads run Python.

CPython runs a collection on whichever thread's allocation crosses the collector's threshold. With
the task runner's lanes busy (a read lane makes most of the objects while a list loads), that is
most often a lane: every window, model, store, timer and runner that had become garbage in a
reference cycle was then destroyed *on the lane*, its Qt objects included, while the GUI thread's
event loop went on delivering events to them. Qt objects must be deleted on their own thread: the
case list bench's child process, dropping one round's model, runner and database for the next,
died of a segmentation fault in about one run in fifteen (the GUI thread delivering a queued
signal to an object just freed on a lane; measured: 5 of 6 rounds' models and runners were freed
on the next round's read lane). A desk does the same at 注销 (the window's models and closures
become garbage) and whenever a dialog or a section's model goes.

While a :class:`~mediation_desk.ui.common.tasks.TaskRunner` with threaded lanes exists
(:func:`acquire` / :func:`release`), automatic collection is switched off and a timer on the GUI
thread runs it instead, by CPython's own rule: the oldest generation whose count exceeds its
threshold (``gc.get_threshold``, so the start-up setting of ``collector.py`` still applies), a
full collection only once the objects moved to the oldest generation since the last one are a
quarter of those it held then (CPython's guard against quadratic full passes). A worker thread
never collects; garbage waits at most one tick. Explicit ``gc.collect()`` calls (on the GUI
thread: ``collector.py``) go on as before. Without a Qt application, or off the GUI thread,
nothing changes.

A lane's job that makes only plain data for seconds — the head's risk briefing (风险研判) reads
some 370,000 ids and 120,000 rows of the 1M demo into sets, dicts and tuples, none in a reference
cycle — kept the youngest generation over its threshold at every tick: ~40 passes a briefing, each
examining what the job had made since the last (the id sets, the rows not yet untracked), 200–300 ms
of the GUI thread's CPU, while it held Python's lock (the job waiting) — at load 4, 0.5–0.8 s of
wall time. Inside :func:`plain_data` the ticks leave the collection for later, unless the objects
made since the last pass reach :data:`PLAIN_DEFER_MOST` (a pass over that many stays short); once
the last such job ends, the next tick runs what is due (one pass over what the job left alive).
Garbage in cycles — a window's Qt objects among it — waits for it on the GUI thread: still never
collected on a lane.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from PySide6.QtCore import QCoreApplication, QThread, QTimer

log = logging.getLogger(__name__)

#: How often the GUI thread looks whether a collection is due (ms). Garbage in cycles waits at
#: most this long; the look itself costs microseconds.
TICK_MS = 100
#: Inside :func:`plain_data`, the ticks leave collections for later until this many objects were
#: made since the last pass (the youngest generation's count): a pass examining them stays a few
#: tens of milliseconds. The 1M demo's briefing
#: reaches ~70,000 (~190,000 with its graded list kept as rows).
PLAIN_DEFER_MOST = 500_000


class _GuiThreadCollection:
    def __init__(self) -> None:
        self.users = 0
        self.timer: QTimer | None = None
        #: Automatic collection was on when the first user came (restored when the last goes).
        self.was_enabled = False
        #: CPython's long_lived_total and long_lived_pending, kept here: objects in the oldest
        #: generation after the last full collection (listed once, at the first acquire: ~30 ms for
        #: 100,000 objects; estimated afterwards), and moved there since.
        self.long_lived_total = 0
        self.long_lived_pending = 0
        #: How many jobs are inside :func:`plain_data` now (from any thread; under ``_plain_lock``).
        self.plain = 0
        self._plain_lock = threading.Lock()

    @contextmanager
    def plain_data(self) -> Iterator[None]:
        with self._plain_lock:
            self.plain += 1
        try:
            yield
        finally:
            with self._plain_lock:
                self.plain -= 1

    def acquire(self) -> bool:
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return False
        self.users += 1
        if self.users == 1:
            self.was_enabled = gc.isenabled()
            if self.was_enabled:
                gc.disable()
                self.long_lived_total = len(gc.get_objects(generation=2))
                self.long_lived_pending = 0
                self.timer = QTimer()
                self.timer.setInterval(TICK_MS)
                self.timer.timeout.connect(self.collect_due)
                self.timer.start()
        return True

    def release(self) -> None:
        if self.users == 0:
            return
        self.users -= 1
        if self.users == 0:
            if self.timer is not None:
                self.timer.stop()
                self.timer = None
            if self.was_enabled:
                gc.enable()

    def collect_due(self) -> None:
        """The collection CPython would have run by now, if any (``gc_collect_generations``)."""
        if gc.isenabled():
            gc.disable()  # someone switched it back on (a library restoring what it found)
        threshold, count = gc.get_threshold(), gc.get_count()
        if not threshold[0] or count[0] <= threshold[0]:
            return
        if self.plain and count[0] < PLAIN_DEFER_MOST:
            return  # a job making plain data runs: its objects examined once, when it has ended
        for generation in (2, 1, 0):
            if count[generation] <= threshold[generation]:
                continue
            if generation == 2 and self.long_lived_pending < self.long_lived_total // 4:
                continue
            if generation == 1:  # its survivors (of generations 0 and 1) move to the oldest
                examined = len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
                self.long_lived_pending += max(examined - gc.collect(1), 0)
            elif generation == 2:  # what stays in the oldest generation, without listing it again
                collected = gc.collect(2)
                self.long_lived_total = max(self.long_lived_total + self.long_lived_pending - collected, 0)
                self.long_lived_pending = 0
            else:
                gc.collect(0)
            return


_COLLECTION = _GuiThreadCollection()


def acquire() -> bool:
    """From now on, until the matching :func:`release`, the cyclic collector runs on the GUI thread
    only. Call on the GUI thread; False (and nothing changed) without a Qt application or off it."""
    return _COLLECTION.acquire()


def release() -> None:
    """The end of one :func:`acquire` that returned True: after the last, automatic collection is
    back as it was (its worker threads must have stopped by then)."""
    _COLLECTION.release()


def plain_data() -> AbstractContextManager[None]:
    """Around a lane's job that makes many objects, none of them Qt's nor in reference cycles (a
    large read made into sets, dicts and tuples): meanwhile the GUI thread's ticks leave the
    collection for later (see the module's text). Any thread; nestable; nothing else changes."""
    return _COLLECTION.plain_data()


def deferring() -> bool:
    """Whether a job inside :func:`plain_data` runs now (the ticks leave the collection for later)."""
    return _COLLECTION.plain > 0


def active() -> bool:
    """Whether the collector runs on the GUI thread only now."""
    return _COLLECTION.timer is not None
