"""风险研判: the grade the head set on a case for a month's briefing (docs/briefing.md).

The briefing proposes a grade (红橙黄蓝) for each listed case by its stated rules
(services/briefing.py); only where the head sets a different one is a row stored here, with the
grade proposed at the time, the grade set and the reason (required), so the meeting's paper shows
"proposed → adjusted (reason)" and never a silent change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, enum_column, now
from .enums import RiskLevel


class RiskGrade(Base):
    """The head's grade of one case in one month's briefing (at most one; set again, it is replaced)."""

    __tablename__ = "risk_grade"
    __table_args__ = (UniqueConstraint("case_id", "month", name="uq_risk_grade_case_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    #: "YYYY-MM": the briefing's month.
    month: Mapped[str] = mapped_column(String(7))
    proposed: Mapped[RiskLevel] = enum_column(RiskLevel)
    grade: Mapped[RiskLevel] = enum_column(RiskLevel)
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime, default=now)
