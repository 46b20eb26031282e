"""Routing an accepted case (分类调处): which team, which lead, who helps, and who must step aside.

The suggestion follows the dispute type to the teams that handle it and prefers the one with
the fewest open cases; the lead suggested is the active member leading the fewest open cases.
Before anyone is put on a case, the recusal check (回避) compares each mediator with each party:
a relation the mediator declared that names the party, or the same surname and the same
address. A warning does not block — the person assigning decides — but the decision is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select, true
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import (
    CaseEvent,
    CaseMediator,
    Department,
    DisputeCase,
    EventKind,
    Mediator,
    MediatorRole,
    Party,
    PartyKind,
    RecusalDecision,
    RecusalOutcome,
    Team,
    TeamMember,
    case_department,
    now,
    team_dispute_type,
)
from . import audit, cases, organisation, permissions
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound
from .workflow import ROUTE_STATES

# Compound surnames kept whole (the same list the publicity masking uses).
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "夏侯", "皇甫", "尉迟", "公孙", "慕容", "长孙", "东方", "令狐", "宇文",
    "司徒", "司空", "端木", "轩辕", "呼延", "独孤", "南宫", "西门", "百里", "澹台", "公羊", "钟离", "申屠",
})


def surname_of(name: str) -> str:
    name = name.strip()
    if "·" in name or "•" in name:
        return name[:1]
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def same_address(a: str, b: str) -> bool:
    """Two addresses of one household: equal once spaces and punctuation are gone, or one is the
    other without its province/city/county prefix (张掖市甘州区梁家墩镇四村7组46号 and
    梁家墩镇四村7组46号)."""
    def clean(text: str) -> str:
        return re.sub(r"[\s,，。.、\-－()（）]", "", text)

    x, y = clean(a), clean(b)
    if not x or not y:
        return False
    shorter, longer = sorted((x, y), key=len)
    return len(shorter) >= 6 and longer.endswith(shorter)


@dataclass(frozen=True)
class TeamOption:
    team_id: int
    name: str
    handles_type: bool
    open_cases: int


@dataclass(frozen=True)
class MediatorOption:
    mediator_id: int
    name: str
    open_cases_led: int


@dataclass(frozen=True)
class Suggestion:
    teams: tuple[TeamOption, ...]
    lead: MediatorOption | None
    #: The center whose teams and mediators are offered: the one working on the case
    #: (``permissions.handling_center``; a case reported up or assigned down goes to its teams).
    center_id: int | None = None

    @property
    def team(self) -> TeamOption | None:
        return self.teams[0] if self.teams else None


@dataclass(frozen=True)
class RecusalWarning:
    mediator_id: int
    mediator_name: str
    party_name: str
    reason: str

    @property
    def text(self) -> str:
        return f"调解员{self.mediator_name}与当事人{self.party_name}{self.reason}，可能需要回避。"


def team_options(session: Session, dispute_type_id: int, center_id: int | None = None) -> list[TeamOption]:
    """Active teams (of ``center_id``: a case goes to its own center's teams), those handling the
    type first, each ordered by open load (the open cases of these teams alone, from the open
    cases' index: at a million cases, counting every team's from every case took 0.3–70 s)."""
    handling = set(session.scalars(
        select(team_dispute_type.c.team_id).where(team_dispute_type.c.dispute_type_id == dispute_type_id)
    ))
    teams = session.scalars(select(Team).where(Team.active.is_(True),
                                               true() if center_id is None else Team.center_id == center_id)).all()
    load = organisation.open_case_counts(session, team_ids=[t.id for t in teams], mediator_ids=()).by_team
    options = [TeamOption(t.id, t.name, t.id in handling, load.get(t.id, 0)) for t in teams]
    return sorted(options, key=lambda o: (not o.handles_type, o.open_cases, o.team_id))


def lead_options(session: Session, team_id: int) -> list[MediatorOption]:
    """Active current members of a team, the one leading the fewest open cases first (the open
    cases these members lead, from the open cases' index)."""
    members = session.execute(
        select(Mediator.id, Mediator.name)
        .join(TeamMember, TeamMember.mediator_id == Mediator.id)
        .where(TeamMember.team_id == team_id, TeamMember.left_on.is_(None), Mediator.active.is_(True))
    ).all()
    led = organisation.open_case_counts(session, team_ids=(), mediator_ids=[mid for mid, _name in members]).by_lead
    options = [MediatorOption(mid, name, led.get(mid, 0)) for mid, name in members]
    return sorted(options, key=lambda o: (o.open_cases_led, o.mediator_id))


def suggest(session: Session, case_id: int) -> Suggestion:
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    center_id = permissions.handling_center(case)
    teams = team_options(session, case.dispute_type_id, center_id)
    leads = lead_options(session, teams[0].team_id) if teams else []
    return Suggestion(tuple(teams), leads[0] if leads else None, center_id)


def mediator_options(session: Session, center_id: int | None) -> list[MediatorOption]:
    """The active mediators of ``center_id`` (all centers' for None) a case may be given to as
    co-mediators, by name order of their ids (the routing panel's list)."""
    stmt = select(Mediator.id, Mediator.name).where(Mediator.active.is_(True)).order_by(Mediator.id)
    if center_id is not None:
        stmt = stmt.where(Mediator.center_id == center_id)
    return [MediatorOption(int(i), str(n), 0) for i, n in session.execute(stmt)]


def recusal_warnings(session: Session, case_id: int, mediator_ids: list[int]) -> list[RecusalWarning]:
    parties = session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.seq)).all()
    warnings: list[RecusalWarning] = []
    for mediator in session.scalars(select(Mediator).where(Mediator.id.in_(mediator_ids)).order_by(Mediator.id)):
        relations = [line.strip() for line in mediator.declared_relations.splitlines() if line.strip()]
        for party in parties:
            named = next((r for r in relations if party.name and party.name in r), None)
            if named is not None:
                warnings.append(RecusalWarning(mediator.id, mediator.name, party.name, f"有登记的关系（{named}）"))
                continue
            if (party.kind is PartyKind.PERSON and mediator.address.strip() and party.address.strip()
                    and surname_of(mediator.name) == surname_of(party.name)
                    and same_address(mediator.address, party.address)):
                warnings.append(RecusalWarning(mediator.id, mediator.name, party.name, "同姓且住址相同"))
    return warnings


