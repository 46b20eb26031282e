"""The heads' 督办与考核 (``cards.department_scores``) month by month, two code trees alternating.

On a SQLite demo (a copy: never the shared one), for each of ``--months`` the service's wall and
CPU time (median and worst of ``--rounds``), each round running every tree once in a fresh child
process (``PYTHONPATH`` = the tree), so two versions of the code are measured in the same minutes
on the same file. The children also print each month's scores: the parent checks the trees agree.
``--users``: the heads timed, each month (the county's ``head``; a township's ``ljd_head`` counts
only the cases it may see, since scores-township).
The load average is printed before and after each round (the machine is shared: compare CPU).

    .venv/bin/python bench/scores.py --database /work/bench-data/NAME/demo-1m.sqlite \\
        --tree before=/path/to/old/tree@0054 --tree after=.@0057 [--months 2025-12,2026-06,2026-11,2026-12]
        [--rounds 5] [--repeat 3] [--users head,ljd_head]

A tree may name the schema revision it runs on (``@0054``): the file is migrated to it (by this
tree's migrations, up or down) before that tree's child runs, so that an older tree is measured
with the indexes it had, not with those a newer one added (SQLite's planner takes them).

``--repeat``: calls per month in one child (the first is cold for that month; the median is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics as stats
import subprocess
import sys
import time
from pathlib import Path


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _migrate(database: Path, revision: str) -> str:
    """Migrate the file to ``revision`` with this tree's migrations; how long it took, or ''."""
    os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from mediation_desk.db import Database, current_revision, migrate_to

    db = Database(f"sqlite:///{database}")
    try:
        if current_revision(db) == revision:
            return ""
        wall, cpu = time.perf_counter(), time.process_time()
        migrate_to(db, revision)
        return f"{time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU, load {_load()}"
    finally:
        db.dispose()


def child(database: Path, months: list[str], repeat: int, users: list[str]) -> None:
    os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")
    from mediation_desk import demo
    from mediation_desk.db import Database
    from mediation_desk.services import auth, cards

    db = Database(f"sqlite:///{database}")
    heads = {user: auth.login(db, user, demo.DEMO_PASSWORD) for user in users}
    out: dict[str, object] = {}
    for month in months:
        for user, head in heads.items():
            walls, cpus = [], []
            scores: list[list[object]] = []
            for _ in range(repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                with db.read() as session:
                    got = cards.department_scores(session, head, month)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                scores = [[s.department_id, s.cases, s.on_time, s.yellow, s.red, s.asked, s.approved] for s in got]
            out[f"{user} {month}"] = {"wall": walls, "cpu": cpus, "scores": scores}
    db.dispose()
    print(json.dumps(out))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--tree", action="append", default=[], help="label=path of a source tree")
    parser.add_argument("--months", default="2025-12,2026-06,2026-11,2026-12")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--users", default="head", help="the heads timed, comma-separated")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    months = args.months.split(",")
    users = args.users.split(",")
    if args.child:
        child(args.database, months, args.repeat, users)
        return 0
    # Each head's month, by the key the child prints it under.
    keys = [f"{user} {month}" for month in months for user in users]
    trees = [tuple(t.split("=", 1)) for t in args.tree] or [("this", str(Path(__file__).resolve().parent.parent))]
    revisions = {label: tree.rpartition("@")[2] if "@" in tree else None for label, tree in trees}
    trees = [(label, tree.partition("@")[0]) for label, tree in trees]
    walls: dict[tuple[str, str], list[float]] = {}
    cpus: dict[tuple[str, str], list[float]] = {}
    firsts: dict[tuple[str, str], list[float]] = {}
    answers: dict[str, dict[str, object]] = {}
    for round_ in range(args.rounds):
        for label, tree in (trees if round_ % 2 == 0 else trees[::-1]):
            if revisions[label]:
                migrated = _migrate(args.database, str(revisions[label]))
                if migrated:
                    print(f"  file migrated to {revisions[label]}: {migrated}", flush=True)
            before = _load()
            env = dict(os.environ, PYTHONPATH=str(Path(tree).resolve()))
            done = subprocess.run([sys.executable, __file__, "--child", "--database", str(args.database),
                                   "--months", args.months, "--repeat", str(args.repeat),
                                   "--users", args.users],
                                  env=env, capture_output=True, text=True, check=True,
                                  cwd=str(Path(tree).resolve()))
            got = json.loads(done.stdout.strip().splitlines()[-1])
            line = []
            for key in keys:
                figures = got[key]
                walls.setdefault((label, key), []).append(stats.median(figures["wall"]))
                cpus.setdefault((label, key), []).append(stats.median(figures["cpu"]))
                firsts.setdefault((label, key), []).append(figures["wall"][0])
                answers.setdefault(key, {})[label] = figures["scores"]
                line.append(f"{key} {stats.median(figures['wall']):.0f}/{stats.median(figures['cpu']):.0f}")
            print(f"round {round_ + 1} {label:<8} load {before} → {_load()}: " + ", ".join(line)
                  + "  (ms wall/CPU)", flush=True)
    print()
    width = max(len(key) for key in keys)
    print(f"{'head, month':<{width}} {'tree':<8} {'wall med':>9} {'worst':>7} {'CPU med':>8} {'worst':>7} "
          f"{'1st call':>9}  (ms)")
    for key in keys:
        for label, _tree in trees:
            w, c, f = walls[(label, key)], cpus[(label, key)], firsts[(label, key)]
            print(f"{key:<{width}} {label:<8} {stats.median(w):9.1f} {max(w):7.1f} {stats.median(c):8.1f} "
                  f"{max(c):7.1f} {stats.median(f):9.1f}")
        same = len({json.dumps(a) for a in answers[key].values()}) == 1
        print(f"{key:<{width}} scores {'equal' if same else 'DIFFER'} across trees")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
