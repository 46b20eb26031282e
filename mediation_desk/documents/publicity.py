"""The monthly publicity list (公示) as a landscape A4 PDF.

Title, center and month; a ruled table whose header row repeats on every page, in two parts
(本月受理 / 本月办结); on the last page the notice, the date and room for the head's signature
and the seal; "第 N 页 共 M 页" on every page; the fonts embedded as subsets.

A month of a large center lists thousands of cases, so the table is not a platypus ``Table``:
every cell is wrapped and every row placed first (:func:`layout`), which gives the page count
before anything is drawn, and the pages are then drawn straight onto one canvas. ``bench/head.py``
holds this to at most twice the time of a bare canvas drawing the same strings on as many pages.

Text is drawn in the sans face; a character it lacks (𠮷, 䶮 …) is drawn in the first font of
``fonts.fallback_chain`` that has it, exactly as the other documents do.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..readmodels.publicity import (
    ACCEPTED,
    CLOSED,
    COLUMNS,
    COUNT_DEFINITIONS,
    SECTION_TITLES,
    PrintableList,
    PublicityRow,
)
from .base import CREATOR, ZIHAO, clean, pdf_date
from .fonts import FONT_NAME, RENDER_LOCK, font_runs, register_fonts
from .layout import column_width, line_ranges

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
#: A list posted on a board, not bound: narrow margins leave room for more rows per sheet.
MARGIN_LEFT = MARGIN_RIGHT = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 17 * mm
TABLE_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

TITLE_SIZE = ZIHAO["小二"]
SUBTITLE_SIZE = ZIHAO["五号"]
CELL_SIZE = ZIHAO["小五"]
FOOTER_SIZE = ZIHAO["小五"]
LEADING = CELL_SIZE * 1.3
PAD_X = 3.0
PAD_Y = 3.2
#: A cell never grows past this many lines (names are already cut to "…等 N 人").
MAX_LINES = 6

#: (row field or "seq", printed title, width in points); widths add up to the table's width.
_SEQ_WIDTH = 26.0
_WIDTHS = {"number": 122.0, "dispute_type": 70.0, "accepted_on": 56.0, "applicants": 0.0, "respondents": 0.0,
           "team": 100.0, "status": 82.0, "closed_on": 56.0}
#: The 案号 column is as wide as the widest number the list prints (a county's 第832083号, a
#: township's 甘州梁家墩调字第0001号), at least its usual width and at most this: the room comes from
#: the two party-name columns, which wrap anyway. A number wider still breaks after its year's ）.
NUMBER_MIN_WIDTH = _WIDTHS["number"]
NUMBER_MAX_WIDTH = 180.0
_CENTRED = frozenset({"seq", "accepted_on", "closed_on", "dispute_type", "status"})


@dataclass(frozen=True)
class Columns:
    """The table's columns for one list: (key, title, width) each, and each column's left edge,
    width and whether its text is centred."""

    layout: tuple[tuple[str, str, float], ...]
    x: tuple[tuple[float, float, bool], ...]
    #: The text width of the 案号 column.
    number: float
    #: (row field, text width) of every column after 案号.
    cells: tuple[tuple[str, float], ...]
    #: Every number of the list fits the 案号 column on one line (measured): no need to wrap them.
    numbers_fit: bool = False
    #: The text width of the 序号 column.
    seq: float = _SEQ_WIDTH - 2 * PAD_X


@lru_cache(maxsize=16)
def columns(number_width: float = NUMBER_MIN_WIDTH, numbers_fit: bool = False,
            seq_width: float = _SEQ_WIDTH) -> Columns:
    """The columns with the 案号 column ``number_width`` wide and the 序号 column ``seq_width``;
    they add up to the table's width."""
    widths = dict(_WIDTHS, number=number_width)
    fixed = seq_width + sum(widths.values())
    widths["applicants"] = widths["respondents"] = (TABLE_WIDTH - fixed) / 2
    layout = (("seq", "序号", seq_width), *((key, title, widths[key]) for key, title in COLUMNS))
    x = tuple((MARGIN_LEFT + sum(w for _k, _t, w in layout[:i]), width, key in _CENTRED)
              for i, (key, _title, width) in enumerate(layout))
    cells = tuple((key, width - 2 * PAD_X) for key, _title, width in layout[1:])
    assert cells[0][0] == "number"
    return Columns(layout, x, cells[0][1], cells[1:], numbers_fit, seq_width - 2 * PAD_X)


