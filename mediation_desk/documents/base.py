"""The shared layout of the center's documents: page, margins, styles, tables, footer, metadata.

Every document is built through :func:`build_pdf`, which makes the output a pure function of
its input (same data, same bytes: the documents are hashed into snapshots and packets), and
every piece of user text goes through :func:`escape` (``Paragraph`` reads markup: a party
called ``J&C`` or ``<font size=80>`` must print as written).

Margins follow the paper layout of Chinese official documents (GB/T 9704-2012 党政机关公文格式):
on A4 the text block is 156 × 225 mm, 37 mm from the top edge and 28 mm from the binding edge.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from . import layout
from .fonts import FONT_NAME, RENDER_LOCK, font_runs, register_fonts

#: Chinese punctuation that must not start a line (see ``layout``, which breaks every line).
NO_LINE_START = layout.NO_LINE_START

# Every Paragraph breaks lines by the rules of Chinese typesetting (layout.line_ranges).
layout.install()

#: Written into every PDF's Creator field.
CREATOR = "矛调工作台"

#: Chinese type sizes (字号) in points, as word processors in Chinese offices name them.
ZIHAO: dict[str, float] = {
    "二号": 22, "小二": 18, "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
    "六号": 7.5,
}

#: Naive datetimes in the app are the center's wall clock (see ``models.base.now``); China has
#: one time zone, so that is UTC+8.
CHINA_UTC_OFFSET = timedelta(hours=8)

#: The longest value a table cell prints before it is cut: a table row cannot break across
#: pages, and a row taller than the page raises reportlab's LayoutError.
MAX_CELL_CHARS = 400
MAX_CELL_LINES = 12

ELLIPSIS = "…"


# --------------------------------------------------------------------------- page


@dataclass(frozen=True)
class PageSetup:
    """A sheet and its margins, in points."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float

    @property
    def size(self) -> tuple[float, float]:
        return (self.width, self.height)

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


#: GB/T 9704: top 37 mm, binding (left) edge 28 mm, text block 156 × 225 mm.
A4_PORTRAIT = PageSetup(A4[0], A4[1], top=37 * mm, bottom=35 * mm, left=28 * mm, right=26 * mm)
#: A wide table turned on its side keeps its head at the binding edge (GB/T 9704 §10.1), so the
#: portrait margins turn with it: binding 28 mm becomes the top, the portrait top the right edge.
A4_LANDSCAPE = PageSetup(A4[1], A4[0], top=28 * mm, bottom=26 * mm, left=35 * mm, right=37 * mm)


@dataclass(frozen=True)
class DocumentInfo:
    """What a PDF says about itself (File → Properties).

    ``created`` is written as the creation date and is the only time in the file, so the same
    document built twice is the same bytes; pass the moment the document speaks for (the
    receipt's issue time), not the moment it was rendered.
    """

    title: str
    #: The center's name: the author of every document it issues.
    author: str
    created: datetime
    subject: str = ""
    keywords: tuple[str, ...] = ()


# --------------------------------------------------------------------------- text

