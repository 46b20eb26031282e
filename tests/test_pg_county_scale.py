"""Row-level security at county scale (issue 21 item 6, migration 0032): the policies ask who is
connected once per query, and a search under the policies goes through migration 0032's lookups
and finds exactly what the services would show the account.

The demo county (its center and two townships) on a database of its own; the searches run through
the services on a Database connected as each account's own login role (``connect_as``), and are
compared with the same service calls on the owner's connection (no row security: the services'
own conditions only). bench/county.py measures the same at 20 centers × 50,000 cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import keyring
import pytest
from sqlalchemy import create_engine, text

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import auth, caselist, search
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery, SortKey

from . import pgserver
from .conftest import MemoryKeyring
from .test_pg_roles import PASSWORD, _require_group_passwords

pytestmark = pytest.mark.postgresql

ACCOUNTS = ("ljd_clerk", "ljd_mediator", "ljd_head", "dz_clerk", "head", "mediator")


@pytest.fixture(scope="module")
def county(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[str]:
    _require_group_passwords(pg_server)
    name = "md_county_scale"
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    url = pg_server.url_for(name)
    db = Database(url)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with db.write() as session:
            demo.seed(session, 40, township_cases=15)
    finally:
        keyring.set_keyring(previous)
    db.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _signed_in(url: str, username: str) -> tuple[Database, Actor]:
    db = Database(url)
    with db.read() as session:
        role = session.scalar(text("SELECT db_role FROM app_user WHERE username = :u"), {"u": username})
    db.connect_as(str(role), PASSWORD)
    return db, auth.login(db, username, PASSWORD)


def _words(owner: Database) -> list[str]:
    """Words that find cases of every center: a name of each center's cases (whole, and its
    surname and first two characters), words of the facts, a phone's and an ID number's last
    digits."""
    with owner.read() as session:
        names = session.scalars(text(
            "SELECT DISTINCT ON (c.center_id) p.name FROM party p JOIN dispute_case c ON c.id = p.case_id "
            "WHERE p.kind = 'person' AND length(p.name) = 3 ORDER BY c.center_id, p.id")).all()
        phone = session.scalar(text("SELECT right(phone, 4) FROM party WHERE phone <> '' ORDER BY id LIMIT 1"))
        id_tail = session.scalar(text("SELECT right(id_number, 4) FROM party WHERE id_number <> '' "
                                      "ORDER BY id DESC LIMIT 1"))
    words: list[str] = []
    for name in names:
        words += [name, name[:2], name[0]]
    return [*words, "纠纷", "工资", "宅基地", str(phone), str(id_tail)]


def test_the_policies_call_who_is_connected_once_per_query(county: str) -> None:
    """No policy calls md_current_center_ids() and its kind bare (once per row it checks): each
    goes through a scalar subquery, run once per query. A later migration that writes a policy
    with a bare call fails here: wrap it as migration 0032 does."""
    owner = Database(county)
    with owner.read() as session:
        rows = session.execute(text(
            "SELECT tablename, policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '') "
            "FROM pg_policies WHERE schemaname = current_schema()")).all()
    owner.dispose()
    bare = re.compile(r"(?<![\w.])md_current_(center_ids|center_id|team_ids|mediator_id)\(\)(?! AS )")
    called = [(table, name) for table, name, expression in rows if "md_current_" in expression]
    assert ("dispute_case", "md_case_read") in called
    assert [(table, name, expression) for table, name, expression in rows if bare.search(expression)] == []


def test_a_search_under_the_policies_finds_what_the_services_show(county: str) -> None:
    owner = Database(county)
    words = _words(owner)
    try:
        with owner.read() as session:
            assert not search.row_security_active(session)
        for username in ACCOUNTS:
            db, actor = _signed_in(county, username)
            try:
                with db.read() as session:
                    assert search.row_security_active(session), username
                for word in words:
                    query = CaseQuery(filter=CaseFilter(text=word), sort=SortKey.RELEVANCE)
                    with db.read() as guarded, owner.read() as plain:
                        found = [(h.case_id, h.rank) for h in search.search(guarded, actor, word, limit=500)]
                        expected = [(h.case_id, h.rank) for h in search.search(plain, actor, word, limit=500)]
                        assert found == expected, (username, word)
                        assert search.count(guarded, actor, word) == search.count(plain, actor, word)
                        rows = caselist.fetch_window(guarded, actor, query, 0, 50, total=None)
                        assert [r.id for r in rows] == [r.id for r in caselist.fetch_window(
                            plain, actor, query, 0, 50, total=None)], (username, word)
            finally:
                db.dispose()
    finally:
        owner.dispose()


def test_the_lookups_return_only_cases_the_account_reads(county: str) -> None:
    """Called by hand (as someone holding the password would with psql), migration 0032's
    functions give the ids of the cases the account reads only (what the policies give it): a
    township clerk none of the other township's or the county's, a mediator only those of their
    teams, the county head the townships' too."""
    for username in ACCOUNTS:
        db, _ = _signed_in(county, username)
        try:
            with db.read() as session:
                # What the policies let the role read of the parties' cases.
                readable = set(session.scalars(text("SELECT DISTINCT case_id FROM party")))
                assert readable, username
                every = set(session.scalars(text("SELECT * FROM md_search_party_prefix('')")))
                assert every == readable, username
                assert set(session.scalars(text("SELECT * FROM md_search_party_names('{}', '%')"))) == every
                assert set(session.scalars(text("SELECT * FROM md_search_facts('{}', '%')"))) <= set(
                    session.scalars(text("SELECT id FROM dispute_case")))
        finally:
            db.dispose()
