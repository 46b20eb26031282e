"""Center-wide settings kept in the database, shared by every desk: typed reads and writes of the
settings declared in :mod:`mediation_desk.settings` (``center.get(session, settings.CENTER_NAME)``).

A missing or blank row is the setting's default; a stored text that is not of the setting's type
is a :class:`~.errors.SettingError` naming the setting in Chinese, not a traceback.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import Center, CenterFeedback, CenterSetting, DisputeCase, Role
from ..readmodels.center import CenterProfile, Issuer
from ..settings import (
    BASIC_COURT,
    CENTER_ADDRESS,
    CENTER_NAME,
    CENTER_PHONE,
    CENTER_SETTINGS,
    COMMITTEE_NAME,
    PUBLICITY_FEEDBACK_EMAIL,
    SETTING_TYPES,
    Setting,
)
from .errors import InvalidInput, NotFound, PermissionDenied, SettingError

if TYPE_CHECKING:
    from .actor import Actor

T = TypeVar("T")


def get(session: Session, setting: Setting[T]) -> T:
    """The center's value of ``setting``."""
    return read(session, setting).get(setting)


def read(session: Session, *wanted: Setting[Any]) -> Values:
    """The values of several settings in one query (``values.get(setting)``)."""
    for setting in wanted:
        _declared(setting)
    keys = [setting.key for setting in wanted]
    rows = session.execute(select(CenterSetting.key, CenterSetting.value).where(CenterSetting.key.in_(keys)))
    return Values({key: value for key, value in rows}, frozenset(keys))


class Values:
    """Stored texts of some center settings, read by :func:`read`."""

    def __init__(self, stored: dict[str, str], keys: frozenset[str]) -> None:
        self._stored = stored
        self._keys = keys

    def get(self, setting: Setting[T]) -> T:
        if setting.key not in self._keys:
            raise KeyError(setting.key)  # a caller that did not read it: a bug, not a user's error
        raw = self._stored.get(setting.key, "")
        try:
            return setting.parse(raw)
        except ValueError:
            raise SettingError(setting.key, f"中心设置“{setting.label}”的值“{raw.strip()}”无效：应为"
                               f"{SETTING_TYPES[setting.type]}。请管理员改正这项设置（{setting.key}）。") from None


def put(session: Session, setting: Setting[T], value: T, actor: Actor | None = None, *, mirror: bool = True) -> None:
    """Store ``value`` (of the setting's type); with an ``actor``, the change is audited. The
    center's name and case-number prefix are the first center's row too (``centers``), kept in
    step unless ``mirror`` is False (the center's own edit, which sets them)."""
    _declared(setting)
    try:
        text = setting.format(value)
    except TypeError:
        raise SettingError(setting.key, f"中心设置“{setting.label}”须为{SETTING_TYPES[setting.type]}，"
                           f"不能是“{value}”。") from None
    row = session.get(CenterSetting, setting.key)
    if row is None:
        session.add(CenterSetting(key=setting.key, value=text))
    else:
        row.value = text
    session.flush()
    if mirror:
        from . import centers

        centers.mirror_setting(session, setting, text)
    changes.note(session, Changes(settings=True))
    if actor is not None:
        from . import audit

        audit.record(session, actor, "set_setting", "center_setting", None, {"key": setting.key, "value": value})


def named(key: str) -> Setting[Any]:
    """The setting stored under ``key``; :class:`SettingError` for a key nobody declared."""
    setting = CENTER_SETTINGS.get(key)
    if setting is None:
        raise SettingError(key, f"没有名为“{key}”的中心设置。")
    return setting


def _declared(setting: Setting[Any]) -> None:
    if CENTER_SETTINGS.get(setting.key) != setting:
        raise SettingError(setting.key,
                           f"没有名为“{setting.key}”的中心设置（“{setting.label}”未在 settings.py 登记）。")


#: The closing words of a center's name that name the center, not its place. A township's 综治中心
#: hosts the town's people's mediation committee, which is named by its place: 甘州区梁家墩镇综治中心
#: → 甘州区梁家墩镇人民调解委员会, not "…综治中心人民调解委员会", a committee that does not exist.
CENTER_WORDS = ("矛盾纠纷多元化解中心", "矛盾纠纷调处化解中心", "矛盾纠纷调处中心", "矛盾纠纷调解中心",
                "社会治理综合服务中心", "综治中心", "调处中心")


def committee_of(center_name: str) -> str:
    """The people's mediation committee of a center other than the county's, from its name."""
    name = center_name.strip()
    if name.endswith("人民调解委员会"):
        return name
    for words in CENTER_WORDS:
        if name.endswith(words) and len(name) > len(words):
            return f"{name[:-len(words)]}人民调解委员会"
    return f"{name}人民调解委员会"


