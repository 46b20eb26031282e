"""Crossing packets: a step between centers (上报 / 交办 / 回退 / 反馈) carried on a file between a
township desk that stays offline (its own SQLite) and the county (docs/crossings.md, "Offline
townships").

A crossing packet is a ZIP like a transfer packet (docs/transfer-packet.md): ``manifest.json``
(format ``mediation-desk/crossing-packet``, its own ``schema_version``) and the materials the step
sends (``materials/NNN.ext``), each listed with its size and SHA-256. It is verified as a transfer
packet is — the same ZIP checks (``importer.read_members``), the same JSON reading, the case and its
parties against the transfer schema's own definitions and the intake checks — before anything is
written.

The step keeps its ``uid`` on both sides: the receiving desk records it through
``services.crossings`` with the same uid and with the sending center as the acting center, so a
packet imported twice records one step and changes nothing the second time. A center is named by
its case-number prefix (unique, the same in every database of a county). A case keeps one identity,
its number: a 上报 or 交办 packet carries the whole case (its fields and parties) and the receiving
desk creates its copy under the same number, center, year and sequence; a later packet of the same
case finds it by that number.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import __version__
from ..db import Database
from ..files import TargetRefused, atomic_output, check_target
from ..models import (
    Attachment,
    AttachmentKind,
    CaseCrossing,
    CaseEvent,
    CaseState,
    Center,
    CrossingKind,
    DisputeCase,
    EventKind,
    FileBlob,
    Party,
    RiskLevel,
    SourceChannel,
    now,
)
from ..services import audit, clocks, crossings, permissions
from ..services.actor import Actor
from ..services.attachments import sanitise_filename, store_blob
from ..services.errors import InvalidInput, NotFound, PermissionDenied
from ..services.numbering import reserve_through
from . import crossing_work
from .errors import PacketRefused
from .export import party_entry
from .importer import PacketLimits, check_media_type, check_parties, dispute_type_for, party_row, read_members
from .manifest import MANIFEST_NAME, check_member_name, check_part, exact_object, load_json, name_key

FORMAT = "mediation-desk/crossing-packet"
#: The version this desk writes and the versions it reads (version 1: the step alone, without
#: the case's work and without 联办).
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
#: The steps a version-1 packet carries.
KINDS_V1 = {CrossingKind.REPORT_UP, CrossingKind.ASSIGN_DOWN, CrossingKind.RETURN, CrossingKind.FEEDBACK}
#: The steps a packet carries.
KINDS = KINDS_V1 | {CrossingKind.CO_HANDLE}
#: The steps that hand a case over (or, 联办, show it to a co-handler): their packet carries the
#: whole case, so a desk that does not hold it creates its copy.
CARRY_CASE = {CrossingKind.REPORT_UP, CrossingKind.ASSIGN_DOWN, CrossingKind.CO_HANDLE}
#: The deepest nesting of a crossing manifest: manifest → work → parties → a party → its agent, or
#: manifest → work → sessions → a session → its invited → one [name, role].
MAX_DEPTH = 6
#: A crossing packet is small (a step and a few materials): held in memory while checked.
LIMITS = PacketLimits(max_packet_bytes=512 * 1024 * 1024, max_total_bytes=512 * 1024 * 1024)

_UID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class CrossingExport:
    path: Path
    packet_id: str
    sha256: str
    size: int
    kind: CrossingKind
    case_number: str
    materials: int
    #: The case's attachments the packet carries with its work (version 2).
    attachments: int = 0


@dataclass(frozen=True)
class CrossingImport:
    step: crossings.CrossingInfo
    created_case: bool
    replayed: bool
    #: The work the packet brought (version 2): what was added and what was updated here, in
    #: Chinese ("调查记录 1 项、附件 2 项"); empty when it changed nothing or carried none.
    work_added: str = ""
    work_updated: str = ""

    @property
    def message(self) -> str:
        s = self.step
        if self.replayed:
            return (f"该流转材料包（流转编号 {s.uid}）此前已导入：案件 {s.case_number} 的"
                    f"{s.kind.label}已记录，本次未作任何更改。")
        made = "，已在本库建立该案件（案号不变）" if self.created_case else ""
        work = ""
        if self.work_added or self.work_updated:
            parts = ([f"新增{self.work_added}"] if self.work_added else []) + (
                [f"更新{self.work_updated}"] if self.work_updated else [])
            work = f"；带来的办理情况：{'；'.join(parts)}"
        return (f"已导入流转材料包：案件 {s.case_number} {s.kind.label} {s.from_center} → {s.to_center}"
                f"{made}{work}。")


# --------------------------------------------------------------------------- export


def _iso(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.replace(microsecond=0).isoformat(timespec="seconds")
    return moment.isoformat()


def _case_fields(session: Session, case: DisputeCase) -> dict[str, Any]:
    from ..models import DisputeType

    type_name = session.scalar(select(DisputeType.name).where(DisputeType.id == case.dispute_type_id)) or "其他"
    return {
        "number": case.number, "title": case.title, "dispute_type": type_name,
        "source_channel": str(case.source_channel), "risk_level": str(case.risk_level),
        "is_group_dispute": case.is_group_dispute, "may_turn_criminal": case.may_turn_criminal,
        "people_involved": case.people_involved,
        "amount_involved": str(case.amount_involved) if case.amount_involved is not None else None,
        "address": case.address, "village": case.village, "grid": case.grid,
        "received_at": _iso(case.received_at), "accepted_at": _iso(case.accepted_at),
        "facts": case.facts, "requests": list(case.requests or []),
    }


def _center_ref(session: Session, center_id: int) -> dict[str, str]:
    center = session.get(Center, center_id)
    if center is None:
        raise NotFound(f"中心（编号 {center_id}）不存在。")
    return {"prefix": center.prefix, "name": center.name}


def _suffix(filename: str) -> str:
    _stem, dot, extension = filename.rpartition(".")
    return f".{extension.lower()}" if dot and re.fullmatch(r"[A-Za-z0-9]{1,10}", extension) else ""


def export_crossing(database: Database, actor: Actor, uid: str, *, out: Path) -> CrossingExport:
    """Write the packet of the step ``uid`` (taken at this desk by the actor's center) to ``out``."""
    out = Path(out)
    if out.exists() and out.is_dir():
        raise InvalidInput("out", f"“{out}”是一个文件夹，请选择要保存的文件名。")
    if not out.parent.is_dir():
        raise InvalidInput("out", f"目录“{out.parent}”不存在。")
    try:
        check_target(out, what="流转材料包文件")
    except TargetRefused as refused:
        raise InvalidInput("out", refused.message) from None
    permissions.require_role(actor, crossings.STEP_ROLES, "导出流转材料包")
    created = now()
    packet_id = str(uuid.uuid4())
    with database.read() as session:
        step = session.scalar(select(CaseCrossing).where(CaseCrossing.uid == uid.strip().lower()))
        if step is None:
            raise InvalidInput("step", f"本库没有流转编号为 {uid} 的流转步骤。")
        if step.kind not in KINDS:
            raise InvalidInput("step", f"流转编号 {uid} 是{step.kind.label}，不用材料包。")
        if step.department_id is not None:
            raise InvalidInput("step", f"流转编号 {uid} 是交办给驻点部门的，驻点部门就在本中心，不用材料包。")
        if not permissions.is_system(actor) and step.from_center_id != actor.center_id:
            raise PermissionDenied(f"流转编号 {uid} 不是本中心发出的，只有发出的中心才能导出它的材料包。")
        case = session.get(DisputeCase, step.case_id)
        assert case is not None
        parent_uid = None
        if step.parent_id is not None:
            parent_uid = session.scalar(select(CaseCrossing.uid).where(CaseCrossing.id == step.parent_id))
        ids = json.loads(step.materials or "[]")
        attachments = list(session.scalars(select(Attachment).where(
            Attachment.case_id == case.id, Attachment.id.in_(ids)).order_by(Attachment.id))) if ids else []
        # The case's work travels with every step but a co-handler's 反馈 (a co-handler reads
        # the case, the lead center writes it): files under work/, the step's materials naming them.
        parent_kind = (session.scalar(select(CaseCrossing.kind).where(CaseCrossing.id == step.parent_id))
                       if step.parent_id is not None else None)
        answers_co_handle = parent_kind is CrossingKind.CO_HANDLE
        work: dict[str, Any] | None = None
        members: list[tuple[str, bytes, str]] = []
        if not answers_co_handle:
            work, members = crossing_work.build(session, case)
            work["sha256"] = crossing_work.digest(work)
            work["base"] = crossing_work.base_for(session, case.id, step.to_center_id)
        by_digest = {hashlib.sha256(content).hexdigest(): path for path, content, _media in members}
        contents: list[tuple[str, bytes, Attachment]] = []
        for index, a in enumerate(attachments, start=1):
            if a.sha256 in by_digest:
                contents.append((by_digest[a.sha256], b"", a))
                continue
            blob = session.get(FileBlob, a.sha256)
            if blob is None or hashlib.sha256(bytes(blob.content)).hexdigest() != a.sha256:
                raise InvalidInput("materials", f"材料“{a.filename}”的内容已损坏或缺失，无法导出。")
            contents.append((f"materials/{index:03d}{_suffix(a.filename)}", bytes(blob.content), a))
        carried = set(by_digest.values())
        written = [(path, content, a.media_type) for path, content, a in contents if path not in carried]
        written += members
        parties = list(session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.seq, Party.id)))
        carries = step.kind in CARRY_CASE
        manifest: dict[str, Any] = {
            "format": FORMAT, "schema_version": SCHEMA_VERSION, "packet_id": packet_id,
            "created_at": _iso(created), "generator": f"矛调工作台 {__version__}",
            "step": {
                "kind": step.kind.value, "uid": step.uid, "parent_uid": parent_uid,
                "from_center": _center_ref(session, step.from_center_id),
                "to_center": _center_ref(session, step.to_center_id),
                "reason": step.reason, "working_days": step.working_days, "due_on": _iso(step.due_on),
                "created_at": _iso(step.created_at), "created_by": step.created_by_name or "",
            },
            "case_ref": {"number": case.number, "center": _center_ref(session, case.center_id)["prefix"],
                         "year": case.year, "seq": case.seq, "state": str(case.state)},
            "case": _case_fields(session, case) if carries else None,
            "parties": [party_entry(p, p.work_unit) for p in parties] if carries else [],
            "materials": [{"file": path, "filename": a.filename, "kind": str(a.kind), "note": a.note}
                          for path, _content, a in contents],
            "files": [{"path": path, "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
                       "media_type": media} for path, content, media in written],
            "work": work,
        }
    stamp = (created.year, created.month, created.day, created.hour, created.minute, created.second)
    digest = hashlib.sha256()
    with atomic_output(out, what="out") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
        for path, content, media in written:
            info = zipfile.ZipInfo(path, date_time=stamp)
            # As in a transfer packet: what is compressed already (PDFs, scans) is stored.
            info.compress_type = (zipfile.ZIP_STORED if media == "application/pdf"
                                  or media.startswith("image/") else zipfile.ZIP_DEFLATED)
            zf.writestr(info, content)
        info = zipfile.ZipInfo(MANIFEST_NAME, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    data = out.read_bytes()
    digest.update(data)
    return CrossingExport(out, packet_id, digest.hexdigest(), len(data), step.kind, case.number, len(contents),
                          attachments=len(work["attachments"]) if work is not None else 0)


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class VerifiedCrossing:
    manifest: dict[str, Any]
    kind: CrossingKind
    files: dict[str, bytes]
    parties: tuple[Any, ...]
    #: The parties of the work (version 2, when it carries the case's work), as intake saves them.
    work_parties: tuple[Any, ...] = ()

    @property
    def work(self) -> dict[str, Any] | None:
        work: dict[str, Any] | None = self.manifest.get("work")
        return work


def _where(path: str) -> str:
    return f"manifest.json 的 {path}"


def _text(data: dict[str, Any], key: str, path: str, *, limit: int, required: bool = True) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise PacketRefused(f"{_where(path + key)} 应为字符串。")
    if required and not value.strip():
        raise PacketRefused(f"{_where(path + key)} 不能为空。")
    if len(value) > limit:
        raise PacketRefused(f"{_where(path + key)} 超过 {limit} 个字符的上限。")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]", value):
        raise PacketRefused(f"{_where(path + key)} 含有不可用的字符，材料包已损坏或不是本程序生成的。")
    return value


