"""The document font: registration, reportlab's ToUnicode fix, coverage."""

from __future__ import annotations

import io
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from mediation_desk.documents import fonts

from .conftest import pdf_text, require_tool

RARE = "张𠮷 王䶮 李堃 吴喆"


def _canvas_pdf(text: str) -> bytes:
    fonts.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont(fonts.FONT_NAME, 14)
    canvas.drawString(72, 720, text)
    canvas.save()
    return buffer.getvalue()


def test_to_unicode_cmap_writes_a_surrogate_pair_outside_the_bmp() -> None:
    cmap = fonts.to_unicode_cmap("AAAAAA+Font", [0x20, 0x5F20, 0x20BB7, 0x4DAE])
    assert "<00> <0020>" in cmap
    assert "<01> <5F20>" in cmap
    # reportlab 5.1.0 wrote <20BB7> here, which readers reject as an odd-length hex string.
    assert "<02> <D842DFB7>" in cmap
    assert "<03> <4DAE>" in cmap
    assert "4 beginbfchar" in cmap
    assert "<00> <03>" in cmap  # the code space covers exactly the subset


def test_to_unicode_cmap_matches_reportlab_within_the_bmp() -> None:
    """The replacement changes nothing but the characters reportlab got wrong."""
    original = subprocess.run(
        [sys.executable, "-c",
         "from reportlab.pdfbase.ttfonts import makeToUnicodeCMap as m\n"
         "print(m('AAAAAA+F', [32, 0x5F20, 0x4E09, 0xFF0C]), end='')"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert fonts.to_unicode_cmap("AAAAAA+F", [32, 0x5F20, 0x4E09, 0xFF0C]) == original


def test_registering_installs_the_fix_once_from_any_thread() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        names = list(pool.map(lambda _: fonts.register_fonts(), range(32)))
    assert set(names) == {fonts.FONT_NAME}
    assert ttfonts.makeToUnicodeCMap is fonts.to_unicode_cmap
    assert isinstance(pdfmetrics.getFont(fonts.FONT_NAME), ttfonts.TTFont)


def test_a_character_outside_the_bmp_comes_back_from_the_pdf() -> None:
    assert pdf_text(_canvas_pdf(RARE)).strip() == RARE


def test_pdftotext_reads_it_too() -> None:
    tool = require_tool("pdftotext")
    result = subprocess.run([tool, "-", "-"], input=_canvas_pdf(RARE), capture_output=True, check=True)
    assert result.stdout.decode("utf-8").strip() == RARE


def test_missing_characters_lists_each_unprintable_character_once() -> None:
    # U+9FF0 and U+4DB6 came with Unicode 13/14, after the font was made (resources/fonts/README.md).
    assert fonts.missing_characters("张三\n\t李四 J&C <b> 𠮷䶮堃喆，（）") == ""
    assert fonts.missing_characters("王\u9ff0\u4db6\u9ff0") == "\u9ff0\u4db6"


def test_a_missing_font_file_is_named(tmp_path: Path) -> None:
    code = (
        "import os, sys\n"
        f"os.environ['MEDIATION_DESK_RESOURCES'] = {str(tmp_path)!r}\n"
        "from mediation_desk.documents import fonts\n"
        "try:\n"
        "    fonts.register_fonts()\n"
        "except FileNotFoundError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "NotoSansCJKsc-Regular.ttf" in result.stdout