def assign(session: Session, actor: Actor, case_id: int, *, team_id: int, lead_mediator_id: int,
           co_mediator_ids: tuple[int, ...] = (), joint_department_ids: tuple[int, ...] = (),
           recusal: dict[int, tuple[RecusalOutcome, str]] | None = None, note: str = "",
           expected_version: int | None = None) -> None:
    """Assign a case: team, lead and co-mediators, joint departments; recusal decisions recorded.

    Every mediator with a recusal warning needs a decision in ``recusal``; one who recuses
    cannot be put on the case.
    """
    permissions.require_role(actor, permissions.INTAKE_ROLES, "分派案件")
    recusal = recusal or {}
    case = session.get(DisputeCase, case_id)
    mediators, warnings = _checked_people(session, case, lead_mediator_id, co_mediator_ids, recusal, "分派")
    departments = list(session.scalars(select(Department).where(Department.id.in_(joint_department_ids))))
    if len(departments) != len(set(joint_department_ids)) or any(not d.active for d in departments):
        raise InvalidInput("joint_departments", "请选择有效的联合调解部门。")

    cases.assign_case(session, actor, case_id, team_id=team_id, lead_mediator_id=lead_mediator_id, note=note,
                      expected_version=expected_version)
    everyone = [lead_mediator_id, *co_mediator_ids]
    moment = now()
    for warning in warnings:
        outcome, decision_note = recusal[warning.mediator_id]
        session.add(RecusalDecision(case_id=case_id, mediator_id=warning.mediator_id, warning=warning.text,
                                    outcome=outcome, note=decision_note.strip(), decided_by_id=actor.user_id,
                                    decided_at=moment))
    existing = {row.mediator_id: row for row in session.scalars(
        select(CaseMediator).where(CaseMediator.case_id == case_id))}
    for mediator_id in everyone:
        role = MediatorRole.LEAD if mediator_id == lead_mediator_id else MediatorRole.CO
        row = existing.get(mediator_id)
        if row is None:
            session.add(CaseMediator(case_id=case_id, mediator_id=mediator_id, role=role, assigned_at=moment,
                                     assigned_by_id=actor.user_id))
        else:
            row.role = role
    if departments:
        session.execute(case_department.insert(), [{"case_id": case_id, "department_id": d.id} for d in departments])
    details = []
    if co_mediator_ids:
        details.append("协办：" + "、".join(mediators[m].name for m in co_mediator_ids))
    if departments:
        details.append("联合调解：" + "、".join(d.name for d in departments))
    if warnings:
        details.append("回避审查：" + "；".join(
            f"{w.text}决定{recusal[w.mediator_id][0].label}" for w in warnings))
    if details:
        session.add(CaseEvent(case_id=case_id, at=moment, user_id=actor.user_id, kind=EventKind.NOTE,
                              action="assignment", note="；".join(details)))
    session.flush()
    changes.note(session, Changes.cases(case_id, list_changed=True))
    audit.record(session, actor, "case.assignment", "case", case_id,
                 {"team": team_id, "lead": lead_mediator_id, "co": list(co_mediator_ids),
                  "departments": [d.id for d in departments],
                  "recusal": {str(k): v[0].value for k, v in recusal.items()}})


