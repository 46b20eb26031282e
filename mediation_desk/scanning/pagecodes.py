"""Reading the page code (``documents.pagecode``) off a scanned page, and cutting scanned files
into pages to read.

A scan is noisy: grey paper, specks, a page fed 1–2° askew, JPEG blocks, a stamp near the code.
zxing-cpp finds a clean code on a whole 150 dpi page in 10–30 ms when it looks for QR codes
only (all formats: ~120 ms), so the whole page is tried first. When that fails, the corners are
tried, first as they are, then greyed, despeckled (3×3 median) and enlarged 2× (and 3×), and
last also thresholded at the crop's own Otsu level: the code sits in the lower right corner of
every printed page, or in the upper left of a page fed upside down. Every attempt and its time
is kept on the result, so the time per page can be measured and shown. Measured on a generated
agreement at 150 dpi with specks, blur, a tilt of up to 2° and JPEG quality 55: median 33 ms a
page, at most 244 ms; a page without a code (all attempts fail) 0.6–0.9 s.

A page is an image (PNG, JPEG, TIFF frame) or a page of a PDF. A scanner's PDF holds one image
per page, which pypdf extracts without rendering. A PDF page without an image (a document
"printed" to PDF, never on paper) is rendered with pypdfium2 only when that is installed; it is
never a signed copy anyway, so without it the page is simply not read.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageFilter, ImageOps

from ..documents.pagecode import PageCode, parse_page_code
from .errors import FileRefused
from .files import ImportLimits, import_bytes
from .pages import Page, plausible_dpi
from .progress import CancelCheck, ProgressCallback, report, stop_if_cancelled

#: The share of the width and height of a page a corner crop takes. The code is 17 mm square,
#: 9 mm above the bottom and ~25 mm in from the right of an A4 sheet (210 × 297 mm): well inside
#: 40 % × 25 %, with room for a scan that is shifted on the glass.
CORNER_WIDTH = 0.40
CORNER_HEIGHT = 0.25


@dataclass(frozen=True)
class Attempt:
    """One try at reading a page: where, how, and how long it took."""

    where: str
    seconds: float
    found: bool


@dataclass(frozen=True)
class CodeRead:
    """What a page's QR codes said.

    ``code`` is ours, parsed; ``foreign`` holds the text of QR codes that are not page codes
    (another program's, a damaged read), so a message can say "a code, but not ours".
    """

    code: PageCode | None
    foreign: tuple[str, ...] = ()
    attempts: tuple[Attempt, ...] = ()

    @property
    def seconds(self) -> float:
        return sum(a.seconds for a in self.attempts)

    @property
    def read_by(self) -> str:
        """Which attempt read the code ("整页", "右下角（放大）"), or "" when none did."""
        return next((a.where for a in self.attempts if a.found), "")


def _qr_texts(image: Image.Image) -> list[str]:
    import zxingcpp

    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    return [result.text for result in zxingcpp.read_barcodes(image, formats=qr_only) if result.valid and result.text]


def _otsu(grey: Image.Image) -> int:
    """The grey level that best splits the crop into paper and ink (Otsu's method)."""
    histogram = grey.histogram()[:256]
    total = sum(histogram)
    weighted_total = sum(level * count for level, count in enumerate(histogram))
    best_level, best_between = 128, -1.0
    below = weighted_below = 0
    for level, count in enumerate(histogram):
        below += count
        if below == 0:
            continue
        above = total - below
        if above == 0:
            break
        weighted_below += level * count
        mean_below = weighted_below / below
        mean_above = (weighted_total - weighted_below) / above
        between = below * above * (mean_below - mean_above) ** 2
        if between > best_between:
            best_level, best_between = level, between
    return best_level


def despeckled(image: Image.Image, scale: int = 2) -> Image.Image:
    """The image in grey, contrast stretched, specks removed (3×3 median) and enlarged 2×: thin
    modules of a low-resolution scan get whole pixels (3× is tried after 2×: the sampling grid
    that misses a module at one scale catches it at the other). Binarising is left to zxing-cpp's local
    threshold, which kept codes that a global threshold lost on a grey, uneven scan."""
    grey = ImageOps.autocontrast(image.convert("L"), cutoff=1).filter(ImageFilter.MedianFilter(3))
    return grey.resize((grey.width * scale, grey.height * scale), Image.Resampling.BICUBIC)


def enhanced(image: Image.Image) -> Image.Image:
    """:func:`despeckled`, then thresholded at the image's own Otsu level: the last resort for
    a code on coloured paper or under a light stamp."""
    grey = despeckled(image)
    level = _otsu(grey)
    return grey.point(lambda value: 255 if value > level else 0, mode="L")


def _corners(image: Image.Image) -> list[tuple[str, Image.Image]]:
    width, height = image.size
    w, h = max(1, round(width * CORNER_WIDTH)), max(1, round(height * CORNER_HEIGHT))
    boxes = (
        ("右下角", (width - w, height - h, width, height)),
        ("左上角", (0, 0, w, h)),  # a page fed upside down
        ("左下角", (0, height - h, w, height)),
        ("右上角", (width - w, 0, width, h)),
    )
    return [(name, image.crop(box)) for name, box in boxes]


def read_page_code(image: Image.Image, *, clock: Callable[[], float] = time.perf_counter) -> CodeRead:
    """The page code on ``image``: the whole page; then each corner as it is, despeckled and
    enlarged, and thresholded.

    Stops at the first attempt that finds one of our codes. Never raises on a bad read.
    """
    attempts: list[Attempt] = []
    foreign: list[str] = []

    def attempt(where: str, make: Callable[[], Image.Image]) -> PageCode | None:
        start = clock()
        code: PageCode | None = None
        for text in _qr_texts(make()):
            parsed = parse_page_code(text)
            if parsed is not None:
                code = parsed
                break
            if text not in foreign:
                foreign.append(text)
        attempts.append(Attempt(where, clock() - start, code is not None))
        return code

    code = attempt("整页", lambda: image)
    if code is None:
        corners = _corners(image)
        passes: tuple[tuple[str, Callable[[Image.Image], Image.Image]], ...] = (
            ("", lambda crop: crop), ("（去噪放大）", despeckled),
            ("（去噪放大3倍）", lambda crop: despeckled(crop, 3)), ("（二值化）", enhanced))
        for suffix, prepare in passes:
            for name, crop in corners:
                code = attempt(name + suffix, lambda crop=crop, prepare=prepare: prepare(crop))  # type: ignore[misc]
                if code is not None:
                    return CodeRead(code, tuple(foreign), tuple(attempts))
    return CodeRead(code, tuple(foreign), tuple(attempts))


# --------------------------------------------------------------------------- pages of files


@dataclass(frozen=True)
class Sheet:
    """One scanned page, ready to read and to file.

    ``page`` is its image (None for a PDF page that holds none and could not be rendered);
    ``pdf_page`` is the page as a one-page PDF when it came out of a PDF (kept as it was
    scanned). ``sha256`` identifies the page's content: the same sheet scanned into the same
    file twice has the same one.
    """

    label: str
    sha256: str
    page: Page | None = None
    pdf_page: bytes | None = field(default=None, repr=False)

    @property
    def content(self) -> bytes:
        """The bytes to keep for the page on its own: its image, else its one-page PDF."""
        if self.page is not None:
            return self.page.data
        assert self.pdf_page is not None
        return self.pdf_page

    @property
    def media_type(self) -> str:
        return self.page.media_type if self.page is not None else "application/pdf"

    def as_pdf(self) -> bytes:
        """The page as a one-page PDF (the scanned PDF's own page, or the image wrapped)."""
        if self.pdf_page is not None:
            return self.pdf_page
        from .assemble import assemble_pdf

        assert self.page is not None
        return assemble_pdf([self.page])


@dataclass(frozen=True)
class ReadSheet:
    """A sheet and what its code said."""

    sheet: Sheet
    read: CodeRead


def sheets_of_file(name: str, data: bytes, limits: ImportLimits | None = None) -> list[Sheet]:
    """The pages of a scanned file: an image (every frame of a TIFF) or a PDF.

    Raises ``FileRefused`` (the file import's own checks: empty, corrupt, bomb, mislabelled).
    """
    imported = import_bytes(name, data, limits)
    if imported.pdf is None:
        many = len(imported.pages) > 1
        return [Sheet(page.source if many else imported.name, hashlib.sha256(page.data).hexdigest(), page=page)
                for page in imported.pages]
    return list(_pdf_sheets(imported.name, imported.pdf, limits or ImportLimits()))


def _pdf_sheets(name: str, pdf: bytes, limits: ImportLimits) -> Iterator[Sheet]:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf), strict=False)
    count = len(reader.pages)
    for number, pdf_page in enumerate(reader.pages, start=1):
        label = f"{name} 第 {number} 页" if count > 1 else name
        writer = PdfWriter()
        writer.add_page(pdf_page)
        single = io.BytesIO()
        writer.write(single)
        page = _page_image(pdf_page, label, limits)
        digest = hashlib.sha256(page.data if page is not None else single.getvalue()).hexdigest()
        yield Sheet(label, digest, page=page, pdf_page=single.getvalue())


