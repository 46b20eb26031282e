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
import itertools
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation_desk.services import audit, clocks, permissions

from .. import changes
from ..changes import Changes
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
    Witness,
    now,
)
from ..scanning.sniff import FileType, sniff
from ..services.actor import Actor
from ..services.attachments import MAX_ATTACHMENT_BYTES, sanitise_filename, store_blob
from ..services.cases import PartyInput, check_party
from ..services.errors import InvalidInput
from ..services.numbering import next_case_number, numbering_center
from .errors import PacketCancelled, PacketRefused
from .manifest import MANIFEST_NAME, PACKET, check_member_name, name_key, read_manifest

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
    #: path → where its bytes lie in the file (checked: no overlaps, headers agreeing).
    spans: dict[str, MemberSpan]
    #: The parties as intake would save them (numbers cleaned, sex and birth date from the ID).
    parties: tuple[PartyInput, ...]


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


_ZIP_ERRORS = (zipfile.BadZipFile, EOFError, ValueError, struct.error, OverflowError, NotImplementedError)


def _open_zip(path: Path, what: str = PACKET) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise PacketRefused(f"“{path.name}”不是完整的 ZIP {what}（文件可能在传输中被截断或已损坏）：{exc}。") from None
    except OSError as exc:
        raise PacketRefused(f"无法读取“{path.name}”：{exc.strerror or exc}。") from None


def _check_entries(zf: zipfile.ZipFile, limits: PacketLimits, what: str = PACKET) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise PacketRefused(f"{what}含有 {len(infos)} 个文件，超过 {limits.max_entries} 个的上限。")
    seen: dict[str, str] = {}
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        # zipfile cuts a name at a NUL byte: the name on disk is the one that counts.
        check_member_name(info.orig_filename, what=what)
        if name != info.orig_filename:
            raise PacketRefused(f"{what}中的文件名“{info.orig_filename[:120]!r}”无法按原样读取，拒绝导入。")
        key = name_key(name)
        if key in seen:
            raise PacketRefused(f"{what}中有重名文件“{name}”（与“{seen[key]}”重复），无法确定以哪一个为准，拒绝导入。")
        seen[key] = name
        if info.flag_bits & _ENCRYPTED:
            raise PacketRefused(f"{what}中的文件“{name}”已加密，无法核对，拒绝导入。")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PacketRefused(f"{what}中的文件“{name}”使用了不支持的压缩方式（{info.compress_type}），拒绝导入。")
        limit = limits.max_manifest_bytes if name == MANIFEST_NAME else limits.max_file_bytes
        if info.file_size > limit:
            raise PacketRefused(f"{what}中的文件“{name}”解压后有 {info.file_size:,} 字节，超过单个文件 "
                                f"{limit:,} 字节的上限，拒绝导入。")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise PacketRefused(f"{what}中的文件“{name}”声明的大小与实际存储的大小不一致，{what}已损坏或被篡改。")
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise PacketRefused(f"{what}中的文件“{name}”压缩比异常（{info.compress_size:,} 字节解压为 "
                                f"{info.file_size:,} 字节），疑似“压缩炸弹”，拒绝导入。")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise PacketRefused(f"{what}解压后总计超过 {limits.max_total_bytes:,} 字节的上限，"
                                "疑似“压缩炸弹”，拒绝导入。")
        members[name] = info
    return members


def _check_overall_ratio(members: dict[str, zipfile.ZipInfo], limits: PacketLimits, packet_size: int,
                         what: str = PACKET) -> None:
    """Many members each under the size from which one member's ratio is judged, each a small
    bomb: the packet as a whole tells. (After the layout check: members sharing bytes are named
    as such first.)"""
    total = sum(info.file_size for info in members.values())
    if total > limits.ratio_floor and total > limits.max_ratio * max(packet_size, 1):
        raise PacketRefused(f"{what}只有 {packet_size:,} 字节，却声明解压后共有 {total:,} 字节，压缩比异常，"
                            "疑似“压缩炸弹”，拒绝导入。")


