"""12345 hotline work orders both ways: what the center records on them, their "2·20" limits,
the return file the hotline platform takes back, and the 三率 (docs/hotline.md).

An order comes in with ``import-cases`` (a row whose 来源系统 is 12345): its ``hotline_order`` row
keeps the hotline's order number, type code and received time beside the case. The clerk or the
mediator records 签收 (signed for) and 首次联系 (first contact) here; everything else the return
file carries is read from the case, never stored twice:

- 办理 (handling started): the case's acceptance (``dispute_case.accepted_at``);
- 办结 (closed) and the result: the case's last ending transition (调解成功, 调解不成, 撤回, 分流,
  不予受理) and its note, while the case stays ended (a reopened case has no 办结 until it ends again);
- 回访 and satisfaction: the case's last return visit that recorded a satisfaction (else its last).

The "2·20" rule (seed 000: "2个工作日内联系群众并办结咨询类事项,20个工作日内办结求助、建议、投诉、
举报类事项"): sign for and contact within 2 working days of receipt; close a consultation within 2
working days and any other order within 20 — the hotline stages' limits of ``clocks`` (an
administrator may set them per dispute type), counted on the working-day calendar.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from bisect import bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, select, text, union
from sqlalchemy.orm import Session

from .. import changes, settings
from ..changes import Changes
from ..models import (
    CaseEvent,
    CaseState,
    ClockStage,
    DisputeCase,
    DisputeType,
    EventKind,
    HotlineExport,
    HotlineOrder,
    ReturnVisit,
    Role,
    Satisfaction,
    now,
)
from ..readmodels.hotline import COMBINED_FORMULA, HotlineOrderFacts, HotlineRate, HotlineRates, LimitState
from ..readmodels.statistics import OUTCOME_LABELS, Outcome
from . import audit, center, clocks, hotline_facts, permissions, statistics
from .actor import Actor
from .calendar import WorkingCalendar
from .errors import InvalidInput, NotFound

#: 2·20: an order is signed for and its citizen contacted within 2 working days of receipt.
CONTACT_WORKING_DAYS = 2
#: The wall-clock offset every stored time is written with in the return file (China Standard Time).
OFFSET = "+08:00"
FORMATS = ("csv", "json")
#: Who writes return files: the intake desk and the head.
EXPORTERS = permissions.INTAKE_ROLES
#: Who reads the 三率: those who read the center's figures.
RATE_READERS = frozenset({Role.HEAD, Role.ADMIN})
_OPEN_HANDLING = frozenset({CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.ASSIGNED, CaseState.IN_MEDIATION})
_ENDINGS = tuple(o.value for o in Outcome)
_GOOD = frozenset({Satisfaction.SATISFIED.value, Satisfaction.FAIRLY.value})
_CHUNK = 500

#: The return file's fields in order: key → (Chinese name, what it holds). docs/hotline.md lists them.
FIELDS: dict[str, tuple[str, str]] = {
    "order_no": ("工单编号", "热线工单号（导入时的来源编号），回传文件以它为键"),
    "type_code": ("热线类型编码", "导入时热线给出的分类编码，原样带回"),
    "case_number": ("案件编号", "本中心的案号"),
    "dispute_type": ("纠纷类型", "本中心的纠纷类型"),
    "received_at": ("接单时间", "热线派单（导入的登记）时间"),
    "signed_at": ("签收时间", "本中心签收工单的时间"),
    "contacted_at": ("首次联系时间", "第一次联系来电群众的时间"),
    "handling_at": ("办理时间", "本中心受理、开始办理的时间"),
    "closed_at": ("办结时间", "办理结束（调解成功、调解不成、撤回、分流、不予受理）的时间"),
    "result_code": ("办理结果代码", "succeed、fail、withdraw、divert、reject"),
    "result": ("办理结果", "结果名称及办结说明"),
    "visited_on": ("回访日期", "最近一次记录了满意度的回访日期"),
    "satisfaction_code": ("满意度代码", "satisfied、fairly、unsatisfied"),
    "satisfaction": ("满意度", "满意、基本满意、不满意"),
    "contact_due_on": ("联系时限", "接单后第 2 个工作日"),
    "contact_in_time": ("按时联系", "1 按时，0 超时；未联系为空"),
    "close_due_on": ("办结时限", "咨询类第 2 个、其他第 20 个工作日"),
    "close_in_time": ("按时办结", "1 按时，0 超时；未办结为空"),
}


# --------------------------------------------------------------------------- reading orders


def _moment(value: datetime | None) -> str | None:
    return None if value is None else f"{value:%Y-%m-%dT%H:%M:%S}{OFFSET}"


@dataclass
class _Limits:
    calendar: WorkingCalendar
    known: dict[tuple[ClockStage, int], clocks.Limit]

    #: The deadlines already worked out (a year's orders fall on a few hundred days).
    due: dict[tuple[date, bool, int], date] = field(default_factory=dict)
    contact: dict[date, date] = field(default_factory=dict)

    def close_due(self, session: Session, received: date, consultation: bool, type_id: int) -> date:
        got = self.due.get((received, consultation, type_id))
        if got is not None:
            return got
        stage = ClockStage.HOTLINE_CONSULTATION if consultation else ClockStage.HOTLINE_REQUEST
        limit = self.known.get((stage, type_id))
        if limit is None:
            limit = self.known[(stage, type_id)] = clocks.limit_for(session, stage, type_id)
        got = self.due[(received, consultation, type_id)] = clocks.shift(self.calendar, received, limit.days,
                                                                          limit.working_days)
        return got

    def contact_due(self, received: date) -> date:
        got = self.contact.get(received)
        if got is None:
            got = self.contact[received] = self.calendar.add_working_days(received, CONTACT_WORKING_DAYS)
        return got


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def load_orders(session: Session, case_ids: Collection[int]) -> list[HotlineOrderFacts]:
    """The facts of the orders of ``case_ids`` (those that are orders), by order number."""
    ids = sorted(set(case_ids))
    limits = _Limits(WorkingCalendar.load(session), {})
    facts: list[HotlineOrderFacts] = []
    for chunk in _chunks(ids):
        rows = session.execute(  # the order's columns, not the entity: a year's orders are tens of thousands
            select(HotlineOrder.case_id, HotlineOrder.order_no, HotlineOrder.type_code, HotlineOrder.received_at,
                   HotlineOrder.signed_at, HotlineOrder.contacted_at, HotlineOrder.contact_note,
                   DisputeCase.number, DisputeCase.state, DisputeCase.accepted_at,
                   DisputeCase.is_consultation, DisputeCase.dispute_type_id, DisputeType.name)
            .join(DisputeCase, DisputeCase.id == HotlineOrder.case_id)
            .join(DisputeType, DisputeType.id == DisputeCase.dispute_type_id)
            .where(HotlineOrder.case_id.in_(chunk))).all()
        endings: dict[int, tuple[int, str, datetime, str]] = {}
        for case_id, event_id, action, at, note in session.execute(
                select(CaseEvent.case_id, CaseEvent.id, CaseEvent.action, CaseEvent.at, CaseEvent.note)
                .where(CaseEvent.case_id.in_(chunk), CaseEvent.action.in_(_ENDINGS))):
            if case_id not in endings or event_id > endings[case_id][0]:
                endings[case_id] = (event_id, action, at, note)
        visits: dict[int, tuple[bool, date, int, str | None]] = {}
        for case_id, visit_id, visited_on, rating in session.execute(
                select(ReturnVisit.case_id, ReturnVisit.id, ReturnVisit.visited_on, ReturnVisit.satisfaction)
                .where(ReturnVisit.case_id.in_(chunk))):
            key = (rating is not None, visited_on, visit_id, None if rating is None else Satisfaction(rating).value)
            if case_id not in visits or key[:3] > visits[case_id][:3]:
                visits[case_id] = key
        for (order_case_id, order_no, type_code, order_received_at, signed_at, contacted_at, contact_note,
             number, stored_state, accepted_at, consultation, type_id, type_name) in rows:
            state = CaseState(stored_state)
            ending = endings.get(order_case_id) if state not in _OPEN_HANDLING else None
            outcome = ending[1] if ending else None
            result = ""
            if ending:
                result = OUTCOME_LABELS[Outcome(ending[1])] + (f"：{ending[3].strip()}" if ending[3].strip() else "")
            visit = visits.get(order_case_id)
            satisfaction = visit[3] if visit else None
            received = order_received_at.date()
            contact_due = limits.contact_due(received)
            facts.append(HotlineOrderFacts(
                case_id=order_case_id, case_number=number, order_no=order_no, type_code=type_code,
                dispute_type=type_name, state=state.value, state_label=state.label,
                is_consultation=bool(consultation), received_at=order_received_at, signed_at=signed_at,
                contacted_at=contacted_at, contact_note=contact_note, handling_at=accepted_at,
                closed_at=ending[2] if ending else None, outcome=outcome, result=result,
                visited_on=visit[1] if visit else None, satisfaction=satisfaction,
                satisfaction_label=Satisfaction(satisfaction).label if satisfaction else "",
                sign_limit=LimitState("签收", contact_due, signed_at),
                contact_limit=LimitState("联系", contact_due, contacted_at),
                close_limit=LimitState("办结", limits.close_due(session, received, bool(consultation), type_id),
                                       ending[2] if ending else None),
            ))
    facts.sort(key=lambda f: f.order_no)
    return facts


def is_order(session: Session, case_id: int) -> bool:
    """Whether the case came from a 12345 work order."""
    return session.scalar(select(HotlineOrder.id).where(HotlineOrder.case_id == case_id)) is not None


def order_of_case(session: Session, actor: Actor, case_id: int) -> HotlineOrderFacts | None:
    """The order a case came from, or None for a case that is not a 12345 order."""
    permissions.check_case_id(session, actor, case_id)
    found = load_orders(session, [case_id])
    return found[0] if found else None


# --------------------------------------------------------------------------- recording


def _order_for_write(session: Session, actor: Actor, case_id: int, doing: str) -> HotlineOrder:
    permissions.check_case_id(session, actor, case_id, doing, permissions.CASE_ROLES, write=True)
    order = session.scalar(select(HotlineOrder).where(HotlineOrder.case_id == case_id))
    if order is None:
        raise NotFound("该案件不是 12345 热线工单，没有签收和联系时间可记。")
    return order


def _when(at: datetime | None, order: HotlineOrder, field: str, what: str) -> datetime:
    moment = (at or now()).replace(microsecond=0)
    if moment > now() + timedelta(minutes=1):
        raise InvalidInput(field, f"{what}时间不能晚于现在。")
    if moment < order.received_at:
        raise InvalidInput(field, f"{what}时间不能早于接单时间 {order.received_at:%Y-%m-%d %H:%M}。")
    return moment


def _noted(session: Session, actor: Actor, order: HotlineOrder, action: str, note: str) -> HotlineOrderFacts:
    session.add(CaseEvent(case_id=order.case_id, user_id=actor.user_id, kind=EventKind.NOTE, action=action,
                          note=note))
    session.flush()
    changes.note(session, Changes.cases(order.case_id))
    return load_orders(session, [order.case_id])[0]


def sign_for(session: Session, actor: Actor, case_id: int, *, at: datetime | None = None) -> HotlineOrderFacts:
    """签收: the center takes the order (once)."""
    order = _order_for_write(session, actor, case_id, "签收热线工单")
    if order.signed_at is not None:
        raise InvalidInput("signed_at",
                           f"工单 {order.order_no} 已于 {order.signed_at:%Y-%m-%d %H:%M} 签收，不能重复签收。")
    order.signed_at = _when(at, order, "signed_at", "签收")
    order.signed_by_id = actor.user_id
    audit.record(session, actor, "hotline.sign", "hotline_order", order.id,
                 {"order_no": order.order_no, "at": order.signed_at})
    return _noted(session, actor, order, "hotline_sign", f"签收 12345 工单 {order.order_no}")


def record_contact(session: Session, actor: Actor, case_id: int, *, at: datetime | None = None,
                   note: str = "") -> HotlineOrderFacts:
    """首次联系: the first time the center reached the citizen (once; after 签收)."""
    order = _order_for_write(session, actor, case_id, "记录热线工单的首次联系")
    if order.signed_at is None:
        raise InvalidInput("contacted_at", f"工单 {order.order_no} 尚未签收，请先签收再记录首次联系。")
    if order.contacted_at is not None:
        raise InvalidInput("contacted_at", f"工单 {order.order_no} 已于 {order.contacted_at:%Y-%m-%d %H:%M} "
                                           "记录首次联系，不能重复记录。")
    moment = _when(at, order, "contacted_at", "首次联系")
    if moment < order.signed_at:
        raise InvalidInput("contacted_at", f"首次联系时间不能早于签收时间 {order.signed_at:%Y-%m-%d %H:%M}。")
    note = note.strip()
    if len(note) > 500:
        raise InvalidInput("contact_note", "联系情况最多 500 字。")
    order.contacted_at, order.contacted_by_id, order.contact_note = moment, actor.user_id, note
    audit.record(session, actor, "hotline.contact", "hotline_order", order.id,
                 {"order_no": order.order_no, "at": moment})
    return _noted(session, actor, order, "hotline_contact",
                  f"首次联系来电群众（12345 工单 {order.order_no}）" + (f"：{note}" if note else ""))


# --------------------------------------------------------------------------- the return file


def parse_moment(text: str, field: str, what: str) -> datetime:
    """A time typed for ``--since``/``--until``: 2026-11-20, 2026-11-20T09:30[:00][+08:00] or with
    a space; an offset other than +08:00 is moved to the center's clock."""
    written = text.strip()
    try:
        moment = datetime.fromisoformat(written)
    except ValueError:
        raise InvalidInput(field, f"{what}“{written[:40]}”不是有效的时间，应写作 2026-11-20 或 "
                                  "2026-11-20T09:30:00+08:00。") from None
    if moment.tzinfo is not None:
        from datetime import timezone
        moment = moment.astimezone(timezone(timedelta(hours=8))).replace(tzinfo=None)
    if not 1949 <= moment.year <= 9998:
        raise InvalidInput(field, f"{what}“{written[:40]}”的年份不在 1949 至 9998 年之间。")
    return moment.replace(microsecond=0)


