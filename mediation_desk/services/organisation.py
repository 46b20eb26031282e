"""The center's organisation: stationed departments, specialist teams and mediators.

Every role may read it; only the administrator and the center head may change it. Nothing here
is ever deleted: deactivating a department, a team or a mediator keeps the row (and every case,
record and audit entry that names it), and a mediator who leaves a team keeps their membership
row with the day they left.

Each change takes the ``version`` the editor was showing; when someone else saved first the
change is refused with ``Conflict`` instead of silently overwriting theirs. Writes return
:class:`Saved`: the fresh row plus notes the user should read (a dispute type no active team
handles any more, open cases a deactivated mediator still leads, a login account still active).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from .. import changes
from ..changes import Changes
from ..models import (
    Center,
    Department,
    DisputeCase,
    DisputeType,
    Mediator,
    MediatorKind,
    PresenceMode,
    Role,
    Team,
    TeamMember,
    User,
    now,
    team_dispute_type,
)
from ..models.case import OPEN_CASE_CONDITION
from . import audit, centers, permissions, validation
from .actor import Actor
from .centers import CenterInfo, CenterInput
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied
from .reference import Choice
from .workflow import FINAL_STATES

T = TypeVar("T")

#: The roles that may change the organisation; every role may read it.
MANAGERS = frozenset({Role.ADMIN, Role.HEAD})

# Column lengths of models/org.py, so a long value gets a sentence instead of a database error.
_NAME_MAX = {"department": 80, "team": 80, "mediator": 60}
_CONTACT_MAX = 40
_INACTIVE_HINT = "（已停用；勾选“显示已停用”可找到并重新启用它）"
_TEXT_MAX = 200

# --------------------------------------------------------------------------- plain data


@dataclass(frozen=True)
class DepartmentInfo:
    id: int
    name: str
    presence: PresenceMode
    contact_person: str
    contact_phone: str
    rota: str
    active: bool
    version: int
    #: Active stationed mediators of this department.
    mediator_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    active: bool
    version: int
    dispute_type_ids: tuple[int, ...]
    dispute_types: tuple[str, ...]
    lead_mediator_id: int | None
    lead_name: str
    #: Current members (no ``left_on``), the lead first.
    member_ids: tuple[int, ...]
    member_names: tuple[str, ...]
    #: Cases of this team not yet closed or rejected.
    open_cases: int
    #: The center the team belongs to (docs/centers.md).
    center_id: int = 0


@dataclass(frozen=True)
class MediatorInfo:
    id: int
    name: str
    kind: MediatorKind
    department_id: int | None
    department_name: str
    phone: str
    specialties: str
    declared_relations: str
    address: str
    active: bool
    version: int
    #: The teams the mediator currently belongs to.
    team_ids: tuple[int, ...]
    team_names: tuple[str, ...]
    #: Active teams the mediator leads.
    leads_teams: tuple[str, ...]
    #: Cases not yet closed or rejected that the mediator leads.
    open_cases: int
    #: The center the mediator belongs to (docs/centers.md).
    center_id: int = 0


@dataclass(frozen=True)
class Saved(Generic[T]):
    """The result of a change: the row as saved and what the user should be told about it."""

    item: T
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Organisation:
    """Everything the organisation screens show, read in one transaction (inactive rows too)."""

    departments: tuple[DepartmentInfo, ...]
    teams: tuple[TeamInfo, ...]
    mediators: tuple[MediatorInfo, ...]
    #: Every dispute type, inactive ones included (a team may still name one).
    dispute_types: tuple[Choice, ...]
    #: Names of active dispute types that no active team handles.
    uncovered_types: tuple[str, ...]
    #: Whether the reader may change it.
    can_edit: bool
    #: The centers the reader's organisation spans (their own and those below; docs/centers.md).
    centers: tuple[CenterInfo, ...] = ()
    #: Whether the reader may add and edit centers (the administrator).
    can_edit_centers: bool = False


@dataclass(frozen=True)
class DepartmentInput:
    name: str
    presence: PresenceMode = PresenceMode.RESIDENT
    contact_person: str = ""
    contact_phone: str = ""
    rota: str = ""


@dataclass(frozen=True)
class TeamInput:
    name: str
    dispute_type_ids: Sequence[int] = ()
    member_ids: Sequence[int] = ()
    lead_mediator_id: int | None = None
    #: The center the team belongs to; None: the editor's own (a new team), or unchanged.
    center_id: int | None = None


@dataclass(frozen=True)
class MediatorInput:
    name: str
    kind: MediatorKind = MediatorKind.STATIONED
    department_id: int | None = None
    phone: str = ""
    specialties: str = ""
    declared_relations: str = ""
    address: str = ""
    #: The center the mediator belongs to; None: the editor's own (a new one), or unchanged.
    center_id: int | None = None


@dataclass
class OpenCounts:
    """Open-case loads, read once per request."""

    by_team: dict[int, int] = field(default_factory=dict)
    by_lead: dict[int, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- permissions


def can_manage(actor: Actor) -> bool:
    return actor.role in MANAGERS


def _require_manager(actor: Actor) -> None:
    if not can_manage(actor):
        raise PermissionDenied(
            f"“{actor.role.label}”不能修改进驻部门、调解团队和调解员：只有系统管理员和中心主任可以修改。"
        )


# --------------------------------------------------------------------------- reading


def _open_counts(session: Session, actor: Actor, *, team_ids: Collection[int] | None = None,
                 mediator_ids: Collection[int] | None = None) -> OpenCounts:
    """Open cases per team and per lead mediator; ``None`` counts all, an empty collection none.

    The administrator on a center server reads no case row (docs/security.md): the counts come from
    the server's ``md_open_case_counts`` (migration 0018), which returns counts only."""
    if permissions.case_rows_hidden(session, actor):
        return _open_counts_from_server(session, team_ids=team_ids, mediator_ids=mediator_ids,
                                        centers=_centers_of(session, actor) or frozenset())
    return open_case_counts(session, team_ids=team_ids, mediator_ids=mediator_ids)


