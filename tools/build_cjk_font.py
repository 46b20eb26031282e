"""Convert one face of a CFF-flavoured OpenType CJK collection into a TrueType (glyf) font.

Why: the app prints its documents with reportlab and must embed a Chinese font in every PDF
(archived and court-bound documents cannot rely on the reader having one). reportlab's ``TTFont``
only reads TrueType outlines and refuses CFF/PostScript ones ("postscript outlines are not
supported"), yet the freely licensed CJK fonts Debian ships (``fonts-noto-cjk``: Noto Sans/Serif
CJK, SIL OFL 1.1) are CFF-based ``.ttc`` collections.  This script takes one face of such a
collection (by default the Simplified Chinese face of Noto Sans CJK Regular), redraws every glyph
through ``Cu2QuPen`` into a ``TTGlyphPen`` (cubic -> quadratic curves), builds ``glyf``/``loca``,
drops ``CFF ``/``VORG`` and rewrites ``maxp`` (version 1.0), ``post`` (format 3) and ``head`` for
TrueType.  ``cmap``, ``hmtx``/``vmtx``, ``OS/2``, ``name`` and the layout tables are kept, so the
result is still "Noto Sans CJK SC" (the only Reserved Font Name of Noto CJK is "Source"), usable by
both Qt (``QFontDatabase.addApplicationFont``) and reportlab.

Needs ``fonttools`` (``pip install fonttools``), which is a build-time tool, not an app dependency.

Example::

    python tools/build_cjk_font.py \\
        --source /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \\
        --face-name "Noto Sans CJK SC" \\
        --out resources/fonts/NotoSansCJKsc-Regular.ttf
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# fontTools ships no type information; it is also absent from the app's own environment.
from fontTools.pens.cu2quPen import Cu2QuPen  # type: ignore[import-untyped,import-not-found,unused-ignore]
from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped,import-not-found,unused-ignore]
from fontTools.ttLib import (  # type: ignore[import-untyped,import-not-found,unused-ignore]
    TTCollection,
    TTFont,
    newTable,
)

DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEFAULT_FACE = "Noto Sans CJK SC"
# Maximum distance, in font units, between a cubic curve and its quadratic approximation.
# Noto CJK has 1000 units per em, so 1.0 is 1/1000 em: invisible at any print size.
DEFAULT_MAX_ERR = 1.0
TRUETYPE_SFNT_VERSION = "\x00\x01\x00\x00"


def find_face_index(source: Path, face_name: str) -> int:
    """Return the index, inside the collection *source*, of the face whose family is *face_name*.

    Both the legacy family (name ID 1) and the typographic family (name ID 16) are compared, so
    "Noto Sans CJK SC" matches the Regular face. A plain ``.otf``/``.ttf`` file has index 0.
    """
    if source.suffix.lower() not in {".ttc", ".otc"}:
        return 0
    collection = TTCollection(str(source), lazy=True)
    seen: list[str] = []
    for index, face in enumerate(collection.fonts):
        names = face["name"]
        families = {names.getDebugName(1), names.getDebugName(16)} - {None}
        if face_name in families:
            return index
        seen.append(names.getDebugName(4) or f"#{index}")
    raise SystemExit(f"no face named {face_name!r} in {source}; faces: {', '.join(seen)}")


def convert_to_truetype(font: TTFont, max_err: float) -> int:
    """Replace the CFF outlines of *font* by TrueType ones, in place. Returns the glyph count."""
    if "CFF " not in font:
        raise SystemExit("the source face has no 'CFF ' table (already TrueType, or CFF2/variable)")
    glyph_order: list[str] = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()

    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType ones clockwise: reverse while converting.
        glyph_set[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
        glyf.glyphs[name] = tt_pen.glyph(dropImpliedOnCurves=True)
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        # Vertical origins of CFF fonts; TrueType derives them from vmtx top side bearings.
        del font["VORG"]

    # TrueType rasterisers place the outline by the left side bearing: it must equal xMin.
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        glyph.recalcBounds(glyf)
        advance = hmtx[name][0]
        hmtx[name] = (advance, glyph.xMin if glyph.numberOfContours else 0)

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)
    font["maxp"] = maxp
    maxp.recalc(font)  # maxPoints, maxContours and the composite maxima, from glyf

    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID-keyed names ("cid12345") would only add bytes
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order

    font["head"].glyphDataFormat = 0
    font.sfntVersion = TRUETYPE_SFNT_VERSION
    return len(glyph_order)


def build(source: Path, face_name: str, out: Path, max_err: float = DEFAULT_MAX_ERR) -> None:
    """Convert face *face_name* of *source* and write the TrueType font to *out*."""
    started = time.perf_counter()
    index = find_face_index(source, face_name)
    # Default (lazy) loading: tables this script does not touch (GSUB, GPOS, ...) are copied as is.
    # recalcTimestamp=False keeps the source's head.modified, so rebuilding gives identical bytes.
    font = TTFont(str(source), fontNumber=index, recalcTimestamp=False)
    glyph_count = convert_to_truetype(font, max_err)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out), reorderTables=True)  # recalcBBoxes: head and glyph bounds from glyf
    elapsed = time.perf_counter() - started

    cmap = font.getBestCmap()
    print(f"face #{index} {face_name!r} of {source}")
    print(f"wrote {out}: {out.stat().st_size:,} bytes, {glyph_count:,} glyphs, in {elapsed:.1f} s")
    for label, first, last in (
        ("URO U+4E00-9FFF", 0x4E00, 0x9FFF),
        ("Ext A U+3400-4DBF", 0x3400, 0x4DBF),
        ("Ext B U+20000-2A6DF", 0x20000, 0x2A6DF),
    ):
        mapped = sum(1 for code in range(first, last + 1) if code in cmap)
        print(f"  {label}: {mapped:,} of {last - first + 1:,} mapped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="CFF .ttc/.otc/.otf file")
    parser.add_argument("--face-name", default=DEFAULT_FACE, help="family name of the face to convert")
    parser.add_argument("--out", type=Path, required=True, help="TrueType .ttf file to write")
    parser.add_argument(
        "--max-err",
        type=float,
        default=DEFAULT_MAX_ERR,
        help="largest allowed curve approximation error, in font units",
    )
    args = parser.parse_args(argv)
    build(args.source, args.face_name, args.out, args.max_err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
