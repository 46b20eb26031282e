"""The 矛盾纠纷排查调处情况表 by level (issue 21 item 4, docs/statistics.md "The table by level").

A small county — its center, two townships and a village below the first — with cases whose
registrations and endings fall on both sides of the month's and the year's boundaries, ended twice,
flagged or not. Every figure of the table equals a recount in plain Python over the rows, on SQLite
and PostgreSQL; the three levels' rows add up to their 小计 and the 小计 to the 合计; the case list
opened from each figure holds exactly the cases counted; a township head's table has no county or
other township in it; the figures agree with the dashboard's for the same center and month; the
case flags are set through the case page's service, with its rules.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import DateTime, bindparam, select, text
from sqlalchemy.orm import Session

from mediation_desk.db import Database
from mediation_desk.models import (
    CaseEvent,
    CaseState,
    Center,
    CenterLevel,
    DisputeCase,
    DisputeType,
    EventKind,
    Role,
    User,
)
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.readmodels.levels import (
    COLUMNS,
    PEOPLE_BANDS,
    PEOPLE_COLUMNS,
    Column,
    LevelsTable,
    RowKind,
    Span,
)
from mediation_desk.services import auth, case_flags, caselist, levels, stat_months, statistics
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import Conflict, InvalidInput, PermissionDenied

from .helpers import BACKENDS, seeded_world

SYSTEM = Actor.system("test")
PASSWORD = "Passw0rd!"
MONTH = "2026-11"
ENDINGS = ("succeed", "fail", "withdraw", "divert", "reject")
#: Moments on and around the boundaries of November 2026 and of the year.
MOMENTS = (
    datetime(2025, 12, 31, 23, 59, 59), datetime(2026, 1, 1, 0, 0), datetime(2026, 3, 15, 10, 0),
    datetime(2026, 10, 31, 23, 59, 59, 999999), datetime(2026, 11, 1, 0, 0), datetime(2026, 11, 15, 12, 0),
    datetime(2026, 11, 30, 23, 59, 59), datetime(2026, 12, 1, 0, 0),
)
PEOPLE = (0, 3, 49, 50, 100, 101, 500, 501, 2000)


@dataclass(frozen=True)
class World:
    db: Database
    centers: dict[str, int]  # county, ta, tb, village
    county_head: Actor
    ta_head: Actor


def _actor(session: object, username: str) -> Actor:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    user = session.scalars(select(User).where(User.username == username)).one()
    return auth.actor_for(session, user)


def _world(db: Database) -> World:
    rng = random.Random(21_4)
    with db.write() as session:
        county = session.scalar(select(Center.id).where(Center.parent_id.is_(None)))
        assert county is not None
        ta = Center(name="甲镇综治中心", level=CenterLevel.TOWNSHIP, parent_id=county, prefix="甲镇调")
        tb = Center(name="乙镇综治中心", level=CenterLevel.TOWNSHIP, parent_id=county, prefix="乙镇调")
        session.add_all([ta, tb])
        session.flush()
        village = Center(name="甲镇东村调委会", level=CenterLevel.VILLAGE, parent_id=ta.id, prefix="东村调")
        session.add(village)
        session.flush()
        ids = {"county": county, "ta": ta.id, "tb": tb.id, "village": village.id}
        type_id = session.scalars(select(DisputeType.id).order_by(DisputeType.id)).first()
        seq = 0
        for key, center_id in ids.items():
            for _ in range(36 if key == "county" else 24):
                seq += 1
                received = rng.choice(MOMENTS[:-1])
                case = DisputeCase(
                    center_id=center_id, number=f"（2026）测{key}字第{seq:04d}号", year=2026, seq=seq,
                    title=f"测试纠纷{seq}", dispute_type_id=type_id, state=CaseState.IN_MEDIATION,
                    people_involved=rng.choice(PEOPLE), is_major=rng.random() < 0.3,
                    may_turn_criminal=rng.random() < 0.4, may_group_petition=rng.random() < 0.4,
                    received_at=received, accepted_at=received)
                session.add(case)
                session.flush()
                # Zero, one or two endings (sent back and ended again), anywhere after registration.
                later = [m for m in MOMENTS if m >= received]
                for at in sorted(rng.sample(later, k=min(len(later), rng.choice((0, 1, 1, 2))))):
                    session.add(CaseEvent(case_id=case.id, at=at, kind=EventKind.TRANSITION,
                                          action=rng.choice(ENDINGS)))
                    session.add(CaseEvent(case_id=case.id, at=at, kind=EventKind.NOTE, action="note"))
        for username, role, center_id in (("county_head", Role.HEAD, county), ("ta_head", Role.HEAD, ta.id),
                                          ("ta_clerk", Role.INTAKE, ta.id)):
            auth.create_user(session, SYSTEM, username=username, display_name=username, role=role,
                             password=PASSWORD, must_change_password=False, center_id=center_id)
    with db.read() as session:
        return World(db, ids, _actor(session, "county_head"), _actor(session, "ta_head"))


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The county, two townships and a village with their cases, endings and heads, on each
    backend: the test's own copy of the one built once a worker (helpers.seeded_world)."""
    with seeded_world(request, tmp_path, "levels: four centers, 108 cases", _world) as seeded:
        yield dataclasses.replace(seeded.made, db=seeded.db)