def open_case_counts(session: Session, *, team_ids: Collection[int] | None = None,
                     mediator_ids: Collection[int] | None = None) -> OpenCounts:
    """Open cases per team and per lead mediator, from the case rows the session may read (not
    the administrator's on a center server: :func:`_open_counts`); ``None`` counts all, an empty
    collection none. Also the routing panel's loads (``assignment``)."""
    # The partial indexes' own condition, as text: counted from ix_dispute_case_open_team and
    # ix_dispute_case_open_lead (the open cases only) instead of every case (2.8 s at a million).
    still_open = text(OPEN_CASE_CONDITION)
    counts = OpenCounts()
    if team_ids is None or team_ids:
        stmt = (select(DisputeCase.team_id, func.count()).where(still_open, DisputeCase.team_id.is_not(None))
                .with_hint(DisputeCase, "INDEXED BY ix_dispute_case_open_team", "sqlite"))
        if team_ids is not None:
            stmt = stmt.where(DisputeCase.team_id.in_(sorted(team_ids)))
        counts.by_team = {t: int(n) for t, n in session.execute(stmt.group_by(DisputeCase.team_id)) if t is not None}
    if mediator_ids is None or mediator_ids:
        # Named on SQLite: since the lead index also holds the state (0052), a file without
        # statistics chose it, every case's entry, over the open cases' own index.
        lead_stmt = (select(DisputeCase.lead_mediator_id, func.count())
                     .where(still_open, DisputeCase.lead_mediator_id.is_not(None))
                     .with_hint(DisputeCase, "INDEXED BY ix_dispute_case_open_lead", "sqlite"))
        if mediator_ids is not None:
            lead_stmt = lead_stmt.where(DisputeCase.lead_mediator_id.in_(sorted(mediator_ids)))
        counts.by_lead = {m: int(n) for m, n in session.execute(lead_stmt.group_by(DisputeCase.lead_mediator_id))
                          if m is not None}
    return counts


def _open_counts_from_server(session: Session, *, team_ids: Collection[int] | None,
                             mediator_ids: Collection[int] | None, centers: Collection[int]) -> OpenCounts:
    counts = OpenCounts()
    if (team_ids is not None and not team_ids) and (mediator_ids is not None and not mediator_ids):
        return counts
    rows = session.execute(text("SELECT dimension, id, cases FROM md_open_case_counts(:final, :centers)"),
                           {"final": sorted(str(s.value) for s in FINAL_STATES), "centers": sorted(centers)})
    for dimension, key, n in rows:
        if dimension == "team" and (team_ids is None or key in team_ids):
            counts.by_team[int(key)] = int(n)
        elif dimension == "lead" and (mediator_ids is None or key in mediator_ids):
            counts.by_lead[int(key)] = int(n)
    return counts


def _department_info(department: Department, mediators: Iterable[Mediator]) -> DepartmentInfo:
    return DepartmentInfo(
        id=department.id, name=department.name, presence=department.presence,
        contact_person=department.contact_person, contact_phone=department.contact_phone,
        rota=department.rota, active=department.active, version=department.version,
        mediator_names=tuple(m.name for m in mediators
                             if m.department_id == department.id and m.active and m.kind is MediatorKind.STATIONED),
    )


def _current_members(team: Team) -> list[TeamMember]:
    members = [m for m in team.members if m.left_on is None]
    # The lead first, then in the order they joined.
    members.sort(key=lambda m: (m.mediator_id != team.lead_mediator_id, m.id or 0))
    return members


def _team_info(team: Team, names: dict[int, str], counts: OpenCounts) -> TeamInfo:
    members = _current_members(team)
    types = sorted(team.dispute_types, key=lambda t: (t.sort_order, t.id))
    return TeamInfo(
        id=team.id, name=team.name, active=team.active, version=team.version,
        dispute_type_ids=tuple(t.id for t in types), dispute_types=tuple(t.name for t in types),
        lead_mediator_id=team.lead_mediator_id,
        lead_name=names.get(team.lead_mediator_id, "") if team.lead_mediator_id is not None else "",
        member_ids=tuple(m.mediator_id for m in members),
        member_names=tuple(names.get(m.mediator_id, "") for m in members),
        open_cases=counts.by_team.get(team.id, 0), center_id=team.center_id,
    )


