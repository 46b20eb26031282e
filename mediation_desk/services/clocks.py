"""The clocks of open cases: which stage is running, when it is due, and its colour.

Each stage has a limit in working or calendar days (configurable per dispute type); a case runs
at most one clock at a time, chosen from its state and source:

- 登记 (not yet decided): the decision to accept, from the day received;
- hotline items (来电 12345, 网上) still open: "2·20" — 2 working days for a consultation, 20 for
  any other request — from the day received to the reply;
- accepted, assigned or in mediation: people's mediation "一般在一个月内调结", from acceptance;
- succeeded with an agreement in force and no application yet: judicial confirmation must be
  applied for within 30 days of the agreement taking effect;
- closed after the center mediated it, with no return visit yet: the first return visit.

The running clock is stored on the case row (stage, the day it turns yellow, the day it is due)
whenever something that moves it happens, so "due soon / overdue" is an index range scan and the
colour at any moment is a comparison of dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .. import changes, settings
from ..changes import Changes
from ..models import (
    Agreement,
    CaseState,
    ClockColour,
    ClockStage,
    DeadlineExtension,
    DisputeCase,
    JudicialConfirmation,
    Mediator,
    ReturnVisit,
    Role,
    SourceChannel,
    Team,
    TimeLimit,
    now,
)
from ..models.case import OPEN_CLOCK_INDEX, still_open
from . import audit, center, permissions
from .actor import Actor
from .calendar import WorkingCalendar
from .errors import InvalidInput, NotFound, PermissionDenied


@dataclass(frozen=True)
class Limit:
    days: int
    working_days: bool
    yellow_days: int

    def describe(self) -> str:
        return f"{self.days} 个{'工作日' if self.working_days else '自然日'}"


DEFAULT_LIMITS: dict[ClockStage, Limit] = {
    ClockStage.ACCEPTANCE: Limit(3, True, 1),
    ClockStage.MEDIATION: Limit(30, False, 7),
    ClockStage.HOTLINE_CONSULTATION: Limit(2, True, 1),
    ClockStage.HOTLINE_REQUEST: Limit(20, True, 5),
    ClockStage.JUDICIAL_CONFIRMATION: Limit(30, False, 7),
    ClockStage.RETURN_VISIT: Limit(30, False, 7),
}
HOTLINE_CHANNELS = frozenset({SourceChannel.PHONE, SourceChannel.ONLINE})
_MEDIATION_STATES = frozenset({CaseState.ACCEPTED, CaseState.ASSIGNED, CaseState.IN_MEDIATION})
_HOTLINE_OPEN_STATES = frozenset({CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.ASSIGNED,
                                  CaseState.IN_MEDIATION, CaseState.SUCCEEDED, CaseState.FAILED,
                                  CaseState.TRANSFERRED, CaseState.WITHDRAWN, CaseState.DIVERTED})


@dataclass(frozen=True)
class Clock:
    stage: ClockStage
    started_on: date
    limit: Limit
    extended_days: int
    warn_on: date
    due_on: date


@dataclass(frozen=True)
class ClockState:
    stage: ClockStage
    started_on: date
    due_on: date
    warn_on: date
    colour: ClockColour
    #: Days left in the limit's own kind (working or calendar); negative when overdue.
    remaining: int
    working_days: bool
    extended_days: int

    def describe(self) -> str:
        unit = "个工作日" if self.working_days else "天"
        if self.remaining < 0:
            return f"{self.stage.label}已超期 {-self.remaining} {unit}（期限 {self.due_on:%m月%d日}）"
        if self.remaining == 0:
            return f"{self.stage.label}今天到期"
        return f"{self.stage.label}剩余 {self.remaining} {unit}（期限 {self.due_on:%m月%d日}）"


def limit_for(session: Session, stage: ClockStage, dispute_type_id: int | None,
              department_id: int | None = None) -> Limit:
    """The most specific limit set for this stage: for the department and the dispute type, else
    for the department, else for the type, else for every case; else the built-in default."""
    rows = session.scalars(
        select(TimeLimit).where(
            TimeLimit.stage == stage,
            (TimeLimit.dispute_type_id == dispute_type_id) | TimeLimit.dispute_type_id.is_(None),
            (TimeLimit.department_id == department_id) | TimeLimit.department_id.is_(None),
        )
    ).all()
    chosen = max(rows, key=lambda r: (r.department_id is not None, r.dispute_type_id is not None), default=None)
    if chosen is None:
        return DEFAULT_LIMITS[stage]
    return Limit(chosen.days, chosen.working_days, chosen.yellow_days)


def limits_by_type(session: Session, stage: ClockStage) -> tuple[Limit, dict[int, Limit]]:
    """What :func:`limit_for` gives for ``stage`` and no department, for every dispute type at once:
    the limit of the types with none of their own, and the types' own."""
    rows = session.scalars(select(TimeLimit).where(TimeLimit.stage == stage, TimeLimit.department_id.is_(None))).all()
    general = next((Limit(r.days, r.working_days, r.yellow_days) for r in rows if r.dispute_type_id is None),
                   DEFAULT_LIMITS[stage])
    own: dict[int, Limit] = {}
    for r in rows:
        if r.dispute_type_id is not None and r.dispute_type_id not in own:
            own[r.dispute_type_id] = Limit(r.days, r.working_days, r.yellow_days)
    return general, own


