"""调解终结 and the 无争议事实确认书: how a mediation that reached no agreement is ended.

Ending mediation (调解终结) records the day and the reason. From 调解中 it is the workflow's
``FAIL`` transition, whose note is the reason; a case already 调解不成 (failed through the case
view's workflow button) gets the termination record on top, with the reason it was given.

The statement of undisputed facts (无争议事实确认书) is what both sides still accept: a draft the
mediator edits while the case is 调解中 or 调解不成, then marked signed when the parties have
signed the printed copy. Signed, it is no longer edited; the court may rely on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import changes
from ..changes import Changes
from ..models import CaseEvent, CaseState, DisputeCase, EventKind, Termination, UndisputedFacts, now
from . import audit, permissions, versions, workflow, writers
from .actor import Actor
from .errors import Conflict, InvalidInput, TransitionNotAllowed
from .writers import LastWrite

MAX_REASON_CHARS = 2000
MAX_FACTS_CHARS = 20_000

#: The states in which mediation can be ended without agreement.
TERMINABLE_STATES = frozenset({CaseState.IN_MEDIATION, CaseState.FAILED})
#: The states in which the undisputed facts may be drafted and signed.
FACTS_STATES = frozenset({CaseState.IN_MEDIATION, CaseState.FAILED})


@dataclass(frozen=True)
class TerminationInfo:
    id: int
    case_id: int
    terminated_on: date
    reason: str
    version: int


@dataclass(frozen=True)
class UndisputedFactsInfo:
    id: int
    case_id: int
    facts: str
    disputed: str
    signed: bool
    signed_on: date | None
    version: int


def _case_for_work(session: Session, actor: Actor, case_id: int) -> DisputeCase:
    return permissions.case_for(session, actor, case_id, "办理调解终结或无争议事实", permissions.CASEWORK_ROLES)


def _termination_info(row: Termination) -> TerminationInfo:
    return TerminationInfo(row.id, row.case_id, row.terminated_on, row.reason, row.version)


def _facts_info(row: UndisputedFacts) -> UndisputedFactsInfo:
    return UndisputedFactsInfo(row.id, row.case_id, row.facts, row.disputed, row.signed, row.signed_on,
                               row.version)


def _check_day(field: str, label: str, day: date, case: DisputeCase) -> None:
    if day > now().date():
        raise InvalidInput(field, f"{label}不能晚于今天。")
    if day < case.received_at.date():
        raise InvalidInput(field, f"{label}不能早于案件登记日期（{case.received_at:%Y-%m-%d}）。")


# --------------------------------------------------------------------------- termination


def terminate(session: Session, actor: Actor, case_id: int, *, reason: str,
              terminated_on: date | None = None) -> TerminationInfo:
    """Record 调解终结. From 调解中 the case moves to 调解不成 (``FAIL`` with the reason as note)."""
    case = _case_for_work(session, actor, case_id)
    versions.lock_case(session, case_id)  # two desks ending it at once: the second finds the first's record
    reason = reason.strip()
    day = terminated_on or now().date()
    if not reason:
        raise InvalidInput("reason", "请填写调解终结的原因。")
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidInput("reason", f"调解终结的原因最长 {MAX_REASON_CHARS} 个字。")
    _check_day("terminated_on", "终结日期", day, case)
    if case.state not in TERMINABLE_STATES:
        raise TransitionNotAllowed(
            f"案件 {case.number} 当前状态为“{case.state.label}”，不能记录调解终结"
            "（只有“调解中”或“调解不成”的案件可以）。")
    existing = session.scalar(select(Termination).where(Termination.case_id == case_id))
    if existing is not None:
        raise InvalidInput("reason", f"案件 {case.number} 已于{existing.terminated_on:%Y年%m月%d日}记录调解终结，"
                                     "不能重复记录。")
    if case.state is CaseState.IN_MEDIATION:
        workflow.transition(session, actor, case_id, workflow.Action.FAIL, note=reason)
    row = Termination(case_id=case_id, terminated_on=day, reason=reason, author_id=actor.user_id)
    session.add(row)
    session.add(CaseEvent(case_id=case_id, at=now(), user_id=actor.user_id, kind=EventKind.NOTE,
                          action="terminate", note=f"调解终结（{day:%Y-%m-%d}）：{reason}"))
    session.flush()
    changes.note(session, Changes.cases(case_id, list_changed=True))
    audit.record(session, actor, "case.terminate", "case", case_id,
                 {"number": case.number, "terminated_on": day.isoformat(), "reason": reason})
    return _termination_info(row)


def termination_of(session: Session, case_id: int) -> TerminationInfo | None:
    row = session.scalar(select(Termination).where(Termination.case_id == case_id))
    return _termination_info(row) if row is not None else None


def failure_reason(session: Session, case_id: int) -> str:
    """Why mediation failed: the termination's reason, else the note of the latest ``FAIL``."""
    found = termination_of(session, case_id)
    if found is not None:
        return found.reason
    note = session.scalar(
        select(CaseEvent.note)
        .where(CaseEvent.case_id == case_id, CaseEvent.kind == EventKind.TRANSITION,
               CaseEvent.action == str(workflow.Action.FAIL))
        .order_by(CaseEvent.id.desc()).limit(1))
    return note or ""


# --------------------------------------------------------------------------- undisputed facts