def columns_for(data: PrintableList) -> Columns:
    """The columns of ``data``: the 案号 column fits its widest number (within the maximum), the
    序号 column its last row's (a county's month lists 74,525 cases: 序号 74525)."""
    register_fonts()
    needed = column_width((row.number for row in data.rows), FONT_NAME, CELL_SIZE, padding=2 * PAD_X,
                          minimum=NUMBER_MIN_WIDTH)
    accepted = sum(1 for row in data.rows if row.section == ACCEPTED)
    last = max(accepted, len(data.rows) - accepted)
    seq = max(_SEQ_WIDTH, text_width(str(last), FONT_NAME, CELL_SIZE) + 2 * PAD_X)
    # Rounded up: a column never ends up a hair narrower than the text it was measured for.
    return columns(min(NUMBER_MAX_WIDTH, math.ceil(needed * 10) / 10), needed <= NUMBER_MAX_WIDTH,
                   math.ceil(seq * 10) / 10)


#: The usual columns (every number of four digits or five of a county).
COLUMN_LAYOUT: tuple[tuple[str, str, float], ...] = columns().layout

HEADER_FILL = colors.HexColor("#E8E8E8")
SECTION_FILL = colors.HexColor("#F4F4F4")
WARNING_COLOUR = colors.HexColor("#C62828")
GRID = 0.5

NOTICE = ("说明：1. 当事人姓名已按规定作化名处理，不公开住址、身份证件号码、联系电话、涉案金额及协议内容；"
          "2. 婚姻家庭纠纷及涉及未成年人的案件依法不公开当事人信息；"
          "3. 对公示内容如有异议，请自公示之日起 7 日内向本中心反映；"
          f"4. {COUNT_DEFINITIONS}")
UNAPPROVED = "未审核"
UNAPPROVED_NOTE = "【未审核】本名单尚未经中心主任审核，仅供核对，不得张贴。"


def title_of(data: PrintableList) -> str:
    return f"{data.center_name} {data.month.year}年{data.month.month}月 案件受理及办结情况公示"


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --------------------------------------------------------------------------- text


def text_width(text: str, font: str, size: float) -> float:
    runs = font_runs(text, font)
    if len(runs) == 1 and runs[0][0] == font:
        return float(stringWidth(runs[0][1], font, size))
    return float(sum(stringWidth(run, run_font, size) for run_font, run in runs))


