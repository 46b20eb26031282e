"""The audit viewer: newest first, paged, filtered, and the integrity check off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text

from mediation_desk.db import Database
from mediation_desk.models import AuditEntry
from mediation_desk.services import audit, auth
from mediation_desk.services.errors import AuthenticationFailed
from mediation_desk.ui.admin.audit import AuditModel, AuditViewer
from mediation_desk.ui.common import i18n

from ..conftest import login_as
from .conftest import Runner, check_model
from .date_typing import type_into

pytestmark = pytest.mark.gui


@pytest.fixture
def viewer(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> AuditViewer:
    clerk = login_as(demo_sqlite_db, "clerk")
    with demo_sqlite_db.write() as session:
        for case_id in range(1, 121):
            audit.record(session, clerk, "document.print", "case", case_id, {"kind": "receipt", "pages": 1})
    with pytest.raises(AuthenticationFailed):
        auth.login(demo_sqlite_db, "clerk", "wrong-password")
    widget = AuditViewer(runner, login_as(demo_sqlite_db, "head"), page_size=50)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def total_entries(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_newest_first_paged_and_model_rules(viewer: AuditViewer, demo_sqlite_db: Database,
                                            qtmodeltester: ModelTester) -> None:
    total = total_entries(demo_sqlite_db)
    assert total > 120
    model = viewer.model
    assert viewer.total == total and model.rowCount() == 50
    ids = [model.row_at(r).id for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert ids == sorted(ids, reverse=True)
    assert model.data(model.index(0, AuditModel.COL_ACTION)) == "登录"  # head's own login, newest
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 100
    more = [model.row_at(r).id for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert more == sorted(set(more), reverse=True)
    assert "50 of" not in viewer.count_label.text() and f"{total:,}" in viewer.count_label.text()
    check_model(qtmodeltester, model)


def test_a_countys_log_is_counted_in_digit_groups(viewer: AuditViewer) -> None:
    """A county's log holds millions of entries: 2345678 read digit by digit; in digit groups, as
    the rest of the desk writes its counts."""
    viewer.total = 2_345_678
    viewer._update_count()
    assert viewer.count_label.text() == "50 of 2,345,678 entries shown, newest first"


def test_filters_by_user_action_text_and_dates(viewer: AuditViewer, qtbot: QtBot) -> None:
    index = viewer.action_filter.findData("login_failed")
    assert index > 0 and "登录失败" in viewer.action_filter.itemText(index)
    viewer.action_filter.setCurrentIndex(index)
    viewer.action_filter.activated.emit(index)
    assert viewer.total == 1
    row = viewer.model.row_at(0)
    assert row is not None and (row.username, row.result) == ("clerk", "failed")
    assert viewer.model.data(viewer.model.index(0, AuditModel.COL_RESULT)) == "Failed"
    assert viewer.model.data(viewer.model.index(0, AuditModel.COL_STATION)) == audit.workstation()
    assert viewer.model.data(viewer.model.index(0, AuditModel.COL_RESULT), Qt.ItemDataRole.ForegroundRole) is not None
    viewer.action_filter.setCurrentIndex(0)
    user = viewer.user_filter.findData("head")
    viewer.user_filter.setCurrentIndex(user)
    viewer.user_filter.activated.emit(user)
    assert viewer.total >= 1 and all(viewer.model.row_at(r).username == "head"  # type: ignore[union-attr]
                                     for r in range(viewer.model.rowCount()))
    viewer.user_filter.setCurrentIndex(0)
    QTest.keyClicks(viewer.text_filter, "wrong_password")
    QTest.keyClick(viewer.text_filter, Qt.Key.Key_Return)
    assert viewer.total == 1
    viewer.text_filter.clear()
    viewer.use_dates.setChecked(True)
    type_into(viewer.date_from, "2001-01-01")
    type_into(viewer.date_to, "2001/12/31")
    assert viewer.total == 0 and viewer.model.rowCount() == 0 and not viewer.model.canFetchMore()


def test_verify_reports_intact_then_the_edited_row(viewer: AuditViewer, demo_sqlite_db: Database,
                                                   qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> None:
    i18n.register_fonts(qapp)
    QTest.mouseClick(viewer.verify_button, Qt.MouseButton.LeftButton)
    total = total_entries(demo_sqlite_db)
    assert viewer.verify_label.text() == f"审计日志完整：共 {total} 条"
    viewer.grab().save(str(tmp_path / "viewer.png"))
    viewer.grab().save("/tmp/audit_viewer_ok.png")
    with demo_sqlite_db.writer.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET username = 'someone' WHERE id = 7"))
    QTest.mouseClick(viewer.verify_button, Qt.MouseButton.LeftButton)
    assert viewer.last_check is not None and viewer.last_check.first_broken_id == 7
    assert "记录编号 7" in viewer.verify_label.text()
    qtbot.wait(20)  # let the layout take the new message's height
    viewer.grab().save("/tmp/audit_viewer_broken.png")


def test_verify_runs_off_the_gui_thread(demo_sqlite_db: Database, qtbot: QtBot) -> None:
    threaded = Runner(demo_sqlite_db, synchronous=False)
    try:
        widget = AuditViewer(threaded, login_as(demo_sqlite_db, "admin"))
        qtbot.addWidget(widget)
        qtbot.waitUntil(lambda: widget.model.rowCount() > 0, timeout=5000)
        widget.verify()
        assert not widget.verify_button.isEnabled()
        qtbot.waitUntil(lambda: widget.last_check is not None, timeout=10000)
        assert widget.last_check is not None and widget.last_check.intact
        assert widget.verify_button.isEnabled()
    finally:
        threaded.shutdown(dispose=False)
    assert not threaded.unhandled


def test_clerk_is_refused(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    widget = AuditViewer(runner, login_as(demo_sqlite_db, "clerk"))
    qtbot.addWidget(widget)
    assert widget.error_label.text() == "只有中心主任和系统管理员可以查看审计日志。"
    assert widget.model.rowCount() == 0


def test_made_on_its_first_show_the_log_is_read_once_and_again_when_shown_again(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    counts: list[str] = []
    real_count, real_choices = audit.count_entries, audit.usernames_and_actions

    def count_entries(*args: Any, **kwargs: Any) -> int:
        counts.append("count")
        return real_count(*args, **kwargs)

    def usernames_and_actions(*args: Any, **kwargs: Any) -> tuple[list[str], list[str]]:
        counts.append("choices")
        return real_choices(*args, **kwargs)

    monkeypatch.setattr(audit, "count_entries", count_entries)
    monkeypatch.setattr(audit, "usernames_and_actions", usernames_and_actions)
    widget = AuditViewer(runner, login_as(demo_sqlite_db, "head"))
    qtbot.addWidget(widget)
    widget.show()  # made and shown in one turn of the event loop, as the section is on its first click
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0)
    QApplication.processEvents()
    assert sorted(counts) == ["choices", "count"]
    widget.hide()
    widget.show()  # another section was in front meanwhile: the log as it is now
    qtbot.waitUntil(lambda: len(counts) == 4)
    assert sorted(counts) == ["choices", "choices", "count", "count"]
