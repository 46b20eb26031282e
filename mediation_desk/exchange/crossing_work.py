"""The work a crossing packet carries (schema version 2, docs/crossings.md "The work").

While a center handles a case only it may write it, so the case's other copies do not change
meanwhile. A packet therefore carries the sending desk's whole state of the case — its fields,
its parties, its timeline, its records (调查记录, 调解记录, sessions held, agreements with their
terms, 终结, 无争议事实, 回访) and its attachments with their files — and the receiving desk applies
it: what is new is added, what changed is updated, what it already holds is left alone (so a
replay changes nothing). A record is found again by its ``uid`` (migration 0039), a term by its
agreement and ``seq``, a party by its place in the case's list, a timeline entry by what it says
(time, action, states, note).

``work.sha256`` is the digest of the carried state (everything but ``sha256``, ``base`` and the
files' member paths), so the receiver checks it and keeps it with the step it records
(``case_crossing.sent_sha256``), beside the digest of its own copy once applied
(``kept_sha256``). ``work.base`` is the digest of the receiver's copy as it last came to the sender
(the sent digest of the latest step the sender imported from the receiver): the receiver refuses
the packet if its copy no longer has that digest — it changed after it let the case go, and
applying the packet would overwrite that change. Without a base (the receiver never sent the
case's work to the sender) its copy must still have the digest it kept when it last imported one.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Agreement,
    AgreementKind,
    AgreementTerm,
    Attachment,
    AttachmentKind,
    CaseCrossing,
    CaseEvent,
    CaseState,
    Center,
    DisputeCase,
    DisputeType,
    EventKind,
    FileBlob,
    InvestigationRecord,
    MediationRecord,
    MediationRoom,
    MediationSession,
    Mediator,
    Party,
    Performance,
    ReturnVisit,
    RiskLevel,
    Satisfaction,
    SessionMediator,
    SessionParty,
    SourceChannel,
    Termination,
    UndisputedFacts,
    VisitMethod,
)
from ..services import clocks
from ..services.actor import Actor
from ..services.attachments import sanitise_filename, store_blob
from ..services.errors import InvalidInput
from .errors import PacketRefused
from .export import party_entry
from .importer import check_parties, dispute_type_for, party_row
from .manifest import check_part, exact_object

#: Derives the uid of a row stored without one (a raw insert): stable for the row in its database.
_ROW_NAMESPACE = uuid.UUID("3b0f6c0e-8d1a-4f57-9c2e-61d8a4b7e0c3")
_UID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: The timeline entries a desk writes about its own imports: not carried.
_LOCAL_ACTIONS = frozenset({"import_crossing"})

# --- what travels ------------------------------------------------------------------------------
# A field's kind: "s:N" text of at most N characters, "t" long text, "b" boolean, "dt"/"d" a
# time/day ("?" nullable), "i:LO:HI" an integer, ("e", Enum) / ("e?", Enum) an enum value,
# "n?" a decimal amount as text.

_TEXT_LIMIT = 100_000
Spec = dict[str, Any]

CASE: Spec = {
    "title": "s:200", "state": ("e", CaseState), "dispute_type": "s:60",
    "source_channel": ("e", SourceChannel), "risk_level": ("e", RiskLevel), "is_group_dispute": "b",
    "may_turn_criminal": "b", "is_major": "b", "may_group_petition": "b", "is_consultation": "b",
    "people_involved": "i:0:1000000", "amount_involved": "n?", "address": "s:200", "village": "s:80",
    "grid": "s:80", "facts": "t", "accepted_at": "dt?", "closed_at": "dt?",
}
INVESTIGATION: Spec = {
    "held_at": "dt", "place": "s:200", "investigators": "s:200", "recorder": "s:60", "interviewee": "s:200",
    "interviewee_relation": "s:100", "content": "t", "signed": "b",
}
MEDIATION: Spec = {
    "held_at": "dt", "place": "s:200", "subject": "s:200", "mediators": "s:200", "recorder": "s:60",
    "participants": "s:300", "parties_present": "s:300", "notice_given": "b", "statements": "t",
    "verification": "t", "outcome": "t", "agreement_reached": "b", "signed": "b",
}
SESSION: Spec = {"starts_at": "dt", "ends_at": "dt", "bring": "t", "note": "t"}
AGREEMENT: Spec = {
    "kind": ("e", AgreementKind), "facts": "t", "disputed_matters": "t", "responsibilities": "t",
    "copies": "i:1:99", "signed_on": "d?", "effective_on": "d?",
}
TERM: Spec = {"content": "t", "amount": "n?", "due_on": "d", "place": "s:200", "method": "s:200"}
TERMINATION: Spec = {"terminated_on": "d", "reason": "t"}
UNDISPUTED: Spec = {"facts": "t", "disputed": "t", "signed": "b", "signed_on": "d?"}
VISIT: Spec = {
    "visited_on": "d", "visitor": "s:60", "parties_visited": "s:200", "method": ("e?", VisitMethod),
    "performance": ("e?", Performance), "satisfaction": ("e?", Satisfaction), "notes": "t",
    "lawsuit": "s:300", "lawsuit_result": "s:300", "hidden_risks": "t", "reopened": "b",
}
ATTACHMENT: Spec = {
    "kind": ("e", AttachmentKind), "filename": "s:255", "media_type": "s:100", "note": "s:200",
    "evidence_source": "s:200", "evidence_purpose": "s:500",
}
EVENT: Spec = {"at": "dt", "kind": ("e", EventKind), "action": "s:40", "from_state": ("e?", CaseState),
               "to_state": ("e?", CaseState), "note": "t"}

#: The plain record lists: key in ``work``, model, fields.
RECORDS: tuple[tuple[str, type[Any], Spec], ...] = (
    ("investigations", InvestigationRecord, INVESTIGATION),
    ("mediations", MediationRecord, MEDIATION),
    ("terminations", Termination, TERMINATION),
    ("undisputed_facts", UndisputedFacts, UNDISPUTED),
    ("visits", ReturnVisit, VISIT),
)
#: Every key of ``work``.
WORK_KEYS = frozenset({"sha256", "base", "case", "requests", "parties", "events", "investigations", "mediations",
                       "sessions", "agreements", "terminations", "undisputed_facts", "visits", "attachments"})
#: What a record list may hold.
MAX_ITEMS = 2000


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(row: Any, spec: Spec) -> dict[str, Any]:
    return {name: _encode(getattr(row, name)) for name in spec if name != "dispute_type"}


def row_uid(table: str, case_number: str, row: Any) -> str:
    """The row's uid, or for a row stored without one a uid derived from where it is."""
    return row.uid or str(uuid.uuid5(_ROW_NAMESPACE, f"{table}/{case_number}/{row.id}"))


