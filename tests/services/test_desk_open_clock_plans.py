"""The desk's due list and counts, a mediator's supervision orders and the visits due (migration
0050): each figure equals a recount of the rows on both backends, and on SQLite each is read from
the partial indexes of the open cases' clocks, the open orders and the first visits, never from
the case rows one at a time (on the million-case demo a township head's due list walked ~100,000
yellow and red cases' rows, 475 ms; a mediator's counts and orders their teams' ~180,000, 0.5-0.7 s
each)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import DisputeCase, SupervisionOrder
from mediation_desk.services import pages, visits
from mediation_desk.services.actor import Actor
from mediation_desk.services.workflow import OPEN_STATES

from ..conftest import login_as
from .helpers import query_plan, statements_run

DAY = date(2026, 11, 30)
USERS = ("head", "ljd_head", "mediator")


def _seed(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 300, seed_value=7, today=datetime(2026, 11, 30, 9), township_cases=60)
    with db.write() as session:
        # Orders on every ninth open case (the demo issues none); every other one answered.
        open_cases = session.scalars(select(DisputeCase.id).where(DisputeCase.state.in_(sorted(OPEN_STATES)))
                                     .order_by(DisputeCase.id)).all()
        for n, case_id in enumerate(open_cases[::9]):
            answered = datetime(2026, 11, 29, 10) if n % 2 else None
            session.add(SupervisionOrder(case_id=case_id, issued_at=datetime(2026, 11, 20, 9), instruction=f"督办 {n}",
                                         due_on=DAY + timedelta(days=n % 7), resolved_at=answered,
                                         response="已办" if answered else ""))


def _recount(session: Session, actor: Actor) -> dict[str, object]:
    """The desk's figures of ``actor`` counted in Python from every case row."""
    rows = session.execute(select(DisputeCase.id, DisputeCase.state, DisputeCase.center_id,
                                  DisputeCase.handling_center_id, DisputeCase.team_id, DisputeCase.clock_warn_on,
                                  DisputeCase.clock_due_on)).all()
    teams = actor.team_ids if actor.role.value == "mediator" else None

    def mine(center: int, handling: int | None, team: int | None) -> bool:
        return (handling or center) == actor.center_id and (teams is None or team in teams)

    due = sorted((r.clock_due_on, r.id) for r in rows
                 if r.state in OPEN_STATES and r.clock_due_on is not None and r.clock_warn_on <= DAY
                 and mine(r.center_id, r.handling_center_id, r.team_id))
    overdue = sum(1 for r in rows if r.state in OPEN_STATES and r.clock_due_on is not None and r.clock_due_on < DAY
                  and r.center_id == actor.center_id and (teams is None or r.team_id in teams))
    soon = sum(1 for r in rows if r.state in OPEN_STATES and r.clock_due_on is not None
               and r.clock_warn_on <= DAY <= r.clock_due_on and mine(r.center_id, r.handling_center_id, r.team_id))
    by_id = {r.id: r for r in rows}
    unanswered = session.scalars(select(SupervisionOrder).where(SupervisionOrder.resolved_at.is_(None))).all()
    orders = sorted(o.id for o in unanswered
                    if mine(by_id[o.case_id].center_id, by_id[o.case_id].handling_center_id, by_id[o.case_id].team_id))
    return {"due": [case_id for _due, case_id in due], "overdue": overdue, "soon": soon, "orders": orders}


def _desk(session: Session, actor: Actor) -> dict[str, object]:
    page = pages.desk_page(session, actor, DAY)
    assert page.due is not None and page.orders is not None
    due = sorted((row.due_on, row.case_id) for row in page.due)
    return {"due": [case_id for _due, case_id in due], "overdue": page.overdue, "soon": page.due_soon,
            "orders": sorted(o.id for o in page.orders)}


