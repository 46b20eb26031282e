"""回访: return visits after closure, the list of visits due, and reopening from a bad finding.

- :func:`plan_after_closure` plans the first visit at the ``RETURN_VISIT`` limit of
  :mod:`services.clocks` after the case closed (30 days by default), and one a few days after each
  agreed term's deadline, when whether it was kept can be checked. It is idempotent: the workflow
  calls it each time the head approves a closure, and a case closed again after reopening gets a
  fresh first visit while plans already answered stay as they are.
- :func:`record_visit` records what the visit found — method, performance (已履行 / 部分履行 /
  未履行), satisfaction (满意 / 基本满意 / 不满意), notes — and answers the plans it covers: the
  first visit after closure, and every term whose deadline has passed by the visit's day.
- :func:`visits_due` lists what is due or overdue for the desk.
- :func:`reopen_from_visit` lets the head reopen a closed case (重新调解) when a visit found the
  agreement unkept or a party unsatisfied; the timeline note names the visit.

Like the clock (``clocks._stage_and_start``), visits follow the center's own mediations: cases
closed with a team. Any recorded visit stops the first-visit clock, so writes refresh it.

This module must not import ``workflow`` at import time: the workflow imports it to plan visits
when a closure is approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case as when
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import (
    Agreement,
    AgreementTerm,
    CaseEvent,
    CaseState,
    ClockStage,
    DisputeCase,
    EventKind,
    Party,
    Performance,
    PlannedVisit,
    ReturnVisit,
    Role,
    Satisfaction,
    Team,
    VisitMethod,
    now,
)
from . import audit, clocks, permissions, versions, writers
from .actor import Actor
from .calendar import WorkingCalendar
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied

#: Days after a term's deadline to visit: time for the payment to arrive or the work to be seen.
TERM_GRACE_DAYS = 3
#: The desk also lists visits falling due within this many days.
DUE_SOON_DAYS = 7
FIRST_VISIT_REASON = "结案后首次回访"
MAX_VISITOR = 60
MAX_PARTIES = 200
MAX_LAWSUIT = 300
MAX_RISKS = 2000
TROUBLE_PERFORMANCE = frozenset({Performance.PARTLY, Performance.NOT_PERFORMED})


def shows_trouble(performance: Performance | None, satisfaction: Satisfaction | None) -> bool:
    """Whether a visit's finding justifies reopening: the agreement is not (fully) kept, or a
    party is unsatisfied."""
    return performance in TROUBLE_PERFORMANCE or satisfaction is Satisfaction.UNSATISFIED


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class PlannedVisitInfo:
    id: int
    case_id: int
    due_on: date
    reason: str
    term_id: int | None
    visit_id: int | None

    @property
    def done(self) -> bool:
        return self.visit_id is not None


def _plan_info(row: PlannedVisit) -> PlannedVisitInfo:
    return PlannedVisitInfo(row.id, row.case_id, row.due_on, row.reason, row.term_id, row.visit_id)


def _case(session: Session, case_id: int) -> DisputeCase:
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    return case


def first_visit_due(session: Session, case: DisputeCase, calendar: WorkingCalendar | None = None) -> date:
    """The first visit's day: the RETURN_VISIT limit (calendar or working days) after closure."""
    assert case.closed_at is not None
    limit = clocks.limit_for(session, ClockStage.RETURN_VISIT, case.dispute_type_id,
                             clocks.case_department_id(session, case))
    closed = case.closed_at.date()
    if limit.working_days:
        return (calendar or WorkingCalendar.load(session)).add_working_days(closed, limit.days)
    return closed + timedelta(days=limit.days)


def _signed_terms(session: Session, case_id: int) -> list[AgreementTerm]:
    return list(session.scalars(
        select(AgreementTerm).join(Agreement, Agreement.id == AgreementTerm.agreement_id)
        .where(Agreement.case_id == case_id, Agreement.effective_on.is_not(None))
        .order_by(AgreementTerm.due_on, Agreement.id, AgreementTerm.seq)))


