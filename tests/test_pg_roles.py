"""PostgreSQL enforces the roles itself (issue 17 item 2): SQL run directly as each database role.

Accounts are made through ``services.auth`` on the owner's connection (as the administrator's
screen and ``user add`` do); every check then connects with plain SQLAlchemy ``text()`` as the
account's own login role with its password, as someone holding that password would with ``psql``.
The login roles sign in with a password (scram-sha-256, one pg_hba line for the four groups, as
docs/deployment.md gives); the desk role is trusted on the test cluster.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import keyring
import pytest
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database, migrate_to, upgrade
from mediation_desk.models import Role, Satisfaction, SourceChannel, User, now
from mediation_desk.services import auth, dbroles
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import AuthenticationFailed

from . import pgserver
from .conftest import MemoryKeyring

pytestmark = pytest.mark.postgresql

PASSWORD = demo.DEMO_PASSWORD
GROUPS = ("md_intake", "md_mediator", "md_head", "md_admin")
SYSTEM = Actor.system("test")
#: Connect as an account's own login role: ``as_role(username, password=PASSWORD)``.
Connect = Callable[..., Connection]


def _require_group_passwords(server: pgserver.PgServer) -> None:
    """The members of the four groups sign in with their password (prepended pg_hba line)."""
    hba = server.data_dir / "pg_hba.conf"
    line = "host all " + ",".join(f"+{g}" for g in GROUPS) + " 127.0.0.1/32 scram-sha-256\n"
    original = hba.read_text()
    if line not in original:
        hba.write_text(line + original)
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_reload_conf()"))
    admin.dispose()


@dataclass
class Center:
    """The demo center on its own database, seeded once for the module."""

    url: str
    db: Database
    desk_role: str

    def connect_url(self, role: str, password: str | None) -> URL:
        return make_url(self.url).set(username=role, password=password)

    def engine(self, role: str, password: str | None = PASSWORD) -> Engine:
        return create_engine(self.connect_url(role, password), poolclass=None)

    def login_role(self, username: str) -> str:
        with self.db.read() as session:
            role = session.scalar(text("SELECT db_role FROM app_user WHERE username = :u"), {"u": username})
        assert role is not None
        return str(role)

    def owner_scalar(self, sql: str, **params: object) -> object:
        with self.db.read() as session:
            return session.scalar(text(sql), params)

    def actor(self, username: str) -> Actor:
        """The demo account ``username`` as the services see it."""
        with self.db.read() as session:
            return auth.actor_for(session, session.scalars(select(User).where(User.username == username)).one())

    @contextmanager
    def as_role(self, username: str) -> Iterator[Session]:
        """A session on the server as ``username``'s own login role (its grants and row-level security)."""
        engine = self.engine(self.login_role(username))
        try:
            with Session(engine) as session:
                yield session
        finally:
            engine.dispose()


