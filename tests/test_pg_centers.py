"""Centers as tenants on PostgreSQL (issue 21 item 1): SQL run directly as each person's login role.

The demo county (its center and two townships, 梁家墩 and 党寨, each with its clerk, mediator and
head) on a database of its own; every check connects as an account's own login role with its
password, as someone holding that password would with ``psql``, and tries to read and change
cases that are not theirs. The policies are migration 0022's (docs/centers.md).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.models import Role
from mediation_desk.services import auth, stat_months

from . import pgserver
from .test_pg_roles import PASSWORD, SYSTEM, Center, Connect, module_database

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def center(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    def seed(session: Session) -> None:
        demo.seed(session, 30, township_cases=6)
        ljd = session.scalar(text("SELECT id FROM center WHERE prefix = '甘州梁家墩调'"))
        # An administrator of a township (its own accounts and organisation only).
        auth.create_user(session, SYSTEM, username="ljd_admin", display_name="梁家墩管理员", role=Role.ADMIN,
                         password=PASSWORD, must_change_password=False, center_id=ljd)

    with module_database(pg_server, pg_template, "md_centers_county", seed) as made:
        yield made


@pytest.fixture
def as_role(center: Center) -> Iterator[Connect]:
    """Connect as an account's own login role: ``as_role(username)``."""
    engines: list[Engine] = []

    def connect(username: str, password: str = PASSWORD) -> Connection:
        engine = center.engine(center.login_role(username), password)
        engines.append(engine)
        return engine.connect()

    yield connect
    for engine in engines:
        engine.dispose()


def _ids(center: Center) -> dict[str, int]:
    with center.db.read() as session:
        rows = session.execute(text("SELECT prefix, id FROM center")).all()
    by_prefix = {str(p): int(i) for p, i in rows}
    return {"county": by_prefix["甘矛调"], "ljd": by_prefix["甘州梁家墩调"], "dz": by_prefix["甘州党寨调"]}


def _a_case(center: Center, center_id: int) -> int:
    """A case of ``center_id`` with parties, read as the owner (who is not under row security)."""
    value = center.owner_scalar("SELECT min(c.id) FROM dispute_case c WHERE c.center_id = :c"
                                " AND EXISTS (SELECT 1 FROM party p WHERE p.case_id = c.id)", c=center_id)
    assert isinstance(value, int)
    return value


def _refused(conn: Connection, sql: str, **params: object) -> None:
    """The server refuses the statement (permission denied or a row-security violation)."""
    with pytest.raises(ProgrammingError) as caught:
        conn.execute(text(sql), params)
    assert getattr(caught.value.orig, "sqlstate", None) == "42501", caught.value
    conn.rollback()


def _changes_nothing(conn: Connection, sql: str, **params: object) -> None:
    """The statement runs and touches no row: the rows are not the connection's to change."""
    assert conn.execute(text(sql), params).rowcount == 0
    conn.rollback()


def test_each_account_reads_the_centers_the_server_gives_it(center: Center, as_role: Connect) -> None:
    ids = _ids(center)
    expected = {
        "clerk": [ids["county"]], "mediator": [ids["county"]],
        "head": sorted(ids.values()),  # the county head: the county and both townships
        "ljd_clerk": [ids["ljd"]], "ljd_mediator": [ids["ljd"]], "ljd_head": [ids["ljd"]],
        "dz_clerk": [ids["dz"]], "admin": sorted(ids.values()), "ljd_admin": [ids["ljd"]],
    }
    for username, centers in expected.items():
        with as_role(username) as conn:
            assert conn.scalar(text("SELECT md_current_center_ids()")) == centers, username


def test_a_township_clerk_reads_only_the_townships_cases_and_their_parties(center: Center,
                                                                          as_role: Connect) -> None:
    ids = _ids(center)
    own = center.owner_scalar("SELECT count(*) FROM dispute_case WHERE center_id = :c", c=ids["ljd"])
    assert own
    with as_role("ljd_clerk") as conn:
        assert set(conn.scalars(text("SELECT DISTINCT center_id FROM dispute_case"))) == {ids["ljd"]}
        assert conn.scalar(text("SELECT count(*) FROM dispute_case")) == own
        seen = set(conn.scalars(text("SELECT id FROM dispute_case")))
        for table in ("party", "case_event", "attachment", "return_visit"):
            assert set(conn.scalars(text(f"SELECT DISTINCT case_id FROM {table}"))) <= seen, table
        for other in (ids["dz"], ids["county"]):
            case_id = _a_case(center, other)
            assert conn.scalar(text("SELECT count(*) FROM dispute_case WHERE id = :i"), {"i": case_id}) == 0
            assert conn.scalar(text("SELECT count(*) FROM party WHERE case_id = :i"), {"i": case_id}) == 0
            assert conn.scalar(text("SELECT count(*) FROM case_event WHERE case_id = :i"), {"i": case_id}) == 0


