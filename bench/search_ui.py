"""In-app search: Enter in the case list's search box → the rows painted, against the search service's
own time for the same query (issue 20 item 2: budget ≤ 2× the service).

Opens the real case list (``CaseListView``: its search box, its lazy model, the hits drawn in bold,
the threaded task runner) as a signed-in demo user on a copy of the 1,000,000-case demo, types each
query into the search box, presses Enter and times until the table's viewport has painted with the
model holding the first rows of that query (for a query with no hits: the empty list with its count).
Alternating with it, the same query is answered by the service alone (``services.search.search``, the
first page of 50 hits best first, in a read session on the same database): the floor. Prints the
medians of both per query, the ratio, and where the list's time went (until the first rows arrived,
until the count arrived; how long Enter itself and the last paint took; the GUI thread's CPU time
from Enter to painted, which waiting for a core on a loaded machine does not inflate).

    .venv/bin/python bench/search_ui.py [--source /work/bench-data/demo-1m.sqlite]
        [--copy /work/bench-data/search/demo-1m.sqlite] [--runs 7] [--user head]

The source is never written to: it is copied (``cp --reflink=auto``) once to ``--copy``, which is
upgraded to this program's schema when it is behind (about a minute at a million cases) and into
which the list writes its audit entries. Beside the service, the list's own first read
(``caselist.fetch_first`` of the same query as the read lane runs it, on the bench's thread) is
timed too, and each run's own ratio (list ÷ service of the same round) is printed beside the ratio
of the medians.

After the runs it prints where one screen's paint goes: for each query the CPU of a repaint of the
list's table, the Python calls Qt makes while painting it (``CALLS=1`` names the commonest), and
the floor: the same screen painted by a bare ``QTableView`` over Qt's own ``QStandardItemModel``
holding the same cells (no Python), with and without the hits drawn over them, its first paint
timed as the list's is, and the ratio (service + that paint) ÷ service — below which no list can go.

``--lanes`` measures item 4 instead: the case list's first rows after a new filter (the real model),
alone, while a year's statistics (``services.statistics.figures``) run on the slow lane, and — as
before the slow lane — queued behind them on the one read lane.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SOURCE = Path("/work/bench-data/demo-1m.sqlite")
COPY = Path("/work/bench-data/search/demo-1m.sqlite")
NO_HITS = "鲸鱼潜艇"


def copy_database(source: Path, copy: Path) -> None:
    """A private copy of the shared demo (with its WAL, if the generator left one)."""
    if copy.exists() and copy.stat().st_mtime >= source.stat().st_mtime:
        return
    copy.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            subprocess.run(["cp", "--reflink=auto", f"{source}{suffix}", f"{copy}{suffix}"], check=True)
    print(f"copied {source} → {copy}")


def open_database(copy: Path) -> Any:
    """The private copy, upgraded to this program's schema first if it is behind (the shared demo
    is older than the code: the list reads columns the later migrations add, such as center_id)."""
    from mediation_desk.db import Database, upgrade

    db = Database(f"sqlite:///{copy}", create=False)
    started = time.perf_counter()
    report = upgrade(db, backup=False)
    if report.changed:
        print(f"upgraded {copy.name} {report.from_revision} → {report.to_revision} "
              f"in {time.perf_counter() - started:.0f} s")
    return db


def pick_queries(db: Any) -> list[tuple[str, str]]:
    """A two-character name (the commonest among a sample of applicants), a word of the titles, a
    rare three-character name (once in the sample), a query with no hits, a word in a tenth of the
    parties' names and the commonest surname."""
    from sqlalchemy import text

    with db.read() as session:
        sample = session.execute(text(
            "SELECT name FROM party WHERE id % 97 = 0 AND kind = 'person' LIMIT 20000")).scalars().all()
    counts: dict[str, int] = {}
    for name in sample:
        counts[name] = counts.get(name, 0) + 1
    two = max((n for n in counts if len(n) == 2), key=lambda n: (counts[n], n))
    rare = min((n for n in counts if len(n) == 3), key=lambda n: (counts[n], n))
    return [("2-char name", two), ("word", "宅基地"), ("rare name", rare), ("no hits", NO_HITS),
            # In every tenth party's name (the organisations'), and the commonest surname.
            ("common word", "张掖市"), ("surname", "王")]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class Painted:
    """Wraps the table's paintEvent: calls ``check`` after each paint of the viewport has finished."""

    def __init__(self, table: Any, check: Callable[[float], None]) -> None:
        from PySide6.QtWidgets import QTableView

        original = type(table).paintEvent

        def paint_event(event: Any) -> None:
            started = time.perf_counter()
            original(table, event)
            check(started)

        assert isinstance(table, QTableView)
        table.paintEvent = paint_event  # type: ignore[method-assign]  # PySide looks on the instance first


