"""Translations: the zh_CN catalog is complete and current, and the window speaks each language."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import (
    CaseState,
    ClockStage,
    DiversionBody,
    EventKind,
    Gender,
    IdDocumentType,
    PartyKind,
    PartyRole,
    RecusalOutcome,
    RiskLevel,
    Role,
    SourceChannel,
)
from mediation_desk.services import workflow
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.common import i18n
from mediation_desk.ui.shell.main_window import CaseSection, MainWindow

from ..conftest import login_as
from .conftest import ROOT, Runner

pytestmark = pytest.mark.gui

TS = ROOT / "resources" / "i18n" / "mediation_desk_zh_CN.ts"
SOURCES = sorted((ROOT / "mediation_desk" / "ui").rglob("*.py"))
ENUMS = (CaseState, Role, PartyRole, PartyKind, Gender, IdDocumentType, SourceChannel, RiskLevel, EventKind,
         ClockStage, DiversionBody, RecusalOutcome)


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def translation(message: ET.Element) -> str:
    element = message.find("translation")
    assert element is not None
    forms = element.findall("numerusform")
    return forms[0].text or "" if forms else element.text or ""


def test_every_translation_is_finished() -> None:
    catalog = messages(TS)
    assert len(catalog) > 150
    for key, message in catalog.items():
        element = message.find("translation")
        assert element is not None, key
        assert element.get("type") not in ("unfinished", "vanished", "obsolete"), key
        assert translation(message).strip(), key


def test_catalog_has_every_source_string(tmp_path: Path) -> None:
    """Run lupdate again over the sources: every tr() string must already be in the .ts, and the
    .ts must hold nothing the sources no longer say."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), *map(str, SOURCES), "-ts", str(fresh)], check=True, capture_output=True)
    assert set(messages(fresh)) == set(messages(TS))


def test_enum_translations_equal_the_domain_labels() -> None:
    catalog = messages(TS)
    sources = i18n.enum_sources()
    for enum in ENUMS:
        for member in enum:
            source = sources[enum.__name__][member.value]
            assert translation(catalog[(enum.__name__, source)]) == member.label, member


def test_action_translations_equal_the_workflow_labels() -> None:
    catalog = messages(TS)
    actions, prompts = i18n.action_sources()
    for action, rule in workflow.TRANSITIONS.items():
        assert translation(catalog[("Action", actions[action.value])]) == rule.label
        if rule.note_required:
            assert translation(catalog[("ActionPrompt", prompts[action.value])]) == rule.note_prompt


def test_build_translations_tool(qm_dir: Path) -> None:
    assert (qm_dir / "mediation_desk_zh_CN.qm").stat().st_size > 1000


def head_window(runner: Runner, db: Database, qtbot: QtBot) -> MainWindow:
    window = MainWindow(runner, login_as(db, "head"), "张掖市甘州区矛盾纠纷调处中心")
    qtbot.addWidget(window)
    window.show()
    return window


def test_chinese_window(chinese: None, runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    window = head_window(runner, demo_sqlite_db, qtbot)
    assert window.windowTitle() == "矛调工作台 — 张掖市甘州区矛盾纠纷调处中心 — 陈志强（中心主任）"
    assert window.section_titles() == ["工作台", "案件", "待审核结案", "公示", "统计", "督办与考核", "受理登记",
                                       "签字文书回收", "组织机构", "节假日与期限", "以案定补", "审计日志"]
    assert [m.title() for m in window.menus] == ["文件(&F)", "设置(&S)", "帮助(&H)"]
    section = window.sections["cases"]
    assert isinstance(section, CaseSection)
    model = section.list_view.model
    assert model.headerData(CaseListModel.COL_NUMBER, Qt.Orientation.Horizontal) == "案号"
    states = {model.data(model.index(r, CaseListModel.COL_STATE)) for r in range(20)}
    assert states <= {s.label for s in CaseState} and "结案" in states
    assert section.list_view.count_label.text() == "共 120 件"
    # A county's list: its seven digits in groups, as the rest of the desk writes big numbers.
    model.count_changed.emit(1_000_026)
    assert section.list_view.count_label.text() == "共 1,000,026 件"
    model.recounting.emit(1_000_026)
    assert section.list_view.count_label.text() == "共 1,000,026 件（正在重新统计…）"
    assert section.list_view.state_combo.itemText(1) == "办理中"


def test_english_window(language: Callable[[str], object], runner: Runner, demo_sqlite_db: Database,
                        qtbot: QtBot) -> None:
    assert language("en") == []
    window = head_window(runner, demo_sqlite_db, qtbot)
    assert window.windowTitle() == "矛调工作台 — 张掖市甘州区矛盾纠纷调处中心 — 陈志强 (Center head)"
    assert window.section_titles() == ["Desk", "Cases", "Closure review", "Publicity", "Statistics",
                                       "Cards and limits", "Registration", "Signed papers", "Organisation",
                                       "Holidays and time limits", "Subsidies", "Audit log"]
    assert [m.title() for m in window.menus] == ["&File", "&Settings", "&Help"]
    section = window.sections["cases"]
    assert isinstance(section, CaseSection)
    assert section.list_view.count_label.text() == "120 case(s)"
    section.list_view.model.count_changed.emit(1_000_026)
    assert section.list_view.count_label.text() == "1,000,026 case(s)"
    assert QCoreApplication.translate("CaseState", "Closed") == "Closed"


def test_a_rebuild_leaves_a_running_apps_translation_intact(tmp_path: Path) -> None:
    """A desk running while the translations are built again keeps reading its old ``.qm`` (Qt maps
    the file): the new one is written beside it and moved over the name, never written into it —
    an app whose file was rewritten under it showed its next texts in English or ended."""
    import mmap

    command = [sys.executable, str(ROOT / "tools" / "build_translations.py"), "--out-dir", str(tmp_path)]
    subprocess.run(command, check=True, capture_output=True)
    qm = tmp_path / "mediation_desk_zh_CN.qm"
    before = qm.read_bytes()
    with qm.open("rb") as held, mmap.mmap(held.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        inode = qm.stat().st_ino
        subprocess.run(command, check=True, capture_output=True)
        assert mapped[:] == before
        assert qm.stat().st_ino != inode, "the new file came under the old name"
    assert qm.read_bytes() == before  # the same catalog built again
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        path.with_suffix(".qm").name for path in (ROOT / "resources" / "i18n").glob("*.ts"))
