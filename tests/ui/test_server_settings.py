"""设置 → 数据库连接 against the test suite's real PostgreSQL server."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mediation_desk import credentials, settings
from mediation_desk.db import Database, current_revision, head_revision, migrate_to
from mediation_desk.db import ProbeStage as Stage
from mediation_desk.db import SchemaState as Schema
from mediation_desk.db import ServerProbe as Probe
from mediation_desk.models import Role
from mediation_desk.ui.shell.server_settings import ServerSettingsDialog

from .. import pgserver
from ..conftest import MemoryKeyring
from ..services.helpers import PASSWORD as USER_PASSWORD
from ..services.helpers import make_user
from .conftest import Runner, type_text

pytestmark = [pytest.mark.gui, pytest.mark.postgresql]

PASSWORD_USER = "md_desk_user"
PASSWORD = "Right-Pass-2026"


@pytest.fixture(scope="module")
def password_account(pg_server: pgserver.PgServer) -> str:
    """An account the server checks the password of (the suite's own user ``app`` is trusted):
    one pg_hba line for this user alone, put before the trust lines."""
    hba = pg_server.data_dir / "pg_hba.conf"
    original = hba.read_text()
    if PASSWORD_USER not in original:
        hba.write_text(f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n" + original)
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :u"), {"u": PASSWORD_USER}).scalar()
        if not exists:
            conn.execute(text(f"CREATE ROLE {PASSWORD_USER} LOGIN SUPERUSER PASSWORD '{PASSWORD}'"))
        conn.execute(text("SELECT pg_reload_conf()"))
    admin.dispose()
    return PASSWORD_USER


@pytest.fixture
def runner() -> Iterator[Runner]:
    # The real threaded lanes: the test must not block the GUI thread, as in the app.
    task_runner = Runner(None, synchronous=False)
    yield task_runner
    task_runner.shutdown()
    assert not task_runner.unhandled


@pytest.fixture
def dialog(runner: Runner, qtbot: QtBot, chinese: None) -> ServerSettingsDialog:
    widget = ServerSettingsDialog(runner)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def fill(dialog: ServerSettingsDialog, port: int, database: str, user: str, password: str = "",
         tls: str = "prefer", host: str = "127.0.0.1") -> None:
    """The fields as a person types them; ``tls``: the encryption chosen (the suite's own server
    speaks no TLS, so its tests choose a weaker mode than the default, and confirm it on saving)."""
    for edit, value in ((dialog.host, host), (dialog.database, database), (dialog.user, user)):
        edit.clear()
        type_text(edit, value)
    dialog.port.setValue(port)
    dialog.password.clear()
    if password:
        type_text(dialog.password, password)
    dialog.tls.setCurrentIndex(dialog.tls.findData(tls))
    if tls != "verify-full":
        dialog.confirm_weak_tls = lambda: True  # type: ignore[method-assign]


def run_test(dialog: ServerSettingsDialog, qtbot: QtBot, timeout: int = 8000) -> Probe | str:
    with qtbot.waitSignal(dialog.tested, timeout=timeout) as blocker:
        dialog.test_button.click()
    result = blocker.args[0]
    assert isinstance(result, Probe | str)
    return result


def test_connection_ok_and_save_keeps_the_password_in_the_keychain_only(
        dialog: ServerSettingsDialog, qtbot: QtBot, pg_server: pgserver.PgServer, pg_database_url: str,
        password_account: str, memory_keyring: MemoryKeyring, app_home: Path, chinese: None) -> None:
    database = pg_database_url.rsplit("/", 1)[1]
    fill(dialog, pg_server.port, database, password_account, PASSWORD)
    probe = run_test(dialog, qtbot)
    assert isinstance(probe, Probe) and probe.ok and probe.schema is Schema.CURRENT
    status = dialog.status.text()
    assert "已连接" in status and "数据库结构是最新的" in status, status
    assert dialog.admin_box.isHidden()
    dialog.grab().save("/tmp/server_settings_ok.png")

    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    saved = settings.DeskSettings.load().database_url
    assert saved == f"postgresql+psycopg://{password_account}@127.0.0.1:{pg_server.port}/{database}?sslmode=prefer"
    settings_text = settings.DeskSettings.path().read_text(encoding="utf-8")
    assert PASSWORD not in settings_text
    assert not any(PASSWORD in p.read_text(errors="replace") for p in app_home.rglob("*") if p.is_file())
    assert memory_keyring.passwords == {
        (credentials.SERVICE, f"{password_account}@127.0.0.1:{pg_server.port}/{database}"): PASSWORD}

    # The desk opens the saved server with the keychain's password, as the app does at start.
    from mediation_desk.db import resolve_url

    db = Database(resolve_url(None))
    try:
        assert current_revision(db) == head_revision()
    finally:
        db.dispose()

    # Opening the dialog again shows the saved server, and that a password is kept.
    again = ServerSettingsDialog(dialog._runner)
    qtbot.addWidget(again)
    assert again.host.text() == "127.0.0.1" and again.port.value() == pg_server.port
    assert again.user.text() == password_account and again.password.text() == ""
    assert again.password.placeholderText() == "（已保存在系统钥匙串中）"
    probe = run_test(again, qtbot)  # with the keychain's password
    assert isinstance(probe, Probe) and probe.ok

    # And back to this computer's own database file: asked first, then the server is forgotten.
    assert again.local_button.isVisibleTo(again) and not dialog.local_button.isVisibleTo(dialog)
    again.confirm_local = lambda: False  # type: ignore[method-assign]
    again.local_button.click()
    assert settings.DeskSettings.load().database_url == saved
    again.confirm_local = lambda: True  # type: ignore[method-assign]
    with qtbot.waitSignal(again.saved) as back:
        again.local_button.click()
    assert settings.DeskSettings.load().database_url == ""
    from mediation_desk.db import default_url

    assert back.args == [default_url()] and resolve_url(None) == default_url()


def test_wrong_password_is_said_in_chinese(dialog: ServerSettingsDialog, qtbot: QtBot,
                                           pg_server: pgserver.PgServer, password_account: str,
                                           chinese: None) -> None:
    fill(dialog, pg_server.port, "postgres", password_account, "Wrong-Pass")
    probe = run_test(dialog, qtbot)
    assert isinstance(probe, Probe) and probe.stage is Stage.AUTH
    assert "拒绝" in dialog.status.text() and "密码" in dialog.status.text(), dialog.status.text()
    assert dialog.status.styleSheet().startswith("color: #c62828")


def test_unreachable_port_answers_within_seconds(dialog: ServerSettingsDialog, qtbot: QtBot, chinese: None) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    fill(dialog, free, "mediation_desk", "app")
    started = time.monotonic()
    probe = run_test(dialog, qtbot, timeout=6000)
    elapsed = time.monotonic() - started
    print(f"\nunreachable port answered in {elapsed * 1000:.0f} ms")
    assert isinstance(probe, Probe) and probe.stage is Stage.UNREACHABLE
    assert elapsed < 3
    assert "无法连接" in dialog.status.text(), dialog.status.text()
    dialog.grab().save("/tmp/server_settings_unreachable.png")


def test_fields_are_checked_before_connecting(dialog: ServerSettingsDialog, chinese: None) -> None:
    dialog.host.clear()
    dialog.test_button.click()
    assert "服务器地址" in dialog.status.text() and dialog.host.hasFocus()
    type_text(dialog.host, "127.0.0.1")
    dialog.tls.setCurrentIndex(dialog.tls.findData("verify-full"))
    type_text(dialog.user, "app")
    assert dialog.ca_file.isEnabled()
    dialog.save_button.click()
    assert "CA" in dialog.status.text() and dialog.isVisible()
    assert settings.DeskSettings.load().database_url == ""


def test_tls_required_on_a_server_without_it(dialog: ServerSettingsDialog, qtbot: QtBot,
                                             pg_server: pgserver.PgServer, chinese: None) -> None:
    fill(dialog, pg_server.port, "postgres", "app")
    dialog.tls.setCurrentIndex(dialog.tls.findData("require"))
    probe = run_test(dialog, qtbot)
    assert isinstance(probe, Probe) and probe.stage is Stage.TLS, probe
    assert "加密" in dialog.status.text()


def test_an_older_structure_is_upgraded_only_by_an_administrator(
        dialog: ServerSettingsDialog, qtbot: QtBot, pg_server: pgserver.PgServer, pg_database_url: str,
        chinese: None) -> None:
    db = Database(pg_database_url)
    try:
        make_user(db, "clerk", Role.INTAKE)
        make_user(db, "root", Role.ADMIN)
        with db.write() as session:  # one step back, as a server left on the previous version
            previous = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert previous == head_revision()
        from alembic.script import ScriptDirectory

        from mediation_desk.db import alembic_config

        down = ScriptDirectory.from_config(alembic_config()).get_revision(head_revision()).down_revision
        assert isinstance(down, str)
        migrate_to(db, down)
    finally:
        db.dispose()
    fill(dialog, pg_server.port, pg_database_url.rsplit("/", 1)[1], "app")
    probe = run_test(dialog, qtbot)
    assert isinstance(probe, Probe) and probe.schema is Schema.OLDER
    assert dialog.admin_box.isVisible() and "db upgrade" in dialog.status.text()

    type_text(dialog.admin_user, "clerk")
    type_text(dialog.admin_password, USER_PASSWORD)
    with qtbot.waitSignal(dialog.tested, timeout=8000, raising=False):
        dialog.upgrade_button.click()
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=8000)
    assert "不是系统管理员" in dialog.status.text(), dialog.status.text()
    db = Database(pg_database_url)
    try:
        assert current_revision(db) == down
    finally:
        db.dispose()

    dialog.admin_user.clear()
    type_text(dialog.admin_user, "root")
    type_text(dialog.admin_password, USER_PASSWORD)
    with qtbot.waitSignal(dialog.tested, timeout=15000):
        dialog.upgrade_button.click()
    assert "已升级" in dialog.status.text() or "最新" in dialog.status.text(), dialog.status.text()
    db = Database(pg_database_url)
    try:
        assert current_revision(db) == head_revision()
    finally:
        db.dispose()


def test_a_desk_without_a_keychain_saves_the_password_in_pgpass(
        runner: Runner, qtbot: QtBot, pg_server: pgserver.PgServer, pg_database_url: str, password_account: str,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chinese: None) -> None:
    import keyring
    import keyring.backends.fail

    # A Linux PC with no desktop keychain: keyring finds no backend and no session bus to ask.
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    pgpass = tmp_path / "pgpass"
    monkeypatch.setenv(credentials.PGPASS_ENV, str(pgpass))
    dialog = ServerSettingsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pgpass.isVisible() and dialog.pgpass.isChecked()
    assert str(pgpass) in dialog.pgpass.text()
    database = pg_database_url.rsplit("/", 1)[1]
    fill(dialog, pg_server.port, database, password_account, PASSWORD)
    probe = run_test(dialog, qtbot)
    assert isinstance(probe, Probe) and probe.ok
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert pgpass.read_text(encoding="utf-8") == (
        f"127.0.0.1:{pg_server.port}:{database}:{password_account}:{PASSWORD}\n")
    assert PASSWORD not in settings.DeskSettings.path().read_text(encoding="utf-8")

    again = ServerSettingsDialog(runner)
    qtbot.addWidget(again)
    assert again.password.placeholderText() == f"（已保存在文件 {pgpass} 中）"
    probe = run_test(again, qtbot)  # libpq finds the password in the file by itself
    assert isinstance(probe, Probe) and probe.ok


# --------------------------------------------------------------------------- TLS


def test_the_server_certificate_is_checked_by_default_and_saved_with_the_ca(
        dialog: ServerSettingsDialog, qtbot: QtBot, pg_tls_server: pgserver.PgServer, chinese: None) -> None:
    tls = pg_tls_server.tls
    assert tls is not None
    assert dialog.tls.currentData() == "verify-full" and dialog.ca_file.isEnabled()
    assert "推荐" in dialog.tls.currentText()
    fill(dialog, pg_tls_server.port, "postgres", "app", tls="verify-full")

    # The center's CA file, typed as a person does.
    type_text(dialog.ca_file, str(tls.ca))
    probe = run_test(dialog, qtbot)
    assert isinstance(probe, Probe) and probe.ok and probe.encrypted and probe.verified
    assert "已加密，已核验服务器证书" in dialog.status.text(), dialog.status.text()
    dialog.grab().save("/tmp/server_settings_tls.png")

    asked: list[bool] = []

    def confirm() -> bool:
        asked.append(True)
        return True

    dialog.confirm_weak_tls = confirm  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert asked == []  # the default needs no confirmation
    saved = make_url(settings.DeskSettings.load().database_url)  # the CA path is %-encoded in the URL
    assert saved.render_as_string().startswith(f"postgresql+psycopg://app@127.0.0.1:{pg_tls_server.port}/postgres?")
    assert saved.query == {"sslmode": "verify-full", "sslrootcert": str(tls.ca)}

    # Opened again: the saved mode and CA file.
    again = ServerSettingsDialog(dialog._runner)
    qtbot.addWidget(again)
    assert again.tls.currentData() == "verify-full" and again.ca_file.text() == str(tls.ca)


def test_a_wrong_ca_or_address_is_said_in_chinese_and_nothing_is_saved(
        dialog: ServerSettingsDialog, qtbot: QtBot, pg_tls_server: pgserver.PgServer, chinese: None) -> None:
    tls = pg_tls_server.tls
    assert tls is not None
    fill(dialog, pg_tls_server.port, "postgres", "app", tls="verify-full")
    type_text(dialog.ca_file, str(tls.other_ca))
    probe = run_test(dialog, qtbot)
    assert isinstance(probe, Probe) and probe.stage is Stage.TLS
    assert dialog.status.text().startswith("服务器证书无法验证"), dialog.status.text()

    fill(dialog, pg_tls_server.port, "postgres", "app", tls="verify-full", host=pgserver.UNNAMED_ADDRESS)
    dialog.ca_file.clear()
    type_text(dialog.ca_file, str(tls.ca))
    probe = run_test(dialog, qtbot)
    assert isinstance(probe, Probe) and probe.stage is Stage.TLS
    assert dialog.status.text().startswith("服务器证书与地址不符"), dialog.status.text()
    assert not settings.DeskSettings.path().exists()

    # Not a certificate at all: said before connecting.
    dialog.ca_file.clear()
    type_text(dialog.ca_file, str(tls.server_key))
    dialog.test_button.click()
    assert "不是 PEM 格式的证书文件" in dialog.status.text() and dialog.ca_file.hasFocus()


def test_a_weaker_mode_is_saved_only_when_confirmed_and_is_logged(
        dialog: ServerSettingsDialog, qtbot: QtBot, pg_tls_server: pgserver.PgServer,
        caplog: pytest.LogCaptureFixture, chinese: None) -> None:
    fill(dialog, pg_tls_server.port, "postgres", "app", tls="require")
    probe = run_test(dialog, qtbot)
    assert isinstance(probe, Probe) and probe.ok and probe.encrypted and not probe.verified
    assert "未核验服务器证书" in dialog.status.text(), dialog.status.text()

    asked: list[str] = []

    def decline() -> bool:
        asked.append(dialog.tls.currentText())
        return False

    dialog.confirm_weak_tls = decline  # type: ignore[method-assign]
    dialog.save_button.click()
    assert len(asked) == 1 and dialog.isVisible() and dialog.tls.hasFocus()
    assert not settings.DeskSettings.path().exists()

    dialog.confirm_weak_tls = lambda: True  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="mediation_desk.db"), qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert settings.DeskSettings.load().database_url.endswith("/postgres?sslmode=require")
    assert any("saved in the server settings dialog" in r.getMessage() and "sslmode=require" in r.getMessage()
               for r in caplog.records)
