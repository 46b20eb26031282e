"""风险研判 in the head's window as the walk makes it (``bench/screens.py``: the real ``MainWindow`` on a
threaded ``TaskRunner``, signed in, 统计 shown first), then read again ``--refreshes`` times in the same
process, with where the CPU went: the process's, the GUI thread's, the slow lane's job (its thread's
CPU) and Python's cyclic collector (passes by generation, their wall and CPU on the GUI thread).

The walk's own figure for the tab (``screens.py --only '统计|风险研判'``) is one opening per process;
this one is several, with the collector's share, for comparing checkouts alternately:

    .venv/bin/python bench/briefing_walk.py --copy /work/bench-data/NAME/demo-1m.sqlite [--users head]
        [--refreshes 2] [--passes]

``--passes`` prints each collector pass over 3 ms of CPU with the place the slow lane's job was at.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import screens  # noqa: E402  # bench/ is not a package: the script's folder is on the path

#: (generation, wall ms, CPU ms) of each pass since the step began.
PASSES: list[tuple[int, float, float]] = []
#: (what, CPU ms on its thread) of each job the runner ran since the step began.
JOBS: list[tuple[str, float]] = []
_began: list[float] = []
_where: list[str] = []


def _lane_place() -> str:
    """Where a thread other than the GUI thread is in our code (the slow lane's job)."""
    gui = threading.main_thread().ident
    for ident, frame in sys._current_frames().items():
        if ident == gui:
            continue
        places: list[str] = []
        at: Any = frame
        while at is not None and len(places) < 3:
            if "mediation_desk" in at.f_code.co_filename:
                places.append(f"{at.f_code.co_name}:{at.f_lineno}")
            at = at.f_back
        if places:
            return " < ".join(places)
    return "—"


def _collector(log_passes: bool, phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _where[:] = [_lane_place()] if log_passes else []
        _began[:] = [time.perf_counter(), time.thread_time()]
        return
    wall, cpu = (time.perf_counter() - _began[0]) * 1000, (time.thread_time() - _began[1]) * 1000
    PASSES.append((info["generation"], wall, cpu))
    if log_passes and cpu > 3:
        print(f"      pass of generation {info['generation']}: {wall:.1f} ms (CPU {cpu:.1f}), collected "
              f"{info['collected']}; the lane at {_where[0] if _where else '—'}", flush=True)


def walk(refreshes: int, walker: Any, db: Any, username: str, shown: Any) -> None:
    from PySide6.QtWidgets import QTabWidget

    from mediation_desk.ui.desk.briefing import BriefingView

    signed = screens.sign_in(walker, db, username, shown)
    execute = signed.runner._execute

    def executed(handle: Any, job: Any, what: str = "") -> Any:
        began = time.thread_time()
        try:
            return execute(handle, job, what)
        finally:
            JOBS.append((what, (time.thread_time() - began) * 1000))

    signed.runner._execute = executed
    tabs = signed.window.tabs
    walker.only = None

    def step(name: str, action: Any) -> None:
        PASSES.clear()
        JOBS.clear()
        walker.step(name, action)
        s = walker.steps[-1]
        gens = "; ".join(f"generation {g}: {len(ones)} × {sum(p[1] for p in ones):.0f} ms "
                         f"(CPU {sum(p[2] for p in ones):.0f})"
                         for g in (0, 1, 2) for ones in ([p for p in PASSES if p[0] == g],))
        print(f"    {username} {name}: data {s.data_ms:.0f} ms, CPU {s.cpu_ms:.0f} (GUI thread {s.gui_cpu_ms:.0f}, "
              f"jobs {sum(c for _, c in JOBS):.0f}); collector {gens}; load {os.getloadavg()[0]:.2f}", flush=True)

    statistics = next(i for i in range(tabs.count()) if screens.tab_title(tabs, i) == "统计")
    step("统计", partial(tabs.setCurrentIndex, statistics))
    section = tabs.widget(statistics)
    pages = next(t for t in ([section] if isinstance(section, QTabWidget) else []) + section.findChildren(QTabWidget)
                 if any(screens.tab_title(t, i) == "风险研判" for i in range(t.count())))
    step("风险研判", partial(pages.setCurrentIndex,
                         next(i for i in range(pages.count()) if screens.tab_title(pages, i) == "风险研判")))
    view = section.findChild(BriefingView)
    for n in range(refreshes):
        step(f"风险研判 again ({n + 1})", view.refresh)
    screens.sign_out(walker, signed)


def main() -> int:
    parser = screens.arguments(__doc__, users=("head",))
    parser.add_argument("--refreshes", type=int, default=2, help="reads of the tab after its first")
    parser.add_argument("--passes", action="store_true", help="each collector pass over 3 ms of CPU")
    args = parser.parse_args()
    gc.callbacks.append(partial(_collector, args.passes))
    return screens.run(args, partial(walk, args.refreshes))


if __name__ == "__main__":
    sys.exit(main())
