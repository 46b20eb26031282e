"""Receive a transfer packet: verify all of it, then create the case in one transaction.

Verification reads the whole packet before anything is written: the ZIP's own structure (names
that would escape the folder, duplicates, encryption, compression methods, declared sizes and
ratios that betray a zip bomb, the configured size limits), the manifest (JSON, version, schema,
cross-references), and every file's size and SHA-256 against the manifest. Only then is the case
created — parties, records, undisputed facts, every file byte for byte — in the caller's single
transaction; each file is hashed again as it is stored, so a packet changed on disk between the
two passes rolls back to nothing.

A packet already imported (``DisputeCase.origin == "packet:<uuid>"``) creates nothing and says
which case it became.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..models import (
    Attachment,
    AttachmentKind,
    CaseEvent,
    CaseState,
    DisputeCase,
    DisputeType,
    EventKind,
    Gender,
    IdDocumentType,
    InvestigationRecord,
    MediationRecord,
    Party,
    PartyKind,
    PartyRole,
    RiskLevel,
    SourceChannel,
    UndisputedFacts,
    now,
)
from ..services import audit, clocks, permissions
from ..services.actor import Actor
from ..services.attachments import MAX_ATTACHMENT_BYTES, sanitise_filename, store_blob
from ..services.errors import InvalidInput
from ..services.numbering import next_case_number
from .errors import PacketCancelled, PacketRefused
from .manifest import MANIFEST_NAME, check_member_name, name_key, validate

CHUNK = 1024 * 1024
GIB = 1024 * 1024 * 1024
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PacketLimits:
    """What a packet may weigh. The defaults suit a case of a few hundred scans."""

    #: The ZIP file itself.
    max_packet_bytes: int = 2 * GIB
    #: All members uncompressed together.
    max_total_bytes: int = 2 * GIB
    #: One file: the same limit as an attachment typed in at the desk.
    max_file_bytes: int = MAX_ATTACHMENT_BYTES
    max_manifest_bytes: int = 16 * 1024 * 1024
    max_entries: int = 5001
    #: Uncompressed / compressed beyond this, for a member over ``ratio_floor`` bytes, is a bomb:
    #: text deflates 3–10×, scans not at all; a bomb's zeros deflate ~1000×.
    max_ratio: int = 100
    ratio_floor: int = 1024 * 1024


@dataclass(frozen=True)
class VerifiedPacket:
    path: Path
    manifest: dict[str, Any]
    #: path → (size, sha256, media type), every one read and hashed.
    files: dict[str, tuple[int, str, str]]


@dataclass(frozen=True)
class ImportResult:
    case_id: int
    number: str
    packet_id: str
    created: bool
    files: int
    origin_case_number: str
    origin_center: str

    @property
    def message(self) -> str:
        if self.created:
            return (f"已导入移送材料包：{self.origin_center}的案件 {self.origin_case_number} "
                    f"登记为本中心案件 {self.number}（{self.files} 个文件）。")
        return (f"该移送材料包（编号 {self.packet_id}）此前已导入为案件 {self.number}，"
                "本次未重复创建任何内容。")


# --------------------------------------------------------------------------- verification


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise PacketRefused(f"“{path.name}”不是完整的 ZIP 材料包（文件可能在传输中被截断或已损坏）：{exc}。") from None
    except OSError as exc:
        raise PacketRefused(f"无法读取“{path.name}”：{exc.strerror or exc}。") from None


def _check_entries(zf: zipfile.ZipFile, limits: PacketLimits) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise PacketRefused(f"材料包含有 {len(infos)} 个文件，超过 {limits.max_entries} 个的上限。")
    seen: dict[str, str] = {}
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        check_member_name(name)
        key = name_key(name)
        if key in seen:
            raise PacketRefused(f"材料包中有重名文件“{name}”（与“{seen[key]}”重复），无法确定以哪一个为准，拒绝导入。")
        seen[key] = name
        if info.flag_bits & 0x1:
            raise PacketRefused(f"材料包中的文件“{name}”已加密，无法核对，拒绝导入。")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PacketRefused(f"材料包中的文件“{name}”使用了不支持的压缩方式（{info.compress_type}），拒绝导入。")
        limit = limits.max_manifest_bytes if name == MANIFEST_NAME else limits.max_file_bytes
        if info.file_size > limit:
            raise PacketRefused(f"材料包中的文件“{name}”解压后有 {info.file_size:,} 字节，超过单个文件 "
                                f"{limit:,} 字节的上限，拒绝导入。")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise PacketRefused(f"材料包中的文件“{name}”声明的大小与实际存储的大小不一致，材料包已损坏或被篡改。")
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise PacketRefused(f"材料包中的文件“{name}”压缩比异常（{info.compress_size:,} 字节解压为 "
                                f"{info.file_size:,} 字节），疑似“压缩炸弹”，拒绝导入。")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise PacketRefused(f"材料包解压后总计超过 {limits.max_total_bytes:,} 字节的上限，"
                                "疑似“压缩炸弹”，拒绝导入。")
        members[name] = info
    return members


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, declared: int) -> Iterator[bytes]:
    """The member's bytes in chunks, never more than ``declared`` of them, CRC checked."""
    count = 0
    try:
        with zf.open(info) as f:
            while chunk := f.read(CHUNK):
                count += len(chunk)
                if count > declared:
                    raise PacketRefused(f"材料包中的文件“{info.filename}”实际解压出的数据超过了声明的 "
                                        f"{declared:,} 字节，"
                                        "疑似“压缩炸弹”或被篡改，拒绝导入。")
                yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise PacketRefused(f"材料包中的文件“{info.filename}”已损坏，无法完整读出（{exc}）。"
                            "材料包可能被截断或改动。") from None
    except RuntimeError as exc:  # zipfile's "File is encrypted" and similar
        raise PacketRefused(f"材料包中的文件“{info.filename}”无法读出（{exc}）。") from None
    if count != declared:
        raise PacketRefused(f"材料包中的文件“{info.filename}”实际有 {count:,} 字节，与声明的 {declared:,} 字节不符，"
                            "材料包已损坏或被篡改。")