def _scalars(session: Session, model: type[Any], case_id: int) -> list[Any]:
    return list(session.scalars(select(model).where(model.case_id == case_id).order_by(model.id)))


def party_ids(session: Session, case_id: int) -> list[int]:
    """The case's parties in their order (a party travels as its place in this list)."""
    return list(session.scalars(select(Party.id).where(Party.case_id == case_id).order_by(Party.seq, Party.id)))


def build(session: Session, case: DisputeCase) -> tuple[dict[str, Any], list[tuple[str, bytes, str]]]:
    """The case's work as a packet carries it (without ``sha256`` and ``base``), and the files it
    names: ``(member path, content, media type)``, one per distinct content."""
    number = case.number
    index = {pid: i for i, pid in enumerate(party_ids(session, case.id))}
    parties = list(session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.seq, Party.id)))
    type_name = session.scalar(select(DisputeType.name).where(DisputeType.id == case.dispute_type_id)) or "其他"
    work: dict[str, Any] = {
        "case": {**_fields(case, CASE), "dispute_type": type_name},
        "requests": list(case.requests or []),
        "parties": [party_entry(p, p.work_unit) for p in parties],
        "events": sorted(
            (_fields(e, EVENT) for e in _scalars(session, CaseEvent, case.id) if e.action not in _LOCAL_ACTIONS),
            key=lambda e: (e["at"], e["action"], e["note"], e["kind"])),
    }
    for key, model, spec in RECORDS:
        work[key] = sorted(({"uid": row_uid(model.__tablename__, number, r), **_fields(r, spec)}
                            for r in _scalars(session, model, case.id)), key=lambda r: r["uid"])
    sessions = []
    for s in _scalars(session, MediationSession, case.id):
        room = session.scalar(select(MediationRoom.name).where(MediationRoom.id == s.room_id)) or ""
        names = [n for n in session.scalars(select(Mediator.name).join(
            SessionMediator, SessionMediator.mediator_id == Mediator.id).where(
            SessionMediator.session_id == s.id).order_by(SessionMediator.id))]
        summoned = [index[p] for p in session.scalars(select(SessionParty.party_id).where(
            SessionParty.session_id == s.id).order_by(SessionParty.id)) if p in index]
        sessions.append({"uid": row_uid("mediation_session", number, s), **_fields(s, SESSION), "room": room,
                         "mediators": names, "parties": summoned,
                         "invited": [[str(n), str(r)] for n, r in (s.invited or [])]})
    work["sessions"] = sorted(sessions, key=lambda r: r["uid"])
    agreements = []
    for a in _scalars(session, Agreement, case.id):
        terms = [{"seq": t.seq, "obligor": index.get(t.obligor_party_id),
                  "obligee": index.get(t.obligee_party_id) if t.obligee_party_id is not None else None,
                  **_fields(t, TERM)} for t in a.terms]
        agreements.append({"uid": row_uid("agreement", number, a), **_fields(a, AGREEMENT), "terms": terms})
    work["agreements"] = sorted(agreements, key=lambda r: r["uid"])
    files: dict[str, tuple[str, bytes, str]] = {}
    attachments = []
    for a in _scalars(session, Attachment, case.id):
        if a.sha256 not in files:
            blob = session.get(FileBlob, a.sha256)
            if blob is None or hashlib.sha256(bytes(blob.content)).hexdigest() != a.sha256:
                raise InvalidInput("attachments", f"附件“{a.filename}”的内容已损坏或缺失，无法导出。")
            files[a.sha256] = (f"work/{len(files) + 1:03d}{_suffix(a.filename)}", bytes(blob.content), a.media_type)
        attachments.append({"uid": row_uid("attachment", number, a), **_fields(a, ATTACHMENT), "sha256": a.sha256,
                            "size": a.size, "party": index.get(a.party_id) if a.party_id is not None else None,
                            "file": files[a.sha256][0]})
    work["attachments"] = sorted(attachments, key=lambda r: r["uid"])
    return work, list(files.values())


