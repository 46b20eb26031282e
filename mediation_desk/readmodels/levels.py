"""The county's monthly 矛盾纠纷排查调处情况表 by level, as plain data (docs/statistics.md, "The table
by level").

``services.levels`` counts it; the 分级情况表 view shows it and ``documents.levels`` prints it (PDF,
XLSX). Rows go by level — the county center, the township centers, the village committees — one
row per center, a 小计 per level and a 合计; each row has the month's figures and the year's to the
end of the month (本年累计). Every figure carries the :class:`CaseFilter` of exactly the cases it
counts, so a double-click lists them as the dashboard's figures do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..models import CenterLevel
from .caselist import CaseFilter

TITLE = "矛盾纠纷排查调处情况表"


class Column(StrEnum):
    """The table's figures, left to right."""

    SCREENED = "screened"            # 排查
    HANDLED = "handled"              # 调处
    SUCCEEDED = "succeeded"          # 成功
    PEOPLE_UNDER_50 = "lt50"         # 涉及人数 50人以下
    PEOPLE_50_100 = "50-100"         # 50–100人
    PEOPLE_100_500 = "100-500"       # 101–500人
    PEOPLE_OVER_500 = "gt500"        # 500人以上
    MAJOR = "major"                  # 重大
    CRIMINAL_CASES = "criminal"      # 防止民转刑 件
    CRIMINAL_PEOPLE = "criminal_people"  # 防止民转刑 人
    PETITION_CASES = "petition"      # 防止群体性上访 件
    PETITION_PEOPLE = "petition_people"  # 防止群体性上访 人


COLUMNS: tuple[Column, ...] = tuple(Column)

#: The people-involved bands, as (column, least, most) with None for no bound; both bounds included.
PEOPLE_BANDS: tuple[tuple[Column, int | None, int | None], ...] = (
    (Column.PEOPLE_UNDER_50, None, 49),
    (Column.PEOPLE_50_100, 50, 100),
    (Column.PEOPLE_100_500, 101, 500),
    (Column.PEOPLE_OVER_500, 501, None),
)

#: The head of the table in two rows: (group, sub-heading) per column; "" where the group's cell
#: spans both rows.
HEADINGS: dict[Column, tuple[str, str]] = {
    Column.SCREENED: ("排查", ""),
    Column.HANDLED: ("调处", ""),
    Column.SUCCEEDED: ("成功", ""),
    Column.PEOPLE_UNDER_50: ("涉及人数", "50人以下"),
    Column.PEOPLE_50_100: ("涉及人数", "50–100人"),
    Column.PEOPLE_100_500: ("涉及人数", "101–500人"),
    Column.PEOPLE_OVER_500: ("涉及人数", "500人以上"),
    Column.MAJOR: ("重大", ""),
    Column.CRIMINAL_CASES: ("防止民转刑", "件"),
    Column.CRIMINAL_PEOPLE: ("防止民转刑", "人"),
    Column.PETITION_CASES: ("防止群体性上访", "件"),
    Column.PETITION_PEOPLE: ("防止群体性上访", "人"),
}

#: Columns that count people, not cases (their drill-down lists the cases whose people they sum).
PEOPLE_COLUMNS = frozenset({Column.CRIMINAL_PEOPLE, Column.PETITION_PEOPLE})

#: What each column counts, word for word as docs/statistics.md says it (the view's tooltips, the
#: printed notes).
FORMULAS: dict[Column, str] = {
    Column.SCREENED: "排查 = 登记日期（received_at）在统计期内的案件数（含不予受理），与“收案数”同一口径",
    Column.HANDLED: "调处 = 统计期内最后一次办结结果为调解成功或调解不成的案件数（调解成功率的分母；"
                    "撤回、分流、不予受理不计）",
    Column.SUCCEEDED: "成功 = 统计期内最后一次办结结果为调解成功的案件数（调解成功率的分子）",
    Column.PEOPLE_UNDER_50: "涉及人数分档：排查的案件按“涉及人数”（people_involved）分为 50人以下（含未填的 0）、"
                            "50–100人、101–500人、500人以上，四档之和等于排查数",
    Column.PEOPLE_50_100: "涉及人数 50–100人 = 排查的案件中涉及人数不少于 50 且不多于 100 的案件数",
    Column.PEOPLE_100_500: "涉及人数 101–500人 = 排查的案件中涉及人数多于 100 且不多于 500 的案件数",
    Column.PEOPLE_OVER_500: "涉及人数 500人以上 = 排查的案件中涉及人数多于 500 的案件数",
    Column.MAJOR: "重大 = 排查的案件中标记为“重大矛盾纠纷”（is_major）的案件数",
    Column.CRIMINAL_CASES: "防止民转刑（件）= 标记为“可能民转刑”、统计期内最后一次办结结果为调解成功的案件数，"
                           "与统计中的“防止民转刑”同一口径",
    Column.CRIMINAL_PEOPLE: "防止民转刑（人）= 上述案件的涉及人数之和",
    Column.PETITION_CASES: "防止群体性上访（件）= 标记为“可能引发群体性上访”、"
                           "统计期内最后一次办结结果为调解成功的案件数",
    Column.PETITION_PEOPLE: "防止群体性上访（人）= 上述案件的涉及人数之和",
}

