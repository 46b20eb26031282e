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
"""

from __future__ import annotations

import hashlib
import json
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Text, cast, delete, func, or_, select, text
from sqlalchemy.orm import Session

from ..models import AuditEntry, Role, now
from .actor import Actor
from .errors import InvalidInput, PermissionDenied

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

#: Words for the actions the viewer and ``audit list`` show; unknown actions show as they are.
ACTION_LABELS: dict[str, str] = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "unlock": "解除锁屏",
    "unlock_failed": "解除锁屏失败",
    "account_locked": "账户锁定",
    "create_user": "新建账户",
    "set_password": "重设密码",
    "change_password": "修改密码",
    "activate_user": "启用账户",
    "deactivate_user": "停用账户",
    ACCESS_ACTION: "查看案件个人信息",
    "document.print": "打印文书",
    "document.save": "保存文书",
    PURGE_ACTION: "清理过期审计记录",
    "backup": "备份数据库",
    "restore": "从备份恢复数据库",
}


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
    _lock_chain(session)
    prev = _last_hash(session)
    at = now()
    extra: dict[str, Any] = dict(detail or {})
    if station is not None:
        extra["workstation"] = station
    if result is not None:
        extra["result"] = result
    clean = json.loads(json.dumps(extra, ensure_ascii=False, default=str))
    name = actor.username if username is None else username[:40]
    entry = AuditEntry(
        at=at,
        user_id=actor.user_id,
        username=name,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=clean,
        prev_hash=prev,
        entry_hash=_entry_digest(prev, at, name, action, entity, entity_id, clean),
    )
    session.add(entry)
    session.flush()
    return entry


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


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class BrokenEntry:
    id: int
    at: datetime
    action: str
    username: str
    reason: str


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    first_broken: BrokenEntry | None = None
    #: The hash of the last entry checked (write it down to anchor the chain outside the database).
    head_hash: str = ""
    #: Id of the first entry, whose predecessor a purge removed (None when nothing was purged).
    starts_after_purge: int | None = None

    @property
    def first_broken_id(self) -> int | None:
        return self.first_broken.id if self.first_broken else None

    @property
    def intact(self) -> bool:
        return self.first_broken is None

    @property
    def message(self) -> str:
        if self.first_broken is None:
            return f"审计日志完整：共 {self.entries} 条"
        b = self.first_broken
        label = ACTION_LABELS.get(b.action, b.action)
        return (f"审计日志被改动：第一条不符的记录编号 {b.id}，时间 {b.at:%Y-%m-%d %H:%M:%S}，"
                f"操作 {b.action}（{label}），用户 {b.username}。原因：{b.reason}")


def _purge_anchors(session: Session) -> dict[int | None, list[tuple[int, str]]]:
    """first_kept_id → [(purge entry id, hash of the last purged entry)]."""
    anchors: dict[int | None, list[tuple[int, str]]] = {}
    for entry_id, detail in session.execute(
            select(AuditEntry.id, AuditEntry.detail).where(AuditEntry.action == PURGE_ACTION)):
        if isinstance(detail, dict):
            kept = detail.get("first_kept_id")
            anchors.setdefault(kept if isinstance(kept, int) else None, []).append(
                (entry_id, str(detail.get("last_purged_hash", ""))))
    return anchors


def verify_chain(session: Session) -> ChainCheck:
    """Recompute every hash; the first entry that does not match is where tampering starts."""
    prev = ""
    count = 0
    started_after_purge: int | None = None
    # Read before streaming the chain (a second query on the streaming connection is avoided).
    anchors = _purge_anchors(session)
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        count += 1
        if count == 1 and entry.prev_hash:
            # The chain starts after a purge: a purge entry must vouch for this start.
            vouched = [h for pid, h in anchors.get(entry.id, []) if pid >= entry.id]
            vouched += [h for pid, h in anchors.get(None, []) if pid == entry.id]
            if entry.prev_hash not in vouched:
                return ChainCheck(count, _broken(entry, "第一条记录之前的记录缺失，且没有清理记录说明"))
            prev = entry.prev_hash
            started_after_purge = entry.id
        expected = _entry_digest(prev, entry.at, entry.username, entry.action, entry.entity,
                                 entry.entity_id, entry.detail)
        if entry.prev_hash != prev:
            return ChainCheck(count, _broken(entry, "与前一条记录的链接不符（前面的记录被删除或改动）"),
                              prev, started_after_purge)
        if entry.entry_hash != expected:
            return ChainCheck(count, _broken(entry, "记录内容与其校验值不符（记录被改动）"), prev,
                              started_after_purge)
        prev = entry.entry_hash
    return ChainCheck(count, None, prev, started_after_purge)


def _broken(entry: AuditEntry, reason: str) -> BrokenEntry:
    return BrokenEntry(entry.id, entry.at, entry.action, entry.username, reason)


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
    """
    if actor.role is not Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以清理过期的审计记录。")
    if keep_days < MIN_RETENTION_DAYS:
        raise InvalidInput("keep_days", f"审计记录至少保留 {MIN_RETENTION_DAYS} 天，不能只保留 {keep_days} 天。")
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
    last = session.get(AuditEntry, last_purged)
    assert last is not None
    last_hash = last.entry_hash
    first_id = session.scalar(select(func.min(AuditEntry.id)))
    removed = int(session.scalar(select(func.count()).where(AuditEntry.id <= last_purged)) or 0)
    session.execute(delete(AuditEntry).where(AuditEntry.id <= last_purged))
    session.expire_all()
    entry = record(session, actor, PURGE_ACTION, "audit_entry", None, {
        "cutoff": cutoff.isoformat(sep=" "),
        "removed": removed,
        "removed_ids": [first_id, last_purged],
        "first_kept_id": first_kept,
        "last_purged_hash": last_hash,
    }, station=workstation(), result="ok")
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
        action_label=ACTION_LABELS.get(entry.action, entry.action),
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
