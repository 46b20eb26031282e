"""The month's case-based subsidy statements (以案定补), as PDF and as an XLSX workbook.

The PDF opens with the summary the 司法所 signs (per mediator: cases paid, cases refused, amount;
the grand total in figures and in Chinese capitals 大写 as finance forms write it; the rules in
force; signature lines), then one statement per mediator on its own page (each case paid with
its tier and why, each case refused with the reason; the mediator's signature), on landscape A4
for the width of the cases' tables. A draft — a month not issued yet — says so in every heading.
Money is printed in yuan with two decimals.

The figures come from ``services.subsidies`` (the issued statement, or a draft computed now); this
module only lays them out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime, time

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from ..readmodels.amounts import to_capitals
from ..readmodels.subsidies import LEVELS, TIERS, MediatorStatement, MonthStatement, yuan, yuan_text
from . import base, layout
from .fonts import FONT_NAME
from .forms import BLANK_DATE

SUMMARY_TITLE = "以案定补补贴汇总表"
STATEMENT_TITLE = "以案定补补贴结算单"
SUMMARY_HEADER = ("序号", "调解员", "类别", "补贴案件（件）", "不予补贴（件）", "补贴金额（元）")
#: The columns of a mediator's statement (shares of the text width): the 案号 column grows to its
#: widest number, up to NUMBER_MAX_SHARE of the width.
PAID_WIDTHS = (0.05, 0.2, 0.2, 0.1, 0.08, 0.25, 0.12)
REFUSED_WIDTHS = (0.05, 0.2, 0.2, 0.1, 0.45)
NUMBER_MAX_SHARE = 0.3
#: reportlab's default left and right padding of a table cell.
CELL_PADDING = 6.0
PAID_HEADER = ("序号", "案号", "案件名称", "结案日期", "档次", "认定依据及说明", "金额（元）")
REFUSED_HEADER = ("序号", "案号", "案件名称", "结案日期", "不予补贴原因")
DRAFT_NOTE = "草稿：本月结算尚未出具，数字可能变动，不作发放依据。"


def capitals(fen: int) -> str:
    """The amount in capitals as a finance form writes it: 人民币壹佰贰拾伍元叁角肆分."""
    return "人民币" + to_capitals(yuan(fen))


def _suffix(statement: MonthStatement) -> str:
    return "（草稿）" if statement.draft else ""


def _issued_line(statement: MonthStatement) -> str:
    if statement.issued_at is None:
        return DRAFT_NOTE
    by = f"，出具人{statement.issued_by}" if statement.issued_by else ""
    return f"本结算于{statement.issued_at:%Y年%m月%d日 %H:%M}出具{by}；校验码 {statement.sha256[:16]}。"


#: One mediator's line of the summary: name, kind, cases paid, cases refused, amount in fen.
Total = tuple[str, str, int, int, int]


def summary_totals(statement: MonthStatement) -> list[Total]:
    return [(m.name, m.kind, len(m.paid), len(m.refused), m.total_fen) for m in statement.mediators]


def summary_rows(totals: Sequence[Total]) -> list[list[str]]:
    """The summary's body as text, with its 合计 line last."""
    rows = [[str(i), name, kind or "—", str(paid), str(refused), yuan_text(fen)]
            for i, (name, kind, paid, refused, fen) in enumerate(totals, 1)]
    rows.append(["合计", "", "", str(sum(t[2] for t in totals)), str(sum(t[3] for t in totals)),
                 yuan_text(sum(t[4] for t in totals))])
    return rows


def _grid(data: list[list[Flowable]], widths: Sequence[float], *, header_rows: int = 1,
          total_row: bool = False) -> Table:
    table = Table(data, colWidths=list(widths), repeatRows=header_rows)
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("GRID", (0, 0), (-1, -1), 0.6, base.GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), base.LABEL_BACKGROUND),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if total_row:
        commands.append(("SPAN", (0, -1), (2, -1)))
    table.setStyle(TableStyle(commands))
    return table


def _signatures(parts: Sequence[str], styles: base.Styles, width: float) -> Flowable:
    rows = [[base.paragraph(parts[i], styles.cell), base.paragraph(parts[i + 1], styles.cell) if i + 1 < len(parts)
             else Spacer(1, 1)] for i in range(0, len(parts), 2)]
    table = Table(rows, colWidths=[width / 2] * 2, style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 5 * mm), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return layout.signature(table)


