"""The first document of a session against the second: 打印通知书, a 文书 tab preview of the
调解协议书 and the 受理回执, each made twice in one process through the real UI path.

Why a process per run: what makes the first document slow (reportlab's CJK fonts parsed and
registered, the document modules imported, the first PDF preview) is paid once per process, so
each run is a fresh child process, as a person's session is; ``--baseline DIR`` runs another
checkout's app in alternate children (``timing.alternate_children``: same script, the checkout on
``PYTHONPATH``), so both meet the same load.

Each child does what the app does around a sign-in (``ui.app``): the start-up collector begun,
Qt's fonts and the Chinese catalog, :func:`ui.app.warm_up` (beside the login), the user's real
``MainWindow`` with a threaded ``TaskRunner`` shown (timed as ``bench/screens.py``'s first step),
then — as ``Startup._rows_painted`` does once the first rows are painted — the after-rows warm-up
on a thread of its own (``warm_up_sections``, then ``warm_up_documents`` where the checkout has
it) while the GUI thread turns a 10 ms heartbeat: its wall and CPU (the warm-up thread's), the
GUI thread's longest stall meanwhile and the RSS it added. Then, each step timed as
``bench/screens.py`` times a click (:class:`screens.Walker`: until the screen shows its data and
the runner has been idle ``--quiet`` s):

* 打印通知书: the case's 调解 tab, its first session selected, the button clicked → the preview
  shows the notices (the slow-lane read that renders them, then the PDF loaded by QtPdf);
* 文书 › 调解协议书: the case's 文书 tab, the agreement's row chosen, 预览/打印… clicked → shown;
* 受理回执: what 保存并打印回执 submits once the case is saved (``ReceiptPrinter.print_receipt``:
  the read, the render on the slow lane, the preview, the print dialog made after it — answered
  "cancel" instead of shown modally);

each twice (the preview closed between), printing per step: ms to data, the GUI thread's longest
stall, the GUI thread's CPU, the process's CPU, and the CPU of the slow-lane job that made the
PDF on its own thread (``job CPU``). A 5,000-case demo is enough: making a document reads one case.

    .venv/bin/python bench/first_documents.py --source /work/bench-data/NAME/demo-5k.sqlite
        [--copy /work/bench-data/NAME/first-docs.sqlite] [--runs 4] [--baseline /work/main]
        [--user clerk] [--documents notice,agreement,receipt] [--no-warm-up] [--click-during]

The source is copied once to ``--copy`` (upgraded to this code's schema, a session booked there
for the notices); the children write audit entries into the copy, never into the source.
``--no-warm-up``: leave the after-rows warm-up out (what the first click costs without it).
``--click-during``: instead of timing the documents' warm-up alone, show the case section the
moment it begins (where the checkout has one) and then open a case, each timed as a step: what a
person's first clicks pay for the interpreter it shares with them.

Measured 2026-12-07 (5 runs each, load 1.4–2.1, 5,000-case demo, clerk; ms to data, first / second):
main 打印通知书 453 / 56, 文书 › 调解协议书 388 / 61, 受理回执 333 / 95; with the documents'
warm-up 74 / 47, 88 / 61, 119 / 76 (the slow-lane job's CPU of the first: 386 → 56, 298 → 57, 248 → 68).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: (key, label) of each document step, in the order walked.
DOCUMENTS = (("notice", "打印通知书"), ("agreement", "文书 › 调解协议书"), ("receipt", "受理回执"))


def rss_mb() -> float:
    """The process's resident memory now (VmRSS), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------------- the copy (parent)


