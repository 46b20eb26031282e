"""Statistics dashboard at county scale: every figure of the head's dashboard on 1,000,000 cases.

Builds the database with bench/caselist.py's bulk builder (cases + applicants), then gives the
cases what the figures read — acceptance dates, source channels, flags, amounts, running clocks, a
timeline of five transitions per case with the ending the state implies, and a return visit for
each closed case — all with set-based SQL. Then it times ``services.statistics.figures`` for a
month, a quarter and a year (median of 5 runs after one warm-up), and the count behind one
clicked figure, first on the schema as migrated and then with the indexes docs/statistics.md asks
for. Budget (issue 7): the whole dashboard ≤ 200 ms on 1,000,000 cases.

    .venv/bin/python bench/dashboard.py [--cases 1000000] [--database PATH] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from caselist import build  # noqa: E402 - bench/ is not a package; the path is set just above
from timing import median_ms  # noqa: E402

#: The indexes the figures want beyond migration 0005 (docs/statistics.md, "Indexes").
PROPOSED_INDEXES = (
    # Each case's last ending in the period: an index-only range per ending action.
    "CREATE INDEX IF NOT EXISTS ix_case_event_action_at ON case_event (action, at, case_id)",
    # Each case's last visit in the period.
    "CREATE INDEX IF NOT EXISTS ix_return_visit_visited ON return_visit (visited_on, case_id, satisfaction)",
    # Every figure of the cases received, read from the index alone (no row of the wide table).
    "CREATE INDEX IF NOT EXISTS ix_dispute_case_received_figures ON dispute_case (received_at, dispute_type_id, "
    "source_channel, team_id, state, is_group_dispute, amount_involved)",
    # Overdue now (clock_due_on < today with the state read from the index): migration 0032's
    # ix_dispute_case_due_center (clock_due_on, state, center_id), kept; 0044 dropped the
    # (clock_due_on, state) index proposed here, its prefix.
)
DROP_PROPOSED = tuple(f"DROP INDEX IF EXISTS {statement.split()[5]}" for statement in PROPOSED_INDEXES)

# Channels in the demo's proportions (demo/__init__.py), picked by id % 100.
_CHANNELS = (("visit", 40), ("phone", 18), ("letter", 3), ("online", 8), ("grid_report", 12),
             ("police_transfer", 5), ("court_delegated", 4), ("petition_transfer", 4),
             ("department_transfer", 3), ("active_screening", 3))


def _channel_case() -> str:
    parts, upper = [], 0
    for value, weight in _CHANNELS:
        upper += weight
        parts.append(f"WHEN id % 100 < {upper} THEN '{value}'")
    return "CASE " + " ".join(parts) + " END"


ENRICH = (
    # The builder draws states uniformly whatever the age; a real center has closed nearly all of
    # its older cases (demo/__init__.py: 88 % after 75 days). Leave 5 % of them open and late.
    """UPDATE dispute_case SET state = 'closed'
       WHERE received_at < '2026-08-01' AND state NOT IN ('closed', 'rejected') AND id % 20 != 0""",
    # What intake and routing would have written on each row.
    f"""UPDATE dispute_case SET
        source_channel = {_channel_case()},
        is_group_dispute = (id % 25 = 0),
        may_turn_criminal = (id % 50 = 7),
        amount_involved = CASE WHEN id % 3 = 0 THEN NULL ELSE (id % 2000) * 100 + 500 END,
        accepted_at = CASE WHEN state IN ('registered', 'rejected') THEN NULL
                           ELSE strftime('%Y-%m-%d %H:%M:%f000', received_at, '+1 day') END,
        clock_warn_on = CASE WHEN state IN ('closed', 'rejected') THEN NULL
                             ELSE date(received_at, '+23 days') END,
        clock_due_on = CASE WHEN state IN ('closed', 'rejected') THEN NULL
                            ELSE date(received_at, '+30 days') END""",
    # The timeline: registered, accepted, assigned, mediation started …
    """INSERT INTO case_event (case_id, at, user_id, kind, action, from_state, to_state, note)
       SELECT id, received_at, NULL, 'registered', '', NULL, 'registered', '' FROM dispute_case""",
    """INSERT INTO case_event (case_id, at, user_id, kind, action, from_state, to_state, note)
       SELECT id, accepted_at, NULL, 'transition', 'accept', 'registered', 'accepted', ''
       FROM dispute_case WHERE accepted_at IS NOT NULL""",
    """INSERT INTO case_event (case_id, at, user_id, kind, action, from_state, to_state, note)
       SELECT id, strftime('%Y-%m-%d %H:%M:%f000', received_at, '+2 days'), NULL, 'transition', 'assign',
              'accepted', 'assigned', '' FROM dispute_case WHERE team_id IS NOT NULL""",
    """INSERT INTO case_event (case_id, at, user_id, kind, action, from_state, to_state, note)
       SELECT id, strftime('%Y-%m-%d %H:%M:%f000', received_at, '+3 days'), NULL, 'transition',
              'start_mediation', 'assigned', 'in_mediation', '' FROM dispute_case
       WHERE state NOT IN ('registered', 'accepted', 'rejected', 'diverted', 'assigned')""",
    # … and the ending the state implies (closed cases: 64 % success as in the demo), 4-44 days on.
    """INSERT INTO case_event (case_id, at, user_id, kind, action, from_state, to_state, note)
       SELECT id, strftime('%Y-%m-%d %H:%M:%f000', received_at, '+' || (4 + id % 41) || ' days'), NULL,
              'transition', ending, 'in_mediation', ending, ''
       FROM (SELECT id, received_at, CASE
                WHEN state = 'succeeded' THEN 'succeed'
                WHEN state IN ('failed', 'transferred') THEN 'fail'
                WHEN state = 'withdrawn' THEN 'withdraw'
                WHEN state = 'diverted' THEN 'divert'
                WHEN state = 'rejected' THEN 'reject'
                WHEN state IN ('closed', 'closure_review') THEN CASE
                    WHEN id % 100 < 64 THEN 'succeed' WHEN id % 100 < 84 THEN 'fail'
                    WHEN id % 100 < 92 THEN 'withdraw' ELSE 'divert' END
             END AS ending FROM dispute_case) WHERE ending IS NOT NULL""",
    """UPDATE dispute_case SET closed_at = strftime('%Y-%m-%d %H:%M:%f000', received_at, '+50 days')
       WHERE state IN ('closed', 'rejected')""",
    # A return visit for each closed case, 60 days after it was received.
    """INSERT INTO return_visit (case_id, visited_on, visitor, parties_visited, method, performance, satisfaction,
                                 notes, reopened, version, created_at, updated_at)
       SELECT id, date(received_at, '+60 days'), '中心回访组', '申请人', 'phone', NULL,
              CASE WHEN id % 100 < 80 THEN 'satisfied' WHEN id % 100 < 97 THEN 'fairly' ELSE 'unsatisfied' END,
              '', 0, 1, received_at, received_at
       FROM dispute_case WHERE state = 'closed'""",
)


def enrich(path: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        t0 = time.perf_counter()
        for statement in ENRICH:
            connection.execute(statement)
            connection.commit()
        connection.execute("ANALYZE")
        connection.commit()
        events = connection.execute("SELECT count(*) FROM case_event").fetchone()[0]
        visits = connection.execute("SELECT count(*) FROM return_visit").fetchone()[0]
    finally:
        connection.close()
    print(f"timeline events:          {events:,}; return visits {visits:,} "
          f"(added in {time.perf_counter() - t0:.1f} s)")


def _indexes(path: Path, statements: tuple[str, ...]) -> float:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        t0 = time.perf_counter()
        for statement in statements:
            connection.execute(statement)
        connection.execute("ANALYZE")
        connection.commit()
        return time.perf_counter() - t0
    finally:
        connection.close()


def measure(path: Path, label: str) -> None:
    from mediation_desk.db import Database
    from mediation_desk.models import Role
    from mediation_desk.readmodels.statistics import Figures
    from mediation_desk.services import caselist, statistics
    from mediation_desk.services.actor import Actor

    db = Database(f"sqlite:///{path}", create=False)
    head = Actor(user_id=None, username="head", display_name="主任", role=Role.HEAD)
    today = date(2026, 11, 20)
    periods = {"month 2026-10": (date(2026, 10, 1), date(2026, 10, 31)),
               "quarter 2026 Q3": (date(2026, 7, 1), date(2026, 9, 30)),
               "year 2025": (date(2025, 1, 1), date(2025, 12, 31))}
    print(f"-- {label}")
    try:
        for name, (start, end) in periods.items():
            result: list[Figures] = []

            def run(start: date = start, end: date = end, out: list[Figures] = result) -> None:
                with db.read() as session:
                    out.append(statistics.figures(session, head, start, end, today=today))

            ms, cpu = median_ms(run)
            figs = result[-1]
            print(f"dashboard {name:<16} {ms:7.1f} ms, CPU {cpu:6.1f} ms (budget ≤ 200 ms): "
                  f"received {figs.received.count:,}, "
                  f"ended {figs.by_result.total:,}, success {figs.success_rate.text()}, "
                  f"on time {figs.on_time_rate.text()}, satisfied {figs.satisfaction_rate.text()}, "
                  f"overdue {figs.overdue.count:,}")
        start, end = periods["month 2026-10"]
        with db.read() as session:
            figs = statistics.figures(session, head, start, end, today=today)
        query = caselist.CaseQuery(filter=figs.success_rate.numerator_filter)

        def click() -> None:
            with db.read() as session:
                total = caselist.count_cases(session, head, query)
                caselist.fetch_window(session, head, query, 0, 60, total=total)

        ms, cpu = median_ms(click)
        print(f"clicked figure → case list (count + first 60 rows of 调解成功, month): {ms:.1f} ms, CPU {cpu:.1f} ms")
    finally:
        db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database", type=Path, default=HERE / "out" / "dashboard.sqlite3")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database, only measure")
    parser.add_argument("--skip-unindexed", action="store_true",
                        help="measure only with the proposed indexes (the migrated schema takes seconds per run)")
    args = parser.parse_args()
    args.database.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.database.parent / "home"))
    if not (args.reuse and args.database.exists()):
        build(args.database, args.cases)
        enrich(args.database)
    _indexes(args.database, DROP_PROPOSED)
    if not args.skip_unindexed:
        measure(args.database, "schema as migrated (revision 0005)")
    seconds = _indexes(args.database, PROPOSED_INDEXES)
    print(f"proposed indexes built in {seconds:.1f} s:")
    for statement in PROPOSED_INDEXES:
        print(f"    {statement};")
    measure(args.database, "with the proposed indexes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
