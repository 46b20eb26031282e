"""A case page opened while the case list refreshes or counts a new filter: how long it waits.

Opens the real case section (``CaseSection``: the list, its lazy model, the detail page, the
threaded task runner, offscreen) as a signed-in demo user on a private copy of a demo, waits until
the list is counted, and then, in rounds, times from asking for a case page (as Enter on a row
does, ``CaseSection.open_case``) until the page is shown (``CaseDetailView.loaded``):

- ``alone``: nothing else is read (the floor);
- ``refresh``: right after the list was told rows came or went (``Changes(case_list=True)``, as
  after a save or another desk's notice), so its refresh and count are on their way;
- ``filter``: right after a new filter's first rows are in (its count is about to be read).

Beside each it prints when the list's count arrived (from the refresh or the filter), the page's
CPU time (the whole process, from the request to the page) and the load average. Two cases of the
list's first screen are opened in turn (another than the one shown each time). ``--search WORD``:
the list shows that search's hits throughout (its count is the search's, e.g. 张掖市 in a tenth of
the parties' names).

    .venv/bin/python bench/list_refresh.py [--source /work/bench-data/shared/demo-200k.sqlite]
        [--copy /work/bench-data/list-refresh/demo.sqlite] [--users head,clerk,mediator]
        [--runs 5] [--rounds 3] [--search WORD] [--baseline OTHER_CHECKOUT]

The source is never written to: it is copied once to ``--copy`` and upgraded there. Each run
launches one process per version and user (``--baseline DIR``: a checkout of another version,
e.g. ``git archive main | tar -x -C DIR``, launched alternately with this one), which does
``--rounds`` rounds of the three kinds, in turn.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: The version a child process imports (``--baseline``): its checkout, else this one.
CODE_ENV = "LIST_REFRESH_CODE"
sys.path.insert(0, os.environ.get(CODE_ENV, str(ROOT)))

SOURCE = Path("/work/bench-data/shared/demo-200k.sqlite")
COPY = Path("/work/bench-data/list-refresh/demo.sqlite")
KINDS = ("alone", "refresh", "filter")
WAIT_S = 120.0


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def copy_database(source: Path, copy: Path) -> None:
    if copy.exists() and copy.stat().st_mtime >= source.stat().st_mtime:
        return
    copy.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            subprocess.run(["cp", "--reflink=auto", f"{source}{suffix}", f"{copy}{suffix}"], check=True)
    print(f"copied {source} → {copy}", flush=True)


def upgrade_copy(copy: Path) -> None:
    from mediation_desk.db import Database, upgrade

    db = Database(f"sqlite:///{copy}", create=False)
    started = time.perf_counter()
    report = upgrade(db, backup=False)
    if report.changed:
        print(f"upgraded {copy.name} {report.from_revision} → {report.to_revision} "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
    db.dispose()


# --------------------------------------------------------------------------- one process


def child(database: Path, user: str, rounds: int, search: str) -> dict[str, list[dict[str, float]]]:
    """``rounds`` rounds of each kind in one signed-in process; each a dict of figures (ms)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from mediation_desk.changes import Changes
    from mediation_desk.db import Database
    from mediation_desk.demo import DEMO_PASSWORD
    from mediation_desk.services import auth
    from mediation_desk.services.workflow import OPEN_STATES
    from mediation_desk.ui.common.i18n import install_translators, register_fonts
    from mediation_desk.ui.common.tasks import TaskRunner
    from mediation_desk.ui.shell.main_window import CaseSection

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    register_fonts(app)
    translators = install_translators(app, "zh_CN")
    db = Database(f"sqlite:///{database}", create=False)
    actor = auth.login(db, user, DEMO_PASSWORD)
    runner = TaskRunner(db)
    runner.actor = actor
    section = CaseSection(runner, actor, None, "casesSection")
    section.resize(1300, 700)
    section.show()
    view = section.list_view
    model = view.model
    loop = QEventLoop()

    def wait_until(done: Any, what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not done():
            if time.monotonic() > deadline:
                raise SystemExit(f"{user}: waited {WAIT_S:.0f} s for {what}")
            QTimer.singleShot(2, loop.quit)
            loop.exec()

    def settled() -> bool:
        return not model.loading and runner.running == 0

    wait_until(lambda: model.total > 0 and settled(), "the list")
    if search:
        from mediation_desk.services.caselist import SortKey

        model.set_query(replace(model.query, filter=replace(model.query.filter, text=search), sort=SortKey.RELEVANCE))
        wait_until(lambda: model.total > 0 and settled(), "the search")
    for row in range(6):
        model.case_id_at(row)
    wait_until(lambda: all(model.case_id_at(r) is not None for r in range(6)), "the first rows")
    cases = [model.case_id_at(r) for r in (3, 4)]
    marks: dict[str, float] = {}
    section.detail_view.loaded.connect(lambda _id: marks.setdefault("page", time.perf_counter()))
    model.count_changed.connect(lambda _n: marks.setdefault("count", time.perf_counter()))
    model.rows_loaded.connect(lambda _a, _b: marks.setdefault("rows", time.perf_counter()))
    shown = 0

    def open_next() -> tuple[float, float]:
        nonlocal shown
        shown = 1 - shown
        case_id = cases[shown]
        assert case_id is not None
        marks.pop("page", None)
        started, cpu = time.perf_counter(), time.process_time()
        section.open_case(case_id)
        return started, cpu

    open_next()  # the detail page made, and a first page read
    wait_until(lambda: "page" in marks and settled(), "the first page")
    # The list's own filter and the cases in progress (进行中), in turn: new queries whose counts
    # are not small.
    filters = [model.query.filter, replace(model.query.filter, states=OPEN_STATES)]
    results: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    flip = 0
    for n in range(rounds):
        for kind in (KINDS if n % 2 == 0 else KINDS[::-1]):
            wait_until(settled, "the lanes to settle")
            marks.clear()
            asked = time.perf_counter()
            if kind == "refresh":
                model.on_changed(Changes(case_list=True))
            elif kind == "filter":
                flip = 1 - flip
                model.set_query(replace(model.query, filter=filters[flip]))
                wait_until(lambda: "rows" in marks, "the new filter's first rows")
                QTimer.singleShot(5, loop.quit)  # the rows painted, the count asked for
                loop.exec()
            started, cpu = open_next()
            wait_until(lambda: "page" in marks, "the page")
            page_cpu = time.process_time() - cpu
            if kind == "alone":
                marks["count"] = marks["page"]
            wait_until(lambda: "count" in marks and settled(), "the count")
            results[kind].append({
                "page": (marks["page"] - started) * 1000,
                "page_cpu": page_cpu * 1000,
                "round_cpu": (time.process_time() - cpu) * 1000,
                "count": (marks["count"] - asked) * 1000 if kind != "alone" else float("nan"),
                "page_before_count": float(kind != "alone" and marks["page"] < marks["count"]),
            })
    runner.shutdown()
    del translators
    return results


# --------------------------------------------------------------------------- the runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--copy", type=Path, default=COPY)
    parser.add_argument("--users", default="head,clerk,mediator")
    parser.add_argument("--runs", type=int, default=5, help="launches of each version and user")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each kind in a launch")
    parser.add_argument("--search", default="", help="the list shows this search's hits (best first) throughout")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a checkout of another version, launched alternately with this one")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--user", default="head", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(args.copy, args.user, args.rounds, args.search)))
        return 0

    copy_database(args.source, args.copy)
    upgrade_copy(args.copy)
    roots = {"this": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    users = [u for u in args.users.split(",") if u]
    print(f"database {args.copy}; users {', '.join(users)}; list: {f'search {args.search}' if args.search else 'all'}; "
          f"{args.runs} launches × {args.rounds} rounds; "
          f"versions: {', '.join(f'{k} ({v})' for k, v in roots.items())}")
    print(f"load average at start: {load()}", flush=True)
    got: dict[tuple[str, str], dict[str, list[dict[str, float]]]] = {
        (version, user): {kind: [] for kind in KINDS} for version in roots for user in users}
    for n in range(args.runs):
        versions = list(roots) if n % 2 == 0 else list(roots)[::-1]
        for user in users:
            for version in versions:
                env = {**os.environ, CODE_ENV: str(roots[version]), "PYTHONDONTWRITEBYTECODE": "1"}
                env.pop("PYTHONPATH", None)
                wall, cpu = time.perf_counter(), os.times()
                done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", "--copy",
                                       str(args.copy), "--user", user, "--rounds", str(args.rounds),
                                       "--search", args.search],
                                      env=env, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    print(done.stderr, file=sys.stderr)
                    return done.returncode
                after = os.times()
                spent = after.children_user + after.children_system - cpu.children_user - cpu.children_system
                figures = json.loads(done.stdout.strip().splitlines()[-1])
                for kind in KINDS:
                    got[version, user][kind] += figures[kind]
                pages = "  ".join(f"{kind} {statistics.median(r['page'] for r in figures[kind]):6.0f}"
                                  for kind in KINDS)
                print(f"run {n + 1} {user:9} {version:8} page ms: {pages}   "
                      f"(launch {time.perf_counter() - wall:5.1f} s, "
                      f"CPU {spent:5.1f} s,"
                      f" load {load()})", flush=True)

    med = statistics.median
    print(f"\nmedians (ms) over {args.runs} × {args.rounds}; load average at the end: {load()}")
    print("user      | version  | kind    | page opened | page CPU | round CPU | count came | page before count")
    for user in users:
        for version in roots:
            for kind in KINDS:
                rows = got[version, user][kind]
                counts = [r["count"] for r in rows if r["count"] == r["count"]]
                print(f"{user:9} | {version:8} | {kind:7} | {med(r['page'] for r in rows):11.1f} | "
                      f"{med(r['page_cpu'] for r in rows):8.1f} | {med(r['round_cpu'] for r in rows):9.1f} | "
                      f"{(med(counts) if counts else float('nan')):10.1f} | "
                      f"{sum(r['page_before_count'] for r in rows):.0f}/{len(rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