def prepare(source: Path, copy: Path, user: str) -> dict[str, int]:
    """The copy, made once and upgraded, with a session booked on a case the user's center works on
    (the demo books none); the cases each step uses."""
    sys.path.insert(0, str(HERE.parent))
    from search_ui import open_database
    from sqlalchemy import text

    from mediation_desk.demo import DEMO_PASSWORD
    from mediation_desk.services import auth, cases, sessions

    if not copy.exists():
        copy.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "--sparse=always", str(source), str(copy)], check=True)
        print(f"copied {source} → {copy}")
    db = open_database(copy)
    actor = auth.login(db, user, DEMO_PASSWORD)
    found: dict[str, int] = {}
    with db.read() as session:
        center = {"c": actor.center_id}
        booked = session.execute(text(
            "SELECT s.case_id FROM mediation_session s JOIN dispute_case c ON c.id = s.case_id "
            "WHERE coalesce(c.handling_center_id, c.center_id) = :c "
            "ORDER BY s.id LIMIT 1"), center).scalar()
        found["agreement"] = session.execute(text(
            "SELECT max(c.id) FROM dispute_case c JOIN agreement a ON a.case_id = c.id "
            "WHERE coalesce(c.handling_center_id, c.center_id) = :c"), center).scalar_one()
        found["receipt"] = session.execute(text(
            "SELECT max(id) FROM dispute_case WHERE center_id = :c AND state = 'registered'"),
            center).scalar_one()
    if booked is None:
        with db.read() as session:
            working = session.execute(text(
                "SELECT max(c.id) FROM dispute_case c JOIN mediator m ON m.id = c.lead_mediator_id "
                "WHERE coalesce(c.handling_center_id, c.center_id) = :c AND m.center_id = :c "
                "AND c.state = 'in_mediation'"), center).scalar_one()
            detail = cases.case_detail(session, actor, working)
            room = sessions.rooms_of(session, actor, active_only=True)[0].id
            lead = session.execute(text("SELECT lead_mediator_id FROM dispute_case WHERE id = :i"),
                                   {"i": working}).scalar_one()
        day = date.today() + timedelta(days=14)
        with db.write() as session:
            sessions.schedule(session, actor, working, sessions.SessionInput(
                room, datetime.combine(day, clock(9)), datetime.combine(day, clock(11)), [lead],
                [p.id for p in detail.parties]), confirmed=True)
        booked = working
        print(f"booked a session of case #{working} on {day}")
    found["notice"] = booked
    db.dispose()
    return found


# ---------------------------------------------------------------------- a run (child)


