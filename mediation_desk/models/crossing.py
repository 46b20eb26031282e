"""A case's steps between centers: 上报, 交办, 回退, 联办 and 反馈 (docs/crossings.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, enum_column, now
from .enums import CrossingKind


class CaseCrossing(Base):
    """One step of a case from one center to another. A 上报 or 交办 moves who works on the case
    (``dispute_case.handling_center_id``) until a 回退 or a 反馈 answers it (``parent_id``) and
    closes it; a 联办 lets a center below read the case and answer with its 反馈. The case keeps
    its center and its number. ``uid`` makes each step idempotent (a packet replayed, a double
    click): the same uid twice records one step."""

    __tablename__ = "case_crossing"
    __table_args__ = (
        Index("ix_case_crossing_to_open", "to_center_id", "closed_at"),
        Index("ix_case_crossing_from_open", "from_center_id", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    #: The case's number, kept with the step: a center that returned a case still lists its steps.
    case_number: Mapped[str] = mapped_column(String(60))
    kind: Mapped[CrossingKind] = enum_column(CrossingKind)
    from_center_id: Mapped[int] = mapped_column(ForeignKey("center.id"))
    to_center_id: Mapped[int] = mapped_column(ForeignKey("center.id"))
    #: A 交办 to a stationed department of the assigning center (its to_center is that center).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    #: The step a 回退 or 反馈 answers.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("case_crossing.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The case's attachments sent with the step (a JSON list of attachment ids): by reference.
    materials: Mapped[str] = mapped_column(Text, default="[]")
    working_days: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_by_name: Mapped[str] = mapped_column(String(60), default="")
    #: When a 回退 or 反馈 answered the step (open steps have none; 回退 and 反馈 are born closed).
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    #: A step imported from a version-2 packet: the digest of the case's work as the sending desk
    #: carried it (``work.sha256``), and of this desk's copy once the packet was applied (0039).
    sent_sha256: Mapped[str | None] = mapped_column(String(64))
    kept_sha256: Mapped[str | None] = mapped_column(String(64))
