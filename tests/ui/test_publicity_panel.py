"""The head's publicity section: month, preview, approval, flags after a change, export, printing."""

from __future__ import annotations

import gc
import io
import weakref
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, DisputeCase, Party, PartyKind
from mediation_desk.readmodels.publicity import ACCEPTED, Month, PrintableList, PublicityRow
from mediation_desk.services import publicity
from mediation_desk.services.actor import Actor
from mediation_desk.ui.common import i18n
from mediation_desk.ui.desk import publicity as publicity_ui
from mediation_desk.ui.desk.publicity import PublicityPanel, PublicityRowsModel, paint_pdf, render_page

from ..conftest import login_as
from .confirming import click_go, press_escape
from .conftest import Runner, check_model

pytestmark = pytest.mark.gui


def busiest_month(db: Database) -> Month:
    with db.read() as session:
        moments = session.scalars(select(DisputeCase.accepted_at).where(DisputeCase.accepted_at.is_not(None))).all()
    counts: dict[Month, int] = {}
    for moment in moments:
        assert moment is not None
        month = Month(moment.year, moment.month)
        counts[month] = counts.get(month, 0) + 1
    return max(counts, key=lambda m: (counts[m], m))


def make_panel(runner: Runner, actor: Actor, qtbot: QtBot, month: Month) -> PublicityPanel:
    panel = PublicityPanel(runner, actor, today=lambda: date(month.year, month.month, 15))
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    panel.set_month(month)
    return panel


def test_preview_approve_change_and_reapprove(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                              qtmodeltester: ModelTester, tmp_path: Path) -> None:
    head = login_as(demo_sqlite_db, "head")
    month = busiest_month(demo_sqlite_db)
    panel = make_panel(runner, head, qtbot, month)
    assert panel.overview is not None and panel.overview.month == month
    model = panel.model
    check_model(qtmodeltester, model)
    assert model.rowCount() == len(panel.overview.rows) > 5
    assert panel.status_label.text().startswith("Not approved.")
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Case number"

    # Approval cannot be withdrawn: it asks first; Esc keeps the month unapproved.
    QTest.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert panel.confirm_box is not None and f"{month.year}年{month.month}月" in panel.confirm_box.text()
    press_escape(panel.confirm_box)
    assert panel.status_label.text().startswith("Not approved.") and panel.approve_button.isEnabled()
    QTest.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    click_go(panel.confirm_box)
    qtbot.waitUntil(lambda: panel.overview is not None and panel.overview.approval is not None)
    assert panel.overview.approval is not None and not panel.overview.changes
    assert not panel.approve_button.isEnabled()  # approved as shown: nothing left to approve
    assert panel.status_label.text().startswith("Approved on") and "head" not in panel.status_label.text()
    assert panel.overview.approval.approved_by in panel.status_label.text()

    # A party of a listed (non-private) case is renamed: its rows light up. The new surname is one
    # no listed name carries yet (the demo's names are random), so the approved print cannot hold it.
    row = next(r for r in panel.overview.rows if publicity.WITHHELD not in r.applicants)
    listed = "".join(r.applicants + r.respondents for r in panel.overview.rows)
    surname = next(s for s in ("上官", "欧阳", "司马", "诸葛", "皇甫", "令狐") if s not in listed)
    with demo_sqlite_db.write() as session:
        party = session.scalars(select(Party).where(Party.case_id == row.case_id, Party.kind == PartyKind.PERSON)
                                .order_by(Party.seq)).first()
        assert party is not None
        party.name = surname + party.name[1:]
    panel.refresh()
    assert panel.overview.changed_case_ids == {row.case_id}
    assert "1 case(s) changed since approval" in panel.status_label.text()
    flagged = [r for r in range(model.rowCount())
               if model.data(model.index(r, 0), PublicityRowsModel.ChangedRole)]
    assert flagged and all(model.row_at(r).case_id == row.case_id for r in flagged)  # type: ignore[union-attr]
    assert model.data(model.index(flagged[0], 3), Qt.ItemDataRole.BackgroundRole) is not None
    check_model(qtmodeltester, model)

    # Export prints the approved snapshot, not the changed rows.
    target = tmp_path / "公示.pdf"
    panel.ask_save_path = lambda suggested: str(target)
    with qtbot.waitSignal(panel.exported):
        panel.export_button.click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "未审核" not in text and f"{surname}某" not in "".join(text.split())
    assert panel.overview.approval.sha256[:16] in text

    assert panel.approve_button.isEnabled()  # changed since: approve again
    QTest.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    click_go(panel.confirm_box)
    qtbot.waitUntil(lambda: panel.overview is not None and not panel.overview.changes)
    assert not panel.approve_button.isEnabled()
    with demo_sqlite_db.read() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("publicity.%"))).all()
    assert actions.count("publicity.approve") == 2 and actions.count("publicity.print") == 1


