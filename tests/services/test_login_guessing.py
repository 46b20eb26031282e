"""Guessing at the login, as an attacker with only the login screen (or the command line) would:
unknown names answer word for word as wrong passwords, are locked after five tries the same way,
and parallel attempts on one account are all counted (issue 17, item 8)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, Role, User
from mediation_desk.services import auth
from mediation_desk.services.errors import AccountLocked, AuthenticationFailed

from .helpers import PASSWORD, make_user

T0 = datetime(2026, 11, 20, 9, 0)


def answers(db: Database, username: str, tries: int, *, at: datetime = T0) -> list[str]:
    said = []
    for attempt in range(tries):
        with pytest.raises(AuthenticationFailed) as refused:
            auth.login(db, username, f"Wrong-{attempt}!", at=at + timedelta(seconds=attempt))
        said.append(f"{type(refused.value).__name__}: {refused.value}")
    return said


def test_an_unknown_name_answers_word_for_word_as_an_account(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    make_user(db, "gone", Role.INTAKE)
    with db.write() as session:
        session.scalars(select(User).where(User.username == "gone")).one().active = False
    real = answers(db, "clerk", 7)
    assert real[0] == "AuthenticationFailed: 用户名或密码错误。再错 4 次账户将被锁定 10 分钟。"
    assert real[4].startswith("AccountLocked: 连续 5 次密码错误，账户已锁定 10 分钟。")
    assert answers(db, "nobody", 7) == real
    assert answers(db, "gone", 7) == real


def test_an_unknown_name_is_locked_for_ten_minutes_then_counted_afresh(db: Database) -> None:
    answers(db, "guess", 5)
    with pytest.raises(AccountLocked, match="账户已锁定"):
        auth.login(db, "guess", "x", at=T0 + timedelta(minutes=9))
    assert answers(db, "guess", 1, at=T0 + timedelta(minutes=11))[0].endswith("再错 4 次账户将被锁定 10 分钟。")
    with db.read() as session:
        reasons = [e.detail.get("reason") for e in session.scalars(
            select(AuditEntry).where(AuditEntry.username == "guess", AuditEntry.action == "login_failed")
            .order_by(AuditEntry.id))]
    assert reasons == ["unknown_user"] * 5 + ["locked", "unknown_user"]


def test_a_deactivated_account_cannot_sign_in_even_with_its_password(db: Database) -> None:
    make_user(db, "gone", Role.INTAKE)
    with db.write() as session:
        session.scalars(select(User).where(User.username == "gone")).one().active = False
    with pytest.raises(AuthenticationFailed, match="用户名或密码错误。再错 4 次"):
        auth.login(db, "gone", PASSWORD)


def test_parallel_wrong_passwords_are_each_counted(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def attempt(n: int) -> None:
        start.wait()
        try:
            auth.login(db, "clerk", f"Wrong-{n}!")
        except AccountLocked:
            outcomes.append("locked")
        except AuthenticationFailed:
            outcomes.append("failed")
        except Exception as exc:  # a traceback here is the bug this test is about
            outcomes.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["failed"] * 4
    with db.read() as session:
        assert session.scalars(select(User.failed_logins).where(User.username == "clerk")).one() == 4
    with pytest.raises(AccountLocked):
        auth.login(db, "clerk", "Wrong-5!")


class CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checked: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.checked.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


def test_unknown_and_known_names_cost_the_same_work(db: Database) -> None:
    """Not a timing assertion: both paths check one argon2 hash (a dummy one for unknown names)."""
    make_user(db, "clerk", Role.INTAKE)
    counting = CountingHasher()
    previous = auth.use_hasher(counting)
    try:
        answers(db, "clerk", 1)
        answers(db, "nobody", 1)
    finally:
        auth.use_hasher(previous)
    assert len(counting.checked) == 2 and all(h.startswith("$argon2") for h in counting.checked)


class BeginningHasher(CountingHasher):
    """Says when a check began."""

    def __init__(self) -> None:
        super().__init__()
        self.began = threading.Event()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.began.set()
        return super().verify(hash, password)


@pytest.mark.parametrize(("username", "password"), [("clerk", PASSWORD), ("clerk", "Wrong-1!"),
                                                    ("nobody", "Wrong-1!")])
def test_the_check_begins_before_the_account_is_read_and_runs_beside_it(
        db: Database, username: str, password: str) -> None:
    """On SQLite the argon2 check (of the hash nobody knows, for a name without an account) starts
    on a thread of its own before the account's row is read through the ORM (whose first query
    waits for every mapper to be configured, at start-up while the warm-up does it), so the reading
    of the account and the making of its Actor run beside it — not after it, as before. Still one
    check per attempt, and the answer and the counting are as they were."""
    if not db.is_sqlite:
        pytest.skip("on a server the hash may be readable through the account's own login role only")
    make_user(db, "clerk", Role.INTAKE)
    hasher = BeginningHasher()
    previous = auth.use_hasher(hasher)
    began_at_the_read: list[bool] = []

    def statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        # The ORM's read of the whole account (the early one reads its hash and lock only).
        if "app_user.display_name" in sql and threading.current_thread() is login_thread:
            began_at_the_read.append(hasher.began.wait(timeout=10))

    login_thread = threading.current_thread()
    event.listen(Engine, "before_cursor_execute", statement)
    try:
        if password == PASSWORD:
            assert auth.login(db, username, password, at=T0).username == "clerk"
        else:
            assert answers(db, username, 1)[0].endswith("用户名或密码错误。再错 4 次账户将被锁定 10 分钟。")
    finally:
        event.remove(Engine, "before_cursor_execute", statement)
        auth.use_hasher(previous)
    assert began_at_the_read[:1] == [True]
    assert len(hasher.checked) == 1


def test_a_locked_account_is_refused_without_a_check(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    answers(db, "clerk", 5)
    counting = CountingHasher()
    previous = auth.use_hasher(counting)
    try:
        with pytest.raises(AccountLocked):
            auth.login(db, "clerk", PASSWORD, at=T0 + timedelta(minutes=1))
    finally:
        auth.use_hasher(previous)
    assert counting.checked == []


def _login_entries(db: Database, username: str) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry.action).where(AuditEntry.username == username)
                                    .order_by(AuditEntry.id)))


def test_a_sign_in_written_later_is_written_only_by_record_sign_in(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    answers(db, "clerk", 2)  # two wrong tries: counted and audited before any answer, as always
    with db.read() as session:
        user = session.scalars(select(User).where(User.username == "clerk")).one()
        assert user.failed_logins == 2
        before = user.last_login_at
    signed_in = _login_entries(db, "clerk").count("login")
    kept: list[auth.SignIn] = []
    actor = auth.login(db, "clerk", PASSWORD, at=T0 + timedelta(minutes=1), later=kept.append)
    assert actor.username == "clerk" and [s.actor for s in kept] == [actor]
    with db.read() as session:  # the right password wrote nothing yet
        user = session.scalars(select(User).where(User.username == "clerk")).one()
        assert user.failed_logins == 2 and user.last_login_at == before
    assert _login_entries(db, "clerk").count("login") == signed_in
    auth.record_sign_in(db, kept[0])
    with db.read() as session:
        user = session.scalars(select(User).where(User.username == "clerk")).one()
        assert user.failed_logins == 0 and user.last_login_at == T0 + timedelta(minutes=1)
    assert _login_entries(db, "clerk")[-1] == "login"
    # A wrong password with ``later`` is written at once, exactly as without it.
    with pytest.raises(AuthenticationFailed, match="再错 4 次"):
        auth.login(db, "clerk", "Wrong-again!", at=T0 + timedelta(minutes=2), later=kept.append)
    assert len(kept) == 1 and _login_entries(db, "clerk")[-1] == "login_failed"


def test_a_sign_in_of_an_account_deactivated_before_it_was_written_is_refused(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    signed_in = _login_entries(db, "clerk").count("login")
    kept: list[auth.SignIn] = []
    auth.login(db, "clerk", PASSWORD, at=T0, later=kept.append)
    with db.write() as session:
        session.scalars(select(User).where(User.username == "clerk")).one().active = False
    with pytest.raises(auth.SignInNotRecorded):
        auth.record_sign_in(db, kept[0])
    assert _login_entries(db, "clerk").count("login") == signed_in


def test_an_account_that_must_change_its_password_is_written_at_once(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    with db.write() as session:
        session.scalars(select(User).where(User.username == "clerk")).one().must_change_password = True
    signed_in = _login_entries(db, "clerk").count("login")
    kept: list[auth.SignIn] = []
    auth.login(db, "clerk", PASSWORD, at=T0, later=kept.append)
    assert kept == [] and _login_entries(db, "clerk").count("login") == signed_in + 1
