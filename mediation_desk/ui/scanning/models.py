"""The documents of a registration and their pages, as values and as list models.

A :class:`FormDocument` is one future attachment: a ``ScannedDocument`` (type, title, pages) to be
assembled into a PDF when the case is saved, or a PDF the clerk imported, kept byte for byte. Both
are immutable values, so the page editor keeps earlier ones for undo and a worker can assemble
them while the clerk goes on typing.

Thumbnails are made once per page image, unturned, by the worker that produced the page (or on
first sight after a draft is restored), and turned by Qt for a rotated page: rotating never
decodes the image again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from PIL import Image
from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap, QTransform
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle

from mediation_desk.models import AttachmentKind
from mediation_desk.scanning.backends import ColourMode, PaperSource
from mediation_desk.scanning.pages import Page, ScannedDocument
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP

#: Longer side of a thumbnail as made (the views show it smaller).
THUMBNAIL_SIZE = 160
#: The square each document's first page is shown in, in the list of documents.
ICON_SIZE = 40

# Not in i18n's enum table (which is not ours to change); zh_CN equals each member's label.
_KIND_SOURCES = {
    AttachmentKind.APPLICATION: QT_TRANSLATE_NOOP("AttachmentKind", "Application"),
    AttachmentKind.IDENTITY: QT_TRANSLATE_NOOP("AttachmentKind", "Proof of identity"),
    AttachmentKind.AUTHORISATION: QT_TRANSLATE_NOOP("AttachmentKind", "Power of attorney"),
    AttachmentKind.EVIDENCE: QT_TRANSLATE_NOOP("AttachmentKind", "Evidence"),
    AttachmentKind.SIGNED_DOCUMENT: QT_TRANSLATE_NOOP("AttachmentKind", "Signed document"),
    AttachmentKind.PERFORMANCE_PROOF: QT_TRANSLATE_NOOP("AttachmentKind", "Proof of performance"),
    AttachmentKind.OTHER: QT_TRANSLATE_NOOP("AttachmentKind", "Other"),
}
#: The order of the type lists: the dossier order of the Ministry of Justice formats.
KIND_ORDER = (AttachmentKind.APPLICATION, AttachmentKind.IDENTITY, AttachmentKind.AUTHORISATION,
              AttachmentKind.EVIDENCE, AttachmentKind.SIGNED_DOCUMENT, AttachmentKind.PERFORMANCE_PROOF,
              AttachmentKind.OTHER)
_MODE_SOURCES = {
    ColourMode.COLOUR: QT_TRANSLATE_NOOP("ColourMode", "Colour"),
    ColourMode.GRAY: QT_TRANSLATE_NOOP("ColourMode", "Grey"),
    ColourMode.LINEART: QT_TRANSLATE_NOOP("ColourMode", "Black and white"),
}
_SOURCE_SOURCES = {
    PaperSource.FLATBED: QT_TRANSLATE_NOOP("PaperSource", "Flatbed"),
    PaperSource.FEEDER: QT_TRANSLATE_NOOP("PaperSource", "Document feeder"),
}
#: Words in a file name that say what a document is (a phone photo called "身份证正面.jpg").
_NAME_HINTS = (
    (("身份证", "户口", "身份证明", "营业执照", "护照", "通行证"), AttachmentKind.IDENTITY),
    (("委托", "授权"), AttachmentKind.AUTHORISATION),
    (("申请",), AttachmentKind.APPLICATION),
    (("履行", "收据", "转账", "回单"), AttachmentKind.PERFORMANCE_PROOF),
)


def kind_text(kind: AttachmentKind) -> str:
    return QCoreApplication.translate("AttachmentKind", _KIND_SOURCES[kind])


def mode_text(mode: ColourMode) -> str:
    return QCoreApplication.translate("ColourMode", _MODE_SOURCES[mode])


def source_text(source: PaperSource) -> str:
    return QCoreApplication.translate("PaperSource", _SOURCE_SOURCES[source])


def guess_kind(filename: str, default: AttachmentKind = AttachmentKind.EVIDENCE) -> AttachmentKind:
    """The document type a file's name suggests; the clerk can change it in the page editor."""
    for words, kind in _NAME_HINTS:
        if any(word in filename for word in words):
            return kind
    return default


def title_from_filename(filename: str) -> str:
    """"身份证正面.jpg" → "身份证正面"; a copier's "SCAN0001.pdf" says nothing, so no title."""
    stem = filename.rsplit(".", 1)[0].strip()
    if not stem or (stem.isascii() and any(c.isdigit() for c in stem) and stem.upper() == stem):
        return ""
    return stem[:100]


class FormParty(Protocol):
    """A party of the registration form as the documents know it (an ``intake.party.FormParty``):
    the owner of a document, shown by the name typed for it. A protocol, so that the scanning
    screens need nothing from the intake room that hosts them."""

    @property
    def name(self) -> QLineEdit: ...