def _term_reason(term: AgreementTerm) -> str:
    content = term.content if len(term.content) <= 40 else term.content[:39] + "…"
    return f"协议第{term.seq}项履行期限（{term.due_on:%Y年%m月%d日}）届满：{content}"[:200]


def plan_after_closure(session: Session, case_id: int) -> list[PlannedVisitInfo]:
    """Plan the return visits of a case just closed; returns all of its plans, earliest first.

    Calling it again changes nothing unless the closure moved (then an unanswered first visit
    moves with it, or — when the earlier one was answered — a new one is planned)."""
    case = _case(session, case_id)
    if case.state is not CaseState.CLOSED or case.closed_at is None or case.team_id is None:
        return plans_of(session, case_id)
    existing = list(session.scalars(select(PlannedVisit).where(PlannedVisit.case_id == case_id)))
    due = first_visit_due(session, case)
    firsts = [p for p in existing if p.term_id is None and p.reason == FIRST_VISIT_REASON]
    waiting = next((p for p in firsts if p.visit_id is None), None)
    if waiting is not None:
        waiting.due_on = due
    else:
        # A first visit answered by a visit recorded after this closure counts; one answered
        # before the case was reopened belongs to the earlier closure. (Times are to the second:
        # nobody visits within the second the head approves.)
        answered = [p.visit_id for p in firsts if p.visit_id is not None]
        since = session.scalar(select(ReturnVisit.id).where(
            ReturnVisit.id.in_(answered), ReturnVisit.created_at > case.closed_at).limit(1)) if answered else None
        if since is None:
            session.add(PlannedVisit(case_id=case_id, due_on=due, reason=FIRST_VISIT_REASON))
    closed = case.closed_at.date()
    planned_terms = {p.term_id: p for p in existing if p.term_id is not None}
    for term in _signed_terms(session, case_id):
        term_due = term.due_on + timedelta(days=TERM_GRACE_DAYS)
        plan = planned_terms.get(term.id)
        if plan is not None:
            if plan.visit_id is None and plan.due_on != term_due and term_due > closed:
                plan.due_on = term_due
            continue
        if term_due <= closed:
            continue  # the deadline passed before closure: the first visit checks it
        session.add(PlannedVisit(case_id=case_id, due_on=term_due, reason=_term_reason(term), term_id=term.id))
    session.flush()
    return plans_of(session, case_id)


def plans_of(session: Session, case_id: int) -> list[PlannedVisitInfo]:
    rows = session.scalars(select(PlannedVisit).where(PlannedVisit.case_id == case_id)
                           .order_by(PlannedVisit.due_on, PlannedVisit.id))
    return [_plan_info(r) for r in rows]


# --------------------------------------------------------------------------- recording


@dataclass
class VisitInput:
    visited_on: date | None
    visitor: str
    parties_visited: str
    method: VisitMethod | None
    performance: Performance | None
    satisfaction: Satisfaction | None
    notes: str = ""
    #: A lawsuit a party brought over the dispute after the mediation (blank: none), and its result.
    lawsuit: str = ""
    lawsuit_result: str = ""
    #: 矛盾隐患 the visitor found (blank: none).
    hidden_risks: str = ""


@dataclass(frozen=True)
class VisitInfo:
    id: int
    case_id: int
    visited_on: date
    visitor: str
    parties_visited: str
    method: VisitMethod | None
    performance: Performance | None
    satisfaction: Satisfaction | None
    notes: str
    reopened: bool
    lawsuit: str = ""
    lawsuit_result: str = ""
    hidden_risks: str = ""

    @property
    def shows_trouble(self) -> bool:
        return shows_trouble(self.performance, self.satisfaction)


def _visit_info(row: ReturnVisit) -> VisitInfo:
    return VisitInfo(row.id, row.case_id, row.visited_on, row.visitor, row.parties_visited, row.method,
                     row.performance, row.satisfaction, row.notes, row.reopened, row.lawsuit, row.lawsuit_result,
                     row.hidden_risks)


def _may_visit(actor: Actor, case: DisputeCase) -> bool:
    return permissions.may_access_case(actor, case, permissions.CASEWORK_ROLES)


