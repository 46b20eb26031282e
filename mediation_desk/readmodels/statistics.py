"""The center's figures for a period as plain data, and the monthly report that prints them.

``services.statistics`` counts them (and turns a :class:`StatisticFilter` into SQL); the dashboard
shows them and ``documents.report`` prints them. Every figure is defined once, in
docs/statistics.md; its formula text is :data:`FORMULAS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ..models import SourceChannel
from .caselist import CaseFilter
from .hotline import HotlineRates
from .ratings import RatingFigures

#: People's mediation "一般在一个月内调结" (人民调解法 第二十八条 practice): the on-time line.
ON_TIME_DAYS = 30


class Figure(StrEnum):
    RECEIVED = "received"
    BY_TYPE = "by_type"
    BY_SOURCE = "by_source"
    BY_TEAM = "by_team"
    BY_MONTH = "by_month"
    BY_RESULT = "by_result"
    SUCCESS_RATE = "success_rate"
    ON_TIME_RATE = "on_time_rate"
    SATISFACTION_RATE = "satisfaction_rate"
    AMOUNT = "amount"
    GROUP_DISPUTES = "group_disputes"
    ESCALATIONS_PREVENTED = "escalations_prevented"
    OVERDUE = "overdue"
    #: The table by level (readmodels/levels.py): cases received by people involved (bucket: the
    #: band's key), major cases received, and prevented group petitions.
    PEOPLE_BAND = "people_band"
    MAJOR_DISPUTES = "major_disputes"
    PETITIONS_PREVENTED = "petitions_prevented"
    #: The risk briefing's first page (docs/briefing.md): the cases flagged 可能民转刑 received in
    #: the period or still open, the cases carded in the period, and the cases of the 12345 orders
    #: received in the period. (Its group disputes by people band: GROUP_DISPUTES, bucket the band.)
    CRIMINAL_WATCH = "criminal_watch"
    CARDED = "carded"
    HOTLINE_ORDERS = "hotline_orders"


class Outcome(StrEnum):
    """How a case's handling ended: the action of its last ending transition."""

    # The values are services.workflow.Action's (succeed, fail, …); a test holds them equal.
    SUCCEEDED = "succeed"
    FAILED = "fail"
    WITHDRAWN = "withdraw"
    DIVERTED = "divert"
    REJECTED = "reject"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.SUCCEEDED: "调解成功", Outcome.FAILED: "调解不成", Outcome.WITHDRAWN: "撤回",
    Outcome.DIVERTED: "分流", Outcome.REJECTED: "不予受理",
}


#: Rate buckets: the cases above the fraction line and the ones below it.
NUMERATOR = "numerator"
DENOMINATOR = "denominator"
#: The bucket of the cases no team handles.
NO_TEAM = "none"


FORMULAS: dict[Figure, str] = {
    Figure.RECEIVED: "收案数 = 登记日期（received_at）在统计期内的案件数（含不予受理）",
    Figure.BY_TYPE: "按纠纷类型统计收案数：登记日期在统计期内的案件，按纠纷类型分组计数",
    Figure.BY_SOURCE: "按案件来源统计收案数：登记日期在统计期内的案件，按来源渠道分组计数",
    Figure.BY_TEAM: "按调解团队统计收案数：登记日期在统计期内的案件，按承办团队分组计数（未分派单列）",
    Figure.BY_MONTH: "按月统计收案数：登记日期在统计期内的案件，按登记月份分组计数",
    Figure.BY_RESULT: "办理结果：案件最后一次办结操作（调解成功、调解不成、撤回、分流、不予受理）"
                      "发生在统计期内的，按该操作分组计数；每件案件只计一次",
    Figure.SUCCESS_RATE: "调解成功率 = 调解成功 ÷（调解成功 + 调解不成）× 100%，"
                         "以统计期内办结的案件计（不含撤回、分流、不予受理）",
    Figure.ON_TIME_RATE: f"按期调结率 = 受理后 {ON_TIME_DAYS} 日内（按日历日）调解终结的案件 ÷ "
                         "统计期内调解终结（调解成功、调解不成、撤回）的案件 × 100%",
    Figure.SATISFACTION_RATE: "回访满意率 =（满意 + 基本满意）÷ 有满意度评价的回访案件 × 100%，"
                              "以每件案件在统计期内最后一次回访计",
    Figure.AMOUNT: "涉及金额 = 登记日期在统计期内、填写了涉案金额的案件的金额合计（元）",
    Figure.GROUP_DISPUTES: "办理群体性纠纷 = 登记日期在统计期内、标记为群体性纠纷且未被不予受理的案件数"
                           "（按涉及人数分档时，为涉及人数在该档内的案件数）",
    Figure.ESCALATIONS_PREVENTED: "防止民转刑 = 标记为“可能民转刑”、统计期内最后一次办结结果为调解成功的案件数",
    Figure.OVERDUE: "超期案件 = 统计当日仍在办理中（未结案、未不予受理）且当前环节期限已过"
                    "（期限日 clock_due_on 早于当日；期限按该环节的工作日或自然日计算，含延期）的案件数；"
                    "与统计期无关。工作台的“超期案件”与此同一口径、同一数字；"
                    "已结案案件回访逾期不计入，列在工作台“待回访”中",
    Figure.PEOPLE_BAND: "涉及人数分档 = 登记日期在统计期内、涉及人数在该档内的案件数"
                        "（50人以下、50–100人、101–500人、500人以上）",
    Figure.MAJOR_DISPUTES: "重大 = 登记日期在统计期内、标记为“重大矛盾纠纷”的案件数",
    Figure.PETITIONS_PREVENTED: "防止群体性上访 = 标记为“可能引发群体性上访”、"
                                "统计期内最后一次办结结果为调解成功的案件数",
    Figure.CRIMINAL_WATCH: "可能民转刑 = 标记为“可能民转刑”、登记日期在统计期内"
                           "或仍在办理中（未结案、未不予受理）的案件数",
    Figure.CARDED: "亮牌案件 = 统计期内被亮黄牌或红牌（亮牌日期在统计期内）的案件数；每件案件只计一次",
    Figure.HOTLINE_ORDERS: "12345工单 = 热线受理时间在统计期内的12345工单数（每张工单对应一件案件）",
}


