"""上报 / 交办 / 回退 / 联办 / 反馈: a case's steps between centers (docs/crossings.md).

A case keeps its center and its number for all its life. A step is a ``case_crossing`` row:

* **上报** (report up): the center working on the case sends it to its parent center with a reason
  and chosen materials; the parent then works on it (``dispute_case.handling_center_id``), the
  case's own center still reads it.
* **交办** (assign down): the center working on a case gives it to a center below it — or to one of
  the stationed departments, which work inside it — with a deadline in working days; the
  assignee then works on it. The deadline shows 红黄绿 on both sides.
* **回退** (return): the center a case was reported up or assigned to sends it back with a reason
  (required); the sender works on it again.
* **联办** (co-handle): the center working on a case asks centers below it to co-handle it; each
  reads the case and answers with a **反馈**; the lead center (still the one working on it)
  closes the case. A 反馈 also answers a 交办 (办结反馈): the assigner works on the case again.

Every step is checked here (Chinese errors for the illegal ones), written with the audit (on a
server the server writes the audit entry) and shown on the case's timeline to the centers that
took part in it. Each step takes an ``uid`` — the idempotency key a township's packet carries —
and an explicit ``acting_center_id`` for an importer acting for a center (item 3): the same uid
twice records one step and changes nothing the second time.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import (
    Attachment,
    CaseCrossing,
    Center,
    ClockColour,
    CrossingKind,
    Department,
    DisputeCase,
    EventKind,
    now,
)
from ..readmodels.cases import EventView
from . import audit, centers, permissions, workflow
from .actor import Actor
from .calendar import MAX_SPAN_DAYS, WorkingCalendar
from .errors import InvalidInput, NotFound, PermissionDenied

#: The steps that hand a case to another center until answered.
HANDING = frozenset({CrossingKind.REPORT_UP, CrossingKind.ASSIGN_DOWN})
#: The steps that wait for an answer (a 回退 or a 反馈).
AWAITING = frozenset({CrossingKind.REPORT_UP, CrossingKind.ASSIGN_DOWN, CrossingKind.CO_HANDLE})
#: A deadline turns yellow for its last working days.
YELLOW_WORKING_DAYS = 2
#: Who takes the steps: the window and the head (the routing of cases).
STEP_ROLES = permissions.INTAKE_ROLES
#: The namespace of the uids a 联办 to several centers derives, one per center.
_CO_HANDLE_NAMESPACE = uuid.UUID("6f1c9a52-3b8e-4f0e-9d55-2a1d6f2c9e10")


@dataclass(frozen=True)
class CrossingInfo:
    """One step as the lists and the case page show it."""

    id: int
    uid: str
    case_id: int
    case_number: str
    kind: CrossingKind
    from_center_id: int
    from_center: str
    to_center_id: int
    to_center: str
    department: str
    parent_id: int | None
    reason: str
    materials: tuple[int, ...]
    working_days: int | None
    due_on: date | None
    created_at: datetime
    created_by: str
    closed_at: datetime | None

    @property
    def open(self) -> bool:
        return self.kind in AWAITING and self.closed_at is None

    @property
    def target(self) -> str:
        """Where it went: a center, or a stationed department of it."""
        return f"{self.to_center}（{self.department}）" if self.department else self.to_center


@dataclass(frozen=True)
class CrossingRow:
    """A step in the 上下级流转 list of a center, with its colour."""

    crossing: CrossingInfo
    incoming: bool
    colour: ClockColour | None
    days_left: int | None


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class StepOptions:
    """What the actor may do with the case between centers now (the case page's buttons)."""

    acting_center_id: int | None
    report_up_to: Choice | None
    below: tuple[Choice, ...]
    departments: tuple[Choice, ...]
    returnable: CrossingInfo | None
    answerable: CrossingInfo | None
    materials: tuple[Choice, ...]
    refusal: str

    @property
    def can_report_up(self) -> bool:
        return self.report_up_to is not None

    @property
    def can_assign(self) -> bool:
        return bool(self.below or self.departments) and not self.refusal

    @property
    def can_co_handle(self) -> bool:
        return bool(self.below) and not self.refusal


# --- the steps --------------------------------------------------------------------------------


def report_up(session: Session, actor: Actor, case_id: int, *, reason: str, materials: Sequence[int] = (),
              uid: str | None = None, acting_center_id: int | None = None) -> CrossingInfo:
    """上报: send the case to the parent of the center working on it."""
    permissions.require_role(actor, STEP_ROLES, "上报案件")
    done = _replayed(session, uid, case_id, CrossingKind.REPORT_UP)
    if done is not None:
        return done
    acting = _acting(actor, acting_center_id, "上报案件")
    case = _handled_case(session, actor, case_id, acting, "上报")
    reason = _required(reason, "reason", "请填写上报理由。")
    center = _center(session, acting)
    if center.parent_id is None:
        raise InvalidInput("to_center", f"“{center.name}”没有上级中心，案件 {case.number} 无法上报。")
    if _assigned_by_parent(session, case, center):
        raise InvalidInput("case", f"案件 {case.number} 是上级中心交办的，请用“反馈”或“回退”答复，不能再上报。")
    row = _add(session, actor, case, CrossingKind.REPORT_UP, acting, center.parent_id, reason=reason,
               materials=_materials(session, case, materials), uid=uid)
    _hand(session, case, center.parent_id)
    return _done(session, actor, row, "case.report_up")


def assign(session: Session, actor: Actor, case_id: int, *, working_days: int, reason: str,
           to_center_id: int | None = None, department_id: int | None = None, materials: Sequence[int] = (),
           uid: str | None = None, acting_center_id: int | None = None, today: date | None = None) -> CrossingInfo:
    """交办: give the case to a center below the one working on it (or to a stationed department
    working inside it) with a deadline of ``working_days`` working days from ``today``."""
    permissions.require_role(actor, STEP_ROLES, "交办案件")
    done = _replayed(session, uid, case_id, CrossingKind.ASSIGN_DOWN)
    if done is not None:
        return done
    acting = _acting(actor, acting_center_id, "交办案件")
    case = _handled_case(session, actor, case_id, acting, "交办")
    if (to_center_id is None) == (department_id is None):
        raise InvalidInput("to_center", "请选择交办给哪个下级中心或哪个驻点部门（二者选一）。")
    if department_id is not None:
        if _center(session, acting).parent_id is not None:
            acting_name = _center(session, acting).name
            raise InvalidInput("department", f"驻点部门驻在县级中心，“{acting_name}”不能交办给驻点部门。")
        found = session.get(Department, department_id)
        if found is None or not found.active:
            raise InvalidInput("department", f"驻点部门（编号 {department_id}）不存在或已停用。")
        target = acting
    else:
        assert to_center_id is not None
        target = _below(session, acting, to_center_id, "交办")
    reason = _required(reason, "reason", "请填写交办事项和要求。")
    due_on = _due(session, working_days, today)
    row = _add(session, actor, case, CrossingKind.ASSIGN_DOWN, acting, target, reason=reason,
               materials=_materials(session, case, materials), uid=uid, department_id=department_id,
               working_days=working_days, due_on=due_on)
    if target != acting:
        _hand(session, case, target)
    return _done(session, actor, row, "case.assign_down")


def co_handle(session: Session, actor: Actor, case_id: int, *, center_ids: Sequence[int], working_days: int,
              reason: str, materials: Sequence[int] = (), uid: str | None = None,
              acting_center_id: int | None = None, today: date | None = None,
              step_uids: Mapping[int, str] | None = None) -> list[CrossingInfo]:
    """联办: ask centers below the one working on the case to co-handle it, each answering with a
    反馈 by the deadline; the acting center leads and closes the case. ``uid`` gives each
    center's step a uid of its own (derived), so the whole request replays as one; ``step_uids``
    names a center's step uid outright (a 联办 packet recorded with the sender's uid)."""
    permissions.require_role(actor, STEP_ROLES, "发起联办")
    targets = list(dict.fromkeys(center_ids))
    uids = [(step_uids or {}).get(c) or (str(uuid.uuid5(_CO_HANDLE_NAMESPACE, f"{uid}/{c}")) if uid else None)
            for c in targets]
    replayed = [_replayed(session, u, case_id, CrossingKind.CO_HANDLE) for u in uids]
    if targets and all(r is not None for r in replayed):
        return [r for r in replayed if r is not None]
    acting = _acting(actor, acting_center_id, "发起联办")
    case = _handled_case(session, actor, case_id, acting, "发起联办")
    if not targets:
        raise InvalidInput("centers", "请至少选择一个联办中心。")
    for target in targets:
        _below(session, acting, target, "联办")
    reason = _required(reason, "reason", "请填写联办事项和要求。")
    due_on = _due(session, working_days, today)
    kept = _materials(session, case, materials)
    rows = []
    for target, step_uid, earlier in zip(targets, uids, replayed, strict=True):
        if earlier is not None:
            rows.append(earlier)
            continue
        open_one = session.scalar(select(CaseCrossing.id).where(
            CaseCrossing.case_id == case.id, CaseCrossing.kind == CrossingKind.CO_HANDLE,
            CaseCrossing.to_center_id == target, CaseCrossing.closed_at.is_(None)))
        if open_one is not None:
            raise InvalidInput("centers", f"“{_center(session, target).name}”已在联办案件 {case.number}，尚未反馈。")
        row = _add(session, actor, case, CrossingKind.CO_HANDLE, acting, target, reason=reason, materials=kept,
                   uid=step_uid, working_days=working_days, due_on=due_on)
        rows.append(_done(session, actor, row, "case.co_handle"))
    return rows


def return_case(session: Session, actor: Actor, case_id: int, *, reason: str, uid: str | None = None,
                acting_center_id: int | None = None) -> CrossingInfo:
    """回退: the center a case was reported up or assigned to sends it back with a reason; the
    center that sent it works on it again."""
    permissions.require_role(actor, STEP_ROLES, "回退案件")
    done = _replayed(session, uid, case_id, CrossingKind.RETURN)
    if done is not None:
        return done
    acting = _acting(actor, acting_center_id, "回退案件")
    case = _readable_case(session, actor, case_id, "回退")
    received = _received(session, case, acting)
    if received is None:
        raise InvalidInput("case", f"案件 {case.number} 不是上报或交办给“{_center(session, acting).name}”的案件，"
                                   "不能回退（只能回退本中心收到的案件）。")
    reason = _required(reason, "reason", "请填写回退理由。")
    row = _add(session, actor, case, CrossingKind.RETURN, acting, received.from_center_id, reason=reason,
               uid=uid, parent_id=received.id)
    _close(session, actor, received)
    if received.from_center_id != acting:
        _hand(session, case, received.from_center_id)
    return _done(session, actor, row, "case.return")


def feedback(session: Session, actor: Actor, case_id: int, *, text: str, uid: str | None = None,
             acting_center_id: int | None = None) -> CrossingInfo:
    """反馈: a co-handling center reports back on its 联办, or an assignee reports a 交办 done (the
    assigner then works on the case again)."""
    permissions.require_role(actor, STEP_ROLES, "反馈")
    done = _replayed(session, uid, case_id, CrossingKind.FEEDBACK)
    if done is not None:
        return done
    acting = _acting(actor, acting_center_id, "反馈")
    case = _readable_case(session, actor, case_id, "反馈")
    asked = _answerable(session, case, acting)
    if asked is None:
        raise InvalidInput("case", f"“{_center(session, acting).name}”没有待反馈的联办或交办（案件 {case.number}）。")
    text = _required(text, "text", "请填写反馈内容。")
    row = _add(session, actor, case, CrossingKind.FEEDBACK, acting, asked.from_center_id, reason=text,
               uid=uid, parent_id=asked.id)
    _close(session, actor, asked)
    if asked.kind is CrossingKind.ASSIGN_DOWN and asked.from_center_id != acting:
        _hand(session, case, asked.from_center_id)
    return _done(session, actor, row, "case.feedback")


# --- what the screens read ---------------------------------------------------------------------


def options(session: Session, actor: Actor, case_id: int) -> StepOptions:
    """The steps the actor may take on the case now, with what their dialogs offer."""
    nothing = StepOptions(actor.center_id, None, (), (), None, None, (), "")
    if not permissions.has_role(actor, STEP_ROLES) or actor.center_id is None:
        return nothing
    case = permissions.case_for(session, actor, case_id, "查看该案件")
    returnable = _received(session, case, actor.center_id)
    answerable = _answerable(session, case, actor.center_id)
    materials = tuple(Choice(a.id, f"{a.kind.label}：{a.filename}") for a in session.scalars(
        select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)))
    if not permissions.may_write(actor, case) or case.state in workflow.FINAL_STATES:
        refusal = ("案件已结案或不予受理，不能再流转。" if case.state in workflow.FINAL_STATES
                   else "本中心目前不是该案件的承办中心。")
        return StepOptions(actor.center_id, None, (), (), _info(session, returnable) if returnable else None,
                           _info(session, answerable) if answerable else None, materials, refusal)
    center = _center(session, actor.center_id)
    parent = (Choice(center.parent_id, _center(session, center.parent_id).name)
              if center.parent_id and not _assigned_by_parent(session, case, center) else None)
    below_ids = centers.below(session, actor.center_id) - {actor.center_id}
    names = centers.names(session, below_ids)
    below = tuple(Choice(i, names[i]) for i in sorted(below_ids) if i in names)
    # The stationed departments work at the county center: only it assigns to them.
    departments = tuple(Choice(i, n) for i, n in session.execute(
        select(Department.id, Department.name).where(Department.active).order_by(Department.id))
    ) if center.parent_id is None else ()
    return StepOptions(actor.center_id, parent, below, departments,
                       _info(session, returnable) if returnable else None,
                       _info(session, answerable) if answerable else None, materials, "")


