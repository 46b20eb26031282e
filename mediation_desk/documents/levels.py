"""The 矛盾纠纷排查调处情况表 by level, as PDF (landscape A4) and as an XLSX workbook.

Both carry the same table: the reporting center, the month and the year to date; per level (县级,
乡镇级, 村级) a row pair per center (本月, 本年累计), a 小计 pair per level and the 合计; the
columns of readmodels.levels; the notes with each column's formula; 填报人, 审核人 and 填报日期.
The figures come from services.levels, so the PDF, the workbook and the view never disagree; this
module only lays them out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, time

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ..readmodels.levels import (
    COLUMNS,
    HEADINGS,
    NOTES,
    PEOPLE_BANDS,
    SPAN_LABELS,
    TITLE,
    LevelsTable,
    RowKind,
    Span,
)
from . import base, layout
from .fonts import FONT_NAME

BLANK_DATE = "____年__月__日"
UNIT_HEADER = ("单位", "期间")
PEOPLE_BANDS_COLUMNS = frozenset(band for band, _least, _most in PEOPLE_BANDS)


def header_rows() -> list[list[str]]:
    """The table's head in two rows; "" continues the cell above or to the left (merged)."""
    top: list[str] = list(UNIT_HEADER)
    sub: list[str] = ["", ""]
    previous = ""
    for column in COLUMNS:
        group, below = HEADINGS[column]
        top.append("" if group == previous and below else group)
        sub.append(below)
        previous = group
    return [top, sub]


def header_spans() -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(first, last) cells, as (column, row), of the merged head cells."""
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = [((0, 0), (0, 1)), ((1, 0), (1, 1))]
    top, sub = header_rows()
    c = len(UNIT_HEADER)
    while c < len(top):
        if not sub[c]:
            spans.append(((c, 0), (c, 1)))
            c += 1
            continue
        end = c
        while end + 1 < len(top) and top[end + 1] == "" and sub[end + 1]:
            end += 1
        if end > c:
            spans.append(((c, 0), (end, 0)))
        c = end + 1
    return spans


def body_rows(table: LevelsTable) -> list[list[str]]:
    """The body as text, two lines a row (本月, 本年累计); the unit's name on the first."""
    lines: list[list[str]] = []
    for row in table.rows:
        for span in Span:
            lines.append([row.name if span is Span.MONTH else "", SPAN_LABELS[span],
                          *(str(f.value) for f in row.figures(span))])
    return lines


def signature_parts(table: LevelsTable) -> tuple[str, str, str]:
    day = table.submitted_on
    filled = f"{day.year}年{day.month}月{day.day}日" if day else BLANK_DATE
    return (f"填报人：{table.reporter or '__________'}", f"审核人：{table.responsible or '__________'}",
            f"填报日期：{filled}")


def _created(table: LevelsTable) -> datetime:
    return datetime.combine(table.submitted_on or table.period_end, time(9, 0))


# --------------------------------------------------------------------------- PDF


def render_pdf(table: LevelsTable) -> bytes:
    """The table on landscape A4 with embedded fonts; its head repeats on every page."""
    styles = base.make_styles(base.ZIHAO["五号"])
    page = base.A4_LANDSCAPE
    width = page.frame_width
    size = base.ZIHAO["小五"]
    cell = ParagraphStyle("levelCell", parent=styles.cell, fontSize=size, leading=round(size * 1.3, 1))
    head = ParagraphStyle("levelHead", parent=cell, alignment=TA_CENTER)
    heading = ParagraphStyle("levelHeading", parent=head, fontSize=8, leading=10.4)
    number = ParagraphStyle("levelNumber", parent=cell, alignment=TA_RIGHT)
    small = ParagraphStyle("note", parent=styles.small, leading=styles.small.fontSize * 1.3)

    def p(text: str, style: ParagraphStyle = styles.cell) -> Paragraph:
        return base.paragraph(text, style)

    story: list[Flowable] = [
        base.Heading(TITLE, base.ZIHAO["小二"], letter_spacing=3),
        p(f"（{table.month_text}）", styles.label),
        Spacer(1, 1.5 * mm),
        Table([[p(f"填报单位：{table.center_name}"), p(f"本月：{table.period_text}"),
                p(f"本年累计：{table.year_text}"),
                p("单位：件、人", ParagraphStyle("unit", parent=styles.cell, alignment=TA_RIGHT))]],
              colWidths=[width * 0.34, width * 0.25, width * 0.29, width * 0.12],
              style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0)])),
        Spacer(1, 1.5 * mm),
    ]
    # The people bands' headings (101–500人) are the widest; the other figures are short numbers.
    figure_widths = [0.07 if column in PEOPLE_BANDS_COLUMNS else 0.052 for column in COLUMNS]
    widths = [width * w for w in (1 - 0.065 - sum(figure_widths), 0.065, *figure_widths)]
    data: list[list[Flowable]] = [[p(text, heading) for text in row] for row in header_rows()]
    body = body_rows(table)
    data += [[p(text, cell if i == 0 else head if i == 1 else number) for i, text in enumerate(line)]
             for line in body]
    grid = Table(data, colWidths=widths, repeatRows=2)
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("GRID", (0, 0), (-1, -1), 0.6, base.GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 1), base.LABEL_BACKGROUND),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    commands += [("SPAN", a, b) for a, b in header_spans()]
    for i, row in enumerate(table.rows):
        first = 2 + 2 * i
        commands.append(("SPAN", (0, first), (0, first + 1)))  # the unit's name over its two lines
        if row.kind is not RowKind.CENTER:
            commands.append(("BACKGROUND", (0, first), (-1, first + 1), colors.HexColor("#F7F7F7")))
    grid.setStyle(TableStyle(commands))
    story.append(grid)
    # The form's own foot under the table, as on the bureau's paper: who filled it in, who checked
    # it, when; kept on a page with the table's last rows.
    signatures = Table([[p(part) for part in signature_parts(table)]], colWidths=[width / 3] * 3,
                       style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                                         ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("TOPPADDING", (0, 0), (-1, -1), 3 * mm)]))
    story.append(layout.signature(signatures))
    story.append(Spacer(1, 2 * mm))
    story.append(p("说明：", small))
    story.extend(p(f"{i}. {note}", small) for i, note in enumerate(NOTES, 1))
    info = base.DocumentInfo(title=f"{TITLE}（{table.month_text}）", author=table.center_name,
                             created=_created(table), subject="矛盾纠纷排查调处分级统计",
                             keywords=("统计", "分级", table.month))
    return base.build_pdf(layout.keep_signatures(story, (page.frame_width, page.frame_height)), info, page=page)


