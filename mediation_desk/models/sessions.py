"""Mediation rooms (调解室) and the mediation sessions (调解会) held in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned, new_uid
from .org import ROOT_CENTER


class MediationRoom(Versioned, Timestamped, Base):
    """A room of a center where its sessions are held; set up by that center's head or
    administrator. A case's sessions are booked in the rooms of the center handling it
    (migration 0047; on a server a trigger refuses any other)."""

    __tablename__ = "mediation_room"
    __table_args__ = (UniqueConstraint("center_id", "name", name="uq_mediation_room_center_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The center whose room it is (a township's rooms are its own building's).
    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), index=True, default=ROOT_CENTER)
    name: Mapped[str] = mapped_column(String(60))
    capacity: Mapped[int] = mapped_column(Integer, default=8)
    #: An inactive room keeps its past sessions but takes no new ones.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Where it is, printed on the notice after the center's address ("二楼东侧").
    location: Mapped[str] = mapped_column(String(120), default="")


class MediationSession(Versioned, Timestamped, Base):
    """One mediation session of a case: where, when, who mediates, which parties are summoned and
    who else is invited (village cadres, lawyers … as free-text names with their role)."""

    __tablename__ = "mediation_session"
    __table_args__ = (
        Index("ix_mediation_session_room_time", "room_id", "starts_at", "ends_at"),
        Index("ix_mediation_session_time", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The session's identity in every database a case's packets reach (migration 0039).
    uid: Mapped[str | None] = mapped_column(String(36), index=True, unique=True, default=new_uid)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("mediation_room.id"))
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    #: What the parties are asked to bring, beyond their identity documents.
    bring: Mapped[str] = mapped_column(Text, default="")
    #: Invited participants: ``[[name, role], …]`` (e.g. ``["王村长", "村干部"]``).
    invited: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    mediators: Mapped[list[SessionMediator]] = relationship(
        cascade="all, delete-orphan", order_by="SessionMediator.id", passive_deletes=True)
    parties: Mapped[list[SessionParty]] = relationship(
        cascade="all, delete-orphan", order_by="SessionParty.id", passive_deletes=True)


class SessionMediator(Base):
    """A mediator of a session (a mediator is in one session at a time)."""

    __tablename__ = "session_mediator"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mediation_session.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediator.id"), index=True)


class SessionParty(Base):
    """A party summoned to a session (a person is in one session at a time, whatever the case)."""

    __tablename__ = "session_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mediation_session.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
