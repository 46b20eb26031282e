"""Real files made on the spot: JPEG, PNG, TIFF and PDF as clerks bring them, and broken ones."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image, ImageDraw

A4_200DPI = (1654, 2339)


def page_image(size: tuple[int, int] = (827, 1169), mode: str = "L", text: str = "申请书") -> Image.Image:
    """A page with some lines on it, so encoders have something real to compress."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    margin = min(40, min(size) // 10)
    for y in range(margin, size[1] - margin, max(12, size[1] // 60)):
        draw.line((margin, y, size[0] - margin, y), fill=(30, 30, 30), width=2)
    # A solid red mark in the top-left corner shows which way up the page is.
    draw.rectangle((margin, margin, max(margin, size[0] // 3), max(margin, size[1] // 6)), fill=(200, 0, 0))
    draw.text((margin + 20, margin + 20), text.encode("ascii", "replace").decode(), fill="black")
    return image.convert(mode)


def jpeg_bytes(size: tuple[int, int] = (827, 1169), *, dpi: int | None = 100, mode: str = "L",
               orientation: int | None = None) -> bytes:
    buffer = io.BytesIO()
    options: dict[str, object] = {"quality": 85}
    if dpi:
        options["dpi"] = (dpi, dpi)
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif
    page_image(size, mode).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (827, 1169), *, dpi: int | None = 100, mode: str = "L") -> bytes:
    buffer = io.BytesIO()
    image = page_image(size, "RGB")
    if mode == "RGBA":
        image = image.convert("RGBA")
        image.putalpha(128)
    else:
        image = image.convert(mode)
    image.save(buffer, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()


def tiff_bytes(frames: int = 3, size: tuple[int, int] = (827, 1169), *, dpi: int = 100, mode: str = "1") -> bytes:
    images = [page_image(size, mode, text=f"page {n}") for n in range(frames)]
    buffer = io.BytesIO()
    compression = "group4" if mode == "1" else "tiff_lzw"
    images[0].save(buffer, "TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi),
                   compression=compression)
    return buffer.getvalue()


def pdf_bytes(pages: int = 2) -> bytes:
    """A real PDF with text, as reportlab (the project's PDF library) writes it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for number in range(1, pages + 1):
        document.drawString(72, 770, f"Application page {number}")
        document.showPage()
    document.save()
    return buffer.getvalue()


def encrypted_pdf_bytes(user_password: str = "1234") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(1))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return buffer.getvalue()


def docx_like_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def exe_bytes() -> bytes:
    """The start of a Windows program: an MZ header and the DOS stub text every PE file carries."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + (
        b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 50_000, height: int = 50_000) -> bytes:
    """A valid 1-bit PNG of one colour declaring ``width`` × ``height`` pixels, in ~0.1 s.

    One colour deflates a thousandfold, so 2.5 billion pixels fit in ~300 KB. Rather than
    compress 300 MB of zeros, one block of rows is compressed once after a full flush (which
    makes it independent of what came before) and repeated; the checksum is summed separately.
    """
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    rows_per_block = 100
    block = row * rows_per_block
    repeated = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed_block = repeated.compress(block) + repeated.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(height, rows_per_block)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = last.compress(row * rest) + last.flush()
    checksum = 1
    for _ in range(blocks):
        checksum = zlib.adler32(block, checksum)
    checksum = zlib.adler32(row * rest, checksum)
    idat = b"\x78\xda" + compressed_block * blocks + tail + struct.pack(">I", checksum)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat)
            + _png_chunk(b"IEND", b""))
