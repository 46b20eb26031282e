"""The in-app document preview: a real PDF made by the services off the GUI thread, shown with QtPdf,
printed onto a real (PDF) printer and read back, saved, and logged."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import AuditEntry
from mediation_desk.services import dossier
from mediation_desk.services.actor import Actor
from mediation_desk.ui.common.pdf_preview import DocumentPreview, render_page, safe_filename
from mediation_desk.ui.common.tasks import TaskRunner

from ..conftest import login_as
from .conftest import Runner

pytestmark = pytest.mark.gui


@pytest.fixture
def clerk(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "clerk")


def first_case(db: Database) -> int:
    from mediation_desk.models import DisputeCase

    with db.read() as session:
        found = session.scalar(select(DisputeCase.id).order_by(DisputeCase.id).limit(1))
    assert found is not None
    return found


def ink_fraction(image: QImage) -> float:
    """The share of sampled pixels that are not (near) white."""
    dark = total = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            colour = image.pixelColor(x, y)
            total += 1
            if colour.red() + colour.green() + colour.blue() < 600:
                dark += 1
    return dark / total


def open_preview(runner: TaskRunner, actor: Actor, qtbot: QtBot, case_id: int, kind: str) -> DocumentPreview:
    preview = DocumentPreview(runner, actor, title="受理登记表")
    qtbot.addWidget(preview)
    preview.show()
    preview.activateWindow()
    qtbot.waitActive(preview)
    with qtbot.waitSignal(preview.loaded, timeout=10_000):
        preview.load_document(case_id, kind)
    return preview


def expected_pages(db: Database, actor: Actor, case_id: int, kind: str) -> tuple[bytes, int]:
    with db.read() as session:
        data = dossier.render_document(session, actor, case_id, kind)
    return data, len(PdfReader(io.BytesIO(data)).pages)


def test_preview_shows_the_real_document(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                         qtbot: QtBot) -> None:
    case_id = first_case(demo_sqlite_db)
    data, pages = expected_pages(demo_sqlite_db, clerk, case_id, "registration")
    preview = open_preview(runner, clerk, qtbot, case_id, "registration")
    assert preview.document.pageCount() == pages == preview.page_count
    assert preview.data[:5] == b"%PDF-"
    assert len(preview.data) == pytest.approx(len(data), rel=0.05)
    image = render_page(preview.document, 0, 50)
    assert image.width() == pytest.approx(595 / 72 * 50, abs=1)
    assert 0.01 < ink_fraction(image) < 0.6, "page 1 rendered blank (or black)"
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()
    assert preview.status_label.isHidden() and preview.progress.isHidden()


def test_navigation_and_zoom_by_keyboard(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                         qtbot: QtBot) -> None:
    case_id = first_case(demo_sqlite_db)
    preview = open_preview(runner, clerk, qtbot, case_id, "dossier")
    assert preview.page_count > 2
    assert preview.current_page == 0
    assert not preview.previous_button.isEnabled()
    qtbot.wait(50)  # the view lays its pages out on the next turn of the event loop, before any key
    QTest.keyClick(preview, Qt.Key.Key_PageDown)
    assert preview.current_page == 1
    assert preview.page_spin.value() == 2
    preview.page_spin.setValue(preview.page_count)
    assert preview.current_page == preview.page_count - 1
    assert not preview.next_button.isEnabled()
    QTest.keyClick(preview, Qt.Key.Key_PageUp)
    assert preview.current_page == preview.page_count - 2
    before = preview.shown_scale()  # in 适合宽度: Ctrl++ zooms from the scale shown
    QTest.keyClick(preview, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomFactor() == pytest.approx(before * 1.25)
    assert preview.zoom_label.text().endswith("%")
    QTest.keyClick(preview, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomMode() is preview.view.ZoomMode.FitToWidth


def toolbar_texts(preview: DocumentPreview) -> list[str]:
    """What the toolbar shows, as a person reads it: the text of each visible button and label."""
    from PySide6.QtWidgets import QLabel, QPushButton

    buttons = [button.text() for button in preview.findChildren(QPushButton) if button.isVisible()]
    labels = [label.text() for label in preview.findChildren(QLabel)
              if label.isVisible() and label is not preview.status_label]
    return [text for text in (*buttons, *labels) if text]


def test_each_toolbar_action_shows_once(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                        qtbot: QtBot) -> None:
    """适合宽度 was shown twice: by its button and by the zoom label beside it."""
    case_id = first_case(demo_sqlite_db)
    preview = open_preview(runner, clerk, qtbot, case_id, "registration")
    qtbot.wait(50)  # the view lays its pages out on the next turn of the event loop
    for step in ("loaded", "zoomed", "fitted"):
        texts = toolbar_texts(preview)
        assert len(texts) == len(set(texts)), (step, texts)
        assert texts.count(preview.fit_button.text()) == 1, (step, texts)
        assert preview.zoom_label.text().endswith("%"), step
        assert preview.fit_button.isChecked() == (step != "zoomed"), step
        if step == "loaded":
            QTest.mouseClick(preview.zoom_in_button, Qt.MouseButton.LeftButton)
        elif step == "zoomed":
            QTest.mouseClick(preview.fit_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() is preview.view.ZoomMode.FitToWidth
    fitted = preview.shown_scale()
    preview.resize(preview.width() + 200, preview.height())
    assert preview.shown_scale() > fitted  # the scale shown follows the wider window
    assert preview.zoom_label.text() == f"{preview.shown_scale() * 100:.0f}%"


def test_print_to_a_pdf_printer_prints_every_page(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                                  qtbot: QtBot, tmp_path: Path) -> None:
    case_id = first_case(demo_sqlite_db)
    _data, pages = expected_pages(demo_sqlite_db, clerk, case_id, "dossier")
    preview = open_preview(runner, clerk, qtbot, case_id, "dossier")
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(150)

    def accept(dialog: QPrintDialog) -> int:
        # What the user does in the system dialog: keeps our PDF "printer" and presses Print.
        assert dialog.printer() is not None
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(out))
        dialog.printer().setResolution(150)
        return QDialog.DialogCode.Accepted

    preview.exec_print_dialog = accept  # type: ignore[method-assign]
    with qtbot.waitSignal(preview.printed) as printed:
        preview.print_button.click()
    assert printed.args == [pages]
    reader = PdfReader(out)
    assert len(reader.pages) == pages
    # Each printed page is the A4 page of the document, not a blank sheet.
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595, abs=2)
    assert len(out.read_bytes()) > 20_000 * pages / 4
    with demo_sqlite_db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "document.print")).one()
        assert entry.entity_id == case_id and entry.detail["kind"] == "dossier" and entry.detail["pages"] == pages
        assert entry.username == "clerk"


def test_print_a_page_range(runner: Runner, clerk: Actor, demo_sqlite_db: Database, qtbot: QtBot,
                            tmp_path: Path) -> None:
    preview = open_preview(runner, clerk, qtbot, first_case(demo_sqlite_db), "dossier")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "two.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert preview.print_to(printer) == 2
    assert len(PdfReader(tmp_path / "two.pdf").pages) == 2


def test_cancelled_print_dialog_prints_nothing(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                               qtbot: QtBot) -> None:
    preview = open_preview(runner, clerk, qtbot, first_case(demo_sqlite_db), "registration")
    preview.exec_print_dialog = lambda dialog: QDialog.DialogCode.Rejected  # type: ignore[method-assign]
    with qtbot.assertNotEmitted(preview.printed):
        preview.print_document()
    with demo_sqlite_db.read() as session:
        assert not session.scalars(select(AuditEntry).where(AuditEntry.action == "document.print")).all()


def test_save_writes_the_bytes_shown(runner: Runner, clerk: Actor, demo_sqlite_db: Database, qtbot: QtBot,
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    preview = open_preview(runner, clerk, qtbot, first_case(demo_sqlite_db), "registration")
    target = tmp_path / "登记表"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), "PDF"))
    preview.save_as()
    saved = tmp_path / "登记表.pdf"
    assert saved.read_bytes() == preview.data
    assert str(saved) in preview.status_label.text()
    with demo_sqlite_db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "document.save")).one()
        assert entry.detail["target"] == "登记表.pdf"


def test_a_document_that_does_not_apply_says_why(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                                 qtbot: QtBot) -> None:
    preview = DocumentPreview(runner, clerk)
    qtbot.addWidget(preview)
    with qtbot.waitSignal(preview.load_failed) as failed:
        preview.load_document(first_case(demo_sqlite_db), "agreement")
    assert "还没有" in failed.args[0]
    assert preview.status_label.text() == failed.args[0]
    assert not preview.print_button.isEnabled()
    assert preview.page_count == 0


def test_threaded_rendering_reaches_the_gui_thread(demo_sqlite_db: Database, clerk: Actor, qtbot: QtBot) -> None:
    """With the real worker lanes the PDF is made on the slow lane (no list read waits behind it) and
    shown on the GUI thread when it arrives."""
    import threading

    threads: list[str] = []
    runner = TaskRunner(demo_sqlite_db)
    original = dossier.render_document

    def spy(*args: object, **kwargs: object) -> bytes:
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(dossier, "render_document", spy)
            preview = DocumentPreview(runner, clerk)
            qtbot.addWidget(preview)
            with qtbot.waitSignal(preview.loaded, timeout=15_000):
                preview.load_document(first_case(demo_sqlite_db), "registration")
                assert preview.progress.isVisibleTo(preview)
        assert threads and threads[0].startswith("mediation-desk-slow")
        assert preview.page_count >= 1
    finally:
        runner.shutdown(dispose=False)


def test_safe_filename() -> None:
    assert safe_filename("（2026）甘矛调字第0001号 人民调解协议书") == "（2026）甘矛调字第0001号 人民调解协议书.pdf"
    assert safe_filename('a/b\\c:d*?"<>|') == "a_b_c_d.pdf"
    assert safe_filename("") == "document.pdf"