def last_until(session: Session, actor: Actor) -> datetime | None:
    """Where the actor's center's last return file stopped (the next ``--since last``)."""
    permissions.require_role(actor, EXPORTERS, "导出 12345 回传文件")
    query = select(HotlineExport.until).order_by(HotlineExport.until.desc(), HotlineExport.id.desc()).limit(1)
    if actor.center_id is not None and not permissions.is_system(actor):
        query = query.where(HotlineExport.center_id == actor.center_id)
    return session.scalar(query)


@dataclass(frozen=True)
class ReturnFile:
    since: datetime
    until: datetime
    format: str
    data: bytes
    orders: tuple[HotlineOrderFacts, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def changed_orders(session: Session, actor: Actor, since: datetime, until: datetime) -> list[int]:
    """The cases of the orders that changed in [since, until): the order itself, its case row, an
    ending of the case or a return visit."""
    visible = permissions.visible_cases(actor)
    sources = union(
        select(HotlineOrder.case_id).where(HotlineOrder.updated_at >= since, HotlineOrder.updated_at < until),
        select(DisputeCase.id).join(HotlineOrder, HotlineOrder.case_id == DisputeCase.id)
        .where(DisputeCase.updated_at >= since, DisputeCase.updated_at < until),
        select(ReturnVisit.case_id).join(HotlineOrder, HotlineOrder.case_id == ReturnVisit.case_id)
        .where(ReturnVisit.updated_at >= since, ReturnVisit.updated_at < until),
        select(CaseEvent.case_id).join(HotlineOrder, HotlineOrder.case_id == CaseEvent.case_id)
        .where(CaseEvent.action.in_(_ENDINGS), CaseEvent.at >= since, CaseEvent.at < until),
    ).subquery()
    return sorted(session.scalars(select(DisputeCase.id).where(DisputeCase.id.in_(select(sources.c[0])), visible)))


def row_of(facts: HotlineOrderFacts) -> dict[str, Any]:
    """One order as the return file writes it (None: empty)."""
    def in_time(limit: LimitState) -> int | None:
        return None if limit.on_time is None else int(limit.on_time)

    return {
        "order_no": facts.order_no, "type_code": facts.type_code, "case_number": facts.case_number,
        "dispute_type": facts.dispute_type, "received_at": _moment(facts.received_at),
        "signed_at": _moment(facts.signed_at), "contacted_at": _moment(facts.contacted_at),
        "handling_at": _moment(facts.handling_at), "closed_at": _moment(facts.closed_at),
        "result_code": facts.outcome, "result": facts.result or None,
        "visited_on": None if facts.visited_on is None else facts.visited_on.isoformat(),
        "satisfaction_code": facts.satisfaction, "satisfaction": facts.satisfaction_label or None,
        "contact_due_on": facts.contact_limit.due_on.isoformat(), "contact_in_time": in_time(facts.contact_limit),
        "close_due_on": facts.close_limit.due_on.isoformat(), "close_in_time": in_time(facts.close_limit),
    }


def render(orders: Iterable[HotlineOrderFacts], fmt: str, since: datetime, until: datetime) -> bytes:
    rows = [row_of(f) for f in orders]
    if fmt == "json":
        document = {"format": "mediation-desk/hotline-return", "version": 1, "since": _moment(since),
                    "until": _moment(until), "count": len(rows), "orders": rows}
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row.values()])
    return out.getvalue().encode("utf-8-sig")