def test_printing_paints_the_pdf_pages(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                       tmp_path: Path) -> None:
    head = login_as(demo_sqlite_db, "head")
    month = busiest_month(demo_sqlite_db)
    panel = make_panel(runner, head, qtbot, month)
    out = tmp_path / "printed.pdf"
    # A QPrinter printing to a PDF file stands in for the printer the print dialog gives: the same
    # device, readable afterwards. (Not a QPdfWriter: a QObject, which no job may hold.)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(100)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    panel.ask_printer = lambda: printer
    with qtbot.waitSignal(panel.printed) as blocker:
        panel.print_button.click()
    pages = blocker.args[0] if blocker.args else 0
    assert pages >= 2
    assert len(PdfReader(str(out)).pages) == pages
    assert "page(s) sent to the printer" in panel.message_label.text()


def test_render_page_is_opaque_and_inked(qapp: QApplication, tmp_path: Path) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    from mediation_desk.documents.publicity import render_publicity

    rows = tuple(PublicityRow(n, ACCEPTED, f"（2026）甘矛调字第{n:04d}号", "邻里", "2026-10-08",
                                        "欧阳某", "司马某", "城建物业调解团队", "调解中", "") for n in range(1, 4))
    data = PrintableList("测试中心", Month(2026, 10), rows, None, date(2026, 11, 1))
    data_bytes = QByteArray(render_publicity(data))  # the buffer does not keep its bytes alive
    buffer = QBuffer(data_bytes)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    image = render_page(document, 0, QSize(842, 595))
    assert image.format() == QImage.Format.Format_RGB32
    assert image.pixelColor(5, 5).name() == "#ffffff"
    dark = sum(1 for y in range(0, 595, 3) for x in range(0, 842, 3) if image.pixelColor(x, y).lightness() < 100)
    assert dark > 100
    document.close()
    with pytest.raises(ValueError):
        paint_pdf(b"not a pdf", QPdfWriter(str(tmp_path / "x.pdf")))


def test_failures_are_shown_in_chinese_and_other_roles_cannot_approve(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, chinese: None) -> None:
    clerk = login_as(demo_sqlite_db, "clerk")
    month = busiest_month(demo_sqlite_db)
    panel = make_panel(runner, clerk, qtbot, month)
    assert not panel.approve_button.isVisibleTo(panel)
    panel.approve()  # reached only programmatically: the service refuses
    assert "只有中心主任" in panel.message_label.text()


def test_a_changed_case_is_highlighted_on_screen(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                 qapp: QApplication, tmp_path: Path) -> None:
    i18n.register_fonts(qapp)
    head = login_as(demo_sqlite_db, "head")
    month = busiest_month(demo_sqlite_db)
    panel = make_panel(runner, head, qtbot, month)
    panel.approve()
    row = panel.overview.rows[2] if panel.overview else None
    assert row is not None
    with demo_sqlite_db.write() as session:
        case = session.get(DisputeCase, row.case_id)
        assert case is not None
        party = session.scalars(select(Party).where(Party.case_id == case.id)).first()
        assert party is not None
        party.name = party.name + "华"
    panel.refresh()
    panel.resize(1366, 768)
    image = panel.grab()
    image.save(str(tmp_path / "publicity_panel.png"))
    assert "1 case(s) changed since approval" in panel.status_label.text()
    # The highlighted row is drawn in its colour (the third row of the table).
    rect = panel.table.visualRect(panel.model.index(2, 3))
    spot = panel.table.viewport().grab().toImage().pixelColor(rect.center().x(), rect.top() + 2)
    assert spot.name().lower() == "#ffe9a8"


