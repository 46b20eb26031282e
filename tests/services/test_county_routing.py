"""Who works a case that crossed centers, through the services, on both backends (issue 21,
docs/crossings.md “Who works on the case”): the handling center's clerk or head routes it to one of
its own teams (分派 while accepted, 改派 once assigned or mediated), that team's mediators work it,
the previous team's and another team's do not, the center above reads without writing; a session
clash with another center's session says only that the party is busy.

On the owner's connection (this file) PostgreSQL applies no row security: the services' own checks
(``permissions``) are what is tried here; tests/test_pg_county_story.py tries the server's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import (
    AuditEntry,
    CaseEvent,
    CaseMediator,
    Center,
    DisputeCase,
    Mediator,
    Role,
    Team,
)
from mediation_desk.services import (
    assignment,
    auth,
    cases,
    clocks,
    crossings,
    permissions,
    records,
    sessions,
    workflow,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied
from mediation_desk.services.records import InvestigationInput
from mediation_desk.services.workflow import Action
from tests.idcard_gen import id_number

from .helpers import BACKENDS, new_case_input, seeded_demo
from .helpers import actor_named as _actor

TODAY = datetime(2026, 9, 25, 10, 0)


@pytest.fixture(params=BACKENDS)
def county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The demo county (its center and two townships, a few cases each), on each backend: the
    test's own copy of the one seeded once a worker (helpers.seeded_demo)."""
    with seeded_demo(request, tmp_path, 4, today=TODAY, township_cases=2) as db:
        yield db


def _center(db: Database, prefix: str) -> tuple[int, int, int]:
    """(center, its first team, that team's first member)."""
    with db.read() as session:
        center_id = session.scalars(select(Center.id).where(Center.prefix == prefix)).one()
        team = session.scalars(select(Team).where(Team.center_id == center_id).order_by(Team.id)).first()
        assert team is not None
        return center_id, team.id, sorted(m.mediator_id for m in team.members)[0]


def _interview() -> InvestigationInput:
    return InvestigationInput(held_at=TODAY, place="调查地点", investigators="调查人", recorder="记录人",
                              interviewee="张三", interviewee_relation="申请人", content="询问纠纷经过")


def _works(db: Database, actor: Actor, case_id: int) -> bool:
    """Whether the actor may write a record on the case (tried; rolled back when it may)."""
    class Done(Exception):
        """Leaves the write, rolled back, once the record was accepted."""

    try:
        with db.write() as session:
            records.add_investigation(session, actor, case_id, _interview())
            raise Done
    except PermissionDenied:
        return False
    except Done:
        return True
    raise AssertionError("unreachable")


def _mediator_user(db: Database, username: str, mediator_id: int, center_id: int) -> Actor:
    with db.write() as session:
        auth.create_user(session, Actor.system("test"), username=username, display_name=username,
                         role=Role.MEDIATOR, password="Demo@2026", mediator_id=mediator_id,
                         must_change_password=False, center_id=center_id)
    return _actor(db, username)


