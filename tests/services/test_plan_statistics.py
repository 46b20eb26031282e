"""The planner's statistics of a SQLite file that grows (``services.plan_statistics``): a file
grown from empty to a few thousand skewed cases, its statistics kept by ``refresh`` alone, gets the
intended plans for the desk's statements with the ``INDEXED BY`` hints taken out; the refresh
analyses only what is stale, stops at its budget, leaves a writing desk alone and never runs on a
server."""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import CaseState, DisputeCase, PlannedVisit
from mediation_desk.services import cards, cases, clocks, plan_statistics, statistics, visits
from mediation_desk.services.actor import Actor

from ..conftest import login_as
from .helpers import new_case_input, query_plan, statements_run

TODAY = datetime(2026, 11, 30, 9)
DAY = TODAY.date()


def _grow(db: Database, count: int, seed: int) -> None:
    """``count`` more demo cases, their clocks, and visits planned for some closed ones (the demo
    plans none): most cases closed, most of them long ago, every handling center NULL but a few."""
    with db.write() as session:
        demo.generate_cases(session, count, rng=random.Random(seed), today=TODAY)
        clocks.recompute_open_clocks(session)
        planned = set(session.scalars(select(PlannedVisit.case_id)))
        closed = [i for i in session.scalars(select(DisputeCase.id).where(DisputeCase.state == CaseState.CLOSED)
                                             .order_by(DisputeCase.id)) if i not in planned]
        for n, case_id in enumerate(closed[::7]):
            session.add(PlannedVisit(case_id=case_id, due_on=DAY + timedelta(days=n % 40 - 25), reason="履行情况回访"))


def _reads(head: Actor, mediator: Actor, ljd_head: Actor) -> Callable[[Session], None]:
    def run(session: Session) -> None:
        for actor in (head, mediator):
            visits.count_visits_due(session, actor, DAY)
            visits.visits_due(session, actor, DAY, limit=500)
        for actor in (head, ljd_head, mediator):
            cards.due_cards(session, actor, DAY)
        statistics.count_overdue(session, DAY)
        cards.department_scores(session, head, "2026-11")
    return run


def _plans(db: Database, run: Callable[[Session], None]) -> dict[str, list[str]]:
    db.reader.dispose()  # plans of connections opened now
    with db.read() as session:
        with statements_run(db) as statements:
            run(session)
        return {statement: query_plan(session, statement, parameters) for statement, parameters in statements
                if "dispute_case" in statement or "planned_visit" in statement}


def _first_walk(plan: list[str]) -> str:
    """The outer loop: the plan's first step that walks a table or an index (the department scores'
    loop over the mediators aside: their led cases are what it counts)."""
    return next(step for step in plan if step.startswith(("SEARCH ", "SCAN ")) and step != "SCAN mediator")


#: What each key statement's outer loop should be: a range of the index made for it (by the due
#: day, the yellow day or the closing day), never the state index or a whole table.
INTENDED = (
    ("FROM planned_visit JOIN dispute_case", re.compile(r"SEARCH planned_visit USING INDEX "
                                                        r"ix_planned_visit_(open|due_on) \(due_on<\?\)")),
    ("clock_stage = 'return_visit'",
     re.compile(r"SEARCH dispute_case USING (COVERING )?INDEX ix_dispute_case_first_visit ")),
    ("FROM stage_card AS stage_card_1", re.compile(r"SEARCH dispute_case USING COVERING INDEX ix_dispute_case_clock ")),
    ("dispute_case.lead_mediator_id = mediator.id",
     re.compile(r"SEARCH dispute_case USING COVERING INDEX ix_dispute_case_lead_span ")),
    ("dispute_case.clock_due_on <", re.compile(r"SEARCH dispute_case USING (COVERING )?INDEX ix_dispute_case_due_")),
)


