"""Connecting a desk to the center's server from the command line, as the center's IT person does
it (docs/deployment.md): a password-protected server, the schema created by the administrator, a
desk with a keychain and a desk without one (.pgpass). Every failure is one Chinese message that
says what to do, never a traceback."""

from __future__ import annotations

import getpass
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from mediation_desk import cli, credentials, settings
from mediation_desk.db import head_revision

from . import pgserver
from .conftest import MemoryKeyring

pytestmark = pytest.mark.postgresql

DB_PASSWORD = "Desk-Pass-2026"


@dataclass(frozen=True)
class Server:
    port: int
    role: str
    database: str

    @property
    def url(self) -> str:
        """As docs/deployment.md writes it: no driver, no password. The suite's server speaks no TLS,
        so the URL names the weaker mode explicitly (``db connect`` checks the certificate unless told
        otherwise; tests/services/test_server_tls.py)."""
        return f"postgresql://{self.role}@127.0.0.1:{self.port}/{self.database}?sslmode=disable"


@pytest.fixture
def server(pg_server: pgserver.PgServer) -> Iterator[Server]:
    role, name = pgserver.create_password_database(pg_server, DB_PASSWORD)
    yield Server(pg_server.port, role, name)
    pgserver.drop_password_database(pg_server, role, name)


