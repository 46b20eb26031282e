"""Registering cases and reading them back as plain data for lists and detail views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import changes
from ..changes import Changes
from ..models import (
    CaseEvent,
    CaseState,
    DisputeCase,
    DisputeType,
    EventKind,
    Gender,
    IdDocumentType,
    Mediator,
    Party,
    PartyKind,
    PartyRole,
    RiskLevel,
    SourceChannel,
    Team,
    User,
    now,
)
from ..readmodels import minors
from ..readmodels.cases import ActionView, CaseDetail, EventView, PartyView
from . import audit, clocks, intake, permissions, validation, workflow
from .actor import Actor
from .errors import InvalidInput, NotFound
from .numbering import next_case_number, numbering_center

# --------------------------------------------------------------------------- input


@dataclass
class PartyInput:
    role: PartyRole
    name: str
    kind: PartyKind = PartyKind.PERSON
    gender: Gender | None = None
    ethnicity: str = ""
    birth_date: date | None = None
    id_type: IdDocumentType | None = None
    id_number: str = ""
    occupation: str = ""
    work_unit: str = ""
    address: str = ""
    phone: str = ""
    legal_representative: str = ""
    credit_code: str = ""
    is_minor: bool = False
    agent_name: str = ""
    agent_phone: str = ""
    agent_authority: str = ""
    #: From the back of a resident ID card: 签发机关 and 有效期限 as printed.
    id_issuer: str = ""
    id_validity: str = ""


@dataclass
class CaseInput:
    title: str
    dispute_type_id: int
    parties: list[PartyInput]
    source_channel: SourceChannel = SourceChannel.VISIT
    risk_level: RiskLevel = RiskLevel.BLUE
    is_group_dispute: bool = False
    may_turn_criminal: bool = False
    people_involved: int = 0
    amount_involved: Decimal | None = None
    address: str = ""
    village: str = ""
    grid: str = ""
    facts: str = ""
    requests: list[str] = field(default_factory=list)
    received_at: datetime | None = None
    is_consultation: bool = False


def _check_case_input(session: Session, data: CaseInput) -> None:
    if not data.title.strip():
        raise InvalidInput("title", "请填写纠纷名称（简要标题）。")
    if len(data.title.strip()) > 200:
        raise InvalidInput("title", "纠纷名称最长 200 个字符。")
    dispute_type = session.get(DisputeType, data.dispute_type_id)
    if dispute_type is None or not dispute_type.active:
        raise InvalidInput("dispute_type", "请选择有效的纠纷类型。")
    if not any(p.role is PartyRole.APPLICANT for p in data.parties):
        raise InvalidInput("parties", "至少需要一名申请人。")
    on = (data.received_at or now()).date()
    for index, party in enumerate(data.parties):
        data.parties[index] = check_guardian(index, check_party(index, party), on)
    if data.people_involved < 0:
        raise InvalidInput("people_involved", "涉及人数不能为负数。")
    if data.people_involved > 1_000_000:  # the column is a 32-bit integer on PostgreSQL
        raise InvalidInput("people_involved", "涉及人数过大（最多 100 万人）。")
    amount = data.amount_involved
    if amount is not None and not amount.is_finite():  # NaN cannot even be compared
        raise InvalidInput("amount_involved", "涉及金额应为一个数。")
    if amount is not None and amount < 0:
        raise InvalidInput("amount_involved", "涉及金额不能为负数。")
    if amount is not None and amount >= Decimal("1e12"):  # NUMERIC(14, 2)
        raise InvalidInput("amount_involved", "涉及金额过大（应小于 1 万亿元）。")


def check_party(index: int, party: PartyInput, *, today: date | None = None) -> PartyInput:
    """A party as it will be saved: numbers cleaned, sex and birth date taken from a resident ID.

    Raises ``InvalidInput`` on the field ``parties[i].<field>`` with the form's sentence.
    """
    who = f"第 {index + 1} 位当事人"

    def field(name: str) -> str:
        return f"parties[{index}].{name}"

    def checked(name: str, check: Callable[[str], str], value: str) -> str:
        try:
            return check(value)
        except InvalidInput as exc:
            raise InvalidInput(field(name), f"{who}：{exc.message}") from None

    name = party.name.strip()
    if not name:
        raise InvalidInput(field("name"), f"{who}的姓名（名称）不能为空。")
    if len(name) > 200:
        raise InvalidInput(field("name"), f"{who}的姓名（名称）最长 200 个字符。")
    cleaned = replace(party, name=name)
    if party.id_number.strip():
        kind = party.id_type or IdDocumentType.RESIDENT_ID
        number = checked("id_number", lambda v: validation.check_document(kind, v, today=today), party.id_number)
        cleaned = replace(cleaned, id_type=kind, id_number=number)
        if kind is IdDocumentType.RESIDENT_ID and party.kind is PartyKind.PERSON:
            info = validation.check_resident_id(number, today=today)
            if party.gender is not None and party.gender is not info.gender:
                raise InvalidInput(field("gender"), f"{who}的性别与身份证号码不符（号码显示为{info.gender.label}）。")
            if party.birth_date is not None and party.birth_date != info.birth_date:
                raise InvalidInput(field("birth_date"),
                                   f"{who}的出生日期与身份证号码不符（号码显示为 {info.birth_date:%Y年%m月%d日}）。")
            cleaned = replace(cleaned, gender=info.gender, birth_date=info.birth_date)
    if party.phone.strip():
        cleaned = replace(cleaned, phone=checked("phone", validation.check_phone, party.phone))
    if party.agent_phone.strip():
        cleaned = replace(cleaned, agent_phone=checked("agent_phone", validation.check_phone, party.agent_phone))
    if party.credit_code.strip():
        if party.kind is PartyKind.PERSON:
            raise InvalidInput(field("credit_code"), f"{who}是自然人，不应填写统一社会信用代码。")
        cleaned = replace(cleaned, credit_code=checked("credit_code", validation.check_credit_code,
                                                       party.credit_code))
    return cleaned


def check_guardian(index: int, party: PartyInput, on: date) -> PartyInput:
    """A party who is a minor on ``on`` (``readmodels.minors``: the ID's birth date, else the
    birth date, else the tick) takes part through a guardian (法定代理人, 民法典 arts. 23, 27):
    refused without one, on ``parties[i].agent_name``. The stored tick follows the birth date
    when there is one."""
    minor = minors.is_minor(party, on, is_person=party.kind is PartyKind.PERSON, ticked=party.is_minor)
    if minor and not party.agent_name.strip():
        born = minors.birth_date_of(party)
        age = f"（{born:%Y年%m月%d日}出生，{on:%Y年%m月%d日}时{minors.age_on(born, on)}周岁）" if born else ""
        raise InvalidInput(f"parties[{index}].agent_name",
                           f"第 {index + 1} 位当事人{party.name.strip()}是未成年人{age}，须由其法定代理人（监护人）"
                           "代为参加调解：请勾选“有代理人”，在“代理人姓名”中填写法定代理人的姓名。")
    return replace(party, is_minor=minor)


def register_case(session: Session, actor: Actor, data: CaseInput) -> int:
    """Register a dispute at the window (登记); returns the new case's id."""
    permissions.require_role(actor, permissions.INTAKE_ROLES, "登记新案件")
    _check_case_input(session, data)
    received = data.received_at or now()
    # The case is the registering person's center's, numbered with its prefix (docs/centers.md).
    center_id = numbering_center(session, actor.center_id)
    seq, number = next_case_number(session, received.year, center_id)
    case = DisputeCase(
        center_id=center_id,
        number=number,
        year=received.year,
        seq=seq,
        title=data.title.strip(),
        state=CaseState.REGISTERED,
        dispute_type_id=data.dispute_type_id,
        source_channel=data.source_channel,
        risk_level=data.risk_level,
        is_group_dispute=data.is_group_dispute,
        may_turn_criminal=data.may_turn_criminal,
        people_involved=data.people_involved,
        amount_involved=data.amount_involved,
        address=data.address.strip(),
        village=data.village.strip(),
        grid=data.grid.strip(),
        facts=data.facts.strip(),
        requests=[r.strip() for r in data.requests if r.strip()],
        received_at=received,
        is_consultation=data.is_consultation,
        registered_by_id=actor.user_id,
    )
    for seq_no, p in enumerate(data.parties):
        case.parties.append(
            Party(
                seq=seq_no,
                role=p.role,
                kind=p.kind,
                name=p.name.strip(),
                gender=p.gender,
                ethnicity=p.ethnicity.strip(),
                birth_date=p.birth_date,
                id_type=p.id_type,
                id_number=p.id_number.strip().upper(),
                occupation=p.occupation.strip(),
                work_unit=p.work_unit.strip(),
                address=p.address.strip(),
                phone=p.phone.strip(),
                legal_representative=p.legal_representative.strip(),
                credit_code=p.credit_code.strip().upper(),
                is_minor=p.is_minor,
                agent_name=p.agent_name.strip(),
                agent_phone=p.agent_phone.strip(),
                agent_authority=p.agent_authority.strip(),
                id_issuer=p.id_issuer.strip()[:60],
                id_validity=p.id_validity.strip()[:30],
            )
        )
    case.events.append(
        CaseEvent(at=received, user_id=actor.user_id, kind=EventKind.REGISTERED, to_state=CaseState.REGISTERED,
                  note=f"来源：{data.source_channel.label}")
    )
    earlier = _repeated_case(session, data, frozenset({center_id}))
    if earlier is not None:
        person, previous = earlier
        case.repeat_of_id = previous.case_id
        case.events.append(
            CaseEvent(at=received, user_id=actor.user_id, kind=EventKind.NOTE, action="repeat_visit",
                      note=f"重复来访：申请人{person}尚有未结案件 {previous.number}（{previous.state.label}）")
        )
    session.add(case)
    session.flush()
    clocks.refresh_clock(session, case)
    changes.note(session, Changes.cases(case.id, list_changed=True))
    audit.record(session, actor, "case.register", "case", case.id,
                 {"number": number, "repeat_of": earlier[1].number if earlier else None})
    return case.id