def _summary_story(statement: MonthStatement, totals: Sequence[Total], styles: base.Styles,
                   width: float) -> list[Flowable]:
    number = ParagraphStyle("number", parent=styles.cell, alignment=TA_RIGHT)

    def p(text: str, style: ParagraphStyle = styles.cell) -> Paragraph:
        return base.paragraph(text, style)

    story: list[Flowable] = [
        base.Heading(SUMMARY_TITLE + _suffix(statement), base.ZIHAO["小二"], letter_spacing=2),
        p(f"（{statement.month_text}）", styles.label),
        Spacer(1, 2 * mm),
        p(f"填报单位：{statement.issuing_center}"),
        p(f"适用层级：{LEVELS.get(statement.level, statement.level)}　　"
          f"适用规则：{int(statement.rule_month[:4])}年{int(statement.rule_month[5:])}月起施行的版本　　单位：元"),
        Spacer(1, 2 * mm),
    ]
    header = [[p(text, styles.label) for text in SUMMARY_HEADER]]
    body = [[p(text, number) if i >= 3 else p(text) for i, text in enumerate(row)] for row in summary_rows(totals)]
    widths = [w * width for w in (0.07, 0.23, 0.2, 0.16, 0.16, 0.18)]
    story.append(_grid(header + body, widths, total_row=True))
    story.append(Spacer(1, 2 * mm))
    grand = sum(t[4] for t in totals)
    story.append(p(f"合计金额（大写）：{capitals(grand)}"))
    story.append(p(f"合计金额（小写）：¥{yuan_text(grand)}"))
    story.append(Spacer(1, 2 * mm))
    story.append(p("说明：", styles.small))
    story.extend(p(f"{i}. {line}", styles.small) for i, line in enumerate(statement.rule_lines, 1))
    story.append(p(_issued_line(statement), styles.small))
    story.append(_signatures(("制表人：", "中心负责人：", "司法所审核人：", "司法所（盖章）",
                              f"日期：{BLANK_DATE}", f"日期：{BLANK_DATE}"), styles, width))
    return story


def _number_column(widths: list[float], numbers: Sequence[str], styles: base.Styles, width: float,
                   donors: Sequence[int]) -> list[float]:
    """``widths`` with the 案号 column (the second) as wide as the widest of ``numbers`` (a
    six-digit or a township's number), up to :data:`NUMBER_MAX_SHARE` of the width; the room
    comes from the ``donors``, columns of text that wraps anyway."""
    needed = layout.column_width(numbers, styles.cell.fontName, styles.cell.fontSize, padding=2 * CELL_PADDING,
                                 minimum=widths[1], maximum=NUMBER_MAX_SHARE * width)
    return layout.widen(widths, 1, needed, donors)


def _mediator_story(statement: MonthStatement, mediator: MediatorStatement, styles: base.Styles,
                    width: float) -> list[Flowable]:
    number = ParagraphStyle("number", parent=styles.cell, alignment=TA_RIGHT)

    def p(text: str, style: ParagraphStyle = styles.cell) -> Paragraph:
        return base.paragraph(text, style)

    kind = f"（{mediator.kind}）" if mediator.kind else ""
    story: list[Flowable] = [
        base.Heading(STATEMENT_TITLE + _suffix(statement), base.ZIHAO["小二"], letter_spacing=2),
        p(f"（{statement.month_text}）", styles.label),
        Spacer(1, 2 * mm),
        p(f"调解员：{mediator.name}{kind}　　填报单位：{statement.issuing_center}　　单位：元"),
        Spacer(1, 1.5 * mm),
        p(f"一、补贴案件（{len(mediator.paid)}件）", styles.heading),
    ]
    numbers = [line.case_number for line in mediator.lines]
    widths = _number_column([w * width for w in PAID_WIDTHS], numbers, styles, width, donors=(2, 5))
    rows: list[list[Flowable]] = [[p(text, styles.label) for text in PAID_HEADER]]
    for i, line in enumerate(mediator.paid, 1):
        notes = "；".join(x for x in (line.why or "未达疑难复杂条件", line.share, line.refusal) if x)
        rows.append([p(str(i)), p(line.case_number), p(line.title), p(line.closed_on), p(TIERS.get(line.tier, "")),
                     p(notes), p(yuan_text(line.amount_fen), number)])
    rows.append([p("合计"), p(""), p(""), p(""), p(""), p(""), p(yuan_text(mediator.total_fen), number)])
    table = _grid(rows, widths)
    table.setStyle(TableStyle([("SPAN", (0, -1), (5, -1))]))
    story.append(table)
    story.append(Spacer(1, 1.5 * mm))
    story.append(p(f"补贴金额（大写）：{capitals(mediator.total_fen)}"))
    story.append(p(f"二、不予补贴案件（{len(mediator.refused)}件）", styles.heading))
    if mediator.refused:
        refused: list[list[Flowable]] = [[p(text, styles.label) for text in REFUSED_HEADER]]
        refused += [[p(str(i)), p(line.case_number), p(line.title), p(line.closed_on), p(line.refusal)]
                    for i, line in enumerate(mediator.refused, 1)]
        story.append(_grid(refused, _number_column([w * width for w in REFUSED_WIDTHS], numbers, styles, width,
                                                   donors=(2, 4))))
    else:
        story.append(p("（无）"))
    story.append(Spacer(1, 1.5 * mm))
    story.append(p(_issued_line(statement), styles.small))
    story.append(_signatures(("调解员（签字）：", f"日期：{BLANK_DATE}"), styles, width))
    return story


def _created(statement: MonthStatement) -> datetime:
    if statement.issued_at is not None:
        return statement.issued_at
    year, month = int(statement.month[:4]), int(statement.month[5:])
    return datetime.combine(datetime(year, month, 1).date(), time(9, 0))