def _has_agreement(session: Session, case_id: int) -> bool:
    return session.scalar(select(Agreement.id).where(
        Agreement.case_id == case_id, Agreement.effective_on.is_not(None)).limit(1)) is not None


def record_visit(session: Session, actor: Actor, case_id: int, data: VisitInput, *, plan_id: int | None = None,
                 today: date | None = None, expected_visits: int | None = None) -> VisitInfo:
    """Record a return visit; it answers ``plan_id`` and every plan it covers.

    ``expected_visits`` is how many visits the case had when the form was loaded (``0``: none yet):
    a visit recorded meanwhile by another desk — most often the same call entered twice — is a
    ``Conflict`` for the user to compare, not a silent second entry. ``None`` (the command line, the
    demo) checks nothing."""
    case = _case(session, case_id)
    permissions.require_case_access(actor, case, "登记回访", permissions.CASEWORK_ROLES)
    versions.lock_case(session, case_id)  # two desks answering the same plan at once: one waits
    if expected_visits is not None:
        made = len(session.scalars(select(ReturnVisit.id).where(ReturnVisit.case_id == case_id)).all())
        if made != expected_visits:
            raise Conflict(f"案件 {case.number} 其间已由他人登记了回访（现有 {made} 次，"
                           f"打开时为 {expected_visits} 次），本次回访未登记。请核对是否为同一次回访后再决定。")
    if case.state is not CaseState.CLOSED or case.closed_at is None:
        raise InvalidInput("case", f"案件 {case.number} 当前为“{case.state.label}”：回访在结案之后进行。")
    day = today or now().date()
    closed = case.closed_at.date()
    if data.visited_on is None:
        raise InvalidInput("visited_on", "请填写回访日期。")
    if data.visited_on > day:
        raise InvalidInput("visited_on", f"回访日期（{data.visited_on:%Y年%m月%d日}）不能晚于今天。")
    if data.visited_on < closed:
        raise InvalidInput("visited_on", f"回访日期（{data.visited_on:%Y年%m月%d日}）不能早于结案日期"
                                         f"（{closed:%Y年%m月%d日}）。")
    visitor = data.visitor.strip()
    if not visitor:
        raise InvalidInput("visitor", "请填写回访人。")
    if len(visitor) > MAX_VISITOR:
        raise InvalidInput("visitor", f"回访人不能超过 {MAX_VISITOR} 个字。")
    parties = data.parties_visited.strip()
    if not parties:
        raise InvalidInput("parties_visited", "请填写被回访的当事人。")
    if len(parties) > MAX_PARTIES:
        raise InvalidInput("parties_visited", f"被回访当事人不能超过 {MAX_PARTIES} 个字。")
    if data.method is None:
        raise InvalidInput("method", "请选择回访方式（电话回访、上门走访或短信/微信）。")
    agreed = _has_agreement(session, case.id)
    if agreed and data.performance is None:
        raise InvalidInput("performance", "本案有调解协议，请选择协议履行情况（已履行、部分履行或未履行）。")
    if not agreed and data.performance is not None:
        raise InvalidInput("performance", "本案没有生效的调解协议，不填写履行情况。")
    if data.satisfaction is None:
        raise InvalidInput("satisfaction", "请选择当事人对调解结果的评价（满意、基本满意或不满意）。")
    notes = data.notes.strip()
    lawsuit, lawsuit_result = " ".join(data.lawsuit.split()), " ".join(data.lawsuit_result.split())
    hidden_risks = data.hidden_risks.strip()
    for field, label, value, limit in (("lawsuit", "后续诉讼情况", lawsuit, MAX_LAWSUIT),
                                       ("lawsuit_result", "诉讼结果", lawsuit_result, MAX_LAWSUIT),
                                       ("hidden_risks", "矛盾隐患", hidden_risks, MAX_RISKS)):
        if len(value) > limit:
            raise InvalidInput(field, f"{label}不能超过 {limit} 个字（现有 {len(value)} 个字）。")
    if lawsuit_result and not lawsuit:
        raise InvalidInput("lawsuit", "填写了诉讼结果：请先写明当事人提起了什么诉讼（法院、案号或诉讼请求）。")
    if shows_trouble(data.performance, data.satisfaction) and not notes:
        raise InvalidInput("notes", "回访发现协议未（全部）履行或当事人不满意：请在回访情况中写明具体情况"
                                    "和已采取的措施。")
    plans = list(session.scalars(select(PlannedVisit).where(PlannedVisit.case_id == case.id,
                                                            PlannedVisit.visit_id.is_(None))))
    chosen = None
    if plan_id is not None:
        chosen = next((p for p in plans if p.id == plan_id), None)
        if chosen is None:
            raise InvalidInput("plan", "所选的回访计划不属于本案，或已经回访过。")
    row = ReturnVisit(case_id=case.id, visited_on=data.visited_on, visitor=visitor, parties_visited=parties,
                      method=data.method, performance=data.performance, satisfaction=data.satisfaction, notes=notes,
                      lawsuit=lawsuit, lawsuit_result=lawsuit_result, hidden_risks=hidden_risks)
    session.add(row)
    session.flush()
    terms = dict(session.execute(select(AgreementTerm.id, AgreementTerm.due_on).where(
        AgreementTerm.id.in_([p.term_id for p in plans if p.term_id is not None]))).all()) if plans else {}
    answered = []
    for plan in plans:
        covered = plan is chosen or plan.term_id is None or (
            plan.term_id in terms and terms[plan.term_id] <= data.visited_on)
        if covered:
            plan.visit_id = row.id
            answered.append(plan.id)
    finding = "，".join(x for x in (
        data.performance.label if data.performance else "", data.satisfaction.label) if x)
    summary = f"{data.method.label}（{parties}）：{finding}"
    if notes:
        summary += f"。{notes if len(notes) <= 80 else notes[:79] + '…'}"
    session.add(CaseEvent(case_id=case.id, at=now(), user_id=actor.user_id, kind=EventKind.RETURN_VISIT,
                          action="return_visit", note=summary))
    clocks.refresh_clock(session, case)
    session.flush()
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "case.return_visit", "case", case.id,
                 {"visit": row.id, "visited_on": data.visited_on.isoformat(), "method": str(data.method),
                  "performance": str(data.performance or ""), "satisfaction": str(data.satisfaction),
                  "plans": answered})
    return _visit_info(row)


