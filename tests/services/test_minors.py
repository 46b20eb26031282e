"""Minors from the ID birth date on the document's day (issue 18 item 4): the one age rule
(readmodels.minors), intake asking for the guardian, publicity withholding a minor's case, the
法定代理人 and the guardian's signature line on the documents, and the CSV import deriving it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from mediation_desk.db import Database
from mediation_desk.documents import transfer as transfer_doc
from mediation_desk.models import AgreementKind, Party, PartyKind, PartyRole, Role, TransferTarget
from mediation_desk.readmodels import minors
from mediation_desk.readmodels.publicity import Month
from mediation_desk.services import agreements, case_import, cases, dossier, publicity, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.agreements import AgreementInput, TermInput
from mediation_desk.services.errors import InvalidInput
from mediation_desk.services.validation import resident_id_check_char

from ..documents.conftest import compact, pdf_text
from .helpers import dispute_type_id, make_team, make_user


def resident_id(born: date, serial: str = "001") -> str:
    first = f"620702{born:%Y%m%d}{serial}"
    return first + resident_id_check_char(first)


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 Feb for a 29 Feb that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def eighteen_years_before(day: date) -> date:
    """A birth date whose eighteenth birthday is ``day`` (``day`` is never 29 Feb here)."""
    return years_before(day, 18)


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(("born", "on", "minor"), [
    (date(2008, 12, 5), date(2026, 12, 4), True),    # the day before the eighteenth birthday
    (date(2008, 12, 5), date(2026, 12, 5), False),   # on it
    (date(2008, 12, 5), date(2026, 12, 6), False),   # after it
    (date(2008, 2, 29), date(2026, 2, 28), True),    # 29 Feb: no birthday in 2026 …
    (date(2008, 2, 29), date(2026, 3, 1), False),    # … eighteen on 1 March
    (date(2010, 2, 28), date(2028, 2, 28), False),
    (date(2010, 3, 1), date(2028, 2, 29), True),     # leap day before a 1 March birthday
    (date(2013, 6, 1), date(2026, 12, 5), True),     # thirteen
])
def test_the_eighteenth_birthday_counts(born: date, on: date, minor: bool) -> None:
    assert (minors.age_on(born, on) < minors.ADULT_AGE) is minor
    view = _Facts(birth_date=None, id_number=resident_id(born))
    assert minors.is_minor(view, on) is minor
    assert minors.is_minor(_Facts(birth_date=born, id_number=""), on) is minor


def test_adult_on_for_a_leap_day_birth() -> None:
    assert minors.adult_on(date(2008, 2, 29)) == date(2026, 3, 1)
    assert minors.adult_on(date(2012, 2, 29)) == date(2030, 3, 1)
    assert minors.adult_on(date(2010, 2, 29 - 1)) == date(2028, 2, 28)


class _Facts:
    def __init__(self, birth_date: date | None, id_number: str) -> None:
        self.birth_date = birth_date
        self.id_number = id_number


def test_the_id_decides_then_the_birth_date_then_the_tick() -> None:
    on = date(2026, 12, 5)
    adult_id = resident_id(date(1990, 1, 1))
    # The ID says adult: a wrong tick or a wrong birth date field does not make a minor.
    assert not minors.is_minor(_Facts(date(2015, 1, 1), adult_id), on, ticked=True)
    # No ID: the recorded birth date decides, the tick only when nothing is known.
    assert minors.is_minor(_Facts(date(2015, 1, 1), ""), on, ticked=False)
    assert not minors.is_minor(_Facts(date(1990, 1, 1), ""), on, ticked=True)
    assert minors.is_minor(_Facts(None, ""), on, ticked=True)
    assert not minors.is_minor(_Facts(None, ""), on, ticked=False)
    # A passport number or garbage is no birth date; an organisation is never a minor.
    assert minors.birth_date_from_id("E12345678") is None
    assert minors.birth_date_from_id("620702201302301234") is None  # 30 Feb
    assert not minors.is_minor(_Facts(date(2015, 1, 1), ""), on, is_person=False, ticked=True)


# --------------------------------------------------------------------------- intake


@pytest.fixture
def people(sqlite_db: Database) -> tuple[Actor, Actor, Actor, int, int]:
    team_id, mediator_id = make_team(sqlite_db)
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    head = make_user(sqlite_db, "head", Role.HEAD)
    mediator = make_user(sqlite_db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
    return clerk, head, mediator, team_id, mediator_id


def _input(db: Database, child: cases.PartyInput, received_at: datetime | None = None) -> cases.CaseInput:
    return cases.CaseInput(
        title="校园踩踏受伤赔偿纠纷", dispute_type_id=dispute_type_id(db),
        parties=[child, cases.PartyInput(role=PartyRole.RESPONDENT, name="张掖市某某培训学校有限公司",
                                         kind=PartyKind.LEGAL_PERSON, legal_representative="钱多多")],
        facts="申请人在培训学校课间活动时摔倒受伤。", requests=["请求被申请人赔偿医疗费 5000 元"],
        received_at=received_at)


def test_intake_asks_for_a_minors_guardian(sqlite_db: Database, people: tuple[Actor, Actor, Actor, int, int]) -> None:
    clerk = people[0]
    today = date.today()
    thirteen = years_before(today, 13) - timedelta(days=3)
    child = cases.PartyInput(role=PartyRole.APPLICANT, name="周小雨", id_number=resident_id(thirteen, "002"))
    with sqlite_db.write() as session, pytest.raises(InvalidInput) as refused:
        cases.register_case(session, clerk, _input(sqlite_db, child))
    assert refused.value.field == "parties[0].agent_name"
    assert "周小雨是未成年人" in refused.value.message and "13周岁" in refused.value.message
    assert "法定代理人" in refused.value.message and "代理人姓名" in refused.value.message
    # By the birth date alone (no ID), and by the tick alone (nothing known), the same.
    for only in (cases.PartyInput(role=PartyRole.APPLICANT, name="周小雨", birth_date=thirteen),
                 cases.PartyInput(role=PartyRole.APPLICANT, name="周小雨", is_minor=True)):
        with sqlite_db.write() as session, pytest.raises(InvalidInput, match="未成年人"):
            cases.register_case(session, clerk, _input(sqlite_db, only))
    # Turned eighteen yesterday: an adult, no guardian asked for, the stale tick cleared.
    adult = cases.PartyInput(role=PartyRole.APPLICANT, name="周大雨", is_minor=True,
                             id_number=resident_id(eighteen_years_before(today) - timedelta(days=1)))
    with sqlite_db.write() as session:
        case_id = cases.register_case(session, clerk, _input(sqlite_db, adult))
        assert not session.query(Party).filter_by(case_id=case_id, seq=0).one().is_minor
    child.agent_name = "周建国"
    with sqlite_db.write() as session:
        case_id = cases.register_case(session, clerk, _input(sqlite_db, child))
        assert session.query(Party).filter_by(case_id=case_id, seq=0).one().is_minor


# --------------------------------------------------------------------------- documents


def _settle(db: Database, people: tuple[Actor, Actor, Actor, int, int], child: cases.PartyInput,
            received_at: datetime, signed_on: date, kind: AgreementKind = AgreementKind.WRITTEN) -> int:
    clerk, head, mediator, team_id, _ = people
    with db.write() as session:
        case_id = cases.register_case(session, clerk, _input(db, child, received_at))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, head, case_id, team_id=team_id)
        workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)
        parties = cases.case_detail(session, mediator, case_id).parties
        drafted = agreements.draft(session, mediator, case_id)
        saved = agreements.save(session, mediator, drafted.id, AgreementInput(
            kind, "申请人课间摔倒受伤。", "赔偿数额", "被申请人负管理责任", 3, [
                TermInput(parties[1].id, "赔偿申请人医疗费", signed_on + timedelta(days=10), Decimal("5000"),
                          obligee_party_id=parties[0].id, place="调解中心", method="银行转账")]),
            expected_version=drafted.version)
        agreements.sign(session, mediator, saved.id, signed_on=signed_on)
    return case_id


def _doc(db: Database, actor: Actor, case_id: int, kind: str) -> str:
    with db.read() as session:
        return compact(pdf_text(dossier.render_document(session, actor, case_id, kind)))


def test_a_minor_prints_with_a_guardian_everywhere(sqlite_db: Database,
                                                    people: tuple[Actor, Actor, Actor, int, int],
                                                    tmp_path: Path) -> None:
    mediator = people[2]
    today = date.today()
    child = cases.PartyInput(role=PartyRole.APPLICANT, name="周小雨", agent_name="周建国",
                             id_number=resident_id(years_before(today, 13) - timedelta(days=40), "002"))
    case_id = _settle(sqlite_db, people, child, datetime.combine(today - timedelta(days=5), datetime.min.time()),
                      today - timedelta(days=1))
    agreement = _doc(sqlite_db, mediator, case_id, "agreement")
    assert "法定代理人：周建国" in agreement and "委托代理人：" not in agreement
    assert "周小雨的法定代理人：周建国" in agreement  # the guardian's own signature row
    application = _doc(sqlite_db, mediator, case_id, "application")
    assert "周小雨的法定代理人周建国" in application and "法定代理人周建国" in application
    assert "周小雨的法定代理人周建国（签名）" in _doc(sqlite_db, mediator, case_id, "registration")
    application_for_confirmation = _doc(sqlite_db, mediator, case_id, "confirmation-application")
    assert "法定代理人：周建国" in application_for_confirmation
    assert "周小雨的法定代理人周建国" in application_for_confirmation
    assert "监护关系证明" in application_for_confirmation
    assert "由委托人签名或者盖章）无（本人申请）" in application_for_confirmation  # a guardian is no 委托
    notice = _doc(sqlite_db, mediator, case_id, "notice")
    assert "周小雨的法定代理人周建国" in notice
    with sqlite_db.read() as session:
        detail = cases.case_detail(session, mediator, case_id)
        the = dossier.issuer(session)
    summary = compact(pdf_text(transfer_doc.render_case_summary(detail, the, transfer_doc.TransferData(
        target=TransferTarget.COURT, target_name="张掖市甘州区人民法院", claims=("判令被申请人赔偿医疗费5000元",),
        failure_reason="", terminated_on=None, dated=today))))
    assert "法定代理人：周建国" in summary and "委托代理人：" not in summary


def test_an_oral_agreement_has_the_guardian_confirm(sqlite_db: Database,
                                                    people: tuple[Actor, Actor, Actor, int, int]) -> None:
    today = date.today()
    child = cases.PartyInput(role=PartyRole.APPLICANT, name="周小雨", agent_name="周建国",
                             id_number=resident_id(years_before(today, 9), "002"))
    case_id = _settle(sqlite_db, people, child, datetime.combine(today - timedelta(days=5), datetime.min.time()),
                      today - timedelta(days=1), AgreementKind.ORAL)
    oral = _doc(sqlite_db, people[2], case_id, "oral-agreement")
    assert "法定代理人：周建国" in oral and "周小雨的法定代理人周建国（签名）" in oral


def test_seventeen_at_registration_eighteen_at_the_agreement_signs_as_an_adult(
        sqlite_db: Database, people: tuple[Actor, Actor, Actor, int, int]) -> None:
    mediator = people[2]
    today = date.today()
    birthday = today - timedelta(days=10)  # the eighteenth birthday, between registration and signing
    if (birthday.month, birthday.day) == (2, 29):
        birthday -= timedelta(days=1)
    young = cases.PartyInput(role=PartyRole.APPLICANT, name="周小雨", agent_name="周建国",
                             id_number=resident_id(eighteen_years_before(birthday), "002"))
    case_id = _settle(sqlite_db, people, young, datetime.combine(today - timedelta(days=20), datetime.min.time()),
                      today - timedelta(days=2))
    # Registration: a minor with a guardian; the agreement: an adult whose agent is an agent.
    assert "周小雨的法定代理人周建国" in _doc(sqlite_db, mediator, case_id, "application")
    agreement = _doc(sqlite_db, mediator, case_id, "agreement")
    assert "委托代理人：周建国" in agreement and "法定代理人" not in agreement
    assert "（18岁）" in agreement


# --------------------------------------------------------------------------- publicity


def test_a_minor_by_id_alone_is_not_published(sqlite_db: Database,
                                              people: tuple[Actor, Actor, Actor, int, int]) -> None:
    clerk = people[0]
    today = date.today()
    child = cases.PartyInput(role=PartyRole.APPLICANT, name="周小雨", agent_name="周建国",
                             id_number=resident_id(years_before(today, 13), "002"))
    grown = cases.PartyInput(role=PartyRole.APPLICANT, name="吴大海",
                             id_number=resident_id(eighteen_years_before(today) - timedelta(days=1), "003"))
    ids = []
    with sqlite_db.write() as session:
        for party in (child, grown):
            case_id = cases.register_case(session, clerk, _input(sqlite_db, party))
            workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
            ids.append(case_id)
        # As an old record or an import would have it: the tick never set.
        for row in session.query(Party).filter(Party.case_id.in_(ids)):
            row.is_minor = False
    with sqlite_db.read() as session:
        rows = {r.case_id: r for r in publicity.publicity_rows(session, Month(today.year, today.month))}
    assert rows[ids[0]].applicants == publicity.WITHHELD and rows[ids[0]].respondents == publicity.WITHHELD
    assert "周" not in rows[ids[0]].applicants
    assert rows[ids[1]].applicants == "吴某"


# --------------------------------------------------------------------------- CSV import


def test_the_csv_import_derives_minors_and_says_a_guardian_is_missing(
        sqlite_db: Database, people: tuple[Actor, Actor, Actor, int, int]) -> None:
    clerk = people[0]
    today = date.today()
    received = datetime.combine(today - timedelta(days=3), datetime.min.time()).replace(hour=9)
    record = {
        "source_system": "12345", "source_ref": "GZ-2026-0001", "received_at": f"{received:%Y-%m-%d %H:%M}",
        "dispute_type": "邻里", "title": "邻里纠纷", "facts": "因院墙发生争执。", "requests": "请求调解",
        "applicant_name": "周小雨", "applicant_id_number": resident_id(years_before(today, 13), "002"),
        "applicant_address": "", "applicant_phone": "", "respondent_name": "吴大海",
        "respondent_id_number": resident_id(date(1980, 5, 6), "003"), "respondent_address": "",
        "respondent_phone": "",
    }
    with sqlite_db.write() as session:
        report = case_import.import_records(session, clerk, [(2, record)])
    assert report.imported == 1 and not report.errors, report.errors
    assert len(report.warnings) == 1 and "周小雨" in report.warnings[0] and "法定代理人" in report.warnings[0]
    with sqlite_db.read() as session:
        applicant, respondent = session.query(Party).order_by(Party.seq).all()
    assert applicant.is_minor and not respondent.is_minor