def _intended(plans: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The key statements whose outer loop is not the intended one: (statement, step)."""
    wrong = []
    for statement, plan in plans.items():
        want = next((pattern for marker, pattern in INTENDED if marker in statement), None)
        if want is not None and not want.match(_first_walk(plan)):
            wrong.append((statement, _first_walk(plan)))
    return wrong


def _kinds(plans: dict[str, list[str]]) -> set[str]:
    return {marker for statement in plans for marker, _pattern in INTENDED if marker in statement}


def test_a_file_grown_from_empty_keeps_the_intended_plans_without_index_hints(
        sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # The hints off: the statements as the planner alone would run them.
    monkeypatch.setattr(SQLiteCompiler, "get_from_hint_text", SQLCompiler.get_from_hint_text)
    # A new file: only its few filled tables (the dispute types, the schema's version) are analysed.
    first = plan_statistics.refresh(sqlite_db, pause=0).analysed
    assert first and not [name for name in first if "dispute_case" in name]
    assert plan_statistics.refresh(sqlite_db).analysed == []
    with sqlite_db.write() as session:
        demo.seed(session, 150, seed_value=5, today=TODAY, township_cases=30)
    head, mediator, ljd_head = (login_as(sqlite_db, name) for name in ("head", "mediator", "ljd_head"))
    clerk = login_as(sqlite_db, "clerk")
    for _ in range(5):  # and through the clerk's own service, as a desk does
        case = new_case_input(sqlite_db)
        with sqlite_db.write() as session:
            cases.register_case(session, clerk, case)
    run = _reads(head, mediator, ljd_head)
    refreshed = []
    for count, seed in ((0, 0), (350, 21), (1000, 22), (2500, 23)):  # ~200, 550, 1,550, 4,050 cases
        if count:
            _grow(sqlite_db, count, seed)
        refreshed.append(plan_statistics.refresh(sqlite_db, budget=60, pause=0))
        assert plan_statistics.refresh(sqlite_db).analysed == []  # nothing stale right after
    assert "ix_dispute_case_first_visit" in refreshed[0].analysed
    # Each step more than doubled the cases: their indexes were analysed again each time.
    assert all("ix_dispute_case_clock" in r.analysed for r in refreshed[1:]), refreshed
    with sqlite_db.read() as session:
        assert int(session.scalar(text("SELECT count(*) FROM dispute_case")) or 0) > 4000
        stat = session.scalar(text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_dispute_case_state_received'"))
    # Whole (not sampled): the rows a state holds on average are the file's, not a sample's.
    assert int(str(stat).split()[0]) > 4000 and int(str(stat).split()[1]) > 300

    plans = _plans(sqlite_db, run)
    assert len(plans) >= 9, plans
    assert _intended(plans) == [], "\n".join(f"{s[:160]!r} -> {p}" for s, p in _intended(plans))
    assert len(_kinds(plans)) == len(INTENDED), plans

    # The same file with no statistics (what it had before ``refresh``): the planner alone takes
    # another way for some of them — what the hints were for.
    with sqlite_db.write() as session:
        session.execute(text("DELETE FROM sqlite_stat1"))
    sqlite_db.writer.dispose()
    assert _intended(_plans(sqlite_db, run)) != []
    assert plan_statistics.refresh(sqlite_db, budget=60, pause=0).left == []
    assert _intended(_plans(sqlite_db, run)) == []


def test_the_refresh_stops_at_its_budget_and_leaves_a_writing_desk_alone(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        demo.seed(session, 120, seed_value=9, today=TODAY)
    with sqlite_db.read() as session:
        stale = plan_statistics.stale_indexes(session.connection())
    assert len(stale) > 20 and all(s.analysed is None for s in stale)
    # A clock that moves a second a look: a budget of 3 s starts 3 indexes, then stops.
    ticks = iter(range(10_000))
    first = plan_statistics.refresh(sqlite_db, budget=3, clock=lambda: float(next(ticks)), pause=0)
    assert len(first.analysed) == 3 and len(first.left) == len(stale) - 3
    assert first.analysed == [s.index for s in stale[:3]]
    # Stopped (the desk closing): one index per run at least, the rest the next time.
    assert len(plan_statistics.refresh(sqlite_db, stop=lambda: True).analysed) == 1

    # Meanwhile another desk (its own connection, as another process) saves case after case.
    other = Database(sqlite_db.url, create=False)
    clerk = login_as(other, "clerk")
    saved: list[int] = []
    failures: list[BaseException] = []
    running = threading.Event()

    def save() -> None:
        try:
            while running.is_set() or len(saved) < 20:
                case = new_case_input(other)
                with other.write() as session:
                    saved.append(cases.register_case(session, clerk, case))
                # A desk saves, then its person types: back to back, this writer took SQLite's
                # lock again before the refresh's busy wait woke (no queue), and the test waited.
                time.sleep(0.01)
        except BaseException as error:  # the test reports it
            failures.append(error)

    running.set()
    writer = threading.Thread(target=save)
    writer.start()
    runs = 0
    try:
        while True:
            runs += 1
            done = plan_statistics.refresh(sqlite_db, budget=0)
            assert len(done.analysed) == 1 or (not done.analysed and not done.left)
            if not done.left:
                break
    finally:
        running.clear()
        writer.join()
        other.dispose()
    assert failures == [] and len(saved) >= 20
    assert runs >= len(stale) - 4  # one index a run
    with sqlite_db.read() as session:
        assert session.scalar(text("PRAGMA quick_check")) == "ok"
        assert set(saved) <= set(session.scalars(select(DisputeCase.id)))
        assert plan_statistics.stale_indexes(session.connection()) == []


def test_the_refresh_does_nothing_on_a_server(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 20, seed_value=3, today=TODAY)
    with statements_run(db) as statements:
        done = plan_statistics.refresh(db, budget=60, pause=0)
    if db.is_sqlite:
        assert done.analysed and done.left == []
    else:  # autovacuum analyses a server's tables: not a statement sent
        assert done.analysed == [] and done.left == [] and statements == []


def test_indexes_are_analysed_apart_with_a_pause_and_a_sample_keeps_the_rows_counted(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        demo.seed(session, 120, seed_value=4, today=TODAY)
    pauses: list[float] = []
    # A sample of 50 rows an index (a million-case file's parties, made small).
    done = plan_statistics.refresh(sqlite_db, budget=600, limit=50, sleep=pauses.append)
    assert done.left == [] and len(done.analysed) > 20
    assert pauses == [plan_statistics.PAUSE_SECONDS] * (len(done.analysed) - 1)
    with sqlite_db.read() as session:
        cases_now = int(session.scalar(text("SELECT max(id) FROM dispute_case")) or 0)
        stats: dict[str, str] = {str(idx): str(stat) for idx, stat in session.execute(
            text("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'dispute_case'"))}
        assert plan_statistics.stale_indexes(session.connection()) == []
    # Sampled, SQLite guessed the rows; the whole indexes say the rows counted instead.
    for name in ("ix_dispute_case_state_received", "ix_dispute_case_received", "ix_dispute_case_clock"):
        assert str(stats[name]).split()[0] == str(cases_now), stats


def test_a_partial_index_no_row_meets_yet_is_not_analysed_at_every_look(sqlite_db: Database) -> None:
    """ANALYZE writes no statistics for an index without entries: a new desk's partial index of
    the group disputes (none yet) was found stale at every look and analysed again. It waits, as an
    empty table does, until a row meets its condition."""
    with sqlite_db.write() as session:
        demo.seed(session, 40, seed_value=2, today=datetime(2026, 11, 30, 9))
        session.execute(text("UPDATE dispute_case SET is_group_dispute = 0"))
    plan_statistics.refresh(sqlite_db, pause=0)
    with sqlite_db.read() as session:
        assert plan_statistics.stale_indexes(session.connection()) == []
    assert plan_statistics.refresh(sqlite_db, pause=0).analysed == []
    with sqlite_db.write() as session:
        session.execute(text("UPDATE dispute_case SET is_group_dispute = 1, people_involved = 12 "
                             "WHERE id = (SELECT min(id) FROM dispute_case)"))
    with sqlite_db.read() as session:
        stale = plan_statistics.stale_indexes(session.connection())
    assert [(s.index, s.analysed, s.partial) for s in stale] == [("ix_dispute_case_group_people", None, True)]
    assert plan_statistics.refresh(sqlite_db, pause=0).analysed == ["ix_dispute_case_group_people"]
    with sqlite_db.read() as session:
        assert plan_statistics.stale_indexes(session.connection()) == []