def last_write(session: Session, visit_id: int) -> writers.LastWrite:
    """Who recorded a visit and when (the conflict dialog names them)."""
    row = session.get(ReturnVisit, visit_id)
    if row is None:
        raise NotFound(f"回访记录（编号 {visit_id}）不存在。")
    return writers.last_write(session, row.case_id, "visit", row.id, ("case.return_visit",), row.updated_at)


# --------------------------------------------------------------------------- the case's tab


@dataclass(frozen=True)
class VisitsPage:
    case_id: int
    number: str
    title: str
    state: CaseState
    closed_on: date | None
    #: Whether the case has a signed agreement (performance is asked only then).
    has_agreement: bool
    #: Names of the parties, for "who was visited".
    parties: tuple[str, ...]
    plans: tuple[PlannedVisitInfo, ...]
    visits: tuple[VisitInfo, ...]
    may_record: bool
    #: Whether this user may reopen the case from a visit (the head, on a closed case).
    may_reopen: bool
    #: The first-visit due date the clock runs to when no plan exists (cases closed before
    #: visits were planned); None otherwise.
    clock_due_on: date | None


def visits_page(session: Session, actor: Actor, case_id: int) -> VisitsPage:
    case = permissions.case_for(session, actor, case_id, "查看该案件的回访")
    names = tuple(session.scalars(select(Party.name).where(Party.case_id == case_id).order_by(Party.id)))
    visits = tuple(_visit_info(r) for r in session.scalars(
        select(ReturnVisit).where(ReturnVisit.case_id == case_id).order_by(ReturnVisit.visited_on, ReturnVisit.id)))
    closed = case.state is CaseState.CLOSED and case.closed_at is not None
    return VisitsPage(
        case.id, case.number, case.title, case.state, case.closed_at.date() if closed and case.closed_at else None,
        _has_agreement(session, case_id), names, tuple(plans_of(session, case_id)), visits,
        closed and _may_visit(actor, case), closed and actor.role is Role.HEAD,
        case.clock_due_on if case.clock_stage is ClockStage.RETURN_VISIT else None)


