"""The case list's counts in parts (services.caselist.count_in_parts): for every role and filter the
same number as the plain count of the visible cases, on both databases, whichever side of the
centers is walked; and on SQLite each part is read through an index, never a walk of the table.

The demo county (its center and two townships) with what makes the visibility more than the
centers one reads: county cases handled by a township (交办) and a township's by the county,
crossings without a handling center, a mediator leading cases outside their team (and of no
team) and mediating with others in and outside it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import CaseCrossing, CaseMediator, CaseState, CrossingKind, DisputeCase, MediatorRole
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import auth, caselist
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery
from mediation_desk.services.workflow import OPEN_STATES
from mediation_desk.ui.cases.list_view import TODO_STATES

from .helpers import BACKENDS, Seeded, seeded_copy

USERS = ("head", "clerk", "mediator", "ljd_head", "ljd_clerk", "ljd_mediator", "dz_clerk", "dz_head")


def mix(session: Session) -> dict[str, list[int]]:
    """Handled, crossed, led and co-mediated cases beyond the demo's plain ones: the mediator's."""
    centers = {str(p): int(i) for p, i in session.execute(text("SELECT prefix, id FROM center"))}
    county, ljd, dz = centers["甘矛调"], centers["甘州梁家墩调"], centers["甘州党寨调"]

    def cases(center: int, extra: str = "") -> list[int]:
        sql = f"SELECT id FROM dispute_case WHERE center_id = {center} {extra} ORDER BY id"
        return list(session.scalars(text(sql)))

    ours, at_ljd, at_dz = cases(county), cases(ljd), cases(dz)

    def handled(case_id: int, by: int) -> None:
        session.execute(text("UPDATE dispute_case SET handling_center_id = :by WHERE id = :id"),
                        {"by": by, "id": case_id})

    for case_id in ours[:3]:
        handled(case_id, ljd)
    handled(ours[3], dz)
    handled(at_ljd[0], county)
    for case_id, source, target, kind in ((ours[4], county, dz, CrossingKind.ASSIGN_DOWN),
                                          (at_ljd[1], ljd, county, CrossingKind.REPORT_UP),
                                          (at_dz[0], dz, ljd, CrossingKind.CO_HANDLE),
                                          (ours[0], ljd, county, CrossingKind.FEEDBACK)):
        number = session.scalar(select(DisputeCase.number).where(DisputeCase.id == case_id))
        session.add(CaseCrossing(uid=str(uuid.uuid4()), case_id=case_id, case_number=number, kind=kind,
                                 from_center_id=source, to_center_id=target))
    mediator = session.scalar(text("SELECT mediator_id FROM app_user WHERE username = 'mediator'"))
    team = session.scalar(text(f"SELECT team_id FROM team_member WHERE mediator_id = {mediator} ORDER BY id LIMIT 1"))
    fresh = (f"AND lead_mediator_id <> {mediator} "
             f"AND id NOT IN (SELECT case_id FROM case_mediator WHERE mediator_id = {mediator})")
    other = cases(county, f"AND team_id IS NOT NULL AND team_id <> {team} {fresh}")
    in_team = cases(county, f"AND team_id = {team} {fresh}")
    no_team = cases(county, "AND team_id IS NULL")
    session.execute(text("UPDATE dispute_case SET lead_mediator_id = :m WHERE id IN (:a, :b)"),
                    {"m": mediator, "a": other[0], "b": no_team[0]})
    for case_id in (other[1], in_team[0], in_team[1], at_ljd[2]):
        session.add(CaseMediator(case_id=case_id, mediator_id=mediator, role=MediatorRole.CO))
    session.flush()
    return {"led": [other[0], no_team[0]], "co": [other[1], in_team[0], in_team[1]], "unseen": [at_ljd[2]]}


#: The demo county of 20 November 2026 with :func:`mix`, seeded once a worker (helpers.seeded_copy).
COUNTY = "county-2026-11-20-mix"


def county_with_mix(session: Session) -> dict[str, list[int]]:
    demo.seed(session, 120, seed_value=11, township_cases=9, today=datetime(2026, 11, 20, 10, 0))
    return mix(session)


@pytest.fixture(params=BACKENDS)
def seeded_county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Seeded[dict[str, list[int]]]]:
    """The test's own copy of the county with the mix (and what the mix made), on each backend."""
    with seeded_copy(request, tmp_path, COUNTY, county_with_mix) as seeded:
        yield seeded


