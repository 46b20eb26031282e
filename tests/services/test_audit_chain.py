"""The audit chain against someone who can write the table: keyed MACs, gap-free sequence numbers
and the anchors kept outside the database (issue 17, item 3).

Each red-team script tampers with the table directly (SQL, as a person with the database
credential would) and ``verify_chain`` — checked against the last anchor — must name what was done
by its sequence number, never raise.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import keyring
import keyring.errors
import pytest
from sqlalchemy import select, text

from mediation_desk.db import Database, migrate_to, upgrade
from mediation_desk.models import AuditEntry, Role
from mediation_desk.services import audit
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from ..conftest import MemoryKeyring
from .audit_tampering import chain_key, tampering
from .helpers import make_user, register


@dataclass
class Story:
    clerk: Actor
    anchor: audit.Anchor


def entries(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def month_of_newest(db: Database) -> str:
    return f"{entries(db)[-1].at:%Y-%m}"


def history_with_anchor(db: Database) -> Story:
    clerk = make_user(db, "clerk", Role.INTAKE)
    for title in ("相邻通行纠纷", "宅基地纠纷", "劳务报酬纠纷"):
        register(db, clerk, title=title)
    with db.read() as session:
        kept = audit.anchor(session, clerk, month_of_newest(db))
    assert kept is not None
    return Story(clerk, kept)


def verify(db: Database) -> audit.ChainCheck:
    with db.read() as session:
        return audit.verify_chain(session)


def sql(db: Database, statement: str, **params: object) -> None:
    with tampering(db) as connection:
        connection.execute(text(statement), params)


def on_server(db: Database) -> bool:
    return db.url.get_backend_name() == "postgresql"


def rechain(db: Database, key: bytes | None) -> None:
    """Recompute every hash (and, with ``key``, every MAC) so the table is consistent in itself:
    what a person with write access but not the desk's key can do."""
    with tampering(db) as connection:
        chain = connection.execute(text("SELECT value FROM center_setting WHERE key = 'audit.chain_id'")).scalar_one()
        prev = ""
        rows = connection.execute(text(
            "SELECT id, seq, at, username, action, entity, entity_id, detail FROM audit_entry ORDER BY id")).all()
        for row in rows:
            at = datetime.fromisoformat(row.at) if isinstance(row.at, str) else row.at
            detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail)
            digest = audit._entry_digest(prev, at, "mallory" if row.seq == 2 else row.username, row.action,
                                         row.entity, row.entity_id, detail)
            mac = (hmac.new(key, f"{chain}|{row.seq}|{digest}".encode(), hashlib.sha256).hexdigest()
                   if key is not None else None)
            connection.execute(text("UPDATE audit_entry SET username = :u, prev_hash = :p, entry_hash = :h, mac = :m "
                                    "WHERE id = :id"),
                               {"u": "mallory" if row.seq == 2 else row.username, "p": prev, "h": digest, "m": mac,
                                "id": row.id})
            prev = digest