# --------------------------------------------------------------------------- the plain recount


@dataclass(frozen=True)
class Row:
    id: int
    center_id: int
    received_at: datetime
    people: int
    major: bool
    criminal: bool
    petition: bool


Rows = tuple[list[Row], list[tuple[int, int, str, datetime]]]


def _rows(db: Database) -> Rows:
    with db.read() as session:
        cases = [Row(*r) for r in session.execute(select(
            DisputeCase.id, DisputeCase.center_id, DisputeCase.received_at, DisputeCase.people_involved,
            DisputeCase.is_major, DisputeCase.may_turn_criminal, DisputeCase.may_group_petition))]
        events = [tuple(r) for r in session.execute(select(CaseEvent.id, CaseEvent.case_id, CaseEvent.action,
                                                           CaseEvent.at))]
    return cases, events  # type: ignore[return-value]


def recount(rows: Rows, start: date, end: date, center_ids: set[int]) -> dict[Column, set[int]]:
    """Each column's cases, counted from the rows with the words of docs/statistics.md."""
    cases, events = rows
    low, high = datetime.combine(start, datetime.min.time()), datetime.combine(end + timedelta(days=1),
                                                                               datetime.min.time())
    mine = {c.id: c for c in cases if c.center_id in center_ids}
    received = {i for i, c in mine.items() if low <= c.received_at < high}
    last: dict[int, tuple[int, str]] = {}
    for event_id, case_id, action, at in events:
        if action in ENDINGS and low <= at < high and case_id in mine and event_id > last.get(case_id, (0, ""))[0]:
            last[case_id] = (event_id, action)
    handled = {i for i, (_e, a) in last.items() if a in ("succeed", "fail")}
    succeeded = {i for i, (_e, a) in last.items() if a == "succeed"}
    bands = {Column.PEOPLE_UNDER_50: (0, 49), Column.PEOPLE_50_100: (50, 100), Column.PEOPLE_100_500: (101, 500),
             Column.PEOPLE_OVER_500: (501, 10**9)}
    out = {Column.SCREENED: received, Column.HANDLED: handled, Column.SUCCEEDED: succeeded,
           Column.MAJOR: {i for i in received if mine[i].major},
           Column.CRIMINAL_CASES: {i for i in succeeded if mine[i].criminal},
           Column.PETITION_CASES: {i for i in succeeded if mine[i].petition}}
    out |= {column: {i for i in received if lo <= mine[i].people <= hi} for column, (lo, hi) in bands.items()}
    out[Column.CRIMINAL_PEOPLE] = out[Column.CRIMINAL_CASES]
    out[Column.PETITION_PEOPLE] = out[Column.PETITION_CASES]
    return out