def _mediator_info(mediator: Mediator, departments: dict[int, str], teams: dict[int, Team],
                   counts: OpenCounts) -> MediatorInfo:
    current = sorted(m.team_id for m in mediator.memberships if m.left_on is None)
    return MediatorInfo(
        id=mediator.id, name=mediator.name, kind=mediator.kind, department_id=mediator.department_id,
        department_name=departments.get(mediator.department_id, "") if mediator.department_id is not None else "",
        phone=mediator.phone, specialties=mediator.specialties, declared_relations=mediator.declared_relations,
        address=mediator.address, active=mediator.active, version=mediator.version,
        team_ids=tuple(current), team_names=tuple(teams[t].name for t in current if t in teams),
        leads_teams=tuple(t.name for t in sorted(teams.values(), key=lambda t: t.id)
                          if t.active and t.lead_mediator_id == mediator.id),
        open_cases=counts.by_lead.get(mediator.id, 0), center_id=mediator.center_id,
    )


def _centers_of(session: Session, actor: Actor | None) -> frozenset[int] | None:
    """The centers whose organisation the actor reads and manages (their own and, for a head or an
    administrator, those below it — read now: a center added since the sign-in counts); None:
    every center (the maintenance actor)."""
    if actor is None or actor.center_id is None:
        return None
    return centers.readable(session, actor.center_id, actor.role)


def _all_teams(session: Session, actor: Actor | None = None) -> list[Team]:
    stmt = select(Team).options(selectinload(Team.members), selectinload(Team.dispute_types)).order_by(Team.id)
    centers = _centers_of(session, actor)
    if centers is not None:
        stmt = stmt.where(Team.center_id.in_(sorted(centers)))
    return list(session.scalars(stmt))


def _all_mediators(session: Session, actor: Actor | None = None) -> list[Mediator]:
    stmt = select(Mediator).options(selectinload(Mediator.memberships)).order_by(Mediator.id)
    centers = _centers_of(session, actor)
    if centers is not None:
        stmt = stmt.where(Mediator.center_id.in_(sorted(centers)))
    return list(session.scalars(stmt))


def _center_for(session: Session, actor: Actor, wanted: int | None, current: int | None) -> int:
    """The center a team or mediator is saved in: the one chosen (among the editor's), else the
    one it has, else the editor's own (else the database's first)."""
    if wanted is None:
        if current is not None:
            return current
        from .numbering import numbering_center

        return numbering_center(session, actor.center_id)
    centers = _centers_of(session, actor)
    if centers is not None and wanted not in centers:
        raise InvalidInput("center", "所选中心不是您所在的中心或其下级中心，不能在那里添加或修改。")
    if session.get(Center, wanted) is None:
        raise InvalidInput("center", f"中心（编号 {wanted}）不存在。")
    return wanted


def _require_own(session: Session, actor: Actor, center_id: int, what: str) -> None:
    centers = _centers_of(session, actor)
    if centers is not None and center_id not in centers:
        raise PermissionDenied(f"{what}属于其他中心，您无权修改。")


def _mediator_names(session: Session) -> dict[int, str]:
    return {int(i): n for i, n in session.execute(select(Mediator.id, Mediator.name))}


def _department_names(session: Session) -> dict[int, str]:
    return {int(i): n for i, n in session.execute(select(Department.id, Department.name))}


def list_departments(session: Session, actor: Actor, *, include_inactive: bool = True) -> list[DepartmentInfo]:
    stmt = select(Department).order_by(Department.id)
    if not include_inactive:
        stmt = stmt.where(Department.active.is_(True))
    mediators = _all_mediators(session, actor)
    return [_department_info(d, mediators) for d in session.scalars(stmt)]


def list_teams(session: Session, actor: Actor, *, include_inactive: bool = True) -> list[TeamInfo]:
    names = _mediator_names(session)
    counts = _open_counts(session, actor, mediator_ids=())
    return [_team_info(t, names, counts) for t in _all_teams(session) if include_inactive or t.active]


def list_mediators(session: Session, actor: Actor, *, include_inactive: bool = True) -> list[MediatorInfo]:
    departments = _department_names(session)
    teams = {t.id: t for t in session.scalars(select(Team))}
    counts = _open_counts(session, actor, team_ids=())
    return [_mediator_info(m, departments, teams, counts)
            for m in _all_mediators(session) if include_inactive or m.active]


def uncovered_dispute_types(session: Session, actor: Actor | None = None) -> list[str]:
    """Active dispute types that no active team handles: cases of these have no team to go to."""
    covered = (
        select(team_dispute_type.c.dispute_type_id)
        .join(Team, Team.id == team_dispute_type.c.team_id)
        .where(Team.active.is_(True))
    )
    stmt = (select(DisputeType.name)
            .where(DisputeType.active.is_(True), DisputeType.id.not_in(covered))
            .order_by(DisputeType.sort_order, DisputeType.id))
    return list(session.scalars(stmt))


