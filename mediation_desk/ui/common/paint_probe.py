"""Start-up timing marks for ``bench/startup.py``: off unless ``MEDIATION_DESK_PAINT_PROBE`` is set.

When it is, :func:`install` (called by ``ui.app.run`` right after the ``QApplication`` exists,
and by the bench's bare-Qt floor the same way) watches paint events through an application event
filter and prints one line per mark on stdout, ``PAINT_PROBE <mark> <time.monotonic()>``:

- ``window <class>``: the first paint event of any top-level window (the login dialog; the floor's
  ``QMainWindow``);
- ``ready``: the login dialog's 登录 button was first seen enabled (the database open and checked);
- ``typing_stall <ms>``: just before ``enter``, the longest the dialog did not answer the probe's
  5 ms timer from its first paint on (the window frozen while the person types);
- ``enter``: with ``MEDIATION_DESK_PAINT_PROBE_LOGIN=user:password``, the moment the probe pressed
  Enter in the login dialog's password field, once its 登录 button was enabled (the database open)
  and ``MEDIATION_DESK_PAINT_PROBE_TYPING_MS`` after the dialog's first paint, as a person does
  after typing;
- ``accepted``: the login's answer reached the dialog (the password checked; the sign-in's
  bookkeeping is written after the first rows), before the main window is shown (it is made
  during the check, ``ui.app.Startup``, so this mark comes once both the check and the window
  are done);
- ``rows <view>``: the first paint of an item view's viewport in a main window while its model has
  rows: the first case rows a person sees. The probe then removes its filter and ends the app.

``time.monotonic()`` is the system's monotonic clock, so the bench compares it with its own
reading taken just before it started the process. Nothing here runs for a person's start.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMainWindow, QPushButton, QWidget

#: Set to print the marks; ``quit`` also ends the app after its last mark (the first window's paint
#: without a login to make, else the first rows).
PROBE_ENV = "MEDIATION_DESK_PAINT_PROBE"
#: ``user:password``: sign in by Enter once the login can be submitted, and quit after the first rows.
LOGIN_ENV = "MEDIATION_DESK_PAINT_PROBE_LOGIN"
#: Milliseconds from the login's first paint before the probe presses Enter at the earliest: the
#: time a person takes to read the dialog and type the password (0: as soon as 登录 is enabled).
TYPING_ENV = "MEDIATION_DESK_PAINT_PROBE_TYPING_MS"
#: Every mark line starts with this.
PREFIX = "PAINT_PROBE"
#: How often the probe looks whether the login can be submitted (a person takes far longer to type).
POLL_MS = 5


def enabled() -> bool:
    return bool(os.environ.get(PROBE_ENV))


def mark(name: str) -> None:
    sys.stdout.write(f"{PREFIX} {name} {time.monotonic():.6f}\n")
    sys.stdout.flush()


class PaintProbe(QObject):
    def __init__(self, app: QCoreApplication, login: tuple[str, str] | None = None, *,
                 quit_after: bool = False) -> None:
        super().__init__(app)
        self._app = app
        self._login = login
        self._quit_after = quit_after
        self._typing_s = int(os.environ.get(TYPING_ENV) or 0) / 1000
        self._painted_at = 0.0
        self._ready_seen = False
        self._window_seen = False
        self._entered = False
        self._last_poll = 0.0
        self._worst_gap = 0.0
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._try_login)
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            self._painted(watched)
        return False

    def _painted(self, widget: QWidget) -> None:
        if not self._window_seen:
            self._window_seen = True
            self._painted_at = time.monotonic()
            mark(f"window {type(widget.window()).__name__}")
            if self._login is None:
                self._done()
                return
            self._poll.start()
            return
        if not self._entered:
            return
        view = widget.parent()
        if (isinstance(view, QAbstractItemView) and widget is view.viewport()
                and isinstance(widget.window(), QMainWindow)):
            model = view.model()
            if model is not None and model.rowCount() > 0:
                mark(f"rows {view.objectName() or type(view).__name__}")
                self._done()

    def _done(self) -> None:
        self._app.removeEventFilter(self)
        if self._quit_after:
            QTimer.singleShot(0, lambda: QCoreApplication.exit(0))

    def _try_login(self) -> None:
        assert self._login is not None
        now = time.monotonic()
        if self._last_poll:
            self._worst_gap = max(self._worst_gap, now - self._last_poll)
        self._last_poll = now
        for window in QApplication.topLevelWidgets():
            button = getattr(window, "login_button", None)
            if not (window.isVisible() and isinstance(button, QPushButton) and button.isEnabled()):
                continue
            username, password = window.findChild(QLineEdit, "username"), window.findChild(QLineEdit, "password")
            if username is None or password is None:
                continue
            if not self._ready_seen:
                self._ready_seen = True
                mark("ready")
            if time.monotonic() - self._painted_at < self._typing_s:
                return
            self._poll.stop()
            username.setText(self._login[0])
            password.setText(self._login[1])
            password.setFocus()
            # The dialog's own handler of the answer, wrapped on this instance (submit() reads it
            # when Enter is pressed): the mark comes before the main window is built.
            window._logged_in = _marked(window._logged_in)  # type: ignore[attr-defined]
            self._entered = True
            mark(f"typing_stall {self._worst_gap * 1000:.1f}")
            mark("enter")
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(password, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
            return


def _marked(answered: Callable[[object], None]) -> Callable[[object], None]:
    def accepted(actor: object) -> None:
        mark("accepted")
        answered(actor)

    return accepted


def install(app: QCoreApplication) -> PaintProbe | None:
    """The probe, when the environment asks for it (``None`` otherwise)."""
    if not enabled():
        return None
    login = os.environ.get(LOGIN_ENV)
    credentials = tuple(login.split(":", 1)) if login and ":" in login else None
    return PaintProbe(app, credentials, quit_after=os.environ[PROBE_ENV] == "quit")  # type: ignore[arg-type]
