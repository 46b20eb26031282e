"""Case numbers like （2026）甘矛调字第0001号: a sequence per center and year, never reused.

Each center numbers its own cases with its own prefix (``center.prefix``: the county's
（2026）甘矛调字第0001号, a township's （2026）甘州梁家墩调字第0001号; docs/centers.md). The counter
row is bumped with one ``UPDATE … RETURNING``: on PostgreSQL the row lock makes a concurrent desk
wait for the committed value; on SQLite the write transaction already holds the database lock
(``BEGIN IMMEDIATE``). A number taken by a transaction that later rolls back is simply skipped,
never issued twice.
"""

from __future__ import annotations

import re

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import CaseNumberSequence, Center
from ..models.org import ROOT_CENTER
from .errors import NotFound

NUMBER_PATTERN = re.compile(r"^（(?P<year>\d{4})）(?P<prefix>.+?)字第(?P<seq>\d+)号$")


def format_case_number(year: int, prefix: str, seq: int) -> str:
    return f"（{year}）{prefix}字第{seq:04d}号"


def numbering_center(session: Session, center_id: int | None) -> int:
    """The center whose numbers a case takes: ``center_id``, or the database's first center (the
    county's, the only one of a desk of one center)."""
    if center_id is not None:
        return center_id
    root = session.scalar(select(ROOT_CENTER))
    if root is None:
        raise NotFound("数据库中没有任何中心，请先运行 db upgrade。")
    return int(root)


def center_prefix(session: Session, center_id: int | None = None) -> str:
    """The case-number prefix of ``center_id`` (None: the first center's)."""
    cid = numbering_center(session, center_id)
    prefix = session.scalar(select(Center.prefix).where(Center.id == cid))
    if prefix is None:
        raise NotFound(f"中心（编号 {cid}）不存在。")
    return prefix


def ensure_year_row(session: Session, year: int, center_id: int | None = None) -> int:
    """Create the center's sequence row of ``year`` if it is missing (imports keep numbering in step
    too); returns the center's id."""
    cid = numbering_center(session, center_id)
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(CaseNumberSequence).values(center_id=cid, year=year, last_value=0).on_conflict_do_nothing()
    session.execute(stmt)
    return cid


def next_case_number(session: Session, year: int, center_id: int | None = None) -> tuple[int, str]:
    """Take the next sequence of ``year`` of the center and return it with the formatted number."""
    cid = ensure_year_row(session, year, center_id)
    seq = session.execute(
        update(CaseNumberSequence)
        .where(CaseNumberSequence.center_id == cid, CaseNumberSequence.year == year)
        .values(last_value=CaseNumberSequence.last_value + 1)
        .returning(CaseNumberSequence.last_value)
    ).scalar_one()
    return seq, format_case_number(year, center_prefix(session, cid), seq)


def take_numbers(session: Session, year: int, count: int, center_id: int | None = None) -> tuple[int, int]:
    """Take ``count`` numbers of ``year`` at once (a batch import): returns (center, last seq)."""
    cid = ensure_year_row(session, year, center_id)
    last = session.execute(
        update(CaseNumberSequence)
        .where(CaseNumberSequence.center_id == cid, CaseNumberSequence.year == year)
        .values(last_value=CaseNumberSequence.last_value + count)
        .returning(CaseNumberSequence.last_value)
    ).scalar_one()
    return cid, int(last)


def reserve_through(session: Session, year: int, seq: int, center_id: int | None = None) -> None:
    """Move the counter past numbers issued in bulk (demo data, imports)."""
    cid = ensure_year_row(session, year, center_id)
    current = session.scalar(select(CaseNumberSequence.last_value).where(
        CaseNumberSequence.center_id == cid, CaseNumberSequence.year == year)) or 0
    if seq > current:
        session.execute(update(CaseNumberSequence).where(
            CaseNumberSequence.center_id == cid, CaseNumberSequence.year == year).values(last_value=seq))