@pytest.fixture
def other_keyring() -> Iterator[MemoryKeyring]:
    """Another computer's keychain (this database's key is not in it)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# --------------------------------------------------------------------------- the intact chain


def test_every_entry_has_a_gap_free_seq_and_a_mac_and_the_chain_verifies_against_its_anchor(
        db: Database, memory_keyring: MemoryKeyring) -> None:
    story = history_with_anchor(db)
    rows = entries(db)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(r.mac is not None and len(r.mac) == 64 for r in rows)
    with db.read() as session:
        chain = audit.chain_id(session)
        head = audit.chain_head(session)
    if on_server(db):
        # The server holds the key: no desk's keychain has anything.
        assert chain is not None and memory_keyring.passwords == {}
        key_hex = chain_key(db)[1].hex()
    else:
        # The key is in the keychain under the database's chain id, and nowhere in the database.
        assert chain is not None and list(memory_keyring.passwords) == [(audit.KEY_SERVICE, chain)]
        key_hex = memory_keyring.passwords[(audit.KEY_SERVICE, chain)]
    with db.read() as session:
        dumped = json.dumps([list(map(str, r)) for t in ("audit_entry", "center_setting")
                             for r in session.execute(text(f"SELECT * FROM {t}"))])
    assert key_hex not in dumped
    assert head is not None and (head.seq, head.mac) == (rows[-1].seq, rows[-1].mac) == (story.anchor.seq,
                                                                                           story.anchor.mac)
    check = verify(db)
    assert check.intact and check.anchors_checked == 1 and not check.notes
    assert check.message == f"审计日志完整：共 {len(rows)} 条"
    assert check.head_seq == len(rows)


# --------------------------------------------------------------------------- red-team scripts


def test_deleting_the_last_entries_is_found_by_the_anchor(db: Database) -> None:
    story = history_with_anchor(db)
    sql(db, "DELETE FROM audit_entry WHERE seq > :keep", keep=story.anchor.seq - 2)
    check = verify(db)
    assert not check.intact and check.first_broken is None
    assert any(f"序号 {story.anchor.seq} 在库中不存在" in line for line in check.lines())
    if on_server(db):
        # The server knows the last seq it gave: found even without an anchor.
        assert f"服务器记下的最后序号是 {story.anchor.seq}，库中最后一条是 {story.anchor.seq - 2}" in check.message


def test_emptying_the_table_is_found(db: Database) -> None:
    story = history_with_anchor(db)
    sql(db, "DELETE FROM audit_entry")
    check = verify(db)
    assert not check.intact and check.entries == 0
    assert any(f"序号 {story.anchor.seq} 在库中不存在" in line for line in check.lines())
    assert any("审计日志为空" in line for line in check.lines())


def test_emptying_the_table_and_the_chain_id_is_found_by_the_anchor_of_this_database(db: Database) -> None:
    story = history_with_anchor(db)
    sql(db, "DELETE FROM audit_entry")
    sql(db, "DELETE FROM center_setting WHERE key = 'audit.chain_id'")
    register(db, story.clerk, title="新链上的案件")  # a fresh chain with a fresh key
    check = verify(db)
    if on_server(db):
        # The server's chain id is its own (no app role can change it) and so is its last seq:
        # the new entries continue the old numbering, and the missing ones are named.
        assert not check.intact and check.first_broken is not None
        assert check.first_broken.seq == story.anchor.seq + 1 and "前面的记录被删除" in check.first_broken.reason
        assert any(f"序号 {story.anchor.seq} 在库中不存在" in line for line in check.lines())
        return
    assert not check.intact and "审计链被整体替换" in check.message and story.anchor.chain_id in check.message


def test_a_chain_recomputed_with_another_key_is_found_at_every_row_and_at_the_anchor(db: Database) -> None:
    story = history_with_anchor(db)
    rechain(db, secrets.token_bytes(32))
    check = verify(db)
    assert not check.intact
    assert [p.seq for p in check.problems] == list(range(1, story.anchor.seq + 1))
    words = "MAC 与服务器的审计密钥不符" if on_server(db) else "MAC 与本数据库的审计密钥不符"
    assert all(words in p.reason for p in check.problems)
    assert "序号 1" in check.message
    assert any(f"序号 {story.anchor.seq} 与" in line and "锚点不符" in line for line in check.lines())


def test_a_chain_recomputed_without_macs_is_found(db: Database) -> None:
    story = history_with_anchor(db)
    rechain(db, None)
    check = verify(db)
    assert not check.intact
    assert [p.seq for p in check.problems] == list(range(1, story.anchor.seq + 1))
    assert all("未加密钥" in p.reason for p in check.problems)
    assert any(f"序号 {story.anchor.seq} 与" in line for line in check.lines())


def test_a_chain_recomputed_with_the_right_key_passes_only_where_the_key_was_not_stolen(db: Database) -> None:
    """The anchors and MACs stop a person without the desk's keychain; with the key in hand the
    table can be rewritten consistently, and then only the anchor (outside the database) tells."""
    story = history_with_anchor(db)
    rechain(db, chain_key(db)[1])
    check = verify(db)
    assert not check.intact and not check.problems
    assert f"序号 {story.anchor.seq} 与" in check.message


def test_editing_one_detail_is_named_by_its_seq(db: Database) -> None:
    history_with_anchor(db)
    victim = entries(db)[2]
    sql(db, "UPDATE audit_entry SET detail = :d WHERE id = :id", d=json.dumps({"case": 999}), id=victim.id)
    check = verify(db)
    assert check.first_broken is not None and check.first_broken.seq == victim.seq
    assert f"序号 {victim.seq}" in check.message and "校验值不符" in check.message


def test_a_forged_row_appended_after_the_anchor_is_named(db: Database) -> None:
    history_with_anchor(db)
    last = entries(db)[-1]
    assert last.seq is not None
    seq = last.seq + 1
    at = last.at
    digest = audit._entry_digest(last.entry_hash, at, "head", "login", "user", 1, {})
    for mac in (None, "0" * 64):
        sql(db, "DELETE FROM audit_entry WHERE seq = :s", s=seq)
        sql(db, "INSERT INTO audit_entry (at, username, action, entity, entity_id, detail, prev_hash, entry_hash, "
                "seq, mac) VALUES (:at, 'head', 'login', 'user', 1, :d, :p, :h, :s, :m)",
            at=at, d="{}", p=last.entry_hash, h=digest, s=seq, m=mac)
        check = verify(db)
        assert check.first_broken is not None and check.first_broken.seq == seq
        assert ("未加密钥" if mac is None else "MAC") in check.first_broken.reason


def test_a_row_slipped_in_with_a_duplicate_position_breaks_the_sequence(db: Database) -> None:
    history_with_anchor(db)
    rows = entries(db)
    # A row re-inserted at the end with the seq of a deleted middle row.
    sql(db, "DELETE FROM audit_entry WHERE id = :id", id=rows[1].id)
    sql(db, "INSERT INTO audit_entry (at, username, action, entity, entity_id, detail, prev_hash, entry_hash, "
            "seq, mac) VALUES (:at, :u, :a, :e, :ei, :d, :p, :h, :s, :m)",
        at=rows[1].at, u=rows[1].username, a=rows[1].action, e=rows[1].entity, ei=rows[1].entity_id,
        d=json.dumps(rows[1].detail), p=rows[1].prev_hash, h=rows[1].entry_hash, s=rows[1].seq, m=rows[1].mac)
    check = verify(db)
    assert [p.seq for p in check.problems][:1] == [rows[2].seq]
    assert rows[1].seq in [p.seq for p in check.problems]


MALFORMED = {
    "bad JSON detail": ("detail", "'{not json'", "detail 不是合法的 JSON"),
    "unparseable at": ("at", "'yesterday noon'", "时间 at 无法识别"),
    "NULL detail": ("detail", "NULL", "detail 为空"),
    "NULL seq": ("seq", "NULL", "seq 为空"),
    "NULL username": ("username", "NULL", "username 为空"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_row_is_named_not_raised(db: Database, case: str) -> None:
    column, value, words = MALFORMED[case]
    if db.url.get_backend_name() == "postgresql" and value != "NULL":
        pytest.skip("PostgreSQL's json and timestamp types refuse the malformed value itself")
    history_with_anchor(db)
    victim = entries(db)[2]
    with tampering(db) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"ALTER TABLE audit_entry ALTER COLUMN {column} DROP NOT NULL"))
        else:
            # SQLite cannot drop a NOT NULL: the attacker rebuilds the table without it.
            connection.execute(text("CREATE TABLE loose AS SELECT * FROM audit_entry"))
            connection.execute(text("DROP TABLE audit_entry"))
            connection.execute(text("ALTER TABLE loose RENAME TO audit_entry"))
        connection.execute(text(f"UPDATE audit_entry SET {column} = {value} WHERE id = :id"), {"id": victim.id})
    check = verify(db)
    assert not check.intact and check.first_broken is not None
    assert check.first_broken.id == victim.id and words in check.first_broken.reason
    assert f"记录编号 {victim.id}" in check.message
    # The rows after it are still checked (and found fine): one malformed row is one finding.
    assert [p.id for p in check.problems] == [victim.id]


# --------------------------------------------------------------------------- the key


def test_without_the_key_verify_says_so_and_writing_still_works(sqlite_db: Database,
                                                                memory_keyring: MemoryKeyring) -> None:
    """A desk's key (SQLite). On a server the keychain plays no part: ``test_server_audit.py``."""
    db = sqlite_db
    story = history_with_anchor(db)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        check = verify(db)
        assert not check.intact and check.message.startswith("审计日志不能确认完整：密钥不在本机")
        # Nobody's work is lost: the entry is written, without a MAC.
        register(db, story.clerk, title="没有密钥时登记的案件")
        assert entries(db)[-1].mac is None and backend.passwords == {}
    finally:
        keyring.set_keyring(memory_keyring)
    check = verify(db)
    unkeyed = [p for p in check.problems if "未加密钥" in p.reason]
    assert unkeyed and [p.seq for p in unkeyed] == [r.seq for r in entries(db) if r.mac is None]


