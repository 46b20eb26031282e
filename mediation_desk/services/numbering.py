"""Case numbers like （2026）甘矛调字第0001号: a sequence per year, never reused.

The counter row is bumped with one ``UPDATE … RETURNING``: on PostgreSQL the row lock makes a
concurrent desk wait for the committed value; on SQLite the write transaction already holds the
database lock (``BEGIN IMMEDIATE``). A number taken by a transaction that later rolls back is
simply skipped, never issued twice.
"""

from __future__ import annotations

import re

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import CaseNumberSequence
from ..settings import CASE_NUMBER_PREFIX
from . import center

NUMBER_PATTERN = re.compile(r"^（(?P<year>\d{4})）(?P<prefix>.+?)字第(?P<seq>\d+)号$")


def format_case_number(year: int, prefix: str, seq: int) -> str:
    return f"（{year}）{prefix}字第{seq:04d}号"


def ensure_year_row(session: Session, year: int) -> None:
    """Create the year's sequence row if it is missing (imports keep numbering in step too)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(CaseNumberSequence).values(year=year, last_value=0).on_conflict_do_nothing()
    session.execute(stmt)


def next_case_number(session: Session, year: int) -> tuple[int, str]:
    """Take the next sequence of ``year`` and return it with the formatted number."""
    ensure_year_row(session, year)
    seq = session.execute(
        update(CaseNumberSequence)
        .where(CaseNumberSequence.year == year)
        .values(last_value=CaseNumberSequence.last_value + 1)
        .returning(CaseNumberSequence.last_value)
    ).scalar_one()
    return seq, format_case_number(year, center.get(session, CASE_NUMBER_PREFIX), seq)


def reserve_through(session: Session, year: int, seq: int) -> None:
    """Move the counter past numbers issued in bulk (demo data, imports)."""
    ensure_year_row(session, year)
    current = session.scalar(select(CaseNumberSequence.last_value).where(CaseNumberSequence.year == year)) or 0
    if seq > current:
        session.execute(
            update(CaseNumberSequence).where(CaseNumberSequence.year == year).values(last_value=seq)
        )
