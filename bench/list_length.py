"""The case list's length on the GUI thread: what showing a list of a million cases costs the window
once its count arrives (issue 20; the 1M walk's 案件 stalled 148 ms in the count's callback, Qt's
store grown to every row), and the process's memory with it shown.

Opens the real case list (``CaseListView`` with a threaded ``TaskRunner``, offscreen, the app's
fonts and Chinese texts) as a demo user on a copy of the 1,000,000-case demo, and for the list as
it opens, then for filter changes that bring a long list back (a state chosen, then 全部 again),
until every lane is idle, prints:

* **count → grown**: the GUI thread's time in the count's callback (``CaseListModel._counted``: the
  list grows to its length), wall and CPU;
* **stall**: the longest the GUI thread left a 5 ms heartbeat timer unanswered meanwhile;
* **GUI CPU**: the GUI thread's CPU time from the step's start until idle;
* **RSS**: the process's resident memory before the view is made, and with the list shown (after
  each step), from ``/proc/self/status``;

and last the GUI thread's CPU for a repaint of a screen of rows at the top and, after Ctrl+End,
at the end of the list.

It touches only what every version of the list has (``_counted``, ``total``, ``loading``), so it
measures another checkout's code as well: ``PYTHONPATH=OTHER python bench/list_length.py …``
(alternate the two for a comparison on a loaded machine).

    .venv/bin/python bench/list_length.py --copy /work/bench-data/NAME/demo.sqlite [--user clerk]
        [--rounds 2]

The copy is opened as it is (copy and upgrade it first, e.g. with ``bench/search_ui.py --copy``);
the list's reads write audit entries into it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path and not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(HERE.parent))


def loadavg() -> str:
    return Path("/proc/loadavg").read_text(encoding="ascii").strip()


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copy", type=Path, required=True, help="an upgraded private copy of the demo")
    parser.add_argument("--user", default="clerk")
    parser.add_argument("--rounds", type=int, default=2, help="filter changes there and back")
    args = parser.parse_args()
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.copy.parent / "home"))
    os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from mediation_desk.db import Database
    from mediation_desk.demo import DEMO_PASSWORD
    from mediation_desk.services import auth
    from mediation_desk.ui.cases import list_model
    from mediation_desk.ui.cases.list_view import CaseListView
    from mediation_desk.ui.common.i18n import install_translators, register_fonts
    from mediation_desk.ui.common.tasks import TaskRunner

    app = QApplication(sys.argv[:1])
    register_fonts(app)
    translators = install_translators(app, "zh_CN")
    db = Database(f"sqlite:///{args.copy}", create=False)
    actor = auth.login(db, args.user, DEMO_PASSWORD)
    runner = TaskRunner(db)
    runner.actor = actor

    grown: list[tuple[float, float]] = []
    counted = list_model.CaseListModel._counted

    def timed_counted(self: Any, *a: Any, **k: Any) -> None:
        w, c = time.perf_counter(), time.thread_time()
        counted(self, *a, **k)
        grown.append(((time.perf_counter() - w) * 1000, (time.thread_time() - c) * 1000))

    list_model.CaseListModel._counted = timed_counted  # type: ignore[method-assign]

    beat: dict[str, float] = {"last": time.perf_counter(), "worst": 0.0}

    def heartbeat() -> None:
        now = time.perf_counter()
        beat["worst"] = max(beat["worst"], now - beat["last"])
        beat["last"] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(heartbeat)
    timer.start()

    def idle(view: Any) -> None:
        deadline = time.perf_counter() + 120
        quiet = 0
        while time.perf_counter() < deadline and quiet < 20:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            busy = runner.pending or (view is not None and view.model.loading)
            quiet = 0 if busy else quiet + 1
            time.sleep(0.002)

    def step(label: str, action: Any, view: Any = None) -> Any:
        grown.clear()
        beat["last"], beat["worst"] = time.perf_counter(), 0.0
        cpu0 = time.thread_time()
        made = action()
        idle(view or made)
        cpu = (time.thread_time() - cpu0) * 1000
        model = (view or made).model
        count = " + ".join(f"{w:.1f} / {c:.1f}" for w, c in grown) or "—"
        print(f"{label:28s} rows {model.total:>9,}  count → grown (wall / CPU ms) {count:>16s}  "
              f"stall {beat['worst'] * 1000:6.1f} ms  GUI CPU {cpu:6.1f} ms  RSS {rss_mib():7.1f} MiB", flush=True)
        return made

    idle(None)
    print(f"user {args.user}, {args.copy.name}; load {loadavg()}")
    print(f"{'before the list':28s} RSS {rss_mib():7.1f} MiB")

    def make() -> Any:
        view = CaseListView(runner, actor)
        view.resize(1280, 640)
        view.show()
        return view

    view = step("the list opens", make)
    combo = view.state_combo
    for _round in range(args.rounds):
        step(f"state: {combo.itemText(1)}", lambda: combo.setCurrentIndex(1), view)
        step("state: back to all", lambda: combo.setCurrentIndex(0), view)
    # A screen's repaint at the top of the list, and at its end (Ctrl+End: the last case).
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    table = view.table

    def repaint_ms() -> float:
        cpu0 = time.thread_time()
        for _ in range(20):
            table.viewport().repaint()
        return (time.thread_time() - cpu0) * 1000 / 20

    top = repaint_ms()
    table.setFocus()
    step("Ctrl+End", lambda: QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier), view)
    print(f"a screen's repaint (GUI CPU ms): top {top:.2f}, end {repaint_ms():.2f}")
    print(f"load after: {loadavg()}")
    timer.stop()
    view.close()
    runner.shutdown()
    db.dispose()
    del translators
    return 0


if __name__ == "__main__":
    sys.exit(main())
