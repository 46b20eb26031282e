"""Pages to one PDF per document.

img2pdf is the engine: it embeds a JPEG page's bytes as they are (DCTDecode) and a PNG page's
compressed data as it is (FlateDecode), so the PDF holds exactly the pixels that were scanned,
and five A4 pages take milliseconds. Each page is sized by its own resolution (a 200 dpi scan of
A4 is an A4 page, a photo of an ID card fitted to A4), and a turned page gets a /Rotate entry
rather than re-compressed pixels.

Pillow is the fallback when img2pdf is not installed or fails on a page: it re-encodes grey and
colour pages as JPEG (quality 90), so it is used only when the first engine cannot be.

The output has no dates and no random ID, so the same pages give the same bytes and the same
SHA-256 — the attachment store keeps one copy however often the document is saved.
"""

from __future__ import annotations

import importlib
import io
import logging
from collections.abc import Sequence
from enum import StrEnum
from types import ModuleType
from typing import Any

from .errors import Cancelled, ScanningError
from .pages import Page, ScannedDocument
from .progress import CancelCheck, ProgressCallback, report, stop_if_cancelled

log = logging.getLogger(__name__)

#: Written into the PDF's Info dictionary, so an archivist can tell where a file came from
#: (ASCII: img2pdf also writes it into XMP, which it encodes as ASCII).
PRODUCER = "Mediation Desk"
_CANCELLED = "已取消生成 PDF。"


class Engine(StrEnum):
    AUTO = "auto"
    IMG2PDF = "img2pdf"
    PILLOW = "pillow"


def _img2pdf() -> ModuleType | None:
    # Imported on first use: it pulls in pikepdf (~150 ms), which the app's start must not pay.
    try:
        return importlib.import_module("img2pdf")
    except ImportError:
        return None


def img2pdf_available() -> bool:
    return _img2pdf() is not None


def assemble_pdf(pages: Sequence[Page], *, title: str = "", engine: Engine = Engine.AUTO,
                 progress: ProgressCallback | None = None, cancelled: CancelCheck | None = None) -> bytes:
    """One PDF with ``pages`` in order. Raises ``Cancelled`` when ``cancelled()`` turns True."""
    if not pages:
        raise ScanningError("没有任何页面，不能生成 PDF。请先扫描或导入页面。")
    if engine is not Engine.PILLOW:
        module = _img2pdf()
        if module is not None:
            try:
                return _with_img2pdf(module, pages, title, progress, cancelled)
            except Cancelled:
                raise
            except Exception:
                if engine is Engine.IMG2PDF:
                    raise
                # A page img2pdf rejects is still a valid image: Pillow can write it.
                log.warning("img2pdf failed; assembling the PDF with Pillow instead", exc_info=True)
        elif engine is Engine.IMG2PDF:
            raise ScanningError("未安装 img2pdf，无法生成 PDF。请安装：pip install img2pdf")
    return _with_pillow(pages, title, progress, cancelled)


def document_pdf(document: ScannedDocument, *, engine: Engine = Engine.AUTO,
                 progress: ProgressCallback | None = None, cancelled: CancelCheck | None = None) -> bytes:
    """The PDF of a scanned document, titled with its type and title ("身份证明-张三")."""
    return assemble_pdf(document.pages, title=document.filename.removesuffix(".pdf"), engine=engine,
                        progress=progress, cancelled=cancelled)


def _with_img2pdf(module: ModuleType, pages: Sequence[Page], title: str,
                  progress: ProgressCallback | None, cancelled: CancelCheck | None) -> bytes:
    total = len(pages)
    order = iter(enumerate(pages))

    def layout(width_px: int, height_px: int, _dpi: Any) -> tuple[float, float, float, float]:
        # img2pdf calls this once per image, in the order given, just before it writes that page:
        # the one hook it has for per-page sizes, and the place to report progress and stop.
        index, page = next(order)
        stop_if_cancelled(cancelled, _CANCELLED)
        report(progress, index, total, f"正在生成 PDF：第 {index + 1}/{total} 页")
        if (width_px, height_px) != (page.width, page.height):
            raise ScanningError(f"第 {index + 1} 页的图像尺寸与记录不符，无法生成 PDF。")
        width, height = page.size_points
        return width, height, width, height

    stop_if_cancelled(cancelled, _CANCELLED)
    pdf: bytes = module.convert(
        [io.BytesIO(page.data) for page in pages],
        layout_fun=layout,
        # EXIF orientation is already the page's rotation; img2pdf must not apply it twice.
        rotation=module.Rotation.none,
        nodate=True,
        engine=module.Engine.internal,
        title=title or None,
        producer=PRODUCER,
    )
    if any(page.rotation for page in pages):
        stop_if_cancelled(cancelled, _CANCELLED)
        pdf = _set_rotations(pdf, pages)
    report(progress, total, total, "PDF 已生成")
    return pdf


def _set_rotations(pdf: bytes, pages: Sequence[Page]) -> bytes:
    """/Rotate on each turned page: viewers and printers turn it, and no pixel is re-encoded."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for pdf_page, page in zip(writer.pages, pages, strict=True):
        if page.rotation:
            pdf_page.rotate(page.rotation)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_pillow(pages: Sequence[Page], title: str, progress: ProgressCallback | None,
                 cancelled: CancelCheck | None) -> bytes:
    total = len(pages)
    out = io.BytesIO()
    for index, page in enumerate(pages):
        stop_if_cancelled(cancelled, _CANCELLED)
        report(progress, index, total, f"正在生成 PDF：第 {index + 1}/{total} 页")
        image = page.image()
        dpi = (page.dpi[1], page.dpi[0]) if page.turned else page.dpi
        # No dates: the same pages must give the same bytes. Pillow appends each page as an
        # incremental update, so every page keeps its own size.
        options: dict[str, Any] = {"dpi": dpi, "creationDate": None, "modDate": None}
        if index == 0:
            options.update(title=title or None, producer=PRODUCER)
        if image.mode != "1":
            options["quality"] = 90
        image.save(out, "PDF", append=index > 0, **options)
    report(progress, total, total, "PDF 已生成")
    return out.getvalue()
