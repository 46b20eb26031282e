"""Small builders shared by the document tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation_desk.models import AgreementKind, PartyRole, Team
from mediation_desk.services import agreements, cases, workflow
from mediation_desk.services.actor import Actor


def start_mediation(session: Session, clerk: Actor, mediator: Actor, case_id: int) -> None:
    """Accept a registered case, assign it to the team ``mediator`` leads with them as its lead
    mediator, and start mediation (as ``mediator``)."""
    team = session.scalar(select(Team.id).where(Team.lead_mediator_id == mediator.mediator_id))
    assert team is not None
    workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
    cases.assign_case(session, clerk, case_id, team_id=team, lead_mediator_id=mediator.mediator_id)
    workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)


def sign_agreement(session: Session, mediator: Actor, case_id: int) -> int:
    """The case's written agreement (the neighbours' passage: one term of the respondent's, three
    copies) drafted, saved and signed on 2026-10-08 by ``mediator``; its id."""
    detail = cases.case_detail(session, mediator, case_id)
    respondent = next(p.id for p in detail.parties if p.role is PartyRole.RESPONDENT)
    drafted = agreements.draft(session, mediator, case_id)
    saved = agreements.save(session, mediator, drafted.id, agreements.AgreementInput(
        kind=AgreementKind.WRITTEN, facts="两家因院前通道发生争执。", disputed_matters="通行。",
        responsibilities="被申请人负主要责任。", copies=3,
        terms=[agreements.TermInput(respondent, "拆除院前堆放物，恢复通行", date(2026, 10, 20),
                                    place="院前通道", method="自行清理")]), expected_version=drafted.version)
    agreements.sign(session, mediator, saved.id, signed_on=date(2026, 10, 8))
    return saved.id
