"""Accounts, passwords and logins.

Passwords are hashed with argon2. Five wrong passwords in a row lock an account for ten minutes;
the lock is said plainly, with the time it ends. An unknown (or deactivated) user name gets the
same answer as a wrong password, after the same work (a password hash is checked either way), and
is counted and locked the same way by its name in the audit log, so neither the login screen's words
nor its timing tell which accounts exist, and guessing names is slowed down like guessing passwords.

Concurrent logins to one account (several desks, a script) are counted exactly: the account row is
read ``FOR UPDATE`` on a server, and SQLite has a single writer.
"""

from __future__ import annotations

import contextlib
import logging
import string
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, configure_mappers, undefer

from .. import changes, settings
from ..changes import Changes
from ..db import Database
from ..models import AuditEntry, Center, Mediator, Role, TeamMember, User, now
from ..settings import IDLE_LOCK_MINUTES
from . import audit, centers, dbroles
from .actor import Actor
from .errors import AccountLocked, AuthenticationFailed, InvalidInput, NotFound, PermissionDenied, SettingError

log = logging.getLogger(__name__)

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=10)
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()
#: A hash of a password nobody knows, per hasher, checked for names without an account.
_dummy_hashes: dict[int, str] = {}
#: The audit actions of a failed attempt, and of a lock, as written below.
_FAILED_ACTIONS = ("login_failed", "unlock_failed")


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
    #: The account's center (docs/centers.md).
    center_id: int = 0


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
        center_id=user.center_id,
    )


def _check_dummy(password: str, hasher: PasswordHasher | None = None) -> None:
    """The work a wrong password costs, for a name that has no account."""
    hasher = hasher or _hasher
    dummy = _dummy_hashes.get(id(hasher))
    if dummy is None:  # once per hasher: hashing as well as verifying would make unknown names slower
        dummy = _dummy_hashes[id(hasher)] = hasher.hash("unknown account, never a password")
    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(dummy, password)


def _verifies(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


#: The thread password checks begun early run on (:func:`_begin_check`), made at the first.
_checkers: list[ThreadPoolExecutor] = []
_checkers_lock = threading.Lock()


def _checker() -> ThreadPoolExecutor:
    with _checkers_lock:
        if not _checkers:
            _checkers.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="password-check"))
        return _checkers[0]


@dataclass(frozen=True)
class _EarlyCheck:
    """A password check started before the account's row was read through the ORM: the hash it
    checks (None: the work of a name without an active account) and its answer to come."""

    hasher: PasswordHasher
    stored: str | None
    answer: Future[bool]

    def verifies(self, stored: str) -> bool | None:
        """The answer for ``stored``, or None if this check was not of that hash (then the caller
        checks it itself)."""
        if self.stored is None or self.stored != stored or self.hasher is not _hasher:
            return None
        return self.answer.result()

    def unknown_checked(self) -> bool:
        """Waits for the work of a name without an account; False if this check was another."""
        if self.stored is not None or self.hasher is not _hasher:
            return False
        self.answer.result()
        return True


def _begin_check(session: Session, username: str, password: str, moment: datetime) -> _EarlyCheck | None:
    """On SQLite: the account's hash read with one plain query (the table, not the mapped class,
    whose first query waits for every mapper to be configured: at start-up the warm-up thread
    may still be doing that when Enter comes) and its argon2 check started at once on a thread of
    its own, so that it runs (without Python's lock) while the sign-in reads the account and makes
    its Actor. A name without an active account gets the same work started, against the hash
    nobody knows: the answer's timing still says nothing of which accounts exist. None for a
    locked account (it is refused unchecked) or another database (on a server the hash may be
    readable only through the account's own login role)."""
    if not username or not password or session.get_bind().dialect.name != "sqlite":
        return None
    table = User.__table__
    row = session.execute(select(table.c.password_hash, table.c.locked_until)
                          .where(table.c.username == username, table.c.active.is_(True))).first()
    if row is not None and row.locked_until is not None and row.locked_until > moment:
        return None
    hasher, checker = _hasher, _checker()
    if row is None or not row.password_hash:
        def unknown() -> bool:
            _check_dummy(password, hasher)
            return False

        return _EarlyCheck(hasher, None, checker.submit(unknown))
    return _EarlyCheck(hasher, row.password_hash, checker.submit(_verifies, hasher, row.password_hash, password))


