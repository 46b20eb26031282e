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

With ``--mapped-only`` the face is first cut down to the glyphs its character map reaches (the
JP/KR/TC glyph variants only reachable through ``locl`` go): the documents' Song face (Noto Serif
CJK SC) is used by reportlab alone, which never applies OpenType features, and shrinks by a third.

``--fallback`` builds the other kind of font the documents need: the ideographs that none of the
``--covered-by`` fonts has (CJK Extension B–F, a few of Extension A …), cut out of TrueType fonts
such as HanaMinA/HanaMinB (``fonts-hanazono``) and merged into one small font under a new family
name, so that a rare character in a name is drawn with a real glyph and never as a box.

Needs ``fonttools`` (``pip install fonttools``), which is a build-time tool, not an app dependency.

Examples::

    python tools/build_cjk_font.py \\
        --source /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \\
        --face-name "Noto Sans CJK SC" \\
        --out resources/fonts/NotoSansCJKsc-Regular.ttf

    python tools/build_cjk_font.py --mapped-only \\
        --source /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \\
        --face-name "Noto Serif CJK SC" \\
        --out resources/fonts/NotoSerifCJKsc-Regular.ttf

    python tools/build_cjk_font.py --fallback \\
        --source /usr/share/fonts/truetype/hanazono/HanaMinA.ttf \\
        --source /usr/share/fonts/truetype/hanazono/HanaMinB.ttf \\
        --covered-by resources/fonts/NotoSerifCJKsc-Regular.ttf \\
        --family "Mediation Desk Rare Han" \\
        --out resources/fonts/MediationDeskRareHan.ttf.xz