def child(args: argparse.Namespace) -> int:
    from mediation_desk.ui.common.collector import StartupCollector

    collector = StartupCollector()
    collector.begin()
    import screens  # it puts this checkout on the path: the app above is imported from the checkout's already
    from PySide6.QtWidgets import QApplication, QDialog

    import mediation_desk
    from mediation_desk.db import Database
    from mediation_desk.ui import app as desk_app
    from mediation_desk.ui.common import collector as collectors
    from mediation_desk.ui.common.i18n import install_translators, register_fonts

    qt = QApplication(sys.argv[:1])
    register_fonts(qt)
    translators = install_translators(qt, "zh_CN")
    db = Database(f"sqlite:///{args.copy}", create=False)
    desk_app.warm_up(settle=collector.settle)  # beside the login dialog, as the app does
    walker = screens.Walker(qt, args.timeout, None, None, args.quiet)

    def shown() -> None:
        collector.end()
        getattr(collectors, "keep_made", lambda: None)()

    signed = screens.sign_in(walker, db, args.user, shown)
    window, runner = signed.window, signed.runner
    row: dict[str, Any] = {"load": os.getloadavg()[0]}
    print(f"  code: {Path(mediation_desk.__file__).parent}", flush=True)

    # The job CPU: each job's own thread's CPU, beside the walker's wall time of it.
    made: list[tuple[str, float]] = []
    execute = runner._execute

    def executed(handle: Any, job: Any, what: str = "") -> Any:
        started = time.thread_time()
        try:
            return execute(handle, job, what)
        finally:
            made.append((handle.lane.name, (time.thread_time() - started) * 1000))

    runner._execute = executed

    from mediation_desk.ui.shell.main_window import CaseSection

    section = window.sections.get("cases")
    assert isinstance(section, CaseSection), "the user has no case section"
    detail = section.detail_view

    # The after-rows warm-up on a thread of its own (ui.app.Startup._in_background), timed.
    warm_ups: list[tuple[str, Callable[[], object]]] = [("sections", lambda: desk_app.warm_up_sections(
        collector.settle))]
    documents_warm_up = getattr(desk_app, "warm_up_documents", None)
    if documents_warm_up is not None:
        warm_ups.append(("documents", lambda: documents_warm_up(collector.settle)))
    for name, work in warm_ups if not args.no_warm_up else ():
        rss = rss_mb()
        took: dict[str, float] = {}

        def run(work: Callable[[], object] = work, took: dict[str, float] = took) -> None:
            wall, cpu = time.perf_counter(), time.thread_time()
            work()
            took["wall"], took["cpu"] = time.perf_counter() - wall, time.thread_time() - cpu

        walker.settle()
        thread = threading.Thread(target=run, name=f"warm-up {name}", daemon=True)
        walker._last_tick, walker._worst_gap = time.perf_counter(), 0.0
        thread.start()
        while thread.is_alive():
            walker.pump()
        walker._tick()
        row[f"warm_{name}_ms"] = took.get("wall", float("nan")) * 1000
        row[f"warm_{name}_cpu"] = took.get("cpu", float("nan")) * 1000
        row[f"warm_{name}_stall"] = max(0.0, walker._worst_gap * 1000 - screens.HEARTBEAT_MS)
        row[f"warm_{name}_rss"] = rss_mb() - rss
        print(f"  warm-up {name}: {row[f'warm_{name}_ms']:.0f} ms, CPU {row[f'warm_{name}_cpu']:.0f} ms, "
              f"GUI stall {row[f'warm_{name}_stall']:.1f} ms, RSS +{row[f'warm_{name}_rss']:.1f} MB", flush=True)
        if name == "sections" and args.click_during:
            # A person's first clicks as the sections' warm-up ends: the case section, then a case
            # opened — beside the documents' warm-up where the checkout has one (begun with the first).
            during = None
            if documents_warm_up is not None:
                during = threading.Thread(target=lambda: documents_warm_up(collector.settle),
                                          name="warm-up documents", daemon=True)

            def show_section(during: threading.Thread | None = during) -> None:
                if during is not None:
                    during.start()
                window.tabs.setCurrentWidget(section)

            for index, (label, click) in enumerate((
                    ("the case section", show_section),
                    ("a case opened", lambda: section.open_case(args.notice_case)))):
                walker.step(f"{label} (during the documents' warm-up)", click)
                row[f"click_{index}_ms"] = walker.steps[-1].data_ms
                row[f"click_{index}_stall"] = walker.steps[-1].stall_ms
            if during is not None:
                row["click_warm_up_running_after"] = during.is_alive()
                during.join()
            break

    window.tabs.setCurrentWidget(section)
    walker.settle()

    def show_tab(case_id: int, key: str) -> Any:
        if detail.case_id != case_id:
            section.open_case(case_id)
            walker.settle()
        detail.tabs.setCurrentWidget(detail.work_pages[key])
        walker.settle()
        return detail.work_tabs[key]

    def notice() -> Callable[[], None]:
        tab = show_tab(args.notice_case, "sessions")
        tab.table.selectRow(0)
        assert tab.notices_button.isEnabled(), "打印通知书 is not enabled"
        return screens_click(tab.notices_button)

    def agreement() -> Callable[[], None]:
        tab = show_tab(args.agreement_case, "documents")
        chosen = tab.row_of("agreement")
        assert chosen is not None, "the 文书 tab lists no agreement"
        tab.table.setCurrentIndex(tab.model.index(chosen, 0))
        assert tab.open_button.isEnabled(), "the agreement cannot be previewed"
        return screens_click(tab.open_button)

    dialog_made: list[float] = []

    def answer_print_dialog(preview: Any) -> None:
        def cancelled(_dialog: Any) -> int:
            dialog_made.append(time.perf_counter())
            return QDialog.DialogCode.Rejected

        preview.exec_print_dialog = cancelled

    window.receipts.preview_opened.connect(answer_print_dialog)

    def receipt() -> Callable[[], None]:
        return lambda: window.receipts.print_receipt(args.receipt_case)

    key, label = args.document, dict(DOCUMENTS)[args.document]
    action = {"notice": notice, "agreement": agreement, "receipt": receipt}[key]
    for turn in (1, 2):
        clicked = action()
        made.clear()
        dialog_made.clear()
        clicks: list[float] = []

        def click(clicked: Callable[[], None] = clicked, clicks: list[float] = clicks) -> None:
            clicks.append(time.perf_counter())
            clicked()

        walker.step(f"{label} #{turn}", click)
        step = walker.steps[-1]
        slow = [cpu for lane, cpu in made if lane == "SLOW"]
        row[f"{key}_{turn}_ms"] = step.data_ms
        row[f"{key}_{turn}_stall"] = step.stall_ms
        row[f"{key}_{turn}_gui_cpu"] = step.gui_cpu_ms
        row[f"{key}_{turn}_cpu"] = step.cpu_ms
        row[f"{key}_{turn}_job_cpu"] = sum(slow)
        if dialog_made and clicks:
            row[f"{key}_{turn}_dialog_ms"] = (dialog_made[-1] - clicks[0]) * 1000
        screens_close(walker, window)
    print(json.dumps(row), flush=True)
    screens.sign_out(walker, signed)
    db.dispose()
    del translators
    return 0


def screens_click(widget: Any) -> Callable[[], None]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    return lambda: QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def screens_close(walker: Any, window: Any) -> None:
    """The previews (and anything else shown over the window) closed, outside the timing."""
    from PySide6.QtWidgets import QApplication, QDialog

    for widget in QApplication.topLevelWidgets():
        if widget is not window and widget.isVisible() and widget.isWindow():
            if isinstance(widget, QDialog):
                widget.reject()
            widget.close()
    walker.settle()


# ---------------------------------------------------------------------- the table (parent)