# --------------------------------------------------------------------------- the ZIP's layout

#: Bit 0: encrypted; bit 6: strong encryption; bit 13: the central directory is encrypted.
_ENCRYPTED = 0x0001 | 0x0040 | 0x2000
_DATA_DESCRIPTOR = 0x0008
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DESCRIPTOR_SIGNATURE = b"PK\x07\x08"
_ZIP64_EXTRA = 0x0001
_ZIP64_MARK = 0xFFFFFFFF


@dataclass(frozen=True)
class MemberSpan:
    """Where a member lies in the file, from its local header, checked against the directory."""

    name: str
    #: The local header's first byte and the byte after the member's data (and data descriptor).
    start: int
    end: int
    data_start: int
    compress_size: int
    file_size: int
    method: int
    crc: int


def _zip64_sizes(extra: bytes) -> tuple[int, int] | None:
    """(uncompressed, compressed) from a local header's ZIP64 extra field, if it has one."""
    offset = 0
    while offset + 4 <= len(extra):
        kind, length = struct.unpack_from("<HH", extra, offset)
        body = extra[offset + 4: offset + 4 + length]
        if kind == _ZIP64_EXTRA and len(body) >= 16:
            usize, csize = struct.unpack_from("<QQ", body)
            return usize, csize
        offset += 4 + length
    return None


def _layout_refused(name: str, why: str, what: str = PACKET) -> PacketRefused:
    return PacketRefused(f"{what}中的文件“{name}”{why}，{what}已损坏或被篡改（可能是“压缩炸弹”），拒绝导入。")


def _member_span(fh: BinaryIO, info: zipfile.ZipInfo, file_size: int, what: str = PACKET) -> MemberSpan:
    """Read the member's local header and compare it with its central directory entry."""
    name = info.filename
    if not 0 <= info.header_offset <= file_size - _LOCAL.size:
        raise _layout_refused(name, "的位置超出了文件范围", what)
    fh.seek(info.header_offset)
    header = fh.read(_LOCAL.size)
    if len(header) != _LOCAL.size:
        raise _layout_refused(name, "的文件头不完整", what)
    (signature, _version, flags, method, _time, _date, crc, csize, usize, name_length,
     extra_length) = _LOCAL.unpack(header)
    if signature != _LOCAL_SIGNATURE:
        raise _layout_refused(name, "的目录记录指向的不是文件头", what)
    raw_name = fh.read(name_length)
    extra = fh.read(extra_length)
    if len(raw_name) != name_length or len(extra) != extra_length:
        raise _layout_refused(name, "的文件头不完整", what)
    try:
        local_name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        raise _layout_refused(name, "的文件头中的文件名无法读取", what) from None
    if local_name != info.orig_filename:
        raise _layout_refused(name, f"的文件头中写的却是“{local_name[:120]!r}”", what)
    if flags != info.flag_bits or method != info.compress_type:
        raise _layout_refused(name, "的文件头与目录记录的标志或压缩方式不一致", what)
    if _ZIP64_MARK in (usize, csize) and (sizes := _zip64_sizes(extra)) is not None:
        usize, csize = sizes
    described = not (flags & _DATA_DESCRIPTOR) or (crc, csize, usize) != (0, 0, 0)
    if described and (crc, csize, usize) != (info.CRC, info.compress_size, info.file_size):
        raise _layout_refused(name, "的文件头与目录记录的大小或校验值不一致", what)
    data_start = info.header_offset + _LOCAL.size + name_length + extra_length
    end = data_start + info.compress_size
    if flags & _DATA_DESCRIPTOR:
        fh.seek(end)
        first = fh.read(4)
        wide = info.compress_size >= _ZIP64_MARK or info.file_size >= _ZIP64_MARK
        end += (4 if first == _DESCRIPTOR_SIGNATURE else 0) + 4 + (16 if wide else 8)
    if end > file_size:
        raise _layout_refused(name, "的数据超出了文件末尾", what)
    return MemberSpan(name, info.header_offset, end, data_start, info.compress_size, info.file_size,
                      info.compress_type, info.CRC)


