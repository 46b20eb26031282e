"""系统管理 → 中心 → 导入入驻文件… on a new township desk (docs/crossings.md, "Setting up a township
desk"): the administrator chooses the county's file, the centers tab shows the county and the
township; a damaged file is refused in Chinese and changes nothing; only the administrator sees
the button."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.exchange.enrolment import write_enrolment
from mediation_desk.models import Role
from mediation_desk.services import auth
from mediation_desk.services.actor import Actor
from mediation_desk.ui.admin.org_models import CentersModel
from mediation_desk.ui.admin.organisation import OrganisationPanel

from ..conftest import login_as
from .conftest import Runner

pytestmark = pytest.mark.gui

TODAY = datetime(2026, 9, 25, 10, 0)


@pytest.fixture
def enrolment(tmp_path: Path, sqlite_template: Path) -> Path:
    shutil.copyfile(sqlite_template, tmp_path / "county.sqlite3")
    county = Database(f"sqlite:///{tmp_path / 'county.sqlite3'}")
    try:
        with county.write() as session:
            demo.seed(session, 2, today=TODAY, township_cases=1)
        out = tmp_path / "梁家墩入驻.zip"
        write_enrolment(county, login_as(county, "admin"), "甘州梁家墩调", out=out)
    finally:
        county.dispose()
    return out


@pytest.fixture
def township(tmp_path: Path, sqlite_template: Path) -> Iterator[Runner]:
    shutil.copyfile(sqlite_template, tmp_path / "township.sqlite3")
    db = Database(f"sqlite:///{tmp_path / 'township.sqlite3'}")
    with db.write() as session:
        for username, role in (("zhao", Role.ADMIN), ("liu", Role.HEAD)):
            auth.create_user(session, Actor.system("test"), username=username, display_name=username, role=role,
                             password="Town@2026xx", must_change_password=False)
    runner = Runner(db)
    yield runner
    runner.shutdown(dispose=False)
    assert not runner.unhandled, [f.message for f in runner.unhandled]
    db.dispose()


def _panel(runner: Runner, username: str, qtbot: QtBot) -> OrganisationPanel:
    panel = OrganisationPanel(runner, login_as(runner.database, username, "Town@2026xx"))
    qtbot.addWidget(panel)
    panel.resize(1300, 700)
    panel.show()
    panel.tabs.setCurrentWidget(panel.centers)
    qtbot.waitUntil(lambda: panel.organisation is not None)
    return panel


def _names(panel: OrganisationPanel) -> list[str]:
    model = panel.centers.model
    return [model.data(model.index(r, CentersModel.COL_NAME)) for r in range(model.rowCount())]


def _dump(runner: Runner) -> list[str]:
    path = runner.database.url.database
    assert path is not None
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def test_the_administrator_imports_the_county_enrolment_file(township: Runner, enrolment: Path, qtbot: QtBot,
                                                            tmp_path: Path) -> None:
    panel = _panel(township, "zhao", qtbot)
    assert panel.enrolment_button.isVisible()
    assert len(_names(panel)) == 1 and "梁家墩" not in _names(panel)[0]
    panel.choose_enrolment = lambda: str(enrolment)
    QTest.mouseClick(panel.enrolment_button, Qt.MouseButton.LeftButton)
    box = panel.enrolment_box
    assert box is not None and box.isVisible() and box.icon() == QMessageBox.Icon.Information
    assert box.text().startswith("已应用入驻文件（张掖市甘州区矛盾纠纷调处中心（甘矛调） → "
                                 "甘州区梁家墩镇综治中心（甘州梁家墩调））")
    box.close()
    # The tab reloads from the write's changes.
    qtbot.waitUntil(lambda: len(_names(panel)) == 2)
    assert [n.strip() for n in _names(panel)] == ["张掖市甘州区矛盾纠纷调处中心", "甘州区梁家墩镇综治中心"]

    # Again: nothing changes.
    before = _dump(township)
    QTest.mouseClick(panel.enrolment_button, Qt.MouseButton.LeftButton)
    box = panel.enrolment_box
    assert box is not None and "本次未作任何更改" in box.text()
    box.close()
    assert _dump(township) == before

    # A damaged file: refused, in Chinese, nothing written.
    raw = bytearray(enrolment.read_bytes())
    raw[len(raw) // 3] ^= 0x5A
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    panel.choose_enrolment = lambda: str(damaged)
    QTest.mouseClick(panel.enrolment_button, Qt.MouseButton.LeftButton)
    box = panel.enrolment_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    assert box.text() and "Traceback" not in box.text()
    box.close()
    assert _dump(township) == before
    # Cancelling the file dialog does nothing.
    panel.choose_enrolment = lambda: ""
    assert panel.import_enrolment() is False


def test_a_head_does_not_see_the_button(township: Runner, qtbot: QtBot) -> None:
    panel = _panel(township, "liu", qtbot)
    assert not panel.enrolment_button.isVisible()
    assert panel.import_enrolment() is False