def test_a_township_clerk_cannot_change_or_delete_another_centers_case_or_parties(center: Center,
                                                                                  as_role: Connect) -> None:
    ids = _ids(center)
    with as_role("ljd_clerk") as conn:
        for other in (ids["dz"], ids["county"]):
            case_id = _a_case(center, other)
            _changes_nothing(conn, "UPDATE dispute_case SET title = '改' WHERE id = :i", i=case_id)
            _changes_nothing(conn, "DELETE FROM dispute_case WHERE id = :i", i=case_id)
            _changes_nothing(conn, "UPDATE party SET phone = '13800000000' WHERE case_id = :i", i=case_id)
            _changes_nothing(conn, "DELETE FROM party WHERE case_id = :i", i=case_id)
            _changes_nothing(conn, "DELETE FROM case_event WHERE case_id = :i", i=case_id)
            _refused(conn, "INSERT INTO party (case_id, seq, role, kind, name, ethnicity, id_number, id_issuer,"
                           " id_validity, occupation, work_unit, address, phone, legal_representative, credit_code,"
                           " is_minor, agent_name, agent_phone, agent_authority, created_at, updated_at)"
                           " VALUES (:i, 9, 'applicant', 'person', '冒名', '', '', '', '', '', '', '', '', '', '',"
                           " false, '', '', '', now(), now())", i=case_id)
        # Moving its own case into another center is refused too.
        own = _a_case(center, ids["ljd"])
        _refused(conn, "UPDATE dispute_case SET center_id = :c WHERE id = :i", c=ids["dz"], i=own)
    titles = center.owner_scalar("SELECT count(*) FROM dispute_case WHERE title = '改'")
    assert titles == 0
    assert center.owner_scalar("SELECT count(*) FROM party WHERE name = '冒名'") == 0


def test_a_case_cannot_be_registered_into_another_center(center: Center, as_role: Connect) -> None:
    ids = _ids(center)
    insert = ("INSERT INTO dispute_case (center_id, number, year, seq, title, state, dispute_type_id,"
              " source_channel, risk_level, is_group_dispute, may_turn_criminal, people_involved, address, village,"
              " grid, facts, requests, received_at, is_consultation, version, created_at, updated_at)"
              " VALUES (:c, :n, 2099, :s, '冒登', 'registered', (SELECT min(id) FROM dispute_type), 'visit',"
              " 'blue', false, false, 2, '', '', '', '', '[]', now(), false, 1, now(), now())")
    for username, target in (("ljd_clerk", "dz"), ("ljd_clerk", "county"), ("clerk", "ljd"), ("head", "dz")):
        with as_role(username) as conn:
            _refused(conn, insert, c=ids[target], n=f"冒登-{username}-{target}", s=900)
    # Its own center: allowed (and rolled back).
    with as_role("ljd_clerk") as conn:
        conn.execute(text(insert), {"c": ids["ljd"], "n": "自登", "s": 901})
        conn.rollback()
    assert center.owner_scalar("SELECT count(*) FROM dispute_case WHERE title = '冒登'") == 0


def test_many_new_cases_are_checked_row_by_row_against_the_account_read_once(center: Center,
                                                                             as_role: Connect) -> None:
    """0053: a new case's check reads the account's center once per statement (a batch import's
    insert of thousands), and still refuses a statement holding one row of another center or of
    none, as ``md_case_writable`` did."""
    ids = _ids(center)
    check = str(center.owner_scalar("SELECT with_check FROM pg_policies WHERE tablename = 'dispute_case'"
                                    " AND policyname = 'md_case_insert'"))
    assert "md_case_writable" not in check and "SELECT md_current_center_id()" in check
    insert = ("INSERT INTO dispute_case (center_id, number, year, seq, title, state, dispute_type_id,"
              " source_channel, risk_level, is_group_dispute, may_turn_criminal, people_involved, address, village,"
              " grid, facts, requests, received_at, is_consultation, version, created_at, updated_at)"
              " SELECT c, '批登-' || c || '-' || s, 2099, s, '批登', 'registered', (SELECT min(id) FROM dispute_type),"
              " 'visit', 'blue', false, false, 2, '', '', '', '', '[]', now(), false, 1, now(), now()"
              " FROM unnest(CAST(:centers AS integer[]), CAST(:seqs AS integer[])) AS t(c, s)")
    own = ids["ljd"]
    for centers in ([own, own, ids["dz"]], [own, None], [ids["county"]]):
        with as_role("ljd_clerk") as conn:
            _refused(conn, insert, centers=centers, seqs=list(range(950, 950 + len(centers))))
    with as_role("ljd_clerk") as conn:
        assert conn.execute(text(insert), {"centers": [own] * 3, "seqs": [960, 961, 962]}).rowcount == 3
        conn.rollback()
    assert center.owner_scalar("SELECT count(*) FROM dispute_case WHERE title = '批登'") == 0


