"""The audit log: append-only entries chained to each other by SHA-256.

Each entry hashes the previous entry's hash with its own content (time, user, action, object,
details), so editing or deleting an entry breaks the chain at that entry. This module only appends
(:func:`record`); there is no update and no delete, except :func:`purge`, which removes entries
older than the retention period (at least :data:`MIN_RETENTION_DAYS`) and is itself an entry.

Where the chain starts after a purge: the first kept entry still carries the hash of the last
purged one as its ``prev_hash``. The purge entry records that hash and the id of the first kept
entry (``first_kept_id``, or ``None`` when every older entry went and the purge entry itself is the
first). :func:`verify_chain` accepts a chain whose first entry has a non-empty ``prev_hash`` only
when a purge entry *later in the same chain* vouches for exactly that id and hash — and that purge
entry is itself covered by the chain, so forging the anchor means rewriting every hash after it.

Workstation and result: the table has no columns for them yet (a migration is the integrator's
call), so entries that are about a session — logins and their failures, logouts, opening a case's
personal data, purges, backups and restores — carry ``workstation`` (the host name) and ``result``
in their details, which the hash covers like every other detail.

Keyed MAC, sequence numbers and anchors (issue 17)
--------------------------------------------------
A SHA-256 chain alone can be recomputed by anyone who can write the table. So every entry also
carries ``seq`` (1, 2, 3 … without gaps, given under the chain lock) and ``mac`` =
HMAC-SHA256(key, ``"<chain id>|<seq>|<entry_hash>"``); ``entry_hash`` already covers the previous
entry's hash and every field of the entry, so the MAC seals the content, the position and the link.

*Where the key lives.* Never in the database's tables that the app reads. On **SQLite** the
database holds only a random **chain id** (``center_setting`` row ``audit.chain_id``, made with the
first entry); the key is the keychain password of service :data:`KEY_SERVICE` and user = that
chain id, through the ``keyring`` API (the OS keychain: Windows Credential Manager, macOS Keychain,
Secret Service). A copied file has no key.

On **PostgreSQL** (migration 0015) the server holds the key and writes the entries itself: the key
is in ``md_audit_private.audit_chain_key``, a schema no app role may even look into, and only the
server's ``SECURITY DEFINER`` functions (owned by the migrating role) use it. A desk appends with
``md_audit_append(user_id, content)`` (:func:`_server_append`): it sends the canonical JSON of the
entry's own fields; the server takes the chain lock, the time, seq and the previous hash, hashes
exactly the text :func:`_entry_digest` hashes and MACs it — so :func:`verify_chain` keeps one
algorithm, and asks the server (``md_audit_bad_macs()``) which server-keyed entries have a wrong
MAC; the key never leaves the server, so ``audit verify`` works on any desk with an empty keychain,
and there is nothing to export or import (:data:`SERVER_KEY_NOTE`). Triggers make the table
insert-only for every role, the owner included (UPDATE, DELETE, TRUNCATE refused; rows only through
the functions); :func:`purge` goes through ``md_audit_purge``, which deletes only entries older than
180 days by the server's clock and writes the purge entry itself. The server also keeps the last
seq it gave, so deleting the newest entries is found without an anchor. Entries from before the
switch (``server_from_seq``) keep their desks' rule below; without the desks' key they are named in
a note — the links to the first server-keyed entry, whose MAC seals every hash before it, still
cover them. The database owner (and a superuser) can drop the triggers and read the key: that role
belongs to the server's administrator, not to any desk (docs/security.md).

*A desk without the key never loses work (SQLite, or a server before 0015):* its entries are
written with ``mac`` NULL (and their seq and SHA-256 chain as usual); :func:`verify_chain` names
each of them ("写入时没有密钥") — except those a later key import by the same process vouches for
(:func:`record_key_import`: the head's own sign-in on the desk that imports the key).
The key is created only when the chain has no keyed entry yet (a new database, or the first
write after migration 0013); that first keyed entry records ``unkeyed_before`` = its seq, so the
entries from before the upgrade are told apart from entries written later without the key
("升级前的条目未加密钥", a note, still checked by their SHA-256 chain).

*Keychain calls happen on any thread* (the UI's worker lanes write entries): every call goes
through one module lock, and a found key is cached for the keyring backend it came from.

*Anchors.* :func:`anchor` writes down the chain head at the end of a month (seq, MAC,
entry_hash) in ``audit-anchors.jsonl`` in the desk's data folder (0600, written atomically) —
outside the database — and the monthly report prints it. :func:`verify_chain` checks every
anchor of this database: the anchored seq must still exist with the same MAC, so deleting the
last entries, emptying the table and recomputing the chain with another key are all found even
when the attacker also rewrote every row consistently.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import secrets
import socket
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import keyring
from sqlalchemy import Select, String, Text, cast, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from mediation_desk import settings

from ..files import write_atomically
from ..models import AuditEntry, CenterSetting, Role, now
from ..readmodels.masking import scrub
from . import audit_names
from .actor import Actor
from .errors import InvalidInput, NotFound, PermissionDenied

if TYPE_CHECKING:
    from ..db import Database

# One constant key serialises writers of the audit chain on PostgreSQL (SQLite already has a
# single writer), so two desks never chain two entries onto the same predecessor.
_AUDIT_LOCK_KEY = 0x4D44_4155  # "MDAU"

#: Entries are kept at least this long (等保2.0 asks for six months of audit records).
MIN_RETENTION_DAYS = 180
PURGE_ACTION = "audit.purge"
#: Actions about reading personal data (never a write of the case itself).
ACCESS_ACTION = "case.open"
#: A person ran a case-list query (a filter or an order) or a search (issue 17 item 3).
LIST_ACTION = "case.list"
SEARCH_ACTION = "case.search"
#: The services refused a person something (a ``PermissionDenied``), in a transaction of its own.
REFUSAL_ACTION = "access.refused"
#: The head brought the chain's key to this desk (:func:`record_key_import`).
KEY_IMPORT_ACTION = "audit.key_import"

#: Words for the actions the viewer and ``audit list`` show (``services.audit_names``, where every
#: action the code writes is named); unknown actions show as they are.
ACTION_LABELS: dict[str, str] = audit_names.ACTION_NAMES


def workstation() -> str:
    """This computer's name, as recorded in session entries."""
    try:
        return socket.gethostname() or "?"
    except OSError:  # pragma: no cover - a host without a name
        return "?"


def _entry_digest(prev_hash: str, at: datetime, username: str, action: str, entity: str,
                  entity_id: int | None, detail: dict[str, Any]) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(sep=" "), username, action, entity, entity_id, detail],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})