# --------------------------------------------------------------------------- the desk's list


@dataclass(frozen=True)
class DueVisit:
    case_id: int
    number: str
    title: str
    team: str
    due_on: date
    reason: str
    #: Days past due on the day asked (negative: days still to go).
    days_overdue: int
    #: The plan (None for a case closed before visits were planned: its clock stands in).
    plan_id: int | None

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


#: "Closed, its first-visit clock running", written out so that SQLite uses the partial index of
#: migration 0021 (``ix_dispute_case_first_visit``), whose WHERE it must match word for word.
_FIRST_VISIT_RUNS = text("dispute_case.state = 'closed' AND dispute_case.clock_stage = 'return_visit'")
#: And "planned, not yet made" (``ix_planned_visit_open``).
_PLAN_OPEN = text("planned_visit.visit_id IS NULL")
#: Those two indexes, named to SQLite in :func:`_due_sources`.
PLAN_OPEN_INDEX, FIRST_VISIT_INDEX = "ix_planned_visit_open", "ix_dispute_case_first_visit"


def _due_sources(actor: Actor, until: date, *, counting: bool = False) -> tuple[Any, Any]:
    """The planned visits due by ``until`` and the closed cases without a plan whose first visit
    is due by then (``counting``: their due days only, nothing joined that a count does not need)."""
    planned: Any
    unplanned: Any
    if counting:
        planned = (select(PlannedVisit.due_on).join(DisputeCase, DisputeCase.id == PlannedVisit.case_id)
                   .where(_PLAN_OPEN, PlannedVisit.due_on <= until, DisputeCase.state == CaseState.CLOSED))
        unplanned = select(DisputeCase.clock_due_on)
    else:
        planned = (select(PlannedVisit.id, PlannedVisit.case_id, PlannedVisit.due_on, PlannedVisit.reason,
                          DisputeCase.number, DisputeCase.title, Team.name)
                   .join(DisputeCase, DisputeCase.id == PlannedVisit.case_id)
                   .outerjoin(Team, Team.id == DisputeCase.team_id)
                   .where(_PLAN_OPEN, PlannedVisit.due_on <= until, DisputeCase.state == CaseState.CLOSED))
        unplanned = (select(DisputeCase.id, DisputeCase.clock_due_on, DisputeCase.number, DisputeCase.title,
                            Team.name)
                     .outerjoin(Team, Team.id == DisputeCase.team_id))
    # Each source through its partial index, always: without their statistics (a new file, or the
    # demo's, made before its clocks ran) the planner went through the state index instead and read
    # every closed case (the desk's counts: 0.8-1.3 s at a million cases, ~15 ms through these).
    planned = planned.with_hint(PlannedVisit, f"INDEXED BY {PLAN_OPEN_INDEX}", "sqlite")
    # Closed cases whose first-visit clock runs but that have no plan at all (closed before
    # planning existed, or imported): the stored clock says when the visit is due.
    unplanned = unplanned.where(_FIRST_VISIT_RUNS, DisputeCase.clock_due_on <= until,
                                ~select(PlannedVisit.id).where(PlannedVisit.case_id == DisputeCase.id).exists()
                                ).with_hint(DisputeCase, f"INDEXED BY {FIRST_VISIT_INDEX}", "sqlite")
    planned = planned.where(permissions.own_center(actor))
    unplanned = unplanned.where(permissions.own_center(actor))
    if actor.role is Role.MEDIATOR:
        teams = sorted(actor.team_ids)
        planned = planned.where(DisputeCase.team_id.in_(teams))
        unplanned = unplanned.where(DisputeCase.team_id.in_(teams))
    return planned, unplanned


def _check_visitor(actor: Actor) -> None:
    if actor.role not in (Role.HEAD, Role.MEDIATOR):
        raise PermissionDenied(f"“{actor.role.label}”不负责回访。")


