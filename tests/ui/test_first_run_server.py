"""A new desk joins the center's server from the first-run wizard, as the center's staff do it:
the server is password-protected (scram-sha-256), the database was set up by the administrator
(docs/deployment.md), and the desk ends on the sign-in screen pointed at the server — with the
password in the keychain, or, on a computer without one, in the user's .pgpass file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from mediation_desk import credentials, settings
from mediation_desk.db import Database, current_revision, head_revision, migrate_to, resolve_url, upgrade
from mediation_desk.models import Role
from mediation_desk.services import auth, setup
from mediation_desk.services.actor import Actor
from mediation_desk.ui.app import Startup
from mediation_desk.ui.shell.first_run import FirstRunWizard, PageId
from mediation_desk.ui.shell.main_window import MainWindow

from .. import pgserver
from ..conftest import MemoryKeyring
from .conftest import Runner

pytestmark = [pytest.mark.gui, pytest.mark.postgresql]

DB_PASSWORD = "Desk-Pass-2026"
ADMIN_PASSWORD = "Zhongxin2026"
CLERK_PASSWORD = "Dengji2026x"
CENTER = "高台县矛盾纠纷调处中心"

@dataclass(frozen=True)
class CenterServer:
    port: int
    database: str
    role: str

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.role}@127.0.0.1:{self.port}/{self.database}"


@pytest.fixture
def center_server(pg_server: pgserver.PgServer) -> Iterator[CenterServer]:
    """docs/deployment.md steps 1–3 on the test's server: a login role with a password that owns
    the database, the schema created by the administrator, and the center set up (by desk 1) with
    its administrator and a clerk."""
    role, name = pgserver.create_password_database(pg_server, DB_PASSWORD)
    server = CenterServer(pg_server.port, name, role)
    db = Database(make_url(server.url).set(password=DB_PASSWORD))
    try:
        upgrade(db, backup=False)
        with db.write() as session:
            setup.initialize_center(session, setup.CenterSetup(CENTER, "高矛调", "zhuren", "李主任", ADMIN_PASSWORD))
        with db.write() as session:
            auth.create_user(session, Actor.system("test"), username="dengji", display_name="王登记",
                             role=Role.INTAKE, password=CLERK_PASSWORD, must_change_password=False)
    finally:
        db.dispose()
    yield server
    pgserver.drop_password_database(pg_server, role, name)


@pytest.fixture
def startups() -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        if startup.window is not None:
            startup.window.close()
        if startup.wizard is not None:
            startup.wizard.close()
        startup.close()
        startup.runner.shutdown()


def start_new_desk(qtbot: QtBot, startups: list[Startup]) -> FirstRunWizard:
    """The installed app on a computer that never ran it: the wizard comes up."""
    assert not settings.DeskSettings.path().exists()
    startup = Startup(None, runner=Runner(None), first_run="wizard")
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startups.append(startup)
    startup.begin()
    qtbot.waitUntil(lambda: startup.wizard is not None and startup.wizard.isVisible(), timeout=30_000)
    assert startup.wizard is not None
    qtbot.addWidget(startup.wizard)
    return startup.wizard


def click(qtbot: QtBot, widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def retype(qtbot: QtBot, edit: QWidget, value: str) -> None:
    """Select what the field holds and type over it, as a person does."""
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton)
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, value)


def type_server(qtbot: QtBot, wizard: FirstRunWizard, server: CenterServer, password: str) -> None:
    """The first page: the center's server; Next; then the address, port, database, user, password."""
    assert wizard.currentId() == PageId.MODE
    choice = wizard.mode_page.server  # clicked on its round mark: the button is wider than its text
    QTest.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(8, choice.height() // 2))
    assert choice.isChecked()
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentId() == PageId.SERVER
    page = wizard.server_page
    assert page.database.text() == "mediation"  # the name docs/deployment.md creates
    QTest.keyClicks(page.host, "127.0.0.1")
    retype(qtbot, page.port.lineEdit(), str(server.port))
    retype(qtbot, page.database, server.database)
    QTest.keyClicks(page.user, server.role)
    QTest.keyClicks(page.password, password)
    assert page.port.value() == server.port
    # The suite's server speaks no TLS: this desk chooses plain connections explicitly, and confirms.
    assert page.tls.currentData() == "verify-full"
    page.tls.setCurrentIndex(page.tls.findData("disable"))
    page.confirm_weak_tls = lambda: True  # type: ignore[method-assign]


def test_a_new_desk_joins_a_set_up_server_and_signs_in(qtbot: QtBot, startups: list[Startup],
                                                       center_server: CenterServer,
                                                       memory_keyring: MemoryKeyring, chinese: None) -> None:
    wizard = start_new_desk(qtbot, startups)
    startup = startups[-1]
    page = wizard.server_page
    assert page.pgpass.isHidden()  # this computer has a keychain
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    finish = wizard.button(QWizard.WizardButton.FinishButton)

    # A mistyped password: said in Chinese, nothing to go on to, everything typed still there.
    type_server(qtbot, wizard, center_server, "wrong-one")
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: "拒绝了用户" in page.status.text(), timeout=15_000)
    assert f"拒绝了用户 {center_server.role} 的密码" in page.status.text()
    assert "密码" in page.status.text() and "测试连接" in page.status.text()
    assert not next_button.isEnabled() and not finish.isVisible()
    assert page.host.text() == "127.0.0.1" and page.user.text() == center_server.role

    retype(qtbot, page.password, DB_PASSWORD)
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: page.probe is not None, timeout=15_000)
    assert "该服务器上的中心已设置好（2 个账户）" in page.status.text(), page.status.text()
    # The server page is the last one now: Finish, not a Next that leads nowhere.
    assert finish.isVisible() and finish.isEnabled()
    assert not next_button.isVisible()
    wizard.grab().save(str(Path(os.environ.get("MD_SHOT_DIR", "/tmp")) / "first_run_join.png"))
    click(qtbot, finish)

    login = startup.login
    qtbot.waitUntil(login.login_button.isEnabled, timeout=30_000)
    assert login.isVisible() and not wizard.isVisible()
    assert login.center is not None and login.center.name == CENTER
    # The desk points at the server (no password in the settings), the password is in the keychain.
    saved = settings.DeskSettings.load().database_url
    assert saved == center_server.url + "?sslmode=disable"
    assert DB_PASSWORD not in settings.DeskSettings.path().read_text(encoding="utf-8")
    account = f"{center_server.role}@127.0.0.1:{center_server.port}/{center_server.database}"
    # (The keychain also holds the audit chain's key, under its own service.)
    servers = {key: value for key, value in memory_keyring.passwords.items() if key[0] == credentials.SERVICE}
    assert servers == {(credentials.SERVICE, account): DB_PASSWORD}

    QTest.keyClicks(login.username, "dengji")
    QTest.keyClicks(login.password, CLERK_PASSWORD)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        click(qtbot, login.login_button)
    assert isinstance(startup.window, MainWindow)
    qtbot.addWidget(startup.window)
    assert CENTER in startup.window.windowTitle()

    # The next start of this desk finds the server by its settings and the keychain alone.
    again = Database(resolve_url(None))
    try:
        assert current_revision(again) == head_revision()
    finally:
        again.dispose()