def _page_image(pdf_page: object, label: str, limits: ImportLimits) -> Page | None:
    """The page's scanned image: its largest embedded image, else a rendering by pypdfium2 when
    that is installed, else None."""
    from pypdf import PageObject

    assert isinstance(pdf_page, PageObject)
    box = pdf_page.mediabox
    size_in = (float(box.width) / 72.0, float(box.height) / 72.0)
    best: Image.Image | None = None
    try:
        for found in pdf_page.images:
            image = found.image
            if image is None or image.width * image.height > limits.max_pixels:
                continue
            if best is None or image.width * image.height > best.width * best.height:
                best = image
    except Exception:  # pypdf raises many types on damaged or exotic image streams: treat as none
        best = None
    if best is None:
        best = _render(pdf_page)
        if best is None:
            return None
    if best.mode not in ("1", "L", "RGB"):
        best = best.convert("RGB")
    dpi = (best.width / size_in[0], best.height / size_in[1]) if min(size_in) > 0 else None
    resolution = plausible_dpi(best.width, best.height, dpi)
    return Page.from_image(best, resolution, source=label, lossless=best.mode == "1")


def _render(pdf_page: object) -> Image.Image | None:
    try:
        import pypdfium2  # type: ignore[import-not-found]  # optional: used only when installed
    except ImportError:
        return None
    from pypdf import PageObject, PdfWriter

    assert isinstance(pdf_page, PageObject)
    writer = PdfWriter()
    writer.add_page(pdf_page)
    buffer = io.BytesIO()
    writer.write(buffer)
    document = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        rendered: Image.Image = document[0].render(scale=150 / 72).to_pil()
        return rendered
    finally:
        document.close()


def read_sheets(sheets: Sequence[Sheet], *, progress: ProgressCallback | None = None,
                cancelled: CancelCheck | None = None) -> list[ReadSheet]:
    """Read the page code of every sheet, reporting progress; ``Cancelled`` when asked to stop."""
    done: list[ReadSheet] = []
    for index, sheet in enumerate(sheets):
        stop_if_cancelled(cancelled, "已取消识别页码。")
        report(progress, index, len(sheets), f"正在识别第 {index + 1}/{len(sheets)} 页的二维码")
        if sheet.page is None:
            done.append(ReadSheet(sheet, CodeRead(None)))
            continue
        done.append(ReadSheet(sheet, read_page_code(sheet.page.image())))
    report(progress, len(sheets), len(sheets), "二维码识别完成")
    return done


__all__ = ["Attempt", "CodeRead", "FileRefused", "ReadSheet", "Sheet", "despeckled", "enhanced", "read_page_code",
           "read_sheets", "sheets_of_file"]
