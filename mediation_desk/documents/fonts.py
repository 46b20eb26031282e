"""The one font every document prints with, registered with reportlab once.

The shipped font (Noto Sans CJK SC with TrueType outlines, see ``resources/fonts/README.md``) is
embedded as a subset, so a PDF reads the same on a machine with no Chinese font at all.

Two things here exist because of reportlab 5.1.0 itself:

* Its ToUnicode CMap writes a character outside the BMP as five hex digits (``<20BB7>`` for 𠮷)
  instead of a UTF-16BE surrogate pair (``<D842DFB7>``). The glyph prints, but copying or
  extracting the text loses it, and names such as 𠮷 must survive into archives and court
  packets. :func:`to_unicode_cmap` replaces the function once, when the font is registered.
* While it builds a font subset, its ``TTFontFile`` keeps a read cursor on the shared font
  object, so two documents saved at the same time in two threads could read each other's
  glyphs. :data:`RENDER_LOCK` serialises document builds.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from ..paths import fonts_dir

FONT_FILE = "NotoSansCJKsc-Regular.ttf"
#: The name documents use in styles and ``canvas.setFont``.
FONT_NAME = "NotoSansCJKsc"

#: Held by every document build; see the module docstring for why reportlab needs it.
RENDER_LOCK = threading.RLock()

_register_lock = threading.Lock()
_char_to_glyph: dict[int, int] | None = None

#: Characters never drawn as glyphs: line breaks and tabs become layout, not ink.
_LAYOUT_CHARACTERS = frozenset("\n\r\t")


def to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ``makeToUnicodeCMap`` with every destination written as UTF-16BE.

    Same output as reportlab's for the BMP (four hex digits), a surrogate pair for the rest, as
    the PDF reference (9.10.3) requires. ``surrogatepass`` keeps a stray lone surrogate in user
    text from aborting the whole document; it maps to itself as reportlab's version did.
    """
    entries = [
        f"<{index:02X}> <{chr(code).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
        for index, code in enumerate(subset)
    ]
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *entries,
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


def _install_to_unicode_fix() -> None:
    # TTFont.addObjects looks the function up as a module global at save time, so replacing the
    # module attribute is enough; nothing else in reportlab calls it.
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = to_unicode_cmap


def register_fonts() -> str:
    """Register the CJK font with reportlab (once per process; safe from any thread).

    Returns the font name to use in styles. Raises ``FileNotFoundError`` naming the path when
    the font is missing from the resources, which is a broken installation.
    """
    global _char_to_glyph  # noqa: PLW0603 - the registration is process-wide by nature
    if _char_to_glyph is not None:
        return FONT_NAME
    with _register_lock:
        if _char_to_glyph is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            path = fonts_dir() / FONT_FILE
            if not path.is_file():
                raise FileNotFoundError(f"the document font is missing: {path}")
            _install_to_unicode_fix()
            font = TTFont(FONT_NAME, str(path))
            pdfmetrics.registerFont(font)
            _char_to_glyph = dict(font.face.charToGlyph)
    return FONT_NAME


def missing_characters(text: str) -> str:
    """The distinct characters of ``text`` the font has no glyph for, in order of appearance.

    reportlab prints such a character as an empty box or a blank without complaint, so a caller
    checks first and warns (for example: "姓名中的“X”无法打印，请核对或改用通用字").
    """
    register_fonts()
    assert _char_to_glyph is not None
    seen: dict[str, None] = {}
    for char in text:
        if char not in _LAYOUT_CHARACTERS and ord(char) not in _char_to_glyph:
            seen.setdefault(char, None)
    return "".join(seen)