def _check_layout(zf: zipfile.ZipFile, fh: BinaryIO, members: dict[str, zipfile.ZipInfo],
                  file_size: int, what: str = PACKET) -> dict[str, MemberSpan]:
    """Every member's local header agrees with the directory, and no two members share a byte:
    overlapping members are how a small file unpacks to gigabytes (a "zip bomb by overlap")."""
    spans = {name: _member_span(fh, info, file_size, what) for name, info in members.items()}
    directory = getattr(zf, "start_dir", file_size)
    ordered = sorted(spans.values(), key=lambda span: span.start)
    for before, after in itertools.pairwise(ordered):
        if before.end > after.start:
            raise PacketRefused(f"{what}中的文件“{before.name}”与“{after.name}”的数据互相重叠：这是“压缩炸弹”"
                                "的做法（同一段数据被多个文件重复解压），拒绝导入。")
    if ordered and ordered[-1].end > directory:
        raise _layout_refused(ordered[-1].name, f"的数据与{what}的目录重叠", what)
    return spans


def _read_member(fh: BinaryIO, span: MemberSpan, declared: int, what: str = PACKET) -> Iterator[bytes]:
    """The member's bytes in chunks, decompressed here with a count: never more than
    ``declared`` of them (zipfile would silently stop at the directory's size instead), the
    compressed stream complete and used up, the CRC-32 right."""
    name = span.name
    if declared != span.file_size:
        raise PacketRefused(f"文件“{name}”的大小（{span.file_size:,} 字节）与清单记载的 {declared:,} 字节不符，"
                            "文件已被改动或损坏。")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if span.method == zipfile.ZIP_DEFLATED else None
    count = 0
    crc = 0
    remaining = span.compress_size
    fh.seek(span.data_start)

    def counted(piece: bytes) -> bytes:
        nonlocal count, crc
        count += len(piece)
        if count > declared:
            raise PacketRefused(f"{what}中的文件“{name}”实际解压出的数据超过了声明的 {declared:,} 字节，"
                                "疑似“压缩炸弹”或被篡改，拒绝导入。")
        crc = zlib.crc32(piece, crc)
        return piece

    try:
        while remaining:
            raw = fh.read(min(CHUNK, remaining))
            if not raw:
                raise PacketRefused(f"{what}中的文件“{name}”的数据不完整，{what}可能被截断。")
            remaining -= len(raw)
            if inflater is None:
                yield counted(raw)
                continue
            data = raw
            while data and not inflater.eof:
                piece = inflater.decompress(data, CHUNK)
                data = inflater.unconsumed_tail
                if piece:
                    yield counted(piece)
                while len(piece) == CHUNK and not data and not inflater.eof:
                    piece = inflater.decompress(b"", CHUNK)
                    if piece:
                        yield counted(piece)
            if inflater.eof and (data or inflater.unused_data or remaining):
                raise PacketRefused(f"{what}中的文件“{name}”的压缩数据之后还有多余的内容，{what}已损坏或被篡改。")
        if inflater is not None and not inflater.eof:
            raise PacketRefused(f"{what}中的文件“{name}”的压缩数据不完整，{what}可能被截断或改动。")
    except zlib.error as exc:
        raise PacketRefused(f"{what}中的文件“{name}”已损坏，无法完整读出（{exc}）。{what}可能被截断或改动。") from None
    if count != declared:
        raise PacketRefused(f"{what}中的文件“{name}”实际有 {count:,} 字节，与声明的 {declared:,} 字节不符，"
                            f"{what}已损坏或被篡改。")
    if crc != span.crc:
        raise PacketRefused(f"{what}中的文件“{name}”未通过 CRC 校验，已损坏，无法完整读出。{what}可能被截断或改动。")


