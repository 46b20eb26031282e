"""``db.probe_server``, the connection test of the first-run wizard, the server settings and
``db connect``, against the suite's real PostgreSQL server and a port nobody listens on."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mediation_desk.db import (
    Database,
    ProbeStage,
    SchemaState,
    alembic_config,
    head_revision,
    migrate_to,
    probe_server,
)
from mediation_desk.models import Role

from .. import pgserver
from .helpers import make_user

STEP = "请在“密码”一栏填写密码。"
PASSWORD = "Probe-Pass-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_a_port_nobody_listens_on_is_unreachable_and_said_in_chinese() -> None:
    port = free_port()
    url = make_url(f"postgresql+psycopg://mediation@127.0.0.1:{port}/mediation")
    probe = probe_server(url, "secret", password_step=STEP)
    assert probe.stage is ProbeStage.UNREACHABLE and not probe.ok and not probe.usable
    assert probe.problem.startswith(f"数据库服务器 127.0.0.1:{port} 拒绝连接或无法到达")
    assert "PostgreSQL 没有运行" in probe.problem and "secret" not in probe.problem
    assert probe.detail == "Connection refused"
    assert probe.head == head_revision() and probe.revision is None and probe.schema is None


def test_an_unknown_host_is_unreachable() -> None:
    probe = probe_server(make_url("postgresql+psycopg://mediation@no-such-host.invalid:5432/mediation"))
    assert probe.stage is ProbeStage.UNREACHABLE
    assert probe.problem.startswith("找不到数据库服务器“no-such-host.invalid”")


def connections_to(pg_server: pgserver.PgServer, database: str) -> int:
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            count: int = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                                      {"d": database}).scalar_one()
            return count
    finally:
        admin.dispose()


@pytest.mark.postgresql
def test_a_current_database_with_accounts(pg_server: pgserver.PgServer, pg_database_url: str) -> None:
    db = Database(pg_database_url)
    try:
        make_user(db, "clerk", Role.INTAKE)
        make_user(db, "root", Role.ADMIN)
    finally:
        db.dispose()
    url = make_url(pg_database_url)
    probe = probe_server(url)
    assert probe.stage is ProbeStage.CONNECTED and probe.ok and probe.problem == ""
    assert probe.schema is SchemaState.CURRENT and probe.revision == probe.head == head_revision()
    assert probe.users == 2 and probe.has_center and probe.usable and not probe.outdated
    assert probe.server_version.split(".")[0].isdigit() and probe.encrypted is False
    assert connections_to(pg_server, str(url.database)) == 0  # the probe's connection is closed


@pytest.mark.postgresql
def test_an_empty_database_can_be_set_up(empty_pg_database_url: str) -> None:
    probe = probe_server(make_url(empty_pg_database_url))
    assert probe.ok and probe.schema is SchemaState.EMPTY and probe.revision is None
    assert probe.users == 0 and not probe.has_center and probe.usable and probe.problem == ""


@pytest.mark.postgresql
def test_an_older_structure_is_outdated_and_a_newer_one_refused(pg_database_url: str) -> None:
    db = Database(pg_database_url)
    try:
        make_user(db, "root", Role.ADMIN)
        down = ScriptDirectory.from_config(alembic_config()).get_revision(head_revision()).down_revision
        assert isinstance(down, str)
        migrate_to(db, down)
        probe = probe_server(make_url(pg_database_url))
        assert probe.ok and probe.schema is SchemaState.OLDER and probe.revision == down
        assert probe.outdated and not probe.usable and probe.users == 1 and probe.problem == ""

        with db.writer.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
        probe = probe_server(make_url(pg_database_url))
        assert probe.ok and probe.schema is SchemaState.NEWER and not probe.usable
        assert probe.problem == "服务器上的数据库结构版本（ffff_from_the_future）比本程序新，请先安装新版矛调工作台。"
    finally:
        db.dispose()


@pytest.fixture
def password_server(pg_server: pgserver.PgServer) -> Iterator[tuple[pgserver.PgServer, str, str]]:
    role, name = pgserver.create_password_database(pg_server, PASSWORD)
    yield pg_server, role, name
    pgserver.drop_password_database(pg_server, role, name)


@pytest.mark.postgresql
def test_the_password_is_the_given_one_and_a_wrong_or_missing_one_is_explained(
        password_server: tuple[pgserver.PgServer, str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    server, role, name = password_server
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")
    url = make_url(f"postgresql+psycopg://{role}@127.0.0.1:{server.port}/{name}")

    assert probe_server(url, PASSWORD).ok
    assert probe_server(url.set(password=PASSWORD)).ok  # or the URL's own

    wrong = probe_server(url, "Wrong-Pass", password_step=STEP)
    assert wrong.stage is ProbeStage.AUTH and not wrong.ok
    assert f"拒绝了用户 {role} 的密码" in wrong.problem and wrong.problem.endswith(STEP)
    assert "Wrong-Pass" not in wrong.problem + wrong.detail

    missing = probe_server(url, None, password_step=STEP)
    assert missing.stage is ProbeStage.AUTH
    assert f"要求用户 {role} 的密码" in missing.problem and missing.problem.endswith(STEP)


@pytest.mark.postgresql
def test_no_such_database_and_tls_on_a_server_without_it(pg_server: pgserver.PgServer) -> None:
    base = make_url(pg_server.url)
    probe = probe_server(base.set(database="no_such_database"))
    assert probe.stage is ProbeStage.NO_DATABASE
    assert "上没有名为“no_such_database”的数据库" in probe.problem

    probe = probe_server(base.update_query_dict({"sslmode": "require"}))
    assert probe.stage is ProbeStage.TLS and "SSL" in probe.detail, probe
