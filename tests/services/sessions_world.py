"""A center with three rooms, two teams and cases in mediation: the sessions tests' world."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mediation_desk.db import Database
from mediation_desk.models import Party, Role
from mediation_desk.readmodels.sessions import SessionInfo
from mediation_desk.services import cases, sessions, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.workflow import Action
from tests.services.helpers import make_team, make_user, new_case_input

#: The story's day: Monday 30 November 2026 (the sessions are that week).
STORY_DAY = "2026-11-30T10:00"


class SessionsWorld:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.team_id, self.mediator_id = make_team(db, mediator_name="李建国")
        self.other_team_id, self.other_mediator_id = make_team(db, "农林水牧调解团队", "王秀英")
        self.clerk = make_user(db, "clerk", Role.INTAKE)
        self.head = make_user(db, "head", Role.HEAD)
        self.mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=self.mediator_id)
        with db.write() as session:
            self.rooms = [sessions.save_room(session, self.head, None, name=name, capacity=capacity,
                                             location="二楼").id
                          for name, capacity in (("第一调解室", 8), ("第二调解室", 6), ("第三调解室", 12))]

    def case(self, *, team_id: int | None = None, applicant: str = "张三", respondent: str = "李四",
             applicant_id: str = "") -> int:
        data = new_case_input(self.db, applicant=applicant, respondent=respondent)
        data.parties[0].id_number = applicant_id
        with self.db.write() as session:
            case_id = cases.register_case(session, self.clerk, data)
            workflow.transition(session, self.head, case_id, Action.ACCEPT)
            cases.assign_case(session, self.head, case_id, team_id=team_id or self.team_id)
        return case_id

    def party_ids(self, case_id: int) -> list[int]:
        with self.db.read() as session:
            return [p.id for p in session.query(Party).filter(Party.case_id == case_id).order_by(Party.seq)]

    def data(self, case_id: int, starts: str, ends: str, *, room: int = 0, mediator_ids: list[int] | None = None,
             party_ids: list[int] | None = None, **extra: Any) -> sessions.SessionInput:
        return sessions.SessionInput(
            room_id=self.rooms[room], starts_at=datetime.fromisoformat(starts), ends_at=datetime.fromisoformat(ends),
            mediator_ids=mediator_ids if mediator_ids is not None else [self.mediator_id],
            party_ids=party_ids if party_ids is not None else self.party_ids(case_id), **extra)

    def schedule(self, case_id: int, starts: str, ends: str, *, actor: Actor | None = None, confirmed: bool = False,
                 **kwargs: Any) -> SessionInfo:
        with self.db.write() as session:
            return sessions.schedule(session, actor or self.head, case_id, self.data(case_id, starts, ends, **kwargs),
                                     confirmed=confirmed)