def _load_manifest(fh: BinaryIO, spans: dict[str, MemberSpan]) -> dict[str, Any]:
    span = spans.get(MANIFEST_NAME)
    if span is None:
        raise PacketRefused("材料包中缺少 manifest.json（文件清单），无法核对，拒绝导入。")
    return read_manifest(b"".join(_read_member(fh, span, span.file_size)))


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
    for index, item in enumerate(manifest.get("witnesses", ())):
        if item["party"] is not None and item["party"] >= parties:
            raise PacketRefused(f"manifest.json 的 witnesses[{index}].party 指向不存在的当事人"
                                f"（第 {item['party'] + 1} 个）。")
    return listed


# --------------------------------------------------------------------------- parties

#: What the intake form calls a field → the manifest's name for it.
_PARTY_FIELDS = {"gender": ("sex", "性别"), "birth_date": ("birth_date", "出生日期"),
                 "id_number": ("id_number", "证件号码"), "phone": ("phone", "联系电话"),
                 "agent_phone": ("agent.phone", "委托代理人电话"), "credit_code": ("credit_code", "统一社会信用代码"),
                 "name": ("name", "姓名（名称）")}
_MASKED = frozenset({"id_number", "phone", "agent_phone"})
_LONG_NUMBER = re.compile(r"[0-9Xx]{7,}")


def mask(value: str) -> str:
    """A number shown without giving it away: 138******34."""
    text = value.strip()
    if len(text) <= 5:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 5) + text[-2:]


def _guardian(index: int, p: dict[str, Any]) -> str:
    """The agent's name as this desk stores it: for a minor whose packet names the 法定代理人
    (version 2), that name; refused when it contradicts the rest of the party."""
    agent_name: str = p["agent"]["name"]
    guardian: str | None = p.get("guardian")
    if guardian is None:
        return agent_name
    where = f"manifest.json 的 parties[{index}].guardian（第 {index + 1} 位当事人{p['name'][:40]}的法定代理人）"
    if not p["is_minor"]:
        raise PacketRefused(f"{where}写有“{guardian[:40]}”，但该当事人未标为未成年人（is_minor 为 false），"
                            "只有未成年人才由法定代理人代为参加调解，拒绝导入。")
    if not guardian.strip():
        raise PacketRefused(f"{where}只有空白，应为法定代理人的姓名或 null。")
    if agent_name.strip() and agent_name.strip() != guardian.strip():
        raise PacketRefused(f"{where}为“{guardian[:40]}”，与 agent.name（代理人）“{agent_name[:40]}”不一致，"
                            "无法确定由谁代为参加调解，拒绝导入。")
    return guardian.strip()


def _party_input(index: int, p: dict[str, Any]) -> PartyInput:
    agent = p["agent"]
    return PartyInput(
        role=PartyRole(p["role"]), name=p["name"], kind=PartyKind(p["kind"]),
        gender=Gender(p["sex"]) if p["sex"] else None, ethnicity=p["ethnicity"], birth_date=_day(p["birth_date"]),
        id_type=IdDocumentType(p["id_type"]) if p["id_type"] else None, id_number=p["id_number"],
        occupation=p["occupation"], work_unit=p["work_unit"], address=p["address"], phone=p["phone"],
        legal_representative=p["legal_representative"], credit_code=p["credit_code"], is_minor=p["is_minor"],
        agent_name=_guardian(index, p), agent_phone=agent["phone"], agent_authority=agent["authority"],
        id_issuer=p.get("id_issuer", ""), id_validity=p.get("id_validity", ""))


def check_parties(manifest: dict[str, Any], *, today: date | None = None) -> list[PartyInput]:
    """Every party through the same checks as a party typed in at the window (``check_party``):
    ID numbers, phones and credit codes valid, sex and birth date agreeing with a resident ID.
    Returns the parties as intake would save them; refuses naming the party and the field, with
    ID numbers and phones masked."""
    checked: list[PartyInput] = []
    for index, p in enumerate(manifest["parties"]):
        try:
            checked.append(check_party(index, _party_input(index, p), today=today))
        except InvalidInput as exc:
            field = exc.field.rsplit(".", 1)[-1]
            key, label = _PARTY_FIELDS.get(field, (field, field))
            role = PartyRole(p["role"]).label
            value = p["agent"]["phone"] if field == "agent_phone" else p.get(key, "")
            shown = f"“{mask(value)}”" if field in _MASKED and isinstance(value, str) and value.strip() else ""
            reason = _LONG_NUMBER.sub(lambda m: mask(m.group()), exc.message)
            raise PacketRefused(f"manifest.json 的 parties[{index}].{key}（第 {index + 1} 位当事人，{role}，"
                                f"{label}{shown}）未通过登记时的核对：{reason}") from None
    return checked