def undisputed_facts_of(session: Session, case_id: int) -> UndisputedFactsInfo | None:
    row = session.scalar(select(UndisputedFacts).where(UndisputedFacts.case_id == case_id)
                         .order_by(UndisputedFacts.id.desc()).limit(1))
    return _facts_info(row) if row is not None else None


def save_undisputed_facts(session: Session, actor: Actor, case_id: int, *, facts: str, disputed: str = "",
                          expected_version: int | None = None) -> UndisputedFactsInfo:
    """Create or edit the draft statement. A signed statement is not edited any more.

    ``expected_version`` is the version of the draft the form was loaded with, ``0`` when it saw no
    draft (then a draft saved meanwhile by another desk is a ``Conflict``, not overwritten);
    ``None`` (the command line) checks nothing."""
    case = _case_for_work(session, actor, case_id)
    versions.lock_case(session, case_id)  # two desks saving the first draft at once: one waits
    if case.state not in FACTS_STATES:
        raise TransitionNotAllowed(
            f"案件 {case.number} 当前状态为“{case.state.label}”，不能编辑无争议事实"
            "（只有“调解中”或“调解不成”的案件可以）。")
    facts, disputed = facts.strip(), disputed.strip()
    if not facts:
        raise InvalidInput("facts", "请填写双方无争议的事实。")
    for field, label, value in (("facts", "无争议事实", facts), ("disputed", "尚存争议的事项", disputed)):
        if len(value) > MAX_FACTS_CHARS:
            raise InvalidInput(field, f"{label}最长 {MAX_FACTS_CHARS} 个字。")
    row = session.scalar(select(UndisputedFacts).where(UndisputedFacts.case_id == case_id)
                         .order_by(UndisputedFacts.id.desc()).limit(1))
    if row is not None and row.signed:
        raise InvalidInput("facts", "无争议事实确认书已由当事人签字确认，不能再修改。")
    versions.check(row.version if row is not None else None, expected_version,
                   "他人已先起草了无争议事实，本次填写未保存，也没有覆盖对方的内容。请核对双方的内容后再保存。"
                   if expected_version == versions.NO_ROW
                   else "无争议事实已被他人修改，本次修改未保存。请刷新后再编辑。")
    created = row is None
    if row is None:
        row = UndisputedFacts(case_id=case_id, facts=facts, disputed=disputed, author_id=actor.user_id)
        session.add(row)
    else:
        row.facts, row.disputed = facts, disputed
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("无争议事实刚被他人修改，本次修改未保存。请刷新后再编辑。") from None
    if created:
        session.add(CaseEvent(case_id=case_id, at=now(), user_id=actor.user_id, kind=EventKind.DOCUMENT,
                              action="undisputed_facts", note="起草无争议事实确认书"))
    changes.note(session, Changes.cases(case_id, list_changed=True))
    audit.record(session, actor, "undisputed_facts.save", "case", case_id,
                 {"number": case.number, "created": created})
    return _facts_info(row)


def sign_undisputed_facts(session: Session, actor: Actor, case_id: int, *, signed_on: date | None = None,
                          expected_version: int | None = None) -> UndisputedFactsInfo:
    """The parties signed the printed statement: draft → signed. Its PDF is rendered and kept in
    this transaction (``services.printing``): the document of record from now on."""
    from . import printing  # renders with reportlab: loaded when a statement is signed

    case = _case_for_work(session, actor, case_id)
    row = session.scalar(select(UndisputedFacts).where(UndisputedFacts.case_id == case_id)
                         .order_by(UndisputedFacts.id.desc()).limit(1))
    if row is None:
        raise InvalidInput("facts", "尚未起草无争议事实确认书，请先填写并保存。")
    if row.signed:
        raise InvalidInput("signed_on", f"无争议事实确认书已于{row.signed_on:%Y年%m月%d日}签字确认。")
    if case.state not in FACTS_STATES:
        raise TransitionNotAllowed(
            f"案件 {case.number} 当前状态为“{case.state.label}”，不能确认无争议事实。")
    if expected_version is not None and row.version != expected_version:
        raise Conflict("无争议事实已被他人修改，请刷新、核对后再确认签字。")
    day = signed_on or now().date()
    _check_day("signed_on", "签字日期", day, case)
    row.signed, row.signed_on = True, day
    versions.flush(session, "无争议事实刚被他人修改或确认签字，本次未登记。请刷新、核对后再确认签字。")
    session.add(CaseEvent(case_id=case_id, at=now(), user_id=actor.user_id, kind=EventKind.DOCUMENT,
                          action="undisputed_facts_signed", note=f"当事人签字确认无争议事实（{day:%Y-%m-%d}）"))
    info = _facts_info(row)
    document = printing.keep_signed_facts(session, actor, info)
    changes.note(session, Changes.cases(case_id, list_changed=True))
    audit.record(session, actor, "undisputed_facts.sign", "case", case_id,
                 {"number": case.number, "signed_on": day.isoformat(), "pdf_sha256": document.sha256})
    return info


def facts_last_write(session: Session, case_id: int) -> LastWrite:
    """Who saved the case's undisputed facts last and when (the conflict dialog names them)."""
    row = session.scalar(select(UndisputedFacts).where(UndisputedFacts.case_id == case_id)
                         .order_by(UndisputedFacts.id.desc()).limit(1))
    return writers.last_write(session, case_id, None, 0, ("undisputed_facts.save", "undisputed_facts.sign"),
                              row.updated_at if row is not None else None)
