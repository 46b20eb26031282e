"""Safe import of the files clerks bring: JPEG, PNG, TIFF photos and scans, and PDF documents.

Every file is judged by its content (``sniff``), never by its name; images become ``Page``s, PDFs
are kept byte for byte. Anything that is not what it claims, is empty, too big, broken, encrypted
or built to exhaust memory (a "decompression bomb": a small file declaring billions of pixels) is
refused with ``FileRefused`` — a Chinese message naming the file and the problem — and never
reaches the decoder's worst paths or the database.

Policy on names (see ``sniff.label_mismatch``): a real image under another image extension
(a PNG named ".jpg") is accepted under its real type; a PDF named ".jpg", an image named ".pdf",
and anything named like another kind of file (".docx", ".exe") are refused as mislabelled.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..models.enums import AttachmentKind
from ..readmodels.sizes import size_text
from .errors import FileProblem, FileRefused
from .pages import Page, PageFormat, ScannedDocument, exif_rotation, plausible_dpi, upright
from .progress import CancelCheck, ProgressCallback, report, stop_if_cancelled
from .sniff import FileType, claimed_type, label_mismatch, sniff

MB = 1024 * 1024
#: Per file. A 20-page colour scan at 300 dpi is ~15 MB as PDF; 50 MB leaves room, stops videos.
DEFAULT_MAX_FILE_BYTES = 50 * MB
#: Per image. A3 at 600 dpi is 70 million pixels, a 48-megapixel phone photo 48 million; a
#: hundred million decoded in colour is 300 MB of memory, about what a counter PC can spare.
DEFAULT_MAX_PIXELS = 100_000_000
#: Per file (TIFF frames, PDF pages): a case file is long, but not this long.
DEFAULT_MAX_PAGES = 500

# Pillow's own guard, process-wide: Image.open() warns on a header above this size and raises above
# twice it. Its warning is made an error, so no code in the process decodes a bomb after merely
# printing a warning. The import below does not rely on either: right after open() (which reads
# only the header) ``_check_pixels`` compares each image and TIFF frame with ``ImportLimits``
# before a pixel is decoded (pytest also resets warning filters per test).
Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS
warnings.simplefilter("error", Image.DecompressionBombWarning)

_PILLOW_FORMAT = {FileType.JPEG: "JPEG", FileType.PNG: "PNG", FileType.TIFF: "TIFF"}


@dataclass(frozen=True)
class ImportLimits:
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_pages: int = DEFAULT_MAX_PAGES


@dataclass(frozen=True)
class ImportedFile:
    """A file that passed every check.

    Images arrive as ``pages`` (a multi-page TIFF as several) to join a ``ScannedDocument``;
    a PDF arrives as ``pdf``, its bytes unchanged, to be attached as it is.
    """

    name: str
    type: FileType
    pages: tuple[Page, ...] = ()
    pdf: bytes | None = None
    page_count: int = 0

    @property
    def is_pdf(self) -> bool:
        return self.pdf is not None

    @property
    def media_type(self) -> str:
        return self.type.media_type

    def as_document(self, kind: AttachmentKind, title: str = "") -> ScannedDocument:
        """The imported images as a document of their own (not for a PDF: attach ``pdf``)."""
        if self.is_pdf:
            raise ValueError("a PDF is attached as it is, not rebuilt from pages")
        return ScannedDocument(kind=kind, title=title, pages=self.pages)


# --------------------------------------------------------------------------- messages


def _pixels(count: int) -> str:
    if count >= 100_000_000:
        return f"{count / 100_000_000:.1f} 亿像素"
    return f"{count / 10_000:.0f} 万像素"


def _refuse(name: str, problem: FileProblem, text: str) -> FileRefused:
    return FileRefused(name, problem, f"文件“{name}”{text}")


def _corrupt(name: str, what: str, detail: str = "") -> FileRefused:
    extra = f"：{detail}" if detail else ""
    return _refuse(name, FileProblem.CORRUPT,
                   f"已损坏或不完整，无法读取（{what}{extra}），不能导入。请重新扫描或向提供者索取完整的文件。")


# --------------------------------------------------------------------------- entry points


def import_file(path: Path | str, limits: ImportLimits | None = None) -> ImportedFile:
    """Read and check one file. Raises ``FileRefused`` (with the file's name) when it is refused."""
    limits = limits or ImportLimits()
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise _refuse(name, FileProblem.UNREADABLE, "不是一个文件（可能是文件夹），不能导入。")
        _check_size(name, size, limits)
        # Read at most one byte past the limit: a file that grew since stat() is still caught.
        with path.open("rb") as stream:
            data = stream.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        raise _refuse(name, FileProblem.UNREADABLE, "不存在（可能已被移走或删除），无法导入。") from None
    except PermissionError:
        raise _refuse(name, FileProblem.UNREADABLE, "无权读取（可能正被其他程序占用），无法导入。") from None
    except OSError as exc:
        raise _refuse(name, FileProblem.UNREADABLE, f"读取失败（{exc.strerror or exc}），无法导入。") from None
    return import_bytes(name, data, limits)


def import_bytes(name: str, data: bytes, limits: ImportLimits | None = None) -> ImportedFile:
    """Check ``data`` that came from a file called ``name`` (a path's last part is enough)."""
    limits = limits or ImportLimits()
    # The last part of a Windows or POSIX path, whichever machine the name came from.
    name = re.split(r"[\\/]", name)[-1] or name
    _check_size(name, len(data), limits)
    found = sniff(data)
    if found.type is None:
        claimed = claimed_type(name)
        if claimed is not None:
            raise _refuse(name, FileProblem.MISLABELLED,
                          f"的扩展名表示“{claimed.label}”，但内容实际上是“{found.description}”，不能导入。"
                          "请确认文件来源；如确为所需材料，请用原程序另存为 PDF 或图片后再导入。")
        raise _refuse(name, FileProblem.UNSUPPORTED,
                      f"是“{found.description}”，不能导入：只能导入 JPEG、PNG、TIFF 图片和 PDF 文件。")
    mismatch = label_mismatch(name, found.type)
    if mismatch is not None:
        raise _refuse(name, FileProblem.MISLABELLED,
                      f"的扩展名表示“{mismatch}”，但内容实际上是“{found.type.label}”，不能导入。"
                      "请确认文件来源，改正扩展名后再导入。")
    if found.type is FileType.PDF:
        return _import_pdf(name, data, limits)
    pages = tuple(_image_pages(name, data, found.type, limits))
    return ImportedFile(name=name, type=found.type, pages=pages, page_count=len(pages))


def import_files(paths: Iterable[Path | str], limits: ImportLimits | None = None, *,
                 progress: ProgressCallback | None = None,
                 cancelled: CancelCheck | None = None) -> tuple[list[ImportedFile], list[FileRefused]]:
    """Import several files: the good ones, and a refusal for each bad one (one bad file among
    ten does not lose the other nine). Raises ``Cancelled`` when asked to stop."""
    todo = [Path(p) for p in paths]
    imported: list[ImportedFile] = []
    refused: list[FileRefused] = []
    for number, path in enumerate(todo, start=1):
        stop_if_cancelled(cancelled, "已取消导入文件。")
        report(progress, number - 1, len(todo), f"正在导入“{path.name}”（{number}/{len(todo)}）")
        try:
            imported.append(import_file(path, limits))
        except FileRefused as refusal:
            refused.append(refusal)
    report(progress, len(todo), len(todo), "导入完成")
    return imported, refused


def _check_size(name: str, size: int, limits: ImportLimits) -> None:
    if size == 0:
        raise _refuse(name, FileProblem.EMPTY,
                      "是空文件（0 字节），不能导入。可能扫描或复制没有完成，请重新扫描或复制。")
    if size > limits.max_file_bytes:
        raise _refuse(name, FileProblem.TOO_LARGE,
                      f"大小超过 {size_text(limits.max_file_bytes)}（单个文件的上限），不能导入。"
                      "请降低扫描分辨率，或分成几个文件。")


# --------------------------------------------------------------------------- PDF


def _import_pdf(name: str, data: bytes, limits: ImportLimits) -> ImportedFile:
    """Keep a PDF as it is, once pypdf has shown that it opens, is not encrypted and has pages."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse(name, FileProblem.ENCRYPTED,
                          "是加密的 PDF（设置了打开密码或权限密码），不能导入：加密文件无法归入卷宗和打印。"
                          "请用原程序取消密码，或“打印”为新的 PDF 后再导入。")
        count = len(reader.pages)
        if count > limits.max_pages:
            raise _refuse(name, FileProblem.TOO_MANY_PAGES,
                          f"有 {count} 页，超过单个文件 {limits.max_pages} 页的上限，不能导入。请分成几个文件。")
        for page in reader.pages:
            # The page tree and every page's size must be readable, or the dossier cannot be bound.
            box = page.mediabox
            if box.width <= 0 or box.height <= 0:
                raise _corrupt(name, "页面", "页面尺寸无效")
    except FileRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            OSError, AssertionError) as exc:
        raise _corrupt(name, "PDF 内容", type(exc).__name__) from None
    if count == 0:
        raise _refuse(name, FileProblem.CORRUPT, "是没有任何页面的 PDF，不能导入。")
    return ImportedFile(name=name, type=FileType.PDF, pdf=data, page_count=count)


# --------------------------------------------------------------------------- images


def _open_image(name: str, data: bytes, ftype: FileType, limits: ImportLimits) -> Image.Image:
    try:
        # Only the decoder of the sniffed type may look at the bytes: no other plugin's parser.
        image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[ftype]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow refused on the header's size before we could read it; its message has the count.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise _bomb(name, None, limits, int(found.group(1)) if found else None) from None
    except Exception as exc:  # Pillow raises many types on hostile headers; all mean "broken"
        raise _corrupt(name, ftype.label, type(exc).__name__) from None
    _check_pixels(name, image, limits)
    return image


def _bomb(name: str, size: tuple[int, int] | None, limits: ImportLimits, pixels: int | None = None) -> FileRefused:
    declared = "声明的图像尺寸"
    if size is not None:
        declared = f"声明的图像尺寸为 {size[0]}×{size[1]} 像素（{_pixels(size[0] * size[1])}），"
    elif pixels is not None:
        declared = f"声明的图像有 {_pixels(pixels)}，"
    return _refuse(name, FileProblem.TOO_MANY_PIXELS,
                   f"{declared}超过 {_pixels(limits.max_pixels)}的上限，不能导入。"
                   "这样的文件解开后会耗尽内存，可能是恶意构造的“解压炸弹”；正常扫描件不会这么大。")


def _check_pixels(name: str, image: Image.Image, limits: ImportLimits) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise _corrupt(name, "图像", "尺寸为零")
    if width * height > limits.max_pixels:
        raise _bomb(name, (width, height), limits)


def _frames(name: str, image: Image.Image, limits: ImportLimits) -> Iterator[Image.Image]:
    count = getattr(image, "n_frames", 1)
    if count > limits.max_pages:
        raise _refuse(name, FileProblem.TOO_MANY_PAGES,
                      f"有 {count} 页，超过单个文件 {limits.max_pages} 页的上限，不能导入。请分成几个文件。")
    for index in range(count):
        if index:
            image.seek(index)
        # Every frame of a TIFF declares its own size: each one is checked before it is decoded.
        _check_pixels(name, image, limits)
        yield image


def _image_pages(name: str, data: bytes, ftype: FileType, limits: ImportLimits) -> Iterator[Page]:
    image = _open_image(name, data, ftype, limits)
    try:
        if ftype is FileType.JPEG:
            yield _jpeg_page(name, data, image, limits)
        elif ftype is FileType.PNG:
            yield _png_page(name, data, image, limits)
        else:
            frames = getattr(image, "n_frames", 1)
            for number, frame in enumerate(_frames(name, image, limits), start=1):
                _decode(name, frame, ftype, limits)
                label = f"{name} 第 {number} 页" if frames > 1 else name
                yield Page.from_image(frame, frame.info.get("dpi"), source=label, lossless=True)
    finally:
        image.close()


def _decode(name: str, image: Image.Image, ftype: FileType, limits: ImportLimits) -> None:
    """Decode every pixel once: a truncated or corrupt image fails here, not in the PDF later."""
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb(name, image.size, limits) from None
    except MemoryError:
        raise _refuse(name, FileProblem.TOO_MANY_PIXELS,
                      f"的图像（{image.width}×{image.height} 像素）太大，本机内存不足以读取，不能导入。"
                      "请降低分辨率后再导入。") from None
    except Exception as exc:  # truncated data raises OSError, bad chunks SyntaxError/ValueError …
        detail = "数据不完整" if "truncated" in str(exc) else type(exc).__name__
        raise _corrupt(name, ftype.label, detail) from None


def _jpeg_page(name: str, data: bytes, image: Image.Image, limits: ImportLimits) -> Page:
    """A JPEG keeps its bytes (no second lossy compression); its EXIF orientation becomes the
    page's rotation. Mirrored orientations (front cameras) are rare and are re-encoded upright."""
    _decode(name, image, FileType.JPEG, limits)
    rotation, mirrored = exif_rotation(image)
    dpi = image.info.get("dpi")
    if mirrored or image.mode not in ("L", "RGB", "CMYK"):
        return Page.from_image(upright(image), dpi, source=name, jpeg_quality=92)
    return Page(data, PageFormat.JPEG, image.width, image.height,
                plausible_dpi(image.width, image.height, dpi), rotation, name)


def _png_page(name: str, data: bytes, image: Image.Image, limits: ImportLimits) -> Page:
    """A PNG keeps its bytes when a PDF can embed them as they are (8-bit or less, no alpha, not
    interlaced); otherwise it is flattened onto white and re-encoded, still losslessly."""
    _decode(name, image, FileType.PNG, limits)
    dpi = image.info.get("dpi")
    # IHDR's bit depth is byte 24; Pillow hides 16-bit samples behind an 8-bit mode.
    plain = (image.mode in ("1", "L", "RGB", "P") and "transparency" not in image.info
             and not image.info.get("interlace") and data[24] <= 8)
    if plain:
        return Page(data, PageFormat.PNG, image.width, image.height,
                    plausible_dpi(image.width, image.height, dpi), 0, name)
    return Page.from_image(image, dpi, source=name, lossless=True)

