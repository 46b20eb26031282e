"""The centers of a county database (docs/centers.md): the county center, township centers and
village committees, each with its name, level, parent and case-number prefix.

Every case, team, mediator and account belongs to one center. A person reads the cases of their
own center; a head (and an administrator's counts) those of every center below theirs too, and
writes only their own center's (:func:`readable`, ``permissions.may_write``). On PostgreSQL the
server enforces the same with row-level security (migration 0022: ``md_current_center_ids()``,
``md_case_writable(case_id, center_id)``); on an SQLite file the services apply it.

The database's first center without a parent (the county's; a desk of one center has only it)
is the one the center settings ``center_name`` and ``case_number_prefix`` describe: changing
either setting renames or renumbers that center, and editing that center here changes the
settings (:func:`mirror_setting`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import Center, CenterLevel, Role, User
from ..models.org import ROOT_CENTER
from ..settings import CASE_NUMBER_PREFIX, CENTER_NAME, Setting
from . import audit, permissions
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied

#: The level a center's parent must have (a county center has none).
PARENT_LEVEL = {CenterLevel.TOWNSHIP: CenterLevel.COUNTY, CenterLevel.VILLAGE: CenterLevel.TOWNSHIP}
#: The roles that read the cases of the centers below their own (read-only).
READS_BELOW = frozenset({Role.HEAD, Role.ADMIN})
_NAME_MAX, _PREFIX_MAX = 80, 40


@dataclass(frozen=True)
class CenterInfo:
    id: int
    name: str
    level: CenterLevel
    parent_id: int | None
    parent_name: str
    prefix: str
    active: bool
    version: int
    #: How deep below the database's first center (0 for it): the screens indent by it.
    depth: int


@dataclass(frozen=True)
class CenterInput:
    name: str
    level: CenterLevel
    parent_id: int | None
    prefix: str


def root_id(session: Session) -> int | None:
    """The database's first center without a parent (the county center)."""
    value = session.scalar(select(ROOT_CENTER))
    return int(value) if value is not None else None


def below(session: Session, center_id: int) -> frozenset[int]:
    """``center_id`` and every center below it."""
    parents: dict[int, int | None] = {int(i): p for i, p in session.execute(select(Center.id, Center.parent_id))}
    found = {center_id}
    grew = True
    while grew:
        more = {cid for cid, parent in parents.items() if parent in found and cid not in found}
        found |= more
        grew = bool(more)
    return frozenset(found)


def center_of_user(session: Session, user_id: int) -> int | None:
    """The account's center; None on a database from before migration 0022 (an administrator
    signing in to upgrade it: no center restricts the maintenance that follows)."""
    try:
        with session.begin_nested():
            value = session.scalar(select(User.center_id).where(User.id == user_id))
    except (OperationalError, ProgrammingError):
        return None
    return int(value) if value is not None else None


def readable(session: Session, center_id: int | None, role: Role) -> frozenset[int]:
    """The centers whose cases an account of ``role`` at ``center_id`` reads (what
    ``md_current_center_ids()`` returns on a server)."""
    if center_id is None:
        return frozenset()
    if role in READS_BELOW:
        return below(session, center_id)
    return frozenset({center_id})


def list_centers(session: Session, actor: Actor | None = None) -> list[CenterInfo]:
    """Every center, each parent before its children (for an actor of a center: those it reads)."""
    rows = session.scalars(select(Center).order_by(Center.id)).all()
    by_parent: dict[int | None, list[Center]] = {}
    known = {c.id for c in rows}
    for c in rows:
        by_parent.setdefault(c.parent_id if c.parent_id in known else None, []).append(c)
    names = {c.id: c.name for c in rows}
    out: list[CenterInfo] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in by_parent.get(parent, []):
            out.append(_info(c, names, depth))
            walk(c.id, depth + 1)

    walk(None, 0)
    if actor is not None and actor.center_id is not None:
        mine = readable(session, actor.center_id, actor.role)  # now: a center added since the sign-in too
        out = [c for c in out if c.id in mine]
    return out