"""

from __future__ import annotations

import argparse
import io
import lzma
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

#: OpenType features kept by ``--mapped-only``: vertical forms, so the face still sets vertical
#: text in an application that asks for it; ``locl`` is what would pull the regional variants in.
MAPPED_ONLY_FEATURES = ("vert", "vrt2")

#: The Unicode blocks of Han ideographs and their components: what a fallback font supplies.
IDEOGRAPH_BLOCKS: tuple[tuple[str, int, int], ...] = (
    ("CJK Radicals Supplement", 0x2E80, 0x2EFF),
    ("Kangxi Radicals", 0x2F00, 0x2FDF),
    ("Ideographic Description Characters", 0x2FF0, 0x2FFF),
    ("CJK Strokes", 0x31C0, 0x31EF),
    ("CJK Unified Ideographs Extension A", 0x3400, 0x4DBF),
    ("CJK Unified Ideographs", 0x4E00, 0x9FFF),
    ("CJK Compatibility Ideographs", 0xF900, 0xFAFF),
    ("CJK Unified Ideographs Extension B", 0x20000, 0x2A6DF),
    ("CJK Unified Ideographs Extension C", 0x2A700, 0x2B73F),
    ("CJK Unified Ideographs Extension D", 0x2B740, 0x2B81F),
    ("CJK Unified Ideographs Extension E", 0x2B820, 0x2CEAF),
    ("CJK Unified Ideographs Extension F", 0x2CEB0, 0x2EBEF),
    ("CJK Compatibility Ideographs Supplement", 0x2F800, 0x2FA1F),
    ("CJK Unified Ideographs Extension G", 0x30000, 0x3134F),
    ("CJK Unified Ideographs Extension H", 0x31350, 0x323AF),
)


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


def keep_mapped_glyphs(font: TTFont, features: tuple[str, ...] = MAPPED_ONLY_FEATURES) -> None:
    """Cut *font* down, in place, to the glyphs its ``cmap`` reaches (plus what *features* reach).

    Every mapped character keeps exactly its glyph; what goes are the glyphs reachable only
    through OpenType features (the JP/KR/TC forms behind ``locl``, ligatures, alternates), which
    reportlab never uses. Outlines are not touched.
    """
    from fontTools import subset  # type: ignore[import-untyped,import-not-found,unused-ignore]

    options = subset.Options()
    options.layout_features = list(features)
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = False
    options.legacy_kern = False
    options.prune_unicode_ranges = False  # OS/2 describes the face, and the face is unchanged
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)


def build(source: Path, face_name: str, out: Path, max_err: float = DEFAULT_MAX_ERR, *,
          mapped_only: bool = False) -> None:
    """Convert face *face_name* of *source* and write the TrueType font to *out*."""
    started = time.perf_counter()
    index = find_face_index(source, face_name)
    # Default (lazy) loading: tables this script does not touch (GSUB, GPOS, ...) are copied as is.
    # recalcTimestamp=False keeps the source's head.modified, so rebuilding gives identical bytes.
    font = TTFont(str(source), fontNumber=index, recalcTimestamp=False)
    if mapped_only:
        # Before the conversion: fewer glyphs to redraw, and CFF subsetting is exact.
        keep_mapped_glyphs(font)
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


def _in_ideograph_blocks(code: int) -> bool:
    return any(first <= code <= last for _name, first, last in IDEOGRAPH_BLOCKS)


def _set_family(font: TTFont, family: str) -> None:
    """Give *font* a family name of its own (a modified font must not pass for its source)."""
    postscript = "".join(c for c in family if c.isalnum())
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(family, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (2, 17):
            names.setName("Regular", record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 4):
            names.setName(f"{family} Regular" if record.nameID == 4 else f"{postscript}-Regular",
                          record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(f"{postscript}-Regular", 6, record.platformID, record.platEncID, record.langID)
    names.names = [r for r in names.names if r.nameID not in (16, 17)]


def build_fallback(sources: list[Path], covered_by: list[Path], out: Path, family: str) -> None:
    """Write *out*: the ideographs of *sources* that no *covered_by* font maps, in one font.

    A character is taken from the first source that has it. Hinting and layout tables go (a
    fallback glyph is printed, not set on screen at 9 px), and the parts are merged with
    ``fontTools.merge`` into a font named *family*. An *out* ending in ``.xz`` is written
    xz-compressed (the app decompresses it in memory on first need: it is read rarely, and
    compressed it is 12 MB instead of 30).
    """
    from fontTools import subset
    from fontTools.merge import Merger  # type: ignore[import-untyped,import-not-found,unused-ignore]

    started = time.perf_counter()
    covered: set[int] = set()
    for path in covered_by:
        covered.update(TTFont(str(path), lazy=True).getBestCmap())
    taken: set[int] = set()
    parts: list[Path] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    for number, source in enumerate(sources):
        font = TTFont(str(source), recalcTimestamp=False)
        if "glyf" not in font:
            raise SystemExit(f"{source} has no TrueType outlines; convert it first")
        wanted = sorted(c for c in font.getBestCmap() if _in_ideograph_blocks(c) and c not in covered
                        and c not in taken)
        taken.update(wanted)
        print(f"{source.name}: {len(wanted):,} characters no --covered-by font has")
        if not wanted:
            continue
        options = subset.Options()
        options.layout_features = []
        options.hinting = False
        options.drop_tables += ["FFTM", "prop", "BASE", "GDEF", "GSUB", "GPOS"]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.glyph_names = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        part = out.with_name(f".{out.stem}.part{number}.ttf")
        font.save(str(part))
        parts.append(part)
    if not parts:
        raise SystemExit("the --covered-by fonts already have every ideograph of the sources")
    try:
        merged = Merger().merge([str(p) for p in parts]) if len(parts) > 1 else TTFont(str(parts[0]))
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
    _set_family(merged, family)
    # Reproducible bytes: the merger stamps "now" into head.created and saving into head.modified.
    source_head = TTFont(str(sources[0]), lazy=True)["head"]
    merged["head"].created = source_head.created
    merged["head"].modified = source_head.modified
    merged.recalcTimestamp = False
    buffer = io.BytesIO()
    merged.save(buffer, reorderTables=True)
    data = buffer.getvalue()
    if out.suffix == ".xz":
        # One thread and fixed settings: the same font always compresses to the same bytes.
        data = lzma.compress(data, format=lzma.FORMAT_XZ, preset=9 | lzma.PRESET_EXTREME)
    out.write_bytes(data)
    elapsed = time.perf_counter() - started
    cmap = merged.getBestCmap()
    print(f"wrote {out}: {out.stat().st_size:,} bytes, {merged['maxp'].numGlyphs:,} glyphs, in {elapsed:.1f} s")
    for name, first, last in IDEOGRAPH_BLOCKS:
        mapped = sum(1 for code in cmap if first <= code <= last)
        if mapped:
            print(f"  {name}: {mapped:,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, action="append",
                        help=f"CFF .ttc/.otc/.otf file (default {DEFAULT_SOURCE}); with --fallback, "
                             "TrueType sources in order of preference (repeat the option)")
    parser.add_argument("--face-name", default=DEFAULT_FACE, help="family name of the face to convert")
    parser.add_argument("--out", type=Path, required=True, help="TrueType .ttf file to write")
    parser.add_argument(
        "--max-err",
        type=float,
        default=DEFAULT_MAX_ERR,
        help="largest allowed curve approximation error, in font units",
    )
    parser.add_argument("--mapped-only", action="store_true",
                        help="keep only the glyphs the character map reaches (no regional variants)")
    parser.add_argument("--fallback", action="store_true",
                        help="build a fallback font of the ideographs the --covered-by fonts lack")
    parser.add_argument("--covered-by", type=Path, action="append", default=[],
                        help="with --fallback: a font whose characters the fallback leaves out (repeat)")
    parser.add_argument("--family", default="Mediation Desk Rare Han", help="with --fallback: its family name")
    args = parser.parse_args(argv)
    sources: list[Path] = args.source or [DEFAULT_SOURCE]
    if args.fallback:
        build_fallback(sources, args.covered_by, args.out, args.family)
        return 0
    if len(sources) != 1:
        parser.error("converting takes exactly one --source")
    build(sources[0], args.face_name, args.out, args.max_err, mapped_only=args.mapped_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
