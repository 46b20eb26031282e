"""The center settings' registry (``settings.CENTER_SETTINGS``) and its typed reads and writes
(``services.center.get``/``put``) over real CenterSetting rows; and that no module but settings.py
spells a registered key."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import mediation_desk
from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, CenterSetting, Role
from mediation_desk.services import center
from mediation_desk.services.errors import SettingError
from mediation_desk.settings import Setting

from .helpers import make_user

PACKAGE = Path(mediation_desk.__file__).parent


def store_text(db: Database, key: str, text: str) -> None:
    """A row as another tool (or an older release, or a person with a database client) left it."""
    with db.write() as session:
        row = session.get(CenterSetting, key)
        if row is None:
            session.add(CenterSetting(key=key, value=text))
        else:
            row.value = text


def stored_text(db: Database, key: str) -> str | None:
    with db.read() as session:
        return session.scalar(select(CenterSetting.value).where(CenterSetting.key == key))


def test_every_setting_is_registered_once_with_a_chinese_label() -> None:
    assert len(settings.CENTER_SETTINGS) >= 13
    for key, setting in settings.CENTER_SETTINGS.items():
        assert setting.key == key
        assert type(setting.default) is setting.type, key
        assert setting.label and all(not ch.isascii() or ch in "()（）0123456789" for ch in setting.label), key
    assert len({s.label for s in settings.CENTER_SETTINGS.values()}) == len(settings.CENTER_SETTINGS)


def test_defaults_when_nothing_or_a_blank_is_stored(sqlite_db: Database) -> None:
    for key in settings.CENTER_SETTINGS:
        store_text(sqlite_db, key, "")
    store_text(sqlite_db, settings.RECEIPT_NEXT_STEP.key, "  ")
    with sqlite_db.write() as session:
        session.query(CenterSetting).filter(CenterSetting.key == settings.GROUP_DISPUTE_WINDOW_DAYS.key).delete()
    with sqlite_db.read() as session:
        for setting in settings.CENTER_SETTINGS.values():
            assert center.get(session, setting) == setting.default, setting.key
    with sqlite_db.read() as session:
        assert center.get(session, settings.GROUP_DISPUTE_THRESHOLD) == 5
        assert center.get(session, settings.IDLE_LOCK_MINUTES) == 10
        assert center.get(session, settings.IS_DEMO) is False
        assert center.get(session, settings.DOSSIER_RETENTION) == "长期"


@pytest.mark.parametrize(("setting", "value", "text"), [
    (settings.CENTER_NAME, "临泽县矛盾纠纷调处中心", "临泽县矛盾纠纷调处中心"),
    (settings.GROUP_DISPUTE_THRESHOLD, 3, "3"),
    (settings.IDLE_LOCK_MINUTES, 0, "0"),
    (settings.IS_DEMO, True, "1"),
    (settings.IS_DEMO, False, "0"),
])
def test_typed_round_trip(sqlite_db: Database, setting: Setting[object], value: object, text: str) -> None:
    with sqlite_db.write() as session:
        center.put(session, setting, value)
    assert stored_text(sqlite_db, setting.key) == text  # the text older releases read and wrote
    with sqlite_db.read() as session:
        got = center.get(session, setting)
    assert got == value and type(got) is setting.type


def test_several_in_one_read(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        center.put(session, settings.CENTER_NAME, "甘州区中心")
        center.put(session, settings.GROUP_DISPUTE_WINDOW_DAYS, 14)
    with sqlite_db.read() as session:
        the = center.read(session, settings.CENTER_NAME, settings.GROUP_DISPUTE_WINDOW_DAYS, settings.BASIC_COURT)
    assert (the.get(settings.CENTER_NAME), the.get(settings.GROUP_DISPUTE_WINDOW_DAYS),
            the.get(settings.BASIC_COURT)) == ("甘州区中心", 14, "")
    with pytest.raises(KeyError):
        the.get(settings.CENTER_PHONE)  # not read: a caller's bug, not a stored value's


@pytest.mark.parametrize(("setting", "text"), [
    (settings.GROUP_DISPUTE_THRESHOLD, "五"),
    (settings.GROUP_DISPUTE_WINDOW_DAYS, "30天"),
    (settings.IS_DEMO, "yes"),
])
def test_a_bad_stored_value_is_a_chinese_error_naming_the_setting(sqlite_db: Database, setting: Setting[object],
                                                                   text: str) -> None:
    store_text(sqlite_db, setting.key, text)
    with sqlite_db.read() as session, pytest.raises(SettingError) as raised:
        center.get(session, setting)
    message = str(raised.value)
    assert setting.label in message and f"“{text}”" in message and "请管理员改正" in message
    assert raised.value.key == setting.key


def test_the_registration_check_reads_the_error_not_a_traceback(sqlite_db: Database) -> None:
    """The intake's group-dispute signal over a bad threshold: the service's error, in Chinese."""
    from mediation_desk.services import intake

    store_text(sqlite_db, settings.GROUP_DISPUTE_THRESHOLD.key, "5件")
    with sqlite_db.read() as session, pytest.raises(SettingError, match="群体性纠纷提示的申请人数"):
        intake.group_signal(session, respondent_name="某公司")


def test_the_idle_lock_keeps_locking_over_a_bad_value(sqlite_db: Database) -> None:
    from mediation_desk.services import auth

    store_text(sqlite_db, settings.IDLE_LOCK_MINUTES.key, "十分钟")
    with sqlite_db.read() as session:
        assert auth.idle_lock_minutes(session) == settings.IDLE_LOCK_MINUTES.default


def test_a_value_of_another_type_is_refused(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        text: Any = "10"  # what a careless caller might pass
        with pytest.raises(SettingError, match="锁屏时间"):
            center.put(session, settings.IDLE_LOCK_MINUTES, text)
        with pytest.raises(SettingError, match="群体性纠纷提示的申请人数"):
            center.put(session, settings.GROUP_DISPUTE_THRESHOLD, True)  # a bool is not a number
    assert stored_text(sqlite_db, settings.IDLE_LOCK_MINUTES.key) is None


def test_an_unknown_key_is_refused(sqlite_db: Database) -> None:
    stray: Setting[Any] = Setting("center_motto", str, "", "中心口号")
    impostor: Setting[Any] = Setting(settings.CENTER_NAME.key, int, 0, "中心名称")  # the key, another type
    with sqlite_db.write() as session:
        for setting in (stray, impostor):
            with pytest.raises(SettingError, match="没有名为"):
                center.put(session, setting, setting.default)
            with pytest.raises(SettingError, match="没有名为"):
                center.get(session, setting)
    assert stored_text(sqlite_db, "center_motto") is None
    with pytest.raises(SettingError, match="没有名为“center_motto”的中心设置"):
        center.named("center_motto")
    assert center.named(settings.BASIC_COURT.key) is settings.BASIC_COURT


def test_a_write_by_a_person_is_audited(sqlite_db: Database) -> None:
    admin = make_user(sqlite_db, "admin2", Role.ADMIN)
    with sqlite_db.write() as session:
        center.put(session, settings.PUBLICITY_NAME_STYLE, "某某", admin)
        center.put(session, settings.CENTER_PHONE, "0936-1234567")  # no actor: no entry
    with sqlite_db.read() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "set_setting")).all()
    assert [(e.entity, e.detail) for e in entries] == [
        ("center_setting", {"key": settings.PUBLICITY_NAME_STYLE.key, "value": "某某"})]


def test_a_key_is_declared_once(tmp_path: Path) -> None:
    """No module but settings.py holds a string equal to a registered key: every reader and
    writer goes through the Setting object."""
    assert key_spellings(PACKAGE) == []
    # The check itself finds a stray spelling, and names the file.
    (tmp_path / "settings.py").write_text('KEY = "basic_court"\n', encoding="utf-8")
    stray = tmp_path / "services" / "confirmation.py"
    stray.parent.mkdir()
    stray.write_text('COURT_KEY = "basic_court"\nNOTE = "basic_court is printed"\n', encoding="utf-8")
    assert key_spellings(tmp_path) == ["services/confirmation.py:1: 'basic_court'"]


def key_spellings(package: Path) -> list[str]:
    keys = set(settings.CENTER_SETTINGS)
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative == "settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys:
                found.append(f"{relative}:{node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize(("center_name", "committee"), [
    ("甘州区梁家墩镇综治中心", "甘州区梁家墩镇人民调解委员会"),
    ("甘州区党寨镇社会治理综合服务中心", "甘州区党寨镇人民调解委员会"),
    ("临泽县矛盾纠纷调处中心", "临泽县人民调解委员会"),
    ("梁家墩村人民调解委员会", "梁家墩村人民调解委员会"),
    (" 新墩镇 ", "新墩镇人民调解委员会"),
    ("综治中心", "综治中心人民调解委员会"),
])
def test_a_centers_committee_is_named_by_its_place(center_name: str, committee: str) -> None:
    from mediation_desk.services.center import committee_of

    assert committee_of(center_name) == committee
