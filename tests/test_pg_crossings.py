"""上报 / 交办 / 回退 / 联办 on PostgreSQL (issue 21 item 2): the steps taken through the services
by each person signed in as their own login role, and what each role may then do, tried with SQL
run directly as that role (docs/crossings.md).

A township head cannot read or write the county's case until it is assigned down to the township,
and after the township returns it, it only reads it; after a 上报 the county writes the township's case and the
township only reads it; a third township sees neither the cases nor the steps; a co-handling
township reads the case and answers, but does not write it; every step is in the server-written
audit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.services import auth, cases, crossings, search
from mediation_desk.services.actor import Actor

from . import pgserver
from .services.helpers import new_case_input
from .test_pg_centers import _changes_nothing, _refused
from .test_pg_roles import PASSWORD, Center, Connect, module_database

pytestmark = pytest.mark.postgresql

Person = Callable[[str], tuple[Database, Actor]]


@pytest.fixture(scope="module")
def center(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    with module_database(pg_server, pg_template, "md_crossings_county",
                         lambda s: demo.seed(s, 4, township_cases=2)) as made:
        yield made


@pytest.fixture
def as_role(center: Center) -> Iterator[Connect]:
    engines = []

    def connect(username: str, password: str = PASSWORD) -> Connection:
        engine = center.engine(center.login_role(username), password)
        engines.append(engine)
        return engine.connect()

    yield connect
    for engine in engines:
        engine.dispose()


@pytest.fixture
def person(center: Center) -> Iterator[Person]:
    """Sign in through the services as ``username``: a desk's Database reopened as their role."""
    opened: list[Database] = []

    def sign_in(username: str) -> tuple[Database, Actor]:
        db = Database(make_url(center.url).set(username=center.desk_role))
        opened.append(db)
        return db, auth.login(db, username, PASSWORD)

    yield sign_in
    for db in opened:
        db.dispose()


def _ids(center: Center) -> dict[str, int]:
    with center.db.read() as session:
        rows = session.execute(text("SELECT prefix, id FROM center")).all()
    by_prefix = {str(p): int(i) for p, i in rows}
    return {"county": by_prefix["甘矛调"], "ljd": by_prefix["甘州梁家墩调"], "dz": by_prefix["甘州党寨调"]}


def _register(person: Person, clerk: str) -> int:
    db, actor = person(clerk)
    with db.write() as session:
        return cases.register_case(session, actor, new_case_input(db))


def _sees(conn: Connection, case_id: int) -> bool:
    found = bool(conn.scalar(text("SELECT count(*) FROM dispute_case WHERE id = :i"), {"i": case_id}) == 1)
    conn.rollback()
    return found


def _found(person: Person, username: str, case_id: int) -> bool:
    db, actor = person(username)
    with db.read() as session:
        assert search.row_security_active(session)
        return case_id in {h.case_id for h in search.search(session, actor, "相邻通行", limit=500)}


def _updates(conn: Connection, case_id: int) -> None:
    """The role may change the case and add to its content (rolled back)."""
    assert conn.execute(text("UPDATE dispute_case SET title = title || '' WHERE id = :i"), {"i": case_id}).rowcount == 1
    conn.execute(text("INSERT INTO case_event (case_id, at, kind, action, note) VALUES"
                      " (:i, localtimestamp, 'note', '', '流转测试')"), {"i": case_id})
    conn.rollback()


def _reads_only(conn: Connection, case_id: int) -> None:
    """The role reads the case and cannot change it or add to it."""
    assert _sees(conn, case_id)
    _refused(conn, "UPDATE dispute_case SET title = title || '' WHERE id = :i", i=case_id)
    _refused(conn, "INSERT INTO case_event (case_id, at, kind, action, note) VALUES"
                   " (:i, localtimestamp, 'note', '', '越权')", i=case_id)


