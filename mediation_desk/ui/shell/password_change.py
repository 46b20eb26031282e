"""Changing one's own password; forced at the first sign-in of an account an administrator created
or reset.

The policy is the service's (``auth.check_password_policy``); the dialog shows it, ticks off the
character classes as they are typed, and shows the service's message under the field it names.
Nothing typed is cleared when the change is refused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
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

from mediation_desk import APP_TITLE
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor

HINT_STYLE = "color: #616161;"
MIN_LENGTH = 8


def _classes(password: str) -> tuple[bool, bool, bool, bool]:
    # The service's own test, imported late: the login screen paints before the services load.
    from mediation_desk.services.auth import password_classes

    return password_classes(password)


class PasswordChangeDialog(QDialog):
    """Old password, new password twice. ``password_changed`` carries the actor without the
    must-change flag once the service accepted the new password."""

    password_changed = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, *, forced: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._busy = False
        self.forced = forced
        self.setWindowTitle(self.tr("{app} — Change password").format(app=APP_TITLE))
        self.setModal(True)

        intro = self.tr("An administrator set the password of {name} ({user}). Choose your own password "
                        "before you start work.") if forced else self.tr(
            "Change the password of {name} ({user}).")
        self.intro = named(QLabel(intro.format(name=actor.display_name, user=actor.username)), "changeIntro")
        self.intro.setWordWrap(True)

        self.old_password = self._password_field("oldPassword")
        self.new_password = self._password_field("newPassword")
        self.repeat_password = self._password_field("repeatPassword")
        # One message under the form (wrapped lines get their height in a box layout, not in a form
        # row); the field it is about gets the focus, with its text selected.
        self.error_label = named(QLabel(), "changeError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.error_field: QLineEdit | None = None
        self.policy = named(QLabel(), "policyHint")
        self.policy.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Current password"), self.old_password)
        form.addRow(self.tr("New password"), self.new_password)
        form.addRow(self.tr("New password again"), self.repeat_password)

        self.buttons = QDialogButtonBox()
        self.ok_button = named(QPushButton(self.tr("Change password")), "changeButton")
        self.ok_button.setDefault(True)
        self.cancel_button = named(QPushButton(self.tr("Sign out") if forced else self.tr("Cancel")),
                                   "cancelButton")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.policy)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.new_password.textChanged.connect(self._update_policy)
        self._update_policy()
        self.old_password.setFocus()

    def _password_field(self, name: str) -> QLineEdit:
        field = named(QLineEdit(), name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMaxLength(128)
        return field

    # ------------------------------------------------------------------ policy hint

    def _update_policy(self) -> None:
        password = self.new_password.text()
        present = _classes(password)
        names = (self.tr("lower case"), self.tr("upper case"), self.tr("digits"), self.tr("symbols"))
        marks = "  ".join(("✔ " if has else "✘ ") + name for name, has in zip(names, present, strict=True))
        long_enough = len(password) >= MIN_LENGTH
        length = self.tr("{n} of at least 8 characters").format(n=len(password))
        self.policy.setText(self.tr("At least 8 characters, from at least three of: lower case, upper case, "
                                    "digits, symbols.") + "\n" + ("✔ " if long_enough else "✘ ") + length
                            + "\n" + marks)
        good = long_enough and sum(present) >= 3
        self.policy.setStyleSheet(OK_STYLE if good else HINT_STYLE)

    # ------------------------------------------------------------------ submitting

    def _clear_errors(self) -> None:
        self.error_label.hide()
        self.error_field = None

    def _show_error(self, field: QLineEdit, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.error_field = field
        field.setFocus()
        field.selectAll()
        # A dialog does not grow by itself for wrapped lines that appear after it was laid out.
        self._layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def submit(self) -> None:
        if self._busy:
            return
        self._clear_errors()
        old, new, again = self.old_password.text(), self.new_password.text(), self.repeat_password.text()
        if not old:
            self._show_error(self.old_password, self.tr("Enter your current password."))
            return
        if new != again:
            self._show_error(self.repeat_password,
                             self.tr("The two new passwords are not the same."))
            return
        actor = self._actor

        def work(session: Session) -> None:
            from mediation_desk.services import auth

            auth.change_password(session, actor, old, new)

        self._busy = True
        self.ok_button.setEnabled(False)
        self._runner.run_write(work, on_success=self._changed, on_error=self._failed)

    def _changed(self, _result: None) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        actor = replace(self._actor, must_change_password=False)
        self.password_changed.emit(actor)
        self.accept()

    def _failed(self, failure: TaskFailure) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        if failure.field == "old_password":
            self._show_error(self.old_password, failure.message)
        else:
            self._show_error(self.new_password, failure.message)
