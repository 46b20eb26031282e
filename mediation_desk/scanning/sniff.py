"""What a file really is, from its first bytes — never from its name.

A clerk's "身份证.jpg" may be a PDF saved by a phone app, and an e-mailed "证据.pdf" may be a ZIP
or a program. The accepted types are the four the counter works with; everything else is still
recognised well enough to tell the clerk what the file is instead of "unknown".

Cheap and dependency-free (no Pillow), so the attachment service can check stored content too.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import PurePath


class FileType(StrEnum):
    """The types accepted at the counter, with a label for messages and the media type stored."""

    label: str
    media_type: str

    def __new__(cls, value: str, label: str, media_type: str) -> FileType:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.media_type = media_type
        return member

    JPEG = "jpeg", "JPEG 图片", "image/jpeg"
    PNG = "png", "PNG 图片", "image/png"
    TIFF = "tiff", "TIFF 图片", "image/tiff"
    PDF = "pdf", "PDF 文档", "application/pdf"

    @property
    def is_image(self) -> bool:
        return self is not FileType.PDF


#: Extensions that claim one of the accepted types. Any of the image ones may hold any accepted
#: image type (see ``label_mismatch``).
EXTENSIONS: dict[str, FileType] = {
    ".jpg": FileType.JPEG, ".jpeg": FileType.JPEG, ".jpe": FileType.JPEG, ".jfif": FileType.JPEG,
    ".png": FileType.PNG,
    ".tif": FileType.TIFF, ".tiff": FileType.TIFF,
    ".pdf": FileType.PDF,
}  # fmt: skip

#: Extensions of other common files, so a PDF named "x.docx" reads as mislabelled, not accepted.
OTHER_EXTENSIONS: dict[str, str] = {
    ".doc": "Word 文档", ".docx": "Word 文档", ".wps": "WPS 文档", ".xls": "Excel 表格",
    ".xlsx": "Excel 表格", ".et": "WPS 表格", ".ppt": "PowerPoint 演示文稿", ".pptx": "PowerPoint 演示文稿",
    ".ofd": "OFD 版式文档", ".txt": "文本文件", ".rtf": "RTF 文档", ".htm": "网页", ".html": "网页",
    ".zip": "ZIP 压缩包", ".rar": "RAR 压缩包", ".7z": "7z 压缩包", ".gz": "gzip 压缩文件",
    ".exe": "Windows 可执行程序", ".dll": "Windows 程序库", ".bat": "批处理脚本", ".cmd": "批处理脚本",
    ".js": "脚本文件", ".vbs": "脚本文件", ".lnk": "快捷方式", ".scr": "Windows 可执行程序",
    ".bmp": "BMP 图片", ".gif": "GIF 图片", ".webp": "WebP 图片", ".heic": "HEIC 照片", ".heif": "HEIC 照片",
    ".jp2": "JPEG 2000 图片", ".mp4": "视频", ".mov": "视频", ".mp3": "音频", ".amr": "音频", ".wav": "音频",
}  # fmt: skip


@dataclass(frozen=True)
class Sniffed:
    """The verdict on some bytes: an accepted type, or a description of what they are instead."""

    type: FileType | None
    #: For people: "PDF 文档", "ZIP 压缩包", "Windows 可执行程序（EXE）", "无法识别的文件".
    description: str

    @property
    def accepted(self) -> bool:
        return self.type is not None


#: PDF readers accept the header anywhere in the first 1024 bytes (some generators put junk first).
_PDF_HEADER_WINDOW = 1024


def sniff(data: bytes) -> Sniffed:
    """Recognise ``data`` by its magic bytes."""
    head = data[:_PDF_HEADER_WINDOW]
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(FileType.JPEG, FileType.JPEG.label)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(FileType.PNG, FileType.PNG.label)
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Sniffed(FileType.TIFF, FileType.TIFF.label)
    if head.startswith((b"II+\x00", b"MM\x00+")):
        return Sniffed(None, "BigTIFF 图片")
    if b"%PDF-" in head:
        return Sniffed(FileType.PDF, FileType.PDF.label)
    return Sniffed(None, _describe_other(data))


def _describe_other(data: bytes) -> str:
    head = data[:64]
    if head.startswith(b"PK\x03\x04"):
        return _describe_zip(data)
    if head.startswith(b"MZ"):
        return "Windows 可执行程序（EXE）"
    if head.startswith(b"\x7fELF"):
        return "Linux 可执行程序"
    if head.startswith((b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")):
        return "macOS 可执行程序"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "旧版 Office 文档（doc/xls/ppt）或 WPS 文档"
    if head.startswith(b"Rar!\x1a\x07"):
        return "RAR 压缩包"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z 压缩包"
    if head.startswith(b"\x1f\x8b"):
        return "gzip 压缩文件"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF 图片"
    if head.startswith(b"BM"):
        return "BMP 图片"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP 图片"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "HEIC 照片（苹果手机格式）"
        if brand in (b"avif", b"avis"):
            return "AVIF 图片"
        return "视频或音频文件"
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):
        return "JPEG 2000 图片"
    if head.startswith(b"{\\rtf"):
        return "RTF 文档"
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "网页（HTML）"
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<svg"):
        return "XML 或 SVG 文件"
    if _looks_like_text(data[:4096]):
        return "文本文件"
    return "无法识别的文件"


def _describe_zip(data: bytes) -> str:
    """ZIP is the container of Office, WPS and OFD documents too; name the one it is."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "ZIP 压缩包"
    if any(n.startswith("word/") for n in names):
        return "Word 文档（docx）"
    if any(n.startswith("xl/") for n in names):
        return "Excel 表格（xlsx）"
    if any(n.startswith("ppt/") for n in names):
        return "PowerPoint 演示文稿（pptx）"
    if any(n.upper() == "OFD.XML" for n in names):
        return "OFD 版式文档"
    return "ZIP 压缩包"


def _looks_like_text(sample: bytes) -> bool:
    if not sample or b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def extension_of(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def claimed_type(filename: str) -> FileType | None:
    return EXTENSIONS.get(extension_of(filename))


def label_mismatch(filename: str, actual: FileType) -> str | None:
    """What the name claims, when that contradicts the content; None when the label is acceptable.

    Accepted: no extension or one we do not know (scanners write "0001", "scan.001"); the type's
    own extension; and an image extension on another accepted image type — a PNG saved as ".jpg"
    is still the image the clerk meant, and it is stored under its real type. Refused: an image
    extension on a PDF, ".pdf" on an image, and the extension of any other kind of file.
    """
    ext = extension_of(filename)
    claimed = EXTENSIONS.get(ext)
    if claimed is not None:
        if claimed is actual or (claimed.is_image and actual.is_image):
            return None
        return claimed.label
    return OTHER_EXTENSIONS.get(ext)
