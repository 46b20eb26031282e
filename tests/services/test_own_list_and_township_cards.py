"""A mediator's own list (我承办的案件) counted from indexes alone, and a township's cards read
through its cases (migration 0052).

- ``caselist._own_count``: for every role and any mix of led and co-mediated cases, any filter,
  whichever mediator's list, the same number as the plain count of the visible cases (what the
  list counted before its parts), on both databases; on SQLite no step reads a case row.
- ``cards.cards`` for a township's people reads their cases' cards by ``ix_stage_card_case_id``
  (it walked every card of the county): the same cards in the same order as that walk, for every
  role, on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database, migrate_to
from mediation_desk.models import CaseMediator, CaseState, DisputeCase, MediatorRole, StageCard
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import auth, cards, caselist
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery
from mediation_desk.ui.cases.list_view import TODO_STATES

from .helpers import BACKENDS, query_plan, seeded_copy, statements_run
from .test_case_counts import COUNTY, USERS, county_with_mix, mix, plain_count

TODAY = datetime(2026, 11, 20, 10, 0)


class _Undo(Exception):
    """Raised to roll an example's changes back."""


@pytest.fixture(params=BACKENDS)
def county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The test's own copy of the demo county of ``TODAY`` with test_case_counts' mix (seeded once
    a worker for both modules: helpers.seeded_copy)."""
    with seeded_copy(request, tmp_path, COUNTY, county_with_mix) as seeded:
        yield seeded.db


ON_SQLITE = pytest.mark.parametrize("county", ["sqlite"], indirect=True)


def _actors(db: Database) -> dict[str, Actor]:
    return {username: auth.login(db, username, demo.DEMO_PASSWORD) for username in USERS}


#: A change to the case_mediator rows and leads: (what, which case, which mediator).
CHANGES = st.lists(st.tuples(st.sampled_from(["co", "lead row", "lead", "no lead", "no team", "drop rows"]),
                             st.integers(0, 10_000), st.integers(0, 10_000)), max_size=8)
FILTERS = st.fixed_dictionaries({
    "states": st.sampled_from([frozenset(), TODO_STATES, frozenset({CaseState.CLOSED}),
                               frozenset({CaseState.IN_MEDIATION, CaseState.ASSIGNED})]),
    "type": st.one_of(st.none(), st.integers(1, 4)),
    "team": st.booleans(),
    "dates": st.sampled_from([None, (date(2026, 9, 1), date(2026, 10, 31)), (date(2026, 11, 1), None)]),
    "center": st.booleans(),
})


def _apply(session: Session, changes: list[tuple[str, int, int]]) -> None:
    ids = list(session.scalars(select(DisputeCase.id).order_by(DisputeCase.id)))
    mediators = list(session.scalars(text("SELECT id FROM mediator ORDER BY id")))
    for what, case_pick, mediator_pick in changes:
        case_id, mediator_id = ids[case_pick % len(ids)], mediators[mediator_pick % len(mediators)]
        if what in ("co", "lead row"):
            # A row whose role may disagree with the case's lead (data imported or edited so).
            session.execute(text("DELETE FROM case_mediator WHERE case_id = :c AND mediator_id = :m"),
                            {"c": case_id, "m": mediator_id})
            session.add(CaseMediator(case_id=case_id, mediator_id=mediator_id,
                                     role=MediatorRole.CO if what == "co" else MediatorRole.LEAD))
        elif what == "lead":
            session.execute(text("UPDATE dispute_case SET lead_mediator_id = :m WHERE id = :c"),
                            {"m": mediator_id, "c": case_id})
        elif what == "no lead":
            session.execute(text("UPDATE dispute_case SET lead_mediator_id = NULL WHERE id = :c"), {"c": case_id})
        elif what == "no team":
            session.execute(text("UPDATE dispute_case SET team_id = NULL WHERE id = :c"), {"c": case_id})
        else:
            session.execute(text("DELETE FROM case_mediator WHERE case_id = :c"), {"c": case_id})
    session.flush()


def _filter(session: Session, actor: Actor, mediator_id: int, picked: dict[str, Any]) -> CaseFilter:
    a_team = session.scalar(select(DisputeCase.team_id).where(DisputeCase.team_id.is_not(None))
                            .order_by(DisputeCase.id.desc()).limit(1))
    dates = picked["dates"] or (None, None)
    return CaseFilter(states=picked["states"], dispute_type_id=picked["type"],
                      team_ids=(actor.team_ids or frozenset({a_team or 0})) if picked["team"] else frozenset(),
                      received_from=dates[0], received_to=dates[1], mediator_id=mediator_id,
                      center_id=actor.center_id if picked["center"] else None)


def test_every_roles_own_list_count_is_the_plain_count_whatever_the_mix(county: Database) -> None:
    actors = _actors(county)
    with county.read() as session:
        mediators = list(session.scalars(text("SELECT id FROM mediator ORDER BY id")))
    counted: list[int] = []

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(changes=CHANGES, username=st.sampled_from(USERS), whose=st.integers(0, 100), picked=FILTERS)
    def same(changes: list[tuple[str, int, int]], username: str, whose: int, picked: dict[str, Any]) -> None:
        actor = actors[username]
        # Their own list as the UI asks it (a mediator), or any mediator's.
        mediator_id = actor.mediator_id if actor.mediator_id and whose % 2 else mediators[whose % len(mediators)]
        try:
            with county.write() as session:
                _apply(session, changes)
                flt = _filter(session, actor, mediator_id, picked)
                stmt = caselist.count_in_parts(session, actor, flt)
                assert stmt is not None
                expected = plain_count(session, actor, flt)
                assert session.scalar(stmt) == expected, (username, mediator_id, changes, picked)
                counted.append(expected)
                raise _Undo
        except _Undo:
            pass

    same()
    assert any(counted), "every example counted nothing"


def _case_steps(session: Session, stmt: Any) -> tuple[list[str], list[str]]:
    """SQLite's plan of ``stmt``: every step, and those that read cases or their mediators."""
    sql = str(stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    steps = [str(row[3]) for row in session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    return steps, [step for step in steps if "dispute_case" in step or "case_mediator" in step]


@ON_SQLITE
def test_on_sqlite_a_mediators_own_list_is_counted_without_reading_a_case_row(county: Database,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_db = county
    for username in ("mediator", "ljd_mediator", "head", "clerk"):
        actor = auth.login(sqlite_db, username, demo.DEMO_PASSWORD)
        with sqlite_db.read() as session:
            mediator_id = actor.mediator_id or 1
            for flt in (CaseFilter(mediator_id=mediator_id, team_ids=actor.team_ids),
                        CaseFilter(mediator_id=mediator_id, states=TODO_STATES, team_ids=actor.team_ids),
                        CaseFilter(mediator_id=mediator_id, dispute_type_id=2, received_from=date(2026, 9, 1))):
                steps, read = _case_steps(session, caselist.count_statement(session, actor, CaseQuery(filter=flt)))
                assert any("ix_case_mediator_mediator_case" in step for step in read), steps
                assert any("ix_dispute_case_mediated" in step for step in read), steps
                for step in read:
                    assert "COVERING INDEX" in step, (username, step)
        if username == "mediator":
            # Their 案件 of a type: their teams' part from the lead index too (which holds team,
            # state and type), not a case row per case of the type; of states alone, from the team
            # index (which holds the state), their teams' entries only. (The county's ~120 cases
            # as many as at a million, the townships' few.)
            monkeypatch.setattr(caselist, "SMALL_SIDE", 40)
            with sqlite_db.read() as session:
                for flt, teams_index in ((CaseFilter(dispute_type_id=2), "ix_dispute_case_lead"),
                                         (CaseFilter(states=TODO_STATES), "ix_dispute_case_team_received"),
                                         (CaseFilter(states=frozenset({CaseState.CLOSED}), dispute_type_id=2),
                                          "ix_dispute_case_lead")):
                    steps, _read = _case_steps(session, caselist.count_statement(session, actor,
                                                                                 CaseQuery(filter=flt)))
                    led = [step for step in steps if "COVERING INDEX ix_dispute_case_lead" in step]
                    teams = [step for step in steps if f"COVERING INDEX {teams_index}" in step]
                    # Their teams' cases, and those they lead elsewhere (the lead index).
                    assert len(teams) >= 1 and len(led) == (2 if teams_index.endswith("lead") else 1), steps
                    if teams_index.endswith("team_received"):  # sought by team, never walked whole
                        assert not any(step.startswith("SCAN dispute_case") for step in steps), steps


def test_0052_counts_the_own_lists_as_the_indexes_before(county: Database) -> None:
    actors = _actors(county)

    def counts() -> dict[tuple[str, str], int]:
        found = {}
        with county.read() as session:
            for username, actor in actors.items():
                for name, flt in (("mine", CaseFilter(mediator_id=actor.mediator_id or 1)),
                                  ("to do", CaseFilter(mediator_id=actor.mediator_id or 1, states=TODO_STATES))):
                    stmt = caselist.count_in_parts(session, actor, flt)
                    assert stmt is not None
                    found[(username, name)] = int(session.scalar(stmt) or 0)
        return found

    now = counts()
    assert now[("mediator", "mine")] > 0
    migrate_to(county, "0051")
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(county.writer).get_indexes("dispute_case")}
    assert indexes["ix_dispute_case_lead"] == ["lead_mediator_id", "team_id"]
    assert "ix_dispute_case_mediated" not in indexes
    with county.read() as session:  # the code before 0052 counted from the plain condition
        for username, actor in actors.items():
            for name, states in (("mine", frozenset()), ("to do", TODO_STATES)):
                flt = CaseFilter(mediator_id=actor.mediator_id or 1, states=states)
                assert plain_count(session, actor, flt) == now[(username, name)]
    migrate_to(county, "head")
    assert counts() == now


def _actors_of(db: Database) -> dict[str, Actor]:
    """The people of the demo county with the mix of led, co-mediated, handled and crossed cases
    (the ``county`` fixture)."""
    return _actors(db)


def _edge_cases(db: Database) -> dict[str, Actor]:
    """:func:`_actors_of`, and for the county's mediator: cases they mediate with no lead (left so by
    an import or an edit: in the mediated part), and township cases they lead (which the county's
    clerk and head see and a township's people do not)."""
    actors = _actors_of(db)
    with db.write() as session:
        ours = {"m": actors["mediator"].mediator_id}
        session.execute(text("UPDATE dispute_case SET lead_mediator_id = NULL WHERE id IN (SELECT case_id FROM "
                             "case_mediator WHERE mediator_id = :m AND case_id IN (SELECT id FROM dispute_case "
                             "WHERE lead_mediator_id != :m) ORDER BY case_id DESC LIMIT 12)"), ours)
        session.execute(text("UPDATE dispute_case SET lead_mediator_id = :m WHERE id IN (SELECT id FROM dispute_case "
                             "WHERE center_id != (SELECT center_id FROM dispute_case WHERE lead_mediator_id = :m "
                             "LIMIT 1) ORDER BY id LIMIT 6)"), ours)
    return actors


def _walked(monkeypatch: pytest.MonkeyPatch, read: Any) -> Any:
    """``read()`` with the own list read by the walk of its order's index."""
    from_indexes = caselist._own_from_the_indexes
    monkeypatch.setattr(caselist, "_own_from_the_indexes", lambda *_args: False)
    try:
        return read()
    finally:
        monkeypatch.setattr(caselist, "_own_from_the_indexes", from_indexes)


@ON_SQLITE
def test_on_sqlite_the_county_mediators_own_list_of_each_type_is_the_walks(county: Database,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Every type of the county mediator's own list, as every role sees it, by every sort: the same
    rows window by window as the walk (their unled co-mediated cases in it, the township cases they
    lead only where the viewer sees them)."""
    sqlite_db = county
    actors = _edge_cases(sqlite_db)
    ours = actors["mediator"].mediator_id
    held = 0
    with sqlite_db.read() as session:
        types = sorted(session.scalars(select(DisputeCase.dispute_type_id).distinct()))
        for username, actor in actors.items():
            for type_id in types:
                for sort in (caselist.SortKey.RECEIVED, caselist.SortKey.STATE, caselist.SortKey.TEAM):
                    query = CaseQuery(filter=CaseFilter(mediator_id=ours, dispute_type_id=type_id), sort=sort)
                    assert caselist._own_from_the_indexes(session, actor, query) == (actor.center_id is not None)
                    total = caselist.count_cases(session, actor, query)
                    read = _pages(session, actor, query, total)
                    walked = _walked(monkeypatch, partial(_pages, session, actor, query, total))
                    assert read == walked, (username, type_id, sort)
                    held += total
    assert held


SORTS = st.sampled_from([caselist.SortKey.RECEIVED, caselist.SortKey.RELEVANCE, caselist.SortKey.STATE,
                          caselist.SortKey.DISPUTE_TYPE, caselist.SortKey.TEAM, caselist.SortKey.NUMBER])


#: The filters of a narrowed own list: always a type ("type": which of the mediator's types), the
#: rest mostly open, so that most lists hold rows.
NARROWED = st.fixed_dictionaries({
    "type": st.integers(0, 100),
    "states": st.sampled_from([frozenset(), frozenset(), TODO_STATES]),
    "team": st.booleans(),
    "dates": st.sampled_from([None, None, (date(2026, 9, 1), None)]),
    "center": st.booleans(),
})


def _pages(session: Session, actor: Actor, query: CaseQuery, total: int) -> list[list[tuple[int, tuple[Any, ...]]]]:
    """The list as the view reads it: its first rows before the count, then windows of 7 by
    offset, each next one also by its keyset (the last row's sort key), and the last from the end."""
    def ids(rows: list[caselist.CaseRow]) -> list[tuple[int, tuple[Any, ...]]]:
        return [(row.id, row.sort_key) for row in rows]

    pages = [ids(caselist.fetch_window(session, actor, query, 0, 5, total=None))]
    offset = 0
    while offset < total:
        window = caselist.fetch_window(session, actor, query, offset, 7, total=total)
        pages.append(ids(window))
        if window:
            pages.append(ids(caselist.fetch_window(session, actor, query, offset + len(window), 7, total=total,
                                                   after=window[-1].sort_key)))
        offset += 7
    pages.append(ids(caselist.fetch_window(session, actor, query, max(total - 3, 0), 3, total=total)))
    return pages


@ON_SQLITE
def test_on_sqlite_a_narrowed_own_list_reads_the_rows_the_orders_walk_reads(county: Database,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A mediator's own list of a type, read from its two covering indexes, holds
    the same rows in the same order, window by window, as the walk of the order's index (whatever
    the mix of led and co-mediated cases, the role, the sort and its direction); no case row is
    read to find them."""
    sqlite_db = county
    actors = _edge_cases(sqlite_db)
    ours = actors["mediator"].mediator_id
    assert ours is not None
    with sqlite_db.read() as session:
        mediators = list(session.scalars(text("SELECT id FROM mediator ORDER BY id")))
    from_indexes = caselist._own_from_the_indexes
    compared: list[int] = []

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(changes=CHANGES, username=st.sampled_from(USERS), whose=st.integers(0, 100), picked=NARROWED,
           sort=SORTS, descending=st.booleans())
    def same(changes: list[tuple[str, int, int]], username: str, whose: int, picked: dict[str, Any],
             sort: caselist.SortKey, descending: bool) -> None:
        actor = actors[username]
        mediator_id = actor.mediator_id if actor.mediator_id and whose % 2 else \
            ours if whose % 3 else mediators[whose % len(mediators)]
        try:
            with sqlite_db.write() as session:
                _apply(session, changes)
                # A type of theirs (or, with none, one of the county's), so that the lists hold rows.
                theirs = sorted(session.scalars(text(
                    "SELECT DISTINCT dispute_type_id FROM dispute_case WHERE lead_mediator_id = :m OR id IN "
                    "(SELECT case_id FROM case_mediator WHERE mediator_id = :m)"), {"m": mediator_id})) or [1]
                picked = {**picked, "type": theirs[picked["type"] % len(theirs)]}
                query = CaseQuery(filter=_filter(session, actor, mediator_id, picked), sort=sort,
                                  descending=descending)
                total = caselist.count_cases(session, actor, query)
                narrowed = from_indexes(session, actor, query)
                assert narrowed == (sort is not caselist.SortKey.NUMBER and actor.center_id is not None), picked
                read = _pages(session, actor, query, total)
                walked = _walked(monkeypatch, partial(_pages, session, actor, query, total))
                assert read == walked, (username, mediator_id, changes, picked, sort, descending)
                if narrowed:
                    compared.append(total)
                raise _Undo
        except _Undo:
            pass

    same()
    assert any(compared), "no narrowed list held a row"


@ON_SQLITE
def test_on_sqlite_a_narrowed_own_list_is_found_without_reading_a_case_row(county: Database) -> None:
    sqlite_db = county
    actor = _actors_of(sqlite_db)["mediator"]
    assert actor.mediator_id is not None
    with sqlite_db.read() as session:
        for sort in (caselist.SortKey.RECEIVED, caselist.SortKey.STATE, caselist.SortKey.TEAM):
            flt = CaseFilter(mediator_id=actor.mediator_id, team_ids=actor.team_ids, dispute_type_id=2)
            query = CaseQuery(filter=flt, sort=sort)
            assert caselist._own_from_the_indexes(session, actor, query)
            steps, read = _case_steps(session, caselist._own_sorted(actor, query)[0])
            assert any("COVERING INDEX ix_dispute_case_lead" in step for step in read), steps
            assert any("ix_case_mediator_mediator_case" in step for step in read), steps
            for step in read:
                assert "COVERING INDEX" in step, (sort, step)


# --------------------------------------------------------------------------- a township's cards


@pytest.fixture
def carded(db: Database) -> Database:
    with db.write() as session:
        demo.seed(session, 200, seed_value=11, today=TODAY, township_cases=40)
        mix(session)
    for username in ("head", "ljd_head", "dz_head"):  # each center's desk gives its own cases' cards
        actor = auth.login(db, username, demo.DEMO_PASSWORD)
        for day in (date(2026, 11, 10), date(2026, 11, 20), date(2026, 12, 10)):
            with db.write() as session:
                cards.check(session, actor, day)
    return db


def test_a_townships_cards_are_those_the_walk_of_every_card_found(carded: Database,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    actors = _actors(carded)
    few_of = caselist.few_visible_ids
    monkeypatch.setattr(caselist, "SMALL_LIST", 100)  # the county's ~200 cases many, a township's ~40 few
    seen: dict[str, int] = {}
    for username, actor in actors.items():
        with carded.read() as session:
            few = few_of(session, actor) is not None
            assert few == username.startswith(("ljd_", "dz_")), username
            for since, limit in ((None, 500), (date(2026, 11, 15), 200), (None, 3), (date(2026, 12, 10), 1)):
                now = cards.cards(session, actor, since=since, limit=limit)
                monkeypatch.setattr(caselist, "few_visible_ids", lambda *_args: None)
                walked = cards.cards(session, actor, since=since, limit=limit)
                monkeypatch.setattr(caselist, "few_visible_ids", few_of)
                assert now == walked, (username, since, limit)
                if since is None and limit == 500:
                    seen[username] = len(now)
            page = cards.desk_page(session, actor, date(2026, 12, 10))
            assert [c.id for c in page.cards] == [c.id for c in cards.cards(
                session, actor, since=date(2026, 12, 10) - timedelta(days=cards.DESK_CARD_DAYS), limit=200)]
    # The townships' people see cards (else the comparison would be of nothing), fewer than the head.
    assert 0 < seen["ljd_head"] < seen["head"] and 0 < seen["dz_head"] < seen["head"]
    with carded.read() as session:
        every = session.scalar(select(func.count()).select_from(StageCard))
    assert seen["head"] == every


def test_on_sqlite_a_townships_cards_are_read_through_its_cases(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        demo.seed(session, 200, seed_value=11, today=TODAY, township_cases=40)
    actor = auth.login(sqlite_db, "ljd_head", demo.DEMO_PASSWORD)
    with sqlite_db.write() as session:
        assert cards.check(session, actor, date(2026, 12, 10)).given
    with sqlite_db.read() as session:
        with statements_run(sqlite_db) as seen:
            assert cards.desk_page(session, actor, date(2026, 12, 10)).cards
        listed = [(sql, p) for sql, p in seen if "FROM stage_card" in sql and "ORDER BY stage_card.id DESC" in sql]
        assert len(listed) == 1, seen
        steps = query_plan(session, *listed[0])
    assert any("stage_card USING INDEX ix_stage_card_case_id" in step for step in steps), steps
    assert not any(step.startswith("SCAN stage_card") or step.startswith("SCAN dispute_case") for step in steps), steps
