"""TLS between a desk and the center's server, against a throwaway PostgreSQL cluster with
``ssl=on`` and a certificate signed by a throwaway CA (``pg_tls_server``, tests/pgserver.py):
``verify-full`` is the desks' default, and every way it refuses a server is said in Chinese."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from mediation_desk import cli, settings
from mediation_desk.db import (
    DEFAULT_SSLMODE,
    Database,
    ProbeStage,
    ServerAddress,
    probe_server,
    server_address,
    server_url,
)

from .. import pgserver

pytestmark = pytest.mark.postgresql


def address_of(server: pgserver.PgServer, *, host: str = "127.0.0.1", mode: str = DEFAULT_SSLMODE,
               ca: Path | None = None) -> URL:
    """The URL the desks' forms make for this server (user ``app``, database ``postgres``)."""
    return server_url(ServerAddress(host, server.port, "postgres", "app", mode, str(ca) if ca else None))


def certificates(server: pgserver.PgServer) -> pgserver.Certificates:
    assert server.tls is not None
    return server.tls


def test_a_new_address_checks_the_certificate_and_names_its_mode() -> None:
    address = ServerAddress("192.168.1.10", 5432, "mediation", "mediation", sslrootcert="center-ca.crt")
    assert address.sslmode == DEFAULT_SSLMODE == "verify-full"
    url = server_url(address)
    assert url.query["sslmode"] == "verify-full"
    # A relative CA path is made absolute: libpq would look for it wherever the program was started.
    assert url.query["sslrootcert"] == str(Path("center-ca.crt").absolute())
    assert server_address(url.render_as_string(hide_password=True)) == ServerAddress(
        "192.168.1.10", 5432, "mediation", "mediation", "verify-full", str(Path("center-ca.crt").absolute()))
    # A desk saved before the default names no mode: libpq's "prefer" is what it runs with.
    old = server_address("postgresql+psycopg://mediation@192.168.1.10/mediation")
    assert old is not None and old.sslmode == "prefer"


def test_verify_full_with_the_centers_ca_connects_encrypted(pg_tls_server: pgserver.PgServer) -> None:
    tls = certificates(pg_tls_server)
    for host in ("127.0.0.1", "localhost"):  # both names are in the certificate
        probe = probe_server(address_of(pg_tls_server, host=host, ca=tls.ca))
        assert probe.ok and probe.problem == "", probe
        assert probe.encrypted and probe.verified

    # The desk's own connections too: the server sees them encrypted.
    db = Database(address_of(pg_tls_server, ca=tls.ca))
    try:
        with db.read() as session:
            assert session.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar() is True
    finally:
        db.dispose()


def test_a_wrong_ca_is_refused_in_chinese(pg_tls_server: pgserver.PgServer) -> None:
    tls = certificates(pg_tls_server)
    probe = probe_server(address_of(pg_tls_server, ca=tls.other_ca))
    assert probe.stage is ProbeStage.TLS and not probe.ok
    assert probe.problem.startswith(f"服务器证书无法验证：数据库服务器 127.0.0.1:{pg_tls_server.port} 出示的证书"
                                    f"不是由本机的 CA 证书文件“{tls.other_ca}”签发的"), probe.problem
    assert "CA 证书" in probe.problem and "冒充" in probe.problem


def test_an_address_the_certificate_does_not_name_is_refused(pg_tls_server: pgserver.PgServer) -> None:
    tls = certificates(pg_tls_server)
    other = pgserver.UNNAMED_ADDRESS
    # The server answers on that address (encrypted, certificate not checked) …
    unchecked = probe_server(address_of(pg_tls_server, host=other, mode="require"))
    assert unchecked.ok and unchecked.encrypted and not unchecked.verified
    # … but its certificate is for localhost and 127.0.0.1, so a desk that checks it refuses.
    probe = probe_server(address_of(pg_tls_server, host=other, ca=tls.ca))
    assert probe.stage is ProbeStage.TLS and not probe.ok
    assert probe.problem.startswith(f"服务器证书与地址不符：数据库服务器 {other}:{pg_tls_server.port} 出示的证书是为"
                                    "“localhost”签发的"), probe.problem
    assert f"不包含本机填写的地址“{other}”" in probe.problem