def issuer(session: Session, case_id: int | None = None) -> Issuer:
    """Who issues the documents of the case ``case_id`` (docs/centers.md, "The papers a center
    issues"): the center working on it — its handling center while it is reported up or assigned
    down (``coalesce(handling_center_id, center_id)``), else its own center.

    The county center (and a call without a case) prints the center settings: ``center_name``,
    ``committee_name`` (blank: "<center name>人民调解委员会"), ``center_address`` and
    ``center_phone``. Any other center prints its own name and its profile (``center_feedback``,
    migration 0042): its address and phone (blank: blank, a line to fill by hand — never the
    county's) and its committee (blank: the committee of its place, ``committee_of``). The basic
    court is county-wide.
    """
    if case_id is None:
        return center_issuer(session, None)
    working = session.scalar(select(func.coalesce(DisputeCase.handling_center_id, DisputeCase.center_id))
                             .where(DisputeCase.id == case_id))
    return center_issuer(session, working)


def center_issuer(session: Session, center_id: int | None) -> Issuer:
    """What the papers of ``center_id`` print of it (None, the county center or a center that does
    not exist: the county's, from the settings)."""
    the = read(session, CENTER_NAME, COMMITTEE_NAME, BASIC_COURT, CENTER_ADDRESS, CENTER_PHONE)  # missing: blank
    county = Issuer(center_name=the.get(CENTER_NAME), committee_name=the.get(COMMITTEE_NAME),
                    court_name=the.get(BASIC_COURT), address=the.get(CENTER_ADDRESS).strip(),
                    phone=the.get(CENTER_PHONE).strip())
    if center_id is None:
        return county
    issuing = session.execute(
        select(Center.name, Center.parent_id, CenterFeedback.address, CenterFeedback.phone,
               CenterFeedback.committee)
        .outerjoin(CenterFeedback, CenterFeedback.center_id == Center.id)
        .where(Center.id == center_id)).one_or_none()
    if issuing is None or issuing.parent_id is None:  # the county center: its name is the settings'
        return county
    return Issuer(center_name=issuing.name,
                  committee_name=(issuing.committee or "").strip() or committee_of(issuing.name),
                  court_name=county.court_name, address=(issuing.address or "").strip(),
                  phone=(issuing.phone or "").strip())


# --------------------------------------------------------------------------- a center's profile

#: A phone as a paper prints it: digits, separators and 转 (an extension), e.g. 0936-8212345 转 8001.
PHONE_TEXT = re.compile(r"^[0-9０-９+＋\-－—–() （）　转,，、/]+$")
ADDRESS_MAX, PHONE_MAX, COMMITTEE_MAX = 200, 40, 80
#: Who keeps their own center's profile (on a server, 0038's policies say the same).
PROFILE_KEEPERS = frozenset({Role.HEAD, Role.ADMIN})


def is_county(session: Session, center_id: int | None) -> bool:
    """Whether ``center_id`` is the county center (None: a call for no center, the county's)."""
    if center_id is None:
        return True
    parent = session.execute(select(Center.parent_id).where(Center.id == center_id)).one_or_none()
    if parent is None:
        raise NotFound(f"中心（编号 {center_id}）不存在。")
    return parent.parent_id is None


#: What a center keeps of itself, by field, and where the county center keeps each: its setting.
#: Another center keeps them in the same-named columns of its ``center_feedback`` row: its address
#: and phone (its papers print them, its public page gives them for feedback), its mailbox (the
#: public page's) and its committee (its papers').
OWN_FIELDS: dict[str, Setting[str]] = {"address": CENTER_ADDRESS, "phone": CENTER_PHONE,
                                       "email": PUBLICITY_FEEDBACK_EMAIL, "committee": COMMITTEE_NAME}


def own_fields(session: Session, center_id: int | None, *fields: str) -> dict[str, str]:
    """The ``fields`` (of :data:`OWN_FIELDS`) of ``center_id`` as kept, trimmed (blank: not set):
    the county center's settings, another center's ``center_feedback`` row."""
    if is_county(session, center_id):
        the = read(session, *(OWN_FIELDS[field] for field in fields))
        return {field: the.get(OWN_FIELDS[field]).strip() for field in fields}
    row = session.get(CenterFeedback, center_id)
    return {field: "" if row is None else (getattr(row, field) or "").strip() for field in fields}


