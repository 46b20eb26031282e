"""Scanned pages and the document they make, with the operations of the preview strip.

A ``Page`` holds its image encoded (JPEG as the scanner or the camera produced it, or lossless
PNG) rather than decoded: a decoded A4 page at 200 dpi is 11 MB in colour, and a clerk may hold
forty of them. Rotation is a number on the page, not a change to its pixels, so turning a JPEG
page never re-compresses it: the PDF gets a /Rotate entry and the thumbnail turns the small image.

Everything here is a value: each operation returns a new page or document, so the dialog can keep
the previous one for undo and hand the current one to a worker thread without locking.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from PIL import Image, ImageOps

from ..models.enums import AttachmentKind

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72.0
#: ISO A4 in millimetres (portrait); pages without a trustworthy resolution are fitted into it.
A4_MM = (210.0, 297.0)
#: Resolutions outside this range are metadata noise (72 dpi from cameras, 1 dpi from tools).
PLAUSIBLE_DPI = (50.0, 4800.0)
#: A page larger than A3 on its longer side, or smaller than a bus ticket, has a wrong resolution.
PLAUSIBLE_PAGE_MM = (20.0, 450.0)

DEFAULT_JPEG_QUALITY = 85
DEFAULT_THUMBNAIL_SIZE = 240


class PageFormat(StrEnum):
    JPEG = "jpeg"
    PNG = "png"

    @property
    def media_type(self) -> str:
        return f"image/{self.value}"


@dataclass(frozen=True)
class Page:
    """One page image: encoded bytes, their pixel size and resolution, and a quarter-turn rotation."""

    data: bytes = field(repr=False)
    format: PageFormat
    #: Pixel size of ``data`` as stored (before ``rotation``).
    width: int
    height: int
    #: Pixels per inch, horizontally and vertically, of the stored image.
    dpi: tuple[float, float]
    #: Clockwise degrees applied when shown or printed: 0, 90, 180 or 270.
    rotation: int = 0
    #: Where the page came from ("扫描仪 test:0", a file name), for messages and the preview.
    source: str = ""

    def __post_init__(self) -> None:
        if self.rotation not in (0, 90, 180, 270):
            raise ValueError(f"rotation must be a multiple of 90 degrees, not {self.rotation}")
        if self.width <= 0 or self.height <= 0 or min(self.dpi) <= 0:
            raise ValueError("a page needs a positive size and resolution")

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_image(cls, image: Image.Image, dpi: float | tuple[float, float] | None = None, *,
                   source: str = "", lossless: bool = False,
                   jpeg_quality: int = DEFAULT_JPEG_QUALITY) -> Page:
        """Encode a decoded image as a page.

        Black-and-white images and ``lossless`` ones become PNG; grey and colour become JPEG,
        which is what document scanners and archives use for them (a tenth of PNG's size on a
        noisy scan). ``dpi`` None means "unknown": the page is fitted into A4.
        """
        image = _flatten(image)
        resolution = plausible_dpi(image.width, image.height, dpi)
        buffer = io.BytesIO()
        if image.mode == "1" or lossless:
            image.save(buffer, "PNG", dpi=resolution, compress_level=6)
            fmt = PageFormat.PNG
        else:
            # Baseline, no subsampling tricks: every PDF reader and printer handles it.
            image.save(buffer, "JPEG", quality=jpeg_quality, dpi=tuple(round(d) for d in resolution),
                       optimize=False)
            fmt = PageFormat.JPEG
        return cls(buffer.getvalue(), fmt, image.width, image.height, resolution, 0, source)

    # ------------------------------------------------------------------ geometry

    @property
    def media_type(self) -> str:
        return self.format.media_type

    @property
    def turned(self) -> bool:
        """True when the page shows sideways relative to how it is stored."""
        return self.rotation in (90, 270)

    @property
    def oriented_size(self) -> tuple[int, int]:
        """Pixel size as the page is shown (after rotation)."""
        return (self.height, self.width) if self.turned else (self.width, self.height)

    @property
    def size_mm(self) -> tuple[float, float]:
        """Paper size as shown (after rotation), in millimetres."""
        w = self.width / self.dpi[0] * MM_PER_INCH
        h = self.height / self.dpi[1] * MM_PER_INCH
        return (h, w) if self.turned else (w, h)

    @property
    def size_points(self) -> tuple[float, float]:
        """Paper size of the stored image (before rotation) in PDF points."""
        return (self.width / self.dpi[0] * POINTS_PER_INCH, self.height / self.dpi[1] * POINTS_PER_INCH)

    # ------------------------------------------------------------------ operations

    def rotated(self, quarter_turns: int = 1) -> Page:
        """Turned clockwise by ``quarter_turns`` × 90° (negative: anticlockwise). No pixel changes."""
        return replace(self, rotation=(self.rotation + 90 * quarter_turns) % 360)

    def image(self, *, max_size: int | None = None) -> Image.Image:
        """The decoded image as shown (rotation applied), optionally shrunk to fit ``max_size``.

        For a thumbnail of a JPEG, the decoder scales while decoding (``draft``), which is several
        times faster than decoding the full page and shrinking it.
        """
        with Image.open(io.BytesIO(self.data), formats=[self.format.value.upper()]) as source:
            if max_size is not None and self.format is PageFormat.JPEG:
                source.draft(source.mode if source.mode in ("L", "RGB") else "RGB", (max_size, max_size))
            image = source.convert("RGB") if source.mode not in ("1", "L", "RGB") else source.copy()
        if max_size is not None:
            image.thumbnail((max_size, max_size), Image.Resampling.LANCZOS)
        if self.rotation:
            # Image.rotate turns anticlockwise; the page's rotation is clockwise.
            transpose = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                         270: Image.Transpose.ROTATE_90}[self.rotation]
            image = image.transpose(transpose)
        return image

    def thumbnail(self, max_size: int = DEFAULT_THUMBNAIL_SIZE) -> bytes:
        """PNG bytes of the page as shown, at most ``max_size`` pixels on its longer side.

        The Qt layer loads these into a ``QPixmap`` as they are; it never decodes a full page.
        """
        if max_size <= 0:
            raise ValueError("max_size must be positive")
        image = self.image(max_size=max_size)
        if image.mode == "1":
            # Shrinking black-and-white text without greys makes it unreadable.
            image = image.convert("L")
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=1)
        return buffer.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """An image in a mode both the PDF and the thumbnails take as it is: 1, L or RGB.

    Transparency is composited onto white paper: a scan with an alpha channel (some phone apps
    write one) would otherwise print its transparent parts black in some PDF readers.
    """
    if image.mode in ("1", "L", "RGB"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit grey (some scanners, medical TIFFs): scale to 8 bits instead of clipping to white.
        return image.point(lambda value: value / 256).convert("L")
    if image.mode == "F":
        return image.convert("L")
    return image.convert("RGB")


def plausible_dpi(width: int, height: int, dpi: float | tuple[float, float] | None) -> tuple[float, float]:
    """The resolution to print at: the given one if it yields a believable paper size, else A4 fit."""
    if dpi is not None:
        pair = (float(dpi), float(dpi)) if isinstance(dpi, int | float) else (float(dpi[0]), float(dpi[1]))
        low, high = PLAUSIBLE_DPI
        if all(low <= d <= high for d in pair):
            w_mm = width / pair[0] * MM_PER_INCH
            h_mm = height / pair[1] * MM_PER_INCH
            if PLAUSIBLE_PAGE_MM[0] <= max(w_mm, h_mm) <= PLAUSIBLE_PAGE_MM[1]:
                return pair
    return fit_a4_dpi(width, height)


def fit_a4_dpi(width: int, height: int) -> tuple[float, float]:
    """The square resolution at which a ``width`` × ``height`` image just fits A4 (in its own
    orientation: a landscape photo goes on a landscape page)."""
    short_mm, long_mm = A4_MM
    page_w, page_h = (short_mm, long_mm) if height >= width else (long_mm, short_mm)
    dpi = max(width / (page_w / MM_PER_INCH), height / (page_h / MM_PER_INCH))
    return (dpi, dpi)


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class ScannedDocument:
    """An ordered set of pages that becomes one attachment of one document type."""

    kind: AttachmentKind
    title: str = ""
    pages: tuple[Page, ...] = ()

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def filename(self) -> str:
        """The attachment's file name: "申请书.pdf", "身份证明-张三.pdf"."""
        title = " ".join(self.title.split())
        stem = f"{self.kind.label}-{title}" if title else self.kind.label
        for forbidden in '/\\:*?"<>|':
            stem = stem.replace(forbidden, "_")
        return f"{stem}.pdf"

    def _index(self, index: int) -> int:
        if not -len(self.pages) <= index < len(self.pages):
            raise IndexError(f"page {index} of a {len(self.pages)}-page document")
        return index % len(self.pages)

    def with_pages(self, pages: Iterable[Page], at: int | None = None) -> ScannedDocument:
        """New pages inserted before position ``at`` (appended when None)."""
        new = tuple(pages)
        position = len(self.pages) if at is None else max(0, min(at, len(self.pages)))
        return replace(self, pages=self.pages[:position] + new + self.pages[position:])

    def moved(self, index: int, to: int) -> ScannedDocument:
        """Page ``index`` taken out and put back so that it ends up at position ``to``."""
        source = self._index(index)
        target = self._index(to)
        pages = list(self.pages)
        page = pages.pop(source)
        pages.insert(target, page)
        return replace(self, pages=tuple(pages))

    def rotated(self, index: int, quarter_turns: int = 1) -> ScannedDocument:
        i = self._index(index)
        return replace(self, pages=(*self.pages[:i], self.pages[i].rotated(quarter_turns), *self.pages[i + 1:]))

    def all_rotated(self, quarter_turns: int = 1) -> ScannedDocument:
        """Every page turned: a stack fed upside down is fixed with one click."""
        return replace(self, pages=tuple(p.rotated(quarter_turns) for p in self.pages))

    def without(self, index: int) -> ScannedDocument:
        i = self._index(index)
        return replace(self, pages=self.pages[:i] + self.pages[i + 1:])

    def retitled(self, title: str) -> ScannedDocument:
        return replace(self, title=title.strip())

    def of_kind(self, kind: AttachmentKind) -> ScannedDocument:
        return replace(self, kind=kind)

    def thumbnails(self, max_size: int = DEFAULT_THUMBNAIL_SIZE) -> list[bytes]:
        return [page.thumbnail(max_size) for page in self.pages]


def exif_rotation(image: Image.Image) -> tuple[int, bool]:
    """(clockwise degrees, mirrored) that a camera's EXIF orientation asks for."""
    orientation = image.getexif().get(0x0112, 1)
    return {
        1: (0, False), 2: (0, True), 3: (180, False), 4: (180, True),
        5: (90, True), 6: (90, False), 7: (270, True), 8: (270, False),
    }.get(int(orientation) if isinstance(orientation, int) else 1, (0, False))  # fmt: skip


def upright(image: Image.Image) -> Image.Image:
    """The image with its EXIF orientation applied to the pixels (for mirrored orientations)."""
    return ImageOps.exif_transpose(image)
