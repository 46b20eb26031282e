"""A second SQLite database in a test, and the URL the command line takes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from mediation_desk.db import Database


def sqlite_url(db: Database) -> str:
    return db.writer.url.render_as_string(hide_password=False)


@pytest.fixture
def other_sqlite(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    target = tmp_path / "receiving.sqlite3"
    shutil.copyfile(sqlite_template, target)
    db = Database(f"sqlite:///{target}")
    yield db
    db.dispose()