@dataclass(frozen=True)
class FormDocument:
    """One document of the registration (one attachment when the case is saved)."""

    #: Identifies the document while the form is open (stable across edits).
    key: int
    document: ScannedDocument
    #: The party it belongs to (a ``FormParty`` of the form), or None.
    party: FormParty | None = None
    #: An imported PDF, attached as it is (``document.pages`` is then empty).
    pdf: bytes | None = None
    pdf_pages: int = 0
    #: Where it came from: the scanner, or the file's name.
    origin: str = ""

    @property
    def kind(self) -> AttachmentKind:
        return self.document.kind

    @property
    def is_pdf(self) -> bool:
        return self.pdf is not None

    @property
    def page_count(self) -> int:
        return self.pdf_pages if self.pdf is not None else self.document.page_count

    def edited(self, document: ScannedDocument) -> FormDocument:
        return replace(self, document=document)

    def belonging_to(self, party: FormParty | None) -> FormDocument:
        return replace(self, party=party)


# --------------------------------------------------------------------------- images


def base_thumbnail(page: Page, size: int = THUMBNAIL_SIZE) -> bytes:
    """PNG of the page as stored (unturned): what workers make for :class:`PageImages`."""
    return replace(page, rotation=0).thumbnail(size)


def qimage_from_pil(image: Image.Image) -> QImage:
    """A QImage holding its own copy of ``image``'s pixels."""
    if image.mode == "1":
        image = image.convert("L")
    if image.mode == "L":
        data = image.tobytes()
        return QImage(data, image.width, image.height, image.width, QImage.Format.Format_Grayscale8).copy()
    rgb = image.convert("RGB") if image.mode != "RGB" else image
    data = rgb.tobytes()
    return QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888).copy()


class PageImages:
    """Thumbnails and previews of the form's pages, each decoded once.

    Keyed by the identity of a page's bytes, which every edited copy of a page shares (pages are
    values: ``rotated`` and ``moved`` copy the reference, never the bytes)."""

    PREVIEWS_KEPT = 6

    def __init__(self) -> None:
        self._thumbs: dict[int, tuple[bytes, QImage]] = {}
        self._turned: dict[tuple[int, int], tuple[bytes, QPixmap]] = {}
        self._previews: dict[tuple[int, int, int], tuple[bytes, QImage]] = {}
        self._icons: dict[tuple[int, int], tuple[bytes, QIcon]] = {}

    def add(self, page: Page, png: bytes) -> None:
        """A thumbnail a worker made with :func:`base_thumbnail`."""
        image = QImage.fromData(png)
        if not image.isNull():
            self._thumbs[id(page.data)] = (page.data, image)

    def _base(self, page: Page) -> QImage:
        known = self._thumbs.get(id(page.data))
        if known is not None and known[0] is page.data:
            return known[1]
        # Not made by a worker (a page restored from a draft): a draft-mode decode, a few ms.
        image = QImage.fromData(base_thumbnail(page))
        self._thumbs[id(page.data)] = (page.data, image)
        return image

    def thumbnail(self, page: Page) -> QPixmap:
        key = (id(page.data), page.rotation)
        known = self._turned.get(key)
        if known is not None and known[0] is page.data:
            return known[1]
        image = self._base(page)
        if page.rotation:
            # QTransform turns clockwise on screen (y points down), like the page's rotation.
            image = image.transformed(QTransform().rotate(page.rotation))
        pixmap = QPixmap.fromImage(image)
        self._turned[key] = (page.data, pixmap)
        return pixmap

    def icon(self, page: Page, size: int = ICON_SIZE) -> QIcon:
        """The page as shown, centred in a square: every row of a list gets the same height and
        its text starts at the same place, whatever the shape of the page."""
        key = (id(page.data), page.rotation)
        known = self._icons.get(key)
        if known is not None and known[0] is page.data:
            return known[1]
        icon = QIcon(square(self.thumbnail(page), size))
        self._icons[key] = (page.data, icon)
        return icon

    def preview(self, page: Page, max_size: int) -> QImage:
        """The page as shown, at most ``max_size`` pixels on its longer side."""
        key = (id(page.data), page.rotation, max_size)
        known = self._previews.get(key)
        if known is not None and known[0] is page.data:
            return known[1]
        image = qimage_from_pil(page.image(max_size=max_size))
        if len(self._previews) >= self.PREVIEWS_KEPT:
            self._previews.pop(next(iter(self._previews)))
        self._previews[key] = (page.data, image)
        return image

    def forget_except(self, pages: Sequence[Page]) -> None:
        """Drop what no page on the form needs any more."""
        alive = {id(page.data) for page in pages}
        self._thumbs = {k: v for k, v in self._thumbs.items() if k in alive}
        self._turned = {k: v for k, v in self._turned.items() if k[0] in alive}
        self._previews = {k: v for k, v in self._previews.items() if k[0] in alive}
        self._icons = {k: v for k, v in self._icons.items() if k[0] in alive}


