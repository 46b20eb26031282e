"""Walking the app on the 1,000,000-case demo (issue 20.3): every section, tab and sub-page a person
reaches by the tabs, as the head, a clerk, a mediator and a township head, timed from the click to
the screen showing its data, with the longest stretch the GUI thread was blocked meanwhile.

On a private copy of the demo (``--copy``, made once from ``--source`` and upgraded to this code's
schema, as ``bench/search_ui.py`` does), for each user: sign in through ``services.auth``, make the
real ``MainWindow`` with a real threaded ``TaskRunner`` (its read lanes and writer), show it, then
one after another (each started only once the runner is idle again):

* every section of the window (its tab made current, as a click does), then every tab of every tab
  widget inside it (the statistics pages, the cards, the subsidies …);
* in each case section: each filter (state, type, team, "mine", the received-from date) set to its
  first choice, a sort by another column, then a big case (the most timeline entries the user may
  read) and an ordinary one (the list's first row) opened, and every tab of the case page;
* on the registration form: a type-ahead choice typed (``ld``);
* on the publicity list (公示): Ctrl+End to its last rows, then Ctrl+Home.

For each step: **first answer** (ms from the click to the first read answered and the events after
it processed — its paint), **data** (to the last read answered and painted: the screen shows its
data; a list read page after page in the background counts to its last page), **stall** (the
longest the GUI thread did not answer a 10 ms heartbeat timer, the click's own work included: a
frozen window), **GUI CPU** (the GUI thread's CPU time) and **CPU** (the whole process's, the
read threads included). Steps still reading after ``--timeout`` s are marked TIMEOUT. The table is
sorted by stall, then by data; budgets: a screen's data ≤ 300 ms, a list or panel ≤ 100 ms or after
the first paint without holding anything up, no stall a person would notice (> 100 ms).

    .venv/bin/python bench/screens.py [--source /work/bench-data/search/demo-1m.sqlite]
        [--copy /work/bench-data/walk-1m/demo-1m.sqlite] [--users head,clerk,mediator,ljd_head]
        [--only TEXT] [--timeout 120] [--quiet 0.3] [--sample]

``--sample``: a thread reads the GUI thread's frame and CPU clock every 2 ms; each slow step then
lists its longest heartbeat gaps with the process's and the GUI thread's CPU in each and where the
GUI thread was: its own work (GUI CPU ≈ the gap), waiting for Python's lock while another thread
of the process ran (process CPU ≈ the gap), or the process waiting for a core (both ≪ the gap).

The login and the list reads write audit entries into the copy (never into the source).
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from search_ui import open_database  # noqa: E402  # upgraded to this code's schema when behind

SOURCE = Path("/work/bench-data/search/demo-1m.sqlite")
COPY = Path("/work/bench-data/walk-1m/demo-1m.sqlite")
USERS = ("head", "clerk", "mediator", "ljd_head")
HEARTBEAT_MS = 10
#: After the last answer, this long with nothing pending before a step counts as done (a screen
#: may start its next read from a timer: the panels' 250 ms, the search box's 300 ms). ``--quiet``
#: shortens it where only the walk matters, not the figures (the test of this bench).
QUIET_S = 0.3
#: Owned by other helpers (listed, not fixed here).
ELSEWHERE = ("Risk briefing", "风险研判", "Table by level", "分级情况表")


@dataclass
class Step:
    user: str
    screen: str
    first_ms: float | None
    data_ms: float
    stall_ms: float
    gui_cpu_ms: float
    cpu_ms: float
    answers: int
    timed_out: bool
    #: The longest pass of Python's cyclic garbage collector in the step (it holds Python's lock:
    #: every thread, the GUI's included, waits for it), and how many passes there were.
    gc_ms: float
    gc_passes: int
    #: The full passes (the oldest generation's: they walk every object in the collector's
    #: sight) and the longest of them.
    gc_full: int
    gc_full_ms: float
    #: The slowest reads and writes of the step (ms on their thread, what ran) and the slowest
    #: callbacks on the GUI thread (ms, which): where its time went.
    jobs: list[tuple[float, str]]
    callbacks: list[tuple[float, str]]
    #: With ``--sample``: the longest heartbeat gaps (ms), each with the process's and the GUI
    #: thread's CPU in it (ms) and where the sampler found the GUI thread (commonest first).
    gaps: list[tuple[float, float, float, list[tuple[int, str]]]] = field(default_factory=list)


#: The sampler's period (s) and the gaps it explains per step.
SAMPLE_S = 0.002
SAMPLED_GAPS = 3


class Sampler:
    """Where the GUI thread is, every ``SAMPLE_S``: a thread reading its frame
    (``sys._current_frames``) and its CPU clock (``pthread_getcpuclockid``). A heartbeat gap in
    which the GUI thread's CPU grew by about the gap's length was its own work (the places say
    which); one in which it did not was the thread waiting — for Python's lock held by another
    thread, or for a core (the machine's load). Sampling itself takes the lock for a moment."""

    def __init__(self) -> None:
        self.gui = threading.main_thread().ident or 0
        self.clock = time.pthread_getcpuclockid(self.gui)
        self.samples: collections.deque[tuple[float, float, str]] = collections.deque(maxlen=200_000)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)
        self._thread.start()

    def _place(self) -> str:
        frame = sys._current_frames().get(self.gui)
        places: list[str] = []
        while frame is not None and len(places) < 3:
            code = frame.f_code
            if "site-packages" not in code.co_filename or not places:
                places.append(f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name}")
            frame = frame.f_back
        return " < ".join(places)

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self.samples.append((time.perf_counter(), time.clock_gettime(self.clock), self._place()))

    def explain(self, start: float, end: float) -> tuple[float, list[tuple[int, str]]]:
        """The GUI thread's CPU (ms) between the first and last samples in [start, end], and its
        commonest places then."""
        inside = [(cpu, place) for at, cpu, place in list(self.samples) if start <= at <= end]
        if len(inside) < 2:
            return 0.0, []
        return ((inside[-1][0] - inside[0][0]) * 1000,
                [(n, place) for place, n in collections.Counter(place for _, place in inside).most_common(3)])

    def stop(self) -> None:
        self._stop.set()