def test_the_key_moves_to_another_desk_by_export_and_import(db: Database, memory_keyring: MemoryKeyring) -> None:
    history_with_anchor(db)
    head = make_user(db, "head", Role.HEAD)
    if on_server(db):
        with db.read() as session, pytest.raises(InvalidInput, match="审计密钥由服务器保管"):
            audit.export_key(session, head)
        with db.read() as session, pytest.raises(InvalidInput, match="不需要在工作台之间导出或导入"):
            audit.import_key(session, head, "whatever:00")
        return
    with db.read() as session:
        with pytest.raises(PermissionDenied):
            audit.export_key(session, make_user(db, "admin", Role.ADMIN))
        exported = audit.export_key(session, head)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        with db.read() as session:
            chain = audit.chain_id(session)
            assert chain is not None
            with pytest.raises(InvalidInput, match="不符"):
                audit.import_key(session, head, f"{chain}:{secrets.token_hex(32)}")
            with pytest.raises(InvalidInput, match="属于审计链"):
                audit.import_key(session, head, "someone-else:" + exported.split(":")[1])
            audit.import_key(session, head, exported)
        assert verify(db).intact
    finally:
        keyring.set_keyring(memory_keyring)


# --------------------------------------------------------------------------- migration 0013


def test_entries_from_before_0013_get_seq_and_are_reported_unkeyed_until_the_first_keyed_entry(
        db: Database, other_keyring: MemoryKeyring) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    register(db, clerk)
    before = [(r.id, r.entry_hash) for r in entries(db)]
    # The database as 0012 had it: no seq, no mac, no chain id, no key anywhere.
    migrate_to(db, "0012")
    sql(db, "DELETE FROM center_setting WHERE key = 'audit.chain_id'")
    keyring.set_keyring(MemoryKeyring())
    upgrade(db)
    rows = entries(db)
    assert [(r.id, r.entry_hash) for r in rows] == before
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1)) and all(r.mac is None for r in rows)
    check = verify(db)
    n = len(rows)
    assert check.intact
    assert on_server(db) or check.notes == (
        f"升级前的条目未加密钥（或写入时本机没有可用的钥匙串）：序号 1–{n}（共 {n} 条），只由 SHA-256 链核验",)
    # The first entry written after the upgrade makes the key and says where keyed entries begin.
    if on_server(db):
        # Migration 0015 ran on that database too: the server keys from the next entry on.
        assert check.notes == (f"升级前的条目未加密钥：序号 1–{n}（共 {n} 条），只由 SHA-256 链核验",)
    register(db, clerk, title="升级后登记的案件")
    after = entries(db)
    first_keyed = next(r for r in after if r.mac is not None)
    assert first_keyed.seq == len(rows) + 1
    assert on_server(db) or first_keyed.detail["unkeyed_before"] == len(rows) + 1
    check = verify(db)
    assert check.intact and check.notes == (f"升级前的条目未加密钥：序号 1–{n}（共 {n} 条），只由 SHA-256 链核验",)
    # A pre-upgrade entry is still checked by its SHA-256 chain.
    sql(db, "UPDATE audit_entry SET username = 'mallory' WHERE seq = 1")
    assert verify(db).first_broken_id == rows[0].id


class BrokenKeyring(MemoryKeyring):
    """A keychain service that fails every call (no desktop session, locked, D-Bus gone)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("no prompt")


def test_a_failing_keychain_loses_no_entry_and_verify_names_the_unkeyed_ones(
        sqlite_db: Database, memory_keyring: MemoryKeyring) -> None:
    """A desk's key (SQLite). On a server the keychain plays no part: ``test_server_audit.py``."""
    db = sqlite_db
    story = history_with_anchor(db)
    keyring.set_keyring(BrokenKeyring())
    try:
        register(db, story.clerk, title="钥匙串出错时登记的案件")
        check = verify(db)
    finally:
        keyring.set_keyring(memory_keyring)
    assert entries(db)[-1].mac is None and entries(db)[-1].seq == len(entries(db))
    assert not check.intact and "密钥不在本机" in check.message
    unkeyed = [p.seq for p in verify(db).problems]
    assert unkeyed == [r.seq for r in entries(db) if r.mac is None] != []
