"""回访: planned after closure and at each term's deadline, recorded with what was found, listed
when due, and — when the agreement is not kept — a way back into mediation."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from mediation_desk.db import Database
from mediation_desk.models import (
    CaseState,
    ClockStage,
    DisputeCase,
    EventKind,
    Performance,
    PlannedVisit,
    ReturnVisit,
    Role,
    Satisfaction,
    VisitMethod,
)
from mediation_desk.services import cases, clocks, visits, workflow
from mediation_desk.services.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from mediation_desk.services.visits import VisitInput

from .helpers import BACKENDS, make_team, make_user, seeded_world
from .settled import Settled, close, settled_case


def _visit(**changes: object) -> VisitInput:
    data = VisitInput(visited_on=date.today(), visitor="李建国", parties_visited="张三、李四",
                      method=VisitMethod.PHONE, performance=Performance.PERFORMED,
                      satisfaction=Satisfaction.SATISFIED, notes="")
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def _closed(db: Database) -> Settled:
    s = settled_case(db, term_days=(10, 60))
    close(s)
    return s


@pytest.fixture(params=BACKENDS)
def closed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settled]:
    """A settled case closed, on each backend: the test's own copy of the one built once a worker
    (helpers.seeded_world)."""
    with seeded_world(request, tmp_path, "settled case closed, terms due in 10 and 60 days", _closed) as seeded:
        yield dataclasses.replace(seeded.made, db=seeded.db)


def test_visits_are_planned_after_closure_and_at_each_term(closed: Settled) -> None:
    db, s = closed.db, closed
    with db.write() as session:
        plans = visits.plan_after_closure(session, s.case_id)
    today = date.today()
    assert [(p.due_on, p.term_id is None) for p in plans] == [
        (s.term_dues[0] + timedelta(days=visits.TERM_GRACE_DAYS), False),
        (today + timedelta(days=30), True),
        (s.term_dues[1] + timedelta(days=visits.TERM_GRACE_DAYS), False),
    ]
    assert plans[1].reason == visits.FIRST_VISIT_REASON
    assert plans[0].reason.startswith("协议第1项履行期限") and "拆除院前堆放物" in plans[0].reason
    # Idempotent: the workflow calls it on every approval, a second call adds nothing.
    with db.write() as session:
        again = visits.plan_after_closure(session, s.case_id)
    assert again == plans
    # A configured first-visit limit moves the unanswered first visit.
    with db.write() as session:
        clocks.set_limit(session, s.head, ClockStage.RETURN_VISIT, days=15, working_days=False, yellow_days=3)
        moved = visits.plan_after_closure(session, s.case_id)
        count = len(session.scalars(select(PlannedVisit).where(PlannedVisit.case_id == s.case_id)).all())
    assert [p.due_on for p in moved if p.term_id is None] == [today + timedelta(days=15)]
    assert count == 3


def test_nothing_is_planned_for_an_open_case(db: Database) -> None:
    s = settled_case(db)
    with db.write() as session:
        assert visits.plan_after_closure(session, s.case_id) == []


def test_recording_a_visit_checks_the_input_and_answers_the_plans(closed: Settled) -> None:
    db, s = closed.db, closed
    with db.write() as session:
        plans = visits.plan_after_closure(session, s.case_id)
    today = date.today()

    def refused(data: VisitInput, actor: object = None, **kwargs: object) -> InvalidInput:
        with pytest.raises(InvalidInput) as error, db.write() as session:
            visits.record_visit(session, actor or s.mediator, s.case_id, data, **kwargs)  # type: ignore[arg-type]
        return error.value

    future = refused(_visit(visited_on=today + timedelta(days=1)))
    assert future.field == "visited_on" and "不能晚于今天" in future.message
    early = refused(_visit(visited_on=today - timedelta(days=1)))
    assert early.field == "visited_on" and "不能早于结案日期" in early.message
    assert refused(_visit(visited_on=None)).field == "visited_on"
    assert refused(_visit(visitor=" ")).field == "visitor"
    assert refused(_visit(parties_visited="")).field == "parties_visited"
    assert refused(_visit(method=None)).field == "method"
    assert "履行情况" in refused(_visit(performance=None)).message
    assert refused(_visit(satisfaction=None)).field == "satisfaction"
    unkept = refused(_visit(performance=Performance.NOT_PERFORMED))
    assert unkept.field == "notes" and "写明具体情况" in unkept.message
    assert refused(_visit(), plan_id=10**6).field == "plan"
    with pytest.raises(PermissionDenied), db.write() as session:
        visits.record_visit(session, s.clerk, s.case_id, _visit())

    with db.write() as session:
        done = visits.record_visit(session, s.mediator, s.case_id, _visit(notes="已按约恢复通行"))
    assert not done.shows_trouble
    with db.read() as session:
        page = visits.visits_page(session, s.mediator, s.case_id)
        case = session.get_one(DisputeCase, s.case_id)
        assert case.clock_stage is None  # the first-visit clock stops at the first visit
        events = cases.case_detail(session, s.head, s.case_id).events
    # The first visit answers the closure plan; the terms, not yet due, stay planned.
    answered = {p.id for p in page.plans if p.done}
    assert answered == {plans[1].id}
    assert [v.id for v in page.visits] == [done.id] and page.has_agreement and page.may_record
    assert not page.may_reopen  # a mediator cannot reopen
    last = events[-1]
    assert last.kind is EventKind.RETURN_VISIT
    assert last.note == "电话回访（张三、李四）：已履行，满意。已按约恢复通行"


def test_visits_due_for_the_desk(closed: Settled) -> None:
    db, s = closed.db, closed
    with db.write() as session:
        plans = visits.plan_after_closure(session, s.case_id)
    _team, other = make_team(db, "劳资社保调解团队", "赵敏")
    outsider = make_user(db, "outsider", Role.MEDIATOR, mediator_id=other)
    first_term = plans[0]
    day = first_term.due_on + timedelta(days=4)
    with db.read() as session:
        due = visits.visits_due(session, s.mediator, day)
        assert visits.visits_due(session, outsider, day) == []
        assert visits.visits_due(session, s.head, day) == due
        with pytest.raises(PermissionDenied):
            visits.visits_due(session, s.clerk, day)
        # Before anything is near, the list is empty.
        assert visits.visits_due(session, s.head, date.today()) == []
    assert [(d.plan_id, d.days_overdue, d.number) for d in due][:1] == [(first_term.id, 4, due[0].number)]
    assert due[0].overdue and due[0].reason == first_term.reason
    # The first visit after closure (30 days) falls due within the week's horizon of that day.
    assert sorted(d.due_on for d in due) == [d.due_on for d in due]
    # Once visited after the term's deadline, the term's plan is answered and leaves the list.
    with db.write() as session:
        visits.record_visit(session, s.mediator, s.case_id, _visit(), plan_id=first_term.id, today=day)
    with db.read() as session:
        left = visits.visits_due(session, s.head, day)
    assert first_term.id not in {d.plan_id for d in left}


def test_a_case_closed_without_plans_is_due_by_its_clock(closed: Settled) -> None:
    db, s = closed.db, closed
    with db.write() as session:  # closed before the closure planned visits (older data)
        session.execute(delete(PlannedVisit).where(PlannedVisit.case_id == s.case_id))
    with db.read() as session:
        due_on = session.get_one(DisputeCase, s.case_id).clock_due_on
        [row] = visits.visits_due(session, s.head, date.today() + timedelta(days=31))
    assert (row.plan_id, row.due_on, row.days_overdue) == (None, due_on, 1)


def test_an_unkept_agreement_reopens_the_case(closed: Settled) -> None:
    db, s = closed.db, closed
    with db.write() as session:
        visits.plan_after_closure(session, s.case_id)
        fine = visits.record_visit(session, s.mediator, s.case_id, _visit(satisfaction=Satisfaction.FAIRLY))
        unkept = visits.record_visit(session, s.mediator, s.case_id, _visit(
            method=VisitMethod.VISIT, performance=Performance.NOT_PERFORMED, satisfaction=Satisfaction.UNSATISFIED,
            notes="被申请人至今未拆除堆放物，申请人情绪激动"))
    assert unkept.shows_trouble and not fine.shows_trouble
    with pytest.raises(InvalidInput, match="不能据此重新调解"), db.write() as session:
        visits.reopen_from_visit(session, s.head, fine.id, "再调一次")
    with pytest.raises(PermissionDenied), db.write() as session:
        visits.reopen_from_visit(session, s.mediator, unkept.id, "协议未履行")
    with pytest.raises(InvalidInput, match="重新调解的原因") as no_reason, db.write() as session:
        visits.reopen_from_visit(session, s.head, unkept.id, "  ")
    assert no_reason.value.field == "reason"

    with db.write() as session:
        reopened = visits.reopen_from_visit(session, s.head, unkept.id, "协议未履行，组织双方重新调解")
    assert reopened.reopened
    with db.read() as session:
        detail = cases.case_detail(session, s.head, s.case_id)
        stored = session.get_one(ReturnVisit, unkept.id)
        page = visits.visits_page(session, s.head, s.case_id)
    assert detail.state is CaseState.IN_MEDIATION and detail.closed_at is None
    event = detail.events[-1]
    assert event.action == "reopen" and event.from_state is CaseState.CLOSED
    assert event.note.startswith("协议未履行，组织双方重新调解（依据")
    assert f"回访编号 {unkept.id}" in event.note and "未履行，不满意" in event.note
    assert stored.reopened and not page.may_record and not page.may_reopen
    with pytest.raises(InvalidInput, match="已根据"), db.write() as session:
        visits.reopen_from_visit(session, s.head, unkept.id, "再次")
    with pytest.raises(InvalidInput, match="结案之后"), db.write() as session:
        visits.record_visit(session, s.mediator, s.case_id, _visit())

    # Mediated again and closed again: a fresh first visit is planned, the old answers stay.
    with db.write() as session:
        workflow.transition(session, s.mediator, s.case_id, workflow.Action.SUCCEED, note="重新达成一致")
    close(s)
    with db.write() as session:
        plans = visits.plan_after_closure(session, s.case_id)
    firsts = [p for p in plans if p.term_id is None]
    assert len(firsts) == 2 and firsts[0].done and not firsts[1].done


def test_reopening_needs_a_closed_case(db: Database) -> None:
    s = settled_case(db)
    close(s)
    with db.write() as session:
        bad = visits.record_visit(session, s.head, s.case_id, _visit(performance=Performance.PARTLY,
                                                                      notes="赔偿款只付了一半"))
        visits.reopen_from_visit(session, s.head, bad.id, "赔偿款未付清")
    with db.write() as session:
        # Mark another troubled visit on the now reopened case (as an import might): no second reopen.
        session.add(ReturnVisit(case_id=s.case_id, visited_on=date.today(), visitor="x", parties_visited="y",
                                performance=Performance.NOT_PERFORMED, satisfaction=Satisfaction.UNSATISFIED))
    with db.read() as session:
        other = session.scalars(select(ReturnVisit.id).where(ReturnVisit.reopened.is_(False))).one()
    with pytest.raises(TransitionNotAllowed, match="调解中"), db.write() as session:
        visits.reopen_from_visit(session, s.head, other, "再开")
