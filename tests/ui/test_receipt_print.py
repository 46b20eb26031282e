"""保存并打印受理回执 prints: the print dialog opens over the receipt's in-app preview (Esc leaves
the preview, Ctrl+P there asks again), or a desk set so prints straight to its default printer.
Under offscreen there is no printer: the dialog object is answered as a person would, and the
"printer" it is given is a PDF file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry
from mediation_desk.ui.common.pdf_preview import DocumentPreview
from mediation_desk.ui.shell.main_window import MainWindow

from ..conftest import login_as
from .conftest import Runner, type_text

pytestmark = pytest.mark.gui


def clerk_window(runner: Runner, db: Database, qtbot: QtBot) -> MainWindow:
    window = MainWindow(runner, login_as(db, "clerk"), "张掖市甘州区矛盾纠纷调处中心")
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    # Shortcuts need an active window, as on a real desk.
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def register_and_print(window: MainWindow, qtbot: QtBot) -> DocumentPreview:
    """Type a registration and press Ctrl+Shift+S (保存并打印受理回执); the receipt's preview."""
    form = window.intake_form
    assert form is not None
    form.dispute_type.setCurrentIndex(form.dispute_type.findText("邻里"))
    type_text(form.title, "相邻通行纠纷")
    type_text(form.parties[0].name, "张三")
    type_text(form.parties[1].name, "李四")
    form.title.setFocus()
    with qtbot.waitSignal(window.receipts.preview_opened, timeout=30_000) as opened:
        QTest.keyClick(form.title, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    preview = opened.args[0]
    assert isinstance(preview, DocumentPreview)
    assert form.last_registered is not None and form.last_registered.number in preview.windowTitle()
    return preview


def pdf_printer(dialog_or_printer: QPrinter, out: Path) -> None:
    dialog_or_printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog_or_printer.setOutputFileName(str(out))
    dialog_or_printer.setResolution(100)


def printed_entries(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "document.print")))


def test_save_and_print_opens_the_print_dialog_over_the_preview(chinese: None, runner: Runner, demo_sqlite_db: Database,
                                                                 qtbot: QtBot, tmp_path: Path) -> None:
    window = clerk_window(runner, demo_sqlite_db, qtbot)
    dialogs: list[QPrintDialog] = []
    answers = [QDialog.DialogCode.Rejected, QDialog.DialogCode.Accepted]
    out = tmp_path / "printed.pdf"

    def answer(dialog: QPrintDialog) -> int:
        # What the clerk sees: the system print dialog, for this receipt, over its preview.
        dialogs.append(dialog)
        shown = window.receipts.preview
        assert shown is not None and dialog.parent() is shown and shown.isVisible()
        assert "受理回执" in dialog.windowTitle()
        assert (dialog.minPage(), dialog.maxPage()) == (1, shown.page_count)
        choice = answers.pop(0)
        if choice == QDialog.DialogCode.Accepted:
            pdf_printer(dialog.printer(), out)  # the printer chosen: a PDF file here
        return choice

    window.receipts.preview_opened.connect(
        lambda preview: setattr(preview, "exec_print_dialog", answer))
    preview = register_and_print(window, qtbot)
    assert preview.isVisible() and preview.page_count >= 1
    qtbot.waitUntil(lambda: len(dialogs) == 1)  # the dialog follows at once, without a click
    # Esc in the dialog: the preview stays, and printing is one key away in it.
    assert preview.isVisible() and preview.print_button.isEnabled()
    assert not out.exists() and not printed_entries(demo_sqlite_db)
    with qtbot.waitActive(preview):
        preview.activateWindow()
    with qtbot.waitSignal(preview.printed) as printed:
        QTest.keyClick(preview, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(dialogs) == 2 and printed.args == [preview.page_count]
    assert len(PdfReader(out).pages) == preview.page_count
    [entry] = printed_entries(demo_sqlite_db)
    assert entry.detail["kind"] == "receipt" and entry.username == "clerk"
    form = window.intake_form
    assert form is not None and form.last_registered is not None
    assert entry.entity_id == form.last_registered.case_id
    # A copy is kept in the data folder as before.
    assert list((settings.data_dir() / "receipts").glob("受理回执_*.pdf"))


def test_a_desk_set_to_print_directly_prints_on_its_default_printer(chinese: None, runner: Runner,
                                                                      demo_sqlite_db: Database, qtbot: QtBot,
                                                                      tmp_path: Path) -> None:
    window = clerk_window(runner, demo_sqlite_db, qtbot)
    action = window.direct_receipt_action
    assert action is not None and not action.isChecked()
    action.trigger()  # 设置 → 受理回执直接用默认打印机打印
    assert settings.receipt_direct_print()
    out = tmp_path / "default-printer.pdf"

    def the_default_printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # the only fake: the printer
        pdf_printer(printer, out)
        return printer

    window.receipts.default_printer = the_default_printer

    def no_dialog(dialog: QPrintDialog) -> int:
        raise AssertionError("a desk set to print directly asks nothing")

    window.receipts.preview_opened.connect(lambda preview: setattr(preview, "exec_print_dialog", no_dialog))
    preview = register_and_print(window, qtbot)
    QApplication.processEvents()
    assert len(PdfReader(out).pages) == preview.page_count
    assert preview.isVisible() and preview.status_label.text() == "已送打印机“default-printer.pdf”打印。"
    [entry] = printed_entries(demo_sqlite_db)
    assert entry.detail["kind"] == "receipt"
    # The choice is the desk's, kept for the next start.
    action.trigger()
    assert not settings.receipt_direct_print()
