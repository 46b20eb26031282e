"""Accounts, passwords and logins.

Passwords are hashed with argon2. Five wrong passwords in a row lock an account for ten minutes;
the lock is said plainly, with the time it ends. An unknown user name gets the same answer as a
wrong password so the login screen does not tell which accounts exist.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..models import Mediator, Role, TeamMember, User, now
from . import audit
from .actor import Actor
from .errors import AccountLocked, AuthenticationFailed, InvalidInput, NotFound, PermissionDenied

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=10)
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


def use_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Swap the password hasher and return the previous one.

    Only the test suite does this, with deliberately cheap parameters: at production cost every
    account a test creates would take a quarter of a second.
    """
    global _hasher
    previous, _hasher = _hasher, hasher
    return previous


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    mediator_id: int | None
    active: bool
    locked_until: datetime | None
    must_change_password: bool
    last_login_at: datetime | None


def _info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        mediator_id=user.mediator_id,
        active=user.active,
        locked_until=user.locked_until,
        must_change_password=user.must_change_password,
        last_login_at=user.last_login_at,
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_policy(password: str, field: str = "password") -> None:
    """At least 8 characters from at least 3 of: lower case, upper case, digits, symbols."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(field, f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。")
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() for c in password),
    ]
    if sum(classes) < 3:
        raise InvalidInput(field, "密码需包含小写字母、大写字母、数字、符号中的至少三类。")


def actor_for(session: Session, user: User) -> Actor:
    team_ids: frozenset[int] = frozenset()
    if user.mediator_id is not None:
        team_ids = frozenset(
            session.scalars(
                select(TeamMember.team_id).where(
                    TeamMember.mediator_id == user.mediator_id, TeamMember.left_on.is_(None)
                )
            )
        )
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        mediator_id=user.mediator_id,
        team_ids=team_ids,
        must_change_password=user.must_change_password,
    )


def authenticate(session: Session, username: str, password: str, *, at: datetime | None = None) -> Actor:
    """Check a login; count failures and lock the account after five. Commit even on failure."""
    moment = at or now()
    username = username.strip()
    if not username:
        raise InvalidInput("username", "请输入用户名。")
    if not password:
        raise InvalidInput("password", "请输入密码。")
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise AuthenticationFailed("用户名或密码错误。")
    if user.locked_until is not None and user.locked_until > moment:
        raise AccountLocked(_locked_message(user.locked_until, moment))
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = moment + LOCKOUT
            user.failed_logins = 0
            audit.record(session, Actor.system("login"), "account_locked", "user", user.id,
                         {"username": user.username})
            raise AccountLocked(
                f"连续 {MAX_FAILED_LOGINS} 次密码错误，账户已锁定 10 分钟。"
                + _locked_message(user.locked_until, moment)
            ) from None
        left = MAX_FAILED_LOGINS - user.failed_logins
        raise AuthenticationFailed(f"用户名或密码错误。再错 {left} 次账户将被锁定 10 分钟。") from None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = moment
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    actor = actor_for(session, user)
    audit.record(session, actor, "login", "user", user.id)
    return actor


def _locked_message(until: datetime, moment: datetime) -> str:
    minutes = max(1, int((until - moment).total_seconds() + 59) // 60)
    return f"账户已锁定，请在 {until:%H:%M} 之后（约 {minutes} 分钟后）再试，或请系统管理员解锁。"


def _require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以管理用户账户。")


def create_user(session: Session, actor: Actor, *, username: str, display_name: str, role: Role,
                password: str, mediator_id: int | None = None, must_change_password: bool = True) -> UserInfo:
    _require_admin(actor)
    username = username.strip()
    display_name = display_name.strip()
    if not username:
        raise InvalidInput("username", "用户名不能为空。")
    if len(username) > 40 or not all(c.isalnum() or c in "._-" for c in username):
        raise InvalidInput("username", "用户名只能由字母、数字和 . _ - 组成，最长 40 个字符。")
    if not display_name:
        raise InvalidInput("display_name", "姓名不能为空。")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInput("username", f"用户名“{username}”已被使用。")
    check_password_policy(password)
    if mediator_id is not None and session.get(Mediator, mediator_id) is None:
        raise InvalidInput("mediator", "所关联的调解员不存在。")
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password),
        mediator_id=mediator_id,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "create_user", "user", user.id, {"username": username, "role": str(role)})
    return _info(user)


def set_password(session: Session, actor: Actor, username: str, new_password: str,
                 *, old_password: str | None = None) -> None:
    """An administrator resets anyone's password (the user must change it at next login); a
    user changes their own by giving the old one."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"没有用户名为“{username}”的账户。")
    own = actor.user_id == user.id
    if not own:
        _require_admin(actor)
    elif old_password is not None:
        try:
            _hasher.verify(user.password_hash, old_password)
        except (VerificationError, InvalidHashError):
            raise InvalidInput("old_password", "原密码不正确。") from None
    elif actor.role is not Role.ADMIN:
        raise InvalidInput("old_password", "请输入原密码。")
    check_password_policy(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = not own
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, actor, "set_password", "user", user.id, {"username": username})


def has_users(session: Session) -> bool:
    """Whether any account exists (a new database gets the demo center or a first administrator)."""
    return session.scalar(select(User.id).limit(1)) is not None


def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    _require_admin(actor)
    return [_info(u) for u in session.scalars(select(User).order_by(User.role, User.username))]


def set_active(session: Session, actor: Actor, username: str, active: bool) -> UserInfo:
    """Deactivate (never delete) an account, so its history keeps its author."""
    _require_admin(actor)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"没有用户名为“{username}”的账户。")
    if user.id == actor.user_id and not active:
        raise InvalidInput("active", "不能停用自己正在使用的账户。")
    user.active = active
    if active:
        user.locked_until = None
        user.failed_logins = 0
    audit.record(session, actor, "activate_user" if active else "deactivate_user", "user", user.id)
    return _info(user)


def login(db: Database, username: str, password: str, *, at: datetime | None = None) -> Actor:
    """Authenticate in a transaction of its own, which is committed even when the login fails so
    that the failure counts towards the lock."""
    failure: AuthenticationFailed | None = None
    with db.write() as session:
        try:
            return authenticate(session, username, password, at=at)
        except AuthenticationFailed as exc:
            failure = exc
    raise failure