def departments(session: Session) -> list[Choice]:
    """The active stationed departments (a 交办 of the county center may go to one)."""
    return [Choice(int(i), str(n)) for i, n in session.execute(
        select(Department.id, Department.name).where(Department.active).order_by(Department.id))]


def crossings_of(session: Session, actor: Actor, case_id: int) -> list[CrossingInfo]:
    """The case's steps the actor's center took part in (all of them for the maintenance actor)."""
    stmt = select(CaseCrossing).where(CaseCrossing.case_id == case_id).order_by(CaseCrossing.id)
    if not permissions.is_system(actor) and actor.center_id is not None:
        took_part = sorted(actor.center_ids or {actor.center_id})
        stmt = stmt.where(or_(CaseCrossing.from_center_id.in_(took_part), CaseCrossing.to_center_id.in_(took_part)))
    return _infos(session, session.scalars(stmt))


def case_rows(session: Session, actor: Actor, case_id: int, *, today: date | None = None) -> list[CrossingRow]:
    """The case's steps the actor's center took part in, each with its colour (the case page)."""
    day = today or now().date()
    calendar = WorkingCalendar.load(session)
    rows = []
    for info in crossings_of(session, actor, case_id):
        shade, left = colour(calendar, info, day)
        rows.append(CrossingRow(info, info.to_center_id == actor.center_id, shade, left))
    return rows