def lazy_panel(runner: Runner, head: Actor, qtbot: QtBot, month: Month,
               monkeypatch: pytest.MonkeyPatch, qtmodeltester: ModelTester | None = None) -> PublicityPanel:
    """A panel on ``month`` whose first read holds 3 rows, its windows 2 rows (6 kept), its
    background check pages 4 rows, and whose table shows a few rows at a time."""
    monkeypatch.setattr(publicity, "FIRST_ROWS", 3)
    monkeypatch.setattr(publicity, "PAGE_ROWS", 4)
    monkeypatch.setattr(publicity_ui, "WINDOW", 2)
    monkeypatch.setattr(publicity_ui, "MAX_WINDOWS", 6)
    panel = PublicityPanel(runner, head, today=lambda: date(month.year, month.month, 15))
    qtbot.addWidget(panel)
    if qtmodeltester is not None:
        check_model(qtmodeltester, panel.model)
    panel.resize(1366, 190)
    panel.show()
    panel.set_month(month)
    qtbot.waitUntil(lambda: all(panel.model.is_loaded(r) for r in shown_rows(panel)))
    return panel


def shown_rows(panel: PublicityPanel) -> range:
    """The rows the table's viewport shows now."""
    table = panel.table
    top = table.rowAt(0)
    bottom = table.rowAt(table.viewport().height() - 1)
    return range(top, (bottom if bottom >= 0 else panel.model.rowCount() - 1) + 1)


def test_a_long_month_shows_its_total_at_once_and_reads_the_rows_scrolled_to(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, qtmodeltester: ModelTester,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The month's total and counts come with its first rows; the rest are read by window as they
    are scrolled into view (Ctrl+End, the scroll bar), each the service's rows at those offsets, and
    only those: the table never reads the month whole."""
    head = login_as(demo_sqlite_db, "head")
    month = busiest_month(demo_sqlite_db)
    with demo_sqlite_db.read() as session:
        whole = publicity.publicity_rows(session, month)
    assert len(whole) > 20
    asked: list[tuple[int, int | None]] = []
    rows_page = publicity.rows_page

    def counted(session: Any, listed: Any, offset: int, limit: int | None = None, **kwargs: Any) -> Any:
        asked.append((offset, limit))
        return rows_page(session, listed, offset, limit, **kwargs)

    monkeypatch.setattr(publicity, "rows_page", counted)
    panel = lazy_panel(runner, head, qtbot, month, monkeypatch, qtmodeltester)
    model = panel.model
    assert model.rowCount() == len(whole) and model.first_rows == 3
    accepted = sum(1 for r in whole if r.section == ACCEPTED)
    assert panel.status_label.text() == f"Not approved. {accepted} accepted, {len(whole) - accepted} closed."
    assert panel.overview is not None and panel.overview.approval is None

    def shows_service_rows() -> bool:
        return all(model.row_at(r) == whole[r] and model.data(model.index(r, 1)) == whole[r].number
                   for r in shown_rows(panel))

    qtbot.waitUntil(shows_service_rows)
    assert not model.is_loaded(len(whole) - 1)
    check_model(qtmodeltester, model)

    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert panel.table.currentIndex().row() == len(whole) - 1
    qtbot.waitUntil(lambda: model.is_loaded(len(whole) - 1) and shows_service_rows())
    assert len(whole) - 1 in shown_rows(panel)
    assert model.data(model.index(len(whole) - 1, 1)) == whole[-1].number

    bar = panel.table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    middle = shown_rows(panel)
    assert middle.start > 3 and middle.stop < len(whole) - 1
    qtbot.waitUntil(shows_service_rows)
    # Only windows around what was shown were read, never the month whole, and the cache is bounded.
    windows = [(offset, limit) for offset, limit in asked if offset >= 3]  # the first read: (0, 3)
    assert set(asked) - set(windows) == {(0, 3)}
    read = {row for offset, limit in windows for row in range(offset, offset + (limit or 0))}
    assert all(limit is not None and limit <= 2 for _, limit in windows)
    assert read and not read >= set(range(3, len(whole))), (sorted(asked), middle)
    assert len(model.rows) <= 3 + 6 * 2
    check_model(qtmodeltester, model)


def test_the_approval_covers_the_whole_month_and_changes_far_down_are_found(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Approving keeps the month whole (the service's list, not the rows the table read); a case
    changed far past the first rows is found by the background check, counted in the status line
    and marked on its rows when they are scrolled to."""
    head = login_as(demo_sqlite_db, "head")
    month = busiest_month(demo_sqlite_db)
    with demo_sqlite_db.read() as session:
        whole = publicity.publicity_rows(session, month)
    panel = lazy_panel(runner, head, qtbot, month, monkeypatch)
    with qtbot.waitSignal(panel.loaded):
        panel.approve()
    QApplication.processEvents()  # the write's change notice: the panel reads the month again
    qtbot.waitUntil(lambda: panel.overview is not None and panel.overview.approval is not None)
    with demo_sqlite_db.read() as session:
        approved = publicity.snapshot(session, month)
    assert approved is not None and list(approved.rows) == whole
    assert panel.status_label.text().startswith("Approved on") and not panel.approve_button.isEnabled()

    last = whole[-1]
    with demo_sqlite_db.write() as session:
        party = session.scalars(select(Party).where(Party.case_id == last.case_id).order_by(Party.seq)).first()
        assert party is not None
        party.name = party.name + "华"
    panel.refresh()
    qtbot.waitUntil(lambda: panel.overview is not None)
    assert panel.overview is not None and panel.overview.changed_case_ids == {last.case_id}
    assert "1 case(s) changed since approval" in panel.status_label.text()
    accepted = sum(1 for r in whole if r.section == ACCEPTED)
    assert panel.status_label.text().endswith(f"{accepted} accepted, {len(whole) - accepted} closed.")
    assert panel.approve_button.isEnabled()

    model = panel.model
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.is_loaded(len(whole) - 1))
    assert model.data(model.index(len(whole) - 1, 0),
                      PublicityRowsModel.ChangedRole)
    flagged = [r for r in range(model.rowCount()) if model.is_loaded(r)
               and model.data(model.index(r, 0), PublicityRowsModel.ChangedRole)]
    assert flagged and all(model.row_at(r).case_id == last.case_id for r in flagged)  # type: ignore[union-attr]
    assert model.data(model.index(len(whole) - 1, 3), Qt.ItemDataRole.BackgroundRole) is not None


