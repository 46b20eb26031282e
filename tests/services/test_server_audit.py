"""The audit chain on a center server (issue 17 items 2-3, migration 0015): entries written and keyed
by the server, a key no app role can read, a table that is insert-only through the server's
function for every role — proved by SQL run directly as a throwaway login role and as the owner."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import os
import secrets
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from sqlalchemy import Engine, create_engine, make_url, select, text
from sqlalchemy.exc import DBAPIError

from mediation_desk.db import Database, migrate_to, upgrade
from mediation_desk.models import AuditEntry, Role
from mediation_desk.services import audit
from mediation_desk.services.actor import Actor

from ..conftest import MemoryKeyring
from .audit_tampering import chain_key, tampering
from .helpers import make_user, register
from .test_audit_chain import BrokenKeyring

pytestmark = pytest.mark.postgresql

_roles = itertools.count(1)


@pytest.fixture
def server_db(pg_database_url: str) -> Iterator[Database]:
    database = Database(pg_database_url)
    yield database
    database.dispose()


def entries(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def verify(db: Database) -> audit.ChainCheck:
    with db.read() as session:
        return audit.verify_chain(session, anchors=[])


@contextlib.contextmanager
def login_role(db: Database, *grants: str) -> Iterator[Engine]:
    """A throwaway login role of the server with ``grants`` (SQL, ``{role}`` for its name), and an
    engine connected as it — what a person holding one desk's database login can run."""
    name = f"md_probe_{os.getpid()}_{next(_roles)}"
    owner = create_engine(db.url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text(f"CREATE ROLE {name} LOGIN"))
        for grant in grants:
            connection.execute(text(grant.format(role=name)))
    engine = create_engine(make_url(db.url).set(username=name, password=None))
    try:
        yield engine
    finally:
        engine.dispose()
        with owner.connect() as connection:
            connection.execute(text(f"DROP OWNED BY {name}"))
            connection.execute(text(f"DROP ROLE {name}"))
        owner.dispose()


#: What the roles migration gives an app role on the audit table (at most): read and insert.
INSERT_SELECT = ("GRANT SELECT, INSERT ON audit_entry TO {role}",
                 "GRANT USAGE ON SEQUENCE audit_entry_id_seq TO {role}")


def refused(engine: Engine, statement: str, **params: object) -> str:
    """Run ``statement`` as the role; it must fail; return the server's message."""
    with pytest.raises(DBAPIError) as raised, engine.begin() as connection:
        connection.execute(text(statement), params)
    return str(raised.value.orig)


def some_history(db: Database) -> Actor:
    clerk = make_user(db, "clerk", Role.INTAKE)
    for title in ("相邻通行纠纷", "宅基地纠纷"):
        register(db, clerk, title=title)
    return clerk


# --------------------------------------------------------------------------- written by the server


def test_entries_appended_through_the_server_function_verify_with_one_algorithm(server_db: Database) -> None:
    db = server_db
    clerk = some_history(db)
    tricky = {"title": "引号\"反斜杠\\换行\n制表\t", "emoji": "😀", "nested": {"b": [1, 2.5, None], "a": True},
              "控制": "\x01"}
    with db.write() as session:
        written = audit.record(session, clerk, "case.note", "case", 7, tricky, station="前台-1", result="ok")
    rows = entries(db)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1)) and rows[-1].id == written.id
    chain, key = chain_key(db)
    prev = ""
    for row in rows:
        # The server's hash is the desk's algorithm, byte for byte; its MAC is the server key's.
        assert row.prev_hash == prev
        assert row.entry_hash == audit._entry_digest(prev, row.at, row.username, row.action, row.entity,
                                                     row.entity_id, row.detail)
        assert row.mac == hmac.new(key, f"{chain}|{row.seq}|{row.entry_hash}".encode(), hashlib.sha256).hexdigest()
        prev = row.entry_hash
    assert rows[-1].detail == {**tricky, "workstation": "前台-1", "result": "ok"}
    check = verify(db)
    assert check.intact and not check.notes and check.head_seq == len(rows)
    assert "序号 1 起的记录由服务器写入并加密钥，其 MAC 由服务器核验（密钥不离开服务器）" in check.lines()