def _last_hash(session: Session) -> str:
    return session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)) or ""


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: int | None,
           detail: dict[str, Any] | None = None, *, station: str | None = None,
           result: str | None = None, username: str | None = None) -> AuditEntry:
    """Append one entry in the caller's write transaction.

    ``station`` (a workstation name) and ``result`` go into the details when given; ``username``
    overrides the actor's name (a failed login records the name that was tried).
    """
    return _append(session, actor, action, entity, entity_id, detail, station=station, result=result,
                   username=username)


def _append(session: Session, actor: Actor, action: str, entity: str, entity_id: int | None,
            detail: dict[str, Any] | None, *, station: str | None, result: str | None,
            username: str | None, after_seq: int | None = None) -> AuditEntry:
    if server_chain(session) is not None:
        return _server_append(session, actor, action, entity, entity_id, detail, station=station, result=result,
                              username=username)
    _lock_chain(session)
    prev = _last_hash(session)
    last_seq = session.scalar(select(func.max(AuditEntry.seq))) if after_seq is None else after_seq
    seq = int(last_seq or 0) + 1
    at = now()
    extra: dict[str, Any] = dict(detail or {})
    if station is not None:
        extra["workstation"] = station
    if result is not None:
        extra["result"] = result
    chain = chain_id(session, create=True)
    assert chain is not None
    key = _keychain_get(chain)
    keyed_chain = _has_keyed_entries(session)
    if key is None and not keyed_chain:
        # A new chain (or the first write after migration 0013): this desk makes the key.
        key = _keychain_create(chain)
        if key is not None and seq > 1:
            extra["unkeyed_before"] = seq
    clean = json.loads(json.dumps(extra, ensure_ascii=False, default=str))
    name = actor.username if username is None else username[:40]
    digest = _entry_digest(prev, at, name, action, entity, entity_id, clean)
    if key is None and keyed_chain:
        _remember_unkeyed(session, chain, seq, digest)
    entry = AuditEntry(
        at=at,
        user_id=actor.user_id,
        username=name,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=clean,
        prev_hash=prev,
        entry_hash=digest,
        seq=seq,
        mac=_mac(key, chain, seq, digest) if key is not None else None,
    )
    session.add(entry)
    session.flush()
    return entry


# --------------------------------------------------------------------------- the server's chain (PostgreSQL)


@dataclass(frozen=True)
class ServerChain:
    """The chain as a center server keeps it (migration 0015): its id and the first seq it keyed."""

    chain_id: str
    #: Entries from this seq on were written and keyed by the server; earlier ones by desks.
    from_seq: int
    #: The highest seq the server has given out.
    last_seq: int


_SERVER_INFO = "mediation_desk.audit.server_chain"


