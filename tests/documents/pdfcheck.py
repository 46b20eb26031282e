"""Checks every printed document must pass: fonts embedded, every glyph from a font that has it,
pages rendered, page codes decoded."""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from mediation_desk.documents import fonts

from .conftest import require_tool

#: The PostScript names our fonts are embedded under, and the registered name of each.
EMBEDDED_NAMES = {
    "NotoSansCJKsc-Regular": fonts.FONT_NAME,
    "NotoSerifCJKsc-Regular": fonts.SERIF_NAME,
    "MediationDeskRareHan-Regular": fonts.FALLBACK_NAME,
}


def pdffonts(pdf: bytes) -> list[dict[str, str]]:
    """The rows of ``pdffonts``: name, type, emb, sub, uni."""
    tool = require_tool("pdffonts")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        lines = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        columns = line.split()
        rows.append({"name": columns[0], "emb": columns[-5], "sub": columns[-4], "uni": columns[-3]})
    return rows


@dataclass(frozen=True)
class Word:
    """A word as poppler places it (a table cell's line is one, unless it holds a space), in
    points from the page's lower left corner."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def page_words(pdf: bytes) -> list[list[Word]]:
    """Every page's words with their exact extents (``pdftotext -bbox``): what pypdf's merged
    lines do not give, where a cell's text ends."""
    tool = require_tool("pdftotext")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        html = subprocess.run([tool, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages: list[list[Word]] = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        height = float(page.group(2))
        pages.append([Word(unescape(m.group(5)), float(m.group(1)), float(m.group(3)), height - float(m.group(2)),
                           height - float(m.group(4)))
                      for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                                           r"(.*?)</word>", page.group(3))])
    return pages


def assert_fonts_embedded(pdf: bytes) -> set[str]:
    """Every font embedded as a subset with a ToUnicode map, and each one ours; returns the
    registered names of the fonts used."""
    used: set[str] = set()
    rows = pdffonts(pdf)
    assert rows, "no fonts at all"
    for row in rows:
        assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row
        _tag, _plus, postscript = row["name"].partition("+")
        assert postscript in EMBEDDED_NAMES, row
        used.add(EMBEDDED_NAMES[postscript])
    return used


def drawn_characters(pdf: bytes) -> list[tuple[str, str]]:
    """Every non-blank character of the text layer with the registered name of the font that
    draws it, in page order."""
    drawn: list[tuple[str, str]] = []

    def visit(text: str, _cm: object, _tm: object, font: dict[str, object] | None, _size: object) -> None:
        if not text.strip():
            return
        assert font is not None, f"text without a font: {text!r}"
        base_font = str(font.get("/BaseFont", ""))
        postscript = base_font.lstrip("/").partition("+")[2]
        name = EMBEDDED_NAMES.get(postscript, postscript)
        drawn.extend((char, name) for char in text if not char.isspace())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return drawn


def uncovered(pdf: bytes) -> list[tuple[str, str]]:
    """(character, font) pairs where the font has no glyph for the character: a box or a wrong
    glyph on paper although the text layer reads right."""
    return [(char, font) for char, font in drawn_characters(pdf) if not fonts.has_glyph(font, char)]


def render(pdf: bytes, dpi: int = 150, *, first: int | None = None, last: int | None = None) -> list[Image.Image]:
    """The pages as greyscale images, rendered by poppler's pdftoppm."""
    tool = require_tool("pdftoppm")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        # Uncompressed PGM: the same pixels as a PNG without the compressing and decompressing.
        command = [tool, "-r", str(dpi), "-gray"]
        if first is not None:
            command += ["-f", str(first)]
        if last is not None:
            command += ["-l", str(last)]
        subprocess.run([*command, str(source), str(Path(folder) / "page")], check=True)
        return [Image.open(path).copy() for path in sorted(Path(folder).glob("page-*.pgm"))]


def zxing() -> object:
    try:
        import zxingcpp
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("zxing-cpp is not installed; it is in the project's test extras")
        pytest.skip("zxing-cpp not installed (pip install zxing-cpp)")
    return zxingcpp


def qr_texts(image: Image.Image) -> list[str]:
    module = zxing()
    return [code.text for code in module.read_barcodes(image)  # type: ignore[attr-defined]
            if code.format == module.BarcodeFormat.QRCode]  # type: ignore[attr-defined]


def dark_pixels(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    region = image.crop(box) if box else image
    return sum(region.convert("L").histogram()[:128])