def return_file(session: Session, actor: Actor, *, since: datetime, until: datetime | None = None,
                fmt: str = "csv") -> ReturnFile:
    """The return file of the orders changed in [since, until) (until: now), as of now. Nothing is
    recorded: :func:`record_export` keeps its bounds once the file is written."""
    permissions.require_role(actor, EXPORTERS, "导出 12345 回传文件")
    if fmt not in FORMATS:
        raise InvalidInput("format", f"格式“{fmt}”不支持，应为 csv 或 json。")
    moment = now()
    until = moment if until is None else until
    if since > moment:
        raise InvalidInput("since", f"起始时间 {since:%Y-%m-%d %H:%M:%S} 晚于现在，没有可导出的变动。")
    if until > moment:
        raise InvalidInput("until", f"截止时间 {until:%Y-%m-%d %H:%M:%S} 晚于现在：之后的变动尚未发生，"
                                    "同一区间再导出会不同。")
    if until <= since:
        raise InvalidInput("until", f"截止时间 {until:%Y-%m-%d %H:%M:%S} 应晚于起始时间 {since:%Y-%m-%d %H:%M:%S}。")
    orders = load_orders(session, changed_orders(session, actor, since, until))
    return ReturnFile(since, until, fmt, render(orders, fmt, since, until), tuple(orders))


