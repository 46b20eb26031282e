"""The center server stopped under an open window, as it happened at a center: the head's window
says so in Chinese, a save fails with the cause in Chinese and the typing kept, and when the server
is back the banner goes and a case accepted on the command line shows on the open window."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.models import CaseState, Role
from mediation_desk.services import cases
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.shell.live_refresh import LiveRefresh
from mediation_desk.ui.shell.main_window import CaseSection, MainWindow

from .. import pgserver
from ..services.helpers import PASSWORD, make_user
from .conftest import Runner, register_case, type_text

pytestmark = [pytest.mark.gui, pytest.mark.postgresql]

#: Where the banner's screenshot goes when a person wants to look at it.
SHOT = os.environ.get("MEDIATION_DESK_OUTAGE_SHOT")


@pytest.fixture
def own_server() -> Iterator[pgserver.PgServer]:
    """A cluster of this test's own: the session's shared one must not be stopped."""
    if os.environ.get("MEDIATION_DESK_SKIP_POSTGRESQL") == "1" or pgserver.find_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries not available")
    server = pgserver.start()
    yield server
    server.stop()


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env[settings.HOME_ENV] = os.environ[settings.HOME_ENV]
    env["MEDIATION_DESK_TEST_CHEAP_HASHING"] = "1"
    return subprocess.run([sys.executable, "-m", "mediation_desk", *args], input=stdin, capture_output=True,
                          check=False, text=True, env=env, timeout=300)


def test_a_stopped_server_shows_the_banner_and_recovers(own_server: pgserver.PgServer, qtbot: QtBot,
                                                         chinese: None, tmp_path: Path) -> None:
    url = own_server.url
    created = run_cli("--database", url, "db", "upgrade")
    assert created.returncode == 0, created.stderr
    db = Database(url)
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    case_id = register_case(db, clerk, "北关市场摊位纠纷")
    with db.read() as session:
        number = cases.case_detail(session, head, case_id).number

    if SHOT:
        from PySide6.QtWidgets import QApplication

        from mediation_desk.ui.common.i18n import register_fonts

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        register_fonts(app)  # as the app does; the picture should show Chinese, not boxes
    # The head's window on the server, with its threaded lanes and its notice listener, as the app.
    runner = Runner(db, synchronous=False)
    window = MainWindow(runner, head, "甘州区矛调中心")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    live = LiveRefresh(runner)
    try:
        assert live.start() and live.wait_listening(5)
        window.open_case(case_id)
        section = window.sections["cases"]
        assert isinstance(section, CaseSection)
        detail_view, model = section.detail_view, section.list_view.model
        qtbot.waitUntil(lambda: detail_view.detail is not None and detail_view.detail.id == case_id, timeout=5000)
        qtbot.waitUntil(lambda: model.row_of(case_id) is not None, timeout=5000)
        # Idle: the list's audit entry, written once its rows are painted, is in as well.
        qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
        assert not window.outage_banner.isVisible()

        # The administrator stops the server.
        own_server.halt()
        banner = window.outage_banner
        qtbot.waitUntil(banner.isVisible, timeout=15000)
        assert banner.title.text().startswith("与中心服务器的连接已中断，正在自动重试")
        assert "保存" in banner.title.text()
        cause = banner.cause.text()
        assert "中心服务器（127.0.0.1:" in cause and ("拒绝连接" in cause or "正在关闭" in cause), cause
        assert banner.geometry().top() < detail_view.mapTo(window, detail_view.rect().topLeft()).y()
        if SHOT:
            window.grab().save(SHOT)

        # A save meanwhile: refused with the cause in Chinese, the note still there to save later.
        assert "accept" in detail_view.action_buttons
        type_text(detail_view.note_edit, "当事人电话确认")
        QTest.mouseClick(detail_view.action_buttons["accept"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: detail_view.note_error.text() != "", timeout=20000)
        message = detail_view.note_error.text()
        assert message.startswith("无法连接到中心服务器（127.0.0.1:") and "拒绝连接" in message, message
        assert "已填写的内容仍保留在窗口中" in message
        for english in ("Connection refused", "Is the server running", "psycopg", "OperationalError"):
            assert english not in message
        assert detail_view.note_edit.toPlainText() == "当事人电话确认"
        assert banner.isVisible()
        if SHOT:
            window.grab().save(SHOT.replace(".png", "-save.png"))
        # Refreshes that failed meanwhile raised no message boxes: the banner says it once.
        assert window.message_box is None
        assert all(f.unreachable for f in runner.unhandled), [f.message for f in runner.unhandled]
        runner.unhandled.clear()

        # The server is back: the listener reconnects, the banner goes.
        own_server.resume()
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=20000)
        assert banner.cause.text() == ""

        # A clerk accepts the case on the command line: the head's open case and its row follow.
        row = model.row_of(case_id)
        assert row is not None
        before = model.data(model.index(row, CaseListModel.COL_STATE))
        done = run_cli("--database", url, "case", "act", number, "accept", "--as", "clerk", "--password-stdin",
                       stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        qtbot.waitUntil(lambda: detail_view.detail is not None
                        and detail_view.detail.state is CaseState.ACCEPTED, timeout=5000)

        def row_moved() -> bool:
            at = model.row_of(case_id)
            return at is not None and model.data(model.index(at, CaseListModel.COL_STATE)) != before

        qtbot.waitUntil(row_moved, timeout=5000)
        assert "accept" not in detail_view.action_buttons
        assert detail_view.note_edit.toPlainText() == "当事人电话确认"  # still the head's to use or clear
        assert not runner.unhandled, [f.message for f in runner.unhandled]
    finally:
        live.stop()
        window.close()
        runner.shutdown(dispose=False)
        db.dispose()


def test_a_command_line_write_to_the_desks_sqlite_file_shows_on_the_open_case(
        demo_sqlite_db: Database, qtbot: QtBot) -> None:
    from mediation_desk import demo
    from mediation_desk.ui.cases.detail import CaseDetailView

    from ..conftest import login_as

    clerk, head = login_as(demo_sqlite_db, "clerk"), login_as(demo_sqlite_db, "head")
    case_id = register_case(demo_sqlite_db, clerk, "南街漏水纠纷")
    with demo_sqlite_db.read() as session:
        number = cases.case_detail(session, head, case_id).number
    runner = Runner(demo_sqlite_db, synchronous=False)
    view = CaseDetailView(runner, head)
    qtbot.addWidget(view)
    live = LiveRefresh(runner)
    try:
        assert live.start() and live.watcher is not None and live.watcher.wait_polled(5)
        with qtbot.waitSignal(view.loaded, timeout=5000):
            view.show_case(case_id)
        assert view.detail is not None and view.detail.state is CaseState.REGISTERED
        done = run_cli("--database", demo_sqlite_db.url.render_as_string(), "case", "act", number, "accept",
                       "--as", "clerk", "--password-stdin", stdin=demo.DEMO_PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        qtbot.waitUntil(lambda: view.detail is not None and view.detail.state is CaseState.ACCEPTED, timeout=5000)
        assert live.watcher.seen >= 1
        assert not runner.unhandled
    finally:
        live.stop()
        runner.shutdown(dispose=False)