def timeline(session: Session, actor: Actor, case_id: int) -> list[EventView]:
    """The case's steps between centers as timeline entries (negative ids: not case events)."""
    entries = []
    for c in crossings_of(session, actor, case_id):
        if c.kind in (CrossingKind.RETURN, CrossingKind.FEEDBACK):
            note = f"{c.kind.label}：{c.from_center} → {c.to_center}：{c.reason}"
        else:
            due = f"（{c.working_days}个工作日，{c.due_on:%Y-%m-%d} 前）" if c.due_on else ""
            note = f"{c.kind.label}：{c.from_center} → {c.target}{due}：{c.reason}"
            if c.materials:
                note += f"（附材料 {len(c.materials)} 份）"
        entries.append(EventView(id=-c.id, at=c.created_at, kind=EventKind.NOTE, action=f"crossing_{c.kind.value}",
                                 from_state=None, to_state=None, note=note, user_name=c.created_by or "系统"))
    return entries


def colour(calendar: WorkingCalendar, crossing: CrossingInfo, today: date) -> tuple[ClockColour | None, int | None]:
    """红黄绿 of an open step with a deadline: green until its last two working days, yellow then,
    red once overdue; with the working days left (negative when overdue)."""
    if not crossing.open or crossing.due_on is None:
        return None, None
    left = calendar.working_days_between(today, crossing.due_on)
    if today > crossing.due_on:
        return ClockColour.RED, left
    if left <= YELLOW_WORKING_DAYS:
        return ClockColour.YELLOW, left
    return ClockColour.GREEN, left