def server_chain(session: Session, *, fresh: bool = False) -> ServerChain | None:
    """The server's chain when this is a PostgreSQL database with the server-side audit functions
    (migration 0015), else None (SQLite, or a server database not upgraded yet). Remembered for
    the session, unless ``fresh`` (``last_seq`` then is the server's value now)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    if _SERVER_INFO in session.info and not fresh:
        cached: ServerChain | None = session.info[_SERVER_INFO]
        return cached
    found: ServerChain | None = None
    if session.scalar(text("SELECT to_regprocedure('md_audit_chain()') IS NOT NULL")):
        row = session.execute(text("SELECT chain_id, server_from_seq, last_seq FROM md_audit_chain()")).first()
        if row is not None:
            found = ServerChain(str(row.chain_id), int(row.server_from_seq), int(row.last_seq))
    session.info[_SERVER_INFO] = found
    return found


def entry_clock(session: Session) -> datetime:
    """"Now" on the clock the entries are stamped by: the server's on a server that writes the
    chain (migration 0016's ``md_audit_now``), else this desk's. A check comparing an entry's time
    with now (a dry run valid for 24 hours) must read the clock that stamped it."""
    if server_chain(session) is not None and session.scalar(
            text("SELECT to_regprocedure('md_audit_now()') IS NOT NULL")):
        value = session.scalar(text("SELECT md_audit_now()"))
        if isinstance(value, datetime):
            return value
    return now()


#: What the key commands say on a server that holds the chain's key itself.
SERVER_KEY_NOTE = ("本数据库在中心服务器上：审计密钥由服务器保管（只有服务器上的审计函数能使用它，"
                   "任何工作台和数据库账户都读不到），不会离开服务器，也不需要在工作台之间导出或导入；"
                   "在任何一台工作台上都可以核验审计日志。")


def _server_append(session: Session, actor: Actor, action: str, entity: str, entity_id: int | None,
                   detail: dict[str, Any] | None, *, station: str | None, result: str | None,
                   username: str | None) -> AuditEntry:
    """Append through the server's ``md_audit_append``: this desk sends the canonical JSON of the
    entry's own fields; the server takes the lock, the time, seq, the previous hash, and computes
    ``entry_hash`` (the same SHA-256 text as :func:`_entry_digest`) and the MAC with its key."""
    extra: dict[str, Any] = dict(detail or {})
    if station is not None:
        extra["workstation"] = station
    if result is not None:
        extra["result"] = result
    clean = json.loads(json.dumps(extra, ensure_ascii=False, default=str))
    name = actor.username if username is None else username[:40]
    session.flush()
    content = _content_text(name, action, entity, entity_id, clean)
    row = session.execute(text("SELECT r_id, r_at, r_seq, r_prev_hash, r_entry_hash, r_mac, r_db_login "
                               "FROM md_audit_append(:user_id, :content)"),
                          {"user_id": actor.user_id, "content": content}).one()
    # Built from what the server returned, not read back: a role that may append need not read the
    # table. Not added to the session (the row is already in the table).
    return AuditEntry(id=row.r_id, at=row.r_at, user_id=actor.user_id, username=name, action=action, entity=entity,
                      entity_id=entity_id, detail=clean, prev_hash=row.r_prev_hash, entry_hash=row.r_entry_hash,
                      seq=row.r_seq, mac=row.r_mac, db_login=row.r_db_login)


def _content_text(username: str, action: str, entity: str, entity_id: int | None, detail: dict[str, Any]) -> str:
    """The entry's own fields as :func:`_entry_digest` writes them after ``prev_hash`` and ``at``."""
    return json.dumps([username, action, entity, entity_id, detail], ensure_ascii=False, sort_keys=True,
                      default=str)


def _server_bad_macs(session: Session) -> set[int]:
    """Ids of the server-keyed entries whose MAC is missing or wrong, checked on the server."""
    return {int(i) for i in session.scalars(text("SELECT bad_id FROM md_audit_bad_macs()"))}


def seal_export(source: Session, copy: Session) -> None:
    """Make a server's export (a SQLite copy of every row, ``backup.export_to_sqlite``) a chain
    this desk can verify, as a SQLite backup is: a fresh chain id and key for the copy, the key in
    this desk's keychain (never in the file), and each entry's MAC replaced by one under that key
    — but only for the entries whose MAC was checked first: by the server (``md_audit_bad_macs``)
    for those it keyed, with this desk's key for entries keyed on desks before the switch. Any other
    entry keeps the MAC it had, which the copy's key does not match, so the copy's verification
    names it (a backup check then refuses the file)."""
    server = server_chain(source, fresh=True)
    if server is None:
        return
    bad = _server_bad_macs(source)
    desk_key = _keychain_get(server.chain_id)
    key, chain = secrets.token_bytes(32), secrets.token_hex(16)
    rows = copy.execute(select(AuditEntry.id, AuditEntry.seq, AuditEntry.entry_hash, AuditEntry.mac)).all()
    for row in rows:
        if row.seq is None or not row.entry_hash:
            continue
        if row.seq >= server.from_seq:
            checked = row.mac is not None and row.id not in bad
        else:
            checked = row.mac is not None and desk_key is not None and hmac.compare_digest(
                row.mac, _mac(desk_key, server.chain_id, row.seq, row.entry_hash))
        if checked:
            copy.execute(update(AuditEntry).where(AuditEntry.id == row.id)
                         .values(mac=_mac(key, chain, row.seq, row.entry_hash)))
    setting = copy.get(CenterSetting, CHAIN_ID_SETTING)
    if setting is None:
        copy.add(CenterSetting(key=CHAIN_ID_SETTING, value=chain))
    else:
        setting.value = chain
    if not _keychain_store(chain, key):
        raise InvalidInput("key", "无法把导出文件的审计密钥存入本机的系统钥匙串（没有可用的钥匙串服务），"
                                  "导出的文件将无法核验，没有导出。")


def adopt_loaded_history(connection: Any) -> None:
    """After a backup was loaded into a new, empty server: the server takes over the loaded chain
    (its id; the loaded entries as those keyed before the server), so the chain continues."""
    if connection.dialect.name != "postgresql" or not connection.scalar(
            text("SELECT to_regprocedure('md_audit_adopt(text)') IS NOT NULL")):
        return
    chain = connection.scalar(select(CenterSetting.value).where(CenterSetting.key == CHAIN_ID_SETTING))
    connection.execute(text("SELECT md_audit_adopt(:chain)"), {"chain": chain})


# --------------------------------------------------------------------------- the chain's key

#: The keychain service the chains' keys are filed under (user = the database's chain id).
KEY_SERVICE = "mediation-desk audit"
#: The center_setting row naming this database's chain (the key's keychain user).
CHAIN_ID_SETTING = "audit.chain_id"

_key_lock = threading.Lock()
_key_cache: dict[str, tuple[object, bytes]] = {}


def chain_id(session: Session, *, create: bool = False) -> str | None:
    """This database's chain id (made when ``create`` and there is none yet). On a server with
    migration 0015 the server's own record of it, which no app role can change."""
    server = server_chain(session)
    if server is not None:
        return server.chain_id
    row = session.get(CenterSetting, CHAIN_ID_SETTING)
    if row is not None and (row.value or "").strip():
        return row.value.strip()
    if not create:
        return None
    value = secrets.token_hex(16)
    if row is None:
        session.add(CenterSetting(key=CHAIN_ID_SETTING, value=value))
    else:
        row.value = value
    session.flush()
    return value


def _mac(key: bytes, chain: str, seq: int, entry_hash: str) -> str:
    return hmac.new(key, f"{chain}|{seq}|{entry_hash}".encode(), hashlib.sha256).hexdigest()


def _has_keyed_entries(session: Session) -> bool:
    return session.scalar(select(AuditEntry.id).where(AuditEntry.mac.is_not(None)).limit(1)) is not None


def _keychain_get(chain: str) -> bytes | None:
    backend = keyring.get_keyring()
    with _key_lock:
        cached = _key_cache.get(chain)
        if cached is not None and cached[0] is backend:
            return cached[1]
        try:
            value = keyring.get_password(KEY_SERVICE, chain)
        except Exception:  # any backend's failure (D-Bus, locked keychain …) means no key here
            return None
        try:
            key = bytes.fromhex(value) if value else b""
        except ValueError:
            return None
        if len(key) < 16:
            return None
        _key_cache[chain] = (backend, key)
        return key


def _keychain_store(chain: str, key: bytes) -> bool:
    backend = keyring.get_keyring()
    with _key_lock:
        try:
            keyring.set_password(KEY_SERVICE, chain, key.hex())
        except Exception:  # any backend's failure (D-Bus, locked keychain …) means no key here
            return False
        _key_cache[chain] = (backend, key)
        return True


def _keychain_create(chain: str) -> bytes | None:
    key = secrets.token_bytes(32)
    return key if _keychain_store(chain, key) else None


#: Entries this process wrote without the key into a chain that already had keyed entries
#: (database, chain id, seq, entry_hash), for :func:`record_key_import`.
_unkeyed_here: list[tuple[str, str, int, str]] = []


def _remember_unkeyed(session: Session, chain: str, seq: int, digest: str) -> None:
    with _key_lock:
        _unkeyed_here.append((database_label(session), chain, seq, digest))


def record_key_import(session: Session, actor: Actor, source: str) -> AuditEntry:
    """The key import's own entry (after :func:`import_key` put the key in this keychain, so it is
    keyed), vouching for the entries *this process* wrote unkeyed into this chain before the key
    was here — in practice the importing head's own sign-in on the new desk.

    Why this is sound: an unkeyed row is reported because nobody with the key said it was written
    by the app rather than slipped in by hand. Here the process that wrote it (and remembers its
    seq and SHA-256 in memory, not from the table) now has the key and says so in a keyed entry
    later in the same chain: :func:`verify_chain` accepts an unkeyed row only when a key-import
    entry whose MAC verifies names exactly its (seq, entry_hash). Nothing is re-MACed and no row is
    changed; rows this process did not write — another desk's, or forged ones — are never vouched
    for, and forging a voucher needs the key. The alternative (a desk without the key refuses to
    write) would lose the sign-in and refusal entries of every desk whose keychain fails, and
    would stop the head from signing in to import the key at all. On a server with migration
    0015 no entry is unkeyed: the server keys them all."""
    chain = chain_id(session)
    label = database_label(session)
    with _key_lock:
        mine = [[seq, digest] for db_label, chain_of, seq, digest in _unkeyed_here
                if db_label == label and chain_of == chain]
        _unkeyed_here[:] = [item for item in _unkeyed_here if (item[0], item[1]) != (label, chain)]
    detail: dict[str, Any] = {"from": source}
    if mine:
        detail["vouched"] = mine
    return record(session, actor, KEY_IMPORT_ACTION, "audit_key", None, detail, station=workstation(), result="ok")


def key_missing_message(chain: str) -> str:
    return (f"密钥不在本机：本数据库审计链（{chain}）的密钥不在本机的系统钥匙串中，无法核验记录的 MAC。"
            "请在保存密钥的电脑上核验，或由中心主任在那台电脑导出密钥后在本机导入。")


def export_key(session: Session, actor: Actor) -> str:
    """The chain's key as text (``<chain id>:<hex>``) for another desk of the same server."""
    if actor.role is not Role.HEAD:
        raise PermissionDenied("只有中心主任可以导出审计密钥。")
    if server_chain(session) is not None:
        raise InvalidInput("key", SERVER_KEY_NOTE)
    chain = chain_id(session)
    key = _keychain_get(chain) if chain else None
    if chain is None or key is None:
        raise InvalidInput("key", key_missing_message(chain or "尚未建立"))
    return f"{chain}:{key.hex()}"


def import_key(session: Session, actor: Actor, exported: str) -> None:
    """Keep another desk's exported key in this desk's keychain, if it is this chain's key."""
    if actor.role is not Role.HEAD:
        raise PermissionDenied("只有中心主任可以导入审计密钥。")
    if server_chain(session) is not None:
        raise InvalidInput("key", SERVER_KEY_NOTE)
    chain_text, _, hex_key = exported.strip().partition(":")
    chain = chain_id(session)
    if chain is None or chain_text != chain:
        raise InvalidInput("key", f"这个密钥属于审计链 {chain_text or '（空）'}，"
                                  f"本数据库的审计链是 {chain or '（尚未建立）'}。")
    try:
        key = bytes.fromhex(hex_key)
    except ValueError:
        raise InvalidInput("key", "密钥文字不完整：应为“审计链标识:十六进制密钥”。") from None
    sample = session.execute(select(AuditEntry.seq, AuditEntry.entry_hash, AuditEntry.mac)
                             .where(AuditEntry.mac.is_not(None)).order_by(AuditEntry.id.desc()).limit(1)).first()
    if sample is not None and not hmac.compare_digest(
            _mac(key, chain, int(sample.seq or 0), sample.entry_hash or ""), sample.mac or ""):
        raise InvalidInput("key", "这个密钥与本数据库的审计记录不符，没有导入。")
    if not _keychain_store(chain, key):
        raise InvalidInput("key", "无法把审计密钥存入本机的系统钥匙串（没有可用的钥匙串服务）。")


def record_access(db: Database, actor: Actor, case_id: int, *, purpose: str = "view") -> None:
    """Log that ``actor`` opened case ``case_id``'s personal data.

    Opening a case is a read: the view reads on a read-only session (on SQLite the reader
    connections are ``query_only``), and ``cases.case_detail`` is also called inside other
    services' write transactions, where an entry per call would flood the log with internal reads.
    So the *opening* is logged here, by the code that shows the data to a person (the case view,
    ``case show``), in a short write transaction of its own on the writer — one entry per opening,
    never one per internal read, and never a write on a read session.
    """
    with db.write() as session:
        record_case_opened(session, actor, case_id, purpose=purpose)


def record_case_opened(session: Session, actor: Actor, case_id: int, *, purpose: str = "view") -> AuditEntry:
    """The same entry in a write session the caller already has (the UI's write lane:
    ``runner.run_write(partial(audit.record_case_opened, actor=…, case_id=…))``)."""
    return record(session, actor, ACCESS_ACTION, "case", case_id, {"purpose": purpose},
                  station=workstation(), result="ok")


def record_case_opened_if_allowed(session: Session, actor: Actor, case_id: int, *,
                                  purpose: str = "view") -> AuditEntry | None:
    """:func:`record_case_opened` for a view that asks before it knows whether the actor may see
    the case: a case the actor may not open gets no "opened" entry — the view's read is refused
    and that refusal is the one entry (:func:`record_refusal`, from the task runner)."""
    from . import permissions

    try:
        permissions.check_case_id(session, actor, case_id)
    except (PermissionDenied, NotFound):
        return None
    return record_case_opened(session, actor, case_id, purpose=purpose)


def record_query(session: Session, actor: Actor, action: str, detail: dict[str, Any]) -> AuditEntry:
    """One case-list query or search a person ran (``LIST_ACTION`` or ``SEARCH_ACTION``), in the
    caller's write session. Its searched words are masked (:func:`~..readmodels.masking.scrub`):
    an ID number or phone typed into a search must not sit in the log in full."""
    if action not in (LIST_ACTION, SEARCH_ACTION):
        raise InvalidInput("action", f"未知的查询类审计操作“{action}”。")
    return record(session, actor, action, "case", None, _scrubbed(detail), station=workstation(), result="ok")


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(v) for v in value]
    return value