def test_a_township_writes_a_county_case_only_while_it_is_assigned_down(center: Center, as_role: Connect,
                                                                        person: Person) -> None:
    ids = _ids(center)
    case_id = _register(person, "clerk")
    with as_role("ljd_head") as ljd, as_role("clerk") as county, as_role("dz_head") as dz:
        assert not _sees(ljd, case_id)
        _changes_nothing(ljd, "UPDATE dispute_case SET title = 'x' WHERE id = :i", i=case_id)
        _refused(ljd, "INSERT INTO case_event (case_id, at, kind, action, note) VALUES"
                      " (:i, localtimestamp, 'note', '', '越权')", i=case_id)
        # A township cannot give itself the county's case.
        _refused(ljd, "INSERT INTO case_crossing (uid, case_id, case_number, kind, from_center_id, to_center_id,"
                      " reason, materials, created_at, created_by_name) VALUES ('forged-1', :i, 'x', 'assign_down',"
                      " :f, :f, '', '[]', localtimestamp, '')", i=case_id, f=ids["ljd"])
        _updates(county, case_id)

        db, head = person("head")
        with db.write() as session:
            down = crossings.assign(session, head, case_id, to_center_id=ids["ljd"], working_days=3,
                                    reason="请梁家墩镇调处", today=date(2026, 9, 30))
        assert down.due_on == date(2026, 10, 10)
        _updates(ljd, case_id)
        # The township's search, run through the server's search functions under its own role,
        # finds the case it was given; the third township's does not.
        assert _found(person, "ljd_head", case_id) and not _found(person, "dz_head", case_id)
        _reads_only(county, case_id)
        assert not _sees(dz, case_id)
        assert dz.scalar(text("SELECT count(*) FROM case_crossing WHERE case_id = :i"), {"i": case_id}) == 0
        dz.rollback()
        assert ljd.scalar(text("SELECT count(*) FROM case_crossing WHERE case_id = :i"), {"i": case_id}) == 1
        ljd.rollback()

        db, ljd_head = person("ljd_head")
        with db.write() as session:
            crossings.return_case(session, ljd_head, case_id, reason="不属于本镇管辖")
        _reads_only(ljd, case_id)  # the case crossed the township: it reads, no longer writes
        _updates(county, case_id)
        # The township sees the steps it took part in.
        assert ljd.scalar(text("SELECT count(*) FROM case_crossing WHERE case_id = :i"), {"i": case_id}) == 2
        ljd.rollback()
    audited = center.owner_scalar(
        "SELECT string_agg(action || '@' || (db_login IS NOT NULL)::text, ',' ORDER BY id) FROM audit_entry"
        " WHERE entity = 'case' AND entity_id = :i AND action IN ('case.assign_down', 'case.return')", i=case_id)
    assert audited == "case.assign_down@true,case.return@true"


def test_after_report_up_the_county_writes_and_the_township_reads(center: Center, as_role: Connect,
                                                                  person: Person) -> None:
    ids = _ids(center)
    case_id = _register(person, "ljd_clerk")
    with as_role("ljd_clerk") as ljd, as_role("head") as county, as_role("dz_clerk") as dz:
        _updates(ljd, case_id)
        _reads_only(county, case_id)  # below the county: read-only until reported up

        db, ljd_head = person("ljd_head")
        with db.write() as session:
            up = crossings.report_up(session, ljd_head, case_id, reason="涉及县直部门，请县中心调处")
        assert up.to_center_id == ids["county"]
        _updates(county, case_id)
        _reads_only(ljd, case_id)
        # The township cannot take it back by forging a 回退 of its own.
        _refused(ljd, "INSERT INTO case_crossing (uid, case_id, case_number, kind, from_center_id, to_center_id,"
                      " parent_id, reason, materials, created_at, created_by_name) VALUES ('forged-2', :i, 'x',"
                      " 'return', :f, :f, :p, '收回', '[]', localtimestamp, '')", i=case_id, f=ids["ljd"], p=up.id)
        _refused(ljd, "UPDATE dispute_case SET handling_center_id = NULL WHERE id = :i", i=case_id)
        assert not _sees(dz, case_id)

        db, county_head = person("head")
        with db.write() as session:
            crossings.return_case(session, county_head, case_id, reason="请本镇继续调处")
        _updates(ljd, case_id)
        _reads_only(county, case_id)


def test_a_co_handling_township_reads_and_answers_but_does_not_write(center: Center, as_role: Connect,
                                                                    person: Person) -> None:
    ids = _ids(center)
    case_id = _register(person, "clerk")
    db, head = person("head")
    with db.write() as session:
        crossings.co_handle(session, head, case_id, center_ids=[ids["dz"]], working_days=5,
                            reason="请党寨镇联合调处", today=date(2026, 11, 2))
    with as_role("dz_clerk") as dz, as_role("ljd_clerk") as ljd:
        _reads_only(dz, case_id)
        assert not _sees(ljd, case_id)
    dz_db, dz_clerk = person("dz_clerk")
    with dz_db.write() as session:
        crossings.feedback(session, dz_clerk, case_id, text="党寨镇当事人同意调解方案")
    with dz_db.read() as session:
        detail = cases.case_detail(session, dz_clerk, case_id)
    assert any(e.note.startswith("反馈：") for e in detail.events) and not detail.actions
    with as_role("clerk") as county:
        _updates(county, case_id)