def _load_manifest(zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict[str, Any]:
    info = members.get(MANIFEST_NAME)
    if info is None:
        raise PacketRefused("材料包中缺少 manifest.json（文件清单），无法核对，拒绝导入。")
    raw = b"".join(_read_member(zf, info, info.file_size))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PacketRefused("manifest.json 不是 UTF-8 编码的文本，拒绝导入。") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PacketRefused(f"manifest.json 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}），"
                            "材料包已损坏或不是本程序生成的。") from None
    validate(data)
    result: dict[str, Any] = data
    return result


def _cross_check(manifest: dict[str, Any], members: dict[str, zipfile.ZipInfo]) -> dict[str, dict[str, Any]]:
    listed: dict[str, dict[str, Any]] = {}
    for item in manifest["files"]:
        path = item["path"]
        check_member_name(path)
        if path == MANIFEST_NAME:
            raise PacketRefused("manifest.json 不能把自己列入文件清单。")
        if name_key(path) in {name_key(p) for p in listed}:
            raise PacketRefused(f"manifest.json 的文件清单中“{path}”出现了两次，拒绝导入。")
        listed[path] = item
    for path, item in listed.items():
        info = members.get(path)
        if info is None:
            raise PacketRefused(f"材料包中缺少清单所列的文件“{path}”，材料不完整，拒绝导入。")
        if info.file_size != item["size"]:
            raise PacketRefused(f"文件“{path}”的大小（{info.file_size:,} 字节）与清单记载的 {item['size']:,} 字节不符，"
                                "文件已被改动或损坏。")
    for name in members:
        if name != MANIFEST_NAME and name not in listed:
            raise PacketRefused(f"材料包中有清单未列出的文件“{name}”，可能被夹带或改动，拒绝导入。")
    references: list[tuple[str, str | None]] = [(f"documents[{i}].file", d["file"])
                                                for i, d in enumerate(manifest["documents"])]
    references += [(f"records[{i}].file", r["file"]) for i, r in enumerate(manifest["records"])]
    references += [(f"evidence[{i}].file", e["file"]) for i, e in enumerate(manifest["evidence"])]
    if manifest["undisputed_facts"] is not None:
        references.append(("undisputed_facts.file", manifest["undisputed_facts"]["file"]))
    for where, path in references:
        if path is not None and path not in listed:
            raise PacketRefused(f"manifest.json 的 {where} 指向清单中没有的文件“{path}”。")
    parties = len(manifest["parties"])
    for index, item in enumerate(manifest["evidence"]):
        if item["party"] is not None and item["party"] >= parties:
            raise PacketRefused(f"manifest.json 的 evidence[{index}].party 指向不存在的当事人"
                                f"（第 {item['party'] + 1} 个）。")
        try:
            sanitise_filename(item["filename"])
        except InvalidInput:
            raise PacketRefused(f"manifest.json 的 evidence[{index}].filename 不是可用的文件名。") from None
    return listed


def verify_packet(path: Path, limits: PacketLimits | None = None, *, progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> VerifiedPacket:
    """Check everything about the packet at ``path``; ``PacketRefused`` says what is wrong."""
    limits = limits or PacketLimits()
    path = Path(path)
    report = progress or (lambda _done, _total, _what: None)
    stop = cancelled or (lambda: False)
    try:
        size = os.stat(path).st_size
    except OSError:
        raise PacketRefused(f"找不到材料包文件“{path}”。") from None
    if not path.is_file():
        raise PacketRefused(f"“{path}”不是一个文件。")
    if size > limits.max_packet_bytes:
        raise PacketRefused(f"材料包有 {size:,} 字节，超过 {limits.max_packet_bytes:,} 字节的上限，拒绝导入。")
    with _open_zip(path) as zf:
        try:
            members = _check_entries(zf, limits)
        except (zipfile.BadZipFile, EOFError) as exc:
            raise PacketRefused(f"材料包的目录已损坏：{exc}。") from None
        manifest = _load_manifest(zf, members)
        listed = _cross_check(manifest, members)
        total = sum(item["size"] for item in listed.values()) or 1
        done = 0
        files: dict[str, tuple[int, str, str]] = {}
        for name, item in listed.items():
            digest = hashlib.sha256()
            for chunk in _read_member(zf, members[name], item["size"]):
                if stop():
                    raise PacketCancelled("已取消导入，未创建任何内容。")
                digest.update(chunk)
                done += len(chunk)
                report(done, total, "正在核对文件校验值……")
            if digest.hexdigest() != item["sha256"]:
                raise PacketRefused(f"文件“{name}”的 SHA-256 校验值与清单不符：文件已被改动或损坏，拒绝导入。")
            files[name] = (item["size"], item["sha256"], item["media_type"])
    return VerifiedPacket(path, manifest, files)


# --------------------------------------------------------------------------- writing


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _dispute_type(session: Session, name: str) -> tuple[int, str]:
    found = session.execute(select(DisputeType.id, DisputeType.name).where(DisputeType.name == name)).first()
    if found is None:
        found = session.execute(select(DisputeType.id, DisputeType.name).where(DisputeType.name == "其他")).first()
    if found is None:
        found = session.execute(select(DisputeType.id, DisputeType.name).order_by(DisputeType.sort_order,
                                                                                   DisputeType.id)).first()
    if found is None:
        raise PacketRefused("本中心尚未设置任何纠纷类型，无法登记导入的案件。请先运行 mediation-desk db upgrade。")
    return found[0], found[1]


_INVESTIGATION_FIELDS = ("investigators", "recorder", "interviewee", "interviewee_relation", "content")
_MEDIATION_FIELDS = ("subject", "mediators", "recorder", "participants", "parties_present", "notice_given",
                     "statements", "verification", "outcome", "agreement_reached")


def existing_import(session: Session, packet_id: str) -> tuple[int, str] | None:
    row = session.execute(select(DisputeCase.id, DisputeCase.number)
                          .where(DisputeCase.origin == f"packet:{packet_id}")).first()
    return (row[0], row[1]) if row is not None else None


def create_case(session: Session, actor: Actor, packet: VerifiedPacket, *,
                progress: Progress | None = None) -> ImportResult:
    """Write the verified packet as a new case in ``session``'s transaction."""
    # Importing registers a new case: the registering roles (the administrator reads no case).
    permissions.require_role(actor, permissions.INTAKE_ROLES, "导入移送材料包（导入即登记新案件）")
    m = packet.manifest
    packet_id = m["packet_id"]
    origin = m["origin"]
    done = existing_import(session, packet_id)
    if done is not None:
        return ImportResult(done[0], done[1], packet_id, False, 0, origin["case_number"], origin["center"])
    data = m["case"]
    moment = now()
    type_id, type_name = _dispute_type(session, data["dispute_type"])
    channel = (SourceChannel.COURT_DELEGATED if m["target"]["kind"] == "court"
               else SourceChannel.DEPARTMENT_TRANSFER)
    seq, number = next_case_number(session, moment.year)
    case = DisputeCase(
        number=number, year=moment.year, seq=seq, title=data["title"], state=CaseState.REGISTERED,
        dispute_type_id=type_id, source_channel=channel, risk_level=RiskLevel(data["risk_level"]),
        is_group_dispute=data["is_group_dispute"], may_turn_criminal=data["may_turn_criminal"],
        people_involved=data["people_involved"],
        amount_involved=Decimal(data["amount_involved"]) if data["amount_involved"] is not None else None,
        address=data["address"], village=data["village"], grid=data["grid"], facts=data["facts"],
        requests=list(data["requests"]), received_at=moment, registered_by_id=actor.user_id,
        origin=f"packet:{packet_id}")
    for index, p in enumerate(m["parties"]):
        case.parties.append(Party(
            seq=index, role=PartyRole(p["role"]), kind=PartyKind(p["kind"]), name=p["name"],
            gender=Gender(p["sex"]) if p["sex"] else None, ethnicity=p["ethnicity"], birth_date=_day(p["birth_date"]),
            id_type=IdDocumentType(p["id_type"]) if p["id_type"] else None, id_number=p["id_number"],
            occupation=p["occupation"], work_unit=p["work_unit"], address=p["address"], phone=p["phone"],
            legal_representative=p["legal_representative"], credit_code=p["credit_code"], is_minor=p["is_minor"],
            agent_name=p["agent"]["name"], agent_phone=p["agent"]["phone"], agent_authority=p["agent"]["authority"]))
    target = "法院" if m["target"]["kind"] == "court" else "职能部门"
    type_note = ("" if type_name == data["dispute_type"]
                 else f"；原纠纷类型“{data['dispute_type']}”本中心未设置，暂登记为“{type_name}”")
    case.events.append(CaseEvent(at=moment, user_id=actor.user_id, kind=EventKind.REGISTERED,
                                 to_state=CaseState.REGISTERED, note=f"来源：{channel.label}"))
    case.events.append(CaseEvent(
        at=moment, user_id=actor.user_id, kind=EventKind.NOTE, action="import_packet",
        note=(f"由移送材料包导入（编号 {packet_id}）：{origin['center']}移送{target}“{m['target']['name']}”的案件 "
              f"{origin['case_number']}，原登记于 {data['received_at'][:10]}；"
              f"调解不成的原因：{m['failure_reason'] or '未写明'}"
              f"{type_note}")))
    session.add(case)
    session.flush()
    parties = list(case.parties)
    for record in m["records"]:
        held = _moment(record["held_at"]) or moment
        if record["kind"] == "investigation":
            session.add(InvestigationRecord(case_id=case.id, held_at=held, place=record["place"],
                                            signed=record["signed"],
                                            author_id=actor.user_id,
                                            **{k: record.get(k, "") for k in _INVESTIGATION_FIELDS}))
        else:
            values = {k: record.get(k, False if k in ("notice_given", "agreement_reached") else "")
                      for k in _MEDIATION_FIELDS}
            session.add(MediationRecord(case_id=case.id, held_at=held, place=record["place"], signed=record["signed"],
                                        author_id=actor.user_id, **values))
    facts = m["undisputed_facts"]
    if facts is not None:
        session.add(UndisputedFacts(case_id=case.id, facts=facts["facts"], disputed=facts["disputed"],
                                    signed=facts["signed"], signed_on=_day(facts["signed_on"]),
                                    author_id=actor.user_id))
    # What each file is: the evidence keeps its own name and kind; the packet's papers say so.
    described: dict[str, tuple[str, AttachmentKind, int | None, str]] = {}
    for item in m["documents"]:
        described[item["file"]] = (f"{item['title']}.pdf", AttachmentKind.OTHER, None, f"移送材料包：{item['title']}")
    for index, record in enumerate(m["records"], start=1):
        if record["file"] is not None:
            title = "人民调解调查记录" if record["kind"] == "investigation" else "人民调解记录"
            described[record["file"]] = (f"{title}-{index:02d}.pdf", AttachmentKind.OTHER, None,
                                         f"移送材料包：{title}（{record['held_at'][:10]}）")
    for item in m["evidence"]:
        party_id = parties[item["party"]].id if item["party"] is not None else None
        described[item["file"]] = (item["filename"], AttachmentKind(item["kind"]), party_id, item["note"])
    report = progress or (lambda _done, _total, _what: None)
    total = sum(size for size, _digest, _type in packet.files.values()) or 1
    written = 0
    with zipfile.ZipFile(packet.path) as zf:
        for path, (size, digest, media_type) in packet.files.items():
            content = b"".join(_read_member(zf, zf.getinfo(path), size))
            if hashlib.sha256(content).hexdigest() != digest:
                raise PacketRefused(f"文件“{path}”在核对之后被改动（校验值不符），未导入任何内容。")
            filename, kind, party_id, note = described.get(path, (path.rsplit("/", 1)[-1], AttachmentKind.OTHER,
                                                                  None, "移送材料包"))
            store_blob(session, digest, content)
            session.add(Attachment(case_id=case.id, party_id=party_id, kind=kind, filename=sanitise_filename(filename),
                                   media_type=media_type, sha256=digest, size=size, note=note[:200],
                                   added_by_id=actor.user_id))
            written += size
            report(written, total, "正在保存文件……")
    session.flush()
    clocks.refresh_clock(session, case)
    audit.record(session, actor, "case.import_packet", "case", case.id,
                 {"number": number, "packet_id": packet_id, "origin_center": origin["center"],
                  "origin_case_number": origin["case_number"], "files": len(packet.files)})
    return ImportResult(case.id, number, packet_id, True, len(packet.files), origin["case_number"], origin["center"])


def import_packet(database: Database, actor: Actor, path: Path, *, limits: PacketLimits | None = None,
                  progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Verify the packet, then create its case in one write transaction (or find it imported)."""
    verified = verify_packet(path, limits, progress=progress, cancelled=cancelled)
    with database.write() as session:
        return create_case(session, actor, verified, progress=progress)
