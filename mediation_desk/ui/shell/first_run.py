"""The first-run wizard of a new desk: which database, the center, the first administrator.

Shown by :class:`mediation_desk.ui.app.Startup` when the desk's own SQLite file has no account yet
(an installed app; a source checkout seeds the demo center unless told otherwise). Three ways:

* one desk: the SQLite file in the data folder, then the center and the administrator;
* the center's server: PostgreSQL host, port, database, user, password, and the encryption —
  by default TLS with the server's certificate checked against the center's CA file
  (``verify-full``; a weaker mode is chosen explicitly, confirmed and logged); the connection is
  tested on a worker thread, the password goes to the OS keychain when the wizard finishes (on a
  computer with no keychain, to the user's .pgpass file if the box says so); a server that already
  has accounts is joined — the server page is then the last one, and Finish leads to the sign-in —
  an empty one is set up like a desk;
* demo data: the invented center with its cases, to try the app.

The wizard only collects and checks; :class:`Startup` writes (on the write lane).
"""

from __future__ import annotations

import shlex
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from mediation_desk import APP_TITLE, settings
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from mediation_desk.db import ServerProbe
    from mediation_desk.services.setup import CenterSetup

DEFAULT_PORT = 5432
#: The database name docs/deployment.md and the README create on the center's server.
DEFAULT_DATABASE = "mediation"
ERROR_STYLE = "color: #b71c1c;"
#: How the user gives the server's password, said after a connection that wanted one.
PASSWORD_STEP = "请在“密码”一栏填写这个数据库账户的密码，再点“测试连接”。"


class Mode(Enum):
    DESK = "desk"
    SERVER = "server"
    DEMO = "demo"


class PageId:
    MODE = 0
    SERVER = 1
    CENTER = 2
    ADMIN = 3


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


class ModePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Welcome to {app}").format(app=APP_TITLE))
        self.setSubTitle(self.tr("This desk has no database yet. Where should it keep the center's cases?"))
        self.desk = QRadioButton(self.tr("&One desk: a database file on this computer"))
        self.desk.setObjectName("modeDesk")
        self.server = QRadioButton(self.tr("The center's &server (PostgreSQL), shared by several desks"))
        self.server.setObjectName("modeServer")
        self.demo = QRadioButton(self.tr("&Demo data: an invented center with its cases, to try the program"))
        self.demo.setObjectName("modeDemo")
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        hints = (
            self.tr("For a center with one registration desk. The file is kept in this user's data folder "
                    "and backed up every day."),
            self.tr("For a center where several computers work on the same cases. Ask the IT support for "
                    "the server's address and the account."),
            self.tr("Nothing real is stored. Start again with a new database to use the program for real."),
        )
        for button, hint in zip((self.desk, self.server, self.demo), hints, strict=True):
            self.group.addButton(button)
            layout.addWidget(button)
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setContentsMargins(24, 0, 0, 8)
            note.setStyleSheet("color: #555;")
            layout.addWidget(note)
        layout.addStretch(1)
        self.desk.setChecked(True)
        self.group.buttonToggled.connect(lambda *_: self.completeChanged.emit())

    def mode(self) -> Mode:
        if self.server.isChecked():
            return Mode.SERVER
        if self.demo.isChecked():
            return Mode.DEMO
        return Mode.DESK

    def nextId(self) -> int:
        mode = self.mode()
        if mode is Mode.DEMO:
            return -1
        return PageId.SERVER if mode is Mode.SERVER else PageId.CENTER