def test_a_server_without_tls_is_refused_under_verify_full(pg_server: pgserver.PgServer,
                                                           pg_tls_server: pgserver.PgServer) -> None:
    probe = probe_server(address_of(pg_server, ca=certificates(pg_tls_server).ca))
    assert probe.stage is ProbeStage.TLS and not probe.ok
    assert probe.problem.startswith(f"服务器未启用加密连接：数据库服务器 127.0.0.1:{pg_server.port} 没有开启 TLS")
    assert "docs/deployment.md" in probe.problem


def test_require_works_without_a_ca_file(pg_tls_server: pgserver.PgServer) -> None:
    probe = probe_server(address_of(pg_tls_server, mode="require"))
    assert probe.ok and probe.encrypted and not probe.verified


def test_a_missing_or_unreadable_ca_file_is_named(pg_tls_server: pgserver.PgServer, tmp_path: Path) -> None:
    missing = tmp_path / "usb" / "center-ca.crt"
    probe = probe_server(address_of(pg_tls_server, ca=missing))
    assert probe.stage is ProbeStage.TLS
    assert probe.problem.startswith(f"找不到 CA 证书文件“{missing}”"), probe.problem
    # The CA's private key given instead of its certificate.
    key = tmp_path / "center-ca.key"
    key.write_bytes(certificates(pg_tls_server).server_key.read_bytes())
    probe = probe_server(address_of(pg_tls_server, ca=key))
    assert probe.stage is ProbeStage.TLS
    assert probe.problem.startswith(f"CA 证书文件“{key}”不是有效的证书文件"), probe.problem


def test_a_weaker_mode_is_logged_each_time_the_desk_opens_the_server(
        pg_tls_server: pgserver.PgServer, caplog: pytest.LogCaptureFixture) -> None:
    tls = certificates(pg_tls_server)
    with caplog.at_level(logging.INFO, logger="mediation_desk.db"):
        Database(address_of(pg_tls_server, ca=tls.ca)).dispose()
        assert not caplog.records
        Database(address_of(pg_tls_server, mode="require")).dispose()
    [record] = caplog.records
    assert "sslmode=require, weaker than verify-full" in record.getMessage()
    assert f"127.0.0.1:{pg_tls_server.port}" in record.getMessage()


# --------------------------------------------------------------------------- db connect


def test_db_connect_checks_the_certificate_unless_told_otherwise(
        pg_tls_server: pgserver.PgServer, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    tls = certificates(pg_tls_server)
    given = f"postgresql://app@127.0.0.1:{pg_tls_server.port}/postgres"

    # No CA file: refused before connecting, with the ways out named.
    assert cli.main(["db", "connect", given]) == 2
    err = capsys.readouterr().err
    assert "需要中心的 CA 证书文件：请加 --ca-file" in err and "--tls require" in err
    assert not settings.DeskSettings.path().exists()

    # The wrong CA: the server is refused, nothing is saved.
    assert cli.main(["db", "connect", given, "--ca-file", str(tls.other_ca)]) == 2
    assert "服务器证书无法验证" in capsys.readouterr().err
    assert not settings.DeskSettings.path().exists()

    # The center's CA: saved with the mode and the CA file.
    assert cli.main(["db", "connect", given, "--ca-file", str(tls.ca)]) == 0
    saved = make_url(settings.DeskSettings.load().database_url)
    assert saved.query == {"sslmode": "verify-full", "sslrootcert": str(tls.ca)}
    assert "注意" not in capsys.readouterr().err

    # A weaker mode only by name: said on the terminal and logged.
    with caplog.at_level(logging.INFO, logger="mediation_desk.db"):
        assert cli.main(["db", "connect", given, "--tls", "require"]) == 0
    assert "sslmode=require" in capsys.readouterr().err
    assert make_url(settings.DeskSettings.load().database_url).query == {"sslmode": "require"}
    assert any("saved by db connect" in r.getMessage() for r in caplog.records)

    # Two different modes are not guessed between.
    assert cli.main(["db", "connect", given + "?sslmode=disable", "--tls", "require"]) == 2
    assert "不一致" in capsys.readouterr().err
