"""Start-up: first run seeds the demo center, then login, then the main window; database errors
end in a message and a non-zero exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from pytestqt.qtbot import QtBot

from mediation_desk import demo, settings
from mediation_desk.db import Database, alembic_config, head_revision, upgrade
from mediation_desk.ui.app import EXIT_DATABASE_ERROR, Startup
from mediation_desk.ui.shell.main_window import MainWindow

from .conftest import ROOT, Runner

pytestmark = pytest.mark.gui


@pytest.fixture
def startups(qtbot: QtBot) -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        startup.close()


def start(qtbot: QtBot, startups: list[Startup], database_url: str | None = None) -> Startup:
    startup = Startup(database_url, runner=Runner(None))
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startups.append(startup)
    startup.begin()
    return startup


def test_first_run_seeds_the_demo_center_then_logs_in(qtbot: QtBot, startups: list[Startup]) -> None:
    assert not settings.default_database_path().exists()
    startup = start(qtbot, startups)
    login = startup.login
    qtbot.waitUntil(login.login_button.isEnabled, timeout=30_000)
    assert settings.default_database_path().exists()
    assert login.demo_hint.isVisible() and demo.DEMO_PASSWORD in login.demo_hint.text()
    assert startup.progress is None  # the progress dialog was shown and closed
    login.username.setText("head")
    login.password.setText(demo.DEMO_PASSWORD)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        login.submit()
    window = startup.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.isVisible() and not login.isVisible()
    assert window.section_titles() == ["Desk", "Cases", "Closure review", "Publicity", "Statistics",
                                       "Cards and limits", "Registration", "Signed papers", "Organisation",
                                       "Holidays and time limits", "Subsidies", "Audit log"]
    assert "张掖市甘州区矛盾纠纷调处中心" in window.windowTitle()


def test_existing_database_is_not_seeded(qtbot: QtBot, startups: list[Startup], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'center.sqlite3'}"
    database = Database(url)
    upgrade(database)
    database.dispose()
    startup = start(qtbot, startups, url)
    qtbot.waitUntil(startup.login.login_button.isEnabled, timeout=10_000)
    assert startup.login.demo_hint.isHidden()
    assert not settings.default_database_path().exists()


def test_upgrade_of_an_older_database_says_where_the_backup_is(qtbot: QtBot, startups: list[Startup],
                                                               tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'center.sqlite3'}"
    database = Database(url)
    cfg = alembic_config()
    oldest = list(ScriptDirectory.from_config(cfg).walk_revisions())[-1].revision
    if oldest == head_revision():
        pytest.skip("only one schema revision exists: nothing to upgrade from")
    with database.writer.begin() as connection:  # a desk that last ran an older version
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, oldest)
    database.dispose()
    startup = start(qtbot, startups, url)
    qtbot.waitUntil(startup.login.login_button.isEnabled, timeout=10_000)
    box = startup.message_box
    assert box is not None and box.isVisible()
    backups = list((settings.data_dir() / "backups").glob("center-*-before-*.sqlite3"))
    assert len(backups) == 1
    assert str(backups[0]) in box.text()
    # Only the migration's: the day's own copy waits for the first rows after the sign-in
    # (test_daily_backup.py), it no longer holds 登录 up.
    assert len(list((settings.data_dir() / "backups").glob("center-*.sqlite3"))) == 1
    assert f"{oldest} → {head_revision()}" in box.text()
    box.close()


def test_a_missing_database_file_is_not_created(qtbot: QtBot, startups: list[Startup], tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    startup = start(qtbot, startups, f"sqlite:///{missing}")
    with qtbot.waitSignal(startup.failed) as failed:
        pass
    assert "不存在" in failed.args[0]
    assert not missing.exists()
    assert startup.message_box is not None
    startup.message_box.close()


def test_database_error_is_shown_and_exits(qtbot: QtBot, startups: list[Startup]) -> None:
    startup = start(qtbot, startups, "mysql://someone@server/cases")
    with qtbot.waitSignal(startup.failed) as failed:
        pass
    assert "不支持的数据库类型" in failed.args[0]
    box = startup.message_box
    assert box is not None and box.isVisible()
    assert "不支持的数据库类型" in box.informativeText()
    assert startup.exit_code == EXIT_DATABASE_ERROR
    assert not startup.login.isVisible()
    box.close()


RUN_SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from mediation_desk.ui.app import run
from mediation_desk.ui.shell.login import LoginDialog

def act():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            print("MESSAGE:", widget.informativeText(), flush=True)
            widget.accept()
            return
        if isinstance(widget, LoginDialog) and widget.isVisible() and widget.center is not None:
            print("HINT:", widget.demo_hint.text() if widget.demo_hint.isVisible() else "", flush=True)
            print("FONT:", QApplication.font().family(), flush=True)
            print("TITLE:", widget.windowTitle(), flush=True)
            widget.reject()
            return
    QTimer.singleShot(50, act)

app = QApplication(sys.argv[:1])  # run() uses it; the timers need it first
QTimer.singleShot(0, act)
QTimer.singleShot(60_000, lambda: QApplication.exit(99))
sys.exit(run(sys.argv[:1], sys.argv[1] if len(sys.argv) > 1 else None))
"""


def run_app(home: Path, *args: str, resources: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``run()`` in a process of its own: its event loop ends with exit(), which would leave this
    test process's QApplication unable to run the next tests' loops."""
    env = {**os.environ, settings.HOME_ENV: str(home), "QT_QPA_PLATFORM": "offscreen"}
    if resources is not None:
        env["MEDIATION_DESK_RESOURCES"] = str(resources)
    return subprocess.run([sys.executable, "-c", RUN_SCRIPT, *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_run_first_start_then_quit_at_login(tmp_path: Path, qm_dir: Path) -> None:
    """The real thing: fonts, the Chinese catalog (the default language), threaded lanes, the
    event loop."""
    resources = tmp_path / "resources"
    resources.mkdir()
    (resources / "fonts").symlink_to(ROOT / "resources" / "fonts")
    (resources / "i18n").symlink_to(qm_dir)
    result = run_app(tmp_path / "home", resources=resources)
    assert result.returncode == 0, result.stderr
    assert "TITLE: 矛调工作台 — 登录" in result.stdout
    assert demo.DEMO_PASSWORD in result.stdout  # the first start seeded the demo center
    assert "FONT: Noto Sans CJK SC" in result.stdout
    assert (tmp_path / "home" / "data" / "mediation-desk.sqlite3").exists()


def test_run_exits_non_zero_on_a_database_error(tmp_path: Path) -> None:
    result = run_app(tmp_path / "home", "mysql://someone@server/cases")
    assert result.returncode == EXIT_DATABASE_ERROR, result.stderr
    assert "MESSAGE: 不支持的数据库类型“mysql”" in result.stdout
