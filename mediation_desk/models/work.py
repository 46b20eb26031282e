"""The mediators' work on a case and its ends: records, agreements, confirmation, transfer, visits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned, enum_column, new_uid, now
from .enums import (
    AgreementKind,
    ConfirmationResult,
    Performance,
    Satisfaction,
    TransferStatus,
    TransferTarget,
    VisitMethod,
)
from .org import ROOT_CENTER


class InvestigationRecord(Versioned, Timestamped, Base):
    """调查记录: who was interviewed, by whom, and what was found. Editable until signed."""

    __tablename__ = "investigation_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The record's identity in every database a case's packets reach (migration 0039).
    uid: Mapped[str | None] = mapped_column(String(36), index=True, unique=True, default=new_uid)
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
    #: The record's identity in every database a case's packets reach (migration 0039).
    uid: Mapped[str | None] = mapped_column(String(36), index=True, unique=True, default=new_uid)
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
    #: The record's identity in every database a case's packets reach (migration 0039).
    uid: Mapped[str | None] = mapped_column(String(36), index=True, unique=True, default=new_uid)
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
    # The court's acceptance (立案) and its 调确字 number.
    accepted_on: Mapped[date | None] = mapped_column(Date)
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
    # The packet's own identifier (a UUID in its manifest), so the receiving end knows it again.
    packet_id: Mapped[str] = mapped_column(String(36), default="", index=True)
    # The draft claims (诉讼请求) for the court, one per line.
    claims: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[TransferStatus] = enum_column(TransferStatus, default=TransferStatus.PREPARED)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    received_at: Mapped[datetime | None] = mapped_column(DateTime)
    # 案号 the court gives when it files the case, and when.
    filed_number: Mapped[str] = mapped_column(String(80), default="")
    filed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    outcome_on: Mapped[date | None] = mapped_column(Date)
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime)


class Termination(Versioned, Timestamped, Base):
    """调解终结: mediation ended without agreement, and why."""

    __tablename__ = "termination"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The record's identity in every database a case's packets reach (migration 0039).
    uid: Mapped[str | None] = mapped_column(String(36), index=True, unique=True, default=new_uid)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    terminated_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class UndisputedFacts(Versioned, Timestamped, Base):
    """无争议事实确认书: facts both sides accept although mediation failed; the court may rely on them."""

    __tablename__ = "undisputed_facts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The record's identity in every database a case's packets reach (migration 0039).
    uid: Mapped[str | None] = mapped_column(String(36), index=True, unique=True, default=new_uid)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    facts: Mapped[str] = mapped_column(Text, default="")
    # Matters still in dispute, listed so the court sees where the line runs.
    disputed: Mapped[str] = mapped_column(Text, default="")
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_on: Mapped[date | None] = mapped_column(Date)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class ReturnVisit(Versioned, Timestamped, Base):
    """回访: whether the agreement is being kept and whether the parties are satisfied."""

    __tablename__ = "return_visit"
    # Satisfaction of a period's visits, read from the index alone.
    __table_args__ = (Index("ix_return_visit_visited", "visited_on", "case_id", "satisfaction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The record's identity in every database a case's packets reach (migration 0039).
    uid: Mapped[str | None] = mapped_column(String(36), index=True, unique=True, default=new_uid)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(60))
    parties_visited: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[VisitMethod | None] = enum_column(VisitMethod, nullable=True)
    performance: Mapped[Performance | None] = enum_column(Performance, nullable=True)
    satisfaction: Mapped[Satisfaction | None] = enum_column(Satisfaction, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Whether a party went to court over the dispute after the mediation, and what came of it.
    lawsuit: Mapped[str] = mapped_column(String(300), default="")
    lawsuit_result: Mapped[str] = mapped_column(String(300), default="")
    #: 矛盾隐患: anything that could make the dispute flare up again.
    hidden_risks: Mapped[str] = mapped_column(Text, default="")
    # Set when this visit's finding (未履行, 不满意) led the head to reopen the case.
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)


class PlannedVisit(Base):
    """A return visit that is due: after closure, and at the deadline of each agreed term."""

    __tablename__ = "planned_visit"
    # The desk's visits planned and not yet made, by due day (migration 0021).
    __table_args__ = (Index("ix_planned_visit_open", "due_on", "case_id", sqlite_where=text("visit_id IS NULL"),
                            postgresql_where=text("visit_id IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    term_id: Mapped[int | None] = mapped_column(ForeignKey("agreement_term.id", ondelete="SET NULL"))
    # The visit that answered this plan; NULL while it is still due.
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("return_visit.id", ondelete="SET NULL"))


class SupervisionOrder(Versioned, Timestamped, Base):
    """督办: the head's order on a late or risky case, and the team's answer."""

    __tablename__ = "supervision_order"
    # The open orders (migration 0050): the desk lists a mediator's teams' from these, not by
    # walking every case of the teams to find the few with an order.
    __table_args__ = (Index("ix_supervision_order_open", "case_id", sqlite_where=text("resolved_at IS NULL"),
                            postgresql_where=text("resolved_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    instruction: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)


class PublicitySnapshot(Base):
    """An approved monthly publicity list (公示), kept exactly as approved: its rows (already
    masked), a hash of them, and a fingerprint of each listed case so a later change is noticed."""

    __tablename__ = "publicity_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # "2026-10"
    #: Whose board the list is (docs/centers.md, migration 0022).
    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), default=ROOT_CENTER)
    approved_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    rows: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    sha256: Mapped[str] = mapped_column(String(64))
    case_fingerprints: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class UnmatchedPage(Base):
    """A page scanned back whose page code could not be read, waiting for the clerk to file it."""

    __tablename__ = "unmatched_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    source: Mapped[str] = mapped_column(String(200), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="application/pdf")
    sha256: Mapped[str] = mapped_column(ForeignKey("file_blob.sha256"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    filed_case_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_case.id", ondelete="SET NULL"))
    filed_at: Mapped[datetime | None] = mapped_column(DateTime)
