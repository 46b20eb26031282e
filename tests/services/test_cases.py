"""Registering a case and reading it back; the audit chain; the demo center."""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, CaseEvent, CaseState, DisputeCase, PartyRole, Role
from mediation_desk.services import audit, cases, workflow
from mediation_desk.services.errors import InvalidInput, NotFound, PermissionDenied

from .audit_tampering import bypass_triggers
from .helpers import make_user, new_case_input


def test_registration_keeps_everything_typed_including_rare_characters(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    data = new_case_input(db, applicant="吉𠮷", respondent="欧阳䶮堃", received_at=datetime(2026, 6, 1, 9, 30))
    data.amount_involved = Decimal("12500.50")
    data.parties[0].phone = "13800138000"
    with db.write() as session:
        case_id = cases.register_case(session, clerk, data)
    with db.read() as session:
        detail = cases.case_detail(session, clerk, case_id)
    assert [p.name for p in detail.parties] == ["吉𠮷", "欧阳䶮堃"]
    assert [p.role for p in detail.parties] == [PartyRole.APPLICANT, PartyRole.RESPONDENT]
    assert detail.requests == ("请求对方拆除堆放物", "恢复通行")
    assert detail.amount_involved == Decimal("12500.50")
    assert detail.state is CaseState.REGISTERED
    assert [(e.to_state, e.user_name) for e in detail.events] == [(CaseState.REGISTERED, "clerk")]
    assert [a.action for a in detail.actions] == ["accept", "reject"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: setattr(d, "title", "  "), "title"),
        (lambda d: setattr(d, "dispute_type_id", 99999), "dispute_type"),
        (lambda d: setattr(d, "parties", [p for p in d.parties if p.role is not PartyRole.APPLICANT]), "parties"),
        (lambda d: setattr(d.parties[1], "name", ""), "parties[1].name"),
        (lambda d: setattr(d, "amount_involved", Decimal("-1")), "amount_involved"),
    ],
)
def test_bad_registration_names_the_field_and_writes_nothing(db: Database, change: object, field: str) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    data = new_case_input(db)
    change(data)  # type: ignore[operator]
    with pytest.raises(InvalidInput) as refused, db.write() as session:
        cases.register_case(session, clerk, data)
    assert refused.value.field == field
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(DisputeCase)) == 0


def test_mediators_do_not_register_cases(db: Database) -> None:
    mediator = make_user(db, "m", Role.MEDIATOR)
    with pytest.raises(PermissionDenied), db.write() as session:
        cases.register_case(session, mediator, new_case_input(db))


def test_unknown_case_number_is_reported(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    with pytest.raises(NotFound, match="第9999号"), db.read() as session:
        cases.case_detail_by_number(session, clerk, "（2026）甘矛调字第9999号")


def test_audit_chain_detects_an_edited_entry(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    with db.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(db))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
    with db.read() as session:
        check = audit.verify_chain(session)
        assert check.intact and check.entries >= 4
        target = session.scalars(select(AuditEntry.id).where(AuditEntry.action == "case.register")).one()
    with db.write() as session:
        bypass_triggers(session)  # on a server only a superuser gets this far (test_server_audit.py)
        session.execute(text("UPDATE audit_entry SET username = 'someone' WHERE id = :id"), {"id": target})
    with db.read() as session:
        assert audit.verify_chain(session).first_broken_id == target


def test_demo_center_is_consistent(db: Database) -> None:
    with db.write() as session:
        summary = demo.seed(session, 200, seed_value=3, today=datetime(2026, 11, 20, 18, 0))
    assert summary.cases == 200 and summary.users == 4
    with db.read() as session:
        states = dict(session.execute(select(DisputeCase.state, func.count()).group_by(DisputeCase.state)).all())
        assert len(states) >= 8 and states[CaseState.CLOSED] > 50
        for case in session.scalars(select(DisputeCase)):
            events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                     .order_by(CaseEvent.id)).all()
            assert events[0].to_state is CaseState.REGISTERED
            # Records and agreements follow on the timeline; the last transition gives the state.
            moves = [e for e in events if e.to_state is not None]
            assert moves[-1].to_state is case.state
            assert all(a.at <= b.at for a, b in itertools.pairwise(events))
            assert case.received_at <= datetime(2026, 11, 20, 18, 0)
            assert (case.team_id is not None) == any(e.action == "assign" for e in events)
        numbers = session.scalars(select(DisputeCase.number)).all()
        assert len(set(numbers)) == 200
    # New registrations continue the demo's sequence instead of colliding with it.
    clerk_actor = demo_clerk(db)
    with db.write() as session:
        late = new_case_input(db, received_at=datetime(2026, 11, 20, 18, 5))
        case_id = cases.register_case(session, clerk_actor, late)
    with db.read() as session:
        assert session.get_one(DisputeCase, case_id).number not in numbers


