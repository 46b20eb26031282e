"""The password policy on every set and change, the forced first change, the idle-lock setting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, Role, User
from mediation_desk.services import auth
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import AccountLocked, AuthenticationFailed, InvalidInput, PermissionDenied

from .helpers import PASSWORD, make_user


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("abcdefgh", "大写字母、数字、符号（再加其中 2 类即可）"),
        ("abcd1234", "大写字母、符号（再加其中 1 类即可）"),
        ("ABCDabcd", "数字、符号（再加其中 1 类即可）"),
        ("12345678!", "小写字母、大写字母（再加其中 1 类即可）"),
    ],
)
def test_the_message_names_the_missing_classes(password: str, missing: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        auth.check_password_policy(password, "new_password")
    assert refused.value.field == "new_password"
    assert refused.value.message.endswith(f"目前缺少：{missing}。")


@pytest.mark.parametrize("password", ["Demo@2026", PASSWORD, "abcd1234!", "ABCD1234a", "张三丰abc123", "Admin@2026"])
def test_strong_enough_passwords_pass(password: str) -> None:
    auth.check_password_policy(password)


def test_too_short_is_said_first() -> None:
    with pytest.raises(InvalidInput, match="至少需要 8 个字符"):
        auth.check_password_policy("Ab1!xyz")
    auth.check_password_policy("Ab1!xyzw")
    assert demo.DEMO_PASSWORD == "Demo@2026"


def test_policy_applies_to_create_reset_and_own_change(db: Database) -> None:
    admin = make_user(db, "admin", Role.ADMIN)
    with pytest.raises(InvalidInput, match="目前缺少"), db.write() as session:
        auth.create_user(session, admin, username="wang", display_name="王", role=Role.INTAKE, password="wangwang")
    with db.write() as session:
        auth.create_user(session, admin, username="wang", display_name="王", role=Role.INTAKE, password=PASSWORD)
    with pytest.raises(InvalidInput, match="目前缺少"), db.write() as session:
        auth.set_password(session, admin, "wang", "12345678")
    wang = auth.login(db, "wang", PASSWORD)
    with pytest.raises(InvalidInput, match="目前缺少") as weak, db.write() as session:
        auth.change_password(session, wang, PASSWORD, "password")
    assert weak.value.field == "new_password"


def test_an_account_an_administrator_created_must_change_its_password_first(db: Database) -> None:
    admin = make_user(db, "admin", Role.ADMIN)
    with db.write() as session:
        auth.create_user(session, admin, username="wang", display_name="王晓燕", role=Role.INTAKE, password=PASSWORD)
    wang = auth.login(db, "wang", PASSWORD)
    assert wang.must_change_password
    with db.read() as session:
        assert auth.must_change_password(session, wang)
    with pytest.raises(InvalidInput, match="原密码不正确") as wrong, db.write() as session:
        auth.change_password(session, wang, "Wrong-0ld", "N3w-Passw0rd")
    assert wrong.value.field == "old_password"
    with pytest.raises(InvalidInput, match="不能与原密码相同"), db.write() as session:
        auth.change_password(session, wang, PASSWORD, PASSWORD)
    with db.write() as session:
        auth.change_password(session, wang, PASSWORD, "N3w-Passw0rd")
    with db.read() as session:
        assert not auth.must_change_password(session, wang)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert (entry.action, entry.username, entry.detail["result"]) == ("change_password", "wang", "ok")
    assert not auth.login(db, "wang", "N3w-Passw0rd").must_change_password
    with pytest.raises(AuthenticationFailed):
        auth.login(db, "wang", PASSWORD)
    # A reset by the administrator sets the flag again.
    with db.write() as session:
        auth.set_password(session, admin, "wang", "Reset-2026")
    assert auth.login(db, "wang", "Reset-2026").must_change_password


def test_lockout_after_five_failures_also_counts_unlock_attempts(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            auth.unlock(db, clerk, "wrong")
    with pytest.raises(AccountLocked, match="连续 5 次密码错误"):
        auth.unlock(db, clerk, "wrong")
    with pytest.raises(AccountLocked):
        auth.login(db, "clerk", PASSWORD)
    with db.read() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions[-7:] == ["unlock_failed"] * 5 + ["account_locked", "login_failed"]
        assert session.scalars(select(User.locked_until).where(User.username == "clerk")).one() is not None


def test_idle_lock_minutes_setting(db: Database) -> None:
    admin = make_user(db, "admin", Role.ADMIN)
    head = make_user(db, "head", Role.HEAD)
    with db.read() as session:
        assert auth.idle_lock_minutes(session) == 10
    with db.write() as session:
        auth.set_idle_lock_minutes(session, admin, 3)
    with db.read() as session:
        assert auth.idle_lock_minutes(session) == 3
    with pytest.raises(InvalidInput, match="0（不锁屏）到 240"), db.write() as session:
        auth.set_idle_lock_minutes(session, admin, 600)
    with pytest.raises(PermissionDenied), db.write() as session:
        auth.set_idle_lock_minutes(session, head, 5)
    with pytest.raises(InvalidInput), db.write() as session:
        auth.change_password(session, Actor.system(), "x", "y")
