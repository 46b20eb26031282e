"""Center-wide settings kept in the database, shared by every desk: typed reads and writes of the
settings declared in :mod:`mediation_desk.settings` (``center.get(session, settings.CENTER_NAME)``).

A missing or blank row is the setting's default; a stored text that is not of the setting's type
is a :class:`~.errors.SettingError` naming the setting in Chinese, not a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import Center, CenterSetting, DisputeCase
from ..readmodels.center import Issuer
from ..settings import BASIC_COURT, CENTER_NAME, CENTER_SETTINGS, COMMITTEE_NAME, SETTING_TYPES, Setting
from .errors import SettingError

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

    The county center (and a call without a case) prints the center settings: ``center_name`` and
    ``committee_name`` (blank: "<center name>人民调解委员会"). Any other center prints its own
    name and the committee of its place (``committee_of``). The basic court is county-wide.
    """
    the = read(session, CENTER_NAME, COMMITTEE_NAME, BASIC_COURT)  # missing ones print a blank
    county = Issuer(center_name=the.get(CENTER_NAME), committee_name=the.get(COMMITTEE_NAME),
                    court_name=the.get(BASIC_COURT))
    if case_id is None:
        return county
    issuing = session.execute(
        select(Center.name, Center.parent_id)
        .join(DisputeCase, Center.id == func.coalesce(DisputeCase.handling_center_id, DisputeCase.center_id))
        .where(DisputeCase.id == case_id)).one_or_none()
    if issuing is None or issuing.parent_id is None:  # the county center: its name is the settings'
        return county
    return Issuer(center_name=issuing.name, committee_name=committee_of(issuing.name), court_name=county.court_name)
