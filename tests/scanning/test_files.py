"""File import: what is accepted as it is, and every way a file is refused (in Chinese, by name)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from mediation_desk.models import AttachmentKind
from mediation_desk.scanning import files
from mediation_desk.scanning.errors import Cancelled, FileProblem, FileRefused
from mediation_desk.scanning.files import ImportLimits, import_bytes, import_file, import_files
from mediation_desk.scanning.pages import PageFormat
from mediation_desk.scanning.progress import Progress
from mediation_desk.scanning.sniff import FileType, sniff

from .samples import (
    bomb_png,
    docx_like_bytes,
    encrypted_pdf_bytes,
    exe_bytes,
    jpeg_bytes,
    page_image,
    pdf_bytes,
    png_bytes,
    tiff_bytes,
    zip_bytes,
)

CJK = re.compile(r"[\u4e00-\u9fff]")


def refused(name: str, data: bytes, limits: ImportLimits | None = None) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        import_bytes(name, data, limits)
    error = caught.value
    # Every refusal names the file and says in Chinese what is wrong.
    assert name in str(error)
    assert error.filename == name
    assert CJK.search(str(error))
    return error


# --------------------------------------------------------------------------- accepted


def test_jpeg_is_kept_byte_for_byte() -> None:
    data = jpeg_bytes(dpi=150)
    result = import_bytes("身份证正面.jpg", data)
    assert result.type is FileType.JPEG and not result.is_pdf
    [page] = result.pages
    assert page.data == data
    assert page.format is PageFormat.JPEG
    assert (page.width, page.height) == (827, 1169)
    assert page.dpi == (150.0, 150.0)
    assert page.rotation == 0
    assert page.source == "身份证正面.jpg"


def test_plain_png_is_kept_byte_for_byte() -> None:
    data = png_bytes(mode="L")
    [page] = import_bytes("申请书.png", data).pages
    assert page.data == data and page.format is PageFormat.PNG
    assert page.dpi == pytest.approx((100.0, 100.0), abs=0.01)


def test_png_with_transparency_is_flattened_onto_white_losslessly() -> None:
    [page] = import_bytes("截图.png", png_bytes(mode="RGBA")).pages
    assert page.format is PageFormat.PNG
    with Image.open(io.BytesIO(page.data)) as image:
        assert image.mode == "RGB"
        # A half-transparent white pixel on white paper stays white.
        assert image.getpixel((5, 5)) == (255, 255, 255)


def test_sixteen_bit_png_is_reencoded_at_eight_bits() -> None:
    buffer = io.BytesIO()
    Image.new("I;16", (300, 400), 40000).save(buffer, "PNG")
    [page] = import_bytes("医学影像.png", buffer.getvalue()).pages
    with Image.open(io.BytesIO(page.data)) as image:
        assert image.mode == "L"
        assert image.getpixel((0, 0)) == 40000 // 256


def test_an_image_under_another_image_extension_is_accepted_as_what_it_is() -> None:
    # A phone app saved a PNG as ".jpg": still the picture the clerk meant.
    result = import_bytes("证据照片.jpg", png_bytes())
    assert result.type is FileType.PNG
    assert result.pages[0].format is PageFormat.PNG
    assert import_bytes("扫描件.png", jpeg_bytes()).type is FileType.JPEG
    assert import_bytes("传真.jpg", tiff_bytes(frames=1)).type is FileType.TIFF


def test_a_name_without_extension_is_judged_by_content() -> None:
    assert import_bytes("SCAN0001", jpeg_bytes()).type is FileType.JPEG
    assert import_bytes("scan.001", pdf_bytes()).type is FileType.PDF


def test_multipage_tiff_becomes_one_page_per_frame() -> None:
    result = import_bytes("传真.tif", tiff_bytes(frames=3, dpi=200))
    assert result.type is FileType.TIFF and result.page_count == 3
    assert [p.source for p in result.pages] == ["传真.tif 第 1 页", "传真.tif 第 2 页", "传真.tif 第 3 页"]
    for page in result.pages:
        # Fax-style 1-bit frames stay 1-bit (small, sharp) and lossless.
        assert page.format is PageFormat.PNG
        assert page.dpi == (200.0, 200.0)
        with Image.open(io.BytesIO(page.data)) as image:
            assert image.mode == "1"


def test_grey_tiff_frames_are_imported_too() -> None:
    result = import_bytes("档案.tiff", tiff_bytes(frames=2, mode="L"))
    assert result.page_count == 2
    assert all(p.format is PageFormat.PNG for p in result.pages)


def test_exif_orientation_becomes_the_page_rotation_without_reencoding() -> None:
    data = jpeg_bytes(orientation=6)  # camera held upright: turn 90° clockwise to view
    [page] = import_bytes("手机拍照.jpg", data).pages
    assert page.rotation == 90
    assert page.data == data
    assert page.oriented_size == (1169, 827)


def test_mirrored_exif_orientation_is_applied_to_the_pixels() -> None:
    [page] = import_bytes("自拍.jpg", jpeg_bytes(orientation=2)).pages
    assert page.rotation == 0
    assert page.format is PageFormat.JPEG


def test_camera_photo_with_meaningless_resolution_is_fitted_to_a4() -> None:
    buffer = io.BytesIO()
    page_image((4000, 3000), "RGB").save(buffer, "JPEG", dpi=(72, 72))
    [page] = import_bytes("现场照片.jpg", buffer.getvalue()).pages
    width_mm, height_mm = page.size_mm
    # Landscape photo, landscape A4: it fits 297 × 210 mm and touches one of the edges.
    assert width_mm <= 297.01 and height_mm <= 210.01
    assert width_mm == pytest.approx(297, abs=0.1) or height_mm == pytest.approx(210, abs=0.1)


def test_pdf_is_kept_as_it_is() -> None:
    data = pdf_bytes(3)
    result = import_bytes("调解申请书.pdf", data)
    assert result.is_pdf and result.pdf == data
    assert result.type is FileType.PDF and result.media_type == "application/pdf"
    assert result.page_count == 3 and result.pages == ()
    with pytest.raises(ValueError, match="as it is"):
        result.as_document(AttachmentKind.APPLICATION)


def test_imported_images_make_a_document() -> None:
    result = import_bytes("传真.tif", tiff_bytes(frames=2))
    document = result.as_document(AttachmentKind.EVIDENCE, "张三")
    assert document.page_count == 2 and document.kind is AttachmentKind.EVIDENCE


def test_a_path_given_as_name_is_reduced_to_the_file_name() -> None:
    assert import_bytes("C:\\扫描\\身份证.jpg", jpeg_bytes()).name == "身份证.jpg"
    assert import_bytes("/home/clerk/申请书.pdf", pdf_bytes()).name == "申请书.pdf"


def test_import_file_reads_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "身份证.jpg"
    path.write_bytes(jpeg_bytes())
    assert import_file(path).name == "身份证.jpg"


# --------------------------------------------------------------------------- refused


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "扫描1.pdf"
    path.touch()
    with pytest.raises(FileRefused) as caught:
        import_file(path)
    assert caught.value.problem is FileProblem.EMPTY
    assert "扫描1.pdf" in str(caught.value) and "空文件" in str(caught.value)


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "录像.pdf"
    with path.open("wb") as stream:
        stream.truncate(60 * files.MB)  # sparse: nothing to read, only its size counts
    with pytest.raises(FileRefused) as caught:
        import_file(path)
    assert caught.value.problem is FileProblem.TOO_LARGE
    assert "录像.pdf" in str(caught.value) and "50.0 MB" in str(caught.value)


def test_size_limit_is_configurable() -> None:
    error = refused("证据.jpg", jpeg_bytes(), ImportLimits(max_file_bytes=1000))
    assert error.problem is FileProblem.TOO_LARGE


def test_truncated_jpeg_is_refused_as_corrupt() -> None:
    data = jpeg_bytes()
    error = refused("身份证反面.jpg", data[: len(data) // 2])
    assert error.problem is FileProblem.CORRUPT
    assert "损坏" in str(error)


def test_truncated_png_is_refused_as_corrupt() -> None:
    data = png_bytes()
    assert refused("申请书.png", data[: len(data) // 3]).problem is FileProblem.CORRUPT


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_garbage_after_an_image_signature_is_refused_as_corrupt() -> None:
    assert refused("照片.jpg", b"\xff\xd8\xff" + b"\x13\x37" * 500).problem is FileProblem.CORRUPT
    assert refused("扫描.tif", b"II*\x00" + b"\xff" * 500).problem is FileProblem.CORRUPT


def test_pdf_named_jpg_is_mislabelled() -> None:
    error = refused("身份证.jpg", pdf_bytes())
    assert error.problem is FileProblem.MISLABELLED
    assert "JPEG 图片" in str(error) and "PDF 文档" in str(error)


def test_image_named_pdf_is_mislabelled() -> None:
    error = refused("申请书.pdf", jpeg_bytes())
    assert error.problem is FileProblem.MISLABELLED
    assert "PDF 文档" in str(error) and "JPEG 图片" in str(error)


@pytest.mark.parametrize(
    ("make", "really"),
    [(exe_bytes, "可执行程序"), (zip_bytes, "ZIP 压缩包"), (docx_like_bytes, "Word 文档")],
    ids=["exe", "zip", "docx"],
)
def test_other_files_named_pdf_are_mislabelled(make: Callable[[], bytes], really: str) -> None:
    error = refused("法院通知.pdf", make())
    assert error.problem is FileProblem.MISLABELLED
    assert really in str(error)


def test_a_supported_file_named_like_another_kind_is_mislabelled() -> None:
    error = refused("合同.docx", pdf_bytes())
    assert error.problem is FileProblem.MISLABELLED
    assert "Word 文档" in str(error)


def test_unsupported_types_say_what_they_are() -> None:
    buffer = io.BytesIO()
    page_image((100, 100)).save(buffer, "BMP")
    error = refused("scan.bmp", buffer.getvalue())
    assert error.problem is FileProblem.UNSUPPORTED
    assert "BMP 图片" in str(error) and "JPEG、PNG、TIFF" in str(error)
    assert "可执行程序" in str(refused("setup.exe", exe_bytes()))
    heic = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 100
    assert "HEIC" in str(refused("IMG_0001.HEIC", heic))
    assert "文本文件" in str(refused("说明.txt", "调解协议".encode("gb18030")))


def test_decompression_bomb_is_refused_without_decoding() -> None:
    data = bomb_png(50_000, 50_000)
    assert len(data) < 1_000_000  # 2.5 billion pixels in a few hundred kilobytes
    error = refused("证据.png", data)
    assert error.problem is FileProblem.TOO_MANY_PIXELS
    assert "解压炸弹" in str(error) and "25.0 亿像素" in str(error)


def test_pixel_limit_is_checked_on_the_header_below_pillows_own_limit() -> None:
    error = refused("大图.png", png_bytes((2000, 2000)), ImportLimits(max_pixels=1_000_000))
    assert error.problem is FileProblem.TOO_MANY_PIXELS
    assert "2000×2000" in str(error)


def test_every_tiff_frame_is_checked_against_the_pixel_limit() -> None:
    small = page_image((100, 100), "1")
    large = page_image((1500, 1500), "1")
    buffer = io.BytesIO()
    small.save(buffer, "TIFF", save_all=True, append_images=[large], compression="group4")
    error = refused("传真.tif", buffer.getvalue(), ImportLimits(max_pixels=1_000_000))
    assert error.problem is FileProblem.TOO_MANY_PIXELS
    assert "1500×1500" in str(error)


def test_too_many_pages_are_refused() -> None:
    limits = ImportLimits(max_pages=2)
    assert refused("传真.tif", tiff_bytes(frames=3), limits).problem is FileProblem.TOO_MANY_PAGES
    assert refused("卷宗.pdf", pdf_bytes(3), limits).problem is FileProblem.TOO_MANY_PAGES


def test_encrypted_pdf_is_refused() -> None:
    error = refused("银行流水.pdf", encrypted_pdf_bytes())
    assert error.problem is FileProblem.ENCRYPTED
    assert "加密" in str(error)


def test_broken_pdf_is_refused_as_corrupt() -> None:
    assert refused("损坏.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n%%EOF\n").problem is FileProblem.CORRUPT
    data = pdf_bytes(2)
    assert refused("半截.pdf", data[: len(data) // 2]).problem is FileProblem.CORRUPT


def test_missing_file_and_folder_are_unreadable(tmp_path: Path) -> None:
    with pytest.raises(FileRefused) as caught:
        import_file(tmp_path / "不存在.pdf")
    assert caught.value.problem is FileProblem.UNREADABLE and "不存在.pdf" in str(caught.value)
    folder = tmp_path / "扫描件"
    folder.mkdir()
    with pytest.raises(FileRefused) as caught:
        import_file(folder)
    assert caught.value.problem is FileProblem.UNREADABLE


# --------------------------------------------------------------------------- batches


def test_import_files_keeps_the_good_ones_and_reports_each_bad_one(tmp_path: Path) -> None:
    good_jpeg = tmp_path / "a.jpg"
    good_jpeg.write_bytes(jpeg_bytes())
    good_pdf = tmp_path / "b.pdf"
    good_pdf.write_bytes(pdf_bytes())
    empty = tmp_path / "c.png"
    empty.touch()
    fake = tmp_path / "d.pdf"
    fake.write_bytes(zip_bytes())
    seen: list[Progress] = []
    imported, refusals = import_files([good_jpeg, empty, good_pdf, fake], progress=seen.append)
    assert [f.name for f in imported] == ["a.jpg", "b.pdf"]
    assert [(r.filename, r.problem) for r in refusals] == [("c.png", FileProblem.EMPTY),
                                                           ("d.pdf", FileProblem.MISLABELLED)]
    assert seen[-1].done == seen[-1].total == 4
    assert seen[-1].fraction == 1.0


def test_import_files_stops_when_cancelled(tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg_bytes())
    with pytest.raises(Cancelled):
        import_files([path, path], cancelled=lambda: True)


# --------------------------------------------------------------------------- sniffing


def test_sniff_recognises_by_content_only() -> None:
    assert sniff(jpeg_bytes()).type is FileType.JPEG
    assert sniff(png_bytes()).type is FileType.PNG
    assert sniff(tiff_bytes(frames=1)).type is FileType.TIFF
    assert sniff(pdf_bytes()).type is FileType.PDF
    # A PDF may start with junk before its header (within the first kilobyte).
    assert sniff(b"\r\n" * 10 + pdf_bytes()).type is FileType.PDF
    assert not sniff(exe_bytes()).accepted
    assert sniff(b"\x00\x01\x02\x03" * 10).description == "无法识别的文件"