def test_a_refresh_keeps_the_heads_place_and_the_end_keys_keep_the_column(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Working far down a month: Ctrl+End goes to the last row in the column the head was in (Qt's
    own table went to the last column too, scrolling 序号 and 案号 out of sight); a case changed
    meanwhile reads the month again and leaves the head where they were; another month starts at
    its top."""
    head = login_as(demo_sqlite_db, "head")
    month = busiest_month(demo_sqlite_db)
    panel = lazy_panel(runner, head, qtbot, month, monkeypatch)
    panel.resize(640, 190)  # narrower than the columns: the table scrolls sideways
    table, model = panel.table, panel.model
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() > 0)
    last = model.rowCount() - 1
    assert last > 20

    table.setFocus()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(model.index(0, 1)).center())
    assert (table.currentIndex().row(), table.currentIndex().column()) == (0, 1)
    QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert (table.currentIndex().row(), table.currentIndex().column()) == (last, 1)
    assert table.horizontalScrollBar().value() == 0 and last in shown_rows(panel)
    QTest.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert (table.currentIndex().row(), table.currentIndex().column()) == (0, 1)

    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    middle = shown_rows(panel)
    chosen = middle.start + 1
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(model.index(chosen, 2)).center())
    assert table.currentIndex().row() == chosen and middle.start > 3
    qtbot.waitUntil(lambda: all(model.is_loaded(r) for r in shown_rows(panel)))
    place = (table.rowAt(0), table.currentIndex().row(), table.currentIndex().column())

    with demo_sqlite_db.write() as session:  # a case of the month changes: the month is read again
        case_id = model.row_at(0).case_id  # type: ignore[union-attr]
        party = session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.seq)).first()
        assert party is not None
        party.name = party.name + "华"
    generation = model._generation
    panel.refresh()
    qtbot.waitUntil(lambda: model._generation > generation)
    assert (table.rowAt(0), table.currentIndex().row(), table.currentIndex().column()) == place
    assert table.selectionModel().isRowSelected(chosen)
    qtbot.waitUntil(lambda: all(model.is_loaded(r) for r in shown_rows(panel)))

    other = month.previous()
    panel.set_month(other)
    qtbot.waitUntil(lambda: panel.overview is not None and panel.overview.month.key == other.key)
    assert model.rowCount() > len(shown_rows(panel)) and table.rowAt(0) == 0


def test_the_rows_read_stay_out_of_the_collectors_sight_and_go_with_the_month(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows held are plain tuples Python's collector stops following (no object per row for
    every full pass to walk), the collector's setting is left as it was, and showing another month
    lets the old rows go."""
    head = login_as(demo_sqlite_db, "head")
    month = busiest_month(demo_sqlite_db)
    setting = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    panel = lazy_panel(runner, head, qtbot, month, monkeypatch)
    model = panel.model
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.is_loaded(model.rowCount() - 1))
    gc.collect()
    held = [model._first, *model._windows.values()]
    assert len(held) > 1 and not any(gc.is_tracked(line) for lines in held for line in lines)
    assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == setting

    gone = [weakref.ref(lines) for lines in held]
    del held
    other = month.previous()
    panel.set_month(other)
    qtbot.waitUntil(lambda: panel.overview is not None and panel.overview.month.key == other.key)
    assert all(ref() is None for ref in gone)  # the old month's rows went with it (reference counts)
    assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == setting


