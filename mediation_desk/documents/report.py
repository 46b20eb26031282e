"""The monthly statistical report (人民调解工作统计表), as PDF and as an XLSX workbook.

Both carry the same table, laid out like the statistical forms the judicial bureau collects:
a header with the reporting unit and period, the cases by dispute type with their results and
amounts, the cases by source, the key rates, and the signature line (填报人 / 负责人 / 报送日期).
The figures come from services.statistics (``load_monthly_report``), so the report and the dashboard
never disagree; this module only lays them out.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import datetime, time
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from ..models.enums import SourceChannel
from ..readmodels.hotline import COMBINED_FORMULA, HotlineRates
from ..readmodels.publicity import COUNT_DEFINITIONS
from ..readmodels.ratings import SHARE_FORMULA, RatingFigures, rating_rows
from ..readmodels.statistics import FORMULAS, Figure, MonthlyReport, Outcome
from . import base
from .fonts import FONT_NAME

TITLE = "人民调解工作统计表"
OUTCOME_COLUMNS = tuple(Outcome)
#: The head of the main table, row by row; "" continues the cell above or to the left (merged).
TYPE_HEADER = (
    ("纠纷类型", "收案数", "办理结果（件）", "", "", "", "", "", "调解成功率", "涉及金额（元）"),
    ("", "", *(o.label for o in OUTCOME_COLUMNS), "小计", "", ""),
)
SOURCE_HEADER = ("案件来源", "收案数", *(o.label for o in OUTCOME_COLUMNS), "小计")


def _rate(numerator: int, denominator: int) -> str:
    if not denominator:
        return "—"
    return f"{(Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal('0.01'))}%"


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def type_table_rows(report: MonthlyReport) -> list[list[str]]:
    """The body of the main table as text, with its 合计 line last."""
    rows: list[list[str]] = []
    totals = dict.fromkeys(OUTCOME_COLUMNS, 0)
    for row in report.figures.type_rows:
        ended = [row.outcomes.get(o, 0) for o in OUTCOME_COLUMNS]
        for outcome, n in zip(OUTCOME_COLUMNS, ended, strict=True):
            totals[outcome] += n
        succeeded, failed = row.outcomes.get(Outcome.SUCCEEDED, 0), row.outcomes.get(Outcome.FAILED, 0)
        rows.append([row.name, str(row.received), *(str(n) for n in ended), str(sum(ended)),
                     _rate(succeeded, succeeded + failed), _money(row.amount)])
    figs = report.figures
    rows.append(["合计", str(figs.received.count), *(str(totals[o]) for o in OUTCOME_COLUMNS),
                 str(sum(totals.values())), figs.success_rate.text(), _money(figs.amount.total)])
    return rows


def source_table_rows(report: MonthlyReport) -> list[list[str]]:
    figs = report.figures
    rows = []
    for bucket in figs.by_source.buckets:
        outcomes = figs.source_outcomes.get(SourceChannel(bucket.key), {})
        ended = [outcomes.get(o, 0) for o in OUTCOME_COLUMNS]
        rows.append([bucket.label, str(bucket.count), *(str(n) for n in ended), str(sum(ended))])
    rows.append(["合计", str(figs.by_source.total), *(str(figs.by_result.count(o.value)) for o in OUTCOME_COLUMNS),
                 str(figs.by_result.total)])
    return rows


def key_figures(report: MonthlyReport) -> list[tuple[str, str]]:
    figs = report.figures
    return [
        ("收案数", f"{figs.received.count} 件"),
        ("办结数", f"{figs.by_result.total} 件"),
        ("调解成功率", f"{figs.success_rate.text()}（{figs.success_rate.numerator}/{figs.success_rate.denominator}）"),
        ("按期调结率", f"{figs.on_time_rate.text()}（{figs.on_time_rate.numerator}/{figs.on_time_rate.denominator}）"),
        ("回访满意率", f"{figs.satisfaction_rate.text()}"
                       f"（{figs.satisfaction_rate.numerator}/{figs.satisfaction_rate.denominator}）"),
        ("涉及金额", f"{_money(figs.amount.total)} 元"),
        ("办理群体性纠纷", f"{figs.group_disputes.count} 件"),
        ("防止民转刑", f"{figs.escalations_prevented.count} 件"),
        ("超期案件", f"{figs.overdue.count} 件（截至{figs.today.year}年{figs.today.month}月{figs.today.day}日）"),
    ]


FOOTNOTE_FIGURES = (Figure.RECEIVED, Figure.BY_RESULT, Figure.SUCCESS_RATE, Figure.ON_TIME_RATE,
                    Figure.SATISFACTION_RATE, Figure.GROUP_DISPUTES, Figure.ESCALATIONS_PREVENTED, Figure.OVERDUE)


def _signature_parts(report: MonthlyReport) -> tuple[str, str, str]:
    day = report.submitted_on
    submitted = f"{day.year}年{day.month}月{day.day}日" if day else "____年__月__日"
    return (f"填报人：{report.reporter or '__________'}", f"负责人：{report.responsible or '__________'}",
            f"报送日期：{submitted}")


def _signature_line(report: MonthlyReport) -> str:
    return "        ".join(_signature_parts(report))


# --------------------------------------------------------------------------- PDF


def _grid(data: list[list[Paragraph]], widths: Sequence[float], spans: Sequence[tuple[tuple[int, int],
          tuple[int, int]]], header_rows: int) -> Table:
    table = Table(data, colWidths=list(widths), repeatRows=header_rows)
    commands: list[tuple[object, ...]] = [
        # Spanned cells are drawn too, in the table's font: reportlab's default is an unembedded Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("GRID", (0, 0), (-1, -1), 0.6, base.GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), base.LABEL_BACKGROUND),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F7F7F7")),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    commands.extend(("SPAN", a, b) for a, b in spans)
    table.setStyle(TableStyle(commands))
    return table


def hotline_rows(rates: HotlineRates) -> list[list[str]]:
    """The 12345 block: each rate with its count, and the combined score with its weights."""
    rows = [["12345 工单", *(r.name for r in rates.rates), "综合得分"]]
    rows.append(["数值", *(r.text() for r in rates.rates), rates.combined_text()])
    rows.append(["计算", *(f"{r.numerator}/{r.denominator}" for r in rates.rates), f"权重 {rates.weights_text()}"])
    return rows


def _hotline_block(rates: HotlineRates, width: float, p: Callable[..., Paragraph], heading: ParagraphStyle,
                   small: ParagraphStyle) -> Flowable:
    rows = [[p(text) for text in row] for row in hotline_rows(rates)]
    table = _grid(rows, [width * w for w in (0.2, 0.2, 0.2, 0.2, 0.2)], [], header_rows=1)
    formulas = [p(f"{r.formula}", small) for r in rates.rates] + [p(COMBINED_FORMULA, small)]
    return KeepTogether([p("12345 热线工单“三率”", heading), table, Spacer(1, 1 * mm), *formulas,
                         Spacer(1, 2 * mm)])


def _rating_block(figures: RatingFigures, width: float, p: Callable[..., Paragraph], heading: ParagraphStyle,
                  small: ParagraphStyle) -> Flowable:
    rows = [[p(text) for text in row] for row in rating_rows(figures)]
    widths = [width * w for w in (0.16, 0.08, 0.1, 0.1, 0.1, 0.1, 0.12, 0.14, 0.1)]
    table = _grid(rows, widths, [], header_rows=1)
    return KeepTogether([p("窗口登记“好差评”", heading), table, Spacer(1, 1 * mm), p(SHARE_FORMULA, small),
                         Spacer(1, 2 * mm)])


def render_pdf(report: MonthlyReport) -> bytes:
    """The report on landscape A4 with embedded fonts; "第 N 页 共 M 页" in the footer."""
    styles = base.make_styles(base.ZIHAO["五号"])
    page = base.A4_LANDSCAPE
    width = page.frame_width
    cell = styles.label
    number = ParagraphStyle("number", parent=styles.label, alignment=TA_RIGHT)
    small = ParagraphStyle("note", parent=styles.small, leading=styles.small.fontSize * 1.3)

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return base.paragraph(text, style)

    story: list[Flowable] = [
        base.Heading(TITLE, base.ZIHAO["小二"], letter_spacing=4),
        p(f"（{report.month_text}）", styles.label),
        Spacer(1, 1.5 * mm),
        Table([[p(f"填报单位：{report.center_name}", styles.cell),
                p(f"统计期：{report.period_text}", styles.cell),
                p("单位：件、元", ParagraphStyle("unit", parent=styles.cell, alignment=TA_RIGHT))]],
              colWidths=[width * 0.4, width * 0.4, width * 0.2],
              style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0)])),
        Spacer(1, 1.5 * mm),
    ]
    type_widths = [w * width for w in (0.14, 0.08, 0.08, 0.08, 0.07, 0.07, 0.08, 0.07, 0.12, 0.21)]
    header = [[p(text) for text in row] for row in TYPE_HEADER]
    body = [[p(text) if i == 0 else p(text, number) for i, text in enumerate(row)] for row in type_table_rows(report)]
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (7, 0)), ((8, 0), (8, 1)), ((9, 0), (9, 1))]
    story.append(_grid(header + body, type_widths, spans, header_rows=2))
    # The form's own foot, as on the bureau's paper: who filled it in, who answers for it, when.
    story.append(Spacer(1, 1.5 * mm))
    story.append(Table([[p(part, styles.cell) for part in _signature_parts(report)]],
                       colWidths=[width / 3] * 3, style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                                                                    ("LEFTPADDING", (0, 0), (-1, -1), 0)])))
    story.append(Spacer(1, 2 * mm))

    source_widths = [w * width for w in (0.2, 0.12, 0.12, 0.12, 0.11, 0.11, 0.11, 0.11)]
    source = [[p(text) for text in SOURCE_HEADER]] + [
        [p(text) if i == 0 else p(text, number) for i, text in enumerate(row)] for row in source_table_rows(report)]
    story.append(KeepTogether([p("按案件来源统计", styles.heading), _grid(source, source_widths, [], header_rows=1)]))
    story.append(Spacer(1, 2 * mm))

    figures = key_figures(report)
    pairs = [figures[i:i + 3] for i in range(0, len(figures), 3)]
    key_rows = [[p(item, cell if j % 2 == 0 else styles.cell) for name, value in row for j, item in
                 enumerate((name, value))] for row in pairs]
    key_table = _grid(key_rows, [width * w for w in (0.13, 0.203) * 3], [], header_rows=0)
    key_table.setStyle(TableStyle([("BACKGROUND", (c, 0), (c, -1), base.LABEL_BACKGROUND) for c in (0, 2, 4)]
                                  + [("BACKGROUND", (0, -1), (-1, -1), colors.white)]
                                  + [("BACKGROUND", (c, -1), (c, -1), base.LABEL_BACKGROUND) for c in (0, 2, 4)]))
    notes = [p("说明：", small)] + [p(f"{i}. {FORMULAS[f]}", small) for i, f in enumerate(FOOTNOTE_FIGURES, 1)]
    notes.append(p(f"{len(FOOTNOTE_FIGURES) + 1}. {COUNT_DEFINITIONS}", small))
    story.append(KeepTogether([p("主要指标", styles.heading), key_table, Spacer(1, 2 * mm)]))
    if report.hotline is not None:
        story.append(_hotline_block(report.hotline, width, p, styles.heading, small))
    if report.ratings is not None:
        story.append(_rating_block(report.ratings, width, p, styles.heading, small))
    story.extend(notes)
    if report.audit_anchor:
        story.append(p(report.audit_anchor, small))
    created = datetime.combine(report.submitted_on or report.figures.today, time(9, 0))
    info = base.DocumentInfo(title=f"{TITLE}（{report.month_text}）", author=report.center_name, created=created,
                             subject="人民调解工作月度统计", keywords=("统计", report.month))
    return base.build_pdf(story, info, page=page)


# --------------------------------------------------------------------------- XLSX


def render_xlsx(report: MonthlyReport) -> bytes:
    """The same report as one worksheet: merged header cells, numbers as numbers, percentages and
    money with number formats, so the bureau's own sheets can sum them."""
    # openpyxl ships no type information (types-openpyxl is not a dependency).
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = report.month_text
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head_fill = PatternFill("solid", fgColor="F2F2F2")
    font = "宋体"
    columns = len(TYPE_HEADER[0])

    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.cell(1, 1, f"{TITLE}（{report.month_text}）").font = Font(name=font, size=16, bold=True)
    sheet.cell(1, 1).alignment = centre
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    sheet.cell(2, 1, f"填报单位：{report.center_name}")
    sheet.merge_cells(start_row=2, start_column=6, end_row=2, end_column=9)
    sheet.cell(2, 6, f"统计期：{report.period_text}")
    sheet.cell(2, columns, "单位：件、元").alignment = Alignment(horizontal="right")

    def header_cell(row: int, column: int, value: str) -> None:
        target = sheet.cell(row, column, value or None)
        target.alignment, target.border, target.fill = centre, border, head_fill
        target.font = Font(name=font, bold=True)

    top = 3
    for r, row in enumerate(TYPE_HEADER):
        for c, value in enumerate(row, 1):
            header_cell(top + r, c, value)
    for c in (1, 2, 9, 10):
        sheet.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
    sheet.merge_cells(start_row=top, start_column=3, end_row=top, end_column=8)

    def body_row(row_index: int, values: Sequence[object], formats: dict[int, str]) -> None:
        for c, value in enumerate(values, 1):
            target = sheet.cell(row_index, c, value)
            target.border = border
            target.font = Font(name=font, bold=values[0] == "合计")
            target.alignment = Alignment(horizontal="left" if c == 1 else "right", vertical="center")
            if c in formats:
                target.number_format = formats[c]

    row_index = top + 2
    figs = report.figures
    type_lines = [(r.name, r.received, [r.outcomes.get(o, 0) for o in OUTCOME_COLUMNS], r.amount)
                  for r in figs.type_rows]
    type_lines.append(("合计", figs.received.count, [figs.by_result.count(o.value) for o in OUTCOME_COLUMNS],
                       figs.amount.total))
    formats = {c: "0" for c in range(2, 9)} | {9: "0.00%", 10: "#,##0.00"}
    for name, received, ended, amount in type_lines:
        succeeded, failed = ended[0], ended[1]
        share = float(Decimal(succeeded) / Decimal(succeeded + failed)) if succeeded + failed else None
        body_row(row_index, [name, received, *ended, sum(ended), share if share is not None else "—", amount],
                 formats)
        row_index += 1

    row_index += 1
    sheet.cell(row_index, 1, "按案件来源统计").font = Font(name=font, bold=True, size=12)
    row_index += 1
    for c, value in enumerate(SOURCE_HEADER, 1):
        header_cell(row_index, c, value)
    row_index += 1
    for line in source_table_rows(report):
        body_row(row_index, [line[0], *(int(v) for v in line[1:])], {c: "0" for c in range(2, 9)})
        row_index += 1

    row_index += 1
    sheet.cell(row_index, 1, "主要指标").font = Font(name=font, bold=True, size=12)
    row_index += 1
    counts = {"收案数": figs.received.count, "办结数": figs.by_result.total,
              "办理群体性纠纷": figs.group_disputes.count, "防止民转刑": figs.escalations_prevented.count,
              "超期案件": figs.overdue.count}
    rates = {"调解成功率": figs.success_rate, "按期调结率": figs.on_time_rate, "回访满意率": figs.satisfaction_rate}
    for name, value in key_figures(report):
        header_cell(row_index, 1, name)
        sheet.merge_cells(start_row=row_index, start_column=2, end_row=row_index, end_column=4)
        rate = rates.get(name)
        if rate is not None and rate.percent is not None:
            target = sheet.cell(row_index, 2, float(rate.percent / 100))
            target.number_format = "0.00%"
            sheet.cell(row_index, 5, f"{rate.numerator}/{rate.denominator}")
        elif name == "涉及金额":
            target = sheet.cell(row_index, 2, figs.amount.total)
            target.number_format = "#,##0.00"
        elif name in counts:
            # Numbers stay numbers; the unit is only the cell's format.
            target = sheet.cell(row_index, 2, counts[name])
            target.number_format = '0" 件"'
            if name == "超期案件":
                sheet.cell(row_index, 5, f"截至{figs.today.year}年{figs.today.month}月{figs.today.day}日")
        else:
            target = sheet.cell(row_index, 2, value)
        target.border = border
        target.alignment = Alignment(horizontal="left")
        row_index += 1

    if report.hotline is not None:
        row_index += 1
        sheet.cell(row_index, 1, "12345 热线工单“三率”").font = Font(name=font, bold=True, size=12)
        for hotline_values in hotline_rows(report.hotline):
            row_index += 1
            for place, hotline_value in enumerate(hotline_values, 1):
                sheet.cell(row_index, place, hotline_value).border = border
        for formula in [r.formula for r in report.hotline.rates] + [COMBINED_FORMULA]:
            row_index += 1
            sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=columns)
            sheet.cell(row_index, 1, formula).alignment = Alignment(wrap_text=True)
    if report.ratings is not None:
        row_index += 1
        sheet.cell(row_index, 1, "窗口登记“好差评”").font = Font(name=font, bold=True, size=12)
        for rating_values in rating_rows(report.ratings):
            row_index += 1
            for place, rating_value in enumerate(rating_values, 1):
                sheet.cell(row_index, place, rating_value).border = border
        row_index += 1
        sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=columns)
        sheet.cell(row_index, 1, SHARE_FORMULA).alignment = Alignment(wrap_text=True)
    row_index += 1
    sheet.cell(row_index, 1, "说明：")
    for i, figure in enumerate(FOOTNOTE_FIGURES, 1):
        row_index += 1
        sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=columns)
        sheet.cell(row_index, 1, f"{i}. {FORMULAS[figure]}").alignment = Alignment(wrap_text=True)
    row_index += 1
    sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=columns)
    sheet.cell(row_index, 1, f"{len(FOOTNOTE_FIGURES) + 1}. {COUNT_DEFINITIONS}").alignment = Alignment(
        wrap_text=True)
    row_index += 2
    sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=columns)
    sheet.cell(row_index, 1, _signature_line(report))
    if report.audit_anchor:
        row_index += 1
        sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=columns)
        sheet.cell(row_index, 1, report.audit_anchor)

    for column, chars in zip("ABCDEFGHIJ", (16, 9, 10, 10, 8, 8, 10, 8, 12, 18), strict=True):
        sheet.column_dimensions[column].width = chars
    sheet.freeze_panes = sheet.cell(top + 2, 2)
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    book.properties.title = f"{TITLE}（{report.month_text}）"
    book.properties.creator = base.CREATOR
    # A fixed timestamp, so the same month exported twice is the same workbook content.
    book.properties.created = book.properties.modified = datetime.combine(
        report.submitted_on or figs.today, time(9, 0))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