def _object(data: Any, path: str, keys: set[str]) -> dict[str, Any]:
    return exact_object(data, _where(path), keys)


def _moment(value: Any, path: str) -> datetime:
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:  # China local time, no zone, as in a transfer packet
            raise ValueError
        return moment
    except ValueError:
        raise PacketRefused(f"{_where(path)} 不是有效的时间。") from None


def _int(value: Any, path: str, low: int, high: int, *, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise PacketRefused(f"{_where(path)} 应为 {low} 到 {high} 的整数。")
    return value


_TOP = {"format", "schema_version", "packet_id", "created_at", "generator", "step", "case_ref", "case", "parties",
        "materials", "files"}
_STEP = {"kind", "uid", "parent_uid", "from_center", "to_center", "reason", "working_days", "due_on", "created_at",
         "created_by"}


def _check_manifest(data: Any) -> CrossingKind:
    if not isinstance(data, dict):
        raise PacketRefused("manifest.json 的内容应为一个 JSON 对象。")
    if data.get("format") != FORMAT:
        raise PacketRefused(f"这不是矛调工作台的流转材料包：manifest.json 的 format 应为“{FORMAT}”。")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 10**6:
        raise PacketRefused("manifest.json 缺少有效的 schema_version（清单版本号）。")
    if version not in READABLE_VERSIONS:
        readable = "、".join(str(v) for v in READABLE_VERSIONS)
        raise PacketRefused(f"不支持的流转材料包版本 {version}：本程序只能导入第 {readable} 版的流转材料包。"
                            + ("请升级矛调工作台后再导入。" if version > SCHEMA_VERSION else ""))
    _object(data, "", _TOP | ({"work"} if version >= 2 else set()))
    if not isinstance(data["packet_id"], str) or not _UID.match(data["packet_id"]):
        raise PacketRefused(f"{_where('packet_id')} 应为小写的 UUID。")
    _moment(data["created_at"], "created_at")
    _text(data, "generator", "", limit=100)
    step = _object(data["step"], "step", _STEP)
    try:
        kind = CrossingKind(step["kind"]) if isinstance(step["kind"], str) else None
    except ValueError:
        kind = None
    if kind not in (KINDS if version >= 2 else KINDS_V1):
        raise PacketRefused(f"{_where('step.kind')} 的值无效（应为 report_up、assign_down、return、feedback"
                            + ("或 co_handle 之一）。" if version >= 2 else " 之一；联办自第 2 版起才能携带）。"))
    assert kind is not None
    for key in ("uid", "parent_uid"):
        value = step[key]
        if value is None and key == "parent_uid" and kind in CARRY_CASE:
            continue
        if not isinstance(value, str) or not _UID.match(value):
            raise PacketRefused(f"{_where('step.' + key)} 应为小写的 UUID（流转编号）。")
    if kind in CARRY_CASE and step["parent_uid"] is not None:
        raise PacketRefused(f"{_where('step.parent_uid')} 应为 null（{kind.label}不答复其他步骤）。")
    for key in ("from_center", "to_center"):
        ref = _object(step[key], f"step.{key}", {"prefix", "name"})
        _text(ref, "prefix", f"step.{key}.", limit=40)
        _text(ref, "name", f"step.{key}.", limit=80)
    _text(step, "reason", "step.", limit=4000)
    _text(step, "created_by", "step.", limit=60, required=False)
    _moment(step["created_at"], "step.created_at")
    if kind in (CrossingKind.ASSIGN_DOWN, CrossingKind.CO_HANDLE):
        _int(step["working_days"], "step.working_days", 1, 1098)
        try:
            date.fromisoformat(step["due_on"] if isinstance(step["due_on"], str) else "")
        except ValueError:
            raise PacketRefused(f"{_where('step.due_on')} 不是有效的日期。") from None
    elif step["working_days"] is not None or step["due_on"] is not None:
        raise PacketRefused(f"{_where('step.working_days')} 和 due_on 只属于交办和联办，{kind.label}应为 null。")
    ref = _object(data["case_ref"], "case_ref", {"number", "center", "year", "seq", "state"})
    _text(ref, "number", "case_ref.", limit=60)
    _text(ref, "center", "case_ref.", limit=40)
    _int(ref["year"], "case_ref.year", 1949, 9999)
    _int(ref["seq"], "case_ref.seq", 1, 10**9)
    try:
        CaseState(ref["state"] if isinstance(ref["state"], str) else "")
    except ValueError:
        raise PacketRefused(f"{_where('case_ref.state')} 的值无效。") from None
    if kind in CARRY_CASE:
        check_part(data["case"], "case", "case")
        if data["case"]["number"] != ref["number"]:
            raise PacketRefused(f"{_where('case.number')} 与 case_ref.number 不一致。")
        parties = data["parties"]
        if not isinstance(parties, list) or not 1 <= len(parties) <= 500:
            raise PacketRefused(f"{_where('parties')} 应为 1 到 500 位当事人。")
        for index, party in enumerate(parties):
            check_part(party, "party", f"parties[{index}]")
    elif data["case"] is not None or data["parties"] != []:
        raise PacketRefused(f"{_where('case')} 只在上报、交办和联办时携带（{kind.label}应为 null，parties 为空）。")
    for key in ("materials", "files"):
        if not isinstance(data[key], list) or len(data[key]) > 500:
            raise PacketRefused(f"{_where(key)} 应为数组（至多 500 项）。")
    for index, item in enumerate(data["files"]):
        check_part(item, "file", f"files[{index}]")
    for index, item in enumerate(data["materials"]):
        where = f"materials[{index}]"
        _object(item, where, {"file", "filename", "kind", "note"})
        _text(item, "file", where + ".", limit=200)
        _text(item, "filename", where + ".", limit=255)
        _text(item, "note", where + ".", limit=200, required=False)
        try:
            AttachmentKind(item["kind"] if isinstance(item["kind"], str) else "")
            sanitise_filename(item["filename"])
        except (ValueError, InvalidInput):
            raise PacketRefused(f"{_where(where)} 的 kind 或 filename 无效。") from None
    return kind


def verify_crossing(path: Path, *, today: date | None = None) -> VerifiedCrossing:
    """Check everything about the crossing packet at ``path``; ``PacketRefused`` says what is wrong.
    Reads the file and nothing else."""
    raw, members = read_members(Path(path), LIMITS)
    data = load_json(raw, depth=MAX_DEPTH)
    kind = _check_manifest(data)
    listed: dict[str, dict[str, Any]] = {}
    for item in data["files"]:
        check_member_name(item["path"])
        if name_key(item["path"]) in {name_key(p) for p in listed} or item["path"] == MANIFEST_NAME:
            raise PacketRefused(f"manifest.json 的文件清单中“{item['path']}”出现了两次，拒绝导入。")
        listed[item["path"]] = item
    for name in members:
        if name not in listed:
            raise PacketRefused(f"材料包中有清单未列出的文件“{name}”，可能被夹带或改动，拒绝导入。")
    for name, item in listed.items():
        content = members.get(name)
        if content is None:
            raise PacketRefused(f"材料包中缺少清单所列的文件“{name}”，材料不完整，拒绝导入。")
        if len(content) != item["size"] or hashlib.sha256(content).hexdigest() != item["sha256"]:
            raise PacketRefused(f"文件“{name}”的大小或 SHA-256 校验值与清单不符：文件已被改动或损坏，拒绝导入。")
        check_media_type(name, item["media_type"], content[:4096])
    for index, item in enumerate(data["materials"]):
        if item["file"] not in listed:
            raise PacketRefused(f"manifest.json 的 materials[{index}].file 指向清单中没有的文件“{item['file'][:80]}”。")
    parties = tuple(check_parties(data, today=today)) if kind in CARRY_CASE else ()
    work_parties: tuple[Any, ...] = ()
    if data.get("work") is not None:
        work_parties = tuple(crossing_work.check(data["work"], listed, today=today))
    elif data["schema_version"] >= 2 and kind is not CrossingKind.FEEDBACK:
        raise PacketRefused(f"{_where('work')} 缺失：第 2 版的{kind.label}材料包应携带案件的办理情况。")
    return VerifiedCrossing(data, kind, members, parties, work_parties)


# --------------------------------------------------------------------------- import


def _by_prefix(session: Session, prefix: str, what: str) -> Center:
    center = session.scalar(select(Center).where(Center.prefix == prefix))
    if center is None:
        raise PacketRefused(f"材料包的{what}（案号前缀“{prefix[:40]}”）不是本库登记的中心，拒绝导入。"
                            "请先在本库设置上下级中心（前缀须与县级服务器上一致）。")
    return center


def _create_case(session: Session, actor: Actor, data: dict[str, Any], parties: tuple[Any, ...],
                 center: Center) -> DisputeCase:
    ref, fields = data["case_ref"], data["case"]
    taken = session.scalar(select(DisputeCase.id).where(
        DisputeCase.center_id == center.id, DisputeCase.year == ref["year"], DisputeCase.seq == ref["seq"]))
    if taken is not None:
        raise PacketRefused(f"本库中“{center.name}”{ref['year']} 年第 {ref['seq']} 号已是另一个案件，"
                            f"无法按原案号 {ref['number']} 建立案件，拒绝导入。")
    type_id, _name = dispute_type_for(session, fields["dispute_type"])
    moment = now()
    case = DisputeCase(
        center_id=center.id, number=ref["number"], year=ref["year"], seq=ref["seq"], title=fields["title"],
        state=CaseState(ref["state"]), dispute_type_id=type_id, source_channel=SourceChannel(fields["source_channel"]),
        risk_level=RiskLevel(fields["risk_level"]), is_group_dispute=fields["is_group_dispute"],
        may_turn_criminal=fields["may_turn_criminal"], people_involved=fields["people_involved"],
        amount_involved=Decimal(fields["amount_involved"]) if fields["amount_involved"] is not None else None,
        address=fields["address"], village=fields["village"], grid=fields["grid"], facts=fields["facts"],
        requests=list(fields["requests"]), received_at=datetime.fromisoformat(fields["received_at"]),
        accepted_at=datetime.fromisoformat(fields["accepted_at"]) if fields["accepted_at"] else None,
        origin=f"crossing:{ref['number']}"[:200])
    for index, party in enumerate(parties):
        case.parties.append(party_row(index, party))
    step = data["step"]
    case.events.append(CaseEvent(
        at=moment, user_id=actor.user_id, kind=EventKind.NOTE, action="import_crossing",
        note=f"由流转材料包建立（{step['from_center']['name']}，原案号 {ref['number']}，"
             f"原登记于 {fields['received_at'][:10]}）"))
    session.add(case)
    session.flush()
    reserve_through(session, ref["year"], ref["seq"], center.id)
    clocks.refresh_clock(session, case)
    return case


def _materials(session: Session, actor: Actor, case: DisputeCase, verified: VerifiedCrossing) -> list[int]:
    ids = []
    carried = {(a["file"], a["filename"]): a["uid"] for a in (verified.work or {}).get("attachments", [])}
    for item in verified.manifest["materials"]:
        content = verified.files[item["file"]]
        digest = hashlib.sha256(content).hexdigest()
        filename = sanitise_filename(item["filename"])
        uid = carried.get((item["file"], item["filename"]))
        if uid is not None:  # version 2: the material is one of the case's attachments the work carries
            known = crossing_work.owned(session, Attachment, case, uid, "附件")
            found = known.id if known is not None else None
        else:
            found = session.scalar(select(Attachment.id).where(
                Attachment.case_id == case.id, Attachment.sha256 == digest, Attachment.filename == filename).limit(1))
        if found is None:
            media = next(f["media_type"] for f in verified.manifest["files"] if f["path"] == item["file"])
            store_blob(session, digest, content)
            attachment = Attachment(case_id=case.id, kind=AttachmentKind(item["kind"]), filename=filename,
                                    media_type=media, sha256=digest, size=len(content), note=item["note"][:200],
                                    added_by_id=actor.user_id, **({"uid": uid} if uid else {}))
            session.add(attachment)
            session.flush()
            found = attachment.id
        ids.append(found)
    return ids


def _check_centers(session: Session, actor: Actor, kind: CrossingKind, sender: Center, receiver: Center) -> None:
    if not permissions.is_system(actor) and receiver.id != actor.center_id:
        raise PacketRefused(f"该流转材料包是发给“{receiver.name}”的，不是本中心的，拒绝导入。")
    up = sender.parent_id == receiver.id
    down = receiver.parent_id == sender.id
    if kind is CrossingKind.REPORT_UP and not up:
        raise PacketRefused(f"“{sender.name}”不是“{receiver.name}”的下级中心，它的上报不能记入本库，拒绝导入。")
    if kind in (CrossingKind.ASSIGN_DOWN, CrossingKind.CO_HANDLE) and not down:
        raise PacketRefused(f"“{sender.name}”不是“{receiver.name}”的上级中心，它的{kind.label}不能记入本库，拒绝导入。")
    if not (up or down):
        raise PacketRefused(f"“{sender.name}”既不是“{receiver.name}”的上级也不是下级中心，拒绝导入。")


def record_crossing(session: Session, actor: Actor, verified: VerifiedCrossing) -> CrossingImport:
    """Write the verified step in ``session``'s transaction (or find it recorded: nothing changes)."""
    permissions.require_role(actor, crossings.STEP_ROLES, "导入流转材料包")
    data, kind = verified.manifest, verified.kind
    step, ref = data["step"], data["case_ref"]
    sender = _by_prefix(session, step["from_center"]["prefix"], "发出中心")
    receiver = _by_prefix(session, step["to_center"]["prefix"], "接收中心")
    _check_centers(session, actor, kind, sender, receiver)
    earlier = session.scalar(select(CaseCrossing).where(CaseCrossing.uid == step["uid"]))
    if earlier is not None:
        if earlier.kind is not kind or earlier.case_number != ref["number"]:
            raise PacketRefused(f"流转编号 {step['uid']} 在本库已用于案件 {earlier.case_number} 的另一步"
                                f"（{earlier.kind.label}），拒绝导入。")
        return CrossingImport(_info(session, earlier), False, True)
    case = session.scalar(select(DisputeCase).where(DisputeCase.number == ref["number"]))
    created = False
    case_center = _by_prefix(session, ref["center"], "案件所属中心")
    work = verified.work
    if case is None:
        if kind not in CARRY_CASE:
            raise PacketRefused(f"本库中没有案件 {ref['number']}，无法记录它的{kind.label}，拒绝导入。")
        case = _create_case(session, actor, data, verified.parties, case_center)
        if kind is CrossingKind.CO_HANDLE and sender.id != case.center_id:
            case.handling_center_id = sender.id  # the lead center works on it: the co-handler reads
            session.flush()
        created = True
    elif case.center_id != case_center.id:
        raise PacketRefused(f"本库的案件 {ref['number']} 属于另一个中心，与材料包不符，拒绝导入。")
    elif work is not None:
        crossing_work.check_unchanged(session, case, work["base"], sender, receiver, kind.label)
    parent = None
    if step["parent_uid"] is not None:
        parent = session.scalar(select(CaseCrossing).where(CaseCrossing.uid == step["parent_uid"]))
        if parent is None or parent.case_id != case.id or parent.closed_at is not None:
            raise PacketRefused(f"材料包答复的流转步骤（{step['parent_uid']}）在本库中不存在或已答复，"
                                f"案件 {ref['number']} 的当前状态不能{kind.label}，拒绝导入。")
    system = Actor.system("crossing-packet")
    at = datetime.fromisoformat(step["created_at"])
    try:
        materials = _materials(session, actor, case, verified)
        if kind is CrossingKind.REPORT_UP:
            info = crossings.report_up(session, system, case.id, reason=step["reason"], materials=materials,
                                       uid=step["uid"], acting_center_id=sender.id)
        elif kind is CrossingKind.ASSIGN_DOWN:
            info = crossings.assign(session, system, case.id, working_days=step["working_days"], reason=step["reason"],
                                    to_center_id=receiver.id, materials=materials, uid=step["uid"],
                                    acting_center_id=sender.id, today=at.date())
        elif kind is CrossingKind.CO_HANDLE:
            info = crossings.co_handle(session, system, case.id, center_ids=[receiver.id],
                                       working_days=step["working_days"], reason=step["reason"],
                                       materials=materials, acting_center_id=sender.id, today=at.date(),
                                       step_uids={receiver.id: step["uid"]})[0]
        elif kind is CrossingKind.RETURN:
            info = crossings.return_case(session, system, case.id, reason=step["reason"], uid=step["uid"],
                                         acting_center_id=sender.id)
        else:
            info = crossings.feedback(session, system, case.id, text=step["reason"], uid=step["uid"],
                                      acting_center_id=sender.id)
    except (InvalidInput, PermissionDenied, NotFound) as exc:
        raise PacketRefused(f"材料包中的{kind.label}不符合本库中案件 {ref['number']} 的当前状态：{exc.message}"
                            "未导入任何内容。") from None
    row = session.get(CaseCrossing, info.id)
    assert row is not None
    if parent is not None and row.parent_id != parent.id:
        raise PacketRefused(f"材料包答复的是另一步流转（{step['parent_uid']}），与本库中案件 {ref['number']} 待答复的"
                            "步骤不符，未导入任何内容。")
    # The step as the sending desk took it: its time, who took it, its deadline.
    row.created_at = at
    row.created_by_name = (step["created_by"] or "")[:60]
    if row.closed_at is not None:
        row.closed_at = at
    if kind in (CrossingKind.ASSIGN_DOWN, CrossingKind.CO_HANDLE):
        row.due_on = date.fromisoformat(step["due_on"])
    session.flush()
    added = updated = ""
    if work is not None:
        # After the step: on a server the desk may write the case only once it is its to write.
        try:
            applied = crossing_work.apply(session, actor, case, work, list(verified.work_parties), verified.files,
                                          sender)
        except IntegrityError:
            # On a server a row of a case this account may not read is invisible, so a uid another
            # case uses is found only by its unique index.
            raise PacketRefused(f"材料包中案件 {ref['number']} 的某项记录或附件的编号（uid）在本库已属于另一个案件，"
                                "拒绝导入，未导入任何内容。") from None
        added, updated = crossing_work.describe(applied.added), crossing_work.describe(applied.updated)
        if applied.changed:
            said = "；".join(p for p in (f"新增{added}" if added else "", f"更新{updated}" if updated else "") if p)
            session.add(CaseEvent(case_id=case.id, at=now(), user_id=actor.user_id, kind=EventKind.NOTE,
                                  action="import_crossing",
                                  note=f"{sender.name}的办理情况随{kind.label}材料包带来：{said}"[:4000]))
        row.sent_sha256 = work["sha256"]
        session.flush()
        row.kept_sha256 = crossing_work.current_digest(session, case)
    session.flush()
    details: dict[str, Any] = {"crossing": row.uid, "kind": kind.value, "packet_id": data["packet_id"],
                               "sender_prefix": sender.prefix, "created_case": created}
    if added:
        details["work_added"] = added
    if updated:
        details["work_updated"] = updated
    audit.record(session, actor, "case.import_crossing", "case", case.id, details)
    return CrossingImport(_info(session, row), created, False, added, updated)


def _info(session: Session, row: CaseCrossing) -> crossings.CrossingInfo:
    found = [c for c in crossings.crossings_of(session, Actor.system(), row.case_id) if c.id == row.id]
    return found[0]


def import_crossing(database: Database, actor: Actor, path: Path) -> CrossingImport:
    """Verify the crossing packet, then record its step in one write transaction."""
    verified = verify_crossing(Path(path))
    with database.write() as session:
        return record_crossing(session, actor, verified)
