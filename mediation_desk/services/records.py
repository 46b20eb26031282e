"""调查记录 and 调解记录: entered by the case's mediators, on the timeline, editable until signed."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import changes
from ..changes import Changes
from ..models import CaseEvent, DisputeCase, EventKind, InvestigationRecord, MediationRecord, now
from ..readmodels.records import RecordInfo
from . import audit, permissions, versions, writers
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound
from .workflow import FINAL_STATES
from .writers import LastWrite


@dataclass
class InvestigationInput:
    held_at: datetime
    place: str
    investigators: str
    recorder: str
    interviewee: str
    interviewee_relation: str
    content: str


@dataclass
class MediationRecordInput:
    held_at: datetime
    place: str
    subject: str
    mediators: str
    recorder: str
    participants: str
    parties_present: str
    notice_given: bool
    statements: str
    verification: str
    outcome: str
    agreement_reached: bool


_REQUIRED = {
    "investigation": {"place": "调查地点", "investigators": "调查人", "interviewee": "被调查人", "content": "调查内容"},
    "mediation": {"place": "调解地点", "mediators": "调解员", "parties_present": "到场当事人", "statements": "各方陈述",
                  "outcome": "调解结果"},
}


def _may_write(session: Session, actor: Actor, case_id: int) -> DisputeCase:
    case = permissions.case_for(session, actor, case_id, "填写调查或调解记录", permissions.CASEWORK_ROLES)
    if case.state in FINAL_STATES:
        raise InvalidInput("case", f"案件 {case.number} 已{case.state.label}，不能再添加或修改记录。")
    return case


def _check(kind: str, data: InvestigationInput | MediationRecordInput) -> None:
    for name, label in _REQUIRED[kind].items():
        if not str(getattr(data, name)).strip():
            raise InvalidInput(name, f"请填写{label}。")
    if data.held_at > now():
        raise InvalidInput("held_at", "记录时间不能晚于现在。")
    if isinstance(data, MediationRecordInput) and not data.notice_given:
        raise InvalidInput("notice_given", "调解前须告知当事人权利义务，请确认已告知。")


#: Roughly how much of a record's text its one-line summary carries (whole sentences only).
SUMMARY_CHARS = 60
_SENTENCE_END = re.compile(r"[。！？；!?;](?:[”’」』）)])*")


def sentences_upto(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentences of ``text`` that fit in about ``limit`` characters, cut only where a
    sentence ends ("。！？；"): the first sentence whole however long, never "可以依法向人"."""
    text = " ".join(text.split())
    cut = 0
    for match in _SENTENCE_END.finditer(text):
        if cut and match.end() > limit:
            break
        cut = match.end()
    return text[:cut] if cut else text


def _info(kind: str, row: InvestigationRecord | MediationRecord) -> RecordInfo:
    if isinstance(row, InvestigationRecord):
        names = [f.name for f in fields(InvestigationInput)]
        summary = f"调查 {row.interviewee}：{sentences_upto(row.content)}"
    else:
        names = [f.name for f in fields(MediationRecordInput)]
        summary = f"调解（{row.parties_present}）：{sentences_upto(row.outcome)}"
    return RecordInfo(kind, row.id, row.case_id, row.held_at, row.place, summary, row.signed, row.version,
                      {n: getattr(row, n) for n in names})


def add_investigation(session: Session, actor: Actor, case_id: int, data: InvestigationInput) -> RecordInfo:
    _may_write(session, actor, case_id)
    _check("investigation", data)
    row = InvestigationRecord(case_id=case_id, author_id=actor.user_id,
                              **{f.name: _clean(getattr(data, f.name)) for f in fields(data)})
    return _added(session, actor, "investigation", row, f"调查记录：询问{row.interviewee}")


def add_mediation_record(session: Session, actor: Actor, case_id: int, data: MediationRecordInput) -> RecordInfo:
    _may_write(session, actor, case_id)
    _check("mediation", data)
    row = MediationRecord(case_id=case_id, author_id=actor.user_id,
                          **{f.name: _clean(getattr(data, f.name)) for f in fields(data)})
    return _added(session, actor, "mediation", row, f"调解记录：{row.place}，{row.outcome[:30]}")


