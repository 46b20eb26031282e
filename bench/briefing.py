"""The 风险研判 tab on a demo county (issue 23 item 4, docs/briefing.md): what each part costs.

Builds (or reuses) a SQLite demo county with ``demo.seed`` — ``--cases`` at the county center and
``--township-cases`` at each of its two townships, as of 3 December 2026 — and times, for the
county head and November 2026 (median and worst of ``--repeat`` runs, wall and CPU):

- ``services.briefing.load`` (the slow read lane), beside the dashboard's figures of the same month
  (``statistics.figures``, what the 统计概览 tab reads) and a floor (``SELECT 1`` in a new session);
- ``BriefingView.show_briefing``: what the GUI thread does with the briefing (the models, 200 rows at a
  time, and the chart), offscreen; budget ≤ 50 ms so the window never stalls;
- ``documents.briefing.render_pdf`` (the slow lane, behind 导出PDF…);
- ``services.briefing.set_grade`` (the write lane, 调整分级…): one case's checks, the grade, the audit.

The machine is shared: ``uptime`` is printed before and after; compare CPU times.

    .venv/bin/python bench/briefing.py [--cases 4000] [--township-cases 1500] [--repeat 5] [--database PATH] [--no-pdf]
"""

from __future__ import annotations

import argparse
import os
import statistics as stats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MONTH = "2026-11"
TODAY = date(2026, 12, 3)
BUDGET_GUI_MS = 50.0


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def timed(label: str, work: Callable[[], Any], repeat: int, budget: float | None = None) -> Any:
    walls: list[float] = []
    cpus: list[float] = []
    result: Any = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    verdict = ""
    if budget is not None:
        verdict = f"  (budget ≤ {budget:.0f} ms: {'within' if stats.median(walls) <= budget else 'OVER'})"
    print(f"{label:<58} wall median {stats.median(walls):8.1f} ms, worst {max(walls):8.1f} ms; "
          f"CPU median {stats.median(cpus):8.1f} ms{verdict}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=4000)
    parser.add_argument("--township-cases", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", type=Path, help="a SQLite file to build, or reuse if it exists")
    parser.add_argument("--no-pdf", action="store_true",
                        help="skip render_pdf (the 1M demo's 283,757-case list: tens of minutes)")
    args = parser.parse_args()

    from timing import use_memory_keyring  # bench/ is not a package: the script's folder is on the path

    use_memory_keyring()
    from sqlalchemy import text

    from mediation_desk import demo
    from mediation_desk.db import Database, upgrade
    from mediation_desk.services import auth, briefing, reference, statistics

    print("before:", _uptime())
    path = args.database or Path(tempfile.mkdtemp(prefix="md-briefing-bench-")) / "county.sqlite3"
    if not path.exists():
        db = Database(f"sqlite:///{path}")
        upgrade(db, backup=False)
        started = time.perf_counter()
        with db.write() as session:
            reference.ensure_dispute_types(session)
            demo.seed(session, args.cases, today=datetime(2026, 12, 3, 17, 0), township_cases=args.township_cases)
        print(f"built {path} in {time.perf_counter() - started:.1f} s")
        db.dispose()
    db = Database(f"sqlite:///{path}")
    head = auth.login(db, "head", demo.DEMO_PASSWORD)

    def load() -> Any:
        with db.read() as session:
            got = briefing.load(session, head, MONTH, today=TODAY)
        # What the tab's slow lane makes besides (ui/desk/briefing.py refresh): the ids by grade.
        _ = got.graded_ids, got.adjusted_count
        return got

    def dashboard() -> Any:
        start, end = statistics.month_period(MONTH)
        with db.read() as session:
            return statistics.figures(session, head, start, end, today=TODAY)

    def floor() -> Any:
        with db.read() as session:
            return session.scalar(text("SELECT 1"))

    timed("floor: SELECT 1 in a new session", floor, args.repeat)
    timed("reference: the dashboard's figures of the month", dashboard, args.repeat)
    got = timed("briefing.load (slow read lane)", load, args.repeat)
    print(f"    {got.received.value} cases received, {len(got.spots)} hot spots, {len(got.cases)} graded, "
          f"{len(got.repeat_parties)} repeat parties, {len(got.repeat_places)} repeat places")

    # set_grade runs in the write lane: it reads the one case (not the whole briefing, twice, as it
    # did: about two briefing.load above), then deletes/adds the grade and audits it.
    target = got.cases[0]
    grades = [level for level in type(target.proposed) if level is not target.proposed]

    def set_grade() -> Any:
        with db.write() as session:
            return briefing.set_grade(session, head, target.case_id, MONTH, grades[0], "会商后调整（基准测试）",
                                      today=TODAY)

    timed("briefing.set_grade (write lane, one write transaction)", set_grade, args.repeat)

    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from mediation_desk.ui.common.i18n import register_fonts
    from mediation_desk.ui.common.tasks import TaskRunner
    from mediation_desk.ui.desk.briefing import BriefingView

    register_fonts(app)
    runner = TaskRunner(db, synchronous=True)
    view = BriefingView(runner, head, today=lambda: TODAY)
    view.resize(1366, 700)

    def show() -> None:
        view.briefing = None
        view.show_briefing(got)

    timed("BriefingView.show_briefing (GUI thread)", show, args.repeat, BUDGET_GUI_MS)
    from mediation_desk.documents import briefing as document

    if not args.no_pdf:
        data = timed("documents.briefing.render_pdf (slow lane)", lambda: document.render_pdf(got),
                     max(1, min(args.repeat, 3)))
        print(f"    {len(data) / 1024:.0f} KiB")
    runner.shutdown()
    print("after: ", _uptime())
    return 0


if __name__ == "__main__":
    sys.exit(main())
