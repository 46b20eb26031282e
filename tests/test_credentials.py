"""Where a desk keeps its server password without a keychain (libpq's .pgpass), and the Chinese
description of libpq's connection failures (their English texts as libpq 15 writes them)."""

from __future__ import annotations

import stat
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from sqlalchemy.engine import make_url

from mediation_desk import credentials
from mediation_desk.credentials import Problem

URL = make_url("postgresql+psycopg://mediation@192.168.1.10:5432/mediation")


@pytest.fixture
def pgpass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "pgpass"
    monkeypatch.setenv(credentials.PGPASS_ENV, str(path))
    return path


def test_pgpass_line_is_escaped_replaced_and_private(pgpass: Path) -> None:
    other = "db.other:5432:*:someone:keep\\:me"
    pgpass.write_text(f"# the IT person's note\n{other}\n192.168.1.10:5432:mediation:mediation:old\n",
                      encoding="utf-8")
    assert credentials.pgpass_has(URL)
    path = credentials.store_in_pgpass(URL, "a:b\\c")
    assert path == pgpass
    assert pgpass.read_text(encoding="utf-8").splitlines() == [
        "# the IT person's note", other, "192.168.1.10:5432:mediation:mediation:a\\:b\\\\c"]
    assert stat.S_IMODE(pgpass.stat().st_mode) == 0o600
    assert not credentials.pgpass_has(URL.set(database="other"))


def test_a_wildcard_line_counts(pgpass: Path) -> None:
    assert not credentials.pgpass_has(URL)  # no file
    pgpass.write_text("192.168.1.10:*:*:mediation:secret\n", encoding="utf-8")
    assert credentials.pgpass_has(URL)
    assert not credentials.pgpass_has(URL.set(username="other"))


def test_no_keychain_is_said_in_chinese_with_the_pgpass_command(pgpass: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no session bus to find a keychain on
    assert credentials.keychain_problem() == "本机没有运行任何钥匙串服务"
    with pytest.raises(credentials.KeychainUnavailable) as caught:
        credentials.store_password(URL, "secret")
    message = str(caught.value)
    assert "No recommended backend" not in message and "secret" not in message
    assert "mediation-desk db connect postgresql://mediation@192.168.1.10:5432/mediation --ask-password --pgpass" \
        in message
    assert str(pgpass) in message
    assert credentials.load_password(URL) is None  # the desk then connects and libpq reads .pgpass


@pytest.mark.parametrize(("libpq", "problem", "words"), [
    ('connection failed: connection to server at "192.168.1.10", port 5432 failed: fe_sendauth: no password supplied',
     Problem.NO_PASSWORD, "要求用户 mediation 的密码"),
    ('connection failed: connection to server at "192.168.1.10", port 5432 failed: FATAL:  password authentication '
     'failed for user "mediation"', Problem.WRONG_PASSWORD, "拒绝了用户 mediation 的密码"),
    ('connection failed: connection to server at "192.168.1.10", port 5432 failed: FATAL:  no pg_hba.conf entry for '
     'host "192.168.1.23", user "mediation", database "mediation", no encryption', Problem.NOT_ALLOWED, "pg_hba.conf"),
    ('connection failed: connection to server at "192.168.1.10", port 5432 failed: FATAL:  database "mediaton" '
     'does not exist', Problem.NO_DATABASE, "上没有名为“mediation”的数据库"),
    ('connection failed: connection to server at "192.168.1.10", port 5432 failed: Connection refused\n\tIs the '
     'server running on that host and accepting TCP/IP connections?', Problem.REFUSED, "listen_addresses"),
    ('connection failed: could not translate host name "db.center" to address: Name or service not known',
     Problem.UNKNOWN_HOST, "找不到数据库服务器“192.168.1.10”"),
    ("connection failed: connection timeout expired", Problem.TIMEOUT, "超时"),
    ("permission denied for schema public", Problem.NO_PRIVILEGE, "没有所需的权限"),
    ("server closed the connection unexpectedly", Problem.OTHER, "服务器的原始信息：server closed the connection"),
])
def test_libpq_failures_in_chinese(libpq: str, problem: Problem, words: str) -> None:
    error = RuntimeError(libpq)
    assert credentials.diagnose(error) is problem
    message = credentials.describe_connection_error(URL, error, password_step="（填写密码）")
    assert words in message, message
    assert ("（填写密码）" in message) == (problem in (Problem.NO_PASSWORD, Problem.WRONG_PASSWORD))
