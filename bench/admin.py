"""The administrator's 备份 / 恢复 on the 1M demo (7.8 GB), through the real ``BackupPanel``.

Each step runs in a process of its own (offscreen, a threaded ``TaskRunner``), for this checkout
and, with ``--baseline`` DIR, that one too, alternately. Figures: **first** (ms from the click to
the first progress or stage shown), **reports** (progress and stage signals received), **stall**
(the longest the GUI thread did not answer a 10 ms heartbeat timer), **wall** and **CPU** (the
whole process's), and the load.

* ``show``: the panel's first show over a backup folder holding a 7.8 GB backup (a hard link to
  the demo: no space) — does listing read the files?
* ``backup``: 立即备份 on the demo copy; 5 s in, a save (a case registered by the clerk) is
  submitted: **save wait** is its submit → answer. The backup is deleted afterwards.
* ``check``: 恢复 of the 7.8 GB backup: the click → the confirmation (then 取消 on it).
* ``close``: the same check, and 10 s in the desk closes (``TaskRunner.shutdown``): how long the
  closing waits (the baseline is given ``--close-cap`` s, then killed and reported as more).
* ``restore``: the check, then 替换数据库 into a small live database (the demo copy is never
  replaced): click → restored, each stage's start.
* ``refused``: 恢复 of a truncated copy (``--truncated``): the click → the message.
* ``nospace``: 立即备份 into a 1 GB tmpfs (mounted and unmounted here; needs root): the click →
  the message, and what it says.
* ``daily``: the day's backup (``ui.shell.daily_backup.DailyBackup``, its own low-priority thread)
  and a person working meanwhile: the head's case list (count and first 200 rows) and a save (a
  case registered by the clerk), timed one after another before the backup and while it copies.
* ``scanback``: 扫描回收 as the clerk (``ScanBackPanel``): its first show (the clerk's queue), a
  page scanned from SANE's ``test`` device (no code: into the queue) and a printed, "signed" and
  scanned page of a demo case's agreement (its code files it on the case): each from
  ``process`` to the result shown. Writes the pages into the demo copy.

    .venv/bin/python bench/admin.py [--database /work/bench-data/admin-1m/demo.sqlite]
        [--baseline /work/main] [--steps show,backup,check,close,restore,refused,nospace]
        [--truncated PATH] [--close-cap 120]

The database copy gets audit entries (sign-in, backup); nothing else in it changes. Files made
(a backup, the restored small database, the staged copies) are deleted after each step; never
more than three 7.8 GB files at once (the demo, the staged copy, the restored live file).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")

HERE = Path(__file__).resolve().parent
DATABASE = Path("/work/bench-data/admin-1m/demo.sqlite")
TRUNCATED = Path("/work/bench-data/admin-1m/raw/truncated-20261207-120000-manual.sqlite3")
STEPS = ("show", "backup", "check", "close", "restore", "refused", "nospace", "scanback", "daily")
HEARTBEAT_MS = 10
#: The audit chain's id and key the bench gave the demo copy (``--rekey``), for its child processes.
KEY_ENV = "ADMIN_BENCH_AUDIT_KEY"


def use_audit_key() -> None:
    """This process's keychain in memory, holding the audit key ``--rekey`` gave the demo copy (the
    demo's own was in the memory keychain of the process that built it): without it a restore's
    check refuses the demo at its last stage (密钥不在本机), after the copy and integrity_check."""
    sys.path.insert(0, str(HERE))
    from timing import use_memory_keyring

    use_memory_keyring()
    given = os.environ.get(KEY_ENV)
    if given:
        import keyring

        from mediation_desk.services import audit

        chain, key = json.loads(given)
        keyring.set_password(audit.KEY_SERVICE, chain, key)


def rekey(database: Path) -> tuple[str, str]:
    """A fresh chain id and key for the demo copy's audit chain, every entry's MAC made under it
    (what ``audit.seal_export`` does for a server's export), so that this bench can verify it."""
    import secrets
    import sqlite3

    from mediation_desk.services import audit

    key, chain = secrets.token_bytes(32), secrets.token_hex(16)
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT id, seq, entry_hash FROM audit_entry WHERE seq IS NOT NULL "
                            "AND entry_hash IS NOT NULL").fetchall()
        conn.executemany("UPDATE audit_entry SET mac = ? WHERE id = ?",
                         [(audit._mac(key, chain, seq, digest), row_id) for row_id, seq, digest in rows])
        conn.execute("INSERT INTO center_setting (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (audit.CHAIN_ID_SETTING, chain))
    conn.close()
    return chain, key.hex()


class Watch:
    """A heartbeat on the GUI thread and the first report after a click."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gap = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.clicked = 0.0
        self.first: float | None = None
        self.reports = 0
        self.stages: list[tuple[float, str]] = []

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gap = max(self.gap, now - self._last)
        self._last = now

    def start(self) -> None:
        self.gap = 0.0
        self._last = time.perf_counter()
        self.clicked = time.perf_counter()
        self.cpu = time.process_time()
        self.timer.start()

    def report(self, *_args: Any) -> None:
        self.reports += 1
        if self.first is None:
            self.first = time.perf_counter() - self.clicked

    def stage(self, text: str) -> None:
        self.report()
        self.stages.append((round(time.perf_counter() - self.clicked, 1), text))

    def figures(self) -> dict[str, Any]:
        return {"first_ms": None if self.first is None else round(self.first * 1000),
                "reports": self.reports, "stall_ms": round(self.gap * 1000),
                "wall_s": round(time.perf_counter() - self.clicked, 1),
                "cpu_s": round(time.process_time() - self.cpu, 1), "load": round(os.getloadavg()[0], 2)}


def _wait(app: Any, done: Any, limit: float = 3600) -> None:
    deadline = time.perf_counter() + limit
    while not done() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)


def _daily(args: argparse.Namespace) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from mediation_desk.db import Database
    from mediation_desk.services import auth, caselist
    from mediation_desk.services.caselist import CaseQuery
    from mediation_desk.services.setup import DEMO_PASSWORD
    from mediation_desk.ui.shell.daily_backup import DailyBackup

    db = Database(f"sqlite:///{args.database}", create=False)
    head = auth.login(db, "head", DEMO_PASSWORD, audited=False)
    folder = Path(tempfile.mkdtemp(prefix="admin-bench-daily-", dir=args.database.parent))

    def work() -> tuple[float, float]:
        started = time.perf_counter()
        with db.read() as session:
            total = caselist.count_cases(session, head, CaseQuery())
            caselist.fetch_window(session, head, CaseQuery(), 0, 200, total=total)
        read = time.perf_counter() - started
        started = time.perf_counter()
        _register(db)
        return round(read * 1000), round((time.perf_counter() - started) * 1000)

    try:
        before = [work() for _ in range(3)]
        daily = DailyBackup(folder=folder)
        started = time.perf_counter()
        cpu = time.process_time()
        daily.start(db)
        during = []
        while daily.running:
            app.processEvents()
            during.append(work())
            time.sleep(0.5)
        return {"step": "daily", "backup_wall_s": round(time.perf_counter() - started, 1),
                "cpu_s": round(time.process_time() - cpu, 1), "load": round(os.getloadavg()[0], 2),
                "before_read_save_ms": before, "during_read_save_ms": during,
                "made": [p.name for p in folder.glob("*.sqlite3")]}
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def _scanback(args: argparse.Namespace) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    sane_dir = Path(tempfile.mkdtemp(prefix="sane-"))
    (sane_dir / "dll.conf").write_text("test\n", encoding="ascii")
    shutil.copyfile("/etc/sane.d/test.conf", sane_dir / "test.conf")
    os.environ["SANE_CONFIG_DIR"] = str(sane_dir)
    sys.path.insert(0, str(HERE.parent))
    from sqlalchemy import select

    from mediation_desk.db import Database
    from mediation_desk.models import Agreement, AgreementKind, DisputeCase
    from mediation_desk.scanning.backends import SaneScanner, ScanSettings
    from mediation_desk.services import auth, dossier
    from mediation_desk.services.scanback import ScannedPage
    from mediation_desk.services.setup import DEMO_PASSWORD
    from mediation_desk.ui.common.tasks import TaskRunner
    from mediation_desk.ui.scanning.scanback import ScanBackPanel
    from tests.services.test_scanback import render_page, scanner

    db = Database(f"sqlite:///{args.database}", create=False)
    clerk = auth.login(db, "clerk", DEMO_PASSWORD)
    head = auth.login(db, "head", DEMO_PASSWORD, audited=False)
    runner = TaskRunner(db)
    watch = Watch()
    result: dict[str, Any] = {"step": "scanback"}
    try:
        watch.start()
        panel = ScanBackPanel(runner, clerk)
        panel.resize(1100, 700)
        panel.show()
        _wait(app, lambda: runner.running == 0)
        result["open"] = watch.figures()
        started = time.perf_counter()
        [page] = SaneScanner().scan("test:0", ScanSettings(dpi=100, extra_options={"test_picture": "Grid"}))
        result["sane_scan_s"] = round(time.perf_counter() - started, 2)
        watch.start()
        panel.process([ScannedPage.of_page(page)], "扫描仪 test:0")
        _wait(app, lambda: not panel.busy and runner.running == 0)
        result["no_code"] = watch.figures()
        result["no_code_status"] = panel.status.text()[:120]
        with db.read() as session:
            agreement_id, case_id = session.execute(
                select(Agreement.id, Agreement.case_id).join(DisputeCase, DisputeCase.id == Agreement.case_id)
                .where(Agreement.kind == AgreementKind.WRITTEN, DisputeCase.center_id == clerk.center_id)
                .order_by(Agreement.id.desc()).limit(1)).one()
            pdf = dossier.render_document(session, head, case_id, "agreement", document_id=agreement_id)
        work = Path(tempfile.mkdtemp(prefix="scan-"))
        scanned = scanner(render_page(pdf, 1, work), seed=1, fmt="JPEG")
        shutil.rmtree(work, ignore_errors=True)
        watch.start()
        panel.process([ScannedPage(data=scanned, name="page-1.jpg")], "扫描仪 test:0")
        _wait(app, lambda: not panel.busy and runner.running == 0)
        result["coded"] = watch.figures()
        result["coded_status"] = panel.status.text()[:160]
        return result
    finally:
        runner.shutdown()
        db.dispose()
        shutil.rmtree(sane_dir, ignore_errors=True)


def _one(args: argparse.Namespace) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from mediation_desk.db import Database, upgrade
    from mediation_desk.services import auth
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.setup import DEMO_PASSWORD
    from mediation_desk.ui.admin.backup import BackupPanel
    from mediation_desk.ui.common import i18n
    from mediation_desk.ui.common.tasks import TaskRunner

    translators = i18n.install_translators(app, "zh_CN")  # noqa: F841  # kept alive to the end
    use_audit_key()
    if args.one == "scanback":
        return _scanback(args)
    if args.one == "daily":
        return _daily(args)
    work = Path(tempfile.mkdtemp(prefix="admin-bench-", dir=args.database.parent))
    folder = work / "backups"
    folder.mkdir()
    big = folder / "demo-20261201-000000-manual.sqlite3"
    step = args.one
    if step in ("backup", "nospace"):
        db = Database(f"sqlite:///{args.database}", create=False)
        actor = auth.login(db, "admin", DEMO_PASSWORD)
    else:  # a small live database: the demo copy is never replaced
        db = Database(f"sqlite:///{work / 'live.sqlite3'}")
        upgrade(db, backup=False)
        actor = Actor.system("bench")
        os.link(args.database, big)  # the 7.8 GB backup, at no cost in space
    if step == "refused":
        os.link(args.truncated, folder / args.truncated.name)
    mount = None
    if step == "nospace":
        mount = work / "small"
        mount.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1g", "tmpfs", str(mount)], check=True)
        folder = mount
    runner = TaskRunner(db)
    watch = Watch()
    result: dict[str, Any] = {"step": step}
    try:
        watch.start()
        panel = BackupPanel(runner, actor, folder=folder)
        panel.resize(1000, 600)
        panel.show()
        _wait(app, lambda: runner.running == 0)
        if step == "show":
            result.update(watch.figures(), rows=panel.model.rowCount())
            return result
        panel.progress.connect(watch.report)
        stage_signal = getattr(panel, "stage", None)
        if stage_signal is not None:
            stage_signal.connect(watch.stage)

        def busy() -> bool:
            return not panel.backup_button.isEnabled()

        if step in ("backup", "nospace"):
            saves: dict[str, float] = {}
            watch.start()
            QTest.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
            if step == "backup":
                _wait(app, lambda: not busy() or time.perf_counter() - watch.clicked > 5)
                saves["asked"] = time.perf_counter()
                runner.run_job(lambda: _register(db), on_success=lambda _: saves.update(done=time.perf_counter()))
            _wait(app, lambda: not busy() and runner.running == 0)
            result.update(watch.figures(), message=panel.message.text()[:160])
            if "done" in saves:
                result["save_wait_s"] = round(saves["done"] - saves["asked"], 2)
            for made in folder.glob("*-manual*.sqlite3"):
                made.unlink()
            return result
        chosen = folder / args.truncated.name if step == "refused" else big
        watch.start()
        panel.check_then_confirm(chosen)
        if step == "close":
            _wait(app, lambda: time.perf_counter() - watch.clicked > 10)
            started = time.perf_counter()
            runner.shutdown()
            result.update(watch.figures(), close_wait_s=round(time.perf_counter() - started, 1))
            return result
        _wait(app, lambda: panel.confirmation is not None or not busy())
        result.update(check=watch.figures(), stages=watch.stages, message=panel.message.text()[:200])
        box = panel.confirmation
        if step != "restore" or box is None or panel.confirm_button is None:
            if box is not None:
                box.reject()
            return result
        restored: list[Any] = []
        panel.restored.connect(restored.append)
        watch.first, watch.reports, watch.stages = None, 0, []
        watch.start()
        panel.confirm_button.click()
        _wait(app, lambda: not busy() and runner.running == 0)
        result.update(restore=watch.figures(), restore_stages=watch.stages, restored=bool(restored),
                      restore_message=panel.message.text()[:200])
        return result
    finally:
        runner.shutdown()
        db.dispose()
        if mount is not None:
            subprocess.run(["umount", str(mount)], check=False)
        shutil.rmtree(work, ignore_errors=True)


def _register(db: Any) -> int:
    from mediation_desk.models import PartyRole
    from mediation_desk.services import auth, cases, reference
    from mediation_desk.services.setup import DEMO_PASSWORD

    clerk = auth.login(db, "clerk", DEMO_PASSWORD, audited=False)
    with db.write() as session:
        type_id = next(t.id for t in reference.dispute_types(session) if t.name == "邻里")
        return cases.register_case(session, clerk, cases.CaseInput(
            title="备份时登记的案件", dispute_type_id=type_id,
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name="张三"),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name="李四")],
            facts="两家因院前通道发生争执。", requests=["恢复通行"]))


def _run(checkout: Path, step: str, args: argparse.Namespace, cap: float | None = None) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    command = [sys.executable, str(HERE / "admin.py"), "--one", step, "--database", str(args.database),
               "--truncated", str(args.truncated)]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=checkout,
                              timeout=cap)
    except subprocess.TimeoutExpired:
        for left in args.database.parent.glob("admin-bench-*"):
            subprocess.run(["umount", str(left / "small")], check=False, capture_output=True)
            shutil.rmtree(left, ignore_errors=True)
        return {"step": step, "killed_after_s": cap}
    if done.returncode:
        return {"step": step, "failed": done.stderr[-1500:]}
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=DATABASE)
    parser.add_argument("--truncated", type=Path, default=TRUNCATED)
    parser.add_argument("--baseline", type=Path, help="another checkout, measured alternately")
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--close-cap", type=float, default=120, help="seconds the baseline's closing may take")
    parser.add_argument("--rekey", action="store_true",
                        help="first give the copy's audit chain a key of this bench (else the demo cannot be restored)")
    parser.add_argument("--one", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.database.parent / "home"))
    if args.one:
        args.truncated = args.truncated.resolve()
        print(json.dumps(_one(args), ensure_ascii=False))
        return 0
    if not args.database.exists():
        raise SystemExit(f"no {args.database}: copy the 1M demo there first (never use the shared file)")
    if args.rekey:
        os.environ[KEY_ENV] = json.dumps(rekey(args.database))
    print(f"{args.database} ({args.database.stat().st_size / 1024 ** 3:.1f} GB); "
          f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    for step in args.steps.split(","):
        checkouts = [("branch", HERE.parent)]
        if args.baseline is not None:
            checkouts.insert(0, ("baseline", args.baseline))
        for label, checkout in checkouts:
            cap = args.close_cap if step == "close" else None
            print(f"{label:8} {step:8}", json.dumps(_run(checkout, step, args, cap), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