# C0 controls other than tab and line breaks, DEL, and the two non-characters of the BMP's end:
# none has a glyph, and pasted text (from Word, from a scanner's OCR) brings them along.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without invisible control characters, with ``\\r\\n`` / ``\\r`` as ``\\n``."""
    return _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _markup(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\t", " ").replace("\n", "<br/>")


def escape(text: str, font: str | None = None) -> str:
    """User text as ``Paragraph`` markup that prints exactly as written.

    ``&``, ``<`` and ``>`` become entities, line breaks become ``<br/>`` and tabs spaces.
    Everything from outside the program (names, titles, addresses, even settings) goes
    through here before it meets a ``Paragraph``.

    With ``font`` (the paragraph's font), every character the font has no glyph for is set in
    the first fallback font that has one (``<font name=…>`` around the run, see
    ``fonts.font_runs``), and what no font has is left out or printed as its code point.
    """
    text = clean(text)
    if font is None:
        return _markup(text)
    pieces = []
    for run_font, run in font_runs(text, font):
        pieces.append(_markup(run) if run_font == font else f'<font name="{run_font}">{_markup(run)}</font>')
    return "".join(pieces)


def clip(text: str, max_chars: int, max_lines: int | None = None, *, note: bool = True) -> str:
    """``text`` cut to at most ``max_chars`` characters and ``max_lines`` lines.

    What is cut is replaced by an ellipsis and, with ``note``, the full length, so the reader
    knows the document shows less than the record holds (without it for a few characters in a
    narrow slot, where the note would be longer than the text). Short text comes back unchanged.
    """
    text = clean(text)
    total = len(text)
    lines = text.split("\n")
    cut = text
    if max_lines is not None and len(lines) > max_lines:
        cut = "\n".join(lines[:max_lines])
    if len(cut) > max_chars:
        cut = cut[:max_chars]
    if cut == text:
        return text
    if not note:
        return f"{cut[:max(max_chars - 1, 0)].rstrip()}{ELLIPSIS}"
    return f"{cut.rstrip()}{ELLIPSIS}（全文 {total} 字，此处从略）"


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A ``Paragraph`` of plain user text: escaped, never read as markup, every character in a
    font that has it."""
    return Paragraph(escape(text, style.fontName), style)


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one document. All wrap Chinese anywhere between characters
    (``wordWrap='CJK'``) and keep Latin words whole unless a word is wider than the line."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    small: ParagraphStyle
    right: ParagraphStyle


def make_styles(body_size: float = ZIHAO["小四"], font: str | None = None) -> Styles:
    """Styles scaled from the body size: 小四 (12 pt) for A4 documents, smaller for slips.

    ``font`` is a registered font name (default: the sans of :func:`register_fonts`)."""
    font = font or register_fonts()
    # CJK text reads best at about 1.5 lines; 公文 practice is 28–29 pt on 16 pt text (1.8),
    # which wastes a form's space.
    lead = 1.55

    def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * lead, 1),
                              wordWrap="CJK", **extra)

    heading_size = body_size + 2
    return Styles(
        title=style("title", body_size * 11 / 6, alignment=TA_CENTER, spaceAfter=body_size),
        heading=style("heading", heading_size, spaceBefore=body_size * 0.5, spaceAfter=body_size * 0.25),
        body=style("body", body_size, alignment=TA_LEFT, firstLineIndent=body_size * 2),
        label=style("label", body_size * 0.875, alignment=TA_CENTER),
        cell=style("cell", body_size * 0.875),
        small=style("small", body_size * 0.75, textColor=colors.HexColor("#333333")),
        right=style("right", body_size, alignment=TA_RIGHT),
    )


class Heading(Flowable):  # type: ignore[misc]  # reportlab has no type information
    """A centred title that looks bold although the font has one weight.

    Glyphs are filled and stroked (PDF text render mode 2) with a hairline of ``weight`` × size,
    which is how Chinese office software fakes bold; the text layer stays plain text. Letter
    spacing is the 公文 habit for short titles (受 理 回 执). Lines break between any two
    characters, never before closing punctuation.
    """

    MAX_CHARS = 80

    def __init__(self, text: str, size: float, *, letter_spacing: float = 0.0, weight: float = 0.03,
                 space_after: float = 0.0, max_chars: int = MAX_CHARS, font: str = FONT_NAME) -> None:
        super().__init__()
        register_fonts()  # measuring the lines needs the font's metrics
        self.font = font
        # A title is cut without a note: a heading is not where a reader looks for one.
        self.text = clip(text.replace("\n", " "), max_chars, note=False)
        # Each character in a font that has it: a center's name may hold a rare character too.
        self._runs = font_runs(self.text, font)
        self.text = "".join(run for _font, run in self._runs)
        self._fonts = [run_font for run_font, run in self._runs for _char in run]
        self.size = size
        self.letter_spacing = letter_spacing
        self.weight = weight
        self.spaceAfter = space_after
        self.leading = size * 1.35
        self._lines: list[str] = [self.text]
        self._line_fonts: list[list[str]] = [self._fonts]

    def _width(self, text: str, fonts: Sequence[str] | None = None) -> float:
        if fonts is None:
            fonts = [self.font] * len(text)
        ink = sum(float(stringWidth(char, font, self.size)) for char, font in zip(text, fonts, strict=True))
        return ink + self.letter_spacing * max(len(text) - 1, 0)

    def _break(self, available: float) -> list[str]:
        # The shared rules (layout.line_ranges): no closing mark starts a line, no opening mark
        # ends one. Letter spacing belongs to every character but the line's last.
        widths = [float(stringWidth(char, font, self.size)) + self.letter_spacing
                  for char, font in zip(self.text, self._fonts, strict=True)]
        ranges = layout.line_ranges(self.text, widths, available + self.letter_spacing) or [(0, 0)]
        self._line_fonts = [self._fonts[start:end] for start, end in ranges]
        return [self.text[start:end] for start, end in ranges]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's API
        self._lines = self._break(availWidth)
        self.width = availWidth
        self.height = self.leading * len(self._lines)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.size * self.weight)
        canvas.setLineJoin(1)  # round joins: no spikes on the strokes' corners
        mode = 2 if self.weight else 0
        for index, line in enumerate(self._lines):
            fonts = self._line_fonts[index]
            x = (self.width - self._width(line, fonts)) / 2
            y = self.height - (index + 1) * self.leading + (self.leading - self.size) / 2 + self.size * 0.12
            start = 0
            # One drawString per run of one font; the run's advance moves the pen.
            while start < len(line):
                end = start
                while end < len(line) and fonts[end] == fonts[start]:
                    end += 1
                run = line[start:end]
                canvas.setFont(fonts[start], self.size)
                canvas.drawString(x, y, run, mode=mode, charSpace=self.letter_spacing)
                x += self._width(run, fonts[start:end]) + (self.letter_spacing if end < len(line) else 0)
                start = end
        canvas.restoreState()


# --------------------------------------------------------------------------- tables


#: A line to write on by hand where a center has kept nothing (its address, its phone): printed
#: visibly (fullwidth low lines), so a blank reads as "fill in", not as forgotten.
WRITE_IN = "\uff3f" * 12


@dataclass(frozen=True)
class Field:
    """One label and its value in a key–value table. A ``wide`` field takes a whole row;
    ``max_chars`` / ``max_lines`` replace the table's limits for this value."""

    label: str
    value: str
    wide: bool = False
    max_chars: int | None = None
    max_lines: int | None = None


GRID_COLOR = colors.black
LABEL_BACKGROUND = colors.HexColor("#F2F2F2")


def key_value_table(fields: Sequence[Field], *, width: float, styles: Styles, label_width: float,
                    pairs_per_row: int = 1, max_chars: int = MAX_CELL_CHARS,
                    max_lines: int = MAX_CELL_LINES) -> Table:
    """A ruled form of labels and values, ``pairs_per_row`` pairs side by side.

    Values are plain user text (escaped here) and cut with a note past ``max_chars`` /
    ``max_lines``, so no single row can outgrow a page.
    """
    if pairs_per_row < 1:
        raise ValueError("pairs_per_row must be at least 1")
    # Wide enough that no label wraps (measured in the label's font, with the cell's padding).
    label_width = layout.label_width([item.label for item in fields], styles.label.fontName, styles.label.fontSize,
                                     minimum=label_width)
    value_width = (width - label_width * pairs_per_row) / pairs_per_row
    columns = 2 * pairs_per_row
    rows: list[list[Flowable | str]] = []
    spans: list[tuple[int, int]] = []  # (row, first value column) of wide rows
    row: list[Flowable | str] = []

    def cell(item: Field) -> Paragraph:
        limit = item.max_chars if item.max_chars is not None else max_chars
        lines = item.max_lines if item.max_lines is not None else max_lines
        return paragraph(clip(item.value, limit, lines), styles.cell)

    def flush() -> None:
        nonlocal row
        if row:
            rows.append(row + [""] * (columns - len(row)))
            row = []

    for item in fields:
        if item.wide:
            flush()
            rows.append([paragraph(item.label, styles.label), cell(item)] + [""] * (columns - 2))
            spans.append((len(rows) - 1, 1))
            continue
        row += [paragraph(item.label, styles.label), cell(item)]
        if len(row) == columns:
            flush()
    flush()

    commands: list[tuple[Any, ...]] = [
        # Empty filler cells are drawn too, in the table's font: left at reportlab's default
        # they would pull an unembedded Helvetica into the PDF.
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("GRID", (0, 0), (-1, -1), 0.6, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for pair in range(pairs_per_row):
        commands.append(("BACKGROUND", (2 * pair, 0), (2 * pair, -1), LABEL_BACKGROUND))
    for index, first in spans:
        commands.append(("SPAN", (first, index), (-1, index)))
        commands.append(("BACKGROUND", (first, index), (-1, index), colors.white))
    widths = [label_width, value_width] * pairs_per_row
    return Table(rows, colWidths=widths, style=TableStyle(commands), hAlign="LEFT")


# --------------------------------------------------------------------------- building


def pdf_date(moment: datetime) -> str:
    """A PDF date string (``D:20261122093000+08'00'``); naive times are China time."""
    offset = moment.utcoffset() if moment.tzinfo is not None else CHINA_UTC_OFFSET
    assert offset is not None
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{rest:02d}'"


class _DocumentCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type information
    """A canvas that writes the document's own date and, when asked, "第 N 页 共 M 页".

    The page count is only known at the end, so finished pages are held back (their drawing
    state, which is small) and footed in :meth:`save`.
    """

    def __init__(self, *args: Any, created: datetime, footer_y: float | None, footer_size: float,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stamp = pdf_date(created)
        # reportlab calls this with the (invariant) timestamp's fields; ours replaces them.
        self.setDateFormatter(lambda *_fields: stamp)
        self._footer_y = footer_y
        self._footer_size = footer_size
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        if self._footer_y is None:
            super().showPage()
            return
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        if self._footer_y is not None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        assert self._footer_y is not None
        self.saveState()
        self.setFont(FONT_NAME, self._footer_size)
        self.drawCentredString(self._pagesize[0] / 2, self._footer_y, f"第 {number} 页 共 {total} 页")
        self.restoreState()


PageDecoration = Callable[[Canvas, BaseDocTemplate], None]


def build_pdf(story: Sequence[Flowable], info: DocumentInfo, *, page: PageSetup = A4_PORTRAIT,
              page_numbers: bool = True, frames: Sequence[Frame] | None = None,
              decorate: PageDecoration | None = None) -> bytes:
    """Lay out ``story`` and return the PDF bytes.

    ``frames`` replaces the single frame inside the margins (a receipt uses two halves of a
    sheet); ``decorate`` draws on every page before its flowables (rules, cut lines). With
    ``page_numbers`` the footer "第 N 页 共 M 页" sits 7 mm below the text block, where GB/T 9704
    puts page numbers.
    """
    register_fonts()
    if frames is None:
        frames = [Frame(page.left, page.bottom, page.frame_width, page.frame_height,
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")]
    footer_size = ZIHAO["五号"]
    footer_y = page.bottom - 7 * mm - footer_size if page_numbers else None
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=page.size,
        leftMargin=page.left, rightMargin=page.right, topMargin=page.top, bottomMargin=page.bottom,
        title=info.title, author=info.author, subject=info.subject, keywords=list(info.keywords),
        creator=CREATOR,
        # invariant: no wall-clock time and no random file ID; the date comes from info.created.
        invariant=1,
        lang="zh-CN",
        displayDocTitle=True,
        initialFontName=FONT_NAME,
    )

    def on_page(canvas: Canvas, template_doc: BaseDocTemplate) -> None:
        if decorate is not None:
            decorate(canvas, template_doc)

    doc.addPageTemplates([PageTemplate(id="page", frames=list(frames), onPage=on_page, pagesize=page.size)])
    maker = partial(_DocumentCanvas, created=info.created, footer_y=footer_y, footer_size=footer_size)
    with RENDER_LOCK:
        doc.build(list(story), canvasmaker=maker)
    return buffer.getvalue()
