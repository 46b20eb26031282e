"""What keeping the planner's statistics fresh costs on a big SQLite file (issue 20, sqlite-stats).

On a copy of a demo (``--database``; never a shared file: the refresh writes ``sqlite_stat1``):

* the look (``plan_statistics.stale_indexes``): what a refresh costs when nothing is stale, as on
  nearly every start of a grown file;
* with ``--forget TABLE[,TABLE]``: those tables' statistics deleted first (as a file whose table
  doubled since its last analysis), then ``plan_statistics.refresh`` with ``--budget`` seconds,
  run again until nothing is left: the indexes analysed, the wall and CPU of each run, the longest
  single index (the longest the write lock is held), while another process takes the write lock
  every 5 ms (its worst and 99th-percentile wait: what a save at another desk would wait; its
  worst wait before the refresh is the floor: this machine's load).

    .venv/bin/python bench/plan_statistics.py --database COPY [--forget dispute_case] [--budget 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from mediation_desk.db import Database
from mediation_desk.services import plan_statistics

PROBE = r"""
import json, os, sqlite3, sys, time
path, out = sys.argv[1:3]
connection = sqlite3.connect(path, isolation_level=None, timeout=600)
waits = []
while not os.path.exists(out + ".stop"):
    began = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    waits.append(time.perf_counter() - began)
    connection.execute("ROLLBACK")
    time.sleep(0.005)
json.dump(waits, open(out, "w"))
"""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--forget", default="", help="tables whose statistics are deleted first (comma-separated)")
    parser.add_argument("--budget", type=float, default=plan_statistics.BUDGET_SECONDS)
    return parser.parse_args()


def _probe(path: Path, seconds: float) -> list[float]:
    out = Path(tempfile.mkdtemp()) / "waits.json"
    process = subprocess.Popen([sys.executable, "-c", PROBE, str(path), str(out)])
    time.sleep(seconds)
    return _stop_probe(process, out)


def _stop_probe(process: subprocess.Popen[bytes], out: Path) -> list[float]:
    Path(str(out) + ".stop").touch()
    process.wait()
    return list(json.loads(out.read_text()))


def _waits(waits: list[float]) -> str:
    ordered = sorted(waits)
    p99 = ordered[int(len(ordered) * 0.99)] if ordered else 0.0
    return f"worst {max(waits, default=0) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms ({len(waits)} takes)"


def main() -> int:
    args = _arguments()
    db = Database(f"sqlite:///{args.database}", create=False)
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        with db.read() as session:
            stale = plan_statistics.stale_indexes(session.connection())
        print(f"look: {len(stale)} stale, {(time.perf_counter() - wall) * 1000:.1f} ms wall / "
              f"{(time.process_time() - cpu) * 1000:.1f} ms CPU; load {os.getloadavg()[0]:.1f}")
    tables = [t for t in args.forget.split(",") if t]
    if not tables:
        return 0
    with db.write() as session:
        for table in tables:
            session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = :t"), {"t": table})
    print(f"floor: another desk's lock takes with nothing running: {_waits(_probe(args.database, 3.0))}")
    out = Path(tempfile.mkdtemp()) / "waits.json"
    process = subprocess.Popen([sys.executable, "-c", PROBE, str(args.database), str(out)])
    time.sleep(0.5)
    longest = 0.0
    runs = 0
    original = plan_statistics.refresh
    try:
        while True:
            runs += 1
            wall, cpu = time.perf_counter(), time.process_time()
            done = original(db, budget=args.budget)
            took = time.perf_counter() - wall
            print(f"run {runs}: {len(done.analysed)} indexes, {took:.2f} s wall / "
                  f"{time.process_time() - cpu:.2f} s CPU, {len(done.left)} left; load {os.getloadavg()[0]:.1f}",
                  flush=True)
            longest = max(longest, took / max(len(done.analysed), 1))
            if not done.left:
                break
    finally:
        waits = _stop_probe(process, out)
    print(f"another desk's lock takes during the refresh: {_waits(waits)}")
    with db.read() as session:
        for table in tables:
            for index, stat in session.execute(text(
                    "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = :t AND idx IN "
                    "('ix_dispute_case_state_received', 'ix_dispute_case_handling_center_id', 'ix_party_case_id')"),
                    {"t": table}):
                print(f"  {index}: {stat}")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
