"""Time limits of each stage and the extensions granted on a case."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamped, Versioned, enum_column, now
from .enums import ClockStage


class TimeLimit(Versioned, Timestamped, Base):
    """How long a stage may take, for one dispute type or (``dispute_type_id`` NULL) for all."""

    __tablename__ = "time_limit"
    __table_args__ = (UniqueConstraint("stage", "dispute_type_id", name="uq_time_limit_stage_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[ClockStage] = enum_column(ClockStage)
    dispute_type_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_type.id"))
    days: Mapped[int] = mapped_column(Integer)
    working_days: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The clock turns yellow when this many days (of the same kind) or fewer remain.
    yellow_days: Mapped[int] = mapped_column(Integer, default=3)


class DeadlineExtension(Base):
    """延期: more days for one stage of one case, with the reason and who granted it."""

    __tablename__ = "deadline_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    stage: Mapped[ClockStage] = enum_column(ClockStage)
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    granted_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: The due date after this extension, as it was computed when granted.
    new_due_on: Mapped[date] = mapped_column(Date)