# --------------------------------------------------------------------------- XLSX


def render_xlsx(table: LevelsTable) -> bytes:
    """The same table as one worksheet: merged head cells, every figure a number (the same
    numbers as the PDF), the notes and the signature line below."""
    # openpyxl ships no type information (types-openpyxl is not a dependency).
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.month_text
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head_fill = PatternFill("solid", fgColor="F2F2F2")
    total_fill = PatternFill("solid", fgColor="F7F7F7")
    font = "宋体"
    columns = len(UNIT_HEADER) + len(COLUMNS)

    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.cell(1, 1, f"{TITLE}（{table.month_text}）").font = Font(name=font, size=16, bold=True)
    sheet.cell(1, 1).alignment = centre
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=4)
    sheet.cell(2, 1, f"填报单位：{table.center_name}")
    sheet.merge_cells(start_row=2, start_column=5, end_row=2, end_column=8)
    sheet.cell(2, 5, f"本月：{table.period_text}")
    sheet.merge_cells(start_row=2, start_column=9, end_row=2, end_column=12)
    sheet.cell(2, 9, f"本年累计：{table.year_text}")
    sheet.cell(2, columns, "单位：件、人").alignment = Alignment(horizontal="right")

    top = 3
    for r, heads in enumerate(header_rows()):
        for c, head in enumerate(heads, 1):
            target = sheet.cell(top + r, c, head or None)
            target.alignment, target.border, target.fill = centre, border, head_fill
            target.font = Font(name=font, bold=True)
    for (c0, r0), (c1, r1) in header_spans():
        sheet.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)

    row_index = top + 2
    for row in table.rows:
        bold = row.kind is not RowKind.CENTER
        for span in Span:
            values: Sequence[object] = [row.name if span is Span.MONTH else None, SPAN_LABELS[span],
                                        *(f.value for f in row.figures(span))]
            for c, value in enumerate(values, 1):
                target = sheet.cell(row_index, c, value)
                target.border = border
                target.font = Font(name=font, bold=bold)
                target.alignment = Alignment(horizontal="left" if c == 1 else "center" if c == 2 else "right",
                                             vertical="center", wrap_text=c == 1)
                if c > len(UNIT_HEADER):
                    target.number_format = "0"
                if bold:
                    target.fill = total_fill
            row_index += 1
        sheet.merge_cells(start_row=row_index - 2, start_column=1, end_row=row_index - 1, end_column=1)

    row_index += 1
    sheet.cell(row_index, 1, "说明：")
    for i, note in enumerate(NOTES, 1):
        row_index += 1
        sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=columns)
        sheet.cell(row_index, 1, f"{i}. {note}").alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row_index].height = 30
    row_index += 2
    sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=columns)
    sheet.cell(row_index, 1, "        ".join(signature_parts(table)))

    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 10
    for c in range(len(UNIT_HEADER) + 1, columns + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 10
    sheet.freeze_panes = sheet.cell(top + 2, len(UNIT_HEADER) + 1)
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    book.properties.title = f"{TITLE}（{table.month_text}）"
    book.properties.creator = base.CREATOR
    # A fixed timestamp, so the same month exported twice is the same workbook content.
    book.properties.created = book.properties.modified = _created(table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["body_rows", "header_rows", "header_spans", "render_pdf", "render_xlsx", "signature_parts"]
