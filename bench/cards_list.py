"""The desk's cards list (``cards.desk_page``'s cards: the last 30 days', newest first, 200 at most)
of each user, on a copy of a demo: how many, wall and CPU (median of ``--runs``), SQLite's plan.

A township's people read theirs through their cases' ids (``caselist.few_visible_ids``); everyone
else walks the cards newest first, each one's case looked up by its key, until the page is full.

    .venv/bin/python bench/cards_list.py --database /work/bench-data/NAME/demo-1m.sqlite
        [--users head,clerk,mediator,ljd_head,ljd_clerk,ljd_mediator] [--today 2026-12-06] [--runs 3]

The database is a private copy (it is upgraded to this code's schema first). Wall figures depend on
the machine's load, printed at the start and end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

USERS = ("head", "clerk", "mediator", "ljd_head", "ljd_clerk", "ljd_mediator")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--users", default=",".join(USERS))
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 6))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.database.parent / "home"))

    from sqlalchemy import event

    from mediation_desk.db import Database, upgrade
    from mediation_desk.services import auth, cards, setup

    db = Database(f"sqlite:///{args.database}", create=False)
    upgrade(db, backup=False)
    print(f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    since = args.today - timedelta(days=cards.DESK_CARD_DAYS)
    try:
        for username in args.users.split(","):
            actor = auth.login(db, username, setup.DEMO_PASSWORD, audited=False)
            with db.read() as session:
                seen: list[tuple[str, Any]] = []

                def note(_conn: object, _cursor: object, statement: str, parameters: Any, *_: object,
                         into: list[tuple[str, Any]] = seen) -> None:
                    into.append((statement, parameters))

                walls, cpus, found = [], [], 0
                for run in range(args.runs):
                    if run == 0:
                        event.listen(db.reader, "before_cursor_execute", note)
                    wall, cpu = time.perf_counter(), time.process_time()
                    found = len(cards.cards(session, actor, since=since, limit=200))
                    walls.append((time.perf_counter() - wall) * 1000)
                    cpus.append((time.process_time() - cpu) * 1000)
                    if run == 0:
                        event.remove(db.reader, "before_cursor_execute", note)
                listed = [s for s in seen if "FROM stage_card" in s[0]]
                plan = " | ".join(str(row[3]) for row in session.connection().exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + listed[-1][0], listed[-1][1])) if listed else "-"
                print(f"{username:13} {found:4} cards  {statistics.median(walls):7.0f} / "
                      f"{statistics.median(cpus):5.0f} ms  (each: "
                      + ", ".join(f"{w:.0f}/{c:.0f}" for w, c in zip(walls, cpus, strict=True)) + ")")
                print(f"{'':14}plan: {plan}")
    finally:
        db.dispose()
    print(f"load after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