def keep_own_fields(session: Session, actor: Actor, wanted: dict[str, str], action: str) -> None:
    """Keep ``wanted`` (fields of :data:`OWN_FIELDS`, checked and trimmed) as the actor's own
    center's; its other fields stay. The county center's go to its settings, each one changed
    audited as ``set_setting``; another center's to its ``center_feedback`` row, audited once as
    ``action`` with ``wanted``. Nothing is written when nothing changes. The caller checks who
    may (the head or the administrator; on a server, migration 0038's policies say the same)."""
    current = own_fields(session, actor.center_id, *wanted)
    if current == wanted:
        return
    if is_county(session, actor.center_id):
        for field, value in wanted.items():
            if current[field] != value:
                put(session, OWN_FIELDS[field], value, actor)
        return
    assert actor.center_id is not None  # not the county's: is_county(None) is True
    row = session.get(CenterFeedback, actor.center_id)
    if row is None:
        row = CenterFeedback(center_id=actor.center_id, address="", phone="", email="", committee="")
        session.add(row)
    for field, value in wanted.items():
        setattr(row, field, value)
    session.flush()
    changes.note(session, Changes(settings=True))
    from . import audit

    audit.record(session, actor, action, "center", actor.center_id, dict(wanted))


def profile(session: Session, center_id: int | None) -> CenterProfile:
    """The profile of ``center_id`` as kept (blank fields blank): the county center's settings,
    another center's ``center_feedback`` row."""
    return CenterProfile(**own_fields(session, center_id, "address", "phone", "committee"))


def default_committee(session: Session, center_id: int | None) -> str:
    """The committee the papers of ``center_id`` name while its profile names none."""
    if is_county(session, center_id):
        return Issuer(center_name=get(session, CENTER_NAME)).committee
    return committee_of(session.get_one(Center, center_id).name)


def check_phone(phone: str) -> None:
    """:class:`InvalidInput` on ``phone`` unless it is blank or reads as a phone number (the
    papers' and the public page's: one rule for the one number a center gives)."""
    if len(phone) > PHONE_MAX:
        raise InvalidInput("phone", f"联系电话最长 {PHONE_MAX} 个字符（现有 {len(phone)} 个）。")
    if phone and (not PHONE_TEXT.fullmatch(phone) or not any(ch.isdigit() for ch in phone)):
        raise InvalidInput("phone", f"联系电话“{phone}”不是电话号码：只能由数字、“-”、括号、空格和“转”组成，"
                                    "如 0936-8212345。")


def _check_line(field: str, label: str, value: str, most: int) -> None:
    if len(value) > most:
        raise InvalidInput(field, f"{label}最长 {most} 个字符（现有 {len(value)} 个）。")
    if any(not ch.isprintable() for ch in value):
        raise InvalidInput(field, f"{label}含有不可打印的字符，请重新输入。")


def checked_contacts(address: str, phone: str) -> tuple[str, str]:
    """The address and phone a center gives — its papers print them, its public page gives them
    for feedback: one pair, one rule — trimmed (runs of spaces in the address made one), or
    :class:`InvalidInput` naming the field and what is wrong with it."""
    address, phone = " ".join(address.split()), phone.strip()
    _check_line("address", "地址", address, ADDRESS_MAX)
    check_phone(phone)  # its own characters only (a full-width space between groups is one of them)
    return address, phone


def checked_profile(data: CenterProfile) -> CenterProfile:
    """``data`` trimmed, or :class:`InvalidInput` naming the field and what is wrong with it."""
    address, phone = checked_contacts(data.address, data.phone)
    committee = " ".join(data.committee.split())
    _check_line("committee", "人民调解委员会名称", committee, COMMITTEE_MAX)
    if committee and not committee.endswith("委员会"):
        raise InvalidInput("committee", f"人民调解委员会名称“{committee}”应以“委员会”结尾，"
                                             "如 梁家墩镇人民调解委员会；留空则按中心名称：去掉“综治中心”等字样后"
                                             "加“人民调解委员会”。")
    return CenterProfile(address, phone, committee)


def set_profile(session: Session, actor: Actor, data: CenterProfile) -> CenterProfile:
    """Keep the profile of the actor's own center (its head or administrator; audited when it
    changes). The county center's are its settings (``center_address``, ``center_phone``,
    ``committee_name``); another center's its ``center_feedback`` row, whose mailbox stays."""
    if actor.role not in PROFILE_KEEPERS:
        raise PermissionDenied(f"只有中心主任或系统管理员可以设置本中心的地址、电话和人民调解委员会名称"
                               f"（当前账户：{actor.role.label}）。")
    kept = checked_profile(data)
    keep_own_fields(session, actor, {"address": kept.address, "phone": kept.phone, "committee": kept.committee},
                    "center.profile")
    return kept
