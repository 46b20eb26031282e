"""分流: handing an accepted case to a body outside the center, and waiting for its feedback.

The case moves to 分流 through the workflow; the diversion row keeps where it went and why, and
stays on the "awaiting feedback" list until the body reports back. Only then can the case go to
closure review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import CaseEvent, DisputeCase, Diversion, DiversionBody, EventKind, now
from . import audit, permissions, workflow
from .actor import Actor
from .errors import InvalidInput, NotFound


@dataclass(frozen=True)
class DiversionInfo:
    id: int
    case_id: int
    number: str
    body: DiversionBody
    body_name: str
    reason: str
    sent_at: datetime
    feedback: str
    feedback_at: datetime | None

    @property
    def awaiting_feedback(self) -> bool:
        return self.feedback_at is None

    def days_waiting(self, at: datetime) -> int:
        return ((self.feedback_at or at) - self.sent_at).days


def divert(session: Session, actor: Actor, case_id: int, *, body: DiversionBody, body_name: str,
           reason: str, expected_version: int | None = None) -> DiversionInfo:
    body_name, reason = body_name.strip(), reason.strip()
    if not body_name:
        raise InvalidInput("body_name", f"请填写接收分流的{body.label}名称。")
    if not reason:
        raise InvalidInput("reason", "请填写分流理由。")
    moment = now()
    workflow.transition(session, actor, case_id, workflow.Action.DIVERT,
                        note=f"分流至{body.label}“{body_name}”：{reason}", expected_version=expected_version)
    row = Diversion(case_id=case_id, body=body, body_name=body_name, reason=reason, sent_at=moment,
                    sent_by_id=actor.user_id)
    changes.note(session, Changes.cases(case_id, list_changed=True))
    session.add(row)
    session.flush()
    return _info(session, row)


def record_feedback(session: Session, actor: Actor, diversion_id: int, feedback: str) -> DiversionInfo:
    """What the receiving body reported (handled, mediated, returned …)."""
    permissions.require_role(actor, permissions.INTAKE_ROLES, "登记分流反馈")
    row = session.get(Diversion, diversion_id)
    if row is None:
        raise NotFound(f"分流记录（编号 {diversion_id}）不存在。")
    # The feedback is written on the case: only someone who may write the case records it (on a
    # server the policies refuse it too; on SQLite this is the only check).
    permissions.check_case_id(session, actor, row.case_id, "登记分流反馈", permissions.INTAKE_ROLES, write=True)
    feedback = feedback.strip()
    if not feedback:
        raise InvalidInput("feedback", "请填写反馈内容。")
    if row.feedback_at is not None:
        raise InvalidInput("feedback", f"该分流已于 {row.feedback_at:%Y-%m-%d} 登记过反馈。")
    row.feedback = feedback
    row.feedback_at = now()
    session.add(CaseEvent(case_id=row.case_id, at=row.feedback_at, user_id=actor.user_id, kind=EventKind.NOTE,
                          action="diversion_feedback", note=f"{row.body_name}反馈：{feedback}"))
    session.flush()
    changes.note(session, Changes.cases(row.case_id, list_changed=True))
    audit.record(session, actor, "case.diversion_feedback", "case", row.case_id,
                 {"diversion": row.id, "feedback": feedback})
    return _info(session, row)


#: The SQL of "still awaiting feedback", written out so that SQLite uses the partial index of
#: migration 0021 (``ix_diversion_awaiting``), whose WHERE it must match word for word.
_AWAITING = text("diversion.feedback_at IS NULL")


def _worked_by(center_id: int) -> ColumnElement[bool]:
    """The cases ``center_id`` works on: its handling center's (``permissions.own_center``)."""
    return func.coalesce(DisputeCase.handling_center_id, DisputeCase.center_id) == center_id


def awaiting_feedback(session: Session, *, limit: int | None = None,
                      center_id: int | None = None) -> list[DiversionInfo]:
    """The diversions still awaiting feedback, the longest-waiting first (the first ``limit``; with
    ``center_id``, of the cases that center works on — its own unless handled elsewhere, and those
    assigned down or reported up to it — as the desk's other lists are, ``permissions.own_center``)."""
    stmt = (select(Diversion.id, Diversion.case_id, DisputeCase.number, Diversion.body, Diversion.body_name,
                   Diversion.reason, Diversion.sent_at, Diversion.feedback, Diversion.feedback_at)
            .join(DisputeCase, DisputeCase.id == Diversion.case_id)
            .where(_AWAITING).order_by(Diversion.sent_at, Diversion.id))
    if center_id is not None:
        stmt = stmt.where(_worked_by(center_id))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [DiversionInfo(*row) for row in session.execute(stmt)]


def count_awaiting(session: Session, *, center_id: int | None = None) -> int:
    """How many diversions await feedback (the list may show only the first of them)."""
    stmt = select(func.count()).select_from(Diversion).where(_AWAITING)
    if center_id is not None:
        stmt = stmt.join(DisputeCase, DisputeCase.id == Diversion.case_id).where(_worked_by(center_id))
    return int(session.scalar(stmt) or 0)


def diversions_of(session: Session, case_id: int) -> list[DiversionInfo]:
    rows = session.scalars(select(Diversion).where(Diversion.case_id == case_id).order_by(Diversion.id))
    return [_info(session, r) for r in rows]


def _info(session: Session, row: Diversion) -> DiversionInfo:
    number = session.scalar(select(DisputeCase.number).where(DisputeCase.id == row.case_id)) or ""
    return DiversionInfo(row.id, row.case_id, number, row.body, row.body_name, row.reason, row.sent_at,
                         row.feedback, row.feedback_at)