def wrap(text: str, width: float, font: str = FONT_NAME, size: float = CELL_SIZE,
         max_lines: int = MAX_LINES) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (between any two characters, as
    Chinese is set), at most ``max_lines`` of them, the last one ending in … when cut."""
    text = clean(text).replace("\n", " ")
    if not text:
        return [""]
    if text_width(text, font, size) <= width:
        return [text]
    chars = [(char, run_font) for run_font, run in font_runs(text, font) for char in run]
    text = "".join(char for char, _font in chars)
    widths = [float(stringWidth(char, char_font, size)) for char, char_font in chars]
    # The shared rules of Chinese line breaking (禁则), as in every other document.
    lines = [text[start:end] for start, end in line_ranges(text, widths, width)]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[:max_lines - 1], last[:-1] + "…"]
    return lines


# --------------------------------------------------------------------------- layout


#: One piece of text at a place on a page: (x, y, text, size, align, colour, bold) — ``align`` "l",
#: "c" or "r" about x. A plain tuple (made by :func:`line`): Python's collector stops tracking a
#: tuple of plain values once it has looked at it, a class's instances never (a county's month
#: lays out ~900,000 of them, and the app runs its full passes on the GUI thread: 0.2 s each, 0.4–0.8 s
#: on a loaded machine, while an export was drawing).
Line = tuple[float, float, str, float, str, "colors.Color | None", bool]


def line(x: float, y: float, text: str, size: float = CELL_SIZE, align: str = "l",
         colour: colors.Color | None = None, bold: bool = False) -> Line:
    return (x, y, text, size, align, colour, bold)


@dataclass
class Page:
    lines: list[Line] = field(default_factory=list)
    #: Filled rectangles (x, y, width, height, colour), drawn under the text.
    fills: list[tuple[float, float, float, float, colors.Color]] = field(default_factory=list)
    #: Ruled line segments (x1, y1, x2, y2).
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    cells: tuple[tuple[str, ...], ...]  # the lines of each cell
    height: float
    kind: str = "row"  # "row", "header", "section"


@lru_cache(maxsize=1 << 16)
def _cell(text: str, width: float) -> tuple[str, ...]:
    """A cell's lines. Most cells repeat (types, teams, dates, 张某) and most fit at a glance:
    no glyph is wider than 1 em, so a text of n characters fits in n × size points."""
    if len(text) * CELL_SIZE <= width and "\n" not in text:
        return (text,)
    return tuple(wrap(text, width))


def _cell_lines(row: PublicityRow, seq: int, cols: Columns) -> tuple[tuple[str, ...], ...]:
    # Numbers are measured once (columns_for): where they all fit they are not measured again.
    plain = cols.numbers_fit and row.number and "\n" not in row.number and "\r" not in row.number
    number = (row.number,) if plain else _cell(row.number, cols.number)
    return (_cell(str(seq), cols.seq), number, *(_cell(getattr(row, key), width) for key, width in cols.cells))


def _height(cells: Sequence[Sequence[str]]) -> float:
    return max(map(len, cells)) * LEADING + 2 * PAD_Y


def _header_row(cols: Columns) -> _Row:
    cells = tuple(tuple(wrap(title, width - 2 * PAD_X)) for _key, title, width in cols.layout)
    return _Row(cells, _height(cells), "header")


def _rows(data: PrintableList, cols: Columns) -> list[_Row]:
    rows: list[_Row] = []
    for number, section in enumerate((ACCEPTED, CLOSED)):
        listed = [r for r in data.rows if r.section == section]
        heading = f"{'一二'[number]}、{SECTION_TITLES[section]}（共 {len(listed)} 件）"
        rows.append(_Row(((heading,),), LEADING + 2 * PAD_Y, "section"))
        if not listed:
            rows.append(_Row((("（无）",),), LEADING + 2 * PAD_Y, "section"))
        for seq, row in enumerate(listed, start=1):
            cells = _cell_lines(row, seq, cols)
            rows.append(_Row(cells, _height(cells)))
    return rows


TITLE_BLOCK = TITLE_SIZE * 1.5 + SUBTITLE_SIZE * 1.6 * 2 + 4
RUNNING_HEAD = SUBTITLE_SIZE * 1.8
#: The notice takes up to five lines (the count definitions included).
END_BLOCK = 125.0 + 3 * SUBTITLE_SIZE * 0.9 * 1.4


def _paginate(rows: Sequence[_Row], header: _Row) -> list[list[_Row]]:
    """The rows of each page; the last page keeps room for the end block."""
    pages: list[list[_Row]] = [[]]
    available = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - TITLE_BLOCK - header.height
    for row in rows:
        if row.height > available and pages[-1]:
            pages.append([])
            available = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - RUNNING_HEAD - header.height
        pages[-1].append(row)
        available -= row.height
    if available < END_BLOCK:
        pages.append([])
    return pages


def _place_row(page: Page, row: _Row, top: float, cols: Columns) -> None:
    bottom = top - row.height
    if row.kind == "section":
        page.fills.append((MARGIN_LEFT, bottom, TABLE_WIDTH, row.height, SECTION_FILL))
        page.lines.append(line(MARGIN_LEFT + PAD_X, top - PAD_Y - CELL_SIZE, row.cells[0][0], bold=True))
        page.rules += [(MARGIN_LEFT, bottom, MARGIN_LEFT + TABLE_WIDTH, bottom),
                       (MARGIN_LEFT, top, MARGIN_LEFT, bottom),
                       (MARGIN_LEFT + TABLE_WIDTH, top, MARGIN_LEFT + TABLE_WIDTH, bottom)]
        return
    header = row.kind == "header"
    if header:
        page.fills.append((MARGIN_LEFT, bottom, TABLE_WIDTH, row.height, HEADER_FILL))
    first = top - PAD_Y - CELL_SIZE
    lines_out = page.lines
    rules = page.rules
    for (x, width, centred), lines in zip(cols.x, row.cells, strict=True):
        y = first
        if header or centred:
            for text in lines:
                lines_out.append(line(x + width / 2, y, text, CELL_SIZE, "c", None, header))
                y -= LEADING
        else:
            for text in lines:
                lines_out.append(line(x + PAD_X, y, text))
                y -= LEADING
        rules.append((x, top, x, bottom))
    rules += [(MARGIN_LEFT + TABLE_WIDTH, top, MARGIN_LEFT + TABLE_WIDTH, bottom),
              (MARGIN_LEFT, bottom, MARGIN_LEFT + TABLE_WIDTH, bottom)]


def layout(data: PrintableList) -> list[Page]:
    """Every page's text, fills and rules, placed (the page count is ``len`` of the result)."""
    register_fonts()
    cols = columns_for(data)
    header = _header_row(cols)
    pages_rows = _paginate(_rows(data, cols), header)
    total = len(pages_rows)
    pages: list[Page] = []
    title = title_of(data)
    accepted = sum(1 for r in data.rows if r.section == ACCEPTED)
    closed = len(data.rows) - accepted
    for number, rows in enumerate(pages_rows, start=1):
        page = Page()
        top = PAGE_HEIGHT - MARGIN_TOP
        if number == 1:
            page.lines.append(line(PAGE_WIDTH / 2, top - TITLE_SIZE, title, TITLE_SIZE, "c", bold=True))
            y = top - TITLE_SIZE * 1.5 - SUBTITLE_SIZE * 1.2
            page.lines.append(line(PAGE_WIDTH / 2, y, f"公示单位：{data.center_name}　　公示月份：{data.month.label}"
                                   f"　　本月受理 {accepted} 件，办结 {closed} 件", SUBTITLE_SIZE, "c"))
            if data.approval is None:
                page.lines.append(line(PAGE_WIDTH / 2, y - SUBTITLE_SIZE * 1.6, UNAPPROVED_NOTE, SUBTITLE_SIZE, "c",
                                       WARNING_COLOUR, bold=True))
            top -= TITLE_BLOCK
        else:
            page.lines.append(line(MARGIN_LEFT, top - SUBTITLE_SIZE, f"{title}（续）", SUBTITLE_SIZE))
            if data.approval is None:
                page.lines.append(line(PAGE_WIDTH - MARGIN_RIGHT, top - SUBTITLE_SIZE, UNAPPROVED_NOTE,
                                       SUBTITLE_SIZE, "r", WARNING_COLOUR, bold=True))
            top -= RUNNING_HEAD
        if rows or number < total:
            page.rules.append((MARGIN_LEFT, top, MARGIN_LEFT + TABLE_WIDTH, top))
            _place_row(page, header, top, cols)
            top -= header.height
        for row in rows:
            _place_row(page, row, top, cols)
            top -= row.height
        if number == total:
            _place_end(page, data, top)
        _place_footer(page, data, number, total)
        pages.append(page)
    return pages