class Walker:
    def __init__(self, app: Any, timeout: float, only: str | None, sampler: Sampler | None = None,
                 quiet: float = QUIET_S) -> None:
        from PySide6.QtCore import QTimer

        self.app = app
        self.timeout = timeout
        self.quiet = quiet
        self.only = only
        self.steps: list[Step] = []
        self.runner: Any = None
        self.user = ""
        self._last_tick = time.perf_counter()
        self._worst_gap = 0.0
        self.sampler = sampler
        #: (seconds, from, to, the process's CPU in it, the GUI thread's CPU in it)
        self._gaps: list[tuple[float, float, float, float, float]] = []
        self._tick_cpu = (time.process_time(), time.thread_time())
        self.heartbeat = QTimer()
        self.heartbeat.setInterval(HEARTBEAT_MS)
        self.heartbeat.timeout.connect(self._tick)
        self.heartbeat.start()
        self._answers: list[float] = []
        self._jobs: list[tuple[float, str]] = []
        self._callbacks: list[tuple[float, str]] = []
        self._gc: list[tuple[float, int]] = []  # (ms, generation)
        self._gc_from = 0.0
        gc.callbacks.append(self._collector)

    def _collector(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_from = time.perf_counter()
        else:
            self._gc.append(((time.perf_counter() - self._gc_from) * 1000, info["generation"]))

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last_tick
        self._worst_gap = max(self._worst_gap, gap)
        if self.sampler is not None:
            cpu, gui = time.process_time(), time.thread_time()
            if gap > 0.04:
                self._gaps.append((gap, self._last_tick, now, cpu - self._tick_cpu[0], gui - self._tick_cpu[1]))
            self._tick_cpu = (cpu, gui)
        self._last_tick = now

    def attach(self, runner: Any, user: str) -> None:
        """Note the time each read or write is answered (its callbacks run on the GUI thread)."""
        self.runner, self.user = runner, user
        answer = runner._answer
        answers = self._answers

        def answered(outcome: Any) -> None:
            answer(outcome)
            answers.append(time.perf_counter())

        runner._answer = answered
        execute, call = runner._execute, runner._call
        jobs, callbacks = self._jobs, self._callbacks

        def executed(handle: Any, job: Any, what: str = "") -> Any:
            started = time.perf_counter()
            try:
                return execute(handle, job, what)
            finally:
                jobs.append(((time.perf_counter() - started) * 1000, f"{handle.lane.name.lower()}: {what}"))

        def called(callback: Any, value: Any, *rest: Any) -> None:
            started = time.perf_counter()
            try:
                call(callback, value, *rest)
            finally:
                name = getattr(callback, "__qualname__", None) or repr(callback)
                callbacks.append(((time.perf_counter() - started) * 1000, name))

        runner._execute, runner._call = executed, called

    def pump(self) -> None:
        from PySide6.QtCore import QEventLoop

        self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.001)

    def settle(self, seconds: float | None = None) -> bool:
        """Until nothing is pending for ``quiet`` seconds; False when the timeout came first."""
        deadline = time.perf_counter() + (seconds or self.timeout)
        quiet_from: float | None = None
        while time.perf_counter() < deadline:
            self.pump()
            now = time.perf_counter()
            if self.runner.pending:
                quiet_from = None
            elif quiet_from is None:
                quiet_from = now
            elif now - quiet_from >= self.quiet:
                return True
        return False

    def step(self, screen: str, action: Callable[[], object]) -> None:
        if self.only and not any(part in screen for part in self.only.split("|")):
            return
        self.settle()
        for _ in range(3):
            self.pump()
        self._answers.clear()
        self._jobs.clear()
        self._callbacks.clear()
        self._gc.clear()
        self._gaps.clear()
        started = time.perf_counter()
        cpu0, gui0 = time.process_time(), time.thread_time()
        self._last_tick, self._worst_gap = started, 0.0
        action()
        # The click's own work and the events it posted (the section's layout and first paint).
        self.pump()
        shown = time.perf_counter()
        finished = self.settle()
        last = self._answers[-1] if self._answers else None
        data = shown
        if last is not None:
            # The answer's callback, then the events it posted (the paint) are processed in the
            # pump right after it: the paint ends within that pump, at the latest when it returns.
            data = max(shown, last)
        self._tick()
        step = Step(
            user=self.user, screen=screen,
            first_ms=(self._answers[0] - started) * 1000 if self._answers else None,
            data_ms=(data - started) * 1000,
            stall_ms=max(0.0, (self._worst_gap * 1000) - HEARTBEAT_MS),
            gui_cpu_ms=(time.thread_time() - gui0) * 1000,
            cpu_ms=(time.process_time() - cpu0) * 1000,
            answers=len(self._answers), timed_out=not finished,
            gc_ms=max((ms for ms, _ in self._gc), default=0.0), gc_passes=len(self._gc),
            gc_full=sum(1 for _, generation in self._gc if generation == 2),
            gc_full_ms=max((ms for ms, generation in self._gc if generation == 2), default=0.0),
            jobs=sorted(self._jobs, reverse=True)[:3], callbacks=sorted(self._callbacks, reverse=True)[:3],
        )
        if self.sampler is not None:
            for gap, start, end, process_cpu, gui_cpu in sorted(self._gaps, reverse=True)[:SAMPLED_GAPS]:
                step.gaps.append((gap * 1000, process_cpu * 1000, gui_cpu * 1000,
                                  self.sampler.explain(start, end)[1]))
        self.steps.append(step)
        print(f"  {self.user:<9} {screen:<52} data {step.data_ms:9.1f} ms  stall {step.stall_ms:8.1f} ms"
              f"  GC: {step.gc_passes} passes, worst {step.gc_ms:.1f} ms; {step.gc_full} full, worst "
              f"{step.gc_full_ms:.1f} ms{'  TIMEOUT' if step.timed_out else ''}", flush=True)


