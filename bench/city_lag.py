"""Replication lag from a county's write to the city's row (issue 21 item 6: median and worst over
1,000 writes, budget ≤ 2 s).

Two throwaway PostgreSQL clusters on loopback, as tests/pgserver.py starts them: a county
(``wal_level=logical``, migrated, the demo center with 200 cases, its code published by its
administrator) and a city (``city init``, subscribed to the county as docs/deployment.md says).
Then, one after the other, 1,000 writes through the services on the county as the intake clerk's
own database role: half registrations (the city's ``city_case`` row appears) and half refusals
of the case just registered (不予受理: its state changes at the city and its ending arrives). Each
write's lag runs from its commit returning at the county to the first poll of the city that
sees it (polls every 0.5 ms on an open connection). The floor, measured alternately in the same
run: the same poll for a row already there (what a poll costs, the lag's resolution).

    .venv/bin/python bench/city_lag.py [--writes 1000]

Then the triggers' cost at the county, alternating with them disabled (the floor) in the same
run: a bulk insert of 2,000 cases in one statement (as an import does), and registrations through
the services one by one (as a desk does).

Prints the figures and ``uptime`` before and after (the machine's load).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediation_desk.db import Database
    from mediation_desk.services.actor import Actor

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BUDGET_SECONDS = 2.0
CODE = "620702"


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=1000)
    args = parser.parse_args()

    import keyring
    from sqlalchemy import create_engine, text

    from mediation_desk import demo
    from mediation_desk.db import Database, upgrade
    from mediation_desk.models import PartyRole
    from mediation_desk.services import auth, cases, city, workflow
    from tests import pgserver
    from tests.conftest import MemoryKeyring

    if pgserver.find_bin_dir() is None:
        print("PostgreSQL server binaries not found (apt-get install postgresql).")
        return 1
    keyring.set_keyring(MemoryKeyring())
    print("before:", _uptime())
    county_server = pgserver.start(settings={"wal_level": "logical", "max_replication_slots": "4",
                                             "max_wal_senders": "4"})
    city_server = pgserver.start()
    owner: Database | None = None
    clerk_db: Database | None = None
    city_engine = create_engine(city_server.url_for("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with create_engine(county_server.url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text("CREATE DATABASE mediation"))
        url = county_server.url_for("mediation")
        owner = Database(url)
        upgrade(owner)
        with owner.write() as session:
            demo.seed(session, 200)
            session.execute(text(f"CREATE ROLE city_sync LOGIN REPLICATION IN ROLE {city.READER_ROLE}"))
        administrator = auth.login(owner, "admin", demo.DEMO_PASSWORD)
        with owner.write() as session:
            city.publish(session, administrator, CODE, "甘州区")
        clerk_db = Database(url)
        with clerk_db.read() as session:
            role = session.scalar(text("SELECT db_role FROM app_user WHERE username = 'clerk'"))
        clerk_db.connect_as(str(role), demo.DEMO_PASSWORD)
        clerk = auth.login(clerk_db, "clerk", demo.DEMO_PASSWORD)
        with city_engine.connect() as conn:
            conn.execute(text("CREATE DATABASE city"))
        city_engine.dispose()
        city_engine = create_engine(city_server.url_for("city"), isolation_level="AUTOCOMMIT")
        with city_engine.connect() as conn:
            city.init_city(conn)
            city.subscribe(conn, CODE, f"host=127.0.0.1 port={county_server.port} dbname=mediation user=city_sync")
        with owner.read() as session:
            type_id = session.scalar(text("SELECT id FROM dispute_type ORDER BY id LIMIT 1"))
        poll = city_engine.connect()
        started = time.monotonic()
        while poll.execute(text("SELECT count(*) FROM city_case")).scalar() != 200:
            if time.monotonic() - started > 120:
                raise RuntimeError("the city's first copy did not arrive within 120 s")
            time.sleep(0.05)
        print(f"first copy of 200 cases: {time.monotonic() - started:.2f} s")

        def wait(sql: str, params: dict[str, object]) -> float:
            """Seconds from now until ``sql`` returns a row at the city."""
            begin = time.perf_counter()
            while poll.execute(text(sql), params).first() is None:
                if time.perf_counter() - begin > 60:
                    raise RuntimeError(f"no row at the city within 60 s: {sql} {params}")
                time.sleep(0.0005)
            return time.perf_counter() - begin

        lags: list[float] = []
        floors: list[float] = []
        last_case = 0
        for n in range(args.writes):
            if n % 2 == 0:
                data = cases.CaseInput(title="相邻通行纠纷", dispute_type_id=int(type_id or 1), parties=[
                    cases.PartyInput(role=PartyRole.APPLICANT, name="张三"),
                    cases.PartyInput(role=PartyRole.RESPONDENT, name="李四")],
                    facts="通道争执。", requests=["恢复通行"])
                with clerk_db.write() as session:
                    last_case = cases.register_case(session, clerk, data)
                lags.append(wait("SELECT 1 FROM city_case WHERE county_code = :c AND case_id = :id",
                                 {"c": CODE, "id": last_case}))
            else:
                with clerk_db.write() as session:
                    workflow.transition(session, clerk, last_case, workflow.Action.REJECT, note="不属于受理范围")
                lags.append(wait("SELECT 1 FROM city_case WHERE county_code = :c AND case_id = :id "
                                 "AND state = 'rejected'", {"c": CODE, "id": last_case}))
            floors.append(wait("SELECT 1 FROM city_case WHERE county_code = :c AND case_id = :id",
                               {"c": CODE, "id": last_case}))
        poll.close()
        median, worst = statistics.median(lags), max(lags)
        floor = statistics.median(floors)
        ordered = sorted(lags)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        print(f"writes: {len(lags)} (half registrations, half refusals), through the services as the clerk's role")
        print(f"lag county commit -> city row: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
              f"worst {worst * 1000:.1f} ms (budget {BUDGET_SECONDS * 1000:.0f} ms: "
              f"{'within' if worst <= BUDGET_SECONDS else 'OVER'})")
        print(f"floor (one poll of a row already there): median {floor * 1000:.2f} ms; "
              f"median lag / floor = {median / floor:.1f}")
        trigger_cost(owner, clerk_db, clerk, int(type_id or 1))
    finally:
        for database in (clerk_db, owner):
            if database is not None:
                database.dispose()
        try:
            with city_engine.connect() as conn:
                conn.exec_driver_sql(f"DROP SUBSCRIPTION IF EXISTS {city.subscription_name(CODE)}")
        except Exception as error:  # the clusters go anyway
            print("could not drop the subscription:", error)
        city_engine.dispose()
        city_server.stop()
        county_server.stop()
    print("after: ", _uptime())
    return 0


_CITY_TRIGGERS = ("city_case_ai", "city_case_au", "city_case_ad")


def trigger_cost(owner: Database, clerk_db: Database, clerk: Actor, type_id: int) -> None:
    """The city triggers' cost on the county's writes, against the same writes with them off."""
    from sqlalchemy import text

    from mediation_desk.models import PartyRole
    from mediation_desk.services import cases

    def switch(on: bool) -> None:
        with owner.write() as session:
            for name in _CITY_TRIGGERS:
                session.execute(text(f"ALTER TABLE dispute_case {'ENABLE' if on else 'DISABLE'} TRIGGER {name}"))

    with owner.read() as session:
        columns = [c for c in session.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'dispute_case' "
            "AND column_name NOT IN ('id', 'number', 'year', 'seq', 'origin', 'source_ref') "
            "ORDER BY ordinal_position")).scalars()]
    listed = ", ".join(columns)
    bulk = (f"INSERT INTO dispute_case ({listed}, year, seq, number) SELECT {listed}, 3000 + g, d.id, "
            "'B' || g || '-' || d.id FROM dispute_case d, generate_series(1, 10) g ORDER BY d.id LIMIT 2000")
    timings: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(5):
        for on in (True, False):
            switch(on)
            with owner.write() as session:
                begin = time.perf_counter()
                session.execute(text(bulk))
                timings[on].append(time.perf_counter() - begin)
                session.rollback()
    switch(True)
    with_t, without = statistics.median(timings[True]), statistics.median(timings[False])
    print(f"bulk insert of 2,000 cases in one statement: {with_t * 1000:.0f} ms with the city triggers, "
          f"{without * 1000:.0f} ms without (ratio {with_t / without:.2f})")

    each: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(10):
        for on in (True, False):
            switch(on)
            for _ in range(5):
                data = cases.CaseInput(title="相邻通行纠纷", dispute_type_id=type_id, parties=[
                    cases.PartyInput(role=PartyRole.APPLICANT, name="张三"),
                    cases.PartyInput(role=PartyRole.RESPONDENT, name="李四")],
                    facts="通道争执。", requests=["恢复通行"])
                begin = time.perf_counter()
                with clerk_db.write() as session:
                    cases.register_case(session, clerk, data)
                each[on].append(time.perf_counter() - begin)
    switch(True)
    with_t, without = statistics.median(each[True]), statistics.median(each[False])
    print(f"one registration through the services (50 each): median {with_t * 1000:.1f} ms with the city "
          f"triggers, {without * 1000:.1f} ms without (ratio {with_t / without:.2f})")


if __name__ == "__main__":
    sys.exit(main())
