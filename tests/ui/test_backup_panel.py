"""The administrator's backup panel: list, back up now, restore with a check and a confirmation."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediation_desk.db import Database
from mediation_desk.models import DisputeCase
from mediation_desk.services import backup
from mediation_desk.ui.admin.backup import BackupPanel, BackupsModel
from mediation_desk.ui.common import i18n

from ..conftest import login_as
from .conftest import Runner, check_model, register_case
from .jobholds import job_holdings

pytestmark = pytest.mark.gui

SHOTS = os.environ.get("MEDIATION_DESK_SHOTS", "")


@pytest.fixture
def panel(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, tmp_path: Path) -> BackupPanel:
    widget = BackupPanel(runner, login_as(demo_sqlite_db, "admin"), folder=tmp_path / "backups")
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    return widget


def cases(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(DisputeCase)) or 0)


def select_row(panel: BackupPanel, row: int) -> None:
    panel.table.selectionModel().select(
        panel.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)


def test_back_up_now_lists_the_backup(panel: BackupPanel, qtmodeltester: ModelTester) -> None:
    assert panel.model.rowCount() == 0
    # An empty list says why (it was an empty table without a word).
    assert panel.empty_label.isVisible() and panel.empty_label.text().startswith("No backup in this folder yet")
    progress: list[tuple[int, int]] = []
    panel.progress.connect(lambda d, t: progress.append((d, t)))
    QTest.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 1 and progress and progress[-1][0] == progress[-1][1]
    assert not panel.empty_label.isVisible()
    assert panel.model.data(panel.model.index(0, BackupsModel.COL_KIND)) == "手动备份"
    assert panel.message.text().startswith("Backed up to ")
    check_model(qtmodeltester, panel.model)


def test_restore_checks_asks_and_replaces(panel: BackupPanel, demo_sqlite_db: Database, qtbot: QtBot,
                                          qapp: QApplication) -> None:
    i18n.register_fonts(qapp)
    QTest.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    before = cases(demo_sqlite_db)
    register_case(demo_sqlite_db, login_as(demo_sqlite_db, "clerk"))
    assert cases(demo_sqlite_db) == before + 1
    select_row(panel, 0)
    QTest.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    box = panel.confirmation
    assert box is not None and box.isVisible()
    assert f"{before:,} cases" in box.informativeText() and "integrity check" in box.informativeText()
    # Under the question: the check's outcome, not the stage it ended in.
    assert panel.message.text().endswith("passed every check.") and "integrity_check" not in panel.message.text()
    qtbot.wait(20)
    box.grab().save("/tmp/backup_confirm.png")
    live_folder = Path(str(demo_sqlite_db.url.database)).parent
    assert len(list(live_folder.glob(".restore-check-*"))) == 1  # the checked copy, kept for the restore
    # Cancel changes nothing, and the kept copy goes.
    cancel = next(b for b in box.buttons() if b is not panel.confirm_button)
    cancel.click()
    assert cases(demo_sqlite_db) == before + 1
    assert panel.message.text() == "Not restored: the database was not changed."
    assert list(live_folder.glob(".restore-check-*")) == []
    QTest.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert panel.confirmation is not None and panel.confirm_button is not None
    stages: list[str] = []
    cancellable: list[bool] = []
    panel.stage.connect(stages.append)
    panel.stage.connect(lambda _text: cancellable.append(panel.cancel_button.isEnabled()))
    with qtbot.waitSignal(panel.restored, timeout=5000) as restored:
        panel.confirm_button.click()
    assert stages == [backup.SAFETY, backup.WRITING, backup.FINAL_CHECK]  # not copied and checked again
    assert cancellable == [True, False, False]  # 取消 until the backup is being written into the database
    assert list(live_folder.glob(".restore-check-*")) == []
    assert cases(demo_sqlite_db) == before
    assert restored.args[0].safety_backup is not None
    assert panel.model.rowCount() == 2  # the safety copy is listed too
    assert "restored" in panel.message.text()
    qtbot.wait(20)
    panel.grab().save("/tmp/backup_panel.png")


def test_a_damaged_backup_is_refused_with_the_reason(panel: BackupPanel, demo_sqlite_db: Database,
                                                     tmp_path: Path) -> None:
    bad = tmp_path / "backups" / "cases-20260101-000000-manual.sqlite3"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    panel.refresh()
    select_row(panel, 0)
    before = cases(demo_sqlite_db)
    QTest.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert panel.confirmation is None
    assert "损坏" in panel.message.text() and panel.restore_button.isEnabled()
    assert cases(demo_sqlite_db) == before


def test_a_backup_with_a_planted_trigger_is_refused_naming_it(panel: BackupPanel, demo_sqlite_db: Database,
                                                              qtbot: QtBot, qapp: QApplication) -> None:
    i18n.register_fonts(qapp)
    QTest.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    (saved,) = panel.folder.glob("*-manual.sqlite3")
    with contextlib.closing(sqlite3.connect(saved)) as conn:
        conn.execute("CREATE TRIGGER keep_unlocked AFTER UPDATE OF failed_logins ON app_user "
                     "BEGIN UPDATE app_user SET failed_logins = 0 WHERE id = new.id; END")
        conn.commit()
    panel.refresh()
    select_row(panel, 0)
    QTest.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert panel.confirmation is None
    assert "备份中多出触发器 keep_unlocked（表 app_user）" in panel.message.text()
    assert panel.restore_button.isEnabled()
    qtbot.wait(20)
    panel.grab().save("/tmp/backup_refused.png")


def threaded_panel(threaded: Runner, db: Database, qtbot: QtBot, folder: Path) -> BackupPanel:
    widget = BackupPanel(threaded, login_as(db, "admin"), folder=folder)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: threaded.running == 0)
    return widget


def test_a_save_is_not_held_up_by_back_up_now(threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                             tmp_path: Path) -> None:
    """The manual backup only reads: a save made while it copies is done before the copy ends
    (on the write lane it waited for the whole copy: half a minute and more for the 1M demo)."""
    panel = threaded_panel(threaded, demo_sqlite_db, qtbot, tmp_path / "backups")
    saved = threading.Event()
    during: list[bool] = []

    def first_step(_done: int, _total: int) -> None:  # on the backup's worker thread
        if not during:
            during.append(saved.wait(30))  # the copy waits here until the save is done

    panel.progress.connect(first_step, Qt.ConnectionType.DirectConnection)
    QTest.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    clerk = login_as(demo_sqlite_db, "clerk")
    threaded.run_job(lambda: register_case(demo_sqlite_db, clerk), on_success=lambda _: saved.set())  # a save
    qtbot.waitUntil(panel.backup_button.isEnabled, timeout=40_000)
    assert during == [True]
    assert panel.message.text().startswith("Backed up to ")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)  # the list's refresh after it


def test_closing_the_desk_stops_a_backup_under_way(threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                   tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    panel = threaded_panel(threaded, demo_sqlite_db, qtbot, folder)
    copying = threading.Event()

    def step(_done: int, _total: int) -> None:  # on the worker: the copy goes on until the desk closes
        copying.set()
        deadline = time.monotonic() + 10
        while not threaded.closing and time.monotonic() < deadline:
            time.sleep(0.01)

    panel.progress.connect(step, Qt.ConnectionType.DirectConnection)
    QTest.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    assert copying.wait(10)
    started = time.monotonic()
    threaded.shutdown(dispose=False)  # what closing the desk does
    assert time.monotonic() - started < 5
    assert list(folder.iterdir()) == []  # no backup, no partial file


def test_cancel_stops_the_check_of_a_backup(panel: BackupPanel, demo_sqlite_db: Database) -> None:
    QTest.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    seen: list[str] = []

    def stage(text: str) -> None:
        seen.append(panel.message.text())
        if text == backup.CHECKING:
            assert panel.cancel_button.isVisible() and panel.cancel_button.isEnabled()
            QTest.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)

    panel.stage.connect(stage)
    select_row(panel, 0)
    QTest.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert panel.confirmation is None
    assert panel.message.text().startswith("已取消") and not panel.cancel_button.isVisible()
    assert panel.restore_button.isEnabled() and panel.backup_button.isEnabled()
    assert any(backup.COPYING in text for text in seen)  # each stage was shown as it began


def test_the_days_start_removes_a_check_a_killed_desk_left_behind(demo_sqlite_db: Database, qtbot: QtBot,
                                                                   tmp_path: Path) -> None:
    """The day's backup thread (after the first rows) first removes a backup check's copy that a
    desk killed mid-check left beside the database (as large as the database), then backs up."""
    from mediation_desk.ui.shell.daily_backup import DailyBackup

    here = Path(str(demo_sqlite_db.url.database)).parent
    left = here / f"{backup.CHECK_PREFIX}killed"
    left.mkdir()
    (left / "backup.sqlite3").write_bytes(b"\x00" * 4096)
    long_ago = time.time() - backup.STALE_CHECK_SECONDS - 60
    for path in (left / "backup.sqlite3", left):
        os.utime(path, (long_ago, long_ago))
    in_use = here / f"{backup.CHECK_PREFIX}in-use"
    in_use.mkdir()
    just_now = time.time()  # the test's clock (files get the system's): another day's run moves it
    os.utime(in_use, (just_now, just_now))
    daily = DailyBackup(folder=tmp_path / "daily")
    with qtbot.waitSignal(daily.finished, timeout=60_000):
        daily.start(demo_sqlite_db)
    daily.stop()
    assert not left.exists() and in_use.is_dir()
    assert len(backup.list_backups(tmp_path / "daily")) == 1


def test_the_panels_jobs_do_not_hold_the_panel(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job's function goes with its work item on the worker thread: had it held the panel (a bound
    method), the panel's last reference could be dropped there and the widget deleted off the GUI
    thread (a full test run's worker crashed so in a threaded runner's teardown)."""
    panel = BackupPanel(runner, login_as(demo_sqlite_db, "admin"), folder=tmp_path / "backups")
    qtbot.addWidget(panel)
    jobs: list[object] = []
    submit = runner._submit

    def noted(lane: object, job: object, *args: object, **kwargs: object) -> object:
        jobs.append(job)
        return submit(lane, job, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "_submit", noted)
    panel.back_up_now()  # the backup, then the list read again
    made = sorted((tmp_path / "backups").glob("*.sqlite3"))
    assert made
    panel.check_then_confirm(made[0])
    assert panel.confirmation is not None and panel.confirm_button is not None
    panel.confirm_button.click()  # the restore
    assert len(jobs) >= 4
    assert [path for job in jobs for path in job_holdings(job, allowed=(runner,))] == []


def test_an_empty_folder_says_why_in_chinese(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                             tmp_path: Path, chinese: None, app_fonts: str | None) -> None:
    widget = BackupPanel(runner, login_as(demo_sqlite_db, "admin"), folder=tmp_path / "backups")
    qtbot.addWidget(widget)
    widget.resize(1366, 660)
    widget.show()
    assert widget.empty_label.isVisible()
    assert widget.empty_label.text().startswith("此文件夹中尚无备份：点“立即备份”即可备份一份")
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / "backups-empty.png"))