def _suffix(filename: str) -> str:
    _stem, dot, extension = filename.rpartition(".")
    return f".{extension.lower()}" if dot and re.fullmatch(r"[A-Za-z0-9]{1,10}", extension) else ""


def digest(work: dict[str, Any]) -> str:
    """The digest of a case's work: everything but ``sha256``, ``base`` and the member paths."""
    plain = {k: v for k, v in work.items() if k not in ("sha256", "base")}
    plain["attachments"] = [{k: v for k, v in a.items() if k != "file"} for a in work.get("attachments", [])]
    text = json.dumps(plain, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_digest(session: Session, case: DisputeCase) -> str:
    return digest(build(session, case)[0])


def base_for(session: Session, case_id: int, receiver_id: int) -> str | None:
    """The receiver's copy as it last came here: the sent digest of the latest step of the case
    imported from the receiver (None if it never sent the case's work here)."""
    return session.scalar(select(CaseCrossing.sent_sha256).where(
        CaseCrossing.case_id == case_id, CaseCrossing.from_center_id == receiver_id,
        CaseCrossing.sent_sha256.is_not(None)).order_by(CaseCrossing.id.desc()).limit(1))


# --- checking a packet's work -------------------------------------------------------------------


def _where(path: str) -> str:
    return f"manifest.json 的 work.{path}"


def _value(value: Any, kind: Any, path: str) -> None:
    if isinstance(kind, tuple):
        form, enum = kind
        if value is None and form == "e?":
            return
        try:
            enum(value if isinstance(value, str) else "")
        except ValueError:
            raise PacketRefused(f"{_where(path)} 的值无效。") from None
        return
    nullable = kind.endswith("?")
    if value is None and nullable:
        return
    base = kind.rstrip("?")
    if base == "b":
        if not isinstance(value, bool):
            raise PacketRefused(f"{_where(path)} 应为 true 或 false。")
    elif base.startswith("i:"):
        _lo, low, high = base.split(":")
        if not isinstance(value, int) or isinstance(value, bool) or not int(low) <= value <= int(high):
            raise PacketRefused(f"{_where(path)} 应为 {low} 到 {high} 的整数。")
    elif base in ("dt", "d"):
        try:
            if not isinstance(value, str) or len(value) > 40:
                raise ValueError
            moment = datetime.fromisoformat(value) if base == "dt" else date.fromisoformat(value)
            if isinstance(moment, datetime) and moment.tzinfo is not None:
                raise ValueError
        except ValueError:
            raise PacketRefused(f"{_where(path)} 不是有效的{'时间' if base == 'dt' else '日期'}。") from None
    elif base == "n":
        try:
            if not isinstance(value, str) or len(value) > 20:
                raise InvalidOperation
            amount = Decimal(value)
            if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 12:
                raise InvalidOperation
        except InvalidOperation:
            raise PacketRefused(f"{_where(path)} 不是有效的金额。") from None
    else:
        limit = _TEXT_LIMIT if base == "t" else int(base.split(":")[1])
        _string(value, path, limit)


def _string(value: Any, path: str, limit: int) -> None:
    if not isinstance(value, str):
        raise PacketRefused(f"{_where(path)} 应为字符串。")
    if len(value) > limit:
        raise PacketRefused(f"{_where(path)} 超过 {limit} 个字符的上限。")
    if _BAD_CHARS.search(value):
        raise PacketRefused(f"{_where(path)} 含有不可用的字符，材料包已损坏或不是本程序生成的。")


def _object(data: Any, path: str, keys: set[str]) -> dict[str, Any]:
    return exact_object(data, _where(path), keys)


def _list(data: Any, path: str, limit: int = MAX_ITEMS) -> list[Any]:
    if not isinstance(data, list) or len(data) > limit:
        raise PacketRefused(f"{_where(path)} 应为数组（至多 {limit} 项）。")
    return data


def _record(data: Any, path: str, spec: Spec, extra: set[str]) -> dict[str, Any]:
    item = _object(data, path, set(spec) | extra)
    for name, kind in spec.items():
        _value(item[name], kind, f"{path}.{name}")
    return item


def _uids(items: list[dict[str, Any]], path: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        uid = item["uid"]
        if not isinstance(uid, str) or not _UID.match(uid):
            raise PacketRefused(f"{_where(f'{path}[{i}].uid')} 应为小写的 UUID。")
        if uid in seen:
            raise PacketRefused(f"{_where(f'{path}[{i}].uid')} 重复出现，拒绝导入。")
        seen.add(uid)


def _party_ref(value: Any, path: str, count: int, *, nullable: bool) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < count:
        raise PacketRefused(f"{_where(path)} 应指向 work.parties 中的一位当事人（0 到 {count - 1}）。")


def check(work: Any, files: dict[str, dict[str, Any]], *, today: date | None = None) -> list[Any]:
    """Check a packet's ``work`` against this version's shape; ``files`` are the listed members by
    path. Returns the parties as intake would save them."""
    _object(work, "", set(WORK_KEYS))
    for key in ("sha256",):
        if not isinstance(work[key], str) or not _SHA.match(work[key]):
            raise PacketRefused(f"{_where(key)} 应为 64 位小写十六进制的 SHA-256。")
    if work["base"] is not None and (not isinstance(work["base"], str) or not _SHA.match(work["base"])):
        raise PacketRefused(f"{_where('base')} 应为 null 或 64 位小写十六进制的 SHA-256。")
    if digest(work) != work["sha256"]:
        raise PacketRefused("manifest.json 中案件办理情况（work）的 SHA-256 与其内容不符：材料包已被改动或损坏，"
                            "拒绝导入。")
    _record(work["case"], "case", CASE, set())
    for i, text in enumerate(_list(work["requests"], "requests", 50)):
        _string(text, f"requests[{i}]", 500)
    parties = _list(work["parties"], "parties", 500)
    if not parties:
        raise PacketRefused(f"{_where('parties')} 应至少有一位当事人。")
    for i, party in enumerate(parties):
        check_part(party, "party", f"work.parties[{i}]")
    checked = check_parties({"parties": parties}, today=today)
    count = len(parties)
    for i, event in enumerate(_list(work["events"], "events", 20000)):
        _record(event, f"events[{i}]", EVENT, set())
    for key, _model, spec in RECORDS:
        items = _list(work[key], key)
        for i, item in enumerate(items):
            _record(item, f"{key}[{i}]", spec, {"uid"})
        _uids(items, key)
    sessions = _list(work["sessions"], "sessions")
    for i, item in enumerate(sessions):
        where = f"sessions[{i}]"
        _record(item, where, SESSION, {"uid", "room", "mediators", "parties", "invited"})
        _string(item["room"], f"{where}.room", 60)
        for j, name in enumerate(_list(item["mediators"], f"{where}.mediators", 50)):
            _string(name, f"{where}.mediators[{j}]", 60)
        for j, ref in enumerate(_list(item["parties"], f"{where}.parties", 500)):
            _party_ref(ref, f"{where}.parties[{j}]", count, nullable=False)
        for j, pair in enumerate(_list(item["invited"], f"{where}.invited", 100)):
            if not isinstance(pair, list) or len(pair) != 2:
                raise PacketRefused(f"{_where(f'{where}.invited[{j}]')} 应为 [姓名, 身份]。")
            for k, text in enumerate(pair):
                _string(text, f"{where}.invited[{j}][{k}]", 100)
        if datetime.fromisoformat(item["ends_at"]) <= datetime.fromisoformat(item["starts_at"]):
            raise PacketRefused(f"{_where(where)} 的结束时间应晚于开始时间。")
    _uids(sessions, "sessions")
    agreements = _list(work["agreements"], "agreements")
    for i, item in enumerate(agreements):
        where = f"agreements[{i}]"
        _record(item, where, AGREEMENT, {"uid", "terms"})
        seqs: set[int] = set()
        for j, term in enumerate(_list(item["terms"], f"{where}.terms", 200)):
            tw = f"{where}.terms[{j}]"
            _record(term, tw, TERM, {"seq", "obligor", "obligee"})
            _value(term["seq"], "i:0:1000", f"{tw}.seq")
            if term["seq"] in seqs:
                raise PacketRefused(f"{_where(tw + '.seq')} 重复出现，拒绝导入。")
            seqs.add(term["seq"])
            _party_ref(term["obligor"], f"{tw}.obligor", count, nullable=False)
            _party_ref(term["obligee"], f"{tw}.obligee", count, nullable=True)
    _uids(agreements, "agreements")
    attachments = _list(work["attachments"], "attachments")
    for i, item in enumerate(attachments):
        where = f"attachments[{i}]"
        _record(item, where, ATTACHMENT, {"uid", "sha256", "size", "party", "file"})
        _party_ref(item["party"], f"{where}.party", count, nullable=True)
        try:
            sanitise_filename(item["filename"])
        except InvalidInput:
            raise PacketRefused(f"{_where(where + '.filename')} 不是可用的文件名。") from None
        listed = files.get(item["file"]) if isinstance(item["file"], str) else None
        if listed is None:
            raise PacketRefused(f"{_where(where + '.file')} 指向清单中没有的文件。")
        if item["sha256"] != listed["sha256"] or item["size"] != listed["size"]:
            raise PacketRefused(f"{_where(where)} 的 SHA-256 或大小与文件“{item['file']}”不符：材料包已被改动或损坏，"
                                "拒绝导入。")
        if item["media_type"] != listed["media_type"]:
            raise PacketRefused(f"{_where(where + '.media_type')} 与文件清单不符，拒绝导入。")
    _uids(attachments, "attachments")
    return checked


# --- applying it ----------------------------------------------------------------------------------


@dataclass
class Applied:
    """What applying a packet's work did at this desk."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, into: dict[str, int], what: str) -> None:
        into[what] = into.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


#: The Chinese name of each kind of thing applied (the import's message and the case's timeline).
LABELS = {
    "case": "案件信息", "party": "当事人", "event": "办理过程记录", "investigations": "调查记录",
    "mediations": "调解记录", "sessions": "调解会", "agreements": "调解协议", "terms": "协议条款",
    "terminations": "调解终结", "undisputed_facts": "无争议事实确认", "visits": "回访记录", "attachments": "附件",
}


def describe(counts: dict[str, int]) -> str:
    return "、".join(f"{LABELS[k]} {n} 项" for k, n in counts.items())


def _decode(value: Any, kind: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, tuple):
        return kind[1](value)
    base = kind.rstrip("?")
    if base == "dt":
        return datetime.fromisoformat(value)
    if base == "d":
        return date.fromisoformat(value)
    if base == "n":
        return Decimal(value)
    return value


def _assign(row: Any, item: dict[str, Any], spec: Spec) -> bool:
    """Set the row's fields from the item; whether anything differed."""
    changed = False
    for name, kind in spec.items():
        if name == "dispute_type":
            continue
        value = _decode(item[name], kind)
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def owned(session: Session, model: type[Any], case: DisputeCase, uid: str, what: str) -> Any:
    """The case's row with this uid, None if there is none; refuses a uid of another case's row."""
    table = model.__tablename__
    row = session.scalar(select(model).where(model.uid == uid))
    if row is None:
        for candidate in session.scalars(select(model).where(model.case_id == case.id, model.uid.is_(None))):
            if row_uid(table, case.number, candidate) == uid:
                candidate.uid = uid
                return candidate
        return None
    if row.case_id != case.id:
        raise PacketRefused(f"材料包中的{what}（{uid}）在本库属于另一个案件，不是案件 {case.number} 的，拒绝导入。")
    return row


def check_unchanged(session: Session, case: DisputeCase, base: str | None, sender: Center, receiver: Center,
                    doing: str) -> None:
    """Refuse if this desk's copy changed after it let the case go (see the module's docstring)."""
    if base is None:
        base = session.scalar(select(CaseCrossing.kept_sha256).where(
            CaseCrossing.case_id == case.id, CaseCrossing.kept_sha256.is_not(None))
            .order_by(CaseCrossing.id.desc()).limit(1))
        if base is None:
            return
    if current_digest(session, case) != base:
        raise PacketRefused(
            f"本库中的案件 {case.number} 在交给“{sender.name}”办理之后又被修改过，与“{sender.name}”办理时所依据的"
            f"案件不一致：导入{doing}会覆盖本库的修改，拒绝导入。请与“{sender.name}”核对案件后，由承办中心重新流转。")


def apply(session: Session, actor: Actor, case: DisputeCase, work: dict[str, Any], parties: list[Any],
          files: dict[str, bytes], sender: Center) -> Applied:
    """Bring the case at this desk to the state the packet carries (adds, updates; removes nothing)."""
    done = Applied()
    fields = dict(work["case"])
    if _assign(case, fields, CASE):
        done.count(done.updated, "case")
    type_id, _name = dispute_type_for(session, fields["dispute_type"])
    if case.dispute_type_id != type_id:
        case.dispute_type_id = type_id
        done.count(done.updated, "case")
    if list(case.requests or []) != work["requests"]:
        case.requests = list(work["requests"])
        done.count(done.updated, "case")
    if "case" in done.updated:
        done.updated["case"] = 1
    # Parties, by their place in the case's list.
    rows = list(session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.seq, Party.id)))
    for i, checked in enumerate(parties):
        fresh = party_row(i, checked)
        if i < len(rows):
            row = rows[i]
            columns = [c.key for c in Party.__table__.columns
                       if c.key not in ("id", "case_id", "seq", "created_at", "updated_at", "repeat_key")]
            if any(getattr(row, c) != getattr(fresh, c) for c in columns):
                for c in columns:
                    setattr(row, c, getattr(fresh, c))
                done.count(done.updated, "party")
        else:
            fresh.seq = (rows[-1].seq + 1 + i - len(rows)) if rows else i
            fresh.case_id = case.id
            session.add(fresh)
            done.count(done.added, "party")
    session.flush()
    pids = party_ids(session, case.id)
    # The timeline, by what each entry says.
    known = {(e.at, e.action, e.note, e.kind, e.from_state, e.to_state) for e in _scalars(session, CaseEvent, case.id)}
    for event in work["events"]:
        values = {name: _decode(event[name], kind) for name, kind in EVENT.items()}
        said = (values["at"], values["action"], values["note"], values["kind"], values["from_state"],
                values["to_state"])
        if said not in known:
            session.add(CaseEvent(case_id=case.id, user_id=None, **values))
            known.add(said)
            done.count(done.added, "event")
    for key, model, spec in RECORDS:
        for item in work[key]:
            row = owned(session, model, case, item["uid"], LABELS[key])
            if row is None:
                row = model(case_id=case.id, uid=item["uid"])
                _assign(row, item, spec)
                session.add(row)
                done.count(done.added, key)
            elif _assign(row, item, spec):
                done.count(done.updated, key)
    for item in work["sessions"]:
        _session(session, case, item, pids, sender, done)
    for item in work["agreements"]:
        _agreement(session, case, item, pids, done)
    for item in work["attachments"]:
        found = owned(session, Attachment, case, item["uid"], LABELS["attachments"])
        party_id = pids[item["party"]] if item["party"] is not None else None
        if found is None:
            content = files[item["file"]]
            store_blob(session, item["sha256"], content)
            found = Attachment(case_id=case.id, uid=item["uid"], sha256=item["sha256"], size=item["size"],
                             party_id=party_id, added_by_id=actor.user_id)
            _assign(found, {**item, "filename": sanitise_filename(item["filename"])}, ATTACHMENT)
            session.add(found)
            done.count(done.added, "attachments")
        else:
            changed = _assign(found, {**item, "filename": sanitise_filename(item["filename"])}, ATTACHMENT)
            if found.party_id != party_id:
                found.party_id, changed = party_id, True
            if changed:
                done.count(done.updated, "attachments")
    session.flush()
    clocks.refresh_clock(session, case)
    return done


