"""风险研判's first part: the walk that finds the graded list's first 蓝 cases (``services.briefing.
_first_by_number``), alone, for this checkout and another (``--baseline``), run alternately.

The county head's 蓝 cases are the month's overdue and carded cases no rule of their own row puts
above 蓝 (``_section_ids``: the sections' indexes and ``ix_dispute_case_own_rule``; the repeats' and
the month's ruled cases are left in, a few hundred of ~96,000 on the 1M demo). Each process reads
them once, then times the walk for the first ``--count`` of them in its checkout's number order
(this branch: the case list's ``ix_dispute_case_number`` (year, seq, id); before: the number's text
index) — median wall and CPU of ``--runs`` walks after a warm-up, with how many index entries each
walk passed. With ``--lists N``, the head's graded list in the service alone too, ``N`` times after a
warm-up: ``briefing.parts`` (the tab's read) from the repeats' part to the graded list's first part
(*first*) and from there to the whole list (*whole*), and ``briefing.load`` (the PDF's read; no
steps). Read only: give it the demo (or a copy) with ``--database``.

    .venv/bin/python bench/briefing_first_blue.py --database DEMO.sqlite --baseline /work/main [--rounds 3]
        [--runs 7] [--count 200] [--lists 3] [--user head] [--month 2026-11] [--today 2026-12-07]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from timing import alternate_children, loadavg, median_of  # bench/ is not a package: the script's folder is on the path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent


def child(args: argparse.Namespace) -> None:
    """One checkout's walk, as a JSON line on stdout."""
    from sqlalchemy import func, select, tuple_
    from timing import median_ms  # bench/ is not a package: the script's folder is on the path

    from mediation_desk.db import Database
    from mediation_desk.models import Center, DisputeCase, User
    from mediation_desk.readmodels.briefing import BriefingGrades, BriefingRepeats
    from mediation_desk.services import auth, briefing, statistics

    db = Database(f"sqlite:///{args.database}")
    today = date.fromisoformat(args.today)
    with db.read() as session:
        ids = frozenset(session.scalars(select(Center.id)))
        period = statistics.month_period(args.month)
        overdue, carded, _criminal, own = briefing._section_ids(session, ids, period, today, True)
        blue = {i: (1 if i in overdue else 0) | (2 if i in carded else 0) for i in (overdue | carded) - own}
        found: list[int] = []

        def walk() -> None:
            found[:] = briefing._first_by_number(session, blue, args.count, True) or []

        wall, cpu = median_ms(walk, args.runs)
        number, by_text, by_year_seq = None, None, None
        if found:  # the entries a walk passed, in either order: those up to the last 蓝 case it found
            last = found[-1]
            number, year, seq = session.execute(select(DisputeCase.number, DisputeCase.year, DisputeCase.seq)
                                                .where(DisputeCase.id == last)).one()
            by_text = session.scalar(select(func.count()).where(DisputeCase.number <= number))
            by_year_seq = session.scalar(select(func.count()).where(
                tuple_(DisputeCase.year, DisputeCase.seq, DisputeCase.id) <= tuple_(year, seq, last)))
        head = auth.actor_for(session, session.scalars(select(User).where(User.username == args.user)).one())
    print(json.dumps({"walk_ms": wall, "walk_cpu": cpu, "blue": len(blue), "found": len(found),
                      "last": number, "entries_if_text": by_text, "entries_if_year_seq": by_year_seq}),
          flush=True)

    def clock() -> tuple[float, float]:
        return time.perf_counter() * 1000, time.process_time() * 1000

    for run in range(args.lists + 1 if args.lists else 0):  # (the first: a warm-up)
        marks: dict[str, tuple[float, float]] = {}
        with db.read() as session:
            for part in briefing.parts(session, head, args.month, today=today):
                if isinstance(part, BriefingRepeats):
                    marks["repeats"] = clock()
                elif isinstance(part, BriefingGrades):
                    marks.setdefault("first", clock())
                    marks["whole"] = clock()
                    listed = len(part.cases)
        start = clock()
        with db.read() as session:
            briefing.load(session, head, args.month, today=today)
        done = clock()
        if run:
            got = {f"{name}_{unit}": marks[name][n] - marks[before][n]
                   for name, before in (("first", "repeats"), ("whole", "first"))
                   for n, unit in enumerate(("ms", "cpu"))}
            print(json.dumps({**got, "load_ms": done[0] - start[0], "load_cpu": done[1] - start[1],
                              "listed": listed}), flush=True)
    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, required=True, help="a demo (read only)")
    parser.add_argument("--baseline", type=Path, help="another checkout, run alternately with this one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7, help="walks timed per process (after one warm-up)")
    parser.add_argument("--count", type=int, default=200, help="蓝 cases to find (services.briefing.FIRST_BLUE)")
    parser.add_argument("--lists", type=int, default=0, help="graded lists timed per process (0: the walk alone)")
    parser.add_argument("--user", default="head", help="the head whose graded list --lists times")
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--today", default="2026-12-07")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    checkouts = [("this", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    found = alternate_children(HERE, checkouts, args.rounds,
                               ["--database", str(args.database), "--runs", str(args.runs), "--count",
                                str(args.count), "--lists", str(args.lists), "--user", args.user, "--month",
                                args.month, "--today", args.today])
    if found is None:
        return 1
    print(f"\nmedians ({args.database.name}, {args.count} 蓝 of the county head, {args.month}); load now {loadavg()}")
    for name, rows in found.items():
        def median(key: str, got: list[dict[str, Any]] = rows) -> float:
            return median_of(got, key)

        print(f"  {name:<9} walk {median('walk_ms'):8.2f} ms (CPU {median('walk_cpu'):8.2f})"
              + (f"; graded list ({args.user}) first part {median('first_ms'):6.0f} ms "
                 f"(CPU {median('first_cpu'):6.0f}),"
                 f" whole after it {median('whole_ms'):6.0f} ms (CPU {median('whole_cpu'):6.0f});"
                 f" briefing.load {median('load_ms'):6.0f} ms (CPU {median('load_cpu'):6.0f})" if args.lists else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