def record_export(session: Session, actor: Actor, file: ReturnFile, target: str) -> None:
    """Keep a written file's bounds (the next ``--since last`` starts at its ``until``) and audit it."""
    permissions.require_role(actor, EXPORTERS, "导出 12345 回传文件")
    row = HotlineExport(since=file.since, until=file.until, format=file.format, orders=len(file.orders),
                        sha256=file.sha256, exported_by_id=actor.user_id)
    if actor.center_id is not None:
        row.center_id = actor.center_id
    session.add(row)
    session.flush()
    audit.record(session, actor, "hotline.export", "hotline_export", row.id,
                 {"since": file.since, "until": file.until, "format": file.format, "orders": len(file.orders),
                  "sha256": file.sha256, "file": target})


# --------------------------------------------------------------------------- the 三率

RESPONSE_FORMULA = "响应率 = 期内接单的工单中 2 个工作日内首次联系的件数 ÷ 期内接单的工单数"
RESOLUTION_FORMULA = "解决率 = 期内办结的工单中调解成功的件数 ÷ 期内办结的工单数"
SATISFACTION_FORMULA = "满意率 = 期内回访评价为满意或基本满意的工单数 ÷ 期内回访评价了满意度的工单数"
_WEIGHTS = (settings.HOTLINE_WEIGHT_RESPONSE, settings.HOTLINE_WEIGHT_RESOLUTION,
            settings.HOTLINE_WEIGHT_SATISFACTION)


