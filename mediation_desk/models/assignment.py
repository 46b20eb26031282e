"""Who mediates a case: the mediators and co-departments on it, recusal decisions, diversions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamped, Versioned, enum_column, now
from .enums import DiversionBody, MediatorRole, RecusalOutcome

#: Departments taking part in a joint mediation (联合调解) of a case.
case_department = Table(
    "case_department",
    Base.metadata,
    Column("case_id", ForeignKey("dispute_case.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id"), primary_key=True),
)


class CaseMediator(Base):
    __tablename__ = "case_mediator"
    __table_args__ = (
        UniqueConstraint("case_id", "mediator_id"),
        # A mediator's cases in case order from the index alone (migration 0052; was mediator_id).
        Index("ix_case_mediator_mediator_case", "mediator_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediator.id"))
    role: Mapped[MediatorRole] = enum_column(MediatorRole)
    assigned_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class RecusalDecision(Base):
    """回避: the warning shown when a mediator may be related to a party, and what was decided."""

    __tablename__ = "recusal_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediator.id"))
    warning: Mapped[str] = mapped_column(Text)
    outcome: Mapped[RecusalOutcome] = enum_column(RecusalOutcome)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Diversion(Versioned, Timestamped, Base):
    """分流 to a body outside the center, tracked until its feedback comes back."""

    __tablename__ = "diversion"
    # The desk's diversions still awaiting feedback, oldest first (migration 0021).
    __table_args__ = (Index("ix_diversion_awaiting", "sent_at", "id", sqlite_where=text("feedback_at IS NULL"),
                            postgresql_where=text("feedback_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    body: Mapped[DiversionBody] = enum_column(DiversionBody)
    body_name: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime)