def demo_clerk(db: Database):  # type: ignore[no-untyped-def]
    from mediation_desk.services import auth

    return auth.login(db, "clerk", demo.DEMO_PASSWORD)


def test_demo_ids_are_valid_resident_ids() -> None:
    import random

    from mediation_desk.models import Gender

    rng = random.Random(1)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    for _ in range(200):
        number = demo.resident_id(rng, datetime(1980, 2, 29).date(), Gender.FEMALE)
        total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
        assert number[17] == "10X98765432"[total % 11]
        assert int(number[16]) % 2 == 0


@pytest.mark.parametrize(
    ("index", "changes", "field", "message"),
    [
        (0, {"id_number": "110105194912310021"}, "parties[0].id_number", "第 1 位当事人：身份证号码校验位不正确"),
        (1, {"phone": "1380013800"}, "parties[1].phone", "第 2 位当事人：手机号码应为 11 位"),
        (0, {"id_number": "11010519491231002X", "gender": "male"}, "parties[0].gender", "性别与身份证号码不符"),
        (1, {"credit_code": "91350100M000100Y43"}, "parties[1].credit_code", "自然人，不应填写"),
        (1, {"kind": "legal_person", "credit_code": "91350100M000100Y44"}, "parties[1].credit_code", "校验位不正确"),
        (0, {"agent_phone": "0936-12"}, "parties[0].agent_phone", "区号加 7 至 8 位号码"),
    ],
)
def test_party_details_are_checked_with_the_window_rules(db: Database, index: int, changes: dict[str, str],
                                                          field: str, message: str) -> None:
    from mediation_desk.models import Gender, PartyKind

    clerk = make_user(db, "clerk", Role.INTAKE)
    data = new_case_input(db)
    for name, value in changes.items():
        converted: object = value
        if name == "gender":
            converted = Gender(value)
        elif name == "kind":
            converted = PartyKind(value)
        setattr(data.parties[index], name, converted)
    with pytest.raises(InvalidInput, match=message) as refused, db.write() as session:
        cases.register_case(session, clerk, data)
    assert refused.value.field == field


def test_sex_and_birth_date_come_from_the_resident_id(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    data = new_case_input(db)
    data.parties[0].id_number = "１１０１０５１９４９１２３１００２ｘ"
    with db.write() as session:
        case_id = cases.register_case(session, clerk, data)
    with db.read() as session:
        party = cases.case_detail(session, clerk, case_id).parties[0]
    assert (party.id_number, str(party.birth_date), party.gender.label if party.gender else "") == (
        "11010519491231002X", "1949-12-31", "女")


def test_demo_center_has_return_visits_and_diversions_with_feedback(db: Database) -> None:
    from mediation_desk.models import Diversion, ReturnVisit

    with db.write() as session:
        demo.seed(session, 300, seed_value=5, today=datetime(2026, 11, 20, 18, 0))
    with db.read() as session:
        closed_mediated = session.scalar(select(func.count()).select_from(DisputeCase).where(
            DisputeCase.state == CaseState.CLOSED, DisputeCase.team_id.is_not(None)))
        visited = session.scalar(select(func.count(func.distinct(ReturnVisit.case_id))))
        assert closed_mediated and visited and visited >= 0.8 * closed_mediated
        diverted = session.scalars(select(Diversion)).all()
        assert diverted
        for row in diverted:
            case = session.get_one(DisputeCase, row.case_id)
            # Still diverted: waiting; moved on: the body reported back.
            assert (row.feedback_at is None) == (case.state is CaseState.DIVERTED)