#: Repaints of one screen measured per query for the paint's floor (CPU, ``time.thread_time``).
REPAINTS = 50


def python_calls(during: Callable[[], object]) -> dict[str, int]:
    """The Python functions called (and how often) while ``during`` runs: a profile hook that sees
    every call Qt makes into Python (a model's ``rowCount``, ``multiData``, a delegate's ``paint``)."""
    calls: dict[str, int] = {}

    def hook(frame: Any, event: str, _arg: Any) -> None:
        if event == "call":
            code = frame.f_code
            key = f"{Path(code.co_filename).stem}.{code.co_name}"
            calls[key] = calls.get(key, 0) + 1

    sys.setprofile(hook)
    try:
        during()
    finally:
        sys.setprofile(None)
    return calls


class BareTable:
    """The floor of a screen's paint: a bare ``QTableView`` over Qt's own ``QStandardItemModel``
    holding what the list's visible cells paint (their text, icon and colour), as large as the
    list's table, in its font, column widths and order, row height, alternating colours and
    scroll bar — so Qt answers every cell in C++ and no Python runs while it paints. With
    ``highlight`` the list's hits are drawn over the cells as the list draws them (one call into
    Python a paint)."""

    def __init__(self, view: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QAbstractItemView, QTableView

        from mediation_desk.ui.cases.list_model import CaseListModel
        from mediation_desk.ui.common.search_highlight import HitPainter

        source = view.table
        self.table = table = QTableView()
        table.setFont(source.font())
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(source.verticalHeader().defaultSectionSize())
        table.resize(source.size())
        self.hits = HitPainter()
        #: The list's row shown first, the list's model: the hits drawn (None: none drawn).
        self.highlighted: tuple[int, Any] | None = None
        self.columns = CaseListModel.HIGHLIGHTED_COLUMNS
        self.source = source
        self.paint_wall = self.paint_cpu = 0.0
        original = type(table).paintEvent

        def paint_event(event: Any) -> None:
            wall, cpu = time.perf_counter(), time.thread_time()
            original(table, event)
            if self.highlighted is not None:
                offset, model = self.highlighted
                rect = event.rect()
                first, last = table.rowAt(rect.top()), table.rowAt(rect.bottom())
                last = table.model().rowCount() - 1 if last < 0 else last
                self.hits.paint(table, first, last, lambda row: model.row_hits(offset + row), self.columns)
            self.paint_wall, self.paint_cpu = time.perf_counter() - wall, time.thread_time() - cpu

        table.paintEvent = paint_event  # type: ignore[method-assign]
        table.show()

    def show_rows_of(self, view: Any, highlight: bool) -> None:
        """A fresh model holding the cells the list shows now (as a search's reset brings new rows)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QStandardItem, QStandardItemModel

        model = view.model
        source = self.source
        first = max(source.rowAt(0), 0)
        last = source.rowAt(source.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else last
        bare = QStandardItemModel(max(last - first + 1, 0), model.columnCount(), self.table)
        roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole)
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        for row in range(first, last + 1):
            for column in range(model.columnCount()):
                item = QStandardItem()
                item.setFlags(flags)
                for role in roles:
                    value = model.data(model.index(row, column), role)
                    if value is not None:
                        item.setData(value, role)
                bare.setItem(row - first, column, item)
        old = self.table.model()
        self.table.setModel(bare)
        if old is not None:
            old.deleteLater()
        header, shown = self.table.horizontalHeader(), source.horizontalHeader()
        for column in range(model.columnCount()):
            header.resizeSection(column, shown.sectionSize(column))
        for visual in range(model.columnCount()):
            header.moveSection(header.visualIndex(shown.logicalIndex(visual)), visual)
        self.highlighted = (first, model) if highlight and model.highlighting else None
        self.table.horizontalHeader().repaint()  # the header's own paint is not the viewport's


def repaint_cpu(widget: Any, times: int) -> float:
    """The GUI thread's CPU of one synchronous repaint of ``widget``, the median of ``times``."""
    spent = []
    for _ in range(times):
        cpu = time.thread_time()
        widget.repaint()
        spent.append(time.thread_time() - cpu)
    return statistics.median(spent) * 1000


def search_bench(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from mediation_desk.demo import DEMO_PASSWORD
    from mediation_desk.services import auth, caselist, search
    from mediation_desk.ui.cases.list_model import FIRST_ROWS
    from mediation_desk.ui.cases.list_model import _window as list_window
    from mediation_desk.ui.cases.list_model import _words as list_words
    from mediation_desk.ui.cases.list_view import CaseListView
    from mediation_desk.ui.common.i18n import install_translators, register_fonts
    from mediation_desk.ui.common.tasks import TaskRunner

    instance = QApplication.instance()
    app = instance if isinstance(instance, QApplication) else QApplication(sys.argv[:1])
    # As the app starts: its CJK font (what the cells are shaped and drawn with) and the Chinese texts.
    register_fonts(app)
    translators = install_translators(app, "zh_CN")
    db = open_database(args.copy)
    actor = auth.login(db, args.user, DEMO_PASSWORD)
    queries = pick_queries(db)
    runner = TaskRunner(db)
    runner.actor = actor
    view = CaseListView(runner, actor)
    view.resize(1280, 640)
    view.show()

    state: dict[str, Any] = {}
    loop = QEventLoop()

    def check(started: float) -> None:
        if "cpu0" in state:  # every paint of the table after Enter, until the list has settled
            state["paints"] = state.get("paints", 0) + 1
        query = state.get("query")
        if query is None or "painted" in state:
            return
        model = view.model
        if (model.query.filter.text or "") != query:
            return
        # The first rows of this query are in the model (they may come before the count), or it
        # has none (known once the first read came back empty).
        if not ("rows" in state and model.is_row_loaded(0)) and not (model.total == 0 and "count" in state):
            return
        state["painted"] = time.perf_counter()
        state["paint start"] = started
        state["paints to rows"] = state["paints"]
        state["paint"] = state["painted"] - started + state.get("t0", 0.0)
        state["cpu"] = time.thread_time() - state["cpu0"] + state["t0"]
        loop.quit()

    Painted(view.table, check)
    # The table's viewport is one of the widgets the window paints in one pass (the header, the
    # count, the scroll bar …), which ends with the window's flush to the screen: when that pass
    # ends after the rows were painted, the person sees them ("window painted").
    window_event = type(view).event

    def flushed_event(event: Any) -> bool:
        answered = window_event(view, event)
        if event.type() == QEvent.Type.UpdateRequest and "painted" in state:
            state.setdefault("window painted", time.perf_counter())
        return answered

    view.event = flushed_event  # type: ignore[method-assign]
    view.model.count_changed.connect(lambda _n: state.setdefault("count", time.perf_counter()))
    # Where the time between Enter and the paint goes: the model's reset (and the view's layout
    # after it), then the paint.
    view.model.modelAboutToBeReset.connect(lambda: state.setdefault("reset", time.perf_counter()))
    view.model.modelReset.connect(lambda: state.setdefault("reset done", time.perf_counter()))
    view.model.rows_loaded.connect(lambda first, _last: first == 0 and state.setdefault("rows", time.perf_counter()))

    def settle() -> None:
        """Until every lane is idle (the audit entry of the last search written) and painted."""
        deadline = time.perf_counter() + 60
        while (runner.pending or view.model.loading) and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        for _ in range(5):
            app.processEvents()

    def type_query(text: str) -> None:
        box = view.search_box
        box.setFocus()
        box.selectAll()
        QTest.keyClick(box, Qt.Key.Key_Backspace)
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(box, event)  # typed as an input method commits Chinese
        assert box.text() == text, box.text()

    def ui_once(text: str) -> dict[str, float]:
        type_query(text)
        state.clear()
        state["query"] = text
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(loop.quit)
        timeout.start(60_000)
        state["cpu0"] = time.thread_time()
        t0 = state["t0"] = time.perf_counter()
        QTest.keyClick(view.search_box, Qt.Key.Key_Return)
        state["entered"] = time.perf_counter()
        if "painted" not in state:
            loop.exec()
        timeout.stop()
        if "painted" not in state:
            raise RuntimeError(f"the list never painted the rows of {text!r}")
        stages = ("entered", "rows", "count", "painted", "paint", "cpu", "reset", "reset done", "paint start",
                  "window painted")
        figures = {k: (state[k] - t0) * 1000 for k in stages if k in state}
        state["query"] = None
        settle()
        # How many times the table painted until the rows were shown, and in all (the count's
        # arrival repaints once more when the list grows).
        figures["paints to rows"] = state["paints to rows"]
        figures["paints"] = state["paints"]
        state.pop("cpu0")
        return figures

    def service_once(text: str) -> float:
        t0 = time.perf_counter()
        with db.read() as session:
            search.search(session, actor, text, limit=50)
        return (time.perf_counter() - t0) * 1000

    #: The query the list ran for each text (its filter as the view builds it, best match first).
    list_queries: dict[str, Any] = {}

    def list_read_once(text: str) -> float:
        """The list's own first read for the same query, on this thread: the read lane's job
        (``caselist.fetch_first``: the same 50 ranked ids as the service — or only the screen's,
        when the newest cases hold them sooner, ``search.first_ranked`` — then the columns of the
        screen's rows, their cells' texts and hit spans)."""
        query = list_queries[text]
        shown = view.table.screen_rows()
        t0 = time.perf_counter()
        with db.read() as session:
            rows, _rest = caselist.fetch_first(session, actor, query, FIRST_ROWS, shown)
            list_window(rows, list_words(query))
        return (time.perf_counter() - t0) * 1000

    settle()
    for _, text in queries:  # warm both paths once (the OS cache, SQLite's statements)
        ui_once(text)
        list_queries[text] = view.model.query
        service_once(text)
        list_read_once(text)
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        for _ in range(args.runs):
            for _, text in queries:
                profile.enable()
                ui_once(text)
                profile.disable()
        stats = pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime"))
        stats.print_stats(int(os.environ.get("TOP", "25")))
        if os.environ.get("CALLERS"):
            stats.print_callers(os.environ["CALLERS"])
        runner.shutdown()
        return 0
    ui: dict[str, list[dict[str, float]]] = {text: [] for _, text in queries}
    floor: dict[str, list[float]] = {text: [] for _, text in queries}
    list_read: dict[str, list[float]] = {text: [] for _, text in queries}
    for _ in range(args.runs):
        for _, text in queries:
            floor[text].append(service_once(text))
            ui[text].append(ui_once(text))
            list_read[text].append(list_read_once(text))
    hits = {}
    with db.read() as session:
        for _, text in queries:
            hits[text] = search.count(session, actor, text)

    print(f"\nEnter → rows painted, {args.user} on {args.copy.name}; medians of {args.runs} alternating runs")
    print(f"{'query':<12} {'text':<8} {'hits':>9} | {'service':>8} | {'Enter':>8} {'rows in':>8} {'counted':>8} "
          f"{'paint':>8} {'painted':>8} | ratio (budget ≤ 2×) | GUI thread CPU | paints to rows / in all "
          f"| list's read alone, painted ÷ it | reset | reset → paint start | window painted")
    worst = 0.0
    for what, text in queries:
        runs = ui[text]
        service = median(floor[text])
        painted = median([r["painted"] for r in runs])
        rows = median([r["rows"] for r in runs if "rows" in r])
        counted = median([r["count"] for r in runs if "count" in r])
        entered = median([r["entered"] for r in runs])
        paint = median([r["paint"] for r in runs])
        cpu = median([r["cpu"] for r in runs])
        paints = median([r["paints to rows"] for r in runs]), median([r["paints"] for r in runs])
        ratio = painted / service
        # Each run's own ratio (the list and the service one after the other, at the same load).
        paired = median([r["painted"] / f for r, f in zip(runs, floor[text], strict=True)])
        worst = max(worst, ratio)
        print(f"{what:<12} {text:<8} {hits[text]:>9,} | {service:6.1f} ms | {entered:6.1f} ms {rows:6.1f} ms "
              f"{counted:6.1f} ms {paint:6.1f} ms {painted:6.1f} ms | {ratio:4.2f}×"
              f"{'' if ratio <= 2 else ' OVER'} (run by run {paired:4.2f}×) | {cpu:6.1f} ms "
              f"| {paints[0]:g} / {paints[1]:g} "
              f"| {median(list_read[text]):6.1f} ms {painted / median(list_read[text]):4.2f}× "
              f"| {median([r['reset done'] - r['reset'] for r in runs if 'reset' in r]):5.1f} ms "
              f"| {median([r['paint start'] - r['reset done'] for r in runs if 'reset done' in r]):5.1f} ms "
              f"| {median([r['window painted'] for r in runs if 'window painted' in r]):6.1f} ms")
    print(f"worst ratio {worst:.2f}×; load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f} on {os.cpu_count()} cores")
    paint_floor(view, queries, {text: median(floor[text]) for _, text in queries}, ui_once, args.runs)
    runner.shutdown()
    for translator in translators:
        app.removeTranslator(translator)
    return 0


def paint_floor(view: Any, queries: list[tuple[str, str]], service: dict[str, float],
                show: Callable[[str], Any], runs: int) -> None:
    """Where a screen's paint goes, and the floor under the ratio: for each query, with the list
    showing its rows, the CPU of one repaint of the list's table and the Python calls Qt makes
    while painting it (the model's, the hits'); the same screen painted by a
    bare ``QTableView`` over Qt's own ``QStandardItemModel`` (no Python at all), and with the
    hits drawn over it as the list draws them; the bare table's first paint of fresh rows, timed as the list's
    is (its paintEvent); and the ratio Enter → painted could reach if the rows reached the view
    the moment the service has them and were painted as fast as the bare table paints them:
    (service + bare first paint) ÷ service."""
    bare = BareTable(view)
    viewport = view.table.viewport()
    print(f"\nOne screen's paint ({viewport.width()} × {viewport.height()} px; GUI thread CPU, median of "
          f"{REPAINTS} repaints; first paints: median of {runs}) and the floor it sets under the ratio")
    print(f"{'query':<12} {'rows':>4} | list repaint | Python calls a repaint (model, hits) | "
          f"bare C++ repaint | bare + highlight | bare first paint wall / CPU | floor ratio (service + bare) ÷ service")
    for what, text in queries:
        show(text)
        model = view.model
        table = view.table
        last = table.rowAt(viewport.height() - 1)
        rows = (model.rowCount() if last < 0 else last + 1) - max(table.rowAt(0), 0) if model.rowCount() else 0
        listed = repaint_cpu(viewport, REPAINTS)
        calls = python_calls(lambda: [viewport.repaint() for _ in range(10)])
        own = {k: n for k, n in calls.items() if not k.startswith("search_ui.")}  # the bench's probe
        if os.environ.get("CALLS"):
            print(what, sorted(own.items(), key=lambda kv: -kv[1])[:12])
        model_calls = sum(n for k, n in own.items() if k.startswith("list_model."))
        hit_calls = sum(n for k, n in own.items() if k.startswith("search_highlight."))
        firsts: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
        for _ in range(runs):
            for highlight in (False, True):
                bare.show_rows_of(view, highlight)
                bare.table.viewport().repaint()
                firsts[highlight].append((bare.paint_wall * 1000, bare.paint_cpu * 1000))
        bare.show_rows_of(view, False)
        plain = repaint_cpu(bare.table.viewport(), REPAINTS)
        bare_calls = sum(python_calls(lambda: [bare.table.viewport().repaint() for _ in range(10)]).values())
        bare.show_rows_of(view, True)
        highlighted = repaint_cpu(bare.table.viewport(), REPAINTS)
        first_wall = median([w for w, _ in firsts[False]])
        first_cpu = median([c for _, c in firsts[False]])
        floor_ratio = (service[text] + first_wall) / service[text]
        print(f"{what:<12} {rows:>4} | {listed:7.2f} ms | {sum(own.values()) / 10:7.0f} ({model_calls / 10:.0f}, "
              f"{hit_calls / 10:.0f}); bare: {bare_calls / 10:.0f} | {plain:7.2f} ms | {highlighted:7.2f} ms "
              f"| {first_wall:6.2f} / {first_cpu:5.2f} ms | {floor_ratio:4.2f}×"
              f"{' (2× out of reach)' if floor_ratio > 2 else ''}")


def lanes_bench(args: argparse.Namespace) -> int:
    """The case list's answer to a new filter alone, and while a year's statistics run (item 4)."""
    from datetime import date

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from mediation_desk.demo import DEMO_PASSWORD
    from mediation_desk.readmodels.caselist import CaseFilter
    from mediation_desk.services import auth
    from mediation_desk.services import statistics as stats
    from mediation_desk.services.caselist import CaseQuery
    from mediation_desk.services.workflow import OPEN_STATES
    from mediation_desk.ui.cases.list_model import CaseListModel
    from mediation_desk.ui.common.tasks import Lane, TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = open_database(args.copy)
    actor = auth.login(db, args.user, DEMO_PASSWORD)
    runner = TaskRunner(db)
    runner.actor = actor
    with db.read() as session:
        newest = session.execute(caselist_newest()).scalar_one()
    year = newest.year
    today = date(year, 12, 31)
    model = CaseListModel(runner, actor)
    filters = [CaseFilter(states=frozenset(OPEN_STATES)), CaseFilter()]
    turn = [0]

    def report(session: Any) -> Any:
        return stats.figures(session, actor, date(year, 1, 1), date(year, 12, 31), today=today)

    def stamp(box: dict[str, float], key: str) -> None:
        box.setdefault(key, time.perf_counter())

    def wait(done: Callable[[], bool]) -> None:
        while not done():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def list_start(box: dict[str, float]) -> None:
        """A new filter chosen in the list: its first rows (the answer a person waits for)."""
        turn[0] += 1

        def arrived(first: int, _last: int) -> None:
            if first == 0:
                box.setdefault("list", time.perf_counter())

        model.rows_loaded.connect(arrived)
        box["list_start"] = time.perf_counter()
        model.set_query(CaseQuery(filter=filters[turn[0] % 2]))
        wait(lambda: "list" in box and not model.loading)
        model.rows_loaded.disconnect(arrived)

    def list_once() -> float:
        box: dict[str, float] = {}
        list_start(box)
        return (box["list"] - box["list_start"]) * 1000

    def report_alone() -> float:
        box: dict[str, float] = {}
        t0 = time.perf_counter()
        runner.run_slow_read(report, on_success=lambda _r: stamp(box, "t"))
        wait(lambda: "t" in box)
        return (box["t"] - t0) * 1000

    def during(lane: Lane) -> tuple[float, float]:
        """(the list's answer, the report's) with the report started first on ``lane``."""
        box: dict[str, float] = {}
        t0 = time.perf_counter()
        runner.run_read(report, on_success=lambda _r: stamp(box, "report"), lane=lane)
        time.sleep(0.05)  # the report is under way
        list_start(box)
        wait(lambda: "report" in box)
        return (box["list"] - box["list_start"]) * 1000, (box["report"] - t0) * 1000

    wait(lambda: not model.loading)
    list_once()
    report_alone()
    alone, report_ms, slow_lane, same_lane, report_during = [], [], [], [], []
    for _ in range(args.runs):
        alone.append(list_once())
        report_ms.append(report_alone())
        listed, reported = during(Lane.SLOW)
        slow_lane.append(listed)
        report_during.append(reported)
        same_lane.append(during(Lane.READ)[0])
    print(f"\nThe case list's first rows after a new filter, as {args.user}, and a year's statistics ({year}) "
          f"on {args.copy.name}; medians of {args.runs} alternating runs")
    print(f"  list alone:                                 {median(alone):8.1f} ms")
    print(f"  year report alone:                          {median(report_ms):8.1f} ms")
    print(f"  list during the report (report, slow lane): {median(slow_lane):8.1f} ms  "
          f"= {median(slow_lane) / median(alone):.2f}× alone (the report then took {median(report_during):.0f} ms)")
    print(f"  list behind the report (one lane, before):  {median(same_lane):8.1f} ms")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"on {os.cpu_count()} cores")
    runner.shutdown()
    return 0


def caselist_newest() -> Any:
    from sqlalchemy import func, select

    from mediation_desk.models import DisputeCase

    return select(func.max(DisputeCase.received_at))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=SOURCE, help="the shared demo (only read, copied)")
    parser.add_argument("--copy", type=Path, default=COPY, help="the private copy the app opens")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--user", default="head")
    parser.add_argument("--lanes", action="store_true", help="item 4: a list read during a year report")
    parser.add_argument("--profile", action="store_true", help="profile the GUI thread's part of the searches")
    args = parser.parse_args()
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.copy.parent / "home"))
    os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")
    if args.source.resolve() != args.copy.resolve():
        copy_database(args.source, args.copy)
    return lanes_bench(args) if args.lanes else search_bench(args)


if __name__ == "__main__":
    sys.exit(main())
