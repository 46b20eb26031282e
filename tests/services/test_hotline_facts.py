"""The 三率 from the orders' kept facts (migration 0046) equal the full recount from the rows (the
code before it, ``hotline_reference.rates_from_rows``) whatever is written: contacts, received
times, endings added, moved and deleted, states, visits added, changed and deleted, a case's type
and kind, orders written by raw SQL, a holiday added or removed, a limit set per type; any
period (a month, a quarter, a year, more than a year), any today; a case moved to another
center; on both backends."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import DateTime, bindparam, delete, select, text, update

from mediation_desk.db import Database
from mediation_desk.models import (
    CaseEvent,
    CaseState,
    Center,
    CenterLevel,
    ClockStage,
    DisputeCase,
    DisputeType,
    EventKind,
    HotlineOrder,
    ReturnVisit,
    Satisfaction,
    VisitMethod,
)
from mediation_desk.services import calendar, clocks, hotline, hotline_facts
from mediation_desk.services.actor import Actor

from .hotline_reference import rates_from_rows
from .test_hotline import World

pytestmark = pytest.mark.story_day("2026-11-30T10:00")

_MOMENTS = (None, datetime(2026, 10, 30, 23, 59), datetime(2026, 11, 1, 0, 0), datetime(2026, 11, 3, 9, 0),
            datetime(2026, 11, 4, 18, 0), datetime(2026, 11, 6, 23, 59, 59), datetime(2026, 11, 16, 8, 0),
            datetime(2026, 11, 30, 23, 59), datetime(2026, 12, 1, 0, 0), datetime(2026, 12, 31, 12, 0),
            datetime(2027, 1, 4, 9, 0))
_PERIODS = ((date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 11, 3), date(2026, 11, 16)),
            (date(2026, 10, 1), date(2026, 12, 31)), (date(2026, 1, 1), date(2026, 12, 31)),
            (date(2025, 12, 1), date(2027, 2, 28)), (date(2026, 12, 1), date(2026, 12, 31)))
_TODAYS = (date(2026, 11, 3), date(2026, 11, 5), date(2026, 11, 20), date(2026, 11, 30), date(2027, 3, 1))
_HOLIDAY_DAYS = (date(2026, 11, 4), date(2026, 11, 5), date(2026, 11, 9), date(2026, 11, 20), date(2026, 12, 1))
_STATES = ("registered", "accepted", "in_mediation", "closed", "rejected", "succeeded", "failed")
_KINDS = ("contact", "received", "end", "unend", "move_end", "state", "visit", "revisit", "unvisit", "type",
          "kind", "holiday", "limit", "order", "center")


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    return World(db, tmp_path)


def _figures(rates: object) -> tuple[object, ...]:
    assert rates is not None
    return (tuple((r.numerator, r.denominator, r.weight) for r in rates.rates),  # type: ignore[attr-defined]
            rates.late, rates.today)  # type: ignore[attr-defined]


def _write(world: World, admin: Actor, kind: str, pick: int, value: int) -> None:
    moment = _MOMENTS[value % len(_MOMENTS)]
    with world.db.write() as session:
        order_ids = list(session.scalars(select(HotlineOrder.case_id).order_by(HotlineOrder.case_id)))
        case_id = order_ids[pick % len(order_ids)]
        if kind == "contact":
            session.execute(update(HotlineOrder).where(HotlineOrder.case_id == case_id).values(contacted_at=moment))
        elif kind == "received" and moment is not None:
            session.execute(update(HotlineOrder).where(HotlineOrder.case_id == case_id).values(received_at=moment))
        elif kind == "end" and moment is not None:
            session.add(CaseEvent(case_id=case_id, at=moment, kind=EventKind.TRANSITION,
                                  action=("succeed", "fail", "withdraw", "reject", "divert", "accept")[value % 6]))
        elif kind in ("unend", "move_end"):
            last = session.scalar(select(CaseEvent.id).where(
                CaseEvent.case_id == case_id, CaseEvent.action.in_(("succeed", "fail", "withdraw", "reject", "divert")))
                .order_by(CaseEvent.id.desc()).limit(1))
            if last is not None and kind == "unend":
                session.execute(delete(CaseEvent).where(CaseEvent.id == last))
            elif last is not None:  # moved in time, or no longer an ending at all
                session.execute(update(CaseEvent).where(CaseEvent.id == last).values(
                    at=moment or datetime(2026, 11, 2), action="note" if value % 4 == 0 else "succeed"))
        elif kind == "state":
            session.execute(update(DisputeCase).where(DisputeCase.id == case_id)
                            .values(state=CaseState(_STATES[value % len(_STATES)])))
        elif kind == "visit":
            session.add(ReturnVisit(case_id=case_id, visited_on=(moment or datetime(2026, 11, 30)).date(),
                                    visitor="李建国", method=VisitMethod.PHONE, satisfaction=None if value % 5 == 0
                                    else list(Satisfaction)[value % len(Satisfaction)]))
        elif kind in ("revisit", "unvisit"):
            visit = session.scalar(select(ReturnVisit.id).where(ReturnVisit.case_id == case_id)
                                   .order_by(ReturnVisit.id).limit(1))
            if visit is not None and kind == "unvisit":
                session.execute(delete(ReturnVisit).where(ReturnVisit.id == visit))
            elif visit is not None:
                session.execute(update(ReturnVisit).where(ReturnVisit.id == visit).values(
                    visited_on=(moment or datetime(2026, 11, 15)).date(),
                    satisfaction=None if value % 3 == 0 else list(Satisfaction)[value % len(Satisfaction)]))
        elif kind == "type":
            types = list(session.scalars(select(DisputeType.id).order_by(DisputeType.id)))
            session.execute(update(DisputeCase).where(DisputeCase.id == case_id)
                            .values(dispute_type_id=types[value % len(types)]))
        elif kind == "kind":
            session.execute(update(DisputeCase).where(DisputeCase.id == case_id).values(is_consultation=value % 2 == 0))
        elif kind == "holiday":  # the calendar edited: every deadline over the day moves
            day = _HOLIDAY_DAYS[value % len(_HOLIDAY_DAYS)]
            entries = {e.day for e in calendar.list_entries(session, day.year)}
            if day in entries:
                calendar.remove_entry(session, admin, day)
            elif day.weekday() < 5:
                calendar.set_entry(session, admin, day, is_workday=False, name="测试假日")
        elif kind == "limit":  # a closing limit for every type or one type, in working or calendar days
            types = list(session.scalars(select(DisputeType.id).order_by(DisputeType.id)))
            stage = (ClockStage.HOTLINE_REQUEST, ClockStage.HOTLINE_CONSULTATION)[value % 2]
            days = 1 + value % 25
            clocks.set_limit(session, admin, stage, days=days, working_days=value % 3 != 0, yellow_days=0,
                             dispute_type_id=None if value % 5 == 0 else types[value % len(types)])
        elif kind == "center":  # moved to another center (one the head does not read) or back
            other = session.scalar(select(Center.id).where(Center.name == "测试乡镇中心"))
            if other is None:
                township = Center(name="测试乡镇中心", level=CenterLevel.TOWNSHIP, parent_id=None, prefix="CS")
                session.add(township)
                session.flush()
                other = township.id
            session.execute(update(DisputeCase).where(DisputeCase.id == case_id)
                            .values(center_id=other if value % 2 else world.head.center_id))
        elif kind == "order":  # an order written by raw SQL (as the bench seeds them) on a case without one
            spare = session.scalar(select(DisputeCase.id).where(DisputeCase.id.not_in(order_ids))
                                   .order_by(DisputeCase.id).limit(1))
            if spare is not None:
                session.execute(text(  # the times in the app's stored form (typed parameters)
                    "INSERT INTO hotline_order (case_id, order_no, type_code, received_at, contacted_at, "
                    "contact_note, created_at, updated_at) VALUES (:c, :no, '', :r, :k, '', :r, :r)")
                    .bindparams(bindparam("r", type_=DateTime), bindparam("k", type_=DateTime)),
                    {"c": spare, "no": f"RAW{spare}", "r": moment or datetime(2026, 11, 5, 9, 0),
                     "k": _MOMENTS[(value // 7) % len(_MOMENTS)]})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(_KINDS), st.integers(0, 4), st.integers(0, 1000)), max_size=10),
       today=st.sampled_from(_TODAYS))
def test_the_kept_three_rates_equal_the_recount_from_the_rows(
        world: World, admin: Actor, changes: list[tuple[str, int, int]], today: date) -> None:
    if not getattr(world, "worked", False):  # the examples share the world: worked once, then changed
        world.work()
        world.worked = True  # type: ignore[attr-defined]
    for kind, pick, value in changes:
        _write(world, admin, kind, pick, value)
    with world.db.write() as session:  # the recount in a savepoint, rolled back
        assert hotline_facts.kept(session) == hotline_facts.recounted(session)
    with world.db.read() as session:
        for start, end in _PERIODS:
            for center_id in (None, world.head.center_id):
                assert _figures(hotline.rates(session, world.head, start, end, center_id=center_id, today=today)) \
                    == _figures(rates_from_rows(session, world.head, start, end, center_id=center_id,
                                                today=today)), (start, end, center_id, changes)


def test_the_triggers_count_the_states_and_ratings_the_figures_do() -> None:
    assert set(hotline_facts.HANDLED_AGAIN) == {s.value for s in hotline._OPEN_HANDLING}
    assert set(hotline_facts.GOOD) == set(hotline._GOOD)


def test_a_holiday_moves_the_deadlines_of_orders_already_counted(world: World, admin: Actor) -> None:
    """GD002 (received Fri 11-06, contacted Wed 11-11) is contacted late: due Tue 11-10. With
    11-09 and 11-10 made holidays it is due Thu 11-12: in time. Removing them brings it back."""
    world.work()
    start, end, day = date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30)

    def responded() -> int:
        with world.db.read() as session:
            got = hotline.rates(session, world.head, start, end, today=day)
            assert _figures(got) == _figures(rates_from_rows(session, world.head, start, end, today=day))
            assert got is not None
            return got.response.numerator

    before = responded()
    with world.db.write() as session:
        for holiday in (date(2026, 11, 9), date(2026, 11, 10)):
            calendar.set_entry(session, admin, holiday, is_workday=False, name="测试假日")
    assert responded() == before + 1
    with world.db.write() as session:
        for holiday in (date(2026, 11, 9), date(2026, 11, 10)):
            calendar.remove_entry(session, admin, holiday)
    assert responded() == before
