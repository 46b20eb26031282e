"""Who saved a row last, and when: what the conflict dialog names ("saved by 王某 at 10:31").

The rows that two desks edit (records, agreements) carry ``updated_at`` but no writer column; every
write of them is in the audit log, in the same transaction, with the user and the row's id in its
details. So the last writer is the newest audit entry of the row's write actions — as long as it is
not older than the row's ``updated_at`` (a write that left no such entry, say an import, then shows
as an unnamed colleague at ``updated_at``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditEntry, User

#: How many of the case's newest write entries of the kind are searched for the row.
_SEARCHED = 200


@dataclass(frozen=True)
class LastWrite:
    #: The writer's display name ("" when the log does not say).
    who: str
    at: datetime | None


def last_write(session: Session, case_id: int, key: str | None, row_id: int, actions: Collection[str],
               updated_at: datetime | None) -> LastWrite:
    """The newest audit entry of ``actions`` on case ``case_id`` whose details have ``key == row_id``
    (any entry of those actions when ``key`` is None: a row the case has only one of)."""
    query = (
        select(AuditEntry.at, AuditEntry.username, AuditEntry.detail, User.display_name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.entity == "case", AuditEntry.entity_id == case_id, AuditEntry.action.in_(list(actions)))
        .limit(_SEARCHED)
    )
    if updated_at is not None:
        # The entry of the last write is not older than the row's time (same transaction, same
        # clock); an older one is not the last writer. Ordered by ``at`` first, the search stays on
        # the index of ``at``, on the few entries since then, however long the log.
        query = query.where(AuditEntry.at >= updated_at).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    else:
        query = query.order_by(AuditEntry.id.desc())
    for at, username, detail, display_name in session.execute(query):
        if key is None or (isinstance(detail, dict) and detail.get(key) == row_id):
            return LastWrite(display_name or username or "", at)
    return LastWrite("", updated_at)  # a write that left no such entry: its writer is unknown


__all__ = ["LastWrite", "last_write"]
