"""The first-run wizard: its pages, the Chinese messages of bad input, and what finishing it writes
on a fresh SQLite file (through Startup, as the installed app runs it)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.models import Role, User
from mediation_desk.services import auth, center
from mediation_desk.ui import app as app_module
from mediation_desk.ui.app import Startup, first_run_mode
from mediation_desk.ui.shell.first_run import FirstRunWizard, Mode, PageId
from mediation_desk.ui.shell.main_window import MainWindow

from .conftest import Runner

pytestmark = pytest.mark.gui

PASSWORD = "Tiaojie2026"


@pytest.fixture
def wizard(qtbot: QtBot) -> Iterator[FirstRunWizard]:
    runner = Runner(None)
    page = FirstRunWizard(runner)
    qtbot.addWidget(page)
    page.show()
    yield page
    runner.shutdown()


@pytest.fixture
def startups(qtbot: QtBot) -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        if startup.wizard is not None:
            startup.wizard.close()
        startup.close()


def start_wizard(qtbot: QtBot, startups: list[Startup]) -> Startup:
    startup = Startup(None, runner=Runner(None), first_run="wizard")
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startups.append(startup)
    startup.begin()
    qtbot.waitUntil(lambda: startup.wizard is not None and startup.wizard.isVisible(), timeout=30_000)
    assert startup.wizard is not None
    qtbot.addWidget(startup.wizard)
    return startup


def fill_center_and_admin(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    assert wizard.currentId() == PageId.CENTER
    wizard.center_page.center_name.setText("临泽县矛盾纠纷调处中心")
    wizard.center_page.prefix.setText("临矛调")
    wizard.next()
    assert wizard.currentId() == PageId.ADMIN
    admin = wizard.admin_page
    admin.username.setText("zhangwei")
    admin.display_name.setText("张伟")
    admin.password.setText(PASSWORD)
    admin.repeat.setText(PASSWORD)


def test_first_run_mode_follows_frozen_state_and_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(app_module.FIRST_RUN_ENV, raising=False)
    assert first_run_mode() == "demo"  # a source checkout: scripts/run-app opens the demo center
    monkeypatch.setattr("sys.frozen", True, raising=False)
    assert first_run_mode() == "wizard"  # the installed app asks
    monkeypatch.setenv(app_module.FIRST_RUN_ENV, "demo")
    assert first_run_mode() == "demo"
    monkeypatch.delattr("sys.frozen")
    monkeypatch.setenv(app_module.FIRST_RUN_ENV, "wizard")
    assert first_run_mode() == "wizard"


def test_center_page_refuses_bad_input_with_chinese_messages(wizard: FirstRunWizard) -> None:
    wizard.next()
    assert wizard.currentId() == PageId.CENTER
    page = wizard.center_page
    wizard.next()
    assert wizard.currentId() == PageId.CENTER
    assert page.error.isVisible() and "中心名称" in page.error.text()
    assert page.center_name.hasFocus()
    page.center_name.setText("甘州区矛盾纠纷调处中心")
    page.prefix.setText("甘矛调字第")
    wizard.next()
    assert wizard.currentId() == PageId.CENTER
    assert "字第" in page.error.text() and page.prefix.hasFocus()
    assert page.center_name.text() == "甘州区矛盾纠纷调处中心"  # nothing typed is lost
    page.prefix.setText("甘矛调")
    assert page.sample.text().endswith("）甘矛调字第0001号")
    wizard.next()
    assert wizard.currentId() == PageId.ADMIN
    assert not page.error.isVisible()


def test_admin_page_applies_the_password_policy(wizard: FirstRunWizard) -> None:
    wizard.next()
    wizard.center_page.center_name.setText("甘州区矛盾纠纷调处中心")
    wizard.center_page.prefix.setText("甘矛调")
    wizard.next()
    page = wizard.admin_page
    page.display_name.setText("张伟")
    cases = [
        ("short1A", "short1A", "至少需要 8 个字符"),
        ("alllowercase", "alllowercase", "至少三类"),
        (PASSWORD, PASSWORD + "x", "两次输入的密码不一致"),
    ]
    for password, repeat, message in cases:
        page.password.setText(password)
        page.repeat.setText(repeat)
        wizard.next()
        assert wizard.currentId() == PageId.ADMIN
        assert page.error.isVisible() and message in page.error.text(), page.error.text()
    page.repeat.setText(PASSWORD)
    page.username.setText("bad name")
    wizard.next()
    assert "用户名只能由" in page.error.text() and page.username.hasFocus()
    page.username.setText("zhangwei")
    assert wizard.validateCurrentPage()
    setup = wizard.center_setup()
    assert setup is not None and setup.admin_username == "zhangwei" and setup.case_number_prefix == "甘矛调"


def test_demo_choice_finishes_on_the_first_page(wizard: FirstRunWizard) -> None:
    wizard.mode_page.demo.setChecked(True)
    assert wizard.currentPage().isFinalPage()
    assert wizard.mode() is Mode.DEMO and wizard.center_setup() is None
    wizard.mode_page.server.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PageId.SERVER


def test_server_page_reports_a_refused_connection_and_keeps_next_disabled(qtbot: QtBot,
                                                                         wizard: FirstRunWizard) -> None:
    wizard.mode_page.server.setChecked(True)
    wizard.next()
    page = wizard.server_page
    assert not page.isComplete()
    page.test_connection()
    assert page.status.text() and page.host.hasFocus()  # the address is missing
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    page.host.setText("127.0.0.1")
    page.port.setValue(free_port)
    page.user.setText("mediation")
    page.password.setText("secret")
    # The server's certificate is checked by default: not without the center's CA file.
    assert page.tls.currentData() == "verify-full" and page.ca_file.isEnabled()
    page.test_connection()
    assert "CA" in page.status.text() and page.ca_file.hasFocus()
    page.tls.setCurrentIndex(page.tls.findData("require"))
    assert not page.ca_file.isEnabled()
    page.test_connection()
    qtbot.waitUntil(lambda: f"数据库服务器 127.0.0.1:{free_port} 拒绝连接" in page.status.text(), timeout=15_000)
    assert "PostgreSQL 没有运行" in page.status.text()
    assert not page.isComplete()
    assert page.host.text() == "127.0.0.1"


@pytest.mark.postgresql
def test_server_page_connects_to_an_empty_server(qtbot: QtBot, wizard: FirstRunWizard,
                                                 empty_pg_database_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(empty_pg_database_url)
    wizard.mode_page.server.setChecked(True)
    wizard.next()
    page = wizard.server_page
    page.host.setText(url.host or "127.0.0.1")
    page.port.setValue(url.port or 5432)
    page.database.setText(url.database or "")
    page.user.setText(url.username or "")
    page.password.setText(url.password or "")
    page.tls.setCurrentIndex(page.tls.findData("disable"))  # the suite's server speaks no TLS
    page.test_connection()
    qtbot.waitUntil(page.isComplete, timeout=15_000)
    assert page.probe is not None and page.probe.revision is None and not page.probe.has_center
    # Going on with a weaker encryption is asked first; declined, the page stays.
    asked: list[str] = []

    def decline() -> bool:
        asked.append(page.tls.currentText())
        return False

    page.confirm_weak_tls = decline  # type: ignore[method-assign]
    wizard.next()
    assert len(asked) == 1 and wizard.currentId() == PageId.SERVER and page.tls.hasFocus()
    page.confirm_weak_tls = lambda: True  # type: ignore[method-assign]
    wizard.next()
    assert wizard.currentId() == PageId.CENTER


def test_finishing_on_a_fresh_desk_creates_the_center_and_the_administrator(qtbot: QtBot,
                                                                           startups: list[Startup]) -> None:
    assert not settings.default_database_path().exists()
    startup = start_wizard(qtbot, startups)
    wizard = startup.wizard
    assert wizard is not None
    assert not startup.login.isVisible()
    wizard.next()
    fill_center_and_admin(qtbot, wizard)
    wizard.next()  # the last page: Finish
    if wizard.isVisible():
        wizard.accept()
    login = startup.login
    qtbot.waitUntil(login.login_button.isEnabled, timeout=30_000)
    assert login.isVisible() and login.username.text() == "zhangwei"
    assert login.demo_hint.isHidden()
    database = Database(f"sqlite:///{settings.default_database_path()}", create=False)
    try:
        with database.read() as session:
            assert center.get(session, settings.CENTER_NAME) == "临泽县矛盾纠纷调处中心"
            assert center.get(session, settings.CASE_NUMBER_PREFIX) == "临矛调"
            users = list(session.scalars(select(User)))
            assert [(u.username, u.role, u.must_change_password) for u in users] == [("zhangwei", Role.ADMIN, False)]
        assert auth.login(database, "zhangwei", PASSWORD).role is Role.ADMIN
    finally:
        database.dispose()
    login.password.setText(PASSWORD)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        login.submit()
    assert isinstance(startup.window, MainWindow)
    qtbot.addWidget(startup.window)
    assert "临泽县矛盾纠纷调处中心" in startup.window.windowTitle()


def test_demo_choice_seeds_the_demo_center(qtbot: QtBot, startups: list[Startup],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "DEMO_CASES", 5)
    startup = start_wizard(qtbot, startups)
    assert startup.wizard is not None
    startup.wizard.mode_page.demo.setChecked(True)
    startup.wizard.accept()
    qtbot.waitUntil(startup.login.login_button.isEnabled, timeout=30_000)
    assert startup.login.demo_hint.isVisible()


def test_cancelling_the_wizard_ends_the_app(qtbot: QtBot, startups: list[Startup]) -> None:
    startup = start_wizard(qtbot, startups)
    assert startup.wizard is not None
    startup.wizard.reject()
    assert startup.exit_code == 0
