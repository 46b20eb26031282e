"""Witnesses and evidence as a court needs them (CPL art. 124: 证据和证据来源，证人姓名和住所).

A case transferred to court goes with a summary that lists, for each witness, the name, the
address and what the witness can prove, and for each piece of evidence its source and what it is
offered to prove (证明目的). Witnesses are rows of their own; a piece of evidence is an attachment
(of kind 证据材料) with its source and purpose described on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import Attachment, AttachmentKind, Party, Witness
from . import audit, permissions
from .actor import Actor
from .errors import InvalidInput, NotFound

MAX_NAME = 60
MAX_ADDRESS = 200
MAX_PHONE = 40
MAX_PROVES = 2000
MAX_SOURCE = 200
MAX_PURPOSE = 500


@dataclass(frozen=True)
class WitnessInput:
    name: str
    address: str = ""
    phone: str = ""
    proves: str = ""
    #: The party who named the witness (None: found by the mediators).
    party_id: int | None = None


@dataclass(frozen=True)
class WitnessInfo:
    id: int
    case_id: int
    seq: int
    name: str
    address: str
    phone: str
    proves: str
    party_id: int | None
    #: The name of the party who named the witness ("" when none).
    named_by: str


def _checked(value: str, field: str, label: str, limit: int, *, required: bool = False) -> str:
    text = " ".join(value.split()) if field != "proves" else value.strip()
    if required and not text:
        raise InvalidInput(field, f"请填写{label}。")
    if len(text) > limit:
        raise InvalidInput(field, f"{label}过长（{len(text)} 字），最多 {limit} 字。")
    return text


def add_witness(session: Session, actor: Actor, case_id: int, data: WitnessInput) -> WitnessInfo:
    """Record a witness of the case. Name and what the witness can prove are required: a witness a
    court cannot summon or does not know why to hear is no witness."""
    case = permissions.case_for(session, actor, case_id, "登记证人", permissions.CASEWORK_ROLES)
    name = _checked(data.name, "name", "证人姓名", MAX_NAME, required=True)
    address = _checked(data.address, "address", "证人住址", MAX_ADDRESS, required=True)
    phone = _checked(data.phone, "phone", "证人联系电话", MAX_PHONE)
    proves = _checked(data.proves, "proves", "证人能证明的事实", MAX_PROVES, required=True)
    if data.party_id is not None and session.scalar(
            select(Party.id).where(Party.id == data.party_id, Party.case_id == case.id)) is None:
        raise InvalidInput("party_id", "提出证人的当事人不是本案当事人。")
    seq = (session.scalar(select(func.max(Witness.seq)).where(Witness.case_id == case.id)) or 0) + 1
    row = Witness(case_id=case.id, seq=seq, name=name, address=address, phone=phone, proves=proves,
                  party_id=data.party_id, added_by_id=actor.user_id)
    session.add(row)
    session.flush()
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "witness.add", "case", case.id, {"witness": row.id, "name": name})
    return _info(session, row)


def remove_witness(session: Session, actor: Actor, witness_id: int) -> None:
    row = session.get(Witness, witness_id)
    if row is None:
        raise NotFound(f"证人（编号 {witness_id}）不存在。")
    permissions.case_for(session, actor, row.case_id, "删除证人", permissions.CASEWORK_ROLES)
    session.delete(row)
    session.flush()
    changes.note(session, Changes.cases(row.case_id))
    audit.record(session, actor, "witness.remove", "case", row.case_id, {"witness": witness_id, "name": row.name})


def _info(session: Session, row: Witness) -> WitnessInfo:
    named_by = session.scalar(select(Party.name).where(Party.id == row.party_id)) if row.party_id else None
    return WitnessInfo(row.id, row.case_id, row.seq, row.name, row.address, row.phone, row.proves, row.party_id,
                       named_by or "")


def witnesses_of(session: Session, case_id: int) -> list[WitnessInfo]:
    rows = session.scalars(select(Witness).where(Witness.case_id == case_id).order_by(Witness.seq, Witness.id))
    return [_info(session, row) for row in rows]


def describe_evidence(session: Session, actor: Actor, attachment_id: int, *, source: str,
                      purpose: str, case_id: int | None = None) -> None:
    """Say where a piece of evidence came from and what it is offered to prove (``case_id``: the
    case the caller means, which the attachment must belong to)."""
    row = session.get(Attachment, attachment_id)
    if row is None or (case_id is not None and row.case_id != case_id):
        raise NotFound(f"材料（编号 {attachment_id}）不存在或不属于该案件。")
    permissions.case_for(session, actor, row.case_id, "说明证据的来源和证明目的", permissions.CASEWORK_ROLES)
    if row.kind is not AttachmentKind.EVIDENCE:
        raise InvalidInput("attachment", f"材料“{row.filename}”不是证据材料（而是{row.kind.label}），"
                                         "只有证据材料需要说明来源和证明目的。")
    row.evidence_source = _checked(source, "source", "证据来源", MAX_SOURCE, required=True)
    row.evidence_purpose = _checked(purpose, "purpose", "证明目的", MAX_PURPOSE, required=True)
    session.flush()
    changes.note(session, Changes.cases(row.case_id))
    audit.record(session, actor, "evidence.describe", "case", row.case_id, {"attachment": row.id})


@dataclass(frozen=True)
class PartyChoice:
    """A party who may name a witness (for the form's "named by" list)."""
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class EvidenceItem:
    """An evidence attachment with what the court summary prints of it."""
    id: int
    filename: str
    source: str
    purpose: str


@dataclass(frozen=True)
class EvidencePage:
    """What the witnesses-and-evidence screen shows for one case."""
    case_id: int
    number: str
    parties: tuple[PartyChoice, ...]
    witnesses: tuple[WitnessInfo, ...]
    evidence: tuple[EvidenceItem, ...]


def evidence_page(session: Session, actor: Actor, case_id: int) -> EvidencePage:
    """The case's witnesses, its parties (who may name one) and its evidence attachments."""
    case = permissions.case_for(session, actor, case_id)
    parties = session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.seq, Party.id))
    attachments = session.scalars(select(Attachment).where(
        Attachment.case_id == case.id, Attachment.kind == AttachmentKind.EVIDENCE).order_by(Attachment.id))
    return EvidencePage(
        case_id=case.id, number=case.number,
        parties=tuple(PartyChoice(p.id, p.name, p.role.label) for p in parties),
        witnesses=tuple(witnesses_of(session, case.id)),
        evidence=tuple(EvidenceItem(a.id, a.filename, a.evidence_source, a.evidence_purpose) for a in attachments))
