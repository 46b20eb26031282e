"""风险研判 as a head waits for it: from the tab's read asked for to its first page painted, and to the
whole briefing shown, for this checkout and another (``--baseline``), run alternately.

Each round starts one process per checkout (``PYTHONPATH`` set to it; offscreen Qt, the real
``BriefingView`` on a threaded ``TaskRunner``, as the app runs it). A process signs in as ``--user``,
shows the tab once to warm up (imports, the file's pages), then ``--views`` times makes a new tab and
shows it (which asks for the month's briefing) and notes:

- *first page*: the first paint of the 总体情况 table once its caption names the month (the overview's
  figures are there: with the briefing in steps that is its first part, before, the whole briefing);
- *all shown*: the tab's ``loaded`` signal (every part handed to the pages);
- each later part shown (hot spots, repeats, graded list): the tab done with the part the read sent
  (its page filled);
- the process's CPU time at both (the slow lane's read and the GUI thread's work);

then times ``services.briefing.load`` alone (the PDF's and the command line's read: its CPU).
Medians per checkout; the load average before and after each process. Nothing is written to the
database but the sign-in's records: give it a copy (``--database``).

    .venv/bin/python bench/briefing_steps.py --database COPY.sqlite --baseline /work/main [--rounds 3]
        [--views 3] [--user head] [--month 2026-11] [--today 2026-12-06]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from timing import alternate_children, loadavg, median_of  # bench/ is not a package: the script's folder is on the path

HERE = Path(__file__).resolve()
#: The parts after the first page, as the tab's pages hold them.
PARTS = ("spots", "repeats", "grades")
ROOT = HERE.parent.parent


def child(args: argparse.Namespace) -> None:
    """One checkout's measures, as JSON lines on stdout."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from timing import use_memory_keyring  # bench/ is not a package: the script's folder is on the path

    use_memory_keyring()
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from mediation_desk import demo
    from mediation_desk.db import Database
    from mediation_desk.services import auth, briefing
    from mediation_desk.ui.common.i18n import register_fonts
    from mediation_desk.ui.common.tasks import TaskRunner
    from mediation_desk.ui.desk.briefing import BriefingView

    app = QApplication([])
    register_fonts(app)
    db = Database(f"sqlite:///{args.database}")
    head = auth.login(db, args.user, demo.DEMO_PASSWORD)
    runner = TaskRunner(db)
    today = date.fromisoformat(args.today)
    first = date.fromisoformat(f"{args.month}-01")
    month_text = f"{first.year}年{first.month}月"

    class Marks(QObject):
        def __init__(self, view: BriefingView) -> None:
            super().__init__()
            self.view = view
            self.start = (time.perf_counter(), time.process_time())
            self.first: tuple[float, float] | None = None
            self.whole: tuple[float, float] | None = None
            #: Each part's kind → when the tab had shown it (after the tab's own slot).
            self.parts: dict[str, tuple[float, float]] = {}
            view.overview_table.viewport().installEventFilter(self)
            view.loaded.connect(self.loaded)
            view._part_read.connect(self.part)

        def part(self, message: object) -> None:
            if isinstance(message, tuple) and len(message) == 2:
                name = type(message[1]).__name__.removeprefix("Briefing").lower()
                self.parts.setdefault(name, (time.perf_counter(), time.process_time()))

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.first is None and month_text in self.view.caption.text():
                self.first = (time.perf_counter(), time.process_time())
            return False

        def loaded(self, _got: object) -> None:
            self.whole = (time.perf_counter(), time.process_time())

    def one() -> Marks:
        view = BriefingView(runner, head, today=lambda: today)
        view.resize(1366, 700)
        view.set_month(args.month)
        marks = Marks(view)
        view.show()  # the tab comes into sight: its first read
        loop = QEventLoop()
        view.loaded.connect(lambda _got: QTimer.singleShot(0, loop.quit))
        QTimer.singleShot(600_000, loop.quit)
        loop.exec()
        app.processEvents()
        view.close()
        view.deleteLater()
        app.processEvents()
        return marks

    one()  # warm-up
    for _ in range(args.views):
        before = loadavg()
        marks = one()
        assert marks.first is not None and marks.whole is not None
        shown = {f"{name}_{unit}": (at[n] - marks.start[n]) * 1000
                 for name, at in marks.parts.items() if name in PARTS for n, unit in enumerate(("ms", "cpu"))}
        print(json.dumps({
            "first_ms": (marks.first[0] - marks.start[0]) * 1000, "first_cpu": (marks.first[1] - marks.start[1]) * 1000,
            **shown,
            "whole_ms": (marks.whole[0] - marks.start[0]) * 1000, "whole_cpu": (marks.whole[1] - marks.start[1]) * 1000,
            "load": f"{before} → {loadavg()}"}), flush=True)
    for _ in range(args.views):
        wall, cpu = time.perf_counter(), time.process_time()
        with db.read() as session:
            got = briefing.load(session, head, args.month, today=today)
        _ = got.graded_ids, got.adjusted_count
        print(json.dumps({"load_ms": (time.perf_counter() - wall) * 1000,
                          "load_cpu": (time.process_time() - cpu) * 1000, "graded": len(got.cases)}), flush=True)
    runner.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, required=True, help="a copy of a demo (the sign-in writes to it)")
    parser.add_argument("--baseline", type=Path, help="another checkout, run alternately with this one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--views", type=int, default=3, help="tabs shown per process")
    parser.add_argument("--user", default="head")
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--today", default="2026-12-06")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    checkouts = [("this", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    found = alternate_children(HERE, checkouts, args.rounds,
                               ["--database", str(args.database), "--views", str(args.views), "--user", args.user,
                                "--month", args.month, "--today", args.today], env={"QT_QPA_PLATFORM": "offscreen"})
    if found is None:
        return 1
    print(f"\nmedians ({args.user}, {args.month}, {args.database.name}); load now {loadavg()}")
    for name, rows in found.items():
        def median(key: str, got: list[dict[str, Any]] = rows) -> float:
            return median_of(got, key)

        print(f"  {name:<9} first page painted {median('first_ms'):8.0f} ms (CPU {median('first_cpu'):6.0f}); "
              + "".join(f"{part} shown {median(f'{part}_ms'):8.0f} ms (CPU {median(f'{part}_cpu'):6.0f}); "
                        for part in PARTS)
              + f"all shown {median('whole_ms'):8.0f} ms (CPU {median('whole_cpu'):6.0f}); "
              f"briefing.load {median('load_ms'):8.0f} ms (CPU {median('load_cpu'):6.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