def _room(session: Session, name: str, sender: Center) -> int:
    """The sending center's room, kept here as an inactive room of that center (it takes no
    sessions of ours)."""
    label = f"{name or '调解室'}（{sender.name}）"[:60]
    found = session.scalar(select(MediationRoom.id).where(MediationRoom.name == label,
                                                          MediationRoom.center_id == sender.id))
    if found is None:
        room = MediationRoom(name=label, active=False, location=sender.name[:120], center_id=sender.id)
        session.add(room)
        session.flush()
        found = room.id
    return found


def _session(session: Session, case: DisputeCase, item: dict[str, Any], pids: list[int], sender: Center,
             done: Applied) -> None:
    row = owned(session, MediationSession, case, item["uid"], LABELS["sessions"])
    if row is None:
        # Its room and mediators are the sending center's: a room of that name kept inactive here,
        # the mediators among the invited (a mediator row belongs to one database).
        invited = [list(p) for p in item["invited"]] + [[n, f"调解员（{sender.name}）"] for n in item["mediators"]]
        row = MediationSession(case_id=case.id, uid=item["uid"], room_id=_room(session, item["room"], sender),
                               invited=invited)
        _assign(row, item, SESSION)
        session.add(row)
        session.flush()
        for index in dict.fromkeys(item["parties"]):
            session.add(SessionParty(session_id=row.id, case_id=case.id, party_id=pids[index]))
        done.count(done.added, "sessions")
    elif _assign(row, item, SESSION):
        done.count(done.updated, "sessions")


def _agreement(session: Session, case: DisputeCase, item: dict[str, Any], pids: list[int], done: Applied) -> None:
    row = owned(session, Agreement, case, item["uid"], LABELS["agreements"])
    if row is None:
        row = Agreement(case_id=case.id, uid=item["uid"])
        _assign(row, item, AGREEMENT)
        session.add(row)
        done.count(done.added, "agreements")
    elif _assign(row, item, AGREEMENT):
        done.count(done.updated, "agreements")
    by_seq = {t.seq: t for t in row.terms}
    for term in item["terms"]:
        obligor = pids[term["obligor"]]
        obligee = pids[term["obligee"]] if term["obligee"] is not None else None
        found = by_seq.get(term["seq"])
        if found is None:
            found = AgreementTerm(seq=term["seq"], obligor_party_id=obligor, obligee_party_id=obligee)
            _assign(found, term, TERM)
            row.terms.append(found)
            done.count(done.added, "terms")
        else:
            changed = _assign(found, term, TERM)
            if (found.obligor_party_id, found.obligee_party_id) != (obligor, obligee):
                found.obligor_party_id, found.obligee_party_id, changed = obligor, obligee, True
            if changed:
                done.count(done.updated, "terms")
