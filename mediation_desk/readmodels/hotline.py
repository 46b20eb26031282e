"""What a 12345 work order looks like to the case page, the return file and the reports: its own
times, those read from the case, its 2·20 limits; and the 三率 of a period (docs/hotline.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class LimitState:
    """One 2·20 limit of an order: the day it is due and when it was met (None: not yet)."""

    label: str  # "签收", "联系", "办结"
    due_on: date
    done_at: datetime | None

    @property
    def on_time(self) -> bool | None:
        """True met in time, False met late; None not met yet."""
        return None if self.done_at is None else self.done_at.date() <= self.due_on

    def overdue(self, today: date) -> bool:
        """Late: met after the due day, or not met and the due day has passed."""
        return self.on_time is False or (self.done_at is None and today > self.due_on)

    def text(self, today: date) -> str:
        if self.done_at is not None:
            verdict = "按时" if self.on_time else "超时"
            return f"{self.label}：{self.done_at:%Y-%m-%d %H:%M}（{verdict}，时限 {self.due_on:%m月%d日}）"
        if today > self.due_on:
            return f"{self.label}：未完成，已超时（时限 {self.due_on:%m月%d日}）"
        return f"{self.label}：未完成（时限 {self.due_on:%m月%d日}）"


@dataclass(frozen=True)
class HotlineOrderFacts:
    """One order with everything its return row holds."""

    case_id: int
    case_number: str
    order_no: str
    type_code: str
    dispute_type: str
    state: str  # the case's CaseState value
    state_label: str
    is_consultation: bool
    received_at: datetime
    signed_at: datetime | None
    contacted_at: datetime | None
    contact_note: str
    #: 办理: when the center accepted the case (``dispute_case.accepted_at``).
    handling_at: datetime | None
    #: 办结: the case's last ending transition, while the case stays ended.
    closed_at: datetime | None
    outcome: str | None  # the ending's workflow action: succeed, fail, withdraw, divert, reject
    result: str
    visited_on: date | None
    satisfaction: str | None  # Satisfaction value
    satisfaction_label: str
    sign_limit: LimitState
    contact_limit: LimitState
    close_limit: LimitState

    @property
    def limits(self) -> tuple[LimitState, LimitState, LimitState]:
        return (self.sign_limit, self.contact_limit, self.close_limit)


#: How the combined score weighs the three rates (docs/hotline.md).
COMBINED_FORMULA = ("综合得分 = (响应率 × 响应权重 + 解决率 × 解决权重 + 满意率 × 满意权重) ÷ 参与计算的权重之和 × 100"
                    "（期内没有分母的率不参与）")


@dataclass(frozen=True)
class HotlineRate:
    name: str  # 响应率 …
    formula: str
    numerator: int
    denominator: int
    weight: int

    @property
    def value(self) -> float | None:
        return None if not self.denominator else self.numerator / self.denominator

    def text(self) -> str:
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class HotlineRates:
    """The 三率 of a period and their weighted score (a rate with no denominator is left out and
    the other weights count in its place)."""

    period_start: date
    period_end: date
    response: HotlineRate
    resolution: HotlineRate
    satisfaction: HotlineRate
    #: Orders received in the period past one of their 2·20 limits (contact, or closing) on ``today``.
    late: int = 0
    today: date | None = None

    @property
    def rates(self) -> tuple[HotlineRate, HotlineRate, HotlineRate]:
        return (self.response, self.resolution, self.satisfaction)

    @property
    def combined(self) -> float | None:
        counted = [r for r in self.rates if r.value is not None]
        weight = sum(r.weight for r in counted)
        if not weight:
            return None
        return sum(r.weight * (r.value or 0.0) for r in counted) / weight

    def combined_text(self) -> str:
        value = self.combined
        return "—" if value is None else f"{value * 100:.1f}"

    def weights_text(self) -> str:
        return "/".join(str(r.weight) for r in self.rates)

    def line(self) -> str:
        """One line for a status bar or a report, its counts in digit groups (a county's year:
        226,027/241,908)."""
        parts = [f"{r.name} {r.text()}（{r.numerator:,}/{r.denominator:,}）" for r in self.rates]
        late = "" if self.today is None else f"；截至 {self.today:%m月%d日} 超过“2·20”时限 {self.late:,} 件"
        return "；".join(parts) + f"；综合得分 {self.combined_text()}（权重 {self.weights_text()}）" + late