def case_department_id(session: Session, case: DisputeCase) -> int | None:
    """The stationed department a case's stages are measured for (and its cards addressed to): the
    department of its lead mediator (承办调解员); None for a case led by a volunteer or no one."""
    if case.lead_mediator_id is None:
        return None
    return session.scalar(select(Mediator.department_id).where(Mediator.id == case.lead_mediator_id))


def _stage_and_start(session: Session, case: DisputeCase) -> tuple[ClockStage, date] | None:
    if case.source_channel in HOTLINE_CHANNELS and case.state in _HOTLINE_OPEN_STATES:
        stage = ClockStage.HOTLINE_CONSULTATION if case.is_consultation else ClockStage.HOTLINE_REQUEST
        return stage, case.received_at.date()
    if case.state is CaseState.REGISTERED:
        return ClockStage.ACCEPTANCE, case.received_at.date()
    if case.state in _MEDIATION_STATES:
        return ClockStage.MEDIATION, (case.accepted_at or case.received_at).date()
    if case.state is CaseState.SUCCEEDED:
        effective = session.scalar(
            select(Agreement.effective_on)
            .where(Agreement.case_id == case.id, Agreement.effective_on.is_not(None))
            .order_by(Agreement.effective_on.desc())
            .limit(1)
        )
        applied = session.scalar(
            select(func.count()).select_from(JudicialConfirmation).where(
                JudicialConfirmation.case_id == case.id, JudicialConfirmation.applied_on.is_not(None)
            )
        )
        if effective is not None and not applied:
            return ClockStage.JUDICIAL_CONFIRMATION, effective
        return None
    # Return visits follow the center's own mediations, not cases it rejected or diverted.
    if case.state is CaseState.CLOSED and case.closed_at is not None and case.team_id is not None:
        visited = session.scalar(select(func.count()).select_from(ReturnVisit).where(ReturnVisit.case_id == case.id))
        if not visited:
            return ClockStage.RETURN_VISIT, case.closed_at.date()
    return None


def registration_clock(session: Session, calendar: WorkingCalendar, limits: dict[tuple[ClockStage, int], Limit], *,
                       source_channel: SourceChannel, is_consultation: bool, dispute_type_id: int,
                       received_on: date) -> tuple[ClockStage, date, date]:
    """The clock a case gets the moment it is registered: (stage, yellow from, due), without
    loading it — for bulk imports, where ``refresh_clock`` per row would cost a query each.
    The stage choice matches ``_stage_and_start`` for a case in 登记 with no extensions."""
    if source_channel in HOTLINE_CHANNELS:
        stage = ClockStage.HOTLINE_CONSULTATION if is_consultation else ClockStage.HOTLINE_REQUEST
    else:
        stage = ClockStage.ACCEPTANCE
    key = (stage, dispute_type_id)
    if key not in limits:
        limits[key] = limit_for(session, stage, dispute_type_id)
    limit = limits[key]
    due = _shift(calendar, received_on, limit.days, limit.working_days)
    warn = _shift(calendar, due, -limit.yellow_days, limit.working_days)
    return stage, max(warn, received_on), due


def shift(calendar: WorkingCalendar, start: date, days: int, working: bool) -> date:
    """``days`` working (or calendar) days after ``start``, as a limit of that kind counts them."""
    return calendar.add_working_days(start, days) if working else start + timedelta(days=days)


_shift = shift


@dataclass
class _Known:
    """What a recomputation of many clocks reads once instead of per case: the limits by (stage,
    department, dispute type) as they are found, every extension's days by (case, stage), and each
    mediator's department."""

    limits: dict[tuple[ClockStage, int | None, int], Limit]
    extensions: dict[tuple[int, ClockStage], int]
    departments: dict[int, int | None] = field(default_factory=dict)