def check_weights(response: int, resolution: int, satisfaction: int) -> tuple[int, int, int]:
    weights = (response, resolution, satisfaction)
    for setting, value in zip(_WEIGHTS, weights, strict=True):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise InvalidInput(setting.key, f"{setting.label}应为 0 至 100 之间的整数，不能是“{value}”。")
    if sum(weights) != 100:
        raise InvalidInput("weights", f"三率权重之和应为 100，现为 {response}+{resolution}+{satisfaction}="
                                      f"{sum(weights)}；请调整响应率、解决率、满意率的权重。")
    return weights


def weights(session: Session) -> tuple[int, int, int]:
    """The configured weights; InvalidInput when the stored ones do not add up to 100."""
    values = center.read(session, *_WEIGHTS)
    response, resolution, satisfaction = (values.get(s) for s in _WEIGHTS)
    return check_weights(response, resolution, satisfaction)


def set_weights(session: Session, actor: Actor, response: int, resolution: int, satisfaction: int) -> None:
    """The head or the administrator sets the three weights together (adding up to 100)."""
    permissions.require_role(actor, frozenset({Role.HEAD, Role.ADMIN}), "修改 12345 三率权重")
    checked = check_weights(response, resolution, satisfaction)
    for setting, value in zip(_WEIGHTS, checked, strict=True):
        center.put(session, setting, value)
    audit.record(session, actor, "hotline.weights", "center_setting", None, {"weights": list(checked)})


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def rates(session: Session, actor: Actor, start: date, end: date, *,
          center_id: int | None = None, today: date | None = None) -> HotlineRates | None:
    """The 三率 of the orders of ``start`` … ``end`` (both included) the actor reads (only those of
    ``center_id`` among them, if given); None where the actor reads no case rows (the
    administrator on a center server).

    Each order row keeps its case's center, state, kind, type, last ending and last visit
    (migration 0046, ``hotline_facts``), so every figure is read from the orders' indexes: the
    orders received in the period (their 2·20 deadlines worked out here, per day of the period,
    from the working-day calendar and the limits as they are now); those whose last ending falls
    in it while the case stays ended, and those whose last visit was rated in it — for whole
    months a sum of the kept monthly counts, else an index range. What depends on today (an order
    not yet contacted or closed is late once its deadline has passed) is decided when read, never
    kept."""
    permissions.require_role(actor, RATE_READERS, "查看 12345 三率")
    if permissions.case_rows_hidden(session, actor):
        return None
    w_response, w_resolution, w_satisfaction = weights(session)
    # The cases the figures count (statistics.counted_centers): the centers the actor reads, or one.
    centers = statistics.counted_centers(actor, center_id)
    day = today or now().date()
    sqlite = session.get_bind().dialect.name == "sqlite"
    # A list of one is written with an id no center has: SQLite makes "IN (one)" an equality, for
    # which it builds a Bloom filter of every order before the day-by-day join (a township head's
    # year: 37 ms of its 44 at a million cases, for one order).
    listed = [str(int(c)) for c in sorted(centers or ())] + ([] if centers is None or len(centers) > 1 else ["-1"])
    where_center = "" if centers is None else f" AND o.center_id IN ({', '.join(listed)})"
    n_got = n_responded = late = 0
    for first, last in _spans(start, end):
        got, responded, overdue = _received_figures(session, sqlite, first, last, day, where_center)
        n_got, n_responded, late = n_got + got, n_responded + responded, late + overdue
    if start.day == 1 and (end + timedelta(days=1)).day == 1:  # whole months: their kept counts
        n_closed, n_resolved, n_rated, n_good = session.execute(text(
            "SELECT coalesce(sum(closed), 0), coalesce(sum(resolved), 0), coalesce(sum(rated), 0), "
            f"coalesce(sum(good), 0) FROM {hotline_facts.MONTH_TABLE} o "
            f"WHERE o.month >= '{start:%Y-%m}' AND o.month <= '{end:%Y-%m}'" + where_center)).one()
    else:
        n_closed, n_resolved, n_rated, n_good = _ended_and_rated(session, sqlite, start, end, where_center)
    return HotlineRates(
        start, end,
        HotlineRate("响应率", RESPONSE_FORMULA, int(n_responded), int(n_got), w_response),
        HotlineRate("解决率", RESOLUTION_FORMULA, int(n_resolved), int(n_closed), w_resolution),
        HotlineRate("满意率", SATISFACTION_FORMULA, int(n_good), int(n_rated), w_satisfaction),
        int(late), day,
    )


