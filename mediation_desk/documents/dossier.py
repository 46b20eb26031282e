"""The bound case file (卷宗): cover, index, the documents in the Ministry's order, back cover.

``assemble_dossier`` takes the parts as PDFs — documents the center generated and files that were
scanned — and binds them into one PDF:

* the cover (卷宗封面: 卷名, 卷号, 人民调解员, 调解日期, 立卷人, 立卷日期, 保管期限, 备注);
* the index (卷内目录: 序号, 文书名称, 页号, 备注) with the real page numbers;
* the entries in the order they are given (the caller sorts them by the Ministry's order);
* the back cover (封底), with the file's note (卷内备考表: how many pages, who filed and checked it).

Pages are numbered the way archives number them: from the first document to the back cover,
each page's number stamped in its upper right corner (cover and index are not counted). Every
page is A4 portrait: a scan of another size (an ID card, a receipt, a page on its side) is
scaled to fit and centred. Scanned pages get a page code (``attachment:<id>``, :mod:`pagecode`)
in their lower right corner; the generated documents already carry their own; the dossier's
own pages carry ``dossier:<case id>`` with their page in the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..readmodels.center import Issuer
from . import base, layout
from .fonts import FONT_NAME, RENDER_LOCK
from .forms import (
    FormInfo,
    FormStyles,
    at_midnight,
    cell,
    cn_date,
    form_styles,
    label_cell,
    paragraphs,
    plain_table,
    render_form,
    ruled_table,
    title,
)
from .pagecode import PAGE_CODE_SIZE, PageCode, draw_page_code

DOSSIER_TITLE = "人民调解卷宗"
INDEX_TITLE = "卷内目录"
BACK_COVER_TITLE = "卷内备考表"

#: The Ministry's order of the dossier's contents (FORMS.md), with whether each is required.
DOSSIER_ITEMS: tuple[tuple[int, str, bool], ...] = (
    (1, "人民调解申请书或人民调解受理登记表", True),
    (2, "人民调解当事人权利义务告知书", True),
    (3, "当事人身份证明", True),
    (4, "授权委托书", False),
    (5, "人民调解调查记录", False),
    (6, "人民调解证据材料", False),
    (7, "人民调解记录", True),
    (8, "人民调解协议书或人民调解口头协议登记表", True),
    (9, "收条、汇款单等履行凭证", False),
    (10, "人民调解回访记录", False),
    (11, "司法确认有关材料", False),
    (12, "卷宗情况说明", False),
    (13, "封底", True),
)

_A4_W, _A4_H = A4
_STAMP_SIZE = 9.5


@dataclass(frozen=True)
class DossierEntry:
    """One document of the file, as it is listed in the index and bound."""

    #: The Ministry's item (1–12; 13, the back cover, is added by the assembly).
    item: int
    title: str
    pdf: bytes
    note: str = ""
    #: A scanned attachment's id: its pages get an ``attachment:<id>`` code. None for a
    #: generated document, which carries its own codes.
    attachment_id: int | None = None


@dataclass(frozen=True)
class DossierCover:
    case_number: str
    #: 卷名: "A与B……纠纷".
    volume_title: str
    mediators: str
    mediation_from: date | None
    mediation_to: date | None
    filed_by: str
    filed_on: date
    retention: str
    remarks: str = ""
    #: The case's id, for the dossier's own page codes.
    case_id: int = 0
    #: 卷内备考表: who checked the file (blank: signed by hand).
    checked_by: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------- own pages


def _cover_story(cover: DossierCover, issuer: Issuer, styles: FormStyles) -> list[Flowable]:
    width = base.A4_PORTRAIT.frame_width
    period = (f"{cn_date(cover.mediation_from)} 至 {cn_date(cover.mediation_to)}"
              if cover.mediation_from else f"{cn_date(None)} 至 {cn_date(None)}")
    rows_data = [
        ("卷　　名", cover.volume_title),
        ("卷　　号", cover.case_number),
        ("人民调解员", cover.mediators),
        ("调解日期", period),
        ("立 卷 人", cover.filed_by),
        ("立卷日期", cn_date(cover.filed_on)),
        ("保管期限", cover.retention),
        ("备　　注", cover.remarks),
    ]
    label_w = 34 * mm
    big = form_styles(base.ZIHAO["三号"])
    rows: list[list[Any]] = []
    value_w = width - label_w - 10 * mm
    # 卷名 names the parties: a name is never broken over two lines (each part between 、 and
    # 与 is kept whole where it fits a line), so the title is broken here, by the shared rules.
    title_text = base.clip(base.clean(cover.volume_title).replace("\n", " "), 120)
    parts = [part for part in re.split("[、与]", title_text) if part]
    lines = layout.break_lines(title_text, value_w - 1, big.line.fontName, big.line.fontSize, keep=parts)
    for index, (label, value) in enumerate(rows_data):
        printed = (base.paragraph("\n".join(lines), big.line) if index == 0 else
                   cell(value, big, max_chars=120, max_lines=3, style=big.line))
        rows.append([Paragraph(base.escape(f"{label}：", FONT_NAME), big.line), printed])
    fields = plain_table(rows, [label_w, width - label_w - 10 * mm], valign="BOTTOM", extra=[
        ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 9),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])
    return [
        Spacer(0, 12 * mm),
        base.Heading(issuer.center_name, base.ZIHAO["二号"], weight=0.03, space_after=8 * mm),
        title(DOSSIER_TITLE, size=42, space_after=26 * mm),
        plain_table([["", fields]], [10 * mm, width - 10 * mm]),
    ]


def _index_story(rows: Sequence[tuple[int, str, str, str]], styles: FormStyles) -> list[Flowable]:
    width = base.A4_PORTRAIT.frame_width
    table_rows: list[list[Any]] = [[label_cell("序号", styles), label_cell("文书名称", styles),
                                    label_cell("页号", styles), label_cell("备注", styles)]]
    for number, name, pages, note in rows:
        table_rows.append([cell(str(number), styles, style=styles.cell_centre), cell(name, styles, max_chars=120),
                           cell(pages, styles, style=styles.cell_centre), cell(note, styles, max_chars=80)])
    widths = [14 * mm, width - 14 * mm - 26 * mm - 40 * mm, 26 * mm, 40 * mm]
    return [
        title(INDEX_TITLE),
        ruled_table(table_rows, widths, repeat_rows=1, heights=[9 * mm] + [None] * len(rows),
                    extra=[("BACKGROUND", (0, 0), (-1, 0), base.LABEL_BACKGROUND),
                           ("TOPPADDING", (0, 1), (-1, -1), 6), ("BOTTOMPADDING", (0, 1), (-1, -1), 6)]),
    ]


def _back_cover_story(cover: DossierCover, total_pages: int, styles: FormStyles) -> list[Flowable]:
    width = base.A4_PORTRAIT.frame_width
    notes = "\n".join(cover.notes) if cover.notes else ""
    statement = f"本卷共有文件材料{total_pages}页（不含卷宗封面和卷内目录）。"
    rows: list[list[Any]] = [
        [cell(statement, styles, style=styles.line)],
        [cell("说明：" + (notes or "无"), styles, max_chars=1500, max_lines=20, style=styles.line)],
    ]
    box = ruled_table(rows, [width], heights=[None, 80 * mm],
                      extra=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 8),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("LINEBELOW", (0, 0), (-1, 0), 0, colors.white)])
    sign = plain_table(
        [[Paragraph(base.escape("立卷人：", FONT_NAME), styles.line), cell(cover.filed_by, styles, style=styles.line),
          Paragraph(base.escape("检查人：", FONT_NAME), styles.line),
          cell(cover.checked_by, styles, style=styles.line)],
         [Paragraph(base.escape("立卷日期：", FONT_NAME), styles.line),
          cell(cn_date(cover.filed_on), styles, style=styles.line), Paragraph(base.escape("检查日期：", FONT_NAME),
                                                                                 styles.line),
          cell(cn_date(None), styles, style=styles.line)]],
        [24 * mm, width / 2 - 28 * mm, 24 * mm, width / 2 - 20 * mm],
        extra=[("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black), ("LINEBELOW", (3, 0), (3, -1), 0.6, colors.black),
               ("TOPPADDING", (0, 0), (-1, -1), 10)],
    )
    return [title(BACK_COVER_TITLE), Spacer(0, 2 * mm), box, Spacer(0, 10 * mm), sign]


def _cover_frame(canvas: Canvas, _doc: object) -> None:
    """The cover's border: a heavy rule with a hairline inside, as printed dossier covers have."""
    canvas.saveState()
    canvas.setStrokeColor(colors.black)
    # The bottom edge clears the page code in the lower margin (9–26 mm from the foot).
    canvas.setLineWidth(2.2)
    canvas.rect(18 * mm, 30 * mm, _A4_W - 36 * mm, _A4_H - 48 * mm)
    canvas.setLineWidth(0.6)
    canvas.rect(20.5 * mm, 32.5 * mm, _A4_W - 41 * mm, _A4_H - 53 * mm)
    canvas.restoreState()


