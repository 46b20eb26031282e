"""Reference lists the forms and filters offer: dispute types, teams, mediators."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import DisputeType, Mediator, Team

#: The dispute types a new center starts with (DESIGN.md §3); (name, private on public lists).
DEFAULT_DISPUTE_TYPES: tuple[tuple[str, bool], ...] = (
    ("婚姻家庭", True), ("邻里", False), ("房屋宅基地", False), ("合同", False), ("生产经营", False),
    ("损害赔偿", False), ("山林土地", False), ("征地拆迁", False), ("环境污染", False), ("劳动争议", False),
    ("拖欠农民工工资", False), ("消费", False), ("医疗", False), ("道路交通事故", False), ("物业", False),
    ("消防", False), ("其他", False),
)


@dataclass(frozen=True)
class Choice:
    id: int
    name: str
    active: bool = True


def ensure_dispute_types(session: Session) -> None:
    """Seed the default list once; an administrator edits it afterwards."""
    if session.scalar(select(DisputeType.id).limit(1)) is not None:
        return
    session.add_all(
        DisputeType(name=name, sort_order=i, is_private=private)
        for i, (name, private) in enumerate(DEFAULT_DISPUTE_TYPES)
    )
    session.flush()


def dispute_types(session: Session, *, include_inactive: bool = False) -> list[Choice]:
    stmt = select(DisputeType).order_by(DisputeType.sort_order, DisputeType.id)
    if not include_inactive:
        stmt = stmt.where(DisputeType.active.is_(True))
    return [Choice(t.id, t.name, t.active) for t in session.scalars(stmt)]


def teams(session: Session, *, include_inactive: bool = False) -> list[Choice]:
    stmt = select(Team).order_by(Team.id)
    if not include_inactive:
        stmt = stmt.where(Team.active.is_(True))
    return [Choice(t.id, t.name, t.active) for t in session.scalars(stmt)]


def mediators(session: Session, *, include_inactive: bool = False) -> list[Choice]:
    stmt = select(Mediator).order_by(Mediator.id)
    if not include_inactive:
        stmt = stmt.where(Mediator.active.is_(True))
    return [Choice(m.id, m.name, m.active) for m in session.scalars(stmt)]
