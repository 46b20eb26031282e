"""The risk briefing on PostgreSQL as the head's own login role (issue 23 item 4, docs/briefing.md).

The demo county on a database of its own: the county head's briefing counted through its role
equals the owner's; a township head's holds its township alone; the head's grade of a case of its
own center is written through its role; the county head grades a township's case its briefing
lists, and the server (migration 0036) refuses a township head's grade on the county's case, a grade
in another's name, and any grade from a clerk or a mediator, even when written directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import keyring
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database, migrate_to
from mediation_desk.models import DisputeCase, RiskGrade, RiskLevel, User
from mediation_desk.readmodels.briefing import SpotKind
from mediation_desk.services import briefing, caselist

from . import pgserver
from .conftest import MemoryKeyring
from .test_pg_roles import Center, _require_group_passwords

pytestmark = pytest.mark.postgresql

MONTH = "2026-11"
TODAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def county(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    _require_group_passwords(pg_server)
    name = "md_briefing_county"
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    db = Database(pg_server.url_for(name))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with db.write() as session:
            desk = str(session.scalar(text("SELECT md_install_desk_role()")))
            demo.seed(session, 60, today=datetime(2026, 12, 3, 17, 0), township_cases=12)
    finally:
        keyring.set_keyring(previous)
    yield Center(pg_server.url_for(name), db, desk)
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _insert_grade(session: Session, case_id: int, set_by: int | None, grade: str = "red") -> None:
    """A grade row written straight through the role's connection (no service in between)."""
    session.execute(text("INSERT INTO risk_grade (case_id, month, proposed, grade, reason, set_by_id, set_at)"
                         " VALUES (:c, :m, 'blue', :g, '直接写入', :u, now())"),
                    {"c": case_id, "m": MONTH, "g": grade, "u": set_by})
    session.flush()


def _refused(county: Center, username: str, case_id: int, set_by: int | None) -> None:
    with county.as_role(username) as session, pytest.raises(DBAPIError):
        _insert_grade(session, case_id, set_by)


def test_the_briefing_through_the_heads_role_and_its_grades(county: Center) -> None:
    head = county.actor("head")
    with county.as_role("head") as session:
        as_head = briefing.load(session, head, MONTH, today=TODAY)
    with county.db.read() as owner:
        as_owner = briefing.load(owner, head, MONTH, today=TODAY)
    assert as_head == as_owner
    ljd = county.actor("ljd_head")
    with county.as_role("ljd_head") as session:
        township = briefing.load(session, ljd, MONTH, today=TODAY)
    assert {s.name for s in township.spots_of(SpotKind.CENTER)} <= {township.center_name}
    assert {c.center_name for c in township.cases} <= {township.center_name}
    # The first page's numbers, counted through each head's role, are the rows its case list shows
    # through that role for each number's filter (row-level security on both sides).
    for username, actor, got in (("head", head, as_head), ("ljd_head", ljd, township)):
        overview = got.parts()[0]
        counts = [overview.received, overview.received_last, *(c for _label, c in overview.group_bands),
                  overview.criminal, overview.overdue, overview.carded, overview.hotline.this, overview.hotline.last]
        with county.as_role(username) as session:
            assert [caselist.count_cases(session, actor, caselist.CaseQuery(filter=c.filter)) for c in counts] == \
                [c.value for c in counts]
        assert sum(c.value for c in counts) and all(c.filter.case_ids is None for c in counts)

    own = next(c for c in as_head.cases if c.center_name == as_head.center_name and c.proposed is not RiskLevel.RED)
    with county.as_role("head") as session, session.begin():
        graded = briefing.set_grade(session, head, own.case_id, MONTH, RiskLevel.RED, "会商认为需提级", today=TODAY)
    assert (graded.proposed, graded.adjusted) == (own.proposed, RiskLevel.RED)
    with county.db.write() as owner:
        assert owner.scalars(select(RiskGrade.case_id)).all() == [own.case_id]
        owner.execute(text("DELETE FROM risk_grade"))


