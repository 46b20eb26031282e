"""Where the cases a person may see are found through the indexes: the parts of the visibility.

``permissions.visible_cases`` is one condition that fits no index (the cases of the centers one
reads, or handled by one of them, or crossed with one's own center; a mediator's, of those, their
teams' or the ones they lead). Read part by part, each from its own index, it gives the ids of a
set of cases holding every case the person may see — few for a township's people, whose centers
hold a township's cases. The callers decide when those are few enough and what they build:

- the case list and the cards (``caselist.few_visible_ids``): the centers' side as one union
  selectable, when the centers read hold at most ``caselist.SMALL_LIST`` cases;
- the search (``search.few_visible_ids``): each side read as a list of ids, each part counted first
  and given up past ``search.FEW_VISIBLE``, a mediator's two sides intersected.

The visibility itself is still to be applied to what is found among those ids (a superset).
SQLite must walk the index named (``INDEXED BY``: its statistics of the center and handling
indexes say a million cases per value); PostgreSQL ignores the hint and its planner chooses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..models import CaseCrossing, Center, DisputeCase, Role
from . import permissions
from .actor import Actor

CENTER_INDEX = "ix_dispute_case_center_received"
HANDLING_INDEX = "ix_dispute_case_handling_center_id"
TEAM_INDEX = "ix_dispute_case_team_received"
LEAD_INDEX = "ix_dispute_case_lead"


def _by_index(index: str) -> Select[Any]:
    return select(DisputeCase.id).with_hint(DisputeCase, f"INDEXED BY {index}", "sqlite")


@dataclass(frozen=True)
class VisibleParts:
    """The parts of one person's visibility, each a select of one column of case ids read from one
    index (or from the few crossings).

    ``centers``: the cases of the centers read (first: the center index), handled by one of them
    (the handling index), crossed from and to the own center; None when the person reads every
    center (the visibility then holds every case: no side to start from).
    ``mediator``: a mediator's teams' cases (the team index) and the ones they lead (the lead
    index); empty for a mediator with neither (who sees nothing); None for anyone else."""

    centers: list[Select[Any]] | None
    mediator: list[Select[Any]] | None


def visible_parts(session: Session, actor: Actor) -> VisibleParts | None:
    """The parts of ``actor``'s visibility; None for whoever's visibility is not made of them (not a
    clerk, head or mediator, the maintenance actor, no center)."""
    if actor.role not in permissions.CASE_ROLES or permissions.is_system(actor) or actor.center_id is None:
        return None
    readable = sorted(actor.center_ids or {actor.center_id})
    centers: list[Select[Any]] | None = None
    if session.scalar(select(Center.id).where(Center.id.not_in(readable)).limit(1)) is not None:
        own = actor.center_id
        centers = [
            _by_index(CENTER_INDEX).where(DisputeCase.center_id.in_(readable)),
            _by_index(HANDLING_INDEX).where(DisputeCase.handling_center_id.in_(readable)),
            select(CaseCrossing.case_id).where(CaseCrossing.from_center_id == own),
            select(CaseCrossing.case_id).where(CaseCrossing.to_center_id == own),
        ]
    mediator: list[Select[Any]] | None = None
    if actor.role is Role.MEDIATOR:
        mediator = []
        if actor.team_ids:
            mediator.append(_by_index(TEAM_INDEX).where(DisputeCase.team_id.in_(sorted(actor.team_ids))))
        if actor.mediator_id is not None:
            mediator.append(_by_index(LEAD_INDEX).where(DisputeCase.lead_mediator_id == actor.mediator_id))
    return VisibleParts(centers, mediator)


def fewer_than(session: Session, limit: int, part: Select[Any]) -> bool:
    """Whether ``part`` holds fewer than ``limit`` cases (reads at most ``limit`` of its index's entries)."""
    some = part.limit(limit).subquery()
    return int(session.scalar(select(func.count()).select_from(some)) or 0) < limit


def ids_within(session: Session, parts: list[Select[Any]], bound: int) -> set[int] | None:
    """The ids of the parts' cases; None as soon as one part (counted first, from its index alone)
    or all together hold ``bound`` or more, so a large part costs ``bound`` index entries."""
    found: set[int] = set()
    for part in parts:
        if not fewer_than(session, bound, part):
            return None
        found.update(int(i) for i in session.scalars(part))
        if len(found) >= bound:
            return None
    return found


__all__ = ["VisibleParts", "fewer_than", "ids_within", "visible_parts"]