def _value(rows: Rows, column: Column, ids: set[int]) -> int:
    if column not in PEOPLE_COLUMNS:
        return len(ids)
    people = {c.id: c.people for c in rows[0]}
    return sum(people[i] for i in ids)


def _listed(db: Database, actor: Actor, flt: CaseFilter) -> set[int]:
    query = caselist.CaseQuery(filter=flt)
    with db.read() as session:
        total = caselist.count_cases(session, actor, query)
        rows = caselist.fetch_window(session, actor, query, 0, 2000, total=total)
    assert len(rows) == total
    return {r.id for r in rows}


def _table(world: World, actor: Actor, month: str = MONTH) -> LevelsTable:
    with world.db.read() as session:
        return levels.load(session, actor, month)


# --------------------------------------------------------------------------- tests


def test_every_figure_equals_the_recount_and_lists_exactly_its_cases(world: World) -> None:
    table = _table(world, world.county_head)
    c = world.centers
    assert [(r.kind, r.level, r.name) for r in table.rows] == [
        (RowKind.CENTER, CenterLevel.COUNTY, table.center_name), (RowKind.SUBTOTAL, CenterLevel.COUNTY, "县级小计"),
        (RowKind.CENTER, CenterLevel.TOWNSHIP, "甲镇综治中心"), (RowKind.CENTER, CenterLevel.TOWNSHIP, "乙镇综治中心"),
        (RowKind.SUBTOTAL, CenterLevel.TOWNSHIP, "乡镇级小计"),
        (RowKind.CENTER, CenterLevel.VILLAGE, "甲镇东村调委会"), (RowKind.SUBTOTAL, CenterLevel.VILLAGE, "村级小计"),
        (RowKind.TOTAL, None, "合计")]
    assert table.rows[-1].center_ids == frozenset(c.values())
    assert (table.period_start, table.period_end, table.year_start) == (date(2026, 11, 1), date(2026, 11, 30),
                                                                         date(2026, 1, 1))
    nonzero = 0
    rows = _rows(world.db)
    for row in table.rows:
        for span, (start, end) in ((Span.MONTH, (table.period_start, table.period_end)),
                                   (Span.YEAR, (table.year_start, table.period_end))):
            expected = recount(rows, start, end, set(row.center_ids))
            for column, figure in zip(COLUMNS, row.figures(span), strict=True):
                assert figure.value == _value(rows, column, expected[column]), (row.name, span, column)
                if row.kind is not RowKind.CENTER or span is Span.MONTH:  # the drill-down, sampled
                    assert _listed(world.db, world.county_head, figure.filter) == expected[column], (
                        row.name, span, column)
                nonzero += figure.value > 0
    assert nonzero > 100  # the world has something in nearly every cell


def test_levels_add_up_to_their_subtotals_and_the_total(world: World) -> None:
    table = _table(world, world.county_head)
    for span in Span:
        for subtotal in (r for r in table.rows if r.kind is RowKind.SUBTOTAL):
            members = [r for r in table.rows if r.kind is RowKind.CENTER and r.level is subtotal.level]
            for column in COLUMNS:
                assert subtotal.value(span, column) == sum(r.value(span, column) for r in members)
        for column in COLUMNS:
            assert table.total.value(span, column) == sum(
                r.value(span, column) for r in table.rows if r.kind is RowKind.SUBTOTAL)
        for row in table.rows:
            bands = sum(row.value(span, col) for col in (Column.PEOPLE_UNDER_50, Column.PEOPLE_50_100,
                                                         Column.PEOPLE_100_500, Column.PEOPLE_OVER_500))
            assert bands == row.value(span, Column.SCREENED)
            assert row.value(span, Column.SUCCEEDED) <= row.value(span, Column.HANDLED)
            assert row.value(span, Column.MAJOR) <= row.value(span, Column.SCREENED)


