"""12345 hotline work orders (工单): the hotline's own number and type code beside the case, and
what only the hotline asks for — when the order was signed for (签收) and the citizen first
contacted (首次联系). The rest of the return file (办理, 办结, the result, the 回访 and the
satisfaction) is read from the case itself (services/hotline.py), never stored twice; and each
export's bounds, so the next one continues where it stopped (docs/hotline.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamped, now
from .org import ROOT_CENTER


class HotlineOrder(Timestamped, Base):
    """One 12345 work order, 1:1 with the case it became (written by ``import-cases``)."""

    __tablename__ = "hotline_order"
    # The export of a period reads the orders changed in it; the 三率 those received, ended or
    # visited in it (migration 0046).
    __table_args__ = (Index("ix_hotline_order_updated", "updated_at", "case_id"),
                      Index("ix_hotline_order_received", "center_id", "received_at", "contacted_at", "last_ending_at",
                            "state", "is_consultation", "dispute_type_id"),
                      Index("ix_hotline_order_ending", "center_id", "last_ending_at", "state", "last_ending_action"),
                      Index("ix_hotline_order_visit", "center_id", "last_visit_on", "last_visit_rating"),
                      # The cases of the orders received in a period, of every center (migration 0054).
                      Index("ix_hotline_order_received_case", "received_at", "case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), unique=True)
    #: The hotline's own work order number (工单编号), the key of the return file.
    order_no: Mapped[str] = mapped_column(String(100), unique=True)
    #: The hotline's own classification code of the matter (热线类型编码), beside the center's type.
    type_code: Mapped[str] = mapped_column(String(40), default="")
    #: When the hotline received it (the case's received time at import, kept as the hotline gave it).
    received_at: Mapped[datetime] = mapped_column(DateTime)
    signed_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    contacted_at: Mapped[datetime | None] = mapped_column(DateTime)
    contacted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    contact_note: Mapped[str] = mapped_column(Text, default="")
    # Kept by triggers from the case's rows, never written by the app (services/hotline_facts.py):
    #: the case's center, state (a CaseState value), kind and type, as the case row has them;
    center_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str | None] = mapped_column(String(32))
    is_consultation: Mapped[bool | None] = mapped_column(Boolean)
    dispute_type_id: Mapped[int | None] = mapped_column(Integer)
    #: the case's last ending transition (its moment and action), whatever the case's state;
    last_ending_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_ending_action: Mapped[str | None] = mapped_column(String(40))
    #: the case's last return visit, a rated one first (its day and satisfaction value).
    last_visit_on: Mapped[date | None] = mapped_column(Date)
    last_visit_rating: Mapped[str | None] = mapped_column(String(32))


class HotlineExport(Base):
    """One return file written: its bounds (the next ``--since last`` starts at ``until``)."""

    __tablename__ = "hotline_export"
    __table_args__ = (Index("ix_hotline_export_center_until", "center_id", "until", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), default=ROOT_CENTER)
    since: Mapped[datetime] = mapped_column(DateTime)
    until: Mapped[datetime] = mapped_column(DateTime)
    format: Mapped[str] = mapped_column(String(8))
    orders: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    exported_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    exported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