#: Set on an exception once its refusal is in the log, so no path records it twice.
_RECORDED_MARK = "_audit_refusal_recorded"


def record_refusal(db: Database, actor: Actor | None, what: str, message: str,
                   error: BaseException | None = None) -> AuditEntry | None:
    """Log a refused access in a write transaction of its own (the refusal rolled back the
    transaction it happened in). ``what`` names the operation (a command or a screen's job);
    ``message`` is the refusal as the person read it (masked). With ``error`` (the
    ``PermissionDenied``), the entry is written once per error whichever paths report it; None
    when it was already recorded. A failure to write is raised: the caller logs it."""
    if error is not None and getattr(error, _RECORDED_MARK, False):
        return None
    who = actor if actor is not None else Actor.system("unknown")
    with db.write() as session:
        entry = record(session, who, REFUSAL_ACTION, "access", None,
                       {"what": scrub(what)[:200], "message": scrub(message)[:500]},
                       station=workstation(), result="refused")
    if error is not None:
        with contextlib.suppress(AttributeError):  # an exception type with __slots__
            setattr(error, _RECORDED_MARK, True)
    return entry


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class BrokenEntry:
    id: int
    at: datetime | None
    action: str
    username: str
    reason: str
    seq: int | None = None

    @property
    def line(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M:%S}" if self.at is not None else "时间无法识别"
        label = ACTION_LABELS.get(self.action, self.action)
        return (f"序号 {self.seq if self.seq is not None else '（空）'}（记录编号 {self.id}，{when}，"
                f"操作 {self.action}（{label}），用户 {self.username}）：{self.reason}")


