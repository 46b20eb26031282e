"""人民调解协议书 and 口头协议登记表: drafted from the case, terms as rows, signed to take effect.

Every term says who owes what to whom, how much, by when, where and how (人民调解法 art. 29:
the agreement records the parties, the main facts and disputed matters, each side's
responsibility, and the content, manner, place and time limit of performance). Signing records
the day the agreement takes effect — for a written one when all have signed and the seal is on,
for an oral one when it is reached (art. 30) — which starts the 30-day clock for judicial
confirmation, and moves a case still in mediation to 调解成功.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from .. import changes
from ..changes import Changes
from ..models import (
    Agreement,
    AgreementKind,
    AgreementTerm,
    CaseEvent,
    CaseState,
    DisputeCase,
    EventKind,
    Party,
    now,
)
from ..readmodels.agreements import AgreementInfo, TermView
from ..readmodels.amounts import rmb
from . import audit, clocks, permissions, versions, workflow, writers
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound
from .writers import LastWrite

EDITABLE_STATES = frozenset({CaseState.IN_MEDIATION, CaseState.SUCCEEDED})


@dataclass
class TermInput:
    obligor_party_id: int | None
    content: str
    due_on: date | None
    amount: Decimal | None = None
    obligee_party_id: int | None = None
    place: str = ""
    method: str = ""


@dataclass
class AgreementInput:
    kind: AgreementKind
    facts: str
    disputed_matters: str
    responsibilities: str
    copies: int
    terms: list[TermInput]


def _case_for_writing(session: Session, actor: Actor, case_id: int) -> DisputeCase:
    case = permissions.case_for(session, actor, case_id, "制作调解协议", permissions.CASEWORK_ROLES)
    if case.state not in EDITABLE_STATES:
        raise InvalidInput(
            "case", f"案件 {case.number} 当前为“{case.state.label}”，只有调解中或调解成功的案件可以制作协议。"
        )
    return case


def draft(session: Session, actor: Actor, case_id: int,
          kind: AgreementKind = AgreementKind.WRITTEN, *, expected_count: int | None = None) -> AgreementInfo:
    """A new agreement pre-filled from the case: its facts, the requests as disputed matters, and
    one copy per party plus one kept by the center.

    ``expected_count`` is how many agreements the case had when the form was loaded (``0``: none
    yet): when another desk drafted one meanwhile, this draft is a ``Conflict`` instead of a second
    agreement nobody meant. ``None`` (the command line, the demo) checks nothing."""
    case = _case_for_writing(session, actor, case_id)
    versions.lock_case(session, case_id)  # two desks drafting the first agreement at once: one waits
    if expected_count is not None:
        count = len(session.scalars(select(Agreement.id).where(Agreement.case_id == case_id)).all())
        if count != expected_count:
            raise Conflict(f"案件 {case.number} 的协议已由他人起草或修改（现有 {count} 份，"
                           f"打开时为 {expected_count} 份），本次未起草新的协议。请查看已有的协议后再决定。")
    parties = session.scalars(select(Party).where(Party.case_id == case_id)).all()
    requests = "；".join(case.requests or [])
    row = Agreement(case_id=case_id, kind=kind, facts=case.facts, disputed_matters=requests,
                    responsibilities="", copies=len(parties) + 1)
    session.add(row)
    session.flush()
    session.add(CaseEvent(case_id=case_id, at=now(), user_id=actor.user_id, kind=EventKind.DOCUMENT,
                          action="agreement_draft", note=f"起草{kind.label}"))
    changes.note(session, Changes.cases(case_id))
    audit.record(session, actor, "agreement.draft", "case", case_id, {"agreement": row.id})
    return info(session, row.id)


def save(session: Session, actor: Actor, agreement_id: int, data: AgreementInput, *,
         expected_version: int) -> AgreementInfo:
    row = _load(session, agreement_id)
    case = _case_for_writing(session, actor, row.case_id)
    if row.signed_on is not None:
        raise InvalidInput("signed", "协议已签署生效，不能再修改。")
    if row.version != expected_version:
        raise Conflict("协议已被他人修改。请重新打开后再编辑。")
    parties = {p.id: p for p in session.scalars(select(Party).where(Party.case_id == case.id))}
    if not data.facts.strip():
        raise InvalidInput("facts", "请填写纠纷简要事实。")
    if not data.disputed_matters.strip():
        raise InvalidInput("disputed_matters", "请填写争议事项。")
    if data.copies < len(parties) + 1:
        raise InvalidInput("copies", f"协议份数至少为当事人数加一（{len(parties) + 1} 份）：每方一份，调委会留存一份。")
    if not data.terms:
        raise InvalidInput("terms", "请至少填写一项协议内容。")
    for index, term in enumerate(data.terms):
        where = f"第 {index + 1} 项协议内容"
        if term.obligor_party_id is None:
            raise InvalidInput(f"terms[{index}].obligor", f"{where}须指明履行义务的当事人。")
        if term.obligor_party_id not in parties:
            raise InvalidInput(f"terms[{index}].obligor", f"{where}的义务人不是本案当事人。")
        if term.obligee_party_id is not None and term.obligee_party_id not in parties:
            raise InvalidInput(f"terms[{index}].obligee", f"{where}的权利人不是本案当事人。")
        if term.obligee_party_id == term.obligor_party_id:
            raise InvalidInput(f"terms[{index}].obligee", f"{where}的权利人与义务人不能是同一人。")
        if not term.content.strip():
            raise InvalidInput(f"terms[{index}].content", f"请填写{where}的具体内容。")
        if term.due_on is None:
            raise InvalidInput(f"terms[{index}].due_on", f"{where}须写明履行期限。")
        if term.amount is not None and term.amount < 0:
            raise InvalidInput(f"terms[{index}].amount", f"{where}的金额不能为负数。")
    row.kind = data.kind
    row.facts = data.facts.strip()
    row.disputed_matters = data.disputed_matters.strip()
    row.responsibilities = data.responsibilities.strip()
    row.copies = data.copies
    row.terms = [
        AgreementTerm(seq=i + 1, obligor_party_id=t.obligor_party_id, obligee_party_id=t.obligee_party_id,
                      content=t.content.strip(), amount=t.amount, due_on=t.due_on, place=t.place.strip(),
                      method=t.method.strip())
        for i, t in enumerate(data.terms)
    ]
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("协议刚被他人修改，本次修改未保存。") from None
    changes.note(session, Changes.cases(row.case_id))
    audit.record(session, actor, "agreement.save", "case", row.case_id, {"agreement": row.id,
                                                                         "terms": len(data.terms)})
    return info(session, row.id)


def sign(session: Session, actor: Actor, agreement_id: int, *, signed_on: date,
         effective_on: date | None = None, expected_version: int | None = None) -> AgreementInfo:
    """Record that everyone signed (and the seal is on); the agreement takes effect.

    ``expected_version`` is the version the signing desk showed: the parties signed that text, so a
    change saved meanwhile by another desk is a ``Conflict``. ``None`` (the command line) checks nothing."""
    row = _load(session, agreement_id)
    case = _case_for_writing(session, actor, row.case_id)
    if row.signed_on is not None:
        raise InvalidInput("signed", f"协议已于 {row.signed_on:%Y年%m月%d日} 签署。")
    versions.check(row.version, expected_version,
                   "协议已被他人修改，与打开时不同，本次未登记签署。请核对当事人签署的文本后再登记。")
    if not row.terms:
        raise InvalidInput("terms", "协议还没有协议内容，不能签署。")
    # Art. 29 of the People's Mediation Law: the agreement states how and where it is performed.
    # A draft may leave them open; what the parties sign may not.
    for index, term in enumerate(sorted(row.terms, key=lambda t: t.seq)):
        for name, label in (("place", "履行地点"), ("method", "履行方式")):
            if not str(getattr(term, name) or "").strip():
                raise InvalidInput(f"terms[{index}].{name}", f"第 {index + 1} 项协议内容没有约定{label}，"
                                                             f"不能签署：请填写{label}并保存后再登记签署。")
    today = now().date()
    if signed_on > today:
        raise InvalidInput("signed_on", "签署日期不能晚于今天。")
    effective = effective_on or signed_on
    if effective < signed_on:
        raise InvalidInput("effective_on", "生效日期不能早于签署日期。")
    row.signed_on = signed_on
    row.effective_on = effective
    versions.flush(session, "协议刚被他人修改或签署，本次未登记签署。请刷新后核对。")
    if case.state is CaseState.IN_MEDIATION:
        workflow.transition(session, actor, case.id, workflow.Action.SUCCEED,
                            note=f"达成{'人民调解协议书' if row.kind is AgreementKind.WRITTEN else '口头调解协议'}，"
                                 f"{effective:%Y年%m月%d日}生效")
    session.add(CaseEvent(case_id=case.id, at=now(), user_id=actor.user_id, kind=EventKind.DOCUMENT,
                          action="agreement_signed", note=f"{row.kind.label}签署生效（{effective:%Y年%m月%d日}）"))
    clocks.refresh_clock(session, case)
    changes.note(session, Changes.cases(case.id, list_changed=True))  # its clock and state
    audit.record(session, actor, "agreement.sign", "case", case.id,
                 {"agreement": row.id, "signed_on": signed_on.isoformat(), "effective_on": effective.isoformat()})
    return info(session, row.id)


def _load(session: Session, agreement_id: int) -> Agreement:
    row = session.scalar(select(Agreement).options(selectinload(Agreement.terms)).where(Agreement.id == agreement_id))
    if row is None:
        raise NotFound(f"协议（编号 {agreement_id}）不存在。")
    return row


def info(session: Session, agreement_id: int) -> AgreementInfo:
    row = _load(session, agreement_id)
    case = session.get_one(DisputeCase, row.case_id)
    names = dict(session.execute(select(Party.id, Party.name).where(Party.case_id == row.case_id)).all())
    terms = tuple(
        TermView(t.seq, names.get(t.obligor_party_id, ""), names.get(t.obligee_party_id or -1, ""),
                 t.obligor_party_id, t.obligee_party_id, t.content, t.amount,
                 rmb(t.amount) if t.amount is not None else "", t.due_on, t.place, t.method)
        for t in row.terms
    )
    return AgreementInfo(row.id, row.case_id, case.number, row.kind, row.facts, row.disputed_matters,
                         row.responsibilities, row.copies, terms, row.signed_on, row.effective_on, row.version)


def agreements_of(session: Session, case_id: int) -> list[AgreementInfo]:
    ids = session.scalars(select(Agreement.id).where(Agreement.case_id == case_id).order_by(Agreement.id)).all()
    return [info(session, i) for i in ids]


def last_write(session: Session, agreement_id: int) -> LastWrite:
    """Who saved the agreement last and when (the conflict dialog names them)."""
    row = session.get(Agreement, agreement_id)
    if row is None:
        raise NotFound(f"协议（编号 {agreement_id}）不存在。")
    return writers.last_write(session, row.case_id, "agreement", row.id,
                              ("agreement.draft", "agreement.save", "agreement.sign"), row.updated_at)
