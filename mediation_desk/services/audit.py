"""Append to the audit log, chaining each entry to the previous one by SHA-256."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..models import AuditEntry, now
from .actor import Actor

# One constant key serialises writers of the audit chain on PostgreSQL (SQLite already has a
# single writer), so two desks never chain two entries onto the same predecessor.
_AUDIT_LOCK_KEY = 0x4D44_4155  # "MDAU"


def _entry_digest(prev_hash: str, at: datetime, username: str, action: str, entity: str,
                  entity_id: int | None, detail: dict[str, Any]) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(sep=" "), username, action, entity, entity_id, detail],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: int | None,
           detail: dict[str, Any] | None = None) -> AuditEntry:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
    prev = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)) or ""
    at = now()
    clean = json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))
    entry = AuditEntry(
        at=at,
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=clean,
        prev_hash=prev,
        entry_hash=_entry_digest(prev, at, actor.username, action, entity, entity_id, clean),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    first_broken_id: int | None

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def verify_chain(session: Session) -> ChainCheck:
    """Recompute every hash; the first entry that does not match is where tampering starts."""
    prev = ""
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        count += 1
        expected = _entry_digest(prev, entry.at, entry.username, entry.action, entry.entity,
                                 entry.entity_id, entry.detail)
        if entry.prev_hash != prev or entry.entry_hash != expected:
            return ChainCheck(count, entry.id)
        prev = entry.entry_hash
    return ChainCheck(count, None)
