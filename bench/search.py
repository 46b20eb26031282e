"""Search at county scale: 1,000,000 cases with two parties each, on SQLite and on PostgreSQL.

Builds the cases with bench/caselist.py's row generator, adding what search needs to be realistic:
two- and three-character names (compound surnames and rare characters among them, from the demo
name generator), a respondent per case, ID numbers and phones, and facts written from a dozen
templates (宅基地, 工资, 婚姻 …; 沼气池 in one case in two thousand). Then, on each database:

* the time to build the search index and its size against the base database (budget ≤ 1×);
* the first page (50 rows, best first) for a two-character name, a three-character word and rare
  terms (budget ≤ 50 ms each), and their counts (budget ≤ 100 ms);
* the same queries done with a plain ``LIKE '%…%'`` over titles, facts and names, in the same run.

    .venv/bin/python bench/search.py [--cases 1000000] [--database PATH] [--reuse] [--no-postgresql]

PostgreSQL runs in a throwaway cluster started as tests/pgserver.py does (Debian's postgresql
package); without it the PostgreSQL half is skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import caselist as caselist_bench  # noqa: E402  (bench/caselist.py: the case row generator)

FACTS = (
    "申请人与被申请人因宅基地界址发生争议，双方各执一词。",
    "申请人在被申请人承包的工地务工，被拖欠工资{amount}元，多次催要未果。",
    "双方系邻居，因院前通道堆放杂物发生争执。",
    "申请人与被申请人婚后感情不和，就子女抚养和共同财产分割产生纠纷。",
    "被申请人饲养的牛羊进入申请人承包地，毁坏玉米约{mu}亩。",
    "申请人租住被申请人房屋，因押金{amount}元退还问题发生纠纷。",
    "双方因灌溉用水先后顺序发生争执，影响春播。",
    "申请人所在小区物业服务不到位，拒交物业费，物业公司起诉前申请调解。",
    "申请人驾驶电动车与被申请人的三轮车相撞，就医疗费{amount}元赔偿协商未果。",
    "申请人在被申请人经营的超市购买过期食品，要求十倍赔偿。",
    "双方因土地流转合同到期后的地上附着物补偿发生争议。",
    "被申请人装修时破坏承重墙，导致申请人房屋墙体开裂。",
)
KINDS = ("相邻", "宅基地", "拖欠工资", "婚姻家庭", "损害赔偿", "房屋租赁", "山林土地", "物业", "道路交通事故",
         "消费", "合同", "房屋")
RARE_FACT = "申请人承包的鱼塘旁沼气池渗漏，鱼苗死亡{amount}尾。"
COMPANIES = ("甘州区宏达建筑工程有限公司", "张掖市绿源农业开发有限公司", "甘州区惠民超市", "张掖市安居物业服务有限公司")


def _people(rng: random.Random) -> tuple[str, str, str]:
    """(ID number, phone, "") for a person, each present most of the time."""
    from mediation_desk.demo import mobile

    id_number = ""
    if rng.random() < 0.6:
        birth = f"{rng.randrange(1940, 2005)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
        tail = f"{rng.randrange(0, 1000):03d}" + rng.choice("0123456789X")
        id_number = f"6207{rng.randrange(1, 30):02d}{birth}{tail}"
    phone = mobile(rng) if rng.random() < 0.7 else ""
    return id_number, phone, ""


Rows = list[tuple[Any, ...]]


def rows(count: int, type_ids: list[int], team_ids: list[int]) -> Iterator[tuple[Rows, Rows]]:
    """Chunks of (case rows, party rows) in caselist.CASE_COLUMNS / PARTY_COLUMNS order."""
    from mediation_desk.demo import person_name

    rng = random.Random(99)
    for chunk in caselist_bench._case_rows(count, type_ids, team_ids, random.Random(2026)):
        cases: list[tuple[Any, ...]] = []
        parties: list[tuple[Any, ...]] = []
        for row in chunk:
            case = list(row)
            applicant = person_name(rng)
            kind = rng.randrange(len(FACTS))
            template = RARE_FACT if rng.random() < 0.0005 else FACTS[kind]
            case[4] = f"{applicant}等{KINDS[kind]}纠纷"
            case[16] = template.format(amount=rng.randrange(500, 90000), mu=rng.randrange(1, 9))
            cases.append(tuple(case))
            case_id, stamp = case[0], case[-1]
            respondent = rng.choice(COMPANIES) if rng.random() < 0.15 else person_name(rng)
            for seq, (role, name) in enumerate((("applicant", applicant), ("respondent", respondent))):
                kind_ = "legal_person" if name in COMPANIES else "person"
                id_number, phone, _ = _people(rng) if kind_ == "person" else ("", "", "")
                parties.append((2 * case_id - 1 + seq, case_id, seq, role, kind_, name, None, "汉族", None,
                                "resident_id" if id_number else None, id_number, "", "", "", phone, "", "", 0,
                                "", "", "", stamp, stamp))
        yield cases, parties


# --------------------------------------------------------------------------- timing


def timed(fn: Callable[[], Any], runs: int = 5) -> tuple[float, float, Any]:
    """(first run ms, median of the next runs ms, result)."""
    t0 = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return first, statistics.median(times) if times else first, result


def measure_queries(url: str, label: str, queries: list[tuple[str, str]]) -> None:
    from sqlalchemy import text

    from mediation_desk.db import Database
    from mediation_desk.services import search
    from mediation_desk.services.actor import Actor

    actor = Actor.system("bench")
    db = Database(url)
    like_page = text(
        "SELECT id FROM dispute_case WHERE title LIKE :p OR facts LIKE :p "
        "OR id IN (SELECT case_id FROM party WHERE name LIKE :p) ORDER BY id DESC LIMIT 50")
    like_count = text(
        "SELECT count(*) FROM dispute_case WHERE title LIKE :p OR facts LIKE :p "
        "OR id IN (SELECT case_id FROM party WHERE name LIKE :p)")
    print(f"\n[{label}] query                         first page (cold / warm)   count (cold / warm)   "
          f"hits     | plain LIKE page / count")
    with db.read() as session:
        for what, q in queries:
            p_first, p_warm, hits = timed(partial(search.search, session, actor, q, limit=50))
            c_first, c_warm, total = timed(partial(search.count, session, actor, q))
            pattern = {"p": "%" + q + "%"}
            l_first, _, _ = timed(partial(session.execute, like_page, pattern), runs=0)
            lc_first, _, like_total = timed(partial(session.scalar, like_count, pattern), runs=0)
            flag = "" if p_warm <= 50 and c_warm <= 100 else "  OVER BUDGET"
            print(f"  {what:<10} {q:<12} {p_first:8.1f} / {p_warm:6.1f} ms      {c_first:8.1f} / {c_warm:6.1f} ms  "
                  f"{total:>8,}  | {l_first:7.0f} ms / {lc_first:7.0f} ms ({like_total:,}){flag}")
            if hits:
                h = hits[0]
                print(f"             best: {h.number} {h.title} [{'、'.join(h.parties)}] — {h.reason}")
    db.dispose()


def pick_queries(url: str) -> list[tuple[str, str]]:
    """Names that exist in the data: the commonest two-character name and a name with a rare character."""
    from sqlalchemy import text

    from mediation_desk.db import Database

    db = Database(url)
    with db.read() as session:
        sample = session.execute(text("SELECT name FROM party WHERE id % 13 = 0 AND kind = 'person'")).scalars().all()
    db.dispose()
    counts: dict[str, int] = {}
    for name in sample:
        counts[name] = counts.get(name, 0) + 1
    two = max((n for n in counts if len(n) == 2), key=lambda n: counts[n])
    rare = next(n for n in sorted(counts, key=lambda n: (-len(n), -counts[n])) if any(c in n for c in "䶮𠮷"))
    three = max((n for n in counts if len(n) == 3), key=lambda n: counts[n])
    return [("2-char name", two), ("3-char name", three), ("3-char word", "宅基地"), ("2-char word", "工资"),
            ("rare term", "沼气池"), ("rare name", rare), ("rare char", rare[-2:]), ("phone tail", "8888"),
            ("special", "100%")]


# --------------------------------------------------------------------------- SQLite


def build_sqlite(path: Path, count: int) -> None:
    from sqlalchemy import select

    from mediation_desk import demo
    from mediation_desk.db import Database, upgrade
    from mediation_desk.models import DisputeType, Team
    from mediation_desk.services import centers, search
    from mediation_desk.services.actor import Actor

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    with db.write() as session:
        demo.seed_organisation(session, Actor.system("bench"), random.Random(1))
        search.suspend_index(session)
    with db.read() as session:
        type_ids = list(session.scalars(select(DisputeType.id)))
        team_ids = list(session.scalars(select(Team.id)))
        county = centers.root_id(session)
        assert county is not None
    case_sql = caselist_bench.case_insert_sql(county)
    party_sql = (f"INSERT INTO party ({', '.join(caselist_bench.PARTY_COLUMNS)}) "
                 f"VALUES ({', '.join('?' * len(caselist_bench.PARTY_COLUMNS))})")
    t0 = time.perf_counter()
    raw = db.writer.raw_connection()
    try:
        cursor = raw.cursor()
        for cases, parties in rows(count, type_ids, team_ids):
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(case_sql, cases)
            cursor.executemany(party_sql, parties)
            cursor.execute("COMMIT")
        cursor.execute("ANALYZE")
        cursor.close()
    finally:
        raw.close()
    db.dispose()
    base = path.stat().st_size
    print(f"SQLite: {count:,} cases and {2 * count:,} parties loaded in {time.perf_counter() - t0:.0f} s; "
          f"base database {base / 2**20:,.0f} MiB")
    db = Database(f"sqlite:///{path}")
    t0 = time.perf_counter()
    with db.write() as session:
        search.rebuild_index(session)
    seconds = time.perf_counter() - t0
    db.dispose()
    size = path.stat().st_size
    print(f"SQLite search index: built in {seconds:.1f} s; {(size - base) / 2**20:,.0f} MiB = "
          f"{(size - base) / base:.2f}× the base database (budget ≤ 1×)")


# --------------------------------------------------------------------------- PostgreSQL


def build_postgresql(url: str, count: int) -> None:
    import psycopg
    from sqlalchemy import select, text

    from mediation_desk import demo
    from mediation_desk.db import Database, upgrade
    from mediation_desk.models import DisputeType, Team
    from mediation_desk.services import reference, search
    from mediation_desk.services.actor import Actor

    db = Database(url)
    upgrade(db)
    with db.write() as session:
        reference.ensure_dispute_types(session)
        demo.seed_organisation(session, Actor.system("bench"), random.Random(1))
    with db.read() as session:
        type_ids = list(session.scalars(select(DisputeType.id)))
        team_ids = list(session.scalars(select(Team.id)))
    with db.write() as session:  # the search indexes are built after the load and timed
        for name in ("ix_search_case_title", "ix_search_case_facts", "ix_search_party_name",
                     "ix_search_party_name_prefix", "ix_search_party_id_tail", "ix_search_party_phone_tail"):
            session.execute(text(f"DROP INDEX {name}"))
        # The gram counts (migration 0010) too are built after the load, by the service's recount.
        session.execute(text("ALTER TABLE dispute_case DISABLE TRIGGER search_count_ai"))
    db.dispose()
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    t0 = time.perf_counter()
    with psycopg.connect(plain, autocommit=True) as conn:
        bools = {caselist_bench.CASE_COLUMNS.index(c) for c in ("is_group_dispute", "may_turn_criminal")}
        for cases, parties in rows(count, type_ids, team_ids):
            with conn.transaction(), conn.cursor() as cur:
                with cur.copy(f"COPY dispute_case ({', '.join(caselist_bench.CASE_COLUMNS)}) FROM STDIN") as cp:
                    for row in cases:
                        cp.write_row([bool(v) if i in bools else v for i, v in enumerate(row)])
                with cur.copy(f"COPY party ({', '.join(caselist_bench.PARTY_COLUMNS)}) FROM STDIN") as cp:
                    for row in parties:
                        cp.write_row([bool(v) if i == 17 else v for i, v in enumerate(row)])
        conn.execute("SELECT setval(pg_get_serial_sequence('dispute_case', 'id'), (SELECT max(id) FROM dispute_case))")
        conn.execute("SELECT setval(pg_get_serial_sequence('party', 'id'), (SELECT max(id) FROM party))")
        conn.execute("VACUUM ANALYZE dispute_case")
        conn.execute("VACUUM ANALYZE party")
        base = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]  # type: ignore[index]
        print(f"PostgreSQL: {count:,} cases and {2 * count:,} parties loaded in {time.perf_counter() - t0:.0f} s; "
              f"base database {base / 2**20:,.0f} MiB")
        t0 = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for statement in (
            "CREATE INDEX ix_search_case_title ON dispute_case USING gin (search_grams(title))",
            "CREATE INDEX ix_search_case_facts ON dispute_case USING gin (search_grams(facts))",
            "CREATE INDEX ix_search_party_name ON party USING gin (search_grams(name))",
            "CREATE INDEX ix_search_party_name_prefix ON party (name text_pattern_ops)",
            "CREATE INDEX ix_search_party_id_tail ON party (right(id_number, 4))",
            "CREATE INDEX ix_search_party_phone_tail ON party (right(phone, 4))",
        ):
            conn.execute(statement)
        conn.execute("ALTER TABLE dispute_case ENABLE TRIGGER search_count_ai")
    with db.write() as session:
        search.rebuild_index(session)
    db.dispose()
    with psycopg.connect(plain, autocommit=True) as conn:
        seconds = time.perf_counter() - t0
        conn.execute("VACUUM ANALYZE search_gram_count")
        conn.execute("ANALYZE")
        size = conn.execute("SELECT sum(pg_total_relation_size(oid)) FROM pg_class "
                            "WHERE relname LIKE 'ix_search_%' OR relname = 'search_gram_count'"
                            ).fetchone()[0]  # type: ignore[index]
        print(f"PostgreSQL search indexes: built in {seconds:.1f} s; {size / 2**20:,.0f} MiB = "
              f"{size / base:.2f}× the base database (budget ≤ 1×)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database", type=Path, default=HERE / "out" / "search.sqlite3")
    parser.add_argument("--reuse", action="store_true", help="keep an existing SQLite database, only measure")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()
    args.database.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.database.parent / "home"))
    sqlite_url = f"sqlite:///{args.database}"
    queries: list[tuple[str, str]] | None = None
    if not args.no_sqlite:
        if not (args.reuse and args.database.exists()):
            build_sqlite(args.database, args.cases)
        queries = pick_queries(sqlite_url)
        measure_queries(sqlite_url, "SQLite", queries)
    if args.no_postgresql:
        return 0
    from tests import pgserver

    if pgserver.find_bin_dir() is None:
        print("\nPostgreSQL skipped: server binaries not found (apt-get install postgresql).")
        return 0
    server = pgserver.start()
    try:
        from sqlalchemy import create_engine, text

        admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench_search"))
        admin.dispose()
        url = server.url_for("bench_search")
        build_postgresql(url, args.cases)
        measure_queries(url, "PostgreSQL", queries or pick_queries(url))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