def center_list(session: Session, actor: Actor, *, today: date | None = None, open_only: bool = True,
                limit: int = 500) -> list[CrossingRow]:
    """上下级流转: the steps to and from the actor's own center, the open ones first (incoming and
    outgoing, each with its colour), newest first; with ``open_only`` the ones awaiting an answer."""
    permissions.require_role(actor, permissions.CASE_ROLES, "查看上下级流转")
    day = today or now().date()
    stmt = select(CaseCrossing).order_by(CaseCrossing.id.desc()).limit(limit)
    if actor.center_id is not None:
        stmt = stmt.where(or_(CaseCrossing.from_center_id == actor.center_id,
                              CaseCrossing.to_center_id == actor.center_id))
    if open_only:
        stmt = stmt.where(CaseCrossing.closed_at.is_(None), CaseCrossing.kind.in_(sorted(AWAITING)))
    calendar = WorkingCalendar.load(session)
    rows = []
    for info in _infos(session, session.scalars(stmt)):
        shade, left = colour(calendar, info, day)
        rows.append(CrossingRow(info, info.to_center_id == actor.center_id, shade, left))
    rows.sort(key=lambda r: (not r.crossing.open, r.crossing.due_on or date.max, -r.crossing.id))
    return rows


# --- inside --------------------------------------------------------------------------------------