def biggest_case(db: Any, actor: Any) -> int | None:
    """The case with the most timeline entries among those the user's case list shows (a
    mediator's: those they lead)."""
    from sqlalchemy import text

    from mediation_desk.models import Role

    with db.read() as session:
        if actor.role is Role.MEDIATOR and actor.mediator_id is not None:
            found = session.execute(text(
                "SELECT e.case_id FROM case_event e JOIN dispute_case c ON c.id = e.case_id "
                "WHERE c.lead_mediator_id = :m GROUP BY e.case_id ORDER BY count(*) DESC LIMIT 1"),
                {"m": actor.mediator_id}).scalar()
        else:
            found = session.execute(text(
            "SELECT e.case_id FROM case_event e JOIN dispute_case c ON c.id = e.case_id "
            "WHERE c.center_id = :c GROUP BY e.case_id ORDER BY count(*) DESC LIMIT 1"),
            {"c": actor.center_id}).scalar()
    return int(found) if found is not None else None


def tab_title(tabs: Any, index: int) -> str:
    return str(tabs.tabText(index)).replace("&", "")


def walk_tabs(walker: Walker, prefix: str, root: Any, skip: tuple[str, ...] = ("caseTabs",)) -> None:
    """Every tab (after the first, shown with its parent) of every tab widget inside ``root``."""
    from PySide6.QtWidgets import QTabWidget

    found = [root] if isinstance(root, QTabWidget) else []
    for tabs in found + root.findChildren(QTabWidget):
        if tabs.objectName() in skip or not tabs.isVisibleTo(root.window()):
            continue
        for index in range(1, tabs.count()):
            walker.step(f"{prefix} › {tab_title(tabs, index)}", partial(tabs.setCurrentIndex, index))
        tabs.setCurrentIndex(0)