def _info(center: Center, names: dict[int, str], depth: int) -> CenterInfo:
    return CenterInfo(center.id, center.name, center.level, center.parent_id,
                      names.get(center.parent_id, "") if center.parent_id is not None else "", center.prefix,
                      center.active, center.version, depth)


def center_info(session: Session, center_id: int) -> CenterInfo:
    for info in list_centers(session):
        if info.id == center_id:
            return info
    raise NotFound(f"中心（编号 {center_id}）不存在。")


def names(session: Session, ids: Iterable[int] | None = None) -> dict[int, str]:
    stmt = select(Center.id, Center.name)
    if ids is not None:
        stmt = stmt.where(Center.id.in_(sorted(set(ids))))
    return {int(i): str(n) for i, n in session.execute(stmt)}


def _require_admin(actor: Actor) -> None:
    permissions.require_role(actor, permissions.ADMIN_ONLY, "添加或修改中心")


def _check(session: Session, actor: Actor, data: CenterInput, center: Center | None) -> CenterInput:
    name = " ".join(data.name.split())
    prefix = "".join(data.prefix.split())
    if not name:
        raise InvalidInput("name", "请填写中心名称。")
    if len(name) > _NAME_MAX:
        raise InvalidInput("name", f"中心名称最多 {_NAME_MAX} 个字，现在是 {len(name)} 个。")
    if not prefix:
        raise InvalidInput("prefix", "请填写案号前缀（如“甘州梁家墩调”，案号即为（2026）甘州梁家墩调字第0001号）。")
    if len(prefix) > _PREFIX_MAX:
        raise InvalidInput("prefix", f"案号前缀最多 {_PREFIX_MAX} 个字，现在是 {len(prefix)} 个。")
    if any(ch in prefix for ch in "（）()字第号"):
        raise InvalidInput("prefix", f"案号前缀“{prefix}”不能含括号或“字”“第”“号”：案号的其余部分由系统加上。")
    level = CenterLevel(data.level)
    own = center.id if center is not None else None
    if session.scalar(select(func.count()).select_from(Center).where(Center.name == name, Center.id != (own or 0))):
        raise InvalidInput("name", f"已有名为“{name}”的中心，请换一个名称。")
    if session.scalar(select(func.count()).select_from(Center).where(Center.prefix == prefix, Center.id != (own or 0))):
        raise InvalidInput("prefix", f"案号前缀“{prefix}”已被另一个中心使用；各中心的案号前缀须互不相同。")
    wanted_parent = PARENT_LEVEL.get(level)
    if wanted_parent is None:
        if data.parent_id is not None:
            raise InvalidInput("parent", "县级中心没有上级中心，请把“上级中心”留空。")
        if center is None or center.parent_id is not None:
            roots = session.scalar(select(func.count()).select_from(Center).where(Center.parent_id.is_(None),
                                                                                   Center.id != (own or 0)))
            if roots:
                raise InvalidInput("level", "一个数据库只有一个县级中心；乡镇或村级中心请选择其上级中心。")
        return CenterInput(name, level, None, prefix)
    if data.parent_id is None:
        raise InvalidInput("parent", f"{level.label}中心须选择其上级（{wanted_parent.label}）中心。")
    parent = session.get(Center, data.parent_id)
    if parent is None:
        raise InvalidInput("parent", f"所选的上级中心（编号 {data.parent_id}）不存在。")
    if parent.level is not wanted_parent:
        raise InvalidInput("parent", f"{level.label}中心的上级须是{wanted_parent.label}中心，“{parent.name}”是"
                                     f"{parent.level.label}中心。")
    if own is not None and parent.id in below(session, own):
        raise InvalidInput("parent", f"“{parent.name}”在本中心之下，不能作它的上级。")
    if actor.center_id is not None and parent.id not in readable(session, actor.center_id, actor.role):
        raise InvalidInput("parent", f"您只能在本中心“{_name(session, actor.center_id)}”及其下级中心之下添加中心。")
    return CenterInput(name, level, parent.id, prefix)


def _name(session: Session, center_id: int) -> str:
    return session.scalar(select(Center.name).where(Center.id == center_id)) or str(center_id)