def _place_end(page: Page, data: PrintableList, top: float) -> None:
    y = top - 6 - SUBTITLE_SIZE
    for text in wrap(NOTICE, TABLE_WIDTH, size=SUBTITLE_SIZE * 0.9, max_lines=5):
        page.lines.append(line(MARGIN_LEFT, y, text, SUBTITLE_SIZE * 0.9))
        y -= SUBTITLE_SIZE * 1.4
    # The head signs on the line; the seal goes over the center's name and the date, at the right.
    left = PAGE_WIDTH - MARGIN_RIGHT - 420
    y -= SUBTITLE_SIZE * 2
    label = "负责人（签字）："
    page.lines.append(line(left, y, label, SUBTITLE_SIZE))
    start = left + text_width(label, FONT_NAME, SUBTITLE_SIZE) + 2
    page.rules.append((start, y - 3, start + 130, y - 3))
    seal_x = PAGE_WIDTH - MARGIN_RIGHT - 110
    page.lines.append(line(seal_x, y, "（公章）", SUBTITLE_SIZE, "c"))
    y -= SUBTITLE_SIZE * 2.4
    page.lines.append(line(seal_x, y, data.center_name, SUBTITLE_SIZE, "c"))
    y -= SUBTITLE_SIZE * 1.6
    page.lines.append(line(seal_x, y, _chinese_date(data.dated), SUBTITLE_SIZE, "c"))


def _place_footer(page: Page, data: PrintableList, number: int, total: int) -> None:
    y = MARGIN_BOTTOM - 9 * mm
    page.lines.append(line(PAGE_WIDTH / 2, y, f"第 {number} 页 共 {total} 页", FOOTER_SIZE, "c"))
    if data.approval is not None:
        when = f"{data.approval.approved_at:%Y-%m-%d %H:%M}"
        note = f"审核：{data.approval.approved_by or '—'} {when}　校验码：{data.approval.sha256[:16]}"
        page.lines.append(line(MARGIN_LEFT, y, note, FOOTER_SIZE * 0.9))
    else:
        page.lines.append(line(MARGIN_LEFT, y, UNAPPROVED, FOOTER_SIZE, colour=WARNING_COLOUR, bold=True))


