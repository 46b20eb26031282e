"""The 三率 as ``services.hotline.rates`` counted them before migration 0046 (main at 2ffdcd8): every
candidate order's facts read from the case's rows (its last ending and last visit by correlated
subqueries) and worked out order by order in Python. Kept verbatim as the recount the kept
columns' figures are tested equal to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import case, func, select, true, union
from sqlalchemy.orm import Session, aliased

from mediation_desk.models import CaseEvent, CaseState, DisputeCase, HotlineOrder, ReturnVisit, Satisfaction, now
from mediation_desk.readmodels.hotline import HotlineRate, HotlineRates, LimitState
from mediation_desk.readmodels.statistics import Outcome
from mediation_desk.services import permissions, statistics
from mediation_desk.services.actor import Actor
from mediation_desk.services.calendar import WorkingCalendar
from mediation_desk.services.hotline import (
    _ENDINGS,
    _GOOD,
    _OPEN_HANDLING,
    RATE_READERS,
    RESOLUTION_FORMULA,
    RESPONSE_FORMULA,
    SATISFACTION_FORMULA,
    _bounds,
    _Limits,
    weights,
)


def rates_from_rows(session: Session, actor: Actor, start: date, end: date, *,
          center_id: int | None = None, today: date | None = None) -> HotlineRates | None:
    """The 三率 of the orders of ``start`` … ``end`` (both included) the actor reads (only those of
    ``center_id`` among them, if given); None where the actor reads no case rows (the
    administrator on a center server)."""
    permissions.require_role(actor, RATE_READERS, "查看 12345 三率")
    if permissions.case_rows_hidden(session, actor):
        return None
    w_response, w_resolution, w_satisfaction = weights(session)
    low, high = _bounds(start, end)
    # The cases the figures count (statistics.counted_centers): the centers the actor reads, or one.
    centers = statistics.counted_centers(actor, center_id)
    visible = true() if centers is None else DisputeCase.center_id.in_(sorted(centers))
    received = select(HotlineOrder.case_id).where(HotlineOrder.received_at >= low, HotlineOrder.received_at < high)
    ended = (select(CaseEvent.case_id).join(HotlineOrder, HotlineOrder.case_id == CaseEvent.case_id)
             .where(CaseEvent.action.in_(_ENDINGS), CaseEvent.at >= low, CaseEvent.at < high))
    visited = (select(ReturnVisit.case_id).join(HotlineOrder, HotlineOrder.case_id == ReturnVisit.case_id)
               .where(ReturnVisit.visited_on >= start, ReturnVisit.visited_on <= end,
                      ReturnVisit.satisfaction.is_not(None)))
    candidates = union(received, ended, visited).subquery()
    day = today or now().date()
    limits = _Limits(WorkingCalendar.load(session), {})
    n_got = n_responded = n_closed = n_resolved = n_rated = n_good = late = 0
    for (received_at, contacted_at, stored_state, consultation, type_id, last_action, last_at, visited_on,
         satisfaction) in _rate_facts(session, candidates, visible):
        # The facts of load_orders, as HotlineOrderFacts holds them (its closing: the case's last
        # ending unless the case is being handled again; its visit: the last rated one).
        handled_again = CaseState(stored_state) in _OPEN_HANDLING
        action, ended_at = (None, None) if handled_again else (last_action, last_at)
        if low <= received_at < high:
            received = received_at.date()
            contact = LimitState("联系", limits.contact_due(received), contacted_at)
            closing = LimitState("办结", limits.close_due(session, received, bool(consultation), type_id), ended_at)
            n_got += 1
            n_responded += bool(contact.on_time)
            late += contact.overdue(day) or closing.overdue(day)
        if ended_at is not None and low <= ended_at < high:
            n_closed += 1
            n_resolved += action == Outcome.SUCCEEDED.value
        if satisfaction is not None and visited_on is not None and start <= visited_on <= end:
            n_rated += 1
            n_good += Satisfaction(satisfaction).value in _GOOD
    return HotlineRates(
        start, end,
        HotlineRate("响应率", RESPONSE_FORMULA, n_responded, n_got, w_response),
        HotlineRate("解决率", RESOLUTION_FORMULA, n_resolved, n_closed, w_resolution),
        HotlineRate("满意率", SATISFACTION_FORMULA, n_good, n_rated, w_satisfaction),
        late, day,
    )


def _rate_facts(session: Session, candidates: Any, visible: Any) -> Iterable[Any]:
    """What the 三率 read of each order among ``candidates`` (case ids) whose case is ``visible``, in
    one query: the order's received and contact moments, the case's state, kind and type, its last
    ending (action, moment) and its last visit by load_orders' order (a rated one first, then the
    day, then the id: its day and satisfaction)."""
    ending, visit = aliased(CaseEvent), aliased(ReturnVisit)
    last_ending = (select(func.max(CaseEvent.id))
                   .where(CaseEvent.case_id == HotlineOrder.case_id, CaseEvent.action.in_(_ENDINGS))
                   .correlate(HotlineOrder).scalar_subquery())
    rated_first = case((ReturnVisit.satisfaction.is_(None), 0), else_=1)
    last_visit = (select(ReturnVisit.id).where(ReturnVisit.case_id == HotlineOrder.case_id)
                  .order_by(rated_first.desc(), ReturnVisit.visited_on.desc(), ReturnVisit.id.desc()).limit(1)
                  .correlate(HotlineOrder).scalar_subquery())
    return session.execute(
        select(HotlineOrder.received_at, HotlineOrder.contacted_at, DisputeCase.state, DisputeCase.is_consultation,
               DisputeCase.dispute_type_id, ending.action, ending.at, visit.visited_on, visit.satisfaction)
        .join(DisputeCase, DisputeCase.id == HotlineOrder.case_id)
        .outerjoin(ending, ending.id == last_ending)
        .outerjoin(visit, visit.id == last_visit)
        .where(HotlineOrder.case_id.in_(select(candidates.c[0])), visible))


