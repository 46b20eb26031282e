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
indexes say a million cases per value); on PostgreSQL the planner chooses."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, column, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect

from ..models import Role
from . import permissions
from .actor import Actor

CENTER_INDEX = "ix_dispute_case_center_received"
HANDLING_INDEX = "ix_dispute_case_handling_center_id"
TEAM_INDEX = "ix_dispute_case_team_received"
LEAD_INDEX = "ix_dispute_case_lead"


@dataclass(frozen=True)
class Part:
    """One part of a visibility: the SQL of a select of one column of case ids, read from one
    index (or from the few crossings). Written out, not built: a search asks for the parts at
    each page and count, and building and executing them as SQLAlchemy expressions cost 1.5-2 ms
    more for a township's people (their parts hold a few hundred ids)."""

    sql: str

    def selectable(self) -> TextualSelect:
        return text(self.sql).columns(column("id", Integer))


@dataclass(frozen=True)
class VisibleParts:
    """The parts of one person's visibility.

    ``centers``: the cases of the centers read (first: the center index), handled by one of them
    (the handling index), crossed from and to the own center; None when the person reads every
    center (the visibility then holds every case: no side to start from).
    ``mediator``: a mediator's teams' cases (the team index) and the ones they lead (the lead
    index); empty for a mediator with neither (who sees nothing); None for anyone else."""

    centers: list[Part] | None
    mediator: list[Part] | None


def visible_parts(session: Session, actor: Actor) -> VisibleParts | None:
    """The parts of ``actor``'s visibility; None for whoever's visibility is not made of them (not a
    clerk, head or mediator, the maintenance actor, no center)."""
    if actor.role not in permissions.CASE_ROLES or permissions.is_system(actor) or actor.center_id is None:
        return None
    sqlite = session.get_bind().dialect.name == "sqlite"

    def by_index(index: str, condition: str) -> Part:
        hint = f" INDEXED BY {index}" if sqlite else ""  # PostgreSQL's planner chooses from its statistics
        return Part(f"SELECT id FROM dispute_case{hint} WHERE {condition}")

    # Ids written as numbers (ints: nothing to escape), so that the parts join a union as they are.
    readable = ", ".join(str(int(c)) for c in sorted(actor.center_ids or {actor.center_id}))
    centers: list[Part] | None = None
    if session.execute(text(f"SELECT 1 FROM center WHERE id NOT IN ({readable}) LIMIT 1")).first() is not None:
        own = int(actor.center_id)
        centers = [
            by_index(CENTER_INDEX, f"center_id IN ({readable})"),
            by_index(HANDLING_INDEX, f"handling_center_id IN ({readable})"),
            Part(f"SELECT case_id FROM case_crossing WHERE from_center_id = {own}"),
            Part(f"SELECT case_id FROM case_crossing WHERE to_center_id = {own}"),
        ]
    mediator: list[Part] | None = None
    if actor.role is Role.MEDIATOR:
        mediator = []
        if actor.team_ids:
            teams = ", ".join(str(int(t)) for t in sorted(actor.team_ids))
            mediator.append(by_index(TEAM_INDEX, f"team_id IN ({teams})"))
        if actor.mediator_id is not None:
            mediator.append(by_index(LEAD_INDEX, f"lead_mediator_id = {int(actor.mediator_id)}"))
    return VisibleParts(centers, mediator)


def fewer_than(session: Session, limit: int, part: Part) -> bool:
    """Whether ``part`` holds fewer than ``limit`` cases (reads at most ``limit`` of its index's entries)."""
    counted = session.execute(text(f"SELECT count(*) FROM ({part.sql} LIMIT {int(limit)}) AS c")).scalar()
    return int(counted or 0) < limit


def ids_within(session: Session, parts: list[Part], bound: int) -> set[int] | None:
    """The ids of the parts' cases; None as soon as one part (counted first, from its index alone)
    or all together hold ``bound`` or more, so a large part costs ``bound`` index entries."""
    found: set[int] = set()
    for part in parts:
        if not fewer_than(session, bound, part):
            return None
        found.update(session.execute(text(part.sql)).scalars().all())
        if len(found) >= bound:
            return None
    return found


__all__ = ["Part", "VisibleParts", "fewer_than", "ids_within", "visible_parts"]