def walk_case_section(walker: Walker, prefix: str, section: Any, big: int | None) -> None:
    from PySide6.QtCore import Qt

    view = section.list_view
    for name, combo in (("state", view.state_combo), ("type", view.type_combo), ("team", view.team_combo),
                        ("mine", view.mine_combo)):
        if not combo.isEnabled() or combo.isHidden() or combo.count() < 2:
            continue
        walker.step(f"{prefix} › filter {name}: {combo.itemText(1)}", partial(combo.setCurrentIndex, 1))
        walker.step(f"{prefix} › filter {name}: back to all", partial(combo.setCurrentIndex, 0))
    walker.step(f"{prefix} › filter received from", lambda: view.from_check.setChecked(True))
    walker.step(f"{prefix} › filter received from: off", lambda: view.from_check.setChecked(False))
    header = view.table.horizontalHeader()
    # Another sortable column than the list's own (received, newest first): the team, then back.
    from mediation_desk.ui.cases.list_model import CaseListModel

    for column, order in ((CaseListModel.COL_TEAM, Qt.SortOrder.AscendingOrder),
                          (CaseListModel.COL_RECEIVED, Qt.SortOrder.DescendingOrder)):
        walker.step(f"{prefix} › sort by {view.model.headerData(column, Qt.Orientation.Horizontal)}",
                    partial(header.setSortIndicator, column, order))
    # The list's first row, or its second when the first is the big case.
    shown = [view.model.case_id_at(row) for row in range(min(2, view.model.rowCount()))]
    ordinary = next((case for case in shown if case is not None and case != big), None)
    detail = section.detail_view
    for label, case_id in (("big case", big), ("ordinary case", ordinary)):
        if case_id is None:
            continue
        walker.step(f"{prefix} › {label} #{case_id}", partial(detail.open_case, case_id))
        for index in range(1, detail.tabs.count()):
            walker.step(f"{prefix} › {label} › {tab_title(detail.tabs, index)}",
                        partial(detail.tabs.setCurrentIndex, index))
        detail.tabs.setCurrentIndex(0)


