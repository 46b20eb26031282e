"""The audit log: append-only, each entry chained to the previous one by hash and sealed with a
keyed MAC (see :mod:`mediation_desk.services.audit`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, now


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    # A failed login by a name without an account is counted by that name (services.auth).
    __table_args__ = (Index("ix_audit_entry_username_id", "username", "id"),
                      Index("ux_audit_entry_seq", "seq", unique=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # SHA-256 over the previous entry's hash and this entry's content: editing or deleting an
    # entry breaks every hash after it.
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")
    # 1, 2, 3 … without gaps, given under the chain lock; a purge removes only a prefix.
    seq: Mapped[int | None] = mapped_column(Integer)
    # HMAC-SHA256 (hex) with the chain's key over the chain id, seq and entry_hash; NULL when the
    # entry was written where the key was not available (entries from before migration 0013, or a
    # desk without the key) — verify reports those.
    mac: Mapped[str | None] = mapped_column(String(64))
    # On a center server (migration 0015): the database login that wrote the entry, set by the
    # server's md_audit_append, never by the desk; NULL on SQLite.
    db_login: Mapped[str | None] = mapped_column(String(130))
