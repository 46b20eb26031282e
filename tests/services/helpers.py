"""Small builders shared by the service tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import DisputeType, Mediator, PartyRole, Role, Team, TeamMember
from mediation_desk.services import auth, cases
from mediation_desk.services.actor import Actor

PASSWORD = "Passw0rd!"


def dispute_type_id(db: Database, name: str = "邻里") -> int:
    with db.read() as session:
        return session.scalars(select(DisputeType.id).where(DisputeType.name == name)).one()


def new_case_input(db: Database, *, title: str = "相邻通行纠纷", applicant: str = "张三",
                   respondent: str = "李四", received_at: datetime | None = None) -> cases.CaseInput:
    return cases.CaseInput(
        title=title,
        dispute_type_id=dispute_type_id(db),
        parties=[
            cases.PartyInput(role=PartyRole.APPLICANT, name=applicant),
            cases.PartyInput(role=PartyRole.RESPONDENT, name=respondent),
        ],
        facts="两家因院前通道发生争执。",
        requests=["请求对方拆除堆放物", "恢复通行"],
        received_at=received_at,
    )


def make_team(db: Database, name: str = "城建物业调解团队", mediator_name: str = "李建国") -> tuple[int, int]:
    """A team with one mediator; returns (team id, mediator id)."""
    with db.write() as session:
        mediator = Mediator(name=mediator_name)
        session.add(mediator)
        session.flush()
        team = Team(name=name, lead_mediator_id=mediator.id)
        team.members = [TeamMember(mediator_id=mediator.id)]
        session.add(team)
        session.flush()
        return team.id, mediator.id


def make_user(db: Database, username: str, role: Role, mediator_id: int | None = None) -> Actor:
    with db.write() as session:
        auth.create_user(session, Actor.system("test"), username=username, display_name=username,
                         role=role, password=PASSWORD, mediator_id=mediator_id, must_change_password=False)
    return auth.login(db, username, PASSWORD)


def register(db: Database, actor: Actor, **kwargs: object) -> int:
    with db.write() as session:
        return cases.register_case(session, actor, new_case_input(db, **kwargs))  # type: ignore[arg-type]