@pytest.fixture
def county(seeded_county: Seeded[dict[str, list[int]]]) -> Database:
    return seeded_county.db


def filters(session: Session, actor: Actor) -> dict[str, CaseFilter]:
    a_type = session.scalar(select(DisputeCase.dispute_type_id).order_by(DisputeCase.id).limit(1))
    a_team = session.scalar(select(DisputeCase.team_id).where(DisputeCase.team_id.is_not(None))
                            .order_by(DisputeCase.id.desc()).limit(1))
    teams, mediator = actor.team_ids, actor.mediator_id or 1
    return {
        "all": CaseFilter(), "state": CaseFilter(states=frozenset({CaseState.CLOSED, CaseState.IN_MEDIATION})),
        "in progress": CaseFilter(states=OPEN_STATES),
        "type": CaseFilter(dispute_type_id=a_type), "team": CaseFilter(team_ids=frozenset({a_team or 0})),
        "dates": CaseFilter(received_from=date(2026, 9, 1), received_to=date(2026, 10, 31)),
        "state and type": CaseFilter(states=frozenset({CaseState.CLOSED}), dispute_type_id=a_type),
        "a center": CaseFilter(center_id=session.scalar(text("SELECT max(id) FROM center"))),
        "mine": CaseFilter(team_ids=teams, mediator_id=mediator),
        "mine to do": CaseFilter(states=TODO_STATES, team_ids=teams, mediator_id=mediator),
        "mine, no teams": CaseFilter(mediator_id=actor.mediator_id or 1),
    }


def plain_count(session: Session, actor: Actor, flt: CaseFilter) -> int:
    return int(session.scalar(select(func.count()).select_from(DisputeCase).where(*caselist._visible(actor, flt))) or 0)


