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
- :meth:`~StartupCollector.release` (注销: the first window goes) gives every frozen object back to
  the collector (``gc.unfreeze``), so the window's own reference cycles are collected after all;
  the next full pass walks the whole heap once, at the sign-out.

Not imported by the tests' ``Startup`` unless they pass a collector: a test process keeps its
collector untouched.
"""

from __future__ import annotations

import gc

#: The collector's first threshold (new container objects between passes) during start-up.
START_GC_THRESHOLD = 200_000


class StartupCollector:
    """The collector's start-up setting; see the module's documentation."""

    def __init__(self) -> None:
        self._previous: tuple[int, int, int] | None = None
        self._begun = False

    @property
    def active(self) -> bool:
        """Between :meth:`begin` and :meth:`end`."""
        return self._previous is not None

    def begin(self) -> None:
        if self._previous is None and not self._begun:
            self._begun = True
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

    def release(self) -> None:
        """After the start-up (a sign-out): what was frozen is the collector's again."""
        if self._begun and self._previous is None:
            gc.unfreeze()