def test_export_web_page_writes_the_approved_month_off_the_gui_thread(
        demo_sqlite_db: Database, qtbot: QtBot, tmp_path: Path, chinese: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """导出网页: refused (in Chinese) before the approval; after it, the chosen folder gets a folder of
    the month's page, written on a lane thread (the GUI thread only clicks); again replaces it; a
    folder holding anything else is left alone."""
    import threading

    from mediation_desk.documents import publicpage

    from .. import webcheck
    from .conftest import Runner as RunnerType

    written: list[str] = []
    original = publicpage.write_page

    def watched(*args: Any, **kwargs: Any) -> Path:
        written.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(publicpage, "write_page", watched)
    threaded = RunnerType(demo_sqlite_db, synchronous=False)
    try:
        head = login_as(demo_sqlite_db, "head")
        month = busiest_month(demo_sqlite_db)
        panel = PublicityPanel(threaded, head, today=lambda: date(month.year, month.month, 15))
        qtbot.addWidget(panel)
        panel.show()
        panel.set_month(month)
        qtbot.waitUntil(lambda: panel.overview is not None and panel.overview.month == month, timeout=30000)
        panel.ask_folder = lambda: str(tmp_path)
        QTest.mouseClick(panel.web_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "尚未审核" in panel.message_label.text(), timeout=30000)
        assert "不能生成公示网页" in panel.message_label.text() and panel.web_button.isEnabled()
        assert not (tmp_path / f"公示网页_{month.key}").exists() and written == []

        panel.approve()
        qtbot.waitUntil(lambda: panel.overview is not None and panel.overview.approval is not None
                        and panel.web_button.isEnabled(), timeout=30000)
        with qtbot.waitSignal(panel.web_exported, timeout=60000) as blocker:
            QTest.mouseClick(panel.web_button, Qt.MouseButton.LeftButton)
            assert not panel.web_button.isEnabled()  # busy while the page is written
        with qtbot.waitSignal(panel.web_exported, timeout=60000):
            QTest.mouseClick(panel.web_button, Qt.MouseButton.LeftButton)  # the month's folder is replaced
        index = Path(str(blocker.args[0]))
        assert index == tmp_path / f"公示网页_{month.key}" / "index.html" and index.is_file()
        assert len(written) == 2 and threading.main_thread().name not in written
        assert "公示网页已保存为" in panel.message_label.text()
        read = webcheck.page_text(index.read_text(encoding="utf-8"))
        overview = panel.overview
        assert overview is not None and overview.approval is not None
        assert overview.approval.sha256[:16] in "".join(read.texts)
        assert [t for t in read.texts if t.startswith("（2")] == [r.number for r in overview.rows]

        (index.parent / "notes.txt").write_text("kept", encoding="utf-8")
        QTest.mouseClick(panel.web_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "不是本网页的内容" in panel.message_label.text(), timeout=60000)
        assert (index.parent / "notes.txt").exists() and index.is_file()
    finally:
        threaded.shutdown(dispose=False)
    assert not threaded.unhandled


def test_the_head_sets_the_feedback_contacts_in_a_dialog(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                         chinese: None) -> None:
    from mediation_desk.services import publicity as service

    from .conftest import type_text

    head = login_as(demo_sqlite_db, "head")
    panel = make_panel(runner, head, qtbot, busiest_month(demo_sqlite_db))
    assert panel.feedback_button.isVisibleTo(panel) and panel.feedback_button.text() == "反馈方式(&B)…"
    QTest.mouseClick(panel.feedback_button, Qt.MouseButton.LeftButton)
    dialog = panel.feedback_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.address_edit.text() == "张掖市甘州区县府街 88 号便民服务大厅一楼"  # the demo center's
    dialog.email_edit.clear()
    QTest.keyClicks(dialog.email_edit, "gzmtzx@example")
    type_text(dialog.email_edit, "。cn")  # a full-width full stop: refused, what was typed stays
    QTest.keyClick(dialog.email_edit, Qt.Key.Key_Return)
    assert "电子邮箱" in dialog.error_label.text() and dialog.isVisible()
    assert dialog.email_edit.text() == "gzmtzx@example。cn" and dialog.focusWidget() is dialog.email_edit
    dialog.email_edit.clear()
    QTest.keyClicks(dialog.email_edit, "gzmtzx@example.cn")
    QTest.keyClick(dialog.email_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.feedback_dialog is None)
    assert panel.message_label.text() == "反馈方式已保存"
    with demo_sqlite_db.read() as session:
        assert service.feedback(session).email == "gzmtzx@example.cn"
    clerk = make_panel(runner, login_as(demo_sqlite_db, "clerk"), qtbot, busiest_month(demo_sqlite_db))
    assert not clerk.feedback_button.isVisibleTo(clerk)


def test_a_townships_numbers_are_read_whole(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                            app_fonts: str | None) -> None:
    """（2026）甘州梁家墩调字第0005号 is three characters longer than the county's numbers the 案号
    column was sized for: in the township head's month it read （2026）甘州梁家墩调字第00…."""
    import random

    from mediation_desk import demo

    with demo_sqlite_db.write() as session:
        demo.seed_townships(session, Actor.system("test"), random.Random(5), 12)
    ljd_head = login_as(demo_sqlite_db, "ljd_head")
    with demo_sqlite_db.read() as session:
        moments = session.scalars(select(DisputeCase.accepted_at).where(
            DisputeCase.center_id == ljd_head.center_id, DisputeCase.accepted_at.is_not(None))).all()
    assert moments
    moment = max(m for m in moments if m is not None)
    panel = make_panel(runner, ljd_head, qtbot, Month(moment.year, moment.month))
    table, model = panel.table, panel.model
    numbers = model.column_texts(1)
    assert any("梁家墩" in number for number in numbers), numbers
    assert table.horizontalHeader().sectionSize(1) >= table.sizeHintForColumn(1) > 190


def test_a_countys_month_reads_in_digit_groups(chinese: None, runner: Runner, demo_sqlite_db: Database,
                                               qtbot: QtBot) -> None:
    """The 1M demo's month line read 本月受理 74525 件，办结 20641 件: its counts in digit groups, as the
    statistics write them; the month beside them is a month."""
    head = login_as(demo_sqlite_db, "head")
    month = busiest_month(demo_sqlite_db)
    panel = make_panel(runner, head, qtbot, month)
    qtbot.waitUntil(lambda: panel.overview is not None and panel.listing is not None)
    overview = panel.overview
    assert overview is not None and overview.approval is None
    panel._listing = publicity.Listing(month, tuple(range(74_525)), tuple(range(74_525, 74_525 + 20_641)))
    panel._show(overview)
    assert panel.status_label.text() == "未审核。 本月受理 74,525 件，办结 20,641 件。"
    assert panel.month_edit.text() == f"{month.year}-{month.month:02d}"
