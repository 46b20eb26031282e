"""The city's figures over its counties' report tables, as plain data (``services.city``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from .statistics import Outcome


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class CityRow:
    """One line of the city's figures: the whole city, a county, a dispute type or a month.

    Each count is the county statistics' own (docs/statistics.md): ``received`` the cases received
    in the period; ``outcomes`` each case's last ending in the period (in the month, for a month's
    line) by its action; ``on_time`` the mediation endings (成功、不成、撤回) within ON_TIME_DAYS
    of acceptance; ``prevented`` 防止民转刑; ``visited``/``satisfied`` the cases' last rated visit;
    ``overdue`` on the figures' day (the city and county lines only)."""

    key: str
    label: str
    received: int = 0
    amount: Decimal = Decimal(0)
    amount_cases: int = 0
    group_disputes: int = 0
    outcomes: dict[Outcome, int] = field(default_factory=dict)
    on_time: int = 0
    prevented: int = 0
    visited: int = 0
    satisfied: int = 0
    overdue: int = 0

    @property
    def ended(self) -> int:
        return sum(self.outcomes.values())

    @property
    def succeeded(self) -> int:
        return self.outcomes.get(Outcome.SUCCEEDED, 0)

    @property
    def failed(self) -> int:
        return self.outcomes.get(Outcome.FAILED, 0)

    @property
    def mediation_ended(self) -> int:
        return sum(self.outcomes.get(o, 0) for o in (Outcome.SUCCEEDED, Outcome.FAILED, Outcome.WITHDRAWN))

    @property
    def success_rate(self) -> Decimal | None:
        """调解成功率 = 成功 ÷（成功 + 不成）, in percent to two places; None when none ended so."""
        return _percent(self.succeeded, self.succeeded + self.failed)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.on_time, self.mediation_ended)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _percent(self.satisfied, self.visited)


@dataclass(frozen=True)
class CityFigures:
    period_start: date
    period_end: date
    today: date
    total: CityRow
    by_county: tuple[CityRow, ...]
    by_type: tuple[CityRow, ...]
    by_month: tuple[CityRow, ...]

    def county(self, code: str) -> CityRow:
        return next((row for row in self.by_county if row.key == code), CityRow(code, code))


@dataclass(frozen=True)
class CountyStatus:
    """A county at the city: its rows and its subscription."""

    code: str
    name: str
    cases: int
    #: The subscription's name (md_city_<code>), "" when the city holds rows but no subscription.
    subscription: str
    enabled: bool
    #: When the city last heard from the county (pg_stat_subscription), None if never or not running.
    last_message: datetime | None