def _acting(actor: Actor, acting_center_id: int | None, doing: str) -> int:
    permissions.require_role(actor, STEP_ROLES, doing)
    if acting_center_id is not None:
        if actor.center_id is not None and acting_center_id != actor.center_id and not permissions.is_system(actor):
            raise PermissionDenied(f"您属于另一个中心，不能以其他中心的名义{doing}。")
        return acting_center_id
    if actor.center_id is None:
        raise InvalidInput("acting_center", f"请说明以哪个中心的名义{doing}。")
    return actor.center_id


def _center(session: Session, center_id: int) -> Center:
    center = session.get(Center, center_id)
    if center is None:
        raise NotFound(f"中心（编号 {center_id}）不存在。")
    return center


def _readable_case(session: Session, actor: Actor, case_id: int, doing: str) -> DisputeCase:
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    if not permissions.is_system(actor) and not permissions.reads_case(actor, case, session):
        raise PermissionDenied(permissions.NOT_YOUR_CENTER.format(number=case.number, doing=doing))
    return case


def _handled_case(session: Session, actor: Actor, case_id: int, acting: int, doing: str) -> DisputeCase:
    """The case, which the acting center must be working on, still open."""
    case = _readable_case(session, actor, case_id, doing)
    if permissions.handling_center(case) != acting:
        raise PermissionDenied(
            f"案件 {case.number} 目前由“{_center(session, permissions.handling_center(case)).name}”承办，"
            f"“{_center(session, acting).name}”不能{doing}（只有承办中心可以）。")
    if case.state in workflow.FINAL_STATES:
        raise InvalidInput("case", f"案件 {case.number} 已{case.state.label}，不能{doing}。")
    return case


def _below(session: Session, acting: int, target: int, doing: str) -> int:
    center = _center(session, target)
    if target == acting or target not in centers.below(session, acting):
        acting_name = _center(session, acting).name
        raise InvalidInput("to_center", f"“{center.name}”不是“{acting_name}”的下级中心，不能{doing}给它。")
    if not center.active:
        raise InvalidInput("to_center", f"“{center.name}”已停用，不能{doing}给它。")
    return target


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(field, message)
    return value


def _due(session: Session, working_days: int, today: date | None) -> date:
    if not isinstance(working_days, int) or working_days < 1 or working_days > MAX_SPAN_DAYS:
        raise InvalidInput("working_days", f"办理期限须为 1 到 {MAX_SPAN_DAYS} 个工作日（填写的是 {working_days}）。")
    return WorkingCalendar.load(session).add_working_days(today or now().date(), working_days)