def test_case_content_is_writable_exactly_where_md_case_writable_says(center: Center, as_role: Connect,
                                                                      person: Person) -> None:
    """Migration 0051 writes the case-content policies' check on the case row itself (its handling
    center, else its center, is the account's) instead of calling ``md_case_writable`` per row:
    for every case each account reads — its own, one assigned down, one reported up, one
    co-handled, one returned — the two answers are the same."""
    ids = _ids(center)
    own, assigned, co_handled = (_register(person, "clerk") for _ in range(3))
    reported = _register(person, "ljd_clerk")
    db, head = person("head")
    with db.write() as session:
        crossings.assign(session, head, assigned, to_center_id=ids["ljd"], working_days=3, reason="交办",
                         today=date(2026, 9, 30))
        crossings.co_handle(session, head, co_handled, center_ids=[ids["dz"]], working_days=5, reason="联办",
                            today=date(2026, 11, 2))
    db, ljd_head = person("ljd_head")
    with db.write() as session:
        crossings.report_up(session, ljd_head, reported, reason="上报")
    ours = (own, assigned, co_handled, reported)
    same = ("SELECT c.id, coalesce(md_case_writable(c.id, c.center_id), false),"
            " coalesce(coalesce(c.handling_center_id, c.center_id) = (SELECT md_current_center_id()), false)"
            " FROM dispute_case c")
    answers: dict[str, dict[int, bool]] = {}
    for username in ("clerk", "head", "ljd_clerk", "ljd_head", "dz_clerk", "dz_head"):
        with as_role(username) as conn:
            rows = conn.execute(text(same)).all()
            conn.rollback()
        assert [r for r in rows if r[1] != r[2]] == [], username
        answers[username] = {int(r[0]): bool(r[1]) for r in rows if r[0] in ours}
    assert answers["clerk"] == {own: True, assigned: False, co_handled: True, reported: True}
    assert answers["ljd_clerk"] == {assigned: True, reported: False}
    assert answers["dz_clerk"] == {co_handled: False}
    # And through the policies: what the check admits, an insert of content does.
    with as_role("ljd_clerk") as ljd, as_role("clerk") as county:
        _updates(ljd, assigned)
        _reads_only(ljd, reported)
        _updates(county, reported)
        _reads_only(county, assigned)


def test_a_clerks_import_writes_only_into_the_clerks_own_center(center: Center, person: Person,
                                                                 tmp_path: Path) -> None:
    """The batch import as a township clerk's own login: an actor claiming the county (a forged
    or stale session) is refused by the server's row-level security and writes nothing; the
    clerk's own import lands in the township."""
    from mediation_desk.services import case_import

    ids = _ids(center)
    path = tmp_path / "tickets.csv"
    header = [case_import.COLUMNS[k][0] for k in ("source_ref", "received_at", "dispute_type", "title",
                                                   "applicant_name")]
    path.write_text(",".join(header) + "\n" + "\n".join(f"GD-X{n},2026-10-0{n + 1} 09:00,邻里,通行{n},张三"
                                                        for n in range(3)) + "\n", encoding="utf-8")
    db, clerk = person("ljd_clerk")
    assert clerk.center_id == ids["ljd"]
    forged = dataclasses.replace(clerk, center_id=ids["county"])
    # The rows go by the driver's own COPY and INSERT … SELECT: psycopg's error, or SQLAlchemy's around it.
    with pytest.raises((ProgrammingError, psycopg.errors.InsufficientPrivilege)) as caught, db.write() as session:
        case_import.import_records(session, forged, case_import.read_records(path))
    assert getattr(getattr(caught.value, "orig", caught.value), "sqlstate", None) == "42501"
    count = "SELECT count(*) FROM dispute_case WHERE source_ref LIKE '12345:GD-X%'"
    assert center.owner_scalar(count) == 0
    with db.write() as session:
        report = case_import.import_records(session, clerk, case_import.read_records(path))
    assert report.imported == 3 and not report.errors
    assert center.owner_scalar(count + " AND center_id = :c", c=ids["ljd"]) == 3
    assert center.owner_scalar("SELECT count(*) FROM party p JOIN dispute_case c ON c.id = p.case_id"
                               " WHERE c.source_ref LIKE '12345:GD-X%'") == 3