#: At most this many rows are named one by one (the rest are counted).
MAX_NAMED_PROBLEMS = 50


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    first_broken: BrokenEntry | None = None
    #: The hash of the last entry checked (write it down to anchor the chain outside the database).
    head_hash: str = ""
    #: Id of the first entry, whose predecessor a purge removed (None when nothing was purged).
    starts_after_purge: int | None = None
    #: Every row found wrong, in chain order (the first is ``first_broken``).
    problems: tuple[BrokenEntry, ...] = ()
    #: Findings about the chain as a whole (missing key, anchors, an emptied table).
    chain_problems: tuple[str, ...] = ()
    #: What verification could not vouch for but is not tampering (entries from before 0013).
    notes: tuple[str, ...] = ()
    head_seq: int | None = None
    head_mac: str | None = None
    anchors_checked: int = 0
    more_problems: int = 0
    #: On a center server (0015): the first seq the server keyed (its MACs checked by the server).
    server_from_seq: int | None = None

    @property
    def first_broken_id(self) -> int | None:
        return self.first_broken.id if self.first_broken else None

    @property
    def intact(self) -> bool:
        return self.first_broken is None and not self.chain_problems

    @property
    def message(self) -> str:
        if self.intact:
            return f"审计日志完整：共 {self.entries} 条"
        key_missing = bool(self.chain_problems) and self.chain_problems[0].startswith("密钥不在本机")
        if self.first_broken is None or key_missing:
            # Without the key the MACs cannot be checked: that is the first thing to know.
            return f"审计日志不能确认完整：{self.chain_problems[0]}"
        b = self.first_broken
        label = ACTION_LABELS.get(b.action, b.action)
        when = f"{b.at:%Y-%m-%d %H:%M:%S}" if b.at is not None else "无法识别"
        seq = b.seq if b.seq is not None else "（空）"
        return (f"审计日志被改动：第一条不符的记录编号 {b.id}（序号 {seq}），时间 {when}，"
                f"操作 {b.action}（{label}），用户 {b.username}。原因：{b.reason}")

    def lines(self) -> list[str]:
        """Everything verification found, one finding a line (for ``audit verify``)."""
        out = [self.message]
        out += [b.line for b in self.problems]
        if self.more_problems:
            out.append(f"……另有 {self.more_problems} 条不符的记录未逐条列出")
        out += [p for p in self.chain_problems if not out[0].endswith(p)]
        out += self.notes
        if self.server_from_seq is not None:
            out.append(f"序号 {self.server_from_seq} 起的记录由服务器写入并加密钥，"
                       "其 MAC 由服务器核验（密钥不离开服务器）")
        if self.anchors_checked:
            out.append(f"已对照 {self.anchors_checked} 个库外锚点")
        if self.head_seq is not None:
            out.append(f"链头：序号 {self.head_seq}，MAC {self.head_mac or '（未加密钥）'}")
        return out


def _purge_anchors(session: Session) -> dict[int | None, list[tuple[int, str]]]:
    """first_kept_id → [(purge entry id, hash of the last purged entry)]."""
    anchors: dict[int | None, list[tuple[int, str]]] = {}
    for entry_id, raw in session.execute(select(AuditEntry.id, cast(AuditEntry.detail, Text))
                                         .where(AuditEntry.action == PURGE_ACTION)):
        detail = _json_or_none(raw)
        if isinstance(detail, dict):
            kept = detail.get("first_kept_id")
            anchors.setdefault(kept if isinstance(kept, int) else None, []).append(
                (entry_id, str(detail.get("last_purged_hash", ""))))
    return anchors


def _vouchers(session: Session) -> dict[tuple[int, str], int]:
    """(seq, entry_hash) of an unkeyed entry → id of the key-import entry that vouches for it
    (:func:`record_key_import`)."""
    out: dict[tuple[int, str], int] = {}
    for entry_id, raw in session.execute(select(AuditEntry.id, cast(AuditEntry.detail, Text))
                                         .where(AuditEntry.action == KEY_IMPORT_ACTION)):
        detail = _json_or_none(raw)
        vouched = detail.get("vouched") if isinstance(detail, dict) else None
        for item in vouched if isinstance(vouched, list) else []:
            if (isinstance(item, list) and len(item) == 2 and isinstance(item[0], int)
                    and isinstance(item[1], str)):
                out.setdefault((item[0], item[1]), entry_id)
    return out


def _json_or_none(raw: object) -> Any:
    if not isinstance(raw, str):
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _parse_at(raw: object) -> datetime | None:
    if isinstance(raw, datetime):
        return raw
    if not isinstance(raw, str):
        return None
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        return None


class _Row:
    """One raw row, read without the ORM's conversions (a malformed value must not raise)."""

    def __init__(self, values: Sequence[Any]) -> None:
        (self.id, self.seq, self.at_text, self.username, self.action, self.entity, self.entity_id,
         self.detail_text, self.prev_hash, self.entry_hash, self.mac) = values
        self.at = _parse_at(self.at_text)
        self.detail = _json_or_none(self.detail_text)

    def malformed(self) -> str | None:
        missing = [name for name, value in (("seq", self.seq), ("username", self.username),
                                            ("action", self.action), ("entity", self.entity),
                                            ("entry_hash", self.entry_hash), ("prev_hash", self.prev_hash),
                                            ("at", self.at_text), ("detail", self.detail_text))
                   if value is None]
        if missing:
            return "记录不完整：" + "、".join(missing) + " 为空（NULL）"
        if not isinstance(self.seq, int):
            return f"序号 seq 不是整数（{str(self.seq)[:40]}）"
        if self.at is None:
            return f"时间 at 无法识别（{str(self.at_text)[:40]}）"
        if self.detail is None and str(self.detail_text).strip() != "null":
            return f"详情 detail 不是合法的 JSON（{str(self.detail_text)[:40]}）"
        return None

    def broken(self, reason: str) -> BrokenEntry:
        return BrokenEntry(int(self.id), self.at, str(self.action or ""), str(self.username or ""), reason,
                           self.seq if isinstance(self.seq, int) else None)


def _int_or_text(value: object) -> object:
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    return value


