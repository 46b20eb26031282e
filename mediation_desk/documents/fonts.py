"""The fonts documents print with, registered with reportlab once, and the choice of font per character.

Three shipped fonts (TrueType outlines, see ``resources/fonts/README.md``), each embedded as a
subset, so a PDF reads the same on a machine with no Chinese font at all:

* Noto Sans CJK SC (:data:`FONT_NAME`): the receipt, and the titles of the forms (drawn bold);
* Noto Serif CJK SC (:data:`SERIF_NAME`): the Song-style (宋体) body of the mediation forms;
* Mediation Desk Rare Han (:data:`FALLBACK_NAME`): the ideographs neither has (CJK Extension B–F,
  cut out of the Hanazono Mincho fonts), registered only when a text needs it.

No character is ever drawn with a font that lacks it (reportlab would print an empty box or a
blank, without complaint): :func:`font_runs` splits text into runs, each in the first font of
its main font's :func:`fallback_chain` that has every character of the run, and replaces what
no font has (see :func:`font_runs`).

Two things here exist because of reportlab 5.1.0 itself:

* Its ToUnicode CMap writes a character outside the BMP as five hex digits (``<20BB7>`` for 𠮷)
  instead of a UTF-16BE surrogate pair (``<D842DFB7>``). The glyph prints, but copying or
  extracting the text loses it, and names such as 𠮷 must survive into archives and court
  packets. :func:`to_unicode_cmap` replaces the function once, when the font is registered.
* While it builds a font subset, its ``TTFontFile`` keeps a read cursor on the shared font
  object, so two documents saved at the same time in two threads could read each other's
  glyphs. :data:`RENDER_LOCK` serialises document builds. Registering a font reads its file
  through a font object of its own, under the registry's lock, and touches no registered font's
  cursor: any thread may register beside a build. The desk registers the two Noto faces on a
  thread of its own after its first rows (``ui.app.warm_up_documents``), so that the first
  document of a session does not parse them while the person waits.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..paths import fonts_dir

FONT_FILE = "NotoSansCJKsc-Regular.ttf"
#: The name documents use in styles and ``canvas.setFont``.
FONT_NAME = "NotoSansCJKsc"

SERIF_FILE = "NotoSerifCJKsc-Regular.ttf"
#: The Song-style face of the forms' body text.
SERIF_NAME = "NotoSerifCJKsc"

#: xz-compressed (12 MB instead of 30): read rarely, decompressed in memory (~1 s) on first need.
FALLBACK_FILE = "MediationDeskRareHan.ttf.xz"
#: The rare ideographs neither Noto face has; never a text's main font.
FALLBACK_NAME = "MediationDeskRareHan"

_FILES = {FONT_NAME: FONT_FILE, SERIF_NAME: SERIF_FILE, FALLBACK_NAME: FALLBACK_FILE}

#: Printed in place of a character no shipped font has, with its code point: honest, legible,
#: and the reader (or a program reading the text back) can still tell which character it was.
PLACEHOLDER = "〔U+{code:04X}〕"

#: Held by every document build; see the module docstring for why reportlab needs it.
RENDER_LOCK = threading.RLock()

_register_lock = threading.Lock()
_char_to_glyph: dict[int, int] | None = None
#: Character → glyph maps of every registered font, by font name.
_glyph_maps: dict[str, dict[int, int]] = {}

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
    _install_glyf_view(ttfonts)


class _TableView:
    """A table of the font file that is sliced, never copied whole.

    reportlab's ``makeSubset`` takes ``get_table('glyf')`` — a copy of the whole glyph table,
    18 MB for the CJK faces — once for every 256 glyphs of every document, and then only
    slices it. Slicing the file's own bytes instead gives the same bytes and saves about 3 ms a
    subset (a third of an agreement's build time went to these copies).
    """

    def __init__(self, data: bytes, start: int, length: int) -> None:
        self._data = data
        self._start = start
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: slice) -> bytes:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("a font table view is only sliced")
        start, stop, _step = index.indices(self._length)
        return self._data[self._start + start:self._start + max(start, stop)]


def _install_glyf_view(ttfonts: Any) -> None:
    original = ttfonts.TTFontFile.get_table
    if getattr(original, "_mediation_desk_view", False):
        return

    def get_table(self: Any, tag: str) -> Any:
        if tag == "glyf":
            start, length = self.get_table_pos(tag)
            return _TableView(self._ttf_data, start, length)
        return original(self, tag)

    get_table._mediation_desk_view = True  # type: ignore[attr-defined]
    ttfonts.TTFontFile.get_table = get_table


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
            _glyph_maps[FONT_NAME] = dict(font.face.charToGlyph)
            _char_to_glyph = _glyph_maps[FONT_NAME]
    return FONT_NAME


def _register(name: str) -> str:
    if name in _glyph_maps:
        return name
    register_fonts()  # installs the ToUnicode fix before any font is embedded
    with _register_lock:
        if name not in _glyph_maps:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            path = fonts_dir() / _FILES[name]
            if not path.is_file():
                raise FileNotFoundError(f"the document font is missing: {path}")
            source: Any = str(path)
            if path.suffix == ".xz":
                import io
                import lzma

                source = io.BytesIO(lzma.decompress(path.read_bytes()))
                source.name = str(path)
            font = TTFont(name, source)
            pdfmetrics.registerFont(font)
            _glyph_maps[name] = dict(font.face.charToGlyph)
    return name


def register_serif() -> str:
    """Register the Song-style body face (and the sans, for titles); returns the serif's name."""
    register_fonts()
    return _register(SERIF_NAME)


def register_fallback() -> str:
    """Register the rare-ideograph font. Done on first need: it is read only when a text has a
    character neither Noto face has, which most documents never do."""
    return _register(FALLBACK_NAME)


def fallback_chain(main: str) -> tuple[str, ...]:
    """The fonts tried, in order, for a character of text set in ``main``.

    Song before the rare-ideograph font (also a Ming/Song design) before the sans: an
    ideograph the serif lacks keeps a serif look, and the sans covers the symbols (☐ ✓ ①) the
    fallback, which holds only ideographs, has none of.
    """
    if main == FONT_NAME:
        return (FONT_NAME, SERIF_NAME, FALLBACK_NAME)
    if main == SERIF_NAME:
        return (SERIF_NAME, FALLBACK_NAME, FONT_NAME)
    return (main, SERIF_NAME, FALLBACK_NAME, FONT_NAME)


def has_glyph(font: str, char: str) -> bool:
    """Whether registered font ``font`` maps ``char`` to a glyph (registering it if needed)."""
    glyphs = _glyph_maps.get(font)
    if glyphs is None:
        glyphs = _glyph_maps[_register(font)] if font in _FILES else _foreign_glyphs(font)
    return ord(char) in glyphs


def _foreign_glyphs(font: str) -> dict[int, int]:
    """The glyph map of a font registered by someone else (a test, a plug-in)."""
    from reportlab.pdfbase import pdfmetrics

    face: Any = getattr(pdfmetrics.getFont(font), "face", None)
    glyphs = dict(getattr(face, "charToGlyph", {}) or {})
    _glyph_maps[font] = glyphs
    return glyphs


# Categories of characters that carry no text of their own: format controls (bidi embeddings
# and isolates, zero-width joiners, soft hyphens, BOMs), lone surrogates, combining marks and
# variation selectors, and symbols (emoji, pictographs). When no font has one it is left out:
# there is nothing right to draw in its place.
_DROPPED_WITHOUT_GLYPH = frozenset({"Cf", "Cs", "Mn", "Me", "Mc", "So", "Sk"})
#: Characters never drawn at all, even by a font that has them: bidi controls reorder what
#: follows them in a viewer that honours them, and would let a name run backwards.
_ALWAYS_DROPPED = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad"
)


