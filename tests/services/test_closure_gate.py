"""The closure gate: the head cannot approve a closure while the dossier lacks a required item,
and the refusal names every missing item. On both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import AttachmentKind, AuditEntry, CaseEvent, CaseState, DisputeCase, Diversion, Role, now
from mediation_desk.services import agreements, attachments, cases, dossier, records, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.dossier import DossierIncomplete
from mediation_desk.services.errors import PermissionDenied
from mediation_desk.services.workflow import Action

from .helpers import complete_paperwork, make_team, make_user, register


class Desk:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.team_id, mediator_id = make_team(db)
        self.clerk = make_user(db, "clerk", Role.INTAKE)
        self.head = make_user(db, "head", Role.HEAD)
        self.mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)

    def act(self, case_id: int, *actions: Action, actor: Actor | None = None, note: str = "理由") -> None:
        for action in actions:
            with self.db.write() as session:
                if action is Action.ASSIGN:
                    cases.assign_case(session, self.head, case_id, team_id=self.team_id)
                else:
                    workflow.transition(session, actor or self.head, case_id, action, note=note)

    def in_mediation(self) -> int:
        case_id = register(self.db, self.clerk)
        self.act(case_id, Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION)
        return case_id

    def state(self, case_id: int) -> CaseState:
        with self.db.read() as session:
            return session.get_one(DisputeCase, case_id).state

    def approve(self, case_id: int) -> None:
        with self.db.write() as session:
            workflow.transition(session, self.head, case_id, Action.APPROVE_CLOSURE)

    def refused(self, case_id: int) -> DossierIncomplete:
        """Approval is refused; nothing about the case changed."""
        with self.db.read() as session:
            events = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
            audits = session.scalar(select(func.count()).select_from(AuditEntry))
        with pytest.raises(DossierIncomplete) as refused:
            self.approve(case_id)
        assert self.state(case_id) is CaseState.CLOSURE_REVIEW
        with self.db.read() as session:
            assert session.get_one(DisputeCase, case_id).closed_at is None
            assert session.scalar(
                select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)) == events
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits
        return refused.value

    def identity_scans(self, case_id: int, *, skip: int = 0) -> None:
        with self.db.write() as session:
            for party in cases.case_detail(session, self.head, case_id).parties[skip:]:
                attachments.add_document(session, self.clerk, case_id, kind=AttachmentKind.IDENTITY,
                                         filename=f"身份证-{party.name}.png", content=demo.identity_scan(),
                                         party_id=party.id)

    def mediation_record(self, case_id: int, *, reached: bool, outcome: str) -> None:
        with self.db.write() as session:
            records.add_mediation_record(session, self.mediator, case_id, records.MediationRecordInput(
                held_at=now() - timedelta(hours=1), place="中心第一调解室", subject="通行纠纷", mediators="李建国",
                recorder="王晓燕", participants="", parties_present="张三、李四", notice_given=True,
                statements="双方陈述。", verification="", outcome=outcome, agreement_reached=reached))

    def sign_agreement(self, case_id: int) -> None:
        with self.db.write() as session:
            respondent = cases.case_detail(session, self.head, case_id).parties[1].id
            drafted = agreements.draft(session, self.mediator, case_id)
            saved = agreements.save(session, self.mediator, drafted.id, agreements.AgreementInput(
                kind=drafted.kind, facts="两家因院前通道发生争执。", disputed_matters="通道堆放物。",
                responsibilities="被申请人负主要责任。", copies=3,
                terms=[agreements.TermInput(respondent, "清除堆放物，恢复通行", now().date() + timedelta(days=7),
                                            place="院前通道", method="自行清理")],
            ), expected_version=drafted.version)
            agreements.sign(session, self.mediator, saved.id, signed_on=now().date())

    def submission_note(self, case_id: int) -> str:
        with self.db.read() as session:
            return session.scalars(select(CaseEvent.note).where(
                CaseEvent.case_id == case_id, CaseEvent.action == Action.SUBMIT_FOR_REVIEW.value)
                .order_by(CaseEvent.id.desc())).first() or ""


@pytest.fixture
def desk(db: Database) -> Desk:
    return Desk(db)


def test_success_without_paperwork_is_refused_item_by_item(desk: Desk) -> None:
    case_id = desk.in_mediation()
    desk.act(case_id, Action.SUCCEED, Action.SUBMIT_FOR_REVIEW)
    # Submitting is not refused, but the timeline says what the file lacked.
    submitted = desk.submission_note(case_id)
    assert submitted.startswith("理由\n提交时卷宗尚缺：") and "缺少张三、李四的身份证明" in submitted

    refused = desk.refused(case_id)
    message = str(refused)
    assert message.startswith("案件 （") and "的卷宗不完整，不能结案" in message
    for expected in ("人民调解当事人权利义务告知书", "当事人身份证明：缺少张三、李四的身份证明",
                     "人民调解记录：没有调解记录", "人民调解协议书或人民调解口头协议登记表：没有已签署生效的调解协议"):
        assert expected in message
    assert [m.item for m in refused.missing] == [2, 3, 7, 8]

    # Identity scans for one party only: the other one is still named.
    desk.identity_scans(case_id, skip=1)
    message = str(desk.refused(case_id))
    assert "缺少张三的身份证明" in message and "李四" not in message.split("身份证明")[1].split("；")[0]
    # A mediation record with the notice given clears items 2 and 7, not the agreement.
    desk.mediation_record(case_id, reached=True, outcome="双方达成协议。")
    refused = desk.refused(case_id)
    assert [m.item for m in refused.missing] == [3, 8]

    # The head sends it back; the team gets the agreement signed and the last scan in.
    desk.act(case_id, Action.SEND_BACK, note="协议未签署，身份证明不全")
    desk.sign_agreement(case_id)
    assert desk.state(case_id) is CaseState.SUCCEEDED
    with desk.db.write() as session:
        party = cases.case_detail(session, desk.head, case_id).parties[0]
        attachments.add_document(session, desk.clerk, case_id, kind=AttachmentKind.IDENTITY,
                                 filename="身份证.pdf", content=demo.identity_scan(), party_id=party.id)
    desk.act(case_id, Action.SUBMIT_FOR_REVIEW, actor=desk.mediator, note="")
    assert "尚缺" not in desk.submission_note(case_id)
    desk.approve(case_id)
    assert desk.state(case_id) is CaseState.CLOSED
    with desk.db.read() as session:
        assert dossier.completeness(session, case_id) == []
        assert session.get_one(DisputeCase, case_id).closed_at is not None


def test_failed_case_needs_the_record_of_why(desk: Desk) -> None:
    case_id = desk.in_mediation()
    desk.identity_scans(case_id)
    desk.mediation_record(case_id, reached=True, outcome="初步达成意向。")
    desk.act(case_id, Action.FAIL, Action.TRANSFER, Action.SUBMIT_FOR_REVIEW, note="双方分歧较大")
    refused = desk.refused(case_id)
    assert [m.item for m in refused.missing] == [8]
    assert "调解不成的调解记录" in str(refused) and "未达成协议及其原因" in str(refused)
    # Records may still be added in review; the one saying why it failed opens the gate.
    desk.mediation_record(case_id, reached=False, outcome="未达成协议：双方对赔偿数额分歧较大。已告知可依法起诉。")
    desk.approve(case_id)
    assert desk.state(case_id) is CaseState.CLOSED


def test_diverted_case_needs_identity_only_and_a_sheet_covers_everyone(desk: Desk) -> None:
    case_id = register(desk.db, desk.clerk)
    desk.act(case_id, Action.ACCEPT, Action.DIVERT, note="分流至村调委会")
    with desk.db.write() as session:  # the body answered, so the case may go to review
        session.execute(update(Diversion).where(Diversion.case_id == case_id)
                        .values(feedback="已调解成功", feedback_at=now()))
    desk.act(case_id, Action.SUBMIT_FOR_REVIEW, actor=desk.clerk, note="")
    refused = desk.refused(case_id)
    assert [m.item for m in refused.missing] == [3]
    # One scan of all the ID cards on a sheet, linked to no party, covers everyone.
    with desk.db.write() as session:
        attachments.add_document(session, desk.clerk, case_id, kind=AttachmentKind.IDENTITY,
                                 filename="全体当事人身份证.png", content=demo.identity_scan())
    desk.approve(case_id)
    assert desk.state(case_id) is CaseState.CLOSED


def test_withdrawn_case_needs_the_notice_and_a_record_but_no_agreement(desk: Desk) -> None:
    case_id = desk.in_mediation()
    desk.identity_scans(case_id)
    desk.act(case_id, Action.WITHDRAW, Action.SUBMIT_FOR_REVIEW, note="申请人撤回申请")
    assert [m.item for m in desk.refused(case_id).missing] == [2, 7]
    desk.mediation_record(case_id, reached=False, outcome="申请人撤回调解申请。")
    desk.approve(case_id)
    assert desk.state(case_id) is CaseState.CLOSED


def test_gate_checks_after_the_role(desk: Desk) -> None:
    """Someone who may not approve is told so, not what the file lacks."""
    case_id = desk.in_mediation()
    desk.act(case_id, Action.SUCCEED, Action.SUBMIT_FOR_REVIEW)
    with pytest.raises(PermissionDenied), desk.db.write() as session:
        workflow.transition(session, desk.mediator, case_id, Action.APPROVE_CLOSURE)


def test_complete_paperwork_helper_opens_the_gate(desk: Desk) -> None:
    case_id = desk.in_mediation()
    complete_paperwork(desk.db, desk.head, case_id)
    desk.act(case_id, Action.SUCCEED, Action.SUBMIT_FOR_REVIEW)
    assert [m.item for m in desk.refused(case_id).missing] == [8]  # a success needs its agreement
    desk.act(case_id, Action.SEND_BACK, Action.SUCCEED)
    complete_paperwork(desk.db, desk.head, case_id)
    desk.act(case_id, Action.SUBMIT_FOR_REVIEW)
    desk.approve(case_id)
    assert desk.state(case_id) is CaseState.CLOSED