def test_the_figures_are_the_dashboards_for_each_center(world: World) -> None:
    table = _table(world, world.county_head)
    with world.db.read() as session:
        for row in (r for r in table.rows if r.kind is RowKind.CENTER):
            for span, start in ((Span.MONTH, table.period_start), (Span.YEAR, table.year_start)):
                figs = statistics.figures(session, world.county_head, start, table.period_end,
                                          today=date(2026, 12, 5), center_id=row.center_id)
                assert row.value(span, Column.SCREENED) == figs.received.count
                assert row.value(span, Column.HANDLED) == figs.success_rate.denominator
                assert row.value(span, Column.SUCCEEDED) == figs.success_rate.numerator
                assert row.value(span, Column.CRIMINAL_CASES) == figs.escalations_prevented.count


def test_a_township_head_sees_its_township_and_villages_only(world: World) -> None:
    table = _table(world, world.ta_head)
    c = world.centers
    assert [(r.kind, r.name) for r in table.rows] == [
        (RowKind.CENTER, "甲镇综治中心"), (RowKind.SUBTOTAL, "乡镇级小计"), (RowKind.CENTER, "甲镇东村调委会"),
        (RowKind.SUBTOTAL, "村级小计"), (RowKind.TOTAL, "合计")]
    assert table.center_name == "甲镇综治中心"
    assert table.total.center_ids == {c["ta"], c["village"]}
    expected = recount(_rows(world.db), table.period_start, table.period_end, {c["ta"], c["village"]})
    assert table.total.value(Span.MONTH, Column.SCREENED) == len(expected[Column.SCREENED])
    # The county's table shows the same two centers' rows with the same figures.
    county = {r.center_id: r for r in _table(world, world.county_head).rows if r.kind is RowKind.CENTER}
    for row in (r for r in table.rows if r.kind is RowKind.CENTER):
        assert row.month == county[row.center_id].month and row.year == county[row.center_id].year
    # A filter naming another center lists nothing for them.
    other = county[c["tb"]].figures(Span.YEAR)[0]
    assert other.value > 0 and _listed(world.db, world.ta_head, other.filter) == set()


def test_only_a_head_reads_it_and_a_bad_month_is_refused(world: World) -> None:
    with world.db.read() as session:
        clerk = _actor(session, "ta_clerk")
        with pytest.raises(PermissionDenied, match="中心主任"):
            levels.load(session, clerk, MONTH)
        with pytest.raises(InvalidInput) as bad:
            levels.load(session, world.county_head, "2026-13")
    assert bad.value.field == "month"


def test_the_month_boundary_is_the_calendar_month(world: World) -> None:
    """A case registered at 23:59:59 on 31 October is October's; one at 00:00 on 1 November is
    November's; the year's figures of January start on 1 January."""
    october, november = _table(world, world.county_head, "2026-10"), _table(world, world.county_head)
    january = _table(world, world.county_head, "2026-01")
    cases, _events = _rows(world.db)
    at = {(r.received_at): r for r in cases}
    assert datetime(2026, 10, 31, 23, 59, 59, 999999) in at and datetime(2026, 11, 1) in at
    for table, low, high in ((october, datetime(2026, 10, 1), datetime(2026, 11, 1)),
                             (november, datetime(2026, 11, 1), datetime(2026, 12, 1)),
                             (january, datetime(2026, 1, 1), datetime(2026, 2, 1))):
        assert table.total.value(Span.MONTH, Column.SCREENED) == sum(low <= r.received_at < high for r in cases)
    assert january.total.value(Span.YEAR, Column.SCREENED) == january.total.value(Span.MONTH, Column.SCREENED)
    assert november.total.value(Span.YEAR, Column.SCREENED) == sum(
        datetime(2026, 1, 1) <= r.received_at < datetime(2026, 12, 1) for r in cases)