def render_pdf(statement: MonthStatement, *, summary: bool = True) -> bytes:
    """The summary (unless ``summary`` is False) and each mediator's statement on its own pages."""
    styles = base.make_styles(base.ZIHAO["五号"])
    page = base.A4_LANDSCAPE
    width = page.frame_width
    story: list[Flowable] = []
    if summary:
        story += _summary_story(statement, summary_totals(statement), styles, width)
    for mediator in statement.mediators:
        if mediator.lines:
            if story:
                story.append(PageBreak())
            story += _mediator_story(statement, mediator, styles, width)
    if not story:
        story = _summary_story(statement, summary_totals(statement), styles, width)
    return _build(statement, story, page)


def render_summary_pdf(statement: MonthStatement, totals: Sequence[Total]) -> bytes:
    """The summary alone, from the totals of an issued month (what the administrator prints)."""
    styles = base.make_styles(base.ZIHAO["五号"])
    page = base.A4_LANDSCAPE
    return _build(statement, _summary_story(statement, totals, styles, page.frame_width), page)


def _build(statement: MonthStatement, story: list[Flowable], page: base.PageSetup) -> bytes:
    info = base.DocumentInfo(title=f"{SUMMARY_TITLE}（{statement.month_text}）{_suffix(statement)}",
                             author=statement.issuing_center, created=_created(statement), subject="以案定补",
                             keywords=("以案定补", statement.month))
    return base.build_pdf(layout.keep_signatures(story, (page.frame_width, page.frame_height)), info, page=page)


# --------------------------------------------------------------------------- XLSX


def render_xlsx(statement: MonthStatement) -> bytes:
    """Two sheets: 汇总 (per mediator, the totals the PDF's summary shows) and 明细 (every case of
    every mediator, paid and refused). Amounts are numbers in yuan with a money format."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "汇总"
    money = "#,##0.00"
    bold = Font(bold=True)
    sheet.append([f"{SUMMARY_TITLE}（{statement.month_text}）{_suffix(statement)}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"填报单位：{statement.issuing_center}",
                  f"适用层级：{LEVELS.get(statement.level, statement.level)}",
                  f"适用规则：{statement.rule_month} 起"])
    sheet.append(list(SUMMARY_HEADER))
    for cell in sheet[3]:
        cell.font = bold
    for i, m in enumerate(statement.mediators, 1):
        sheet.append([i, m.name, m.kind or "—", len(m.paid), len(m.refused), yuan(m.total_fen)])
        sheet.cell(sheet.max_row, 6).number_format = money
    sheet.append(["合计", None, None, sum(len(m.paid) for m in statement.mediators),
                  sum(len(m.refused) for m in statement.mediators), yuan(statement.total_fen)])
    total_row = sheet.max_row
    sheet.cell(total_row, 6).number_format = money
    for cell in sheet[total_row]:
        cell.font = bold
    sheet.append(["合计金额（大写）", capitals(statement.total_fen)])
    for rule in statement.rule_lines:
        sheet.append([rule])
    sheet.append([_issued_line(statement)])
    sheet.append(["制表人：", None, "中心负责人：", None, "司法所审核人：", None])
    for column, chars in zip("ABCDEF", (10, 16, 14, 14, 14, 16), strict=True):
        sheet.column_dimensions[column].width = chars

    detail = book.create_sheet("明细")
    detail.append(["调解员", "案号", "案件名称", "结案日期", "档次", "认定依据及说明", "金额（元）", "不予补贴原因"])
    for cell in detail[1]:
        cell.font = bold
    for m in statement.mediators:
        for line in m.lines:
            notes = "；".join(x for x in (line.why, line.share) if x)
            detail.append([m.name, line.case_number, line.title, line.closed_on, TIERS.get(line.tier, ""), notes,
                           yuan(line.amount_fen), line.refusal])
            detail.cell(detail.max_row, 7).number_format = money
            detail.cell(detail.max_row, 8).alignment = Alignment(wrap_text=True)
    for column, chars in zip("ABCDEFGH", (10, 24, 24, 12, 8, 30, 12, 40), strict=True):
        detail.column_dimensions[column].width = chars
    book.properties.title = f"{SUMMARY_TITLE}（{statement.month_text}）"
    book.properties.creator = base.CREATOR
    book.properties.created = book.properties.modified = _created(statement)
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def _stamped(stamp: bytes) -> Callable[[re.Match[bytes]], bytes]:
    def replace(match: re.Match[bytes]) -> bytes:
        return match.group(1) + stamp + match.group(2)

    return replace


def _fixed_zip_times(data: bytes) -> bytes:
    """The same workbook with every member dated 1980-01-01 and its "modified" property equal to
    its "created" one, so an issued month exports as the same bytes every time (openpyxl stamps
    both the members and the property with the moment of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                created = _CREATED.search(content)
                if created is not None:
                    content = _MODIFIED.sub(_stamped(created.group(1)), content)
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, content)
    return out.getvalue()
