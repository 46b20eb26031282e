"""The documents section of the registration form: importing files (and refusing bad ones), the
scan dialog (no scanner, remembered choices, Cancel), the watched folder, and removing documents."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import AttachmentKind
from mediation_desk.scanning.backends import ScannerDevice, ScanSettings
from mediation_desk.scanning.errors import Cancelled, ScannerUnavailable
from mediation_desk.scanning.folder import DONE_FOLDER, REFUSED_FOLDER, FolderWatcher
from mediation_desk.scanning.pages import Page
from mediation_desk.scanning.progress import CancelCheck, ProgressCallback, report
from mediation_desk.services.actor import Actor
from mediation_desk.ui.intake.form import IntakeForm
from mediation_desk.ui.scanning import documents as scan_documents
from mediation_desk.ui.scanning.dialog import ScanDialog, ScannerDirectory, ScanPreferences
from mediation_desk.ui.scanning.documents import DocumentsBox, assemble_documents

from ..conftest import login_as
from ..scanning.samples import bomb_png, jpeg_bytes, page_image, pdf_bytes, png_bytes
from .conftest import Runner

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


# --------------------------------------------------------------------------- fakes


class FakeScanner:
    """A scanner backend that scans drawn pages; with a gate, it waits (checking Cancel) until the
    test opens it."""

    backend = "fake"

    def __init__(self, devices: tuple[str, ...] = ("fake:0", "fake:1"), *,
                 gate: threading.Event | None = None) -> None:
        self._devices = devices
        self.gate = gate
        self.scans: list[tuple[str, ScanSettings]] = []
        self.started = threading.Event()

    def devices(self) -> list[ScannerDevice]:
        return [ScannerDevice(d, "Acme", f"Counter {i}", "flatbed scanner", self.backend)
                for i, d in enumerate(self._devices, start=1)]

    def scan(self, device_id: str, settings: ScanSettings | None = None, *, progress: ProgressCallback | None = None,
             cancelled: CancelCheck | None = None) -> list[Page]:
        settings = settings or ScanSettings()
        self.scans.append((device_id, settings))
        self.started.set()
        report(progress, 0, 1000, "正在扫描第 1 页")
        if self.gate is not None:
            while not self.gate.wait(0.01):
                if cancelled is not None and cancelled():
                    raise Cancelled("已取消扫描，本次扫描的页面未保留。")
        report(progress, 1000, 1000, "扫描完成，共 1 页")
        return [Page.from_image(page_image((856, 540), "L", text="ID"), settings.dpi, source=f"{device_id} 第 1 页")]

    def close(self) -> None:
        pass


def use_scanners(monkeypatch: pytest.MonkeyPatch, find: Callable[[], list[FakeScanner]]) -> None:
    monkeypatch.setattr(ScannerDirectory, "find", staticmethod(find))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def clerk(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "clerk")


def make_form(runner: Runner, actor: Actor, qtbot: QtBot) -> IntakeForm:
    form = IntakeForm(runner, actor)
    qtbot.addWidget(form)
    form.resize(1300, 700)
    form.show()
    with qtbot.waitActive(form):
        form.activateWindow()
    form.focus_first_field()
    return form


@pytest.fixture
def form(runner: Runner, clerk: Actor, qtbot: QtBot) -> IntakeForm:
    return make_form(runner, clerk, qtbot)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifiers)


def scan_dialog(box: DocumentsBox, qtbot: QtBot) -> ScanDialog:
    dialog = box.scan_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "来访者材料"
    folder.mkdir()
    return folder


# --------------------------------------------------------------------------- importing


def test_good_files_import_and_bad_ones_are_refused_with_their_reason(form: IntakeForm, files: Path) -> None:
    box = form.documents_box
    good = write(files, "身份证正面.jpg", jpeg_bytes((856, 540), dpi=300))
    corrupt = write(files, "申请书.jpg", jpeg_bytes()[:900])  # cut off in the middle
    bomb = write(files, "照片.png", bomb_png())
    empty = write(files, "空白.pdf", b"")
    mislabelled = write(files, "合同.pdf", png_bytes())
    agreement = write(files, "SCAN0001.pdf", pdf_bytes(2))
    box.import_paths([good, corrupt, bomb, empty, mislabelled, agreement])

    documents = box.documents
    assert [(d.kind, d.document.title, d.page_count, d.is_pdf) for d in documents] == [
        (AttachmentKind.IDENTITY, "身份证正面", 1, False),
        (AttachmentKind.EVIDENCE, "", 2, True),
    ]
    assert documents[0].origin == "身份证正面.jpg" and documents[1].pdf == agreement.read_bytes()
    text = box.refusals.text()
    assert box.refusals.isVisible() and len(text.splitlines()) == 4
    assert "文件“申请书.jpg”已损坏或不完整" in text
    assert "文件“照片.png”声明的图像有 25.0 亿像素，超过 1.0 亿像素的上限" in text and "解压炸弹" in text
    assert "文件“空白.pdf”是空文件" in text
    assert "文件“合同.pdf”的扩展名表示" in text
    assert "Imported 2 file(s). 4 file(s) refused" in box.status.text()
    assert box.progress.isHidden()
    # The new documents are kept beside the draft already: a crash now loses no page.
    assert len(list(box.store.folder.glob("*.jpg"))) == 1 and len(list(box.store.folder.glob("*.pdf"))) == 1
    # The first new document is chosen, ready for Enter.
    assert box.current_row() == 0
    assert form.dirty


def test_ctrl_o_asks_for_files_from_anywhere_in_the_form(form: IntakeForm, files: Path, qtbot: QtBot) -> None:
    path = write(files, "户口本.png", png_bytes((600, 800)))
    form.title.setFocus()
    press(Qt.Key.Key_O, CTRL)
    dialog = form.documents_box.file_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.fileMode() is QFileDialog.FileMode.ExistingFiles
    dialog.filesSelected.emit([str(path)])
    dialog.reject()
    assert [d.kind for d in form.documents_box.documents] == [AttachmentKind.IDENTITY]
    qtbot.waitUntil(lambda: form.documents_box.file_dialog is None)


def test_an_import_runs_off_the_gui_thread_and_can_be_cancelled(demo_sqlite_db: Database, clerk: Actor,
                                                                qtbot: QtBot, files: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    release = threading.Event()

    def slow_import(paths: object, *, progress: ProgressCallback, cancelled: CancelCheck) -> object:
        threads.append(threading.current_thread().name)
        report(progress, 0, 3, "正在导入“a.jpg”（1/3）")
        while not cancelled():
            if release.wait(0.01):
                break
        raise Cancelled("已取消导入文件。")

    monkeypatch.setattr(scan_documents, "import_files", slow_import)
    runner = Runner(demo_sqlite_db, synchronous=False)
    try:
        form = make_form(runner, clerk, qtbot)
        box = form.documents_box
        box.import_paths([write(files, "a.jpg", jpeg_bytes())] * 3)
        panel = box.progress
        assert panel.isVisible() and box.busy
        qtbot.waitUntil(lambda: panel.text.text() == "正在导入“a.jpg”（1/3）")
        assert panel.bar.maximum() == 1000 and panel.bar.value() == 0
        form.title.setFocus()
        form.save()  # saving waits for the import
        assert "still running" in form.message_label.text()
        panel.cancel_button.setFocus()
        press(Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
        assert box.documents == [] and box.status.text() == "已取消导入文件。"
        assert threads and threads[0].startswith("mediation-desk-slow")
        assert not box.busy
    finally:
        release.set()
        runner.shutdown(dispose=False)


def test_remove_a_document_and_take_it_back(form: IntakeForm, files: Path) -> None:
    box = form.documents_box
    box.import_paths([write(files, "一.jpg", jpeg_bytes()), write(files, "二.jpg", jpeg_bytes(dpi=150))])
    box.list_view.setFocus()
    box.select(0)
    press(Qt.Key.Key_Delete)
    assert [d.document.title for d in box.documents] == ["二"]
    assert "“Evidence · 一 · 1 page(s)” was removed" in box.status.text()
    press(Qt.Key.Key_Z, CTRL)
    assert [d.document.title for d in box.documents] == ["一", "二"] and box.current_row() == 0


# --------------------------------------------------------------------------- the scan dialog


def test_no_scanner_is_said_plainly_and_import_is_offered(form: IntakeForm, files: Path, qtbot: QtBot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    message = "未安装 SANE 扫描支持（No module named 'sane'）。请安装 SANE 扫描支持。"

    def none() -> list[FakeScanner]:
        raise ScannerUnavailable(message)

    use_scanners(monkeypatch, none)
    form.title.setFocus()
    press(Qt.Key.Key_B, CTRL)
    dialog = scan_dialog(form.documents_box, qtbot)
    assert dialog.status.isVisible() and dialog.status.text().startswith(message)
    assert "import the files" in dialog.status.text()
    assert dialog.alternatives.isVisible() and not dialog.scan_button.isEnabled()
    assert focused() is dialog.import_button
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: form.documents_box.scan_dialog is None)
    assert isinstance(form.documents_box.file_dialog, QFileDialog)
    form.documents_box.file_dialog.reject()


def test_a_backend_without_devices(form: IntakeForm, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    use_scanners(monkeypatch, lambda: [FakeScanner(devices=())])
    form.documents_box.scan()
    dialog = scan_dialog(form.documents_box, qtbot)
    assert "No scanner is connected" in dialog.status.text() and dialog.alternatives.isVisible()
    assert focused() is dialog.import_button
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.folder_button
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: form.documents_box.scan_dialog is None)
    folder_dialog = form.documents_box.file_dialog
    assert isinstance(folder_dialog, QFileDialog) and folder_dialog.fileMode() is QFileDialog.FileMode.Directory
    folder_dialog.reject()


def test_scanners_are_listed_only_when_asked_for_and_once(form: IntakeForm, qtbot: QtBot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    scanner = FakeScanner()

    def find() -> list[FakeScanner]:
        calls.append(1)
        return [scanner]

    use_scanners(monkeypatch, find)
    assert calls == []  # a form that is never asked to scan never looks for scanners
    box = form.documents_box
    box.scan()
    dialog = scan_dialog(box, qtbot)
    assert dialog.device.count() == 2 and calls == [1]
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: box.scan_dialog is None)
    box.scan()
    dialog = scan_dialog(box, qtbot)
    assert calls == [1]  # kept for the form's life
    press(Qt.Key.Key_F5)
    assert calls == [1, 1]


def test_the_scanner_and_its_options_are_remembered(form: IntakeForm, qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    scanner = FakeScanner()
    use_scanners(monkeypatch, lambda: [scanner])
    box = form.documents_box
    form.parties[0].name.setText("吉𠮷")
    box.scan()
    dialog = scan_dialog(box, qtbot)
    assert focused() is dialog.device
    assert dialog.party.currentData() is form.parties[0]  # an ID card: the first party without one
    press(Qt.Key.Key_Down)  # the second scanner
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.dpi
    press(Qt.Key.Key_Down)  # 300 dpi
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.mode
    press(Qt.Key.Key_Up)  # colour
    press(Qt.Key.Key_Return)  # scan
    assert box.scan_dialog is None and scanner.scans[0][0] == "fake:1"
    settings = scanner.scans[0][1]
    assert (settings.dpi, str(settings.mode), settings.pages) == (300, "colour", 1)
    [document] = box.documents
    assert document.kind is AttachmentKind.IDENTITY and document.party is form.parties[0]
    assert document.origin == "扫描仪 fake:1" and document.page_count == 1
    assert "Scanned 1 page(s)" in box.status.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box.list_view)  # the form is active again
    assert box.current_row() == 0
    # The next visitor: the same scanner and options, and the next party without an ID card.
    assert ScanPreferences.load().device == "fake:1"
    box.scan()
    dialog = scan_dialog(box, qtbot)
    assert dialog.device.currentData() == "fake:1" and dialog.dpi.currentData() == 300
    assert dialog.mode.currentData() == "colour"
    assert dialog.party.currentData() is form.parties[1]
    dialog.reject()


def test_a_scan_runs_off_the_gui_thread_and_esc_cancels_it(demo_sqlite_db: Database, clerk: Actor,
                                                           qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    scanner = FakeScanner(gate=threading.Event())
    use_scanners(monkeypatch, lambda: [scanner])
    runner = Runner(demo_sqlite_db, synchronous=False)
    try:
        form = make_form(runner, clerk, qtbot)
        box = form.documents_box
        box.scan()
        dialog = box.scan_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.device.count() == 2, timeout=5000)  # listed on a worker
        dialog.scan_button.click()
        assert scanner.started.wait(5)
        qtbot.waitUntil(lambda: dialog.progress.text.text() == "正在扫描第 1 页")
        assert dialog.progress.isVisible() and box.busy and not dialog.scan_button.isEnabled()
        assert focused() is dialog.progress.cancel_button
        press(Qt.Key.Key_Escape)  # stops the scan; the dialog stays
        qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=5000)
        assert dialog.isVisible() and "已取消扫描" in dialog.status.text()
        assert box.documents == [] and not box.busy
        # Scan again and let it finish: the pages arrive as a document.
        scanner.gate = None
        dialog.scan_button.click()
        qtbot.waitUntil(lambda: len(box.documents) == 1, timeout=5000)
        assert box.scan_dialog is None
    finally:
        if scanner.gate is not None:
            scanner.gate.set()
        runner.shutdown(dispose=False)


def test_scan_more_pages_into_a_document_from_the_page_editor(form: IntakeForm, qtbot: QtBot,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    use_scanners(monkeypatch, lambda: [FakeScanner()])
    box = form.documents_box
    box.scan()
    scan_dialog(box, qtbot).scan()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box.list_view)
    press(Qt.Key.Key_Return)
    editor = box.editor
    assert editor is not None
    qtbot.waitUntil(editor.isActiveWindow)
    press(Qt.Key.Key_B, CTRL)
    more = scan_dialog(box, qtbot)
    assert more.kind.isHidden() and more.party.isHidden()  # only how to scan
    press(Qt.Key.Key_Return)
    assert len(editor.pages) == 2 and editor.current_row() == 1
    assert box.documents[0].page_count == 2  # the list follows every edit
    qtbot.waitUntil(lambda: focused() is editor.pages_view)
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: box.editor is None)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box.list_view)


# --------------------------------------------------------------------------- the watched folder


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(DocumentsBox, "make_watcher",
                        staticmethod(lambda folder: FolderWatcher(folder, clock=fake, settle_seconds=2.0)))
    return fake


def settle(box: DocumentsBox, clock: Clock) -> None:
    for _ in range(3):
        clock.now += 2.5
        box.poll_folder()


def test_files_arriving_in_the_watched_folder_become_documents(form: IntakeForm, tmp_path: Path,
                                                               clock: Clock) -> None:
    inbox = tmp_path / "扫描"
    inbox.mkdir()
    box = form.documents_box
    box.set_watch_folder(inbox)
    assert box.poll_timer.isActive() and box.poll_timer.interval() == 2000
    assert f"Watching {inbox}" in box.folder_label.text()
    assert ScanPreferences.load().watch_folder == str(inbox)
    write(inbox, "SCAN0001.pdf", pdf_bytes(3))
    write(inbox, "SCAN0002.jpg", jpeg_bytes()[:700])
    write(inbox, "SCAN0003.tmp", b"still being written")
    settle(box, clock)
    [document] = box.documents
    assert document.is_pdf and document.page_count == 3 and document.origin == "扫描文件夹 SCAN0001.pdf"
    assert "SCAN0002.jpg" in box.refusals.text()
    assert (inbox / DONE_FOLDER / "SCAN0001.pdf").exists() and (inbox / REFUSED_FOLDER / "SCAN0002.jpg").exists()
    assert (inbox / "SCAN0003.tmp").exists()
    form.hide()
    assert not box.poll_timer.isActive()  # only while the form is shown
    form.show()
    assert box.poll_timer.isActive()
    box.set_watch_folder("")
    assert not box.poll_timer.isActive() and box.folder_label.text() == "No watched folder."


def test_what_arrives_while_saving_waits_for_the_save(form: IntakeForm, tmp_path: Path, clock: Clock) -> None:
    inbox = tmp_path / "扫描"
    inbox.mkdir()
    box = form.documents_box
    box.set_watch_folder(inbox)
    write(inbox, "SCAN0009.jpg", jpeg_bytes())
    box.begin_saving()
    settle(box, clock)
    assert box.documents == []  # not slipped into the registration being saved
    box.end_saving()
    assert [d.origin for d in box.documents] == ["扫描文件夹 SCAN0009.jpg"]


def test_an_unreachable_folder_is_said_and_tried_again(form: IntakeForm, tmp_path: Path, clock: Clock) -> None:
    box = form.documents_box
    box.set_watch_folder(tmp_path / "NAS 离线")
    box.poll_folder()
    assert "cannot be reached" in box.folder_label.text()
    (tmp_path / "NAS 离线").mkdir()
    box.poll_folder()
    assert box.folder_label.text().startswith("Watching")


# --------------------------------------------------------------------------- PDFs


def test_each_document_becomes_one_pdf(qapp: QApplication) -> None:
    from mediation_desk.scanning.pages import ScannedDocument

    pages = tuple(Page.from_image(page_image((827, 1169), "L"), 100, source=f"p{n}") for n in range(3))
    scanned = ScannedDocument(AttachmentKind.EVIDENCE, "工资条", pages).rotated(1, 1)
    pdf = pdf_bytes(2)
    prepared = assemble_documents([(scanned, None, 0, "扫描仪 test:0"),
                                   (ScannedDocument(AttachmentKind.APPLICATION), pdf, None, "申请.pdf")])
    first, second = prepared
    assert first.filename == "证据材料-工资条.pdf" and first.party == 0 and first.note == "扫描仪 test:0"
    reader = PdfReader(__import__("io").BytesIO(first.content))
    assert len(reader.pages) == 3 and reader.pages[1].rotation == 90
    assert float(reader.pages[0].mediabox.width) == pytest.approx(827 / 100 * 72, rel=0.01)
    assert second.content == pdf and second.filename == "申请书.pdf"


@pytest.fixture
def slow_assembly(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    gate = threading.Event()
    from mediation_desk.scanning import assemble

    real = assemble.document_pdf

    def slow(document: object, **kwargs: object) -> bytes:
        cancelled = kwargs.get("cancelled")
        while not gate.wait(0.01):
            if callable(cancelled) and cancelled():
                raise Cancelled("已取消生成 PDF。")
        return real(document, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(assemble, "document_pdf", slow)
    yield gate
    gate.set()


def test_cancel_while_the_pdfs_are_made_saves_nothing(demo_sqlite_db: Database, clerk: Actor, qtbot: QtBot,
                                                      files: Path, slow_assembly: threading.Event) -> None:
    runner = Runner(demo_sqlite_db, synchronous=False)
    try:
        form = make_form(runner, clerk, qtbot)
        qtbot.waitUntil(lambda: form.dispute_type.count() > 1)
        form.dispute_type.setCurrentIndex(form.dispute_type.findText("邻里"))
        form.title.setText("相邻通行纠纷")
        form.parties[0].name.setText("张三")
        form.parties[1].name.setText("李四")
        form.documents_box.import_paths([write(files, "身份证.jpg", jpeg_bytes())])
        qtbot.waitUntil(lambda: len(form.documents_box.documents) == 1, timeout=5000)
        form.save()
        panel = form.save_progress
        assert panel.isVisible() and panel.cancel_button.isEnabled() and not form.page.isEnabled()
        panel.cancel_button.click()
        qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
        assert form.message_label.text() == "已取消生成 PDF。"
        assert form.last_registered is None and form.page.isEnabled()
        assert len(form.documents_box.documents) == 1 and form.title.text() == "相邻通行纠纷"
        # … and saving again works.
        slow_assembly.set()
        with qtbot.waitSignal(form.registered, timeout=10_000):
            form.save()
    finally:
        runner.shutdown(dispose=False)


def test_documents_follow_their_party(form: IntakeForm, files: Path) -> None:
    box = form.documents_box
    form.parties[1].name.setText("李四")
    box.import_paths([write(files, "身份证.jpg", jpeg_bytes())])
    box.replace_document(box.documents[0].belonging_to(form.parties[1]))
    assert "Party 2: 李四" in box.model.data(box.model.index(0, 0))
    form.add_party_from_keyboard()  # a second applicant goes before the respondent
    assert "Party 3: 李四" in box.model.data(box.model.index(0, 0))
    respondent = form.parties[2]
    form.remove_party(respondent)
    assert box.model.data(box.model.index(0, 0)) == "Proof of identity · 身份证 · 1 page(s)"
    form.undo_removal()
    assert "Party 3: 李四" in box.model.data(box.model.index(0, 0))
    form.remove_party(respondent)
    form._forget_removed()
    assert box.documents[0].party is None