def test_the_county_head_reads_the_townships_cases_and_cannot_change_them(center: Center,
                                                                         as_role: Connect) -> None:
    ids = _ids(center)
    counts = {k: center.owner_scalar("SELECT count(*) FROM dispute_case WHERE center_id = :c", c=v)
              for k, v in ids.items()}
    with as_role("head") as conn:
        seen = {int(c): int(n) for c, n in conn.execute(
            text("SELECT center_id, count(*) FROM dispute_case GROUP BY center_id"))}
        assert seen == {ids[k]: counts[k] for k in ids}
        case_id = _a_case(center, ids["ljd"])
        assert conn.scalar(text("SELECT count(*) FROM party WHERE case_id = :i"), {"i": case_id}) >= 1
        # Read-only: an update is refused by the server, a delete deletes nothing.
        _refused(conn, "UPDATE dispute_case SET title = '县改' WHERE id = :i", i=case_id)
        _refused(conn, "UPDATE party SET phone = '13800000000' WHERE case_id = :i", i=case_id)
        _changes_nothing(conn, "DELETE FROM dispute_case WHERE id = :i", i=case_id)
        _changes_nothing(conn, "DELETE FROM party WHERE case_id = :i", i=case_id)
        _refused(conn, "INSERT INTO case_event (case_id, at, kind, action, note) "
                       "VALUES (:i, now(), 'note', '', '县级批注')", i=case_id)
        # Its own center's cases it changes as before.
        own = _a_case(center, ids["county"])
        assert conn.execute(text("UPDATE dispute_case SET title = title WHERE id = :i"), {"i": own}).rowcount == 1
        conn.rollback()


def test_a_township_head_reads_only_its_township(center: Center, as_role: Connect) -> None:
    ids = _ids(center)
    with as_role("ljd_head") as conn:
        assert set(conn.scalars(text("SELECT DISTINCT center_id FROM dispute_case"))) == {ids["ljd"]}


def test_a_township_mediator_reads_only_its_teams_cases_of_its_township(center: Center, as_role: Connect) -> None:
    ids = _ids(center)
    with as_role("ljd_mediator") as conn:
        rows = conn.execute(text("SELECT center_id, team_id FROM dispute_case")).all()
        teams = set(conn.scalars(text("SELECT md_current_team_ids()")).one())
        assert rows and all(c == ids["ljd"] and t in teams for c, t in rows)
    with as_role("mediator") as conn:  # the county's mediator: none of the townships'
        assert ids["ljd"] not in set(conn.scalars(text("SELECT DISTINCT center_id FROM dispute_case")))


def test_the_administrators_counts_are_of_their_centers(center: Center, as_role: Connect) -> None:
    ids = _ids(center)
    everything = sorted(ids.values())
    query = text("SELECT sum(cases) FROM md_stat_received(DATE '2000-01-01', DATE '2100-01-01', 'rejected',"
                 " CAST(:c AS integer[])) WHERE dimension = 'type'")
    counts = {k: center.owner_scalar("SELECT count(*) FROM dispute_case WHERE center_id = :c", c=v)
              for k, v in ids.items()}
    with as_role("admin") as conn:
        assert conn.scalar(query, {"c": [ids["dz"]]}) == counts["dz"]
        assert conn.scalar(query, {"c": everything}) == sum(counts.values())  # type: ignore[arg-type]
        _refused(conn, "SELECT count(*) FROM dispute_case")  # still no case row
    with as_role("ljd_admin") as conn:
        # Asked for every center, it counts its own only.
        assert conn.scalar(query, {"c": everything}) == counts["ljd"]
        assert conn.scalar(query, {"c": [ids["county"]]}) is None


