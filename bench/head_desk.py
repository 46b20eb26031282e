"""The head's first screen, the publicity month and the dashboard on the 1,000,000-case demo (issue 20.3).

Works on a copy of the demo (never the shared file): ``--database`` (made from ``--source`` with
SQLite's backup and upgraded to the current schema on first use — the upgrade time includes
migration 0021 filling the monthly counts). Then, in one run, alternating each figure with its
floor (a trivial read: one row of ``dispute_type`` on a new session; for the window, a bare
``QMainWindow`` with an empty ``QTableView``), medians of ``--runs``:

* the head's first screen: login accepted → first paint of the main window (budget ≤ 300 ms), and
  → the due list painted, → the desk's other lists shown, → the visits due shown (each ≤ 100 ms of
  reading or after the first paint, never holding the due list up);
* the desk's reads one by one (due list + overdue count; orders + diversions + audit head; visits
  due) — each ≤ 100 ms;
* the publicity list (公示) of a month: its first page read and put in the table model (what the
  section paints; ≤ 1 s), one later page, and all the later pages one after another (read in the
  background, a page per read, so that other screens' reads run between them);
* the dashboard's month, quarter and year from the monthly counts (≤ 300 ms), beside the same
  counts read from the rows (what a partial period still costs).

    .venv/bin/python bench/head_desk.py [--database PATH] [--source PATH] [--runs 7] [--skip-ui | --ui-only]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics as stats
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SOURCE = Path("/work/bench-data/demo-1m.sqlite")
DATABASE = Path("/work/bench-data/head/demo-1m.sqlite")
BUDGETS_MS = {"paint": 300.0, "panel": 100.0, "publicity": 1000.0, "dashboard": 300.0}


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=65536)
    finally:
        dst.close()
        src.close()
    print(f"copied {source} → {target} in {time.perf_counter() - started:.1f} s")


def _verdict(ms: float, budget: float) -> str:
    return "OK" if ms <= budget else "OVER BUDGET"


def _median_pair(fn: Callable[[], object], floor: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median wall ms of ``fn`` and of ``floor`` run alternately after one warm-up of each, and
    the median CPU ms of ``fn``."""
    fn()
    floor()
    ours, floors, cpu = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        floor()
        floors.append(time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        ours.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return stats.median(ours) * 1000, stats.median(floors) * 1000, stats.median(cpu) * 1000


def _line(label: str, ms: float, floor_ms: float, cpu_ms: float, budget: float) -> None:
    print(f"  {label:<44} {ms:8.1f} ms  (CPU {cpu_ms:7.1f}; floor {floor_ms:5.1f} ms)  "
          f"budget ≤ {budget:g} ms  {_verdict(ms, budget)}")


def services(db: Any, today: date, runs: int) -> None:
    from sqlalchemy import select

    from mediation_desk.models import DisputeType, Role
    from mediation_desk.readmodels.publicity import Month
    from mediation_desk.readmodels.statistics import Figures
    from mediation_desk.services import pages, publicity, statistics
    from mediation_desk.services.actor import Actor

    head = Actor(user_id=None, username="head", display_name="主任", role=Role.HEAD)

    def read(fn: Callable[[Any], object]) -> Callable[[], object]:
        def run() -> object:
            with db.read() as session:
                return fn(session)
        return run

    floor = read(lambda s: s.execute(select(DisputeType.id).limit(1)).all())
    print("-- the desk's reads (the head)")
    due = read(lambda s: pages.desk_page(s, head, today, lists=False))
    page = due()
    assert isinstance(page, pages.DeskPage)
    _line(f"due list + overdue count ({len(page.due or ())} rows, {page.overdue:,} overdue)",
          *_median_pair(due, floor, runs), BUDGETS_MS["panel"])
    lists = read(lambda s: pages.desk_lists(s, head))
    got = lists()
    assert isinstance(got, pages.DeskLists)
    _line(f"orders + diversions ({got.awaiting_count:,}) + audit head", *_median_pair(lists, floor, runs),
          BUDGETS_MS["panel"])
    visits = read(lambda s: pages.visits_due_page(s, head, today))
    due_visits = visits()
    assert isinstance(due_visits, pages.DueVisitsPage)
    _line(f"visits due ({due_visits.overdue_count:,} overdue, {due_visits.soon_count:,} soon)",
          *_median_pair(visits, floor, runs), BUDGETS_MS["panel"])

    month = Month(today.year, today.month).previous()
    print(f"-- the publicity list of {month.key} (the first {publicity.FIRST_ROWS} rows paint; the rest follow "
          f"{publicity.PAGE_ROWS} a read)")
    first = read(lambda s: publicity.first_page(s, month))
    shown = first()
    assert isinstance(shown, publicity.FirstPage)
    _line(f"first page ({len(shown.first.rows):,} of {shown.listed.total:,} rows)",
          *_median_pair(first, floor, runs), BUDGETS_MS["publicity"])
    from mediation_desk.ui.desk.publicity import PublicityRowsModel

    model = PublicityRowsModel()

    def fill() -> None:
        model.set_list(shown.first.rows, shown.first.changed_case_ids)

    _line("first page into the table model", *_median_pair(fill, floor, runs), BUDGETS_MS["publicity"])
    middle = read(lambda s: publicity.rows_page(s, shown.listed, shown.listed.total // 2))
    _line("a later page (each read on its own)", *_median_pair(middle, floor, runs), BUDGETS_MS["publicity"])
    started = time.perf_counter()
    with db.read() as session:
        offset = len(shown.first.rows)
        while offset < shown.listed.total:
            offset += len(publicity.rows_page(session, shown.listed, offset).rows)
    print(f"  {'all the pages after the first, one after another':<44} {time.perf_counter() - started:8.1f} s "
          "(in the background; other reads run between them)")

    print("-- the dashboard (statistics.figures; whole months from the monthly counts)")
    last_month_end = date(today.year, today.month, 1) - timedelta(days=1)
    quarter_end_month = (today.month - 1) // 3 * 3
    quarter_end = (date(today.year, quarter_end_month + 1, 1) - timedelta(days=1)) if quarter_end_month else \
        date(today.year - 1, 12, 31)
    periods = {
        f"month {last_month_end:%Y-%m}": (last_month_end.replace(day=1), last_month_end),
        f"quarter ending {quarter_end:%Y-%m}": (date(quarter_end.year, quarter_end.month - 2, 1), quarter_end),
        f"year {today.year}": (date(today.year, 1, 1), date(today.year, 12, 31)),
        f"12 months to {last_month_end:%Y-%m}": (date(last_month_end.year - 1, last_month_end.month % 12 + 1, 1)
                                                 if last_month_end.month < 12 else date(last_month_end.year, 1, 1),
                                                 last_month_end),
    }
    for name, (start, end) in periods.items():
        def figures(a: date = start, b: date = end) -> Figures:
            with db.read() as session:
                return statistics.figures(session, head, a, b, today=today)

        figs = figures()
        _line(f"{name} ({figs.received.count:,} received)", *_median_pair(figures, floor, runs),
              BUDGETS_MS["dashboard"])
    for name, (start, end) in list(periods.items())[:3]:
        def direct(a: date = start, b: date = end) -> object:
            with db.read() as session:
                return statistics._counts_from_rows(session, a, b, today)

        ms, floor_ms, cpu = _median_pair(direct, floor, 3)
        print(f"  {'(from the rows: ' + name + ')':<44} {ms:8.1f} ms  (CPU {cpu:7.1f}; floor {floor_ms:5.1f} ms)")


def first_screen(db: Any, runs: int) -> None:
    from PySide6.QtCore import QElapsedTimer, QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    from mediation_desk import demo
    from mediation_desk.services import auth
    from mediation_desk.ui.common.tasks import TaskRunner
    from mediation_desk.ui.desk.desk import DeskPanel
    from mediation_desk.ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    clock = QElapsedTimer()

    class Painted(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.at: float | None = None
            self.cpu_from = time.thread_time()
            self.cpu: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.at is None:
                self.at = clock.nsecsElapsed() / 1e6
                self.cpu = (time.thread_time() - self.cpu_from) * 1000
            return False

    def wait(done: Callable[[], bool], seconds: float = 60) -> None:
        deadline = time.perf_counter() + seconds
        while not done() and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)

    def floor() -> float:
        window = QMainWindow()
        window.setCentralWidget(QTableView())
        painted = Painted()
        window.installEventFilter(painted)
        clock.restart()
        window.show()
        wait(lambda: painted.at is not None)
        window.close()
        window.deleteLater()
        app.processEvents()
        assert painted.at is not None
        return painted.at

    runner = TaskRunner(db)
    actor = auth.login(db, "head", demo.DEMO_PASSWORD)
    runner.actor = actor
    results: dict[str, list[float]] = {"floor": [], "paint": [], "cpu": [], "due": [], "lists": [], "visits": [],
                                       "gui": []}
    for index in range(runs + 1):
        floor_ms = floor()
        marks: dict[str, float] = {}
        painted = Painted()
        clock.restart()
        gui_from = time.thread_time()
        window = MainWindow(runner, actor, "张掖市甘州区矛盾纠纷调处中心")
        desk = window.sections["desk"]
        assert isinstance(desk, DeskPanel)

        def mark(key: str, at: dict[str, float] = marks) -> Callable[[], None]:
            return lambda: None if key in at else at.__setitem__(key, clock.nsecsElapsed() / 1e6)

        desk.loaded.connect(mark("due"))
        desk.lists_loaded.connect(mark("lists"))
        desk.visits_panel.loaded.connect(mark("visits"))
        window.installEventFilter(painted)
        window.show()
        def shown(at: dict[str, float] = marks, paint: Painted = painted) -> bool:
            return paint.at is not None and {"due", "lists", "visits"} <= at.keys()

        wait(shown)
        gui_cpu = (time.thread_time() - gui_from) * 1000
        if index:  # the first round warms the caches, as a desk that has been open a while
            results["floor"].append(floor_ms)
            results["paint"].append(painted.at or float("nan"))
            results["cpu"].append(painted.cpu or float("nan"))
            results["gui"].append(gui_cpu)
            for key in ("due", "lists", "visits"):
                results[key].append(marks.get(key, float("nan")))
        window.close()
        window.deleteLater()
        drain(runner, wait)
    median = {k: stats.median(v) for k, v in results.items()}
    print("-- the head's first screen (login accepted → …; medians of "
          f"{runs}; floor: a bare window with an empty table, first paint {median['floor']:.1f} ms)")
    print(f"  first paint of the main window              {median['paint']:8.1f} ms  "
          f"(GUI thread CPU {median['cpu']:.1f} ms; {median['paint'] / median['floor']:.1f}× the floor)  "
          f"budget ≤ {BUDGETS_MS['paint']:g} ms  "
          f"{_verdict(median['paint'], BUDGETS_MS['paint'])}")
    for key, label in (("due", "due list shown"), ("lists", "orders and diversions shown"),
                       ("visits", "visits due shown")):
        after = median[key] - median["paint"]
        print(f"  {label:<44} {median[key]:8.1f} ms  ({after:+.1f} ms after the first paint)")
    print(f"  GUI thread CPU, window made → all three shown {median['gui']:6.1f} ms  (the panels' rows set "
          "and painted as they come; the reads on the worker lanes not counted)")


def drain(runner: Any, wait: Callable[[Callable[[], bool], float], None]) -> None:
    """Wait until every read queued so far has answered (the read lane is serial)."""
    drained: list[bool] = []
    runner.run_read(lambda _session: None, on_success=lambda _none: drained.append(True))
    wait(lambda: bool(drained), 60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=DATABASE)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-ui", action="store_true")
    parser.add_argument("--ui-only", action="store_true", help="only the first screen")
    parser.add_argument("--today", type=date.fromisoformat, help="the day the desk is read on "
                        "(default: the day of the last case received)")
    args = parser.parse_args()
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.database.parent / "home"))

    from mediation_desk.db import Database, upgrade

    if not args.database.exists():
        _copy(args.source, args.database)
    db = Database(f"sqlite:///{args.database}", create=False)
    started = time.perf_counter()
    report = upgrade(db, backup=False)
    if report.changed:
        print(f"upgraded {report.from_revision} → {report.to_revision} in {time.perf_counter() - started:.1f} s "
              "(migration 0021 fills the monthly counts)")
    from sqlalchemy import text

    with db.read() as session:
        last = session.execute(text("SELECT max(received_at) FROM dispute_case")).scalar()
        cases = session.execute(text("SELECT count(*) FROM dispute_case")).scalar()
    today = args.today or (last if isinstance(last, datetime) else datetime.fromisoformat(str(last))).date()
    print(f"{cases:,} cases; today {today}; load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f} on {os.cpu_count()} CPUs")
    try:
        if not args.ui_only:
            services(db, today, args.runs)
        if not args.skip_ui:
            first_screen(db, max(3, args.runs // 2))
    finally:
        db.dispose()
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
