"""User accounts, for the administrator: list, add, reset a password, activate or deactivate.

Everything goes through ``services.auth``, which checks the actor is an administrator and the
password policy; its messages are shown next to the form that caused them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.models import Role, now
from mediation_desk.services import auth, centers, reference
from mediation_desk.services.auth import UserInfo
from mediation_desk.services.centers import CenterInfo
from mediation_desk.ui.common.format import FINAL_COLOUR, format_time
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.typeahead import type_ahead
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, RowsTable, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.reference import Choice


class UsersModel(RowsModel[UserInfo]):
    COL_USERNAME, COL_NAME, COL_ROLE, COL_STATUS, COL_LAST_LOGIN = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("UsersModel", "User name"),
        QT_TRANSLATE_NOOP("UsersModel", "Name"),
        QT_TRANSLATE_NOOP("UsersModel", "Role"),
        QT_TRANSLATE_NOOP("UsersModel", "Status"),
        QT_TRANSLATE_NOOP("UsersModel", "Last sign-in"),
    )
    CONTEXT = "UsersModel"

    def set_users(self, users: list[UserInfo]) -> None:
        self.set_rows(users)

    def user_at(self, row: int) -> UserInfo | None:
        return self.row_at(row)

    def row_of(self, username: str) -> int | None:
        return next((i for i, u in enumerate(self._rows) if u.username == username), None)

    def text(self, user: UserInfo, column: int) -> str:
        if column == self.COL_USERNAME:
            return user.username
        if column == self.COL_NAME:
            return user.display_name
        if column == self.COL_ROLE:
            return enum_text(user.role)
        if column == self.COL_STATUS:
            return self.status_text(user)
        if column == self.COL_LAST_LOGIN:
            return format_time(user.last_login_at)
        return ""

    def cell(self, user: UserInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QBrush(QColor(FINAL_COLOUR))
        return None

    @staticmethod
    def status_text(user: UserInfo) -> str:
        if not user.active:
            return QCoreApplication.translate("UsersModel", "Deactivated")
        if user.locked_until is not None and user.locked_until > now():
            return QCoreApplication.translate("UsersModel", "Locked until {time}").format(
                time=f"{user.locked_until:%H:%M}")
        if user.must_change_password:
            return QCoreApplication.translate("UsersModel", "Active (must change password)")
        return QCoreApplication.translate("UsersModel", "Active")


class UsersPanel(QWidget):
    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._busy = False

        self.model = UsersModel(self)
        self.table = named(RowsTable(), "usersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in ((UsersModel.COL_USERNAME, 120), (UsersModel.COL_NAME, 110),
                              (UsersModel.COL_ROLE, 110), (UsersModel.COL_STATUS, 200)):
            self.table.horizontalHeader().resizeSection(column, width)
        self.list_error = named(QLabel(), "usersError")
        self.list_error.setStyleSheet(ERROR_STYLE)
        self.list_error.setWordWrap(True)
        self.list_error.hide()

        # ---- add a user
        self.new_username = named(QLineEdit(), "newUsername")
        self.new_display_name = named(QLineEdit(), "newDisplayName")
        self.new_role = named(QComboBox(), "newRole")
        for role in Role:
            # The stored value, not the enum: Qt compares plain strings in findData().
            self.new_role.addItem(enum_text(role), role.value)
        self.new_mediator = type_ahead(named(QComboBox(), "newMediator"))
        self.new_mediator.addItem(self.tr("None"), None)
        #: The account's center (docs/centers.md): shown when the administrator's spans several.
        self.new_center = named(QComboBox(), "newCenter")
        self.new_password = named(QLineEdit(), "newPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_must_change = named(QCheckBox(self.tr("Must change the password at first sign-in")),
                                     "newMustChange")
        self.new_must_change.setChecked(True)
        self.add_button = named(QPushButton(self.tr("Add user")), "addUser")
        self.add_message = named(QLabel(), "addMessage")
        self.add_message.setWordWrap(True)
        self.add_message.hide()
        add_box = QGroupBox(self.tr("New user"))
        add_form = QFormLayout(add_box)
        add_form.addRow(self.tr("User name"), self.new_username)
        add_form.addRow(self.tr("Name"), self.new_display_name)
        add_form.addRow(self.tr("Role"), self.new_role)
        add_form.addRow(self.tr("Center"), self.new_center)
        self._add_form = add_form
        add_form.setRowVisible(self.new_center, False)
        add_form.addRow(self.tr("Mediator record"), self.new_mediator)
        add_form.addRow(self.tr("Initial password"), self.new_password)
        add_form.addRow(self.new_must_change)
        add_form.addRow(self.add_message)
        add_form.addRow(self.add_button)
        policy = QLabel(self.tr("Passwords need at least 8 characters from at least three of: lower case, "
                                "upper case, digits, symbols."))
        policy.setWordWrap(True)
        policy.setStyleSheet(f"color: {FINAL_COLOUR};")
        add_form.addRow(policy)

        # ---- the selected user
        self.selected_label = named(QLabel(self.tr("Select a user in the list.")), "selectedUser")
        self.selected_label.setWordWrap(True)
        self.reset_password = named(QLineEdit(), "resetPassword")
        self.reset_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reset_button = named(QPushButton(self.tr("Set new password")), "resetButton")
        self.active_button = named(QPushButton(self.tr("Deactivate")), "activeButton")
        self.user_message = named(QLabel(), "userMessage")
        self.user_message.setWordWrap(True)
        self.user_message.hide()
        user_box = QGroupBox(self.tr("Selected user"))
        user_form = QFormLayout(user_box)
        user_form.addRow(self.selected_label)
        user_form.addRow(self.tr("New password"), self.reset_password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.active_button)
        buttons.addStretch(1)
        user_form.addRow(buttons)
        user_form.addRow(self.user_message)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(add_box)
        side_layout.addWidget(user_box)
        side_layout.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_error)
        left_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.new_role.currentIndexChanged.connect(self._role_changed)
        self.add_button.clicked.connect(self.add_user)
        self.reset_button.clicked.connect(self.reset_selected_password)
        self.active_button.clicked.connect(self.toggle_selected_active)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        runner.changed.connect(self._on_changed)
        self._role_changed()
        self._selection_changed()
        self.reload()
        self._load_mediators()

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        actor = self._actor

        def work(session: Session) -> list[UserInfo]:
            return auth.list_users(session, actor)

        self._runner.run_read(work, on_success=self._set_users, on_error=self._list_failed)

    def _set_users(self, users: list[UserInfo]) -> None:
        selected = self.selected_user()
        self.list_error.hide()
        self.model.set_users(users)
        if selected is not None:
            row = self.model.row_of(selected.username)
            if row is not None:
                self.table.selectRow(row)

    def _list_failed(self, failure: TaskFailure) -> None:
        self.list_error.setText(failure.message)
        self.list_error.show()

    def _load_mediators(self) -> None:
        self._runner.run_read(reference.mediators, on_success=self._set_mediators, on_error=self._list_failed)
        actor = self._actor

        def work(session: Session) -> list[CenterInfo]:
            return centers.list_centers(session, actor)

        self._runner.run_read(work, on_success=self._set_centers, on_error=self._list_failed)

    def _set_centers(self, rows: list[CenterInfo]) -> None:
        current = self.new_center.currentData()
        if current is None:
            current = self._actor.center_id
        self.new_center.clear()
        for center in rows:
            if center.active:
                self.new_center.addItem("\u3000" * center.depth + center.name, center.id)
        self.new_center.setCurrentIndex(max(self.new_center.findData(current), 0))
        self._add_form.setRowVisible(self.new_center, len(rows) > 1)

    def _set_mediators(self, mediators: list[Choice]) -> None:
        current = self.new_mediator.currentData()
        self.new_mediator.clear()
        self.new_mediator.addItem(self.tr("None"), None)
        for mediator in mediators:
            self.new_mediator.addItem(mediator.name, mediator.id)
        self.new_mediator.setCurrentIndex(max(self.new_mediator.findData(current), 0))

    def _on_changed(self, changes: Changes) -> None:
        if changes.users:
            self.reload()
        if changes.organisation:
            self._load_mediators()

    # ------------------------------------------------------------------ forms

    def _role_changed(self) -> None:
        # Only a mediator's account is linked to a mediator record (it decides their team).
        is_mediator = self.new_role.currentData() == Role.MEDIATOR.value
        self.new_mediator.setEnabled(is_mediator)
        if not is_mediator:
            self.new_mediator.setCurrentIndex(0)

    def selected_user(self) -> UserInfo | None:
        index = self.table.currentIndex()
        return self.model.user_at(index.row()) if index.isValid() else None

    def select_username(self, username: str) -> None:
        row = self.model.row_of(username)
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _selection_changed(self) -> None:
        user = self.selected_user()
        has_user = user is not None
        for widget in (self.reset_password, self.reset_button, self.active_button):
            widget.setEnabled(has_user and not self._busy)
        if user is None:
            self.selected_label.setText(self.tr("Select a user in the list."))
            self.active_button.setText(self.tr("Deactivate"))
            return
        self.selected_label.setText(self.tr("{name} ({user}), {role}: {status}").format(
            name=user.display_name, user=user.username, role=enum_text(user.role),
            status=UsersModel.status_text(user)))
        self.active_button.setText(self.tr("Deactivate") if user.active else self.tr("Activate"))

    def _show(self, label: QLabel, text: str, *, error: bool) -> None:
        label.setText(text)
        label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        label.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.add_button.setEnabled(not busy)
        self._selection_changed()

    def add_user(self) -> None:
        if self._busy:
            return
        actor = self._actor
        username, display_name = self.new_username.text(), self.new_display_name.text()
        role = Role(self.new_role.currentData())
        mediator = self.new_mediator.currentData()
        mediator_id = mediator if isinstance(mediator, int) and role is Role.MEDIATOR else None
        password, must_change = self.new_password.text(), self.new_must_change.isChecked()
        chosen = self.new_center.currentData()
        center_id = chosen if isinstance(chosen, int) else None

        def work(session: Session) -> UserInfo:
            return auth.create_user(session, actor, username=username, display_name=display_name,
                                    role=role, password=password, mediator_id=mediator_id,
                                    must_change_password=must_change, center_id=center_id)

        def done(user: UserInfo) -> None:
            self._set_busy(False)
            for field in (self.new_username, self.new_display_name, self.new_password):
                field.clear()
            self._show(self.add_message, self.tr("Added the account “{user}”.").format(user=user.username),
                       error=False)

        def failed(failure: TaskFailure) -> None:
            self._set_busy(False)
            self._show(self.add_message, failure.message, error=True)
            fields = {"username": self.new_username, "display_name": self.new_display_name,
                      "password": self.new_password, "mediator": self.new_mediator, "center": self.new_center}
            widget = fields.get(failure.field or "")
            if widget is not None:
                widget.setFocus()

        self._set_busy(True)
        self.add_message.hide()
        self._runner.run_write(work, on_success=done, on_error=failed)

    def reset_selected_password(self) -> None:
        user = self.selected_user()
        if user is None or self._busy:
            return
        actor, username, password = self._actor, user.username, self.reset_password.text()

        def work(session: Session) -> None:
            auth.set_password(session, actor, username, password)

        def done(_result: None) -> None:
            self._set_busy(False)
            self.reset_password.clear()
            text = self.tr("New password set for “{user}”; they must change it at their next sign-in.")
            self._show(self.user_message, text.format(user=username), error=False)

        self._set_busy(True)
        self.user_message.hide()
        self._runner.run_write(work, on_success=done, on_error=self._user_failed)

    def toggle_selected_active(self) -> None:
        user = self.selected_user()
        if user is None or self._busy:
            return
        actor, username, active = self._actor, user.username, not user.active

        def work(session: Session) -> UserInfo:
            return auth.set_active(session, actor, username, active)

        def done(info: UserInfo) -> None:
            self._set_busy(False)
            text = self.tr("“{user}” can sign in again.") if info.active else self.tr(
                "“{user}” can no longer sign in; their history keeps their name.")
            self._show(self.user_message, text.format(user=info.username), error=False)

        self._set_busy(True)
        self.user_message.hide()
        self._runner.run_write(work, on_success=done, on_error=self._user_failed)

    def _user_failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self._show(self.user_message, failure.message, error=True)
