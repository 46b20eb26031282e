"""The login dialog.

It is the first window the user sees, so it paints before the database layer is imported: the
services are imported inside the operations, which run on the write lane (a failed login is
written: five in a row lock the account). The service's message is shown under the fields as it
is; the user name stays, the password is cleared.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk import APP_TITLE, settings
from mediation_desk.ui.common.i18n import enum_text
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.auth import SignIn
    from mediation_desk.services.pages import CenterInfo
    from mediation_desk.ui.shell.password_change import PasswordChangeDialog

ERROR_STYLE = "color: #c62828;"




def remembered_username() -> str:
    """The user name of the last sign-in at this desk (in the desk's settings file)."""
    return settings.DeskFile.load().get(settings.LAST_USERNAME)


def remember_username(username: str) -> None:
    if remembered_username() == username:
        return
    with contextlib.suppress(OSError):  # a read-only settings folder only costs typing the name
        settings.update_desk({settings.LAST_USERNAME: username})


class LoginDialog(QDialog):
    #: The ``Actor`` of a successful login.
    logged_in = Signal(object)
    #: The account whose password is now being checked, as the ``Actor`` it becomes if the password
    #: is right: emitted on the write lane just before the check (``auth.authenticate``), so Qt
    #: queues it to the GUI thread, where start-up makes the main window during the check.
    verifying = Signal(object)
    #: Enter or 登录: the user name and password went to be checked.
    submitted = Signal()
    #: The check ended without a sign-in now: refused, failed, or a password to change first.
    not_signed_in = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._busy = False
        self._ready = False
        self.actor: Actor | None = None
        self.password_change: PasswordChangeDialog | None = None
        self.center: CenterInfo | None = None
        #: Called on the write lane the moment a sign-in's password is verified, before the
        #: sign-in is written (``auth.authenticate``'s ``verified``): start-up lets the reads of the
        #: window made during the check run then (``TaskRunner.admit``). Never touches a widget, nor
        #: holds a Qt object: the sign-in's job holds it, and a job is dropped on its lane's thread.
        #: Read when the sign-in is submitted, after :attr:`submitted` (start-up sets it then).
        self.on_verified: Callable[[Actor], None] | None = None
        #: Whoever signs in through this dialog writes a right password's bookkeeping (the audit
        #: entry, the last login, the counter reset) after the first rows are painted
        #: (``auth.authenticate``'s ``later``; start-up sets this and takes it with
        #: :meth:`take_sign_in`); False: written before the answer, as ``auth.login`` does alone.
        self.records_later = False
        self._sign_in: SignIn | None = None
        self.setWindowTitle(self.tr("{app} — Sign in").format(app=APP_TITLE))

        self.center_label = named(QLabel(APP_TITLE), "centerName")
        heading = QFont(self.center_label.font())
        heading.setPointSizeF(heading.pointSizeF() * 1.3)
        heading.setBold(True)
        self.center_label.setFont(heading)
        self.center_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.center_label.setWordWrap(True)

        self.username = named(QLineEdit(), "username")
        self.username.setMaxLength(40)
        self.password = named(QLineEdit(), "password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = named(QLabel(), "loginError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.status_label = named(QLabel(), "loginStatus")
        self.status_label.setWordWrap(True)
        self.demo_hint = named(QLabel(), "demoHint")
        self.demo_hint.setWordWrap(True)
        self.demo_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_hint.setStyleSheet("background: #fff8e1; border: 1px solid #ffe082; padding: 6px;")
        self.demo_hint.hide()

        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)

        self.buttons = QDialogButtonBox()
        self.login_button = named(QPushButton(self.tr("Sign in")), "loginButton")
        self.login_button.setDefault(True)
        self.quit_button = named(QPushButton(self.tr("Quit")), "quitButton")
        self.buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        # Clicking "Sign in" must not close the dialog before the password is checked.
        self.login_button.clicked.connect(self.submit)
        self.quit_button.clicked.connect(self.reject)

        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.center_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.demo_hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.username.setFocus()
        last = remembered_username()
        if last:
            # The desk's usual user types only the password.
            self.username.setText(last)
            self.password.setFocus()

        if runner.has_database:
            self.database_ready()
        else:
            self._set_status(self.tr("Opening the database…"))
            self._update_enabled()

    def prepare_next_login(self) -> None:
        """After 注销/切换用户: the last user name stays (selected, so another user just types
        theirs over it); password and messages are cleared."""
        self.actor = None
        self.password.clear()
        self.error_label.hide()
        self._set_status("")
        self._busy = False
        self._update_enabled()
        self.username.selectAll()
        (self.password if self.username.text() else self.username).setFocus()

    # ------------------------------------------------------------------ start-up

    def database_ready(self) -> None:
        """The database is open and current: read what to say about the center, allow logins."""
        self._ready = True
        self._set_status("")
        self._update_enabled()

        def work(session: Session) -> CenterInfo:
            # Imported on the worker: this dialog paints before the database layer is loaded.
            from mediation_desk.services import pages

            return pages.center_info(session)

        self._runner.run_read(work, on_success=self.show_center, on_error=self._show_failure)

    def show_center(self, info: CenterInfo) -> None:
        self.center = info
        self.center_label.setText(f"{APP_TITLE}\n{info.name}")
        if info.is_demo:
            accounts = self.tr(", ").join(
                self.tr("{user} ({role})").format(user=user, role=enum_text(role))
                for user, role in info.demo_accounts
            )
            self.demo_hint.setText(
                self.tr("This is a demo center with invented cases. Accounts: {accounts}; the password "
                        "of each is {password}.").format(accounts=accounts, password=info.demo_password)
            )
            self.demo_hint.show()
        else:
            self.demo_hint.hide()
        self._fit()

    # ------------------------------------------------------------------ login

    def submit(self) -> None:
        if self._busy or not self._ready:
            return
        username, password = self.username.text(), self.password.text()
        database = self._runner.database
        self._busy = True
        self._sign_in = None
        self.error_label.hide()
        self._set_status(self.tr("Signing in…"))
        self._update_enabled()
        self.submitted.emit()
        # The job holds what it needs, never the dialog: it is dropped on the write lane's thread.
        verifying = self.verifying.emit  # a signal does not keep its dialog alive
        verified = self.on_verified
        kept: list[SignIn] = []
        later = kept.append if self.records_later else None

        def job() -> tuple[Actor, SignIn | None]:
            from mediation_desk.services import auth

            actor = auth.login(database, username, password, verifying=verifying, verified=verified, later=later)
            return actor, (kept[0] if kept else None)

        self._runner.run_job(job, on_success=self._answered, on_error=self._failed, lane=Lane.WRITE)

    def _answered(self, answer: tuple[Actor, SignIn | None]) -> None:
        actor, self._sign_in = answer  # the bookkeeping still to be written, taken by take_sign_in()
        self._logged_in(actor)

    def _logged_in(self, actor: Actor) -> None:
        self._busy = False
        self._set_status("")
        self.password.clear()
        if actor.must_change_password:
            # An administrator created or reset this account: no work before a password of one's own.
            self.not_signed_in.emit()
            self._ask_for_new_password(actor)
            return
        self._finish(actor)

    def take_sign_in(self) -> SignIn | None:
        """The last sign-in's bookkeeping still to be written (``auth.record_sign_in``), once."""
        sign_in, self._sign_in = self._sign_in, None
        return sign_in

    def show_message(self, text: str) -> None:
        """A message under the fields (start-up ending a session whose sign-in could not be written)."""
        self.error_label.setText(text)
        self.error_label.show()
        self._fit()

    def _finish(self, actor: Actor) -> None:
        self.actor = actor
        remember_username(actor.username)
        self.logged_in.emit(actor)
        self.accept()

    def _ask_for_new_password(self, actor: Actor) -> None:
        from mediation_desk.ui.shell.password_change import PasswordChangeDialog

        dialog = PasswordChangeDialog(self._runner, actor, forced=True, parent=self)
        self.password_change = dialog
        dialog.password_changed.connect(self._finish)
        dialog.rejected.connect(self._password_change_declined)
        dialog.open()

    def _password_change_declined(self) -> None:
        self._update_enabled()
        self.error_label.setText(self.tr("You must choose a password of your own before you can sign in."))
        self.error_label.show()
        self._fit()
        self.password.setFocus()

    def _failed(self, failure: TaskFailure) -> None:
        self.not_signed_in.emit()
        self._busy = False
        self._set_status("")
        self._update_enabled()
        self._show_failure(failure)
        self.password.clear()
        if failure.field == "username" or not self.username.text().strip():
            self.username.setFocus()
        else:
            self.password.setFocus()

    def _show_failure(self, failure: TaskFailure) -> None:
        self.error_label.setText(failure.message)
        self.error_label.show()
        self._fit()

    def _fit(self) -> None:
        # Grow with the wrapped lines that appeared after the dialog was first laid out; a
        # dialog does not resize itself for them, and the lock message must be read in full.
        self._layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _update_enabled(self) -> None:
        self.login_button.setEnabled(self._ready and not self._busy)