class ServerPage(QWizardPage):
    """Where the server is; Next is enabled once the connection test passed for these values."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.probe: ServerProbe | None = None
        self._testing = False
        self.setTitle(self.tr("The center's server"))
        from mediation_desk import credentials

        self.keychain_problem = credentials.keychain_problem()
        if self.keychain_problem is None:
            self.setSubTitle(self.tr("The password is kept in the system keychain, never in a file."))
        else:
            self.setSubTitle(self.tr("This computer has no system keychain; the password can be kept in a file "
                                     "only this user can read."))
        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.host.setPlaceholderText(self.tr("e.g. 192.168.1.10 or db.center.local"))
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit(DEFAULT_DATABASE)
        self.database.setObjectName("database")
        self.user = QLineEdit()
        self.user.setObjectName("user")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton(self.tr("&Test the connection"))
        self.test_button.setObjectName("testConnection")
        # Only on a computer without a keychain: libpq's own password file, which it reads by itself.
        self.pgpass = QCheckBox(self.tr("Keep the password in the file {path}, readable only by this user "
                                        "(this computer has no system keychain)").format(
            path=credentials.pgpass_path()))
        self.pgpass.setObjectName("savePgpass")
        self.pgpass.setChecked(self.keychain_problem is not None)
        self.pgpass.setVisible(self.keychain_problem is not None)
        from mediation_desk.db import DEFAULT_SSLMODE
        from mediation_desk.ui.shell.server_settings import TLS_MODES

        self.tls = QComboBox()
        self.tls.setObjectName("tlsMode")
        for mode, label in zip(TLS_MODES, (
                self.tr("Off (only on a trusted local network)"),
                self.tr("If the server offers it"),
                self.tr("Required (encrypted, certificate not checked)"),
                self.tr("Required, and the server's certificate checked (recommended)")), strict=True):
            self.tls.addItem(label, mode)
        self.tls.setCurrentIndex(TLS_MODES.index(DEFAULT_SSLMODE))
        self.ca_file = QLineEdit()
        self.ca_file.setObjectName("caFile")
        self.ca_file.setPlaceholderText(self.tr("The center's CA certificate from the IT support (center-ca.crt)"))
        self.ca_browse = QPushButton(self.tr("Browse…"))
        self.ca_browse.setObjectName("caBrowse")
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_browse)
        self.status = QLabel()
        self.status.setObjectName("connectionStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Server &address"), self.host)
        form.addRow(self.tr("&Port"), self.port)
        form.addRow(self.tr("&Database"), self.database)
        form.addRow(self.tr("&User name"), self.user)
        form.addRow(self.tr("Pass&word"), self.password)
        form.addRow(self.tr("&Encryption (TLS)"), self.tls)
        form.addRow(self.tr("CA certificate"), ca_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.pgpass)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.test_button.clicked.connect(self.test_connection)
        for edit in (self.host, self.database, self.user, self.password, self.ca_file):
            edit.textEdited.connect(self._values_changed)
        self.port.valueChanged.connect(self._values_changed)
        self.tls.currentIndexChanged.connect(self._values_changed)
        self.tls.currentIndexChanged.connect(self._tls_changed)
        self.ca_browse.clicked.connect(self._browse_ca)

    def tls_mode(self) -> str:
        return str(self.tls.currentData())

    def url(self) -> URL:
        from mediation_desk.db import ServerAddress, server_url

        root = self.ca_file.text().strip() if self.tls_mode() == "verify-full" else ""
        return server_url(ServerAddress(self.host.text().strip(), self.port.value(), self.database.text().strip(),
                                        self.user.text().strip(), self.tls_mode(), root or None))

    def _missing(self) -> tuple[str, QWidget] | None:
        if not self.host.text().strip():
            return self.tr("Enter the server's address."), self.host
        if not self.database.text().strip():
            return self.tr("Enter the database's name."), self.database
        if not self.user.text().strip():
            return self.tr("Enter the user name of the database account."), self.user
        if self.tls_mode() == "verify-full":
            from mediation_desk.db import ca_file_problem

            path = self.ca_file.text().strip()
            if not path:
                return self.tr("CA certificate: checking the server's certificate needs the center's CA certificate "
                               "file from the IT support (or choose a weaker encryption explicitly)."), self.ca_file
            problem = ca_file_problem(path)
            if problem is not None:
                return self.tr("CA certificate: {problem}").format(problem=problem), self.ca_file
        return None

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

    def confirm_weak_tls(self) -> bool:
        """Asked before the wizard goes on with a mode weaker than checking the server's certificate
        (tests answer for the user)."""
        answer = QMessageBox.warning(
            self, self.tr("Encryption (TLS)"),
            self.tr("With “{mode}” this desk does not check the server's certificate: a computer on the network "
                    "could pose as the server and read or change the cases and ID numbers on their way. Use it only "
                    "if the IT support asked for it (for example until the server has its certificate). The choice "
                    "is written to this desk's log. Go on anyway?").format(mode=self.tls.currentText()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _values_changed(self, *_args: object) -> None:
        if self.probe is not None:
            self._set_probe(None)
        self._set_status("", error=False)

    def _set_probe(self, probe: ServerProbe | None) -> None:
        """Remember what the test found and let the wizard show the buttons it calls for.

        Whether this page is the last one depends on the probe (a server with accounts is joined
        here: Finish; an empty one goes on to the center's pages: Next). QWizard decides which
        buttons to show only when it enters a page; ``setFinalPage`` makes it decide again, so the
        Finish button appears instead of a Next that would lead nowhere.
        """
        self.probe = probe
        self.setFinalPage(probe is not None and probe.usable and probe.has_center)
        self.completeChanged.emit()

    def test_connection(self) -> None:
        missing = self._missing()
        if missing is not None:
            self._set_status(missing[0], error=True)
            missing[1].setFocus()
            return
        if self._testing:
            return
        self._testing = True
        self.test_button.setEnabled(False)
        self._set_status(self.tr("Connecting to {host}…").format(host=self.host.text().strip()), error=False)
        from mediation_desk.db import probe_server

        url, password = self.url(), self.password.text()
        self.runner.run_job(lambda: probe_server(url, password, password_step=PASSWORD_STEP), on_success=self._tested,
                            on_error=self._test_failed, lane=Lane.READ)

    def _tested(self, probe: ServerProbe) -> None:
        self._testing = False
        self.test_button.setEnabled(True)
        if probe.problem:  # no connection, or a structure newer than this program's
            self._set_probe(None)
            self._set_status(probe.problem, error=True)
            return
        self._set_probe(probe)
        if probe.outdated:
            from mediation_desk import credentials

            # Quoted: the URL's "&" between sslmode and sslrootcert would end the command in a shell.
            shown = shlex.quote(credentials.display_url(self.url()))
            command = f"mediation-desk --database {shown} db upgrade --ask-password"
            self._set_status(self.tr(
                "Connected (PostgreSQL {version}), but the database on the server has an older structure "
                "({revision}) than this program ({head}). The center's administrator upgrades it first:\n{command}"
            ).format(version=probe.server_version, revision=probe.revision, head=probe.head, command=command),
                error=True)
            return
        if probe.has_center:
            text = self.tr("Connected (PostgreSQL {version}). The center is already set up on this server "
                           "({users} accounts): Finish, then sign in with your account.")
        elif probe.revision is None:
            text = self.tr("Connected (PostgreSQL {version}). The database is empty: the next pages set up "
                           "the center on it.")
        else:
            text = self.tr("Connected (PostgreSQL {version}). The database has no accounts yet: the next pages "
                           "set up the center on it.")
        self._set_status(text.format(version=probe.server_version, users=probe.users), error=False)

    def _test_failed(self, failure: TaskFailure) -> None:
        self._testing = False
        self.test_button.setEnabled(True)
        self._set_probe(None)
        self._set_status(failure.message, error=True)

    def _set_status(self, text: str, *, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")

    def isComplete(self) -> bool:
        return self.probe is not None and self.probe.usable

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        from mediation_desk.db import is_weak_tls, log_weak_tls

        if is_weak_tls(self.tls_mode()):
            if not self.confirm_weak_tls():
                self.tls.setFocus()
                return False
            log_weak_tls(self.url(), "chosen in the first-run wizard, confirmed by the person at this desk")
        return True

    def nextId(self) -> int:
        if self.probe is not None and self.probe.usable and self.probe.has_center:
            return -1
        return PageId.CENTER


class CenterPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The center"))
        self.setSubTitle(self.tr("Printed on every document and in every case number. An administrator can "
                                 "change them later."))
        self.center_name = QLineEdit()
        self.center_name.setObjectName("centerName")
        self.center_name.setMaxLength(60)
        self.center_name.setPlaceholderText(self.tr("e.g. Ganzhou District Conflict Mediation Center"))
        self.prefix = QLineEdit()
        self.prefix.setObjectName("caseNumberPrefix")
        self.prefix.setMaxLength(12)
        self.prefix.setPlaceholderText(self.tr("e.g. 甘矛调"))
        self.sample = QLabel()
        self.sample.setObjectName("caseNumberSample")
        self.error = _error_label()
        form = QFormLayout(self)
        form.addRow(self.tr("Center &name"), self.center_name)
        form.addRow(self.tr("Case-number &prefix"), self.prefix)
        form.addRow(self.tr("Case numbers will read"), self.sample)
        form.addRow(self.error)
        self.prefix.textChanged.connect(self._update_sample)
        self.center_name.textEdited.connect(lambda _t: self.error.hide())
        self.prefix.textEdited.connect(lambda _t: self.error.hide())
        self._update_sample()

    def _update_sample(self) -> None:
        from mediation_desk.services.numbering import format_case_number

        prefix = self.prefix.text().strip() or "……"
        from datetime import date

        self.sample.setText(format_case_number(date.today().year, prefix, 1))

    def validatePage(self) -> bool:
        from mediation_desk.services import setup
        from mediation_desk.services.errors import InvalidInput

        try:
            setup.check_center_name(self.center_name.text())
            setup.check_prefix(self.prefix.text())
        except InvalidInput as exc:
            self.error.setText(str(exc))
            self.error.show()
            (self.center_name if exc.field == settings.CENTER_NAME.key else self.prefix).setFocus()
            return False
        self.error.hide()
        return True

    def nextId(self) -> int:
        return PageId.ADMIN


class AdminPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The first administrator"))
        self.setSubTitle(self.tr("This account manages users and settings. Create the other accounts after "
                                 "signing in, under Organisation."))
        self.username = QLineEdit("admin")
        self.username.setObjectName("adminUsername")
        self.username.setMaxLength(40)
        self.display_name = QLineEdit()
        self.display_name.setObjectName("adminDisplayName")
        self.password = QLineEdit()
        self.password.setObjectName("adminPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("adminRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        policy = QLabel(self.tr("At least 8 characters, with at least three of: lower-case letters, upper-case "
                                "letters, digits, symbols."))
        policy.setWordWrap(True)
        policy.setStyleSheet("color: #555;")
        self.error = _error_label()
        form = QFormLayout(self)
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("Full &name"), self.display_name)
        form.addRow(self.tr("Pass&word"), self.password)
        form.addRow(self.tr("&Repeat the password"), self.repeat)
        form.addRow(policy)
        form.addRow(self.error)
        for edit in (self.username, self.display_name, self.password, self.repeat):
            edit.textEdited.connect(lambda _t: self.error.hide())

    def validatePage(self) -> bool:
        from mediation_desk.services import setup
        from mediation_desk.services.errors import InvalidInput

        try:
            setup.check_admin(self.username.text(), self.display_name.text(), self.password.text(),
                              self.repeat.text())
        except InvalidInput as exc:
            self.error.setText(str(exc))
            self.error.show()
            fields = {"username": self.username, "display_name": self.display_name, "password": self.password,
                      "repeat_password": self.repeat}
            fields.get(exc.field, self.password).setFocus()
            return False
        self.error.hide()
        return True


class FirstRunWizard(QWizard):
    """Collects the choices; after ``accepted`` read :meth:`mode`, :meth:`center_setup`,
    :meth:`server_url`, :meth:`server_password` and :attr:`server_page.probe`."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(self.tr("{app} — first start").format(app=APP_TITLE))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.mode_page = ModePage()
        self.server_page = ServerPage(runner)
        self.center_page = CenterPage()
        self.admin_page = AdminPage()
        self.setPage(PageId.MODE, self.mode_page)
        self.setPage(PageId.SERVER, self.server_page)
        self.setPage(PageId.CENTER, self.center_page)
        self.setPage(PageId.ADMIN, self.admin_page)
        self.setStartId(PageId.MODE)
        self.resize(640, 480)

    def mode(self) -> Mode:
        return self.mode_page.mode()

    def center_setup(self) -> CenterSetup | None:
        """The center and administrator to create, or None (demo, or joining a set-up server)."""
        from mediation_desk.services.setup import CenterSetup

        if self.mode() is Mode.DEMO:
            return None
        probe = self.server_page.probe
        if self.mode() is Mode.SERVER and probe is not None and probe.has_center:
            return None
        return CenterSetup(
            center_name=self.center_page.center_name.text().strip(),
            case_number_prefix=self.center_page.prefix.text().strip(),
            admin_username=self.admin_page.username.text().strip(),
            admin_display_name=self.admin_page.display_name.text().strip(),
            admin_password=self.admin_page.password.text(),
        )

    def server_url(self) -> URL:
        return self.server_page.url()

    def server_password(self) -> str:
        return self.server_page.password.text()

    def keep_in_pgpass(self) -> bool:
        """The password goes to the user's .pgpass file (a computer with no keychain)."""
        return self.server_page.pgpass.isChecked()
