"""The 公示 panel's export and print on a big month (the 1M demo's 2026-11: ~95,000 rows, ~6,300 pages).

Runs the real panel (offscreen) on a threaded TaskRunner over a copy of the demo (``--database``,
never the shared file: each export is written to the audit log) and, for each checkout given
(this one, and ``--baseline`` DIR, alternately, each in a process of its own):

* export: 导出 PDF clicked → the file written: wall time, the process's CPU time (all threads; and
  the GUI thread's own, which includes the cyclic collector's passes: ``gui_collector``), how
  many progress texts were shown, and the GUI thread's worst stall (the largest gap between the
  ticks of a 10 ms QTimer while the job runs);
* print (``--print-pages`` N, this checkout only): 打印 to a PDF QPrinter at PRINT_DPI with the page
  range 1–N: the same figures. The baseline ignores page ranges and paints on the GUI thread, so its
  figure is the stall of its ``paint_pdf`` painting an N-page list (the first rows of the month) on
  the GUI thread, which is what its 打印 did for every page of the month.

    .venv/bin/python bench/publicity_progress.py [--database PATH] [--month 2026-11] [--baseline /work/main]
        [--runs 2] [--print-pages 50]
    .venv/bin/python bench/publicity_progress.py --only overhead [--cases 95000] [--runs 3]

``--only overhead`` draws a list of ``--cases`` rows (bench/head.py's sample) with the panel's
progress and without, alternately in one process: what progress costs the drawing itself.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")

HERE = Path(__file__).resolve().parent
DATABASE = Path("/work/bench-data/publicity-progress/demo-1m.sqlite")


def _one(args: argparse.Namespace) -> dict[str, object]:
    """One measure in this process, with the mediation_desk found first on sys.path."""
    from datetime import date

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from mediation_desk.db import Database
    from mediation_desk.readmodels.publicity import Month
    from mediation_desk.services import auth
    from mediation_desk.services.setup import DEMO_PASSWORD
    from mediation_desk.ui.common import i18n
    from mediation_desk.ui.common.tasks import TaskRunner
    from mediation_desk.ui.desk import publicity as panel_module

    translators = i18n.install_translators(app, "zh_CN")  # kept alive to the end  # noqa: F841
    year, month_number = map(int, args.month.split("-"))
    month = Month(year, month_number)
    db = Database(f"sqlite:///{args.database}", create=False)
    runner = TaskRunner(db)
    actor = auth.login(db, "head", DEMO_PASSWORD)
    panel = panel_module.PublicityPanel(runner, actor, today=lambda: date(year, month_number, 28))
    panel.resize(1366, 700)
    panel.show()
    panel.set_month(month)

    def wait(done: object, seconds: float = 1800) -> None:
        """Run the event loop (asleep between events, not spinning) until ``done()``."""
        end = time.monotonic() + seconds
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(20)
        poll.timeout.connect(lambda: loop.quit() if done() or time.monotonic() > end else None)  # type: ignore[operator]
        poll.start()
        if not done():  # type: ignore[operator]
            loop.exec()
        poll.stop()

    wait(lambda: panel.overview is not None and runner.running == 0)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    said: list[str] = []
    if hasattr(panel, "progressed"):
        panel.progressed.connect(said.append)
    finished: list[object] = []
    out = Path(tempfile.mkdtemp(prefix="publicity-bench-"))
    if args.what == "export":
        target = out / "公示.pdf"
        panel.ask_save_path = lambda suggested: str(target)
        panel.exported.connect(finished.append)
        start_job = panel.export_button.click
    elif args.what == "print":
        from PySide6.QtGui import QPageLayout
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out / "printed.pdf"))
        printer.setResolution(panel_module.PRINT_DPI)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setFromTo(1, args.print_pages)
        panel.ask_printer = lambda: printer
        def ask(question: str) -> bool:
            said.append(question)
            return True
        panel.ask_print_pages = ask
        panel.printed.connect(finished.append)
        start_job = panel.print_button.click
    else:  # the baseline's print: its paint_pdf of an N-page list on the GUI thread
        from dataclasses import replace

        from PySide6.QtGui import QPageLayout
        from PySide6.QtPrintSupport import QPrinter

        from mediation_desk.documents.publicity import layout, render_publicity
        from mediation_desk.services import publicity

        with db.write() as session:  # a print is audited
            data = publicity.printable(session, actor, replace(month, center_id=actor.center_id))
        rows = 15 * args.print_pages
        while len(layout(replace(data, rows=data.rows[:rows]))) > args.print_pages:
            rows -= 5
        pdf = render_publicity(replace(data, rows=data.rows[:rows]))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out / "printed.pdf"))
        printer.setResolution(panel_module.PRINT_DPI)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)

        def start_job() -> None:
            QTimer.singleShot(0, lambda: finished.append(panel_module.paint_pdf(pdf, printer)))
    import gc

    passes: list[float] = []
    gc_started = [0.0]

    def collector(phase: str, info: dict[str, int]) -> None:  # the cyclic collector's longest pass
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            passes.append(time.perf_counter() - gc_started[0])
    gc.callbacks.append(collector)
    cpu = time.process_time()
    gui_cpu = time.thread_time()
    started = time.perf_counter()
    timer.start()
    start_job()
    wait(lambda: bool(finished))
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    gui_cpu = time.thread_time() - gui_cpu
    timer.stop()
    edges = [started, *ticks, time.perf_counter()]
    stall = max(b - a for a, b in itertools.pairwise(edges))
    result = {"what": args.what, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "gui_cpu_s": round(gui_cpu, 2),
              "stall_ms": round(stall * 1000),
              "progress_texts": len(said), "last_text": said[-1] if said else "", "result": str(finished[0]),
              "longest_gc_ms": round(max(passes, default=0) * 1000), "gc_s": round(sum(passes), 2),
              "load": round(os.getloadavg()[0], 2)}
    gc.callbacks.remove(collector)
    runner.shutdown()
    return result


def overhead(cases: int, runs: int) -> None:
    """The drawing of a list of ``cases`` rows with the panel's progress (a LongJob told of every
    page, reporting every 0.2 s) and without, alternately, in this process: CPU seconds."""
    sys.path.insert(0, str(HERE))
    from head import publicity_sample

    from mediation_desk.documents.publicity import layout, render_publicity
    from mediation_desk.readmodels.publicity import PrintableList
    from mediation_desk.ui.desk.publicity import LongJob

    data = publicity_sample(cases)
    assert isinstance(data, PrintableList)
    pages = layout(data)
    reports: list[int] = []
    figures: dict[str, list[float]] = {"without": [], "with": []}
    for _run_number in range(runs):
        for label, seconds in figures.items():
            progress = LongJob(lambda step, done, total: reports.append(done)).pages(1) if label == "with" else None
            cpu = time.process_time()
            render_publicity(data, pages=pages, progress=progress)
            seconds.append(time.process_time() - cpu)
    print(f"drawing {len(pages):,} pages ({cases:,} rows), CPU s, {runs} alternate runs; "
          f"load {os.getloadavg()[0]:.2f}")
    for label, seconds in figures.items():
        print(f"  {label:>7} progress: " + " ".join(f"{s:.2f}" for s in seconds)
              + f"  (min {min(seconds):.2f})")


def _run(checkout: Path, what: str, args: argparse.Namespace) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    command = [sys.executable, str(HERE / "publicity_progress.py"), "--one", what, "--database", str(args.database),
               "--month", args.month, "--print-pages", str(args.print_pages)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=checkout)
    if done.returncode:
        raise SystemExit(f"{checkout} {what} failed:\n{done.stderr[-3000:]}")
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=DATABASE)
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--baseline", type=Path, help="another checkout, measured alternately")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--print-pages", type=int, default=50)
    parser.add_argument("--only", choices=("export", "print", "overhead"),
                        help="one of the figures; overhead: the drawing with and without progress, in this process")
    parser.add_argument("--cases", type=int, default=95_000, help="rows of the list --only overhead draws")
    parser.add_argument("--one", choices=("export", "print", "paint"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.database.parent / "home"))
    if args.one:
        args.what = args.one
        print(json.dumps(_one(args), ensure_ascii=False))
        return 0
    if args.only == "overhead":
        overhead(args.cases, args.runs)
        return 0
    if not args.database.exists():
        raise SystemExit(f"no {args.database}: copy the 1M demo there first (never use the shared file)")
    here = HERE.parent
    print(f"{args.database} month {args.month}; load {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for _run_number in range(args.runs):
        if args.only in (None, "export"):
            if args.baseline is not None:
                print("baseline export", _run(args.baseline, "export", args), flush=True)
            print("branch   export", _run(here, "export", args), flush=True)
        if args.only in (None, "print"):
            if args.baseline is not None:
                print(f"baseline paint of {args.print_pages} pages on the GUI thread",
                      _run(args.baseline, "paint", args), flush=True)
            print(f"branch   print of pages 1–{args.print_pages}", _run(here, "print", args), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
