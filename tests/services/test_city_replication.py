"""A city above two counties by PostgreSQL logical replication (issue 21 item 5).

Two county clusters and one city cluster on loopback, each its own PostgreSQL server as in the
field (``wal_level=logical`` on the counties). Each county is migrated (migration 0023 publishes
its report tables), seeded with its own year of cases, and its code set by its administrator; the
city is made by ``city.init_city`` and subscribes to both with a replication login that is a member
of the county's ``md_city`` group. Cases are then registered, refused, diverted and closed in both
counties through the services, as their desks' own database roles; the city catches up (bounded
polling of its rows against the county's, no fixed sleep) and its figures equal the counties' own
figures from ``services.statistics``, county by county, and their sum in total.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from mediation_desk import demo
from mediation_desk.db import Database, upgrade
from mediation_desk.models import DisputeType, now
from mediation_desk.readmodels.city import CityFigures, CityRow
from mediation_desk.readmodels.statistics import Figures, Outcome
from mediation_desk.services import auth, city, statistics, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from .. import pgserver
from ..conftest import MemoryKeyring
from .helpers import complete_paperwork, new_case_input

pytestmark = pytest.mark.postgresql

PUBLISHER = {"wal_level": "logical", "max_replication_slots": "4", "max_wal_senders": "4"}
SYNC_ROLE = "city_sync"
#: How long the city may take to catch up before the test gives up (a bound, not a wait).
CATCH_UP_SECONDS = 60.0


@dataclass
class County:
    code: str
    name: str
    server: pgserver.PgServer
    url: str
    owner: Database
    clerk_db: Database
    head_db: Database
    clerk: Actor
    head: Actor

    @property
    def conninfo(self) -> str:
        return f"host=127.0.0.1 port={self.server.port} dbname=mediation user={SYNC_ROLE}"


def _admin_engine(server: pgserver.PgServer, database: str = "postgres") -> Engine:
    return create_engine(server.url_for(database), isolation_level="AUTOCOMMIT")


def _start_county(code: str, name: str, seed_value: int) -> County:
    server = pgserver.start(settings=PUBLISHER)
    admin = _admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE mediation"))
    admin.dispose()
    url = server.url_for("mediation")
    owner = Database(url)
    upgrade(owner)
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # a module fixture runs before the per-test keyring
    try:
        with owner.write() as session:
            demo.seed(session, 40, seed_value=seed_value, today=now())
            # The city's replication login: REPLICATION (given by the cluster's superuser, as
            # docs/deployment.md says) and a member of the county's md_city group.
            session.execute(text(f"CREATE ROLE {SYNC_ROLE} LOGIN REPLICATION IN ROLE {city.READER_ROLE}"))
        admin_db = Database(url)
        administrator = auth.login(admin_db, "admin", demo.DEMO_PASSWORD)
        with admin_db.write() as session:
            published = city.publish(session, administrator, code, name)
        admin_db.dispose()
        assert published.cases == 40
        clerk_db, head_db = _as_desk(url, "clerk"), _as_desk(url, "head")
        clerk = auth.login(clerk_db, "clerk", demo.DEMO_PASSWORD)
        head = auth.login(head_db, "head", demo.DEMO_PASSWORD)
    finally:
        keyring.set_keyring(previous)
    return County(code, name, server, url, owner, clerk_db, head_db, clerk, head)


def _as_desk(url: str, username: str) -> Database:
    """The database as the account's own login role (as a desk holds it once the person signed in):
    the server's grants and row-level security apply."""
    database = Database(url)
    with database.read() as session:
        role = session.scalar(text("SELECT db_role FROM app_user WHERE username = :u"), {"u": username})
    assert role, username
    database.connect_as(str(role), demo.DEMO_PASSWORD)
    return database


@dataclass
class City:
    server: pgserver.PgServer
    engine: Engine
    counties: tuple[County, ...]