def _ended_and_rated(session: Session, sqlite: bool, start: date, end: date,
                     where_center: str) -> tuple[int, int, int, int]:
    """The orders closed (resolved) and rated (satisfied or fairly) in a period of days, from the
    order rows' indexes."""
    handled_again = ", ".join(f"'{s.value}'" for s in sorted(_OPEN_HANDLING, key=lambda s: s.value))
    n_closed, n_resolved = session.execute(text(
        "SELECT count(*), coalesce(sum(CASE WHEN o.last_ending_action = 'succeed' THEN 1 ELSE 0 END), 0) "
        "FROM hotline_order o "
        f"WHERE o.last_ending_at >= {_midnight(sqlite, start)} AND o.last_ending_at < "
        f"{_midnight(sqlite, end + timedelta(days=1))} AND o.state NOT IN ({handled_again})" + where_center)).one()
    good = ", ".join(f"'{s}'" for s in sorted(_GOOD))
    n_rated, n_good = session.execute(text(
        f"SELECT count(*), coalesce(sum(CASE WHEN o.last_visit_rating IN ({good}) THEN 1 ELSE 0 END), 0) "
        "FROM hotline_order o WHERE o.last_visit_on >= :start AND o.last_visit_on <= :end "
        "AND o.last_visit_rating IS NOT NULL" + where_center)
        .bindparams(bindparam("start", type_=Date), bindparam("end", type_=Date)),
        {"start": start, "end": end}).one()
    return int(n_closed), int(n_resolved), int(n_rated), int(n_good)


