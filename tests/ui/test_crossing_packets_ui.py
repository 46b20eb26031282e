"""Crossing packets from the app (docs/crossings.md, "Offline townships"), driven by clicks on two
real SQLite desks in one test: the township head exports the 上报 from the case page's 上下级流转
box; the county's window imports it from the desk's 上下级流转 list, the case opens and the list
shows it; the same packet again says nothing changed; a damaged copy is refused in Chinese and
writes nothing. Only the window and the head see the buttons."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.exchange.crossing import verify_crossing
from mediation_desk.models import Attachment, AttachmentKind, AuditEntry, CaseCrossing, DisputeCase, Role
from mediation_desk.services import attachments, cases, crossings
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.crossing_packets import default_filename, exportable, may_exchange
from mediation_desk.ui.cases.crossings import CrossingsPanel
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.shell.main_window import CaseSection, MainWindow

from ..conftest import login_as
from ..services.helpers import new_case_input
from .conftest import Runner

pytestmark = pytest.mark.gui

TODAY = datetime(2026, 9, 25, 10, 0)
UP = "66666666-6666-4666-8666-666666666666"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _desk(template: Path, target: Path) -> Database:
    shutil.copyfile(template, target)
    db = Database(f"sqlite:///{target}")
    with db.write() as session:
        demo.seed(session, 2, today=TODAY, township_cases=1)
    return db


@pytest.fixture
def desks(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Runner, Runner]]:
    township, county = (_desk(sqlite_template, tmp_path / f"{n}.sqlite3") for n in ("township", "county"))
    runners = Runner(township), Runner(county)
    yield runners
    for runner in runners:
        runner.shutdown(dispose=False)
        assert not runner.unhandled, [f.message for f in runner.unhandled]
    township.dispose()
    county.dispose()


def _counts(db: Database) -> tuple[int, ...]:
    with db.read() as session:
        rows = [session.scalar(select(func.count()).select_from(t)) or 0
                for t in (DisputeCase, CaseCrossing, Attachment)]
        audited = select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("case.%"))
        return (*rows, session.scalar(audited) or 0)


def _reported_up(township: Database) -> tuple[int, str]:
    clerk, head = login_as(township, "ljd_clerk"), login_as(township, "ljd_head")
    with township.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(township, received_at=TODAY))
        number = cases.case_detail(session, clerk, case_id).number
        scan = attachments.add_document(session, clerk, case_id, kind=AttachmentKind.EVIDENCE,
                                        filename="现场照片.pdf", content=PDF)
        crossings.report_up(session, head, case_id, reason="涉及县直部门，本镇无法调处", materials=[scan.id], uid=UP)
    return case_id, number


def _case_view(runner: Runner, actor: Actor, qtbot: QtBot, case_id: int) -> CaseDetailView:
    view = CaseDetailView(runner, actor, today=TODAY.date)
    qtbot.addWidget(view)
    view.resize(1300, 760)
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.show_case(case_id)
    return view


def _panel(runner: Runner, actor: Actor, qtbot: QtBot) -> CrossingsPanel:
    panel = CrossingsPanel(runner, actor, today=TODAY.date)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    return panel


def _box_text(box: QMessageBox | None) -> str:
    assert box is not None and box.isVisible()
    text = box.text()
    box.close()
    return text


def test_a_township_exports_from_the_case_page_and_the_county_imports_from_its_desk(
        desks: tuple[Runner, Runner], qtbot: QtBot, tmp_path: Path) -> None:
    town_runner, county_runner = desks
    township, county = town_runner.database, county_runner.database
    case_id, number = _reported_up(township)

    # At the township: the box offers 导出流转包… for the step its center took, chosen already.
    ljd_head = login_as(township, "ljd_head")
    view = _case_view(town_runner, ljd_head, qtbot, case_id)
    box = view.crossings_box
    assert box.export_button.isVisible() and box.export_button.isEnabled()
    step = box.current_step()
    assert step is not None and step.uid == UP
    suggested: list[str] = []
    target = tmp_path / "carry" / "上报"
    target.parent.mkdir()

    def choose(name: str) -> str:
        suggested.append(name)
        return str(target)  # typed without ".zip": the packet still ends in .zip

    box.packets.choose_save = choose
    view.scroll_area.ensureWidgetVisible(box.export_button)
    QTest.mouseClick(box.export_button, Qt.MouseButton.LeftButton)
    packet = target.with_name("上报.zip")
    assert suggested == [default_filename(step)] and suggested[0].startswith(number) and "上报" in suggested[0]
    assert packet.is_file() and verify_crossing(packet).manifest["step"]["uid"] == UP
    said = _box_text(box.packets.message_box)
    assert str(packet) in said and number in said

    # At the county: the window imports it from the desk's list; the case opens, the list shows it.
    clerk = login_as(county, "clerk")
    panel = _panel(county_runner, clerk, qtbot)
    assert panel.import_button.isVisible() and panel.export_button.isVisible()
    assert panel.model.rowCount() == 0
    panel.packets.choose_open = lambda: str(packet)
    before = _counts(county)
    with qtbot.waitSignal(panel.open_case) as opened:
        QTest.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    said = _box_text(panel.packets.message_box)
    assert said.startswith(f"已导入流转材料包：案件 {number} 上报 甘州区梁家墩镇综治中心 → "
                           "张掖市甘州区矛盾纠纷调处中心")
    assert "已在本库建立该案件（案号不变）" in said
    with county.read() as session:
        copy_id = session.scalar(select(DisputeCase.id).where(DisputeCase.number == number))
    assert opened.args == [copy_id]
    after = _counts(county)
    assert after[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)
    rows = panel.model.rows
    assert [(r.crossing.uid, r.incoming) for r in rows] == [(UP, True)]
    # An incoming step is not this center's to export.
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    assert not panel.export_button.isEnabled()
    assert not panel.export_current()

    # The same packet again: recorded before, nothing changes.
    with qtbot.waitSignal(panel.open_case):
        QTest.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    said = _box_text(panel.packets.message_box)
    assert said.startswith(f"该流转材料包（流转编号 {UP}）此前已导入") and said.endswith("本次未作任何更改。")
    assert _counts(county) == after

    # A damaged copy (one byte of the material changed): refused in Chinese, nothing written.
    raw = bytearray(packet.read_bytes())
    at = raw.index(b"%%EOF")
    raw[at] ^= 0x20
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    panel.packets.choose_open = lambda: str(damaged)
    with qtbot.assertNotEmitted(panel.open_case):
        QTest.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    box_shown = panel.packets.message_box
    assert box_shown is not None and box_shown.icon() == QMessageBox.Icon.Warning
    said = _box_text(box_shown)
    assert "/001.pdf”未通过 CRC 校验" in said and "Traceback" not in said
    assert _counts(county) == after
    assert not county_runner.unhandled


def test_the_desk_list_exports_the_chosen_outgoing_step(desks: tuple[Runner, Runner], qtbot: QtBot,
                                                        tmp_path: Path) -> None:
    town_runner, _county = desks
    township = town_runner.database
    _case_id, number = _reported_up(township)
    panel = _panel(town_runner, login_as(township, "ljd_head"), qtbot)
    assert [(r.crossing.uid, r.incoming) for r in panel.model.rows] == [(UP, False)]
    assert not panel.export_button.isEnabled()  # nothing chosen yet
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    assert panel.export_button.isEnabled()
    # Cancelling the file dialog writes nothing.
    panel.packets.choose_save = lambda _name: ""
    QTest.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert panel.packets.message_box is None and list(tmp_path.glob("*.zip")) == []
    panel.packets.choose_save = lambda name: str(tmp_path / name)
    QTest.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    written = list(tmp_path.glob("*.zip"))
    assert len(written) == 1 and written[0].name.startswith(number)
    assert verify_crossing(written[0]).kind.value == "report_up"
    assert str(written[0]) in _box_text(panel.packets.message_box)
    # A path the export refuses (a folder that does not exist): the reason, in Chinese.
    panel.packets.choose_save = lambda _name: str(tmp_path / "missing" / "x.zip")
    QTest.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    box = panel.packets.message_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    assert "不存在" in _box_text(box)


def test_only_the_window_and_the_head_see_the_packet_buttons(desks: tuple[Runner, Runner], qtbot: QtBot) -> None:
    town_runner, county_runner = desks
    county = county_runner.database
    for username in ("clerk", "head", "mediator", "admin"):
        actor = login_as(county, username)
        allowed = actor.role in crossings.STEP_ROLES
        assert may_exchange(actor) is allowed
        panel = _panel(county_runner, actor, qtbot)
        assert panel.import_button.isVisible() is allowed and panel.export_button.isVisible() is allowed
        if not allowed:  # nor can the action be started another way (no file dialog opens)
            assert panel.packets.import_packet() is False
        window = MainWindow(county_runner, actor, "张掖市甘州区矛盾纠纷调处中心")
        qtbot.addWidget(window)
        assert (window.import_crossing_action is not None) is allowed, username
    # The menu's rule is the service's, for every role (the window does not import the services).
    for role in Role:
        actor = Actor(user_id=1, username="x", display_name="x", role=role, center_id=1)
        window_rule = actor.center_id is not None and role in (Role.INTAKE, Role.HEAD)
        assert may_exchange(actor) is window_rule
    # A step another center took is not exportable here, whoever asks.
    township = town_runner.database
    case_id, _number = _reported_up(township)
    with township.read() as session:
        step = crossings.crossings_of(session, Actor.system(), case_id)[0]
    assert exportable(login_as(township, "ljd_head"), step)
    assert not exportable(login_as(township, "head"), step)


def test_the_file_menu_imports_a_packet_and_opens_its_case(desks: tuple[Runner, Runner], qtbot: QtBot,
                                                           tmp_path: Path) -> None:
    town_runner, county_runner = desks
    township, county = town_runner.database, county_runner.database
    _case_id, number = _reported_up(township)
    panel = _panel(town_runner, login_as(township, "ljd_head"), qtbot)
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    panel.packets.choose_save = lambda name: str(tmp_path / name)
    assert panel.export_current()
    packet = next(tmp_path.glob("*.zip"))

    window = MainWindow(county_runner, login_as(county, "head"), "张掖市甘州区矛盾纠纷调处中心")
    qtbot.addWidget(window)
    window.show()
    action = window.import_crossing_action
    assert action is not None and action in window.menus[0].actions()
    window.crossing_packet_actions().choose_open = lambda: str(packet)
    action.trigger()
    said = _box_text(window.crossing_packet_actions().message_box)
    assert said.startswith(f"已导入流转材料包：案件 {number} 上报")
    section = window.sections["cases"]
    assert isinstance(section, CaseSection) and window.tabs.currentWidget() is section
    with county.read() as session:
        copy_id = session.scalar(select(DisputeCase.id).where(DisputeCase.number == number))
    qtbot.waitUntil(lambda: section.detail_view._case_id == copy_id)