def test_the_server_lets_a_head_grade_the_cases_of_its_briefing_and_no_others(county: Center) -> None:
    """Migration 0036: risk_grade is written by heads only, on a case of their center or a center
    below it, in their own name; a township head never grades a case of the county's center."""
    head, ljd = county.actor("head"), county.actor("ljd_head")
    with county.as_role("head") as session:
        as_head = briefing.load(session, head, MONTH, today=TODAY)
    # The county head grades a township's case the briefing lists, through its own role.
    township_case = next(c for c in as_head.cases
                         if c.center_name == ljd_name(county) and c.proposed is not RiskLevel.RED)
    with county.as_role("head") as session, session.begin():
        lifted = briefing.set_grade(session, head, township_case.case_id, MONTH, RiskLevel.RED, "跨镇联动，提级",
                                    today=TODAY)
    assert lifted.adjusted is RiskLevel.RED
    # The township's head reads that grade (its own case) and may change it back.
    with county.as_role("ljd_head") as session:
        seen = briefing.load(session, ljd, MONTH, today=TODAY)
    assert next(c for c in seen.cases if c.case_id == township_case.case_id).adjusted is RiskLevel.RED
    with county.as_role("ljd_head") as session, session.begin():
        back = briefing.set_grade(session, ljd, township_case.case_id, MONTH, township_case.proposed, "镇里复核",
                                  today=TODAY)
    assert back.adjusted is None

    with county.db.read() as owner:
        county_case = owner.scalar(select(DisputeCase.id).where(DisputeCase.center_id == head.center_id)
                                   .order_by(DisputeCase.id).limit(1))
        ljd_case = owner.scalar(select(DisputeCase.id).where(DisputeCase.center_id == ljd.center_id)
                                .order_by(DisputeCase.id).limit(1))
        clerk_id = owner.scalar(select(User.id).where(User.username == "clerk"))
    assert county_case is not None and ljd_case is not None
    # Written straight through the roles: a township head cannot grade the county's case, even one
    # the county assigned down to the township (the township works on it, the grade is the county's).
    _refused(county, "ljd_head", county_case, ljd.user_id)
    with county.db.write() as owner:
        owner.execute(text("UPDATE dispute_case SET handling_center_id = :t WHERE id = :c"),
                      {"t": ljd.center_id, "c": county_case})
    try:
        with county.as_role("ljd_head") as session:
            assert session.scalar(text("SELECT count(*) FROM dispute_case WHERE id = :c"), {"c": county_case}) == 1
        _refused(county, "ljd_head", county_case, ljd.user_id)
    finally:
        with county.db.write() as owner:
            owner.execute(text("UPDATE dispute_case SET handling_center_id = NULL WHERE id = :c"), {"c": county_case})
    # Nor in another's name, nor as the clerk or a mediator (not heads: no grant at all).
    _refused(county, "head", ljd_case, clerk_id)
    _refused(county, "clerk", county_case, clerk_id)
    _refused(county, "mediator", county_case, county.actor("mediator").user_id)
    # The county head's raw row on the township's case, in its own name, is accepted; the
    # township head reads it, deletes it; the county head's row on its own case stays out of reach.
    with county.as_role("head") as session, session.begin():
        _insert_grade(session, ljd_case, head.user_id)
    with county.as_role("ljd_head") as session, session.begin():
        assert session.connection().execute(text("DELETE FROM risk_grade WHERE case_id = :c"),
                                            {"c": ljd_case}).rowcount == 1
    with county.as_role("head") as session, session.begin():
        _insert_grade(session, county_case, head.user_id)
    with county.as_role("ljd_head") as session, session.begin():
        assert session.scalar(text("SELECT count(*) FROM risk_grade WHERE case_id = :c"), {"c": county_case}) == 0
        assert session.connection().execute(text("DELETE FROM risk_grade WHERE case_id = :c"),
                                            {"c": county_case}).rowcount == 0
        assert session.connection().execute(text("UPDATE risk_grade SET reason = '改' WHERE case_id = :c"),
                                            {"c": county_case}).rowcount == 0
    with county.db.write() as owner:
        assert owner.scalar(select(RiskGrade.reason).where(RiskGrade.case_id == county_case)) == "直接写入"
        owner.execute(text("DELETE FROM risk_grade"))


def ljd_name(county: Center) -> str:
    with county.db.read() as owner:
        return str(owner.scalar(text("SELECT c.name FROM center c JOIN app_user u ON u.center_id = c.id"
                                     " WHERE u.username = 'ljd_head'")))


def test_migration_0036_goes_down_to_the_case_tables_policies_and_up_again(pg_database_url: str) -> None:
    db = Database(pg_database_url)

    def access() -> tuple[set[str], set[tuple[str, str]]]:
        with db.read() as session:
            policies = set(session.scalars(text("SELECT policyname FROM pg_policies WHERE tablename = 'risk_grade'")))
            grants = {(g, p) for g, p in session.execute(text(
                "SELECT grantee, privilege_type FROM information_schema.role_table_grants"
                " WHERE table_name = 'risk_grade' AND grantee LIKE 'md\\_%'"))}
        return policies, grants

    try:
        policies, grants = access()
        assert policies == {"md_case_rows", "md_grade_insert", "md_grade_update", "md_grade_delete"}
        assert ("md_mediator", "INSERT") not in grants and ("md_intake", "DELETE") not in grants
        assert {("md_head", p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE")} <= grants
        assert ("md_mediator", "SELECT") in grants
        migrate_to(db, "0035")
        policies, grants = access()
        assert policies == {"md_case_rows", "md_case_insert", "md_case_update", "md_case_delete"}
        assert ("md_mediator", "INSERT") in grants and ("md_intake", "DELETE") in grants
        migrate_to(db, "head")
        assert access()[0] == {"md_case_rows", "md_grade_insert", "md_grade_update", "md_grade_delete"}
    finally:
        db.dispose()
