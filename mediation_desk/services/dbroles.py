"""Each account's own PostgreSQL login role, kept in step with its ``app_user`` row.

Migration 0014 made the group roles (``md_intake``, ``md_mediator``, ``md_head``, ``md_admin``),
their grants and row-level security, and the SECURITY DEFINER function ``md_sync_login_role``
that creates an account's login role, puts it in its group, lets it connect while the account is
active and not locked, and sets its password. This module calls that function; on SQLite it does
nothing.

The password reaches the server only as a SCRAM-SHA-256 verifier computed here (the format of
``pg_authid.rolpassword``), so the plain password appears in no SQL text, server log or
``pg_stat_activity``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import stringprep
import unicodedata
from datetime import datetime

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..db import Database, remember_login_password
from ..models import User

#: PostgreSQL's default iteration count (``scram_iterations``).
SCRAM_ITERATIONS = 4096

#: The group role of each application role (``models.enums.Role`` value → role name).
GROUP_PREFIX = "md_"


def group_role(role: str) -> str:
    return GROUP_PREFIX + role


def saslprep(password: str) -> str:
    """RFC 4013 SASLprep as PostgreSQL applies it (``pg_saslprep``): non-ASCII spaces become spaces,
    "commonly mapped to nothing" characters go, NFKC; a password that then holds prohibited
    characters is used as given (PostgreSQL falls back to the raw bytes, and so must we)."""
    mapped = "".join(" " if stringprep.in_table_c12(c) else c for c in password if not stringprep.in_table_b1(c))
    normal = unicodedata.normalize("NFKC", mapped)
    prohibited = (stringprep.in_table_c12, stringprep.in_table_c21_c22, stringprep.in_table_c3,
                  stringprep.in_table_c4, stringprep.in_table_c5, stringprep.in_table_c6,
                  stringprep.in_table_c7, stringprep.in_table_c8, stringprep.in_table_c9,
                  stringprep.in_table_a1)
    if any(test(c) for c in normal for test in prohibited):
        return password
    if any(stringprep.in_table_d1(c) for c in normal) and (
            any(stringprep.in_table_d2(c) for c in normal)
            or not (stringprep.in_table_d1(normal[0]) and stringprep.in_table_d1(normal[-1]))):
        return password
    return normal


def scram_verifier(password: str, *, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS) -> str:
    """``SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`` (RFC 5802/7677, base64)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", saslprep(password).encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def enabled(session: Session) -> bool:
    """Whether this database has login roles (PostgreSQL at migration 0014 or later)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bool(session.scalar(text("SELECT to_regprocedure('md_sync_login_role(integer, text)') IS NOT NULL")))


def sync(session: Session, user: User, password: str | None = None) -> str | None:
    """Bring ``user``'s login role in step with its row (flushed first); with ``password``, set
    the role's password to it. Returns the role's name, or None where there are no login roles."""
    if not enabled(session):
        return None
    session.flush()
    verifier = scram_verifier(password) if password is not None else None
    name = session.scalar(text("SELECT md_sync_login_role(:uid, :verifier)"),
                          {"uid": user.id, "verifier": verifier})
    set_committed_value(user, "db_role", name)
    if password is not None and name is not None and session.scalar(text("SELECT session_user")) == name:
        # One's own password, changed on one's own connection: this desk's next connections use
        # the new one once it is committed.
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        event.listen(session, "after_commit", lambda _s: remember_login_password(engine, password), once=True)
    return str(name) if name is not None else None


def own_password_hash(session: Session, user: User) -> str:
    """The account's argon2 hash: through ``md_own_password_hash()`` when this connection is the
    account's own login role (no group may read the column), else from the row."""
    if user.db_role is not None and enabled(session) and session.scalar(text("SELECT session_user")) == user.db_role:
        return str(session.scalar(text("SELECT md_own_password_hash()")) or "")
    return user.password_hash


def owns_schema(session: Session) -> bool:
    """Whether this PostgreSQL connection is the database owner's (IT's credential: ``db upgrade``,
    backups) or a superuser's, which row-level security does not restrict; a person's login role
    and the desk role are not."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text(
        "SELECT coalesce((SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c"
        " WHERE c.oid = to_regclass('dispute_case')), false)")))


#: What only the database owner (IT's credential, never a desk's) may do on a center server.
OWNER_ONLY = ("中心服务器上的{doing}须由信息技术人员以数据库所有者账户完成（如 mediation-desk --database "
              "postgresql+psycopg://所有者@服务器/库名 {command}）：本机以登录人员自己的数据库账户连接服务器，"
              "这个账户无权{why}。")


def owner_refusal(db: Database, doing: str, command: str, why: str) -> str | None:
    """Why this connection may not do what only the owner may (None on SQLite and for the owner)."""
    if db.is_sqlite:
        return None
    with db.read() as session:
        if owns_schema(session):
            return None
    return OWNER_ONLY.format(doing=doing, command=command, why=why)


def is_desk_connection(session: Session) -> bool:
    """Whether this connection is the desk's own role (``<database>_desk``, migration 0014), which
    may do nothing but the pre-login calls below."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    if not session.scalar(text("SELECT to_regprocedure('md_desk_role_name()') IS NOT NULL")):
        return False
    return bool(session.scalar(text(
        "SELECT CASE WHEN has_function_privilege('md_desk_role_name()', 'EXECUTE')"
        " THEN session_user = md_desk_role_name() ELSE false END")))


def desk_login_settings(session: Session) -> dict[str, str]:
    """Pre-login: the stored texts of the settings the login screen shows (the center's name,
    whether it is the demo center)."""
    rows = session.execute(text("SELECT key, value FROM md_desk_login_settings()"))
    return {str(row.key): str(row.value) for row in rows}


def desk_login_role(session: Session, username: str) -> str | None:
    """Pre-login: the login role of an active account (a lock that has ended is lifted)."""
    value = session.scalar(text("SELECT md_desk_login_role(:u)"), {"u": username})
    return str(value) if value is not None else None


def desk_unknown_role(session: Session) -> str:
    """Pre-login: a login-role name no account has (``<prefix>_u0``: ids start at 1), for the
    connection attempt a name without an account makes, so that it costs what a wrong password
    costs."""
    return f"{session.scalar(text('SELECT md_role_prefix()'))}_u0"


def desk_login_failed(session: Session, username: str) -> tuple[int, datetime | None] | None:
    """Pre-login: count a wrong password for an active account; (failures so far, end of the
    lock if it is locked), or None for a name without an active account."""
    row = session.execute(text("SELECT failures, locked_until FROM md_desk_login_failed(:u)"),
                          {"u": username}).first()
    return (int(row.failures), row.locked_until) if row is not None else None


__all__ = [
    "SCRAM_ITERATIONS", "desk_login_failed", "desk_login_role", "desk_login_settings", "desk_unknown_role",
    "enabled", "group_role", "is_desk_connection", "own_password_hash", "saslprep", "scram_verifier", "sync",
]
