"""Witnesses and evidence as a court needs them (CPL art. 124: 证据和证据来源，证人姓名和住所).

A case transferred to court goes with a summary that lists, for each witness, the name, the
address and what the witness can prove, and for each piece of evidence its source and what it is
offered to prove (证明目的). Witnesses are rows of their own; a piece of evidence is an attachment
(of kind 证据材料) with its source and purpose described on it.

Both can be corrected (a misspelt name, a wrong address, a better account of what a witness can
prove): the save carries the version the form loaded (``services.versions``), a save after
someone else's is a ``Conflict``, and the audit entry keeps what changed, before and after. A
finished case (结案, 不予受理) is read-only here as for its records: nothing is added, corrected
or removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import Attachment, AttachmentKind, DisputeCase, Party, Witness
from . import audit, permissions, versions, writers
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound
from .workflow import FINAL_STATES

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
    #: The version a correction must send back (``services.versions``).
    version: int = 1

    def values(self) -> dict[str, Any]:
        """The editable fields by name (what the conflict dialog compares)."""
        return {"name": self.name, "address": self.address, "phone": self.phone, "party_id": self.party_id,
                "proves": self.proves}


#: What the audit entry and the conflict dialog call each field of a witness.
WITNESS_FIELDS = {"name": "证人姓名", "address": "证人住址", "phone": "证人联系电话", "party_id": "提出证人的当事人",
                  "proves": "证人能证明的事实"}
#: The same for a piece of evidence.
EVIDENCE_FIELDS = {"source": "证据来源", "purpose": "证明目的"}
WITNESS_STALE = "该证人刚被他人修改或删除，本次修改未保存。请核对对方保存的内容后再保存。"
EVIDENCE_STALE = "该证据的来源和证明目的刚被他人修改，本次未保存。请核对对方保存的内容后再保存。"


def _checked(value: str, field: str, label: str, limit: int, *, required: bool = False) -> str:
    text = " ".join(value.split()) if field != "proves" else value.strip()
    if required and not text:
        raise InvalidInput(field, f"请填写{label}。")
    if len(text) > limit:
        raise InvalidInput(field, f"{label}过长（{len(text)} 字），最多 {limit} 字。")
    return text


def closed_reason(case: DisputeCase, what: str) -> str:
    """Why ``what`` cannot be done on a finished case (the records' rule and words, ``services.records``)."""
    return f"案件 {case.number} 已{case.state.label}，不能再{what}。"


def _writable_case(session: Session, actor: Actor, case_id: int, doing: str, what: str) -> DisputeCase:
    """The case, if the actor may do casework on it and it is not finished (结案, 不予受理)."""
    case = permissions.case_for(session, actor, case_id, doing, permissions.CASEWORK_ROLES)
    if case.state in FINAL_STATES:
        raise InvalidInput("case", closed_reason(case, what))
    return case


def _cleaned(session: Session, case_id: int, data: WitnessInput) -> dict[str, Any]:
    """The witness's fields as stored, each checked (the message names the field)."""
    values: dict[str, Any] = {
        "name": _checked(data.name, "name", "证人姓名", MAX_NAME, required=True),
        "address": _checked(data.address, "address", "证人住址", MAX_ADDRESS, required=True),
        "phone": _checked(data.phone, "phone", "证人联系电话", MAX_PHONE),
        "proves": _checked(data.proves, "proves", "证人能证明的事实", MAX_PROVES, required=True),
        "party_id": data.party_id,
    }
    if data.party_id is not None and session.scalar(
            select(Party.id).where(Party.id == data.party_id, Party.case_id == case_id)) is None:
        raise InvalidInput("party_id", "提出证人的当事人不是本案当事人。")
    return values


def add_witness(session: Session, actor: Actor, case_id: int, data: WitnessInput) -> WitnessInfo:
    """Record a witness of the case. Name and what the witness can prove are required: a witness a
    court cannot summon or does not know why to hear is no witness."""
    case = _writable_case(session, actor, case_id, "登记证人", "登记证人")
    values = _cleaned(session, case.id, data)
    seq = (session.scalar(select(func.max(Witness.seq)).where(Witness.case_id == case.id)) or 0) + 1
    row = Witness(case_id=case.id, seq=seq, added_by_id=actor.user_id, **values)
    session.add(row)
    session.flush()
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "witness.add", "case", case.id, {"witness": row.id, "name": values["name"]})
    return _info(session, row)


