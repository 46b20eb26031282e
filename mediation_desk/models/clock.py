"""Time limits of each stage, the extensions granted on a case, and the cards a late stage earns."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamped, Versioned, enum_column, now
from .enums import ClockColour, ClockStage, ExtensionStatus


class TimeLimit(Versioned, Timestamped, Base):
    """How long a stage may take: for one stationed department and/or one dispute type, or (both
    NULL) for every case. The most specific row wins (department + type > department > type > all)."""

    __tablename__ = "time_limit"
    __table_args__ = (UniqueConstraint("stage", "department_id", "dispute_type_id",
                                       name="uq_time_limit_stage_department_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[ClockStage] = enum_column(ClockStage)
    dispute_type_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_type.id"))
    #: The stationed department whose cases (led by its mediator) this limit governs (migration 0025).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
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


class StageCard(Base):
    """黄牌 / 红牌督办: given automatically, once, when a case's stage passes yellow or red.

    Addressed to the case's team and its stationed department as they were that day. The unique
    constraint makes the check idempotent: any number of desks running it at once give one card."""

    __tablename__ = "stage_card"
    __table_args__ = (
        UniqueConstraint("case_id", "stage", "colour", name="uq_stage_card_case_stage_colour"),
        # The monthly score counts a department's cards given in a month.
        # The month's cards by department and colour, counted from the index alone (migration 0048).
        Index("ix_stage_card_given", "given_on", "department_id", "colour", "case_id"),
        # Each case's cards with their day: the briefing's cases carded in a month (migration 0054).
        Index("ix_stage_card_case_given", "case_id", "given_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    stage: Mapped[ClockStage] = enum_column(ClockStage)
    colour: Mapped[ClockColour] = enum_column(ClockColour)
    #: The day the check found the stage yellow (or red) and gave the card.
    given_on: Mapped[date] = mapped_column(Date)
    #: The stage's due date that day (after the extensions approved by then).
    due_on: Mapped[date] = mapped_column(Date)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class ExtensionRequest(Versioned, Timestamped, Base):
    """延期申请: a department asks for more days on a case's running stage; the head decides."""

    __tablename__ = "extension_request"
    __table_args__ = (Index("ix_extension_request_requested", "requested_on", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    stage: Mapped[ClockStage] = enum_column(ClockStage)
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    requested_on: Mapped[date] = mapped_column(Date)
    #: The stage's due date when asked.
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ExtensionStatus] = enum_column(ExtensionStatus, default=ExtensionStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    #: The head's reason for a refusal (or remark on an approval).
    decision_note: Mapped[str] = mapped_column(Text, default="")
    #: The extension an approval granted.
    extension_id: Mapped[int | None] = mapped_column(ForeignKey("deadline_extension.id", ondelete="SET NULL"))
