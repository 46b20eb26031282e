"""The routing panel's loads (分派 / 改派: ``assignment.suggest``, ``assignment.lead_options``): each
team's and each member's open cases, counted exactly, and on SQLite from the partial indexes of the
open cases, for the center's own teams and the team's own members only. Counted from every case
(a bound ``NOT IN`` no partial index matches), opening the panel read the whole case table's team
and lead indexes: 0.5 s warm, 72 s from a cold disk on the million-case demo (2026-12-07)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import DisputeCase, Team
from mediation_desk.services import assignment
from mediation_desk.services.workflow import FINAL_STATES

from .helpers import query_plan, statements_run


def _open_case(db: Database) -> int:
    with db.read() as session:
        return int(session.scalars(select(DisputeCase.id).where(DisputeCase.state.not_in(FINAL_STATES))
                                   .order_by(DisputeCase.id.desc()).limit(1)).one())


def test_the_suggestions_loads_count_every_open_case_of_each_team_and_lead(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 80, seed_value=11)
    case_id = _open_case(db)
    with db.read() as session:
        rows = session.execute(select(DisputeCase.state, DisputeCase.team_id, DisputeCase.lead_mediator_id)).all()
        suggestion = assignment.suggest(session, case_id)
        leads = {team.team_id: assignment.lead_options(session, team.team_id) for team in suggestion.teams}
        centers = set(session.scalars(select(Team.center_id).where(Team.id.in_([t.team_id for t in suggestion.teams]))))
    assert {state for state, _t, _m in rows} & FINAL_STATES, "the demo has closed or rejected cases"
    by_team = Counter(team for state, team, _m in rows if state not in FINAL_STATES and team is not None)
    by_lead = Counter(lead for state, _t, lead in rows if state not in FINAL_STATES and lead is not None)
    assert centers == {suggestion.center_id}
    assert suggestion.teams and any(team.open_cases for team in suggestion.teams)
    assert {team.team_id: team.open_cases for team in suggestion.teams} == \
        {team.team_id: by_team.get(team.team_id, 0) for team in suggestion.teams}
    members = [option for options in leads.values() for option in options]
    assert members and any(option.open_cases_led for option in members)
    assert {m.mediator_id: m.open_cases_led for m in members} == {m.mediator_id: by_lead.get(m.mediator_id, 0)
                                                                   for m in members}


def test_on_sqlite_the_loads_read_the_open_case_indexes_of_the_teams_and_members_shown(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        demo.seed(session, 40, seed_value=5)
    case_id = _open_case(sqlite_db)
    with sqlite_db.read() as session:
        with statements_run(sqlite_db) as statements:
            suggestion = assignment.suggest(session, case_id)
        assert suggestion.team is not None
        counts = [(s, p) for s, p in statements if "count(*)" in s and "dispute_case" in s]
        assert len(counts) == 2, statements  # the teams' loads, then the first team's members'
        plans = [" ".join(query_plan(session, statement, parameters)) for statement, parameters in counts]
    assert "ix_dispute_case_open_team" in plans[0] and "team_id=?" in plans[0], plans
    assert "ix_dispute_case_open_lead" in plans[1] and "lead_mediator_id=?" in plans[1], plans