def compute_clock(session: Session, case: DisputeCase, calendar: WorkingCalendar | None = None, *,
                  known: _Known | None = None) -> Clock | None:
    found = _stage_and_start(session, case)
    if found is None:
        return None
    stage, start = found
    calendar = calendar or WorkingCalendar.load(session)
    if known is None:
        limit = limit_for(session, stage, case.dispute_type_id, case_department_id(session, case))
        extended = int(session.scalar(
            select(func.coalesce(func.sum(DeadlineExtension.days), 0)).where(
                DeadlineExtension.case_id == case.id, DeadlineExtension.stage == stage
            )
        ) or 0)
    else:
        department = (known.departments.get(case.lead_mediator_id)
                      if case.lead_mediator_id is not None else None)
        key = (stage, department, case.dispute_type_id)
        if key not in known.limits:
            known.limits[key] = limit_for(session, stage, case.dispute_type_id, department)
        limit = known.limits[key]
        extended = known.extensions.get((case.id, stage), 0)
    due = _shift(calendar, start, limit.days + extended, limit.working_days)
    warn = _shift(calendar, due, -limit.yellow_days, limit.working_days)
    return Clock(stage, start, limit, extended, max(warn, start), due)


def refresh_clock(session: Session, case: DisputeCase, calendar: WorkingCalendar | None = None, *,
                  known: _Known | None = None) -> Clock | None:
    """Recompute the running clock of a case and store it on the row."""
    clock = compute_clock(session, case, calendar, known=known)
    case.clock_stage = clock.stage if clock else None
    case.clock_warn_on = clock.warn_on if clock else None
    case.clock_due_on = clock.due_on if clock else None
    return clock


def state_at(clock_stage: ClockStage | None, warn_on: date | None, due_on: date | None, at: datetime | date,
             *, calendar: WorkingCalendar, working_days: bool, started_on: date | None = None,
             extended_days: int = 0) -> ClockState | None:
    """The colour and days left of a stored clock at a moment (no database access)."""
    if clock_stage is None or warn_on is None or due_on is None:
        return None
    day = at.date() if isinstance(at, datetime) else at
    if day > due_on:
        colour = ClockColour.RED
    elif day >= warn_on:
        colour = ClockColour.YELLOW
    else:
        colour = ClockColour.GREEN
    remaining = (calendar.working_days_between(day, due_on) if working_days else (due_on - day).days)
    return ClockState(clock_stage, started_on or warn_on, due_on, warn_on, colour, remaining, working_days,
                      extended_days)


def case_clock(session: Session, case_id: int, at: datetime | date | None = None) -> ClockState | None:
    """The clock state of a case at a moment (now by default), computed afresh."""
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    calendar = WorkingCalendar.load(session)
    clock = compute_clock(session, case, calendar)
    if clock is None:
        return None
    return state_at(clock.stage, clock.warn_on, clock.due_on, at or now(), calendar=calendar,
                    working_days=clock.limit.working_days, started_on=clock.started_on,
                    extended_days=clock.extended_days)


def extend(session: Session, actor: Actor, case_id: int, *, days: int, reason: str) -> ClockState:
    """Grant more days for the running stage (延期): the head, or a mediator of the case's team."""
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    allowed = actor.role is Role.HEAD or permissions.in_case_team(actor, case.team_id)
    if not allowed:
        raise PermissionDenied("只有中心主任或承办团队的调解员可以延期。")
    if not reason.strip():
        raise InvalidInput("reason", "请填写延期理由。")
    if not 1 <= days <= 90:
        raise InvalidInput("days", "延期天数应在 1 到 90 之间。")
    calendar = WorkingCalendar.load(session)
    clock = compute_clock(session, case, calendar)
    if clock is None:
        raise InvalidInput("days", f"案件 {case.number} 当前（{case.state.label}）没有正在计时的期限，无需延期。")
    new_due = _shift(calendar, clock.due_on, days, clock.limit.working_days)
    session.add(DeadlineExtension(case_id=case.id, stage=clock.stage, days=days, reason=reason.strip(),
                                  granted_by_id=actor.user_id, new_due_on=new_due))
    session.flush()
    refresh_clock(session, case, calendar)
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "case.extend", "case", case.id,
                 {"number": case.number, "stage": str(clock.stage), "days": days, "reason": reason.strip(),
                  "due": new_due.isoformat()})
    state = case_clock(session, case.id)
    assert state is not None
    return state


@dataclass(frozen=True)
class DueCase:
    case_id: int
    number: str
    title: str
    state: CaseState
    team: str
    stage: ClockStage
    warn_on: date
    due_on: date
    colour: ClockColour