def _materials(session: Session, case: DisputeCase, ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    found = set(session.scalars(select(Attachment.id).where(Attachment.case_id == case.id,
                                                            Attachment.id.in_(wanted))))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise InvalidInput("materials", f"材料（编号 {'、'.join(map(str, missing))}）不是案件 {case.number} 的材料。")
    return wanted


def _replayed(session: Session, uid: str | None, case_id: int, kind: CrossingKind) -> CrossingInfo | None:
    """The step already recorded under ``uid`` (a replay: nothing changes), or None."""
    if not uid:
        return None
    row = session.scalar(select(CaseCrossing).where(CaseCrossing.uid == uid))
    if row is None:
        return None
    if row.case_id != case_id or row.kind is not kind:
        raise InvalidInput("uid", f"流转编号 {uid} 已用于案件 {row.case_number} 的另一步（{row.kind.label}）。")
    return _info(session, row)


def _add(session: Session, actor: Actor, case: DisputeCase, kind: CrossingKind, from_center: int, to_center: int,
         *, reason: str, uid: str | None, materials: Sequence[int] = (), department_id: int | None = None,
         parent_id: int | None = None, working_days: int | None = None, due_on: date | None = None) -> CaseCrossing:
    moment = now()
    answered = kind not in AWAITING  # a 回退 or 反馈 is an answer: closed when made
    row = CaseCrossing(
        uid=uid or str(uuid.uuid4()), case_id=case.id, case_number=case.number, kind=kind,
        from_center_id=from_center, to_center_id=to_center, department_id=department_id, parent_id=parent_id,
        reason=reason, materials=json.dumps(list(materials)), working_days=working_days, due_on=due_on,
        created_at=moment, created_by_id=actor.user_id, created_by_name=actor.display_name[:60],
        closed_at=moment if answered else None, closed_by_id=actor.user_id if answered else None)
    session.add(row)
    # Before the case changes hands: on a server the step is written while its center may.
    session.flush()
    return row


def _close(session: Session, actor: Actor, row: CaseCrossing) -> None:
    row.closed_at = now()
    row.closed_by_id = actor.user_id
    session.flush()


def _hand(session: Session, case: DisputeCase, center_id: int) -> None:
    case.handling_center_id = None if center_id == case.center_id else center_id
    session.flush()


def _received(session: Session, case: DisputeCase, center_id: int) -> CaseCrossing | None:
    """The open 上报 or 交办 by which ``center_id`` works on the case now (the one it may return)."""
    if permissions.handling_center(case) != center_id:
        return None
    return session.scalar(select(CaseCrossing).where(
        CaseCrossing.case_id == case.id, CaseCrossing.kind.in_(sorted(HANDING)),
        CaseCrossing.to_center_id == center_id, CaseCrossing.closed_at.is_(None))
        .order_by(CaseCrossing.id.desc()).limit(1))


def _assigned_by_parent(session: Session, case: DisputeCase, center: Center) -> bool:
    """Whether ``center`` works on the case because its parent assigned it (answered by 反馈 or 回退)."""
    received = _received(session, case, center.id)
    return (received is not None and received.kind is CrossingKind.ASSIGN_DOWN
            and received.from_center_id == center.parent_id)


def _answerable(session: Session, case: DisputeCase, center_id: int) -> CaseCrossing | None:
    """The open 联办 asked of ``center_id``, or the open 交办 it works on, that a 反馈 answers."""
    co = session.scalar(select(CaseCrossing).where(
        CaseCrossing.case_id == case.id, CaseCrossing.kind == CrossingKind.CO_HANDLE,
        CaseCrossing.to_center_id == center_id, CaseCrossing.closed_at.is_(None)).limit(1))
    if co is not None:
        return co
    received = _received(session, case, center_id)
    return received if received is not None and received.kind is CrossingKind.ASSIGN_DOWN else None


def _done(session: Session, actor: Actor, row: CaseCrossing, action: str) -> CrossingInfo:
    info = _info(session, row)
    audit.record(session, actor, action, "case", row.case_id, {
        "crossing": row.uid, "kind": row.kind.value, "from": row.from_center_id, "to": row.to_center_id,
        "reason": row.reason, "due_on": row.due_on.isoformat() if row.due_on else None,
        "materials": json.loads(row.materials)})
    changes.note(session, Changes.cases(row.case_id, list_changed=True))
    return info


def _infos(session: Session, rows: Iterable[CaseCrossing]) -> list[CrossingInfo]:
    listed = list(rows)
    names = centers.names(session, {c for r in listed for c in (r.from_center_id, r.to_center_id)})
    departments = _departments(session, {r.department_id for r in listed if r.department_id is not None})
    return [_info(session, r, names, departments) for r in listed]


def _departments(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {int(i): str(n) for i, n in session.execute(
        select(Department.id, Department.name).where(Department.id.in_(sorted(ids))))}


def _info(session: Session, row: CaseCrossing, names: dict[int, str] | None = None,
          departments: dict[int, str] | None = None) -> CrossingInfo:
    if names is None:
        names = centers.names(session, {row.from_center_id, row.to_center_id})
    if departments is None:
        departments = _departments(session, {row.department_id} if row.department_id is not None else set())
    department = departments.get(row.department_id, "") if row.department_id is not None else ""
    return CrossingInfo(
        id=row.id, uid=row.uid, case_id=row.case_id, case_number=row.case_number, kind=row.kind,
        from_center_id=row.from_center_id, from_center=names.get(row.from_center_id, ""),
        to_center_id=row.to_center_id, to_center=names.get(row.to_center_id, ""), department=department,
        parent_id=row.parent_id, reason=row.reason, materials=tuple(json.loads(row.materials or "[]")),
        working_days=row.working_days, due_on=row.due_on, created_at=row.created_at,
        created_by=row.created_by_name, closed_at=row.closed_at)


__all__ = [
    "AWAITING", "Choice", "CrossingInfo", "CrossingRow", "StepOptions", "assign", "case_rows", "center_list",
    "co_handle", "colour", "crossings_of", "departments", "feedback", "options", "report_up", "return_case", "timeline",
]
