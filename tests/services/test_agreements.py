"""Records editable until signed; agreements with checked terms, signing starts the confirmation clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from mediation_desk.db import Database
from mediation_desk.models import AgreementKind, CaseState, ClockStage, DisputeCase, Role
from mediation_desk.services import agreements, cases, clocks, records, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.agreements import AgreementInput, TermInput
from mediation_desk.services.errors import Conflict, InvalidInput, PermissionDenied

from .helpers import make_team, make_user, new_case_input


@pytest.fixture
def in_mediation(db: Database) -> tuple[Database, Actor, Actor, int]:
    team_id, mediator_id = make_team(db)
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
    with db.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(db, applicant="吉𠮷", respondent="欧阳䶮"))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, head, case_id, team_id=team_id)
        workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)
    return db, mediator, clerk, case_id


def _record() -> records.MediationRecordInput:
    return records.MediationRecordInput(
        held_at=datetime.now() - timedelta(hours=1), place="中心第一调解室", subject="相邻通行纠纷",
        mediators="李建国", recorder="王晓燕", participants="村委会主任 刘强", parties_present="吉𠮷、欧阳䶮",
        notice_given=True, statements="申请人称……被申请人称……", verification="现场查看属实",
        outcome="双方达成一致", agreement_reached=True)


def test_records_are_on_the_timeline_and_frozen_once_signed(in_mediation: tuple[Database, Actor, Actor, int]) -> None:
    db, mediator, clerk, case_id = in_mediation
    with pytest.raises(PermissionDenied), db.write() as session:
        records.add_mediation_record(session, clerk, case_id, _record())
    missing = _record()
    missing.notice_given = False
    with pytest.raises(InvalidInput, match="告知当事人权利义务") as refused, db.write() as session:
        records.add_mediation_record(session, mediator, case_id, missing)
    assert refused.value.field == "notice_given"
    with db.write() as session:
        added = records.add_mediation_record(session, mediator, case_id, _record())
    changed = _record()
    changed.outcome = "双方达成一致，当场签署协议"
    with db.write() as session:
        updated = records.update_record(session, mediator, "mediation", added.id, changed,
                                        expected_version=added.version)
    assert updated.values["outcome"] == "双方达成一致，当场签署协议"
    with pytest.raises(Conflict), db.write() as session:
        records.update_record(session, mediator, "mediation", added.id, changed, expected_version=added.version)
    with db.write() as session:
        records.sign_record(session, mediator, "mediation", added.id)
    with pytest.raises(InvalidInput, match="不能再修改"), db.write() as session:
        records.update_record(session, mediator, "mediation", added.id, changed, expected_version=updated.version + 1)
    with db.read() as session:
        listed = records.records_of(session, case_id)
        notes = [e.note for e in cases.case_detail(session, mediator, case_id).events]
    assert [(r.kind, r.signed) for r in listed] == [("mediation", True)]
    assert any(n.startswith("调解记录：中心第一调解室") for n in notes)


def _terms(db: Database, case_id: int) -> tuple[int, int]:
    with db.read() as session:
        parties = cases.case_detail(session, Actor.system(), case_id).parties
    return parties[0].id, parties[1].id


def test_agreement_terms_need_an_obligor_and_a_deadline(in_mediation: tuple[Database, Actor, Actor, int]) -> None:
    db, mediator, _clerk, case_id = in_mediation
    applicant, respondent = _terms(db, case_id)
    with db.write() as session:
        drafted = agreements.draft(session, mediator, case_id)
    assert drafted.copies == 3 and "请求对方拆除堆放物" in drafted.disputed_matters
    due = date.today() + timedelta(days=10)

    def attempt(terms: list[TermInput]) -> InvalidInput:
        data = AgreementInput(AgreementKind.WRITTEN, "事实", "争议", "双方各负部分责任", 3, terms)
        with pytest.raises(InvalidInput) as refused, db.write() as session:
            agreements.save(session, mediator, drafted.id, data, expected_version=drafted.version)
        return refused.value

    assert attempt([]).field == "terms"
    assert attempt([TermInput(None, "拆除堆放物", due)]).field == "terms[0].obligor"
    assert "履行期限" in attempt([TermInput(respondent, "拆除堆放物", None)]).message
    assert attempt([TermInput(respondent, "付款", due, Decimal("-1"))]).field == "terms[0].amount"
    assert attempt([TermInput(respondent, "付款", due, obligee_party_id=respondent)]).field == "terms[0].obligee"
    data = AgreementInput(AgreementKind.WRITTEN, "事实", "争议", "责任", 2, [TermInput(respondent, "付款", due)])
    with pytest.raises(InvalidInput, match="至少为当事人数加一"), db.write() as session:
        agreements.save(session, mediator, drafted.id, data, expected_version=drafted.version)
    data = AgreementInput(AgreementKind.WRITTEN, "事实", "争议", "被申请人负主要责任", 3, [
        TermInput(respondent, "拆除院前堆放物，恢复通行", due, place="院前通道", method="自行清理"),
        TermInput(respondent, "赔偿申请人损失", due, Decimal("12500"), obligee_party_id=applicant,
                  method="银行转账"),
    ])
    with db.write() as session:
        saved = agreements.save(session, mediator, drafted.id, data, expected_version=drafted.version)
    assert [t.obligor for t in saved.terms] == ["欧阳䶮", "欧阳䶮"]
    assert saved.terms[1].amount_text == "人民币壹万贰仟伍佰元整（¥12,500.00）"
    assert saved.terms[1].obligee == "吉𠮷"


def test_signing_takes_effect_moves_to_success_and_starts_the_confirmation_clock(
        in_mediation: tuple[Database, Actor, Actor, int]) -> None:
    db, mediator, _clerk, case_id = in_mediation
    _applicant, respondent = _terms(db, case_id)
    with db.write() as session:
        drafted = agreements.draft(session, mediator, case_id)
    with pytest.raises(InvalidInput, match="还没有协议内容"), db.write() as session:
        agreements.sign(session, mediator, drafted.id, signed_on=date.today())
    data = AgreementInput(AgreementKind.WRITTEN, "事实", "争议", "责任", 3,
                          [TermInput(respondent, "拆除堆放物", date.today() + timedelta(days=5), method="自行清理")])
    with db.write() as session:
        saved = agreements.save(session, mediator, drafted.id, data, expected_version=drafted.version)
    # A draft may leave the place open; the parties may not sign it so (art. 29).
    with pytest.raises(InvalidInput) as refused, db.write() as session:
        agreements.sign(session, mediator, drafted.id, signed_on=date.today())
    assert refused.value.field == "terms[0].place"
    assert refused.value.message == "第 1 项协议内容没有约定履行地点，不能签署：请填写履行地点并保存后再登记签署。"
    data.terms[0] = TermInput(respondent, "拆除堆放物", date.today() + timedelta(days=5), place="院前通道",
                              method="自行清理")
    with db.write() as session:
        agreements.save(session, mediator, drafted.id, data, expected_version=saved.version)
    signed_on = date.today() - timedelta(days=2)
    with db.write() as session:
        signed = agreements.sign(session, mediator, drafted.id, signed_on=signed_on)
    assert signed.effective_on == signed_on
    with db.read() as session:
        case = session.get_one(DisputeCase, case_id)
        assert case.state is CaseState.SUCCEEDED
        state = clocks.case_clock(session, case_id)
    assert state is not None and state.stage is ClockStage.JUDICIAL_CONFIRMATION
    assert state.due_on == signed_on + timedelta(days=30)
    with pytest.raises(InvalidInput, match="已签署生效"), db.write() as session:
        agreements.save(session, mediator, drafted.id, data, expected_version=signed.version)