@pytest.fixture(scope="module")
def setup() -> Iterator[City]:
    if pgserver.find_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries not installed")
    started: list[pgserver.PgServer] = []
    counties: list[County] = []
    try:
        for code, name, seed_value in (("620702", "甘州区", 2026), ("620722", "民乐县", 7)):
            county = _start_county(code, name, seed_value)
            counties.append(county)
            started.append(county.server)
        city_server = pgserver.start()
        started.append(city_server)
        with _admin_engine(city_server).connect() as conn:
            conn.execute(text("CREATE DATABASE city"))
        engine = _admin_engine(city_server, "city")
        with engine.connect() as conn:
            assert set(city.init_city(conn)) == set(city.REPORT_TABLES)
            assert city.init_city(conn) == []  # again: nothing to make
            for county in counties:
                assert city.subscribe(conn, county.code, county.conninfo) == county.name
        yield City(city_server, engine, tuple(counties))
    finally:
        if started and len(started) == 3:
            with _admin_engine(started[2], "city").connect() as conn:
                for county in counties:
                    conn.exec_driver_sql(f"DROP SUBSCRIPTION IF EXISTS {city.subscription_name(county.code)}")
        for county in counties:
            for database in (county.owner, county.clerk_db, county.head_db):
                database.dispose()
        for server in started:
            server.stop()