_LAYOUT_CODES = frozenset(map(ord, _LAYOUT_CHARACTERS))
_ALWAYS_DROPPED_CODES = frozenset(map(ord, _ALWAYS_DROPPED))


def font_runs(text: str, main: str) -> list[tuple[str, str]]:
    """``text`` as ``(font name, characters)`` runs, each character in the first font of
    ``fallback_chain(main)`` that has it; adjacent characters of one font share a run.

    Line breaks and tabs stay in the run they fall in (they are layout, not ink). Bidi controls
    and zero-width characters are always left out. A character no shipped font has is left out
    when it carries no text (an emoji, a format or combining character, a variation selector),
    and otherwise printed as :data:`PLACEHOLDER` in the main font: a wrong glyph or a box would
    misprint a name, a code point at least says which character it is.
    """
    glyphs = _glyph_maps.get(main)
    if glyphs is None and main in _FILES:
        glyphs = _glyph_maps[_register(main)]
    if glyphs is not None:
        # Nearly all text is in its main font: one set comparison instead of a lookup a character.
        codes = set(map(ord, text)) - _LAYOUT_CODES
        if codes <= glyphs.keys() and not codes & _ALWAYS_DROPPED_CODES:
            return [(main, text)] if text else []
    runs: list[tuple[str, str]] = []
    chain = fallback_chain(main)
    font = main
    part: list[str] = []

    def put(target: str, piece: str) -> None:
        nonlocal font
        if target != font and part:
            runs.append((font, "".join(part)))
            part.clear()
        font = target
        part.append(piece)

    for char in text:
        if char in _LAYOUT_CHARACTERS:
            part.append(char)
            continue
        if char in _ALWAYS_DROPPED:
            continue
        chosen = next((name for name in chain if has_glyph(name, char)), None)
        if chosen is not None:
            put(chosen, char)
        elif unicodedata.category(char) in _DROPPED_WITHOUT_GLYPH:
            continue
        elif unicodedata.category(char) == "Zs":
            put(main, " ")
        elif unicodedata.category(char) in ("Zl", "Zp"):
            part.append("\n")
        else:
            put(main, PLACEHOLDER.format(code=ord(char)))
    if part:
        runs.append((font, "".join(part)))
    return runs


def unprintable_characters(text: str, main: str = SERIF_NAME) -> str:
    """The distinct characters of ``text`` no shipped font has, in order of appearance: they
    print as a code point or not at all (see :func:`font_runs`). Bidi and zero-width controls,
    which are never printed by design, are not listed."""
    chain = fallback_chain(main)
    seen: dict[str, None] = {}
    for char in text:
        if char in _LAYOUT_CHARACTERS or char in _ALWAYS_DROPPED:
            continue
        if not any(has_glyph(name, char) for name in chain):
            seen.setdefault(char, None)
    return "".join(seen)


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
