"""A case mediated to a signed agreement, shared by the confirmation and return-visit tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from mediation_desk.db import Database
from mediation_desk.models import AgreementKind, AttachmentKind, Role
from mediation_desk.services import agreements, attachments, cases, records, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.agreements import AgreementInput, TermInput

from ..scanning.samples import pdf_bytes
from .helpers import dispute_type_id, make_team, make_user, new_case_input


@dataclass
class Settled:
    db: Database
    clerk: Actor
    head: Actor
    mediator: Actor
    case_id: int
    agreement_id: int
    effective_on: date
    #: The deadlines of the agreement's two terms.
    term_dues: tuple[date, date]


def settled_case(db: Database, *, signed_days_ago: int = 2, facts: str = "两家因院前通道发生争执。",
                 terms: tuple[str, str] = ("拆除院前堆放物，恢复通行", "赔偿申请人损失"),
                 term_days: tuple[int, int] = (10, 60), dispute_type: str | None = None) -> Settled:
    team_id, mediator_id = make_team(db)
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
    return settle(db, clerk, head, mediator, team_id, signed_days_ago=signed_days_ago, facts=facts, terms=terms,
                  term_days=term_days, dispute_type=dispute_type)


def settle(db: Database, clerk: Actor, head: Actor, mediator: Actor, team_id: int, *, signed_days_ago: int = 2,
           facts: str = "两家因院前通道发生争执。",
           terms: tuple[str, str] = ("拆除院前堆放物，恢复通行", "赔偿申请人损失"),
           term_days: tuple[int, int] = (10, 60), dispute_type: str | None = None,
           title: str = "相邻通行纠纷") -> Settled:
    """A new case registered by ``clerk``, mediated by ``team_id`` to a signed agreement (调解成功),
    with what the closure gate asks of its dossier."""
    data = new_case_input(db, title=title)
    if dispute_type is not None:
        data.dispute_type_id = dispute_type_id(db, dispute_type)
    today = date.today()
    with db.write() as session:
        case_id = cases.register_case(session, clerk, data)
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, head, case_id, team_id=team_id)
        workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)
        parties = cases.case_detail(session, mediator, case_id).parties
        applicant, respondent = parties[0].id, parties[1].id
        # What the closure gate asks of the dossier: identity proofs, a mediation record that
        # says the parties were told their rights.
        for party in parties:
            attachments.add_document(session, clerk, case_id, kind=AttachmentKind.IDENTITY, filename="身份证.pdf",
                                     content=pdf_bytes(1), media_type="application/pdf", party_id=party.id)
        records.add_mediation_record(session, mediator, case_id, records.MediationRecordInput(
            held_at=datetime.now() - timedelta(hours=1), place="中心第一调解室", subject=title,
            mediators="李建国", recorder="王晓燕", participants="", parties_present="张三、李四",
            notice_given=True, statements="申请人称……被申请人称……", verification="现场查看属实",
            outcome="双方达成一致", agreement_reached=True))
        drafted = agreements.draft(session, mediator, case_id)
        dues = (today + timedelta(days=term_days[0]), today + timedelta(days=term_days[1]))
        saved = agreements.save(session, mediator, drafted.id, AgreementInput(
            AgreementKind.WRITTEN, facts, "通行与赔偿", "被申请人负主要责任", 3, [
                TermInput(respondent, terms[0], dues[0], place="院前通道", method="自行清理"),
                TermInput(respondent, terms[1], dues[1], Decimal("3000"), obligee_party_id=applicant,
                          place="调解中心", method="银行转账"),
            ]), expected_version=drafted.version)
        signed = agreements.sign(session, mediator, saved.id, signed_on=today - timedelta(days=signed_days_ago))
    assert signed.effective_on is not None
    return Settled(db, clerk, head, mediator, case_id, saved.id, signed.effective_on, dues)


def close(settled: Settled) -> None:
    """Mediator submits, head approves: the case is 结案."""
    with settled.db.write() as session:
        workflow.transition(session, settled.mediator, settled.case_id, workflow.Action.SUBMIT_FOR_REVIEW)
        workflow.transition(session, settled.head, settled.case_id, workflow.Action.APPROVE_CLOSURE)


def with_every_document(settled: Settled) -> None:
    """Beside the signed written agreement: an investigation record and an oral agreement drafted,
    then the case closed and visited, so that every kind of ``dossier.DOCUMENT_KINDS`` applies."""
    from mediation_desk.models import Performance, Satisfaction, VisitMethod
    from mediation_desk.services import visits

    with settled.db.write() as session:
        records.add_investigation(session, settled.mediator, settled.case_id, records.InvestigationInput(
            held_at=datetime.now() - timedelta(hours=3), place="院前通道", investigators="李建国", recorder="王晓燕",
            interviewee="王堃", interviewee_relation="邻居", content="问：通道何时被堵？\n答：上个月。"))
        agreements.draft(session, settled.mediator, settled.case_id, AgreementKind.ORAL)
    close(settled)
    with settled.db.write() as session:
        visits.record_visit(session, settled.head, settled.case_id, visits.VisitInput(
            date.today(), "陈志强", "张三", VisitMethod.PHONE, Performance.PERFORMED, Satisfaction.FAIRLY))