def _repeated_case(session: Session, data: CaseInput, centers: frozenset[int] | None = None
                   ) -> tuple[str, intake.PersonCase] | None:
    """The open case an applicant of this registration already has, if any (of ``centers``)."""
    for party in data.parties:
        if party.role is not PartyRole.APPLICANT:
            continue
        found = intake.open_case_of(session, id_number=party.id_number or party.credit_code,
                                    name=party.name, phone=party.phone, centers=centers)
        if found is not None:
            return party.name.strip(), found
    return None


def assign_case(session: Session, actor: Actor, case_id: int, *, team_id: int,
                lead_mediator_id: int | None = None, note: str = "",
                expected_version: int | None = None) -> None:
    """Route an accepted case to a specialist team (分派), optionally naming its lead mediator."""
    permissions.require_role(actor, permissions.INTAKE_ROLES, "分派案件")
    team = session.get(Team, team_id)
    if team is None or not team.active:
        raise InvalidInput("team", "请选择有效的调解团队。")
    if lead_mediator_id is not None:
        mediator = session.get(Mediator, lead_mediator_id)
        if mediator is None or not mediator.active:
            raise InvalidInput("lead_mediator", "请选择有效的承办调解员。")
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    workflow.check_transition(actor, case, workflow.Action.ASSIGN)
    if team.center_id != permissions.handling_center(case):
        # The center working on the case routes it to one of its own teams (docs/crossings.md).
        raise InvalidInput("team", f"调解团队“{team.name}”不属于承办本案的中心，请选择承办中心的团队。")
    changes.note(session, Changes.cases(case.id, list_changed=True))
    case.team_id = team_id
    case.lead_mediator_id = lead_mediator_id
    text = f"分派至{team.name}" + (f"：{note.strip()}" if note.strip() else "")
    workflow.transition(session, actor, case_id, workflow.Action.ASSIGN, note=text,
                        expected_version=expected_version)


