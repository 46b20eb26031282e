"""The mediators' work on a case and its ends: records, agreements, confirmation, transfer, visits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned, enum_column, now
from .enums import AgreementKind, ConfirmationResult, Performance, Satisfaction, TransferTarget


class InvestigationRecord(Versioned, Timestamped, Base):
    """调查记录: who was interviewed, by whom, and what was found. Editable until signed."""

    __tablename__ = "investigation_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    place: Mapped[str] = mapped_column(String(200), default="")
    investigators: Mapped[str] = mapped_column(String(200), default="")
    recorder: Mapped[str] = mapped_column(String(60), default="")
    interviewee: Mapped[str] = mapped_column(String(200), default="")
    interviewee_relation: Mapped[str] = mapped_column(String(100), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class MediationRecord(Versioned, Timestamped, Base):
    """调解记录 (笔录) of one session. Editable until signed."""

    __tablename__ = "mediation_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    place: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(200), default="")
    mediators: Mapped[str] = mapped_column(String(200), default="")
    recorder: Mapped[str] = mapped_column(String(60), default="")
    participants: Mapped[str] = mapped_column(String(300), default="")
    parties_present: Mapped[str] = mapped_column(String(300), default="")
    notice_given: Mapped[bool] = mapped_column(Boolean, default=False)
    statements: Mapped[str] = mapped_column(Text, default="")
    verification: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    agreement_reached: Mapped[bool] = mapped_column(Boolean, default=False)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Agreement(Versioned, Timestamped, Base):
    """人民调解协议书 or 口头协议登记表. Takes effect when signed by all; starts the 30-day clock
    for judicial confirmation."""

    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AgreementKind] = enum_column(AgreementKind, default=AgreementKind.WRITTEN)
    facts: Mapped[str] = mapped_column(Text, default="")
    disputed_matters: Mapped[str] = mapped_column(Text, default="")
    responsibilities: Mapped[str] = mapped_column(Text, default="")
    copies: Mapped[int] = mapped_column(Integer, default=3)
    signed_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)

    terms: Mapped[list[AgreementTerm]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementTerm.seq"
    )


class AgreementTerm(Base):
    """One agreed obligation: who owes what, how much, by when, where and how it is performed."""

    __tablename__ = "agreement_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    obligor_party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    obligee_party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    content: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    due_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str] = mapped_column(String(200), default="")

    agreement: Mapped[Agreement] = relationship(back_populates="terms")


class JudicialConfirmation(Versioned, Timestamped, Base):
    """司法确认: the joint application to the basic court and its outcome."""

    __tablename__ = "judicial_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"))
    court: Mapped[str] = mapped_column(String(120), default="")
    applied_on: Mapped[date | None] = mapped_column(Date)
    court_case_number: Mapped[str] = mapped_column(String(80), default="")
    result: Mapped[ConfirmationResult] = enum_column(ConfirmationResult, default=ConfirmationResult.PENDING)
    decided_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class Transfer(Versioned, Timestamped, Base):
    """移送 / 转办 of a failed or diverted case to a court or a responsible department."""

    __tablename__ = "transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    target: Mapped[TransferTarget] = enum_column(TransferTarget)
    target_name: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    packet_sha256: Mapped[str] = mapped_column(String(64), default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReturnVisit(Versioned, Timestamped, Base):
    """回访: whether the agreement is being kept and whether the parties are satisfied."""

    __tablename__ = "return_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(60))
    parties_visited: Mapped[str] = mapped_column(String(200), default="")
    performance: Mapped[Performance | None] = enum_column(Performance, nullable=True)
    satisfaction: Mapped[Satisfaction | None] = enum_column(Satisfaction, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class SupervisionOrder(Versioned, Timestamped, Base):
    """督办: the head's order on a late or risky case, and the team's answer."""

    __tablename__ = "supervision_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    instruction: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