@pytest.fixture(params=[20_000, 40, 1], ids=["own-side-small", "other-side-small", "both-big"])
def small_side(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Which way the centers part is counted: the county (~120 cases) and the townships (~18) each
    under the bound, only the townships, or neither."""
    monkeypatch.setattr(caselist, "SMALL_SIDE", request.param)
    yield request.param


def test_every_roles_count_in_parts_is_the_plain_count_of_what_they_see(county: Database, small_side: int) -> None:
    seen: dict[str, int] = {}
    for username in USERS:
        actor = auth.login(county, username, demo.DEMO_PASSWORD)
        with county.read() as session:
            for name, flt in filters(session, actor).items():
                stmt = caselist.count_in_parts(session, actor, flt)
                assert stmt is not None, (username, name)
                expected = plain_count(session, actor, flt)
                assert session.scalar(stmt) == expected, (username, name, small_side)
                if name == "all":
                    seen[username] = expected
                if session.get_bind().dialect.name == "sqlite":
                    query = CaseQuery(filter=flt)
                    assert caselist.count_cases(session, actor, query) == expected
                    rows = caselist.fetch_window(session, actor, query, 0, 1000, total=None)
                    assert len(rows) == expected, (username, name)
    # What the mix added is seen where it should be (else the parts would be tested on nothing).
    with county.read() as session:
        every = session.scalar(text("SELECT count(*) FROM dispute_case"))
        ljd_own = session.scalar(text("SELECT count(*) FROM dispute_case d JOIN center c ON c.id = d.center_id "
                                      "WHERE c.prefix = '甘州梁家墩调'"))
    assert seen["head"] == every
    assert seen["ljd_head"] == seen["ljd_clerk"] == ljd_own + 3 + 1  # three handled, one crossed (co-handled)
    assert seen["clerk"] == every - 18 + 2  # the townships' cases but the one handled and the one reported up


def test_the_mediators_parts_count_the_cases_they_lead_elsewhere_and_co_mediate(
        seeded_county: Seeded[dict[str, list[int]]]) -> None:
    db, made = seeded_county.db, seeded_county.made
    actor = auth.login(db, "mediator", demo.DEMO_PASSWORD)

    def counted(session: Session, flt: CaseFilter, without: list[int]) -> tuple[int, int]:
        """The count in parts of ``flt``, and of it less the cases ``without``."""
        stmt = caselist.count_in_parts(session, actor, flt)
        assert stmt is not None
        rest = plain_count(session, actor, flt) - int(session.scalar(
            select(func.count()).select_from(DisputeCase)
            .where(DisputeCase.id.in_(without), *caselist._visible(actor, flt))) or 0)
        return int(session.scalar(stmt) or 0), rest

    with db.read() as session:
        every, without_led = counted(session, CaseFilter(), made["led"])
        mine, without_co = counted(session, CaseFilter(mediator_id=actor.mediator_id), made["co"] + made["unseen"])
    assert every == without_led + 2  # the one led in another team, the one of no team
    # Co-mediated: the two of their team; not the other team's (a mediator sees their teams' cases
    # and those they lead) nor the township's.
    assert mine == without_co + 2


def _plan(session: Session, stmt: object) -> list[str]:
    sql = str(stmt.compile(dialect=session.get_bind().dialect,  # type: ignore[attr-defined]
                           compile_kwargs={"literal_binds": True}))
    return [str(row[3]) for row in session.execute(text("EXPLAIN QUERY PLAN " + sql))]


@pytest.mark.parametrize("seeded_county", ["sqlite"], indirect=True)
@pytest.mark.parametrize("small", [20_000, 40])
def test_on_sqlite_each_part_of_a_count_is_read_through_an_index(county: Database, small: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """No step of any role's count walks the cases' table (their statistics as the 1M demo's:
    none for the new index, a million a value for the center and handling indexes)."""
    monkeypatch.setattr(caselist, "SMALL_SIDE", small)
    sqlite_db = county
    for username in USERS:
        actor = auth.login(sqlite_db, username, demo.DEMO_PASSWORD)
        with sqlite_db.read() as session:
            for name, flt in filters(session, actor).items():
                stmt = caselist.count_statement(session, actor, CaseQuery(filter=flt))
                steps = [step for step in _plan(session, stmt) if "dispute_case" in step]
                assert steps, (username, name)
                for step in steps:
                    assert step.startswith("SEARCH") or "COVERING INDEX" in step, (username, name, step)
                if username == "mediator" and name in ("state", "in progress"):
                    # Their teams' cases of some states: the team index's entries of their teams,
                    # not a walk of every case's entry in the lead index (SQLite does not skip
                    # through it for ten states: 75 ms warm at a million cases).
                    assert not any(step.startswith("SCAN") for step in steps), (name, steps)
            if username.startswith(("ljd_", "dz_")) and small == 40:
                # A township's rows: by the ids of its cases, never a walk of the order's index.
                from .helpers import query_plan, statements_run

                with statements_run(sqlite_db) as seen:
                    caselist.fetch_window(session, actor, CaseQuery(), 0, 50, total=None)
                window = [(sql, p) for sql, p in seen if "FROM dispute_case NOT INDEXED" in sql and "ORDER BY" in sql]
                assert len(window) == 1, seen
                steps = [step for step in query_plan(session, *window[0]) if "dispute_case" in step]
                assert any("INTEGER PRIMARY KEY" in step for step in steps), steps
                assert not any(step.startswith("SCAN dispute_case") for step in steps), steps
            # The lists as a person opens them: from the index alone where one holds the filter.
            plan = " / ".join(_plan(session, caselist.count_statement(session, actor, CaseQuery())))
            if username in ("head", "clerk") and small == 40:
                assert "USING COVERING INDEX" in plan, (username, plan)


def test_the_rows_of_a_few_cases_list_read_by_their_ids_are_the_lists_rows(county: Database,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A township's people read their list from their cases' ids (``caselist._few_visible``): the
    same rows in the same order, window by window (offset, keyset, from the end), and the same
    position of a case, as read with the visibility alone — for every role, filter and sort."""
    from mediation_desk.services.caselist import SortKey

    def read(actor: Actor, query: CaseQuery, small: int) -> tuple[list[int], list[int | None]]:
        monkeypatch.setattr(caselist, "SMALL_LIST", small)
        with county.read() as session:
            total = caselist.count_cases(session, actor, query)
            ids: list[int] = []
            after = None
            for offset in range(0, total, 7):  # windows of 7: each list is read in 5–20 of them
                rows = caselist.fetch_window(session, actor, query, offset, 7, total=total, after=after)
                ids.extend(r.id for r in rows)
                after = rows[-1].sort_key if rows else None
            last = caselist.fetch_window(session, actor, query, max(total - 3, 0), 3, total=total)
            assert [r.id for r in last] == ids[-3:]
            return ids, [caselist.row_position(session, actor, query, case_id) for case_id in ids[:: 5]]

    few = 0
    for username in USERS:
        actor = auth.login(county, username, demo.DEMO_PASSWORD)
        with county.read() as session:
            monkeypatch.setattr(caselist, "SMALL_LIST", 5_000)
            if caselist._few_visible(session, actor) is not None:
                few += 1
            chosen = filters(session, actor)
        for name in ("all", "state", "team", "mine"):
            for sort in (SortKey.RECEIVED, SortKey.STATE, SortKey.TEAM, SortKey.NUMBER):
                for descending in (True, False):
                    query = CaseQuery(filter=chosen[name], sort=sort, descending=descending)
                    assert read(actor, query, 5_000) == read(actor, query, 0), (username, name, sort, descending)
    # On SQLite all but the county head (who reads every center; ~120 cases a center here); a
    # server reads its rows by its own plan (row-level security).
    assert few == (len(USERS) - 1 if county.is_sqlite else 0)


def test_a_mediators_rows_by_state_type_or_team_and_of_a_type_they_lack_are_the_plain_reads(
        county: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mediator's first rows and windows sorted by state, type or team (read from the lead index
    alone on SQLite), and newest first with a type or a state (the index asked first whether any
    is visible), are the rows of the plain read of what they see in that order: every type (their
    teams' and others') and a state none of their cases has, each window (first rows before the
    count, offset, keyset, from the end)."""
    from mediation_desk.models import DisputeType
    from mediation_desk.services.caselist import SortKey

    monkeypatch.setattr(caselist, "SMALL_LIST", 0)  # as a county's mediator: not read by the centers' ids

    def plain(session: Session, actor: Actor, query: CaseQuery) -> list[int]:
        columns = caselist._SORT_COLUMNS[query.sort]
        stmt = select(DisputeCase.id).where(*caselist._visible(actor, query.filter)).order_by(
            *(c.desc() if query.descending else c.asc() for c in columns))
        return list(session.scalars(stmt))

    for username in ("mediator", "ljd_mediator"):
        actor = auth.login(county, username, demo.DEMO_PASSWORD)
        with county.read() as session:
            types = list(session.scalars(select(DisputeType.id).order_by(DisputeType.id)))
            visible = caselist._visible(actor, CaseFilter())
            taken = set(session.scalars(select(DisputeCase.dispute_type_id).where(*visible)))
            assert taken and set(types) - taken  # types of theirs and types they lack
            chosen = [CaseFilter(), CaseFilter(states=frozenset({CaseState.REJECTED})),
                      CaseFilter(states=frozenset({CaseState.CLOSED, CaseState.IN_MEDIATION})),
                      *(CaseFilter(dispute_type_id=t) for t in types)]
            for flt in chosen:
                for sort in (SortKey.STATE, SortKey.DISPUTE_TYPE, SortKey.TEAM, SortKey.RECEIVED):
                    for descending in (True, False):
                        query = CaseQuery(filter=flt, sort=sort, descending=descending)
                        expected = plain(session, actor, query)
                        case = (username, flt, sort, descending)
                        first = caselist.fetch_window(session, actor, query, 0, 5, total=None)
                        assert [r.id for r in first] == expected[:5], case
                        total = caselist.count_cases(session, actor, query)
                        assert total == len(expected), case
                        ids: list[int] = []
                        after = None
                        for offset in range(0, total, 4):
                            rows = caselist.fetch_window(session, actor, query, offset, 4, total=total, after=after)
                            ids.extend(r.id for r in rows)
                            after = rows[-1].sort_key if rows else None
                        assert ids == expected, case
                        last = caselist.fetch_window(session, actor, query, max(total - 3, 0), 3, total=total)
                        assert [r.id for r in last] == expected[-3:], case
            if county.is_sqlite and username == "mediator":
                from .helpers import query_plan, statements_run

                with statements_run(county) as seen:
                    caselist.fetch_window(session, actor, CaseQuery(sort=SortKey.TEAM), 0, 50, total=None)
                window = [(sql, p) for sql, p in seen if "ORDER BY" in sql and "INDEXED BY ix_dispute_case_lead" in sql]
                assert len(window) == 1, seen
                steps = [step for step in query_plan(session, *window[0]) if "dispute_case" in step]
                assert steps and all("COVERING INDEX ix_dispute_case_lead" in step for step in steps), steps
