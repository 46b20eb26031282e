"""A center for the cards' tests: a team led by a stationed (派出所) mediator, another team of the
人社局, the four roles, and cases registered or put in mediation on given days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mediation_desk.db import Database
from mediation_desk.models import Department, DisputeCase, Mediator, Role
from mediation_desk.services import cases, clocks, workflow
from mediation_desk.services.actor import Actor

from .helpers import make_team, make_user, new_case_input


@dataclass
class Center:
    db: Database
    clerk: Actor
    head: Actor
    mediator: Actor
    other: Actor
    team_id: int
    department_id: int
    other_department_id: int


def build_center(db: Database) -> Center:
    team_id, mediator_id = make_team(db)
    _, other_mediator_id = make_team(db, name="婚姻家庭调解团队", mediator_name="王芳")
    with db.write() as session:
        police = Department(name="派出所")
        labour = Department(name="人社局")
        session.add_all([police, labour])
        session.flush()
        session.get_one(Mediator, mediator_id).department_id = police.id
        session.get_one(Mediator, other_mediator_id).department_id = labour.id
        department_id, other_department_id = police.id, labour.id
    return Center(db, make_user(db, "clerk", Role.INTAKE), make_user(db, "head", Role.HEAD),
                  make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id),
                  make_user(db, "other", Role.MEDIATOR, mediator_id=other_mediator_id),
                  team_id, department_id, other_department_id)


def register_on(c: Center, received: datetime) -> int:
    with c.db.write() as session:
        return cases.register_case(session, c.clerk, new_case_input(c.db, received_at=received))


def in_mediation(c: Center, received: datetime, accepted: datetime) -> int:
    """A case accepted on ``accepted`` and assigned to the team, led by its (派出所) mediator."""
    case_id = register_on(c, received)
    with c.db.write() as session:
        workflow.transition(session, c.clerk, case_id, workflow.Action.ACCEPT)
        lead = c.mediator.mediator_id
        cases.assign_case(session, c.head, case_id, team_id=c.team_id, lead_mediator_id=lead)
        case = session.get_one(DisputeCase, case_id)
        case.accepted_at = accepted
        clocks.refresh_clock(session, case)
    return case_id
