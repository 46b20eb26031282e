"""风险研判's first page in the service alone: each statement of ``briefing._overview`` timed (wall
and the thread's CPU), for this checkout and another (``--baseline``), run alternately.

A process per checkout (``PYTHONPATH`` set to it) signs in as ``--user``, reads the first page once
to warm up, then ``--runs`` times reads it in a new read session (``next(briefing.parts(…))``, as
the tab's slow lane does) with each of the page's counting functions wrapped by a timer; it prints
the medians per function and for the whole page. The load average is printed before and after
each process. Nothing is written but the sign-in's records: give it a copy (``--database``).

    .venv/bin/python bench/briefing_overview.py --database COPY.sqlite --baseline /other/checkout
        [--rounds 3] [--runs 7] [--user head] [--month 2026-11] [--today 2026-12-06]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

#: The first page's counting functions of services.briefing (those a checkout has are timed).
TIMED = ("_visible_centers", "_every_case", "_received", "_group_bands", "_criminal", "_overdue", "_carded",
         "_hotline")


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[0]


def child(args: argparse.Namespace) -> None:
    from timing import use_memory_keyring  # bench/ is not a package: the script's folder is on the path

    use_memory_keyring()
    from mediation_desk import demo
    from mediation_desk.db import Database
    from mediation_desk.services import auth, briefing

    db = Database(f"sqlite:///{args.database}")
    head = auth.login(db, args.user, demo.DEMO_PASSWORD)
    today = date.fromisoformat(args.today)
    spent: dict[str, list[tuple[float, float]]] = defaultdict(list)

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*a: Any, **k: Any) -> Any:
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return function(*a, **k)
            finally:
                spent[name].append(((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000))
        return wrapper

    for name in TIMED:
        if hasattr(briefing, name):
            setattr(briefing, name, timed(name, getattr(briefing, name)))

    def page() -> tuple[float, float, Any]:
        wall, cpu = time.perf_counter(), time.thread_time()
        with db.read() as session:
            first = next(briefing.parts(session, head, args.month, today=today))
        return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000, first

    page()  # warm-up: imports, the file's pages
    spent.clear()
    pages = [page() for _ in range(args.runs)]
    first = pages[-1][2]
    print(json.dumps({
        "page_ms": statistics.median(p[0] for p in pages), "page_cpu": statistics.median(p[1] for p in pages),
        "carded": first.carded.value, "overdue": first.overdue.value, "received": first.received.value,
        "per_call": {name: [round(statistics.median(w for w, _c in got), 2),
                            round(statistics.median(c for _w, c in got), 2), len(got) // args.runs]
                     for name, got in spent.items()}}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="a copy of a demo (the sign-in writes to it)")
    parser.add_argument("--baseline", help="another checkout, run alternately with this one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7, help="first pages read per process")
    parser.add_argument("--user", default="head")
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--today", default="2026-12-06")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    here = str(Path(__file__).resolve().parent.parent)
    checkouts = [("this", here)] + ([("baseline", str(Path(args.baseline).resolve()))] if args.baseline else [])
    argv = [a for a in sys.argv[1:]]
    for round_ in range(args.rounds):
        for label, checkout in (checkouts if round_ % 2 == 0 else checkouts[::-1]):
            before = _loadavg()
            env = {**os.environ, "PYTHONPATH": checkout}
            out = subprocess.run([sys.executable, str(Path(checkout) / "bench" / "briefing_overview.py")
                                  if (Path(checkout) / "bench" / "briefing_overview.py").exists() else __file__,
                                  *argv, "--child"], check=False, env=env, capture_output=True, text=True,
                                 cwd=checkout)
            if out.returncode:
                sys.exit(f"{label} failed:\n{out.stderr}")
            for line in out.stdout.splitlines():
                got = json.loads(line)
                calls = "  ".join(f"{n.lstrip('_')} {w}/{c}" + (f"×{k}" if k > 1 else "")
                                  for n, (w, c, k) in got["per_call"].items())
                print(f"round {round_ + 1} {label:8} load {before} → {_loadavg()}  page {got['page_ms']:.1f} ms "
                      f"(CPU {got['page_cpu']:.1f})  carded {got['carded']} overdue {got['overdue']} "
                      f"received {got['received']}\n    wall/CPU ms: {calls}", flush=True)


if __name__ == "__main__":
    main()
