"""The demo shows every feature (issues 21 and 23): 12345 orders with their 三率, the counter's
好差评, the risk briefing's repeat parties, group disputes, 民转刑 flag, overdue and carded cases in
the last complete month and the current one, and crossings with deadlines in red, yellow and green,
a 回退 and a 联办 with its 反馈 (mediation_desk/demo/loop.py, docs/demo.md).

The demo is built once, on a fixed day (the middle of a month, so both months have data), with its
two townships, as ``mediation-desk demo`` builds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.demo import loop
from mediation_desk.models import (
    AuditEntry,
    CaseCrossing,
    CaseEvent,
    ClockColour,
    CrossingKind,
    DisputeCase,
    HotlineOrder,
    RiskLevel,
    ServiceRating,
    now,
)
from mediation_desk.services import briefing, crossings, hotline, ratings

from .conftest import login_as

pytestmark = pytest.mark.story_day("2026-11-18T15:00")
DAY = date(2026, 11, 18)
LAST, THIS = "2026-10", "2026-11"
CASES, TOWNSHIP_CASES = 300, 10


def _build(path: Path, template: Path, seed_value: int = 2026) -> Database:
    import shutil

    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    with db.write() as session:
        summary = demo.seed(session, CASES, seed_value=seed_value, township_cases=TOWNSHIP_CASES, loop=True)
    assert summary.loop is not None
    return db


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Database]:
    db = _build(tmp_path_factory.mktemp("loop") / "demo.sqlite3", sqlite_template)
    yield db
    db.dispose()


def test_the_orders_have_the_three_rates_in_both_months_and_this_months_are_worked_through_the_service(
        county: Database) -> None:
    head = login_as(county, "head")
    with county.read() as session:
        orders = session.scalar(select(func.count()).select_from(HotlineOrder))
        assert orders and orders > 30
        for start, end in ((date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 11, 1), DAY)):
            got = hotline.rates(session, head, start, end, today=DAY)
            assert got is not None
            response, resolution, _satisfaction = got.rates
            assert response.denominator > 0, start  # orders received in the month
            assert resolution.denominator > 0, start  # and some closed in it
        # This month's 签收 and 首次联系 went through the service: audited and on the timeline.
        signed = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "hotline.sign"))
        noted = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "hotline_contact"))
        assert signed and noted
        # Nothing is signed before it was received, nor contacted before it was signed.
        rows = session.execute(select(HotlineOrder.received_at, HotlineOrder.signed_at,
                                      HotlineOrder.contacted_at)).all()
        assert all(s is None or s >= r for r, s, _ in rows)
        assert all(c is None or (s is not None and c >= s) for _, s, c in rows)
        assert any(s is None for _, s, _ in rows), "the newest orders wait for the desk"
        # The return file reads them back.
        back = hotline.return_file(session, login_as(county, "clerk"), since=datetime(2026, 10, 1))
        assert len(back.orders) >= 5 and all(o.order_no.startswith("ZY12345-") for o in back.orders)


def test_the_counter_ratings_are_in_both_months_with_a_bad_one_and_its_reason(county: Database) -> None:
    head = login_as(county, "head")
    with county.read() as session:
        last = ratings.figures(session, head, date(2026, 10, 1), date(2026, 10, 31))
        this = ratings.figures(session, head, date(2026, 11, 1), DAY)
        assert last is not None and this is not None
        assert last.total.rated > 5 and this.total.rated > 3
        bad = session.scalars(select(ServiceRating).where(ServiceRating.rating.in_(["unsatisfied",
                                                                                   "very_unsatisfied"]))).all()
        assert bad and all(r.reasons for r in bad)


def test_the_briefing_has_something_real_in_each_section_of_both_months(county: Database) -> None:
    head = login_as(county, "head")
    with county.read() as session:
        last = briefing.load(session, head, LAST, today=DAY)
        this = briefing.load(session, head, THIS, today=DAY)
    for month in (last, this):
        assert month.received.value > 0
        assert month.repeat_parties and month.repeat_places
        assert month.criminal.value >= 1
        assert month.overdue.value >= 1
        assert month.carded.value >= 1, month.month
        assert month.hotline.this.value >= 1 or month is this
        assert any(case.proposed is RiskLevel.RED for case in month.cases), month.month
    bands = {name: count.value for name, count in last.group_bands}
    assert bands["50–100人"] >= 1
    assert dict((n, c.value) for n, c in this.group_bands)["101–500人"] >= 1
    # One applicant came three times within the 90 days that end this month.
    assert this.repeat_parties[0].cases.value >= 3


def test_the_crossings_show_red_yellow_green_a_return_and_a_co_handling_with_feedback(county: Database) -> None:
    clerk = login_as(county, "clerk")
    with county.read() as session:
        rows = crossings.center_list(session, clerk, today=DAY, open_only=False)
        kinds = {r.crossing.kind for r in rows}
        assert {CrossingKind.REPORT_UP, CrossingKind.ASSIGN_DOWN, CrossingKind.RETURN, CrossingKind.CO_HANDLE,
                CrossingKind.FEEDBACK} <= kinds
        colours = {r.colour for r in rows if r.crossing.open and r.crossing.kind is CrossingKind.ASSIGN_DOWN}
        assert {ClockColour.RED, ClockColour.YELLOW, ClockColour.GREEN} <= colours
        co = [r for r in rows if r.crossing.kind is CrossingKind.CO_HANDLE]
        assert {r.crossing.open for r in co} == {True, False}, "one township answered, one not yet"
        assert any(r.incoming for r in rows if r.crossing.kind is CrossingKind.REPORT_UP)
    township = login_as(county, "ljd_clerk")
    with county.read() as session:
        assert crossings.center_list(session, township, today=DAY), "the township's desk lists its steps too"


def test_the_same_seed_gives_the_same_loop(county: Database, tmp_path: Path, sqlite_template: Path) -> None:
    again = _build(tmp_path / "again.sqlite3", sqlite_template)

    def facts(db: Database) -> tuple[object, ...]:
        with db.read() as session:
            return (
                session.execute(select(HotlineOrder.order_no, HotlineOrder.signed_at).order_by(HotlineOrder.id)).all(),
                session.execute(select(ServiceRating.case_id, ServiceRating.rating, ServiceRating.channel)
                                .order_by(ServiceRating.id)).all(),
                session.execute(select(CaseCrossing.kind, CaseCrossing.case_number, CaseCrossing.due_on)
                                .order_by(CaseCrossing.id)).all(),
                session.execute(select(DisputeCase.number, DisputeCase.title).order_by(DisputeCase.id)).all(),
            )

    try:
        assert facts(again) == facts(county)
    finally:
        again.dispose()


def test_the_loop_leaves_the_years_cases_as_the_seed_drew_them(tmp_path: Path, sqlite_template: Path) -> None:
    """The loop draws from a stream of its own: the cases of a seed are those of a demo without it."""
    import shutil

    shutil.copyfile(sqlite_template, tmp_path / "plain.sqlite3")
    plain = Database(f"sqlite:///{tmp_path / 'plain.sqlite3'}")
    shutil.copyfile(sqlite_template, tmp_path / "loop.sqlite3")
    looped = Database(f"sqlite:///{tmp_path / 'loop.sqlite3'}")
    try:
        with plain.write() as session:
            demo.seed(session, 60)
        with looped.write() as session:
            demo.seed(session, 60, loop=True)
        query = (select(DisputeCase.number, DisputeCase.title, DisputeCase.received_at)
                 .order_by(DisputeCase.id).limit(60))
        with plain.read() as a, looped.read() as b:
            assert a.execute(query).all() == b.execute(query).all()
    finally:
        plain.dispose()
        looped.dispose()


def test_the_loop_refuses_a_demo_day_other_than_now(sqlite_db: Database) -> None:
    with sqlite_db.write() as session, pytest.raises(ValueError, match="today 须为现在"):
        demo.seed(session, 20, today=now() - timedelta(days=30), loop=True)


def test_month_helpers() -> None:
    assert loop.month_start(date(2026, 3, 31)) == date(2026, 3, 1)
    assert loop.last_month_start(date(2026, 1, 15)) == date(2025, 12, 1)


@pytest.mark.postgresql
def test_the_loop_on_a_county_server(pg_database_url: str) -> None:
    """On PostgreSQL the same steps are taken through the same services (with its two townships)."""
    db = Database(pg_database_url)
    try:
        with db.write() as session:
            summary = demo.seed(session, 80, township_cases=6, loop=True)
        assert summary.loop is not None
        assert summary.loop.stories == loop.STORY_CASES and summary.loop.crossings >= 7
        with db.read() as session:
            got = loop.counts(session)
        assert got["orders"] > 0 and got["ratings"] > 0 and got["crossings"] == summary.loop.crossings
        clerk = login_as(db, "clerk")
        with db.read() as session:
            colours = {r.colour for r in crossings.center_list(session, clerk, today=DAY) if r.crossing.open}
        assert {ClockColour.RED, ClockColour.YELLOW, ClockColour.GREEN} <= colours
    finally:
        db.dispose()
