"""What the audit red-team tests do to the table, on both databases.

On SQLite anyone who can write the file can rewrite ``audit_entry``. On a center server (migration
0015) the table's triggers refuse UPDATE, DELETE and TRUNCATE to every role, its owner included, and
only the server's functions may insert; the strongest attacker left is the server's superuser (or
the database owner, who can drop the triggers), who switches the triggers off for the session
(``session_replication_role = replica``) and can read the key table. These helpers play that
attacker, so every tampering test shows what ``audit verify`` finds even then; what an ordinary
app role is refused is tested in ``test_server_audit.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from mediation_desk.db import Database
from mediation_desk.services import audit


def bypass_triggers(session_or_connection: Session | Connection) -> None:
    """Switch the server's audit triggers off for this transaction (superuser only); nothing on SQLite."""
    bind = (session_or_connection.get_bind() if isinstance(session_or_connection, Session)
            else session_or_connection)
    if bind.dialect.name == "postgresql":
        session_or_connection.execute(text("SET LOCAL session_replication_role = replica"))


@contextlib.contextmanager
def tampering(db: Database) -> Iterator[Connection]:
    """A write transaction that can rewrite ``audit_entry`` as the strongest attacker can."""
    with db.writer.begin() as connection:
        bypass_triggers(connection)
        yield connection


def chain_key(db: Database) -> tuple[str, bytes]:
    """The chain id and the key a rewrite "with the right key" uses: the desk's keychain on SQLite,
    the server's key table (read as the superuser; no app role can) on PostgreSQL."""
    with db.read() as session:
        chain = audit.chain_id(session)
        assert chain is not None
        if session.get_bind().dialect.name == "postgresql":
            return chain, bytes(session.execute(text("SELECT key FROM md_audit_private.audit_chain_key")).scalar_one())
    key = audit._keychain_get(chain)
    assert key is not None
    return chain, key
