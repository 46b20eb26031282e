"""Migration 0044 dropped ``ix_dispute_case_due_state (clock_due_on, state)``, the first two
columns of ``ix_dispute_case_due_center (clock_due_on, state, center_id)``: every case insert (a
batch import's 100,000) kept one B-tree less. The queries of the overdue cases (the statistics,
the desk, a head's centers) and of the cases due soon still go through an index that begins with
the due day, never through the whole table."""

from __future__ import annotations

from datetime import date

from sqlalchemy import inspect, text

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import CaseState
from mediation_desk.services import clocks, statistics
from mediation_desk.services.actor import Actor

from .helpers import query_plan, statements_run

ACTOR = Actor.system("test")
DAY = date(2026, 11, 30)


def _plans(db: Database, run: object) -> dict[str, list[str]]:
    """The plan of each statement on dispute_case that ``run(session)`` makes."""
    with db.read() as session:
        with statements_run(db) as statements:
            run(session)  # type: ignore[operator]
        return {statement: query_plan(session, statement, parameters)
                for statement, parameters in statements if "dispute_case" in statement}


def test_the_due_day_queries_use_an_index_without_the_dropped_prefix(sqlite_db: Database) -> None:
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(sqlite_db.writer).get_indexes("dispute_case")}
    assert "ix_dispute_case_due_state" not in indexes
    assert indexes["ix_dispute_case_due_center"] == ["clock_due_on", "state", "center_id"]
    with sqlite_db.write() as session:
        demo.seed(session, 300, seed_value=7)
        session.execute(text("ANALYZE"))
    sqlite_db.dispose()  # the planner reads the statistics when a connection loads the schema
    open_states = frozenset(s for s in CaseState if s not in (CaseState.CLOSED, CaseState.REJECTED))

    def run(session: object) -> None:
        statistics.count_overdue(session, DAY)  # type: ignore[arg-type]
        statistics.count_overdue(session, DAY, centers=[1, 2])  # type: ignore[arg-type]
        clocks.count_due_soon(session, DAY, states=open_states)  # type: ignore[arg-type]

    plans = _plans(sqlite_db, run)
    assert len(plans) == 3, plans
    for statement, plan in plans.items():
        steps = [step for step in plan if "dispute_case" in step]
        # The due-soon count of the open states: the open cases' clocks (migration 0050), also by due day.
        assert steps and all("INDEX ix_dispute_case_due_" in step or "INDEX ix_dispute_case_open_clock (clock_due_on"
                             in step for step in steps), (statement, plan)
