"""督办: the head's order on a late or risky case, shown on the assignees' desk until answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import CaseEvent, DisputeCase, EventKind, Role, SupervisionOrder, User, now
from . import audit, permissions, versions
from .actor import Actor
from .errors import InvalidInput, NotFound


@dataclass(frozen=True)
class OrderInfo:
    id: int
    case_id: int
    number: str
    title: str
    issued_by: str
    issued_at: datetime
    instruction: str
    due_on: date | None
    response: str
    resolved_at: datetime | None

    @property
    def open(self) -> bool:
        return self.resolved_at is None


def issue(session: Session, actor: Actor, case_id: int, *, instruction: str, due_on: date | None) -> OrderInfo:
    permissions.require_role(actor, permissions.HEAD_ONLY, "督办")
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    instruction = instruction.strip()
    if not instruction:
        raise InvalidInput("instruction", "请填写督办意见。")
    if due_on is not None and due_on < now().date():
        raise InvalidInput("due_on", "办结期限不能早于今天。")
    moment = now()
    order = SupervisionOrder(case_id=case_id, issued_by_id=actor.user_id, issued_at=moment,
                             instruction=instruction, due_on=due_on)
    session.add(order)
    due_text = f"，限 {due_on:%Y年%m月%d日} 前办结" if due_on else ""
    session.add(CaseEvent(case_id=case_id, at=moment, user_id=actor.user_id, kind=EventKind.SUPERVISION,
                          action="supervise", note=f"督办：{instruction}{due_text}"))
    session.flush()
    changes.note(session, Changes.cases(case_id))
    audit.record(session, actor, "case.supervise", "case", case_id,
                 {"order": order.id, "instruction": instruction, "due": due_on.isoformat() if due_on else None})
    return _info(session, order)


def answer(session: Session, actor: Actor, order_id: int, response: str) -> OrderInfo:
    """The team's answer; a mediator answers only for their own team's cases."""
    order = session.get(SupervisionOrder, order_id)
    if order is None:
        raise NotFound(f"督办单（编号 {order_id}）不存在。")
    case = session.get_one(DisputeCase, order.case_id)
    permissions.require_case_access(actor, case, "答复督办", permissions.CASEWORK_ROLES)
    response = response.strip()
    if not response:
        raise InvalidInput("response", "请填写办理情况。")
    if order.resolved_at is not None:
        raise InvalidInput("response", "该督办已答复。")
    order.response = response
    order.resolved_at = now()
    session.add(CaseEvent(case_id=case.id, at=order.resolved_at, user_id=actor.user_id,
                          kind=EventKind.SUPERVISION, action="supervision_answer", note=f"督办答复：{response}"))
    versions.flush(session, "该督办刚由他人答复，本次答复未保存。请查看对方的答复。")
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "case.supervision_answer", "case", case.id, {"order": order.id})
    return _info(session, order)


def orders(session: Session, actor: Actor, *, open_only: bool = True, case_id: int | None = None) -> list[OrderInfo]:
    """The head sees every order; a mediator the orders on their teams' cases (their desk).
    ``case_id``: only that case's (a case's page: read by the case's id, not by walking every
    order of the teams and keeping one case's, 0.35 s of a mediator's case opening at a million)."""
    # From the orders to their cases by id, never the other way: a mediator's teams hold ~180,000
    # cases on the million-case demo and the planner, left to itself (a new file has no statistics),
    # walked them all through the team's index to find the few with an order (0.5 s with none at
    # all). SQLite's NOT INDEXED leaves the case only its rowid; the open orders are a partial index
    # of their own (migration 0050).
    stmt = (select(SupervisionOrder).join(DisputeCase, DisputeCase.id == SupervisionOrder.case_id)
            .where(permissions.own_center(actor)).with_hint(DisputeCase, "NOT INDEXED", "sqlite"))
    if case_id is not None:
        stmt = stmt.where(SupervisionOrder.case_id == case_id)
    if open_only:
        stmt = stmt.where(SupervisionOrder.resolved_at.is_(None))
    if actor.role is Role.MEDIATOR:
        stmt = stmt.where(DisputeCase.team_id.in_(sorted(actor.team_ids)))
    elif actor.role is not Role.HEAD:
        return []
    stmt = stmt.order_by(SupervisionOrder.due_on.is_(None), SupervisionOrder.due_on, SupervisionOrder.id)
    return [_info(session, o) for o in session.scalars(stmt)]


def _info(session: Session, order: SupervisionOrder) -> OrderInfo:
    case = session.get_one(DisputeCase, order.case_id)
    issuer = session.get(User, order.issued_by_id) if order.issued_by_id else None
    return OrderInfo(order.id, case.id, case.number, case.title, issuer.display_name if issuer else "",
                     order.issued_at, order.instruction, order.due_on, order.response, order.resolved_at)
