"""Pages to PDF, read back with pypdf: order, page sizes from resolution, rotation, bytes kept."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from pypdf import PdfReader

from mediation_desk.models import AttachmentKind
from mediation_desk.scanning import assemble
from mediation_desk.scanning.assemble import Engine, assemble_pdf, document_pdf
from mediation_desk.scanning.errors import Cancelled, ScanningError
from mediation_desk.scanning.files import import_bytes
from mediation_desk.scanning.pages import Page, PageFormat, ScannedDocument
from mediation_desk.scanning.progress import Progress

from .samples import A4_200DPI, page_image, png_bytes, tiff_bytes

A4_POINTS = (595.28, 841.89)


def a4_pages(count: int = 5) -> list[Page]:
    return [Page.from_image(page_image(A4_200DPI, "L", text=f"page {n}"), 200, source=f"p{n}")
            for n in range(count)]


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def sizes(reader: PdfReader) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def embedded_image(reader: PdfReader, index: int) -> Any:
    resources: Any = reader.pages[index]["/Resources"]
    xobjects = resources["/XObject"]
    return next(iter(xobjects.values())).get_object()


def test_five_a4_scans_make_five_a4_pages() -> None:
    pages = a4_pages(5)
    reader = read(assemble_pdf(pages, title="申请书-张三"))
    assert len(reader.pages) == 5
    for width, height in sizes(reader):
        assert width == pytest.approx(A4_POINTS[0], abs=0.5)
        assert height == pytest.approx(A4_POINTS[1], abs=0.5)
    assert reader.metadata is not None and reader.metadata.title == "申请书-张三"


def test_jpeg_pages_are_embedded_without_recompression() -> None:
    pages = a4_pages(2)
    reader = read(assemble_pdf(pages))
    for index, page in enumerate(pages):
        image = embedded_image(reader, index)
        assert image["/Filter"] == "/DCTDecode"
        assert image._data == page.data  # the very bytes the scanner gave


def test_page_size_follows_each_pages_own_resolution() -> None:
    card = Page.from_image(page_image((1012, 638), "RGB"), 300)  # an ID card at 300 dpi: 85.6 × 54 mm
    letter = Page.from_image(page_image((850, 1100), "L"), 100)
    reader = read(assemble_pdf([card, letter]))
    (card_w, card_h), (letter_w, letter_h) = sizes(reader)
    assert card_w == pytest.approx(1012 / 300 * 72, abs=0.1) and card_h == pytest.approx(638 / 300 * 72, abs=0.1)
    assert (letter_w, letter_h) == pytest.approx((612, 792), abs=0.1)


def test_rotation_is_a_page_attribute_not_new_pixels() -> None:
    pages = a4_pages(3)
    document = ScannedDocument(AttachmentKind.EVIDENCE, "合同", tuple(pages)).rotated(1).rotated(2, 2)
    reader = read(document_pdf(document))
    assert [p.rotation for p in reader.pages] == [0, 90, 180]
    # The box stays the stored image's; the viewer turns it.
    assert sizes(reader)[1] == pytest.approx(A4_POINTS, abs=0.5)
    assert embedded_image(reader, 1)._data == pages[1].data
    assert reader.metadata is not None and reader.metadata.title == "证据材料-合同"


def test_output_is_deterministic() -> None:
    pages = a4_pages(2)
    pages[1] = pages[1].rotated()
    first = assemble_pdf(pages, title="身份证明")
    second = assemble_pdf(list(pages), title="身份证明")
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    assert b"CreationDate" not in first and b"ModDate" not in first


def test_mixed_sources_make_one_document() -> None:
    faxed = import_bytes("传真.tif", tiff_bytes(frames=2)).pages
    screenshot = import_bytes("截图.png", png_bytes(mode="RGBA")).pages
    plain = import_bytes("申请书.png", png_bytes(mode="L")).pages
    pages = [*faxed, *screenshot, *plain, *a4_pages(1)]
    reader = read(assemble_pdf(pages))
    assert len(reader.pages) == 5
    assert embedded_image(reader, 3)["/Filter"] == "/FlateDecode"


def test_progress_is_reported_per_page_and_ends_complete() -> None:
    seen: list[Progress] = []
    assemble_pdf(a4_pages(3), progress=seen.append)
    assert [p.done for p in seen] == [0, 1, 2, 3]
    assert all(p.total == 3 for p in seen)
    assert seen[-1].fraction == 1.0
    assert "第 2/3 页" in seen[1].text


@pytest.mark.parametrize("engine", [Engine.IMG2PDF, Engine.PILLOW])
def test_cancel_stops_between_pages(engine: Engine) -> None:
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2

    with pytest.raises(Cancelled, match="已取消"):
        assemble_pdf(a4_pages(5), engine=engine, cancelled=cancelled)
    assert calls == 3


def test_no_pages_is_refused() -> None:
    with pytest.raises(ScanningError, match="没有任何页面"):
        assemble_pdf([])


# --------------------------------------------------------------------------- Pillow fallback


def test_pillow_engine_makes_the_same_pages() -> None:
    pages = a4_pages(2)
    pages[1] = pages[1].rotated()
    bw = Page.from_image(page_image((850, 1100), "1"), 100)
    pdf = assemble_pdf([*pages, bw], engine=Engine.PILLOW, title="申请书")
    reader = read(pdf)
    assert len(reader.pages) == 3
    first, turned, letter = sizes(reader)
    assert first == pytest.approx(A4_POINTS, abs=0.5)
    # Pillow turns the pixels: the box is landscape.
    assert turned == pytest.approx((A4_POINTS[1], A4_POINTS[0]), abs=0.5)
    assert letter == pytest.approx((612, 792), abs=0.1)
    assert pdf == assemble_pdf([*pages, bw], engine=Engine.PILLOW, title="申请书")


def test_auto_falls_back_to_pillow_without_img2pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assemble, "_img2pdf", lambda: None)
    assert not assemble.img2pdf_available()
    reader = read(assemble_pdf(a4_pages(2)))
    assert len(reader.pages) == 2
    with pytest.raises(ScanningError, match="pip install img2pdf"):
        assemble_pdf(a4_pages(1), engine=Engine.IMG2PDF)


def test_auto_falls_back_to_pillow_when_img2pdf_fails(monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        Rotation = Engine = type("Anything", (), {"none": None, "internal": None})

        @staticmethod
        def convert(*_: object, **__: object) -> bytes:
            raise ValueError("img2pdf refuses this page")

    monkeypatch.setattr(assemble, "_img2pdf", lambda: Broken)
    reader = read(assemble_pdf(a4_pages(2)))
    assert len(reader.pages) == 2
    assert "assembling the PDF with Pillow" in caplog.text
    with pytest.raises(ValueError, match="refuses"):
        assemble_pdf(a4_pages(1), engine=Engine.IMG2PDF)


def test_stored_size_must_match_the_image() -> None:
    good = a4_pages(1)[0]
    lying = Page(good.data, PageFormat.JPEG, 100, 100, (200.0, 200.0))
    with pytest.raises(ScanningError, match="尺寸与记录不符"):
        assemble_pdf([lying], engine=Engine.IMG2PDF)