def test_the_desks_figures_equal_a_recount_of_the_rows(db: Database) -> None:
    _seed(db)
    seen = set()
    for username in USERS:
        actor = login_as(db, username)
        with db.read() as session:
            desk, recount = _desk(session, actor), _recount(session, actor)
        assert desk == recount, username
        seen |= {key for key, value in desk.items() if value}
    assert seen == {"due", "overdue", "soon", "orders"}, "the demo gives each figure something to count"


def _plans(db: Database, run: Callable[[Session], object]) -> list[tuple[str, str]]:
    with db.read() as session:
        with statements_run(db) as statements:
            run(session)
        return [(statement, " | ".join(query_plan(session, statement, parameters)))
                for statement, parameters in statements if statement.lstrip().upper().startswith("SELECT")]


#: The million-case demo's statistics of the indexes the planner weighs (sqlite_stat1, 2026-12-06).
MILLION = {
    "ix_dispute_case_clock": "1000000 1000000 1000000", "ix_dispute_case_due_center": "1000000 1000000 83334 83334",
    "ix_dispute_case_due_soon": "1000000 1000000 1000000 83334",
    "ix_dispute_case_state_received": "1000000 83334 1 1", "ix_dispute_case_team_received": "1000000 166667 1 1",
    "ix_dispute_case_open_team": "221369 36895", "ix_dispute_case_open_lead": "221369 8515",
    "ix_dispute_case_handling_center_id": "1000000 1000000", "ix_dispute_case_center_received": "1000000 1000000 1 1",
    "ix_dispute_case_open_clock": "221391 604 501 295 293 291 68",
    "ix_dispute_case_first_visit": "21272 62 1 1 1 1 1 1",
}


@pytest.mark.parametrize("statistics", ["analysed", "none", "million"])
def test_on_sqlite_the_desk_reads_its_figures_from_the_indexes(sqlite_db: Database, statistics: str) -> None:
    _seed(sqlite_db)
    if statistics != "none":
        with sqlite_db.write() as session:
            session.execute(text("ANALYZE"))
            if statistics == "million":
                for index, stat in MILLION.items():
                    session.execute(text("DELETE FROM sqlite_stat1 WHERE idx = :i"), {"i": index})
                    session.execute(text("INSERT INTO sqlite_stat1 VALUES ('dispute_case', :i, :s)"),
                                    {"i": index, "s": stat})
    sqlite_db.dispose()  # the planner reads the statistics when a connection loads the schema
    for username in USERS:
        actor = login_as(sqlite_db, username)

        def run(session: Session, actor: Actor = actor) -> None:
            pages.desk_page(session, actor, DAY)
            pages.visits_due_page(session, actor, DAY)
            visits.count_visits_due(session, actor, DAY)  # the page counts when its list is full

        plans = _plans(sqlite_db, run)
        for statement, plan in plans:
            if "FROM dispute_case" in statement and "dispute_case.clock_warn_on <=" in statement:
                # The due list and the due-soon count: the open cases' clocks.
                assert "ix_dispute_case_open_clock" in plan, (username, statement, plan)
            if "count(*)" in statement and "dispute_case.clock_warn_on <=" in statement:
                assert "COVERING INDEX ix_dispute_case_open_clock" in plan, (username, statement, plan)
            if "count(*)" in statement and "dispute_case.clock_due_on <" in statement and "team_id IN" in statement \
                    and "planned_visit" not in statement:
                # A mediator's overdue count (a head's: ix_dispute_case_due_center, as the statistics').
                assert "COVERING INDEX ix_dispute_case_open_clock" in plan, (username, statement, plan)
            if "FROM supervision_order" in statement:
                assert plan.startswith("SCAN supervision_order USING INDEX ix_supervision_order_open"), (username, plan)
            if "ix_dispute_case_first_visit" in statement and "count(*)" in statement:
                assert "COVERING INDEX ix_dispute_case_first_visit" in plan, (username, statement, plan)
        assert sum("ix_dispute_case_first_visit" in s and "count(*)" in s for s, _p in plans) == 1, plans
        assert sum("FROM supervision_order" in s for s, _p in plans) == 1, plans
