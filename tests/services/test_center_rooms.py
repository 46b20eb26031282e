"""Each center's own mediation rooms (migration 0047, docs/sessions.md "Rooms"), through the
services on both backends: a township's people are offered and book only their own rooms, a case
assigned down (交办) books the handling center's, the county head cannot book a township's room; a
head sets up only their own center's rooms; the township's session notice prints its own address
and room (PDF read back with positions); the mediator's calendar file names the township.

On the owner's connection (this file) PostgreSQL applies no row security: the services' checks
are what is tried; tests/test_pg_county_story.py tries the server's (SQL as each login role).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import CenterSetting, MediationSession, Mediator
from mediation_desk.readmodels.center import CenterProfile
from mediation_desk.readmodels.sessions import RoomInfo
from mediation_desk.services import assignment, cases, center, crossings, printing, sessions, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied
from mediation_desk.services.workflow import Action
from tests.composition import page_lines

from .helpers import BACKENDS, new_case_input, seeded_demo
from .helpers import actor_named as _actor
from .test_county_routing import _center

TODAY = datetime(2026, 9, 25, 10, 0)
LJD_ADDRESS = "甘州区梁家墩镇政府院内综治中心"
#: A Monday, a working day.
DAY = datetime(2026, 10, 12)


@pytest.fixture(params=BACKENDS)
def county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The demo county (its center and two townships, a few cases each), on each backend: the
    test's own copy of the one seeded once a worker (helpers.seeded_demo)."""
    with seeded_demo(request, tmp_path, 4, today=TODAY, township_cases=2) as db:
        yield db


def _room_names(rooms: Sequence[RoomInfo]) -> list[str]:
    return [r.name for r in rooms]


def _accepted_case(db: Database, clerk: Actor, team: int, lead: int, *, applicant: str = "张三") -> int:
    with db.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(db, applicant=applicant, received_at=TODAY))
        workflow.transition(session, clerk, case_id, Action.ACCEPT)
        assignment.assign(session, clerk, case_id, team_id=team, lead_mediator_id=lead)
    return case_id


def _input(db: Database, case_id: int, room: int, mediator: int, hour: int) -> sessions.SessionInput:
    with db.read() as session:
        parties = [p.id for p in cases.case_detail(session, Actor.system("test"), case_id).parties]
    return sessions.SessionInput(room, DAY.replace(hour=hour), DAY.replace(hour=hour + 1), [mediator], parties)


def test_a_townships_people_see_and_book_only_their_own_rooms(county: Database) -> None:
    db = county
    county_id, _team, _lead = _center(db, "甘矛调")
    ljd_id, ljd_team, ljd_lead = _center(db, "甘州梁家墩调")
    ljd_clerk, ljd_mediator, head = _actor(db, "ljd_clerk"), _actor(db, "ljd_mediator"), _actor(db, "head")
    with db.read() as session:
        county_rooms = sessions.list_rooms(session, active_only=True, center_id=county_id)
        ljd_rooms = sessions.list_rooms(session, active_only=True, center_id=ljd_id)
    assert _room_names(county_rooms) == [name for name, _c, _w in demo.DEMO_ROOMS]
    assert _room_names(ljd_rooms) == [name for name, _c, _w in demo.TOWNSHIP_ROOMS]

    case_id = _accepted_case(db, ljd_clerk, ljd_team, ljd_lead)
    with db.read() as session:
        page = sessions.case_sessions_page(session, ljd_mediator, case_id)
        own = sessions.rooms_page(session, _actor(db, "ljd_head"))
        counties = sessions.rooms_page(session, head)
    assert [r.id for r in page.rooms] == [r.id for r in ljd_rooms]  # the booking dialog's rooms
    with db.read() as session:  # … and its mediators: the township's own
        ljd_people = set(session.scalars(select(Mediator.id).where(Mediator.center_id == ljd_id)))
    assert {m.id for m in page.mediators} == ljd_people and ljd_lead in ljd_people
    assert own.center_name == "甘州区梁家墩镇综治中心" and [r.id for r in own.rooms] == [r.id for r in ljd_rooms]
    assert [r.id for r in counties.rooms] == [r.id for r in county_rooms]

    # A county room, given by id: refused, naming the field and the handling center; nothing booked.
    with pytest.raises(InvalidInput) as refused, db.write() as session:
        sessions.schedule(session, ljd_mediator, case_id, _input(db, case_id, county_rooms[0].id, ljd_lead, 9),
                          confirmed=True)
    assert refused.value.field == "room_id"
    assert refused.value.message == (f"调解室“{county_rooms[0].name}”不是承办本案的甘州区梁家墩镇综治中心的调解室，"
                                     "请选择本中心的调解室。")
    with db.write() as session:
        booked = sessions.schedule(session, ljd_mediator, case_id,
                                   _input(db, case_id, ljd_rooms[0].id, ljd_lead, 9), confirmed=True)
    assert booked.room_name == ljd_rooms[0].name
    with db.read() as session:
        assert [s.room_id for s in sessions.sessions_of_case(session, ljd_mediator, case_id)] == [ljd_rooms[0].id]
        # The county head's calendar shows the township's session in the township's room.
        calendar = sessions.calendar_page(session, head, DAY.date(), 1)
        mine = sessions.calendar_page(session, ljd_mediator, DAY.date(), 1)
    assert ljd_rooms[0].id in [r.id for r in calendar.rooms]
    assert [r.id for r in mine.rooms] == [r.id for r in ljd_rooms]


