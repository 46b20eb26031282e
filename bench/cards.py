"""The cards' costs (issue 22.2, docs/cards.md) on a demo database of ``--cases`` cases.

In one run, on a fresh demo (made at ``--database`` when it does not exist; its cards are removed
first so that the first check meets every late case, as after the upgrade):

* the first check: every card due today given at once (batched inserts, one audit entry);
* the check a desk runs at each load when nothing is due (median of ``--runs``), alternating with
  its floor, the desk's own first read (the due list and its count, ``pages.desk_page``);
* the desk's cards and requests (``cards.desk_page``) and the departments' month
  (``cards.department_scores``), medians.

    .venv/bin/python bench/cards.py [--cases 20000] [--database PATH] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics as stats
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, select

from mediation_desk import demo
from mediation_desk.db import Database, upgrade
from mediation_desk.models import DisputeCase, StageCard
from mediation_desk.services import auth, cards, pages, reference


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--database", type=Path, default=Path("/work/bench-data/cards/bench.sqlite3"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    path: Path = args.database
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        db = Database(f"sqlite:///{path}")
        upgrade(db)
        with db.write() as session:
            reference.ensure_dispute_types(session)
            demo.seed(session, args.cases)
        db.dispose()
        print(f"demo of {args.cases:,} cases made in {time.perf_counter() - started:.1f} s")
    db = Database(f"sqlite:///{path}")
    head = auth.login(db, "head", demo.DEMO_PASSWORD)
    today = date.today()
    with db.write() as session:
        session.execute(delete(StageCard))
        total = session.scalar(select(func.count()).select_from(DisputeCase)) or 0
        late = session.scalar(select(func.count()).select_from(DisputeCase)
                              .where(DisputeCase.clock_warn_on <= today)) or 0
    print(f"cases: {total:,}; yellow or red today: {late:,}")
    started = time.perf_counter()
    with db.write() as session:
        given = len(cards.check(session, head, today).given)
    print(f"first check: {given:,} cards in {time.perf_counter() - started:.2f} s")
    checks, floors, desk, scores = [], [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        with db.write() as session:
            cards.check(session, head, today)
        checks.append(time.perf_counter() - started)
        started = time.perf_counter()
        with db.read() as session:
            pages.desk_page(session, head, today, lists=False)
        floors.append(time.perf_counter() - started)
        started = time.perf_counter()
        with db.read() as session:
            cards.desk_page(session, head, today)
        desk.append(time.perf_counter() - started)
        started = time.perf_counter()
        with db.read() as session:
            cards.department_scores(session, head, f"{today:%Y-%m}")
        scores.append(time.perf_counter() - started)
    check, floor = stats.median(checks) * 1000, stats.median(floors) * 1000
    print(f"repeated check (nothing due): {check:.1f} ms; floor (desk due list): {floor:.1f} ms; "
          f"ratio {check / floor:.2f}")
    print(f"desk cards and requests: {stats.median(desk) * 1000:.1f} ms")
    print(f"departments' month: {stats.median(scores) * 1000:.1f} ms")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