def test_the_mediator_sets_the_flags_and_the_table_follows(world: World) -> None:
    db, c = world.db, world.centers
    with db.read() as session:
        case = session.scalars(select(DisputeCase).where(DisputeCase.center_id == c["ta"],
                                                         DisputeCase.received_at >= datetime(2026, 11, 1),
                                                         DisputeCase.received_at < datetime(2026, 12, 1),
                                                         DisputeCase.is_major.is_(False))).first()
        assert case is not None
        case_id, version = case.id, case.version
    before = _table(world, world.ta_head)
    with db.write() as session:
        assert case_flags.set_flags(session, world.ta_head, case_id,
                                    case_flags.CaseFlags(is_major=True, may_turn_criminal=case.may_turn_criminal,
                                                         may_group_petition=case.may_group_petition),
                                    expected_version=version)
    after = _table(world, world.ta_head)
    assert after.total.value(Span.MONTH, Column.MAJOR) == before.total.value(Span.MONTH, Column.MAJOR) + 1
    with db.read() as session:
        row = session.get(DisputeCase, case_id)
        assert row is not None and row.is_major
        notes = session.scalars(select(CaseEvent.note).where(CaseEvent.case_id == case_id,
                                                             CaseEvent.action == "flags")).all()
    assert notes == ["标记为“重大矛盾纠纷”"]
    # The page loaded before the change is stale now; the county head reads the township's case only.
    with db.write() as session, pytest.raises(Conflict):
        case_flags.set_flags(session, world.ta_head, case_id, case_flags.CaseFlags(), expected_version=version)
    with db.write() as session, pytest.raises(PermissionDenied, match="只能查看"):
        case_flags.set_flags(session, world.county_head, case_id, case_flags.CaseFlags())


# --------------------------------------------------------------------------- the kept monthly counts

#: Runs of whole months the table sums from the monthly counts (migration 0040): its month and year
#: to date, a quarter, the month before the year, and a run across the year's boundary.
WHOLE_MONTHS = ((date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 1, 1), date(2026, 11, 30)),
                (date(2026, 10, 1), date(2026, 12, 31)), (date(2025, 12, 1), date(2025, 12, 31)),
                (date(2025, 12, 1), date(2026, 3, 31)))

_WRITE = st.sampled_from(("people", "major", "criminal", "petition", "end", "unend", "move_event", "center",
                          "received", "new_case", "delete_case", "many_people"))


#: A moment bound as the models store it (on SQLite, text with microseconds, as the rows' queries compare).
_AT = bindparam("at", type_=DateTime())