def test_a_township_administrator_manages_only_its_own_accounts_and_organisation(center: Center,
                                                                                as_role: Connect) -> None:
    ids = _ids(center)
    with as_role("ljd_admin") as conn:
        _refused(conn, "INSERT INTO app_user (username, display_name, role, center_id, password_hash, active,"
                       " failed_logins, must_change_password, version, created_at, updated_at) VALUES"
                       " ('intruder', '冒名', 'head', :c, 'x', true, 0, false, 1, now(), now())", c=ids["county"])
        _changes_nothing(conn, "UPDATE app_user SET display_name = '改' WHERE username = 'head'")
        _changes_nothing(conn, "UPDATE team SET name = name WHERE center_id = :c", c=ids["county"])
        assert conn.execute(text("UPDATE team SET name = name WHERE center_id = :c"),
                            {"c": ids["ljd"]}).rowcount == 1
        _changes_nothing(conn, "UPDATE center SET name = '改名' WHERE id = :c", c=ids["county"])


def test_every_table_of_case_content_is_written_only_where_the_case_is_writable(center: Center) -> None:
    """A table added later with a case_id must call md_secure_case_table() in its migration:
    without its write policies a county head could write the content of a township's case."""
    with center.db.read() as session:
        tables = set(session.scalars(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r' AND EXISTS ("
            "   SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'case_id'"
            "   AND NOT a.attisdropped)")))
        # md_case_writable(c.id, c.center_id), or (migration 0051) the same rule on the case row c
        # itself: its handling center, else its center, is the account's.
        # A new case (migration 0053): its own center is the account's, read once per statement.
        writable = ("(coalesce(with_check, '') LIKE '%md_case_writable%' OR coalesce(with_check, '') LIKE"
                    " '%COALESCE(c.handling_center_id, c.center_id) = ( SELECT md_current_center_id()%'"
                    " OR (tablename = 'dispute_case' AND cmd = 'INSERT' AND with_check ="
                    " '(center_id = ( SELECT md_current_center_id() AS md_current_center_id))'))")
        secured = set(session.scalars(text(
            f"SELECT tablename FROM pg_policies WHERE policyname = 'md_case_insert' AND {writable}")))
        loose = session.execute(text(
            "SELECT tablename, policyname FROM pg_policies WHERE cmd IN ('ALL', 'INSERT', 'UPDATE')"
            f" AND NOT {writable}"
            " AND tablename IN (SELECT tablename FROM pg_policies WHERE policyname = 'md_case_insert')")).all()
    # The city's report tables (migration 0023) are written by the server's triggers only: no desk
    # group holds a grant on them, and only md_city reads them.
    report_tables = {"city_case", "city_ending", "city_visit"}
    # risk_grade is the meeting's judgement on the briefing a head reads: written by heads on the
    # cases of their center and those below (migration 0036, tests/test_pg_briefing.py).
    with center.db.read() as session:
        graded = set(session.scalars(text(
            "SELECT tablename FROM pg_policies WHERE policyname = 'md_grade_insert' AND roles = '{md_head}'"
            " AND with_check LIKE '%md_current_center_ids%' AND with_check LIKE '%md_current_user_id%'")))
    assert graded == {"risk_grade"}
    exempt = {"publicity_snapshot"} | graded
    assert tables - {"search_case_gram", "search_party_gram"} - report_tables <= secured | exempt
    with center.db.read() as session:
        granted = session.scalar(text(
            "SELECT count(*) FROM information_schema.role_table_grants WHERE table_name IN"
            " ('city_case', 'city_ending', 'city_visit') AND grantee IN ('md_intake', 'md_mediator', 'md_head',"
            " 'md_admin')"))
    assert granted == 0
    assert loose == []


def test_the_monthly_figures_per_center_follow_a_case_that_moves_or_goes(center: Center) -> None:
    """The server's statement triggers keep each center's monthly counts exact when a case with
    endings and return visits changes center or is deleted (rolled back afterwards)."""
    ids = _ids(center)
    with center.db.write() as session:
        moved = session.scalar(text(
            "SELECT min(c.id) FROM dispute_case c JOIN return_visit v ON v.case_id = c.id"
            " WHERE c.center_id = :c AND v.satisfaction IS NOT NULL"), {"c": ids["county"]})
        assert moved is not None
        session.execute(text("UPDATE dispute_case SET center_id = :c, seq = seq + 9000 WHERE id = :i"),
                        {"c": ids["dz"], "i": moved})
        kept = stat_months.kept(session)
        assert kept == stat_months.recounted(session)
        assert any(key[3] == ids["dz"] for key in kept["stat_visit_month"])
        session.execute(text("DELETE FROM dispute_case WHERE id = :i"), {"i": moved})
        assert stat_months.kept(session) == stat_months.recounted(session)
        session.rollback()
