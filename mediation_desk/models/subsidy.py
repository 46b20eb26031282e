"""Case-based subsidies (以案定补): the administrator's rules by the month they take effect, and
each month's statement as issued (frozen), so a printed month prints the same later."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamped, Versioned, now
from .org import ROOT_CENTER


class SubsidyRuleSet(Versioned, Timestamped, Base):
    """One version of the subsidy rules, in force from ``effective_month`` until the next version.

    ``rules`` holds the tiers' amounts per level (in fen), what makes a case difficult or major,
    the file gate, the duplicate rule, the caps and the split (``services.subsidies.Rules``)."""

    __tablename__ = "subsidy_rule_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_month: Mapped[str] = mapped_column(String(7), unique=True)  # "2026-07"
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SubsidyStatement(Base):
    """A month's statement as issued: its header and per-mediator totals (no case content), kept
    as it was printed. The cases of each mediator are in :class:`SubsidyStatementPart`."""

    __tablename__ = "subsidy_statement"
    # Each center pays its own mediators: a month is issued once per center.
    __table_args__ = (UniqueConstraint("center_id", "month", name="uq_subsidy_statement_center_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), default=ROOT_CENTER)
    month: Mapped[str] = mapped_column(String(7))
    level: Mapped[str] = mapped_column(String(16))
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("subsidy_rule_set.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    #: The header and summary exactly as printed (center, rule month, per-mediator totals).
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    #: SHA-256 of the whole statement (summary and parts) as issued.
    sha256: Mapped[str] = mapped_column(String(64))


class SubsidyStatementPart(Base):
    """One mediator's statement of an issued month: the cases paid and refused, as printed.
    On a server a mediator reads only their own part (migration 0026)."""

    __tablename__ = "subsidy_statement_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("subsidy_statement.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    #: None for the cases no registered mediator handled.
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediator.id"), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