def _load_witness(session: Session, witness_id: int, case_id: int | None) -> Witness:
    row = session.get(Witness, witness_id)
    if row is None or (case_id is not None and row.case_id != case_id):
        raise NotFound(f"证人（编号 {witness_id}）不存在或不属于该案件。")
    return row


def _shown(name: str, value: Any, parties: dict[int, str]) -> Any:
    """A field's value as the audit entry keeps it (the party's name, not its id)."""
    if name == "party_id":
        return parties.get(value, "") if value is not None else "调解员查明"
    return value


def edit_witness(session: Session, actor: Actor, witness_id: int, data: WitnessInput, *,
                 expected_version: int | None, case_id: int | None = None) -> WitnessInfo:
    """Correct a witness (name, address, phone, who named them, what they can prove).

    ``expected_version`` is the version the form loaded: a witness someone corrected or removed
    meanwhile is a ``Conflict`` (nothing overwritten); ``None`` (the command line) checks nothing.
    ``case_id``: the case the caller means, which the witness must belong to. The audit entry
    keeps each changed field before and after."""
    if case_id is not None:
        versions.lock_case(session, case_id)  # a second desk's correction waits, then conflicts
    try:
        row = _load_witness(session, witness_id, case_id)
    except NotFound:
        if expected_version is not None:
            raise Conflict(WITNESS_STALE) from None
        raise
    case = _writable_case(session, actor, row.case_id, "修改证人", "修改证人")
    versions.check(row.version, expected_version, WITNESS_STALE)
    values = _cleaned(session, case.id, data)
    before = {name: getattr(row, name) for name in values}
    changed = [name for name in WITNESS_FIELDS if values[name] != before[name]]
    if not changed:
        return _info(session, row)
    for name in changed:
        setattr(row, name, values[name])
    versions.flush(session, WITNESS_STALE)
    parties: dict[int, str] = {pid: name for pid, name in session.execute(
        select(Party.id, Party.name).where(Party.case_id == case.id))}
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "witness.edit", "case", case.id, {
        "witness": row.id, "name": row.name,
        "before": {name: _shown(name, before[name], parties) for name in changed},
        "after": {name: _shown(name, values[name], parties) for name in changed}})
    return _info(session, row)


def remove_witness(session: Session, actor: Actor, witness_id: int, *, case_id: int | None = None) -> None:
    row = _load_witness(session, witness_id, case_id)
    _writable_case(session, actor, row.case_id, "删除证人", "删除证人")
    session.delete(row)
    versions.flush(session, WITNESS_STALE)
    changes.note(session, Changes.cases(row.case_id))
    audit.record(session, actor, "witness.remove", "case", row.case_id, {"witness": witness_id, "name": row.name})


def witness_last_write(session: Session, witness_id: int) -> writers.LastWrite:
    """Who saved the witness last and when (the conflict dialog names them)."""
    row = session.get(Witness, witness_id)
    if row is None:
        raise NotFound(f"证人（编号 {witness_id}）不存在。")
    return writers.last_write(session, row.case_id, "witness", row.id, ("witness.add", "witness.edit"),
                              row.updated_at)


def _info(session: Session, row: Witness) -> WitnessInfo:
    named_by = session.scalar(select(Party.name).where(Party.id == row.party_id)) if row.party_id else None
    return WitnessInfo(row.id, row.case_id, row.seq, row.name, row.address, row.phone, row.proves, row.party_id,
                       named_by or "", row.version)


def witnesses_of(session: Session, case_id: int) -> list[WitnessInfo]:
    rows = session.scalars(select(Witness).where(Witness.case_id == case_id).order_by(Witness.seq, Witness.id))
    return [_info(session, row) for row in rows]


