"""Start-up across versions: an older database is backed up and migrated with every case kept; a
database written by a newer version is refused with a message and left as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediation_desk import demo, settings
from mediation_desk.db import Database, alembic_config, current_revision, head_revision, migrate_to, upgrade
from mediation_desk.models import DisputeCase, Party, User
from mediation_desk.ui.app import EXIT_DATABASE_ERROR, Startup

from .conftest import Runner

pytestmark = pytest.mark.gui


@pytest.fixture
def startups() -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    for startup in made:
        startup.close()


def start(qtbot: QtBot, startups: list[Startup], url: str) -> Startup:
    # The installed app's mode: an older or newer database must never reach the wizard or the demo.
    startup = Startup(url, runner=Runner(None), first_run="wizard")
    startup.quit_application = lambda code: None  # type: ignore[method-assign]
    qtbot.addWidget(startup.login)
    startups.append(startup)
    startup.begin()
    return startup


def counts(url: str) -> tuple[int, int, int]:
    database = Database(url, create=False)
    try:
        with database.read() as session:
            return (session.scalar(select(func.count(DisputeCase.id))) or 0,
                    session.scalar(select(func.count(Party.id))) or 0,
                    session.scalar(select(func.count(User.id))) or 0)
    finally:
        database.dispose()


def test_an_older_database_is_backed_up_and_migrated_with_every_case(qtbot: QtBot, startups: list[Startup],
                                                                     tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'center.sqlite3'}"
    database = Database(url)
    upgrade(database)
    with database.write() as session:
        demo.seed(session, 40)
    previous = ScriptDirectory.from_config(alembic_config()).get_revision(head_revision()).down_revision
    assert isinstance(previous, str)
    migrate_to(database, previous)  # the database as the previous release left it
    assert current_revision(database) == previous
    database.dispose()
    before = counts(url)
    assert before[0] == 40 and before[1] > 40
    startup = start(qtbot, startups, url)
    qtbot.waitUntil(startup.login.login_button.isEnabled, timeout=30_000)
    assert startup.wizard is None
    box = startup.message_box
    assert box is not None and f"{previous} → {head_revision()}" in box.text()
    backups = list(settings.backup_dir().glob(f"center-*-before-{head_revision()}.sqlite3"))
    assert len(backups) == 1 and str(backups[0]) in box.text()
    box.close()
    assert counts(url) == before
    assert counts(f"sqlite:///{backups[0]}") == before  # the backup holds every case too
    reopened = Database(url, create=False)
    try:
        assert current_revision(reopened) == head_revision()
    finally:
        reopened.dispose()


def test_a_database_from_a_newer_version_is_refused_and_left_alone(qtbot: QtBot, startups: list[Startup],
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "center.sqlite3"
    url = f"sqlite:///{path}"
    database = Database(url)
    upgrade(database)
    with database.writer.begin() as connection:  # what a newer release would have written
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9001_from_the_future'")
    database.dispose()
    startup = start(qtbot, startups, url)
    with qtbot.waitSignal(startup.failed, timeout=30_000) as failed:
        pass
    assert "比本程序新" in failed.args[0] and "请安装新版" in failed.args[0]
    assert startup.exit_code == EXIT_DATABASE_ERROR
    assert startup.message_box is not None and "比本程序新" in startup.message_box.informativeText()
    startup.message_box.close()
    assert not list(settings.backup_dir().glob("center-*.sqlite3"))  # nothing was copied or migrated
    reopened = Database(url, create=False)
    try:
        assert current_revision(reopened) == "9001_from_the_future"
    finally:
        reopened.dispose()
