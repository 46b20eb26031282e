"""Python's garbage collector during the desktop app's start-up (issue 20 item 1).

Start-up makes some 300,000 long-lived objects (the modules, classes and functions of SQLAlchemy,
the models, the services and the windows, and Qt's wrappers) and almost no garbage: ~2,600
unreachable objects by the first rows. With Python's default thresholds the cyclic collector
nevertheless ran ~280 times before the first rows, twice over the whole heap, each pass holding
Python's lock while it walked those objects: 1.5–2.4 s of wall time at load 8, 0.4–1.1 s of it
(~45 passes) between an instant Enter on the login and the first case rows.

:class:`StartupCollector` is begun by the entry point before Qt is imported and ended by
``ui.app.Startup`` once the first rows are shown (or when the app closes first):

- meanwhile the collector runs after START_GC_THRESHOLD new objects instead of 700, so it still
  runs, just far more rarely;
- :meth:`~StartupCollector.settle`, called after each large batch of imports, moves every object
  alive then out of the collector's sight for good (``gc.freeze``): no later pass, during the start
  or the whole session, walks the modules again. Garbage alive at that moment (a few thousand
  objects at most, see above) is never collected; everything made afterwards is, as usual;
- :meth:`~StartupCollector.end` settles once more and puts the previous thresholds back;
- :func:`keep_made` (after the start-up, when a part of the window that lives as long as it has
  been made: a section on its first show, a case section's detail page, a case's work tab) collects
  the young generations and moves what is alive out of the collector's sight, as the start-up
  does. Without it every *full* pass walked each section, page and tab made so far (their widgets'
  wrappers, dicts, bound methods and closures): with the sections of a head's walk made, full
  passes walked 34,000–57,000 objects, 17–38 ms of CPU each, held Python's lock 57–170 ms at load
  4–5 (a read lane's thread holding it is preempted) and froze the window as long;
  :func:`keep_made_later` does it a moment later, out of the turn of the click that made the part
  (the pass took 5–30 ms of a first show's frozen turn);
- :meth:`~StartupCollector.release` (注销: the first window goes) gives every frozen object back to
  the collector (``gc.unfreeze``), so the window's own reference cycles are collected after all;
  :meth:`~StartupCollector.resettle`, once the window is destroyed, collects the whole heap once
  (at the login dialog) and freezes what is left again, so the next person's window is not walked
  with the whole heap by every full pass (~450,000 objects: ~200 ms a pass).

Not imported by the tests' ``Startup`` unless they pass a collector: a test process keeps its
collector untouched.
"""

from __future__ import annotations

import gc

#: The collector's first threshold (new container objects between passes) during start-up.
START_GC_THRESHOLD = 200_000

#: The app's setting once begun (``keep_made`` asks it); none in a test process that begins none.
_CURRENT: list[StartupCollector] = []
#: How long after a part of the window is made :func:`keep_made_later` keeps it (ms): after the
#: click's turn, the part's first paint and (mostly) its reads' answers.
KEEP_LATER_MS = 500
_keep_pending: list[bool] = []


def keep_made() -> None:
    """A part of the window that lives as long as it has just been made (on the GUI thread): out
    of the collector's sight, as the start-up's objects (see the module's text). Nothing unless the
    app's collector setting was begun and its start-up has ended."""
    for collector in _CURRENT[-1:]:
        collector.keep()


def keep_made_later() -> None:
    """:func:`keep_made`, :data:`KEEP_LATER_MS` from now on the GUI thread's event loop (one pass
    for all the parts made meanwhile): the turn that made the part does not also run the pass.
    Without a Qt application, at once."""
    if not _CURRENT:
        return
    from PySide6.QtCore import QCoreApplication, QTimer

    if QCoreApplication.instance() is None:
        keep_made()
        return
    if _keep_pending:
        return
    _keep_pending.append(True)

    def keep() -> None:
        _keep_pending.clear()
        keep_made()

    QTimer.singleShot(KEEP_LATER_MS, keep)


class StartupCollector:
    """The collector's start-up setting; see the module's documentation."""

    def __init__(self) -> None:
        self._previous: tuple[int, int, int] | None = None
        self._begun = False
        #: Between a sign-out's :meth:`release` and :meth:`resettle`: nothing may be frozen then
        #: (the window that goes would be, with its cycles).
        self._released = False

    @property
    def active(self) -> bool:
        """Between :meth:`begin` and :meth:`end`."""
        return self._previous is not None

    def begin(self) -> None:
        if self._previous is None and not self._begun:
            self._begun = True
            _CURRENT[:] = [self]
            previous = gc.get_threshold()
            self._previous = (previous[0], previous[1], previous[2])
            gc.set_threshold(max(START_GC_THRESHOLD, previous[0]), previous[1], previous[2])

    def settle(self) -> None:
        """After a batch of imports (from any thread): what is alive now lives as long as the
        app; also after :meth:`end` (the warm-up's later imports), not before :meth:`begin`."""
        if self._begun:
            gc.freeze()

    def end(self) -> None:
        previous, self._previous = self._previous, None
        if previous is not None:
            gc.freeze()
            gc.set_threshold(*previous)

    def keep(self) -> None:
        """After the start-up: the young garbage collected (a cheap pass over the new objects
        only), then everything alive is frozen (see :func:`keep_made`). Garbage already old stays
        frozen until the next sign-out's :meth:`release` — as with the start-up's."""
        if self._begun and self._previous is None and not self._released:
            gc.collect(1)
            gc.freeze()

    def release(self) -> None:
        """After the start-up (a sign-out): what was frozen is the collector's again."""
        if self._begun and self._previous is None:
            self._released = True
            gc.unfreeze()

    def resettle(self) -> None:
        """After :meth:`release`, once the window that went is destroyed: one full pass collects
        it, and what is left (the modules, the login dialog) is frozen again."""
        if self._released:
            self._released = False
            gc.collect()
            gc.freeze()