def visits_due(session: Session, actor: Actor, today: date | None = None, *,
               horizon_days: int = DUE_SOON_DAYS, limit: int | None = None) -> list[DueVisit]:
    """Visits due by ``today + horizon_days`` and not yet made, earliest first: the head's whole
    center, a mediator the cases of their teams (the first ``limit`` of them)."""
    day = today or now().date()
    _check_visitor(actor)
    planned, unplanned = _due_sources(actor, day + timedelta(days=horizon_days))
    if limit is not None:
        planned = planned.order_by(PlannedVisit.due_on, PlannedVisit.case_id).limit(limit)
        unplanned = unplanned.order_by(DisputeCase.clock_due_on, DisputeCase.id).limit(limit)
    rows = [DueVisit(case_id, number, title, team or "", due_on, reason, (day - due_on).days, plan_id)
            for plan_id, case_id, due_on, reason, number, title, team in session.execute(planned)]
    for case_id, due_on, number, title, team in session.execute(unplanned):
        assert due_on is not None
        rows.append(DueVisit(case_id, number, title, team or "", due_on, FIRST_VISIT_REASON, (day - due_on).days,
                             None))
    rows.sort(key=lambda r: (r.due_on, r.number, r.plan_id or 0))
    return rows if limit is None else rows[:limit]


def count_visits_due(session: Session, actor: Actor, today: date | None = None, *,
                     horizon_days: int = DUE_SOON_DAYS) -> tuple[int, int]:
    """How many of :func:`visits_due` are overdue and how many are due from ``today`` on (the list
    may show only the first of them)."""
    day = today or now().date()
    _check_visitor(actor)
    planned, unplanned = _due_sources(actor, day + timedelta(days=horizon_days), counting=True)
    overdue = soon = 0
    for source, due in ((planned, PlannedVisit.due_on), (unplanned, DisputeCase.clock_due_on)):
        late = func.sum(when((due < day, 1), else_=0))
        counted = session.execute(source.with_only_columns(func.count(), late, maintain_column_froms=True)).one()
        overdue += int(counted[1] or 0)
        soon += int(counted[0] or 0) - int(counted[1] or 0)
    return overdue, soon


# --------------------------------------------------------------------------- reopening


def reopen_from_visit(session: Session, actor: Actor, visit_id: int, reason: str) -> VisitInfo:
    """重新调解: the head reopens a closed case because this visit found the agreement unkept or a
    party unsatisfied. The timeline note names the visit; the visit is marked as having led to it."""
    from . import workflow  # not at import time: the workflow imports this module

    visit = session.get(ReturnVisit, visit_id)
    if visit is None:
        raise NotFound(f"回访记录（编号 {visit_id}）不存在。")
    case = _case(session, visit.case_id)
    if actor.role is not Role.HEAD:
        raise PermissionDenied("只有中心主任可以根据回访情况决定重新调解。")
    if not shows_trouble(visit.performance, visit.satisfaction):
        finding = "，".join(x.label for x in (visit.performance, visit.satisfaction) if x is not None) or "无问题"
        raise InvalidInput("visit", f"{visit.visited_on:%Y年%m月%d日}的回访结果为“{finding}”，没有未履行、部分履行"
                                    "或不满意的情况，不能据此重新调解。")
    if visit.reopened:
        raise InvalidInput("visit", f"案件 {case.number} 已根据{visit.visited_on:%Y年%m月%d日}的回访重新调解过。")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "请填写重新调解的原因。")
    finding = "，".join(x.label for x in (visit.performance, visit.satisfaction) if x is not None)
    note = f"{reason}（依据{visit.visited_on:%Y年%m月%d日}回访记录〔回访编号 {visit.id}〕：{finding}）"
    workflow.transition(session, actor, case.id, workflow.Action.REOPEN, note=note)
    visit.reopened = True
    versions.flush(session, f"案件 {case.number} 刚由他人根据这次回访重新调解，本次未重复操作。")
    changes.note(session, Changes.cases(case.id, list_changed=True))
    audit.record(session, actor, "case.reopen_from_visit", "case", case.id,
                 {"visit": visit.id, "reason": reason, "finding": finding})
    return _visit_info(visit)
