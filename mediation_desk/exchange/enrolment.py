"""Enrolment files: setting up an offline township's desk from the county's own rows
(docs/crossings.md, "Setting up a township desk").

A crossing packet names its centers by case-number prefix, so the township's SQLite file must hold
the county center and the township center with **the same names, levels and prefixes** as the
county's server, and a case carried down keeps its dispute type only if the township knows the
type's name (``importer.dispute_type_for`` falls back to 其他). Typing these by hand invites a
one-character mismatch that is found only when the first packet is refused.

At the county, :func:`write_enrolment` writes a small ZIP: ``manifest.json`` (format
``mediation-desk/center-enrolment``, its own ``schema_version``) listing one member,
``enrolment.json``, with its size and SHA-256 — read with the same ZIP and JSON care as a packet
(``importer.read_members``, ``manifest.load_json``). ``enrolment.json`` holds the chain of centers
from the county center down to the enrolled one (name, level, prefix, parent's prefix), the
county's dispute types (name, 隐私 flag, order), and the last case number the county has issued or
holds under the enrolled center's prefix, per year (a township that worked on the server before, or
cases the county registered for it): the desk's counter starts after them, so no number is issued
twice. When the enrolled center's profile is kept on the server (its address, phone and committee
name, ``center_feedback``, docs/centers.md "The papers a center issues"), the file carries it as
``profile`` and is version 2; a file without one stays version 1, which every desk reads.

At the township, :func:`enrol` checks the file and applies it in one write transaction: each center
of the chain is found by its prefix (renamed if the county renamed it) or created under its parent;
the database's first center, while it holds no case, becomes the county center (a new file's
default center); the dispute types the township lacks are added; the enrolled center's counters
are moved past the county's numbers; the profile fills what the township has not kept itself (a field
it already keeps otherwise is left and named in the result). A conflicting row — a prefix used
here by a center of another level or parent, a name used here with another prefix, a first center
that already numbers cases under another prefix — refuses the whole file, naming both sides, and
nothing is written. Applied again, it finds everything in place and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import __version__, changes
from ..changes import Changes
from ..db import Database
from ..files import TargetRefused, atomic_output, check_target
from ..models import CaseNumberSequence, Center, CenterFeedback, CenterLevel, DisputeCase, DisputeType, now
from ..readmodels.center import CenterProfile
from ..services import audit, auth, centers, permissions
from ..services import center as center_store
from ..services.actor import Actor
from ..services.errors import InvalidInput, PermissionDenied
from ..services.numbering import reserve_through
from .errors import PacketRefused
from .importer import PacketLimits, read_members
from .manifest import MANIFEST_NAME, exact_object, load_json

FORMAT = "mediation-desk/center-enrolment"
#: What the shared ZIP checks call this file in their refusals (``importer.read_members``).
WHAT = "入驻文件"
#: The version this desk writes and the versions it reads: 2 carries the enrolled center's
#: profile; a file without one is written as version 1, so a desk of before reads it.
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
PROFILE_VERSION = 2
#: The profile's fields as the file names them, and as a message names them.
PROFILE_FIELDS = (("address", "地址"), ("phone", "电话"), ("committee", "人民调解委员会名称"))
CONTENT_NAME = "enrolment.json"
#: A few centers and types: a file of kilobytes. Anything much larger is not one of ours.
LIMITS = PacketLimits(max_packet_bytes=1024 * 1024, max_total_bytes=1024 * 1024, max_file_bytes=512 * 1024,
                      max_manifest_bytes=64 * 1024, max_entries=2)
_MAX_TYPES = 200
_UID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class CenterEntry:
    name: str
    level: CenterLevel
    prefix: str
    parent: str | None  # the parent's prefix (None for the county center)


@dataclass(frozen=True)
class TypeEntry:
    name: str
    is_private: bool
    sort_order: int


@dataclass(frozen=True)
class Enrolment:
    """A verified enrolment file."""

    enrolment_id: str
    #: County center first, the enrolled center last.
    centers: tuple[CenterEntry, ...]
    dispute_types: tuple[TypeEntry, ...]
    #: (year, last sequence) the county issued or holds under the enrolled center's prefix.
    numbers: tuple[tuple[int, int], ...] = ()
    #: The enrolled center's profile as the county keeps it (None: none kept, or a version-1 file).
    profile: CenterProfile | None = None

    @property
    def center(self) -> CenterEntry:
        return self.centers[-1]


@dataclass(frozen=True)
class EnrolmentExport:
    path: Path
    enrolment_id: str
    sha256: str
    size: int
    enrolment: Enrolment


@dataclass(frozen=True)
class EnrolmentResult:
    enrolment: Enrolment
    created: tuple[str, ...]
    updated: tuple[str, ...]
    types_added: tuple[str, ...]
    #: The years whose counter of the enrolled center moved past the county's numbers.
    years_reserved: tuple[int, ...] = ()
    #: The profile's fields filled from the file, and those this desk keeps otherwise (left as they are).
    profile_set: tuple[str, ...] = ()
    profile_kept: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.types_added or self.years_reserved or self.profile_set)

    @property
    def message(self) -> str:
        e = self.enrolment
        chain = " → ".join(f"{c.name}（{c.prefix}）" for c in e.centers)
        kept = (f"本库已填写的{'、'.join(self.profile_kept)}与县级不同，保留本库的。" if self.profile_kept else "")
        if not self.changed:
            return f"入驻文件此前已应用：本库的中心与县级一致（{chain}），本次未作任何更改。{kept}"
        parts = []
        if self.created:
            parts.append("新建中心：" + "、".join(self.created))
        if self.updated:
            parts.append("按县级修改中心：" + "、".join(self.updated))
        if self.types_added:
            parts.append(f"新增纠纷类型 {len(self.types_added)} 个")
        if self.years_reserved:
            last = dict(e.numbers)
            parts.append(f"{e.center.name}的案号从县级已有的号码之后接续（" + "、".join(
                f"{year} 年第 {last[year]} 号之后" for year in self.years_reserved) + "）")
        if self.profile_set:
            parts.append(f"按县级填写{e.center.name}文书上的" + "、".join(self.profile_set))
        return f"已应用入驻文件（{chain}）：" + "；".join(parts) + "。" + kept


# --------------------------------------------------------------------------- writing (the county)


def _chain(session: Session, center: Center) -> list[Center]:
    chain = [center]
    seen = {center.id}
    while chain[0].parent_id is not None:
        parent = session.get(Center, chain[0].parent_id)
        if parent is None or parent.id in seen:
            break
        chain.insert(0, parent)
        seen.add(parent.id)
    return chain


def write_enrolment(database: Database, actor: Actor, prefix: str, *, out: Path) -> EnrolmentExport:
    """Write the enrolment file of the center whose case-number prefix is ``prefix`` to ``out``
    (the county's administrator)."""
    out = Path(out)
    try:
        check_target(out, what="入驻文件")
    except TargetRefused as refused:
        raise InvalidInput("out", refused.message) from None
    permissions.require_role(actor, permissions.ADMIN_ONLY, "生成入驻文件")
    enrolment_id = str(uuid.uuid4())
    created = now().replace(microsecond=0)
    with database.read() as session:
        center = session.scalar(select(Center).where(Center.prefix == "".join(prefix.split())))
        if center is None:
            known = "、".join(f"{c.name}（{c.prefix}）" for c in centers.list_centers(session) if c.parent_id)
            raise InvalidInput("center", f"本库没有案号前缀为“{prefix}”的中心。"
                               + (f"下级中心有：{known}。" if known else ""))
        if actor.center_id is not None and center.id not in centers.readable(session, actor.center_id, actor.role):
            raise PermissionDenied(f"中心“{center.name}”不在您所属中心之下，不能为它生成入驻文件。")
        if center.parent_id is None:
            raise InvalidInput("center", f"“{center.name}”是县级中心本身：入驻文件是给它的乡镇或村级中心的。")
        if not center.active:
            raise InvalidInput("center", f"中心“{center.name}”已停用，不能为它生成入驻文件。")
        chain = _chain(session, center)
        types = session.scalars(select(DisputeType).where(DisputeType.active.is_(True))
                                .order_by(DisputeType.sort_order, DisputeType.id)).all()
        numbers: dict[int, int] = {}
        for year, last in session.execute(select(CaseNumberSequence.year, CaseNumberSequence.last_value).where(
                CaseNumberSequence.center_id == center.id)):
            numbers[int(year)] = max(numbers.get(int(year), 0), int(last or 0))
        for year, last in session.execute(select(DisputeCase.year, func.max(DisputeCase.seq)).where(
                DisputeCase.center_id == center.id).group_by(DisputeCase.year)):
            numbers[int(year)] = max(numbers.get(int(year), 0), int(last or 0))
        content = {
            "centers": [{"name": c.name, "level": c.level.value, "prefix": c.prefix,
                         "parent": chain[i - 1].prefix if i else None} for i, c in enumerate(chain)],
            "dispute_types": [{"name": t.name, "is_private": t.is_private, "sort_order": t.sort_order}
                              for t in types],
            "numbers": [{"year": year, "last": last} for year, last in sorted(numbers.items()) if last > 0],
        }
        profile = center_store.profile(session, center.id)
        if profile != CenterProfile():
            content["profile"] = {"address": profile.address, "phone": profile.phone,
                                  "committee": profile.committee}
    version = PROFILE_VERSION if "profile" in content else 1
    body = json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")
    manifest = {
        "format": FORMAT, "schema_version": version, "enrolment_id": enrolment_id,
        "created_at": created.isoformat(timespec="seconds"), "generator": f"矛调工作台 {__version__}",
        "files": [{"path": CONTENT_NAME, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}],
    }
    stamp = (created.year, created.month, created.day, created.hour, created.minute, created.second)
    with atomic_output(out, what="入驻文件") as raw, zipfile.ZipFile(raw, "w") as zf:
        for name, data in ((CONTENT_NAME, body),
                           (MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    data = out.read_bytes()
    enrolment = _parse_content(content, enrolment_id, version)
    with database.write() as session:
        audit.record(session, actor, "center.enrolment_export", "center", chain[-1].id,
                     {"prefix": chain[-1].prefix, "enrolment_id": enrolment_id})
    return EnrolmentExport(out, enrolment_id, hashlib.sha256(data).hexdigest(), len(data), enrolment)


# --------------------------------------------------------------------------- reading


def _where(path: str) -> str:
    return f"入驻文件的 {path}"


def _object(data: Any, path: str, keys: set[str]) -> dict[str, Any]:
    return exact_object(data, _where(path), keys)


def _text(value: Any, path: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PacketRefused(f"{_where(path)} 应为非空的字符串。")
    if len(value) > limit or _BAD_CHARS.search(value) or value != value.strip():
        raise PacketRefused(f"{_where(path)} 超过 {limit} 个字符或含有不可用的字符，文件已损坏或不是本程序生成的。")
    return value


def _parse_profile(data: Any) -> CenterProfile:
    item = _object(data, "profile", {name for name, _label in PROFILE_FIELDS})
    for name, _label in PROFILE_FIELDS:
        value = item[name]
        if not isinstance(value, str) or _BAD_CHARS.search(value):
            raise PacketRefused(f"{_where('profile.' + name)} 应为不含控制字符的字符串。")
    try:
        profile = center_store.checked_profile(CenterProfile(item["address"], item["phone"], item["committee"]))
    except InvalidInput as bad:
        raise PacketRefused(f"{_where('profile.' + bad.field)} 无效：{bad}") from None
    if profile == CenterProfile():
        raise PacketRefused(f"{_where('profile')} 各项均为空：县级未填写时文件不带 profile。")
    return profile


def _parse_content(data: Any, enrolment_id: str, version: int = SCHEMA_VERSION) -> Enrolment:
    keys = {"centers", "dispute_types", "numbers"}
    if version >= PROFILE_VERSION and isinstance(data, dict) and "profile" in data:
        keys.add("profile")  # optional in a version-2 file; a version-1 file with one is refused
    body = _object(data, "enrolment.json", keys)
    chain = body["centers"]
    if not isinstance(chain, list) or not 2 <= len(chain) <= 3:
        raise PacketRefused(f"{_where('centers')} 应列出县级中心及其下的 1 到 2 级中心。")
    entries: list[CenterEntry] = []
    for index, item in enumerate(chain):
        where = f"centers[{index}]"
        _object(item, where, {"name", "level", "prefix", "parent"})
        name = _text(item["name"], where + ".name", 80)
        prefix = _text(item["prefix"], where + ".prefix", 40)
        if any(ch in prefix for ch in "（）()字第号") or "".join(prefix.split()) != prefix:
            raise PacketRefused(f"{_where(where + '.prefix')}“{prefix}”不是有效的案号前缀。")
        try:
            level = CenterLevel(item["level"]) if isinstance(item["level"], str) else None
        except ValueError:
            level = None
        wanted = CenterLevel.COUNTY if index == 0 else centers.PARENT_LEVEL.get(level) if level else None
        if level is None or (index == 0 and level is not CenterLevel.COUNTY) or (
                index > 0 and wanted is not entries[-1].level):
            raise PacketRefused(f"{_where(where + '.level')} 的层级无效（应自县级中心起，逐级向下）。")
        parent = item["parent"]
        if (index == 0 and parent is not None) or (index > 0 and parent != entries[-1].prefix):
            raise PacketRefused(f"{_where(where + '.parent')} 应为上一级中心的案号前缀（县级中心为 null）。")
        if any(e.prefix == prefix or e.name == name for e in entries):
            raise PacketRefused(f"{_where(where)} 与上级中心的名称或案号前缀重复。")
        entries.append(CenterEntry(name, level, prefix, parent))
    types = body["dispute_types"]
    if not isinstance(types, list) or len(types) > _MAX_TYPES:
        raise PacketRefused(f"{_where('dispute_types')} 应为数组（至多 {_MAX_TYPES} 项）。")
    type_entries: list[TypeEntry] = []
    for index, item in enumerate(types):
        where = f"dispute_types[{index}]"
        _object(item, where, {"name", "is_private", "sort_order"})
        name = _text(item["name"], where + ".name", 40)
        order = item["sort_order"]
        if not isinstance(item["is_private"], bool) or not isinstance(order, int) or isinstance(order, bool) \
                or not 0 <= order <= 10**6:
            raise PacketRefused(f"{_where(where)} 的 is_private 或 sort_order 无效。")
        if any(t.name == name for t in type_entries):
            raise PacketRefused(f"{_where(where)}：纠纷类型“{name}”出现了两次。")
        type_entries.append(TypeEntry(name, item["is_private"], order))
    numbers = body["numbers"]
    if not isinstance(numbers, list) or len(numbers) > 200:
        raise PacketRefused(f"{_where('numbers')} 应为数组（至多 200 项）。")
    years: dict[int, int] = {}
    for index, item in enumerate(numbers):
        where = f"numbers[{index}]"
        _object(item, where, {"year", "last"})
        year, last = item["year"], item["last"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (year, last)) \
                or not 1949 <= year <= 9999 or not 1 <= last <= 10**9 or year in years:
            raise PacketRefused(f"{_where(where)} 的年份或案号序号无效。")
        years[year] = last
    profile = _parse_profile(body["profile"]) if "profile" in body else None
    return Enrolment(enrolment_id, tuple(entries), tuple(type_entries), tuple(sorted(years.items())), profile)


def read_enrolment(path: Path) -> Enrolment:
    """Check everything about the enrolment file at ``path``; ``PacketRefused`` says what is wrong.
    Reads the file and nothing else."""
    raw, members = read_members(Path(path), LIMITS, what=WHAT)
    data = load_json(raw, what=WHAT)
    if not isinstance(data, dict):
        raise PacketRefused("manifest.json 的内容应为一个 JSON 对象。")
    if data.get("format") != FORMAT:
        raise PacketRefused(f"这不是矛调工作台的入驻文件：manifest.json 的 format 应为“{FORMAT}”。")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 10**6:
        raise PacketRefused("manifest.json 缺少有效的 schema_version（清单版本号）。")
    if version not in READABLE_VERSIONS:
        raise PacketRefused(f"不支持的入驻文件版本 {version}：本程序只能读取第 1 至 {SCHEMA_VERSION} 版的入驻文件。"
                            + ("请升级矛调工作台后再导入。" if version > SCHEMA_VERSION else ""))
    manifest = _object(data, "manifest.json", {"format", "schema_version", "enrolment_id", "created_at",
                                               "generator", "files"})
    if not isinstance(manifest["enrolment_id"], str) or not _UID.match(manifest["enrolment_id"]):
        raise PacketRefused("manifest.json 的 enrolment_id 应为小写的 UUID。")
    _text(manifest["created_at"], "manifest.json 的 created_at", 40)
    _text(manifest["generator"], "manifest.json 的 generator", 100)
    files = manifest["files"]
    if not isinstance(files, list) or len(files) != 1:
        raise PacketRefused(f"manifest.json 的 files 应只列出 {CONTENT_NAME}。")
    item = _object(files[0], "manifest.json 的 files[0]", {"path", "size", "sha256"})
    if item["path"] != CONTENT_NAME or not isinstance(item["sha256"], str) or not _SHA.match(item["sha256"]) \
            or not isinstance(item["size"], int) or isinstance(item["size"], bool):
        raise PacketRefused(f"manifest.json 的 files[0] 应为 {CONTENT_NAME} 及其大小和 SHA-256。")
    extra = sorted(set(members) - {CONTENT_NAME})
    if extra:
        raise PacketRefused(f"入驻文件中有清单未列出的文件“{extra[0][:80]}”，可能被夹带或改动，拒绝导入。")
    content = members.get(CONTENT_NAME)
    if content is None:
        raise PacketRefused(f"入驻文件中缺少清单所列的 {CONTENT_NAME}，拒绝导入。")
    if len(content) != item["size"] or hashlib.sha256(content).hexdigest() != item["sha256"]:
        raise PacketRefused(f"{CONTENT_NAME} 的大小或 SHA-256 校验值与清单不符：文件已被改动或损坏，拒绝导入。")
    return _parse_content(load_json(content, what=WHAT), manifest["enrolment_id"], version)


# --------------------------------------------------------------------------- applying (the township)


def _cases_of(session: Session, center_id: int) -> int:
    return session.scalar(select(func.count()).select_from(DisputeCase).where(DisputeCase.center_id == center_id)) or 0


def _named(session: Session, name: str, other_than: int | None) -> Center | None:
    stmt = select(Center).where(Center.name == name)
    if other_than is not None:
        stmt = stmt.where(Center.id != other_than)
    return session.scalar(stmt)


def apply_enrolment(session: Session, actor: Actor, enrolment: Enrolment) -> EnrolmentResult:
    """Make this database's centers match the file (in ``session``'s transaction), or refuse."""
    permissions.require_role(actor, permissions.ADMIN_ONLY, "导入入驻文件")
    created: list[str] = []
    updated: list[str] = []
    previous: Center | None = None
    for index, entry in enumerate(enrolment.centers):
        center = session.scalar(select(Center).where(Center.prefix == entry.prefix))
        if index == 0:
            root_id = centers.root_id(session)
            root = session.get(Center, root_id) if root_id is not None else None
            if center is not None and (root is None or center.id != root.id):
                raise PacketRefused(f"本库中案号前缀“{entry.prefix}”属于“{center.name}”（{center.level.label}），"
                                    f"不是本库的首个中心；县级服务器上它是县级中心“{entry.name}”。请核对后再导入。")
            if center is None and root is not None:
                held = _cases_of(session, root.id)
                if held:
                    raise PacketRefused(
                        f"本库的首个中心“{root.name}”（案号前缀“{root.prefix}”）已有 {held} 件案件，不能改为县级中心"
                        f"“{entry.name}”（案号前缀“{entry.prefix}”）：已编的案号不能改变。请在新的数据库文件中导入入驻文件。")
                center = root
        if center is not None:
            wanted_parent = previous.id if previous is not None else None
            if center.level is not entry.level or center.parent_id != wanted_parent:
                parent_name = previous.name if previous is not None else "无"
                raise PacketRefused(
                    f"本库中案号前缀“{entry.prefix}”的中心“{center.name}”是{center.level.label}中心，上级为"
                    f"“{_parent_name(session, center)}”；县级服务器上它是{entry.level.label}中心“{entry.name}”，"
                    f"上级为“{parent_name}”。请核对后再导入。")
            if center.name != entry.name or center.prefix != entry.prefix:
                clash = _named(session, entry.name, center.id)
                if clash is not None:
                    raise PacketRefused(f"本库已有名为“{entry.name}”的另一个中心（案号前缀“{clash.prefix}”），"
                                        f"而县级服务器上“{entry.name}”的案号前缀是“{entry.prefix}”。请核对后再导入。")
                before = {"name": center.name, "prefix": center.prefix}
                center.name, center.prefix = entry.name, entry.prefix
                session.flush()
                if center.id == centers.root_id(session):
                    _mirror_settings(session, center)
                changed = {k: v for k, v in {"name": center.name, "prefix": center.prefix}.items() if before[k] != v}
                audit.record(session, actor, "update_center", "center", center.id, changed)
                updated.append(entry.name)
        else:
            clash = _named(session, entry.name, None)
            if clash is not None:
                raise PacketRefused(f"本库已有名为“{entry.name}”的中心，案号前缀是“{clash.prefix}”，而县级服务器上是"
                                    f"“{entry.prefix}”：各中心的名称和前缀须与县级一致。请核对后再导入。")
            assert previous is not None  # the first entry always finds the first center (or there is none)
            center = Center(name=entry.name, level=entry.level, parent_id=previous.id, prefix=entry.prefix)
            session.add(center)
            session.flush()
            audit.record(session, actor, "create_center", "center", center.id, {
                "name": center.name, "level": center.level.value, "parent_id": center.parent_id,
                "prefix": center.prefix, "active": True})
            created.append(entry.name)
        if not center.active:
            raise PacketRefused(f"本库中的中心“{center.name}”已停用：请先在 系统管理 → 中心 恢复它，再导入入驻文件。")
        previous = center
    known = set(session.scalars(select(DisputeType.name)))
    added = []
    for t in enrolment.dispute_types:
        if t.name not in known:
            session.add(DisputeType(name=t.name, sort_order=t.sort_order, is_private=t.is_private))
            added.append(t.name)
    session.flush()
    assert previous is not None
    reserved = []
    for year, last in enrolment.numbers:
        current = session.scalar(select(CaseNumberSequence.last_value).where(
            CaseNumberSequence.center_id == previous.id, CaseNumberSequence.year == year)) or 0
        if last > current:
            reserve_through(session, year, last, previous.id)
            reserved.append(year)
    session.flush()
    profile_set, profile_kept = _apply_profile(session, actor, previous, enrolment.profile)
    result = EnrolmentResult(enrolment, tuple(created), tuple(updated), tuple(added), tuple(reserved),
                             profile_set, profile_kept)
    if result.changed:
        changes.note(session, Changes(organisation=True))
        audit.record(session, actor, "center.enrolment", "center", previous.id, {
            "enrolment_id": enrolment.enrolment_id, "prefix": previous.prefix, "created": list(created),
            "updated": list(updated), "dispute_types": added, "numbers_from": {
                str(year): last for year, last in enrolment.numbers if year in reserved}})
    return result


def _apply_profile(session: Session, actor: Actor, center: Center,
                   profile: CenterProfile | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Fill the enrolled center's profile from the file where this desk keeps nothing: (the
    fields filled, the fields this desk keeps otherwise and keeps)."""
    if profile is None:
        return (), ()
    row = session.get(CenterFeedback, center.id)
    if row is None:
        row = CenterFeedback(center_id=center.id, address="", phone="", email="", committee="")
        session.add(row)
    filled: list[str] = []
    kept: list[str] = []
    details: dict[str, str] = {}
    for name, label in PROFILE_FIELDS:
        theirs, ours = getattr(profile, name), (getattr(row, name) or "").strip()
        if not theirs or theirs == ours:
            continue
        if ours:
            kept.append(label)
            continue
        setattr(row, name, theirs)
        filled.append(label)
        details[name] = theirs
    if filled:
        session.flush()
        audit.record(session, actor, "center.profile", "center", center.id, details)
    elif row in session.new:
        session.expunge(row)
    return tuple(filled), tuple(kept)


def _parent_name(session: Session, center: Center) -> str:
    if center.parent_id is None:
        return "无"
    parent = session.get(Center, center.parent_id)
    return parent.name if parent is not None else "无"


def _mirror_settings(session: Session, center: Center) -> None:
    """The first center's name and prefix are the center settings too (as ``centers.update_center``)."""
    from ..services import center as settings_store
    from ..settings import CASE_NUMBER_PREFIX, CENTER_NAME

    if settings_store.get(session, CENTER_NAME) != center.name:
        settings_store.put(session, CENTER_NAME, center.name, mirror=False)
    if settings_store.get(session, CASE_NUMBER_PREFIX) != center.prefix:
        settings_store.put(session, CASE_NUMBER_PREFIX, center.prefix, mirror=False)


def enrol(database: Database, actor: Actor, path: Path, *, no_accounts: bool = False) -> EnrolmentResult:
    """Check the enrolment file, then apply it in one write transaction (a desk's SQLite file).
    ``no_accounts``: the login-less setup of a new file, refused (in that transaction) once any
    account exists."""
    if not database.is_sqlite:
        raise InvalidInput("database", "入驻文件用于离线乡镇工作台的 SQLite 数据库；县级服务器上的中心由县级系统管理员"
                                       "在 组织机构 → 中心 中设置。")
    enrolment = read_enrolment(Path(path))
    with database.write() as session:
        if no_accounts and auth.has_users(session):
            raise PermissionDenied("这个数据库已经有用户账户：请以系统管理员登录（--as 用户名）后再导入入驻文件。")
        return apply_enrolment(session, actor, enrolment)


__all__ = ["FORMAT", "SCHEMA_VERSION", "CenterEntry", "Enrolment", "EnrolmentExport", "EnrolmentResult",
           "TypeEntry", "apply_enrolment", "enrol", "read_enrolment", "write_enrolment"]
