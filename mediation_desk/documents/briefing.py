"""The monthly risk briefing (风险研判报告) as PDF for the monthly meeting (docs/briefing.md).

Landscape A4: the center's header (title, month, 填报单位, the periods), the overview with the
grades' counts, a bar chart of the hot spots this month against last, the hot spots by center,
village, grid and dispute type, the repeat parties and places, the group disputes by people band,
the cases that may turn criminal, overdue and carded, the 12345 trend, and the graded case list
with every grade the head adjusted shown as "建议 → 调整" with its reason; the rules under it. The
figures come from services.briefing; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from ..models import RiskLevel
from ..readmodels.briefing import (
    GRADE_ORDER,
    GRADE_RULES,
    SPOT_TITLES,
    TITLE,
    WINDOW_DAYS,
    Briefing,
    Repeat,
    Spot,
    SpotKind,
)
from . import base, layout
from .fonts import FONT_NAME

#: At most this many rows per hot-spot table and bars in the chart (the rest: "其余 N 处").
TOP_SPOTS = 10
CHART_BARS = 8
#: Case numbers printed per repeat party or place (the rest by their count; all in the drill-down).
REPEAT_NUMBERS = 8
GRADE_COLOURS = {RiskLevel.RED: colors.HexColor("#C62828"), RiskLevel.ORANGE: colors.HexColor("#EF6C00"),
                 RiskLevel.YELLOW: colors.HexColor("#F9A825"), RiskLevel.BLUE: colors.HexColor("#1565C0")}
THIS_COLOUR = colors.HexColor("#C62828")
LAST_COLOUR = colors.HexColor("#9E9E9E")


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def period_text(b: Briefing) -> str:
    return f"{_day(b.period_start)}至{b.period_end.month}月{b.period_end.day}日"


def overview_rows(b: Briefing) -> list[list[str]]:
    counts = b.grade_counts()
    change = b.received.value - b.received_last.value
    adjusted = sum(1 for c in b.cases if c.adjusted is not None)
    red, orange, yellow, blue = GRADE_ORDER
    return [
        ["本月收案", str(b.received.value), "上月收案", str(b.received_last.value), "增减",
         f"{change:+d}" if change else "0"],
        ["可能民转刑", str(b.criminal.value), "超期未办结", str(b.overdue.value), "本月亮牌", str(b.carded.value)],
        ["重复当事人", str(len(b.repeat_parties)), "重复地点", str(len(b.repeat_places)),
         "列入研判", str(len(b.cases))],
        [f"{red.label}色风险", str(counts[red]), f"{orange.label}色风险", str(counts[orange]),
         f"{yellow.label}色风险", str(counts[yellow])],
        [f"{blue.label}色风险", str(counts[blue]), "其中主任调整", str(adjusted), "", ""],
    ]


def spot_rows(spots: Sequence[Spot]) -> list[list[str]]:
    rows = [[s.name, str(s.this.value), str(s.last.value), s.change_text] for s in spots[:TOP_SPOTS]]
    rest = spots[TOP_SPOTS:]
    if rest:
        rows.append([f"其余{len(rest)}处", str(sum(s.this.value for s in rest)), str(sum(s.last.value for s in rest)),
                     ""])
    return rows


def repeat_rows(repeats: Sequence[Repeat]) -> list[list[str]]:
    return [[r.label, str(r.cases.value), "、".join(r.numbers[:REPEAT_NUMBERS])
             + (f" 等{len(r.numbers)}件" if len(r.numbers) > REPEAT_NUMBERS else "")] for r in repeats]


def case_rows(b: Briefing) -> list[list[str]]:
    return [[c.number, c.title, c.center_name, str(c.people), c.reason_text, c.proposed.label,
             c.adjusted.label if c.adjusted is not None else "—",
             f"{c.adjust_reason}（{c.adjusted_by}）" if c.adjusted is not None else ""]
            for c in b.cases]


#: The graded list's columns (shares of the text width); 案号 grows to its widest number, up to
#: :data:`NUMBER_MAX_SHARE` of the width.
CASE_WIDTHS = (0.22, 0.1, 0.11, 0.045, 0.25, 0.065, 0.065, 0.145)
NUMBER_MAX_SHARE = 0.3
#: Left and right padding of the briefing's table cells.
CELL_PADDING = 2.5
CASE_HEADER = ("案号", "案件名称", "所属中心", "人数", "列入依据", "建议等级", "调整等级", "调整理由（调整人）")


def chart(b: Briefing, width: float, height: float = 62 * mm) -> Drawing:
    """The hot spots by center (or by village where the head reads one center): this month's bars
    beside last month's."""
    spots = list(b.spots_of(SpotKind.CENTER))
    if len(spots) <= 1 and b.spots_of(SpotKind.VILLAGE):
        spots = list(b.spots_of(SpotKind.VILLAGE))
    spots = spots[:CHART_BARS]
    drawing = Drawing(width, height)
    # Without it, the renderer starts with Helvetica (not embedded) before the first string.
    drawing.initialFontName = FONT_NAME
    bars = VerticalBarChart()
    bars.x, bars.y = 14 * mm, 14 * mm
    bars.width, bars.height = width - 60 * mm, height - 26 * mm
    bars.data = [[s.this.value for s in spots] or [0], [s.last.value for s in spots] or [0]]
    bars.categoryAxis.categoryNames = [s.name if len(s.name) <= 10 else s.name[:9] + "…" for s in spots] or [""]
    bars.categoryAxis.labels.fontName = FONT_NAME
    bars.categoryAxis.labels.fontSize = 7
    bars.valueAxis.labels.fontName = FONT_NAME
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    top = max([1, *bars.data[0], *bars.data[1]])
    step = max(1, (top + 4) // 5)
    bars.valueAxis.valueStep = step
    # A step of headroom over the highest bar, for its label.
    bars.valueAxis.valueMax = step * ((top + step - 1) // step + 1)
    bars.bars[0].fillColor = THIS_COLOUR
    bars.bars[1].fillColor = LAST_COLOUR
    bars.barLabels.fontName = FONT_NAME
    bars.barLabels.fontSize = 6.5
    bars.barLabelFormat = "%d"
    bars.barLabels.nudge = 5
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = width - 40 * mm, height - 16 * mm
    legend.fontName = FONT_NAME
    legend.fontSize = 8
    legend.colorNamePairs = [(THIS_COLOUR, f"本月（{b.period_start.month}月）"),
                             (LAST_COLOUR, f"上月（{(b.period_start.month - 2) % 12 + 1}月）")]
    drawing.add(legend)
    drawing.add(String(14 * mm, height - 6 * mm, "热点分布：本月与上月收案数", fontName=FONT_NAME, fontSize=9))
    return drawing


def render_pdf(b: Briefing) -> bytes:
    styles = base.make_styles(base.ZIHAO["五号"])
    page = base.A4_LANDSCAPE
    width = page.frame_width
    size = base.ZIHAO["小五"]
    cell = ParagraphStyle("briefCell", parent=styles.cell, fontSize=size, leading=round(size * 1.3, 1))
    head = ParagraphStyle("briefHead", parent=cell, alignment=TA_CENTER)
    number = ParagraphStyle("briefNumber", parent=cell, alignment=TA_RIGHT)
    small = ParagraphStyle("briefNote", parent=styles.small, leading=styles.small.fontSize * 1.3)

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return base.paragraph(text, style)

    def grid(header: Sequence[str], rows: list[list[str]], widths: Sequence[float], numeric: Sequence[int] = (),
             extra: Sequence[tuple[object, ...]] = ()) -> Table:
        data = [[p(h, head) for h in header]]
        data += [[p(text, number if i in numeric else cell) for i, text in enumerate(row)] for row in rows]
        if not rows:
            data.append([p("（无）", cell)] + [p("", cell) for _ in header[1:]])
        table = Table(data, colWidths=[width * w for w in widths], repeatRows=1)
        commands: list[tuple[object, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("GRID", (0, 0), (-1, -1), 0.6, base.GRID_COLOR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BACKGROUND", (0, 0), (-1, 0), base.LABEL_BACKGROUND),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), *extra]
        if not rows:
            commands.append(("SPAN", (0, 1), (-1, 1)))
        table.setStyle(TableStyle(commands))
        return table

    def section(title: str, *body: Flowable) -> Flowable:
        return KeepTogether([Spacer(1, 2.5 * mm), p(title, styles.heading), Spacer(1, 1 * mm), *body])

    story: list[Flowable] = [
        base.Heading(TITLE, base.ZIHAO["小二"], letter_spacing=3),
        p(f"（{b.month_text}）", styles.label),
        Spacer(1, 1.5 * mm),
        Table([[p(f"填报单位：{b.center_name}"), p(f"研判期：{period_text(b)}")],
               [p(f"重复统计窗口：{_day(b.window_start)}至{b.period_end.month}月{b.period_end.day}日（{WINDOW_DAYS}日）"),
                p(f"超期统计日：{_day(b.today)}")]],
              colWidths=[width * 0.5, width * 0.5],
              style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0)])),
        Spacer(1, 1.5 * mm),
    ]
    overview = overview_rows(b)
    grade_cells = [("TEXTCOLOR", (c, r), (c, r), GRADE_COLOURS[g])
                   for r, row in enumerate(overview) for c, text in enumerate(row)
                   for g in GRADE_ORDER if text == f"{g.label}色风险"]
    story.append(section("一、总体情况", Table(
        [[p(text, number if i % 2 else cell) for i, text in enumerate(row)] for row in overview],
        colWidths=[width * w for w in (0.2, 0.13) * 3],
        style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("GRID", (0, 0), (-1, -1), 0.6, base.GRID_COLOR),
                          *[("BACKGROUND", (c, 0), (c, -1), base.LABEL_BACKGROUND) for c in (0, 2, 4)],
                          ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                          *grade_cells]))))
    story.append(section("二、热点分布（按收案数，本月与上月）", chart(b, width)))
    spot_widths = (0.3, 0.06, 0.06, 0.06)  # twice, and 0.04 between
    pairs = [(SpotKind.CENTER, SpotKind.TYPE), (SpotKind.VILLAGE, SpotKind.GRID)]
    for left, right in pairs:
        # Two tables side by side as one (a blank column between), so a long pair splits across
        # pages row by row instead of moving whole to the next page.
        sides = [spot_rows(b.spots_of(k)) or [["（无）", "", "", ""]] for k in (left, right)]
        height = max(len(rows) for rows in sides)
        data = [[p(h, head) for h in (SPOT_TITLES[left], "本月", "上月", "增减")] + [p("")]
                + [p(h, head) for h in (SPOT_TITLES[right], "本月", "上月", "增减")]]
        for i in range(height):
            line: list[Flowable] = []
            for side, rows in enumerate(sides):
                texts = rows[i] if i < len(rows) else ["", "", "", ""]
                line += [p(t, number if c else cell) for c, t in enumerate(texts)]
                if side == 0:
                    line.append(p(""))
            data.append(line)
        commands: list[tuple[object, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("BACKGROUND", (0, 0), (3, 0), base.LABEL_BACKGROUND),
            ("BACKGROUND", (5, 0), (8, 0), base.LABEL_BACKGROUND)]
        for first, rows in ((0, sides[0]), (5, sides[1])):
            commands.append(("GRID", (first, 0), (first + 3, len(rows)), 0.6, base.GRID_COLOR))
        story.append(Spacer(1, 2 * mm))
        story.append(Table(data, colWidths=[width * w for w in (*spot_widths, 0.04, *spot_widths)], repeatRows=1,
                           style=TableStyle(commands)))
    story.append(section(f"三、重复当事人（{WINDOW_DAYS}日内2件以上）",
                         grid(("当事人", "件数", "案号"), repeat_rows(b.repeat_parties), (0.3, 0.06, 0.64),
                              numeric=(1,))))
    story.append(section(f"四、重复地点（{WINDOW_DAYS}日内2件以上）",
                         grid(("地点", "件数", "案号"), repeat_rows(b.repeat_places), (0.3, 0.06, 0.64),
                              numeric=(1,))))
    story.append(section("五、群体性纠纷（本月收案，按涉及人数）",
                         grid([label for label, _c in b.group_bands],
                              [[str(c.value) for _l, c in b.group_bands]], [0.25] * 4,
                              numeric=tuple(range(4)))))
    rates = [[name, this, last] for name, this, last in b.hotline.rates]
    story.append(section(
        "六、12345热线诉求",
        grid(("项目", "本月", "上月"),
             [["工单数", str(b.hotline.this.value), str(b.hotline.last.value)], *rates],
             (0.2, 0.15, 0.15), numeric=(1, 2))))
    grade_marks = [("TEXTCOLOR", (5, r), (6, r), GRADE_COLOURS[case.grade])
                   for r, case in enumerate(b.cases, 1)]
    story.append(Spacer(1, 2.5 * mm))
    story.append(p("七、风险分级清单（建议等级由下列规则得出；主任调整的，建议与调整并列并注明理由）", styles.heading))
    story.append(Spacer(1, 1 * mm))
    # The 案号 column fits the widest number (a township's, a six-digit one), the room taken from
    # 列入依据 and 调整理由, which wrap anyway.
    case_widths = [w * width for w in CASE_WIDTHS]
    number_width = layout.column_width((c.number for c in b.cases), FONT_NAME, size, padding=2 * CELL_PADDING,
                                       minimum=case_widths[0], maximum=NUMBER_MAX_SHARE * width)
    case_widths = layout.widen(case_widths, 0, number_width, donors=(4, 7))
    story.append(grid(CASE_HEADER, case_rows(b), [w / width for w in case_widths], numeric=(3,),
                      extra=grade_marks))
    story.append(Spacer(1, 2 * mm))
    story.append(p("分级规则：", small))
    for grade in GRADE_ORDER:
        rules = "；".join(words for g, words in GRADE_RULES.values() if g is grade)
        otherwise = "；或列入上述各项而不属更高等级" if grade is RiskLevel.BLUE else ""
        story.append(p(f"{grade.label}色：{rules}{otherwise}", small))
    story.append(p("说明：热点按收案日期统计；可能民转刑为本月收案或仍在办理的已标记案件；超期为超期统计日仍在办理且已过期限的案件；"
                   "亮牌为本月被亮黄牌或红牌的案件。每个数字均可在工作台中双击查看对应案件。", small))
    signatures = Table([[p(f"制表：{b.prepared_by or '__________'}"), p("审核：__________"),
                         p(f"制表日期：{_day(b.today)}")]], colWidths=[width / 3] * 3,
                       style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                                         ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("TOPPADDING", (0, 0), (-1, -1), 3 * mm)]))
    story.append(layout.signature(signatures))
    info = base.DocumentInfo(title=f"{TITLE}（{b.month_text}）", author=b.center_name,
                             created=datetime.combine(b.today, time(9, 0)), subject="矛盾纠纷风险研判",
                             keywords=("研判", "风险", b.month))
    return base.build_pdf(layout.keep_signatures(story, (page.frame_width, page.frame_height)), info, page=page)


__all__ = ["CASE_HEADER", "case_rows", "chart", "overview_rows", "period_text", "render_pdf", "repeat_rows",
           "spot_rows"]