def summary(found: dict[str, list[dict[str, Any]]]) -> None:
    from timing import median_of

    print("\nmedians over the runs, ms (first / second of the process); job CPU: the slow-lane job that made "
          "the PDF, on its own thread; GUI CPU: the GUI thread's in the step")
    print(f"{'document':<16} | {'checkout':<8} | {'runs':>4} | {'to data':>15} | {'job CPU':>13} | "
          f"{'GUI CPU':>13} | {'worst stall':>13} | {'print dialog':>13}")
    for key, label in DOCUMENTS:
        for name, every in found.items():
            rows = [row for row in every if f"{key}_1_ms" in row]
            if not rows:
                continue

            def pair(what: str, rows: list[dict[str, Any]] = rows, key: str = key) -> str:
                return " / ".join(f"{median_of(rows, f'{key}_{turn}_{what}'):.0f}" for turn in (1, 2))

            dialog = pair("dialog_ms") if key == "receipt" else "—"
            print(f"{label:<16} | {name:<8} | {len(rows):>4} | {pair('ms'):>15} | {pair('job_cpu'):>13} | "
                  f"{pair('gui_cpu'):>13} | {pair('stall'):>13} | {dialog:>13}")
    for name, rows in found.items():
        if any("click_0_ms" in row for row in rows):
            print(f"{name}: clicked as the sections' warm-up ends (with the documents' warm-up begun at the first "
                  f"click where the checkout has one): the case section {median_of(rows, 'click_0_ms'):.0f} ms to "
                  f"data (stall {median_of(rows, 'click_0_stall'):.0f}), then a case opened "
                  f"{median_of(rows, 'click_1_ms'):.0f} ms (stall {median_of(rows, 'click_1_stall'):.0f})")
        for warm in ("sections", "documents"):
            if any(f"warm_{warm}_ms" in row for row in rows):
                print(f"{name}: the after-rows warm-up of the {warm} on its thread: "
                      f"{median_of(rows, f'warm_{warm}_ms'):.0f} ms, its CPU {median_of(rows, f'warm_{warm}_cpu'):.0f} "
                      f"ms; the GUI thread's worst stall meanwhile {median_of(rows, f'warm_{warm}_stall'):.1f} ms "
                      f"(median), {max(row.get(f'warm_{warm}_stall', 0.0) for row in rows):.1f} ms (worst run); "
                      f"RSS +{median_of(rows, f'warm_{warm}_rss'):.1f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, help="the demo (only read, copied once)")
    parser.add_argument("--copy", type=Path, default=None, help="default: first-docs.sqlite beside the source")
    parser.add_argument("--runs", type=int, default=4, help="child processes of each checkout")
    parser.add_argument("--baseline", type=Path, help="another checkout, run in alternate children")
    parser.add_argument("--user", default="clerk")
    parser.add_argument("--no-warm-up", action="store_true", help="leave the after-rows warm-up out")
    parser.add_argument("--click-during", action="store_true",
                        help="instead of timing the documents' warm-up alone, click the case section and open a "
                             "case as it starts (where the checkout has one), timed as steps")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--quiet", type=float, default=0.3)
    parser.add_argument("--documents", default=",".join(key for key, _ in DOCUMENTS),
                        help="which documents (notice, agreement, receipt), each in children of its own")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--document", choices=[key for key, _ in DOCUMENTS], help=argparse.SUPPRESS)
    for key, _label in DOCUMENTS:
        parser.add_argument(f"--{key}-case", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    if args.source is None and args.copy is None:
        parser.error("--source or --copy is needed")
    copy = args.copy or args.source.with_name("first-docs.sqlite")
    os.environ.setdefault("MEDIATION_DESK_HOME", str(copy.parent / "home"))
    cases = prepare(args.source or copy, copy, args.user)
    from timing import alternate_children, loadavg

    print(f"load {loadavg()}; cases: {cases}; user {args.user}", flush=True)
    child_args = ["--copy", str(copy), "--user", args.user, "--timeout", str(args.timeout), "--quiet", str(args.quiet),
                  *[f"--{key}-case={case}" for key, case in cases.items()],
                  *(["--no-warm-up"] if args.no_warm_up else []),
                  *(["--click-during"] if args.click_during else [])]
    checkouts = [("branch", HERE.parent)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    found: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in checkouts}
    for document in args.documents.split(","):
        print(f"{dict(DOCUMENTS)[document]}: the session's first document", flush=True)
        rows = alternate_children(Path(__file__).resolve(), checkouts, args.runs,
                                  [*child_args, "--document", document.strip()])
        if rows is None:
            return 1
        for name, more in rows.items():
            found[name] += more
    summary(found)
    print(f"load after: {loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