def _clean(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _added(session: Session, actor: Actor, kind: str, row: InvestigationRecord | MediationRecord,
           note: str) -> RecordInfo:
    session.add(row)
    session.flush()
    session.add(CaseEvent(case_id=row.case_id, at=now(), user_id=actor.user_id, kind=EventKind.RECORD,
                          action=f"{kind}_record", note=note))
    changes.note(session, Changes.cases(row.case_id))
    audit.record(session, actor, f"record.add_{kind}", "case", row.case_id, {"record": row.id})
    return _info(kind, row)


def _load(session: Session, kind: str, record_id: int) -> InvestigationRecord | MediationRecord:
    row: InvestigationRecord | MediationRecord | None = (
        session.get(InvestigationRecord, record_id) if kind == "investigation"
        else session.get(MediationRecord, record_id)
    )
    if row is None:
        raise NotFound("记录不存在。")
    return row


def update_record(session: Session, actor: Actor, kind: str, record_id: int,
                  data: InvestigationInput | MediationRecordInput, *, expected_version: int) -> RecordInfo:
    row = _load(session, kind, record_id)
    _may_write(session, actor, row.case_id)
    if row.signed:
        raise InvalidInput("signed", "记录已签名确认，不能再修改；如需更正，请另做补充记录。")
    if row.version != expected_version:
        raise Conflict("这份记录已被他人修改。请重新打开后再编辑。")
    _check(kind, data)
    for f in fields(data):
        setattr(row, f.name, _clean(getattr(data, f.name)))
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("这份记录刚被他人修改，本次修改未保存。") from None
    changes.note(session, Changes.cases(row.case_id))
    audit.record(session, actor, f"record.update_{kind}", "case", row.case_id, {"record": row.id})
    return _info(kind, row)


def sign_record(session: Session, actor: Actor, kind: str, record_id: int, *,
                expected_version: int | None = None) -> RecordInfo:
    """The participants signed the printed record: from now on it is evidence and cannot change.

    ``expected_version`` is the version the desk showed (the text the participants signed): a change
    saved meanwhile is a ``Conflict``. ``None`` (the command line) checks nothing.

    Its PDF is rendered and kept now, in this transaction (``services.printing``): the document of
    record, which every later print, the dossier and a transfer packet use."""
    from . import printing  # renders with reportlab: loaded when a record is signed, not at start

    row = _load(session, kind, record_id)
    _may_write(session, actor, row.case_id)
    if row.signed:
        raise InvalidInput("signed", "记录已签名确认。")
    versions.check(row.version, expected_version,
                   "这份记录已被他人修改，与打开时不同，本次未登记签名。请核对签名的文本后再确认。")
    row.signed = True
    versions.flush(session, "这份记录刚被他人修改或签名确认，本次未登记签名。请刷新后核对。")
    info = _info(kind, row)
    document = printing.keep_signed_record(session, actor, info)
    changes.note(session, Changes.cases(row.case_id))
    audit.record(session, actor, f"record.sign_{kind}", "case", row.case_id,
                 {"record": row.id, "pdf_sha256": document.sha256})
    return info


def records_of(session: Session, case_id: int) -> list[RecordInfo]:
    rows: list[RecordInfo] = [
        _info("investigation", r)
        for r in session.scalars(select(InvestigationRecord).where(InvestigationRecord.case_id == case_id))
    ]
    rows += [_info("mediation", r)
             for r in session.scalars(select(MediationRecord).where(MediationRecord.case_id == case_id))]
    return sorted(rows, key=lambda r: (r.held_at, r.kind, r.id))


def last_write(session: Session, kind: str, record_id: int) -> LastWrite:
    """Who saved the record last and when (the conflict dialog names them)."""
    row = _load(session, kind, record_id)
    return writers.last_write(session, row.case_id, "record", row.id,
                              [f"record.{verb}_{kind}" for verb in ("add", "update", "sign")], row.updated_at)
