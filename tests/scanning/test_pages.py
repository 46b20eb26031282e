"""Pages and documents: encoding, geometry, the preview strip's operations and thumbnails."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from mediation_desk.models import AttachmentKind
from mediation_desk.scanning.files import import_bytes
from mediation_desk.scanning.pages import Page, PageFormat, ScannedDocument, fit_a4_dpi

from .samples import A4_200DPI, jpeg_bytes, page_image


def colour_page(size: tuple[int, int] = (400, 600), dpi: float = 100) -> Page:
    return Page.from_image(page_image(size, "RGB"), dpi, source="test")


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGB")


def red_at(image: Image.Image, fx: float, fy: float) -> bool:
    """Whether the point at fractions (fx, fy) of the width and height is the red corner mark."""
    pixel = image.getpixel((int(fx * image.width), int(fy * image.height)))
    assert isinstance(pixel, tuple)
    red, green, blue = pixel[:3]
    return bool(red > 150 and green < 90 and blue < 90)


# --------------------------------------------------------------------------- pages


def test_grey_and_colour_scans_become_jpeg_black_and_white_png() -> None:
    assert Page.from_image(page_image(mode="L"), 200).format is PageFormat.JPEG
    assert Page.from_image(page_image(mode="RGB"), 200).format is PageFormat.JPEG
    assert Page.from_image(page_image(mode="1"), 200).format is PageFormat.PNG
    assert Page.from_image(page_image(mode="L"), 200, lossless=True).format is PageFormat.PNG
    assert Page.from_image(page_image(mode="RGB"), 200).media_type == "image/jpeg"


def test_other_modes_are_normalised() -> None:
    cmyk = Page.from_image(page_image(mode="RGB").convert("CMYK"), 200)
    with Image.open(io.BytesIO(cmyk.data)) as image:
        assert image.mode == "RGB"
    palette = Page.from_image(page_image(mode="RGB").convert("P"), 200)
    assert palette.format is PageFormat.JPEG


def test_a4_at_200_dpi_is_a4() -> None:
    page = Page.from_image(page_image(A4_200DPI, "L"), 200)
    assert page.dpi == (200.0, 200.0)
    width_mm, height_mm = page.size_mm
    assert width_mm == pytest.approx(210, abs=0.2) and height_mm == pytest.approx(297, abs=0.2)
    assert page.size_points == pytest.approx((595.4, 842.0), abs=0.1)


def test_unknown_or_absurd_resolution_fits_a4() -> None:
    unknown = Page.from_image(page_image((1000, 1414), "L"), None)
    assert max(unknown.size_mm) == pytest.approx(297, abs=0.5)
    tiny = Page.from_image(page_image((1000, 1414), "L"), 1)  # "1 dpi" from a broken tool
    assert tiny.size_mm == pytest.approx(unknown.size_mm)
    assert fit_a4_dpi(2100, 1000)[0] == pytest.approx(2100 / (297 / 25.4))


def test_page_values_are_checked() -> None:
    with pytest.raises(ValueError, match="multiple of 90"):
        Page(b"x", PageFormat.PNG, 10, 10, (100.0, 100.0), rotation=45)
    with pytest.raises(ValueError, match="positive"):
        Page(b"x", PageFormat.PNG, 0, 10, (100.0, 100.0))


def test_rotation_is_lossless_and_turns_the_geometry() -> None:
    page = colour_page((400, 600))
    turned = page.rotated()
    assert turned.data is page.data  # no pixel was touched
    assert turned.rotation == 90 and page.rotation == 0
    assert turned.oriented_size == (600, 400)
    assert turned.size_mm == pytest.approx((page.size_mm[1], page.size_mm[0]))
    assert page.rotated(4).rotation == 0
    assert page.rotated(-1).rotation == 270
    assert page.rotated(2).rotated(2) == page


def test_thumbnail_is_a_small_png_turned_as_the_page_is_shown() -> None:
    page = colour_page((400, 600))
    thumb = decode(page.thumbnail(120))
    assert max(thumb.size) == 120 and thumb.size[0] < thumb.size[1]
    assert red_at(thumb, 0.2, 0.13)  # the mark is top-left

    turned = decode(page.rotated().thumbnail(120))
    assert turned.size == (thumb.size[1], thumb.size[0])
    # Turned clockwise, the top-left mark is now top-right.
    assert red_at(turned, 0.87, 0.2)
    assert not red_at(turned, 0.2, 0.13)

    upside_down = decode(page.rotated(2).thumbnail(120))
    assert red_at(upside_down, 0.8, 0.87)


def test_thumbnail_of_a_photo_with_exif_orientation_is_upright() -> None:
    # The camera stored the picture sideways and asked for a 90° turn (EXIF 6).
    sideways = page_image((600, 400), "RGB").transpose(Image.Transpose.ROTATE_90)
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    sideways.save(buffer, "JPEG", exif=exif, quality=90)
    [page] = import_bytes("photo.jpg", buffer.getvalue()).pages
    thumb = decode(page.thumbnail(150))
    assert thumb.size[0] > thumb.size[1]
    assert red_at(thumb, 0.2, 0.13)


def test_black_and_white_thumbnails_keep_grey_levels() -> None:
    page = Page.from_image(page_image((800, 1100), "1"), 200)
    with Image.open(io.BytesIO(page.thumbnail(100))) as image:
        assert image.mode == "L"


def test_thumbnail_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        colour_page().thumbnail(0)


def test_image_decodes_the_full_page_as_shown() -> None:
    page = Page(jpeg_bytes((300, 500)), PageFormat.JPEG, 300, 500, (100.0, 100.0), 270)
    assert page.image().size == (500, 300)


# --------------------------------------------------------------------------- documents


def pages(count: int) -> tuple[Page, ...]:
    return tuple(Page.from_image(page_image((200, 280), "L", text=str(n)), 100, source=f"p{n}")
                 for n in range(count))


def sources(document: ScannedDocument) -> list[str]:
    return [p.source for p in document.pages]


def test_document_operations_return_new_documents() -> None:
    original = ScannedDocument(AttachmentKind.IDENTITY, "张三", pages(4))
    moved = original.moved(0, 2)
    assert sources(moved) == ["p1", "p2", "p0", "p3"]
    assert sources(original) == ["p0", "p1", "p2", "p3"]  # untouched: the dialog can undo
    assert sources(original.moved(3, 0)) == ["p3", "p0", "p1", "p2"]
    assert sources(original.moved(-1, 1)) == ["p0", "p3", "p1", "p2"]
    assert sources(original.without(1)) == ["p0", "p2", "p3"]
    rotated = original.rotated(2, -1)
    assert [p.rotation for p in rotated.pages] == [0, 0, 270, 0]
    assert [p.rotation for p in original.all_rotated(2).pages] == [180] * 4
    more = original.with_pages(pages(2), at=1)
    assert sources(more) == ["p0", "p0", "p1", "p1", "p2", "p3"]
    assert original.with_pages(pages(1)).page_count == 5
    assert original.retitled("  李四 ").title == "李四"
    assert original.of_kind(AttachmentKind.EVIDENCE).kind is AttachmentKind.EVIDENCE


def test_document_operations_reject_pages_that_are_not_there() -> None:
    document = ScannedDocument(AttachmentKind.EVIDENCE, pages=pages(2))
    with pytest.raises(IndexError):
        document.without(2)
    with pytest.raises(IndexError):
        document.moved(0, 5)
    with pytest.raises(IndexError):
        ScannedDocument(AttachmentKind.EVIDENCE).rotated(0)


def test_document_filename_names_type_and_title() -> None:
    assert ScannedDocument(AttachmentKind.APPLICATION).filename == "申请书.pdf"
    assert ScannedDocument(AttachmentKind.IDENTITY, "张三").filename == "身份证明-张三.pdf"
    assert ScannedDocument(AttachmentKind.EVIDENCE, "合同 1/2: 原件?").filename == "证据材料-合同 1_2_ 原件_.pdf"


def test_document_thumbnails_follow_page_order() -> None:
    document = ScannedDocument(AttachmentKind.EVIDENCE, pages=pages(3))
    thumbs = document.moved(2, 0).thumbnails(64)
    assert len(thumbs) == 3
    assert thumbs[0] == document.pages[2].thumbnail(64)
