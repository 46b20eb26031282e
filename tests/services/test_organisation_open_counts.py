"""The organisation screen's open cases per team and per lead mediator (migration 0043): counted
exactly (every state but the final ones), on both backends, and on SQLite from the partial indexes
of the open cases rather than a walk of every case."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import DisputeCase
from mediation_desk.models.case import OPEN_CASE_CONDITION
from mediation_desk.services import organisation
from mediation_desk.services.actor import Actor
from mediation_desk.services.workflow import FINAL_STATES

from .helpers import query_plan, statements_run

ACTOR = Actor.system("test")


def test_the_written_out_open_condition_is_the_workflows_final_states() -> None:
    finals = ", ".join(f"'{state.value}'" for state in sorted(FINAL_STATES, key=lambda s: s.value))
    assert f"state NOT IN ({finals})" == OPEN_CASE_CONDITION


def test_open_cases_per_team_and_lead_count_every_open_state_and_no_final_one(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 80, seed_value=11)
    with db.read() as session:
        cases = session.execute(select(DisputeCase.state, DisputeCase.team_id, DisputeCase.lead_mediator_id)).all()
        org = organisation.load_organisation(session, ACTOR)
    assert {state for state, _t, _m in cases} & FINAL_STATES, "the demo has closed or rejected cases"
    by_team = Counter(team for state, team, _m in cases if state not in FINAL_STATES and team is not None)
    by_lead = Counter(lead for state, _t, lead in cases if state not in FINAL_STATES and lead is not None)
    assert sum(by_team.values()) > 0 and sum(by_lead.values()) > 0
    assert {t.id: t.open_cases for t in org.teams if t.open_cases} == dict(by_team)
    assert {m.id: m.open_cases for m in org.mediators if m.open_cases} == dict(by_lead)


def test_on_sqlite_the_counts_read_the_open_case_indexes(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        demo.seed(session, 40, seed_value=5)
    with sqlite_db.read() as session:
        with statements_run(sqlite_db) as statements:
            organisation.load_organisation(session, ACTOR)
        counts = [(s, p) for s, p in statements if "count(*)" in s and "dispute_case" in s]
        assert len(counts) == 2, statements
        plans = [" ".join(query_plan(session, statement, parameters)) for statement, parameters in counts]
    assert "ix_dispute_case_open_team" in plans[0], plans
    assert "ix_dispute_case_open_lead" in plans[1], plans
