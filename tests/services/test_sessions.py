"""Mediation sessions: double-booking refused with the clash named, rest days and the case's
deadline warned about, the timeline, the iCalendar file and the record started from a session."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from mediation_desk.models import CaseEvent, Holiday
from mediation_desk.services import sessions
from mediation_desk.services.errors import InvalidInput, NeedsConfirmation, PermissionDenied
from tests.idcard_gen import id_number
from tests.services.helpers import BACKENDS, seeded_world
from tests.services.sessions_world import STORY_DAY, SessionsWorld

pytestmark = pytest.mark.story_day(STORY_DAY)


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SessionsWorld]:
    """Two teams, three accounts and three rooms, on each backend: the test's own copy of the ones
    made once a worker (helpers.seeded_world)."""
    with seeded_world(request, tmp_path, "SessionsWorld", SessionsWorld) as seeded:
        world = copy.copy(seeded.made)
        world.db = seeded.db
        yield world


def refused(world: SessionsWorld, case_id: int, starts: str, ends: str, **kwargs: Any) -> sessions.DoubleBooked:
    with pytest.raises(sessions.DoubleBooked) as caught:
        world.schedule(case_id, starts, ends, **kwargs)
    return caught.value


def test_a_room_a_mediator_and_a_party_are_never_double_booked(world: SessionsWorld) -> None:
    first = world.case()
    second = world.case(applicant="赵五", respondent="钱六")
    booked = world.schedule(first, "2026-12-01T09:00", "2026-12-01T11:00")

    # The same room, other people: refused, naming the case, the room and the time.
    room = refused(world, second, "2026-12-01T10:30", "2026-12-01T12:00", mediator_ids=[world.other_mediator_id])
    assert room.field == "room_id"
    assert [c.kind for c in room.clashes] == ["room"]
    message = str(room)
    assert booked.case_number in message and "第一调解室" in message and "2026年12月1日 09:00—11:00" in message

    # Another room, the same mediator.
    mediator = refused(world, second, "2026-12-01T08:00", "2026-12-01T09:30", room=1)
    assert (mediator.field, mediator.clashes[0].subject) == ("mediator_ids", "李建国")
    assert "调解员李建国" in str(mediator)

    # Another room and mediator, the same party record (a second session of the same case).
    party = refused(world, first, "2026-12-01T10:59", "2026-12-01T12:00", room=2,
                    mediator_ids=[world.other_mediator_id])
    assert party.field == "party_ids" and {c.subject for c in party.clashes} == {"张三", "李四"}

    # Nothing of it was saved.
    with world.db.read() as session:
        assert sessions.count_sessions(session) == 1


def test_the_same_person_in_another_case_is_the_same_party(world: SessionsWorld) -> None:
    number = id_number("620702", date(1980, 5, 17), 31)
    first = world.case(applicant="张三", applicant_id=number)
    # The same person registered again, under another case and another team, another spelling.
    second = world.case(team_id=world.other_team_id, applicant="张叁", respondent="孙七", applicant_id=number)
    world.schedule(first, "2026-12-02T14:00", "2026-12-02T16:00")
    clash = refused(world, second, "2026-12-02T15:00", "2026-12-02T17:00", room=1,
                    mediator_ids=[world.other_mediator_id])
    assert [(c.kind, c.subject) for c in clash.clashes] == [("party", "张三")]
    # A mediator of the other team cannot read the first case, yet the clash is found and named.
    other = world.case(team_id=world.other_team_id, applicant="周八", respondent="吴九")
    mediator = refused(world, other, "2026-12-02T15:30", "2026-12-02T16:30", room=0,
                       mediator_ids=[world.other_mediator_id])
    assert mediator.clashes[0].kind == "room"


def test_clashes_across_midnight_and_sessions_that_only_touch(world: SessionsWorld) -> None:
    first = world.case()
    second = world.case(applicant="赵五", respondent="钱六")
    world.schedule(first, "2026-12-02T20:00", "2026-12-03T00:30", confirmed=True)
    late = refused(world, second, "2026-12-03T00:00", "2026-12-03T01:00", mediator_ids=[world.other_mediator_id])
    assert "12月3日 00:30" in str(late)  # the end is printed with its day
    # Back to back: ending when the other starts, or starting when it ends, is no clash.
    world.schedule(second, "2026-12-02T18:00", "2026-12-02T20:00")
    world.schedule(second, "2026-12-03T00:30", "2026-12-03T02:00", confirmed=True)
    with world.db.read() as session:
        assert sessions.count_sessions(session) == 3


def test_a_rest_day_is_warned_about_by_the_working_calendar(world: SessionsWorld) -> None:
    case_id = world.case()
    with pytest.raises(NeedsConfirmation) as caught:
        world.schedule(case_id, "2026-12-05T09:00", "2026-12-05T10:00")  # a Saturday
    assert caught.value.warnings == ["2026年12月5日是休息日（按工作日历），中心通常不安排调解会。"]
    with world.db.read() as session:
        assert sessions.count_sessions(session) == 0
    # A make-up working day (调休) the administrator entered is no rest day.
    with world.db.write() as session:
        session.add(Holiday(day=date(2026, 12, 5), is_workday=True, name="调休上班"))
    world.schedule(case_id, "2026-12-05T09:00", "2026-12-05T10:00")
    # A weekday off by the calendar is a holiday; the person may still confirm it.
    with world.db.write() as session:
        session.add(Holiday(day=date(2026, 12, 4), is_workday=False, name="县庆"))
    with pytest.raises(NeedsConfirmation, match="2026年12月4日是法定节假日"):
        world.schedule(case_id, "2026-12-04T09:00", "2026-12-04T10:00")
    kept = world.schedule(case_id, "2026-12-04T09:00", "2026-12-04T10:00", confirmed=True)
    assert kept.starts_at == datetime(2026, 12, 4, 9, 0)


def test_the_session_counts_against_the_cases_clock(world: SessionsWorld) -> None:
    case_id = world.case()
    # Accepted on 30 November: people's mediation's month runs to 30 December.
    with pytest.raises(NeedsConfirmation) as caught:
        world.schedule(case_id, "2026-12-31T09:00", "2026-12-31T11:00")
    assert caught.value.warnings == [f"案件 {_number(world, case_id)} 的调解期限为 2026年12月30日，调解会在期限之后"
                                     "结束，将计入超期；如需延后，请先申请延期。"]
    # Within the limit: no warning, and the session is on the case's timeline.
    info = world.schedule(case_id, "2026-12-30T09:00", "2026-12-30T11:00")
    with world.db.read() as session:
        notes = session.scalars(select(CaseEvent.note).where(CaseEvent.case_id == case_id,
                                                             CaseEvent.action == "session.scheduled")).all()
    assert notes == [f"安排调解会：{info.when()}，第一调解室，调解员李建国"]
    # A case not yet accepted runs no mediation clock: no session for it.
    from tests.services.helpers import register
    registered = register(world.db, world.clerk)
    with pytest.raises(InvalidInput, match="只有已受理、已分派或调解中的案件才能安排调解会"):
        world.schedule(registered, "2026-12-01T09:00", "2026-12-01T10:00", party_ids=world.party_ids(registered))


def _number(world: SessionsWorld, case_id: int) -> str:
    from mediation_desk.models import DisputeCase
    with world.db.read() as session:
        return session.get_one(DisputeCase, case_id).number


def test_bad_input_is_named(world: SessionsWorld) -> None:
    case_id = world.case()
    with pytest.raises(InvalidInput) as caught:
        world.schedule(case_id, "2026-12-01T11:00", "2026-12-01T09:00")
    assert caught.value.field == "ends_at" and "应晚于开始时间" in str(caught.value)
    with pytest.raises(InvalidInput) as caught:
        world.schedule(case_id, "2026-12-01T09:00", "2026-12-01T10:00", mediator_ids=[])
    assert caught.value.field == "mediator_ids"
    other = world.case(applicant="赵五", respondent="钱六")
    with pytest.raises(InvalidInput) as caught:
        world.schedule(case_id, "2026-12-01T09:00", "2026-12-01T10:00", party_ids=world.party_ids(other))
    assert caught.value.field == "party_ids"


def test_a_mediator_schedules_only_their_teams_cases(world: SessionsWorld) -> None:
    other = world.case(team_id=world.other_team_id)
    with pytest.raises(PermissionDenied):
        world.schedule(other, "2026-12-01T09:00", "2026-12-01T10:00", actor=world.mediator)
    own = world.case()
    assert world.schedule(own, "2026-12-01T09:00", "2026-12-01T10:00", actor=world.mediator).room_name == "第一调解室"


def test_the_ics_file_parses_back_and_a_reexport_updates_the_same_events(world: SessionsWorld) -> None:
    case_id = world.case()
    first = world.schedule(case_id, "2026-12-01T09:00", "2026-12-01T11:00",
                           invited=[("王福", "村干部"), ("赵明", "律师")])
    world.schedule(case_id, "2026-12-02T22:00", "2026-12-03T00:30", confirmed=True, room=1)

    def export() -> Calendar:
        with world.db.write() as session:
            data = sessions.mediator_ics(session, world.head, world.mediator_id, start=date(2026, 11, 30),
                                         end=date(2026, 12, 6), stamp=datetime(2026, 11, 30, 10, 0))
        return Calendar.from_ical(data)

    calendar = export()
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    zone = ZoneInfo("Asia/Shanghai")
    starts = [e.decoded("dtstart") for e in events]
    assert starts == [datetime(2026, 12, 1, 9, 0, tzinfo=zone), datetime(2026, 12, 2, 22, 0, tzinfo=zone)]
    assert all(s.tzinfo is not None and s.utcoffset().total_seconds() == 8 * 3600 for s in starts)
    assert events[1].decoded("dtend") == datetime(2026, 12, 3, 0, 30, tzinfo=zone)
    assert b"DTSTART;TZID=Asia/Shanghai:20261201T090000" in calendar.to_ical()
    assert events[0].decoded("dtstamp") == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert "第一调解室" in str(events[0]["location"])
    assert "王福（村干部）" in str(events[0]["description"])
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == 2

    # The first session moves to the afternoon: the same UID, a later SEQUENCE.
    with world.db.write() as session:
        sessions.update(session, world.head, first.id, world.data(case_id, "2026-12-01T14:00", "2026-12-01T16:00"),
                        expected_version=first.version)
    again = export().walk("VEVENT")
    assert [str(e["uid"]) for e in again] == uids
    assert again[0].decoded("dtstart") == datetime(2026, 12, 1, 14, 0, tzinfo=zone)
    assert int(str(again[0]["sequence"])) > int(str(events[0]["sequence"]))

    # A mediator exports their own sessions, not another's.
    with world.db.write() as session, pytest.raises(PermissionDenied):
        sessions.mediator_ics(session, world.mediator, world.other_mediator_id, start=date(2026, 11, 30),
                              end=date(2026, 12, 6))


def test_the_record_is_started_from_the_session(world: SessionsWorld) -> None:
    case_id = world.case()
    info = world.schedule(case_id, "2026-12-01T09:00", "2026-12-01T11:00", invited=[("王福", "村干部")])
    with world.db.read() as session:
        draft = sessions.record_draft(session, world.mediator, info.id)
    assert draft.held_at == datetime(2026, 12, 1, 9, 0)
    assert draft.place == "二楼第一调解室"
    assert draft.mediators == "李建国"
    assert draft.parties_present == "张三、李四"
    assert draft.participants == "王福（村干部）"
    assert draft.notice_given and not draft.statements


def test_rooms_are_set_up_by_the_head_or_the_administrator(world: SessionsWorld) -> None:
    with world.db.write() as session, pytest.raises(PermissionDenied):
        sessions.save_room(session, world.mediator, None, name="第四调解室", capacity=4)
    with world.db.write() as session, pytest.raises(InvalidInput, match="已有名为“第一调解室”的调解室"):
        sessions.save_room(session, world.head, None, name="第一调解室", capacity=4)
    with world.db.write() as session:
        sessions.save_room(session, world.head, world.rooms[2], name="第三调解室", capacity=12, active=False,
                           expected_version=1)
        assert [r.name for r in sessions.list_rooms(session, active_only=True)] == ["第一调解室", "第二调解室"]
    case_id = world.case()
    with pytest.raises(InvalidInput, match="已停用"):
        world.schedule(case_id, "2026-12-01T09:00", "2026-12-01T10:00", room=2)