def test_a_desk_with_an_empty_or_broken_keychain_writes_keyed_entries_and_verifies(
        server_db: Database, memory_keyring: MemoryKeyring) -> None:
    db = server_db
    some_history(db)
    assert memory_keyring.passwords == {}  # no desk ever held the key
    keyring.set_keyring(BrokenKeyring())
    try:
        register(db, make_user(db, "clerk2", Role.INTAKE), title="钥匙串出错时登记的案件")
        check = verify(db)
    finally:
        keyring.set_keyring(memory_keyring)
    assert all(r.mac is not None for r in entries(db))
    assert check.intact and not check.chain_problems and not check.notes


def test_two_connections_appending_at_once_keep_seq_gapless(server_db: Database) -> None:
    db = server_db
    clerk = make_user(db, "clerk", Role.INTAKE)
    other = Database(db.url.render_as_string(hide_password=False))  # another desk's connections
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def desk(database: Database, label: str) -> None:
        try:
            start.wait()
            for n in range(15):
                with database.write() as session:
                    audit.record(session, clerk, "case.list", "case", None, {"desk": label, "n": n})
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=desk, args=(database, label)) for database, label in ((db, "A"), (other, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.dispose()
    assert failures == []
    rows = entries(db)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert sorted((r.detail["desk"], r.detail["n"]) for r in rows if r.action == "case.list") == sorted(
        (label, n) for label in "AB" for n in range(15))
    assert verify(db).intact


# --------------------------------------------------------------------------- insert-only for every role


def test_a_login_role_cannot_update_delete_truncate_or_insert_directly_but_appends_through_the_function(
        server_db: Database) -> None:
    db = server_db
    clerk = some_history(db)
    victim = entries(db)[1]
    with login_role(db, *INSERT_SELECT) as role:
        assert "permission denied" in refused(role, "UPDATE audit_entry SET username = 'mallory'")
        assert "permission denied" in refused(role, "DELETE FROM audit_entry WHERE id = :id", id=victim.id)
        assert "permission denied" in refused(role, "TRUNCATE audit_entry")
        # A forged row typed in by hand: the server's trigger refuses it whatever its hash and MAC.
        message = refused(role, "INSERT INTO audit_entry (at, username, action, entity, detail, prev_hash, "
                                "entry_hash, seq, mac) VALUES (localtimestamp, 'head', 'login', 'user', '{}', "
                                "'', '', 999, NULL)")
        assert "只能由服务器函数 md_audit_append 写入" in message
        # The server's function is the way in: the row is stamped, chained and keyed by the server.
        content = audit._content_text("clerk", "case.open", "case", 3, {"purpose": "view"})
        with role.begin() as connection:
            new_id = connection.execute(text("SELECT r_id FROM md_audit_append(:u, :c)"),
                                        {"u": clerk.user_id, "c": content}).scalar_one()
        # Malformed content is refused by the server, not stored.
        assert "JSON" in refused(role, "SELECT md_audit_append(NULL, 'not json')")
        assert "用户名, 操作" in refused(role, "SELECT md_audit_append(NULL, '[1, 2]')")
    assert (entries(db)[1].username, entries(db)[1].entry_hash) == (victim.username, victim.entry_hash)
    forged = entries(db)[-1]
    assert forged.id == new_id and forged.mac is not None
    # It may name any app user, but the server wrote down which database login called.
    assert forged.username == "clerk" and forged.db_login == role.url.username
    assert verify(db).intact


def test_a_role_that_may_not_read_the_audit_table_still_appends_through_the_services(server_db: Database) -> None:
    """A clerk's database login needs no right on ``audit_entry`` at all: the server writes the row
    and returns it."""
    db = server_db
    clerk = some_history(db)
    with login_role(db) as role:
        assert "permission denied" in refused(role, "SELECT count(*) FROM audit_entry")
        as_clerk = Database(role.url.render_as_string(hide_password=False))
        try:
            with as_clerk.write() as session:
                entry = audit.record(session, clerk, audit.SEARCH_ACTION, "case", None, {"words": "宅基地"},
                                     station="前台-2", result="ok")
        finally:
            as_clerk.dispose()
    newest = entries(db)[-1]
    assert (entry.id, entry.seq, entry.entry_hash, entry.mac, entry.at, entry.db_login) == (
        newest.id, newest.seq, newest.entry_hash, newest.mac, newest.at, role.url.username)
    assert newest.detail == {"words": "宅基地", "workstation": "前台-2", "result": "ok"}
    assert verify(db).intact


def test_every_grant_on_the_table_still_leaves_it_insert_only(server_db: Database) -> None:
    """Even a role given every privilege on the table (a careless grant) meets the trigger."""
    db = server_db
    some_history(db)
    with login_role(db, "GRANT ALL ON audit_entry TO {role}") as role:
        assert "审计记录不能修改" in refused(role, "UPDATE audit_entry SET detail = '{}'")
        assert "审计记录不能删除" in refused(role, "DELETE FROM audit_entry")
        assert "审计日志不能清空" in refused(role, "TRUNCATE audit_entry")
        # Nor can it pose as the purge: the purge's marker is checked against the role running it.
        with pytest.raises(DBAPIError, match="审计记录不能删除"), role.begin() as connection:
            connection.execute(text("SELECT set_config('md.audit_purge_cutoff', '2999-01-01', true)"))
            connection.execute(text("DELETE FROM audit_entry"))
    assert verify(db).intact


def test_even_the_owner_is_refused_update_delete_and_truncate_by_the_trigger(server_db: Database) -> None:
    db = server_db
    some_history(db)
    before = [(r.id, r.username, r.entry_hash) for r in entries(db)]
    for statement, words in (("UPDATE audit_entry SET username = 'mallory'", "审计记录不能修改"),
                             ("DELETE FROM audit_entry", "审计记录不能删除"),
                             ("TRUNCATE audit_entry", "审计日志不能清空")):
        with pytest.raises(DBAPIError, match=words), db.writer.begin() as connection:
            connection.execute(text(statement))
    assert [(r.id, r.username, r.entry_hash) for r in entries(db)] == before


def test_the_key_table_is_unreadable_to_an_app_role_even_with_every_table_granted(server_db: Database) -> None:
    db = server_db
    some_history(db)
    with login_role(db, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}") as role:
        for statement in ("SELECT key FROM md_audit_private.audit_chain_key",
                          "SELECT md_audit_insert(NULL, '[\"x\", \"a\", \"e\", null, {}]', 1)",
                          "SELECT * FROM md_audit_purge(180, NULL, 'x', 'y')"):
            assert "permission denied" in refused(role, statement)
        with role.connect() as connection:
            # What it may call tells it nothing of the key.
            chain = connection.execute(text("SELECT * FROM md_audit_chain()")).one()
            assert connection.execute(text("SELECT count(*) FROM md_audit_bad_macs()")).scalar_one() == 0
            dumped = json.dumps([list(map(str, r)) for table in ("audit_entry", "center_setting")
                                 for r in connection.execute(text(f"SELECT * FROM {table}"))])
    _chain, key = chain_key(db)
    assert chain.chain_id == _chain and key.hex() not in dumped and len(key) == 32


def test_the_purge_needs_the_retention_minimum_on_the_server_too(server_db: Database) -> None:
    db = server_db
    some_history(db)
    with pytest.raises(DBAPIError, match="至少保留 180 天"), db.writer.begin() as connection:
        connection.execute(text("SELECT * FROM md_audit_purge(30, NULL, 'root', 'desk')"))
    with db.writer.begin() as connection:
        nothing = connection.execute(text("SELECT * FROM md_audit_purge(180, NULL, 'root', 'desk')")).one()
    assert nothing.removed == 0 and nothing.entry_id is None
    assert verify(db).intact


# --------------------------------------------------------------------------- rewriting by hand


def rechain(db: Database, key: bytes | None, chain: str) -> None:
    """Rewrite every row consistently (a name changed in the second), with MACs from ``key``."""
    with tampering(db) as connection:
        prev = ""
        for row in connection.execute(text("SELECT id, seq, at, username, action, entity, entity_id, detail "
                                           "FROM audit_entry ORDER BY id")).all():
            name = "mallory" if row.seq == 2 else row.username
            digest = audit._entry_digest(prev, row.at, name, row.action, row.entity, row.entity_id, row.detail)
            mac = hmac.new(key, f"{chain}|{row.seq}|{digest}".encode(), hashlib.sha256).hexdigest() if key else None
            connection.execute(text("UPDATE audit_entry SET username = :u, prev_hash = :p, entry_hash = :h, "
                                    "mac = :m WHERE id = :id"),
                               {"u": name, "p": prev, "h": digest, "m": mac, "id": row.id})
            prev = digest


@pytest.mark.parametrize("desk_key", ["keychain", "random", "none"])
def test_a_chain_rewritten_with_any_key_a_desk_could_know_is_found_at_every_row(
        server_db: Database, memory_keyring: MemoryKeyring, desk_key: str) -> None:
    """Even with the triggers off (the superuser's power), a rewrite without the server's key is
    named at every row: a key planted in a desk's keychain under the chain's id is worth nothing."""
    db = server_db
    some_history(db)
    with db.read() as session:
        chain = audit.chain_id(session)
    assert chain is not None
    planted = secrets.token_bytes(32)
    if desk_key == "keychain":
        memory_keyring.set_password(audit.KEY_SERVICE, chain, planted.hex())
    key = None if desk_key == "none" else planted
    n = len(entries(db))
    rechain(db, key, chain)
    check = verify(db)
    assert not check.intact and [p.seq for p in check.problems] == list(range(1, n + 1))
    words = "未加密钥" if key is None else "MAC 与服务器的审计密钥不符"
    assert all(words in p.reason for p in check.problems)


# --------------------------------------------------------------------------- the switch from desk keys


#: The tables migration 0022 gives a center (a desk of that time wrote rows without it).
_CENTERED = ("app_user", "dispute_case", "team", "mediator", "case_number_sequence")


def test_a_database_keyed_on_desks_before_0015_keeps_verifying(server_db: Database,
                                                               memory_keyring: MemoryKeyring) -> None:
    db = server_db
    # The database as 0013 left it: desks key the chain from their keychains.
    migrate_to(db, "0013")
    with db.write() as session:
        session.execute(text("DELETE FROM center_setting WHERE key = 'audit.chain_id'"))
        # This code's model has later migrations' columns (0014, 0015, 0020's ID-card back); the
        # desks of that time wrote rows without them.
        session.execute(text("ALTER TABLE audit_entry ADD COLUMN db_login varchar(130)"))
        session.execute(text("ALTER TABLE app_user ADD COLUMN db_role varchar(63)"))
        session.execute(text("ALTER TABLE party ADD COLUMN id_issuer varchar(60) NOT NULL DEFAULT ''"))
        session.execute(text("ALTER TABLE party ADD COLUMN id_validity varchar(30) NOT NULL DEFAULT ''"))
        # 0025's time limits per stationed department (the clock reads them at registration).
        session.execute(text("ALTER TABLE time_limit ADD COLUMN department_id integer"))
        # 0028's handling center and 0029's statistics flags.
        session.execute(text("ALTER TABLE dispute_case ADD COLUMN handling_center_id integer"))
        session.execute(text("ALTER TABLE dispute_case ADD COLUMN is_major boolean NOT NULL DEFAULT false"))
        session.execute(text("ALTER TABLE dispute_case ADD COLUMN may_group_petition boolean NOT NULL DEFAULT false"))
        # 0045's repeat keys (the briefing's, written with the rows).
        session.execute(text("ALTER TABLE dispute_case ADD COLUMN place_key varchar(200)"))
        session.execute(text("ALTER TABLE party ADD COLUMN repeat_key varchar(200)"))
        # 0022's centers: one center, every row its own.
        session.execute(text("CREATE TABLE center (id integer PRIMARY KEY, name varchar(80), level varchar(32),"
                             " parent_id integer, prefix varchar(40), active boolean, version integer,"
                             " created_at timestamp, updated_at timestamp)"))
        session.execute(text("INSERT INTO center VALUES (1, '中心', 'county', NULL, '矛调', true, 1, now(), now())"))
        for table in _CENTERED:
            session.execute(text(f"ALTER TABLE {table} ADD COLUMN center_id integer NOT NULL DEFAULT 1"))
        session.execute(text("ALTER TABLE case_number_sequence DROP CONSTRAINT pk_case_number_sequence"))
        session.execute(text("ALTER TABLE case_number_sequence ADD CONSTRAINT pk_case_number_sequence"
                             " PRIMARY KEY (center_id, year)"))
    clerk = make_user(db, "clerk", Role.INTAKE)
    register(db, clerk, title="切换前登记的案件")
    desk_rows = entries(db)
    with db.write() as session:
        session.execute(text("ALTER TABLE audit_entry DROP COLUMN db_login"))
        session.execute(text("ALTER TABLE app_user DROP COLUMN db_role"))
        session.execute(text("ALTER TABLE party DROP COLUMN id_issuer"))
        session.execute(text("ALTER TABLE party DROP COLUMN id_validity"))
        session.execute(text("ALTER TABLE time_limit DROP COLUMN department_id"))
        for column in ("handling_center_id", "is_major", "may_group_petition", "place_key"):
            session.execute(text(f"ALTER TABLE dispute_case DROP COLUMN {column}"))
        session.execute(text("ALTER TABLE party DROP COLUMN repeat_key"))
        session.execute(text("ALTER TABLE case_number_sequence DROP CONSTRAINT pk_case_number_sequence"))
        for table in _CENTERED:
            session.execute(text(f"ALTER TABLE {table} DROP COLUMN center_id"))
        session.execute(text("ALTER TABLE case_number_sequence ADD CONSTRAINT pk_case_number_sequence"
                             " PRIMARY KEY (year)"))
        session.execute(text("DROP TABLE center"))
    with db.read() as session:
        chain = audit.chain_id(session)
    desk_keyed = [r.seq for r in desk_rows if r.mac is not None]
    assert chain is not None and len(desk_keyed) == len(desk_rows)
    assert desk_keyed and memory_keyring.passwords[(audit.KEY_SERVICE, chain)]
    upgrade(db)
    register(db, clerk, title="切换后登记的案件")
    with db.read() as session:
        server = audit.server_chain(session)
        assert server is not None and audit.chain_id(session) == chain  # the chain keeps its id
    assert server.from_seq == len(desk_rows) + 1
    assert all(r.mac is not None for r in entries(db) if r.seq is not None and r.seq >= server.from_seq)

    # This desk still has the old key: every MAC is checked, the desks' and the server's.
    check = verify(db)
    assert check.intact and not any("工作台钥匙串" in note for note in check.notes)
    # Another desk without it: said in a note, never silently, and still intact through the links.
    keyring.set_keyring(MemoryKeyring())
    audit._key_cache.clear()
    try:
        elsewhere = verify(db)
        assert elsewhere.intact
        assert any(f"序号 {desk_keyed[0]}–{desk_keyed[-1]}）：本机没有那把密钥" in note for note in elsewhere.notes)
        # An edit of an entry keyed on a desk is found there too: the link to it breaks.
        with tampering(db) as connection:
            connection.execute(text("UPDATE audit_entry SET username = 'mallory' WHERE seq = :s"),
                               {"s": desk_keyed[0]})
        assert verify(db).first_broken_id == next(r.id for r in desk_rows if r.seq == desk_keyed[0])
    finally:
        keyring.set_keyring(memory_keyring)


def test_the_server_stamps_the_time_of_each_entry(server_db: Database) -> None:
    """The desk sends no time: an entry's ``at`` is the server's clock (to the second)."""
    db = server_db
    clerk = make_user(db, "clerk", Role.INTAKE)
    with db.write() as session:
        low = session.execute(text("SELECT date_trunc('second', clock_timestamp()::timestamp)")).scalar_one()
        entry = audit.record(session, clerk, "case.list", "case", None, {})
        high = session.execute(text("SELECT clock_timestamp()::timestamp")).scalar_one()
    assert isinstance(entry.at, datetime) and low <= entry.at <= high


def test_the_login_and_the_role_it_set_are_written_down_by_the_server(server_db: Database) -> None:
    """A desk connecting with one login and ``SET ROLE`` to a person's role: both names are kept."""
    db = server_db
    clerk = make_user(db, "clerk", Role.INTAKE)
    group = f"md_probe_group_{os.getpid()}_{next(_roles)}"
    owner = create_engine(db.url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text(f"CREATE ROLE {group} NOLOGIN"))
    try:
        with login_role(db, f"GRANT {group} TO {{role}}") as role, role.begin() as connection:
            connection.execute(text(f"SET ROLE {group}"))
            content = audit._content_text("clerk", "case.list", "case", None, {})
            written = connection.execute(text("SELECT r_db_login FROM md_audit_append(:u, :c)"),
                                         {"u": clerk.user_id, "c": content}).scalar_one()
            assert written == f"{role.url.username} as {group}"
    finally:
        with owner.connect() as connection:
            connection.execute(text(f"DROP ROLE {group}"))
        owner.dispose()
    assert entries(db)[-1].db_login == written and verify(db).intact


# --------------------------------------------------------------------------- exports and restores


def test_a_server_export_verifies_on_this_desk_and_a_new_server_takes_over_its_chain(
        server_db: Database, empty_pg_database_url: str, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    from mediation_desk.services import backup

    db = server_db
    admin = make_user(db, "admin", Role.ADMIN)
    some_history(db)
    exported = backup.backup_now(db, admin, tmp_path / "b")
    # The copy is its own chain, keyed with a key this desk's keychain got (not the server's).
    copy = Database(f"sqlite:///{exported}", create=False)
    with copy.read() as session:
        copy_chain = audit.chain_id(session)
        assert audit.verify_chain(session, anchors=[]).intact
    assert copy_chain is not None and (audit.KEY_SERVICE, copy_chain) in memory_keyring.passwords
    assert copy_chain != chain_key(db)[0] and chain_key(db)[1].hex() not in memory_keyring.passwords.values()
    # Edited in the file, rehashed without the copy's key: refused as a backup.
    with copy.writer.begin() as connection:
        rows = connection.execute(text("SELECT id, seq, at, username, action, entity, entity_id, detail "
                                       "FROM audit_entry ORDER BY id")).all()
    copy.dispose()
    tampered = tmp_path / "tampered.sqlite3"
    tampered.write_bytes(exported.read_bytes())
    forged = Database(f"sqlite:///{tampered}", create=False)
    with forged.writer.begin() as connection:
        prev = ""
        for row in rows:
            at = datetime.fromisoformat(row.at) if isinstance(row.at, str) else row.at
            detail = json.loads(row.detail) if isinstance(row.detail, str) else row.detail
            name = "mallory" if row.seq == 1 else row.username
            digest = audit._entry_digest(prev, at, name, row.action, row.entity, row.entity_id, detail)
            connection.execute(text("UPDATE audit_entry SET username = :u, prev_hash = :p, entry_hash = :h "
                                    "WHERE id = :id"), {"u": name, "p": prev, "h": digest, "id": row.id})
            prev = digest
    forged.dispose()
    with pytest.raises(backup.BackupRefused, match="审计日志未通过核验"):
        backup.check_backup(tampered)

    # Into a new server: it takes over the loaded chain and keys what comes after.
    target = Database(empty_pg_database_url)
    try:
        upgrade(target)
        backup.restore(target, exported, Actor.system("test"))
        with target.read() as session:
            server = audit.server_chain(session)
            assert server is not None and server.chain_id == copy_chain and server.from_seq == len(rows) + 1
            check = audit.verify_chain(session, anchors=[])
        assert check.intact and check.entries == len(rows) + 1  # the restore's own entry, server-keyed
        # Only once: a server that has keyed entries never takes over another history.
        with pytest.raises(DBAPIError, match="不能接管"), target.writer.begin() as connection:
            connection.execute(text("SELECT md_audit_adopt('x')"))
    finally:
        target.dispose()
