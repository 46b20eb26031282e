"""The case list's counts of every role, each filter a section offers, on a copy of a demo.

For each user (county head and clerk, a mediator, a township's head, clerk and mediator) and each
filter their case sections start from or offer (the section's own: 案件, 我承办的案件 with its
"to do", 待审核结案; then one state, one type, one team, a received day), it prints the count
``services.caselist.count_cases`` answers, the plain count of the visible cases (the condition
written out: what the list counted before), the median wall and CPU time of each over ``--runs``
and SQLite's plan of the count; a count that differs from the plain one is an error (exit 1).

    .venv/bin/python bench/list_counts.py --database /work/bench-data/NAME/demo-1m.sqlite
        [--users head,clerk,mediator,ljd_head,ljd_clerk,ljd_mediator] [--runs 3] [--no-plain]

The database is a private copy (signing in writes audit entries; it is upgraded to this code's
schema first). Wall figures depend on the machine's load, printed at the start and end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

USERS = ("head", "clerk", "mediator", "ljd_head", "ljd_clerk", "ljd_mediator")


def _timed(fn: Callable[[], object], runs: int) -> tuple[object, float, float]:
    walls, cpus = [], []
    value: object = None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return value, statistics.median(walls), statistics.median(cpus)


def filters(session: Any, actor: Any) -> list[tuple[str, Any]]:
    """The section filters a person of this role meets, then one of each kind on top."""
    from sqlalchemy import func, select

    from mediation_desk.models import CaseState, DisputeCase, Role
    from mediation_desk.readmodels.caselist import CaseFilter
    from mediation_desk.ui.cases.list_view import TODO_STATES

    last = session.scalar(select(func.max(DisputeCase.received_at)))
    start = (last.date() if last else date(2026, 11, 30)) - timedelta(days=30)
    kinds: list[tuple[str, dict[str, Any]]] = [
        ("", {}), ("state 调解中", {"states": frozenset({CaseState.IN_MEDIATION})}),
        ("type 1", {"dispute_type_id": 1}), ("team", {"team_ids": frozenset({min(actor.team_ids or {1})})}),
        (f"received ≥ {start}", {"received_from": start}),
        ("state + type", {"states": frozenset({CaseState.CLOSED}), "dispute_type_id": 1}),
    ]
    sections: list[tuple[str, dict[str, Any]]] = [("案件", {})]
    if actor.role is Role.MEDIATOR:
        mine = {"team_ids": actor.team_ids or frozenset(), "mediator_id": actor.mediator_id}
        sections += [("我承办的案件", mine), ("我承办的案件 待办", {**mine, "states": TODO_STATES})]
    if actor.role is Role.HEAD:
        sections.append(("待审核结案", {"states": frozenset({CaseState.CLOSURE_REVIEW})}))
    out: list[tuple[str, Any]] = []
    for section, base in sections:
        for kind, extra in kinds if section == "案件" else kinds[:1]:
            if "team_ids" in extra and base.get("team_ids"):
                continue
            out.append((f"{section} {kind}".strip(), CaseFilter(**{**base, **extra})))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--users", default=",".join(USERS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-plain", action="store_true", help="skip the plain counts (slow at a million)")
    args = parser.parse_args()
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.database.parent / "home"))

    from sqlalchemy import func, select, text

    from mediation_desk.db import Database, upgrade
    from mediation_desk.models import DisputeCase
    from mediation_desk.services import auth, caselist, setup
    from mediation_desk.services.caselist import CaseQuery

    db = Database(f"sqlite:///{args.database}", create=False)
    upgrade(db, backup=False)
    print(f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    wrong = 0
    try:
        for username in args.users.split(","):
            actor = auth.login(db, username, setup.DEMO_PASSWORD, audited=False)
            with db.read() as session:
                for label, flt in filters(session, actor):
                    query = CaseQuery(filter=flt)
                    stmt = caselist.count_statement(session, actor, query)
                    def counted(q: Any = query, a: Any = actor, s: Any = session) -> object:
                        return caselist.count_cases(s, a, q)

                    count, wall, cpu = _timed(counted, args.runs)
                    sql = str(stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
                    plan = " | ".join(str(row[-1]) for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
                    line = f"{username:13} {label:34} {count:>9,}  {wall:7.0f} / {cpu:5.0f} ms"
                    if not args.no_plain:
                        plain = select(func.count()).select_from(DisputeCase).where(*caselist._visible(actor, flt))
                        def plainly(p: Any = plain, s: Any = session) -> object:
                            return s.scalar(p)

                        expected, pwall, pcpu = _timed(plainly, 1)
                        line += f"   plain {expected:>9,} {pwall:7.0f} / {pcpu:5.0f} ms"
                        if expected != count:
                            wrong += 1
                            line += "  ≠ WRONG"
                    print(line)
                    print(f"{'':14}plan: {plan}")
    finally:
        db.dispose()
    print(f"load after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