def test_the_county_head_cannot_book_a_townships_room_and_a_case_assigned_down_books_the_handlers(
        county: Database) -> None:
    db = county
    county_id, county_team, county_lead = _center(db, "甘矛调")
    dz_id, dz_team, dz_lead = _center(db, "甘州党寨调")
    clerk, head, dz_clerk = _actor(db, "clerk"), _actor(db, "head"), _actor(db, "dz_clerk")
    with db.read() as session:
        county_rooms = sessions.list_rooms(session, active_only=True, center_id=county_id)
        dz_rooms = sessions.list_rooms(session, active_only=True, center_id=dz_id)
    case_id = _accepted_case(db, clerk, county_team, county_lead)
    with pytest.raises(InvalidInput, match=r"不是承办本案的.*的调解室") as refused, db.write() as session:
        sessions.schedule(session, head, case_id, _input(db, case_id, dz_rooms[0].id, county_lead, 9),
                          confirmed=True)
    assert refused.value.field == "room_id"
    # Nor a township's mediator for a county case (the county's people mediate it).
    not_ours = r"^调解员.*不是承办本案的张掖市甘州区矛盾纠纷调处中心的调解员。$"
    with pytest.raises(InvalidInput, match=not_ours) as stranger, db.write() as session:
        sessions.schedule(session, head, case_id, _input(db, case_id, county_rooms[0].id, dz_lead, 9), confirmed=True)
    assert stranger.value.field == "mediator_ids"
    with db.write() as session:
        first = sessions.schedule(session, head, case_id, _input(db, case_id, county_rooms[0].id, county_lead, 9),
                                  confirmed=True)

    # 交办 to 党寨: its rooms now, its clerk books them; the county's are refused.
    with db.write() as session:
        crossings.assign(session, head, case_id, to_center_id=dz_id, working_days=5, reason="请党寨镇就地调处",
                         today=date(2026, 9, 25))
        assignment.route(session, dz_clerk, case_id, team_id=dz_team, lead_mediator_id=dz_lead)
    with db.read() as session:
        page = sessions.case_sessions_page(session, dz_clerk, case_id)
    assert [r.id for r in page.rooms] == [r.id for r in dz_rooms]
    with pytest.raises(InvalidInput, match="不是承办本案的甘州区党寨镇综治中心的调解室"), db.write() as session:
        sessions.schedule(session, dz_clerk, case_id, _input(db, case_id, county_rooms[1].id, dz_lead, 14),
                          confirmed=True)
    with db.write() as session:
        second = sessions.schedule(session, dz_clerk, case_id, _input(db, case_id, dz_rooms[1].id, dz_lead, 14),
                                   confirmed=True)
        # The county's session booked before the case went down keeps its room when moved in time.
        moved = _input(db, case_id, county_rooms[0].id, dz_lead, 10)
        sessions.update(session, dz_clerk, first.id, moved, expected_version=first.version, confirmed=True)
    assert second.room_name == dz_rooms[1].name


def test_a_head_sets_up_only_their_own_centers_rooms(county: Database) -> None:
    db = county
    county_id, _team, _lead = _center(db, "甘矛调")
    ljd_id, _ljd_team, _ljd_lead = _center(db, "甘州梁家墩调")
    ljd_head, head, ljd_mediator = _actor(db, "ljd_head"), _actor(db, "head"), _actor(db, "ljd_mediator")
    with db.write() as session:
        # The county has a 第一调解室; a township may have one of the same name.
        added = sessions.save_room(session, ljd_head, None, name="第一调解室", capacity=12, location="二楼")
    assert added.center_id == ljd_id
    with pytest.raises(InvalidInput, match="本中心已有名为“第一调解室”的调解室") as twice, db.write() as session:
        sessions.save_room(session, ljd_head, None, name="第一调解室", capacity=4)
    assert twice.value.field == "name"
    with db.read() as session:
        county_room = sessions.list_rooms(session, center_id=county_id)[0]
    county_only = "属于张掖市甘州区矛盾纠纷调处中心，只能由该中心设置"
    with pytest.raises(PermissionDenied, match=county_only), db.write() as session:
        sessions.save_room(session, ljd_head, county_room.id, name="被改名", capacity=4)
    with pytest.raises(PermissionDenied, match="属于甘州区梁家墩镇综治中心"), db.write() as session:
        sessions.save_room(session, head, added.id, name="被改名", capacity=4)
    with pytest.raises(PermissionDenied), db.write() as session:
        sessions.save_room(session, ljd_mediator, None, name="第九调解室", capacity=4)
    with db.read() as session:
        assert sessions.list_rooms(session, center_id=county_id)[0] == county_room
        assert "被改名" not in _room_names(sessions.list_rooms(session))