def test_a_desk_without_a_keychain_keeps_the_password_in_pgpass(
        qtbot: QtBot, startups: list[Startup], center_server: CenterServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, chinese: None) -> None:
    # A Linux PC with no desktop keychain: keyring finds no backend.
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    pgpass = tmp_path / "pgpass"
    monkeypatch.setenv(credentials.PGPASS_ENV, str(pgpass))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no session bus to find a keychain on
    wizard = start_new_desk(qtbot, startups)
    startup = startups[-1]
    page = wizard.server_page
    type_server(qtbot, wizard, center_server, DB_PASSWORD)
    assert page.pgpass.isVisible() and page.pgpass.isChecked()
    assert str(pgpass) in page.pgpass.text() and "钥匙串" in page.pgpass.text()
    assert "钥匙串" in page.subTitle()
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: page.probe is not None, timeout=15_000)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))

    login = startup.login
    qtbot.waitUntil(login.login_button.isEnabled, timeout=30_000)
    assert login.isVisible()
    assert startup.message_box is None  # nothing went wrong to tell
    assert settings.DeskSettings.load().database_url == center_server.url + "?sslmode=disable"
    line = f"127.0.0.1:{center_server.port}:{center_server.database}:{center_server.role}:{DB_PASSWORD}"
    assert pgpass.read_text(encoding="utf-8").splitlines() == [line]
    assert stat.S_IMODE(pgpass.stat().st_mode) == 0o600  # libpq ignores a file others can read
    assert credentials.pgpass_has(make_url(center_server.url))

    # The next start: no keychain, no password in the URL — libpq finds it in the file.
    again = Database(resolve_url(None))
    try:
        assert current_revision(again) == head_revision()
        assert auth.login(again, "zhuren", ADMIN_PASSWORD).role is Role.ADMIN
    finally:
        again.dispose()


def test_a_server_with_an_older_structure_is_not_joined(qtbot: QtBot, startups: list[Startup],
                                                        center_server: CenterServer, chinese: None) -> None:
    db = Database(make_url(center_server.url).set(password=DB_PASSWORD))
    try:
        migrate_to(db, "0010")
    finally:
        db.dispose()
    wizard = start_new_desk(qtbot, startups)
    page = wizard.server_page
    type_server(qtbot, wizard, center_server, DB_PASSWORD)
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: page.probe is not None, timeout=15_000)
    status = page.status.text()
    assert "结构" in status and "db upgrade --ask-password" in status, status
    assert f"postgresql://{center_server.role}@127.0.0.1:{center_server.port}/{center_server.database}" in status
    assert not wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert not settings.DeskSettings.path().exists()


def test_a_desk_whose_password_is_gone_says_why_at_start(qtbot: QtBot, startups: list[Startup],
                                                         center_server: CenterServer, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, chinese: None) -> None:
    """A joined desk whose keychain lost the password (or a server whose password changed): the
    start says so in Chinese, with the way to fix it, instead of libpq's English."""
    monkeypatch.setenv(credentials.PGPASS_ENV, str(tmp_path / "pgpass"))  # no file
    desk_settings = settings.DeskSettings.load()
    desk_settings.database_url = center_server.url
    desk_settings.save()
    startup = Startup(None, runner=Runner(None), first_run="wizard")
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startups.append(startup)
    with qtbot.waitSignal(startup.failed, timeout=30_000) as failed:
        startup.begin()
    message = failed.args[0]
    assert f"要求用户 {center_server.role} 的密码" in message and "数据库连接" in message, message
    assert startup.message_box is not None
    assert message in startup.message_box.informativeText()
    startup.message_box.close()
