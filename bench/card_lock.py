"""How long the desk's card check holds SQLite's write lock on a day many clocks turn (issue 20.4).

On a copy of a demo (``--database``; never a shared file: opening it may upgrade its schema), as
``--user`` on ``--day``, each run alternating the two ways:

* ``one``: the walk over the running clocks and the writes in one write transaction
  (``cards.check`` inside ``Database.write``: what the desk did before);
* ``split``: the walk on a read (``cards.due_cards``), then the cards written in one write
  transaction (``cards.give``);
* ``parts``: the walk on a read, then the cards written ``cards.GIVE_CASES`` cases per write
  transaction with ``cards.GIVE_PAUSE`` between them (``DueCards.parts``: what the desk and
  ``cards check`` do now).

Meanwhile another process (its own connection, as another desk saving) takes the write lock over
and over: ``BEGIN IMMEDIATE``, a one-row insert into a scratch table, ``ROLLBACK``, every 5 ms. Its
worst wait for the lock is what a person saving at another desk would have waited; its worst wait
before the check started is the floor (this machine's load). Each check is rolled back at the end
(raising out of the write), so every run meets the same due day.

Printed per run: cards found, the read's and the writes' wall and CPU, the longest write (``time.process_time``, this
process), the other desk's worst and 99th-percentile wait, the load average.

    .venv/bin/python bench/card_lock.py --database COPY --day 2026-12-07 [--user head] [--runs 3]
        [--modes one,split,parts] [--part N] [--code DIR]   # DIR: a checkout whose mediation_desk to run (before/after)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics as stats
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--day", type=date.fromisoformat, required=True)
    parser.add_argument("--user", default="head")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default="one,split,parts")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--part", type=int, help="cases per write in the parts mode (default cards.GIVE_CASES)")
    return parser.parse_args()


ARGS = _arguments()
sys.path.insert(0, str(ARGS.code.resolve()))

from mediation_desk import demo  # noqa: E402
from mediation_desk.db import Database  # noqa: E402
from mediation_desk.services import auth, cards  # noqa: E402
from mediation_desk.services.actor import Actor  # noqa: E402

PROBE = r"""
import json, sqlite3, sys, time
path, started_file, out = sys.argv[1:4]
connection = sqlite3.connect(path, isolation_level=None, timeout=600)
connection.execute("CREATE TABLE IF NOT EXISTS bench_card_lock_probe (at REAL)")
waits = []
stop = out + ".stop"
import os
while not os.path.exists(stop):
    began = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    waited = time.perf_counter() - began
    connection.execute("INSERT INTO bench_card_lock_probe VALUES (?)", (time.time(),))
    connection.execute("ROLLBACK")
    waits.append((time.time(), waited))
    time.sleep(0.005)
json.dump(waits, open(out, "w"))
"""


class _RollBack(Exception):
    """Raised out of the write: the check's cards are not kept, the next run meets the same day."""


def _run(db: Database, mode: str, actor: Actor, day: date) -> dict[str, float]:
    read_wall = read_cpu = 0.0
    found = given = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if mode != "one":
        with db.read() as session:
            due = cards.due_cards(session, actor, day)
        found = len(due.case_ids)
        read_wall, read_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    cpu1, wall1 = time.process_time(), time.perf_counter()
    parts: list[cards.DueCards | None] = [None]  # one: the walk and the writes in one transaction
    if mode != "one":
        parts = list(due.parts(len(due.case_ids) or 1) if mode == "split" else due.parts(ARGS.part))
    longest = 0.0
    for number, part in enumerate(parts):
        if number:
            time.sleep(cards.GIVE_PAUSE)  # as the desk and the command do between parts
        began = time.perf_counter()
        try:
            with db.write() as session:
                if part is None:
                    given += len(cards.check(session, actor, day).given)
                elif part.case_ids:  # noted once, with the last part (as the desk does)
                    given += len(cards.give(session, actor, part, note=number == len(parts) - 1).given)
                session.flush()
                raise _RollBack
        except _RollBack:
            pass
        longest = max(longest, time.perf_counter() - began)
    write_wall, write_cpu = time.perf_counter() - wall1, time.process_time() - cpu1
    return {"found": found, "given": given, "read_wall": read_wall, "read_cpu": read_cpu,
            "write_wall": write_wall, "write_cpu": write_cpu, "longest": longest, "writes": len(parts)}


def main() -> int:
    db = Database(f"sqlite:///{ARGS.database}")
    actor = auth.login(db, ARGS.user, demo.DEMO_PASSWORD)
    print(f"code: {Path(cards.__file__).resolve()}; database {ARGS.database}; {ARGS.user} on {ARGS.day}")
    modes = [m.strip() for m in ARGS.modes.split(",") if m.strip()]
    worst: dict[str, list[float]] = {m: [] for m in modes}
    for run in range(ARGS.runs):
        for mode in modes:
            with tempfile.TemporaryDirectory() as folder:
                out = os.path.join(folder, "waits.json")
                probe = subprocess.Popen([sys.executable, "-c", PROBE, str(ARGS.database), "", out])
                time.sleep(2.0)  # the floor: the probe alone
                started = time.time()
                load = os.getloadavg()[0]
                figures = _run(db, mode, actor, ARGS.day)
                ended = time.time()
                time.sleep(0.5)
                Path(out + ".stop").touch()
                probe.wait(timeout=600)
                waits = json.loads(Path(out).read_text())
            before = [w for at, w in waits if at < started] or [0.0]
            during = [w for at, w in waits if started <= at <= ended + 0.5] or [0.0]
            during.sort()
            p99 = during[min(len(during) - 1, int(len(during) * 0.99))]
            worst[mode].append(max(during))
            print(f"run {run + 1} {mode:5}: found {figures['found']:,}, given {figures['given']:,}; "
                  f"read {figures['read_wall'] * 1000:,.0f} ms wall / {figures['read_cpu'] * 1000:,.0f} ms CPU; "
                  f"{figures['writes']:.0f} write(s) {figures['write_wall'] * 1000:,.0f} ms wall / "
                  f"{figures['write_cpu'] * 1000:,.0f} ms CPU, longest {figures['longest'] * 1000:,.0f} ms; "
                  f"other desk's wait for the lock: worst {max(during) * 1000:,.0f} ms, p99 {p99 * 1000:,.0f} ms "
                  f"({len(during)} writes; floor worst {max(before) * 1000:,.0f} ms); "
                  f"load {load:.1f}/{os.getloadavg()[0]:.1f}", flush=True)
    for mode in modes:
        print(f"{mode}: other desk's worst wait, median of {ARGS.runs}: {stats.median(worst[mode]) * 1000:,.0f} ms")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
