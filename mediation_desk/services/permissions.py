"""Who may do what: the one place the services check an actor's role and a mediator's teams.

The matrix is documented in ``docs/permissions.md``. In short:

- 受理员 (intake clerk): registers, accepts, rejects, diverts and assigns cases, scans and files
  papers; sees every case (routing needs it) but writes no records, agreements or transfers.
- 调解员 (mediator): sees and works only on the cases of their teams (or the ones they lead).
- 中心主任 (head): sees and may do every case action, approves closures, supervises.
- 系统管理员 (administrator): users, organisation, calendar, backups, the audit log; reads no
  case content (个人信息保护法: access on a need-to-know basis), so not even the case list.

Centers (docs/centers.md): everyone sees only the cases of their own center; a head also those
of the centers below theirs, read-only (``may_write``: a case its own center handles). Cases
reported up, assigned down or co-handled (docs/crossings.md) are written by their handling center
and read by every center they crossed. On PostgreSQL the server enforces the same (migrations 0022,
0028).

The login-less maintenance actor (``Actor.system``: command-line import, demo data, restores run
by whoever holds the database file) passes every check.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import Session, object_session

from ..models import CaseCrossing, DisputeCase, Role
from .actor import Actor
from .errors import NotFound, PermissionDenied

#: The roles that see case content (the administrator does not).
CASE_ROLES = frozenset({Role.INTAKE, Role.MEDIATOR, Role.HEAD})
#: The roles that do the casework proper: records, agreements, transfers, visits, confirmation.
CASEWORK_ROLES = frozenset({Role.MEDIATOR, Role.HEAD})
#: The roles of the window: registration, acceptance, diversion, assignment, imports.
INTAKE_ROLES = frozenset({Role.INTAKE, Role.HEAD})
HEAD_ONLY = frozenset({Role.HEAD})
ADMIN_ONLY = frozenset({Role.ADMIN})
OVERSIGHT_ROLES = frozenset({Role.HEAD, Role.ADMIN})

NOT_YOUR_TEAM = "案件 {number} 不属于您所在的调解团队，您无权{doing}。"
NOT_YOUR_CENTER = "案件 {number} 属于其他中心，您无权{doing}。"
READ_ONLY_CENTER = "案件 {number} 属于下级中心，您只能查看，无权{doing}（由该中心办理）。"


class CaseLike(Protocol):
    """What the team check needs of a case (a DisputeCase or a row of its columns)."""

    @property
    def number(self) -> str: ...
    @property
    def team_id(self) -> int | None: ...
    @property
    def lead_mediator_id(self) -> int | None: ...
    @property
    def center_id(self) -> int: ...


def handling_center(case: CaseLike) -> int:
    """The center working on the case: the one it is reported up or assigned down to
    (``handling_center_id``, docs/crossings.md), else its own."""
    handling = getattr(case, "handling_center_id", None)
    return int(handling) if handling is not None else case.center_id


def crossed(session: Session | None, actor: Actor, case_id: int | None) -> bool:
    """Whether the case crossed the actor's center — a step from or to it (上报, 交办, 回退, 联办,
    反馈): the center reads the case (what the server's ``md_crossed_case_ids()`` gives)."""
    if session is None or case_id is None or actor.center_id is None:
        return False
    return session.scalar(select(CaseCrossing.id).where(
        CaseCrossing.case_id == case_id, or_(CaseCrossing.from_center_id == actor.center_id,
                                             CaseCrossing.to_center_id == actor.center_id)).limit(1)) is not None


def reads_case(actor: Actor, case: CaseLike, session: Session | None = None) -> bool:
    """A case of a center the actor reads, one their center handles (reported up or assigned to
    it) or one that crossed their center (``crossed``); ``session`` (or the case's own, for a
    loaded case) answers the last."""
    if in_centers(actor, case.center_id):
        return True
    handling = getattr(case, "handling_center_id", None)
    if handling is not None and in_centers(actor, int(handling)):
        return True
    crossed_centers = getattr(case, "crossed_centers", None)
    if crossed_centers is not None:
        return actor.center_id in crossed_centers
    if session is None and isinstance(case, DisputeCase):
        session = object_session(case)
    return crossed(session, actor, getattr(case, "id", None))


def is_system(actor: Actor) -> bool:
    """The login-less maintenance actor of the command line (no user account behind it)."""
    return actor.user_id is None and actor.role is Role.ADMIN


def has_role(actor: Actor, roles: Collection[Role]) -> bool:
    return is_system(actor) or actor.role in roles


def role_refusal(actor: Actor, roles: Collection[Role], doing: str) -> str:
    """Why the actor may not do it for want of a role (what :func:`require_role` would say), or ""
    — for screens that say so before anything is typed."""
    if has_role(actor, roles):
        return ""
    allowed = "、".join(r.label for r in Role if r in roles)
    return f"“{actor.role.label}”无权{doing}（只有{allowed}可以）。"


def require_role(actor: Actor, roles: Collection[Role], doing: str) -> None:
    """Refuse unless the actor has one of ``roles``; ``doing`` completes “…无权{doing}”."""
    refusal = role_refusal(actor, roles, doing)
    if refusal:
        raise PermissionDenied(refusal)


def on_team(actor: Actor, case: CaseLike) -> bool:
    """A mediator's own case: one of their teams', or one they lead."""
    return (case.team_id is not None and case.team_id in actor.team_ids) or (
        actor.mediator_id is not None and case.lead_mediator_id == actor.mediator_id)


def in_case_team(actor: Actor, team_id: int | None) -> bool:
    """A mediator of the case's team, by the team's id (names are not unique over time: a team
    renamed or a new one given an old name is another team)."""
    return actor.role is Role.MEDIATOR and team_id is not None and team_id in actor.team_ids


def in_centers(actor: Actor, center_id: int) -> bool:
    """A case of a center whose cases the actor reads (their own, and for a head those below)."""
    if is_system(actor) or actor.center_id is None:
        return True
    return center_id == actor.center_id or center_id in actor.center_ids


def may_write(actor: Actor, case: CaseLike) -> bool:
    """A case the actor's center works on (what the server's ``md_case_writable`` allows): a case
    of their own center that no other center handles, or one reported up or assigned down to
    their center (``handling_center``, docs/crossings.md)."""
    if is_system(actor) or actor.center_id is None:
        return True
    return handling_center(case) == actor.center_id


def _writes(roles: Collection[Role], write: bool | None) -> bool:
    """Whether a check is for a write: said, or a narrower set of roles than every reader's."""
    return write if write is not None else frozenset(roles) != CASE_ROLES


def may_access_case(actor: Actor, case: CaseLike, roles: Collection[Role] = CASE_ROLES, *,
                    write: bool | None = None) -> bool:
    if is_system(actor):
        return True
    if actor.role not in roles or not reads_case(actor, case):
        return False
    if _writes(roles, write) and not may_write(actor, case):
        return False
    return actor.role is not Role.MEDIATOR or on_team(actor, case)


def require_case_access(actor: Actor, case: CaseLike, doing: str = "查看该案件",
                        roles: Collection[Role] = CASE_ROLES, *, write: bool | None = None,
                        session: Session | None = None) -> None:
    """Refuse a role outside ``roles``, a case of a center the actor does not read, a write to a
    case of a center below theirs (read-only), and a mediator on another team's case. A check
    with ``roles`` narrower than every reader's is for a write unless ``write`` says otherwise."""
    require_role(actor, roles, doing)
    if is_system(actor):
        return
    if not reads_case(actor, case, session):
        raise PermissionDenied(NOT_YOUR_CENTER.format(number=case.number, doing=doing))
    if _writes(roles, write) and not may_write(actor, case):
        raise PermissionDenied(READ_ONLY_CENTER.format(number=case.number, doing=doing))
    if actor.role is Role.MEDIATOR and not on_team(actor, case):
        raise PermissionDenied(NOT_YOUR_TEAM.format(number=case.number, doing=doing))


def case_for(session: Session, actor: Actor, case_id: int, doing: str = "查看该案件",
             roles: Collection[Role] = CASE_ROLES, *, write: bool | None = None) -> DisputeCase:
    """Load a case and check the actor may ``doing`` on it."""
    require_role(actor, roles, doing)  # before the lookup: no probing which ids exist
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    require_case_access(actor, case, doing, roles, write=write)
    return case


def check_case_id(session: Session, actor: Actor, case_id: int, doing: str = "查看该案件",
                  roles: Collection[Role] = CASE_ROLES, *, write: bool | None = None) -> None:
    """Like ``case_for`` but reads only the columns the check needs."""
    require_role(actor, roles, doing)
    row = session.execute(
        select(DisputeCase.id, DisputeCase.number, DisputeCase.team_id, DisputeCase.lead_mediator_id,
               DisputeCase.center_id, DisputeCase.handling_center_id)
        .where(DisputeCase.id == case_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    require_case_access(actor, row, doing, roles, write=write, session=session)


def visible_cases(actor: Actor) -> ColumnElement[bool]:
    """The condition on ``dispute_case`` rows this actor may see in lists (row visibility): the
    cases of the centers they read, and of those a mediator's teams'."""
    if is_system(actor):
        return true()
    centers = center_condition(actor)
    if actor.center_id is not None:
        # The cases handled by a center one reads, and those that crossed one's own center
        # (docs/crossings.md).
        readable = sorted(actor.center_ids or {actor.center_id})
        centers = or_(centers, DisputeCase.handling_center_id.in_(readable), DisputeCase.id.in_(
            select(CaseCrossing.case_id).where(CaseCrossing.from_center_id == actor.center_id).union(
                select(CaseCrossing.case_id).where(CaseCrossing.to_center_id == actor.center_id))))
    if actor.role in (Role.INTAKE, Role.HEAD):
        return centers
    if actor.role is Role.MEDIATOR:
        conditions: list[ColumnElement[bool]] = []
        if actor.team_ids:
            conditions.append(DisputeCase.team_id.in_(sorted(actor.team_ids)))
        if actor.mediator_id is not None:
            conditions.append(DisputeCase.lead_mediator_id == actor.mediator_id)
        return and_(centers, or_(*conditions)) if conditions else false()
    return false()


def own_center(actor: Actor) -> ColumnElement[bool]:
    """The cases the actor's own center works on: what their desk lists as their work (a head's
    desk does not fill with the cases of the centers below, which are theirs to handle). That is
    the handling center's (``handling_center``): a case reported up or assigned down is on the desk
    of the center it went to — which writes it, gives its cards and answers its orders — not on its
    own center's (docs/crossings.md)."""
    if is_system(actor) or actor.center_id is None:
        return true()
    return func.coalesce(DisputeCase.handling_center_id, DisputeCase.center_id) == actor.center_id


def center_condition(actor: Actor, only: int | None = None) -> ColumnElement[bool]:
    """The cases of the centers the actor reads; with ``only``, of that one of them (a head looking
    at one township's cases); nothing for a center they do not read."""
    if is_system(actor) or actor.center_id is None:
        return true() if only is None else DisputeCase.center_id == only
    readable = actor.center_ids or frozenset({actor.center_id})
    if only is not None:
        return DisputeCase.center_id == only if only in readable else false()
    if len(readable) == 1:
        return DisputeCase.center_id == next(iter(readable))
    return DisputeCase.center_id.in_(sorted(readable))


def case_rows_hidden(session: Session, actor: Actor) -> bool:
    """The administrator on a center server: their database role reads and writes no case row
    (migration 0014). The counts they may see come from the server's SECURITY DEFINER functions
    (migration 0018, counts and sums only), and the case clocks a calendar change moves are
    recomputed by the next person who may (``clocks.catch_up``). Everyone else (and SQLite) works
    on the rows the connection sees."""
    bind = session.get_bind()
    return bind.dialect.name == "postgresql" and actor.role is Role.ADMIN and actor.user_id is not None


__all__ = [
    "ADMIN_ONLY", "CASEWORK_ROLES", "CASE_ROLES", "HEAD_ONLY", "INTAKE_ROLES", "OVERSIGHT_ROLES",
    "case_for", "case_rows_hidden", "center_condition", "check_case_id", "crossed", "handling_center", "has_role",
    "in_case_team", "in_centers", "is_system", "may_access_case", "may_write", "on_team", "own_center", "reads_case",
    "require_case_access", "require_role", "visible_cases",
]