def _name_state(session: Session, username: str, moment: datetime) -> tuple[int, datetime | None]:
    """For a name without an active account: the wrong attempts since its last lock, and the end
    of that lock if it still holds — read from the audit log (indexed by name)."""
    last_lock = session.execute(
        select(AuditEntry.id, AuditEntry.detail).where(AuditEntry.username == username,
                                                       AuditEntry.action == "account_locked")
        .order_by(AuditEntry.id.desc()).limit(1)).first()
    query = select(AuditEntry.detail).where(AuditEntry.username == username, AuditEntry.action.in_(_FAILED_ACTIONS))
    if last_lock is not None:
        until = _lock_end(last_lock.detail)
        if until is not None and until > moment:
            return 0, until
        query = query.where(AuditEntry.id > last_lock.id)
    # Attempts made while locked do not count; the newest few are all that matter.
    details = session.scalars(query.order_by(AuditEntry.id.desc()).limit(10 * MAX_FAILED_LOGINS)).all()
    return sum(1 for d in details if isinstance(d, dict) and d.get("reason") != "locked"), None


def _lock_end(detail: object) -> datetime | None:
    text = detail.get("until") if isinstance(detail, dict) else None
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


#: The character classes of the policy, in the order the message names them.
PASSWORD_CLASSES = ("小写字母", "大写字母", "数字", "符号")


def password_classes(password: str) -> tuple[bool, bool, bool, bool]:
    """Which of lower case, upper case, digits and symbols ``password`` contains.

    Letters outside ASCII (Chinese characters) count as symbols: they are neither of the Latin
    cases nor digits, and they do widen the alphabet an attacker must try.
    """
    return (
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(not (c.isascii() and c.isalnum()) for c in password),
    )