def test_the_handling_center_routes_a_crossed_case_to_its_own_team_whose_mediators_work_it(county: Database) -> None:
    db = county
    county_id, county_team, county_lead = _center(db, "甘矛调")
    ljd_id, ljd_team, ljd_lead = _center(db, "甘州梁家墩调")
    dz_id, dz_team, dz_lead = _center(db, "甘州党寨调")
    clerk, head, ljd_clerk, ljd_head, dz_clerk = (_actor(db, u) for u in (
        "clerk", "head", "ljd_clerk", "ljd_head", "dz_clerk"))
    with db.read() as session:
        other_team = session.scalars(select(Team).where(Team.center_id == county_id, Team.id != county_team)
                                     .order_by(Team.id)).first()
        assert other_team is not None
        other_member = sorted(m.mediator_id for m in other_team.members)[0]
    county_mediator = _mediator_user(db, "county_lead", county_lead, county_id)
    county_other = _mediator_user(db, "county_other", other_member, county_id)
    ljd_mediator = _mediator_user(db, "ljd_lead", ljd_lead, ljd_id)
    dz_mediator = _mediator_user(db, "dz_lead", dz_lead, dz_id)

    with db.write() as session:
        case_id = cases.register_case(session, ljd_clerk, new_case_input(db, received_at=TODAY))
        workflow.transition(session, ljd_clerk, case_id, Action.ACCEPT)
        crossings.report_up(session, ljd_head, case_id, reason="涉及县直部门")
    # Accepted and reported up: the county assigns (分派) it to a county team, not to a township's.
    with pytest.raises(InvalidInput, match="不属于承办本案的中心") as refused, db.write() as session:
        assignment.assign(session, clerk, case_id, team_id=ljd_team, lead_mediator_id=ljd_lead)
    assert refused.value.field == "lead_mediator"
    with pytest.raises(InvalidInput, match="不属于承办本案的中心") as refused, db.write() as session:
        cases.assign_case(session, clerk, case_id, team_id=ljd_team)
    assert refused.value.field == "team"
    with pytest.raises(InvalidInput, match="待分派的案件请用“分派”"), db.write() as session:
        assignment.route(session, clerk, case_id, team_id=county_team, lead_mediator_id=county_lead)
    with db.read() as session:
        suggestion = assignment.suggest(session, case_id)
        offered = {m.mediator_id for m in assignment.mediator_options(session, suggestion.center_id)}
    assert suggestion.center_id == county_id and ljd_team not in {t.team_id for t in suggestion.teams}
    assert county_lead in offered and ljd_lead not in offered
    with db.write() as session:
        assignment.assign(session, clerk, case_id, team_id=county_team, lead_mediator_id=county_lead)
        workflow.transition(session, county_mediator, case_id, Action.START_MEDIATION)
    assert _works(db, county_mediator, case_id)
    assert not _works(db, county_other, case_id)  # another county team
    with pytest.raises(PermissionDenied), db.read() as session:
        cases.case_detail(session, ljd_mediator, case_id)  # the township's mediator: not their team's case

    # 交办 to 党寨: its clerk routes it (改派) to 党寨's team; only then its mediator works it.
    with db.write() as session:
        crossings.assign(session, head, case_id, to_center_id=dz_id, working_days=5, reason="请党寨镇就地调处",
                         today=date(2026, 9, 25))
    assert not _works(db, county_mediator, case_id)  # the previous team: the case left the county
    # Its clock is on the desk of the center working on it now, not on its own center's or the county's.
    with db.read() as session:
        later = date(2027, 3, 1)
        assert case_id in {d.case_id for d in clocks.due_soon_or_overdue(session, dz_clerk, at=later)}
        assert case_id not in {d.case_id for d in clocks.due_soon_or_overdue(session, clerk, at=later)}
        assert case_id not in {d.case_id for d in clocks.due_soon_or_overdue(session, ljd_clerk, at=later)}
    assert not _works(db, dz_mediator, case_id)
    with pytest.raises(PermissionDenied, match="只能查看"), db.write() as session:
        assignment.route(session, head, case_id, team_id=county_team, lead_mediator_id=county_lead)
    with pytest.raises(InvalidInput, match="不属于承办本案的中心"), db.write() as session:
        assignment.route(session, dz_clerk, case_id, team_id=county_team, lead_mediator_id=county_lead)
    with pytest.raises(InvalidInput, match="不属于承办本案的中心") as refused, db.write() as session:
        assignment.route(session, dz_clerk, case_id, team_id=dz_team, lead_mediator_id=county_lead)
    assert refused.value.field == "lead_mediator"
    with db.read() as session:
        options = crossings.options(session, dz_clerk, case_id)
        assert workflow.routable(dz_clerk, session.get_one(DisputeCase, case_id))
        assert not workflow.routable(head, session.get_one(DisputeCase, case_id))
        assert not workflow.routable(dz_mediator, session.get_one(DisputeCase, case_id))
    assert options.returnable is not None
    with db.write() as session:
        assignment.route(session, dz_clerk, case_id, team_id=dz_team, lead_mediator_id=dz_lead, note="由本镇团队调处")
    assert _works(db, dz_mediator, case_id)
    assert not _works(db, county_mediator, case_id)
    with db.read() as session:
        case = session.get_one(DisputeCase, case_id)
        assert (case.team_id, case.lead_mediator_id, case.center_id) == (dz_team, dz_lead, ljd_id)
        assert permissions.may_access_case(dz_mediator, case)
        assert not permissions.may_access_case(head, case, write=True)
        assert [m for (m,) in session.execute(select(CaseMediator.mediator_id).where(
            CaseMediator.case_id == case_id))] == [dz_lead]
        note = session.scalars(select(CaseEvent.note).where(CaseEvent.case_id == case_id,
                                                            CaseEvent.action == "route")).one()
        lead_name = session.get_one(Mediator, dz_lead).name
        audited = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == case_id,
                                                                  AuditEntry.action == "case.route")).all()
    assert note.startswith("改派至") and lead_name in note and note.endswith("由本镇团队调处")
    assert audited == ["case.route"]
    # Back with the county after 反馈: 党寨's mediator no longer writes; the county head closes.
    with db.write() as session:
        crossings.feedback(session, dz_clerk, case_id, text="已调处完毕")
    assert not _works(db, dz_mediator, case_id)
    with db.read() as session:
        actions = {t.action for t in workflow.allowed_actions(head, session.get_one(DisputeCase, case_id))}
    assert Action.SUCCEED in actions