def verify_chain(session: Session, anchors: Sequence[Anchor] | None = None) -> ChainCheck:
    """Check every entry: its SHA-256 link and digest, its seq (gap-free), its MAC with this
    desk's key; then every anchor kept outside the database for this chain (``anchors``; by
    default those in :func:`anchors_path`). Malformed rows are named, never raised.

    On a server with migration 0015 the entries from ``server_from_seq`` on carry the server's MAC:
    the server checks those (``md_audit_bad_macs``, the key never leaves it) and says which seq it
    gave last, so a desk with an empty keychain verifies them all. Entries before the switch keep
    their desks' rule: checked with this desk's key when it has it; without it, they are named in
    a note — they are still covered by the SHA-256 links up to the first server-keyed entry, whose
    MAC seals every hash before it — or, when no server-keyed entry follows yet, the missing key is
    a finding as before."""
    server = server_chain(session, fresh=True)
    chain = chain_id(session)
    server_from = server.from_seq if server is not None else None
    server_bad = _server_bad_macs(session) if server is not None else set()
    desk_keyed = server is None or session.scalar(
        select(AuditEntry.id).where(AuditEntry.mac.is_not(None), AuditEntry.seq < server_from).limit(1)) is not None
    key = _keychain_get(chain) if chain and desk_keyed else None
    if anchors is None:
        anchors = load_anchors()
    location = database_label(session)
    mine = [a for a in anchors if chain is not None and a.chain_id == chain]
    foreign = [a for a in anchors if a.database == location and a.chain_id != chain]
    wanted = {a.seq for a in mine}
    found: dict[int, tuple[str | None, str]] = {}

    problems: list[BrokenEntry] = []
    more = 0
    chain_problems: list[str] = []
    notes: list[str] = []

    def report(problem: BrokenEntry) -> None:
        nonlocal more
        if len(problems) < MAX_NAMED_PROBLEMS:
            problems.append(problem)
        else:
            more += 1

    prev = ""
    expected_seq: int | None = None
    count = 0
    first_seq: int | None = None
    started_after_purge: int | None = None
    head_seq: int | None = None
    head_mac: str | None = None
    keyed_seen = False
    unkeyed_before: int | None = None
    pending_unkeyed: list[_Row] = []
    purge_anchors = _purge_anchors(session)
    vouchers = _vouchers(session)
    #: Rows whose MAC was checked and found right (a voucher counts only then).
    mac_ok: set[int] = set()
    vouched_rows: list[tuple[_Row, int]] = []
    desk_keyed_seqs: list[int] = []
    server_seen = False
    raw = select(AuditEntry.id, cast(AuditEntry.seq, String), cast(AuditEntry.at, String), AuditEntry.username,
                 AuditEntry.action, AuditEntry.entity, cast(AuditEntry.entity_id, String),
                 cast(AuditEntry.detail, Text), AuditEntry.prev_hash, AuditEntry.entry_hash,
                 AuditEntry.mac).order_by(AuditEntry.id)
    for values in session.execute(raw).yield_per(2000):
        count += 1
        row = _Row([values[0], _int_or_text(values[1]), *values[2:6], _int_or_text(values[6]), *values[7:]])
        bad = row.malformed()
        if bad is not None:
            report(row.broken(bad))
            prev = row.entry_hash or prev
            # Count the row in its place, so the rows after it are checked as usual.
            expected_seq = (row.seq + 1 if isinstance(row.seq, int)
                            else expected_seq + 1 if expected_seq is not None else None)
            continue
        seq: int = row.seq
        at: datetime = row.at  # type: ignore[assignment]  # malformed() said it parses
        head_seq, head_mac = seq, row.mac
        if seq in wanted:
            found[seq] = (row.mac, row.entry_hash)
        if count == 1:
            first_seq = seq
            if row.prev_hash:
                # The chain starts after a purge: a purge entry must vouch for this start.
                vouched = [h for pid, h in purge_anchors.get(row.id, []) if pid >= row.id]
                vouched += [h for pid, h in purge_anchors.get(None, []) if pid == row.id]
                if row.prev_hash not in vouched:
                    report(row.broken("第一条记录之前的记录缺失，且没有清理记录说明"))
                started_after_purge = row.id
                prev = row.prev_hash
            elif seq != 1:
                report(row.broken(f"序号应从 1 开始，实为 {seq}（前面的记录被删除）"))
            expected_seq = seq
        reason: str | None = None
        if row.prev_hash != prev:
            reason = "与前一条记录的链接不符（前面的记录被删除或改动）"
        elif expected_seq is not None and seq != expected_seq:
            reason = f"序号不连续：应为 {expected_seq}，实为 {seq}（记录被删除或插入）"
        elif row.entry_hash != _entry_digest(prev, at, row.username, row.action, row.entity,
                                             row.entity_id, row.detail):
            reason = "记录内容与其校验值不符（记录被改动）"
        elif server_from is not None and seq >= server_from:
            if row.id in server_bad:
                reason = ("未加密钥：服务器写入的每条记录都有 MAC（记录是伪造的）" if row.mac is None
                          else "MAC 与服务器的审计密钥不符（记录被改动、伪造或整条链被重算）")
        elif row.mac is not None and key is not None and chain is not None and not hmac.compare_digest(
                row.mac, _mac(key, chain, seq, row.entry_hash)):
            reason = "MAC 与本数据库的审计密钥不符（记录被改动或整条链被重算）"
        if reason is not None and not (count == 1 and problems and problems[-1].id == row.id):
            report(row.broken(reason))
        server_row = server_from is not None and seq >= server_from
        if reason is None and row.mac is not None and (server_row or key is not None):
            mac_ok.add(row.id)
        if server_row:
            server_seen = True
        elif row.mac is None:
            if keyed_seen and (unkeyed_before is None or seq >= unkeyed_before):
                voucher = vouchers.get((seq, row.entry_hash))
                if voucher is not None and voucher > row.id:
                    vouched_rows.append((row, voucher))  # decided once the voucher's MAC is checked
                else:
                    report(row.broken("未加密钥：写入时本机没有审计密钥（或记录是伪造的）"))
            else:
                pending_unkeyed.append(row)
        else:
            desk_keyed_seqs.append(seq)
        if not server_row and row.mac is not None and not keyed_seen:
            keyed_seen = True
            marker = row.detail.get("unkeyed_before") if isinstance(row.detail, dict) else None
            unkeyed_before = marker if isinstance(marker, int) else (first_seq or 1)
            for earlier in pending_unkeyed:
                if earlier.seq >= unkeyed_before:
                    report(earlier.broken("未加密钥：写入时本机没有审计密钥（或记录是伪造的）"))
            pending_unkeyed = [r for r in pending_unkeyed if r.seq < unkeyed_before]
        prev = row.entry_hash
        expected_seq = seq + 1

    for row, voucher in vouched_rows:
        if voucher in mac_ok:
            notes.append(f"序号 {row.seq} 写入时本机还没有审计密钥，由其后导入密钥的记录（记录编号 {voucher}）确认")
        else:
            report(row.broken("未加密钥：写入时本机没有审计密钥（或记录是伪造的）"))
    problems.sort(key=lambda p: p.id)
    if pending_unkeyed:
        low, high = pending_unkeyed[0].seq, pending_unkeyed[-1].seq
        if server is not None and not keyed_seen:
            notes.append(f"升级前的条目未加密钥：序号 {low}–{high}（共 {len(pending_unkeyed)} 条），"
                         "只由 SHA-256 链核验")
        elif not keyed_seen and key is not None and chain is not None:
            # The key is only ever made together with a keyed entry.
            for row in pending_unkeyed:
                report(row.broken("未加密钥，但本机有这条审计链的密钥（记录被替换）"))
        else:
            why = "" if keyed_seen else "（或写入时本机没有可用的钥匙串）"
            notes.append(f"升级前的条目未加密钥{why}：序号 {low}–{high}（共 {len(pending_unkeyed)} 条），"
                         "只由 SHA-256 链核验")
    if keyed_seen and key is None and chain is not None:
        if server_seen and desk_keyed_seqs:
            notes.append(f"切换到服务器密钥之前由工作台钥匙串中的密钥加密钥的条目（序号 {desk_keyed_seqs[0]}–"
                         f"{desk_keyed_seqs[-1]}）：本机没有那把密钥，未逐条核验其 MAC；"
                         "其后由服务器加密钥的记录经 SHA-256 链覆盖它们")
        else:
            chain_problems.append(key_missing_message(chain))
    if server is not None and server.last_seq > (head_seq or 0) and count > 0:
        chain_problems.append(f"服务器记下的最后序号是 {server.last_seq}，库中最后一条是 {head_seq or '（无）'}："
                              "最后的记录被删除")
    if count == 0 and chain is not None and (server is None or server.last_seq > 0):
        chain_problems.append(f"审计日志为空，但本数据库写过审计记录（审计链 {chain}）：记录被删除")
    for a in sorted(mine, key=lambda a: a.seq):
        if a.seq in found:
            mac, entry_hash = found[a.seq]
            if mac != a.mac or entry_hash != a.entry_hash:
                chain_problems.append(f"序号 {a.seq} 与 {a.month} 的库外锚点不符（锚点 MAC 前 16 位 "
                                      f"{(a.mac or '')[:16]}，库中 {(mac or '（无）')[:16]}）：审计链被重写")
        elif started_after_purge is not None and first_seq is not None and a.seq < first_seq:
            notes.append(f"{a.month} 的锚点（序号 {a.seq}）已按保留期限清理")
        else:
            chain_problems.append(f"{a.month} 的库外锚点记下的序号 {a.seq} 在库中不存在："
                                  "最后的记录被删除或审计日志被清空")
    for a in foreign:
        chain_problems.append(f"{a.month} 的库外锚点属于本数据库的另一条审计链（{a.chain_id}），"
                              f"现在是 {chain or '（无）'}：审计链被整体替换")
    return ChainCheck(count, problems[0] if problems else None, prev, started_after_purge, tuple(problems),
                      tuple(chain_problems), tuple(notes), head_seq, head_mac, len(mine) + len(foreign), more,
                      server_from)