def _check_case(manifest: dict[str, Any]) -> None:
    """What intake refuses about the case itself beyond the schema's patterns."""
    amount = manifest["case"]["amount_involved"]
    if amount is not None:
        try:
            value = Decimal(amount)
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
            raise PacketRefused(f"manifest.json 的 case.amount_involved（涉及金额）“{amount[:20]}”不是有效的金额。")


def _check_media_type(name: str, declared: str, head: bytes) -> None:
    """As at the counter: a file declared as one of the types the desk accepts (PDF, JPEG, PNG,
    TIFF) must be one; an executable does not come in as ``application/pdf``."""
    claimed = next((t for t in FileType if t.media_type == declared.strip().lower()), None)
    found = sniff(head)
    if claimed is not None and found.type is not claimed:
        raise PacketRefused(f"材料包中的文件“{name}”在清单中声明为{claimed.label}，但内容实际上是"
                            f"{found.description}，拒绝导入。")


#: The checks the crossing packets share (``exchange.crossing``).
check_media_type = _check_media_type


def _check_file(path: Path, limits: PacketLimits, what: str = PACKET) -> None:
    """The packet is an existing regular file within the size limit (before its ZIP is opened)."""
    try:
        size = os.stat(path).st_size
        is_file = path.is_file()
    except (OSError, ValueError):
        named = what if what.endswith("文件") else f"{what}文件"
        raise PacketRefused(f"找不到{named}“{path}”。") from None
    if not is_file:
        raise PacketRefused(f"“{path}”不是一个文件。")
    if size > limits.max_packet_bytes:
        raise PacketRefused(f"{what}有 {size:,} 字节，超过 {limits.max_packet_bytes:,} 字节的上限，拒绝导入。")


def verify_packet(path: Path, limits: PacketLimits | None = None, *, progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None, today: date | None = None) -> VerifiedPacket:
    """Check everything about the packet at ``path``; ``PacketRefused`` says what is wrong.

    Reads the file and nothing else: no row and no file is written here.
    """
    limits = limits or PacketLimits()
    path = Path(path)
    report = progress or (lambda _done, _total, _what: None)
    stop = cancelled or (lambda: False)
    _check_file(path, limits)
    try:
        with _open_zip(path) as zf, open(path, "rb") as fh:
            members = _check_entries(zf, limits)
            size = os.fstat(fh.fileno()).st_size
            spans = _check_layout(zf, fh, members, size)
            _check_overall_ratio(members, limits, size)
            manifest = _load_manifest(fh, spans)
            listed = _cross_check(manifest, members)
            _check_case(manifest)
            parties = check_parties(manifest, today=today)
            total = sum(item["size"] for item in listed.values()) or 1
            done = 0
            files: dict[str, tuple[int, str, str]] = {}
            for name, item in listed.items():
                digest = hashlib.sha256()
                head = b""
                for chunk in _read_member(fh, spans[name], item["size"]):
                    if stop():
                        raise PacketCancelled("已取消导入，未创建任何内容。")
                    head = head or chunk
                    digest.update(chunk)
                    done += len(chunk)
                    report(done, total, "正在核对文件校验值……")
                if digest.hexdigest() != item["sha256"]:
                    raise PacketRefused(f"文件“{name}”的 SHA-256 校验值与清单不符：文件已被改动或损坏，拒绝导入。")
                _check_media_type(name, item["media_type"], head)
                files[name] = (item["size"], item["sha256"], item["media_type"])
    except _ZIP_ERRORS as exc:
        raise PacketRefused(f"材料包的目录已损坏：{exc}。") from None
    except OSError as exc:
        raise PacketRefused(f"无法读取“{path.name}”：{exc.strerror or exc}。") from None
    return VerifiedPacket(path, manifest, files, {name: spans[name] for name in files}, tuple(parties))


