"""The version a form was loaded with, checked on save — including "no row yet".

Versioned rows start at version 1 (``models.base.Versioned``), so ``0`` is free to mean "this form
was loaded when there was no such row": an insert told 0 that finds a row raises ``Conflict``
instead of editing (or duplicating) what another desk saved meanwhile. ``None`` means "do not
check" and is left only for the command line and internal callers that mean exactly that; every
UI form sends what it loaded.

Two desks inserting the first row of a case at the same moment both see "no row" before either
commits. :func:`lock_case` closes that gap: on PostgreSQL it takes the case's row lock
(``SELECT … FOR UPDATE``) before the check, so the second desk waits for the first to commit and then
finds its row; SQLite has one writer at a time (``BEGIN IMMEDIATE`` in ``db``), so nothing more is
needed there.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..models import DisputeCase
from .errors import Conflict

#: What a form sends when it was loaded before the row existed.
NO_ROW = 0


def lock_case(session: Session, case_id: int) -> None:
    """Hold the case's row lock until the transaction ends (PostgreSQL; a no-op on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(DisputeCase.id).where(DisputeCase.id == case_id).with_for_update())


def check(current: int | None, expected: int | None, message: str) -> None:
    """Raise ``Conflict(message)`` unless the row's version (``None``: no row) is what the form
    loaded (``0``: no row). ``expected=None`` checks nothing."""
    if expected is None:
        return
    if (current or NO_ROW) != expected:
        raise Conflict(message)


def flush(session: Session, message: str) -> None:
    """Flush; a versioned row another transaction changed since it was read (two desks on
    PostgreSQL, the second waiting on the first's row lock) is ``Conflict(message)``, not a traceback."""
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(message) from None


__all__ = ["NO_ROW", "check", "flush", "lock_case"]