def walk_intake(walker: Walker, form: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QComboBox

    from mediation_desk.ui.common.typeahead import PROPERTY

    combos = [c for c in form.findChildren(QComboBox) if c.property(PROPERTY) and c.isVisibleTo(form)]
    if not combos:
        return
    combo = combos[0]

    def type_ld() -> None:
        combo.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClicks(combo, "ld")

    walker.step(f"登记 › type-ahead 'ld' in {combo.objectName()}", type_ld)


@dataclass
class Signed:
    """A user's window, made and shown as a person signs in (the first step of their walk)."""

    actor: Any
    runner: Any
    window: Any
    #: The case with the most timeline entries the user's case list shows (see ``biggest_case``).
    big: int | None


def sign_in(walker: Walker, db: Any, username: str, shown: Callable[[], object]) -> Signed:
    """Sign ``username`` in and show their window, timed as the step "window + <first section>";
    ``shown()`` once the window shows its first section's rows (the app ends its start-up setting
    of the garbage collector there)."""
    from mediation_desk.demo import DEMO_PASSWORD
    from mediation_desk.services import auth
    from mediation_desk.ui.common.tasks import TaskRunner
    from mediation_desk.ui.shell.main_window import MainWindow

    actor = auth.login(db, username, DEMO_PASSWORD)
    big = biggest_case(db, actor)
    runner = TaskRunner(db)
    runner.actor = actor
    walker.attach(runner, username)
    holder: dict[str, Any] = {}

    def make() -> None:
        window = MainWindow(runner, actor, "张掖市甘州区矛盾纠纷调处中心")
        window.resize(1300, 700)
        window.show()
        holder["window"] = window

    only, walker.only = walker.only, None
    walker.step(f"window › {0}", make)
    walker.only = only
    shown()
    window = holder["window"]
    # As the app does once the first rows are painted (ui.app.Startup._rows_painted; none in
    # older code).
    getattr(window, "prepare_ahead", lambda: None)()
    walker.steps[-1].screen = f"window + {tab_title(window.tabs, 0)}"
    return Signed(actor, runner, window, big)


def sign_out(walker: Walker, signed: Signed) -> None:
    window = signed.window
    window._may_close = True
    window.close()
    window.deleteLater()
    walker.settle(30)
    signed.runner.shutdown(dispose=False)


def walk_user(walker: Walker, db: Any, username: str, shown: Callable[[], object]) -> None:
    """Every section and tab of ``username``'s window (see the module's text)."""
    from PySide6.QtWidgets import QTabWidget

    from mediation_desk.ui.shell.main_window import CaseSection

    signed = sign_in(walker, db, username, shown)
    window, big = signed.window, signed.big
    tabs: QTabWidget = window.tabs
    for index in range(tabs.count()):
        title = tab_title(tabs, index)
        if index:
            walker.step(title, partial(tabs.setCurrentIndex, index))
        section = tabs.widget(index)
        if isinstance(section, CaseSection):
            walk_case_section(walker, title, section, big)
        walk_tabs(walker, title, section)
        if section is window.intake_form:
            walk_intake(walker, section)
        walk_publicity(walker, title, section)
    sign_out(walker, signed)


def walk_publicity(walker: Walker, prefix: str, section: Any) -> None:
    """The publicity list's jump to its last rows and back (Ctrl+End, Ctrl+Home), as a head does."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTableView

    table = section.findChild(QTableView, "publicityTable")
    if table is None or not table.isVisibleTo(section.window()) or table.model().rowCount() == 0:
        return

    def key(which: Qt.Key) -> None:
        table.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClick(table, which, Qt.KeyboardModifier.ControlModifier)

    model = table.model()
    last = model.rowCount() - 1
    if not table.currentIndex().isValid():
        # As the table gets when it takes the focus in an active window (offscreen, the window never
        # is): without a current cell, Qt's table answers any move with the first cell.
        table.setCurrentIndex(model.index(0, 0))
    walker.step(f"{prefix} › Ctrl+End (last row {last + 1:,})", partial(key, Qt.Key.Key_End))
    print(f"  the current row {table.currentIndex().row() + 1:,}, the last row shows "
          f"{model.data(model.index(last, 1))!r}", flush=True)
    walker.step(f"{prefix} › Ctrl+Home", partial(key, Qt.Key.Key_Home))


def report(steps: list[Step], *, explain_all: bool = False) -> None:
    """The table; where the time went in the steps over budget (every step: ``explain_all``)."""
    print()
    print(f"{'role':<9} | {'screen':<52} | {'first answer':>12} | {'ms to data':>10} | {'worst stall':>11} | "
          f"{'GUI CPU':>8} | {'CPU':>8} | {'worst GC':>8} | note")
    for s in sorted(steps, key=lambda s: (s.stall_ms, s.data_ms), reverse=True):
        notes = []
        if s.timed_out:
            notes.append("TIMEOUT")
        if s.stall_ms > 100:
            notes.append("frozen > 100 ms")
        if s.data_ms > 300:
            notes.append("> 300 ms")
        if any(word in s.screen for word in ELSEWHERE):
            notes.append("(owned elsewhere)")
        first = f"{s.first_ms:10.1f}" if s.first_ms is not None else "         —"
        print(f"{s.user:<9} | {s.screen:<52} | {first:>12} | {s.data_ms:10.1f} | {s.stall_ms:11.1f} | "
              f"{s.gui_cpu_ms:8.1f} | {s.cpu_ms:8.1f} | {s.gc_ms:8.1f} | {' '.join(notes)}")
    print(f"\nwhere the time went in {'every step' if explain_all else 'the steps over budget'} (slowest "
          "reads/writes on their thread; slowest callbacks on the GUI thread), ms:")
    for s in sorted(steps, key=lambda s: (s.stall_ms, s.data_ms), reverse=True):
        if explain_all or s.stall_ms > 100 or s.data_ms > 300:
            jobs = "; ".join(f"{ms:.0f} {what}" for ms, what in s.jobs) or "—"
            calls = "; ".join(f"{ms:.0f} {what}" for ms, what in s.callbacks) or "—"
            print(f"  {s.user} {s.screen}: jobs {jobs} | GUI {calls}")
        for gap, process_cpu, gui_cpu, places in s.gaps:
            where = "; ".join(f"{n}× {place}" for n, place in places) or "no sample"
            print(f"    gap {gap:.0f} ms, CPU in it: process {process_cpu:.0f} ms, GUI thread {gui_cpu:.0f} ms; "
                  f"GUI thread at: {where}")
    print(f"\n{len(steps)} steps; {sum(s.stall_ms > 100 for s in steps)} with a stall over 100 ms, "
          f"{sum(s.data_ms > 300 for s in steps)} over 300 ms to data, {sum(s.timed_out for s in steps)} timed out")


#: Walks one user: (walker, database, username, shown) as ``walk_user``.
WalkUser = Callable[[Walker, Any, str, Callable[[], object]], None]


def arguments(doc: str | None, users: tuple[str, ...] = USERS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=SOURCE, help="the shared demo (only read, copied)")
    parser.add_argument("--copy", type=Path, default=COPY)
    parser.add_argument("--users", default=",".join(users))
    parser.add_argument("--only", help="only the steps whose screen contains this text (and the windows); "
                                       "texts joined by | : any of them")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a step may read")
    parser.add_argument("--quiet", type=float, default=QUIET_S,
                        help="seconds with nothing pending before a step counts as done (shorter: a read a "
                             "timer starts later may count in the next step)")
    parser.add_argument("--sample", action="store_true",
                        help="sample the GUI thread every 2 ms and explain each step's longest heartbeat gaps")
    return parser


def main() -> int:
    return run(arguments(__doc__).parse_args(), walk_user)


def run(args: argparse.Namespace, walk: WalkUser) -> int:
    """Set up as the app does (translations, warm-up, the collector), then ``walk`` each user of
    ``args.users`` on the copy and print the table."""
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.copy.parent / "home"))

    # The garbage collector as the app sets it (mediation_desk.__main__, ui.app.Startup): rare passes
    # during start-up, everything alive after each batch of imports frozen out of its sight, the
    # usual thresholds back once the first window shows its rows.
    from mediation_desk.ui.common.collector import StartupCollector

    collector = StartupCollector()
    collector.begin()
    from PySide6.QtWidgets import QApplication

    from mediation_desk.ui.common.i18n import install_translators, register_fonts

    if not args.copy.exists():  # made once; the source may be written by others' benches since
        args.copy.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "--reflink=auto", str(args.source), str(args.copy)], check=True)
        print(f"copied {args.source} → {args.copy}")
    db = open_database(args.copy)
    instance = QApplication.instance()
    app = instance if isinstance(instance, QApplication) else QApplication(sys.argv[:1])
    register_fonts(app)
    translators = install_translators(app, "zh_CN")
    load = os.getloadavg()
    print(f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    # As the app does: the login's and first section's imports beside the login dialog, the other
    # sections' once the window has painted (ui.app.warm_up, warm_up_sections) — a person's first
    # click on a tab does not import its modules.
    from mediation_desk.ui.app import warm_up, warm_up_sections

    warm_up(settle=collector.settle)
    warm_up_sections(collector.settle)
    sampler = Sampler() if args.sample else None
    walker = Walker(app, args.timeout, args.only, sampler, args.quiet)
    from mediation_desk.ui.common import collector as collectors

    def shown() -> None:
        # The app ends the start-up setting at the first window's first rows and freezes each later
        # sign-in's window when shown (``keep_made``: none in older code).
        collector.end()
        getattr(collectors, "keep_made", lambda: None)()

    try:
        for username in args.users.split(","):
            walk(walker, db, username.strip(), shown)
            # 注销 as the app does (ui.app.Startup._return_to_login): the frozen objects are the
            # collector's again; once the window is destroyed, collected and frozen again (none in
            # older code, where every later full pass walked the whole heap).
            collector.release()
            getattr(collector, "resettle", lambda: None)()
    finally:
        db.dispose()
        if sampler is not None:
            sampler.stop()
    report(walker.steps, explain_all=bool(args.only))  # chosen steps: each one's details
    load = os.getloadavg()
    print(f"load after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    del translators
    return 0


if __name__ == "__main__":
    sys.exit(main())
