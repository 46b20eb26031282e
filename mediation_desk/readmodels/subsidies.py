"""What a month's case-based subsidy statement (以案定补) holds, as the services compute it and
the documents print it; plain data that round-trips through JSON (an issued month is kept so).

Money is in fen (integers) everywhere: a split never loses a fen to rounding, and the printed
yuan are ``fen / 100`` exactly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

#: The levels a rule set has amounts for, as printed.
LEVELS: dict[str, str] = {"county": "县级", "township": "乡镇（街道）", "village": "村（社区）"}
#: The tiers of a case, from lowest to highest, as printed.
TIERS: dict[str, str] = {"general": "一般", "difficult": "疑难复杂", "major": "重大"}


def yuan(fen: int) -> Decimal:
    """Fen as yuan with two decimals (exact)."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def yuan_text(fen: int) -> str:
    """1234567 → "12,345.67"."""
    return f"{yuan(fen):,.2f}"


@dataclass(frozen=True)
class SubsidyLine:
    """One case on one mediator's statement: paid (``amount_fen`` > 0 or a capped 0) or refused."""

    case_number: str
    title: str
    closed_on: str  # "2026-11-12"
    tier: str  # a key of TIERS ("" when refused before the tier counts)
    why: str  # what made the tier (or "" for a general case)
    amount_fen: int
    #: Why the case is not paid (or paid less), "" for a paid line.
    refusal: str = ""
    #: How the case's amount was shared ("2人平分" …), "" for a case of one mediator.
    share: str = ""

    @property
    def paid(self) -> bool:
        return not self.refusal or self.amount_fen > 0


@dataclass(frozen=True)
class MediatorStatement:
    """One mediator's month: their cases paid and refused."""

    mediator_id: int | None
    name: str
    kind: str  # the mediator kind's label ("义务调解员"), "" for the unassigned cases
    lines: tuple[SubsidyLine, ...]

    @property
    def paid(self) -> tuple[SubsidyLine, ...]:
        return tuple(line for line in self.lines if line.amount_fen > 0)

    @property
    def refused(self) -> tuple[SubsidyLine, ...]:
        return tuple(line for line in self.lines if line.amount_fen == 0)

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


@dataclass(frozen=True)
class MonthStatement:
    """A month's statements and the summary the 司法所 signs."""

    month: str  # "2026-11"
    #: The center issuing the statement (填报单位).
    issuing_center: str
    level: str  # a key of LEVELS
    rule_month: str  # the rules in force: the version effective from this month
    #: The rules as printed under the summary (tiers, amounts, gate, caps), one line each.
    rule_lines: tuple[str, ...]
    mediators: tuple[MediatorStatement, ...]
    #: None for a draft (the month is not issued yet: it may still change).
    issued_at: datetime | None = None
    issued_by: str = ""
    #: SHA-256 of the issued statement (empty for a draft).
    sha256: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def month_text(self) -> str:
        year, month = self.month.split("-")
        return f"{int(year)}年{int(month)}月"

    @property
    def total_fen(self) -> int:
        return sum(m.total_fen for m in self.mediators)

    @property
    def draft(self) -> bool:
        return self.issued_at is None


def statement_json(statement: MonthStatement) -> dict[str, Any]:
    data = asdict(statement)
    data["issued_at"] = statement.issued_at.isoformat() if statement.issued_at else None
    return data


def line_from_json(data: dict[str, Any]) -> SubsidyLine:
    return SubsidyLine(**data)


def mediator_from_json(data: dict[str, Any]) -> MediatorStatement:
    return MediatorStatement(mediator_id=data["mediator_id"], name=data["name"], kind=data["kind"],
                             lines=tuple(line_from_json(line) for line in data["lines"]))


def statement_from_json(data: dict[str, Any]) -> MonthStatement:
    issued = data.get("issued_at")
    return MonthStatement(
        month=data["month"], issuing_center=data["issuing_center"], level=data["level"], rule_month=data["rule_month"],
        rule_lines=tuple(data["rule_lines"]), mediators=tuple(mediator_from_json(m) for m in data["mediators"]),
        issued_at=datetime.fromisoformat(issued) if issued else None, issued_by=data.get("issued_by", ""),
        sha256=data.get("sha256", ""), notes=tuple(data.get("notes", ())))