def read_members(path: Path, limits: PacketLimits | None = None, *,
                 what: str = PACKET) -> tuple[bytes, dict[str, bytes]]:
    """The bytes of ``manifest.json`` and of every other member of the ZIP at ``path``, after the
    same checks of the ZIP as a transfer packet's (names, duplicates, encryption, methods, sizes,
    ratios, local headers, overlaps, CRC-32 and exact lengths). For small packets (a crossing
    step's): everything is held in memory. ``PacketRefused`` says what is wrong."""
    limits = limits or PacketLimits()
    path = Path(path)
    _check_file(path, limits, what)
    try:
        with _open_zip(path, what) as zf, open(path, "rb") as fh:
            members = _check_entries(zf, limits, what)
            size = os.fstat(fh.fileno()).st_size
            spans = _check_layout(zf, fh, members, size, what)
            _check_overall_ratio(members, limits, size, what)
            if MANIFEST_NAME not in spans:
                raise PacketRefused(f"{what}中缺少 manifest.json（文件清单），无法核对，拒绝导入。")
            contents = {name: b"".join(_read_member(fh, span, span.file_size, what)) for name, span in spans.items()}
    except _ZIP_ERRORS as exc:
        raise PacketRefused(f"{what}的目录已损坏：{exc}。") from None
    except OSError as exc:
        raise PacketRefused(f"无法读取“{path.name}”：{exc.strerror or exc}。") from None
    manifest = contents.pop(MANIFEST_NAME)
    return manifest, contents


def party_row(seq: int, p: PartyInput) -> Party:
    """A checked party as the receiving desk stores it (a derived work unit stored blank again)."""
    from ..documents.forms import work_unit_when_none  # reportlab: loaded when a packet is imported

    unit = p.work_unit
    if p.kind is PartyKind.PERSON and unit == work_unit_when_none(p.occupation):
        unit = ""
    return Party(
        seq=seq, role=p.role, kind=p.kind, name=p.name, gender=p.gender, ethnicity=p.ethnicity,
        birth_date=p.birth_date, id_type=p.id_type, id_number=p.id_number, occupation=p.occupation,
        work_unit=unit, address=p.address, phone=p.phone, legal_representative=p.legal_representative,
        credit_code=p.credit_code, is_minor=p.is_minor, agent_name=p.agent_name, agent_phone=p.agent_phone,
        agent_authority=p.agent_authority, id_issuer=p.id_issuer.strip(), id_validity=p.id_validity.strip())


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


#: The dispute type a packet names, or 其他 (shared with ``exchange.crossing``).
dispute_type_for = _dispute_type


_INVESTIGATION_FIELDS = ("investigators", "recorder", "interviewee", "interviewee_relation", "content")
_MEDIATION_FIELDS = ("subject", "mediators", "recorder", "participants", "parties_present", "notice_given",
                     "statements", "verification", "outcome", "agreement_reached")