def _apply(session: Session, kind: str, pick: int, value: int, ids: list[int]) -> None:
    """One write behind the services' back (Core SQL): what the counts must follow."""
    case_ids = list(session.scalars(text("SELECT id FROM dispute_case ORDER BY id")))
    case_id = case_ids[pick % len(case_ids)]
    moment = MOMENTS[value % len(MOMENTS)]
    if kind == "people":
        session.execute(text("UPDATE dispute_case SET people_involved = :p WHERE id = :id"),
                        {"p": PEOPLE[value % len(PEOPLE)], "id": case_id})
    elif kind in ("major", "criminal", "petition"):
        column = {"major": "is_major", "criminal": "may_turn_criminal", "petition": "may_group_petition"}[kind]
        session.execute(text(f"UPDATE dispute_case SET {column} = NOT {column} WHERE id = :id"), {"id": case_id})
    elif kind == "end":
        session.add(CaseEvent(case_id=case_id, at=moment, kind=EventKind.TRANSITION,
                              action=ENDINGS[value % 2 if value % 3 else value % len(ENDINGS)]))
        session.flush()
    elif kind == "unend":
        session.execute(text("DELETE FROM case_event WHERE id = (SELECT max(id) FROM case_event WHERE case_id = :id "
                             "AND action IN ('succeed', 'fail', 'withdraw', 'divert', 'reject'))"), {"id": case_id})
    elif kind == "move_event":
        session.execute(text("UPDATE case_event SET at = :at WHERE id = (SELECT min(id) FROM case_event "
                             "WHERE case_id = :id AND action IN ('succeed', 'fail'))").bindparams(_AT),
                        {"id": case_id, "at": moment})
    elif kind == "center":
        session.execute(text("UPDATE dispute_case SET center_id = :c WHERE id = :id"),
                        {"c": ids[value % len(ids)], "id": case_id})
    elif kind == "received":
        session.execute(text("UPDATE dispute_case SET received_at = :at WHERE id = :id").bindparams(_AT),
                        {"id": case_id, "at": moment})
    elif kind == "new_case":
        type_id = session.scalar(select(DisputeCase.dispute_type_id).where(DisputeCase.id == case_id))
        seq = 90_000 + case_ids[-1]
        session.add(DisputeCase(
            center_id=ids[value % len(ids)], number=f"（2026）新字第{seq}号", year=2026, seq=seq, title="新纠纷",
            dispute_type_id=type_id, state=CaseState.IN_MEDIATION, people_involved=PEOPLE[value % len(PEOPLE)],
            is_major=value % 2 == 0, may_turn_criminal=value % 3 == 0, may_group_petition=value % 5 < 2,
            received_at=moment, accepted_at=moment))
        session.flush()
    elif kind == "delete_case":
        session.execute(text("DELETE FROM dispute_case WHERE id = :id"), {"id": case_id})
    else:  # many rows in one statement (PostgreSQL: one statement trigger over them all)
        session.execute(text("UPDATE dispute_case SET people_involved = people_involved + :v, "
                             "may_group_petition = NOT may_group_petition WHERE id % 3 = :k"),
                        {"v": value % 60, "k": pick % 3})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(st.tuples(_WRITE, st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=6))
def test_the_kept_counts_equal_a_recount_and_the_table_the_rows_after_random_writes(
        world: World, writes: list[tuple[str, int, int]]) -> None:
    """Migration 0040: whatever writes, the monthly counts equal a full recount, and the table's
    figures of whole months summed from them equal those counted from the case rows."""
    ids = list(world.centers.values())
    with world.db.write() as session:
        for kind, pick, value in writes:
            _apply(session, kind, pick, value, ids)
    with world.db.write() as session:
        assert stat_months.kept(session) == stat_months.recounted(session)
    with world.db.read() as session:
        for start, end in WHOLE_MONTHS:
            assert levels.count_from_months(session, start, end, ids) == levels.count_from_rows(
                session, start, end, ids), (start, end)
            assert levels.count_by_center(session, start, end, ids[1:]) == levels.count_from_rows(
                session, start, end, ids[1:])
    table = _table(world, world.county_head)
    rows = _rows(world.db)
    for column, figure in zip(COLUMNS, table.total.figures(Span.YEAR), strict=True):
        assert figure.value == _value(rows, column, recount(rows, table.year_start, table.period_end,
                                                            set(table.total.center_ids))[column]), column


def test_the_bands_are_the_tables_and_a_partial_period_is_counted_from_the_rows(world: World) -> None:
    assert tuple((b[1], b[2]) for b in stat_months.PEOPLE_BANDS) == tuple(
        (least, most) for _column, least, most in PEOPLE_BANDS)
    ids = list(world.centers.values())
    with world.db.write() as session:  # the counts emptied: only a period of whole months reads them
        session.execute(text("UPDATE stat_received_month SET cases = 0, major_cases = 0"))
    with world.db.read() as session:
        partial = levels.count_by_center(session, date(2026, 11, 2), date(2026, 11, 30), ids)
        assert partial == levels.count_from_rows(session, date(2026, 11, 2), date(2026, 11, 30), ids)
        assert any(row[COLUMNS.index(Column.SCREENED)] for row in partial.values())
        whole = levels.count_by_center(session, date(2026, 11, 1), date(2026, 11, 30), ids)
        assert not any(row[COLUMNS.index(Column.SCREENED)] for row in whole.values())