def _open_only(states: frozenset[CaseState]) -> bool:
    """Whether ``states`` are all open ones (none final): the query may then say so in the partial
    indexes' own words (``models.case.still_open``)."""
    return states.isdisjoint((CaseState.CLOSED, CaseState.REJECTED))


def due_soon_or_overdue(session: Session, actor: Actor, *, at: datetime | date | None = None,
                        team_ids: frozenset[int] | None = None, states: frozenset[CaseState] | None = None,
                        limit: int = 500) -> list[DueCase]:
    """Yellow and red cases, most urgent first — the head's whole center, a team lead's team;
    only cases in ``states`` when given (the desk: the open ones, see pages.desk_page)."""
    day = (at or now())
    day = day.date() if isinstance(day, datetime) else day
    if team_ids is None and actor.role is Role.MEDIATOR:
        team_ids = actor.team_ids
    stmt = (
        select(DisputeCase.id, DisputeCase.number, DisputeCase.title, DisputeCase.state, Team.name,
               DisputeCase.clock_stage, DisputeCase.clock_warn_on, DisputeCase.clock_due_on)
        .outerjoin(Team, Team.id == DisputeCase.team_id)
        # Redundant for the result (a clock has both dates), but it lets SQLite start its walk of
        # the due-date index after the cases with no clock, which sort first: 595 → 2 ms at a
        # million cases, most of them closed.
        .where(DisputeCase.clock_due_on.is_not(None), DisputeCase.clock_warn_on <= day,
               permissions.own_center(actor))
        .order_by(DisputeCase.clock_due_on, DisputeCase.id)
        .limit(limit)
    )
    if team_ids is not None:
        stmt = stmt.where(DisputeCase.team_id.in_(sorted(team_ids)))
    if states is not None:
        stmt = stmt.where(DisputeCase.state.in_(sorted(states)))
        if _open_only(states):
            # The open cases' clocks in due order (ix_dispute_case_open_clock, migration 0050): a
            # township's few or a mediator's teams' are found in the index, not case row by row.
            stmt = stmt.where(still_open()).with_hint(DisputeCase, f"INDEXED BY {OPEN_CLOCK_INDEX}", "sqlite")
    result = []
    for case_id, number, title, state, team, stage, warn_on, due_on in session.execute(stmt):
        # The WHERE on clock_warn_on already excludes rows without a clock.
        assert stage is not None and warn_on is not None and due_on is not None
        colour = ClockColour.RED if day > due_on else ClockColour.YELLOW
        result.append(DueCase(case_id, number, title, state, team or "", stage, warn_on, due_on, colour))
    return result


def count_due_soon(session: Session, day: date, *, states: frozenset[CaseState],
                   team_ids: frozenset[int] | None = None, center_id: int | None = None) -> int:
    """How many cases in ``states`` are yellow on ``day`` (warned, not yet past due): what
    :func:`due_soon_or_overdue` lists in yellow, counted whole (the list stops at its first rows).
    An index-only range of ``ix_dispute_case_open_clock`` (migration 0050) for the open states."""
    stmt = (select(func.count()).select_from(DisputeCase)
            .where(DisputeCase.clock_due_on >= day, DisputeCase.clock_warn_on <= day,
                   DisputeCase.state.in_(sorted(states))))
    if _open_only(states):
        # Counted in ix_dispute_case_open_clock alone (migration 0050).
        stmt = stmt.where(still_open()).with_hint(DisputeCase, f"INDEXED BY {OPEN_CLOCK_INDEX}", "sqlite")
    if center_id is not None:
        # The center working the case (its handling center while reported up or assigned down), as
        # the due list itself (permissions.own_center): the count must count the list's cases.
        stmt = stmt.where(func.coalesce(DisputeCase.handling_center_id, DisputeCase.center_id) == center_id)
    if team_ids is not None:
        stmt = stmt.where(DisputeCase.team_id.in_(sorted(team_ids)))
    return int(session.scalar(stmt) or 0)