def chain_head(session: Session) -> Anchor | None:
    """The chain's newest entry as an anchor would record it (for the head's desk)."""
    return _head_before(session, None, "")


# --------------------------------------------------------------------------- anchors

ANCHOR_FILE = "audit-anchors.jsonl"


@dataclass(frozen=True)
class Anchor:
    """The chain head at the end of a month, kept outside the database."""

    chain_id: str
    database: str
    month: str
    seq: int
    mac: str | None
    entry_hash: str
    made: str = field(default="", compare=False)

    @property
    def line(self) -> str:
        mac = (self.mac or "")[:16] or "（未加密钥）"
        return f"审计链锚点：序号 {self.seq}，MAC 前 16 位 {mac}"


def anchors_path() -> Path:
    return settings.data_dir() / ANCHOR_FILE


def database_label(session: Session) -> str:
    """Which database this is, for anchors (a SQLite file's path, or server/database)."""
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite":
        name = url.database or ""
        try:
            return "sqlite:" + str(Path(name).resolve()) if name and not name.startswith(":") else "sqlite:" + name
        except OSError:
            return "sqlite:" + name
    return f"postgresql:{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def load_anchors(path: Path | None = None) -> list[Anchor]:
    """The anchors in the file (none when it does not exist; unreadable lines are skipped)."""
    target = path or anchors_path()
    try:
        lines = target.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    out: list[Anchor] = []
    for line in lines:
        item = _json_or_none(line)
        if not isinstance(item, dict):
            continue
        try:
            out.append(Anchor(str(item["chain_id"]), str(item["database"]), str(item["month"]), int(item["seq"]),
                              None if item.get("mac") is None else str(item["mac"]), str(item["entry_hash"]),
                              str(item.get("made", ""))))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _head_before(session: Session, before: datetime | None, month: str) -> Anchor | None:
    query = select(AuditEntry.seq, AuditEntry.mac, AuditEntry.entry_hash).where(AuditEntry.seq.is_not(None))
    if before is not None:
        query = query.where(AuditEntry.at < before)
    head = session.execute(query.order_by(AuditEntry.id.desc()).limit(1)).first()
    chain = chain_id(session)
    if head is None or chain is None:
        return None
    return Anchor(chain, database_label(session), month, int(head.seq), head.mac, head.entry_hash or "",
                  now().isoformat(sep=" ", timespec="seconds"))


def anchor(session: Session, actor: Actor, month: str, *, path: Path | None = None) -> Anchor | None:
    """Write down the chain head at the end of ``month`` ("2026-10") in the anchors file (outside
    the database) and return it; None when the chain has no entry by then. Reads only."""
    try:
        year, number = (int(part) for part in month.split("-"))
        start = date(year, number, 1)
    except ValueError:
        raise InvalidInput("month", f"月份“{month}”无法识别，应为“2026-10”这样的年-月。") from None
    end = date(year + (number == 12), number % 12 + 1, 1)
    found = _head_before(session, datetime.combine(end, datetime.min.time()), f"{start:%Y-%m}")
    if found is None:
        return None
    found = Anchor(**{**asdict(found), "made": f"{found.made} {actor.username}".strip()})
    target = path or anchors_path()
    kept = load_anchors(target)
    if found in kept:
        return found
    text_lines = [json.dumps(asdict(a), ensure_ascii=False) for a in [*kept, found]]
    try:
        write_atomically(target, "\n".join(text_lines) + "\n", private=True, what="审计锚点文件")
    except OSError as exc:
        raise InvalidInput("anchors", f"无法写入审计锚点文件 {target}：{exc.strerror or exc}") from exc
    return found