@contextmanager
def module_database(server: pgserver.PgServer, template: str, name: str,
                    seed: Callable[[Session], object]) -> Iterator[Center]:
    """A database of a test module's own, copied from the migrated template: the desk role installed
    and ``seed`` run on the owner's connection, then dropped when the module is done. The module's
    fixture runs before the per-test keyring, so the seeding gets a keyring of its own."""
    _require_group_passwords(server)
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = server.url_for(name)
    db = Database(url)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with db.write() as session:
            desk = str(session.scalar(text("SELECT md_install_desk_role()")))  # a copy under another name
            seed(session)
    finally:
        keyring.set_keyring(previous)
    try:
        yield Center(url, db, desk)
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def center(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    with module_database(pg_server, pg_template, "md_roles_center",
                         lambda s: demo.seed(s, 60)) as made:
        yield made


@pytest.fixture
def as_role(center: Center) -> Iterator[Connect]:
    engines: list[Engine] = []

    def connect(username: str, password: str = PASSWORD) -> Connection:
        engine = center.engine(center.login_role(username), password)
        engines.append(engine)
        return engine.connect()

    yield connect
    for engine in engines:
        engine.dispose()


def _denied(conn: Connection, sql: str, **params: object) -> None:
    """The statement is refused by the server (permission denied or a row-security violation)."""
    with pytest.raises(ProgrammingError) as caught:
        conn.execute(text(sql), params)
    assert getattr(caught.value.orig, "sqlstate", None) == "42501", caught.value  # insufficient_privilege
    conn.rollback()


def _connect_fails(center: Center, role: str, password: str | None) -> str:
    engine = center.engine(role, password)
    try:
        with pytest.raises(OperationalError) as caught:
            engine.connect()
    finally:
        engine.dispose()
    return str(caught.value)


def _make_user(center: Center, username: str, role: Role, password: str = PASSWORD,
               mediator_id: int | None = None) -> None:
    with center.db.write() as session:
        auth.create_user(session, SYSTEM, username=username, display_name="测试", role=role, password=password,
                         mediator_id=mediator_id, must_change_password=False)


# --------------------------------------------------------------------------- the roles and their names


def test_each_account_has_its_own_login_role_in_its_group(center: Center) -> None:
    for username, role in (("clerk", "md_intake"), ("mediator", "md_mediator"), ("head", "md_head"),
                           ("admin", "md_admin")):
        login = center.login_role(username)
        uid = center.owner_scalar("SELECT id FROM app_user WHERE username = :u", u=username)
        assert login == f"md_roles_center_u{uid}"
        assert center.owner_scalar("SELECT pg_has_role(:r, :g, 'MEMBER')", r=login, g=role) is True
        others = [g for g in GROUPS if g != role]
        assert not any(center.owner_scalar("SELECT pg_has_role(:r, :g, 'MEMBER')", r=login, g=g) for g in others)
        assert center.owner_scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r", r=login) is True
    for group in GROUPS:
        assert center.owner_scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r", r=group) is False
    # Nobody else may connect: CONNECT is not PUBLIC's.
    assert center.owner_scalar(
        "SELECT count(*) FROM pg_database, aclexplode(coalesce(datacl, acldefault('d', datdba))) AS a"
        " WHERE datname = current_database() AND a.grantee = 0 AND a.privilege_type = 'CONNECT'") == 0


def test_the_password_is_checked_by_the_server(center: Center, as_role: Connect) -> None:
    with as_role("clerk") as conn:
        assert conn.scalar(text("SELECT session_user")) == center.login_role("clerk")
    message = _connect_fails(center, center.login_role("clerk"), "Wrong@2026")
    assert "password authentication failed" in message


def test_a_chinese_password_is_prepared_as_postgresql_prepares_it(center: Center) -> None:
    password = "调解Ab１２３４５６x"  # full-width digits: SASLprep (NFKC) maps them
    _make_user(center, "chinese_pw", Role.INTAKE, password)
    engine = center.engine(center.login_role("chinese_pw"), password)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT 1")) == 1
    engine.dispose()
    assert dbroles.saslprep(password) == "调解Ab123456x"


# --------------------------------------------------------------------------- rows: mediator, intake, head


def test_a_mediator_sees_only_the_cases_of_their_teams_and_their_parties(center: Center, as_role: Connect) -> None:
    mediator_id = center.owner_scalar("SELECT mediator_id FROM app_user WHERE username = 'mediator'")
    own = ("(team_id IN (SELECT team_id FROM team_member WHERE mediator_id = :m AND left_on IS NULL)"
           " OR lead_mediator_id = :m)")
    total = center.owner_scalar("SELECT count(*) FROM dispute_case")
    expected = center.owner_scalar(f"SELECT count(*) FROM dispute_case WHERE {own}", m=mediator_id)
    expected_parties = center.owner_scalar(
        f"SELECT count(*) FROM party WHERE case_id IN (SELECT id FROM dispute_case WHERE {own})", m=mediator_id)
    assert 0 < expected < total  # type: ignore[operator]
    with as_role("mediator") as conn:
        assert conn.scalar(text("SELECT count(*) FROM dispute_case")) == expected
        assert conn.scalar(text("SELECT count(*) FROM party")) == expected_parties
        seen = set(conn.scalars(text("SELECT id FROM dispute_case")))
        assert set(conn.scalars(text("SELECT DISTINCT case_id FROM party"))) <= seen
        assert set(conn.scalars(text("SELECT DISTINCT case_id FROM case_event"))) <= seen
        # Not even by id, nor through a join or a count of another table.
        other = center.owner_scalar(f"SELECT min(id) FROM dispute_case WHERE NOT {own}", m=mediator_id)
        assert conn.scalar(text("SELECT count(*) FROM dispute_case WHERE id = :i"), {"i": other}) == 0
        assert conn.scalar(text("SELECT count(*) FROM party WHERE case_id = :i"), {"i": other}) == 0


def test_a_mediator_cannot_change_another_teams_case(center: Center, as_role: Connect) -> None:
    mediator_id = center.owner_scalar("SELECT mediator_id FROM app_user WHERE username = 'mediator'")
    own = ("(team_id IN (SELECT team_id FROM team_member WHERE mediator_id = :m AND left_on IS NULL)"
           " OR lead_mediator_id = :m)")
    other = center.owner_scalar(f"SELECT min(id) FROM dispute_case WHERE NOT {own}", m=mediator_id)
    mine = center.owner_scalar(f"SELECT min(id) FROM dispute_case WHERE {own}", m=mediator_id)
    title = center.owner_scalar("SELECT title FROM dispute_case WHERE id = :i", i=other)
    with as_role("mediator") as conn:
        assert conn.execute(text("UPDATE dispute_case SET title = '改了' WHERE id = :i"), {"i": other}).rowcount == 0
        assert conn.execute(text("UPDATE party SET phone = '13800000000' WHERE case_id = :i"),
                            {"i": other}).rowcount == 0
        conn.commit()
        # Their own case they may change, but not hand it to a team that is not theirs.
        assert conn.execute(text("UPDATE dispute_case SET facts = facts WHERE id = :i"), {"i": mine}).rowcount == 1
        conn.commit()
        foreign_team = center.owner_scalar(
            "SELECT min(id) FROM team WHERE id NOT IN (SELECT team_id FROM team_member WHERE mediator_id = :m)",
            m=mediator_id)
        _denied(conn, "UPDATE dispute_case SET team_id = :t, lead_mediator_id = NULL WHERE id = :i",
                t=foreign_team, i=mine)
        _denied(conn, "INSERT INTO party (case_id, role, kind, name, id_number, phone, address, created_at,"
                      " updated_at) SELECT :i, role, kind, '冒名', '', '', '', now(), now() FROM party LIMIT 1",
                i=other)
        # Registering cases is the intake window's work.
        _denied(conn, "DELETE FROM dispute_case WHERE id = :i", i=mine)
    assert center.owner_scalar("SELECT title FROM dispute_case WHERE id = :i", i=other) == title


def test_intake_and_head_see_every_case(center: Center, as_role: Connect) -> None:
    total = center.owner_scalar("SELECT count(*) FROM dispute_case")
    parties = center.owner_scalar("SELECT count(*) FROM party")
    for username in ("clerk", "head"):
        with as_role(username) as conn:
            assert conn.scalar(text("SELECT count(*) FROM dispute_case")) == total
            assert conn.scalar(text("SELECT count(*) FROM party")) == parties
    with as_role("clerk") as conn:  # records and agreements are the mediators' and the head's
        _denied(conn, "UPDATE mediation_record SET version = version")
        _denied(conn, "DELETE FROM agreement")


# --------------------------------------------------------------------------- the administrator


CASE_CONTENT = ("dispute_case", "party", "case_event", "attachment", "file_blob", "kept_document",
                "investigation_record", "mediation_record", "agreement", "agreement_term", "transfer",
                "termination", "undisputed_facts", "return_visit", "planned_visit", "judicial_confirmation",
                "supervision_order", "unmatched_page", "case_mediator", "diversion", "search_gram_count", "witness")


def test_the_administrator_reads_no_case_content(center: Center, as_role: Connect) -> None:
    with as_role("admin") as conn:
        for table in CASE_CONTENT:
            _denied(conn, f"SELECT count(*) FROM {table}")
        _denied(conn, "UPDATE dispute_case SET title = ''")
        _denied(conn, "SELECT password_hash FROM app_user")
        # What the administrator's work needs: accounts, teams, settings, the audit log.
        assert conn.scalar(text("SELECT count(*) FROM app_user")) >= 4
        assert conn.scalar(text("SELECT count(*) FROM team")) > 0
        assert conn.scalar(text("SELECT count(*) FROM audit_entry")) > 0
        conn.execute(text("INSERT INTO holiday (day, is_workday, name) VALUES ('2031-10-01', false, '国庆节')"))
        conn.rollback()
    # Even a policy that is missing a GRANT would show nothing: the group has no policy.
    # (The organisation's tables are not case content: the administrator manages a center's own;
    # a subsidy statement's header holds per-mediator totals, no case: migration 0026; a center's
    # feedback contacts for its public page are the center's own address and phone: 0038; the
    # monthly counts hold no case, and each head and administrator reads its own centers' rows: 0040;
    # a center's mediation rooms are its organisation, set up by its head or administrator: 0047.)
    assert center.owner_scalar("SELECT count(*) FROM pg_policies WHERE 'md_admin' = ANY(roles)"
                               " AND tablename NOT IN ('app_user', 'center', 'team', 'mediator',"
                               " 'subsidy_statement', 'center_feedback', 'stat_received_month',"
                               " 'stat_ending_month', 'stat_visit_month', 'mediation_room')") == 0


#: Migration 0018's count-only functions, with sample arguments (a wide period; the ending actions,
#: open and final states as the services pass them).
COUNTING_CALLS = {
    # The centers counted (migration 0022): the caller's own.
    "md_stat_received": "SELECT * FROM md_stat_received(DATE '2000-01-01', DATE '2100-12-31', 'rejected',"
                        " md_current_center_ids())",
    "md_stat_endings": "SELECT * FROM md_stat_endings(DATE '2000-01-01', DATE '2100-12-31',"
                       " ARRAY['succeed', 'fail', 'withdraw', 'divert', 'reject'], 30, md_current_center_ids())",
    "md_stat_visits": "SELECT * FROM md_stat_visits(DATE '2000-01-01', DATE '2100-12-31', md_current_center_ids())",
    "md_stat_overdue": "SELECT md_stat_overdue(DATE '2100-01-01', ARRAY['registered', 'accepted', 'assigned',"
                       " 'in_mediation', 'succeeded', 'failed', 'transferred', 'withdrawn', 'diverted',"
                       " 'closure_review'], md_current_center_ids()) AS cases",
    "md_open_case_counts": "SELECT * FROM md_open_case_counts(ARRAY['rejected', 'closed'], md_current_center_ids())",
}


def test_the_administrators_functions_return_counts_and_nothing_identifying(center: Center,
                                                                            as_role: Connect) -> None:
    """Run as the administrator's own login role: the counts equal the owner's counts of the rows,
    and no value returned is a case's number, title, party name or id (only dispute types, source
    channels, team and mediator ids, months, actions, satisfactions and numbers)."""
    owner = center.owner_scalar
    identifying: set[str] = set()
    with center.db.read() as session:
        for sql in ("SELECT number FROM dispute_case", "SELECT title FROM dispute_case",
                    "SELECT name FROM party", "SELECT id_number FROM party WHERE id_number <> ''",
                    "SELECT phone FROM party WHERE phone <> ''"):
            identifying |= {str(v) for v in session.scalars(text(sql))}
        type_ids = {str(v) for v in session.scalars(text("SELECT id FROM dispute_type"))}
        team_ids = {str(v) for v in session.scalars(text("SELECT id FROM team"))}
        mediator_ids = {int(v) for v in session.scalars(text("SELECT id FROM mediator"))}
    assert identifying
    with as_role("admin") as conn:
        received = conn.execute(text(COUNTING_CALLS["md_stat_received"])).mappings().all()
        endings = conn.execute(text(COUNTING_CALLS["md_stat_endings"])).mappings().all()
        visits = conn.execute(text(COUNTING_CALLS["md_stat_visits"])).mappings().all()
        overdue = conn.scalar(text(COUNTING_CALLS["md_stat_overdue"]))
        loads = conn.execute(text(COUNTING_CALLS["md_open_case_counts"])).mappings().all()
        for table in ("dispute_case", "party", "case_event", "return_visit"):  # still no row itself
            _denied(conn, f"SELECT count(*) FROM {table}")
    assert received and endings and visits and loads
    assert set(received[0].keys()) == {"dimension", "bucket", "cases", "amount", "amount_cases", "group_cases"}
    assert set(endings[0].keys()) == {"action", "dimension", "bucket", "cases", "on_time"}
    assert set(visits[0].keys()) == {"satisfaction", "cases"}
    assert set(loads[0].keys()) == {"dimension", "id", "cases"}
    total = owner("SELECT count(*) FROM dispute_case")
    for dimension, buckets in (("type", type_ids), ("team", team_ids | {"None"}),
                               ("source", {c.value for c in SourceChannel})):
        rows = [r for r in received if r["dimension"] == dimension]
        assert {str(r["bucket"]) for r in rows} <= buckets, dimension
        assert sum(r["cases"] for r in rows) == total, dimension  # each dimension on its own, all cases
    months = [r for r in received if r["dimension"] == "month"]
    assert all(re.fullmatch(r"\d{4}-\d{2}", r["bucket"]) for r in months)
    assert {r["dimension"] for r in endings} == {"type", "source", "criminal"}
    assert {r["action"] for r in endings} <= {"succeed", "fail", "withdraw", "divert", "reject"}
    assert {r["bucket"] for r in endings if r["dimension"] == "criminal"} <= {"true", "false"}
    assert {r["satisfaction"] for r in visits} <= {s.value for s in Satisfaction}
    assert overdue == owner("SELECT count(*) FROM dispute_case WHERE clock_due_on < DATE '2100-01-01'"
                            " AND state NOT IN ('rejected', 'closed')")
    assert {str(r["id"]) for r in loads if r["dimension"] == "team"} <= team_ids
    assert {r["id"] for r in loads if r["dimension"] == "lead"} <= mediator_ids
    assert sum(r["cases"] for r in loads if r["dimension"] == "team") == owner(
        "SELECT count(*) FROM dispute_case WHERE state NOT IN ('rejected', 'closed') AND team_id IS NOT NULL")
    returned = {str(v) for rows in (received, endings, visits, loads) for row in rows for v in row.values()}
    assert not returned & identifying


def test_only_the_administrator_may_call_the_counting_functions(center: Center, as_role: Connect) -> None:
    """The other groups read the rows their grants and policies show them: through a definer's
    rights a mediator would count other teams' cases, so they may not call these at all; nor may the
    desk role or PUBLIC. Each function is SECURITY DEFINER, owned by the tables' owner, with a fixed
    search_path."""
    for username in ("clerk", "mediator", "head"):
        with as_role(username) as conn:
            for sql in COUNTING_CALLS.values():
                _denied(conn, sql)
    desk = create_engine(center.connect_url(center.desk_role, None), poolclass=None)
    try:
        with desk.connect() as conn:
            for sql in COUNTING_CALLS.values():
                _denied(conn, sql)
    finally:
        desk.dispose()
    with center.db.read() as session:
        rows = session.execute(text(
            "SELECT p.proname, p.prosecdef, p.proconfig, pg_get_userbyid(p.proowner) AS owner,"
            " has_function_privilege('public', p.oid, 'EXECUTE') AS public_may,"
            " ARRAY(SELECT g FROM unnest(ARRAY['md_intake', 'md_mediator', 'md_head', 'md_admin']) g"
            "       WHERE has_function_privilege(g, p.oid, 'EXECUTE')) AS callers,"
            " (SELECT tableowner FROM pg_tables WHERE tablename = 'dispute_case') AS table_owner"
            " FROM pg_proc p WHERE p.proname = ANY(:names)"), {"names": list(COUNTING_CALLS)}).mappings().all()
    assert {r["proname"] for r in rows} == set(COUNTING_CALLS)
    for row in rows:
        assert row["prosecdef"] and row["owner"] == row["table_owner"], row
        assert row["proconfig"] == ["search_path=public, pg_temp"], row
        assert not row["public_may"] and row["callers"] == ["md_admin"], row


def test_migration_0018_changes_no_table_grant_or_policy(pg_database_url: str) -> None:
    """The other groups' access is what it was: 0018 adds the functions and nothing else, and its
    downgrade takes them away again."""
    db = Database(pg_database_url)

    def snapshot() -> tuple[list[Any], ...]:
        with db.read() as session:
            grants = session.execute(text(
                "SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants"
                " WHERE grantee LIKE 'md\\_%' ORDER BY 1, 2, 3")).all()
            columns = session.execute(text(
                "SELECT grantee, table_name, column_name, privilege_type FROM information_schema.column_privileges"
                " WHERE grantee LIKE 'md\\_%' ORDER BY 1, 2, 3, 4")).all()
            policies = session.execute(text(
                "SELECT tablename, policyname, roles::text, cmd, qual, with_check FROM pg_policies"
                " ORDER BY 1, 2")).all()
        return list(grants), list(columns), list(policies)

    def functions() -> int:
        with db.read() as session:
            return int(session.scalar(text("SELECT count(*) FROM pg_proc WHERE proname = ANY(:n)"),
                                      {"n": list(COUNTING_CALLS)}) or 0)

    try:
        # Later migrations add columns (and so column privileges): compare at 0018 itself.
        migrate_to(db, "0018")
        at_0018 = snapshot()
        assert functions() == len(COUNTING_CALLS)
        migrate_to(db, "0017")
        assert functions() == 0
        assert snapshot() == at_0018
        migrate_to(db, "0018")
        assert functions() == len(COUNTING_CALLS) and snapshot() == at_0018
        migrate_to(db, "head")
    finally:
        db.dispose()


def test_nobody_reads_the_password_hashes(center: Center, as_role: Connect) -> None:
    for username in ("clerk", "mediator", "head", "admin"):
        with as_role(username) as conn:
            _denied(conn, "SELECT password_hash FROM app_user WHERE username = :u", u=username)
            _denied(conn, "SELECT * FROM app_user")


# --------------------------------------------------------------------------- the audit log


def test_the_audit_table_is_insert_only_for_every_role(center: Center, as_role: Connect) -> None:
    count = center.owner_scalar("SELECT count(*) FROM audit_entry")
    for username in ("clerk", "mediator", "head", "admin"):
        with as_role(username) as conn:
            _denied(conn, "UPDATE audit_entry SET entry_hash = 'x'")
            _denied(conn, "DELETE FROM audit_entry")
            _denied(conn, "TRUNCATE audit_entry")
            _denied(conn, "ALTER TABLE audit_entry DISABLE TRIGGER ALL")
    assert center.owner_scalar("SELECT count(*) FROM audit_entry") == count


def test_only_the_auditors_read_the_audit_log(center: Center, as_role: Connect) -> None:
    for username in ("clerk", "mediator"):
        with as_role(username) as conn:
            _denied(conn, "SELECT detail FROM audit_entry")
            _denied(conn, "SELECT username, action FROM audit_entry")
    for username in ("head", "admin"):
        with as_role(username) as conn:
            assert conn.scalar(text("SELECT count(detail) FROM audit_entry")) > 0


# --------------------------------------------------------------------------- the desk's credential


def test_the_desk_role_reads_only_the_schema_version_and_calls_the_pre_login_functions(center: Center) -> None:
    engine = center.engine(center.desk_role, None)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
            for table in ("app_user", "dispute_case", "party", "audit_entry", "center_setting", "team",
                          "file_blob", "mediator"):
                _denied(conn, f"SELECT count(*) FROM {table}")
            _denied(conn, "CREATE TABLE planted (x int)")
            assert conn.scalar(text("SELECT md_desk_has_users()")) is True
            assert conn.scalar(text("SELECT md_desk_login_role('mediator')")) == center.login_role("mediator")
            assert conn.scalar(text("SELECT md_desk_login_role('nobody')")) is None
            conn.commit()
            _denied(conn, "SELECT md_sync_login_role(1, NULL)")
            _denied(conn, "SELECT md_current_team_ids()")
            _denied(conn, "SELECT md_install_desk_role()")
            _denied(conn, "SET ROLE md_head")
    finally:
        engine.dispose()


def test_failed_logins_reported_by_the_desk_lock_the_login_role(center: Center) -> None:
    _make_user(center, "desk_locked", Role.INTAKE)
    role = center.login_role("desk_locked")
    engine = center.engine(center.desk_role, None)
    try:
        with engine.connect() as conn:
            counts = [conn.scalar(text("SELECT failures FROM md_desk_login_failed('desk_locked')")) for _ in range(5)]
            conn.commit()
    finally:
        engine.dispose()
    assert counts == [1, 2, 3, 4, 5]
    assert center.owner_scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r", r=role) is False
    assert "not permitted to log in" in _connect_fails(center, role, PASSWORD)


# --------------------------------------------------------------------------- keeping the roles in step


def test_a_deactivated_account_cannot_connect_and_a_reactivated_one_can(center: Center) -> None:
    _make_user(center, "leaver", Role.MEDIATOR)
    role = center.login_role("leaver")
    with center.db.write() as session:
        auth.set_active(session, SYSTEM, "leaver", False)
    assert "not permitted to log in" in _connect_fails(center, role, PASSWORD)
    with center.db.write() as session:
        auth.set_active(session, SYSTEM, "leaver", True)
    engine = center.engine(role)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT session_user")) == role
    engine.dispose()


def test_password_reset_and_own_change_reach_the_server(center: Center) -> None:
    _make_user(center, "changer", Role.HEAD)
    role = center.login_role("changer")
    with center.db.write() as session:
        auth.set_password(session, SYSTEM, "changer", "Reset#2027")
    assert "password authentication failed" in _connect_fails(center, role, PASSWORD)
    actor = auth.login(center.db, "changer", "Reset#2027")
    with center.db.write() as session:
        auth.change_password(session, actor, "Reset#2027", "Mine#2028x")
    assert "password authentication failed" in _connect_fails(center, role, "Reset#2027")
    engine = center.engine(role, "Mine#2028x")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT 1")) == 1
    engine.dispose()


def test_the_lockout_holds_on_the_server_until_it_ends(center: Center) -> None:
    _make_user(center, "guessed", Role.INTAKE)
    role = center.login_role("guessed")
    # The desk that counts the guesses has a clock an hour slow: by its clock the lock ended long
    # ago, yet the server keeps the role locked until the lock is lifted.
    slow = now() - timedelta(hours=1)
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            auth.login(center.db, "guessed", "Wrong@2026", at=slow)
    assert "not permitted to log in" in _connect_fails(center, role, PASSWORD)
    # Ten minutes later on the server's clock (moved back here): the desk's pre-login lookup lets
    # the role in again.
    with center.db.write() as session:
        session.execute(text("UPDATE app_user SET locked_until = localtimestamp(0) - interval '1 minute'"
                             " WHERE username = 'guessed'"))
    engine = center.engine(center.desk_role, None)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT md_desk_login_role('guessed')")) == role
        conn.commit()
    engine.dispose()
    engine = center.engine(role)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT 1")) == 1
    engine.dispose()


def test_nobody_but_the_administrator_sets_another_accounts_password(center: Center, as_role: Connect) -> None:
    head_id = center.owner_scalar("SELECT id FROM app_user WHERE username = 'head'")
    verifier = dbroles.scram_verifier("Taken#2026")
    for username in ("clerk", "mediator"):
        with as_role(username) as conn:
            _denied(conn, "SELECT md_sync_login_role(:i, :v)", i=head_id, v=verifier)
            _denied(conn, "UPDATE app_user SET role = 'head'")
            # Their own row's other columns are not theirs to change either.
            _denied(conn, "UPDATE app_user SET db_role = 'x' WHERE db_role = session_user")
    with as_role("admin") as conn:  # an account is made without a login role; only the function names it
        _denied(conn, "INSERT INTO app_user (username, display_name, role, password_hash, active, failed_logins,"
                      " must_change_password, version, created_at, updated_at, db_role) VALUES ('planted', 'x',"
                      " 'head', 'x', true, 0, false, 1, now(), now(), session_user)")
        _denied(conn, "UPDATE app_user SET db_role = session_user WHERE username = 'head'")
    with as_role("clerk") as conn:
        _denied(conn, "SELECT md_sync_login_role(:i, 'plain text')", i=head_id)
    with as_role("admin") as conn:  # a plain password is refused even from the administrator
        with pytest.raises(DBAPIError) as caught:
            conn.execute(text("SELECT md_sync_login_role(:i, 'Taken#2026')"), {"i": head_id})
        assert "SCRAM-SHA-256" in str(caught.value)


def test_the_verifier_has_postgresqls_format() -> None:
    verifier = dbroles.scram_verifier("pencil", salt=b"0123456789abcdef", iterations=4096)
    method, rest = verifier.split("$", 1)
    assert method == "SCRAM-SHA-256"
    iterations_salt, keys = rest.split("$")
    assert iterations_salt == "4096:MDEyMzQ1Njc4OWFiY2RlZg=="
    stored, server = keys.split(":")
    assert len(stored) == len(server) == 44


# --------------------------------------------------------------------------- the migration


def test_an_owner_without_createrole_is_told_what_to_do(pg_server: pgserver.PgServer) -> None:
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS md_roles_weak WITH (FORCE)"))
        conn.execute(text("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'md_weak_owner') "
                          "THEN CREATE ROLE md_weak_owner LOGIN; END IF; END $$"))
        conn.execute(text("CREATE DATABASE md_roles_weak OWNER md_weak_owner"))
    url = make_url(pg_server.url_for("md_roles_weak")).set(username="md_weak_owner")
    db = Database(url)
    try:
        with pytest.raises(Exception) as caught:
            upgrade(db)
        assert "CREATEROLE" in str(caught.value) and "ALTER ROLE md_weak_owner CREATEROLE" in str(caught.value)
        with db.read() as session:  # nothing half-done: the whole upgrade was one transaction
            assert session.scalar(text("SELECT to_regclass('alembic_version')")) is None
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS md_roles_weak WITH (FORCE)"))
        admin.dispose()


def test_an_account_from_before_the_roles_gets_its_role_at_its_next_sign_in(center: Center) -> None:
    """An account written before migration 0014 (no login role, no server password): the desk
    cannot sign it in; its next sign-in on the owner's connection makes the role with its password."""
    with center.db.write() as session:
        session.execute(text(
            "INSERT INTO app_user (username, display_name, role, password_hash, active, failed_logins,"
            " must_change_password, version, created_at, updated_at, center_id) VALUES ('legacy', '老账户',"
            " 'intake', :h, true, 0, false, 1, now(), now(), (SELECT min(id) FROM center))"),
            {"h": auth.hash_password(PASSWORD)})
    engine = center.engine(center.desk_role, None)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT md_desk_login_role('legacy')")) is None
    engine.dispose()
    auth.login(center.db, "legacy", PASSWORD)
    role = center.login_role("legacy")
    engine = center.engine(role)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_has_role(session_user, 'md_intake', 'MEMBER')")) is True
    engine.dispose()


def test_every_table_holding_case_content_is_under_row_level_security(center: Center) -> None:
    """A table added by a later migration with a case_id (witnesses, say) must come with its
    policies: without them its grants would show a mediator every team's rows."""
    unguarded = center.owner_scalar(
        "SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), '') FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'"
        " WHERE c.relkind = 'r' AND NOT c.relrowsecurity AND EXISTS ("
        "   SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'case_id' AND NOT a.attisdropped)")
    assert unguarded == ""


def test_no_group_writes_audit_rows_but_through_the_server(center: Center, as_role: Connect) -> None:
    for username in ("clerk", "mediator", "head", "admin"):
        with as_role(username) as conn:
            _denied(conn, "INSERT INTO audit_entry (at, username, action, entity, detail, prev_hash, entry_hash)"
                          " VALUES (now(), 'x', 'x', 'x', '{}', '', '')")
    with as_role("mediator") as conn:
        # …and the server's function appends for them, keyed, with the login that called.
        row = conn.execute(text("SELECT r_seq, r_mac, r_db_login FROM md_audit_append(NULL, :c)"),
                           {"c": '["mediator", "probe", "case", null, {}]'}).one()
        conn.rollback()
    assert row.r_mac and row.r_db_login.startswith(center.login_role("mediator"))
