"""设置 → 数据库连接: which center server this desk works on.

The dialog edits the server's address, port, database, account and TLS mode, tests the connection
off the GUI thread and says in plain words what it found (is the server reachable, was the account
accepted, is the database's structure current, older, newer or empty). Saving writes the URL —
never the password — into the desk's settings; the password goes to the system keychain through
:mod:`mediation_desk.credentials`, on the GUI thread (``keyring`` must not be called from workers).

Creating or upgrading the structure of a shared server changes every desk's data, so it needs an
administrator of the center: the dialog offers it only after an administrator account signed in
against that server; a server with no structure yet has no accounts, and its first structure is
made by the administrator with ``mediation-desk db upgrade`` (the command is shown, ready to copy).
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.db import ProbeStage, SchemaState, ServerProbe
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from mediation_desk.db import Database, MigrationReport

DEFAULT_PORT = 5432
#: The database name docs/deployment.md creates (the first-run wizard offers the same).
DEFAULT_DATABASE = "mediation"
#: libpq's sslmode values offered, in order of strictness. A new desk uses ``verify-full``
#: (``db.DEFAULT_SSLMODE``); a weaker one is chosen explicitly, confirmed, and logged.
TLS_MODES = ("disable", "prefer", "require", "verify-full")


def upgrade_as_admin(database: Database, username: str, password: str) -> MigrationReport:
    """Sign in against the server as an administrator, then bring its structure up to date."""
    from mediation_desk.db import current_revision, head_revision, upgrade
    from mediation_desk.models import Role
    from mediation_desk.services import audit, auth, dbroles, reference
    from mediation_desk.services.errors import PermissionDenied

    # The audit table may be of the older structure too: the sign-in is recorded after the upgrade.
    actor = auth.login(database, username, password, audited=False)
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(f"“{actor.display_name}”不是系统管理员：只有系统管理员可以升级中心服务器的数据库结构。")
    if current_revision(database) != head_revision():
        refusal = dbroles.owner_refusal(database, "数据库结构升级", "db upgrade", "修改数据库结构")
        if refusal is not None:  # signed in at a desk as the person: the server refuses any DDL
            raise PermissionDenied(refusal)
    report = upgrade(database, backup=False)
    with database.write() as session:
        reference.ensure_dispute_types(session)
        audit.record(session, actor, "login", "user", actor.user_id, {"purpose": "upgrade"},
                     station=audit.workstation(), result="ok")
    return report


class ServerSettingsDialog(QDialog):
    """数据库连接. ``saved`` carries the URL written to the desk's settings (no password)."""

    saved = Signal(object)
    #: A connection test finished (its ``ServerProbe``), or failed to run (a message).
    tested = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverSettings")
        self.setWindowTitle(self.tr("Database connection"))
        self._runner = runner
        self._testing = False
        self.probe: ServerProbe | None = None
        self._probe_database: Database | None = None

        intro = QLabel(self.tr(
            "Several desks of a center work on one PostgreSQL server. The password is kept in this "
            "computer's system keychain, never in a file. The new connection is used from the next start."))
        intro.setWordWrap(True)
        self.host = named(QLineEdit(), "host")
        self.host.setPlaceholderText(self.tr("e.g. 192.168.1.10 or db.center.local"))
        self.port = named(QSpinBox(), "port")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = named(QLineEdit(DEFAULT_DATABASE), "database")
        self.user = named(QLineEdit(), "user")
        self.password = named(QLineEdit(), "password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        from mediation_desk import credentials

        # Only on a computer without a keychain: libpq's own password file, which it reads by itself.
        no_keychain = credentials.keychain_problem() is not None
        self.pgpass = named(QCheckBox(self.tr(
            "Keep the password in the file {path}, readable only by this user (this computer has no system "
            "keychain)").format(path=credentials.pgpass_path())), "savePgpass")
        self.pgpass.setChecked(no_keychain)
        self.pgpass.setVisible(no_keychain)
        self.tls = named(QComboBox(), "tlsMode")
        for mode, label in zip(TLS_MODES, (
                self.tr("Off (only on a trusted local network)"),
                self.tr("If the server offers it"),
                self.tr("Required (encrypted, certificate not checked)"),
                self.tr("Required, and the server's certificate checked (recommended)")), strict=True):
            self.tls.addItem(label, mode)
        from mediation_desk.db import DEFAULT_SSLMODE

        self.tls.setCurrentIndex(TLS_MODES.index(DEFAULT_SSLMODE))
        self.ca_file = named(QLineEdit(), "caFile")
        self.ca_file.setPlaceholderText(self.tr("The center's CA certificate (.crt / .pem)"))
        self.ca_browse = named(QPushButton(self.tr("Browse…")), "caBrowse")
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_browse)

        form = QFormLayout()
        form.addRow(self.tr("Server &address"), self.host)
        form.addRow(self.tr("&Port"), self.port)
        form.addRow(self.tr("&Database"), self.database)
        form.addRow(self.tr("&User name"), self.user)
        form.addRow(self.tr("Pass&word"), self.password)
        form.addRow("", self.pgpass)
        form.addRow(self.tr("&Encryption (TLS)"), self.tls)
        form.addRow(self.tr("CA certificate"), ca_row)

        self.test_button = named(QPushButton(self.tr("&Test connection")), "testConnection")
        self.status = named(QLabel(), "connectionStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setMinimumHeight(48)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)

        # Creating or upgrading the structure: an administrator signs in against this server.
        self.admin_box = named(QGroupBox(self.tr("Upgrade the database structure (administrator)")), "adminBox")
        self.admin_hint = QLabel(self.tr(
            "The structure of a shared server changes the data of every desk: an administrator of the center "
            "signs in here to upgrade it. Make a backup of the server first (pg_dump)."))
        self.admin_hint.setWordWrap(True)
        self.admin_user = named(QLineEdit(), "adminUser")
        self.admin_password = named(QLineEdit(), "adminPassword")
        self.admin_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.upgrade_button = named(QPushButton(self.tr("Create/upgrade the database structure")), "upgradeSchema")
        admin_form = QFormLayout(self.admin_box)
        admin_form.addRow(self.admin_hint)
        admin_form.addRow(self.tr("Administrator"), self.admin_user)
        admin_form.addRow(self.tr("Administrator's password"), self.admin_password)
        admin_form.addRow(self.upgrade_button)
        self.admin_box.hide()

        self.buttons = QDialogButtonBox()
        # Back from a server to this computer's own database file (the server keeps its data).
        self.local_button = named(QPushButton(self.tr("Use this computer's &own database")), "useLocalDatabase")
        self.local_button.setToolTip(self.tr("From the next start this desk works on its own database file "
                                             "again; nothing on the server changes."))
        self.buttons.addButton(self.local_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.save_button = named(QPushButton(self.tr("&Save")), "saveConnection")
        self.save_button.setDefault(True)
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "cancelConnection")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(self.status)
        layout.addWidget(self.admin_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.upgrade_button.clicked.connect(self.upgrade_schema)
        self.local_button.clicked.connect(self.use_local_database)
        self.ca_browse.clicked.connect(self._browse_ca)
        self.tls.currentIndexChanged.connect(self._tls_changed)
        for edit in (self.host, self.database, self.user, self.password, self.ca_file):
            edit.textEdited.connect(self._values_changed)
        self.port.valueChanged.connect(self._values_changed)
        self.tls.currentIndexChanged.connect(self._values_changed)
        self.load_settings()
        self._tls_changed()
        self.local_button.setVisible(self._on_server())

    # ------------------------------------------------------------------ values

    def load_settings(self) -> None:
        """Fill the form from the desk's settings (a PostgreSQL URL), if it has one."""
        from mediation_desk import credentials, settings
        from mediation_desk.db import server_address, server_url

        text = settings.DeskSettings.load().database_url
        address = server_address(text, DEFAULT_PORT) if text else None
        if address is None:
            return
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.user.setText(address.user)
        if address.sslmode in TLS_MODES:
            self.tls.setCurrentIndex(TLS_MODES.index(address.sslmode))
        if address.sslrootcert is not None:
            self.ca_file.setText(address.sslrootcert)
        url = server_url(address)
        try:
            stored = credentials.load_password(url)
        except credentials.CredentialError:
            stored = None
        if stored:
            self.password.setPlaceholderText(self.tr("(kept in the system keychain)"))
        elif credentials.pgpass_has(url):
            self.password.setPlaceholderText(self.tr("(kept in the file {path})").format(
                path=credentials.pgpass_path()))

    def tls_mode(self) -> str:
        return str(self.tls.currentData())

    def url(self) -> URL:
        """The server's URL without a password: what the settings file keeps."""
        from mediation_desk.db import ServerAddress, server_url

        root = self.ca_file.text().strip() if self.tls_mode() == "verify-full" else ""
        return server_url(ServerAddress(self.host.text().strip(), self.port.value(), self.database.text().strip(),
                                        self.user.text().strip(), self.tls_mode(), root or None))

    def _password(self, url: URL) -> str | None:
        """The typed password, else the one in the keychain (read here, on the GUI thread)."""
        from mediation_desk import credentials

        if self.password.text():
            return self.password.text()
        try:
            return credentials.load_password(url)
        except credentials.CredentialError:
            return None

    def _problem(self) -> tuple[str, QWidget] | None:
        if not self.host.text().strip():
            return self.tr("Server address: enter the server's name or IP address."), self.host
        if any(c.isspace() for c in self.host.text().strip()):
            return self.tr("Server address: it cannot contain spaces."), self.host
        if not self.database.text().strip():
            return self.tr("Database: enter the name of the center's database."), self.database
        if not self.user.text().strip():
            return self.tr("User name: enter the database account of this desk."), self.user
        if self.tls_mode() == "verify-full":
            from mediation_desk.db import ca_file_problem

            path = self.ca_file.text().strip()
            if not path:
                return self.tr("CA certificate: checking the server's certificate needs the center's CA "
                               "certificate file."), self.ca_file
            problem = ca_file_problem(path)
            if problem is not None:
                return self.tr("CA certificate: {problem}").format(problem=problem), self.ca_file
        return None

    def _values_changed(self, *_args: object) -> None:
        self.probe = None
        self.admin_box.hide()
        self._set_status("", error=False)

    def _tls_changed(self, *_args: object) -> None:
        checked = self.tls_mode() == "verify-full"
        self.ca_file.setEnabled(checked)
        self.ca_browse.setEnabled(checked)

    def _browse_ca(self) -> None:
        path = file_dialogs.open_file_name(self, self.tr("The center's CA certificate"), file_dialogs.CERTIFICATE,
                                           self.tr("Certificates (*.crt *.pem *.cer);;All files (*)"))
        if path:
            self.ca_file.setText(path)
            self._values_changed()

    # ------------------------------------------------------------------ testing

    def _open_probe_database(self) -> Database:
        """The server of the tested values as a ``Database``, for the upgrade (made here, on the
        GUI thread: with the password inline it does not look in the keychain on a worker)."""
        from mediation_desk.db import Database

        url = self.url()
        password = self._password(url)
        if self._probe_database is not None:
            self._probe_database.dispose()
        self._probe_database = Database(url.set(password=password) if password else url)
        return self._probe_database

    def test_connection(self) -> None:
        from mediation_desk.db import probe_server

        problem = self._problem()
        if problem is not None:
            self._set_status(problem[0], error=True)
            problem[1].setFocus()
            return
        if self._testing:
            return
        url = self.url()
        password = self._password(url)  # the keychain is read here, on the GUI thread
        self._testing = True
        self._update_enabled()
        self._set_status(self.tr("Connecting to {host}:{port}…").format(
            host=self.host.text().strip(), port=self.port.value()), error=False)
        self._runner.run_job(lambda: probe_server(url, password), on_success=self._tested,
                             on_error=self._test_failed, lane=Lane.READ)

    def _tested(self, probe: ServerProbe) -> None:
        self._testing = False
        self.probe = probe
        self._update_enabled()
        self._set_status(self.describe(probe), error=not probe.ok or probe.schema is SchemaState.NEWER)
        self.admin_box.setVisible(probe.outdated)
        self._fit()
        self.tested.emit(probe)

    def _test_failed(self, failure: TaskFailure) -> None:
        self._testing = False
        self._update_enabled()
        self._set_status(failure.message, error=True)
        self.tested.emit(failure.message)

    def describe(self, probe: ServerProbe) -> str:
        """What the test found, for the user."""
        host = f"{self.host.text().strip()}:{self.port.value()}"
        if probe.stage is ProbeStage.UNREACHABLE:
            return self.tr("The server {host} cannot be reached ({detail}). Check the address and port, that the "
                           "server is running, and that no firewall blocks the port.").format(
                host=host, detail=probe.detail)
        if probe.stage is ProbeStage.TLS:
            return probe.problem  # what failed (no TLS, the CA file, the certificate's names), in Chinese
        if probe.stage is ProbeStage.AUTH:
            return self.tr("The server {host} answers, but refused the user name or password of “{user}”. Check "
                           "them (upper/lower case matters).").format(host=host, user=self.user.text().strip())
        if probe.stage is ProbeStage.NO_DATABASE:
            return self.tr("The server {host} accepted the account, but has no database “{database}”. Check "
                           "its name with the administrator.").format(host=host, database=self.database.text().strip())
        if probe.stage is ProbeStage.FAILED:
            return self.tr("The connection to {host} failed: {detail}").format(host=host, detail=probe.detail)
        lines = [self.tr("Connected: the server is reachable and the account was accepted (PostgreSQL {version}, "
                         "{encryption}).").format(
            version=probe.server_version,
            encryption=self.tr("encrypted, the server's certificate checked") if probe.verified
            else self.tr("encrypted, the server's certificate NOT checked") if probe.encrypted
            else self.tr("not encrypted"))]
        # Quoted: the URL's "&" between sslmode and sslrootcert would end the command in a shell.
        command = f"mediation-desk --database {shlex.quote(self.url().render_as_string(hide_password=True))} db upgrade"
        if probe.schema is SchemaState.CURRENT:
            lines.append(self.tr("The database structure is current ({revision}). You can save.").format(
                revision=probe.revision))
        elif probe.schema is SchemaState.EMPTY:
            lines.append(self.tr("The database is empty. An administrator creates its structure once, with the "
                                 "command: {command}").format(command=command))
        elif probe.schema is SchemaState.OLDER:
            lines.append(self.tr("The database structure is older ({revision}; this program needs {head}). An "
                                 "administrator upgrades it below, or with the command: {command}").format(
                revision=probe.revision, head=probe.head, command=command))
        else:
            lines.append(self.tr("The database structure ({revision}) is newer than this program: install the "
                                 "new version of Mediation Desk on this computer first.").format(
                revision=probe.revision))
        return "\n".join(lines)

    # ------------------------------------------------------------------ upgrading

    def upgrade_schema(self) -> None:
        username, password = self.admin_user.text().strip(), self.admin_password.text()
        if self.probe is None or not self.probe.ok:
            return
        if not username or not password:
            self._set_status(self.tr("Administrator: enter the administrator's user name and password."),
                             error=True)
            (self.admin_user if not username else self.admin_password).setFocus()
            return
        database = self._open_probe_database()
        self._testing = True
        self._update_enabled()
        self._set_status(self.tr("Upgrading the database structure…"), error=False)
        self._runner.run_job(lambda: upgrade_as_admin(database, username, password), on_success=self._upgraded,
                             on_error=self._upgrade_failed, lane=Lane.WRITE)

    def _upgraded(self, report: MigrationReport) -> None:
        self.admin_password.clear()
        self._testing = False
        self.test_connection()
        self._set_status(self.tr("The database structure was upgraded ({old} → {new}).").format(
            old=report.from_revision or "-", new=report.to_revision), error=False)

    def _upgrade_failed(self, failure: TaskFailure) -> None:
        self.admin_password.clear()
        self._testing = False
        self._update_enabled()
        self._set_status(failure.message, error=True)

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        """Keep the password in the keychain and the URL (without it) in the desk's settings."""
        from mediation_desk import credentials, settings

        problem = self._problem()
        if problem is not None:
            self._set_status(problem[0], error=True)
            problem[1].setFocus()
            return
        url = self.url()
        from mediation_desk.db import is_weak_tls, log_weak_tls

        weak = is_weak_tls(self.tls_mode())
        if weak and not self.confirm_weak_tls():
            self.tls.setFocus()
            return
        if self.password.text():
            try:
                if self.pgpass.isChecked():
                    credentials.store_in_pgpass(url, self.password.text())
                else:
                    credentials.store_password(url, self.password.text())
            except credentials.CredentialError as exc:
                self._set_status(str(exc), error=True)
                return
        desk_settings = settings.DeskSettings.load()
        desk_settings.database_url = url.render_as_string(hide_password=True)
        desk_settings.save()
        if weak:
            log_weak_tls(url, "saved in the server settings dialog, confirmed by the person at this desk")
        self.password.clear()
        self.saved.emit(url)
        self.accept()

    def confirm_weak_tls(self) -> bool:
        """Asked before a mode weaker than checking the server's certificate is saved (tests answer
        for the user)."""
        answer = QMessageBox.warning(
            self, self.tr("Encryption (TLS)"),
            self.tr("With “{mode}” this desk does not check the server's certificate: a computer on the network "
                    "could pose as the server and read or change the cases and ID numbers on their way. Use it only "
                    "if the IT support asked for it (for example until the server has its certificate). The choice "
                    "is written to this desk's log. Save anyway?").format(mode=self.tls.currentText()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _on_server(self) -> bool:
        from mediation_desk import settings

        return bool(settings.DeskSettings.load().database_url)

    def confirm_local(self) -> bool:
        """Asked before the desk leaves the server (tests answer for the user)."""
        answer = QMessageBox.question(
            self, self.tr("Use this computer's own database"),
            self.tr("From the next start this desk works on its own database file on this computer and no longer "
                    "sees the cases on the server. Nothing on the server is changed or deleted. Continue?"))
        return answer == QMessageBox.StandardButton.Yes

    def use_local_database(self) -> None:
        """Forget the server in the desk's settings: the default SQLite file is used from the next start."""
        from mediation_desk import settings
        from mediation_desk.db import default_url

        if not self.confirm_local():
            return
        desk_settings = settings.DeskSettings.load()
        desk_settings.database_url = ""
        desk_settings.save()
        self.saved.emit(default_url())
        self.accept()

    def done(self, result: int) -> None:
        if self._probe_database is not None:
            self._probe_database.dispose()
            self._probe_database = None
        super().done(result)

    # ------------------------------------------------------------------ helpers

    def _set_status(self, text: str, *, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self._fit()

    def _fit(self) -> None:
        # A dialog does not grow by itself for lines that appear after it was laid out.
        self._layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _update_enabled(self) -> None:
        self.test_button.setEnabled(not self._testing)
        self.save_button.setEnabled(not self._testing)
        self.upgrade_button.setEnabled(not self._testing)


__all__ = ["ServerSettingsDialog", "upgrade_as_admin"]