def _checked_people(session: Session, case: DisputeCase | None, lead_mediator_id: int,
                    co_mediator_ids: tuple[int, ...], recusal: dict[int, tuple[RecusalOutcome, str]],
                    doing: str) -> tuple[dict[int, Mediator], list[RecusalWarning]]:
    """The lead and co-mediators, each active and of the center working on the case (its teams'
    people work it, docs/crossings.md), with every recusal warning decided and none recused."""
    if lead_mediator_id in co_mediator_ids:
        raise InvalidInput("co_mediators", "主办调解员不必再列为协办。")
    everyone = [lead_mediator_id, *co_mediator_ids]
    mediators = {m.id: m for m in session.scalars(select(Mediator).where(Mediator.id.in_(everyone)))}
    for mediator_id in everyone:
        if mediator_id not in mediators or not mediators[mediator_id].active:
            raise InvalidInput("co_mediators" if mediator_id != lead_mediator_id else "lead_mediator",
                               "请选择有效（在岗）的调解员。")
    if case is not None:
        center_id = permissions.handling_center(case)
        strangers = [m for m in everyone if mediators[m].center_id != center_id]
        if strangers:
            raise InvalidInput("co_mediators" if strangers[0] != lead_mediator_id else "lead_mediator",
                               f"调解员{mediators[strangers[0]].name}不属于承办本案的中心，"
                               f"不能{doing}到案件 {case.number}，请选择承办中心的调解员。")
    warnings = recusal_warnings(session, case.id if case is not None else -1, everyone)
    undecided = [w for w in warnings if w.mediator_id not in recusal]
    if undecided:
        raise InvalidInput("recusal", "请先就回避作出决定：" + "；".join(w.text for w in undecided))
    recused = [w for w in warnings if recusal[w.mediator_id][0] is RecusalOutcome.RECUSED]
    if recused:
        names = "、".join(sorted({w.mediator_name for w in recused}))
        raise InvalidInput("recusal", f"{names}已决定回避，不能{doing}到本案，请另选调解员。")
    return mediators, warnings




def route(session: Session, actor: Actor, case_id: int, *, team_id: int, lead_mediator_id: int,
          co_mediator_ids: tuple[int, ...] = (), recusal: dict[int, tuple[RecusalOutcome, str]] | None = None,
          note: str = "", expected_version: int | None = None) -> None:
    """改派: give an assigned or mediated case to a team of the center working on it, with its lead
    and co-mediators (who replace the case's earlier ones); the state does not change. The team's
    mediators then work the case, the earlier team's no longer (on a server: ``md_case_team``)."""
    doing = "改派案件"
    case = permissions.case_for(session, actor, case_id, doing, permissions.INTAKE_ROLES, write=True)
    if expected_version is not None and case.version != expected_version:
        raise Conflict(f"案件 {case.number} 已被他人修改（当前状态“{case.state.label}”）。请刷新后再操作。")
    if case.state not in ROUTE_STATES:
        raise InvalidInput("case", f"案件 {case.number} 当前为“{case.state.label}”，只有已分派或调解中的案件可以改派"
                                   "（待分派的案件请用“分派”）。")
    team = session.get(Team, team_id)
    if team is None or not team.active:
        raise InvalidInput("team", "请选择有效的调解团队。")
    if team.center_id != permissions.handling_center(case):
        raise InvalidInput("team", f"调解团队“{team.name}”不属于承办本案的中心，请选择承办中心的团队。")
    recusal = recusal or {}
    mediators, warnings = _checked_people(session, case, lead_mediator_id, co_mediator_ids, recusal, "改派")
    earlier = session.get(Team, case.team_id) if case.team_id is not None else None
    moment = now()
    case.team_id, case.lead_mediator_id = team.id, lead_mediator_id
    everyone = [lead_mediator_id, *co_mediator_ids]
    session.execute(delete(CaseMediator).where(CaseMediator.case_id == case.id,
                                               CaseMediator.mediator_id.not_in(everyone)))
    existing = {row.mediator_id: row for row in session.scalars(
        select(CaseMediator).where(CaseMediator.case_id == case.id))}
    for mediator_id in everyone:
        role = MediatorRole.LEAD if mediator_id == lead_mediator_id else MediatorRole.CO
        row = existing.get(mediator_id)
        if row is None:
            session.add(CaseMediator(case_id=case.id, mediator_id=mediator_id, role=role, assigned_at=moment,
                                     assigned_by_id=actor.user_id))
        else:
            row.role = role
    for warning in warnings:
        outcome, decision_note = recusal[warning.mediator_id]
        session.add(RecusalDecision(case_id=case.id, mediator_id=warning.mediator_id, warning=warning.text,
                                    outcome=outcome, note=decision_note.strip(), decided_by_id=actor.user_id,
                                    decided_at=moment))
    text = (f"改派至{team.name}（主办调解员{mediators[lead_mediator_id].name}"
            + ("，协办：" + "、".join(mediators[m].name for m in co_mediator_ids) if co_mediator_ids else "")
            + "）" + (f"：{note.strip()}" if note.strip() else ""))
    session.add(CaseEvent(case_id=case.id, at=moment, user_id=actor.user_id, kind=EventKind.NOTE,
                          action="route", note=text))
    session.flush()
    changes.note(session, Changes.cases(case.id, list_changed=True))
    audit.record(session, actor, "case.route", "case", case.id,
                 {"team": team.id, "from_team": earlier.id if earlier is not None else None,
                  "lead": lead_mediator_id, "co": list(co_mediator_ids),
                  "recusal": {str(k): v[0].value for k, v in recusal.items()}})