#: What the case summary prints for a purpose nobody stated (``documents.transfer.PURPOSE_NOT_STATED``):
#: not a description, so not stored as one.
_NOT_STATED = "未说明"


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
    center_id = numbering_center(session, actor.center_id)
    seq, number = next_case_number(session, moment.year, center_id)
    case = DisputeCase(
        center_id=center_id, number=number, year=moment.year, seq=seq, title=data["title"], state=CaseState.REGISTERED,
        dispute_type_id=type_id, source_channel=channel, risk_level=RiskLevel(data["risk_level"]),
        is_group_dispute=data["is_group_dispute"], may_turn_criminal=data["may_turn_criminal"],
        people_involved=data["people_involved"],
        amount_involved=Decimal(data["amount_involved"]) if data["amount_involved"] is not None else None,
        address=data["address"], village=data["village"], grid=data["grid"], facts=data["facts"],
        requests=list(data["requests"]), received_at=moment, registered_by_id=actor.user_id,
        origin=f"packet:{packet_id}")
    from ..documents.forms import work_unit_when_none  # reportlab: loaded when a packet is imported

    for index, p in enumerate(packet.parties):
        # The packet prints a person's missing work unit as the summary does ("无"/"不详", derived
        # from the occupation); stored blank again, it prints the same here.
        unit = p.work_unit
        if p.kind is PartyKind.PERSON and unit == work_unit_when_none(p.occupation):
            unit = ""
        case.parties.append(Party(
            seq=index, role=p.role, kind=p.kind, name=p.name, gender=p.gender, ethnicity=p.ethnicity,
            birth_date=p.birth_date, id_type=p.id_type, id_number=p.id_number, occupation=p.occupation,
            work_unit=unit, address=p.address, phone=p.phone, legal_representative=p.legal_representative,
            credit_code=p.credit_code, is_minor=p.is_minor, agent_name=p.agent_name, agent_phone=p.agent_phone,
            agent_authority=p.agent_authority, id_issuer=p.id_issuer.strip(), id_validity=p.id_validity.strip()))
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
    # The evidence's source and purpose as the sending center's summary printed them (packets from
    # before they were carried have none); a purpose it printed as not stated is left blank here.
    evidence_said: dict[str, tuple[str, str]] = {}
    for item in m["evidence"]:
        party_id = parties[item["party"]].id if item["party"] is not None else None
        described[item["file"]] = (item["filename"], AttachmentKind(item["kind"]), party_id, item["note"])
        if item["kind"] == AttachmentKind.EVIDENCE.value:
            purpose = item.get("purpose", "")
            evidence_said[item["file"]] = (item.get("source", "").strip(),
                                           "" if purpose.strip() == _NOT_STATED else purpose.strip())
    for seq, witness in enumerate(m.get("witnesses", ()), start=1):
        proves = witness["proves"].strip()
        session.add(Witness(case_id=case.id, seq=seq, name=witness["name"], address=witness["address"],
                            phone=witness["phone"],
                            proves="" if proves.rstrip("。") == _NOT_STATED else proves,
                            party_id=parties[witness["party"]].id if witness["party"] is not None else None,
                            added_by_id=actor.user_id))
    report = progress or (lambda _done, _total, _what: None)
    total = sum(size for size, _digest, _type in packet.files.values()) or 1
    written = 0
    try:
        fh = open(packet.path, "rb")  # noqa: SIM115 - closed below, errors turned into a refusal
    except OSError as exc:
        raise PacketRefused(f"无法再次读取“{packet.path.name}”（{exc.strerror or exc}），未导入任何内容。") from None
    with fh:
        for path, (size, digest, media_type) in packet.files.items():
            content = b"".join(_read_member(fh, packet.spans[path], size))
            if hashlib.sha256(content).hexdigest() != digest:
                raise PacketRefused(f"文件“{path}”在核对之后被改动（校验值不符），未导入任何内容。")
            filename, kind, party_id, note = described.get(path, (path.rsplit("/", 1)[-1], AttachmentKind.OTHER,
                                                                  None, "移送材料包"))
            store_blob(session, digest, content)
            source, purpose = evidence_said.get(path, ("", ""))
            session.add(Attachment(case_id=case.id, party_id=party_id, kind=kind, filename=sanitise_filename(filename),
                                   media_type=media_type, sha256=digest, size=size, note=note[:200],
                                   added_by_id=actor.user_id, evidence_source=source[:200],
                                   evidence_purpose=purpose[:500], evidence_version=1 if source or purpose else 0))
            written += size
            report(written, total, "正在保存文件……")
    session.flush()
    clocks.refresh_clock(session, case)
    changes.note(session, Changes.cases(case.id, list_changed=True))
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