# --------------------------------------------------------------------------- retention


def _require_auditor(actor: Actor) -> None:
    if actor.role not in (Role.HEAD, Role.ADMIN):
        raise PermissionDenied("只有中心主任和系统管理员可以查看审计日志。")


@dataclass(frozen=True)
class PurgeResult:
    removed: int
    cutoff: datetime
    entry_id: int | None


def purge(session: Session, actor: Actor, *, keep_days: int = MIN_RETENTION_DAYS,
          at: datetime | None = None) -> PurgeResult:
    """Remove entries older than ``keep_days`` (never fewer than 180 days) and log the purge.

    The purge entry carries ``first_kept_id`` and ``last_purged_hash``, from which
    :func:`verify_chain` starts checking the kept entries.

    On a server with migration 0015 the server's ``md_audit_purge`` does it all — the table's
    triggers refuse every other delete — with the server's clock for the cutoff (``at`` is only for
    SQLite: a desk cannot move the server's clock forward to purge recent entries).
    """
    if actor.role is not Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以清理过期的审计记录。")
    if keep_days < MIN_RETENTION_DAYS:
        raise InvalidInput("keep_days", f"审计记录至少保留 {MIN_RETENTION_DAYS} 天，不能只保留 {keep_days} 天。")
    if server_chain(session) is not None:
        session.flush()
        done = session.execute(text("SELECT removed, cutoff, entry_id "
                                    "FROM md_audit_purge(:days, :user_id, :name, :station)"),
                               {"days": keep_days, "user_id": actor.user_id, "name": actor.username[:40],
                                "station": workstation()}).one()
        session.expire_all()
        return PurgeResult(int(done.removed), done.cutoff, done.entry_id)
    _lock_chain(session)
    cutoff = (at or now()) - timedelta(days=keep_days)
    # By id, not by time: the chain is ordered by id, and only a prefix of it may go.
    first_kept = session.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.at >= cutoff))
    doomed = select(AuditEntry.id)
    if first_kept is not None:
        doomed = doomed.where(AuditEntry.id < first_kept)
    last_purged = session.scalars(doomed.order_by(AuditEntry.id.desc()).limit(1)).first()
    if last_purged is None:
        return PurgeResult(0, cutoff, None)
    last_hash = session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.id == last_purged)) or ""
    last_seq = session.scalar(select(func.max(AuditEntry.seq)))
    first_id = session.scalar(select(func.min(AuditEntry.id)))
    removed = int(session.scalar(select(func.count()).where(AuditEntry.id <= last_purged)) or 0)
    session.execute(delete(AuditEntry).where(AuditEntry.id <= last_purged))
    session.expire_all()
    entry = _append(session, actor, PURGE_ACTION, "audit_entry", None, {
        "cutoff": cutoff.isoformat(sep=" "),
        "removed": removed,
        "removed_ids": [first_id, last_purged],
        "first_kept_id": first_kept,
        "last_purged_hash": last_hash,
    }, station=workstation(), result="ok", username=None, after_seq=last_seq)
    return PurgeResult(removed, cutoff, entry.id)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class AuditFilter:
    since: datetime | None = None
    until: datetime | None = None
    username: str = ""
    action: str = ""
    #: Free text, matched in the object type, the action and the details.
    text: str = ""


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    workstation: str
    action: str
    action_label: str
    entity: str
    entity_id: int | None
    result: str
    detail: dict[str, Any]
    #: The case the entry is about, for "open the case".
    case_id: int | None


def _filtered(flt: AuditFilter) -> Select[Any]:
    query = select(AuditEntry)
    if flt.since is not None:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until is not None:
        query = query.where(AuditEntry.at < flt.until)
    if flt.username.strip():
        query = query.where(AuditEntry.username == flt.username.strip())
    if flt.action.strip():
        query = query.where(AuditEntry.action == flt.action.strip())
    words = flt.text.strip()
    if words:
        # Details are stored as JSON text with non-ASCII characters escaped as \uXXXX.
        escaped = json.dumps(words)[1:-1]
        details = cast(AuditEntry.detail, Text)
        labelled = [a for a, label in ACTION_LABELS.items() if words in label]
        query = query.where(or_(
            _like(AuditEntry.entity, words),
            _like(AuditEntry.action, words),
            _like(AuditEntry.username, words),
            _like(details, words),
            _like(details, escaped),
            AuditEntry.action.in_(labelled),
        ))
    return query


def _like(column: Any, words: str) -> Any:
    """``column LIKE %words%`` with the wildcards in ``words`` taken literally, on both databases."""
    literal = words.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return column.like(f"%{literal}%", escape="!")


def _row(entry: AuditEntry) -> AuditRow:
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    result = str(detail.get("result", "ok"))
    return AuditRow(
        id=entry.id,
        at=entry.at,
        username=entry.username,
        workstation=str(detail.get("workstation", "")),
        action=entry.action,
        action_label=audit_names.action_name(entry.action),
        entity=entry.entity,
        entity_id=entry.entity_id,
        result=result,
        detail=detail,
        case_id=entry.entity_id if entry.entity == "case" else None,
    )


def count_entries(session: Session, actor: Actor, flt: AuditFilter = AuditFilter()) -> int:
    _require_auditor(actor)
    return int(session.scalar(select(func.count()).select_from(_filtered(flt).subquery())) or 0)


def list_entries(session: Session, actor: Actor, flt: AuditFilter = AuditFilter(),
                 *, before_id: int | None = None, limit: int = 200) -> list[AuditRow]:
    """Entries newest first; ``before_id`` continues after the last entry of a previous page
    (entries added meanwhile do not shift the pages, as an offset would)."""
    _require_auditor(actor)
    query = _filtered(flt)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    query = query.order_by(AuditEntry.id.desc()).limit(limit)
    return [_row(e) for e in session.scalars(query)]


def usernames_and_actions(session: Session, actor: Actor) -> tuple[list[str], list[str]]:
    """The user names and actions that occur in the log (for the viewer's filter lists)."""
    _require_auditor(actor)
    users = list(session.scalars(select(AuditEntry.username).distinct().order_by(AuditEntry.username)))
    actions = list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
    return users, actions