#: The notes printed under the table (and shown under the view), in order.
NOTES: tuple[str, ...] = (
    "本月为所选月份的1日至月末；本年累计为该年1月1日至所选月份月末，办结类指标以每件案件在累计期内的最后一次办结计，"
    "故累计数不一定等于各月之和",
    FORMULAS[Column.SCREENED],
    FORMULAS[Column.HANDLED],
    FORMULAS[Column.SUCCEEDED],
    FORMULAS[Column.PEOPLE_UNDER_50],
    FORMULAS[Column.MAJOR],
    FORMULAS[Column.CRIMINAL_CASES] + "；" + FORMULAS[Column.CRIMINAL_PEOPLE].split("= ")[1],
    FORMULAS[Column.PETITION_CASES] + "；" + FORMULAS[Column.PETITION_PEOPLE].split("= ")[1],
    "每件案件计入其所属中心；小计为该层级各中心之和，合计为各层级小计之和",
)


class RowKind(StrEnum):
    CENTER = "center"
    SUBTOTAL = "subtotal"
    TOTAL = "total"


class Span(StrEnum):
    MONTH = "month"
    YEAR = "year"


SPAN_LABELS: dict[Span, str] = {Span.MONTH: "本月", Span.YEAR: "本年累计"}
LEVEL_SUBTOTALS: dict[CenterLevel, str] = {
    CenterLevel.COUNTY: "县级小计", CenterLevel.TOWNSHIP: "乡镇级小计", CenterLevel.VILLAGE: "村级小计",
}


@dataclass(frozen=True)
class Figure:
    """One number of the table and the filter of exactly the cases behind it."""

    value: int
    filter: CaseFilter


@dataclass(frozen=True)
class LevelRow:
    kind: RowKind
    level: CenterLevel | None
    #: The center's id for a center's row; None for a subtotal or the total.
    center_id: int | None
    name: str
    #: The centers the row counts (one for a center's row).
    center_ids: frozenset[int]
    month: tuple[Figure, ...]
    year: tuple[Figure, ...]

    def figures(self, span: Span) -> tuple[Figure, ...]:
        return self.month if span is Span.MONTH else self.year

    def value(self, span: Span, column: Column) -> int:
        return self.figures(span)[COLUMNS.index(column)].value


@dataclass(frozen=True)
class LevelsTable:
    """The table of one month for one actor's centers."""

    center_name: str
    month: str  # "2026-11"
    period_start: date
    period_end: date
    year_start: date
    rows: tuple[LevelRow, ...]
    reporter: str = ""
    responsible: str = ""
    submitted_on: date | None = None

    @property
    def month_text(self) -> str:
        return f"{self.period_start.year}年{self.period_start.month}月"

    @property
    def period_text(self) -> str:
        s, e = self.period_start, self.period_end
        return f"{s.year}年{s.month}月{s.day}日至{e.month}月{e.day}日"

    @property
    def year_text(self) -> str:
        s, e = self.year_start, self.period_end
        return f"{s.year}年{s.month}月{s.day}日至{e.month}月{e.day}日"

    @property
    def total(self) -> LevelRow:
        return self.rows[-1]


__all__ = ["COLUMNS", "FORMULAS", "HEADINGS", "LEVEL_SUBTOTALS", "NOTES", "PEOPLE_BANDS", "PEOPLE_COLUMNS",
           "SPAN_LABELS", "TITLE", "Column", "Figure", "LevelRow", "LevelsTable", "RowKind", "Span"]
