"""Lock the desk after some minutes without input; the same user's password unlocks it.

:class:`IdleLock` is an application-wide event filter. Every key, click, wheel turn or mouse move
restarts a single-shot timer; when it fires, every visible window of the app is *covered* (a
child widget over its whole area), never closed or hidden, so forms keep what was typed, dialogs
stay where they were, and unlocking gives everything back as it was, focus included. The unlock
form sits on the window that takes input: the open modal dialog if there is one (the main window
does not get input under it), else the main window.

While locked, keyboard and mouse events for anything outside the unlock form are swallowed, so
no shortcut or menu mnemonic reaches the data underneath. The password is checked by
``auth.unlock`` on the write lane: wrong passwords count towards the five-failure lockout and
are in the audit log like a login's.

The time comes from the center setting ``idle_lock_minutes`` (default 10; 0 turns it off).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk import APP_TITLE
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor

DEFAULT_MINUTES = 10

#: What counts as the user being there.
_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.InputMethod, QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
})
#: What must not reach the windows underneath while locked.
_BLOCKED = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel, QEvent.Type.InputMethod, QEvent.Type.ContextMenu, QEvent.Type.TouchBegin,
    QEvent.Type.DragEnter, QEvent.Type.Drop,
})


class LockCover(QWidget):
    """Covers one window. The one on the window that takes input carries the unlock form."""

    def __init__(self, window: QWidget, lock: IdleLock, *, with_form: bool) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover { background-color: #37474f; }")
        self.password: QLineEdit | None = None
        self.unlock_button: QPushButton | None = None
        self.sign_out_button: QPushButton | None = None
        self.message: QLabel | None = None
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        panel = QFrame()
        panel.setObjectName("lockPanel")
        panel.setStyleSheet("#lockPanel { background-color: white; border-radius: 6px; }")
        panel.setMinimumWidth(380)
        panel.setMaximumWidth(480)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(24, 20, 24, 20)
        title = QLabel(lock.tr("{app} is locked").format(app=APP_TITLE))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        inner.addWidget(title)
        if with_form:
            who = QLabel(lock.tr("The desk was locked after {minutes} minutes without use. {name} ({user}): "
                                 "enter your password to continue. What you had typed is kept.").format(
                minutes=lock.minutes, name=lock.actor.display_name, user=lock.actor.username))
            who.setWordWrap(True)
            inner.addWidget(who)
            self.password = named(QLineEdit(), "unlockPassword")
            self.password.setEchoMode(QLineEdit.EchoMode.Password)
            self.password.setPlaceholderText(lock.tr("Password"))
            inner.addWidget(self.password)
            self.message = named(QLabel(), "unlockMessage")
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setWordWrap(True)
            self.message.hide()
            inner.addWidget(self.message)
            buttons = QHBoxLayout()
            self.sign_out_button = named(QPushButton(lock.tr("Sign out…")), "signOutButton")
            self.unlock_button = named(QPushButton(lock.tr("Unlock")), "unlockButton")
            self.unlock_button.setDefault(True)
            buttons.addWidget(self.sign_out_button)
            buttons.addStretch(1)
            buttons.addWidget(self.unlock_button)
            inner.addLayout(buttons)
            self.password.returnPressed.connect(lock.submit)
            self.unlock_button.clicked.connect(lock.submit)
            self.sign_out_button.clicked.connect(lock.sign_out_requested)
        else:
            hint = QLabel(lock.tr("Unlock the desk in its main window."))
            hint.setWordWrap(True)
            inner.addWidget(hint)
        row.addWidget(panel)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.setGeometry(window.rect())
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


class IdleLock(QObject):
    """Locks ``window`` (and every other window of the app) after ``minutes`` without input."""

    locked = Signal()
    unlocked = Signal(object)  # the refreshed Actor
    #: The user chose "sign out" on the lock screen (the integrator signs out, unless input would be lost).
    sign_out_requested = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, window: QWidget, *, minutes: int | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self.runner = runner
        self.actor = actor
        self.window = window
        self.minutes = DEFAULT_MINUTES
        self.covers: list[LockCover] = []
        self.form: LockCover | None = None
        self._focus: QWidget | None = None
        self._busy = False
        self._enabled = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        if minutes is None:
            self.set_minutes(DEFAULT_MINUTES)
            runner.run_read(self._read_minutes, on_success=self.set_minutes)
        else:
            self.set_minutes(minutes)

    @staticmethod
    def _read_minutes(session: Session) -> int:
        from mediation_desk.services import auth

        return auth.idle_lock_minutes(session)

    def install(self) -> IdleLock:
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        return self

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()

    def set_minutes(self, minutes: int) -> None:
        """0 turns the lock off."""
        self.minutes = minutes
        self.set_interval_ms(minutes * 60_000)

    def set_interval_ms(self, milliseconds: int) -> None:
        self.timer.stop()
        self._enabled = milliseconds > 0
        if self._enabled:
            self.timer.setInterval(milliseconds)
            if not self.is_locked:
                self.timer.start()

    @property
    def is_locked(self) -> bool:
        return bool(self.covers)

    # ------------------------------------------------------------------ events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.is_locked:
            if kind == QEvent.Type.Shortcut:
                # Sent to the action or shortcut object, not to a widget: none may fire.
                return not self._inside_form(watched)
            # Input reaches a widget through its window object first; the widget is filtered.
            return kind in _BLOCKED and isinstance(watched, QWidget) and not self._inside_form(watched)
        if kind in _ACTIVITY and self._enabled:
            self.timer.start()  # restart the countdown
        return False

    def _inside_form(self, watched: QObject) -> bool:
        form = self.form
        node: QObject | None = watched
        while form is not None and node is not None:
            if node is form:
                return True
            node = node.parent()
        return False

    # ------------------------------------------------------------------ locking

    def lock(self) -> None:
        if self.is_locked:
            return
        self.timer.stop()
        self._focus = QApplication.focusWidget()
        modal = QApplication.activeModalWidget()
        form_window = modal if modal is not None and modal.isVisible() else self.window
        windows = [w for w in QApplication.topLevelWidgets()
                   if w.isVisible() and not w.isHidden() and w.windowType() != Qt.WindowType.ToolTip]
        if form_window not in windows:
            windows.append(form_window)
        for window in windows:
            cover = LockCover(window, self, with_form=window is form_window)
            cover.show()
            cover.raise_()
            self.covers.append(cover)
            if window is form_window:
                self.form = cover
        if self.form is not None and self.form.password is not None:
            self.form.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.locked.emit()

    def submit(self) -> None:
        form = self.form
        if self._busy or form is None or form.password is None or form.message is None:
            return
        password = form.password.text()
        if not password:
            form.message.setText(self.tr("Enter your password."))
            form.message.show()
            return
        database = self.runner.database
        actor = self.actor

        def job() -> Actor:
            from mediation_desk.services import auth

            return auth.unlock(database, actor, password)

        self._busy = True
        if form.unlock_button is not None:
            form.unlock_button.setEnabled(False)
        self.runner.run_job(job, on_success=self._unlocked, on_error=self._refused, lane=Lane.WRITE)

    def _refused(self, failure: TaskFailure) -> None:
        self._busy = False
        form = self.form
        if form is None or form.password is None or form.message is None:
            return
        if form.unlock_button is not None:
            form.unlock_button.setEnabled(True)
        form.message.setText(failure.message)
        form.message.show()
        form.password.clear()
        form.password.setFocus()

    def _unlocked(self, actor: Actor) -> None:
        self._busy = False
        self.actor = actor
        self.unlock()
        self.unlocked.emit(actor)

    def unlock(self) -> None:
        """Take the covers away (after the password was accepted) and give the focus back."""
        for cover in self.covers:
            parent = cover.parentWidget()
            if parent is not None:
                parent.removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        self.covers = []
        self.form = None
        if self._focus is not None:
            with contextlib.suppress(RuntimeError):  # the widget was deleted meanwhile
                self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = None
        if self._enabled:
            self.timer.start()


def install_idle_lock(runner: TaskRunner, actor: Actor, window: QWidget) -> IdleLock:
    """Create the lock for the main window and install it on the application (the one line for
    the start-up code)."""
    return IdleLock(runner, actor, window).install()