# --------------------------------------------------------------------------- models

_ROLE = Qt.ItemDataRole


def square(pixmap: QPixmap, size: int) -> QPixmap:
    canvas = QPixmap(size, size)
    canvas.fill(Qt.GlobalColor.transparent)
    scaled = pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    painter = QPainter(canvas)
    painter.drawPixmap((size - scaled.width()) // 2, (size - scaled.height()) // 2, scaled)
    painter.end()
    return canvas


def _file_icon() -> QIcon:
    standard = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
    return QIcon(square(standard.pixmap(ICON_SIZE, ICON_SIZE), ICON_SIZE))


class DocumentListModel(QAbstractListModel):
    """The registration's documents: type, title, pages, party."""

    #: The whole :class:`FormDocument`.
    DocumentRole = _ROLE.UserRole + 1

    def __init__(self, images: PageImages, party_label: Callable[[FormParty | None], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._images = images
        self._party_label = party_label
        self._documents: list[FormDocument] = []

    @property
    def documents(self) -> list[FormDocument]:
        return list(self._documents)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._documents)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._documents):
            return None
        document = self._documents[index.row()]
        if role in (_ROLE.DisplayRole, _ROLE.AccessibleTextRole):
            return self.describe(document)
        if role == _ROLE.DecorationRole:
            if document.is_pdf or not document.document.pages:
                return _file_icon()
            return self._images.icon(document.document.pages[0])
        if role == _ROLE.ToolTipRole:
            return self.tr("From: {origin}").format(origin=document.origin) if document.origin else None
        if role == self.DocumentRole:
            return document
        return None

    def describe(self, document: FormDocument) -> str:
        # No row number in the text: a removal would change other rows' data behind the views.
        parts = [kind_text(document.kind)]
        if document.document.title:
            parts.append(document.document.title)
        if document.is_pdf:
            parts.append(self.tr("PDF, %Ln page(s)", "", document.page_count))
        else:
            parts.append(self.tr("%Ln page(s)", "", document.page_count))
        party = self._party_label(document.party)
        if party:
            parts.append(party)
        return " · ".join(parts)

    def set_documents(self, documents: Sequence[FormDocument]) -> None:
        self.beginResetModel()
        self._documents = list(documents)
        self.endResetModel()

    def append(self, document: FormDocument) -> int:
        row = len(self._documents)
        self.beginInsertRows(QModelIndex(), row, row)
        self._documents.append(document)
        self.endInsertRows()
        return row

    def insert(self, row: int, document: FormDocument) -> None:
        row = max(0, min(row, len(self._documents)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._documents.insert(row, document)
        self.endInsertRows()

    def remove(self, row: int) -> FormDocument:
        self.beginRemoveRows(QModelIndex(), row, row)
        document = self._documents.pop(row)
        self.endRemoveRows()
        return document

    def row_of(self, key: int) -> int:
        return next((i for i, d in enumerate(self._documents) if d.key == key), -1)

    def replace(self, document: FormDocument) -> None:
        row = self.row_of(document.key)
        if row < 0:
            return
        self._documents[row] = document
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)

    def refresh(self) -> None:
        """Texts changed (a party's name or number): repaint every row."""
        if self._documents:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._documents) - 1, 0))


class PageListModel(QAbstractListModel):
    """The pages of one document, as thumbnails, in order."""

    PageRole = _ROLE.UserRole + 1

    def __init__(self, images: PageImages, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._images = images
        self._pages: tuple[Page, ...] = ()

    @property
    def pages(self) -> tuple[Page, ...]:
        return self._pages

    def set_pages(self, pages: tuple[Page, ...]) -> None:
        if len(pages) == len(self._pages):
            # The same rows with new contents (a move or a turn): keep the selection where it is.
            self._pages = pages
            if pages:
                self.dataChanged.emit(self.index(0, 0), self.index(len(pages) - 1, 0))
            return
        self.beginResetModel()
        self._pages = pages
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._pages)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._pages):
            return None
        page = self._pages[index.row()]
        if role in (_ROLE.DisplayRole, _ROLE.AccessibleTextRole):
            text = self.tr("Page {number}").format(number=index.row() + 1)
            if page.rotation:
                text += " " + self.tr("(turned {degrees}°)").format(degrees=page.rotation)
            return text
        if role == _ROLE.DecorationRole:
            return self._images.thumbnail(page)
        if role == _ROLE.ToolTipRole:
            width, height = page.size_mm
            return self.tr("{source}\n{width:.0f} × {height:.0f} mm, {dpi:.0f} dpi").format(
                source=page.source, width=width, height=height, dpi=page.dpi[0])
        if role == self.PageRole:
            return page
        return None


__all__ = ["KIND_ORDER", "DocumentListModel", "FormDocument", "PageImages", "PageListModel", "base_thumbnail",
           "guess_kind", "kind_text", "mode_text", "source_text", "title_from_filename"]
