"""services.pages for the desk, the visits due, the calendar and the sign-in dialog: what each
page holds, and what the actor may do there, decided by role before any screen sees it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mediation_desk import demo, settings
from mediation_desk.db import Database
from mediation_desk.models import ClockColour, ClockStage, Role
from mediation_desk.services import calendar, center, clocks, pages, supervision, visits
from mediation_desk.services.actor import Actor

from .helpers import dispute_type_id, make_team, make_user, register
from .settled import Settled, close, settled_case

DAY = date(2026, 3, 11)


def _actor(db: Database, role: Role) -> Actor:
    mediator_id = make_team(db)[1] if role is Role.MEDIATOR else None
    return make_user(db, f"user_{role.value}", role, mediator_id=mediator_id)


# (due list, orders list, diversions list, may answer, may list answered, may record feedback)
DESKS = {
    Role.INTAKE: (False, False, True, False, False, True),
    Role.MEDIATOR: (True, True, False, True, False, False),
    Role.HEAD: (True, True, True, False, True, True),
    Role.ADMIN: (False, False, False, False, False, False),
}


@pytest.mark.parametrize("role", list(DESKS))
def test_the_desk_shows_each_role_its_lists_and_rights(db: Database, role: Role) -> None:
    actor = _actor(db, role)
    with db.read() as session:
        page = pages.desk_page(session, actor, DAY)
    shown = (page.due is not None, page.orders is not None, page.awaiting is not None)
    assert (*shown, page.may_answer, page.may_list_answered, page.may_record_feedback) == DESKS[role]
    assert page.today == DAY
    assert pages.has_desk(actor) is (role is not Role.ADMIN)
    assert pages.shows_visits(actor) is (role in (Role.HEAD, Role.MEDIATOR))


def test_the_desk_lists_what_is_due_by_the_day_it_is_read_for(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    case_id = register(db, clerk, received_at=datetime(2026, 3, 2, 9, 0))
    with db.read() as session:
        on_time = pages.desk_page(session, head, date(2026, 3, 2))
        late = pages.desk_page(session, head, DAY)
    assert on_time.due == ()
    assert late.due is not None
    assert [(d.case_id, d.colour) for d in late.due] == [(case_id, ClockColour.RED)]


def test_the_due_soon_count_is_the_databases_not_the_lists(db: Database) -> None:
    """The due list stops at its first rows; its yellow count is counted whole, on the same day."""
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    case_id = register(db, clerk, received_at=datetime(2026, 3, 2, 9, 0))
    with db.read() as session:
        clock = clocks.case_clock(session, case_id)
        assert clock is not None and clock.warn_on is not None
        warned = pages.desk_page(session, head, clock.warn_on)
        late = pages.desk_page(session, head, DAY)
        before = pages.desk_page(session, head, clock.warn_on - timedelta(days=1))
    assert [(d.case_id, d.colour) for d in warned.due or ()] == [(case_id, ClockColour.YELLOW)]
    assert (warned.due_soon, late.due_soon, before.due_soon) == (1, 0, 0)
    with db.read() as session:
        assert pages.desk_page(session, head, clock.warn_on, lists=False).due_soon is None  # not read yet


def test_answered_orders_are_listed_only_when_asked(db: Database) -> None:
    s = settled_case(db)
    with db.write() as session:
        answered = supervision.issue(session, s.head, s.case_id, instruction="三日内联系双方", due_on=None)
        waiting = supervision.issue(session, s.head, s.case_id, instruction="报送履行情况", due_on=None)
        supervision.answer(session, s.mediator, answered.id, "已电话联系双方")
    with db.read() as session:
        open_only = pages.desk_page(session, s.head, DAY)
        everything = pages.desk_page(session, s.head, DAY, answered_orders=True)
        mediator = pages.desk_page(session, s.mediator, DAY)
    assert open_only.orders is not None and everything.orders is not None and mediator.orders is not None
    assert [o.id for o in open_only.orders] == [waiting.id]
    assert {o.id for o in everything.orders} == {answered.id, waiting.id}
    assert [o.id for o in mediator.orders] == [waiting.id] and mediator.may_answer


@pytest.fixture
def closed(db: Database) -> Settled:
    s = settled_case(db, term_days=(10, 60))
    close(s)
    return s


def test_visits_due_page_is_the_desks_list_and_empty_for_roles_without_it(closed: Settled) -> None:
    db, s = closed.db, closed
    with db.write() as session:
        plans = visits.plan_after_closure(session, s.case_id)
    day = plans[0].due_on + timedelta(days=4)
    with db.read() as session:
        mediator = pages.visits_due_page(session, s.mediator, day)
        head = pages.visits_due_page(session, s.head, day)
        clerk = pages.visits_due_page(session, s.clerk, day)  # visits.visits_due would refuse the clerk
        expected = tuple(visits.visits_due(session, s.mediator, day))
    assert mediator.today == day and mediator.rows == expected and expected
    assert head.rows == expected
    assert clerk.rows == ()


# (may edit holidays, may edit limits)
CALENDARS = {
    Role.ADMIN: (True, True),
    Role.HEAD: (False, True),
    Role.MEDIATOR: (False, False),
    Role.INTAKE: (False, False),
}


@pytest.mark.parametrize("role", list(CALENDARS))
def test_the_calendar_says_who_may_change_it(db: Database, role: Role) -> None:
    actor = _actor(db, role)
    with db.read() as session:
        year = pages.calendar_page(session, actor, 2026, DAY)
        limits = pages.limits_page(session, actor, None)
    assert (year.may_edit_holidays, year.may_edit_limits) == CALENDARS[role]
    assert limits.may_edit == CALENDARS[role][1]
    assert (pages.may_edit_holidays(actor), pages.may_edit_limits(actor)) == CALENDARS[role]


def test_the_calendar_page_holds_the_years_entries_and_the_uncovered_years(db: Database, admin: Actor) -> None:
    far = max(calendar.LIBRARY_YEARS) + 2
    with db.write() as session:
        calendar.set_entry(session, admin, date(far, 1, 1), is_workday=False, name="元旦")
    with db.read() as session:
        entered = pages.calendar_page(session, admin, far, date(far, 6, 1))
        known = pages.calendar_page(session, admin, 2026, DAY)
    assert entered.year == far and entered.source == "table"
    assert [(e.day, e.name) for e in entered.entries] == [(date(far, 1, 1), "元旦")]
    assert entered.uncovered == (far + 1,)  # the current year is in the table now, the next is not
    assert known.source == "library"
    assert known.uncovered == tuple(year for year in (2026, 2027) if year not in calendar.LIBRARY_YEARS)
    assert "邻里" in {choice.name for choice in known.dispute_types}


def test_the_limits_page_shows_a_types_limit_beside_the_general_one(db: Database, admin: Actor) -> None:
    type_id = dispute_type_id(db)
    with db.write() as session:
        clocks.set_limit(session, admin, ClockStage.MEDIATION, days=45, working_days=False, yellow_days=5,
                         dispute_type_id=type_id)
    with db.read() as session:
        general = pages.limits_page(session, admin, None)
        for_type = pages.limits_page(session, admin, type_id)
    assert [row.stage for row in general.rows] == list(ClockStage)
    assert general.dispute_type_id is None and not any(row.for_type for row in general.rows)
    mediation = next(row for row in for_type.rows if row.stage is ClockStage.MEDIATION)
    assert for_type.dispute_type_id == type_id and mediation.for_type
    assert mediation.limit.days == 45 and mediation.general == clocks.DEFAULT_LIMITS[ClockStage.MEDIATION]


def test_the_sign_in_page_names_the_center_and_the_demo_accounts(db: Database) -> None:
    with db.read() as session:
        plain = pages.center_info(session)
    assert plain == pages.CenterInfo(settings.CENTER_NAME.default, False)
    with db.write() as session:
        center.put(session, settings.CENTER_NAME, "甘州区矛盾纠纷调处中心")
        center.put(session, settings.IS_DEMO, True)
    with db.read() as session:
        shown = pages.center_info(session)
    assert shown.name == "甘州区矛盾纠纷调处中心" and shown.is_demo
    assert shown.demo_accounts == tuple((user, role) for user, _name, role in demo.DEMO_USERS)
    assert shown.demo_password == demo.DEMO_PASSWORD