def test_a_party_busy_in_another_centers_session_is_only_said_to_be_busy(county: Database) -> None:
    db = county
    number = id_number("620702", date(1979, 3, 8), 17)
    clerk, dz_clerk = _actor(db, "clerk"), _actor(db, "dz_clerk")
    county_id, _team, county_lead = _center(db, "甘矛调")
    dz_id, _dz_team, dz_lead = _center(db, "甘州党寨调")

    def case(actor: Actor, applicant: str, respondent: str) -> tuple[int, list[int]]:
        data = new_case_input(db, applicant=applicant, respondent=respondent, received_at=TODAY)
        data.parties[0].id_number = number
        with db.write() as session:
            case_id = cases.register_case(session, actor, data)
            workflow.transition(session, actor, case_id, Action.ACCEPT)
            return case_id, [p.id for p in cases.case_detail(session, actor, case_id).parties]

    with db.read() as session:
        rooms = [r.id for r in sessions.list_rooms(session, active_only=True, center_id=county_id)]
        room_name = sessions.list_rooms(session, active_only=True, center_id=county_id)[0].name
        dz_room = sessions.list_rooms(session, active_only=True, center_id=dz_id)[0].id
    county_case, county_parties = case(clerk, "赵大山", "钱二")
    with db.write() as session:
        sessions.schedule(session, clerk, county_case, sessions.SessionInput(
            rooms[0], datetime(2026, 10, 12, 9, 0), datetime(2026, 10, 12, 11, 0), [county_lead], county_parties),
            confirmed=True)
        county_number = session.get_one(DisputeCase, county_case).number
    dz_case, dz_parties = case(dz_clerk, "赵大杉", "孙三")
    with pytest.raises(sessions.DoubleBooked) as caught, db.write() as session:
        sessions.schedule(session, dz_clerk, dz_case, sessions.SessionInput(
            dz_room, datetime(2026, 10, 12, 10, 0), datetime(2026, 10, 12, 12, 0), [dz_lead], dz_parties),
            confirmed=True)
    message = caught.value.message
    assert caught.value.field == "party_ids"
    assert message == "时间冲突，未保存。\n当事人赵大杉在该时段（2026年10月12日 10:00—12:00）已有其他安排，请另选时间。"
    for secret in (county_number, room_name, "赵大山", "钱二"):
        assert secret not in message
    # The county's own clerk, scheduling another county case, is told which session it is.
    second, second_parties = case(clerk, "赵大山", "周四")
    with pytest.raises(sessions.DoubleBooked) as own, db.write() as session:
        sessions.schedule(session, clerk, second, sessions.SessionInput(
            rooms[1], datetime(2026, 10, 12, 10, 0), datetime(2026, 10, 12, 12, 0), [county_lead], second_parties),
            confirmed=True)
    assert county_number in own.value.message and room_name in own.value.message