TITLES: dict[Figure, str] = {
    Figure.RECEIVED: "收案数", Figure.BY_TYPE: "按纠纷类型", Figure.BY_SOURCE: "按案件来源",
    Figure.BY_TEAM: "按调解团队", Figure.BY_MONTH: "按月份", Figure.BY_RESULT: "办理结果",
    Figure.SUCCESS_RATE: "调解成功率", Figure.ON_TIME_RATE: "按期调结率", Figure.SATISFACTION_RATE: "回访满意率",
    Figure.AMOUNT: "涉及金额", Figure.GROUP_DISPUTES: "办理群体性纠纷",
    Figure.ESCALATIONS_PREVENTED: "防止民转刑", Figure.OVERDUE: "超期案件",
    Figure.PEOPLE_BAND: "涉及人数", Figure.MAJOR_DISPUTES: "重大", Figure.PETITIONS_PREVENTED: "防止群体性上访",
    Figure.CRIMINAL_WATCH: "可能民转刑", Figure.CARDED: "亮牌案件", Figure.HOTLINE_ORDERS: "12345工单",
}


@dataclass(frozen=True)
class StatisticFilter:
    """A figure and one of its buckets, for one period: the exact cases that figure counted."""

    figure: Figure
    period_start: date
    period_end: date
    bucket: str = ""
    today: date | None = None

    def case_filter(self) -> CaseFilter:
        return CaseFilter(statistic=self)


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    count: int
    filter: CaseFilter


@dataclass(frozen=True)
class Breakdown:
    figure: Figure
    title: str
    formula: str
    buckets: tuple[Bucket, ...]

    @property
    def total(self) -> int:
        return sum(b.count for b in self.buckets)

    def count(self, key: str) -> int:
        return next((b.count for b in self.buckets if b.key == key), 0)


@dataclass(frozen=True)
class Count:
    figure: Figure
    title: str
    formula: str
    count: int
    filter: CaseFilter


@dataclass(frozen=True)
class Rate:
    figure: Figure
    title: str
    formula: str
    numerator: int
    denominator: int
    numerator_filter: CaseFilter
    denominator_filter: CaseFilter

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent to two places (half up), None when nothing was counted."""
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def text(self) -> str:
        value = self.percent
        return "—" if value is None else f"{value}%"


@dataclass(frozen=True)
class Amount:
    figure: Figure
    title: str
    formula: str
    total: Decimal
    cases: int
    filter: CaseFilter


@dataclass(frozen=True)
class TypeRow:
    """One dispute type's line of the monthly report."""

    dispute_type_id: int
    name: str
    received: int
    amount: Decimal
    outcomes: dict[Outcome, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    period_start: date
    period_end: date
    today: date
    received: Count
    #: Cases whose handling ended in the period (the total of by_result).
    ended: Count
    by_type: Breakdown
    by_source: Breakdown
    by_team: Breakdown
    by_month: Breakdown
    by_result: Breakdown
    success_rate: Rate
    on_time_rate: Rate
    satisfaction_rate: Rate
    amount: Amount
    group_disputes: Count
    escalations_prevented: Count
    overdue: Count
    #: Per dispute type (every type, active or used), for the report table.
    type_rows: tuple[TypeRow, ...]
    #: Results per source channel, for the report table: {channel: {outcome: n}}.
    source_outcomes: dict[SourceChannel, dict[Outcome, int]]


@dataclass(frozen=True)
class MonthlyReport:
    """What one report prints: the figures of a month and who reports them."""

    figures: Figures
    center_name: str
    month: str  # "2026-10"
    reporter: str = ""
    responsible: str = ""
    submitted_on: date | None = None
    #: "审计链锚点：序号 N，MAC 前 16 位 …" — the audit chain's head at the end of the month, also
    #: kept outside the database (services.audit.anchor); "" when there is none.
    audit_anchor: str = ""
    #: The 12345 hotline's 三率 of the month (docs/hotline.md); None where they cannot be read.
    hotline: HotlineRates | None = None
    #: The counter's 好差评 of the month (docs/ratings.md); None when none was given or readable.
    ratings: RatingFigures | None = None

    @property
    def period_text(self) -> str:
        start, end = self.figures.period_start, self.figures.period_end
        return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"

    @property
    def month_text(self) -> str:
        year, month = self.month.split("-")
        return f"{year}年{int(month)}月"
