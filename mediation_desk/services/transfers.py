"""移送 / 转办 tracking: each packet built for a court or a department, and what became of it.

A row is written when a packet is built (已生成, with the packet's UUID and SHA-256). When the
mediator confirms it was handed over, the row becomes 已移送 and the case takes the workflow's
``TRANSFER`` step (调解不成 → 已移送). Later: the other side received it (对方已接收), the court
filed it under its 案号 (已立案), and the outcome (已办结). Each step is on the timeline and in
the audit log; each refuses a date in the future or before the step it follows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import (
    CaseEvent,
    CaseState,
    DisputeCase,
    EventKind,
    Transfer,
    TransferStatus,
    TransferTarget,
    User,
    now,
)
from . import audit, permissions, versions, workflow
from .actor import Actor
from .digits import fold_width
from .errors import InvalidInput, NotFound, TransitionNotAllowed

MAX_TARGET_NAME = 120
MAX_OUTCOME_CHARS = 4000
MAX_CLAIM_CHARS = 2000

#: Words of a request for mediation ("请求依法调解双方之间的纠纷"), which no court can docket as a
#: claim (诉讼请求: what the court is asked to order, 民事诉讼法 art. 124). A claim about a mediation
#: *agreement* ("确认调解协议无效") is a claim, so "调解协议" is not one of them.
MEDIATION_WORDS = re.compile(r"调解(?!协议)|协调|调处|说和|化解")
#: Why a court packet without claims is refused (the field is 诉讼请求).
NO_CLAIMS = ("移送人民法院须写明诉讼请求（“诉讼请求”一栏，每行一项，例如“判令被申请人赔偿医疗费5000元”）："
             "申请调解的事项不是诉讼请求，法院无法据以立案。")

#: A court's case number (案号): （年份）+ court code (province character + digits, or a name such
#: as 最高法) + case-type characters (民初, 民终, 执, 调确 …) + sequence + 号. The pre-2016 style
#: "……民初字第1234号" is accepted too.
CASE_NUMBER_PATTERN = re.compile(
    r"^（(?P<year>\d{4})）(?P<court>[\u4e00-\u9fff]{1,4}\d{0,6})(?P<kind>[\u4e00-\u9fff]{1,6}?)(?:字第)?"
    r"(?P<seq>\d{1,6})号$", re.ASCII)  # ASCII: \d must not take ² or ٢ for a digit


@dataclass(frozen=True)
class TransferInfo:
    id: int
    case_id: int
    target: TransferTarget
    target_name: str
    reason: str
    claims: tuple[str, ...]
    status: TransferStatus
    packet_id: str
    packet_sha256: str
    created_at: datetime
    sent_at: datetime | None
    sent_by: str
    received_at: datetime | None
    filed_number: str
    filed_on: date | None
    outcome: str
    outcome_on: date | None
    version: int


def _info(row: Transfer, sent_by: str = "") -> TransferInfo:
    claims = tuple(line.strip() for line in row.claims.split("\n") if line.strip())
    return TransferInfo(
        id=row.id, case_id=row.case_id, target=row.target, target_name=row.target_name, reason=row.reason,
        claims=claims, status=row.status, packet_id=row.packet_id, packet_sha256=row.packet_sha256,
        created_at=row.created_at, sent_at=row.sent_at, sent_by=sent_by, received_at=row.received_at,
        filed_number=row.filed_number, filed_on=row.filed_on, outcome=row.outcome, outcome_on=row.outcome_on,
        version=row.version)


def normalise_case_number(text: str) -> str:
    """Full-width parentheses, no spaces: ``(2026)甘0102民初1234号`` → ``（2026）甘0102民初1234号``."""
    # Full-width digits and brackets fold to ASCII (never NFKC, which reads ² as 2); the courts
    # write the brackets full-width.
    value = "".join(fold_width(text).split())
    return value.replace("(", "（").replace(")", "）")


def check_court_case_number(text: str, *, today: date | None = None) -> str:
    """The 案号 as the court writes it, or ``InvalidInput`` saying what is wrong with it."""
    value = normalise_case_number(text)
    if not value:
        raise InvalidInput("filed_number", "请填写法院立案的案号，例如（2026）甘0102民初1234号。")
    match = CASE_NUMBER_PATTERN.match(value)
    if match is None:
        raise InvalidInput("filed_number",
                           f"案号“{text.strip()}”格式不正确：应为（年份）+ 法院代字 + 类型代字 + 序号 + 号，"
                           "例如（2026）甘0102民初1234号。")
    year = int(match["year"])
    this_year = (today or now().date()).year
    if not 1990 <= year <= this_year:
        raise InvalidInput("filed_number", f"案号中的年份 {year} 不合理（应在 1990 至 {this_year} 之间）。")
    if int(match["seq"]) == 0:
        raise InvalidInput("filed_number", "案号中的序号不能为 0。")
    return value


def _check_actor(session: Session, actor: Actor, case_id: int) -> DisputeCase:
    return permissions.case_for(session, actor, case_id, "办理移送", permissions.CASEWORK_ROLES)


#: A tracking step refused because another desk recorded a step of the same transfer meanwhile.
STALE = "该移送记录已被他人更新（如已登记接收、立案或结果），本次未保存。请核对后再登记。"


def _load(session: Session, actor: Actor, transfer_id: int,
          expected_version: int | None = None) -> tuple[Transfer, DisputeCase]:
    """The transfer and its case; ``expected_version`` is the version the desk showed (``None``,
    the command line: no check)."""
    row = session.get(Transfer, transfer_id)
    if row is None:
        raise NotFound(f"移送记录（编号 {transfer_id}）不存在。")
    case = _check_actor(session, actor, row.case_id)
    versions.check(row.version, expected_version, STALE)
    return row, case


def _event(session: Session, actor: Actor, row: Transfer, action: str, note: str) -> None:
    session.add(CaseEvent(case_id=row.case_id, at=now(), user_id=actor.user_id, kind=EventKind.NOTE,
                          action=action, note=note))


def check_target(target: TransferTarget | str, target_name: str) -> tuple[TransferTarget, str]:
    try:
        kind = TransferTarget(target)
    except ValueError:
        raise InvalidInput("target", f"移送去向“{target}”无效：只能是法院（court）或职能部门（department）。") from None
    name = " ".join(target_name.split())
    if not name:
        what = "接收的人民法院" if kind is TransferTarget.COURT else "接收的职能部门"
        raise InvalidInput("target_name", f"请填写{what}名称。")
    if len(name) > MAX_TARGET_NAME:
        raise InvalidInput("target_name", f"接收单位名称最长 {MAX_TARGET_NAME} 个字。")
    return kind, name


def claims_problem(claims: Sequence[str]) -> str | None:
    """Why ``claims`` cannot go to a court as its 诉讼请求, or None when they can."""
    lines = [c.strip() for c in claims if c.strip()]
    if not lines:
        return NO_CLAIMS
    for index, line in enumerate(lines, start=1):
        if len(line) > MAX_CLAIM_CHARS:
            return f"诉讼请求第 {index} 项过长（{len(line)} 字，最多 {MAX_CLAIM_CHARS} 字）。"
        found = MEDIATION_WORDS.search(line)
        if found is not None:
            return (f"诉讼请求第 {index} 项“{line}”含有“{found.group(0)}”，是申请调解的说法，法院无法立案："
                    "请改写为请求人民法院判令或确认的内容，例如“判令被申请人支付工资8000元”。")
    return None


def check_claims(target: TransferTarget, claims: Sequence[str] | None) -> list[str]:
    """The claims a packet to ``target`` carries. A court's must be given (``None`` is refused,
    never the mediation requests in their place) and written as claims; a department's are the
    requests as they are, when none are given (``None`` then: the caller takes the requests)."""
    if target is TransferTarget.COURT:
        problem = claims_problem(claims or [])
        if problem is not None:
            raise InvalidInput("claims", problem)
    return [c.strip() for c in claims or [] if c.strip()]


def check_may_transfer(session: Session, actor: Actor, case_id: int) -> DisputeCase:
    """A packet is built for a case that failed (调解不成) or was already sent (a new copy)."""
    case = _check_actor(session, actor, case_id)
    if case.state not in (CaseState.FAILED, CaseState.TRANSFERRED):
        raise TransitionNotAllowed(
            f"案件 {case.number} 当前状态为“{case.state.label}”，不能移送"
            "（只有“调解不成”或“已移送”的案件可以生成移送材料包）。")
    return case


def record_packet(session: Session, actor: Actor, case_id: int, *, target: TransferTarget | str,
                  target_name: str, packet_id: str, packet_sha256: str, claims: list[str] | tuple[str, ...],
                  reason: str) -> TransferInfo:
    """A packet was built for this case: a transfer row in 已生成."""
    case = check_may_transfer(session, actor, case_id)
    kind, name = check_target(target, target_name)
    check_claims(kind, claims)
    row = Transfer(case_id=case_id, target=kind, target_name=name, reason=reason.strip(),
                   packet_id=packet_id, packet_sha256=packet_sha256,
                   claims="\n".join(c.strip() for c in claims if c.strip()), status=TransferStatus.PREPARED)
    session.add(row)
    session.flush()
    _event(session, actor, row, "transfer_packet", f"生成移送材料包（{kind.label}：{name}），编号 {packet_id}")
    changes.note(session, Changes.cases(row.case_id, list_changed=True))
    audit.record(session, actor, "transfer.packet", "transfer", row.id,
                 {"case": case.number, "target": str(kind), "target_name": name, "packet_id": packet_id,
                  "packet_sha256": packet_sha256})
    return _info(row)


def confirm_sent(session: Session, actor: Actor, transfer_id: int, *,
                 sent_at: datetime | None = None, expected_version: int | None = None) -> TransferInfo:
    """The packet was handed over: 已生成 → 已移送, and the case 调解不成 → 已移送."""
    row, case = _load(session, actor, transfer_id, expected_version)
    if row.status is not TransferStatus.PREPARED:
        raise InvalidInput("status", f"该移送记录当前为“{row.status.label}”，不能再确认移送。")
    moment = sent_at or now()
    if moment > now():
        raise InvalidInput("sent_at", "移送时间不能晚于现在。")
    resent = case.state is CaseState.TRANSFERRED
    if case.state is CaseState.FAILED:
        workflow.transition(session, actor, case.id, workflow.Action.TRANSFER,
                            note=f"{row.target.label}：{row.target_name}（材料包 {row.packet_id}）")
    elif case.state is not CaseState.TRANSFERRED:
        raise TransitionNotAllowed(f"案件 {case.number} 当前状态为“{case.state.label}”，不能确认移送。")
    row.status, row.sent_at, row.sent_by_id = TransferStatus.SENT, moment, actor.user_id
    versions.flush(session, STALE)
    if resent:  # the first sending is the workflow's own timeline entry
        _event(session, actor, row, "transfer_sent", f"已移送{row.target_name}（材料包 {row.packet_id}）")
    changes.note(session, Changes.cases(row.case_id, list_changed=True))
    audit.record(session, actor, "transfer.sent", "transfer", row.id,
                 {"case": case.number, "packet_id": row.packet_id, "sent_at": moment.isoformat(sep=" ")})
    return _info(row, actor.display_name)


def mark_received(session: Session, actor: Actor, transfer_id: int, *, received_on: date,
                  expected_version: int | None = None) -> TransferInfo:
    row, case = _load(session, actor, transfer_id, expected_version)
    if row.status is not TransferStatus.SENT:
        raise InvalidInput("received_on", f"该移送记录当前为“{row.status.label}”，只有“已移送”的可以登记对方接收。")
    if received_on > now().date():
        raise InvalidInput("received_on", "接收日期不能晚于今天。")
    if row.sent_at is not None and received_on < row.sent_at.date():
        raise InvalidInput("received_on", f"接收日期不能早于移送日期（{row.sent_at:%Y-%m-%d}）。")
    row.status, row.received_at = TransferStatus.RECEIVED, datetime(received_on.year, received_on.month,
                                                                      received_on.day)
    versions.flush(session, STALE)
    _event(session, actor, row, "transfer_received", f"{row.target_name}已于{received_on:%Y-%m-%d}接收移送材料")
    changes.note(session, Changes.cases(row.case_id, list_changed=True))
    audit.record(session, actor, "transfer.received", "transfer", row.id,
                 {"case": case.number, "received_on": received_on.isoformat()})
    return _info(row)


def mark_filed(session: Session, actor: Actor, transfer_id: int, *, filed_number: str,
               filed_on: date, expected_version: int | None = None) -> TransferInfo:
    row, case = _load(session, actor, transfer_id, expected_version)
    if row.target is not TransferTarget.COURT:
        raise InvalidInput("filed_number", "只有移送法院的案件才有立案案号。")
    if row.status not in (TransferStatus.SENT, TransferStatus.RECEIVED):
        raise InvalidInput("filed_number", f"该移送记录当前为“{row.status.label}”，不能登记立案。")
    number = check_court_case_number(filed_number)
    if filed_on > now().date():
        raise InvalidInput("filed_on", "立案日期不能晚于今天。")
    earliest = row.received_at or row.sent_at
    if earliest is not None and filed_on < earliest.date():
        raise InvalidInput("filed_on", f"立案日期不能早于{'接收' if row.received_at else '移送'}日期"
                                       f"（{earliest:%Y-%m-%d}）。")
    if row.received_at is None:
        row.received_at = datetime(filed_on.year, filed_on.month, filed_on.day)
    row.status, row.filed_number, row.filed_on = TransferStatus.FILED, number, filed_on
    versions.flush(session, STALE)
    _event(session, actor, row, "transfer_filed", f"{row.target_name}已于{filed_on:%Y-%m-%d}立案，案号{number}")
    changes.note(session, Changes.cases(row.case_id, list_changed=True))
    audit.record(session, actor, "transfer.filed", "transfer", row.id,
                 {"case": case.number, "filed_number": number, "filed_on": filed_on.isoformat()})
    return _info(row)


def record_outcome(session: Session, actor: Actor, transfer_id: int, *, outcome: str,
                   outcome_on: date, expected_version: int | None = None) -> TransferInfo:
    row, case = _load(session, actor, transfer_id, expected_version)
    if row.status not in (TransferStatus.SENT, TransferStatus.RECEIVED, TransferStatus.FILED):
        raise InvalidInput("outcome", f"该移送记录当前为“{row.status.label}”，不能登记办理结果。")
    text = outcome.strip()
    if not text:
        raise InvalidInput("outcome", "请填写办理结果，例如判决、调解结案、撤诉或部门处理意见。")
    if len(text) > MAX_OUTCOME_CHARS:
        raise InvalidInput("outcome", f"办理结果最长 {MAX_OUTCOME_CHARS} 个字。")
    if outcome_on > now().date():
        raise InvalidInput("outcome_on", "办结日期不能晚于今天。")
    earliest = row.filed_on or (row.received_at.date() if row.received_at else None) or (
        row.sent_at.date() if row.sent_at else None)
    if earliest is not None and outcome_on < earliest:
        raise InvalidInput("outcome_on", f"办结日期不能早于{earliest:%Y-%m-%d}。")
    row.status, row.outcome, row.outcome_on = TransferStatus.CONCLUDED, text, outcome_on
    versions.flush(session, STALE)
    _event(session, actor, row, "transfer_concluded", f"{row.target_name}办理结果（{outcome_on:%Y-%m-%d}）：{text}")
    changes.note(session, Changes.cases(row.case_id, list_changed=True))
    audit.record(session, actor, "transfer.outcome", "transfer", row.id,
                 {"case": case.number, "outcome_on": outcome_on.isoformat()})
    return _info(row)


def transfers_of(session: Session, case_id: int) -> list[TransferInfo]:
    """The case's transfers, newest first."""
    rows = session.execute(
        select(Transfer, User.display_name).outerjoin(User, User.id == Transfer.sent_by_id)
        .where(Transfer.case_id == case_id).order_by(Transfer.id.desc())).all()
    return [_info(row, name or "") for row, name in rows]
