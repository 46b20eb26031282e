"""The audit log screen in Chinese (issue 19): 操作 and 对象 name the action and the object kind,
the action filter offers Chinese names, 详情 reads as Chinese field names with values — and the
list is read again when the screen is shown and after the integrity check, so its count agrees
with the check's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.services import audit
from mediation_desk.ui.admin.audit import AuditModel, AuditViewer
from mediation_desk.ui.common import i18n

from ..conftest import login_as
from .conftest import check_model
from .test_audit_viewer import total_entries, viewer  # noqa: F401 - viewer: the fixture

pytestmark = pytest.mark.gui
SHOTS = os.environ.get("MEDIATION_DESK_SHOTS")


def _has_latin(text: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in text)


def _choose(combo: QComboBox, text: str) -> None:
    """Step through the list with the arrow keys to the item, as a person would at the keyboard."""
    assert combo.findText(text) >= 0, text
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        QTest.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{text} not reached")


def _row_of(viewer: AuditViewer, action: str) -> int:  # noqa: F811 - the fixture's name
    return next(r for r in range(viewer.model.rowCount())
                if (row := viewer.model.row_at(r)) is not None and row.action == action)


def test_actions_objects_details_and_filter_in_chinese_and_never_stale(
        chinese: None, viewer: AuditViewer, demo_sqlite_db: Database, qtbot: QtBot,  # noqa: F811
        qapp: QApplication, qtmodeltester: ModelTester) -> None:
    i18n.register_fonts(qapp)
    head = login_as(demo_sqlite_db, "head")  # a login entry of its own, not shown yet
    shown_before = viewer.total
    assert shown_before == total_entries(demo_sqlite_db) - 1
    # Another section is in front while entries are written; showing the log again reads them.
    viewer.hide()
    with demo_sqlite_db.write() as session:
        audit.record(session, head, "create_department", "department", 7,
                     {"name": "甘州区司法局", "contact_person": "马兰", "contact_phone": "0936-8211234"})
        audit.record(session, head, "witness.edit", "case", 3, {
            "witness": 12, "name": "刘强", "before": {"address": "网格站"}, "after": {"address": "甘州区南街"}})
        audit.record(session, head, "case.register", "case", 3, {"number": "（2026）甘矛调字第0003号"})
        audit.record(session, head, "agreement.sign", "case", 3, {"agreement": 5})
    viewer.show()
    assert viewer.total == shown_before + 5 == total_entries(demo_sqlite_db)
    model = viewer.model
    check_model(qtmodeltester, model)
    department = _row_of(viewer, "create_department")
    assert model.index(department, AuditModel.COL_ACTION).data() == "新建进驻部门"
    assert model.index(department, AuditModel.COL_OBJECT).data() == "进驻部门 #7"
    assert model.index(department, AuditModel.COL_DETAIL).data() == (
        "名称：甘州区司法局；联系人：马兰；联系电话：0936-8211234")
    witness = _row_of(viewer, "witness.edit")
    assert model.index(witness, AuditModel.COL_ACTION).data() == "修改证人"
    assert model.index(witness, AuditModel.COL_OBJECT).data() == "案件 #3"
    assert model.index(witness, AuditModel.COL_DETAIL).data() == "证人编号：12；名称：刘强；地址：网格站 → 甘州区南街"
    assert model.index(witness, AuditModel.COL_ACTION).data(Qt.ItemDataRole.ToolTipRole) == "witness.edit"
    assert model.index(_row_of(viewer, "case.register"), AuditModel.COL_ACTION).data() == "登记案件"
    assert model.index(_row_of(viewer, "agreement.sign"), AuditModel.COL_ACTION).data() == "调解协议签署"
    # No raw key anywhere in 操作, 对象 and 详情 of what is loaded, nor in the action filter.
    for r in range(model.rowCount()):
        for column in (AuditModel.COL_ACTION, AuditModel.COL_OBJECT):
            assert not _has_latin(str(model.index(r, column).data())), (r, model.index(r, column).data())
        detail = str(model.index(r, AuditModel.COL_DETAIL).data())
        assert "=" not in detail and not any(f"{key}：" in detail for key in ("kind", "pages", "reason")), detail
    texts = [viewer.action_filter.itemText(i) for i in range(viewer.action_filter.count())]
    assert texts[0] == "全部操作" and "新建进驻部门" in texts and "修改证人" in texts
    assert [t for t in texts if _has_latin(t)] == []
    # The filter by its Chinese name, clicked in the list.
    _choose(viewer.action_filter, "修改证人")
    assert viewer.action_filter.currentData() == "witness.edit"
    assert viewer.total == 1 and model.rowCount() == 1 and model.row_at(0) is not None
    _choose(viewer.action_filter, "全部操作")
    assert viewer.total == total_entries(demo_sqlite_db)
    # Written while the screen is in front: the integrity check reads the whole log, and the list
    # is read again with it — the two counts agree.
    with demo_sqlite_db.write() as session:
        for case_id in (4, 5, 6):
            audit.record(session, head, "case.open", "case", case_id, {"purpose": "view"})
    QTest.mouseClick(viewer.verify_button, Qt.MouseButton.LeftButton)
    total = total_entries(demo_sqlite_db)
    assert viewer.verify_label.text() == f"审计日志完整：共 {total} 条"
    assert viewer.total == total and viewer.count_label.text().startswith(f"共 {total} 条，")
    assert model.index(0, AuditModel.COL_ACTION).data() == "查看案件个人信息"
    check_model(qtmodeltester, model)
    if SHOTS:
        viewer.table.scrollTo(model.index(0, 0))
        viewer.grab().save(str(Path(SHOTS) / "audit_log_chinese.png"))
    assert viewer.table.indexAt(QPoint(5, 5)).isValid()
