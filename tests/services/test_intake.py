"""Repeat visitors and group disputes, as the window sees them, on both databases."""

from __future__ import annotations

from datetime import datetime, timedelta

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.models import PartyKind, PartyRole, Role
from mediation_desk.services import cases, center, intake, workflow

from .helpers import make_user, new_case_input

ZHANG_ID = "11010519491231002X"


def _register(db: Database, actor, applicant: str = "张三", id_number: str = "", phone: str = "",  # type: ignore[no-untyped-def]
              respondent: str = "李四", respondent_kind: PartyKind = PartyKind.PERSON,
              at: datetime | None = None) -> int:
    data = new_case_input(db, applicant=applicant, respondent=respondent, received_at=at)
    data.parties[0].id_number = id_number
    data.parties[0].phone = phone
    data.parties[1].kind = respondent_kind
    with db.write() as session:
        return cases.register_case(session, actor, data)


def test_a_person_is_found_by_id_number_or_by_name_and_phone(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    first = _register(db, clerk, id_number=ZHANG_ID, phone="13800138000")
    with db.read() as session:
        by_id = intake.person_cases(session, id_number=ZHANG_ID.lower())
        by_name_phone = intake.person_cases(session, name="张三", phone="13800138000")
        by_name_only = intake.person_cases(session, name="张三")
        as_respondent = intake.person_cases(session, name="李四", phone="")
    assert [c.case_id for c in by_id] == [first] == [c.case_id for c in by_name_phone]
    assert by_id[0].role is PartyRole.APPLICANT and by_id[0].is_open
    assert by_name_only == [] and as_respondent == []


def test_registering_a_person_with_an_open_case_marks_a_repeat_visit(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    first = _register(db, clerk, applicant="吉𠮷", id_number=ZHANG_ID)
    second = _register(db, clerk, applicant="吉𠮷", id_number=ZHANG_ID)
    with db.read() as session:
        detail = cases.case_detail(session, clerk, second)
        first_detail = cases.case_detail(session, clerk, first)
    assert detail.repeat_of == first_detail.number
    assert any("重复来访" in e.note and first_detail.number in e.note for e in detail.events)
    assert first_detail.repeat_of == ""


def test_a_closed_earlier_case_is_history_not_a_repeat(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    first = _register(db, clerk, id_number=ZHANG_ID)
    with db.write() as session:
        workflow.transition(session, clerk, first, workflow.Action.REJECT, note="不属于受理范围")
    second = _register(db, clerk, id_number=ZHANG_ID)
    with db.read() as session:
        assert cases.case_detail(session, clerk, second).repeat_of == ""
        history = intake.person_cases(session, id_number=ZHANG_ID)
    assert [c.case_id for c in history] == [second, first]
    assert [c.is_open for c in history] == [True, False]


def test_many_applicants_against_one_respondent_is_a_group_signal(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    with db.write() as session:
        center.put(session, settings.GROUP_DISPUTE_THRESHOLD, 4)
        center.put(session, settings.GROUP_DISPUTE_WINDOW_DAYS, 30)
    company = "甘州区宏达建筑工程有限公司"
    base = datetime(2026, 11, 1, 9, 0)
    old = _register(db, clerk, applicant="赵一", phone="13900000000", respondent=company,
                    respondent_kind=PartyKind.LEGAL_PERSON, at=base - timedelta(days=60))
    assert old
    for i, name in enumerate(["钱二", "孙三", "钱二"]):
        _register(db, clerk, applicant=name, phone=f"1390000000{i % 2}", respondent=company,
                  respondent_kind=PartyKind.LEGAL_PERSON, at=base + timedelta(days=i))
    with db.read() as session:
        signal = intake.group_signal(session, respondent_name=company, at=base + timedelta(days=5))
    assert (signal.applicants, signal.cases, signal.flagged) == (2, 3, False)
    _register(db, clerk, applicant="李四", phone="13900000009", respondent=company,
              respondent_kind=PartyKind.LEGAL_PERSON, at=base + timedelta(days=6))
    _register(db, clerk, applicant="周五", phone="13900000008", respondent=company,
              respondent_kind=PartyKind.LEGAL_PERSON, at=base + timedelta(days=7))
    with db.read() as session:
        signal = intake.group_signal(session, respondent_name=company, at=base + timedelta(days=8))
        nothing = intake.group_signal(session)
    assert (signal.applicants, signal.threshold, signal.flagged) == (4, 4, True)
    assert nothing.applicants == 0 and not nothing.flagged