def describe_evidence(session: Session, actor: Actor, attachment_id: int, *, source: str,
                      purpose: str, case_id: int | None = None, expected_version: int | None = None) -> int:
    """Say (or correct) where a piece of evidence came from and what it is offered to prove
    (``case_id``: the case the caller means, which the attachment must belong to).

    ``expected_version`` is the description's version the form loaded (0: never described): a
    description someone saved meanwhile is a ``Conflict``; ``None`` (the command line) checks
    nothing. The audit entry keeps what changed, before and after. Returns the new version."""
    row = session.get(Attachment, attachment_id)
    if row is None or (case_id is not None and row.case_id != case_id):
        raise NotFound(f"材料（编号 {attachment_id}）不存在或不属于该案件。")
    _writable_case(session, actor, row.case_id, "说明证据的来源和证明目的", "修改证据的来源和证明目的")
    if row.kind is not AttachmentKind.EVIDENCE:
        raise InvalidInput("attachment", f"材料“{row.filename}”不是证据材料（而是{row.kind.label}），"
                                         "只有证据材料需要说明来源和证明目的。")
    values = {"source": _checked(source, "source", "证据来源", MAX_SOURCE, required=True),
              "purpose": _checked(purpose, "purpose", "证明目的", MAX_PURPOSE, required=True)}
    versions.check(row.evidence_version, expected_version, EVIDENCE_STALE)
    before = {"source": row.evidence_source, "purpose": row.evidence_purpose}
    changed = [name for name in EVIDENCE_FIELDS if values[name] != before[name]]
    if not changed:
        return row.evidence_version
    loaded = row.evidence_version
    # Compare-and-set in one statement: a save that another desk's committed first finds no row.
    done = session.execute(
        update(Attachment).where(Attachment.id == row.id, Attachment.evidence_version == loaded)
        .values(evidence_source=values["source"], evidence_purpose=values["purpose"],
                evidence_version=loaded + 1)
        .execution_options(synchronize_session=False))
    if getattr(done, "rowcount", 1) != 1:
        raise Conflict(EVIDENCE_STALE)
    session.expire(row, ["evidence_source", "evidence_purpose", "evidence_version", "updated_at"])
    changes.note(session, Changes.cases(row.case_id))
    audit.record(session, actor, "evidence.describe", "case", row.case_id, {
        "attachment": row.id, "filename": row.filename,
        "before": {name: before[name] for name in changed}, "after": {name: values[name] for name in changed}})
    return loaded + 1


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
    #: The description's version a correction sends back (0: never described).
    version: int = 0


@dataclass(frozen=True)
class EvidencePage:
    """What the witnesses-and-evidence screen shows for one case."""
    case_id: int
    number: str
    parties: tuple[PartyChoice, ...]
    witnesses: tuple[WitnessInfo, ...]
    evidence: tuple[EvidenceItem, ...]
    #: Whether this user may add, correct and remove here now (casework on a case not finished).
    may_write: bool = True
    #: Why not, when not (Chinese, for the tab's note).
    read_only_reason: str = ""


def evidence_page(session: Session, actor: Actor, case_id: int) -> EvidencePage:
    """The case's witnesses, its parties (who may name one) and its evidence attachments."""
    case = permissions.case_for(session, actor, case_id)
    parties = session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.seq, Party.id))
    attachments = session.scalars(select(Attachment).where(
        Attachment.case_id == case.id, Attachment.kind == AttachmentKind.EVIDENCE).order_by(Attachment.id))
    reason = ""
    if case.state in FINAL_STATES:
        reason = closed_reason(case, "添加、修改或删除证人和证据说明") + "证人和证据可以查看、打印。"
    elif not permissions.may_access_case(actor, case, permissions.CASEWORK_ROLES):
        reason = "只有本案调解团队的调解员和中心主任可以登记、修改证人和证据说明。"
    return EvidencePage(
        case_id=case.id, number=case.number,
        parties=tuple(PartyChoice(p.id, p.name, p.role.label) for p in parties),
        witnesses=tuple(witnesses_of(session, case.id)),
        evidence=tuple(EvidenceItem(a.id, a.filename, a.evidence_source, a.evidence_purpose, a.evidence_version)
                       for a in attachments),
        may_write=not reason, read_only_reason=reason)
