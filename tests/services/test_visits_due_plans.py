"""The desk's return visits due (``visits.visits_due``, ``count_visits_due``) read each of their two
sources through its partial index, whatever statistics the planner has: on the 1,000,000-case demo
(its ANALYZE ran before its clocks, so the index of the first visits had no statistics) the count
went through the state index and read every closed case, 0.8-1.3 s; 15 ms through the index. The
rows are the same as the planner's own choice gives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import CaseState, DisputeCase, PlannedVisit, User
from mediation_desk.services import auth, pages, visits
from mediation_desk.services.actor import Actor

from .helpers import query_plan, statements_run

DAY = date(2026, 11, 30)
PARTIAL = {"planned_visit": "ix_planned_visit_open", "dispute_case": "ix_dispute_case_first_visit"}


def _seed(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 400, seed_value=11, today=datetime(2026, 11, 30, 9))
        # The demo plans no visits: plan the first visit of every third case whose clock runs (the
        # others stay unplanned), and a visit of how an agreement is kept for every tenth closed case.
        waiting = session.execute(select(DisputeCase.id, DisputeCase.clock_due_on).where(
            text("dispute_case.state = 'closed' AND dispute_case.clock_stage = 'return_visit'"))
            .order_by(DisputeCase.id)).all()
        assert len(waiting) >= 5, "the demo has closed cases waiting for their first visit"
        for case_id, due in waiting[::3]:
            session.add(PlannedVisit(case_id=case_id, due_on=due, reason="首次回访"))
        closed = session.scalars(select(DisputeCase.id).where(DisputeCase.state == CaseState.CLOSED)
                                 .order_by(DisputeCase.id)).all()
        assert len(closed) > 100
        for n, case_id in enumerate(closed[::10]):
            session.add(PlannedVisit(case_id=case_id, due_on=DAY + timedelta(days=n % 30 - 20), reason="履行情况回访"))


def _statistics(db: Database, kind: str) -> None:
    """``none``: a new file's (no ANALYZE); ``demo``: analysed while the two indexes were empty."""
    if kind == "demo":
        with db.write() as session:
            session.execute(text("ANALYZE"))
            session.execute(text("DELETE FROM sqlite_stat1 WHERE idx IN (:a, :b)"),
                            {"a": PARTIAL["planned_visit"], "b": PARTIAL["dispute_case"]})
    db.dispose()  # the planner reads the statistics when a connection loads the schema


def _reads(actors: list[Actor]) -> Callable[[Session], object]:
    def run(session: Session) -> object:
        return [(visits.visits_due(session, actor, DAY), visits.count_visits_due(session, actor, DAY),
                 pages.visits_due_page(session, actor, DAY), visits.visits_due(session, actor, DAY + timedelta(60)))
                for actor in actors]
    return run


@pytest.mark.parametrize("stats", ["none", "demo"])
def test_visits_due_go_through_their_partial_indexes(sqlite_db: Database, stats: str) -> None:
    _seed(sqlite_db)
    _statistics(sqlite_db, stats)
    with sqlite_db.read() as session:
        actors = [auth.actor_for(session, user) for user in session.scalars(
            select(User).where(User.username.in_(["head", "mediator"])).order_by(User.username))]
    assert len(actors) == 2
    run = _reads(actors)
    with sqlite_db.read() as session:
        with statements_run(sqlite_db) as statements:
            got = run(session)
        plans = {statement: query_plan(session, statement, parameters)
                 for statement, parameters in statements if "planned_visit" in statement}
    # Each source listed (with and without a limit) and counted, for the head and for a mediator.
    assert len(plans) >= 8, plans
    assert {index for index in PARTIAL.values() for plan in plans.values() if index in plan[0]} == set(PARTIAL.values())
    for statement, plan in plans.items():
        # The outer loop: one of the two partial indexes, by the due day; every other table by key.
        # (The first visits' index covers a count since migration 0050.)
        first = plan[0].replace("USING COVERING INDEX", "USING INDEX")
        assert any(first.startswith(f"SEARCH {table} USING INDEX {index} (due_on<?)")
                   or first.startswith(f"SEARCH {table} USING INDEX {index} (clock_due_on<?)")
                   for table, index in PARTIAL.items()), (statement, plan)
        for step in plan[1:]:
            assert "SCAN" not in step and "ix_dispute_case_state" not in step, (statement, plan)
    assert any(rows for rows, *_ in got), "some visits are due on the day asked"  # type: ignore[attr-defined]

    # The same rows and counts as without the hint (the planner's own plan).
    plain = Database(sqlite_db.url, create=False)
    original = SQLiteCompiler.get_from_hint_text
    try:
        SQLiteCompiler.get_from_hint_text = SQLCompiler.get_from_hint_text  # type: ignore[method-assign]
        with plain.read() as session, statements_run(plain) as unhinted:
            expected = run(session)
    finally:
        SQLiteCompiler.get_from_hint_text = original  # type: ignore[method-assign]
        plain.dispose()
    assert not any("INDEXED BY" in statement for statement, _ in unhinted)
    assert got == expected


def test_a_county_sized_demo_has_the_statistics_of_its_filled_clocks(sqlite_db: Database,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The bulk path (as for 1,000,000 cases, here from 400) analyses the clocks' indexes after
    the clocks are filled: the first visits' partial index has statistics of its real rows, and the
    due days are not all NULL to the planner."""
    from mediation_desk.services import search

    monkeypatch.setattr(search, "BULK_ROWS", 300)
    with sqlite_db.write() as session:
        demo.seed(session, 400, seed_value=11, today=datetime(2026, 11, 30, 9))
    with sqlite_db.read() as session:
        names = dict(zip("abcde", demo.CLOCK_INDEXES, strict=True))
        asked = text("SELECT idx, stat FROM sqlite_stat1 WHERE idx IN (:a, :b, :c, :d, :e)")
        stats: dict[str, str] = {str(idx): str(stat) for idx, stat in session.execute(asked, names)}
        waiting = session.scalar(text("SELECT count(*) FROM dispute_case WHERE state = 'closed' "
                                      "AND clock_stage = 'return_visit'"))
        cases = session.scalar(select(func.count()).select_from(DisputeCase))
        distinct_due = session.scalar(select(func.count(DisputeCase.clock_due_on.distinct())))
    assert waiting and stats[demo.CLOCK_INDEXES[0]].split()[0] == str(waiting)
    total, per_due_day = (int(n) for n in stats["ix_dispute_case_due_center"].split()[:2])
    assert cases is not None and distinct_due is not None
    assert total == cases and distinct_due > 1 and per_due_day < cases