def test_the_townships_notice_prints_its_own_address_and_room(county: Database) -> None:
    db = county
    _ljd_id, ljd_team, ljd_lead = _center(db, "甘州梁家墩调")
    ljd_clerk, ljd_head, ljd_mediator = _actor(db, "ljd_clerk"), _actor(db, "ljd_head"), _actor(db, "ljd_mediator")
    with db.write() as session:
        center.set_profile(session, ljd_head, CenterProfile(address=LJD_ADDRESS, phone="0936-8123456"))
        room = sessions.save_room(session, ljd_head, None, name="梁家墩说事室", capacity=8, location="综治中心三楼")
    case_id = _accepted_case(db, ljd_clerk, ljd_team, ljd_lead, applicant="王秀英")
    with db.write() as session:
        booked = sessions.schedule(session, ljd_mediator, case_id, _input(db, case_id, room.id, ljd_lead, 9),
                                   confirmed=True)
    with db.read() as session:
        pdf = printing.session_notices(session, ljd_mediator, booked.id, issued_on=date(2026, 10, 9))
        county_rooms = _room_names(sessions.list_rooms(session, center_id=_center(db, "甘矛调")[0]))
    lines = page_lines(pdf)[0]
    place = next(line for line in lines if line.text.startswith("调解地点"))
    assert place.text.replace(" ", "") == f"调解地点：{LJD_ADDRESS}综治中心三楼梁家墩说事室"
    # Printed in the upper half of the page, below the heading, left-aligned with the other labels.
    time_line = next(line for line in lines if line.text.startswith("调解时间"))
    assert place.y < time_line.y and abs(place.x0 - time_line.x0) < 1
    printed = "".join(line.text for line in lines)
    for other in county_rooms:
        assert other not in printed
    assert "张掖市甘州区矛盾纠纷调处中心" not in printed


def test_the_mediators_calendar_file_names_the_township(county: Database) -> None:
    db = county
    _ljd_id, ljd_team, ljd_lead = _center(db, "甘州梁家墩调")
    ljd_clerk, ljd_head, ljd_mediator = _actor(db, "ljd_clerk"), _actor(db, "ljd_head"), _actor(db, "ljd_mediator")
    with db.write() as session:
        center.set_profile(session, ljd_head, CenterProfile(address=LJD_ADDRESS))
        rooms = sessions.rooms_of(session, ljd_head, active_only=True)
    first = _accepted_case(db, ljd_clerk, ljd_team, ljd_lead, applicant="王秀英")
    second = _accepted_case(db, ljd_clerk, ljd_team, ljd_lead, applicant="李桂兰")
    with db.write() as session:
        old = sessions.schedule(session, ljd_mediator, first, _input(db, first, rooms[0].id, ljd_lead, 9),
                                confirmed=True)
        # As if migration 0047 had found this session: its event keeps the UID it was exported with.
        session.merge(CenterSetting(key=sessions.LEGACY_UIDS_KEY, value=str(old.id)))
        new = sessions.schedule(session, ljd_mediator, second, _input(db, second, rooms[1].id, ljd_lead, 14),
                                confirmed=True)
    with db.write() as session:
        data = sessions.mediator_ics(session, ljd_mediator, ljd_lead, start=DAY.date(), end=DAY.date())
        new_uid = session.scalar(select(MediationSession.uid).where(MediationSession.id == new.id))
    with db.read() as session:  # whom a township's clerk may export: the township's mediators only
        offered = {c.id for c in sessions.ics_mediators(session, ljd_clerk)}
        township = set(session.scalars(select(Mediator.id).where(Mediator.center_id == _center(db, "甘州梁家墩调")[0],
                                                                 Mediator.active.is_(True))))
    assert offered == township and ljd_lead in offered
    calendar = Calendar.from_ical(data)
    assert str(calendar["x-wr-calname"]).startswith("甘州区梁家墩镇综治中心·")
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 2
    by_case = {str(e["description"]).split("\n")[0]: e for e in events.values()}
    old_event = next(e for e in by_case.values() if rooms[0].name in str(e["location"]))
    new_event = next(e for e in by_case.values() if rooms[1].name in str(e["location"]))
    for event, room in ((old_event, rooms[0]), (new_event, rooms[1])):
        assert str(event["location"]) == f"甘州区梁家墩镇综治中心{LJD_ADDRESS}{room.location}{room.name}"
        assert "承办中心：甘州区梁家墩镇综治中心" in str(event["description"])
        assert "张掖市甘州区矛盾纠纷调处中心" not in str(event["location"])
    # The session of before keeps the UID built from the database's center name; the new one is its uid.
    assert str(old_event["uid"]) == sessions.uid_of(old.id, "张掖市甘州区矛盾纠纷调处中心")
    assert str(new_event["uid"]) == f"mediation-session-{new_uid}@mediation-desk"
