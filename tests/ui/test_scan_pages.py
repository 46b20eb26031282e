"""The page editor and the list models of documents and pages: keyboard reorder, turn, remove,
undo and redo; what the document is; thumbnails turned without decoding again."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.models import AttachmentKind
from mediation_desk.scanning.pages import Page, PageFormat, ScannedDocument
from mediation_desk.ui.intake.party import PartyForm
from mediation_desk.ui.scanning.models import (
    DocumentListModel,
    FormDocument,
    PageImages,
    PageListModel,
    base_thumbnail,
    guess_kind,
    title_from_filename,
)
from mediation_desk.ui.scanning.pages import PageEditor

from ..scanning.samples import page_image, pdf_bytes
from .conftest import check_model, type_text

pytestmark = pytest.mark.gui


def make_page(label: str, size: tuple[int, int] = (300, 420)) -> Page:
    """A small page whose source says which one it is."""
    return Page.from_image(page_image(size, "L", text=label), 50, source=label)


@pytest.fixture
def pages() -> tuple[Page, ...]:
    return tuple(make_page(f"p{n}") for n in range(1, 5))


@pytest.fixture
def images() -> PageImages:
    return PageImages()


@pytest.fixture
def parties(qtbot: QtBot) -> Iterator[list[PartyForm]]:
    made = []
    for name in ("吉𠮷", "甘州区宏达建筑工程有限公司"):
        party = PartyForm()
        qtbot.addWidget(party)
        party.name.setText(name)
        made.append(party)
    yield made


def choices(parties: list[PartyForm]) -> list[tuple[PartyForm | None, str]]:
    return [(None, "The case as a whole"), *((p, f"Party {i}: {p.name.text()}") for i, p in enumerate(parties, 1))]


def open_editor(qtbot: QtBot, document: FormDocument, parties: list[PartyForm], images: PageImages) -> PageEditor:
    editor = PageEditor(document, choices(parties), images)
    qtbot.addWidget(editor)
    editor.show()
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.focus_pages()
    return editor


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifiers)


CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def sources(editor: PageEditor) -> list[str]:
    return [page.source for page in editor.pages]


# --------------------------------------------------------------------------- models


def test_page_model_passes_the_model_tester(qapp: QApplication, qtmodeltester: ModelTester, pages: tuple[Page, ...],
                                            images: PageImages) -> None:
    model = PageListModel(images)
    check_model(qtmodeltester, model)
    model.set_pages(pages)
    check_model(qtmodeltester, model)
    assert model.rowCount() == 4
    assert model.data(model.index(0, 0)) == "Page 1"
    assert model.data(model.index(0, 0), PageListModel.PageRole) is pages[0]
    assert "p1" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    model.set_pages(ScannedDocument(AttachmentKind.EVIDENCE, "", pages).rotated(1).pages)
    assert model.data(model.index(1, 0)) == "Page 2 (turned 90°)"
    model.set_pages(pages[:2])
    check_model(qtmodeltester, model)


def test_document_model_passes_the_model_tester(qtmodeltester: ModelTester, pages: tuple[Page, ...],
                                                images: PageImages, parties: list[PartyForm]) -> None:
    model = DocumentListModel(images, lambda party: party.name.text() if party is not None else "")
    check_model(qtmodeltester, model)
    scanned = FormDocument(1, ScannedDocument(AttachmentKind.IDENTITY, "正反面", pages[:2]), parties[0])
    imported = FormDocument(2, ScannedDocument(AttachmentKind.EVIDENCE, "合同"), None, pdf_bytes(3), 3, "合同.pdf")
    model.append(scanned)
    model.append(imported)
    check_model(qtmodeltester, model)
    assert model.data(model.index(0, 0)) == "Proof of identity · 正反面 · 2 page(s) · 吉𠮷"
    assert model.data(model.index(1, 0)) == "Evidence · 合同 · PDF, 3 page(s)"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) == "From: 合同.pdf"
    assert not model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole).isNull()
    model.remove(0)
    assert model.data(model.index(0, 0)).startswith("Evidence")
    model.insert(0, scanned)
    model.replace(scanned.belonging_to(None))
    assert model.documents[0].party is None
    check_model(qtmodeltester, model)


def test_thumbnails_are_turned_without_decoding_again(qapp: QApplication, images: PageImages) -> None:
    page = make_page("p", (300, 420))
    images.add(page, base_thumbnail(page))
    upright = images.thumbnail(page)
    assert max(upright.width(), upright.height()) == 160 and upright.height() > upright.width()
    turned = images.thumbnail(page.rotated(1))
    assert (turned.width(), turned.height()) == (upright.height(), upright.width())
    preview = images.preview(page.rotated(1), 200)
    assert preview.width() == 200 and preview.height() < 200
    # Restored pages (no worker thumbnail) are made on first sight.
    other = make_page("q", (420, 300))
    assert images.thumbnail(other).width() == 160


@pytest.mark.parametrize(("name", "kind", "title"), [
    ("身份证正面.jpg", AttachmentKind.IDENTITY, "身份证正面"),
    ("授权委托书.pdf", AttachmentKind.AUTHORISATION, "授权委托书"),
    ("调解申请书.png", AttachmentKind.APPLICATION, "调解申请书"),
    ("SCAN0001.pdf", AttachmentKind.EVIDENCE, ""),
    ("工资条.tif", AttachmentKind.EVIDENCE, "工资条"),
])
def test_a_file_name_suggests_type_and_title(name: str, kind: AttachmentKind, title: str) -> None:
    assert guess_kind(name) is kind
    assert title_from_filename(name) == title


# --------------------------------------------------------------------------- the editor


@pytest.fixture
def document(pages: tuple[Page, ...], parties: list[PartyForm]) -> FormDocument:
    return FormDocument(7, ScannedDocument(AttachmentKind.EVIDENCE, "", pages), None, origin="扫描仪 test:0")


def test_reorder_turn_remove_and_undo_by_keyboard(qtbot: QtBot, document: FormDocument, parties: list[PartyForm],
                                                  images: PageImages) -> None:
    editor = open_editor(qtbot, document, parties, images)
    seen: list[FormDocument] = []
    editor.changed.connect(seen.append)
    assert focused() is editor.pages_view and editor.current_row() == 0
    assert editor.preview.image is not None and not editor.preview.image.isNull()
    assert "Page 1 of 4" in editor.info.text()

    press(Qt.Key.Key_Down)  # the arrow keys walk the pages
    assert editor.current_row() == 1 and "Page 2 of 4" in editor.info.text()
    press(Qt.Key.Key_Down, CTRL)  # move page 2 down
    assert sources(editor) == ["p1", "p3", "p2", "p4"] and editor.current_row() == 2
    press(Qt.Key.Key_Up, CTRL)
    press(Qt.Key.Key_Up, CTRL)
    assert sources(editor) == ["p2", "p1", "p3", "p4"] and editor.current_row() == 0
    press(Qt.Key.Key_Up, CTRL)  # already first: nothing happens
    assert sources(editor) == ["p2", "p1", "p3", "p4"]

    press(Qt.Key.Key_R, CTRL)
    assert editor.pages[0].rotation == 90
    assert "turned 90° clockwise" in editor.info.text()
    preview = editor.preview.image
    assert preview is not None and preview.width() > preview.height()  # a portrait page lies on its side
    press(Qt.Key.Key_R, CTRL | SHIFT)
    press(Qt.Key.Key_R, CTRL | SHIFT)
    assert editor.pages[0].rotation == 270

    press(Qt.Key.Key_End)
    press(Qt.Key.Key_Delete)
    assert sources(editor) == ["p2", "p1", "p3"] and editor.current_row() == 2

    # Undo walks back through every operation, redo forward again.
    press(Qt.Key.Key_Z, CTRL)
    assert sources(editor) == ["p2", "p1", "p3", "p4"]
    press(Qt.Key.Key_Z, CTRL)
    press(Qt.Key.Key_Z, CTRL)
    press(Qt.Key.Key_Z, CTRL)
    assert editor.pages[0].rotation == 0
    press(Qt.Key.Key_Z, CTRL)
    press(Qt.Key.Key_Z, CTRL)
    press(Qt.Key.Key_Z, CTRL)
    assert sources(editor) == ["p1", "p2", "p3", "p4"] and not editor.can_undo
    assert editor.pages == document.document.pages  # the very same values
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert sources(editor) == ["p1", "p3", "p2", "p4"]
    press(Qt.Key.Key_Y, CTRL)
    assert editor.can_redo
    # A new edit after an undo forgets what could have been redone.
    press(Qt.Key.Key_R, CTRL)
    assert not editor.can_redo

    # Every change was announced with the whole document, and its key never changed.
    assert seen and all(d.key == document.key for d in seen)
    assert seen[-1].document.pages == editor.pages
    # The pages' bytes were never copied or re-encoded.
    assert {id(p.data) for p in editor.pages} <= {id(p.data) for p in document.document.pages}


def test_the_last_page_is_never_removed(qtbot: QtBot, pages: tuple[Page, ...], parties: list[PartyForm],
                                        images: PageImages) -> None:
    single = FormDocument(1, ScannedDocument(AttachmentKind.IDENTITY, "", pages[:1]))
    editor = open_editor(qtbot, single, parties, images)
    assert not editor.delete_button.isEnabled()
    press(Qt.Key.Key_Delete)
    assert len(editor.pages) == 1
    assert "at least one page" in editor.message.text()


def test_type_title_and_party(qtbot: QtBot, document: FormDocument, parties: list[PartyForm],
                              images: PageImages) -> None:
    editor = open_editor(qtbot, document, parties, images)
    seen: list[FormDocument] = []
    editor.changed.connect(seen.append)
    press(Qt.Key.Key_Tab, SHIFT)  # from the page strip back to the party
    assert focused() is editor.party
    press(Qt.Key.Key_Down)
    assert seen[-1].party is parties[0]
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() is editor.title_edit
    type_text(editor.title_edit, "正反面")
    assert seen[-1].document.title == "正反面"
    # Del in the title deletes characters, never a page.
    editor.title_edit.setCursorPosition(0)
    press(Qt.Key.Key_Delete)
    assert editor.title_edit.text() == "反面" and len(editor.pages) == 4
    # Ctrl+Z in the title undoes typing there, not a page operation.
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() is editor.kind
    target = editor.kind.findData(str(AttachmentKind.IDENTITY))
    while editor.kind.currentIndex() != target:
        press(Qt.Key.Key_Down if editor.kind.currentIndex() < target else Qt.Key.Key_Up)
    assert seen[-1].kind is AttachmentKind.IDENTITY
    assert seen[-1].document.filename == "身份证明-反面.pdf"
    # Enter closes the editor; everything is already applied.
    with qtbot.waitSignal(editor.finished):
        press(Qt.Key.Key_Return)
    assert editor.document.kind is AttachmentKind.IDENTITY and editor.document.party is parties[0]


def test_escape_closes_and_keeps_the_edits(qtbot: QtBot, document: FormDocument, parties: list[PartyForm],
                                           images: PageImages) -> None:
    editor = open_editor(qtbot, document, parties, images)
    press(Qt.Key.Key_R, CTRL)
    with qtbot.waitSignal(editor.finished):
        press(Qt.Key.Key_Escape)
    assert editor.document.document.pages[0].rotation == 90


def test_pages_added_by_a_scan_can_be_undone(qtbot: QtBot, document: FormDocument, parties: list[PartyForm],
                                             images: PageImages) -> None:
    editor = open_editor(qtbot, document, parties, images)
    requested: list[bool] = []
    editor.scan_requested.connect(lambda: requested.append(True))
    press(Qt.Key.Key_B, CTRL)
    assert requested == [True]
    editor.add_pages([make_page("back")])
    assert sources(editor)[-1] == "back" and editor.current_row() == 4
    press(Qt.Key.Key_Z, CTRL)
    assert len(editor.pages) == 4


def test_an_imported_pdf_keeps_its_pages(qtbot: QtBot, parties: list[PartyForm], images: PageImages) -> None:
    pdf = FormDocument(3, ScannedDocument(AttachmentKind.EVIDENCE, "合同"), None, pdf_bytes(2), 2, "合同.pdf")
    editor = open_editor(qtbot, pdf, parties, images)
    assert editor.pdf_note.isVisible() and "2 pages" in editor.pdf_note.text()
    assert editor.pages_view.isHidden() and editor.right_button.isHidden()
    assert focused() is editor.kind
    press(Qt.Key.Key_R, CTRL)
    press(Qt.Key.Key_B, CTRL)
    assert editor.document.pdf == pdf.pdf


def test_a_jpeg_page_is_never_reencoded_by_turning(images: PageImages) -> None:
    buffer = io.BytesIO()
    page_image((400, 300), "RGB").save(buffer, "JPEG", quality=80)
    page = Page(buffer.getvalue(), PageFormat.JPEG, 400, 300, (100.0, 100.0))
    turned = ScannedDocument(AttachmentKind.EVIDENCE, "", (page,)).rotated(0, 1).pages[0]
    assert turned.data is page.data
    with Image.open(io.BytesIO(turned.data)) as image:
        assert image.size == (400, 300)