# --------------------------------------------------------------------------- drawing


def _canvas(buffer: io.BytesIO, title: str, author: str, created: datetime) -> Canvas:
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, initialFontName=FONT_NAME,
                    lang="zh-CN", pageCompression=1)
    stamp = pdf_date(created)
    canvas.setDateFormatter(lambda *_fields: stamp)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator(CREATOR)
    canvas.setSubject("矛盾纠纷案件受理及办结情况公示")
    return canvas


@lru_cache(maxsize=1 << 16)
def _run_width(run: str, font: str, size: float) -> float:
    return float(stringWidth(run, font, size))


def _draw_page(canvas: Canvas, page: Page, runs_of: dict[str, list[tuple[str, str]]]) -> None:
    """Fills, then rules, then all the page's text as one text object (one BT … ET)."""
    for x, y, width, height, fill in page.fills:
        canvas.setFillColor(fill)
        canvas.rect(x, y, width, height, stroke=0, fill=1)
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(GRID)
    canvas.lines(page.rules)
    # Bold is the glyphs filled and stroked (render mode 2) with a hairline, as Chinese office
    # software fakes it; the line width is the graphics state's, so it is set for the whole text.
    canvas.setLineWidth(0.3)
    text = canvas.beginText()
    font: tuple[str, float] | None = None
    colour: colors.Color | None = None
    bold = False
    text.setFillColor(colors.black)
    for left, y, shown, size, align, line_colour, line_bold in page.lines:
        if line_colour is not colour:
            colour = line_colour
            text.setFillColor(colour or colors.black)
        if line_bold is not bold:
            bold = line_bold
            text.setTextRenderMode(2 if bold else 0)
        runs = runs_of.get(shown)
        if runs is None:
            runs = runs_of[shown] = font_runs(shown, FONT_NAME)
        x = left
        if align != "l":
            width = sum(_run_width(run, run_font, size) for run_font, run in runs)
            x -= width / 2 if align == "c" else width
        for run_font, run in runs:
            if font != (run_font, size):
                font = (run_font, size)
                text.setFont(run_font, size)
            text.setTextOrigin(x, y)
            text.textOut(run)
            if len(runs) > 1:
                x += _run_width(run, run_font, size)
    canvas.drawText(text)


#: Told how the drawing goes: (pages drawn, pages to draw), once before the first page and after
#: each; it may raise to stop the drawing (nothing is returned or written then).
Progress = Callable[[int, int], None]


def render_publicity(data: PrintableList, *, pages: Sequence[Page] | None = None,
                     progress: Progress | None = None) -> bytes:
    """The PDF of the list. An approved list is dated by its approval, so printing it again
    gives the same bytes. ``pages``: the pages of :func:`layout` to draw (all when None; a print
    of a range of pages draws only those, each still saying 第 N 页 共 M 页 of the whole list)."""
    if pages is None:
        pages = layout(data)
    total = len(pages)
    if progress is not None:
        progress(0, total)
    buffer = io.BytesIO()
    created = (data.approval.approved_at if data.approval is not None
               else datetime.combine(data.dated, datetime.min.time()))
    with RENDER_LOCK:
        canvas = _canvas(buffer, title_of(data), data.center_name, created)
        canvas.setKeywords([data.month.key, UNAPPROVED if data.approval is None else data.approval.sha256])
        runs_of: dict[str, list[tuple[str, str]]] = {}
        for done, page in enumerate(pages, start=1):
            _draw_page(canvas, page, runs_of)
            canvas.showPage()
            if progress is not None:
                progress(done, total)
        canvas.save()
    return buffer.getvalue()


def write_publicity(data: PrintableList, path: str | Path, *, progress: Progress | None = None) -> Path:
    """Write the PDF beside ``path`` and rename it there, so nobody opens half a file. The whole
    PDF is made before anything is written: a drawing stopped by ``progress`` leaves no file."""
    from ..files import write_atomically

    target = Path(path)
    pdf = render_publicity(data, progress=progress)
    return write_atomically(target, pdf)


def page_strings(data: PrintableList) -> list[list[str]]:
    """The strings each page prints, in order (what ``bench/head.py`` draws on a bare canvas)."""
    return [[placed[2] for placed in page.lines] for page in layout(data)]


__all__ = ["columns", "columns_for", "layout", "page_strings", "render_publicity", "title_of", "wrap",
           "write_publicity"]