def run_cli(*args: str, stdin: str = "", pgpass: Path,
            session: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a desk runs it: with no ``session``, keyring finds no keychain (a headless
    PC); a ``session`` gives the variables of a desktop session instead."""
    env = dict(os.environ)
    env["MEDIATION_DESK_TEST_CHEAP_HASHING"] = "1"
    env[credentials.PGPASS_ENV] = str(pgpass)
    for name in ("PGPASSWORD", "DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND"):
        env.pop(name, None)
    if session is None:
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    else:
        env.update(session)
    command = [sys.executable, "-m", "mediation_desk", *args]
    return subprocess.run(command, input=stdin, capture_output=True, check=False, text=True, env=env, timeout=300)


def test_the_administrator_creates_the_schema_and_a_headless_desk_connects_through_pgpass(
        server: Server, tmp_path: Path) -> None:
    pgpass = tmp_path / "pgpass"

    # No password anywhere: one Chinese message naming the ways to give it, exit 2.
    result = run_cli("--database", server.url, "db", "upgrade", pgpass=pgpass)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert f"要求用户 {server.role} 的密码" in result.stderr
    assert "--ask-password" in result.stderr and "--pgpass" in result.stderr and str(pgpass) in result.stderr

    # Step 2: the administrator creates the schema, typing the password for this run only.
    result = run_cli("--database", server.url, "db", "upgrade", "--ask-password", stdin=DB_PASSWORD + "\n",
                     pgpass=pgpass)
    assert result.returncode == 0, result.stderr
    assert f"空库 → {head_revision()}" in result.stdout and DB_PASSWORD not in result.stdout
    assert not pgpass.exists() and not settings.DeskSettings.path().exists()  # nothing was stored

    # A desk with no keychain: the keychain way fails with the .pgpass way in the message.
    result = run_cli("db", "connect", server.url, "--ask-password", stdin=DB_PASSWORD + "\n", pgpass=pgpass)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "No recommended backend" not in result.stderr
    assert "钥匙串" in result.stderr
    assert f"mediation-desk db connect {server.url} --ask-password --pgpass" in result.stderr
    assert not settings.DeskSettings.path().exists()

    # A wrong password is refused in Chinese and nothing is written.
    result = run_cli("db", "connect", server.url, "--ask-password", "--pgpass", stdin="wrong\n", pgpass=pgpass)
    assert result.returncode == 2
    assert f"拒绝了用户 {server.role} 的密码" in result.stderr
    assert not pgpass.exists() and not settings.DeskSettings.path().exists()

    # As the message says: --pgpass. The file is this user's only; the settings hold no password.
    result = run_cli("db", "connect", server.url, "--ask-password", "--pgpass", stdin=DB_PASSWORD + "\n",
                     pgpass=pgpass)
    assert result.returncode == 0, result.stderr
    assert f"密码已写入 {pgpass}" in result.stdout
    assert pgpass.read_text(encoding="utf-8") == (
        f"127.0.0.1:{server.port}:{server.database}:{server.role}:{DB_PASSWORD}\n")
    assert stat.S_IMODE(pgpass.stat().st_mode) == 0o600
    saved = settings.DeskSettings.load().database_url
    assert make_url(saved).password is None and make_url(saved).database == server.database
    assert DB_PASSWORD not in settings.DeskSettings.path().read_text(encoding="utf-8")

    # From now on the desk's commands find the server and its password by themselves.
    result = run_cli("db", "check", pgpass=pgpass)
    assert result.returncode == 0, result.stderr
    assert f"数据库结构正常：{server.url}" in result.stdout
    # Listing accounts needs a login (issue 17): the first administrator, made without one.
    made = run_cli("user", "add", "admin", "--name", "赵磊", "--role", "admin", "--first-admin", "--password-stdin",
                   stdin="Admin#2026x\n", pgpass=pgpass)
    assert made.returncode == 0, made.stderr
    result = run_cli("user", "list", "--as", "admin", "--password-stdin", stdin="Admin#2026x\n", pgpass=pgpass)
    assert result.returncode == 0, result.stderr


def test_a_desk_with_a_keychain_keeps_the_password_there(server: Server, tmp_path: Path,
                                                          memory_keyring: MemoryKeyring,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(credentials.PGPASS_ENV, str(tmp_path / "pgpass"))
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": DB_PASSWORD)
    assert cli.main(["db", "connect", server.url, "--ask-password"]) == 0
    out = capsys.readouterr().out
    assert "密码已存入系统钥匙串" in out and "服务器上的数据库还是空的" in out  # step 2 not done yet
    account = f"{server.role}@127.0.0.1:{server.port}/{server.database}"
    assert memory_keyring.passwords == {(credentials.SERVICE, account): DB_PASSWORD}
    assert not (tmp_path / "pgpass").exists()

    monkeypatch.setattr(getpass, "getpass", lambda prompt="": pytest.fail("no password should be asked"))
    assert cli.main(["db", "upgrade"]) == 0  # the desk's setting and the keychain's password
    assert cli.main(["db", "check"]) == 0
    assert f"数据库结构正常：{server.url}" in capsys.readouterr().out


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql://{role}@127.0.0.1:{port}/no_such_database", "上没有名为“no_such_database”的数据库"),
    ("postgresql://{role}@127.0.0.1:1/{database}", "拒绝连接或无法到达"),
    ("postgresql://{role}@no-such-host.invalid:{port}/{database}", "找不到数据库服务器“no-such-host.invalid”"),
])
def test_connection_failures_are_one_chinese_message(server: Server, tmp_path: Path, url: str,
                                                     expected: str) -> None:
    given = url.format(role=server.role, port=server.port, database=server.database)
    result = run_cli("db", "connect", given, "--tls", "disable", "--ask-password", "--pgpass",
                     stdin=DB_PASSWORD + "\n", pgpass=tmp_path / "pgpass")
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not settings.DeskSettings.path().exists()


def _wait_for_name(address: str, name: str) -> None:
    """Until ``name`` has an owner on the bus at ``address`` (the daemon registered it)."""
    from jeepney import DBusAddress, new_method_call  # type: ignore[import-untyped]
    from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]

    bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus")
    with open_dbus_connection(bus=address) as connection:
        for _ in range(500):
            if connection.send_and_get_reply(new_method_call(bus, "NameHasOwner", "s", (name,))).body[0]:
                return
            time.sleep(0.02)
    pytest.fail(f"{name} never appeared on the session bus")


@pytest.mark.skipif(not (shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon")),
                    reason="needs dbus-daemon and gnome-keyring (apt-get install gnome-keyring)")
def test_a_desk_started_without_its_session_bus_address_uses_the_desktop_keychain(server: Server,
                                                                                 tmp_path: Path) -> None:
    """A Linux desktop whose terminal (or su, or a launcher) lost DBUS_SESSION_BUS_ADDRESS: the
    user's session bus is still at $XDG_RUNTIME_DIR/bus with GNOME Keyring on it; the desk finds
    it there instead of saying there is no keychain."""
    runtime, home = tmp_path / "run", tmp_path / "home"
    runtime.mkdir()
    home.mkdir()
    address = f"unix:path={runtime / 'bus'}"
    daemon = subprocess.Popen(["dbus-daemon", "--session", f"--address={address}", "--nofork"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    keychain: subprocess.Popen[bytes] | None = None
    try:
        for _ in range(500):
            if (runtime / "bus").is_socket():
                break
            time.sleep(0.02)
        # What the desktop login does: unlock (the first time: create) the user's keychain.
        keychain = subprocess.Popen(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "HOME": str(home), "DBUS_SESSION_BUS_ADDRESS": address})
        assert keychain.stdin is not None
        keychain.stdin.write(b"login-keyring-password")
        keychain.stdin.close()
        _wait_for_name(address, "org.freedesktop.secrets")

        session = {"HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}  # no DBUS_SESSION_BUS_ADDRESS
        pgpass = tmp_path / "pgpass"
        result = run_cli("db", "connect", server.url, "--ask-password", stdin=DB_PASSWORD + "\n", pgpass=pgpass,
                         session=session)
        assert result.returncode == 0, result.stderr
        assert "密码已存入系统钥匙串" in result.stdout
        assert not pgpass.exists()
        # The next run reads it back from the keychain: no password typed, none in any file.
        result = run_cli("db", "upgrade", pgpass=pgpass, session=session)
        assert result.returncode == 0, result.stderr
        assert f"空库 → {head_revision()}（{server.url}）" in result.stdout
    finally:
        if keychain is not None:
            keychain.terminate()
            keychain.wait()
        daemon.terminate()
        daemon.wait()