def load_organisation(session: Session, actor: Actor) -> Organisation:
    """The three lists and the dispute types, for the organisation screens."""
    mediators = _all_mediators(session, actor)
    teams = _all_teams(session, actor)
    departments = list(session.scalars(select(Department).order_by(Department.id)))
    counts = _open_counts(session, actor)
    names = {m.id: m.name for m in mediators}
    department_names = {d.id: d.name for d in departments}
    team_map = {t.id: t for t in teams}
    types = session.scalars(select(DisputeType).order_by(DisputeType.sort_order, DisputeType.id))
    return Organisation(
        departments=tuple(_department_info(d, mediators) for d in departments),
        teams=tuple(_team_info(t, names, counts) for t in teams),
        mediators=tuple(_mediator_info(m, department_names, team_map, counts) for m in mediators),
        dispute_types=tuple(Choice(t.id, t.name, t.active) for t in types),
        uncovered_types=tuple(uncovered_dispute_types(session)),
        can_edit=can_manage(actor),
        centers=tuple(centers.list_centers(session, actor)),
        can_edit_centers=permissions.has_role(actor, permissions.ADMIN_ONLY),
    )


# --------------------------------------------------------------------------- centers (docs/centers.md)


def create_center(session: Session, actor: Actor, data: CenterInput) -> Saved[CenterInfo]:
    return Saved(centers.create_center(session, actor, data))


def update_center(session: Session, actor: Actor, center_id: int, data: CenterInput, *,
                  expected_version: int) -> Saved[CenterInfo]:
    return Saved(centers.update_center(session, actor, center_id, data, expected_version=expected_version))


def deactivate_center(session: Session, actor: Actor, center_id: int, *,
                      expected_version: int | None = None) -> Saved[CenterInfo]:
    return Saved(centers.set_active(session, actor, center_id, False, expected_version=expected_version),
                 ("停用后该中心的案件、人员和案号都保留；其账户仍可登录查看。",))


def reactivate_center(session: Session, actor: Actor, center_id: int, *,
                      expected_version: int | None = None) -> Saved[CenterInfo]:
    return Saved(centers.set_active(session, actor, center_id, True, expected_version=expected_version))


def department_info(session: Session, actor: Actor, department_id: int) -> DepartmentInfo:
    department = _get_department(session, department_id)
    mediators = session.scalars(select(Mediator).where(Mediator.department_id == department.id))
    return _department_info(department, mediators)


def team_info(session: Session, actor: Actor, team_id: int) -> TeamInfo:
    team = _get_team(session, team_id)
    counts = _open_counts(session, actor, team_ids=(team.id,), mediator_ids=())
    return _team_info(team, _mediator_names(session), counts)


def mediator_info(session: Session, actor: Actor, mediator_id: int) -> MediatorInfo:
    mediator = _get_mediator(session, mediator_id)
    teams = {t.id: t for t in session.scalars(select(Team))}
    counts = _open_counts(session, actor, team_ids=(), mediator_ids=(mediator.id,))
    return _mediator_info(mediator, _department_names(session), teams, counts)


# --------------------------------------------------------------------------- shared checks


def _get_department(session: Session, department_id: int) -> Department:
    department = session.get(Department, department_id)
    if department is None:
        raise NotFound(f"进驻部门（编号 {department_id}）不存在。")
    return department


def _get_team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"调解团队（编号 {team_id}）不存在。")
    return team


def _get_mediator(session: Session, mediator_id: int) -> Mediator:
    mediator = session.get(Mediator, mediator_id)
    if mediator is None:
        raise NotFound(f"调解员（编号 {mediator_id}）不存在。")
    return mediator


def _check_version(current: int, expected: int | None, what: str) -> None:
    if expected is not None and current != expected:
        raise Conflict(_conflict_message(what))


def _conflict_message(what: str) -> str:
    return f"{what}已被他人修改并保存（可能在另一台电脑上），您的修改没有保存。请重新载入后再修改。"


def _flush(session: Session, what: str, name_taken: str | None = None) -> None:
    """Write now, turning a lost race into the sentence the user reads."""
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(_conflict_message(what)) from None
    except IntegrityError:
        if name_taken is None:
            raise
        # Two desks saved the same new name at once; the unique index kept the second out.
        raise InvalidInput("name", name_taken) from None