def check_password_policy(password: str, field: str = "password") -> None:
    """At least 8 characters from at least 3 of: lower case, upper case, digits, symbols.

    The message names what is missing, so the user knows what to add.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(field, f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。")
    present = password_classes(password)
    if sum(present) < 3:
        missing = "、".join(name for name, has in zip(PASSWORD_CLASSES, present, strict=True) if not has)
        raise InvalidInput(
            field, f"密码需包含小写字母、大写字母、数字、符号中的至少三类，目前缺少：{missing}（再加其中 "
                   f"{3 - sum(present)} 类即可）。")


def actor_for(session: Session, user: User) -> Actor:
    center_id = centers.center_of_user(session, user.id)
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
        center_id=center_id,
        center_ids=centers.readable(session, center_id, user.role),
    )


def authenticate(session: Session, username: str, password: str, *, at: datetime | None = None,
                 action: str = "login", audited: bool = True,
                 verifying: Callable[[Actor], None] | None = None,
                 verified: Callable[[Actor], None] | None = None,
                 later: Callable[[SignIn], None] | None = None) -> Actor:
    """Check a login; count failures and lock the account after five. Commit even on failure.

    Successes and failures are both in the audit log with the workstation; ``action`` is
    ``"unlock"`` when the idle lock screen asks for the password again.

    ``verifying(actor)`` is called just before the password hash is checked (argon2, a tenth of a
    second or more, without Python's lock) for an existing, active, unlocked account, with the
    Actor it becomes if the password is right: the desktop app makes its main window meanwhile,
    hidden, and holds back every read the window asks for until the answer (``ui.app.Startup``).
    Only the account's own row and team memberships have been read at that point.

    ``verified(actor)`` is called (with the same Actor) the moment argon2 has accepted the password,
    before the sign-in is written: the app then lets the window's held reads run beside the write
    (``TaskRunner.admit``). Only with ``verifying``: the Actor is the one announced by it.

    ``later(sign_in)``: a right password's bookkeeping (the failure counter reset, the last login,
    the audit entry) is not written here but handed to the caller, who must write it with
    :func:`record_sign_in` (the desktop app does once the first rows are painted, and lets no
    write of the session run before it). Only for the plain case: an account whose hash is to be
    renewed, whose login role is behind, which must change its password, or a sign-in not audited
    is written here as before. A wrong password's counting, the lockout and their audit entries
    are always written here, before the answer.
    """
    moment = at or now()
    username = username.strip()
    if not username:
        raise InvalidInput("username", "请输入用户名。")
    if not password:
        raise InvalidInput("password", "请输入密码。")
    early = _begin_check(session, username, password, moment)
    # FOR UPDATE: two desks failing the same account at once count two failures, not one.
    user = session.scalar(select(User).where(User.username == username).with_for_update())
    station = audit.workstation()

    def failed(reason: str) -> None:
        # The name that was tried, even for an account that does not exist (guessing shows).
        if not audited:
            log.warning("%s failed for %r (%s), not in the audit log: its table is of an older structure",
                        action, username, reason)
            return
        audit.record(session, Actor.system("login"), f"{action}_failed", "user",
                     user.id if user is not None else None, {"reason": reason},
                     station=station, result="failed", username=username)

    def locked_now(user_id: int | None) -> AccountLocked:
        if audited:
            audit.record(session, Actor.system("login"), "account_locked", "user", user_id,
                         {"username": username, "until": (moment + LOCKOUT).isoformat()},
                         station=station, result="locked", username=username)
        return AccountLocked(f"连续 {MAX_FAILED_LOGINS} 次密码错误，账户已锁定 10 分钟。"
                             + _locked_message(moment + LOCKOUT, moment))

    def wrong(failures: int) -> AuthenticationFailed:
        left = MAX_FAILED_LOGINS - failures
        words = "密码错误" if action == "unlock" else "用户名或密码错误"
        return AuthenticationFailed(f"{words}。再错 {left} 次账户将被锁定 10 分钟。")

    if user is None or not user.active:
        # The same words after the same work as a wrong password, counted by the name itself.
        failures, until = _name_state(session, username, moment)
        if until is not None:
            failed("locked")
            raise AccountLocked(_locked_message(until, moment))
        if early is None or not early.unknown_checked():
            _check_dummy(password)
        failed("unknown_user" if user is None else "inactive")
        if failures + 1 >= MAX_FAILED_LOGINS:
            raise locked_now(user.id if user is not None else None)
        raise wrong(failures + 1)
    if user.locked_until is not None and user.locked_until > moment:
        failed("locked")
        raise AccountLocked(_locked_message(user.locked_until, moment))
    stored = dbroles.own_password_hash(session, user)
    tentative = None
    if verifying is not None:
        tentative = actor_for(session, user)
        verifying(tentative)
    right = early.verifies(stored) if early is not None else None
    if right is None:
        right = _verifies(_hasher, stored, password)
    if not right:
        user.failed_logins += 1
        failed("wrong_password")
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = moment + LOCKOUT
            user.failed_logins = 0
            dbroles.sync(session, user)  # the server refuses the login role too while locked
            raise locked_now(user.id)
        raise wrong(user.failed_logins)
    if verified is not None and tentative is not None:
        verified(tentative)
    role_behind = user.db_role is None or user.locked_until is not None
    if (later is not None and audited and user.locked_until is None and not user.must_change_password
            and not (user.db_role is None and dbroles.enabled(session)) and not _hasher.check_needs_rehash(stored)):
        actor = tentative or actor_for(session, user)
        later(SignIn(actor, user.id, moment, station, action))
        return actor
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = moment
    if _hasher.check_needs_rehash(stored):
        user.password_hash = hash_password(password)
    if role_behind:
        # An account from before its login role existed gets it now, with this password; an
        # ended lock lets the login role connect again.
        dbroles.sync(session, user, password if user.db_role is None else None)
    actor = tentative or actor_for(session, user)  # nothing it is made of changed since
    if audited:
        audit.record(session, actor, action, "user", user.id, station=station, result="ok")
    return actor


@dataclass(frozen=True)
class SignIn:
    """A sign-in whose password was verified and whose bookkeeping is still to be written
    (:func:`authenticate`'s ``later``, :func:`record_sign_in`)."""

    actor: Actor
    user_id: int
    #: When the password was verified: the account's last login.
    moment: datetime
    station: str
    action: str = "login"


class SignInNotRecorded(AuthenticationFailed):
    """The account was deactivated between the check of its password and the writing of its sign-in."""


def record_sign_in(db: Database, sign_in: SignIn) -> None:
    """Write a verified sign-in's bookkeeping, as :func:`authenticate` writes it in place: the
    failure counter reset (unless the account was locked since, by other desks' wrong tries), the
    last login, and the audit entry. An account deactivated since is refused
    (:class:`SignInNotRecorded`): the session must end."""
    with db.write() as session:
        user = session.scalar(select(User).where(User.id == sign_in.user_id).with_for_update())
        if user is None or not user.active:
            raise SignInNotRecorded("账户已被停用，本次登录已结束。")
        if user.locked_until is None:
            user.failed_logins = 0
        user.last_login_at = sign_in.moment
        audit.record(session, sign_in.actor, sign_in.action, "user", user.id, station=sign_in.station, result="ok")


def _locked_message(until: datetime, moment: datetime) -> str:
    minutes = max(1, int((until - moment).total_seconds() + 59) // 60)
    return f"账户已锁定，请在 {until:%H:%M} 之后（约 {minutes} 分钟后）再试，或请系统管理员解锁。"


def _require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以管理用户账户。")


def create_user(session: Session, actor: Actor, *, username: str, display_name: str, role: Role,
                password: str, mediator_id: int | None = None, must_change_password: bool = True,
                center_id: int | None = None) -> UserInfo:
    """A new account, of ``center_id`` (among the administrator's centers; None: the
    administrator's own center). A mediator's account acts as a mediator of the same center."""
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
    mediator = session.get(Mediator, mediator_id) if mediator_id is not None else None
    if mediator_id is not None and mediator is None:
        raise InvalidInput("mediator", "所关联的调解员不存在。")
    if center_id is None:
        from .numbering import numbering_center

        center_id = numbering_center(session, actor.center_id)
    elif actor.center_id is not None and center_id not in centers.readable(session, actor.center_id, actor.role):
        raise InvalidInput("center", "只能为本中心或其下级中心添加账户。")
    elif session.get(Center, center_id) is None:
        raise InvalidInput("center", f"中心（编号 {center_id}）不存在。")
    if mediator is not None and mediator.center_id != center_id:
        raise InvalidInput("mediator", f"调解员“{mediator.name}”属于另一个中心，账户须与其所关联的调解员同属一个中心。")
    user = User(
        center_id=center_id,
        username=username,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password),
        mediator_id=mediator_id,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    dbroles.sync(session, user, password)
    changes.note(session, Changes(users=True))
    audit.record(session, actor, "create_user", "user", user.id,
                 {"username": username, "role": str(role), "center_id": center_id})
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
            _hasher.verify(dbroles.own_password_hash(session, user), old_password)
        except (VerificationError, InvalidHashError):
            raise InvalidInput("old_password", "原密码不正确。") from None
    elif actor.role is not Role.ADMIN:
        raise InvalidInput("old_password", "请输入原密码。")
    check_password_policy(new_password, "new_password")
    if own and old_password is not None and old_password == new_password:
        raise InvalidInput("new_password", "新密码不能与原密码相同。")
    user.password_hash = hash_password(new_password)
    user.must_change_password = not own
    user.failed_logins = 0
    user.locked_until = None
    dbroles.sync(session, user, new_password)
    changes.note(session, Changes(users=True))
    audit.record(session, actor, "set_password", "user", user.id, {"username": username})


def has_users(session: Session) -> bool:
    """Whether any account exists (a new database gets the demo center or a first administrator)."""
    if dbroles.is_desk_connection(session):  # the desk's own role may only ask the server
        return bool(session.scalar(text("SELECT md_desk_has_users()")))
    # The table, not the mapped class: a query of the class configures every mapper first (a
    # tenth of a second or more at start-up, before 登录 is enabled); :func:`prepare_mappers`
    # does that beside the typing of the password.
    return session.scalar(select(User.__table__.c.id).limit(1)) is not None


def prepare_mappers() -> None:
    """Configure the ORM's mappers now (the first query of a mapped class would): the login's
    own first query then finds them ready."""
    configure_mappers()


def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    """The accounts of the administrator's centers (their own and those below it)."""
    _require_admin(actor)
    stmt = select(User).options(undefer(User.center_id)).order_by(User.role, User.username)
    if actor.center_id is not None:
        stmt = stmt.where(User.center_id.in_(sorted(actor.center_ids or {actor.center_id})))
    return [_info(u) for u in session.scalars(stmt)]


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
    dbroles.sync(session, user)  # NOLOGIN while deactivated
    changes.note(session, Changes(users=True))
    audit.record(session, actor, "activate_user" if active else "deactivate_user", "user", user.id)
    return _info(user)


def login(db: Database, username: str, password: str, *, at: datetime | None = None,
          action: str = "login", audited: bool = True,
          verifying: Callable[[Actor], None] | None = None,
          verified: Callable[[Actor], None] | None = None,
          later: Callable[[SignIn], None] | None = None) -> Actor:
    """Authenticate in a transaction of its own, which is committed even when the login fails so
    that the failure counts towards the lock (and stays in the audit log).

    ``audited=False`` is for the one sign-in made against a database of an older structure (the
    administrator about to upgrade it), whose audit table cannot take today's entries: failures
    still count towards the lock, and the caller records the sign-in once the structure is current.

    A head's sign-in also recomputes the case clocks a calendar change left stale
    (``clocks.catch_up``: the administrator on a center server cannot move them).

    ``verifying``, ``verified``, ``later``: see :func:`authenticate` (a sign-in through a server's
    desk role, where the server checks the password by the login role's connection, calls none).
    """
    if not db.is_sqlite and (db.signed_in_role is not None or _desk_connection(db)):
        actor = _login_through_desk(db, username, password, at=at, action=action, audited=audited)
    else:
        failure: AuthenticationFailed | None = None
        with db.write() as session:
            try:
                actor = authenticate(session, username, password, at=at, action=action, audited=audited,
                                     verifying=verifying, verified=_unless_catching_up(session, verified, audited),
                                     later=later)
            except AuthenticationFailed as exc:
                failure = exc
        if failure is not None:
            raise failure
    if audited:
        _catch_up_clocks(db, actor)
    return actor


def _unless_catching_up(session: Session, verified: Callable[[Actor], None] | None,
                        audited: bool) -> Callable[[Actor], None] | None:
    """``verified``, except for a sign-in that recomputes the case clocks after it
    (:func:`_catch_up_clocks`): the reads it would let run would show the stale colours."""
    if verified is None or not audited:
        return verified

    def then(actor: Actor) -> None:
        from . import center, clocks

        if actor.role in clocks.CATCH_UP_ROLES and center.get(session, settings.CLOCKS_STALE):
            return  # the reads wait for the sign-in's answer, which comes after the catch-up
        verified(actor)

    return then


def _catch_up_clocks(db: Database, actor: Actor) -> None:
    from . import center, clocks

    if actor.role not in clocks.CATCH_UP_ROLES:
        return
    try:
        with db.read() as session:
            if not center.get(session, settings.CLOCKS_STALE):
                return
        with db.write() as session:
            clocks.catch_up(session, actor)
    except Exception:  # the sign-in stands; the mark stays for the next one, and the log says why
        log.exception("The stale case clocks could not be recomputed at %s's sign-in", actor.username)


def _desk_connection(db: Database) -> bool:
    with db.read() as session:
        return dbroles.is_desk_connection(session)


def _login_through_desk(db: Database, username: str, password: str, *, at: datetime | None,
                        action: str, audited: bool) -> Actor:
    """A sign-in on a server whose desks hold only the desk role (docs/security.md, 数据库角色).

    The desk asks for the account's login role, the server checks the password by letting that
    role connect (or not), and the Database is reopened as the person: from then on the server's
    grants and row-level security apply to everything this desk does. A refused password counts
    towards the lock through ``md_desk_login_failed``; the checks of :func:`authenticate` then run
    again on the person's own connection (lockout, audit entry, team membership).
    """
    username = username.strip()
    if not username:
        raise InvalidInput("username", "请输入用户名。")
    if not password:
        raise InvalidInput("password", "请输入密码。")
    if db.signed_in_role is not None:
        db.connect_as(None)  # the desk's credential again, for the pre-login calls
    with db.write() as session:
        role = dbroles.desk_login_role(session, username)
        unknown_role = dbroles.desk_unknown_role(session) if role is None else ""
    refused: Exception | None = None
    if role is None:
        # The same work as a wrong password: one connection attempt, answered by the server after
        # its (mock) SCRAM exchange, never let in.
        db.try_login(unknown_role, password)
    else:
        try:
            db.connect_as(role, password)
        except OperationalError as exc:
            if not any(words in str(exc) for words in ("password authentication failed", "not permitted to log in")):
                raise  # the server is unreachable or refuses the desk itself: not a wrong password
            refused = exc
    if role is None or refused is not None:
        with db.write() as session:
            counted = dbroles.desk_login_failed(session, username)
            if audited:
                # Through the server's md_audit_append (the desk role may call it, and the entry
                # carries the desk's database login): the name tried, as on a desk signed in whole.
                until = counted[1] if counted is not None else None
                if until is not None and counted is not None and counted[0] >= MAX_FAILED_LOGINS:
                    # This try locked the name (the server counts unknown names from these entries).
                    audit.record(session, Actor.system("login"), "account_locked", "user", None,
                                 {"username": username, "until": until.isoformat()},
                                 station=audit.workstation(), result="locked", username=username)
                else:
                    reason = "locked" if until is not None else "unknown_user" if role is None else "wrong_password"
                    audit.record(session, Actor.system("login"), f"{action}_failed", "user", None,
                                 {"reason": reason}, station=audit.workstation(), result="failed",
                                 username=username)
        if counted is not None and counted[1] is not None:
            moment = at or now()
            if counted[0] >= MAX_FAILED_LOGINS:
                raise AccountLocked(f"连续 {MAX_FAILED_LOGINS} 次密码错误，账户已锁定 10 分钟。"
                                    + _locked_message(counted[1], moment))
            raise AccountLocked(_locked_message(counted[1], moment))
        failures = counted[0] if counted is not None else 1
        words = "密码错误" if action == "unlock" else "用户名或密码错误"
        raise AuthenticationFailed(f"{words}。再错 {MAX_FAILED_LOGINS - failures} 次账户将被锁定 10 分钟。")
    failure: AuthenticationFailed | None = None
    with db.write() as session:
        try:
            return authenticate(session, username, password, at=at, action=action, audited=audited)
        except AuthenticationFailed as exc:
            failure = exc
    db.connect_as(None)
    raise failure


def unlock(db: Database, actor: Actor, password: str, *, at: datetime | None = None) -> Actor:
    """The idle lock screen: the same user's password again, with the same failure counting and
    lockout as a login. Returns the refreshed actor (team membership may have changed)."""
    if actor.user_id is None:
        raise InvalidInput("password", "系统账户不能解除锁屏。")
    return login(db, actor.username, password, at=at, action="unlock")


def change_password(session: Session, actor: Actor, old_password: str, new_password: str) -> None:
    """A user changes their own password (first login after an administrator set it, or any
    time); the old one must be given, the new one must follow the policy and differ from it."""
    if actor.user_id is None:
        raise InvalidInput("old_password", "系统账户没有密码。")
    if not old_password:
        raise InvalidInput("old_password", "请输入原密码。")
    if not new_password:
        raise InvalidInput("new_password", "请输入新密码。")
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise NotFound("账户不存在或已停用。")
    try:
        _hasher.verify(dbroles.own_password_hash(session, user), old_password)
    except (VerificationError, InvalidHashError):
        raise InvalidInput("old_password", "原密码不正确。") from None
    if old_password == new_password:
        raise InvalidInput("new_password", "新密码不能与原密码相同。")
    check_password_policy(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    dbroles.sync(session, user, new_password)
    changes.note(session, Changes(users=True))
    audit.record(session, actor, "change_password", "user", user.id, station=audit.workstation(), result="ok")


def must_change_password(session: Session, actor: Actor) -> bool:
    """Whether the account still has to choose its own password (read fresh, not from the actor)."""
    if actor.user_id is None:
        return False
    return bool(session.scalar(select(User.must_change_password).where(User.id == actor.user_id)))


def logout(session: Session, actor: Actor, *, reason: str = "user") -> None:
    """Log the end of a session (the window closed, or the user signed out)."""
    if actor.user_id is None:
        return
    audit.record(session, actor, "logout", "user", actor.user_id, {"reason": reason},
                 station=audit.workstation(), result="ok")


def sign_out(db: Database, actor: Actor, *, reason: str = "signed_out") -> None:
    """注销/切换用户 at a desk: the logout is written as the person's, then (on a server) the
    Database is reconnected with the desk's own credential: the next person's login starts from
    there and nothing more runs as the one who left."""
    try:
        with db.write() as session:
            logout(session, actor, reason=reason)
    finally:
        db.sign_out()


def idle_lock_minutes(session: Session) -> int:
    """The center's idle lock time in minutes (``settings.IDLE_LOCK_MINUTES``); 0 turns the lock
    off, a missing or malformed value means the default of 10 (a desk must lock even then)."""
    from . import center

    try:
        minutes = center.get(session, IDLE_LOCK_MINUTES)
    except SettingError:
        return IDLE_LOCK_MINUTES.default
    return max(0, min(minutes, 24 * 60))


def set_idle_lock_minutes(session: Session, actor: Actor, minutes: int) -> None:
    _require_admin(actor)
    if not 0 <= minutes <= 240:
        raise InvalidInput(IDLE_LOCK_MINUTES.key, "锁屏时间须在 0（不锁屏）到 240 分钟之间。")
    from . import center

    center.put(session, IDLE_LOCK_MINUTES, minutes, actor)  # audited as set_setting; notes the settings change
