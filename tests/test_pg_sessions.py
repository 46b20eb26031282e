"""Sessions on a center server: a mediator connected as their own login role reads only their
teams' sessions (row-level security, migration 0024), yet a clash with another team's session is
found and named through ``md_session_clashes``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from mediation_desk.db import Database
from mediation_desk.models import MediationSession, Role, SessionParty
from mediation_desk.services import auth, sessions
from mediation_desk.services.actor import Actor

from .services.helpers import PASSWORD
from .services.sessions_world import STORY_DAY, SessionsWorld

pytestmark = [pytest.mark.postgresql, pytest.mark.story_day(STORY_DAY)]


@pytest.fixture
def server(pg_database_url: str) -> Iterator[tuple[SessionsWorld, Database]]:
    owner = Database(pg_database_url)
    world = SessionsWorld(owner)
    with owner.write() as session:
        desk_role = str(session.scalar(text("SELECT md_install_desk_role()")))
        auth.create_user(session, Actor.system("test"), username="other", display_name="王秀英", role=Role.MEDIATOR,
                         password=PASSWORD, mediator_id=world.other_mediator_id, must_change_password=False)
    desk = Database(make_url(pg_database_url).set(username=desk_role))
    yield world, desk
    desk.dispose()
    owner.dispose()


def test_a_clash_with_a_session_the_mediator_cannot_read_is_named(server: tuple[SessionsWorld, Database]) -> None:
    world, desk = server
    hidden = world.case()
    booked = world.schedule(hidden, "2026-12-01T09:00", "2026-12-01T11:00")
    own = world.case(team_id=world.other_team_id, applicant="赵五", respondent="钱六")

    other = auth.login(desk, "other", PASSWORD)
    with desk.read() as session:
        assert session.scalar(select(func.count()).select_from(MediationSession)) == 0
        assert session.scalar(select(func.count()).select_from(SessionParty)) == 0
    data = world.data(own, "2026-12-01T10:00", "2026-12-01T12:00", mediator_ids=[world.other_mediator_id])
    with desk.write() as session, pytest.raises(sessions.DoubleBooked) as caught:
        sessions.schedule(session, other, own, data)
    assert [c.kind for c in caught.value.clashes] == ["room"]
    assert booked.case_number in str(caught.value) and "09:00—11:00" in str(caught.value)

    # Another room: scheduled through the mediator's own role, and only their row is theirs to read.
    data.room_id = world.rooms[1]
    with desk.write() as session:
        sessions.schedule(session, other, own, data)
    with desk.read() as session:
        assert session.scalars(select(MediationSession.case_id)).all() == [own]
