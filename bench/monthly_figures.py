"""The figures a head opens every month (issues 21 and 23), on the 1,000,000-case demo (issue 20.3).

Works on a writable copy of the demo (``--database``; never the shared file), upgraded to the
current schema on first use. The demo has no 12345 orders, counter ratings or crossings: with
``--seed`` (once; skipped when the tables already hold rows) the bench gives it, set-wise and in the
proportions of a busy county, a 12345 order on every 20th case (received with the case, signed and
contacted in most cases), a counter rating on every 4th case (rated a day after it was received,
the five levels mixed), and a crossing step on every 250th case between the county and a township
(上报 or 交办, a tenth still open with a due date).

Then, as the county head (``head``) and a township head (``ljd_head``), median and worst of
``--runs`` after one warm-up, each beside its floor (one row of ``dispute_type`` on a new session,
run alternately):

* the risk briefing ``services.briefing.load`` of last month;
* the table by level ``services.levels.load`` of last month (本月 and 本年累计 lines);
* the 12345 三率 ``services.hotline.rates`` of last month, its quarter, the year to date and the
  whole year (the dashboard's periods), and the counter's 好差评 ``services.ratings.figures`` of
  last month and of the year to date, as the dashboard and the monthly report read them;
* the crossings desk list ``services.crossings.center_list`` and the case page's box
  ``services.crossings.case_rows`` for one case with steps.

Budget: 300 ms for each (a panel the head opens; issue 20.3's dashboard budget).

    .venv/bin/python bench/monthly_figures.py [--database PATH] [--seed] [--runs 5] [--only NAME] [--recount]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics as stats
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

DATABASE = Path("/work/bench-data/search/demo-1m.sqlite")
BUDGET_MS = 300.0

#: Set-wise seeding of what the demo lacks (SQLite; one transaction).
SEED = (
    # 12345 orders: every 20th case, received with the case; most signed and contacted within hours.
    """INSERT INTO hotline_order (case_id, order_no, type_code, received_at, signed_at, contacted_at,
                                  contact_note, created_at, updated_at)
       SELECT id, 'GZ12345-' || id, '0' || (id % 7 + 1), received_at,
              CASE WHEN id % 9 THEN datetime(received_at, '+2 hours') END,
              CASE WHEN id % 11 THEN datetime(received_at, '+' || (id % 5 * 12 + 3) || ' hours') END,
              '', received_at, received_at
       FROM dispute_case WHERE id % 20 = 3""",
    # Counter ratings: every 4th case, a day after it was received, at its own center.
    """INSERT INTO service_rating (case_id, clerk_id, center_id, rating, reasons, comment, channel, rated_at,
                                   recorded_by_id)
       SELECT c.id, (SELECT u.id FROM app_user u WHERE u.center_id = c.center_id AND u.role = 'intake' LIMIT 1),
              c.center_id,
              CASE c.id % 10 WHEN 0 THEN 'very_unsatisfied' WHEN 1 THEN 'unsatisfied' WHEN 2 THEN 'fairly'
                             WHEN 3 THEN 'satisfied' WHEN 4 THEN 'satisfied' ELSE 'very_satisfied' END,
              CASE WHEN c.id % 10 < 2 THEN '["slow"]' ELSE '[]' END, '',
              CASE WHEN c.id % 3 THEN 'screen' ELSE 'paper' END,
              datetime(c.received_at, '+1 day'), NULL
       FROM dispute_case c WHERE c.id % 4 = 1""",
    # Crossings: every 250th case, county ↔ township; closed unless id % 2500 < 250.
    """INSERT INTO case_crossing (uid, case_id, case_number, kind, from_center_id, to_center_id, reason, materials,
                                  working_days, due_on, created_at, created_by_name, closed_at)
       SELECT 'bench-' || c.id, c.id, c.number,
              CASE WHEN c.center_id = 1 THEN 'assign_down' ELSE 'report_up' END,
              c.center_id, CASE WHEN c.center_id = 1 THEN 2 + c.id % 2 ELSE 1 END, '测试流转', '[]',
              10, date(c.received_at, '+14 days'), datetime(c.received_at, '+1 day'), '测试',
              CASE WHEN c.id % 2500 >= 250 THEN datetime(c.received_at, '+10 days') END
       FROM dispute_case c WHERE c.id % 250 = 7""",
)


def seed(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        have = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("hotline_order", "service_rating", "case_crossing")}
        if any(have.values()):
            print(f"not seeded: already there {have}")
            return
        started = time.perf_counter()
        with con:
            for statement in SEED:
                con.execute(statement)
        con.execute("ANALYZE")
        have = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in have}
        print(f"seeded {have} in {time.perf_counter() - started:.1f} s")
    finally:
        con.close()


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def measure(fn: Callable[[], object], floor: Callable[[], object], runs: int
            ) -> tuple[float, float, float, float]:
    """Median and worst wall ms of ``fn``, the median of ``floor`` (run alternately) and the median
    CPU ms of ``fn``, after one warm-up of each."""
    fn()
    floor()
    ours, floors, cpu = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        floor()
        floors.append(time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        ours.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return stats.median(ours) * 1000, max(ours) * 1000, stats.median(floors) * 1000, stats.median(cpu) * 1000


def line(label: str, got: tuple[float, float, float, float]) -> None:
    median, worst, floor, cpu = got
    verdict = "OK" if median <= BUDGET_MS else "OVER BUDGET"
    print(f"  {label:<52} median {median:8.1f} ms  worst {worst:8.1f}  (CPU {cpu:7.1f}; floor {floor:5.1f})  "
          f"budget ≤ {BUDGET_MS:g}  {verdict}  load {_load()}", flush=True)


def run(db: Any, today: date, runs: int, only: str | None, recount: bool = False) -> None:
    from sqlalchemy import select, text

    from mediation_desk.demo import DEMO_PASSWORD
    from mediation_desk.models import DisputeType
    from mediation_desk.services import auth, briefing, crossings, hotline, levels, ratings

    def read(fn: Callable[[Any], object]) -> Callable[[], object]:
        def go() -> object:
            with db.read() as session:
                return fn(session)
        return go

    floor = read(lambda s: s.execute(select(DisputeType.id).limit(1)).all())
    first = today.replace(day=1)
    last_end = first.fromordinal(first.toordinal() - 1)
    last_start = last_end.replace(day=1)
    month = f"{last_start:%Y-%m}"
    year_start = last_start.replace(month=1)
    quarter = (last_start.month - 1) // 3 + 1
    quarter_start = last_start.replace(month=quarter * 3 - 2)
    quarter_end = (quarter_start.replace(year=quarter_start.year + 1, month=1) if quarter == 4
                   else quarter_start.replace(month=quarter * 3 + 1)) - timedelta(days=1)
    with db.read() as session:
        crossed = session.execute(text("SELECT case_id FROM case_crossing ORDER BY id DESC LIMIT 1")).scalar()

    def figures_of(actor: Any) -> dict[str, Callable[[Any], object]]:
        return {
            f"briefing.load {month}": lambda s: briefing.load(s, actor, month, today=today),
            f"levels.load {month} (month + year to date)": lambda s: levels.load(s, actor, month),
            f"hotline.rates {month}": lambda s: hotline.rates(s, actor, last_start, last_end, today=today),
            f"hotline.rates {last_start.year} Q{quarter} (the dashboard's quarter)":
                lambda s: hotline.rates(s, actor, quarter_start, quarter_end, today=today),
            f"hotline.rates {year_start:%Y-%m}…{month}":
                lambda s: hotline.rates(s, actor, year_start, last_end, today=today),
            f"hotline.rates {last_start.year} (the dashboard's year)":
                lambda s: hotline.rates(s, actor, year_start, year_start.replace(month=12, day=31), today=today),
            f"ratings.figures {month}": lambda s: ratings.figures(s, actor, last_start, last_end),
            f"ratings.figures {year_start:%Y-%m}…{month}":
                lambda s: ratings.figures(s, actor, year_start, last_end),
            "crossings.center_list (open)": lambda s: crossings.center_list(s, actor, today=today),
            "crossings.center_list (all, 500 newest)":
                lambda s: crossings.center_list(s, actor, today=today, open_only=False),
            f"crossings.case_rows (case {crossed})":
                lambda s: crossings.case_rows(s, actor, crossed, today=today),
        }

    def recounts_of(actor: Any) -> dict[str, Callable[[Any], object]]:
        """With --recount: the 三率 as counted before migration 0046 (tests/services/hotline_reference.py)."""
        if not recount:
            return {}
        from tests.services.hotline_reference import rates_from_rows

        def recounted(start: date, end: date) -> Callable[[Any], object]:
            return lambda s: rates_from_rows(s, actor, start, end, today=today)

        return {f"{name} [recount from rows]": recounted(*period)
                for name, period in ((f"hotline.rates {month}", (last_start, last_end)),
                                 (f"hotline.rates {last_start.year} Q{quarter}", (quarter_start, quarter_end)),
                                 (f"hotline.rates {year_start:%Y-%m}…{month}", (year_start, last_end)),
                                 (f"hotline.rates {last_start.year}",
                                  (year_start, year_start.replace(month=12, day=31))))}

    for username in ("head", "ljd_head"):
        actor = auth.login(db, username, DEMO_PASSWORD)
        print(f"-- {username} ({actor.display_name}); month {month}, today {today}")
        for name, fn in {**figures_of(actor), **recounts_of(actor)}.items():
            if (only and only not in name) or (crossed is None and "case_rows" in name):
                continue
            line(name, measure(read(fn), floor, runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=DATABASE)
    parser.add_argument("--seed", action="store_true", help="give the demo 12345 orders, ratings and crossings")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="only the figures whose name holds this")
    parser.add_argument("--today", type=date.fromisoformat,
                        help="the day the figures are read on (default: the day of the last case received)")
    parser.add_argument("--recount", action="store_true",
                        help="also time the 三率 counted from the rows as before migration 0046 (the tests' reference)")
    args = parser.parse_args()
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.database.parent / "home"))

    from sqlalchemy import text

    from mediation_desk.db import Database, upgrade

    db = Database(f"sqlite:///{args.database}", create=False)
    started = time.perf_counter()
    report = upgrade(db, backup=False)
    if report.changed:
        print(f"upgraded {report.from_revision} → {report.to_revision} in {time.perf_counter() - started:.1f} s")
    if args.seed:
        seed(args.database)
    with db.read() as session:
        last = session.execute(text("SELECT max(received_at) FROM dispute_case")).scalar()
        cases = session.execute(text("SELECT count(*) FROM dispute_case")).scalar()
    today = args.today or (last if isinstance(last, datetime) else datetime.fromisoformat(str(last))).date()
    print(f"{cases:,} cases; today {today}; load {_load()} on {os.cpu_count()} CPUs")
    try:
        run(db, today, args.runs, args.only, args.recount)
    finally:
        db.dispose()
    print(f"load after: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