def set_limit(session: Session, actor: Actor, stage: ClockStage, *, days: int, working_days: bool,
              yellow_days: int, dispute_type_id: int | None = None, department_id: int | None = None) -> int | None:
    """Change a limit (for every case, a dispute type, a stationed department or both) and move
    every open clock it governs; returns how many cases moved."""
    if actor.role not in (Role.ADMIN, Role.HEAD):
        raise PermissionDenied("只有中心主任或系统管理员可以设置办理期限。")
    if not 1 <= days <= 366:
        raise InvalidInput("days", "期限应在 1 到 366 天之间。")
    if not 0 <= yellow_days < days:
        raise InvalidInput("yellow_days", "黄色预警天数应不少于 0 且小于期限天数。")
    row = session.scalar(select(TimeLimit).where(
        TimeLimit.stage == stage,
        TimeLimit.dispute_type_id.is_(None) if dispute_type_id is None
        else TimeLimit.dispute_type_id == dispute_type_id,
        TimeLimit.department_id.is_(None) if department_id is None
        else TimeLimit.department_id == department_id,
    ))
    if row is None:
        row = TimeLimit(stage=stage, dispute_type_id=dispute_type_id, department_id=department_id)
        session.add(row)
    row.days, row.working_days, row.yellow_days = days, working_days, yellow_days
    session.flush()
    changes.note(session, Changes(settings=True))
    detail: dict[str, object] = {"stage": str(stage), "type": dispute_type_id, "days": days,
                                 "working": working_days, "yellow": yellow_days}
    if department_id is not None:
        detail["department_id"] = department_id
    audit.record(session, actor, "clock.set_limit", "time_limit", row.id, detail)
    return recompute_clocks_for(session, actor, stage=stage)


def recompute_clocks_for(session: Session, actor: Actor, *, stage: ClockStage | None = None) -> int | None:
    """Recompute the open clocks after ``actor`` changed the holiday table or a limit; returns how
    many cases were looked at, or None when the actor's connection reads no case row (the
    administrator on a center server): then the center is marked and the next sign-in of a head
    recomputes them (:func:`catch_up`), so the clocks never stay on the old calendar."""
    if permissions.case_rows_hidden(session, actor):
        center.put(session, settings.CLOCKS_STALE, True)
        return None
    return recompute_open_clocks(session, stage=stage)


#: The role whose connection may both update every case row and clear the center's mark (grants
#: of migration 0014: the clerk may update the cases but only read the center's settings).
CATCH_UP_ROLES = frozenset({Role.HEAD})


def catch_up(session: Session, actor: Actor) -> int | None:
    """At a sign-in: recompute the clocks a calendar change left stale (see
    :func:`recompute_clocks_for`) when this person's connection may; None when nothing was due."""
    if actor.role not in CATCH_UP_ROLES or not center.get(session, settings.CLOCKS_STALE):
        return None
    moved = recompute_open_clocks(session)
    center.put(session, settings.CLOCKS_STALE, False)
    return moved


#: The states in which ``_stage_and_start`` may find a running clock (a closed case only while its
#: first return visit is due).
_CLOCK_STATES = frozenset({CaseState.REGISTERED, CaseState.SUCCEEDED}) | _MEDIATION_STATES | _HOTLINE_OPEN_STATES


def recompute_open_clocks(session: Session, *, stage: ClockStage | None = None, batch: int = 2000) -> int:
    """Recompute stored clocks (after a limit, the holiday table or bulk data changed); returns how
    many cases were looked at.

    Only the cases whose clock runs or may run are read — a county's hundreds of thousands of
    closed, visited cases have none — and the limits and extensions are read once, not per case:
    at 1,000,000 demo cases this took most of the demo's build."""
    calendar = WorkingCalendar.load(session)
    visited = select(ReturnVisit.id).where(ReturnVisit.case_id == DisputeCase.id).exists()
    may_run = or_(DisputeCase.clock_stage.is_not(None), DisputeCase.state.in_(sorted(_CLOCK_STATES)),
                  and_(DisputeCase.state == CaseState.CLOSED, DisputeCase.team_id.is_not(None), ~visited))
    stmt = select(DisputeCase).where(may_run)
    if stage is not None:
        stmt = stmt.where(DisputeCase.clock_stage == stage)
    extensions = session.execute(
        select(DeadlineExtension.case_id, DeadlineExtension.stage, func.sum(DeadlineExtension.days))
        .group_by(DeadlineExtension.case_id, DeadlineExtension.stage)).all()
    known = _Known({}, {(case_id, stage_): int(days or 0) for case_id, stage_, days in extensions},
                   {int(i): d for i, d in session.execute(select(Mediator.id, Mediator.department_id))})
    count = 0
    # The lookups per case read other tables only: flushing the cases changed so far before each
    # of them would rewrite the rows again and again.
    with session.no_autoflush:
        for case in session.scalars(stmt.execution_options(yield_per=batch)):
            refresh_clock(session, case, calendar, known=known)
            count += 1
    session.flush()
    changes.note(session, Changes(case_list=True))  # the clocks the lists show moved
    return count
