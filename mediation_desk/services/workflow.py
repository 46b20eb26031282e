"""The case state machine (DESIGN.md §2). Every transition of every case goes through here.

A transition is refused — with a message naming the case's current state — when the action does
not start from that state, the actor's role may not take it, or a mediator is not on the case's
team. Each accepted transition is written to the case timeline and to the audit log.

Closure has a gate: the head's 审核结案 is refused while the dossier lacks a required (必须) item
(``dossier.completeness``), with a message listing every missing item. Submitting for review is
not refused — the mediator may send an unfinished file up for the head to decide, and a diverted
case is submitted by the intake desk, which cannot write records — but the items still missing
then are written on the submission's timeline entry, so the head sees them in the review queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import changes
from ..changes import Changes
from ..models import CaseEvent, CaseState, DisputeCase, Diversion, EventKind, Role, now
from . import audit, clocks, permissions
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed

if TYPE_CHECKING:
    from .dossier import MissingItem

S = CaseState


class Action(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    DIVERT = "divert"
    ASSIGN = "assign"
    START_MEDIATION = "start_mediation"
    SUCCEED = "succeed"
    FAIL = "fail"
    WITHDRAW = "withdraw"
    TRANSFER = "transfer"
    SUBMIT_FOR_REVIEW = "submit_for_review"
    APPROVE_CLOSURE = "approve_closure"
    SEND_BACK = "send_back"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Transition:
    action: Action
    label: str
    sources: frozenset[CaseState]
    target: CaseState
    roles: frozenset[Role]
    #: A reason the user must give (shown on the timeline and in the audit log).
    note_required: bool = False
    note_prompt: str = "备注"


_CLERKS = frozenset({Role.INTAKE, Role.HEAD})
_MEDIATORS = frozenset({Role.MEDIATOR, Role.HEAD})
_HEAD = frozenset({Role.HEAD})

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.ACCEPT, "受理", frozenset({S.REGISTERED}), S.ACCEPTED, _CLERKS),
        Transition(Action.REJECT, "不予受理", frozenset({S.REGISTERED}), S.REJECTED, _CLERKS,
                   note_required=True, note_prompt="不予受理的理由"),
        Transition(Action.DIVERT, "分流", frozenset({S.ACCEPTED}), S.DIVERTED, _CLERKS,
                   note_required=True, note_prompt="分流去向及理由"),
        Transition(Action.ASSIGN, "分派", frozenset({S.ACCEPTED}), S.ASSIGNED, _CLERKS),
        Transition(Action.START_MEDIATION, "开始调解", frozenset({S.ASSIGNED}), S.IN_MEDIATION, _MEDIATORS),
        Transition(Action.SUCCEED, "调解成功", frozenset({S.IN_MEDIATION}), S.SUCCEEDED, _MEDIATORS),
        Transition(Action.FAIL, "调解不成", frozenset({S.IN_MEDIATION}), S.FAILED, _MEDIATORS,
                   note_required=True, note_prompt="调解不成的原因"),
        Transition(Action.WITHDRAW, "撤回", frozenset({S.ASSIGNED, S.IN_MEDIATION}), S.WITHDRAWN, _MEDIATORS,
                   note_required=True, note_prompt="撤回的情况"),
        Transition(Action.TRANSFER, "移送法院/转办部门", frozenset({S.FAILED}), S.TRANSFERRED, _MEDIATORS,
                   note_required=True, note_prompt="移送或转办的去向"),
        Transition(Action.SUBMIT_FOR_REVIEW, "提交结案审核",
                   frozenset({S.SUCCEEDED, S.FAILED, S.TRANSFERRED, S.WITHDRAWN, S.DIVERTED}),
                   S.CLOSURE_REVIEW, frozenset({Role.MEDIATOR, Role.INTAKE, Role.HEAD})),
        Transition(Action.APPROVE_CLOSURE, "审核结案", frozenset({S.CLOSURE_REVIEW}), S.CLOSED, _HEAD),
        Transition(Action.SEND_BACK, "驳回重办", frozenset({S.CLOSURE_REVIEW}), S.IN_MEDIATION, _HEAD,
                   note_required=True, note_prompt="驳回的理由"),
        Transition(Action.REOPEN, "重新调解", frozenset({S.CLOSED}), S.IN_MEDIATION, _HEAD,
                   note_required=True, note_prompt="重新调解的原因"),
    )
}

#: States in which a case is still the center's work (for deadlines and "open" filters).
OPEN_STATES = frozenset({S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.IN_MEDIATION, S.SUCCEEDED, S.FAILED,
                         S.TRANSFERRED, S.WITHDRAWN, S.DIVERTED, S.CLOSURE_REVIEW})
FINAL_STATES = frozenset({S.REJECTED, S.CLOSED})


def _mediator_may_act(actor: Actor, case: DisputeCase, action: Action) -> bool:
    """A mediator works only on their own team's cases (or ones they lead). The intake desk may
    submit for review only what it closed itself: a diverted case."""
    if actor.role is Role.MEDIATOR:
        return (case.team_id is not None and case.team_id in actor.team_ids) or (
            actor.mediator_id is not None and case.lead_mediator_id == actor.mediator_id
        )
    if actor.role is Role.INTAKE and action is Action.SUBMIT_FOR_REVIEW:
        return case.state is S.DIVERTED
    return True


#: The states in which the center working on a case gives it to another of its teams (改派): once
#: assigned, while it is mediated — a case reported up or assigned down arrives in one of them with
#: the sending center's team, and the receiving center routes it to its own (docs/crossings.md,
#: ``assignment.route``).
ROUTE_STATES = frozenset({S.ASSIGNED, S.IN_MEDIATION})


def routable(actor: Actor, case: DisputeCase) -> bool:
    """Whether the actor may route the case to a team now (改派): the clerk or head of the center
    working on it, in ``ROUTE_STATES``."""
    return (case.state in ROUTE_STATES and permissions.has_role(actor, permissions.INTAKE_ROLES)
            and permissions.may_write(actor, case))


def allowed_actions(actor: Actor, case: DisputeCase) -> list[Transition]:
    """The transitions this actor may take on this case now, in the order of the workflow (none
    on a case of a center below theirs: read-only)."""
    if not permissions.may_write(actor, case):
        return []
    return [
        t
        for t in TRANSITIONS.values()
        if case.state in t.sources and actor.role in t.roles and _mediator_may_act(actor, case, t.action)
    ]


def check_transition(actor: Actor, case: DisputeCase, action: Action) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(f"未知的操作“{action}”。")
    if case.state not in transition.sources:
        possible = "、".join(f"“{s.label}”" for s in sorted(transition.sources, key=list(CaseState).index))
        raise TransitionNotAllowed(
            f"案件 {case.number} 当前状态为“{case.state.label}”，不能执行“{transition.label}”"
            f"（只有{possible}状态的案件可以）。"
        )
    if actor.role not in transition.roles:
        raise PermissionDenied(f"“{actor.role.label}”无权对案件执行“{transition.label}”。")
    doing = f"执行“{transition.label}”"
    if not permissions.reads_case(actor, case):
        raise PermissionDenied(permissions.NOT_YOUR_CENTER.format(number=case.number, doing=doing))
    if not permissions.may_write(actor, case):
        raise PermissionDenied(permissions.READ_ONLY_CENTER.format(number=case.number, doing=doing))
    if not _mediator_may_act(actor, case, action):
        raise PermissionDenied(f"案件 {case.number} 不属于您所在的调解团队，不能执行“{transition.label}”。")
    return transition


def transition(session: Session, actor: Actor, case_id: int, action: Action | str, *, note: str = "",
               expected_version: int | None = None) -> CaseEvent:
    """Move a case along the workflow; returns the timeline event it wrote."""
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    if expected_version is not None and case.version != expected_version:
        raise Conflict(
            f"案件 {case.number} 已被他人修改（当前状态“{case.state.label}”）。请刷新后再操作。"
        )
    try:
        action = Action(action)
    except ValueError:
        raise TransitionNotAllowed(f"未知的操作“{action}”。") from None
    rule = check_transition(actor, case, action)
    if case.state is S.CLOSED:
        from . import retention

        if retention.is_archived(session, case.id):
            # Nothing is left to mediate on: parties, records and files went to the archive folder.
            raise TransitionNotAllowed(f"案件 {case.number} 的卷宗已按保管期限归档，系统中只保留案号，"
                                       f"不能“{rule.label}”。如需重新调解，请重新登记并关联原案号。")
    if action is Action.ASSIGN and case.team_id is None:
        raise InvalidInput("team", "分派案件时必须选择调解团队。")
    if action is Action.SUBMIT_FOR_REVIEW and case.state is S.DIVERTED:
        waiting = session.scalar(select(Diversion.body_name).where(
            Diversion.case_id == case.id, Diversion.feedback_at.is_(None)).limit(1))
        if waiting is not None:
            raise TransitionNotAllowed(f"案件 {case.number} 分流至“{waiting}”后尚未收到反馈，不能提交结案审核。")
    note = note.strip()
    if rule.note_required and not note:
        raise InvalidInput("note", f"请填写{rule.note_prompt}。")
    missing = _dossier_gate(session, case, action)
    source = case.state
    moment = now()
    case.state = rule.target
    # The case moves between state (and, when assigned, team) filters, so lists that do not show
    # it yet may gain it: a list change, not only the case.
    changes.note(session, Changes.cases(case.id, list_changed=True))
    if rule.target is S.ACCEPTED and case.accepted_at is None:
        case.accepted_at = moment
    if rule.target is S.CLOSED or rule.target is S.REJECTED:
        case.closed_at = moment
    elif source is S.CLOSED:
        case.closed_at = None
    if rule.target is S.CLOSED or source is S.CLOSED:
        # The file's retention date (保管期限 from the closing day); a reopened case loses it.
        # Imported here, like the other hooks: the closure's helpers are loaded when first used.
        from . import retention

        retention.stamp(session, case)
    event = CaseEvent(
        case=case,
        at=moment,
        user_id=actor.user_id,
        kind=EventKind.TRANSITION,
        action=str(action),
        from_state=source,
        to_state=rule.target,
        note=_with_missing(note, missing),
    )
    session.add(event)
    clocks.refresh_clock(session, case)
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(f"案件 {case.number} 刚被他人修改，本次操作未保存。请刷新后再操作。") from None
    detail: dict[str, object] = {"number": case.number, "from": str(source), "to": str(rule.target), "note": note}
    if missing:
        detail["dossier_missing"] = [str(m) for m in missing]
    audit.record(session, actor, f"case.{action}", "case", case.id, detail)
    if action is Action.APPROVE_CLOSURE:
        # Return visits are planned with the closure, in the same transaction: 30 days on, and
        # after each agreed term's deadline. Imported here: visits imports this module.
        from . import visits

        visits.plan_after_closure(session, case.id)
    return event


def _dossier_gate(session: Session, case: DisputeCase, action: Action) -> list[MissingItem]:
    """The closure gate (see the module docstring): raises ``DossierIncomplete`` for an approval
    while a required item is missing; returns the missing items a submission goes up with."""
    if action not in (Action.APPROVE_CLOSURE, Action.SUBMIT_FOR_REVIEW):
        return []
    # Imported here: the dossier's services (records, agreements) import this module.
    from . import dossier

    if action is Action.APPROVE_CLOSURE:
        dossier.check_complete(session, case.id)
        return []
    return dossier.completeness(session, case.id)


def _with_missing(note: str, missing: list[MissingItem]) -> str:
    if not missing:
        return note
    listed = "；".join(str(m) for m in missing)
    return f"{note}\n提交时卷宗尚缺：{listed}。" if note else f"提交时卷宗尚缺：{listed}。"