def _own_pages(story: list[Flowable], cover: DossierCover, issuer: Issuer, what: str, *,
               decorate: base.PageDecoration | None = None) -> bytes:
    """A page or pages of the dossier itself: no footer (the file's page numbers are stamped)."""
    info = base.DocumentInfo(title=f"{DOSSIER_TITLE} {cover.case_number} {what}", author=issuer.center_name,
                             created=at_midnight(cover.filed_on))
    return base.build_pdf(story, info, page_numbers=False, decorate=decorate)


# --------------------------------------------------------------------------- binding


def _page_ranges(counts: Sequence[int], first: int) -> list[tuple[int, int]]:
    ranges = []
    page = first
    for count in counts:
        ranges.append((page, page + count - 1))
        page += count
    return ranges


def _pages_text(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def index_rows(entries: Sequence[DossierEntry], counts: Sequence[int]) -> list[tuple[int, str, str, str]]:
    """(序号, 文书名称, 页号, 备注) of each entry, pages counted from 1 at the first entry."""
    rows = []
    for number, (entry, (first, last)) in enumerate(zip(entries, _page_ranges(counts, 1), strict=True), start=1):
        note = entry.note
        if last > first:
            note = f"{note}，共{last - first + 1}页" if note else f"共{last - first + 1}页"
        rows.append((number, entry.title, _pages_text(first, last), note))
    return rows


def _fit_a4(page: Any) -> Any:
    """``page`` on an A4 portrait sheet: as it is when it is A4 already, else scaled to fit and
    centred on a new blank sheet."""
    from pypdf import PageObject, Transformation

    if page.rotation:
        page.transfer_rotation_to_content()
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    if abs(width - _A4_W) < 3 and abs(height - _A4_H) < 3 and float(box.left) == 0 and float(box.bottom) == 0:
        return page
    scale = min(_A4_W / width, _A4_H / height)
    if scale > 1:
        # A small original (an ID card, a receipt) is printed at its own size, not blown up,
        # unless it is so small it would be lost (under a third of the sheet's width).
        scale = max(1.0, min(scale, (_A4_W / 3) / width))
    sheet = PageObject.create_blank_page(width=_A4_W, height=_A4_H)
    dx = (_A4_W - width * scale) / 2 - float(box.left) * scale
    dy = (_A4_H - height * scale) / 2 - float(box.bottom) * scale
    sheet.merge_transformed_page(page, Transformation().scale(scale, scale).translate(dx, dy))
    return sheet


def _stamps(pages: Sequence[tuple[int | None, PageCode | None]], case_number: str) -> bytes:
    """One A4 page of stamps per page of the file: its number (upper right, boxed) and, where
    given, its page code (lower right)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=FONT_NAME)
    canvas.setTitle(case_number)
    for number, code in pages:
        if number is not None:
            label = str(number)
            canvas.setFont(FONT_NAME, _STAMP_SIZE + 2)
            text_w = canvas.stringWidth(label, FONT_NAME, _STAMP_SIZE + 2)
            box_w = max(text_w + 4 * mm, 10 * mm)
            x = _A4_W - 12 * mm - box_w
            y = _A4_H - 14 * mm
            canvas.setFillColorRGB(1, 1, 1)
            canvas.setStrokeColorRGB(0, 0, 0)
            canvas.setLineWidth(0.6)
            canvas.rect(x, y, box_w, 6.5 * mm, stroke=1, fill=1)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawCentredString(x + box_w / 2, y + 1.8 * mm, label)
        if code is not None:
            draw_page_code(canvas, code, _A4_W - 26 * mm - PAGE_CODE_SIZE, 9 * mm)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def assemble_dossier(cover: DossierCover, entries: Sequence[DossierEntry], issuer: Issuer) -> bytes:
    """Bind the file; see the module docstring. ``entries`` are bound in the order given."""
    from pypdf import PdfReader, PdfWriter

    styles = form_styles()
    readers = [PdfReader(io.BytesIO(entry.pdf)) for entry in entries]
    counts = [len(reader.pages) for reader in readers]
    total = sum(counts) + 1  # the back cover
    back_cover = _own_pages(_back_cover_story(cover, total, styles), cover, issuer, BACK_COVER_TITLE)
    back_entry = DossierEntry(13, "封底（卷内备考表）", back_cover)
    listed = [*entries, back_entry]
    rows = index_rows(listed, [*counts, 1])
    cover_pdf = _own_pages(_cover_story(cover, issuer, styles), cover, issuer, "封面", decorate=_cover_frame)
    index_pdf = _own_pages(_index_story(rows, styles), cover, issuer, INDEX_TITLE)
    head = [PdfReader(io.BytesIO(cover_pdf)), PdfReader(io.BytesIO(index_pdf))]

    writer = PdfWriter()
    stamps: list[tuple[int | None, PageCode | None]] = []
    position = 0

    def own() -> PageCode:
        return PageCode(cover.case_number, "dossier", cover.case_id, position + 1)

    for reader in head:
        for page in reader.pages:
            writer.add_page(page)
            stamps.append((None, own()))
            position += 1
    number = 0
    for entry, reader in zip(listed, [*readers, PdfReader(io.BytesIO(back_cover))], strict=True):
        for index, page in enumerate(reader.pages, start=1):
            writer.add_page(_fit_a4(page))
            number += 1
            if entry.attachment_id is not None:
                code: PageCode | None = PageCode(cover.case_number, "attachment", entry.attachment_id, index)
            elif entry is back_entry:
                code = own()
            else:
                code = None
            stamps.append((number, code))
            position += 1
    with RENDER_LOCK:
        stamp_reader = PdfReader(io.BytesIO(_stamps(stamps, cover.case_number)))
    for page, stamp in zip(writer.pages, stamp_reader.pages, strict=True):
        page.merge_page(stamp, over=True)
    writer.add_metadata({
        "/Title": f"{DOSSIER_TITLE} {cover.case_number}",
        "/Author": issuer.center_name,
        "/Subject": cover.volume_title,
        "/Creator": base.CREATOR,
        "/Producer": base.CREATOR,
        "/CreationDate": base.pdf_date(at_midnight(cover.filed_on)),
    })
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------- case summary


@dataclass(frozen=True)
class CaseSummary:
    """卷宗情况说明: how the case came, what was done, how it ended and why."""

    case_number: str
    case_id: int
    lines: tuple[str, ...]
    written_by: str
    written_on: date


SUMMARY_TITLE = "卷宗情况说明"


def render_case_summary(summary: CaseSummary, issuer: Issuer) -> bytes:
    styles = form_styles()
    width = base.A4_PORTRAIT.frame_width
    story: list[Flowable] = [title(SUMMARY_TITLE), Spacer(0, 2 * mm)]
    for line in summary.lines:
        story += paragraphs(line, styles.body, empty="")
    story += [
        Spacer(0, 8 * mm),
        layout.signature(plain_table(
            [["", Paragraph(f"说明人：{base.escape(summary.written_by, styles.line.fontName)}", styles.line)],
             ["", Paragraph(cn_date(summary.written_on), styles.line)]],
            [width - 60 * mm, 60 * mm])),
    ]
    info = FormInfo("case-summary", summary.case_id, SUMMARY_TITLE, summary.case_number, issuer,
                    at_midnight(summary.written_on))
    return render_form(story, info)

