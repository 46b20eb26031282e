"""The app's side of issue 17 items 6 and 7: a first start makes an encrypted desk file (SQLCipher,
key in the test's keychain) and signs in to it; 设置 → 可信的本地文件系统: the head (or the
administrator) names a local FUSE type the desk trusts, by typing it as a person would; a network
type is refused with the type named and the typed text kept; each saved change is in the audit log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk import credentials, dbcipher, demo, settings
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry
from mediation_desk.ui.app import Startup
from mediation_desk.ui.common import i18n
from mediation_desk.ui.shell.main_window import MainWindow
from mediation_desk.ui.shell.trusted_filesystems import TrustedFilesystemsDialog

from ..conftest import MemoryKeyring, login_as
from .conftest import Runner

pytestmark = pytest.mark.gui


@pytest.fixture
def chinese(qapp: QApplication, language: object) -> None:
    i18n.register_fonts(qapp)
    language("zh_CN")  # type: ignore[operator]


@pytest.fixture
def startups() -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        startup.close()


def test_a_first_start_makes_an_encrypted_desk_and_signs_in(qtbot: QtBot, startups: list[Startup],
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            memory_keyring: MemoryKeyring) -> None:
    monkeypatch.setenv(dbcipher.ENCRYPTION_ENV, "on")
    startup = Startup(None, runner=Runner(None), first_run="demo")
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startups.append(startup)
    startup.begin()
    login = startup.login
    qtbot.waitUntil(login.login_button.isEnabled, timeout=30_000)
    path = settings.default_database_path()
    assert dbcipher.is_encrypted(path)
    assert (credentials.DATABASE_KEY_SERVICE, dbcipher.file_id(path)) in memory_keyring.passwords
    QTest.keyClicks(login.username, "head")
    QTest.keyClicks(login.password, demo.DEMO_PASSWORD)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        QTest.keyClick(login.password, Qt.Key.Key_Return)
    assert isinstance(startup.window, MainWindow)
    qtbot.addWidget(startup.window)
    assert "张掖市甘州区矛盾纠纷调处中心" in startup.window.windowTitle()
    assert "张掖".encode() not in path.read_bytes()


def _menu_texts(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menus[1].actions()]


def test_the_menu_offers_it_to_the_head_and_the_admin_only(chinese: None, runner: Runner, demo_sqlite_db: Database,
                                                           qtbot: QtBot) -> None:
    for username, offered in (("head", True), ("admin", True), ("clerk", False)):
        window = MainWindow(runner, login_as(demo_sqlite_db, username), "中心")
        qtbot.addWidget(window)
        assert ("可信的本地文件系统(&T)…" in _menu_texts(window)) is offered, username


def test_the_head_trusts_a_local_fuse_type_typed_and_a_network_type_is_refused(
        chinese: None, runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    window = MainWindow(runner, login_as(demo_sqlite_db, "head"), "中心")
    qtbot.addWidget(window)
    window.edit_trusted_filesystems()
    dialog = window.findChild(TrustedFilesystemsDialog)
    assert dialog is not None
    assert dialog.windowTitle() == "矛调工作台 — 可信的本地文件系统"
    assert dialog.types.text() == ""

    QTest.keyClicks(dialog.types, "fuse.gvfsd-fuse")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.status.isVisible)
    assert "fuse.gvfsd-fuse" in dialog.status.text() and "网络文件系统" in dialog.status.text()
    assert dialog.types.text() == "fuse.gvfsd-fuse"  # nothing typed is lost
    assert settings.trusted_filesystems() == frozenset()

    dialog.types.selectAll()
    QTest.keyClicks(dialog.types, "fuse.mergerfs")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已保存" in dialog.status.text())
    assert settings.trusted_filesystems() == {"fuse.mergerfs"}
    with demo_sqlite_db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "trust_filesystems")).one()
    assert entry.username == "head" and entry.detail["before"] == [] and entry.detail["after"] == ["fuse.mergerfs"]