def _midnight(sqlite: bool, d: date) -> str:
    """The start of ``d`` as a SQL literal. On SQLite without fractions: a time is stored as text,
    with them by the app ("… 00:00:00.000000") or without by SQLite's own datetime() (the bench's
    seed), and both sort at or after "… 00:00:00" (with the fractions, one at midnight written
    without them would sort before the day began)."""
    return f"'{d:%Y-%m-%d} 00:00:00'" if sqlite else f"TIMESTAMP '{d:%Y-%m-%d} 00:00:00'"


#: The received orders' deadlines go to the database a year of days at a time.
_SPAN_DAYS = 366


def _spans(start: date, end: date) -> Iterable[tuple[date, date]]:
    first = start
    while first <= end:
        last = min(end, first + timedelta(days=_SPAN_DAYS - 1))
        yield first, last
        first = last + timedelta(days=1)


def _limit_classes(session: Session) -> tuple[list[tuple[clocks.Limit, clocks.Limit]], str]:
    """The distinct (consultation, other) closing limits of the dispute types, the types' own
    first (``clocks.limit_for`` for no department), and a SQL expression of ``c.dispute_type_id``
    giving each order's index among them (0 for the types with no limit of their own)."""
    consultation = clocks.limits_by_type(session, ClockStage.HOTLINE_CONSULTATION)
    request = clocks.limits_by_type(session, ClockStage.HOTLINE_REQUEST)
    general = (consultation[0], request[0])
    classes = [general]
    members: dict[int, list[int]] = {}
    for type_id in sorted(set(consultation[1]) | set(request[1])):
        pair = (consultation[1].get(type_id, consultation[0]), request[1].get(type_id, request[0]))
        if pair not in classes:
            classes.append(pair)
        members.setdefault(classes.index(pair), []).append(type_id)
    whens = " ".join(f"WHEN o.dispute_type_id IN ({', '.join(map(str, ids))}) THEN {k}"
                     for k, ids in sorted(members.items()) if k)
    return classes, (f"CASE {whens} ELSE 0 END" if whens else "0")


