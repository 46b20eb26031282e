"""Logins, the lockout, the password policy and account management, on both databases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, Role, User
from mediation_desk.services import auth
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
)

from .helpers import PASSWORD, make_user


def test_good_login_returns_the_actor_and_is_audited(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    actor = auth.login(db, "clerk", PASSWORD)
    assert (actor.username, actor.role) == ("clerk", Role.INTAKE)
    with db.read() as session:
        user = session.scalars(select(User).where(User.username == "clerk")).one()
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert user.last_login_at is not None
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.username == "clerk")).all()[-1] == "login"


def test_unknown_user_and_wrong_password_get_the_same_answer(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    with pytest.raises(AuthenticationFailed, match="用户名或密码错误") as unknown:
        auth.login(db, "nobody", PASSWORD)
    with pytest.raises(AuthenticationFailed, match="用户名或密码错误"):
        auth.login(db, "clerk", "wrong")
    assert "nobody" not in str(unknown.value)


def test_five_failures_lock_the_account_for_ten_minutes(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    t0 = datetime(2026, 11, 20, 9, 0)
    for attempt in range(1, 5):
        with pytest.raises(AuthenticationFailed, match=f"再错 {5 - attempt} 次"):
            auth.login(db, "clerk", "wrong", at=t0)
    with pytest.raises(AccountLocked, match="连续 5 次密码错误，账户已锁定 10 分钟") as locked:
        auth.login(db, "clerk", "wrong", at=t0)
    assert "09:10" in str(locked.value)
    # Even the right password is refused while locked, and says when to come back.
    with pytest.raises(AccountLocked, match="请在 09:10 之后"):
        auth.login(db, "clerk", PASSWORD, at=t0 + timedelta(minutes=9))
    actor = auth.login(db, "clerk", PASSWORD, at=t0 + timedelta(minutes=10, seconds=1))
    assert actor.username == "clerk"
    with db.read() as session:
        user = session.scalars(select(User).where(User.username == "clerk")).one()
        assert user.failed_logins == 0 and user.locked_until is None


def test_empty_fields_are_named(db: Database) -> None:
    with pytest.raises(InvalidInput) as no_name:
        auth.login(db, " ", PASSWORD)
    assert no_name.value.field == "username"
    with pytest.raises(InvalidInput) as no_password:
        auth.login(db, "clerk", "")
    assert no_password.value.field == "password"


@pytest.mark.parametrize(
    ("password", "message"),
    [("Ab1!", "至少需要 8 个字符"), ("abcdefgh", "至少三类"), ("abcd1234", "至少三类"), ("ABCDabcd", "至少三类")],
)
def test_password_policy(db: Database, password: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message), db.write() as session:
        auth.create_user(session, Actor.system(), username="x", display_name="某", role=Role.INTAKE,
                         password=password)


def test_only_an_administrator_manages_accounts(db: Database) -> None:
    head = make_user(db, "head", Role.HEAD)
    with pytest.raises(PermissionDenied, match="系统管理员"), db.write() as session:
        auth.create_user(session, head, username="x", display_name="某", role=Role.INTAKE, password=PASSWORD)
    with pytest.raises(PermissionDenied), db.read() as session:
        auth.list_users(session, head)


def test_duplicate_and_malformed_usernames_are_refused(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    with pytest.raises(InvalidInput, match="已被使用"), db.write() as session:
        auth.create_user(session, Actor.system(), username="clerk", display_name="某", role=Role.INTAKE,
                         password=PASSWORD)
    with pytest.raises(InvalidInput, match="只能由字母"), db.write() as session:
        auth.create_user(session, Actor.system(), username="王 五", display_name="某", role=Role.INTAKE,
                         password=PASSWORD)


def test_admin_reset_forces_a_change_and_own_change_needs_the_old_password(db: Database) -> None:
    admin = make_user(db, "admin", Role.ADMIN)
    clerk = make_user(db, "clerk", Role.INTAKE)
    with db.write() as session:
        auth.set_password(session, admin, "clerk", "N3w-Passw0rd")
    with db.read() as session:
        assert session.scalars(select(User.must_change_password).where(User.username == "clerk")).one()
    clerk = auth.login(db, "clerk", "N3w-Passw0rd")
    with pytest.raises(InvalidInput, match="原密码不正确"), db.write() as session:
        auth.set_password(session, clerk, "clerk", "An0ther-Pass", old_password="wrong")
    with db.write() as session:
        auth.set_password(session, clerk, "clerk", "An0ther-Pass", old_password="N3w-Passw0rd")
    with db.read() as session:
        assert not session.scalars(select(User.must_change_password).where(User.username == "clerk")).one()
    with pytest.raises(PermissionDenied), db.write() as session:
        auth.set_password(session, clerk, "admin", "An0ther-Pass")
    with pytest.raises(NotFound), db.write() as session:
        auth.set_password(session, admin, "ghost", "An0ther-Pass")


def test_deactivated_account_cannot_log_in_but_keeps_its_history(db: Database) -> None:
    admin = make_user(db, "admin", Role.ADMIN)
    make_user(db, "clerk", Role.INTAKE)
    with db.write() as session:
        auth.set_active(session, admin, "clerk", False)
    with pytest.raises(AuthenticationFailed):
        auth.login(db, "clerk", PASSWORD)
    with db.read() as session:
        assert session.scalars(select(User).where(User.username == "clerk")).one().active is False
    with pytest.raises(InvalidInput, match="不能停用自己"), db.write() as session:
        auth.set_active(session, admin, "admin", False)


def test_has_users_and_the_must_change_flag_reach_the_caller(db: Database) -> None:
    with db.read() as session:
        assert not auth.has_users(session)
    admin = make_user(db, "admin", Role.ADMIN)
    with db.write() as session:
        auth.create_user(session, admin, username="wang", display_name="王晓燕", role=Role.INTAKE,
                         password=PASSWORD)
        assert auth.has_users(session)
    assert auth.login(db, "wang", PASSWORD).must_change_password
    assert not admin.must_change_password