def _rows(engine_or_db: Engine | Database, code: str) -> dict[str, set[tuple[Any, ...]]]:
    def read(conn: Any) -> dict[str, set[tuple[Any, ...]]]:
        return {table: set(map(tuple, conn.execute(text(f"SELECT * FROM {table} WHERE county_code = :c"),
                                                   {"c": code}).all()))
                for table in city.REPORT_TABLES}

    if isinstance(engine_or_db, Database):
        with engine_or_db.read() as session:
            return read(session)
    with engine_or_db.connect() as conn:
        return read(conn)


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until it holds, for at most CATCH_UP_SECONDS."""
    deadline = time.monotonic() + CATCH_UP_SECONDS
    pause = 0.02
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {CATCH_UP_SECONDS:.0f} s")
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def _recounted(county: County) -> dict[str, set[tuple[Any, ...]]]:
    """The report rows the county's tables should hold, read from its own tables (the triggers'
    work done again by hand)."""
    endings = ", ".join(f"'{o.value}'" for o in Outcome)
    with county.owner.read() as session:
        prefix = session.scalar(text("SELECT value FROM center_setting WHERE key = 'case_number_prefix'"))
        params = {"c": county.code, "p": prefix}
        return {
            "city_county": {(county.code, county.name)},
            "city_case": set(map(tuple, session.execute(text(
                "SELECT :c, d.id, :p, d.number, d.state, t.name, d.source_channel, d.people_involved, "
                "d.is_group_dispute, d.may_turn_criminal, d.amount_involved, d.received_at, d.accepted_at, "
                "d.closed_at, d.clock_due_on FROM dispute_case d JOIN dispute_type t ON t.id = d.dispute_type_id"),
                params).all())),
            "city_ending": set(map(tuple, session.execute(text(
                f"SELECT :c, id, case_id, at, action FROM case_event WHERE action IN ({endings})"), params).all())),
            "city_visit": set(map(tuple, session.execute(text(
                "SELECT :c, id, case_id, visited_on, satisfaction FROM return_visit"), params).all())),
        }


def _caught_up(setup: City) -> None:
    for county in setup.counties:
        wanted = _rows(county.owner, county.code)
        assert wanted == _recounted(county), "the county's triggers keep its report tables exact"
        assert wanted["city_case"], "the county publishes its cases"
        _wait_for(lambda county=county, wanted=wanted: _rows(setup.engine, county.code) == wanted,  # type: ignore[misc]
                  f"the city's copy of county {county.code}")


def _register(county: County, title: str) -> int:
    from mediation_desk.services import cases

    data = new_case_input(county.clerk_db, title=title)
    with county.clerk_db.write() as session:
        return cases.register_case(session, county.clerk, data)


def _write_in_the_counties(setup: City) -> None:
    """Each county registers, refuses, diverts and closes cases through the services."""
    for n, county in enumerate(setup.counties):
        refused = _register(county, "噪声扰民纠纷")
        diverted = _register(county, "劳务报酬纠纷")
        for _ in range(n + 1):
            _register(county, "相邻通行纠纷")
        with county.clerk_db.write() as session:
            workflow.transition(session, county.clerk, refused, workflow.Action.REJECT, note="不属于人民调解范围")
            workflow.transition(session, county.clerk, diverted, workflow.Action.ACCEPT)
            workflow.transition(session, county.clerk, diverted, workflow.Action.DIVERT, note="转劳动仲裁")
        complete_paperwork(county.head_db, county.head, diverted)
        with county.clerk_db.write() as session:
            workflow.transition(session, county.clerk, diverted, workflow.Action.SUBMIT_FOR_REVIEW)
        with county.head_db.write() as session:
            workflow.transition(session, county.head, diverted, workflow.Action.APPROVE_CLOSURE)


def _period() -> tuple[date, date, date]:
    today = now().date()
    first = date(today.year - 1, today.month, 1)
    last = date(today.year + today.month // 12, today.month % 12 + 1, 1) - timedelta(days=1)
    return first, last, today


def _as_city_row(figs: Figures) -> dict[str, Any]:
    return {
        "received": figs.received.count,
        "outcomes": {o: n for o in Outcome if (n := figs.by_result.count(o.value))},
        "succeeded/decided": (figs.success_rate.numerator, figs.success_rate.denominator),
        "on_time": figs.on_time_rate.numerator,
        "amount": (figs.amount.total, figs.amount.cases),
        "group": figs.group_disputes.count,
        "prevented": figs.escalations_prevented.count,
        "visits": (figs.satisfaction_rate.numerator, figs.satisfaction_rate.denominator),
        "overdue": figs.overdue.count,
    }


def _of(row: CityRow) -> dict[str, Any]:
    return {
        "received": row.received, "outcomes": dict(row.outcomes),
        "succeeded/decided": (row.succeeded, row.succeeded + row.failed), "on_time": row.on_time,
        "amount": (row.amount, row.amount_cases), "group": row.group_disputes, "prevented": row.prevented,
        "visits": (row.satisfied, row.visited), "overdue": row.overdue,
    }


def _city_figures(setup: City, start: date, end: date, today: date) -> CityFigures:
    from sqlalchemy.orm import Session

    with Session(setup.engine) as session:
        return city.figures(session, start, end, today=today)


def _check_the_sum(setup: City, start: date, end: date, today: date) -> CityFigures:
    figs = _city_figures(setup, start, end, today)
    total: dict[str, Any] = {}
    by_type: dict[str, int] = {}
    type_outcomes: dict[tuple[str, Outcome], int] = {}
    by_month: dict[str, int] = {}
    for county in setup.counties:
        with county.head_db.read() as session:
            own = statistics.figures(session, county.head, start, end, today=today)
        assert _of(figs.county(county.code)) == _as_city_row(own), county.code
        assert figs.county(county.code).label == county.name
        for key, value in _as_city_row(own).items():
            if key == "outcomes":
                merged = total.setdefault(key, {})
                for outcome, n in value.items():
                    merged[outcome] = merged.get(outcome, 0) + n
            elif isinstance(value, tuple):
                total[key] = tuple(a + b for a, b in zip(total.get(key, (0, 0)), value, strict=True))
            else:
                total[key] = total.get(key, 0) + value
        for type_row in own.type_rows:
            by_type[type_row.name] = by_type.get(type_row.name, 0) + type_row.received
            for outcome, n in type_row.outcomes.items():
                type_outcomes[type_row.name, outcome] = type_outcomes.get((type_row.name, outcome), 0) + n
        for bucket in own.by_month.buckets:
            by_month[bucket.key] = by_month.get(bucket.key, 0) + bucket.count
    assert _of(figs.total) == total
    assert {r.key: r.received for r in figs.by_type if r.received} == {k: v for k, v in by_type.items() if v}
    assert {(r.key, o): n for r in figs.by_type for o, n in r.outcomes.items()} == {
        k: n for k, n in type_outcomes.items() if n}
    assert {r.key: r.received for r in figs.by_month} == by_month
    return figs


def test_the_citys_figures_are_the_sum_of_its_counties(setup: City) -> None:
    _caught_up(setup)
    start, end, today = _period()
    before = _check_the_sum(setup, start, end, today)
    assert before.total.received == 80 and before.total.ended > 0

    _write_in_the_counties(setup)
    _caught_up(setup)
    after = _check_the_sum(setup, start, end, today)
    month_start = date(today.year, today.month, 1)
    assert after.total.received == before.total.received + (2 + 1) + (2 + 2)
    assert after.total.outcomes[Outcome.REJECTED] == before.total.outcomes.get(Outcome.REJECTED, 0) + 2
    # The month alone, too (each case's last ending in that month).
    _check_the_sum(setup, month_start, end, today)


def test_a_renamed_type_and_a_deleted_case_reach_the_city(setup: City) -> None:
    county = setup.counties[0]
    case_id = _register(county, "宅基地纠纷")
    with county.owner.write() as session:
        session.execute(text("DELETE FROM dispute_case WHERE id = :id"), {"id": case_id})
        kind = session.get(DisputeType, new_case_input(county.owner).dispute_type_id)
        assert kind is not None
        old_name = kind.name
        kind.name = "邻里纠纷（更名）"
    try:
        _caught_up(setup)
        with setup.engine.connect() as conn:
            names = set(conn.execute(text("SELECT DISTINCT dispute_type FROM city_case WHERE county_code = :c"),
                                     {"c": county.code}).scalars())
            gone = conn.execute(text("SELECT count(*) FROM city_case WHERE county_code = :c AND case_id = :id"),
                                {"c": county.code, "id": case_id}).scalar()
        assert "邻里纠纷（更名）" in names and old_name not in names and gone == 0
        start, end, today = _period()
        _check_the_sum(setup, start, end, today)
    finally:
        with county.owner.write() as session:
            session.execute(text("UPDATE dispute_type SET name = :old WHERE name = '邻里纠纷（更名）'"),
                            {"old": old_name})


def test_nobody_writes_the_citys_tables_but_the_replication(setup: City) -> None:
    with setup.engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE city_reader LOGIN IN ROLE {city.VIEWER_ROLE}"))
    reader = create_engine(setup.server.url_for("city").replace("app@", "city_reader@"))
    try:
        with reader.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM city_case")).scalar()
            for sql in ("INSERT INTO city_county VALUES ('999999', '假县')",
                        "UPDATE city_case SET state = 'closed'", "DELETE FROM city_ending",
                        "TRUNCATE city_visit"):
                with pytest.raises(DBAPIError) as caught:
                    conn.execute(text(sql))
                assert getattr(caught.value.orig, "sqlstate", None) == "42501", sql
                conn.rollback()
    finally:
        reader.dispose()
    # Even the city's superuser: the tables change only by the counties' replication.
    with setup.engine.connect() as conn:
        for sql in ("UPDATE city_case SET state = 'closed'", "DELETE FROM city_county", "TRUNCATE city_visit"):
            with pytest.raises(DBAPIError, match="written only by the counties"):
                conn.execute(text(sql))


def test_no_personal_field_reaches_the_city(setup: City) -> None:
    with setup.engine.connect() as conn:
        columns = set(conn.execute(text(
            "SELECT table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name LIKE 'city_%'")).scalars())
        rows = [row for table in city.REPORT_TABLES
                for row in conn.execute(text(f"SELECT * FROM {table}")).all()]
    assert {c.split(".")[1] for c in columns} == {
        "county_code", "name", "case_id", "center_code", "number", "state", "dispute_type", "source_channel",
        "people_involved", "is_group_dispute", "may_turn_criminal", "amount_involved", "received_at",
        "accepted_at", "closed_at", "clock_due_on", "event_id", "at", "action", "visit_id", "visited_on",
        "satisfaction"}
    shown = {str(v) for row in rows for v in row if isinstance(v, str)}
    personal: set[str] = set()
    for county in setup.counties:
        with county.owner.read() as session:
            for sql in ("SELECT name, id_number, phone, address, work_unit FROM party",
                        "SELECT title, facts, address, village FROM dispute_case",
                        "SELECT note FROM case_event", "SELECT visitor, notes FROM return_visit"):
                personal |= {v for row in session.execute(text(sql)) for v in row if isinstance(v, str) and v}
    assert len(personal) > 100
    # No name, ID number, phone, address, title, fact or note appears in (or as) any text at the city.
    assert {value for value in personal if any(value in shown_text for shown_text in shown)} == set()


def test_the_county_keeps_its_report_tables_from_its_desks(setup: City) -> None:
    county = setup.counties[0]
    with county.head_db.read() as session:
        with pytest.raises(DBAPIError) as caught:
            session.execute(text("SELECT count(*) FROM city_case")).scalar()
        assert getattr(caught.value.orig, "sqlstate", None) == "42501"
    with county.clerk_db.write() as session, pytest.raises(PermissionDenied):
        city.publish(session, county.clerk, "620799", "别的县")


def test_subscribe_refuses_a_wrong_code_and_a_second_subscription(setup: City) -> None:
    county = setup.counties[0]
    with setup.engine.connect() as conn:
        with pytest.raises(InvalidInput, match="已经订阅了区县 620702"):
            city.subscribe(conn, county.code, county.conninfo)
        with pytest.raises(InvalidInput, match="发布的区县代码是“620722”"):
            city.subscribe(conn, "620799", setup.counties[1].conninfo)
        with pytest.raises(InvalidInput, match="区县代码“6207 02”不对"):
            city.subscribe(conn, "6207 02", county.conninfo)
        with pytest.raises(InvalidInput, match="连接不上区县数据库"):
            city.subscribe(conn, "620798", "host=127.0.0.1 port=1 dbname=mediation user=city_sync")
    listed = {(s.code, s.name, s.subscription, s.enabled) for s in _status(setup)}
    assert listed == {("620702", "甘州区", "md_city_620702", True), ("620722", "民乐县", "md_city_620722", True)}


def _status(setup: City) -> list[Any]:
    with setup.engine.connect() as conn:
        return city.status(conn)


def test_the_amounts_at_the_city_are_exact(setup: City) -> None:
    start, end, today = _period()
    figs = _city_figures(setup, start, end, today)
    assert isinstance(figs.total.amount, Decimal)
    assert figs.total.amount == sum((figs.county(c.code).amount for c in setup.counties), Decimal(0))


def test_the_command_line_prints_the_citys_figures_and_the_counties(setup: City) -> None:
    import json

    from ..test_cli import run_cli

    start, end, today = _period()
    url = setup.server.url_for("city")
    printed = run_cli("--database", url, "city", "figures", "--month", f"{start:%Y-%m}", "--to-month",
                      f"{end:%Y-%m}", "--today", today.isoformat(), "--json")
    assert printed.returncode == 0, printed.stderr
    data = json.loads(printed.stdout)
    figs = _city_figures(setup, start, end, today)
    assert data["total"]["received"] == figs.total.received and data["total"]["ended"] == figs.total.ended
    assert {r["key"]: (r["received"], r["succeeded"], r["failed"]) for r in data["by_county"]} == {
        r.key: (r.received, r.succeeded, r.failed) for r in figs.by_county}
    assert len(data["by_month"]) == 13
    as_text = run_cli("--database", url, "city", "figures", "--month", f"{today:%Y-%m}")
    assert as_text.returncode == 0 and "按区县" in as_text.stdout and "甘州区" in as_text.stdout
    listed = run_cli("--database", url, "city", "status")
    assert listed.returncode == 0 and "620722 民乐县" in listed.stdout and "订阅中" in listed.stdout
    again = run_cli("--database", url, "city", "subscribe", "--county", "620702", "--conninfo",
                    setup.counties[0].conninfo)
    assert again.returncode == 2 and "已经订阅了区县 620702" in again.stderr and "Traceback" not in again.stderr


def test_a_county_unsubscribed_leaves_the_city_and_comes_back_whole(setup: City) -> None:
    """Runs last: the second county's subscription is dropped (its slot on the county with it) and
    its rows leave the city; subscribed again, its first copy arrives whole."""
    county = setup.counties[1]
    with setup.engine.connect() as conn:
        removed = city.unsubscribe(conn, county.code)
    assert removed == len(_rows(county.owner, county.code)["city_case"])
    assert _rows(setup.engine, county.code) == {table: set() for table in city.REPORT_TABLES}
    assert [s.code for s in _status(setup)] == ["620702"]
    with county.owner.read() as session:
        assert session.execute(text("SELECT count(*) FROM pg_replication_slots")).scalar() == 0
    with setup.engine.connect() as conn:
        city.subscribe(conn, county.code, county.conninfo)
    _caught_up(setup)
    start, end, today = _period()
    _check_the_sum(setup, start, end, today)