# --------------------------------------------------------------------------- detail


def _party_view(p: Party) -> PartyView:
    return PartyView(
        id=p.id, role=p.role, kind=p.kind, name=p.name, gender=p.gender, ethnicity=p.ethnicity,
        birth_date=p.birth_date, id_type=p.id_type, id_number=p.id_number, occupation=p.occupation,
        work_unit=p.work_unit, address=p.address, phone=p.phone,
        legal_representative=p.legal_representative, credit_code=p.credit_code, agent_name=p.agent_name,
        minor_ticked=p.is_minor,
    )


def _detail(session: Session, actor: Actor | None, case: DisputeCase, *,
            parties: Sequence[Party] | None = None) -> CaseDetail:
    """The case's view. Without an actor, the case as its documents print it: no timeline, no
    actions and no row version (those change when, say, a transfer packet is recorded, and a
    kept document's fingerprint must not); ``parties`` already loaded may be passed then."""
    team = session.get(Team, case.team_id) if case.team_id else None
    lead = session.get(Mediator, case.lead_mediator_id) if case.lead_mediator_id else None
    dispute_type = session.get(DisputeType, case.dispute_type_id)
    events: tuple[EventView, ...] = ()
    actions: tuple[ActionView, ...] = ()
    archived = False
    if actor is not None:
        users = dict(session.execute(
            select(User.id, User.display_name).where(User.id.in_({e.user_id for e in case.events if e.user_id}))
        ).all())
        from .retention import ARCHIVED_ACTION  # retention reads cases: imported when first needed

        archived = any(e.action == ARCHIVED_ACTION for e in case.events)  # a tombstone takes no action
        events = tuple(
            EventView(id=e.id, at=e.at, kind=e.kind, action=e.action, from_state=e.from_state,
                      to_state=e.to_state, note=e.note, user_name=users.get(e.user_id or -1, "系统"))
            for e in case.events)
        from . import crossings  # the steps between centers (docs/crossings.md) join the timeline

        steps = crossings.timeline(session, actor, case.id)
        if steps:
            events = tuple(sorted((*events, *steps), key=lambda e: (e.at, e.id > 0, abs(e.id))))
        actions = tuple(ActionView(str(t.action), t.label, t.note_required, t.note_prompt)
                        for t in workflow.allowed_actions(actor, case) if not archived)
    return CaseDetail(
        id=case.id, number=case.number, title=case.title, state=case.state,
        dispute_type=dispute_type.name if dispute_type else "",
        source_channel=case.source_channel, risk_level=case.risk_level,
        is_group_dispute=case.is_group_dispute, may_turn_criminal=case.may_turn_criminal,
        people_involved=case.people_involved, amount_involved=case.amount_involved,
        address=case.address, village=case.village, grid=case.grid, facts=case.facts,
        requests=tuple(case.requests or ()), received_at=case.received_at, accepted_at=case.accepted_at,
        closed_at=case.closed_at, team=team.name if team else "", team_id=case.team_id,
        lead_mediator=lead.name if lead else "",
        version=case.version if actor is not None else 0,
        parties=tuple(_party_view(p) for p in (parties if parties is not None else case.parties)),
        events=events, actions=actions,
        repeat_of=(session.scalar(select(DisputeCase.number).where(DisputeCase.id == case.repeat_of_id)) or "")
        if case.repeat_of_id else "",
        is_major=case.is_major if actor is not None else False,
        may_group_petition=case.may_group_petition if actor is not None else False,
        routable=actor is not None and not archived and workflow.routable(actor, case),
    )


