"""A screen that shows one page read from the database: :class:`LoadedPage` (Vorta's ``BaseTab``
idea on our task runner).

A subclass says what its page is and how to show it:

- :meth:`LoadedPage.reader` gives the function that reads the page on the read lane (a services
  function such as ``services.pages.agreement_page``). It is made on the GUI thread when the read
  is submitted, from the plain values the screen holds then (an id, the actor, the day), and
  closes over those only: it runs on a worker thread, and it is dropped there with its job, so it
  must not hold the screen (a bound method would): a screen whose last reference went with it
  would be deleted off the GUI thread.
- :meth:`LoadedPage.show_page` puts the page on screen, on the GUI thread. (Not ``show``: that is
  QWidget's.)
- :meth:`LoadedPage.concerns` decides whether a write's :class:`Changes` calls for reading again.
  A page out of sight (behind another section's tab, in a minimised window) only marks itself
  stale then, and reads when it is next shown (:class:`RefreshWhenShown`): a save on a case page
  does not queue the hidden desk's reads ahead of it.

The base keeps the bookkeeping each screen used to repeat: one error label for a failed read, and a
generation count so that a page arriving after the user moved on (another case chosen, another day,
a newer read under way) is dropped instead of painted over the newer one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from mediation_desk.changes import Changes
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskHandle, TaskRunner
from mediation_desk.ui.common.widgets import RefreshWhenShown, error_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

P = TypeVar("P")


class LoadedPage(QWidget, Generic[P]):
    """A widget whose content is one page of type ``P``, read off the GUI thread."""

    #: A page arrived and was shown.
    loaded = Signal()
    #: A read answered, with a page (after :attr:`loaded`) or with a failure (its message shown).
    answered = Signal()
    #: The lane the page is read on: the interactive one, or the slow one for a panel whose read
    #: may take long and that nobody waits for (it must not hold up the lists a person opens).
    lane: ClassVar[Lane] = Lane.READ

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, *,
                 error_name: str = "pageLoadError") -> None:
        super().__init__(parent)
        self._runner = runner
        self._generation = 0
        self._page: P | None = None
        #: Reads a page that a change concerned while it was out of sight when it is next shown.
        self.loading = RefreshWhenShown(self, self.reload)
        #: The last read submitted.
        self._read_handle: TaskHandle | None = None
        #: Where a failed read says why; the subclass puts it in its layout.
        self.load_error: QLabel = error_label(error_name)
        runner.changed.connect(self._changed)

    # ------------------------------------------------------------------ what a subclass says

    def reader(self) -> Callable[[Session], P]:
        """(GUI thread.) What reads the page on the read lane: a function of the session that closes
        over the plain values it needs, never over the page itself."""
        raise NotImplementedError

    def show_page(self, page: P) -> None:
        """Show a page that has just been read (on the GUI thread)."""
        raise NotImplementedError

    def concerns(self, changes: Changes) -> bool:
        """Whether a write elsewhere changed what this page shows."""
        del changes
        return False

    def can_load(self) -> bool:
        """Whether there is anything to read yet (a case tab before a case is chosen has not)."""
        return True

    # ------------------------------------------------------------------ the bookkeeping

    @property
    def stale(self) -> bool:
        """A change concerned the page while it was out of sight: it reads when next shown."""
        return self.loading.stale

    @property
    def page(self) -> P | None:
        """The page on screen, or None before the first one arrived."""
        return self._page

    def reload(self) -> None:
        """Read the page again; an older read still under way will be ignored when it arrives."""
        if not self.can_load():
            return
        self.loading.stale = False
        self._generation += 1
        generation = self._generation
        self._read_handle = self._runner.run_read(
            self.reader(), on_success=lambda page: self._arrived(generation, page),
            on_error=lambda failure: self._failed(generation, failure), lane=self.lane)

    def forget(self) -> None:
        """Drop the page on screen and any read under way (the user chose something else)."""
        self._generation += 1
        self._page = None

    def _arrived(self, generation: int, page: P) -> None:
        if generation != self._generation:
            return
        self._page = page
        self.load_error.hide()
        self.show_page(page)
        self.loaded.emit()
        self.answered.emit()

    def _failed(self, generation: int, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        self.load_error.setText(failure.message)
        self.load_error.show()
        self.answered.emit()

    def _changed(self, changes: Changes) -> None:
        if self.can_load() and self.concerns(changes) and not self.loading.defer() and not self.read_queued():
            self.reload()

    def read_queued(self) -> bool:
        """Whether a read of the page is submitted and not started yet: it will see every write
        committed before it starts, so a change notice needs no second read (a save's own callback
        and its notice both asked for one)."""
        reading = self._read_handle
        return reading is not None and not reading.started and not reading.cancelled


__all__ = ["LoadedPage"]