def _clean_name(value: str, kind: str, label: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InvalidInput("name", f"请填写{label}。")
    limit = _NAME_MAX[kind]
    if len(name) > limit:
        raise InvalidInput("name", f"{label}最长 {limit} 个字符，现在是 {len(name)} 个。")
    return name


def _check_length(value: str, field_name: str, label: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(field_name, f"{label}最长 {limit} 个字符，现在是 {len(value)} 个。")
    return value


def _today() -> date:
    return now().date()


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Audit detail of an update: each changed field as [old, new]."""
    return {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}


# --------------------------------------------------------------------------- departments


def _department_fields(department: Department) -> dict[str, Any]:
    return {"name": department.name, "presence": str(department.presence),
            "contact_person": department.contact_person, "contact_phone": department.contact_phone,
            "rota": department.rota}


def _check_department(session: Session, data: DepartmentInput, department_id: int | None) -> DepartmentInput:
    name = _clean_name(data.name, "department", "部门名称")
    taken = session.scalar(select(Department.active).where(Department.name == name,
                                                           Department.id != (department_id or -1)))
    if taken is not None:
        raise InvalidInput("name", f"已有名为“{name}”的进驻部门{_INACTIVE_HINT if not taken else ''}，请换一个名称。")
    presence = PresenceMode(data.presence)
    rota = data.rota.strip()
    contact_person = _check_length(data.contact_person, "contact_person", "联系人", _CONTACT_MAX)
    phone = data.contact_phone.strip()
    if presence is PresenceMode.ROTATING and not rota:
        raise InvalidInput("rota", "轮驻部门须填写轮驻安排（哪几天、哪些时段在中心），如“每周一、三、五上午”。")
    if presence is PresenceMode.ON_CALL:
        if not contact_person:
            raise InvalidInput("contact_person", "随叫随驻部门须填写联系人，需要时由中心通知其到场。")
        if not phone:
            raise InvalidInput("contact_phone", "随叫随驻部门须填写联系人的电话。")
    if phone:
        phone = validation.check_phone(phone, field="contact_phone")
    return DepartmentInput(name=name, presence=presence, contact_person=contact_person, contact_phone=phone,
                           rota=rota)


def create_department(session: Session, actor: Actor, data: DepartmentInput) -> Saved[DepartmentInfo]:
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    clean = _check_department(session, data, None)
    department = Department(name=clean.name, presence=clean.presence, contact_person=clean.contact_person,
                            contact_phone=clean.contact_phone, rota=clean.rota)
    session.add(department)
    _flush(session, f"进驻部门“{clean.name}”", f"已有名为“{clean.name}”的进驻部门，请换一个名称。")
    audit.record(session, actor, "create_department", "department", department.id, _department_fields(department))
    return Saved(_department_info(department, ()))


def update_department(session: Session, actor: Actor, department_id: int, data: DepartmentInput, *,
                      expected_version: int) -> Saved[DepartmentInfo]:
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    department = _get_department(session, department_id)
    what = f"进驻部门“{department.name}”"
    _check_version(department.version, expected_version, what)
    clean = _check_department(session, data, department.id)
    before = _department_fields(department)
    department.name = clean.name
    department.presence = clean.presence
    department.contact_person = clean.contact_person
    department.contact_phone = clean.contact_phone
    department.rota = clean.rota
    _flush(session, what, f"已有名为“{clean.name}”的进驻部门，请换一个名称。")
    changed = _changes(before, _department_fields(department))
    if changed:
        audit.record(session, actor, "update_department", "department", department.id, changed)
    return Saved(department_info(session, actor, department.id))


def deactivate_department(session: Session, actor: Actor, department_id: int, *,
                          expected_version: int | None = None) -> Saved[DepartmentInfo]:
    """A department that leaves the center; its staff must move or be deactivated first."""
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    department = _get_department(session, department_id)
    what = f"进驻部门“{department.name}”"
    _check_version(department.version, expected_version, what)
    if department.active:
        staff = list(session.scalars(
            select(Mediator.name).where(Mediator.department_id == department.id, Mediator.active.is_(True),
                                        Mediator.kind == MediatorKind.STATIONED).order_by(Mediator.id)))
        if staff:
            raise InvalidInput(
                "active",
                f"“{department.name}”还有 {len(staff)} 名在岗的常驻调解员：{'、'.join(staff)}。"
                "请先把他们改到其他部门或停用，再停用该部门。",
            )
        department.active = False
        _flush(session, what)
        audit.record(session, actor, "deactivate_department", "department", department.id,
                     {"name": department.name})
    return Saved(department_info(session, actor, department.id))


def reactivate_department(session: Session, actor: Actor, department_id: int, *,
                          expected_version: int | None = None) -> Saved[DepartmentInfo]:
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    department = _get_department(session, department_id)
    what = f"进驻部门“{department.name}”"
    _check_version(department.version, expected_version, what)
    if not department.active:
        # The rules of its presence mode may have tightened since it left: check them again.
        _check_department(session, DepartmentInput(
            name=department.name, presence=department.presence, contact_person=department.contact_person,
            contact_phone=department.contact_phone, rota=department.rota), department.id)
        department.active = True
        _flush(session, what)
        audit.record(session, actor, "reactivate_department", "department", department.id,
                     {"name": department.name})
    return Saved(department_info(session, actor, department.id))


# --------------------------------------------------------------------------- teams


def _team_fields(team: Team) -> dict[str, Any]:
    return {"name": team.name, "lead_mediator_id": team.lead_mediator_id, "center_id": team.center_id,
            "dispute_type_ids": sorted(t.id for t in team.dispute_types),
            "member_ids": sorted(m.mediator_id for m in team.members if m.left_on is None)}


def _check_team(session: Session, data: TeamInput, team: Team | None, center_id: int
                ) -> tuple[str, list[DisputeType], list[Mediator], Mediator]:
    name = _clean_name(data.name, "team", "团队名称")
    taken = session.scalar(select(Team.active).where(Team.name == name, Team.center_id == center_id,
                                                     Team.id != (team.id if team else -1)))
    if taken is not None:
        raise InvalidInput("name", f"已有名为“{name}”的调解团队{_INACTIVE_HINT if not taken else ''}，请换一个名称。")

    type_ids = list(dict.fromkeys(data.dispute_type_ids))
    if not type_ids:
        raise InvalidInput("dispute_types", "请至少选择一种本团队承办的纠纷类型。")
    types = {t.id: t for t in session.scalars(select(DisputeType).where(DisputeType.id.in_(type_ids)))}
    current_types = {t.id for t in team.dispute_types} if team else set()
    for type_id in type_ids:
        dispute_type = types.get(type_id)
        if dispute_type is None:
            raise InvalidInput("dispute_types", f"纠纷类型（编号 {type_id}）不存在。")
        if not dispute_type.active and type_id not in current_types:
            raise InvalidInput("dispute_types", f"纠纷类型“{dispute_type.name}”已停用，不能再分给团队。")

    member_ids = list(dict.fromkeys(data.member_ids))
    mediators = {m.id: m for m in session.scalars(select(Mediator).where(Mediator.id.in_(member_ids)))}
    for mediator_id in member_ids:
        mediator = mediators.get(mediator_id)
        if mediator is None:
            raise InvalidInput("members", f"调解员（编号 {mediator_id}）不存在。")
        if not mediator.active:
            raise InvalidInput("members", f"调解员“{mediator.name}”已停用，不能加入团队。请先启用，或取消勾选。")
        if mediator.center_id != center_id:
            raise InvalidInput("members", f"调解员“{mediator.name}”属于另一个中心，只能加入本中心的团队。")

    if data.lead_mediator_id is None:
        raise InvalidInput("lead", "请指定团队负责人（须是本团队在岗的成员）。")
    lead = mediators.get(data.lead_mediator_id) or session.get(Mediator, data.lead_mediator_id)
    if lead is None:
        raise InvalidInput("lead", f"调解员（编号 {data.lead_mediator_id}）不存在。")
    if not lead.active:
        raise InvalidInput("lead", f"“{lead.name}”已停用，不能担任团队负责人。请另选一名在岗成员。")
    if lead.id not in mediators:
        raise InvalidInput("lead", f"团队负责人必须是本团队的成员：请先把“{lead.name}”勾选为成员，或另选负责人。")
    return (name, [types[i] for i in type_ids], [mediators[i] for i in member_ids], lead)


def _set_members(team: Team, mediators: list[Mediator], today: date) -> None:
    """Bring the membership rows in line with the chosen members without deleting any: a member
    who leaves gets ``left_on``; one who comes back gets their row reopened."""
    wanted = {m.id for m in mediators}
    rows = {row.mediator_id: row for row in team.members}
    for row in team.members:
        if row.left_on is None and row.mediator_id not in wanted:
            row.left_on = today
    for mediator in mediators:
        existing = rows.get(mediator.id)
        if existing is None:
            team.members.append(TeamMember(mediator_id=mediator.id, joined_on=today))
        elif existing.left_on is not None:
            # One row per team and mediator (a unique constraint): the earlier stint stays in the
            # audit log, the row records the current one.
            existing.left_on = None
            existing.joined_on = today


def _touch(team: Team) -> None:
    """Types and members live in other tables: update the team row anyway, so its version moves
    with them and a desk still showing the old member list gets a conflict instead of undoing
    this change."""
    team.updated_at = now()
    flag_modified(team, "updated_at")  # even within the same second


def _uncovered_note(session: Session, touched: set[str]) -> tuple[str, ...]:
    uncovered = [name for name in uncovered_dispute_types(session) if name in touched]
    if not uncovered:
        return ()
    shown = "、".join(f"“{n}”" for n in uncovered)
    return (f"纠纷类型{shown}现在没有在岗的调解团队承办，这类案件分派时将无团队可选。"
            "请把它交给某个团队（一个类型可以由几个团队承办）。",)


def create_team(session: Session, actor: Actor, data: TeamInput) -> Saved[TeamInfo]:
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    center_id = _center_for(session, actor, data.center_id, None)
    name, types, members, lead = _check_team(session, data, None, center_id)
    team = Team(center_id=center_id, name=name, lead_mediator_id=lead.id, dispute_types=types)
    _set_members(team, members, _today())
    session.add(team)
    _flush(session, f"调解团队“{name}”", f"已有名为“{name}”的调解团队，请换一个名称。")
    audit.record(session, actor, "create_team", "team", team.id, _team_fields(team))
    return Saved(team_info(session, actor, team.id))


def update_team(session: Session, actor: Actor, team_id: int, data: TeamInput, *,
                expected_version: int) -> Saved[TeamInfo]:
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    team = _get_team(session, team_id)
    what = f"调解团队“{team.name}”"
    _require_own(session, actor, team.center_id, what)
    _check_version(team.version, expected_version, what)
    before = _team_fields(team)
    touched = {t.name for t in team.dispute_types}
    center_id = _center_for(session, actor, data.center_id, team.center_id)
    name, types, members, lead = _check_team(session, data, team, center_id)
    team.center_id = center_id
    team.name = name
    team.lead_mediator_id = lead.id
    team.dispute_types = types
    _set_members(team, members, _today())
    _touch(team)
    _flush(session, what, f"已有名为“{name}”的调解团队，请换一个名称。")
    changed = _changes(before, _team_fields(team))
    if changed:
        audit.record(session, actor, "update_team", "team", team.id, changed)
    notes = _uncovered_note(session, touched | {t.name for t in types}) if team.active else ()
    return Saved(team_info(session, actor, team.id), notes)


def deactivate_team(session: Session, actor: Actor, team_id: int, *,
                    expected_version: int | None = None) -> Saved[TeamInfo]:
    """A team that stops taking cases. Its members, its cases and their history stay as they are."""
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    team = _get_team(session, team_id)
    what = f"调解团队“{team.name}”"
    _check_version(team.version, expected_version, what)
    notes: tuple[str, ...] = ()
    if team.active:
        team.active = False
        _flush(session, what)
        audit.record(session, actor, "deactivate_team", "team", team.id, {"name": team.name})
        notes = _uncovered_note(session, {t.name for t in team.dispute_types})
        open_cases = _open_counts(session, actor, team_ids=(team.id,), mediator_ids=()).by_team.get(team.id, 0)
        if open_cases:
            notes += (f"该团队还有 {open_cases} 件未办结的案件，仍由原团队成员办理；新案件不会再分派给它。",)
    return Saved(team_info(session, actor, team.id), notes)


def reactivate_team(session: Session, actor: Actor, team_id: int, *,
                    expected_version: int | None = None) -> Saved[TeamInfo]:
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    team = _get_team(session, team_id)
    what = f"调解团队“{team.name}”"
    _check_version(team.version, expected_version, what)
    if not team.active:
        lead = session.get(Mediator, team.lead_mediator_id) if team.lead_mediator_id is not None else None
        current = {m.mediator_id for m in team.members if m.left_on is None}
        if lead is None or not lead.active or lead.id not in current:
            who = f"原负责人“{lead.name}”已停用或已离开该团队" if lead is not None else "该团队没有负责人"
            raise InvalidInput("lead", f"{who}。请先在表单中指定一名在岗成员为负责人并保存，再启用该团队。")
        team.active = True
        _flush(session, what)
        audit.record(session, actor, "reactivate_team", "team", team.id, {"name": team.name})
    return Saved(team_info(session, actor, team.id))


# --------------------------------------------------------------------------- mediators


def _mediator_fields(mediator: Mediator) -> dict[str, Any]:
    return {"name": mediator.name, "kind": str(mediator.kind), "department_id": mediator.department_id,
            "center_id": mediator.center_id,
            "phone": mediator.phone, "specialties": mediator.specialties,
            "declared_relations": mediator.declared_relations, "address": mediator.address}


def _check_mediator(session: Session, data: MediatorInput, mediator: Mediator | None) -> MediatorInput:
    name = _clean_name(data.name, "mediator", "调解员姓名")
    same = session.execute(
        select(Mediator.name, Department.name)
        .outerjoin(Department, Department.id == Mediator.department_id)
        .where(Mediator.name == name, Mediator.id != (mediator.id if mediator else -1))
        .limit(1)
    ).first()
    if same is not None:
        where = f"（{same[1]}）" if same[1] else ""
        raise InvalidInput(
            "name",
            f"已有同名调解员“{name}”{where}。如确是另一个人，请在姓名后注明以便区分，如“{name}（大满镇）”。",
        )
    kind = MediatorKind(data.kind)
    department_id = data.department_id
    if kind is MediatorKind.STATIONED:
        if department_id is None:
            raise InvalidInput("department", "常驻人员须选择所属的进驻部门。")
        department = session.get(Department, department_id)
        if department is None:
            raise InvalidInput("department", f"进驻部门（编号 {department_id}）不存在。")
        unchanged = mediator is not None and mediator.department_id == department_id
        if not department.active and not unchanged:
            raise InvalidInput("department", f"进驻部门“{department.name}”已停用，不能再安排常驻人员。")
    elif department_id is not None:
        raise InvalidInput("department", "义务调解员不属于任何进驻部门，请把“所属部门”留空。")
    phone = data.phone.strip()
    if phone:
        phone = validation.check_phone(phone, field="phone")
    relations = "\n".join(line.strip() for line in data.declared_relations.splitlines() if line.strip())
    return MediatorInput(
        name=name, kind=kind, department_id=department_id, phone=phone,
        specialties=_check_length(data.specialties, "specialties", "专长", _TEXT_MAX),
        declared_relations=relations,
        address=_check_length(data.address, "address", "住址", _TEXT_MAX),
    )


def _apply_mediator(mediator: Mediator, clean: MediatorInput) -> None:
    mediator.name = clean.name
    mediator.kind = clean.kind
    mediator.department_id = clean.department_id
    mediator.phone = clean.phone
    mediator.specialties = clean.specialties
    mediator.declared_relations = clean.declared_relations
    mediator.address = clean.address


def create_mediator(session: Session, actor: Actor, data: MediatorInput) -> Saved[MediatorInfo]:
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    clean = _check_mediator(session, data, None)
    mediator = Mediator(center_id=_center_for(session, actor, data.center_id, None))
    _apply_mediator(mediator, clean)
    session.add(mediator)
    _flush(session, f"调解员“{clean.name}”")
    audit.record(session, actor, "create_mediator", "mediator", mediator.id, _mediator_fields(mediator))
    return Saved(mediator_info(session, actor, mediator.id),
                 (f"“{clean.name}”还没有加入任何调解团队，请在“调解团队”中把其加入相应团队。",))


def update_mediator(session: Session, actor: Actor, mediator_id: int, data: MediatorInput, *,
                    expected_version: int) -> Saved[MediatorInfo]:
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    mediator = _get_mediator(session, mediator_id)
    what = f"调解员“{mediator.name}”"
    _require_own(session, actor, mediator.center_id, what)
    _check_version(mediator.version, expected_version, what)
    clean = _check_mediator(session, data, mediator)
    before = _mediator_fields(mediator)
    _apply_mediator(mediator, clean)
    mediator.center_id = _center_for(session, actor, data.center_id, mediator.center_id)
    _flush(session, what)
    changed = _changes(before, _mediator_fields(mediator))
    if changed:
        audit.record(session, actor, "update_mediator", "mediator", mediator.id, changed)
    return Saved(mediator_info(session, actor, mediator.id))


def deactivate_mediator(session: Session, actor: Actor, mediator_id: int, *,
                        expected_version: int | None = None) -> Saved[MediatorInfo]:
    """A mediator who stops mediating here (retired, transferred, left). Their cases, records and
    memberships stay, with the day they left their teams."""
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    mediator = _get_mediator(session, mediator_id)
    what = f"调解员“{mediator.name}”"
    _check_version(mediator.version, expected_version, what)
    if not mediator.active:
        return Saved(mediator_info(session, actor, mediator.id))
    led = list(session.scalars(
        select(Team.name).where(Team.lead_mediator_id == mediator.id, Team.active.is_(True)).order_by(Team.id)))
    if led:
        shown = "、".join(f"“{n}”" for n in led)
        raise InvalidInput(
            "active",
            f"“{mediator.name}”是{shown}的负责人。请先在“调解团队”中为该团队另选负责人，再停用。",
        )
    today = _today()
    left = list(session.scalars(select(TeamMember).where(TeamMember.mediator_id == mediator.id,
                                                         TeamMember.left_on.is_(None))))
    team_ids = sorted({row.team_id for row in left})
    for row in left:
        row.left_on = today
    mediator.active = False
    _flush(session, what)
    if team_ids:
        # Their teams' member lists changed: move those teams' versions too (see update_team).
        for team in session.scalars(select(Team).where(Team.id.in_(team_ids))):
            _touch(team)
        _flush(session, what)
    audit.record(session, actor, "deactivate_mediator", "mediator", mediator.id,
                 {"name": mediator.name, "left_teams": team_ids, "left_on": today.isoformat()})
    notes: list[str] = []
    open_cases = _open_counts(session, actor, team_ids=(), mediator_ids=(mediator.id,)).by_lead.get(mediator.id, 0)
    if open_cases:
        notes.append(f"“{mediator.name}”仍是 {open_cases} 件未办结案件的承办调解员，请及时安排他人接手。")
    accounts = list(session.scalars(select(User.username).where(User.mediator_id == mediator.id,
                                                                 User.active.is_(True))))
    if accounts:
        notes.append(f"其登录账户“{'、'.join(accounts)}”仍可登录；如需停用，请在“用户管理”中操作。")
    return Saved(mediator_info(session, actor, mediator.id), tuple(notes))


def reactivate_mediator(session: Session, actor: Actor, mediator_id: int, *,
                        expected_version: int | None = None) -> Saved[MediatorInfo]:
    _require_manager(actor)
    changes.note(session, Changes(organisation=True))
    mediator = _get_mediator(session, mediator_id)
    what = f"调解员“{mediator.name}”"
    _check_version(mediator.version, expected_version, what)
    if mediator.active:
        return Saved(mediator_info(session, actor, mediator.id))
    if mediator.kind is MediatorKind.STATIONED and mediator.department_id is not None:
        department = session.get(Department, mediator.department_id)
        if department is not None and not department.active:
            raise InvalidInput(
                "department",
                f"所属部门“{department.name}”已停用。请先改为其他部门并保存，或先启用该部门，再启用此调解员。",
            )
    mediator.active = True
    _flush(session, what)
    audit.record(session, actor, "reactivate_mediator", "mediator", mediator.id, {"name": mediator.name})
    notes: tuple[str, ...] = ()
    if mediator.memberships:
        notes = (f"“{mediator.name}”已恢复在岗，但不会自动回到原来的团队；如需要，请在“调解团队”中重新加入。",)
    return Saved(mediator_info(session, actor, mediator.id), notes)