def printed_detail(session: Session, case: DisputeCase, parties: Sequence[Party]) -> CaseDetail:
    """The case as its documents print it (see ``_detail``); the caller has checked access."""
    return _detail(session, None, case, parties=parties)


def _load(session: Session, **where: object) -> DisputeCase:
    stmt = select(DisputeCase).options(selectinload(DisputeCase.parties), selectinload(DisputeCase.events))
    for column, value in where.items():
        stmt = stmt.where(getattr(DisputeCase, column) == value)
    case = session.scalar(stmt)
    if case is None:
        shown = where.get("number", where.get("id"))
        raise NotFound(f"案件“{shown}”不存在。")
    return case


def case_detail(session: Session, actor: Actor, case_id: int) -> CaseDetail:
    """The case as its view shows it; refused to the administrator and to a mediator of another
    team (docs/permissions.md)."""
    permissions.require_role(actor, permissions.CASE_ROLES, "查看案件内容")
    case = _load(session, id=case_id)
    permissions.require_case_access(actor, case, "查看该案件")
    return _detail(session, actor, case)


def case_detail_by_number(session: Session, actor: Actor, number: str) -> CaseDetail:
    permissions.require_role(actor, permissions.CASE_ROLES, "查看案件内容")
    case = _load(session, number=number.strip())
    permissions.require_case_access(actor, case, "查看该案件")
    return _detail(session, actor, case)