def _received_figures(session: Session, sqlite: bool, first: date, last: date, today: date,
                      where_center: str) -> tuple[int, int, int]:
    """Of the orders received on ``first`` … ``last``: how many, how many contacted in time, how
    many late on ``today`` (contact or closing). Each received day is a row of a VALUES list with
    its deadlines (the day after each, at midnight: a moment before it is in time), worked out by
    the calendar exactly as the return file's limits are; the day's orders are read from the
    index of their received time alone (the day drives the join: SQLite's CROSS JOIN)."""
    calendar = WorkingCalendar.load(session)
    classes, class_of = _limit_classes(session)

    def moment(d: date) -> str:
        return _midnight(sqlite, d)

    one = timedelta(days=1)
    # The working days after ``first`` up to the last deadline of an order received on ``last``:
    # the n-th working day after a day is then an index away (calendar.add_working_days' answer).
    most = max([CONTACT_WORKING_DAYS, *(lim.days for pair in classes for lim in pair if lim.working_days)])
    workdays: list[date] = []
    day, after_last = first, 0
    while after_last < most:
        day += one
        if calendar.is_workday(day):
            workdays.append(day)
            after_last += day > last

    def due(received: date, limit: clocks.Limit) -> date:
        if not limit.working_days:
            return received + timedelta(days=limit.days)
        return workdays[bisect_right(workdays, received) + limit.days - 1]

    contact_limit = clocks.Limit(CONTACT_WORKING_DAYS, True, 0)
    rows = []
    received = first
    while received <= last:
        contact_end = moment(due(received, contact_limit) + one)
        for k, (consultation, request) in enumerate(classes):
            close_c, close_r = due(received, consultation) + one, due(received, request) + one
            rows.append(f"({moment(received)}, {moment(received + one)}, {k}, {contact_end}, {moment(close_c)}, "
                        f"{moment(close_r)})")
        received += one
    handled_again = ", ".join(f"'{s.value}'" for s in sorted(_OPEN_HANDLING, key=lambda s: s.value))
    # Late: met on or after the midnight ending its due day, or not met and today is past it — a
    # limit not met counts as met today. Not closed: no ending, or the case handled again.
    today_start = _midnight(sqlite, today)
    closed_or_today = (f"CASE WHEN o.last_ending_at IS NULL OR o.state IN ({handled_again}) THEN {today_start} "
                       "ELSE o.last_ending_at END")
    close_end = "CASE WHEN o.is_consultation THEN due.close_c ELSE due.close_r END"
    late = (f"coalesce(o.contacted_at, {today_start}) >= due.contact_end OR {closed_or_today} >= {close_end}")
    got, responded, overdue = session.execute(text(
        f"WITH due(lo, hi, k, contact_end, close_c, close_r) AS (VALUES {', '.join(rows)}) "
        "SELECT count(*), coalesce(sum(CASE WHEN o.contacted_at < due.contact_end THEN 1 ELSE 0 END), 0), "
        f"coalesce(sum(CASE WHEN {late} THEN 1 ELSE 0 END), 0) "
        "FROM due CROSS JOIN hotline_order o "
        f"WHERE o.received_at >= due.lo AND o.received_at < due.hi AND due.k = {class_of}" + where_center)).one()
    return int(got), int(responded), int(overdue)


__all__ = [
    "COMBINED_FORMULA", "CONTACT_WORKING_DAYS", "EXPORTERS", "FIELDS", "FORMATS", "ReturnFile", "changed_orders",
    "check_weights", "is_order", "last_until", "load_orders", "order_of_case", "parse_moment", "rates",
    "record_contact", "record_export", "render", "return_file", "row_of", "set_weights", "sign_for", "weights",
]