def _fields(center: Center) -> dict[str, object]:
    return {"name": center.name, "level": center.level.value, "parent_id": center.parent_id,
            "prefix": center.prefix, "active": center.active}


def create_center(session: Session, actor: Actor, data: CenterInput) -> CenterInfo:
    """A new township center or village committee (the administrator's)."""
    _require_admin(actor)
    clean = _check(session, actor, data, None)
    center = Center(name=clean.name, level=clean.level, parent_id=clean.parent_id, prefix=clean.prefix)
    session.add(center)
    session.flush()
    changes.note(session, Changes(organisation=True))
    audit.record(session, actor, "create_center", "center", center.id, _fields(center))
    return center_info(session, center.id)


def update_center(session: Session, actor: Actor, center_id: int, data: CenterInput, *,
                  expected_version: int) -> CenterInfo:
    """Rename a center, change its prefix, level or parent; the first center's name and prefix
    are the center settings too (they change with it)."""
    _require_admin(actor)
    center = session.get(Center, center_id)
    if center is None:
        raise NotFound(f"中心（编号 {center_id}）不存在。")
    if actor.center_id is not None and center_id not in readable(session, actor.center_id, actor.role):
        raise PermissionDenied(f"中心“{center.name}”不在您所属中心之下，您无权修改它。")
    if center.version != expected_version:
        raise Conflict(f"中心“{center.name}”已被他人修改，请重新打开后再改。")
    before = _fields(center)
    clean = _check(session, actor, data, center)
    center.name, center.level, center.parent_id, center.prefix = clean.name, clean.level, clean.parent_id, clean.prefix
    session.flush()
    if center.id == root_id(session):
        from . import center as settings_store

        if settings_store.get(session, CENTER_NAME) != center.name:
            settings_store.put(session, CENTER_NAME, center.name, mirror=False)
        if settings_store.get(session, CASE_NUMBER_PREFIX) != center.prefix:
            settings_store.put(session, CASE_NUMBER_PREFIX, center.prefix, mirror=False)
    changes.note(session, Changes(organisation=True))
    after = _fields(center)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if changed:
        audit.record(session, actor, "update_center", "center", center.id, changed)
    return center_info(session, center.id)


def set_active(session: Session, actor: Actor, center_id: int, active: bool, *,
               expected_version: int | None = None) -> CenterInfo:
    """Deactivate (never delete) a center, or bring it back: its cases, people and numbers stay."""
    _require_admin(actor)
    center = session.get(Center, center_id)
    if center is None:
        raise NotFound(f"中心（编号 {center_id}）不存在。")
    if actor.center_id is not None and center_id not in readable(session, actor.center_id, actor.role):
        raise PermissionDenied(f"中心“{center.name}”不在您所属中心之下，您无权修改它。")
    if expected_version is not None and center.version != expected_version:
        raise Conflict(f"中心“{center.name}”已被他人修改，请重新打开后再改。")
    if not active and center.id in (root_id(session), actor.center_id):
        raise InvalidInput("active", f"不能停用“{center.name}”：它是县级中心或您自己所在的中心。")
    if center.active != active:
        center.active = active
        session.flush()
        changes.note(session, Changes(organisation=True))
        audit.record(session, actor, "update_center", "center", center.id, {"active": active})
    return center_info(session, center.id)


def mirror_setting(session: Session, setting: Setting[Any], value: str) -> None:
    """A center setting that is the first center's own column (its name, its prefix): keep the
    row in step with it."""
    if setting not in (CENTER_NAME, CASE_NUMBER_PREFIX) or not value.strip():
        return
    root = root_id(session)
    center = session.get(Center, root) if root is not None else None
    if center is None:
        return
    if setting == CENTER_NAME and center.name != value.strip():
        center.name = value.strip()[:_NAME_MAX]
    elif setting == CASE_NUMBER_PREFIX and center.prefix != value.strip():
        center.prefix = value.strip()[:_PREFIX_MAX]
    session.flush()


__all__ = [
    "PARENT_LEVEL", "READS_BELOW", "CenterInfo", "CenterInput", "below", "center_info", "create_center",
    "list_centers", "mirror_setting", "names", "readable", "root_id", "set_active", "update_center",
]
